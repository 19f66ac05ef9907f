// Points per channel from stored error curves: the threshold and budget rules of docs/multipoint.md
// section 3 and the cost figures of section 4. Runs on every slider move, so everything here is
// linear in channels * N_max (times log channels for the budget rule's queue).
#include "alloc/allocationparts.h"
#include "mpq/error.h"
#include "mpq/grid.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

namespace mpq {

// Off: the paper's unweighted rule. The weighted rules did not win on every demo figure (the
// detector at 4 bits and a 5 % budget keeps 0.844 mAP weighted against 0.965 unweighted), so
// they stay an option (docs/multipoint.md section 8).
extern const bool kSensitivityWeightedDefault = false;
// The analysis' sensitivity stage (mpq/analysis.h), off with the weighting that needs it
// (an analysis is then as fast as before it existed); defined here, in the Qt-free
// weight-level library, since the settings codec uses it.
extern const bool kSensitivityDefault = false;

namespace alloc {

[[noreturn]] void fail(const std::string &layer, const std::string &what)
{
    throw Error(ErrorCode::InvalidArgument, "allocate: layer '" + layer + "': " + what + ".");
}

double meanSignal(const LayerCurves &c)
{
    return std::accumulate(c.signal.begin(), c.signal.end(), 0.0) / double(c.channels);
}

double relative(double error, double signal)
{
    if (signal > 0)
        return error / signal;
    return error > 0 ? std::numeric_limits<double>::infinity() : 0.0;
}

// The bits of the layer's points after the first (section 11; checkCurves validated them).
std::int64_t extraBitsOf(const LayerCurves &c)
{
    return extraPointBits(c.bits, c.extraBits);
}

} // namespace alloc

using namespace alloc;

namespace {

void checkShape(const LayerCurves &c)
{
    if (c.channels < 1 || c.d < 1)
        fail(c.name, "channels and d must be >= 1, got " + std::to_string(c.channels) + " and " +
                         std::to_string(c.d));
    if (c.outputPositions < 0)
        fail(c.name, "outputPositions must be >= 0, got " + std::to_string(c.outputPositions));
}

[[noreturn]] void badValue(const LayerCurves &c, double v, const std::string &where)
{
    if (std::isnan(v))
        fail(c.name, where + " is NaN");
    fail(c.name, where + " must be finite and >= 0, got " + std::to_string(v));
}

// Everything the rules rely on: sizes that match, finite non-negative s_c and e_c(n).
void checkCurves(const LayerCurves &c)
{
    checkShape(c);
    if (c.bits < kMinBits || c.bits > kMaxBits)
        fail(c.name, "bits must be in 2..8, got " + std::to_string(c.bits));
    if (c.extraBits < 0 || c.extraBits > c.bits)
        fail(c.name, "extra-point bits must be in 0.." + std::to_string(c.bits) + ", got " +
                         std::to_string(c.extraBits));
    if (c.maxPoints < 1)
        fail(c.name, "maxPoints must be >= 1, got " + std::to_string(c.maxPoints));
    if (static_cast<std::int64_t>(c.signal.size()) != c.channels)
        fail(c.name, "signal holds " + std::to_string(c.signal.size()) + " values, expected " +
                         std::to_string(c.channels));
    if (static_cast<std::int64_t>(c.error.size()) != c.channels * c.maxPoints)
        fail(c.name, "error holds " + std::to_string(c.error.size()) +
                         " values, expected channels * maxPoints = " +
                         std::to_string(c.channels * c.maxPoints));
    // messages are built only for a bad value: this runs on every slider move
    auto bad = [](double v) { return !std::isfinite(v) || v < 0; };
    for (std::int64_t ch = 0; ch < c.channels; ++ch) {
        if (bad(c.signal[ch]))
            badValue(c, c.signal[ch], "s_c at channel " + std::to_string(ch));
        for (int n = 1; n <= c.maxPoints; ++n)
            if (bad(c.errorAt(ch, n)))
                badValue(c, c.errorAt(ch, n),
                         "e_c(n) at channel " + std::to_string(ch) + ", n = " + std::to_string(n));
    }
}

// One plan per name in order of first appearance, each bound to the entry its override asks for.
std::vector<Plan> planLayers(const std::vector<LayerCurves> &curves,
                             const AllocationSettings &settings)
{
    std::vector<Plan> plans;
    std::vector<int> wantedBits;
    std::unordered_map<std::string, std::size_t> index;
    for (const LayerCurves &entry : curves) {
        auto [it, isNew] = index.emplace(entry.name, plans.size());
        if (isNew) {
            Plan plan;
            plan.shape = &entry;
            int bits = settings.bits;
            const auto found = settings.overrides.find(entry.name);
            if (found != settings.overrides.end()) {
                const LayerOverride &o = found->second;
                if (o.kind == LayerOverride::Kind::Float)
                    plan.isFloat = true;
                else if (o.kind == LayerOverride::Kind::Bits)
                    bits = o.bits;
                else if (o.points < 1)
                    fail(entry.name,
                         "a Points override needs >= 1 point, got " + std::to_string(o.points));
                else
                    plan.pinned = o.points;
            }
            plans.push_back(plan);
            wantedBits.push_back(bits);
        }
        Plan &plan = plans[it->second];
        if (!plan.sensitivity && !entry.sensitivity.empty())
            plan.sensitivity = &entry.sensitivity;
        if (!plan.meanSensitivity && !entry.meanSensitivity.empty())
            plan.meanSensitivity = &entry.meanSensitivity;
        if (plan.isFloat || entry.bits != wantedBits[it->second])
            continue;
        if (plan.curves)
            fail(entry.name, "curves at " + std::to_string(entry.bits) + " bits given twice");
        plan.curves = &entry;
    }
    for (std::size_t l = 0; l < plans.size(); ++l) {
        if (plans[l].isFloat)
            checkShape(*plans[l].shape);
        else if (!plans[l].curves)
            fail(plans[l].shape->name,
                 "no curves at " + std::to_string(wantedBits[l]) + " bits" +
                     (wantedBits[l] != settings.bits ? " (its Bits override)" : ""));
        else
            checkCurves(*plans[l].curves);
        for (const std::vector<double> *w : {plans[l].sensitivity, plans[l].meanSensitivity}) {
            if (!w)
                continue;
            const std::string what = w == plans[l].sensitivity ? "w_c" : "m_c";
            if (std::int64_t(w->size()) != plans[l].shape->channels)
                fail(plans[l].shape->name, what + " holds " + std::to_string(w->size()) +
                                               " values, expected " +
                                               std::to_string(plans[l].shape->channels));
            for (std::size_t ch = 0; ch < w->size(); ++ch)
                if (!std::isfinite((*w)[ch]) || (*w)[ch] < 0)
                    badValue(*plans[l].shape, (*w)[ch], what + " at channel " + std::to_string(ch));
        }
    }
    return plans;
}

// The largest n <= limit whose error is not above that of any smaller n: a pin never buys a
// point that makes the channel worse.
int pinnedPoints(const double *e, int limit)
{
    int best = 1;
    double lowest = e[0];
    for (int n = 2; n <= limit; ++n)
        if (e[n - 1] <= lowest) {
            lowest = e[n - 1];
            best = n;
        }
    return best;
}

// Threshold rule: the first n with rho_c(n) <= epsilon is also the first n below every earlier
// error, so it never picks a rising step; the fallback is the first n of least error. Weighted,
// `c` holds the weighted curves (docs/multipoint.md section 8).
std::vector<int> thresholdPoints(const LayerCurves &c, double epsilon)
{
    const double mean = meanSignal(c);
    std::vector<int> points(c.channels, 1);
    for (std::int64_t ch = 0; ch < c.channels; ++ch) {
        const double s = c.signal[ch] > 0 ? c.signal[ch] : mean;
        if (!(s > 0))
            continue;
        const double *e = &c.error[ch * c.maxPoints];
        int least = 1, chosen = 0;
        for (int n = 1; n <= c.maxPoints && !chosen; ++n) {
            if (e[n - 1] / s <= epsilon)
                chosen = n;
            else if (e[n - 1] < e[least - 1])
                least = n;
        }
        points[ch] = chosen ? chosen : least;
    }
    return points;
}

// ---- cost figures (section 4)

LayerAllocation describe(const LayerCurves &c, std::vector<int> points, int b)
{
    LayerAllocation a;
    a.name = c.name;
    a.bits = c.bits;
    a.extraBits = int(extraBitsOf(c));
    std::int64_t sumPoints = 0;
    double error = 0, signal = 0;
    for (std::int64_t ch = 0; ch < c.channels; ++ch) {
        sumPoints += points[ch];
        a.maxPoints = std::max(a.maxPoints, points[ch]);
        error += c.errorAt(ch, points[ch]);
        signal += c.signal[ch];
    }
    a.points = std::move(points);
    a.meanPoints = double(sumPoints) / double(c.channels);
    a.relativeError = relative(error, signal);
    a.sqnrDb = sqnrDbOf(a.relativeError);
    a.weights = c.channels * c.d;
    a.extraWeights = (sumPoints - c.channels) * c.d;
    a.scales = sumPoints;
    a.storedBits = std::int64_t(c.bits) * a.weights + extraBitsOf(c) * a.extraWeights;
    a.costBits = a.storedBits - std::int64_t(b) * a.weights;
    a.macs = a.weights * c.outputPositions;
    a.extraMacs = a.extraWeights * c.outputPositions;
    a.overhead = double(a.costBits) / (double(b) * double(a.weights));
    a.macOverhead = a.macs > 0 ? double(a.extraMacs) / double(a.macs) : 0.0;
    a.effectiveBits = (double(a.storedBits) + 32.0 * double(a.scales)) / double(a.weights);
    return a;
}

LayerAllocation describeFloat(const LayerCurves &c, int b)
{
    LayerAllocation a;
    a.name = c.name;
    a.isFloat = true;
    a.sqnrDb = std::numeric_limits<double>::infinity(); // no quantization error at all
    a.weights = c.channels * c.d;
    a.storedBits = 32 * a.weights;
    a.costBits = a.storedBits - std::int64_t(b) * a.weights;
    a.overhead = double(a.costBits) / (double(b) * double(a.weights));
    a.macs = a.weights * c.outputPositions;
    a.floatMacs = a.macs;
    return a;
}

double ratio(std::int64_t part, std::int64_t whole)
{
    return whole > 0 ? double(part) / double(whole) : 0.0;
}

// One entry per distinct name, in order of first appearance.
template <typename F> void forEachLayer(const std::vector<LayerCurves> &curves, F f)
{
    std::unordered_map<std::string, bool> seen;
    for (const LayerCurves &c : curves)
        if (seen.emplace(c.name, true).second)
            f(c);
}

} // namespace

Allocation allocate(const std::vector<LayerCurves> &curves, const AllocationSettings &settings)
{
    if (!(settings.epsilon > 0))
        throw Error(ErrorCode::InvalidArgument,
                    "allocate: epsilon must be > 0, got " + std::to_string(settings.epsilon) + ".");
    if (!(settings.budget >= 0))
        throw Error(ErrorCode::InvalidArgument,
                    "allocate: budget must be >= 0, got " + std::to_string(settings.budget) + ".");
    if (settings.bits < kMinBits || settings.bits > kMaxBits)
        throw Error(ErrorCode::InvalidArgument,
                    "allocate: bits must be in 2..8, got " + std::to_string(settings.bits) + ".");
    if (settings.biasCorrection) {
        // docs/multipoint.md section 9: the rules see the error left after the bias
        // correction, e_c(n) - P shift_c(n)^2, and the runners add the shifts
        AllocationSettings plain = settings;
        plain.biasCorrection = false;
        const bool measured = std::all_of(curves.begin(), curves.end(), [](const LayerCurves &c) {
            return c.correctedError.size() == c.error.size() && c.shift.size() == c.error.size();
        });
        if (!measured) {
            Allocation a = allocate(curves, plain);
            a.warnings.push_back("bias correction is off: the analysis has no measured output "
                                 "shifts (it was made before bias correction); analyse again");
            return a;
        }
        std::vector<LayerCurves> corrected = curves;
        for (LayerCurves &c : corrected)
            c.error = c.correctedError;
        Allocation a = allocate(corrected, plain);
        a.biasCorrection = true;
        return a;
    }
    const std::vector<Plan> plans = planLayers(curves, settings);

    // The sensitivity weighting (docs/multipoint.md section 8) applies when asked for and every
    // quantized layer carries w_c; weightSum = sum over the quantized channels of w_c s_c and
    // w_bar = weightSum / sum s_c. The rules then run on weighted copies of the curves:
    // E_c(n) = w_c (e_c(n) - M_c(n)) + m_c M_c(n), with M_c(n) = e_c(n) - correctedError_c(n)
    // the part of the error that is the channel's mean shift (0 without shifts or m_c), and
    // signal w_bar s_c; the budget rule divides every drop by weightSum.
    bool weighted = settings.sensitivityWeighted;
    bool someWeighted = false;
    double weightSum = 0.0, signalSum = 0.0;
    for (const Plan &plan : plans) {
        if (plan.isFloat)
            continue;
        if (!plan.sensitivity) {
            weighted = false;
            continue;
        }
        someWeighted = true;
        const LayerCurves &c = *plan.curves;
        for (std::int64_t ch = 0; ch < c.channels; ++ch) {
            weightSum += (*plan.sensitivity)[ch] * c.signal[ch];
            signalSum += c.signal[ch];
        }
    }
    weighted = weighted && weightSum > 0 && signalSum > 0;
    const double meanWeight = weighted ? weightSum / signalSum : 0.0;
    std::vector<LayerCurves> weightedCurves(weighted ? plans.size() : 0);
    std::vector<const LayerCurves *> rules(plans.size(), nullptr);
    for (std::size_t l = 0; l < plans.size(); ++l) {
        if (plans[l].isFloat)
            continue;
        rules[l] = plans[l].curves;
        if (!weighted)
            continue;
        const LayerCurves &c = *plans[l].curves;
        LayerCurves &wc = weightedCurves[l];
        wc = c;
        const std::vector<double> &w = *plans[l].sensitivity;
        const bool meanPart = plans[l].meanSensitivity && c.correctedError.size() == c.error.size();
        for (std::int64_t ch = 0; ch < c.channels; ++ch) {
            wc.signal[ch] = meanWeight * c.signal[ch];
            for (int n = 1; n <= c.maxPoints; ++n) {
                const std::size_t k = std::size_t(ch * c.maxPoints + (n - 1));
                const double mean =
                    meanPart ? std::clamp(c.error[k] - c.correctedError[k], 0.0, c.error[k]) : 0.0;
                wc.error[k] = w[ch] * (c.error[k] - mean) +
                              (meanPart ? (*plans[l].meanSensitivity)[ch] * mean : 0.0);
            }
        }
        rules[l] = &wc;
    }

    std::vector<std::vector<int>> points(plans.size());
    for (std::size_t l = 0; l < plans.size(); ++l) {
        const Plan &plan = plans[l];
        if (plan.isFloat)
            continue;
        const LayerCurves &c = *plan.curves;
        if (plan.pinned) {
            const int limit = std::min(plan.pinned, c.maxPoints);
            points[l].resize(c.channels);
            for (std::int64_t ch = 0; ch < c.channels; ++ch)
                points[l][ch] = pinnedPoints(&c.error[ch * c.maxPoints], limit);
        } else if (settings.rule == AllocationRule::Threshold) {
            points[l] = thresholdPoints(*rules[l], settings.epsilon);
        } else {
            points[l].assign(c.channels, 1);
        }
    }
    Allocation result;
    result.bits = settings.bits;
    result.sensitivityWeighted = weighted;
    if (settings.sensitivityWeighted && !weighted && someWeighted)
        result.warnings.push_back("some layers have no output sensitivity: the allocation is "
                                  "not weighted by it");
    if (settings.rule == AllocationRule::Budget) {
        std::string warning =
            budgetPoints(plans, rules, settings, weighted ? weightSum : 0.0, points);
        if (!warning.empty())
            result.warnings.push_back(std::move(warning));
    }

    for (std::size_t l = 0; l < plans.size(); ++l) {
        if (plans[l].isFloat)
            result.layers.push_back(describeFloat(*plans[l].shape, settings.bits));
        else
            result.layers.push_back(
                describe(*plans[l].curves, std::move(points[l]), settings.bits));
        LayerAllocation &a = result.layers.back();
        a.pinned = settings.overrides.count(a.name) > 0;
        result.allWeights += a.weights;
        result.allMacs += a.macs;
        (a.isFloat ? result.floatWeights : result.quantizedWeights) += a.weights;
        (a.isFloat ? result.floatMacs : result.quantizedMacs) += a.macs;
        result.extraWeights += a.extraWeights;
        result.extraMacs += a.extraMacs;
        result.scales += a.scales;
        result.storedBits += a.storedBits;
        result.costBits += a.costBits;
        if (a.pinned) {
            result.pinnedCostBits += a.costBits;
            result.pinnedExtraMacs += a.extraMacs;
        }
        if (!a.isFloat && !weighted)
            result.totalError += a.relativeError;
        if (!a.isFloat && weighted) {
            const LayerCurves &c = *rules[l];
            for (std::int64_t ch = 0; ch < c.channels; ++ch)
                result.totalError += c.errorAt(ch, a.points[ch]) / weightSum;
        }
    }
    const std::int64_t reference = std::int64_t(settings.bits) * result.allWeights;
    result.memoryOverhead = ratio(result.costBits, reference);
    result.pinnedMemoryOverhead = ratio(result.pinnedCostBits, reference);
    result.macOverhead = ratio(result.extraMacs, result.allMacs);
    result.pinnedMacOverhead = ratio(result.pinnedExtraMacs, result.allMacs);
    result.floatMacShare = ratio(result.floatMacs, result.allMacs);
    if (result.allWeights > 0)
        result.effectiveBits =
            (double(result.storedBits) + 32.0 * double(result.scales)) / double(result.allWeights);
    return result;
}

std::int64_t quantizableWeights(const std::vector<LayerCurves> &curves)
{
    std::int64_t total = 0;
    forEachLayer(curves, [&](const LayerCurves &c) { total += c.channels * c.d; });
    return total;
}

std::int64_t quantizableMacs(const std::vector<LayerCurves> &curves)
{
    std::int64_t total = 0;
    forEachLayer(curves,
                 [&](const LayerCurves &c) { total += c.channels * c.d * c.outputPositions; });
    return total;
}

} // namespace mpq
