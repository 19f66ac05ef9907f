#pragma once

#include "mpq/allocation.h"

#include <QList>
#include <QWidget>

#include <optional>
#include <string>

class QLineEdit;
class QTableView;

namespace mpq::ui {
class LayerFilterProxy;
class LayerTableModel;
} // namespace mpq::ui

namespace mpq::studio {

/// The Layers dock: a filter box (Ctrl+F focuses it) over the sortable layer table, and the
/// per-layer overrides in the table's context menu. Names are elided in the middle (the full
/// module path in the tooltip); the essential columns come first (name, points, error, costs).
/// Window shortcuts (Ctrl+E, Ctrl+R, ...) work while the filter has focus: the line edit's own
/// bindings for those keys (Ctrl+E: end of line) give way, standard editing keys stay its own.
class LayersPanel : public QWidget
{
    Q_OBJECT
public:
    explicit LayersPanel(QWidget *parent = nullptr);

    mpq::ui::LayerTableModel *tableModel() const { return m_model; }
    QTableView *view() const { return m_view; }
    /// Layer indices of the selected rows, in table order.
    QList<int> selectedLayers() const;
    /// The largest "fixed points" offered in the context menu; 0 disables overrides
    /// (before an analysis).
    void setMaxPoints(int maxPoints) { m_maxPoints = maxPoints; }
    void focusFilter();
    /// Selects these layers' rows (replacing the selection) and scrolls to the first.
    void selectLayers(const QList<int> &layers);
    QLineEdit *filter() const { return m_filter; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

signals:
    void selectionChanged(const QList<int> &layers);
    /// std::nullopt: clear the override.
    void overrideRequested(const std::string &layer, std::optional<mpq::LayerOverride> override);

private:
    void showContextMenu(const QPoint &pos);

    QLineEdit *m_filter;
    QTableView *m_view;
    mpq::ui::LayerTableModel *m_model;
    mpq::ui::LayerFilterProxy *m_proxy;
    int m_maxPoints = 0;
};

} // namespace mpq::studio
