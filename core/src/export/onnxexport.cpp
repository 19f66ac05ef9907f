// The ONNX exports (docs/onnx.md section 5): onnx-fakequant, the original ONNX graph with the
// multipoint sums as weights, and onnx-qdq, the deployable form: per layer a Conv/Gemm/MatMul
// over the first points of all channels plus one over the k-th points of the channels that have
// them, summed into their channels with Slice/Add/Concat and one Gather, weights as int8 codes
// with a DequantizeLinear per output row (docs/multipoint.md section 5).
#include "export/onnxexport.h"

#include "model/activationquant.h"
#include "model/modelimpl.h"
#include "model/onnximport.h"
#include "mpq/error.h"
#include "mpq/images.h"
#include "mpq/modelformat.h"
#include "mpq/runner.h"
#include "util/atomicfile.h"

#include <nlohmann/json.hpp>
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

namespace mpq {

namespace {

using onnx::NodeProto;
using onnx::TensorProto;

class GraphWriter
{
public:
    explicit GraphWriter(onnx::GraphProto &g)
        : m_graph(g)
    {
        for (const auto &i : g.input())
            m_names.insert(i.name());
        for (const auto &i : g.initializer())
            m_names.insert(i.name());
        for (const auto &n : g.node())
            for (const auto &o : n.output())
                m_names.insert(o);
    }
    std::string fresh(const std::string &base)
    {
        std::string name = base;
        for (int k = 2; m_names.count(name); ++k)
            name = base + "_" + std::to_string(k);
        m_names.insert(name);
        return name;
    }
    std::string floats(const std::string &base, const std::vector<std::int64_t> &dims,
                       const std::vector<float> &v)
    {
        TensorProto *t = init(base, dims, TensorProto::FLOAT);
        t->set_raw_data(std::string(reinterpret_cast<const char *>(v.data()), v.size() * 4));
        return t->name();
    }
    std::string int8s(const std::string &base, const std::vector<std::int64_t> &dims,
                      const std::vector<std::int8_t> &v)
    {
        TensorProto *t = init(base, dims, TensorProto::INT8);
        t->set_raw_data(std::string(reinterpret_cast<const char *>(v.data()), v.size()));
        return t->name();
    }
    std::string int64s(const std::string &base, const std::vector<std::int64_t> &v)
    {
        TensorProto *t = init(base, {std::int64_t(v.size())}, TensorProto::INT64);
        t->set_raw_data(std::string(reinterpret_cast<const char *>(v.data()), v.size() * 8));
        return t->name();
    }
    std::string scalar(const std::string &base, float v)
    {
        TensorProto *t = init(base, {}, TensorProto::FLOAT);
        t->add_float_data(v);
        return t->name();
    }
    std::string uint8Scalar(const std::string &base, std::uint8_t v)
    {
        TensorProto *t = init(base, {}, TensorProto::UINT8);
        t->add_int32_data(v);
        return t->name();
    }
    /// A node appended to `out`; returns its (fresh) output name unless `output` is given.
    std::string node(std::vector<NodeProto> &out, const std::string &op,
                     const std::vector<std::string> &inputs, const std::string &hint,
                     std::string output = {})
    {
        NodeProto n;
        n.set_op_type(op);
        n.set_name(fresh(hint + "/" + op));
        for (const std::string &i : inputs)
            n.add_input(i);
        if (output.empty())
            output = fresh(hint + "/" + op + "_out");
        n.add_output(output);
        out.push_back(std::move(n));
        return output;
    }

private:
    TensorProto *init(const std::string &base, const std::vector<std::int64_t> &dims, int type)
    {
        TensorProto *t = m_graph.add_initializer();
        t->set_name(fresh(base));
        t->set_data_type(type);
        for (std::int64_t d : dims)
            t->add_dims(d);
        return t;
    }
    onnx::GraphProto &m_graph;
    std::set<std::string> m_names;
};

void setInt(NodeProto &n, const std::string &name, std::int64_t v)
{
    for (auto &a : *n.mutable_attribute())
        if (a.name() == name) {
            a.set_i(v);
            return;
        }
    auto *a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
}

void dropAttribute(NodeProto &n, const std::string &name)
{
    auto *attrs = n.mutable_attribute();
    for (int i = 0; i < attrs->size(); ++i)
        if (attrs->Get(i).name() == name) {
            attrs->DeleteSubrange(i, 1);
            return;
        }
}

std::int64_t intAttr(const NodeProto &n, const std::string &name, std::int64_t fallback)
{
    for (const auto &a : n.attribute())
        if (a.name() == name)
            return a.i();
    return fallback;
}

std::string nodeName(const NodeProto &n, int index)
{
    return n.name().empty() ? "#" + std::to_string(index) : n.name();
}

struct LayerNodes
{
    std::size_t layer = 0;
    int batchNormNode = -1; ///< the folded BatchNormalization node, bypassed
};

/// The input of a quantized layer as the in-app model sees it: through QuantizeLinear/
/// DequantizeLinear with the runner's own numbers when activations are quantized (8 bits).
std::string layerInput(GraphWriter &w, std::vector<NodeProto> &out, const std::string &x,
                       const Analysis &analysis, std::size_t i, const std::string &hint)
{
    const int bits = analysis.settings.activationBits;
    if (bits <= 0 || i >= analysis.activations.size())
        return x;
    const ActivationQuantization aq = activationQuantization(analysis.activations[i], bits);
    if (!aq.active)
        return x;
    const std::string s = w.scalar(hint + ".act_scale", float(aq.scale));
    const std::string z = w.uint8Scalar(hint + ".act_zero_point", std::uint8_t(aq.zeroPoint));
    const std::string q = w.node(out, "QuantizeLinear", {x, s, z}, hint);
    return w.node(out, "DequantizeLinear", {q, s, z}, hint);
}

std::vector<float> transposed(const std::vector<float> &w, std::int64_t rows, std::int64_t cols)
{
    std::vector<float> t(w.size());
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t c = 0; c < cols; ++c)
            t[c * rows + r] = w[r * cols + c];
    return t;
}

std::vector<std::int8_t> transposed(const std::vector<std::int8_t> &w, std::int64_t rows,
                                    std::int64_t cols)
{
    std::vector<std::int8_t> t(w.size());
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t c = 0; c < cols; ++c)
            t[c * rows + r] = w[r * cols + c];
    return t;
}

