// Pipeline benchmark: analysis of a ResNet-18 on 64 calibration images at 224x224, against
// plain float forwards over the same images; re-allocation time; peak memory. Prints figures,
// asserts nothing. Usage: bench_pipeline MODEL.pt IMAGE_DIR [--count 64] [--batch 8]
// [--bits 4] [--points 8]. Writes IMAGE_DIR's images if it has fewer than --count (random
// smooth colour fields). Internal modes --rss-forward / --rss-analyze measure peak memory in a
// fresh process.
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
    int count = 64, batch = 8, bits = 4, points = 8;
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
                "points; 1 thread\n\n",
                model.c_str(), m.layers().size(), count, profile.input.width, profile.input.height,
                batch, bits, points);
    const std::vector<mpq::PreparedImage> images = prepare(files, profile.input);
    const double forward = floatForwards(m, images, batch);
    const double t0 = now();
    const mpq::Analysis analysis = mpq::analyze(m, profile, files, settings);
    const double analysisSeconds = now() - t0;
    std::printf("float forward over the %d images   %8.2f s\n", count, forward);
    std::printf("analysis (decompose + calibrate)   %8.2f s\n", analysisSeconds);
    std::printf("ratio analysis / float forwards    %8.2f   (target <= 2 x (N_max + 1) = %d)\n\n",
                analysisSeconds / forward, 2 * (points + 1));

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
                       " --points " + std::to_string(points);
    const double rssForward = childRss(argv[0], "--rss-forward", args);
    const double rssAnalyze = childRss(argv[0], "--rss-analyze", args);
    std::printf("\npeak RSS, float forward of one batch  %8.1f MB\n", rssForward);
    std::printf("peak RSS, whole analysis              %8.1f MB\n", rssAnalyze);
    std::printf("ratio                                 %8.2f   (target < 3)\n",
                rssAnalyze / rssForward);
    return 0;
}
