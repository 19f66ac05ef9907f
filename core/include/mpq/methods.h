#pragma once
// The quantization methods the product compares (multipoint.md section 6): each gives the
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
};

/// "multipoint", "rtn", "rtn-tensor", "mse", "ocs", "mixed"; methodFromName throws
/// Error(InvalidArgument) for another word.
const char *methodName(Method method);
Method methodFromName(const std::string &name);

struct MethodWeights
{
    Method method = Method::Multipoint;
    std::vector<std::vector<float>> weights; ///< per layer, folded, stored shape; empty = float
    double memoryOverhead = 0.0; ///< extra low-bit storage relative to b bits per weight
    double effectiveBits = 0.0;  ///< bits per quantized weight, one fp32 scale per row counted
    std::string detail;          ///< e.g. "expand ratio 4.8 %", "5 layers at 5 bits"
};

/// The weights of a method for the analysed model, matched to the multipoint allocation's memory
/// overhead where that applies (OCS: expand ratio = overhead; mixed precision: layers by
/// decreasing relative output error at one point move to b+1 bits while the extra bits stay
/// within overhead * b bits per weight). Layers the allocation keeps float stay float.
MethodWeights methodWeights(const Model &model, const Analysis &analysis,
                            const Allocation &allocation, Method method);

} // namespace mpq
