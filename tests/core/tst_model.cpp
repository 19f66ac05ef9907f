// Loading TorchScript models: layer discovery, BatchNorm folding, quantized clones, bad files.
#include "mpq/analysis.h"
#include "mpq/error.h"
#include "mpq/model.h"
#include "mpq/runner.h"
#include "testmodels.h"

#include <QtTest>

namespace {

mpq::PreparedImage randomImage(int seed, int channels, int height, int width)
{
    mpq::PreparedImage img;
    img.channels = channels;
    img.height = height;
    img.width = width;
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal;
    img.data.resize(channels * height * width);
    for (float &v : img.data)
        v = normal(rng);
    return img;
}

void expectError(mpq::ErrorCode code, const QString &needle, const std::function<void()> &f)
{
    try {
        f();
        QFAIL("no error thrown");
    } catch (const mpq::Error &e) {
        QCOMPARE(int(e.code()), int(code));
        QVERIFY2(QString(e.what()).contains(needle), e.what());
    }
}

const mpq::LayerInfo &layer(const mpq::Model &m, const std::string &name)
{
    for (const mpq::LayerInfo &l : m.layers())
        if (l.name == name)
            return l;
    throw std::runtime_error("no layer " + name);
}

double maxAbsDiff(const std::vector<mpq::OutputTensor> &a, const std::vector<mpq::OutputTensor> &b,
                  double &scale);

// Every layer of m decomposed into `points` points at `bits`, and an allocation giving every
// channel all of them: a hand-made analysis for running clones without calibration.
void uniformAllocation(const mpq::Model &m, int bits, int points, mpq::Analysis &a,
                       mpq::Allocation &alloc)
{
    a = {};
    alloc = {};
    a.modelSha256 = m.sha256();
    a.settings.bits = bits;
    a.layers = m.layers();
    for (size_t i = 0; i < m.layers().size(); ++i) {
        const mpq::LayerInfo &l = m.layers()[i];
        mpq::DecomposeOptions o;
        o.bits = bits;
        o.maxPoints = points;
        a.decompositions.push_back(mpq::decompose(m.foldedWeight(i).data(), l.outChannels, l.d, o));
        mpq::LayerAllocation la;
        la.name = l.name;
        la.bits = bits;
        la.points.assign(l.outChannels, points);
        alloc.layers.push_back(la);
    }
}

// A clone running the folded float weights (BN made identity-plus-shift) must match the
// original: every channel keeps 6 points of an 8-bit decomposition, which equals the folded
// weight to float precision.
void checkFoldedCloneMatches(const mpq::Model &m)
{
    mpq::Analysis a;
    mpq::Allocation alloc;
    uniformAllocation(m, 8, 6, a, alloc);
    std::vector<mpq::PreparedImage> batch = {randomImage(1, 3, 10, 12), randomImage(2, 3, 10, 12)};
    const auto y0 = mpq::floatRunner(m).run(batch);
    const auto y1 = mpq::quantizedRunner(m, a, alloc, {}).run(batch);
    double scale = 0;
    const double diff = maxAbsDiff(y0, y1, scale);
    QVERIFY2(diff <= 1e-5 * scale,
             qPrintable(QString("max difference %1 (scale %2)").arg(diff).arg(scale)));
}

double maxAbsDiff(const std::vector<mpq::OutputTensor> &a, const std::vector<mpq::OutputTensor> &b,
                  double &scale)
{
    double diff = 0;
    scale = 0;
    for (size_t t = 0; t < a.size(); ++t)
        for (size_t i = 0; i < a[t].data.size(); ++i) {
            diff = std::max(diff, double(std::abs(a[t].data[i] - b[t].data[i])));
            scale = std::max(scale, double(std::abs(a[t].data[i])));
        }
    return diff;
}

} // namespace

