// Helpers of the ONNX exports (docs/onnx.md section 5): attributes, activation quantization,
// transposes, the exported bias.
#include "export/onnxwriter.h"

#include "model/activationquant.h"
#include "mpq/runner.h"

namespace mpq::onnxout {

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

} // namespace mpq::onnxout
