#pragma once
// The Compare page (issue 14, "compare at matched cost"), in two modes:
// - At this allocation: every quantization method at the current allocation's memory overhead on
//   the same sample images, the task metric against memory overhead or MAC overhead (a point per
//   method, the float model as a reference line), and the table of the figures;
// - Sweep budgets: the task metric of each method over a range of memory budgets, one curve per
//   method in its colour and marker against memory or MAC overhead, and the table of the points.
// Each mode keeps its own figures, caption (what they belong to, or why they are out of date)
// and empty state; a running job shows its progress and can be cancelled.

#include "mpqwidgets/comparemodel.h"

#include <QWidget>

class QComboBox;
class QCPTextElement;
class QCustomPlot;
class QLabel;
class QProgressBar;
class QPushButton;
class QStackedLayout;
class QStackedWidget;
class QTableView;

namespace mpq::ui {

class CompareView : public QWidget
{
    Q_OBJECT
public:
    enum Mode { AtAllocation, Sweep };
    enum Axis { MemoryAxis, MacAxis };

    explicit CompareView(QWidget *parent = nullptr);

    /// Replaces the figures of the single comparison; `setting` names what multipoint ran at.
    void setFigures(std::vector<MethodFigures> figures, const QString &metricName,
                    const QString &setting);
    /// Replaces the points of the sweep (MethodFigures::budget set, -1 for a method whose
    /// weights do not depend on the budget); `setting` names what the sweep ran on.
    void setSweep(std::vector<MethodFigures> points, const QString &metricName,
                  const QString &setting);
    /// No figures in `mode`: `text` says why and what to do.
    void setEmptyState(const QString &text, Mode mode = AtAllocation);
    /// The figures shown in `mode` no longer belong to the current setting: `note` says so (and
    /// what to do) in place of the caption, in the warning colour, until new figures arrive.
    void setStale(const QString &note, Mode mode = AtAllocation);
    /// The figures of `mode` belong to the current setting again: `caption` in the normal colour.
    void setCurrent(const QString &caption, Mode mode = AtAllocation);
    bool isStale(Mode mode = AtAllocation) const { return m_pages[mode].stale; }
    /// The caption above the figures of `mode` (what they belong to, or why out of date).
    QString caption(Mode mode = AtAllocation) const { return m_pages[mode].caption; }
    /// The text of the empty state of `mode` (shown when it has no figures).
    QString emptyText(Mode mode = AtAllocation) const { return m_pages[mode].empty; }
    bool isShowingFigures(Mode mode = AtAllocation) const { return m_pages[mode].figures; }
    /// While a job of `mode` runs: the Run button's state, the Cancel button and the progress
    /// bar, and `note` as the caption.
    void setRunning(bool running, const QString &note = {}, Mode mode = AtAllocation);
    bool isRunning(Mode mode = AtAllocation) const { return m_pages[mode].running; }
    /// The running job's progress (fraction in [0, 1]), stage and time left (the JobRunner's
    /// estimate, as the window's progress line shows it; negative: none yet).
    void setProgress(double fraction, const QString &stage, Mode mode = AtAllocation,
                     double secondsLeft = -1.0);
    /// Whether Run can start (an analysis and images exist).
    void setRunEnabled(bool enabled);

    Mode mode() const { return m_mode; }
    void setMode(Mode mode);
    /// The x axis of both plots: memory overhead or MAC overhead, in %.
    Axis axis() const { return m_axis; }
    void setAxis(Axis axis);

    CompareModel *model() const { return m_model; }
    SweepModel *sweepModel() const { return m_sweepModel; }
    /// The single comparison's plot.
    QCustomPlot *plot() const { return m_plot; }
    QCustomPlot *sweepPlot() const { return m_sweepPlot; }
    /// The table of the shown mode (its model switches with the mode).
    QTableView *table() const { return m_table; }
    QComboBox *modeBox() const { return m_modeBox; }
    QComboBox *axisBox() const { return m_axisBox; }
    QPushButton *runButton() const { return m_run; }
    QPushButton *cancelButton() const { return m_cancel; }
    QProgressBar *progressBar() const { return m_progress; }

signals:
    /// Run in "At this allocation" mode.
    void runRequested();
    /// Run in "Sweep budgets" mode.
    void sweepRequested();
    /// Cancel pressed while a job runs.
    void cancelRequested();
    void modeChanged(mpq::ui::CompareView::Mode mode);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Page
    {
        QString caption;
        QString empty;
        bool stale = false;
        bool figures = false;
        bool running = false;
        bool warn = false; ///< the caption in the warning colour
        double fraction = 0.0;
        QString stage;
        double secondsLeft = -1.0; ///< negative: no estimate yet
    };
    /// Shows the page of the current mode: caption, empty state or figures, table, buttons.
    void showPage();
    void replot();
    void replotSweep();
    /// The x value of a method's figures on the chosen axis, in %.
    double xOf(const MethodFigures &f) const;
    QString axisTitle() const;

    CompareModel *m_model;
    SweepModel *m_sweepModel;
    QCustomPlot *m_plot;
    QCustomPlot *m_sweepPlot;
    QCPTextElement *m_title;
    QCPTextElement *m_sweepTitle;
    QTableView *m_table;
    QStackedLayout *m_stack;
    QStackedWidget *m_plots;
    QLabel *m_empty;
    QLabel *m_setting;
    QComboBox *m_modeBox;
    QComboBox *m_axisBox;
    QPushButton *m_run;
    QPushButton *m_cancel;
    QProgressBar *m_progress;
    Page m_pages[2];
    Mode m_mode = AtAllocation;
    Axis m_axis = MemoryAxis;
    bool m_runEnabled = false;
};

} // namespace mpq::ui
