// Loading a TorchScript model, finding its quantizable layers in the forward graph, and
// folding BatchNorms (docs/multipoint.md section 1).
#include "model/modelimpl.h"

#include "model/forwardinput.h"
#include "model/onnximport.h"
#include "model/torchvisionops.h"
#include "mpq/error.h"
#include "mpq/modelformat.h"
#include "util/errorreason.h"
#include "util/sha256.h"

#include <torch/csrc/jit/passes/inliner.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
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

std::uint32_t crc32(const char *data, std::size_t size)
{
    static const auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
            t[i] = c;
        }
        return t;
    }();
    std::uint32_t crc = 0xffffffffu;
    for (std::size_t i = 0; i < size; ++i)
        crc = table[(crc ^ std::uint8_t(data[i])) & 0xff] ^ (crc >> 8);
    return ~crc;
}

/// TorchScript files are zip archives, and LibTorch's reader does not check the CRC-32 of the
/// members it reads (PyTorch builds miniz without it): a damaged tensor record loads silently
/// as different weights. This checks every stored (uncompressed) member, which is where the
/// tensors are, against the CRC in the central directory, and returns the name of the first
/// one that fails. Archives it does not understand (no zip, zip64 fields) pass unchecked and
/// are left to torch::jit::load.
std::string damagedZipMember(const std::string &b)
{
    const auto u16 = [&](std::size_t p) {
        return std::uint32_t(std::uint8_t(b[p])) | std::uint32_t(std::uint8_t(b[p + 1])) << 8;
    };
    const auto u32 = [&](std::size_t p) { return u16(p) | u16(p + 2) << 16; };
    if (b.size() < 22)
        return {};
    // The end-of-central-directory record: within the last 64 KiB + 22 bytes (comment).
    std::size_t eocd = std::string::npos;
    for (std::size_t i = b.size() - 22;; --i) {
        if (u32(i) == 0x06054b50u) {
            eocd = i;
            break;
        }
        if (i == 0 || b.size() - i > 65557)
            break;
    }
    if (eocd == std::string::npos)
        return {};
    const std::uint32_t count = u16(eocd + 10), cdSize = u32(eocd + 12), cdOffset = u32(eocd + 16);
    if (count == 0xffffu || cdOffset == 0xffffffffu || std::uint64_t(cdOffset) + cdSize > b.size())
        return {};
    std::size_t p = cdOffset;
    for (std::uint32_t entry = 0; entry < count; ++entry) {
        if (p + 46 > b.size() || u32(p) != 0x02014b50u)
            return {};
        const std::uint32_t method = u16(p + 10), crc = u32(p + 16), packed = u32(p + 20),
                            size = u32(p + 24), nameLength = u16(p + 28), extraLength = u16(p + 30),
                            commentLength = u16(p + 32), offset = u32(p + 42);
        if (p + 46 + nameLength > b.size())
            return {};
        const std::string name = b.substr(p + 46, nameLength);
        p += 46 + std::size_t(nameLength) + extraLength + commentLength;
        if (method != 0 || packed != size || size == 0xffffffffu || offset == 0xffffffffu)
            continue;
        if (std::uint64_t(offset) + 30 > b.size() || u32(offset) != 0x04034b50u)
            return name;
        const std::uint64_t data = std::uint64_t(offset) + 30 + u16(offset + 26) + u16(offset + 28);
        if (data + size > b.size() || crc32(b.data() + data, size) != crc)
            return name;
    }
    return {};
}

c10::optional<c10::IValue> constant(const Value *v)
{
    return torch::jit::toIValue(v);
}

// int[] arguments arrive as int lists, tuples or single ints depending on how they were made.
bool intList(const Value *v, std::vector<std::int64_t> &out)
{
    out.clear();
    const auto kind = v->node()->kind();
    if (kind == c10::prim::ListConstruct || kind == c10::prim::TupleConstruct) {
        // a list built in the graph from constants (traced models, inlined modules)
        for (const Value *element : v->node()->inputs()) {
            const auto e = constant(element);
            if (!e || !e->isInt())
                return false;
            out.push_back(e->toInt());
        }
        return true;
    }
    const auto iv = constant(v);
    if (!iv)
        return false;
    if (iv->isIntList()) {
        out = iv->toIntVector();
    } else if (iv->isTuple()) {
        for (const auto &e : iv->toTupleRef().elements()) {
            if (!e.isInt())
                return false;
            out.push_back(e.toInt());
        }
    } else if (iv->isInt()) {
        out.push_back(iv->toInt());
    } else {
        return false;
    }
    return true;
}

