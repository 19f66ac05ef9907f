// The Preview and Compare item models on constructed evaluation results: item-model contract,
// what each role says for classifiers and detectors, mismatch marking, the score threshold,
// the drawn boxes, and the comparison table.
#include "mpqwidgets/comparemodel.h"
#include "mpqwidgets/predictionrender.h"
#include "mpqwidgets/previewmodel.h"

#include <QAbstractItemModelTester>
#include <QIcon>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

namespace {

mpq::Detection box(float x1, float y1, float x2, float y2, int label, float score)
{
    mpq::Detection d;
    d.x1 = x1;
    d.y1 = y1;
    d.x2 = x2;
    d.y2 = y2;
    d.label = label;
    d.score = score;
    return d;
}

} // namespace

class TestPreviewModel : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_photo;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QImage photo(400, 200, QImage::Format_RGB32);
        photo.fill(Qt::white);
        m_photo = m_dir.filePath("photo.png");
        QVERIFY(photo.save(m_photo));
    }

    void classification()
    {
        auto result = std::make_shared<mpq::EvaluationResult>();
        result->task = mpq::Task::Classification;
        const std::vector<std::vector<float>> f = {{0.7f, 0.2f, 0.1f}, {0.1f, 0.3f, 0.6f}};
        const std::vector<std::vector<float>> q = {{0.6f, 0.3f, 0.1f}, {0.1f, 0.5f, 0.4f}};
        for (int i = 0; i < 2; ++i) {
            mpq::ImagePrediction p;
            p.file = m_photo.toStdString();
            p.floatProbabilities = f[i];
            p.quantizedProbabilities = q[i];
            result->images.push_back(p);
        }
        mpq::ui::PreviewData data;
        data.result = result;
        data.profile.labels = {"cat", "dog", "bird"};
        data.images = {QImage(28, 28, QImage::Format_RGB888), QImage()};
        data.scales = {1.0, 1.0};
        mpq::ui::PreviewModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPreview(data);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.data(model.index(0), mpq::ui::PreviewModel::FloatSummaryRole).toStringList(),
                 (QStringList{"cat 70.0 %", "dog 20.0 %", "bird 10.0 %"}));
        QCOMPARE(model.data(model.index(0), mpq::ui::PreviewModel::ChangedRole).toBool(), false);
        QCOMPARE(model.data(model.index(1), mpq::ui::PreviewModel::ChangedRole).toBool(), true);
        QVERIFY(model.data(model.index(1), Qt::DisplayRole).toString().contains("Q: dog 50.0 %"));
        QVERIFY(model.data(model.index(1), Qt::BackgroundRole).isValid());
        QVERIFY(!model.data(model.index(0), Qt::BackgroundRole).isValid());
        QCOMPARE(model.changedCount(), 1);
        // tiny images are enlarged for the grid; an unreadable one has no picture
        QCOMPARE(model.data(model.index(0), mpq::ui::PreviewModel::ThumbnailRole)
                     .value<QImage>()
                     .width(),
                 112);
        QVERIFY(!model.data(model.index(1), Qt::DecorationRole).isValid());
        QVERIFY(
            model.data(model.index(0), Qt::DecorationRole).value<QIcon>().availableSizes().size() >
            0);
    }

    void detection()
    {
        auto result = std::make_shared<mpq::EvaluationResult>();
        result->task = mpq::Task::Detection;
        mpq::ImagePrediction p;
        p.file = m_photo.toStdString();
        p.floatDetections = {box(10, 10, 100, 100, 0, 0.9f), box(200, 20, 300, 150, 1, 0.4f)};
        p.quantizedDetections = {box(12, 10, 100, 98, 0, 0.85f), box(200, 20, 300, 150, 1, 0.2f)};
        result->images.push_back(p);
        mpq::ui::PreviewData data;
        data.result = result;
        data.profile.task = mpq::Task::Detection;
        data.profile.labels = {"person", "car"};
        data.profile.output.scoreThreshold = 0.3;
        double scale = 0;
        data.images = {mpq::ui::loadScaledImage(m_photo.toStdString(), 200, &scale)};
        data.scales = {scale};
        QCOMPARE(scale, 0.5);
        QCOMPARE(data.images[0].size(), QSize(200, 100));
        mpq::ui::PreviewModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPreview(data);
        // at 0.3 the car is only in the float result: changed
        QCOMPARE(model.data(model.index(0), mpq::ui::PreviewModel::FloatSummaryRole).toStringList(),
                 (QStringList{"person 0.90", "car 0.40"}));
        QCOMPARE(
            model.data(model.index(0), mpq::ui::PreviewModel::QuantizedSummaryRole).toStringList(),
            (QStringList{"person 0.85"}));
        QVERIFY(model.data(model.index(0), mpq::ui::PreviewModel::ChangedRole).toBool());
        const QImage drawn =
            model.data(model.index(0), mpq::ui::PreviewModel::ThumbnailRole).value<QImage>();
        // the float box's left edge at x = 10 * 0.5 is drawn in the float colour (solid)
        const QColor edge = drawn.pixelColor(5, 30);
        QVERIFY2(edge != QColor(Qt::white), qPrintable(edge.name()));
        QVERIFY(edge.blue() > edge.red());
        // at 0.5 both agree: one person each
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setScoreThreshold(0.5);
        QCOMPARE(changed.size(), 1);
        QVERIFY(!model.data(model.index(0), mpq::ui::PreviewModel::ChangedRole).toBool());
        QVERIFY(model.data(model.index(0), Qt::DisplayRole).toString().contains("F: 1 box"));
        QVERIFY(mpq::ui::detectionsDiffer(p.floatDetections, p.quantizedDetections, 0.3));
        QVERIFY(!mpq::ui::detectionsDiffer(p.floatDetections, p.quantizedDetections, 0.5));
        // an unreadable file names itself
        QString error;
        QVERIFY(mpq::ui::loadScaledImage(m_dir.filePath("missing.png").toStdString(), 100, nullptr,
                                         &error)
                    .isNull());
        QVERIFY(error.contains("missing.png"));
    }

    void compareModel()
    {
        mpq::ui::CompareModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setFigures({{"multipoint", "", 4.31, 0.05, 0.8984, 0.9037, 0.0, -1.0, {}},
                          {"rtn", "", 4.03, 0.0, 0.7012, 0.9037, 0.0, -1.0, {}}},
                         "Top-1 accuracy");
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.headerData(mpq::ui::CompareModel::Metric, Qt::Horizontal).toString(),
                 QString("Top-1 accuracy"));
        QCOMPARE(model.data(model.index(0, mpq::ui::CompareModel::Method)).toString(),
                 QString("Multipoint"));
        QCOMPARE(model.data(model.index(0, mpq::ui::CompareModel::Metric)).toString(),
                 QLocale().toString(89.84, 'f', 2) + " %");
        QCOMPARE(model.data(model.index(0, mpq::ui::CompareModel::Change)).toString(),
                 QLocale().toString(-0.53, 'f', 2));
        QCOMPARE(model
                     .data(model.index(1, mpq::ui::CompareModel::Metric),
                           mpq::ui::CompareModel::RawValueRole)
                     .toDouble(),
                 0.7012);
        QVERIFY(mpq::ui::methodColor("multipoint") != mpq::ui::methodColor("rtn"));
        QVERIFY(mpq::ui::methodShape("multipoint") != mpq::ui::methodShape("rtn"));
    }
};

QTEST_MAIN(TestPreviewModel)
#include "tst_previewmodel.moc"
