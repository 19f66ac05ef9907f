#pragma once
// The diff of two runs (docs/snapshots.md, "Diff"), in a window of its own (non-modal): the
// totals side by side, the changed layers sorted by the size of their change with red/green
// bars (red: more error or more cost), both runs on the trade-off plot over the current
// analysis' curves when they belong to it, and the images whose predictions differ. Every
// figure comes from mpq::diffSnapshots.

#include "mpq/allocation.h"
#include "mpq/snapshot.h"

#include <QAbstractTableModel>
#include <QStyledItemDelegate>
#include <QWidget>

#include <optional>

class QCustomPlot;
class QLabel;
class QTableView;
class QTableWidget;
class QTreeWidget;

namespace mpq::studio {

/// The changed layers of a diff, in its order (largest change first). Columns: layer, points
/// (A -> B), relative error (A -> B, with a bar of the change), memory (the model overhead the
/// layer moved, with a bar), SQNR change. BarRole: the signed change a bar shows (positive:
/// worse, drawn red; negative: better, green; NaN: no bar); BarScaleRole: the largest |change|
/// of the column, the bar's full width.
class LayerChangeModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { LayerColumn, PointsColumn, ErrorColumn, MemoryColumn, SqnrColumn, ColumnCount };
    enum Role { BarRole = Qt::UserRole, BarScaleRole };
    using QAbstractTableModel::QAbstractTableModel;

    void setChanges(std::vector<mpq::LayerChange> changes);
    const mpq::LayerChange &change(int row) const { return m_changes.at(std::size_t(row)); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<mpq::LayerChange> m_changes;
    double m_errorScale = 0.0, m_memoryScale = 0.0;
};

/// Paints LayerChangeModel's BarRole as a bar from the cell's left edge, |change| / scale of its
/// width, red for a positive change and green for a negative one, with the text over it.
class ChangeBarDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    static QColor worseColor();
    static QColor betterColor();
};

class RunDiffWindow : public QWidget
{
    Q_OBJECT
public:
    explicit RunDiffWindow(QWidget *parent = nullptr);

    /// Shows the diff of a and b. `backdrop`: the trade-off curves of the analysis both runs
    /// were made from (none: the plot shows the two runs only, and says why). `labels`: the
    /// profile's class names, for the predictions. `notes`: lines shown above the tables (e.g.
    /// "Preview not evaluated for this run").
    void setRuns(const mpq::RunSnapshot &a, const mpq::RunSnapshot &b,
                 std::optional<mpq::TradeOffCurves> backdrop,
                 const std::vector<std::string> &labels, const QStringList &notes);

    const mpq::SnapshotDiff &diff() const { return m_diff; }
    LayerChangeModel *layerModel() const { return m_layers; }
    QTableView *layerView() const { return m_layerView; }
    QTreeWidget *imageList() const { return m_images; }
    QCustomPlot *plot() const { return m_plot; }
    /// The header and notes as shown (tests).
    QString headerText() const;
    /// Opens a window with the image of row `row` of the image list drawn twice, with A's and
    /// with B's prediction (double-click on the row). Null, with the reason under the list,
    /// when the image is no longer where it was evaluated.
    QWidget *showImage(int row);
    QString imagesNote() const;

private:
    void fillTotals(const mpq::RunSnapshot &a, const mpq::RunSnapshot &b);
    void fillPlot(const mpq::RunSnapshot &a, const mpq::RunSnapshot &b,
                  const std::optional<mpq::TradeOffCurves> &backdrop);
    void fillImages(const mpq::RunSnapshot &a, const std::vector<std::string> &labels);

    mpq::SnapshotDiff m_diff;
    mpq::RunSnapshot m_a, m_b;
    std::vector<std::string> m_labels;
    QLabel *m_header;
    QLabel *m_notes;
    QTableWidget *m_totals;
    LayerChangeModel *m_layers;
    QTableView *m_layerView;
    QCustomPlot *m_plot;
    QLabel *m_plotNote;
    QLabel *m_imagesNote;
    QTreeWidget *m_images;
};

} // namespace mpq::studio
