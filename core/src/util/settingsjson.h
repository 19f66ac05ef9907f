#pragma once
// The JSON codec of mpq/vocabulary.h on nlohmann::json values, for core files that embed the
// settings in a larger document (saved analysis, export manifest). Private to core.

#include "mpq/vocabulary.h"

#include <nlohmann/json.hpp>

namespace mpq {

nlohmann::json overridesJson(const std::map<std::string, LayerOverride> &overrides);
std::map<std::string, LayerOverride> overridesFrom(const nlohmann::json &j,
                                                   const std::string &where);
nlohmann::json allocationSettingsJson(const AllocationSettings &settings);
AllocationSettings allocationSettingsFrom(const nlohmann::json &j, const std::string &where);
nlohmann::json analysisSettingsJson(const AnalysisSettings &settings);
AnalysisSettings analysisSettingsFrom(const nlohmann::json &j, const std::string &where);

} // namespace mpq
