#include "previewcontroller.h"

#include "jobrunner.h"
#include "undocommands.h"

#include "mpq/error.h"
#include "mpq/vocabulary.h"
#include "mpqwidgets/compareview.h"
#include "mpqwidgets/numberformat.h"
#include "mpqwidgets/previewview.h"

#include <QFileInfo>
#include <QUndoStack>

#include <algorithm>
#include <cmath>

namespace mpq::studio {

namespace {

QStringList toStrings(const std::vector<std::string> &lines)
{
    QStringList out;
    for (const std::string &line : lines)
        out << QString::fromStdString(line);
    return out;
}

std::string profileKey(const EvaluationRequest &r)
{
    return r.opened.model ? mpq::profileToJson(r.opened.profile) : std::string();
}

/// What a sweep depends on beside model, analysis and profile: the images and the overrides.
QString sweepKey(const EvaluationRequest &r)
{
    return r.imagesDir + QLatin1Char('\n') +
           (r.quantization
                ? QString::fromStdString(mpq::overridesToJson(r.quantization->settings.overrides))
                : QString());
}

/// What an explanation depends on beside model and analysis: the allocation's setting and
/// overrides.
QString explainKey(const EvaluationRequest &r)
{
    return r.setting + QLatin1Char('\n') +
           (r.quantization
                ? QString::fromStdString(mpq::overridesToJson(r.quantization->settings.overrides))
                : QString());
}

QString className(int c, const std::vector<std::string> &labels)
{
    return c >= 0 && c < int(labels.size()) ? QString::fromStdString(labels[std::size_t(c)])
                                            : QStringLiteral("#%1").arg(c);
}

/// What changed on one image between run A and run B, as a caption line: "A: cat 91 % → B: dog
/// 55 %", or "A → B: 2 detection(s) lost, 1 added".
QString runChangeCaption(const mpq::PredictionChange &c, mpq::Task task,
                         const std::vector<std::string> &labels)
{
    if (task == mpq::Task::Classification)
        return PreviewController::tr("A: %1 %2 % → B: %3 %4 %")
            .arg(className(c.a.topClass, labels))
            .arg(std::lround(c.a.topScore * 100.0f))
            .arg(className(c.b.topClass, labels))
            .arg(std::lround(c.b.topScore * 100.0f));
    QStringList parts;
    if (c.lost)
        parts << PreviewController::tr("%n detection(s) lost", nullptr, c.lost);
    if (c.added)
        parts << PreviewController::tr("%n added", nullptr, c.added);
    if (c.moved)
        parts << PreviewController::tr("%n moved", nullptr, c.moved);
    return PreviewController::tr("A → B: %1").arg(parts.join(QStringLiteral(", ")));
}

} // namespace

PreviewController::PreviewController(mpq::ui::PreviewView *preview, mpq::ui::CompareView *compare,
                                     QObject *parent)
    : QObject(parent)
    , m_preview(preview)
    , m_compare(compare)
    , m_runner(new JobRunner(this))
    , m_explainRunner(new JobRunner(this))
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(400);
    connect(&m_debounce, &QTimer::timeout, this, &PreviewController::startPreview);
    connect(m_compare, &mpq::ui::CompareView::runRequested, this, &PreviewController::runCompare);
    connect(m_compare, &mpq::ui::CompareView::sweepRequested, this, &PreviewController::runSweep);
    connect(m_compare, &mpq::ui::CompareView::cancelRequested, this,
            &PreviewController::cancelComparison);
    connect(m_runner, &JobRunner::progressChanged, this,
            [this](int id, const QString &stage, double fraction, double secondsLeft) {
                // the time left as the analysis shows it: the JobRunner's TimeLeftEstimator
                // (timeleft.h) on the work-weighted fraction (mpq/work.h; issue 14)
                if (id == m_compareJob)
                    m_compare->setProgress(fraction, stage, mpq::ui::CompareView::AtAllocation,
                                           secondsLeft);
                else if (id == m_sweepJob)
                    m_compare->setProgress(fraction, stage, mpq::ui::CompareView::Sweep,
                                           secondsLeft);
                else
                    m_preview->setPending(tr("%1 %2 %").arg(stage).arg(int(fraction * 100)));
            });
    connect(m_runner, &JobRunner::jobFailed, this, [this](int id, int, const QString &message) {
        // the reason where the result would have been, and to the window (status, warnings)
        if (id == m_compareJob)
            endCompare(tr("Evaluation failed: %1").arg(message));
        else if (id == m_sweepJob)
            endSweep(tr("The sweep failed: %1").arg(message));
        else
            m_preview->setPending(tr("Evaluation failed: %1").arg(message));
        emit failed(message);
    });
    connect(m_runner, &JobRunner::jobCancelled, this, [this](int id) {
        if (id == m_compareJob)
            endCompare(tr("The comparison was cancelled."));
        else if (id == m_sweepJob)
            endSweep(tr("The sweep was cancelled."));
        else
            m_preview->setPending({});
    });
    connect(m_runner, &JobRunner::jobStarted, this, [this](int id) {
        // one job at a time: a newer evaluation supersedes a running comparison or sweep (-1:
        // that job itself is starting)
        if (m_compareJob > 0 && id != m_compareJob)
            endCompare(tr("The comparison was interrupted by a newer evaluation."));
        if (m_sweepJob > 0 && id != m_sweepJob)
            endSweep(tr("The sweep was interrupted by a newer evaluation."));
    });

