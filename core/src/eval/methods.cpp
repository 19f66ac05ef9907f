#include "mpq/methods.h"

#include "mpq/baselines.h"
#include "mpq/error.h"
#include "mpq/runner.h"

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace mpq {

const char *methodName(Method m)
{
    switch (m) {
    case Method::Multipoint:
        return "multipoint";
    case Method::RoundToNearest:
        return "rtn";
    case Method::RoundToNearestTensor:
        return "rtn-tensor";
    case Method::MseChannel:
        return "mse";
    case Method::Ocs:
        return "ocs";
    case Method::MixedPrecision:
        return "mixed";
    }
    return "?";
}

Method methodFromName(const std::string &name)
{
    for (Method m : {Method::Multipoint, Method::RoundToNearest, Method::RoundToNearestTensor,
                     Method::MseChannel, Method::Ocs, Method::MixedPrecision})
        if (name == methodName(m))
            return m;
    throw Error(ErrorCode::InvalidArgument,
                "unknown method '" + name +
                    "': use multipoint, rtn, rtn-tensor, mse, ocs or mixed");
}

MethodWeights methodWeights(const Model &model, const Analysis &analysis,
                            const Allocation &allocation, Method method)
{
    const std::vector<LayerInfo> &layers = model.layers();
    if (analysis.layers.size() != layers.size() || allocation.layers.size() != layers.size())
        throw Error(ErrorCode::InvalidArgument,
                    "the analysis and allocation do not belong to this model");
    const int b = analysis.settings.bits;
    MethodWeights out;
    out.method = method;
    out.weights.resize(layers.size());
    std::int64_t weights = 0, rows = 0;
    std::vector<std::size_t> quantized;
    for (std::size_t i = 0; i < layers.size(); ++i)
        if (!allocation.layers[i].isFloat) {
            quantized.push_back(i);
            weights += layers[i].outChannels * layers[i].d;
            rows += layers[i].outChannels;
        }
    if (weights == 0)
        return out;
    const double scaleBits = 32.0 * rows / weights;
    switch (method) {
    case Method::Multipoint:
        for (std::size_t i : quantized)
            out.weights[i] = quantizedWeight(model, analysis, allocation, i);
        out.memoryOverhead = allocation.memoryOverhead;
        out.effectiveBits = allocation.effectiveBits;
        break;
    case Method::RoundToNearest:
    case Method::RoundToNearestTensor:
    case Method::MseChannel: {
        std::int64_t tensors = 0;
        for (std::size_t i : quantized) {
            const LayerInfo &l = layers[i];
            const float *w = model.foldedWeight(i).data();
            const QuantizedMatrix q =
                method == Method::MseChannel
                    ? mseOptimalPerChannel(w, l.outChannels, l.d, b)
                    : roundToNearest(w, l.outChannels, l.d, b,
                                     method == Method::RoundToNearest ? Granularity::PerChannel
                                                                      : Granularity::PerTensor);
            out.weights[i] = q.dequantize();
            ++tensors;
        }
        out.effectiveBits =
            b + (method == Method::RoundToNearestTensor ? 32.0 * tensors / weights : scaleBits);
        break;
    }
    case Method::Ocs: {
        const double ratio = std::min(1.0, allocation.memoryOverhead);
        std::int64_t split = 0;
        for (std::size_t i : quantized) {
            const LayerInfo &l = layers[i];
            const std::int64_t kernel = l.kind == LayerKind::Linear ? 1 : l.d / l.weightShape[1];
            const OcsResult r = outlierChannelSplit(model.foldedWeight(i).data(), l.outChannels,
                                                    l.weightShape[1], kernel, l.groups, b, ratio);
            out.weights[i] = r.foldedWeight();
            split += l.outChannels * (r.splitInChannels - r.inChannels) * kernel;
        }
        out.memoryOverhead = double(split) / weights;
        out.effectiveBits = b * (1.0 + out.memoryOverhead) + scaleBits;
        char text[48];
        std::snprintf(text, sizeof text, "expand ratio %.1f %%", ratio * 100);
        out.detail = text;
        break;
    }
    case Method::MixedPrecision: {
        if (b >= 8)
            throw Error(ErrorCode::InvalidArgument, "per-layer mixed precision needs bits below 8");
        // the most sensitive layers first: relative output error of one point (curves at b bits)
        std::vector<std::pair<double, std::size_t>> order;
        for (std::size_t i : quantized) {
            const LayerCurves &c = analysis.curves[i];
            double e = 0, s = 0;
            for (std::int64_t ch = 0; ch < c.channels; ++ch) {
                e += c.errorAt(ch, 1);
                s += c.signal[ch];
            }
            order.emplace_back(s > 0 ? e / s : 0.0, i);
        }
        std::sort(order.begin(), order.end(), std::greater<>());
        // the allocation's extra low-bit weights, in bits: overhead * b bits per weight
        const double budgetBits = allocation.memoryOverhead * b * weights;
        double usedBits = 0;
        int promoted = 0;
        std::vector<bool> wider(layers.size(), false);
        for (const auto &[error, i] : order) {
            const double cost = double(layers[i].outChannels * layers[i].d);
            if (usedBits + cost > budgetBits)
                continue;
            usedBits += cost;
            wider[i] = true;
            ++promoted;
        }
        for (std::size_t i : quantized) {
            const LayerInfo &l = layers[i];
            out.weights[i] = mseOptimalPerChannel(model.foldedWeight(i).data(), l.outChannels, l.d,
                                                  wider[i] ? b + 1 : b)
                                 .dequantize();
        }
        out.memoryOverhead = usedBits / (double(b) * weights);
        out.effectiveBits = b * (1.0 + out.memoryOverhead) + scaleBits;
        out.detail = std::to_string(promoted) + " layers at " + std::to_string(b + 1) + " bits";
        break;
    }
    }
    return out;
}

} // namespace mpq
