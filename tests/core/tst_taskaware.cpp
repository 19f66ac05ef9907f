// Task-aware allocation (issue 16, docs/multipoint.md section 8), the output sensitivity w_c on
// models: against exact values on constructed models (a gain after one of two layers, half of
// the calibration images, an in-place operation after a layer), the calibration kept with a
// warning where it cannot be measured, against the one-layer-at-a-time oracle, and the analysis
// file's round trip. The rules on stored curves and the sweep's variants: tst_taskawarerules.
// torch before Qt: Qt's `slots` macro breaks torch's headers
#include <torch/script.h>

#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/error.h"
#include "mpq/images.h"
#include "mpq/pipeline.h"
#include "mpq/runner.h"
#include "mpq/sensitivity.h"
#include "mpq/vocabulary.h"

#include "taskawarefixtures.h"
#include "testmodels.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <sstream>

using namespace taskawaretest;

namespace {

// A module whose forward is a plain convolution (stride 1, no padding, no bias) with `weight`.
torch::jit::Module convModule(const std::string &name, const at::Tensor &weight)
{
    torch::jit::Module conv(name);
    conv.register_parameter("weight", weight, false);
    conv.define("def forward(self, x):\n"
                "    return torch.conv2d(x, self.weight, None, [1, 1], [0, 0], [1, 1], 1)\n");
    return conv;
}

// Two parallel 3x3 convolutions of the image, added: out = bn(a(x)) + gain * b(x). Layer a's
// rows hold one large outlier each (a high relative error at few bits), b's are plain Gaussian;
// the BatchNorm after a has scale 2, which the folded output must absorb.
void saveGainModel(const std::string &path, double gain, std::uint64_t seed)
{
    torch::manual_seed(seed);
    torch::jit::Module m("Gain");
    torch::jit::Module bn("Bn");
    at::Tensor wa = torch::randn({4, 3, 3, 3}) * 0.3;
    for (int c = 0; c < 4; ++c)
        wa[c][c % 3][1][1] = 3.0;
    torch::jit::Module a = convModule("A", wa);
    torch::jit::Module b = convModule("B", torch::randn({4, 3, 3, 3}) * 0.3);
    bn.register_parameter("weight", torch::full({4}, 2.0), false);
    bn.register_parameter("bias", torch::zeros({4}), false);
    bn.register_buffer("running_mean", torch::zeros({4}));
    bn.register_buffer("running_var", torch::full({4}, 1.0 - 1e-5));
    bn.define("def forward(self, x):\n"
              "    return torch.batch_norm(x, self.weight, self.bias, self.running_mean, "
              "self.running_var, False, 0.1, 1e-5, False)\n");
    m.register_module("a", a);
    m.register_module("b", b);
    m.register_module("bn", bn);
    m.register_attribute("gain", c10::FloatType::get(), gain);
    m.define("def forward(self, x):\n"
             "    return self.bn.forward(self.a.forward(x)) + self.gain * self.b.forward(x)\n");
    m.save(path);
}

// Two outputs, (a(x), scale * b(x)), a and b plain 3x3 convolutions of the image: how much each
// output's error weighs must not depend on its units (boxes in pixels beside scores in 0..1).
void saveTwoOutputModel(const std::string &path, double scale, std::uint64_t seed)
{
    torch::manual_seed(seed);
    torch::jit::Module m("TwoOutputs");
    torch::jit::Module a = convModule("A", torch::randn({4, 3, 3, 3}) * 0.3);
    torch::jit::Module b = convModule("B", torch::randn({4, 3, 3, 3}) * 0.3);
    m.register_module("a", a);
    m.register_module("b", b);
    m.register_attribute("scale", c10::FloatType::get(), scale);
    m.define("def forward(self, x):\n"
             "    return (self.a.forward(x), self.scale * self.b.forward(x))\n");
    m.save(path);
}

// out = relu_(b(a(x))): b's 1x1 rows are e0, e1, -e0, -e1, so its channels 2 and 3 are the
// negatives of 0 and 1 and at every position exactly one of channels 0 and 2 (1 and 3) passes the
// in-place ReLU. With the squared error, b's output gradient is v 1[y > 0], so w_0 + w_2 = 1 within
// the probes' noise; a gradient taken after the in-place ReLU would give 2.
void saveInPlaceModel(const std::string &path, std::uint64_t seed)
{
    torch::manual_seed(seed);
    torch::jit::Module m("InPlace");
    torch::jit::Module a = convModule("A", torch::randn({4, 3, 3, 3}) * 0.3);
    at::Tensor wb = torch::zeros({4, 4, 1, 1});
    wb[0][0][0][0] = 1.0;
    wb[1][1][0][0] = 1.0;
    wb[2][0][0][0] = -1.0;
    wb[3][1][0][0] = -1.0;
    torch::jit::Module b = convModule("B", wb);
    m.register_module("a", a);
    m.register_module("b", b);
    m.define("def forward(self, x):\n"
             "    return torch.relu_(self.b.forward(self.a.forward(x)))\n");
    m.save(path);
}

// out = b(a(x)) with one of three defects for the output sensitivity: "detached" returns the
// output without a gradient (nothing to measure); "out=" passes a's output through an out=
// argument, which has no backward; "resize_" resizes it in place (to its own size), which a
// forward with autograd refuses.
void saveUnmeasurableModel(const std::string &path, const std::string &defect, std::uint64_t seed)
{
    torch::manual_seed(seed);
    torch::jit::Module m("Unmeasurable");
    torch::jit::Module a = convModule("A", torch::randn({4, 3, 3, 3}) * 0.3);
    torch::jit::Module b = convModule("B", torch::randn({4, 4, 1, 1}) * 0.5);
    m.register_module("a", a);
    m.register_module("b", b);
    if (defect == "detached")
        m.define("def forward(self, x):\n"
                 "    return self.b.forward(self.a.forward(x)).detach()\n");
    else if (defect == "out=")
        m.define("def forward(self, x):\n"
                 "    y = self.a.forward(x)\n"
                 "    z = torch.empty_like(y)\n"
                 "    torch.add(y, 1.0, out=z)\n"
                 "    return self.b.forward(z)\n");
    else
        m.define("def forward(self, x):\n"
                 "    y = self.a.forward(x) + 1.0\n"
                 "    y.resize_(y.size())\n"
                 "    return self.b.forward(y)\n");
    m.save(path);
}

// Copies the analysis file `from` to `to` with `key` (the exact text, leading comma included)
// taken out of its JSON header; false when the header does not hold it.
bool removeHeaderKey(const std::string &from, const std::string &to, const std::string &key)
{
    std::ifstream in(from, std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    const std::string bytes = content.str();
    std::uint64_t length = 0;
    for (int k = 0; k < 8; ++k)
        length |= std::uint64_t(static_cast<unsigned char>(bytes[8 + k])) << (8 * k);
    std::string header = bytes.substr(16, length);
    if (header.find(key) == std::string::npos)
        return false;
    header.erase(header.find(key), key.size());
    std::string patched = bytes.substr(0, 8);
    for (int k = 0; k < 8; ++k)
        patched.push_back(char((header.size() >> (8 * k)) & 0xff));
    patched += header + bytes.substr(16 + length);
    std::ofstream(to, std::ios::binary) << patched;
    return true;
}

std::size_t layerIndex(const mpq::Analysis &a, const std::string &name)
{
    for (std::size_t i = 0; i < a.layers.size(); ++i)
        if (a.layers[i].name == name)
            return i;
    return a.layers.size();
}

std::vector<double> ranks(const std::vector<double> &v)
{
    std::vector<std::size_t> order(v.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    std::vector<double> r(v.size());
    for (std::size_t k = 0; k < order.size(); ++k)
        r[order[k]] = double(k);
    return r;
}

double spearman(const std::vector<double> &x, const std::vector<double> &y)
{
    const std::vector<double> a = ranks(x), b = ranks(y);
    const double n = double(a.size()), mean = (n - 1) / 2;
    double ab = 0, aa = 0, bb = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        ab += (a[i] - mean) * (b[i] - mean);
        aa += (a[i] - mean) * (a[i] - mean);
        bb += (b[i] - mean) * (b[i] - mean);
    }
    return ab / std::sqrt(aa * bb);
}

} // namespace

class TestTaskAware : public TaskAwareFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { setUpImages(); }

