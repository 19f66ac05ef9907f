// Allocation benchmark: the threshold and budget rules on synthetic error curves shaped like
// ResNet-18's 21 conv/linear layers (4,800 channels, N_max = 8). Re-allocation runs on every
// slider move, so the target is well under 5 ms per call. Prints figures; asserts nothing.
// Usage: bench_allocation [--calls 200] [--epsilon 1e-3] [--budget 0.05] [--seed 1]
#include "mpq/allocation.h"

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

struct Shape
{
    std::string name;
    std::int64_t channels;
    std::int64_t d;
    std::int64_t positions; // output positions per image
};

std::vector<Shape> resnet18()
{
    std::vector<Shape> shapes = {{"conv1", 64, 3 * 49, 112 * 112}};
    const int widths[] = {64, 128, 256, 512};
    const std::int64_t sides[] = {56, 28, 14, 7};
    int in = 64;
    for (int stage = 0; stage < 4; ++stage) {
        const int out = widths[stage];
        const std::int64_t positions = sides[stage] * sides[stage];
        for (int block = 0; block < 2; ++block) {
            const std::string prefix =
                "layer" + std::to_string(stage + 1) + "." + std::to_string(block);
            const int blockIn = block == 0 ? in : out;
            shapes.push_back({prefix + ".conv1", out, blockIn * 9, positions});
            shapes.push_back({prefix + ".conv2", out, out * 9, positions});
            if (block == 0 && blockIn != out)
                shapes.push_back({prefix + ".downsample.0", out, blockIn, positions});
        }
        in = out;
    }
    shapes.push_back({"fc", 1000, 512, 1});
    return shapes;
}

// e_c(n) = s_c * a_c * r_c^(n-1) with per-channel a_c and r_c (about a factor 2L = 14 per point
// at 4 bits, spread widely), and about 1 step in 500 rising instead of falling.
mpq::LayerCurves syntheticCurves(const Shape &shape, int maxPoints, std::mt19937_64 &rng)
{
    std::uniform_real_distribution<double> u(0.0, 1.0);
    mpq::LayerCurves c;
    c.name = shape.name;
    c.bits = 4;
    c.maxPoints = maxPoints;
    c.channels = shape.channels;
    c.d = shape.d;
    c.outputPositions = shape.positions;
    c.signal.resize(c.channels);
    c.error.resize(c.channels * maxPoints);
    for (std::int64_t ch = 0; ch < c.channels; ++ch) {
        c.signal[ch] = shape.positions * 64 * (0.1 + u(rng));
        const double rate = 1.0 / (4 + 20 * u(rng));
        double e = c.signal[ch] * std::pow(10.0, -1.5 - 2 * u(rng));
        for (int n = 1; n <= maxPoints; ++n) {
            c.error[ch * maxPoints + n - 1] = e;
            e *= u(rng) < 0.002 ? 1 + u(rng) : rate * (0.5 + u(rng));
        }
    }
    return c;
}

struct Timing
{
    double mean;
    double max;
    mpq::Allocation last;
};

Timing measure(const std::vector<mpq::LayerCurves> &curves, const mpq::AllocationSettings &settings,
               int calls)
{
    Timing t{0.0, 0.0, {}};
    for (int i = 0; i < calls; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        t.last = mpq::allocate(curves, settings);
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count();
        t.mean += ms / calls;
        t.max = std::max(t.max, ms);
    }
    return t;
}

} // namespace

int main(int argc, char **argv)
{
    int calls = 200, seed = 1;
    double epsilon = 1e-3, budget = 0.05;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--calls"))
            calls = std::max(1, std::atoi(argv[i + 1]));
        else if (!std::strcmp(argv[i], "--epsilon"))
            epsilon = std::atof(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--budget"))
            budget = std::atof(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--seed"))
            seed = std::atoi(argv[i + 1]);
        else {
            std::fprintf(stderr, "unknown option %s\n", argv[i]);
            return 1;
        }
    }
    const int maxPoints = 8;
    std::mt19937_64 rng(seed);
    std::vector<mpq::LayerCurves> curves;
    std::int64_t channels = 0;
    for (const Shape &shape : resnet18()) {
        curves.push_back(syntheticCurves(shape, maxPoints, rng));
        channels += shape.channels;
    }
    std::printf("ResNet-18 shapes: %zu layers, %lld channels, N_max %d, %d calls each\n\n",
                curves.size(), static_cast<long long>(channels), maxPoints, calls);

    mpq::AllocationSettings settings;
    settings.epsilon = epsilon;
    settings.budget = budget;
    struct Case
    {
        const char *label;
        mpq::AllocationRule rule;
        mpq::BudgetCost cost;
    };
    const Case cases[] = {
        {"threshold", mpq::AllocationRule::Threshold, mpq::BudgetCost::Memory},
        {"budget, memory", mpq::AllocationRule::Budget, mpq::BudgetCost::Memory},
        {"budget, MACs", mpq::AllocationRule::Budget, mpq::BudgetCost::Macs},
    };
    std::printf("epsilon %g, budget %.1f%%\n", epsilon, 100 * budget);
    std::printf("%-16s %9s %9s %10s %10s %9s %10s %11s\n", "rule", "mean ms", "max ms", "mem extra",
                "MAC extra", "eff bits", "mean n", "total R");
    double worst = 0;
    for (const Case &c : cases) {
        settings.rule = c.rule;
        settings.cost = c.cost;
        const Timing t = measure(curves, settings, calls);
        worst = std::max(worst, t.max);
        double points = 0;
        for (const auto &layer : t.last.layers)
            points += layer.meanPoints * double(layer.points.size());
        std::printf("%-16s %9.3f %9.3f %9.2f%% %9.2f%% %9.3f %10.3f %11.4e\n", c.label, t.mean,
                    t.max, 100 * t.last.memoryOverhead, 100 * t.last.macOverhead,
                    t.last.effectiveBits, points / double(channels), t.last.totalError);
    }
    std::printf("\ntarget: every call well under 5 ms: %s (slowest %.3f ms)\n",
                worst < 5 ? "met" : "NOT met", worst);
    return 0;
}
