#pragma once
// Shared by the plot suites (tst_plots, tst_sensitivityplot): relative comparison, a layer's
// summed relative error, an allocation of an analysis, and a synthetic mouse event.
#include "mpq/allocation.h"
#include "mpq/analysis.h"

#include <QCoreApplication>
#include <QMouseEvent>
#include <QWidget>

#include <cmath>

namespace plottest {

inline constexpr double kRelTolerance = 1e-12;

inline bool close(double a, double b)
{
    return std::abs(a - b) <= kRelTolerance * std::abs(b);
}

inline double layerError(const mpq::LayerCurves &c, int n)
{
    double e = 0.0, s = 0.0;
    for (std::int64_t ch = 0; ch < c.channels; ++ch) {
        e += c.errorAt(ch, n);
        s += c.signal[std::size_t(ch)];
    }
    return e / s;
}

inline mpq::Allocation allocateAt(const mpq::Analysis &analysis, const mpq::AllocationSettings &s)
{
    return mpq::allocate(analysis.curves, s);
}

inline void sendMouse(QWidget *w, QEvent::Type type, QPointF pos, Qt::MouseButton button)
{
    QMouseEvent event(type, pos, w->mapToGlobal(pos), button,
                      type == QEvent::MouseButtonRelease ? Qt::NoButton : Qt::MouseButtons(button),
                      Qt::NoModifier);
    QCoreApplication::sendEvent(w, &event);
}

} // namespace plottest
