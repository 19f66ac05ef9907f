// Importing an ONNX graph as a TorchScript module (docs/onnx.md): the ONNX file is read with
// Debian's ONNX library (protobuf messages, checker), initializers become parameters and
// buffers under names derived from the ONNX names, what sits on initializers alone is folded
// at import, and the forward is TorchScript source compiled by torch::jit::Module::define, so
// layer discovery, BatchNorm folding (docs/multipoint.md section 1), calibration, runners and the
// TorchScript exports work on it unchanged.
#include "model/onnximporter.h"
#include "model/torchvisionops.h"

#include "mpq/error.h"

#include <nlohmann/json.hpp>
#include <onnx/checker.h>
#include <onnx/defs/schema.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace mpq {

namespace onnxin {

OnnxImport Importer::run()
{
    const auto &graph = m_model.graph();
    // opset of the default domain
    for (const auto &o : m_model.opset_import())
        if (o.domain().empty() || o.domain() == "ai.onnx")
            m_opset = o.version();
    if (m_opset == 0)
        fail("no opset for the default ONNX domain");
    const auto &ranges = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
    const auto range = ranges.find(onnx::ONNX_DOMAIN);
    const int known = range == ranges.end() ? 17 : range->second.second;
    if (m_opset > known)
        fail("opset " + std::to_string(m_opset) + " is newer than the ONNX library knows (" +
             std::to_string(known) + ")");
    m_out.opset = m_opset;
    // every node's domain and operator first: a clear error before any work
    for (int i = 0; i < graph.node_size(); ++i) {
        const auto &n = graph.node(i);
        if (!n.domain().empty() && n.domain() != "ai.onnx")
            fail("operator " + n.domain() + "::" + n.op_type() + " of node '" + nodeName(n, i) +
                 "' is not supported (only the default ONNX domain)");
        if (n.op_type() == "Loop" || n.op_type() == "If" || n.op_type() == "Scan")
            fail("operator " + n.op_type() + " of node '" + nodeName(n, i) +
                 "' is not supported (control flow)");
    }

    m_cu = std::make_shared<torch::jit::CompilationUnit>();
    m_out.module = torch::jit::Module(c10::QualifiedName("__torch__.mpq_onnx.Model"), m_cu,
                                      /*shouldMangle=*/true);
    for (const auto &init : graph.initializer()) {
        Val v;
        v.isConst = true;
        v.c = toTensor(init, m_dir);
        m_vals[init.name()] = v;
    }
    std::string signature = "def forward(self";
    for (const auto &input : graph.input()) {
        if (m_vals.count(input.name()))
            continue; // an initializer listed as an input (IR version 3)
        if (!input.type().has_tensor_type())
            fail("input '" + input.name() + "' is not a tensor");
        Val v;
        v.expr = "x" + std::to_string(m_out.inputNames.size());
        signature += ", " + v.expr + ": Tensor";
        m_vals[input.name()] = v;
        m_out.inputNames.push_back(input.name());
        std::vector<std::int64_t> shape;
        for (const auto &d : input.type().tensor_type().shape().dim())
            shape.push_back(d.has_dim_value() ? d.dim_value() : -1);
        m_out.inputShapes.push_back(shape);
    }
    if (m_out.inputNames.empty())
        fail("the graph has no input");
    for (const auto &n : graph.node())
        for (const auto &name : n.input())
            ++m_uses[name];
    for (const auto &o : graph.output())
        ++m_uses[o.name()];

    for (m_nodeIndex = 0; m_nodeIndex < graph.node_size(); ++m_nodeIndex) {
        if (m_skip.count(m_nodeIndex))
            continue;
        m_node = &graph.node(m_nodeIndex);
        const std::string &op = m_node->op_type();
        if (op == "Constant") {
            at::Tensor t;
            if (const auto *a = attr("value"))
                t = toTensor(a->t(), m_dir);
            else if (const auto *a = attr("value_float"))
                t = at::tensor(a->f(), at::kFloat);
            else if (const auto *a = attr("value_int"))
                t = at::tensor(a->i(), at::kLong);
            else if (const auto *a = attr("value_floats"))
                t = at::tensor(std::vector<float>(a->floats().begin(), a->floats().end()),
                               at::kFloat);
            else if (const auto *a = attr("value_ints"))
                t = at::tensor(std::vector<std::int64_t>(a->ints().begin(), a->ints().end()),
                               at::kLong);
            else
                nodeFail("a Constant without a supported value attribute");
            setConst(0, t);
            continue;
        }
        try {
            if (foldConstant(op))
                continue;
        } catch (const BadOnnx &) {
            throw;
        } catch (const std::exception &e) {
            nodeFail(std::string("cannot fold its constant inputs: ") + e.what());
        }
        convert(op);
    }

    std::vector<std::string> outs;
    for (const auto &o : graph.output()) {
        const auto it = m_vals.find(o.name());
        if (it == m_vals.end())
            fail("graph output '" + o.name() + "' is not produced by any node");
        if (it->second.isConst) {
            const std::string b = uniqueName("c_" + sanitize(o.name()));
            m_out.module.register_buffer(b, it->second.c.contiguous());
            outs.push_back("self." + b);
        } else {
            outs.push_back(it->second.expr);
        }
        m_out.outputNames.push_back(o.name());
        std::vector<std::int64_t> shape;
        if (o.type().has_tensor_type() && o.type().tensor_type().has_shape())
            for (const auto &d : o.type().tensor_type().shape().dim())
                shape.push_back(d.has_dim_value() ? d.dim_value() : -1);
        m_out.outputShapes.push_back(shape);
    }
    if (outs.empty())
        fail("the graph has no output");
    std::string ret;
    if (outs.size() == 1) {
        signature += ") -> Tensor:\n";
        ret = outs[0];
    } else {
        signature += ") -> Tuple[";
        for (std::size_t i = 0; i < outs.size(); ++i) {
            signature += (i ? ", " : "") + std::string("Tensor");
            ret += (i ? ", " : "") + outs[i];
        }
        signature += "]:\n";
        ret = "(" + ret + ")";
    }
    const std::string source = std::string(kHelpers) + m_extraHelpers + "\n" + signature + m_body +
                               "    return " + ret + "\n";
    // The map between the ONNX graph and the module, kept in the module (saved with it).
    nlohmann::json map;
    map["opset"] = m_opset;
    for (const auto &l : m_out.layers)
        map["layers"].push_back({{"module", l.module},
                                 {"node", l.node},
                                 {"op", l.opType},
                                 {"weight", l.weight},
                                 {"bias", l.bias},
                                 {"weightTransposed", l.weightTransposed}});
    for (std::size_t i = 0; i < m_out.inputNames.size(); ++i)
        map["inputs"].push_back({{"name", m_out.inputNames[i]}, {"shape", m_out.inputShapes[i]}});
    for (std::size_t i = 0; i < m_out.outputNames.size(); ++i)
        map["outputs"].push_back(
            {{"name", m_out.outputNames[i]}, {"shape", m_out.outputShapes[i]}});
    m_out.module.register_attribute("mpq_onnx", c10::StringType::get(), map.dump());
    try {
        m_out.module.define(source, torchvisionResolver());
    } catch (const std::exception &e) {
        if (std::getenv("MPQ_ONNX_DEBUG"))
            std::fprintf(stderr, "%s\n%s\n", source.c_str(), e.what());
        std::string what;
        for (char c : std::string(e.what()))
            if (c != '\n' || (!what.empty() && what.back() != ' '))
                what += c == '\n' ? ' ' : c;
        fail("the imported graph does not compile as TorchScript (" + what.substr(0, 400) + ")");
    }
    m_out.module.eval();
    return std::move(m_out);
}

} // namespace onnxin

