// The pipeline of mpq/pipeline.h (docs/architecture.md, "Layers"), on a small ConvNet built in
// C++ with random images and on the demo Fashion classifier: evaluation of several methods
// against float predictions computed once, equal to separate evaluations; a sweep equal to
// separate quantize + evaluate runs; progress that never goes back; Bits overrides measured once;
// every export format and a destination that cannot be written; cancellation. The analysis
// cache and analysis of broken images: tst_analysiscache.
#include "mpq/runner.h"
#include "mpq/vocabulary.h"
#include "pipelinefixtures.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <filesystem>

namespace fs = std::filesystem;
using namespace pipelinetest;

namespace {

const std::string kSamples = MPQ_SAMPLES_DIR;

mpq::JobControl cancelled()
{
    mpq::JobControl c;
    c.isCancelled = [] { return true; };
    return c;
}

void compareEvaluations(const mpq::EvaluationResult &a, const mpq::EvaluationResult &b)
{
    QCOMPARE(a.images.size(), b.images.size());
    for (std::size_t i = 0; i < a.images.size(); ++i) {
        const mpq::ImagePrediction &p = a.images[i], &q = b.images[i];
        QCOMPARE(p.file, q.file);
        QCOMPARE(p.label, q.label);
        QCOMPARE(p.floatProbabilities.size(), q.floatProbabilities.size());
        QCOMPARE(p.quantizedProbabilities.size(), q.quantizedProbabilities.size());
        QVERIFY(!p.quantizedProbabilities.empty());
        for (std::size_t k = 0; k < p.floatProbabilities.size(); ++k) {
            QVERIFY(std::abs(p.floatProbabilities[k] - q.floatProbabilities[k]) <= 1e-6f);
            QVERIFY(std::abs(p.quantizedProbabilities[k] - q.quantizedProbabilities[k]) <= 1e-6f);
        }
    }
    QCOMPARE(a.classification.images, b.classification.images);
    QCOMPARE(a.classification.labelled, b.classification.labelled);
    QCOMPARE(a.classification.top1Float, b.classification.top1Float);
    QCOMPARE(a.classification.top5Float, b.classification.top5Float);
    QCOMPARE(a.classification.top1Quantized, b.classification.top1Quantized);
    QCOMPARE(a.classification.top5Quantized, b.classification.top5Quantized);
    QCOMPARE(a.classification.agreement, b.classification.agreement);
    QVERIFY(std::abs(a.classification.meanKl - b.classification.meanKl) <=
            1e-6 * (1.0 + b.classification.meanKl));
}

std::size_t layerIndex(const mpq::Analysis &analysis, const std::string &name)
{
    for (std::size_t i = 0; i < analysis.layers.size(); ++i)
        if (analysis.layers[i].name == name)
            return i;
    return std::size_t(-1);
}

} // namespace

class TestPipeline : public PipelineFixture
{
    Q_OBJECT
    mpq::OpenedModel m_fashion;
    std::shared_ptr<const mpq::Analysis> m_fashionAnalysis;
    mpq::ImageSet m_fashionImages;

    mpq::AllocationSettings fashionSettings() const
    {
        mpq::AllocationSettings a;
        a.bits = 3;
        a.rule = mpq::AllocationRule::Budget;
        a.budget = 0.05;
        return a;
    }

private slots:
    void initTestCase()
    {
        setUpConvNets();
        if (QTest::currentTestFailed())
            return;

        m_fashion = mpq::openModel(kSamples + "/fashion/fashion_resnet.pt");
        QVERIFY(m_fashion.hasProfile);
        mpq::AnalysisSettings s;
        s.bits = 3;
        s.maxPoints = 4;
        s.calibCount = 16;
        s.batchSize = 8;
        m_fashionAnalysis =
            mpq::analyzeModel(m_fashion, kSamples + "/fashion/test", s, nullptr).analysis;
        m_fashionImages = mpq::evaluationImages(kSamples + "/fashion/test", 40);
        QCOMPARE(m_fashionImages.files.size(), std::size_t(40));
    }

