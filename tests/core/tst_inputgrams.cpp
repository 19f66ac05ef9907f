// The input Grams of output-aware rounding (docs/multipoint.md section 10): each layer's Gram
// gives exactly the output energy and output errors the calibration measures, on every layer
// kind (padding, stride, groups, dilation, string padding, 1-d, a layer in a loop, a weight
// called twice); the input pass' sampled patches are exactly every s-th of all the patches.
// (The rounding itself: tst_outputrounding.)
#include "calib/gram.h"
#include "convnetprofile.h"
#include "model/modelimpl.h"
#include "mpq/analysis.h"
#include "mpq/images.h"
#include "mpq/multipoint.h"
#include "mpq/profile.h"
#include "testimages.h"
#include "testmodels.h"
#include "testvectors.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

namespace {

// convolutions with string padding: "same" with dilation 2 (an even total padding) and "same"
// with an even kernel (the extra padding at the end), then a strided "valid" one
void savePaddingNet(const std::string &path)
{
    torch::manual_seed(11);
    torch::jit::Module m("PaddingNet");
    m.register_parameter("a", torch::randn({5, 3, 3, 3}) * 0.3, false);
    m.register_parameter("b", torch::randn({4, 5, 2, 2}) * 0.3, false);
    m.register_parameter("c", torch::randn({6, 2, 3, 3}) * 0.3, false);
    m.define(R"(
def forward(self, x):
    y = torch.relu(torch.conv2d(x, self.a, None, [1, 1], "same", [2, 2], 1))
    y = torch.relu(torch.conv2d(y, self.b, None, [1, 1], "same", [1, 1], 1))
    return torch.conv2d(y, self.c, None, [2, 2], "valid", [1, 1], 2)
)");
    m.save(path);
}

} // namespace