    // ---- the sensitivity on models

    void gainLayerGetsThePoints()
    {
        saveGainModel(path("gain.pt"), 30.0, 1);
        const mpq::Model model = mpq::Model::load(path("gain.pt"));
        const mpq::ModelProfile profile = imageProfile(mpq::Task::Detection, 16);
        mpq::AnalysisSettings s;
        s.bits = 2;
        s.maxPoints = 4;
        s.calibCount = 16;
        s.sensitivity = true;
        const mpq::Analysis analysis = mpq::analyze(model, profile, m_images, s);
        const std::size_t a = layerIndex(analysis, "a"), b = layerIndex(analysis, "b");
        QVERIFY(a < 2 && b < 2);
        // squared error: d out / d (folded a) = 1, d out / d b = 30, so w = 1 and 900 (random
        // probes: 16 images x 196 positions, a few per cent of noise)
        for (double w : analysis.curves[a].sensitivity)
            QVERIFY2(std::abs(w - 1.0) < 0.15, qPrintable(QString::number(w)));
        for (double w : analysis.curves[b].sensitivity)
            QVERIFY2(std::abs(w / 900.0 - 1.0) < 0.15, qPrintable(QString::number(w)));

        mpq::AllocationSettings alloc;
        alloc.bits = 2;
        alloc.rule = mpq::AllocationRule::Budget;
        alloc.budget = 0.25; // two extra points of one channel's 27 weights
        alloc.sensitivityWeighted = false;
        const mpq::Allocation plain = mpq::allocate(analysis.curves, alloc);
        alloc.sensitivityWeighted = true;
        const mpq::Allocation weighted = mpq::allocate(analysis.curves, alloc);
        QVERIFY(weighted.sensitivityWeighted);
        QVERIFY(extraPoints(plain.layers[a]) >= 1);
        QVERIFY(extraPoints(plain.layers[b]) < 2);
        QCOMPARE(extraPoints(weighted.layers[a]), 0);
        QCOMPARE(extraPoints(weighted.layers[b]), 2);
    }

