// ONNX import (docs/onnx.md): the committed fixtures against their TorchScript twins (output,
// layers, analysis), and ONNX 1.12's per-operator node tests (libonnx-testdata) for every
// supported operator.
#include "model/onnximport.h"
#include "mpq/analysis.h"
#include "mpq/error.h"
#include "mpq/images.h"
#include "mpq/model.h"
#include "mpq/profile.h"

#include <QtTest>

#include <torch/script.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace fs = std::filesystem;

namespace {

const std::string kData = MPQ_TEST_DATA_DIR "/onnx/";
const std::string kNodeTests = "/usr/share/libonnx-testdata/data/node";

std::string readAll(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Largest |a - b| / (|b| + tiny) over elements, with a NaN-safe comparison.
double maxRelDiff(const at::Tensor &a, const at::Tensor &b)
{
    const at::Tensor x = a.to(at::kDouble), y = b.to(at::kDouble);
    const at::Tensor d = (x - y).abs() / (y.abs() + 1e-6);
    return d.numel() ? d.max().item<double>() : 0.0;
}

mpq::ModelProfile profile32()
{
    mpq::ModelProfile p;
    p.input.width = 32;
    p.input.height = 32;
    p.input.channels = 3;
    p.input.color = mpq::ColorOrder::Rgb;
    p.input.mean.assign(3, 0.5);
    p.input.std.assign(3, 0.25);
    return p;
}

// The node-test operators the importer supports (docs/onnx.md). A test directory runs when its
// name is test_<op lower-case>[_...] for one of these, unless skip-listed below.
const std::vector<std::string> kOps = {"abs",
                                       "add",
                                       "and",
                                       "argmax",
                                       "argmin",
                                       "averagepool",
                                       "batchnorm",
                                       "cast",
                                       "ceil",
                                       "clip",
                                       "concat",
                                       "constant",
                                       "constantofshape",
                                       "conv",
                                       "convtranspose",
                                       "cos",
                                       "div",
                                       "dropout",
                                       "elu",
                                       "equal",
                                       "erf",
                                       "exp",
                                       "expand",
                                       "flatten",
                                       "floor",
                                       "gather",
                                       "gemm",
                                       "globalaveragepool",
                                       "globalmaxpool",
                                       "greater",
                                       "hardsigmoid",
                                       "hardswish",
                                       "identity",
                                       "instancenorm",
                                       "layer_normalization",
                                       "leakyrelu",
                                       "less",
                                       "log",
                                       "logsoftmax",
                                       "matmul",
                                       "max",
                                       "maxpool",
                                       "mean",
                                       "min",
                                       "mod",
                                       "mul",
                                       "neg",
                                       "nonzero",
                                       "not",
                                       "or",
                                       "pow",
                                       "prelu",
                                       "range",
                                       "reciprocal",
                                       "reduce_l1",
                                       "reduce_l2",
                                       "reduce_log_sum_exp",
                                       "reduce_max",
                                       "reduce_mean",
                                       "reduce_min",
                                       "reduce_sum",
                                       "reduce_sum_square",
                                       "relu",
                                       "reshape",
                                       "resize",
                                       "round",
                                       "selu",
                                       "shape",
                                       "sigmoid",
                                       "sign",
                                       "sin",
                                       "size",
                                       "slice",
                                       "softmax",
                                       "softplus",
                                       "softsign",
                                       "split",
                                       "sqrt",
                                       "squeeze",
                                       "sub",
                                       "sum",
                                       "tanh",
                                       "tile",
                                       "topk",
                                       "transpose",
                                       "unsqueeze",
                                       "upsample",
                                       "where",
                                       "xor",
                                       "dequantizelinear",
                                       "quantizelinear",
                                       "pad",
                                       "isnan",
                                       "greater_equal",
                                       "less_equal"};

// Cases that need what the importer refuses on purpose, each with the reason (printed).
const std::map<std::string, std::string> kSkip = {
    {"test_cast_BFLOAT16_to_FLOAT", "bfloat16 NaN payloads: torch and ONNX's reference differ"},
    {"test_cast_FLOAT_to_BFLOAT16", "bfloat16 rounding: torch rounds to nearest, ONNX truncates"},
    {"test_maxpool_2d_uint8", "LibTorch's max_pool2d has no uint8 kernel on the CPU"},
    {"test_resize_downsample_scales_linear_align_corners",
     "an output dimension of 1 with align_corners: torch and ONNX pick different pixels"},
    {"test_resize_downsample_sizes_linear_pytorch_half_pixel",
     "an output dimension of 1 with pytorch_half_pixel: torch takes the centre"},
};

bool opOf(const std::string &test, std::string &op)
{
    // the longest supported operator name that test_<op> starts with, followed by _ or end
    op.clear();
    for (const std::string &o : kOps) {
        const std::string p = "test_" + o;
        if (test.rfind(p, 0) == 0 && (test.size() == p.size() || test[p.size()] == '_') &&
            o.size() > op.size())
            op = o;
    }
    return !op.empty();
}

} // namespace

class TstOnnxImport : public QObject
{
    Q_OBJECT

private slots:
    void fixtureMatchesTwin_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *n : {"cnn_bn", "cnn_fused", "depthwise", "residual", "gemm_head"})
            QTest::newRow(n) << QString(n);
    }

    // The imported model gives its TorchScript twin's output (1e-5 relative), for the committed
    // batch of 2 and for a batch of 3 (dynamic batch).
    void fixtureMatchesTwin()
    {
        QFETCH(QString, name);
        const std::string base = kData + name.toStdString();
        mpq::OnnxImport im = mpq::importOnnx(base + ".onnx", readAll(base + ".onnx"));
        const at::Tensor x = mpq::readOnnxTensorFile(base + "_input.pb");
        const at::Tensor want = mpq::readOnnxTensorFile(base + "_output.pb");
        c10::InferenceMode inference;
        const at::Tensor got = im.module.forward({x}).toTensor();
        QCOMPARE(got.sizes().vec(), want.sizes().vec());
        const double d = maxRelDiff(got, want);
        QVERIFY2(d < 1e-5 || (got - want).abs().max().item<double>() < 1e-6,
                 qPrintable(QString("relative difference %1").arg(d)));

        torch::jit::Module twin = torch::jit::load(base + ".pt");
        twin.eval();
        const at::Tensor x3 = at::randn({3, 3, 32, 32}, at::TensorOptions().dtype(at::kFloat));
        const at::Tensor a = im.module.forward({x3}).toTensor();
        const at::Tensor b = twin.forward({x3}).toTensor();
        QCOMPARE(a.size(0), std::int64_t(3));
        QVERIFY2((a - b).abs().max().item<double>() <= 1e-5 * (b.abs().max().item<double>() + 1),
                 "batch of 3 differs from the twin");
        // the saved TorchScript form reloads and runs the same
        std::istringstream saved(mpq::saveImport(im));
        torch::jit::Module again = torch::jit::load(saved);
        QVERIFY(again.forward({x3}).toTensor().equal(a));
    }

    void layersMatchTwin_data() { fixtureMatchesTwin_data(); }

    // Model::load on the .onnx file finds the twin's layers (names with '.' as '_'), with the
    // same kinds, shapes, arguments, folded BatchNorms and folded weights.
    void layersMatchTwin()
    {
        QFETCH(QString, name);
        const std::string base = kData + name.toStdString();
        const mpq::Model onnx = mpq::Model::load(base + ".onnx");
        const mpq::Model twin = mpq::Model::load(base + ".pt");
        QCOMPARE(onnx.layers().size(), twin.layers().size());
        for (std::size_t i = 0; i < twin.layers().size(); ++i) {
            const mpq::LayerInfo &a = onnx.layers()[i], &b = twin.layers()[i];
            std::string mapped = b.name;
            std::replace(mapped.begin(), mapped.end(), '.', '_');
            QCOMPARE(a.name, mapped);
            QCOMPARE(int(a.kind), int(b.kind));
            QCOMPARE(a.weightShape, b.weightShape);
            QCOMPARE(a.stride, b.stride);
            QCOMPARE(a.padding, b.padding);
            QCOMPARE(a.dilation, b.dilation);
            QCOMPARE(a.groups, b.groups);
            if (name == "cnn_fused") // torch.onnx folded the BatchNorms already
                QVERIFY(a.foldedBatchNorm.empty());
            else
                QCOMPARE(a.foldedBatchNorm.empty(), b.foldedBatchNorm.empty());
            const auto &wa = onnx.foldedWeight(i), &wb = twin.foldedWeight(i);
            QCOMPARE(wa.size(), wb.size());
            for (std::size_t k = 0; k < wa.size(); ++k)
                QVERIFY(std::abs(wa[k] - wb[k]) <= 1e-6f * (1 + std::abs(wb[k])));
            const auto &ba = onnx.foldedBias(i), &bb = twin.foldedBias(i);
            for (std::size_t k = 0; k < ba.size(); ++k)
                QVERIFY(std::abs(ba[k] - bb[k]) <= 1e-6f * (1 + std::abs(bb[k])));
        }
        QCOMPARE(onnx.sha256().size(), std::size_t(64));
    }

    // mpq::analyze on the import gives the twin's curves within float rounding.
    void analysisMatchesTwin()
    {
        QTemporaryDir dir;
        std::mt19937 rng(5);
        for (int i = 0; i < 3; ++i) {
            QImage img(40, 36, QImage::Format_RGB32);
            for (int y = 0; y < img.height(); ++y)
                for (int x = 0; x < img.width(); ++x)
                    img.setPixel(x, y, qRgb(rng() % 256, rng() % 256, rng() % 256));
            QVERIFY(img.save(dir.filePath(QString("%1.png").arg(i))));
        }
        const auto images = mpq::findImages(dir.path().toStdString());
        mpq::AnalysisSettings s;
        s.bits = 4;
        s.maxPoints = 3;
        s.calibCount = 3;
        for (const char *n : {"cnn_bn", "gemm_head"}) {
            const std::string base = kData + n;
            const mpq::Analysis a =
                mpq::analyze(mpq::Model::load(base + ".onnx"), profile32(), images, s);
            const mpq::Analysis b =
                mpq::analyze(mpq::Model::load(base + ".pt"), profile32(), images, s);
            QCOMPARE(a.curves.size(), b.curves.size());
            for (std::size_t l = 0; l < a.curves.size(); ++l) {
                QCOMPARE(a.curves[l].signal.size(), b.curves[l].signal.size());
                for (std::size_t c = 0; c < a.curves[l].signal.size(); ++c)
                    QVERIFY(std::abs(a.curves[l].signal[c] - b.curves[l].signal[c]) <=
                            1e-4 * (1e-6 + std::abs(b.curves[l].signal[c])));
                for (std::size_t k = 0; k < a.curves[l].error.size(); ++k)
                    QVERIFY(std::abs(a.curves[l].error[k] - b.curves[l].error[k]) <=
                            1e-3 * (1e-6 + std::abs(b.curves[l].error[k])));
            }
        }
    }

    // The map to the ONNX graph travels in the module.
    void layerMapKept()
    {
        const std::string path = kData + "cnn_fused.onnx";
        mpq::OnnxImport im = mpq::importOnnx(path, readAll(path));
        QCOMPARE(im.inputNames, std::vector<std::string>{"input"});
        QCOMPARE(im.inputShapes.at(0), (std::vector<std::int64_t>{-1, 3, 32, 32}));
        QCOMPARE(im.layers.size(), std::size_t(3));
        QCOMPARE(im.layers[0].module, std::string("conv1"));
        QCOMPARE(im.layers[0].node, std::string("/conv1/Conv"));
        QCOMPARE(im.layers[2].opType, std::string("Gemm"));
        QVERIFY(!im.layers[2].weightTransposed);
        const std::string map = im.module.attr("mpq_onnx").toStringRef();
        QVERIFY(map.find("\"/conv1/Conv\"") != std::string::npos);
    }

    // ONNX 1.12's node tests for each supported operator: output within 1e-4 (relative) of the
    // reference, integer and boolean outputs exact.
    void nodeTests()
    {
        if (!fs::is_directory(kNodeTests))
            QSKIP("libonnx-testdata is not installed");
        int passed = 0, refused = 0;
        QStringList failures;
        std::vector<std::string> tests;
        for (const auto &e : fs::directory_iterator(kNodeTests))
            tests.push_back(e.path().filename().string());
        std::sort(tests.begin(), tests.end());
        for (const std::string &t : tests) {
            std::string op;
            if (!opOf(t, op) || t.find("_expanded") != std::string::npos)
                continue;
            if (const auto s = kSkip.find(t); s != kSkip.end()) {
                qInfo("skipped %s: %s", t.c_str(), s->second.c_str());
                continue;
            }
            const std::string dir = kNodeTests + "/" + t;
            std::vector<c10::IValue> inputs;
            std::vector<at::Tensor> outputs;
            mpq::OnnxImport im;
            try {
                im = mpq::importOnnx(dir + "/model.onnx", readAll(dir + "/model.onnx"));
                for (std::size_t i = 0; i < im.inputNames.size(); ++i)
                    inputs.emplace_back(mpq::readOnnxTensorFile(dir + "/test_data_set_0/input_" +
                                                                std::to_string(i) + ".pb"));
                for (std::size_t i = 0; i < im.outputNames.size(); ++i)
                    outputs.push_back(mpq::readOnnxTensorFile(dir + "/test_data_set_0/output_" +
                                                              std::to_string(i) + ".pb"));
            } catch (const mpq::Error &e) {
                // a clear refusal (an attribute value or type not supported) is listed
                ++refused;
                qInfo("refused %s: %s", t.c_str(), e.what());
                continue;
            }
            try {
                c10::InferenceMode inference;
                const c10::IValue r = im.module.get_method("forward")(inputs);
                std::vector<at::Tensor> got;
                if (r.isTuple())
                    for (const auto &v : r.toTupleRef().elements())
                        got.push_back(v.toTensor());
                else
                    got.push_back(r.toTensor());
                QString why;
                for (std::size_t i = 0; i < outputs.size() && why.isEmpty(); ++i) {
                    const at::Tensor &w = outputs[i];
                    const at::Tensor g = got[i];
                    if (g.sizes() != w.sizes())
                        why = QString("output %1 shape differs (%2 for %3)")
                                  .arg(i)
                                  .arg(QString::fromStdString(c10::str(g.sizes())))
                                  .arg(QString::fromStdString(c10::str(w.sizes())));
                    else if (w.is_floating_point()) {
                        const at::Tensor a = g.to(at::kDouble), b = w.to(at::kDouble);
                        const bool close = at::allclose(a, b, 1e-4, 1e-5, /*equal_nan=*/true);
                        if (!close)
                            why = QString("output %1 differs by %2")
                                      .arg(i)
                                      .arg((a - b).abs().max().item<double>());
                    } else if (!g.to(w.scalar_type()).equal(w)) {
                        why = QString("output %1 differs (exact)").arg(i);
                    }
                }
                if (why.isEmpty())
                    ++passed;
                else
                    failures << QString::fromStdString(t) + ": " + why;
            } catch (const std::exception &e) {
                std::string what = e.what();
                failures << QString::fromStdString(t) + ": " +
                                QString::fromStdString(what.substr(0, 300));
            }
        }
        qInfo("node tests: %d passed, %d refused with a message", passed, refused);
        for (const QString &f : failures)
            qWarning("%s", qPrintable(f));
        QVERIFY2(failures.isEmpty(),
                 qPrintable(QString("%1 node tests fail").arg(failures.size())));
        QVERIFY(passed > 200);
    }

    // Bad files: each a clear Error(BadModel) naming the file.
    void badFiles()
    {
        QTemporaryDir dir;
        const auto expectBad = [](const std::string &path, const QString &needle) {
            try {
                mpq::Model::load(path);
                QFAIL("no error");
            } catch (const mpq::Error &e) {
                QVERIFY2(e.code() == mpq::ErrorCode::BadModel ||
                             e.code() == mpq::ErrorCode::NonFinite,
                         e.what());
                QVERIFY2(QString(e.what()).contains(QString::fromStdString(path)), e.what());
                QVERIFY2(QString(e.what()).contains(needle), e.what());
            }
        };
        const std::string good = readAll(kData + "cnn_fused.onnx");
        const auto write = [&](const char *name, const std::string &bytes) {
            const std::string p = dir.filePath(name).toStdString();
            std::ofstream(p, std::ios::binary) << bytes;
            return p;
        };
        expectBad(write("truncated.onnx", good.substr(0, good.size() / 2)), "");
        std::mt19937 rng(1);
        std::string random(4000, '\0');
        for (char &c : random)
            c = char(rng() & 0xff);
        expectBad(write("random.onnx", random), "");
    }
};

QTEST_GUILESS_MAIN(TstOnnxImport)
#include "tst_onnximport.moc"
