#pragma once
// Private to the Preview view (docs/ui.md): what previewview.cpp and previewexplainpanel.cpp share.
#include "mpqwidgets/previewview.h"

#include "mpqwidgets/previewmodel.h"

#include <QSortFilterProxyModel>
#include <QString>

namespace mpq::ui::preview {

/// One row of the figures' HTML table: the name, and the value aligned right.
QString row(const QString &name, const QString &value);

} // namespace mpq::ui::preview

namespace mpq::ui {

/// "Only changed" and "Differs between the runs" (both: images in both sets).
class PreviewView::Filter : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setOnly(bool changed, bool differs)
    {
        if (changed == m_changed && differs == m_differs)
            return;
        m_changed = changed;
        m_differs = differs;
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        const QModelIndex i = sourceModel()->index(row, 0, parent);
        return (!m_changed || i.data(PreviewModel::ChangedRole).toBool()) &&
               (!m_differs || i.data(PreviewModel::DiffersRole).toBool());
    }

private:
    bool m_changed = false, m_differs = false;
};

} // namespace mpq::ui
