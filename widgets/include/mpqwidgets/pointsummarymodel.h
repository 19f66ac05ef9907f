#pragma once

#include "mpq/multipoint.h"

#include <QAbstractTableModel>

#include <vector>

namespace mpq::ui {

/// A table of how a weight matrix's error falls with the number of points: one row per n
/// (1..N), columns as in Column. Display text follows numberformat.h; Qt::UserRole gives the
/// raw number (for sorting and plotting). Read-only; the summary is replaced whole.
class PointSummaryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Points,
        MeanRelativeResidual,
        MaxRelativeResidual,
        Sqnr,
        EffectiveBits,
        ColumnCount
    };
    static constexpr int RawValueRole = Qt::UserRole;

    explicit PointSummaryModel(QObject *parent = nullptr);

    void setSummary(std::vector<PointSummary> summary);
    const std::vector<PointSummary> &summary() const { return m_summary; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<PointSummary> m_summary;
};

} // namespace mpq::ui
