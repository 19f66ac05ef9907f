#include "mpqwidgets/numberformat.h"

#include <QCoreApplication>
#include <QLocale>

#include <cmath>

namespace mpq::ui {

QString formatPercent(double fraction)
{
    return QCoreApplication::translate("NumberFormat", "%1 %")
        .arg(QLocale().toString(fraction * 100.0, 'f', 1));
}

QString formatBits(double bits)
{
    return QCoreApplication::translate("NumberFormat", "%1 b")
        .arg(QLocale().toString(bits, 'f', 2));
}

QString formatRelativeError(double relativeError)
{
    return QLocale().toString(relativeError, 'e', 2);
}

QString formatSqnr(double relativeError)
{
    if (relativeError <= 0.0)
        return QCoreApplication::translate("NumberFormat", "inf dB");
    return QCoreApplication::translate("NumberFormat", "%1 dB")
        .arg(QLocale().toString(-10.0 * std::log10(relativeError), 'f', 1));
}

} // namespace mpq::ui
