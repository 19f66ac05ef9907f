// The forward graph of a TorchScript model: its quantizable layer sites, their constant arguments
// and the BatchNorms that follow them (docs/multipoint.md section 1).
#include "model/modelparts.h"

#include "model/forwardinput.h"

#include <torch/csrc/jit/passes/inliner.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace mpq {

using torch::jit::Block;
using torch::jit::Node;
using torch::jit::Value;

namespace {

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

} // namespace

// Uses of a layer output that only read its metadata, not its values.
bool isMetadataUse(const Node *user)
{
    static const std::set<std::string> kinds = {"aten::dim",   "aten::size",   "prim::device",
                                                "prim::dtype", "aten::__is__", "aten::__isnot__",
                                                "aten::len",   "prim::shape"};
    return kinds.count(user->kind().toQualString()) > 0;
}

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

} // namespace mpq