    // why did this prediction flip: its own runner, so the Preview's evaluations go on
    connect(m_preview, &mpq::ui::PreviewView::explainRequested, this,
            &PreviewController::runExplain);
    connect(m_preview, &mpq::ui::PreviewView::explainCancelRequested, this,
            &PreviewController::cancelExplain);
    connect(m_preview, &mpq::ui::PreviewView::applyExplanationRequested, this,
            &PreviewController::applyExplanation);
    connect(m_preview, &mpq::ui::PreviewView::raiseBudgetRequested, this,
            &PreviewController::applyExplanationWithBudget);
    connect(m_preview, &mpq::ui::PreviewView::clearRunMarksRequested, this,
            &PreviewController::clearRunDiff);
    connect(m_explainRunner, &JobRunner::progressChanged, this,
            [this](int, const QString &stage, double fraction, double) {
                m_preview->setExplainProgress(fraction, stage);
            });
    connect(m_explainRunner, &JobRunner::jobFailed, this, [this](int, int, const QString &message) {
        m_explainJob = 0;
        m_explanation.reset();
        m_preview->setExplainRunning(false);
        m_preview->setExplanationMessage(tr("The explanation failed: %1").arg(message));
        emit explanationUpdated();
    });
    connect(m_explainRunner, &JobRunner::jobCancelled, this, [this](int) {
        m_explainJob = 0;
        m_explanation.reset();
        m_preview->setExplainRunning(false);
        m_preview->setExplanationMessage(tr("The explanation was cancelled."));
        emit explanationUpdated();
    });
}

PreviewController::~PreviewController()
{
    m_runner->disconnect(this); // the pages may be gone already: tell them nothing
    m_explainRunner->disconnect(this);
    m_runner->cancel();
    m_explainRunner->cancel();
    m_runner->waitForWorkers();
    m_explainRunner->waitForWorkers();
}

void PreviewController::setRequest(EvaluationRequest request)
{
    const auto analysisOf = [](const EvaluationRequest &r) {
        return r.quantization ? r.quantization->analysis : nullptr;
    };
    const bool otherModel = request.opened.model != m_request.opened.model ||
                            analysisOf(request) != analysisOf(m_request);
    std::string profile = profileKey(request);
    const bool otherProfile = !otherModel && profile != m_requestProfile;
    m_request = std::move(request);
    m_requestProfile = std::move(profile);
    keepReference(nullptr, m_request); // another model, analysis, folder or profile drops them
    const bool ready =
        m_request.opened.model && m_request.quantization && !m_request.imagesDir.isEmpty();
    checkCompare();
    checkSweep();
    checkExplanation();
    checkRunDiff();
    m_compare->setRunEnabled(ready);
    if (otherModel && ready) // never the previous model's predictions under the new one
        m_preview->setEmptyState(tr("Evaluating the preview for the new model or analysis..."));
    else if (otherProfile && ready) // nor those made with the previous profile
        m_preview->setEmptyState(
            tr("The model profile changed: the preview is evaluated again with it."));
    if (!ready) {
        m_debounce.stop();
        if (m_runner->isBusy())
            m_runner->cancel();
        m_preview->setEmptyState(
            m_request.opened.model && m_request.imagesDir.isEmpty()
                ? tr("Choose a folder of sample images in the Settings panel to preview the "
                     "model's predictions.")
                : tr("Run the analysis: the Preview then shows what the float and the quantized "
                     "model say about the sample images at the current setting."));
        return;
    }
    m_preview->setPending(tr("waiting for %1").arg(m_request.setting));
    m_stale = true;
    if (m_active)
        m_debounce.start();
}

