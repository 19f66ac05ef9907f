#pragma once
// Shared by tst_allocation and tst_allocationcosts: layer curves made by hand or at random,
// the settings of each rule, a brute-force optimum, and the invariants every allocation keeps.
#include "mpq/allocation.h"
#include "mpq/error.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <random>

namespace alloctest {

using Rows = std::vector<std::vector<double>>; // e_c(n) per channel, n = 1..N_max

inline mpq::LayerCurves layer(const std::string &name, std::int64_t d, std::int64_t positions,
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

inline mpq::AllocationSettings threshold(double epsilon)
{
    mpq::AllocationSettings s;
    s.rule = mpq::AllocationRule::Threshold;
    s.epsilon = epsilon;
    return s;
}

inline mpq::AllocationSettings budget(double fraction,
                                      mpq::BudgetCost cost = mpq::BudgetCost::Memory)
{
    mpq::AllocationSettings s;
    s.rule = mpq::AllocationRule::Budget;
    s.budget = fraction;
    s.cost = cost;
    return s;
}

// Geometric curves e(n) = s * a * r^(n-1): strictly convex and falling.
inline mpq::LayerCurves convexLayer(std::mt19937_64 &rng, const std::string &name,
                                    std::int64_t channels, int maxPoints, std::int64_t d,
                                    std::int64_t positions)
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
inline mpq::LayerCurves roughLayer(std::mt19937_64 &rng, const std::string &name, int bits)
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

inline std::int64_t unitCost(const mpq::LayerCurves &c, mpq::BudgetCost cost)
{
    return cost == mpq::BudgetCost::Memory ? c.d : c.d * c.outputPositions;
}

inline double signalSum(const mpq::LayerCurves &c)
{
    double s = 0;
    for (double v : c.signal)
        s += v;
    return s;
}

// The least total error over every allocation of at most `limit` extra cost (all layers free).
inline double bruteForceOptimum(const std::vector<mpq::LayerCurves> &layers, mpq::BudgetCost cost,
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
inline std::vector<std::pair<double, std::int64_t>>
steps(const std::vector<mpq::LayerCurves> &layers, mpq::BudgetCost cost)
{
    std::vector<std::pair<double, std::int64_t>> all;
    for (const auto &c : layers)
        for (std::int64_t ch = 0; ch < c.channels; ++ch)
            for (int n = 1; n < c.maxPoints; ++n)
                all.push_back(
                    {(c.errorAt(ch, n) - c.errorAt(ch, n + 1)) / signalSum(c), unitCost(c, cost)});
    return all;
}

inline void checkNoRisingChoice(const mpq::LayerCurves &c, const mpq::LayerAllocation &a)
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

inline void expectError(const char *needle, const std::function<void()> &f)
{
    try {
        f();
        QFAIL("no error thrown");
    } catch (const mpq::Error &e) {
        QCOMPARE(e.code(), mpq::ErrorCode::InvalidArgument);
        QVERIFY2(QString(e.what()).contains(needle), e.what());
    }
}

// Invariants of any allocation: admissible n, totals that add up, the budget kept.
inline void checkAllocation(const std::vector<mpq::LayerCurves> &curves,
                            const mpq::AllocationSettings &settings, const mpq::Allocation &a)
{
    const bool memory = settings.cost == mpq::BudgetCost::Memory;
    const std::int64_t b = settings.bits;
    std::int64_t all = 0, allMacs = 0, quantized = 0, extra = 0, floatWeights = 0, floatMacs = 0,
                 stored = 0, scales = 0, extraMacs = 0, pinnedCost = 0, total = 0, spent = 0;
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

} // namespace alloctest