    // ---- evaluation

    void evaluateMethodsEqualsSeparateEvaluations()
    {
        const mpq::Quantization q = mpq::quantize(m_fashion, m_fashionAnalysis, fashionSettings());
        const std::vector<mpq::Method> methods{mpq::Method::Multipoint, mpq::Method::RoundToNearest,
                                               mpq::Method::MseChannel};
        Stages stages;
        const auto reference =
            mpq::floatPredictions(m_fashion, m_fashionImages, 8, stages.control());
        const std::vector<mpq::MethodEvaluation> together =
            mpq::evaluateMethods(m_fashion, q, methods, *reference, 8, nullptr, stages.control());
        QCOMPARE(stages.count("running the float model"), 1);
        QCOMPARE(stages.names,
                 (std::vector<std::string>{"running the float model", "evaluating multipoint",
                                           "evaluating rtn", "evaluating mse"}));
        QCOMPARE(together.size(), methods.size());
        const mpq::ModelProfile &profile = m_fashion.requireProfile();
        const mpq::Model &model = *m_fashion.model;
        for (std::size_t k = 0; k < methods.size(); ++k) {
            const mpq::MethodEvaluation &e = together[k];
            QVERIFY(e.method == methods[k]);
            const mpq::MethodWeights w =
                mpq::methodWeights(model, *q.analysis, q.allocation, *q.atBits, methods[k]);
            mpq::ModelRunner floatModel = mpq::floatRunner(model);
            mpq::ModelRunner quantized = mpq::weightsRunner(
                model, w.weights, &q.analysis->activations, q.analysis->settings.activationBits);
            const mpq::EvaluationResult separate = mpq::evaluate(
                profile, m_fashionImages.files, m_fashionImages.root, floatModel, quantized, 8);
            QCOMPARE(separate.images.size(), std::size_t(40));
            compareEvaluations(e.result, separate);
            const mpq::TaskMetric metric = mpq::taskMetric(separate);
            QCOMPARE(e.metric.name, metric.name);
            QCOMPARE(e.metric.value, metric.value);
            QCOMPARE(e.metric.reference, metric.reference);
            QCOMPARE(e.memoryOverhead, w.memoryOverhead);
            QCOMPARE(e.effectiveBits, w.effectiveBits);
            QVERIFY2(e.detail == w.detail, (e.detail + " | " + w.detail).c_str());
            if (methods[k] == mpq::Method::Multipoint)
                QCOMPARE(e.macOverhead, q.allocation.macOverhead);
        }
        // the Fashion folders name the labels: ranked by top-1
        QCOMPARE(together[0].metric.name, std::string("top-1"));
        QCOMPARE(together[0].result.classification.labelled, 40);
        qInfo("Fashion, 3 bits, 5 %% budget, 40 images: top-1 multipoint %.3f, rtn %.3f, mse "
              "%.3f (float %.3f)",
              together[0].metric.value, together[1].metric.value, together[2].metric.value,
              together[0].metric.reference);
    }