void PreviewController::setActive(bool active)
{
    m_active = active;
    if (active && m_stale && !m_debounce.isActive())
        m_debounce.start();
}

void PreviewController::startPreview()
{
    if (!m_active)
        return;
    m_stale = false;
    ++m_started;
    EvaluationRequest request = m_request;
    keepReference(m_reference, request);
    request.reference = m_reference;
    struct Result
    {
        mpq::ui::PreviewData data;
        std::shared_ptr<const mpq::FloatPredictions> reference;
    };
    m_runner->start(
        tr("Evaluating the preview"),
        [request](const mpq::JobControl &control) {
            Result r;
            r.data = runPreview(request, control, &r.reference);
            return r;
        },
        [this, request](Result r) {
            keepReference(r.reference, request);
            emit evaluationWarnings(toStrings(r.data.result->warnings));
            m_evaluation = r.data.result; // for run snapshots (docs/snapshots.md)
            m_evaluated = request.quantization;
            m_preview->setPreview(std::move(r.data));
            checkAppliedImage(request);
            emit previewUpdated();
        });
}

void PreviewController::runCompare()
{
    if (!m_request.quantization)
        return;
    m_debounce.stop();
    EvaluationRequest request = m_request;
    keepReference(m_reference, request);
    request.reference = m_reference;
    m_compareJob = -1; // this start must not read as a newer job superseding it
    m_compare->setRunning(true, tr("Comparing the methods at %1...").arg(request.setting));
    m_compareJob = m_runner->start(
        tr("Comparing methods"),
        [request](const mpq::JobControl &control) {
            return mpq::studio::runCompare(request, control);
        },
        [this, request](CompareResult r) {
            m_compareJob = 0;
            keepReference(r.reference, request);
            m_compare->setRunning(false);
            emit evaluationWarnings(toStrings(r.warnings));
            m_compare->setFigures(std::move(r.figures), r.metricName, r.setting);
            m_compareModel = request.opened.model;
            m_compareAnalysis = request.quantization->analysis;
            m_compareSetting = request.setting;
            m_compareProfile = profileKey(request);
            checkCompare(); // the setting may have moved on while it ran
            emit compareUpdated();
        });
}

void PreviewController::runSweep()
{
    if (!m_request.quantization)
        return;
    m_debounce.stop();
    EvaluationRequest request = m_request;
    keepReference(m_reference, request);
    request.reference = m_reference;
    const std::vector<double> budgets = defaultSweepBudgets();
    const QString setting = sweepSetting(request, budgets);
    m_sweepJob = -1; // this start must not read as a newer job superseding it
    m_compare->setRunning(true, tr("Sweeping %1...").arg(setting), mpq::ui::CompareView::Sweep);
    m_sweepJob = m_runner->start(
        tr("Sweeping budgets"),
        [request, budgets](const mpq::JobControl &control) {
            return mpq::studio::runSweep(request, budgets, control);
        },
        [this, request, setting](SweepResult r) {
            m_sweepJob = 0;
            keepReference(r.reference, request);
            m_compare->setRunning(false, {}, mpq::ui::CompareView::Sweep);
            emit evaluationWarnings(toStrings(r.warnings));
            m_compare->setSweep(std::move(r.points), r.metricName, setting);
            m_sweepModel = request.opened.model;
            m_sweepAnalysis = request.quantization->analysis;
            m_sweepProfile = profileKey(request);
            m_sweepKey = sweepKey(request);
            m_sweepSetting = setting;
            checkSweep(); // the images or overrides may have moved on while it ran
            emit sweepUpdated();
        });
}

void PreviewController::cancelComparison()
{
    if (m_compareJob != 0 || m_sweepJob != 0)
        m_runner->cancel();
}

