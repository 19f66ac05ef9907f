#include "mpq/vocabulary.h"

#include "mpq/error.h"
#include "settingsjson.h"

#include <array>
#include <cmath>
#include <utility>

namespace mpq {

namespace {

using json = nlohmann::json;

template <class E, std::size_t N> using Words = std::array<std::pair<E, const char *>, N>;

constexpr Words<AllocationRule, 2> kRules{
    {{AllocationRule::Threshold, "threshold"}, {AllocationRule::Budget, "budget"}}};
constexpr Words<BudgetCost, 2> kCosts{{{BudgetCost::Memory, "memory"}, {BudgetCost::Macs, "macs"}}};
constexpr Words<FirstPointRule, 3> kFirstPoints{{{FirstPointRule::L2, "l2"},
                                                 {FirstPointRule::Max, "max"},
                                                 {FirstPointRule::OutputBest, "output-best"}}};
constexpr Words<SearchMethod, 2> kSearches{
    {{SearchMethod::Exact, "exact"}, {SearchMethod::Grid, "grid"}}};
constexpr Words<Rounding, 2> kRoundings{
    {{Rounding::Nearest, "nearest"}, {Rounding::OutputAware, "output-aware"}}};
constexpr Words<Method, 8> kMethods{{{Method::Multipoint, "multipoint"},
                                     {Method::RoundToNearest, "rtn"},
                                     {Method::RoundToNearestTensor, "rtn-tensor"},
                                     {Method::MseChannel, "mse"},
                                     {Method::Ocs, "ocs"},
                                     {Method::MixedPrecision, "mixed"},
                                     {Method::RoundToNearestNext, "rtn-next"},
                                     {Method::MseChannelNext, "mse-next"}}};
constexpr Words<LayerOverride::Kind, 3> kKinds{{{LayerOverride::Kind::Points, "points"},
                                                {LayerOverride::Kind::Bits, "bits"},
                                                {LayerOverride::Kind::Float, "float"}}};

template <class E, std::size_t N> const char *word(const Words<E, N> &words, E value)
{
    for (const auto &[e, w] : words)
        if (e == value)
            return w;
    return "?";
}

template <class E, std::size_t N> std::string list(const Words<E, N> &words)
{
    std::string out;
    for (std::size_t i = 0; i < N; ++i)
        out += std::string(i == 0 ? "" : i + 1 == N ? " or " : ", ") + words[i].second;
    return out;
}

template <class E, std::size_t N>
E value(const Words<E, N> &words, const std::string &w, const char *what)
{
    for (const auto &[e, text] : words)
        if (w == text)
            return e;
    throw Error(ErrorCode::InvalidArgument,
                std::string("unknown ") + what + " '" + w + "': use " + list(words));
}

[[noreturn]] void bad(const std::string &where, const std::string &key, const std::string &problem)
{
    throw Error(ErrorCode::InvalidArgument,
                where + (where.empty() ? "" : ": ") + key + ": " + problem);
}

json parse(const std::string &text, const std::string &where)
{
    try {
        return json::parse(text);
    } catch (const json::exception &e) {
        throw Error(ErrorCode::InvalidArgument, where + ": not valid JSON (" + e.what() + ")");
    }
}

int intIn(const json &j, const char *key, int lo, int hi, int fallback, const std::string &where)
{
    if (!j.contains(key))
        return fallback;
    const json &v = j.at(key);
    if (!v.is_number_integer() || v.get<long long>() < lo || v.get<long long>() > hi)
        bad(where, key,
            "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
    return v.get<int>();
}

double number(const json &j, const char *key, double fallback, const std::string &where)
{
    if (!j.contains(key))
        return fallback;
    if (!j.at(key).is_number())
        bad(where, key, "must be a number");
    return j.at(key).get<double>();
}

bool boolean(const json &j, const char *key, bool fallback, const std::string &where)
{
    if (!j.contains(key))
        return fallback;
    if (!j.at(key).is_boolean())
        bad(where, key, "must be true or false");
    return j.at(key).get<bool>();
}

template <class E> E enumIn(const json &j, const char *key, E fallback, const std::string &where)
{
    if (!j.contains(key))
        return fallback;
    if (!j.at(key).is_string())
        bad(where, key, "must be a string: " + wordList<E>());
    try {
        return fromWord<E>(j.at(key).get<std::string>());
    } catch (const Error &e) {
        bad(where, key, e.what());
    }
}

} // namespace

const char *toWord(AllocationRule v)
{
    return word(kRules, v);
}
const char *toWord(BudgetCost v)
{
    return word(kCosts, v);
}
const char *toWord(FirstPointRule v)
{
    return word(kFirstPoints, v);
}
const char *toWord(SearchMethod v)
{
    return word(kSearches, v);
}
const char *toWord(Rounding v)
{
    return word(kRoundings, v);
}
const char *toWord(Method v)
{
    return word(kMethods, v);
}
const char *toWord(LayerOverride::Kind v)
{
    return word(kKinds, v);
}

template <> AllocationRule fromWord<AllocationRule>(const std::string &w)
{
    return value(kRules, w, "allocation rule");
}
template <> BudgetCost fromWord<BudgetCost>(const std::string &w)
{
    return value(kCosts, w, "budget cost");
}
template <> FirstPointRule fromWord<FirstPointRule>(const std::string &w)
{
    return value(kFirstPoints, w, "first-point rule");
}
template <> SearchMethod fromWord<SearchMethod>(const std::string &w)
{
    return value(kSearches, w, "scale search");
}
template <> Rounding fromWord<Rounding>(const std::string &w)
{
    return value(kRoundings, w, "rounding");
}
template <> Method fromWord<Method>(const std::string &w)
{
    return value(kMethods, w, "method");
}
template <> LayerOverride::Kind fromWord<LayerOverride::Kind>(const std::string &w)
{
    return value(kKinds, w, "override kind");
}

template <> std::string wordList<AllocationRule>()
{
    return list(kRules);
}
template <> std::string wordList<BudgetCost>()
{
    return list(kCosts);
}
template <> std::string wordList<FirstPointRule>()
{
    return list(kFirstPoints);
}
template <> std::string wordList<SearchMethod>()
{
    return list(kSearches);
}
template <> std::string wordList<Rounding>()
{
    return list(kRoundings);
}
template <> std::string wordList<Method>()
{
    return list(kMethods);
}

namespace {
template <class E, std::size_t N> std::vector<std::string> all(const Words<E, N> &words)
{
    std::vector<std::string> out;
    for (const auto &[e, w] : words)
        out.push_back(w);
    return out;
}
} // namespace

template <> std::vector<std::string> words<AllocationRule>()
{
    return all(kRules);
}
template <> std::vector<std::string> words<BudgetCost>()
{
    return all(kCosts);
}
template <> std::vector<std::string> words<FirstPointRule>()
{
    return all(kFirstPoints);
}
template <> std::vector<std::string> words<SearchMethod>()
{
    return all(kSearches);
}
template <> std::vector<std::string> words<Rounding>()
{
    return all(kRoundings);
}
template <> std::vector<std::string> words<Method>()
{
    return all(kMethods);
}

const std::vector<Method> &allMethods()
{
    static const std::vector<Method> methods = [] {
        std::vector<Method> m;
        for (const auto &[e, w] : kMethods)
            m.push_back(e);
        return m;
    }();
    return methods;
}

json overridesJson(const std::map<std::string, LayerOverride> &overrides)
{
    json out = json::object();
    for (const auto &[name, o] : overrides) {
        switch (o.kind) {
        case LayerOverride::Kind::Float:
            out[name] = "float";
            break;
        case LayerOverride::Kind::Points:
            out[name] = {{"points", o.points}};
            break;
        case LayerOverride::Kind::Bits:
            out[name] = {{"bits", o.bits}};
            break;
        }
    }
    return out;
}

std::map<std::string, LayerOverride> overridesFrom(const json &j, const std::string &where)
{
    if (!j.is_object())
        throw Error(ErrorCode::InvalidArgument, where + ": the overrides must be a JSON object");
    std::map<std::string, LayerOverride> out;
    const char *expected = "expected \"float\", {\"points\": N} or {\"bits\": B}";
    for (const auto &[name, v] : j.items()) {
        LayerOverride o;
        if (v.is_string() && v.get<std::string>() == "float") {
            o.kind = LayerOverride::Kind::Float;
        } else if (v.is_object() && v.contains("kind")) { // the earlier, explicit form
            if (!v.at("kind").is_string())
                bad(where, name, expected);
            try {
                o.kind = fromWord<LayerOverride::Kind>(v.at("kind").get<std::string>());
            } catch (const Error &e) {
                bad(where, name, e.what());
            }
            o.points = intIn(v, "points", 1, 16, 1, where + ": " + name);
            o.bits = o.kind == LayerOverride::Kind::Bits
                         ? intIn(v, "bits", 2, 8, 0, where + ": " + name)
                         : 0;
            if (o.kind == LayerOverride::Kind::Bits && o.bits == 0)
                bad(where, name, "bits must be 2..8");
        } else if (v.is_object() && v.size() == 1 && v.contains("points") &&
                   v.at("points").is_number_integer()) {
            o.kind = LayerOverride::Kind::Points;
            if (v.at("points").get<long long>() < 1 || v.at("points").get<long long>() > 16)
                bad(where, name, "points must be 1..16");
            o.points = v.at("points").get<int>();
        } else if (v.is_object() && v.size() == 1 && v.contains("bits") &&
                   v.at("bits").is_number_integer()) {
            o.kind = LayerOverride::Kind::Bits;
            if (v.at("bits").get<long long>() < 2 || v.at("bits").get<long long>() > 8)
                bad(where, name, "bits must be 2..8");
            o.bits = v.at("bits").get<int>();
        } else {
            bad(where, name, expected);
        }
        out[name] = o;
    }
    return out;
}

json allocationSettingsJson(const AllocationSettings &a)
{
    return {{"bits", a.bits},
            {"rule", toWord(a.rule)},
            {"epsilon", a.epsilon},
            {"budget", a.budget},
            {"cost", toWord(a.cost)},
            {"overrides", overridesJson(a.overrides)},
            {"sensitivity_weighted", a.sensitivityWeighted},
            {"mac_cap", a.macCap},
            {"bias_correction", a.biasCorrection}};
}

AllocationSettings allocationSettingsFrom(const json &j, const std::string &where)
{
    if (!j.is_object())
        throw Error(ErrorCode::InvalidArgument, where + ": the allocation must be a JSON object");
    AllocationSettings a;
    a.bits = intIn(j, "bits", 2, 8, a.bits, where);
    a.rule = enumIn(j, "rule", a.rule, where);
    a.epsilon = number(j, "epsilon", a.epsilon, where);
    if (!(a.epsilon > 0))
        bad(where, "epsilon", "must be > 0");
    a.budget = number(j, "budget", a.budget, where);
    if (!(a.budget >= 0))
        bad(where, "budget", "must be >= 0");
    a.cost = enumIn(j, "cost", a.cost, where);
    a.sensitivityWeighted = boolean(j, "sensitivity_weighted", a.sensitivityWeighted, where);
    a.macCap = number(j, "mac_cap", a.macCap, where);
    if (std::isnan(a.macCap))
        bad(where, "mac_cap", "must be a number (negative: no cap)");
    // docs/multipoint.md section 9; files from before it have none: off
    a.biasCorrection = boolean(j, "bias_correction", a.biasCorrection, where);
    if (j.contains("overrides"))
        a.overrides = overridesFrom(j.at("overrides"), where + ": overrides");
    return a;
}

json analysisSettingsJson(const AnalysisSettings &s)
{
    return {{"bits", s.bits},
            {"max_points", s.maxPoints},
            {"search", toWord(s.search)},
            {"first_point", toWord(s.firstPoint)},
            {"calib_count", s.calibCount},
            {"batch_size", s.batchSize},
            {"seed", s.seed},
            {"activation_bits", s.activationBits},
            {"sensitivity", s.sensitivity},
            {"rounding", toWord(s.rounding)},
            {"extra_point_bits", s.extraPointBits},
            {"half_step_pair", s.halfStepPair}};
}

AnalysisSettings analysisSettingsFrom(const json &j, const std::string &where)
{
    if (!j.is_object())
        throw Error(ErrorCode::InvalidArgument, where + ": the settings must be a JSON object");
    AnalysisSettings s;
    s.bits = intIn(j, "bits", 2, 8, s.bits, where);
    s.maxPoints = intIn(j, "max_points", 1, 16, s.maxPoints, where);
    s.search = enumIn(j, "search", s.search, where);
    s.firstPoint = enumIn(j, "first_point", s.firstPoint, where);
    s.calibCount = intIn(j, "calib_count", 1, 1000000, s.calibCount, where);
    s.batchSize = intIn(j, "batch_size", 1, 4096, s.batchSize, where);
    if (j.contains("seed")) {
        // a negative integer is a number_integer too: it would wrap to a huge seed
        const json &seed = j.at("seed");
        if (!seed.is_number_unsigned() &&
            !(seed.is_number_integer() && seed.get<std::int64_t>() >= 0))
            bad(where, "seed", "must be a non-negative integer");
        s.seed = j.at("seed").get<std::uint64_t>();
    }
    s.activationBits = intIn(j, "activation_bits", 0, 16, s.activationBits, where);
    s.sensitivity = boolean(j, "sensitivity", s.sensitivity, where);
    // files from before output-aware rounding (docs/multipoint.md section 10) rounded to nearest
    s.rounding = enumIn(j, "rounding", Rounding::Nearest, where);
    // files from before extra-point bits (docs/multipoint.md section 11): the same as the bits
    s.extraPointBits = intIn(j, "extra_point_bits", 0, s.bits, 0, where);
    // files from before the half-step pair (docs/multipoint.md section 12): greedy points
    s.halfStepPair = boolean(j, "half_step_pair", false, where);
    return s;
}

std::string overridesToJson(const std::map<std::string, LayerOverride> &overrides)
{
    return overridesJson(overrides).dump(2);
}

std::map<std::string, LayerOverride> overridesFromJson(const std::string &text,
                                                       const std::string &where)
{
    return overridesFrom(parse(text, where), where);
}

std::string allocationSettingsToJson(const AllocationSettings &settings)
{
    return allocationSettingsJson(settings).dump(2);
}

AllocationSettings allocationSettingsFromJson(const std::string &text, const std::string &where)
{
    return allocationSettingsFrom(parse(text, where), where);
}

std::string analysisSettingsToJson(const AnalysisSettings &settings)
{
    return analysisSettingsJson(settings).dump(2);
}

AnalysisSettings analysisSettingsFromJson(const std::string &text, const std::string &where)
{
    return analysisSettingsFrom(parse(text, where), where);
}

} // namespace mpq
