// The expanded ("common operands") TorchScript export (docs/multipoint.md section 5): the quantized
// model's graph with every quantized layer call rewritten into a base operation over the first
// points' integer codes plus one extra operation over the further points' rows, scaled per row
// and added back into their channels.
#include "mpq/export.h"

#include "model/modelimpl.h"
#include "model/runnerimpl.h"
#include "mpq/error.h"

#include <torch/csrc/jit/ir/ir.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace mpq {

namespace {

using torch::jit::Graph;
using torch::jit::NamedValue;
using torch::jit::Node;
using torch::jit::Value;

// The tensors and facts of one expanded layer, registered once and used at every call site.
struct Expansion
{
    std::string baseName, baseScaleName, extraName, extraScaleName, rowChannelName, inputIndexName;
    bool hasExtra = false;
    bool gatherInputs = false; ///< the extra branch reads only some groups' input channels
    std::int64_t extraGroups = 1;
    ExpandedLayer report;
};

std::string identifier(const std::string &path)
{
    std::string id = path;
    std::replace(id.begin(), id.end(), '.', '_');
    return id;
}

// Scales as (C, 1, 1) for conv2d, (C, 1) for conv1d and (C) for linear: they broadcast over
// the operation's output, batched or not, with the channels in dim -3 (conv2d), -2 (conv1d) or
// last (linear).
at::Tensor perRow(std::vector<float> values, LayerKind kind)
{
    const auto rows = static_cast<std::int64_t>(values.size());
    at::Tensor t = at::tensor(values, at::kFloat);
    if (kind == LayerKind::Conv2d)
        return t.view({rows, 1, 1});
    if (kind == LayerKind::Conv1d)
        return t.view({rows, 1});
    return t;
}

Expansion buildExpansion(torch::jit::Module &module, const LayerInfo &l, const LayerAllocation &la,
                         const MatrixDecomposition &d, const LayerCurves &curves)
{
    Expansion e;
    const std::string id = identifier(l.name);
    std::vector<std::int64_t> shape = l.weightShape;
    const std::int64_t channels = l.outChannels, cols = l.d;

    // base: the first point's codes, one row per channel
    std::vector<float> base(static_cast<std::size_t>(channels * cols)), baseScales(channels);
    for (std::int64_t c = 0; c < channels; ++c) {
        const std::int8_t *q = d.code(c, 0);
        std::copy(q, q + cols, base.begin() + c * cols);
        baseScales[c] = d.scale(c, 0);
    }
    e.baseName = id + "__mpq_base";
    e.baseScaleName = id + "__mpq_base_scale";
    module.register_parameter(e.baseName, at::tensor(base, at::kFloat).view(shape).clone(), false);
    module.register_buffer(e.baseScaleName, perRow(baseScales, l.kind));

    // extra rows, grouped: group g holds channels [g * perGroup, (g + 1) * perGroup)
    const std::int64_t groups = l.kind == LayerKind::Linear ? 1 : l.groups;
    const std::int64_t perGroup = channels / groups;
    std::vector<std::vector<std::pair<std::int64_t, int>>> rowsOfGroup(groups);
    std::int64_t extraRows = 0;
    for (std::int64_t c = 0; c < channels; ++c)
        for (int n = 1; n < la.points.at(c); ++n) {
            rowsOfGroup[c / perGroup].push_back({c, n});
            ++extraRows;
        }
    std::size_t widest = 0;
    std::vector<std::int64_t> extraGroupIds;
    for (std::int64_t g = 0; g < groups; ++g)
        if (!rowsOfGroup[g].empty()) {
            extraGroupIds.push_back(g);
            widest = std::max(widest, rowsOfGroup[g].size());
        }
    e.report.name = l.name;
    e.report.channels = channels;
    e.report.groups = groups;
    e.report.extraRows = extraRows;
    const std::int64_t positions = curves.outputPositions; // 0 for a branch never taken
    e.report.macs = channels * cols * positions;
    e.report.extraMacsPredicted = la.extraMacs;
    if (extraRows > 0) {
        e.hasExtra = true;
        // ungrouped: one row per extra point; grouped: every group with extra points padded to
        // the widest with zero rows (scale 0, added into the group's first channel)
        const std::int64_t rowsPerGroup =
            groups == 1 ? extraRows : static_cast<std::int64_t>(widest);
        e.extraGroups = groups == 1 ? 1 : static_cast<std::int64_t>(extraGroupIds.size());
        const std::int64_t rowsRun = rowsPerGroup * e.extraGroups;
        std::vector<float> codes(static_cast<std::size_t>(rowsRun * cols), 0.0f), scales(rowsRun);
        std::vector<std::int64_t> rowChannel(rowsRun);
        std::int64_t r = 0;
        for (std::int64_t g : extraGroupIds) {
            const auto &rows = rowsOfGroup[g];
            for (std::int64_t k = 0; k < rowsPerGroup; ++k, ++r) {
                if (k < static_cast<std::int64_t>(rows.size())) {
                    const auto [c, n] = rows[k];
                    const std::int8_t *q = d.code(c, n);
                    std::copy(q, q + cols, codes.begin() + r * cols);
                    scales[r] = d.scale(c, n);
                    rowChannel[r] = c;
                } else {
                    scales[r] = 0.0f;
                    rowChannel[r] = g * perGroup;
                }
            }
        }
        shape[0] = rowsRun;
        e.extraName = id + "__mpq_extra";
        e.extraScaleName = id + "__mpq_extra_scale";
        e.rowChannelName = id + "__mpq_extra_channel";
        module.register_parameter(e.extraName, at::tensor(codes, at::kFloat).view(shape).clone(),
                                  false);
        module.register_buffer(e.extraScaleName, perRow(scales, l.kind));
        module.register_buffer(e.rowChannelName, at::tensor(rowChannel, at::kLong));
        if (groups > 1 && e.extraGroups < groups) {
            const std::int64_t inPerGroup = l.weightShape.at(1);
            std::vector<std::int64_t> inputs;
            for (std::int64_t g : extraGroupIds)
                for (std::int64_t i = 0; i < inPerGroup; ++i)
                    inputs.push_back(g * inPerGroup + i);
            e.gatherInputs = true;
            e.inputIndexName = id + "__mpq_extra_inputs";
            module.register_buffer(e.inputIndexName, at::tensor(inputs, at::kLong));
        }
        e.report.extraRowsRun = rowsRun;
        e.report.extraGroups = e.extraGroups;
        e.report.extraMacsRun = rowsRun * cols * positions;
    }
    return e;
}

// The module that holds the attribute at a dotted path ("layer1.0.conv1.bias"), and the
// attribute's own name.
torch::jit::Module ownerOf(const torch::jit::Module &root, const std::string &path,
                           std::string &leaf)
{
    torch::jit::Module owner = root;
    std::size_t start = 0;
    for (auto dot = path.find('.'); dot != std::string::npos;
         start = dot + 1, dot = path.find('.', start))
        owner = owner.attr(path.substr(start, dot - start)).toModule();
    leaf = path.substr(start);
    return owner;
}

c10::IValue attributeValue(const torch::jit::Module &root, const std::string &path)
{
    std::string leaf;
    return ownerOf(root, path, leaf).attr(leaf);
}

// Replaces one call site of a quantized layer by its expansion; returns nothing, the old node
// is destroyed.
void rewriteSite(Graph &graph, torch::jit::Module &module, Node *node, const LayerInfo &l,
                 const Expansion &e)
{
    static const auto kConvolution = c10::Symbol::fromQualString("aten::_convolution");
    static const auto kAddmm = c10::Symbol::fromQualString("aten::addmm");
    static const auto kConv1d = c10::Symbol::fromQualString("aten::conv1d");
    static const auto kConv2d = c10::Symbol::fromQualString("aten::conv2d");
    static const auto kLinear = c10::Symbol::fromQualString("aten::linear");
    static const auto kMul = c10::Symbol::fromQualString("aten::mul");
    static const auto kAdd = c10::Symbol::fromQualString("aten::add");
    static const auto kIndexAdd = c10::Symbol::fromQualString("aten::index_add");
    static const auto kIndexSelect = c10::Symbol::fromQualString("aten::index_select");

    torch::jit::WithInsertPoint guard(node);
    Value *self = graph.inputs().at(0);
    Value *x = node->input(node->kind() == kAddmm ? 1 : 0);
    Value *none = graph.insertConstant(c10::IValue());
    const bool linear = l.kind == LayerKind::Linear;
    const auto op = [&](Value *input, Value *weight, Value *groups) -> Value * {
        if (linear)
            return graph.insert(kLinear, {input, weight, none});
        // the conv's own stride/padding/dilation values (constants or strings), reused as is
        const bool traced = node->kind() == kConvolution;
        return graph.insert(l.kind == LayerKind::Conv1d ? kConv1d : kConv2d,
                            {input, weight, none, node->input(3), node->input(4), node->input(5),
                             groups ? groups : node->input(traced ? 8 : 6)});
    };
    Value *y = graph.insert(kMul, {op(x, graph.insertGetAttr(self, e.baseName), nullptr),
                                   graph.insertGetAttr(self, e.baseScaleName)});
    if (e.hasExtra) {
        // Channels counted from the end: dim -3 of (B, C, H, W) and of unbatched (C, H, W)
        // (conv1d: -2), the last dim for linear, so unbatched calls work as batched ones do.
        const std::int64_t channelDim = linear ? -1 : l.kind == LayerKind::Conv1d ? -2 : -3;
        Value *xe = x;
        if (e.gatherInputs)
            xe = graph.insert(kIndexSelect, {x, NamedValue(c10::IValue(channelDim)),
                                             graph.insertGetAttr(self, e.inputIndexName)});
        Value *extra =
            op(xe, graph.insertGetAttr(self, e.extraName),
               linear ? nullptr : graph.insertConstant(c10::IValue(std::int64_t(e.extraGroups))));
        extra = graph.insert(kMul, {extra, graph.insertGetAttr(self, e.extraScaleName)});
        y = graph.insert(kIndexAdd, {y, NamedValue(c10::IValue(channelDim)),
                                     graph.insertGetAttr(self, e.rowChannelName), extra});
    }
    // the bias the node added, as the node had it (a parameter, a constant or a computed value)
    Value *bias = node->input(node->kind() == kAddmm ? 0 : 2);
    if (node->kind() == kAddmm) {
        for (std::size_t k : {3, 4}) { // beta, alpha
            const auto v = torch::jit::toIValue(node->input(k));
            if (!v || !((v->isInt() && v->toInt() == 1) || (v->isDouble() && v->toDouble() == 1.0)))
                throw Error(ErrorCode::BadModel,
                            l.name + ": addmm with beta or alpha other than 1 cannot be expanded");
        }
    }
    if (!bias->mustBeNone()) {
        if (!bias->type()->isSubtypeOf(*c10::TensorType::get())) {
            const std::string path = attributePath(bias);
            if (path.empty())
                throw Error(ErrorCode::BadModel,
                            l.name + ": an optional bias computed at run time cannot be expanded");
            // an Optional[Tensor] attribute: its value is known now
            if (attributeValue(module, path).isNone())
                bias = nullptr;
            else
                bias = graph.insert(c10::Symbol::fromQualString("aten::_unwrap_optional"), {bias});
        }
    }
    if (bias && !bias->mustBeNone()) {
        if (!linear) {
            const std::vector<std::int64_t> shape = l.kind == LayerKind::Conv2d
                                                        ? std::vector<std::int64_t>{-1, 1, 1}
                                                        : std::vector<std::int64_t>{-1, 1};
            bias = graph.insert(c10::Symbol::fromQualString("aten::view"),
                                {bias, NamedValue(c10::IValue(shape))});
        }
        y = graph.insert(kAdd, {y, bias});
    }
    node->output()->replaceAllUsesWith(y);
    node->destroy();
}

// Every attribute path read anywhere in the graph.
void readPaths(torch::jit::Block *block, std::set<std::string> &paths)
{
    for (Node *n : block->nodes()) {
        for (torch::jit::Block *b : n->blocks())
            readPaths(b, paths);
        for (Value *v : n->outputs()) {
            const std::string p = attributePath(v);
            if (!p.empty())
                paths.insert(p);
        }
    }
}

} // namespace

