#include "mainwindow.h"

#include "jobprogresswidget.h"
#include "jobrunner.h"
#include "layerspanel.h"
#include "modeldocument.h"
#include "outputactions.h"
#include "preferencesdialog.h"
#include "previewcontroller.h"
#include "profiledialog.h"
#include "projectactions.h"
#include "recentfiles.h"
#include "runspanel.h"
#include "settingspanel.h"
#include "startpage.h"
#include "statussummary.h"
#include "studiojobs.h"
#include "undocommands.h"
#include "warningspanel.h"
#include "workspacetabs.h"

#include "mpqwidgets/layertablemodel.h"
#include "mpqwidgets/numberformat.h"
#include "mpqwidgets/sensitivityplot.h"
#include "mpqwidgets/thresholdcontrol.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>
#include <QUndoStack>

#include <utility>

namespace mpq::studio {

namespace {
// Bump when docks are added or renamed: an older saved layout is then ignored.
constexpr int kStateVersion = 2;
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_document(new ModelDocument(this))
    , m_runner(new JobRunner(this))
    , m_central(new QStackedWidget(this))
    , m_startPage(new StartPage(this))
    , m_tabs(new WorkspaceTabs(m_document, this))
    , m_layers(new LayersPanel(this))
    , m_settings(new SettingsPanel(this))
    , m_warnings(new WarningsPanel(this))
    , m_progress(new JobProgressWidget(m_runner, this))
    , m_summary(new StatusSummary(this))
    , m_recentTimer(new QTimer(this))
{
    m_central->addWidget(m_startPage);
    m_central->addWidget(m_tabs);
    setCentralWidget(m_central);
    setAcceptDrops(true);
    createDocks();
    m_outputs = new OutputActions(m_document, m_tabs, m_settings, m_layers, this);
    m_project =
        new ProjectActions(this, QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                                     QStringLiteral("/autosave"));
    m_undo = new QUndoStack(this);
    // Preview's "Apply as overrides" of an explained flip: one undoable step (docs/ui.md)
    m_outputs->previewController()->setOverrideTarget(
        m_undo, [this](const std::string &layer, std::optional<mpq::LayerOverride> o) {
            applyOverride(layer, o);
        });
    // ... and "Raise the budget by the set's cost and apply": overrides and budget, one step
    m_outputs->previewController()->setRuleTarget(
        [this](const mpq::AllocationSettings &s) { applyRule(s); });
    createActions();
    createStatusBar();
    m_recentTimer->setSingleShot(true);
    m_recentTimer->setInterval(500);

    connect(m_startPage, &StartPage::demoRequested, this, &MainWindow::openDemo);
    connect(m_startPage, &StartPage::openRequested, this, &MainWindow::chooseModel);
    connect(m_startPage, &StartPage::recentRequested, this,
            [this](const QString &path, const QString &images) { openModel(path, images); });
    connect(m_startPage, &StartPage::recentProjectRequested, this,
            [this](const QString &path) { m_project->open(path); });
    connect(m_settings, &SettingsPanel::analyzeRequested, this, &MainWindow::analyze);
    connect(m_settings, &SettingsPanel::cancelRequested, m_runner, &JobRunner::cancel);
    connect(m_runner, &JobRunner::busyChanged, m_settings, &SettingsPanel::setBusy);
    connect(m_runner, &JobRunner::jobFailed, this,
            [this](int, int, const QString &message) { showError(tr("MPQ Studio"), message); });
    connect(m_runner, &JobRunner::jobCancelled, this,
            [this] { statusBar()->showMessage(tr("Cancelled; nothing changed."), 4000); });
    connect(m_settings->thresholdControl(), &mpq::ui::ThresholdControl::settingsChanged, this,
            &MainWindow::applyThreshold);
    connect(m_settings, &SettingsPanel::biasCorrectionToggled, this, &MainWindow::applyThreshold);
    connect(m_settings, &SettingsPanel::taskAwareChanged, this, &MainWindow::applyThreshold);
    connect(m_tabs->sensitivityPlot(), &mpq::ui::SensitivityPlot::epsilonDragged, this,
            [this](double epsilon) {
                // the document takes the new epsilon; the control shows it when told (ruleChanged)
                mpq::AllocationSettings before = m_document->allocationSettings();
                before.overrides.clear();
                mpq::AllocationSettings after = before;
                after.epsilon = epsilon;
                m_undo->push(new RuleCommand(
                    before, after, [this](const mpq::AllocationSettings &s) { applyRule(s); }));
            });
    connect(m_layers, &LayersPanel::selectionChanged, m_tabs, &WorkspaceTabs::setSelectedLayers);
    // a row of the ranking or a curve clicked: selected everywhere, through the Layers table
    connect(m_tabs, &WorkspaceTabs::layersChosen, m_layers, &LayersPanel::selectLayers);
    connect(m_settings, &SettingsPanel::imagesDirChanged, m_outputs, &OutputActions::refresh);
    // a profile edit: Preview and Compare results and the float predictions are out of date
    connect(m_document, &ModelDocument::profileChanged, m_outputs, &OutputActions::refresh);
    connect(m_settings, &SettingsPanel::testImagesDirChanged, this, [this](const QString &dir) {
        if (!m_document->path().isEmpty())
            RecentFiles::setTestImages(m_document->path(), dir);
        m_outputs->refresh();
    });
    // data flows one way (docs/architecture.md): the rule lives in the document, the control
    // shows it
    connect(m_document, &ModelDocument::ruleChanged, this, [this] {
        m_settings->thresholdControl()->setSettings(m_document->allocationSettings());
        m_settings->setBiasCorrection(m_document->allocationSettings().biasCorrection);
        m_settings->setSensitivityWeighted(m_document->allocationSettings().sensitivityWeighted);
        m_settings->setMacCap(m_document->allocationSettings().macCap);
    });
    connect(m_outputs, &OutputActions::failed, this, [this](const QString &message) {
        statusBar()->showMessage(message, 10000);
        m_warnings->setEvaluation({tr("Evaluation failed: %1").arg(message)});
        m_warningsDock->show();
    });
    connect(m_outputs, &OutputActions::evaluationWarnings, m_warnings,
            &WarningsPanel::setEvaluation);
    connect(m_warnings, &WarningsPanel::countChanged, this, [this](int count) {
        m_summary->setWarningCount(count);
        if (count == 0)
            m_warningsDock->hide();
    });
    connect(m_outputs, &OutputActions::evaluationWarnings, this, [this](const QStringList &w) {
        if (!w.isEmpty())
            m_warningsDock->show(); // an evaluation's warnings are news: show them
    });
    connect(m_layers, &LayersPanel::overrideRequested, this, &MainWindow::onOverrideRequested);
    connect(m_document, &ModelDocument::analysisChanged, this, &MainWindow::onAnalysisChanged);
    connect(m_document, &ModelDocument::allocationChanged, this, &MainWindow::onAllocationChanged);
    connect(m_document, &ModelDocument::allocationFailed, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    connect(m_recentTimer, &QTimer::timeout, this, &MainWindow::saveRecentCost);
    m_settings->thresholdControl()->setSettings(m_document->allocationSettings());
    applyPreferences(Preferences::load());
    for (auto signal : {&ModelDocument::analysisChanged, &ModelDocument::allocationChanged})
        connect(m_document, signal, m_project, &ProjectActions::markDirty);
    connect(m_document, &ModelDocument::modelChanged, m_undo, &QUndoStack::clear);
    showWorkspace(false);
    updateTitle();
    resize(1400, 860);
    // window geometry and docks, versioned: a layout from another version is ignored
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray(), kStateVersion);
}

MainWindow::~MainWindow()
{
    // Workers hold shared pointers only; make them stop before the widgets go.
    m_runner->cancel();
    m_runner->waitForWorkers();
}

void MainWindow::createDocks()
{
    m_layersDock = new QDockWidget(tr("Layers"), this);
    m_layersDock->setObjectName(QStringLiteral("layersDock"));
    m_layersDock->setWidget(m_layers);
    addDockWidget(Qt::LeftDockWidgetArea, m_layersDock);
    m_settingsDock = new QDockWidget(tr("Settings"), this);
    m_settingsDock->setObjectName(QStringLiteral("settingsDock"));
    m_settingsDock->setWidget(m_settings);
    addDockWidget(Qt::RightDockWidgetArea, m_settingsDock);
    m_warningsDock = new QDockWidget(tr("Warnings"), this);
    m_warningsDock->setObjectName(QStringLiteral("warningsDock"));
    m_warningsDock->setWidget(m_warnings);
    addDockWidget(Qt::BottomDockWidgetArea, m_warningsDock);
    // pinned runs (docs/snapshots.md), under the Settings
    m_runs = new RunsPanel(this);
    m_runsDock = new QDockWidget(tr("Runs"), this);
    m_runsDock->setObjectName(QStringLiteral("runsDock"));
    m_runsDock->setWidget(m_runs);
    addDockWidget(Qt::RightDockWidgetArea, m_runsDock);
    resizeDocks({m_layersDock, m_settingsDock}, {560, 300}, Qt::Horizontal);
}

QString MainWindow::samplesFolder()
{
    const QString installed =
        QCoreApplication::applicationDirPath() + QStringLiteral("/../share/mpq-studio/samples");
    if (QFileInfo::exists(installed))
        return QDir(installed).canonicalPath();
    return QStringLiteral(MPQ_SOURCE_SAMPLES_DIR);
}

void MainWindow::openDemo()
{
    const QString samples = samplesFolder();
    openModel(samples + QStringLiteral("/centernet/centernet_mbv3.pt"),
              samples + QStringLiteral("/images"));
    m_analyzeWhenOpened = true; // after openModel, which clears it
}

void MainWindow::chooseModel()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open model"), QFileInfo(m_document->path()).absolutePath(),
        tr("Models (*.pt *.pth *.torchscript *.onnx);;TorchScript (*.pt *.pth *.torchscript);;ONNX "
           "(*.onnx);;All files (*)"));
    if (!path.isEmpty())
        openModel(path);
}

