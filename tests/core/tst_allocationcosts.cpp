// Point allocation: overrides and pins, what float layers cost, the cost figures and reports, and
// the validation of bad curves and settings.
#include "allocationfixtures.h"
#include "mpq/report.h"

#include <QtTest>

Q_DECLARE_METATYPE(mpq::BudgetCost)
Q_DECLARE_METATYPE(mpq::AllocationRule)

using namespace alloctest;

class TestAllocationCosts : public QObject
{
    Q_OBJECT
private slots:
    void pointsOverride()
    {
        const auto a = layer("a", 4, 1, {1, 1}, {{1, 0.1, 0.01}, {1, 0.5, 0.2}});
        const auto b = layer("b", 2, 1, {1, 1}, {{1, 0.1, 0.01}, {1, 0.1, 0.01}});
        mpq::AllocationSettings s = threshold(1e-9);
        s.overrides["a"] = {mpq::LayerOverride::Kind::Points, 2};
        mpq::Allocation r = mpq::allocate({a, b}, s);
        QCOMPARE(r.layers[0].points, (std::vector<int>{2, 2}));
        QCOMPARE(r.layers[1].points, (std::vector<int>{3, 3}));
        s.overrides["a"].points = 7; // capped at N_max
        QCOMPARE(mpq::allocate({a, b}, s).layers[0].points, (std::vector<int>{3, 3}));

        // budget: the pin's 8 extra weights are charged first; 4 of 12 remain = 2 points of b
        s = budget(12.0 / 12);
        s.overrides["a"] = {mpq::LayerOverride::Kind::Points, 2};
        r = mpq::allocate({a, b}, s);
        QCOMPARE(r.layers[0].points, (std::vector<int>{2, 2}));
        QCOMPARE(r.layers[1].points, (std::vector<int>{2, 2}));
        // a pin alone may exceed the budget; nothing else is bought then
        s.budget = 4.0 / 12;
        r = mpq::allocate({a, b}, s);
        QCOMPARE(r.extraWeights, std::int64_t(8));
        QCOMPARE(r.layers[1].points, (std::vector<int>{1, 1}));
        QCOMPARE(r.warnings.size(), size_t(1));
        QCOMPARE(r.pinnedMemoryOverhead, 8.0 / 12);
        QCOMPARE(r.memoryOverhead, 8.0 / 12); // reported as it is, above the budget
        // a pin never takes a rising step: the channel stops below it
        const auto rising = layer("a", 4, 1, {1, 1}, {{1, 2, 0.5}, {1, 1, 1}});
        s = threshold(1e-3);
        s.overrides["a"] = {mpq::LayerOverride::Kind::Points, 2};
        QCOMPARE(mpq::allocate({rising}, s).layers[0].points, (std::vector<int>{1, 2}));
    }

