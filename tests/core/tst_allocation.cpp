// Point allocation: the threshold and budget rules (memory and MACs, convex hull, brute-force
// optimum, random and rough curves).
#include "allocationfixtures.h"

#include <QtTest>

Q_DECLARE_METATYPE(mpq::BudgetCost)
Q_DECLARE_METATYPE(mpq::AllocationRule)

using namespace alloctest;

class TestAllocation : public QObject
{
    Q_OBJECT
private slots:
    void thresholdKnownPoints_data()
    {
        QTest::addColumn<double>("epsilon");
        QTest::addColumn<std::vector<int>>("expected");
        QTest::addRow("0.2") << 0.2 << std::vector<int>{1, 1, 1};
        QTest::addRow("0.05") << 0.05 << std::vector<int>{2, 2, 1};
        QTest::addRow("0.01 (channel 1 never)") << 0.01 << std::vector<int>{2, 4, 1};
        QTest::addRow("1e-3 (rho equal to epsilon)") << 1e-3 << std::vector<int>{3, 4, 1};
        QTest::addRow("5e-4") << 5e-4 << std::vector<int>{4, 4, 2};
        QTest::addRow("1e-5") << 1e-5 << std::vector<int>{4, 4, 4};
    }
    void thresholdKnownPoints()
    {
        QFETCH(double, epsilon);
        QFETCH(std::vector<int>, expected);
        // rho: channel 0 1e-1..1e-4, channel 1 0.1..0.0125, channel 2 1e-3, 5e-4, 2.5e-4, 0
        const auto c =
            layer("conv", 9, 4, {1, 10, 2},
                  {{0.1, 0.01, 0.001, 1e-4}, {1, 0.5, 0.25, 0.125}, {2e-3, 1e-3, 5e-4, 0}});
        const mpq::Allocation a = mpq::allocate({c}, threshold(epsilon));
        QCOMPARE(a.layers.size(), size_t(1));
        QCOMPARE(a.layers[0].points, expected);
        QCOMPARE(a.layers[0].maxPoints, *std::max_element(expected.begin(), expected.end()));
        QCOMPARE(a.layers[0].meanPoints, (expected[0] + expected[1] + expected[2]) / 3.0);
    }

    void thresholdMonotoneInEpsilon()
    {
        for (std::uint64_t seed = 1; seed <= 40; ++seed) {
            std::mt19937_64 rng(seed);
            const auto c = seed % 2 ? convexLayer(rng, "l", 30, 8, 4, 1) : roughLayer(rng, "l", 4);
            std::vector<int> previous(c.channels, 1);
            for (double epsilon = 1.0; epsilon > 1e-7; epsilon /= 3) {
                const mpq::Allocation a = mpq::allocate({c}, threshold(epsilon));
                checkNoRisingChoice(c, a.layers[0]);
                for (std::int64_t ch = 0; ch < c.channels; ++ch)
                    QVERIFY(a.layers[0].points[ch] >= previous[ch]);
                previous = a.layers[0].points;
            }
        }
    }

    void thresholdFallsBackToLeastError()
    {
        // nothing reaches 1e-3: the least error is at n = 2 and again at n = 4 (smallest wins);
        // the second channel rises after n = 1, so it keeps one point
        const auto c = layer("fc", 8, 1, {1, 1}, {{0.5, 0.2, 0.3, 0.2}, {0.4, 0.6, 0.5, 0.45}});
        QCOMPARE(mpq::allocate({c}, threshold(1e-3)).layers[0].points, (std::vector<int>{2, 1}));
    }

    void thresholdZeroSignalGuard()
    {
        // channel 0 has no signal: rho uses the layer mean s = 2, so rho = 0.05, 0.005, 0.0005
        const auto c = layer("conv", 3, 2, {0, 4, 2},
                             {{0.1, 0.01, 0.001}, {0.4, 0.04, 0.004}, {1, 0.1, 0.01}});
        QCOMPARE(mpq::allocate({c}, threshold(0.01)).layers[0].points, (std::vector<int>{2, 2, 3}));
        // a layer without any signal: every channel keeps one point under both rules
        const auto dead = layer("dead", 3, 2, {0, 0}, {{1, 0.1}, {0, 0}});
        for (const auto &settings : {threshold(1e-3), budget(1.0)}) {
            const mpq::Allocation a = mpq::allocate({dead}, settings);
            QCOMPARE(a.layers[0].points, (std::vector<int>{1, 1}));
            QCOMPARE(a.layers[0].relativeError, std::numeric_limits<double>::infinity());
        }
    }

