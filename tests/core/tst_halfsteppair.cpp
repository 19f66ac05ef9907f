// The half-step pair (docs/multipoint.md section 12): with one-bit extra points, a channel's first
// two points are one grid of step s (a b-bit point at 2s and a point of codes {0, 1} at s) and its
// one-point version is the best single point, kept apart. On constructed matrices: the grid, the
// solo point, the residual norms, the nested decomposition an allocation stores, the stored
// arrays. On the demo classifier: the curves at one point are the greedy analysis' own, the
// setting is saved and checked, and the integer package adds up to the weights that run.
#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/error.h"
#include "mpq/export.h"
#include "mpq/grid.h"
#include "mpq/images.h"
#include "mpq/multipoint.h"
#include "mpq/profile.h"
#include "mpq/runner.h"

#include "packagefiles.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <optional>
#include <random>

namespace {

const std::string kSamples = MPQ_SAMPLES_DIR;

std::vector<float> gaussian(std::int64_t rows, std::int64_t cols, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> n(0.0f, 1.0f);
    std::vector<float> w(std::size_t(rows * cols));
    for (float &v : w)
        v = n(rng);
    return w;
}

double distance(const float *a, const std::vector<float> &b)
{
    double s = 0.0;
    for (std::size_t j = 0; j < b.size(); ++j)
        s += (double(a[j]) - b[j]) * (double(a[j]) - b[j]);
    return std::sqrt(s);
}

} // namespace

class TestHalfStepPair : public QObject
{
    Q_OBJECT
private slots:
    void gridAndSoloPoint_data()
    {
        QTest::addColumn<int>("bits");
        QTest::newRow("2 bits") << 2;
        QTest::newRow("3 bits") << 3;
        QTest::newRow("4 bits") << 4;
    }
    void gridAndSoloPoint()
    {
        QFETCH(int, bits);
        const std::int64_t rows = 24, cols = 96;
        const std::vector<float> w = gaussian(rows, cols, 7u + unsigned(bits));
        mpq::DecomposeOptions greedy;
        greedy.bits = bits;
        greedy.maxPoints = 3;
        greedy.extraBits = 1;
        mpq::DecomposeOptions pairOptions = greedy;
        pairOptions.halfStepPair = true;
        const mpq::MatrixDecomposition g = mpq::decompose(w.data(), rows, cols, greedy);
        const mpq::MatrixDecomposition p = mpq::decompose(w.data(), rows, cols, pairOptions);
        QVERIFY(!g.hasSolo());
        QVERIFY(p.hasSolo());
        const int L = mpq::gridLevels(bits);
        double greedyTwo = 0.0, pairTwo = 0.0;
        for (std::int64_t c = 0; c < rows; ++c) {
            const std::vector<float> row(w.begin() + c * cols, w.begin() + (c + 1) * cols);
            // the solo point is the greedy chain's first point, and one point means it
            QCOMPARE(p.soloScale(c), g.scale(c, 0));
            QVERIFY(std::equal(p.soloCode(c), p.soloCode(c) + cols, g.code(c, 0)));
            std::vector<float> one(cols), two(cols);
            p.reconstructRow(c, 1, one.data());
            g.reconstructRow(c, 1, two.data());
            QVERIFY(one == two);
            QCOMPARE(p.residualNorm(c, 1), g.residualNorm(c, 1));
            // the pair: a b-bit point at twice the step of a point of codes {0, 1}
            QCOMPARE(p.scale(c, 0), 2.0f * p.scale(c, 1));
            QVERIFY(p.scale(c, 1) > 0.0f);
            for (std::int64_t j = 0; j < cols; ++j) {
                QVERIFY(p.code(c, 0)[j] >= -L && p.code(c, 0)[j] <= L);
                QVERIFY(p.code(c, 1)[j] == 0 || p.code(c, 1)[j] == 1);
            }
            p.reconstructRow(c, 2, two.data());
            for (std::int64_t j = 0; j < cols; ++j)
                QCOMPARE(two[j], p.scale(c, 0) * p.code(c, 0)[j] + p.scale(c, 1) * p.code(c, 1)[j]);
            QVERIFY(std::abs(p.residualNorm(c, 2) - distance(two.data(), row)) <=
                    1e-5 * p.residualNorm(c, 0));
            // a third point is a sign point on what the pair leaves
            QVERIFY(std::all_of(p.code(c, 2), p.code(c, 2) + cols,
                                [](std::int8_t q) { return q == 1 || q == -1; }));
            QVERIFY(p.residualNorm(c, 3) <= p.residualNorm(c, 2));
            greedyTwo += g.residualNorm(c, 2) * g.residualNorm(c, 2);
            pairTwo += p.residualNorm(c, 2) * p.residualNorm(c, 2);
        }
        // on Gaussian rows the (b+1)-bit grid less one level leaves less than a b-bit point
        // and a sign point (measured: 0.62, 0.57 and 0.55 times at 2, 3 and 4 bits)
        // the pair is the (b+1)-bit grid less one level at a searched step: its error stays near
        // that of the L2-optimal (b+1)-bit single point (measured: 1.48, 1.24 and 1.13 times at
        // 2, 3 and 4 bits; against the greedy b-bit point and sign point 1.03, 0.94, 0.95)
        mpq::DecomposeOptions wide;
        wide.bits = bits + 1;
        wide.maxPoints = 1;
        const mpq::MatrixDecomposition x = mpq::decompose(w.data(), rows, cols, wide);
        double wideOne = 0.0;
        for (std::int64_t c = 0; c < rows; ++c)
            wideOne += x.residualNorm(c, 1) * x.residualNorm(c, 1);
        QVERIFY2(pairTwo < 1.6 * wideOne,
                 qPrintable(QString("%1 against %2").arg(pairTwo).arg(wideOne)));
        QVERIFY2(pairTwo < 1.1 * greedyTwo,
                 qPrintable(QString("%1 against %2").arg(pairTwo).arg(greedyTwo)));
    }

