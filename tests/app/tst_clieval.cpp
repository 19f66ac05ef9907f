// mpq eval, sweep and export run as a user runs them: float beside quantized, the images
// evaluated, exports and their reports, and the options of the task-aware allocation.
#include "clirun.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace clitest;

class TestCliEval : public CliFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { setUpClassifier(6, true); }

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
};

QTEST_GUILESS_MAIN(TestCliEval)
#include "tst_clieval.moc"
