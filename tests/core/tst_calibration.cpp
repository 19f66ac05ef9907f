// The analysis pipeline: streamed curves against direct full-batch references for every layer
// kind (conv, depthwise, pointwise, strided grouped with bias, linear, a layer in a loop), the
// exact activation fake-quantization, skipped images, first-point rules, cancellation, saving
// and loading, an end-to-end allocation applied to a clone, and a model whose activations
// overflow.
#include "mpq/analysis.h"
#include "mpq/error.h"
#include "mpq/images.h"
#include "mpq/runner.h"
#include "testmodels.h"

#include <torch/script.h>

#include <QImage>
#include <QtTest>

namespace {

mpq::ModelProfile profile(int channels = 3)
{
    mpq::ModelProfile p;
    p.input.width = 12;
    p.input.height = 10;
    p.input.channels = channels;
    p.input.color = channels == 1 ? mpq::ColorOrder::Gray : mpq::ColorOrder::Rgb;
    p.input.mean.assign(channels, 0.5);
    p.input.std.assign(channels, 0.25);
    return p;
}

std::vector<float> stackImages(const std::vector<std::string> &files, const mpq::InputSpec &spec)
{
    std::vector<float> out;
    for (const std::string &f : files) {
        const mpq::PreparedImage img = mpq::prepareImage(f, spec);
        out.insert(out.end(), img.data.begin(), img.data.end());
    }
    return out;
}

void compareCurves(const mpq::LayerCurves &c, const mpqtest::DirectCurves &direct)
{
    QCOMPARE(direct.signal.size(), size_t(c.channels));
    for (std::int64_t ch = 0; ch < c.channels; ++ch) {
        QVERIFY2(std::abs(c.signal[ch] - direct.signal[ch]) <= 1e-4 * direct.signal[ch],
                 qPrintable(QString("%1 s_%2: %3 vs %4")
                                .arg(c.name.c_str())
                                .arg(ch)
                                .arg(c.signal[ch])
                                .arg(direct.signal[ch])));
        for (int n = 1; n <= c.maxPoints; ++n) {
            const double ref = direct.error[(n - 1) * c.channels + ch];
            QVERIFY2(std::abs(c.errorAt(ch, n) - ref) <= 1e-3 * ref + 1e-7 * direct.signal[ch],
                     qPrintable(QString("%1 e_%2(%3): %4 vs %5")
                                    .arg(c.name.c_str())
                                    .arg(ch)
                                    .arg(n)
                                    .arg(c.errorAt(ch, n))
                                    .arg(ref)));
        }
    }
}

std::vector<std::vector<float>> approximations(const mpq::MatrixDecomposition &d)
{
    std::vector<std::vector<float>> out;
    for (int n = 1; n <= d.points(); ++n)
        out.push_back(d.reconstruct(n));
    return out;
}

} // namespace

