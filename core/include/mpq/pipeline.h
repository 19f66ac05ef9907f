#pragma once
// The one place that strings the stages together (docs/architecture.md, "Layers"): open a model
// with its profile, find images, analyse (or load a cached or saved analysis), allocate with
// overrides, evaluate one or several methods against float predictions computed once, sweep
// budgets, and export. The command-line tool and the desktop app call these functions and hold
// no pipeline logic of their own. Every long step takes a JobControl (progress, cancel) and
// throws Error with a message naming the file and the problem.

#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/analysiscache.h"
#include "mpq/evaluation.h"
#include "mpq/export.h"
#include "mpq/jobcontrol.h"
#include "mpq/methods.h"
#include "mpq/model.h"
#include "mpq/profile.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mpq {

/// A JobControl that reports its progress into [from, to] of `parent` and shares its cancel
/// check and stage names.
JobControl subControl(const JobControl &parent, double from, double to);

// ---- opening

/// A model opened for the pipeline, with its profile. Immutable once made; share freely.
struct OpenedModel
{
    std::string path; ///< absolute
    std::shared_ptr<const Model> model;
    std::string profilePath;  ///< the profile given, or MODEL.profile.json beside the model
    bool hasProfile = false;  ///< a profile file exists there
    ModelProfile profile;     ///< valid when hasProfile and profileError is empty
    std::string profileError; ///< what() of a profile that exists but cannot be read

    /// The profile; Error(BadProfile) naming the file when there is none or it is malformed.
    const ModelProfile &requireProfile() const;
};

/// Loads the model (Error(BadModel) naming the file) and reads its profile when one exists
/// (profilePath empty: MODEL.profile.json beside the model). A malformed profile is kept as
/// profileError, not thrown: a front end may offer to replace it. Cancellable after loading.
OpenedModel openModel(const std::string &path, const std::string &profilePath = {},
                      const std::string &device = "cpu", const JobControl &control = {});

/// The image files under a folder (recursive, sorted). Error(BadImage, "<dir>: ...") when the
/// folder is missing, is not a folder, or holds no image file.
std::vector<std::string> imageFiles(const std::string &dir);

// ---- analysis

struct AnalysisOutcome
{
    std::shared_ptr<const Analysis> analysis;
    bool fromCache = false; ///< loaded from the cache, nothing computed
    bool cached = false;    ///< computed and stored in the cache now
};

/// The analysis of the model on up to settings.calibCount images of imagesDir: from `cache`
/// when it holds one for this model, these settings and these images (cache may be null), else
/// computed by mpq::analyze and stored. When no chosen image can be read, Error(BadImage) names
/// the folder and the first image's reason. Needs a profile (requireProfile).
AnalysisOutcome analyzeModel(const OpenedModel &opened, const std::string &imagesDir,
                             const AnalysisSettings &settings, const AnalysisCache *cache,
                             const JobControl &control = {});

/// The analysis `cache` holds for this model, the images of imagesDir and these settings, or
/// null (no profile, no such folder, no image in it, nothing cached). Never throws for a
/// missing or unreadable folder: that only means nothing is cached.
std::shared_ptr<const Analysis> cachedAnalysis(const OpenedModel &opened,
                                               const std::string &imagesDir,
                                               const AnalysisSettings &settings,
                                               const AnalysisCache &cache);

/// A saved analysis (mpq analyze --save) checked against the model and settings: Error
/// (BadAnalysis, "<path>: ...") when it belongs to another model or other settings. Its
/// activation bits are set to settings.activationBits.
std::shared_ptr<const Analysis> loadAnalysisFor(const std::string &path, const OpenedModel &opened,
                                                const AnalysisSettings &settings);

// ---- allocation

/// What runs for one allocation: the analysis, the settings with overrides, the layers at other
/// bits those overrides need (decomposed and measured once), and the allocation itself.
/// Immutable once made; share freely.
struct Quantization
{
    std::shared_ptr<const Analysis> analysis;
    AllocationSettings settings;
    std::shared_ptr<const std::vector<LayerAtBits>> atBits; ///< never null
    Allocation allocation;
};