    void floatOverride()
    {
        const auto a = layer("a", 4, 3, {1}, {{1, 0.001}});
        const auto f = layer("f", 5, 7, {1, 1}, {{1, 0.1}, {1, 0.1}}, 3); // only at 3 bits: fine
        {
            mpq::AllocationSettings s = threshold(0.01);
            s.overrides["f"] = {mpq::LayerOverride::Kind::Float};
            const mpq::Allocation r = mpq::allocate({a, f}, s);
            QCOMPARE(r.layers.size(), size_t(2));
            const mpq::LayerAllocation &fl = r.layers[1];
            QVERIFY(fl.isFloat);
            QVERIFY(fl.points.empty());
            QCOMPARE(fl.bits, 0);
            QCOMPARE(fl.weights, std::int64_t(10));
            QCOMPARE(fl.extraWeights, std::int64_t(0));
            QCOMPARE(fl.effectiveBits, 32.0);
            QCOMPARE(fl.relativeError, 0.0);
            QVERIFY(fl.pinned);
            QCOMPARE(fl.storedBits, std::int64_t(320));
            QCOMPARE(fl.costBits, std::int64_t(280));
            QCOMPARE(fl.overhead, 7.0); // 32 / 4 - 1
            QCOMPARE(fl.floatMacs, std::int64_t(70));
            QCOMPARE(fl.extraMacs, std::int64_t(0));
            QCOMPARE(r.floatWeights, std::int64_t(10));
            QCOMPARE(r.quantizedWeights, std::int64_t(4));
            QCOMPARE(r.allWeights, std::int64_t(14));
            QCOMPARE(r.quantizedMacs, std::int64_t(12));
            QCOMPARE(r.floatMacs, std::int64_t(70));
            QCOMPARE(r.allMacs, std::int64_t(82));
            QCOMPARE(r.layers[0].points, std::vector<int>{2});
            QCOMPARE(r.totalError, 0.001);
            // every figure over all 14 weights; the float layer at 32 bits, without scales
            QCOMPARE(r.storedBits, std::int64_t(4 * 2 * 4 + 32 * 10));
            QCOMPARE(r.costBits, std::int64_t(4 * 4 + 28 * 10));
            QCOMPARE(r.memoryOverhead, (4.0 * 4 + 28 * 10) / (4 * 14));
            QCOMPARE(r.pinnedMemoryOverhead, 28.0 * 10 / (4 * 14));
            QCOMPARE(r.effectiveBits, (4.0 * 2 * 4 + 32 * 2 + 32 * 10) / 14);
            QCOMPARE(r.macOverhead, 12.0 / 82);
            QCOMPARE(r.floatMacShare, 70.0 / 82);
        }
    }

    void bitsOverride()
    {
        // b appears first at 3 bits: output order is b, a; b uses its 3-bit curves
        const std::vector<mpq::LayerCurves> curves = {
            layer("b", 10, 1, {1}, {{0.5, 0.004, 0.0001}}, 3),
            layer("a", 10, 1, {1}, {{0.1, 0.01}}),
            layer("b", 10, 1, {1}, {{0.002, 0.0001, 0.00001}}, 4)};
        mpq::AllocationSettings s = threshold(0.003);
        mpq::Allocation r = mpq::allocate(curves, s);
        QCOMPARE(r.layers[0].name, std::string("b"));
        QCOMPARE(r.layers[0].points, std::vector<int>{1});
        QCOMPARE(r.layers[0].bits, 4);
        s.overrides["b"] = {mpq::LayerOverride::Kind::Bits, 1, 3};
        r = mpq::allocate(curves, s);
        QCOMPARE(r.layers[0].points, std::vector<int>{3});
        QCOMPARE(r.layers[0].bits, 3);
        QCOMPARE(r.layers[0].effectiveBits, (3.0 * 3 * 10 + 32 * 3) / 10);
        QCOMPARE(r.layers[1].name, std::string("a"));
        // budget: b's 3-bit drop (0.496 per 10 weights) beats a's (0.09)
        s = budget(0.5);
        s.overrides["b"] = {mpq::LayerOverride::Kind::Bits, 1, 3};
        QCOMPARE(mpq::allocate(curves, s).layers[0].points, std::vector<int>{2});
        s.overrides["b"].bits = 5;
        expectError("'b'", [&] { mpq::allocate(curves, s); });
    }

    void floatLayerCostsWhatItStores()
    {
        // a small classifier whose fc1 (9000 of 9532 weights) stays float: the model is about
        // 30 bits per weight, not the 4-something of its quantized layers
        const std::vector<mpq::LayerCurves> curves = {
            layer("conv1", 27, 100, std::vector<double>(16, 1.0), Rows(16, {1e-4, 1e-5})),
            layer("fc1", 900, 1, std::vector<double>(10, 1.0), Rows(10, {1e-4, 1e-5})),
            layer("fc2", 10, 1, std::vector<double>(10, 1.0), Rows(10, {1e-4, 1e-5}))};
        mpq::AllocationSettings s = threshold(1e-3); // one point everywhere
        s.overrides["fc1"] = {mpq::LayerOverride::Kind::Float};
        const mpq::Allocation r = mpq::allocate(curves, s);
        const double frac = 9000.0 / 9532;
        const double scaleBits = 32.0 * (16 + 10) / 9532;
        QCOMPARE(r.allWeights, std::int64_t(9532));
        QCOMPARE(r.effectiveBits, 32 * frac + 4 * (1 - frac) + scaleBits);
        QVERIFY(r.effectiveBits > 29.5 && r.effectiveBits < 31);
        QCOMPARE(r.memoryOverhead, 28.0 * 9000 / (4 * 9532));
        QCOMPARE(r.extraWeights, std::int64_t(0));
    }

