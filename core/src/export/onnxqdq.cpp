// onnx-qdq for one quantized layer (docs/onnx.md section 5, docs/multipoint.md section 5): a
// Conv/Gemm/MatMul over the first points of all channels plus one over the k-th points of the
// channels that have them, int8 codes with a DequantizeLinear per output row.
#include "export/onnxwriter.h"

#include "mpq/error.h"
#include "mpq/runner.h"

#include <algorithm>
#include <numeric>

namespace mpq::onnxout {

void qdqLayer(GraphWriter &w, std::vector<NodeProto> &out, const NodeProto &node,
              const std::string &output, const Model &model, const Analysis &analysis,
              const Allocation &allocation, const std::vector<LayerAtBits> &atBits, std::size_t i,
              bool hasBias, ExpandedExport &figures)
{
    const LayerInfo &l = model.layers()[i];
    const LayerAllocation &la = allocation.layers[i];
    const MatrixDecomposition d = storedDecomposition(model, analysis, atBits, la, i);
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

} // namespace mpq::onnxout