QString PreviewController::sweepSetting(const EvaluationRequest &r,
                                        const std::vector<double> &budgets) const
{
    QStringList percents;
    for (double b : budgets)
        percents << mpq::ui::formatPercent(b);
    const int bits = r.quantization ? r.quantization->analysis->settings.bits : 0;
    const std::size_t overrides = r.quantization ? r.quantization->settings.overrides.size() : 0;
    QString text =
        tr("memory budgets %1 at %2 bits").arg(percents.join(QStringLiteral(", "))).arg(bits);
    if (overrides > 0)
        text += tr(" with %n override(s)", nullptr, int(overrides));
    if (!r.imagesDir.isEmpty())
        text += r.testImages ? tr(", on the test images in %1").arg(r.imagesDir)
                             : tr(", on the calibration images");
    return text;
}

void PreviewController::checkSweep()
{
    if (!m_sweepModel)
        return;
    constexpr auto mode = mpq::ui::CompareView::Sweep;
    const auto &analysis = m_request.quantization ? m_request.quantization->analysis : nullptr;
    if (m_request.opened.model != m_sweepModel || analysis != m_sweepAnalysis) {
        m_sweepModel.reset();
        m_sweepAnalysis.reset();
        m_sweepSetting.clear();
        m_compare->setEmptyState(
            m_request.opened.model && analysis
                ? tr("The model or its analysis changed: Run sweep to measure every method on it.")
                : tr("Run the analysis, then Run sweep: every method is measured on the sample "
                     "images at memory budgets from 0 to 50 %, one curve per method."),
            mode);
        return;
    }
    if (m_requestProfile != m_sweepProfile)
        m_compare->setStale(tr("Out of date: the model profile changed since this sweep of %1. "
                               "Run sweep to update it.")
                                .arg(m_sweepSetting),
                            mode);
    else if (sweepKey(m_request) != m_sweepKey)
        m_compare->setStale(tr("Out of date: this sweep is for %1; the images or overrides have "
                               "changed since. Run sweep to update it.")
                                .arg(m_sweepSetting),
                            mode);
    else if (m_compare->isStale(mode))
        m_compare->setCurrent(tr("Sweep for %1").arg(m_sweepSetting), mode);
}

void PreviewController::endSweep(const QString &reason)
{
    constexpr auto mode = mpq::ui::CompareView::Sweep;
    m_sweepJob = 0;
    m_compare->setRunning(false, {}, mode);
    if (m_sweepModel)
        m_compare->setStale(tr("%1 The sweep shown is for %2.").arg(reason, m_sweepSetting), mode);
    else
        m_compare->setEmptyState(tr("%1 Run sweep to start it again.").arg(reason), mode);
}

void PreviewController::checkCompare()
{
    if (!m_compareModel)
        return;
    const auto &analysis = m_request.quantization ? m_request.quantization->analysis : nullptr;
    if (m_request.opened.model != m_compareModel || analysis != m_compareAnalysis) {
        m_compareModel.reset();
        m_compareAnalysis.reset();
        m_compareSetting.clear();
        m_compare->setEmptyState(
            m_request.opened.model && analysis
                ? tr("The model or its analysis changed: Run comparison to measure every method "
                     "on it.")
                : tr("Run the analysis, then Run comparison: every method is measured on the "
                     "sample images at the same memory overhead."));
        return;
    }
    if (m_requestProfile != m_compareProfile)
        m_compare->setStale(tr("Out of date: the model profile changed since these figures for "
                               "%1. Run comparison to update them.")
                                .arg(m_compareSetting));
    else if (m_request.setting != m_compareSetting)
        m_compare->setStale(tr("Out of date: these figures are for %1; the current setting is "
                               "%2. Run comparison to update them.")
                                .arg(m_compareSetting, m_request.setting));
    else if (m_compare->isStale())
        m_compare->setCurrent(tr("Figures for %1").arg(m_compareSetting));
}

void PreviewController::endCompare(const QString &reason)
{
    m_compareJob = 0;
    m_compare->setRunning(false);
    if (m_compareModel)
        m_compare->setStale(tr("%1 The figures shown are for %2.").arg(reason, m_compareSetting));
    else
        m_compare->setEmptyState(tr("%1 Run comparison to start it again.").arg(reason));
}

