// Extra points with fewer bits (docs/multipoint.md section 11) on the demo classifier: the
// analysis decomposes every point after a channel's first at e bits (signs for e = 1), the
// allocation pays e bits per extra weight, so at the same memory budget the model's output error
// is lower than with the paper's b-bit extra points; the baselines' matched memory is the
// allocation's own; a Bits pin gets the same rule; the setting is saved, checked and exported.
#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/error.h"
#include "mpq/export.h"
#include "mpq/images.h"
#include "mpq/methods.h"
#include "mpq/profile.h"
#include "mpq/runner.h"

#include "packagefiles.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <optional>

namespace {

const std::string kSamples = MPQ_SAMPLES_DIR;

mpq::AllocationSettings memoryBudget(double fraction)
{
    mpq::AllocationSettings s;
    s.bits = 2;
    s.rule = mpq::AllocationRule::Budget;
    s.budget = fraction;
    s.cost = mpq::BudgetCost::Memory;
    return s;
}

} // namespace

class TestExtraPoints : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_model.emplace(mpq::Model::load(kSamples + "/fashion/fashion_resnet.pt"));
        m_profile = mpq::loadProfile(kSamples + "/fashion/fashion_resnet.profile.json");
        m_images = mpq::findImages(kSamples + "/fashion/test");
        m_settings.bits = 2;
        m_settings.maxPoints = 4;
        m_settings.calibCount = 32;
        m_settings.sensitivity = false;
        // the paper's rounding (with output-aware rounding the sign points' lead is smaller: 3 %
        // less output error at 2.5 %, where the test below asks for 5 %)
        m_settings.rounding = mpq::Rounding::Nearest;
        m_paper = mpq::analyze(*m_model, m_profile, m_images, m_settings);
        m_settings.extraPointBits = 1;
        m_sign = mpq::analyze(*m_model, m_profile, m_images, m_settings);
    }

    void signPointsInTheAnalysis()
    {
        QCOMPARE(m_sign.settings.extraPointBits, 1);
        for (std::size_t i = 0; i < m_sign.decompositions.size(); ++i) {
            const mpq::MatrixDecomposition &d = m_sign.decompositions[i];
            QCOMPARE(d.bits(), 2);
            QCOMPARE(d.extraBits(), 1);
            QCOMPARE(m_sign.curves[i].extraBits, 1);
            QCOMPARE(m_paper.curves[i].extraBits, 2);
            for (std::int64_t c = 0; c < d.rows(); ++c) {
                // the first point is the paper's; every later one a sign point
                QVERIFY(std::equal(d.code(c, 0), d.code(c, 0) + d.cols(),
                                   m_paper.decompositions[i].code(c, 0)));
                for (int n = 1; n < d.points(); ++n)
                    QVERIFY(std::all_of(d.code(c, n), d.code(c, n) + d.cols(),
                                        [](std::int8_t q) { return q == 1 || q == -1; }));
            }
        }
    }

    void lessOutputErrorAtTheSameMemory()
    {
        // at 2.5, 5 and 10 % memory the sign points' allocation leaves less of the layers'
        // output error than the paper's 2-bit extra points, within the same budget (measured:
        // 0.95, 0.78, 0.60 against 1.05, 0.88, 0.67; charged 2 bits a sign point would lose)
        for (double budget : {0.025, 0.05, 0.1}) {
            const mpq::Allocation paper = mpq::allocate(m_paper.curves, memoryBudget(budget));
            const mpq::Allocation sign = mpq::allocate(m_sign.curves, memoryBudget(budget));
            QVERIFY(paper.memoryOverhead <= budget && sign.memoryOverhead <= budget);
            QVERIFY2(sign.totalError < 0.95 * paper.totalError,
                     qPrintable(QString("%1 %: %2 against %3")
                                    .arg(budget * 100)
                                    .arg(sign.totalError)
                                    .arg(paper.totalError)));
            // more points for the memory: more MACs
            QVERIFY(sign.macOverhead > paper.macOverhead);
        }
    }

    void baselinesMatchTheAllocationsMemory()
    {
        const mpq::Allocation a = mpq::allocate(m_sign.curves, memoryBudget(0.1));
        QVERIFY(a.memoryOverhead > 0.09);
        const mpq::MethodWeights multipoint =
            mpq::methodWeights(*m_model, m_sign, a, {}, mpq::Method::Multipoint);
        QCOMPARE(multipoint.memoryOverhead, a.memoryOverhead);
        QCOMPARE(multipoint.effectiveBits, a.effectiveBits);
        for (std::size_t i = 0; i < a.layers.size(); ++i)
            QVERIFY(multipoint.weights[i] ==
                    m_sign.decompositions[i].reconstruct(a.layers[i].points));
        // mixed precision spends at most the same memory (one bit per weight of a wider layer)
        const std::vector<mpq::LayerAtBits> single =
            mpq::mixedPrecisionInputs(*m_model, m_profile, m_sign);
        const mpq::MethodWeights mixed =
            mpq::methodWeights(*m_model, m_sign, a, {}, mpq::Method::MixedPrecision, single);
        QVERIFY(mixed.memoryOverhead <= a.memoryOverhead + 1e-12);
        QVERIFY(mixed.memoryOverhead > 0.0);
    }

    void bitsPinFollowsTheSetting()
    {
        // a layer pinned at 3 bits: its extra points are sign points too; without the setting
        // they are 3-bit points
        const std::vector<mpq::LayerAtBits> pinned =
            mpq::layersAtBits(*m_model, m_profile, m_sign, {0}, 3);
        QCOMPARE(pinned.front().decomposition.bits(), 3);
        QCOMPARE(pinned.front().decomposition.extraBits(), 1);
        QCOMPARE(pinned.front().curves.extraBits, 1);
        const std::vector<mpq::LayerAtBits> paper =
            mpq::layersAtBits(*m_model, m_profile, m_paper, {0}, 3);
        QCOMPARE(paper.front().decomposition.extraBits(), 3);
    }

    void savedCheckedAndExported()
    {
        const std::string file = (m_dir.path() + "/sign.mpqa").toStdString();
        mpq::saveAnalysis(m_sign, nullptr, file);
        const mpq::SavedAnalysis loaded = mpq::loadAnalysis(file);
        QCOMPARE(loaded.analysis.settings.extraPointBits, 1);
        for (std::size_t i = 0; i < loaded.analysis.decompositions.size(); ++i) {
            QCOMPARE(loaded.analysis.decompositions[i].extraBits(), 1);
            QCOMPARE(loaded.analysis.curves[i].extraBits, 1);
            QVERIFY(loaded.analysis.decompositions[i].codes() == m_sign.decompositions[i].codes());
        }
        mpq::checkAnalysisMatches(loaded.analysis, *m_model, m_settings);
        mpq::AnalysisSettings paper = m_settings;
        paper.extraPointBits = 0;
        try {
            mpq::checkAnalysisMatches(loaded.analysis, *m_model, paper);
            QFAIL("an analysis with sign points matched the paper's settings");
        } catch (const mpq::Error &e) {
            QVERIFY2(QString(e.what()).contains("extra-point bits 1 vs 2"), e.what());
        }
        // "the same as the bits" and the bits themselves are one setting
        paper.extraPointBits = 2;
        mpq::checkAnalysisMatches(mpq::loadAnalysis([&] {
                                      const std::string f =
                                          (m_dir.path() + "/paper.mpqa").toStdString();
                                      mpq::saveAnalysis(m_paper, nullptr, f);
                                      return f;
                                  }())
                                      .analysis,
                                  *m_model, paper);

        // the integer package: extra_bits in the manifest, the rows after the first points
        // are signs, and the rows add up to the quantized weights
        const mpq::AllocationSettings settings = memoryBudget(0.1);
        const mpq::Allocation a = mpq::allocate(m_sign.curves, settings);
        const QString pkg = m_dir.path() + "/pkg";
        mpq::exportIntegerPackage(*m_model, m_sign, a, {},
                                  mpq::exportManifest(m_sign, a, settings, "test", "package"),
                                  pkg.toStdString());
        QFile mf(pkg + "/manifest.json");
        QVERIFY(mf.open(QIODevice::ReadOnly));
        const QJsonArray layers =
            QJsonDocument::fromJson(mf.readAll()).object()["layers"].toArray();
        QCOMPARE(layers.size(), qsizetype(m_model->layers().size()));
        std::int64_t signRows = 0;
        for (qsizetype i = 0; i < layers.size(); ++i) {
            const QJsonObject e = layers[i].toObject();
            QCOMPARE(e["bits"].toInt(), 2);
            QCOMPARE(e["extra_bits"].toInt(), 1);
            const std::int64_t d = e["d"].toInteger(), channels = e["channels"].toInteger();
            const auto codes = mpqtest::readArray<std::int8_t>(pkg + "/" + e["codes"].toString());
            // the rows after the first points are signs
            for (std::size_t k = std::size_t(channels * d); k < codes.size(); ++k)
                QVERIFY(codes[k] == 1 || codes[k] == -1);
            signRows += std::int64_t(codes.size()) / d - channels;
            const std::vector<float> sum = mpqtest::packageWeights(pkg, e);
            const std::vector<float> expected =
                mpq::quantizedWeight(*m_model, m_sign, a, {}, std::size_t(i));
            QCOMPARE(sum.size(), expected.size());
            for (std::size_t k = 0; k < sum.size(); ++k)
                QVERIFY(std::abs(sum[k] - expected[k]) <= 1e-6f * (1.0f + std::abs(expected[k])));
        }
        QVERIFY(signRows > 0);
    }

    void rejectsMoreExtraBitsThanBits()
    {
        mpq::AnalysisSettings s = m_settings;
        s.extraPointBits = 3;
        try {
            mpq::analyze(*m_model, m_profile, m_images, s);
            QFAIL("extra-point bits above the bits were accepted");
        } catch (const mpq::Error &e) {
            QCOMPARE(e.code(), mpq::ErrorCode::InvalidArgument);
            QVERIFY2(QString(e.what()).contains("extra-point bits"), e.what());
        }
    }

private:
    QTemporaryDir m_dir;
    std::optional<mpq::Model> m_model;
    mpq::ModelProfile m_profile;
    std::vector<std::string> m_images;
    mpq::AnalysisSettings m_settings;
    mpq::Analysis m_paper, m_sign;
};

QTEST_GUILESS_MAIN(TestExtraPoints)
#include "tst_extrapoints.moc"
