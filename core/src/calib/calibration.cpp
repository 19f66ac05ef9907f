// The calibration pass: layer inputs captured by a recording operator, streamed batch by batch
// into per-channel output-error curves (docs/multipoint.md section 3).
#include "calib/calibration.h"

#include "model/modelimpl.h"
#include "mpq/error.h"
#include "mpq/images.h"
#include "util/errorreason.h"
#include "util/parallelfor.h"

#include <ATen/Parallel.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/library.h>

#include <algorithm>
#include <chrono>
#include <map>

namespace mpq {

namespace {

// The recorder of the calling thread; the forward runs on the thread that calls it, so a
// thread-local hook keeps concurrent analyses apart.
thread_local const Recorder *t_recorder = nullptr;

at::Tensor recordInput(const at::Tensor &x, std::int64_t id)
{
    if (t_recorder)
        (*t_recorder)(id, x, false);
    return x;
}

at::Tensor recordOutput(const at::Tensor &y, std::int64_t id)
{
    if (t_recorder)
        (*t_recorder)(id, y, true);
    return y;
}

} // namespace

// mpq::record(x, id) returns x and shows it to the recorder: inserted before every quantizable
// layer, it sees their inputs also inside loops and branches. mpq::record_output(y, id), inserted
// after the layer, shows its output: the analysis takes s_c from it instead of running the layer
// once more (docs/multipoint.md section 3).
TORCH_LIBRARY(mpq, m)
{
    m.def("record(Tensor(a) x, int id) -> Tensor(a)", &recordInput);
    m.def("record_output(Tensor(a) y, int id) -> Tensor(a)", &recordOutput);
}

RecordingScope::RecordingScope(const Recorder &recorder)
    : m_previous(t_recorder)
{
    t_recorder = &recorder;
}

RecordingScope::~RecordingScope()
{
    t_recorder = m_previous;
}

torch::jit::Module instrumentedInstance(const Model::Impl &impl, const std::vector<bool> &record,
                                        bool recordOutputs)
{
    torch::jit::Module m = impl.instantiate();
    auto graph = inlinedForward(m);
    std::vector<std::string> skipped;
    const std::vector<LayerSite> sites = findLayerSites(*graph, skipped);
    const std::map<std::string, std::size_t> layerOf = impl.layerByWeightPath();
    static const auto kRecord = c10::Symbol::fromQualString("mpq::record");
    static const auto kRecordOutput = c10::Symbol::fromQualString("mpq::record_output");
    static const auto kAddmm = c10::Symbol::fromQualString("aten::addmm");
    for (const LayerSite &site : sites) {
        const auto it = layerOf.find(site.weightPath);
        if (it == layerOf.end() || !record[it->second])
            continue;
        const std::size_t input = site.node->kind() == kAddmm ? 1 : 0;
        torch::jit::WithInsertPoint guard(site.node);
        torch::jit::Value *recorded = graph->insert(
            kRecord, {site.node->input(input),
                      torch::jit::NamedValue(c10::IValue(static_cast<std::int64_t>(it->second)))});
        site.node->replaceInput(input, recorded);
        if (!recordOutputs)
            continue;
        // every use of the layer's output now takes it through record_output
        torch::jit::Value *y = site.node->output();
        torch::jit::WithInsertPoint afterSite(site.node->next());
        torch::jit::Value *shown = graph->insert(
            kRecordOutput,
            {y, torch::jit::NamedValue(c10::IValue(static_cast<std::int64_t>(it->second)))});
        y->replaceAllUsesWith(shown);
        shown->node()->replaceInput(0, y);
    }
    return m;
}

at::Tensor batchTensor(const std::vector<PreparedImage> &images, const std::string &device)
{
    const PreparedImage &first = images.front();
    at::Tensor batch = at::empty(
        {static_cast<std::int64_t>(images.size()), first.channels, first.height, first.width},
        at::kFloat);
    for (std::size_t i = 0; i < images.size(); ++i)
        std::copy(images[i].data.begin(), images[i].data.end(), batch[i].data_ptr<float>());
    // an NHWC model (the profile's input.layout; docs/onnx.md) takes (B, H, W, C)
    if (first.layout == InputLayout::Nhwc)
        batch = batch.permute({0, 2, 3, 1}).contiguous();
    return batch.to(c10::Device(device));
}

at::Tensor stackedDifferences(const MatrixDecomposition &d, const std::vector<float> &folded,
                              int fromPoint, int toPoint, std::int64_t groups)
{
    const std::int64_t C = d.rows(), cols = d.cols(), perGroup = C / groups;
    const int versions = toPoint - fromPoint;
    // not zeroed: every row is written below, and a serial fill of up to 75 MB per call was a
    // tenth of the calibration's serial time on two threads (docs/pipeline-benchmark.md)
    at::Tensor stacked = at::empty({versions * C * cols}, at::kFloat);
    float *out = stacked.data_ptr<float>();
    // rows are independent: split over the worker threads (each row is computed the same way
    // on any thread, so the result does not depend on the thread count)
    const std::int64_t grain = std::max<std::int64_t>(1, 16384 / std::max<std::int64_t>(1, cols));
    parallelFor(0, C, grain, [&](std::int64_t begin, std::int64_t end) {
        std::vector<float> approx(cols), solo(d.hasSolo() ? cols : 0);
        for (std::int64_t c = begin; c < end; ++c) {
            const std::int64_t g = c / perGroup, cg = c % perGroup;
            std::fill(approx.begin(), approx.end(), 0.0f);
            for (int n = 1; n < toPoint + 1; ++n) {
                const float a = d.scale(c, n - 1);
                const std::int8_t *q = d.code(c, n - 1);
                for (std::int64_t j = 0; j < cols; ++j)
                    approx[j] += a * q[j];
                if (n <= fromPoint)
                    continue;
                // a half-step pair's one-point version is its solo point (docs/multipoint.md
                // section 12), not the chain's first point
                const bool useSolo = n == 1 && d.hasSolo();
                if (useSolo)
                    d.reconstructRow(c, 1, solo.data());
                const float *x = useSolo ? solo.data() : approx.data();
                const std::int64_t v = n - 1 - fromPoint;
                float *row = out + ((g * versions + v) * perGroup + cg) * cols;
                const float *w = folded.data() + c * cols;
                for (std::int64_t j = 0; j < cols; ++j)
                    row[j] = w[j] - x[j];
            }
        }
    });
    return stacked;
}

OutputToFolded outputToFolded(const Model::Impl &impl, std::size_t layer)
{
    const LayerInfo &l = impl.layers.at(layer);
    std::map<std::string, at::Tensor> parameters, buffers;
    for (const auto &p : impl.module.named_parameters(/*recurse=*/true))
        parameters[p.name] = p.value;
    for (const auto &b : impl.module.named_buffers(/*recurse=*/true))
        buffers[b.name] = b.value;
    OutputToFolded out;
    const auto bias = parameters.find(l.biasPath);
    if (l.hasBias && bias != parameters.end() && bias->second.defined())
        out.bias = bias->second.detach().to(at::kFloat).reshape({l.outChannels});
    if (!l.foldedBatchNorm.empty()) {
        // the same scale as the folding in Model::load (docs/multipoint.md section 1)
        const auto gamma = parameters.find(l.foldedBatchNorm + ".weight");
        const at::Tensor g = gamma != parameters.end() && gamma->second.defined()
                                 ? gamma->second.detach().to(at::kCPU, at::kDouble)
                                 : at::ones({l.outChannels}, at::kDouble);
        const at::Tensor var =
            buffers.at(l.foldedBatchNorm + ".running_var").detach().to(at::kCPU, at::kDouble);
        out.scale = (g / at::sqrt(var + impl.batchNormEps.at(layer))).reshape({l.outChannels});
    }
    return out;
}

at::Tensor foldedSignal(const at::Tensor &y, const OutputToFolded &map, LayerKind kind,
                        std::int64_t spatialDims)
{
    at::Tensor centred = y;
    if (map.bias.defined()) {
        std::vector<std::int64_t> shape(y.dim(), 1);
        const std::int64_t channelDim =
            kind == LayerKind::Linear ? y.dim() - 1 : (y.dim() == spatialDims + 2 ? 1 : 0);
        shape[channelDim] = -1;
        centred = y - map.bias.to(y.device(), y.scalar_type()).view(shape);
    }
    at::Tensor s = channelSumOfSquares(centred, kind, spatialDims).to(at::kCPU, at::kDouble);
    if (map.scale.defined())
        s *= map.scale.square();
    return s;
}

namespace {
// Every dimension of a layer output y but its channel's (dim 1 for batched conv outputs, 0
// unbatched, last for linear): one reduction over them, without a transposed copy of y (the
// stacked evaluations' outputs reach 64 MB).
std::vector<std::int64_t> nonChannelDims(const at::Tensor &y, LayerKind kind,
                                         std::int64_t spatialDims)
{
    const std::int64_t channelDim = kind == LayerKind::Linear    ? y.dim() - 1
                                    : y.dim() == spatialDims + 2 ? 1
                                                                 : 0;
    std::vector<std::int64_t> dims;
    for (std::int64_t i = 0; i < y.dim(); ++i)
        if (i != channelDim)
            dims.push_back(i);
    return dims;
}
} // namespace

at::Tensor channelSumOfSquares(const at::Tensor &y, LayerKind kind, std::int64_t spatialDims)
{
    const std::vector<std::int64_t> dims = nonChannelDims(y, kind, spatialDims);
    const at::Tensor sq = y.square();
    return dims.empty() ? sq : sq.sum(dims);
}

at::Tensor channelSum(const at::Tensor &y, LayerKind kind, std::int64_t spatialDims)
{
    const std::vector<std::int64_t> dims = nonChannelDims(y, kind, spatialDims);
    return (dims.empty() ? y : y.sum(dims)).to(at::kDouble);
}

std::string skippedCalibrationImages(std::int64_t skipped, std::size_t of)
{
    return std::to_string(skipped) + " of " + std::to_string(of) +
           " calibration images could not be read and were skipped";
}

std::string modelFailsOnInput(const std::string &path, std::size_t images, const InputSpec &input,
                              const std::exception &e)
{
    return path + ": the model fails on a " + std::to_string(images) + "x" +
           std::to_string(input.channels) + "x" + std::to_string(input.height) + "x" +
           std::to_string(input.width) +
           " input (check the profile's input size): " + torchErrorReason(e.what());
}

} // namespace mpq
