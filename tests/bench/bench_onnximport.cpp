// Benchmark (issue 13): import time and first-forward time of an ONNX ResNet-18 against loading
// the same model as TorchScript, and the analysis time from ONNX against the TorchScript figure
// (target: within 10 %; docs/onnx.md). The analysis runs on the sample images
// (resources/samples/images; MPQ_BENCH_IMAGES=N of them, default 8, at 4 bits, up to 3 points),
// each format twice, alternating, the faster run counted. The models are made at bench time by
// make_resnet18_onnx.py with /usr/bin/python3 (python3-torch, python3-torchvision); without them
// the bench says so and exits 0.
#include "mpq/analysis.h"
#include "mpq/images.h"
#include "mpq/model.h"
#include "mpq/runner.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace {

double seconds(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int main()
{
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / "mpq-bench-onnximport";
    fs::create_directories(dir);
    const std::string script = std::string(MPQ_BENCH_DIR) + "/make_resnet18_onnx.py";
    if (!fs::exists(dir / "resnet18.onnx")) {
        const std::string cmd =
            "/usr/bin/python3 " + script + " " + dir.string() + " >/dev/null 2>&1";
        if (std::system(cmd.c_str()) != 0 || !fs::exists(dir / "resnet18.onnx")) {
            std::printf("bench_onnximport: no ResNet-18 made (needs /usr/bin/python3 with "
                        "python3-torch and python3-torchvision); nothing measured\n");
            return 0;
        }
    }
    for (const char *name : {"resnet18.pt", "resnet18.onnx"}) {
        const std::string path = (dir / name).string();
        auto t0 = std::chrono::steady_clock::now();
        const mpq::Model model = mpq::Model::load(path);
        const double load = seconds(t0);
        mpq::PreparedImage img;
        img.channels = 3;
        img.height = 224;
        img.width = 224;
        img.data.assign(3 * 224 * 224, 0.5f);
        t0 = std::chrono::steady_clock::now();
        mpq::ModelRunner runner = mpq::floatRunner(model);
        const auto out = runner.run({img});
        const double forward = seconds(t0);
        std::printf("%-14s load %.3f s (%zu layers), first forward %.3f s\n", name, load,
                    model.layers().size(), forward);
        (void)out;
    }

    // the analysis, from each file, on the same images and settings
    const std::vector<std::string> files = mpq::chooseImages(
        mpq::findImages(std::string(MPQ_BENCH_DIR) + "/../../resources/samples/images"),
        std::getenv("MPQ_BENCH_IMAGES") ? std::atoi(std::getenv("MPQ_BENCH_IMAGES")) : 8);
    if (files.empty()) {
        std::printf("bench_onnximport: no sample images; analysis not measured\n");
        return 0;
    }
    mpq::ModelProfile profile;
    profile.input.mean = {0.485, 0.456, 0.406};
    profile.input.std = {0.229, 0.224, 0.225};
    mpq::AnalysisSettings settings;
    settings.bits = 4;
    settings.maxPoints = 3;
    settings.calibCount = static_cast<int>(files.size());
    const mpq::Model pt = mpq::Model::load((dir / "resnet18.pt").string());
    const mpq::Model onnx = mpq::Model::load((dir / "resnet18.onnx").string());
    double best[2] = {1e30, 1e30};
    for (int round = 0; round < 2; ++round)
        for (int k = 0; k < 2; ++k) {
            const auto t0 = std::chrono::steady_clock::now();
            const mpq::Analysis a = mpq::analyze(k ? onnx : pt, profile, files, settings);
            best[k] = std::min(best[k], seconds(t0));
            (void)a;
        }
    std::printf("analysis (%zu images, 4 bits, up to 3 points, faster of 2 runs): TorchScript "
                "%.2f s, ONNX %.2f s, ONNX/TorchScript %.3f (target <= 1.10)\n",
                files.size(), best[0], best[1], best[1] / best[0]);
    return 0;
}
