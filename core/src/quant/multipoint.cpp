#include "mpq/multipoint.h"

#include "mpq/error.h"
#include "mpq/grid.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <string>
#include <utility>

namespace mpq {

namespace {

void validate(const float *w, std::int64_t rows, std::int64_t cols, const DecomposeOptions &o)
{
    extraPointBits(o.bits, o.extraBits); // checks both
    if (o.maxPoints < 1)
        throw Error(ErrorCode::InvalidArgument,
                    "the number of points must be at least 1, got " + std::to_string(o.maxPoints));
    if (o.maxPoints > 127)
        throw Error(ErrorCode::InvalidArgument,
                    "the number of points must be at most 127, got " + std::to_string(o.maxPoints));
    if (o.halfStepPair && extraPointBits(o.bits, o.extraBits) != 1)
        throw Error(ErrorCode::InvalidArgument,
                    "the half-step pair needs one-bit extra points (codes 0 and 1), got " +
                        std::to_string(extraPointBits(o.bits, o.extraBits)) + "-bit ones");
    if (o.search == SearchMethod::Grid && o.gridResolution < 1)
        throw Error(ErrorCode::InvalidArgument, "the grid resolution must be at least 1, got " +
                                                    std::to_string(o.gridResolution));
    if (rows <= 0 || cols <= 0)
        throw Error(ErrorCode::EmptyInput, "the weight matrix is empty (" + std::to_string(rows) +
                                               " x " + std::to_string(cols) + ")");
    if (!w)
        throw Error(ErrorCode::EmptyInput, "no weight data");
    if (const RowCompensation *c = o.compensation) {
        const std::size_t g = static_cast<std::size_t>(c->groups),
                          n = static_cast<std::size_t>(cols);
        if (c->groups < 1 || rows % c->groups != 0 || c->cols != cols || c->order.size() != g * n ||
            c->factor.size() != g * n * n || c->gram.size() != g * n * n)
            throw Error(ErrorCode::InvalidArgument,
                        "the input Gram does not fit the weight matrix (" + std::to_string(rows) +
                            " x " + std::to_string(cols) + ")");
    }
    for (std::int64_t i = 0; i < rows * cols; ++i) {
        if (!std::isfinite(w[i]))
            throw Error(ErrorCode::NonFinite,
                        std::string("weight ") + (std::isnan(w[i]) ? "NaN" : "Inf") + " at row " +
                            std::to_string(i / cols) + ", column " + std::to_string(i % cols));
    }
}

// Rows rounded together by output-aware rounding (section 10): the factor U and the Gram H are
// d x d doubles per group, so rounding one row at a time streams 1.5 d^2 of them from memory per
// point (a 3x3 convolution at 512 channels: 170 MB each); a block of rows of one group reads each
// row of U once for all of them, and their fit to H is one matrix product (gramFit). 64 rows:
// the product's packing of H costs little beside it (bench_rounding, 256 x 4608 at 4 bits and 4
// points: 5.3 s with blocks of 8 rows, 3.3 s with 64; docs/BENCHMARKS.md).
constexpr std::int64_t kRowBlock = 64;

// Columns of the feedback loop rounded before their errors reach the later columns (below).
constexpr std::int64_t kColumnBlock = 128;

// The feedback loop of output-aware rounding (docs/multipoint.md section 10) for the n rows r[b]
// of one group: each row's values rounded column by column in the group's order, `level(b, v)`
// the level of row b's fed-back value v at its scale a[b], each rounding error fed back into the
// later columns through the factor U of the inverse Gram (the optimal brain surgeon update of
// Frantar et al. 2022). Writes the levels to q[b]. In blocks of kColumnBlock columns (the lazy
// batch updates of GPTQ): within a block each error goes to the block's later columns at once,
// and the block's errors reach the columns after it in one matrix product (BLAS), so U is read
// once per block of rows and columns instead of column by column; the same arithmetic, summed
// in another order. `work` is scratch of n * cols doubles (the n values of a column side by
// side).
template <typename Value, typename Code, typename Level>
void feedbackRound(const Value *const *r, std::int64_t n, std::int64_t cols, const double *a,
                   const RowCompensation &comp, std::int64_t group, Level level, Code *const *q,
                   std::vector<double> &work)
{
    const std::int64_t *order = comp.order.data() + group * cols;
    double *U = const_cast<double *>(comp.factor.data() + group * cols * cols); // read only
    for (std::int64_t j = 0; j < cols; ++j)
        for (std::int64_t b = 0; b < n; ++b)
            work[j * n + b] = r[b][order[j]];
    // the block's errors, column-major like work: errors[(j - j0) * n + b]
    at::Tensor errors = at::empty({std::min(cols, kColumnBlock), n}, at::kDouble);
    double *e = errors.data_ptr<double>();
    for (std::int64_t j0 = 0; j0 < cols; j0 += kColumnBlock) {
        const std::int64_t j1 = std::min(cols, j0 + kColumnBlock);
        for (std::int64_t j = j0; j < j1; ++j) {
            const double *u = U + j * cols;
            double *ej = e + (j - j0) * n;
            for (std::int64_t b = 0; b < n; ++b) {
                const double v = work[j * n + b];
                const double l = level(b, v);
                q[b][order[j]] = static_cast<Code>(l);
                ej[b] = (v - a[b] * l) / u[j];
            }
            for (std::int64_t k = j + 1; k < j1; ++k) {
                const double uk = u[k];
                double *wk = work.data() + k * n;
                for (std::int64_t b = 0; b < n; ++b)
                    wk[b] -= ej[b] * uk;
            }
        }
        if (j1 == cols)
            break;
        // work[k][b] -= sum over the block's j of U[j][k] e[j][b], for k = j1 .. cols - 1
        at::Tensor later = at::from_blob(work.data() + j1 * n, {cols - j1, n}, at::kDouble);
        const at::Tensor u =
            at::from_blob(U + j0 * cols + j1, {j1 - j0, cols - j1}, {cols, 1}, at::kDouble);
        later.addmm_(u.t(), errors.narrow(0, 0, j1 - j0), /*beta=*/1.0, /*alpha=*/-1.0);
    }
}

// (q^T H r, q^T H q) of each of the n rows (r[b], q[b]) for the group's Gram H, into qhr[b] and
// qhq[b]: the scale q^T H r / q^T H q minimises (r - a q)^T H (r - a q) for the codes q. The
// rows t_b = q_b^T H of the block come from one matrix product (BLAS: a tenth of the time of
// sums over H row by row, which took half of an output-aware analysis; docs/BENCHMARKS.md),
// then each row's dot products with r and q in column order. A row's figures can depend on the
// rows blocked with it (the product's summation order may), so decompose() forms the blocks
// from the row indices alone: the same for any thread count.
template <typename Value, typename Code>
void gramFit(const Value *const *r, const Code *const *q, std::int64_t n, std::int64_t cols,
             const RowCompensation &comp, std::int64_t group, double *qhr, double *qhq)
{
    const at::Tensor H = at::from_blob(const_cast<double *>(comp.gram.data() + group * cols * cols),
                                       {cols, cols}, at::kDouble);
    at::Tensor Q = at::empty({n, cols}, at::kDouble);
    double *qp = Q.data_ptr<double>();
    for (std::int64_t b = 0; b < n; ++b)
        for (std::int64_t j = 0; j < cols; ++j)
            qp[b * cols + j] = static_cast<double>(q[b][j]);
    const at::Tensor T = at::mm(Q, H).contiguous(); // H is symmetric: row b is q_b^T H
    const double *tp = T.data_ptr<double>();
    for (std::int64_t b = 0; b < n; ++b) {
        const double *tb = tp + b * cols;
        double sr = 0.0, sq = 0.0;
        for (std::int64_t k = 0; k < cols; ++k) {
            sr += tb[k] * r[b][k];
            sq += tb[k] * q[b][k];
        }
        qhr[b] = sr;
        qhq[b] = sq;
    }
}

// Output-aware rounding of one point (docs/multipoint.md section 10) for the n <= kRowBlock
// residuals r[b] of one group: the codes q[b] at the step's scale a[b], rounded with feedback
// (feedbackRound), then the scale refitted to the minimum of (r - a q)^T H (r - a q) for those
// codes (with q negated when that optimum is negative). Replaces a[b] by the refitted scale;
// a row whose a[b] <= 0, or whose codes are all 0, keeps its scale (and, for a[b] <= 0, its
// codes). levels 0: a sign point (section 11), each code the sign of its fed-back value. `work`
// is scratch of n * cols doubles.
void compensatedPoints(const double *const *r, std::int64_t n, std::int64_t cols, int levels,
                       double *a, const RowCompensation &comp, std::int64_t group,
                       std::int8_t *const *q, std::vector<double> &work)
{
    // the rows with a positive scale, as a block of their own
    const double *rows[kRowBlock];
    std::int8_t *codes[kRowBlock];
    double scale[kRowBlock], qhr[kRowBlock], qhq[kRowBlock];
    std::int64_t slot[kRowBlock], m = 0;
    for (std::int64_t b = 0; b < n; ++b)
        if (a[b] > 0.0) {
            rows[m] = r[b];
            codes[m] = q[b];
            scale[m] = a[b];
            slot[m++] = b;
        }
    if (m == 0)
        return;
    feedbackRound(
        rows, m, cols, scale, comp, group,
        [&](std::int64_t b, double v) {
            return levels == 0
                       ? (v >= 0.0 ? 1.0 : -1.0)
                       : std::clamp(std::nearbyint(v / scale[b]), double(-levels), double(levels));
        },
        codes, work);
    gramFit(rows, codes, m, cols, comp, group, qhr, qhq);
    for (std::int64_t b = 0; b < m; ++b) {
        if (!(qhq[b] > 0.0))
            continue; // no code is set
        if (qhr[b] < 0.0) {
            // the output prefers the opposite codes: -q at scale -qhr / qhq (a scale stays >= 0,
            // and the symmetric grid holds -q)
            for (std::int64_t j = 0; j < cols; ++j)
                codes[b][j] = static_cast<std::int8_t>(-codes[b][j]);
            qhr[b] = -qhr[b];
        }
        a[slot[b]] = qhr[b] / qhq[b];
    }
}

// The half-step pair's grid (docs/multipoint.md section 12): the integers lo..hi, lo = -2L and
// hi = 2L + 1, at one step s, so that m = 2 k + j with k in -L..L (the b-bit point at 2s) and
// j in {0, 1} (the one-bit point at s). The step: the L2-best of 401 candidates spread over
// [0.3, 1.5] times max|w| / (2L + 0.5), codes the nearest levels; with output-aware rounding
// (section 10) then three rounds of feedback rounding at s and a refit of s to the lowest output
// error for those codes. Writes m (cols) and returns s (0 for a zero row).
double halfStepGrid(const float *w, std::int64_t cols, int L, const RowCompensation *comp,
                    std::int64_t group, std::vector<double> &m, std::vector<double> &work)
{
    const double lo = -2.0 * L, hi = 2.0 * L + 1.0;
    double wmax = 0.0;
    for (std::int64_t j = 0; j < cols; ++j)
        wmax = std::max(wmax, std::abs(double(w[j])));
    std::fill(m.begin(), m.end(), 0.0);
    if (!(wmax > 0.0))
        return 0.0;
    constexpr int kCandidates = 400;
    double s = 0.0, best = -1.0;
    for (int k = 0; k <= kCandidates; ++k) {
        const double t = wmax / (2 * L + 0.5) * (0.3 + 1.2 * k / kCandidates);
        double err = 0.0;
        for (std::int64_t j = 0; j < cols; ++j) {
            const double e = w[j] - t * std::clamp(std::nearbyint(w[j] / t), lo, hi);
            err += e * e;
        }
        if (best < 0.0 || err < best) {
            best = err;
            s = t;
        }
    }
    for (std::int64_t j = 0; j < cols; ++j)
        m[j] = std::clamp(std::nearbyint(w[j] / s), lo, hi);
    if (!comp)
        return s;
    double *codes = m.data();
    for (int round = 0; round < 3; ++round) {
        feedbackRound(
            &w, 1, cols, &s, *comp, group,
            [&](std::int64_t, double v) { return std::clamp(std::nearbyint(v / s), lo, hi); },
            &codes, work);
        // s = m^T H w / m^T H m, kept when positive (the grid is not symmetric)
        double mhw = 0.0, mhm = 0.0;
        gramFit(&w, &codes, 1, cols, *comp, group, &mhw, &mhm);
        if (mhw > 0.0 && mhm > 0.0)
            s = mhw / mhm;
    }
    return s;
}

// Error(InvalidArgument) unless the list has `rows` entries in 0..points.
void checkPointsPerRow(const std::vector<int> &pointsPerRow, std::int64_t rows, int points)
{
    if (static_cast<std::int64_t>(pointsPerRow.size()) != rows)
        throw Error(ErrorCode::InvalidArgument, "points per row: expected " + std::to_string(rows) +
                                                    " entries, got " +
                                                    std::to_string(pointsPerRow.size()));
    for (std::int64_t c = 0; c < rows; ++c)
        if (pointsPerRow[c] < 0 || pointsPerRow[c] > points)
            throw Error(ErrorCode::InvalidArgument, "row " + std::to_string(c) + " asks for " +
                                                        std::to_string(pointsPerRow[c]) +
                                                        " points; the decomposition has " +
                                                        std::to_string(points));
}

double norm(const double *r, std::int64_t n)
{
    double s = 0.0;
    for (std::int64_t j = 0; j < n; ++j)
        s += r[j] * r[j];
    return std::sqrt(s);
}

} // namespace

MatrixDecomposition decompose(const float *w, std::int64_t rows, std::int64_t cols,
                              const DecomposeOptions &options, const JobControl &control)
{
    validate(w, rows, cols, options);
    const int L = gridLevels(options.bits);
    const int extraBits = extraPointBits(options.bits, options.extraBits);
    const int extraL = extraPointLevels(extraBits);
    const int N = options.maxPoints;

    MatrixDecomposition out;
    out.m_bits = options.bits;
    out.m_extraBits = extraBits;
    out.m_points = N;
    out.m_rows = rows;
    out.m_cols = cols;
    out.m_scales.assign(rows * N, 0.0f);
    out.m_codes.assign(rows * N * cols, 0);
    out.m_residualNorms.assign(rows * (N + 1), 0.0);
    // the half-step pair (section 12): the solo point apart, the chain's first two points as one
    const bool pair = options.halfStepPair && N >= 2;
    if (pair) {
        out.m_soloScales.assign(rows, 0.0f);
        out.m_soloCodes.assign(rows * cols, 0);
    }

    std::atomic<bool> stop{false};
    std::atomic<std::int64_t> rowsDone{0};
    std::mutex progressMutex;
    double lastReported = -1.0;

    // With output-aware rounding the rows of one group go through each point in blocks of up to
    // kRowBlock (compensatedPoints); else one by one. The blocks follow from the row indices
    // alone (each group's rows from its first, kRowBlock at a time) and each is computed by one
    // thread with the same sequence of operations, so the result is bit-identical for any thread
    // count and any chunking.
    const std::int64_t block = options.compensation ? kRowBlock : 1;
    const std::int64_t groups = options.compensation ? options.compensation->groups : 1;
    const std::int64_t rowsPerGroup = rows / groups;
    const std::int64_t blocksPerGroup = (rowsPerGroup + block - 1) / block;
    const std::int64_t grain = std::max<std::int64_t>(1, 65536 / cols / block);
    at::parallel_for(0, groups * blocksPerGroup, grain, [&](std::int64_t begin, std::int64_t end) {
        std::vector<double> residuals(block * cols), work(block * cols), grid(pair ? cols : 0);
        double *r[kRowBlock];
        std::int8_t *q[kRowBlock];
        double scale[kRowBlock];
        for (std::int64_t index = begin; index < end; ++index) {
            if (stop.load(std::memory_order_relaxed) || control.cancelled()) {
                stop = true;
                return;
            }
            const std::int64_t group = index / blocksPerGroup;
            const std::int64_t c0 = group * rowsPerGroup + (index % blocksPerGroup) * block;
            const std::int64_t n = std::min(block, (group + 1) * rowsPerGroup - c0);
            for (std::int64_t b = 0; b < n; ++b) {
                const std::int64_t c = c0 + b;
                r[b] = residuals.data() + b * cols;
                const float *wc = w + c * cols;
                for (std::int64_t j = 0; j < cols; ++j)
                    r[b][j] = wc[j];
                out.m_residualNorms[c * (N + 1)] = norm(r[b], cols);
                if (!pair)
                    continue;
                // the solo point: the first point of the greedy chain, on its own
                std::int8_t *sq = out.m_soloCodes.data() + c * cols;
                StepResult step = options.firstPoint == FirstPoint::Max
                                      ? maxScaledStep(r[b], cols, L, sq)
                                  : options.search == SearchMethod::Exact
                                      ? exactStep(r[b], cols, L, sq)
                                      : gridStep(r[b], cols, L, sq, options.gridResolution);
                if (options.compensation)
                    compensatedPoints(&r[b], 1, cols, L, &step.scale, *options.compensation, group,
                                      &sq, work);
                const float solo = static_cast<float>(step.scale);
                out.m_soloScales[c] = solo;
                double e2 = 0.0;
                for (std::int64_t j = 0; j < cols; ++j) {
                    const double e = r[b][j] - static_cast<double>(solo) * sq[j];
                    e2 += e * e;
                }
                // the pair: codes m = 2k + j split into the b-bit k at 2s and the bit j at s
                const double st =
                    halfStepGrid(wc, cols, L, options.compensation, group, grid, work);
                const float a0 = static_cast<float>(2.0 * st), a1 = static_cast<float>(st);
                std::int8_t *k0 = out.m_codes.data() + (c * N) * cols;
                std::int8_t *k1 = k0 + cols;
                for (std::int64_t j = 0; j < cols; ++j) {
                    const int mj = static_cast<int>(grid[j]);
                    const int k = mj >= 0 ? mj / 2 : -((1 - mj) / 2); // floor(m / 2)
                    k0[j] = static_cast<std::int8_t>(k);
                    k1[j] = static_cast<std::int8_t>(mj - 2 * k);
                    r[b][j] -= static_cast<double>(a0) * k0[j] + static_cast<double>(a1) * k1[j];
                }
                out.m_scales[c * N] = a0;
                out.m_scales[c * N + 1] = a1;
                out.m_residualNorms[c * (N + 1) + 1] = std::sqrt(e2);
                out.m_residualNorms[c * (N + 1) + 2] = norm(r[b], cols);
            }
            for (int i = pair ? 2 : 0; i < N; ++i) {
                const bool sign = i > 0 && extraBits == 1;
                const int levels = i == 0 ? L : extraL;
                for (std::int64_t b = 0; b < n; ++b) {
                    q[b] = out.m_codes.data() + ((c0 + b) * N + i) * cols;
                    StepResult step;
                    if (sign)
                        step = signStep(r[b], cols, q[b]);
                    else if (i == 0 && options.firstPoint == FirstPoint::Max)
                        step = maxScaledStep(r[b], cols, levels, q[b]);
                    else if (options.search == SearchMethod::Exact)
                        step = exactStep(r[b], cols, levels, q[b]);
                    else
                        step = gridStep(r[b], cols, levels, q[b], options.gridResolution);
                    scale[b] = step.scale;
                }
                if (options.compensation)
                    compensatedPoints(r, n, cols, sign ? 0 : levels, scale, *options.compensation,
                                      group, q, work);
                for (std::int64_t b = 0; b < n; ++b) {
                    // Store the scale as float (as exported) and update the residual with that
                    // very value, so the stored points reproduce the stored residual norms.
                    const std::int64_t c = c0 + b;
                    const float a = static_cast<float>(scale[b]);
                    out.m_scales[c * N + i] = a;
                    for (std::int64_t j = 0; j < cols; ++j)
                        r[b][j] -= static_cast<double>(a) * q[b][j];
                    out.m_residualNorms[c * (N + 1) + i + 1] = norm(r[b], cols);
                }
            }
            const std::int64_t done = rowsDone += n;
            if (control.progress) {
                std::lock_guard<std::mutex> lock(progressMutex);
                const double fraction = static_cast<double>(done) / rows;
                if (fraction - lastReported >= 0.01 || done == rows) {
                    lastReported = fraction;
                    control.progress(fraction);
                }
            }
        }
    });
    if (stop || control.cancelled())
        throw Error(ErrorCode::Cancelled, "decomposition cancelled");
    return out;
}

void MatrixDecomposition::reconstructRow(std::int64_t row, int n, float *out) const
{
    if (n == 1 && hasSolo()) {
        const float a = m_soloScales[row];
        const std::int8_t *q = soloCode(row);
        for (std::int64_t j = 0; j < m_cols; ++j)
            out[j] = a * q[j];
        return;
    }
    for (std::int64_t j = 0; j < m_cols; ++j)
        out[j] = 0.0f;
    for (int i = 0; i < n && i < m_points; ++i) {
        const float a = scale(row, i);
        const std::int8_t *q = code(row, i);
        for (std::int64_t j = 0; j < m_cols; ++j)
            out[j] += a * q[j];
    }
}

std::vector<float> MatrixDecomposition::reconstruct(int n) const
{
    return reconstruct(std::vector<int>(m_rows, n));
}

std::vector<float> MatrixDecomposition::reconstruct(const std::vector<int> &pointsPerRow) const
{
    checkPointsPerRow(pointsPerRow, m_rows, m_points);
    std::vector<float> out(m_rows * m_cols);
    for (std::int64_t c = 0; c < m_rows; ++c)
        reconstructRow(c, pointsPerRow[c], out.data() + c * m_cols);
    return out;
}

MatrixDecomposition MatrixDecomposition::forPoints(const std::vector<int> &pointsPerRow) const
{
    checkPointsPerRow(pointsPerRow, m_rows, m_points);
    MatrixDecomposition out = *this;
    if (!hasSolo())
        return out;
    out.m_soloScales.clear();
    out.m_soloCodes.clear();
    const std::int64_t N = m_points, d = m_cols;
    for (std::int64_t c = 0; c < m_rows; ++c) {
        if (pointsPerRow[c] != 1)
            continue;
        // the solo point first, nothing after it: the row's residuals are the solo point's
        std::fill(out.m_scales.begin() + c * N, out.m_scales.begin() + (c + 1) * N, 0.0f);
        out.m_scales[c * N] = m_soloScales[c];
        std::fill(out.m_codes.begin() + c * N * d, out.m_codes.begin() + (c + 1) * N * d, 0);
        std::copy(soloCode(c), soloCode(c) + d, out.m_codes.begin() + c * N * d);
        for (int n = 2; n <= m_points; ++n)
            out.m_residualNorms[c * (N + 1) + n] = m_residualNorms[c * (N + 1) + 1];
    }
    return out;
}

MatrixDecomposition MatrixDecomposition::mergeRows(const MatrixDecomposition &a,
                                                   const MatrixDecomposition &b,
                                                   const std::vector<std::uint8_t> &takeB)
{
    if (a.m_rows != b.m_rows || a.m_cols != b.m_cols || a.m_bits != b.m_bits ||
        a.m_extraBits != b.m_extraBits || a.m_points != b.m_points || a.hasSolo() != b.hasSolo() ||
        static_cast<std::int64_t>(takeB.size()) != a.m_rows)
        throw Error(ErrorCode::InvalidArgument, "mergeRows: decompositions of different shapes");
    MatrixDecomposition out = a;
    const std::int64_t N = a.m_points, d = a.m_cols;
    for (std::int64_t c = 0; c < a.m_rows; ++c) {
        if (!takeB[c])
            continue;
        std::copy(b.m_scales.begin() + c * N, b.m_scales.begin() + (c + 1) * N,
                  out.m_scales.begin() + c * N);
        std::copy(b.m_codes.begin() + c * N * d, b.m_codes.begin() + (c + 1) * N * d,
                  out.m_codes.begin() + c * N * d);
        std::copy(b.m_residualNorms.begin() + c * (N + 1),
                  b.m_residualNorms.begin() + (c + 1) * (N + 1),
                  out.m_residualNorms.begin() + c * (N + 1));
        if (a.hasSolo()) {
            out.m_soloScales[c] = b.m_soloScales[c];
            std::copy(b.soloCode(c), b.soloCode(c) + d, out.m_soloCodes.begin() + c * d);
        }
    }
    return out;
}

MatrixDecomposition MatrixDecomposition::fromArrays(int bits, int points, std::int64_t rows,
                                                    std::int64_t cols, std::vector<float> scales,
                                                    std::vector<std::int8_t> codes,
                                                    std::vector<double> residualNorms,
                                                    int extraBits, std::vector<float> soloScales,
                                                    std::vector<std::int8_t> soloCodes)
{
    const int L = gridLevels(bits);
    extraBits = extraPointBits(bits, extraBits);
    const int extraL = extraPointLevels(extraBits);
    if (points < 1 || rows < 1 || cols < 1 ||
        static_cast<std::int64_t>(scales.size()) != rows * points ||
        static_cast<std::int64_t>(codes.size()) != rows * points * cols ||
        static_cast<std::int64_t>(residualNorms.size()) != rows * (points + 1))
        throw Error(ErrorCode::InvalidArgument, "decomposition arrays do not match their shape");
    for (std::size_t k = 0; k < codes.size(); ++k) {
        const int top = (k / static_cast<std::size_t>(cols)) % points == 0 ? L : extraL;
        if (codes[k] < -top || codes[k] > top)
            throw Error(ErrorCode::InvalidArgument, "decomposition code outside the grid");
    }
    if (soloScales.empty() != soloCodes.empty() ||
        (!soloScales.empty() && (static_cast<std::int64_t>(soloScales.size()) != rows ||
                                 static_cast<std::int64_t>(soloCodes.size()) != rows * cols ||
                                 extraBits != 1 || points < 2)))
        throw Error(ErrorCode::InvalidArgument, "solo points do not match the decomposition");
    for (std::int8_t q : soloCodes)
        if (q < -L || q > L)
            throw Error(ErrorCode::InvalidArgument, "solo point code outside the grid");
    for (float a : scales)
        if (!std::isfinite(a))
            throw Error(ErrorCode::NonFinite, "decomposition scale is not finite");
    for (float a : soloScales)
        if (!std::isfinite(a))
            throw Error(ErrorCode::NonFinite, "solo point scale is not finite");
    MatrixDecomposition out;
    out.m_bits = bits;
    out.m_extraBits = extraBits;
    out.m_points = points;
    out.m_rows = rows;
    out.m_cols = cols;
    out.m_scales = std::move(scales);
    out.m_codes = std::move(codes);
    out.m_residualNorms = std::move(residualNorms);
    out.m_soloScales = std::move(soloScales);
    out.m_soloCodes = std::move(soloCodes);
    return out;
}

std::vector<PointSummary> summarize(const MatrixDecomposition &d)
{
    std::vector<PointSummary> out;
    for (int n = 1; n <= d.points(); ++n) {
        PointSummary s;
        s.points = n;
        double total = 0.0;
        double residual = 0.0;
        std::int64_t counted = 0;
        for (std::int64_t c = 0; c < d.rows(); ++c) {
            const double w = d.residualNorm(c, 0);
            const double r = d.residualNorm(c, n);
            total += w * w;
            residual += r * r;
            if (w > 0.0) {
                s.meanRelativeResidual += r / w;
                s.maxRelativeResidual = std::max(s.maxRelativeResidual, r / w);
                ++counted;
            }
        }
        if (counted > 0)
            s.meanRelativeResidual /= counted;
        s.relativeError = total > 0.0 ? residual / total : 0.0;
        s.effectiveBits = (static_cast<double>(d.bits()) * d.cols() +
                           static_cast<double>(d.extraBits()) * (n - 1) * d.cols() + 32.0 * n) /
                          d.cols();
        out.push_back(s);
    }
    return out;
}

} // namespace mpq
