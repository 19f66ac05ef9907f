// The estimated work of the pipeline's stages (mpq/work.h), in forwards of one image: what the
// progress of a stage is measured against.
#include "mpq/work.h"
#include "pipeline/stages.h"

#include "calib/calibration.h"
#include "calib/gram.h"

#include <algorithm>

namespace mpq {

using namespace pipe;

namespace {
// calib::probe: the three forwards of one image before a calibration
constexpr double kProbeForwards = 3.0;
} // namespace

double calibrationWork(const Analysis &analysis, int evaluationsPerCall, std::size_t layers)
{
    const double listed =
        analysis.layers.empty() ? 1.0 : double(layers) / double(analysis.layers.size());
    return kProbeForwards +
           double(analysis.calibrationFiles.size()) *
               (1.0 + kEvaluationCostInForwards * (evaluationsPerCall - 1) * listed);
}

namespace {
// layersAtBits' pass over the calibration images that measures the input Grams of `layers`
// (indices into analysis.layers; null: every layer) with output-aware rounding
// (docs/multipoint.md section 10): only those whose Gram fits (calib::gramFits) run in it
double inputPassWork(const Analysis &analysis, const std::vector<std::size_t> *layers = nullptr)
{
    if (analysis.settings.rounding != Rounding::OutputAware || analysis.layers.empty())
        return 0.0;
    std::size_t measured = 0;
    for (std::size_t k = 0; k < (layers ? layers->size() : analysis.layers.size()); ++k) {
        const std::size_t i = layers ? (*layers)[k] : k;
        measured += i < analysis.layers.size() && calib::gramFits(analysis.layers[i]);
    }
    return double(analysis.calibrationFiles.size()) * kInputGramForwards * double(measured) /
           double(analysis.layers.size());
}
} // namespace

double singlePointWork(const Analysis &analysis)
{
    // mixedPrecisionInputs: one point, the L2 first point, at b and b + 1 bits; one probe, and
    // the input Grams measured once for both (layersAtBits with two widths)
    AnalysisSettings single = analysis.settings;
    single.maxPoints = 1;
    single.firstPoint = FirstPointRule::L2;
    return 2.0 * calibrationWork(analysis, evaluationsPerCall(single), analysis.layers.size()) -
           kProbeForwards + inputPassWork(analysis);
}

namespace pipe {

std::vector<MethodWork> methodsWork(const Analysis &analysis, const std::vector<Method> &methods,
                                    std::size_t images, bool biasCorrection, bool singlePointKnown)
{
    std::vector<MethodWork> out;
    for (Method m : methods) {
        MethodWork w;
        if (m == Method::MixedPrecision && !singlePointKnown) {
            w.measurement = singlePointWork(analysis);
            singlePointKnown = true;
        }
        // measureBiasCorrection: one forward and one evaluation of every layer per image
        if (biasCorrection && m != Method::Multipoint)
            w.biasCorrection = calibrationWork(analysis, 2, analysis.layers.size());
        w.evaluation = double(images);
        out.push_back(w);
    }
    return out;
}

/// The overrides' measurements of one sweep budget: (bits, layers) not in `known`, which
/// receives them.
std::map<int, std::vector<std::size_t>> newAtBits(const Analysis &analysis,
                                                  const AllocationSettings &settings,
                                                  std::vector<std::pair<int, std::size_t>> &known)
{
    std::map<int, std::vector<std::size_t>> out;
    for (const auto &[bits, layers] : neededAtBits(analysis, settings))
        for (std::size_t layer : layers)
            if (std::find(known.begin(), known.end(), std::make_pair(bits, layer)) == known.end()) {
                known.emplace_back(bits, layer);
                out[bits].push_back(layer);
            }
    return out;
}

/// The work of one budget of a sweep: the overrides' measurements, then per method and
/// variant (a multipoint evaluation each).
double budgetWork(const Analysis &analysis, const AllocationSettings &settings,
                  const std::map<int, std::vector<std::size_t>> &measured,
                  const std::vector<Method> &methods, std::size_t variants, std::size_t images,
                  bool singlePointKnown, double *measurementWork, double *methodsWorkOut)
{
    double measure = 0.0;
    for (const auto &[bits, layers] : measured)
        measure += calibrationWork(analysis, evaluationsPerCall(analysis.settings), layers.size()) +
                   inputPassWork(analysis, &layers);
    const double m =
        evaluateMethodsWork(analysis, methods, images, settings.biasCorrection, singlePointKnown);
    if (measurementWork)
        *measurementWork = measure;
    if (methodsWorkOut)
        *methodsWorkOut = m;
    return measure + m +
           double(variants) * evaluateMethodsWork(analysis, {Method::Multipoint}, images,
                                                  settings.biasCorrection, true);
}

} // namespace pipe

double evaluateMethodsWork(const Analysis &analysis, const std::vector<Method> &methods,
                           std::size_t images, bool biasCorrection, bool singlePointKnown)
{
    double total = 0.0;
    for (const MethodWork &w :
         methodsWork(analysis, methods, images, biasCorrection, singlePointKnown))
        total += w.total();
    return total;
}

double sweepWork(const Analysis &analysis, const AllocationSettings &base,
                 const std::vector<double> &budgets, const std::vector<Method> &methods,
                 std::size_t variants, std::size_t images)
{
    std::vector<std::pair<int, std::size_t>> known;
    bool singlePointKnown = false;
    double total = 0.0;
    for (double budget : budgets) {
        AllocationSettings settings = base;
        settings.rule = AllocationRule::Budget;
        settings.budget = budget;
        total += budgetWork(analysis, settings, newAtBits(analysis, settings, known), methods,
                            variants, images, singlePointKnown);
        singlePointKnown = singlePointKnown || std::find(methods.begin(), methods.end(),
                                                         Method::MixedPrecision) != methods.end();
    }
    return total;
}

} // namespace mpq
