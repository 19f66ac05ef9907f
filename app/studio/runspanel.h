#pragma once
// The Runs dock (docs/snapshots.md, "In the desktop app"): the pinned runs of the project as a
// list model (rename in place, delete) and the panel with Pin, Diff with current, Diff selected
// two, Mark differences on Preview and Export. It holds no figures of its own: the snapshots come
// from mpq::snapshotOf.

#include "mpq/snapshot.h"

#include <QAbstractListModel>
#include <QWidget>

#include <vector>

class QListView;
class QPushButton;

namespace mpq::studio {

/// One row per snapshot, in pinning order. DisplayRole and EditRole: the name (editable: a
/// rename); ToolTipRole: time, model, rule, overhead, error and metric. Emits changed() after
/// any edit, insertion or removal (the project is then dirty).
class RunsModel : public QAbstractListModel
{
    Q_OBJECT
public:
    using QAbstractListModel::QAbstractListModel;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

    void add(mpq::RunSnapshot snapshot);
    void remove(int row);
    void rename(int row, const QString &name);
    const mpq::RunSnapshot &snapshot(int row) const { return m_snapshots.at(std::size_t(row)); }
    const std::vector<mpq::RunSnapshot> &snapshots() const { return m_snapshots; }
    /// Replaces all (a project opened); does not emit changed().
    void setSnapshots(std::vector<mpq::RunSnapshot> snapshots);
    /// The open model's SHA-256: a run of another model says so in its row and is greyed
    /// (runs stay in the project across models; docs/snapshots.md).
    void setCurrentModel(const std::string &sha256);

signals:
    void changed();

private:
    bool ofOtherModel(const mpq::RunSnapshot &s) const;
    std::vector<mpq::RunSnapshot> m_snapshots;
    std::string m_currentSha;
};

class RunsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit RunsPanel(QWidget *parent = nullptr);

    RunsModel *model() const { return m_model; }
    QListView *view() const { return m_view; }
    /// Whether the current state can be pinned (an allocation that is current).
    void setPinAvailable(bool available, const QString &why = {});
    /// The selected rows, ascending.
    QList<int> selectedRows() const;
    QPushButton *pinButton() const { return m_pin; }
    QPushButton *diffCurrentButton() const { return m_diffCurrent; }
    QPushButton *diffTwoButton() const { return m_diffTwo; }
    /// "Mark differences on Preview": one run selected against the current state, or two.
    QPushButton *markButton() const { return m_mark; }

signals:
    void pinRequested();
    void diffWithCurrentRequested(int row);
    void diffRequested(int rowA, int rowB);
    /// Mark on Preview the images rowA and rowB differ on; rowB -1: rowA against the current
    /// state (issue 15).
    void markDifferencesRequested(int rowA, int rowB);

private:
    void updateButtons();
    void exportSelected();

    RunsModel *m_model;
    QListView *m_view;
    QPushButton *m_pin, *m_rename, *m_delete, *m_diffCurrent, *m_diffTwo, *m_export, *m_mark;
    bool m_pinAvailable = false;
};

} // namespace mpq::studio
