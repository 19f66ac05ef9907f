// The ONNX exports (docs/onnx.md section 5): onnx-fakequant, the original ONNX graph with the
// multipoint sums as weights, and onnx-qdq, the deployable form: per layer a Conv/Gemm/MatMul
// over the first points of all channels plus one over the k-th points of the channels that have
// them, summed into their channels with Slice/Add/Concat and one Gather, weights as int8 codes
// with a DequantizeLinear per output row (docs/multipoint.md section 5).
#include "export/onnxexport.h"
#include "export/onnxwriter.h"

#include "model/modelimpl.h"
#include "mpq/error.h"
#include "mpq/images.h"
#include "mpq/modelformat.h"
#include "mpq/runner.h"
#include "util/atomicfile.h"
#include "util/reuselargeblocks.h"

#include <nlohmann/json.hpp>
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace mpq {

using namespace onnxout;

namespace {

std::string nodeName(const NodeProto &n, int index)
{
    return n.name().empty() ? "#" + std::to_string(index) : n.name();
}

struct LayerNodes
{
    std::size_t layer = 0;
    int batchNormNode = -1; ///< the folded BatchNormalization node, bypassed
};

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
    const ReuseLargeBlocks reuse; // the batches' activations stay in the heap
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
