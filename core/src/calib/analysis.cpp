// The staged analysis: decompose every layer, then stream calibration batches through the
// instrumented model and accumulate s_c and e_c(n) (docs/multipoint.md section 3).
#include "mpq/analysis.h"

#include "calib/calibration.h"
#include "calib/progress.h"
#include "calib/sensitivityrun.h"
#include "model/forwardinput.h"
#include "mpq/error.h"
#include "mpq/grid.h"
#include "mpq/sensitivity.h"
#include "util/errorreason.h"
#include "util/parallelfor.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>

namespace mpq {

namespace {

void validate(const AnalysisSettings &s)
{
    checkBits(s.bits);
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

// Accumulators of one layer during calibration.
struct LayerState
{
    at::Tensor weight; // folded, stored shape, on the device
    at::Tensor signal; // (C) double
    at::Tensor error;  // (versions, C) double
    at::Tensor shift;  // (versions, C) double: sums of y_c - y_c^(n) (bias correction)
    std::int64_t calls = 0;
    std::int64_t positions = 0; // output positions summed over calls and images
    float amin = std::numeric_limits<float>::max();
    float amax = std::numeric_limits<float>::lowest();
};

// Largest number of output elements one stacked evaluation may produce (16 MB of floats), as
// many versions as fit, at least one. Smaller blocks stay in the cache while y is reduced
// three times: 16 M elements (64 MB) took 1.54x as long on the demo detector at a batch of 8
// on two threads, 1.13x on one, and ResNet-18 within noise (docs/pipeline-benchmark.md,
// "Stacked evaluations in cache-sized blocks").
constexpr std::int64_t kMaxStackedElements = 4 << 20;

struct CancelledInForward : std::runtime_error
{
    CancelledInForward()
        : std::runtime_error("mpq: analysis cancelled")
    {}
};

// The first calibration batch failed in its forward with autograd on (for the output
// sensitivity): the analysis calibrates again without it, and with an inference-mode forward
// reports the model's own failure if it has one.
struct ForwardWithAutogradFailed : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

// The calibration allocates and frees blocks of 16 MB and more per layer call (the stacked
// differences and their outputs). glibc maps every block above its mmap threshold (at most
// 32 MB) afresh, and the page faults of touching it again took a quarter of ResNet-18's analysis
// (docs/pipeline-benchmark.md). While an analysis runs, freed blocks up to 256 MB stay in the
// heap for the next call; when the last one ends, the thresholds go back to glibc's largest
// automatic values (32 MB and 64 MB) and the heap is trimmed.
class ReuseLargeBlocks
{
public:
    ReuseLargeBlocks()
    {
#if defined(__GLIBC__)
        std::lock_guard<std::mutex> lock(mutex());
        if (active()++ == 0) {
            mallopt(M_MMAP_THRESHOLD, 256 << 20);
            mallopt(M_TRIM_THRESHOLD, 1 << 30);
        }
#endif
    }
    ~ReuseLargeBlocks()
    {
#if defined(__GLIBC__)
        std::lock_guard<std::mutex> lock(mutex());
        if (--active() == 0) {
            mallopt(M_MMAP_THRESHOLD, 32 << 20);
            mallopt(M_TRIM_THRESHOLD, 64 << 20);
            malloc_trim(0);
        }
#endif
    }
    ReuseLargeBlocks(const ReuseLargeBlocks &) = delete;
    ReuseLargeBlocks &operator=(const ReuseLargeBlocks &) = delete;

private:
    static std::mutex &mutex()
    {
        static std::mutex m;
        return m;
    }
    static int &active()
    {
        static int n = 0;
        return n;
    }
};

// The output sensitivity's cost per measured image in forwards of the model, on top of the
// calibration: the backward of the activations only and the forward's autograd bookkeeping
// (docs/multipoint.md section 8). The demo detector: 2.1-2.3 (extra seconds of the analysis
// over 12 images x the probe's forward).
constexpr double kSensitivityForwards = 2.2;

// The work of an analysis of `layers`, estimated before it starts.
struct WorkPlan
{
    std::vector<double> decomposition; // per layer in the list, in MAC units
    double decompositionTotal = 0.0;
    double perImage = 0.0; // calibration units per image
    double images = 0.0;
    // the calibration's seconds estimated from a timed forward of one image; 0: unknown
    double calibrationSeconds = 0.0;
    // the output sensitivity's backward passes within the calibration (docs/multipoint.md
    // section 8), in calibration units, 0 when off; and their seconds estimated from the probe
    // (0: unknown)
    double sensitivity = 0.0;
    double sensitivitySeconds = 0.0;
    // output elements of the listed layers per image (0: unknown)
    double layerOutputs = 0.0;
    double total() const { return decompositionTotal + perImage * images + sensitivity; }
};

// Reports the analysis' progress: its units of work re-scaled by the rates measured while it
// runs (calib/progress.h), each stage at its own rate (decomposition, calibration with the
// sensitivity's backward passes when on), never decreasing, 1 only at the end; callable from any
// thread. Its clock starts with the job (`start`), not after the probe: the seconds before the
// first unit (the instrumented copy, the probe's three forwards; 3 s of a 45 s analysis of the demo
// detector) are part of the time the fraction is a share of (docs/BENCHMARKS.md, "Time left").
class WorkProgress
{
public:
    WorkProgress(const JobControl &control, const WorkPlan &plan,
                 std::chrono::steady_clock::time_point start)
        : m_progress(control.progress, stages(plan), [start] {
            return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        })
    {}
    void at(double done) { m_progress.at(done); }
    void startCalibration() { m_progress.startStage(1); }

private:
    static std::vector<ProgressStage> stages(const WorkPlan &plan)
    {
        // the sensitivity's backward passes run inside the calibration
        const double seconds = plan.calibrationSeconds > 0.0 &&
                                       (plan.sensitivity == 0.0 || plan.sensitivitySeconds > 0.0)
                                   ? plan.calibrationSeconds + plan.sensitivitySeconds
                                   : 0.0;
        return {{plan.decompositionTotal, 0.0},
                {plan.perImage * plan.images + plan.sensitivity, seconds}};
    }
    RescaledProgress m_progress;
};

// Evaluations of a layer per call during calibration: the layer in the model's forward and
// the stacked differences of every decomposition version.
int evaluationsPerCall(const AnalysisSettings &s)
{
    return 1 + (s.firstPoint == FirstPointRule::OutputBest ? 2 : 1) * s.maxPoints;
}

// What one image run through `instance` (which records outputs) tells before an analysis.
struct Probe
{
    std::vector<double> positions; // output positions of each listed layer, summed over calls
    double seconds = 0.0;          // of a forward after two (the first two run the JIT's profiling
                                   // and optimisation, docs/pipeline-benchmark.md)
};

// Output positions of each listed layer per image, from the first readable image run through
// `instance`, and the time of a third forward of it; positions empty when no image in the
// first few can be read or the forward fails (calibrate then reports the reason).
Probe probe(const Model::Impl &impl, const ModelProfile &profile, torch::jit::Module &instance,
            const std::vector<std::string> &files, const std::vector<std::size_t> &layers)
{
    std::vector<int> slot(impl.layers.size(), -1);
    for (std::size_t k = 0; k < layers.size(); ++k)
        slot[layers[k]] = static_cast<int>(k);
    for (std::size_t i = 0; i < std::min<std::size_t>(files.size(), 4); ++i) {
        std::vector<PreparedImage> one;
        try {
            one.push_back(prepareImage(files[i], profile.input));
        } catch (const Error &) {
            continue;
        }
        Probe out;
        out.positions.assign(layers.size(), 0.0);
        bool first = true;
        const Recorder recorder = [&](std::int64_t id, const at::Tensor &y, bool output) {
            if (first && output && slot[id] >= 0)
                out.positions[slot[id]] +=
                    double(y.numel()) / std::max<std::int64_t>(1, impl.layers[id].outChannels);
        };
        try {
            RecordingScope scope(recorder);
            const at::Tensor batch = batchTensor(one, impl.device);
            instance.forward(forwardArguments(instance, batch));
            first = false;
            instance.forward(forwardArguments(instance, batch));
            const auto start = std::chrono::steady_clock::now();
            instance.forward(forwardArguments(instance, batch));
            out.seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        } catch (const std::exception &) {
            return {};
        }
        return out;
    }
    return {};
}

WorkPlan planWork(const Model::Impl &impl, const std::vector<std::size_t> &layers,
                  const AnalysisSettings &s, const Probe &probe, std::size_t images)
{
    WorkPlan plan;
    const double perPoint =
        kMacsPerWeightPoint * (s.search == SearchMethod::Grid ? kGridStepFactor : 1.0);
    const int versions = s.firstPoint == FirstPointRule::OutputBest ? 2 : 1;
    double listedUnits = 0.0; // calibration units of one evaluation of every layer per image
    for (std::size_t k = 0; k < layers.size(); ++k) {
        const LayerInfo &l = impl.layers[layers[k]];
        const double weights = double(l.outChannels) * double(l.d);
        plan.decomposition.push_back(weights * s.maxPoints * versions * perPoint);
        plan.decompositionTotal += plan.decomposition.back();
        if (!probe.positions.empty()) {
            const double units = probe.positions[k] * double(l.outChannels) *
                                 calibrationUnitsPerOutput(double(l.d), l.groups);
            listedUnits += units;
            plan.perImage += units * evaluationsPerCall(s);
        }
    }
    plan.images = double(images);
    for (std::size_t k = 0; k < layers.size() && !probe.positions.empty(); ++k)
        plan.layerOutputs += probe.positions[k] * double(impl.layers[layers[k]].outChannels);
    if (probe.positions.empty() && images > 0) // nothing measured: the calibration three quarters
        plan.perImage = 3.0 * plan.decompositionTotal / plan.images;
    // the calibration's time from the probe's, when every layer is analysed: per image one
    // forward and the stacked evaluations at kEvaluationCostInForwards forwards each (else
    // unknown: the decomposition's rate per unit stands in until the calibration has its own)
    if (probe.seconds > 0.0 && listedUnits > 0.0 && layers.size() == impl.layers.size())
        plan.calibrationSeconds = plan.images * probe.seconds *
                                  (1.0 + kEvaluationCostInForwards * (evaluationsPerCall(s) - 1));
    // the sensitivity: per measured image a backward without weight gradients and the
    // forward's autograd bookkeeping, about kSensitivityForwards forwards (section 8)
    if (s.sensitivity && layers.size() == impl.layers.size()) {
        // on a part of the images only (sensitivityImageCount)
        const double measured =
            double(sensitivityImageCount(std::size_t(plan.images), SensitivityOptions{}));
        plan.sensitivity =
            kSensitivityForwards * measured *
            (listedUnits > 0.0 ? listedUnits : plan.perImage / evaluationsPerCall(s));
        plan.sensitivitySeconds = kSensitivityForwards * measured * probe.seconds;
    }
    return plan;
}

// Up to N points per channel of the given layers at `bits`; with output-best also the
// max-first decomposition (alternate), else alternate stays empty. Progress: plan.decomposition
// units per layer, from 0.
struct Decomposed
{
    std::vector<MatrixDecomposition> primary;
    std::vector<MatrixDecomposition> alternate;
};

Decomposed decomposeLayers(const Model::Impl &impl, const std::vector<std::size_t> &layers,
                           int bits, const AnalysisSettings &settings, const JobControl &control,
                           const WorkPlan &plan, WorkProgress &progress)
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
        o.maxPoints = settings.maxPoints;
        o.search = settings.search;
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
            progress.at(done);
        };
        MatrixDecomposition d =
            decompose(impl.foldedWeights[i].data(), l.outChannels, l.d, o, inner);
        (task.version == 0 ? out.primary : out.alternate)[task.k] = std::move(d);
    });
    progress.at(plan.decompositionTotal);
    return out;
}

