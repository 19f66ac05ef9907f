// MainWindow end to end on a small model: open, analyze, move the threshold, and check that the
// table, the status bar and the plots show exactly what mpq::allocate gives for that epsilon.

#include "../../core/testmodels.h"

#include "jobrunner.h"
#include "layerspanel.h"
#include "mainwindow.h"
#include "modeldocument.h"
#include "profiledialog.h"
#include "projectactions.h"
#include "settingspanel.h"
#include "workspacetabs.h"

#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/error.h"
#include "mpq/profile.h"

#include "mpqwidgets/allocationplot.h"
#include "mpqwidgets/layertablemodel.h"
#include "mpqwidgets/numberformat.h"
#include "mpqwidgets/sensitivityplot.h"
#include "mpqwidgets/thresholdcontrol.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using mpq::studio::MainWindow;
using mpq::ui::LayerTableModel;

namespace {

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

/// Channels with n points per layer, as the allocation plot's bars should show.
double channelsWithPoints(const mpq::LayerAllocation &a, int n)
{
    return static_cast<double>(std::count(a.points.begin(), a.points.end(), n));
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_cache; ///< this test function's own analysis cache (XDG_CACHE_HOME), empty at start
    int m_testIndex = 0;
    QString path(const QString &name) const { return m_dir.filePath(name); }

    /// Opens the conv model with small analysis settings and waits for its layers.
    void openSmallModel(MainWindow &w)
    {
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        mpq::AnalysisSettings s;
        s.bits = 3;
        s.maxPoints = 4;
        s.calibCount = 6;
        w.settingsPanel()->setAnalysisSettings(s);
        w.openModel(path("conv.pt"), path("images"));
        QVERIFY(opened.wait(30000));
    }

    /// Opens the conv model and analyses it in this test (the cache starts empty in every test
    /// function, so nothing depends on the order the tests run in).
    void analyseSmallModel(MainWindow &w)
    {
        openSmallModel(w);
        if (QTest::currentTestFailed())
            return;
        if (!w.document()->analysis()) {
            QSignalSpy finished(&w, &MainWindow::analysisFinished);
            w.analyze();
            QVERIFY(finished.wait(120000));
        }
        QVERIFY(w.document()->analysis());
        QVERIFY(w.document()->allocation());
    }

    /// The allocation mpq::allocate gives for the window's analysis at this epsilon.
    static mpq::Allocation expectedAt(const MainWindow &w, double epsilon)
    {
        mpq::AllocationSettings settings;
        settings.bits = w.document()->analysis()->settings.bits;
        settings.epsilon = epsilon;
        settings.overrides = w.document()->allocationSettings().overrides;
        return mpq::allocate(w.document()->analysis()->curves, settings);
    }

    /// Table, status bar and plots against an expected allocation.
    static void checkShows(const MainWindow &w, const mpq::Allocation &expected, double epsilon)
    {
        const LayerTableModel *table = w.layersPanel()->tableModel();
        QCOMPARE(static_cast<std::size_t>(table->rowCount()), expected.layers.size());
        for (int row = 0; row < table->rowCount(); ++row) {
            const mpq::LayerAllocation &e = expected.layers[table->layerIndex(row)];
            const QModelIndex mean = table->index(row, LayerTableModel::MeanPoints);
            QCOMPARE(table->data(mean, LayerTableModel::RawValueRole).toDouble(), e.meanPoints);
        }
        QCOMPARE(w.memoryText(),
                 QObject::tr("%1 memory").arg(mpq::ui::formatPercent(expected.memoryOverhead)));
        QCOMPARE(w.macText(),
                 QObject::tr("%1 MACs").arg(mpq::ui::formatPercent(expected.macOverhead)));
        QCOMPARE(w.bitsText(), mpq::ui::formatBits(expected.effectiveBits));
        QVERIFY(w.windowTitle().contains(mpq::ui::formatPercent(expected.memoryOverhead)));

        const mpq::ui::SensitivityPlot *sensitivity = w.workspace()->sensitivityPlot();
        QCOMPARE(sensitivity->epsilon(), epsilon);
        QCOMPARE(sensitivity->epsilonLine()->point1->coords().y(), epsilon);

        // the Allocation page is brought up to date when shown (its trade-off is costly)
        w.workspace()->setCurrentIndex(mpq::studio::WorkspaceTabs::Allocation);
        const mpq::ui::AllocationPlot *plot = w.workspace()->allocationPlot();
        const int maxPoints = w.document()->analysis()->settings.maxPoints;
        for (std::size_t l = 0; l < expected.layers.size(); ++l) {
            for (int n = 1; n <= maxPoints; ++n) {
                QCPBars *bars = plot->pointsBars(n);
                QVERIFY(bars);
                QCOMPARE(bars->data()->at(static_cast<int>(l))->value,
                         channelsWithPoints(expected.layers[l], n));
            }
        }
        QCOMPARE(plot->currentMarker()->data()->size(), 1);
        QCOMPARE(plot->currentMarker()->data()->at(0)->value, expected.memoryOverhead * 100.0);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // Private settings and cache: nothing of the user's is read or written. The cache gets
        // a fresh folder per test function (init()).
        qputenv("XDG_DATA_HOME", path("data").toLocal8Bit());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, path("config"));
        QCoreApplication::setOrganizationName(QStringLiteral("mpq-studio-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
        mpqtest::saveConvNet(path("conv.pt").toStdString(), 1);
        writeFile(path("conv.profile.json"),
                  R"({"task": "classification", "input": {"width": 12, "height": 10,
                      "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]},
                      "output": {"decoder": "logits"}})");
        QVERIFY(QDir().mkpath(path("images")));
        for (int i = 0; i < 6; ++i) {
            QImage img(14, 9, QImage::Format_RGB32);
            for (int y = 0; y < img.height(); ++y)
                for (int x = 0; x < img.width(); ++x)
                    img.setPixel(
                        x, y,
                        qRgb((x * 37 + i * 11) % 256, (y * 53 + i) % 256, (x * y + i * 7) % 256));
            QVERIFY(img.save(path(QString("images/%1.png").arg(i))));
        }
        writeFile(path("random.pt"), QByteArray(3000, 'x'));
        mpqtest::saveConvNet(path("noprofile.pt").toStdString(), 2);
    }

    void init()
    {
        m_cache = path(QStringLiteral("cache-%1").arg(++m_testIndex));
        qputenv("XDG_CACHE_HOME", m_cache.toLocal8Bit());
    }

    void startsOnTheStartPage()
    {
        MainWindow w;
        QVERIFY(w.isStartPageShown());
        QCOMPARE(w.windowTitle(), QStringLiteral("MPQ Studio"));
    }

    void layersShowBeforeTheAnalysis()
    {
        MainWindow w;
        openSmallModel(w);
        QVERIFY(!w.isStartPageShown());
        QCOMPARE(w.layersPanel()->tableModel()->rowCount(), 5); // conv1, dw, pw, grouped, fc
        QVERIFY(!w.document()->analysis());
        QVERIFY(w.memoryText().isEmpty());
        QVERIFY(w.windowTitle().contains(QStringLiteral("conv.pt")));
    }

    void analyzeThenMoveTheThreshold()
    {
        MainWindow w;
        w.show();
        openSmallModel(w);
        QSignalSpy finished(&w, &MainWindow::analysisFinished);
        w.analyze();
        QVERIFY(w.jobRunner()->isBusy());
        QVERIFY(finished.wait(120000));
        QCOMPARE(w.jobRunner()->guiThreadViolations(), 0);
        QVERIFY(w.document()->analysis());
        QVERIFY(w.document()->allocation());

        // the threshold rule, one click from the default budget rule, at its epsilon
        mpq::ui::ThresholdControl *control = w.settingsPanel()->thresholdControl();
        control->thresholdButton()->click();
        checkShows(w, expectedAt(w, control->epsilon()), control->epsilon());

        // the user moves the slider: re-allocated synchronously, everything agrees
        for (double target : {1e-1, 3e-3, 1e-5}) {
            const int value = mpq::ui::ThresholdControl::sliderValue(target);
            control->epsilonSlider()->setValue(value);
            const double epsilon = control->epsilon();
            QCOMPARE(w.document()->allocationSettings().epsilon, epsilon);
            checkShows(w, expectedAt(w, epsilon), epsilon);
        }
        // a looser threshold never costs more than a tighter one
        QVERIFY(expectedAt(w, 1e-1).memoryOverhead <= expectedAt(w, 1e-5).memoryOverhead);

        // the user drags the epsilon line on the sensitivity plot
        emit w.workspace()->sensitivityPlot()->epsilonDragged(2e-2);
        QCOMPARE(control->epsilon(), 2e-2);
        checkShows(w, expectedAt(w, 2e-2), 2e-2);
    }

    void undoRedoAndProjects()
    {
        QString project;
        double epsilon = 0;
        std::string overridden;
        double seconds = 0;
        {
            MainWindow w;
            w.show();
            openSmallModel(w);
            QSignalSpy finished(&w, &MainWindow::analysisFinished);
            w.analyze();
            QVERIFY(finished.wait(120000));
            mpq::ui::ThresholdControl *control = w.settingsPanel()->thresholdControl();
            control->thresholdButton()->click(); // the default is a memory budget
            const double first = control->epsilon();
            QUndoStack *undo = w.undoStack();
            undo->clear();
            // one slider gesture is one undo step
            control->epsilonSlider()->setValue(mpq::ui::ThresholdControl::sliderValue(1e-2));
            control->epsilonSlider()->setValue(mpq::ui::ThresholdControl::sliderValue(3e-2));
            QCOMPARE(undo->count(), 1);
            epsilon = control->epsilon();
            undo->undo();
            QCOMPARE(w.document()->allocationSettings().epsilon, first);
            QCOMPARE(control->epsilon(), first);
            checkShows(w, expectedAt(w, first), first);
            undo->redo();
            QCOMPARE(w.document()->allocationSettings().epsilon, epsilon);
            checkShows(w, expectedAt(w, epsilon), epsilon);
            // an override is undoable too
            overridden = w.document()->analysis()->layers.front().name;
            mpq::LayerOverride o;
            o.kind = mpq::LayerOverride::Kind::Points;
            o.points = 3;
            emit w.layersPanel()->overrideRequested(overridden, o);
            QCOMPARE(w.document()->allocationSettings().overrides.count(overridden), size_t(1));
            undo->undo();
            QCOMPARE(w.document()->allocationSettings().overrides.count(overridden), size_t(0));
            undo->redo();
            QCOMPARE(w.document()->allocationSettings().overrides.at(overridden).points, 3);
            // save the project: the analysis is stored beside it
            project = path("session.mpqproj");
            QVERIFY(w.project()->saveTo(project));
            QVERIFY(QFileInfo::exists(path("session.mpqa")));
            seconds = w.document()->analysis()->seconds;
            w.close();
        }
        // a new window restores the exact view without recomputing, not from the cache (which is
        // emptied) but from the project
        QVERIFY(QDir(m_cache).removeRecursively());
        MainWindow w;
        w.show();
        QSignalSpy restored(w.project(), &mpq::studio::ProjectActions::restored);
        w.project()->open(project);
        QVERIFY(restored.wait(60000));
        QVERIFY(w.document()->analysis());
        QCOMPARE(w.document()->analysis()->seconds, seconds);
        QCOMPARE(w.document()->allocationSettings().epsilon, epsilon);
        QCOMPARE(w.document()->allocationSettings().overrides.at(overridden).points, 3);
        checkShows(w, expectedAt(w, epsilon), epsilon);

        // a changed model is reported and its old analysis not used
        QFile::copy(project, path("changed.mpqproj"));
        QFile f(path("changed.mpqproj"));
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray json = f.readAll();
        const QString sha = QString::fromStdString(w.document()->model()->sha256());
        json.replace(sha.toLatin1(), QByteArray(64, '0'));
        f.resize(0);
        f.write(json);
        f.close();
        MainWindow w2;
        QSignalSpy restored2(w2.project(), &mpq::studio::ProjectActions::restored);
        QSignalSpy warned(w2.project(), &mpq::studio::ProjectActions::warned);
        w2.project()->open(path("changed.mpqproj"));
        QVERIFY(restored2.wait(60000));
        QCOMPARE(warned.size(), 1);
        QVERIFY(warned.at(0).at(0).toString().contains("changed since the project was saved"));
        QVERIFY(!w2.document()->analysis() ||
                w2.document()->analysis()->seconds != seconds); // not the saved one
    }

    void overridesReallocate()
    {
        MainWindow w;
        analyseSmallModel(w);
        if (QTest::currentTestFailed())
            return;
        mpq::LayerOverride points;
        points.kind = mpq::LayerOverride::Kind::Points;
        points.points = 2;
        emit w.layersPanel()->overrideRequested("fc", points);
        const auto &a = *w.document()->allocation();
        const int fc = w.document()->layerIndex("fc");
        QVERIFY(fc >= 0);
        QCOMPARE(a.layers[fc].maxPoints, 2);
        QCOMPARE(a.layers[fc].meanPoints, 2.0);
        QVERIFY(
            !w.layersPanel()
                 ->tableModel()
                 ->data(w.layersPanel()->tableModel()->index(
                     w.layersPanel()->tableModel()->rowOfLayer("fc"), LayerTableModel::Override))
                 .toString()
                 .isEmpty());

        // a Bits override computes the layer's curves at those bits as a job
        mpq::LayerOverride bits;
        bits.kind = mpq::LayerOverride::Kind::Bits;
        bits.bits = 5;
        QSignalSpy done(w.jobRunner(), &mpq::studio::JobRunner::jobFinished);
        emit w.layersPanel()->overrideRequested("conv1", bits);
        QVERIFY(done.wait(60000));
        QVERIFY(w.document()->hasCurves("conv1", 5));
        const int conv1 = w.document()->layerIndex("conv1");
        QCOMPARE(w.document()->allocation()->layers[conv1].bits, 5);

        // clearing restores the plain allocation
        emit w.layersPanel()->overrideRequested("fc", std::nullopt);
        emit w.layersPanel()->overrideRequested("conv1", std::nullopt);
        QVERIFY(w.document()->allocationSettings().overrides.empty());
        QCOMPARE(w.document()->allocation()->layers[conv1].bits, 3);
    }

    void cachedAnalysisLoadsOnOpen()
    {
        double seconds = 0;
        {
            // this test's cache is empty: opening finds nothing, the analysis runs and is stored
            MainWindow w;
            openSmallModel(w);
            QVERIFY(!w.document()->analysis());
            QVERIFY(QDir(m_cache).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot));
            analyseSmallModel(w);
            if (QTest::currentTestFailed())
                return;
            seconds = w.document()->analysis()->seconds;
        }
        QVERIFY(!QDir(m_cache).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot));
        MainWindow w;
        QSignalSpy finished(&w, &MainWindow::analysisFinished);
        openSmallModel(w);
        QVERIFY(w.document()->analysis()); // loaded with the model: no analysis job ran
        QCOMPARE(finished.count(), 1);
        QCOMPARE(w.document()->analysis()->seconds, seconds); // the stored one
        QCOMPARE(w.document()->analysis()->settings.maxPoints, 4);
    }

    void badFileKeepsTheState()
    {
        MainWindow w;
        analyseSmallModel(w);
        if (QTest::currentTestFailed())
            return;
        const auto analysis = w.document()->analysis();
        const QString before = w.document()->path();
        QSignalSpy error(&w, &MainWindow::errorShown);
        w.openModel(path("random.pt"));
        QVERIFY(error.wait(30000));
        QVERIFY(error.front().at(0).toString().contains(QStringLiteral("random.pt")));
        QCOMPARE(w.document()->path(), before);
        QCOMPARE(w.document()->analysis(), analysis);
        QCOMPARE(w.layersPanel()->tableModel()->rowCount(), 5);
    }

    void modelWithoutProfileAsksForOne()
    {
        MainWindow w;
        QSignalSpy opened(&w, &MainWindow::modelOpened);
        w.openModel(path("noprofile.pt"), path("images"));
        mpq::studio::ProfileDialog *dialog = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((dialog = w.findChild<mpq::studio::ProfileDialog *>()), 30000);
        QVERIFY(opened.isEmpty()); // not open until the profile is there
        // prefilled from the model: 3 input channels, 5 classes from the final Linear layer
        const mpq::ModelProfile guess = dialog->profile();
        QCOMPARE(guess.task, mpq::Task::Classification);
        QCOMPARE(guess.input.channels, 3);
        QCOMPARE(guess.labels.size(), std::size_t(5));
        dialog->accept();
        QCOMPARE(opened.count(), 1);
        const QString saved = path("noprofile.profile.json");
        QVERIFY(QFile::exists(saved));
        QCOMPARE(mpq::loadProfile(saved.toStdString()).labels, guess.labels);
        QCOMPARE(w.layersPanel()->tableModel()->rowCount(), 5);
    }

    void cancelKeepsThePreviousAnalysis()
    {
        MainWindow w;
        analyseSmallModel(w);
        if (QTest::currentTestFailed())
            return;
        const auto analysis = w.document()->analysis();
        QVERIFY(analysis);
        mpq::AnalysisSettings s = w.settingsPanel()->analysisSettings();
        s.maxPoints = 8; // not cached: a real analysis starts
        w.settingsPanel()->setAnalysisSettings(s);
        QSignalSpy idle(w.jobRunner(), &mpq::studio::JobRunner::busyChanged);
        w.analyze();
        w.jobRunner()->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(!w.jobRunner()->isBusy(), 30000);
        QCOMPARE(w.document()->analysis(), analysis);
    }

    // the Settings dock's "Bias correction" (docs/multipoint.md section 9): one undoable rule
    // change, the allocation of the corrected curves, saved in projects
    void biasCorrectionCheckBox()
    {
        const auto checkBox = [](MainWindow &w) -> QCheckBox * {
            for (QCheckBox *box : w.settingsPanel()->findChildren<QCheckBox *>())
                if (box->text() == mpq::studio::SettingsPanel::tr("Bias &correction"))
                    return box;
            return nullptr;
        };
        QString project;
        {
            MainWindow w;
            w.show();
            analyseSmallModel(w);
            QCheckBox *box = checkBox(w);
            QVERIFY(box);
            QVERIFY(!box->toolTip().isEmpty());
            QVERIFY(!box->isChecked());
            QVERIFY(!w.document()->allocation()->biasCorrection);
            w.undoStack()->clear();
            box->click();
            QVERIFY(w.document()->allocationSettings().biasCorrection);
            QVERIFY(w.document()->allocation()->biasCorrection);
            const mpq::Allocation expected =
                mpq::allocate(w.document()->analysis()->curves, w.document()->allocationSettings());
            QVERIFY(expected.biasCorrection);
            QCOMPARE(w.document()->allocation()->totalError, expected.totalError);
            QCOMPARE(w.undoStack()->count(), 1);
            w.undoStack()->undo();
            QVERIFY(!w.document()->allocationSettings().biasCorrection);
            QVERIFY(!w.document()->allocation()->biasCorrection);
            QVERIFY(!box->isChecked());
            w.undoStack()->redo();
            QVERIFY(box->isChecked());
            QVERIFY(w.document()->allocation()->biasCorrection);
            project = path("corrected.mpqproj");
            QVERIFY(w.project()->saveTo(project));
            w.close();
        }
        MainWindow w;
        w.show();
        QSignalSpy restored(w.project(), &mpq::studio::ProjectActions::restored);
        w.project()->open(project);
        QVERIFY(restored.wait(60000));
        QVERIFY(w.document()->allocationSettings().biasCorrection);
        QVERIFY(w.document()->allocation()->biasCorrection);
        QVERIFY(checkBox(w)->isChecked());
    }

    // the Settings dock's "Weight by output sensitivity" and "MAC cap" (docs/multipoint.md
    // section 8): undoable rule changes, the weighted allocation, saved in projects
    void sensitivityAndMacCapControls()
    {
        const auto checkBox = [](MainWindow &w) -> QCheckBox * {
            for (QCheckBox *box : w.settingsPanel()->findChildren<QCheckBox *>())
                if (box->text() == mpq::studio::SettingsPanel::tr("&Weight by output sensitivity"))
                    return box;
            return nullptr;
        };
        const auto capBox = [](MainWindow &w) {
            return w.settingsPanel()->findChild<QDoubleSpinBox *>(QStringLiteral("macCapSpinBox"));
        };
        QString project;
        {
            MainWindow w;
            w.show();
            w.settingsPanel()->setMacCap(-1.0);
            analyseSmallModel(w);
            QCheckBox *box = checkBox(w);
            QVERIFY(box && capBox(w));
            QVERIFY(!box->toolTip().isEmpty() && !capBox(w)->toolTip().isEmpty());
            QCOMPARE(box->isChecked(), mpq::kSensitivityWeightedDefault);
            if (!w.document()->analysis()->settings.sensitivity) {
                // off by default: an analysis without sensitivities; asking for the weighting
                // allocates unweighted and says the settings need a new analysis
                QVERIFY(!box->isChecked());
                box->click();
                QVERIFY(w.document()->allocationSettings().sensitivityWeighted);
                QVERIFY(!w.document()->allocation()->sensitivityWeighted);
                QVERIFY(w.settingsPanel()->isChanged());
                QSignalSpy finished(&w, &MainWindow::analysisFinished);
                w.analyze();
                QVERIFY(finished.wait(120000));
            }
            // the analysis asked for with the weighting on measures the sensitivity
            QVERIFY(w.document()->analysis()->settings.sensitivity);
            QVERIFY(!w.document()->analysis()->curves.front().sensitivity.empty());
            QVERIFY(!w.settingsPanel()->isChanged());
            if (!box->isChecked())
                box->click();
            QVERIFY(w.document()->allocation()->sensitivityWeighted);
            w.undoStack()->clear();
            box->click();
            QVERIFY(!w.document()->allocationSettings().sensitivityWeighted);
            QVERIFY(!w.document()->allocation()->sensitivityWeighted);
            QCOMPARE(w.undoStack()->count(), 1);
            w.undoStack()->undo();
            QVERIFY(w.document()->allocation()->sensitivityWeighted);
            QVERIFY(box->isChecked());
            capBox(w)->setValue(5.0);
            QCOMPARE(w.document()->allocationSettings().macCap, 0.05);
            QCOMPARE(w.undoStack()->count(), 1); // the undone toggle is replaced
            QCOMPARE(w.undoStack()->index(), 1);
            w.undoStack()->undo();
            QVERIFY(w.document()->allocationSettings().macCap < 0);
            QCOMPARE(capBox(w)->value(), -1.0);
            w.undoStack()->redo();
            QCOMPARE(capBox(w)->value(), 5.0);
            project = path("taskaware.mpqproj");
            QVERIFY(w.project()->saveTo(project));
            w.close();
        }
        MainWindow w;
        w.show();
        QSignalSpy restored(w.project(), &mpq::studio::ProjectActions::restored);
        w.project()->open(project);
        QVERIFY(restored.wait(60000));
        QCOMPARE(w.document()->allocationSettings().macCap, 0.05);
        QVERIFY(w.document()->allocationSettings().sensitivityWeighted);
        QCOMPARE(capBox(w)->value(), 5.0);
        QVERIFY(checkBox(w)->isChecked());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