/// The folded bias with the allocation's bias correction added (docs/multipoint.md section 9),
/// as quantizedRunner runs it.
std::vector<float> exportedBias(const Model &model, const Analysis &analysis,
                                const Allocation &allocation,
                                const std::vector<LayerAtBits> &atBits, std::size_t i)
{
    std::vector<float> bias = model.foldedBias(i);
    const std::vector<float> c = allocatedBiasCorrection(model, analysis, allocation, atBits, i);
    for (std::size_t k = 0; k < c.size() && k < bias.size(); ++k)
        bias[k] += c[k];
    return bias;
}

/// onnx-qdq for one quantized layer node (docs/onnx.md section 5). Appends the replacement
/// nodes to `out`, the last of which writes `output`.
void qdqLayer(GraphWriter &w, std::vector<NodeProto> &out, const NodeProto &node,
              const std::string &output, const Model &model, const Analysis &analysis,
              const Allocation &allocation, const std::vector<LayerAtBits> &atBits, std::size_t i,
              bool hasBias, ExpandedExport &figures)
{
    const LayerInfo &l = model.layers()[i];
    const LayerAllocation &la = allocation.layers[i];
    const MatrixDecomposition &d = layerDecomposition(model, analysis, atBits, la, i);
    const std::string &op = node.op_type();
    const std::string hint = node.name().empty() ? l.name : node.name();
    const std::int64_t C = l.outChannels, D = l.d;
    if (op == "Gemm" && intAttr(node, "transA", 0) != 0)
        throw Error(ErrorCode::InvalidArgument,
                    model.path() + ": Gemm node '" + node.name() +
                        "' with transA = 1: onnx-qdq writes Gemm only with transA = 0");

    // The extra points of each channel whose scale is not 0 (rows with scale 0 are dropped;
    // the order of a channel's extra points does not change their sum).
    std::vector<std::vector<int>> extra(C);
    for (std::int64_t c = 0; c < C; ++c)
        for (int n = 1; n < la.points.at(c); ++n)
            if (d.scale(c, n) != 0.0f)
                extra[c].push_back(n);
    // Channels by their number of extra points, descending: the channels with a k-th point are
    // then a prefix of those with a (k-1)-th.
    std::vector<std::int64_t> order(C);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::int64_t a, std::int64_t b) {
        return extra[a].size() > extra[b].size();
    });
    std::size_t kMax = 0;
    for (const auto &e : extra)
        kMax = std::max(kMax, e.size());
    std::vector<std::int64_t> m(kMax + 1, 0); // m[k]: channels with an extra point k (1-based)
    for (const auto &e : extra)
        for (std::size_t k = 1; k <= e.size(); ++k)
            ++m[k];

    const std::string x = layerInput(w, out, node.input(0), analysis, i, hint);
    const std::int64_t groups = l.groups,
                       cinPerGroup = l.weightShape.size() > 1 ? l.weightShape[1] : D;
    const std::int64_t positions =
        l.weightShape.empty() || la.weights == 0 ? 0 : la.macs / la.weights;
    const bool matmul = op == "MatMul";

    // One operation over `rows` (channel, point) pairs; returns its output.
    auto branch = [&](const std::vector<std::pair<std::int64_t, int>> &rows, bool withBias,
                      const std::string &tag, const std::string &name) {
        const std::int64_t r = static_cast<std::int64_t>(rows.size());
        std::vector<std::int8_t> codes;
        std::vector<float> scales;
        codes.reserve(r * D);
        for (const auto &[c, p] : rows) {
            const std::int8_t *q = d.code(c, p);
            codes.insert(codes.end(), q, q + D);
            scales.push_back(d.scale(c, p));
        }
        std::vector<std::int64_t> dims = l.weightShape;
        dims[0] = r;
        if (matmul) {
            codes = transposed(codes, r, D);
            dims = {D, r};
        }
        const std::string wq = w.int8s(hint + tag + ".weight_q", dims, codes);
        const std::string ws = w.floats(hint + tag + ".weight_scale", {r}, scales);
        const std::string wz =
            w.int8s(hint + tag + ".weight_zero_point", {r}, std::vector<std::int8_t>(r, 0));
        NodeProto dq;
        dq.set_op_type("DequantizeLinear");
        dq.set_name(w.fresh(hint + tag + "/DequantizeLinear"));
        dq.add_input(wq);
        dq.add_input(ws);
        dq.add_input(wz);
        const std::string weight = w.fresh(hint + tag + ".weight");
        dq.add_output(weight);
        setInt(dq, "axis", matmul ? 1 : 0);
        out.push_back(dq);

        NodeProto n = node;
        n.clear_input();
        n.clear_output();
        n.set_name(w.fresh(hint + tag));
        std::string input = x;
        if (op == "Conv" && groups > 1 && !withBias) {
            // each row its own group over its group's input channels, gathered (no zero rows)
            std::vector<std::int64_t> idx;
            for (const auto &[c, p] : rows) {
                const std::int64_t g = c / (C / groups);
                for (std::int64_t j = 0; j < cinPerGroup; ++j)
                    idx.push_back(g * cinPerGroup + j);
            }
            NodeProto gather;
            gather.set_op_type("Gather");
            gather.set_name(w.fresh(hint + tag + "/Gather"));
            gather.add_input(x);
            gather.add_input(w.int64s(hint + tag + ".input_channels", idx));
            input = w.fresh(hint + tag + ".input");
            gather.add_output(input);
            setInt(gather, "axis", 1);
            out.push_back(gather);
            setInt(n, "group", r);
        }
        n.add_input(input);
        n.add_input(weight);
        if (op == "Gemm") {
            dropAttribute(n, "alpha");
            dropAttribute(n, "beta");
            setInt(n, "transB", 1);
        }
        if (withBias && hasBias && !matmul) {
            std::vector<float> bias;
            const std::vector<float> layerBias =
                exportedBias(model, analysis, allocation, atBits, i);
            for (const auto &[c, p] : rows)
                bias.push_back(layerBias[c]);
            n.add_input(w.floats(hint + tag + ".bias", {r}, bias));
        }
        const std::string o = name.empty() ? w.fresh(hint + tag + "_out") : name;
        n.add_output(o);
        out.push_back(n);
        return o;
    };

    const bool identity = std::is_sorted(order.begin(), order.end());
    // The base operation's rows in that order, except for a grouped convolution, whose rows
    // must stay in their groups: its output is gathered into that order instead.
    const bool gatherBase = !identity && op == "Conv" && groups > 1;
    std::vector<std::pair<std::int64_t, int>> base;
    for (std::int64_t j = 0; j < C; ++j)
        base.push_back({gatherBase ? j : order[j], 0});
    const std::int64_t channelAxis = matmul ? -1 : 1;
    auto slice = [&](const std::string &t, std::int64_t from, std::int64_t to) {
        return w.node(out, "Slice",
                      {t, w.int64s(hint + ".starts", {from}), w.int64s(hint + ".ends", {to}),
                       w.int64s(hint + ".axes", {channelAxis})},
                      hint);
    };
    auto concat = [&](const std::string &a, const std::string &b, const std::string &name) {
        NodeProto n;
        n.set_op_type("Concat");
        n.set_name(w.fresh(hint + "/Concat"));
        n.add_input(a);
        n.add_input(b);
        const std::string o = name.empty() ? w.fresh(hint + "/Concat_out") : name;
        n.add_output(o);
        setInt(n, "axis", channelAxis);
        out.push_back(n);
        return o;
    };

    std::int64_t extraRowsRun = 0;
    if (kMax == 0) {
        branch(base, true, "", output);
    } else {
        std::string y = branch(base, true, "", "");
        if (gatherBase) {
            NodeProto g;
            g.set_op_type("Gather");
            g.set_name(w.fresh(hint + "/Gather"));
            g.add_input(y);
            g.add_input(w.int64s(hint + ".channel_order", order));
            y = w.fresh(hint + "/Gather_out");
            g.add_output(y);
            setInt(g, "axis", channelAxis);
            out.push_back(g);
        }
        std::vector<std::string> e(kMax + 1);
        for (std::size_t k = 1; k <= kMax; ++k) {
            std::vector<std::pair<std::int64_t, int>> rows;
            for (std::int64_t j = 0; j < m[k]; ++j)
                rows.push_back({order[j], extra[order[j]][k - 1]});
            extraRowsRun += m[k];
            e[k] = branch(rows, false, ".point" + std::to_string(k + 1), "");
        }
        // acc over the channels with a k-th extra point: e_k + acc_{k+1} on its prefix
        std::string acc = e[kMax];
        for (std::size_t k = kMax - 1; k >= 1; --k) {
            if (m[k + 1] == m[k])
                acc = w.node(out, "Add", {e[k], acc}, hint);
            else
                acc = concat(w.node(out, "Add", {slice(e[k], 0, m[k + 1]), acc}, hint),
                             slice(e[k], m[k + 1], m[k]), "");
        }
        const std::string sum = identity ? output : "";
        std::string full;
        if (m[1] == C)
            full = w.node(out, "Add", {y, acc}, hint, sum);
        else
            full =
                concat(w.node(out, "Add", {slice(y, 0, m[1]), acc}, hint), slice(y, m[1], C), sum);
        if (!identity) {
            std::vector<std::int64_t> inverse(C);
            for (std::int64_t j = 0; j < C; ++j)
                inverse[order[j]] = j;
            NodeProto g;
            g.set_op_type("Gather");
            g.set_name(w.fresh(hint + "/Gather"));
            g.add_input(full);
            g.add_input(w.int64s(hint + ".channel_order", inverse));
            g.add_output(output);
            setInt(g, "axis", channelAxis);
            out.push_back(g);
        }
    }
    if (kMax == 0 && !identity)
        throw Error(ErrorCode::InvalidArgument, "internal: a single-point layer was reordered");

    ExpandedLayer f;
    f.name = l.name;
    f.channels = C;
    f.extraRows = la.extraWeights / std::max<std::int64_t>(1, D);
    f.extraRowsRun = extraRowsRun;
    f.groups = groups;
    f.extraGroups = groups > 1 ? extraRowsRun : (extraRowsRun > 0 ? 1 : 0);
    f.macs = la.macs;
    f.extraMacsRun = extraRowsRun * D * positions;
    f.extraMacsPredicted = la.extraMacs;
    figures.layers.push_back(f);
}

