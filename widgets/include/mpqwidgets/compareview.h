#pragma once
// The Compare page: the task metric against effective bits for every quantization method on
// the same sample images (a point per method, the float model as a reference line), and the
// table of the figures.

#include "mpqwidgets/comparemodel.h"

#include <QWidget>

class QCustomPlot;
class QLabel;
class QPushButton;
class QStackedLayout;
class QTableView;

namespace mpq::ui {

class CompareView : public QWidget
{
    Q_OBJECT
public:
    explicit CompareView(QWidget *parent = nullptr);

    /// Replaces the figures; `setting` names what multipoint ran at.
    void setFigures(std::vector<MethodFigures> figures, const QString &metricName,
                    const QString &setting);
    void setEmptyState(const QString &text);
    /// The figures shown no longer belong to the current setting: `note` says so (and what to
    /// do) in place of the caption, in the warning colour, until new figures arrive.
    void setStale(const QString &note);
    bool isStale() const { return m_stale; }
    /// The caption above the figures (what they belong to, or why they are out of date).
    QString caption() const;
    /// The text of the empty state (shown when no figures are).
    QString emptyText() const;
    bool isShowingFigures() const;
    /// While a comparison runs (or has none): the Run button's state and a note.
    void setRunning(bool running, const QString &note = {});
    /// Whether Run can start (an analysis exists).
    void setRunEnabled(bool enabled);

    CompareModel *model() const { return m_model; }
    QCustomPlot *plot() const { return m_plot; }
    QTableView *table() const { return m_table; }

signals:
    void runRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void replot();

    CompareModel *m_model;
    QCustomPlot *m_plot;
    QTableView *m_table;
    QStackedLayout *m_stack;
    QLabel *m_empty;
    QLabel *m_setting;
    QPushButton *m_run;
    bool m_stale = false;
};

} // namespace mpq::ui
