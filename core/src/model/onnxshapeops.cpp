// ONNX operators: shapes and indexing, selection, detection post-processing, quantization
// nodes (docs/onnx.md).
#include "model/onnximporter.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mpq::onnxin {

// Shapes, indexing and copies.
bool Importer::convertShapeOp(const std::string &op)
{
    if (op == "Flatten") {
        setOut(0, "self._onnx_flatten(" + in(0) + ", " + std::to_string(attrInt("axis", 1)) + ")");
        return true;
    }
    if (op == "Reshape") {
        setOut(0, "self._onnx_reshape(" + in(0) + ", " + intsArg(1) + ", " +
                      std::to_string(attrInt("allowzero", 0)) + ")");
        return true;
    }
    if (op == "Transpose") {
        setOut(0, "self._onnx_transpose(" + in(0) + ", " + intsText(attrInts("perm")) + ")");
        return true;
    }
    if (op == "Squeeze" || op == "Unsqueeze") {
        std::string axes = "[]";
        if (m_opset >= 13) {
            if (hasInput(1))
                axes = intsArg(1);
        } else {
            axes = intsText(attrInts("axes"));
        }
        setOut(0, std::string("self._onnx_") + (op == "Squeeze" ? "squeeze(" : "unsqueeze(") +
                      in(0) + ", " + axes + ")");
        return true;
    }
    if (op == "Concat") {
        std::string list = "[";
        for (int i = 0; i < inputs(); ++i)
            list += (i ? ", " : "") + in(i);
        setOut(0, "torch.cat(" + list + "], " + std::to_string(attrInt("axis", 0)) + ")");
        return true;
    }
    if (op == "Split") {
        const std::string x = in(0);
        const std::int64_t axis = attrInt("axis", 0);
        std::string sizes;
        if (m_opset >= 13 && hasInput(1))
            sizes = intsArg(1);
        else if (hasAttr("split"))
            sizes = intsText(attrInts("split"));
        const std::string parts = fresh();
        if (sizes.empty()) {
            // equal parts
            const std::string n = std::to_string(m_node->output_size());
            emit(parts + " = torch.tensor_split(" + x + ", " + n + ", " + std::to_string(axis) +
                 ")");
        } else {
            emit(parts + " = torch.split(" + x + ", " + sizes + ", " + std::to_string(axis) + ")");
        }
        for (int i = 0; i < m_node->output_size(); ++i)
            setOut(i, parts + "[" + std::to_string(i) + "]");
        return true;
    }
    if (op == "Slice") {
        const std::string x = in(0);
        std::string starts, ends, axes = "[]", steps = "[]";
        if (m_opset < 10) {
            starts = intsText(attrInts("starts"));
            ends = intsText(attrInts("ends"));
            if (hasAttr("axes"))
                axes = intsText(attrInts("axes"));
        } else {
            starts = intsArg(1);
            ends = intsArg(2);
            if (hasInput(3))
                axes = intsArg(3);
            if (hasInput(4))
                steps = intsArg(4);
        }
        setOut(0, "self._onnx_slice(" + x + ", " + starts + ", " + ends + ", " + axes + ", " +
                      steps + ")");
        return true;
    }
    if (op == "Gather") {
        const std::int64_t axis = attrInt("axis", 0);
        if (isConst(1) && constant(1).dim() == 0 && !isConst(0)) {
            const std::string x = in(0);
            const std::int64_t i = constant(1).to(at::kLong).item<std::int64_t>();
            const std::string ax = std::to_string(axis);
            std::string idx = std::to_string(i);
            if (i < 0)
                idx = x + ".size(" + ax + ") + " + std::to_string(i);
            setOut(0, "torch.select(" + x + ", " + ax + ", " + idx + ")");
            return true;
        }
        setOut(0, "self._onnx_gather(" + in(0) + ", " + in(1) + ", " + std::to_string(axis) + ")");
        return true;
    }
    if (op == "Shape") {
        const std::string x = in(0);
        std::string dims = x + ".size()";
        if (hasAttr("start") || hasAttr("end")) {
            const std::string s = std::to_string(attrInt("start", 0));
            dims += "[" + s + ":" + (hasAttr("end") ? std::to_string(attrInt("end", 0)) : "") + "]";
        }
        setOut(0, "torch.tensor(" + dims + ", dtype=4, device=" + x + ".device)");
        return true;
    }
    if (op == "Size") {
        const std::string x = in(0);
        setOut(0, "torch.tensor(" + x + ".numel(), dtype=4, device=" + x + ".device)");
        return true;
    }
    if (op == "Cast") {
        const auto t = scalarType(static_cast<int>(attrInt("to", 1)));
        if (!t)
            nodeFail("cast to an unsupported data type");
        setOut(0, in(0) + ".to(" + dtypeText(*t) + ")");
        return true;
    }
    if (op == "ConstantOfShape") {
        at::Tensor value = at::zeros({1}, at::kFloat);
        if (const auto *a = attr("value"))
            value = toTensor(a->t(), "");
        if (isConst(0)) {
            setConst(0, at::full(constInts(0), value.reshape({-1})[0].item(),
                                 at::TensorOptions().dtype(value.scalar_type())));
            return true;
        }
        const std::string shape = intsArg(0);
        const double v = value.to(at::kDouble).reshape({-1})[0].item<double>();
        setOut(0, "torch.full(" + shape + ", " + floatText(v) + ", dtype=" +
                      dtypeText(value.scalar_type()) + ", device=" + in(0) + ".device)");
        return true;
    }
    if (op == "Pad") {
        const std::string x = in(0);
        const std::string mode = attrString("mode", "constant");
        if (mode != "constant" && mode != "reflect" && mode != "edge")
            nodeFail("mode " + mode + " is not supported");
        std::string pads;
        double value = 0.0;
        if (m_opset < 11) {
            pads = intsText(attrInts("pads"));
            value = attrFloat("value", 0.0);
        } else {
            pads = intsArg(1);
            if (hasInput(2))
                value = constant(2).to(at::kDouble).reshape({-1})[0].item<double>();
        }
        if (hasInput(3))
            nodeFail("the axes input is not supported");
        setOut(0, "self._onnx_pad(" + x + ", " + pads + ", '" +
                      (mode == "edge" ? std::string("replicate") : mode) + "', " +
                      floatText(value) + ")");
        return true;
    }
    if (op == "Resize" || op == "Upsample") {
        resize(op);
        return true;
    }
    if (op == "Expand") {
        setOut(0, "self._onnx_expand(" + in(0) + ", " + intsArg(1) + ")");
        return true;
    }
    if (op == "Tile") {
        setOut(0, in(0) + ".repeat(" + intsArg(1) + ")");
        return true;
    }
    if (op == "Where") {
        setOut(0, "torch.where(" + in(0) + ", " + in(1) + ", " + in(2) + ")");
        return true;
    }
    return false;
}

