// Bias correction (docs/multipoint.md section 9): the shifts measured in the analysis' stacked
// evaluation make the mean output of a quantized layer equal the float one on the calibration
// images (a padded, strided convolution with a bias, one folded into a BatchNorm, one with
// neither, and a linear layer), the corrected curves never exceed the uncorrected ones, the
// exports carry the corrected bias, a baseline measures its own correction, and the setting
// survives the JSON codec and the analysis file.
// torch before Qt: Qt's `slots` macro breaks torch's headers
#include <torch/script.h>

#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/baselines.h"
#include "mpq/biascorrection.h"
#include "mpq/error.h"
#include "mpq/export.h"
#include "mpq/images.h"
#include "mpq/methods.h"
#include "mpq/pipeline.h"
#include "mpq/runner.h"
#include "mpq/vocabulary.h"

#include "testimages.h"

#include <QtTest>

#include <fstream>

namespace {

// The models' output is the quantized layer's output: one layer each, so the mean of the
// model's output per channel is the mean the correction targets.
void saveConvModel(const std::string &path, bool bias, bool batchNorm, std::uint64_t seed,
                   int groups = 1)
{
    torch::manual_seed(seed);
    torch::jit::Module m("PadConv");
    torch::jit::Module c("Conv");
    // 5 outputs, or 6 in 3 groups of 2 (a grouped layer's stacked rows are group-major)
    const std::int64_t out = groups == 1 ? 5 : 6;
    c.register_parameter("weight", torch::randn({out, 3 / groups, 3, 3}) * 0.3, false);
    if (bias)
        c.register_parameter("bias", torch::randn({out}) * 0.1, false);
    // padding 1 and stride 2: the border positions see zeros, so the shift is not W's row sum
    // times the mean input
    c.define(std::string("def forward(self, x):\n    return torch.conv2d(x, self.weight, ") +
             (bias ? "self.bias" : "None") + ", [2, 2], [1, 1], [1, 1], " + std::to_string(groups) +
             ")\n");
    m.register_module("conv", c);
    if (batchNorm) {
        torch::jit::Module bn("Bn");
        bn.register_parameter("weight", torch::rand({out}) + 0.5, false);
        bn.register_parameter("bias", torch::randn({out}) * 0.2, false);
        bn.register_buffer("running_mean", torch::randn({out}) * 0.1);
        bn.register_buffer("running_var", torch::rand({out}) + 0.5);
        bn.define("def forward(self, x):\n"
                  "    return torch.batch_norm(x, self.weight, self.bias, self.running_mean, "
                  "self.running_var, False, 0.1, 1e-5, False)\n");
        m.register_module("bn", bn);
        m.define("def forward(self, x):\n    return self.bn.forward(self.conv.forward(x))\n");
    } else {
        m.define("def forward(self, x):\n    return self.conv.forward(x)\n");
    }
    m.save(path);
}

void saveLinearModel(const std::string &path, std::uint64_t seed)
{
    torch::manual_seed(seed);
    torch::jit::Module m("Lin");
    torch::jit::Module fc("Fc");
    fc.register_parameter("weight", torch::randn({4, 3 * 6 * 7}) * 0.1, false);
    fc.register_parameter("bias", torch::randn({4}) * 0.1, false);
    fc.define("def forward(self, x):\n    return torch.linear(x, self.weight, self.bias)\n");
    m.register_module("fc", fc);
    m.define("def forward(self, x):\n    return self.fc.forward(x.flatten(1))\n");
    m.save(path);
}

mpq::ModelProfile profile()
{
    mpq::ModelProfile p;
    p.input.width = 7;
    p.input.height = 6;
    p.input.channels = 3;
    p.input.color = mpq::ColorOrder::Rgb;
    // inputs in [0, 1]: a non-zero mean, so quantization shifts the mean output
    p.input.mean.assign(3, 0.0);
    p.input.std.assign(3, 1.0);
    return p;
}

// Per output channel, the mean of the model's output over every image and position.
std::vector<double> channelMeans(mpq::ModelRunner &runner, const std::vector<std::string> &files)
{
    std::vector<mpq::PreparedImage> batch;
    for (const std::string &f : files)
        batch.push_back(mpq::prepareImage(f, profile().input));
    const std::vector<mpq::OutputTensor> out = runner.run(batch);
    const mpq::OutputTensor &y = out.at(0);
    const std::int64_t C = y.shape.at(1);
    std::int64_t inner = 1;
    for (std::size_t k = 2; k < y.shape.size(); ++k)
        inner *= y.shape[k];
    std::vector<double> mean(C, 0.0);
    for (std::int64_t b = 0; b < y.shape[0]; ++b)
        for (std::int64_t c = 0; c < C; ++c)
            for (std::int64_t k = 0; k < inner; ++k)
                mean[c] += y.data[(b * C + c) * inner + k];
    for (double &m : mean)
        m /= double(y.shape[0] * inner);
    return mean;
}

double maxDifference(const std::vector<double> &a, const std::vector<double> &b)
{
    double d = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        d = std::max(d, std::abs(a[i] - b[i]));
    return d;
}

std::vector<float> allOutputs(mpq::ModelRunner &runner, const std::vector<std::string> &files)
{
    std::vector<mpq::PreparedImage> batch;
    for (const std::string &f : files)
        batch.push_back(mpq::prepareImage(f, profile().input));
    return runner.run(batch).at(0).data;
}

} // namespace

