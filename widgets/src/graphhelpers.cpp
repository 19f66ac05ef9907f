// The Graph page's text and colour helpers, and the figures a node shows (docs/ui.md).
#include "graphitems.h"

#include "mpqwidgets/numberformat.h"

#include <cmath>
#include <limits>

namespace mpq::ui {

namespace graph {

QFont labelFont(const QFont &base)
{
    QFont f(base);
    f.setPixelSize(11);
    f.setBold(true);
    return f;
}

QFont detailFont(const QFont &base)
{
    QFont f(base);
    f.setPixelSize(10);
    return f;
}

bool isLogQuantity(GraphQuantity q)
{
    return q == GraphQuantity::RelativeError || q == GraphQuantity::OnePointError;
}

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

QColor textOn(const QColor &fill)
{
    const double luminance = 0.2126 * fill.redF() + 0.7152 * fill.greenF() + 0.0722 * fill.blueF();
    return luminance < 0.5 ? QColor(Qt::white) : QColor(Qt::black);
}

QString quantityTitle(GraphQuantity q)
{
    switch (q) {
    case GraphQuantity::Points:
        return QObject::tr("Points per channel");
    case GraphQuantity::RelativeError:
        return QObject::tr("Relative output error");
    case GraphQuantity::Sqnr:
        return QObject::tr("SQNR (dB)");
    case GraphQuantity::MemoryOverhead:
        return QObject::tr("Memory overhead");
    case GraphQuantity::OnePointError:
        return QObject::tr("One-point error");
    }
    return {};
}

QString formatValue(GraphQuantity q, double v)
{
    switch (q) {
    case GraphQuantity::Points:
        return QString::number(v, 'f', 2);
    case GraphQuantity::RelativeError:
    case GraphQuantity::OnePointError:
        return formatRelativeError(v);
    case GraphQuantity::Sqnr:
        return std::isinf(v) ? QObject::tr("inf dB")
                             : QString::number(v, 'f', 1) + QObject::tr(" dB");
    case GraphQuantity::MemoryOverhead:
        return formatPercent(v);
    }
    return {};
}

QString elided(const QString &text, const QFont &font, double width)
{
    return QFontMetricsF(font).elidedText(text, Qt::ElideMiddle, width);
}

} // namespace graph

double GraphFigures::sqnrDb() const
{
    return relativeError > 0.0 ? -10.0 * std::log10(relativeError)
                               : std::numeric_limits<double>::infinity();
}

double GraphFigures::memoryOverhead() const
{
    return weights > 0 && bits > 0 ? double(costBits) / (double(bits) * double(weights)) : 0.0;
}

double GraphFigures::macOverhead() const
{
    return macs > 0 ? double(extraMacs) / double(macs) : 0.0;
}

double GraphFigures::value(GraphQuantity q) const
{
    switch (q) {
    case GraphQuantity::Points:
        return meanPoints;
    case GraphQuantity::RelativeError:
        return relativeError;
    case GraphQuantity::Sqnr:
        return sqnrDb();
    case GraphQuantity::MemoryOverhead:
        return memoryOverhead();
    case GraphQuantity::OnePointError:
        return onePointError;
    }
    return 0.0;
}

} // namespace mpq::ui
