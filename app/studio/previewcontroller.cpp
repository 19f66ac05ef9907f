#include "previewcontroller.h"

#include "jobrunner.h"

#include "mpq/vocabulary.h"
#include "mpqwidgets/compareview.h"
#include "mpqwidgets/numberformat.h"
#include "mpqwidgets/previewview.h"

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

QString PreviewController::explainKey(const EvaluationRequest &r)
{
    return r.setting + QLatin1Char('\n') +
           (r.quantization
                ? QString::fromStdString(mpq::overridesToJson(r.quantization->settings.overrides))
                : QString());
}

} // namespace mpq::studio