    void zeroWeightsStayZero()
    {
        // what the pair keeps and a sign point cannot: a zero level. Half the weights of these
        // rows are exactly 0 (pruned); with two points the greedy chain moves every one of them
        // to +-a (a sign point has no zero code), the pair leaves them at 0
        const std::int64_t rows = 16, cols = 64;
        std::vector<float> w = gaussian(rows, cols, 5u);
        for (std::size_t k = 0; k < w.size(); k += 2)
            w[k] = 0.0f;
        mpq::DecomposeOptions o;
        o.bits = 2;
        o.maxPoints = 2;
        o.extraBits = 1;
        const mpq::MatrixDecomposition g = mpq::decompose(w.data(), rows, cols, o);
        o.halfStepPair = true;
        const mpq::MatrixDecomposition p = mpq::decompose(w.data(), rows, cols, o);
        const std::vector<float> greedyTwo = g.reconstruct(2), pairTwo = p.reconstruct(2);
        for (std::size_t k = 0; k < w.size(); k += 2) {
            QCOMPARE(pairTwo[k], 0.0f);
            QVERIFY(greedyTwo[k] != 0.0f);
        }
    }

    void storedDecompositionIsWhatRuns()
    {
        const std::int64_t rows = 40, cols = 32;
        const std::vector<float> w = gaussian(rows, cols, 3u);
        mpq::DecomposeOptions o;
        o.bits = 2;
        o.maxPoints = 4;
        o.extraBits = 1;
        o.halfStepPair = true;
        const mpq::MatrixDecomposition d = mpq::decompose(w.data(), rows, cols, o);
        std::vector<int> points(rows);
        for (std::int64_t c = 0; c < rows; ++c)
            points[c] = int(c % 5); // 0 to 4 points, every count several times
        const mpq::MatrixDecomposition stored = d.forPoints(points);
        QVERIFY(!stored.hasSolo());
        QVERIFY(stored.reconstruct(points) == d.reconstruct(points));
        for (std::int64_t c = 0; c < rows; ++c) {
            if (points[c] != 1)
                continue;
            // the solo point first, nothing after it
            QCOMPARE(stored.scale(c, 0), d.soloScale(c));
            QVERIFY(std::equal(stored.code(c, 0), stored.code(c, 0) + cols, d.soloCode(c)));
            for (int n = 1; n < stored.points(); ++n) {
                QCOMPARE(stored.scale(c, n), 0.0f);
                QCOMPARE(stored.residualNorm(c, n + 1), d.residualNorm(c, 1));
            }
        }
        // without a solo point, forPoints changes nothing
        o.halfStepPair = false;
        const mpq::MatrixDecomposition nested = mpq::decompose(w.data(), rows, cols, o);
        QVERIFY(nested.forPoints(points).codes() == nested.codes());
        QVERIFY_THROWS_EXCEPTION(mpq::Error, d.forPoints(std::vector<int>(rows, 5)));
    }

