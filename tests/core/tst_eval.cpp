// Evaluation: classification metrics, detection decoders on hand-built tensors, NMS, mAP on
// cases with known answers, Pascal VOC parsing.
#include "mpq/error.h"
#include "mpq/eval.h"

#include <QtTest>

namespace {

mpq::PreparedImage imageOfSize(int inputSize, int originalSize)
{
    mpq::PreparedImage img;
    img.width = img.height = inputSize;
    img.originalWidth = img.originalHeight = originalSize;
    img.scaleX = img.scaleY = double(inputSize) / originalSize;
    return img;
}

mpq::Detection box(float x1, float y1, float x2, float y2, int label = 0, float score = 1.0f)
{
    return {x1, y1, x2, y2, label, score};
}

void writeText(const QString &path, const QByteArray &text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

} // namespace

class TestEval : public QObject
{
    Q_OBJECT
private slots:
    void probabilitiesAndLabels()
    {
        const mpq::OutputTensor logits{"", {2, 3}, {0.0f, std::log(3.0f), 0.0f, 1.0f, 1.0f, 1.0f}};
        const auto p = mpq::classProbabilities(logits, mpq::DecoderKind::Logits);
        QCOMPARE(p.size(), size_t(2));
        QVERIFY(std::abs(p[0][1] - 0.6f) < 1e-6f && std::abs(p[0][0] - 0.2f) < 1e-6f);
        QVERIFY(std::abs(p[1][2] - 1.0f / 3) < 1e-6f);
        const mpq::OutputTensor probs{"", {1, 2}, {2.0f, 6.0f}};
        QVERIFY(std::abs(mpq::classProbabilities(probs, mpq::DecoderKind::Probabilities)[0][1] -
                         0.75f) < 1e-6f);
        const std::vector<std::string> labels = {"T-shirt/top", "Trouser", "Ankle boot"};
        QCOMPARE(mpq::labelFromFolder("/data/test/tshirt-top/1.png", labels), 0);
        QCOMPARE(mpq::labelFromFolder("/data/test/ANKLE_BOOT/9.png", labels), 2);
        QCOMPARE(mpq::labelFromFolder("/data/test/shoes/9.png", labels), -1);
    }

    void classificationMetrics()
    {
        // image 0: both right; image 1: float right, quantized wrong but in its top 5; image 2:
        // unlabelled, top-1 changes
        const std::vector<std::vector<float>> f = {
            {0.7f, 0.2f, 0.1f}, {0.1f, 0.6f, 0.3f}, {0.5f, 0.4f, 0.1f}};
        const std::vector<std::vector<float>> q = {
            {0.7f, 0.2f, 0.1f}, {0.1f, 0.4f, 0.5f}, {0.4f, 0.5f, 0.1f}};
        const mpq::ClassificationMetrics m = mpq::compareClassification(f, q, {0, 1, -1});
        QCOMPARE(m.images, 3);
        QCOMPARE(m.labelled, 2);
        QCOMPARE(m.top1Float, 1.0);
        QCOMPARE(m.top1Quantized, 0.5);
        QCOMPARE(m.top5Quantized, 1.0);
        QVERIFY(std::abs(m.agreement - 1.0 / 3) < 1e-12);
        const double kl1 = 0.6 * std::log(0.6 / 0.4) + 0.3 * std::log(0.3 / 0.5);
        const double kl2 = 0.5 * std::log(0.5 / 0.4) + 0.4 * std::log(0.4 / 0.5);
        QVERIFY(std::abs(m.meanKl - (kl1 + kl2) / 3) < 1e-6);
    }

    void nmsIsClassWise()
    {
        const std::vector<mpq::Detection> in = {
            box(0, 0, 10, 10, 0, 0.9f), box(1, 1, 11, 11, 0, 0.8f), box(1, 1, 11, 11, 1, 0.7f),
            box(20, 20, 30, 30, 0, 0.6f)};
        const auto kept = mpq::nonMaximumSuppression(in, 0.5f);
        QCOMPARE(kept.size(), size_t(3));
        QCOMPARE(kept[0].score, 0.9f);
        QCOMPARE(kept[1].label, 1); // another class is never suppressed
        QCOMPARE(kept[2].score, 0.6f);
        QVERIFY(std::abs(mpq::intersectionOverUnion(box(0, 0, 10, 10), box(5, 0, 15, 10)) -
                         1.0 / 3) < 1e-9);
    }

