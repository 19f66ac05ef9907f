// Single-point baselines: round-to-nearest, MSE-optimal scale, outlier channel splitting.
#include "mpq/baselines.h"
#include "mpq/error.h"
#include "mpq/grid.h"
#include "mpq/multipoint.h"
#include "mpq/synthetic.h"

#include <QtTest>

#include <algorithm>
#include <cmath>

namespace {

void addBitsRows()
{
    QTest::addColumn<int>("bits");
    for (int b = 2; b <= 8; ++b)
        QTest::addRow("%d bits", b) << b;
}

double rowError(const float *w, const std::vector<float> &approx, std::int64_t row,
                std::int64_t cols)
{
    double e = 0;
    for (std::int64_t j = 0; j < cols; ++j) {
        const double diff = double(w[row * cols + j]) - approx[row * cols + j];
        e += diff * diff;
    }
    return e;
}

// y = W x for W rows x (channels * kernel), x channels x kernel (one output position).
std::vector<double> apply(const std::vector<float> &w, std::int64_t rows,
                          const std::vector<double> &x)
{
    const std::int64_t n = static_cast<std::int64_t>(x.size());
    std::vector<double> y(rows, 0.0);
    for (std::int64_t c = 0; c < rows; ++c)
        for (std::int64_t j = 0; j < n; ++j)
            y[c] += double(w[c * n + j]) * x[j];
    return y;
}

} // namespace

class TestBaselines : public QObject
{
    Q_OBJECT
private slots:
    void roundToNearestMatchesDirectComputation_data() { addBitsRows(); }
    void roundToNearestMatchesDirectComputation()
    {
        QFETCH(int, bits);
        const int L = mpq::gridLevels(bits);
        const std::int64_t rows = 9, cols = 50;
        std::vector<float> w = mpq::laplaceMatrix(rows, cols, 0.3, 40 + bits);
        std::fill(w.begin() + 4 * cols, w.begin() + 5 * cols, 0.0f); // a zero row
        for (auto g : {mpq::Granularity::PerChannel, mpq::Granularity::PerTensor}) {
            const mpq::QuantizedMatrix q = mpq::roundToNearest(w.data(), rows, cols, bits, g);
            QCOMPARE(q.scales.size(), size_t(g == mpq::Granularity::PerTensor ? 1 : rows));
            const std::vector<float> deq = q.dequantize();
            float tensorMax = 0;
            for (float v : w)
                tensorMax = std::max(tensorMax, std::abs(v));
            for (std::int64_t c = 0; c < rows; ++c) {
                float rowMax = 0;
                for (std::int64_t j = 0; j < cols; ++j)
                    rowMax = std::max(rowMax, std::abs(w[c * cols + j]));
                const float a = (g == mpq::Granularity::PerTensor ? tensorMax : rowMax) / L;
                QCOMPARE(q.scale(c), a);
                double direct = 0, norm2 = 0;
                for (std::int64_t j = 0; j < cols; ++j) {
                    const double x = w[c * cols + j];
                    const int code =
                        a == 0 ? 0 : int(std::clamp(std::round(x / a), double(-L), double(L)));
                    QCOMPARE(int(q.codes[c * cols + j]), code);
                    direct += (x - double(a) * code) * (x - double(a) * code);
                    norm2 += x * x;
                }
                // dequantize() multiplies in float: allow its rounding, relative to ||w_c||^2
                QVERIFY(std::abs(rowError(w.data(), deq, c, cols) - direct) <=
                        1e-6 * norm2 + 1e-12);
            }
        }
    }

    void mseScaleIsTheExactFirstPoint_data() { addBitsRows(); }
    void mseScaleIsTheExactFirstPoint()
    {
        QFETCH(int, bits);
        const int L = mpq::gridLevels(bits);
        const std::int64_t rows = 16, cols = 120;
        const std::vector<float> w = mpq::laplaceMatrix(rows, cols, 1.0, 50 + bits);
        const mpq::QuantizedMatrix mse = mpq::mseOptimalPerChannel(w.data(), rows, cols, bits);
        const mpq::QuantizedMatrix rtn =
            mpq::roundToNearest(w.data(), rows, cols, bits, mpq::Granularity::PerChannel);
        const std::vector<float> mseDeq = mse.dequantize(), rtnDeq = rtn.dequantize();
        for (std::int64_t c = 0; c < rows; ++c) {
            std::vector<double> r(w.begin() + c * cols, w.begin() + (c + 1) * cols);
            std::vector<std::int8_t> q(cols);
            const mpq::StepResult s = mpq::exactStep(r.data(), cols, L, q.data());
            QCOMPARE(mse.scale(c), float(s.scale));
            QVERIFY(std::equal(q.begin(), q.end(), mse.codes.begin() + c * cols));
            QVERIFY(rowError(w.data(), mseDeq, c, cols) <=
                    rowError(w.data(), rtnDeq, c, cols) * (1 + 1e-6));
        }
    }

