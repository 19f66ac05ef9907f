#include "mpq/report.h"
#include "mpq/vocabulary.h"

#include "util/atomicfile.h"
#include "util/settingsjson.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <sstream>

namespace mpq {

namespace {

nlohmann::json number(double v)
{
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
}

std::string shapeText(const std::vector<std::int64_t> &shape)
{
    std::string out;
    for (std::int64_t v : shape)
        out += (out.empty() ? "" : "x") + std::to_string(v);
    return out;
}

std::string csvField(const std::string &s)
{
    if (s.find_first_of(",\"\n") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

} // namespace

std::string reportJson(const Analysis &a, const Allocation &alloc,
                       const AllocationSettings &settings)
{
    nlohmann::json model = {{"path", a.modelPath},
                            {"sha256", a.modelSha256},
                            // the cost model of docs/multipoint.md section 4: every denominator
                            // over all quantizable layers, float and pinned ones included
                            {"weights", alloc.allWeights},
                            {"quantized_weights", alloc.quantizedWeights},
                            {"extra_weights", alloc.extraWeights},
                            {"float_weights", alloc.floatWeights},
                            {"stored_bits", alloc.storedBits},
                            {"cost_bits", alloc.costBits},
                            {"overhead", alloc.memoryOverhead},
                            {"pinned_overhead", alloc.pinnedMemoryOverhead},
                            {"macs", alloc.allMacs},
                            {"extra_macs", alloc.extraMacs},
                            {"float_macs", alloc.floatMacs},
                            {"mac_overhead", alloc.macOverhead},
                            {"pinned_mac_overhead", alloc.pinnedMacOverhead},
                            {"float_mac_share", alloc.floatMacShare},
                            {"effective_bits", alloc.effectiveBits},
                            {"total_error", number(alloc.totalError)},
                            {"bits", a.settings.bits},
                            {"max_points", a.settings.maxPoints},
                            {"rule", toWord(settings.rule)}};
    if (settings.rule == AllocationRule::Threshold) {
        model["epsilon"] = settings.epsilon;
    } else {
        model["budget"] = settings.budget;
        model["budget_cost"] = toWord(settings.cost);
    }
    nlohmann::json layers = nlohmann::json::array();
    for (std::size_t i = 0; i < alloc.layers.size(); ++i) {
        const LayerAllocation &l = alloc.layers[i];
        const LayerInfo &info = a.layers.at(i);
        layers.push_back({{"name", l.name},
                          {"kind", layerKindName(info.kind)},
                          {"shape", info.weightShape},
                          {"d", info.d},
                          {"channels", info.outChannels},
                          {"float", l.isFloat},
                          {"pinned", l.pinned},
                          {"bits", l.bits},
                          {"extra_bits", l.extraBits},
                          {"points", l.points},
                          {"mean_points", l.meanPoints},
                          {"max_points", l.maxPoints},
                          {"rel_error", l.relativeError},
                          {"sqnr_db", number(l.sqnrDb)},
                          {"weights", l.weights},
                          {"extra_weights", l.extraWeights},
                          {"stored_bits", l.storedBits},
                          {"cost_bits", l.costBits},
                          {"overhead", l.overhead},
                          {"macs", l.macs},
                          {"extra_macs", l.extraMacs},
                          {"float_macs", l.floatMacs},
                          {"mac_overhead", l.macOverhead},
                          {"effective_bits", l.effectiveBits},
                          {"output_positions", a.curves.at(i).outputPositions},
                          {"calls_per_forward", a.callsPerForward.at(i)},
                          {"folded_batchnorm", info.foldedBatchNorm}});
    }
    std::vector<std::string> warnings = a.warnings;
    warnings.insert(warnings.end(), alloc.warnings.begin(), alloc.warnings.end());
    // the complete settings, so that a report reads as a run snapshot (docs/snapshots.md);
    // readers of older reports fall back to model.rule, epsilon | budget and bits
    return nlohmann::json{{"model", model},
                          {"analysis_settings", analysisSettingsJson(a.settings)},
                          {"allocation_settings", allocationSettingsJson(settings)},
                          {"layers", layers},
                          {"warnings", warnings}}
               .dump(2) +
           "\n";
}

std::string reportCsv(const Analysis &a, const Allocation &alloc)
{
    std::ostringstream out;
    out.precision(6);
    out << "name,kind,shape,channels,d,bits,float,mean_points,max_points,overhead,mac_overhead,rel_"
           "error,"
           "sqnr_db,effective_bits,pinned,weights,stored_bits,macs,extra_macs,float_macs\n";
    for (std::size_t i = 0; i < alloc.layers.size(); ++i) {
        const LayerAllocation &l = alloc.layers[i];
        const LayerInfo &info = a.layers.at(i);
        out << csvField(l.name) << ',' << layerKindName(info.kind) << ','
            << shapeText(info.weightShape) << ',' << info.outChannels << ',' << info.d << ','
            << l.bits << ',' << (l.isFloat ? 1 : 0) << ',' << l.meanPoints << ',' << l.maxPoints
            << ',' << l.overhead << ',' << l.macOverhead << ',' << l.relativeError << ','
            << (std::isfinite(l.sqnrDb) ? std::to_string(l.sqnrDb) : "inf") << ','
            << l.effectiveBits << ',' << (l.pinned ? 1 : 0) << ',' << l.weights << ','
            << l.storedBits << ',' << l.macs << ',' << l.extraMacs << ',' << l.floatMacs << '\n';
    }
    // totals over all quantizable layers (docs/multipoint.md section 4)
    out << "TOTAL,,,,," << a.settings.bits << ",,,," << alloc.memoryOverhead << ','
        << alloc.macOverhead << ',' << alloc.totalError << ",," << alloc.effectiveBits << ",,"
        << alloc.allWeights << ',' << alloc.storedBits << ',' << alloc.allMacs << ','
        << alloc.extraMacs << ',' << alloc.floatMacs << '\n';
    return out.str();
}

void writeTextFile(const std::string &path, const std::string &text)
{
    writeFileAtomically(path, text);
}

} // namespace mpq
