// Run snapshots and their diff (docs/snapshots.md). No model run: every figure is copied from
// an allocation and an evaluation already made.
#include "mpq/snapshot.h"
#include "mpq/error.h"
#include "mpq/pipeline.h"
#include "mpq/vocabulary.h"

#include "util/atomicfile.h"
#include "util/settingsjson.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <limits>
#include <sstream>

namespace mpq {

namespace {

using json = nlohmann::json;

constexpr const char *kFormat = "mpq-run-snapshot";
constexpr int kVersion = 1;

json number(double v)
{
    return std::isfinite(v) ? json(v) : json();
}

std::string nowUtc()
{
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

std::string fileNameOf(const std::string &path)
{
    const std::size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

/// The folder part common to every path ("" when none), ending with '/'.
std::string commonFolder(const std::vector<ImagePrediction> &images)
{
    if (images.empty())
        return {};
    std::string prefix = images.front().file;
    prefix = prefix.substr(0, prefix.find_last_of('/') + 1);
    for (const ImagePrediction &p : images) {
        while (!prefix.empty() && p.file.compare(0, prefix.size(), prefix) != 0) {
            prefix.pop_back();
            prefix = prefix.substr(0, prefix.find_last_of('/') + 1);
        }
    }
    return prefix;
}

const char *taskWord(Task task)
{
    return task == Task::Detection ? "detection" : "classification";
}

json detectionJson(const Detection &d)
{
    return json::array({d.x1, d.y1, d.x2, d.y2, d.label, d.score});
}

Detection detectionFrom(const json &j, const std::string &where)
{
    if (!j.is_array() || j.size() != 6)
        throw Error(ErrorCode::InvalidArgument,
                    where + ": a detection must be [x1, y1, x2, y2, class, score]");
    Detection d;
    d.x1 = j[0].get<float>();
    d.y1 = j[1].get<float>();
    d.x2 = j[2].get<float>();
    d.y2 = j[3].get<float>();
    d.label = j[4].get<int>();
    d.score = j[5].get<float>();
    return d;
}

double numberOr(const json &j, const char *key, double fallback)
{
    if (!j.contains(key) || j.at(key).is_null())
        return fallback;
    return j.at(key).get<double>();
}

SnapshotLayer layerFrom(const json &j)
{
    SnapshotLayer l;
    l.name = j.at("name").get<std::string>();
    l.isFloat = j.value("float", false);
    l.pinned = j.value("pinned", false);
    l.bits = j.value("bits", 0);
    l.meanPoints = numberOr(j, "mean_points", 0.0);
    l.maxPoints = j.value("max_points", 0);
    l.relativeError = numberOr(j, "rel_error", 0.0);
    // null: infinite (an error of 0)
    l.sqnrDb = numberOr(j, "sqnr_db", std::numeric_limits<double>::infinity());
    l.weights = j.value("weights", std::int64_t(0));
    l.costBits = j.value("cost_bits", std::int64_t(0));
    l.overhead = numberOr(j, "overhead", 0.0);
    l.macOverhead = numberOr(j, "mac_overhead", 0.0);
    l.effectiveBits = numberOr(j, "effective_bits", 32.0);
    return l;
}

json layerJson(const SnapshotLayer &l)
{
    return {{"name", l.name},
            {"float", l.isFloat},
            {"pinned", l.pinned},
            {"bits", l.bits},
            {"mean_points", l.meanPoints},
            {"max_points", l.maxPoints},
            {"rel_error", l.relativeError},
            {"sqnr_db", number(l.sqnrDb)},
            {"weights", l.weights},
            {"cost_bits", l.costBits},
            {"overhead", l.overhead},
            {"mac_overhead", l.macOverhead},
            {"effective_bits", l.effectiveBits}};
}

/// A snapshot file.
RunSnapshot fromSnapshotJson(const json &j, const std::string &where)
{
    if (j.at("version").get<int>() > kVersion)
        throw Error(ErrorCode::InvalidArgument, where + ": a run snapshot of a newer version (" +
                                                    std::to_string(j.at("version").get<int>()) +
                                                    "); this mpq reads " +
                                                    std::to_string(kVersion));
    RunSnapshot s;
    s.name = j.value("name", std::string());
    s.time = j.value("time", std::string());
    const json &model = j.at("model");
    s.modelPath = model.at("path").get<std::string>();
    s.modelSha256 = model.at("sha256").get<std::string>();
    s.hasAnalysisSettings = j.contains("analysis_settings");
    if (s.hasAnalysisSettings)
        s.analysis = analysisSettingsFrom(j.at("analysis_settings"), where + ": analysis_settings");
    s.allocation =
        allocationSettingsFrom(j.at("allocation_settings"), where + ": allocation_settings");
    for (const json &l : j.at("layers"))
        s.layers.push_back(layerFrom(l));
    const json &t = j.at("totals");
    s.totals.memoryOverhead = numberOr(t, "overhead", 0.0);
    s.totals.macOverhead = numberOr(t, "mac_overhead", 0.0);
    s.totals.effectiveBits = numberOr(t, "effective_bits", 0.0);
    s.totals.totalError = numberOr(t, "total_error", std::numeric_limits<double>::infinity());
    s.totals.floatMacShare = numberOr(t, "float_mac_share", 0.0);
    s.totals.allWeights = t.value("weights", std::int64_t(0));
    if (j.contains("evaluation") && !j.at("evaluation").is_null()) {
        const json &e = j.at("evaluation");
        s.evaluated = true;
        s.task =
            e.at("task").get<std::string>() == "detection" ? Task::Detection : Task::Classification;
        s.metricName = e.at("metric").get<std::string>();
        s.metricValue = e.at("value").get<double>();
        s.metricReference = numberOr(e, "reference", 1.0);
        s.imageRoot = e.value("image_root", std::string());
        for (const auto &[image, p] : e.at("predictions").items()) {
            SnapshotPrediction prediction;
            if (s.task == Task::Detection) {
                for (const json &d : p)
                    prediction.detections.push_back(detectionFrom(d, where + ": " + image));
            } else {
                prediction.topClass = p.at("class").get<int>();
                prediction.topScore = p.at("score").get<float>();
            }
            s.predictions[image] = prediction;
        }
    }
    return s;
}

/// A report of `mpq export --format report` or `mpq analyze --json` (mpq/report.h): reports
/// written before snapshots existed carry no analysis settings and only the rule's parameter.
RunSnapshot fromReportJson(const json &j, const std::string &where)
{
    RunSnapshot s;
    const json &model = j.at("model");
    s.modelPath = model.at("path").get<std::string>();
    s.modelSha256 = model.at("sha256").get<std::string>();
    s.name = j.value("name", fileNameOf(s.modelPath));
    s.time = j.value("time", std::string());
    if (j.contains("allocation_settings")) {
        s.allocation =
            allocationSettingsFrom(j.at("allocation_settings"), where + ": allocation_settings");
    } else {
        s.allocation.bits = model.value("bits", s.allocation.bits);
        s.allocation.rule = fromWord<AllocationRule>(model.at("rule").get<std::string>());
        s.allocation.epsilon = numberOr(model, "epsilon", s.allocation.epsilon);
        s.allocation.budget = numberOr(model, "budget", s.allocation.budget);
        if (model.contains("budget_cost"))
            s.allocation.cost = fromWord<BudgetCost>(model.at("budget_cost").get<std::string>());
    }
    s.hasAnalysisSettings = j.contains("analysis_settings");
    if (s.hasAnalysisSettings)
        s.analysis = analysisSettingsFrom(j.at("analysis_settings"), where + ": analysis_settings");
    for (const json &l : j.at("layers"))
        s.layers.push_back(layerFrom(l));
    s.totals.memoryOverhead = numberOr(model, "overhead", 0.0);
    s.totals.macOverhead = numberOr(model, "mac_overhead", 0.0);
    s.totals.effectiveBits = numberOr(model, "effective_bits", 0.0);
    s.totals.totalError = numberOr(model, "total_error", std::numeric_limits<double>::infinity());
    s.totals.floatMacShare = numberOr(model, "float_mac_share", 0.0);
    s.totals.allWeights = model.value("weights", std::int64_t(0));
    return s;
}

double pointsOf(const SnapshotLayer &l)
{
    return l.isFloat ? 0.0 : l.meanPoints;
}

/// Greedy matching of detections (highest score first) by `accept`; returns, per detection of
/// `a`, the index of its match in `b` or -1, and marks the matched ones of b.
std::vector<int> matchDetections(const std::vector<Detection> &a, const std::vector<Detection> &b,
                                 std::vector<bool> &takenA, std::vector<bool> &takenB,
                                 bool sameClass, double minIou)
{
    std::vector<std::size_t> order(a.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t x, std::size_t y) { return a[x].score > a[y].score; });
    std::vector<int> match(a.size(), -1);
    for (std::size_t i : order) {
        if (takenA[i])
            continue;
        double best = 0.0;
        int bestJ = -1;
        for (std::size_t j = 0; j < b.size(); ++j) {
            if (takenB[j] || (sameClass && b[j].label != a[i].label))
                continue;
            const double iou = intersectionOverUnion(a[i], b[j]);
            if (iou > 0.0 && iou >= minIou && (bestJ < 0 || iou > best)) {
                best = iou;
                bestJ = int(j);
            }
        }
        if (bestJ >= 0) {
            match[i] = bestJ;
            takenA[i] = true;
            takenB[std::size_t(bestJ)] = true;
        }
    }
    return match;
}

PredictionChange comparePrediction(const std::string &image, const SnapshotPrediction &a,
                                   const SnapshotPrediction &b, Task task)
{
    PredictionChange c;
    c.image = image;
    c.a = a;
    c.b = b;
    if (task == Task::Classification) {
        c.classChanged = a.topClass != b.topClass;
        if (c.classChanged)
            c.magnitude = 1.0 + 0.5 * (double(a.topScore) + double(b.topScore));
        return c;
    }
    std::vector<bool> takenA(a.detections.size(), false), takenB(b.detections.size(), false);
    // unchanged: same class at IoU >= 0.5
    matchDetections(a.detections, b.detections, takenA, takenB, true, 0.5);
    double score = 0.0;
    // moved: overlapping what is left of the other side (any class, any IoU > 0)
    const std::vector<int> moved =
        matchDetections(a.detections, b.detections, takenA, takenB, false, 0.0);
    for (std::size_t i = 0; i < a.detections.size(); ++i) {
        if (moved[i] >= 0) {
            ++c.moved;
            score += a.detections[i].score;
        } else if (!takenA[i]) {
            ++c.lost;
            score += a.detections[i].score;
        }
    }
    for (std::size_t j = 0; j < b.detections.size(); ++j)
        if (!takenB[j]) {
            ++c.added;
            score += b.detections[j].score;
        }
    const int changed = c.lost + c.added + c.moved;
    // the count first; the scores of what changed break ties (each below 1)
    if (changed > 0)
        c.magnitude = changed + score / (1.0 + score);
    return c;
}

} // namespace

RunSnapshot snapshotOf(const Quantization &q, const std::string &name,
                       const EvaluationResult *evaluation)
{
    RunSnapshot s;
    s.name = name;
    s.time = nowUtc();
    const Analysis &a = *q.analysis;
    s.modelPath = a.modelPath;
    s.modelSha256 = a.modelSha256;
    s.hasAnalysisSettings = true;
    s.analysis = a.settings;
    s.allocation = q.settings;
    const Allocation &alloc = q.allocation;
    for (const LayerAllocation &l : alloc.layers) {
        SnapshotLayer out;
        out.name = l.name;
        out.bits = l.bits;
        out.isFloat = l.isFloat;
        out.pinned = l.pinned;
        out.meanPoints = l.meanPoints;
        out.maxPoints = l.maxPoints;
        out.relativeError = l.relativeError;
        out.sqnrDb = l.sqnrDb;
        out.weights = l.weights;
        out.costBits = l.costBits;
        out.overhead = l.overhead;
        out.macOverhead = l.macOverhead;
        out.effectiveBits = l.effectiveBits;
        s.layers.push_back(out);
    }
    s.totals.memoryOverhead = alloc.memoryOverhead;
    s.totals.macOverhead = alloc.macOverhead;
    s.totals.effectiveBits = alloc.effectiveBits;
    s.totals.totalError = alloc.totalError;
    s.totals.floatMacShare = alloc.floatMacShare;
    s.totals.allWeights = alloc.allWeights;
    if (evaluation) {
        s.evaluated = true;
        s.task = evaluation->task;
        const TaskMetric metric = taskMetric(*evaluation);
        s.metricName = metric.name;
        s.metricValue = metric.value;
        s.metricReference = metric.reference;
        const std::string root = commonFolder(evaluation->images);
        for (const ImagePrediction &p : evaluation->images) {
            SnapshotPrediction prediction;
            if (evaluation->task == Task::Detection) {
                prediction.detections = p.quantizedDetections;
            } else if (!p.quantizedProbabilities.empty()) {
                const auto top = std::max_element(p.quantizedProbabilities.begin(),
                                                  p.quantizedProbabilities.end());
                prediction.topClass = int(top - p.quantizedProbabilities.begin());
                prediction.topScore = *top;
            }
            s.predictions[p.file.substr(root.size())] = prediction;
        }
        s.imageRoot = root;
    }
    return s;
}

std::string defaultSnapshotName(const AllocationSettings &settings)
{
    std::ostringstream out;
    out << settings.bits << " bits, ";
    if (settings.rule == AllocationRule::Budget) {
        out << "budget " << settings.budget * 100.0 << " %";
        if (settings.cost == BudgetCost::Macs)
            out << " MACs";
    } else {
        out << "epsilon " << settings.epsilon;
    }
    if (!settings.overrides.empty())
        out << ", " << settings.overrides.size()
            << (settings.overrides.size() == 1 ? " override" : " overrides");
    return out.str();
}

std::string snapshotToJson(const RunSnapshot &s)
{
    json layers = json::array();
    for (const SnapshotLayer &l : s.layers)
        layers.push_back(layerJson(l));
    json j = {{"format", kFormat},
              {"version", kVersion},
              {"name", s.name},
              {"time", s.time},
              {"model", {{"path", s.modelPath}, {"sha256", s.modelSha256}}},
              {"allocation_settings", allocationSettingsJson(s.allocation)},
              {"layers", layers},
              {"totals",
               {{"overhead", s.totals.memoryOverhead},
                {"mac_overhead", s.totals.macOverhead},
                {"effective_bits", s.totals.effectiveBits},
                {"total_error", number(s.totals.totalError)},
                {"float_mac_share", s.totals.floatMacShare},
                {"weights", s.totals.allWeights}}}};
    if (s.hasAnalysisSettings)
        j["analysis_settings"] = analysisSettingsJson(s.analysis);
    if (s.evaluated) {
        json predictions = json::object();
        for (const auto &[image, p] : s.predictions) {
            if (s.task == Task::Detection) {
                json boxes = json::array();
                for (const Detection &d : p.detections)
                    boxes.push_back(detectionJson(d));
                predictions[image] = boxes;
            } else {
                predictions[image] = {{"class", p.topClass}, {"score", p.topScore}};
            }
        }
        j["evaluation"] = {{"task", taskWord(s.task)},  {"metric", s.metricName},
                           {"value", s.metricValue},    {"reference", s.metricReference},
                           {"image_root", s.imageRoot}, {"predictions", predictions}};
    }
    return j.dump(1) + "\n";
}

RunSnapshot snapshotFromJson(const std::string &text, const std::string &where)
{
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception &e) {
        throw Error(ErrorCode::InvalidArgument,
                    where + ": not a run snapshot or report of mpq (not JSON: " + e.what() + ")");
    }
    try {
        if (j.is_object() && j.value("format", std::string()) == kFormat)
            return fromSnapshotJson(j, where);
        if (j.is_object() && j.contains("model") && j.contains("layers") &&
            j.at("model").is_object() && j.at("model").contains("sha256"))
            return fromReportJson(j, where);
    } catch (const json::exception &e) {
        throw Error(ErrorCode::InvalidArgument, where + ": damaged run snapshot: " + e.what());
    }
    throw Error(ErrorCode::InvalidArgument,
                where + ": not a run snapshot or report of mpq (no \"format\": \"" + kFormat +
                    "\" and no report model/layers)");
}

void saveSnapshot(const RunSnapshot &snapshot, const std::string &path)
{
    writeFileAtomically(path, snapshotToJson(snapshot));
}

RunSnapshot loadSnapshot(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::Io, path + ": cannot read the file (missing or no permission)");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        throw Error(ErrorCode::Io, path + ": cannot read the file");
    return snapshotFromJson(text.str(), path);
}

