#pragma once
// The parts of an analysis (docs/multipoint.md section 3) that analysis.cpp puts together: the
// plan of its work and the progress against it, the probe before it (calib/workplan.cpp), and
// the calibration that streams the images through the instrumented model (calib/calibrate.cpp).
#include "calib/calibration.h"
#include "calib/progress.h"
#include "mpq/analysis.h"
#include "mpq/jobcontrol.h"

#include <chrono>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace mpq {

class SensitivityRun;

namespace calib {

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

// The first calibration batch failed in its forward with autograd on (for the output
// sensitivity): the analysis calibrates again without it, and with an inference-mode forward
// reports the model's own failure if it has one.
struct ForwardWithAutogradFailed : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

// The work of an analysis of `layers`, estimated before it starts.
struct WorkPlan
{
    // per layer in the list, in MAC units (with output-aware rounding, its compensationUnits)
    std::vector<double> decomposition;
    // output-aware rounding's pass over the calibration images that measures the layers' input
    // Grams (docs/multipoint.md section 10), in calibration units, 0 when off
    double inputs = 0.0;
    double factors = 0.0;            // of `inputs`: the factors of the Grams, made after the pass
    double decompositionTotal = 0.0; // the decomposition and the input pass before it
    double perImage = 0.0;           // calibration units per image
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
// first unit (the instrumented copy, the probe's five forwards; 3 s of a 45 s analysis of the demo
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
int evaluationsPerCall(const AnalysisSettings &s);

// What one image run through `instance` (which records outputs) tells before an analysis.
struct Probe
{
    std::vector<double> positions; // output positions of each listed layer, summed over calls
    // the median of three timed forwards after two (the first two run the JIT's profiling and
    // optimisation, docs/pipeline-benchmark.md)
    double seconds = 0.0;
};

// Output positions of each listed layer per image, from the first readable image run through
// `instance`, and the median time of its third to fifth forwards; positions empty when no image in
// the first few can be read or the forward fails (calibrate then reports the reason).
Probe probe(const Model::Impl &impl, const ModelProfile &profile, torch::jit::Module &instance,
            const std::vector<std::string> &files, const std::vector<std::size_t> &layers);

// The work of analysing `layers` on `images` images, from the probe of one image.
WorkPlan planWork(const Model::Impl &impl, const std::vector<std::size_t> &layers,
                  const AnalysisSettings &s, const Probe &probe, std::size_t images);

// Up to N points per channel of each listed layer (decomposeLayers in analysis.cpp): the
// primary decomposition, and with output-best the max-first one (else alternate is empty).
struct Decomposed
{
    std::vector<MatrixDecomposition> primary;
    std::vector<MatrixDecomposition> alternate;
};

struct CalibrationRun
{
    std::vector<LayerState> states; // by position in the layer list
    std::vector<std::string> usedFiles;
    std::vector<std::string> warnings;
    std::int64_t images = 0;
    std::int64_t forwards = 0;
    bool sensitivityLost = false; // a backward of the sensitivity failed (in the warnings)
};

// Streams the files through `instance` (instrumentedInstance with outputs recorded for the
// listed layers) and accumulates s_c from each layer's recorded output and e_c(n) of every
// decomposition version from its recorded input. Memory: one batch of activations plus one
// stacked layer evaluation (at most kMaxStackedElements outputs). Progress: after the
// decomposition, each call's MACs times its evaluations.
// With `sensitivity`, the first `measured` files also get its backward, in batches of at most
// kSensitivityBatchOutputs layer outputs (docs/multipoint.md section 8); a failing backward
// leaves the calibration intact (sensitivityLost, a warning), a failing forward with autograd
// on the first batch throws ForwardWithAutogradFailed.
CalibrationRun calibrate(const Model::Impl &impl, const ModelProfile &profile,
                         torch::jit::Module &instance, const std::vector<std::string> &files,
                         const std::vector<std::size_t> &layers, const Decomposed &dec, int N,
                         int batchSize, const JobControl &control, const WorkPlan &plan,
                         WorkProgress &progress, SensitivityRun *sensitivity = nullptr,
                         std::size_t measured = 0);

} // namespace calib
} // namespace mpq
