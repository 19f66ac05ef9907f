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
    case Method::RoundToNearestNext:
        return "rtn-next";
    case Method::MseChannelNext:
        return "mse-next";
    }
    return "?";
}

Method methodFromName(const std::string &name)
{
    for (Method m : {Method::Multipoint, Method::RoundToNearest, Method::RoundToNearestTensor,
                     Method::MseChannel, Method::Ocs, Method::MixedPrecision,
                     Method::RoundToNearestNext, Method::MseChannelNext})
        if (name == methodName(m))
            return m;
    throw Error(ErrorCode::InvalidArgument,
                "unknown method '" + name +
                    "': use multipoint, rtn, rtn-tensor, mse, ocs, mixed, rtn-next or mse-next");
}

namespace {

// R_l = sum_c e_c(1) / sum_c s_c of a one-point curve (0 for a layer without output energy).
double onePointError(const LayerCurves &c)
{
    double e = 0, s = 0;
    for (std::int64_t ch = 0; ch < c.channels; ++ch) {
        e += c.errorAt(ch, 1);
        s += c.signal[ch];
    }
    return s > 0 ? e / s : 0.0;
}

const LayerAtBits &singlePointAt(const std::vector<LayerAtBits> &singlePoint, const LayerInfo &l,
                                 std::size_t i, int bits)
{
    const LayerAtBits *a = findLayerAtBits(singlePoint, i, bits);
    if (!a)
        throw Error(ErrorCode::InvalidArgument,
                    l.name +
                        ": mixed precision needs its single-point decomposition and curves at " +
                        std::to_string(bits) + " bits (see mixedPrecisionInputs)");
    if (a->decomposition.rows() != l.outChannels || a->decomposition.cols() != l.d ||
        a->curves.channels != l.outChannels || a->curves.maxPoints < 1)
        throw Error(ErrorCode::InvalidArgument, l.name + ": the single-point entry at " +
                                                    std::to_string(bits) +
                                                    " bits does not fit the layer");
    return *a;
}

// P_l, the layer's output positions per image (0 when the analysis has no curves for it).
std::int64_t positionsOf(const Analysis &analysis, std::size_t i)
{
    return i < analysis.curves.size() ? analysis.curves[i].outputPositions : 0;
}

// sum W_l * P_l over all quantizable layers, float ones included (docs/multipoint.md section 4)
double allMacs(const Model &model, const Analysis &analysis)
{
    double macs = 0;
    for (std::size_t i = 0; i < model.layers().size(); ++i) {
        const LayerInfo &l = model.layers()[i];
        macs += double(l.outChannels * l.d) * double(positionsOf(analysis, i));
    }
    return macs;
}

} // namespace

