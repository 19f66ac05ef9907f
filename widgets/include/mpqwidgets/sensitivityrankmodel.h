#pragma once

#include "mpq/allocation.h"
#include "mpq/analysis.h"

#include <QAbstractTableModel>

#include <memory>
#include <vector>

namespace mpq::ui {

/// The ranked sensitivity view's rows: one per layer of the analysis, ranked by its relative
/// output error with one point per channel (mpq::layerRelativeError(curves, 1): what
/// round-to-nearest does to it), largest first. For each layer, what the threshold rule at the
/// current epsilon gives it alone (docs/multipoint.md section 4, one mpq::allocate call over all
/// layers, no overrides): its mean and largest points per channel, its error then, its memory
/// cost (extra bits over all quantizable weights at b bits, so the column sums to the model's
/// memory overhead), its MAC cost (extra MACs over all MACs), and the cumulative memory cost of
/// this layer and every layer ranked above it: what fixing the k most sensitive layers costs.
///
/// Source rows stay in rank order (sort through a QSortFilterProxyModel on RawValueRole; the
/// cumulative column is always in rank order). setEpsilon() emits dataChanged only.
/// Roles: DisplayRole text (numberformat.h); RawValueRole the number (name: the string);
/// ToolTipRole exact values and, on headers, the glossary entry. Read-only; GUI thread only.
class SensitivityRankModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Rank,
        Name,
        OnePointError,
        Points,
        ErrorAtPoints,
        MemoryCost,
        MacCost,
        CumulativeMemoryCost,
        ColumnCount
    };
    static constexpr int RawValueRole = Qt::UserRole;

    explicit SensitivityRankModel(QObject *parent = nullptr);

    /// Re-ranks (a model reset); nullptr empties the model.
    void setAnalysis(std::shared_ptr<const mpq::Analysis> analysis);
    /// The threshold the points and costs reach (> 0); recomputes them (dataChanged).
    void setEpsilon(double epsilon);
    double epsilon() const { return m_epsilon; }

    /// The layer (index into Analysis::curves) of a source row, or -1.
    int layerIndex(int row) const;
    /// The source row of a layer, or -1.
    int rowOfLayer(int layer) const;
    /// The threshold allocation the figures come from (null before an analysis or if it failed).
    const mpq::Allocation *allocation() const { return m_allocation.get(); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        int layer = -1;
        double onePointError = 0.0;
        const mpq::LayerAllocation *allocation = nullptr;
        double memoryCost = 0.0;
        double macCost = 0.0;
        double cumulativeMemoryCost = 0.0;
    };
    void recompute();
    QVariant rawValue(const Row &row, int column) const;

    std::shared_ptr<const mpq::Analysis> m_analysis;
    std::unique_ptr<mpq::Allocation> m_allocation;
    std::vector<Row> m_rows; ///< in rank order
    double m_epsilon = 1e-3;
};

} // namespace mpq::ui
