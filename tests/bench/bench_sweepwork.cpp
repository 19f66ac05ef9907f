// A sweep's progress against time (issue 14's "time left", mpq/work.h): one analysis (or a
// saved one), the float predictions, then mpq::sweep over the budgets and methods, every
// progress report traced. Prints each stage's share of the time beside its share of the
// estimated work, the largest |elapsed share - fraction| and the largest error of the time
// left (elapsed x (1 - f) / f) from 10 % done. Prints figures, asserts nothing.
// Usage: bench_sweepwork MODEL IMAGE_DIR [--count 64] [--eval-count 16] [--bits 4]
// [--points 4] [--batch 8] [--rounding nearest|output-aware] [--methods multipoint,mixed]
// [--budgets 0,0.05] [--threads 1] [--analysis FILE] (read when it exists, else written)
#include "benchclock.h"

#include "mpq/analysis.h"
#include "mpq/parallel.h"
#include "mpq/pipeline.h"
#include "mpq/vocabulary.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

using mpqbench::wallSeconds;

namespace {

std::vector<std::string> split(const std::string &list)
{
    std::vector<std::string> out;
    for (std::size_t b = 0; b <= list.size();) {
        const std::size_t e = std::min(list.find(',', b), list.size());
        out.push_back(list.substr(b, e - b));
        b = e + 1;
    }
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(stderr,
                     "usage: %s MODEL IMAGE_DIR [--count 64] [--eval-count 16] [--bits 4] "
                     "[--points 4] [--batch 8] [--rounding nearest|output-aware] [--methods "
                     "multipoint,mixed] [--budgets 0,0.05] [--threads 1] [--analysis FILE]\n",
                     argv[0]);
        return 1;
    }
    const std::string model = argv[1], dir = argv[2];
    mpq::AnalysisSettings settings;
    settings.bits = 4;
    settings.maxPoints = 4;
    settings.calibCount = 64;
    settings.batchSize = 8;
    int evalCount = 16, threads = 1;
    std::string methodList = "multipoint,mixed", budgetList = "0,0.05", saved;
    for (int i = 3; i + 1 < argc; i += 2) {
        const std::string key = argv[i], value = argv[i + 1];
        if (key == "--count")
            settings.calibCount = std::atoi(value.c_str());
        else if (key == "--eval-count")
            evalCount = std::atoi(value.c_str());
        else if (key == "--bits")
            settings.bits = std::atoi(value.c_str());
        else if (key == "--points")
            settings.maxPoints = std::atoi(value.c_str());
        else if (key == "--batch")
            settings.batchSize = std::atoi(value.c_str());
        else if (key == "--rounding")
            settings.rounding = mpq::fromWord<mpq::Rounding>(value);
        else if (key == "--methods")
            methodList = value;
        else if (key == "--budgets")
            budgetList = value;
        else if (key == "--threads")
            threads = std::max(1, std::atoi(value.c_str()));
        else if (key == "--analysis")
            saved = value;
    }
    std::vector<mpq::Method> methods;
    for (const std::string &w : split(methodList))
        methods.push_back(mpq::fromWord<mpq::Method>(w));
    std::vector<double> budgets;
    for (const std::string &w : split(budgetList))
        budgets.push_back(std::atof(w.c_str()));
    mpq::setThreadCount(threads);

    const mpq::OpenedModel opened = mpq::openModel(model);
    std::shared_ptr<const mpq::Analysis> analysis;
    if (!saved.empty() && std::filesystem::exists(saved)) {
        analysis = mpq::loadAnalysisFor(saved, opened, settings);
    } else {
        const double t0 = wallSeconds();
        analysis = mpq::analyzeModel(opened, dir, settings, nullptr).analysis;
        std::printf("analysis %.1f s\n", wallSeconds() - t0);
        if (!saved.empty())
            mpq::saveAnalysis(*analysis, nullptr, saved);
    }
    const mpq::ImageSet set = mpq::evaluationImages(dir, evalCount);
    const auto reference = mpq::floatPredictions(opened, set, settings.batchSize);
    mpq::AllocationSettings base;
    base.bits = settings.bits;
    std::printf("%s: %zu layers, %zu calibration images, %zu evaluation images; %d bits, %d "
                "points, %s rounding; methods %s; budgets %s; %d thread(s)\n",
                model.c_str(), analysis->layers.size(), analysis->calibrationFiles.size(),
                set.files.size(), settings.bits, settings.maxPoints, mpq::toWord(settings.rounding),
                methodList.c_str(), budgetList.c_str(), threads);

    std::vector<std::pair<double, double>> trace; // seconds, fraction
    std::vector<std::pair<double, std::string>> stages;
    double start = 0.0;
    mpq::JobControl control;
    control.progress = [&](double f) { trace.emplace_back(wallSeconds() - start, f); };
    control.stage = [&](const std::string &name) {
        stages.emplace_back(wallSeconds() - start, name);
    };
    start = wallSeconds();
    mpq::sweep(opened, analysis, base, budgets, methods, *reference, settings.batchSize, control);
    const double total = wallSeconds() - start;

    // each stage: its share of the time and of the fraction (the first report at or after its
    // start to the next stage's)
    const auto fractionAt = [&](double from) {
        for (const auto &[t, f] : trace)
            if (t >= from)
                return f;
        return 1.0;
    };
    std::printf("\n%-34s %9s %9s %9s\n", "stage", "seconds", "time", "work");
    for (std::size_t k = 0; k < stages.size(); ++k) {
        const double from = stages[k].first;
        const double to = k + 1 < stages.size() ? stages[k + 1].first : total;
        const double f1 = k + 1 < stages.size() ? fractionAt(to) : 1.0;
        std::printf("%-34s %9.2f %8.1f%% %8.1f%%\n", stages[k].second.c_str(), to - from,
                    100 * (to - from) / total, 100 * (f1 - fractionAt(from)));
    }
    const mpqbench::ProgressError error = mpqbench::progressError(trace, total);
    std::printf("\nsweep %.2f s; progress against time: max |elapsed/total - fraction| %.3f; "
                "time left off by at most %.0f %% (from 10 %% done)\n",
                total, error.fraction, 100 * error.timeLeft);
    return 0;
}