void visitBlock(Block *block, std::vector<LayerSite> &sites, std::vector<std::string> &skipped)
{
    static const auto kConv1d = c10::Symbol::fromQualString("aten::conv1d");
    static const auto kConv2d = c10::Symbol::fromQualString("aten::conv2d");
    static const auto kConvolution = c10::Symbol::fromQualString("aten::_convolution");
    static const auto kLinear = c10::Symbol::fromQualString("aten::linear");
    static const auto kAddmm = c10::Symbol::fromQualString("aten::addmm");
    static const auto kT = c10::Symbol::fromQualString("aten::t");
    for (Node *node : block->nodes()) {
        for (Block *sub : node->blocks())
            visitBlock(sub, sites, skipped);
        const auto kind = node->kind();
        LayerSite site;
        site.node = node;
        const Value *weight = nullptr;
        if (kind == kConv1d || kind == kConv2d) {
            weight = node->input(1);
            site.kind = kind == kConv1d ? LayerKind::Conv1d : LayerKind::Conv2d;
        } else if (kind == kConvolution) {
            const auto transposed = constant(node->input(6));
            std::vector<std::int64_t> stride;
            const std::string path = attributePath(node->input(1));
            if (!transposed || !transposed->isBool() || transposed->toBool()) {
                skipped.push_back(path + ": transposed convolution, left float");
                continue;
            }
            if (!intList(node->input(3), stride) || (stride.size() != 1 && stride.size() != 2)) {
                skipped.push_back(path + ": 3-D or non-constant convolution, left float");
                continue;
            }
            weight = node->input(1);
            site.kind = stride.size() == 1 ? LayerKind::Conv1d : LayerKind::Conv2d;
        } else if (kind == kLinear) {
            weight = node->input(1);
            site.kind = LayerKind::Linear;
        } else if (kind == kAddmm) {
            // traced nn.Linear: addmm(bias, x, t(weight))
            const Node *t = node->input(2)->node();
            if (t->kind() != kT)
                continue;
            weight = t->input(0);
            site.kind = LayerKind::Linear;
        } else {
            continue;
        }
        site.weightPath = attributePath(weight);
        if (site.weightPath.empty())
            continue; // a weight computed in the graph, not a module parameter
        sites.push_back(site);
    }
}

// Uses of a layer output that only read its metadata, not its values.
bool isMetadataUse(const Node *user)
{
    static const std::set<std::string> kinds = {"aten::dim",   "aten::size",   "prim::device",
                                                "prim::dtype", "aten::__is__", "aten::__isnot__",
                                                "aten::len",   "prim::shape"};
    return kinds.count(user->kind().toQualString()) > 0;
}

std::vector<std::int64_t> shapeOf(const at::Tensor &t)
{
    return t.sizes().vec();
}

} // namespace

std::string attributePath(const Value *value)
{
    static const auto kGetAttr = c10::Symbol::fromQualString("prim::GetAttr");
    std::vector<std::string> names;
    while (value->node()->kind() == kGetAttr) {
        names.push_back(value->node()->s(c10::Symbol::attr("name")));
        value = value->node()->input(0);
    }
    // the chain must start at the method's self
    if (names.empty() || value->node() != value->owningGraph()->param_node() ||
        value->offset() != 0)
        return {};
    std::string path;
    for (auto it = names.rbegin(); it != names.rend(); ++it)
        path += (path.empty() ? "" : ".") + *it;
    return path;
}

std::shared_ptr<torch::jit::Graph> inlinedForward(torch::jit::Module &module)
{
    auto graph = module.get_method("forward").graph();
    torch::jit::Inline(*graph);
    return graph;
}

std::vector<c10::IValue> forwardArguments(const torch::jit::Module &module, const at::Tensor &batch)
{
    // argument 0 is self; torchvision detection models declare images: List[Tensor]
    const auto &arguments = module.get_method("forward").function().getSchema().arguments();
    if (arguments.size() > 1 && arguments[1].type()->kind() == c10::TypeKind::ListType) {
        c10::List<at::Tensor> images;
        for (std::int64_t i = 0; i < batch.size(0); ++i)
            images.push_back(batch[i]);
        return {images};
    }
    return {batch};
}

std::vector<LayerSite> findLayerSites(torch::jit::Graph &graph, std::vector<std::string> &skipped)
{
    std::vector<LayerSite> sites;
    visitBlock(graph.block(), sites, skipped);
    return sites;
}