    void ocsKeepsOutputsBeforeRounding_data()
    {
        QTest::addColumn<int>("groups");
        QTest::addColumn<int>("kernel");
        QTest::addColumn<double>("ratio");
        QTest::newRow("linear") << 1 << 1 << 0.25;
        QTest::newRow("conv 3x3") << 1 << 9 << 0.1;
        QTest::newRow("grouped conv") << 2 << 9 << 0.5;
        QTest::newRow("ratio 0") << 1 << 4 << 0.0;
    }
    void ocsKeepsOutputsBeforeRounding()
    {
        QFETCH(int, groups);
        QFETCH(int, kernel);
        QFETCH(double, ratio);
        const std::int64_t rows = 8, inChannels = 12;
        const std::vector<float> w =
            mpq::laplaceMatrix(rows, inChannels * kernel, 1.0, 60 + groups + kernel);
        const mpq::OcsResult ocs =
            mpq::outlierChannelSplit(w.data(), rows, inChannels, kernel, groups, 4, ratio);
        const std::int64_t extra = std::llround(ratio * inChannels);
        QCOMPARE(ocs.splitInChannels, inChannels + extra);
        std::mt19937_64 rng(5);
        std::normal_distribution<double> normal;
        const std::int64_t rowsPerGroup = rows / groups;
        for (int trial = 0; trial < 5; ++trial) {
            // one input vector per group (channels x kernel); the split model reads
            // x'[k] = x[source[k]]
            for (std::int64_t g = 0; g < groups; ++g) {
                std::vector<double> x(inChannels * kernel);
                for (double &v : x)
                    v = normal(rng);
                std::vector<double> xs(ocs.splitInChannels * kernel);
                for (std::int64_t k = 0; k < ocs.splitInChannels; ++k)
                    for (int t = 0; t < kernel; ++t)
                        xs[k * kernel + t] =
                            x[ocs.sourceChannel[g * ocs.splitInChannels + k] * kernel + t];
                const std::vector<double> y = apply(w, rows, x);
                const std::vector<double> ys = apply(ocs.splitWeight, rows, xs);
                const std::vector<double> yq = apply(ocs.quantized.dequantize(), rows, xs);
                const std::vector<double> yf = apply(ocs.foldedWeight(), rows, x);
                for (std::int64_t c = g * rowsPerGroup; c < (g + 1) * rowsPerGroup; ++c) {
                    QVERIFY2(
                        std::abs(y[c] - ys[c]) <= 1e-5 * (1 + std::abs(y[c])),
                        qPrintable(
                            QString("row %1: W x = %2, W' x' = %3").arg(c).arg(y[c]).arg(ys[c])));
                    // the folded weight runs the quantized split model in the original shape
                    QVERIFY(std::abs(yq[c] - yf[c]) <= 1e-5 * (1 + std::abs(yq[c])));
                }
            }
        }
        if (extra > 0) {
            // splitting halves the largest weight of the group that held it
            float before = 0, after = 0;
            for (float v : w)
                before = std::max(before, std::abs(v));
            for (float v : ocs.splitWeight)
                after = std::max(after, std::abs(v));
            QVERIFY(after < before);
        } else {
            QVERIFY(ocs.splitWeight == w);
        }
    }

    void rejectsBadInput()
    {
        std::vector<float> w = mpq::laplaceMatrix(4, 6, 1.0, 1);
        auto expect = [](mpq::ErrorCode code, const std::function<void()> &f) {
            try {
                f();
                QFAIL("no error");
            } catch (const mpq::Error &e) {
                QCOMPARE(e.code(), code);
            }
        };
        expect(mpq::ErrorCode::InvalidArgument,
               [&] { mpq::outlierChannelSplit(w.data(), 4, 6, 1, 3, 4, 0.1); });
        expect(mpq::ErrorCode::InvalidArgument,
               [&] { mpq::outlierChannelSplit(w.data(), 4, 6, 1, 1, 4, 1.5); });
        expect(mpq::ErrorCode::InvalidArgument,
               [&] { mpq::roundToNearest(w.data(), 4, 6, 9, mpq::Granularity::PerChannel); });
        w[5] = std::nanf("");
        expect(mpq::ErrorCode::NonFinite,
               [&] { mpq::roundToNearest(w.data(), 4, 6, 4, mpq::Granularity::PerTensor); });
        expect(mpq::ErrorCode::NonFinite, [&] { mpq::mseOptimalPerChannel(w.data(), 4, 6, 4); });
        expect(mpq::ErrorCode::NonFinite,
               [&] { mpq::outlierChannelSplit(w.data(), 4, 6, 1, 1, 4, 0.1); });
    }
};

QTEST_APPLESS_MAIN(TestBaselines)
#include "tst_baselines.moc"
