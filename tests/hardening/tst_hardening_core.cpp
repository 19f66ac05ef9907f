// Hardening of the core against bad model files: broken and foreign TorchScript and ONNX files
// and malformed profiles (tst_hardening_files has images, annotations and destinations). Each
// case must end in mpq::Error with the documented code and a message that names the file and the
// problem; nothing may crash.
#include "badfiles.h"
#include "hardeningfixture.h"

#include "mpq/error.h"
#include "mpq/eval.h"
#include "mpq/images.h"
#include "mpq/model.h"
#include "mpq/profile.h"

#include <QtTest>

#include <onnx/onnx_pb.h>

#include <cmath>
#include <functional>

Q_DECLARE_METATYPE(mpq::ErrorCode)

// Small ONNX graphs built with the ONNX library's messages: one 1x1 Conv (valid), or that Conv
// with one defect.
namespace onnxtest {
enum Defect { Valid, External, Unsupported, NoLayer, NanWeight, NewOpset, TwoInputs };
std::string conv(Defect defect)
{
    onnx::ModelProto m;
    m.set_ir_version(8);
    auto *opset = m.add_opset_import();
    opset->set_domain("");
    opset->set_version(defect == NewOpset ? 99 : 13);
    auto *g = m.mutable_graph();
    g->set_name("g");
    const auto addInput = [&](const char *name) {
        auto *in = g->add_input();
        in->set_name(name);
        auto *t = in->mutable_type()->mutable_tensor_type();
        t->set_elem_type(onnx::TensorProto::FLOAT);
        for (int d : {1, 2, 4, 4})
            t->mutable_shape()->add_dim()->set_dim_value(d);
    };
    addInput("x");
    if (defect == TwoInputs)
        addInput("x2");
    auto *out = g->add_output();
    out->set_name("y");
    out->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
    out->mutable_type()->mutable_tensor_type()->mutable_shape();
    auto *w = g->add_initializer();
    w->set_name("conv.weight");
    w->set_data_type(onnx::TensorProto::FLOAT);
    for (int d : {3, 2, 1, 1})
        w->add_dims(d);
    if (defect == External) {
        w->set_data_location(onnx::TensorProto::EXTERNAL);
        auto *kv = w->add_external_data();
        kv->set_key("location");
        kv->set_value("conv_weights.bin");
    } else {
        for (int i = 0; i < 6; ++i)
            w->add_float_data(defect == NanWeight && i == 2 ? std::nanf("") : 0.1f * (i + 1));
    }
    auto *n = g->add_node();
    n->set_name("conv");
    n->add_input("x");
    if (defect == NoLayer) {
        n->set_op_type("Relu");
        n->add_output("y");
        g->clear_initializer();
    } else if (defect == Unsupported) {
        n->set_op_type("Relu");
        n->add_output("r");
        auto *u = g->add_node();
        u->set_name("gather_3");
        u->set_op_type("GatherElements");
        u->add_input("r");
        u->add_input("r");
        u->add_output("y");
        g->clear_initializer();
    } else {
        n->set_op_type("Conv");
        n->add_input("conv.weight");
        n->add_output(defect == TwoInputs ? "c" : "y");
        if (defect == TwoInputs) {
            auto *a = g->add_node();
            a->set_op_type("Add");
            a->add_input("c");
            a->add_input("x2");
            a->add_output("y");
        }
    }
    std::string bytes;
    m.SerializeToString(&bytes);
    return bytes;
}
} // namespace onnxtest

using namespace hardening;

