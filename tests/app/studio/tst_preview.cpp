// The Preview and Compare pages driven by PreviewController on the demo classifier and
// detector: item counts and predictions, the debounced re-evaluation after an epsilon change
// and its figures against `mpq eval` for that setting, the method comparison.
#include "evaluationjobs.h"
#include "jobrunner.h"
#include "previewcontroller.h"

#include "mpq/analysis.h"
#include "mpq/evaluation.h"
#include "mpq/images.h"
#include "mpq/pipeline.h"
#include "mpq/runner.h"
#include "mpqwidgets/compareview.h"
#include "mpqwidgets/previewview.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <qcustomplot.h>

namespace {

const QString kSamples = QStringLiteral(MPQ_SAMPLES_DIR);

struct Demo
{
    std::shared_ptr<const mpq::Model> model;
    mpq::ModelProfile profile;
    std::shared_ptr<const mpq::Analysis> analysis;
    QString images;
};

Demo load(const QString &model, const QString &profile, const QString &images, int calib,
          int maxPoints)
{
    Demo d;
    d.model = std::make_shared<const mpq::Model>(mpq::Model::load(model.toStdString()));
    d.profile = mpq::loadProfile(profile.toStdString());
    mpq::AnalysisSettings s;
    s.bits = 4;
    s.maxPoints = maxPoints;
    s.calibCount = calib;
    d.analysis = std::make_shared<const mpq::Analysis>(
        mpq::analyze(*d.model, d.profile, mpq::findImages(images.toStdString()), s));
    d.images = images;
    return d;
}

mpq::studio::EvaluationRequest request(const Demo &d, double epsilon)
{
    mpq::AllocationSettings a;
    a.bits = 4;
    a.epsilon = epsilon;
    mpq::studio::EvaluationRequest r;
    r.opened.model = d.model;
    r.opened.hasProfile = true;
    r.opened.profile = d.profile;
    r.quantization =
        std::make_shared<const mpq::Quantization>(mpq::reallocate(d.analysis, nullptr, a));
    r.imagesDir = d.images;
    r.setting = QStringLiteral("epsilon %1").arg(epsilon);
    r.thumbnailSide = 160;
    return r;
}

/// A .png that is not an image.
bool writeUndecodable(const QString &file)
{
    QFile bad(file);
    return bad.open(QIODevice::WriteOnly) && bad.write("not an image at all") > 0;
}

} // namespace

