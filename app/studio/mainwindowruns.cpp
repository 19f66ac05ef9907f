// The main window's pinned runs and their diff (docs/snapshots.md): the actions, the checks
// and the diff windows.
#include "mainwindow.h"

#include "jobrunner.h"
#include "modeldocument.h"
#include "outputactions.h"
#include "previewcontroller.h"
#include "projectactions.h"
#include "rundiffwindow.h"
#include "runspanel.h"
#include "workspacetabs.h"

#include "mpqwidgets/tradeoff.h"

#include "mpq/error.h"
#include "mpq/vocabulary.h"

#include <QDockWidget>
#include <QInputDialog>
#include <QMenuBar>
#include <QStatusBar>

namespace mpq::studio {

void MainWindow::createRunActions(QMenu *analysis, QMenu *view)
{
    analysis->addSeparator();
    m_pinAction = analysis->addAction(QIcon::fromTheme(QStringLiteral("bookmark-new")),
                                      tr("&Pin this run…"), this, &MainWindow::pinRun);
    m_pinAction->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_P);
    m_pinAction->setObjectName(QStringLiteral("pinRunAction"));
    view->addAction(m_runsDock->toggleViewAction());
    connect(m_runs, &RunsPanel::pinRequested, this, &MainWindow::pinRun);
    connect(m_runs, &RunsPanel::diffWithCurrentRequested, this,
            [this](int row) { diffWithCurrent(row); });
    connect(m_runs, &RunsPanel::diffRequested, this, [this](int a, int b) { diffRuns(a, b); });
    // the images two runs differ on, marked on Preview (issue 15, docs/ui.md)
    connect(m_runs, &RunsPanel::markDifferencesRequested, this, [this](int a, int b) {
        const int n = m_runs->model()->rowCount();
        if (a < 0 || a >= n || b >= n)
            return;
        PreviewController *preview = m_outputs->previewController();
        if (b >= 0) {
            preview->setRunDiff(m_runs->model()->snapshot(a), m_runs->model()->snapshot(b),
                                m_document->profile().labels);
        } else {
            QString why;
            if (!canPin(&why)) {
                statusBar()->showMessage(why, 6000);
                return;
            }
            preview->setRunDiff(m_runs->model()->snapshot(a),
                                currentSnapshot(tr("current state").toStdString()),
                                m_document->profile().labels, true);
        }
        m_tabs->setCurrentIndex(WorkspaceTabs::Preview);
    });
    connect(m_runs->model(), &RunsModel::changed, m_project, &ProjectActions::markDirty);
    connect(m_document, &ModelDocument::modelChanged, this, [this] {
        m_runs->model()->setCurrentModel(m_document->model() ? m_document->model()->sha256()
                                                             : std::string());
    });
    for (auto signal : {&ModelDocument::modelChanged, &ModelDocument::analysisChanged,
                        &ModelDocument::allocationChanged, &ModelDocument::ruleChanged})
        connect(m_document, signal, this, &MainWindow::updatePinAvailable);
    connect(m_runner, &JobRunner::busyChanged, this, &MainWindow::updatePinAvailable);
    // a refused allocation leaves the previous one on screen: no longer pinnable
    connect(m_document, &ModelDocument::allocationFailed, this, &MainWindow::updatePinAvailable);
    updatePinAvailable();
}

bool MainWindow::canPin(QString *why) const
{
    const auto &q = m_document->quantization();
    QString reason;
    if (!q)
        reason = tr("Analyze the model first: there is no allocation to pin.");
    else if (q->analysis != m_document->analysis())
        reason = tr("The allocation is being recomputed for the new analysis.");
    else if (mpq::allocationSettingsToJson(q->settings) !=
             mpq::allocationSettingsToJson(m_document->allocationSettings()))
        reason = tr("The allocation shown does not match the settings (being recomputed or "
                    "refused).");
    else if (m_runner->isBusy())
        reason = tr("Wait until the running job ends: it may change the allocation.");
    if (why)
        *why = reason;
    return reason.isEmpty();
}

void MainWindow::updatePinAvailable()
{
    QString why;
    const bool available = canPin(&why);
    m_pinAction->setEnabled(available);
    m_pinAction->setToolTip(available ? tr("Keep the current allocation as a named run") : why);
    m_runs->setPinAvailable(available, why);
}

