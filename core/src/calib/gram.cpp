// The second moments of the layers' inputs (docs/multipoint.md section 10): every quantizable
// layer's input patches on the calibration images, summed as x x^T per group, and the factors
// the output-aware rounding of the decomposition needs.
#include "calib/gram.h"

#include "calib/calibration.h"
#include "model/forwardinput.h"
#include "mpq/error.h"
#include "mpq/images.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <stdexcept>
#include <tuple>

namespace mpq::calib {

namespace {

std::int64_t spatialDims(LayerKind kind)
{
    return kind == LayerKind::Conv1d ? 1 : kind == LayerKind::Conv2d ? 2 : 0;
}

bool isPrime(std::int64_t n)
{
    if (n < 2)
        return false;
    for (std::int64_t f = 2; f * f <= n; ++f)
        if (n % f == 0)
            return false;
    return true;
}

// The step s of the sampled output positions: every position when maxPositions is 0 or not
// exceeded, else the smallest prime that leaves at most maxPositions (a prime step walks through
// every column of an image row in turn, so borders and interior are sampled alike).
std::int64_t sampleStep(std::int64_t positions, std::int64_t maxPositions)
{
    if (maxPositions <= 0 || positions <= maxPositions)
        return 1;
    std::int64_t step = (positions + maxPositions - 1) / maxPositions;
    while (!isPrime(step))
        ++step;
    return step;
}

std::vector<std::int64_t> dims2(const std::vector<std::int64_t> &v)
{
    if (v.empty())
        return {1, 1};
    return {v[0], v.size() > 1 ? v[1] : v[0]};
}

// The padding of a 2-d convolution when it is the same on both sides of each dimension
// (numbers, or "valid", or "same" with an even total), else nothing.
std::optional<std::vector<std::int64_t>> symmetricPadding(const LayerInfo &l, const LayerOp &op)
{
    if (op.paddingMode.empty()) {
        if (op.padding.empty())
            return std::vector<std::int64_t>{0, 0};
        return std::vector<std::int64_t>{op.padding[0],
                                         op.padding.size() > 1 ? op.padding[1] : op.padding[0]};
    }
    if (op.paddingMode == "valid")
        return std::vector<std::int64_t>{0, 0};
    const std::vector<std::int64_t> dilation = dims2(op.dilation);
    std::vector<std::int64_t> out;
    for (int i = 0; i < 2; ++i) {
        const std::int64_t total = dilation[i] * (l.weightShape[2 + i] - 1);
        if (total % 2 != 0)
            return std::nullopt;
        out.push_back(total / 2);
    }
    return out;
}

// Whether x has the input features (a linear layer's last dimension) or channels (a
// convolution's, batched or not) that layer l's weight takes.
bool takesInput(const LayerInfo &l, const at::Tensor &x)
{
    if (l.kind == LayerKind::Linear)
        return x.dim() >= 1 && x.size(-1) == l.d;
    const std::int64_t spatial = spatialDims(l.kind);
    const std::int64_t channelDim = x.dim() == spatial + 2 ? 1 : 0;
    return (x.dim() == spatial + 1 || x.dim() == spatial + 2) &&
           x.size(channelDim) == l.weightShape[1] * l.groups;
}

} // namespace

at::Tensor inputPatches(const Model::Impl &impl, std::size_t layer, const at::Tensor &x,
                        std::int64_t maxPositions)
{
    const LayerInfo &l = impl.layers.at(layer);
    if (l.kind == LayerKind::Linear)
        return x.reshape({-1, l.d}).t().unsqueeze(0);
    const LayerOp &op = impl.ops.at(layer);
    const std::int64_t spatial = spatialDims(l.kind);
    const at::Tensor in = x.dim() == spatial + 1 ? x.unsqueeze(0) : x;
    const std::int64_t batch = in.size(0);
    const auto all = [](const std::vector<std::int64_t> &v, std::int64_t value) {
        return std::all_of(v.begin(), v.end(), [&](std::int64_t e) { return e == value; });
    };
    at::Tensor y; // (B, groups * d, positions)
    bool sampledAlready = false;
    if (l.groups == 1 && l.d == in.size(1) && all(op.stride, 1) &&
        (op.paddingMode.empty() ? all(op.padding, 0) : true)) {
        // a pointwise convolution's patches are its input's pixels
        y = in.flatten(2);
    } else if (const auto padding = symmetricPadding(l, op); spatial == 2 && padding) {
        const std::int64_t kh = l.weightShape[2], kw = l.weightShape[3];
        const std::vector<std::int64_t> dilation = dims2(op.dilation), stride = dims2(op.stride);
        const std::int64_t outH =
            (in.size(2) + 2 * (*padding)[0] - dilation[0] * (kh - 1) - 1) / stride[0] + 1;
        const std::int64_t outW =
            (in.size(3) + 2 * (*padding)[1] - dilation[1] * (kw - 1) - 1) / stride[1] + 1;
        const std::int64_t positions = outH * outW;
        const std::int64_t step = sampleStep(positions, maxPositions);
        if (step == 1) {
            // im2col: a copy, where a convolution with one-hot weights multiplies
            y = at::im2col(in, {kh, kw}, dilation, *padding, stride);
        } else {
            // the sampled positions' patches alone, gathered from the zero-padded input: im2col
            // of every position copied `step` times as much (the demo detector's first layers:
            // 64 times; half of its input pass; docs/BENCHMARKS.md)
            const at::TensorOptions index =
                at::TensorOptions().dtype(at::kLong).device(in.device());
            const at::Tensor sampled = at::arange(0, positions, step, index);
            const at::Tensor rows = (sampled.div(outW, "floor") * stride[0]).unsqueeze(1) +
                                    at::arange(kh, index) * dilation[0];
            const at::Tensor cols = (sampled.remainder(outW) * stride[1]).unsqueeze(1) +
                                    at::arange(kw, index) * dilation[1];
            const at::Tensor padded = at::constant_pad_nd(
                in, {(*padding)[1], (*padding)[1], (*padding)[0], (*padding)[0]});
            using at::indexing::Slice;
            // (B, C, P, kh, kw) -> (B, C * kh * kw, P), the channel order of im2col
            y = padded.index({Slice(), Slice(), rows.unsqueeze(2), cols.unsqueeze(1)})
                    .permute({0, 1, 3, 4, 2})
                    .reshape({batch, -1, sampled.size(0)});
            sampledAlready = true;
        }
    } else {
        // the layer's own operation with one-hot weights: output channel g * d + t of group g
        // is entry t of the group's (C_in / groups, k...) patch, so padding, stride, dilation and
        // string padding are the layer's own (ATen's convolution: a gather by hand was slower)
        std::vector<std::int64_t> shape = l.weightShape;
        shape[0] = l.groups * l.d;
        const at::Tensor eye = at::eye(l.d, in.options()).repeat({l.groups, 1}).view(shape);
        y = op.run(in, eye).flatten(2);
    }
    if (!sampledAlready)
        y = y.slice(2, 0, y.size(2), sampleStep(y.size(2), maxPositions));
    return y.reshape({batch, l.groups, l.d, -1}).permute({1, 2, 0, 3}).reshape({l.groups, l.d, -1});
}

std::vector<at::Tensor> inputGrams(const Model::Impl &impl, const ModelProfile &profile,
                                   const std::vector<std::string> &files,
                                   const std::vector<std::size_t> &layers, int batchSize,
                                   const JobControl &control,
                                   const std::function<void(double)> &progress,
                                   std::int64_t maxPositions)
{
    c10::InferenceMode inference;
    std::vector<int> slot(impl.layers.size(), -1);
    std::vector<bool> record(impl.layers.size(), false);
    std::vector<at::Tensor> grams;
    for (std::size_t k = 0; k < layers.size(); ++k) {
        slot[layers[k]] = static_cast<int>(k);
        record[layers[k]] = true;
        const LayerInfo &l = impl.layers[layers[k]];
        grams.push_back(at::zeros({l.groups, l.d, l.d}, at::kDouble));
    }
    torch::jit::Module instance = instrumentedInstance(impl, record, /*recordOutputs=*/false);
    std::atomic<bool> stop{false};
    const Recorder recorder = [&](std::int64_t id, const at::Tensor &x, bool output) {
        if (stop || control.cancelled()) {
            stop = true;
            throw CancelledInForward();
        }
        const int k = output ? -1 : slot[id];
        if (k < 0)
            return;
        const LayerInfo &l = impl.layers[id];
        // An input the layer cannot take (a profile of the wrong size or channels): the layer's
        // own operation fails right after this with the model's reason; its patches would fail
        // first, with a reshape's.
        if (!takesInput(l, x))
            return;
        // A convolution's Gram image by image: each image's product in float (a third of the
        // time of double), summed in double in the images' order, so every batch size gives the
        // same Gram bit for bit (and the same codes: output-aware rounding is sensitive to the
        // last bits where two levels are close). A linear layer's rows (or an unbatched layer's
        // one image) in one product in double.
        const bool batched = l.kind != LayerKind::Linear && x.dim() == spatialDims(l.kind) + 2;
        if (!batched) {
            const at::Tensor patches =
                inputPatches(impl, id, x, maxPositions).to(at::kCPU, at::kDouble);
            grams[k] += at::bmm(patches, patches.transpose(1, 2));
            return;
        }
        for (std::int64_t r = 0; r < x.size(0); ++r) {
            const at::Tensor patches =
                inputPatches(impl, id, x.narrow(0, r, 1), maxPositions).to(at::kCPU, at::kFloat);
            grams[k] += at::bmm(patches, patches.transpose(1, 2)).to(at::kDouble);
        }
    };
    RecordingScope scope(recorder);
    const std::size_t batch = std::size_t(std::max(1, batchSize));
    for (std::size_t begin = 0; begin < files.size(); begin += batch) {
        if (control.cancelled())
            throw Error(ErrorCode::Cancelled, "analysis cancelled");
        std::vector<PreparedImage> images;
        for (std::size_t i = begin; i < std::min(files.size(), begin + batch); ++i) {
            try {
                images.push_back(prepareImage(files[i], profile.input));
            } catch (const Error &) {
                // the calibration skips it too, with a warning
            }
        }
        if (!images.empty()) {
            try {
                instance.forward(forwardArguments(instance, batchTensor(images, impl.device)));
            } catch (const std::exception &e) {
                if (stop)
                    throw Error(ErrorCode::Cancelled, "analysis cancelled");
                throw Error(ErrorCode::BadModel,
                            modelFailsOnInput(impl.path, images.size(), profile.input, e));
            }
        }
        if (progress)
            progress(double(std::min(files.size(), begin + batch)) / double(files.size()));
    }
    return grams;
}

RowCompensation makeRowCompensation(at::Tensor gram, double damping)
{
    const std::int64_t groups = gram.size(0), d = gram.size(1);
    at::Tensor h = gram.to(at::kCPU, at::kDouble, /*non_blocking=*/false, /*copy=*/true);
    gram = at::Tensor();                   // a Gram moved in goes now
    at::Tensor diag = h.diagonal(0, 1, 2); // a view: written through below
    diag.masked_fill_(diag <= 0.0, 1.0);
    const at::Tensor mean = diag.mean(1, /*keepdim=*/true);
    const at::Tensor order = at::argsort(diag, /*dim=*/1, /*descending=*/true);
    // each step lets the tensor before it go, so that at most three d x d tensors are alive
    at::Tensor factor;
    for (int attempt = 0;; ++attempt) {
        const at::Tensor lambda = (damping * mean).expand({groups, d});
        at::Tensor lower, info;
        {
            // H + lambda I in the rounding order
            at::Tensor permuted = h.gather(1, order.unsqueeze(2).expand({groups, d, d}));
            permuted = permuted.gather(2, order.unsqueeze(1).expand({groups, d, d}));
            permuted.diagonal(0, 1, 2).add_(lambda);
            std::tie(lower, info) = at::linalg_cholesky_ex(permuted);
        }
        if (info.max().item<int>() == 0) {
            at::Tensor inverse = at::cholesky_inverse(lower);
            lower = at::Tensor();
            auto [upper, info2] = at::linalg_cholesky_ex(inverse, /*upper=*/true);
            inverse = at::Tensor();
            if (info2.max().item<int>() == 0) {
                factor = upper.contiguous();
                h.diagonal(0, 1, 2).add_(lambda);
                break;
            }
        }
        if (attempt == 4)
            throw Error(ErrorCode::InvalidArgument, "the input Gram is not positive definite");
        damping *= 10.0;
    }
    RowCompensation out;
    out.groups = groups;
    out.cols = d;
    const at::Tensor o = order.contiguous();
    out.order.assign(o.data_ptr<std::int64_t>(), o.data_ptr<std::int64_t>() + groups * d);
    out.factor.assign(factor.data_ptr<double>(), factor.data_ptr<double>() + groups * d * d);
    factor = at::Tensor();
    const at::Tensor g = h.contiguous();
    out.gram.assign(g.data_ptr<double>(), g.data_ptr<double>() + groups * d * d);
    return out;
}

} // namespace mpq::calib
