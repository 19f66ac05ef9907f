// Pinned runs and their diff in the desktop app (docs/snapshots.md): the diff window's table
// order and bars, the Runs list, pinning only a current allocation, the diff with the live state
// and runs saved in the project.
#include "mainwindow.h"
#include "modeldocument.h"
#include "outputactions.h"
#include "previewcontroller.h"
#include "rundiffwindow.h"
#include "runspanel.h"
#include "settingspanel.h"
#include "workspacetabs.h"

#include "mpqwidgets/previewview.h"

#include "mpq/pipeline.h"
#include "syntheticanalysis.h"

#include <QAction>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>
#include <qcustomplot.h>

using mpq::studio::LayerChangeModel;
using mpq::studio::MainWindow;
using mpq::studio::RunDiffWindow;

namespace {

mpq::RunSnapshot runOf(const std::shared_ptr<const mpq::Analysis> &analysis,
                       const mpq::AllocationSettings &settings, const std::string &name)
{
    mpq::Quantization q;
    q.analysis = analysis;
    q.settings = settings;
    q.atBits = std::make_shared<const std::vector<mpq::LayerAtBits>>();
    q.allocation = mpq::allocate(analysis->curves, settings);
    return mpq::snapshotOf(q, name);
}

mpq::AllocationSettings onePoint()
{
    mpq::AllocationSettings s;
    s.rule = mpq::AllocationRule::Threshold;
    s.epsilon = 100.0; // no channel reaches it: every layer at one point
    return s;
}

/// The colour of the pixel 3 px into a cell of the table (where every bar starts).
QColor barPixel(QTableView *view, const QImage &image, int row, int column)
{
    const QRect r = view->visualRect(view->model()->index(row, column));
    return image.pixelColor(r.left() + 3, r.center().y());
}

bool reddish(const QColor &c)
{
    return c.red() > c.green() + 40 && c.red() > c.blue() + 40;
}

bool greenish(const QColor &c)
{
    return c.green() > c.red() + 40;
}

} // namespace