    void budgetMatchesBruteForce_data()
    {
        QTest::addColumn<std::uint64_t>("seed");
        QTest::addColumn<mpq::BudgetCost>("cost");
        for (std::uint64_t seed = 1; seed <= 6; ++seed) {
            QTest::addRow("memory, seed %d", int(seed)) << seed << mpq::BudgetCost::Memory;
            QTest::addRow("MACs, seed %d", int(seed)) << seed << mpq::BudgetCost::Macs;
        }
    }
    void budgetMatchesBruteForce()
    {
        QFETCH(std::uint64_t, seed);
        QFETCH(mpq::BudgetCost, cost);
        std::mt19937_64 rng(seed);
        const std::vector<mpq::LayerCurves> layers = {convexLayer(rng, "a", 3, 3, 2, 5),
                                                      convexLayer(rng, "b", 3, 3, 3, 2)};
        const std::int64_t total = 3 * unitCost(layers[0], cost) + 3 * unitCost(layers[1], cost);
        auto all = steps(layers, cost);
        double largestStep = 0;
        for (const auto &step : all)
            largestStep = std::max(largestStep, step.first);

        // budgets that the best steps exhaust exactly: the greedy is then optimal
        std::sort(all.begin(), all.end(), [](const auto &x, const auto &y) {
            return x.first / x.second > y.first / y.second;
        });
        std::int64_t prefix = 0;
        for (std::size_t k = 0;; ++k) {
            const mpq::Allocation a = mpq::allocate(layers, budget(double(prefix) / total, cost));
            QCOMPARE(cost == mpq::BudgetCost::Memory ? a.extraWeights : a.extraMacs, prefix);
            QVERIFY(qAbs(a.totalError - bruteForceOptimum(layers, cost, prefix)) < 1e-12);
            if (k == all.size())
                break;
            prefix += all[k].second;
        }
        // any budget: feasible, never better than the optimum, never worse by a whole step
        double previous = std::numeric_limits<double>::infinity();
        for (std::int64_t limit = 0; limit <= prefix; ++limit) {
            const mpq::Allocation a = mpq::allocate(layers, budget(double(limit) / total, cost));
            const double best = bruteForceOptimum(layers, cost, limit);
            QVERIFY((cost == mpq::BudgetCost::Memory ? a.extraWeights : a.extraMacs) <= limit);
            QVERIFY(a.totalError >= best - 1e-12);
            QVERIFY(a.totalError <= best + largestStep + 1e-12);
            QVERIFY(a.totalError <= previous + 1e-12);
            previous = a.totalError;
        }
    }

    void memoryAndMacsChooseDifferently()
    {
        // same d: "early" has 100x the output positions and the larger drop
        const std::vector<mpq::LayerCurves> layers = {layer("early", 10, 100, {1}, {{1, 0.1}}),
                                                      layer("late", 10, 1, {1}, {{1, 0.5}})};
        const mpq::Allocation memory = mpq::allocate(layers, budget(0.5));
        QCOMPARE(memory.layers[0].points, std::vector<int>{2});
        QCOMPARE(memory.layers[1].points, std::vector<int>{1});
        QCOMPARE(memory.memoryOverhead, 0.5);
        QCOMPARE(memory.macOverhead, 1000.0 / 1010.0);
        // MACs: the late point (10 MACs, drop 0.5) first; the early one (1000 MACs) won't fit
        const mpq::Allocation macs =
            mpq::allocate(layers, budget(1000.0 / 1010, mpq::BudgetCost::Macs));
        QCOMPARE(macs.layers[0].points, std::vector<int>{1});
        QCOMPARE(macs.layers[1].points, std::vector<int>{2});
        QCOMPARE(macs.macOverhead, 10.0 / 1010.0);
        QCOMPARE(macs.memoryOverhead, 0.5);
    }

