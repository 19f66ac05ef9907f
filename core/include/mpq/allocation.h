#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mpq {

/// Per-channel output-error curves of one quantizable layer at one bit width
/// (multipoint.md section 3). Immutable once made.
struct LayerCurves
{
    std::string name;
    int bits = 0;
    int maxPoints = 0;                ///< N_max
    std::int64_t channels = 0;        ///< C_out
    std::int64_t d = 0;               ///< weights per channel
    std::int64_t outputPositions = 0; ///< output positions per image, all calls of the layer
    std::vector<double> signal;       ///< s_c = sum of y_c^2, channels entries
    std::vector<double> error;        ///< e_c(n) at [c * maxPoints + (n - 1)], n = 1..maxPoints

    double errorAt(std::int64_t c, int n) const { return error[c * maxPoints + (n - 1)]; }
};

enum class AllocationRule {
    Threshold, ///< n_c = smallest n with rho_c(n) <= epsilon (else the n of least error)
    Budget,    ///< extra points by largest error drop per unit cost, within a total budget
};
enum class BudgetCost {
    Memory, ///< a point of layer l costs d_l low-bit weights; budget relative to all weights
    Macs,   ///< a point costs d_l * positions_l MACs; budget relative to all MACs
};

/// A user's pin on one layer.
struct LayerOverride
{
    enum class Kind {
        Points, ///< every channel gets min(points, maxPoints) points
        Bits,   ///< the layer uses its curves at `bits` (which must be supplied) under the rule
        Float,  ///< the layer stays float: excluded from the quantized totals
    };
    Kind kind = Kind::Points;
    int points = 1;
    int bits = 0;
};

struct AllocationSettings
{
    int bits = 4; ///< the curves used for layers without a Bits override
    AllocationRule rule = AllocationRule::Threshold;
    double epsilon = 1e-3; ///< relative channel error threshold, > 0
    double budget = 0.05;  ///< total overhead as a fraction (0.05 = 5 %), >= 0
    BudgetCost cost = BudgetCost::Memory;
    std::map<std::string, LayerOverride> overrides; ///< by layer name
};

struct LayerAllocation
{
    std::string name;
    bool isFloat = false;
    int bits = 0;            ///< 0 when float
    std::vector<int> points; ///< n_c per channel; empty when float
    double meanPoints = 0.0;
    int maxPoints = 0;             ///< the largest n_c
    double relativeError = 0.0;    ///< R_l = sum_c e_c(n_c) / sum_c s_c; 0 when float
    double sqnrDb = 0.0;           ///< -10 log10 R_l; +inf when R_l = 0
    std::int64_t weights = 0;      ///< channels * d
    std::int64_t extraWeights = 0; ///< sum_c (n_c - 1) * d
    std::int64_t macs = 0;         ///< weights * outputPositions
    std::int64_t extraMacs = 0;    ///< extraWeights * outputPositions
    double overhead = 0.0;         ///< extraWeights / weights
    double macOverhead = 0.0;      ///< extraMacs / macs
    double effectiveBits = 32.0;   ///< (bits * sum_c n_c d + 32 sum_c n_c) / weights; 32 when float
};

/// The whole model's allocation, in the order of the curves given to allocate().
struct Allocation
{
    std::vector<LayerAllocation> layers;
    std::int64_t quantizedWeights = 0; ///< weights of the quantized (non-float) layers
    std::int64_t extraWeights = 0;
    std::int64_t floatWeights = 0; ///< weights of layers kept float (reported at 32 bits)
    std::int64_t quantizedMacs = 0;
    std::int64_t extraMacs = 0;
    double memoryOverhead = 0.0; ///< extraWeights / quantizedWeights
    double macOverhead = 0.0;    ///< extraMacs / quantizedMacs
    double effectiveBits = 0.0;  ///< over the quantized layers, one fp32 scale per point counted
    double totalError = 0.0; ///< sum over quantized layers of R_l (what the budget rule minimizes)
};

/// Allocates points per channel from stored curves; no model run, milliseconds.
/// `curves` holds each layer once at settings.bits, plus, for layers with a Bits override, an
/// entry with the same name at those bits (other entries are ignored). Output layers follow the
/// order of the first appearance of each name.
///
/// Rules (multipoint.md section 3):
/// - rho_c(n) = e_c(n) / s_c; where s_c = 0 the layer's mean s is used (and if that is 0 too,
///   the channel gets 1 point).
/// - No channel ever gets an n whose error is above that of a smaller n.
/// - Budget: every quantized channel starts at 1 point; the extra cost of pinned layers (Points
///   overrides) is charged first; the rest of the budget buys points from each channel's lower
///   convex hull of (n, e_c(n)), largest drop of e / sum_c s_c (per layer) per unit cost first;
///   a step that does not fit is skipped, smaller later steps may still fit. The budget is
///   never exceeded (except by pinned layers alone).
/// Throws Error(InvalidArgument) for epsilon <= 0, budget < 0, inconsistent curves, or a Bits
/// override without curves at those bits; the message names the layer.
Allocation allocate(const std::vector<LayerCurves> &curves, const AllocationSettings &settings);

} // namespace mpq