mpq::RunSnapshot MainWindow::currentSnapshot(const std::string &name, QStringList *notes) const
{
    const auto &q = m_document->quantization();
    const PreviewController *preview = m_outputs->previewController();
    // the Preview's predictions only when they were made for this very allocation
    const bool current = preview->evaluation() && preview->evaluatedQuantization() == q;
    if (!current && notes)
        *notes << tr("Preview not evaluated for this run: its predictions are not compared.");
    return mpq::snapshotOf(*q, name, current ? preview->evaluation().get() : nullptr);
}

void MainWindow::pinRun()
{
    QString why;
    if (!canPin(&why)) {
        statusBar()->showMessage(why, 6000);
        return;
    }
    bool ok = false;
    const QString name = QInputDialog::getText(
        this, tr("Pin this run"), tr("Name of the run:"), QLineEdit::Normal,
        QString::fromStdString(mpq::defaultSnapshotName(m_document->allocationSettings())), &ok);
    if (ok)
        pinRunNamed(name);
}

bool MainWindow::pinRunNamed(const QString &name)
{
    QString why;
    if (!canPin(&why)) {
        statusBar()->showMessage(why, 6000);
        return false;
    }
    const QString n =
        name.trimmed().isEmpty()
            ? QString::fromStdString(mpq::defaultSnapshotName(m_document->allocationSettings()))
            : name.trimmed();
    m_runs->model()->add(currentSnapshot(n.toStdString()));
    m_runsDock->show();
    statusBar()->showMessage(tr("Pinned the run \"%1\".").arg(n), 4000);
    return true;
}

RunDiffWindow *MainWindow::diffWithCurrent(int row)
{
    QString why;
    if (row < 0 || row >= m_runs->model()->rowCount() || !canPin(&why)) {
        statusBar()->showMessage(why, 6000);
        return nullptr;
    }
    QStringList notes;
    const mpq::RunSnapshot current = currentSnapshot(tr("current state").toStdString(), &notes);
    // the Preview marks the images they differ on while the diff is open (issue 15)
    m_outputs->previewController()->setRunDiff(m_runs->model()->snapshot(row), current,
                                               m_document->profile().labels, true);
    return showDiff(m_runs->model()->snapshot(row), current, notes);
}

RunDiffWindow *MainWindow::diffRuns(int rowA, int rowB)
{
    const int n = m_runs->model()->rowCount();
    if (rowA < 0 || rowB < 0 || rowA >= n || rowB >= n)
        return nullptr;
    m_outputs->previewController()->setRunDiff(m_runs->model()->snapshot(rowA),
                                               m_runs->model()->snapshot(rowB),
                                               m_document->profile().labels);
    return showDiff(m_runs->model()->snapshot(rowA), m_runs->model()->snapshot(rowB), {});
}

RunDiffWindow *MainWindow::showDiff(const mpq::RunSnapshot &a, const mpq::RunSnapshot &b,
                                    const QStringList &notes)
{
    // the current analysis' trade-off as the backdrop, only when both runs were made from it
    std::optional<mpq::TradeOffCurves> backdrop;
    const auto &analysis = m_document->analysis();
    const auto madeFrom = [&](const mpq::RunSnapshot &s) {
        return analysis && s.hasAnalysisSettings && s.modelSha256 == analysis->modelSha256 &&
               mpq::analysisSettingsToJson(s.analysis) ==
                   mpq::analysisSettingsToJson(analysis->settings) &&
               s.allocation.bits == analysis->settings.bits;
    };
    if (madeFrom(a) && madeFrom(b)) {
        // as the Allocation page draws it: A's settings (the weighting and corrections its
        // errors were measured with), with the overrides only when both runs share them
        mpq::AllocationSettings plain = a.allocation;
        if (mpq::overridesToJson(a.allocation.overrides) !=
            mpq::overridesToJson(b.allocation.overrides))
            plain.overrides.clear();
        std::vector<mpq::LayerCurves> curves = analysis->curves;
        curves.insert(curves.end(), m_document->extraCurves().begin(),
                      m_document->extraCurves().end());
        try {
            backdrop = mpq::ui::computeTradeOff(curves, plain, 40);
        } catch (const mpq::Error &) {
            backdrop.reset(); // drawn without curves; the window says so
        }
    }
    auto *window = new RunDiffWindow(this);
    window->setAttribute(Qt::WA_DeleteOnClose);
    window->setRuns(a, b, backdrop, m_document->profile().labels, notes);
    window->show();
    window->raise();
    return window;
}

} // namespace mpq::studio