using onnxin::BadOnnx;
using onnxin::Importer;
using onnxin::toTensor;

bool isOnnxFile(const std::string &path, const std::string &bytes)
{
    const std::filesystem::path p(path);
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (ext == ".onnx")
        return true;
    if (bytes.size() >= 2 && bytes[0] == 'P' && bytes[1] == 'K')
        return false; // a zip archive: TorchScript
    onnx::ModelProto model;
    return model.ParseFromString(bytes) && model.has_graph() && model.ir_version() > 0 &&
           model.graph().node_size() > 0;
}

OnnxImport importOnnx(const std::string &path, const std::string &bytes)
{
    ensureTorchvisionOps(); // NonMaxSuppression and RoiAlign call them
    onnx::ModelProto model;
    if (bytes.empty())
        throw Error(ErrorCode::BadModel, path + ": the file is empty");
    if (!model.ParseFromString(bytes) || !model.has_graph() || model.ir_version() <= 0)
        throw Error(ErrorCode::BadModel,
                    path + ": not an ONNX model, or a truncated or damaged one (the protobuf "
                           "message does not parse)");
    // the opset first: the checker would only say that no operator is registered for it
    for (const auto &o : model.opset_import()) {
        const auto &ranges = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
        const auto range = ranges.find(onnx::ONNX_DOMAIN);
        const int known = range == ranges.end() ? 17 : range->second.second;
        if ((o.domain().empty() || o.domain() == "ai.onnx") && o.version() > known)
            throw Error(ErrorCode::BadModel, path + ": opset " + std::to_string(o.version()) +
                                                 " is newer than the ONNX library knows (" +
                                                 std::to_string(known) + ")");
    }
    // external data: the files must exist beside the model (the checker would look for them
    // relative to the working folder when given the message alone)
    bool external = false;
    for (const auto &init : model.graph().initializer()) {
        if (init.data_location() != onnx::TensorProto::EXTERNAL)
            continue;
        external = true;
        for (const auto &kv : init.external_data()) {
            if (kv.key() != "location")
                continue;
            const std::filesystem::path p(path);
            const std::filesystem::path file =
                (p.has_parent_path() ? p.parent_path() : std::filesystem::path(".")) / kv.value();
            std::error_code ec;
            if (!std::filesystem::is_regular_file(file, ec))
                throw Error(ErrorCode::BadModel,
                            path + ": tensor '" + init.name() + "' keeps its data in '" +
                                file.string() +
                                "', which cannot be opened (a missing external "
                                "data file)");
        }
    }
    try {
        if (external)
            onnx::checker::check_model(path); // reads the file, finds the data beside it
        else
            onnx::checker::check_model(model);
    } catch (const std::exception &e) {
        std::string what = e.what();
        throw Error(ErrorCode::BadModel, path + ": the ONNX checker refuses the model (" +
                                             what.substr(0, what.find('\n')) + ")");
    }
    try {
        Importer importer(path, model);
        return importer.run();
    } catch (const BadOnnx &e) {
        throw Error(ErrorCode::BadModel, path + ": " + e.reason);
    } catch (const Error &) {
        throw;
    } catch (const std::exception &e) {
        std::string what = e.what();
        throw Error(ErrorCode::BadModel, path + ": cannot import the ONNX graph (" +
                                             what.substr(0, what.find('\n')) + ")");
    }
}

std::string saveImport(OnnxImport &import)
{
    std::ostringstream out;
    import.module.save(out);
    return out.str();
}

at::Tensor readOnnxTensorFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    onnx::TensorProto t;
    if (!in || !t.ParseFromString(content.str()))
        throw Error(ErrorCode::BadModel, path + ": not an ONNX TensorProto");
    try {
        return toTensor(t, std::filesystem::path(path).parent_path().string());
    } catch (const BadOnnx &e) {
        throw Error(ErrorCode::BadModel, path + ": " + e.reason);
    }
}

} // namespace mpq