#pragma once

#include "mpq/jobcontrol.h"

#include <cstdint>
#include <vector>

namespace mpq {

/// How each greedy step picks its scale (docs/multipoint.md section 2).
enum class SearchMethod {
    Exact, ///< the optimum over all (a, q): sweep of the breakpoints of q(a) (section 2.1)
    Grid,  ///< the paper's reference: a on a grid of 2 * gridResolution steps in (0, 2||r||_inf]
};

/// How the first point is chosen; later points always use the search method.
enum class FirstPoint {
    L2,  ///< the step of the search method (L2-optimal for Exact)
    Max, ///< plain max-scaled rounding, a = ||w||_inf / L
};

/// The second moments of a layer's inputs, for output-aware rounding (docs/multipoint.md
/// section 10): rows are split into `groups` equal blocks (a grouped convolution's groups), each
/// with its own cols x cols matrix H_g = sum over the calibration's input patches x of x x^T, so
/// that ||X_g (w - w^)||^2 = (w - w^)^T H_g (w - w^) is the row's output error. Built by the
/// analysis (calib/gram.cpp, makeRowCompensation); immutable once made.
struct RowCompensation
{
    std::int64_t groups = 1;
    std::int64_t cols = 0;
    /// per group, cols entries: the order columns are rounded in (descending diagonal of H_g)
    std::vector<std::int64_t> order;
    /// per group, cols x cols row-major: the upper Cholesky factor U of (H_g + lambda I)^-1, in
    /// `order` (U[j][k] for j <= k)
    std::vector<double> factor;
    /// per group, cols x cols row-major: H_g + lambda I in the columns' own order
    std::vector<double> gram;
};

struct DecomposeOptions
{
    int bits = 4;      ///< 2..8
    int maxPoints = 8; ///< N >= 1
    /// The bits of points 2..N (docs/multipoint.md section 11): 0 the same as `bits` (the
    /// paper), 1 sign points (codes -1 and +1 at the L2-optimal scale mean |r|), else that
    /// many bits (at most `bits`; see extraPointBits).
    int extraBits = 0;
    SearchMethod search = SearchMethod::Exact;
    FirstPoint firstPoint = FirstPoint::L2;
    int gridResolution = 1024; ///< grid step gamma = ||r||_inf / gridResolution (Grid only)
    /// Output-aware rounding (docs/multipoint.md section 10): when set, each point's codes are
    /// rounded column by column with the error fed back into the columns not yet rounded
    /// (weighted by the input Gram), and its scale refitted to the lowest output error for those
    /// codes. Null: every code is the nearest level (the paper's rounding).
    const RowCompensation *compensation = nullptr;
    /// The half-step pair (docs/multipoint.md section 12; needs extraBits 1 and applies from
    /// maxPoints 2): a channel's first two points are rounded together as one grid of step t,
    /// a b-bit point at scale 2t and a one-bit point of codes {0, 1} at scale t (the (b+1)-bit
    /// grid less one level), and later points are greedy on what remains. Its one-point version
    /// is kept apart as the best single point (the solo point), so the decomposition is not
    /// nested: one point is the solo point, n >= 2 points are the chain's first n.
    bool halfStepPair = false;
};

/// One greedy step on a residual r of length d: writes q (length d, entries in -L..L) and
/// returns the scale a and the squared L2 error ||r - a q||^2. A zero residual gives a = 0,
/// q = 0. r must be finite (not checked here: the decomposition validates its input once).
/// Thread-safe; each thread keeps its own scratch buffers.
struct StepResult
{
    double scale = 0.0;
    double error2 = 0.0;
};
StepResult exactStep(const double *r, std::int64_t d, int levels, std::int8_t *q);
/// The plain reference of exactStep: scores every one of the d*L breakpoints in order (one
/// sort, an L-way merge). Same result as exactStep up to rounding; kept to check the fast path.
StepResult exactStepReference(const double *r, std::int64_t d, int levels, std::int8_t *q);
StepResult gridStep(const double *r, std::int64_t d, int levels, std::int8_t *q,
                    int gridResolution = 1024);
StepResult maxScaledStep(const double *r, std::int64_t d, int levels, std::int8_t *q);
/// The L2-optimal sign point: q_j = +1 where r_j >= 0, else -1, and a = mean |r_j| (for these
/// codes the optimum, and these codes are optimal for every a > 0).
StepResult signStep(const double *r, std::int64_t d, std::int8_t *q);

/// The multipoint decomposition of a weight matrix, rows = output channels:
/// row c ~ sum_{i<n} scale(c, i) * code(c, i). Immutable once made; safe to share.
class MatrixDecomposition
{
public:
    MatrixDecomposition() = default;

    int bits() const { return m_bits; }
    /// The bits of points 2..points() (1: sign points); bits() unless made with fewer.
    int extraBits() const { return m_extraBits; }
    int points() const { return m_points; }
    /// True for a half-step pair decomposition (DecomposeOptions::halfStepPair): a row given
    /// one point uses its solo point, a row given n >= 2 points the chain's first n
    /// (scale()/code()); see forPoints().
    bool hasSolo() const { return !m_soloScales.empty(); }
    /// The solo point of row c (hasSolo() only): its scale and its cols() codes in -L..L.
    float soloScale(std::int64_t row) const { return m_soloScales[row]; }
    const std::int8_t *soloCode(std::int64_t row) const
    {
        return m_soloCodes.data() + row * m_cols;
    }
    std::int64_t rows() const { return m_rows; }
    std::int64_t cols() const { return m_cols; }

