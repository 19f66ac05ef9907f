// The project's torchvision::nms and torchvision::roi_align (core/src/model/torchvisionops.cpp):
// schemas, known answers, torch-free references on random data, and a TorchScript module that
// calls them surviving save and torch::jit::load.
#include "torchvisionfixtures.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>

using mpqtest::Precision;

namespace {

const Precision kBothPrecisions[] = {Precision::Float32, Precision::Float64};

std::vector<std::int64_t> keptIndices(const mpqtest::OpResult &r)
{
    std::vector<std::int64_t> keep;
    for (double v : r.values)
        keep.push_back(static_cast<std::int64_t>(v));
    return keep;
}

double maxAbsDiff(const std::vector<double> &a, const std::vector<double> &b)
{
    if (a.size() != b.size())
        return INFINITY;
    double d = 0;
    for (size_t i = 0; i < a.size(); ++i)
        d = std::max(d, std::abs(a[i] - b[i]));
    return d;
}

} // namespace

class TestTorchvisionOps : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { mpqtest::setThreads(1); }

    void schemasAreTorchvision014s()
    {
        QCOMPARE(mpqtest::schemaOf("torchvision::nms"),
                 std::string("torchvision::nms(Tensor dets, Tensor scores, float iou_threshold) "
                             "-> Tensor"));
        QCOMPARE(mpqtest::schemaOf("torchvision::roi_align"),
                 std::string("torchvision::roi_align(Tensor input, Tensor rois, float "
                             "spatial_scale, int pooled_height, int pooled_width, int "
                             "sampling_ratio, bool aligned) -> Tensor"));
        QCOMPARE(mpqtest::schemaOf("torchvision::no_such_op"), std::string());
    }

    void nmsKnownAnswers_data()
    {
        QTest::addColumn<QList<double>>("boxes");
        QTest::addColumn<QList<double>>("scores");
        QTest::addColumn<double>("threshold");
        QTest::addColumn<QList<qint64>>("expected");
        const QList<double> unit{0, 0, 10, 10};
        QTest::newRow("identical boxes: best only")
            << (unit + unit + unit) << QList<double>{0.5, 0.9, 0.7} << 0.5 << QList<qint64>{1};
        QTest::newRow("disjoint: all, by score")
            << QList<double>{0, 0, 1, 1, 5, 5, 6, 6, 2, 0, 3, 1} << QList<double>{0.2, 0.9, 0.5}
            << 0.1 << QList<qint64>{1, 2, 0};
        // IoU of {0,0,10,10} and {0,0,10,h} is h / 10
        QTest::newRow("IoU equal to threshold: kept")
            << (unit + QList<double>{0, 0, 10, 5}) << QList<double>{0.9, 0.8} << 0.5
            << QList<qint64>{0, 1};
        QTest::newRow("IoU just above: suppressed")
            << (unit + QList<double>{0, 0, 10, 5.01}) << QList<double>{0.9, 0.8} << 0.5
            << QList<qint64>{0};
        QTest::newRow("IoU just below: kept")
            << (unit + QList<double>{0, 0, 10, 4.99}) << QList<double>{0.9, 0.8} << 0.5
            << QList<qint64>{0, 1};
        QTest::newRow("lower score suppressed, not the first")
            << (QList<double>{0, 0, 10, 6} + unit) << QList<double>{0.3, 0.8} << 0.5
            << QList<qint64>{1};
        // B overlaps A and C; C does not overlap A: greedy keeps A and C
        QTest::newRow("suppressed box suppresses nothing")
            << QList<double>{0, 0, 10, 10, 4, 0, 14, 10, 8, 0, 18, 10}
            << QList<double>{0.9, 0.8, 0.7} << 0.3 << QList<qint64>{0, 2};
        QTest::newRow("zero-area duplicates: 0/0 suppresses nothing")
            << QList<double>{3, 3, 3, 3, 3, 3, 3, 3} << QList<double>{0.6, 0.7} << 0.5
            << QList<qint64>{1, 0};
        QTest::newRow("single box") << unit << QList<double>{0.1} << 0.5 << QList<qint64>{0};
        QTest::newRow("threshold 1: nothing suppressed")
            << (unit + unit) << QList<double>{0.1, 0.2} << 1.0 << QList<qint64>{1, 0};
    }

    void nmsKnownAnswers()
    {
        QFETCH(QList<double>, boxes);
        QFETCH(QList<double>, scores);
        QFETCH(double, threshold);
        QFETCH(QList<qint64>, expected);
        const std::vector<std::int64_t> want(expected.begin(), expected.end());
        for (Precision p : kBothPrecisions)
            for (bool strided : {false, true}) {
                const auto r = mpqtest::nms({boxes.begin(), boxes.end()},
                                            {scores.begin(), scores.end()}, threshold, p, strided);
                QCOMPARE(r.dtype, std::string("Long"));
                QCOMPARE(r.shape, std::vector<std::int64_t>{qint64(want.size())});
                QCOMPARE(keptIndices(r), want);
            }
    }

    void nmsEmptyInput()
    {
        for (Precision p : kBothPrecisions) {
            const auto r = mpqtest::nms({}, {}, 0.5, p);
            QCOMPARE(r.dtype, std::string("Long"));
            QCOMPARE(r.shape, std::vector<std::int64_t>{0});
        }
    }

    void nmsMatchesReferenceOnRandomBoxes()
    {
        int suppressedSome = 0;
        for (int seed = 1; seed <= 12; ++seed) {
            std::mt19937 rng(seed);
            std::uniform_real_distribution<float> corner(0, 60), size(1, 25), score(0, 1);
            const int n = seed * 25;
            std::vector<float> boxes, scores;
            for (int i = 0; i < n; ++i) {
                const float x = corner(rng), y = corner(rng);
                boxes.insert(boxes.end(), {x, y, x + size(rng), y + size(rng)});
                scores.push_back(score(rng));
            }
            const std::vector<double> b(boxes.begin(), boxes.end()),
                s(scores.begin(), scores.end());
            for (double threshold : {0.2, 0.5, 0.8}) {
                const auto wantF = mpqtest::referenceNms(b, s, threshold, Precision::Float32);
                const auto wantD = mpqtest::referenceNms(b, s, threshold, Precision::Float64);
                const bool strided = seed % 2 == 0;
                QCOMPARE(keptIndices(mpqtest::nms(b, s, threshold, Precision::Float32, strided)),
                         wantF);
                QCOMPARE(keptIndices(mpqtest::nms(b, s, threshold, Precision::Float64, strided)),
                         wantD);
                suppressedSome += int(wantF.size()) < n;
            }
        }
        QVERIFY(suppressedSome > 20); // the data exercise suppression, not only pass-through
    }

    // torchvision sorts stably: equal scores keep their input order. 200 boxes, beyond the
    // size where an unstable sort happens to keep ties in order.
    void nmsTiesKeepInputOrder()
    {
        std::vector<double> boxes, scores;
        std::vector<std::int64_t> want;
        for (int i = 0; i < 200; ++i) {
            boxes.insert(boxes.end(), {3.0 * i, 0, 3.0 * i + 2, 2}); // disjoint
            scores.push_back((i * 7) % 5 / 5.0);                     // five score levels
        }
        for (int level = 4; level >= 0; --level)
            for (int i = 0; i < 200; ++i)
                if ((i * 7) % 5 == level)
                    want.push_back(i);
        for (Precision p : kBothPrecisions)
            QCOMPARE(keptIndices(mpqtest::nms(boxes, scores, 0.5, p)), want);
        // overlapping duplicates with equal scores: the first of each pair survives
        const std::vector<double> pairs{0, 0, 4, 4, 10, 0, 14, 4, 0, 0, 4, 4, 10, 0, 14, 4};
        QCOMPARE(keptIndices(mpqtest::nms(pairs, {0.5, 0.5, 0.5, 0.5}, 0.5)),
                 (std::vector<std::int64_t>{0, 1}));
    }

    void nmsHalfComputesInFloat()
    {
        const std::vector<double> boxes{0, 0, 10, 10, 1, 1, 11, 11, 20, 20, 30, 30};
        const std::vector<double> scores{0.5, 0.75, 0.25};
        QCOMPARE(keptIndices(mpqtest::nms(boxes, scores, 0.5, Precision::Float16)),
                 (std::vector<std::int64_t>{1, 2}));
    }

    void malformedCallsThrow_data()
    {
        QTest::addColumn<QString>("which");
        QTest::addColumn<QString>("needle");
        QTest::newRow("nms 3 columns") << "nms-3cols"
                                       << "(N, 4)";
        QTest::newRow("nms count") << "nms-count"
                                   << "5 boxes but 4 scores";
        QTest::newRow("nms types") << "nms-types"
                                   << "same type";
        QTest::newRow("nms integers") << "nms-int"
                                      << "floating point";
        QTest::newRow("roi 4 columns") << "roi-4cols"
                                       << "(K, 5)";
        QTest::newRow("roi 3-D input") << "roi-3d"
                                       << "(N, C, H, W)";
        QTest::newRow("roi types") << "roi-types"
                                   << "same type";
    }

    void malformedCallsThrow()
    {
        QFETCH(QString, which);
        QFETCH(QString, needle);
        const QString message = QString::fromStdString(mpqtest::badCallError(which.toStdString()));
        QVERIFY2(message.contains(needle), qPrintable(message));
    }

    void roiAlignConstantMap()
    {
        mpqtest::RoiAlignCall c;
        c.shape = {1, 2, 9, 11};
        c.input.assign(2 * 9 * 11, 3.25);
        c.rois = {0, 1, 1, 8, 6, 0, 0.2, 0.7, 9.9, 7.9, 0, 2, 3, 2.5, 3.5};
        c.pooledHeight = 3;
        c.pooledWidth = 4;
        for (bool aligned : {false, true})
            for (qint64 ratio : {1, 2, 3, 0}) {
                c.aligned = aligned;
                c.samplingRatio = ratio;
                for (Precision p : kBothPrecisions) {
                    const auto r = mpqtest::roiAlign(c, p);
                    QCOMPARE(r.shape, (std::vector<std::int64_t>{3, 2, 3, 4}));
                    QCOMPARE(r.dtype, std::string(p == Precision::Float32 ? "Float" : "Double"));
                    for (double v : r.values)
                        QVERIFY2(std::abs(v - 3.25) < 1e-5, qPrintable(QString::number(v)));
                }
            }
        QCOMPARE(mpqtest::roiAlign(c, Precision::Float16).dtype, std::string("Half"));
        for (double v : mpqtest::roiAlign(c, Precision::Float16).values)
            QVERIFY(std::abs(v - 3.25) < 1e-2);
    }

    void roiAlignLinearRampIsExactAtBinCentres_data()
    {
        QTest::addColumn<bool>("aligned");
        QTest::addColumn<qint64>("ratio");
        QTest::addColumn<double>("scale");
        for (bool aligned : {false, true})
            for (qint64 ratio : {1, 2, 0})
                for (double scale : {1.0, 0.5})
                    QTest::addRow("aligned=%d ratio=%lld scale=%g", int(aligned),
                                  static_cast<long long>(ratio), scale)
                        << aligned << ratio << scale;
    }

    void roiAlignLinearRampIsExactAtBinCentres()
    {
        QFETCH(bool, aligned);
        QFETCH(qint64, ratio);
        QFETCH(double, scale);
        mpqtest::RoiAlignCall c;
        c.shape = {2, 2, 16, 20};
        c.input = mpqtest::rampInput(2, 2, 16, 20);
        c.aligned = aligned;
        c.samplingRatio = ratio;
        c.spatialScale = scale;
        c.pooledHeight = 3;
        c.pooledWidth = 2;
        // rois in feature-map coordinates (all samples inside [0, H-1] x [0, W-1], sizes >= 1),
        // given in image coordinates (divided by the scale)
        const std::vector<std::array<double, 5>> feature{
            {0, 2, 3, 9, 12}, {1, 5.5, 2.25, 17, 8.5}, {1, 3, 4, 4.5, 5.5}, {0, 10, 1, 18.5, 14}};
        for (const auto &f : feature)
            c.rois.insert(c.rois.end(),
                          {f[0], f[1] / scale, f[2] / scale, f[3] / scale, f[4] / scale});
        // the mean of a symmetric sample grid of a linear function is its value at the centre
        std::vector<double> want;
        const double shift = aligned ? 0.5 : 0.0;
        for (const auto &f : feature)
            for (int ch = 0; ch < 2; ++ch)
                for (int ph = 0; ph < 3; ++ph)
                    for (int pw = 0; pw < 2; ++pw) {
                        const double y = f[2] - shift + (ph + 0.5) * (f[4] - f[2]) / 3;
                        const double x = f[1] - shift + (pw + 0.5) * (f[3] - f[1]) / 2;
                        want.push_back((1.0 + ch) * x + (10.0 - 3 * ch) * y + 100.0 * f[0] -
                                       2.0 * ch);
                    }
        for (Precision p : kBothPrecisions) {
            const auto r = mpqtest::roiAlign(c, p, ratio == 2);
            QCOMPARE(r.shape, (std::vector<std::int64_t>{4, 2, 3, 2}));
            const double tol = p == Precision::Float32 ? 1e-3 : 1e-9;
            QVERIFY2(maxAbsDiff(r.values, want) < tol,
                     qPrintable(QString::number(maxAbsDiff(r.values, want))));
        }
    }

    // f(y, x) = x + 10 y on a 4x4 map, one 1x1 bin; the expected values are worked by hand
    void roiAlignBoundaryRules_data()
    {
        QTest::addColumn<QList<double>>("roi");
        QTest::addColumn<qint64>("ratio");
        QTest::addColumn<bool>("aligned");
        QTest::addColumn<double>("expected");
        // samples at -1.25 and 0.25 per axis: three lie beyond -1 and count as 0; the fourth
        // is f(0.25, 0.25) = 2.75; mean over 4
        QTest::newRow("partly outside: zero samples")
            << QList<double>{0, -2, -2, 1, 1} << qint64(2) << false << 2.75 / 4;
        // samples at -0.5 and 0.5: -0.5 clamps to row/column 0: (0 + 0.5 + 5 + 5.5) / 4
        QTest::newRow("within one pixel: clamped")
            << QList<double>{0, -1, -1, 1, 1} << qint64(2) << false << 11.0 / 4;
        // samples at 2.625 and 3.875: 3.875 clamps to the last row/column 3:
        // (28.875 + 29.25 + 32.625 + 33) / 4
        QTest::newRow("past the last pixel: clamped")
            << QList<double>{0, 2, 2, 4.5, 4.5} << qint64(2) << false << 123.75 / 4;
        // one sample per bin, exactly on the boundary lines -1 and H (= 4): still inside
        QTest::newRow("sample at -1: clamped to 0")
            << QList<double>{0, -2, 0, 0, 2} << qint64(1) << false << 10.0;
        QTest::newRow("sample at H: clamped to H-1")
            << QList<double>{0, 3, 3, 5, 5} << qint64(1) << false << 33.0;
        QTest::newRow("entirely outside")
            << QList<double>{0, 6, 6, 9, 9} << qint64(2) << false << 0.0;
        // not aligned: a reversed box becomes 1x1 from its start, one sample at (1.5, 1.5)
        QTest::newRow("malformed, not aligned")
            << QList<double>{0, 1, 1, 0.5, 0.5} << qint64(0) << false << 16.5;
        // aligned: a zero-size box at (y 1, x 2); a fixed ratio samples that point, the
        // adaptive grid has no sample and gives 0
        QTest::newRow("empty aligned, ratio 2")
            << QList<double>{0, 2.5, 1.5, 2.5, 1.5} << qint64(2) << true << 12.0;
        QTest::newRow("empty aligned, adaptive")
            << QList<double>{0, 2.5, 1.5, 2.5, 1.5} << qint64(0) << true << 0.0;
    }

    void roiAlignBoundaryRules()
    {
        QFETCH(QList<double>, roi);
        QFETCH(qint64, ratio);
        QFETCH(bool, aligned);
        QFETCH(double, expected);
        mpqtest::RoiAlignCall c;
        c.shape = {1, 1, 4, 4};
        c.input = mpqtest::rampInput(1, 1, 4, 4);
        c.rois.assign(roi.begin(), roi.end());
        c.samplingRatio = ratio;
        c.aligned = aligned;
        QCOMPARE(mpqtest::referenceRoiAlign(c),
                 std::vector<double>{expected}); // the reference agrees
        for (Precision p : kBothPrecisions) {
            const auto r = mpqtest::roiAlign(c, p);
            QCOMPARE(r.values.size(), size_t(1));
            QVERIFY2(std::abs(r.values[0] - expected) < 1e-6,
                     qPrintable(QString::number(r.values[0])));
        }
    }

    void roiAlignBatchIndexSelectsImage()
    {
        mpqtest::RoiAlignCall c;
        c.shape = {3, 1, 5, 5};
        for (double v : {1.0, 2.0, 3.0})
            c.input.insert(c.input.end(), 25, v);
        c.rois = {2, 0, 0, 4, 4, 0, 1, 1, 3, 3, 1, 0, 0, 2, 2, 2.0, 1, 1, 2, 2};
        const auto r = mpqtest::roiAlign(c);
        QCOMPARE(r.values, (std::vector<double>{3, 1, 2, 3}));
        for (double bad : {3.0, -1.0}) {
            c.rois = {bad, 0, 0, 4, 4};
            QVERIFY_THROWS_EXCEPTION(std::exception, mpqtest::roiAlign(c));
        }
    }

    void roiAlignMatchesReferenceOnRandomData()
    {
        std::mt19937 rng(7);
        std::normal_distribution<double> normal;
        std::uniform_real_distribution<double> coord(-6, 30), extent(0, 14);
        mpqtest::RoiAlignCall c;
        c.shape = {2, 3, 13, 17};
        for (int i = 0; i < 2 * 3 * 13 * 17; ++i)
            c.input.push_back(float(normal(rng))); // representable in float
        for (int k = 0; k < 40; ++k) {
            const double x = coord(rng), y = coord(rng);
            // some boxes are reversed or empty: those follow the malformed-box rules
            const double w = k % 10 == 0 ? -extent(rng) / 4 : extent(rng);
            c.rois.insert(c.rois.end(), {double(k % 2), x, y, x + w, y + extent(rng)});
        }
        c.spatialScale = 0.75;
        c.pooledHeight = 4;
        c.pooledWidth = 3;
        for (bool aligned : {false, true})
            for (qint64 ratio : {0, 1, 2, 3}) {
                c.aligned = aligned;
                c.samplingRatio = ratio;
                const auto want = mpqtest::referenceRoiAlign(c);
                const auto f = mpqtest::roiAlign(c, Precision::Float32);
                const auto d = mpqtest::roiAlign(c, Precision::Float64, true);
                QVERIFY2(maxAbsDiff(f.values, want) < 1e-4,
                         qPrintable(QString::number(maxAbsDiff(f.values, want))));
                QVERIFY2(maxAbsDiff(d.values, want) < 1e-10,
                         qPrintable(QString::number(maxAbsDiff(d.values, want))));
                QCOMPARE(mpqtest::roiAlign(c, Precision::Float32, true).values, f.values);
                mpqtest::setThreads(2); // rois split over threads: identical results
                QCOMPARE(mpqtest::roiAlign(c, Precision::Float32).values, f.values);
                mpqtest::setThreads(1);
            }
    }

    void roiAlignNoRois()
    {
        mpqtest::RoiAlignCall c;
        c.shape = {1, 3, 4, 4};
        c.input.assign(48, 1.0);
        c.pooledHeight = 2;
        c.pooledWidth = 5;
        const auto r = mpqtest::roiAlign(c);
        QCOMPARE(r.shape, (std::vector<std::int64_t>{0, 3, 2, 5}));
        QCOMPARE(r.dtype, std::string("Float"));
    }

    void scriptedModuleLoadsAndRuns()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const auto run =
            mpqtest::runScriptedModule(dir.filePath("detector.pt").toStdString(), 2024);
        QCOMPARE(run.graphOps,
                 (std::vector<std::string>{"torchvision::nms", "torchvision::roi_align"}));
        QCOMPARE(run.keepScripted.dtype, std::string("Long"));
        QCOMPARE(run.keepScripted.values, run.keepDirect.values);
        QVERIFY(!run.keepScripted.values.empty());
        QVERIFY(qint64(run.keepScripted.values.size()) < run.numBoxes); // something suppressed
        QCOMPARE(run.pooledScripted.shape, (std::vector<std::int64_t>{7, 4, 3, 2}));
        QCOMPARE(run.pooledScripted.values, run.pooledDirect.values);
        QVERIFY(maxAbsDiff(run.pooledScripted.values,
                           std::vector<double>(run.pooledScripted.values.size(), 0.0)) > 0.1);
    }
};

QTEST_APPLESS_MAIN(TestTorchvisionOps)
#include "tst_torchvisionops.moc"