    void budgetSkipsStepsThatDoNotFit()
    {
        // by gain per weight: big (0.9 / 30) > small (0.4 / 20); a 25-weight budget skips the
        // big step and still buys the small one
        const std::vector<mpq::LayerCurves> layers = {layer("big", 30, 1, {1}, {{1, 0.1}}),
                                                      layer("small", 20, 1, {1}, {{1, 0.6}})};
        const mpq::Allocation a = mpq::allocate(layers, budget(25.0 / 50));
        QCOMPARE(a.layers[0].points, std::vector<int>{1});
        QCOMPARE(a.layers[1].points, std::vector<int>{2});
        // a rising point is jumped over by one hull step: 1 -> 3 costs two points
        const auto rising = layer("rising", 10, 1, {1}, {{1, 1.5, 0.2}});
        QCOMPARE(mpq::allocate({rising}, budget(1.0)).layers[0].points, std::vector<int>{1});
        QCOMPARE(mpq::allocate({rising}, budget(2.0)).layers[0].points, std::vector<int>{3});
    }

    void extraPointsOfFewerBitsCostLess()
    {
        // docs/multipoint.md section 11: with the same curves, points of e bits cost e/b of a
        // b-bit point's memory, so a memory budget buys more of them; MACs and the threshold
        // rule do not depend on e
        std::mt19937_64 rng(17);
        std::vector<mpq::LayerCurves> paper = {convexLayer(rng, "a", 24, 6, 9, 30),
                                               convexLayer(rng, "b", 16, 6, 27, 8),
                                               convexLayer(rng, "c", 8, 6, 64, 2)};
        std::vector<mpq::LayerCurves> sign = paper;
        for (mpq::LayerCurves &c : sign)
            c.extraBits = 1;
        const auto extraWeights = [](const mpq::Allocation &a) {
            std::int64_t n = 0;
            for (const mpq::LayerAllocation &l : a.layers)
                n += l.extraWeights;
            return n;
        };
        const mpq::Allocation p = mpq::allocate(paper, budget(0.1));
        const mpq::Allocation q = mpq::allocate(sign, budget(0.1));
        QVERIFY(p.memoryOverhead <= 0.1 && q.memoryOverhead <= 0.1);
        QVERIFY(p.memoryOverhead > 0.09 && q.memoryOverhead > 0.09);
        for (const mpq::LayerAllocation &l : q.layers) {
            QCOMPARE(l.extraBits, 1);
            QCOMPARE(l.storedBits, 4 * l.weights + l.extraWeights);
            QCOMPARE(l.overhead, double(l.extraWeights) / (4.0 * double(l.weights)));
        }
        for (const mpq::LayerAllocation &l : p.layers) {
            QCOMPARE(l.extraBits, 4);
            QCOMPARE(l.storedBits, 4 * (l.weights + l.extraWeights));
        }
        // every cost divided by 4: the same order of steps, about 4 times as many
        QVERIFY2(extraWeights(q) > 3 * extraWeights(p),
                 qPrintable(QString("%1 against %2").arg(extraWeights(q)).arg(extraWeights(p))));
        QVERIFY(q.totalError < p.totalError);
        QVERIFY(q.macOverhead > p.macOverhead);
        // a MAC budget and the threshold rule choose the same points, at less memory
        const mpq::Allocation pm = mpq::allocate(paper, budget(0.3, mpq::BudgetCost::Macs));
        const mpq::Allocation qm = mpq::allocate(sign, budget(0.3, mpq::BudgetCost::Macs));
        const mpq::Allocation pt = mpq::allocate(paper, threshold(0.01));
        const mpq::Allocation qt = mpq::allocate(sign, threshold(0.01));
        for (std::size_t l = 0; l < paper.size(); ++l) {
            QCOMPARE(qm.layers[l].points, pm.layers[l].points);
            QCOMPARE(qt.layers[l].points, pt.layers[l].points);
        }
        QCOMPARE(qm.macOverhead, pm.macOverhead);
        QVERIFY(qt.memoryOverhead < pt.memoryOverhead);
        QCOMPARE(qt.memoryOverhead, pt.memoryOverhead / 4);
        // extra bits above the layer's bits are refused, naming the layer
        sign[1].extraBits = 5;
        try {
            mpq::allocate(sign, budget(0.1));
            QFAIL("extra-point bits above the bits were accepted");
        } catch (const mpq::Error &e) {
            QVERIFY2(QString(e.what()).contains("b") && QString(e.what()).contains("extra-point"),
                     e.what());
        }
    }

