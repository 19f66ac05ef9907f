// Hardening of the core against bad input files: broken and foreign model files, malformed
// profiles, corrupt, empty, lying and hostile images, malformed annotations, and destinations
// that cannot be written. Each case must end in mpq::Error with the documented code and a
// message that names the file and the problem; nothing may crash or leave a partial file.
// Image and write cases run in a forked child, so that a crash fails one row instead of the
// suite and the child's peak memory can be measured.
#include "../core/testmodels.h"
#include "badfiles.h"

#include "mpq/error.h"
#include "mpq/eval.h"
#include "mpq/images.h"
#include "mpq/model.h"
#include "mpq/profile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <onnx/onnx_pb.h>

#include <cmath>
#include <functional>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

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

namespace {

void writeBytes(const QString &path, const std::string &bytes)
{
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(path));
    QCOMPARE(f.write(bytes.data(), qint64(bytes.size())), qint64(bytes.size()));
}

std::string readBytes(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll().toStdString();
}

QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden, QDir::Name);
}

/// What a function did in a forked child: the mpq::Error it threw (code, message), or none.
struct ChildOutcome
{
    bool exited = false;   ///< false: the child died from a signal (a crash)
    int signal = 0;        ///< the signal that ended it, when !exited
    bool threw = false;    ///< it threw mpq::Error
    bool foreign = false;  ///< it threw something else (a contract violation)
    int code = -1;         ///< the ErrorCode when threw
    std::string message;   ///< what()
    long peakGrowthKb = 0; ///< child's peak resident set minus the parent's resident set
};

long residentKb()
{
    long pages = 0, resident = 0;
    if (FILE *f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/// Runs fn in a child process (with setup, e.g. setrlimit, before it) and reports the outcome.
ChildOutcome inChild(const std::function<void()> &fn, const std::function<void()> &setup = {})
{
    ChildOutcome o;
    int fds[2];
    if (pipe(fds) != 0)
        return o;
    const long parentKb = residentKb();
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        if (setup)
            setup();
        std::string report = "none\n";
        try {
            fn();
        } catch (const mpq::Error &e) {
            report = "error\n" + std::to_string(int(e.code())) + "\n" + e.what();
        } catch (const std::exception &e) {
            report = std::string("foreign\n-1\n") + e.what();
        }
        std::size_t done = 0;
        while (done < report.size()) {
            const ssize_t n = write(fds[1], report.data() + done, report.size() - done);
            if (n <= 0)
                break;
            done += std::size_t(n);
        }
        _exit(0);
    }
    close(fds[1]);
    std::string report;
    char buffer[4096];
    ssize_t n;
    while ((n = read(fds[0], buffer, sizeof buffer)) > 0)
        report.append(buffer, std::size_t(n));
    close(fds[0]);
    int status = 0;
    struct rusage usage = {};
    wait4(pid, &status, 0, &usage);
    o.exited = WIFEXITED(status);
    o.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    o.peakGrowthKb = usage.ru_maxrss - parentKb;
    const std::size_t a = report.find('\n');
    const std::string kind = report.substr(0, a);
    o.threw = kind == "error";
    o.foreign = kind == "foreign";
    if (o.threw || o.foreign) {
        const std::size_t b = report.find('\n', a + 1);
        o.code = std::atoi(report.substr(a + 1, b - a - 1).c_str());
        o.message = report.substr(b + 1);
    }
    return o;
}

} // namespace

