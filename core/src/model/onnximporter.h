#pragma once
// Private to the ONNX import (docs/onnx.md): the importer that turns an ONNX graph into the
// TorchScript source of a module's forward, and the helpers its parts share. The parts:
// onnximport.cpp (the graph walk and the public functions), onnxvalues.cpp (names, literals,
// tensors), onnxscripts.cpp (the TorchScript helpers of the generated forward), onnxfold.cpp
// (folding at import), onnxlayers.cpp (layers that become submodules), onnxops.cpp and
// onnxshapeops.cpp (the other operators).
#include "model/onnximport.h"

#include <onnx/onnx_pb.h>
#include <torch/csrc/jit/frontend/resolver.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace mpq::onnxin {

/// A reason the file cannot be imported; importOnnx turns it into Error(BadModel).
struct BadOnnx
{
    std::string reason;
};

[[noreturn]] void fail(const std::string &reason);

/// A TorchScript identifier made of an ONNX name.
std::string sanitize(const std::string &name);
/// The module path in a node name exported by torch.onnx, "" when it has none.
std::string torchScope(const std::string &nodeName);
std::string floatText(double v);
std::string intsText(const std::vector<std::int64_t> &v);
std::string floatsText(const std::vector<double> &v);
c10::optional<at::ScalarType> scalarType(int onnxType);
const char *dtypeText(at::ScalarType t);
/// An onnx.TensorProto as a CPU tensor; externalDir locates external data ("" forbids it).
at::Tensor toTensor(const onnx::TensorProto &t, const std::string &externalDir);

/// The TorchScript helpers of every generated forward, and NonMaxSuppression's (added when used).
extern const char *const kHelpers;
extern const char *const kNmsHelper;
/// Resolves `torch` (aten) and `torchvision` (the project's ops) in the generated source.
std::shared_ptr<torch::jit::Resolver> torchvisionResolver();

struct Val
{
    bool isConst = false;
    at::Tensor c;     // when constant
    std::string expr; // the TorchScript variable (or self.<buffer>) otherwise
};

class Importer
{
public:
    Importer(const std::string &path, onnx::ModelProto &model)
        : m_path(path)
        , m_model(model)
    {
        const std::filesystem::path p(path);
        m_dir = p.has_parent_path() ? p.parent_path().string() : std::string(".");
    }

    OnnxImport run();

private:
    const std::string &m_path;
    onnx::ModelProto &m_model;
    std::string m_dir;
    std::int64_t m_opset = 0;
    OnnxImport m_out;
    std::shared_ptr<torch::jit::CompilationUnit> m_cu;
    std::map<std::string, Val> m_vals;
    std::set<std::string> m_names;                // attribute names used on the root module
    std::map<std::string, std::string> m_buffers; // const value name -> "self.<buffer>"
    std::map<std::string, int> m_uses;
    std::set<int> m_skip; // nodes consumed by a fusion
    std::string m_body;
    std::string m_extraHelpers; ///< helpers added when an operator needs them (kNmsHelper)
    int m_counter = 0;
    int m_modules = 0;
    const onnx::NodeProto *m_node = nullptr;
    int m_nodeIndex = 0;

    std::string nodeName(const onnx::NodeProto &n, int index) const
    {
        return n.name().empty() ? "#" + std::to_string(index) : n.name();
    }
    [[noreturn]] void nodeFail(const std::string &reason) const
    {
        fail(m_node->op_type() + " node '" + nodeName(*m_node, m_nodeIndex) + "': " + reason);
    }
    void emit(const std::string &line) { m_body += "    " + line + "\n"; }
    std::string fresh() { return "v" + std::to_string(m_counter++); }

    // ---- attributes
    const onnx::AttributeProto *attr(const char *name) const
    {
        for (const auto &a : m_node->attribute())
            if (a.name() == name)
                return &a;
        return nullptr;
    }
    std::int64_t attrInt(const char *name, std::int64_t fallback) const
    {
        const auto *a = attr(name);
        return a ? a->i() : fallback;
    }
    double attrFloat(const char *name, double fallback) const
    {
        const auto *a = attr(name);
        return a ? a->f() : fallback;
    }
    std::string attrString(const char *name, const std::string &fallback) const
    {
        const auto *a = attr(name);
        return a ? a->s() : fallback;
    }
    std::vector<std::int64_t> attrInts(const char *name) const
    {
        const auto *a = attr(name);
        if (!a)
            return {};
        return {a->ints().begin(), a->ints().end()};
    }
    bool hasAttr(const char *name) const { return attr(name) != nullptr; }