void MainWindow::openModel(const QString &path, const QString &imagesDir)
{
    m_analyzeWhenOpened = false;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QString images = imagesDir.isEmpty() ? RecentFiles::imagesFor(absolute) : imagesDir;
    if (!images.isEmpty())
        images = QFileInfo(images).absoluteFilePath();
    const mpq::AnalysisSettings settings = m_settings->analysisSettings();
    const mpq::AnalysisCache cache = analysisCache();
    m_runner->start(
        tr("Opening %1").arg(QFileInfo(path).fileName()),
        [absolute, images, settings, cache](const mpq::JobControl &control) {
            return mpq::studio::openModel(absolute, images, settings, cache, control);
        },
        [this, images](const OpenedModel &opened) { onModelOpened(opened, images); });
}

void MainWindow::onModelOpened(const OpenedModel &opened, const QString &imagesDir)
{
    if (!opened.profileError.isEmpty()) {
        const auto answer = QMessageBox::question(
            this, tr("Unreadable model profile"),
            tr("%1\n\nReplace it with a new profile?").arg(opened.profileError));
        if (answer != QMessageBox::Yes)
            return;
    }
    if (!opened.hasProfile || !opened.profileError.isEmpty()) {
        askForProfile(opened, imagesDir);
        return;
    }
    applyOpenedModel(opened, imagesDir);
}

