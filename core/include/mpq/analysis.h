#pragma once

#include "mpq/allocation.h"
#include "mpq/jobcontrol.h"
#include "mpq/model.h"
#include "mpq/multipoint.h"
#include "mpq/profile.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mpq {

/// The first point of each channel (docs/multipoint.md section 3, first-point rule).
enum class FirstPointRule {
    L2,         ///< the exact (or grid) step
    Max,        ///< max-scaled rounding
    OutputBest, ///< per channel, whichever of the two gives the lower output error e_c(1)
};

/// How the codes of each point are rounded (docs/multipoint.md section 10).
enum class Rounding {
    Nearest,     ///< every code the nearest level (the paper's rounding)
    OutputAware, ///< column by column, each rounding error fed back through the input Gram
};

/// Whether an analysis measures output sensitivity unless told otherwise (defined in
/// allocation.cpp).
extern const bool kSensitivityDefault;

/// Everything that determines an analysis' result. Copied into the job when it starts.
struct AnalysisSettings
{
    int bits = 4;
    int maxPoints = 8;
    SearchMethod search = SearchMethod::Exact;
    FirstPointRule firstPoint = FirstPointRule::L2;
    int calibCount = 64;    ///< images used (at most)
    int batchSize = 8;      ///< images per forward; bounds the activation memory
    std::uint64_t seed = 0; ///< the choice of calibration images
    int activationBits = 0; ///< 0: off; else fake-quantize layer inputs when running
    /// Measure each channel's output sensitivity w_c (docs/multipoint.md section 8) into
    /// LayerCurves::sensitivity: one backward pass per batch. Default kSensitivityDefault.
    bool sensitivity = kSensitivityDefault;
    /// Output-aware rounding: one more pass over the calibration images measures each layer's
    /// input Gram before the decomposition; also used by per-layer mixed precision's single
    /// points (layersAtBits), so the two compare at the same rounding.
    Rounding rounding = Rounding::Nearest;
    /// The bits of each point after a channel's first (docs/multipoint.md section 11): 0 the
    /// same as `bits` (the paper); 1 sign points; else 2..bits. A Bits pin below it caps it.
    int extraPointBits = 0;
    /// The half-step pair (docs/multipoint.md section 12): with one-bit extra points, each
    /// channel's first two points rounded together on a (b+1)-bit grid less one level, its one
    /// point kept as the best single point (DecomposeOptions::halfStepPair). Needs
    /// extraPointBits 1.
    bool halfStepPair = false;
};

/// Per-tensor affine range of a layer's input over the calibration images.
struct ActivationRange
{
    float min = 0.0f;
    float max = 0.0f;
};

/// The result of analysing a model on calibration images. Immutable once made; share freely.
struct Analysis
{
    std::string modelPath;
    std::string modelSha256;
    AnalysisSettings settings;
    std::vector<LayerInfo> layers;
    std::vector<MatrixDecomposition> decompositions; ///< per layer, of the folded weight
    /// per layer and channel: 1 when the channel's first point is max-scaled (Max, OutputBest)
    std::vector<std::vector<std::uint8_t>> maxFirst;
    std::vector<LayerCurves> curves;           ///< per layer, at settings.bits
    std::vector<ActivationRange> activations;  ///< per layer
    std::vector<double> callsPerForward;       ///< per layer: how often it ran per forward
    std::vector<std::string> calibrationFiles; ///< the images actually used
    std::vector<std::string> warnings;         ///< skipped images, layers left float, dead channels
    double seconds = 0.0;                      ///< wall time of the analysis
};

/// Decomposes every layer, runs the float model on the chosen images in batches and
/// accumulates s_c and e_c(n) per channel (docs/multipoint.md section 3). Memory is bounded by one
/// batch of activations. Unreadable images are skipped with a warning naming them.
/// Progress: control.progress gets the overall fraction; control.stage the stage name
/// ("decomposing", "calibrating"). Throws Error: BadImage (no readable image), BadModel (the
/// forward fails on the profile's input), Cancelled, InvalidArgument (settings).
Analysis analyze(const Model &model, const ModelProfile &profile,
                 const std::vector<std::string> &imageFiles, const AnalysisSettings &settings,
                 const JobControl &control = {});

