// Project files (round trip of every field, the settings in the shared codec of
// mpq/vocabulary.h, a project of format version 1, a project folder moved as a whole, malformed
// files named with the key, a moved or changed model, atomic saving) and autosave with crash
// recovery.
#include "autosave.h"
#include "projectfile.h"

#include "mpq/error.h"
#include "mpq/vocabulary.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

namespace {

mpq::studio::Project sample(const QString &dir)
{
    mpq::studio::Project p;
    p.modelPath = dir + "/models/net.pt";
    p.modelSha256 = "ab12";
    p.imagesDir = dir + "/images";
    p.hasProfile = true;
    p.profile.task = mpq::Task::Detection;
    p.profile.input.width = 320;
    p.profile.input.height = 240;
    p.profile.output.decoder = mpq::DecoderKind::BoxesScores;
    p.profile.labels = {"person", "car"};
    p.analysis.bits = 3;
    p.analysis.maxPoints = 6;
    p.analysis.search = mpq::SearchMethod::Grid;
    p.analysis.firstPoint = mpq::FirstPointRule::OutputBest;
    p.analysis.calibCount = 48;
    p.analysis.activationBits = 8;
    p.analysis.seed = 18446744073709551615ull;
    p.allocation.bits = 3;
    p.allocation.rule = mpq::AllocationRule::Budget;
    p.allocation.epsilon = 2.5e-4;
    p.allocation.budget = 0.075;
    p.allocation.cost = mpq::BudgetCost::Macs;
    p.allocation.overrides["stem.conv"] = {mpq::LayerOverride::Kind::Points, 3, 0};
    p.allocation.overrides["head.fc"] = {mpq::LayerOverride::Kind::Bits, 1, 6};
    p.allocation.overrides["layer1.0"] = {mpq::LayerOverride::Kind::Float, 1, 0};
    p.analysisPath = dir + "/net.mpqa";
    p.page = 2;
    p.selectedLayers = {4, 1};
    return p;
}

void touch(const QString &path)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
}

} // namespace

class TestProjectFile : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString path(const QString &n) const { return m_dir.filePath(n); }

