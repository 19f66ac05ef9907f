#include "mpqwidgets/tradeoff.h"

namespace mpq::ui {

std::vector<double> tradeOffEpsilons(int samples)
{
    return mpq::tradeOffEpsilons(samples);
}

TradeOffCurves computeTradeOff(const std::vector<mpq::LayerCurves> &curves,
                               const mpq::AllocationSettings &settings, int samples)
{
    return mpq::tradeOff(curves, settings, samples);
}

} // namespace mpq::ui