// Elements of the layer's output for input x (what one version of the stacked evaluation
// produces), from the shapes alone.
std::int64_t outputElements(const at::Tensor &x, const LayerInfo &l, const LayerOp &op,
                            std::int64_t spatial)
{
    if (l.kind == LayerKind::Linear)
        return x.numel() / std::max<std::int64_t>(1, x.size(-1)) * l.outChannels;
    std::int64_t n = x.numel();
    for (std::int64_t i = 0; i <= spatial && i < x.dim(); ++i)
        n /= std::max<std::int64_t>(1, x.size(x.dim() - 1 - i));
    n *= l.outChannels;
    const auto at = [](const std::vector<std::int64_t> &v, std::int64_t i, std::int64_t fallback) {
        return v.empty() ? fallback : v[std::min<std::size_t>(i, v.size() - 1)];
    };
    for (std::int64_t i = 0; i < spatial && i < x.dim(); ++i) {
        const std::int64_t in = x.size(x.dim() - spatial + i);
        if (op.paddingMode == "same") {
            n *= in;
            continue;
        }
        const std::int64_t kernel = l.weightShape[2 + i];
        const std::int64_t pad = op.paddingMode.empty() ? at(op.padding, i, 0) : 0;
        const std::int64_t out =
            (in + 2 * pad - at(op.dilation, i, 1) * (kernel - 1) - 1) / at(op.stride, i, 1) + 1;
        n *= std::max<std::int64_t>(1, out);
    }
    return n;
}

