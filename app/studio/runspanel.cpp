#include "runspanel.h"

#include "mpq/error.h"
#include "mpqwidgets/numberformat.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QListView>
#include <QMessageBox>
#include <QPalette>
#include <QPushButton>
#include <QVBoxLayout>

namespace mpq::studio {

int RunsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_snapshots.size());
}

QVariant RunsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const mpq::RunSnapshot &s = m_snapshots[std::size_t(index.row())];
    if (role == Qt::EditRole)
        return QString::fromStdString(s.name);
    if (role == Qt::DisplayRole)
        return ofOtherModel(s) ? tr("%1 (other model: %2)")
                                     .arg(QString::fromStdString(s.name),
                                          QFileInfo(QString::fromStdString(s.modelPath)).fileName())
                               : QString::fromStdString(s.name);
    if (role == Qt::ForegroundRole && ofOtherModel(s))
        return QPalette().brush(QPalette::Disabled, QPalette::Text);
    if (role == Qt::ToolTipRole) {
        QString tip = tr("%1\nPinned %2\nModel %3\nMemory overhead %4, total error %5")
                          .arg(QString::fromStdString(s.name), QString::fromStdString(s.time),
                               QString::fromStdString(s.modelPath),
                               mpq::ui::formatPercent(s.totals.memoryOverhead))
                          .arg(s.totals.totalError, 0, 'g', 3);
        if (s.evaluated)
            tip += tr("\n%1 %2 on %3 images")
                       .arg(QString::fromStdString(s.metricName))
                       .arg(s.metricValue, 0, 'f', 3)
                       .arg(s.predictions.size());
        else
            tip += tr("\nNot evaluated");
        return tip;
    }
    return {};
}

bool RunsModel::ofOtherModel(const mpq::RunSnapshot &s) const
{
    return !m_currentSha.empty() && !s.modelSha256.empty() && s.modelSha256 != m_currentSha;
}

void RunsModel::setCurrentModel(const std::string &sha256)
{
    if (sha256 == m_currentSha)
        return;
    m_currentSha = sha256;
    if (!m_snapshots.empty())
        emit dataChanged(index(0), index(rowCount() - 1), {Qt::DisplayRole, Qt::ForegroundRole});
}

bool RunsModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !index.isValid() || value.toString().trimmed().isEmpty())
        return false;
    rename(index.row(), value.toString());
    return true;
}

Qt::ItemFlags RunsModel::flags(const QModelIndex &index) const
{
    return QAbstractListModel::flags(index) |
           (index.isValid() ? Qt::ItemIsEditable : Qt::NoItemFlags);
}

void RunsModel::add(mpq::RunSnapshot snapshot)
{
    beginInsertRows({}, rowCount(), rowCount());
    m_snapshots.push_back(std::move(snapshot));
    endInsertRows();
    emit changed();
}

void RunsModel::remove(int row)
{
    if (row < 0 || row >= rowCount())
        return;
    beginRemoveRows({}, row, row);
    m_snapshots.erase(m_snapshots.begin() + row);
    endRemoveRows();
    emit changed();
}

void RunsModel::rename(int row, const QString &name)
{
    if (row < 0 || row >= rowCount() || name.trimmed().isEmpty())
        return;
    m_snapshots[std::size_t(row)].name = name.trimmed().toStdString();
    emit dataChanged(index(row), index(row));
    emit changed();
}

void RunsModel::setSnapshots(std::vector<mpq::RunSnapshot> snapshots)
{
    beginResetModel();
    m_snapshots = std::move(snapshots);
    endResetModel();
}

