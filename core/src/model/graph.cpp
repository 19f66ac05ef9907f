// The model's graph for the Graph page (issue 15, docs/ui.md "Graph page"): the operations that
// matter in the inlined forward graph, the same graph layer discovery reads (modelimpl.h), so
// a node's layer index always agrees with Model::layers(). Imported ONNX models are TorchScript
// modules too (docs/onnx.md): one code path serves both.

#include "mpq/graph.h"

#include "model/modelimpl.h"

#include <torch/csrc/jit/ir/ir.h>
#include <torch/csrc/jit/passes/constant_propagation.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>
#include <torch/csrc/jit/passes/inliner.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

namespace mpq {

namespace {

using torch::jit::Block;
using torch::jit::Node;
using torch::jit::Value;

struct OpKind
{
    GraphNodeKind kind;
    const char *op;
};

// The operations drawn as nodes, by TorchScript kind (in-place forms included).
const std::map<std::string, OpKind> &opKinds()
{
    static const std::map<std::string, OpKind> kinds = [] {
        std::map<std::string, OpKind> k;
        const auto add = [&](std::initializer_list<const char *> names, GraphNodeKind kind,
                             const char *op) {
            for (const char *name : names) {
                k[std::string("aten::") + name] = {kind, op};
                k[std::string("aten::") + name + "_"] = {kind, op};
            }
        };
        add({"conv1d", "conv2d", "conv3d", "_convolution", "convolution"}, GraphNodeKind::Conv,
            "Conv");
        add({"conv_transpose1d", "conv_transpose2d"}, GraphNodeKind::Conv, "ConvTranspose");
        add({"linear", "addmm"}, GraphNodeKind::Linear, "Linear");
        add({"matmul", "mm", "bmm"}, GraphNodeKind::Linear, "MatMul");
        add({"max_pool1d", "max_pool2d", "max_pool2d_with_indices"}, GraphNodeKind::Pool,
            "MaxPool");
        add({"avg_pool1d", "avg_pool2d"}, GraphNodeKind::Pool, "AvgPool");
        add({"adaptive_avg_pool1d", "adaptive_avg_pool2d"}, GraphNodeKind::Pool, "AdaptiveAvgPool");
        add({"adaptive_max_pool1d", "adaptive_max_pool2d"}, GraphNodeKind::Pool, "AdaptiveMaxPool");
        add({"mean"}, GraphNodeKind::Pool, "Mean");
        add({"add"}, GraphNodeKind::Add, "Add");
        add({"sub"}, GraphNodeKind::Add, "Sub");
        add({"mul"}, GraphNodeKind::Add, "Mul");
        add({"div"}, GraphNodeKind::Add, "Div");
        add({"cat", "concat", "stack"}, GraphNodeKind::Concat, "Concat");
        add({"relu"}, GraphNodeKind::Activation, "ReLU");
        add({"relu6"}, GraphNodeKind::Activation, "ReLU6");
        add({"hardtanh", "clamp", "clip"}, GraphNodeKind::Activation, "Clip");
        add({"hardswish"}, GraphNodeKind::Activation, "HardSwish");
        add({"hardsigmoid"}, GraphNodeKind::Activation, "HardSigmoid");
        add({"sigmoid"}, GraphNodeKind::Activation, "Sigmoid");
        add({"tanh"}, GraphNodeKind::Activation, "Tanh");
        add({"silu"}, GraphNodeKind::Activation, "SiLU");
        add({"gelu"}, GraphNodeKind::Activation, "GELU");
        add({"leaky_relu"}, GraphNodeKind::Activation, "LeakyReLU");
        add({"elu"}, GraphNodeKind::Activation, "ELU");
        add({"mish"}, GraphNodeKind::Activation, "Mish");
        add({"softmax"}, GraphNodeKind::Activation, "Softmax");
        add({"log_softmax"}, GraphNodeKind::Activation, "LogSoftmax");
        add({"upsample_nearest1d", "upsample_nearest3d", "upsample_trilinear3d",
             "upsample_nearest2d", "upsample_bilinear2d", "upsample_linear1d", "upsample_bicubic2d",
             "__interpolate", "interpolate"},
            GraphNodeKind::Resize, "Resize");
        add({"batch_norm", "_native_batch_norm_legit_no_training"}, GraphNodeKind::Norm,
            "BatchNorm");
        add({"layer_norm"}, GraphNodeKind::Norm, "LayerNorm");
        add({"group_norm"}, GraphNodeKind::Norm, "GroupNorm");
        add({"instance_norm"}, GraphNodeKind::Norm, "InstanceNorm");
        return k;
    }();
    return kinds;
}

// Values that carry tensors: data flows only through them (not through sizes, ints or flags).
bool carriesTensor(const c10::TypePtr &type)
{
    switch (type->kind()) {
    case c10::TypeKind::TensorType:
        return true;
    case c10::TypeKind::ListType:
    case c10::TypeKind::TupleType:
    case c10::TypeKind::OptionalType:
    case c10::TypeKind::DictType:
        for (const c10::TypePtr &contained : type->containedTypes())
            if (carriesTensor(contained))
                return true;
        return false;
    default:
        return false;
    }
}

std::vector<std::string> split(const std::string &path)
{
    std::vector<std::string> parts;
    std::string part;
    std::istringstream in(path);
    while (std::getline(in, part, '.'))
        if (!part.empty())
            parts.push_back(part);
    return parts;
}

std::string join(const std::vector<std::string> &parts, std::size_t count)
{
    std::string out;
    for (std::size_t i = 0; i < count && i < parts.size(); ++i)
        out += (i ? "." : "") + parts[i];
    return out;
}

// The module path of an inlined node from its call stack ("layer1.0.relu"), or "".
std::string modulePath(const Node *node)
{
    const auto stack = node->callstack();
    if (!stack)
        return {};
    std::string path;
    for (const auto &entry : (*stack)->vec()) {
        const auto &info = std::get<2>(entry);
        if (!info || info->instance_name().empty())
            continue;
        path += (path.empty() ? "" : ".") + info->instance_name();
    }
    return path;
}

std::string shapeText(const LayerInfo &layer)
{
    std::ostringstream s;
    const auto &w = layer.weightShape;
    if (layer.kind == LayerKind::Linear) {
        if (w.size() == 2)
            s << ' ' << w[1] << "→" << w[0];
        return s.str();
    }
    if (w.size() == 4)
        s << ' ' << w[2] << "×" << w[3];
    else if (w.size() == 3)
        s << ' ' << w[2];
    const bool strided = std::any_of(layer.stride.begin(), layer.stride.end(),
                                     [](std::int64_t v) { return v != 1; });
    if (strided)
        s << " /" << layer.stride.front();
    if (w.size() >= 2) {
        s << ' ' << w[1] * layer.groups << "→" << w[0];
        if (layer.groups > 1 && layer.groups == w[0] && w[1] == 1)
            s << " dw"; // depthwise
        else if (layer.groups > 1)
            s << " g" << layer.groups;
    }
    return s.str();
}

class Builder
{
public:
    Builder(const Model &model, torch::jit::Graph &graph)
        : m_model(model)
        , m_graph(graph)
    {
        for (const auto &m : model.impl().module.named_modules())
            if (!m.name.empty() && m_modules.insert(m.name).second)
                for (std::size_t i = 1, n = split(m.name).size(); i < n; ++i)
                    m_parents.insert(join(split(m.name), i));
        std::vector<std::string> skipped;
        const auto byWeight = model.impl().layerByWeightPath();
        for (const LayerSite &site : findLayerSites(graph, skipped)) {
            const auto it = byWeight.find(site.weightPath);
            if (it != byWeight.end())
                m_layerOf[site.node] = static_cast<int>(it->second);
        }
    }

