// The single greedy step: the properties of docs/multipoint.md section 2.1.
#include "mpq/grid.h"
#include "mpq/multipoint.h"
#include "testvectors.h"

#include <QtTest>

#include <algorithm>
#include <cmath>

using mpqtest::randomVector;
using mpqtest::squaredError;
using mpqtest::squaredNorm;

namespace {

// Relative tolerance for comparing errors computed along different summation orders.
constexpr double kRelTol = 1e-12;

// Best error over every q in {-L..L}^d with its optimal scale: ||r||^2 - max <r,q>^2/<q,q>.
double bruteForceAllCodes(const std::vector<double> &r, int L)
{
    const int d = static_cast<int>(r.size());
    std::vector<int> q(d, -L);
    double best = 0.0;
    for (;;) {
        double rq = 0.0, qq = 0.0;
        for (int j = 0; j < d; ++j) {
            rq += r[j] * q[j];
            qq += double(q[j]) * q[j];
        }
        if (qq > 0)
            best = std::max(best, rq * rq / qq);
        int j = 0;
        while (j < d && q[j] == L)
            q[j++] = -L;
        if (j == d)
            break;
        ++q[j];
    }
    return squaredNorm(r) - best;
}

// Best error over a fine grid of a with q = clip(round(r/a)).
double bruteForceFineGrid(const std::vector<double> &r, int L, int steps)
{
    double inf = 0.0;
    for (double v : r)
        inf = std::max(inf, std::abs(v));
    double best = squaredNorm(r);
    std::vector<std::int8_t> q(r.size());
    for (int k = 1; k <= steps; ++k) {
        const double a = 2.0 * inf * k / steps;
        for (size_t j = 0; j < r.size(); ++j)
            q[j] = mpq::quantizeToGrid(r[j], 1.0 / a, L);
        best = std::min(best, squaredError(r, a, q));
    }
    return best;
}

void addBitsRows()
{
    QTest::addColumn<int>("bits");
    for (int b = 2; b <= 8; ++b)
        QTest::addRow("%d bits", b) << b;
}

} // namespace

class TestSteps : public QObject
{
    Q_OBJECT
private slots:
    void exactEqualsBruteForceOverAllCodes_data() { addBitsRows(); }
    void exactEqualsBruteForceOverAllCodes()
    {
        QFETCH(int, bits);
        const int L = mpq::gridLevels(bits);
        // d <= 4 at 2 bits as the spec asks; as many dimensions as stay enumerable above.
        int maxD = 1;
        while (maxD < 4 && std::pow(2 * L + 1, maxD + 1) <= 70000)
            ++maxD;
        std::mt19937_64 rng(1000 + bits);
        for (int trial = 0; trial < 400; ++trial) {
            const int d = 1 + trial % maxD;
            const std::vector<double> r = randomVector(rng, d, trial);
            std::vector<std::int8_t> q(d);
            const mpq::StepResult s = mpq::exactStep(r.data(), d, L, q.data());
            const double brute = bruteForceAllCodes(r, L);
            QVERIFY2(std::abs(s.error2 - brute) <= kRelTol * squaredNorm(r) + 1e-300,
                     qPrintable(QString("d=%1 trial %2: exact %3, brute force %4")
                                    .arg(d)
                                    .arg(trial)
                                    .arg(s.error2, 0, 'g', 17)
                                    .arg(brute, 0, 'g', 17)));
        }
    }

    void fastPathMatchesReferenceSweep_data() { addBitsRows(); }
    void fastPathMatchesReferenceSweep()
    {
        // exactStep (branch and bound) against exactStepReference (every breakpoint in order),
        // on random vectors and on the later residuals of a greedy decomposition
        QFETCH(int, bits);
        const int L = mpq::gridLevels(bits);
        std::mt19937_64 rng(4000 + bits);
        for (int trial = 0; trial < 120; ++trial) {
            const int d = 1 + (trial * 37) % 700;
            std::vector<double> r = randomVector(rng, d, trial);
            std::vector<std::int8_t> qf(d), qr(d);
            for (int point = 0; point < 4; ++point) {
                const mpq::StepResult fast = mpq::exactStep(r.data(), d, L, qf.data());
                const mpq::StepResult ref = mpq::exactStepReference(r.data(), d, L, qr.data());
                QVERIFY2(std::abs(fast.error2 - ref.error2) <= kRelTol * squaredNorm(r) + 1e-300,
                         qPrintable(QString("trial %1 point %2: fast %3, reference %4")
                                        .arg(trial)
                                        .arg(point)
                                        .arg(fast.error2, 0, 'g', 17)
                                        .arg(ref.error2, 0, 'g', 17)));
                for (int j = 0; j < d; ++j)
                    r[j] -= fast.scale * qf[j];
            }
        }
    }