struct CalibrationRun
{
    std::vector<LayerState> states; // by position in the layer list
    std::vector<std::string> usedFiles;
    std::vector<std::string> warnings;
    std::int64_t images = 0;
    std::int64_t forwards = 0;
    bool sensitivityLost = false; // a backward of the sensitivity failed (in the warnings)
};

// The images of a calibration batch whose forward runs with autograd for the output
// sensitivity: the backward keeps about three times the layers' outputs (the demo detector's
// 32 M output elements per image held 380 MB per image), so a batch holds at most
// kSensitivityBatchOutputs of them (docs/multipoint.md section 8).
constexpr double kSensitivityBatchOutputs = 64.0 * (1 << 20);

std::size_t sensitivityBatchSize(const WorkPlan &plan, int batchSize)
{
    const std::size_t batch = std::size_t(std::max(1, batchSize));
    if (plan.layerOutputs <= 0.0)
        return batch;
    return std::clamp<std::size_t>(std::size_t(kSensitivityBatchOutputs / plan.layerOutputs), 1,
                                   batch);
}

// Streams the files through `instance` (instrumentedInstance with outputs recorded for the
// listed layers) and accumulates s_c from each layer's recorded output and e_c(n) of every
// decomposition version from its recorded input. Memory: one batch of activations plus one
// stacked layer evaluation (at most kMaxStackedElements outputs). Progress: after the
// decomposition, each call's MACs times its evaluations.
CalibrationRun calibrate(const Model::Impl &impl, const ModelProfile &profile,
                         torch::jit::Module &instance, const std::vector<std::string> &files,
                         const std::vector<std::size_t> &layers, const Decomposed &dec, int N,
                         int batchSize, const JobControl &control, const WorkPlan &plan,
                         WorkProgress &progress, SensitivityRun *sensitivity = nullptr,
                         std::size_t measured = 0)
{
    const bool outputBest = !dec.alternate.empty();
    const std::size_t layerCount = impl.layers.size();
    std::vector<int> slot(layerCount, -1);
    for (std::size_t k = 0; k < layers.size(); ++k)
        slot[layers[k]] = static_cast<int>(k);
    const c10::Device device(impl.device);
    CalibrationRun run;
    progress.startCalibration();
    run.states.resize(layers.size());
    std::vector<OutputToFolded> toFolded;
    for (std::size_t k = 0; k < layers.size(); ++k) {
        const LayerInfo &l = impl.layers[layers[k]];
        LayerState &st = run.states[k];
        st.weight = at::from_blob(const_cast<float *>(impl.foldedWeights[layers[k]].data()),
                                  l.weightShape, at::kFloat)
                        .clone()
                        .to(device);
        st.signal = at::zeros({l.outChannels}, at::kDouble);
        st.error = at::zeros({(outputBest ? 2 : 1) * N, l.outChannels}, at::kDouble);
        st.shift = at::zeros_like(st.error);
        toFolded.push_back(outputToFolded(impl, layers[k]));
    }
    // units of work done: the decomposition, the finished batches, and the current batch;
    // a measured batch's forward ends at forwardEnd, its backward at batchEnd
    double batchStart = plan.decompositionTotal, batchEnd = batchStart, forwardEnd = batchStart,
           inBatch = 0.0;
    const double backwardPerImage =
        sensitivity && measured > 0 ? plan.sensitivity / double(measured) : 0.0;
    const std::size_t measuredBatch = sensitivityBatchSize(plan, batchSize);
    // Within a batch, progress is reported at every layer output and stacked evaluation, each
    // step its estimated units (calibrationUnitsPerOutput) corrected by the seconds the steps
    // of the same layer and kind (its output, its stacked evaluations) took in the batches so
    // far (calib/progress.h, StepRates). Per layer, not per step: the number of evaluations per
    // call depends on the batch's size.
    StepRates steps(2 * layers.size());
    const auto advance = [&](double units, std::size_t k, bool output) {
        units = steps.step(2 * k + (output ? 0 : 1), units);
        inBatch += units;
        progress.at(std::min(forwardEnd, batchStart + inBatch));
    };
    std::atomic<bool> stop{false};
    const Recorder recorder = [&](std::int64_t id, const at::Tensor &x, bool output) {
        if (stop || control.cancelled()) {
            stop = true;
            throw CancelledInForward(); // ends the forward now; reported as Cancelled below
        }
        const int k = slot[id];
        if (k < 0)
            return;
        // a measured batch's forward runs with autograd (SensitivityRun): what is computed here
        // stays out of its graph
        c10::InferenceMode inference;
        LayerState &st = run.states[k];
        const LayerInfo &l = impl.layers[id];
        const std::int64_t spatial = l.kind == LayerKind::Conv1d   ? 1
                                     : l.kind == LayerKind::Conv2d ? 2
                                                                   : 0;
        if (output) {
            // s_c from the output the model computed anyway: y_c = W_c x + b_c, and with a
            // folded BatchNorm W_f,c = scale_c W_c (docs/multipoint.md sections 1 and 3)
            st.signal += foldedSignal(x, toFolded[k], l.kind, spatial);
            st.calls += 1;
            const std::int64_t positions = x.numel() / l.outChannels;
            st.positions += positions;
            advance(double(positions) * l.outChannels *
                        calibrationUnitsPerOutput(double(l.d), l.groups),
                    std::size_t(k), true);
            return;
        }
        const LayerOp &op = impl.ops[id];
        st.amin = std::min(st.amin, x.min().item<float>());
        st.amax = std::max(st.amax, x.max().item<float>());
        // stack as many versions W - W^(n) into one evaluation as the memory cap allows; when
        // one version's outputs exceed it, evaluate it on parts of the rows (images) of x, so
        // a batch costs about its images times one image (the demo detector's first layers
        // took 1.6x as long per image at a batch of 8 as at 1, docs/pipeline-benchmark.md)
        const std::int64_t elements = std::max<std::int64_t>(1, outputElements(x, l, op, spatial));
        const std::int64_t chunk = std::max<std::int64_t>(1, kMaxStackedElements / elements);
        const std::int64_t rows =
            x.dim() >= (l.kind == LayerKind::Linear ? 2 : spatial + 2) ? x.size(0) : 1;
        const std::int64_t parts = std::clamp<std::int64_t>(
            (elements + kMaxStackedElements - 1) / kMaxStackedElements, 1, rows);
        const std::int64_t rowsPerPart = (rows + parts - 1) / parts;
        for (int which = 0; which < (outputBest ? 2 : 1); ++which) {
            const MatrixDecomposition &d = which == 0 ? dec.primary[k] : dec.alternate[k];
            for (int from = 0; from < N;) {
                const int to = std::min<int>(N, from + static_cast<int>(chunk));
                std::vector<std::int64_t> shape = l.weightShape;
                shape[0] = l.outChannels * (to - from);
                const at::Tensor diff =
                    stackedDifferences(d, impl.foldedWeights[id], from, to, l.groups)
                        .view(shape)
                        .to(device);
                for (std::int64_t r = 0; r < rows; r += rowsPerPart) {
                    const at::Tensor y = op.run(
                        parts > 1 ? x.narrow(0, r, std::min(rowsPerPart, rows - r)) : x, diff);
                    const at::Tensor perRow =
                        channelSumOfSquares(y, l.kind, spatial).to(at::kCPU, at::kDouble);
                    st.error.narrow(0, which * N + from, to - from) +=
                        perRow.view({l.groups, to - from, l.outChannels / l.groups})
                            .permute({1, 0, 2})
                            .reshape({to - from, l.outChannels});
                    // the bias correction's sums of y_c - y_c^(n) from the same evaluation
                    // (docs/multipoint.md section 9): every output position, padded ones
                    // included
                    st.shift.narrow(0, which * N + from, to - from) +=
                        channelSum(y, l.kind, spatial)
                            .to(at::kCPU)
                            .view({l.groups, to - from, l.outChannels / l.groups})
                            .permute({1, 0, 2})
                            .reshape({to - from, l.outChannels});
                    advance(double(y.numel()) * calibrationUnitsPerOutput(double(l.d), l.groups),
                            std::size_t(k), false);
                }
                from = to;
            }
        }
    };

    std::int64_t skipped = 0;
    RecordingScope scope(recorder);
    // The first image runs alone: its steps' seconds then divide the units of every later
    // batch (above) after a twelfth of the demo detector's calibration, not after two thirds.
    for (std::size_t begin = 0, end = 0; begin < files.size(); begin = end) {
        if (control.cancelled())
            throw Error(ErrorCode::Cancelled, "analysis cancelled");
        end = std::min(files.size(), begin + (begin == 0 ? 1 : std::size_t(batchSize)));
        // the first `measured` files also get the sensitivity's backward, in batches of their own
        // small enough for the activations that the backward keeps
        const bool measure = sensitivity && begin < measured;
        if (measure)
            end = std::min({end, measured, begin + measuredBatch});
        std::vector<PreparedImage> batch;
        std::vector<std::string> batchFiles;
        for (std::size_t i = begin; i < end; ++i) {
            try {
                batch.push_back(prepareImage(files[i], profile.input));
                batchFiles.push_back(files[i]);
            } catch (const Error &e) {
                run.warnings.push_back(std::string("skipped image: ") + e.what());
                ++skipped;
            }
        }
        if (batch.empty())
            continue;
        batchStart = plan.decompositionTotal + plan.perImage * double(begin) +
                     backwardPerImage * double(std::min(begin, measured));
        forwardEnd = batchStart + plan.perImage * double(end - begin);
        batchEnd = forwardEnd + (measure ? backwardPerImage * double(end - begin) : 0.0);
        inBatch = 0.0;
        steps.restart();
        try {
            // what the forward takes, as the runner passes it (a list of images for
            // torchvision detection models)
            if (measure)
                sensitivity->forward(instance, batch);
            else
                instance.forward(forwardArguments(instance, batchTensor(batch, impl.device)));
        } catch (const std::exception &e) {
            if (stop)
                throw Error(ErrorCode::Cancelled, "analysis cancelled");
            if (measure && run.images == 0)
                throw ForwardWithAutogradFailed(
                    torchErrorReason(e.what())); // analyze() runs it again
            throw Error(
                ErrorCode::BadModel,
                impl.path + ": the model fails on a " + std::to_string(batch.size()) + "x" +
                    std::to_string(profile.input.channels) + "x" +
                    std::to_string(profile.input.height) + "x" +
                    std::to_string(profile.input.width) +
                    " input (check the profile's input size): " + torchErrorReason(e.what()));
        }
        steps.update();
        if (measure) {
            progress.at(forwardEnd);
            try {
                sensitivity->backward();
            } catch (const Error &e) {
                // the calibration goes on; the allocation will be unweighted
                run.warnings.push_back(std::string("no output sensitivity: ") + e.what());
                run.sensitivityLost = true;
                sensitivity = nullptr;
            }
        }
        run.images += static_cast<std::int64_t>(batch.size());
        run.forwards += 1;
        run.usedFiles.insert(run.usedFiles.end(), batchFiles.begin(), batchFiles.end());
        progress.at(batchEnd);
    }
    if (skipped > 0)
        run.warnings.push_back(std::to_string(skipped) + " of " + std::to_string(files.size()) +
                               " calibration images could not be read and were skipped");
    if (run.images == 0)
        throw Error(ErrorCode::BadImage, "none of the " + std::to_string(files.size()) +
                                             " calibration images could be read");
    return run;
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
// whose first point gives the lower e_c(1).
LayerResult finishLayer(const LayerInfo &l, const LayerState &st, MatrixDecomposition primary,
                        const MatrixDecomposition *alternate, int bits, int N, bool allMaxFirst,
                        const CalibrationRun &run, std::vector<std::string> &warnings)
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
        }
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
    const WorkPlan plan =
        planWork(impl, all, settings, probe(impl, profile, instance, chosen, all), chosen.size());
    WorkProgress progress(control, plan, start);
    progress.at(0.0);

    if (control.stage)
        control.stage("decomposing");
    Decomposed dec = decomposeLayers(impl, all, settings.bits, settings, control, plan, progress);

    if (control.stage)
        control.stage("calibrating");
    CalibrationRun run;
    try {
        run = calibrate(impl, profile, instance, chosen, all, dec, settings.maxPoints,
                        settings.batchSize, control, plan, progress, sensitivity.get(), measured);
    } catch (const ForwardWithAutogradFailed &e) {
        out.warnings.push_back(std::string("no output sensitivity: ") + impl.path +
                               ": the forward with autograd fails: " + e.what());
        sensitivity.reset();
        run = calibrate(impl, profile, instance, chosen, all, dec, settings.maxPoints,
                        settings.batchSize, control, plan, progress);
    }
    out.warnings.insert(out.warnings.end(), run.warnings.begin(), run.warnings.end());
    out.calibrationFiles = run.usedFiles;

    for (std::size_t i = 0; i < all.size(); ++i) {
        LayerResult r = finishLayer(impl.layers[i], run.states[i], std::move(dec.primary[i]),
                                    dec.alternate.empty() ? nullptr : &dec.alternate[i],
                                    settings.bits, settings.maxPoints,
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
    checkBits(bits);
    const auto start = std::chrono::steady_clock::now();
    const Model::Impl &impl = model.impl();
    if (analysis.modelSha256 != impl.sha256)
        throw Error(ErrorCode::InvalidArgument, "the analysis belongs to another model");
    for (std::size_t i : layers)
        if (i >= impl.layers.size())
            throw Error(ErrorCode::InvalidArgument, "no layer number " + std::to_string(i));
    if (layers.empty())
        return {};
    AnalysisSettings settings = given ? *given : analysis.settings;
    settings.bits = bits;
    validate(settings);
    c10::InferenceMode inference;
    const ReuseLargeBlocks reuse;
    std::vector<bool> record(impl.layers.size(), false);
    for (std::size_t i : layers)
        record[i] = true;
    torch::jit::Module instance = instrumentedInstance(impl, record, /*recordOutputs=*/true);
    const WorkPlan plan = planWork(
        impl, layers, settings, probe(impl, profile, instance, analysis.calibrationFiles, layers),
        analysis.calibrationFiles.size());
    WorkProgress progress(control, plan, start);
    progress.at(0.0);
    if (control.stage)
        control.stage("decomposing");
    Decomposed dec = decomposeLayers(impl, layers, bits, settings, control, plan, progress);
    if (control.stage)
        control.stage("calibrating");
    const CalibrationRun run =
        calibrate(impl, profile, instance, analysis.calibrationFiles, layers, dec,
                  settings.maxPoints, settings.batchSize, control, plan, progress);
    // The curves and the decomposition come from one finishLayer: with output-best, each
    // channel's e_c(n) is that of the decomposition merged into it (issue 12, defect 3).
    std::vector<LayerAtBits> out;
    std::vector<std::string> warnings;
    for (std::size_t k = 0; k < layers.size(); ++k) {
        LayerResult r = finishLayer(
            impl.layers[layers[k]], run.states[k], std::move(dec.primary[k]),
            dec.alternate.empty() ? nullptr : &dec.alternate[k], bits, settings.maxPoints,
            settings.firstPoint == FirstPointRule::Max, run, warnings);
        LayerAtBits a;
        a.layer = layers[k];
        a.bits = bits;
        a.curves = std::move(r.curves);
        a.decomposition = std::move(r.decomposition);
        a.maxFirst = std::move(r.maxFirst);
        out.push_back(std::move(a));
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
