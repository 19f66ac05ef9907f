// Loading a TorchScript model, finding its quantizable layers in the forward graph, and
// folding BatchNorms (docs/multipoint.md section 1).
#include "model/modelparts.h"

#include "model/onnximport.h"
#include "model/torchvisionops.h"
#include "mpq/error.h"
#include "mpq/modelformat.h"
#include "util/errorreason.h"
#include "util/sha256.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <sstream>

namespace mpq {

using torch::jit::Block;
using torch::jit::Node;
using torch::jit::Value;

const char *layerKindName(LayerKind kind)
{
    switch (kind) {
    case LayerKind::Conv1d:
        return "conv1d";
    case LayerKind::Conv2d:
        return "conv2d";
    case LayerKind::Linear:
        return "linear";
    }
    return "?";
}

namespace {

std::vector<std::int64_t> shapeOf(const at::Tensor &t)
{
    return t.sizes().vec();
}

} // namespace

std::map<std::string, std::size_t> Model::Impl::layerByWeightPath() const
{
    std::map<std::string, std::size_t> out;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        out[layers[i].weightPath] = i;
        for (const std::string &alias : layers[i].aliases)
            out[alias] = i;
    }
    return out;
}

torch::jit::Module Model::Impl::instantiate() const
{
    std::istringstream in(bytes);
    torch::jit::Module m = torch::jit::load(in, c10::Device(device));
    m.eval();
    return m;
}

