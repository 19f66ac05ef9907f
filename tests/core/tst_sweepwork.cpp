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

    // The measurement by hand: two calibrations (b and b + 1 bits) of every layer with one
    // point, per calibration image one forward and one stacked evaluation at 0.77 forwards
    // (core/src/calib/calibration.h, kEvaluationCostInForwards), after one probe of 3 forwards
    // for both.
    double measurementByHand() const
    {
        return 3.0 + 2.0 * double(m_analysis->calibrationFiles.size()) * (1.0 + 0.77);
    }

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
        m_analysis = mpq::analyzeModel(m_conv, path("images"), s, nullptr).analysis;
        QCOMPARE(m_analysis->calibrationFiles.size(), std::size_t(8));
        m_reference = mpq::floatPredictions(m_conv, mpq::evaluationImages(path("images"), 0), 4);
        QCOMPARE(m_reference->images.size(), std::size_t(8));
    }

    void workModel()
    {
        QCOMPARE(mpq::singlePointWork(*m_analysis), measurementByHand());
        // with output-aware rounding one more pass of 3.35 forwards per image
        // (kInputGramForwards) measures the input Grams, once for both bit widths
        mpq::Analysis outputAware = *m_analysis;
        outputAware.settings.rounding = mpq::Rounding::OutputAware;
        const double images = double(m_analysis->calibrationFiles.size());
        QCOMPARE(mpq::singlePointWork(outputAware), measurementByHand() + 3.35 * images);
        // a layer whose Gram is over the size limit is not measured in it (calib::gramFits)
        const double layers = double(outputAware.layers.size());
        QVERIFY(layers >= 2);
        outputAware.layers[0].d = 10000;
        QCOMPARE(mpq::singlePointWork(outputAware),
                 measurementByHand() + 3.35 * images * (layers - 1) / layers);
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
        // budgets 0 and 10 %, multipoint and mixed precision: the measurement is 35.6 forwards
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
