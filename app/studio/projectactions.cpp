#include "projectactions.h"

#include "autosave.h"
#include "layerspanel.h"
#include "mainwindow.h"
#include "modeldocument.h"
#include "recentfiles.h"
#include "runspanel.h"
#include "settingspanel.h"
#include "workspacetabs.h"

#include "mpq/error.h"
#include "mpq/pipeline.h"
#include "mpqwidgets/thresholdcontrol.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>

#include <utility>

namespace mpq::studio {

void ProjectActions::warn(const QString &title, const QString &text)
{
    // window-modal and non-blocking: the event loop (and any job) keeps running
    auto *box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, m_window);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    emit warned(text);
}

ProjectActions::ProjectActions(MainWindow *window, const QString &autosaveFolder)
    : QObject(window)
    , m_window(window)
{
    if (autosaveFolder.isEmpty())
        return;
    m_recovery = Autosave::pendingRecovery(autosaveFolder);
    m_autosave = new Autosave(
        autosaveFolder, [this] { return snapshot(); }, this);
    connect(m_autosave, &Autosave::failed, this, [this](const QString &message) {
        m_window->statusBar()->showMessage(tr("Autosave failed: %1").arg(message), 8000);
    });
}

void ProjectActions::addActions(QMenu *menu)
{
    QAction *openAction = menu->addAction(
        QIcon::fromTheme(QStringLiteral("document-open")), tr("Open p&roject…"), this, [this] {
            const QString path =
                QFileDialog::getOpenFileName(m_window, tr("Open project"), QFileInfo(m_path).path(),
                                             tr("MPQ Studio projects (*.mpqproj)"));
            if (!path.isEmpty())
                this->open(path);
        });
    openAction->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_O);
    const auto saveAs = [this] {
        QString path = QFileDialog::getSaveFileName(
            m_window, tr("Save project"),
            m_path.isEmpty()
                ? QFileInfo(m_window->document()->path()).completeBaseName() + ".mpqproj"
                : m_path,
            tr("MPQ Studio projects (*.mpqproj)"));
        if (path.isEmpty())
            return;
        if (QFileInfo(path).suffix().isEmpty())
            path += QStringLiteral(".mpqproj");
        saveTo(path);
    };
    QAction *save = menu->addAction(QIcon::fromTheme(QStringLiteral("document-save")),
                                    tr("&Save project"), this, [this, saveAs] {
                                        if (m_path.isEmpty())
                                            saveAs();
                                        else
                                            saveTo(m_path);
                                    });
    save->setShortcut(QKeySequence::Save);
    QAction *as = menu->addAction(tr("Save project &as…"), this, saveAs);
    as->setShortcut(QKeySequence::SaveAs);
}

std::optional<Project> ProjectActions::snapshot() const
{
    const ModelDocument *d = m_window->document();
    if (!d->model())
        return std::nullopt;
    Project p;
    p.modelPath = QFileInfo(d->path()).absoluteFilePath();
    p.modelSha256 = QString::fromStdString(d->model()->sha256());
    p.imagesDir = m_window->settingsPanel()->imagesDir();
    p.hasProfile = true;
    p.profile = d->profile();
    p.analysis = m_window->settingsPanel()->analysisSettings();
    p.allocation = d->allocationSettings();
    p.page = m_window->workspace()->currentIndex();
    p.selectedLayers = m_window->layersPanel()->selectedLayers();
    p.snapshots = m_window->runsPanel()->model()->snapshots(); // docs/snapshots.md
    return p;
}

bool ProjectActions::saveTo(const QString &path)
{
    std::optional<Project> p = snapshot();
    if (!p) {
        warn(tr("Save project"), tr("Open a model first."));
        return false;
    }
    try {
        if (const auto &analysis = m_window->document()->analysis()) {
            const QFileInfo info(path);
            p->analysisPath = info.absolutePath() + "/" + info.completeBaseName() + ".mpqa";
            p->analysis = analysis->settings;
            mpq::saveAnalysis(*analysis, &p->allocation, p->analysisPath.toStdString());
        }
        saveProject(*p, path);
    } catch (const mpq::Error &e) {
        warn(tr("Save project"), QString::fromUtf8(e.what()));
        return false;
    }
    m_path = path;
    RecentFiles::add(QFileInfo(path).absoluteFilePath(), {}); // saved projects are recent files
    if (m_autosave)
        m_autosave->discard();
    m_window->statusBar()->showMessage(tr("Saved %1").arg(path), 4000);
    return true;
}

void ProjectActions::open(const QString &path)
{
    try {
        const Project p = loadProject(path);
        if (!QFileInfo::exists(p.modelPath)) {
            warn(tr("Open project"), tr("%1: %2").arg(path, modelProblem(p, false, {})));
            return;
        }
        m_path = path;
        restore(p);
    } catch (const mpq::Error &e) {
        warn(tr("Open project"), QString::fromUtf8(e.what()));
    }
}

void ProjectActions::restore(const Project &project)
{
    m_window->settingsPanel()->setAnalysisSettings(project.analysis);
    // once the model is open (one shot), apply the rest
    auto *connection = new QMetaObject::Connection;
    *connection = connect(m_window, &MainWindow::modelOpened, this, [this, project, connection] {
        disconnect(*connection);
        delete connection;
        finishRestore(project);
    });
    m_window->openModel(project.modelPath, project.imagesDir);
}

void ProjectActions::finishRestore(const Project &project)
{
    ModelDocument *d = m_window->document();
    const QString problem =
        modelProblem(project, true, QString::fromStdString(d->model()->sha256()));
    if (!problem.isEmpty())
        warn(tr("Open project"), problem);
    if (project.hasProfile)
        d->setProfile(project.profile);
    if (problem.isEmpty() && !project.analysisPath.isEmpty() &&
        QFileInfo::exists(project.analysisPath)) {
        try {
            d->setAnalysis(mpq::loadAnalysisFor(project.analysisPath.toStdString(), d->opened(),
                                                project.analysis));
        } catch (const mpq::Error &e) {
            m_window->statusBar()->showMessage(
                tr("The saved analysis was not used: %1").arg(QString::fromUtf8(e.what())), 10000);
        }
    }
    if (d->analysis()) {
        mpq::AllocationSettings rule = project.allocation;
        rule.overrides.clear();
        d->setAllocationRule(rule);
        m_window->settingsPanel()->thresholdControl()->setSettings(project.allocation);
        for (const auto &[layer, o] : project.allocation.overrides)
            m_window->requestOverride(layer, o);
    }
    m_window->workspace()->setCurrentIndex(project.page);
    m_window->layersPanel()->selectLayers(project.selectedLayers);
    m_window->runsPanel()->model()->setSnapshots(project.snapshots);
    emit restored();
}

void ProjectActions::offerRecovery()
{
    if (!m_recovery)
        return;
    const Project p = *std::exchange(m_recovery, std::nullopt);
    const auto answer = QMessageBox::question(
        m_window, tr("Recover the last session?"),
        tr("MPQ Studio did not close cleanly. Restore the project you were working on (%1)?")
            .arg(QFileInfo(p.modelPath).fileName()));
    if (answer == QMessageBox::Yes && QFileInfo::exists(p.modelPath))
        restore(p);
    else if (m_autosave)
        m_autosave->discard();
}

void ProjectActions::markDirty()
{
    if (m_autosave)
        m_autosave->markDirty();
}

void ProjectActions::closeCleanly()
{
    if (m_autosave)
        m_autosave->discard();
}

} // namespace mpq::studio
