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
    connect(m_runner, &JobRunner::jobFailed, this, [this](int, int, const QString &message) {
        // the reason where the result would have been, and to the window (status, warnings)
        m_preview->setPending(tr("Evaluation failed: %1").arg(message));
        m_compare->setRunning(false);
        m_compare->setEmptyState(tr("Evaluation failed: %1").arg(message));
        emit failed(message);
    });
    connect(m_runner, &JobRunner::jobCancelled, this, [this](int) {
        m_preview->setPending({});
        m_compare->setRunning(false);
    });
}

PreviewController::~PreviewController()
{
    m_runner->cancel();
    m_runner->waitForWorkers();
}

void PreviewController::setRequest(EvaluationRequest request)
{
    m_request = std::move(request);
    const bool ready =
        m_request.opened.model && m_request.quantization && !m_request.imagesDir.isEmpty();
    m_compare->setRunEnabled(ready);
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
            return std::any(std::move(r));
        },
        [this, request](std::any result) {
            auto r = std::any_cast<Result>(std::move(result));
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
    m_compare->setRunning(true, tr("Comparing the methods at %1...").arg(request.setting));
    m_runner->start(
        tr("Comparing methods"),
        [request](const mpq::JobControl &control) {
            return std::any(mpq::studio::runCompare(request, control));
        },
        [this, request](std::any result) {
            auto r = std::any_cast<CompareResult>(std::move(result));
            keepReference(r.reference, request);
            m_compare->setRunning(false);
            emit evaluationWarnings(toStrings(r.warnings));
            m_compare->setFigures(std::move(r.figures), r.metricName, r.setting);
            emit compareUpdated();
        });
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
