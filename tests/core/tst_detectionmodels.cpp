// Scripted torchvision detection models (issue 12, defect 1): SSDlite, RetinaNet and Faster
// R-CNN whose forward takes a list of (C, H, W) images. Analysis, evaluation and every export
// (fake-quant, expanded, integer package) work on them. The fixtures are small random-weight
// models made by tests/data/make_detection_fixtures.py (committed; no Python at test time).
#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/error.h"
#include "mpq/evaluation.h"
#include "mpq/export.h"
#include "mpq/images.h"
#include "mpq/runner.h"

#include <QDir>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <random>

namespace {

const QString kData = MPQ_TEST_DATA_DIR;

mpq::ModelProfile detectionProfile()
{
    mpq::ModelProfile p;
    p.task = mpq::Task::Detection;
    p.input.width = 64;
    p.input.height = 64;
    p.input.scale = 1.0 / 255.0;
    p.input.mean.assign(3, 0.0);
    p.input.std.assign(3, 1.0);
    p.output.decoder = mpq::DecoderKind::Torchvision;
    // untrained heads score anywhere in 0..1: show everything the model returns
    p.output.scoreThreshold = 0.001;
    p.output.nmsIou = 0.5;
    p.output.topK = 100;
    p.labels = {"background", "a", "b"};
    return p;
}

} // namespace