/// The layers at other bits that settings.overrides need: those in `known` are reused, the
/// others computed now (one calibration pass per bit width; cancellable). Error
/// (InvalidArgument, "overrides: the model has no layer named '...'") for an unknown name.
std::vector<LayerAtBits> overrideLayers(const OpenedModel &opened, const Analysis &analysis,
                                        const AllocationSettings &settings,
                                        const std::vector<LayerAtBits> &known = {},
                                        const JobControl &control = {});

/// The curves allocate() takes: the analysis' own plus those of `atBits`.
std::vector<LayerCurves> allocationCurves(const Analysis &analysis,
                                          const std::vector<LayerAtBits> &atBits);

/// overrideLayers, then allocate(): the quantization the settings describe.
Quantization quantize(const OpenedModel &opened, std::shared_ptr<const Analysis> analysis,
                      const AllocationSettings &settings,
                      const std::vector<LayerAtBits> &known = {}, const JobControl &control = {});

/// Re-allocation from stored results only (milliseconds, no model run): every layer at other
/// bits the settings need must be in `atBits`, else Error(InvalidArgument) naming the layer.
Quantization reallocate(std::shared_ptr<const Analysis> analysis,
                        std::shared_ptr<const std::vector<LayerAtBits>> atBits,
                        const AllocationSettings &settings);

// ---- evaluation

/// Images the evaluation runs on: at most `limit` of the folder (a seeded choice above it, as
/// chooseImages makes; 0: all), with the folder as the root of VOC annotations.
struct ImageSet
{
    std::string root;
    std::vector<std::string> files;
    std::size_t found = 0; ///< images in the folder, files.size() of them chosen
};
constexpr int kEvaluationImageLimit = 500;
ImageSet evaluationImages(const std::string &dir, int limit = kEvaluationImageLimit);

/// The float model's predictions on an image set: computed once per model and image set and
/// handed to every evaluation of it.
std::shared_ptr<const FloatPredictions> floatPredictions(const OpenedModel &opened,
                                                         const ImageSet &images, int batchSize,
                                                         const JobControl &control = {});

/// One method's figures and its evaluation.
struct MethodEvaluation
{
    Method method = Method::Multipoint;
    double memoryOverhead = 0.0; ///< docs/multipoint.md section 4
    double macOverhead = 0.0;    ///< extra MACs over all MACs (MethodWeights::macOverhead)
    double effectiveBits = 0.0;
    std::string detail; ///< e.g. "5 layers at 5 bits"
    /// Per-layer mixed precision: the names of the layers it stores at b+1 bits (what a
    /// {"bits": b+1} pin per layer reproduces); empty for every other method.
    std::vector<std::string> widerLayers;
    double expandRatio = -1.0; ///< OCS: its expand ratio (MethodWeights::expandRatio); else -1
    /// What measuring the method's own inputs on the analysis' calibration images warned of
    /// (per-layer mixed precision's single points, the baselines' bias correction): images gone
    /// or damaged since the analysis, each once. The evaluation's own are in result.warnings.
    std::vector<std::string> warnings;
    EvaluationResult result;
    TaskMetric metric;
};

/// What a comparison needs beside the quantization: per-layer mixed precision's single-point
/// layers (computed on first use and kept here, since they depend only on the analysis).
struct MethodInputs
{
    std::shared_ptr<const std::vector<LayerAtBits>> singlePoint;
};

/// Each method's weights at the quantization's cost (docs/multipoint.md section 6), run
/// against `reference` (from floatPredictions on the same model and images). Progress is split
/// by each part's work (mpq/work.h: evaluations, mixed precision's single-point measurement,
/// the bias correction's pass); stage names "evaluating <method>". `inputs` may be null; when
/// given, the mixed-precision inputs computed here are kept in it for the next call.
std::vector<MethodEvaluation> evaluateMethods(const OpenedModel &opened, const Quantization &q,
                                              const std::vector<Method> &methods,
                                              const FloatPredictions &reference, int batchSize,
                                              MethodInputs *inputs = nullptr,
                                              const JobControl &control = {});

/// The evaluations' MethodEvaluation::warnings, each once, in order: what a front end shows
/// beside the float predictions' and the allocation's warnings.
std::vector<std::string> methodWarnings(const std::vector<MethodEvaluation> &evaluations);

