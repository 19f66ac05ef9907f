// The expanded ("common operands") TorchScript export (docs/multipoint.md section 5): the quantized
// model's graph with every quantized layer call rewritten into a base operation over the first
// points' rows (codes times scales, with the layer's bias) plus, where channels have more points,
// one extra operation over the further points' rows, index_add_-ed into their channels
// (docs/expanded-export.md).
#include "mpq/export.h"

#include "export/macmatched.h"
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

std::string identifier(const std::string &path)
{
    std::string id = path;
    std::replace(id.begin(), id.end(), '.', '_');
    return id;
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

// Which rows a quantized layer's extra branch runs (docs/expanded-export.md): ungrouped, one row
// per further point; grouped, the groups with further points, each padded to the widest.
struct RowPlan
{
    std::int64_t groups = 1, perGroup = 0, extraRows = 0, extraGroups = 1, rowsRun = 0;
    std::vector<std::pair<std::int64_t, int>> rowPoint; ///< (channel, point); point -1: padding
    std::vector<std::int64_t> rowChannel;               ///< the channel each run row adds into
    std::vector<std::int64_t> inputs;                   ///< gathered input channels; empty: all
};

RowPlan planRows(const LayerInfo &l, const LayerAllocation &la)
{
    RowPlan p;
    const std::int64_t channels = l.outChannels;
    p.groups = l.kind == LayerKind::Linear ? 1 : l.groups;
    p.perGroup = channels / p.groups;
    std::vector<std::vector<std::pair<std::int64_t, int>>> rowsOfGroup(p.groups);
    for (std::int64_t c = 0; c < channels; ++c)
        for (int n = 1; n < la.points.at(c); ++n) {
            rowsOfGroup[c / p.perGroup].push_back({c, n});
            ++p.extraRows;
        }
    if (p.extraRows == 0)
        return p;
    std::size_t widest = 0;
    std::vector<std::int64_t> extraGroupIds;
    for (std::int64_t g = 0; g < p.groups; ++g)
        if (!rowsOfGroup[g].empty()) {
            extraGroupIds.push_back(g);
            widest = std::max(widest, rowsOfGroup[g].size());
        }
    const std::int64_t rowsPerGroup =
        p.groups == 1 ? p.extraRows : static_cast<std::int64_t>(widest);
    p.extraGroups = p.groups == 1 ? 1 : static_cast<std::int64_t>(extraGroupIds.size());
    p.rowsRun = rowsPerGroup * p.extraGroups;
    for (std::int64_t g : extraGroupIds) {
        const auto &rows = rowsOfGroup[g];
        for (std::int64_t k = 0; k < rowsPerGroup; ++k) {
            const bool real = k < static_cast<std::int64_t>(rows.size());
            p.rowPoint.push_back(real ? rows[k] : std::pair<std::int64_t, int>{g * p.perGroup, -1});
            p.rowChannel.push_back(p.rowPoint.back().first);
        }
    }
    if (p.groups > 1 && p.extraGroups < p.groups) {
        const std::int64_t inPerGroup = l.weightShape.at(1);
        for (std::int64_t g : extraGroupIds)
            for (std::int64_t i = 0; i < inPerGroup; ++i)
                p.inputs.push_back(g * inPerGroup + i);
    }
    return p;
}

// The pieces of one layer call site that a rewrite reuses.
struct Site
{
    Graph &graph;
    torch::jit::Module &module;
    Node *node;
    const LayerInfo &l;

    bool linear() const { return l.kind == LayerKind::Linear; }
    bool addmm() const { return node->kind() == c10::Symbol::fromQualString("aten::addmm"); }
    Value *input() const { return node->input(addmm() ? 1 : 0); }
    // Channels counted from the end: dim -3 of (B, C, H, W) and of unbatched (C, H, W) (conv1d:
    // -2), the last dim for linear, so unbatched calls work as batched ones do.
    std::int64_t channelDim() const
    {
        return linear() ? -1 : l.kind == LayerKind::Conv1d ? -2 : -3;
    }
    Value *none() const { return graph.insertConstant(c10::IValue()); }
    Value *attr(const std::string &name) const
    {
        return graph.insertGetAttr(graph.inputs().at(0), name);
    }
    // op(x, weight, bias) with the node's stride, padding, dilation and (unless given) groups
    Value *op(Value *x, Value *weight, Value *bias, Value *groups = nullptr) const
    {
        static const auto kConvolution = c10::Symbol::fromQualString("aten::_convolution");
        if (!bias)
            bias = none();
        if (linear())
            return graph.insert(c10::Symbol::fromQualString("aten::linear"), {x, weight, bias});
        const bool traced = node->kind() == kConvolution;
        return graph.insert(c10::Symbol::fromQualString(
                                l.kind == LayerKind::Conv1d ? "aten::conv1d" : "aten::conv2d"),
                            {x, weight, bias, node->input(3), node->input(4), node->input(5),
                             groups ? groups : node->input(traced ? 8 : 6)});
    }
    // The bias the node adds as a Tensor value (a parameter, a constant or a computed value), or
    // nullptr when it adds none.
    Value *bias() const
    {
        Value *b = node->input(addmm() ? 0 : 2);
        if (addmm()) {
            for (std::size_t k : {3, 4}) { // beta, alpha
                const auto v = torch::jit::toIValue(node->input(k));
                if (!v ||
                    !((v->isInt() && v->toInt() == 1) || (v->isDouble() && v->toDouble() == 1.0)))
                    throw Error(ErrorCode::BadModel,
                                l.name +
                                    ": addmm with beta or alpha other than 1 cannot be expanded");
            }
        }
        if (b->mustBeNone())
            return nullptr;
        if (!b->type()->isSubtypeOf(*c10::TensorType::get())) {
            const std::string path = attributePath(b);
            if (path.empty())
                throw Error(ErrorCode::BadModel,
                            l.name + ": an optional bias computed at run time cannot be expanded");
            // an Optional[Tensor] attribute: its value is known now
            if (attributeValue(module, path).isNone())
                return nullptr;
            b = graph.insert(c10::Symbol::fromQualString("aten::_unwrap_optional"), {b});
        }
        return b;
    }
    // y.index_add_(channel dim, rows' channels, extra branch over the plan's rows)
    Value *addExtra(Value *y, const RowPlan &p, const std::string &weight,
                    const std::string &rowChannel, const std::string &inputs) const
    {
        Value *xe = input();
        if (!p.inputs.empty())
            xe = graph.insert(c10::Symbol::fromQualString("aten::index_select"),
                              {xe, NamedValue(c10::IValue(channelDim())), attr(inputs)});
        Value *extra = op(xe, attr(weight), nullptr,
                          linear() ? nullptr : graph.insertConstant(c10::IValue(p.extraGroups)));
        return graph.insert(c10::Symbol::fromQualString("aten::index_add_"),
                            {y, NamedValue(c10::IValue(channelDim())), attr(rowChannel), extra});
    }
};

// The tensors and facts of one expanded layer, registered once and used at every call site.
struct Expansion
{
    std::string baseName, baseScaleName, extraName, extraScaleName, rowChannelName, inputIndexName;
    RowPlan plan;
    ExpandedLayer report;
};

// Registers the layer's rows. Each row is stored folded, codes times the row's scale, so the graph
// runs ordinary float operations with no scaling pass (docs/expanded-export.md, "Integer codes");
// the scales are stored beside them and codes = round(weight / scale) exactly.
Expansion buildExpansion(torch::jit::Module &module, const LayerInfo &l, const LayerAllocation &la,
                         const MatrixDecomposition &d, const LayerCurves &curves)
{
    Expansion e;
    const std::string id = identifier(l.name);
    std::vector<std::int64_t> shape = l.weightShape;
    const std::int64_t channels = l.outChannels, cols = l.d;
    const auto fold = [&](std::int64_t c, int n, float *row) {
        const float scale = d.scale(c, n);
        const std::int8_t *q = d.code(c, n);
        for (std::int64_t k = 0; k < cols; ++k)
            row[k] = static_cast<float>(q[k]) * scale;
    };

    // base: the first point of every channel
    std::vector<float> base(static_cast<std::size_t>(channels * cols)), baseScales(channels);
    for (std::int64_t c = 0; c < channels; ++c) {
        fold(c, 0, base.data() + c * cols);
        baseScales[c] = d.scale(c, 0);
    }
    e.baseName = id + "__mpq_base";
    e.baseScaleName = id + "__mpq_base_scale";
    module.register_parameter(e.baseName, at::tensor(base, at::kFloat).view(shape).clone(), false);
    module.register_buffer(e.baseScaleName, at::tensor(baseScales, at::kFloat));

    e.plan = planRows(l, la);
    const RowPlan &p = e.plan;
    e.report.name = l.name;
    e.report.channels = channels;
    e.report.groups = p.groups;
    e.report.extraRows = p.extraRows;
    const std::int64_t positions = curves.outputPositions; // 0 for a branch never taken
    e.report.macs = channels * cols * positions;
    e.report.extraMacsPredicted = la.extraMacs;
    if (p.rowsRun > 0) {
        // padding rows of grouped layers: codes 0, scale 0, added into their group's first channel
        std::vector<float> rows(static_cast<std::size_t>(p.rowsRun * cols), 0.0f);
        std::vector<float> scales(static_cast<std::size_t>(p.rowsRun), 0.0f);
        for (std::int64_t r = 0; r < p.rowsRun; ++r) {
            const auto [c, n] = p.rowPoint[r];
            if (n < 0)
                continue;
            fold(c, n, rows.data() + r * cols);
            scales[r] = d.scale(c, n);
        }
        shape[0] = p.rowsRun;
        e.extraName = id + "__mpq_extra";
        e.extraScaleName = id + "__mpq_extra_scale";
        e.rowChannelName = id + "__mpq_extra_channel";
        module.register_parameter(e.extraName, at::tensor(rows, at::kFloat).view(shape).clone(),
                                  false);
        module.register_buffer(e.extraScaleName, at::tensor(scales, at::kFloat));
        module.register_buffer(e.rowChannelName, at::tensor(p.rowChannel, at::kLong));
        if (!p.inputs.empty()) {
            e.inputIndexName = id + "__mpq_extra_inputs";
            module.register_buffer(e.inputIndexName, at::tensor(p.inputs, at::kLong));
        }
        e.report.extraRowsRun = p.rowsRun;
        e.report.extraGroups = p.extraGroups;
        e.report.extraMacsRun = p.rowsRun * cols * positions;
    }
    return e;
}

// Replaces one call site of a quantized layer by its expansion: the node's own operation on the
// folded first points with the node's bias (one operation, as in the float model), then, with
// further points, y.index_add_(channels, extra operation); the old node is destroyed.
void rewriteSite(Graph &graph, torch::jit::Module &module, Node *node, const LayerInfo &l,
                 const Expansion &e)
{
    const Site site{graph, module, node, l};
    torch::jit::WithInsertPoint guard(node);
    Value *y = nullptr;
    Value *bias = site.bias();
    if (e.plan.rowsRun == 0) {
        // the layer's own operation on the same rows: bit for bit what the quantized model runs
        y = site.op(site.input(), site.attr(e.baseName), bias);
    } else {
        // The bias after the sum of points, as the quantized model's single operation adds it
        // to the sum of its rows: with the bias inside the base operation, rounding differed
        // enough to flip activation fake-quantization levels on a detector (tst_detectionmodels).
        y = site.op(site.input(), site.attr(e.baseName), nullptr);
        y = site.addExtra(y, e.plan, e.extraName, e.rowChannelName, e.inputIndexName);
        if (bias) {
            if (!site.linear())
                bias = graph.insert(
                    c10::Symbol::fromQualString("aten::view"),
                    {bias, NamedValue(c10::IValue(l.kind == LayerKind::Conv2d
                                                      ? std::vector<std::int64_t>{-1, 1, 1}
                                                      : std::vector<std::int64_t>{-1, 1}))});
            y = graph.insert(c10::Symbol::fromQualString("aten::add_"), {y, bias});
        }
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

// The quantized model with every call of a quantized layer rewritten as base plus extra rows
// (rewriteSite), with activation fake-quantization at activationBits; `layers` gets each
// expanded layer's report, in model order.
ModelRunner expandedRunner(const Model &model, const Analysis &analysis,
                           const Allocation &allocation, const std::vector<LayerAtBits> &atBits,
                           int activationBits, std::vector<ExpandedLayer> &layers)
{
    const Model::Impl &impl = model.impl();
    ModelRunner expanded = quantizedRunner(model, analysis, allocation, atBits, activationBits);
    torch::jit::Module &module = expanded.impl().module;
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
                                                   storedDecomposition(model, analysis, atBits,
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
        layers.push_back(e.report);
    }
    return expanded;
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
    ExpandedExport result;
    ModelRunner expanded =
        expandedRunner(model, analysis, allocation, atBits, activationBits, result.layers);
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
    if (verifyImages.empty())
        return result;
    if (activationBits == 0) {
        ModelRunner inApp = quantizedRunner(model, analysis, allocation, atBits);
        result.verification = verifyExport(inApp, path, profile, verifyImages);
        return result;
    }
    // With activation fake-quantization, the float rounding of summing convolutions instead of
    // convolving summed weights moves an activation that lies within rounding of a level
    // boundary to the other level, and a detector's sorted detections then differ wholesale
    // (docs/expanded-export.md, "Guarantees and checks"). So the two parts are checked apart:
    // the file against the module it was written from (the same operations: to the last bit),
    // and the rewrite without activation quantization against the in-app quantized model.
    result.verification = verifyExport(expanded, path, profile, verifyImages);
    std::vector<ExpandedLayer> unused;
    ModelRunner plain = expandedRunner(model, analysis, allocation, atBits, 0, unused);
    ModelRunner inApp = quantizedRunner(model, analysis, allocation, atBits);
    const Verification rewrite =
        compareRunners(inApp, plain, path + ": the expanded model without activation quantization",
                       profile, verifyImages);
    result.verification.maxAbsoluteDifference =
        std::max(result.verification.maxAbsoluteDifference, rewrite.maxAbsoluteDifference);
    result.verification.maxRelativeDifference =
        std::max(result.verification.maxRelativeDifference, rewrite.maxRelativeDifference);
    return result;
}

std::int64_t exportMacMatched(const Model &model, const Analysis &analysis,
                              const Allocation &allocation, const std::string &path)
{
    const Model::Impl &impl = model.impl();
    if (allocation.layers.size() != impl.layers.size() || analysis.modelSha256 != impl.sha256 ||
        analysis.curves.size() < impl.layers.size())
        throw Error(ErrorCode::InvalidArgument,
                    "the allocation and analysis do not belong to this model");
    ModelRunner runner = floatRunner(model);
    torch::jit::Module &module = runner.impl().module;
    std::int64_t extraMacs = 0;
    c10::InferenceMode inference;
    auto graph = inlinedForward(module);
    std::vector<std::string> skipped;
    const std::map<std::string, std::size_t> layerOf = impl.layerByWeightPath();
    std::map<std::size_t, RowPlan> plans;
    for (const LayerSite &s : findLayerSites(*graph, skipped)) {
        const auto it = layerOf.find(s.weightPath);
        if (it == layerOf.end() || allocation.layers[it->second].isFloat)
            continue;
        const std::size_t i = it->second;
        const LayerInfo &l = impl.layers[i];
        const std::string id = identifier(l.name) + "__mpq_mm";
        auto found = plans.find(i);
        if (found == plans.end()) {
            found = plans.emplace(i, planRows(l, allocation.layers[i])).first;
            const RowPlan &p = found->second;
            if (p.rowsRun == 0)
                continue;
            const at::Tensor w =
                attributeValue(module, l.weightPath).toTensor().detach().to(at::kCPU, at::kFloat);
            const at::Tensor rows = at::tensor(p.rowChannel, at::kLong);
            if (p.groups == 1) {
                module.register_parameter(id, at::cat({w, w.index_select(0, rows)}).contiguous(),
                                          false);
            } else {
                module.register_parameter(id + "_base", w.clone(), false);
                std::vector<std::int64_t> shape = l.weightShape;
                shape[0] = p.rowsRun;
                module.register_parameter(id + "_extra", w.index_select(0, rows).contiguous(),
                                          false);
                module.register_buffer(id + "_channel", rows);
                if (!p.inputs.empty())
                    module.register_buffer(id + "_inputs", at::tensor(p.inputs, at::kLong));
            }
            extraMacs += p.rowsRun * l.d * analysis.curves[i].outputPositions;
        }
        const RowPlan &p = found->second;
        if (p.rowsRun == 0)
            continue;
        Site site{*graph, module, s.node, l};
        torch::jit::WithInsertPoint guard(s.node);
        Value *bias = site.bias();
        Value *y = nullptr;
        if (p.groups == 1) {
            if (bias) // zero-padded to the widened rows
                bias = graph->insert(
                    c10::Symbol::fromQualString("aten::constant_pad_nd"),
                    {bias, NamedValue(c10::IValue(std::vector<std::int64_t>{0, p.rowsRun}))});
            y = site.op(site.input(), site.attr(id), bias);
            y = graph->insert(c10::Symbol::fromQualString("aten::narrow"),
                              {y, NamedValue(c10::IValue(site.channelDim())),
                               NamedValue(c10::IValue(std::int64_t(0))),
                               NamedValue(c10::IValue(l.outChannels))});
        } else {
            y = site.op(site.input(), site.attr(id + "_base"), bias);
            y = site.addExtra(y, p, id + "_extra", id + "_channel", id + "_inputs");
        }
        s.node->output()->replaceAllUsesWith(y);
        s.node->destroy();
    }
    torch::jit::EliminateDeadCode(graph);
    runner.save(path, {});
    return extraMacs;
}

} // namespace mpq