    void budgetDoesNotSpendFloatCostAgain()
    {
        // q: 10 channels of d = 10 (40 bits a point); f: 10 float weights cost 28 * 10 = 280
        // bits of the 4 * 110 = 440-bit reference. A 75 % budget (330 bits) leaves 50 bits: one
        // point, not the 7 that 75 % of q's own weights would buy
        const auto q = layer("q", 10, 1, std::vector<double>(10, 1.0), Rows(10, {1, 0.1}));
        const auto f = layer("f", 10, 1, {1}, {{1, 0.1}});
        mpq::AllocationSettings s = budget(0.75);
        s.overrides["f"] = {mpq::LayerOverride::Kind::Float};
        const mpq::Allocation r = mpq::allocate({q, f}, s);
        QCOMPARE(r.extraWeights, std::int64_t(10));
        QCOMPARE(r.costBits, std::int64_t(280 + 40));
        QCOMPARE(r.memoryOverhead, 320.0 / 440);
        QVERIFY(r.memoryOverhead <= 0.75);
        QVERIFY(r.warnings.empty());
    }

    void pinsAboveBudgetWarnAndKeepOthersAtOnePoint_data()
    {
        QTest::addColumn<mpq::BudgetCost>("cost");
        QTest::addRow("memory") << mpq::BudgetCost::Memory;
        QTest::addRow("MACs") << mpq::BudgetCost::Macs;
    }
    void pinsAboveBudgetWarnAndKeepOthersAtOnePoint()
    {
        QFETCH(mpq::BudgetCost, cost);
        const auto q = layer("q", 10, 2, std::vector<double>(4, 1.0), Rows(4, {1, 0.1}));
        const auto p = layer("p", 10, 2, {1, 1}, {{1, 0.1, 0.01}, {1, 0.1, 0.01}});
        mpq::AllocationSettings s = budget(0.2, cost);
        s.overrides["p"] = {mpq::LayerOverride::Kind::Points, 3}; // 40 of 60 weights extra
        const mpq::Allocation r = mpq::allocate({q, p}, s);
        QCOMPARE(r.layers[0].points, std::vector<int>(4, 1));
        QCOMPARE(r.layers[1].points, (std::vector<int>{3, 3}));
        QCOMPARE(r.warnings.size(), size_t(1));
        QVERIFY(QString::fromStdString(r.warnings[0]).contains("pinned"));
        QCOMPARE(r.pinnedMemoryOverhead, 40.0 / 60);
        QCOMPARE(r.pinnedMacOverhead, 80.0 / 120);
        // within the budget: no warning, and the rest is spent
        s.budget = 1.0;
        const mpq::Allocation fits = mpq::allocate({q, p}, s);
        QVERIFY(fits.warnings.empty());
        QCOMPARE(fits.layers[0].points, (std::vector<int>{2, 2, 1, 1}));
    }

    void pinBelowBitsFreesBudget()
    {
        // p at 2 bits instead of 4 frees 2 * 20 = 40 bits: with no budget at all, q (d = 10,
        // 40 bits a point) buys one point from it
        const auto q = layer("q", 10, 1, {1, 1}, {{1, 0.1}, {1, 0.2}});
        const std::vector<mpq::LayerCurves> curves = {
            q, layer("p", 10, 1, {1, 1}, {{1, 1}, {1, 1}}, 2),
            layer("p", 10, 1, {1, 1}, {{1, 1}, {1, 1}})};
        mpq::AllocationSettings s = budget(0.0);
        s.overrides["p"] = {mpq::LayerOverride::Kind::Bits, 1, 2};
        const mpq::Allocation r = mpq::allocate(curves, s);
        QCOMPARE(r.layers[0].points, (std::vector<int>{2, 1}));
        QCOMPARE(r.layers[1].bits, 2);
        QCOMPARE(r.costBits, std::int64_t(0));
        QCOMPARE(r.memoryOverhead, 0.0);
        QCOMPARE(r.pinnedMemoryOverhead, -40.0 / 160);
        QVERIFY(r.warnings.empty());
        // a MAC budget gains nothing from fewer bits
        s.cost = mpq::BudgetCost::Macs;
        QCOMPARE(mpq::allocate(curves, s).layers[0].points, (std::vector<int>{1, 1}));
    }

