// Bits overrides (issue 12, defects 3 and 7): a layer at other bits is decomposed and measured
// once by layersAtBits, and what runs is what its curves predict, with the output-best first
// point too; runners and exports take that decomposition and never decompose themselves.
#include "mpq/analysis.h"
#include "mpq/error.h"
#include "mpq/export.h"
#include "mpq/images.h"
#include "mpq/runner.h"
#include "testmodels.h"

#include "testimages.h"
#include <QImage>

#include <QtTest>

namespace {

mpq::ModelProfile profile()
{
    mpq::ModelProfile p;
    p.input.width = 12;
    p.input.height = 10;
    p.input.channels = 3;
    p.input.color = mpq::ColorOrder::Rgb;
    p.input.mean.assign(3, 0.5);
    p.input.std.assign(3, 0.25);
    return p;
}

std::vector<float> stackImages(const std::vector<std::string> &files)
{
    std::vector<float> out;
    for (const std::string &f : files) {
        const mpq::PreparedImage img = mpq::prepareImage(f, profile().input);
        out.insert(out.end(), img.data.begin(), img.data.end());
    }
    return out;
}

// the code of the mpq::Error that f throws, -1 when it throws none
template <class F> int errorOf(F &&f, std::string *message = nullptr)
{
    try {
        f();
    } catch (const mpq::Error &e) {
        if (message)
            *message = e.what();
        return int(e.code());
    }
    return -1;
}

} // namespace