    // The stage measures half of the calibration images, at least 16 (docs/multipoint.md
    // section 8): on the gain model with 48 images the half agrees with all of them, and the
    // large-gain layer still gets the points.
    void subsampledSensitivityAgreesWithTheFull()
    {
        mpq::SensitivityOptions options;
        QCOMPARE(mpq::sensitivityImageCount(0, options), std::size_t(0));
        QCOMPARE(mpq::sensitivityImageCount(12, options), std::size_t(12));
        QCOMPARE(mpq::sensitivityImageCount(16, options), std::size_t(16));
        QCOMPARE(mpq::sensitivityImageCount(20, options), std::size_t(16));
        QCOMPARE(mpq::sensitivityImageCount(48, options), std::size_t(24));
        QCOMPARE(mpq::sensitivityImageCount(65, options), std::size_t(33));
        mpq::SensitivityOptions all;
        all.imageFraction = 1.0;
        QCOMPARE(mpq::sensitivityImageCount(65, all), std::size_t(65));

        QVERIFY(mpqtest::writeNoiseImages(m_dir.filePath("many"), 48, 16, 16, 11));
        const std::vector<std::string> many = mpq::imageFiles(path("many"));
        QCOMPARE(many.size(), std::size_t(48));
        saveGainModel(path("gain48.pt"), 30.0, 2);
        const mpq::Model model = mpq::Model::load(path("gain48.pt"));
        const mpq::ModelProfile profile = imageProfile(mpq::Task::Detection, 16);
        const mpq::OutputSensitivity part = mpq::outputSensitivity(model, profile, many, options);
        const mpq::OutputSensitivity full = mpq::outputSensitivity(model, profile, many, all);
        QCOMPARE(part.diagonal.size(), full.diagonal.size());
        for (std::size_t l = 0; l < full.diagonal.size(); ++l) {
            const double expected = model.layers()[l].name == "b" ? 900.0 : 1.0;
            for (std::size_t c = 0; c < full.diagonal[l].size(); ++c) {
                const double p = part.diagonal[l][c], f = full.diagonal[l][c];
                QVERIFY2(std::abs(p / expected - 1.0) < 0.15, qPrintable(QString::number(p)));
                QVERIFY2(std::abs(p / f - 1.0) < 0.1, qPrintable(QString::number(p / f)));
                // m_c: one term per image and channel, so within a wider band
                const double pm = part.mean[l][c], fm = full.mean[l][c];
                QVERIFY2(pm > 0 && std::abs(pm / fm - 1.0) < 0.5,
                         qPrintable(QString::number(pm / fm)));
            }
        }

        mpq::AnalysisSettings s;
        s.bits = 2;
        s.maxPoints = 4;
        s.calibCount = 48;
        s.sensitivity = true;
        const mpq::Analysis analysis = mpq::analyze(model, profile, many, s);
        const std::size_t a = layerIndex(analysis, "a"), b = layerIndex(analysis, "b");
        QVERIFY(a < 2 && b < 2);
        for (double w : analysis.curves[b].sensitivity)
            QVERIFY2(std::abs(w / 900.0 - 1.0) < 0.15, qPrintable(QString::number(w)));
        mpq::AllocationSettings alloc;
        alloc.bits = 2;
        alloc.rule = mpq::AllocationRule::Budget;
        alloc.budget = 0.25;
        alloc.sensitivityWeighted = true;
        const mpq::Allocation weighted = mpq::allocate(analysis.curves, alloc);
        QVERIFY(weighted.sensitivityWeighted);
        QCOMPARE(extraPoints(weighted.layers[a]), 0);
        QCOMPARE(extraPoints(weighted.layers[b]), 2);
    }

