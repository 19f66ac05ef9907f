#pragma once

#include <QSortFilterProxyModel>

namespace mpq::ui {

/// The sort/filter proxy in front of LayerTableModel: sorts by LayerTableModel::RawValueRole
/// (numbers numerically, names in natural order so "layer10" follows "layer9") and keeps rows
/// whose name contains the filter text, case-insensitively. Wildcards (* and ?) in the filter
/// text match like shell globs anywhere in the name ("layer1*conv").
///
/// Usage: proxy->setSourceModel(model); view->setModel(proxy); view->setSortingEnabled(true);
/// filterEdit -> setFilterText(); selected proxy rows map to layers with layerIndex().
class LayerFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit LayerFilterProxy(QObject *parent = nullptr);

    /// Plain text or a wildcard pattern; empty shows every row.
    void setFilterText(const QString &text);
    QString filterText() const { return m_filterText; }

    /// The layer index (into Analysis::layers) of a row of this proxy, or -1.
    int layerIndex(int proxyRow) const;

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QString m_filterText;
};

} // namespace mpq::ui