private slots:
    void roundTrip()
    {
        const mpq::studio::Project p = sample(path("a"));
        QVERIFY(QDir().mkpath(path("a")));
        mpq::studio::saveProject(p, path("a/p.mpqproj"));
        const mpq::studio::Project q = mpq::studio::loadProject(path("a/p.mpqproj"));
        QCOMPARE(q.modelPath, p.modelPath);
        QCOMPARE(q.modelSha256, p.modelSha256);
        QCOMPARE(q.imagesDir, p.imagesDir);
        QCOMPARE(q.analysisPath, p.analysisPath);
        QVERIFY(q.hasProfile);
        QCOMPARE(q.profile.task, mpq::Task::Detection);
        QCOMPARE(q.profile.input.width, 320);
        QCOMPARE(q.profile.labels, p.profile.labels);
        QCOMPARE(q.analysis.bits, 3);
        QCOMPARE(q.analysis.maxPoints, 6);
        QCOMPARE(q.analysis.search, mpq::SearchMethod::Grid);
        QCOMPARE(q.analysis.firstPoint, mpq::FirstPointRule::OutputBest);
        QCOMPARE(q.analysis.calibCount, 48);
        QCOMPARE(q.analysis.activationBits, 8);
        QCOMPARE(q.analysis.seed, p.analysis.seed);
        QCOMPARE(q.allocation.rule, mpq::AllocationRule::Budget);
        QCOMPARE(q.allocation.epsilon, 2.5e-4);
        QCOMPARE(q.allocation.budget, 0.075);
        QCOMPARE(q.allocation.cost, mpq::BudgetCost::Macs);
        QCOMPARE(q.allocation.overrides.size(), size_t(3));
        QCOMPARE(q.allocation.overrides.at("stem.conv").points, 3);
        QCOMPARE(q.allocation.overrides.at("head.fc").kind, mpq::LayerOverride::Kind::Bits);
        QCOMPARE(q.allocation.overrides.at("head.fc").bits, 6);
        QCOMPARE(q.allocation.overrides.at("layer1.0").kind, mpq::LayerOverride::Kind::Float);
        QCOMPARE(q.page, 2);
        QCOMPARE(q.selectedLayers, (QList<int>{4, 1}));
    }

    void settingsInTheSharedCodec()
    {
        // the allocation object is the one `mpq --overrides`, the saved analysis and the export
        // manifests use (mpq/vocabulary.h), and every override kind comes back from it
        const mpq::studio::Project p = sample(path("codec"));
        const QJsonObject root =
            QJsonDocument::fromJson(mpq::studio::projectToJson(p, path("codec/p.mpqproj")))
                .object();
        QCOMPARE(root["version"].toInt(), mpq::studio::Project::kVersion);
        const QJsonObject allocation = root["allocation"].toObject();
        QCOMPARE(allocation,
                 QJsonDocument::fromJson(
                     QByteArray::fromStdString(mpq::allocationSettingsToJson(p.allocation)))
                     .object());
        const QJsonObject overrides = allocation["overrides"].toObject();
        QCOMPARE(overrides["stem.conv"].toObject(), (QJsonObject{{"points", 3}}));
        QCOMPARE(overrides["head.fc"].toObject(), (QJsonObject{{"bits", 6}}));
        QCOMPARE(overrides["layer1.0"].toString(), QString("float"));
        QCOMPARE(allocation["rule"].toString(), QString("budget"));
        QCOMPARE(allocation["cost"].toString(), QString("macs"));
        const mpq::AllocationSettings parsed = mpq::allocationSettingsFromJson(
            QJsonDocument(allocation).toJson().toStdString(), "project allocation");
        QCOMPARE(parsed.overrides.size(), size_t(3));
        QCOMPARE(parsed.overrides.at("head.fc").bits, 6);
        const QJsonObject analysis = root["analysis"].toObject();
        QCOMPARE(analysis["first_point"].toString(), QString("output-best"));
        QCOMPARE(analysis["search"].toString(), QString("grid"));
        QCOMPARE(analysis["seed"].toString(), QString("18446744073709551615")); // exact as text
    }

    void versionOneProjectReads()
    {
        // written by the previous version: overrides as {"kind", ...}, the seed as a string, no
        // first_point
        const QByteArray old = R"({
    "allocation": {
        "bits": 3, "budget": 0.075, "cost": "macs", "epsilon": 0.00025,
        "overrides": {
            "head.fc": {"bits": 6, "kind": "bits"},
            "layer1.0": {"kind": "float"},
            "stem.conv": {"kind": "points", "points": 3}
        },
        "rule": "budget"
    },
    "analysis": {
        "activation_bits": 8, "batch_size": 8, "bits": 3, "calib_count": 48, "max_points": 6,
        "search": "grid", "seed": "12345678901234567890"
    },
    "analysis_file": {"absolute": "/x/net.mpqa"},
    "format": "mpq-studio project",
    "images": {"absolute": "/x/images"},
    "model": {"absolute": "/x/models/net.pt"},
    "model_sha256": "ab12",
    "version": 1,
    "view": {"page": 2, "selected_layers": [4, 1]}
})";
        const mpq::studio::Project q = mpq::studio::projectFromJson(old, "/x/p.mpqproj");
        QCOMPARE(q.modelPath, QString("/x/models/net.pt"));
        QCOMPARE(q.analysis.bits, 3);
        QCOMPARE(q.analysis.maxPoints, 6);
        QCOMPARE(q.analysis.search, mpq::SearchMethod::Grid);
        QCOMPARE(q.analysis.firstPoint, mpq::AnalysisSettings{}.firstPoint);
        QCOMPARE(q.analysis.calibCount, 48);
        QCOMPARE(q.analysis.activationBits, 8);
        QCOMPARE(q.analysis.seed, 12345678901234567890ull);
        QCOMPARE(q.allocation.bits, 3);
        QCOMPARE(q.allocation.rule, mpq::AllocationRule::Budget);
        QCOMPARE(q.allocation.epsilon, 2.5e-4);
        QCOMPARE(q.allocation.budget, 0.075);
        QCOMPARE(q.allocation.cost, mpq::BudgetCost::Macs);
        QCOMPARE(q.allocation.overrides.size(), size_t(3));
        QCOMPARE(q.allocation.overrides.at("stem.conv").kind, mpq::LayerOverride::Kind::Points);
        QCOMPARE(q.allocation.overrides.at("stem.conv").points, 3);
        QCOMPARE(q.allocation.overrides.at("head.fc").kind, mpq::LayerOverride::Kind::Bits);
        QCOMPARE(q.allocation.overrides.at("head.fc").bits, 6);
        QCOMPARE(q.allocation.overrides.at("layer1.0").kind, mpq::LayerOverride::Kind::Float);
        QCOMPARE(q.page, 2);
        QVERIFY(q.snapshots.empty()); // written before snapshots existed
        // an allocation without bits takes the analysis' bits, as version 1 did
        const mpq::studio::Project noBits = mpq::studio::projectFromJson(
            R"({"format": "mpq-studio project", "version": 1, "model": {"absolute": "/m"},
                "analysis": {"bits": 5}, "allocation": {"rule": "threshold"}})",
            "/x/p.mpqproj");
        QCOMPARE(noBits.allocation.bits, 5);
    }

    void snapshotsRoundTrip()
    {
        // pinned runs (docs/snapshots.md) survive a save and load, in their order, with their
        // figures and predictions
        mpq::studio::Project p = sample(path("s"));
        mpq::RunSnapshot a;
        a.name = "3 bits, budget 7.5 %";
        a.time = "2026-12-03T16:10:00Z";
        a.modelPath = p.modelPath.toStdString();
        a.modelSha256 = "ab12";
        a.hasAnalysisSettings = true;
        a.analysis = p.analysis;
        a.allocation = p.allocation;
        mpq::SnapshotLayer l;
        l.name = "stem.conv";
        l.bits = 3;
        l.meanPoints = 2.25;
        l.maxPoints = 3;
        l.relativeError = 1.5e-3;
        l.sqnrDb = 28.2;
        l.weights = 864;
        l.costBits = 3456;
        l.overhead = 1.25;
        a.layers = {l, l};
        a.layers[1].name = "head.fc";
        a.layers[1].isFloat = true;
        a.layers[1].sqnrDb = std::numeric_limits<double>::infinity();
        a.totals.memoryOverhead = 0.074;
        a.totals.totalError = 0.031;
        a.totals.allWeights = 123456789012;
        a.evaluated = true;
        a.task = mpq::Task::Detection;
        a.metricName = "mAP@0.5 vs float";
        a.metricValue = 0.83;
        mpq::Detection d;
        d.x1 = 1.5f;
        d.x2 = 40;
        d.y2 = 30;
        d.label = 1;
        d.score = 0.75f;
        a.predictions["street/1.jpg"].detections = {d};
        mpq::RunSnapshot b = a;
        b.name = "second";
        b.evaluated = false;
        b.predictions.clear();
        p.snapshots = {a, b};
        QVERIFY(QDir().mkpath(path("s")));
        mpq::studio::saveProject(p, path("s/p.mpqproj"));
        const mpq::studio::Project q = mpq::studio::loadProject(path("s/p.mpqproj"));
        QCOMPARE(q.snapshots.size(), std::size_t(2));
        const mpq::RunSnapshot &r = q.snapshots[0];
        QCOMPARE(r.name, a.name);
        QCOMPARE(r.time, a.time);
        QCOMPARE(r.modelSha256, a.modelSha256);
        QCOMPARE(r.allocation.budget, 0.075);
        QCOMPARE(r.allocation.overrides.size(), std::size_t(3));
        QCOMPARE(r.analysis.seed, a.analysis.seed); // 2^64 - 1: kept exact through Qt's JSON
        QCOMPARE(r.layers.size(), std::size_t(2));
        QCOMPARE(r.layers[0].meanPoints, 2.25);
        QCOMPARE(r.layers[0].costBits, std::int64_t(3456));
        QVERIFY(r.layers[1].isFloat);
        QVERIFY(std::isinf(r.layers[1].sqnrDb));
        QCOMPARE(r.totals.allWeights, std::int64_t(123456789012));
        QVERIFY(r.evaluated);
        QCOMPARE(r.predictions.at("street/1.jpg").detections.at(0).x1, 1.5f);
        QCOMPARE(r.predictions.at("street/1.jpg").detections.at(0).score, 0.75f);
        QCOMPARE(q.snapshots[1].name, std::string("second"));
        QVERIFY(!q.snapshots[1].evaluated);
        // and nothing else of the project moved
        QCOMPARE(q.allocation.overrides.size(), std::size_t(3));
        QCOMPARE(q.page, 2);
    }

    void movedProjectFolder()
    {
        // a project folder moved with its model and images: the relative paths win
        touch(path("b/models/net.pt"));
        QDir().mkpath(path("b/images"));
        mpq::studio::saveProject(sample(path("b")), path("b/p.mpqproj"));
        QVERIFY(QDir().rename(path("b"), path("moved")));
        const mpq::studio::Project q = mpq::studio::loadProject(path("moved/p.mpqproj"));
        QCOMPARE(q.modelPath, QDir::cleanPath(path("moved/models/net.pt")));
        QCOMPARE(q.imagesDir, QDir::cleanPath(path("moved/images")));
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("not json") << QByteArray("{oops") << "(document): not a project file";
        QTest::newRow("foreign") << QByteArray("{\"format\": \"other\"}") << "format: not an MPQ";
        QTest::newRow("newer") << QByteArray("{\"format\": \"mpq-studio project\", \"version\": 9, "
                                             "\"model\": {\"absolute\": \"/m\"}}")
                               << "version: made by a newer";
        QTest::newRow("no model") << QByteArray(
                                         "{\"format\": \"mpq-studio project\", \"version\": 1}")
                                  << "model: missing";
        QTest::newRow("bits type")
            << QByteArray("{\"format\": \"mpq-studio project\", \"model\": {\"absolute\": \"/m\"}, "
                          "\"analysis\": {\"bits\": \"four\"}}")
            << "/x/p.mpqproj: analysis: bits: must be an integer from 2 to 8";
        QTest::newRow("override kind")
            << QByteArray("{\"format\": \"mpq-studio project\", \"model\": {\"absolute\": \"/m\"}, "
                          "\"allocation\": {\"overrides\": {\"c\": {\"kind\": \"magic\"}}}}")
            << "/x/p.mpqproj: allocation: overrides: c: unknown override kind 'magic'";
        QTest::newRow("epsilon")
            << QByteArray("{\"format\": \"mpq-studio project\", \"model\": {\"absolute\": \"/m\"}, "
                          "\"allocation\": {\"epsilon\": 0}}")
            << "/x/p.mpqproj: allocation: epsilon: must be > 0";
        QTest::newRow("rule word")
            << QByteArray("{\"format\": \"mpq-studio project\", \"model\": {\"absolute\": \"/m\"}, "
                          "\"allocation\": {\"rule\": \"greedy\"}}")
            << "/x/p.mpqproj: allocation: rule: unknown allocation rule 'greedy'";
        QTest::newRow("override points")
            << QByteArray("{\"format\": \"mpq-studio project\", \"model\": {\"absolute\": \"/m\"}, "
                          "\"allocation\": {\"overrides\": {\"c\": {\"points\": 40}}}}")
            << "/x/p.mpqproj: allocation: overrides: c: points must be 1..16";
        QTest::newRow("seed")
            << QByteArray("{\"format\": \"mpq-studio project\", \"model\": {\"absolute\": \"/m\"}, "
                          "\"analysis\": {\"seed\": \"-3\"}}")
            << "/x/p.mpqproj: analysis: seed: must be a non-negative whole number";
        QTest::newRow("snapshots type")
            << QByteArray("{\"format\": \"mpq-studio project\", \"model\": {\"absolute\": \"/m\"}, "
                          "\"snapshots\": {}}")
            << "/x/p.mpqproj: snapshots: must be an array";
        QTest::newRow("foreign snapshot")
            << QByteArray("{\"format\": \"mpq-studio project\", \"model\": {\"absolute\": \"/m\"}, "
                          "\"snapshots\": [{\"format\": \"other\"}]}")
            << "/x/p.mpqproj: snapshots[0]: not a run snapshot";
        QTest::newRow("analysis type")
            << QByteArray("{\"format\": \"mpq-studio project\", \"model\": {\"absolute\": \"/m\"}, "
                          "\"analysis\": [4]}")
            << "/x/p.mpqproj: analysis: must be an object";
    }

    void malformed()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        try {
            mpq::studio::projectFromJson(json, "/x/p.mpqproj");
            QFAIL("accepted");
        } catch (const mpq::Error &e) {
            QCOMPARE(e.code(), mpq::ErrorCode::BadProfile);
            QVERIFY2(QString(e.what()).startsWith("/x/p.mpqproj: "), e.what());
            QVERIFY2(QString(e.what()).contains(message), e.what());
        }
    }

    void modelProblems()
    {
        const mpq::studio::Project p = sample("/nowhere");
        QVERIFY(mpq::studio::modelProblem(p, false, {}).contains("moved or deleted"));
        QVERIFY(mpq::studio::modelProblem(p, true, "ffff").contains("changed"));
        QVERIFY(mpq::studio::modelProblem(p, true, "ab12").isEmpty());
    }

    void atomicSave()
    {
        touch(path("blocker"));
        try {
            mpq::studio::saveProject(sample(path("c")), path("blocker/p.mpqproj"));
            QFAIL("saved into a file's child");
        } catch (const mpq::Error &e) {
            QCOMPARE(e.code(), mpq::ErrorCode::Io);
            QVERIFY(QString(e.what()).contains("blocker/p.mpqproj"));
        }
        // an existing project is replaced whole
        mpq::studio::saveProject(sample(path("c")), path("keep.mpqproj"));
        mpq::studio::Project other = sample(path("c"));
        other.page = 4;
        mpq::studio::saveProject(other, path("keep.mpqproj"));
        QCOMPARE(mpq::studio::loadProject(path("keep.mpqproj")).page, 4);
        QCOMPARE(QDir(m_dir.path()).entryList({"keep*"}, QDir::Files | QDir::Hidden).size(), 1);
    }

    void autosaveAndRecovery()
    {
        const QString folder = path("autosave");
        std::optional<mpq::studio::Project> current = sample(path("d"));
        {
            mpq::studio::Autosave autosave(folder, [&] { return current; });
            autosave.setInterval(20);
            QSignalSpy saved(&autosave, &mpq::studio::Autosave::saved);
            autosave.markDirty();
            autosave.markDirty(); // coalesced
            QVERIFY(saved.wait(2000));
            QTest::qWait(100);
            QCOMPARE(saved.size(), 1);
            // this session still runs: nothing to recover
            QVERIFY(!mpq::studio::Autosave::pendingRecovery(folder));
            current->page = 3;
            autosave.saveNow();
        } // ends without discard(): as after a crash
        const auto recovered = mpq::studio::Autosave::pendingRecovery(folder);
        QVERIFY(recovered);
        QCOMPARE(recovered->page, 3);
        QCOMPARE(recovered->modelPath, current->modelPath);
        {
            mpq::studio::Autosave autosave(folder, [&] { return current; });
            autosave.saveNow();
            autosave.discard(); // a clean close
        }
        QVERIFY(!mpq::studio::Autosave::pendingRecovery(folder));
        // a damaged snapshot is dropped, not offered
        QFile damaged(folder + "/autosave.mpqproj");
        QVERIFY(damaged.open(QIODevice::WriteOnly));
        damaged.write("{broken");
        damaged.close();
        QVERIFY(!mpq::studio::Autosave::pendingRecovery(folder));
        QVERIFY(!QFile::exists(folder + "/autosave.mpqproj"));
    }
};

QTEST_MAIN(TestProjectFile)
#include "tst_projectfile.moc"
