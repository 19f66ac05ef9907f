#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mpq {

/// Per-channel output-error curves of one quantizable layer at one bit width
/// (docs/multipoint.md section 3). Immutable once made.
struct LayerCurves
{
    std::string name;
    int bits = 0;
    /// the bits of points 2..N (docs/multipoint.md section 11); 0 (curves made before extra-point
    /// bits): the same as `bits`
    int extraBits = 0;
    int maxPoints = 0;                ///< N_max
    std::int64_t channels = 0;        ///< C_out
    std::int64_t d = 0;               ///< weights per channel
    std::int64_t outputPositions = 0; ///< output positions per image, all calls of the layer
    std::vector<double> signal;       ///< s_c = sum of y_c^2, channels entries
    std::vector<double> error;        ///< e_c(n) at [c * maxPoints + (n - 1)], n = 1..maxPoints
    /// w_c, the output sensitivity per channel (docs/multipoint.md section 8): the change of the
    /// model's output loss per unit of e_c; empty when not measured. It does not depend on the
    /// bits, so allocate() takes it from any entry of the layer's name.
    std::vector<double> sensitivity;
    /// m_c, the sensitivity to the part of the error that is constant over the output
    /// positions (the channel's mean error, `shift` below): errors correlated across positions
    /// add up before they reach the output (a global pooling), so m_c can be P times w_c
    /// (section 8). Empty when not measured; only used with `shift`.
    std::vector<double> meanSensitivity;
    /// Bias correction (docs/multipoint.md section 9): the mean of y_c - y_c^(n) over every
    /// calibration output position (all calls, all images), indexed like `error`; adding it to
    /// channel c's (folded) bias makes the mean quantized output equal the float one. Empty
    /// when not measured (analyses saved before bias correction): no correction available.
    std::vector<double> shift;
    /// e_c(n) - P * shift^2 (P: all calibration output positions of the channel), clamped at
    /// 0: the error left after the correction. Empty exactly when `shift` is.
    std::vector<double> correctedError;

    double errorAt(std::int64_t c, int n) const { return error[c * maxPoints + (n - 1)]; }
};

enum class AllocationRule {
    Threshold, ///< n_c = smallest n with rho_c(n) <= epsilon (else the n of least error)
    Budget,    ///< extra points by largest error drop per unit cost, within a total budget
};
enum class BudgetCost {
    Memory, ///< a point of layer l costs d_l * e_l bits; budget relative to b * all weights
    Macs,   ///< a point costs d_l * positions_l MACs; budget relative to all MACs
};

/// A user's pin on one layer. Every pin is charged first under the budget rule (docs/
/// docs/multipoint.md section 4).
struct LayerOverride
{
    enum class Kind {
        Points, ///< every channel gets min(points, maxPoints) points
        Bits,   ///< the layer uses its curves at `bits` (which must be supplied) under the rule;
                ///< its weights cost bits/b each, an extra point d * bits/b
        Float,  ///< the layer stays float: its weights cost 32/b each, its MACs are float MACs
    };
    Kind kind = Kind::Points;
    int points = 1;
    int bits = 0;
};

/// Whether AllocationSettings weights by output sensitivity unless told otherwise; defined in
/// allocation.cpp (a constant, so settings made during static initialisation see it too).
extern const bool kSensitivityWeightedDefault;

struct AllocationSettings
{
    int bits = 4; ///< b: the curves used for layers without a Bits override, and the reference
    AllocationRule rule = AllocationRule::Threshold;
    double epsilon = 1e-3; ///< relative channel error threshold, > 0
    double budget = 0.05;  ///< total overhead as a fraction (0.05 = 5 %), >= 0
    BudgetCost cost = BudgetCost::Memory;
    std::map<std::string, LayerOverride> overrides; ///< by layer name
    /// Bias correction for every method (docs/multipoint.md section 9): the rules see the
    /// corrected curves (LayerCurves::correctedError) and every runner and export adds the
    /// allocated n_c's shift to the layer's bias; the baselines measure their own shift.
    /// Ignored (with a warning) for curves without shifts.
    bool biasCorrection = false;
    /// Weight each channel's error by its output sensitivity w_c in both rules (docs/
    /// docs/multipoint.md section 8); applies only when the curves carry w_c. The default is
    /// kSensitivityWeightedDefault (defined in allocation.cpp).
    bool sensitivityWeighted = kSensitivityWeightedDefault;
    /// With a memory budget: extra MACs at most this fraction of all MACs (0.2 = 20 %); < 0:
    /// no cap. Ignored by the threshold rule and by a MAC budget (docs/multipoint.md section 8).
    double macCap = -1.0;
};