    void sweepEqualsSeparateRuns()
    {
        mpq::AllocationSettings base = fashionSettings();
        const std::string pinned = m_fashionAnalysis->layers.front().name;
        base.overrides[pinned] = {mpq::LayerOverride::Kind::Bits, 1, 5};
        const std::vector<double> budgets{0.0, 0.1};
        const std::vector<mpq::Method> methods{mpq::Method::Multipoint,
                                               mpq::Method::RoundToNearest};
        const auto reference = mpq::floatPredictions(m_fashion, m_fashionImages, 8);
        Stages stages;
        const std::vector<mpq::SweepPoint> points = mpq::sweep(
            m_fashion, m_fashionAnalysis, base, budgets, methods, *reference, 8, stages.control());
        // the pinned layer at 5 bits is measured once for the whole sweep
        QCOMPARE(stages.count("layers at 5 bits"), 1);
        QCOMPARE(stages.count("calibrating"), 1);
        QCOMPARE(points.size(), budgets.size() * methods.size());
        for (std::size_t i = 0; i < budgets.size(); ++i) {
            mpq::AllocationSettings settings = base;
            settings.rule = mpq::AllocationRule::Budget;
            settings.budget = budgets[i];
            const mpq::Quantization q = mpq::quantize(m_fashion, m_fashionAnalysis, settings);
            QCOMPARE(q.allocation.layers[layerIndex(*m_fashionAnalysis, pinned)].bits, 5);
            const std::vector<mpq::MethodEvaluation> separate =
                mpq::evaluateMethods(m_fashion, q, methods, *reference, 8);
            for (std::size_t k = 0; k < methods.size(); ++k) {
                const mpq::SweepPoint &p = points[i * methods.size() + k];
                QCOMPARE(p.budget, budgets[i]);
                QVERIFY(p.evaluation.method == methods[k]);
                QCOMPARE(p.evaluation.memoryOverhead, separate[k].memoryOverhead);
                QCOMPARE(p.evaluation.macOverhead, separate[k].macOverhead);
                QCOMPARE(p.evaluation.effectiveBits, separate[k].effectiveBits);
                QCOMPARE(p.evaluation.detail, separate[k].detail);
                QCOMPARE(p.evaluation.metric.value, separate[k].metric.value);
                compareEvaluations(p.evaluation.result, separate[k].result);
            }
        }
        // the budgets differ: the multipoint points are not all the same allocation
        QVERIFY(points[0].evaluation.memoryOverhead < points[2].evaluation.memoryOverhead);
    }

    void progressNeverGoesBack()
    {
        // JobControl::progress is non-decreasing in [0, 1]: a sweep that first measures a pinned
        // layer at other bits, then evaluates, and an evaluation of several methods
        std::vector<double> seen;
        mpq::JobControl control;
        control.progress = [&](double f) { seen.push_back(f); };
        const auto nonDecreasing = [&](const char *what) {
            QVERIFY2(!seen.empty(), what);
            for (std::size_t i = 0; i < seen.size(); ++i) {
                QVERIFY2(seen[i] >= -1e-12 && seen[i] <= 1.0 + 1e-12, what);
                if (i > 0)
                    QVERIFY2(
                        seen[i] >= seen[i - 1] - 1e-12,
                        qPrintable(
                            QString("%1: %2 after %3").arg(what).arg(seen[i]).arg(seen[i - 1])));
            }
            QVERIFY2(seen.back() > 0.99, what);
        };
        mpq::AllocationSettings base;
        base.overrides["pw"] = {mpq::LayerOverride::Kind::Bits, 1, 6};
        const mpq::ImageSet images = mpq::evaluationImages(path("images"), 0);
        const auto reference = mpq::floatPredictions(m_conv, images, 4);
        mpq::sweep(m_conv, m_convAnalysis, base, {0.0, 0.1},
                   {mpq::Method::Multipoint, mpq::Method::RoundToNearest}, *reference, 4, control);
        nonDecreasing("sweep");
        seen.clear();
        const mpq::Quantization q = mpq::quantize(m_conv, m_convAnalysis, base);
        mpq::evaluateMethods(m_conv, q, {mpq::Method::Multipoint, mpq::Method::MseChannel},
                             *reference, 4, nullptr, control);
        nonDecreasing("evaluateMethods");
        seen.clear();
        mpq::analyzeModel(m_conv, path("images"), smallSettings(), nullptr, control);
        nonDecreasing("analyzeModel");
    }

    // ---- allocation with overrides

