#include "mpqwidgets/tradeoff.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace mpq::ui {

std::vector<double> tradeOffEpsilons(int samples)
{
    samples = std::max(samples, 2);
    std::vector<double> epsilons(std::size_t(samples), 0.0);
    for (int k = 0; k < samples; ++k)
        epsilons[std::size_t(k)] = std::pow(10.0, -6.0 + 6.0 * k / (samples - 1));
    return epsilons;
}

TradeOffCurves computeTradeOff(const std::vector<mpq::LayerCurves> &curves,
                               const mpq::AllocationSettings &settings, int samples)
{
    mpq::AllocationSettings s;
    s.bits = settings.bits;
    s.overrides = settings.overrides;
    TradeOffCurves out;
    auto point = [](double parameter, const mpq::Allocation &a) {
        return TradeOffPoint{parameter, a.totalError, a.memoryOverhead, a.macOverhead};
    };
    std::set<double> budgets;
    s.rule = mpq::AllocationRule::Threshold;
    for (double epsilon : tradeOffEpsilons(samples)) {
        s.epsilon = epsilon;
        out.threshold.push_back(point(epsilon, mpq::allocate(curves, s)));
        budgets.insert(out.threshold.back().memoryOverhead);
    }
    s.rule = mpq::AllocationRule::Budget;
    s.cost = mpq::BudgetCost::Memory;
    for (double budget : budgets) {
        s.budget = budget;
        out.budget.push_back(point(budget, mpq::allocate(curves, s)));
    }
    return out;
}

} // namespace mpq::ui