void MainWindow::askForProfile(const OpenedModel &opened, const QString &imagesDir)
{
    auto *dialog = new ProfileDialog(opened.path, ProfileDialog::guess(*opened.model), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, opened, imagesDir] {
        OpenedModel withProfile = opened;
        withProfile.hasProfile = true;
        withProfile.profile = dialog->profile();
        withProfile.profileError.clear();
        applyOpenedModel(withProfile, imagesDir);
    });
    dialog->open();
}

void MainWindow::applyOpenedModel(const OpenedModel &opened, const QString &imagesDir)
{
    if (m_recentTimer->isActive()) { // the previous model's last rule and cost
        m_recentTimer->stop();
        saveRecentCost();
    }
    m_document->setModel(opened.model, opened.profile, opened.path, opened.fileSize);
    // the model's own rule and folders, never the previous model's (issue 14)
    m_document->setAllocationRule(
        RecentFiles::ruleFor(opened.path).value_or(ModelDocument::defaultRule()));
    m_settings->setTestImagesDir(RecentFiles::testImagesFor(opened.path));
    m_layers->tableModel()->setLayers(opened.model->layers());
    m_layers->tableModel()->setAllocation(nullptr);
    m_layers->tableModel()->setOverrides({});
    m_layers->setMaxPoints(0);
    m_settings->setImagesDir(imagesDir); // empty: this model has none yet
    RecentFiles::add(opened.path, imagesDir);
    m_startPage->refresh();
    m_summary->setModel(opened.path, static_cast<int>(opened.model->layers().size()),
                        opened.fileSize);
    showWorkspace(true);
    m_outputs->refresh();
    if (opened.cachedAnalysis) {
        m_settings->setApplied(opened.cachedAnalysis->settings, imagesDir);
        m_document->setAnalysis(opened.cachedAnalysis);
        statusBar()->showMessage(tr("Loaded the cached analysis for these settings."), 5000);
    }
    emit modelOpened();
    if (opened.cachedAnalysis)
        emit analysisFinished();
    else if (std::exchange(m_analyzeWhenOpened, false))
        analyze();
}

