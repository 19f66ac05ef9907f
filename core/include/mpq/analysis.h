#pragma once

#include "mpq/allocation.h"
#include "mpq/jobcontrol.h"
#include "mpq/model.h"
#include "mpq/multipoint.h"
#include "mpq/profile.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mpq {

/// The first point of each channel (multipoint.md section 3, first-point rule).
enum class FirstPointRule {
    L2,         ///< the exact (or grid) step
    Max,        ///< max-scaled rounding
    OutputBest, ///< per channel, whichever of the two gives the lower output error e_c(1)
};

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
/// accumulates s_c and e_c(n) per channel (multipoint.md section 3). Memory is bounded by one
/// batch of activations. Unreadable images are skipped with a warning naming them.
/// Progress: control.progress gets the overall fraction; control.stage the stage name
/// ("decomposing", "calibrating"). Throws Error: BadImage (no readable image), BadModel (the
/// forward fails on the profile's input), Cancelled, InvalidArgument (settings).
Analysis analyze(const Model &model, const ModelProfile &profile,
                 const std::vector<std::string> &imageFiles, const AnalysisSettings &settings,
                 const JobControl &control = {});

/// Curves of some layers (indices into model.layers()) at other bits, for Bits overrides and
/// per-layer mixed precision: those layers are decomposed at `bits` with the analysis'
/// settings and the analysis' calibration images are run again, recording only them.
/// Throws like analyze().
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
