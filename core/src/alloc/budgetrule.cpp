// The budget rule of docs/multipoint.md sections 3, 4 and 8: greedy steps along the lower convex
// hull of each channel's curve, largest gain per unit of cost first, within the budget and the
// MAC cap.
#include "alloc/allocationparts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <queue>

namespace mpq::alloc {

namespace {

// Slopes of e(n) that differ by less than this fraction of the error they start from count as
// equal: curves that are collinear on paper (1, 0.5, 0 or 0.3, 0.2, 0.1) are not quite so in
// floating point, and a step should then span one point, not two.
constexpr double kSlopeTolerance = 1e-9;

// The next edge of the lower convex hull of (n, e(n)) from vertex `from`: the n' > from of least
// slope (e(n') - e(from)) / (n' - from), the nearest one among slopes equal within the
// tolerance; only n' with e(n') < e(from) qualify. 0 when no later n has a lower error. The
// chosen n' lies below every point between `from` and it, and `from` lies below every point
// before it, so no rising step is ever taken.
int hullStep(const double *e, int maxPoints, int from)
{
    const double start = e[from - 1];
    double least = 0.0;
    for (int n = from + 1; n <= maxPoints; ++n)
        if (e[n - 1] < start)
            least = std::min(least, (e[n - 1] - start) / double(n - from));
    if (!(least < 0.0))
        return 0;
    const double tolerance = kSlopeTolerance * start;
    for (int n = from + 1; n <= maxPoints; ++n)
        if (e[n - 1] < start && (e[n - 1] - start) / double(n - from) <= least + tolerance)
            return n;
    return 0;
}

// The fallback when the hull step from `from` does not fit (docs/multipoint.md section 3, the
// budget rule must cope with non-convex curves): the step of largest drop per point among the
// n' <= from + span whose error is below that of every n in [from, n'). 0 when none.
int affordableStep(const double *e, int maxPoints, int from, std::int64_t span)
{
    const int last = int(std::min<std::int64_t>(maxPoints, from + span));
    double lowest = e[from - 1], best = 0.0;
    int to = 0;
    for (int n = from + 1; n <= last; ++n) {
        if (e[n - 1] < lowest) {
            const double perPoint = (e[from - 1] - e[n - 1]) / double(n - from);
            if (perPoint > best) {
                best = perPoint;
                to = n;
            }
        }
        lowest = std::min(lowest, e[n - 1]);
    }
    return to;
}

// One layer's part in the greedy.
struct FreeLayer
{
    const LayerCurves *curves = nullptr;
    std::vector<int> *points = nullptr;
    double signalSum = 0.0;    // sum_c s_c; weighted, the model's sum of w_c s_c (section 8)
    std::int64_t unitCost = 0; // the cost of one extra point, in the budget's unit
    std::int64_t macUnit = 0;  // the MACs of one extra point (for the MAC cap)
};

struct Step
{
    double gain; // drop of R_l per unit of cost
    int layer;
    std::int64_t channel;
    int from, to;
};

// Largest gain first; ties to the earlier layer, then the earlier channel, then the shorter
// step (deterministic).
struct StepOrder
{
    bool operator()(const Step &a, const Step &b) const
    {
        if (a.gain != b.gain)
            return a.gain < b.gain;
        if (a.layer != b.layer)
            return a.layer > b.layer;
        if (a.channel != b.channel)
            return a.channel > b.channel;
        return a.to > b.to;
    }
};

Step makeStep(const FreeLayer &h, int layer, std::int64_t ch, int from, int to)
{
    const double drop = h.curves->errorAt(ch, from) - h.curves->errorAt(ch, to);
    const double cost = double(to - from) * double(h.unitCost);
    const double relativeDrop = drop / h.signalSum;
    const double gain = !(relativeDrop > 0) ? 0.0
                        : cost > 0          ? relativeDrop / cost
                                            : std::numeric_limits<double>::infinity();
    return {gain, layer, ch, from, to};
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

// What the budget rule may spend: the budget's unit (spent up to limit) and, with a MAC cap
// (docs/multipoint.md section 8), MACs (macSpent up to macLimit; macLimit < 0: no cap).
struct Spending
{
    std::int64_t spent = 0, limit = 0;
    std::int64_t macSpent = 0, macLimit = -1;
};

// Points of the free layers by the budget rule; the spending starts with the pins' cost. A step
// with no gain (a channel of zero sensitivity) is never bought.
void spendBudget(std::vector<FreeLayer> &layers, Spending s)
{
    std::vector<Step> initial;
    std::int64_t minUnit = std::numeric_limits<std::int64_t>::max();
    const auto push = [](std::vector<Step> &to, const Step &step) {
        if (step.gain > 0)
            to.push_back(step);
    };
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const LayerCurves &c = *layers[l].curves;
        for (std::int64_t ch = 0; ch < c.channels; ++ch)
            if (const int to = hullStep(&c.error[ch * c.maxPoints], c.maxPoints, 1))
                push(initial, makeStep(layers[l], int(l), ch, 1, to));
        minUnit = std::min(minUnit, layers[l].unitCost);
    }
    std::priority_queue<Step, std::vector<Step>, StepOrder> queue(StepOrder(), std::move(initial));
    const auto enqueue = [&](const Step &step) {
        if (step.gain > 0)
            queue.push(step);
    };
    while (!queue.empty() && s.limit - s.spent >= minUnit) {
        const Step step = queue.top();
        queue.pop();
        FreeLayer &h = layers[step.layer];
        const LayerCurves &c = *h.curves;
        const double *e = &c.error[step.channel * c.maxPoints];
        const std::int64_t cost = (step.to - step.from) * h.unitCost;
        const std::int64_t macs = (step.to - step.from) * h.macUnit;
        const bool capped = s.macLimit >= 0 && macs > s.macLimit - s.macSpent;
        if (cost > s.limit - s.spent || capped) {
            // a smaller step may still fit; it competes at its own gain (spending only grows,
            // so it is checked again when it comes up)
            std::int64_t span = (s.limit - s.spent) / h.unitCost; // unitCost > 0 here
            if (s.macLimit >= 0 && h.macUnit > 0)
                span = std::min(span, (s.macLimit - s.macSpent) / h.macUnit);
            if (const int to = affordableStep(e, c.maxPoints, step.from, span))
                enqueue(makeStep(h, step.layer, step.channel, step.from, to));
            continue;
        }
        s.spent += cost;
        s.macSpent += macs;
        (*h.points)[step.channel] = step.to;
        if (const int to = hullStep(e, c.maxPoints, step.to))
            enqueue(makeStep(h, step.layer, step.channel, step.to, to));
    }
}

// The cost of one extra point of a layer, in the budget's unit.
std::int64_t pointCost(const LayerCurves &c, BudgetCost cost)
{
    return cost == BudgetCost::Memory ? c.d * extraBitsOf(c) : c.d * c.outputPositions;
}

std::string percent(double fraction)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.2f %%", 100.0 * fraction);
    return text;
}

} // namespace

