// The mpq command-line tool, run as a user runs it.
#include "../core/testmodels.h"

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run mpq(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(MPQ_CLI_PATH), args);
    p.waitForFinished(120000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

class TestCli : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        mpqtest::saveConvNet(path("conv.pt").toStdString(), 1);
        writeFile(
            path("conv.profile.json"),
            R"({"task": "classification", "input": {"width": 12, "height": 10, "mean": [0.5, 0.5, 0.5],
                      "std": [0.25, 0.25, 0.25]}, "output": {"decoder": "logits"}})");
        QDir().mkpath(path("images"));
        for (int i = 0; i < 6; ++i) {
            QImage img(14, 9, QImage::Format_RGB32);
            for (int y = 0; y < img.height(); ++y)
                for (int x = 0; x < img.width(); ++x)
                    img.setPixel(
                        x, y,
                        qRgb((x * 37 + i * 11) % 256, (y * 53 + i) % 256, (x * y + i * 7) % 256));
            QVERIFY(img.save(path(QString("images/%1.png").arg(i))));
        }
        writeFile(path("images/broken.jpg"), "not an image");
        writeFile(path("random.pt"), QByteArray(3000, 'x'));
        mpqtest::saveConvNet(path("noprofile.pt").toStdString(), 2);
    }

    void analyzeSaveAndReuse()
    {
        const QString json = path("a.json"), saved = path("a.mpqa");
        Run r = mpq({"analyze", path("conv.pt"), "--calib", path("images"), "--bits", "3",
                     "--max-points", "3", "--epsilon", "1e-3", "--json", json, "--save", saved});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        for (const char *layer : {"conv1", "dw", "pw", "grouped", "fc"})
            QVERIFY2(r.out.contains(layer), qPrintable(r.out));
        QVERIFY(r.out.contains("effective bits"));
        QVERIFY2(r.err.contains("broken.jpg"), qPrintable(r.err)); // the skipped image is named
        QJsonObject doc = readJson(json);
        QCOMPARE(doc["model"].toObject()["bits"].toInt(), 3);
        QCOMPARE(doc["model"].toObject()["rule"].toString(), QString("threshold"));
        const QJsonArray layers = doc["layers"].toArray();
        QCOMPARE(layers.size(), 5);
        QCOMPARE(layers[0].toObject()["name"].toString(), QString("conv1"));
        QCOMPARE(layers[0].toObject()["points"].toArray().size(), 8);
        QCOMPARE(layers[0].toObject()["folded_batchnorm"].toString(), QString("bn1"));

        // reuse the saved analysis with the budget rule: no recomputation, budget respected
        r = mpq({"analyze", path("conv.pt"), "--analysis", saved, "--bits", "3", "--max-points",
                 "3", "--budget", "0.1", "--json", json});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        doc = readJson(json);
        QCOMPARE(doc["model"].toObject()["rule"].toString(), QString("budget"));
        QVERIFY(doc["model"].toObject()["overhead"].toDouble() <= 0.1);
        QVERIFY(r.out.contains("budget rule, 10.0 % memory"));

        // a saved analysis with other settings, or for another model, is refused
        r = mpq(
            {"analyze", path("conv.pt"), "--analysis", saved, "--bits", "4", "--max-points", "3"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("other settings: bits 3 vs 4"), qPrintable(r.err));
        writeFile(path("noprofile.profile.json"),
                  "{\"task\": \"classification\", \"input\": {\"width\": 12, \"height\": 10}}");
        r = mpq({"analyze", path("noprofile.pt"), "--analysis", saved, "--bits", "3",
                 "--max-points", "3"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("another model file"), qPrintable(r.err));
        QFile::remove(path("noprofile.profile.json"));
    }

    void analyzeWithOverrides()
    {
        const QString json = path("o.json");
        writeFile(path("overrides.json"),
                  R"({"fc": "float", "dw": {"bits": 5}, "pw": {"points": 2}})");
        Run r = mpq({"analyze", path("conv.pt"), "--calib", path("images"), "--bits", "3",
                     "--max-points", "3", "--overrides", path("overrides.json"), "--json", json});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonArray layers = readJson(json)["layers"].toArray();
        QVERIFY(layers[4].toObject()["float"].toBool());
        QCOMPARE(layers[1].toObject()["bits"].toInt(), 5);
        QVERIFY(r.out.contains("(5 bits)"));
        for (const QJsonValue n : layers[2].toObject()["points"].toArray())
            QVERIFY(n.toInt() >= 1 && n.toInt() <= 2);
        QVERIFY(r.out.contains("kept float"));

        writeFile(path("bad-overrides.json"), R"({"nosuchlayer": "float"})");
        r = mpq({"analyze", path("conv.pt"), "--calib", path("images"), "--bits", "3",
                 "--max-points", "2", "--overrides", path("bad-overrides.json")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("no layer named 'nosuchlayer'"), qPrintable(r.err));
        writeFile(path("bad-overrides.json"), R"({"fc": {"points": "two"}})");
        r = mpq({"analyze", path("conv.pt"), "--calib", path("images"), "--overrides",
                 path("bad-overrides.json")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("bad-overrides.json: fc: expected"), qPrintable(r.err));
    }

    void evalFloatBesideQuantized()
    {
        const QString json = path("eval.json");
        Run r = mpq({"eval", path("conv.pt"), "--images", path("images"), "--bits", "8",
                     "--max-points", "2", "--json", json});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("calibration: up to 64 images drawn (seed 0) from"),
                 qPrintable(r.out));
        QVERIFY(r.out.contains("agreement (top-1)"));
        QVERIFY(r.err.contains("broken.jpg"));
        QJsonObject doc = readJson(json);
        QCOMPARE(doc["method"].toString(), QString("multipoint"));
        QCOMPARE(doc["images"].toArray().size(), 6);
        QVERIFY(doc["metrics"].toObject()["quantized"].toObject()["agreement"].toDouble() >=
                5.0 / 6);
        // the KL divergence is reported (a missing key would read as 0) and is tiny at 8 bits
        const QJsonValue kl8 = doc["metrics"].toObject()["quantized"].toObject()["kl"];
        QVERIFY2(kl8.isDouble(), "metrics.quantized.kl is missing or not a number");
        QVERIFY(kl8.toDouble() >= 0.0);
        // a baseline at 2 bits agrees less with float than 8-bit multipoint did
        r = mpq({"eval", path("conv.pt"), "--images", path("images"), "--bits", "2", "--max-points",
                 "1", "--method", "rtn-tensor", "--json", json});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        doc = readJson(json);
        QCOMPARE(doc["method"].toString(), QString("rtn-tensor"));
        const QJsonValue kl2 = doc["metrics"].toObject()["quantized"].toObject()["kl"];
        QVERIFY2(kl2.isDouble(), "metrics.quantized.kl is missing or not a number");
        QVERIFY2(
            kl2.toDouble() > 10 * kl8.toDouble(),
            qPrintable(
                QString("KL at 2 bits %1, at 8 bits %2").arg(kl2.toDouble()).arg(kl8.toDouble())));
        r = mpq({"eval", path("conv.pt"), "--images", path("images"), "--method", "magic"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("unknown method 'magic'"), qPrintable(r.err));
    }

    // --eval-count: a seeded choice of N of the folder's images, said as such; 0: every image
    void evalCountChoosesImages()
    {
        const QString json = path("count.json");
        // the folder: six images and broken.jpg
        Run r = mpq({"eval", path("conv.pt"), "--images", path("images"), "--bits", "8",
                     "--max-points", "1", "--json", json});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(
            r.out.contains(QString("6 of the 7 images in %1 (1 unreadable)").arg(path("images"))),
            qPrintable(r.out));
        QCOMPARE(readJson(json)["images_found"].toInt(), 7);
        r = mpq({"eval", path("conv.pt"), "--images", path("images"), "--bits", "8", "--max-points",
                 "1", "--eval-count", "3", "--json", json});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("of the 7 images in") &&
                     r.out.contains("a seeded choice of 3; --eval-count 0 evaluates all"),
                 qPrintable(r.out));
        QJsonObject doc = readJson(json);
        QVERIFY(doc["images"].toArray().size() >= 2 && doc["images"].toArray().size() <= 3);
        // the same choice every time
        const QJsonArray chosen = doc["images"].toArray();
        r = mpq({"eval", path("conv.pt"), "--images", path("images"), "--bits", "8", "--max-points",
                 "1", "--eval-count", "3", "--json", json});
        QCOMPARE(readJson(json)["images"].toArray(), chosen);
        r = mpq({"sweep", path("conv.pt"), "--images", path("images"), "--bits", "8",
                 "--max-points", "1", "--budgets", "0", "--method", "rtn", "--eval-count", "0",
                 "--json", json});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        doc = readJson(json);
        QCOMPARE(doc["images"].toInt(), 6);
        QCOMPARE(doc["images_found"].toInt(), 7);
        r = mpq({"sweep", path("conv.pt"), "--images", path("images"), "--eval-count", "-2"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("--eval-count must be an integer from 0"), qPrintable(r.err));
    }

    void exportFakeQuantAndReport()
    {
        const QString out = path("conv-fq.pt");
        Run r = mpq({"export", path("conv.pt"), "--calib", path("images"), "--bits", "3",
                     "--max-points", "3", "--budget", "0.1", "--act-bits", "8", "--format",
                     "fakequant", "-o", out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("verified on 6 images: largest difference from the in-app model 0"),
                 qPrintable(r.out));
        QVERIFY(QFileInfo(out).size() > 1000);
        // the export is itself a model the tool can load: same layers, BatchNorms still foldable
        r = mpq({"analyze", out, "--calib", path("images"), "--profile", path("conv.profile.json"),
                 "--bits", "8", "--max-points", "1", "--json", path("fq.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(readJson(path("fq.json"))["layers"].toArray().size(), 5);

        r = mpq({"export", path("conv.pt"), "--calib", path("images"), "--bits", "3",
                 "--max-points", "3", "--format", "report", "-o", path("report.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(readJson(path("report.json"))["layers"].toArray().size(), 5);
        QFile csv(path("report.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 7); // header, 5 layers, TOTAL
        QVERIFY(lines[1].startsWith("conv1,conv2d,8x3x3x3,8,27,3,0,"));
        QVERIFY(lines[6].startsWith("TOTAL,"));

        // a destination that cannot be written: clear error, nothing left behind
        writeFile(path("blocker"), "a file, not a folder");
        r = mpq({"export", path("conv.pt"), "--calib", path("images"), "--bits", "3",
                 "--max-points", "2", "--format", "fakequant", "-o", path("blocker/out.pt")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("blocker/out.pt: cannot create a temporary file"),
                 qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(path("blocker/out.pt")));
        r = mpq({"export", path("conv.pt"), "--calib", path("images"), "--bits", "3",
                 "--max-points", "3", "--budget", "0.1", "--act-bits", "8", "--format", "expanded",
                 "-o", path("conv-ex.pt")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(" expanded layers, "), qPrintable(r.out));
        QVERIFY2(r.out.contains("MAC overhead run "), qPrintable(r.out));
        QVERIFY2(r.out.contains("verified on 6 images"), qPrintable(r.out));
        r = mpq(
            {"export", path("conv.pt"), "--calib", path("images"), "--format", "magic", "-o", out});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("--format must be one of fakequant, report, package, expanded"));
    }

    void extraPointBits()
    {
        // docs/multipoint.md section 11: sign points after the first, exported as the expanded
        // model (one convolution per point) and verified against the in-app model; the analysis
        // JSON names the setting; more extra bits than bits is refused before any work
        Run r = mpq({"export", path("conv.pt"), "--calib", path("images"), "--bits", "3",
                     "--max-points", "3", "--budget", "0.1", "--extra-point-bits", "1", "--format",
                     "expanded", "-o", path("conv-sign.pt")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("verified on 6 images"), qPrintable(r.out));
        r = mpq({"analyze", path("conv.pt"), "--calib", path("images"), "--bits", "3",
                 "--max-points", "3", "--extra-point-bits", "1", "--json", path("sign.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(" M extra at 1 bit ("), qPrintable(r.out));
        const QJsonObject report = readJson(path("sign.json"));
        QCOMPARE(report["analysis_settings"].toObject()["extra_point_bits"].toInt(), 1);
        for (const QJsonValue &layer : report["layers"].toArray())
            QCOMPARE(layer.toObject()["extra_bits"].toInt(), 1);
        r = mpq({"analyze", path("conv.pt"), "--calib", path("images"), "--bits", "3",
                 "--extra-point-bits", "4"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("--extra-point-bits must be an integer from 1 to 3, got '4'"),
                 qPrintable(r.err));
    }

    void exportIntegerPackage()
    {
        // one saved analysis, two exports: the package's rows, summed per channel, must give
        // exactly the weights inside the fake-quant TorchScript
        const QString saved = path("pkg.mpqa"), fq = path("pkg-fq.pt"), pkg = path("pkg");
        const QStringList common = {"--bits", "3", "--max-points", "3", "--budget", "0.2"};
        QCOMPARE(mpq(QStringList{"analyze", path("conv.pt"), "--calib", path("images"), "--save",
                                 saved} +
                     common)
                     .exitCode,
                 0);
        Run r = mpq(QStringList{"export", path("conv.pt"), "--analysis", saved, "--format",
                                "package", "-o", pkg} +
                    common);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = mpq(QStringList{"export", path("conv.pt"), "--analysis", saved, "--format", "fakequant",
                            "-o", fq} +
                common);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject manifest = readJson(pkg + "/manifest.json");
        QCOMPARE(manifest["format"].toString(), QString("package"));
        QCOMPARE(manifest["bits"].toInt(), 3);
        QCOMPARE(manifest["allocation"].toObject()["rule"].toString(), QString("budget"));
        QCOMPARE(manifest["source_model"].toObject()["sha256"].toString().size(), 64);
        const QJsonArray layers = manifest["layers"].toArray();
        QCOMPARE(layers.size(), 5);
        int extraRows = 0;
        for (const QJsonValue &value : layers) {
            const QJsonObject layer = value.toObject();
            const int channels = layer["channels"].toInt(), d = layer["d"].toInt(),
                      rows = layer["rows"].toInt();
            auto read = [&](const QString &key) {
                QFile f(pkg + "/" + layer[key].toString());
                return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
            };
            const QByteArray codes = read("codes"), scales = read("scales"),
                             channel = read("channel_of_row");
            QCOMPARE(codes.size(), rows * d);
            QCOMPARE(scales.size(), rows * 4);
            QCOMPARE(channel.size(), rows * 4);
            extraRows += rows - channels;
            std::vector<float> w(size_t(channels) * d, 0.0f);
            const auto *scale = reinterpret_cast<const float *>(scales.constData());
            const auto *ch = reinterpret_cast<const qint32 *>(channel.constData());
            for (int row = 0; row < rows; ++row) {
                QVERIFY(row >= channels || ch[row] == row); // the first points come first, in order
                for (int j = 0; j < d; ++j) {
                    const int q = codes[row * d + j];
                    QVERIFY(q >= -3 && q <= 3); // 3 bits
                    w[size_t(ch[row]) * d + j] += scale[row] * q;
                }
            }
            const std::vector<float> inModel = mpqtest::parameter(
                fq.toStdString(), layer["name"].toString().toStdString() + ".weight");
            QVERIFY2(w == inModel, qPrintable(layer["name"].toString()));
        }
        QVERIFY(extraRows > 0); // the 20 % budget bought further points
        // an existing folder is never overwritten
        r = mpq(QStringList{"export", path("conv.pt"), "--analysis", saved, "--format", "package",
                            "-o", pkg} +
                common);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("already exists"), qPrintable(r.err));
    }

    void analyzeBadInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString images = path("images");
        QTest::newRow("foreign file")
            << QStringList{"analyze", path("random.pt"), "--calib", images} << 2
            << "random.pt: not a TorchScript model";
        QTest::newRow("no profile")
            << QStringList{"analyze", path("noprofile.pt"), "--calib", images} << 2
            << "noprofile.profile.json: no model profile";
        QTest::newRow("missing folder")
            << QStringList{"analyze", path("conv.pt"), "--calib", path("nothere")} << 2
            << "nothere";
        QTest::newRow("both rules") << QStringList{"analyze",   path("conv.pt"), "--calib",  images,
                                                   "--epsilon", "0.1",           "--budget", "0.1"}
                                    << 1 << "not both";
        QTest::newRow("no calib") << QStringList{"analyze", path("conv.pt")} << 1 << "give --calib";
        QTest::newRow("first point")
            << QStringList{"analyze", path("conv.pt"), "--calib", images, "--first-point", "best"}
            << 1 << "--first-point must be one of l2, max, output-best";
    }
    void analyzeBadInput()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const Run r = mpq(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    void helpListsEveryCommand_data()
    {
        QTest::addColumn<QString>("command");
        for (const char *c : {"analyze", "eval", "sweep", "export", "demo", "decompose"})
            QTest::newRow(c) << QString(c);
    }
    void helpListsEveryCommand()
    {
        QFETCH(QString, command);
        const Run help = mpq({"--help"});
        QCOMPARE(help.exitCode, 0);
        // the command has its own line with a one-line description after it
        const QStringList lines = help.out.split('\n');
        const auto line = std::find_if(lines.begin(), lines.end(), [&](const QString &l) {
            return l.startsWith("  " + command + " ");
        });
        QVERIFY2(line != lines.end(), qPrintable(help.out));
        QVERIFY2(line->mid(2 + command.size()).trimmed().size() > 20, qPrintable(*line));
        // ...and the command exists: its own help works
        const Run own = mpq({command, "--help"});
        QCOMPARE(own.exitCode, 0);
        QVERIFY2(own.out.contains("Usage:"), qPrintable(own.out));
    }
    void helpNamesOnlyRealCommands()
    {
        // every line of the Commands section names a command that runs
        const Run help = mpq({"--help"});
        QCOMPARE(help.exitCode, 0);
        const QString section = help.out.section("Commands:\n", 1).section("\n\n", 0, 0);
        const QStringList lines = section.split('\n', Qt::SkipEmptyParts);
        QVERIFY2(lines.size() >= 6, qPrintable(help.out));
        for (const QString &l : lines) {
            const QString name = l.trimmed().section(' ', 0, 0);
            const Run own = mpq({name, "--help"});
            QVERIFY2(own.exitCode == 0, qPrintable(name + ": " + own.err));
        }
    }

    void version()
    {
        const Run r = mpq({"--version"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith("mpq "));
    }

    void decomposeWritesConsistentFigures()
    {
        QTemporaryDir dir;
        const QString json = dir.filePath("figures.json");
        const Run r = mpq({"decompose", "--rows", "16", "--cols", "90", "--bits", "3", "--points",
                           "4", "--json", json});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("16 x 90 Laplace weights, 3 bits, exact search"),
                 qPrintable(r.out));
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject doc = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(doc["bits"].toInt(), 3);
        const QJsonArray perPoint = doc["per_point"].toArray();
        QCOMPARE(perPoint.size(), 4);
        for (int n = 1; n < 4; ++n)
            QVERIFY(perPoint[n].toObject()["relative_error"].toDouble() <
                    perPoint[n - 1].toObject()["relative_error"].toDouble());
        // the same seed gives the same figures; the grid search is never better at the first point
        const QString gridJson = dir.filePath("grid.json");
        QCOMPARE(mpq({"decompose", "--rows", "16", "--cols", "90", "--bits", "3", "--points", "1",
                      "--search", "grid", "--json", gridJson})
                     .exitCode,
                 0);
        QFile g(gridJson);
        QVERIFY(g.open(QIODevice::ReadOnly));
        const double gridFirst = QJsonDocument::fromJson(g.readAll())
                                     .object()["per_point"]
                                     .toArray()[0]
                                     .toObject()["relative_error"]
                                     .toDouble();
        QVERIFY(perPoint[0].toObject()["relative_error"].toDouble() <= gridFirst * (1 + 1e-6));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no command") << QStringList{} << "Usage: mpq";
        QTest::newRow("unknown command")
            << QStringList{"frobnicate"} << "unknown command 'frobnicate'";
        QTest::newRow("bits 9") << QStringList{"decompose", "--bits", "9"}
                                << "--bits must be an integer from 2 to 8";
        QTest::newRow("points text")
            << QStringList{"decompose", "--points", "many"} << "--points must be";
        QTest::newRow("search") << QStringList{"decompose", "--search", "fast"}
                                << "--search must be exact or grid";
        QTest::newRow("unknown option")
            << QStringList{"decompose", "--colour"} << "Unknown option 'colour'";
    }
    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = mpq(args);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    // --bias-correction on|off (docs/multipoint.md section 9): every method evaluates with it,
    // exports verify against the corrected in-app model and record it in their manifest
    void biasCorrectionOption()
    {
        Run r = mpq({"eval", path("conv.pt"), "--calib", path("images"), "--images", path("images"),
                     "--bits", "2", "--max-points", "3", "--budget", "0.1", "--method",
                     "multipoint,rtn,mixed", "--bias-correction", "on"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out.count("agreement (top-1)"), 3); // one per method
        r = mpq({"export", path("conv.pt"), "--calib", path("images"), "--bits", "2",
                 "--max-points", "3", "--budget", "0.1", "--bias-correction", "on", "--format",
                 "fakequant", "-o", path("conv-bc.pt")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("verified on 6 images"), qPrintable(r.out));
        r = mpq({"export", path("conv.pt"), "--calib", path("images"), "--bits", "2",
                 "--max-points", "3", "--budget", "0.1", "--bias-correction", "on", "--format",
                 "package", "-o", path("conv-bc-pkg")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(readJson(path("conv-bc-pkg/manifest.json"))["allocation"]
                     .toObject()["bias_correction"]
                     .toBool(),
                 true);
        r = mpq({"eval", path("conv.pt"), "--calib", path("images"), "--images", path("images"),
                 "--bias-correction", "maybe"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("--bias-correction must be one of off, on, got 'maybe'"),
                 qPrintable(r.err));
    }

    // mixed precision names the layers it widens (text, eval and sweep JSON), and pinning
    // exactly those layers to b+1 bits reproduces its evaluation
    void mixedPrecisionNamesItsLayers()
    {
        const QStringList common{"--calib", path("images"), "--images", path("images"), "--bits",
                                 "2",       "--max-points", "3"};
        Run r = mpq(QStringList{"eval", path("conv.pt"), "--budget", "0.3", "--method", "mixed,rtn",
                                "--json", path("mixed.json")} +
                    common);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonArray methods = readJson(path("mixed.json"))["methods"].toArray();
        QCOMPARE(methods.size(), 2);
        const QJsonObject mixed = methods[0].toObject();
        QCOMPARE(mixed["method"].toString(), QString("mixed"));
        QVERIFY(!methods[1].toObject().contains("layers_at_next_bits"));
        const QJsonArray wider = mixed["layers_at_next_bits"].toArray();
        QVERIFY(!wider.isEmpty());
        QCOMPARE(mixed["detail"].toString(), QString("%1 layers at 3 bits").arg(wider.size()));
        QStringList names;
        QJsonObject pins;
        for (const QJsonValue &v : wider) {
            names << v.toString();
            pins[v.toString()] = QJsonObject{{"bits", 3}};
        }
        // the printed list: "layers at 3 bits:" and the names, wrapped onto indented lines
        const QStringList lines = r.out.split('\n');
        const qsizetype first = lines.indexOf(QRegularExpression("^layers at 3 bits:.*"));
        QVERIFY2(first >= 0, qPrintable(r.out));
        QString printed = lines[first].mid(QString("layers at 3 bits:").size());
        for (qsizetype k = first + 1; k < lines.size() && lines[k].startsWith("  "); ++k)
            printed += lines[k];
        QCOMPARE(printed.simplified(), names.join(", "));
        writeFile(path("wider.json"), QJsonDocument(pins).toJson());
        r = mpq(QStringList{"eval", path("conv.pt"), "--budget", "0", "--method", "multipoint",
                            "--overrides", path("wider.json"), "--json", path("pinned.json")} +
                common);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject pinned = readJson(path("pinned.json"));
        QCOMPARE(pinned["cost"].toObject()["memory_overhead"].toDouble(),
                 mixed["cost"].toObject()["memory_overhead"].toDouble());
        const QJsonObject a = mixed["metrics"].toObject()["quantized"].toObject(),
                          b = pinned["metrics"].toObject()["quantized"].toObject();
        QCOMPARE(b["agreement"].toDouble(), a["agreement"].toDouble());
        QCOMPARE(b["kl"].toDouble(), a["kl"].toDouble());
        // the sweep's mixed points carry the same list at that budget
        r = mpq(QStringList{"sweep", path("conv.pt"), "--budgets", "0.3", "--method",
                            "mixed,multipoint", "--out", path("mixed-sweep.json")} +
                common);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonArray points = readJson(path("mixed-sweep.json"))["points"].toArray();
        int mixedPoints = 0;
        for (const QJsonValue &v : points) {
            const QJsonObject p = v.toObject();
            QCOMPARE(p.contains("layers_at_next_bits"), p["method"].toString() == "mixed");
            if (p["method"].toString() == "mixed") {
                QCOMPARE(p["layers_at_next_bits"].toArray(), wider);
                ++mixedPoints;
            }
        }
        QCOMPARE(mixedPoints, 1);
    }

    // --sensitivity, --mac-cap and mpq sweep --rules --out (docs/multipoint.md section 8)
    void taskAwareOptions()
    {
        Run r = mpq({"sweep",
                     path("conv.pt"),
                     "--calib",
                     path("images"),
                     "--images",
                     path("images"),
                     "--bits",
                     "2",
                     "--max-points",
                     "3",
                     "--budgets",
                     "0,0.3",
                     "--method",
                     "multipoint,mixed",
                     "--sensitivity",
                     "on",
                     "--rules",
                     "--mac-caps",
                     "5",
                     "--out",
                     path("sweep.csv")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        for (const char *series :
             {"multipoint-unweighted", "multipoint-weighted", "multipoint-mac5"})
            QCOMPARE(r.out.count(series), 2); // one per budget
        QFile csv(path("sweep.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 2 * 5); // header, 2 budgets x (2 methods + 3 rules)
        QVERIFY(lines[0].startsWith("budget,series,method,memory_overhead,mac_overhead"));
        for (const QString &line : lines.mid(1)) {
            const QStringList cells = line.split(',');
            if (cells[1] == "multipoint-mac5")
                QVERIFY2(cells[4].toDouble() <= 0.05, qPrintable(line));
        }
        r = mpq({"sweep", path("conv.pt"), "--calib", path("images"), "--images", path("images"),
                 "--bits", "2", "--max-points", "3", "--budgets", "0.3", "--method", "multipoint",
                 "--sensitivity", "off", "--rules", "--out", path("sweep.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        // without a sensitivity analysis no weighted rule: unweighted and the default 20 % cap
        const QJsonArray points = readJson(path("sweep.json"))["points"].toArray();
        QCOMPARE(points.size(), 3);
        QCOMPARE(points[1].toObject()["series"].toString(), QString("multipoint-unweighted"));
        QCOMPARE(points[2].toObject()["series"].toString(), QString("multipoint-mac20"));
        r = mpq({"eval", path("conv.pt"), "--calib", path("images"), "--images", path("images"),
                 "--bits", "2", "--max-points", "3", "--budget", "0.3", "--mac-cap", "2",
                 "--method", "multipoint", "--json", path("capped.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject cost = readJson(path("capped.json"))["cost"].toObject();
        QVERIFY(cost["memory_overhead"].toDouble() <= 0.3);
        QVERIFY(cost["mac_overhead"].toDouble() <= 0.02);
        r = mpq({"eval", path("conv.pt"), "--calib", path("images"), "--images", path("images"),
                 "--sensitivity", "maybe"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("--sensitivity must be one of off, on, got 'maybe'"),
                 qPrintable(r.err));
    }

    void unwritableJsonLeavesNothing()
    {
        QTemporaryDir dir;
        QFile blocker(dir.filePath("file"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        // the parent of the destination is a regular file: even root cannot write there
        const QString target = dir.filePath("file/out.json");
        const Run r =
            mpq({"decompose", "--rows", "2", "--cols", "8", "--points", "1", "--json", target});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("cannot write " + target), qPrintable(r.err));
        QCOMPARE(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries),
                 QStringList{"file"});
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