    ModelGraph build()
    {
        // inputs (argument 0 is self, the module)
        for (Value *input : m_graph.inputs()) {
            if (input->offset() == 0 || !carriesTensor(input->type()))
                continue;
            GraphNode node;
            node.kind = GraphNodeKind::Input;
            node.op = "Input";
            node.label = "Input";
            node.name = input->debugNameBase();
            const int id = add(std::move(node));
            m_sources[input] = {id};
        }
        visit(m_graph.block());
        inferScopes();
        GraphNode output;
        output.kind = GraphNodeKind::Output;
        output.op = "Output";
        output.label = "Output";
        const int out = add(std::move(output));
        for (Value *v : m_graph.outputs())
            for (int from : sources(v))
                connect(from, out);
        return std::move(m_out);
    }

private:
    int add(GraphNode node)
    {
        node.id = static_cast<int>(m_out.nodes.size());
        m_out.nodes.push_back(std::move(node));
        return m_out.nodes.back().id;
    }

    void connect(int from, int to)
    {
        if (from != to && m_edges.insert({from, to}).second)
            m_out.edges.push_back({from, to});
    }

    // The drawn nodes a value's data comes from (memoized; bypassed nodes pass their tensor
    // inputs' sources through).
    const std::vector<int> &sources(Value *v)
    {
        if (const auto it = m_sources.find(v); it != m_sources.end())
            return it->second;
        std::vector<int> out;
        if (carriesTensor(v->type())) {
            Node *producer = v->node();
            if (producer->kind() == c10::prim::Param) {
                // a block's parameter (a loop's carried value): from the loop's inputs
                if (Node *owner = producer->owningBlock()->owningNode())
                    for (Value *in : owner->inputs())
                        merge(out, sources(in));
            } else {
                merge(out, producerSources(producer));
            }
        }
        return m_sources[v] = std::move(out);
    }

