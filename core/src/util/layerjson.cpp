#include "layerjson.h"

#include "mpq/error.h"

namespace mpq {

nlohmann::json layerFactsJson(const LayerInfo &l)
{
    return {{"name", l.name},
            {"kind", layerKindName(l.kind)},
            {"weight_shape", l.weightShape},
            {"channels", l.outChannels},
            {"d", l.d},
            {"stride", l.stride},
            {"padding", l.padding},
            {"padding_mode", l.paddingMode},
            {"dilation", l.dilation},
            {"groups", l.groups},
            {"has_bias", l.hasBias},
            {"folded_batchnorm", l.foldedBatchNorm},
            {"call_sites", l.callSites},
            {"aliases", l.aliases}};
}

LayerInfo layerFactsFrom(const nlohmann::json &j)
{
    LayerInfo l;
    l.name = j.at("name").get<std::string>();
    const std::string kind = j.at("kind").get<std::string>();
    bool known = false;
    for (LayerKind k : {LayerKind::Conv1d, LayerKind::Conv2d, LayerKind::Linear})
        if (kind == layerKindName(k)) {
            l.kind = k;
            known = true;
        }
    if (!known)
        throw Error(ErrorCode::InvalidArgument,
                    "layer " + l.name + ": unknown kind '" + kind + "'");
    // format version 1 of the saved analysis: "shape" and "out_channels"
    l.weightShape = j.at(j.contains("weight_shape") ? "weight_shape" : "shape")
                        .get<std::vector<std::int64_t>>();
    l.outChannels = j.at(j.contains("channels") ? "channels" : "out_channels").get<std::int64_t>();
    l.d = j.at("d").get<std::int64_t>();
    l.stride = j.at("stride").get<std::vector<std::int64_t>>();
    l.padding = j.at("padding").get<std::vector<std::int64_t>>();
    l.paddingMode = j.at("padding_mode").get<std::string>();
    l.dilation = j.at("dilation").get<std::vector<std::int64_t>>();
    l.groups = j.at("groups").get<std::int64_t>();
    l.hasBias = j.at("has_bias").get<bool>();
    l.foldedBatchNorm = j.at("folded_batchnorm").get<std::string>();
    l.callSites = j.at("call_sites").get<int>();
    l.aliases = j.at("aliases").get<std::vector<std::string>>();
    return l;
}

} // namespace mpq