    void bitsOverrideMeasuredOnce()
    {
        const mpq::Analysis &analysis = *m_convAnalysis;
        const std::size_t pw = layerIndex(analysis, "pw"), dw = layerIndex(analysis, "dw");
        QVERIFY(pw < analysis.layers.size() && dw < analysis.layers.size());
        mpq::AllocationSettings settings;
        settings.overrides["pw"] = {mpq::LayerOverride::Kind::Bits, 1, 6};
        Stages stages;
        const mpq::Quantization q =
            mpq::quantize(m_conv, m_convAnalysis, settings, {}, stages.control());
        QCOMPARE(stages.count("layers at 6 bits"), 1);
        QCOMPARE(stages.count("calibrating"), 1); // one calibration pass
        QCOMPARE(q.atBits->size(), std::size_t(1));
        QCOMPARE(q.atBits->front().layer, pw);
        QCOMPARE(q.atBits->front().bits, 6);
        QCOMPARE(q.allocation.layers[pw].bits, 6);
        QCOMPARE(q.allocation.layers[dw].bits, 4);

        // with the measured layer given, nothing is computed again
        Stages again;
        const mpq::Quantization q2 =
            mpq::quantize(m_conv, m_convAnalysis, settings, *q.atBits, again.control());
        QVERIFY(again.names.empty());
        QCOMPARE(q2.allocation.layers[pw].points, q.allocation.layers[pw].points);

        // reallocation from stored results: without the layer at 6 bits it names the layer
        const auto [code, message] = errorOf([&] {
            mpq::reallocate(m_convAnalysis, std::make_shared<const std::vector<mpq::LayerAtBits>>(),
                            settings);
        });
        QVERIFY2(code == mpq::ErrorCode::InvalidArgument, message.c_str());
        QVERIFY2(message.find("'pw'") != std::string::npos, message.c_str());
        QVERIFY2(message.find("6 bits") != std::string::npos, message.c_str());
        QCOMPARE(errorOf([&] { mpq::reallocate(m_convAnalysis, nullptr, settings); }).first,
                 mpq::ErrorCode::InvalidArgument);
        // with it, it allocates as quantize did
        mpq::Quantization r;
        QCOMPARE(errorOf([&] { r = mpq::reallocate(m_convAnalysis, q.atBits, settings); }).second,
                 std::string("<no error>"));
        for (std::size_t l = 0; l < analysis.layers.size(); ++l)
            QCOMPARE(r.allocation.layers[l].points, q.allocation.layers[l].points);

        // two layers at the same bits: one calibration pass; at two bit widths: two
        settings.overrides["dw"] = {mpq::LayerOverride::Kind::Bits, 1, 6};
        Stages same;
        QCOMPARE(mpq::quantize(m_conv, m_convAnalysis, settings, {}, same.control()).atBits->size(),
                 std::size_t(2));
        QCOMPARE(same.countStartingWith("layers at"), 1);
        QCOMPARE(same.count("calibrating"), 1);
        settings.overrides["dw"] = {mpq::LayerOverride::Kind::Bits, 1, 3};
        Stages two;
        QCOMPARE(mpq::quantize(m_conv, m_convAnalysis, settings, *q.atBits, two.control())
                     .atBits->size(),
                 std::size_t(2));
        // pw at 6 bits was known: only dw at 3 bits is measured (with output-aware rounding, its
        // input Gram first)
        std::vector<std::string> expected{"layers at 3 bits", "decomposing", "calibrating"};
        if (analysis.settings.rounding == mpq::Rounding::OutputAware)
            expected.insert(expected.begin() + 1, "measuring inputs");
        QCOMPARE(two.names, expected);

        // an override at the analysis' own bits needs nothing
        mpq::AllocationSettings own;
        own.overrides["pw"] = {mpq::LayerOverride::Kind::Bits, 1, 4};
        Stages none;
        QVERIFY(mpq::quantize(m_conv, m_convAnalysis, own, {}, none.control()).atBits->empty());
        QVERIFY(none.names.empty());

        // an unknown layer
        mpq::AllocationSettings unknown;
        unknown.overrides["nope"] = {mpq::LayerOverride::Kind::Float, 1, 0};
        const auto [ucode, umessage] =
            errorOf([&] { mpq::quantize(m_conv, m_convAnalysis, unknown); });
        QVERIFY(ucode == mpq::ErrorCode::InvalidArgument);
        QCOMPARE(umessage, std::string("overrides: the model has no layer named 'nope'"));

        // no analysis yet: an error, not a crash
        QCOMPARE(errorOf([&] { mpq::quantize(m_conv, nullptr, {}); }).first,
                 mpq::ErrorCode::InvalidArgument);
        QCOMPARE(errorOf([&] { mpq::reallocate(nullptr, nullptr, {}); }).first,
                 mpq::ErrorCode::InvalidArgument);
    }

