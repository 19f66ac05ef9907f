// The single greedy steps of multipoint.md section 2: exact (2.1), grid (paper) and max-scaled.
#include "mpq/grid.h"
#include "mpq/multipoint.h"

#include <algorithm>
#include <cmath>
#include <functional>
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

// Per-thread scratch of the exact step, so the hot loop never allocates.
struct ExactScratch
{
    std::vector<double> sorted;     // |r_j| > 0, descending
    std::vector<double> inverseMid; // 1 / (m - 1/2), m = 1..L (index m)
    // Max-heap over the L breakpoint lists: list m's head is sorted[pos[m]] * inverseMid[m].
    std::vector<double> heapValue;
    std::vector<int> heapList;
    std::vector<std::int64_t> pos;
};

thread_local ExactScratch t_scratch;

} // namespace

StepResult exactStep(const double *r, std::int64_t d, int levels, std::int8_t *q)
{
    ExactScratch &s = t_scratch;
    s.sorted.clear();
    for (std::int64_t j = 0; j < d; ++j)
        if (r[j] != 0.0)
            s.sorted.push_back(std::abs(r[j]));
    const std::int64_t n = static_cast<std::int64_t>(s.sorted.size());
    if (n == 0)
        return zeroStep(d, q);
    std::sort(s.sorted.begin(), s.sorted.end(), std::greater<double>());

    const int L = levels;
    s.inverseMid.assign(L + 1, 0.0);
    for (int m = 1; m <= L; ++m)
        s.inverseMid[m] = 1.0 / (m - 0.5);

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

    // Rebuild the winning q: |q_j| counts the breakpoints of j at or above the threshold,
    // computed with the very same products as in the sweep, so the set matches exactly.
    double dot = 0.0;
    double qq = 0.0;
    for (std::int64_t j = 0; j < d; ++j) {
        const double ar = std::abs(r[j]);
        int m = 0;
        while (m < L && ar * s.inverseMid[m + 1] >= bestThreshold)
            ++m;
        const int qj = r[j] < 0 ? -m : m;
        q[j] = static_cast<std::int8_t>(qj);
        dot += r[j] * qj;
        qq += static_cast<double>(qj) * qj;
    }
    const double a = dot / qq;
    return {a, squaredError(r, d, a, q)};
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

} // namespace mpq