    // What a bypassed node's outputs come from: its tensor inputs, and for if/loop nodes
    // the values their blocks return.
    std::vector<int> producerSources(Node *producer)
    {
        std::vector<int> out;
        for (Value *in : producer->inputs())
            merge(out, sources(in));
        for (Block *b : producer->blocks())
            for (Value *ret : b->outputs())
                merge(out, sources(ret));
        return out;
    }

    static void merge(std::vector<int> &into, const std::vector<int> &from)
    {
        for (int id : from)
            if (std::find(into.begin(), into.end(), id) == into.end())
                into.push_back(id);
    }

    void visit(Block *block)
    {
        for (Node *n : block->nodes()) {
            const std::size_t before = m_out.nodes.size();
            for (Block *b : n->blocks())
                visit(b);
            if (n->kind() == c10::prim::If)
                mergeAlternatives(before);
            const auto it = opKinds().find(n->kind().toQualString());
            if (it == opKinds().end() || n->outputs().empty() ||
                !carriesTensor(n->output(0)->type()))
                continue; // bypassed: sources() looks through it on demand
            // element-wise arithmetic counts only between two tensors (not x * 0.5)
            std::vector<std::vector<int>> inputs;
            for (Value *in : n->inputs())
                if (carriesTensor(in->type()))
                    inputs.push_back(sources(in));
            if (it->second.kind == GraphNodeKind::Add) {
                const auto fed = std::count_if(inputs.begin(), inputs.end(),
                                               [](const auto &s) { return !s.empty(); });
                if (fed < 2)
                    continue;
            }
            // no data reaches it (e.g. a mean over a constant): not part of the data flow
            if (std::all_of(inputs.begin(), inputs.end(), [](const auto &s) { return s.empty(); }))
                continue;
            GraphNode node;
            node.kind = it->second.kind;
            node.op = it->second.op;
            node.label = node.op;
            // a call stack that names no module of the model (a traced model's leaf calls carry
            // only the leaf's own name) is no scope
            std::string path = modulePath(n);
            if (!m_modules.count(path))
                path.clear();
            if (const auto layer = m_layerOf.find(n); layer != m_layerOf.end()) {
                const LayerInfo &info = m_model.layers()[std::size_t(layer->second)];
                node.layer = layer->second;
                node.label += shapeText(info);
                path = info.name; // the layer's own module, whatever the call stack says
            } else {
                if (m_parents.count(path))
                    m_stackScoped = true; // code in a container module's forward
                // else the module whose parameter or buffer it reads (a BatchNorm's running mean,
                // a transposed convolution's weight)
                for (std::size_t i = 1; path.empty() && i < n->inputs().size() && i < 5; ++i) {
                    const std::string p = attributePath(n->input(i));
                    if (p.rfind('.') != std::string::npos)
                        path = p.substr(0, p.rfind('.'));
                }
            }
            node.name = path;
            std::vector<std::string> parts = split(path);
            // a leaf module (a conv, a ReLU module) belongs to its parent; code in a module's
            // own forward (a residual block's add) belongs to that module
            if (!parts.empty() && (node.layer >= 0 || !m_parents.count(path)))
                parts.pop_back();
            node.scope = std::move(parts);
            const int id = add(std::move(node));
            for (const auto &s : inputs)
                for (int from : s)
                    connect(from, id);
            for (Value *o : n->outputs())
                m_sources[o] = {id};
        }
    }

