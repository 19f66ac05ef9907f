// The single greedy steps of docs/multipoint.md section 2: exact (2.1), grid (paper), max-scaled.
#include "mpq/grid.h"
#include "mpq/multipoint.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

namespace mpq {

namespace {

double squaredError(const double *r, std::int64_t d, double a, const std::int8_t *q)
{
    double e = 0.0;
    for (std::int64_t j = 0; j < d; ++j) {
        const double diff = r[j] - a * q[j];
        e += diff * diff;
    }
    return e;
}

double infinityNorm(const double *r, std::int64_t d)
{
    double m = 0.0;
    for (std::int64_t j = 0; j < d; ++j)
        m = std::max(m, std::abs(r[j]));
    return m;
}

StepResult zeroStep(std::int64_t d, std::int8_t *q)
{
    std::fill(q, q + d, std::int8_t(0));
    return {};
}

// Per-thread scratch of the exact steps, so the hot loops never allocate.
struct ExactScratch
{
    std::vector<double> sorted;     // |r_j| > 0, descending
    std::vector<double> prefix;     // prefix[k] = sorted[0] + ... + sorted[k-1]
    std::vector<double> inverseMid; // 1 / (m - 1/2), m = 1..L (index m)
    // reference sweep: max-heap over the L breakpoint lists
    std::vector<double> heapValue;
    std::vector<int> heapList;
    std::vector<std::int64_t> pos;
    // branch and bound: pending intervals and a leaf's breakpoints
    struct Interval
    {
        double lo, hi;     // breakpoints v with lo <= v < hi
        double s1Lo, s2Lo; // S1, S2 of set(lo), the largest set in the interval
        double s1Hi, s2Hi; // of set(hi), the smallest
        std::int64_t countLo, countHi;
        double bound; // no candidate in the interval scores above it
        bool operator<(const Interval &o) const { return bound < o.bound; }
    };
    std::vector<Interval> queue;
    struct Breakpoint
    {
        double value; // |r_j| / (m - 1/2)
        double abs;   // |r_j|
        int m;
    };
    std::vector<Breakpoint> leaf;
};

thread_local ExactScratch t_scratch;

// Sorts the non-zero |r_j| in descending order and tabulates 1/(m - 1/2); returns their count.
std::int64_t prepare(ExactScratch &s, const double *r, std::int64_t d, int levels)
{
    s.sorted.resize(d);
    std::int64_t n = 0;
    for (std::int64_t j = 0; j < d; ++j) {
        s.sorted[n] = std::abs(r[j]);
        n += r[j] != 0.0;
    }
    s.sorted.resize(n);
    std::sort(s.sorted.begin(), s.sorted.end(), std::greater<double>());
    s.inverseMid.assign(levels + 1, 0.0);
    for (int m = 1; m <= levels; ++m)
        s.inverseMid[m] = 1.0 / (m - 0.5);
    return n;
}

// The code of the set {(j, m) : |r_j| / (m - 1/2) >= threshold}: |q_j| counts the breakpoints of
// j at or above the threshold, computed with the very same products as everywhere else, so the
// set is exactly the one that was scored. Then a = <r,q>/<q,q>, the best scale for that q.
StepResult rebuild(const ExactScratch &s, const double *r, std::int64_t d, int levels,
                   double threshold, std::int8_t *q)
{
    double dot = 0.0;
    double qq = 0.0;
    for (std::int64_t j = 0; j < d; ++j) {
        const double ar = std::abs(r[j]);
        // m = #{m' : ar / (m' - 1/2) >= threshold}: start from the rounded ratio, then settle
        // it with the exact predicate (at most a step or two either way)
        const double ratio = ar / threshold + 0.5;
        int m = ratio >= levels ? levels : static_cast<int>(ratio);
        while (m < levels && ar * s.inverseMid[m + 1] >= threshold)
            ++m;
        while (m > 0 && ar * s.inverseMid[m] < threshold)
            --m;
        const int qj = r[j] < 0 ? -m : m;
        q[j] = static_cast<std::int8_t>(qj);
        dot += r[j] * qj;
        qq += static_cast<double>(qj) * qj;
    }
    const double a = dot / qq;
    return {a, squaredError(r, d, a, q)};
}

// S1, S2 and the size of set(t) = {(j, m) : sorted[j] / (m - 1/2) >= t}.
struct SetStats
{
    double s1 = 0.0;
    double s2 = 0.0;
    std::int64_t count = 0;
};

// Entries j < n_m(t) of the descending array have a breakpoint at level m at or above t.
std::int64_t countAtLeast(const ExactScratch &s, double inverseMid, double t, std::int64_t upTo)
{
    std::int64_t lo = 0, hi = upTo;
    while (lo < hi) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        if (s.sorted[mid] * inverseMid >= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

SetStats evaluate(const ExactScratch &s, int levels, double t)
{
    SetStats e;
    std::int64_t upTo = static_cast<std::int64_t>(s.sorted.size());
    for (int m = 1; m <= levels && upTo > 0; ++m) {
        // n_m(t) is non-increasing in m, so level m+1 searches below n_m(t) only
        upTo = countAtLeast(s, s.inverseMid[m], t, upTo);
        e.s1 += s.prefix[upTo];
        e.s2 += static_cast<double>(2 * m - 1) * upTo;
        e.count += upTo;
    }
    return e;
}

} // namespace

StepResult exactStepReference(const double *r, std::int64_t d, int levels, std::int8_t *q)
{
    ExactScratch &s = t_scratch;
    const std::int64_t n = prepare(s, r, d, levels);
    if (n == 0)
        return zeroStep(d, q);
    const int L = levels;

    // Sweep a from +inf downwards. Breakpoint |r_j| / (m - 1/2) raises |q_j| from m-1 to m,
    // adding |r_j| to S1 = sum |r_j||q_j| and 2m-1 to S2 = sum q_j^2. List m holds the sorted
    // |r| times 1/(m-1/2); the L lists are merged with a max-heap keyed on the head value.
    s.heapValue.resize(L);
    s.heapList.resize(L);
    s.pos.assign(L + 1, 0);
    int heapSize = 0;
    auto siftDown = [&s, &heapSize](int i) {
        const double v = s.heapValue[i];
        const int list = s.heapList[i];
        for (;;) {
            int child = 2 * i + 1;
            if (child >= heapSize)
                break;
            if (child + 1 < heapSize && s.heapValue[child + 1] > s.heapValue[child])
                ++child;
            if (s.heapValue[child] <= v)
                break;
            s.heapValue[i] = s.heapValue[child];
            s.heapList[i] = s.heapList[child];
            i = child;
        }
        s.heapValue[i] = v;
        s.heapList[i] = list;
    };
    // Initial heads are sorted[0] * inverseMid[m], already descending in m: a valid heap.
    for (int m = 1; m <= L; ++m) {
        s.heapValue[heapSize] = s.sorted[0] * s.inverseMid[m];
        s.heapList[heapSize] = m;
        ++heapSize;
    }

    double s1 = 0.0;
    double s2 = 0.0;
    double bestScore = -1.0;
    double bestThreshold = 0.0;
    while (heapSize > 0) {
        const double v = s.heapValue[0];
        const int m = s.heapList[0];
        std::int64_t &p = s.pos[m];
        s1 += s.sorted[p];
        s2 += 2 * m - 1;
        ++p;
        if (p < n) {
            s.heapValue[0] = s.sorted[p] * s.inverseMid[m];
        } else {
            --heapSize;
            s.heapValue[0] = s.heapValue[heapSize];
            s.heapList[0] = s.heapList[heapSize];
        }
        if (heapSize > 0)
            siftDown(0);
        // Score only after a whole group of equal breakpoints: q(a) jumps over all of them.
        if (heapSize == 0 || s.heapValue[0] != v) {
            const double score = s1 * s1 / s2;
            if (score > bestScore) {
                bestScore = score;
                bestThreshold = v;
            }
        }
    }
    return rebuild(s, r, d, L, bestThreshold, q);
}

StepResult exactStep(const double *r, std::int64_t d, int levels, std::int8_t *q)
{
    ExactScratch &s = t_scratch;
    const std::int64_t n = prepare(s, r, d, levels);
    if (n == 0)
        return zeroStep(d, q);
    const int L = levels;
    s.prefix.resize(n + 1);
    s.prefix[0] = 0.0;
    for (std::int64_t j = 0; j < n; ++j)
        s.prefix[j + 1] = s.prefix[j] + s.sorted[j];

    // Best-first branch and bound over the threshold t (the scale's breakpoint). set(t) for any
    // t > 0 is the code q(a) of some a, so every evaluated t is a candidate. On an interval
    // [lo, hi) the score of every breakpoint is bounded (boundOf); intervals that cannot beat
    // the best so far are dropped, small ones are swept breakpoint by breakpoint exactly as the
    // reference does.
    double bestScore = -1.0;
    double bestThreshold = 0.0;
    auto consider = [&](double t, double s1, double s2) {
        if (s2 > 0.0 && s1 * s1 / s2 > bestScore) {
            bestScore = s1 * s1 / s2;
            bestThreshold = t;
        }
    };
    // Bound for the breakpoints v in [lo, hi). Each one adds (|r_j|, 2m-1) = (v (m-1/2),
    // 2 (m-1/2)) to (S1, S2): S1 grows by at most hi/2 per unit of S2, and never past S1(lo).
    // With x the growth of S2, the score is at most f(x) = min(S1hi + x hi/2, S1lo)^2 / (S2hi + x),
    // whose maximum over [0, S2lo - S2hi] lies at an end point (f is quasi-convex until the cap,
    // then falls). f(0) is set(hi), already a candidate; so the bound is f at the far end.
    auto boundOf = [](double hi, double s1Lo, double s2Lo, double s1Hi, double s2Hi) {
        const double slope = 0.5 * hi * (1.0 + 1e-12); // slack for rounding in v = |r_j|/(m-1/2)
        const double xCap = (s1Lo - s1Hi) / slope;
        const double x = std::min(s2Lo - s2Hi, xCap);
        const double s1 = std::min(s1Hi + slope * x, s1Lo);
        const double s2 = s2Hi + x;
        return s2 > 0.0 ? s1 * s1 / s2 : 0.0;
    };
    const double tMin = s.sorted[n - 1] * s.inverseMid[L];
    const double tMax = s.sorted[0] * s.inverseMid[1];
    const SetStats all = evaluate(s, L, tMin);
    consider(tMin, all.s1, all.s2);
    s.queue.clear();
    // hi = 2 tMax: above every breakpoint, so set(hi) is empty
    s.queue.push_back({tMin, 2.0 * tMax, all.s1, all.s2, 0.0, 0.0, all.count, 0,
                       boundOf(2.0 * tMax, all.s1, all.s2, 0.0, 0.0)});
    constexpr std::int64_t kLeafSize = 32;
    // Prune only intervals clearly below the best: rounding in S1/S2 must never drop the optimum.
    constexpr double kPruneSlack = 1e-13;
    while (!s.queue.empty()) {
        std::pop_heap(s.queue.begin(), s.queue.end());
        const ExactScratch::Interval iv = s.queue.back();
        s.queue.pop_back();
        if (iv.bound <= bestScore * (1.0 + kPruneSlack))
            break; // best-first: every remaining interval is bounded lower still
        const double mid = std::sqrt(iv.lo) * std::sqrt(iv.hi);
        if (iv.countLo - iv.countHi > kLeafSize && mid > iv.lo && mid < iv.hi) {
            const SetStats e = evaluate(s, L, mid);
            consider(mid, e.s1, e.s2);
            const ExactScratch::Interval low{
                iv.lo,      mid,     iv.s1Lo,
                iv.s2Lo,    e.s1,    e.s2,
                iv.countLo, e.count, boundOf(mid, iv.s1Lo, iv.s2Lo, e.s1, e.s2)};
            const ExactScratch::Interval high{
                mid,     iv.hi,      e.s1,
                e.s2,    iv.s1Hi,    iv.s2Hi,
                e.count, iv.countHi, boundOf(iv.hi, e.s1, e.s2, iv.s1Hi, iv.s2Hi)};
            for (const auto &child : {low, high}) {
                if (child.countLo > child.countHi && child.bound > bestScore) {
                    s.queue.push_back(child);
                    std::push_heap(s.queue.begin(), s.queue.end());
                }
            }
            continue;
        }
        // Leaf: sweep the interval's breakpoints downwards from set(hi).
        s.leaf.clear();
        std::int64_t upToLo = n, upToHi = n;
        for (int m = 1; m <= L; ++m) {
            upToLo = countAtLeast(s, s.inverseMid[m], iv.lo, upToLo);
            upToHi = countAtLeast(s, s.inverseMid[m], iv.hi, std::min(upToHi, upToLo));
            for (std::int64_t j = upToHi; j < upToLo; ++j)
                s.leaf.push_back({s.sorted[j] * s.inverseMid[m], s.sorted[j], m});
            if (upToLo == 0)
                break;
        }
        std::sort(s.leaf.begin(), s.leaf.end(),
                  [](const auto &a, const auto &b) { return a.value > b.value; });
        double s1 = iv.s1Hi;
        double s2 = iv.s2Hi;
        for (size_t k = 0; k < s.leaf.size(); ++k) {
            const ExactScratch::Breakpoint &b = s.leaf[k];
            s1 += b.abs;
            s2 += 2 * b.m - 1;
            if (k + 1 == s.leaf.size() || s.leaf[k + 1].value != b.value)
                consider(b.value, s1, s2);
        }
    }
    return rebuild(s, r, d, L, bestThreshold, q);
}

StepResult gridStep(const double *r, std::int64_t d, int levels, std::int8_t *q, int gridResolution)
{
    const double inf = infinityNorm(r, d);
    if (inf == 0.0)
        return zeroStep(d, q);
    double rr = 0.0;
    for (std::int64_t j = 0; j < d; ++j)
        rr += r[j] * r[j];
    // Candidates a_k = k * gamma, k = 1..2*resolution: every a above 2||r||_inf rounds r to 0.
    const double gamma = inf / gridResolution;
    const int candidates = 2 * gridResolution;
    double bestError = rr; // a -> inf: q = 0
    double bestA = 0.0;
    for (int k = 1; k <= candidates; ++k) {
        const double a = k * gamma;
        const double inv = 1.0 / a;
        double rq = 0.0;
        double qq = 0.0;
        for (std::int64_t j = 0; j < d; ++j) {
            const double qj = quantizeToGrid(r[j], inv, levels);
            rq += r[j] * qj;
            qq += qj * qj;
        }
        const double e = rr - 2.0 * a * rq + a * a * qq;
        if (e < bestError) {
            bestError = e;
            bestA = a;
        }
    }
    if (bestA == 0.0)
        return zeroStep(d, q);
    const double inv = 1.0 / bestA;
    for (std::int64_t j = 0; j < d; ++j)
        q[j] = quantizeToGrid(r[j], inv, levels);
    return {bestA, squaredError(r, d, bestA, q)};
}

StepResult maxScaledStep(const double *r, std::int64_t d, int levels, std::int8_t *q)
{
    const double inf = infinityNorm(r, d);
    if (inf == 0.0)
        return zeroStep(d, q);
    const double a = inf / levels;
    const double inv = 1.0 / a;
    for (std::int64_t j = 0; j < d; ++j)
        q[j] = quantizeToGrid(r[j], inv, levels);
    return {a, squaredError(r, d, a, q)};
}

StepResult signStep(const double *r, std::int64_t d, std::int8_t *q)
{
    double sumAbs = 0.0;
    for (std::int64_t j = 0; j < d; ++j) {
        q[j] = r[j] >= 0.0 ? 1 : -1;
        sumAbs += std::abs(r[j]);
    }
    const double a = sumAbs / static_cast<double>(d);
    return {a, squaredError(r, d, a, q)};
}

} // namespace mpq
