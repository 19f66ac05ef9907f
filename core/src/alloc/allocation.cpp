// Points per channel from stored error curves: the threshold and budget rules of multipoint.md
// section 3 and the cost figures of section 4. Runs on every slider move, so everything here is
// linear in channels * N_max (times log channels for the budget rule's queue).
#include "mpq/allocation.h"
#include "mpq/error.h"
#include "mpq/grid.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <queue>
#include <unordered_map>

namespace mpq {
namespace {

[[noreturn]] void fail(const std::string &layer, const std::string &what)
{
    throw Error(ErrorCode::InvalidArgument, "allocate: layer '" + layer + "': " + what + ".");
}

// What allocate() does with one output layer.
struct Plan
{
    const LayerCurves *shape = nullptr;  // first entry of the name: sizes for float layers
    const LayerCurves *curves = nullptr; // the entry used; null when float
    bool isFloat = false;
    int pinned = 0; // > 0: a Points override
};

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

double meanSignal(const LayerCurves &c)
{
    return std::accumulate(c.signal.begin(), c.signal.end(), 0.0) / double(c.channels);
}

// Threshold rule: the first n with rho_c(n) <= epsilon is also the first n below every earlier
// error, so it never picks a rising step; the fallback is the first n of least error.
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

// ---- budget rule

// One layer's part in the greedy: the strictly falling part of each channel's lower convex hull
// of (n, e_c(n)), as point counts, hull[ch * maxPoints + k], with hullSize[ch] vertices.
struct HullLayer
{
    const LayerCurves *curves = nullptr;
    std::vector<int> *points = nullptr;
    double signalSum = 0.0;
    std::int64_t unitCost = 0; // the cost of one extra point
    std::vector<int> hull;
    std::vector<int> hullSize;
};

// Andrew's monotone chain. Collinear vertices stay, so a step never spans more points than
// necessary. The vertices are cut where the hull stops falling; slopes increase along the hull,
// so every vertex kept lies below all points to its left (no rising step can be chosen).
void buildHull(const double *e, int maxPoints, int *out, int &size)
{
    size = 0;
    for (int n = 1; n <= maxPoints; ++n) {
        while (size >= 2) {
            const int a = out[size - 2], b = out[size - 1];
            const double cross =
                double(b - a) * (e[n - 1] - e[a - 1]) - (e[b - 1] - e[a - 1]) * double(n - a);
            if (cross >= 0)
                break;
            --size;
        }
        out[size++] = n;
    }
    int kept = 1;
    while (kept < size && e[out[kept] - 1] < e[out[kept - 1] - 1])
        ++kept;
    size = kept;
}

struct Step
{
    double gain; // drop of R_l per unit of cost
    int layer;
    std::int64_t channel;
    int vertex; // the step goes from hull vertex `vertex` to `vertex + 1`
};

// Largest gain first; ties to the earlier layer, then the earlier channel (deterministic).
struct StepOrder
{
    bool operator()(const Step &a, const Step &b) const
    {
        if (a.gain != b.gain)
            return a.gain < b.gain;
        if (a.layer != b.layer)
            return a.layer > b.layer;
        return a.channel > b.channel;
    }
};

Step makeStep(const HullLayer &h, int layer, std::int64_t ch, int vertex)
{
    const int maxPoints = h.curves->maxPoints;
    const int from = h.hull[ch * maxPoints + vertex], to = h.hull[ch * maxPoints + vertex + 1];
    const double drop = h.curves->errorAt(ch, from) - h.curves->errorAt(ch, to);
    const double cost = double(to - from) * double(h.unitCost);
    const double gain =
        cost > 0 ? drop / h.signalSum / cost : std::numeric_limits<double>::infinity();
    return {gain, layer, ch, vertex};
}

// The largest spend k with k / total <= budget, by the same division that reports the overhead,
// so that overhead <= budget holds exactly in floating point.
std::int64_t spendLimit(double budget, std::int64_t total, std::int64_t cap)
{
    if (total <= 0)
        return 0;
    const double raw = budget * double(total); // may be inf, or far beyond any int64
    std::int64_t k = raw >= double(cap) ? cap : static_cast<std::int64_t>(std::floor(raw));
    while (k < cap && double(k + 1) / double(total) <= budget)
        ++k;
    while (k > 0 && double(k) / double(total) > budget)
        --k;
    return k;
}

// Points of the free layers (quantized, not pinned) by the budget rule; `spent` holds the pinned
// layers' extra cost on entry.
void spendBudget(std::vector<HullLayer> &layers, std::int64_t spent, std::int64_t limit)
{
    std::int64_t channels = 0;
    for (const HullLayer &h : layers)
        channels += h.curves->channels;
    std::vector<Step> initial;
    initial.reserve(channels);
    std::int64_t minUnit = std::numeric_limits<std::int64_t>::max();
    for (std::size_t l = 0; l < layers.size(); ++l) {
        HullLayer &h = layers[l];
        const LayerCurves &c = *h.curves;
        h.hull.resize(c.channels * c.maxPoints);
        h.hullSize.resize(c.channels);
        for (std::int64_t ch = 0; ch < c.channels; ++ch) {
            buildHull(&c.error[ch * c.maxPoints], c.maxPoints, &h.hull[ch * c.maxPoints],
                      h.hullSize[ch]);
            if (h.hullSize[ch] > 1)
                initial.push_back(makeStep(h, int(l), ch, 0));
        }
        minUnit = std::min(minUnit, h.unitCost);
    }
    std::priority_queue<Step, std::vector<Step>, StepOrder> queue(StepOrder(), std::move(initial));
    while (!queue.empty() && limit - spent >= minUnit) {
        const Step step = queue.top();
        queue.pop();
        HullLayer &h = layers[step.layer];
        const int *vertices = &h.hull[step.channel * h.curves->maxPoints];
        const int from = vertices[step.vertex], to = vertices[step.vertex + 1];
        const std::int64_t cost = (to - from) * h.unitCost;
        if (cost > limit - spent)
            continue; // spending only grows, so this channel's later steps never fit either
        spent += cost;
        (*h.points)[step.channel] = to;
        if (step.vertex + 2 < h.hullSize[step.channel])
            queue.push(makeStep(h, step.layer, step.channel, step.vertex + 1));
    }
}

std::int64_t pointCost(const LayerCurves &c, BudgetCost cost)
{
    return cost == BudgetCost::Memory ? c.d : c.d * c.outputPositions;
}

void budgetPoints(const std::vector<Plan> &plans, const AllocationSettings &settings,
                  std::vector<std::vector<int>> &points)
{
    std::int64_t total = 0, spent = 0, cap = 0;
    std::vector<HullLayer> free;
    for (std::size_t l = 0; l < plans.size(); ++l) {
        if (plans[l].isFloat)
            continue;
        const LayerCurves &c = *plans[l].curves;
        const std::int64_t unit = pointCost(c, settings.cost);
        total += c.channels * unit;
        cap += c.channels * (c.maxPoints - 1) * unit;
        if (plans[l].pinned) {
            for (int n : points[l])
                spent += (n - 1) * unit;
            continue;
        }
        HullLayer h;
        h.curves = &c;
        h.points = &points[l];
        h.signalSum = std::accumulate(c.signal.begin(), c.signal.end(), 0.0);
        h.unitCost = unit;
        if (h.signalSum > 0) // no signal: relative gains are undefined, 1 point each
            free.push_back(std::move(h));
    }
    spendBudget(free, spent, spendLimit(settings.budget, total, cap));
}

// ---- cost figures (section 4)

double relative(double error, double signal)
{
    if (signal > 0)
        return error / signal;
    return error > 0 ? std::numeric_limits<double>::infinity() : 0.0;
}

LayerAllocation describe(const LayerCurves &c, std::vector<int> points)
{
    LayerAllocation a;
    a.name = c.name;
    a.bits = c.bits;
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
    a.sqnrDb = a.relativeError > 0 ? -10.0 * std::log10(a.relativeError)
                                   : std::numeric_limits<double>::infinity();
    a.weights = c.channels * c.d;
    a.extraWeights = (sumPoints - c.channels) * c.d;
    a.macs = a.weights * c.outputPositions;
    a.extraMacs = a.extraWeights * c.outputPositions;
    a.overhead = double(a.extraWeights) / double(a.weights);
    a.macOverhead = a.macs > 0 ? double(a.extraMacs) / double(a.macs) : 0.0;
    a.effectiveBits =
        (double(c.bits) * double(sumPoints) * double(c.d) + 32.0 * sumPoints) / double(a.weights);
    return a;
}

LayerAllocation describeFloat(const LayerCurves &c)
{
    LayerAllocation a;
    a.name = c.name;
    a.isFloat = true;
    a.sqnrDb = std::numeric_limits<double>::infinity(); // no quantization error at all
    a.weights = c.channels * c.d;
    a.macs = a.weights * c.outputPositions;
    return a;
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
    const std::vector<Plan> plans = planLayers(curves, settings);

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
            points[l] = thresholdPoints(c, settings.epsilon);
        } else {
            points[l].assign(c.channels, 1);
        }
    }
    if (settings.rule == AllocationRule::Budget)
        budgetPoints(plans, settings, points);

    Allocation result;
    double bitTerms = 0;
    for (std::size_t l = 0; l < plans.size(); ++l) {
        if (plans[l].isFloat) {
            result.layers.push_back(describeFloat(*plans[l].shape));
            result.floatWeights += result.layers.back().weights;
            continue;
        }
        const LayerCurves &c = *plans[l].curves;
        const double sumPoints = std::accumulate(points[l].begin(), points[l].end(), 0.0);
        bitTerms += double(c.bits) * sumPoints * double(c.d) + 32.0 * sumPoints;
        result.layers.push_back(describe(c, std::move(points[l])));
        const LayerAllocation &a = result.layers.back();
        result.quantizedWeights += a.weights;
        result.extraWeights += a.extraWeights;
        result.quantizedMacs += a.macs;
        result.extraMacs += a.extraMacs;
        result.totalError += a.relativeError;
    }
    if (result.quantizedWeights > 0) {
        result.memoryOverhead = double(result.extraWeights) / double(result.quantizedWeights);
        result.effectiveBits = bitTerms / double(result.quantizedWeights);
    }
    if (result.quantizedMacs > 0)
        result.macOverhead = double(result.extraMacs) / double(result.quantizedMacs);
    return result;
}

} // namespace mpq