    void calibrationImagesGoneSinceTheAnalysisAreNamed()
    {
        // A saved analysis whose calibration images have partly gone: every stage that runs
        // them again (a Bits override's layers, mixed precision's single points, the
        // baselines' bias correction) measures on fewer images, and says so, naming the file.
        QVERIFY(QDir().mkpath(qpath("fading")));
        for (int i = 0; i < 4; ++i)
            QVERIFY(writeRandomImage(qpath(QString("fading/%1.png").arg(i)), 14, 12, 90 + i));
        const auto analysis =
            mpq::analyzeModel(m_conv, path("fading"), smallSettings(), nullptr).analysis;
        QCOMPARE(analysis->calibrationFiles.size(), std::size_t(4));
        mpq::AllocationSettings settings;
        settings.overrides["pw"] = {mpq::LayerOverride::Kind::Bits, 1, 6};
        settings.biasCorrection = true;
        const mpq::ImageSet images = mpq::evaluationImages(path("images"), 0);
        const auto reference = mpq::floatPredictions(m_conv, images, 4);
        const std::vector<mpq::Method> methods = {
            mpq::Method::Multipoint, mpq::Method::MixedPrecision, mpq::Method::RoundToNearest};
        const auto contains = [](const std::vector<std::string> &lines, const std::string &a,
                                 const std::string &b) {
            for (const std::string &l : lines)
                if (l.rfind(a, 0) == 0 && l.find(b) != std::string::npos)
                    return true;
            return false;
        };
        {
            // every image there: no such warning anywhere
            const mpq::Quantization q = mpq::quantize(m_conv, analysis, settings);
            for (const std::string &w : q.allocation.warnings)
                QVERIFY2(w.find("image") == std::string::npos, w.c_str());
            for (const mpq::MethodEvaluation &e :
                 mpq::evaluateMethods(m_conv, q, methods, *reference, 4))
                QVERIFY2(e.warnings.empty(), e.warnings.empty() ? "" : e.warnings[0].c_str());
        }
        QVERIFY(QFile::remove(qpath("fading/2.png")));
        const std::string gone = path("fading/2.png");
        const std::string count = "1 of 4 calibration images could not be read";

        const mpq::Quantization q = mpq::quantize(m_conv, analysis, settings);
        QVERIFY(contains(q.allocation.warnings, "Bits overrides: skipped image: ", gone));
        QVERIFY(contains(q.allocation.warnings, "Bits overrides: ", count));
        // the same from stored results
        const mpq::Quantization r = mpq::reallocate(analysis, q.atBits, settings);
        QCOMPARE(r.allocation.warnings, q.allocation.warnings);

        const std::vector<mpq::MethodEvaluation> e =
            mpq::evaluateMethods(m_conv, q, methods, *reference, 4);
        QCOMPARE(e.size(), std::size_t(3));
        QVERIFY(e[0].warnings.empty()); // multipoint's correction is the analysis' own
        const std::string mixed = "per-layer mixed precision's single points: ";
        QVERIFY(contains(e[1].warnings, mixed + "skipped image: ", gone));
        QVERIFY(contains(e[1].warnings, mixed, count));
        QVERIFY(contains(e[1].warnings, "mixed's bias correction: skipped image: ", gone));
        QVERIFY(contains(e[2].warnings, "rtn's bias correction: skipped image: ", gone));
        QVERIFY(contains(e[2].warnings, "rtn's bias correction: ", count));
        // each once: mixed precision measured b and b + 1 bits, both without the image
        for (const mpq::MethodEvaluation &m : e)
            for (const std::string &w : m.warnings)
                QCOMPARE(std::count(m.warnings.begin(), m.warnings.end(), w), std::ptrdiff_t(1));
        const std::vector<std::string> all = mpq::methodWarnings(e);
        QCOMPARE(all.size(), e[1].warnings.size() + e[2].warnings.size());

        // a sweep: the overrides' warnings with every multipoint point, each warning once
        const std::vector<mpq::SweepPoint> points =
            mpq::sweep(m_conv, analysis, settings, {0.0, 0.1}, methods, *reference, 4);
        for (const mpq::SweepPoint &p : points)
            if (p.evaluation.method == mpq::Method::Multipoint)
                QVERIFY(contains(p.evaluation.warnings, "Bits overrides: skipped image: ", gone));
        const std::vector<std::string> swept = mpq::methodWarnings(points);
        QVERIFY(contains(swept, mixed + "skipped image: ", gone));
        for (const std::string &w : swept)
            QCOMPARE(std::count(swept.begin(), swept.end(), w), std::ptrdiff_t(1));
    }

