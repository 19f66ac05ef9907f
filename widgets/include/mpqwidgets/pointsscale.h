#pragma once

#include <QColor>

namespace mpq::ui {

/// The colour of "n points per channel" on the Allocation bars and the Channels strip: discrete
/// steps of viridis, from light yellow for one point to dark purple for maxPoints, so that
/// neighbouring counts differ in hue and in lightness (the single-hue ramp of palette.h made 4, 5
/// and 6 points look alike) and stay apart for colour-blind readers. Spaced evenly over the
/// scale; 1 <= points <= maxPoints (clamped).
QColor pointsStepColor(int points, int maxPoints);
/// A text colour readable on pointsStepColor(points, maxPoints).
QColor pointsStepTextColor(int points, int maxPoints);

} // namespace mpq::ui
