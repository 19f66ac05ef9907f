// Engine benchmark: multipoint decomposition of every conv/linear weight of ResNet-18
// (11.7 M Laplace-distributed weights), exact step against the paper's grid step.
// Prints figures; asserts nothing. Usage: bench_engine [--threads N] [--bits B] [--points N]
//                                                     [--sample FRACTION]
#include "mpq/grid.h"
#include "mpq/multipoint.h"
#include "mpq/parallel.h"
#include "mpq/synthetic.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

struct Layer
{
    std::string name;
    std::int64_t rows;
    std::int64_t cols; // d = C_in * kh * kw
};

std::vector<Layer> resnet18()
{
    std::vector<Layer> layers = {{"conv1", 64, 3 * 49}};
    const int widths[] = {64, 128, 256, 512};
    int in = 64;
    for (int stage = 0; stage < 4; ++stage) {
        const int out = widths[stage];
        for (int block = 0; block < 2; ++block) {
            const std::string prefix =
                "layer" + std::to_string(stage + 1) + "." + std::to_string(block);
            const int blockIn = block == 0 ? in : out;
            layers.push_back({prefix + ".conv1", out, blockIn * 9});
            layers.push_back({prefix + ".conv2", out, out * 9});
            if (block == 0 && blockIn != out)
                layers.push_back({prefix + ".downsample.0", out, blockIn});
        }
        in = out;
    }
    layers.push_back({"fc", 1000, 512});
    return layers;
}

double seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

} // namespace

