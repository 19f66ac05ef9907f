// Task-aware allocation benchmark (issue 16, docs/multipoint.md section 8): the analysis of a
// demo model with the output sensitivity against the same analysis without it (target: at most
// 1.5 times), each the best of `--repeat` runs, then the stage alone (mpq::outputSensitivity on
// the analysis's calibration images: its own forward and backward, as the analysis measured it
// before it used the calibration's forward). Wall and process CPU seconds: on a loaded machine the
// CPU seconds stretch less. Prints figures; asserts nothing.
// Usage: bench_taskaware [--model centernet/centernet_mbv3.pt] [--images images] [--bits 4]
//                        [--count 64] [--repeat 2] [--threads 2] [--stage-only N]
//                        [--agreement on] [--min-images N]
// --stage-only N: only the stage, N times (for a profiler). --agreement on: the stage on the
// part of the images it measures (mpq::sensitivityImageCount) against all of them: rank
// correlations of w_c and m_c, beside those of two full runs with different probes.
// --min-images N: the stage's SensitivityOptions::minImages (with --agreement or --stage-only).
#include "benchclock.h"

#include "mpq/analysis.h"
#include "mpq/parallel.h"
#include "mpq/pipeline.h"
#include "mpq/sensitivity.h"

#include <cmath>
#include <ctime>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

using mpqbench::cpuSeconds;
using mpqbench::wallSeconds;

// Spearman's rank correlation (ties at their mean rank).
double spearman(const std::vector<double> &a, const std::vector<double> &b)
{
    const auto ranks = [](const std::vector<double> &v) {
        std::vector<std::size_t> order(v.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::sort(order.begin(), order.end(),
                  [&](std::size_t x, std::size_t y) { return v[x] < v[y]; });
        std::vector<double> r(v.size());
        for (std::size_t i = 0; i < order.size();) {
            std::size_t j = i;
            while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]])
                ++j;
            for (std::size_t k = i; k <= j; ++k)
                r[order[k]] = 0.5 * double(i + j);
            i = j + 1;
        }
        return r;
    };
    const std::vector<double> ra = ranks(a), rb = ranks(b);
    const double n = double(a.size()), mean = 0.5 * (n - 1);
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < ra.size(); ++i) {
        sab += (ra[i] - mean) * (rb[i] - mean);
        saa += (ra[i] - mean) * (ra[i] - mean);
        sbb += (rb[i] - mean) * (rb[i] - mean);
    }
    return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

// Every channel's value, all layers in a row; and each layer's mean.
std::vector<double> pooled(const std::vector<std::vector<double>> &v)
{
    std::vector<double> out;
    for (const auto &layer : v)
        out.insert(out.end(), layer.begin(), layer.end());
    return out;
}