    // The squared error counts each output relative to its own mean square (docs/multipoint.md
    // section 8): multiplying one of two outputs by 1000 leaves the ratio of the layers'
    // sensitivities as it was (the same probes, so up to rounding), where the plain squared
    // error would multiply it by a million; and both layers' outputs then weigh about alike.
    void outputsWeighRelativeToTheirScale()
    {
        saveTwoOutputModel(path("two1.pt"), 1.0, 4);
        saveTwoOutputModel(path("two1000.pt"), 1000.0, 4);
        const mpq::ModelProfile profile = imageProfile(mpq::Task::Detection, 16);
        mpq::SensitivityOptions options;
        options.imageFraction = 1.0;
        std::vector<double> ratio;
        for (const char *name : {"two1.pt", "two1000.pt"}) {
            const mpq::Model model = mpq::Model::load(path(name));
            const mpq::OutputSensitivity w =
                mpq::outputSensitivity(model, profile, m_images, options);
            double sum[2] = {0, 0};
            for (std::size_t l = 0; l < model.layers().size(); ++l)
                for (double v : w.diagonal[l])
                    sum[model.layers()[l].name == "b" ? 1 : 0] += v;
            QVERIFY(sum[0] > 0 && sum[1] > 0);
            ratio.push_back(sum[1] / sum[0]);
        }
        QVERIFY2(std::abs(ratio[1] / ratio[0] - 1.0) < 1e-3,
                 qPrintable(QString("%1 against %2").arg(ratio[1]).arg(ratio[0])));
        // each output's error relative to its mean square: a unit of b's relative error
        // weighs what a unit of a's does, so the ratio is the ratio of the outputs' scales,
        // q_a / q_b: of order one for two such layers (1e-6 with the plain squared error)
        QVERIFY2(ratio[1] > 0.1 && ratio[1] < 10, qPrintable(QString::number(ratio[1])));
    }

