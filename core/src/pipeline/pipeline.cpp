// The staged pipeline of docs/architecture.md: the only place that strings the stages together.
#include "mpq/pipeline.h"

#include "calib/calibration.h"
#include "export/onnxexport.h"
#include "mpq/biascorrection.h"

#include "mpq/error.h"
#include "mpq/images.h"
#include "mpq/report.h"
#include "mpq/runner.h"
#include "mpq/vocabulary.h"
#include "mpq/work.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>

namespace mpq {

namespace fs = std::filesystem;

namespace {

void checkCancelled(const JobControl &control)
{
    if (control.cancelled())
        throw Error(ErrorCode::Cancelled, "cancelled");
}

void stage(const JobControl &control, const std::string &name)
{
    if (control.stage)
        control.stage(name);
}

/// The folder as an absolute, normalized path without a trailing separator: "images",
/// "./images/" and "/work/images" name the same images, hence the same cache entry, and the
/// analysis records calibration files that stay valid from any working folder.
std::string absoluteFolder(const std::string &dir)
{
    std::error_code ec;
    fs::path p = fs::absolute(dir, ec);
    if (ec)
        return dir;
    p = p.lexically_normal();
    if (!p.has_filename() && p.has_relative_path())
        p = p.parent_path();
    return p.string();
}

} // namespace

JobControl subControl(const JobControl &parent, double from, double to)
{
    JobControl c;
    c.isCancelled = parent.isCancelled;
    c.stage = parent.stage;
    if (parent.progress)
        c.progress = [progress = parent.progress, from, to](double f) {
            progress(from + (to - from) * f);
        };
    return c;
}

// ---- opening

const ModelProfile &OpenedModel::requireProfile() const
{
    if (!profileError.empty())
        throw Error(ErrorCode::BadProfile, profileError);
    if (!hasProfile)
        throw Error(ErrorCode::BadProfile,
                    profilePath +
                        ": no model profile; write one (see README, 'Model profile') or give "
                        "--profile FILE");
    return profile;
}

OpenedModel openModel(const std::string &path, const std::string &profilePath,
                      const std::string &device, const JobControl &control)
{
    stage(control, "loading model");
    OpenedModel opened;
    std::error_code ec;
    const fs::path absolute = fs::absolute(path, ec);
    opened.path = ec ? path : absolute.lexically_normal().string();
    opened.model = std::make_shared<const Model>(Model::load(path, device));
    checkCancelled(control);
    if (control.progress)
        control.progress(0.9);
    opened.profilePath = profilePath.empty() ? defaultProfilePath(opened.path) : profilePath;
    opened.hasProfile = fs::exists(opened.profilePath, ec);
    if (opened.hasProfile) {
        try {
            opened.profile = loadProfile(opened.profilePath);
        } catch (const Error &e) {
            opened.profileError = e.what();
        }
    }
    if (control.progress)
        control.progress(1.0);
    return opened;
}

std::vector<std::string> imageFiles(const std::string &dir)
{
    std::vector<std::string> files = findImages(dir);
    if (files.empty())
        throw Error(ErrorCode::BadImage,
                    dir + ": no png, jpg, jpeg, bmp or webp images in this folder");
    return files;
}

// ---- analysis

AnalysisOutcome analyzeModel(const OpenedModel &opened, const std::string &imagesDir,
                             const AnalysisSettings &settings, const AnalysisCache *cache,
                             const JobControl &control)
{
    const ModelProfile &profile = opened.requireProfile();
    stage(control, "finding images");
    const std::vector<std::string> files = imageFiles(absoluteFolder(imagesDir));
    AnalysisOutcome out;
    std::string cacheFile;
    if (cache) {
        cacheFile = cache->fileFor(*opened.model, settings, files);
        out.analysis = cache->load(cacheFile, *opened.model, settings);
        if (out.analysis) {
            out.fromCache = true;
            return out;
        }
    }
    try {
        out.analysis = std::make_shared<const Analysis>(
            analyze(*opened.model, profile, files, settings, control));
    } catch (const Error &e) {
        if (e.code() != ErrorCode::BadImage)
            throw;
        // "none of the N images could be read" names neither the folder nor a reason: add
        // both, the reason from the first chosen file that fails again.
        std::string reason;
        for (const std::string &file : chooseImages(files, settings.calibCount, settings.seed)) {
            try {
                prepareImage(file, profile.input);
            } catch (const Error &first) {
                reason = std::string(" (the first: ") + first.what() + ")";
                break;
            }
        }
        throw Error(ErrorCode::BadImage, imagesDir + ": " + e.what() + reason);
    }
    if (cache)
        out.cached = cache->store(cacheFile, *out.analysis);
    return out;
}

std::shared_ptr<const Analysis> cachedAnalysis(const OpenedModel &opened,
                                               const std::string &imagesDir,
                                               const AnalysisSettings &settings,
                                               const AnalysisCache &cache)
{
    std::error_code ec;
    if (!opened.hasProfile || !opened.profileError.empty() || imagesDir.empty() ||
        !fs::is_directory(imagesDir, ec))
        return nullptr;
    try {
        const std::vector<std::string> files = findImages(absoluteFolder(imagesDir));
        return cache.load(cache.fileFor(*opened.model, settings, files), *opened.model, settings);
    } catch (const Error &) {
        return nullptr;
    }
}

std::shared_ptr<const Analysis> loadAnalysisFor(const std::string &path, const OpenedModel &opened,
                                                const AnalysisSettings &settings)
{
    Analysis analysis = loadAnalysis(path).analysis;
    try {
        checkAnalysisMatches(analysis, *opened.model, settings);
    } catch (const Error &e) {
        throw Error(ErrorCode::BadAnalysis, path + ": " + e.what());
    }
    analysis.settings.activationBits = settings.activationBits;
    return std::make_shared<const Analysis>(std::move(analysis));
}

// ---- allocation

namespace {

std::size_t layerIndex(const Analysis &analysis, const std::string &name)
{
    for (std::size_t i = 0; i < analysis.layers.size(); ++i)
        if (analysis.layers[i].name == name)
            return i;
    throw Error(ErrorCode::InvalidArgument,
                "overrides: the model has no layer named '" + name + "'");
}

/// (layer, bits) pairs the overrides need beyond the analysis' own bits.
std::map<int, std::vector<std::size_t>> neededAtBits(const Analysis &analysis,
                                                     const AllocationSettings &settings)
{
    std::map<int, std::vector<std::size_t>> byBits;
    for (const auto &[name, o] : settings.overrides) {
        const std::size_t index = layerIndex(analysis, name);
        if (o.kind == LayerOverride::Kind::Bits && o.bits != analysis.settings.bits)
            byBits[o.bits].push_back(index);
    }
    return byBits;
}

/// Evaluations of a layer per calibration call with these settings (as the analysis counts
/// them, core/src/calib/workplan.cpp evaluationsPerCall): the layer itself and the stacked
/// differences of every decomposition version.
int evaluationsPerCall(const AnalysisSettings &s)
{
    return 1 + (s.firstPoint == FirstPointRule::OutputBest ? 2 : 1) * s.maxPoints;
}

/// Shares of `work` (summed over the list) as [from, to) ranges of [0, 1]: even when the work
/// is 0 or unknown.
std::vector<std::pair<double, double>> shares(const std::vector<double> &work)
{
    double total = 0.0;
    for (double w : work)
        total += std::max(0.0, w);
    std::vector<std::pair<double, double>> out;
    double done = 0.0;
    for (std::size_t k = 0; k < work.size(); ++k) {
        const double w = total > 0.0 ? std::max(0.0, work[k]) : 1.0;
        const double sum = total > 0.0 ? total : double(work.size());
        out.push_back({done / sum, k + 1 == work.size() ? 1.0 : (done + w) / sum});
        done += w;
    }
    return out;
}

} // namespace

// ---- work (mpq/work.h)

namespace {
// calib::probe: the three forwards of one image before a calibration
constexpr double kProbeForwards = 3.0;
} // namespace

double calibrationWork(const Analysis &analysis, int evaluationsPerCall, std::size_t layers)
{
    const double listed =
        analysis.layers.empty() ? 1.0 : double(layers) / double(analysis.layers.size());
    return kProbeForwards +
           double(analysis.calibrationFiles.size()) *
               (1.0 + kEvaluationCostInForwards * (evaluationsPerCall - 1) * listed);
}

namespace {
// layersAtBits' pass over the calibration images that measures the input Grams of `layers`
// layers, with output-aware rounding (docs/multipoint.md section 10)
double inputPassWork(const Analysis &analysis, std::size_t layers)
{
    if (analysis.settings.rounding != Rounding::OutputAware)
        return 0.0;
    const double listed =
        analysis.layers.empty() ? 1.0 : double(layers) / double(analysis.layers.size());
    return double(analysis.calibrationFiles.size()) * kInputGramForwards * listed;
}
} // namespace

double singlePointWork(const Analysis &analysis)
{
    // mixedPrecisionInputs: one point, the L2 first point, at b and b + 1 bits; one probe, and
    // the input Grams measured once for both (layersAtBits with two widths)
    AnalysisSettings single = analysis.settings;
    single.maxPoints = 1;
    single.firstPoint = FirstPointRule::L2;
    return 2.0 * calibrationWork(analysis, evaluationsPerCall(single), analysis.layers.size()) -
           kProbeForwards + inputPassWork(analysis, analysis.layers.size());
}

namespace {

/// One method's part of evaluateMethods: the single-point measurement, the bias correction's
/// calibration pass, the evaluation.
struct MethodWork
{
    double measurement = 0.0;
    double biasCorrection = 0.0;
    double evaluation = 0.0;
    double total() const { return measurement + biasCorrection + evaluation; }
};

std::vector<MethodWork> methodsWork(const Analysis &analysis, const std::vector<Method> &methods,
                                    std::size_t images, bool biasCorrection, bool singlePointKnown)
{
    std::vector<MethodWork> out;
    for (Method m : methods) {
        MethodWork w;
        if (m == Method::MixedPrecision && !singlePointKnown) {
            w.measurement = singlePointWork(analysis);
            singlePointKnown = true;
        }
        // measureBiasCorrection: one forward and one evaluation of every layer per image
        if (biasCorrection && m != Method::Multipoint)
            w.biasCorrection = calibrationWork(analysis, 2, analysis.layers.size());
        w.evaluation = double(images);
        out.push_back(w);
    }
    return out;
}

/// The overrides' measurements of one sweep budget: (bits, layers) not in `known`, which
/// receives them.
std::map<int, std::vector<std::size_t>> newAtBits(const Analysis &analysis,
                                                  const AllocationSettings &settings,
                                                  std::vector<std::pair<int, std::size_t>> &known)
{
    std::map<int, std::vector<std::size_t>> out;
    for (const auto &[bits, layers] : neededAtBits(analysis, settings))
        for (std::size_t layer : layers)
            if (std::find(known.begin(), known.end(), std::make_pair(bits, layer)) == known.end()) {
                known.emplace_back(bits, layer);
                out[bits].push_back(layer);
            }
    return out;
}

/// The work of one budget of a sweep: the overrides' measurements, then per method and
/// variant (a multipoint evaluation each).
double budgetWork(const Analysis &analysis, const AllocationSettings &settings,
                  const std::map<int, std::vector<std::size_t>> &measured,
                  const std::vector<Method> &methods, std::size_t variants, std::size_t images,
                  bool singlePointKnown, double *measurementWork = nullptr,
                  double *methodsWorkOut = nullptr)
{
    double measure = 0.0;
    for (const auto &[bits, layers] : measured)
        measure += calibrationWork(analysis, evaluationsPerCall(analysis.settings), layers.size()) +
                   inputPassWork(analysis, layers.size());
    const double m =
        evaluateMethodsWork(analysis, methods, images, settings.biasCorrection, singlePointKnown);
    if (measurementWork)
        *measurementWork = measure;
    if (methodsWorkOut)
        *methodsWorkOut = m;
    return measure + m +
           double(variants) * evaluateMethodsWork(analysis, {Method::Multipoint}, images,
                                                  settings.biasCorrection, true);
}

} // namespace

double evaluateMethodsWork(const Analysis &analysis, const std::vector<Method> &methods,
                           std::size_t images, bool biasCorrection, bool singlePointKnown)
{
    double total = 0.0;
    for (const MethodWork &w :
         methodsWork(analysis, methods, images, biasCorrection, singlePointKnown))
        total += w.total();
    return total;
}

double sweepWork(const Analysis &analysis, const AllocationSettings &base,
                 const std::vector<double> &budgets, const std::vector<Method> &methods,
                 std::size_t variants, std::size_t images)
{
    std::vector<std::pair<int, std::size_t>> known;
    bool singlePointKnown = false;
    double total = 0.0;
    for (double budget : budgets) {
        AllocationSettings settings = base;
        settings.rule = AllocationRule::Budget;
        settings.budget = budget;
        total += budgetWork(analysis, settings, newAtBits(analysis, settings, known), methods,
                            variants, images, singlePointKnown);
        singlePointKnown = singlePointKnown || std::find(methods.begin(), methods.end(),
                                                         Method::MixedPrecision) != methods.end();
    }
    return total;
}

std::vector<LayerAtBits> overrideLayers(const OpenedModel &opened, const Analysis &analysis,
                                        const AllocationSettings &settings,
                                        const std::vector<LayerAtBits> &known,
                                        const JobControl &control)
{
    std::vector<LayerAtBits> out;
    std::map<int, std::vector<std::size_t>> missing;
    for (const auto &[bits, layers] : neededAtBits(analysis, settings))
        for (std::size_t layer : layers) {
            if (const LayerAtBits *k =
                    findLayerAtBits(known, layer, bits, analysis.settings.maxPoints))
                out.push_back(*k);
            else
                missing[bits].push_back(layer);
        }
    int done = 0;
    for (const auto &[bits, layers] : missing) {
        stage(control, "layers at " + std::to_string(bits) + " bits");
        std::vector<LayerAtBits> made = layersAtBits(
            *opened.model, opened.requireProfile(), analysis, layers, bits,
            subControl(control, double(done) / missing.size(), double(done + 1) / missing.size()));
        out.insert(out.end(), std::make_move_iterator(made.begin()),
                   std::make_move_iterator(made.end()));
        ++done;
    }
    checkCancelled(control);
    return out;
}

std::vector<LayerCurves> allocationCurves(const Analysis &analysis,
                                          const std::vector<LayerAtBits> &atBits)
{
    std::vector<LayerCurves> curves = analysis.curves;
    for (const LayerAtBits &l : atBits)
        curves.push_back(l.curves);
    return curves;
}

Quantization quantize(const OpenedModel &opened, std::shared_ptr<const Analysis> analysis,
                      const AllocationSettings &settings, const std::vector<LayerAtBits> &known,
                      const JobControl &control)
{
    if (!analysis)
        throw Error(ErrorCode::InvalidArgument, "no analysis to allocate from");
    auto atBits = std::make_shared<const std::vector<LayerAtBits>>(
        overrideLayers(opened, *analysis, settings, known, control));
    return reallocate(std::move(analysis), std::move(atBits), settings);
}

Quantization reallocate(std::shared_ptr<const Analysis> analysis,
                        std::shared_ptr<const std::vector<LayerAtBits>> atBits,
                        const AllocationSettings &settings)
{
    if (!analysis)
        throw Error(ErrorCode::InvalidArgument, "no analysis to allocate from");
    if (!atBits)
        atBits = std::make_shared<const std::vector<LayerAtBits>>();
    for (const auto &[bits, layers] : neededAtBits(*analysis, settings))
        for (std::size_t layer : layers)
            if (!findLayerAtBits(*atBits, layer, bits, analysis->settings.maxPoints))
                throw Error(ErrorCode::InvalidArgument,
                            "overrides: layer '" + analysis->layers[layer].name + "' at " +
                                std::to_string(bits) + " bits has not been measured yet");
    Quantization q;
    q.analysis = std::move(analysis);
    q.settings = settings;
    q.settings.bits = q.analysis->settings.bits;
    q.allocation = allocate(allocationCurves(*q.analysis, *atBits), q.settings);
    q.atBits = std::move(atBits);
    return q;
}

// ---- evaluation

ImageSet evaluationImages(const std::string &dir, int limit)
{
    ImageSet set;
    set.root = absoluteFolder(dir);
    const std::vector<std::string> all = imageFiles(set.root);
    set.files = limit > 0 ? chooseImages(all, limit) : all;
    return set;
}

std::shared_ptr<const FloatPredictions> floatPredictions(const OpenedModel &opened,
                                                         const ImageSet &images, int batchSize,
                                                         const JobControl &control)
{
    stage(control, "running the float model");
    ModelRunner floatModel = floatRunner(*opened.model);
    try {
        return std::make_shared<const FloatPredictions>(predictFloat(
            opened.requireProfile(), images.files, images.root, floatModel, batchSize, control));
    } catch (const Error &e) {
        if (e.code() != ErrorCode::BadImage)
            throw;
        throw Error(ErrorCode::BadImage, images.root + ": " + e.what());
    }
}

std::vector<MethodEvaluation> evaluateMethods(const OpenedModel &opened, const Quantization &q,
                                              const std::vector<Method> &methods,
                                              const FloatPredictions &reference, int batchSize,
                                              MethodInputs *inputs, const JobControl &control)
{
    const ModelProfile &profile = opened.requireProfile();
    const Analysis &analysis = *q.analysis;
    std::vector<MethodEvaluation> out;
    MethodInputs local;
    MethodInputs &in = inputs ? *inputs : local;
    // each method's share of the progress is its share of the work (mpq/work.h): mixed
    // precision's measurement is two calibrations, several evaluations' worth (issue 14)
    const std::vector<MethodWork> work =
        methodsWork(analysis, methods, reference.images.size(), q.allocation.biasCorrection,
                    in.singlePoint != nullptr);
    std::vector<double> totals;
    for (const MethodWork &w : work)
        totals.push_back(w.total());
    const std::vector<std::pair<double, double>> ranges = shares(totals);
    for (std::size_t k = 0; k < methods.size(); ++k) {
        const Method method = methods[k];
        stage(control, std::string("evaluating ") + toWord(method));
        const JobControl part = subControl(control, ranges[k].first, ranges[k].second);
        // within it: the measurement, the bias correction's pass, the evaluation
        const std::vector<std::pair<double, double>> steps =
            shares({work[k].measurement, work[k].biasCorrection, work[k].evaluation});
        if (method == Method::MixedPrecision && !in.singlePoint)
            in.singlePoint = std::make_shared<const std::vector<LayerAtBits>>(
                mixedPrecisionInputs(*opened.model, profile, analysis,
                                     subControl(part, steps[0].first, steps[0].second)));
        MethodWeights w = methodWeights(
            *opened.model, analysis, q.allocation, *q.atBits, method,
            method == Method::MixedPrecision ? *in.singlePoint : std::vector<LayerAtBits>{});
        checkCancelled(control);
        // with bias correction every method gets its own, measured the same way
        // (docs/multipoint.md section 9): the baselines in one calibration pass
        if (q.allocation.biasCorrection && method != Method::Multipoint) {
            JobControl pass;
            pass.isCancelled = control.isCancelled;
            pass.progress = subControl(part, steps[1].first, steps[1].second).progress;
            w.biasCorrection =
                measureBiasCorrection(*opened.model, profile, analysis, w.weights, pass);
        }
        ModelRunner quantized = weightsRunner(*opened.model, w.weights, &analysis.activations,
                                              analysis.settings.activationBits, &w.biasCorrection);
        MethodEvaluation e;
        e.method = method;
        e.memoryOverhead = w.memoryOverhead;
        e.macOverhead = w.macOverhead;
        e.effectiveBits = w.effectiveBits;
        e.detail = w.detail;
        e.expandRatio = w.expandRatio;
        for (std::size_t i : w.widerLayers)
            e.widerLayers.push_back(opened.model->layers()[i].name);
        e.result = evaluateAgainst(profile, reference, quantized, batchSize,
                                   subControl(part, steps[2].first, steps[2].second));
        e.metric = taskMetric(e.result);
        out.push_back(std::move(e));
    }
    return out;
}

std::vector<SweepPoint> sweep(const OpenedModel &opened, std::shared_ptr<const Analysis> analysis,
                              const AllocationSettings &base, const std::vector<double> &budgets,
                              const std::vector<Method> &methods, const FloatPredictions &reference,
                              int batchSize, const JobControl &control)
{
    return sweep(opened, std::move(analysis), base, budgets, methods, {}, reference, batchSize,
                 control);
}

std::vector<SweepVariant> sweepVariants(const Analysis &analysis,
                                        const std::vector<double> &macCaps)
{
    const bool measured = !analysis.curves.empty() &&
                          std::all_of(analysis.curves.begin(), analysis.curves.end(),
                                      [](const LayerCurves &c) { return !c.sensitivity.empty(); });
    std::vector<SweepVariant> out;
    out.push_back({"multipoint-unweighted", false, -1.0});
    if (measured)
        out.push_back({"multipoint-weighted", true, -1.0});
    for (double cap : macCaps) {
        char name[48];
        std::snprintf(name, sizeof name, "multipoint-mac%g", 100.0 * cap);
        out.push_back({name, measured, cap});
    }
    return out;
}

std::vector<SweepPoint> sweep(const OpenedModel &opened, std::shared_ptr<const Analysis> analysis,
                              const AllocationSettings &base, const std::vector<double> &budgets,
                              const std::vector<Method> &methods,
                              const std::vector<SweepVariant> &variants,
                              const FloatPredictions &reference, int batchSize,
                              const JobControl &control)
{
    if (!analysis)
        throw Error(ErrorCode::InvalidArgument, "no analysis to allocate from");
    std::vector<SweepPoint> out;
    MethodInputs inputs;
    std::vector<LayerAtBits> known;
    // each budget's share of the progress is its share of the work (mpq/work.h, issue 14): the
    // first measures the overrides' layers at other bits and mixed precision's single points
    const std::size_t images = reference.images.size();
    std::vector<double> work, measureWork, methodsWorkOf;
    {
        std::vector<std::pair<int, std::size_t>> measured;
        bool singlePointKnown = false;
        for (double budget : budgets) {
            AllocationSettings settings = base;
            settings.rule = AllocationRule::Budget;
            settings.budget = budget;
            double measure = 0.0, evaluations = 0.0;
            work.push_back(budgetWork(*analysis, settings, newAtBits(*analysis, settings, measured),
                                      methods, variants.size(), images, singlePointKnown, &measure,
                                      &evaluations));
            measureWork.push_back(measure);
            methodsWorkOf.push_back(evaluations);
            singlePointKnown =
                singlePointKnown ||
                std::find(methods.begin(), methods.end(), Method::MixedPrecision) != methods.end();
        }
    }
    const std::vector<std::pair<double, double>> ranges = shares(work);
    for (std::size_t i = 0; i < budgets.size(); ++i) {
        AllocationSettings settings = base;
        settings.rule = AllocationRule::Budget;
        settings.budget = budgets[i];
        const JobControl part = subControl(control, ranges[i].first, ranges[i].second);
        // this budget's share: the pinned layers not yet known (the first budget only), the
        // methods, then the variants: progress never goes back
        const double split = work[i] > 0.0 ? measureWork[i] / work[i] : 0.0;
        const Quantization q =
            quantize(opened, analysis, settings, known, subControl(part, 0.0, split));
        known = *q.atBits;
        // the methods, then each variant's multipoint allocation (docs/multipoint.md section 8)
        const double methodsEnd =
            work[i] > 0.0 ? split + methodsWorkOf[i] / work[i]
                          : (methods.size() + variants.size() > 0
                                 ? double(methods.size()) / (methods.size() + variants.size())
                                 : 1.0);
        for (MethodEvaluation &e : evaluateMethods(opened, q, methods, reference, batchSize,
                                                   &inputs, subControl(part, split, methodsEnd))) {
            const std::string series = toWord(e.method);
            out.push_back({budgets[i], std::move(e), series});
        }
        for (std::size_t v = 0; v < variants.size(); ++v) {
            AllocationSettings vs = settings;
            vs.sensitivityWeighted = variants[v].sensitivityWeighted;
            vs.macCap = variants[v].macCap;
            const Quantization qv = reallocate(analysis, q.atBits, vs);
            const double from = methodsEnd + (1.0 - methodsEnd) * v / double(variants.size());
            const double to = methodsEnd + (1.0 - methodsEnd) * (v + 1) / double(variants.size());
            for (MethodEvaluation &e :
                 evaluateMethods(opened, qv, {Method::Multipoint}, reference, batchSize, &inputs,
                                 subControl(part, from, to)))
                out.push_back({budgets[i], std::move(e), variants[v].name});
        }
    }
    return out;
}

// ---- export

const char *toWord(ExportFormat format)
{
    switch (format) {
    case ExportFormat::FakeQuant:
        return "fakequant";
    case ExportFormat::Expanded:
        return "expanded";
    case ExportFormat::Package:
        return "package";
    case ExportFormat::Report:
        return "report";
    case ExportFormat::OnnxFakeQuant:
        return "onnx-fakequant";
    case ExportFormat::OnnxQdq:
        return "onnx-qdq";
    }
    return "?";
}

ExportFormat exportFormatFromWord(const std::string &word)
{
    for (ExportFormat f :
         {ExportFormat::FakeQuant, ExportFormat::Expanded, ExportFormat::Package,
          ExportFormat::Report, ExportFormat::OnnxFakeQuant, ExportFormat::OnnxQdq})
        if (word == toWord(f))
            return f;
    throw Error(ErrorCode::InvalidArgument,
                "unknown export format '" + word +
                    "': use fakequant, expanded, package, report, onnx-fakequant or onnx-qdq");
}

ExportOutcome exportQuantization(const OpenedModel &opened, const Quantization &q,
                                 ExportFormat format, const std::string &path, bool verify,
                                 const std::string &toolVersion, const JobControl &control)
{
    checkCancelled(control);
    const Analysis &analysis = *q.analysis;
    const std::string manifest =
        exportManifest(analysis, q.allocation, q.settings, toolVersion, toWord(format));
    const std::vector<std::string> samples =
        verify ? analysis.calibrationFiles : std::vector<std::string>{};
    ExportOutcome out;
    std::error_code ec;
    switch (format) {
    case ExportFormat::Report: {
        const std::string csv = fs::path(path).extension() == ".json"
                                    ? path.substr(0, path.size() - 5) + ".csv"
                                    : path + ".csv";
        // Two files, each written atomically; when the CSV fails, the JSON goes back to what it
        // was (absent, or the previous report), so that no half export stays.
        std::optional<std::string> previous;
        if (fs::is_regular_file(path, ec)) {
            std::ifstream in(path, std::ios::binary);
            previous = std::string(std::istreambuf_iterator<char>(in), {});
        }
        writeTextFile(path, reportJson(analysis, q.allocation, q.settings));
        out.files.push_back(path);
        try {
            writeTextFile(csv, reportCsv(analysis, q.allocation));
        } catch (const Error &) {
            if (previous) {
                try {
                    writeTextFile(path, *previous);
                } catch (const Error &) {
                }
            } else {
                fs::remove(path, ec);
            }
            throw;
        }
        out.files.push_back(csv);
        for (const std::string &f : out.files)
            out.bytes += fs::file_size(f, ec);
        return out;
    }
    case ExportFormat::Package:
        out.bytes =
            exportIntegerPackage(*opened.model, analysis, q.allocation, *q.atBits, manifest, path);
        out.files.push_back(path);
        return out;
    case ExportFormat::Expanded:
        out.expandedExport = exportExpanded(*opened.model, analysis, q.allocation, *q.atBits, path,
                                            manifest, opened.requireProfile(), samples);
        out.expanded = true;
        out.verification = out.expandedExport.verification;
        out.bytes = out.expandedExport.bytes;
        break;
    case ExportFormat::OnnxFakeQuant:
    case ExportFormat::OnnxQdq: {
        // docs/onnx.md section 5
        const bool qdq = format == ExportFormat::OnnxQdq;
        OnnxExportResult r = exportOnnx(*opened.model, analysis, q.allocation, *q.atBits, qdq, path,
                                        manifest, opened.requireProfile(), samples);
        out.verification = r.verification;
        out.bytes = r.bytes;
        if (qdq) {
            out.expandedExport = std::move(r.figures);
            out.expanded = true;
        }
        break;
    }
    case ExportFormat::FakeQuant: {
        ModelRunner quantized = quantizedRunner(*opened.model, analysis, q.allocation, *q.atBits,
                                                analysis.settings.activationBits);
        out.verification =
            exportFakeQuant(quantized, path, manifest, opened.requireProfile(), samples);
        out.bytes = fs::file_size(path, ec);
        break;
    }
    }
    out.files.push_back(path);
    // verified only when an image actually ran beside it (the calibration files of an analysis
    // made elsewhere, or deleted since, are skipped: 0 images compared is no verification)
    out.verified = out.verification.images > 0;
    return out;
}

} // namespace mpq