void PreviewController::keepReference(std::shared_ptr<const mpq::FloatPredictions> reference,
                                      const EvaluationRequest &request)
{
    const auto &analysis = request.quantization ? request.quantization->analysis : nullptr;
    std::string profile = profileKey(request);
    if (request.opened.model != m_referenceModel || analysis != m_referenceAnalysis ||
        request.imagesDir != m_referenceImages || profile != m_referenceProfile) {
        // another profile decodes the float model's outputs otherwise (issue 14)
        m_reference.reset();
        m_referenceModel = request.opened.model;
        m_referenceAnalysis = analysis;
        m_referenceImages = request.imagesDir;
        m_referenceProfile = std::move(profile);
    }
    if (reference)
        m_reference = reference;
}

// ---- why did this prediction flip

void PreviewController::setOverrideTarget(QUndoStack *undo, OverrideApply apply)
{
    m_undo = undo;
    m_applyOverride = std::move(apply);
    m_preview->setApplyAvailable(m_undo && m_applyOverride);
}

void PreviewController::runExplain(int row, mpq::ExplainMode mode)
{
    if (!m_request.opened.model || !m_request.quantization)
        return;
    const mpq::ui::PreviewModel *model = m_preview->model();
    if (row < 0 || row >= model->rowCount())
        return;
    const QString file = model->data(model->index(row), mpq::ui::PreviewModel::FileRole).toString();
    EvaluationRequest request = m_request;
    mpq::ExplainOptions options;
    // what the page compares at: its threshold, over boxes kept above the profile's
    if (model->preview().result && model->preview().result->task == mpq::Task::Detection)
        options.scoreThreshold =
            std::max(model->scoreThreshold(), request.opened.profile.output.scoreThreshold);
    m_explanationApplied = false;
    m_preview->setExplainRunning(
        true, tr("Explaining %1 at %2...").arg(QFileInfo(file).fileName(), request.setting));
    m_explainJob = m_explainRunner->start(
        tr("Explaining the prediction"),
        [request, file, mode, options](const mpq::JobControl &control) {
            return std::make_shared<const mpq::FlipExplanation>(mpq::explainFlip(
                request.opened, *request.quantization, file.toStdString(), mode, control, options));
        },
        [this, request, file](std::shared_ptr<const mpq::FlipExplanation> e) {
            m_explainJob = 0;
            m_explanation = std::move(e);
            m_explainFile = file;
            m_explainModel = request.opened.model;
            m_explainAnalysis = request.quantization->analysis;
            m_explainKey = explainKey(request);
            m_preview->setExplainRunning(false);
            m_preview->setExplanation(*m_explanation, file, request.setting);
            updateRaiseOffer();
            checkExplanation(); // the allocation may have moved on while it ran
            emit explanationUpdated();
        });
}

void PreviewController::cancelExplain()
{
    if (m_explainJob != 0)
        m_explainRunner->cancel();
}

void PreviewController::applyExplanation()
{
    if (!m_explanation || m_explanation->outcome != mpq::ExplainOutcome::Explained || !m_undo ||
        !m_applyOverride || !m_request.quantization)
        return;
    const auto &current = m_request.quantization->settings.overrides;
    OverridesCommand::Overrides before, after;
    for (const auto &[layer, o] : m_explanation->overrides) {
        const auto it = current.find(layer);
        before[layer] =
            it == current.end() ? std::nullopt : std::optional<mpq::LayerOverride>(it->second);
        after[layer] = o;
    }
    m_explanationApplied = true;
    m_appliedCheck = m_explainFile; // the next Preview of this allocation says whether it did
    const int n = int(after.size());
    m_undo->push(new OverridesCommand(std::move(before), std::move(after), m_applyOverride,
                                      tr("Apply the explanation's %n override(s)", nullptr, n)));
    m_preview->setExplanationApplied();
}

void PreviewController::setRuleTarget(RuleApply apply)
{
    m_applyRule = std::move(apply);
    updateRaiseOffer();
}

