// The estimated work of the pipeline's stages (mpq/work.h), in forwards of one image: what the
// progress of a stage is measured against.
#include "mpq/work.h"
#include "mpq/methods.h"
#include "pipeline/stages.h"

#include "calib/calibration.h"
#include "calib/gram.h"

#include <algorithm>

namespace mpq {

using namespace pipe;

namespace {
// calib::probe: the five forwards of one image before a calibration
constexpr double kProbeForwards = 5.0;

// The analysis' calibration units (core/src/calib/calibration.h) of one forward of one image:
// every layer's output elements at its units per output element, from the positions the
// analysis measured. What converts layersAtBits' units of work into forwards; 0 when no layer
// has positions. `groupedExtra` (if given) receives the part that is the grouped layers'
// kMacsPerGroupedOutputElement (evaluationCostInForwards).
double unitsPerForward(const Analysis &analysis, double *groupedExtra = nullptr)
{
    double units = 0.0, grouped = 0.0;
    for (std::size_t i = 0; i < analysis.layers.size() && i < analysis.curves.size(); ++i) {
        const LayerInfo &l = analysis.layers[i];
        const double outputs = double(analysis.curves[i].outputPositions) * double(l.outChannels);
        units += outputs * calibrationUnitsPerOutput(double(l.d), l.groups);
        grouped += l.groups > 1 ? outputs * kMacsPerGroupedOutputElement : 0.0;
    }
    if (groupedExtra)
        *groupedExtra = grouped;
    return units;
}
} // namespace

double calibrationWork(const Analysis &analysis, int evaluationsPerCall, std::size_t layers)
{
    const double listed =
        analysis.layers.empty() ? 1.0 : double(layers) / double(analysis.layers.size());
    double grouped = 0.0;
    const double units = unitsPerForward(analysis, &grouped);
    return kProbeForwards +
           double(analysis.calibrationFiles.size()) *
               (1.0 + evaluationCostInForwards(units, grouped) * (evaluationsPerCall - 1) * listed);
}

namespace {
// The layers `layers` of the analysis (indices into analysis.layers; null: every layer).
std::vector<std::size_t> listed(const Analysis &analysis, const std::vector<std::size_t> *layers)
{
    if (layers)
        return *layers;
    std::vector<std::size_t> all(analysis.layers.size());
    for (std::size_t i = 0; i < all.size(); ++i)
        all[i] = i;
    return all;
}

// layersAtBits' pass over the calibration images that measures the input Grams of `layers`
// with output-aware rounding, and the factors of those Grams (docs/multipoint.md section 10):
// only the layers whose Gram fits (calib::gramFits). Per image and measured layer
// kInputGramForwards times its units of one evaluation and kUnitsPerGramMac per multiply-add of
// its Gram, as calib::planWork counts them, in forwards.
double inputPassWork(const Analysis &analysis, const std::vector<std::size_t> *layers = nullptr)
{
    if (analysis.settings.rounding != Rounding::OutputAware || analysis.layers.empty())
        return 0.0;
    const double images = double(analysis.calibrationFiles.size());
    const double perForward = unitsPerForward(analysis);
    double units = 0.0, measured = 0.0;
    for (std::size_t i : listed(analysis, layers)) {
        if (i >= analysis.layers.size() || !calib::gramFits(analysis.layers[i]))
            continue;
        const LayerInfo &l = analysis.layers[i];
        const double positions =
            i < analysis.curves.size() ? double(analysis.curves[i].outputPositions) : 0.0;
        units += images * inputPassUnitsPerImage(l, positions) + factorUnits(l);
        measured += 1.0;
    }
    if (perForward <= 0.0) // no positions known: the pass as kInputGramForwards forwards
        return images * kInputGramForwards * measured / double(analysis.layers.size());
    return units / perForward;
}

// The decomposition of `layers` with `s` before their calibration, in forwards: the weight-points
// of the decomposition step and, with output-aware rounding, the feedback and refit of every
// row and point (calib::planWork's units).
double decompositionWork(const Analysis &analysis, const AnalysisSettings &s,
                         const std::vector<std::size_t> *layers = nullptr)
{
    const double perForward = unitsPerForward(analysis);
    if (perForward <= 0.0)
        return 0.0;
    double units = 0.0;
    for (std::size_t i : listed(analysis, layers))
        if (i < analysis.layers.size())
            units += decompositionUnits(analysis.layers[i], s);
    return units / perForward;
}
} // namespace

double singlePointWork(const Analysis &analysis)
{
    // mixedPrecisionInputs: one point, the L2 first point, at b and b + 1 bits; one probe, the
    // input Grams measured once for both (layersAtBits with two widths), and per width the
    // decomposition and the calibration
    const AnalysisSettings single = singlePointSettings(analysis.settings);
    return 2.0 * (calibrationWork(analysis, evaluationsPerCall(single), analysis.layers.size()) +
                  decompositionWork(analysis, single)) -
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
                   decompositionWork(analysis, analysis.settings, &layers) +
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