    void centerNetDecoder()
    {
        // 1 image, 2 classes, 8x8 grid on a 32x32 input (stride 4), original image 64x64
        mpq::OutputTensor heat{"", {1, 2, 8, 8}, std::vector<float>(2 * 64, 0.0f)};
        mpq::OutputTensor sizes{"", {1, 4, 8, 8}, std::vector<float>(4 * 64, 0.0f)};
        auto hm = [&](int c, int r, int col) -> float & {
            return heat.data[(c * 8 + r) * 8 + col];
        };
        hm(1, 2, 3) = 0.9f;
        hm(1, 2, 4) = 0.5f; // beside a higher peak: not a peak
        hm(0, 6, 6) = 0.2f; // below the threshold
        const float lrtb[4] = {4, 4, 8, 8};
        for (int k = 0; k < 4; ++k)
            sizes.data[(k * 8 + 2) * 8 + 3] = lrtb[k];
        mpq::InputSpec input;
        input.width = input.height = 32;
        mpq::OutputSpec spec;
        spec.decoder = mpq::DecoderKind::CenterNet;
        spec.scoreThreshold = 0.3;
        const auto det = mpq::decodeDetections({heat, sizes}, {imageOfSize(32, 64)}, input, spec);
        QCOMPARE(det.size(), size_t(1));
        QCOMPARE(det[0].size(), size_t(1));
        const mpq::Detection &d = det[0][0];
        QCOMPARE(d.label, 1);
        // input box (12-4, 8-4, 12+8, 8+8) = (8, 4, 20, 16), twice as large in the original
        QCOMPARE(d.x1, 16.0f);
        QCOMPARE(d.y1, 8.0f);
        QCOMPARE(d.x2, 40.0f);
        QCOMPARE(d.y2, 32.0f);
    }

    void boxDecoders()
    {
        mpq::InputSpec input;
        input.width = input.height = 100;
        mpq::OutputSpec spec;
        spec.scoreThreshold = 0.5;
        // boxes-scores, normalized yxyx, per-class scores
        spec.decoder = mpq::DecoderKind::BoxesScores;
        spec.boxFormat = "yxyx";
        spec.normalized = true;
        const mpq::OutputTensor boxes{
            "", {1, 2, 4}, {0.1f, 0.2f, 0.5f, 0.6f, 0.0f, 0.0f, 0.1f, 0.1f}};
        const mpq::OutputTensor scores{"", {1, 2, 3}, {0.1f, 0.8f, 0.1f, 0.3f, 0.3f, 0.4f}};
        auto det = mpq::decodeDetections({boxes, scores}, {imageOfSize(100, 100)}, input, spec);
        QCOMPARE(det[0].size(), size_t(1));
        QCOMPARE(det[0][0].label, 1);
        QVERIFY(std::abs(det[0][0].x1 - 20.0f) < 1e-4f && std::abs(det[0][0].y2 - 50.0f) < 1e-4f);
        // per-box scores with labels
        const mpq::OutputTensor perBox{"", {1, 2}, {0.9f, 0.2f}}, labels{"", {1, 2}, {7.0f, 3.0f}};
        det = mpq::decodeDetections({boxes, perBox, labels}, {imageOfSize(100, 100)}, input, spec);
        QCOMPARE(det[0].size(), size_t(1));
        QCOMPARE(det[0][0].label, 7);
        // yolo: cx, cy, w, h, objectness, classes (input pixels)
        spec.decoder = mpq::DecoderKind::Yolo;
        spec.normalized = false;
        const mpq::OutputTensor yolo{
            "", {1, 2, 7}, {50, 50, 20, 10, 0.9f, 0.1f, 0.9f, 10, 10, 4, 4, 0.4f, 1.0f, 0.0f}};
        det = mpq::decodeDetections({yolo}, {imageOfSize(100, 200)}, input, spec);
        QCOMPARE(det[0].size(), size_t(1));
        QCOMPARE(det[0][0].label, 1);
        QVERIFY(std::abs(det[0][0].score - 0.81f) < 1e-6f);
        QVERIFY(std::abs(det[0][0].x1 - 80.0f) < 1e-4f && std::abs(det[0][0].y2 - 110.0f) < 1e-4f);
        // torchvision: named tensors per image (a loss dict would be empty)
        spec.decoder = mpq::DecoderKind::Torchvision;
        const std::vector<mpq::OutputTensor> tv = {
            {"boxes", {2, 4}, {10, 10, 20, 20, 30, 30, 40, 40}},
            {"labels", {2}, {1, 2}},
            {"scores", {2}, {0.9f, 0.3f}},
            {"boxes", {0, 4}, {}},
            {"labels", {0}, {}},
            {"scores", {0}, {}}};
        det =
            mpq::decodeDetections(tv, {imageOfSize(100, 100), imageOfSize(100, 100)}, input, spec);
        QCOMPARE(det.size(), size_t(2));
        QCOMPARE(det[0].size(), size_t(1));
        QVERIFY(det[1].empty());
        try {
            spec.decoder = mpq::DecoderKind::Yolo;
            mpq::decodeDetections({scores}, {imageOfSize(100, 100)}, input, spec);
            QFAIL("a wrong shape accepted");
        } catch (const mpq::Error &e) {
            QVERIFY2(QString(e.what()).contains("yolo decoder"), e.what());
        }
    }