Model::Model(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{}
Model::Model(Model &&) noexcept = default;
Model &Model::operator=(Model &&) noexcept = default;
Model::~Model() = default;

const std::string &Model::path() const
{
    return m_impl->path;
}
const std::string &Model::device() const
{
    return m_impl->device;
}
const std::string &Model::sha256() const
{
    return m_impl->sha256;
}
const std::vector<LayerInfo> &Model::layers() const
{
    return m_impl->layers;
}

ModelFormat Model::format() const
{
    return m_impl->format;
}

const std::vector<TensorDecl> &Model::declaredInputs() const
{
    return m_impl->declaredInputs;
}

const std::vector<TensorDecl> &Model::declaredOutputs() const
{
    return m_impl->declaredOutputs;
}

const std::vector<std::string> &Model::warnings() const
{
    return m_impl->warnings;
}
const std::vector<float> &Model::foldedWeight(std::size_t layer) const
{
    return m_impl->foldedWeights.at(layer);
}
const std::vector<float> &Model::foldedBias(std::size_t layer) const
{
    return m_impl->foldedBiases.at(layer);
}

Model Model::load(const std::string &path, const std::string &device)
{
    ensureTorchvisionOps(); // scripted torchvision detection models call these operators
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->device = device;
    impl->bytes = readModelFile(path);
    if (impl->bytes.empty())
        throw Error(ErrorCode::BadModel, path + ": the file is empty");
    // A model source is a small seam (docs/architecture.md): an ONNX graph is imported as a
    // TorchScript module (docs/onnx.md) and from here on is the same engine model.
    const bool onnx = isOnnxFile(path, impl->bytes);
    if (const std::string member = onnx ? std::string() : damagedZipMember(impl->bytes);
        !member.empty())
        throw Error(ErrorCode::BadModel, path + ": a damaged model file (record '" + member +
                                             "' fails its CRC-32 check)");
    impl->sha256 = sha256Hex(impl->bytes);
    try {
        const c10::Device parsed(device); // validates the device string before loading
        (void)parsed;
    } catch (const std::exception &e) {
        throw Error(ErrorCode::InvalidArgument,
                    "unknown device '" + device + "': " + torchErrorReason(e.what()));
    }
    if (onnx) {
        OnnxImport imported = importOnnx(path, impl->bytes);
        if (imported.inputNames.size() != 1)
            throw Error(ErrorCode::BadModel,
                        path + ": the ONNX graph has " +
                            std::to_string(imported.inputNames.size()) +
                            " inputs; MPQ Studio runs models with one image input");
        impl->warnings = imported.warnings;
        impl->format = ModelFormat::Onnx;
        for (std::size_t i = 0; i < imported.inputNames.size(); ++i)
            impl->declaredInputs.push_back({imported.inputNames[i], imported.inputShapes[i]});
        for (std::size_t i = 0; i < imported.outputNames.size(); ++i)
            impl->declaredOutputs.push_back({imported.outputNames[i], imported.outputShapes[i]});
        impl->bytes = saveImport(imported); // the TorchScript form, for instantiate()
    }
    try {
        impl->module = impl->instantiate();
    } catch (const std::exception &e) {
        throw Error(ErrorCode::BadModel, path + ": not a TorchScript model, or a damaged one (" +
                                             torchErrorReason(e.what()) + ")");
    }
    std::shared_ptr<torch::jit::Graph> graph;
    try {
        graph = inlinedForward(impl->module);
    } catch (const std::exception &e) {
        throw Error(ErrorCode::BadModel, path + ": the model has no usable forward method (" +
                                             torchErrorReason(e.what()) + ")");
    }
    std::vector<LayerSite> sites = findLayerSites(*graph, impl->warnings);

    std::map<std::string, at::Tensor> parameters;
    for (const auto &p : impl->module.named_parameters(/*recurse=*/true))
        parameters[p.name] = p.value;
    std::map<std::string, at::Tensor> buffers;
    for (const auto &b : impl->module.named_buffers(/*recurse=*/true))
        buffers[b.name] = b.value;

    // Group sites by weight tensor (a shared weight is one layer), in graph order.
    std::vector<std::vector<const LayerSite *>> groups;
    std::vector<const void *> groupData;
    std::set<std::string> reported;
    for (const LayerSite &site : sites) {
        const auto it = parameters.find(site.weightPath);
        if (it == parameters.end()) {
            if (reported.insert(site.weightPath).second)
                impl->warnings.push_back(site.weightPath + ": not a module parameter, left float");
            continue;
        }
        const void *data = it->second.data_ptr();
        const auto g = std::find(groupData.begin(), groupData.end(), data) - groupData.begin();
        if (g == static_cast<std::ptrdiff_t>(groups.size())) {
            groups.emplace_back();
            groupData.push_back(data);
        }
        groups[g].push_back(&site);
    }

    // Every batch_norm node of each BatchNorm module, to refuse folding a shared BatchNorm.
    std::map<std::string, int> batchNormUses;
    std::function<void(Block *)> countBatchNorms = [&](Block *block) {
        for (Node *n : block->nodes()) {
            for (Block *b : n->blocks())
                countBatchNorms(b);
            if (n->kind() == c10::Symbol::fromQualString("aten::batch_norm"))
                for (int input : {1, 3}) {
                    const std::string p = attributePath(n->input(input));
                    if (!p.empty()) {
                        ++batchNormUses[p.substr(0, p.rfind('.'))];
                        break;
                    }
                }
        }
    };
    countBatchNorms(graph->block());

    for (const auto &group : groups) {
        const LayerSite &first = *group.front();
        const at::Tensor weight =
            parameters.at(first.weightPath).detach().to(at::kCPU, at::kFloat).contiguous();
        LayerInfo info;
        info.name = first.weightPath.substr(0, first.weightPath.rfind('.'));
        info.kind = first.kind;
        info.weightShape = shapeOf(weight);
        info.outChannels = weight.size(0);
        info.d = weight.numel() / std::max<std::int64_t>(1, weight.size(0));
        info.callSites = static_cast<int>(group.size());
        for (const LayerSite *s : group)
            if (s->weightPath != first.weightPath &&
                std::find(info.aliases.begin(), info.aliases.end(), s->weightPath) ==
                    info.aliases.end())
                info.aliases.push_back(s->weightPath);
        const bool isConv = first.kind != LayerKind::Linear;
        if ((isConv && weight.dim() != (first.kind == LayerKind::Conv1d ? 3 : 4)) ||
            (!isConv && weight.dim() != 2) || info.outChannels == 0 || info.d == 0) {
            impl->warnings.push_back(info.name + ": unexpected weight shape, left float");
            continue;
        }
        LayerOp op;
        op.kind = first.kind;
        if (isConv && !readConvArguments(first.node, op)) {
            impl->warnings.push_back(
                info.name + ": stride, padding or groups computed at run time, left float");
            continue;
        }
        // A shared weight is measured and rewritten with one set of arguments (the calibration
        // runs every call through the layer's one LayerOp): call sites that differ would be
        // measured wrongly, so such a layer is refused (docs/multipoint.md section 3).
        if (isConv) {
            std::string differs;
            for (const LayerSite *s : group) {
                LayerOp other;
                if (s == &first)
                    continue;
                if (!readConvArguments(s->node, other)) {
                    differs = "stride, padding or groups computed at run time at another call";
                    break;
                }
                if (other.stride != op.stride || other.padding != op.padding ||
                    other.paddingMode != op.paddingMode || other.dilation != op.dilation ||
                    other.groups != op.groups) {
                    differs = describeConvArguments(op) + " at one call, " +
                              describeConvArguments(other) + " at another";
                    break;
                }
            }
            if (!differs.empty()) {
                impl->warnings.push_back(
                    info.name + ": one weight shared by " + std::to_string(group.size()) +
                    " calls with different arguments (" + differs + "), left float");
                continue;
            }
        }
        info.stride = op.stride;
        info.padding = op.padding;
        info.paddingMode = op.paddingMode;
        info.dilation = op.dilation;
        info.groups = op.groups;
        // the bias the operation itself adds: conv/linear argument 2, addmm's first argument
        static const auto kAddmm = c10::Symbol::fromQualString("aten::addmm");
        info.weightPath = first.weightPath;
        const std::string biasPath =
            attributePath(first.node->input(first.node->kind() == kAddmm ? 0 : 2));
        const auto biasIt = parameters.find(biasPath);
        info.hasBias = biasIt != parameters.end() && biasIt->second.defined();
        if (info.hasBias)
            info.biasPath = biasPath;

        if (!torch::isfinite(weight).all().item<bool>())
            throw Error(ErrorCode::NonFinite,
                        path + ": layer " + info.name + " has NaN or Inf weights");

        // BatchNorm folding: every call site must feed the same BatchNorm, used nowhere else.
        c10::optional<BatchNormUse> bn;
        if (isConv) {
            bn = batchNormAfter(first.node);
            for (const LayerSite *s : group) {
                const auto other = batchNormAfter(s->node);
                if (!bn || !other || other->path != bn->path)
                    bn = c10::nullopt;
            }
            if (bn && batchNormUses[bn->path] != static_cast<int>(group.size()))
                bn = c10::nullopt;
            if (bn && (!buffers.count(bn->path + ".running_mean") ||
                       !buffers.count(bn->path + ".running_var")))
                bn = c10::nullopt;
        }
        at::Tensor w2 = weight.reshape({info.outChannels, info.d}).clone();
        at::Tensor bias = info.hasBias ? biasIt->second.detach().to(at::kCPU, at::kFloat).clone()
                                       : at::zeros({info.outChannels}, at::kFloat);
        double eps = 0.0;
        if (bn) {
            const auto get = [&](const std::string &name, float fallback) {
                const auto p = parameters.find(bn->path + "." + name);
                if (p != parameters.end() && p->second.defined())
                    return p->second.detach().to(at::kCPU, at::kDouble);
                return at::full({info.outChannels}, double(fallback), at::kDouble);
            };
            const at::Tensor mean =
                buffers.at(bn->path + ".running_mean").to(at::kCPU, at::kDouble);
            const at::Tensor var = buffers.at(bn->path + ".running_var").to(at::kCPU, at::kDouble);
            const at::Tensor gamma = get("weight", 1.0f), beta = get("bias", 0.0f);
            if (mean.numel() == info.outChannels) {
                const at::Tensor s = gamma / at::sqrt(var + bn->eps);
                w2 = (w2.to(at::kDouble) * s.unsqueeze(1)).to(at::kFloat);
                bias = (beta + s * (bias.to(at::kDouble) - mean)).to(at::kFloat);
                info.foldedBatchNorm = bn->path;
                eps = bn->eps;
                if (!torch::isfinite(w2).all().item<bool>() ||
                    !torch::isfinite(bias).all().item<bool>())
                    throw Error(ErrorCode::NonFinite, path + ": folding " + bn->path + " into " +
                                                          info.name + " gives NaN or Inf");
            }
        }
        impl->foldedWeights.emplace_back(w2.data_ptr<float>(), w2.data_ptr<float>() + w2.numel());
        impl->foldedBiases.emplace_back(bias.data_ptr<float>(),
                                        bias.data_ptr<float>() + bias.numel());
        impl->batchNormEps.push_back(eps);
        impl->ops.push_back(op);
        impl->layers.push_back(std::move(info));
    }
    if (impl->layers.empty())
        throw Error(ErrorCode::BadModel,
                    path + ": no quantizable layer (a Conv1d, Conv2d or Linear whose "
                           "weight is a module parameter) in the forward graph");
    return Model(std::move(impl));
}

} // namespace mpq
