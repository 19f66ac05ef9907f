// Folding at import: what sits on initializers alone becomes a constant (docs/onnx.md).
#include "model/onnximporter.h"

#include <algorithm>
#include <cmath>

namespace mpq::onnxin {

bool Importer::foldConstant(const std::string &op)
{
    // What sits on initializers alone is computed at import (docs/onnx.md "Folding").
    static const std::set<std::string> foldable = {"Identity", "Cast",      "Transpose",
                                                   "Reshape",  "Unsqueeze", "Squeeze",
                                                   "Concat",   "Gather",    "DequantizeLinear",
                                                   "Add",      "Sub",       "Mul",
                                                   "Div",      "Neg",       "Sqrt",
                                                   "Flatten",  "Shape",     "Slice"};
    if (!foldable.count(op) || m_node->output_size() != 1)
        return false;
    for (int i = 0; i < inputs(); ++i)
        if (hasInput(i) && !isConst(i))
            return false;
    if (op == "Identity" || op == "Cast") {
        if (op == "Cast") {
            const auto t = scalarType(static_cast<int>(attrInt("to", 1)));
            if (!t)
                nodeFail("cast to an unsupported data type");
            setConst(0, constant(0).to(*t));
        } else {
            setConst(0, constant(0));
        }
        return true;
    }
    if (op == "Transpose") {
        const at::Tensor x = constant(0);
        std::vector<std::int64_t> perm = attrInts("perm");
        if (perm.empty())
            for (std::int64_t i = x.dim() - 1; i >= 0; --i)
                perm.push_back(i);
        setConst(0, x.permute(perm).contiguous());
        return true;
    }
    if (op == "Reshape") {
        const at::Tensor x = constant(0);
        std::vector<std::int64_t> shape = constInts(1);
        for (std::size_t i = 0; i < shape.size(); ++i)
            if (shape[i] == 0 && attrInt("allowzero", 0) == 0)
                shape[i] = x.size(static_cast<std::int64_t>(i));
        setConst(0, x.reshape(shape).contiguous());
        return true;
    }
    if (op == "Unsqueeze" || op == "Squeeze") {
        at::Tensor x = constant(0);
        std::vector<std::int64_t> axes = hasInput(1) ? constInts(1) : attrInts("axes");
        if (op == "Squeeze" && axes.empty()) {
            setConst(0, x.squeeze());
            return true;
        }
        const std::int64_t n = x.dim() + (op == "Unsqueeze" ? std::int64_t(axes.size()) : 0);
        for (auto &a : axes)
            a = a < 0 ? a + n : a;
        std::sort(axes.begin(), axes.end());
        if (op == "Squeeze")
            std::reverse(axes.begin(), axes.end());
        for (auto a : axes)
            x = op == "Squeeze" ? x.squeeze(a) : x.unsqueeze(a);
        setConst(0, x);
        return true;
    }
    if (op == "Concat") {
        std::vector<at::Tensor> parts;
        for (int i = 0; i < inputs(); ++i)
            parts.push_back(constant(i));
        setConst(0, at::cat(parts, attrInt("axis", 0)));
        return true;
    }
    if (op == "Gather") {
        const at::Tensor x = constant(0);
        std::int64_t axis = attrInt("axis", 0);
        if (axis < 0)
            axis += x.dim();
        at::Tensor idx = constant(1).to(at::kLong);
        idx = at::where(idx < 0, idx + x.size(axis), idx);
        std::vector<std::int64_t> shape(x.sizes().begin(), x.sizes().begin() + axis);
        for (auto d : idx.sizes())
            shape.push_back(d);
        shape.insert(shape.end(), x.sizes().begin() + axis + 1, x.sizes().end());
        setConst(0, at::index_select(x, axis, idx.reshape({-1})).reshape(shape));
        return true;
    }
    if (op == "DequantizeLinear") {
        const at::Tensor x = constant(0);
        at::Tensor scale = constant(1).to(at::kFloat);
        at::Tensor zero = hasInput(2) ? constant(2).to(at::kFloat) : at::zeros_like(scale);
        std::int64_t axis = attrInt("axis", 1);
        if (axis < 0)
            axis += x.dim();
        if (scale.dim() == 1 && x.dim() > 0) {
            std::vector<std::int64_t> s(x.dim(), 1);
            s[axis] = scale.size(0);
            scale = scale.reshape(s);
            zero = zero.reshape(s);
        }
        setConst(0, (x.to(at::kFloat) - zero) * scale);
        return true;
    }
    if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div") {
        const at::Tensor a = constant(0), b = constant(1);
        at::Tensor r;
        if (op == "Add")
            r = a + b;
        else if (op == "Sub")
            r = a - b;
        else if (op == "Mul")
            r = a * b;
        else if (a.is_floating_point())
            r = a / b;
        else {
            if ((b == 0).any().item<bool>())
                nodeFail("integer division by zero in constants");
            r = at::div(a, b, "trunc");
        }
        setConst(0, r);
        return true;
    }
    if (op == "Neg") {
        setConst(0, -constant(0));
        return true;
    }
    if (op == "Sqrt") {
        setConst(0, at::sqrt(constant(0)));
        return true;
    }
    if (op == "Flatten") {
        const at::Tensor x = constant(0);
        std::int64_t axis = attrInt("axis", 1);
        if (axis < 0)
            axis += x.dim();
        std::int64_t outer = 1;
        for (std::int64_t i = 0; i < axis; ++i)
            outer *= x.size(i);
        setConst(0, x.reshape({outer, x.numel() / std::max<std::int64_t>(outer, 1)}));
        return true;
    }
    if (op == "Shape") {
        const at::Tensor x = constant(0);
        std::vector<std::int64_t> s = x.sizes().vec();
        const std::int64_t n = static_cast<std::int64_t>(s.size());
        std::int64_t start = attrInt("start", 0), end = attrInt("end", n);
        start = std::clamp<std::int64_t>(start < 0 ? start + n : start, 0, n);
        end = std::clamp<std::int64_t>(end < 0 ? end + n : end, 0, n);
        std::vector<std::int64_t> r(s.begin() + start, s.begin() + std::max(start, end));
        setConst(0, at::tensor(r, at::kLong));
        return true;
    }
    return false; // Slice: the run-time path handles constants too
}

} // namespace mpq::onnxin