class TestOverrides : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::vector<std::string> m_images;
    std::string path(const char *name) { return m_dir.filePath(name).toStdString(); }

    // e_c of conv1 (the model's first layer) with the given folded weight, on the whole
    // calibration batch at once, per channel
    std::vector<double> conv1Error(const mpq::Model &m, const mpq::Analysis &a,
                                   const std::vector<float> &weight)
    {
        const mpq::LayerInfo &l = m.layers()[0];
        const mpqtest::DirectCurves d = mpqtest::directConvCurves(
            stackImages(a.calibrationFiles), {std::int64_t(a.calibrationFiles.size()), 3, 10, 12},
            m.foldedWeight(0), l.weightShape, {weight}, 1, l.groups);
        return d.error;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(mpqtest::writeNoiseImages(m_dir.filePath("images"), 6, 13, 10, 5, 1));
        m_images = mpq::findImages(m_dir.filePath("images").toStdString());
        mpqtest::saveConvNet(path("conv.pt"), 4);
    }

    void outputBestOverrideRunsWhatWasPredicted()
    {
        // Defect 3: with the output-best first point, a Bits override's curves are those of the
        // per-channel better decomposition; the clone must run that one, not the L2 one.
        const mpq::Model m = mpq::Model::load(path("conv.pt"));
        mpq::AnalysisSettings s;
        s.bits = 4;
        s.maxPoints = 3;
        s.batchSize = 4;
        s.firstPoint = mpq::FirstPointRule::OutputBest;
        const mpq::Analysis a = mpq::analyze(m, profile(), m_images, s);
        const std::vector<mpq::LayerAtBits> atBits = mpq::layersAtBits(m, profile(), a, {0}, 6);
        QCOMPARE(atBits.size(), std::size_t(1));
        const mpq::LayerAtBits &conv1 = atBits[0];
        QCOMPARE(conv1.layer, std::size_t(0));
        QCOMPARE(conv1.bits, 6);
        QCOMPARE(conv1.curves.bits, 6);
        QCOMPARE(conv1.decomposition.bits(), 6);
        const std::int64_t C = conv1.curves.channels;
        QCOMPARE(std::int64_t(conv1.maxFirst.size()), C);
        const auto maxFirst = std::count(conv1.maxFirst.begin(), conv1.maxFirst.end(), 1);
        QVERIFY2(maxFirst > 0 && maxFirst < C, "both first points must occur at 6 bits");

        std::vector<mpq::LayerCurves> curves = a.curves;
        curves.push_back(conv1.curves);
        mpq::AllocationSettings as;
        as.bits = 4;
        as.epsilon = 1e-2;
        as.overrides["conv1"] = {mpq::LayerOverride::Kind::Bits, 1, 6};
        const mpq::Allocation alloc = mpq::allocate(curves, as);
        QCOMPARE(alloc.layers[0].bits, 6);
        const std::vector<int> &n = alloc.layers[0].points;

        // the weight the clone actually holds, read back from the saved clone
        mpq::ModelRunner runner = mpq::quantizedRunner(m, a, alloc, atBits);
        runner.save(path("clone.pt"));
        const std::vector<float> running =
            mpqtest::parameter(path("clone.pt"), m.layers()[0].weightPath);
        QVERIFY(running == conv1.decomposition.reconstruct(n));
        const std::vector<double> measured = conv1Error(m, a, running);
        for (std::int64_t c = 0; c < C; ++c) {
            const double predicted = conv1.curves.errorAt(c, n[c]);
            QVERIFY2(
                std::abs(measured[c] - predicted) <=
                    1e-3 * predicted + 1e-7 * conv1.curves.signal[c],
                qPrintable(QString("channel %1 (%2 points, max first %3): ran %4, predicted %5")
                               .arg(c)
                               .arg(n[c])
                               .arg(conv1.maxFirst[c])
                               .arg(measured[c])
                               .arg(predicted)));
        }
        // what the runner did before: decompose with the L2 first point in every channel; its
        // error differs from the prediction in some channel, so the check above can fail
        mpq::DecomposeOptions o;
        o.bits = 6;
        o.maxPoints = 3;
        const std::vector<double> l2Only = conv1Error(
            m, a, mpq::decompose(m.foldedWeight(0).data(), C, m.layers()[0].d, o).reconstruct(n));
        bool differs = false;
        for (std::int64_t c = 0; c < C; ++c)
            differs |= std::abs(l2Only[c] - conv1.curves.errorAt(c, n[c])) >
                       1e-3 * conv1.curves.errorAt(c, n[c]) + 1e-7 * conv1.curves.signal[c];
        QVERIFY(differs);
    }

    void layersAtBitsAtTheAnalysisBitsIsTheAnalysis()
    {
        // one code path for the analysis and an override: the same bits give the same result
        const mpq::Model m = mpq::Model::load(path("conv.pt"));
        mpq::AnalysisSettings s;
        s.bits = 3;
        s.maxPoints = 2;
        s.batchSize = 2;
        s.firstPoint = mpq::FirstPointRule::OutputBest;
        const mpq::Analysis a = mpq::analyze(m, profile(), m_images, s);
        const std::vector<mpq::LayerAtBits> again = mpq::layersAtBits(m, profile(), a, {3, 1}, 3);
        QCOMPARE(again.size(), std::size_t(2));
        for (const mpq::LayerAtBits &x : again) {
            QCOMPARE(x.maxFirst, a.maxFirst[x.layer]);
            QVERIFY(x.decomposition.scales() == a.decompositions[x.layer].scales());
            QVERIFY(x.decomposition.codes() == a.decompositions[x.layer].codes());
            QCOMPARE(x.curves.name, a.curves[x.layer].name);
            for (std::size_t k = 0; k < x.curves.error.size(); ++k)
                QVERIFY(std::abs(x.curves.error[k] - a.curves[x.layer].error[k]) <=
                        1e-9 * (1.0 + a.curves[x.layer].error[k]));
        }
        QCOMPARE(again[0].layer, std::size_t(3));
        QCOMPARE(again[1].layer, std::size_t(1));
        // the settings override: one MSE-optimal point
        mpq::AnalysisSettings one = s;
        one.maxPoints = 1;
        one.firstPoint = mpq::FirstPointRule::L2;
        const std::vector<mpq::LayerAtBits> single =
            mpq::layersAtBits(m, profile(), a, {1}, 5, {}, one);
        QCOMPARE(single[0].decomposition.points(), 1);
        QCOMPARE(single[0].curves.maxPoints, 1);
        QVERIFY(std::count(single[0].maxFirst.begin(), single[0].maxFirst.end(), 1) == 0);
    }

    void runnersAndExportsUseTheGivenDecomposition()
    {
        // Defect 7: the decomposition is made once (two stages reported), and every runner and
        // export takes it as given: an altered one is what runs, a missing one is an error.
        const mpq::Model m = mpq::Model::load(path("conv.pt"));
        mpq::AnalysisSettings s;
        s.bits = 3;
        s.maxPoints = 2;
        s.batchSize = 3;
        s.rounding = mpq::Rounding::Nearest; // no input pass before the decomposition
        const mpq::Analysis a = mpq::analyze(m, profile(), m_images, s);
        QStringList stages;
        mpq::JobControl control;
        control.stage = [&](const std::string &name) { stages << QString::fromStdString(name); };
        const std::vector<mpq::LayerAtBits> atBits =
            mpq::layersAtBits(m, profile(), a, {1}, 5, control);
        QCOMPARE(stages, (QStringList{"decomposing", "calibrating"}));

        std::vector<mpq::LayerCurves> curves = a.curves;
        curves.push_back(atBits[0].curves);
        mpq::AllocationSettings as;
        as.bits = 3;
        as.epsilon = 1e-12; // every channel at its least error
        as.overrides["dw"] = {mpq::LayerOverride::Kind::Bits, 1, 5};
        const mpq::Allocation alloc = mpq::allocate(curves, as);
        QCOMPARE(alloc.layers[1].bits, 5);
        QCOMPARE(alloc.layers[1].maxPoints, 2);

        // the same object, not a copy and not a new decomposition
        QVERIFY(&mpq::layerDecomposition(m, a, atBits, alloc.layers[1], 1) ==
                &atBits[0].decomposition);
        QVERIFY(&mpq::layerDecomposition(m, a, atBits, alloc.layers[0], 0) == &a.decompositions[0]);

        // an altered decomposition (every scale doubled) is the one that runs
        const mpq::MatrixDecomposition &d = atBits[0].decomposition;
        std::vector<float> doubled = d.scales();
        for (float &x : doubled)
            x *= 2.0f;
        std::vector<mpq::LayerAtBits> altered = atBits;
        altered[0].decomposition = mpq::MatrixDecomposition::fromArrays(
            d.bits(), d.points(), d.rows(), d.cols(), doubled, d.codes(), d.residualNorms());
        const std::vector<float> expected =
            altered[0].decomposition.reconstruct(alloc.layers[1].points);
        QVERIFY(expected != d.reconstruct(alloc.layers[1].points));
        QVERIFY(mpq::quantizedWeight(m, a, alloc, altered, 1) == expected);
        mpq::ModelRunner runner = mpq::quantizedRunner(m, a, alloc, altered);
        runner.save(path("altered.pt"));
        QVERIFY(mpqtest::parameter(path("altered.pt"), m.layers()[1].weightPath) == expected);

        // a missing entry, or one with too few points, names the layer
        std::vector<mpq::LayerAtBits> onePoint = atBits;
        onePoint[0].decomposition = mpq::MatrixDecomposition::fromArrays(
            d.bits(), 1, d.rows(), d.cols(),
            [&] {
                std::vector<float> v;
                for (std::int64_t r = 0; r < d.rows(); ++r)
                    v.push_back(d.scale(r, 0));
                return v;
            }(),
            [&] {
                std::vector<std::int8_t> v;
                for (std::int64_t r = 0; r < d.rows(); ++r)
                    v.insert(v.end(), d.code(r, 0), d.code(r, 0) + d.cols());
                return v;
            }(),
            [&] {
                std::vector<double> v;
                for (std::int64_t r = 0; r < d.rows(); ++r) {
                    v.push_back(d.residualNorm(r, 0));
                    v.push_back(d.residualNorm(r, 1));
                }
                return v;
            }());
        std::vector<mpq::LayerAtBits> otherBits = atBits;
        otherBits[0].bits = 6;
        const std::string manifest = mpq::exportManifest(a, alloc, as, "test", "expanded");
        const std::vector<mpq::LayerAtBits> none;
        using List = std::vector<mpq::LayerAtBits>;
        for (const List *given : std::vector<const List *>{&none, &onePoint, &otherBits}) {
            const List &g = *given;
            std::string message;
            QCOMPARE(errorOf([&] { mpq::quantizedRunner(m, a, alloc, g); }, &message),
                     int(mpq::ErrorCode::InvalidArgument));
            QVERIFY2(message.find("dw") != std::string::npos, message.c_str());
            QCOMPARE(errorOf([&] { mpq::quantizedWeight(m, a, alloc, g, 1); }),
                     int(mpq::ErrorCode::InvalidArgument));
            QCOMPARE(errorOf([&] {
                         mpq::exportExpanded(m, a, alloc, g, path("missing.pt"), manifest,
                                             profile(), {});
                     }),
                     int(mpq::ErrorCode::InvalidArgument));
            QCOMPARE(errorOf([&] {
                         mpq::exportIntegerPackage(m, a, alloc, g, manifest, path("missing-pkg"));
                     }),
                     int(mpq::ErrorCode::InvalidArgument));
            QVERIFY(!QFileInfo::exists(m_dir.filePath("missing.pt")));
            QVERIFY(!QFileInfo::exists(m_dir.filePath("missing-pkg")));
        }

        // the expanded export runs the given decomposition too: it matches the in-app clone
        const mpq::ExpandedExport ex =
            mpq::exportExpanded(m, a, alloc, atBits, path("ex.pt"), manifest, profile(), m_images);
        QCOMPARE(ex.verification.images, int(m_images.size()));
        QVERIFY(ex.verification.maxRelativeDifference < 1e-4);
        QVERIFY(mpq::exportIntegerPackage(m, a, alloc, atBits, manifest, path("pkg")) > 0);
    }

    void layersAtBitsCancels()
    {
        const mpq::Model m = mpq::Model::load(path("conv.pt"));
        mpq::AnalysisSettings s;
        s.bits = 3;
        s.maxPoints = 2;
        const mpq::Analysis a = mpq::analyze(m, profile(), m_images, s);
        for (const char *when : {"decomposing", "calibrating"}) {
            std::string stage;
            mpq::JobControl control;
            control.stage = [&](const std::string &name) { stage = name; };
            control.isCancelled = [&] { return stage == when; };
            QCOMPARE(errorOf([&] {
                         mpq::layersAtBits(m, profile(), a, {0, 1, 2, 3, 4}, 6, control);
                     }),
                     int(mpq::ErrorCode::Cancelled));
        }
        QCOMPARE(errorOf([&] { mpq::layersAtBits(m, profile(), a, {5}, 6); }),
                 int(mpq::ErrorCode::InvalidArgument));
    }
};

QTEST_GUILESS_MAIN(TestOverrides)
#include "tst_overrides.moc"