    // ---- values
    int inputs() const { return m_node->input_size(); }
    bool hasInput(int i) const { return i < m_node->input_size() && !m_node->input(i).empty(); }
    const Val &val(int i) const
    {
        if (!hasInput(i))
            nodeFail("input " + std::to_string(i) + " is missing");
        const auto it = m_vals.find(m_node->input(i));
        if (it == m_vals.end())
            nodeFail("input '" + m_node->input(i) + "' is not produced before this node");
        return it->second;
    }
    bool isConst(int i) const { return hasInput(i) && val(i).isConst; }
    at::Tensor constant(int i) const
    {
        if (!isConst(i))
            nodeFail("input " + std::to_string(i) + " must be a constant (an initializer)");
        return val(i).c;
    }
    std::vector<std::int64_t> constInts(int i) const
    {
        const at::Tensor t = constant(i).to(at::kLong).contiguous().reshape({-1});
        return {t.data_ptr<std::int64_t>(), t.data_ptr<std::int64_t>() + t.numel()};
    }
    std::vector<double> constDoubles(int i) const
    {
        const at::Tensor t = constant(i).to(at::kDouble).contiguous().reshape({-1});
        return {t.data_ptr<double>(), t.data_ptr<double>() + t.numel()};
    }
    std::string uniqueName(const std::string &base)
    {
        std::string name = base;
        for (int k = 2; m_names.count(name) || name == "forward" || name == "training"; ++k)
            name = base + "_" + std::to_string(k);
        m_names.insert(name);
        return name;
    }
    // The TorchScript expression of input i (registers a constant as a buffer).
    std::string in(int i)
    {
        const Val &v = val(i);
        if (!v.isConst)
            return v.expr;
        const std::string &name = m_node->input(i);
        auto it = m_buffers.find(name);
        if (it != m_buffers.end())
            return it->second;
        const std::string b = uniqueName("c_" + sanitize(name));
        m_out.module.register_buffer(b, v.c.contiguous());
        return m_buffers[name] = "self." + b;
    }
    // An int list argument: a literal when constant, else a List[int] variable.
    std::string intsArg(int i)
    {
        if (isConst(i))
            return intsText(constInts(i));
        const std::string l = fresh();
        emit(l + ": List[int] = " + in(i) + ".tolist()");
        return l;
    }
    std::string floatsArg(int i)
    {
        if (isConst(i))
            return floatsText(constDoubles(i));
        const std::string l = fresh();
        emit(l + ": List[float] = " + in(i) + ".to(7).tolist()");
        return l;
    }
    void setOut(int i, const std::string &expr)
    {
        if (i >= m_node->output_size() || m_node->output(i).empty())
            return;
        Val v;
        v.expr = fresh();
        emit(v.expr + " = " + expr);
        m_vals[m_node->output(i)] = v;
    }
    void setConst(int i, const at::Tensor &t)
    {
        if (i >= m_node->output_size() || m_node->output(i).empty())
            return;
        Val v;
        v.isConst = true;
        v.c = t;
        m_vals[m_node->output(i)] = v;
    }
    void alias(int out, int input) { m_vals[m_node->output(out)] = val(input); }

    std::string layerModuleName(const std::string &initializer, const std::string &suffix)
    {
        std::string base;
        if (!initializer.empty() && initializer.size() > suffix.size() &&
            initializer.compare(initializer.size() - suffix.size(), suffix.size(), suffix) == 0)
            base = initializer.substr(0, initializer.size() - suffix.size());
        else if (!torchScope(m_node->name()).empty())
            base = torchScope(m_node->name());
        else if (!m_node->name().empty())
            base = m_node->name();
        else
            base = m_node->op_type() + "_" + std::to_string(m_nodeIndex);
        return uniqueName(sanitize(base));
    }
    torch::jit::Module newSubmodule(const std::string &name)
    {
        torch::jit::Module sub(
            c10::QualifiedName("__torch__.mpq_onnx.Layer" + std::to_string(m_modules++)), m_cu,
            /*shouldMangle=*/true);
        m_out.module.register_module(name, sub);
        return sub;
    }

    bool foldConstant(const std::string &op);
    void convert(const std::string &op);
    bool convertLayerOp(const std::string &op);
    bool convertShapeOp(const std::string &op);
    bool convertDetectionOp(const std::string &op);
    /// strides, dilations and pads of a Conv or pooling node, defaulted to 1, 1 and 0 and checked
    /// against the rank (`kernel` names where the rank comes from, for the message).
    struct Window
    {
        std::vector<std::int64_t> strides, dilations, pads;
    };
    Window window(std::int64_t rank, const std::string &kernel) const;
    /// A Conv or pooling node's auto_pad on its input x: VALID clears the pads; SAME_UPPER and
    /// SAME_LOWER become the pads themselves when `foldUnitStride` and every stride is 1, else a
    /// padding by `padValue` emitted before the window (the pads then cleared); NOTSET keeps
    /// them; anything else fails the node. Returns the expression the window reads.
    std::string autoPad(const std::string &x, const std::vector<std::int64_t> &kernel,
                        Window &window, const std::string &padValue, bool foldUnitStride);
    void conv(bool transposed);
    void linear(const at::Tensor &weight, const at::Tensor &bias, const std::string &x,
                const std::string &weightName, const std::string &biasName, bool transposed,
                int outIndex);
    void batchNorm();
    void pool(const std::string &op);
    void reduce(const std::string &op);
    void resize(const std::string &op);
    void reduceInto(const std::string &op, const std::string &y, const std::string &x,
                    const std::string &axes, bool keep);
};

} // namespace mpq::onnxin
