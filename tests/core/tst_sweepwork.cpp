// The progress of comparisons and sweeps is their share of the work (mpq/work.h, issue 14;
// docs/BENCHMARKS.md, "Time left"): on a small ConvNet with 8 random images, per-layer mixed
// precision's single-point measurement (two calibrations of every layer) gets its work's share
// of a sweep and of a comparison, not an equal share per evaluation; the work model counts
// the analysis' calibration time model (docs/multipoint.md section 3).
#include "convnetprofile.h"
#include "mpq/pipeline.h"
#include "mpq/work.h"
#include "testmodels.h"

#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <random>

namespace {

bool writeRandomImage(const QString &file, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    QImage img(14, 12, QImage::Format_RGB32);
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x)
            img.setPixel(x, y, qRgb(rng() % 256, rng() % 256, rng() % 256));
    return img.save(file);
}

/// Progress reports with the stage each came in.
struct Reports
{
    std::vector<std::pair<std::string, double>> seen;
    std::string stage;
    mpq::JobControl control()
    {
        mpq::JobControl c;
        c.stage = [this](const std::string &name) { stage = name; };
        c.progress = [this](double f) { seen.emplace_back(stage, f); };
        return c;
    }
    /// Whether `f` was reported after the first report in stage `after`.
    bool reportedAfter(const std::string &after, double f) const
    {
        bool started = false;
        for (const auto &[s, g] : seen) {
            started = started || s == after;
            if (started && std::abs(g - f) < 1e-9)
                return true;
        }
        return false;
    }
    QString list() const
    {
        QStringList out;
        for (const auto &[s, f] : seen)
            out << QString("%1 %2").arg(QString::fromStdString(s)).arg(f);
        return out.join("; ");
    }
    /// The first fraction reported in stage `name`.
    double firstIn(const std::string &name) const
    {
        for (const auto &[s, f] : seen)
            if (s == name)
                return f;
        return -1.0;
    }
};

} // namespace

