// Point allocation: threshold and budget rules, overrides, cost figures, validation.
#include "mpq/allocation.h"
#include "mpq/error.h"
#include "mpq/report.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <random>

Q_DECLARE_METATYPE(mpq::BudgetCost)
Q_DECLARE_METATYPE(mpq::AllocationRule)

namespace {

using Rows = std::vector<std::vector<double>>; // e_c(n) per channel, n = 1..N_max

mpq::LayerCurves layer(const std::string &name, std::int64_t d, std::int64_t positions,
                       const std::vector<double> &signal, const Rows &error, int bits = 4)
{
    mpq::LayerCurves c;
    c.name = name;
    c.bits = bits;
    c.maxPoints = int(error.front().size());
    c.channels = std::int64_t(signal.size());
    c.d = d;
    c.outputPositions = positions;
    c.signal = signal;
    for (const auto &row : error)
        c.error.insert(c.error.end(), row.begin(), row.end());
    return c;
}

mpq::AllocationSettings threshold(double epsilon)
{
    mpq::AllocationSettings s;
    s.rule = mpq::AllocationRule::Threshold;
    s.epsilon = epsilon;
    return s;
}

mpq::AllocationSettings budget(double fraction, mpq::BudgetCost cost = mpq::BudgetCost::Memory)
{
    mpq::AllocationSettings s;
    s.rule = mpq::AllocationRule::Budget;
    s.budget = fraction;
    s.cost = cost;
    return s;
}

// Geometric curves e(n) = s * a * r^(n-1): strictly convex and falling.
mpq::LayerCurves convexLayer(std::mt19937_64 &rng, const std::string &name, std::int64_t channels,
                             int maxPoints, std::int64_t d, std::int64_t positions)
{
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<double> signal(channels);
    Rows rows(channels);
    for (std::int64_t c = 0; c < channels; ++c) {
        signal[c] = 0.5 + 5 * u(rng);
        const double rate = 0.1 + 0.6 * u(rng);
        double e = signal[c] * (0.02 + 0.5 * u(rng));
        for (int n = 0; n < maxPoints; ++n, e *= rate)
            rows[c].push_back(e);
    }
    return layer(name, d, positions, signal, rows);
}

// Curves as calibration produces them at worst: rising steps, flat steps, zero channels and
// channels without signal among mostly falling ones.
mpq::LayerCurves roughLayer(std::mt19937_64 &rng, const std::string &name, int bits)
{
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const std::int64_t channels = 1 + std::int64_t(u(rng) * 12);
    const int maxPoints = 1 + int(u(rng) * 8);
    std::vector<double> signal(channels);
    Rows rows(channels);
    for (std::int64_t c = 0; c < channels; ++c) {
        signal[c] = u(rng) < 0.08 ? 0.0 : 10 * u(rng);
        const bool zero = u(rng) < 0.05;
        double e = zero ? 0.0 : (0.01 + u(rng)) * std::max(signal[c], 0.1);
        for (int n = 0; n < maxPoints; ++n) {
            rows[c].push_back(e);
            const double p = u(rng);
            e *= p < 0.2 ? 1 + u(rng) : p < 0.3 ? 1.0 : 0.05 + 0.85 * u(rng);
        }
    }
    return layer(name, 1 + std::int64_t(u(rng) * 40), 1 + std::int64_t(u(rng) * 50), signal, rows,
                 bits);
}

std::int64_t unitCost(const mpq::LayerCurves &c, mpq::BudgetCost cost)
{
    return cost == mpq::BudgetCost::Memory ? c.d : c.d * c.outputPositions;
}

double signalSum(const mpq::LayerCurves &c)
{
    double s = 0;
    for (double v : c.signal)
        s += v;
    return s;
}

// The least total error over every allocation of at most `limit` extra cost (all layers free).
double bruteForceOptimum(const std::vector<mpq::LayerCurves> &layers, mpq::BudgetCost cost,
                         std::int64_t limit)
{
    std::vector<std::pair<int, std::int64_t>> cells; // (layer, channel)
    for (int l = 0; l < int(layers.size()); ++l)
        for (std::int64_t c = 0; c < layers[l].channels; ++c)
            cells.push_back({l, c});
    std::vector<int> n(cells.size(), 1);
    double best = std::numeric_limits<double>::infinity();
    while (true) {
        std::int64_t spent = 0;
        std::vector<double> error(layers.size(), 0.0);
        for (std::size_t i = 0; i < cells.size(); ++i) {
            const auto &c = layers[cells[i].first];
            spent += (n[i] - 1) * unitCost(c, cost);
            error[cells[i].first] += c.errorAt(cells[i].second, n[i]);
        }
        if (spent <= limit) {
            double total = 0;
            for (std::size_t l = 0; l < layers.size(); ++l)
                total += error[l] / signalSum(layers[l]);
            best = std::min(best, total);
        }
        std::size_t i = 0;
        while (i < cells.size() && n[i] == layers[cells[i].first].maxPoints)
            n[i++] = 1;
        if (i == cells.size())
            return best;
        ++n[i];
    }
}

// Every single-point step (n -> n+1) of convex curves, as (drop of total error, cost).
std::vector<std::pair<double, std::int64_t>> steps(const std::vector<mpq::LayerCurves> &layers,
                                                   mpq::BudgetCost cost)
{
    std::vector<std::pair<double, std::int64_t>> all;
    for (const auto &c : layers)
        for (std::int64_t ch = 0; ch < c.channels; ++ch)
            for (int n = 1; n < c.maxPoints; ++n)
                all.push_back(
                    {(c.errorAt(ch, n) - c.errorAt(ch, n + 1)) / signalSum(c), unitCost(c, cost)});
    return all;
}

void checkNoRisingChoice(const mpq::LayerCurves &c, const mpq::LayerAllocation &a)
{
    QCOMPARE(std::int64_t(a.points.size()), c.channels);
    for (std::int64_t ch = 0; ch < c.channels; ++ch) {
        const int n = a.points[ch];
        QVERIFY(n >= 1 && n <= c.maxPoints);
        for (int m = 1; m < n; ++m)
            QVERIFY2(c.errorAt(ch, n) <= c.errorAt(ch, m),
                     qPrintable(QString("%1 channel %2: n = %3 above n = %4")
                                    .arg(c.name.c_str())
                                    .arg(ch)
                                    .arg(n)
                                    .arg(m)));
    }
}

void expectError(const char *needle, const std::function<void()> &f)
{
    try {
        f();
        QFAIL("no error thrown");
    } catch (const mpq::Error &e) {
        QCOMPARE(e.code(), mpq::ErrorCode::InvalidArgument);
        QVERIFY2(QString(e.what()).contains(needle), e.what());
    }
}

} // namespace

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

