#pragma once
// The composition root of mpq-studio: creates the pages, docks and actions, wires them to the
// document and the job runner, and holds no algorithm (docs/architecture.md).

#include "mpq/analysis.h"
#include "mpq/analysiscache.h"
#include "mpq/snapshot.h"

#include <QMainWindow>

#include <memory>
#include <optional>

class QAction;
class QDockWidget;
class QMenu;
class QStackedWidget;
class QTimer;
class QUndoStack;

namespace mpq::studio {

class WarningsPanel;

class JobProgressWidget;
class JobRunner;
class LayersPanel;
class ModelDocument;
class OutputActions;
class ProjectActions;
class RunDiffWindow;
class RunsPanel;
struct Preferences;
class SettingsPanel;
class StartPage;
class StatusSummary;
class WorkspaceTabs;
struct OpenedModel;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Loads the model as a job; its layers show as soon as it is loaded. imagesDir empty: the
    /// folder last used with this model. A bad file leaves the current state and shows why.
    void openModel(const QString &path, const QString &imagesDir = {});
    void openDemo();
    /// Analyzes the open model with the Settings panel's values (cache first), as a job.
    void analyze();
    /// Shows an analysis made elsewhere (tests, benchmarks); the model may be absent.
    void showAnalysis(std::shared_ptr<const mpq::Analysis> analysis);

    ModelDocument *document() const { return m_document; }
    JobRunner *jobRunner() const { return m_runner; }
    LayersPanel *layersPanel() const { return m_layers; }
    SettingsPanel *settingsPanel() const { return m_settings; }
    WorkspaceTabs *workspace() const { return m_tabs; }
    OutputActions *outputs() const { return m_outputs; }
    ProjectActions *project() const { return m_project; }
    QUndoStack *undoStack() const { return m_undo; }
    /// Applies an override now, outside the undo history (restoring a project).
    void requestOverride(const std::string &layer, std::optional<mpq::LayerOverride> o);
    /// Offers the project a crashed session left behind (once, at start).
    void offerRecovery();
    bool isStartPageShown() const;
    /// The status bar's cost figures, as shown.
    QString memoryText() const;
    QString macText() const;
    QString bitsText() const;
    /// The shared analysis cache with the size limit of the Preferences (read when applied).
    mpq::AnalysisCache analysisCache() const;
    /// The samples folder (installed copy, else the source tree).
    static QString samplesFolder();

    // ---- pinned runs and their diff (docs/snapshots.md)
    RunsPanel *runsPanel() const { return m_runs; }
    /// Whether the current allocation can be pinned: it exists, belongs to the analysis shown
    /// and to the settings shown, and no job is changing it. Else `why` says what is missing.
    bool canPin(QString *why = nullptr) const;
    /// A snapshot of the current state named `name`, with the Preview's predictions when they
    /// were made for the current allocation (else `notes` gets "Preview not evaluated for this
    /// run"). Only valid when canPin().
    mpq::RunSnapshot currentSnapshot(const std::string &name, QStringList *notes = nullptr) const;
    /// Asks for a name (default as mpq::defaultSnapshotName) and pins the current run.
    void pinRun();
    /// Pins the current run under `name`; false (and nothing pinned) when !canPin().
    bool pinRunNamed(const QString &name);
    /// Opens a diff window of pinned run `row` against the current state (A: the run).
    RunDiffWindow *diffWithCurrent(int row);
    /// Opens a diff window of two pinned runs.
    RunDiffWindow *diffRuns(int rowA, int rowB);

signals:
    void modelOpened();
    void analysisFinished();
    /// A file could not be used; the message box shows the same text.
    void errorShown(const QString &message);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    /// The Analysis menu's pin action and the Runs dock's connections (mainwindowruns.cpp).
    void createRunActions(QMenu *analysis, QMenu *view);
    void createDocks();
    void createStatusBar();
    void onModelOpened(const OpenedModel &opened, const QString &imagesDir);
    void askForProfile(const OpenedModel &opened, const QString &imagesDir);
    void applyOpenedModel(const OpenedModel &opened, const QString &imagesDir);
    void onAllocationChanged();
    void onAnalysisChanged();
    void onOverrideRequested(const std::string &layer, std::optional<mpq::LayerOverride> o);
    void applyOverride(const std::string &layer, std::optional<mpq::LayerOverride> o);
    void applyRule(const mpq::AllocationSettings &rule);
    void showPreferences();
    /// The current cost beside the model in the recent-files list.
    void saveRecentCost();
    void applyPreferences(const Preferences &preferences);
    void applyThreshold();
    void showError(const QString &title, const QString &message);
    void updateTitle();
    void showWorkspace(bool workspace);
    void chooseModel();
    void editProfile();

    ModelDocument *m_document;
    JobRunner *m_runner;
    QStackedWidget *m_central;
    StartPage *m_startPage;
    WorkspaceTabs *m_tabs;
    LayersPanel *m_layers;
    SettingsPanel *m_settings;
    WarningsPanel *m_warnings;
    QDockWidget *m_layersDock = nullptr;
    QDockWidget *m_settingsDock = nullptr;
    QDockWidget *m_warningsDock = nullptr;
    JobProgressWidget *m_progress;
    StatusSummary *m_summary;
    QTimer *m_recentTimer; ///< saves the cost to the recent list once the slider rests
    OutputActions *m_outputs = nullptr;
    ProjectActions *m_project = nullptr;
    QUndoStack *m_undo = nullptr;
    QAction *m_analyzeAction = nullptr;
    QAction *m_profileAction = nullptr;
    RunsPanel *m_runs = nullptr;
    QDockWidget *m_runsDock = nullptr;
    QAction *m_pinAction = nullptr;
    void updatePinAvailable();
    RunDiffWindow *showDiff(const mpq::RunSnapshot &a, const mpq::RunSnapshot &b,
                            const QStringList &notes);
    std::uint64_t m_cacheLimitBytes = mpq::AnalysisCache::kDefaultLimitBytes;
    bool m_analyzeWhenOpened = false; ///< the demo: analyze at once unless a cached one exists
};

} // namespace mpq::studio
