// Run snapshots and their diff (docs/snapshots.md): the JSON round trip, a report read as a
// snapshot, and the diff's figures on a constructed pair of runs.
#include "../widgets/syntheticanalysis.h"

#include "mpq/error.h"
#include "mpq/pipeline.h"
#include "mpq/report.h"
#include "mpq/snapshot.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>

namespace {

std::shared_ptr<const mpq::Analysis> analysisOf(const std::string &sha)
{
    mpqtest::SyntheticAnalysis s = mpqtest::makeSmallAnalysis();
    auto a = std::make_shared<mpq::Analysis>(*s.analysis);
    a->modelPath = "/models/small.pt";
    a->modelSha256 = sha;
    return a;
}

mpq::Quantization quantization(std::shared_ptr<const mpq::Analysis> analysis,
                               const mpq::AllocationSettings &settings)
{
    mpq::Quantization q;
    q.analysis = analysis;
    q.settings = settings;
    q.atBits = std::make_shared<const std::vector<mpq::LayerAtBits>>();
    q.allocation = mpq::allocate(analysis->curves, settings);
    return q;
}

/// Every layer at one point: a threshold no channel's relative error reaches.
mpq::AllocationSettings onePoint()
{
    mpq::AllocationSettings s;
    s.rule = mpq::AllocationRule::Threshold;
    s.epsilon = 100.0;
    return s;
}

mpq::ImagePrediction classified(const std::string &file, std::vector<float> quantized)
{
    mpq::ImagePrediction p;
    p.file = file;
    p.label = 0;
    p.floatProbabilities = quantized;
    p.quantizedProbabilities = std::move(quantized);
    return p;
}

mpq::EvaluationResult classification(std::vector<mpq::ImagePrediction> images)
{
    mpq::EvaluationResult r;
    r.task = mpq::Task::Classification;
    r.images = std::move(images);
    r.classification.images = int(r.images.size());
    r.classification.labelled = int(r.images.size());
    r.classification.top1Quantized = 0.5;
    return r;
}

mpq::Detection box(float x1, float y1, float x2, float y2, int label, float score)
{
    mpq::Detection d;
    d.x1 = x1;
    d.y1 = y1;
    d.x2 = x2;
    d.y2 = y2;
    d.label = label;
    d.score = score;
    return d;
}

std::string fileText(const std::string &path)
{
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

class TestSnapshot : public QObject
{
    Q_OBJECT

private slots:
    void jsonRoundTrip()
    {
        mpq::AllocationSettings settings;
        settings.rule = mpq::AllocationRule::Budget;
        settings.budget = 0.07;
        settings.cost = mpq::BudgetCost::Memory;
        settings.overrides["fc"] = {mpq::LayerOverride::Kind::Float};
        settings.overrides["conv1"] = {mpq::LayerOverride::Kind::Points, 3};
        const mpq::Quantization q = quantization(analysisOf("abcdef0123456789"), settings);
        const mpq::EvaluationResult eval =
            classification({classified("/data/imgs/cat/1.png", {0.1f, 0.7f, 0.2f}),
                            classified("/data/imgs/dog/2.png", {0.6f, 0.3f, 0.1f})});
        const mpq::RunSnapshot s = mpq::snapshotOf(q, "first run", &eval);
        QCOMPARE(s.layers.size(), std::size_t(4));
        QCOMPARE(s.predictions.size(), std::size_t(2));
        // keyed by the path below the folder common to all images
        QVERIFY(s.predictions.count("cat/1.png"));
        QCOMPARE(s.predictions.at("cat/1.png").topClass, 1);
        QCOMPARE(s.predictions.at("dog/2.png").topClass, 0);
        QCOMPARE(s.predictions.at("dog/2.png").topScore, 0.6f);
        QCOMPARE(s.metricName, std::string("top-1"));
        QCOMPARE(s.metricValue, 0.5);
        QCOMPARE(s.time.size(), std::size_t(20)); // 2026-12-03T16:10:00Z

        const mpq::RunSnapshot r = mpq::snapshotFromJson(mpq::snapshotToJson(s), "snapshot.json");
        QCOMPARE(r.name, s.name);
        QCOMPARE(r.time, s.time);
        QCOMPARE(r.modelPath, s.modelPath);
        QCOMPARE(r.modelSha256, s.modelSha256);
        QVERIFY(r.hasAnalysisSettings);
        QCOMPARE(r.analysis.maxPoints, s.analysis.maxPoints);
        QVERIFY(r.allocation.rule == mpq::AllocationRule::Budget);
        QCOMPARE(r.allocation.budget, 0.07);
        QCOMPARE(r.allocation.overrides.size(), std::size_t(2));
        QVERIFY(r.allocation.overrides.at("fc").kind == mpq::LayerOverride::Kind::Float);
        QCOMPARE(r.allocation.overrides.at("conv1").points, 3);
        QCOMPARE(r.layers.size(), s.layers.size());
        for (std::size_t i = 0; i < s.layers.size(); ++i) {
            const mpq::SnapshotLayer &x = s.layers[i], &y = r.layers[i];
            QCOMPARE(y.name, x.name);
            QCOMPARE(y.isFloat, x.isFloat);
            QCOMPARE(y.pinned, x.pinned);
            QCOMPARE(y.bits, x.bits);
            QCOMPARE(y.meanPoints, x.meanPoints);
            QCOMPARE(y.maxPoints, x.maxPoints);
            QCOMPARE(y.relativeError, x.relativeError);
            QCOMPARE(y.sqnrDb, x.sqnrDb); // +inf for the float layer survives as null
            QCOMPARE(y.costBits, x.costBits);
            QCOMPARE(y.overhead, x.overhead);
            QCOMPARE(y.effectiveBits, x.effectiveBits);
        }
        QVERIFY(r.layers[2].isFloat);
        QVERIFY(std::isinf(r.layers[2].sqnrDb));
        QCOMPARE(r.totals.memoryOverhead, q.allocation.memoryOverhead);
        QCOMPARE(r.totals.totalError, q.allocation.totalError);
        QCOMPARE(r.totals.allWeights, q.allocation.allWeights);
        QVERIFY(r.evaluated);
        QCOMPARE(r.predictions.at("cat/1.png").topScore, 0.7f);
        QCOMPARE(s.imageRoot, std::string("/data/imgs/"));
        QCOMPARE(r.imageRoot, s.imageRoot);

        // detections survive too
        mpq::EvaluationResult det;
        det.task = mpq::Task::Detection;
        mpq::ImagePrediction p;
        p.file = "/x/a.jpg";
        p.quantizedDetections = {box(1, 2, 30, 40, 7, 0.9f)};
        det.images = {p};
        det.map50VsFloat = 0.8;
        const mpq::RunSnapshot d =
            mpq::snapshotFromJson(mpq::snapshotToJson(mpq::snapshotOf(q, "det", &det)), "d.json");
        QVERIFY(d.task == mpq::Task::Detection);
        QCOMPARE(d.metricValue, 0.8);
        QCOMPARE(d.predictions.at("a.jpg").detections.size(), std::size_t(1));
        QCOMPARE(d.predictions.at("a.jpg").detections[0].x2, 30.0f);
        QCOMPARE(d.predictions.at("a.jpg").detections[0].label, 7);
    }

    void reportReadsAsSnapshot()
    {
        mpq::AllocationSettings settings;
        settings.rule = mpq::AllocationRule::Budget;
        settings.budget = 0.05;
        settings.overrides["layer2.conv"] = {mpq::LayerOverride::Kind::Points, 2};
        const mpq::Quantization q = quantization(analysisOf("feed"), settings);
        const std::string report = mpq::reportJson(*q.analysis, q.allocation, q.settings);
        const mpq::RunSnapshot fromReport = mpq::snapshotFromJson(report, "r.json");
        const mpq::RunSnapshot direct = mpq::snapshotOf(q, "x");
        QCOMPARE(fromReport.name, std::string("small.pt"));
        QCOMPARE(fromReport.modelSha256, std::string("feed"));
        QVERIFY(fromReport.hasAnalysisSettings);
        QCOMPARE(fromReport.allocation.overrides.size(), std::size_t(1));
        QVERIFY(!fromReport.evaluated);
        QCOMPARE(fromReport.layers.size(), direct.layers.size());
        for (std::size_t i = 0; i < direct.layers.size(); ++i) {
            QCOMPARE(fromReport.layers[i].meanPoints, direct.layers[i].meanPoints);
            QCOMPARE(fromReport.layers[i].relativeError, direct.layers[i].relativeError);
            QCOMPARE(fromReport.layers[i].costBits, direct.layers[i].costBits);
        }
        QCOMPARE(fromReport.totals.memoryOverhead, direct.totals.memoryOverhead);
        QCOMPARE(fromReport.totals.totalError, direct.totals.totalError);
        QCOMPARE(fromReport.totals.allWeights, direct.totals.allWeights);
        // the same report and its snapshot diff to nothing
        const mpq::SnapshotDiff same = mpq::diffSnapshots(fromReport, direct);
        QVERIFY(same.sameModel);
        QVERIFY(same.layers.empty());
        QCOMPARE(same.unchangedLayers, 4);

        // a report written before snapshots existed: no settings blocks
        nlohmann::json old = nlohmann::json::parse(report);
        old.erase("analysis_settings");
        old.erase("allocation_settings");
        const mpq::RunSnapshot o = mpq::snapshotFromJson(old.dump(), "old.json");
        QVERIFY(!o.hasAnalysisSettings);
        QVERIFY(o.allocation.rule == mpq::AllocationRule::Budget);
        QCOMPARE(o.allocation.budget, 0.05);
        QCOMPARE(o.allocation.bits, 4);
        QCOMPARE(o.layers.size(), std::size_t(4));
    }

    void diffOfAConstructedPair()
    {
        const auto analysis = analysisOf("same");
        mpq::AllocationSettings sa = onePoint();
        mpq::AllocationSettings sb = onePoint();
        sb.overrides["conv1"] = {mpq::LayerOverride::Kind::Points, 3};
        sb.overrides["fc"] = {mpq::LayerOverride::Kind::Float};
        const mpq::Quantization qa = quantization(analysis, sa);
        const mpq::Quantization qb = quantization(analysis, sb);
        QCOMPARE(qa.allocation.layers[0].meanPoints, 1.0);
        QCOMPARE(qb.allocation.layers[0].meanPoints, 3.0);
        const mpq::EvaluationResult ea = classification({classified("/i/cat.png", {0.2f, 0.8f}),
                                                         classified("/i/dog.png", {0.9f, 0.1f}),
                                                         classified("/i/fox.png", {0.45f, 0.55f})});
        const mpq::EvaluationResult eb =
            classification({classified("/i/cat.png", {0.6f, 0.4f}),     // flipped
                            classified("/i/dog.png", {0.8f, 0.2f}),     // same class
                            classified("/i/fox.png", {0.52f, 0.48f})}); // flipped, less sure
        const mpq::RunSnapshot a = mpq::snapshotOf(qa, "a", &ea);
        const mpq::RunSnapshot b = mpq::snapshotOf(qb, "b", &eb);
        const mpq::SnapshotDiff d = mpq::diffSnapshots(a, b);
        QVERIFY(d.sameModel);
        QVERIFY(d.modelNote.empty());
        QCOMPARE(d.layers.size(), std::size_t(2));
        QCOMPARE(d.unchangedLayers, 2);
        const mpq::LayerAllocation &conv1A = qa.allocation.layers[0],
                                   &conv1B = qb.allocation.layers[0];
        const mpq::LayerAllocation &fcA = qa.allocation.layers[2], &fcB = qb.allocation.layers[2];
        const mpq::LayerChange *conv1 = nullptr, *fc = nullptr;
        for (const mpq::LayerChange &c : d.layers)
            (c.name == "conv1" ? conv1 : fc) = &c;
        QVERIFY(conv1 && fc && fc->name == "fc");
        QCOMPARE(conv1->pointsDelta, 2.0);
        QCOMPARE(conv1->errorDelta, conv1B.relativeError - conv1A.relativeError);
        QVERIFY(conv1->errorDelta < 0);
        // two extra points per channel at 4 bits: 2 * W * 4 bits
        QCOMPARE(conv1->costBitsDelta, 2 * conv1A.weights * 4);
        QCOMPARE(conv1->overheadDelta,
                 double(2 * conv1A.weights * 4) / (4.0 * double(qa.allocation.allWeights)));
        QCOMPARE(fc->pointsDelta, -1.0); // float counts as no points
        QVERIFY(fc->b.isFloat && !fc->a.isFloat);
        QCOMPARE(fc->errorDelta, -fcA.relativeError);
        QCOMPARE(fcB.relativeError, 0.0);
        QCOMPARE(fc->costBitsDelta, (32 - 4) * fcA.weights);
        QVERIFY(std::isnan(fc->sqnrDelta)); // float: infinite SQNR
        // sorted by magnitude, and the magnitude is what the header says
        const double scale = std::max(qa.allocation.totalError, qb.allocation.totalError);
        for (const mpq::LayerChange &c : d.layers)
            QCOMPARE(c.magnitude, std::abs(c.errorDelta) / scale + std::abs(c.overheadDelta));
        QVERIFY(d.layers[0].magnitude >= d.layers[1].magnitude);
        // totals side by side
        QCOMPARE(d.a.memoryOverhead, qa.allocation.memoryOverhead);
        QCOMPARE(d.b.memoryOverhead, qb.allocation.memoryOverhead);
        QVERIFY(d.metricCompared);
        // predictions: two of three images flipped, the confident flip first
        QVERIFY(d.predictionsCompared);
        QCOMPARE(d.imagesCompared, 3);
        QCOMPARE(d.images.size(), std::size_t(2));
        QCOMPARE(d.images[0].image, std::string("cat.png"));
        QVERIFY(d.images[0].classChanged);
        QCOMPARE(d.images[0].a.topClass, 1);
        QCOMPARE(d.images[0].b.topClass, 0);
        QCOMPARE(d.images[1].image, std::string("fox.png"));

        // a layer on one side only comes first; another model is said so
        mpq::RunSnapshot other = b;
        other.modelSha256 = "0123456789abcdef";
        other.modelPath = "/models/other.pt";
        other.layers.push_back(other.layers[1]);
        other.layers.back().name = "extra";
        const mpq::SnapshotDiff o = mpq::diffSnapshots(a, other);
        QVERIFY(!o.sameModel);
        QVERIFY(QString::fromStdString(o.modelNote).contains("other.pt"));
        QCOMPARE(o.layers.front().name, std::string("extra"));
        QVERIFY(!o.layers.front().inA && o.layers.front().inB);
    }

    void detectionChanges()
    {
        mpq::RunSnapshot a, b;
        a.evaluated = b.evaluated = true;
        a.task = b.task = mpq::Task::Detection;
        a.metricName = b.metricName = "mAP@0.5 vs float";
        // same: one box barely shifted (IoU > 0.5), same class
        a.predictions["same.jpg"].detections = {box(0, 0, 100, 100, 1, 0.9f)};
        b.predictions["same.jpg"].detections = {box(5, 5, 100, 100, 1, 0.8f)};
        // moved: IoU 1/3 (< 0.5)
        a.predictions["moved.jpg"].detections = {box(0, 0, 100, 100, 1, 0.9f)};
        b.predictions["moved.jpg"].detections = {box(50, 0, 150, 100, 1, 0.9f)};
        // class changed at the same place, and one lost, one added elsewhere
        a.predictions["busy.jpg"].detections = {box(0, 0, 100, 100, 1, 0.9f),
                                                box(200, 200, 250, 250, 2, 0.6f)};
        b.predictions["busy.jpg"].detections = {box(0, 0, 100, 100, 3, 0.7f),
                                                box(400, 400, 450, 450, 2, 0.5f)};
        const mpq::SnapshotDiff d = mpq::diffSnapshots(a, b);
        QCOMPARE(d.imagesCompared, 3);
        QCOMPARE(d.images.size(), std::size_t(2));
        QCOMPARE(d.images[0].image, std::string("busy.jpg"));
        QCOMPARE(d.images[0].moved, 1);
        QCOMPARE(d.images[0].lost, 1);
        QCOMPARE(d.images[0].added, 1);
        QCOMPARE(d.images[1].image, std::string("moved.jpg"));
        QCOMPARE(d.images[1].moved, 1);
        QCOMPARE(d.images[1].lost + d.images[1].added, 0);
    }

    void filesAndErrors()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("s.json").toStdString();
        const mpq::Quantization q = quantization(analysisOf("f00d"), onePoint());
        mpq::saveSnapshot(mpq::snapshotOf(q, "saved"), path);
        QVERIFY(fileText(path).find("\"format\": \"mpq-run-snapshot\"") != std::string::npos);
        QCOMPARE(mpq::loadSnapshot(path).name, std::string("saved"));
        try {
            mpq::loadSnapshot(dir.filePath("missing.json").toStdString());
            QFAIL("a missing file loaded");
        } catch (const mpq::Error &e) {
            QVERIFY(e.code() == mpq::ErrorCode::Io);
            QVERIFY(QString(e.what()).contains("missing.json"));
        }
        const std::string foreign = dir.filePath("foreign.json").toStdString();
        std::ofstream(foreign) << R"({"hello": "world"})";
        try {
            mpq::loadSnapshot(foreign);
            QFAIL("a foreign file loaded");
        } catch (const mpq::Error &e) {
            QVERIFY(e.code() == mpq::ErrorCode::InvalidArgument);
            QVERIFY(QString(e.what()).contains("foreign.json"));
            QVERIFY(QString(e.what()).contains("not a run snapshot"));
        }
        QCOMPARE(mpq::defaultSnapshotName(onePoint()), std::string("4 bits, epsilon 100"));
        mpq::AllocationSettings b;
        b.rule = mpq::AllocationRule::Budget;
        b.budget = 0.05;
        b.overrides["x"] = {mpq::LayerOverride::Kind::Float};
        QCOMPARE(mpq::defaultSnapshotName(b), std::string("4 bits, budget 5 %, 1 override"));
    }
};

QTEST_APPLESS_MAIN(TestSnapshot)
#include "tst_snapshot.moc"
