// Model-side defects of issue 12, each on a model or output built for it:
// 2. the boxes-scores decoder reads single-class output (boxes (B, K, 4), scores (B, K), no
//    labels) as class 0;
// 4. the integer package carries each layer's activation scale and zero point, and those
//    numbers reproduce the evaluated (activation fake-quantized) model;
// 8. a weight called with different strides/paddings is refused (kept float, with a warning);
// 9. the expanded export verifies on a model whose layers run on unbatched (C, H, W) input.
#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/error.h"
#include "mpq/eval.h"
#include "mpq/export.h"
#include "mpq/images.h"
#include "mpq/runner.h"
#include "testmodels.h"

#include "testimages.h"
#include <QDir>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <QtTest>

#include <cmath>
#include <cstring>

namespace {

mpq::ModelProfile smallProfile(int width, int height)
{
    mpq::ModelProfile p;
    p.input.width = width;
    p.input.height = height;
    p.input.mean.assign(3, 0.5);
    p.input.std.assign(3, 0.25);
    return p;
}

template <typename T> std::vector<T> readArray(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = f.readAll();
    std::vector<T> out(bytes.size() / sizeof(T));
    std::memcpy(out.data(), bytes.data(), out.size() * sizeof(T));
    return out;
}

mpq::Analysis analyzeModel(const mpq::Model &model, const mpq::ModelProfile &profile,
                           const std::vector<std::string> &images, int bits, int activationBits)
{
    mpq::AnalysisSettings s;
    s.bits = bits;
    s.maxPoints = 4;
    s.calibCount = static_cast<int>(images.size());
    s.batchSize = 4;
    s.activationBits = activationBits;
    return mpq::analyze(model, profile, images, s);
}

mpq::OutputTensor tensor(std::vector<std::int64_t> shape, std::vector<float> data)
{
    return {"", std::move(shape), std::move(data)};
}

mpq::PreparedImage image(int width, int height)
{
    mpq::PreparedImage p;
    p.channels = 3;
    p.width = p.originalWidth = width;
    p.height = p.originalHeight = height;
    return p;
}

// What aten::fake_quantize_per_tensor_affine does to one value, in its own float arithmetic,
// from the numbers the package writes.
float fakeQuantize(float x, const QJsonObject &a)
{
    const float scale = static_cast<float>(a["scale"].toDouble());
    const float inverse = 1.0f / scale;
    const std::int64_t zeroPoint = a["zero_point"].toInteger();
    std::int64_t q = static_cast<std::int64_t>(zeroPoint + std::nearbyint(x * inverse));
    q = std::clamp<std::int64_t>(q, a["quant_min"].toInteger(), a["quant_max"].toInteger());
    return static_cast<float>(q - zeroPoint) * scale;
}

} // namespace

