#pragma once

#include "mpq/allocation.h"
#include "mpq/model.h"

#include <QAbstractTableModel>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mpq::ui {

/// The layer table: one row per quantizable layer, in graph order (row == layer index into
/// Model::layers() / Analysis::layers). The graph columns (Name..Channels) come from
/// setLayers(); the allocation columns (MeanPoints..EffectiveBits) from setAllocation(), matched
/// to rows by layer name, empty until then. Layers kept in float show "float" in the points
/// columns, a dash in the error columns and their true cost in the cost columns (memory
/// 32/b - 1 of their weights, 32 effective bits, no extra MACs: docs/multipoint.md section 4).
///
/// Roles: DisplayRole text follows numberformat.h; RawValueRole gives the raw number (or a string
/// for text columns) for sorting, see LayerFilterProxy; ToolTipRole exact values (the full
/// module path on Name; the glossary entry on the headers). No colour swatch: the points
/// columns say "float" in words.
/// Read-only. GUI thread only.
class LayerTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        Name,
        Kind,
        Shape,
        Channels,
        MeanPoints,
        MaxPoints,
        Overhead,
        MacOverhead,
        RelativeError,
        Sqnr,
        EffectiveBits,
        Override,
        ColumnCount
    };
    static constexpr int RawValueRole = Qt::UserRole;

    explicit LayerTableModel(QObject *parent = nullptr);

    /// Replaces the rows (a model reset). A shown allocation and overrides are kept and matched
    /// to the new rows by name.
    void setLayers(std::vector<mpq::LayerInfo> layers);
    const std::vector<mpq::LayerInfo> &layers() const { return m_layers; }

    /// Fills (or, with nullptr, clears) the allocation columns. Rows stay: emits dataChanged,
    /// never a reset, so the view's selection and sort survive a slider drag.
    void setAllocation(std::shared_ptr<const mpq::Allocation> allocation);
    std::shared_ptr<const mpq::Allocation> allocation() const { return m_allocation; }

    /// The user's pins by layer name, shown in the Override column (dataChanged only).
    void setOverrides(std::map<std::string, mpq::LayerOverride> overrides);
    const std::map<std::string, mpq::LayerOverride> &overrides() const { return m_overrides; }

    /// The layer index of a row of this model (not of a proxy), or -1 when out of range.
    int layerIndex(int row) const;
    /// The row of a layer name, or -1.
    int rowOfLayer(const QString &name) const;
    /// The allocation of a row's layer, or nullptr when none is shown for it.
    const mpq::LayerAllocation *layerAllocation(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void matchAllocation();
    void emitAllChanged(int firstColumn, int lastColumn);
    QVariant rawValue(int row, int column) const;
    QVariant displayText(int row, int column) const;
    QString toolTip(int row, int column) const;
    QString overrideText(int row) const;

    std::vector<mpq::LayerInfo> m_layers;
    std::shared_ptr<const mpq::Allocation> m_allocation;
    std::vector<int> m_allocationRow; ///< per row: index into m_allocation->layers, or -1
    std::map<std::string, mpq::LayerOverride> m_overrides;
};

} // namespace mpq::ui
