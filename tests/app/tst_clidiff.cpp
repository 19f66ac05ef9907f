// `mpq diff A.json B.json` (docs/snapshots.md) run as a user runs it, on two reports of
// `mpq analyze --json` of one model: one at a low epsilon, one with overrides.
#include "clirun.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace clitest;

class TestCliDiff : public CliFixture
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        setUpClassifier(4, false);
        if (QTest::currentTestFailed())
            return;
        // A: the threshold rule at a large epsilon (few points)
        Run r = mpq({"analyze", path("conv.pt"), "--calib", path("images"), "--bits", "3",
                     "--max-points", "3", "--epsilon", "100", "--json", path("a.json"), "--save",
                     path("a.mpqa")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        // B: the same, with pw at 3 points and fc float
        writeFile(path("overrides.json"), R"({"fc": "float", "pw": {"points": 3}})");
        r = mpq({"analyze", path("conv.pt"), "--analysis", path("a.mpqa"), "--bits", "3",
                 "--max-points", "3", "--epsilon", "100", "--overrides", path("overrides.json"),
                 "--json", path("b.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    void textComparison()
    {
        const Run r = mpq({"diff", path("a.json"), path("b.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("A: conv.pt (a.json), model conv.pt"), qPrintable(r.out));
        QVERIFY(r.out.contains("B: conv.pt (b.json)"));
        QVERIFY(r.out.contains("memory overhead"));
        QVERIFY(r.out.contains("total error"));
        QVERIFY2(r.out.contains("2 layers changed, 3 unchanged"), qPrintable(r.out));
        // the table: fc goes float, pw from 1 to 3 points
        const QStringList lines = r.out.split('\n');
        QString fc, pw;
        for (const QString &l : lines) {
            if (l.startsWith("fc "))
                fc = l;
            if (l.startsWith("pw "))
                pw = l;
        }
        const auto pointsIn = [&](const QString &file, const QString &layer) {
            QFile f(path(file));
            f.open(QIODevice::ReadOnly);
            for (const QJsonValue &v : QJsonDocument::fromJson(f.readAll())["layers"].toArray())
                if (v.toObject()["name"].toString() == layer)
                    return v.toObject()["mean_points"].toDouble();
            return -1.0;
        };
        const QString fcA = QString::number(pointsIn("a.json", "fc"), 'f', 2);
        const QString pwA = QString::number(pointsIn("a.json", "pw"), 'f', 2);
        QVERIFY2(
            fc.contains(QRegularExpression("^fc +" + QRegularExpression::escape(fcA) + " +float ")),
            qPrintable(fc));
        QVERIFY2(
            pw.contains(QRegularExpression("^pw +" + QRegularExpression::escape(pwA) + " +3.00 ")),
            qPrintable(pw));
        QVERIFY(!r.out.contains("\nconv1 ")); // unchanged layers are not listed
        QVERIFY(r.out.contains("predictions: not compared (neither run was evaluated)"));
        QVERIFY(r.err.isEmpty());

        // --top 1: only the largest change, and how many more
        const Run one = mpq({"diff", path("a.json"), path("b.json"), "--top", "1"});
        QCOMPARE(one.exitCode, 0);
        QVERIFY2(one.out.contains("... 1 more (--top 0 shows all)"), qPrintable(one.out));
    }

    void jsonComparison()
    {
        const Run r = mpq({"diff", path("a.json"), path("b.json"), "--json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject d = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QVERIFY(d["same_model"].toBool());
        QCOMPARE(d["layers_changed"].toInt(), 2);
        QCOMPARE(d["layers_unchanged"].toInt(), 3);
        const QJsonArray layers = d["layers"].toArray();
        QCOMPARE(layers.size(), 2);
        QJsonObject pw, fc;
        for (const QJsonValue &v : layers)
            (v.toObject()["name"].toString() == "pw" ? pw : fc) = v.toObject();
        QCOMPARE(fc["name"].toString(), QString("fc"));
        QCOMPARE(pw["points_delta"].toDouble(),
                 3.0 - pw["a"].toObject()["mean_points"].toDouble()); // pinned at 3 in B
        QVERIFY(pw["error_delta"].toDouble() < 0);
        QVERIFY(fc["b"].toObject()["float"].toBool());
        QVERIFY(layers[0].toObject()["magnitude"].toDouble() >=
                layers[1].toObject()["magnitude"].toDouble());
        // the totals are the reports' own
        const auto readReport = [&](const QString &name) {
            QFile f(path(name));
            f.open(QIODevice::ReadOnly);
            return QJsonDocument::fromJson(f.readAll()).object()["model"].toObject();
        };
        QCOMPARE(d["a"].toObject()["totals"].toObject()["overhead"].toDouble(),
                 readReport("a.json")["overhead"].toDouble());
        QCOMPARE(d["b"].toObject()["totals"].toObject()["overhead"].toDouble(),
                 readReport("b.json")["overhead"].toDouble());
    }

    void snapshotsWithPredictions()
    {
        // two snapshot files as the app exports them (docs/snapshots.md), evaluated
        const auto snapshot = [&](const QString &name, double value, int catClass,
                                  double catScore) {
            const QJsonObject layer{{"name", "conv1"},   {"mean_points", 1.0}, {"max_points", 1},
                                    {"rel_error", 0.01}, {"sqnr_db", 20.0},    {"bits", 4},
                                    {"weights", 100},    {"cost_bits", 0}};
            return QJsonDocument(
                       QJsonObject{
                           {"format", "mpq-run-snapshot"},
                           {"version", 1},
                           {"name", name},
                           {"model", QJsonObject{{"path", "/m/net.pt"}, {"sha256", "abcd"}}},
                           {"allocation_settings",
                            QJsonObject{{"rule", "budget"}, {"budget", 0.05}}},
                           {"layers", QJsonArray{layer}},
                           {"totals", QJsonObject{{"overhead", 0.0},
                                                  {"total_error", 0.01},
                                                  {"weights", 100}}},
                           {"evaluation",
                            QJsonObject{{"task", "classification"},
                                        {"metric", "top-1"},
                                        {"value", value},
                                        {"predictions",
                                         QJsonObject{{"cat.png", QJsonObject{{"class", catClass},
                                                                             {"score", catScore}}},
                                                     {"dog.png", QJsonObject{{"class", 0},
                                                                             {"score", 0.8}}}}}}}})
                .toJson();
        };
        writeFile(path("s1.json"), snapshot("first", 0.75, 1, 0.9));
        writeFile(path("s2.json"), snapshot("second", 0.5, 0, 0.6));
        const Run r = mpq({"diff", path("s1.json"), path("s2.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("A: first (s1.json)"), qPrintable(r.out));
        QVERIFY(r.out.contains(QRegularExpression("top-1 +0.7500 +0.5000 +-0.2500")));
        QVERIFY(r.out.contains("0 layers changed, 1 unchanged"));
        QVERIFY2(r.out.contains("1 of 2 images differ in their predictions"), qPrintable(r.out));
        QVERIFY(r.out.contains("  cat.png: class 1 (0.90) -> class 0 (0.60)"));
        QVERIFY(!r.out.contains("dog.png"));
    }

    void badFiles()
    {
        Run r = mpq({"diff", path("a.json"), path("missing.json")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("mpq diff: " + path("missing.json") + ": cannot read"),
                 qPrintable(r.err));
        writeFile(path("foreign.json"), R"({"format": "something else"})");
        r = mpq({"diff", path("foreign.json"), path("a.json")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(path("foreign.json") + ": not a run snapshot or report of mpq"),
                 qPrintable(r.err));
        writeFile(path("garbage.json"), "{not json");
        r = mpq({"diff", path("a.json"), path("garbage.json")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("garbage.json"), qPrintable(r.err));
        r = mpq({"diff", path("a.json")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("give exactly two files"), qPrintable(r.err));
        r = mpq({"diff", path("a.json"), path("b.json"), "--top", "-3"});
        QCOMPARE(r.exitCode, 1);
    }

    void differentModels()
    {
        QFile f(path("b.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QJsonObject doc = QJsonDocument::fromJson(f.readAll()).object();
        QJsonObject model = doc["model"].toObject();
        model["sha256"] = "0123456789abcdef0123456789abcdef";
        model["path"] = "/elsewhere/other.pt";
        doc["model"] = model;
        writeFile(path("other.json"), QJsonDocument(doc).toJson());
        const Run r = mpq({"diff", path("a.json"), path("other.json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("note: different models: conv.pt"), qPrintable(r.out));
        QVERIFY(r.out.contains("other.pt (01234567)"));
        QVERIFY2(r.err.contains("mpq diff: warning: different models"), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCliDiff)
#include "tst_clidiff.moc"