void MainWindow::analyze()
{
    if (!m_document->model()) {
        showError(tr("Nothing to analyze"), tr("Open a model first (Ctrl+O)."));
        return;
    }
    const QString images = m_settings->imagesDir();
    if (images.isEmpty() || !QFileInfo(images).isDir()) {
        showError(tr("No calibration images"),
                  images.isEmpty() ? tr("Choose a folder of calibration images in the Settings "
                                        "panel.")
                                   : tr("%1: no such folder").arg(images));
        return;
    }
    AnalysisRequest request{m_document->model(), m_document->profile(),
                            QFileInfo(images).absoluteFilePath(), m_settings->analysisSettings(),
                            analysisCache()};
    RecentFiles::add(m_document->path(), request.imagesDir);
    const auto model = m_document->model();
    m_runner->start(
        tr("Analyzing"),
        [request](const mpq::JobControl &control) { return runAnalysis(request, control); },
        [this, model, request](const AnalysisResult &r) {
            if (model != m_document->model())
                return; // another model was opened meanwhile
            m_settings->setApplied(request.settings, request.imagesDir);
            m_document->setAnalysis(r.analysis);
            statusBar()->showMessage(
                r.fromCache ? tr("Loaded the cached analysis for these settings.")
                            : tr("Analysis finished in %1 s.").arg(r.analysis->seconds, 0, 'f', 1),
                5000);
            emit analysisFinished();
        });
}

void MainWindow::showAnalysis(std::shared_ptr<const mpq::Analysis> analysis)
{
    if (!m_document->model())
        m_layers->tableModel()->setLayers(analysis->layers);
    m_document->setAnalysis(std::move(analysis));
    showWorkspace(true);
}

void MainWindow::onAnalysisChanged()
{
    const auto &analysis = m_document->analysis();
    if (!analysis)
        m_settings->setApplied(std::nullopt);
    m_layers->setMaxPoints(analysis ? analysis->settings.maxPoints : 0);
    m_layers->tableModel()->setOverrides(m_document->allocationSettings().overrides);
    m_warnings->setModelAndAnalysis(m_document->model() ? m_document->model()->warnings()
                                                        : std::vector<std::string>{},
                                    analysis ? analysis->warnings : std::vector<std::string>{});
}

void MainWindow::applyThreshold()
{
    // the rule part only; overrides have their own commands
    mpq::AllocationSettings before = m_document->allocationSettings();
    before.overrides.clear();
    mpq::AllocationSettings after = m_settings->thresholdControl()->settings();
    after.bits = before.bits;
    after.biasCorrection = m_settings->biasCorrection();           // docs/multipoint.md section 9
    after.sensitivityWeighted = m_settings->sensitivityWeighted(); // section 8
    after.macCap = m_settings->macCap();
    m_undo->push(
        new RuleCommand(before, after, [this](const mpq::AllocationSettings &s) { applyRule(s); }));
}

void MainWindow::applyRule(const mpq::AllocationSettings &rule)
{
    // the control and the plots observe the document (ruleChanged, allocationChanged)
    m_document->setAllocationRule(rule);
}

void MainWindow::onAllocationChanged()
{
    const auto &allocation = m_document->allocation();
    m_layers->tableModel()->setAllocation(allocation);
    m_summary->setAllocation(allocation);
    m_warnings->setAllocation(allocation ? allocation->warnings : std::vector<std::string>{});
    if (allocation)
        m_recentTimer->start();
    m_outputs->refresh();
    updateTitle();
}