class TestSweepWork : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    mpq::OpenedModel m_conv;
    std::shared_ptr<const mpq::Analysis> m_analysis;
    std::shared_ptr<const mpq::FloatPredictions> m_reference;

    std::string path(const QString &name) const { return m_dir.filePath(name).toStdString(); }

    // The units of one forward of one image (core/src/calib/calibration.h): per layer its
    // output positions times channels times d + 128 per output element (+ 200 grouped); and
    // of them the grouped layers' 200 per output element.
    static double unitsPerForward(const mpq::Analysis &a, double *grouped = nullptr)
    {
        double units = 0.0, extra = 0.0;
        for (std::size_t i = 0; i < a.layers.size(); ++i) {
            const double outputs =
                double(a.curves[i].outputPositions) * double(a.layers[i].outChannels);
            units +=
                outputs * (double(a.layers[i].d) + 128.0 + (a.layers[i].groups > 1 ? 200.0 : 0.0));
            extra += a.layers[i].groups > 1 ? 200.0 * outputs : 0.0;
        }
        if (grouped)
            *grouped = extra;
        return units;
    }

    // The measurement by hand: two decompositions of every layer with one point (2000 units
    // per weight-point, kMacsPerWeightPoint, in forwards of one image) and two calibrations
    // (b and b + 1 bits), per calibration image one forward and one stacked evaluation at 0.77
    // forwards times units / (units - grouped) (core/src/calib/calibration.h,
    // evaluationCostInForwards), after one probe of 5 forwards for both. With output-aware
    // rounding, the layers whose Gram fits (groups x d_g^2 <= 2^26) add per image 3.35 times
    // their units of one evaluation and 1.6 units per multiply-add of their Gram (at most 1024
    // positions x groups x d_g^2), once for both widths, 3 units per d_g^3 of each group's
    // factor, and per width 6 units per row and d_g^2 of the compensated rounding
    // (kInputGramForwards, kUnitsPerGramMac, kFactorUnitsPerCube, kCompensationUnitsPerSquare).
    static double measurementByHand(const mpq::Analysis &a)
    {
        const double images = double(a.calibrationFiles.size());
        double decomposition = 0.0, aware = 0.0;
        for (const mpq::LayerInfo &l : a.layers) {
            const double c = double(l.outChannels), d = double(l.d), g = double(l.groups);
            decomposition += c * d * 2000.0;
            if (a.settings.rounding != mpq::Rounding::OutputAware || g * d * d > 67108864.0)
                continue;
            const double positions =
                double(a.curves[std::size_t(&l - a.layers.data())].outputPositions);
            aware += images * (3.35 * positions * c * (d + 128.0 + (g > 1 ? 200.0 : 0.0)) +
                               1.6 * std::min(positions, 1024.0) * g * d * d) +
                     3.0 * g * d * d * d + 2.0 * 6.0 * c * d * d;
        }
        double grouped = 0.0;
        const double units = unitsPerForward(a, &grouped);
        return 5.0 + 2.0 * images * (1.0 + 0.77 * units / (units - grouped)) +
               (2.0 * decomposition + aware) / units;
    }
    double measurementByHand() const { return measurementByHand(*m_analysis); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir().mkpath(m_dir.filePath("images")));
        for (int i = 0; i < 8; ++i)
            QVERIFY(writeRandomImage(m_dir.filePath(QString("images/%1.png").arg(i)), 11 + i));
        mpqtest::saveConvNet(path("conv.pt"), 1);
        mpq::saveProfile(mpqtest::convNetProfile(), mpq::defaultProfilePath(path("conv.pt")));
        m_conv = mpq::openModel(path("conv.pt"));
        mpq::AnalysisSettings s;
        s.bits = 4;
        s.maxPoints = 3;
        s.calibCount = 8;
        s.batchSize = 4;
        s.rounding = mpq::Rounding::Nearest; // workModel adds output-aware rounding's work to it
        m_analysis = mpq::analyzeModel(m_conv, path("images"), s, nullptr).analysis;
        QCOMPARE(m_analysis->calibrationFiles.size(), std::size_t(8));
        m_reference = mpq::floatPredictions(m_conv, mpq::evaluationImages(path("images"), 0), 4);
        QCOMPARE(m_reference->images.size(), std::size_t(8));
    }

    void workModel()
    {
        QCOMPARE(mpq::singlePointWork(*m_analysis), measurementByHand());
        // the decompositions are part of it: a few forwards on this model
        const double calibrations =
            5.0 + 2.0 * double(m_analysis->calibrationFiles.size()) * (1.0 + 0.77);
        QVERIFY(measurementByHand() > calibrations + 0.01);
        // with output-aware rounding the input Grams, their factors and the compensated
        // rounding on top, in the analysis' units of work
        mpq::Analysis outputAware = *m_analysis;
        outputAware.settings.rounding = mpq::Rounding::OutputAware;
        QCOMPARE(mpq::singlePointWork(outputAware), measurementByHand(outputAware));
        QVERIFY(measurementByHand(outputAware) > measurementByHand() + 3.35 * 8.0);
        // a layer whose Gram is over the size limit is not measured (calib::gramFits): d_g
        // 10000 makes the whole model's units of one forward larger, and its Gram not counted
        QVERIFY(outputAware.layers.size() >= 2);
        outputAware.layers[0].d = 10000;
        QCOMPARE(mpq::singlePointWork(outputAware), measurementByHand(outputAware));
        // a grouped layer's stacked evaluations cost 200 units per output element more than
        // its forward's: the calibration's forwards per image grow with their share
        mpq::Analysis grouped = *m_analysis;
        QVERIFY(grouped.layers[1].outChannels % 2 == 0);
        grouped.layers[1].groups = 2;
        double extra = 0.0;
        unitsPerForward(grouped, &extra);
        QVERIFY(extra > 0.0);
        QCOMPARE(mpq::singlePointWork(grouped), measurementByHand(grouped));
        const double n = 8.0;
        QCOMPARE(mpq::evaluateMethodsWork(
                     *m_analysis, {mpq::Method::Multipoint, mpq::Method::RoundToNearest}, 8, false),
                 2 * n);
        // the measurement once, and not when already made
        QCOMPARE(
            mpq::evaluateMethodsWork(
                *m_analysis, {mpq::Method::MixedPrecision, mpq::Method::MixedPrecision}, 8, false),
            2 * n + measurementByHand());
        QCOMPARE(
            mpq::evaluateMethodsWork(*m_analysis, {mpq::Method::MixedPrecision}, 8, false, true),
            n);
        // a sweep measures once, at its first budget; a variant is one more evaluation
        QCOMPARE(mpq::sweepWork(*m_analysis, {}, {0.0, 0.1, 0.2},
                                {mpq::Method::Multipoint, mpq::Method::MixedPrecision}, 1, 8),
                 3 * 3 * n + measurementByHand());
    }

    void sweepFractionIsTheWorkShare()
    {
        // budgets 0 and 10 %, multipoint and mixed precision: the measurement is 43.6 forwards
        // against 8 per evaluation; an equal share per evaluation put its end at 3/8 of the
        // sweep and the first budget's end at 1/2
        Reports r;
        mpq::sweep(m_conv, m_analysis, {}, {0.0, 0.1},
                   {mpq::Method::Multipoint, mpq::Method::MixedPrecision}, *m_reference, 4,
                   r.control());
        const double n = 8.0, m = measurementByHand();
        const double total = 4 * n + m;
        // the measurement ends at its work's share (its calibration reports 1 at its end),
        // then the evaluation reports per batch of 4 of the 8 images
        QVERIFY2(r.reportedAfter("evaluating mixed", (n + m) / total), qPrintable(r.list()));
        QVERIFY2(r.reportedAfter("evaluating mixed", (1.5 * n + m) / total), qPrintable(r.list()));
        // the second budget's multipoint run starts at the first budget's work share
        double firstOfSecond = -1.0;
        for (const auto &[s, f] : r.seen)
            if (s == "evaluating multipoint" && firstOfSecond < 0.0 && f > (n + m) / total + 1e-9)
                firstOfSecond = f;
        QVERIFY2(firstOfSecond > (2 * n + m) / total - 1e-9,
                 qPrintable(QString::number(firstOfSecond)));
        QVERIFY(r.seen.back().second > 0.999);
    }

    void comparisonFractionIsTheWorkShare()
    {
        Reports r;
        const mpq::Quantization q = mpq::quantize(m_conv, m_analysis, {});
        mpq::evaluateMethods(
            m_conv, q,
            {mpq::Method::Multipoint, mpq::Method::MixedPrecision, mpq::Method::RoundToNearest},
            *m_reference, 4, nullptr, r.control());
        const double n = 8.0, m = measurementByHand();
        QVERIFY2(r.reportedAfter("evaluating mixed", (n + m) / (3 * n + m)), qPrintable(r.list()));
        QVERIFY2(r.reportedAfter("evaluating mixed", (1.5 * n + m) / (3 * n + m)),
                 qPrintable(r.list()));
        // round-to-nearest starts where mixed precision's evaluation ended
        QVERIFY(r.firstIn("evaluating rtn") >= (2 * n + m) / (3 * n + m) - 1e-9);
    }
};

QTEST_GUILESS_MAIN(TestSweepWork)
#include "tst_sweepwork.moc"