class TestHardeningCore : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_cases = 0;
    std::string m_model; // a valid TorchScript file's bytes

    QString path(const QString &name) const { return m_dir.filePath(name); }

    void expectError(const std::function<void()> &fn, mpq::ErrorCode code, const QString &file,
                     const QString &problem)
    {
        ++m_cases;
        try {
            fn();
        } catch (const mpq::Error &e) {
            const QString what = QString::fromStdString(e.what());
            QVERIFY2(e.code() == code,
                     qPrintable(QString("code %1 for: %2").arg(int(e.code())).arg(what)));
            QVERIFY2(what.contains(file), qPrintable("does not name the file: " + what));
            QVERIFY2(what.contains(problem), qPrintable("does not say '" + problem + "': " + what));
            return;
        } catch (const std::exception &e) {
            QFAIL(qPrintable(QString("not an mpq::Error: ") + e.what()));
        }
        QFAIL("no error");
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        mpqtest::saveConvNet(path("conv.pt").toStdString(), 3);
        m_model = readBytes(path("conv.pt"));
        QVERIFY(m_model.size() > 1000);
        QVERIFY(QDir().mkpath(path("folder.pt")));
    }

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

    void badImage_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("problem");
        QTest::addColumn<int>("maxGrowthMb"); // peak memory the attempt may take
        const auto bytes = [](const std::string &s) { return QByteArray::fromStdString(s); };
        const QString undecodable = "cannot decode";
        const QString tooLarge = "more than the limit of 100 megapixels";
        QTest::newRow("zero bytes") << "zero.png" << QByteArray() << "empty file" << 64;
        QTest::newRow("random bytes as png")
            << "random.png" << bytes(badfiles::randomBytes(4000, 3)) << undecodable << 64;
        QTest::newRow("text as jpg")
            << "text.jpg" << QByteArray("this is not an image\n") << undecodable << 64;
        QTest::newRow("model as webp") << "model.webp" << bytes(m_model) << undecodable << 64;
        QTest::newRow("png signature only")
            << "sig.png" << QByteArray("\x89PNG\r\n\x1a\n", 8) << undecodable << 64;
        QTest::newRow("png header 20000x20000")
            << "huge.png" << bytes(badfiles::pngWithHeader(20000, 20000)) << tooLarge << 64;
        QTest::newRow("png header 2^31 x 1")
            << "wide.png" << bytes(badfiles::pngWithHeader(0x7fffffffu, 1)) << tooLarge << 64;
        QTest::newRow("png header 0x0")
            << "nothing.png" << bytes(badfiles::pngWithHeader(0, 0)) << "empty image" << 64;
        // Within the limit, but the data is missing: the decoder may allocate the stated
        // 48 megapixels (144 MB), never more.
        QTest::newRow("png header 8000x6000, no data")
            << "lie.png" << bytes(badfiles::pngWithHeader(8000, 6000)) << undecodable << 400;
        QTest::newRow("jpeg header 60000x60000")
            << "huge.jpg" << bytes(badfiles::jpegWithHeader(60000, 60000)) << tooLarge << 64;
        QTest::newRow("jpeg without end") << "cut.jpg" << bytes(badfiles::jpegWithHeader(64, 64))
                                          << "truncated or corrupt JPEG" << 64;
        QTest::newRow("bmp header 50000x50000")
            << "huge.bmp" << bytes(badfiles::bmpWithHeader(50000, 50000)) << tooLarge << 64;
        QTest::newRow("bmp header 16x16, 16 bytes")
            << "short.bmp" << bytes(badfiles::bmpWithHeader(16, 16)) << undecodable << 64;
        QTest::newRow("folder named .png")
            << "dir.png" << QByteArray() << "not a regular file" << 64;
        QTest::newRow("missing") << "gone.png" << QByteArray() << "no such file" << 64;
    }
    void badImage()
    {
        QFETCH(QString, file);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, problem);
        QFETCH(int, maxGrowthMb);
        const QString p = path("images/" + file);
        QVERIFY(QDir().mkpath(path("images")));
        if (file == "dir.png")
            QVERIFY(QDir().mkpath(p));
        else if (file != "gone.png")
            writeBytes(p, bytes.toStdString());
        ++m_cases;
        const mpq::InputSpec spec;
        const ChildOutcome o = inChild([&] { mpq::prepareImage(p.toStdString(), spec); });
        QVERIFY2(o.exited, qPrintable(QString("the reader crashed, signal %1").arg(o.signal)));
        QVERIFY2(o.threw, o.foreign ? o.message.c_str() : "no error for a bad image");
        QCOMPARE(mpq::ErrorCode(o.code), mpq::ErrorCode::BadImage);
        const QString what = QString::fromStdString(o.message);
        QVERIFY2(what.startsWith(p + ": "), qPrintable(what));
        QVERIFY2(what.contains(problem), qPrintable(what));
        QVERIFY2(o.peakGrowthKb < maxGrowthMb * 1024L,
                 qPrintable(QString("peak memory grew by %1 MB").arg(o.peakGrowthKb / 1024)));
    }

    void imageFolder()
    {
        // Non-image files and folders with image names are not listed; a missing folder or a
        // file given as folder is an error naming it.
        ++m_cases;
        const QString dir = path("mixed");
        QVERIFY(QDir().mkpath(dir + "/sub.png"));
        writeBytes(dir + "/notes.txt", "text");
        writeBytes(dir + "/model.pt", m_model);
        writeBytes(dir + "/noext", badfiles::pngWithHeader(4, 4));
        writeBytes(dir + "/a.PNG", badfiles::pngWithHeader(4, 4));
        const std::vector<std::string> found = mpq::findImages(dir.toStdString());
        QCOMPARE(found.size(), std::size_t(1));
        QVERIFY(QString::fromStdString(found[0]).endsWith("a.PNG"));
        expectError([&] { mpq::findImages(path("nothere").toStdString()); },
                    mpq::ErrorCode::BadImage, path("nothere"), "no such folder");
        expectError([&] { mpq::findImages((dir + "/notes.txt").toStdString()); },
                    mpq::ErrorCode::BadImage, dir + "/notes.txt", "not a folder");
    }

    void badAnnotation_data()
    {
        QTest::addColumn<QByteArray>("xml");
        QTest::addColumn<QString>("problem");
        const QByteArray box = "<bndbox><xmin>1</xmin><ymin>2</ymin><xmax>3</xmax><ymax>4</ymax>"
                               "</bndbox>";
        QTest::newRow("empty") << QByteArray() << "not a Pascal VOC annotation";
        QTest::newRow("binary") << QByteArray::fromStdString(badfiles::randomBytes(3000, 4))
                                << "not a Pascal VOC annotation";
        QTest::newRow("object not closed")
            << "<annotation><object><name>cat</name>" + box << "<object> is not closed";
        QTest::newRow("no name") << "<annotation><object>" + box + "</object></annotation>"
                                 << "without <name>";
        QTest::newRow("no bndbox")
            << QByteArray("<annotation><object><name>cat</name></object></annotation>")
            << "without <bndbox>";
        QTest::newRow("xmin text")
            << QByteArray("<annotation><object><name>cat</name><bndbox><xmin>left</xmin><ymin>2"
                          "</ymin><xmax>3</xmax><ymax>4</ymax></bndbox></object></annotation>")
            << "<xmin> is not a number: 'left'";
        QTest::newRow("xmax nan")
            << QByteArray("<annotation><object><name>cat</name><bndbox><xmin>1</xmin><ymin>2"
                          "</ymin><xmax>nan</xmax><ymax>4</ymax></bndbox></object></annotation>")
            << "<xmax> is not a number: 'nan'";
        QTest::newRow("ymax inf")
            << QByteArray("<annotation><object><name>cat</name><bndbox><xmin>1</xmin><ymin>2"
                          "</ymin><xmax>3</xmax><ymax>1e39</ymax></bndbox></object></annotation>")
            << "<ymax> is not a number";
        QTest::newRow("inverted box")
            << QByteArray("<annotation><object><name>cat</name><bndbox><xmin>5</xmin><ymin>2"
                          "</ymin><xmax>3</xmax><ymax>4</ymax></bndbox></object></annotation>")
            << "xmax < xmin";
    }
    void badAnnotation()
    {
        QFETCH(QByteArray, xml);
        QFETCH(QString, problem);
        const QString p = path("annotation.xml");
        writeBytes(p, xml.toStdString());
        std::vector<std::string> unknown;
        expectError([&] { mpq::readVocAnnotation(p.toStdString(), {"cat"}, unknown); },
                    mpq::ErrorCode::BadAnnotation, p, problem);
        expectError(
            [&] { mpq::parseVocAnnotation(xml.toStdString(), "in-memory.xml", {"cat"}, unknown); },
            mpq::ErrorCode::BadAnnotation, "in-memory.xml", problem);
    }

    void badAnnotationFile()
    {
        std::vector<std::string> unknown;
        expectError([&] { mpq::readVocAnnotation(path("none.xml").toStdString(), {}, unknown); },
                    mpq::ErrorCode::BadAnnotation, path("none.xml"), "cannot open");
        expectError([&] { mpq::readVocAnnotation(path("folder.pt").toStdString(), {}, unknown); },
                    mpq::ErrorCode::BadAnnotation, path("folder.pt"), "is a folder");
    }

    void unwritableDestination()
    {
        // CI runs as root, so permissions do not stop a write; a parent that is a regular file
        // does, for everyone.
        QTemporaryDir dir;
        writeBytes(dir.filePath("file"), "x");
        const QString target = dir.filePath("file/model.profile.json");
        expectError([&] { mpq::saveProfile(mpq::ModelProfile{}, target.toStdString()); },
                    mpq::ErrorCode::Io, target, "cannot create a temporary file");
        QCOMPARE(entries(dir.path()), QStringList{"file"});
    }

    void fullDestination()
    {
        // A full disk, simulated by the file-size limit: a write past it fails with EFBIG once
        // SIGXFSZ is ignored (the front ends ignore it; by default it kills the process).
        ++m_cases;
        QTemporaryDir dir;
        mpq::ModelProfile profile;
        for (int i = 0; i < 2000; ++i)
            profile.labels.push_back("label number " + std::to_string(i));
        const QString target = dir.filePath("big.profile.json");
        const ChildOutcome o = inChild([&] { mpq::saveProfile(profile, target.toStdString()); },
                                       [] {
                                           signal(SIGXFSZ, SIG_IGN);
                                           struct rlimit limit = {4096, 4096};
                                           setrlimit(RLIMIT_FSIZE, &limit);
                                       });
        QVERIFY2(o.exited, qPrintable(QString("the writer died, signal %1").arg(o.signal)));
        QVERIFY2(o.threw, "no error for a write past the size limit");
        QCOMPARE(mpq::ErrorCode(o.code), mpq::ErrorCode::Io);
        const QString what = QString::fromStdString(o.message);
        QVERIFY2(what.startsWith(target + ": cannot write: File too large"), qPrintable(what));
        QCOMPARE(entries(dir.path()), QStringList{});
    }
};

QTEST_GUILESS_MAIN(TestHardeningCore)
#include "tst_hardening_core.moc"