class TestInputGrams : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::vector<std::string> m_images;
    std::string path(const char *name) { return m_dir.filePath(name).toStdString(); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(mpqtest::writeNoiseImages(m_dir.filePath("images"), 5, 14, 11, 3, 1));
        m_images = mpq::findImages(m_dir.filePath("images").toStdString());
        mpqtest::saveConvNet(path("conv.pt"), 1);
        mpqtest::saveLoopNet(path("loop.pt"), 3);
        mpqtest::saveStrideSharedNet(path("strideshared.pt"), 4);
        mpqtest::saveUnbatchedNet(path("unbatched.pt"), 6);
        savePaddingNet(path("padding.pt"));
    }

    void gramGivesTheMeasuredOutputError_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("batch");
        // conv + BatchNorm, depthwise, pointwise with bias, strided grouped, linear
        QTest::newRow("every layer kind, batch 2") << "conv.pt" << 2;
        // a layer run three times per forward, an if, a conv1d over the flattened image
        QTest::newRow("loop and conv1d, batch 3") << "loop.pt" << 3;
        QTest::newRow("one weight at two strides, batch 1") << "strideshared.pt" << 1;
        // (batch 1: the model runs on its batch's first image only, and the calibration runs
        // its first image alone, so other batch sizes see other images)
        QTest::newRow("unbatched layers, batch 1") << "unbatched.pt" << 1;
        QTest::newRow("string padding and dilation, batch 4") << "padding.pt" << 4;
    }
    void gramGivesTheMeasuredOutputError()
    {
        // The Gram is what the rounding minimises: r^T H r must be the output error the
        // calibration measures for the same decomposition, and w^T H w its signal s_c.
        QFETCH(QString, model);
        QFETCH(int, batch);
        const mpq::Model m = mpq::Model::load(path(model.toUtf8().constData()));
        mpq::AnalysisSettings s;
        s.bits = 3;
        s.maxPoints = 3;
        s.batchSize = batch;
        s.sensitivity = false;
        s.rounding = mpq::Rounding::OutputAware;
        const mpq::Analysis a = mpq::analyze(m, mpqtest::convNetProfile(), m_images, s);
        std::vector<std::size_t> all(m.layers().size());
        for (std::size_t i = 0; i < all.size(); ++i)
            all[i] = i;
        // every position (no sampling), so the sums are the calibration's
        const std::vector<at::Tensor> grams =
            mpq::calib::inputGrams(m.impl(), mpqtest::convNetProfile(), a.calibrationFiles, all,
                                   batch, {}, {}, /*maxPositions=*/0);
        QCOMPARE(grams.size(), all.size());
        for (std::size_t i = 0; i < all.size(); ++i) {
            const mpq::LayerInfo &l = m.layers()[i];
            const mpq::LayerCurves &c = a.curves[i];
            const mpq::MatrixDecomposition &dec = a.decompositions[i];
            const std::vector<float> w = m.foldedWeight(i);
            const std::int64_t perGroup = l.outChannels / l.groups;
            QCOMPARE(grams[i].size(0), l.groups);
            QCOMPARE(grams[i].size(1), l.d);
            std::vector<float> approx(l.d);
            for (std::int64_t ch = 0; ch < l.outChannels; ++ch) {
                const at::Tensor g = grams[i][ch / perGroup].contiguous();
                const double *H = g.data_ptr<double>();
                for (int n = 0; n <= s.maxPoints; ++n) {
                    std::vector<double> r(l.d);
                    if (n > 0)
                        dec.reconstructRow(ch, n, approx.data());
                    for (std::int64_t j = 0; j < l.d; ++j)
                        r[j] = double(w[ch * l.d + j]) - (n > 0 ? approx[j] : 0.0);
                    const double predicted = mpqtest::quadratic(r, H);
                    const double measured = n == 0 ? c.signal[ch] : c.errorAt(ch, n);
                    QVERIFY2(std::abs(predicted - measured) <=
                                 1e-3 * measured + 1e-6 * c.signal[ch] + 1e-9,
                             qPrintable(QString("%1 channel %2, %3 points: r^T H r %4, measured %5")
                                            .arg(QString::fromStdString(l.name))
                                            .arg(ch)
                                            .arg(n)
                                            .arg(predicted)
                                            .arg(measured)));
                }
            }
        }
    }

    void sampledPatchesAreEverySthOfAllPatches()
    {
        // inputPatches with a cap on the positions gathers the sampled positions' patches from
        // the padded input itself (im2col of every position copied up to 64 times as much); they
        // must be exactly every s-th of all the patches, s the smallest prime that keeps at most
        // the cap: every 2-d convolution of the demo detector (strided, depthwise, dilated and
        // pointwise ones) and of the test nets, on inputs of odd sizes
        const auto isPrime = [](std::int64_t n) {
            for (std::int64_t f = 2; f * f <= n; ++f)
                if (n % f == 0)
                    return false;
            return n >= 2;
        };
        int gathered = 0;
        for (const std::string &file :
             {std::string(MPQ_SAMPLES_DIR) + "/centernet/centernet_mbv3.pt", path("conv.pt"),
              path("strideshared.pt"), path("padding.pt")}) {
            const mpq::Model m = mpq::Model::load(file);
            const mpq::Model::Impl &impl = m.impl();
            for (std::size_t i = 0; i < impl.layers.size(); ++i) {
                const mpq::LayerInfo &l = impl.layers[i];
                if (l.kind != mpq::LayerKind::Conv2d)
                    continue;
                const at::Tensor x =
                    at::randn({2, l.weightShape[1] * l.groups, 37, 41}, at::kFloat);
                const at::Tensor all = mpq::calib::inputPatches(impl, i, x); // (g, d, 2 P)
                const std::int64_t positions = all.size(2) / 2;
                const std::int64_t cap = std::max<std::int64_t>(1, positions / 7);
                std::int64_t step = (positions + cap - 1) / cap;
                while (!isPrime(step))
                    ++step;
                const at::Tensor expected = all.reshape({l.groups, l.d, 2, positions})
                                                .slice(3, 0, positions, step)
                                                .reshape({l.groups, l.d, -1});
                const at::Tensor sampled = mpq::calib::inputPatches(impl, i, x, cap);
                QVERIFY2(sampled.sizes() == expected.sizes() && at::equal(sampled, expected),
                         qPrintable(QString("%1: %2").arg(QString::fromStdString(file),
                                                          QString::fromStdString(l.name))));
                gathered += step > 1 && l.weightShape[2] > 1;
            }
        }
        QVERIFY(gathered > 20); // the detector's 3x3 and 5x5 convolutions went through the gather
    }
};

QTEST_GUILESS_MAIN(TestInputGrams)
#include "tst_inputgrams.moc"
