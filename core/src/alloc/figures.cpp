// Figures of an allocation's curves: relative errors, SQNR and the trade-off curves
// (docs/multipoint.md section 4).
#include "alloc/allocationparts.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace mpq {

using alloc::meanSignal;
using alloc::relative;

double guardedSignal(const LayerCurves &curves, std::int64_t channel)
{
    const double s = curves.signal[std::size_t(channel)];
    if (s > 0.0)
        return s;
    return curves.channels > 0 ? meanSignal(curves) : 0.0;
}

double channelRelativeError(const LayerCurves &curves, std::int64_t channel, int n)
{
    return relative(curves.errorAt(channel, n), guardedSignal(curves, channel));
}

double layerRelativeError(const LayerCurves &curves, int n)
{
    double error = 0.0, signal = 0.0;
    for (std::int64_t ch = 0; ch < curves.channels; ++ch) {
        error += curves.errorAt(ch, n);
        signal += curves.signal[std::size_t(ch)];
    }
    return relative(error, signal);
}

double sqnrDbOf(double relativeError)
{
    return relativeError > 0 ? -10.0 * std::log10(relativeError)
                             : std::numeric_limits<double>::infinity();
}

std::vector<double> tradeOffEpsilons(int samples)
{
    samples = std::max(samples, 2);
    std::vector<double> epsilons(std::size_t(samples), 0.0);
    for (int k = 0; k < samples; ++k)
        epsilons[std::size_t(k)] = std::pow(10.0, -6.0 + 6.0 * k / (samples - 1));
    return epsilons;
}

TradeOffCurves tradeOff(const std::vector<LayerCurves> &curves, const AllocationSettings &settings,
                        int samples)
{
    AllocationSettings s;
    s.bits = settings.bits;
    s.overrides = settings.overrides;
    // The curve is of the rules as configured, since weighting and bias correction change what
    // totalError measures (docs/multipoint.md sections 8 and 9); a MAC cap constrains one
    // allocation, not the memory trade-off.
    s.sensitivityWeighted = settings.sensitivityWeighted;
    s.biasCorrection = settings.biasCorrection;
    TradeOffCurves out;
    auto point = [](double parameter, const Allocation &a) {
        return TradeOffPoint{parameter, a.totalError, a.memoryOverhead, a.macOverhead,
                             a.effectiveBits};
    };
    std::set<double> budgets;
    s.rule = AllocationRule::Threshold;
    for (double epsilon : tradeOffEpsilons(samples)) {
        s.epsilon = epsilon;
        out.threshold.push_back(point(epsilon, allocate(curves, s)));
        // a negative overhead (pins below b bits) is no budget: the budget rule starts at 0
        budgets.insert(std::max(0.0, out.threshold.back().memoryOverhead));
    }
    // Also a fixed grid of budgets from what the pins alone cost (0 without pins) up to the
    // largest overhead reached: the weighted threshold rule can cost tens of percent even at
    // epsilon 1, and the budget curve must still cover the small budgets users set (5 % by
    // default).
    s.rule = AllocationRule::Budget;
    s.cost = BudgetCost::Memory;
    s.budget = 0.0;
    const double floor = std::max(0.0, allocate(curves, s).memoryOverhead);
    const double top = std::max(floor, *budgets.rbegin());
    budgets.insert(floor);
    for (double b : {0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0})
        if (b > floor && b <= top)
            budgets.insert(b);
    for (double budget : budgets) {
        s.budget = budget;
        out.budget.push_back(point(budget, allocate(curves, s)));
    }
    return out;
}

} // namespace mpq
