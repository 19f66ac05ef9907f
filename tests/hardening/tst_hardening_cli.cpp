// Hardening of the mpq tool, run as a user runs it: broken model files, malformed profiles,
// calibration folders of corrupt, empty, lying or non-image files, unwritable and full
// destinations, and cancellation at every stage. Each case must end with a message that names
// the file and the problem, the documented exit code (2 bad input, 3 cancelled), a normal exit
// (never a signal), and the destination folder exactly as it was before.
#include "../core/testmodels.h"
#include "badfiles.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

#include <sys/resource.h>

namespace {

struct Run
{
    bool normalExit = false; ///< false: killed by a signal (or did not finish)
    int exitCode = -1;
    QString out;
    QString err;
};

struct Launch
{
    explicit Launch(QStringList arguments)
        : args(std::move(arguments))
    {}
    QStringList args;
    qint64 fileSizeLimit = 0; ///< RLIMIT_FSIZE of the child in bytes (0: none)
    QString interruptAt;      ///< MPQ_TEST_INTERRUPT_AT: SIGINT raised as the stage begins
    QString signalAfterLine;  ///< send `signal` once stderr shows this text
    int signal = SIGINT;
};

Run mpq(const Launch &launch)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("MPQ_TEST_INTERRUPT_AT");
    if (!launch.interruptAt.isEmpty())
        env.insert("MPQ_TEST_INTERRUPT_AT", launch.interruptAt);
    p.setProcessEnvironment(env);
    if (launch.fileSizeLimit > 0) {
        const rlim_t limit = rlim_t(launch.fileSizeLimit);
        // Runs in the child between fork and exec; the tool itself must cope with SIGXFSZ.
        p.setChildProcessModifier([limit] {
            struct rlimit r = {limit, limit};
            setrlimit(RLIMIT_FSIZE, &r);
        });
    }
    p.start(QStringLiteral(MPQ_CLI_PATH), launch.args);
    if (!p.waitForStarted(30000))
        return {};
    QByteArray err;
    if (!launch.signalAfterLine.isEmpty()) {
        QElapsedTimer timer;
        timer.start();
        while (p.state() == QProcess::Running && timer.elapsed() < 120000) {
            p.waitForReadyRead(100);
            err += p.readAllStandardError();
            if (err.contains(launch.signalAfterLine.toUtf8())) {
                ::kill(pid_t(p.processId()), launch.signal);
                break;
            }
        }
    }
    p.waitForFinished(300000);
    err += p.readAllStandardError();
    return {p.exitStatus() == QProcess::NormalExit, p.exitCode(),
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(err)};
}

Run mpq(const QStringList &args)
{
    return mpq(Launch(args));
}

void writeBytes(const QString &path, const std::string &bytes)
{
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(path));
    QCOMPARE(f.write(bytes.data(), qint64(bytes.size())), qint64(bytes.size()));
}

QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden, QDir::Name);
}

void writeImages(const QString &dir, int count, int width, int height)
{
    QVERIFY(QDir().mkpath(dir));
    for (int i = 0; i < count; ++i) {
        QImage img(width, height, QImage::Format_RGB32);
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x)
                img.setPixel(
                    x, y, qRgb((x * 37 + i * 11) % 256, (y * 53 + i) % 256, (x * y + i * 7) % 256));
        QVERIFY(img.save(QString("%1/%2.png").arg(dir).arg(i)));
    }
}

const char *kProfile = R"({"task": "classification",
    "input": {"width": 12, "height": 10, "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]},
    "output": {"decoder": "logits"}})";

} // namespace