/// One layer decomposed and measured at other bits than the analysis' (a Bits override, or
/// the MSE-optimal single point of per-layer mixed precision). The curves describe exactly the
/// decomposition stored: with the output-best first point, channel c's decomposition is the
/// max-first one where maxFirst[c] != 0, else the L2 one, and e_c(n) is measured on that one
/// (docs/multipoint.md section 3, first-point rule). Immutable once made; share freely.
struct LayerAtBits
{
    std::size_t layer = 0; ///< index into model.layers() (and analysis.layers)
    int bits = 0;
    LayerCurves curves;                 ///< at `bits`, curves.name = the layer's name
    MatrixDecomposition decomposition;  ///< of the folded weight, at `bits`
    std::vector<std::uint8_t> maxFirst; ///< per channel: 1 when its first point is max-scaled
    /// What the measurement that made it warned of, each once: calibration images of the
    /// analysis it could not read (gone or damaged since), layers rounded to nearest, dead
    /// channels. measurementWarnings() gathers them for a user.
    std::vector<std::string> warnings;
};

/// Decomposes the given layers (indices into model.layers()) at `bits` and runs the analysis'
/// calibration images again, recording only them: one decomposition and its curves per layer,
/// in the order given. The decomposition settings (maxPoints, search, firstPoint) and batchSize
/// are the analysis' unless `settings` is given (its bits, calibCount and seed are not used:
/// the images are the analysis' calibrationFiles). Per-layer mixed precision passes maxPoints 1,
/// FirstPointRule::L2, SearchMethod::Exact: the MSE-optimal single point. Compute once per
/// (layer, bits) and hand the result to every runner and export (they never decompose).
/// Progress: control.stage "decomposing" then "calibrating"; cancellable in both stages.
/// Throws like analyze(), and Error(InvalidArgument) for a layer index out of range or an
/// analysis of another model.
std::vector<LayerAtBits> layersAtBits(const Model &model, const ModelProfile &profile,
                                      const Analysis &analysis,
                                      const std::vector<std::size_t> &layers, int bits,
                                      const JobControl &control = {},
                                      const std::optional<AnalysisSettings> &settings = {});

/// layersAtBits at each of `bitWidths` in turn, the entries of the first width first: one probe
/// and, with output-aware rounding, one pass that measures the input Grams for all of them (they
/// do not depend on the bits), then per width the decomposition and the calibration. Progress:
/// each width its share of the estimated work. The same entries as separate calls.
std::vector<LayerAtBits>
layersAtBits(const Model &model, const ModelProfile &profile, const Analysis &analysis,
             const std::vector<std::size_t> &layers, const std::vector<int> &bitWidths,
             const JobControl &control = {}, const std::optional<AnalysisSettings> &settings = {});

/// The entry of `atBits` for layer `layer` at `bits` with at least `points` points, or nullptr.
const LayerAtBits *findLayerAtBits(const std::vector<LayerAtBits> &atBits, std::size_t layer,
                                   int bits, int points = 1);

/// Appends the warnings of `from` that `to` does not hold yet, in order.
void addWarningsOnce(std::vector<std::string> &to, const std::vector<std::string> &from);

/// The warnings of the entries of `atBits`, each once and in order, less those the analysis
/// already gives (its dead channels, its layers rounded to nearest), each prefixed with
/// `context` (for example "per-layer mixed precision: ").
std::vector<std::string> measurementWarnings(const std::vector<const LayerAtBits *> &atBits,
                                             const Analysis &analysis,
                                             const std::string &context = {});
std::vector<std::string> measurementWarnings(const std::vector<LayerAtBits> &atBits,
                                             const Analysis &analysis,
                                             const std::string &context = {});

/// The curves of layersAtBits alone (the decompositions are dropped): for allocating only.
std::vector<LayerCurves> curvesAtBits(const Model &model, const ModelProfile &profile,
                                      const Analysis &analysis,
                                      const std::vector<std::size_t> &layers, int bits,
                                      const JobControl &control = {});

/// Saves the analysis and, optionally, the current allocation settings (with overrides) to
/// one file, atomically. Error(Io, "<path>: ...") on failure, nothing left behind.
void saveAnalysis(const Analysis &analysis, const AllocationSettings *allocation,
                  const std::string &path);

struct SavedAnalysis
{
    Analysis analysis;
    bool hasAllocation = false;
    AllocationSettings allocation;
};
/// Loads a saved analysis. Error(BadAnalysis, "<path>: ...") for a missing, foreign or
/// damaged file.
SavedAnalysis loadAnalysis(const std::string &path);

/// Error(BadAnalysis) with a message saying what differs, unless the analysis was made for
/// this model file (same SHA-256) with these settings.
void checkAnalysisMatches(const Analysis &analysis, const Model &model,
                          const AnalysisSettings &settings);

} // namespace mpq