// Charges the pins, then spends the rest (docs/multipoint.md sections 4 and 8).
std::string budgetPoints(const std::vector<Plan> &plans,
                         const std::vector<const LayerCurves *> &rules,
                         const AllocationSettings &settings, double weightSum,
                         std::vector<std::vector<int>> &points)
{
    const bool memory = settings.cost == BudgetCost::Memory;
    const bool capped = memory && settings.macCap >= 0;
    const std::int64_t b = settings.bits;
    std::int64_t total = 0, pinned = 0, freeMax = 0;
    std::int64_t allMacs = 0, pinnedMacs = 0, freeMaxMacs = 0;
    std::vector<FreeLayer> free;
    for (std::size_t l = 0; l < plans.size(); ++l) {
        // sizes from the entry the layer is described by (as describe() counts them)
        const LayerCurves &shape = plans[l].isFloat ? *plans[l].shape : *plans[l].curves;
        const std::int64_t weights = shape.channels * shape.d;
        total += memory ? b * weights : weights * shape.outputPositions;
        allMacs += weights * shape.outputPositions;
        if (plans[l].isFloat) {
            pinned += memory ? (32 - b) * weights : 0; // float MACs are never charged
            continue;
        }
        const LayerCurves &c = *rules[l]; // the weighted copy when weighted
        const std::int64_t unit = pointCost(c, settings.cost);
        if (memory)
            pinned += (c.bits - b) * weights; // a Bits pin; 0 for the others
        const std::int64_t macUnit = c.d * c.outputPositions;
        if (plans[l].pinned) {
            for (int n : points[l]) {
                pinned += (n - 1) * unit;
                pinnedMacs += (n - 1) * macUnit;
            }
            continue;
        }
        FreeLayer h;
        h.curves = &c;
        h.points = &points[l];
        const double layerSignal = std::accumulate(c.signal.begin(), c.signal.end(), 0.0);
        // weighted, every drop is divided by the same model-wide sum (section 8)
        h.signalSum = weightSum > 0 ? weightSum : layerSignal;
        h.unitCost = unit;
        h.macUnit = macUnit;
        if (layerSignal > 0) { // no signal: relative gains are undefined, 1 point each
            freeMax += c.channels * (c.maxPoints - 1) * unit;
            freeMaxMacs += c.channels * (c.maxPoints - 1) * macUnit;
            free.push_back(h);
        }
    }
    Spending s;
    s.spent = pinned;
    s.limit = spendLimit(settings.budget, total, std::max<std::int64_t>(pinned, 0) + freeMax);
    if (pinned > s.limit)
        return "the pinned layers alone cost " + percent(double(pinned) / double(total)) +
               (memory ? " memory" : " MACs") + " over the " + std::to_string(b) +
               "-bit model, more than the budget of " + percent(settings.budget) +
               ": every other layer keeps one point";
    if (capped) {
        s.macSpent = pinnedMacs;
        s.macLimit = spendLimit(settings.macCap, allMacs, pinnedMacs + freeMaxMacs);
        if (pinnedMacs > s.macLimit)
            return "the pinned layers alone cost " + percent(double(pinnedMacs) / double(allMacs)) +
                   " extra MACs, more than the MAC cap of " + percent(settings.macCap) +
                   ": every other layer keeps one point";
    }
    spendBudget(free, s);
    return {};
}

} // namespace mpq::alloc
