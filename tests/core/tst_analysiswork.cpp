// The analysis takes s_c from each layer's recorded output (issue 17): s_c must equal a direct
// computation of sum y_c^2 with the folded weight and without bias (docs/multipoint.md section
// 3) for a conv with bias and a folded BatchNorm, a grouped conv with bias, a grouped conv with
// bias and BatchNorm, a linear layer and an addmm. And the analysis reports its progress
// (issue 14): non-decreasing, from 0 to 1, moving through the calibration's batches; on two
// threads it gives the same analysis as on one; and the batch size does not change it, also
// where one version's outputs are evaluated on parts of a batch.
#include "calib/calibration.h"
#include "mpq/analysis.h"
#include "mpq/images.h"
#include "mpq/parallel.h"

#include <torch/script.h>

#include <QImage>
#include <QtTest>

#include <random>

namespace {

torch::jit::Module conv(const std::string &name, std::int64_t in, std::int64_t out, std::int64_t k,
                        std::int64_t groups, std::int64_t stride, float biasLevel)
{
    torch::jit::Module m(name);
    m.register_parameter("weight", torch::randn({out, in / groups, k, k}) * 0.3, false);
    // a bias well away from zero, so that forgetting to take it off would show
    m.register_parameter("bias", torch::randn({out}) * 0.1 + biasLevel, false);
    const std::string pad = std::to_string(k / 2), s = std::to_string(stride),
                      g = std::to_string(groups);
    m.define("def forward(self, x):\n    return torch.conv2d(x, self.weight, self.bias, [" + s +
             ", " + s + "], [" + pad + ", " + pad + "], [1, 1], " + g + ")\n");
    return m;
}

torch::jit::Module batchNorm(const std::string &name, std::int64_t channels)
{
    torch::jit::Module m(name);
    // gamma far from 1 (and one negative), so that a missing BatchNorm scale would show
    at::Tensor gamma = torch::rand({channels}) * 2 + 0.3;
    gamma[0] = -gamma[0];
    m.register_parameter("weight", gamma, false);
    m.register_parameter("bias", torch::randn({channels}) * 0.2, false);
    m.register_buffer("running_mean", torch::randn({channels}) * 0.1);
    m.register_buffer("running_var", torch::rand({channels}) * 3 + 0.2);
    m.define("def forward(self, x):\n    return torch.batch_norm(x, self.weight, self.bias, "
             "self.running_mean, self.running_var, False, 0.1, 1e-5, False)\n");
    return m;
}

// conv+bias+BN, strided grouped conv with bias, grouped conv with bias+BN, linear, addmm
void saveBiasNet(const std::string &path)
{
    torch::manual_seed(17);
    torch::jit::Module m("BiasNet");
    m.register_module("conv1", conv("Conv1", 3, 6, 3, 1, 1, 0.5f));
    m.register_module("bn1", batchNorm("Bn1", 6));
    m.register_module("grouped", conv("Grouped", 6, 6, 3, 3, 2, -0.4f));
    m.register_module("grouped2", conv("Grouped2", 6, 4, 1, 2, 1, 0.3f));
    m.register_module("bn2", batchNorm("Bn2", 4));
    torch::jit::Module fc("Fc");
    fc.register_parameter("weight", torch::randn({5, 4}) * 0.3, false);
    fc.register_parameter("bias", torch::randn({5}) * 0.1 + 0.6, false);
    fc.define("def forward(self, x):\n    return torch.linear(x, self.weight, self.bias)\n");
    m.register_module("fc", fc);
    m.register_parameter("head_weight", torch::randn({3, 5}) * 0.3, false);
    m.register_parameter("head_bias", torch::randn({3}) * 0.1 - 0.5, false);
    m.define(R"(
def forward(self, x):
    y = torch.relu(self.bn1.forward(self.conv1.forward(x)))
    y = torch.relu(self.grouped.forward(y))
    y = self.bn2.forward(self.grouped2.forward(y))
    z = torch.relu(self.fc.forward(y.mean([2, 3])))
    return torch.addmm(self.head_bias, z, self.head_weight.t())
)");
    m.save(path);
}

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

at::Tensor imageBatch(const std::vector<std::string> &files)
{
    std::vector<at::Tensor> images;
    for (const std::string &f : files) {
        mpq::PreparedImage img = mpq::prepareImage(f, profile().input);
        images.push_back(
            at::from_blob(img.data.data(), {img.channels, img.height, img.width}, at::kFloat)
                .clone());
    }
    return at::stack(images);
}

at::Tensor run(torch::jit::Module &m, const char *child, const at::Tensor &x)
{
    return m.attr(child).toModule().forward({x}).toTensor();
}

/// Equal as float sums added in another order (threads, batch sizes): 1e-5 relative.
bool closeAsFloatSums(double a, double b)
{
    return std::abs(a - b) <= 1e-5 * std::max(std::abs(a), std::abs(b)) + 1e-30;
}

} // namespace

