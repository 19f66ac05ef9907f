#pragma once
// Output sensitivity of every quantizable layer's channels (docs/multipoint.md section 8): how
// much the model's final output loss changes per unit of a channel's output error, estimated
// from random probes at the output (the diagonal of J^T F J or J^T J).

#include "mpq/jobcontrol.h"
#include "mpq/model.h"
#include "mpq/profile.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mpq {

/// How the output loss is measured.
enum class SensitivityLoss {
    Auto,        ///< KL of the softmax for a classification profile, else SquaredError
    Kl,          ///< KL divergence of the softmax over the last dimension of every output
    SquaredError ///< squared error of the raw outputs
};

struct SensitivityOptions
{
    SensitivityLoss loss = SensitivityLoss::Auto;
    int batchSize = 8;
    int probes = 1;         ///< random probes (backward passes) per batch
    std::uint64_t seed = 0; ///< of the probes
};

/// w_c per layer (model.layers() order) and output channel, measured on the folded output
/// W_f x the curves e_c(n) describe: the mean over images and output positions of the squared
/// gradient of the probed loss at that output, so that w_c * e_c(n) estimates twice the change
/// of the output loss summed over the images. A layer that never runs gets zeros. Runs the model
/// with autograd (never in inference mode) on an instance without recording operators.
/// Progress per batch; cancellable between batches. Throws Error: BadImage (no readable image),
/// BadModel (the forward or backward fails), Cancelled.
std::vector<std::vector<double>> outputSensitivity(const Model &model, const ModelProfile &profile,
                                                   const std::vector<std::string> &imageFiles,
                                                   const SensitivityOptions &options = {},
                                                   const JobControl &control = {});

} // namespace mpq
