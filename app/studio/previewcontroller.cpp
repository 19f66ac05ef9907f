#include "previewcontroller.h"

#include "jobrunner.h"

#include "mpqwidgets/compareview.h"
#include "mpqwidgets/previewview.h"

namespace mpq::studio {

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
        m_preview->setPending(tr("evaluation failed"));
        m_compare->setRunning(false);
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
    const bool ready = m_request.model && m_request.analysis && m_request.allocation &&
                       !m_request.imagesDir.isEmpty();
    m_compare->setRunEnabled(ready);
    if (!ready) {
        m_debounce.stop();
        if (m_runner->isBusy())
            m_runner->cancel();
        m_preview->setEmptyState(
            m_request.model && m_request.imagesDir.isEmpty()
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
    const EvaluationRequest request = m_request;
    m_runner->start(
        tr("Evaluating the preview"),
        [request](const mpq::JobControl &control) {
            return std::any(runPreview(request, control));
        },
        [this](std::any result) {
            m_preview->setPreview(std::any_cast<mpq::ui::PreviewData>(std::move(result)));
            emit previewUpdated();
        });
}

void PreviewController::runCompare()
{
    if (!m_request.analysis)
        return;
    m_debounce.stop();
    const EvaluationRequest request = m_request;
    m_compare->setRunning(true, tr("Comparing the methods at %1...").arg(request.setting));
    m_runner->start(
        tr("Comparing methods"),
        [request](const mpq::JobControl &control) {
            return std::any(mpq::studio::runCompare(request, control));
        },
        [this](std::any result) {
            auto r = std::any_cast<CompareResult>(std::move(result));
            m_compare->setRunning(false);
            m_compare->setFigures(std::move(r.figures), r.metricName, r.setting);
            emit compareUpdated();
        });
}

} // namespace mpq::studio