    void storedArraysRoundTrip()
    {
        const std::int64_t rows = 6, cols = 10;
        const std::vector<float> w = gaussian(rows, cols, 11u);
        mpq::DecomposeOptions o;
        o.bits = 3;
        o.maxPoints = 2;
        o.extraBits = 1;
        o.halfStepPair = true;
        const mpq::MatrixDecomposition d = mpq::decompose(w.data(), rows, cols, o);
        const mpq::MatrixDecomposition back = mpq::MatrixDecomposition::fromArrays(
            3, 2, rows, cols, d.scales(), d.codes(), d.residualNorms(), 1, d.soloScales(),
            d.soloCodes());
        QVERIFY(back.hasSolo());
        QVERIFY(back.reconstruct(1) == d.reconstruct(1));
        QVERIFY(back.reconstruct(2) == d.reconstruct(2));
        // solo arrays that do not fit, codes off the grid, solo points without one-bit extras
        std::vector<std::int8_t> badCodes = d.soloCodes();
        badCodes[3] = 4;
        const auto rejected = [&](auto call) {
            try {
                call();
            } catch (const mpq::Error &e) {
                return e.code() == mpq::ErrorCode::InvalidArgument;
            }
            return false;
        };
        QVERIFY(rejected([&] {
            mpq::MatrixDecomposition::fromArrays(3, 2, rows, cols, d.scales(), d.codes(),
                                                 d.residualNorms(), 1, {1.0f}, d.soloCodes());
        }));
        QVERIFY(rejected([&] {
            mpq::MatrixDecomposition::fromArrays(3, 2, rows, cols, d.scales(), d.codes(),
                                                 d.residualNorms(), 1, d.soloScales(), badCodes);
        }));
        QVERIFY(rejected([&] {
            mpq::MatrixDecomposition::fromArrays(3, 2, rows, cols, d.scales(), d.codes(),
                                                 d.residualNorms(), 3, d.soloScales(),
                                                 d.soloCodes());
        }));
        // the pair needs one-bit extra points
        o.extraBits = 2;
        QVERIFY(rejected([&] { mpq::decompose(w.data(), rows, cols, o); }));
    }

    void onTheDemoClassifier()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const mpq::Model model = mpq::Model::load(kSamples + "/fashion/fashion_resnet.pt");
        const mpq::ModelProfile profile =
            mpq::loadProfile(kSamples + "/fashion/fashion_resnet.profile.json");
        const std::vector<std::string> images = mpq::findImages(kSamples + "/fashion/test");
        mpq::AnalysisSettings s;
        s.bits = 2;
        s.maxPoints = 3;
        s.calibCount = 24;
        s.sensitivity = false;
        s.extraPointBits = 1;
        const mpq::Analysis greedy = mpq::analyze(model, profile, images, s);
        s.halfStepPair = true;
        const mpq::Analysis pair = mpq::analyze(model, profile, images, s);
        for (std::size_t i = 0; i < pair.curves.size(); ++i) {
            const mpq::LayerCurves &a = greedy.curves[i], &b = pair.curves[i];
            QVERIFY(pair.decompositions[i].hasSolo());
            for (std::int64_t c = 0; c < b.channels; ++c) {
                // one point is the same solo point on the same images: the same output error,
                // and its bias-correction shift
                QCOMPARE(b.errorAt(c, 1), a.errorAt(c, 1));
                QCOMPARE(b.shift[std::size_t(c * b.maxPoints)],
                         a.shift[std::size_t(c * a.maxPoints)]);
                // two points: the pair, not the solo point and a sign point
                QVERIFY(b.errorAt(c, 2) != a.errorAt(c, 2) || a.errorAt(c, 2) == 0.0);
            }
        }