ExpandedExport exportExpanded(const Model &model, const Analysis &analysis,
                              const Allocation &allocation, const std::vector<LayerAtBits> &atBits,
                              const std::string &path, const std::string &manifest,
                              const ModelProfile &profile,
                              const std::vector<std::string> &verifyImages)
{
    const Model::Impl &impl = model.impl();
    if (allocation.layers.size() != impl.layers.size() || analysis.modelSha256 != impl.sha256 ||
        analysis.curves.size() < impl.layers.size())
        throw Error(ErrorCode::InvalidArgument,
                    "the allocation and analysis do not belong to this model");
    const int activationBits = analysis.settings.activationBits;
    ModelRunner expanded = quantizedRunner(model, analysis, allocation, atBits, activationBits);
    torch::jit::Module &module = expanded.impl().module;
    ExpandedExport result;
    {
        c10::InferenceMode inference;
        auto graph = inlinedForward(module);
        std::vector<std::string> skipped;
        const std::map<std::string, std::size_t> layerOf = impl.layerByWeightPath();
        std::map<std::size_t, Expansion> expansions;
        for (const LayerSite &site : findLayerSites(*graph, skipped)) {
            const auto it = layerOf.find(site.weightPath);
            if (it == layerOf.end() || allocation.layers[it->second].isFloat)
                continue;
            const std::size_t i = it->second;
            const LayerInfo &l = impl.layers[i];
            auto found = expansions.find(i);
            if (found == expansions.end())
                found = expansions
                            .emplace(i, buildExpansion(module, l, allocation.layers[i],
                                                       layerDecomposition(model, analysis, atBits,
                                                                          allocation.layers[i], i),
                                                       analysis.curves[i]))
                            .first;
            rewriteSite(*graph, module, site.node, l, found->second);
        }
        torch::jit::EliminateDeadCode(graph);
        // The original weights of expanded layers are no longer read: empty them so the file
        // does not carry every weight twice (the submodules' own forward stays valid code).
        std::set<std::string> stillRead;
        readPaths(graph->block(), stillRead);
        for (const auto &[i, e] : expansions) {
            const LayerInfo &l = impl.layers[i];
            std::vector<std::string> paths = l.aliases;
            paths.push_back(l.weightPath);
            bool read = false;
            for (const std::string &p : paths)
                read = read || stillRead.count(p) > 0;
            if (!read)
                for (const std::string &p : paths) {
                    std::string leaf;
                    ownerOf(module, p, leaf).setattr(leaf, at::empty({0}, at::kFloat));
                }
            result.layers.push_back(e.report);
        }
    }
    for (const ExpandedLayer &r : result.layers) {
        result.macs += r.macs;
        result.extraMacsRun += r.extraMacsRun;
        result.extraMacsPredicted += r.extraMacsPredicted;
    }
    result.macOverheadRun = result.macs > 0 ? double(result.extraMacsRun) / result.macs : 0.0;
    result.macOverheadPredicted = allocation.macOverhead;

    nlohmann::json doc = nlohmann::json::parse(manifest);
    nlohmann::json layers = nlohmann::json::array();
    for (const ExpandedLayer &r : result.layers)
        layers.push_back({{"name", r.name},
                          {"channels", r.channels},
                          {"extra_rows", r.extraRows},
                          {"extra_rows_run", r.extraRowsRun},
                          {"extra_groups", r.extraGroups}});
    doc["expanded_layers"] = layers;
    doc["mac_overhead_run"] = result.macOverheadRun;
    expanded.save(path, {{"mpq_manifest.json", doc.dump(2) + "\n"}});
    std::error_code ec;
    result.bytes = std::filesystem::file_size(path, ec);
    if (!verifyImages.empty()) {
        ModelRunner inApp = quantizedRunner(model, analysis, allocation, atBits, activationBits);
        result.verification = verifyExport(inApp, path, profile, verifyImages);
    }
    return result;
}

} // namespace mpq
