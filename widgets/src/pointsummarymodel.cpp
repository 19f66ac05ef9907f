#include "mpqwidgets/pointsummarymodel.h"

#include "mpqwidgets/numberformat.h"

#include <cmath>

namespace mpq::ui {

PointSummaryModel::PointSummaryModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void PointSummaryModel::setSummary(std::vector<PointSummary> summary)
{
    beginResetModel();
    m_summary = std::move(summary);
    endResetModel();
}

int PointSummaryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_summary.size());
}

int PointSummaryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PointSummaryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PointSummary &s = m_summary[index.row()];
    if (role == RawValueRole) {
        switch (index.column()) {
        case Points:
            return s.points;
        case MeanRelativeResidual:
            return s.meanRelativeResidual;
        case MaxRelativeResidual:
            return s.maxRelativeResidual;
        case Sqnr:
            return s.relativeError > 0.0 ? -10.0 * std::log10(s.relativeError) : qInf();
        case EffectiveBits:
            return s.effectiveBits;
        }
    } else if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Points:
            return QString::number(s.points);
        case MeanRelativeResidual:
            return formatRelativeError(s.meanRelativeResidual);
        case MaxRelativeResidual:
            return formatRelativeError(s.maxRelativeResidual);
        case Sqnr:
            return formatSqnr(s.relativeError);
        case EffectiveBits:
            return formatBits(s.effectiveBits);
        }
    } else if (role == Qt::TextAlignmentRole) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant PointSummaryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Points:
        return tr("Points");
    case MeanRelativeResidual:
        return tr("Mean rel. residual");
    case MaxRelativeResidual:
        return tr("Max rel. residual");
    case Sqnr:
        return tr("Weight SQNR");
    case EffectiveBits:
        return tr("Effective bits");
    }
    return {};
}

} // namespace mpq::ui
