#pragma once
// The work of comparisons and sweeps in one unit, forwards of one image through the model, so
// that their progress is a share of their work (issue 14: "measure progress in units of work";
// docs/BENCHMARKS.md, "Time left"). An evaluation of a method runs the quantized model once per
// evaluation image; mixed precision's single-point measurement and the overrides' layers at
// other bits are calibration passes over the analysis' calibration images, counted as the
// analysis counts a calibration's time (docs/multipoint.md section 3): per image one forward
// and every stacked evaluation of the listed layers at evaluationCostInForwards forwards
// (core/src/calib/calibration.h: 0.77, more on a model with grouped layers). The decompositions
// before those calibrations and, with output-aware rounding, the pass that measures the layers'
// input Grams, their factors and the compensated rounding (docs/multipoint.md section 10) are
// counted in the analysis' own units of work (calib::planWork), converted to forwards by the units
// of one forward: every layer's output positions (LayerCurves::outputPositions) times its channels
// times its units per output element.

#include "mpq/pipeline.h"

#include <cstddef>
#include <vector>

namespace mpq {

/// A calibration pass over analysis.calibrationFiles: each image through the model once, and
/// `evaluationsPerCall` - 1 stacked evaluations of `layers` of the analysis' layers; plus the
/// five forwards of the probe before it.
double calibrationWork(const Analysis &analysis, int evaluationsPerCall, std::size_t layers);

/// Per-layer mixed precision's single-point measurement (mixedPrecisionInputs): two
/// decompositions and calibrations of every layer with one point after one probe, and with
/// output-aware rounding one pass that measures the input Grams and their factors for both.
double singlePointWork(const Analysis &analysis);

/// evaluateMethods' work: each method on `images` evaluation images; mixed precision's
/// measurement first unless `singlePointKnown` (MethodInputs); with `biasCorrection`, every
/// method but multipoint measures its own correction (one calibration pass).
double evaluateMethodsWork(const Analysis &analysis, const std::vector<Method> &methods,
                           std::size_t images, bool biasCorrection, bool singlePointKnown = false);

/// sweep's work (with `variants` SweepVariants): per budget the overrides' layers at other
/// bits not measured at an earlier budget, the methods and the variants' multipoint runs.
double sweepWork(const Analysis &analysis, const AllocationSettings &base,
                 const std::vector<double> &budgets, const std::vector<Method> &methods,
                 std::size_t variants, std::size_t images);

} // namespace mpq
