// Output sensitivity per layer and channel (docs/multipoint.md section 8): one backward pass per
// batch with a random probe at the model's output, through an instance whose layer outputs pass
// an identity operator with an autograd kernel that accumulates the squared gradient per channel.
#include "mpq/sensitivity.h"

#include "calib/calibration.h"
#include "calib/sensitivityrun.h"
#include "model/forwardinput.h"
#include "model/modelimpl.h"
#include "mpq/error.h"
#include "mpq/images.h"
#include "util/errorreason.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/csrc/jit/runtime/graph_executor.h>
#include <torch/library.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <mutex>

namespace mpq {

namespace {

// A layer's output gradient summed over the positions of each image: (B, C) for batched
// outputs, (C) for an unbatched convolution or a linear layer's single vector.
at::Tensor perImageSums(const at::Tensor &g, LayerKind kind, std::int64_t spatial)
{
    if (kind == LayerKind::Linear) {
        if (g.dim() <= 2)
            return g;
        std::vector<std::int64_t> inner;
        for (std::int64_t k = 1; k < g.dim() - 1; ++k)
            inner.push_back(k);
        return g.sum(inner);
    }
    const bool batched = g.dim() == spatial + 2;
    std::vector<std::int64_t> positions;
    for (std::int64_t k = batched ? 2 : 1; k < g.dim(); ++k)
        positions.push_back(k);
    return positions.empty() ? g : g.sum(positions);
}

// Sums of the squared output gradient per layer and channel, and the output positions seen.
struct GradientSums
{
    std::mutex mutex; // the backward of a CUDA model runs on the device's own thread
    const Model::Impl *impl = nullptr;
    std::vector<OutputToFolded> toFolded;
    std::vector<at::Tensor> sums;            // per layer, (C) double on the CPU
    std::vector<at::Tensor> meanSums;        // per layer, (C): sum over images of (sum_p g)^2
    std::vector<std::int64_t> positions;     // per layer, output positions of the forward
    std::vector<std::int64_t> positionsSeen; // per layer, summed over the batches

