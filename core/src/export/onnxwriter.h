#pragma once
// Private to the ONNX exports (docs/onnx.md section 5): the graph writer and the helpers that
// onnxexport.cpp (both exports, the check by reloading) and onnxqdq.cpp (one layer of onnx-qdq)
// share.
#include "mpq/analysis.h"
#include "mpq/export.h"
#include "mpq/model.h"

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace mpq::onnxout {

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

void setInt(NodeProto &n, const std::string &name, std::int64_t v);
void dropAttribute(NodeProto &n, const std::string &name);
std::int64_t intAttr(const NodeProto &n, const std::string &name, std::int64_t fallback);
/// The input of a quantized layer as the in-app model sees it: through QuantizeLinear/
/// DequantizeLinear with the runner's own numbers when activations are quantized (8 bits).
std::string layerInput(GraphWriter &w, std::vector<NodeProto> &out, const std::string &x,
                       const Analysis &analysis, std::size_t i, const std::string &hint);
std::vector<float> transposed(const std::vector<float> &w, std::int64_t rows, std::int64_t cols);
std::vector<std::int8_t> transposed(const std::vector<std::int8_t> &w, std::int64_t rows,
                                    std::int64_t cols);
/// The folded bias with the allocation's bias correction added (docs/multipoint.md section 9),
/// as quantizedRunner runs it.
std::vector<float> exportedBias(const Model &model, const Analysis &analysis,
                                const Allocation &allocation,
                                const std::vector<LayerAtBits> &atBits, std::size_t i);

/// onnx-qdq for one quantized layer node (docs/onnx.md section 5, onnxqdq.cpp). Appends the
/// replacement nodes to `out`, the last of which writes `output`.
void qdqLayer(GraphWriter &w, std::vector<NodeProto> &out, const NodeProto &node,
              const std::string &output, const Model &model, const Analysis &analysis,
              const Allocation &allocation, const std::vector<LayerAtBits> &atBits, std::size_t i,
              bool hasBias, ExpandedExport &figures);

} // namespace mpq::onnxout
