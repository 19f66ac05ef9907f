// ONNX operators: element-wise, activations, layers and normalizations (docs/onnx.md).
#include "model/onnximporter.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mpq::onnxin {

void Importer::convert(const std::string &op)
{
    static const std::map<std::string, std::string> unary = {{"Relu", "torch.relu"},
                                                             {"Sigmoid", "torch.sigmoid"},
                                                             {"Tanh", "torch.tanh"},
                                                             {"Exp", "torch.exp"},
                                                             {"Log", "torch.log"},
                                                             {"Sqrt", "torch.sqrt"},
                                                             {"Neg", "torch.neg"},
                                                             {"Abs", "torch.abs"},
                                                             {"Erf", "torch.erf"},
                                                             {"Floor", "torch.floor"},
                                                             {"Ceil", "torch.ceil"},
                                                             {"Reciprocal", "torch.reciprocal"},
                                                             {"Sin", "torch.sin"},
                                                             {"Cos", "torch.cos"},
                                                             {"Not", "torch.logical_not"},
                                                             {"Sign", "torch.sign"},
                                                             {"Round", "torch.round"},
                                                             {"IsNaN", "torch.isnan"},
                                                             {"Softsign", ""},
                                                             {"Softplus", ""}};
    static const std::map<std::string, std::string> binary = {{"Add", "torch.add"},
                                                              {"Sub", "torch.sub"},
                                                              {"Mul", "torch.mul"},
                                                              {"Pow", "torch.pow"},
                                                              {"Equal", "torch.eq"},
                                                              {"Greater", "torch.gt"},
                                                              {"Less", "torch.lt"},
                                                              {"GreaterOrEqual", "torch.ge"},
                                                              {"LessOrEqual", "torch.le"},
                                                              {"And", "torch.logical_and"},
                                                              {"Or", "torch.logical_or"},
                                                              {"Xor", "torch.logical_xor"},
                                                              {"BitShift", ""},
                                                              {"Div", "self._onnx_div"}};
    if (op == "Identity" || op == "Dropout") {
        if (op == "Dropout" && m_node->output_size() > 1 && !m_node->output(1).empty())
            nodeFail("the mask output is not supported");
        alias(0, 0);
        return;
    }
    if (op == "Softsign") {
        const std::string x = in(0);
        setOut(0, x + " / (1.0 + torch.abs(" + x + "))");
        return;
    }
    if (op == "Softplus") {
        setOut(0, "torch.log(1.0 + torch.exp(" + in(0) + "))");
        return;
    }
    if (op == "BitShift")
        nodeFail("operator BitShift is not supported");
    if (const auto u = unary.find(op); u != unary.end()) {
        setOut(0, u->second + "(" + in(0) + ")");
        return;
    }
    if (const auto b = binary.find(op); b != binary.end()) {
        if (op == "Pow") {
            // ONNX: the result has the base's type
            const std::string a = in(0);
            setOut(0, "torch.pow(" + a + ", " + in(1) + ").to(" + a + ".dtype)");
            return;
        }
        setOut(0, b->second + "(" + in(0) + ", " + in(1) + ")");
        return;
    }
    if (op == "Mod") {
        setOut(0, "self._onnx_mod(" + in(0) + ", " + in(1) + ", " +
                      std::to_string(attrInt("fmod", 0)) + ")");
        return;
    }
    if (op == "Max" || op == "Min" || op == "Sum" || op == "Mean") {
        std::string acc = in(0);
        const std::string fn = op == "Max" ? "torch.maximum" : op == "Min" ? "torch.minimum" : "";
        for (int i = 1; i < inputs(); ++i)
            acc =
                fn.empty() ? "(" + acc + " + " + in(i) + ")" : fn + "(" + acc + ", " + in(i) + ")";
        if (op == "Mean")
            acc = acc + " / " + std::to_string(inputs()) + ".0";
        setOut(0, acc);
        return;
    }
    if (op == "LeakyRelu") {
        setOut(0, "torch.leaky_relu(" + in(0) + ", " + floatText(attrFloat("alpha", 0.01)) + ")");
        return;
    }
    if (op == "Elu") {
        const std::string x = in(0);
        const std::string a = floatText(attrFloat("alpha", 1.0));
        setOut(0,
               "torch.where(" + x + " > 0, " + x + ", " + a + " * (torch.exp(" + x + ") - 1.0))");
        return;
    }
    if (op == "Selu") {
        const std::string x = in(0);
        const std::string a = floatText(attrFloat("alpha", 1.67326319217681884765625));
        const std::string g = floatText(attrFloat("gamma", 1.05070102214813232421875));
        setOut(0, g + " * torch.where(" + x + " > 0, " + x + ", " + a + " * (torch.exp(" + x +
                      ") - 1.0))");
        return;
    }
    if (op == "PRelu") {
        const std::string x = in(0);
        setOut(0, "torch.where(" + x + " >= 0, " + x + ", " + x + " * " + in(1) + ")");
        return;
    }
    if (op == "HardSigmoid") {
        setOut(0, "torch.clamp(" + floatText(attrFloat("alpha", 0.2)) + " * " + in(0) + " + " +
                      floatText(attrFloat("beta", 0.5)) + ", 0.0, 1.0)");
        return;
    }
    if (op == "HardSwish") {
        const std::string x = in(0);
        setOut(0, x + " * torch.clamp(" + x + " / 6.0 + 0.5, 0.0, 1.0)");
        return;
    }
    if (op == "Clip") {
        const std::string x = in(0);
        std::string lo = "None", hi = "None";
        if (m_opset < 11) {
            if (hasAttr("min"))
                lo = floatText(attrFloat("min", 0));
            if (hasAttr("max"))
                hi = floatText(attrFloat("max", 0));
            setOut(0, "torch.clamp(" + x + ", " + lo + ", " + hi + ")");
            return;
        }
        std::string y = x;
        if (hasInput(1)) {
            const std::string v = fresh();
            emit(v + " = torch.maximum(" + y + ", " + in(1) + ")");
            y = v;
        }
        if (hasInput(2)) {
            const std::string v = fresh();
            emit(v + " = torch.minimum(" + y + ", " + in(2) + ")");
            y = v;
        }
        Val v;
        v.expr = y;
        m_vals[m_node->output(0)] = v;
        return;
    }
    if (op == "Softmax" || op == "LogSoftmax") {
        const bool legacy = m_opset < 13;
        setOut(0, "self._onnx_softmax(" + in(0) + ", " +
                      std::to_string(attrInt("axis", legacy ? 1 : -1)) + ", " +
                      (op == "LogSoftmax" ? "True" : "False") + ", " + (legacy ? "True" : "False") +
                      ")");
        return;
    }
    if (convertLayerOp(op) || convertShapeOp(op) || convertDetectionOp(op))
        return;
    nodeFail("operator " + op + " is not supported (docs/onnx.md lists the supported ones)");
}

