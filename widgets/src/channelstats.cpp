#include "mpqwidgets/channelstats.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace mpq::ui {

Histogram histogram(const float *values, std::int64_t d, int bins)
{
    Histogram h;
    if (d <= 0)
        return h;
    if (bins <= 0)
        bins = std::clamp(int(std::lround(2.0 * std::sqrt(double(d)))), 8, 80);
    const auto [mn, mx] = std::minmax_element(values, values + d);
    h.min = *mn;
    h.max = *mx;
    h.binWidth = h.max > h.min ? (h.max - h.min) / bins : 1.0;
    h.centres.resize(bins);
    h.counts.fill(0.0, bins);
    for (int b = 0; b < bins; ++b)
        h.centres[b] = h.min + (b + 0.5) * h.binWidth;
    for (std::int64_t i = 0; i < d; ++i)
        h.counts[std::clamp(int((values[i] - h.min) / h.binWidth), 0, bins - 1)] += 1.0;
    return h;
}

double firstPointScale(const mpq::MatrixDecomposition &decomposition, std::int64_t row, int points)
{
    if (decomposition.points() < 1 || row < 0 || row >= decomposition.rows())
        return 0.0;
    if (decomposition.hasSolo())
        return points <= 1 ? decomposition.soloScale(row) : decomposition.scale(row, 1);
    return decomposition.scale(row, 0);
}

QVector<double> firstPointLevels(const mpq::MatrixDecomposition &decomposition, std::int64_t row,
                                 int points)
{
    QVector<double> levels;
    const bool solo = decomposition.hasSolo() && points <= 1;
    const bool pair = decomposition.hasSolo() && points >= 2;
    const double a1 = firstPointScale(decomposition, row, points);
    if (a1 == 0.0)
        return levels;
    const int top = (1 << (decomposition.bits() - 1)) - 1;
    std::set<int> codes;
    if (top <= 15) {
        // the pair's grid: m = 2k + j, k in -L..L, j in {0, 1}
        for (int q = pair ? -2 * top : -top; q <= (pair ? 2 * top + 1 : top); ++q)
            codes.insert(q);
    } else if (pair) {
        const std::int8_t *k = decomposition.code(row, 0), *j = decomposition.code(row, 1);
        for (std::int64_t c = 0; c < decomposition.cols(); ++c)
            codes.insert(2 * k[c] + j[c]);
    } else {
        const std::int8_t *code = solo ? decomposition.soloCode(row) : decomposition.code(row, 0);
        codes.insert(code, code + decomposition.cols());
    }
    for (int q : codes)
        levels << a1 * q;
    if (a1 < 0.0)
        std::reverse(levels.begin(), levels.end());
    return levels;
}

} // namespace mpq::ui
