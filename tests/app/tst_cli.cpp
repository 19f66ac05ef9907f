// The mpq command-line tool, run as a user runs it.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
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

class TestCli : public QObject
{
    Q_OBJECT
private slots:
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
