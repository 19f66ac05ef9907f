// Running models: the float original and quantized clones (weights replaced, BatchNorms made
// identity-plus-shift, optional activation fake-quantization).
#include "mpq/runner.h"

#include "calib/calibration.h"
#include "model/activationquant.h"
#include "model/forwardinput.h"
#include "model/modelimpl.h"
#include "model/runnerimpl.h"
#include "model/torchvisionops.h"
#include "mpq/error.h"
#include "mpq/grid.h"
#include "util/atomicfile.h"
#include "util/errorreason.h"

#include <torch/csrc/jit/ir/ir.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace mpq {

ModelRunner::ModelRunner(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{}
ModelRunner::ModelRunner(ModelRunner &&) noexcept = default;
ModelRunner &ModelRunner::operator=(ModelRunner &&) noexcept = default;
ModelRunner::~ModelRunner() = default;

namespace {

void flatten(const c10::IValue &v, std::vector<OutputTensor> &out, const std::string &name = {})
{
    if (v.isTensor()) {
        const at::Tensor t = v.toTensor().detach().to(at::kCPU, at::kFloat).contiguous();
        out.push_back({name, t.sizes().vec(),
                       std::vector<float>(t.data_ptr<float>(), t.data_ptr<float>() + t.numel())});
    } else if (v.isTuple()) {
        for (const auto &e : v.toTupleRef().elements())
            flatten(e, out);
    } else if (v.isList()) {
        for (const auto &e : v.toListRef())
            flatten(e, out);
    } else if (v.isGenericDict()) {
        for (const auto &e : v.toGenericDict())
            flatten(e.value(), out, e.key().isString() ? e.key().toStringRef() : std::string());
    }
}

const LayerAllocation *findLayer(const Allocation &allocation, const std::string &name)
{
    for (const LayerAllocation &l : allocation.layers)
        if (l.name == name)
            return &l;
    return nullptr;
}

} // namespace

at::Tensor attribute(const torch::jit::Module &root, const std::string &path)
{
    torch::jit::Module m = root;
    std::size_t start = 0;
    for (;;) {
        const std::size_t dot = path.find('.', start);
        if (dot == std::string::npos)
            return m.attr(path.substr(start)).toTensor();
        m = m.attr(path.substr(start, dot - start)).toModule();
        start = dot + 1;
    }
}

std::vector<OutputTensor> ModelRunner::run(const std::vector<PreparedImage> &batch)
{
    if (batch.empty())
        return {};
    c10::InferenceMode inference;
    const at::Tensor input = batchTensor(batch, m_impl->device);
    c10::IValue result;
    try {
        // torchvision detection models take a list of (C, H, W) images, others a batch tensor
        result = m_impl->module.forward(forwardArguments(m_impl->module, input));
    } catch (const std::exception &e) {
        throw Error(ErrorCode::BadModel,
                    m_impl->modelPath + ": the forward fails on a " + std::to_string(batch.size()) +
                        "x" + std::to_string(batch[0].channels) + "x" +
                        std::to_string(batch[0].height) + "x" + std::to_string(batch[0].width) +
                        " input: " + torchErrorReason(e.what()));
    }
    std::vector<OutputTensor> out;
    flatten(result, out);
    return out;
}

void ModelRunner::save(const std::string &path,
                       const std::vector<std::pair<std::string, std::string>> &extraFiles)
{
    torch::jit::ExtraFilesMap extra;
    for (const auto &[name, content] : extraFiles)
        extra[name] = content;
    std::ostringstream bytes;
    try {
        m_impl->module.save(bytes, extra);
    } catch (const std::exception &e) {
        throw Error(ErrorCode::Io,
                    path + ": cannot serialize the model (" + torchErrorReason(e.what()) + ")");
    }
    writeFileAtomically(path, bytes.str());
}

ModelRunner loadRunner(const std::string &path, const std::string &device,
                       std::vector<std::pair<std::string, std::string>> *extraFiles)
{
    ensureTorchvisionOps();
    auto impl = std::make_unique<ModelRunner::Impl>();
    impl->modelPath = path;
    impl->device = device;
    torch::jit::ExtraFilesMap extra;
    if (extraFiles)
        for (const auto &entry : *extraFiles)
            extra[entry.first] = "";
    try {
        impl->module = torch::jit::load(path, c10::Device(device), extra);
        impl->module.eval();
    } catch (const std::exception &e) {
        throw Error(ErrorCode::BadModel, path + ": not a TorchScript model, or a damaged one (" +
                                             torchErrorReason(e.what()) + ")");
    }
    if (extraFiles)
        for (auto &entry : *extraFiles)
            entry.second = extra[entry.first];
    return ModelRunner(std::move(impl));
}

ModelRunner floatRunner(const Model &model)
{
    auto impl = std::make_unique<ModelRunner::Impl>();
    impl->modelPath = model.path();
    impl->device = model.device();
    impl->module = model.impl().instantiate();
    return ModelRunner(std::move(impl));
}

std::vector<float> quantizedWeight(const Model &model, const Analysis &analysis,
                                   const Allocation &allocation,
                                   const std::vector<LayerAtBits> &atBits, std::size_t i)
{
    const Model::Impl &impl = model.impl();
    const LayerInfo &info = impl.layers.at(i);
    const LayerAllocation *la = findLayer(allocation, info.name);
    if (!la || analysis.layers.size() != impl.layers.size() || analysis.layers[i].name != info.name)
        throw Error(ErrorCode::InvalidArgument, "the allocation has no layer " + info.name);
    if (la->isFloat) {
        const at::Tensor w =
            attribute(impl.module, info.weightPath).detach().to(at::kCPU, at::kFloat).contiguous();
        return std::vector<float>(w.data_ptr<float>(), w.data_ptr<float>() + w.numel());
    }
    return layerDecomposition(model, analysis, atBits, *la, i).reconstruct(la->points);
}

const MatrixDecomposition &layerDecomposition(const Model &model, const Analysis &analysis,
                                              const std::vector<LayerAtBits> &atBits,
                                              const LayerAllocation &la, std::size_t i)
{
    const LayerInfo &l = model.layers().at(i);
    if (la.bits == analysis.settings.bits)
        return analysis.decompositions.at(i);
    // A Bits override: the decomposition made once by layersAtBits, whose curves the
    // allocation used, so what runs is what was predicted (issue 12, defects 3 and 7).
    const int points =
        la.points.empty() ? 1 : *std::max_element(la.points.begin(), la.points.end());
    const LayerAtBits *a = findLayerAtBits(atBits, i, la.bits, points);
    if (!a)
        throw Error(ErrorCode::InvalidArgument,
                    l.name + ": no decomposition at " + std::to_string(la.bits) + " bits with " +
                        std::to_string(points) +
                        " points was given for its Bits override (compute it with layersAtBits)");
    if (a->decomposition.rows() != l.outChannels || a->decomposition.cols() != l.d ||
        a->decomposition.bits() != la.bits)
        throw Error(ErrorCode::InvalidArgument, l.name + ": the decomposition given at " +
                                                    std::to_string(la.bits) +
                                                    " bits does not fit the layer");
    return a->decomposition;
}

MatrixDecomposition storedDecomposition(const Model &model, const Analysis &analysis,
                                        const std::vector<LayerAtBits> &atBits,
                                        const LayerAllocation &la, std::size_t i)
{
    return layerDecomposition(model, analysis, atBits, la, i).forPoints(la.points);
}

ModelRunner quantizedRunner(const Model &model, const Analysis &analysis,
                            const Allocation &allocation, const std::vector<LayerAtBits> &atBits,
                            int activationBits)
{
    const Model::Impl &impl = model.impl();
    if (analysis.modelSha256 != impl.sha256)
        throw Error(ErrorCode::InvalidArgument, "the analysis belongs to another model");
    std::vector<std::vector<float>> weights(impl.layers.size());
    std::vector<std::vector<float>> corrections(impl.layers.size());
    for (std::size_t i = 0; i < impl.layers.size(); ++i) {
        const LayerAllocation *la = findLayer(allocation, impl.layers[i].name);
        if (!la)
            throw Error(ErrorCode::InvalidArgument,
                        "the allocation has no layer " + impl.layers[i].name);
        if (!la->isFloat) {
            weights[i] = quantizedWeight(model, analysis, allocation, atBits, i);
            corrections[i] = allocatedBiasCorrection(model, analysis, allocation, atBits, i);
        }
    }
    return weightsRunner(model, weights, &analysis.activations, activationBits,
                         allocation.biasCorrection ? &corrections : nullptr);
}

std::vector<float> allocatedBiasCorrection(const Model &model, const Analysis &analysis,
                                           const Allocation &allocation,
                                           const std::vector<LayerAtBits> &atBits, std::size_t i)
{
    if (!allocation.biasCorrection)
        return {};
    const Model::Impl &impl = model.impl();
    const LayerInfo &info = impl.layers.at(i);
    const LayerAllocation *la = findLayer(allocation, info.name);
    if (!la || analysis.layers.size() != impl.layers.size() || analysis.layers[i].name != info.name)
        throw Error(ErrorCode::InvalidArgument, "the allocation has no layer " + info.name);
    if (la->isFloat)
        return {};
    // the shift of the curves the allocation used: the analysis' at b bits, or the Bits
    // override's own (docs/multipoint.md section 9)
    const LayerCurves *curves = nullptr;
    if (la->bits == analysis.settings.bits) {
        curves = &analysis.curves.at(i);
    } else {
        const int points =
            la->points.empty() ? 1 : *std::max_element(la->points.begin(), la->points.end());
        const LayerAtBits *a = findLayerAtBits(atBits, i, la->bits, points);
        if (!a)
            throw Error(ErrorCode::InvalidArgument,
                        info.name + ": no curves at " + std::to_string(la->bits) +
                            " bits were given for its Bits override (compute them with "
                            "layersAtBits)");
        curves = &a->curves;
    }
    if (curves->shift.size() != curves->error.size() ||
        static_cast<std::int64_t>(la->points.size()) != curves->channels)
        throw Error(ErrorCode::InvalidArgument,
                    info.name + ": the analysis has no measured output shifts for bias correction");
    std::vector<float> out(curves->channels);
    for (std::int64_t c = 0; c < curves->channels; ++c)
        out[c] = static_cast<float>(curves->shift[c * curves->maxPoints + (la->points[c] - 1)]);
    return out;
}

ModelRunner weightsRunner(const Model &model, const std::vector<std::vector<float>> &weights,
                          const std::vector<ActivationRange> *activations, int activationBits,
                          const std::vector<std::vector<float>> *biasCorrection)
{
    const Model::Impl &impl = model.impl();
    if (weights.size() != impl.layers.size())
        throw Error(ErrorCode::InvalidArgument, "weightsRunner: one entry per layer");
    if (activationBits != 0 && (activationBits < 2 || activationBits > 16 || !activations ||
                                activations->size() != impl.layers.size()))
        throw Error(
            ErrorCode::InvalidArgument,
            "activation bits must be 0 (off) or 2..16, with one calibration range per layer");
    c10::InferenceMode inference;
    auto runner = std::make_unique<ModelRunner::Impl>();
    runner->modelPath = impl.path;
    runner->device = impl.device;
    runner->module = impl.instantiate();
    if (biasCorrection && biasCorrection->size() != impl.layers.size() && !biasCorrection->empty())
        throw Error(ErrorCode::InvalidArgument, "weightsRunner: one bias correction per layer");
    std::vector<bool> quantized(impl.layers.size(), false);
    // layers whose correction goes into the graph as an addition: no bias, no BatchNorm
    std::map<std::string, at::Tensor> addAfter;
    for (std::size_t i = 0; i < impl.layers.size(); ++i) {
        const LayerInfo &info = impl.layers[i];
        if (weights[i].empty())
            continue;
        // the bias correction of docs/multipoint.md section 9, in the folded output's units
        at::Tensor correction;
        if (biasCorrection && !biasCorrection->empty() && !(*biasCorrection)[i].empty()) {
            const std::vector<float> &v = (*biasCorrection)[i];
            if (static_cast<std::int64_t>(v.size()) != info.outChannels)
                throw Error(ErrorCode::InvalidArgument,
                            "weightsRunner: wrong bias correction size for " + info.name);
            correction =
                at::from_blob(const_cast<float *>(v.data()), {info.outChannels}, at::kFloat)
                    .clone();
        }
        if (static_cast<std::int64_t>(weights[i].size()) != info.outChannels * info.d)
            throw Error(ErrorCode::InvalidArgument,
                        "weightsRunner: wrong weight size for " + info.name);
        quantized[i] = true;
        const std::vector<float> &w = weights[i];
        // Shared weights are one tensor: one in-place copy updates every alias.
        at::Tensor param = attribute(runner->module, info.weightPath);
        param.copy_(at::from_blob(const_cast<float *>(w.data()), info.weightShape, at::kFloat));
        if (!info.foldedBatchNorm.empty()) {
            // BN(y) = (y - mean) / sqrt(var + eps) * gamma + beta becomes y + (b' - b): mean
            // carries the shift, so it also works for a BatchNorm without affine parameters.
            const at::Tensor convBias =
                info.hasBias ? attribute(runner->module, info.biasPath).to(at::kCPU, at::kFloat)
                             : at::zeros({info.outChannels}, at::kFloat);
            const at::Tensor folded = at::from_blob(
                const_cast<float *>(impl.foldedBiases[i].data()), {info.outChannels}, at::kFloat);
            const std::string &bn = info.foldedBatchNorm;
            attribute(runner->module, bn + ".running_mean")
                .copy_(correction.defined() ? convBias - folded - correction : convBias - folded);
            attribute(runner->module, bn + ".running_var")
                .fill_(static_cast<float>(1.0 - impl.batchNormEps[i]));
            for (const auto &p : runner->module.named_parameters(true)) {
                if (p.name == bn + ".weight")
                    p.value.detach().fill_(1.0f);
                else if (p.name == bn + ".bias")
                    p.value.detach().fill_(0.0f);
            }
        } else if (correction.defined() && info.hasBias) {
            at::Tensor bias = attribute(runner->module, info.biasPath);
            bias.copy_(bias + correction.to(bias.device()));
        } else if (correction.defined()) {
            std::vector<std::int64_t> shape{info.outChannels};
            if (info.kind != LayerKind::Linear)
                shape.resize(info.weightShape.size() - 1, 1);
            addAfter[info.weightPath] = correction.view(shape).to(c10::Device(impl.device));
        }
    }
    if (!addAfter.empty()) {
        // y + correction after every call of a layer without bias and BatchNorm
        auto graph = inlinedForward(runner->module);
        std::vector<std::string> skipped;
        static const auto kAdd = c10::Symbol::fromQualString("aten::add");
        for (const LayerSite &site : findLayerSites(*graph, skipped)) {
            const auto it = addAfter.find(site.weightPath);
            if (it == addAfter.end())
                continue;
            torch::jit::Value *y = site.node->output();
            torch::jit::WithInsertPoint guard(site.node->next());
            torch::jit::Value *sum = graph->insert(kAdd, {y, graph->insertConstant(it->second)});
            y->replaceAllUsesAfterNodeWith(sum->node(), sum);
        }
    }
    if (activationBits > 0) {
        // fake_quantize_per_tensor_affine before every quantized layer, range from calibration
        auto graph = inlinedForward(runner->module);
        std::vector<std::string> skipped;
        const std::map<std::string, std::size_t> layerOf = impl.layerByWeightPath();
        static const auto kFakeQuant =
            c10::Symbol::fromQualString("aten::fake_quantize_per_tensor_affine");
        static const auto kAddmm = c10::Symbol::fromQualString("aten::addmm");
        for (const LayerSite &site : findLayerSites(*graph, skipped)) {
            const auto it = layerOf.find(site.weightPath);
            if (it == layerOf.end() || !quantized[it->second])
                continue;
            // the same numbers the integer package writes (docs/integer-package.md)
            const ActivationQuantization aq =
                activationQuantization(activations->at(it->second), activationBits);
            if (!aq.active)
                continue; // the layer never saw a non-zero input
            const std::size_t input = site.node->kind() == kAddmm ? 1 : 0;
            torch::jit::WithInsertPoint guard(site.node);
            torch::jit::Value *q = graph->insert(
                kFakeQuant, {site.node->input(input), torch::jit::NamedValue(c10::IValue(aq.scale)),
                             torch::jit::NamedValue(c10::IValue(aq.zeroPoint)),
                             torch::jit::NamedValue(c10::IValue(aq.quantMin)),
                             torch::jit::NamedValue(c10::IValue(aq.quantMax))});
            site.node->replaceInput(input, q);
        }
    }
    return ModelRunner(std::move(runner));
}

} // namespace mpq
