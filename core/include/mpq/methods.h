#pragma once
// The quantization methods the product compares (docs/multipoint.md section 6): each gives the
// BN-folded weights to run, with its cost figures, on the same analysis.

#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/model.h"

#include <string>
#include <vector>

namespace mpq {

enum class Method {
    Multipoint,           ///< the allocation's multipoint sums
    RoundToNearest,       ///< per-channel, a = max|w_c| / L
    RoundToNearestTensor, ///< per-tensor, a = max|W| / L
    MseChannel,           ///< MSE-optimal per-channel scale (one exact point)
    Ocs,                  ///< outlier channel splitting at the allocation's memory overhead
    MixedPrecision,       ///< b+1 bits for the most sensitive layers, same memory as the allocation
    RoundToNearestNext,   ///< per-channel round-to-nearest at the next bit width, b+1
    MseChannelNext,       ///< MSE-optimal per-channel scale at the next bit width, b+1
};

/// "multipoint", "rtn", "rtn-tensor", "mse", "ocs", "mixed", "rtn-next", "mse-next";
/// methodFromName throws
/// Error(InvalidArgument) for another word.
const char *methodName(Method method);
Method methodFromName(const std::string &name);

struct MethodWeights
{
    Method method = Method::Multipoint;
    std::vector<std::vector<float>> weights; ///< per layer, folded, stored shape; empty = float
    /// stored weight bits of all quantizable layers / (b * their weights) - 1, float layers at
    /// 32 bits (docs/multipoint.md section 4)
    double memoryOverhead = 0.0;
    /// (stored weight bits + 32 per scale) / all quantizable weights, float layers at 32 bits
    double effectiveBits = 0.0;
    /// extra MACs / all MACs of the quantizable layers (docs/multipoint.md section 4): the
    /// allocation's for multipoint, the split input channels' for OCS, 0 for the methods that
    /// run one product per weight (round-to-nearest, MSE, mixed precision, at b or b+1 bits)
    double macOverhead = 0.0;
    std::string detail; ///< e.g. "expand ratio 4.8 %", "5 layers at 5 bits"
    /// Per-layer mixed precision: the layers it stores at b+1 bits (indices into
    /// Model::layers(), in the order they were promoted); empty for every other method.
    std::vector<std::size_t> widerLayers;
    /// OCS: the expand ratio (the share of input channels split, 0..1); -1 for other methods.
    double expandRatio = -1.0;
    /// Per layer, C_out values added to the folded bias (bias correction, docs/multipoint.md
    /// section 9); an empty entry (or an empty vector) adds nothing. methodWeights fills it for
    /// Multipoint when allocation.biasCorrection; the baselines' comes from
    /// measureBiasCorrection (mpq/biascorrection.h), one calibration pass.
    std::vector<std::vector<float>> biasCorrection;
};

/// The weights of a method for the analysed model, in the cost model (docs/multipoint.md section 4)
/// (every denominator over all quantizable layers; layers the allocation keeps float stay float
/// in every method and count at 32 bits per weight). Matched to the multipoint allocation's
/// stored bits where that applies: the extra bits the allocation spends beyond b bits per
/// weight of the layers it quantizes (and 32 per weight of those it keeps float) are
/// - OCS: its expand ratio, extra bits / (b * quantized weights), at most 1 (without float
///   layers or Bits overrides this is the allocation's memory overhead);
/// - mixed precision: its budget; layers move from b to b+1 bits greedily by the largest
///   (R_l(b) - R_l(b+1)) / weights_l first while the budget lasts (a layer that does not fit
///   is skipped), R_l measured and applied with the MSE-optimal single point;
/// - round-to-nearest and MSE at the next bit width (RoundToNearestNext, MseChannelNext): not
///   matched; every quantized layer at b+1 bits, one scale per channel, so their memory
///   overhead is about 1/b (what one more bit buys without multipoint).
/// `atBits` holds the decompositions of the allocation's Bits overrides (see quantizedRunner;
/// Multipoint only). `singlePoint` (MixedPrecision only) holds every layer the allocation
/// quantizes at b and at b+1 bits with one MSE-optimal point, as mixedPrecisionInputs makes it.
/// Throws Error(InvalidArgument) when the analysis or allocation belongs to another model, for
/// mixed precision or the next-bit methods at b >= 8, or when an entry of atBits / singlePoint is
/// missing (named).
MethodWeights methodWeights(const Model &model, const Analysis &analysis,
                            const Allocation &allocation, const std::vector<LayerAtBits> &atBits,
                            Method method, const std::vector<LayerAtBits> &singlePoint = {});

/// The macOverhead methodWeights gives the method, without quantizing the weights (OCS splits
/// them again: weights only, no model run). Throws like methodWeights.
double methodMacOverhead(const Model &model, const Analysis &analysis, const Allocation &allocation,
                         Method method);

/// The settings of per-layer mixed precision's single points: the analysis' with maxPoints 1,
/// FirstPointRule::L2 and SearchMethod::Exact (the MSE-optimal single point).
AnalysisSettings singlePointSettings(const AnalysisSettings &analysis);

/// What per-layer mixed precision needs (issue 12, defect 5): every quantizable layer at b and
/// b+1 bits (b = analysis.settings.bits) with one MSE-optimal point (layersAtBits with
/// maxPoints 1, FirstPointRule::L2, SearchMethod::Exact), so R_l(b) and R_l(b+1) are the output
/// errors of the very weights mixed precision runs. Independent of the allocation: compute once
/// per analysis. Two calibration passes (with output-aware rounding after one pass that measures
/// the input Grams for both widths); cancellable; throws like layersAtBits, and
/// Error(InvalidArgument) at b >= 8.
std::vector<LayerAtBits> mixedPrecisionInputs(const Model &model, const ModelProfile &profile,
                                              const Analysis &analysis,
                                              const JobControl &control = {});

} // namespace mpq
