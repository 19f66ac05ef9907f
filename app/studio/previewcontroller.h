#pragma once
// Keeps the Preview and Compare pages in step with the allocation: after the epsilon or budget
// changes, the Preview re-evaluates in the background once the user pauses (debounced; a newer
// request supersedes a running one); the comparison and the sweep of budgets run when asked,
// with progress and cancel. Its own JobRunner, so an evaluation never cancels the analysis.
// Results of another model or analysis are cleared, those of another setting, profile or image
// folder marked out of date (issue 14).

#include "evaluationjobs.h"

#include "mpq/explain.h"
#include "mpq/snapshot.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>

class QUndoStack;

namespace mpq::ui {
class CompareView;
class PreviewView;
} // namespace mpq::ui

namespace mpq::studio {

class JobRunner;

class PreviewController : public QObject
{
    Q_OBJECT
public:
    PreviewController(mpq::ui::PreviewView *preview, mpq::ui::CompareView *compare,
                      QObject *parent = nullptr);
    ~PreviewController() override;

    /// The current model, analysis and allocation (null analysis: back to the empty state).
    /// Schedules a Preview evaluation after the debounce interval.
    void setRequest(EvaluationRequest request);
    /// Only an active controller evaluates (the Preview page is shown): a request made while
    /// inactive waits, and activating starts it. Active by default.
    void setActive(bool active);
    /// Runs the comparison for the current request (the Compare page's button).
    void runCompare();
    /// Runs the sweep of memory budgets (defaultSweepBudgets) for the current request's model,
    /// analysis, overrides and images (the Compare page's button in "Sweep budgets" mode).
    void runSweep();
    /// Cancels a running comparison or sweep (the Compare page's Cancel button).
    void cancelComparison();
    /// Whether float predictions are kept for reuse (tests: a profile edit drops them).
    bool hasFloatPredictions() const { return bool(m_reference); }
    void setDebounceInterval(int milliseconds) { m_debounce.setInterval(milliseconds); }
    JobRunner *runner() const { return m_runner; }
    /// Evaluations started so far (tests count re-evaluations).
    int evaluationsStarted() const { return m_started; }
    /// The latest Preview evaluation and the quantization it ran (null before the first). It is
    /// current when that quantization is the document's (a run snapshot keeps its predictions
    /// only then; docs/snapshots.md).
    std::shared_ptr<const mpq::EvaluationResult> evaluation() const { return m_evaluation; }
    std::shared_ptr<const mpq::Quantization> evaluatedQuantization() const { return m_evaluated; }

    // ---- why did this prediction flip (issue 15, docs/ui.md "Explain a flipped prediction")
    using OverrideApply =
        std::function<void(const std::string &, std::optional<mpq::LayerOverride>)>;
    /// Where the Preview's "Apply as overrides" goes: one OverridesCommand pushed on `undo`, whose
    /// steps call `apply` per layer (the window's applyOverride). Until set, Apply is disabled.
    void setOverrideTarget(QUndoStack *undo, OverrideApply apply);
    /// Explains the flip on the image at this Preview model row, in the background on its own
    /// runner (progress and Cancel on the page; a Preview evaluation does not stop it).
    void runExplain(int row, mpq::ExplainMode mode);
    void cancelExplain();
    /// Sets the shown explanation's overrides as one undoable step.
    void applyExplanation();
    using RuleApply = std::function<void(const mpq::AllocationSettings &)>;
    /// Where "Raise the budget by the set's cost and apply" changes the budget (the window's
    /// applyRule; the rule part of the settings, overrides ignored). Until set, not offered.
    void setRuleTarget(RuleApply apply);
    /// Under the budget rule: the budget with the shown explanation's set paid for on top (the
    /// set's cost at its pins minus what those layers cost now, in the budget's unit), so the
    /// other layers keep their points. Empty when not offered: the threshold rule, no rule
    /// target, or a set that costs nothing more (float pins under a MAC budget).
    std::optional<double> raisedBudget() const;
    /// The explanation's overrides and the raised budget as one undoable step (budget rule).
    void applyExplanationWithBudget();