    void budgetUsesLowerConvexHull()
    {
        // "late" drops little first, then a lot: its hull step 1 -> 3 gains 0.45 per point,
        // more than "steady"'s 0.3, so two points go to "late" (point by point, "steady" would
        // win first and leave 0.1 for the second point)
        const std::vector<mpq::LayerCurves> layers = {layer("late", 1, 1, {1}, {{1, 0.9, 0.1}}),
                                                      layer("steady", 1, 1, {1}, {{1, 0.7, 0.6}})};
        const mpq::Allocation a = mpq::allocate(layers, budget(2.0 / 2));
        QCOMPARE(a.layers[0].points, std::vector<int>{3});
        QCOMPARE(a.layers[1].points, std::vector<int>{1});
        QCOMPARE(a.totalError, 0.1 + 1.0);
        // collinear points stay separate steps: one point fits and is bought
        const auto straight = layer("straight", 1, 1, {1}, {{1, 0.5, 0}});
        QCOMPARE(mpq::allocate({straight}, budget(1.0 / 1)).layers[0].points, std::vector<int>{2});
    }

    void budgetReachesItsExactFraction()
    {
        // 0.29 * 100 is 28.999999999999996 in floating point; 29 / 100 is still <= 0.29
        const auto c = layer("l", 1, 1, std::vector<double>(100, 1.0), Rows(100, {1, 0.5}));
        const mpq::Allocation a = mpq::allocate({c}, budget(0.29));
        QCOMPARE(a.extraWeights, std::int64_t(29));
        QVERIFY(a.memoryOverhead <= 0.29);
    }

    void randomCurvesKeepInvariants_data()
    {
        QTest::addColumn<mpq::AllocationRule>("rule");
        QTest::addColumn<mpq::BudgetCost>("cost");
        QTest::addRow("threshold") << mpq::AllocationRule::Threshold << mpq::BudgetCost::Memory;
        QTest::addRow("budget, memory") << mpq::AllocationRule::Budget << mpq::BudgetCost::Memory;
        QTest::addRow("budget, MACs") << mpq::AllocationRule::Budget << mpq::BudgetCost::Macs;
    }
    void randomCurvesKeepInvariants()
    {
        QFETCH(mpq::AllocationRule, rule);
        QFETCH(mpq::BudgetCost, cost);
        for (std::uint64_t seed = 1; seed <= 150; ++seed) {
            std::mt19937_64 rng(seed);
            std::uniform_real_distribution<double> u(0.0, 1.0);
            std::vector<mpq::LayerCurves> curves;
            mpq::AllocationSettings settings = budget(0, cost);
            settings.rule = rule;
            const int layerCount = 1 + int(u(rng) * 4);
            for (int l = 0; l < layerCount; ++l) {
                const std::string name = "layer" + std::to_string(l);
                curves.push_back(roughLayer(rng, name, 4));
                const double kind = u(rng);
                if (kind < 0.15)
                    settings.overrides[name] = {mpq::LayerOverride::Kind::Points,
                                                1 + int(u(rng) * 9)};
                else if (kind < 0.25)
                    settings.overrides[name] = {mpq::LayerOverride::Kind::Float};
                else if (kind < 0.35) {
                    settings.overrides[name] = {mpq::LayerOverride::Kind::Bits, 1, 3};
                    curves.push_back(roughLayer(rng, name, 3));
                }
            }
            std::vector<double> budgets(6);
            for (double &b : budgets)
                b = u(rng) * u(rng) * 2;
            std::sort(budgets.begin(), budgets.end());
            double previous = std::numeric_limits<double>::infinity();
            for (double b : budgets) {
                settings.budget = b;
                settings.epsilon = std::pow(10.0, -6 * u(rng));
                const mpq::Allocation a = mpq::allocate(curves, settings);
                checkAllocation(curves, settings, a);
                if (QTest::currentTestFailed())
                    QFAIL(qPrintable(QString("seed %1, budget %2").arg(seed).arg(b)));
                if (rule == mpq::AllocationRule::Budget) { // nested budgets: never worse
                    QVERIFY(a.totalError <= previous * (1 + 1e-12));
                    previous = a.totalError;
                }
            }
        }
    }

