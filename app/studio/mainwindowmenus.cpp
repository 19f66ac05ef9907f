// The main window's menus, preferences, status bar and dropped files (docs/ui.md).
#include "mainwindow.h"

#include "aboutbox.h"
#include "jobprogresswidget.h"
#include "jobrunner.h"
#include "layerspanel.h"
#include "outputactions.h"
#include "preferencesdialog.h"
#include "projectactions.h"
#include "settingspanel.h"
#include "statussummary.h"
#include "workspacetabs.h"

#include <QAction>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileInfo>
#include <QMenuBar>
#include <QMimeData>
#include <QStatusBar>
#include <QStyle>
#include <QUndoStack>

#include <algorithm>

namespace mpq::studio {

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open =
        file->addAction(QIcon::fromTheme(QStringLiteral("document-open"),
                                         style()->standardIcon(QStyle::SP_DialogOpenButton)),
                        tr("&Open model…"), this, &MainWindow::chooseModel);
    open->setShortcut(QKeySequence::Open);
    file->addAction(tr("Open the &demo detector"), this, &MainWindow::openDemo);
    m_project->addActions(file);
    m_profileAction = file->addAction(tr("Edit model &profile…"), this, &MainWindow::editProfile);
    file->addSeparator();
    m_outputs->addActions(file);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *undo = m_undo->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = m_undo->createRedoAction(this, tr("&Redo"));
    redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence::Redo});
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    QAction *prefs = edit->addAction(tr("&Preferences…"), this, &MainWindow::showPreferences);
    prefs->setShortcut(QKeySequence::Preferences);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    const QStringList pages{tr("&Sensitivity"), tr("&Allocation"), tr("&Channels"),
                            tr("&Preview"),     tr("C&ompare"),    tr("&Graph")};
    for (int i = 0; i < pages.size(); ++i) {
        QAction *a = view->addAction(pages[i], this, [this, i] { m_tabs->setCurrentIndex(i); });
        a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
    }
    view->addSeparator();
    QAction *filter = view->addAction(tr("&Filter layers"), this, [this] {
        m_layersDock->show();
        m_layers->focusFilter();
    });
    filter->setShortcut(QKeySequence::Find);
    view->addSeparator();
    for (QDockWidget *dock : {m_layersDock, m_settingsDock, m_warningsDock})
        view->addAction(dock->toggleViewAction());

    QMenu *analysis = menuBar()->addMenu(tr("&Analysis"));
    m_analyzeAction = analysis->addAction(
        QIcon::fromTheme(QStringLiteral("system-run"), style()->standardIcon(QStyle::SP_MediaPlay)),
        tr("&Analyze"), this, &MainWindow::analyze);
    m_analyzeAction->setShortcut(Qt::CTRL | Qt::Key_R);
    QAction *cancel =
        analysis->addAction(QIcon::fromTheme(QStringLiteral("process-stop"),
                                             style()->standardIcon(QStyle::SP_BrowserStop)),
                            tr("&Cancel"), m_runner, &JobRunner::cancel);
    cancel->setShortcut(Qt::Key_Escape);
    cancel->setEnabled(false);
    connect(m_runner, &JobRunner::busyChanged, cancel, &QAction::setEnabled);
    createRunActions(analysis, view);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *glossary = help->addAction(tr("&Glossary"), this, [this] { showGlossary(this); });
    glossary->setShortcut(QKeySequence::HelpContents);
    glossary->setObjectName(QStringLiteral("glossaryAction"));
    help->addAction(tr("&About MPQ Studio"), this, [this] { showAboutBox(this); });
}

void MainWindow::showPreferences()
{
    auto *dialog = new PreferencesDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { applyPreferences(dialog->preferences()); });
    dialog->open();
}

void MainWindow::applyPreferences(const Preferences &p)
{
    mpq::AnalysisSettings s = m_settings->analysisSettings();
    s.bits = p.bits;
    s.maxPoints = p.maxPoints;
    m_settings->setAnalysisSettings(s);
    // by default one core stays with the GUI thread, so the window keeps responding
    m_runner->setThreadCount(p.threads > 0 ? p.threads
                                           : std::max(1, QThread::idealThreadCount() - 1));
    m_cacheLimitBytes = p.cacheLimitBytes();
}

mpq::AnalysisCache MainWindow::analysisCache() const
{
    return mpq::AnalysisCache({}, m_cacheLimitBytes);
}

void MainWindow::offerRecovery()
{
    m_project->offerRecovery();
}

void MainWindow::createStatusBar()
{
    statusBar()->addWidget(m_progress);
    statusBar()->addPermanentWidget(m_summary);
    connect(m_summary, &StatusSummary::warningsClicked, this,
            [this] { m_warningsDock->setVisible(!m_warningsDock->isVisible()); });
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls() && event->mimeData()->urls().size() == 1 &&
        event->mimeData()->urls().front().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QString path = event->mimeData()->urls().front().toLocalFile();
    const QFileInfo info(path);
    if (info.isDir()) {
        m_settings->setImagesDir(info.absoluteFilePath());
        statusBar()->showMessage(tr("Calibration images: %1").arg(info.absoluteFilePath()), 5000);
    } else {
        openModel(path); // with its own folder, never the open model's
    }
    event->acceptProposedAction();
}

} // namespace mpq::studio