    void macBudgetExcludesFloatMacs()
    {
        // q: 100 MACs; f (float): 900 MACs, shown apart, in the denominator, never charged.
        // A 10 % MAC budget is 100 MACs: q's point fits
        const auto q = layer("q", 10, 10, {1}, {{1, 0.1}});
        const auto f = layer("f", 10, 90, {1}, {{1, 0.1}});
        mpq::AllocationSettings s = budget(0.1, mpq::BudgetCost::Macs);
        s.overrides["f"] = {mpq::LayerOverride::Kind::Float};
        const mpq::Allocation r = mpq::allocate({q, f}, s);
        QCOMPARE(r.layers[0].points, std::vector<int>{2});
        QVERIFY(r.warnings.empty());
        QCOMPARE(r.allMacs, std::int64_t(1000));
        QCOMPARE(r.floatMacs, std::int64_t(900));
        QCOMPARE(r.extraMacs, std::int64_t(100));
        QCOMPARE(r.macOverhead, 0.1);
        QCOMPARE(r.floatMacShare, 0.9);
        QCOMPARE(r.pinnedMacOverhead, 0.0);
    }

    void denominatorsForTheBaselines()
    {
        // each name once, whatever bits its entries are at
        const std::vector<mpq::LayerCurves> curves = {layer("a", 3, 5, {1, 1}, {{1}, {1}}),
                                                      layer("b", 7, 2, {1}, {{1}}, 3),
                                                      layer("b", 7, 2, {1}, {{1}})};
        QCOMPARE(mpq::quantizableWeights(curves), std::int64_t(6 + 7));
        QCOMPARE(mpq::quantizableMacs(curves), std::int64_t(30 + 14));
        mpq::AllocationSettings s = threshold(0.5);
        s.overrides["b"] = {mpq::LayerOverride::Kind::Float};
        const mpq::Allocation r = mpq::allocate(curves, s);
        QCOMPARE(r.allWeights, mpq::quantizableWeights(curves));
        QCOMPARE(r.allMacs, mpq::quantizableMacs(curves));
    }

    void figures()
    {
        // channel 0 silent: rho uses the layer mean s = 2; the layer sum is (0.1 + 0.4) / 4
        const auto c = layer("conv", 3, 2, {0, 4}, {{0.1, 0.01}, {0.4, 0.04}});
        QCOMPARE(mpq::guardedSignal(c, 0), 2.0);
        QCOMPARE(mpq::guardedSignal(c, 1), 4.0);
        QCOMPARE(mpq::channelRelativeError(c, 0, 2), 0.005);
        QCOMPARE(mpq::channelRelativeError(c, 1, 1), 0.1);
        QCOMPARE(mpq::layerRelativeError(c, 1), 0.5 / 4);
        QCOMPARE(mpq::sqnrDbOf(0.01), 20.0);
        QCOMPARE(mpq::sqnrDbOf(0.0), std::numeric_limits<double>::infinity());
        // what allocate reports for all channels at n, the figure reports too
        mpq::AllocationSettings s = threshold(1e-9);
        s.overrides["conv"] = {mpq::LayerOverride::Kind::Points, 2};
        QCOMPARE(mpq::allocate({c}, s).layers[0].relativeError, mpq::layerRelativeError(c, 2));
        // a silent layer: +inf with error, 0 without
        const auto dead = layer("dead", 3, 2, {0, 0}, {{1, 0.1}, {0, 0}});
        QCOMPARE(mpq::guardedSignal(dead, 0), 0.0);
        QCOMPARE(mpq::channelRelativeError(dead, 0, 1), std::numeric_limits<double>::infinity());
        QCOMPARE(mpq::channelRelativeError(dead, 1, 1), 0.0);
        QCOMPARE(mpq::layerRelativeError(dead, 2), std::numeric_limits<double>::infinity());
    }

