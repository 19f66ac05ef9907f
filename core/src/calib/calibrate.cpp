// The calibration of an analysis (docs/multipoint.md section 3): the images streamed through
// the instrumented model, every layer's s_c, e_c(n) and output shifts accumulated from its
// recorded input and output; with the output sensitivity, its backward after the measured
// batches (section 8).
#include "calib/analysisrun.h"

#include "calib/sensitivityrun.h"
#include "model/forwardinput.h"
#include "mpq/error.h"
#include "util/errorreason.h"

#include <algorithm>
#include <atomic>

namespace mpq::calib {

namespace {

// Largest number of output elements one stacked evaluation may produce (16 MB of floats), as
// many versions as fit, at least one. Smaller blocks stay in the cache while y is reduced
// three times: 16 M elements (64 MB) took 1.54x as long on the demo detector at a batch of 8
// on two threads, 1.13x on one, and ResNet-18 within noise (docs/pipeline-benchmark.md,
// "Stacked evaluations in cache-sized blocks").
constexpr std::int64_t kMaxStackedElements = 4 << 20;

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

} // namespace

// Streams the files through `instance` (instrumentedInstance with outputs recorded for the
// listed layers) and accumulates s_c from each layer's recorded output and e_c(n) of every
// decomposition version from its recorded input. Memory: one batch of activations plus one
// stacked layer evaluation (at most kMaxStackedElements outputs). Progress: after the
// decomposition, each call's MACs times its evaluations.
CalibrationRun calibrate(const Model::Impl &impl, const ModelProfile &profile,
                         torch::jit::Module &instance, const std::vector<std::string> &files,
                         const std::vector<std::size_t> &layers, const Decomposed &dec, int N,
                         int batchSize, const JobControl &control, const WorkPlan &plan,
                         WorkProgress &progress, SensitivityRun *sensitivity, std::size_t measured)
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
            throw Error(ErrorCode::BadModel,
                        modelFailsOnInput(impl.path, batch.size(), profile.input, e));
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
        run.warnings.push_back(skippedCalibrationImages(skipped, files.size()));
    if (run.images == 0)
        throw Error(ErrorCode::BadImage, "none of the " + std::to_string(files.size()) +
                                             " calibration images could be read");
    return run;
}

} // namespace mpq::calib