/// One layer's points and costs. The reference (docs/multipoint.md section 4) is the layer at b
/// bits (AllocationSettings::bits) with one point per channel; b_l below is the layer's own bits
/// (b, or a Bits override's), W_l = channels * d its weights, P_l its output positions.
struct LayerAllocation
{
    std::string name;
    bool isFloat = false;
    bool pinned = false;     ///< a Points, Bits or Float override applies (charged first)
    int bits = 0;            ///< b_l; 0 when float
    int extraBits = 0;       ///< e_l, the bits of points 2..n (section 11); 0 when float
    std::vector<int> points; ///< n_c per channel; empty when float
    double meanPoints = 0.0;
    int maxPoints = 0;             ///< the largest n_c
    double relativeError = 0.0;    ///< R_l = sum_c e_c(n_c) / sum_c s_c; 0 when float
    double sqnrDb = 0.0;           ///< -10 log10 R_l; +inf when R_l = 0
    std::int64_t weights = 0;      ///< W_l = channels * d
    std::int64_t extraWeights = 0; ///< sum_c (n_c - 1) * d, stored at e_l bits; 0 when float
    std::int64_t scales = 0;       ///< sum_c n_c: one fp32 scale per point; 0 when float
    std::int64_t storedBits = 0;   ///< b_l * W_l + e_l * extraWeights; 32 * W_l when float
    std::int64_t costBits = 0;     ///< storedBits - b * W_l: the cost against the reference, in
                                   ///< bits; negative for a pin below b bits
    std::int64_t macs = 0;         ///< W_l * P_l, float or not
    std::int64_t extraMacs = 0;    ///< extraWeights * P_l; 0 when float
    std::int64_t floatMacs = 0;    ///< macs when float, else 0
    double overhead = 0.0;         ///< costBits / (b * W_l): e/b * extraWeights / W_l at b
                                   ///< bits, 32/b - 1 when float
    double macOverhead = 0.0;      ///< extraMacs / macs (0 when macs = 0 or float)
    double effectiveBits = 32.0;   ///< (storedBits + 32 * scales) / W_l; 32 when float
};

/// The whole model's allocation, in the order of the curves given to allocate(). Every
/// denominator is over all quantizable layers, float and pinned ones included (docs/
/// docs/multipoint.md section 4); sums run over all layers unless a field says otherwise.
struct Allocation
{
    std::vector<LayerAllocation> layers;
    int bits = 0;                      ///< b, the reference bits (AllocationSettings::bits)
    std::int64_t allWeights = 0;       ///< sum W_l over all quantizable layers
    std::int64_t allMacs = 0;          ///< sum W_l * P_l over all quantizable layers
    std::int64_t quantizedWeights = 0; ///< W_l of the quantized (non-float) layers
    std::int64_t floatWeights = 0;     ///< W_l of the layers kept float (stored at 32 bits)
    std::int64_t extraWeights = 0;     ///< sum of the layers' extraWeights (at their b_l)
    std::int64_t quantizedMacs = 0;    ///< MACs of the quantized layers
    std::int64_t floatMacs = 0;        ///< MACs of the float layers: shown apart, never charged
    std::int64_t extraMacs = 0;        ///< sum of the layers' extraMacs
    std::int64_t scales = 0;           ///< sum of the layers' scales (fp32 each)
    std::int64_t storedBits = 0;       ///< sum of the layers' storedBits (weights, no scales)
    std::int64_t costBits = 0;         ///< storedBits - b * allWeights = sum of layer costBits
    std::int64_t pinnedCostBits = 0;   ///< the part of costBits owed to pinned layers
    std::int64_t pinnedExtraMacs = 0;  ///< the part of extraMacs owed to pinned layers
    double memoryOverhead = 0.0;       ///< costBits / (b * allWeights)
                                       ///<   = stored bits / (b * all weights) - 1
    double macOverhead = 0.0;          ///< extraMacs / allMacs (float MACs not charged)
    double floatMacShare = 0.0;        ///< floatMacs / allMacs
    double pinnedMemoryOverhead = 0.0; ///< pinnedCostBits / (b * allWeights)
    double pinnedMacOverhead = 0.0;    ///< pinnedExtraMacs / allMacs
    double effectiveBits = 0.0;        ///< (storedBits + 32 * scales) / allWeights
    /// What the rules minimise: unweighted, sum over quantized layers of R_l; weighted
    /// (sensitivityWeighted), sum over quantized channels of w_c e_c(n_c) / sum over all
    /// quantized channels of w_c s_c (docs/multipoint.md section 8)
    double totalError = 0.0;
    bool sensitivityWeighted = false; ///< the sensitivity weighting was applied
    /// The rules used the corrected curves: runners and exports add each quantized layer's
    /// shift at its n_c to its bias (docs/multipoint.md section 9). Set by allocate() when
    /// AllocationSettings::biasCorrection is on and every quantized layer's curves have shifts.
    bool biasCorrection = false;
    std::vector<std::string> warnings; ///< plain English, e.g. pins alone exceed the budget
};