std::vector<double> layerMeans(const std::vector<std::vector<double>> &v)
{
    std::vector<double> out;
    for (const auto &layer : v) {
        double sum = 0;
        for (double w : layer)
            sum += w;
        out.push_back(layer.empty() ? 0.0 : sum / double(layer.size()));
    }
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    std::string model = "centernet/centernet_mbv3.pt", images = "images";
    int bits = 4, count = 64, repeat = 2, threads = 2, stageOnly = 0, minImages = 0;
    bool agreement = false;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i], value = argv[i + 1];
        if (key == "--model")
            model = value;
        else if (key == "--images")
            images = value;
        else if (key == "--bits")
            bits = std::atoi(value.c_str());
        else if (key == "--count")
            count = std::atoi(value.c_str());
        else if (key == "--repeat")
            repeat = std::max(1, std::atoi(value.c_str()));
        else if (key == "--threads")
            threads = std::max(1, std::atoi(value.c_str()));
        else if (key == "--agreement")
            agreement = value == "1" || value == "on";
        else if (key == "--min-images")
            minImages = std::max(1, std::atoi(value.c_str()));
        else if (key == "--stage-only")
            stageOnly = std::max(1, std::atoi(value.c_str()));
    }
    const std::string samples = MPQ_SAMPLES_DIR;
    mpq::setThreadCount(threads);
    const mpq::OpenedModel opened = mpq::openModel(samples + "/" + model);
    const std::vector<std::string> files = mpq::imageFiles(samples + "/" + images);
    mpq::AnalysisSettings s;
    s.bits = bits;
    s.maxPoints = 4;
    s.calibCount = count;
    s.batchSize = 4;
    mpq::SensitivityOptions so;
    so.batchSize = s.batchSize;
    so.seed = s.seed;
    if (minImages > 0)
        so.minImages = minImages;
    const auto stage = [&](const std::vector<std::string> &calibration, double &wall, double &cpu,
                           const mpq::SensitivityOptions &options) {
        const double w0 = wallSeconds(), c0 = cpuSeconds();
        mpq::OutputSensitivity w =
            mpq::outputSensitivity(*opened.model, opened.profile, calibration, options);
        wall = wallSeconds() - w0;
        cpu = cpuSeconds() - c0;
        return w;
    };
    if (agreement) {
        // the measured images (sensitivityImageCount) against all of them, beside a second
        // full run with other probes (the estimate's own noise)
        s.sensitivity = false;
        const mpq::Analysis a = mpq::analyze(*opened.model, opened.profile, files, s);
        mpq::SensitivityOptions full = so, full2 = so, part2 = so;
        full.imageFraction = 1.0;
        full2.imageFraction = 1.0;
        full2.seed = so.seed + 1;
        part2.seed = so.seed + 1;
        double wall[4], cpu[4];
        const mpq::OutputSensitivity f = stage(a.calibrationFiles, wall[0], cpu[0], full);
        const mpq::OutputSensitivity p = stage(a.calibrationFiles, wall[1], cpu[1], so);
        const mpq::OutputSensitivity f2 = stage(a.calibrationFiles, wall[2], cpu[2], full2);
        const mpq::OutputSensitivity p2 = stage(a.calibrationFiles, wall[3], cpu[3], part2);
        std::printf("%s: the stage on all %zu images %.2f s (%.2f s CPU), on %zu of them %.2f s "
                    "(%.2f s CPU)\n",
                    model.c_str(), a.calibrationFiles.size(), wall[0], cpu[0],
                    mpq::sensitivityImageCount(a.calibrationFiles.size(), so), wall[1], cpu[1]);
        const auto row = [&](const char *what, const mpq::OutputSensitivity &x,
                             const mpq::OutputSensitivity &y) {
            std::printf("  %-34s w_c %.3f, m_c %.3f over %zu channels; layer means of w_c "
                        "%.3f, of m_c %.3f over %zu layers\n",
                        what, spearman(pooled(x.diagonal), pooled(y.diagonal)),
                        spearman(pooled(x.mean), pooled(y.mean)), pooled(x.diagonal).size(),
                        spearman(layerMeans(x.diagonal), layerMeans(y.diagonal)),
                        spearman(layerMeans(x.mean), layerMeans(y.mean)), x.diagonal.size());
        };
        // the analysis measures the same images in its calibration's forward, in its own
        // batches (so with other probe draws)
        s.sensitivity = true;
        const mpq::Analysis on = mpq::analyze(*opened.model, opened.profile, files, s);
        mpq::OutputSensitivity inAnalysis;
        for (const mpq::LayerCurves &c : on.curves) {
            inAnalysis.diagonal.push_back(c.sensitivity);
            inAnalysis.mean.push_back(c.meanSensitivity);
        }
        std::printf("Spearman rank correlation:\n");
        row("all images, two probe seeds:", f, f2);
        row("analysis against the stage, part:", inAnalysis, p);
        row("part against all, same seed:", p, f);
        row("part against all, other seed:", p, f2);
        row("part, seed 2, against all, seed 1:", p2, f);
        return 0;
    }
    if (stageOnly > 0) {
        s.sensitivity = false;
        const mpq::Analysis a = mpq::analyze(*opened.model, opened.profile, files, s);
        for (int r = 0; r < stageOnly; ++r) {
            double wall = 0, cpu = 0;
            stage(a.calibrationFiles, wall, cpu, so);
            std::printf("stage alone: %.2f s (%.2f s CPU)\n", wall, cpu);
        }
        return 0;
    }
    double best[2] = {1e300, 1e300}, bestCpu[2] = {1e300, 1e300}, stageWall = 1e300,
           stageCpu = 1e300;
    for (int r = 0; r < repeat; ++r) {
        std::vector<std::string> calibration;
        for (int on = 0; on < 2; ++on) { // interleaved, so a load change hits both alike
            s.sensitivity = on == 1;
            const double w0 = wallSeconds(), c0 = cpuSeconds();
            const mpq::Analysis a = mpq::analyze(*opened.model, opened.profile, files, s);
            const double seconds = wallSeconds() - w0, cpu = cpuSeconds() - c0;
            best[on] = std::min(best[on], seconds);
            bestCpu[on] = std::min(bestCpu[on], cpu);
            calibration = a.calibrationFiles;
            std::printf("run %d, sensitivity %-3s: %.2f s, %.2f s CPU (%zu layers, %zu images)\n",
                        r + 1, on ? "on" : "off", seconds, cpu, a.layers.size(),
                        a.calibrationFiles.size());
        }
        double wall = 0, cpu = 0;
        stage(calibration, wall, cpu, so);
        stageWall = std::min(stageWall, wall);
        stageCpu = std::min(stageCpu, cpu);
        std::printf("run %d, the stage alone: %.2f s, %.2f s CPU\n", r + 1, wall, cpu);
    }
    std::printf("%s, %d bits, %d threads: analysis %.2f s without sensitivity, %.2f s with it: "
                "%.2fx (target <= 1.5x); CPU %.2f s against %.2f s: %.2fx\n",
                model.c_str(), bits, threads, best[0], best[1], best[1] / best[0], bestCpu[0],
                bestCpu[1], bestCpu[1] / bestCpu[0]);
    std::printf("the stage alone: %.2f s (%.2f s CPU): a stage after the calibration would give "
                "1 + stage / analysis without = %.2fx (CPU %.2fx)\n",
                stageWall, stageCpu, 1.0 + stageWall / best[0], 1.0 + stageCpu / bestCpu[0]);
    return 0;
}
