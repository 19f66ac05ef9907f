// Whole-matrix multipoint decomposition: residuals, reconstruction, determinism, validation.
#include "mpq/error.h"
#include "mpq/grid.h"
#include "mpq/multipoint.h"
#include "mpq/parallel.h"
#include "mpq/synthetic.h"

#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>

Q_DECLARE_METATYPE(mpq::SearchMethod)

namespace {

std::vector<float> testMatrix(std::int64_t rows, std::int64_t cols, std::uint64_t seed)
{
    std::vector<float> w = mpq::laplaceMatrix(rows, cols, 0.05, seed);
    // a zero row, a constant row and a single-entry row among the random ones
    std::fill(w.begin(), w.begin() + cols, 0.0f);
    std::fill(w.begin() + cols, w.begin() + 2 * cols, -0.125f);
    std::fill(w.begin() + 2 * cols, w.begin() + 3 * cols, 0.0f);
    w[2 * cols + cols / 2] = 0.7f;
    return w;
}

// The residual before point i of row c, by the same arithmetic as the decomposition.
std::vector<double> residualBefore(const std::vector<float> &w, const mpq::MatrixDecomposition &d,
                                   std::int64_t c, int i)
{
    std::vector<double> r(w.begin() + c * d.cols(), w.begin() + (c + 1) * d.cols());
    for (int k = 0; k < i; ++k)
        for (std::int64_t j = 0; j < d.cols(); ++j)
            r[j] -= static_cast<double>(d.scale(c, k)) * d.code(c, k)[j];
    return r;
}

void expectError(mpq::ErrorCode code, const char *needle, const std::function<void()> &f)
{
    try {
        f();
        QFAIL("no error thrown");
    } catch (const mpq::Error &e) {
        QCOMPARE(e.code(), code);
        QVERIFY2(QString(e.what()).contains(needle), e.what());
    }
}

} // namespace