    // ---- the images two runs differ on, on Preview (issue 15, docs/ui.md "Run diff on Preview")
    /// Marks on the Preview the images whose predictions differ between a and b (their diff is
    /// held here; the page shows it). `bIsCurrent`: b is the live state, flagged out of date
    /// once the allocation changes. Cleared when the model changes.
    void setRunDiff(const mpq::RunSnapshot &a, const mpq::RunSnapshot &b,
                    const std::vector<std::string> &labels, bool bIsCurrent = false);
    void clearRunDiff();
    /// The diff shown on Preview, null when none.
    const mpq::SnapshotDiff *runDiff() const { return m_runDiff ? &*m_runDiff : nullptr; }
    JobRunner *explainRunner() const { return m_explainRunner; }
    /// The explanation shown, null when none.
    std::shared_ptr<const mpq::FlipExplanation> explanation() const { return m_explanation; }

signals:
    void previewUpdated();
    void compareUpdated();
    void sweepUpdated();
    /// An explanation arrived (or failed, or was cancelled).
    void explanationUpdated();
    /// The run diff shown on Preview was set, flagged or cleared.
    void runDiffChanged();
    /// An evaluation or comparison failed (message names the file and the reason).
    void failed(const QString &message);
    /// The warnings of the latest evaluation or comparison (skipped images and annotations,
    /// unknown class names), replacing the previous ones.
    void evaluationWarnings(const QStringList &warnings);

private:
    /// What an explanation depends on beside model and analysis: the allocation's setting and
    /// overrides.
    static QString explainKey(const EvaluationRequest &r);
    void startPreview();
    /// Keeps the float predictions for the current model, analysis (and so profile) and images:
    /// they outlive requests that change only the allocation; a request for another model,
    /// analysis or folder drops them.
    void keepReference(std::shared_ptr<const mpq::FloatPredictions> reference,
                       const EvaluationRequest &request);
    /// The Compare page against the current request: cleared when its figures belong to
    /// another model or analysis, marked out of date when to another setting (issue 14).
    void checkCompare();
    /// A running comparison ended without figures (superseded, cancelled, failed): its
    /// "Comparing..." note goes, and the page says why.
    void endCompare(const QString &reason);
    /// The Compare page's sweep against the current request: cleared for another model or
    /// analysis, marked out of date for another profile, image folder or overrides (the rule's
    /// epsilon and budget do not change a sweep).
    void checkSweep();
    void endSweep(const QString &reason);
    /// What a sweep runs on, for its caption: budgets, bits, overrides, images.
    QString sweepSetting(const EvaluationRequest &request,
                         const std::vector<double> &budgets) const;
    /// The explanation against the current request: removed for another model or analysis,
    /// marked out of date for another allocation (setting or overrides).
    void checkExplanation();
    /// The offer to raise the budget, from the shown explanation and the current rule.
    void updateRaiseOffer();
    /// After an Apply: whether the Preview of the applied allocation shows the image's float
    /// prediction again (on the page, under the "applied" note).
    void checkAppliedImage(const EvaluationRequest &evaluated);
    /// The run diff against the current request: cleared for another model, flagged when its
    /// live side no longer matches the allocation.
    void checkRunDiff();
    void showRunMarks();

    mpq::ui::PreviewView *m_preview;
    mpq::ui::CompareView *m_compare;
    JobRunner *m_runner;
    QTimer m_debounce;
    EvaluationRequest m_request;
    std::shared_ptr<const mpq::FloatPredictions> m_reference;
    std::shared_ptr<const mpq::Model> m_referenceModel;
    std::shared_ptr<const mpq::Analysis> m_referenceAnalysis;
    QString m_referenceImages;
    std::string m_referenceProfile; ///< mpq::profileToJson of the predictions' profile
    std::string m_requestProfile;   ///< of the current request
    int m_started = 0;
    std::shared_ptr<const mpq::EvaluationResult> m_evaluation;
    std::shared_ptr<const mpq::Quantization> m_evaluated;
    int m_compareJob = 0; ///< the running comparison's job id, 0 when none runs
    /// what the figures on the Compare page belong to
    std::shared_ptr<const mpq::Model> m_compareModel;
    std::shared_ptr<const mpq::Analysis> m_compareAnalysis;
    QString m_compareSetting;
    std::string m_compareProfile;
    int m_sweepJob = 0; ///< the running sweep's job id, 0 when none runs
    /// what the sweep on the Compare page belongs to
    std::shared_ptr<const mpq::Model> m_sweepModel;
    std::shared_ptr<const mpq::Analysis> m_sweepAnalysis;
    std::string m_sweepProfile;
    QString m_sweepKey; ///< images and overrides
    QString m_sweepSetting;
    bool m_active = true;
    bool m_stale = false; ///< a request waits for the page to be shown
    JobRunner *m_explainRunner;
    int m_explainJob = 0; ///< the running explanation's job id, 0 when none runs
    std::shared_ptr<const mpq::FlipExplanation> m_explanation;
    std::shared_ptr<const mpq::Model> m_explainModel;
    std::shared_ptr<const mpq::Analysis> m_explainAnalysis;
    QString m_explainKey; ///< the setting and overrides the explanation is for
    bool m_explanationApplied = false;
    QUndoStack *m_undo = nullptr;
    OverrideApply m_applyOverride;
    RuleApply m_applyRule;
    QString m_explainFile;  ///< the image the shown explanation is for
    QString m_appliedCheck; ///< that image, to check on the next Preview after an Apply
    std::optional<mpq::SnapshotDiff> m_runDiff;
    mpq::RunSnapshot m_runA, m_runB; ///< the runs of m_runDiff (names, image folders, task)
    std::vector<std::string> m_runLabels;
    std::shared_ptr<const mpq::Model> m_runDiffModel; ///< the model when the diff was set
    QString m_runDiffKey;        ///< the allocation when b was the live state; empty otherwise
    bool m_runDiffStale = false; ///< flagged: the live side no longer matches the allocation
};

} // namespace mpq::studio
