// The staged analysis: decompose every layer, then stream calibration batches through the
// instrumented model and accumulate s_c and e_c(n) (docs/multipoint.md section 3).
#include "mpq/analysis.h"

#include "calib/analysisrun.h"
#include "calib/calibration.h"
#include "calib/gram.h"
#include "calib/sensitivityrun.h"
#include "mpq/error.h"
#include "mpq/grid.h"
#include "mpq/sensitivity.h"
#include "util/parallelfor.h"
#include "util/reuselargeblocks.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <mutex>
#include <sstream>

namespace mpq {

using calib::CalibrationRun;
using calib::Decomposed;
using calib::ForwardWithAutogradFailed;
using calib::LayerState;
using calib::WorkPlan;
using calib::WorkProgress;

namespace {

// A layer whose input or output is NaN or Inf on the calibration images (an overflow earlier in
// the model, say) has no output error to measure: an error that names the model and the layer,
// the same for every pass that meets it (the input Grams', the calibration's).
[[noreturn]] void notFinite(const std::string &modelPath, const std::string &layer)
{
    throw Error(ErrorCode::NonFinite,
                modelPath + ": layer '" + layer +
                    "': its input or output on the calibration images is not finite (NaN or "
                    "Inf: an overflow in the model?), so its output error cannot be measured");
}

void validate(const AnalysisSettings &s)
{
    extraPointBits(s.bits, s.extraPointBits); // checks both
    if (s.extraPointBits > s.bits)
        throw Error(ErrorCode::InvalidArgument, "extra-point bits must be at most the bits (" +
                                                    std::to_string(s.bits) + "), got " +
                                                    std::to_string(s.extraPointBits));
    if (s.halfStepPair && extraPointBits(s.bits, s.extraPointBits) != 1)
        throw Error(ErrorCode::InvalidArgument,
                    "the half-step pair needs one-bit extra points (extra-point bits 1), got " +
                        std::to_string(extraPointBits(s.bits, s.extraPointBits)));
    if (s.maxPoints < 1 || s.maxPoints > 16)
        throw Error(ErrorCode::InvalidArgument,
                    "max points must be 1..16, got " + std::to_string(s.maxPoints));
    if (s.calibCount < 1)
        throw Error(ErrorCode::InvalidArgument, "the calibration count must be at least 1");
    if (s.batchSize < 1)
        throw Error(ErrorCode::InvalidArgument, "the batch size must be at least 1");
    if (s.activationBits != 0 && (s.activationBits < 2 || s.activationBits > 16))
        throw Error(ErrorCode::InvalidArgument, "activation bits must be 0 (off) or 2..16, got " +
                                                    std::to_string(s.activationBits));
}

// Up to N points per channel of the given layers at `bits`; with output-best also the
// max-first decomposition (alternate), else alternate stays empty. Progress: plan.decomposition
// units per layer, from 0.
Decomposed decomposeLayers(const Model::Impl &impl, const std::vector<std::size_t> &layers,
                           int bits, const AnalysisSettings &settings, const JobControl &control,
                           const WorkPlan &plan, WorkProgress &progress,
                           const std::vector<RowCompensation> &compensation = {})
{
    // One task per layer and version, the largest first, taken from a queue by up to
    // threadCount() threads (mpq::parallelTasks): decompose()'s own row loop is an
    // at::parallel_for, which runs on one thread in this project's build (util/parallelfor.h).
    // Each decomposition is computed alone, so the result does not depend on the thread count.
    const bool outputBest = settings.firstPoint == FirstPointRule::OutputBest;
    const int versions = outputBest ? 2 : 1;
    struct Task
    {
        std::size_t k;
        int version;
        double size;
    };
    std::vector<Task> tasks;
    for (std::size_t k = 0; k < layers.size(); ++k)
        for (int v = 0; v < versions; ++v)
            tasks.push_back({k, v, plan.decomposition[k] / versions});
    std::stable_sort(tasks.begin(), tasks.end(),
                     [](const Task &a, const Task &b) { return a.size > b.size; });
    Decomposed out;
    out.primary.resize(layers.size());
    if (outputBest)
        out.alternate.resize(layers.size());
    std::mutex mutex;
    std::vector<double> doneOf(tasks.size(), 0.0);
    double done = 0.0;
    parallelTasks(tasks.size(), [&](std::size_t t) {
        const Task &task = tasks[t];
        const std::size_t i = layers[task.k];
        const LayerInfo &l = impl.layers[i];
        DecomposeOptions o;
        o.bits = bits;
        o.extraBits = settings.extraPointBits; // capped at `bits` for a Bits pin below b
        o.maxPoints = settings.maxPoints;
        o.halfStepPair = settings.halfStepPair;
        o.search = settings.search;
        // a layer whose Gram is too large to measure has an empty compensation: nearest rounding
        o.compensation = compensation.empty() || compensation[task.k].cols == 0
                             ? nullptr
                             : &compensation[task.k];
        o.firstPoint = settings.firstPoint == FirstPointRule::Max || task.version == 1
                           ? FirstPoint::Max
                           : FirstPoint::L2;
        JobControl inner;
        inner.isCancelled = control.isCancelled;
        inner.progress = [&, t](double f) {
            std::lock_guard<std::mutex> lock(mutex);
            const double now = std::min(1.0, f) * tasks[t].size;
            done += now - doneOf[t];
            doneOf[t] = now;
            progress.at(plan.inputs + done);
        };
        MatrixDecomposition d =
            decompose(impl.foldedWeights[i].data(), l.outChannels, l.d, o, inner);
        (task.version == 0 ? out.primary : out.alternate)[task.k] = std::move(d);
    });
    progress.at(plan.decompositionTotal);
    return out;
}

// With output-aware rounding (docs/multipoint.md section 10), the factors of each listed
// layer's input Gram on the calibration images, else none. A layer whose Gram would hold more
// than calib::kMaxGramValues values gets an empty compensation (cols 0: nearest rounding) and a
// warning naming it in `warnings`. Progress: plan.inputs units, from 0.
std::vector<RowCompensation>
outputAwareRounding(const Model::Impl &impl, const ModelProfile &profile,
                    const std::vector<std::string> &files, const std::vector<std::size_t> &layers,
                    const AnalysisSettings &settings, const JobControl &control,
                    const WorkPlan &plan, WorkProgress &progress,
                    std::vector<std::string> &warnings)
{
    std::vector<RowCompensation> out;
    if (settings.rounding != Rounding::OutputAware)
        return out;
    if (control.stage)
        control.stage("measuring inputs");
    out.resize(layers.size());
    std::vector<std::size_t> measured, slot;
    for (std::size_t k = 0; k < layers.size(); ++k) {
        const LayerInfo &l = impl.layers[layers[k]];
        if (calib::gramFits(l)) {
            measured.push_back(layers[k]);
            slot.push_back(k);
            continue;
        }
        const double values = double(l.groups) * double(l.d) * double(l.d);
        std::ostringstream w;
        w << std::fixed << std::setprecision(1) << "layer '" << l.name
          << "' is rounded to nearest, not output-aware: its " << l.d << " inputs per channel"
          << (l.groups > 1 ? " in " + std::to_string(l.groups) + " groups" : "")
          << " give an input Gram of " << values / 1e6 << " million values ("
          << values * 8.0 / (1 << 20) << " MiB in double), over the limit of "
          << double(calib::kMaxGramValues) / 1e6 << " million";
        warnings.push_back(w.str());
    }
    if (!measured.empty()) {
        const double pass = plan.inputs - plan.factors;
        std::vector<at::Tensor> grams =
            calib::inputGrams(impl, profile, files, measured, settings.batchSize, control,
                              [&](double f) { progress.at(f * pass); });
        double factored = 0.0;
        for (std::size_t m = 0; m < measured.size(); ++m) {
            if (control.cancelled())
                throw Error(ErrorCode::Cancelled, "analysis cancelled");
            if (!at::isfinite(grams[m]).all().item<bool>())
                notFinite(impl.path, impl.layers[measured[m]].name);
            // the Gram goes once copied: one at a time beside the factors
            out[slot[m]] = calib::makeRowCompensation(std::move(grams[m]));
            factored += factorUnits(impl.layers[measured[m]]);
            progress.at(pass + factored);
        }
    }
    progress.at(plan.inputs);
    return out;
}

struct LayerResult
{
    MatrixDecomposition decomposition;
    std::vector<std::uint8_t> maxFirst;
    LayerCurves curves;
    ActivationRange activation;
    double callsPerForward = 0.0;
};

// Curves from the accumulated errors; with output-best, each channel takes the decomposition
// whose first point gives the lower e_c(1). Error(NonFinite) naming the layer when its signal or
// errors are NaN or Inf.
LayerResult finishLayer(const std::string &modelPath, const LayerInfo &l, const LayerState &st,
                        MatrixDecomposition primary, const MatrixDecomposition *alternate, int bits,
                        int N, bool allMaxFirst, const CalibrationRun &run,
                        std::vector<std::string> &warnings)
{
    const std::int64_t C = l.outChannels;
    const at::Tensor e = st.error.contiguous();
    const double *ep = e.data_ptr<double>();
    LayerResult r;
    r.maxFirst.assign(C, allMaxFirst ? 1 : 0);
    if (alternate)
        for (std::int64_t c = 0; c < C; ++c)
            r.maxFirst[c] = ep[N * C + c] < ep[c] ? 1 : 0;
    r.curves.name = l.name;
    r.curves.bits = bits;
    r.curves.extraBits = primary.extraBits();
    r.curves.maxPoints = N;
    r.curves.channels = C;
    r.curves.d = l.d;
    r.curves.outputPositions = st.positions / run.images;
    const at::Tensor s = st.signal.contiguous();
    r.curves.signal.assign(s.data_ptr<double>(), s.data_ptr<double>() + C);
    r.curves.error.resize(C * N);
    r.curves.shift.resize(C * N);
    r.curves.correctedError.resize(C * N);
    const at::Tensor shift = st.shift.contiguous();
    const double *sp = shift.data_ptr<double>();
    // P: all output positions of the layer on the calibration images (docs/multipoint.md
    // section 9): the shift is the mean of y_c - y_c^(n), and e_c(n) - P shift^2 the error
    // around it
    const double P = double(st.positions);
    std::int64_t dead = 0;
    for (std::int64_t c = 0; c < C; ++c) {
        const int k = alternate && r.maxFirst[c] ? 1 : 0;
        for (int n = 1; n <= N; ++n) {
            const std::int64_t at = (k * N + n - 1) * C + c;
            const double e = ep[at];
            const double mean = P > 0 ? sp[at] / P : 0.0;
            r.curves.error[c * N + (n - 1)] = e;
            r.curves.shift[c * N + (n - 1)] = mean;
            r.curves.correctedError[c * N + (n - 1)] = std::max(0.0, e - P * mean * mean);
            if (!std::isfinite(e) || !std::isfinite(mean))
                notFinite(modelPath, l.name);
        }
        if (!std::isfinite(r.curves.signal[c]))
            notFinite(modelPath, l.name);
        dead += r.curves.signal[c] == 0.0;
    }
    if (st.calls == 0)
        warnings.push_back(l.name + ": did not run on the calibration images; its curves are zero");
    else if (dead > 0)
        warnings.push_back(l.name + ": " + std::to_string(dead) + " of " + std::to_string(C) +
                           " channels have no output energy on the calibration images");
    r.decomposition = alternate ? MatrixDecomposition::mergeRows(primary, *alternate, r.maxFirst)
                                : std::move(primary);
    r.activation = st.calls > 0 ? ActivationRange{st.amin, st.amax} : ActivationRange{};
    r.callsPerForward = run.forwards > 0 ? double(st.calls) / run.forwards : 0.0;
    return r;
}

} // namespace

Analysis analyze(const Model &model, const ModelProfile &profile,
                 const std::vector<std::string> &imageFiles, const AnalysisSettings &settings,
                 const JobControl &control)
{
    validate(settings);
    const auto start = std::chrono::steady_clock::now();
    const ReuseLargeBlocks reuse;
    const Model::Impl &impl = model.impl();
    c10::InferenceMode inference;
    Analysis out;
    out.modelPath = impl.path;
    out.modelSha256 = impl.sha256;
    out.settings = settings;
    out.layers = impl.layers;
    out.warnings = impl.warnings;
    std::vector<std::size_t> all(impl.layers.size());
    for (std::size_t i = 0; i < all.size(); ++i)
        all[i] = i;
    std::vector<std::string> chosen = chooseImages(imageFiles, settings.calibCount, settings.seed);
    if (chosen.empty())
        throw Error(ErrorCode::BadImage, "no calibration images given");
    // The output sensitivity (docs/multipoint.md section 8) comes from the calibration's own
    // forward of the measured images, run with autograd, and a backward after it: the measured
    // images go first.
    std::unique_ptr<SensitivityRun> sensitivity;
    std::size_t measured = 0;
    if (settings.sensitivity) {
        SensitivityOptions options;
        options.batchSize = settings.batchSize;
        options.seed = settings.seed;
        sensitivity = std::make_unique<SensitivityRun>(impl, profile, options);
        measured = sensitivityImageCount(chosen.size(), options);
        std::vector<std::string> ordered;
        for (std::size_t i : sensitivityOrder(chosen.size(), options))
            ordered.push_back(chosen[i]);
        chosen = std::move(ordered);
    }
    // one instance records every layer's input and output (and with the sensitivity probes
    // them, made outside inference mode so that the backward can use its tensors); a single
    // image through it first gives each layer's output positions, hence the units of work of
    // the whole analysis
    std::vector<bool> record(impl.layers.size(), true);
    torch::jit::Module instance = [&] {
        c10::InferenceMode mode(!sensitivity);
        torch::jit::Module m = instrumentedInstance(impl, record, /*recordOutputs=*/true);
        if (sensitivity)
            sensitivity->instrument(m);
        return m;
    }();
    const WorkPlan plan = calib::planWork(
        impl, all, settings, calib::probe(impl, profile, instance, chosen, all), chosen.size());
    WorkProgress progress(control, plan, start);
    progress.at(0.0);

    std::vector<RowCompensation> compensation = outputAwareRounding(
        impl, profile, chosen, all, settings, control, plan, progress, out.warnings);
    if (control.stage)
        control.stage("decomposing");
    Decomposed dec =
        decomposeLayers(impl, all, settings.bits, settings, control, plan, progress, compensation);
    compensation.clear(); // the factors (d^2 doubles twice per layer) are not held through the
    compensation.shrink_to_fit(); // calibration

    if (control.stage)
        control.stage("calibrating");
    CalibrationRun run;
    try {
        run = calib::calibrate(impl, profile, instance, chosen, all, dec, settings.maxPoints,
                               settings.batchSize, control, plan, progress, sensitivity.get(),
                               measured);
    } catch (const ForwardWithAutogradFailed &e) {
        out.warnings.push_back(std::string("no output sensitivity: ") + impl.path +
                               ": the forward with autograd fails: " + e.what());
        sensitivity.reset();
        run = calib::calibrate(impl, profile, instance, chosen, all, dec, settings.maxPoints,
                               settings.batchSize, control, plan, progress);
    }
    out.warnings.insert(out.warnings.end(), run.warnings.begin(), run.warnings.end());
    out.calibrationFiles = run.usedFiles;

    for (std::size_t i = 0; i < all.size(); ++i) {
        LayerResult r = finishLayer(
            impl.path, impl.layers[i], run.states[i], std::move(dec.primary[i]),
            dec.alternate.empty() ? nullptr : &dec.alternate[i], settings.bits, settings.maxPoints,
            settings.firstPoint == FirstPointRule::Max, run, out.warnings);
        out.decompositions.push_back(std::move(r.decomposition));
        out.maxFirst.push_back(std::move(r.maxFirst));
        out.curves.push_back(std::move(r.curves));
        out.activations.push_back(r.activation);
        out.callsPerForward.push_back(r.callsPerForward);
    }
    if (sensitivity && !run.sensitivityLost && sensitivity->images() > 0) {
        OutputSensitivity w = sensitivity->result();
        for (std::size_t i = 0; i < out.curves.size() && i < w.diagonal.size(); ++i) {
            out.curves[i].sensitivity = std::move(w.diagonal[i]);
            out.curves[i].meanSensitivity = std::move(w.mean[i]);
        }
    }
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (control.progress)
        control.progress(1.0);
    return out;
}

std::vector<LayerAtBits> layersAtBits(const Model &model, const ModelProfile &profile,
                                      const Analysis &analysis,
                                      const std::vector<std::size_t> &layers, int bits,
                                      const JobControl &control,
                                      const std::optional<AnalysisSettings> &given)
{
    return layersAtBits(model, profile, analysis, layers, std::vector<int>{bits}, control, given);
}

std::vector<LayerAtBits> layersAtBits(const Model &model, const ModelProfile &profile,
                                      const Analysis &analysis,
                                      const std::vector<std::size_t> &layers,
                                      const std::vector<int> &bitWidths, const JobControl &control,
                                      const std::optional<AnalysisSettings> &given)
{
    for (int bits : bitWidths)
        checkBits(bits);
    const auto start = std::chrono::steady_clock::now();
    const Model::Impl &impl = model.impl();
    if (analysis.modelSha256 != impl.sha256)
        throw Error(ErrorCode::InvalidArgument, "the analysis belongs to another model");
    for (std::size_t i : layers)
        if (i >= impl.layers.size())
            throw Error(ErrorCode::InvalidArgument, "no layer number " + std::to_string(i));
    if (layers.empty() || bitWidths.empty())
        return {};
    AnalysisSettings settings = given ? *given : analysis.settings;
    for (int bits : bitWidths) {
        settings.bits = bits;
        validate(settings);
    }
    c10::InferenceMode inference;
    const ReuseLargeBlocks reuse;
    std::vector<bool> record(impl.layers.size(), false);
    for (std::size_t i : layers)
        record[i] = true;
    torch::jit::Module instance = instrumentedInstance(impl, record, /*recordOutputs=*/true);
    const WorkPlan plan =
        calib::planWork(impl, layers, settings,
                        calib::probe(impl, profile, instance, analysis.calibrationFiles, layers),
                        analysis.calibrationFiles.size());
    // One pass over the calibration images measures the input Grams for every bit width (they
    // do not depend on the bits); each bit width then decomposes and calibrates. Progress: each
    // bit width its share of the work, the first one with the input pass.
    WorkPlan later = plan;
    later.decompositionTotal -= later.inputs;
    later.inputs = 0.0;
    const double total = plan.total() + double(bitWidths.size() - 1) * later.total();
    double before = 0.0;
    std::vector<RowCompensation> compensation;
    std::vector<LayerAtBits> out;
    // the whole measurement's warnings (output-aware rounding's, the calibrations'), given to
    // each entry with its layer's own
    std::vector<std::string> warnings;
    for (std::size_t j = 0; j < bitWidths.size(); ++j) {
        const int bits = bitWidths[j];
        settings.bits = bits;
        const WorkPlan &part = j == 0 ? plan : later;
        JobControl partControl = control;
        if (control.progress && total > 0.0 && bitWidths.size() > 1)
            partControl.progress = [&control, before, share = part.total(), total](double f) {
                control.progress((before + f * share) / total);
            };
        WorkProgress progress(partControl, part, j == 0 ? start : std::chrono::steady_clock::now());
        progress.at(0.0);
        if (j == 0)
            compensation = outputAwareRounding(impl, profile, analysis.calibrationFiles, layers,
                                               settings, partControl, part, progress, warnings);
        if (control.stage)
            control.stage("decomposing");
        Decomposed dec = decomposeLayers(impl, layers, bits, settings, partControl, part, progress,
                                         compensation);
        if (j + 1 == bitWidths.size()) // the last width: the factors are not held further
            compensation = {};
        if (control.stage)
            control.stage("calibrating");
        const CalibrationRun run =
            calib::calibrate(impl, profile, instance, analysis.calibrationFiles, layers, dec,
                             settings.maxPoints, settings.batchSize, partControl, part, progress);
        addWarningsOnce(warnings, run.warnings);
        // The curves and the decomposition come from one finishLayer: with output-best, each
        // channel's e_c(n) is that of the decomposition merged into it (issue 12, defect 3).
        for (std::size_t k = 0; k < layers.size(); ++k) {
            std::vector<std::string> own;
            LayerResult r = finishLayer(
                impl.path, impl.layers[layers[k]], run.states[k], std::move(dec.primary[k]),
                dec.alternate.empty() ? nullptr : &dec.alternate[k], bits, settings.maxPoints,
                settings.firstPoint == FirstPointRule::Max, run, own);
            LayerAtBits a;
            a.warnings = warnings;
            addWarningsOnce(a.warnings, own);
            a.layer = layers[k];
            a.bits = bits;
            a.curves = std::move(r.curves);
            a.decomposition = std::move(r.decomposition);
            a.maxFirst = std::move(r.maxFirst);
            out.push_back(std::move(a));
        }
        before += part.total();
    }
    if (control.progress)
        control.progress(1.0);
    return out;
}

const LayerAtBits *findLayerAtBits(const std::vector<LayerAtBits> &atBits, std::size_t layer,
                                   int bits, int points)
{
    for (const LayerAtBits &a : atBits)
        if (a.layer == layer && a.bits == bits && a.decomposition.points() >= points)
            return &a;
    return nullptr;
}

void addWarningsOnce(std::vector<std::string> &to, const std::vector<std::string> &from)
{
    for (const std::string &w : from)
        if (std::find(to.begin(), to.end(), w) == to.end())
            to.push_back(w);
}

std::vector<std::string> measurementWarnings(const std::vector<LayerAtBits> &atBits,
                                             const Analysis &analysis, const std::string &context)
{
    std::vector<const LayerAtBits *> entries;
    for (const LayerAtBits &a : atBits)
        entries.push_back(&a);
    return measurementWarnings(entries, analysis, context);
}

std::vector<std::string> measurementWarnings(const std::vector<const LayerAtBits *> &atBits,
                                             const Analysis &analysis, const std::string &context)
{
    std::vector<std::string> seen, out;
    for (const LayerAtBits *a : atBits)
        for (const std::string &w : a->warnings) {
            if (std::find(seen.begin(), seen.end(), w) != seen.end() ||
                std::find(analysis.warnings.begin(), analysis.warnings.end(), w) !=
                    analysis.warnings.end())
                continue;
            seen.push_back(w);
            out.push_back(context + w);
        }
    return out;
}

std::vector<LayerCurves> curvesAtBits(const Model &model, const ModelProfile &profile,
                                      const Analysis &analysis,
                                      const std::vector<std::size_t> &layers, int bits,
                                      const JobControl &control)
{
    std::vector<LayerCurves> out;
    for (LayerAtBits &a : layersAtBits(model, profile, analysis, layers, bits, control))
        out.push_back(std::move(a.curves));
    return out;
}

} // namespace mpq
