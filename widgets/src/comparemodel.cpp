#include "mpqwidgets/comparemodel.h"

#include "mpqwidgets/numberformat.h"
#include "mpqwidgets/palette.h"

#include <QCoreApplication>
#include <QLocale>

#include <iterator>

namespace mpq::ui {

namespace {

struct Style
{
    const char *method;
    const char *title;
    int shape; // QCPScatterStyle::ScatterShape
    QRgb color;
};

// QCPScatterStyle: ssCross 2, ssPlus 3, ssCircle 4, ssDisc 5, ssSquare 6, ssDiamond 7,
// ssStar 8, ssTriangle 9, ssTriangleInverted 10, ssCrossSquare 11, ssPlusSquare 12,
// ssCrossCircle 13. Colours: Okabe-Ito (multipoint the quantized vermilion; the float blue
// left to the reference line), then a purple, a brown and a grey, one per method (issue 14:
// multipoint and mixed precision were both orange).
constexpr Style kStyles[] = {
    {"multipoint", QT_TRANSLATE_NOOP("mpq::ui", "Multipoint"), 5, 0xD55E00},
    {"rtn", QT_TRANSLATE_NOOP("mpq::ui", "RTN per channel"), 6, 0x009E73},
    {"rtn-tensor", QT_TRANSLATE_NOOP("mpq::ui", "RTN per tensor"), 2, 0x8C8C8C},
    {"mse", QT_TRANSLATE_NOOP("mpq::ui", "MSE per channel"), 7, 0xCC79A7},
    {"ocs", QT_TRANSLATE_NOOP("mpq::ui", "OCS"), 9, 0xE69F00},
    {"mixed", QT_TRANSLATE_NOOP("mpq::ui", "Mixed precision"), 10, 0x56B4E9},
    {"rtn-next", QT_TRANSLATE_NOOP("mpq::ui", "RTN per channel, b+1 bits"), 12, 0x7B3294},
    {"mse-next", QT_TRANSLATE_NOOP("mpq::ui", "MSE per channel, b+1 bits"), 13, 0x8C510A},
};

int styleIndex(const QString &method)
{
    for (int i = 0; i < int(std::size(kStyles)); ++i)
        if (method == QLatin1String(kStyles[i].method))
            return i;
    return -1;
}

} // namespace

QString methodTitle(const QString &method)
{
    const int i = styleIndex(method);
    return i < 0 ? method : QCoreApplication::translate("mpq::ui", kStyles[i].title);
}

QColor methodColor(const QString &method)
{
    const int i = styleIndex(method);
    if (i == 0)
        return quantizedColor();
    return i < 0 ? seriesColor(0) : QColor(kStyles[i].color);
}

int methodShape(const QString &method)
{
    const int i = styleIndex(method);
    return i < 0 ? 4 : kStyles[i].shape;
}

CompareModel::CompareModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void CompareModel::setFigures(std::vector<MethodFigures> figures, const QString &metricName)
{
    beginResetModel();
    m_figures = std::move(figures);
    m_metricName = metricName;
    endResetModel();
}

int CompareModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_figures.size());
}

int CompareModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CompareModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    return figureData(m_figures[index.row()], index.column(), role);
}

QVariant CompareModel::figureData(const MethodFigures &f, int column, int role)
{
    const double change = (f.metric - f.reference) * 100.0;
    if (role == RawValueRole) {
        switch (column) {
        case Method:
            return f.method;
        case EffectiveBits:
            return f.effectiveBits;
        case MemoryOverhead:
            return f.memoryOverhead;
        case MacOverhead:
            return f.macOverhead;
        case Metric:
            return f.metric;
        case Change:
            return change;
        case Detail:
            return f.detail;
        }
    }
    if (role == Qt::DisplayRole) {
        switch (column) {
        case Method:
            return methodTitle(f.method);
        case EffectiveBits:
            return formatBits(f.effectiveBits);
        case MemoryOverhead:
            return formatPercent(f.memoryOverhead);
        case MacOverhead:
            return formatPercent(f.macOverhead);
        case Metric:
            return QLocale().toString(f.metric * 100.0, 'f', 2) + QStringLiteral(" %");
        case Change:
            return QStringLiteral("%1%2")
                .arg(change >= 0 ? QStringLiteral("+") : QString())
                .arg(QLocale().toString(change, 'f', 2));
        case Detail:
            return f.detail;
        }
    }
    if (role == Qt::ToolTipRole && column == Detail && !f.widerLayers.isEmpty())
        return tr("Layers stored with one more bit: %1")
            .arg(f.widerLayers.join(QStringLiteral(", ")));
    if (role == Qt::DecorationRole && column == Method)
        return methodColor(f.method);
    if (role == Qt::TextAlignmentRole && column != Method && column != Detail)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant CompareModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return columnTitle(section, m_metricName);
}

QString CompareModel::columnTitle(int column, const QString &metricName)
{
    switch (column) {
    case Method:
        return tr("Method");
    case EffectiveBits:
        return tr("Effective bits");
    case MemoryOverhead:
        return tr("Memory overhead");
    case MacOverhead:
        return tr("MAC overhead");
    case Metric:
        return metricName;
    case Change:
        return tr("Change (points)");
    case Detail:
        return tr("Detail");
    }
    return {};
}

} // namespace mpq::ui

namespace mpq::ui {

namespace {

// the sweep's columns as the single comparison's (Budget has none)
CompareModel::Column compareColumn(int sweepColumn)
{
    switch (sweepColumn) {
    case SweepModel::Method:
        return CompareModel::Method;
    case SweepModel::MemoryOverhead:
        return CompareModel::MemoryOverhead;
    case SweepModel::MacOverhead:
        return CompareModel::MacOverhead;
    case SweepModel::EffectiveBits:
        return CompareModel::EffectiveBits;
    case SweepModel::Metric:
        return CompareModel::Metric;
    case SweepModel::Change:
        return CompareModel::Change;
    case SweepModel::Detail:
        return CompareModel::Detail;
    }
    return CompareModel::ColumnCount;
}

} // namespace

SweepModel::SweepModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void SweepModel::setPoints(std::vector<MethodFigures> points, const QString &metricName)
{
    beginResetModel();
    m_points = std::move(points);
    m_metricName = metricName;
    endResetModel();
}

QStringList SweepModel::methods() const
{
    QStringList out;
    for (const MethodFigures &p : m_points)
        if (!out.contains(p.method))
            out << p.method;
    return out;
}

int SweepModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_points.size());
}

int SweepModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SweepModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const MethodFigures &p = m_points[index.row()];
    if (index.column() == Budget) {
        if (role == RawValueRole)
            return p.budget;
        if (role == Qt::DisplayRole)
            return p.budget < 0 ? tr("any") : formatPercent(p.budget);
        if (role == Qt::ToolTipRole && p.budget < 0)
            return tr("This method's weights do not depend on the budget: one point.");
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    return CompareModel::figureData(p, compareColumn(index.column()), role);
}

QVariant SweepModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    if (section == Budget)
        return tr("Memory budget");
    return CompareModel::columnTitle(compareColumn(section), m_metricName);
}

} // namespace mpq::ui