class TestModelDefects : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::vector<std::string> m_images;
    QString qpath(const QString &name) const { return m_dir.filePath(name); }
    std::string path(const QString &name) const { return qpath(name).toStdString(); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(mpqtest::writeNoiseImages(qpath("images"), 8, 14, 12, 23));
        m_images = mpq::findImages(path("images"));
        QCOMPARE(m_images.size(), size_t(8));
    }

    // Defect 2: boxes (B, K, 4) with scores (B, K) and nothing else is one class, label 0.
    void boxesScoresSingleClass()
    {
        mpq::ModelProfile profile = smallProfile(40, 40);
        profile.task = mpq::Task::Detection;
        profile.output.decoder = mpq::DecoderKind::BoxesScores;
        profile.output.scoreThreshold = 0.3;
        profile.output.nmsIou = 0.5;
        // image 0: A, B overlapping A (suppressed), C apart, D below the threshold; image 1: E
        const std::vector<float> boxes = {0, 0, 10, 10, 1, 1, 10, 10, 20, 20, 30, 30, 5, 5, 8, 8,
                                          2, 2, 12, 14, 0, 0, 0,  0,  0,  0,  0,  0,  0, 0, 0, 0};
        const std::vector<float> scores = {0.9f, 0.8f, 0.5f, 0.1f, 0.7f, 0.0f, 0.0f, 0.0f};
        const std::vector<mpq::PreparedImage> images = {image(40, 40), image(40, 40)};
        const auto detections =
            mpq::decodeDetections({tensor({2, 4, 4}, boxes), tensor({2, 4}, scores)}, images,
                                  profile.input, profile.output);
        QCOMPARE(detections.size(), size_t(2));
        QCOMPARE(detections[0].size(), size_t(2));
        QCOMPARE(detections[0][0].score, 0.9f);
        QCOMPARE(detections[0][0].x2, 10.0f);
        QCOMPARE(detections[0][1].score, 0.5f);
        QCOMPARE(detections[0][1].x1, 20.0f);
        QCOMPARE(detections[1].size(), size_t(1));
        QCOMPARE(detections[1][0].y2, 14.0f);
        for (const auto &list : detections)
            for (const mpq::Detection &d : list)
                QCOMPARE(d.label, 0);

        // a third output that is not (B, K) (a detection count per image) is not a label tensor
        const auto withCount = mpq::decodeDetections(
            {tensor({2, 4, 4}, boxes), tensor({2, 4}, scores), tensor({2}, {3, 1})}, images,
            profile.input, profile.output);
        QCOMPARE(withCount.size(), size_t(2));
        QCOMPARE(withCount[0].size(), size_t(2));
        QCOMPARE(withCount[0][1].label, 0);

        // labels (B, K) still give the classes, and NMS is class-wise: B survives as class 1
        const std::vector<float> labels = {2, 1, 2, 2, 1, 0, 0, 0};
        const auto labelled = mpq::decodeDetections(
            {tensor({2, 4, 4}, boxes), tensor({2, 4}, scores), tensor({2, 4}, labels)}, images,
            profile.input, profile.output);
        QCOMPARE(labelled[0].size(), size_t(3));
        QCOMPARE(labelled[0][0].label, 2);
        QCOMPARE(labelled[0][1].label, 1);
        QCOMPARE(labelled[0][1].score, 0.8f);

        // scores whose K differs from the boxes' are still an error
        QVERIFY_THROWS_EXCEPTION(
            mpq::Error,
            mpq::decodeDetections({tensor({2, 4, 4}, boxes), tensor({2, 3}, std::vector<float>(6))},
                                  images, profile.input, profile.output));
    }

    // Defect 4: per layer, the package's activation scale and zero point, applied to the layer
    // inputs with the package's weights, give the outputs of the evaluated quantized model.
    void packageActivationQuantization()
    {
        const int width = 5, height = 4, bits = 3, activationBits = 4;
        const mpq::ModelProfile profile = smallProfile(width, height);
        mpqtest::saveMlpNet(path("mlp.pt"), 7, 3 * width * height);
        const mpq::Model model = mpq::Model::load(path("mlp.pt"));
        QCOMPARE(model.layers().size(), size_t(2));
        const mpq::Analysis analysis = analyzeModel(model, profile, m_images, bits, activationBits);
        mpq::AllocationSettings settings;
        settings.bits = bits;
        settings.epsilon = 1e-2;
        const mpq::Allocation allocation = mpq::allocate(analysis.curves, settings);
        const QString pkg = qpath("mlp-package");
        mpq::exportIntegerPackage(
            model, analysis, allocation, {},
            mpq::exportManifest(analysis, allocation, settings, "test", "package"),
            pkg.toStdString());
        QFile mf(pkg + "/manifest.json");
        QVERIFY(mf.open(QIODevice::ReadOnly));
        const QJsonObject manifest = QJsonDocument::fromJson(mf.readAll()).object();
        QCOMPARE(manifest["activation_bits"].toInt(), activationBits);
        const QJsonArray layers = manifest["layers"].toArray();
        QCOMPARE(layers.size(), qsizetype(2));

        // each layer: weights from the package's rows, bias, and the activation numbers
        struct Layer
        {
            std::int64_t rows = 0, cols = 0;
            std::vector<double> weight;
            std::vector<float> bias;
            QJsonObject activation;
        };
        std::vector<Layer> net;
        for (qsizetype i = 0; i < layers.size(); ++i) {
            const QJsonObject e = layers[i].toObject();
            QVERIFY2(e.contains("activation"), "every quantized layer has its input quantization");
            Layer l;
            l.activation = e["activation"].toObject();
            QCOMPARE(l.activation["bits"].toInt(), activationBits);
            QCOMPARE(l.activation["quant_min"].toInteger(), qint64(0));
            QCOMPARE(l.activation["quant_max"].toInteger(), qint64(15));
            QVERIFY(l.activation["scale"].toDouble() > 0.0);
            l.rows = e["channels"].toInteger();
            l.cols = e["d"].toInteger();
            const auto codes = readArray<std::int8_t>(pkg + "/" + e["codes"].toString());
            const auto scales = readArray<float>(pkg + "/" + e["scales"].toString());
            const auto channel =
                readArray<std::int32_t>(pkg + "/" + e["channel_of_row"].toString());
            l.bias = readArray<float>(pkg + "/" + e["bias"].toString());
            l.weight.assign(static_cast<std::size_t>(l.rows * l.cols), 0.0);
            for (std::size_t r = 0; r < scales.size(); ++r)
                for (std::int64_t k = 0; k < l.cols; ++k)
                    l.weight[channel[r] * l.cols + k] += double(scales[r]) * codes[r * l.cols + k];
            net.push_back(std::move(l));
        }
        // the first layer's input range is the images' (normalized pixels, some negative)
        QCOMPARE(net[0].activation["range"].toArray()[0].toDouble(),
                 double(analysis.activations[0].min));
        QVERIFY(net[0].activation["zero_point"].toInteger() > 0);

        const auto layerOutput = [](const Layer &l, const std::vector<float> &x, bool quantize) {
            std::vector<float> y(static_cast<std::size_t>(l.rows));
            for (std::int64_t o = 0; o < l.rows; ++o) {
                double sum = l.bias[o];
                for (std::int64_t k = 0; k < l.cols; ++k)
                    sum += l.weight[o * l.cols + k] *
                           (quantize ? fakeQuantize(x[k], l.activation) : x[k]);
                y[o] = static_cast<float>(sum);
            }
            return y;
        };
        mpq::ModelRunner evaluated =
            mpq::quantizedRunner(model, analysis, allocation, {}, activationBits);
        mpq::ModelRunner weightsOnly = mpq::quantizedRunner(model, analysis, allocation, {}, 0);
        double worst = 0.0, effect = 0.0;
        for (const std::string &file : m_images) {
            const mpq::PreparedImage x = mpq::prepareImage(file, profile.input);
            const std::vector<float> y = evaluated.run({x}).at(0).data;
            const std::vector<float> plain = weightsOnly.run({x}).at(0).data;
            std::vector<float> h = layerOutput(net[0], x.data, true);
            for (float &v : h)
                v = std::max(v, 0.0f);
            const std::vector<float> expected = layerOutput(net[1], h, true);
            QCOMPARE(y.size(), expected.size());
            for (std::size_t k = 0; k < y.size(); ++k) {
                worst = std::max(worst, std::abs(double(y[k]) - expected[k]));
                effect = std::max(effect, std::abs(double(y[k]) - plain[k]));
            }
        }
        // the package reproduces the evaluated model to float rounding, while 4-bit inputs move
        // the outputs far more than that (so the comparison can tell)
        QVERIFY2(worst <= 1e-4, qPrintable(QString::number(worst)));
        QVERIFY2(effect >= 100 * 1e-4, qPrintable(QString::number(effect)));

        // without activation quantization, no activation entry
        mpq::Analysis plainAnalysis = analysis;
        plainAnalysis.settings.activationBits = 0;
        const QString plainPkg = qpath("mlp-package-plain");
        mpq::exportIntegerPackage(
            model, plainAnalysis, allocation, {},
            mpq::exportManifest(plainAnalysis, allocation, settings, "test", "package"),
            plainPkg.toStdString());
        QFile pf(plainPkg + "/manifest.json");
        QVERIFY(pf.open(QIODevice::ReadOnly));
        for (const auto &e : QJsonDocument::fromJson(pf.readAll()).object()["layers"].toArray())
            QVERIFY(!e.toObject().contains("activation"));
    }

    // Defect 8: one weight, two call sites with other stride and padding: refused, not measured
    // as if every call were the first one.
    void sharedWeightWithOtherArguments()
    {
        mpqtest::saveStrideSharedNet(path("strideshared.pt"), 4);
        const mpq::Model model = mpq::Model::load(path("strideshared.pt"));
        std::vector<std::string> names;
        for (const mpq::LayerInfo &l : model.layers())
            names.push_back(l.name);
        QCOMPARE(names, (std::vector<std::string>{"stem", "fc"}));
        bool warned = false;
        for (const std::string &w : model.warnings())
            if (w.find("shared_weight") != std::string::npos &&
                w.find("stride") != std::string::npos && w.find("[2, 2]") != std::string::npos &&
                w.find("left float") != std::string::npos)
                warned = true;
        QVERIFY2(warned, "the warning names the layer and the differing arguments");

        // analysis, allocation and the quantized model work with the layer left float: its
        // weight is untouched in the quantized clone, the others are replaced
        const mpq::ModelProfile profile = smallProfile(12, 10);
        const mpq::Analysis analysis = analyzeModel(model, profile, m_images, 2, 0);
        QCOMPARE(analysis.curves.size(), size_t(2));
        bool inAnalysis = false;
        for (const std::string &w : analysis.warnings)
            inAnalysis = inAnalysis || w.find("shared_weight") != std::string::npos;
        QVERIFY(inAnalysis);
        mpq::AllocationSettings settings;
        settings.bits = 2;
        const mpq::Allocation allocation = mpq::allocate(analysis.curves, settings);
        mpq::ModelRunner quantized = mpq::quantizedRunner(model, analysis, allocation, {}, 0);
        const QString fq = qpath("strideshared-fq.pt");
        mpq::exportFakeQuant(quantized, fq.toStdString(), "{}", profile, {});
        QCOMPARE(mpqtest::parameter(fq.toStdString(), "shared_weight"),
                 mpqtest::parameter(path("strideshared.pt"), "shared_weight"));
        QVERIFY(mpqtest::parameter(fq.toStdString(), "stem.weight") !=
                mpqtest::parameter(path("strideshared.pt"), "stem.weight"));

        // a weight called twice with the same arguments is still one layer with two call sites
        mpqtest::saveSharedNet(path("shared.pt"), 2);
        const mpq::Model shared = mpq::Model::load(path("shared.pt"));
        bool found = false;
        for (const mpq::LayerInfo &l : shared.layers())
            if (l.name == "conv") {
                found = true;
                QCOMPARE(l.callSites, 2);
            }
        QVERIFY(found);
    }

    // Defect 9: layers that see (C, H, W) input (the forward takes x[0]): the expanded export,
    // including a grouped layer whose extra rows gather some groups' inputs, verifies.
    void expandedUnbatched()
    {
        mpqtest::saveUnbatchedNet(path("unbatched.pt"), 9);
        const mpq::Model model = mpq::Model::load(path("unbatched.pt"));
        QCOMPARE(model.layers().size(), size_t(3));
        const mpq::ModelProfile profile = smallProfile(12, 10);
        const int bits = 3;
        for (const int activationBits : {0, 8}) {
            const mpq::Analysis analysis =
                analyzeModel(model, profile, m_images, bits, activationBits);
            QCOMPARE(analysis.callsPerForward[0], 1.0);
            mpq::AllocationSettings settings;
            settings.bits = bits;
            mpq::Allocation allocation = mpq::allocate(analysis.curves, settings);
            // extra points in every layer: conv1 all channels, grouped only groups 0 and 2
            // (channels 0, 1 and 5: the extra branch gathers those groups' inputs), fc some
            allocation.layers[0].points = {2, 3, 2, 4, 2, 2};
            allocation.layers[1].points = {2, 3, 1, 1, 1, 2};
            allocation.layers[2].points = {1, 2, 1, 3};
            const QString file = qpath(QString("unbatched-ex%1.pt").arg(activationBits));
            const mpq::ExpandedExport ex = mpq::exportExpanded(
                model, analysis, allocation, {}, file.toStdString(),
                mpq::exportManifest(analysis, allocation, settings, "test", "expanded"), profile,
                m_images);
            QCOMPARE(ex.layers.size(), size_t(3));
            QCOMPARE(ex.layers[1].extraGroups, std::int64_t(2));
            // group 0 has 1 + 2 extra rows, group 2 one: both padded to 3
            QCOMPARE(ex.layers[1].extraRowsRun, std::int64_t(2 * 3));
            QCOMPARE(ex.verification.images, 8);
            QVERIFY2(ex.verification.maxRelativeDifference <= 1e-5,
                     qPrintable(QString::number(ex.verification.maxRelativeDifference)));
        }
    }
};

QTEST_GUILESS_MAIN(TestModelDefects)
#include "tst_modeldefects.moc"
