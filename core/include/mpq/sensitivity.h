#pragma once
// Output sensitivity of every quantizable layer's channels (docs/multipoint.md section 8): how
// much the model's final output loss changes per unit of a channel's output error, estimated
// from random probes at the output (the diagonal of J^T F J or J^T J).

#include "mpq/jobcontrol.h"
#include "mpq/model.h"
#include "mpq/profile.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mpq {

/// How the output loss is measured.
enum class SensitivityLoss {
    Auto,        ///< KL of the softmax for a classification profile, else SquaredError
    Kl,          ///< KL divergence of the softmax over the last dimension of every output
    SquaredError ///< squared error of the raw outputs, each relative to its mean square
};

struct SensitivityOptions
{
    SensitivityLoss loss = SensitivityLoss::Auto;
    int batchSize = 8;
    int probes = 1;         ///< random probes (backward passes) per batch
    std::uint64_t seed = 0; ///< of the probes
    /// The images measured: max(minImages, ceil(imageFraction * n)) of the n given (all when
    /// fewer), evenly spaced in the given order, the stage's cost in proportion. The estimate
    /// is a mean over images; m_c has one term per image and channel, so fewer than 16 images
    /// leave it noisy (docs/multipoint.md section 8). 1: every image.
    double imageFraction = 0.5;
    int minImages = 16;
};

/// How many of `count` images outputSensitivity measures with `options` (docs/multipoint.md
/// section 8).
std::size_t sensitivityImageCount(std::size_t count, const SensitivityOptions &options);

/// The sensitivities of every layer (model.layers() order) and output channel, on the folded
/// output W_f x that the curves e_c(n) describe (docs/multipoint.md section 8).
struct OutputSensitivity
{
    /// w_c: the mean over images, output positions and probes of the squared gradient of the
    /// probed loss at the output, so that w_c * e_c(n) estimates twice the change of the output
    /// loss summed over the images when the errors at different positions are uncorrelated
    std::vector<std::vector<double>> diagonal;
    /// m_c: per image the squared sum over the positions of that gradient, summed over images
    /// and probes and divided by the same count: m_c * P * mu^2 estimates twice the loss change
    /// of an error mu constant over all P positions
    std::vector<std::vector<double>> mean;
};

/// Measures OutputSensitivity with one backward pass per batch and probe, on
/// sensitivityImageCount() of the images (an unreadable one is replaced by the next). A layer that
/// never runs gets zeros. Runs the model with autograd (never in inference mode) on an instance
/// without recording operators. Progress per batch; cancellable between batches. Throws Error:
/// BadImage (no readable image), BadModel (the forward or backward fails), Cancelled.
OutputSensitivity outputSensitivity(const Model &model, const ModelProfile &profile,
                                    const std::vector<std::string> &imageFiles,
                                    const SensitivityOptions &options = {},
                                    const JobControl &control = {});

} // namespace mpq
