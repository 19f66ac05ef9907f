// Issue 14, "true at every moment", in the window (offscreen): the default rule is a 5 % memory
// budget and a model's rule, images and test images come back with it, never the previous
// model's; switching models clears the Compare and Preview pages and a changed setting marks the
// comparison out of date; a failing comparison shows its reason and no "Comparing..." stays;
// Compare and the export summary show the allocation's honest cost with a float layer, every
// method with its MAC overhead, RTN and MSE at b+1 bits, distinct colours and markers; a slider
// tick writes the threshold control once; changed analysis settings say "Analyze to apply".
#include "../../core/testmodels.h"
#include "exportdialog.h"
#include "jobrunner.h"
#include "mainwindow.h"
#include "modeldocument.h"
#include "outputactions.h"
#include "previewcontroller.h"
#include "settingspanel.h"
#include "workspacetabs.h"

#include "mpq/allocation.h"
#include "mpqwidgets/comparemodel.h"
#include "mpqwidgets/compareview.h"
#include "mpqwidgets/numberformat.h"
#include "mpqwidgets/previewview.h"
#include "mpqwidgets/sensitivityplot.h"
#include "mpqwidgets/thresholdcontrol.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using mpq::studio::MainWindow;

namespace {

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

void writeImages(const QString &dir, int count, int seed)
{
    QVERIFY(QDir().mkpath(dir));
    for (int i = 0; i < count; ++i) {
        QImage img(14, 9, QImage::Format_RGB32);
        for (int y = 0; y < img.height(); ++y)
            for (int x = 0; x < img.width(); ++x)
                img.setPixel(x, y,
                             qRgb((x * 37 + i * 11 + seed) % 256, (y * 53 + i) % 256,
                                  (x * y + i * 7 + seed * 3) % 256));
        QVERIFY(img.save(QString("%1/%2.png").arg(dir).arg(i)));
    }
}

const char *kProfile = R"({"task": "classification", "input": {"width": 12, "height": 10,
    "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]}, "output": {"decoder": "logits"}})";

} // namespace