    void exactNeverWorseThanGridSearches_data() { addBitsRows(); }
    void exactNeverWorseThanGridSearches()
    {
        QFETCH(int, bits);
        const int L = mpq::gridLevels(bits);
        std::mt19937_64 rng(2000 + bits);
        for (int trial = 0; trial < 200; ++trial) {
            const int d = 1 + trial % 64;
            const std::vector<double> r = randomVector(rng, d, trial);
            const double tol = kRelTol * squaredNorm(r);
            std::vector<std::int8_t> qe(d), qg(d), qm(d);
            const mpq::StepResult exact = mpq::exactStep(r.data(), d, L, qe.data());
            const mpq::StepResult grid = mpq::gridStep(r.data(), d, L, qg.data());
            const mpq::StepResult maxScaled = mpq::maxScaledStep(r.data(), d, L, qm.data());
            QVERIFY2(exact.error2 <= grid.error2 + tol,
                     qPrintable(QString("trial %1: exact %2 > grid %3")
                                    .arg(trial)
                                    .arg(exact.error2)
                                    .arg(grid.error2)));
            QVERIFY2(exact.error2 <= maxScaled.error2 + tol,
                     qPrintable(QString("trial %1: exact %2 > max-scaled %3")
                                    .arg(trial)
                                    .arg(exact.error2)
                                    .arg(maxScaled.error2)));
            if (trial % 4 == 0) { // the fine grid is slow; a quarter of the vectors suffices
                const double fine = bruteForceFineGrid(r, L, 20000);
                QVERIFY2(exact.error2 <= fine + tol,
                         qPrintable(QString("trial %1: exact %2 > fine grid %3")
                                        .arg(trial)
                                        .arg(exact.error2)
                                        .arg(fine)));
            }
        }
    }

    void stepResultsAreConsistent_data() { addBitsRows(); }
    void stepResultsAreConsistent()
    {
        QFETCH(int, bits);
        const int L = mpq::gridLevels(bits);
        std::mt19937_64 rng(3000 + bits);
        for (int trial = 0; trial < 100; ++trial) {
            const int d = 1 + (trial * 7) % 200;
            const std::vector<double> r = randomVector(rng, d, trial);
            const bool zero = squaredNorm(r) == 0.0;
            std::vector<std::int8_t> q(d);
            for (int method = 0; method < 3; ++method) {
                const mpq::StepResult s = method == 0 ? mpq::exactStep(r.data(), d, L, q.data())
                                          : method == 1
                                              ? mpq::gridStep(r.data(), d, L, q.data())
                                              : mpq::maxScaledStep(r.data(), d, L, q.data());
                for (std::int8_t v : q)
                    QVERIFY(v >= -L && v <= L);
                QVERIFY(zero ? s.scale == 0.0 : s.scale > 0.0);
                QVERIFY(std::abs(s.error2 - squaredError(r, s.scale, q)) <= 1e-12 * squaredNorm(r));
                QVERIFY(s.error2 <= squaredNorm(r) * (1 + kRelTol));
            }
            // max-scaled: every entry within a0/2 of the residual
            const mpq::StepResult m = mpq::maxScaledStep(r.data(), d, L, q.data());
            for (int j = 0; j < d; ++j)
                QVERIFY(std::abs(r[j] - m.scale * q[j]) <= m.scale / 2 * (1 + 1e-12));
        }
    }

    void specialVectors_data() { addBitsRows(); }
    void specialVectors()
    {
        QFETCH(int, bits);
        const int L = mpq::gridLevels(bits);
        for (int method = 0; method < 3; ++method) {
            auto step = [&](const std::vector<double> &r, std::vector<std::int8_t> &q) {
                const int d = static_cast<int>(r.size());
                return method == 0   ? mpq::exactStep(r.data(), d, L, q.data())
                       : method == 1 ? mpq::gridStep(r.data(), d, L, q.data())
                                     : mpq::maxScaledStep(r.data(), d, L, q.data());
            };
            // zero vector: a = 0, q = 0
            std::vector<double> zero(17, 0.0);
            std::vector<std::int8_t> q(17, 5);
            mpq::StepResult s = step(zero, q);
            QCOMPARE(s.scale, 0.0);
            QCOMPARE(s.error2, 0.0);
            QVERIFY(std::all_of(q.begin(), q.end(), [](std::int8_t v) { return v == 0; }));
            // constant vectors (either sign) are represented exactly
            for (double c : {0.37, -2.5e-3}) {
                std::vector<double> constant(33, c);
                std::vector<std::int8_t> qc(33);
                s = step(constant, qc);
                QVERIFY2(
                    s.error2 <= 1e-20,
                    qPrintable(
                        QString("method %1 constant %2: %3").arg(method).arg(c).arg(s.error2)));
                QVERIFY(std::all_of(qc.begin(), qc.end(),
                                    [&](std::int8_t v) { return v == qc[0] && v != 0; }));
            }
            // a single non-zero entry is represented exactly by a single non-zero code
            std::vector<double> single(9, 0.0);
            single[4] = -0.81;
            std::vector<std::int8_t> qs(9);
            s = step(single, qs);
            QVERIFY(s.error2 <= 1e-20);
            QCOMPARE(std::count(qs.begin(), qs.end(), std::int8_t(0)), 8);
            QVERIFY(qs[4] < 0);
        }
    }

    void l2StepCanLoseInInfinityNorm()
    {
        // docs/multipoint.md: r = (1, 0.1 x 99) at 2 bits. The L2-optimal step beats the max-scaled
        // step in L2 but not in the infinity norm.
        std::vector<double> r(100, 0.1);
        r[0] = 1.0;
        std::vector<std::int8_t> qe(100), qm(100);
        const mpq::StepResult e = mpq::exactStep(r.data(), 100, 1, qe.data());
        const mpq::StepResult m = mpq::maxScaledStep(r.data(), 100, 1, qm.data());
        QVERIFY(e.error2 < m.error2);
        double infE = 0, infM = 0;
        for (int j = 0; j < 100; ++j) {
            infE = std::max(infE, std::abs(r[j] - e.scale * qe[j]));
            infM = std::max(infM, std::abs(r[j] - m.scale * qm[j]));
        }
        QVERIFY(infE > infM);
        QVERIFY(std::abs(m.error2 - 0.99) < 1e-12); // a0 = 1 keeps only r[0]
    }
};

QTEST_APPLESS_MAIN(TestSteps)
#include "tst_steps.moc"