std::optional<double> PreviewController::raisedBudget() const
{
    if (!m_explanation || m_explanation->outcome != mpq::ExplainOutcome::Explained ||
        !m_applyRule || !m_request.quantization ||
        m_request.quantization->settings.rule != mpq::AllocationRule::Budget)
        return std::nullopt;
    // the set's cost at its pins against what its layers cost now (docs/multipoint.md
    // section 4: the budget rule charges the pins first, so the other layers lose exactly that)
    const mpq::Quantization &q = *m_request.quantization;
    mpq::AllocationSettings pinned = q.settings;
    for (const auto &[layer, o] : m_explanation->overrides)
        pinned.overrides[layer] = o;
    mpq::Allocation then;
    try {
        then = mpq::reallocate(q.analysis, q.atBits, pinned).allocation;
    } catch (const mpq::Error &) {
        return std::nullopt; // a layer of the set no longer exists: nothing to offer
    }
    const mpq::Allocation &now = q.allocation;
    const auto find = [](const mpq::Allocation &a, const std::string &name) {
        const auto it = std::find_if(a.layers.begin(), a.layers.end(),
                                     [&](const mpq::LayerAllocation &l) { return l.name == name; });
        return it == a.layers.end() ? nullptr : &*it;
    };
    const bool memory = q.settings.cost == mpq::BudgetCost::Memory;
    const double unit = memory ? double(now.bits) * double(now.allWeights)
                               : double(std::max<std::int64_t>(1, now.allMacs));
    double delta = 0.0;
    for (const auto &entry : m_explanation->overrides) {
        const mpq::LayerAllocation *a = find(now, entry.first), *b = find(then, entry.first);
        if (!a || !b)
            return std::nullopt;
        delta += memory ? double(b->costBits - a->costBits) : double(b->extraMacs - a->extraMacs);
    }
    if (delta <= 0.0) // e.g. float pins under a MAC budget: they free MACs, plain Apply it is
        return std::nullopt;
    return q.settings.budget + delta / std::max(unit, 1.0);
}

void PreviewController::updateRaiseOffer()
{
    const std::optional<double> budget = raisedBudget();
    if (!budget) {
        m_preview->setRaiseBudgetOffer({});
        return;
    }
    const double now = m_request.quantization->settings.budget;
    m_preview->setRaiseBudgetOffer(
        tr("Raise the budget to %1 and apply").arg(mpq::ui::formatPercent(*budget)),
        tr("Under the budget rule the pins are charged first, so other layers lose points to "
           "pay for them and the image may still differ. This raises the budget from %1 by "
           "what the set costs, to %2, and sets the overrides: one step, Edit > Undo reverts "
           "both.")
            .arg(mpq::ui::formatPercent(now), mpq::ui::formatPercent(*budget)));
}

void PreviewController::applyExplanationWithBudget()
{
    const std::optional<double> budget = raisedBudget();
    if (!budget || !m_undo || !m_applyOverride)
        return;
    const mpq::AllocationSettings &settings = m_request.quantization->settings;
    OverridesCommand::Overrides before, after;
    for (const auto &[layer, o] : m_explanation->overrides) {
        const auto it = settings.overrides.find(layer);
        before[layer] = it == settings.overrides.end()
                            ? std::nullopt
                            : std::optional<mpq::LayerOverride>(it->second);
        after[layer] = o;
    }
    mpq::AllocationSettings ruleBefore = settings;
    ruleBefore.overrides.clear(); // the rule part only: the overrides have their own half
    mpq::AllocationSettings ruleAfter = ruleBefore;
    ruleAfter.budget = *budget;
    m_explanationApplied = true;
    m_appliedCheck = m_explainFile;
    const int n = int(after.size());
    const QString from = mpq::ui::formatPercent(ruleBefore.budget);
    const QString to = mpq::ui::formatPercent(*budget);
    m_undo->push(new OverridesAndRuleCommand(
        std::move(before), std::move(after), m_applyOverride, ruleBefore, ruleAfter, m_applyRule,
        tr("Raise the budget to %1 and apply the explanation's %n override(s)", nullptr, n)
            .arg(to)));
    m_preview->setExplanationApplied(
        tr("Applied as overrides with the budget raised from %1 to %2 (one step: Edit > Undo "
           "reverts both).")
            .arg(from, to));
}

