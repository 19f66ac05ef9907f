// The built-in demo models on their real sample images: what they find in float, and that an
// 8-bit single-point quantization keeps it.
#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/evaluation.h"
#include "mpq/images.h"
#include "mpq/model.h"
#include "mpq/runner.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <set>

namespace {

const std::string kSamples = MPQ_SAMPLES_DIR;

std::set<std::string> labelsFound(const std::vector<mpq::Detection> &dets,
                                  const std::vector<std::string> &labels)
{
    std::set<std::string> out;
    for (const mpq::Detection &d : dets)
        out.insert(labels.at(d.label));
    return out;
}

} // namespace

class TestDemoModels : public QObject
{
    Q_OBJECT
private slots:
    void detectorFindsDogAndBicycle()
    {
        const mpq::Model model = mpq::Model::load(kSamples + "/centernet/centernet_mbv3.pt");
        QCOMPARE(model.layers().size(), size_t(89));
        const mpq::ModelProfile profile =
            mpq::loadProfile(kSamples + "/centernet/centernet_mbv3.profile.json");
        QCOMPARE(profile.labels.size(), size_t(80));
        const mpq::PreparedImage dog =
            mpq::prepareImage(kSamples + "/images/dog.jpg", profile.input);
        mpq::ModelRunner runner = mpq::floatRunner(model);
        const auto dets =
            mpq::decodeDetections(runner.run({dog}), {dog}, profile.input, profile.output);
        const std::set<std::string> found = labelsFound(dets.at(0), profile.labels);
        QVERIFY2(found.count("dog") && found.count("bicycle"),
                 qPrintable(QString::number(found.size())));
        for (const mpq::Detection &d : dets[0]) { // boxes lie inside darknet's 768x576 photo
            QVERIFY(d.x1 >= 0 && d.x2 <= 768 && d.y1 >= 0 && d.y2 <= 576 && d.x1 < d.x2 &&
                    d.y1 < d.y2);
            QVERIFY(d.score > 0.3f);
        }
    }