    // ---- exports

    void exportsEveryFormat()
    {
        mpq::AllocationSettings settings;
        settings.rule = mpq::AllocationRule::Budget;
        settings.budget = 0.1;
        settings.overrides["pw"] = {mpq::LayerOverride::Kind::Bits, 1, 6};
        settings.overrides["fc"] = {mpq::LayerOverride::Kind::Float, 1, 0};
        const mpq::Quantization q = mpq::quantize(m_conv, m_convAnalysis, settings);
        QVERIFY(QDir().mkpath(qpath("exports")));
        const std::size_t layers = m_convAnalysis->layers.size();

        // report: JSON, and the CSV beside it
        const mpq::ExportOutcome report = mpq::exportQuantization(
            m_conv, q, mpq::ExportFormat::Report, path("exports/r.json"), false, "test");
        QCOMPARE(report.files,
                 (std::vector<std::string>{path("exports/r.json"), path("exports/r.csv")}));
        QCOMPARE(report.bytes,
                 std::uint64_t(fs::file_size(report.files[0]) + fs::file_size(report.files[1])));
        QFile json(qpath("exports/r.json"));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonObject o = QJsonDocument::fromJson(json.readAll()).object();
        QCOMPARE(o["layers"].toArray().size(), qsizetype(layers));
        QFile csv(qpath("exports/r.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll().count('\n'), qsizetype(layers + 2)); // header, layers, TOTAL
        // without the .json extension the CSV is named by appending
        const mpq::ExportOutcome plain = mpq::exportQuantization(
            m_conv, q, mpq::ExportFormat::Report, path("exports/plain"), false, "test");
        QCOMPARE(plain.files,
                 (std::vector<std::string>{path("exports/plain"), path("exports/plain.csv")}));

        // fake-quant, verified beside the in-app model on the calibration images
        const mpq::ExportOutcome fq = mpq::exportQuantization(
            m_conv, q, mpq::ExportFormat::FakeQuant, path("exports/fq.pt"), true, "test");
        QCOMPARE(fq.files, std::vector<std::string>{path("exports/fq.pt")});
        QVERIFY(fq.verified);
        QCOMPARE(fq.verification.images, int(m_convAnalysis->calibrationFiles.size()));
        QVERIFY2(fq.verification.maxRelativeDifference <= mpq::kVerifyTolerance,
                 qPrintable(QString::number(fq.verification.maxRelativeDifference)));
        QCOMPARE(fq.bytes, std::uint64_t(fs::file_size(path("exports/fq.pt"))));
        // unverified: written, not run
        const mpq::ExportOutcome fq2 = mpq::exportQuantization(
            m_conv, q, mpq::ExportFormat::FakeQuant, path("exports/fq2.pt"), false, "test");
        QVERIFY(!fq2.verified);
        QVERIFY(fs::exists(path("exports/fq2.pt")));

        // expanded, verified
        const mpq::ExportOutcome ex = mpq::exportQuantization(
            m_conv, q, mpq::ExportFormat::Expanded, path("exports/ex.pt"), true, "test");
        QVERIFY(ex.verified && ex.expanded);
        QVERIFY2(ex.verification.maxRelativeDifference <= mpq::kVerifyTolerance,
                 qPrintable(QString::number(ex.verification.maxRelativeDifference)));
        QCOMPARE(ex.files, std::vector<std::string>{path("exports/ex.pt")});

        // the integer package folder
        const mpq::ExportOutcome pkg = mpq::exportQuantization(
            m_conv, q, mpq::ExportFormat::Package, path("exports/pkg"), false, "test");
        QCOMPARE(pkg.files, std::vector<std::string>{path("exports/pkg")});
        QVERIFY(QFileInfo(qpath("exports/pkg/manifest.json")).isFile());
        QVERIFY(pkg.bytes > 0);
    }

    void exportWithoutCalibrationImagesIsNotVerified()
    {
        // An analysis loaded on another machine, or whose images were deleted since: its
        // calibration files cannot be read, so nothing can run beside the export. It is written
        // but not reported as verified (0 images compared is no verification).
        QVERIFY(QDir().mkpath(qpath("gone")));
        for (int i = 0; i < 3; ++i)
            QVERIFY(writeRandomImage(qpath(QString("gone/%1.png").arg(i)), 14, 12, 70 + i));
        const auto analysis =
            mpq::analyzeModel(m_conv, path("gone"), smallSettings(), nullptr).analysis;
        QVERIFY(QDir(qpath("gone")).removeRecursively());
        const mpq::Quantization q = mpq::quantize(m_conv, analysis, {});
        for (const auto &[format, name] : std::vector<std::pair<mpq::ExportFormat, QString>>{
                 {mpq::ExportFormat::FakeQuant, "gone-fq.pt"},
                 {mpq::ExportFormat::Expanded, "gone-ex.pt"}}) {
            const mpq::ExportOutcome e =
                mpq::exportQuantization(m_conv, q, format, path(name), true, "test");
            QVERIFY(fs::exists(path(name)));
            QCOMPARE(e.verification.images, 0);
            QVERIFY2(!e.verified, mpq::toWord(format));
        }
    }

    void exportToUnwritableDestination()
    {
        const mpq::Quantization q = mpq::quantize(m_conv, m_convAnalysis, {});
        QVERIFY(QDir().mkpath(qpath("blocked")));
        QFile blocker(qpath("blocked/file"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.write("a file, not a folder");
        blocker.close();
        const QStringList before = entries(qpath("blocked"));
        for (const auto &[format, name] : std::vector<std::pair<mpq::ExportFormat, QString>>{
                 {mpq::ExportFormat::FakeQuant, "blocked/file/a.pt"},
                 {mpq::ExportFormat::Expanded, "blocked/file/b.pt"},
                 {mpq::ExportFormat::Package, "blocked/file/pkg"},
                 {mpq::ExportFormat::Report, "blocked/file/r.json"}}) {
            const auto [code, message] = errorOf(
                [&] { mpq::exportQuantization(m_conv, q, format, path(name), true, "test"); });
            QVERIFY2(code == mpq::ErrorCode::Io, message.c_str());
            QVERIFY2(message.find(path("blocked/file")) != std::string::npos, message.c_str());
            QCOMPARE(entries(qpath("blocked")), before);
            QVERIFY(QFileInfo(qpath("blocked/file")).isFile());
        }
        // the report's CSV cannot be written (a folder of that name): the JSON written just
        // before it does not stay either
        QVERIFY(QDir().mkpath(qpath("blocked/r.csv")));
        const QStringList withFolder = entries(qpath("blocked"));
        const auto [code, message] = errorOf([&] {
            mpq::exportQuantization(m_conv, q, mpq::ExportFormat::Report, path("blocked/r.json"),
                                    false, "test");
        });
        QVERIFY2(code == mpq::ErrorCode::Io, message.c_str());
        QVERIFY2(message.find(path("blocked/r.csv")) != std::string::npos, message.c_str());
        QCOMPARE(entries(qpath("blocked")), withFolder);
        // an existing report is kept whole when the CSV fails
        {
            QFile old(qpath("blocked/r.json"));
            QVERIFY(old.open(QIODevice::WriteOnly));
            old.write("the previous report");
        }
        QCOMPARE(errorOf([&] {
                     mpq::exportQuantization(m_conv, q, mpq::ExportFormat::Report,
                                             path("blocked/r.json"), false, "test");
                 }).first,
                 mpq::ErrorCode::Io);
        QFile old(qpath("blocked/r.json"));
        QVERIFY(old.open(QIODevice::ReadOnly));
        QCOMPARE(old.readAll(), QByteArray("the previous report"));
    }

    // ---- cancellation

    void cancellation()
    {
        const mpq::AnalysisCache cache(path("cache-cancel"));
        QCOMPARE(errorOf([&] {
                     mpq::analyzeModel(m_conv, path("images"), smallSettings(), nullptr,
                                       cancelled());
                 }).first,
                 mpq::ErrorCode::Cancelled);
        QCOMPARE(errorOf([&] {
                     mpq::analyzeModel(m_conv, path("images"), smallSettings(), &cache,
                                       cancelled());
                 }).first,
                 mpq::ErrorCode::Cancelled);
        QCOMPARE(cache.sizeBytes(), std::uint64_t(0)); // nothing half-made was stored

        const mpq::Quantization q = mpq::quantize(m_conv, m_convAnalysis, {});
        const mpq::ImageSet images = mpq::evaluationImages(path("images"), 0);
        const auto reference = mpq::floatPredictions(m_conv, images, 4);
        QCOMPARE(errorOf([&] {
                     mpq::evaluateMethods(m_conv, q, {mpq::Method::Multipoint}, *reference, 4,
                                          nullptr, cancelled());
                 }).first,
                 mpq::ErrorCode::Cancelled);
        QCOMPARE(errorOf([&] {
                     mpq::evaluateMethods(m_conv, q,
                                          {mpq::Method::RoundToNearest, mpq::Method::MseChannel},
                                          *reference, 4, nullptr, cancelled());
                 }).first,
                 mpq::ErrorCode::Cancelled);
        QCOMPARE(errorOf([&] { mpq::floatPredictions(m_conv, images, 4, cancelled()); }).first,
                 mpq::ErrorCode::Cancelled);
        mpq::AllocationSettings pinned;
        pinned.overrides["pw"] = {mpq::LayerOverride::Kind::Bits, 1, 6};
        QCOMPARE(
            errorOf([&] { mpq::quantize(m_conv, m_convAnalysis, pinned, {}, cancelled()); }).first,
            mpq::ErrorCode::Cancelled);
        QCOMPARE(errorOf([&] {
                     mpq::sweep(m_conv, m_convAnalysis, {}, {0.0, 0.1}, {mpq::Method::Multipoint},
                                *reference, 4, cancelled());
                 }).first,
                 mpq::ErrorCode::Cancelled);
        QCOMPARE(errorOf([&] {
                     mpq::exportQuantization(m_conv, q, mpq::ExportFormat::FakeQuant,
                                             path("cancelled.pt"), true, "test", cancelled());
                 }).first,
                 mpq::ErrorCode::Cancelled);
        QVERIFY(!fs::exists(path("cancelled.pt")));

        // a cancel that comes while a later method runs stops there too
        int polls = 0;
        mpq::JobControl late;
        bool evaluatingSecond = false;
        late.stage = [&](const std::string &name) { evaluatingSecond = name == "evaluating rtn"; };
        late.isCancelled = [&] {
            ++polls;
            return evaluatingSecond;
        };
        QCOMPARE(errorOf([&] {
                     mpq::evaluateMethods(m_conv, q,
                                          {mpq::Method::Multipoint, mpq::Method::RoundToNearest},
                                          *reference, 4, nullptr, late);
                 }).first,
                 mpq::ErrorCode::Cancelled);
        QVERIFY(polls > 0);
    }
};

QTEST_GUILESS_MAIN(TestPipeline)
#include "tst_pipeline.moc"
