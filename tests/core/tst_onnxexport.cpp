// The ONNX exports (docs/onnx.md section 5) on the committed ONNX fixtures (tests/data/onnx,
// made by tests/data/make_onnx_fixtures.py): onnx-fakequant and onnx-qdq pass the ONNX checker,
// re-import and match the in-app quantized model, carry the manifest; onnx-qdq's structure
// (int8 weights, DequantizeLinear on axis 0, one extra operation per further point, no
// summation convolution, rows with scale 0 dropped); a TorchScript source is refused; an
// onnx-fakequant file runs in OpenCV's DNN module like the in-app model; an unwritable
// destination leaves nothing.
#include "mpq/error.h"
#include "mpq/images.h"
#include "mpq/pipeline.h"
#include "mpq/runner.h"

#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <opencv2/dnn.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace fs = std::filesystem;

namespace {

const std::string kData = MPQ_TEST_DATA_DIR "/onnx/";

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

onnx::ModelProto readModel(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    onnx::ModelProto m;
    if (!m.ParseFromString(s.str()))
        throw std::runtime_error(path + ": does not parse");
    return m;
}

/// A float tensor file (onnx.TensorProto): its dims and values.
std::pair<std::vector<std::int64_t>, std::vector<float>> readTensor(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    onnx::TensorProto t;
    if (!t.ParseFromString(s.str()) || t.data_type() != onnx::TensorProto::FLOAT)
        throw std::runtime_error(path + ": not a float TensorProto");
    std::vector<std::int64_t> dims(t.dims().begin(), t.dims().end());
    std::vector<float> v;
    if (!t.raw_data().empty()) {
        v.resize(t.raw_data().size() / 4);
        std::memcpy(v.data(), t.raw_data().data(), v.size() * 4);
    } else {
        v.assign(t.float_data().begin(), t.float_data().end());
    }
    return {dims, v};
}

std::int64_t intAttr(const onnx::NodeProto &n, const std::string &name, std::int64_t fallback)
{
    for (const auto &a : n.attribute())
        if (a.name() == name)
            return a.i();
    return fallback;
}

} // namespace

class TestOnnxExport : public QObject
{
    Q_OBJECT

    QTemporaryDir m_images;
    std::vector<std::string> m_files;

    mpq::OpenedModel open(const std::string &path)
    {
        mpq::OpenedModel o;
        o.path = path;
        o.model = std::make_shared<const mpq::Model>(mpq::Model::load(path));
        o.hasProfile = true;
        o.profile = profile32();
        return o;
    }

    mpq::Quantization quantize(const mpq::OpenedModel &o, int activationBits, double epsilon)
    {
        mpq::AnalysisSettings s;
        s.bits = 4;
        s.maxPoints = 3;
        s.calibCount = 4;
        s.activationBits = activationBits;
        // The committed ONNX Runtime outputs (tests/data/onnx/qdq) were made from allocations of
        // the paper's unweighted threshold rule and its nearest rounding; these tests check the
        // writer, not the rule.
        s.sensitivity = false;
        s.rounding = mpq::Rounding::Nearest;
        auto a =
            std::make_shared<const mpq::Analysis>(mpq::analyze(*o.model, o.profile, m_files, s));
        mpq::AllocationSettings as;
        as.rule = mpq::AllocationRule::Threshold;
        as.epsilon = epsilon;
        as.sensitivityWeighted = false;
        as.biasCorrection = false;
        return mpq::quantize(o, a, as);
    }

private slots:
    void initTestCase()
    {
        std::mt19937 rng(7);
        for (int i = 0; i < 4; ++i) {
            QImage img(40, 36, QImage::Format_RGB32);
            for (int y = 0; y < img.height(); ++y)
                for (int x = 0; x < img.width(); ++x)
                    img.setPixel(x, y, qRgb(rng() % 256, rng() % 256, rng() % 256));
            QVERIFY(img.save(m_images.filePath(QString("%1.png").arg(i))));
        }
        m_files = mpq::findImages(m_images.path().toStdString());
        QCOMPARE(m_files.size(), std::size_t(4));
    }

