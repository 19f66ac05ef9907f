// Takes the README's screenshots of mpq-studio on the demo models: the workspace (Sensitivity
// page) and the Preview of the detector and of the classifier, the Compare page and the Export
// dialog after an export, the run diff and the Preview marking the images it changes. Run it under
// a display (xvfb-run), e.g.:
//   xvfb-run -a -s "-screen 0 1600x1000x24" build/tests/make_screenshots docs/screenshots
// It drives the real window (open, analyze, switch pages, export into a temporary folder) and
// saves each state with QWidget::grab. Analyses come from the user's cache when present.
#include "exportdialog.h"
#include "layerspanel.h"
#include "mainwindow.h"
#include "modeldocument.h"
#include "mpqwidgets/graphview.h"
#include "mpqwidgets/previewview.h"
#include "mpqwidgets/sensitivityrankview.h"
#include "outputactions.h"
#include "previewcontroller.h"
#include "rundiffwindow.h"
#include "settingspanel.h"
#include "translations.h"
#include "workspacetabs.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

namespace {

bool wait(QSignalSpy &spy, int seconds, const char *what)
{
    if (spy.count() > 0 || spy.wait(seconds * 1000))
        return true;
    std::fprintf(stderr, "make_screenshots: timed out waiting for %s\n", what);
    return false;
}

void settle(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

bool save(QWidget *w, const QString &path)
{
    settle(500);
    const bool ok = w->grab().save(path);
    std::printf("%s %s\n", ok ? "wrote" : "FAILED", qPrintable(path));
    return ok;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("mpq-studio"));
    QApplication::setOrganizationName(QStringLiteral("mpq-studio"));
    // English as the app shows it: its plural forms ("1 box", not "1 box(es)")
    mpq::studio::installTranslations(app, QStringLiteral("en"));
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral(".");
    QDir().mkpath(out);
    using mpq::studio::MainWindow;
    using mpq::studio::WorkspaceTabs;
    MainWindow window;
    window.resize(1400, 860); // the default window size (MainWindow), as a new user sees it
    window.show();
    const QString samples = MainWindow::samplesFolder();
    auto *preview = window.outputs()->previewController();
    preview->setDebounceInterval(10);

    // the detector: Preview, Compare, Export
    QSignalSpy analysed(&window, &MainWindow::analysisFinished);
    window.openDemo();
    if (!wait(analysed, 900, "the detector's analysis"))
        return 1;
    window.workspace()->setCurrentIndex(WorkspaceTabs::Sensitivity);
    if (!save(&window, out + QStringLiteral("/workspace.png")))
        return 1;
    // the ranked view: the most sensitive layer chosen in the ranking, selected everywhere
    {
        auto *rank = window.workspace()->rankView();
        if (rank->proxy()->rowCount() > 0)
            rank->view()->selectRow(0);
        QApplication::processEvents();
        if (!save(&window, out + QStringLiteral("/sensitivity-ranking.png")))
            return 1;
        window.layersPanel()->selectLayers({});
    }
    // the Graph page (issue 15): the detector's graph laid out by dot, coloured by points
    {
        auto *graph = window.workspace()->graphPage();
        QSignalSpy laidOut(graph, &mpq::ui::GraphPage::layoutFinished);
        window.workspace()->setCurrentIndex(WorkspaceTabs::Graph);
        if (!wait(laidOut, 120, "the graph's layout") ||
            !save(&window, out + QStringLiteral("/graph.png")))
            return 1;
    }
    QSignalSpy previewed(preview, &mpq::studio::PreviewController::previewUpdated);
    window.workspace()->setCurrentIndex(WorkspaceTabs::Preview);
    if (!wait(previewed, 600, "the detector's preview") ||
        !save(&window, out + QStringLiteral("/preview-detector.png")))
        return 1;
    // why did this prediction flip (issue 15): the first changed image explained, restore mode
    {
        auto *page = window.workspace()->previewView();
        preview->setOverrideTarget(
            window.undoStack(),
            [&window](const std::string &layer, std::optional<mpq::LayerOverride> o) {
                window.requestOverride(layer, o);
            });
        const auto *model = page->model();
        int flipped = -1;
        for (int row = 0; row < model->rowCount() && flipped < 0; ++row)
            if (model->data(model->index(row), mpq::ui::PreviewModel::ChangedRole).toBool())
                flipped = row;
        if (flipped >= 0) {
            QSignalSpy explained(preview, &mpq::studio::PreviewController::explanationUpdated);
            page->selectRow(flipped);
            page->explainButton()->click();
            if (!wait(explained, 600, "the explanation") ||
                !save(&window, out + QStringLiteral("/preview-explain.png")))
                return 1;
        } else {
            std::fprintf(stderr, "make_screenshots: no changed image to explain\n");
        }
    }
    QSignalSpy compared(preview, &mpq::studio::PreviewController::compareUpdated);
    window.workspace()->setCurrentIndex(WorkspaceTabs::Compare);
    preview->runCompare();
    if (!wait(compared, 900, "the comparison") ||
        !save(&window, out + QStringLiteral("/compare.png")))
        return 1;

    QTemporaryDir exports;
    window.outputs()->exportModel();
    auto *dialog = window.findChild<mpq::studio::ExportDialog *>();
    if (!dialog)
        return 1;
    dialog->setFolder(exports.path());
    dialog->setFormats(mpq::studio::FakeQuantFormat | mpq::studio::ExpandedFormat |
                       mpq::studio::PackageFormat | mpq::studio::ReportFormat);
    QSignalSpy exported(dialog, &mpq::studio::ExportDialog::finished);
    dialog->startExport();
    if (!wait(exported, 900, "the export") || !save(dialog, out + QStringLiteral("/export.png")))
        return 1;
    dialog->close();

    // run snapshots and their diff (docs/snapshots.md): the detector pinned at budgets 5 % and
    // 10 %, each with its Preview predictions, and the diff window of the two
    {
        window.workspace()->setCurrentIndex(WorkspaceTabs::Preview);
        mpq::AllocationSettings rule = window.document()->allocationSettings();
        rule.rule = mpq::AllocationRule::Budget;
        rule.cost = mpq::BudgetCost::Memory;
        QSignalSpy repreviewed(preview, &mpq::studio::PreviewController::previewUpdated);
        for (double budget : {0.05, 0.10}) {
            repreviewed.clear();
            const bool changes =
                std::abs(window.document()->allocationSettings().budget - budget) > 1e-12 ||
                window.document()->allocationSettings().rule != rule.rule;
            rule.budget = budget;
            window.document()->setAllocationRule(rule);
            if (changes && !wait(repreviewed, 600, "the preview for the pinned run"))
                return 1;
            if (!window.pinRunNamed(QString::fromStdString(mpq::defaultSnapshotName(rule))))
                return 1;
        }
        mpq::studio::RunDiffWindow *diff = window.diffRuns(0, 1);
        if (!diff || !save(diff, out + QStringLiteral("/run-diff.png")))
            return 1;
        diff->close();
        // the Preview marks the images the two runs differ on (issue 15, docs/ui.md "Run diff
        // on Preview"), only those shown
        auto *page = window.workspace()->previewView();
        window.workspace()->setCurrentIndex(WorkspaceTabs::Preview);
        page->differsBox()->setChecked(true);
        if (!save(&window, out + QStringLiteral("/preview-run-diff.png")))
            return 1;
        page->differsBox()->setChecked(false);
    }

    // the classifier: Preview
    analysed.clear();
    window.settingsPanel()->setImagesDir(samples + QStringLiteral("/fashion/test"));
    window.openModel(samples + QStringLiteral("/fashion/fashion_resnet.pt"),
                     samples + QStringLiteral("/fashion/test"));
    QSignalSpy opened(&window, &MainWindow::modelOpened);
    if (!wait(opened, 300, "the classifier"))
        return 1;
    if (analysed.isEmpty())
        window.analyze();
    if (!wait(analysed, 900, "the classifier's analysis"))
        return 1;
    previewed.clear();
    window.workspace()->setCurrentIndex(WorkspaceTabs::Preview);
    if (!wait(previewed, 600, "the classifier's preview") ||
        !save(&window, out + QStringLiteral("/preview-classifier.png")))
        return 1;
    return 0;
}
