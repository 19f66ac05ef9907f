// Task-aware allocation (issue 16, docs/multipoint.md section 8), the rules: the weighted
// threshold and budget rules and the joint memory and MAC budget on stored curves, the settings'
// JSON round trip, and the sweep's variants (weighted, MAC-capped) against separate evaluations
// on a small ConvNet. The output sensitivity on models: tst_taskaware.
#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/error.h"
#include "mpq/images.h"
#include "mpq/pipeline.h"
#include "mpq/vocabulary.h"

#include "taskawarefixtures.h"
#include "testmodels.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <numeric>
#include <random>

using namespace taskawaretest;

namespace {

// Random curves: convex-ish but noisy e_c(n) (sometimes rising), random d and positions.
std::vector<mpq::LayerCurves> randomCurves(std::mt19937 &rng, bool withSensitivity)
{
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<mpq::LayerCurves> out;
    const int layers = 2 + int(rng() % 5);
    for (int l = 0; l < layers; ++l) {
        mpq::LayerCurves c;
        c.name = "layer" + std::to_string(l);
        c.bits = 3;
        c.maxPoints = 1 + int(rng() % 6);
        c.channels = 1 + std::int64_t(rng() % 12);
        c.d = 1 + std::int64_t(rng() % 60);
        c.outputPositions = std::int64_t(rng() % 3000);
        for (std::int64_t ch = 0; ch < c.channels; ++ch) {
            const double s = u(rng) < 0.05 ? 0.0 : 10.0 * u(rng);
            c.signal.push_back(s);
            double e = s * (0.05 + 0.5 * u(rng));
            for (int n = 1; n <= c.maxPoints; ++n) {
                c.error.push_back(e);
                e *= u(rng) < 0.1 ? 1.2 : 0.1 + 0.6 * u(rng);
            }
            if (withSensitivity)
                c.sensitivity.push_back(u(rng) < 0.1 ? 0.0 : std::pow(10.0, 4.0 * u(rng) - 2.0));
        }
        out.push_back(std::move(c));
    }
    return out;
}

// Two identical layers whose channels differ only in w_c.
std::vector<mpq::LayerCurves> twinCurves(double wA, double wB)
{
    std::vector<mpq::LayerCurves> out;
    for (const char *name : {"a", "b"}) {
        mpq::LayerCurves c;
        c.name = name;
        c.bits = 4;
        c.maxPoints = 3;
        c.channels = 2;
        c.d = 10;
        c.outputPositions = 100;
        c.signal = {1.0, 1.0};
        c.error = {0.1, 0.01, 0.001, 0.1, 0.01, 0.001};
        c.sensitivity.assign(2, name[0] == 'a' ? wA : wB);
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace

class TestTaskAwareRules : public TaskAwareFixture
{
    Q_OBJECT

private slots:
    void initTestCase() { setUpImages(); }

    // ---- the rules on stored curves

    // Uniform w_c: the threshold rule is the paper's; so is the budget rule where every layer has
    // the same sum of s_c (the weighted rule normalises by the model's sum, the paper's by the
    // layer's).
    void uniformWeightsGiveThePapersRules()
    {
        std::mt19937 rng(11);
        for (int trial = 0; trial < 50; ++trial) {
            std::vector<mpq::LayerCurves> curves = randomCurves(rng, true);
            for (mpq::LayerCurves &c : curves) {
                c.sensitivity.assign(std::size_t(c.channels), 3.5);
                const double sum = std::accumulate(c.signal.begin(), c.signal.end(), 0.0);
                for (double &v : c.signal)
                    v = sum > 0 ? v / sum : v;
                for (double &v : c.error)
                    v = sum > 0 ? v / sum : v;
            }
            for (mpq::AllocationRule rule :
                 {mpq::AllocationRule::Threshold, mpq::AllocationRule::Budget}) {
                mpq::AllocationSettings s;
                s.bits = 3;
                s.rule = rule;
                s.epsilon = 0.05;
                s.budget = 0.3;
                s.sensitivityWeighted = true;
                const mpq::Allocation weighted = mpq::allocate(curves, s);
                s.sensitivityWeighted = false;
                const mpq::Allocation plain = mpq::allocate(curves, s);
                QVERIFY(weighted.sensitivityWeighted);
                QVERIFY(!plain.sensitivityWeighted);
                for (std::size_t l = 0; l < plain.layers.size(); ++l)
                    QVERIFY2(weighted.layers[l].points == plain.layers[l].points,
                             qPrintable(QString("trial %1 rule %2 layer %3")
                                            .arg(trial)
                                            .arg(mpq::toWord(rule))
                                            .arg(l)));
            }
        }
    }

    void weightedRulesFollowTheSensitivity()
    {
        const std::vector<mpq::LayerCurves> curves = twinCurves(1.0, 100.0);
        mpq::AllocationSettings s;
        s.bits = 4;
        s.rule = mpq::AllocationRule::Budget;
        s.budget = 0.25; // one extra point of the 4 channels' 40 weights
        s.sensitivityWeighted = false;
        mpq::Allocation a = mpq::allocate(curves, s);
        QCOMPARE(extraPoints(a.layers[0]) + extraPoints(a.layers[1]), 1);
        QCOMPARE(extraPoints(a.layers[0]), 1); // ties go to the earlier layer
        s.sensitivityWeighted = true;
        a = mpq::allocate(curves, s);
        QVERIFY(a.sensitivityWeighted);
        QCOMPARE(extraPoints(a.layers[0]), 0);
        QCOMPARE(extraPoints(a.layers[1]), 1);
        // totalError is what the weighted rule minimises: sum w e / sum w s
        const double expected = (1.0 * (0.1 + 0.1) + 100.0 * (0.01 + 0.1)) / (2.0 + 200.0);
        QVERIFY(std::abs(a.totalError - expected) < 1e-12);
        // the per-layer relative error stays the unweighted one
        QVERIFY(std::abs(a.layers[1].relativeError - 0.11 / 2.0) < 1e-12);

        // threshold: rho_c scaled by w_c / w_bar, w_bar = sum w s / sum s = 50.5
        s.rule = mpq::AllocationRule::Threshold;
        s.epsilon = 0.05;
        a = mpq::allocate(curves, s);
        // a: 0.1 / 50.5 <= 0.05 at n = 1; b: 100 / 50.5 * 0.01 <= 0.05 first at n = 2
        QCOMPARE(a.layers[0].points, std::vector<int>({1, 1}));
        QCOMPARE(a.layers[1].points, std::vector<int>({2, 2}));
        s.sensitivityWeighted = false;
        a = mpq::allocate(curves, s);
        QCOMPARE(a.layers[0].points, std::vector<int>({2, 2}));
        QCOMPARE(a.layers[1].points, std::vector<int>({2, 2}));
    }

    void zeroSensitivityBuysNothing()
    {
        std::vector<mpq::LayerCurves> curves = twinCurves(0.0, 1.0);
        mpq::AllocationSettings s;
        s.bits = 4;
        s.rule = mpq::AllocationRule::Budget;
        s.budget = 10.0; // everything affordable
        s.sensitivityWeighted = true;
        const mpq::Allocation a = mpq::allocate(curves, s);
        QVERIFY(a.sensitivityWeighted);
        QCOMPARE(a.layers[0].points, std::vector<int>({1, 1}));
        QCOMPARE(a.layers[1].points, std::vector<int>({3, 3}));
    }

    void missingSensitivityFallsBack()
    {
        std::vector<mpq::LayerCurves> curves = twinCurves(1.0, 100.0);
        curves[0].sensitivity.clear();
        mpq::AllocationSettings s;
        s.sensitivityWeighted = true;
        const mpq::Allocation a = mpq::allocate(curves, s);
        QVERIFY(!a.sensitivityWeighted);
        QCOMPARE(a.warnings.size(), std::size_t(1));
        for (mpq::LayerCurves &c : curves)
            c.sensitivity.clear();
        QVERIFY(mpq::allocate(curves, s).warnings.empty()); // nothing measured: no warning
        curves[1].sensitivity = {1.0, -1.0};
        bool threw = false;
        try {
            mpq::allocate(curves, s);
        } catch (const mpq::Error &e) {
            threw = std::string(e.what()).find("'b'") != std::string::npos;
        }
        QVERIFY(threw);
    }

    void jointBudgetNeverExceedsEitherLimit()
    {
        std::mt19937 rng(5);
        std::uniform_real_distribution<double> u(0.0, 1.0);
        int capBinds = 0;
        for (int trial = 0; trial < 400; ++trial) {
            const std::vector<mpq::LayerCurves> curves = randomCurves(rng, trial % 2 == 0);
            mpq::AllocationSettings s;
            s.bits = 3;
            s.rule = mpq::AllocationRule::Budget;
            s.budget = 0.6 * u(rng);
            s.macCap = trial % 7 == 0 ? 0.0 : 0.5 * u(rng);
            s.sensitivityWeighted = trial % 3 != 0;
            if (trial % 5 == 0)
                s.overrides[curves[0].name] = {mpq::LayerOverride::Kind::Points, 1, 0};
            const mpq::Allocation a = mpq::allocate(curves, s);
            QVERIFY2(a.memoryOverhead <= s.budget, qPrintable(QString::number(trial)));
            QVERIFY2(a.macOverhead <= s.macCap, qPrintable(QString::number(trial)));
            mpq::AllocationSettings uncapped = s;
            uncapped.macCap = -1.0;
            const mpq::Allocation b = mpq::allocate(curves, uncapped);
            QVERIFY(b.memoryOverhead <= s.budget);
            capBinds += b.macOverhead > s.macCap;
        }
        QVERIFY(capBinds > 50); // the cap mattered in many trials
    }

    void pinsAboveTheMacCapWarn()
    {
        std::vector<mpq::LayerCurves> curves = twinCurves(1.0, 1.0);
        mpq::AllocationSettings s;
        s.bits = 4;
        s.rule = mpq::AllocationRule::Budget;
        s.budget = 1.0;
        s.macCap = 0.1;
        s.overrides["a"] = {mpq::LayerOverride::Kind::Points, 3, 0};
        const mpq::Allocation a = mpq::allocate(curves, s);
        QCOMPARE(a.warnings.size(), std::size_t(1));
        QVERIFY(QString::fromStdString(a.warnings[0]).contains("MAC cap"));
        QCOMPARE(extraPoints(a.layers[1]), 0);
    }

    void weightedRuleIsMonotoneInTheBudget()
    {
        std::mt19937 rng(3);
        for (int trial = 0; trial < 100; ++trial) {
            const std::vector<mpq::LayerCurves> curves = randomCurves(rng, true);
            mpq::AllocationSettings s;
            s.bits = 3;
            s.rule = mpq::AllocationRule::Budget;
            s.sensitivityWeighted = true;
            double last = std::numeric_limits<double>::infinity();
            for (double budget = 0.0; budget <= 1.0; budget += 0.05) {
                s.budget = budget;
                const mpq::Allocation a = mpq::allocate(curves, s);
                QVERIFY(a.sensitivityWeighted);
                QVERIFY2(a.totalError <= last * (1 + 1e-12),
                         qPrintable(QString("trial %1 budget %2").arg(trial).arg(budget)));
                last = a.totalError;
            }
        }
    }

    void settingsRoundTrip()
    {
        mpq::AllocationSettings a;
        a.sensitivityWeighted = !mpq::kSensitivityWeightedDefault;
        a.macCap = 0.2;
        const mpq::AllocationSettings b =
            mpq::allocationSettingsFromJson(mpq::allocationSettingsToJson(a), "test");
        QCOMPARE(b.sensitivityWeighted, a.sensitivityWeighted);
        QCOMPARE(b.macCap, 0.2);
        const mpq::AllocationSettings d = mpq::allocationSettingsFromJson("{}", "test");
        QCOMPARE(d.sensitivityWeighted, mpq::kSensitivityWeightedDefault);
        QCOMPARE(d.macCap, -1.0);
        mpq::AnalysisSettings s;
        s.sensitivity = !mpq::kSensitivityDefault;
        QCOMPARE(mpq::analysisSettingsFromJson(mpq::analysisSettingsToJson(s), "t").sensitivity,
                 s.sensitivity);
        QCOMPARE(mpq::analysisSettingsFromJson("{}", "t").sensitivity, mpq::kSensitivityDefault);
        for (const char *bad : {R"({"sensitivity_weighted": 1})", R"({"mac_cap": "20"})"}) {
            bool threw = false;
            try {
                mpq::allocationSettingsFromJson(bad, "where");
            } catch (const mpq::Error &e) {
                threw = e.code() == mpq::ErrorCode::InvalidArgument;
            }
            QVERIFY2(threw, bad);
        }
    }

    // ---- the sweep's variants

    void sweepVariantsEqualSeparateEvaluations()
    {
        mpqtest::saveConvNet(path("sweep.pt"), 9);
        mpq::saveProfile(imageProfile(mpq::Task::Classification, 16),
                         mpq::defaultProfilePath(path("sweep.pt")));
        const mpq::OpenedModel opened = mpq::openModel(path("sweep.pt"));
        mpq::AnalysisSettings s;
        s.bits = 2;
        s.maxPoints = 4;
        s.calibCount = 16;
        s.sensitivity = true;
        const auto analysis = mpq::analyzeModel(opened, path("images"), s, nullptr).analysis;
        const std::vector<mpq::SweepVariant> variants = mpq::sweepVariants(*analysis, {0.05});
        QCOMPARE(variants.size(), std::size_t(3));
        QCOMPARE(variants[1].name, std::string("multipoint-weighted"));
        QCOMPARE(variants[2].name, std::string("multipoint-mac5"));
        const mpq::ImageSet images = mpq::evaluationImages(path("images"), 0);
        const auto reference = mpq::floatPredictions(opened, images, 8);
        mpq::AllocationSettings base;
        base.sensitivityWeighted = false;
        const std::vector<double> budgets{0.0, 0.3};
        const std::vector<mpq::Method> methods{mpq::Method::Multipoint, mpq::Method::MseChannel};
        const std::vector<mpq::SweepPoint> points =
            mpq::sweep(opened, analysis, base, budgets, methods, variants, *reference, 8);
        QCOMPARE(points.size(), budgets.size() * (methods.size() + variants.size()));
        std::size_t k = 0;
        for (double budget : budgets) {
            mpq::AllocationSettings settings = base;
            settings.rule = mpq::AllocationRule::Budget;
            settings.budget = budget;
            const mpq::Quantization q = mpq::quantize(opened, analysis, settings);
            const std::vector<mpq::MethodEvaluation> separate =
                mpq::evaluateMethods(opened, q, methods, *reference, 8);
            for (const mpq::MethodEvaluation &e : separate) {
                QCOMPARE(points[k].series, std::string(mpq::toWord(e.method)));
                QCOMPARE(points[k].evaluation.memoryOverhead, e.memoryOverhead);
                QCOMPARE(points[k].evaluation.metric.value, e.metric.value);
                ++k;
            }
            for (const mpq::SweepVariant &v : variants) {
                mpq::AllocationSettings vs = settings;
                vs.sensitivityWeighted = v.sensitivityWeighted;
                vs.macCap = v.macCap;
                const mpq::Quantization qv = mpq::quantize(opened, analysis, vs);
                const mpq::MethodEvaluation e =
                    mpq::evaluateMethods(opened, qv, {mpq::Method::Multipoint}, *reference, 8)
                        .at(0);
                QCOMPARE(points[k].series, v.name);
                QCOMPARE(points[k].budget, budget);
                QCOMPARE(points[k].evaluation.memoryOverhead, e.memoryOverhead);
                QCOMPARE(points[k].evaluation.macOverhead, e.macOverhead);
                QCOMPARE(points[k].evaluation.metric.value, e.metric.value);
                QVERIFY(points[k].evaluation.memoryOverhead <= budget);
                if (v.macCap >= 0)
                    QVERIFY(points[k].evaluation.macOverhead <= v.macCap);
                ++k;
            }
        }
        // at 30 % the weighted and unweighted allocations differ
        const mpq::SweepPoint &plain = points[methods.size() + variants.size() + 2];
        const mpq::SweepPoint &weighted = points[methods.size() + variants.size() + 3];
        QCOMPARE(plain.series, std::string("multipoint-unweighted"));
        QCOMPARE(weighted.series, std::string("multipoint-weighted"));
        QVERIFY(plain.evaluation.detail != weighted.evaluation.detail ||
                plain.evaluation.macOverhead != weighted.evaluation.macOverhead);
    }
};

QTEST_GUILESS_MAIN(TestTaskAwareRules)
#include "tst_taskawarerules.moc"