    // Both formats on every fixture: checker, re-import, verification within 1e-4, manifest.
    void bothFormatsVerify_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("activationBits");
        for (const char *f : {"cnn_bn", "cnn_fused", "depthwise", "gemm_head", "residual"})
            for (const char *fmt : {"onnx-fakequant", "onnx-qdq"})
                for (int act : {0, 8})
                    QTest::newRow((std::string(f) + " " + fmt + " a" + std::to_string(act)).c_str())
                        << f << fmt << act;
    }
    void bothFormatsVerify()
    {
        QFETCH(QString, fixture);
        QFETCH(QString, format);
        QFETCH(int, activationBits);
        const mpq::OpenedModel o = open(kData + fixture.toStdString() + ".onnx");
        const mpq::Quantization q = quantize(o, activationBits, 1e-3);
        QTemporaryDir dir;
        const std::string path = dir.filePath("out.onnx").toStdString();
        const mpq::ExportOutcome out = mpq::exportQuantization(
            o, q, mpq::exportFormatFromWord(format.toStdString()), path, true, "test-1.0");
        QVERIFY(out.verified);
        QCOMPARE(out.verification.images, 4);
        QVERIFY2(out.verification.maxRelativeDifference <= mpq::kVerifyTolerance,
                 std::to_string(out.verification.maxRelativeDifference).c_str());
        const onnx::ModelProto m = readModel(path);
        onnx::checker::check_model(m); // throws on failure
        bool manifest = false;
        for (const auto &p : m.metadata_props())
            if (p.key() == "mpq_manifest") {
                manifest = p.value().find("\"format\": \"" + format.toStdString() + "\"") !=
                           std::string::npos;
            }
        QVERIFY(manifest);
        // the export re-imports with the same number of outputs and its layers found
        const mpq::Model reloaded = mpq::Model::load(path);
        QVERIFY(!reloaded.layers().empty());
        if (format == "onnx-qdq") {
            QVERIFY(out.expanded);
            QVERIFY(out.expandedExport.macs > 0);
        }
    }

    // onnx-qdq's structure on the depthwise/grouped fixture with several points per channel.
    void qdqStructure()
    {
        for (const char *f : {"depthwise", "cnn_bn", "gemm_head"}) {
            const mpq::OpenedModel o = open(kData + f + ".onnx");
            const mpq::Quantization q = quantize(o, 0, 1e-4);
            QTemporaryDir dir;
            const std::string path = dir.filePath("q.onnx").toStdString();
            const mpq::ExportOutcome out =
                mpq::exportQuantization(o, q, mpq::ExportFormat::OnnxQdq, path, false, "t");
            const onnx::ModelProto m = readModel(path);
            std::map<std::string, const onnx::TensorProto *> inits;
            for (const auto &t : m.graph().initializer())
                inits[t.name()] = &t;
            int dq = 0, layersRun = 0, gemms = 0;
            for (const auto &n : m.graph().node()) {
                if (n.op_type() == "DequantizeLinear" && inits.count(n.input(0))) {
                    ++dq;
                    const onnx::TensorProto &w = *inits[n.input(0)];
                    QCOMPARE(w.data_type(), int(onnx::TensorProto::INT8));
                    // the weight's output axis: 0 for Conv and Gemm (transB = 1), 1 for a
                    // MatMul's (in, out) weight
                    std::string consumer;
                    for (const auto &c : m.graph().node())
                        for (const auto &in : c.input())
                            if (in == n.output(0))
                                consumer = c.op_type();
                    const std::int64_t axis = consumer == "MatMul" ? 1 : 0;
                    QCOMPARE(intAttr(n, "axis", 1), axis);
                    if (consumer == "Gemm")
                        ++gemms;
                    const onnx::TensorProto &s = *inits[n.input(1)];
                    QCOMPARE(s.dims(0), w.dims(int(axis))); // one scale per row
                    const float *sc = reinterpret_cast<const float *>(s.raw_data().data());
                    // extra rows of scale 0 are dropped
                    if (n.input(0).find(".point") != std::string::npos)
                        for (int r = 0; r < s.dims(0); ++r)
                            QVERIFY(sc[r] != 0.0f);
                }
                if (n.op_type() == "Gemm")
                    QCOMPARE(intAttr(n, "transB", 0), std::int64_t(1));
                if (n.op_type() == "Conv" || n.op_type() == "Gemm") {
                    ++layersRun;
                    // no float weight initializer on a quantized layer, no dense summation conv
                    QVERIFY(!inits.count(n.input(1)) ||
                            inits[n.input(1)]->data_type() != onnx::TensorProto::FLOAT);
                }
            }
            // one operation per layer and per further point of its channels
            std::int64_t expected = 0, rows = 0;
            for (const auto &la : q.allocation.layers) {
                if (la.isFloat)
                    continue;
                expected += la.maxPoints;
                rows += la.extraWeights;
            }
            QVERIFY(dq > 0);
            QVERIFY(layersRun > 0);
            if (std::string(f) == "gemm_head")
                QVERIFY(gemms > 0);
            QCOMPARE(std::int64_t(dq), expected);
            QVERIFY(out.expandedExport.extraMacsRun <= out.expandedExport.extraMacsPredicted);
            QVERIFY(rows > 0); // the fixture really has further points at this epsilon
        }
    }

    // onnx-qdq against ONNX Runtime: tests/data/make_onnx_fixtures.py --onnxruntime ran the
    // committed exports tests/data/onnx/qdq/NAME-qdq.onnx (written by this test with
    // MPQ_WRITE_QDQ_FIXTURES=DIR) in onnxruntime-node on NAME_input.pb and committed the outputs
    // NAME-qdq_ort_output.pb. This run's export of the same fixture, re-imported, gives them.
    void qdqMatchesOnnxRuntime_data()
    {
        QTest::addColumn<QString>("fixture");
        for (const char *f : {"cnn_bn", "cnn_fused", "depthwise", "gemm_head", "residual"})
            QTest::newRow(f) << f;
    }
    void qdqMatchesOnnxRuntime()
    {
        QFETCH(QString, fixture);
        const std::string name = fixture.toStdString();
        const mpq::OpenedModel o = open(kData + name + ".onnx");
        const mpq::Quantization q = quantize(o, 0, 1e-3);
        QTemporaryDir dir;
        std::string path = dir.filePath("q.onnx").toStdString();
        if (const char *out = std::getenv("MPQ_WRITE_QDQ_FIXTURES"))
            path = std::string(out) + "/" + name + "-qdq.onnx";
        mpq::exportQuantization(o, q, mpq::ExportFormat::OnnxQdq, path, false, "fixture");
        const std::string ortFile = kData + "qdq/" + name + "-qdq_ort_output.pb";
        if (!fs::exists(ortFile))
            QFAIL(("missing " + ortFile + ": run tests/data/make_onnx_fixtures.py --onnxruntime")
                      .c_str());
        const auto [inDims, input] = readTensor(kData + name + "_input.pb");
        const auto [outDims, expected] = readTensor(ortFile);
        QCOMPARE(inDims.size(), std::size_t(4));
        std::vector<mpq::PreparedImage> batch(inDims[0]);
        const std::size_t per = input.size() / inDims[0];
        for (std::size_t b = 0; b < batch.size(); ++b) {
            batch[b].channels = int(inDims[1]);
            batch[b].height = int(inDims[2]);
            batch[b].width = int(inDims[3]);
            batch[b].data.assign(input.begin() + b * per, input.begin() + (b + 1) * per);
        }
        mpq::ModelRunner reloaded = mpq::floatRunner(mpq::Model::load(path));
        const std::vector<mpq::OutputTensor> got = reloaded.run(batch);
        QCOMPARE(got.at(0).data.size(), expected.size());
        double diff = 0, scale = 0;
        for (std::size_t i = 0; i < expected.size(); ++i) {
            diff = std::max(diff, double(std::abs(got[0].data[i] - expected[i])));
            scale = std::max(scale, double(std::abs(expected[i])));
        }
        QVERIFY2(diff <= 1e-4 * scale, std::to_string(diff / scale).c_str());
    }

    // Rows of scale 0 are dropped: a model whose weights lie on the 4-bit grid (an
    // onnx-fakequant export with one point per channel), given 3 points per channel by a Points
    // override, has extra points of scale 0 only; onnx-qdq runs no extra row for them and still
    // matches the in-app model.
    void zeroScaleRowsDropped()
    {
        QTemporaryDir dir;
        const std::string grid = dir.filePath("grid.onnx").toStdString();
        {
            const mpq::OpenedModel o = open(kData + "cnn_fused.onnx");
            const mpq::Quantization q = quantize(o, 0, 1e3); // one point everywhere
            for (const auto &la : q.allocation.layers)
                QCOMPARE(la.maxPoints, 1);
            mpq::exportQuantization(o, q, mpq::ExportFormat::OnnxFakeQuant, grid, false, "t");
        }
        const mpq::OpenedModel o = open(grid);
        mpq::AnalysisSettings s;
        s.bits = 4;
        s.maxPoints = 3;
        s.calibCount = 4;
        auto a =
            std::make_shared<const mpq::Analysis>(mpq::analyze(*o.model, o.profile, m_files, s));
        mpq::AllocationSettings as;
        for (const auto &l : o.model->layers())
            as.overrides[l.name] = {mpq::LayerOverride::Kind::Points, 3, 0};
        const mpq::Quantization q = mpq::quantize(o, a, as);
        std::int64_t predicted = 0, zeroRows = 0;
        for (std::size_t i = 0; i < q.allocation.layers.size(); ++i) {
            const auto &la = q.allocation.layers[i];
            QCOMPARE(la.maxPoints, 3);
            predicted += la.extraWeights;
            for (std::size_t c = 0; c < la.points.size(); ++c)
                for (int n = 1; n < la.points[c]; ++n)
                    zeroRows += a->decompositions[i].scale(std::int64_t(c), n) == 0.0f;
        }
        QVERIFY(predicted > 0);
        QVERIFY(zeroRows > 0); // the construction works: some extra points have scale 0
        const std::string path = dir.filePath("q.onnx").toStdString();
        const mpq::ExportOutcome out =
            mpq::exportQuantization(o, q, mpq::ExportFormat::OnnxQdq, path, true, "t");
        QVERIFY(out.verification.maxRelativeDifference <= mpq::kVerifyTolerance);
        std::int64_t rows = 0, rowsRun = 0;
        for (const auto &l : out.expandedExport.layers) {
            rows += l.extraRows;
            rowsRun += l.extraRowsRun;
        }
        QCOMPARE(rowsRun, rows - zeroRows);
    }

    // The command line: `mpq export M.onnx --format onnx-qdq` prints the MACs the file runs
    // against the float model's and its verification; a TorchScript source exits 2 with the
    // message, nothing written.
    void commandLine()
    {
        QTemporaryDir dir;
        QFile::copy(QString::fromStdString(kData + "depthwise.onnx"), dir.filePath("m.onnx"));
        QFile::copy(QString::fromStdString(kData + "cnn_bn.pt"), dir.filePath("t.pt"));
        for (const char *name : {"m", "t"}) {
            QFile profile(dir.filePath(QString(name) + ".profile.json"));
            QVERIFY(profile.open(QIODevice::WriteOnly));
            profile.write(R"({"task": "classification", "input": {"width": 32, "height": 32,
                "channels": 3, "color": "rgb", "mean": [0.5, 0.5, 0.5],
                "std": [0.25, 0.25, 0.25]}})");
        }
        auto run = [&](const QString &model, const QString &format, const QString &out) {
            QProcess p;
            p.start(MPQ_CLI_PATH,
                    {"export", dir.filePath(model), "--calib", m_images.path(), "--bits", "4",
                     "--epsilon", "0.001", "--format", format, "-o", dir.filePath(out)});
            p.waitForFinished(300000);
            return std::make_tuple(p.exitCode(), QString(p.readAllStandardOutput()),
                                   QString(p.readAllStandardError()));
        };
        for (const char *format : {"onnx-qdq", "onnx-fakequant"}) {
            const auto [code, out, err] = run("m.onnx", format, "q.onnx");
            QVERIFY2(code == 0, qPrintable(err));
            QVERIFY2(out.contains("verified on 4 images"), qPrintable(out));
            if (QString(format) == "onnx-qdq")
                QVERIFY2(out.contains("MACs per image against the float model's"), qPrintable(out));
        }
        const auto [code, out, err] = run("t.pt", "onnx-qdq", "t.onnx");
        QCOMPARE(code, 2);
        QVERIFY2(err.contains("ONNX export needs an ONNX source model"), qPrintable(err));
        QVERIFY(!QFile::exists(dir.filePath("t.onnx")));
        // refused before any work: the model is not analysed (a missing calibration folder
        // is not even looked at)
        QProcess early;
        early.start(MPQ_CLI_PATH,
                    {"export", dir.filePath("t.pt"), "--calib", dir.filePath("no-such-folder"),
                     "--format", "onnx-fakequant", "-o", dir.filePath("t.onnx")});
        early.waitForFinished(300000);
        const QString earlyErr = early.readAllStandardError();
        QCOMPARE(early.exitCode(), 2);
        QVERIFY2(earlyErr.contains("ONNX export needs an ONNX source model"), qPrintable(earlyErr));
        QVERIFY2(!earlyErr.contains("analys"), qPrintable(earlyErr));
        QVERIFY(!QFile::exists(dir.filePath("t.onnx")));
    }

    // A TorchScript source is refused with a plain message; nothing is written.
    void torchScriptRefused()
    {
        const mpq::OpenedModel o = open(kData + "cnn_bn.pt");
        const mpq::Quantization q = quantize(o, 0, 1e-3);
        QTemporaryDir dir;
        const std::string path = dir.filePath("x.onnx").toStdString();
        for (auto f : {mpq::ExportFormat::OnnxFakeQuant, mpq::ExportFormat::OnnxQdq}) {
            try {
                mpq::exportQuantization(o, q, f, path, false, "t");
                QFAIL("no error");
            } catch (const mpq::Error &e) {
                QCOMPARE(e.code(), mpq::ErrorCode::InvalidArgument);
                QVERIFY(std::string(e.what()).find("ONNX export needs an ONNX source model") !=
                        std::string::npos);
            }
            QVERIFY(!fs::exists(path));
        }
    }

    // onnx-qdq refuses activation bits other than 8.
    void qdqRefusesOtherActivationBits()
    {
        const mpq::OpenedModel o = open(kData + "cnn_bn.onnx");
        const mpq::Quantization q = quantize(o, 6, 1e-3);
        QTemporaryDir dir;
        const std::string path = dir.filePath("x.onnx").toStdString();
        QVERIFY_THROWS_EXCEPTION(
            mpq::Error,
            mpq::exportQuantization(o, q, mpq::ExportFormat::OnnxQdq, path, false, "t"));
        QVERIFY(!fs::exists(path));
    }

    // An onnx-fakequant file runs in OpenCV 4.6's DNN module like the in-app model.
    void fakeQuantRunsInOpenCv()
    {
        const mpq::OpenedModel o = open(kData + "cnn_fused.onnx");
        const mpq::Quantization q = quantize(o, 0, 1e-3);
        QTemporaryDir dir;
        const std::string path = dir.filePath("f.onnx").toStdString();
        mpq::exportQuantization(o, q, mpq::ExportFormat::OnnxFakeQuant, path, false, "t");
        cv::dnn::Net net = cv::dnn::readNetFromONNX(path);
        const mpq::PreparedImage img = mpq::prepareImage(m_files[0], o.profile.input);
        mpq::ModelRunner inApp =
            mpq::quantizedRunner(*o.model, *q.analysis, q.allocation, *q.atBits);
        const std::vector<mpq::OutputTensor> ref = inApp.run({img});
        int sizes[] = {1, 3, 32, 32};
        cv::Mat blob(4, sizes, CV_32F, const_cast<float *>(img.data.data()));
        net.setInput(blob);
        const cv::Mat y = net.forward();
        QCOMPARE(std::size_t(y.total()), ref.at(0).data.size());
        double diff = 0, scale = 0;
        for (std::size_t i = 0; i < ref[0].data.size(); ++i) {
            diff = std::max(diff, double(std::abs(y.ptr<float>()[i] - ref[0].data[i])));
            scale = std::max(scale, double(std::abs(ref[0].data[i])));
        }
        QVERIFY2(diff <= 1e-4 * scale, std::to_string(diff / scale).c_str());
    }

    // An unwritable destination (its folder is a file): Error(Io), nothing left behind.
    void unwritableLeavesNothing()
    {
        const mpq::OpenedModel o = open(kData + "cnn_bn.onnx");
        const mpq::Quantization q = quantize(o, 0, 1e-3);
        QTemporaryDir dir;
        const fs::path file = dir.filePath("file").toStdString();
        std::ofstream(file) << "x";
        for (auto f : {mpq::ExportFormat::OnnxFakeQuant, mpq::ExportFormat::OnnxQdq}) {
            try {
                mpq::exportQuantization(o, q, f, (file / "x.onnx").string(), true, "t");
                QFAIL("no error");
            } catch (const mpq::Error &e) {
                QCOMPARE(e.code(), mpq::ErrorCode::Io);
            }
            QCOMPARE(std::distance(fs::directory_iterator(dir.path().toStdString()),
                                   fs::directory_iterator()),
                     std::ptrdiff_t(1));
        }
    }
};

QTEST_GUILESS_MAIN(TestOnnxExport)
#include "tst_onnxexport.moc"
