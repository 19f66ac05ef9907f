#include "mpqwidgets/sensitivityrankview.h"

#include "mpqwidgets/numberformat.h"
#include "mpqwidgets/sensitivityrankmodel.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace mpq::ui {

SensitivityRankView::SensitivityRankView(QWidget *parent)
    : QWidget(parent)
    , m_model(new SensitivityRankModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_caption(new QLabel(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SensitivityRankModel::RawValueRole);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder); // rank order until the user sorts
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle); // both ends of a module path say something
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_caption->setWordWrap(true);
    m_caption->setTextFormat(Qt::PlainText);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_caption);
    layout->addWidget(m_view, 1);

    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_view->resizeColumnsToContents();
        const int cap = m_view->fontMetrics().averageCharWidth() * 30;
        if (m_view->columnWidth(SensitivityRankModel::Name) > cap)
            m_view->setColumnWidth(SensitivityRankModel::Name, cap);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (!m_mirroring)
            emit layersChosen(selectedLayers());
    });
    updateCaption();
}

void SensitivityRankView::setAnalysis(std::shared_ptr<const mpq::Analysis> analysis)
{
    m_mirroring = true;
    m_model->setAnalysis(std::move(analysis));
    m_mirroring = false;
    updateCaption();
}

void SensitivityRankView::setEpsilon(double epsilon)
{
    m_model->setEpsilon(epsilon);
    updateCaption();
}

void SensitivityRankView::setSelectedLayers(const QList<int> &layers)
{
    QItemSelection selection;
    for (int layer : layers) {
        const QModelIndex index =
            m_proxy->mapFromSource(m_model->index(m_model->rowOfLayer(layer), 0));
        if (index.isValid())
            selection.select(index, index);
    }
    m_mirroring = true;
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect |
                                                    QItemSelectionModel::Rows);
    m_mirroring = false;
    if (!selection.isEmpty())
        m_view->scrollTo(selection.indexes().front());
}

QList<int> SensitivityRankView::selectedLayers() const
{
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QList<int> layers;
    for (const QModelIndex &index : rows) {
        const int layer = m_model->layerIndex(m_proxy->mapToSource(index).row());
        if (layer >= 0)
            layers << layer;
    }
    return layers;
}

void SensitivityRankView::updateCaption()
{
    const mpq::Allocation *a = m_model->allocation();
    if (m_model->rowCount() == 0 || !a) {
        m_caption->setText(tr("Layers ranked by sensitivity appear here after the analysis."));
        return;
    }
    m_caption->setText(
        tr("Layers ranked by the error round-to-nearest (1 point) leaves, most sensitive first, "
           "with the points and cost each needs to reach the threshold \u03b5 = %1 (all layers: "
           "%2 memory, %3 MACs). Click a row to select the layer everywhere.")
            .arg(formatRelativeError(m_model->epsilon()), formatPercent(a->memoryOverhead),
                 formatPercent(a->macOverhead)));
}

} // namespace mpq::ui
