#pragma once

#include "mpq/allocation.h"
#include "mpq/multipoint.h"

#include <QVector>

#include <cstdint>

namespace mpq::ui {

/// Per-channel figures the Channels and Sensitivity pages draw. Pure functions, any thread.

/// The s_c a channel's relative error is measured against, as mpq::allocate does: computed in
/// core (mpq::guardedSignal, mpq::channelRelativeError), never again here.
using mpq::channelRelativeError;
using mpq::guardedSignal;

/// An equal-width histogram of d values: `bins` bins, or 2 sqrt(d) clamped to 8..80 when 0.
/// Every value lands in exactly one bin (the maximum in the last).
struct Histogram
{
    QVector<double> centres;
    QVector<double> counts;
    double binWidth = 0.0;
    double min = 0.0;
    double max = 0.0;
};
Histogram histogram(const float *values, std::int64_t d, int bins = 0);

/// The first point's grid of row `row` given `points` points, a_1 * q, ascending: every q in
/// -L..L for L <= 15 (up to 5 bits), else only the codes the row uses (a 255-line comb says
/// nothing). With a half-step pair (docs/multipoint.md section 12) the grid of what the row
/// stores: its solo point's for one point, else the pair's, s * m for m in -2L..2L+1 (s the
/// second point's scale). Empty when the scale is 0 (a zero row) or there are no points.
QVector<double> firstPointLevels(const mpq::MatrixDecomposition &decomposition, std::int64_t row,
                                 int points = 1);
/// The scale of that grid: the solo point's a_1 for one point with a half-step pair, the pair's
/// s for two or more, else the first point's a_1; 0 for a row out of range or no points.
double firstPointScale(const mpq::MatrixDecomposition &decomposition, std::int64_t row,
                       int points = 1);

} // namespace mpq::ui