private:
    // Invariants of any allocation: admissible n, totals that add up, the budget kept.
    void checkAllocation(const std::vector<mpq::LayerCurves> &curves,
                         const mpq::AllocationSettings &settings, const mpq::Allocation &a)
    {
        const bool memory = settings.cost == mpq::BudgetCost::Memory;
        const std::int64_t b = settings.bits;
        std::int64_t all = 0, allMacs = 0, quantized = 0, extra = 0, floatWeights = 0,
                     floatMacs = 0, stored = 0, scales = 0, extraMacs = 0, pinnedCost = 0,
                     total = 0, spent = 0;
        double totalError = 0;
        bool freeHavePoints = false;
        for (const mpq::LayerAllocation &la : a.layers) {
            const auto found = settings.overrides.find(la.name);
            const bool pinned = found != settings.overrides.end();
            QCOMPARE(la.pinned, pinned);
            const auto kind = pinned ? found->second.kind : mpq::LayerOverride::Kind::Points;
            all += la.weights;
            allMacs += la.macs;
            stored += la.storedBits;
            QCOMPARE(la.costBits, la.storedBits - b * la.weights);
            total += memory ? b * la.weights : la.macs;
            if (kind == mpq::LayerOverride::Kind::Float) {
                QVERIFY(la.isFloat);
                QCOMPARE(la.storedBits, 32 * la.weights);
                QCOMPARE(la.floatMacs, la.macs);
                floatWeights += la.weights;
                floatMacs += la.macs;
                if (memory)
                    pinnedCost += la.costBits, spent += la.costBits;
                continue;
            }
            const int bits = kind == mpq::LayerOverride::Kind::Bits ? 3 : 4;
            const auto c = std::find_if(curves.begin(), curves.end(), [&](const auto &x) {
                return x.name == la.name && x.bits == bits;
            });
            QCOMPARE(la.bits, bits);
            checkNoRisingChoice(*c, la);
            std::int64_t sumPoints = 0;
            for (int n : la.points)
                sumPoints += n;
            QCOMPARE(la.storedBits, bits * sumPoints * c->d);
            quantized += la.weights;
            extra += la.extraWeights;
            extraMacs += la.extraMacs;
            scales += la.scales;
            totalError += la.relativeError;
            const std::int64_t cost = memory ? la.costBits : la.extraMacs;
            spent += cost;
            if (kind == mpq::LayerOverride::Kind::Points)
                pinnedCost += cost;
            else if (kind == mpq::LayerOverride::Kind::Bits)
                pinnedCost += memory ? (bits - b) * la.weights : 0;
            if (!pinned || kind == mpq::LayerOverride::Kind::Bits)
                freeHavePoints |= la.extraWeights > 0;
        }
        QCOMPARE(a.allWeights, all);
        QCOMPARE(a.allMacs, allMacs);
        QCOMPARE(a.quantizedWeights, quantized);
        QCOMPARE(a.extraWeights, extra);
        QCOMPARE(a.extraMacs, extraMacs);
        QCOMPARE(a.floatWeights, floatWeights);
        QCOMPARE(a.floatMacs, floatMacs);
        QCOMPARE(a.storedBits, stored);
        QCOMPARE(a.costBits, stored - b * all);
        QCOMPARE(a.totalError, totalError);
        QCOMPARE(a.memoryOverhead, double(stored - b * all) / double(b * all));
        QCOMPARE(a.effectiveBits, (double(stored) + 32.0 * double(scales)) / double(all));
        QCOMPARE(a.macOverhead, allMacs > 0 ? double(extraMacs) / double(allMacs) : 0.0);
        if (settings.rule != mpq::AllocationRule::Budget) {
            QVERIFY(a.warnings.empty());
        } else if (double(pinnedCost) / double(total) > settings.budget) {
            // the pins alone exceed the budget: a warning, and nothing else is bought
            QCOMPARE(a.warnings.size(), size_t(1));
            QVERIFY(!freeHavePoints);
        } else {
            QVERIFY(a.warnings.empty());
            QVERIFY(double(spent) / double(total) <= settings.budget);
        }
    }
};

QTEST_APPLESS_MAIN(TestAllocation)
#include "tst_allocation.moc"