class TestTruth : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_testIndex = 0;
    QString path(const QString &name) const { return m_dir.filePath(name); }

    void open(MainWindow &w, const QString &model, const QString &images = {})
    {
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        mpq::AnalysisSettings s;
        s.bits = 3;
        s.maxPoints = 4;
        s.calibCount = 6;
        w.settingsPanel()->setAnalysisSettings(s);
        w.openModel(path(model), images);
        QVERIFY(opened.wait(30000));
    }

    void analyse(MainWindow &w, const QString &model)
    {
        open(w, model, path("images"));
        if (QTest::currentTestFailed())
            return;
        if (!w.document()->analysis()) {
            QSignalSpy finished(&w, &MainWindow::analysisFinished);
            w.analyze();
            QVERIFY(finished.wait(120000));
        }
        QVERIFY(w.document()->allocation());
    }

    static mpq::studio::PreviewController *controller(MainWindow &w)
    {
        return w.outputs()->previewController();
    }

    void compare(MainWindow &w)
    {
        QSignalSpy updated(controller(w), &mpq::studio::PreviewController::compareUpdated);
        controller(w)->runCompare();
        QVERIFY(updated.wait(120000));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("XDG_DATA_HOME", path("data").toLocal8Bit());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QCoreApplication::setOrganizationName(QStringLiteral("mpq-studio-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_truth"));
        mpqtest::saveConvNet(path("conv.pt").toStdString(), 1);
        writeFile(path("conv.profile.json"), kProfile);
        mpqtest::saveConvNet(path("other.pt").toStdString(), 2);
        writeFile(path("other.profile.json"), kProfile);
        writeImages(path("images"), 6, 0);
        writeImages(path("test"), 4, 5);
        QVERIFY(QDir().mkpath(path("broken")));
        writeFile(path("broken/bad.png"), "not an image at all");
    }

    void init()
    {
        // every test function its own settings (recent files) and analysis cache
        ++m_testIndex;
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope,
                           path(QStringLiteral("config-%1").arg(m_testIndex)));
        qputenv("XDG_CACHE_HOME", path(QStringLiteral("cache-%1").arg(m_testIndex)).toLocal8Bit());
    }

    void defaultRuleIsAFivePercentMemoryBudget()
    {
        MainWindow w;
        const mpq::AllocationSettings &s = w.document()->allocationSettings();
        QVERIFY(s.rule == mpq::AllocationRule::Budget);
        QCOMPARE(s.budget, 0.05);
        QVERIFY(s.cost == mpq::BudgetCost::Memory);
        mpq::ui::ThresholdControl *control = w.settingsPanel()->thresholdControl();
        QVERIFY(control->budgetButton()->isChecked());
        QCOMPARE(control->budgetSpin()->value(), 5.0);
        analyse(w, "conv.pt");
        if (QTest::currentTestFailed())
            return;
        QVERIFY(w.document()->allocation()->memoryOverhead <= 0.05 + 1e-12);
        // the threshold rule is one click away
        control->thresholdButton()->click();
        QVERIFY(w.document()->allocationSettings().rule == mpq::AllocationRule::Threshold);
    }

    void sliderTickWritesTheControlOnce()
    {
        MainWindow w;
        analyse(w, "conv.pt");
        if (QTest::currentTestFailed())
            return;
        mpq::ui::ThresholdControl *control = w.settingsPanel()->thresholdControl();
        control->thresholdButton()->click();
        QSignalSpy shown(control, &mpq::ui::ThresholdControl::settingsShown);
        QSignalSpy allocated(w.document(), &mpq::studio::ModelDocument::allocationChanged);
        control->epsilonSlider()->triggerAction(QAbstractSlider::SliderSingleStepAdd);
        QCOMPARE(shown.count(), 1); // was 2: applyRule and onAllocationChanged both wrote it
        QCOMPARE(allocated.count(), 1);
        QCOMPARE(w.document()->allocationSettings().epsilon, control->epsilon());
        QCOMPARE(w.workspace()->sensitivityPlot()->epsilon(), control->epsilon());
        // the epsilon line dragged: the document takes it, the control shows it, once
        emit w.workspace()->sensitivityPlot()->epsilonDragged(2e-2);
        QCOMPARE(shown.count(), 2);
        QCOMPARE(allocated.count(), 2);
        QCOMPARE(w.document()->allocationSettings().epsilon, 2e-2);
        QCOMPARE(control->epsilon(), 2e-2);
    }

    void settingsBelongToTheModel()
    {
        {
            MainWindow w;
            analyse(w, "conv.pt");
            if (QTest::currentTestFailed())
                return;
            w.settingsPanel()->setTestImagesDir(path("test"));
            emit w.settingsPanel()->testImagesDirChanged(path("test"));
            w.settingsPanel()->thresholdControl()->budgetSpin()->setValue(12.0);
            QCOMPARE(w.document()->allocationSettings().budget, 0.12);
            // another model without a folder of its own: none, never conv.pt's
            open(w, "other.pt");
            QVERIFY(w.settingsPanel()->imagesDir().isEmpty());
            QVERIFY(w.settingsPanel()->testImagesDir().isEmpty());
            QCOMPARE(w.document()->allocationSettings().budget, 0.05); // its own: the default
            w.close();
        }
        // conv.pt again, in a new window: its folders and the rule it was left with
        MainWindow w;
        open(w, "conv.pt");
        QCOMPARE(QDir(w.settingsPanel()->imagesDir()), QDir(path("images")));
        QCOMPARE(w.settingsPanel()->testImagesDir(), path("test"));
        QVERIFY(w.document()->allocationSettings().rule == mpq::AllocationRule::Budget);
        QCOMPARE(w.document()->allocationSettings().budget, 0.12);
        QCOMPARE(w.settingsPanel()->thresholdControl()->budgetSpin()->value(), 12.0);
    }

    void changedSettingsSayAnalyzeToApply()
    {
        MainWindow w;
        w.show();
        analyse(w, "conv.pt");
        if (QTest::currentTestFailed())
            return;
        QLabel *note = w.settingsPanel()->changedNote();
        QVERIFY(!w.settingsPanel()->isChanged());
        mpq::AnalysisSettings s = w.settingsPanel()->analysisSettings();
        s.bits = 5;
        w.settingsPanel()->setAnalysisSettings(s);
        QVERIFY(w.settingsPanel()->isChanged());
        QVERIFY(note->isVisibleTo(w.settingsPanel()));
        QVERIFY(note->text().contains("Analyze to apply"));
        // an analysis that is cancelled leaves the plots as they were: the note stays
        w.analyze();
        w.jobRunner()->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(!w.jobRunner()->isBusy(), 30000);
        QCOMPARE(w.document()->analysis()->settings.bits, 3);
        QVERIFY(note->isVisibleTo(w.settingsPanel()));
        s.bits = 3;
        w.settingsPanel()->setAnalysisSettings(s);
        QVERIFY(!note->isVisibleTo(w.settingsPanel()));
    }

    void compareShowsHonestCostsAndMatchedMethods()
    {
        MainWindow w;
        analyse(w, "conv.pt");
        if (QTest::currentTestFailed())
            return;
        // a float layer: counted at 32 bits in memory and effective bits, its MACs apart
        mpq::LayerOverride f;
        f.kind = mpq::LayerOverride::Kind::Float;
        w.requestOverride("fc", f);
        const auto a = w.document()->allocation();
        QVERIFY(a->floatWeights > 0);
        compare(w);
        if (QTest::currentTestFailed())
            return;
        mpq::ui::CompareView *view = w.workspace()->compareView();
        const auto &figures = view->model()->figures();
        QCOMPARE(figures.size(), std::size_t(7));
        const mpq::ui::MethodFigures &mp = figures.front();
        QCOMPARE(mp.method, QString("multipoint"));
        QCOMPARE(mp.memoryOverhead, a->memoryOverhead);
        QCOMPARE(mp.macOverhead, a->macOverhead);
        QCOMPARE(mp.effectiveBits, a->effectiveBits);
        // the table says what the status bar says
        const mpq::ui::CompareModel *m = view->model();
        const QString memory =
            m->data(m->index(0, mpq::ui::CompareModel::MemoryOverhead)).toString();
        const QString macs = m->data(m->index(0, mpq::ui::CompareModel::MacOverhead)).toString();
        QCOMPARE(memory, mpq::ui::formatPercent(a->memoryOverhead));
        QVERIFY2(w.memoryText().contains(memory), qPrintable(w.memoryText()));
        QVERIFY2(w.macText().contains(macs), qPrintable(w.macText()));
        QCOMPARE(m->headerData(mpq::ui::CompareModel::MacOverhead, Qt::Horizontal).toString(),
                 QString("MAC overhead"));
        // RTN and MSE at b+1 = 4 bits, one bit per quantized weight above their 3-bit selves
        std::map<QString, mpq::ui::MethodFigures> by;
        for (const auto &fig : figures)
            by[fig.method] = fig;
        QVERIFY(by.count("rtn-next") && by.count("mse-next"));
        const double oneBit = double(a->quantizedWeights) / double(a->allWeights);
        QVERIFY(std::abs(by["rtn-next"].effectiveBits - by["rtn"].effectiveBits - oneBit) < 1e-9);
        QVERIFY(std::abs(by["mse-next"].effectiveBits - by["mse"].effectiveBits - oneBit) < 1e-9);
        QCOMPARE(by["rtn"].macOverhead, 0.0);
        QVERIFY(by["ocs"].macOverhead >= 0.0);
        // distinct colours and markers (multipoint and mixed precision were both orange)
        std::set<QRgb> colours;
        std::set<int> shapes;
        for (const auto &fig : figures) {
            colours.insert(mpq::ui::methodColor(fig.method).rgb());
            shapes.insert(mpq::ui::methodShape(fig.method));
        }
        QCOMPARE(colours.size(), figures.size());
        QCOMPARE(shapes.size(), figures.size());
        QVERIFY(view->caption().contains("on the calibration images"));

        // the export summary: the same figures, and the float layer named
        mpq::studio::ExportRequest r;
        r.opened = w.document()->opened();
        r.quantization = w.document()->quantization();
        r.folder = path("export");
        r.baseName = "conv-mpq";
        mpq::studio::ExportDialog dialog(r);
        dialog.setFormats(mpq::studio::ReportFormat);
        dialog.setVerify(false);
        QSignalSpy finished(&dialog, &mpq::studio::ExportDialog::finished);
        dialog.startExport();
        QVERIFY(finished.wait(60000));
        const QString summary = dialog.resultText();
        QVERIFY2(summary.contains(mpq::ui::formatPercent(a->memoryOverhead)), qPrintable(summary));
        QVERIFY2(summary.contains(mpq::ui::formatPercent(a->macOverhead)), qPrintable(summary));
        QVERIFY2(summary.contains(mpq::ui::formatBits(a->effectiveBits)), qPrintable(summary));
        QVERIFY2(summary.contains("kept float"), qPrintable(summary));
    }

    void switchingModelsClearsEveryPage()
    {
        MainWindow w;
        analyse(w, "conv.pt");
        if (QTest::currentTestFailed())
            return;
        // the Compare page on the test images says so
        w.settingsPanel()->setTestImagesDir(path("test"));
        emit w.settingsPanel()->testImagesDirChanged(path("test"));
        compare(w);
        if (QTest::currentTestFailed())
            return;
        mpq::ui::CompareView *view = w.workspace()->compareView();
        QVERIFY(view->isShowingFigures());
        QVERIFY2(view->caption().contains(QDir(path("test")).absolutePath()),
                 qPrintable(view->caption()));
        // another budget: the figures are marked out of date, with what to do
        w.settingsPanel()->thresholdControl()->budgetSpin()->setValue(20.0);
        QVERIFY(view->isStale());
        QVERIFY2(view->caption().contains("Out of date") &&
                     view->caption().contains("Run comparison"),
                 qPrintable(view->caption()));
        // another model: no figure of the previous one on any page
        open(w, "other.pt");
        QVERIFY(!view->isShowingFigures());
        QCOMPARE(view->model()->rowCount(), 0);
        QVERIFY(!w.document()->analysis());
        QVERIFY(w.workspace()->previewView()->settingText().isEmpty());
        QVERIFY(w.workspace()->sensitivityPlot()->epsilon() > 0); // still drawable, no curves
    }

    void failingComparisonShowsItsReason()
    {
        MainWindow w;
        analyse(w, "conv.pt");
        if (QTest::currentTestFailed())
            return;
        w.settingsPanel()->setTestImagesDir(path("broken"));
        emit w.settingsPanel()->testImagesDirChanged(path("broken"));
        QSignalSpy failed(controller(w), &mpq::studio::PreviewController::failed);
        controller(w)->runCompare();
        QVERIFY(failed.wait(60000));
        mpq::ui::CompareView *view = w.workspace()->compareView();
        QVERIFY2(view->emptyText().contains("bad.png"), qPrintable(view->emptyText()));
        QVERIFY(!view->caption().contains("Comparing"));
        // superseded: a newer evaluation interrupts it, and the page says so
        w.settingsPanel()->setTestImagesDir(path("test"));
        emit w.settingsPanel()->testImagesDirChanged(path("test"));
        controller(w)->runCompare();
        QVERIFY(view->caption().contains("Comparing"));
        controller(w)->runner()->start(
            "newer", [](const mpq::JobControl &) { return 1; }, [](int) {});
        QVERIFY(!view->caption().contains("Comparing"));
        QVERIFY2(view->emptyText().contains("interrupted"), qPrintable(view->emptyText()));
        controller(w)->runner()->waitForWorkers();
    }
};

QTEST_MAIN(TestTruth)
#include "tst_truth.moc"