    void add(std::int64_t id, const at::Tensor &grad)
    {
        const LayerInfo &l = impl->layers[std::size_t(id)];
        const std::int64_t spatial = l.kind == LayerKind::Conv1d   ? 1
                                     : l.kind == LayerKind::Conv2d ? 2
                                                                   : 0;
        const at::Tensor d = grad.detach();
        // per image and channel, (B, C): the sum of the gradient over the image's positions
        // and the sum of its squares, then g = sum over images of the squares, m = sum over
        // images of the squared sums
        at::Tensor imageSums, imageSquares;
        if (l.kind != LayerKind::Linear && d.dim() > spatial) {
            // a convolution's (B, C, positions...) or (C, positions...): one row per image and
            // channel, the sum of squares as each row's squared norm (one pass, no squared copy
            // of a gradient that reaches tens of MB; a batched matrix product of each row with
            // itself went through a BLAS call per row, 8 times slower, docs/multipoint.md
            // section 8)
            const bool batched = d.dim() == spatial + 2;
            const std::int64_t B = batched ? d.size(0) : 1, C = d.size(batched ? 1 : 0);
            const at::Tensor rows = d.reshape({B * C, -1});
            imageSums = rows.sum(1).view({B, C});
            imageSquares =
                at::linalg_vector_norm(rows, 2, {1}).to(at::kDouble).square().view({B, C});
        } else {
            imageSums = perImageSums(d, l.kind, spatial);
            imageSquares = perImageSums(d.square(), l.kind, spatial);
        }
        imageSums = imageSums.to(at::kCPU, at::kDouble);
        imageSquares = imageSquares.to(at::kCPU, at::kDouble);
        at::Tensor g = imageSquares.dim() > 1 ? imageSquares.sum(0) : imageSquares;
        at::Tensor m = imageSums.square();
        m = m.dim() > 1 ? m.sum(0) : m;
        // the curves describe the folded output W_f x = scale_c (y_c - bias_c) (section 3), so
        // its gradient is dL/dy_c / scale_c
        if (toFolded[std::size_t(id)].scale.defined()) {
            const at::Tensor scale2 = toFolded[std::size_t(id)].scale.square();
            g = g / scale2;
            m = m / scale2;
        }
        std::lock_guard<std::mutex> lock(mutex);
        sums[std::size_t(id)] += g;
        meanSums[std::size_t(id)] += m;
    }
};

// The accumulator of the calling thread's forward. The autograd node keeps its own pointer, so
// the backward finds it on whichever thread runs it.
thread_local GradientSums *t_sums = nullptr;

struct ProbeFunction : public torch::autograd::Function<ProbeFunction>
{
    static at::Tensor forward(torch::autograd::AutogradContext *ctx, const at::Tensor &y,
                              std::int64_t id)
    {
        ctx->saved_data["id"] = id;
        ctx->saved_data["sums"] =
            static_cast<std::int64_t>(reinterpret_cast<std::intptr_t>(t_sums));
        // a new tensor, not y itself: the graph may modify the layer's output in place (relu_)
        return y.clone();
    }
    static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx,
                                                   torch::autograd::variable_list grads)
    {
        auto *sums = reinterpret_cast<GradientSums *>(
            static_cast<std::intptr_t>(ctx->saved_data["sums"].toInt()));
        if (sums && grads[0].defined())
            sums->add(ctx->saved_data["id"].toInt(), grads[0]);
        return {grads[0], at::Tensor()};
    }
};

// mpq::probe_output(y, id): y unchanged in value; with a probe run active and gradients on, its
// gradient is accumulated for layer id. The first probed output becomes a leaf that requires
// grad, so the backward runs from the model's output to the first quantizable layer only (the
// parameters need no gradient).
at::Tensor probeOutput(const at::Tensor &y, std::int64_t id)
{
    if (!t_sums || !at::GradMode::is_enabled() || !y.is_floating_point())
        return y;
    const std::size_t layer = std::size_t(id);
    if (layer < t_sums->positions.size()) {
        const std::int64_t C = std::max<std::int64_t>(1, t_sums->impl->layers[layer].outChannels);
        t_sums->positions[layer] += y.numel() / C;
    }
    if (y.requires_grad() && y.grad_fn()) {
        // y itself with a hook, no copy of the layer's output: LibTorch 1.13 keeps a tensor's
        // hook on the node that made it (the layer's), so an in-place operation on y later
        // (relu_) does not move it and it receives the gradient of the layer's output
        // (tst_taskaware inPlaceOperationAfterALayer would catch a LibTorch that moves the
        // hook to the in-place operation's node)
        GradientSums *sums = t_sums;
        at::Tensor out = y;
        out.register_hook([sums, id](const at::Tensor &grad) {
            if (grad.defined())
                sums->add(id, grad);
        });
        return out;
    }
    // a layer whose input needs no gradient: its output becomes a leaf, which an in-place
    // operation must not modify, hence the copy in ProbeFunction
    const at::Tensor in = y.requires_grad() ? y : y.detach().requires_grad_(true);
    return ProbeFunction::apply(in, id);
}

} // namespace

// Registered without a dispatch key: a composite kernel, so autograd records what it runs.
TORCH_LIBRARY_FRAGMENT(mpq, m)
{
    m.def("probe_output(Tensor y, int id) -> Tensor", &probeOutput);
}