class TestDetectionModels : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::vector<std::string> m_images;
    QString qpath(const QString &name) const { return m_dir.filePath(name); }
    std::string path(const QString &name) const { return qpath(name).toStdString(); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QDir().mkpath(qpath("images"));
        // smooth random blobs on noise, 80x72 (the profile stretches them to 64x64)
        std::mt19937 rng(31);
        for (int i = 0; i < 4; ++i) {
            QImage img(80, 72, QImage::Format_RGB32);
            const int cx = 10 + int(rng() % 60), cy = 10 + int(rng() % 50);
            for (int y = 0; y < img.height(); ++y)
                for (int x = 0; x < img.width(); ++x) {
                    const bool inside = std::abs(x - cx) < 12 && std::abs(y - cy) < 9;
                    const int base = inside ? 200 : 40;
                    img.setPixel(x, y,
                                 qRgb(base + int(rng() % 50), base - int(rng() % 30),
                                      inside ? 60 : 120 + int(rng() % 60)));
                }
            QVERIFY(img.save(qpath(QString("images/%1.png").arg(i))));
        }
        m_images = mpq::findImages(path("images"));
        QCOMPARE(m_images.size(), size_t(4));
    }

    void pipeline_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("activationBits");
        QTest::addColumn<bool>("hasLinear");
        // the lowest label the model returns: SSD and Faster R-CNN keep 0 for the background,
        // torchvision's RetinaNet scores every class, 0 included (no background class)
        QTest::addColumn<int>("firstLabel");
        QTest::newRow("ssdlite") << "ssdlite_tiny.pt" << 0 << false << 1;
        QTest::newRow("retinanet, act 8") << "retinanet_tiny.pt" << 8 << false << 0;
        QTest::newRow("faster r-cnn") << "fasterrcnn_tiny.pt" << 0 << true << 1;
    }

    void pipeline()
    {
        QFETCH(QString, file);
        QFETCH(int, activationBits);
        QFETCH(bool, hasLinear);
        QFETCH(int, firstLabel);
        const std::string modelPath = (kData + "/" + file).toStdString();
        const QString stem = QFileInfo(file).baseName();
        const mpq::ModelProfile profile = detectionProfile();
        const mpq::Model model = mpq::Model::load(modelPath);
        QVERIFY(model.layers().size() >= 5);
        bool linear = false;
        for (const mpq::LayerInfo &l : model.layers())
            linear = linear || l.kind == mpq::LayerKind::Linear;
        QCOMPARE(linear, hasLinear);

        // analysis: the calibration batches reach the model as lists of images
        mpq::AnalysisSettings s;
        s.bits = 3;
        s.maxPoints = 3;
        s.calibCount = 4;
        s.batchSize = 2;
        s.activationBits = activationBits;
        const mpq::Analysis analysis = mpq::analyze(model, profile, m_images, s);
        QCOMPARE(analysis.calibrationFiles.size(), size_t(4));
        QCOMPARE(analysis.curves.size(), model.layers().size());
        for (std::size_t i = 0; i < model.layers().size(); ++i) {
            QVERIFY2(analysis.callsPerForward[i] > 0.0, model.layers()[i].name.c_str());
            double signal = 0.0, error = 0.0;
            for (double v : analysis.curves[i].signal)
                signal += v;
            for (std::int64_t c = 0; c < analysis.curves[i].channels; ++c)
                error += analysis.curves[i].error[c * s.maxPoints];
            QVERIFY2(signal > 0.0, model.layers()[i].name.c_str());
            QVERIFY2(error > 0.0, model.layers()[i].name.c_str()); // 3 bits are not exact
        }

        mpq::AllocationSettings settings;
        settings.bits = 3;
        settings.epsilon = 1e-2;
        const mpq::Allocation allocation = mpq::allocate(analysis.curves, settings);
        QVERIFY2(allocation.extraWeights > 0, "some channels get extra points");

        // evaluation: float beside quantized, boxes for every image
        mpq::ModelRunner floatModel = mpq::floatRunner(model);
        mpq::ModelRunner quantized =
            mpq::quantizedRunner(model, analysis, allocation, {}, activationBits);
        const mpq::EvaluationResult result =
            mpq::evaluate(profile, m_images, path("images"), floatModel, quantized, 2);
        QCOMPARE(result.images.size(), size_t(4));
        for (const mpq::ImagePrediction &p : result.images) {
            QVERIFY(!p.floatDetections.empty());
            QVERIFY(!p.quantizedRanked.empty());
            for (const mpq::Detection &d : p.floatDetections) {
                QVERIFY(d.label >= firstLabel && d.label <= 2);
                QVERIFY(d.x1 >= 0.0f && d.x2 <= 80.0f && d.y1 >= 0.0f && d.y2 <= 72.0f);
            }
        }
        QVERIFY(result.map50VsFloat >= 0.0 && result.map50VsFloat <= 1.0);

        // fake-quant export: reloads to exactly the in-app quantized model
        const mpq::Verification fq = mpq::exportFakeQuant(
            quantized, path(stem + "-fq.pt"),
            mpq::exportManifest(analysis, allocation, settings, "test", "fakequant"), profile,
            m_images);
        QCOMPARE(fq.images, 4);
        QVERIFY2(fq.maxRelativeDifference <= 1e-6,
                 qPrintable(QString::number(fq.maxRelativeDifference)));

        // expanded export: every quantized call rewritten, same detections to float rounding
        const mpq::ExpandedExport ex = mpq::exportExpanded(
            model, analysis, allocation, {}, path(stem + "-ex.pt"),
            mpq::exportManifest(analysis, allocation, settings, "test", "expanded"), profile,
            m_images);
        QCOMPARE(ex.layers.size(), model.layers().size());
        QCOMPARE(ex.verification.images, 4);
        QVERIFY2(ex.verification.maxRelativeDifference <= 1e-4,
                 qPrintable(QString::number(ex.verification.maxRelativeDifference)));
        QVERIFY(ex.extraMacsRun > 0);

        // integer package: one entry per layer, rows and codes sized as the manifest says
        const QString pkg = qpath(stem + "-package");
        mpq::exportIntegerPackage(
            model, analysis, allocation, {},
            mpq::exportManifest(analysis, allocation, settings, "test", "package"),
            pkg.toStdString());
        QFile mf(pkg + "/manifest.json");
        QVERIFY(mf.open(QIODevice::ReadOnly));
        const QJsonArray layers =
            QJsonDocument::fromJson(mf.readAll()).object()["layers"].toArray();
        QCOMPARE(layers.size(), qsizetype(model.layers().size()));
        for (const auto &v : layers) {
            const QJsonObject e = v.toObject();
            const qint64 rows = e["rows"].toInteger(), d = e["d"].toInteger();
            QCOMPARE(QFileInfo(pkg + "/" + e["codes"].toString()).size(), rows * d);
            QCOMPARE(e.contains("activation"), activationBits > 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestDetectionModels)
#include "tst_detectionmodels.moc"