    // The gradient of a layer's output, not of what an in-place operation after it makes of it
    // (the probe hooks the layer's own autograd node, docs/multipoint.md section 8).
    void inPlaceOperationAfterALayer()
    {
        saveInPlaceModel(path("inplace.pt"), 3);
        const mpq::Model model = mpq::Model::load(path("inplace.pt"));
        std::size_t b = model.layers().size();
        for (std::size_t i = 0; i < model.layers().size(); ++i)
            if (model.layers()[i].name == "b")
                b = i;
        QVERIFY(b < model.layers().size());
        mpq::SensitivityOptions options;
        options.imageFraction = 1.0;
        const mpq::OutputSensitivity w = mpq::outputSensitivity(
            model, imageProfile(mpq::Task::Detection, 16), m_images, options);
        // the stage alone, and the analysis, where the calibration's recording operator sits
        // between the layer and the in-place ReLU as well
        mpq::AnalysisSettings s;
        s.bits = 2;
        s.maxPoints = 2;
        s.calibCount = 16;
        s.sensitivity = true;
        const mpq::Analysis analysis =
            mpq::analyze(model, imageProfile(mpq::Task::Detection, 16), m_images, s);
        for (const std::vector<double> &wb : {w.diagonal[b], analysis.curves[b].sensitivity}) {
            QCOMPARE(wb.size(), std::size_t(4));
            for (int c = 0; c < 2; ++c) {
                const double sum = wb[std::size_t(c)] + wb[std::size_t(c + 2)];
                QVERIFY2(std::abs(sum - 1.0) < 0.15, qPrintable(QString::number(sum)));
                QVERIFY2(wb[std::size_t(c)] > 0.05 && wb[std::size_t(c + 2)] > 0.05,
                         qPrintable(QString::number(wb[std::size_t(c)])));
            }
        }
    }

    // The sensitivity comes from the calibration's own forward (docs/multipoint.md section 8):
    // a model whose sensitivity cannot be measured, whether its backward has nothing to do or
    // its forward fails with autograd, keeps the curves of an analysis without it, with a
    // warning that says why.
    void unmeasurableSensitivityKeepsTheCalibration_data()
    {
        QTest::addColumn<QString>("defect");
        QTest::addColumn<QString>("reason");
        QTest::newRow("output without gradient") << "detached"
                                                 << "no model output depends";
        QTest::newRow("backward fails") << "out="
                                        << "derivative for aten::add is not implemented";
        QTest::newRow("forward fails with autograd")
            << "resize_"
            << "the forward with autograd fails: cannot resize variables";
    }
    void unmeasurableSensitivityKeepsTheCalibration()
    {
        QFETCH(QString, defect);
        QFETCH(QString, reason);
        saveUnmeasurableModel(path("unmeasurable.pt"), defect.toStdString(), 4);
        const mpq::Model model = mpq::Model::load(path("unmeasurable.pt"));
        QCOMPARE(model.layers().size(), std::size_t(2));
        const mpq::ModelProfile profile = imageProfile(mpq::Task::Detection, 16);
        mpq::AnalysisSettings s;
        s.bits = 2;
        s.maxPoints = 3;
        s.calibCount = 16;
        s.batchSize = 4;
        s.sensitivity = false;
        const mpq::Analysis plain = mpq::analyze(model, profile, m_images, s);
        s.sensitivity = true;
        std::vector<double> fractions;
        mpq::JobControl control;
        control.progress = [&](double f) { fractions.push_back(f); };
        const mpq::Analysis a = mpq::analyze(model, profile, m_images, s, control);
        QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
        QCOMPARE(fractions.back(), 1.0);
        bool warned = false;
        for (const std::string &w : a.warnings)
            warned |= w.rfind("no output sensitivity: ", 0) == 0 &&
                      w.find(reason.toStdString()) != std::string::npos &&
                      w.find("unmeasurable.pt") != std::string::npos;
        QVERIFY(warned);
        QCOMPARE(a.calibrationFiles.size(), plain.calibrationFiles.size());
        for (std::size_t i = 0; i < a.curves.size(); ++i) {
            QVERIFY(a.curves[i].sensitivity.empty());
            QCOMPARE(a.curves[i].signal.size(), plain.curves[i].signal.size());
            for (std::size_t c = 0; c < a.curves[i].signal.size(); ++c)
                QVERIFY(std::abs(a.curves[i].signal[c] - plain.curves[i].signal[c]) <=
                        1e-9 * plain.curves[i].signal[c]);
            for (std::size_t k = 0; k < a.curves[i].error.size(); ++k)
                QVERIFY(std::abs(a.curves[i].error[k] - plain.curves[i].error[k]) <=
                        1e-9 * plain.curves[i].error[k] + 1e-12);
        }
    }

