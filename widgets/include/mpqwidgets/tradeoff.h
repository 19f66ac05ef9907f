#pragma once

#include "mpq/allocation.h"

#include <vector>

namespace mpq::ui {

/// The trade-off curves the Allocation page draws are computed in core (mpq::tradeOff,
/// docs/architecture.md: a figure a front end shows is computed once, in core).
using TradeOffPoint = mpq::TradeOffPoint;
using TradeOffCurves = mpq::TradeOffCurves;

/// `samples` (>= 2) epsilons log-spaced over [1e-6, 1], ascending (mpq::tradeOffEpsilons).
std::vector<double> tradeOffEpsilons(int samples);

/// mpq::tradeOff: the threshold rule over tradeOffEpsilons(samples), then the memory budget
/// rule at each distinct overhead those reached, with settings.bits and settings.overrides.
/// Call it when the curves or overrides change, not per slider move. Throws what
/// mpq::allocate throws (a Bits override without curves at those bits).
TradeOffCurves computeTradeOff(const std::vector<mpq::LayerCurves> &curves,
                               const mpq::AllocationSettings &settings, int samples);

} // namespace mpq::ui