class TestRuns : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    mpqtest::SyntheticAnalysis m_data;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("XDG_DATA_HOME", m_dir.filePath("data").toLocal8Bit());
        qputenv("XDG_CACHE_HOME", m_dir.filePath("cache").toLocal8Bit());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.filePath("config"));
        QCoreApplication::setOrganizationName(QStringLiteral("mpq-studio-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_runs"));
        QLocale::setDefault(QLocale::c());
        m_data = mpqtest::makeSmallAnalysis();
    }

    void diffTableOrderAndBars()
    {
        // A: layer2.conv at 3 points; B: conv1 at 3 points and fc float, layer2.conv back at 1
        mpq::AllocationSettings sa = onePoint(), sb = onePoint();
        sa.overrides["layer2.conv"] = {mpq::LayerOverride::Kind::Points, 3};
        sb.overrides["conv1"] = {mpq::LayerOverride::Kind::Points, 3};
        sb.overrides["fc"] = {mpq::LayerOverride::Kind::Float};
        const mpq::RunSnapshot a = runOf(m_data.analysis, sa, "A run");
        const mpq::RunSnapshot b = runOf(m_data.analysis, sb, "B run");
        RunDiffWindow w;
        w.setRuns(a, b, std::nullopt, {}, {});
        LayerChangeModel *m = w.layerModel();
        QCOMPARE(m->rowCount(), 3);
        // largest change first, as mpq::diffSnapshots sorts
        for (int r = 1; r < m->rowCount(); ++r)
            QVERIFY(m->change(r - 1).magnitude >= m->change(r).magnitude);
        int layer2 = -1, fc = -1, conv1 = -1;
        for (int r = 0; r < m->rowCount(); ++r) {
            const QString name = m->index(r, LayerChangeModel::LayerColumn).data().toString();
            (name == "layer2.conv" ? layer2 : name == "fc" ? fc : conv1) = r;
        }
        QVERIFY(layer2 >= 0 && fc >= 0 && conv1 >= 0);
        QCOMPARE(m->index(conv1, LayerChangeModel::PointsColumn).data().toString(),
                 QString("1.00 → 3.00"));
        QCOMPARE(m->index(fc, LayerChangeModel::PointsColumn).data().toString(),
                 QString("1.00 → float"));
        // bar values: positive = worse (more error, more memory)
        const auto bar = [&](int row, int column) {
            return m->index(row, column).data(LayerChangeModel::BarRole).toDouble();
        };
        QVERIFY(bar(layer2, LayerChangeModel::ErrorColumn) > 0);  // fewer points: more error
        QVERIFY(bar(layer2, LayerChangeModel::MemoryColumn) < 0); // and less memory
        QVERIFY(bar(conv1, LayerChangeModel::ErrorColumn) < 0);
        QVERIFY(bar(conv1, LayerChangeModel::MemoryColumn) > 0);
        QVERIFY(bar(fc, LayerChangeModel::MemoryColumn) > 0);
        QCOMPARE(
            m->index(fc, LayerChangeModel::ErrorColumn)
                .data(LayerChangeModel::BarScaleRole)
                .toDouble(),
            std::max({std::abs(bar(layer2, 2)), std::abs(bar(conv1, 2)), std::abs(bar(fc, 2))}));

        // drawn: red for worse, green for better
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTableView *view = w.layerView();
        const QImage image = view->viewport()->grab().toImage();
        QVERIFY(reddish(barPixel(view, image, layer2, LayerChangeModel::ErrorColumn)));
        QVERIFY(greenish(barPixel(view, image, layer2, LayerChangeModel::MemoryColumn)));
        QVERIFY(greenish(barPixel(view, image, conv1, LayerChangeModel::ErrorColumn)));
        QVERIFY(reddish(barPixel(view, image, conv1, LayerChangeModel::MemoryColumn)));
        QVERIFY(reddish(barPixel(view, image, fc, LayerChangeModel::MemoryColumn)));
        // the layer column has no bar
        QVERIFY(!reddish(barPixel(view, image, fc, LayerChangeModel::LayerColumn)) &&
                !greenish(barPixel(view, image, fc, LayerChangeModel::LayerColumn)));
        // both runs on the plot, no backdrop, and the plot says why
        QCOMPARE(w.plot()->graphCount(), 2);
        QVERIFY(w.imageList()->topLevelItemCount() == 0);
    }

    void diffOfOtherModelsSaysSo()
    {
        mpq::RunSnapshot a = runOf(m_data.analysis, onePoint(), "a");
        mpq::RunSnapshot b = a;
        b.modelSha256 = "ffffffff00";
        b.modelPath = "/m/other.pt";
        RunDiffWindow w;
        w.setRuns(a, b, std::nullopt, {}, {"Preview not evaluated for this run"});
        QVERIFY2(w.headerText().contains("different models"), qPrintable(w.headerText()));
        QVERIFY(w.headerText().contains("other.pt"));
        QVERIFY(w.headerText().contains("Preview not evaluated for this run"));
    }

    void runsOfAnotherModelSaySo()
    {
        mpq::studio::RunsModel m;
        mpq::RunSnapshot a = runOf(m_data.analysis, onePoint(), "mine");
        a.modelSha256 = "aaaaaaaa00";
        mpq::RunSnapshot b = a;
        b.name = "theirs";
        b.modelSha256 = "ffffffff00";
        b.modelPath = "/m/other.pt";
        m.add(a);
        m.add(b);
        // no model open: every run as named
        QCOMPARE(m.data(m.index(1), Qt::DisplayRole).toString(), QStringLiteral("theirs"));
        QSignalSpy data(&m, &QAbstractItemModel::dataChanged);
        m.setCurrentModel(a.modelSha256);
        QCOMPARE(data.count(), 1);
        QCOMPARE(m.data(m.index(0), Qt::DisplayRole).toString(), QStringLiteral("mine"));
        QVERIFY(!m.data(m.index(0), Qt::ForegroundRole).isValid());
        const QString other = m.data(m.index(1), Qt::DisplayRole).toString();
        QVERIFY2(other.contains("theirs") && other.contains("other.pt"), qPrintable(other));
        QVERIFY(m.data(m.index(1), Qt::ForegroundRole).isValid());
        QCOMPARE(m.data(m.index(1), Qt::EditRole).toString(), QStringLiteral("theirs"));
        // the other model opened: the first run is the other one now
        m.setCurrentModel(b.modelSha256);
        QVERIFY(m.data(m.index(0), Qt::DisplayRole).toString().contains("other model"));
        QCOMPARE(m.data(m.index(1), Qt::DisplayRole).toString(), QStringLiteral("theirs"));
    }

    void predictionsListed()
    {
        mpq::RunSnapshot a = runOf(m_data.analysis, onePoint(), "a");
        mpq::RunSnapshot b = a;
        for (mpq::RunSnapshot *s : {&a, &b}) {
            s->evaluated = true;
            s->metricName = "top-1";
        }
        a.predictions["cat.png"] = {1, 0.9f, {}};
        b.predictions["cat.png"] = {0, 0.6f, {}};
        a.predictions["dog.png"] = {0, 0.8f, {}};
        b.predictions["dog.png"] = {0, 0.7f, {}};
        RunDiffWindow w;
        w.setRuns(a, b, std::nullopt, {"dog", "cat"}, {});
        QCOMPARE(w.imageList()->topLevelItemCount(), 1);
        const QTreeWidgetItem *item = w.imageList()->topLevelItem(0);
        QCOMPARE(item->text(0), QString("cat.png"));
        QCOMPARE(item->text(1), QString("class changed"));
        QCOMPARE(item->text(2), QString("cat (0.90)"));
        QCOMPARE(item->text(3), QString("dog (0.60)"));
        // double-click: the image with both predictions, where the runs evaluated it
        QVERIFY(!w.showImage(0)); // no image folder known
        QVERIFY(w.imagesNote().contains("cat.png is no longer where"));
        QImage picture(40, 30, QImage::Format_RGB32);
        picture.fill(Qt::gray);
        QVERIFY(picture.save(m_dir.filePath("cat.png")));
        a.imageRoot = b.imageRoot = (m_dir.path() + "/").toStdString();
        w.setRuns(a, b, std::nullopt, {"dog", "cat"}, {});
        QWidget *shown = w.showImage(0);
        QVERIFY(shown);
        const QList<QLabel *> labels = shown->findChildren<QLabel *>();
        int pictures = 0;
        bool captions = false;
        for (const QLabel *l : labels) {
            pictures += !l->pixmap().isNull();
            captions = captions || l->text().contains("dog (0.60)");
        }
        QCOMPARE(pictures, 2);
        QVERIFY(captions);
    }

    void liveDiffWithThePreviewsPredictions()
    {
        // the classifier sample: the Preview's predictions go into a pinned run only while they
        // belong to the allocation shown, and the live diff compares them only then
        const QString samples = QStringLiteral(MPQ_SAMPLES_DIR);
        MainWindow w;
        mpq::studio::PreviewController *preview = w.outputs()->previewController();
        preview->setDebounceInterval(10);
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.settingsPanel()->setImagesDir(samples + "/fashion/test");
        w.openModel(samples + "/fashion/fashion_resnet.pt", samples + "/fashion/test");
        QVERIFY(opened.wait(120000));
        mpq::AnalysisSettings settings;
        settings.calibCount = 8;
        settings.maxPoints = 4;
        const mpq::AnalysisOutcome outcome = mpq::analyzeModel(
            w.document()->opened(), (samples + "/fashion/test").toStdString(), settings, nullptr);
        QSignalSpy previewed(preview, &mpq::studio::PreviewController::previewUpdated);
        w.workspace()->setCurrentIndex(mpq::studio::WorkspaceTabs::Preview);
        w.showAnalysis(outcome.analysis);
        QVERIFY(previewed.wait(300000));
        QVERIFY(w.pinRunNamed("evaluated"));
        const mpq::RunSnapshot pinned = w.runsPanel()->model()->snapshot(0);
        QVERIFY(pinned.evaluated);
        QCOMPARE(pinned.predictions.size(), preview->evaluation()->images.size());
        QVERIFY(pinned.predictions.size() > 100);
        QCOMPARE(pinned.metricName, std::string("top-1"));

        // the allocation moves: until the Preview runs again, its predictions are not current
        mpq::AllocationSettings rule = w.document()->allocationSettings();
        rule.rule = mpq::AllocationRule::Budget;
        rule.budget = 0.25;
        previewed.clear();
        w.document()->setAllocationRule(rule);
        QStringList notes;
        const mpq::RunSnapshot now = w.currentSnapshot("now", &notes);
        QVERIFY(!now.evaluated);
        QVERIFY(notes.join(' ').contains("Preview not evaluated for this run"));
        QVERIFY(previewed.wait(300000));
        RunDiffWindow *live = w.diffWithCurrent(0);
        QVERIFY(live);
        QVERIFY(live->diff().predictionsCompared);
        QCOMPARE(live->diff().imagesCompared, int(pinned.predictions.size()));
        QVERIFY(live->diff().metricCompared);
        QVERIFY2(!live->headerText().contains("Preview not evaluated"),
                 qPrintable(live->headerText()));
        // the Preview marks the images they differ on (issue 15), naming both runs
        const mpq::ui::PreviewView *page = w.workspace()->previewView();
        QVERIFY(preview->runDiff());
        QVERIFY(!live->diff().images.empty());
        QCOMPARE(page->model()->markedCount(), int(live->diff().images.size()));
        QVERIFY2(page->runMarksText().contains("evaluated") &&
                     page->runMarksText().contains("current state"),
                 qPrintable(page->runMarksText()));
        // the live side goes out of date once the allocation moves
        rule.budget = 0.30;
        w.document()->setAllocationRule(rule);
        QVERIFY2(page->runMarksText().contains("Out of date"), qPrintable(page->runMarksText()));
    }

    void runsListEdits()
    {
        mpq::studio::RunsPanel panel;
        mpq::studio::RunsModel *m = panel.model();
        QSignalSpy changed(m, &mpq::studio::RunsModel::changed);
        m->add(runOf(m_data.analysis, onePoint(), "first"));
        m->add(runOf(m_data.analysis, onePoint(), "second"));
        QCOMPARE(m->rowCount(), 2);
        QVERIFY(m->setData(m->index(1), "renamed", Qt::EditRole));
        QCOMPARE(m->snapshot(1).name, std::string("renamed"));
        QVERIFY(!m->setData(m->index(1), "   ", Qt::EditRole)); // no empty name
        m->remove(0);
        QCOMPARE(m->rowCount(), 1);
        QCOMPARE(m->snapshot(0).name, std::string("renamed"));
        QCOMPARE(changed.count(), 4);
        // Diff selected two needs two rows selected
        m->add(runOf(m_data.analysis, onePoint(), "third"));
        QSignalSpy diff(&panel, &mpq::studio::RunsPanel::diffRequested);
        panel.view()->selectAll();
        QVERIFY(panel.diffTwoButton()->isEnabled());
        panel.diffTwoButton()->click();
        QCOMPARE(diff.count(), 1);
        QCOMPARE(diff.first().at(0).toInt(), 0);
        QCOMPARE(diff.first().at(1).toInt(), 1);
    }

    void pinOnlyACurrentAllocation()
    {
        MainWindow w;
        QString why;
        QVERIFY(!w.canPin(&why));
        QVERIFY(why.contains("Analyze"));
        QVERIFY(!w.pinRunNamed("nothing"));
        QCOMPARE(w.runsPanel()->model()->rowCount(), 0);

        w.showAnalysis(m_data.analysis);
        mpq::AllocationSettings rule = w.document()->allocationSettings();
        rule.rule = mpq::AllocationRule::Budget;
        rule.budget = 0.05;
        w.document()->setAllocationRule(rule);
        QVERIFY(w.canPin());
        QAction *pin = w.findChild<QAction *>("pinRunAction");
        QVERIFY(pin && pin->isEnabled());
        QVERIFY(w.pinRunNamed("budget 5 %"));
        rule.budget = 0.10;
        w.document()->setAllocationRule(rule);
        QVERIFY(w.pinRunNamed(""));
        QCOMPARE(w.runsPanel()->model()->rowCount(), 2);
        QCOMPARE(w.runsPanel()->model()->snapshot(1).name, std::string("4 bits, budget 10 %"));
        QCOMPARE(w.runsPanel()->model()->snapshot(0).totals.memoryOverhead,
                 runOf(
                     m_data.analysis,
                     [&] {
                         mpq::AllocationSettings s = rule;
                         s.budget = 0.05;
                         return s;
                     }(),
                     "x")
                     .totals.memoryOverhead);

        // the two pinned runs: the analysis is theirs, so its trade-off is the backdrop
        RunDiffWindow *diff = w.diffRuns(0, 1);
        QVERIFY(diff);
        QCOMPARE(diff->plot()->graphCount(), 4);
        QCOMPARE(diff->diff().a.memoryOverhead,
                 w.runsPanel()->model()->snapshot(0).totals.memoryOverhead);
        // against the live state: no Preview evaluation here, and the diff says so
        RunDiffWindow *live = w.diffWithCurrent(0);
        QVERIFY(live);
        QVERIFY2(live->headerText().contains("Preview not evaluated for this run"),
                 qPrintable(live->headerText()));
        QVERIFY(!live->diff().predictionsCompared);
        QCOMPARE(live->diff().b.memoryOverhead, w.document()->allocation()->memoryOverhead);

        // an allocation the document refused (a Bits override without its curves) is stale:
        // the previous allocation stays on screen, but it cannot be pinned
        w.document()->setOverride("fc", mpq::LayerOverride{mpq::LayerOverride::Kind::Bits, 1, 6});
        QVERIFY(!w.canPin(&why));
        QVERIFY2(why.contains("does not match"), qPrintable(why));
        QVERIFY(!pin->isEnabled());
        QVERIFY(!w.runsPanel()->pinButton()->isEnabled());
        QVERIFY(!w.pinRunNamed("stale"));
        QVERIFY(!w.diffWithCurrent(0));
        QCOMPARE(w.runsPanel()->model()->rowCount(), 2);
        w.document()->setOverride("fc", std::nullopt);
        QVERIFY(w.canPin());
    }
};

QTEST_MAIN(TestRuns)
#include "tst_runs.moc"
