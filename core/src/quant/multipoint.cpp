#include "mpq/multipoint.h"

#include "mpq/error.h"
#include "mpq/grid.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <string>

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

// Output-aware rounding of one point (docs/multipoint.md section 10): the codes q of residual
// r at the step's scale a, rounded in the group's column order with each column's rounding
// error fed back into the later columns through the factor U of the inverse Gram (the optimal
// brain surgeon update of Frantar et al. 2022), then the scale refitted to the minimum of
// (r - a q)^T H (r - a q) for those codes (with q negated when that optimum is negative).
// Returns the refitted scale (a when every code is 0). levels 0: a sign point (section 11),
// each code the sign of its fed-back value. `work` is scratch of cols doubles.
double compensatedPoint(const double *r, std::int64_t cols, int levels, double a,
                        const RowCompensation &comp, std::int64_t group, std::int8_t *q,
                        std::vector<double> &work)
{
    if (a <= 0.0)
        return a;
    const std::int64_t *order = comp.order.data() + group * cols;
    const double *U = comp.factor.data() + group * cols * cols;
    for (std::int64_t j = 0; j < cols; ++j)
        work[j] = r[order[j]];
    for (std::int64_t j = 0; j < cols; ++j) {
        const double v = work[j];
        const double level =
            levels == 0 ? (v >= 0.0 ? 1.0 : -1.0)
                        : std::clamp(std::nearbyint(v / a), double(-levels), double(levels));
        q[order[j]] = static_cast<std::int8_t>(level);
        const double *u = U + j * cols;
        const double e = (v - a * level) / u[j];
        for (std::int64_t k = j + 1; k < cols; ++k)
            work[k] -= e * u[k];
    }
    // a = q^T H r / q^T H q
    const double *H = comp.gram.data() + group * cols * cols;
    double qhr = 0.0, qhq = 0.0;
    for (std::int64_t j = 0; j < cols; ++j) {
        if (q[j] == 0)
            continue;
        const double *h = H + j * cols;
        double hr = 0.0, hq = 0.0;
        for (std::int64_t k = 0; k < cols; ++k) {
            hr += h[k] * r[k];
            hq += h[k] * q[k];
        }
        qhr += q[j] * hr;
        qhq += q[j] * hq;
    }
    if (!(qhq > 0.0))
        return a; // no code is set
    if (qhr < 0.0) {
        // the output prefers the opposite codes: -q at scale -qhr / qhq (a scale stays >= 0,
        // and the symmetric grid holds -q)
        for (std::int64_t j = 0; j < cols; ++j)
            q[j] = static_cast<std::int8_t>(-q[j]);
        qhr = -qhr;
    }
    return qhr / qhq;
}

double norm(const std::vector<double> &r)
{
    double s = 0.0;
    for (double v : r)
        s += v * v;
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

    std::atomic<bool> stop{false};
    std::atomic<std::int64_t> rowsDone{0};
    std::mutex progressMutex;
    double lastReported = -1.0;

    // Each row is computed by exactly one thread with the same sequence of operations, so
    // the result is bit-identical for any thread count and any chunking.
    const std::int64_t grain = std::max<std::int64_t>(1, 65536 / cols);
    at::parallel_for(0, rows, grain, [&](std::int64_t begin, std::int64_t end) {
        std::vector<double> r(cols), work(cols);
        for (std::int64_t c = begin; c < end; ++c) {
            if (stop.load(std::memory_order_relaxed) || control.cancelled()) {
                stop = true;
                return;
            }
            const float *wc = w + c * cols;
            for (std::int64_t j = 0; j < cols; ++j)
                r[j] = wc[j];
            double *norms = out.m_residualNorms.data() + c * (N + 1);
            norms[0] = norm(r);
            for (int i = 0; i < N; ++i) {
                std::int8_t *q = out.m_codes.data() + (c * N + i) * cols;
                StepResult step;
                const bool sign = i > 0 && extraBits == 1;
                const int levels = i == 0 ? L : extraL;
                if (sign)
                    step = signStep(r.data(), cols, q);
                else if (i == 0 && options.firstPoint == FirstPoint::Max)
                    step = maxScaledStep(r.data(), cols, levels, q);
                else if (options.search == SearchMethod::Exact)
                    step = exactStep(r.data(), cols, levels, q);
                else
                    step = gridStep(r.data(), cols, levels, q, options.gridResolution);
                if (options.compensation)
                    step.scale = compensatedPoint(
                        r.data(), cols, sign ? 0 : levels, step.scale, *options.compensation,
                        c / (rows / options.compensation->groups), q, work);
                // Store the scale as float (as exported) and update the residual with that very
                // value, so the stored points reproduce the stored residual norms.
                const float scale = static_cast<float>(step.scale);
                out.m_scales[c * N + i] = scale;
                for (std::int64_t j = 0; j < cols; ++j)
                    r[j] -= static_cast<double>(scale) * q[j];
                norms[i + 1] = norm(r);
            }
            const std::int64_t done = ++rowsDone;
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
    if (static_cast<std::int64_t>(pointsPerRow.size()) != m_rows)
        throw Error(ErrorCode::InvalidArgument, "points per row: expected " +
                                                    std::to_string(m_rows) + " entries, got " +
                                                    std::to_string(pointsPerRow.size()));
    std::vector<float> out(m_rows * m_cols);
    for (std::int64_t c = 0; c < m_rows; ++c) {
        if (pointsPerRow[c] < 0 || pointsPerRow[c] > m_points)
            throw Error(ErrorCode::InvalidArgument, "row " + std::to_string(c) + " asks for " +
                                                        std::to_string(pointsPerRow[c]) +
                                                        " points; the decomposition has " +
                                                        std::to_string(m_points));
        reconstructRow(c, pointsPerRow[c], out.data() + c * m_cols);
    }
    return out;
}

MatrixDecomposition MatrixDecomposition::mergeRows(const MatrixDecomposition &a,
                                                   const MatrixDecomposition &b,
                                                   const std::vector<std::uint8_t> &takeB)
{
    if (a.m_rows != b.m_rows || a.m_cols != b.m_cols || a.m_bits != b.m_bits ||
        a.m_extraBits != b.m_extraBits || a.m_points != b.m_points ||
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
    }
    return out;
}

MatrixDecomposition MatrixDecomposition::fromArrays(int bits, int points, std::int64_t rows,
                                                    std::int64_t cols, std::vector<float> scales,
                                                    std::vector<std::int8_t> codes,
                                                    std::vector<double> residualNorms,
                                                    int extraBits)
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
    for (float a : scales)
        if (!std::isfinite(a))
            throw Error(ErrorCode::NonFinite, "decomposition scale is not finite");
    MatrixDecomposition out;
    out.m_bits = bits;
    out.m_extraBits = extraBits;
    out.m_points = points;
    out.m_rows = rows;
    out.m_cols = cols;
    out.m_scales = std::move(scales);
    out.m_codes = std::move(codes);
    out.m_residualNorms = std::move(residualNorms);
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
