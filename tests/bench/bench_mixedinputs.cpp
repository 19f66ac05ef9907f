// Per-layer mixed precision's measurement (mpq::mixedPrecisionInputs) with output-aware rounding:
// every layer at b and b+1 bits with one point. Before: two layersAtBits calls, each measuring
// the layers' input Grams in its own pass over the calibration images; now: one call with both
// widths, one input pass. Each the best of `--repeat` runs, wall and process CPU seconds, and
// whether the two give the same decompositions. Prints figures; asserts nothing.
// Usage: bench_mixedinputs [--model centernet/centernet_mbv3.pt] [--images images] [--bits 3]
//                          [--count 64] [--repeat 2] [--threads 2]
#include "benchclock.h"

#include "mpq/analysis.h"
#include "mpq/parallel.h"
#include "mpq/pipeline.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using mpqbench::cpuSeconds;
using mpqbench::wallSeconds;

int main(int argc, char **argv)
{
    std::string model = "centernet/centernet_mbv3.pt", images = "images";
    int bits = 3, count = 64, repeat = 2, threads = 2;
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
    }
    const std::string samples = MPQ_SAMPLES_DIR;
    mpq::setThreadCount(threads);
    const mpq::OpenedModel opened = mpq::openModel(samples + "/" + model);
    mpq::AnalysisSettings s;
    s.bits = bits;
    s.maxPoints = 1;
    s.calibCount = count;
    s.batchSize = 4;
    s.rounding = mpq::Rounding::OutputAware;
    const mpq::Analysis a =
        mpq::analyze(*opened.model, opened.profile, mpq::imageFiles(samples + "/" + images), s);
    std::vector<std::size_t> all(opened.model->layers().size());
    for (std::size_t i = 0; i < all.size(); ++i)
        all[i] = i;
    std::printf("%s, %zu layers, %zu calibration images, %d and %d bits, output-aware rounding, "
                "%d threads, best of %d\n",
                model.c_str(), all.size(), a.calibrationFiles.size(), bits, bits + 1, threads,
                repeat);
    double bestWall[2] = {1e30, 1e30}, bestCpu[2] = {1e30, 1e30};
    std::vector<mpq::LayerAtBits> separate, shared;
    for (int r = 0; r < repeat; ++r) {
        for (int way = 0; way < 2; ++way) {
            const double w0 = wallSeconds(), c0 = cpuSeconds();
            std::vector<mpq::LayerAtBits> out;
            if (way == 0) {
                for (int b : {bits, bits + 1}) {
                    std::vector<mpq::LayerAtBits> one =
                        mpq::layersAtBits(*opened.model, opened.profile, a, all, b);
                    for (mpq::LayerAtBits &l : one)
                        out.push_back(std::move(l));
                }
            } else {
                out = mpq::layersAtBits(*opened.model, opened.profile, a, all,
                                        std::vector<int>{bits, bits + 1});
            }
            bestWall[way] = std::min(bestWall[way], wallSeconds() - w0);
            bestCpu[way] = std::min(bestCpu[way], cpuSeconds() - c0);
            (way == 0 ? separate : shared) = std::move(out);
        }
    }
    bool same = separate.size() == shared.size();
    for (std::size_t k = 0; same && k < separate.size(); ++k)
        same = separate[k].decomposition.codes() == shared[k].decomposition.codes() &&
               separate[k].decomposition.scales() == shared[k].decomposition.scales();
    std::printf("two calls (an input pass each): %.2f s wall, %.2f s CPU\n", bestWall[0],
                bestCpu[0]);
    std::printf("one call (one input pass):      %.2f s wall, %.2f s CPU\n", bestWall[1],
                bestCpu[1]);
    std::printf("ratio one/two: %.2f wall, %.2f CPU; same decompositions: %s\n",
                bestWall[1] / bestWall[0], bestCpu[1] / bestCpu[0], same ? "yes" : "NO");
    return 0;
}