// Selection, detection post-processing and quantization nodes.
bool Importer::convertDetectionOp(const std::string &op)
{
    if (op == "ArgMax" || op == "ArgMin") {
        if (attrInt("select_last_index", 0) != 0)
            nodeFail("select_last_index 1 is not supported");
        setOut(0, std::string(op == "ArgMax" ? "torch.argmax(" : "torch.argmin(") + in(0) + ", " +
                      std::to_string(attrInt("axis", 0)) + ", " +
                      (attrInt("keepdims", 1) ? "True" : "False") + ")");
        return true;
    }
    if (op == "TopK") {
        const std::string x = in(0);
        std::string k;
        if (m_opset < 10)
            k = std::to_string(attrInt("k", 1));
        else if (isConst(1))
            k = std::to_string(constInts(1).at(0));
        else
            k = "int(" + in(1) + ".reshape([-1])[0])";
        const std::string vals = fresh(), idx = fresh();
        emit(vals + ", " + idx + " = torch.topk(" + x + ", " + k + ", " +
             std::to_string(attrInt("axis", -1)) + ", " +
             (attrInt("largest", 1) ? "True" : "False") + ", " +
             (attrInt("sorted", 1) ? "True" : "False") + ")");
        setOut(0, vals);
        setOut(1, idx);
        return true;
    }
    if (op == "NonMaxSuppression") {
        // through torchvision::nms (model/torchvisionops.h); docs/onnx.md section 2
        if (m_extraHelpers.find("_onnx_nms") == std::string::npos)
            m_extraHelpers += kNmsHelper;
        const std::int64_t center = attrInt("center_point_box", 0);
        if (center != 0 && center != 1)
            nodeFail("center_point_box " + std::to_string(center) + " is not 0 or 1");
        const auto scalar = [&](int i, const char *cast, const std::string &fallback) {
            if (!hasInput(i))
                return fallback;
            if (isConst(i)) {
                const at::Tensor c = val(i).c.reshape({-1});
                return c.numel()
                           ? (std::string(cast) == "int" ? std::to_string(c[0].item<std::int64_t>())
                                                         : floatText(c[0].item<double>()))
                           : fallback;
            }
            return std::string(cast) + "(" + in(i) + ".reshape([-1])[0])";
        };
        const std::string boxes = in(0), scores = in(1);
        setOut(0, "self._onnx_nms(" + boxes + ", " + scores + ", " + scalar(2, "int", "0") + ", " +
                      scalar(3, "float", "0.0") + ", " + scalar(4, "float", "0.0") + ", " +
                      (hasInput(4) ? "True" : "False") + ", " + std::to_string(center) + ")");
        return true;
    }
    if (op == "RoiAlign") {
        // through torchvision::roi_align (model/torchvisionops.h): average pooling only;
        // half_pixel (the default from opset 16) is torchvision's aligned=True, output_half_pixel
        // (opset 10's behaviour) aligned=False
        const std::string mode = attrString("mode", "avg");
        if (mode != "avg")
            nodeFail("mode '" + mode + "' is not supported (torchvision's roi_align averages)");
        const std::string transform = attrString(
            "coordinate_transformation_mode", m_opset >= 16 ? "half_pixel" : "output_half_pixel");
        if (transform != "half_pixel" && transform != "output_half_pixel")
            nodeFail("coordinate_transformation_mode '" + transform + "' is not supported");
        const std::int64_t sampling = attrInt("sampling_ratio", 0);
        if (sampling < 0)
            nodeFail("a negative sampling_ratio is not supported");
        const std::string x = in(0), rois = in(1), batch = in(2);
        setOut(0, "torchvision.roi_align(" + x + ", torch.cat([" + batch + ".to(" + x +
                      ".dtype).reshape([-1, 1]), " + rois + ".to(" + x + ".dtype)], 1), " +
                      floatText(attrFloat("spatial_scale", 1.0)) + ", " +
                      std::to_string(attrInt("output_height", 1)) + ", " +
                      std::to_string(attrInt("output_width", 1)) + ", " + std::to_string(sampling) +
                      ", " + (transform == "half_pixel" ? "True" : "False") + ")");
        return true;
    }
    if (op == "NonZero") {
        setOut(0, "torch.nonzero(" + in(0) + ").t()");
        return true;
    }
    if (op == "Range") {
        setOut(0, "torch.arange(" + in(0) + ".item(), " + in(1) + ".item(), " + in(2) +
                      ".item(), dtype=" + in(0) + ".dtype, device=" + in(0) + ".device)");
        return true;
    }
    if (op == "QuantizeLinear") {
        const std::string x = in(0);
        const std::int64_t axis = attrInt("axis", 1);
        const std::string s =
            "self._onnx_axis_view(" + in(1) + ", " + x + ", " + std::to_string(axis) + ")";
        std::string zp = "0", lo = "0.0", hi = "255.0", dtype = "0";
        if (hasInput(2)) {
            const at::ScalarType zt = val(2).isConst ? val(2).c.scalar_type() : at::kByte;
            if (zt == at::kChar) {
                lo = "-128.0";
                hi = "127.0";
                dtype = "1";
            }
            zp = "self._onnx_axis_view(" + in(2) + ", " + x + ", " + std::to_string(axis) +
                 ").to(6)";
        }
        setOut(0, "torch.clamp(torch.round(" + x + " / " + s + ") + " + zp + ", " + lo + ", " + hi +
                      ").to(" + dtype + ")");
        return true;
    }
    if (op == "DequantizeLinear") {
        const std::string x = in(0);
        const std::int64_t axis = attrInt("axis", 1);
        const std::string s =
            "self._onnx_axis_view(" + in(1) + ", " + x + ", " + std::to_string(axis) + ")";
        std::string y = x + ".to(6)";
        if (hasInput(2))
            y = "(" + y + " - self._onnx_axis_view(" + in(2) + ", " + x + ", " +
                std::to_string(axis) + ").to(6))";
        setOut(0, y + " * " + s);
        return true;
    }
    return false;
}

} // namespace mpq::onnxin
