// ONNX import (docs/onnx.md): the committed fixtures against their TorchScript twins (output,
// layers, analysis), layouts and profiles, the demo models, bad files. ONNX's own per-operator
// node tests are in tst_onnxnodetests.
#include "model/modelparts.h"
#include "model/onnximport.h"
#include "mpq/analysis.h"
#include "mpq/error.h"
#include "mpq/images.h"
#include "mpq/model.h"
#include "mpq/profile.h"
#include "mpq/profileguess.h"
#include "mpq/runner.h"

#include <QtTest>

#include <torch/script.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace fs = std::filesystem;

namespace {

const std::string kData = MPQ_TEST_DATA_DIR "/onnx/";
const std::string kSamples = MPQ_TEST_DATA_DIR "/../../resources/samples/";

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

} // namespace

class TstOnnxImport : public QObject
{
    Q_OBJECT

private slots:
    void fixtureMatchesTwin_data()
    {
        QTest::addColumn<QString>("name");
        for (const char *n : {"cnn_bn", "cnn_fused", "depthwise", "residual", "gemm_head", "nhwc"})
            QTest::newRow(n) << QString(n);
    }

    // The imported model gives its TorchScript twin's output (1e-5 relative), for the committed
    // batch of 2 and for a batch of 3 (dynamic batch).
    void fixtureMatchesTwin()
    {
        QFETCH(QString, name);
        const std::string base = kData + name.toStdString();
        mpq::OnnxImport im = mpq::importOnnx(base + ".onnx", mpq::readModelFile(base + ".onnx"));
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
        const at::Tensor x3 =
            at::randn({3, x.size(1), x.size(2), x.size(3)}, at::TensorOptions().dtype(at::kFloat));
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

    // An NHWC model (a Transpose at the start, as tf2onnx writes them) with a profile whose
    // input.layout is "nhwc" runs and analyses exactly like its NCHW original (nhwc.onnx has
    // cnn_bn's weights): the batch is laid out (B, H, W, C) wherever it is built.
    void nhwcLayout()
    {
        QTemporaryDir dir;
        std::mt19937 rng(11);
        for (int i = 0; i < 3; ++i) {
            QImage img(40, 36, QImage::Format_RGB32);
            for (int y = 0; y < img.height(); ++y)
                for (int x = 0; x < img.width(); ++x)
                    img.setPixel(x, y, qRgb(rng() % 256, rng() % 256, rng() % 256));
            QVERIFY(img.save(dir.filePath(QString("%1.png").arg(i))));
        }
        const auto files = mpq::findImages(dir.path().toStdString());
        mpq::ModelProfile nhwcProfile = profile32();
        nhwcProfile.input.layout = mpq::InputLayout::Nhwc;
        const mpq::Model nhwc = mpq::Model::load(kData + "nhwc.onnx");
        const mpq::Model nchw = mpq::Model::load(kData + "cnn_bn.pt");
        QCOMPARE(int(nhwc.format()), int(mpq::ModelFormat::Onnx));
        QCOMPARE(int(nchw.format()), int(mpq::ModelFormat::TorchScript));
        std::vector<mpq::PreparedImage> a, b;
        for (const auto &f : files) {
            a.push_back(mpq::prepareImage(f, nhwcProfile.input));
            b.push_back(mpq::prepareImage(f, profile32().input));
        }
        QCOMPARE(int(a[0].layout), int(mpq::InputLayout::Nhwc));
        mpq::ModelRunner ra = mpq::floatRunner(nhwc), rb = mpq::floatRunner(nchw);
        const auto ya = ra.run(a), yb = rb.run(b);
        QCOMPARE(ya.size(), std::size_t(1));
        QCOMPARE(ya[0].shape, yb[0].shape);
        for (std::size_t k = 0; k < ya[0].data.size(); ++k)
            QVERIFY(std::abs(ya[0].data[k] - yb[0].data[k]) <= 1e-5f);
        // the same images laid out NCHW do not fit the NHWC model: the layout is used
        QVERIFY_THROWS_EXCEPTION(mpq::Error, ra.run(b));

        mpq::AnalysisSettings s;
        s.bits = 4;
        s.maxPoints = 3;
        s.calibCount = 3;
        const mpq::Analysis an = mpq::analyze(nhwc, nhwcProfile, files, s);
        const mpq::Analysis bn = mpq::analyze(nchw, profile32(), files, s);
        QCOMPARE(an.curves.size(), bn.curves.size());
        for (std::size_t l = 0; l < an.curves.size(); ++l)
            for (std::size_t c = 0; c < an.curves[l].signal.size(); ++c)
                QVERIFY(std::abs(an.curves[l].signal[c] - bn.curves[l].signal[c]) <=
                        1e-4 * (1e-6 + std::abs(bn.curves[l].signal[c])));
    }

    // "layout" in the profile JSON: read, written back (only when not the default), checked.
    void layoutInProfileJson()
    {
        mpq::ModelProfile p = profile32();
        QVERIFY(mpq::profileToJson(p).find("layout") == std::string::npos);
        p.input.layout = mpq::InputLayout::Nhwc;
        const std::string json = mpq::profileToJson(p);
        QVERIFY(json.find("\"layout\": \"nhwc\"") != std::string::npos);
        QCOMPARE(int(mpq::parseProfile(json, "p.json").input.layout), int(mpq::InputLayout::Nhwc));
        const std::string nchw = R"({"task": "classification", "input": {"width": 8,
            "height": 8, "layout": "nchw"}})";
        QCOMPARE(int(mpq::parseProfile(nchw, "p.json").input.layout), int(mpq::InputLayout::Nchw));
        try {
            mpq::parseProfile(R"({"task": "classification", "input": {"width": 8, "height": 8,
                "layout": "hwc"}})",
                              "p.json");
            QFAIL("no error");
        } catch (const mpq::Error &e) {
            QCOMPARE(e.code(), mpq::ErrorCode::BadProfile);
            QVERIFY2(std::string(e.what()).find("input.layout") != std::string::npos, e.what());
        }
    }

    // The profile guess for a model without a profile reads the ONNX input (name, layout,
    // size) and outputs (one 2-D output: a classifier of that many classes).
    void profileGuessFromOnnx()
    {
        const mpq::Model nhwc = mpq::Model::load(kData + "nhwc.onnx");
        QCOMPARE(nhwc.declaredInputs().size(), std::size_t(1));
        QCOMPARE(nhwc.declaredInputs()[0].name, std::string("input"));
        QCOMPARE(nhwc.declaredInputs()[0].shape, (std::vector<std::int64_t>{-1, 32, 32, 3}));
        QCOMPARE(nhwc.declaredOutputs().at(0).shape, (std::vector<std::int64_t>{-1, 10}));
        mpq::ModelProfile g = mpq::guessProfile(nhwc);
        QCOMPARE(int(g.input.layout), int(mpq::InputLayout::Nhwc));
        QCOMPARE(g.input.width, 32);
        QCOMPARE(g.input.height, 32);
        QCOMPARE(g.input.channels, 3);
        QCOMPARE(int(g.task), int(mpq::Task::Classification));
        QCOMPARE(g.labels.size(), std::size_t(10));
        g = mpq::guessProfile(mpq::Model::load(kData + "cnn_bn.onnx"));
        QCOMPARE(int(g.input.layout), int(mpq::InputLayout::Nchw));
        QCOMPARE(g.input.width, 32);
        // the demo classifier's ONNX twin: 1 x 28 x 28 gray, 10 classes
        g = mpq::guessProfile(mpq::Model::load(kSamples + "fashion/fashion_resnet.onnx"));
        QCOMPARE(int(g.input.layout), int(mpq::InputLayout::Nchw));
        QCOMPARE(int(g.input.color), int(mpq::ColorOrder::Gray));
        QCOMPARE(g.input.width, 28);
        QCOMPARE(g.labels.size(), std::size_t(10));
        // a TorchScript model declares nothing: the guess keeps to its layers and name
        const mpq::Model pt = mpq::Model::load(kData + "cnn_bn.pt");
        QVERIFY(pt.declaredInputs().empty());
        g = mpq::guessProfile(pt);
        QCOMPARE(g.input.width, 224);
        QCOMPARE(g.labels.size(), std::size_t(10));
        // an input whose name says nhwc, with an ambiguous shape
        g = mpq::guessProfile("m.onnx", {}, {{"images_nhwc", {-1, 3, 3, 3}}}, {});
        QCOMPARE(int(g.input.layout), int(mpq::InputLayout::Nhwc));
    }

    // The demo models ship as ONNX too (resources/samples, torch.onnx.export of the same
    // modules): each imports with its TorchScript twin's layers, gives its outputs within
    // 1e-4 on the sample images and the same analysis.
    void demoModelsMatchTwins_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("images");
        QTest::newRow("fashion") << "fashion/fashion_resnet"
                                 << "fashion/test";
        QTest::newRow("centernet") << "centernet/centernet_mbv3"
                                   << "images";
    }

    void demoModelsMatchTwins()
    {
        QFETCH(QString, model);
        QFETCH(QString, images);
        const std::string base = kSamples + model.toStdString();
        const mpq::Model onnx = mpq::Model::load(base + ".onnx");
        const mpq::Model twin = mpq::Model::load(base + ".pt");
        QCOMPARE(int(onnx.format()), int(mpq::ModelFormat::Onnx));
        QCOMPARE(onnx.layers().size(), twin.layers().size());
        for (std::size_t i = 0; i < twin.layers().size(); ++i) {
            std::string mapped = twin.layers()[i].name;
            std::replace(mapped.begin(), mapped.end(), '.', '_');
            QCOMPARE(onnx.layers()[i].name, mapped);
            QCOMPARE(onnx.layers()[i].weightShape, twin.layers()[i].weightShape);
            QCOMPARE(onnx.layers()[i].foldedBatchNorm.empty(),
                     twin.layers()[i].foldedBatchNorm.empty());
        }
        // the same profile serves both files (MODEL.profile.json beside either)
        const mpq::ModelProfile profile = mpq::loadProfile(base + ".profile.json");
        std::vector<std::string> files =
            mpq::chooseImages(mpq::findImages(kSamples + images.toStdString()), 4);
        std::vector<mpq::PreparedImage> batch;
        for (const auto &f : files)
            batch.push_back(mpq::prepareImage(f, profile.input));
        mpq::ModelRunner ra = mpq::floatRunner(onnx), rb = mpq::floatRunner(twin);
        const auto ya = ra.run(batch), yb = rb.run(batch);
        QCOMPARE(ya.size(), yb.size());
        for (std::size_t o = 0; o < ya.size(); ++o) {
            QCOMPARE(ya[o].shape, yb[o].shape);
            float scale = 0;
            for (float v : yb[o].data)
                scale = std::max(scale, std::abs(v));
            for (std::size_t k = 0; k < ya[o].data.size(); ++k)
                QVERIFY2(std::abs(ya[o].data[k] - yb[o].data[k]) <= 1e-4f * (1 + scale),
                         qPrintable(QString("output %1 element %2: %3 vs %4")
                                        .arg(o)
                                        .arg(k)
                                        .arg(ya[o].data[k])
                                        .arg(yb[o].data[k])));
        }
        mpq::AnalysisSettings s;
        s.bits = 4;
        s.maxPoints = 3;
        s.calibCount = model.contains("centernet") ? 1 : 8;
        const mpq::Analysis a = mpq::analyze(onnx, profile, files, s);
        const mpq::Analysis b = mpq::analyze(twin, profile, files, s);
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

    // The map to the ONNX graph travels in the module.
    void layerMapKept()
    {
        const std::string path = kData + "cnn_fused.onnx";
        mpq::OnnxImport im = mpq::importOnnx(path, mpq::readModelFile(path));
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
        const std::string good = mpq::readModelFile(kData + "cnn_fused.onnx");
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
