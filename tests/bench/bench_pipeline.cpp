// Pipeline benchmark: analysis of a ResNet-18 on 64 calibration images at 224x224, against
// plain float forwards over the same images, on one and on two threads (median of --runs runs,
// with the load average, since the machine is shared); per stage the wall time and the CPU time
// of the analysing thread and of its helpers; the analysis' progress against time;
// re-allocation time; peak memory. Prints figures, asserts nothing. Usage: bench_pipeline
// MODEL.pt IMAGE_DIR [--count 64] [--batch 8] [--bits 4] [--points 8] [--runs 3] [--sensitivity
// on|off] (the output-sensitivity stage; default: the analysis' default) [--rounding
// nearest|output-aware] (docs/multipoint.md section 10; default nearest) [--trace FILE] (the
// first analysis' progress reports: seconds, fraction, fraction of the time) [--progress-only]
// (that analysis alone: its stages and its progress against time). Writes
// IMAGE_DIR's images if it has fewer than --count (random smooth colour fields). Internal modes
// --rss-forward / --rss-analyze measure peak memory in a fresh process.
#include "benchclock.h"
#include "calib/analysisrun.h" // private: the analysis' probe
#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/images.h"
#include "mpq/model.h"
#include "mpq/parallel.h"
#include "mpq/profile.h"
#include "mpq/runner.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>