namespace {

// Every floating-point tensor of a (nested) model output that carries a gradient.
void collectOutputs(const c10::IValue &v, std::vector<at::Tensor> &out)
{
    if (v.isTensor()) {
        const at::Tensor &t = v.toTensor();
        if (t.defined() && t.is_floating_point() && t.requires_grad() && t.numel() > 0)
            out.push_back(t);
    } else if (v.isTuple()) {
        for (const c10::IValue &e : v.toTupleRef().elements())
            collectOutputs(e, out);
    } else if (v.isList()) {
        for (const c10::IValue &e : v.toListRef())
            collectOutputs(e, out);
    } else if (v.isGenericDict()) {
        for (const auto &entry : v.toGenericDict())
            collectOutputs(entry.value(), out);
    }
}

// The probe at one output tensor: for KL, v = onehot(k) - p with k drawn from p = softmax over
// the last dimension (E[v v^T] = diag(p) - p p^T, the Fisher of the softmax); for squared
// error, v ~ N(0, scale^2 I) (E[v v^T] = scale^2 I, squaredErrorScales). `probabilities`: the
// output already is p.
at::Tensor probeFor(const at::Tensor &output, bool kl, bool probabilities, double scale,
                    at::Generator &gen)
{
    const at::Tensor y = output.detach().to(at::kCPU, at::kFloat);
    if (!kl || y.dim() < 1 || y.size(-1) < 2)
        return (at::normal(0.0, 1.0, y.sizes(), gen, at::TensorOptions().dtype(at::kFloat)) * scale)
            .to(output.device(), output.scalar_type());
    const std::int64_t K = y.size(-1);
    const at::Tensor rows = y.reshape({-1, K});
    at::Tensor p = probabilities ? rows.clamp_min(0) : at::softmax(rows, 1);
    p = p / p.sum(1, true).clamp_min(1e-30);
    const at::Tensor k = at::multinomial(p, 1, true, gen);
    at::Tensor v = at::zeros_like(p).scatter_(1, k, 1.0) - p;
    if (probabilities) // the loss is on log p: d log p / d p = 1 / p
        v = v / p.clamp_min(1e-12);
    return v.reshape(y.sizes()).to(output.device(), output.scalar_type());
}

// The squared error's weight of each output tensor: Q / q_o, with q_o the tensor's mean square
// over the batch and Q that of all the outputs together, so that each output's error counts
// relative to its own scale (boxes in pixels beside scores in 0..1 weigh alike) and a single
// output's loss is its plain squared error (docs/multipoint.md section 8). Returned as square
// roots, the probes' scales; 1 for an output without signal.
std::vector<double> squaredErrorScales(const std::vector<at::Tensor> &outputs)
{
    std::vector<double> meanSquares;
    double total = 0, count = 0;
    for (const at::Tensor &o : outputs) {
        const double sum = o.detach().square().sum(at::kDouble).item<double>();
        meanSquares.push_back(sum / double(o.numel()));
        total += sum;
        count += double(o.numel());
    }
    const double all = count > 0 ? total / count : 0;
    std::vector<double> scales;
    for (double q : meanSquares)
        scales.push_back(
            q > 0 && all > 0 && std::isfinite(q) && std::isfinite(all) ? std::sqrt(all / q) : 1.0);
    return scales;
}

} // namespace

struct SensitivityRun::State
{
    const Model::Impl *impl = nullptr;
    bool kl = false, probabilities = false;
    int probes = 1;
    GradientSums sums;
    at::Generator gen;
    std::int64_t images = 0;
    std::vector<at::Tensor> outputs; // of the last forward, for its backward
    std::int64_t batch = 0;          // its images
};

SensitivityRun::SensitivityRun(const Model::Impl &impl, const ModelProfile &profile,
                               const SensitivityOptions &options)
    : m(std::make_unique<State>())
{
    m->impl = &impl;
    m->kl = options.loss == SensitivityLoss::Kl ||
            (options.loss == SensitivityLoss::Auto && profile.task == Task::Classification);
    m->probabilities = m->kl && profile.output.decoder == DecoderKind::Probabilities;
    m->probes = std::max(1, options.probes);
    m->gen = at::detail::createCPUGenerator(options.seed);
    m->sums.impl = &impl;
    // accumulated in the backward, outside inference mode: no inference tensors
    c10::InferenceMode noInference(false);
    const std::size_t L = impl.layers.size();
    for (std::size_t i = 0; i < L; ++i) {
        m->sums.toFolded.push_back(outputToFolded(impl, i));
        m->sums.sums.push_back(at::zeros({impl.layers[i].outChannels}, at::kDouble));
        m->sums.meanSums.push_back(at::zeros({impl.layers[i].outChannels}, at::kDouble));
    }
    m->sums.positions.assign(L, 0);
    m->sums.positionsSeen.assign(L, 0);
}