// Layers and normalizations (the submodules are made in onnxlayers.cpp).
bool Importer::convertLayerOp(const std::string &op)
{
    if (op == "Conv" || op == "ConvTranspose") {
        conv(op == "ConvTranspose");
        return true;
    }
    if (op == "Gemm") {
        const double alpha = attrFloat("alpha", 1.0), beta = attrFloat("beta", 1.0);
        const bool transA = attrInt("transA", 0) != 0, transB = attrInt("transB", 0) != 0;
        std::string a = in(0);
        if (transA) {
            const std::string v = fresh();
            emit(v + " = " + a + ".t()");
            a = v;
        }
        if (isConst(1) && constant(1).dim() == 2 && constant(1).is_floating_point() &&
            (!hasInput(2) || isConst(2))) {
            at::Tensor w = constant(1).to(at::kFloat);
            if (!transB)
                w = w.t();
            w = (w * alpha).contiguous();
            const std::int64_t n = w.size(0);
            at::Tensor bias;
            bool separate = false;
            if (hasInput(2)) {
                const at::Tensor c = constant(2).to(at::kFloat) * beta;
                if (c.numel() == n && (c.dim() == 1 || (c.dim() == 2 && c.size(0) == 1)))
                    bias = c.reshape({n});
                else if (c.numel() == 1)
                    bias = c.reshape({1}).expand({n}).contiguous();
                else
                    separate = true;
            }
            linear(w, bias, a, m_node->input(1), bias.defined() ? m_node->input(2) : "", !transB,
                   separate ? 1000 : 0);
            if (separate) {
                // a bias of shape (M, N): added after the layer
                const std::string out = m_out.layers.back().module;
                const std::string lin = "torch.linear(" + a + ", self." + out + ".weight, None)";
                const at::Tensor c = constant(2).to(at::kFloat) * beta;
                const std::string b = uniqueName("c_" + sanitize(m_node->input(2)) + "_beta");
                m_out.module.register_buffer(b, c.contiguous());
                setOut(0, lin + " + self." + b);
            }
            return true;
        }
        std::string b = in(1);
        std::string y = "torch.matmul(" + a + ", " + (transB ? b + ".t()" : b) + ")";
        if (alpha != 1.0)
            y = floatText(alpha) + " * " + y;
        if (hasInput(2))
            y = y + " + " + floatText(beta) + " * " + in(2);
        setOut(0, y);
        return true;
    }
    if (op == "MatMul") {
        if (isConst(1) && constant(1).dim() == 2 && constant(1).is_floating_point() &&
            !isConst(0)) {
            const at::Tensor w = constant(1).to(at::kFloat).t().contiguous();
            // MatMul then Add of a constant vector: one linear layer with a bias
            at::Tensor bias;
            std::string biasName;
            int addIndex = -1;
            const std::string &out = m_node->output(0);
            if (m_uses[out] == 1) {
                const auto &nodes = m_model.graph().node();
                for (int k = m_nodeIndex + 1; k < nodes.size(); ++k) {
                    const auto &n = nodes[k];
                    if (n.op_type() != "Add" || n.input_size() != 2)
                        continue;
                    const int other = n.input(0) == out ? 1 : n.input(1) == out ? 0 : -1;
                    if (other < 0)
                        continue;
                    const auto it = m_vals.find(n.input(other));
                    if (it != m_vals.end() && it->second.isConst &&
                        it->second.c.is_floating_point() && it->second.c.dim() == 1 &&
                        it->second.c.size(0) == w.size(0)) {
                        bias = it->second.c.to(at::kFloat);
                        biasName = n.input(other);
                        addIndex = k;
                    }
                    break;
                }
            }
            const std::string x = in(0);
            linear(w, bias, x, m_node->input(1), biasName, true, 0);
            if (addIndex >= 0) {
                m_skip.insert(addIndex);
                m_vals[m_model.graph().node(addIndex).output(0)] = m_vals[out];
            }
            return true;
        }
        setOut(0, "torch.matmul(" + in(0) + ", " + in(1) + ")");
        return true;
    }
    if (op == "BatchNormalization") {
        batchNorm();
        return true;
    }
    if (op == "InstanceNormalization") {
        setOut(0, "torch.instance_norm(" + in(0) + ", " + in(1) + ", " + in(2) +
                      ", None, None, True, 0.1, " + floatText(attrFloat("epsilon", 1e-5)) +
                      ", False)");
        return true;
    }
    if (op == "LayerNormalization") {
        if (m_node->output_size() > 1)
            for (int i = 1; i < m_node->output_size(); ++i)
                if (!m_node->output(i).empty())
                    nodeFail("the Mean and InvStdDev outputs are not supported");
        const std::string x = in(0);
        const std::int64_t axis = attrInt("axis", -1);
        const std::string b = hasInput(2) ? in(2) : "None";
        const std::string v = fresh();
        emit(v + ": List[int] = " + x + ".size()[" + std::to_string(axis) + ":]");
        setOut(0, "torch.layer_norm(" + x + ", " + v + ", " + in(1) + ", " + b + ", " +
                      floatText(attrFloat("epsilon", 1e-5)) + ")");
        return true;
    }
    if (op == "MaxPool" || op == "AveragePool" || op == "GlobalAveragePool" ||
        op == "GlobalMaxPool") {
        pool(op);
        return true;
    }
    if (op.rfind("Reduce", 0) == 0) {
        static const std::set<std::string> ok = {"ReduceMean", "ReduceSum",       "ReduceMax",
                                                 "ReduceMin",  "ReduceSumSquare", "ReduceL2",
                                                 "ReduceL1",   "ReduceLogSumExp"};
        if (!ok.count(op))
            nodeFail("operator " + op + " is not supported");
        reduce(op);
        return true;
    }
    return false;
}

} // namespace mpq::onnxin