Verification verifyOnnx(ModelRunner &inApp, const std::string &path, const ModelProfile &profile,
                        const std::vector<std::string> &images)
{
    Verification v;
    if (images.empty())
        return v;
    Model reloaded = [&] {
        try {
            return Model::load(path, "cpu");
        } catch (const Error &e) {
            throw Error(ErrorCode::BadModel,
                        path + ": the written ONNX file does not re-import (" + e.what() + ")");
        }
    }();
    ModelRunner other = floatRunner(reloaded);
    double scale = 0.0;
    for (std::size_t begin = 0; begin < images.size(); begin += 8) {
        std::vector<PreparedImage> batch;
        for (std::size_t k = begin; k < std::min(images.size(), begin + 8); ++k) {
            try {
                batch.push_back(prepareImage(images[k], profile.input));
            } catch (const Error &) {
                // an unreadable sample is not the export's fault; the analysis already warned
            }
        }
        if (batch.empty())
            continue;
        const std::vector<OutputTensor> a = inApp.run(batch), b = other.run(batch);
        if (a.size() != b.size())
            throw Error(ErrorCode::BadModel, path + ": the re-imported export returns " +
                                                 std::to_string(b.size()) + " tensors instead of " +
                                                 std::to_string(a.size()));
        for (std::size_t t = 0; t < a.size(); ++t) {
            if (a[t].data.size() != b[t].data.size())
                throw Error(ErrorCode::BadModel, path + ": the re-imported export's output " +
                                                     std::to_string(t) + " has another shape");
            for (std::size_t k = 0; k < a[t].data.size(); ++k) {
                v.maxAbsoluteDifference = std::max(v.maxAbsoluteDifference,
                                                   double(std::abs(a[t].data[k] - b[t].data[k])));
                scale = std::max(scale, double(std::abs(a[t].data[k])));
            }
        }
        v.images += static_cast<int>(batch.size());
    }
    v.maxRelativeDifference = scale > 0 ? v.maxAbsoluteDifference / scale : v.maxAbsoluteDifference;
    return v;
}

} // namespace

