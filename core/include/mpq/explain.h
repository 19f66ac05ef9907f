#pragma once
// Why did this prediction flip (issue 15, docs/ui.md "Explain a flipped prediction"): the layers
// whose quantization changes one image's prediction, a 1-minimal set in the sense of delta
// debugging (Zeller and Hildebrandt's ddmin) found by a search over the quantized layers ranked by
// their estimated effect (rankedMinimalSet), each test one forward on that image with a
// candidate set of layers restored to float (or given one more point per channel) and every
// other layer as allocated.

#include "mpq/allocation.h"
#include "mpq/evaluation.h"
#include "mpq/jobcontrol.h"
#include "mpq/pipeline.h"

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace mpq {

enum class ExplainMode {
    RestoreFloat, ///< a tested layer runs its float weight; it becomes a Float override
    AddPoint,     ///< a tested layer gets one more point on every channel (up to the analysis'
                  ///< maxPoints); it becomes a Points override of its largest n_c + 1
};
/// "restore-float", "add-point".
const char *explainModeName(ExplainMode mode);

enum class ExplainOutcome {
    Explained,     ///< `layers` is a set that restores the float prediction
    NotFlipped,    ///< the quantized prediction already matches the float one
    CannotExplain, ///< no set of layers does it in this mode (`reason` says why)
};

struct ExplainOptions
{
    /// Detectors: boxes scored at or above it are compared; < 0: the profile's threshold.
    double scoreThreshold = -1.0;
};

struct FlipExplanation
{
    ExplainOutcome outcome = ExplainOutcome::CannotExplain;
    ExplainMode mode = ExplainMode::RestoreFloat;
    std::string reason; ///< plain words when not Explained
    Task task = Task::Classification;
    double scoreThreshold = 0.0; ///< the one the detections were compared at

    /// The set, in the model's layer order, and the overrides that apply it.
    std::vector<std::string> layers;
    std::map<std::string, LayerOverride> overrides;
    /// Verified after the search: dropping any single layer of the set no longer restores the
    /// prediction (ddmin's 1-minimality).
    bool oneMinimal = false;
    int candidates = 0; ///< the layers searched over (those whose quantization this mode changes)
    int forwards = 0;   ///< model runs on the image, float and as allocated included
    /// The shortest prefix of the candidates ranked by their estimated effect (relative output
    /// error, or its drop with one more point) that restores the prediction; the set is drawn
    /// from it (rankedMinimalSet).
    int prefix = 0;

    /// The allocation with `overrides` added (mpq::reallocate: milliseconds, no model run)
    /// against the current one (docs/multipoint.md section 4).
    double memoryOverheadBefore = 0.0, macOverheadBefore = 0.0;
    double memoryOverhead = 0.0, macOverhead = 0.0;
    /// the share of all MACs that runs in float (layers restored to float): shown apart, never
    /// charged to a MAC budget (docs/multipoint.md section 4)
    double floatMacShareBefore = 0.0, floatMacShare = 0.0;

    /// float and quantized (as allocated) predictions on the image, as the Preview has them
    ImagePrediction prediction;
    /// the prediction with the set applied and every other layer as allocated
    std::vector<float> restoredProbabilities;
    std::vector<Detection> restoredDetections;
    /// The allocation with the overrides (under the budget rule other layers may lose points
    /// to pay for them) run once more: does it still give the float prediction?
    bool appliedRestores = false;
};

/// Explains why the quantization changes the prediction on `imagePath` (see the top of this
/// file). The predicate "prediction restored": classifiers, the same top-1 class as float;
/// detectors, every float box at or above the threshold matched one to one by a box of the same
/// class with IoU >= 0.5, and no other box at or above it. First checks that the prediction
/// flipped and that applying every candidate layer restores it, then ranks the candidates by
/// their estimated effect and runs rankedMinimalSet (a 1-minimal set, verified). Progress per
/// forward; cancellable (Error(Cancelled)). Throws Error
/// (BadImage) for an unreadable image, Error(BadProfile) without a profile, Error(BadModel) when
/// a forward fails.
FlipExplanation explainFlip(const OpenedModel &opened, const Quantization &quantization,
                            const std::string &imagePath, ExplainMode mode,
                            const JobControl &control = {}, const ExplainOptions &options = {});

/// True when the float and quantized fields of `p` agree under the predicate above.
bool samePrediction(const ImagePrediction &p, Task task, double scoreThreshold);

struct DeltaDebugResult
{
    std::vector<std::size_t> set; ///< ascending indices into 0..count-1
    bool oneMinimal = false;      ///< every set minus one element was tested and fails
    int tests = 0;                ///< distinct subsets tested (repeats come from a cache)
    int prefix = 0;               ///< rankedMinimalSet: the shortest passing prefix of the ranking
};

/// ddmin (Zeller and Hildebrandt, 2002) for a set that makes `test` true: `test(all of 0..count-1)`
/// is taken to be true and the empty set false (not tested). Subsets are contiguous runs of
/// indices, then their complements, with granularity doubling up to single elements. Finally
/// checks every set minus one element (cached) for `oneMinimal`. `control` is polled before each
/// test (Error(Cancelled)).
DeltaDebugResult deltaDebug(std::size_t count,
                            const std::function<bool(const std::vector<std::size_t> &)> &test,
                            const JobControl &control = {});

/// The search explainFlip runs (docs/ui.md "Explain a flipped prediction"), for a 1-minimal set
/// of the elements of `rank` (distinct indices, the most likely to matter first) that makes
/// `test` true; `test(all of rank)` is taken to be true and the empty set false (not tested).
/// Subsets are passed as ascending index lists; repeats come from a cache.
/// 1. Binary search for the shortest prefix of `rank` that passes: ceil(log2 n) tests.
/// 2. Drops elements of that prefix from its least likely end, in runs that double while
///    dropping passes; a run that fails is binary-searched for the last element that must stay:
///    about 2 log2 r + 1 tests for a run of r dropped and the element kept after it.
/// 3. Tests the set minus each one of its elements (mostly cached from step 2) and drops any
///    that can go, until none can: `oneMinimal` holds by construction, even for a test that is
///    not monotone.
/// On a monotone test with the elements needed among the first p of the ranking, at most
/// ceil(log2 n) + 2p tests (ddmin: often more, e.g. 317 forwards where this takes 95 on the demo
/// detector, docs/BENCHMARKS.md "Flip explanation"). `control` is polled before each test
/// (Error(Cancelled)); its progress gets the fraction of the tests left by the steps' bounds,
/// its stage each step's name.
DeltaDebugResult rankedMinimalSet(const std::vector<std::size_t> &rank,
                                  const std::function<bool(const std::vector<std::size_t> &)> &test,
                                  const JobControl &control = {});

} // namespace mpq