SensitivityRun::~SensitivityRun() = default;

void SensitivityRun::instrument(torch::jit::Module &instance) const
{
    for (at::Tensor p : instance.parameters())
        p.requires_grad_(false);
    auto graph = inlinedForward(instance);
    std::vector<std::string> skipped;
    const std::vector<LayerSite> sites = findLayerSites(*graph, skipped);
    const std::map<std::string, std::size_t> layerOf = m->impl->layerByWeightPath();
    static const auto kProbe = c10::Symbol::fromQualString("mpq::probe_output");
    for (const LayerSite &site : sites) {
        const auto it = layerOf.find(site.weightPath);
        if (it == layerOf.end())
            continue;
        // right after the layer: a recording operator that took the layer's output now takes
        // the probed one (the same values)
        torch::jit::Value *y = site.node->output();
        torch::jit::WithInsertPoint after(site.node->next());
        torch::jit::Value *probed = graph->insert(
            kProbe,
            {y, torch::jit::NamedValue(c10::IValue(static_cast<std::int64_t>(it->second)))});
        y->replaceAllUsesWith(probed);
        probed->node()->replaceInput(0, y);
    }
}

void SensitivityRun::forward(torch::jit::Module &instance, const std::vector<PreparedImage> &batch)
{
    const Model::Impl &impl = *m->impl;
    GradientSums &sums = m->sums;
    // autograd on, whatever the caller's mode (the analysis runs in inference mode)
    c10::InferenceMode noInference(false);
    at::AutoGradMode grad(true);
    // the graph as it is, without the executor's profiling runs and optimisation passes: they
    // cost more than they save on the few batches measured (docs/multipoint.md section 8)
    torch::jit::GraphOptimizerEnabledGuard noOptimization(false);
    std::fill(sums.positions.begin(), sums.positions.end(), 0);
    m->outputs.clear();
    m->batch = 0;
    GradientSums *previous = t_sums;
    t_sums = &sums;
    c10::IValue result;
    try {
        result = instance.forward(forwardArguments(instance, batchTensor(batch, impl.device)));
    } catch (...) {
        t_sums = previous;
        throw;
    }
    t_sums = previous;
    collectOutputs(result, m->outputs);
    m->batch = std::int64_t(batch.size());
}

void SensitivityRun::backward()
{
    const Model::Impl &impl = *m->impl;
    GradientSums &sums = m->sums;
    std::vector<at::Tensor> outputs = std::move(m->outputs);
    m->outputs.clear();
    if (outputs.empty())
        throw Error(ErrorCode::BadModel,
                    impl.path + ": the output sensitivity cannot be measured: no model output "
                                "depends on a quantizable layer");
    try {
        c10::InferenceMode noInference(false);
        // one forward, a backward per probe (the graph kept for all but the last)
        // (KL probes take no scale: only the squared error's are measured)
        const std::vector<double> scales =
            m->kl ? std::vector<double>(outputs.size(), 1.0) : squaredErrorScales(outputs);
        for (int probe = 0; probe < m->probes; ++probe) {
            std::vector<at::Tensor> vs;
            for (std::size_t o = 0; o < outputs.size(); ++o)
                vs.push_back(probeFor(outputs[o], m->kl, m->probabilities, scales[o], m->gen));
            torch::autograd::backward(outputs, vs, /*retain_graph=*/probe + 1 < m->probes);
        }
    } catch (const std::exception &e) {
        const std::string what = torchErrorReason(e.what());
        throw Error(ErrorCode::BadModel,
                    impl.path + ": the output sensitivity cannot be measured: " + what);
    }
    for (std::size_t i = 0; i < sums.positions.size(); ++i)
        sums.positionsSeen[i] += sums.positions[i] * m->probes;
    m->images += m->batch;
}