    /// a_i of row c, point i (0-based). Stored as float, as exported.
    float scale(std::int64_t row, int point) const { return m_scales[row * m_points + point]; }
    /// q_i of row c: cols() values in -L..L (the first point's L; later points' at extraBits()).
    const std::int8_t *code(std::int64_t row, int point) const
    {
        return m_codes.data() + (row * m_points + point) * m_cols;
    }
    /// ||w_c - sum_{i<n} a_i q_i||_2 for n = 0..points(); n = 0 gives ||w_c||; with hasSolo(),
    /// n = 1 gives the solo point's.
    double residualNorm(std::int64_t row, int n) const
    {
        return m_residualNorms[row * (m_points + 1) + n];
    }

    /// Row c approximated with its first n points (1 <= n <= points()), written to out[cols];
    /// with hasSolo() and n = 1, its solo point.
    void reconstructRow(std::int64_t row, int n, float *out) const;
    /// All rows with n points each, row-major rows() x cols().
    std::vector<float> reconstruct(int n) const;
    /// Row c with pointsPerRow[c] points (0 keeps nothing: a zero row).
    std::vector<float> reconstruct(const std::vector<int> &pointsPerRow) const;

    /// The nested decomposition a layer stores when row c is given pointsPerRow[c] points: rows
    /// given one point carry their solo point (their later points zero), the others the chain.
    /// Without hasSolo(), a copy. What every export writes (they read scale() and code()).
    /// Throws Error(InvalidArgument) when the list does not fit, like reconstruct().
    MatrixDecomposition forPoints(const std::vector<int> &pointsPerRow) const;

    /// Row c taken from b where takeB[c] != 0, else from a. Throws Error(InvalidArgument)
    /// unless a and b have the same shape, bits, extra bits, points and solo points.
    static MatrixDecomposition mergeRows(const MatrixDecomposition &a, const MatrixDecomposition &b,
                                         const std::vector<std::uint8_t> &takeB);
    /// Rebuilds a decomposition from its stored arrays (a saved analysis); validates sizes and
    /// code ranges, Error(InvalidArgument) otherwise. extraBits: as DecomposeOptions (0: bits).
    /// soloScales (rows) and soloCodes (rows x cols): a half-step pair's solo points, or empty.
    static MatrixDecomposition fromArrays(int bits, int points, std::int64_t rows,
                                          std::int64_t cols, std::vector<float> scales,
                                          std::vector<std::int8_t> codes,
                                          std::vector<double> residualNorms, int extraBits = 0,
                                          std::vector<float> soloScales = {},
                                          std::vector<std::int8_t> soloCodes = {});
    const std::vector<float> &scales() const { return m_scales; }
    const std::vector<std::int8_t> &codes() const { return m_codes; }
    const std::vector<double> &residualNorms() const { return m_residualNorms; }
    const std::vector<float> &soloScales() const { return m_soloScales; }
    const std::vector<std::int8_t> &soloCodes() const { return m_soloCodes; }

private:
    friend MatrixDecomposition decompose(const float *, std::int64_t, std::int64_t,
                                         const DecomposeOptions &, const JobControl &);
    int m_bits = 0;
    int m_extraBits = 0;
    int m_points = 0;
    std::int64_t m_rows = 0;
    std::int64_t m_cols = 0;
    std::vector<float> m_scales;
    std::vector<std::int8_t> m_codes;
    std::vector<double> m_residualNorms;
    std::vector<float> m_soloScales;      ///< rows, or empty (no half-step pair)
    std::vector<std::int8_t> m_soloCodes; ///< rows x cols, or empty
};

/// Decomposes the row-major rows x cols matrix w into up to options.maxPoints points per row,
/// rows in parallel (see setThreadCount); the result does not depend on the thread count.
/// Throws Error: InvalidArgument (bits, points, resolution), EmptyInput (rows or cols 0),
/// NonFinite (NaN/Inf in w; the message names the first bad row and column), Cancelled.
MatrixDecomposition decompose(const float *w, std::int64_t rows, std::int64_t cols,
                              const DecomposeOptions &options, const JobControl &control = {});

/// Figures for "n points in every row", n = 1..points(): what the engine benchmark and the
/// CLI print, and what the weight-error views show.
struct PointSummary
{
    int points = 0;
    double meanRelativeResidual = 0.0; ///< mean over rows of ||r_n|| / ||w_c|| (zero rows skipped)
    double maxRelativeResidual = 0.0;
    double relativeError = 0.0; ///< sum_c ||r_n||^2 / sum_c ||w_c||^2 over the whole matrix
    /// (b * cols + e * (n - 1) * cols + 32 * n) / cols, e = extraBits(): one fp32 scale per point
    double effectiveBits = 0.0;
};
std::vector<PointSummary> summarize(const MatrixDecomposition &decomposition);

} // namespace mpq