OnnxExportResult exportOnnx(const Model &model, const Analysis &analysis,
                            const Allocation &allocation, const std::vector<LayerAtBits> &atBits,
                            bool qdq, const std::string &path, const std::string &manifest,
                            const ModelProfile &profile,
                            const std::vector<std::string> &verifyImages)
{
    const std::string format = qdq ? "onnx-qdq" : "onnx-fakequant";
    const Model::Impl &impl = model.impl();
    requireOnnxSource(model.path(), model.format());
    if (!impl.module.hasattr("mpq_onnx"))
        throw Error(ErrorCode::InvalidArgument,
                    model.path() + ": the model has no map to its ONNX graph");
    const int actBits = analysis.settings.activationBits;
    if (actBits != 0 && actBits != 8)
        throw Error(ErrorCode::InvalidArgument,
                    format +
                        " quantizes activations only with 8 bits (per tensor); the analysis "
                        "uses " +
                        std::to_string(actBits) + "-bit activations");
    const nlohmann::json map = nlohmann::json::parse(impl.module.attr("mpq_onnx").toStringRef());

    std::string bytes;
    {
        std::ifstream in(model.path(), std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        bytes = s.str();
    }
    onnx::ModelProto proto;
    if (bytes.empty() || !proto.ParseFromString(bytes) || !proto.has_graph())
        throw Error(ErrorCode::BadModel, model.path() + ": cannot re-read the ONNX source model");
    if (qdq)
        for (const auto &o : proto.opset_import())
            if ((o.domain().empty() || o.domain() == "ai.onnx") && o.version() < 13)
                throw Error(ErrorCode::InvalidArgument,
                            model.path() +
                                ": onnx-qdq needs opset 13 or newer (per-axis "
                                "DequantizeLinear); the model has opset " +
                                std::to_string(o.version()));
    onnx::GraphProto &graph = *proto.mutable_graph();
    for (const auto &t : graph.initializer())
        if (t.data_location() == TensorProto::EXTERNAL)
            throw Error(ErrorCode::InvalidArgument,
                        model.path() + ": ONNX export of a model with external data is not "
                                       "supported");

    // node name -> the layer it computes; BatchNorm module -> node name
    std::map<std::string, std::string> nodeOfModule;
    std::map<std::string, std::string> moduleOfNode;
    for (const auto &e : map.value("layers", nlohmann::json::array())) {
        nodeOfModule[e["module"].get<std::string>()] = e["node"].get<std::string>();
        moduleOfNode[e["node"].get<std::string>()] = e["module"].get<std::string>();
    }
    std::map<std::string, std::size_t> layerOfModule;
    for (std::size_t i = 0; i < model.layers().size(); ++i) {
        layerOfModule[model.layers()[i].name] = i;
        for (const std::string &a : model.layers()[i].aliases)
            layerOfModule[a.substr(0, a.rfind(".weight"))] = i;
    }
    std::map<std::string, int> nodeIndex;
    for (int k = 0; k < graph.node_size(); ++k)
        nodeIndex[nodeName(graph.node(k), k)] = k;

    std::map<int, LayerNodes> layerNodes; // by node index
    std::set<int> bypassed;
    for (int k = 0; k < graph.node_size(); ++k) {
        const auto mod = moduleOfNode.find(nodeName(graph.node(k), k));
        if (mod == moduleOfNode.end())
            continue;
        const auto li = layerOfModule.find(mod->second);
        if (li == layerOfModule.end() || allocation.layers.at(li->second).isFloat)
            continue;
        LayerNodes ln;
        ln.layer = li->second;
        const std::string &bn = model.layers()[li->second].foldedBatchNorm;
        if (!bn.empty()) {
            const auto bnNode = nodeOfModule.find(bn);
            if (bnNode == nodeOfModule.end() || !nodeIndex.count(bnNode->second))
                throw Error(ErrorCode::InvalidArgument,
                            model.path() + ": the BatchNormalization folded into '" + mod->second +
                                "' is not in the ONNX map");
            ln.batchNormNode = nodeIndex[bnNode->second];
            if (graph.node(k).op_type() != "Conv")
                throw Error(ErrorCode::InvalidArgument,
                            model.path() + ": a BatchNormalization folded into a " +
                                graph.node(k).op_type() + " node is not supported by " + format);
            bypassed.insert(ln.batchNormNode);
        }
        layerNodes[k] = ln;
    }

    GraphWriter w(graph);
    OnnxExportResult result;
    std::vector<NodeProto> nodes;
    for (int k = 0; k < graph.node_size(); ++k) {
        if (bypassed.count(k))
            continue;
        const auto found = layerNodes.find(k);
        if (found == layerNodes.end()) {
            nodes.push_back(graph.node(k));
            continue;
        }
        const NodeProto &node = graph.node(k);
        const std::size_t i = found->second.layer;
        const LayerInfo &l = model.layers()[i];
        const bool folded = found->second.batchNormNode >= 0;
        const std::string finalOutput =
            folded ? graph.node(found->second.batchNormNode).output(0) : node.output(0);
        // a MatMul has no bias input: its bias correction is an Add after it (docs/multipoint.md
        // section 9)
        const std::vector<float> matmulShift =
            node.op_type() == "MatMul"
                ? allocatedBiasCorrection(model, analysis, allocation, atBits, i)
                : std::vector<float>{};
        const std::string output =
            matmulShift.empty() ? finalOutput : w.fresh(finalOutput + "_uncorrected");
        const auto correctMatMul = [&] {
            if (!matmulShift.empty())
                w.node(nodes, "Add",
                       {output,
                        w.floats((node.name().empty() ? l.name : node.name()) + ".bias_correction",
                                 {l.outChannels}, matmulShift)},
                       node.name().empty() ? l.name : node.name(), finalOutput);
        };
        const bool hasBias = folded || node.input_size() > 2 || l.hasBias ||
                             allocation.biasCorrection; // docs/multipoint.md section 9
        const std::string hint = node.name().empty() ? l.name : node.name();
        if (qdq) {
            qdqLayer(w, nodes, node, output, model, analysis, allocation, atBits, i, hasBias,
                     result.figures);
            correctMatMul();
            continue;
        }
        // onnx-fakequant: the node with the multipoint sum as its weight (and the folded bias)
        NodeProto n = node;
        const std::vector<float> weight = quantizedWeight(model, analysis, allocation, atBits, i);
        n.set_input(0, layerInput(w, nodes, node.input(0), analysis, i, hint));
        if (node.op_type() == "MatMul") {
            n.set_input(1, w.floats(hint + ".weight_mpq", {l.d, l.outChannels},
                                    transposed(weight, l.outChannels, l.d)));
        } else {
            n.set_input(1, w.floats(hint + ".weight_mpq", l.weightShape, weight));
            if (node.op_type() == "Gemm") {
                if (intAttr(node, "transA", 0) != 0)
                    throw Error(ErrorCode::InvalidArgument,
                                model.path() + ": Gemm node '" + node.name() +
                                    "' with transA = 1 is not supported by " + format);
                dropAttribute(n, "alpha");
                dropAttribute(n, "beta");
                setInt(n, "transB", 1);
            }
            if (hasBias) {
                const std::string b =
                    w.floats(hint + ".bias_mpq", {l.outChannels},
                             exportedBias(model, analysis, allocation, atBits, i));
                if (n.input_size() > 2)
                    n.set_input(2, b);
                else
                    n.add_input(b);
            }
        }
        n.set_output(0, output);
        nodes.push_back(n);
        correctMatMul();
    }
    graph.clear_node();
    for (NodeProto &n : nodes)
        *graph.add_node() = std::move(n);
    // initializers no node reads any more (replaced weights) are dropped
    {
        std::set<std::string> used;
        for (const auto &n : graph.node())
            for (const auto &in : n.input())
                used.insert(in);
        for (const auto &o : graph.output())
            used.insert(o.name());
        auto *inits = graph.mutable_initializer();
        for (int k = inits->size() - 1; k >= 0; --k)
            if (!used.count(inits->Get(k).name()))
                inits->DeleteSubrange(k, 1);
        auto *inputs = graph.mutable_input(); // old IR: initializers listed as inputs
        std::set<std::string> initNames;
        for (const auto &t : graph.initializer())
            initNames.insert(t.name());
        for (int k = inputs->size() - 1; k >= 0; --k)
            if (!used.count(inputs->Get(k).name()) && !initNames.count(inputs->Get(k).name()) &&
                k > 0)
                inputs->DeleteSubrange(k, 1);
    }
    graph.clear_value_info(); // intermediate shapes may have changed (folded BatchNorms)

    auto *props = proto.mutable_metadata_props();
    for (int k = props->size() - 1; k >= 0; --k)
        if (props->Get(k).key() == "mpq_manifest")
            props->DeleteSubrange(k, 1);
    auto *prop = proto.add_metadata_props();
    prop->set_key("mpq_manifest");
    prop->set_value(manifest);
    proto.set_producer_name("mpq-studio");

    try {
        onnx::checker::check_model(proto);
    } catch (const std::exception &e) {
        throw Error(ErrorCode::BadModel,
                    path + ": the " + format + " graph fails the ONNX checker (" + e.what() + ")");
    }
    std::string out;
    if (!proto.SerializeToString(&out))
        throw Error(ErrorCode::Io, path + ": cannot serialize the ONNX model");
    writeFileAtomically(path, out);
    result.bytes = out.size();

    // the MACs the file runs (onnx-qdq) against the float model's
    ExpandedExport &f = result.figures;
    for (const ExpandedLayer &l : f.layers) {
        f.macs += l.macs;
        f.extraMacsRun += l.extraMacsRun;
        f.extraMacsPredicted += l.extraMacsPredicted;
    }
    f.macOverheadRun = f.macs > 0 ? double(f.extraMacsRun) / double(f.macs) : 0.0;
    f.macOverheadPredicted = allocation.macOverhead;
    f.bytes = result.bytes;

    if (!verifyImages.empty()) {
        ModelRunner inApp = quantizedRunner(model, analysis, allocation, atBits, actBits);
        result.verification = verifyOnnx(inApp, path, profile, verifyImages);
    }
    f.verification = result.verification;
    return result;
}

} // namespace mpq