    void budgetFallsBackToAffordableStep()
    {
        // defect 6: the hull step 1 -> 3 (gain 0.45 per point) does not fit one extra weight
        // per weight; the affordable step 1 -> 2 does, and brute force takes it
        const auto late = layer("late", 1, 1, {1}, {{1, 0.9, 0.1}});
        const mpq::Allocation a = mpq::allocate({late}, budget(1.0));
        QCOMPARE(a.layers[0].points, std::vector<int>{2});
        QCOMPARE(a.totalError, bruteForceOptimum({late}, mpq::BudgetCost::Memory, 1));
        // collinear on paper, not in floating point (0.3 - 0.2 > 0.2 - 0.1): one point is a
        // step of its own, not half of a two-point step
        const auto straight = layer("straight", 1, 1, {1}, {{0.3, 0.2, 0.1}});
        QCOMPARE(mpq::allocate({straight}, budget(1.0)).layers[0].points, std::vector<int>{2});
        QCOMPARE(mpq::allocate({straight}, budget(2.0)).layers[0].points, std::vector<int>{3});
        // the fallback competes at its own gain: "steady" (0.3 per point) beats late's 1 -> 2
        // (0.1), and after it nothing fits
        const mpq::Allocation both =
            mpq::allocate({late, layer("steady", 1, 1, {1}, {{1, 0.7, 0.6}})}, budget(1.0 / 2));
        QCOMPARE(both.layers[0].points, std::vector<int>{1});
        QCOMPARE(both.layers[1].points, std::vector<int>{2});
    }

    void budgetNearBruteForceOnRoughCurves_data()
    {
        QTest::addColumn<mpq::BudgetCost>("cost");
        QTest::addRow("memory") << mpq::BudgetCost::Memory;
        QTest::addRow("MACs") << mpq::BudgetCost::Macs;
    }
    void budgetNearBruteForceOnRoughCurves()
    {
        // non-convex curves: the greedy takes hull steps in the order of the LP relaxation up to
        // the first one that does not fit, so it stays within that step's drop of the optimum;
        // bounded here by the largest drop any one channel can make
        QFETCH(mpq::BudgetCost, cost);
        for (std::uint64_t seed = 1; seed <= 60; ++seed) {
            std::mt19937_64 rng(seed);
            std::uniform_real_distribution<double> u(0.0, 1.0);
            std::vector<mpq::LayerCurves> layers;
            for (int l = 0; l < 2; ++l) {
                const std::int64_t channels = 1 + std::int64_t(u(rng) * 2.5);
                std::vector<double> signal(channels);
                Rows rows(channels);
                for (std::int64_t c = 0; c < channels; ++c) {
                    signal[c] = 0.5 + u(rng);
                    double e = signal[c] * (0.1 + u(rng));
                    for (int n = 0; n < 4; ++n) {
                        rows[c].push_back(e);
                        const double p = u(rng);
                        e *= p < 0.25 ? 1 + 0.5 * u(rng) : p < 0.5 ? 0.9 + 0.1 * u(rng) : u(rng);
                    }
                }
                layers.push_back(layer("l" + std::to_string(l), 1 + std::int64_t(u(rng) * 4),
                                       1 + std::int64_t(u(rng) * 4), signal, rows));
            }
            std::int64_t total = 0, most = 0;
            double largestDrop = 0;
            for (const auto &c : layers) {
                total += c.channels * unitCost(c, cost);
                most += c.channels * (c.maxPoints - 1) * unitCost(c, cost);
                for (std::int64_t ch = 0; ch < c.channels; ++ch) {
                    double lowest = c.errorAt(ch, 1);
                    for (int n = 2; n <= c.maxPoints; ++n)
                        lowest = std::min(lowest, c.errorAt(ch, n));
                    largestDrop = std::max(largestDrop, (c.errorAt(ch, 1) - lowest) / signalSum(c));
                }
            }
            for (std::int64_t limit = 0; limit <= most; ++limit) {
                const mpq::Allocation a =
                    mpq::allocate(layers, budget(double(limit) / double(total), cost));
                const double best = bruteForceOptimum(layers, cost, limit);
                const std::int64_t spent =
                    cost == mpq::BudgetCost::Memory ? a.extraWeights : a.extraMacs;
                QVERIFY2(spent <= limit && a.totalError >= best - 1e-12 &&
                             a.totalError <= best + largestDrop + 1e-12,
                         qPrintable(QString("seed %1, limit %2: %3 against the optimum %4")
                                        .arg(seed)
                                        .arg(limit)
                                        .arg(a.totalError)
                                        .arg(best)));
                for (std::size_t l = 0; l < layers.size(); ++l)
                    checkNoRisingChoice(layers[l], a.layers[l]);
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestAllocation)
#include "tst_allocation.moc"