    void sensitivityAgreesWithTheOneLayerOracle()
    {
        mpqtest::saveConvNet(path("convnet.pt"), 4);
        const mpq::Model model = mpq::Model::load(path("convnet.pt"));
        const mpq::ModelProfile profile = imageProfile(mpq::Task::Classification, 16);
        std::vector<mpq::PreparedImage> batch;
        for (const std::string &f : m_images)
            batch.push_back(mpq::prepareImage(f, profile.input));
        mpq::ModelRunner floatModel = mpq::floatRunner(model);
        const mpq::OutputTensor reference = floatModel.run(batch).at(0);
        const std::int64_t K = reference.shape.back(),
                           rows = std::int64_t(reference.data.size()) / K;
        const auto softmax = [&](const std::vector<float> &z, std::int64_t r) {
            std::vector<double> p(K);
            const double top = *std::max_element(z.begin() + r * K, z.begin() + (r + 1) * K);
            double sum = 0;
            for (std::int64_t k = 0; k < K; ++k)
                sum += p[k] = std::exp(double(z[r * K + k]) - top);
            for (double &v : p)
                v /= sum;
            return p;
        };
        for (int bits : {3, 4}) {
            mpq::AnalysisSettings s;
            s.bits = bits;
            s.maxPoints = 1;
            s.calibCount = 16;
            s.sensitivity = true;
            s.rounding = mpq::Rounding::Nearest; // the paper's rounding: errors as it leaves them
            const mpq::Analysis analysis = mpq::analyze(model, profile, m_images, s);
            mpq::AllocationSettings one;
            one.bits = bits;
            one.rule = mpq::AllocationRule::Budget;
            one.budget = 0.0;
            const mpq::Allocation allocation = mpq::allocate(analysis.curves, one);
            std::vector<double> predicted, measured, diagonalOnly;
            for (std::size_t l = 0; l < analysis.layers.size(); ++l) {
                // predicted: sum over the calibration images of KL ~ 1/2 (w_c (e_c(1) - M) +
                // m_c M), M = P shift^2 the channel's mean error (docs/multipoint.md section 8)
                const mpq::LayerCurves &c = analysis.curves[l];
                QCOMPARE(c.correctedError.size(), c.error.size());
                double p = 0, diagonal = 0;
                for (std::int64_t ch = 0; ch < c.channels; ++ch) {
                    const double e = c.errorAt(ch, 1), mean = e - c.correctedError[ch];
                    p += 0.5 * (c.sensitivity[ch] * (e - mean) + c.meanSensitivity[ch] * mean);
                    diagonal += 0.5 * c.sensitivity[ch] * e;
                }
                predicted.push_back(p);
                diagonalOnly.push_back(diagonal);
                // the oracle: this layer alone quantized, the KL of the outputs summed
                std::vector<std::vector<float>> weights(analysis.layers.size());
                weights[l] = mpq::quantizedWeight(model, analysis, allocation, {}, l);
                mpq::ModelRunner quantized = mpq::weightsRunner(model, weights);
                const mpq::OutputTensor out = quantized.run(batch).at(0);
                double kl = 0;
                for (std::int64_t r = 0; r < rows; ++r) {
                    const std::vector<double> pf = softmax(reference.data, r),
                                              pq = softmax(out.data, r);
                    for (std::int64_t k = 0; k < K; ++k)
                        kl += pf[k] * std::log(pf[k] / pq[k]);
                }
                measured.push_back(kl);
                qInfo("%d bits, %s: predicted %.4g (diagonal only %.4g), measured %.4g", bits,
                      analysis.layers[l].name.c_str(), p, diagonal, kl);
            }
            const double rho = spearman(predicted, measured);
            qInfo("%d bits: Spearman %.3f over %zu layers (diagonal only %.3f)", bits, rho,
                  predicted.size(), spearman(diagonalOnly, measured));
            QVERIFY2(rho >= 0.8, qPrintable(QString::number(rho)));
            // and the size of the change within a factor of 5 for every layer
            for (std::size_t l = 0; l < predicted.size(); ++l)
                QVERIFY2(predicted[l] < 5 * measured[l] && measured[l] < 5 * predicted[l],
                         analysis.layers[l].name.c_str());
        }
    }

