#pragma once

#include <QColor>

namespace mpq::ui {

/// The colours every page shares (docs/ui.md, visual language). Chosen from the Okabe-Ito set,
/// which stays distinguishable under the common colour-vision deficiencies. Colour is never the
/// only cue: callers also label series and vary line style or marker.

/// Weights or outputs kept in float (blue #0072B2). Solid lines/boxes where it is drawn.
QColor floatColor();
/// Quantized weights or outputs (vermillion #D55E00). Dashed lines/boxes where it is drawn.
QColor quantizedColor();
/// The i-th colour of a categorical series (one per layer in a plot), i >= 0, cycling after
/// seriesColorCount() colours; callers add a line style or marker per cycle.
QColor seriesColor(int i);
int seriesColorCount();
/// An ordinal ramp for "n points" (1 <= points <= maxPoints): light orange for one point to dark
/// brown for maxPoints, ColorBrewer "Oranges" (sequential, colour-blind safe), so it reads as
/// "more of the quantized colour". Spaced by the square root of (n - 1) / (maxPoints - 1), which
/// separates the common small counts more.
QColor pointsColor(int points, int maxPoints);
/// A sequential colour for t in [0, 1] (viridis): perceptually uniform and colour-blind safe;
/// used for error colour maps.
QColor sequentialColor(double t);

} // namespace mpq::ui
