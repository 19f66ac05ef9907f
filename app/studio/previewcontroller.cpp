#include "previewcontroller.h"

#include "jobrunner.h"

#include "mpqwidgets/compareview.h"
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

} // namespace

PreviewController::PreviewController(mpq::ui::PreviewView *preview, mpq::ui::CompareView *compare,
                                     QObject *parent)
    : QObject(parent)
    , m_preview(preview)
    , m_compare(compare)
    , m_runner(new JobRunner(this))
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(400);
    connect(&m_debounce, &QTimer::timeout, this, &PreviewController::startPreview);
    connect(m_compare, &mpq::ui::CompareView::runRequested, this, &PreviewController::runCompare);
    connect(m_runner, &JobRunner::progressChanged, this,
            [this](int, const QString &stage, double fraction, double) {
                m_preview->setPending(tr("%1 %2 %").arg(stage).arg(int(fraction * 100)));
            });
    connect(m_runner, &JobRunner::jobFailed, this, [this](int id, int, const QString &message) {
        // the reason where the result would have been, and to the window (status, warnings)
        if (id == m_compareJob)
            endCompare(tr("Evaluation failed: %1").arg(message));
        else
            m_preview->setPending(tr("Evaluation failed: %1").arg(message));
        emit failed(message);
    });
    connect(m_runner, &JobRunner::jobCancelled, this, [this](int id) {
        if (id == m_compareJob)
            endCompare(tr("The comparison was cancelled."));
        else
            m_preview->setPending({});
    });
    connect(m_runner, &JobRunner::jobStarted, this, [this](int id) {
        // one job at a time: a newer evaluation supersedes a running comparison
        if (m_compareJob > 0 && id != m_compareJob) // -1: the comparison itself is starting
            endCompare(tr("The comparison was interrupted by a newer evaluation."));
    });
}

PreviewController::~PreviewController()
{
    m_runner->disconnect(this); // the pages may be gone already: tell them nothing
    m_runner->cancel();
    m_runner->waitForWorkers();
}

void PreviewController::setRequest(EvaluationRequest request)
{
    const auto analysisOf = [](const EvaluationRequest &r) {
        return r.quantization ? r.quantization->analysis : nullptr;
    };
    const bool otherModel = request.opened.model != m_request.opened.model ||
                            analysisOf(request) != analysisOf(m_request);
    m_request = std::move(request);
    const bool ready =
        m_request.opened.model && m_request.quantization && !m_request.imagesDir.isEmpty();
    checkCompare();
    m_compare->setRunEnabled(ready && m_compareJob == 0);
    if (otherModel && ready) // never the previous model's predictions under the new one
        m_preview->setEmptyState(tr("Evaluating the preview for the new model or analysis..."));
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
            m_preview->setPreview(std::move(r.data));
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
            checkCompare(); // the setting may have moved on while it ran
            m_compare->setRunEnabled(true);
            emit compareUpdated();
        });
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
    if (m_request.setting != m_compareSetting)
        m_compare->setStale(tr("Out of date: these figures are for %1; the current setting is "
                               "%2. Run comparison to update them.")
                                .arg(m_compareSetting, m_request.setting));
    else if (m_compare->isStale())
        m_compare->setStale(tr("Figures for %1").arg(m_compareSetting));
}

void PreviewController::endCompare(const QString &reason)
{
    m_compareJob = 0;
    m_compare->setRunning(false);
    m_compare->setRunEnabled(m_request.opened.model && m_request.quantization &&
                             !m_request.imagesDir.isEmpty());
    if (m_compareModel)
        m_compare->setStale(tr("%1 The figures shown are for %2.").arg(reason, m_compareSetting));
    else
        m_compare->setEmptyState(tr("%1 Run comparison to start it again.").arg(reason));
}

void PreviewController::keepReference(std::shared_ptr<const mpq::FloatPredictions> reference,
                                      const EvaluationRequest &request)
{
    const auto &analysis = request.quantization ? request.quantization->analysis : nullptr;
    if (request.opened.model != m_referenceModel || analysis != m_referenceAnalysis ||
        request.imagesDir != m_referenceImages) {
        m_reference.reset();
        m_referenceModel = request.opened.model;
        m_referenceAnalysis = analysis;
        m_referenceImages = request.imagesDir;
    }
    if (reference)
        m_reference = reference;
}

} // namespace mpq::studio