    void tradeOffMatchesAllocate()
    {
        std::mt19937_64 rng(7);
        const std::vector<mpq::LayerCurves> curves = {convexLayer(rng, "a", 6, 4, 3, 5),
                                                      convexLayer(rng, "b", 4, 4, 5, 2),
                                                      convexLayer(rng, "f", 2, 4, 9, 1)};
        mpq::AllocationSettings s = budget(123.0); // ignored
        s.overrides["f"] = {mpq::LayerOverride::Kind::Float};
        const mpq::TradeOffCurves t = mpq::tradeOff(curves, s, 7);
        QCOMPARE(mpq::tradeOffEpsilons(7).front(), 1e-6);
        QCOMPARE(mpq::tradeOffEpsilons(7).back(), 1.0);
        QCOMPARE(t.threshold.size(), size_t(7));
        QVERIFY(!t.budget.empty());
        for (const mpq::TradeOffPoint &p : t.threshold) {
            mpq::AllocationSettings one = threshold(p.parameter);
            one.overrides = s.overrides;
            const mpq::Allocation a = mpq::allocate(curves, one);
            QCOMPARE(p.totalError, a.totalError);
            QCOMPARE(p.memoryOverhead, a.memoryOverhead);
            QCOMPARE(p.macOverhead, a.macOverhead);
            QCOMPARE(p.effectiveBits, a.effectiveBits);
        }
        for (std::size_t k = 1; k < t.budget.size(); ++k)
            QVERIFY(t.budget[k].parameter > t.budget[k - 1].parameter);
        for (const mpq::TradeOffPoint &p : t.budget)
            QVERIFY(p.memoryOverhead <= p.parameter);
        // The budget curve starts at what the float pin alone costs and covers the budgets of
        // a fixed grid above it, whatever the threshold rule's overheads.
        double top = 0.0;
        for (const mpq::TradeOffPoint &p : t.threshold)
            top = std::max(top, p.memoryOverhead);
        mpq::AllocationSettings pinsOnly = budget(0.0);
        pinsOnly.overrides = s.overrides;
        const double floor = mpq::allocate(curves, pinsOnly).memoryOverhead;
        QVERIFY(floor > 0.0);
        QCOMPARE(t.budget.front().parameter, floor);
        int onGrid = 0;
        for (double b : {0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0})
            if (b > floor && b <= top) {
                ++onGrid;
                QVERIFY(std::any_of(t.budget.begin(), t.budget.end(),
                                    [b](const mpq::TradeOffPoint &p) { return p.parameter == b; }));
            }
        QVERIFY2(onGrid > 0, qPrintable(QStringLiteral("floor %1, top %2").arg(floor).arg(top)));
        // The curve is of the rule as configured: its totalError is what allocate() reports
        // with the same weighting and bias correction.
        for (bool corrected : {false, true}) {
            mpq::AllocationSettings c = s;
            c.biasCorrection = corrected;
            const mpq::TradeOffCurves tc = mpq::tradeOff(curves, c, 7);
            mpq::AllocationSettings one = threshold(tc.threshold[3].parameter);
            one.overrides = s.overrides;
            one.biasCorrection = corrected;
            QCOMPARE(tc.threshold[3].totalError, mpq::allocate(curves, one).totalError);
        }
    }

