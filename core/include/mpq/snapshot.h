#pragma once
// Run snapshots and their diff (docs/snapshots.md): a pinned run's settings, per-layer figures,
// totals and, when it was evaluated, its task metric and quantized predictions per image, kept
// as a plain value with a JSON codec, and the comparison of two of them that `mpq diff` prints
// and the desktop app's diff window shows.

#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/eval.h"
#include "mpq/evaluation.h"
#include "mpq/profile.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mpq {

struct Quantization; // mpq/pipeline.h

/// One layer's figures in a snapshot (mpq::LayerAllocation's, without the per-channel points).
struct SnapshotLayer
{
    std::string name;
    int bits = 0; ///< 0 when float
    bool isFloat = false;
    bool pinned = false;
    double meanPoints = 0.0;
    int maxPoints = 0;
    double relativeError = 0.0;
    double sqnrDb = 0.0; ///< +inf when the relative error is 0
    std::int64_t weights = 0;
    std::int64_t costBits = 0;
    double overhead = 0.0;
    double macOverhead = 0.0;
    double effectiveBits = 32.0;
};

/// The model totals of a snapshot (mpq::Allocation's, docs/multipoint.md section 4).
struct SnapshotTotals
{
    double memoryOverhead = 0.0;
    double macOverhead = 0.0;
    double effectiveBits = 0.0;
    double totalError = 0.0;
    double floatMacShare = 0.0;
    std::int64_t allWeights = 0; ///< sum W_l over all quantizable layers
};

/// The quantized model's prediction on one image, in a form two runs can be compared by:
/// the top-1 class and its probability (classifiers), or the detections above the profile's
/// score threshold (detectors).
struct SnapshotPrediction
{
    int topClass = -1;
    float topScore = 0.0f;
    std::vector<Detection> detections;
};

struct RunSnapshot
{
    std::string name;
    std::string time; ///< ISO 8601, UTC ("2026-12-03T16:10:00Z"); may be empty (old report)
    std::string modelPath;
    std::string modelSha256;
    bool hasAnalysisSettings = false; ///< false for reports written before snapshots existed
    AnalysisSettings analysis;
    AllocationSettings allocation; ///< rule, epsilon, budget, cost, bits, overrides
    std::vector<SnapshotLayer> layers;
    SnapshotTotals totals;
    bool evaluated = false; ///< the fields below are filled
    Task task = Task::Classification;
    std::string metricName; ///< mpq::TaskMetric::name
    double metricValue = 0.0;
    double metricReference = 1.0;
    /// by image path relative to the folder common to all evaluated images
    std::map<std::string, SnapshotPrediction> predictions;
    std::string imageRoot; ///< that folder, ending with '/' (where the images were)
};

/// A snapshot of a quantization, named `name`, stamped with the current time. `evaluation`,
/// when given, must be the evaluation of this quantization (the caller's promise): its task
/// metric (mpq::taskMetric) and quantized predictions are kept.
RunSnapshot snapshotOf(const Quantization &q, const std::string &name,
                       const EvaluationResult *evaluation = nullptr);

/// A default name for a snapshot: "4 bits, budget 5 %" or "4 bits, epsilon 0.001", with
/// ", N overrides" when there are any.
std::string defaultSnapshotName(const AllocationSettings &settings);

/// JSON form {"format": "mpq-run-snapshot", "version": 1, ...} (docs/snapshots.md).
std::string snapshotToJson(const RunSnapshot &snapshot);
/// Reads a snapshot, or a report of `mpq export --format report` / `mpq analyze --json`
/// (its model file name is the name, unless the report carries one). Throws
/// Error(InvalidArgument, "<where>: ...") for anything else or a damaged file.
RunSnapshot snapshotFromJson(const std::string &text, const std::string &where);
/// Writes snapshotToJson atomically; Error(Io, "<path>: ...") on failure.
void saveSnapshot(const RunSnapshot &snapshot, const std::string &path);
/// Reads a snapshot or report file: Error(Io, "<path>: cannot read ...") for a missing or
/// unreadable file, else as snapshotFromJson with the path as `where`.
RunSnapshot loadSnapshot(const std::string &path);

/// One layer in the comparison of two snapshots. Deltas are b - a.
struct LayerChange
{
    std::string name;
    bool inA = false, inB = false;
    SnapshotLayer a, b; ///< valid where inA / inB
    double pointsDelta = 0.0;
    double errorDelta = 0.0;
    double sqnrDelta = 0.0; ///< NaN when either side is infinite
    std::int64_t costBitsDelta = 0;
    double overheadDelta = 0.0; ///< of the model: costBitsDelta / (b * all weights)
    /// |errorDelta| / the larger total error + |overheadDelta|: the share of the model's error
    /// and of its memory that moved; +inf for a layer on one side only
    double magnitude = 0.0;
};

/// One image whose predictions differ.
struct PredictionChange
{
    std::string image;
    SnapshotPrediction a, b;
    bool classChanged = false; ///< classifiers: top-1 class differs
    int lost = 0;              ///< detections of a with no counterpart in b
    int added = 0;             ///< detections of b with no counterpart in a
    int moved = 0;             ///< overlapping a detection of a, but IoU < 0.5 or another class
    double magnitude = 0.0;    ///< the sort key: changed detections (or 1 for a class) + scores
};

struct SnapshotDiff
{
    bool sameModel = true;       ///< same model SHA-256
    std::string modelNote;       ///< what differs ("different models: a.pt (1234abcd) and ...")
    SnapshotTotals a, b;         ///< totals
    bool metricCompared = false; ///< both evaluated with the same metric
    std::string metricName;
    double metricA = 0.0, metricB = 0.0;
    std::vector<LayerChange> layers; ///< changed layers only, largest magnitude first
    int unchangedLayers = 0;
    bool predictionsCompared = false;     ///< both evaluated
    int imagesCompared = 0;               ///< images present in both
    std::vector<PredictionChange> images; ///< differing images, largest magnitude first
};

/// Compares two snapshots (docs/snapshots.md, "Diff"). A detection matches one of the other
/// side with the same class at IoU >= 0.5 (greedy, highest score first).
SnapshotDiff diffSnapshots(const RunSnapshot &a, const RunSnapshot &b);

} // namespace mpq