/// One point of a sweep: a method at one memory budget.
struct SweepPoint
{
    double budget = 0.0; ///< the multipoint allocation's budget this point belongs to
    MethodEvaluation evaluation;
    /// The series: the method's word (mpq/vocabulary.h), or a SweepVariant's name for the
    /// multipoint variants of sweepVariants()
    std::string series;
};

/// A multipoint allocation rule a sweep shows as its own series beside the baselines (docs/
/// docs/multipoint.md section 8): the sweep's base settings with these two changed.
struct SweepVariant
{
    std::string name; ///< e.g. "multipoint-weighted", "multipoint-mac20"
    bool sensitivityWeighted = false;
    double macCap = -1.0; ///< AllocationSettings::macCap
};

/// The rules of issue 16 as variants: "multipoint-unweighted" (the paper's rule),
/// "multipoint-weighted" (only when the analysis measured sensitivity) and, for each cap in
/// macCaps (fractions), "multipoint-macNN" (weighted when the analysis has sensitivity).
std::vector<SweepVariant> sweepVariants(const Analysis &analysis,
                                        const std::vector<double> &macCaps = {});

/// sweep() and, at each budget, every variant's multipoint allocation evaluated as well (its
/// points come after the methods' at that budget, series = the variant's name). The baselines
/// are matched to the base settings' allocation.
std::vector<SweepPoint> sweep(const OpenedModel &opened, std::shared_ptr<const Analysis> analysis,
                              const AllocationSettings &base, const std::vector<double> &budgets,
                              const std::vector<Method> &methods,
                              const std::vector<SweepVariant> &variants,
                              const FloatPredictions &reference, int batchSize,
                              const JobControl &control = {});

/// The task metric of each method over a list of budgets (the budget rule, with the cost and
/// overrides of `base`), against float predictions computed once. Points come budget by
/// budget, methods in the given order.
std::vector<SweepPoint> sweep(const OpenedModel &opened, std::shared_ptr<const Analysis> analysis,
                              const AllocationSettings &base, const std::vector<double> &budgets,
                              const std::vector<Method> &methods, const FloatPredictions &reference,
                              int batchSize, const JobControl &control = {});

/// The points' MethodEvaluation::warnings, each once, in order.
std::vector<std::string> methodWarnings(const std::vector<SweepPoint> &points);

// ---- export

enum class ExportFormat {
    FakeQuant,     ///< TorchScript, original architecture, multipoint sums as weights
    Expanded,      ///< TorchScript in the common-operands form (docs/expanded-export.md)
    Package,       ///< the integer package folder (docs/integer-package.md)
    Report,        ///< the per-layer table and totals as JSON, and beside it as CSV
    OnnxFakeQuant, ///< ONNX source only: the original graph, multipoint sums as weights
    OnnxQdq,       ///< ONNX source only: int8 codes, DequantizeLinear per row (docs/onnx.md)
};
/// "fakequant", "expanded", "package", "report", "onnx-fakequant", "onnx-qdq";
/// exportFormatFromWord throws
/// Error(InvalidArgument) for another word.
const char *toWord(ExportFormat format);
ExportFormat exportFormatFromWord(const std::string &word);

/// Largest relative difference a verified export may have from the in-app model.
constexpr double kVerifyTolerance = 1e-4;

struct ExportOutcome
{
    std::vector<std::string> files; ///< what was written (the report writes two)
    std::uint64_t bytes = 0;
    bool verified = false;     ///< reloaded and run beside the in-app model
    Verification verification; ///< when verified
    bool expanded = false;     ///< `expandedExport` is filled (expanded, onnx-qdq)
    ExpandedExport expandedExport;
};

/// Writes one format to `path` (atomically; see mpq/export.h), with the manifest, and with
/// `verify` reloads it and runs it beside the in-app quantized model on the calibration images.
/// Throws Error naming the file (Io, BadModel) or Cancelled; nothing half-written stays.
ExportOutcome exportQuantization(const OpenedModel &opened, const Quantization &q,
                                 ExportFormat format, const std::string &path, bool verify,
                                 const std::string &toolVersion, const JobControl &control = {});

} // namespace mpq