    void reportCarriesAllLayerTotals()
    {
        // the JSON and CSV reports show the same all-layer figures as the allocation
        mpq::Analysis analysis;
        analysis.settings.bits = 4;
        analysis.curves = {layer("q", 10, 3, {1, 1}, {{1, 0.1}, {1, 0.1}}),
                           layer("f", 20, 5, {1}, {{1, 0.1}})};
        for (const auto &c : analysis.curves) {
            mpq::LayerInfo info;
            info.name = c.name;
            info.outChannels = c.channels;
            info.d = c.d;
            info.weightShape = {c.channels, c.d};
            analysis.layers.push_back(info);
            analysis.callsPerForward.push_back(1.0);
        }
        mpq::AllocationSettings s = budget(0.01);
        s.overrides["f"] = {mpq::LayerOverride::Kind::Float};
        const mpq::Allocation a = mpq::allocate(analysis.curves, s);
        QCOMPARE(a.warnings.size(), size_t(1)); // 28 * 20 bits alone exceed 1 % of 4 * 40
        const QJsonObject report =
            QJsonDocument::fromJson(QByteArray::fromStdString(mpq::reportJson(analysis, a, s)))
                .object();
        const QJsonObject model = report["model"].toObject();
        QCOMPARE(model["weights"].toInteger(), 40);
        QCOMPARE(model["quantized_weights"].toInteger(), 20);
        QCOMPARE(model["float_weights"].toInteger(), 20);
        QCOMPARE(model["stored_bits"].toInteger(), 4 * 20 + 32 * 20);
        QCOMPARE(model["overhead"].toDouble(), a.memoryOverhead);
        QCOMPARE(model["overhead"].toDouble(), 28.0 * 20 / (4 * 40));
        QCOMPARE(model["effective_bits"].toDouble(), (4.0 * 20 + 32 * 2 + 32 * 20) / 40);
        QCOMPARE(model["macs"].toInteger(), 60 + 100);
        QCOMPARE(model["float_macs"].toInteger(), 100);
        QCOMPARE(report["warnings"].toArray().size(), 1);
        const QJsonObject f = report["layers"].toArray()[1].toObject();
        QVERIFY(f["float"].toBool() && f["pinned"].toBool());
        QCOMPARE(f["overhead"].toDouble(), 7.0);
        QCOMPARE(f["float_macs"].toInteger(), 100);
        const std::string csv = mpq::reportCsv(analysis, a);
        const std::string total = csv.substr(csv.rfind("TOTAL"));
        QVERIFY2(total.find(",40," + std::to_string(4 * 20 + 32 * 20) + ",160,0,100") !=
                     std::string::npos,
                 total.c_str());
    }

    void costFigures()
    {
        // epsilon 0.01 gives a = {1, 2}, b = {2}, c = {1} (c pinned to 3 bits)
        const std::vector<mpq::LayerCurves> curves = {
            layer("a", 100, 4, {1, 3}, {{0.01, 0.001}, {0.3, 0.03}}),
            layer("b", 50, 9, {10}, {{1, 0.001, 0.0001}}), layer("c", 10, 1, {1}, {{0.005}}, 3),
            layer("d", 2, 3, {1}, {{0.0, 0.0}})};
        mpq::AllocationSettings s = threshold(0.01);
        s.overrides["c"] = {mpq::LayerOverride::Kind::Bits, 1, 3};
        const mpq::Allocation r = mpq::allocate(curves, s);
        const auto &a = r.layers[0], &b = r.layers[1], &c = r.layers[2], &d = r.layers[3];
        QCOMPARE(a.points, (std::vector<int>{1, 2}));
        QCOMPARE(b.points, std::vector<int>{2});
        QCOMPARE(a.weights, std::int64_t(200));
        QCOMPARE(a.extraWeights, std::int64_t(100));
        QCOMPARE(a.macs, std::int64_t(800));
        QCOMPARE(a.extraMacs, std::int64_t(400));
        QCOMPARE(a.overhead, 0.5);
        QCOMPARE(a.macOverhead, 0.5);
        QCOMPARE(a.effectiveBits, (4.0 * 3 * 100 + 32 * 3) / 200);
        QCOMPARE(a.relativeError, (0.01 + 0.03) / 4);
        QCOMPARE(a.sqnrDb, -10 * std::log10((0.01 + 0.03) / 4));
        QCOMPARE(b.extraMacs, std::int64_t(450));
        QCOMPARE(b.overhead, 1.0);
        QCOMPARE(b.effectiveBits, (4.0 * 2 * 50 + 32 * 2) / 50);
        QCOMPARE(b.sqnrDb, 40.0);
        QCOMPARE(c.effectiveBits, (3.0 * 10 + 32) / 10);
        QCOMPARE(c.storedBits, std::int64_t(30));
        QCOMPARE(c.costBits, std::int64_t(-10)); // 3 bits instead of 4 frees budget
        QCOMPARE(c.overhead, -0.25);
        QCOMPARE(d.sqnrDb, std::numeric_limits<double>::infinity());
        QCOMPARE(r.quantizedWeights, std::int64_t(262));
        QCOMPARE(r.extraWeights, std::int64_t(150));
        QCOMPARE(r.allWeights, std::int64_t(262));
        QCOMPARE(r.costBits, std::int64_t(4 * 150 - 10));
        QCOMPARE(r.memoryOverhead, (4.0 * 150 - 10) / (4 * 262));
        QCOMPARE(r.quantizedMacs, std::int64_t(800 + 450 + 10 + 6));
        QCOMPARE(r.allMacs, std::int64_t(1266));
        QCOMPARE(r.macOverhead, 850.0 / 1266);
        QCOMPARE(r.floatMacs, std::int64_t(0));
        QCOMPARE(r.effectiveBits,
                 (4.0 * 300 + 96 + 4.0 * 100 + 64 + 3.0 * 10 + 32 + 4.0 * 2 + 32) / 262);
        QCOMPARE(r.totalError, a.relativeError + b.relativeError + c.relativeError);
    }

