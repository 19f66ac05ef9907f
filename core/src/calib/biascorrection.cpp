// The baselines' bias correction (docs/multipoint.md section 9): one calibration pass that
// runs every quantized layer on its float input with the weight error W_f - W_q.
#include "mpq/biascorrection.h"

#include "calib/calibration.h"
#include "model/forwardinput.h"
#include "mpq/error.h"
#include "util/reuselargeblocks.h"

#include <string>

namespace mpq {

std::vector<std::vector<float>>
measureBiasCorrection(const Model &model, const ModelProfile &profile, const Analysis &analysis,
                      const std::vector<std::vector<float>> &weights, const JobControl &control,
                      std::vector<std::string> *warnings)
{
    const Model::Impl &impl = model.impl();
    if (analysis.modelSha256 != impl.sha256 || weights.size() != impl.layers.size())
        throw Error(ErrorCode::InvalidArgument,
                    "measureBiasCorrection: the analysis or weights belong to another model");
    const std::size_t L = impl.layers.size();
    std::vector<bool> record(L, false);
    std::vector<at::Tensor> difference(L), sums(L);
    std::vector<double> positions(L, 0.0);
    const c10::Device device(impl.device);
    bool any = false;
    for (std::size_t i = 0; i < L; ++i) {
        if (weights[i].empty())
            continue;
        const LayerInfo &l = impl.layers[i];
        if (static_cast<std::int64_t>(weights[i].size()) != l.outChannels * l.d)
            throw Error(ErrorCode::InvalidArgument,
                        "measureBiasCorrection: wrong weight size for " + l.name);
        const at::Tensor folded = at::from_blob(const_cast<float *>(impl.foldedWeights[i].data()),
                                                l.weightShape, at::kFloat);
        const at::Tensor q =
            at::from_blob(const_cast<float *>(weights[i].data()), l.weightShape, at::kFloat);
        difference[i] = (folded - q).to(device);
        sums[i] = at::zeros({l.outChannels}, at::kDouble);
        record[i] = true;
        any = true;
    }
    std::vector<std::vector<float>> out(L);
    if (!any)
        return out;
    c10::InferenceMode inference;
    const ReuseLargeBlocks reuse; // the batches' activations stay in the heap
    torch::jit::Module instance = instrumentedInstance(impl, record, /*recordOutputs=*/false);
    bool stop = false;
    const Recorder recorder = [&](std::int64_t id, const at::Tensor &x, bool output) {
        if (stop || control.cancelled()) {
            stop = true;
            throw CancelledInForward();
        }
        if (output || id < 0 || static_cast<std::size_t>(id) >= L || !record[id])
            return;
        const LayerInfo &l = impl.layers[id];
        const std::int64_t spatial = l.kind == LayerKind::Conv1d   ? 1
                                     : l.kind == LayerKind::Conv2d ? 2
                                                                   : 0;
        // y - y_q = (W_f - W_q) x: the stacked evaluation of the analysis with one version
        const at::Tensor y = impl.ops[id].run(x, difference[id]);
        sums[id] += channelSum(y, l.kind, spatial).to(at::kCPU);
        positions[id] += double(y.numel()) / double(l.outChannels);
    };
    const std::vector<std::string> &files = analysis.calibrationFiles;
    const std::size_t batchSize = std::max(1, analysis.settings.batchSize);
    std::size_t images = 0;
    std::int64_t skipped = 0;
    RecordingScope scope(recorder);
    for (std::size_t begin = 0; begin < files.size(); begin += batchSize) {
        if (control.cancelled())
            throw Error(ErrorCode::Cancelled, "bias correction cancelled");
        std::vector<PreparedImage> batch;
        for (std::size_t i = begin; i < std::min(files.size(), begin + batchSize); ++i) {
            try {
                batch.push_back(prepareImage(files[i], profile.input));
            } catch (const Error &e) {
                if (warnings)
                    warnings->push_back(std::string("skipped image: ") + e.what());
                ++skipped;
            }
        }
        if (batch.empty())
            continue;
        try {
            instance.forward(forwardArguments(instance, batchTensor(batch, impl.device)));
        } catch (const std::exception &e) {
            if (stop)
                throw Error(ErrorCode::Cancelled, "bias correction cancelled");
            throw Error(ErrorCode::BadModel,
                        modelFailsOnInput(impl.path, batch.size(), profile.input, e));
        }
        images += batch.size();
        if (control.progress)
            control.progress(double(std::min(files.size(), begin + batchSize)) /
                             double(files.size()));
    }
    if (skipped > 0 && warnings)
        warnings->push_back(skippedCalibrationImages(skipped, files.size()));
    if (images == 0)
        throw Error(ErrorCode::BadImage, "bias correction: none of the " +
                                             std::to_string(files.size()) +
                                             " calibration images could be read");
    for (std::size_t i = 0; i < L; ++i) {
        if (!record[i])
            continue;
        const at::Tensor mean = positions[i] > 0 ? sums[i] / positions[i] : sums[i];
        const at::Tensor f = mean.to(at::kFloat).contiguous();
        out[i].assign(f.data_ptr<float>(), f.data_ptr<float>() + f.numel());
    }
    return out;
}

} // namespace mpq