class TestHardeningCore : public HardeningFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { setUpCase(); }
    void cleanupTestCase() { qInfo("hardening (core): %d bad-input cases run", m_cases); }

    void badModel_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("bytes"); // empty with create=false: the file is not made
        QTest::addColumn<bool>("create");
        QTest::addColumn<mpq::ErrorCode>("code");
        QTest::addColumn<QString>("problem");
        const auto bytes = [](const std::string &s) { return QByteArray::fromStdString(s); };
        const QString damaged = "not a TorchScript model, or a damaged one";
        const auto B = mpq::ErrorCode::BadModel;
        QTest::newRow("missing") << "missing.pt" << QByteArray() << false << B
                                 << "cannot open the file";
        QTest::newRow("folder") << "folder.pt" << QByteArray() << false << B << "is a folder";
        QTest::newRow("empty") << "empty.pt" << QByteArray() << true << B << "the file is empty";
        QTest::newRow("one byte") << "one.pt" << QByteArray("P") << true << B << damaged;
        QTest::newRow("random bytes")
            << "random.pt" << bytes(badfiles::randomBytes(5000, 1)) << true << B << damaged;
        QTest::newRow("zip magic then random")
            << "zipmagic.pt" << bytes("PK\x03\x04" + badfiles::randomBytes(2000, 2)) << true << B
            << damaged;
        QTest::newRow("zip, not TorchScript")
            << "notes.pt" << bytes(badfiles::zipWithFile("notes/readme.txt", "hello")) << true << B
            << damaged;
        QTest::newRow("zip with a fake data.pkl")
            << "fakepkl.pt" << bytes(badfiles::zipWithFile("archive/data.pkl", "\x80\x02garbage"))
            << true << B << damaged;
        QTest::newRow("JSON text")
            << "text.pt" << QByteArray("{\"task\": \"classification\"}") << true << B << damaged;
        for (const double fraction : {0.05, 0.5, 0.9, 0.999}) {
            const std::string cut = m_model.substr(0, std::size_t(m_model.size() * fraction));
            QTest::addRow("truncated at %g %%", fraction * 100)
                << QString("truncated%1.pt").arg(int(fraction * 1000)) << bytes(cut) << true << B
                << damaged;
        }
        // The central directory at the end is intact, the first record (a weight tensor) is
        // not: LibTorch itself would load it as different weights.
        std::string torn = m_model;
        for (std::size_t i = 30; i < 400 && i < torn.size(); ++i)
            torn[i] = char(torn[i] ^ 0x5a);
        QTest::newRow("torn first record")
            << "torn.pt" << bytes(torn) << true << B << "fails its CRC-32 check";
        std::string flipped = m_model;
        flipped[200] = char(flipped[200] ^ 0x01);
        QTest::newRow("one flipped bit")
            << "flipped.pt" << bytes(flipped) << true << B << "fails its CRC-32 check";
        QTest::newRow("no quantizable layer")
            << "nolayer.pt" << QByteArray() << false << B << "no quantizable layer";
        QTest::newRow("NaN weights") << "nan.pt" << QByteArray() << false
                                     << mpq::ErrorCode::NonFinite << "has NaN or Inf weights";
    }

    void badModel()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, bytes);
        QFETCH(bool, create);
        QFETCH(mpq::ErrorCode, code);
        QFETCH(QString, problem);
        const QString p = path(file);
        if (create)
            writeBytes(p, bytes.toStdString());
        if (file == "nolayer.pt")
            mpqtest::saveNoLayerNet(p.toStdString());
        if (file == "nan.pt")
            mpqtest::saveNanNet(p.toStdString());
        expectError([&] { mpq::Model::load(p.toStdString()); }, code, p, problem);
    }

    // ONNX files (docs/onnx.md section 3): each a clear error naming the file.
    void badOnnx_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<mpq::ErrorCode>("code");
        QTest::addColumn<QString>("problem");
        const auto bytes = [](const std::string &s) { return QByteArray::fromStdString(s); };
        const auto B = mpq::ErrorCode::BadModel;
        const std::string good = readBytes(MPQ_TEST_DATA_DIR "/onnx/cnn_fused.onnx");
        QVERIFY(good.size() > 1000);
        for (const double fraction : {0.01, 0.5, 0.9}) {
            QTest::addRow("onnx truncated at %g %%", fraction * 100)
                << QString("truncated%1.onnx").arg(int(fraction * 1000))
                << bytes(good.substr(0, std::size_t(good.size() * fraction))) << B << "";
        }
        QTest::newRow("onnx random bytes")
            << "random.onnx" << bytes(badfiles::randomBytes(5000, 3)) << B << "";
        QTest::newRow("onnx external data missing")
            << "external.onnx" << bytes(onnxtest::conv(onnxtest::External)) << B
            << "missing external data file";
        QTest::newRow("onnx unsupported operator")
            << "loop.onnx" << bytes(onnxtest::conv(onnxtest::Unsupported)) << B
            << "operator GatherElements";
        QTest::newRow("onnx no quantizable layer")
            << "relu.onnx" << bytes(onnxtest::conv(onnxtest::NoLayer)) << B
            << "no quantizable layer";
        QTest::newRow("onnx NaN initializer")
            << "nan.onnx" << bytes(onnxtest::conv(onnxtest::NanWeight)) << mpq::ErrorCode::NonFinite
            << "has NaN or Inf weights";
        QTest::newRow("onnx opset too new")
            << "opset.onnx" << bytes(onnxtest::conv(onnxtest::NewOpset)) << B
            << "is newer than the ONNX library knows";
        QTest::newRow("onnx two inputs")
            << "twoinputs.onnx" << bytes(onnxtest::conv(onnxtest::TwoInputs)) << B
            << "one image input";
    }

    void badOnnx()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, bytes);
        QFETCH(mpq::ErrorCode, code);
        QFETCH(QString, problem);
        const QString p = path(file);
        writeBytes(p, bytes.toStdString());
        // the valid twin of the generated cases loads (so each case fails for its own reason)
        if (file == "external.onnx") {
            const QString ok = path("ok.onnx");
            writeBytes(ok, onnxtest::conv(onnxtest::Valid));
            QCOMPARE(mpq::Model::load(ok.toStdString()).layers().size(), std::size_t(1));
        }
        expectError([&] { mpq::Model::load(p.toStdString()); }, code, p, problem);
    }

    void badProfile_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("problem");
        const QByteArray head = R"({"task": "classification", "input": )";
        const auto withInput = [&](const char *input) { return head + input + "}"; };
        QTest::newRow("empty") << QByteArray() << "invalid JSON at byte";
        QTest::newRow("not JSON") << QByteArray("task: classification") << "invalid JSON";
        QTest::newRow("cut short") << withInput(R"({"width": 22)").left(40) << "invalid JSON";
        QTest::newRow("NUL inside") << QByteArray("{\"task\"\0: 1}", 12) << "invalid JSON";
        QTest::newRow("bad UTF-8") << QByteArray("{\"task\": \"\xff\xfe\"}") << "invalid JSON";
        QTest::newRow("array root") << QByteArray("[1, 2]") << "expected a JSON object, got array";
        QTest::newRow("string root") << QByteArray("\"profile\"") << "got string";
        QTest::newRow("deep nesting")
            << QByteArray(100000, '[') + QByteArray(100000, ']') << "expected a JSON object";
        QTest::newRow("task null")
            << QByteArray(R"({"task": null, "input": {}})") << "task: expected a string, got null";
        QTest::newRow("task number")
            << QByteArray(R"({"task": 1})") << "task: expected a string, got integer";
        QTest::newRow("task unknown")
            << QByteArray(R"({"task": "segmentation"})") << "task: unknown value \"segmentation\"";
        QTest::newRow("input missing")
            << QByteArray(R"({"task": "classification"})") << "input: missing required field";
        QTest::newRow("input array") << withInput("[224, 224]") << "input: expected an object";
        QTest::newRow("width string") << withInput(R"({"width": "224", "height": 224})")
                                      << "input.width: expected an integer, got string";
        QTest::newRow("width fraction") << withInput(R"({"width": 224.5, "height": 224})")
                                        << "input.width: expected an integer, got number";
        QTest::newRow("width bool") << withInput(R"({"width": true, "height": 224})")
                                    << "input.width: expected an integer, got boolean";
        QTest::newRow("width zero") << withInput(R"({"width": 0, "height": 224})")
                                    << "input.width: must be between 1 and 8192";
        QTest::newRow("width 2^64")
            << withInput(R"({"width": 18446744073709551616, "height": 1})") << "input.width";
        QTest::newRow("height -2^63-1")
            << withInput(R"({"width": 1, "height": -9223372036854775809})") << "input.height";
        QTest::newRow("height 1e400")
            << withInput(R"({"width": 1, "height": 1e400})") << "invalid JSON";
        QTest::newRow("channels mismatch")
            << withInput(R"({"width": 8, "height": 8, "color": "gray", "channels": 3})")
            << "input.channels: 3 does not match color \"gray\"";
        QTest::newRow("mean scalar") << withInput(R"({"width": 8, "height": 8, "mean": 0.5})")
                                     << "input.mean: expected an array of numbers, got number";
        QTest::newRow("mean short") << withInput(R"({"width": 8, "height": 8, "mean": [0.5]})")
                                    << "input.mean: expected 3 values";
        QTest::newRow("mean string item")
            << withInput(R"({"width": 8, "height": 8, "mean": [0.5, "0.5", 0.5]})")
            << "input.mean[1]: expected a number, got string";
        QTest::newRow("std zero") << withInput(R"({"width": 8, "height": 8, "std": [1, 1, 0]})")
                                  << "input.std[2]: must be greater than 0";
        QTest::newRow("scale negative") << withInput(R"({"width": 8, "height": 8, "scale": -1})")
                                        << "input.scale: must be greater than 0";
        QTest::newRow("unknown key") << withInput(R"({"width": 8, "height": 8, "colour": "rgb"})")
                                     << "input.colour: unknown key";
        QTest::newRow("normalized string")
            << QByteArray(R"({"task": "detection", "input": {"width": 8, "height": 8},
                              "output": {"decoder": "yolo", "normalized": "yes"}})")
            << "output.normalized: expected a boolean, got string";
        QTest::newRow("top_k float")
            << QByteArray(R"({"task": "classification", "input": {"width": 8, "height": 8},
                              "output": {"top_k": 1.5}})")
            << "output.top_k: expected an integer, got number";
        QTest::newRow("labels object")
            << QByteArray(R"({"task": "classification", "input": {"width": 8, "height": 8},
                              "labels": {"0": "cat"}})")
            << "labels: expected an array of strings, got object";
        QTest::newRow("labels number item")
            << QByteArray(R"({"task": "classification", "input": {"width": 8, "height": 8},
                              "labels": ["cat", 7]})")
            << "labels[1]: expected a string, got integer";
        QTest::newRow("labels_file missing")
            << QByteArray(R"({"task": "classification", "input": {"width": 8, "height": 8},
                              "labels_file": "nothere.txt"})")
            << "labels_file: cannot read";
        QTest::newRow("labels_file folder")
            << QByteArray(R"({"task": "classification", "input": {"width": 8, "height": 8},
                              "labels_file": "folder.pt"})")
            << "is a folder";
    }

    void badProfile()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, problem);
        const QString p = path("bad.profile.json");
        writeBytes(p, json.toStdString());
        // through the file reader, as the CLI and the GUI read it
        expectError([&] { mpq::loadProfile(p.toStdString()); }, mpq::ErrorCode::BadProfile, p,
                    problem);
    }

    void badProfileFile_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("problem");
        QTest::newRow("missing") << "nothere.profile.json"
                                 << "No such file";
        QTest::newRow("folder") << "folder.pt"
                                << "is a folder";
        QTest::newRow("huge") << "huge.profile.json"
                              << "larger than 16 MiB";
        QTest::newRow("binary") << "binary.profile.json"
                                << "invalid JSON";
    }

    void badProfileFile()
    {
        QFETCH(QString, file);
        QFETCH(QString, problem);
        if (file == "huge.profile.json")
            writeBytes(path(file), "[" + std::string(17u << 20, ' ') + "]");
        if (file == "binary.profile.json")
            writeBytes(path(file), m_model);
        const QString p = path(file);
        expectError([&] { mpq::loadProfile(p.toStdString()); }, mpq::ErrorCode::BadProfile, p,
                    problem);
    }
};

QTEST_GUILESS_MAIN(TestHardeningCore)
#include "tst_hardening_core.moc"
