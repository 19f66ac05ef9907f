#pragma once
// One vocabulary for every front end and file: each enum's word and back, and one JSON codec
// for the settings that files carry (the saved analysis, the project file, `mpq --overrides`,
// the export manifests). A word or key spelled in two places drifts; spell it here.

#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/methods.h"
#include "mpq/multipoint.h"

#include <map>
#include <string>
#include <vector>

namespace mpq {

/// "threshold", "budget"
const char *toWord(AllocationRule rule);
/// "memory", "macs"
const char *toWord(BudgetCost cost);
/// "l2", "max", "output-best"
const char *toWord(FirstPointRule rule);
/// "exact", "grid"
const char *toWord(SearchMethod search);
/// "nearest", "output-aware"
const char *toWord(Rounding rounding);
/// "multipoint", "rtn", "rtn-tensor", "mse", "ocs", "mixed"
const char *toWord(Method method);
/// "points", "bits", "float"
const char *toWord(LayerOverride::Kind kind);

/// The enum value of a word (exact, lower case). Throws Error(InvalidArgument) with
/// "unknown <what> '<word>': use a, b or c" for any other word.
template <class E> E fromWord(const std::string &word);
template <> AllocationRule fromWord<AllocationRule>(const std::string &word);
template <> BudgetCost fromWord<BudgetCost>(const std::string &word);
template <> FirstPointRule fromWord<FirstPointRule>(const std::string &word);
template <> SearchMethod fromWord<SearchMethod>(const std::string &word);
template <> Rounding fromWord<Rounding>(const std::string &word);
template <> Method fromWord<Method>(const std::string &word);
template <> LayerOverride::Kind fromWord<LayerOverride::Kind>(const std::string &word);

/// Every word of an enum, in declaration order, joined as "a, b or c" (for help texts).
template <class E> std::string wordList();
template <> std::string wordList<AllocationRule>();
template <> std::string wordList<BudgetCost>();
template <> std::string wordList<FirstPointRule>();
template <> std::string wordList<SearchMethod>();
template <> std::string wordList<Rounding>();
template <> std::string wordList<Method>();

/// Every word of an enum, in declaration order.
template <class E> std::vector<std::string> words();
template <> std::vector<std::string> words<AllocationRule>();
template <> std::vector<std::string> words<BudgetCost>();
template <> std::vector<std::string> words<FirstPointRule>();
template <> std::vector<std::string> words<SearchMethod>();
template <> std::vector<std::string> words<Rounding>();
template <> std::vector<std::string> words<Method>();

/// All methods, in the order the comparison shows them.
const std::vector<Method> &allMethods();

/// The overrides as JSON text: {"layer": "float" | {"points": N} | {"bits": B}}.
std::string overridesToJson(const std::map<std::string, LayerOverride> &overrides);
/// Parses that form (an earlier form {"kind": "points", "points": N, "bits": B} is read too).
/// Throws Error(InvalidArgument, "<where>: <layer>: <problem>") for malformed text, points
/// outside 1..16 or bits outside 2..8.
std::map<std::string, LayerOverride> overridesFromJson(const std::string &text,
                                                       const std::string &where);

/// The allocation settings as JSON text:
/// {"bits", "rule", "epsilon", "budget", "cost", "overrides", "sensitivity_weighted",
/// "mac_cap", "bias_correction"} (overrides as above).
std::string allocationSettingsToJson(const AllocationSettings &settings);
/// Parses that form; a missing key keeps the default of AllocationSettings. Throws
/// Error(InvalidArgument, "<where>: <key>: <problem>") for a wrong type or value (epsilon <= 0,
/// budget < 0, bits outside 2..8, an unknown rule or cost).
AllocationSettings allocationSettingsFromJson(const std::string &text, const std::string &where);

/// The analysis settings as JSON text: {"bits", "max_points", "search", "first_point",
/// "calib_count", "batch_size", "seed", "activation_bits", "sensitivity"}; parsing like the
/// above.
std::string analysisSettingsToJson(const AnalysisSettings &settings);
AnalysisSettings analysisSettingsFromJson(const std::string &text, const std::string &where);

} // namespace mpq
