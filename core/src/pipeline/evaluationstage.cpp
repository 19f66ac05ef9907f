// The pipeline's evaluation and sweep stages (docs/architecture.md).
#include "calib/calibration.h"
#include "mpq/biascorrection.h"
#include "mpq/error.h"
#include "mpq/images.h"
#include "mpq/runner.h"
#include "mpq/vocabulary.h"
#include "mpq/work.h"
#include "pipeline/stages.h"
#include "util/reuselargeblocks.h"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <map>
#include <optional>
#include <utility>

namespace mpq {

using namespace pipe;

ImageSet evaluationImages(const std::string &dir, int limit)
{
    ImageSet set;
    set.root = absoluteFolder(dir);
    const std::vector<std::string> all = imageFiles(set.root);
    set.files = limit > 0 ? chooseImages(all, limit) : all;
    set.found = all.size();
    return set;
}

std::shared_ptr<const FloatPredictions> floatPredictions(const OpenedModel &opened,
                                                         const ImageSet &images, int batchSize,
                                                         const JobControl &control)
{
    stage(control, "running the float model");
    ModelRunner floatModel = floatRunner(*opened.model);
    try {
        FloatPredictions reference = predictFloat(opened.requireProfile(), images.files,
                                                  images.root, floatModel, batchSize, control);
        reference.imagesFound = images.found;
        return std::make_shared<const FloatPredictions>(std::move(reference));
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
    const ReuseLargeBlocks reuse; // across the methods' evaluations
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
        MethodEvaluation e;
        if (method == Method::MixedPrecision)
            e.warnings = measurementWarnings(*in.singlePoint, analysis,
                                             "per-layer mixed precision's single points: ");
        // with bias correction every method gets its own, measured the same way
        // (docs/multipoint.md section 9): the baselines in one calibration pass
        if (q.allocation.biasCorrection && method != Method::Multipoint) {
            JobControl pass;
            pass.isCancelled = control.isCancelled;
            pass.progress = subControl(part, steps[1].first, steps[1].second).progress;
            std::vector<std::string> skipped;
            w.biasCorrection =
                measureBiasCorrection(*opened.model, profile, analysis, w.weights, pass, &skipped);
            for (const std::string &s : skipped)
                e.warnings.push_back(std::string(toWord(method)) + "'s bias correction: " + s);
        }
        ModelRunner quantized = weightsRunner(*opened.model, w.weights, &analysis.activations,
                                              analysis.settings.activationBits, &w.biasCorrection);
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

std::vector<std::string> methodWarnings(const std::vector<MethodEvaluation> &evaluations)
{
    std::vector<std::string> out;
    for (const MethodEvaluation &e : evaluations)
        addWarningsOnce(out, e.warnings);
    return out;
}

std::vector<std::string> methodWarnings(const std::vector<SweepPoint> &points)
{
    std::vector<std::string> out;
    for (const SweepPoint &p : points)
        addWarningsOnce(out, p.evaluation.warnings);
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
    const ReuseLargeBlocks reuse; // across the budgets' evaluations
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
        // the overrides' layers (q.atBits holds those this budget needs) warn with every
        // multipoint point: calibration images gone since the analysis
        const std::vector<std::string> overrides =
            measurementWarnings(*q.atBits, *analysis, "Bits overrides: ");
        // the methods, then each variant's multipoint allocation (docs/multipoint.md section 8)
        const double methodsEnd =
            work[i] > 0.0 ? split + methodsWorkOf[i] / work[i]
                          : (methods.size() + variants.size() > 0
                                 ? double(methods.size()) / (methods.size() + variants.size())
                                 : 1.0);
        for (MethodEvaluation &e : evaluateMethods(opened, q, methods, reference, batchSize,
                                                   &inputs, subControl(part, split, methodsEnd))) {
            const std::string series = toWord(e.method);
            if (e.method == Method::Multipoint)
                addWarningsOnce(e.warnings, overrides);
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
                                 subControl(part, from, to))) {
                addWarningsOnce(e.warnings, overrides);
                out.push_back({budgets[i], std::move(e), variants[v].name});
            }
        }
    }
    return out;
}

} // namespace mpq