    void badInput()
    {
        const std::vector<mpq::LayerCurves> good = {
            layer("conv1", 4, 2, {1, 2}, {{1, 0.1}, {2, 0.2}})};
        QVERIFY(!mpq::allocate(good, threshold(0.5)).layers.empty());
        using Edit =
            std::function<void(std::vector<mpq::LayerCurves> &, mpq::AllocationSettings &)>;
        const std::vector<std::pair<const char *, Edit>> cases = {
            {"epsilon", [](auto &, auto &s) { s.epsilon = 0; }},
            {"epsilon", [](auto &, auto &s) { s.epsilon = -1; }},
            {"epsilon", [](auto &, auto &s) { s.epsilon = std::nan(""); }},
            {"budget", [](auto &, auto &s) { s.budget = -0.01; }},
            {"budget", [](auto &, auto &s) { s.budget = std::nan(""); }},
            {"'conv1': signal", [](auto &c, auto &) { c[0].signal.pop_back(); }},
            {"'conv1': error", [](auto &c, auto &) { c[0].error.push_back(0); }},
            {"'conv1': error", [](auto &c, auto &) { c[0].maxPoints = 3; }},
            {"'conv1': maxPoints", [](auto &c, auto &) { c[0].maxPoints = 0; }},
            {"'conv1': channels", [](auto &c, auto &) { c[0].channels = 0; }},
            {"channel 1, n = 2 is NaN", [](auto &c, auto &) { c[0].error[3] = std::nan(""); }},
            {"s_c at channel 0 is NaN", [](auto &c, auto &) { c[0].signal[0] = std::nan(""); }},
            {"'conv1': e_c(n)", [](auto &c, auto &) { c[0].error[1] = -1; }},
            {"'conv1': no curves at 3 bits", [](auto &, auto &s) { s.bits = 3; }},
            {"'conv1': curves at 4 bits given twice", [](auto &c, auto &) { c.push_back(c[0]); }},
            {"'conv1': a Points override",
             [](auto &, auto &s) {
                 s.overrides["conv1"] = {mpq::LayerOverride::Kind::Points, 0};
             }},
        };
        for (const auto &[needle, edit] : cases) {
            for (auto rule : {mpq::AllocationRule::Threshold, mpq::AllocationRule::Budget}) {
                std::vector<mpq::LayerCurves> curves = good;
                mpq::AllocationSettings settings = threshold(0.5);
                settings.rule = rule;
                edit(curves, settings);
                expectError(needle, [&] { mpq::allocate(curves, settings); });
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestAllocationCosts)
#include "tst_allocationcosts.moc"
