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

/// The first point's grid of row `row`, a_1 * q, ascending: every q in -L..L for L <= 15
/// (up to 5 bits), else only the codes the row uses (a 255-line comb says nothing). Empty when
/// a_1 = 0 (a zero row) or the decomposition has no points.
QVector<double> firstPointLevels(const mpq::MatrixDecomposition &decomposition, std::int64_t row);

} // namespace mpq::ui