MethodWeights methodWeights(const Model &model, const Analysis &analysis,
                            const Allocation &allocation, const std::vector<LayerAtBits> &atBits,
                            Method method, const std::vector<LayerAtBits> &singlePoint)
{
    const std::vector<LayerInfo> &layers = model.layers();
    if (analysis.layers.size() != layers.size() || allocation.layers.size() != layers.size())
        throw Error(ErrorCode::InvalidArgument,
                    "the analysis and allocation do not belong to this model");
    const int b = analysis.settings.bits;
    MethodWeights out;
    out.method = method;
    out.weights.resize(layers.size());
    // The cost model of docs/multipoint.md section 4: every denominator is over all quantizable
    // layers, a float layer's weight is stored in 32 bits.
    std::int64_t all = 0, floatWeights = 0, quantizedWeights = 0, rows = 0;
    double storedBits = 0, scales = 0; // the multipoint allocation's
    std::vector<std::size_t> quantized;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const LayerInfo &l = layers[i];
        const LayerAllocation &la = allocation.layers[i];
        if (la.name != l.name)
            throw Error(ErrorCode::InvalidArgument,
                        "the allocation does not belong to this model (layer " + l.name + ")");
        const std::int64_t w = l.outChannels * l.d;
        all += w;
        if (la.isFloat) {
            floatWeights += w;
            storedBits += 32.0 * double(w);
            continue;
        }
        quantized.push_back(i);
        quantizedWeights += w;
        rows += l.outChannels;
        storedBits += double(la.storedBits); // the allocation's own count (section 4)
        scales += double(la.scales);
    }
    if (all == 0)
        return out;
    const double floatBits = 32.0 * double(floatWeights);
    const double baseBits = double(b) * double(quantizedWeights) + floatBits;
    // what the allocation spends beyond b bits per quantized weight: the baselines' budget
    const double extraBits = std::max(0.0, storedBits - baseBits);
    auto finish = [&](double stored, double scaleCount) {
        out.memoryOverhead = stored / (double(b) * double(all)) - 1.0;
        out.effectiveBits = (stored + 32.0 * scaleCount) / double(all);
    };
    double extraMacs = 0; // OCS: the split input channels' products
    switch (method) {
    case Method::Multipoint:
        for (std::size_t i : quantized)
            out.weights[i] = quantizedWeight(model, analysis, allocation, atBits, i);
        if (allocation.biasCorrection) { // docs/multipoint.md section 9
            out.biasCorrection.resize(layers.size());
            for (std::size_t i : quantized)
                out.biasCorrection[i] =
                    allocatedBiasCorrection(model, analysis, allocation, atBits, i);
        }
        finish(storedBits, scales);
        out.macOverhead = allocation.macOverhead;
        break;
    case Method::RoundToNearest:
    case Method::RoundToNearestTensor:
    case Method::MseChannel:
    case Method::RoundToNearestNext:
    case Method::MseChannelNext: {
        const bool next = method == Method::RoundToNearestNext || method == Method::MseChannelNext;
        if (next && b >= 8)
            throw Error(ErrorCode::InvalidArgument,
                        std::string(methodName(method)) + " needs bits below 8");
        const int bits = next ? b + 1 : b;
        const bool mse = method == Method::MseChannel || method == Method::MseChannelNext;
        for (std::size_t i : quantized) {
            const LayerInfo &l = layers[i];
            const float *w = model.foldedWeight(i).data();
            const QuantizedMatrix q = mse ? mseOptimalPerChannel(w, l.outChannels, l.d, bits)
                                          : roundToNearest(w, l.outChannels, l.d, bits,
                                                           method == Method::RoundToNearestTensor
                                                               ? Granularity::PerTensor
                                                               : Granularity::PerChannel);
            out.weights[i] = q.dequantize();
        }
        // the next-bit methods store every quantized weight at b+1 bits (docs/multipoint.md
        // section 4: still measured against b bits per weight)
        finish(next ? baseBits + double(quantizedWeights) : baseBits,
               method == Method::RoundToNearestTensor ? double(quantized.size()) : double(rows));
        if (next)
            out.detail = "all layers at " + std::to_string(bits) + " bits";
        break;
    }
    case Method::Ocs: {
        const double ratio =
            quantizedWeights > 0 ? std::min(1.0, extraBits / (double(b) * quantizedWeights)) : 0.0;
        std::int64_t split = 0;
        for (std::size_t i : quantized) {
            const LayerInfo &l = layers[i];
            const std::int64_t kernel = l.kind == LayerKind::Linear ? 1 : l.d / l.weightShape[1];
            const OcsResult r = outlierChannelSplit(model.foldedWeight(i).data(), l.outChannels,
                                                    l.weightShape[1], kernel, l.groups, b, ratio);
            out.weights[i] = r.foldedWeight();
            const std::int64_t extra = l.outChannels * (r.splitInChannels - r.inChannels) * kernel;
            split += extra;
            extraMacs += double(extra) * double(positionsOf(analysis, i));
        }
        finish(baseBits + double(b) * split, double(rows));
        const double macs = allMacs(model, analysis);
        out.macOverhead = macs > 0 ? extraMacs / macs : 0.0;
        char text[48];
        std::snprintf(text, sizeof text, "expand ratio %.1f %%", ratio * 100);
        out.detail = text;
        out.expandRatio = ratio;
        break;
    }
    case Method::MixedPrecision: {
        if (b >= 8)
            throw Error(ErrorCode::InvalidArgument, "per-layer mixed precision needs bits below 8");
        // Issue 12, defect 5: the gain of a layer at b+1 bits, R_l(b) - R_l(b+1), per weight,
        // both measured with the MSE-optimal single point that is applied below.
        struct Candidate
        {
            double gain;
            std::size_t layer;
        };
        std::vector<Candidate> order;
        for (std::size_t i : quantized) {
            const LayerInfo &l = layers[i];
            const double drop = onePointError(singlePointAt(singlePoint, l, i, b).curves) -
                                onePointError(singlePointAt(singlePoint, l, i, b + 1).curves);
            order.push_back({drop / double(l.outChannels * l.d), i});
        }
        std::stable_sort(order.begin(), order.end(),
                         [](const Candidate &x, const Candidate &y) { return x.gain > y.gain; });
        double usedBits = 0;
        int promoted = 0;
        std::vector<bool> wider(layers.size(), false);
        for (const Candidate &c : order) {
            const double cost = double(layers[c.layer].outChannels * layers[c.layer].d);
            if (c.gain <= 0 || usedBits + cost > extraBits)
                continue; // no better at b+1 bits, or does not fit: smaller layers still may
            usedBits += cost;
            wider[c.layer] = true;
            out.widerLayers.push_back(c.layer);
            ++promoted;
        }
        for (std::size_t i : quantized)
            out.weights[i] = singlePointAt(singlePoint, layers[i], i, wider[i] ? b + 1 : b)
                                 .decomposition.reconstruct(1);
        finish(baseBits + usedBits, double(rows));
        out.detail = std::to_string(promoted) + " layers at " + std::to_string(b + 1) + " bits";
        break;
    }
    }
    return out;
}

double methodMacOverhead(const Model &model, const Analysis &analysis, const Allocation &allocation,
                         Method method)
{
    switch (method) {
    case Method::Multipoint:
        return allocation.macOverhead;
    case Method::Ocs:
        return methodWeights(model, analysis, allocation, {}, method).macOverhead;
    default:
        return 0.0; // one product per weight, as in the reference
    }
}

std::vector<LayerAtBits> mixedPrecisionInputs(const Model &model, const ModelProfile &profile,
                                              const Analysis &analysis, const JobControl &control)
{
    const int b = analysis.settings.bits;
    if (b >= 8)
        throw Error(ErrorCode::InvalidArgument, "per-layer mixed precision needs bits below 8");
    std::vector<std::size_t> all(model.layers().size());
    for (std::size_t i = 0; i < all.size(); ++i)
        all[i] = i;
    // one call: the input Grams of output-aware rounding are measured once for both widths
    return layersAtBits(model, profile, analysis, all, std::vector<int>{b, b + 1}, control,
                        singlePointSettings(analysis.settings));
}

AnalysisSettings singlePointSettings(const AnalysisSettings &analysis)
{
    AnalysisSettings single = analysis;
    single.maxPoints = 1;
    single.firstPoint = FirstPointRule::L2;
    single.search = SearchMethod::Exact;
    return single;
}

} // namespace mpq
