#include "mpqwidgets/palette.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace mpq::ui {

namespace {

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

// Ramp through evenly spaced stops, t clamped to [0, 1].
template <std::size_t N> QColor ramp(const std::array<QRgb, N> &stops, double t)
{
    t = std::clamp(t, 0.0, 1.0) * double(N - 1);
    const std::size_t i = std::min<std::size_t>(std::size_t(t), N - 2);
    return mix(QColor(stops[i]), QColor(stops[i + 1]), t - double(i));
}

// Okabe-Ito without yellow (too faint on light backgrounds); quantized and float first.
constexpr std::array<QRgb, 6> kSeries = {0xD55E00, 0x0072B2, 0x009E73,
                                         0xCC79A7, 0xE69F00, 0x56B4E9};
// ColorBrewer Oranges, from its third class on (the lighter ones vanish on white).
constexpr std::array<QRgb, 7> kOranges = {0xFDD0A2, 0xFDAE6B, 0xFD8D3C, 0xF16913,
                                          0xD94801, 0xA63603, 0x7F2704};
// Viridis at 0, 0.125, ..., 1.
constexpr std::array<QRgb, 9> kViridis = {0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21918C,
                                          0x28AE80, 0x5EC962, 0xADDC30, 0xFDE725};

} // namespace

QColor floatColor()
{
    return QColor(0x00, 0x72, 0xB2);
}

QColor quantizedColor()
{
    return QColor(0xD5, 0x5E, 0x00);
}

QColor seriesColor(int i)
{
    return QColor(kSeries[std::size_t(std::max(i, 0)) % kSeries.size()]);
}

int seriesColorCount()
{
    return int(kSeries.size());
}

QColor pointsColor(int points, int maxPoints)
{
    if (maxPoints <= 1)
        return QColor(kOranges.front());
    // Square root: most channels get 1 to 3 points, so the low counts get the wider steps.
    return ramp(kOranges, std::sqrt(double(points - 1) / double(maxPoints - 1)));
}

QColor sequentialColor(double t)
{
    return ramp(kViridis, t);
}

} // namespace mpq::ui