    void detectorAgainstVocAnnotations()
    {
        // two photos with annotations: dog.jpg's is right (from its known content), giraffe.jpg's
        // is malformed and must be reported while dog.jpg is still evaluated
        QTemporaryDir dir;
        QDir().mkpath(dir.filePath("Annotations"));
        for (const char *photo : {"dog.jpg", "giraffe.jpg"})
            QVERIFY(QFile::copy(QString::fromStdString(kSamples + "/images/") + photo,
                                dir.filePath(photo)));
        QFile good(dir.filePath("Annotations/dog.xml"));
        QVERIFY(good.open(QIODevice::WriteOnly));
        good.write(
            "<annotation><object><name>Dog</name><bndbox><xmin>124</xmin><ymin>219</"
            "ymin><xmax>323</xmax>"
            "<ymax>546</ymax></bndbox></object><object><name>bicycle</name><bndbox><xmin>117</xmin>"
            "<ymin>124</ymin><xmax>570</xmax><ymax>424</ymax></bndbox></"
            "object><object><name>dragon</name>"
            "<bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox></object></"
            "annotation>");
        good.close();
        QFile bad(dir.filePath("Annotations/giraffe.xml"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("<annotation><object><name>giraffe</name>");
        bad.close();
        const mpq::Model model = mpq::Model::load(kSamples + "/centernet/centernet_mbv3.pt");
        const mpq::ModelProfile profile =
            mpq::loadProfile(kSamples + "/centernet/centernet_mbv3.profile.json");
        const std::vector<std::string> photos = mpq::findImages(dir.path().toStdString());
        mpq::ModelRunner a = mpq::floatRunner(model), b = mpq::floatRunner(model);
        const mpq::EvaluationResult r =
            mpq::evaluate(profile, photos, dir.path().toStdString(), a, b, 2);
        QCOMPARE(r.annotatedImages, 1);
        QCOMPARE(r.map50VsFloat, 1.0); // the same model on both sides
        QVERIFY2(r.map50Float > 0.5, qPrintable(QString::number(r.map50Float)));
        QCOMPARE(r.map50Quantized, r.map50Float);
        QString warnings;
        for (const std::string &w : r.warnings)
            warnings += QString::fromStdString(w) + "\n";
        QVERIFY2(warnings.contains("giraffe.xml: <object> is not closed"), qPrintable(warnings));
        QVERIFY2(warnings.contains("dragon"), qPrintable(warnings));
    }

    void detectorKeepsItsDetectionsAtEightBits()
    {
        const mpq::Model model = mpq::Model::load(kSamples + "/centernet/centernet_mbv3.pt");
        const mpq::ModelProfile profile =
            mpq::loadProfile(kSamples + "/centernet/centernet_mbv3.profile.json");
        const std::vector<std::string> photos = mpq::findImages(kSamples + "/images");
        QVERIFY(photos.size() >= 10);
        mpq::AnalysisSettings settings;
        settings.bits = 8;
        settings.maxPoints = 1;
        settings.batchSize = 2;
        const mpq::Analysis analysis = mpq::analyze(model, profile, photos, settings);
        mpq::AllocationSettings one;
        one.bits = 8;
        const mpq::Allocation allocation = mpq::allocate(analysis.curves, one);
        QCOMPARE(allocation.memoryOverhead, 0.0);
        mpq::ModelRunner floatModel = mpq::floatRunner(model);
        mpq::ModelRunner quantized = mpq::quantizedRunner(model, analysis, allocation, {});
        const mpq::EvaluationResult r =
            mpq::evaluate(profile, photos, kSamples + "/images", floatModel, quantized, 2);
        QCOMPARE(r.images.size(), photos.size());
        QVERIFY2(r.map50VsFloat >= 0.95,
                 qPrintable(QString("mAP@0.5 against float %1").arg(r.map50VsFloat)));
    }

    void classifierTopOneAsRecorded()
    {
        // the figure recorded when the subset was made (resources/samples/fashion/expected.json)
        QFile expectedFile(QString::fromStdString(kSamples + "/fashion/expected.json"));
        QVERIFY(expectedFile.open(QIODevice::ReadOnly));
        const QJsonObject expected = QJsonDocument::fromJson(expectedFile.readAll()).object();
        const mpq::Model model = mpq::Model::load(kSamples + "/fashion/fashion_resnet.pt");
        QVERIFY(model.layers().size() >= 9); // at least 8 convolutions and the classifier
        const mpq::ModelProfile profile =
            mpq::loadProfile(kSamples + "/fashion/fashion_resnet.profile.json");
        const std::vector<std::string> images = mpq::findImages(kSamples + "/fashion/test");
        QCOMPARE(int(images.size()), expected["subset_images"].toInt());
        // 8 bits, one point
        mpq::AnalysisSettings settings;
        settings.bits = 8;
        settings.maxPoints = 1;
        settings.calibCount = 64;
        const mpq::Analysis analysis = mpq::analyze(model, profile, images, settings);
        mpq::AllocationSettings one;
        one.bits = 8;
        const mpq::Allocation allocation = mpq::allocate(analysis.curves, one);
        mpq::ModelRunner floatModel = mpq::floatRunner(model);
        mpq::ModelRunner quantized = mpq::quantizedRunner(model, analysis, allocation, {});
        const mpq::EvaluationResult r =
            mpq::evaluate(profile, images, kSamples + "/fashion/test", floatModel, quantized, 50);
        QCOMPARE(r.classification.labelled, int(images.size())); // every folder names a label
        QCOMPARE(qRound(r.classification.top1Float * r.classification.labelled),
                 expected["subset_correct"].toInt());
        QVERIFY2(r.classification.agreement >= 0.99,
                 qPrintable(QString::number(r.classification.agreement)));
    }
};

QTEST_APPLESS_MAIN(TestDemoModels)
#include "tst_demomodels.moc"