class TestHardeningCli : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_cases = 0;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    /// The checks every bad-input case shares; out is the destination folder, empty before.
    void expectClean(const Run &r, int exitCode, const QStringList &messages, const QString &out)
    {
        ++m_cases;
        QVERIFY2(r.normalExit, qPrintable("killed by a signal or hung; stderr:\n" + r.err));
        QVERIFY2(r.exitCode == exitCode, qPrintable(QString("exit %1, expected %2; stderr:\n%3")
                                                        .arg(r.exitCode)
                                                        .arg(exitCode)
                                                        .arg(r.err)));
        for (const QString &m : messages)
            QVERIFY2(r.err.contains(m), qPrintable("'" + m + "' missing from stderr:\n" + r.err));
        if (!out.isEmpty())
            QVERIFY2(entries(out).isEmpty(),
                     qPrintable("left behind: " + entries(out).join(", ") + "\nstderr:\n" + r.err));
    }

    QString freshFolder(const QString &name)
    {
        const QString dir = path(name);
        QDir(dir).removeRecursively();
        [&] { QVERIFY(QDir().mkpath(dir)); }();
        return dir;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        mpqtest::saveConvNet(path("conv.pt").toStdString(), 1);
        writeBytes(path("conv.profile.json"), kProfile);
        writeImages(path("images"), 6, 14, 9);
        std::string model;
        {
            QFile f(path("conv.pt"));
            QVERIFY(f.open(QIODevice::ReadOnly));
            model = f.readAll().toStdString();
        }
        QVERIFY(QDir().mkpath(path("models/folder.pt")));
        const auto badModel = [&](const QString &name, const std::string &bytes) {
            writeBytes(path("models/" + name), bytes);
        };
        badModel("empty.pt", "");
        badModel("random.pt", badfiles::randomBytes(5000, 7));
        badModel("truncated.pt", model.substr(0, model.size() / 2));
        badModel("notscript.pt", badfiles::zipWithFile("notes/readme.txt", "hello"));
        {
            QFile f(QStringLiteral(MPQ_ONNX_FIXTURES "/cnn_bn.onnx"));
            QVERIFY(f.open(QIODevice::ReadOnly));
            const std::string onnx = f.readAll().toStdString();
            badModel("random.onnx", badfiles::randomBytes(5000, 11));
            badModel("truncated.onnx", onnx.substr(0, onnx.size() / 2));
        }
        mpqtest::saveNoLayerNet(path("models/nolayer.pt").toStdString());
        mpqtest::saveNanNet(path("models/nan.pt").toStdString());
        for (const QString name :
             {"empty", "random", "truncated", "notscript", "nolayer", "nan", "folder", "missing"})
            writeBytes(path("models/" + name + ".profile.json"), kProfile);
        // hostile image files, each in its own folder and all together
        const std::vector<std::pair<QString, std::string>> bad = {
            {"zero.png", ""},
            {"random.png", badfiles::randomBytes(3000, 8)},
            {"text.jpg", "not an image\n"},
            {"huge.png", badfiles::pngWithHeader(20000, 20000)},
            {"huge.jpg", badfiles::jpegWithHeader(60000, 60000)},
            {"huge.bmp", badfiles::bmpWithHeader(50000, 50000)},
            {"cut.jpg", badfiles::jpegWithHeader(32, 32)},
        };
        QVERIFY(QDir().mkpath(path("allbad")));
        for (const auto &[name, bytes] : bad)
            writeBytes(path("allbad/" + name), bytes);
        writeImages(path("mixed"), 3, 14, 9);
        for (const auto &[name, bytes] : bad)
            writeBytes(path("mixed/" + name), bytes);
        writeBytes(path("mixed/notes.txt"), "a text file among the images");
        QVERIFY(QDir().mkpath(path("noimages/sub.png")));
        writeBytes(path("noimages/notes.txt"), "text");
        writeBytes(path("noimages/model.pt"), model);
        writeBytes(path("aFile"), "x");
    }

    void cleanupTestCase() { qInfo("hardening (cli): %d bad-input cases run", m_cases); }

    void badModel_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("problem");
        const QString damaged = "not a TorchScript model, or a damaged one";
        QTest::newRow("empty") << "empty.pt"
                               << "the file is empty";
        QTest::newRow("random bytes") << "random.pt" << damaged;
        QTest::newRow("truncated") << "truncated.pt" << damaged;
        QTest::newRow("zip, not TorchScript") << "notscript.pt" << damaged;
        QTest::newRow("no quantizable layer") << "nolayer.pt"
                                              << "no quantizable layer";
        QTest::newRow("NaN weights") << "nan.pt"
                                     << "layer conv1 has NaN or Inf weights";
        QTest::newRow("folder") << "folder.pt"
                                << "is a folder";
        QTest::newRow("missing") << "missing.pt"
                                 << "cannot open the file";
        const QString onnx = "not an ONNX model, or a truncated or damaged one";
        QTest::newRow("random ONNX") << "random.onnx" << onnx;
        QTest::newRow("truncated ONNX") << "truncated.onnx" << onnx;
    }
    void badModel()
    {
        QFETCH(QString, model);
        QFETCH(QString, problem);
        const QString out = freshFolder("out");
        const QString file = path("models/" + model);
        for (const QString command : {"analyze", "export"}) {
            QStringList args = {command, file, "--calib", path("images")};
            if (command == "analyze")
                args << "--json" << out + "/a.json"
                     << "--save" << out + "/a.mpqa";
            else
                args << "--bits"
                     << "4"
                     << "--format"
                     << "fakequant"
                     << "-o" << out + "/q.pt";
            expectClean(mpq(args), 2, {"mpq " + command + ": " + file + ": " + problem}, out);
        }
    }

    void badProfile_data()
    {
        QTest::addColumn<QByteArray>("json"); // empty: the profile is `file` as it is
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("problem");
        QTest::newRow("width string")
            << QByteArray(R"({"task": "classification", "input": {"width": "12", "height": 10}})")
            << "p.json"
            << "input.width: expected an integer, got string";
        QTest::newRow("mean short") << QByteArray(R"({"task": "classification",
            "input": {"width": 12, "height": 10, "mean": [0.5]}})")
                                    << "p.json"
                                    << "input.mean: expected 3 values";
        QTest::newRow("task number")
            << QByteArray(R"({"task": 3, "input": {"width": 12, "height": 10}})") << "p.json"
            << "task: expected a string, got integer";
        QTest::newRow("unknown key") << QByteArray(R"({"task": "classification",
            "input": {"width": 12, "height": 10, "colour": "rgb"}})")
                                     << "p.json"
                                     << "input.colour: unknown key";
        QTest::newRow("not JSON") << QByteArray("width=12") << "p.json"
                                  << "invalid JSON";
        QTest::newRow("binary") << QByteArray::fromStdString(badfiles::randomBytes(500, 9))
                                << "p.json"
                                << "invalid JSON";
        QTest::newRow("missing") << QByteArray() << "none.json"
                                 << "no model profile";
        QTest::newRow("folder") << QByteArray() << "models"
                                << "is a folder";
    }
    void badProfile()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, file);
        QFETCH(QString, problem);
        const QString profile = path(file);
        if (!json.isEmpty())
            writeBytes(profile, json.toStdString());
        const QString out = freshFolder("out");
        expectClean(mpq({"analyze", path("conv.pt"), "--calib", path("images"), "--profile",
                         profile, "--json", out + "/a.json"}),
                    2, {profile, problem}, out);
    }

    void calibrationFolder_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QStringList>("messages");
        QStringList skipped;
        for (const QString name :
             {"zero.png", "random.png", "text.jpg", "huge.png", "huge.jpg", "huge.bmp", "cut.jpg"})
            skipped << "warning: skipped image: " + path("mixed/" + name) + ": ";
        QTest::newRow("good and bad images")
            << "mixed" << 0
            << skipped +
                   QStringList{"more than the limit", "empty file", "7 of 10 calibration images"};
        QTest::newRow("only bad images")
            << "allbad" << 2
            << QStringList{path("allbad") + ": none of the 7 calibration images could be read",
                           path("allbad/") /* the first file's own reason */};
        QTest::newRow("no image files")
            << "noimages" << 2
            << QStringList{path("noimages") + ": no png, jpg, jpeg, bmp or webp images"};
        QTest::newRow("missing folder")
            << "nothere" << 2 << QStringList{path("nothere") + ": no such folder"};
        QTest::newRow("a file, not a folder")
            << "aFile" << 2 << QStringList{path("aFile") + ": not a folder"};
    }
    void calibrationFolder()
    {
        QFETCH(QString, folder);
        QFETCH(int, exitCode);
        QFETCH(QStringList, messages);
        const QString out = freshFolder("out");
        const Run r =
            mpq({"analyze", path("conv.pt"), "--calib", path(folder), "--json", out + "/a.json"});
        expectClean(r, exitCode, messages, exitCode == 0 ? QString() : out);
        if (exitCode == 0)
            QCOMPARE(entries(out), QStringList{"a.json"});
    }

    void destination_data()
    {
        QTest::addColumn<QStringList>("outputArgs"); // OUT stands for the destination
        QTest::addColumn<qint64>("fileSizeLimit");   // 0: a parent that is a regular file
        QTest::addColumn<QString>("problem");
        const QStringList fakequant = {"export", "--format", "fakequant", "-o", "OUT"};
        const QStringList expanded = {"export", "--format", "expanded", "-o", "OUT"};
        const QStringList report = {"export", "--format", "report", "-o", "OUT"};
        const QStringList package = {"export", "--format", "package", "-o", "OUT"};
        const QStringList json = {"analyze", "--json", "OUT"};
        const QStringList save = {"analyze", "--save", "OUT"};
        for (const auto &[name, args] :
             std::vector<std::pair<const char *, QStringList>>{{"fakequant", fakequant},
                                                               {"expanded", expanded},
                                                               {"report", report},
                                                               {"package", package},
                                                               {"analyze --json", json},
                                                               {"analyze --save", save}}) {
            QTest::addRow("%s, parent is a file", name) << args << qint64(0) << "";
            // RLIMIT_FSIZE is the most any one file may grow to: a full disk for that write
            // (the integer package names the record it failed on, without the reason)
            QTest::addRow("%s, disk full", name)
                << args << qint64(300)
                << (args.contains("package") ? "cannot write" : "File too large");
        }
    }
    void destination()
    {
        QFETCH(QStringList, outputArgs);
        QFETCH(qint64, fileSizeLimit);
        QFETCH(QString, problem);
        const QString out = freshFolder("out");
        writeBytes(out + "/file", "x");
        const QString target =
            fileSizeLimit > 0 ? out + "/result" : out + "/file/result"; // parent is a file
        QStringList args = outputArgs;
        args.replace(args.indexOf("OUT"), target);
        args.insert(1, path("conv.pt"));
        args << "--calib" << path("images");
        if (args.first() == "export")
            args << "--bits"
                 << "4";
        Launch launch(args);
        launch.fileSizeLimit = fileSizeLimit;
        const Run r = mpq(launch);
        QFile::remove(out + "/file");
        expectClean(r, 2, {target, problem}, out);
    }

    void cancel_data()
    {
        QTest::addColumn<QStringList>("args"); // OUT stands for the destination folder
        QTest::addColumn<QString>("stage");
        const QStringList analyze = {"analyze", "--json", "OUT/a.json", "--save", "OUT/a.mpqa"};
        for (const QString stage : {"loading model", "decomposing", "calibrating"})
            QTest::addRow("analyze, %s", qPrintable(stage)) << analyze << stage;
        for (const QString format : {"fakequant", "expanded", "report", "package"}) {
            const QStringList args = {"export", "--bits", "4", "--format", format, "-o", "OUT/q"};
            for (const QString stage : {"loading model", "decomposing", "calibrating", "exporting"})
                QTest::addRow("export %s, %s", qPrintable(format), qPrintable(stage))
                    << args << stage;
        }
        QTest::newRow("decompose, decomposing")
            << QStringList{"decompose", "--rows", "64", "--cols", "64", "--json", "OUT/d.json"}
            << "decomposing";
        // the evaluation steps poll Ctrl-C too (issue 12: they did not)
        const QStringList eval = {
            "eval",   "--images",  "IMAGES", "--method", "multipoint,rtn,mixed",
            "--json", "OUT/e.json"};
        for (const QString stage :
             {"running the float model", "evaluating multipoint", "evaluating mixed"})
            QTest::addRow("eval, %s", qPrintable(stage)) << eval << stage;
        const QStringList sweep = {"sweep", "--images", "IMAGES",    "--budgets",
                                   "0,0.1", "--json",   "OUT/s.json"};
        for (const QString stage : {"running the float model", "evaluating rtn"})
            QTest::addRow("sweep, %s", qPrintable(stage)) << sweep << stage;
        QTest::newRow("demo, calibrating")
            << QStringList{"demo", "--samples", "SAMPLES", "--no-cache"} << "calibrating";
    }
    void cancel()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, stage);
        const QString out = freshFolder("out");
        args.replaceInStrings("OUT", out);
        args.replaceInStrings("IMAGES", path("images"));
        args.replaceInStrings("SAMPLES", QStringLiteral(MPQ_SAMPLES_DIR));
        if (args.first() != "decompose" && args.first() != "demo") {
            args.insert(1, path("conv.pt"));
            args << "--calib" << path("images");
        }
        Launch launch(args);
        launch.interruptAt = stage;
        const Run r = mpq(launch);
        expectClean(r, 3, {args.first() + ": " + stage, "cancelled"}, out);
    }

    void cancelBySignal_data()
    {
        QTest::addColumn<int>("signal");
        QTest::addColumn<QString>("stage");
        QTest::newRow("SIGINT while calibrating") << int(SIGINT) << "calibrating";
        QTest::newRow("SIGTERM while calibrating") << int(SIGTERM) << "calibrating";
        QTest::newRow("SIGINT while decomposing") << int(SIGINT) << "decomposing";
    }
    void cancelBySignal()
    {
        // A real signal from outside, sent when the stage's line appears. The stage may be over
        // by the time it lands; the tool still checks before it writes anything, so the only
        // right outcome is exit 3 with nothing written.
        QFETCH(int, signal);
        QFETCH(QString, stage);
        if (!QFile::exists(path("slow/0.png")))
            writeImages(path("slow"), 48, 160, 120);
        writeBytes(path("slow.profile.json"),
                   R"({"task": "classification", "input": {"width": 160, "height": 120}})");
        const QString out = freshFolder("out");
        Launch launch(QStringList{"analyze", path("conv.pt"), "--profile",
                                  path("slow.profile.json"), "--calib", path("slow"),
                                  "--calib-count", "48", "--max-points", "16", "--json",
                                  out + "/a.json", "--save", out + "/a.mpqa"});
        launch.signalAfterLine = "mpq analyze: " + stage;
        launch.signal = signal;
        expectClean(mpq(launch), 3, {"cancelled"}, out);
    }
};

QTEST_GUILESS_MAIN(TestHardeningCli)
#include "tst_hardening_cli.moc"
