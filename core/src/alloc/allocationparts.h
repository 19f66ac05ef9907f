#pragma once
// Private to the allocation (docs/multipoint.md sections 3, 4 and 8): what allocation.cpp (the
// rules and the cost figures), budgetrule.cpp (the budget rule's greedy) and figures.cpp (the
// trade-off figures) share.
#include "mpq/allocation.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mpq::alloc {

/// Throws Error(InvalidArgument) naming the layer.
[[noreturn]] void fail(const std::string &layer, const std::string &what);

// What allocate() does with one output layer.
struct Plan
{
    const LayerCurves *shape = nullptr;  // first entry of the name: sizes for float layers
    const LayerCurves *curves = nullptr; // the entry used; null when float
    bool isFloat = false;
    int pinned = 0; // > 0: a Points override
    // w_c from any entry of the name (it does not depend on the bits); null when none has it
    const std::vector<double> *sensitivity = nullptr;
    const std::vector<double> *meanSensitivity = nullptr; // m_c, likewise
};

/// The mean s_c of a layer's channels.
double meanSignal(const LayerCurves &c);
/// error / signal; infinity for an error on no signal, 0 for none.
double relative(double error, double signal);
/// The bits of the layer's points after the first (section 11; the curves are validated).
std::int64_t extraBitsOf(const LayerCurves &c);

/// The budget rule over `plans` (budgetrule.cpp): charges the pins, then spends the rest; the
/// points per layer in `points`. Returns a warning when the pins alone exceed the budget or the
/// MAC cap, else "". `weightSum` > 0: the sensitivity weighting applies.
std::string budgetPoints(const std::vector<Plan> &plans,
                         const std::vector<const LayerCurves *> &rules,
                         const AllocationSettings &settings, double weightSum,
                         std::vector<std::vector<int>> &points);

} // namespace mpq::alloc