void PreviewController::checkAppliedImage(const EvaluationRequest &evaluated)
{
    if (m_appliedCheck.isEmpty() || !m_explanationApplied || !m_explanation ||
        evaluated.quantization != m_request.quantization || !evaluated.quantization)
        return;
    // only a Preview of an allocation that has the set's overrides tells
    const auto &overrides = evaluated.quantization->settings.overrides;
    for (const auto &[layer, o] : m_explanation->overrides) {
        const auto it = overrides.find(layer);
        if (it == overrides.end() || it->second.kind != o.kind || it->second.points != o.points)
            return;
    }
    const mpq::ui::PreviewModel *model = m_preview->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->data(model->index(row), mpq::ui::PreviewModel::FileRole).toString() !=
            m_appliedCheck)
            continue;
        const QString name = QFileInfo(m_appliedCheck).fileName();
        const bool differs =
            model->data(model->index(row), mpq::ui::PreviewModel::ChangedRole).toBool();
        m_preview->setExplanationCheck(
            differs ? (evaluated.quantization->settings.rule == mpq::AllocationRule::Budget
                           ? tr("Checked on the Preview: %1 still differs from the float "
                                "prediction (other layers paid for the pins).")
                                 .arg(name)
                           : tr("Checked on the Preview: %1 still differs from the float "
                                "prediction.")
                                 .arg(name))
                    : tr("Checked on the Preview: %1 gives the float prediction again.").arg(name));
        m_appliedCheck.clear();
        return;
    }
}

// ---- the images two runs differ on, on Preview

void PreviewController::setRunDiff(const mpq::RunSnapshot &a, const mpq::RunSnapshot &b,
                                   const std::vector<std::string> &labels, bool bIsCurrent)
{
    m_runDiff = mpq::diffSnapshots(a, b);
    m_runA = a;
    m_runB = b;
    m_runLabels = labels;
    m_runDiffModel = m_request.opened.model;
    m_runDiffKey = bIsCurrent ? explainKey(m_request) : QString();
    m_runDiffStale = false;
    showRunMarks();
    emit runDiffChanged();
}

void PreviewController::clearRunDiff()
{
    if (!m_runDiff)
        return;
    m_runDiff.reset();
    m_runA = m_runB = mpq::RunSnapshot();
    m_runLabels.clear();
    m_runDiffModel.reset();
    m_runDiffKey.clear();
    m_runDiffStale = false;
    m_preview->setRunMarks({});
    emit runDiffChanged();
}

void PreviewController::checkRunDiff()
{
    if (!m_runDiff)
        return;
    if (m_request.opened.model != m_runDiffModel) { // another model: the marks mean nothing
        clearRunDiff();
        return;
    }
    const bool stale = !m_runDiffKey.isEmpty() && explainKey(m_request) != m_runDiffKey;
    if (stale == m_runDiffStale)
        return;
    m_runDiffStale = stale;
    showRunMarks();
    emit runDiffChanged();
}

void PreviewController::showRunMarks()
{
    const mpq::SnapshotDiff &d = *m_runDiff;
    mpq::ui::RunMarks marks;
    marks.nameA = QString::fromStdString(m_runA.name);
    marks.nameB = QString::fromStdString(m_runB.name);
    marks.compared = d.imagesCompared;
    for (const mpq::PredictionChange &c : d.images) {
        mpq::ui::RunMark m;
        m.image = QString::fromStdString(c.image);
        for (const mpq::RunSnapshot *s : {&m_runA, &m_runB})
            if (!s->imageRoot.empty())
                m.paths << QString::fromStdString(s->imageRoot + c.image);
        m.caption = runChangeCaption(c, m_runA.task, m_runLabels);
        marks.images.push_back(std::move(m));
    }
    if (!d.predictionsCompared)
        marks.note = tr("Predictions are not compared: both runs must be evaluated on the "
                        "Preview page.");
    else if (m_runDiffStale)
        marks.note = tr("Out of date: B was the current state when marked; the allocation has "
                        "changed since.");
    else if (!d.sameModel)
        marks.note = tr("The runs are of different models.");
    m_preview->setRunMarks(std::move(marks));
}

void PreviewController::checkExplanation()
{
    if (!m_explanation)
        return;
    const auto &analysis = m_request.quantization ? m_request.quantization->analysis : nullptr;
    if (m_request.opened.model != m_explainModel || analysis != m_explainAnalysis) {
        m_explanation.reset();
        m_explainModel.reset();
        m_explainAnalysis.reset();
        m_preview->setExplanationMessage(
            tr("The model or its analysis changed: the explanation was removed."));
        return;
    }
    updateRaiseOffer(); // the rule or the budget may have changed
    if (m_explanationApplied)
        return; // says "applied"; the allocation changed because of it
    m_preview->setExplanationStale(
        explainKey(m_request) != m_explainKey
            ? tr("Out of date: the allocation changed since this explanation.")
            : QString());
}

} // namespace mpq::studio
