#include "mpqwidgets/pointsscale.h"

#include "mpqwidgets/palette.h"

#include <algorithm>

namespace mpq::ui {

QColor pointsStepColor(int points, int maxPoints)
{
    if (maxPoints <= 1)
        return sequentialColor(1.0);
    const int n = std::clamp(points, 1, maxPoints);
    // one point (the common case) light, the most points dark; 0.95 keeps the last step off
    // the darkest end, where it would merge with the axis colour
    return sequentialColor(1.0 - 0.95 * double(n - 1) / double(maxPoints - 1));
}

QColor pointsStepTextColor(int points, int maxPoints)
{
    return pointsStepColor(points, maxPoints).lightnessF() > 0.5 ? QColor(Qt::black)
                                                                 : QColor(Qt::white);
}

} // namespace mpq::ui