at::Tensor LayerOp::run(const at::Tensor &x, const at::Tensor &weight, const at::Tensor &bias) const
{
    const c10::optional<at::Tensor> b =
        bias.defined() ? c10::optional<at::Tensor>(bias) : c10::nullopt;
    switch (kind) {
    case LayerKind::Conv1d:
        if (!paddingMode.empty())
            return at::conv1d(x, weight, b, stride, paddingMode, dilation, groups);
        return at::conv1d(x, weight, b, stride, padding, dilation, groups);
    case LayerKind::Conv2d:
        if (!paddingMode.empty())
            return at::conv2d(x, weight, b, stride, paddingMode, dilation, groups);
        return at::conv2d(x, weight, b, stride, padding, dilation, groups);
    case LayerKind::Linear:
        return at::linear(x, weight, b);
    }
    return {};
}

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

namespace {

// Reads the constant arguments of a conv node into op; false when one is computed at run time.
bool readConvArguments(const Node *node, LayerOp &op)
{
    static const auto kConvolution = c10::Symbol::fromQualString("aten::_convolution");
    const bool traced = node->kind() == kConvolution;
    if (!intList(node->input(3), op.stride) || !intList(node->input(5), op.dilation))
        return false;
    const auto padding = constant(node->input(4));
    if (padding && padding->isString())
        op.paddingMode = padding->toStringRef();
    else if (!intList(node->input(4), op.padding))
        return false;
    const auto groups = constant(node->input(traced ? 8 : 6));
    if (!groups || !groups->isInt())
        return false;
    op.groups = groups->toInt();
    return true;
}

std::string intListText(const std::vector<std::int64_t> &values)
{
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i)
        out += (i ? ", " : "") + std::to_string(values[i]);
    return out + "]";
}

// "stride [2, 2] padding [0, 0] dilation [1, 1] groups 1" for warnings.
std::string describeConvArguments(const LayerOp &op)
{
    return "stride " + intListText(op.stride) + " padding " +
           (op.paddingMode.empty() ? intListText(op.padding) : "'" + op.paddingMode + "'") +
           " dilation " + intListText(op.dilation) + " groups " + std::to_string(op.groups);
}

struct BatchNormUse
{
    std::string path; // module path of the BatchNorm
    double eps = 1e-5;
};

// The BatchNorm that alone consumes a conv site's output, if any.
c10::optional<BatchNormUse> batchNormAfter(const Node *site)
{
    static const auto kBatchNorm = c10::Symbol::fromQualString("aten::batch_norm");
    const Node *bn = nullptr;
    for (const auto &use : site->output()->uses()) {
        if (use.user->kind() == kBatchNorm && use.offset == 0 && !bn)
            bn = use.user;
        else if (!isMetadataUse(use.user))
            return c10::nullopt; // the raw conv output is also used elsewhere
    }
    if (!bn)
        return c10::nullopt;
    const auto training = constant(bn->input(5));
    if (training && training->isBool() && training->toBool())
        return c10::nullopt; // traced in training mode: batch statistics, nothing to fold
    BatchNormUse out;
    for (int input : {1, 3, 2, 4}) { // weight, running_mean, bias, running_var
        const std::string p = attributePath(bn->input(input));
        if (!p.empty()) {
            out.path = p.substr(0, p.rfind('.'));
            break;
        }
    }
    if (out.path.empty())
        return c10::nullopt;
    const auto eps = constant(bn->input(7));
    if (eps && eps->isDouble())
        out.eps = eps->toDouble();
    return out;
}

} // namespace

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

namespace {
// The bytes of a model file; Error(BadModel) naming the file when it cannot be read.
std::string readModelFile(const std::string &path)
{
    // A folder opens as a stream on Linux and then reads as empty; say what it is.
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw Error(ErrorCode::BadModel, path + ": is a folder, not a model file");
    std::ifstream file(path, std::ios::binary);
    if (!file)
        throw Error(ErrorCode::BadModel, path + ": cannot open the file");
    std::ostringstream content;
    content << file.rdbuf();
    if (file.bad())
        throw Error(ErrorCode::BadModel, path + ": cannot read the file");
    return content.str();
}
} // namespace

ModelFormat modelFileFormat(const std::string &path)
{
    return isOnnxFile(path, readModelFile(path)) ? ModelFormat::Onnx : ModelFormat::TorchScript;
}

void requireOnnxSource(const std::string &path, ModelFormat format)
{
    if (format != ModelFormat::Onnx)
        throw Error(ErrorCode::InvalidArgument,
                    path + ": ONNX export needs an ONNX source model; TorchScript to ONNX "
                           "conversion is PyTorch's Python exporter");
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