class TestPreview : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    Demo m_fashion;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_fashion = load(kSamples + "/fashion/fashion_resnet.pt",
                         kSamples + "/fashion/fashion_resnet.profile.json",
                         kSamples + "/fashion/test", 32, 4);
    }

    void classifierPreviewAndReevaluation()
    {
        mpq::ui::PreviewView preview;
        mpq::ui::CompareView compare;
        mpq::studio::PreviewController controller(&preview, &compare);
        controller.setDebounceInterval(50);
        QAbstractItemModelTester tester(preview.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy updated(&controller, &mpq::studio::PreviewController::previewUpdated);

        controller.setRequest(request(m_fashion, 1e-2));
        QVERIFY(updated.wait(120000));
        QCOMPARE(controller.evaluationsStarted(), 1);
        const mpq::ui::PreviewModel *model = preview.model();
        QCOMPARE(model->rowCount(), 500);
        for (int row : {0, 250, 499}) {
            const QModelIndex i = model->index(row);
            QCOMPARE(model->data(i, mpq::ui::PreviewModel::FloatSummaryRole).toStringList().size(),
                     3);
            QCOMPARE(
                model->data(i, mpq::ui::PreviewModel::QuantizedSummaryRole).toStringList().size(),
                3);
            const QImage thumb =
                model->data(i, mpq::ui::PreviewModel::ThumbnailRole).value<QImage>();
            QVERIFY(thumb.width() >= 112); // 28x28 samples enlarged for the grid
        }
        QVERIFY(preview.settingText().contains("epsilon 0.01"));

        // two quick moves of the slider: one re-evaluation, for the last setting
        controller.setRequest(request(m_fashion, 0.3));
        controller.setRequest(request(m_fashion, 0.2));
        QVERIFY(updated.wait(120000));
        QTest::qWait(200);
        QCOMPARE(controller.evaluationsStarted(), 2);
        QVERIFY(preview.settingText().contains("epsilon 0.2"));

        // the same figures as `mpq eval` for that setting, from a saved analysis
        const QString saved = m_dir.filePath("fashion.mpqa");
        mpq::saveAnalysis(*m_fashion.analysis, nullptr, saved.toStdString());
        QProcess mpq;
        mpq.start(QStringLiteral(MPQ_CLI_PATH),
                  {"eval", kSamples + "/fashion/fashion_resnet.pt", "--analysis", saved, "--images",
                   kSamples + "/fashion/test", "--bits", "4", "--max-points", "4", "--calib-count",
                   "32", "--epsilon", "0.2", "--json", m_dir.filePath("eval.json")});
        QVERIFY(mpq.waitForFinished(300000));
        QVERIFY2(mpq.exitCode() == 0, mpq.readAllStandardError().constData());
        QFile json(m_dir.filePath("eval.json"));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonObject metrics =
            QJsonDocument::fromJson(json.readAll()).object()["metrics"].toObject();
        const mpq::ClassificationMetrics &m = model->preview().result->classification;
        QCOMPARE(m.top1Quantized, metrics["quantized"].toObject()["top1"].toDouble());
        QCOMPARE(m.top1Float, metrics["float"].toObject()["top1"].toDouble());
        QVERIFY2(m.top1Float > m.top1Quantized, "epsilon 0.2 at 4 bits must cost accuracy");
        // the panel shows them as docs/ui.md asks: two decimals and the change in points
        const QString quantized = QLocale().toString(m.top1Quantized * 100, 'f', 2) + " %";
        QVERIFY2(preview.metricsText().contains(quantized), qPrintable(preview.metricsText()));
        QVERIFY(model->changedCount() > 0);
    }

    void failureShowsItsReason()
    {
        // a folder whose only image cannot be decoded: the reason (file and problem) reaches the
        // page and the window, never a bare "evaluation failed"
        const QString broken = m_dir.filePath("broken");
        QVERIFY(QDir().mkpath(broken));
        QVERIFY(writeUndecodable(broken + "/bad.png"));
        mpq::ui::PreviewView preview;
        mpq::ui::CompareView compare;
        mpq::studio::PreviewController controller(&preview, &compare);
        controller.setDebounceInterval(10);
        QSignalSpy failed(&controller, &mpq::studio::PreviewController::failed);
        mpq::studio::EvaluationRequest r = request(m_fashion, 1e-2);
        r.imagesDir = broken;
        controller.setRequest(r);
        QVERIFY(failed.wait(60000));
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(broken) && message.contains("bad.png"), qPrintable(message));
        QVERIFY2(preview.pendingText().contains(message), qPrintable(preview.pendingText()));
        controller.runCompare();
        QVERIFY(failed.wait(60000));
        QVERIFY2(failed.last().first().toString().contains("bad.png"),
                 qPrintable(failed.last().first().toString()));
        // the Compare page says why, and no "Comparing the methods..." stays
        QVERIFY2(compare.emptyText().contains("bad.png"), qPrintable(compare.emptyText()));
        QVERIFY(!compare.caption().contains("Comparing"));
    }

    // a folder with an unreadable image: the page says how many of the folder's images the
    // figures are on
    void metricsSayHowManyImages()
    {
        const QString some = m_dir.filePath("some");
        QVERIFY(QDir().mkpath(some + "/bag"));
        QVERIFY(QFile::copy(kSamples + "/fashion/test/bag/0018.png", some + "/bag/a.png"));
        QVERIFY(QFile::copy(kSamples + "/fashion/test/bag/0030.png", some + "/bag/b.png"));
        QVERIFY(writeUndecodable(some + "/bag/bad.png"));
        mpq::ui::PreviewView preview;
        mpq::ui::CompareView compare;
        mpq::studio::PreviewController controller(&preview, &compare);
        controller.setDebounceInterval(10);
        QSignalSpy updated(&controller, &mpq::studio::PreviewController::previewUpdated);
        mpq::studio::EvaluationRequest r = request(m_fashion, 1e-2);
        r.imagesDir = some;
        controller.setRequest(r);
        QVERIFY(updated.wait(60000));
        QCOMPARE(preview.model()->rowCount(), 2);
        QVERIFY2(preview.metricsText().contains("2 of the 3 in the folder"),
                 qPrintable(preview.metricsText()));
    }

    void classifierCompare()
    {
        mpq::ui::PreviewView preview;
        mpq::ui::CompareView compare;
        mpq::studio::PreviewController controller(&preview, &compare);
        controller.setDebounceInterval(60000); // only the comparison runs here
        QSignalSpy updated(&controller, &mpq::studio::PreviewController::compareUpdated);
        const mpq::studio::EvaluationRequest r = request(m_fashion, 1e-2);
        controller.setRequest(r);
        controller.runCompare();
        QVERIFY(updated.wait(300000));
        const auto &figures = compare.model()->figures();
        // five methods at the allocation's cost, and RTN and MSE at 5 bits
        QCOMPARE(figures.size(), size_t(7));
        QCOMPARE(figures[0].method, QString("multipoint"));
        QCOMPARE(figures[0].effectiveBits, r.quantization->allocation.effectiveBits);
        QCOMPARE(compare.model()->metricName(), QString("Top-1 accuracy"));
        for (const auto &f : figures) {
            QVERIFY(f.metric > 0.1 && f.metric <= 1.0);
            QCOMPARE(f.reference, figures[0].reference);
            // each detail composed in the interface's language (English here), from the
            // evaluation's own figures; the wider layers listed for mixed precision only
            if (f.method == "mixed")
                QCOMPARE(f.detail, QString("%1 layers at 5 bits").arg(f.widerLayers.size()));
            else if (f.method == "ocs")
                QVERIFY2(f.detail.startsWith("expand ratio ") && f.detail.endsWith(" %"),
                         qPrintable(f.detail));
            else if (f.method.endsWith("-next"))
                QCOMPARE(f.detail, QString("all layers at 5 bits"));
            else
                QVERIFY2(f.detail.isEmpty(), qPrintable(f.method + ": " + f.detail));
            QCOMPARE(f.widerLayers.isEmpty(), f.method != "mixed" || f.detail.startsWith("0 "));
        }
        // the plot has one series per method plus the float reference line
        QCOMPARE(compare.plot()->graphCount(), 8);
        QCOMPARE(compare.plot()->graph(0)->data()->at(0)->value, figures[0].metric * 100);
        QAbstractItemModelTester tester(compare.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    void detectorPreview()
    {
        const Demo d =
            load(kSamples + "/centernet/centernet_mbv3.pt",
                 kSamples + "/centernet/centernet_mbv3.profile.json", kSamples + "/images", 4, 3);
        mpq::ui::PreviewView preview;
        mpq::ui::CompareView compare;
        mpq::studio::PreviewController controller(&preview, &compare);
        controller.setDebounceInterval(10);
        QSignalSpy updated(&controller, &mpq::studio::PreviewController::previewUpdated);
        const mpq::studio::EvaluationRequest r = request(d, 1e-3);
        controller.setRequest(r);
        QVERIFY(updated.wait(300000));
        const mpq::ui::PreviewModel *model = preview.model();
        const std::vector<std::string> files =
            mpq::findImages((kSamples + "/images").toStdString());
        QCOMPARE(model->rowCount(), int(files.size()));
        int floatBoxes = 0, quantizedBoxes = 0;
        for (int row = 0; row < model->rowCount(); ++row) {
            const QModelIndex i = model->index(row);
            floatBoxes +=
                model->data(i, mpq::ui::PreviewModel::FloatSummaryRole).toStringList().size();
            quantizedBoxes +=
                model->data(i, mpq::ui::PreviewModel::QuantizedSummaryRole).toStringList().size();
            QVERIFY(!model->data(i, mpq::ui::PreviewModel::ThumbnailRole).value<QImage>().isNull());
        }
        QVERIFY2(floatBoxes >= 10, qPrintable(QString::number(floatBoxes)));
        QVERIFY(std::abs(quantizedBoxes - floatBoxes) <= floatBoxes / 4);
        // the figures equal a direct evaluation with the same allocation
        mpq::ModelRunner f = mpq::floatRunner(*d.model);
        mpq::ModelRunner q =
            mpq::quantizedRunner(*d.model, *d.analysis, r.quantization->allocation, {});
        const mpq::EvaluationResult direct =
            mpq::evaluate(d.profile, files, (kSamples + "/images").toStdString(), f, q, 8);
        QCOMPARE(model->preview().result->map50VsFloat, direct.map50VsFloat);
        QVERIFY(preview.metricsText().contains("mAP@0.5 vs float"));
        // a higher score threshold draws and counts fewer boxes
        const int before = model->data(model->index(0), mpq::ui::PreviewModel::FloatSummaryRole)
                               .toStringList()
                               .size();
        preview.model()->setScoreThreshold(0.9);
        QVERIFY(model->data(model->index(0), mpq::ui::PreviewModel::FloatSummaryRole)
                    .toStringList()
                    .size() <= before);
    }
};

QTEST_MAIN(TestPreview)
#include "tst_preview.moc"