namespace {

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

double loadAverage()
{
    double load[1] = {-1.0};
    getloadavg(load, 1);
    return load[0];
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// CPU seconds of the whole process and of the calling thread
double cpuSeconds(int who)
{
    rusage usage{};
    getrusage(who, &usage);
    return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
           1e-6 * (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

// Wall and CPU time per stage of one analysis (the calling thread runs it; the other threads
// are the helpers). With two threads, main = serial + half the parallel part and helpers = the
// other half, so (main + helpers) / main estimates the speed-up over one thread without
// depending on the load (spinning workers count as helpers, so it is an upper bound).
struct StageClock
{
    struct Mark
    {
        std::string stage;
        double wall, process, main;
    };
    std::vector<Mark> marks;
    void mark(const std::string &stage)
    {
        marks.push_back({stage, now(), cpuSeconds(RUSAGE_SELF), cpuSeconds(RUSAGE_THREAD)});
    }
    /// Wall seconds of the first stage called `stage` (0: none).
    double seconds(const std::string &stage) const
    {
        for (std::size_t i = 0; i + 1 < marks.size(); ++i)
            if (marks[i].stage == stage)
                return marks[i + 1].wall - marks[i].wall;
        return 0.0;
    }
    void print(int threads) const
    {
        std::printf("%d thread%s, one run: %-22s %8s %8s %8s %9s\n", threads,
                    threads > 1 ? "s" : " ", "stage", "wall s", "main s", "helpers", "estimate");
        double wall = 0, main = 0, helpers = 0;
        for (std::size_t i = 0; i + 1 < marks.size(); ++i) {
            const double w = marks[i + 1].wall - marks[i].wall;
            const double m = marks[i + 1].main - marks[i].main;
            const double h = marks[i + 1].process - marks[i].process - m;
            wall += w;
            main += m;
            helpers += h;
            std::printf("%-33s %-22s %8.2f %8.2f %8.2f %8.2fx\n", "", marks[i].stage.c_str(), w, m,
                        h, m > 0 ? (m + h) / m : 0.0);
        }
        std::printf("%-33s %-22s %8.2f %8.2f %8.2f %8.2fx\n\n", "", "whole analysis", wall, main,
                    helpers, main > 0 ? (main + helpers) / main : 0.0);
    }
};

double peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0;
}

void makeImages(const std::string &dir, int count)
{
    std::filesystem::create_directories(dir);
    std::mt19937 rng(42);
    for (int i = 0; i < count; ++i) {
        // a few random blobs, blurred: smooth images with edges, like photographs at low detail
        cv::Mat img(256, 320, CV_8UC3, cv::Scalar(rng() % 256, rng() % 256, rng() % 256));
        for (int b = 0; b < 12; ++b)
            cv::circle(img, {int(rng() % 320), int(rng() % 256)}, int(10 + rng() % 60),
                       cv::Scalar(rng() % 256, rng() % 256, rng() % 256), cv::FILLED);
        cv::GaussianBlur(img, img, {9, 9}, 3);
        cv::imwrite(dir + "/img" + std::to_string(1000 + i) + ".png", img);
    }
}

std::vector<mpq::PreparedImage> prepare(const std::vector<std::string> &files,
                                        const mpq::InputSpec &spec)
{
    std::vector<mpq::PreparedImage> out;
    for (const std::string &f : files)
        out.push_back(mpq::prepareImage(f, spec));
    return out;
}

double floatForwards(const mpq::Model &model, const std::vector<mpq::PreparedImage> &images,
                     int batch)
{
    mpq::ModelRunner runner = mpq::floatRunner(model);
    const double t0 = now();
    for (std::size_t b = 0; b < images.size(); b += batch)
        runner.run({images.begin() + b, images.begin() + std::min(images.size(), b + batch)});
    return now() - t0;
}

double childRss(const char *self, const std::string &mode, const std::string &args)
{
    const std::string cmd = std::string(self) + " " + mode + " " + args;
    std::FILE *p = popen(cmd.c_str(), "r");
    double rss = -1;
    if (p && std::fscanf(p, "%lf", &rss) != 1)
        rss = -1;
    if (p)
        pclose(p);
    return rss;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(
            stderr,
            "usage: %s MODEL.pt IMAGE_DIR [--count 64] [--batch 8] [--bits 4] [--points 8]\n",
            argv[0]);
        return 1;
    }
    std::string mode, model, dir;
    int count = 64, batch = 8, bits = 4, points = 8, runs = 3;
    int sensitivity = -1;      // --sensitivity on|off; default: the analysis' default
    bool outputAware = false;  // --rounding output-aware
    std::string traceFile;     // --trace FILE: the progress trace, "seconds fraction" per line
    bool progressOnly = false; // --progress-only: one one-thread analysis and its progress
    std::vector<std::string> positional;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--rss-forward" || a == "--rss-analyze")
            mode = a;
        else if (i + 1 < argc && a == "--count")
            count = std::atoi(argv[++i]);
        else if (i + 1 < argc && a == "--batch")
            batch = std::atoi(argv[++i]);
        else if (i + 1 < argc && a == "--bits")
            bits = std::atoi(argv[++i]);
        else if (i + 1 < argc && a == "--points")
            points = std::atoi(argv[++i]);
        else if (i + 1 < argc && a == "--runs")
            runs = std::max(1, std::atoi(argv[++i]));
        else if (i + 1 < argc && a == "--sensitivity")
            sensitivity = std::string(argv[++i]) == "on" ? 1 : 0;
        else if (a == "--progress-only")
            progressOnly = true;
        else if (i + 1 < argc && a == "--trace")
            traceFile = argv[++i];
        else if (i + 1 < argc && a == "--rounding")
            outputAware = std::string(argv[++i]) == "output-aware";
        else
            positional.push_back(a);
    }
    model = positional.at(0);
    dir = positional.at(1);
    mpq::setThreadCount(1);
    const mpq::Model m = mpq::Model::load(model);
    const mpq::ModelProfile profile = mpq::loadProfile(mpq::defaultProfilePath(model));
    if (!std::filesystem::is_directory(dir) ||
        mpq::findImages(dir).size() < static_cast<std::size_t>(count))
        makeImages(dir, count);
    const std::vector<std::string> files = mpq::chooseImages(mpq::findImages(dir), count);
    mpq::AnalysisSettings settings;
    settings.bits = bits;
    settings.maxPoints = points;
    settings.calibCount = count;
    settings.batchSize = batch;
    if (sensitivity >= 0)
        settings.sensitivity = sensitivity == 1;
    if (outputAware)
        settings.rounding = mpq::Rounding::OutputAware;

    if (mode == "--rss-forward") {
        const std::vector<mpq::PreparedImage> images =
            prepare({files.begin(), files.begin() + std::min<std::size_t>(batch, files.size())},
                    profile.input);
        mpq::floatRunner(m).run(images);
        std::printf("%.1f\n", peakRssMb());
        return 0;
    }
    if (mode == "--rss-analyze") {
        mpq::analyze(m, profile, files, settings);
        std::printf("%.1f\n", peakRssMb());
        return 0;
    }

    std::printf("%s: %zu quantizable layers; %d calibration images at %dx%d, batch %d; %d bits, %d "
                "points; output sensitivity %s; %s rounding; median of %d runs; load average "
                "%.2f\n\n",
                model.c_str(), m.layers().size(), count, profile.input.width, profile.input.height,
                batch, bits, points, settings.sensitivity ? "on" : "off",
                outputAware ? "output-aware" : "nearest", runs, loadAverage());
    const std::vector<mpq::PreparedImage> images = prepare(files, profile.input);
    mpq::Analysis analysis;
    // progress against time of the first one-thread analysis (issue 14)
    std::vector<std::pair<double, double>> trace;
    std::vector<std::pair<double, std::string>> stageStarts;
    double traceStart = 0, calibrationStart = 0, total = 0;
    // the same reports against the analysing thread's CPU time (one thread: all the work), which
    // the load of other processes does not stretch
    std::vector<std::pair<double, double>> cpuTrace;
    double cpuStart = 0, cpuTotal = 0;
    double forward[2] = {0, 0}, analysisSeconds[2] = {0, 0};
    StageClock stages[2];
    for (int threads = 1; threads <= (progressOnly ? 1 : 2); ++threads) {
        mpq::setThreadCount(threads);
        std::vector<double> f, a;
        for (int r = 0; r < runs; ++r) {
            f.push_back(floatForwards(m, images, batch));
            mpq::JobControl control;
            StageClock &clock = stages[threads - 1];
            if (r == 0)
                control.stage = [&](const std::string &name) { clock.mark(name); };
            if (threads == 1 && r == 0) {
                control.progress = [&](double x) {
                    trace.emplace_back(now() - traceStart, x);
                    cpuTrace.emplace_back(cpuSeconds(RUSAGE_THREAD) - cpuStart, x);
                };
                control.stage = [&](const std::string &name) {
                    clock.mark(name);
                    stageStarts.emplace_back(now() - traceStart, name);
                    if (name == "calibrating")
                        calibrationStart = now() - traceStart;
                };
            }
            const double t0 = now();
            traceStart = t0;
            cpuStart = cpuSeconds(RUSAGE_THREAD);
            if (r == 0)
                clock.mark("probe");
            analysis = mpq::analyze(m, profile, files, settings, control);
            a.push_back(now() - t0);
            if (r == 0)
                clock.mark("end");
            if (threads == 1 && r == 0) {
                total = a.back();
                cpuTotal = cpuSeconds(RUSAGE_THREAD) - cpuStart;
            }
        }
        forward[threads - 1] = median(f);
        analysisSeconds[threads - 1] = median(a);
    }
    mpq::setThreadCount(1);
    if (progressOnly) {
        std::printf("analysis on one thread %.2f s\n\n", total);
        stages[0].print(1);
        // the calibration's seconds against the analysis' own probe (a third forward of one
        // image through the instrumented model), the work plan's estimate from it
        // (core/src/calib/workplan.cpp: 1 + evaluationCostInForwards x the stacked evaluations
        // per image) and the time of preparing one image (reading, decoding, resizing)
        const int evaluations =
            (settings.firstPoint == mpq::FirstPointRule::OutputBest ? 2 : 1) * settings.maxPoints;
        double one = 0.0, prepare = 0.0, estimate = 0.0;
        {
            c10::InferenceMode inference;
            std::vector<std::size_t> all(m.layers().size());
            for (std::size_t i = 0; i < all.size(); ++i)
                all[i] = i;
            torch::jit::Module instance = mpq::instrumentedInstance(
                m.impl(), std::vector<bool>(all.size(), true), /*recordOutputs=*/true);
            const mpq::calib::Probe probe =
                mpq::calib::probe(m.impl(), profile, instance, files, all);
            one = probe.seconds;
            estimate = mpq::calib::planWork(m.impl(), all, settings, probe, files.size())
                           .calibrationSeconds;
            for (int k = 0; k < 3; ++k) {
                const double t0 = now();
                mpq::prepareImage(files.front(), profile.input);
                prepare = now() - t0;
            }
        }
        const double calibration = stages[0].seconds("calibrating");
        const double perImage = calibration / double(images.size());
        std::printf("calibration %.2f s: per image %.2f probe forwards (%.3f s), of which "
                    "preparing the image %.2f; with %d stacked evaluations %.2f forwards each; "
                    "the work plan's estimate from this probe %.2f s (%+.0f %%)\n\n",
                    calibration, perImage / one, one, prepare / one, evaluations,
                    (perImage - prepare - one) / one / evaluations, estimate,
                    100 * (estimate / calibration - 1));
    } else {
        std::printf("%-36s %10s %10s %9s\n", "", "1 thread", "2 threads", "speed-up");
        std::printf("%-36s %8.2f s %8.2f s %8.2fx\n", "float forward over the images", forward[0],
                    forward[1], forward[0] / forward[1]);
        std::printf("%-36s %8.2f s %8.2f s %8.2fx   (target >= 1.6x)\n",
                    "analysis (decompose + calibrate)", analysisSeconds[0], analysisSeconds[1],
                    analysisSeconds[0] / analysisSeconds[1]);
        std::printf("%-36s %8.2f   %8.2f     (target <= 12 at N_max = 8)\n",
                    "ratio analysis / float forwards", analysisSeconds[0] / forward[0],
                    analysisSeconds[1] / forward[1]);
        std::printf("load average after the runs %.2f\n\n", loadAverage());
        stages[0].print(1);
        stages[1].print(2);
    }
    if (!traceFile.empty())
        if (FILE *out = std::fopen(traceFile.c_str(), "w")) {
            for (const auto &[t, name] : stageStarts)
                std::fprintf(out, "# %.3f %s\n", t, name.c_str());
            for (const auto &[t, f] : trace)
                std::fprintf(out, "%.3f %.4f %.4f\n", t, f, t / total);
            std::fclose(out);
        }
    double share = 0;
    for (const auto &[t, f] : trace)
        if (t < calibrationStart)
            share = f;
    const mpqbench::ProgressError error = mpqbench::progressError(trace, total);
    std::printf(
        "decomposition %.2f s of %.2f s (%.1f %%); its estimated share of the work %.1f %%\n",
        calibrationStart, total, 100 * calibrationStart / total, 100 * share);
    std::printf("progress against time: max |elapsed/total - fraction| %.3f; time left off by at "
                "most %.0f %% (from 10 %% done)\n",
                error.fraction, 100 * error.timeLeft);
    const mpqbench::ProgressError cpuError = mpqbench::progressError(cpuTrace, cpuTotal);
    std::printf("progress against the analysing thread's CPU time (%.2f s; not stretched by the "
                "load): max deviation %.3f; time left off by at most %.0f %%\n\n",
                cpuTotal, cpuError.fraction, 100 * cpuError.timeLeft);

    if (progressOnly)
        return 0;
    struct Case
    {
        const char *name;
        mpq::AllocationSettings settings;
    };
    std::vector<Case> cases(3);
    cases[0].name = "threshold, epsilon 1e-3";
    cases[1].name = "budget 5 % memory";
    cases[1].settings.rule = mpq::AllocationRule::Budget;
    cases[2].name = "budget 5 % MACs";
    cases[2].settings.rule = mpq::AllocationRule::Budget;
    cases[2].settings.cost = mpq::BudgetCost::Macs;
    std::printf("%-26s %9s %9s %10s %10s %9s\n", "re-allocation", "mean ms", "max ms", "mem extra",
                "MAC extra", "eff bits");
    for (Case &c : cases) {
        c.settings.bits = bits;
        double total = 0, worst = 0;
        mpq::Allocation a;
        for (int k = 0; k < 200; ++k) {
            const double s = now();
            a = mpq::allocate(analysis.curves, c.settings);
            const double ms = (now() - s) * 1e3;
            total += ms;
            worst = std::max(worst, ms);
        }
        std::printf("%-26s %9.3f %9.3f %9.1f%% %9.1f%% %9.2f\n", c.name, total / 200, worst,
                    a.memoryOverhead * 100, a.macOverhead * 100, a.effectiveBits);
    }
    std::string args = "'" + model + "' '" + dir + "' --count " + std::to_string(count) +
                       " --batch " + std::to_string(batch) + " --bits " + std::to_string(bits) +
                       " --points " + std::to_string(points) + " --sensitivity " +
                       (settings.sensitivity ? "on" : "off") + " --rounding " +
                       (outputAware ? "output-aware" : "nearest");
    const double rssForward = childRss(argv[0], "--rss-forward", args);
    const double rssAnalyze = childRss(argv[0], "--rss-analyze", args);
    std::printf("\npeak RSS, float forward of one batch  %8.1f MB\n", rssForward);
    std::printf("peak RSS, whole analysis              %8.1f MB\n", rssAnalyze);
    std::printf("ratio                                 %8.2f   (target < 2)\n",
                rssAnalyze / rssForward);
    return 0;
}
