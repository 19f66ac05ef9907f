// Export benchmark on the demo models (resources/samples): the size of every export format, and
// the forward time of the expanded ("common operands") TorchScript against the original float
// model, the fake-quant export and a MAC-matched float model (each quantized layer widened by the
// rows the expanded model runs: what single-precision hardware would run), at a 0 % budget (one
// point everywhere: the expanded model must cost what the float one does) and at the given budget,
// beside the allocation's predicted MAC overhead (docs/expanded-export.md, "Benchmark"). One
// thread; the batch is the smallest power of two whose float forward takes at least 50 ms (or
// --batch). Forwards are interleaved in one run, so the ratios hold on a shared, noisy machine.
// Prints figures; asserts nothing.
// Usage: bench_export SAMPLES_DIR [--bits 4] [--budget 0.05] [--calib 16] [--repeats 10]
//                     [--batch N] [--min-ms 50]
#include "export/macmatched.h"
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
                             "[--repeats R] [--batch N] [--min-ms MS]\n");
        return 2;
    }
    const std::string samples = argv[1];
    int bits = 4, calib = 16, repeats = 10, fixedBatch = 0;
    double budget = 0.05, minMs = 50.0;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--bits"))
            bits = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--budget"))
            budget = std::atof(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--calib"))
            calib = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--repeats"))
            repeats = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--batch"))
            fixedBatch = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--min-ms"))
            minMs = std::atof(argv[i + 1]);
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
    std::printf("bits %d, %d calibration images, 1 thread, batch: float forward >= %.0f ms, "
                "median of %d interleaved forwards\n\n",
                bits, calib, minMs, repeats);
    std::printf("%-10s %6s %5s %9s %9s %9s %9s %9s | %9s %9s %9s %9s | %7s %7s %7s | %7s %7s "
                "%7s\n",
                "model", "budget", "batch", "float KB", "fakequant", "expanded", "package",
                "report", "float ms", "fq ms", "exp ms", "mm ms", "exp/fl", "exp/mm", "mm/fl",
                "MACsrun", "mm MACs", "predict");
    try {
        for (const Demo &demo : demos) {
            const mpq::Model model = mpq::Model::load(demo.model);
            const mpq::ModelProfile profile = mpq::loadProfile(demo.profile);
            std::vector<std::string> images = mpq::findImages(demo.images);
            mpq::AnalysisSettings s;
            s.bits = bits;
            s.calibCount = calib;
            const mpq::Analysis analysis = mpq::analyze(model, profile, images, s);
            std::vector<mpq::PreparedImage> prepared;
            for (std::size_t i = 0; i < images.size() && prepared.size() < 16; ++i)
                prepared.push_back(mpq::prepareImage(images[i], profile.input));
            mpq::ModelRunner floatModel = mpq::floatRunner(model);
            const auto time = [](mpq::ModelRunner &r, const std::vector<mpq::PreparedImage> &b) {
                const auto t0 = std::chrono::steady_clock::now();
                r.run(b);
                return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                 t0)
                    .count();
            };
            // the batch: the smallest power of two whose float forward takes minMs (images repeat)
            std::vector<mpq::PreparedImage> batch;
            const auto makeBatch = [&](int n) {
                batch.clear();
                for (int i = 0; i < n; ++i)
                    batch.push_back(prepared[i % prepared.size()]);
            };
            // (the profiling executor's first runs of a new shape are slow: warm up, take the best
            // of two)
            const auto probe = [&] {
                time(floatModel, batch);
                time(floatModel, batch);
                return std::min(time(floatModel, batch), time(floatModel, batch));
            };
            int n = fixedBatch > 0 ? fixedBatch : 1;
            makeBatch(n);
            while (fixedBatch <= 0 && n < 1024 && probe() < minMs)
                makeBatch(n *= 2);
            for (const double b : {0.0, budget}) {
                mpq::AllocationSettings a;
                a.bits = bits;
                a.rule = mpq::AllocationRule::Budget;
                a.budget = b;
                const mpq::Allocation alloc = mpq::allocate(analysis.curves, a);
                const std::string stem =
                    (out / (std::string(demo.name) + "-" + std::to_string(int(b * 1000)))).string();
                mpq::ModelRunner quantized = mpq::quantizedRunner(model, analysis, alloc, {});
                mpq::exportFakeQuant(quantized, stem + "-fq.pt",
                                     mpq::exportManifest(analysis, alloc, a, "bench", "fakequant"),
                                     profile, {});
                const mpq::ExpandedExport ex = mpq::exportExpanded(
                    model, analysis, alloc, {}, stem + "-ex.pt",
                    mpq::exportManifest(analysis, alloc, a, "bench", "expanded"), profile, {});
                const std::int64_t mmMacs =
                    mpq::exportMacMatched(model, analysis, alloc, stem + "-mm.pt");
                mpq::exportIntegerPackage(
                    model, analysis, alloc, {},
                    mpq::exportManifest(analysis, alloc, a, "bench", "package"), stem + "-pkg");
                mpq::writeTextFile(stem + "-report.json", mpq::reportJson(analysis, alloc, a));

                mpq::ModelRunner fq = mpq::loadRunner(stem + "-fq.pt");
                mpq::ModelRunner expanded = mpq::loadRunner(stem + "-ex.pt");
                mpq::ModelRunner matched = mpq::loadRunner(stem + "-mm.pt");
                std::vector<double> tf, tq, te, tm;
                for (mpq::ModelRunner *r : {&floatModel, &fq, &expanded, &matched})
                    for (int k = 0; k < 2; ++k) // the profiling executor optimizes on first runs
                        time(*r, batch);
                for (int r = 0; r < repeats; ++r) {
                    tf.push_back(time(floatModel, batch));
                    tq.push_back(time(fq, batch));
                    te.push_back(time(expanded, batch));
                    tm.push_back(time(matched, batch));
                }
                const double f = median(tf), q = median(tq), e = median(te), m = median(tm);
                std::printf(
                    "%-10s %5.1f%% %5d %9.0f %9.0f %9.0f %9.0f %9.0f | %9.1f %9.1f %9.1f "
                    "%9.1f | %7.3f %7.3f %7.3f | %6.1f%% %6.1f%% %6.1f%%\n",
                    demo.name, b * 100, n, fs::file_size(demo.model) / 1024.0,
                    folderBytes(stem + "-fq.pt") / 1024.0, folderBytes(stem + "-ex.pt") / 1024.0,
                    folderBytes(stem + "-pkg") / 1024.0,
                    folderBytes(stem + "-report.json") / 1024.0, f, q, e, m, e / f, e / m, m / f,
                    ex.macOverheadRun * 100, ex.macs > 0 ? 100.0 * double(mmMacs) / ex.macs : 0.0,
                    alloc.macOverhead * 100);
                std::fflush(stdout);
            }
        }
    } catch (const mpq::Error &e) {
        std::fprintf(stderr, "bench_export: %s\n", e.what());
        fs::remove_all(out);
        return 1;
    }
    fs::remove_all(out);
    std::printf("\nsizes in KB; package = the whole folder; mm = the MAC-matched float model; MACs "
                "run: the expanded model's extra MACs (group padding included) over the quantized "
                "layers' MACs; mm MACs: the MAC-matched model's, the same by construction\n");
    return 0;
}