    // A traced model keeps only its leaf modules' calls (a conv's, with its own name), an
    // imported ONNX model none: when no other operation has a module, each takes the deepest
    // module among its inputs', in data-flow order (a ReLU after block 3's conv belongs to block
    // 3; a residual add to the block whose output it adds), so modules still collapse whole.
    void inferScopes()
    {
        if (m_stackScoped)
            return; // the call stack names the modules
        std::vector<std::vector<int>> inputs(m_out.nodes.size());
        for (const GraphEdge &e : m_out.edges)
            inputs[std::size_t(e.to)].push_back(e.from);
        for (GraphNode &n : m_out.nodes) {
            if (n.layer >= 0 || n.kind == GraphNodeKind::Input || !n.scope.empty())
                continue;
            for (int from : inputs[std::size_t(n.id)])
                if (m_out.nodes[std::size_t(from)].scope.size() > n.scope.size())
                    n.scope = m_out.nodes[std::size_t(from)].scope;
        }
    }

    // The branches of an if that do the same operation on the same data (an imported Resize's
    // 1-D, 2-D and 3-D forms, chosen by the input's rank at run time) are one node.
    void mergeAlternatives(std::size_t first)
    {
        const std::size_t end = m_out.nodes.size();
        if (end - first < 2)
            return;
        const auto inputs = [&](std::size_t id) {
            std::vector<int> in;
            for (const GraphEdge &e : m_out.edges)
                if (e.to == int(id))
                    in.push_back(e.from);
            std::sort(in.begin(), in.end());
            return in;
        };
        const std::vector<int> in = inputs(first);
        for (std::size_t id = first + 1; id < end; ++id)
            if (m_out.nodes[id].op != m_out.nodes[first].op || m_out.nodes[id].layer >= 0 ||
                inputs(id) != in)
                return;
        const int kept = int(first);
        m_out.nodes.resize(first + 1);
        m_out.edges.erase(std::remove_if(m_out.edges.begin(), m_out.edges.end(),
                                         [&](const GraphEdge &e) { return e.to > kept; }),
                          m_out.edges.end());
        for (auto it = m_edges.begin(); it != m_edges.end();)
            it = it->second > kept ? m_edges.erase(it) : std::next(it);
        for (auto &entry : m_sources) {
            std::vector<int> merged;
            for (int id : entry.second)
                merge(merged, {id > kept ? kept : id});
            entry.second = std::move(merged);
        }
    }

    const Model &m_model;
    torch::jit::Graph &m_graph;
    std::set<std::string> m_modules; ///< every module path
    std::set<std::string> m_parents; ///< module paths with submodules
    std::unordered_map<const Node *, int> m_layerOf;
    std::unordered_map<const Value *, std::vector<int>> m_sources;
    std::set<std::pair<int, int>> m_edges;
    bool m_stackScoped = false; ///< an operation other than a layer has a module in its call stack
    ModelGraph m_out;
};

} // namespace

ModelGraph modelGraph(const Model &model)
{
    // the module's forward is inlined in place at load (modelimpl.h); a copy keeps this
    // read-only towards concurrent users of the model
    auto &module = model.impl().module;
    std::shared_ptr<torch::jit::Graph> graph = module.get_method("forward").graph()->copy();
    torch::jit::Inline(*graph);
    // branches on constants (an imported ONNX Resize's mode and rank, a module's flags) fold
    // away, so an operation is drawn once, not once per branch it might have taken
    torch::jit::ConstantPropagation(graph);
    torch::jit::EliminateDeadCode(graph);
    return Builder(model, *graph).build();
}

} // namespace mpq
