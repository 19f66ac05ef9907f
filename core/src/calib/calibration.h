#pragma once
// Private helpers of the calibration pass, shared with the analysis pipeline and the tests.

#include "mpq/analysis.h"
#include "mpq/images.h"
#include "mpq/multipoint.h"

#include "model/modelimpl.h"

#include <functional>
#include <stdexcept>

namespace mpq {

/// Progress in units of work (docs/multipoint.md section 3): one weight-point of the exact
/// decomposition step counts as kMacsPerWeightPoint MACs of the calibration's layer evaluations
/// (about equal time on a CPU, docs/pipeline-benchmark.md); the grid step kGridStepFactor times
/// that (docs/engine-benchmark.md); writing and reducing one output element as
/// kMacsPerOutputElement MACs (what makes narrow layers dearer than their MACs), and one of a
/// grouped (depthwise) convolution kMacsPerGroupedOutputElement more (ATen's grouped kernels).
/// The decomposition of a layer costs C * d * N (twice with the output-best rule)
/// weight-points; its calibration per image P * C * calibrationUnitsPerOutput (P: output
/// positions per image, summed over calls) times (1 + versions * N) evaluations.
/// The two per-output constants are fitted on the demo detector's calibration, timed layer by
/// layer (MobileNetV3: 1x1, 3x3 and 5x5 depthwise layers): with 32 and 0 the units' share of a
/// batch was off from the time's share by 0.61 (sum over layers), with 128 and 200 by 0.23,
/// about as far as two batches of the same run are from each other (0.22); docs/BENCHMARKS.md,
/// "Time left".
constexpr double kMacsPerWeightPoint = 2000.0;
constexpr double kGridStepFactor = 80.0;
constexpr double kMacsPerOutputElement = 128.0;
constexpr double kMacsPerGroupedOutputElement = 200.0;
/// The time of one stacked evaluation of every layer in float forwards of the same images, for
/// the calibration's time estimated up front (calib/progress.h). Refitted with the 16 MB
/// evaluation blocks (docs/pipeline-benchmark.md): calibration seconds over images times the
/// probe's forward gave 0.71 / 0.76 on the demo detector (one / two threads) and 0.80 / 0.80
/// on ResNet-18; 0.85 (fitted with 64 MB blocks) over-estimated the detector's by 17 %.
constexpr double kEvaluationCostInForwards = 0.77;

/// The time of one stacked evaluation of every layer in forwards, for a model whose layers'
/// calibration units per evaluation are `units`, `groupedExtra` of them the
/// kMacsPerGroupedOutputElement of its grouped (depthwise) layers' output elements: the stacked
/// evaluation of a grouped convolution is that much dearer than the forward's (the forward runs
/// one group per channel, the evaluation the differences of every point), so the cost grows
/// with the share those units have. kEvaluationCostInForwards was fitted where it is small (a
/// model without grouped layers: 0.66-0.72 measured on ResNet-18 in 2026-12-06); on the demo
/// detector (grouped units a third of the rest) the calibration took 1.12-1.48 forwards per
/// evaluation, 26-30 % over the old estimate (docs/BENCHMARKS.md, "The calibration's cost per
/// image against the probe's forward").
inline double evaluationCostInForwards(double units, double groupedExtra)
{
    return units > groupedExtra && groupedExtra > 0.0
               ? kEvaluationCostInForwards * units / (units - groupedExtra)
               : kEvaluationCostInForwards;
}

/// Output-aware rounding's input pass per image (docs/multipoint.md section 10): the forward and
/// each measured layer's input patches, kInputGramForwards times the layer's calibration units
/// of one evaluation, and the patches multiplied into its Gram, kUnitsPerGramMac per
/// multiply-add (at most kGramPositions positions times groups * d_g^2 per image). Fitted on one
/// thread to the demo detector (31 images at 512 x 512: 14.5 s, its Grams small, d_g <= 960)
/// and ResNet-18 (64 images at 224 x 224: 24.9 s, about three quarters of it in the Grams, d_g
/// up to 4608); the first constant alone (4.0 before) made ResNet-18's pass a third of its time.
constexpr double kInputGramForwards = 3.35;
constexpr double kUnitsPerGramMac = 1.6;

/// Output-aware rounding's own work in calibration units (docs/multipoint.md section 10),
/// which grows with d_g^2 and d_g^3 where everything else grows with d_g: the feedback and the
/// scale's refit per row, point and d_g^2 of a layer whose Gram is measured, and the factor of
/// each group's Gram (a Cholesky factorisation, an inverse and a second factorisation) per
/// d_g^3. Fitted on one thread to the rate per unit of the input pass before them (what the time
/// left carries over to them until they run): bench_rounding gave 0.09-0.11 ns per row, point
/// and d^2 since the refit and the feedback are matrix products (0.5-0.66 ns before) and
/// 0.045-0.08 ns per d^3 (d = 576 ... 4608), the input pass about 0.015 ns per unit
/// (docs/BENCHMARKS.md, "Time left with output-aware rounding", "The decomposition with
/// output-aware rounding").
constexpr double kCompensationUnitsPerSquare = 6.0;
constexpr double kFactorUnitsPerCube = 3.0;

/// Rows times points of output-aware rounding in layer `l`'s decomposition with `s` (the
/// half-step pair rounds its solo point and three rounds of its pair: two more than its two
/// points), times kCompensationUnitsPerSquare d_g^2: 0 unless its Gram is measured.
double compensationUnits(const LayerInfo &l, const AnalysisSettings &s);

/// Layer `l`'s decomposition with `s` before its calibration: its weight-points at
/// kMacsPerWeightPoint (kGridStepFactor times that with the grid search), twice with the
/// output-best first point, and with output-aware rounding its compensationUnits.
double decompositionUnits(const LayerInfo &l, const AnalysisSettings &s);

/// Output-aware rounding's input pass per image for layer `l` with `positions` output positions
/// per image: kInputGramForwards times its units of one evaluation and kUnitsPerGramMac per
/// multiply-add of its Gram (at most kGramPositions positions); 0 unless its Gram is measured.
double inputPassUnitsPerImage(const LayerInfo &l, double positions);

/// The factor of layer `l`'s input Gram: groups * d_g^3 * kFactorUnitsPerCube.
inline double factorUnits(const LayerInfo &l)
{
    return kFactorUnitsPerCube * double(l.groups) * double(l.d) * double(l.d) * double(l.d);
}

/// Calibration units (MAC-equivalents) of one output element of a layer's evaluation.
inline double calibrationUnitsPerOutput(double d, std::int64_t groups)
{
    return d + kMacsPerOutputElement + (groups > 1 ? kMacsPerGroupedOutputElement : 0.0);
}

/// Thrown by a recording hook when the job is cancelled: it ends the forward at once (the
/// caller reports Error(Cancelled)).
struct CancelledInForward : std::runtime_error
{
    CancelledInForward()
        : std::runtime_error("mpq: cancelled")
    {}
};

/// What a recording hook receives: the layer number, the tensor, and whether it is the layer's
/// output (after the operation, bias included) or its input.
using Recorder = std::function<void(std::int64_t id, const at::Tensor &x, bool output)>;

/// While alive, every mpq::record(x, id) executed on this thread calls recorder(id, x, false)
/// and every mpq::record_output(y, id) calls recorder(id, y, true).
class RecordingScope
{
public:
    explicit RecordingScope(const Recorder &recorder);
    ~RecordingScope();
    RecordingScope(const RecordingScope &) = delete;
    RecordingScope &operator=(const RecordingScope &) = delete;

private:
    const Recorder *m_previous;
};

/// A fresh instance of the model whose forward graph records the input of each layer i with
/// record[i] (id = i) before running the layer, and with recordOutputs also its output after it.
torch::jit::Module instrumentedInstance(const Model::Impl &impl, const std::vector<bool> &record,
                                        bool recordOutputs = false);

/// How a layer's recorded output y maps to the output of its folded weight without bias
/// (docs/multipoint.md sections 1 and 3): W_f x = scale_c * (y_c - bias_c), where bias is the
/// bias the operation adds and scale the folded BatchNorm's gamma_c / sqrt(var_c + eps).
struct OutputToFolded
{
    at::Tensor bias;  ///< (C) float on the layer's device; undefined: the operation adds none
    at::Tensor scale; ///< (C) double on the CPU; undefined: no BatchNorm folded (scale 1)
};
OutputToFolded outputToFolded(const Model::Impl &impl, std::size_t layer);

/// s_c of one recorded output y: sum over batch and positions of (scale_c * (y_c - bias_c))^2,
/// as a (C) double tensor on the CPU.
at::Tensor foldedSignal(const at::Tensor &y, const OutputToFolded &map, LayerKind kind,
                        std::int64_t spatialDims);

/// Stacks prepared images (same size) into a (B, C, H, W) tensor on the device.
at::Tensor batchTensor(const std::vector<PreparedImage> &images, const std::string &device);

/// Rows W - W^(n) for n = fromPoint+1 .. toPoint, stacked for one grouped layer evaluation:
/// row order [group][version][channel within group], each row `cols` long (the folded weight),
/// as a flat float tensor on the CPU. Built on up to threadCount() threads (mpq::parallelFor),
/// the same values for any thread count.
at::Tensor stackedDifferences(const MatrixDecomposition &d, const std::vector<float> &folded,
                              int fromPoint, int toPoint, std::int64_t groups);

/// Sum of y^2 per output channel over batch and positions (channel dim 1 for batched conv
/// outputs, 0 unbatched, last for linear).
at::Tensor channelSumOfSquares(const at::Tensor &y, LayerKind kind, std::int64_t spatialDims);
/// Sum of y per output channel (the channel dimension as in channelSumOfSquares), as double:
/// reduced in y's own type (ATen's cascade summation) and then converted, because a reduction
/// asked for in double first makes a double copy of y, twice its size (the stacked evaluations'
/// outputs reach 64 MB; docs/pipeline-benchmark.md, peak memory).
at::Tensor channelSum(const at::Tensor &y, LayerKind kind, std::int64_t spatialDims);

/// The warning of a pass over calibration images that skipped some: "K of N calibration images
/// could not be read and were skipped" (each skipped image has its own "skipped image: ...").
std::string skippedCalibrationImages(std::int64_t skipped, std::size_t of);

/// The message of a pass over calibration images whose forward fails: "PATH: the model fails on
/// a BxCxHxW input (check the profile's input size): REASON", the reason from the end of the
/// interpreter's text (torchErrorReason). The same for every pass (the input Grams'
/// and the calibration's), whichever runs first.
std::string modelFailsOnInput(const std::string &path, std::size_t images, const InputSpec &input,
                              const std::exception &e);

} // namespace mpq
