// Benchmark (issue 13): import time and first-forward time of an ONNX ResNet-18 against loading
// the same model as TorchScript (docs/onnx.md). The models are made at bench time by
// make_resnet18_onnx.py with /usr/bin/python3 (python3-torch, python3-torchvision); without them
// the bench says so and exits 0.
#include "mpq/model.h"
#include "mpq/runner.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

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
    return 0;
}