SnapshotDiff diffSnapshots(const RunSnapshot &a, const RunSnapshot &b)
{
    SnapshotDiff d;
    d.sameModel = a.modelSha256 == b.modelSha256;
    if (!d.sameModel)
        d.modelNote = "different models: " + fileNameOf(a.modelPath) + " (" +
                      a.modelSha256.substr(0, 8) + ") and " + fileNameOf(b.modelPath) + " (" +
                      b.modelSha256.substr(0, 8) + ")";
    d.a = a.totals;
    d.b = b.totals;
    d.metricCompared = a.evaluated && b.evaluated && a.metricName == b.metricName;
    if (d.metricCompared) {
        d.metricName = a.metricName;
        d.metricA = a.metricValue;
        d.metricB = b.metricValue;
    }

    // layers in a's order, then those only in b
    std::map<std::string, const SnapshotLayer *> inB;
    for (const SnapshotLayer &l : b.layers)
        inB[l.name] = &l;
    std::map<std::string, bool> seen;
    const double errorScale = std::max({a.totals.totalError, b.totals.totalError, 1e-300});
    // the model's memory overhead denominator b * all weights (docs/multipoint.md section 4)
    const double costScale =
        double(std::max(a.allocation.bits, 1)) *
        double(std::max<std::int64_t>(std::max(a.totals.allWeights, b.totals.allWeights), 1));
    auto addChange = [&](const SnapshotLayer *la, const SnapshotLayer *lb) {
        LayerChange c;
        c.name = la ? la->name : lb->name;
        c.inA = la != nullptr;
        c.inB = lb != nullptr;
        if (la)
            c.a = *la;
        if (lb)
            c.b = *lb;
        if (!la || !lb) {
            c.magnitude = std::numeric_limits<double>::infinity();
            d.layers.push_back(c);
            return;
        }
        c.pointsDelta = pointsOf(*lb) - pointsOf(*la);
        c.errorDelta = lb->relativeError - la->relativeError;
        c.sqnrDelta = std::isfinite(la->sqnrDb) && std::isfinite(lb->sqnrDb)
                          ? lb->sqnrDb - la->sqnrDb
                          : std::numeric_limits<double>::quiet_NaN();
        c.costBitsDelta = lb->costBits - la->costBits;
        c.overheadDelta = double(c.costBitsDelta) / costScale;
        const bool changed = la->isFloat != lb->isFloat || la->bits != lb->bits ||
                             c.pointsDelta != 0.0 || c.errorDelta != 0.0 || c.costBitsDelta != 0 ||
                             la->maxPoints != lb->maxPoints;
        if (!changed) {
            ++d.unchangedLayers;
            return;
        }
        c.magnitude = std::abs(c.errorDelta) / errorScale + std::abs(c.overheadDelta);
        d.layers.push_back(c);
    };
    for (const SnapshotLayer &l : a.layers) {
        seen[l.name] = true;
        const auto it = inB.find(l.name);
        addChange(&l, it == inB.end() ? nullptr : it->second);
    }
    for (const SnapshotLayer &l : b.layers)
        if (!seen.count(l.name))
            addChange(nullptr, &l);
    std::stable_sort(
        d.layers.begin(), d.layers.end(),
        [](const LayerChange &x, const LayerChange &y) { return x.magnitude > y.magnitude; });

    d.predictionsCompared = a.evaluated && b.evaluated && a.task == b.task;
    if (d.predictionsCompared) {
        for (const auto &[image, pa] : a.predictions) {
            const auto it = b.predictions.find(image);
            if (it == b.predictions.end())
                continue;
            ++d.imagesCompared;
            PredictionChange c = comparePrediction(image, pa, it->second, a.task);
            if (c.magnitude > 0.0)
                d.images.push_back(c);
        }
        std::stable_sort(d.images.begin(), d.images.end(),
                         [](const PredictionChange &x, const PredictionChange &y) {
                             return x.magnitude > y.magnitude;
                         });
    }
    return d;
}

} // namespace mpq