/// Allocates points per channel from stored curves; no model run, milliseconds.
/// `curves` holds each layer once at settings.bits, plus, for layers with a Bits override, an
/// entry with the same name at those bits (other entries are ignored). Output layers follow the
/// order of the first appearance of each name.
///
/// Rules (docs/multipoint.md sections 3 and 4):
/// - rho_c(n) = e_c(n) / s_c; where s_c = 0 the layer's mean s is used (and if that is 0 too,
///   the channel gets 1 point).
/// - No channel ever gets an n whose error is above that of a smaller n.
/// - Budget: the budget is B * b * allWeights bits (memory) or B * allMacs MACs. Pinned layers
///   are charged first: a Float layer (32 - b) * W_l bits and no MACs, a Bits layer
///   (b_l - b) * W_l bits (negative below b: it frees budget), a Points layer its extra points.
///   Every other channel starts at 1 point, and the rest of the budget buys points for the
///   unpinned and Bits layers: each step is the next edge of the channel's lower convex hull of
///   (n, e_c(n)) (slopes equal within rounding count as equal, so a step spans as few points as
///   possible), largest drop of e / sum_c s_c (per layer) per unit cost first; one extra point
///   costs d * b_l bits or d * P_l MACs. When a hull step does not fit, the channel's best
///   affordable step (largest drop per cost among the n' it can still pay for) competes
///   instead. The budget is never exceeded, except by the pins alone: then every other layer
///   keeps one point and `warnings` says so.
/// Throws Error(InvalidArgument) for epsilon <= 0, budget < 0, inconsistent curves, or a Bits
/// override without curves at those bits; the message names the layer.
Allocation allocate(const std::vector<LayerCurves> &curves, const AllocationSettings &settings);

/// All quantizable weights, sum W_l, over the distinct layer names of `curves` (each layer
/// counted once, whatever bits its entries have): the denominator of every memory figure,
/// the baselines' included (docs/multipoint.md section 4).
std::int64_t quantizableWeights(const std::vector<LayerCurves> &curves);
/// All MACs of the quantizable layers, sum W_l * P_l over the distinct names of `curves`.
std::int64_t quantizableMacs(const std::vector<LayerCurves> &curves);

// ---- figures the front ends show (docs/multipoint.md section 3); pure, any thread

/// s_c as the rules use it: s_c, or the layer's mean s where s_c = 0 (0 when the whole layer is
/// silent).
double guardedSignal(const LayerCurves &curves, std::int64_t channel);
/// rho_c(n) = e_c(n) / guardedSignal(c); +inf when the guarded signal is 0 and e_c(n) > 0, 0 when
/// both are 0. n in 1..maxPoints.
double channelRelativeError(const LayerCurves &curves, std::int64_t channel, int n);
/// The layer's relative error with every channel at n points: sum_c e_c(n) / sum_c s_c, with
/// the zero-signal rule of LayerAllocation::relativeError (+inf when sum s = 0 < sum e, 0 when
/// both are 0). n in 1..maxPoints.
double layerRelativeError(const LayerCurves &curves, int n);
/// -10 log10 of a relative error; +inf for 0.
double sqnrDbOf(double relativeError);

/// One allocation on a trade-off curve.
struct TradeOffPoint
{
    double parameter = 0.0;      ///< epsilon (threshold rule) or budget fraction (budget rule)
    double totalError = 0.0;     ///< Allocation::totalError
    double memoryOverhead = 0.0; ///< Allocation::memoryOverhead
    double macOverhead = 0.0;    ///< Allocation::macOverhead
    double effectiveBits = 0.0;  ///< Allocation::effectiveBits
};

/// The model's error/overhead trade-off under both rules.
struct TradeOffCurves
{
    std::vector<TradeOffPoint> threshold; ///< in the order of tradeOffEpsilons()
    std::vector<TradeOffPoint> budget; ///< memory budgets: the distinct overheads above, ascending
};

/// `samples` (>= 2; fewer count as 2) epsilons log-spaced over [1e-6, 1], ascending.
std::vector<double> tradeOffEpsilons(int samples);

/// Runs allocate() for each epsilon of tradeOffEpsilons(samples) (threshold rule), then (memory
/// budget rule) for each distinct memory overhead those reached and each budget of a fixed grid
/// (0, 0.5 %, 1 %, 2.5 %, 5 %, 10 %, ... 300 %) up to the largest of them, with settings.bits,
/// overrides, sensitivityWeighted and biasCorrection (rule, epsilon, budget, cost and macCap of
/// `settings` are ignored). Milliseconds per allocation. Throws what allocate() throws.
TradeOffCurves tradeOff(const std::vector<LayerCurves> &curves, const AllocationSettings &settings,
                        int samples);

} // namespace mpq