int main(int argc, char **argv)
{
    int threads = 1, bits = 4, points = 8;
    double sample = 0.02;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--threads"))
            threads = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--bits"))
            bits = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--points"))
            points = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--sample"))
            sample = std::atof(argv[i + 1]);
        else {
            std::fprintf(stderr, "unknown option %s\n", argv[i]);
            return 1;
        }
    }
    mpq::setThreadCount(threads);
    const int L = mpq::gridLevels(bits);
    const std::vector<Layer> layers = resnet18();
    std::vector<std::vector<float>> weights;
    std::int64_t total = 0;
    for (size_t k = 0; k < layers.size(); ++k) {
        weights.push_back(mpq::laplaceMatrix(layers[k].rows, layers[k].cols, 0.02, 100 + k));
        total += layers[k].rows * layers[k].cols;
    }
    std::printf(
        "ResNet-18 shapes: %zu layers, %.2f M weights, Laplace(0, 0.02); %d bits, %d points, "
        "%d thread(s)\n\n",
        layers.size(), total / 1e6, bits, points, threads);

    // --- exact step over everything
    mpq::DecomposeOptions exactOptions;
    exactOptions.bits = bits;
    exactOptions.maxPoints = points;
    std::vector<double> exactResidual(points + 1, 0.0);
    std::int64_t rowsTotal = 0;
    std::vector<mpq::MatrixDecomposition> exact;
    auto t0 = std::chrono::steady_clock::now();
    for (size_t k = 0; k < layers.size(); ++k)
        exact.push_back(
            mpq::decompose(weights[k].data(), layers[k].rows, layers[k].cols, exactOptions));
    const double exactSeconds = seconds(t0);
    for (const auto &d : exact)
        for (std::int64_t c = 0; c < d.rows(); ++c, ++rowsTotal)
            for (int n = 0; n <= points; ++n)
                exactResidual[n] += d.residualNorm(c, n) / d.residualNorm(c, 0);

    // --- grid step on a random sample of rows (timing extrapolated to all weights)
    std::mt19937_64 rng(12345);
    mpq::DecomposeOptions gridOptions = exactOptions;
    gridOptions.search = mpq::SearchMethod::Grid;
    std::vector<double> gridResidual(points + 1, 0.0), exactSampleResidual(points + 1, 0.0);
    std::int64_t sampledRows = 0, sampledWeights = 0, stepsCompared = 0, exactWorse = 0;
    double worstRatio = 0.0, gridSeconds = 0.0;
    std::vector<double> r, rg;
    std::vector<std::int8_t> qe, qg;
    for (size_t k = 0; k < layers.size(); ++k) {
        const Layer &layer = layers[k];
        const std::int64_t want = std::max<std::int64_t>(1, std::llround(sample * layer.rows));
        std::vector<std::int64_t> rows(layer.rows);
        for (std::int64_t c = 0; c < layer.rows; ++c)
            rows[c] = c;
        std::shuffle(rows.begin(), rows.end(), rng);
        rows.resize(want);
        std::vector<float> picked;
        for (std::int64_t c : rows)
            picked.insert(picked.end(), weights[k].begin() + c * layer.cols,
                          weights[k].begin() + (c + 1) * layer.cols);
        t0 = std::chrono::steady_clock::now();
        const mpq::MatrixDecomposition grid =
            mpq::decompose(picked.data(), want, layer.cols, gridOptions);
        gridSeconds += seconds(t0);
        sampledRows += want;
        sampledWeights += want * layer.cols;
        for (std::int64_t s = 0; s < want; ++s) {
            const std::int64_t c = rows[s];
            for (int n = 0; n <= points; ++n) {
                gridResidual[n] += grid.residualNorm(s, n) / grid.residualNorm(s, 0);
                exactSampleResidual[n] += exact[k].residualNorm(c, n) / exact[k].residualNorm(c, 0);
            }
            // along the exact path: both steps from the very same residual
            r.assign(weights[k].begin() + c * layer.cols,
                     weights[k].begin() + (c + 1) * layer.cols);
            qe.resize(layer.cols);
            qg.resize(layer.cols);
            for (int i = 0; i < points; ++i) {
                const mpq::StepResult e = mpq::exactStep(r.data(), layer.cols, L, qe.data());
                const mpq::StepResult g = mpq::gridStep(r.data(), layer.cols, L, qg.data());
                ++stepsCompared;
                if (e.error2 > g.error2 * (1 + 1e-12))
                    ++exactWorse;
                if (g.error2 > 0)
                    worstRatio = std::max(worstRatio, e.error2 / g.error2);
                const double a = static_cast<float>(exact[k].scale(c, i));
                for (std::int64_t j = 0; j < layer.cols; ++j)
                    r[j] -= a * exact[k].code(c, i)[j];
            }
        }
    }
    const double gridExtrapolated = gridSeconds * double(total) / double(sampledWeights);
    const double weightPoints = double(total) * points;

    std::printf("%-6s %10s %14s %s\n", "step", "seconds", "M w-points/s", "");
    std::printf("%-6s %10.2f %14.2f %s\n", "exact", exactSeconds, weightPoints / exactSeconds / 1e6,
                "all weights");
    std::printf(
        "%-6s %10.1f %14.3f extrapolated from %lld rows (%.1f%% of the weights, %.1f s measured)\n",
        "grid", gridExtrapolated, weightPoints / gridExtrapolated / 1e6,
        static_cast<long long>(sampledRows), 100.0 * sampledWeights / total, gridSeconds);
    std::printf("speed-up exact over grid: %.1fx\n\n", gridExtrapolated / exactSeconds);

    std::printf("mean relative residual ||r_n|| / ||w_c|| after n points\n");
    std::printf("%3s %16s %16s %16s\n", "n", "exact (all rows)", "exact (sample)", "grid (sample)");
    for (int n = 1; n <= points; ++n)
        std::printf("%3d %16.4e %16.4e %16.4e\n", n, exactResidual[n] / rowsTotal,
                    exactSampleResidual[n] / sampledRows, gridResidual[n] / sampledRows);

    std::printf(
        "\nsame-residual check on the sampled rows: %lld steps compared, exact worse than grid "
        "in %lld; largest exact/grid squared-error ratio %.6f\n",
        static_cast<long long>(stepsCompared), static_cast<long long>(exactWorse), worstRatio);
    std::printf("\ntargets: exact under 15 s on one thread: %s; exact >= 10x faster than grid: %s; "
                "exact never worse than grid from the same residual: %s\n",
                exactSeconds < 15 ? "met" : "NOT met",
                gridExtrapolated >= 10 * exactSeconds ? "met" : "NOT met",
                exactWorse == 0 ? "met" : "NOT met");
    return 0;
}
