#pragma once
// The second moments of the layers' inputs over the calibration images, for output-aware
// rounding (docs/multipoint.md section 10).

#include "mpq/jobcontrol.h"
#include "mpq/multipoint.h"
#include "mpq/profile.h"

#include "model/modelimpl.h"

#include <functional>
#include <string>
#include <vector>

namespace mpq::calib {

/// The input patches x of layer `layer` seen in input `x` (what the layer's operation multiplies
/// its weight rows with, zero padding included): (groups, d_g, positions) float, d_g the weights
/// per row. sum over positions of (w_c . x)^2 is the layer's folded output energy of row c.
/// With maxPositions > 0, an image's output positions are sampled down to at most that many
/// (every s-th, s prime; a Linear layer's rows are all kept).
at::Tensor inputPatches(const Model::Impl &impl, std::size_t layer, const at::Tensor &x,
                        std::int64_t maxPositions = 0);

/// Output positions per image and layer that inputGrams samples at most: the compensation needs
/// the inputs' correlations, not their sum over every pixel (the demo detector's depthwise
/// layers at 128 x 128 and above made the pass cost twice the calibration).
constexpr std::int64_t kGramPositions = 1024;

/// The most values an input Gram may hold (groups * d_g^2) for output-aware rounding to measure
/// it: 2^26, 512 MiB in double, kept with its factor while the layers decompose, and the
/// compensated decomposition costs about 1.5 d_g^2 operations per row and point. A layer above it
/// is rounded to nearest with a warning naming it (a VGG-16's fc6, d = 25 088, would hold 629 M).
constexpr std::int64_t kMaxGramValues = std::int64_t(1) << 26;

/// Whether output-aware rounding measures layer `l`'s input Gram (at most kMaxGramValues).
inline bool gramFits(const LayerInfo &l)
{
    return l.groups * l.d * l.d <= kMaxGramValues;
}

/// Per listed layer, H_g = sum of x x^T over the input patches on the given images (at most
/// maxPositions per image, 0: all), as a
/// (groups, d_g, d_g) double tensor on the CPU. Images that cannot be read are skipped (the
/// calibration reports them). `progress` gets the fraction of images done. Throws
/// Error(Cancelled) when control is cancelled, Error(BadModel) when the forward fails.
std::vector<at::Tensor> inputGrams(const Model::Impl &impl, const ModelProfile &profile,
                                   const std::vector<std::string> &files,
                                   const std::vector<std::size_t> &layers, int batchSize,
                                   const JobControl &control,
                                   const std::function<void(double)> &progress = {},
                                   std::int64_t maxPositions = kGramPositions);

/// The rounding order and factors of a Gram (groups, d, d): columns in descending order of
/// H_g's diagonal, H_g damped by `damping` times its mean diagonal (a column no input reaches
/// gets 1 on the diagonal). Move a Gram in that is not needed after: it is let go as soon as
/// its copy is made, and at most three d x d tensors per group are alive at once (a 3x3
/// convolution at 512 channels: 170 MB each; docs/BENCHMARKS.md, "Peak memory of output-aware
/// rounding").
RowCompensation makeRowCompensation(at::Tensor gram, double damping = 0.01);

} // namespace mpq::calib