void MainWindow::onOverrideRequested(const std::string &layer, std::optional<mpq::LayerOverride> o)
{
    if (!m_document->analysis())
        return;
    const auto &overrides = m_document->allocationSettings().overrides;
    const auto it = overrides.find(layer);
    const std::optional<mpq::LayerOverride> before =
        it == overrides.end() ? std::nullopt : std::optional<mpq::LayerOverride>(it->second);
    m_undo->push(new OverrideCommand(
        layer, before, o, [this](const std::string &l, std::optional<mpq::LayerOverride> v) {
            applyOverride(l, v);
        }));
}

void MainWindow::requestOverride(const std::string &layer, std::optional<mpq::LayerOverride> o)
{
    applyOverride(layer, o);
}

void MainWindow::applyOverride(const std::string &layer, std::optional<mpq::LayerOverride> o)
{
    const auto &analysis = m_document->analysis();
    if (!analysis)
        return;
    const auto apply = [this, layer, o] {
        m_document->setOverride(layer, o);
        m_layers->tableModel()->setOverrides(m_document->allocationSettings().overrides);
    };
    if (!o || o->kind != mpq::LayerOverride::Kind::Bits || m_document->hasCurves(layer, o->bits)) {
        apply();
        return;
    }
    if (m_runner->isBusy()) {
        statusBar()->showMessage(tr("Wait for the running job, or cancel it (Esc)."), 5000);
        return;
    }
    const int index = m_document->layerIndex(layer);
    if (!m_document->model() || index < 0)
        return;
    const auto model = m_document->model();
    const auto profile = m_document->profile();
    const int bits = o->bits;
    m_runner->start(
        tr("Curves of %1 at %2 bits").arg(QString::fromStdString(layer)).arg(bits),
        [model, profile, analysis, index, bits](const mpq::JobControl &control) {
            return runLayerAtBits(model, profile, analysis, static_cast<std::size_t>(index), bits,
                                  control);
        },
        [this, analysis, apply](const std::vector<mpq::LayerAtBits> &layers) {
            if (analysis != m_document->analysis())
                return;
            m_document->addLayersAtBits(layers);
            apply();
        });
}

void MainWindow::editProfile()
{
    if (!m_document->model())
        return;
    auto *dialog = new ProfileDialog(m_document->path(), m_document->profile(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { m_document->setProfile(dialog->profile()); });
    dialog->open();
}

void MainWindow::showError(const QString &title, const QString &message)
{
    // Window-modal and non-blocking: the event loop (and any job) keeps running.
    auto *box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    emit errorShown(message);
}

void MainWindow::updateTitle()
{
    if (m_document->path().isEmpty()) {
        setWindowTitle(tr("MPQ Studio"));
        return;
    }
    const QString name = QFileInfo(m_document->path()).fileName();
    const auto &a = m_document->allocation();
    setWindowTitle(a ? tr("%1 — %2 memory, %3 — MPQ Studio")
                           .arg(name, mpq::ui::formatPercent(a->memoryOverhead),
                                mpq::ui::formatBits(a->effectiveBits))
                     : tr("%1 — MPQ Studio").arg(name));
}

void MainWindow::showWorkspace(bool workspace)
{
    m_central->setCurrentWidget(workspace ? static_cast<QWidget *>(m_tabs) : m_startPage);
    m_layersDock->setVisible(workspace);
    m_settingsDock->setVisible(workspace);
    if (!workspace)
        m_warningsDock->hide();
    m_analyzeAction->setEnabled(workspace);
    m_profileAction->setEnabled(workspace);
}

bool MainWindow::isStartPageShown() const
{
    return m_central->currentWidget() == m_startPage;
}

QString MainWindow::memoryText() const
{
    return m_summary->memoryText();
}

QString MainWindow::macText() const
{
    return m_summary->macText();
}

QString MainWindow::bitsText() const
{
    return m_summary->bitsText();
}

void MainWindow::saveRecentCost()
{
    if (const auto &a = m_document->allocation(); a && !m_document->path().isEmpty()) {
        RecentFiles::setCost(m_document->path(), a->memoryOverhead, a->macOverhead,
                             a->effectiveBits);
        RecentFiles::setRule(m_document->path(), m_document->allocationSettings());
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_project->closeCleanly();
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState(kStateVersion));
    m_recentTimer->stop();
    saveRecentCost();
    QMainWindow::closeEvent(event);
}

} // namespace mpq::studio
