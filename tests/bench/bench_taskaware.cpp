// Task-aware allocation benchmark (issue 16, docs/multipoint.md section 8): the analysis of a
// demo model with the output-sensitivity stage against the same analysis without it (target: at
// most 1.5 times), each the best of `--repeat` runs. Prints figures; asserts nothing.
// Usage: bench_taskaware [--model centernet/centernet_mbv3.pt] [--images images] [--bits 4]
//                        [--count 64] [--repeat 2] [--threads 2]
#include "mpq/analysis.h"
#include "mpq/parallel.h"
#include "mpq/pipeline.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

int main(int argc, char **argv)
{
    std::string model = "centernet/centernet_mbv3.pt", images = "images";
    int bits = 4, count = 64, repeat = 2, threads = 2;
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
    const std::vector<std::string> files = mpq::imageFiles(samples + "/" + images);
    mpq::AnalysisSettings s;
    s.bits = bits;
    s.maxPoints = 4;
    s.calibCount = count;
    s.batchSize = 4;
    double best[2] = {1e300, 1e300};
    for (int r = 0; r < repeat; ++r)
        for (int on = 0; on < 2; ++on) { // interleaved, so a load change hits both alike
            s.sensitivity = on == 1;
            const auto start = std::chrono::steady_clock::now();
            const mpq::Analysis a = mpq::analyze(*opened.model, opened.profile, files, s);
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            best[on] = std::min(best[on], seconds);
            std::printf("run %d, sensitivity %-3s: %.2f s (%zu layers, %zu images)\n", r + 1,
                        on ? "on" : "off", seconds, a.layers.size(), a.calibrationFiles.size());
        }
    std::printf("%s, %d bits, %d threads: analysis %.2f s without sensitivity, %.2f s with it: "
                "%.2fx (target <= 1.5x)\n",
                model.c_str(), bits, threads, best[0], best[1], best[1] / best[0]);
    return 0;
}