    void analysisFileKeepsTheSensitivity()
    {
        saveGainModel(path("gain2.pt"), 5.0, 2);
        const mpq::Model model = mpq::Model::load(path("gain2.pt"));
        mpq::AnalysisSettings s;
        s.bits = 3;
        s.maxPoints = 2;
        s.calibCount = 8;
        s.sensitivity = true;
        const mpq::Analysis a =
            mpq::analyze(model, imageProfile(mpq::Task::Detection, 16), m_images, s);
        mpq::saveAnalysis(a, nullptr, path("a.mpqa"));
        const mpq::SavedAnalysis back = mpq::loadAnalysis(path("a.mpqa"));
        QVERIFY(back.analysis.settings.sensitivity);
        for (std::size_t l = 0; l < a.curves.size(); ++l) {
            QVERIFY(!a.curves[l].sensitivity.empty());
            QCOMPARE(back.analysis.curves[l].sensitivity, a.curves[l].sensitivity);
        }
        mpq::checkAnalysisMatches(back.analysis, model, s);
        s.sensitivity = false;
        bool threw = false;
        try {
            mpq::checkAnalysisMatches(back.analysis, model, s);
        } catch (const mpq::Error &e) {
            threw = QString(e.what()).contains("sensitivity");
        }
        QVERIFY(threw);

        // a file from before the stage: no "sensitivity" in its settings or layers
        mpq::Analysis old = a;
        old.settings.sensitivity = false;
        for (mpq::LayerCurves &c : old.curves)
            c.sensitivity.clear();
        mpq::saveAnalysis(old, nullptr, path("old0.mpqa"));
        QVERIFY(removeHeaderKey(path("old0.mpqa"), path("old.mpqa"), ",\"sensitivity\":false"));
        const mpq::SavedAnalysis loaded = mpq::loadAnalysis(path("old.mpqa"));
        QVERIFY(!loaded.analysis.settings.sensitivity);
        for (const mpq::LayerCurves &c : loaded.analysis.curves)
            QVERIFY(c.sensitivity.empty());

        // a file whose sensitivity was measured with the plain squared error (no
        // "sensitivity_loss"): left out with a warning, so that no weighted rule uses it
        const std::string loss = ",\"sensitivity_loss\":2";
        QVERIFY(removeHeaderKey(path("a.mpqa"), path("plain.mpqa"), loss));
        const mpq::SavedAnalysis plain = mpq::loadAnalysis(path("plain.mpqa"));
        QVERIFY(!plain.analysis.settings.sensitivity);
        for (const mpq::LayerCurves &c : plain.analysis.curves)
            QVERIFY(c.sensitivity.empty() && c.meanSensitivity.empty());
        QVERIFY(!plain.analysis.warnings.empty());
        QVERIFY(QString::fromStdString(plain.analysis.warnings.back())
                    .contains("analyse again to weight by it"));
        s.sensitivity = true;
        threw = false;
        try {
            mpq::checkAnalysisMatches(plain.analysis, model, s);
        } catch (const mpq::Error &e) {
            threw = QString(e.what()).contains("sensitivity");
        }
        QVERIFY(threw);
    }
};

QTEST_GUILESS_MAIN(TestTaskAware)
#include "tst_taskaware.moc"