void SensitivityRun::run(torch::jit::Module &instance, const std::vector<PreparedImage> &batch)
{
    try {
        forward(instance, batch);
    } catch (const Error &) {
        throw;
    } catch (const std::exception &e) {
        const std::string what = torchErrorReason(e.what());
        throw Error(ErrorCode::BadModel,
                    m->impl->path + ": the output sensitivity cannot be measured: " + what);
    }
    backward();
}

std::int64_t SensitivityRun::images() const
{
    return m->images;
}

OutputSensitivity SensitivityRun::result() const
{
    // mean over (image, position, probe) of the squared gradient: positionsSeen counts every
    // position of every probe
    const GradientSums &sums = m->sums;
    const std::size_t L = sums.sums.size();
    OutputSensitivity out;
    out.diagonal.resize(L);
    out.mean.resize(L);
    for (std::size_t i = 0; i < L; ++i) {
        const double count = double(sums.positionsSeen[i]);
        const auto take = [count](const at::Tensor &t, std::vector<double> &to) {
            const at::Tensor s = t.contiguous();
            to.assign(s.data_ptr<double>(), s.data_ptr<double>() + s.numel());
            for (double &w : to)
                w = count > 0 ? w / count : 0.0;
        };
        take(sums.sums[i], out.diagonal[i]);
        take(sums.meanSums[i], out.mean[i]);
    }
    return out;
}

std::size_t sensitivityImageCount(std::size_t count, const SensitivityOptions &options)
{
    const double fraction = std::clamp(options.imageFraction, 0.0, 1.0);
    const std::size_t part = std::size_t(std::ceil(fraction * double(count)));
    return std::min(count, std::max(part, std::size_t(std::max(1, options.minImages))));
}

std::vector<std::size_t> sensitivityOrder(std::size_t count, const SensitivityOptions &options)
{
    // the measured images evenly spaced over the given ones, the others behind them
    const std::size_t target = sensitivityImageCount(count, options);
    std::vector<std::size_t> order;
    std::vector<bool> taken(count, false);
    for (std::size_t k = 0; k < target; ++k) {
        const std::size_t i = k * count / target;
        order.push_back(i);
        taken[i] = true;
    }
    for (std::size_t i = 0; i < count; ++i)
        if (!taken[i])
            order.push_back(i);
    return order;
}

OutputSensitivity outputSensitivity(const Model &model, const ModelProfile &profile,
                                    const std::vector<std::string> &imageFiles,
                                    const SensitivityOptions &options, const JobControl &control)
{
    const Model::Impl &impl = model.impl();
    const int batchSize = std::max(1, options.batchSize);
    SensitivityRun run(impl, profile, options);
    torch::jit::Module instance = [&] {
        c10::InferenceMode noInference(false);
        torch::jit::Module m = impl.instantiate();
        run.instrument(m);
        return m;
    }();
    // an unreadable image among the measured ones is replaced by the next in the order
    const std::size_t target = sensitivityImageCount(imageFiles.size(), options);
    const std::vector<std::size_t> order = sensitivityOrder(imageFiles.size(), options);
    std::size_t next = 0;
    while (next < order.size() && std::size_t(run.images()) < target) {
        if (control.cancelled())
            throw Error(ErrorCode::Cancelled, "analysis cancelled");
        std::vector<PreparedImage> batch;
        const std::size_t wanted =
            std::min<std::size_t>(std::size_t(batchSize), target - std::size_t(run.images()));
        while (batch.size() < wanted && next < order.size()) {
            try {
                batch.push_back(prepareImage(imageFiles[order[next]], profile.input));
            } catch (const Error &) {
                // skipped; the next image in the order takes its place
            }
            ++next;
        }
        if (batch.empty())
            continue;
        run.run(instance, batch);
        if (control.progress)
            control.progress(std::min(1.0, double(run.images()) / double(target)));
    }
    if (run.images() == 0)
        throw Error(ErrorCode::BadImage,
                    "none of the " + std::to_string(imageFiles.size()) + " images could be read");
    return run.result();
}

} // namespace mpq