class TestBiasCorrection : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::vector<std::string> m_images;
    std::string path(const char *name) { return m_dir.filePath(name).toStdString(); }

    mpq::Analysis analyse(const mpq::Model &model, int extraPointBits = 0)
    {
        mpq::AnalysisSettings s;
        s.bits = 2;
        s.extraPointBits = extraPointBits;
        s.maxPoints = 3;
        s.batchSize = 4; // several batches: the mean is over every call
        return mpq::analyze(model, profile(), m_images, s);
    }
    mpq::Allocation allocateFor(const mpq::Analysis &a, bool correct)
    {
        mpq::AllocationSettings s;
        s.bits = 2;
        s.rule = mpq::AllocationRule::Budget;
        s.budget = 0.5; // a mix of 1, 2 and 3 points
        s.biasCorrection = correct;
        return mpq::allocate(a.curves, s);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(mpqtest::writeNoiseImages(m_dir.filePath("images"), 10, 9, 8, 5));
        m_images = mpq::findImages(m_dir.filePath("images").toStdString());
        QCOMPARE(m_images.size(), std::size_t(10));
        saveConvModel(path("bias.pt"), true, false, 1);
        saveConvModel(path("bn.pt"), false, true, 2);
        saveConvModel(path("plain.pt"), false, false, 3);
        saveLinearModel(path("linear.pt"), 4);
        saveConvModel(path("grouped.pt"), false, true, 5, 3);
    }

    void meanOutputEqualsFloat_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("extraPointBits");
        QTest::newRow("conv, bias, padding, stride") << "bias.pt" << 0;
        QTest::newRow("conv + BatchNorm") << "bn.pt" << 0;
        QTest::newRow("conv without bias") << "plain.pt" << 0;
        QTest::newRow("linear") << "linear.pt" << 0;
        QTest::newRow("grouped conv + BatchNorm") << "grouped.pt" << 0;
        // sign points after the first (docs/multipoint.md section 11)
        QTest::newRow("conv + BatchNorm, sign points") << "bn.pt" << 1;
        QTest::newRow("linear, sign points") << "linear.pt" << 1;
    }
    void meanOutputEqualsFloat()
    {
        QFETCH(QString, file);
        QFETCH(int, extraPointBits);
        const mpq::Model model = mpq::Model::load(path(file.toUtf8().constData()));
        const mpq::Analysis a = analyse(model, extraPointBits);
        QCOMPARE(a.decompositions.front().extraBits(), extraPointBits == 1 ? 1 : 2);
        QCOMPARE(a.calibrationFiles.size(), m_images.size());
        mpq::ModelRunner floatModel = mpq::floatRunner(model);
        const std::vector<double> reference = channelMeans(floatModel, a.calibrationFiles);
        double scale = 0;
        for (double m : reference)
            scale = std::max(scale, std::abs(m));

        const mpq::Allocation plain = allocateFor(a, false);
        const mpq::Allocation corrected = allocateFor(a, true);
        QVERIFY(!plain.biasCorrection);
        QVERIFY(corrected.biasCorrection);
        QVERIFY(corrected.warnings.empty());
        mpq::ModelRunner q0 = mpq::quantizedRunner(model, a, plain, {});
        mpq::ModelRunner q1 = mpq::quantizedRunner(model, a, corrected, {});
        const double before = maxDifference(channelMeans(q0, a.calibrationFiles), reference);
        const double after = maxDifference(channelMeans(q1, a.calibrationFiles), reference);
        // 2-bit weights on inputs of mean 0.5 shift the mean clearly; the correction removes
        // the shift up to float rounding
        QVERIFY2(before > 1e-3 * (1 + scale), qPrintable(QString::number(before)));
        QVERIFY2(after < 2e-5 * (1 + scale),
                 qPrintable(QString("after %1, before %2").arg(after).arg(before)));
        // the baseline (round-to-nearest at 2 bits) with its own measured correction
        const mpq::LayerInfo &l = model.layers()[0];
        std::vector<std::vector<float>> rtn(1);
        rtn[0] = mpq::roundToNearest(model.foldedWeight(0).data(), l.outChannels, l.d, 2,
                                     mpq::Granularity::PerChannel)
                     .dequantize();
        const std::vector<std::vector<float>> shift =
            mpq::measureBiasCorrection(model, profile(), a, rtn);
        QCOMPARE(shift.size(), std::size_t(1));
        QCOMPARE(std::int64_t(shift[0].size()), l.outChannels);
        mpq::ModelRunner r0 = mpq::weightsRunner(model, rtn);
        mpq::ModelRunner r1 = mpq::weightsRunner(model, rtn, nullptr, 0, &shift);
        const double rtnBefore = maxDifference(channelMeans(r0, a.calibrationFiles), reference);
        const double rtnAfter = maxDifference(channelMeans(r1, a.calibrationFiles), reference);
        QVERIFY2(rtnBefore > 1e-3 * (1 + scale), qPrintable(QString::number(rtnBefore)));
        QVERIFY2(rtnAfter < 2e-5 * (1 + scale), qPrintable(QString::number(rtnAfter)));
        // methodWeights hands multipoint's correction to the runner as quantizedRunner adds it
        const mpq::MethodWeights w =
            mpq::methodWeights(model, a, corrected, {}, mpq::Method::Multipoint);
        QCOMPARE(w.biasCorrection.size(), std::size_t(1));
        QCOMPARE(w.biasCorrection[0],
                 mpq::allocatedBiasCorrection(model, a, corrected, {}, std::size_t(0)));
        mpq::ModelRunner viaMethod =
            mpq::weightsRunner(model, w.weights, nullptr, 0, &w.biasCorrection);
        QCOMPARE(allOutputs(viaMethod, a.calibrationFiles), allOutputs(q1, a.calibrationFiles));
    }

    void correctedCurvesAreTheErrorAroundTheMean()
    {
        const mpq::Model model = mpq::Model::load(path("bias.pt"));
        const mpq::Analysis a = analyse(model);
        const mpq::LayerCurves &c = a.curves[0];
        QCOMPARE(c.shift.size(), c.error.size());
        QCOMPARE(c.correctedError.size(), c.error.size());
        double drop = 0;
        for (std::size_t k = 0; k < c.error.size(); ++k) {
            QVERIFY(c.correctedError[k] >= 0);
            QVERIFY(c.correctedError[k] <= c.error[k]);
            drop += c.error[k] - c.correctedError[k];
        }
        QVERIFY(drop > 0);
        // e - P m^2 with P every output position of every image: 10 images of 3 x 4 outputs
        const double P = double(c.outputPositions) * double(a.calibrationFiles.size());
        QCOMPARE(c.outputPositions, std::int64_t(12));
        for (std::size_t k = 0; k < c.error.size(); ++k)
            QVERIFY(std::abs(c.correctedError[k] -
                             std::max(0.0, c.error[k] - P * c.shift[k] * c.shift[k])) <=
                    1e-9 * (1 + c.error[k]));
        // the allocation reports the corrected error
        const mpq::Allocation plain = allocateFor(a, false);
        const mpq::Allocation corrected = allocateFor(a, true);
        QVERIFY(corrected.totalError <= plain.totalError + 1e-12);
        mpq::AllocationSettings s;
        s.bits = 2;
        s.rule = mpq::AllocationRule::Threshold;
        s.epsilon = 1.0; // one point everywhere
        s.biasCorrection = true;
        const mpq::Allocation one = mpq::allocate(a.curves, s);
        double e = 0, sig = 0;
        for (std::int64_t ch = 0; ch < c.channels; ++ch) {
            e += c.correctedError[ch * c.maxPoints];
            sig += c.signal[ch];
        }
        QVERIFY(std::abs(one.layers[0].relativeError - e / sig) <= 1e-12 * (1 + e / sig));
    }

    void curvesWithoutShiftsAllocateUncorrected()
    {
        const mpq::Model model = mpq::Model::load(path("bias.pt"));
        mpq::Analysis a = analyse(model);
        a.curves[0].shift.clear();
        a.curves[0].correctedError.clear();
        const mpq::Allocation alloc = allocateFor(a, true);
        QVERIFY(!alloc.biasCorrection);
        QCOMPARE(alloc.warnings.size(), std::size_t(1));
        QVERIFY(QString::fromStdString(alloc.warnings[0]).contains("bias correction is off"));
        QVERIFY(mpq::allocatedBiasCorrection(model, a, alloc, {}, 0).empty());
    }

    void exportsCarryTheCorrectedBias()
    {
        for (const char *file : {"bias.pt", "bn.pt", "plain.pt"}) {
            const mpq::Model model = mpq::Model::load(path(file));
            const mpq::Analysis a = analyse(model);
            mpq::AllocationSettings s;
            s.bits = 2;
            s.rule = mpq::AllocationRule::Budget;
            s.budget = 0.5;
            s.biasCorrection = true;
            const mpq::Allocation alloc = mpq::allocate(a.curves, s);
            QVERIFY(alloc.biasCorrection);
            const std::string manifest = mpq::exportManifest(a, alloc, s, "test", "fakequant");
            mpq::ModelRunner q = mpq::quantizedRunner(model, a, alloc, {});
            const std::string out = path((std::string(file) + ".fq.pt").c_str());
            const mpq::Verification v =
                mpq::exportFakeQuant(q, out, manifest, profile(), a.calibrationFiles);
            QCOMPARE(v.images, int(m_images.size()));
            QVERIFY2(v.maxRelativeDifference < 1e-6, file);
            // the file is the corrected model, not the uncorrected one
            mpq::ModelRunner loaded = mpq::loadRunner(out);
            s.biasCorrection = false;
            mpq::ModelRunner uncorrected =
                mpq::quantizedRunner(model, a, mpq::allocate(a.curves, s), {});
            const std::vector<float> yl = allOutputs(loaded, a.calibrationFiles);
            const std::vector<float> yu = allOutputs(uncorrected, a.calibrationFiles);
            double diff = 0;
            for (std::size_t k = 0; k < yl.size(); ++k)
                diff = std::max(diff, double(std::abs(yl[k] - yu[k])));
            QVERIFY2(diff > 1e-4, file);
            // the expanded export runs beside the corrected in-app model
            const mpq::ExpandedExport ex = mpq::exportExpanded(
                model, a, alloc, {}, path((std::string(file) + ".ex.pt").c_str()), manifest,
                profile(), a.calibrationFiles);
            QVERIFY2(ex.verification.maxRelativeDifference < 1e-5, file);
            // the integer package's bias is the folded bias plus the correction
            const std::string pkg = path((std::string(file) + ".pkg").c_str());
            mpq::exportIntegerPackage(model, a, alloc, {}, manifest, pkg);
            std::ifstream in(pkg + "/layers/000.bias.f32", std::ios::binary);
            std::vector<float> bias(model.layers()[0].outChannels);
            in.read(reinterpret_cast<char *>(bias.data()), bias.size() * sizeof(float));
            QVERIFY(in);
            const std::vector<float> shift = mpq::allocatedBiasCorrection(model, a, alloc, {}, 0);
            for (std::size_t c = 0; c < bias.size(); ++c)
                QCOMPARE(bias[c], model.foldedBias(0)[c] + shift[c]);
        }
    }

    // the ONNX exports of an ONNX source hold the corrected folded biases: both verify against
    // the corrected in-app model (docs/onnx.md section 5), which differs from the uncorrected one
    void onnxExportsCarryTheCorrection_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("format");
        for (const char *f : {"cnn_bn", "depthwise", "gemm_head", "residual"})
            for (const char *fmt : {"onnx-fakequant", "onnx-qdq"})
                QTest::newRow((std::string(f) + " " + fmt).c_str()) << f << fmt;
    }
    void onnxExportsCarryTheCorrection()
    {
        QFETCH(QString, fixture);
        QFETCH(QString, format);
        mpq::OpenedModel o;
        o.path = MPQ_TEST_DATA_DIR "/onnx/" + fixture.toStdString() + ".onnx";
        o.model = std::make_shared<const mpq::Model>(mpq::Model::load(o.path));
        o.hasProfile = true;
        o.profile.input.width = 32;
        o.profile.input.height = 32;
        o.profile.input.channels = 3;
        o.profile.input.color = mpq::ColorOrder::Rgb;
        o.profile.input.mean.assign(3, 0.0);
        o.profile.input.std.assign(3, 1.0);
        mpq::AnalysisSettings s;
        s.bits = 3;
        s.maxPoints = 3;
        s.batchSize = 4;
        auto a =
            std::make_shared<const mpq::Analysis>(mpq::analyze(*o.model, o.profile, m_images, s));
        mpq::AllocationSettings as;
        as.rule = mpq::AllocationRule::Budget;
        as.budget = 0.2;
        as.biasCorrection = true;
        const mpq::Quantization q = mpq::quantize(o, a, as);
        QVERIFY(q.allocation.biasCorrection);
        QTemporaryDir dir;
        const std::string path = dir.filePath("out.onnx").toStdString();
        const mpq::ExportOutcome out = mpq::exportQuantization(
            o, q, mpq::exportFormatFromWord(format.toStdString()), path, true, "test");
        QVERIFY(out.verified);
        QVERIFY2(out.verification.maxRelativeDifference <= mpq::kVerifyTolerance,
                 std::to_string(out.verification.maxRelativeDifference).c_str());
        // the uncorrected in-app model is another model: the check above can fail
        as.biasCorrection = false;
        const mpq::Quantization plain = mpq::quantize(o, a, as);
        mpq::ModelRunner corrected = mpq::quantizedRunner(*o.model, *a, q.allocation, *q.atBits);
        mpq::ModelRunner uncorrected =
            mpq::quantizedRunner(*o.model, *a, plain.allocation, *plain.atBits);
        std::vector<mpq::PreparedImage> batch;
        for (const std::string &f : a->calibrationFiles)
            batch.push_back(mpq::prepareImage(f, o.profile.input));
        const std::vector<float> y1 = corrected.run(batch).at(0).data;
        const std::vector<float> y0 = uncorrected.run(batch).at(0).data;
        double diff = 0, scale = 0;
        for (std::size_t k = 0; k < y1.size(); ++k) {
            diff = std::max(diff, double(std::abs(y1[k] - y0[k])));
            scale = std::max(scale, double(std::abs(y1[k])));
        }
        QVERIFY2(diff > mpq::kVerifyTolerance * scale,
                 (std::to_string(diff) + " of " + std::to_string(scale)).c_str());
    }

    void settingsRoundTrip()
    {
        mpq::AllocationSettings s;
        QVERIFY(!s.biasCorrection);
        s.biasCorrection = true;
        const std::string text = mpq::allocationSettingsToJson(s);
        QVERIFY(QString::fromStdString(text).contains("\"bias_correction\": true"));
        QVERIFY(mpq::allocationSettingsFromJson(text, "t").biasCorrection);
        // settings written before bias correction: off
        QVERIFY(!mpq::allocationSettingsFromJson("{\"bits\": 3}", "t").biasCorrection);
        QVERIFY_THROWS_EXCEPTION(mpq::Error,
                                 mpq::allocationSettingsFromJson("{\"bias_correction\": 1}", "t"));

        // the analysis file keeps the shifts; one without them loads with none
        const mpq::Model model = mpq::Model::load(path("bn.pt"));
        mpq::Analysis a = analyse(model);
        mpq::saveAnalysis(a, &s, path("with.mpqa"));
        const mpq::SavedAnalysis back = mpq::loadAnalysis(path("with.mpqa"));
        QVERIFY(back.hasAllocation);
        QVERIFY(back.allocation.biasCorrection);
        QCOMPARE(back.analysis.curves[0].shift, a.curves[0].shift);
        QCOMPARE(back.analysis.curves[0].correctedError, a.curves[0].correctedError);
        a.curves[0].shift.clear();
        a.curves[0].correctedError.clear();
        mpq::saveAnalysis(a, nullptr, path("without.mpqa"));
        const mpq::SavedAnalysis old = mpq::loadAnalysis(path("without.mpqa"));
        QVERIFY(old.analysis.curves[0].shift.empty());
        QCOMPARE(old.analysis.curves[0].error, a.curves[0].error);
    }
};

QTEST_GUILESS_MAIN(TestBiasCorrection)
#include "tst_biascorrection.moc"
