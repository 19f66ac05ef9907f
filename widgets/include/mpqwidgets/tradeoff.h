#pragma once

#include "mpq/allocation.h"

#include <vector>

namespace mpq::ui {

/// One allocation on a trade-off curve.
struct TradeOffPoint
{
    double parameter = 0.0;      ///< epsilon (threshold rule) or budget fraction (budget rule)
    double totalError = 0.0;     ///< Allocation::totalError
    double memoryOverhead = 0.0; ///< fraction
    double macOverhead = 0.0;    ///< fraction
};

/// The model's error/overhead trade-off under both rules, as the Allocation page draws it.
struct TradeOffCurves
{
    std::vector<TradeOffPoint> threshold; ///< in the order of tradeOffEpsilons()
    std::vector<TradeOffPoint> budget; ///< memory budgets: the distinct overheads above, ascending
};

/// `samples` (>= 2) epsilons log-spaced over [1e-6, 1], ascending.
std::vector<double> tradeOffEpsilons(int samples);

/// Runs mpq::allocate for each epsilon of tradeOffEpsilons(samples) (threshold rule), then for
/// each distinct memory overhead those reached (memory budget rule), with settings.bits and
/// settings.overrides (rule, epsilon, budget and cost of `settings` are ignored). Milliseconds
/// per allocation; call it when the curves or overrides change, not per slider move.
/// Throws what mpq::allocate throws (a Bits override without curves at those bits).
TradeOffCurves computeTradeOff(const std::vector<mpq::LayerCurves> &curves,
                               const mpq::AllocationSettings &settings, int samples);

} // namespace mpq::ui
