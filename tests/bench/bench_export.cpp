// Export benchmark on the demo models (resources/samples): the size of every export format, and
// the forward time of the expanded ("common operands") TorchScript against the original float
// model and the fake-quant export, beside the allocation's predicted MAC overhead (the paper's
// claim: almost no compute overhead). Forwards are interleaved in one run, so the ratios hold on
// a shared, noisy machine. Prints figures; asserts nothing.
// Usage: bench_export SAMPLES_DIR [--bits 4] [--budget 0.05] [--calib 16] [--repeats 10]
#include "mpq/analysis.h"
#include "mpq/error.h"
#include "mpq/export.h"
#include "mpq/images.h"
#include "mpq/parallel.h"
#include "mpq/report.h"
#include "mpq/runner.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Demo
{
    const char *name;
    std::string model, profile, images;
};

std::uint64_t folderBytes(const fs::path &p)
{
    if (fs::is_regular_file(p))
        return fs::file_size(p);
    std::uint64_t bytes = 0;
    for (const auto &e : fs::recursive_directory_iterator(p))
        if (e.is_regular_file())
            bytes += e.file_size();
    return bytes;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_export SAMPLES_DIR [--bits B] [--budget F] [--calib N] "
                             "[--repeats R]\n");
        return 2;
    }
    const std::string samples = argv[1];
    int bits = 4, calib = 16, repeats = 10;
    double budget = 0.05;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--bits"))
            bits = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--budget"))
            budget = std::atof(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--calib"))
            calib = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--repeats"))
            repeats = std::atoi(argv[i + 1]);
    }
    mpq::setThreadCount(1);
    const fs::path out = fs::temp_directory_path() / ("bench_export-" + std::to_string(::getpid()));
    fs::create_directories(out);
    const Demo demos[] = {
        {"centernet", samples + "/centernet/centernet_mbv3.pt",
         samples + "/centernet/centernet_mbv3.profile.json", samples + "/images"},
        {"fashion", samples + "/fashion/fashion_resnet.pt",
         samples + "/fashion/fashion_resnet.profile.json", samples + "/fashion/test"},
    };
    std::printf("bits %d, budget %.1f %% memory, %d calibration images, 1 thread, batch 8, "
                "median of %d interleaved forwards\n\n",
                bits, budget * 100, calib, repeats);
    std::printf("%-10s %10s %10s %10s %10s %9s | %9s %9s %9s | %8s %8s %8s\n", "model", "float KB",
                "fakequant", "expanded", "package", "report", "float ms", "fq ms", "exp ms",
                "exp/fl", "MACs run", "predicted");
    try {
        for (const Demo &demo : demos) {
            const mpq::Model model = mpq::Model::load(demo.model);
            const mpq::ModelProfile profile = mpq::loadProfile(demo.profile);
            std::vector<std::string> images = mpq::findImages(demo.images);
            mpq::AnalysisSettings s;
            s.bits = bits;
            s.calibCount = calib;
            const mpq::Analysis analysis = mpq::analyze(model, profile, images, s);
            mpq::AllocationSettings a;
            a.bits = bits;
            a.rule = mpq::AllocationRule::Budget;
            a.budget = budget;
            const mpq::Allocation alloc = mpq::allocate(analysis.curves, a);
            const std::string stem = (out / demo.name).string();
            mpq::ModelRunner quantized = mpq::quantizedRunner(model, analysis, alloc, {});
            mpq::exportFakeQuant(quantized, stem + "-fq.pt",
                                 mpq::exportManifest(analysis, alloc, a, "bench", "fakequant"),
                                 profile, {});
            const mpq::ExpandedExport ex = mpq::exportExpanded(
                model, analysis, alloc, {}, stem + "-ex.pt",
                mpq::exportManifest(analysis, alloc, a, "bench", "expanded"), profile, {});
            mpq::exportIntegerPackage(model, analysis, alloc, {},
                                      mpq::exportManifest(analysis, alloc, a, "bench", "package"),
                                      stem + "-pkg");
            mpq::writeTextFile(stem + "-report.json", mpq::reportJson(analysis, alloc, a));

            std::vector<mpq::PreparedImage> batch;
            for (std::size_t i = 0; i < images.size() && batch.size() < 8; ++i)
                batch.push_back(mpq::prepareImage(images[i], profile.input));
            mpq::ModelRunner floatModel = mpq::floatRunner(model);
            mpq::ModelRunner fq = mpq::loadRunner(stem + "-fq.pt");
            mpq::ModelRunner expanded = mpq::loadRunner(stem + "-ex.pt");
            std::vector<double> tf, tq, te;
            const auto time = [&](mpq::ModelRunner &r) {
                const auto t0 = std::chrono::steady_clock::now();
                r.run(batch);
                return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                 t0)
                    .count();
            };
            for (mpq::ModelRunner *r : {&floatModel, &fq, &expanded})
                time(*r); // warm-up (the TorchScript profiling executor optimizes on first runs)
            for (int r = 0; r < repeats; ++r) {
                tf.push_back(time(floatModel));
                tq.push_back(time(fq));
                te.push_back(time(expanded));
            }
            std::printf("%-10s %10.0f %10.0f %10.0f %10.0f %9.0f | %9.1f %9.1f %9.1f | %8.2f "
                        "%7.1f%% %7.1f%%\n",
                        demo.name, fs::file_size(demo.model) / 1024.0,
                        folderBytes(stem + "-fq.pt") / 1024.0,
                        folderBytes(stem + "-ex.pt") / 1024.0, folderBytes(stem + "-pkg") / 1024.0,
                        folderBytes(stem + "-report.json") / 1024.0, median(tf), median(tq),
                        median(te), median(te) / median(tf), ex.macOverheadRun * 100,
                        alloc.macOverhead * 100);
        }
    } catch (const mpq::Error &e) {
        std::fprintf(stderr, "bench_export: %s\n", e.what());
        fs::remove_all(out);
        return 1;
    }
    fs::remove_all(out);
    std::printf("\nsizes in KB; package = the whole folder; MACs run: the expanded model's extra "
                "MACs (group padding included) over the quantized layers' MACs\n");
    return 0;
}