        // saved, reloaded with its solo points, and told apart from the greedy setting
        const std::string file = (dir.path() + "/pair.mpqa").toStdString();
        mpq::saveAnalysis(pair, nullptr, file);
        const mpq::Analysis loaded = mpq::loadAnalysis(file).analysis;
        QVERIFY(loaded.settings.halfStepPair);
        for (std::size_t i = 0; i < loaded.decompositions.size(); ++i) {
            QVERIFY(loaded.decompositions[i].soloCodes() == pair.decompositions[i].soloCodes());
            QVERIFY(loaded.decompositions[i].soloScales() == pair.decompositions[i].soloScales());
            QVERIFY(loaded.decompositions[i].codes() == pair.decompositions[i].codes());
        }
        mpq::checkAnalysisMatches(loaded, model, s);
        mpq::AnalysisSettings plain = s;
        plain.halfStepPair = false;
        try {
            mpq::checkAnalysisMatches(loaded, model, plain);
            QFAIL("a half-step pair analysis matched the greedy settings");
        } catch (const mpq::Error &e) {
            QVERIFY2(QString(e.what()).contains("half-step pair on vs off"), e.what());
        }
        mpq::AnalysisSettings wrong = s;
        wrong.extraPointBits = 0;
        try {
            mpq::analyze(model, profile, images, wrong);
            QFAIL("a half-step pair with 2-bit extra points was accepted");
        } catch (const mpq::Error &e) {
            QCOMPARE(e.code(), mpq::ErrorCode::InvalidArgument);
            QVERIFY2(QString(e.what()).contains("one-bit extra points"), e.what());
        }

        // the integer package: channels given one point store their solo point, the others
        // the pair and sign points; the rows add up to the weights the quantized model runs
        mpq::AllocationSettings budget;
        budget.bits = 2;
        budget.rule = mpq::AllocationRule::Budget;
        budget.budget = 0.1;
        const mpq::Allocation a = mpq::allocate(pair.curves, budget);
        std::int64_t onePointChannels = 0, pairedChannels = 0;
        for (const mpq::LayerAllocation &l : a.layers)
            for (int n : l.points) {
                onePointChannels += n == 1;
                pairedChannels += n >= 2;
            }
        QVERIFY(onePointChannels > 0 && pairedChannels > 0);
        const QString pkg = dir.path() + "/pkg";
        mpq::exportIntegerPackage(model, pair, a, {},
                                  mpq::exportManifest(pair, a, budget, "test", "package"),
                                  pkg.toStdString());
        QFile mf(pkg + "/manifest.json");
        QVERIFY(mf.open(QIODevice::ReadOnly));
        const QJsonArray layers =
            QJsonDocument::fromJson(mf.readAll()).object()["layers"].toArray();
        QCOMPARE(layers.size(), qsizetype(model.layers().size()));
        for (qsizetype i = 0; i < layers.size(); ++i) {
            const QJsonObject e = layers[i].toObject();
            const std::vector<float> sum = mpqtest::packageWeights(pkg, e);
            const std::vector<float> expected =
                mpq::quantizedWeight(model, pair, a, {}, std::size_t(i));
            QCOMPARE(sum.size(), expected.size());
            for (std::size_t k = 0; k < sum.size(); ++k)
                QVERIFY(std::abs(sum[k] - expected[k]) <= 1e-6f * (1.0f + std::abs(expected[k])));
        }
    }
};

QTEST_GUILESS_MAIN(TestHalfStepPair)
#include "tst_halfsteppair.moc"
