// The Compare page's progress line during a sweep and a comparison (issue 14, "show progress
// for comparisons and sweeps"; docs/BENCHMARKS.md, "Time left"): PreviewController hands the
// JobRunner's time left (app/studio/timeleft.h, the estimator the analysis' progress line uses)
// to CompareView, which shows it beside the stage and percent, and shows none while the
// runner has no estimate. Progress reports are fed to the running job's runner; a small
// ConvNet's sweep is the job, cancelled at the end.
#include "evaluationjobs.h"
#include "jobrunner.h"
#include "previewcontroller.h"

#include "../../core/testmodels.h"
#include "mpq/analysis.h"
#include "mpq/images.h"
#include "mpq/pipeline.h"
#include "mpqwidgets/compareview.h"
#include "mpqwidgets/previewview.h"

#include <QImage>
#include <QProgressBar>
#include <QTemporaryDir>
#include <QtTest>

#include <random>

class TestCompareTimeLeft : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    mpq::studio::EvaluationRequest m_request;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString images = m_dir.filePath("images");
        QVERIFY(QDir().mkpath(images));
        for (int i = 0; i < 8; ++i) {
            std::mt19937 rng(11 + i);
            QImage img(14, 12, QImage::Format_RGB32);
            for (int y = 0; y < img.height(); ++y)
                for (int x = 0; x < img.width(); ++x)
                    img.setPixel(x, y, qRgb(rng() % 256, rng() % 256, rng() % 256));
            QVERIFY(img.save(QString("%1/%2.png").arg(images).arg(i)));
        }
        const std::string model = m_dir.filePath("conv.pt").toStdString();
        mpqtest::saveConvNet(model, 1);
        mpq::ModelProfile profile;
        profile.input.width = 12;
        profile.input.height = 10;
        profile.input.mean.assign(3, 0.5);
        profile.input.std.assign(3, 0.25);
        mpq::AnalysisSettings s;
        s.bits = 4;
        s.maxPoints = 3;
        s.calibCount = 8;
        s.batchSize = 4;
        m_request.opened.model = std::make_shared<const mpq::Model>(mpq::Model::load(model));
        m_request.opened.hasProfile = true;
        m_request.opened.profile = profile;
        const auto analysis = std::make_shared<const mpq::Analysis>(mpq::analyze(
            *m_request.opened.model, profile, mpq::findImages(images.toStdString()), s));
        mpq::AllocationSettings a;
        a.bits = 4;
        a.rule = mpq::AllocationRule::Budget;
        a.budget = 0.05;
        m_request.quantization =
            std::make_shared<const mpq::Quantization>(mpq::reallocate(analysis, nullptr, a));
        m_request.imagesDir = images;
        m_request.setting = QStringLiteral("5 % memory");
    }

    void sweepShowsTimeLeft()
    {
        mpq::ui::PreviewView preview;
        mpq::ui::CompareView compare;
        mpq::studio::PreviewController controller(&preview, &compare);
        controller.setDebounceInterval(600000); // no Preview evaluation in between
        controller.setRequest(m_request);
        compare.setMode(mpq::ui::CompareView::Sweep);
        controller.runSweep();
        mpq::studio::JobRunner *runner = controller.runner();
        const int id = runner->currentJobId();
        QVERIFY(id > 0);
        QVERIFY(compare.isRunning(mpq::ui::CompareView::Sweep));
        // the runner's report (no event loop turn in between: the worker's own reports wait)
        emit runner->progressChanged(id, QStringLiteral("evaluating mixed"), 0.4, 83.2);
        QProgressBar *bar = compare.progressBar();
        QVERIFY(bar->isVisible() || !compare.isVisible());
        QVERIFY2(bar->text().contains("evaluating mixed"), qPrintable(bar->text()));
        QVERIFY2(bar->text().contains("40"), qPrintable(bar->text()));
        QVERIFY2(bar->text().contains("1:24 left"), qPrintable(bar->text()));
        // no estimate yet: no time left shown, not a stale one
        emit runner->progressChanged(id, QStringLiteral("evaluating ocs"), 0.45, -1.0);
        QVERIFY2(bar->text().contains("evaluating ocs"), qPrintable(bar->text()));
        QVERIFY2(!bar->text().contains("left"), qPrintable(bar->text()));
        emit runner->progressChanged(id, QStringLiteral("evaluating ocs"), 0.5, 605.0);
        QVERIFY2(bar->text().contains("10:05 left"), qPrintable(bar->text()));
        // the comparison's mode is not touched by the sweep's reports
        compare.setMode(mpq::ui::CompareView::AtAllocation);
        QVERIFY2(!bar->text().contains("left"), qPrintable(bar->text()));
        controller.cancelComparison();
        runner->waitForWorkers();
    }

    void comparisonShowsTimeLeft()
    {
        mpq::ui::PreviewView preview;
        mpq::ui::CompareView compare;
        mpq::studio::PreviewController controller(&preview, &compare);
        controller.setDebounceInterval(600000);
        controller.setRequest(m_request);
        controller.runCompare();
        mpq::studio::JobRunner *runner = controller.runner();
        const int id = runner->currentJobId();
        QVERIFY(id > 0);
        QVERIFY(compare.isRunning(mpq::ui::CompareView::AtAllocation));
        emit runner->progressChanged(id, QStringLiteral("evaluating rtn"), 0.25, 59.0);
        QProgressBar *bar = compare.progressBar();
        QVERIFY2(bar->text().contains("0:59 left"), qPrintable(bar->text()));
        // a new run starts without the previous run's figure
        controller.cancelComparison();
        runner->waitForWorkers();
        controller.runCompare();
        QVERIFY2(!bar->text().contains("left"), qPrintable(bar->text()));
        controller.cancelComparison();
        runner->waitForWorkers();
    }
};

QTEST_MAIN(TestCompareTimeLeft)
#include "tst_comparetimeleft.moc"