class TestAnalysisWork : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::vector<std::string> m_images;
    std::string m_model;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        std::mt19937 rng(3);
        for (int i = 0; i < 6; ++i) {
            QImage img(14 + i, 11, QImage::Format_RGB32);
            for (int y = 0; y < img.height(); ++y)
                for (int x = 0; x < img.width(); ++x)
                    img.setPixel(x, y, qRgb(rng() % 256, rng() % 256, rng() % 256));
            QVERIFY(img.save(m_dir.filePath(QString("%1.png").arg(i))));
        }
        m_images = mpq::findImages(m_dir.path().toStdString());
        QCOMPARE(m_images.size(), size_t(6));
        m_model = m_dir.filePath("bias.pt").toStdString();
        saveBiasNet(m_model);
    }

    void signalEqualsDirectSumWithoutBias()
    {
        const mpq::Model model = mpq::Model::load(m_model);
        QCOMPARE(model.layers().size(), size_t(5));
        QVERIFY(!model.layers()[0].foldedBatchNorm.empty());
        QVERIFY(model.layers()[0].hasBias);
        QCOMPARE(model.layers()[1].groups, std::int64_t(3));
        QVERIFY(!model.layers()[2].foldedBatchNorm.empty());
        QCOMPARE(model.layers()[2].groups, std::int64_t(2));
        mpq::AnalysisSettings s;
        s.maxPoints = 2;
        s.batchSize = 4; // two batches, the second one short
        const mpq::Analysis a = mpq::analyze(model, profile(), m_images, s);
        QCOMPARE(a.calibrationFiles.size(), size_t(6));

        // each layer's input from the float model's own modules, then y = W_f x (no bias)
        torch::jit::Module m = torch::jit::load(m_model);
        m.eval();
        c10::InferenceMode inference;
        const at::Tensor x0 = imageBatch(a.calibrationFiles);
        const at::Tensor x1 = at::relu(run(m, "bn1", run(m, "conv1", x0)));
        const at::Tensor x2 = at::relu(run(m, "grouped", x1));
        const at::Tensor x3 = run(m, "bn2", run(m, "grouped2", x2)).mean({2, 3});
        const at::Tensor x4 = at::relu(run(m, "fc", x3));
        const std::vector<at::Tensor> inputs = {x0, x1, x2, x3, x4};
        const std::vector<std::int64_t> stride = {1, 2, 1};
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            const mpq::LayerInfo &l = model.layers()[i];
            std::vector<float> folded = model.foldedWeight(i);
            const at::Tensor w =
                at::from_blob(folded.data(), l.weightShape, at::kFloat).to(at::kDouble);
            const at::Tensor in = inputs[i].to(at::kDouble);
            at::Tensor y;
            if (l.kind == mpq::LayerKind::Linear)
                y = at::linear(in, w); // (B, C)
            else
                y = at::conv2d(in, w, {}, {stride[i], stride[i]},
                               {l.weightShape[2] / 2, l.weightShape[2] / 2}, {1, 1}, l.groups)
                        .transpose(0, 1)
                        .reshape({l.outChannels, -1})
                        .t();
            const at::Tensor direct = y.square().sum(0).contiguous();
            const mpq::LayerCurves &c = a.curves[i];
            QCOMPARE(c.channels, l.outChannels);
            for (std::int64_t ch = 0; ch < l.outChannels; ++ch) {
                const double ref = direct[ch].item<double>();
                QVERIFY(ref > 0.0);
                QVERIFY2(std::abs(c.signal[ch] - ref) <= 2e-5 * ref,
                         qPrintable(QString("%1 s_%2: %3, direct %4")
                                        .arg(l.name.c_str())
                                        .arg(ch)
                                        .arg(c.signal[ch], 0, 'g', 10)
                                        .arg(ref, 0, 'g', 10)));
            }
        }
    }

    void progressInUnitsOfWork_data()
    {
        QTest::addColumn<int>("points");
        QTest::addColumn<int>("batch");
        QTest::addColumn<bool>("outputBest");
        QTest::newRow("4 points, batch 2") << 4 << 2 << false;
        QTest::newRow("2 points, batch 4, output-best") << 2 << 4 << true;
    }
    void progressInUnitsOfWork()
    {
        QFETCH(int, points);
        QFETCH(int, batch);
        QFETCH(bool, outputBest);
        const mpq::Model model = mpq::Model::load(m_model);
        mpq::AnalysisSettings s;
        s.maxPoints = points;
        s.batchSize = batch;
        s.firstPoint = outputBest ? mpq::FirstPointRule::OutputBest : mpq::FirstPointRule::L2;
        std::vector<double> fractions;
        double atCalibration = -1.0;
        mpq::JobControl control;
        control.progress = [&](double f) { fractions.push_back(f); };
        control.stage = [&](const std::string &name) {
            if (name == "calibrating")
                atCalibration = fractions.empty() ? 0.0 : fractions.back();
        };
        const mpq::Analysis a = mpq::analyze(model, profile(), m_images, s, control);
        QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
        QCOMPARE(fractions.front(), 0.0);
        QCOMPARE(fractions.back(), 1.0);
        QCOMPARE(std::count(fractions.begin(), fractions.end(), 1.0), std::ptrdiff_t(1));

        // the units of work are re-scaled by the rates measured as the analysis runs
        // (calib/progress.h, tested on a made-up clock in tst_progress), so the fractions are
        // not fixed shares of the units; what the analysis must show: the decomposition ends
        // strictly inside (0, 1), and the calibration moves within and across its batches
        QVERIFY2(atCalibration > 0.0 && atCalibration < 1.0,
                 qPrintable(QString("at the end of the decomposition %1").arg(atCalibration)));
        const auto calibrating = std::count_if(fractions.begin(), fractions.end(),
                                               [&](double f) { return f > atCalibration; });
        const std::ptrdiff_t batches = (std::ptrdiff_t(m_images.size()) + batch - 1) / batch;
        QVERIFY2(calibrating >= 2 * batches,
                 qPrintable(QString("%1 reports in %2 batches").arg(calibrating).arg(batches)));
        // the layers' output positions that the units count
        const std::vector<double> positions = {10 * 12, 5 * 6, 5 * 6, 1, 1};
        for (std::size_t i = 0; i < model.layers().size(); ++i)
            QCOMPARE(double(a.curves[i].outputPositions), positions[i]);
    }

    // Issue 17: the decomposition runs layer by layer on two threads and the stacked
    // differences on both (util/parallelfor.h); the decomposition (this project's code) is
    // bit-identical to one thread's. The curves come from LibTorch's float convolutions, whose
    // kernels may split a sum across threads (on AVX-512 machines one layer's signal and error
    // move by 1e-7 relative between one and two threads), so they agree at 1e-5, the tolerance
    // of float sums in another order; a race in the stacked differences moves them far more.
    // With output-aware rounding two layers' blocks of rows fit their Grams by BLAS products at
    // once: still bit-identical (the blocks follow from the row indices alone)
    void twoThreadsGiveTheSameAnalysis_data()
    {
        QTest::addColumn<bool>("outputBest");
        QTest::addColumn<bool>("outputAware");
        QTest::newRow("l2 first") << false << false;
        QTest::newRow("output-best") << true << false;
        QTest::newRow("output-aware rounding") << false << true;
    }
    void twoThreadsGiveTheSameAnalysis()
    {
        QFETCH(bool, outputBest);
        QFETCH(bool, outputAware);
        const mpq::Model model = mpq::Model::load(m_model);
        mpq::AnalysisSettings s;
        s.maxPoints = 4;
        s.batchSize = 2;
        s.firstPoint = outputBest ? mpq::FirstPointRule::OutputBest : mpq::FirstPointRule::L2;
        s.rounding = outputAware ? mpq::Rounding::OutputAware : mpq::Rounding::Nearest;
        mpq::setThreadCount(1);
        const mpq::Analysis one = mpq::analyze(model, profile(), m_images, s);
        mpq::setThreadCount(2);
        const mpq::Analysis two = mpq::analyze(model, profile(), m_images, s);
        mpq::setThreadCount(1);
        QCOMPARE(two.decompositions.size(), one.decompositions.size());
        for (std::size_t i = 0; i < one.decompositions.size(); ++i) {
            QVERIFY(two.decompositions[i].scales() == one.decompositions[i].scales());
            QVERIFY(two.decompositions[i].codes() == one.decompositions[i].codes());
            QVERIFY(two.decompositions[i].residualNorms() == one.decompositions[i].residualNorms());
            QVERIFY(two.maxFirst[i] == one.maxFirst[i]);
            QCOMPARE(two.curves[i].signal.size(), one.curves[i].signal.size());
            QCOMPARE(two.curves[i].error.size(), one.curves[i].error.size());
            for (std::size_t j = 0; j < one.curves[i].signal.size(); ++j)
                QVERIFY(closeAsFloatSums(two.curves[i].signal[j], one.curves[i].signal[j]));
            for (std::size_t j = 0; j < one.curves[i].error.size(); ++j) {
                const double a = one.curves[i].error[j], b = two.curves[i].error[j];
                QVERIFY2(closeAsFloatSums(a, b),
                         qPrintable(QString("layer %1, value %2: %3 against %4")
                                        .arg(i)
                                        .arg(j)
                                        .arg(a, 0, 'g', 17)
                                        .arg(b, 0, 'g', 17)));
            }
        }
    }

    // The calibration runs its first image alone, then batches (calib/calibrate.cpp), and a
    // stacked evaluation whose one version exceeds the block cap (4 M outputs) runs on parts of
    // the batch's images: a conv 3 -> 72 on 256 x 256 gives 4.7 M outputs per image and
    // version, so a batch of 3 runs in three parts. Every batch size gives the same curves
    // (float sums in another order: 1e-5), the same signal and positions. With output-aware
    // rounding the input Grams are summed image by image (calib/gram.cpp), so every batch size
    // gives the same Grams and so the same codes and scales (summed per batch, the scales
    // differed between batch sizes and the curves by up to 2e-5).
    void batchSizeAndPartsGiveTheSameAnalysis_data()
    {
        QTest::addColumn<bool>("outputAware");
        QTest::newRow("nearest rounding") << false;
        QTest::newRow("output-aware rounding") << true;
    }
    void batchSizeAndPartsGiveTheSameAnalysis()
    {
        QFETCH(bool, outputAware);
        torch::manual_seed(5);
        torch::jit::Module m("Wide");
        m.register_module("conv", conv("Conv", 3, 72, 3, 1, 1, 0.2f));
        m.define("def forward(self, x):\n    return self.conv.forward(x)\n");
        const std::string path = m_dir.filePath("wide.pt").toStdString();
        m.save(path);
        mpq::ModelProfile p = profile();
        p.input.width = 256;
        p.input.height = 256;
        const mpq::Model model = mpq::Model::load(path);
        mpq::AnalysisSettings s;
        s.maxPoints = 3;
        s.rounding = outputAware ? mpq::Rounding::OutputAware : mpq::Rounding::Nearest;
        std::vector<mpq::Analysis> runs;
        for (int batch : {1, 3, 8}) {
            s.batchSize = batch;
            runs.push_back(mpq::analyze(model, p, m_images, s));
        }
        const mpq::LayerCurves &one = runs[0].curves[0];
        QCOMPARE(one.outputPositions, std::int64_t(256 * 256));
        for (std::size_t r = 1; r < runs.size(); ++r) {
            const mpq::LayerCurves &c = runs[r].curves[0];
            QCOMPARE(runs[r].calibrationFiles, runs[0].calibrationFiles);
            QCOMPARE(c.outputPositions, one.outputPositions);
            QVERIFY(runs[r].decompositions[0].codes() == runs[0].decompositions[0].codes());
            QVERIFY(runs[r].decompositions[0].scales() == runs[0].decompositions[0].scales());
            for (std::size_t j = 0; j < one.signal.size(); ++j)
                QVERIFY(closeAsFloatSums(c.signal[j], one.signal[j]));
            for (std::size_t j = 0; j < one.error.size(); ++j)
                QVERIFY2(closeAsFloatSums(c.error[j], one.error[j]),
                         qPrintable(QString("run %1, value %2: %3 against %4")
                                        .arg(r)
                                        .arg(j)
                                        .arg(c.error[j], 0, 'g', 10)
                                        .arg(one.error[j], 0, 'g', 10)));
            for (std::size_t j = 0; j < one.shift.size(); ++j)
                QVERIFY2(std::abs(c.shift[j] - one.shift[j]) <=
                             1e-4 * std::abs(one.shift[j]) + 1e-7,
                         qPrintable(QString("shift %1: %2 against %3")
                                        .arg(j)
                                        .arg(c.shift[j], 0, 'g', 10)
                                        .arg(one.shift[j], 0, 'g', 10)));
        }
    }
};

QTEST_GUILESS_MAIN(TestAnalysisWork)
#include "tst_analysiswork.moc"
