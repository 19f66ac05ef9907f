#pragma once
// The Preview page: sample images with float and quantized predictions side by side, the task
// metrics of both, the cost of the quantized model, and the setting the figures belong to.

#include "mpq/explain.h"
#include "mpqwidgets/previewmodel.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QListView;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QStackedLayout;

namespace mpq::ui {

/// The grid is as wide as the longest caption line, so the float and quantized results are never
/// elided, and its thumbnails grow (up to twice their base size) when the page has room for them.
/// "Changed first" sorts images whose prediction changed to the front, "Only changed" hides the
/// others (a QSortFilterProxyModel between the model and the grid; rows in signals are the
/// model's). With a run diff shown (setRunMarks, issue 15), a line above the grid names the two
/// runs with a Clear button, and "Differs between the runs" hides the images they agree on.
class PreviewView : public QWidget
{
    Q_OBJECT
public:
    explicit PreviewView(QWidget *parent = nullptr);

    /// New figures (an evaluation finished). Keeps the user's score threshold.
    void setPreview(PreviewData data);
    /// Nothing to show yet: the plain-words hint replaces the grid.
    void setEmptyState(const QString &text);
    /// While a re-evaluation runs: says so beside the (still shown) figures of the last one.
    void setPending(const QString &text);

    PreviewModel *model() const { return m_model; }
    QListView *view() const { return m_view; }
    /// What the grid shows: the model through the changed-first sort and the only-changed and
    /// differs-between-the-runs filters.
    QSortFilterProxyModel *proxy() const;
    QCheckBox *changedFirstBox() const { return m_changedFirst; }
    QCheckBox *onlyChangedBox() const { return m_onlyChanged; }

    // ---- the images two runs differ on (issue 15, docs/ui.md "Run diff on Preview")
    /// Shows these marks (default RunMarks: none; the line and the filter go).
    void setRunMarks(RunMarks marks);
    QCheckBox *differsBox() const { return m_differs; }
    QPushButton *clearMarksButton() const { return m_clearMarks; }
    /// The line naming the compared runs as shown; empty when no diff is shown (tests).
    QString runMarksText() const;
    /// The metrics panel's text (tests read it).
    QString metricsText() const;
    QString settingText() const;
    /// What the page says while no current result is shown (waiting, progress, a failure).
    QString pendingText() const;

    // ---- why did this prediction flip (issue 15, docs/ui.md "Explain a flipped prediction")
    /// The model row of the selected image, -1 when none.
    int selectedRow() const;
    /// Selects the image at a model row (tests, screenshots).
    void selectRow(int row);
    QPushButton *explainButton() const { return m_explain; }
    QPushButton *cancelExplainButton() const { return m_cancelExplain; }
    QPushButton *applyExplanationButton() const { return m_applyExplanation; }
    QComboBox *explainModeBox() const { return m_explainMode; }
    mpq::ExplainMode explainMode() const;
    /// An explanation runs (Explain disabled, Cancel and the progress bar shown) or not.
    void setExplainRunning(bool running, const QString &text = {});
    void setExplainProgress(double fraction, const QString &stage);
    /// A finished explanation of the image `file`, for the allocation described by `setting`.
    void setExplanation(const mpq::FlipExplanation &explanation, const QString &file,
                        const QString &setting);
    /// The explanation shown no longer belongs to the current allocation: says so; Apply stays.
    /// An empty reason: it belongs to it again, the note goes.
    void setExplanationStale(const QString &reason);
    /// The explanation was applied as overrides: says so (`note`, when given, instead of the
    /// plain "Applied as overrides"), Apply disabled.
    void setExplanationApplied(const QString &note = {});
    /// Why no explanation came (failed, cancelled): replaces the result.
    void setExplanationMessage(const QString &text);
    void clearExplanation();
    /// The result panel's text (tests read it).
    QString explanationText() const;
    /// Whether Apply can reach the overrides (the window connects it): otherwise disabled.
    void setApplyAvailable(bool available);
    /// Under the budget rule: the second Apply, "Raise the budget by the set's cost and apply",
    /// shown with this label and tooltip while an applicable explanation is shown; an empty
    /// label hides it (the threshold rule, or no way to change the rule).
    void setRaiseBudgetOffer(const QString &label, const QString &toolTip = {});
    QPushButton *raiseBudgetButton() const { return m_raiseBudget; }
    /// After an Apply: appends the Preview's check of the applied allocation (the image shows
    /// the float prediction again, or not) under the "applied" note.
    void setExplanationCheck(const QString &text);

signals:
    /// The user asked for an image large (double click or Enter).
    void imageActivated(int row);
    /// Explain was clicked for the image at this model row.
    void explainRequested(int row, mpq::ExplainMode mode);
    void explainCancelRequested();
    void applyExplanationRequested();
    void raiseBudgetRequested();
    /// The run diff's Clear button.
    void clearRunMarksRequested();

private:
    void updateMetrics();
    /// "N", or "N of the M in the folder" when the evaluation ran on fewer images than it holds
    static QString imageCount(std::size_t evaluated, std::size_t found);
    void openLarge(int row);
    /// Grid and thumbnail size from the captions and the view's width.
    void updateGrid();
    void applyOrder();
    /// Explain is enabled only for a selected image whose prediction changed, when none runs.
    void updateExplainButton();
    /// Apply and Raise the budget: enabled for an applicable explanation, Raise shown when offered.
    void updateApplyButtons();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    PreviewModel *m_model;
    class Filter;
    Filter *m_proxy;
    QCheckBox *m_changedFirst;
    QCheckBox *m_onlyChanged;
    QCheckBox *m_differs;
    QWidget *m_marksBar;
    QLabel *m_marksText;
    QPushButton *m_clearMarks;
    QListView *m_view;
    QStackedLayout *m_stack;
    QLabel *m_empty;
    QLabel *m_setting;
    QLabel *m_pending;
    QLabel *m_metrics;
    QDoubleSpinBox *m_threshold;
    QLabel *m_thresholdLabel;
    bool m_thresholdTouched = false;
    QGroupBox *m_explainBox;
    QComboBox *m_explainMode;
    QPushButton *m_explain;
    QPushButton *m_cancelExplain;
    QProgressBar *m_explainProgress;
    QLabel *m_explanation;
    QPushButton *m_applyExplanation;
    QPushButton *m_raiseBudget;
    QString m_appliedNote; ///< the "applied" note and the Preview's check of it
    bool m_explainRunning = false;
    bool m_applyAvailable = false;
    bool m_hasExplanation = false; ///< an Explained result that can be applied is shown
    QString m_explanationHtml;     ///< the result as shown, without the stale or applied note
};

} // namespace mpq::ui