class TestCalibration : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::vector<std::string> m_images;
    std::string path(const char *name) { return m_dir.filePath(name).toStdString(); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QDir().mkpath(m_dir.filePath("images/sub"));
        std::mt19937 rng(7);
        for (int i = 0; i < 7; ++i) {
            QImage img(15 + i, 11, QImage::Format_RGB32);
            for (int y = 0; y < img.height(); ++y)
                for (int x = 0; x < img.width(); ++x)
                    img.setPixel(x, y, qRgb(rng() % 256, rng() % 256, rng() % 256));
            QVERIFY(img.save(
                m_dir.filePath(QString(i % 2 ? "images/sub/%1.png" : "images/%1.png").arg(i))));
        }
        QFile broken(m_dir.filePath("images/broken.png"));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("this is not a picture");
        broken.close();
        m_images = mpq::findImages(m_dir.filePath("images").toStdString());
        QCOMPARE(m_images.size(), size_t(8));
        mpqtest::saveConvNet(path("conv.pt"), 1);
        mpqtest::saveLoopNet(path("loop.pt"), 3);
        mpqtest::saveGroupedNet(path("grouped.pt"), 5);
    }

    void streamedCurvesEqualDirect_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("batch");
        QTest::addColumn<bool>("sensitivity");
        QTest::newRow("conv+bn, 3 bits, batch 3") << "conv.pt" << 3 << 3 << false;
        QTest::newRow("conv+bn, 2 bits, batch 1") << "conv.pt" << 2 << 1 << false;
        QTest::newRow("grouped, 4 bits, batch 4") << "grouped.pt" << 4 << 4 << false;
        // the measured images' forward runs with autograd and a backward follows it
        // (docs/multipoint.md section 8): the curves must not change
        QTest::newRow("conv+bn, 3 bits, batch 3, sensitivity") << "conv.pt" << 3 << 3 << true;
        QTest::newRow("grouped, 4 bits, batch 2, sensitivity") << "grouped.pt" << 4 << 2 << true;
    }
    void streamedCurvesEqualDirect()
    {
        QFETCH(QString, model);
        QFETCH(int, bits);
        QFETCH(int, batch);
        QFETCH(bool, sensitivity);
        const mpq::Model m = mpq::Model::load(path(model.toUtf8().constData()));
        mpq::AnalysisSettings s;
        s.bits = bits;
        s.maxPoints = 4;
        s.batchSize = batch;
        s.sensitivity = sensitivity;
        s.rounding = mpq::Rounding::Nearest; // no input pass (its Grams: tst_inputgrams)
        QStringList stages;
        std::vector<double> fractions;
        mpq::JobControl control;
        control.stage = [&](const std::string &name) { stages << QString::fromStdString(name); };
        control.progress = [&](double f) { fractions.push_back(f); };
        const mpq::Analysis a = mpq::analyze(m, profile(), m_images, s, control);
        // the output sensitivity is measured within the calibration (docs/multipoint.md
        // section 8)
        QCOMPARE(stages, (QStringList{"decomposing", "calibrating"}));
        QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
        QCOMPARE(fractions.back(), 1.0);
        QCOMPARE(a.calibrationFiles.size(), size_t(7)); // the broken file is skipped...
        bool warned = false;
        for (const std::string &w : a.warnings)
            warned |= w.find("broken.png") != std::string::npos;
        QVERIFY(warned); // ...with a warning naming it
        const std::vector<float> images = stackImages(a.calibrationFiles, profile().input);
        const mpq::LayerInfo &first = m.layers()[0];
        const mpqtest::DirectCurves direct =
            mpqtest::directConvCurves(images, {7, 3, 10, 12}, m.foldedWeight(0), first.weightShape,
                                      approximations(a.decompositions[0]), 1, first.groups);
        compareCurves(a.curves[0], direct);
        QCOMPARE(a.curves[0].outputPositions, std::int64_t(10 * 12));
        QCOMPARE(a.callsPerForward[0], 1.0);
        for (const mpq::LayerCurves &c : a.curves) {
            QCOMPARE(c.sensitivity.size(), sensitivity ? std::size_t(c.channels) : std::size_t(0));
            QCOMPARE(c.meanSensitivity.size(), c.sensitivity.size());
        }
        if (sensitivity) // the last layer feeds the output: a non-zero gradient reaches it
            QVERIFY(*std::max_element(a.curves.back().sensitivity.begin(),
                                      a.curves.back().sensitivity.end()) > 0.0);
    }

    void everyLayerKindEqualsDirect_data()
    {
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("batch");
        QTest::newRow("3 bits, batch 3") << 3 << 3;
        QTest::newRow("2 bits, batch 1") << 2 << 1;
    }
    void everyLayerKindEqualsDirect()
    {
        // ConvNet holds every layer kind: a conv with BatchNorm, a depthwise conv with BatchNorm
        // whose output joins a residual, a pointwise conv with bias, a strided grouped conv with
        // bias, and a linear layer. Each layer's streamed curves must equal a full-batch
        // computation on inputs taken from an independent replay of the float forward.
        QFETCH(int, bits);
        QFETCH(int, batch);
        const mpq::Model m = mpq::Model::load(path("conv.pt"));
        mpq::AnalysisSettings s;
        s.bits = bits;
        s.maxPoints = 4;
        s.batchSize = batch;
        const mpq::Analysis a = mpq::analyze(m, profile(), m_images, s);
        const std::vector<std::string> names = {"conv1", "dw", "pw", "grouped", "fc"};
        QCOMPARE(a.layers.size(), names.size());
        std::vector<std::vector<std::vector<float>>> approx;
        for (std::size_t i = 0; i < names.size(); ++i) {
            QCOMPARE(a.layers[i].name, names[i]);
            approx.push_back(approximations(a.decompositions[i]));
        }
        QCOMPARE(a.layers[1].groups, std::int64_t(8)); // depthwise
        QCOMPARE(a.layers[3].groups, std::int64_t(2));
        QCOMPARE(a.layers[3].stride, (std::vector<std::int64_t>{2, 2}));
        QVERIFY(a.layers[3].hasBias);
        QCOMPARE(int(a.layers[4].kind), int(mpq::LayerKind::Linear));
        const std::vector<mpqtest::DirectCurves> direct =
            mpqtest::directConvNetCurves(stackImages(a.calibrationFiles, profile().input),
                                         {7, 3, 10, 12}, path("conv.pt"), approx);
        const std::vector<std::int64_t> positions = {10 * 12, 10 * 12, 10 * 12, 5 * 6, 1};
        for (std::size_t i = 0; i < names.size(); ++i) {
            compareCurves(a.curves[i], direct[i]);
            QCOMPARE(a.curves[i].outputPositions, positions[i]);
        }
    }

    void activationFakeQuantIsExact_data()
    {
        QTest::addColumn<int>("activationBits");
        QTest::newRow("8 bits") << 8;
        QTest::newRow("4 bits") << 4;
    }
    void activationFakeQuantIsExact()
    {
        // With activation fake-quantization on, every quantized layer's input is quantized per
        // tensor from its calibration range (docs/multipoint.md section 3). The quantized model's
        // output must equal, to float rounding, GroupedNet recomputed with inputs quantized by
        // that rule written out element by element.
        QFETCH(int, activationBits);
        mpq::ModelProfile prof = profile();
        prof.input.mean.assign(3, 0.45); // keeps image values off the rounding ties of the grid
        prof.input.std.assign(3, 0.3);
        const mpq::Model m = mpq::Model::load(path("grouped.pt"));
        mpq::AnalysisSettings s;
        s.bits = 3;
        s.maxPoints = 3;
        s.activationBits = activationBits;
        const mpq::Analysis a = mpq::analyze(m, prof, m_images, s);
        mpq::AllocationSettings as;
        as.bits = 3;
        as.epsilon = 1e-3;
        const mpq::Allocation alloc = mpq::allocate(a.curves, as);
        QCOMPARE(a.layers.size(), size_t(2));
        std::vector<std::vector<float>> weights;
        std::vector<std::pair<float, float>> ranges;
        for (std::size_t i = 0; i < a.layers.size(); ++i) {
            weights.push_back(a.decompositions[i].reconstruct(alloc.layers[i].points));
            ranges.emplace_back(a.activations[i].min, a.activations[i].max);
        }
        // the first layer's range is that of the calibration images themselves
        const std::vector<float> images = stackImages(a.calibrationFiles, prof.input);
        const auto [lo, hi] = std::minmax_element(images.begin(), images.end());
        QCOMPARE(a.activations[0].min, *lo);
        QCOMPARE(a.activations[0].max, *hi);
        QVERIFY(a.activations[1].max > 0.0f);

        std::vector<mpq::PreparedImage> batch;
        for (const std::string &f : a.calibrationFiles)
            batch.push_back(mpq::prepareImage(f, prof.input));
        const auto quantized =
            mpq::weightsRunner(m, weights, &a.activations, activationBits).run(batch);
        const auto plain = mpq::weightsRunner(m, weights).run(batch);
        const std::vector<float> expected = mpqtest::groupedNetWithQuantizedInputs(
            images, {7, 3, 10, 12}, path("grouped.pt"), weights, ranges, activationBits);
        QCOMPARE(quantized[0].data.size(), expected.size());
        double diff = 0, fromPlain = 0, scale = 0;
        for (std::size_t i = 0; i < expected.size(); ++i) {
            diff = std::max(diff, double(std::abs(quantized[0].data[i] - expected[i])));
            fromPlain = std::max(fromPlain, double(std::abs(plain[0].data[i] - expected[i])));
            scale = std::max(scale, double(std::abs(expected[i])));
        }
        QVERIFY2(diff <= 1e-6 * scale,
                 qPrintable(QString("largest difference %1 of %2").arg(diff).arg(scale)));
        // the comparison tells quantized inputs from float ones by far
        QVERIFY2(
            fromPlain > 1e-3 * scale,
            qPrintable(QString("float inputs differ by only %1 of %2").arg(fromPlain).arg(scale)));
    }

    void layerInsideALoop()
    {
        const mpq::Model m = mpq::Model::load(path("loop.pt"));
        mpq::AnalysisSettings s;
        s.bits = 3;
        s.maxPoints = 3;
        s.batchSize = 2;
        const mpq::Analysis a = mpq::analyze(m, profile(), m_images, s);
        std::map<std::string, std::size_t> index;
        for (std::size_t i = 0; i < a.layers.size(); ++i)
            index[a.layers[i].name] = i;
        QCOMPARE(a.callsPerForward[index["body"]], 3.0);
        QCOMPARE(a.callsPerForward[index["head"]], 1.0);
        QCOMPARE(a.callsPerForward[index["left"]] + a.callsPerForward[index["right"]], 1.0);
        QCOMPARE(a.curves[index["body"]].outputPositions, std::int64_t(3 * 10 * 12));
        const std::size_t body = index["body"];
        const mpqtest::DirectCurves direct = mpqtest::directLoopBodyCurves(
            stackImages(a.calibrationFiles, profile().input), {7, 3, 10, 12},
            m.foldedWeight(index["stem"]), m.foldedWeight(body),
            mpqtest::parameter(path("loop.pt"), "body.bias"),
            approximations(a.decompositions[body]));
        compareCurves(a.curves[body], direct);
        // the branch that never ran is reported
        bool warned = false;
        for (const std::string &w : a.warnings)
            warned |= w.find("did not run") != std::string::npos;
        QVERIFY(warned);
    }

    void firstPointRules()
    {
        const mpq::Model m = mpq::Model::load(path("conv.pt"));
        mpq::AnalysisSettings s;
        s.bits = 2;
        s.maxPoints = 2;
        s.firstPoint = mpq::FirstPointRule::L2;
        const mpq::Analysis l2 = mpq::analyze(m, profile(), m_images, s);
        s.firstPoint = mpq::FirstPointRule::Max;
        const mpq::Analysis max = mpq::analyze(m, profile(), m_images, s);
        s.firstPoint = mpq::FirstPointRule::OutputBest;
        const mpq::Analysis best = mpq::analyze(m, profile(), m_images, s);
        int fromMax = 0;
        for (std::size_t i = 0; i < m.layers().size(); ++i)
            for (std::int64_t c = 0; c < m.layers()[i].outChannels; ++c) {
                const double e = best.curves[i].errorAt(c, 1);
                QVERIFY(std::abs(e - std::min(l2.curves[i].errorAt(c, 1),
                                              max.curves[i].errorAt(c, 1))) <= 1e-6 * (e + 1e-30));
                QCOMPARE(int(max.maxFirst[i][c]), 1);
                fromMax += best.maxFirst[i][c];
            }
        QVERIFY(fromMax > 0); // at 2 bits some channels prefer the max-scaled first point
    }

    void saveLoadAndMatch()
    {
        const mpq::Model m = mpq::Model::load(path("conv.pt"));
        mpq::AnalysisSettings s;
        s.bits = 3;
        s.maxPoints = 3;
        const mpq::Analysis a = mpq::analyze(m, profile(), m_images, s);
        mpq::AllocationSettings alloc;
        alloc.rule = mpq::AllocationRule::Budget;
        alloc.budget = 0.1;
        alloc.overrides["fc"] = {mpq::LayerOverride::Kind::Float, 1, 0};
        const std::string file = path("conv.mpqa");
        mpq::saveAnalysis(a, &alloc, file);
        const mpq::SavedAnalysis loaded = mpq::loadAnalysis(file);
        QVERIFY(loaded.hasAllocation);
        QCOMPARE(int(loaded.allocation.rule), int(mpq::AllocationRule::Budget));
        QCOMPARE(int(loaded.allocation.overrides.at("fc").kind),
                 int(mpq::LayerOverride::Kind::Float));
        const mpq::Analysis &b = loaded.analysis;
        QCOMPARE(b.layers.size(), a.layers.size());
        for (std::size_t i = 0; i < a.layers.size(); ++i) {
            QVERIFY(b.decompositions[i].codes() == a.decompositions[i].codes());
            QVERIFY(b.decompositions[i].scales() == a.decompositions[i].scales());
            QVERIFY(b.curves[i].error == a.curves[i].error);
            QVERIFY(b.curves[i].signal == a.curves[i].signal);
            QCOMPARE(b.layers[i].foldedBatchNorm, a.layers[i].foldedBatchNorm);
        }
        QCOMPARE(b.calibrationFiles, a.calibrationFiles);
        mpq::checkAnalysisMatches(b, m, s);
        mpq::AnalysisSettings other = s;
        other.bits = 4;
        try {
            mpq::checkAnalysisMatches(b, m, other);
            QFAIL("other settings accepted");
        } catch (const mpq::Error &e) {
            QVERIFY2(QString(e.what()).contains("bits 3 vs 4"), e.what());
        }
        const mpq::Model loop = mpq::Model::load(path("loop.pt"));
        try {
            mpq::checkAnalysisMatches(b, loop, s);
            QFAIL("another model accepted");
        } catch (const mpq::Error &e) {
            QVERIFY2(QString(e.what()).contains("another model file"), e.what());
        }
        // damaged files
        QFile f(QString::fromStdString(file));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        f.close();
        QFile t(m_dir.filePath("cut.mpqa"));
        QVERIFY(t.open(QIODevice::WriteOnly));
        t.write(bytes.left(bytes.size() - 10));
        t.close();
        try {
            mpq::loadAnalysis(path("cut.mpqa"));
            QFAIL("truncated analysis accepted");
        } catch (const mpq::Error &e) {
            QCOMPARE(int(e.code()), int(mpq::ErrorCode::BadAnalysis));
            QVERIFY2(QString(e.what()).contains("cut.mpqa: the file is truncated"), e.what());
        }
        try {
            mpq::loadAnalysis(path("conv.pt"));
            QFAIL("a model accepted as analysis");
        } catch (const mpq::Error &e) {
            QVERIFY2(QString(e.what()).contains("not an MPQ Studio analysis"), e.what());
        }
        // an unwritable destination leaves nothing behind and keeps the old file
        try {
            mpq::saveAnalysis(a, nullptr, path("conv.pt/x.mpqa"));
            QFAIL("write into a regular file's child succeeded");
        } catch (const mpq::Error &e) {
            QCOMPARE(int(e.code()), int(mpq::ErrorCode::Io));
        }
        QVERIFY(QFileInfo(QString::fromStdString(path("conv.pt"))).isFile());
    }

    void curvesAtOtherBits()
    {
        // the curves of two layers at 5 bits, recomputed alone, equal those of a full analysis at
        // 5 bits; a Bits override then allocates from them
        const mpq::Model m = mpq::Model::load(path("conv.pt"));
        mpq::AnalysisSettings s;
        s.bits = 3;
        s.maxPoints = 3;
        s.batchSize = 4;
        const mpq::Analysis a3 = mpq::analyze(m, profile(), m_images, s);
        s.bits = 5;
        const mpq::Analysis a5 = mpq::analyze(m, profile(), m_images, s);
        const std::vector<mpq::LayerCurves> extra = mpq::curvesAtBits(m, profile(), a3, {1, 4}, 5);
        QCOMPARE(extra.size(), size_t(2));
        for (std::size_t k = 0; k < 2; ++k) {
            const mpq::LayerCurves &c = extra[k], &ref = a5.curves[k == 0 ? 1 : 4];
            QCOMPARE(c.name, ref.name);
            QCOMPARE(c.bits, 5);
            for (std::int64_t ch = 0; ch < c.channels; ++ch)
                for (int n = 1; n <= 3; ++n)
                    QVERIFY(std::abs(c.errorAt(ch, n) - ref.errorAt(ch, n)) <=
                            1e-5 * ref.signal[ch]);
        }
        std::vector<mpq::LayerCurves> curves = a3.curves;
        curves.insert(curves.end(), extra.begin(), extra.end());
        mpq::AllocationSettings as;
        as.bits = 3;
        as.overrides["dw"] = {mpq::LayerOverride::Kind::Bits, 1, 5};
        const mpq::Allocation alloc = mpq::allocate(curves, as);
        QCOMPARE(alloc.layers[1].bits, 5);
        QCOMPARE(alloc.layers[0].bits, 3);
        // the clone takes that layer's decomposition at 5 bits from layersAtBits (made once)
        const std::vector<mpq::LayerAtBits> atBits = mpq::layersAtBits(m, profile(), a3, {1}, 5);
        const std::vector<float> w = mpq::quantizedWeight(m, a3, alloc, atBits, 1);
        mpq::DecomposeOptions o;
        o.bits = 5;
        o.maxPoints = 3;
        QVERIFY(
            w ==
            mpq::decompose(m.foldedWeight(1).data(), 8, 9, o).reconstruct(alloc.layers[1].points));
    }

    void cancelAndBadInput()
    {
        const mpq::Model m = mpq::Model::load(path("conv.pt"));
        mpq::AnalysisSettings s;
        s.batchSize = 1;
        int polls = 0;
        bool calibrating = false;
        mpq::JobControl control;
        control.stage = [&](const std::string &stage) { calibrating = stage == "calibrating"; };
        control.isCancelled = [&] { return calibrating && ++polls > 12; }; // in the third batch
        try {
            mpq::analyze(m, profile(), m_images, s, control);
            QFAIL("not cancelled");
        } catch (const mpq::Error &e) {
            QCOMPARE(int(e.code()), int(mpq::ErrorCode::Cancelled));
        }
        QCOMPARE(polls, 13); // stopped at the first poll that said so
        // gray images into a 3-channel model: the same message whichever pass meets them first
        // (with output-aware rounding the input Grams' pass, whose patches of a 1-channel
        // 10 x 13 input do not reshape into the layer's 27 inputs: the model's own reason, not
        // the reshape's)
        mpq::ModelProfile grayProfile = profile(1);
        grayProfile.input.width = 13;
        for (mpq::Rounding rounding : {mpq::Rounding::Nearest, mpq::Rounding::OutputAware}) {
            mpq::AnalysisSettings gray = s;
            gray.rounding = rounding;
            try {
                mpq::analyze(m, grayProfile, m_images, gray);
                QFAIL("wrong input accepted");
            } catch (const mpq::Error &e) {
                QCOMPARE(int(e.code()), int(mpq::ErrorCode::BadModel));
                QVERIFY2(QString(e.what()).contains(
                             QString::fromStdString(path("conv.pt")) +
                             ": the model fails on a 1x1x10x13 input (check the profile's input "
                             "size)"),
                         e.what());
                // the reason from the end of the TorchScript interpreter's text, not its first
                // line
                QVERIFY2(QString(e.what()).contains("to have 3 channels, but got 1 channels"),
                         e.what());
            }
        }
        try {
            mpq::analyze(m, profile(), {m_dir.filePath("images/broken.png").toStdString()}, s);
            QFAIL("no readable image accepted");
        } catch (const mpq::Error &e) {
            QCOMPARE(int(e.code()), int(mpq::ErrorCode::BadImage));
        }
    }

    void nonFiniteActivationsNameTheLayer()
    {
        // exp(1000 y) overflows: layer b's input is Inf on every image, its output NaN. With
        // either rounding the analysis stops with an error naming the model and b (nearest
        // rounding gave NaN curves, found only by the allocation; output-aware rounding "the
        // input Gram is not positive definite", naming neither)
        torch::manual_seed(3);
        torch::jit::Module net("OverflowNet");
        net.register_parameter("a", torch::randn({4, 3, 3, 3}) * 0.3, false);
        net.register_parameter("b", torch::randn({5, 4, 3, 3}) * 0.3, false);
        net.define(R"(
def forward(self, x):
    y = torch.conv2d(x, self.a, None, [1, 1], [1, 1], [1, 1], 1)
    return torch.conv2d(torch.exp(y * 1000.0), self.b, None, [1, 1], [1, 1], [1, 1], 1)
)");
        net.save(path("overflow.pt"));
        const mpq::Model m = mpq::Model::load(path("overflow.pt"));
        for (mpq::Rounding rounding : {mpq::Rounding::Nearest, mpq::Rounding::OutputAware}) {
            mpq::AnalysisSettings s;
            s.rounding = rounding;
            s.maxPoints = 2;
            try {
                mpq::analyze(m, profile(), m_images, s);
                QFAIL("NaN curves accepted");
            } catch (const mpq::Error &e) {
                QCOMPARE(int(e.code()), int(mpq::ErrorCode::NonFinite));
                QVERIFY2(QString(e.what()).startsWith(QString::fromStdString(path("overflow.pt")) +
                                                      ": layer 'b': its input or output on the "
                                                      "calibration images is not finite"),
                         e.what());
            }
        }
    }

    void allocationAppliedEndToEnd()
    {
        const mpq::Model m = mpq::Model::load(path("conv.pt"));
        mpq::AnalysisSettings s;
        s.bits = 2;
        s.maxPoints = 4;
        const mpq::Analysis a = mpq::analyze(m, profile(), m_images, s);
        std::vector<mpq::PreparedImage> batch;
        for (const std::string &f : a.calibrationFiles)
            batch.push_back(mpq::prepareImage(f, profile().input));
        const auto reference = mpq::floatRunner(m).run(batch);
        double previous = 1e300;
        for (double epsilon : {1e-1, 1e-2, 1e-3, 1e-4}) {
            mpq::AllocationSettings as;
            as.bits = 2;
            as.epsilon = epsilon;
            const mpq::Allocation alloc = mpq::allocate(a.curves, as);
            const auto y = mpq::quantizedRunner(m, a, alloc, {}).run(batch);
            double err = 0;
            for (size_t i = 0; i < y[0].data.size(); ++i)
                err += std::pow(double(y[0].data[i]) - reference[0].data[i], 2);
            QVERIFY2(
                err <= previous * 1.05,
                qPrintable(
                    QString("epsilon %1: error %2 after %3").arg(epsilon).arg(err).arg(previous)));
            previous = err;
        }
        // activation fake-quantization on top: activationFakeQuantIsExact
    }
};

QTEST_GUILESS_MAIN(TestCalibration)
#include "tst_calibration.moc"