class TestModel : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string path(const char *name) { return m_dir.filePath(name).toStdString(); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        mpqtest::saveConvNet(path("conv.pt"), 1);
        mpqtest::saveSharedNet(path("shared.pt"), 2);
        mpqtest::saveLoopNet(path("loop.pt"), 3);
        mpqtest::saveTiedNet(path("tied.pt"), 4);
        mpqtest::saveNoLayerNet(path("nolayer.pt"));
        mpqtest::saveNanNet(path("nan.pt"));
        mpqtest::saveTracedStyleNet(path("traced.pt"), 6);
    }

    void discoversLayersFromTheGraph()
    {
        const mpq::Model m = mpq::Model::load(path("conv.pt"));
        QCOMPARE(m.layers().size(), size_t(5));
        const char *order[] = {"conv1", "dw", "pw", "grouped", "fc"};
        for (int i = 0; i < 5; ++i)
            QCOMPARE(QString::fromStdString(m.layers()[i].name), QString(order[i]));
        const mpq::LayerInfo &conv1 = layer(m, "conv1");
        QCOMPARE(int(conv1.kind), int(mpq::LayerKind::Conv2d));
        QCOMPARE(conv1.weightShape, (std::vector<std::int64_t>{8, 3, 3, 3}));
        QCOMPARE(conv1.d, std::int64_t(27));
        QCOMPARE(conv1.padding, (std::vector<std::int64_t>{1, 1}));
        QCOMPARE(conv1.foldedBatchNorm, std::string("bn1"));
        QVERIFY(!conv1.hasBias);
        const mpq::LayerInfo &dw = layer(m, "dw");
        QCOMPARE(dw.groups, std::int64_t(8));
        QCOMPARE(dw.d, std::int64_t(9));
        QCOMPARE(dw.foldedBatchNorm, std::string("bn2")); // its BN output feeds a residual add
        const mpq::LayerInfo &grouped = layer(m, "grouped");
        QCOMPARE(grouped.groups, std::int64_t(2));
        QCOMPARE(grouped.stride, (std::vector<std::int64_t>{2, 2}));
        QCOMPARE(grouped.d, std::int64_t(27));
        QVERIFY(grouped.foldedBatchNorm.empty());
        QVERIFY(grouped.hasBias);
        const mpq::LayerInfo &fc = layer(m, "fc");
        QCOMPARE(int(fc.kind), int(mpq::LayerKind::Linear));
        QCOMPARE(fc.d, std::int64_t(6));
        QCOMPARE(m.sha256().size(), size_t(64));
    }

    void sharedLoopAndTiedLayers()
    {
        const mpq::Model shared = mpq::Model::load(path("shared.pt"));
        QCOMPARE(shared.layers().size(), size_t(3));
        QCOMPARE(layer(shared, "conv").callSites, 2); // one layer, two calls
        QCOMPARE(int(layer(shared, "fc_weight").kind),
                 int(mpq::LayerKind::Linear)); // addmm(b, x, w.t())

        const mpq::Model loop = mpq::Model::load(path("loop.pt"));
        QCOMPARE(loop.layers().size(),
                 size_t(5)); // stem, body (in the loop), left, right (branches), head
        QCOMPARE(int(layer(loop, "head").kind), int(mpq::LayerKind::Conv1d));
        QCOMPARE(layer(loop, "head").d, std::int64_t(12));
        QCOMPARE(layer(loop, "body").callSites, 1);

        const mpq::Model tied = mpq::Model::load(path("tied.pt"));
        QCOMPARE(tied.layers().size(), size_t(1));
        QCOMPARE(tied.layers()[0].name, std::string("a"));
        QCOMPARE(tied.layers()[0].aliases, std::vector<std::string>{"b.weight"});
        QCOMPARE(tied.layers()[0].callSites, 2);
    }

    void tracedStyleGraph()
    {
        const mpq::Model m = mpq::Model::load(path("traced.pt"));
        QCOMPARE(m.layers().size(), size_t(2));
        const mpq::LayerInfo &conv = layer(m, "conv");
        QCOMPARE(int(conv.kind), int(mpq::LayerKind::Conv2d));
        QCOMPARE(conv.stride, (std::vector<std::int64_t>{2, 2}));
        QCOMPARE(conv.padding, (std::vector<std::int64_t>{1, 1}));
        QCOMPARE(conv.foldedBatchNorm, std::string("bn"));
        QVERIFY(conv.hasBias);
        QCOMPARE(int(layer(m, "fc").kind), int(mpq::LayerKind::Linear));
        checkFoldedCloneMatches(m);
    }

    void batchNormFoldingChangesNoOutput()
    {
        const mpq::Model m = mpq::Model::load(path("conv.pt"));
        checkFoldedCloneMatches(m);

        // with 1 point at 2 bits the clone differs, and the original model is untouched
        std::vector<mpq::PreparedImage> batch = {randomImage(1, 3, 10, 12),
                                                 randomImage(2, 3, 10, 12)};
        mpq::ModelRunner original = mpq::floatRunner(m);
        const auto y0 = original.run(batch);
        QCOMPARE(y0.size(), size_t(1));
        QCOMPARE(y0[0].shape, (std::vector<std::int64_t>{2, 5}));
        mpq::Analysis a;
        mpq::Allocation alloc;
        uniformAllocation(m, 2, 1, a, alloc);
        const auto y2 = mpq::quantizedRunner(m, a, alloc, {}).run(batch);
        double scale = 0;
        QVERIFY(maxAbsDiff(y0, y2, scale) > 1e-3 * scale);
        QVERIFY(maxAbsDiff(y0, original.run(batch), scale) == 0.0);
        QVERIFY(maxAbsDiff(mpq::floatRunner(m).run(batch), y0, scale) == 0.0);
        // the applied weight is exactly the reconstruction
        const std::vector<float> w = mpq::quantizedWeight(m, a, alloc, {}, 0);
        QVERIFY(w == a.decompositions[0].reconstruct(alloc.layers[0].points));
    }

    void badFiles()
    {
        QFile random(m_dir.filePath("random.pt"));
        QVERIFY(random.open(QIODevice::WriteOnly));
        for (int i = 0; i < 4096; ++i)
            random.putChar(char(i * 7919 % 251));
        random.close();
        expectError(mpq::ErrorCode::BadModel, "random.pt: not a TorchScript model",
                    [&] { mpq::Model::load(path("random.pt")); });

        QFile full(m_dir.filePath("conv.pt"));
        QVERIFY(full.open(QIODevice::ReadOnly));
        const QByteArray bytes = full.readAll();
        QFile truncated(m_dir.filePath("truncated.pt"));
        QVERIFY(truncated.open(QIODevice::WriteOnly));
        truncated.write(bytes.left(bytes.size() / 2));
        truncated.close();
        expectError(mpq::ErrorCode::BadModel, "truncated.pt: not a TorchScript model",
                    [&] { mpq::Model::load(path("truncated.pt")); });

        QFile empty(m_dir.filePath("empty.pt"));
        QVERIFY(empty.open(QIODevice::WriteOnly));
        empty.close();
        expectError(mpq::ErrorCode::BadModel, "empty.pt: the file is empty",
                    [&] { mpq::Model::load(path("empty.pt")); });
        expectError(mpq::ErrorCode::BadModel, "missing.pt: cannot open",
                    [&] { mpq::Model::load(path("missing.pt")); });
        expectError(mpq::ErrorCode::BadModel, "nolayer.pt: no quantizable layer",
                    [&] { mpq::Model::load(path("nolayer.pt")); });
        expectError(mpq::ErrorCode::NonFinite, "conv1 has NaN",
                    [&] { mpq::Model::load(path("nan.pt")); });
        expectError(mpq::ErrorCode::InvalidArgument, "unknown device 'gpu7'",
                    [&] { mpq::Model::load(path("conv.pt"), "gpu7"); });
    }
};

QTEST_APPLESS_MAIN(TestModel)
#include "tst_model.moc"