class TestMultipoint : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { mpq::setThreadCount(1); }

    void residualsAndReconstruction_data()
    {
        QTest::addColumn<int>("bits");
        QTest::addColumn<mpq::SearchMethod>("search");
        for (int b = 2; b <= 8; ++b) {
            QTest::addRow("exact %d bits", b) << b << mpq::SearchMethod::Exact;
            QTest::addRow("grid %d bits", b) << b << mpq::SearchMethod::Grid;
        }
    }
    void residualsAndReconstruction()
    {
        QFETCH(int, bits);
        QFETCH(mpq::SearchMethod, search);
        const int L = mpq::gridLevels(bits);
        const std::int64_t rows = 12, cols = 75;
        const std::vector<float> w = testMatrix(rows, cols, 10 + bits);
        mpq::DecomposeOptions o;
        o.bits = bits;
        o.maxPoints = 6;
        o.search = search;
        const mpq::MatrixDecomposition d = mpq::decompose(w.data(), rows, cols, o);
        QCOMPARE(d.rows(), rows);
        QCOMPARE(d.cols(), cols);
        QCOMPARE(d.points(), 6);
        std::vector<float> approx(cols);
        for (std::int64_t c = 0; c < rows; ++c) {
            const double wNorm = d.residualNorm(c, 0);
            for (int i = 0; i < o.maxPoints; ++i) {
                // codes stay on the grid
                for (std::int64_t j = 0; j < cols; ++j)
                    QVERIFY(d.code(c, i)[j] >= -L && d.code(c, i)[j] <= L);
                // the residual L2 norm never increases
                QVERIFY2(d.residualNorm(c, i + 1) <= d.residualNorm(c, i) * (1 + 1e-9) + 1e-30,
                         qPrintable(QString("row %1 point %2").arg(c).arg(i)));
                // exact: never worse than the max-scaled step from the same residual, whose
                // error is within sqrt(d) * ||r||_inf / (2L). (The grid step is not: at 7-8 bits
                // its step ||r||_inf/1024 is coarse next to a0 = ||r||_inf/L.) Slack: the stored
                // scale is a float, and its rounding (relative 2^-24) may add up to about 2^-23
                // ||r|| to the step's error.
                std::vector<double> r = residualBefore(w, d, c, i);
                std::vector<std::int8_t> q(cols);
                const mpq::StepResult m = mpq::maxScaledStep(r.data(), cols, L, q.data());
                const double after = d.residualNorm(c, i + 1);
                const double floatSlack = 1.2e-7 * d.residualNorm(c, i) + 1e-30;
                if (search == mpq::SearchMethod::Exact)
                    QVERIFY2(after <= std::sqrt(m.error2) * (1 + 1e-9) + floatSlack,
                             qPrintable(QString("row %1 point %2: %3 > max-scaled %4")
                                            .arg(c)
                                            .arg(i)
                                            .arg(after)
                                            .arg(std::sqrt(m.error2))));
                double inf = 0;
                for (double v : r)
                    inf = std::max(inf, std::abs(v));
                if (search == mpq::SearchMethod::Exact)
                    QVERIFY(after <=
                            std::sqrt(double(cols)) * inf / (2 * L) * (1 + 1e-9) + floatSlack);
                // the stored code is the step's own code from that residual
                if (search == mpq::SearchMethod::Exact) {
                    mpq::exactStep(r.data(), cols, L, q.data());
                    QVERIFY(std::equal(q.begin(), q.end(), d.code(c, i)));
                }
                // sum of the stored points reproduces the stored residual norm
                d.reconstructRow(c, i + 1, approx.data());
                double e = 0;
                for (std::int64_t j = 0; j < cols; ++j)
                    e += (double(w[c * cols + j]) - approx[j]) *
                         (double(w[c * cols + j]) - approx[j]);
                QVERIFY2(std::abs(std::sqrt(e) - after) <= 1e-6 * wNorm + 1e-12,
                         qPrintable(QString("row %1, %2 points: |w - sum| = %3, stored %4")
                                        .arg(c)
                                        .arg(i + 1)
                                        .arg(std::sqrt(e))
                                        .arg(after)));
            }
        }
        // special rows: zero stays zero, constant and single-entry rows are exact after one point
        QCOMPARE(d.residualNorm(0, 0), 0.0);
        QCOMPARE(d.scale(0, 0), 0.0f);
        QVERIFY(d.residualNorm(1, 1) <= 1e-7 * d.residualNorm(1, 0));
        QVERIFY(d.residualNorm(2, 1) <= 1e-7 * d.residualNorm(2, 0));
    }

    void errorFallsWithPoints()
    {
        // A regression guard on Laplace weights at 4 bits (measured: +10.4, +7.1, +5.6 dB for
        // points 2..4 with L2 first points; much faster after a max-scaled first point, whose
        // residual has no clipped outliers).
        const std::vector<float> w = mpq::laplaceMatrix(64, 576, 0.02, 7);
        mpq::DecomposeOptions o;
        o.maxPoints = 4;
        const auto l2 = mpq::summarize(mpq::decompose(w.data(), 64, 576, o));
        o.firstPoint = mpq::FirstPoint::Max;
        const auto max = mpq::summarize(mpq::decompose(w.data(), 64, 576, o));
        QCOMPARE(l2.size(), size_t(4));
        for (size_t n = 1; n < l2.size(); ++n) {
            QVERIFY2(
                l2[n].relativeError < l2[n - 1].relativeError / 2, // at least 3 dB a point
                qPrintable(
                    QString("%1 -> %2").arg(l2[n - 1].relativeError).arg(l2[n].relativeError)));
            QVERIFY(max[n].relativeError < max[n - 1].relativeError / 10);
        }
        QVERIFY(l2[0].relativeError < max[0].relativeError); // the L2 point wins alone...
        QVERIFY(max[1].relativeError < l2[1].relativeError); // ...and loses from two points on
        QVERIFY(l2[0].relativeError < 0.03);                 // one 4-bit point: above 15 dB
        QCOMPARE(l2[1].effectiveBits, (4.0 * 2 * 576 + 32.0 * 2) / 576);
    }

    void mixedPointCounts()
    {
        const std::int64_t rows = 5, cols = 31;
        const std::vector<float> w = mpq::laplaceMatrix(rows, cols, 1.0, 3);
        mpq::DecomposeOptions o;
        o.maxPoints = 3;
        const mpq::MatrixDecomposition d = mpq::decompose(w.data(), rows, cols, o);
        const std::vector<int> n = {0, 1, 3, 2, 1};
        const std::vector<float> all = d.reconstruct(n);
        std::vector<float> row(cols);
        for (std::int64_t c = 0; c < rows; ++c) {
            d.reconstructRow(c, n[c], row.data());
            QVERIFY(std::equal(row.begin(), row.end(), all.begin() + c * cols));
        }
        QVERIFY(std::all_of(all.begin(), all.begin() + cols, [](float v) { return v == 0.0f; }));
        expectError(mpq::ErrorCode::InvalidArgument, "4 points", [&] {
            d.reconstruct({0, 1, 4, 2, 1});
        });
        expectError(mpq::ErrorCode::InvalidArgument, "expected 5", [&] { d.reconstruct({1, 1}); });
    }

    void firstPointMax()
    {
        const std::int64_t rows = 6, cols = 40;
        const std::vector<float> w = mpq::laplaceMatrix(rows, cols, 1.0, 5);
        mpq::DecomposeOptions o;
        o.bits = 3;
        o.maxPoints = 3;
        o.firstPoint = mpq::FirstPoint::Max;
        const mpq::MatrixDecomposition d = mpq::decompose(w.data(), rows, cols, o);
        for (std::int64_t c = 0; c < rows; ++c) {
            float inf = 0;
            for (std::int64_t j = 0; j < cols; ++j)
                inf = std::max(inf, std::abs(w[c * cols + j]));
            QCOMPARE(d.scale(c, 0), float(double(inf) / 3));
            for (std::int64_t j = 0; j < cols; ++j)
                QCOMPARE(int(d.code(c, 0)[j]),
                         int(mpq::quantizeToGrid(w[c * cols + j], 3.0 / inf, 3)));
        }
    }

    void deterministicAcrossThreadCounts()
    {
        const std::int64_t rows = 97, cols = 300;
        const std::vector<float> w = mpq::laplaceMatrix(rows, cols, 0.1, 11);
        mpq::DecomposeOptions o;
        o.bits = 3;
        o.maxPoints = 5;
        std::vector<mpq::MatrixDecomposition> results;
        for (int threads : {1, 2, 3}) {
            mpq::setThreadCount(threads);
            QCOMPARE(mpq::threadCount(), threads);
            results.push_back(mpq::decompose(w.data(), rows, cols, o));
        }
        mpq::setThreadCount(1);
        for (size_t k = 1; k < results.size(); ++k) {
            for (std::int64_t c = 0; c < rows; ++c) {
                for (int i = 0; i < o.maxPoints; ++i) {
                    QCOMPARE(results[k].scale(c, i), results[0].scale(c, i));
                    QVERIFY(std::memcmp(results[k].code(c, i), results[0].code(c, i), cols) == 0);
                    QCOMPARE(results[k].residualNorm(c, i + 1), results[0].residualNorm(c, i + 1));
                }
            }
        }
    }

    void extraPointsWithFewerBits()
    {
        // docs/multipoint.md section 11: points after the first at e < b bits. The first point
        // is the b-bit one; a sign point (e = 1) has codes -1/+1 at the scale mean |r|; an
        // e-bit point stays in the e-bit grid; the error falls with every point.
        const std::int64_t rows = 64, cols = 576;
        const std::vector<float> w = mpq::laplaceMatrix(rows, cols, 0.02, 11);
        mpq::DecomposeOptions o;
        o.bits = 3;
        o.maxPoints = 3;
        const mpq::MatrixDecomposition paper = mpq::decompose(w.data(), rows, cols, o);
        QCOMPARE(paper.extraBits(), 3);
        o.extraBits = 1;
        const mpq::MatrixDecomposition sign = mpq::decompose(w.data(), rows, cols, o);
        QCOMPARE(sign.bits(), 3);
        QCOMPARE(sign.extraBits(), 1);
        for (std::int64_t c = 0; c < rows; ++c) {
            QCOMPARE(sign.scale(c, 0), paper.scale(c, 0));
            QVERIFY(std::equal(sign.code(c, 0), sign.code(c, 0) + cols, paper.code(c, 0)));
            for (int i = 1; i < 3; ++i) {
                const std::vector<double> r = residualBefore(w, sign, c, i);
                double meanAbs = 0.0;
                for (std::int64_t j = 0; j < cols; ++j) {
                    const std::int8_t q = sign.code(c, i)[j];
                    QVERIFY(q == (r[j] >= 0 ? 1 : -1));
                    meanAbs += std::abs(r[j]) / double(cols);
                }
                QCOMPARE(sign.scale(c, i), static_cast<float>(meanAbs));
                QVERIFY(sign.residualNorm(c, i + 1) < sign.residualNorm(c, i));
            }
        }
        // a sign point on an even spread over [-h, h] leaves a quarter of the squared error;
        // on what a 3-bit point leaves of Laplace weights (clipped tails) less: at least 1.5
        // times less per point (measured 2.4 and 1.7)
        std::vector<double> even(4001);
        for (std::size_t j = 0; j < even.size(); ++j)
            even[j] = -1.0 + 2.0 * double(j) / double(even.size() - 1);
        std::vector<std::int8_t> signs(even.size());
        const mpq::StepResult half =
            mpq::signStep(even.data(), std::int64_t(even.size()), signs.data());
        QVERIFY(std::abs(half.scale - 0.5) < 1e-3);
        double energy = 0.0;
        for (double v : even)
            energy += v * v;
        QVERIFY(std::abs(half.error2 / energy - 0.25) < 1e-3);
        const auto s = mpq::summarize(sign);
        QVERIFY2(s[1].relativeError < s[0].relativeError / 1.5 &&
                     s[2].relativeError < s[1].relativeError / 1.5,
                 qPrintable(QString("%1 -> %2 -> %3")
                                .arg(s[0].relativeError)
                                .arg(s[1].relativeError)
                                .arg(s[2].relativeError)));
        QCOMPARE(s[2].effectiveBits, (3.0 * cols + 1.0 * 2 * cols + 32.0 * 3) / cols);
        // 2-bit extra points of a 4-bit decomposition: ternary codes after the first point
        o.bits = 4;
        o.extraBits = 2;
        const mpq::MatrixDecomposition ternary = mpq::decompose(w.data(), rows, cols, o);
        QCOMPARE(ternary.extraBits(), 2);
        bool wide = false;
        for (std::int64_t c = 0; c < rows; ++c) {
            wide = wide || std::any_of(ternary.code(c, 0), ternary.code(c, 0) + cols,
                                       [](std::int8_t q) { return std::abs(q) > 1; });
            for (int i = 1; i < 3; ++i)
                QVERIFY(std::all_of(ternary.code(c, i), ternary.code(c, i) + cols,
                                    [](std::int8_t q) { return std::abs(q) <= 1; }));
        }
        QVERIFY(wide); // the first point uses its 4-bit grid
        // extra bits above the bits are capped (a Bits pin below the analysis' extra bits)
        o.bits = 2;
        o.extraBits = 3;
        QCOMPARE(mpq::decompose(w.data(), rows, cols, o).extraBits(), 2);
        o.extraBits = 9;
        expectError(mpq::ErrorCode::InvalidArgument, "extra-point bits",
                    [&] { mpq::decompose(w.data(), rows, cols, o); });
        o.extraBits = -1;
        expectError(mpq::ErrorCode::InvalidArgument, "extra-point bits",
                    [&] { mpq::decompose(w.data(), rows, cols, o); });

        // stored arrays: later points are checked against their own grid
        const auto rebuilt = [&](const mpq::MatrixDecomposition &d, int extraBits) {
            return mpq::MatrixDecomposition::fromArrays(d.bits(), d.points(), d.rows(), d.cols(),
                                                        d.scales(), d.codes(), d.residualNorms(),
                                                        extraBits);
        };
        QCOMPARE(rebuilt(sign, 1).extraBits(), 1);
        QCOMPARE(rebuilt(paper, 0).extraBits(), 3);
        expectError(mpq::ErrorCode::InvalidArgument, "outside the grid",
                    [&] { rebuilt(paper, 1); }); // 3-bit codes in the later points
        expectError(mpq::ErrorCode::InvalidArgument, "different shapes", [&] {
            mpq::MatrixDecomposition::mergeRows(paper, sign, std::vector<std::uint8_t>(rows, 1));
        });
    }

    void rejectsBadInput()
    {
        std::vector<float> w = mpq::laplaceMatrix(4, 8, 1.0, 1);
        mpq::DecomposeOptions o;
        w[2 * 8 + 3] = std::nanf("");
        expectError(mpq::ErrorCode::NonFinite, "NaN at row 2, column 3",
                    [&] { mpq::decompose(w.data(), 4, 8, o); });
        w[2 * 8 + 3] = -INFINITY;
        expectError(mpq::ErrorCode::NonFinite, "Inf at row 2, column 3",
                    [&] { mpq::decompose(w.data(), 4, 8, o); });
        w[2 * 8 + 3] = 0.5f;
        expectError(mpq::ErrorCode::EmptyInput, "empty",
                    [&] { mpq::decompose(w.data(), 0, 8, o); });
        expectError(mpq::ErrorCode::EmptyInput, "empty",
                    [&] { mpq::decompose(w.data(), 4, 0, o); });
        o.bits = 1;
        expectError(mpq::ErrorCode::InvalidArgument, "bits",
                    [&] { mpq::decompose(w.data(), 4, 8, o); });
        o.bits = 9;
        expectError(mpq::ErrorCode::InvalidArgument, "bits",
                    [&] { mpq::decompose(w.data(), 4, 8, o); });
        o.bits = 4;
        o.maxPoints = 0;
        expectError(mpq::ErrorCode::InvalidArgument, "points",
                    [&] { mpq::decompose(w.data(), 4, 8, o); });
        o.maxPoints = 2;
        o.search = mpq::SearchMethod::Grid;
        o.gridResolution = 0;
        expectError(mpq::ErrorCode::InvalidArgument, "resolution",
                    [&] { mpq::decompose(w.data(), 4, 8, o); });
        expectError(mpq::ErrorCode::InvalidArgument, "thread", [] { mpq::setThreadCount(0); });
    }

    void progressAndCancel()
    {
        const std::int64_t rows = 400, cols = 64;
        const std::vector<float> w = mpq::laplaceMatrix(rows, cols, 1.0, 2);
        mpq::DecomposeOptions o;
        o.maxPoints = 2;
        std::vector<double> reported;
        mpq::JobControl progressOnly;
        progressOnly.progress = [&](double f) { reported.push_back(f); };
        mpq::decompose(w.data(), rows, cols, o, progressOnly);
        QVERIFY(!reported.empty());
        QCOMPARE(reported.back(), 1.0);
        QVERIFY(std::is_sorted(reported.begin(), reported.end()));

        std::atomic<int> polls{0};
        mpq::JobControl cancelSoon;
        cancelSoon.isCancelled = [&] { return ++polls > 50; };
        expectError(mpq::ErrorCode::Cancelled, "cancelled",
                    [&] { mpq::decompose(w.data(), rows, cols, o, cancelSoon); });
        QVERIFY(polls < rows); // it stopped early instead of finishing all rows
    }
};

QTEST_APPLESS_MAIN(TestMultipoint)
#include "tst_multipoint.moc"
