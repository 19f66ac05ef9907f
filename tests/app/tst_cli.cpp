// The mpq command-line tool, run as a user runs it: analyze, decompose, help, version, usage
// errors and unwritable outputs.
#include "clirun.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace clitest;

class TestCli : public CliFixture
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        setUpClassifier(6, true);
        if (QTest::currentTestFailed())
            return;
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
