// The plan of an analysis' work and the probe it comes from (calib/analysisrun.h).
#include "calib/analysisrun.h"

#include "calib/gram.h"
#include "model/forwardinput.h"
#include "mpq/error.h"
#include "mpq/grid.h"
#include "mpq/sensitivity.h"

#include <algorithm>
#include <array>
#include <chrono>

namespace mpq::calib {

namespace {

// The output sensitivity's cost per measured image in forwards of the model, on top of the
// calibration: the backward of the activations only and the forward's autograd bookkeeping
// (docs/multipoint.md section 8). The demo detector: 2.1-2.3 (extra seconds of the analysis
// over 12 images x the probe's forward).
constexpr double kSensitivityForwards = 2.2;

// The probe's timed forwards (after two untimed ones), of which it keeps the median.
constexpr int kTimedForwards = 3;

} // namespace

// Evaluations of a layer per call during calibration: the layer in the model's forward and
// the stacked differences of every decomposition version.
int evaluationsPerCall(const AnalysisSettings &s)
{
    return 1 + (s.firstPoint == FirstPointRule::OutputBest ? 2 : 1) * s.maxPoints;
}

// Output positions of each listed layer per image, from the first readable image run through
// `instance`, and the median time of its third to fifth forwards; positions empty when no image in
// the first few can be read or the forward fails (calibrate then reports the reason).
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
            // the median of three timed forwards: one forward's time varied by up to 50 %
            // between analyses of the same model (docs/BENCHMARKS.md, "The calibration's cost
            // per image against the probe's forward")
            std::array<double, kTimedForwards> seconds{};
            for (double &t : seconds) {
                const auto start = std::chrono::steady_clock::now();
                instance.forward(forwardArguments(instance, batch));
                t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            }
            std::nth_element(seconds.begin(), seconds.begin() + kTimedForwards / 2, seconds.end());
            out.seconds = seconds[kTimedForwards / 2];
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
    const bool aware = s.rounding == Rounding::OutputAware;
    double listedUnits = 0.0;  // calibration units of one evaluation of every layer per image
    double groupedExtra = 0.0; // of those, the grouped layers' kMacsPerGroupedOutputElement
    double inputUnits = 0.0;   // the input pass per image (inputPassUnitsPerImage)
    double factors = 0.0;      // the factors of the Grams it measures
    for (std::size_t k = 0; k < layers.size(); ++k) {
        const LayerInfo &l = impl.layers[layers[k]];
        plan.decomposition.push_back(decompositionUnits(l, s));
        if (aware && gramFits(l))
            factors += factorUnits(l);
        plan.decompositionTotal += plan.decomposition.back();
        if (!probe.positions.empty()) {
            const double units = probe.positions[k] * double(l.outChannels) *
                                 calibrationUnitsPerOutput(double(l.d), l.groups);
            listedUnits += units;
            if (l.groups > 1)
                groupedExtra +=
                    probe.positions[k] * double(l.outChannels) * kMacsPerGroupedOutputElement;
            inputUnits += inputPassUnitsPerImage(l, probe.positions[k]);
            plan.perImage += units * evaluationsPerCall(s);
        }
    }
    plan.images = double(images);
    for (std::size_t k = 0; k < layers.size() && !probe.positions.empty(); ++k)
        plan.layerOutputs += probe.positions[k] * double(impl.layers[layers[k]].outChannels);
    if (probe.positions.empty() && images > 0) // nothing measured: the calibration three quarters
        plan.perImage = 3.0 * plan.decompositionTotal / plan.images;
    // the calibration's time from the probe's, when every layer is analysed: per image one
    // forward and the stacked evaluations at evaluationCostInForwards forwards each (else
    // unknown: the decomposition's rate per unit stands in until the calibration has its own)
    if (probe.seconds > 0.0 && listedUnits > 0.0 && layers.size() == impl.layers.size())
        plan.calibrationSeconds = plan.images * probe.seconds *
                                  (1.0 + evaluationCostInForwards(listedUnits, groupedExtra) *
                                             (evaluationsPerCall(s) - 1));
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
    if (aware) {
        plan.factors = factors;
        plan.inputs = plan.images * (listedUnits > 0.0 ? inputUnits
                                                       : kInputGramForwards * plan.perImage /
                                                             evaluationsPerCall(s)) +
                      factors;
        plan.decompositionTotal += plan.inputs;
    }
    return plan;
}

} // namespace mpq::calib

namespace mpq {

double decompositionUnits(const LayerInfo &l, const AnalysisSettings &s)
{
    const double perPoint =
        kMacsPerWeightPoint * (s.search == SearchMethod::Grid ? kGridStepFactor : 1.0);
    const int versions = s.firstPoint == FirstPointRule::OutputBest ? 2 : 1;
    return versions * (double(l.outChannels) * double(l.d) * s.maxPoints * perPoint +
                       (s.rounding == Rounding::OutputAware ? compensationUnits(l, s) : 0.0));
}

double inputPassUnitsPerImage(const LayerInfo &l, double positions)
{
    if (!calib::gramFits(l))
        return 0.0;
    return kInputGramForwards * positions * double(l.outChannels) *
               calibrationUnitsPerOutput(double(l.d), l.groups) +
           kUnitsPerGramMac * std::min(positions, double(calib::kGramPositions)) *
               double(l.groups) * double(l.d) * double(l.d);
}

double compensationUnits(const LayerInfo &l, const AnalysisSettings &s)
{
    if (!calib::gramFits(l))
        return 0.0;
    const int points = s.maxPoints + (s.halfStepPair && s.maxPoints >= 2 ? 2 : 0);
    return kCompensationUnitsPerSquare * double(l.outChannels) * points * double(l.d) * double(l.d);
}

} // namespace mpq