RunsPanel::RunsPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new RunsModel(this))
    , m_view(new QListView(this))
    , m_pin(new QPushButton(tr("Pin this run"), this))
    , m_rename(new QPushButton(tr("Rename"), this))
    , m_delete(new QPushButton(tr("Delete"), this))
    , m_diffCurrent(new QPushButton(tr("Diff with current"), this))
    , m_diffTwo(new QPushButton(tr("Diff selected two"), this))
    , m_export(new QPushButton(tr("Export…"), this))
    , m_mark(new QPushButton(tr("Mark differences on Preview"), this))
{
    m_view->setModel(m_model);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_view->setObjectName(QStringLiteral("runsView"));
    m_pin->setToolTip(tr("Keep the current allocation and its figures as a named run"));
    m_diffCurrent->setToolTip(tr("Compare the selected run with the current state"));
    m_diffTwo->setToolTip(tr("Compare the two selected runs"));
    m_export->setToolTip(tr("Save the selected run as a snapshot file for mpq diff"));
    m_mark->setToolTip(tr("Mark on the Preview page the images whose predictions differ between "
                          "the selected run and the current state, or between the two selected "
                          "runs"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_pin);
    layout->addWidget(m_view, 1);
    auto *row1 = new QHBoxLayout;
    row1->addWidget(m_diffCurrent);
    row1->addWidget(m_diffTwo);
    layout->addLayout(row1);
    layout->addWidget(m_mark);
    auto *row2 = new QHBoxLayout;
    row2->addWidget(m_rename);
    row2->addWidget(m_delete);
    row2->addWidget(m_export);
    layout->addLayout(row2);

    connect(m_pin, &QPushButton::clicked, this, &RunsPanel::pinRequested);
    connect(m_rename, &QPushButton::clicked, this, [this] {
        const QList<int> rows = selectedRows();
        if (rows.size() == 1)
            m_view->edit(m_model->index(rows.front()));
    });
    connect(m_delete, &QPushButton::clicked, this, [this] {
        QList<int> rows = selectedRows();
        std::sort(rows.rbegin(), rows.rend());
        for (int row : rows)
            m_model->remove(row);
    });
    connect(m_diffCurrent, &QPushButton::clicked, this, [this] {
        const QList<int> rows = selectedRows();
        if (rows.size() == 1)
            emit diffWithCurrentRequested(rows.front());
    });
    connect(m_diffTwo, &QPushButton::clicked, this, [this] {
        const QList<int> rows = selectedRows();
        if (rows.size() == 2)
            emit diffRequested(rows[0], rows[1]);
    });
    connect(m_export, &QPushButton::clicked, this, &RunsPanel::exportSelected);
    connect(m_mark, &QPushButton::clicked, this, [this] {
        const QList<int> rows = selectedRows();
        if (rows.size() == 1)
            emit markDifferencesRequested(rows.front(), -1);
        else if (rows.size() == 2)
            emit markDifferencesRequested(rows[0], rows[1]);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RunsPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &RunsPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &RunsPanel::updateButtons);
    updateButtons();
}

void RunsPanel::setPinAvailable(bool available, const QString &why)
{
    m_pinAvailable = available;
    m_pin->setToolTip(available ? tr("Keep the current allocation and its figures as a named run")
                                : why);
    updateButtons();
}

QList<int> RunsPanel::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows())
        rows << i.row();
    std::sort(rows.begin(), rows.end());
    return rows;
}

void RunsPanel::updateButtons()
{
    const int n = int(selectedRows().size());
    m_pin->setEnabled(m_pinAvailable);
    m_rename->setEnabled(n == 1);
    m_delete->setEnabled(n >= 1);
    m_export->setEnabled(n == 1);
    m_diffCurrent->setEnabled(n == 1 && m_pinAvailable);
    m_diffTwo->setEnabled(n == 2);
    m_mark->setEnabled((n == 1 && m_pinAvailable) || n == 2);
}

void RunsPanel::exportSelected()
{
    const QList<int> rows = selectedRows();
    if (rows.size() != 1)
        return;
    const mpq::RunSnapshot &s = m_model->snapshot(rows.front());
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export run"), QString::fromStdString(s.name) + QStringLiteral(".json"),
        tr("Run snapshots (*.json)"));
    if (path.isEmpty())
        return;
    try {
        mpq::saveSnapshot(s, path.toStdString());
    } catch (const mpq::Error &e) {
        QMessageBox::warning(this, tr("Export run"), QString::fromUtf8(e.what()));
    }
}

} // namespace mpq::studio