    void meanAveragePrecisionKnownCases()
    {
        const std::vector<std::vector<mpq::Detection>> truth = {
            {box(0, 0, 10, 10), box(20, 20, 30, 30)}};
        QCOMPARE(mpq::meanAveragePrecision(
                     {{box(0, 0, 10, 10, 0, 0.9f), box(20, 20, 30, 30, 0, 0.8f)}}, truth),
                 1.0);
        // one miss: recall stops at 1/2
        QCOMPARE(mpq::meanAveragePrecision({{box(0, 0, 10, 10, 0, 0.9f)}}, truth), 0.5);
        // a false positive scored below both hits costs nothing; above them it halves precision
        QCOMPARE(
            mpq::meanAveragePrecision({{box(0, 0, 10, 10, 0, 0.9f), box(20, 20, 30, 30, 0, 0.8f),
                                        box(50, 50, 60, 60, 0, 0.1f)}},
                                      truth),
            1.0);
        const double ap =
            mpq::meanAveragePrecision({{box(50, 50, 60, 60, 0, 0.99f), box(0, 0, 10, 10, 0, 0.9f),
                                        box(20, 20, 30, 30, 0, 0.8f)}},
                                      truth);
        QVERIFY(std::abs(ap - 2.0 / 3) < 1e-12); // precision 1/2 then 2/3 at recall 1/2 and 1
        // a box shifted to IoU 1/3 is no hit; a wrong class is no hit
        QCOMPARE(mpq::meanAveragePrecision(
                     {{box(5, 0, 15, 10, 0, 0.9f), box(20, 20, 30, 30, 1, 0.9f)}}, truth),
                 0.0);
        // two classes: the mean over classes with ground truth
        QCOMPARE(mpq::meanAveragePrecision({{box(0, 0, 10, 10, 0, 0.9f)}, {}},
                                           {{box(0, 0, 10, 10, 0)}, {box(0, 0, 5, 5, 1)}}),
                 0.5);
        QCOMPARE(mpq::meanAveragePrecision({{}}, {{}}), -1.0);
    }

    void vocAnnotations()
    {
        QTemporaryDir dir;
        const QString good = dir.filePath("good.xml");
        writeText(good,
                  "<annotation><filename>dog.jpg</filename>\n"
                  "<object><name>Dog</name><bndbox><xmin>10</xmin><ymin>20</ymin><xmax>110</xmax>"
                  "<ymax>220.5</ymax></bndbox></object>\n"
                  "<object><name>unicorn</name><bndbox><xmin>1</xmin><ymin>2</ymin><xmax>3</xmax>"
                  "<ymax>4</ymax></bndbox></object></annotation>");
        std::vector<std::string> unknown;
        const auto boxes = mpq::readVocAnnotation(good.toStdString(), {"cat", "dog"}, unknown);
        QCOMPARE(boxes.size(), size_t(1));
        QCOMPARE(boxes[0].label, 1);
        QCOMPARE(boxes[0].y2, 220.5f);
        QCOMPARE(unknown, std::vector<std::string>{"unicorn"});

        const QList<QPair<QByteArray, QString>> bad = {
            {"<annotation><object><bndbox><xmin>1</xmin></bndbox></object></annotation>",
             "an <object> without <name>"},
            {"<annotation><object><name>dog</name><bndbox><xmin>a</xmin><ymin>1</ymin><xmax>2</"
             "xmax><ymax>3</ymax>"
             "</bndbox></object></annotation>",
             "<xmin> is not a number"},
            {"<annotation><object><name>dog</name>", "<object> is not closed"},
            {"just text", "not a Pascal VOC annotation"},
        };
        for (const auto &[text, message] : bad) {
            const QString path = dir.filePath("bad.xml");
            writeText(path, text);
            try {
                mpq::readVocAnnotation(path.toStdString(), {"dog"}, unknown);
                QFAIL("malformed annotation accepted");
            } catch (const mpq::Error &e) {
                QCOMPARE(int(e.code()), int(mpq::ErrorCode::BadAnnotation));
                QVERIFY2(QString(e.what()).contains("bad.xml: " + message), e.what());
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestEval)
#include "tst_eval.moc"
