// ONNX layers that become submodules the engine quantizes: Conv, Gemm/MatMul, BatchNormalization;
// pooling, reductions and Resize (docs/onnx.md).
#include "model/onnximporter.h"

#include <algorithm>
#include <cmath>

namespace mpq::onnxin {

void Importer::linear(const at::Tensor &weight, const at::Tensor &bias, const std::string &x,
                      const std::string &weightName, const std::string &biasName, bool transposed,
                      int outIndex)
{
    const std::string name = layerModuleName(weightName, ".weight");
    torch::jit::Module sub = newSubmodule(name);
    sub.register_parameter("weight", weight.to(at::kFloat).contiguous(), false);
    std::string b = "None";
    if (bias.defined()) {
        sub.register_parameter("bias", bias.to(at::kFloat).contiguous(), false);
        b = "self." + name + ".bias";
    }
    setOut(outIndex, "torch.linear(" + x + ", self." + name + ".weight, " + b + ")");
    m_out.layers.push_back({name, nodeName(*m_node, m_nodeIndex), m_node->op_type(), weightName,
                            biasName, transposed});
}

Importer::Window Importer::window(std::int64_t rank, const std::string &kernel) const
{
    Window w{attrInts("strides"), attrInts("dilations"), attrInts("pads")};
    if (w.strides.empty())
        w.strides.assign(rank, 1);
    if (w.dilations.empty())
        w.dilations.assign(rank, 1);
    if (w.pads.empty())
        w.pads.assign(2 * rank, 0);
    if (static_cast<std::int64_t>(w.strides.size()) != rank ||
        static_cast<std::int64_t>(w.dilations.size()) != rank ||
        static_cast<std::int64_t>(w.pads.size()) != 2 * rank)
        nodeFail("strides, dilations or pads do not match " + kernel);
    return w;
}

std::string Importer::autoPad(const std::string &x, const std::vector<std::int64_t> &kernel,
                              Window &win, const std::string &padValue, bool foldUnitStride)
{
    const std::string mode = attrString("auto_pad", "NOTSET");
    const std::int64_t rank = static_cast<std::int64_t>(kernel.size());
    if (mode == "VALID") {
        win.pads.assign(2 * rank, 0);
        return x;
    }
    if (mode == "NOTSET")
        return x;
    if (mode != "SAME_UPPER" && mode != "SAME_LOWER")
        nodeFail("auto_pad " + mode + " is not supported");
    const bool upper = mode == "SAME_UPPER";
    const bool unitStride =
        std::all_of(win.strides.begin(), win.strides.end(), [](std::int64_t s) { return s == 1; });
    if (foldUnitStride && unitStride) {
        for (std::int64_t i = 0; i < rank; ++i) {
            const std::int64_t total = win.dilations[i] * (kernel[i] - 1);
            const std::int64_t small = total / 2, big = total - small;
            win.pads[i] = upper ? small : big;
            win.pads[i + rank] = upper ? big : small;
        }
        return x;
    }
    const std::string v = fresh();
    emit(v + " = self._onnx_same_pad(" + x + ", " + intsText(kernel) + ", " +
         intsText(win.strides) + ", " + intsText(win.dilations) + ", " +
         (upper ? "True" : "False") + ", " + padValue + ")");
    win.pads.assign(2 * rank, 0);
    return v;
}

void Importer::conv(bool transposed)
{
    const std::string x0 = in(0);
    std::string x = x0;
    const bool constWeight = isConst(1);
    const at::Tensor w = constWeight ? constant(1) : at::Tensor();
    std::int64_t rank = -1;
    if (constWeight)
        rank = w.dim() - 2;
    else if (hasAttr("kernel_shape"))
        rank = static_cast<std::int64_t>(attrInts("kernel_shape").size());
    if (rank < 1 || rank > 3)
        nodeFail("only 1-D, 2-D and 3-D convolutions are supported (with a known kernel)");
    std::vector<std::int64_t> kernel = attrInts("kernel_shape");
    if (kernel.empty())
        kernel.assign(w.sizes().begin() + 2, w.sizes().end());
    Window win = window(rank, "the kernel's rank");
    const std::int64_t group = attrInt("group", 1);
    std::vector<std::int64_t> padding(rank, 0);
    if (transposed) {
        auto &[strides, dilations, pads] = win;
        if (const std::string a = attrString("auto_pad", "NOTSET"); a != "NOTSET" && a != "VALID")
            nodeFail("auto_pad " + a + " is not supported for ConvTranspose");
        if (hasAttr("output_shape"))
            nodeFail("the output_shape attribute is not supported");
        for (std::int64_t i = 0; i < rank; ++i) {
            if (pads[i] != pads[i + rank])
                nodeFail("asymmetric pads are not supported for ConvTranspose");
            padding[i] = pads[i];
        }
        std::vector<std::int64_t> outPad = attrInts("output_padding");
        if (outPad.empty())
            outPad.assign(rank, 0);
        const std::string b = hasInput(2) ? in(2) : "None";
        const std::string fn = "torch.conv_transpose" + std::to_string(rank) + "d";
        setOut(0, fn + "(" + x + ", " + in(1) + ", " + b + ", " + intsText(strides) + ", " +
                      intsText(padding) + ", " + intsText(outPad) + ", " + std::to_string(group) +
                      ", " + intsText(dilations) + ")");
        m_out.warnings.push_back("ConvTranspose node '" + nodeName(*m_node, m_nodeIndex) +
                                 "': runs, not quantized (transposed convolutions stay float)");
        return;
    }
    x = autoPad(x, kernel, win, "0.0", true);
    auto &[strides, dilations, pads] = win;
    bool symmetric = true;
    for (std::int64_t i = 0; i < rank; ++i)
        symmetric = symmetric && pads[i] == pads[i + rank];
    if (symmetric) {
        for (std::int64_t i = 0; i < rank; ++i)
            padding[i] = pads[i];
    } else {
        std::vector<std::int64_t> p; // torch order: last dimension first
        for (std::int64_t i = rank - 1; i >= 0; --i) {
            p.push_back(pads[i]);
            p.push_back(pads[i + rank]);
        }
        const std::string v = fresh();
        emit(v + " = torch.constant_pad_nd(" + x + ", " + intsText(p) + ", 0.0)");
        x = v;
    }
    const std::string fn = "torch.conv" + std::to_string(rank) + "d";
    const std::string args = intsText(strides) + ", " + intsText(padding) + ", " +
                             intsText(dilations) + ", " + std::to_string(group) + ")";
    if (!constWeight || rank == 3 || !w.is_floating_point() || (hasInput(2) && !isConst(2))) {
        const std::string b = hasInput(2) ? in(2) : "None";
        setOut(0, fn + "(" + x + ", " + in(1) + ", " + b + ", " + args);
        if (!constWeight)
            m_out.warnings.push_back("Conv node '" + nodeName(*m_node, m_nodeIndex) +
                                     "': weight computed at run time, left float");
        return;
    }
    const std::string weightName = m_node->input(1);
    const std::string name = layerModuleName(weightName, ".weight");
    torch::jit::Module sub = newSubmodule(name);
    sub.register_parameter("weight", w.to(at::kFloat).contiguous(), false);
    std::string b = "None";
    if (hasInput(2)) {
        sub.register_parameter("bias", constant(2).to(at::kFloat).contiguous(), false);
        b = "self." + name + ".bias";
    }
    setOut(0, fn + "(" + x + ", self." + name + ".weight, " + b + ", " + args);
    m_out.layers.push_back({name, nodeName(*m_node, m_nodeIndex), "Conv", weightName,
                            hasInput(2) ? m_node->input(2) : std::string(), false});
}

void Importer::batchNorm()
{
    if (attrInt("training_mode", 0) != 0 || m_node->output_size() > 1)
        nodeFail("training mode (more than one output) is not supported");
    const double eps = attrFloat("epsilon", 1e-5);
    const std::string x = in(0);
    if (isConst(1) && isConst(2) && isConst(3) && isConst(4)) {
        // A BatchNorm2d-shaped submodule, so that Model::load folds it into the conv before it
        // (docs/multipoint.md section 1).
        const std::string name = layerModuleName(m_node->input(1), ".weight");
        torch::jit::Module sub = newSubmodule(name);
        sub.register_parameter("weight", constant(1).to(at::kFloat).contiguous(), false);
        sub.register_parameter("bias", constant(2).to(at::kFloat).contiguous(), false);
        sub.register_buffer("running_mean", constant(3).to(at::kFloat).contiguous());
        sub.register_buffer("running_var", constant(4).to(at::kFloat).contiguous());
        const std::string s = "self." + name;
        setOut(0, "torch.batch_norm(" + x + ", " + s + ".weight, " + s + ".bias, " + s +
                      ".running_mean, " + s + ".running_var, False, 0.1, " + floatText(eps) +
                      ", False)");
        m_out.layers.push_back({name, nodeName(*m_node, m_nodeIndex), "BatchNormalization",
                                m_node->input(1), m_node->input(2), false});
        return;
    }
    setOut(0, "torch.batch_norm(" + x + ", " + in(1) + ", " + in(2) + ", " + in(3) + ", " + in(4) +
                  ", False, 0.1, " + floatText(eps) + ", False)");
}

void Importer::pool(const std::string &op)
{
    const std::string x0 = in(0);
    if (op == "GlobalAveragePool") {
        setOut(0, "torch.mean(" + x0 + ", self._onnx_dims(" + x0 + ", [], 2), True)");
        return;
    }
    if (op == "GlobalMaxPool") {
        setOut(0, "torch.amax(" + x0 + ", self._onnx_dims(" + x0 + ", [], 2), True)");
        return;
    }
    const std::vector<std::int64_t> kernel = attrInts("kernel_shape");
    const std::int64_t rank = static_cast<std::int64_t>(kernel.size());
    if (rank < 1 || rank > 3)
        nodeFail("kernel_shape must have 1 to 3 values");
    if (m_node->output_size() > 1 && !m_node->output(1).empty())
        nodeFail("the Indices output is not supported");
    if (attrInt("storage_order", 0) != 0)
        nodeFail("storage_order 1 is not supported");
    Window win = window(rank, "kernel_shape");
    const bool ceil = attrInt("ceil_mode", 0) != 0;
    const bool isMax = op == "MaxPool";
    const bool countPad = attrInt("count_include_pad", 0) != 0;
    const std::string autoPadding = attrString("auto_pad", "NOTSET");
    if ((autoPadding == "SAME_UPPER" || autoPadding == "SAME_LOWER") && !isMax && !countPad)
        nodeFail("auto_pad SAME with count_include_pad 0 is not supported");
    const std::string padValue = isMax ? "float('-inf')" : "0.0";
    std::string x = autoPad(x0, kernel, win, padValue, false);
    auto &[strides, dilations, pads] = win;
    bool direct = true; // torch pads symmetrically, at most half the kernel
    for (std::int64_t i = 0; i < rank; ++i)
        direct = direct && pads[i] == pads[i + rank] && 2 * pads[i] <= kernel[i];
    std::vector<std::int64_t> padding(rank, 0);
    if (direct) {
        for (std::int64_t i = 0; i < rank; ++i)
            padding[i] = pads[i];
    } else {
        if (!isMax && !countPad)
            nodeFail("asymmetric pads with count_include_pad 0 are not supported");
        if (ceil)
            nodeFail("asymmetric pads with ceil_mode 1 are not supported");
        std::vector<std::int64_t> p;
        for (std::int64_t i = rank - 1; i >= 0; --i) {
            p.push_back(pads[i]);
            p.push_back(pads[i + rank]);
        }
        const std::string v = fresh();
        emit(v + " = torch.constant_pad_nd(" + x + ", " + intsText(p) + ", " + padValue + ")");
        x = v;
    }
    const std::string r = std::to_string(rank);
    if (isMax) {
        setOut(0, "torch.max_pool" + r + "d(" + x + ", " + intsText(kernel) + ", " +
                      intsText(strides) + ", " + intsText(padding) + ", " + intsText(dilations) +
                      ", " + (ceil ? "True" : "False") + ")");
        return;
    }
    for (auto d : dilations)
        if (d != 1)
            nodeFail("dilations are not supported for AveragePool");
    std::string call = "torch.avg_pool" + r + "d(" + x + ", " + intsText(kernel) + ", " +
                       intsText(strides) + ", " + intsText(padding) + ", " +
                       (ceil ? "True" : "False") + ", " + (countPad ? "True" : "False") + ")";
    setOut(0, call);
}

void Importer::reduce(const std::string &op)
{
    const std::string x = in(0);
    std::string axes = "[]";
    const bool axesInput = (op == "ReduceSum" && m_opset >= 13);
    if (axesInput) {
        if (hasInput(1))
            axes = intsArg(1);
    } else if (hasAttr("axes")) {
        axes = intsText(attrInts("axes"));
    }
    const bool keep = attrInt("keepdims", 1) != 0;
    if (axes == "[]" && attrInt("noop_with_empty_axes", 0) != 0) {
        alias(0, 0);
        return;
    }
    if (axes != "[]" && axes.front() != '[' && attrInt("noop_with_empty_axes", 0) != 0) {
        // axes computed at run time: empty means no reduction
        const std::string y = fresh();
        emit(y + " = " + x);
        emit("if len(" + axes + ") > 0:");
        reduceInto(op, y, x, axes, keep);
        Val v;
        v.expr = y;
        m_vals[m_node->output(0)] = v;
        return;
    }
    const std::string dims = "self._onnx_dims(" + x + ", " + axes + ", 0)";
    const std::string k = keep ? "True" : "False";
    if (op == "ReduceMean")
        setOut(0, "torch.mean(" + x + ", " + dims + ", " + k + ")");
    else if (op == "ReduceSum")
        setOut(0, "torch.sum(" + x + ", " + dims + ", " + k + ")");
    else if (op == "ReduceMax")
        setOut(0, "torch.amax(" + x + ", " + dims + ", " + k + ")");
    else if (op == "ReduceMin")
        setOut(0, "torch.amin(" + x + ", " + dims + ", " + k + ")");
    else if (op == "ReduceSumSquare")
        setOut(0, "torch.sum(" + x + " * " + x + ", " + dims + ", " + k + ")");
    else if (op == "ReduceL2")
        setOut(0, "torch.sqrt(torch.sum(" + x + " * " + x + ", " + dims + ", " + k + "))");
    else if (op == "ReduceL1")
        setOut(0, "torch.sum(torch.abs(" + x + "), " + dims + ", " + k + ")");
    else if (op == "ReduceLogSumExp")
        setOut(0, "torch.logsumexp(" + x + ", " + dims + ", " + k + ")");
}

void Importer::reduceInto(const std::string &op, const std::string &y, const std::string &x,
                          const std::string &axes, bool keep)
{
    const std::string dims = "self._onnx_dims(" + x + ", " + axes + ", 0)";
    const std::string k = keep ? "True" : "False";
    std::string e;
    if (op == "ReduceSum")
        e = "torch.sum(" + x + ", " + dims + ", " + k + ")";
    else
        nodeFail("axes computed at run time are supported for ReduceSum only");
    emit("    " + y + " = " + e);
}

void Importer::resize(const std::string &op)
{
    const std::string x = in(0);
    std::string mode = attrString("mode", "nearest");
    std::string scales = "[]", sizes = "[]";
    if (op == "Upsample") {
        scales = hasInput(1) ? floatsArg(1) : [&] {
            const auto *a = attr("scales");
            std::vector<double> v;
            if (a)
                v.assign(a->floats().begin(), a->floats().end());
            return floatsText(v);
        }();
        if (mode != "nearest")
            nodeFail("mode " + mode + " is not supported (only nearest)");
    } else {
        const std::string ctm = attrString("coordinate_transformation_mode", "half_pixel");
        if (m_opset < 11) {
            scales = floatsArg(1); // Resize-10: X, scales
            if (mode != "nearest")
                nodeFail("mode " + mode + " with opset 10 is not supported");
        } else {
            if (hasInput(2) && !(isConst(2) && constant(2).numel() == 0))
                scales = floatsArg(2);
            if (hasInput(3) && !(isConst(3) && constant(3).numel() == 0))
                sizes = intsArg(3);
            if (ctm == "tf_crop_and_resize")
                nodeFail("coordinate_transformation_mode tf_crop_and_resize is not supported");
            if (mode == "nearest") {
                const std::string nm = attrString("nearest_mode", "round_prefer_floor");
                if (ctm != "asymmetric" || nm != "floor")
                    nodeFail("nearest mode is supported with coordinate_transformation_mode "
                             "asymmetric and nearest_mode floor (torch's), not " +
                             ctm + "/" + nm);
            } else if (mode == "linear") {
                if (ctm != "half_pixel" && ctm != "pytorch_half_pixel" && ctm != "align_corners")
                    nodeFail("linear mode with coordinate_transformation_mode " + ctm +
                             " is not supported");
            }
        }
        if (mode == "linear" && ctm == "align_corners") {
            setOut(0,
                   "self._onnx_resize(" + x + ", " + scales + ", " + sizes + ", 'linear', True)");
            return;
        }
    }
    if (mode != "nearest" && mode != "linear")
        nodeFail("mode " + mode + " is not supported (nearest, linear)");
    if (scales == "[]" && sizes == "[]")
        nodeFail("neither scales nor sizes are given");
    setOut(0, "self._onnx_resize(" + x + ", " + scales + ", " + sizes + ", '" + mode + "', False)");
}

} // namespace mpq::onnxin
