#include "layerspanel.h"

#include "mpqwidgets/figureexport.h"
#include "mpqwidgets/layerfilterproxy.h"
#include "mpqwidgets/layertablemodel.h"

#include <QAction>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMenu>
#include <QTableView>
#include <QVBoxLayout>

namespace mpq::studio {

LayersPanel::LayersPanel(QWidget *parent)
    : QWidget(parent)
    , m_filter(new QLineEdit(this))
    , m_view(new QTableView(this))
    , m_model(new mpq::ui::LayerTableModel(this))
    , m_proxy(new mpq::ui::LayerFilterProxy(this))
{
    m_filter->setPlaceholderText(tr("Filter layers (Ctrl+F), e.g. layer1*conv"));
    m_filter->setClearButtonEnabled(true);
    m_proxy->setSourceModel(m_model);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder); // graph order until the user sorts
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    // The essentials first (name, points, error, then the costs); the rest stays a right-click
    // on the header away.
    using M = mpq::ui::LayerTableModel;
    for (int c : {M::Kind, M::Shape, M::Channels, M::MaxPoints, M::Sqnr})
        m_view->hideColumn(c);
    QHeaderView *header = m_view->horizontalHeader();
    const int order[] = {M::Name,        M::MeanPoints,    M::RelativeError, M::Overhead,
                         M::MacOverhead, M::EffectiveBits, M::Override};
    for (int i = 0; i < int(std::size(order)); ++i)
        header->moveSection(header->visualIndex(order[i]), i);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QHeaderView::customContextMenuRequested, this,
            [this, header](const QPoint &pos) {
                QMenu menu(this);
                for (int c = 0; c < M::ColumnCount; ++c) {
                    QAction *a = menu.addAction(m_model->headerData(c, Qt::Horizontal).toString());
                    a->setCheckable(true);
                    a->setChecked(!m_view->isColumnHidden(c));
                    a->setEnabled(c != M::Name);
                    connect(a, &QAction::toggled, this,
                            [this, c](bool on) { m_view->setColumnHidden(c, !on); });
                }
                menu.exec(header->mapToGlobal(pos));
            });
    m_filter->installEventFilter(this);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filter);
    layout->addWidget(m_view);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &mpq::ui::LayerFilterProxy::setFilterText);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { emit selectionChanged(selectedLayers()); });
    connect(m_view, &QTableView::customContextMenuRequested, this, &LayersPanel::showContextMenu);
    // both ends of a dotted module path say something ("backbone…0.conv"); the tooltip has it all
    m_view->setTextElideMode(Qt::ElideMiddle);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_view->resizeColumnsToContents();
        // Long dotted names would push every number out of sight: cap the name column.
        const int cap = m_view->fontMetrics().averageCharWidth() * 26;
        if (m_view->columnWidth(mpq::ui::LayerTableModel::Name) > cap)
            m_view->setColumnWidth(mpq::ui::LayerTableModel::Name, cap);
    });
}

QList<int> LayersPanel::selectedLayers() const
{
    QList<int> layers;
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    for (const QModelIndex &index : rows) {
        const int layer = m_proxy->layerIndex(index.row());
        if (layer >= 0)
            layers.append(layer);
    }
    return layers;
}

bool LayersPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_filter && event->type() == QEvent::ShortcutOverride) {
        auto *key = static_cast<QKeyEvent *>(event);
        // text editing keys stay the line edit's
        for (auto standard : {QKeySequence::Copy, QKeySequence::Cut, QKeySequence::Paste,
                              QKeySequence::Undo, QKeySequence::Redo, QKeySequence::SelectAll,
                              QKeySequence::Delete, QKeySequence::Backspace})
            if (key->matches(standard))
                return QWidget::eventFilter(watched, event);
        const QKeySequence pressed(key->keyCombination());
        if (key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier)) {
            for (const QAction *action : window()->findChildren<QAction *>())
                if (action->isEnabled() && action->shortcuts().contains(pressed)) {
                    event->ignore(); // not overridden: the window's shortcut fires
                    return true;
                }
        }
    }
    return QWidget::eventFilter(watched, event);
}

void LayersPanel::selectLayers(const QList<int> &layers)
{
    // a layer hidden by the filter cannot be selected: show every layer again
    for (int layer : layers) {
        if (layer < 0 || layer >= static_cast<int>(m_model->layers().size()))
            continue;
        const int row = m_model->rowOfLayer(QString::fromStdString(m_model->layers()[layer].name));
        if (!m_proxy->mapFromSource(m_model->index(row, 0)).isValid()) {
            m_filter->clear();
            break;
        }
    }
    QItemSelection selection;
    for (int layer : layers) {
        if (layer < 0 || layer >= static_cast<int>(m_model->layers().size()))
            continue;
        const int row = m_model->rowOfLayer(QString::fromStdString(m_model->layers()[layer].name));
        const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
        if (index.isValid())
            selection.select(index, index);
    }
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect |
                                                    QItemSelectionModel::Rows);
    if (!selection.isEmpty())
        m_view->scrollTo(selection.indexes().front());
}

void LayersPanel::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void LayersPanel::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    const int layer = index.isValid() ? m_proxy->layerIndex(index.row()) : -1;
    if (layer < 0 || layer >= static_cast<int>(m_model->layers().size()))
        return;
    const std::string name = m_model->layers()[layer].name;
    QMenu menu(this);
    menu.setToolTipsVisible(true);
    // The layer's name as the menu's title: a disabled bold item, which the menu's width takes
    // into account (a section title was clipped), elided in the middle past 60 characters.
    const QString fullName = QString::fromStdString(name);
    QAction *title = menu.addAction(menu.fontMetrics().elidedText(
        fullName, Qt::ElideMiddle, menu.fontMetrics().averageCharWidth() * 60));
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    title->setEnabled(false);
    title->setToolTip(fullName);
    menu.addSeparator();
    const bool enabled = m_maxPoints > 0;
    QMenu *points = menu.addMenu(tr("Fixed points"));
    points->setEnabled(enabled);
    for (int n = 1; n <= m_maxPoints; ++n)
        points->addAction(tr("%n point(s) per channel", nullptr, n), this, [this, name, n] {
            mpq::LayerOverride o;
            o.kind = mpq::LayerOverride::Kind::Points;
            o.points = n;
            emit overrideRequested(name, o);
        });
    QMenu *bits = menu.addMenu(tr("Other bits"));
    bits->setEnabled(enabled);
    bits->setToolTipsVisible(true);
    for (int b = 2; b <= 8; ++b) {
        QAction *a = bits->addAction(tr("%1 bits").arg(b), this, [this, name, b] {
            mpq::LayerOverride o;
            o.kind = mpq::LayerOverride::Kind::Bits;
            o.bits = b;
            emit overrideRequested(name, o);
        });
        a->setToolTip(tr("Runs the calibration images again for this layer"));
    }
    QAction *keepFloat = menu.addAction(tr("Keep float"), this, [this, name] {
        mpq::LayerOverride o;
        o.kind = mpq::LayerOverride::Kind::Float;
        emit overrideRequested(name, o);
    });
    keepFloat->setEnabled(enabled);
    menu.addSeparator();
    QAction *clear = menu.addAction(tr("Clear override"), this,
                                    [this, name] { emit overrideRequested(name, std::nullopt); });
    clear->setEnabled(m_model->overrides().count(name) > 0);
    menu.addSeparator();
    menu.addAction(tr("Export table as CSV…"), this, [this] {
        mpq::ui::exportTableInteractively(m_view->model(), window(), QStringLiteral("layers"));
    });
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

} // namespace mpq::studio
