// Comparison benchmark on the demo detector (issues 14 and 17): the analysis' progress against
// time, and a 5-method comparison with the float predictions computed once against 5 separate
// `mpq eval` runs. Prints figures, asserts nothing.
// Usage: bench_compare MPQ_BINARY SAMPLES_DIR [--methods multipoint,rtn,mse,ocs,mixed]
// (SAMPLES_DIR: resources/samples, with centernet/ and images/). One thread throughout.
#include "mpq/analysis.h"
#include "mpq/parallel.h"
#include "mpq/pipeline.h"
#include "mpq/vocabulary.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace {

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::string quote(const std::string &s)
{
    return "'" + s + "'";
}

double loadAverage()
{
    double load[1] = {-1.0};
    getloadavg(load, 1);
    return load[0];
}

// Progress reports of one analysis: (seconds since start, fraction), the start of calibration.
struct Trace
{
    std::vector<std::pair<double, double>> points;
    double calibrationStart = 0.0; // seconds
    double shareAtCalibration = 0.0;
    double total = 0.0;
};

// Largest |elapsed / total - fraction| over the reports, and the largest relative error of the
// time-left estimate elapsed * (1 - f) / f against the real time left, over reports with
// f >= 0.1 and at least 5 % of the time left (what a progress bar shows).
void linearity(const Trace &t, const char *what, bool quarterSplit)
{
    double worst = 0.0, worstLeft = 0.0;
    for (const auto &[s, fNew] : t.points) {
        double f = fNew;
        if (quarterSplit) // the earlier rule: decomposition a quarter, calibration the rest
            f = s < t.calibrationStart
                    ? 0.25 * fNew / t.shareAtCalibration
                    : 0.25 + 0.75 * (fNew - t.shareAtCalibration) / (1 - t.shareAtCalibration);
        worst = std::max(worst, std::abs(s / t.total - f));
        const double left = t.total - s;
        if (f >= 0.1 && f < 1.0 && left >= 0.05 * t.total)
            worstLeft = std::max(worstLeft, std::abs(s * (1 - f) / f - left) / left);
    }
    std::printf("%-58s %6.3f   %6.0f %%\n", what, worst, worstLeft * 100);
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s MPQ_BINARY SAMPLES_DIR [--methods M,M,...]\n", argv[0]);
        return 1;
    }
    const std::string mpqBinary = argv[1], samples = argv[2];
    std::string methodList = "multipoint,rtn,mse,ocs,mixed";
    for (int i = 3; i + 1 < argc; ++i)
        if (std::string(argv[i]) == "--methods")
            methodList = argv[++i];
    std::vector<mpq::Method> methods;
    for (std::size_t b = 0; b <= methodList.size();) {
        const std::size_t e = std::min(methodList.find(',', b), methodList.size());
        methods.push_back(mpq::fromWord<mpq::Method>(methodList.substr(b, e - b)));
        b = e + 1;
    }
    mpq::setThreadCount(1);
    const std::string model = samples + "/centernet/centernet_mbv3.pt";
    const std::string images = samples + "/images";
    const std::string work =
        (std::filesystem::temp_directory_path() / "mpq-bench-compare").string();
    std::filesystem::create_directories(work);
    const std::string saved = work + "/centernet.analysis.json";
    std::printf("%s on %s; %zu methods (%s); 1 thread; load average %.2f\n\n", model.c_str(),
                images.c_str(), methods.size(), methodList.c_str(), loadAverage());

    // 1. the analysis, its progress against time
    const mpq::OpenedModel opened = mpq::openModel(model);
    const std::vector<std::string> files = mpq::imageFiles(images);
    mpq::AnalysisSettings settings; // the defaults mpq analyze and mpq eval use
    Trace trace;
    double start = now();
    mpq::JobControl control;
    control.progress = [&](double f) { trace.points.emplace_back(now() - start, f); };
    control.stage = [&](const std::string &name) {
        if (name == "calibrating") {
            trace.calibrationStart = now() - start;
            trace.shareAtCalibration = trace.points.empty() ? 0.0 : trace.points.back().second;
        }
    };
    start = now();
    const mpq::Analysis analysis =
        mpq::analyze(*opened.model, opened.requireProfile(), files, settings, control);
    trace.total = now() - start;
    mpq::saveAnalysis(analysis, nullptr, saved);
    std::printf("analysis: %zu layers, %zu images, %.2f s (decomposition %.2f s = %.1f %% of the "
                "time, %.1f %% of the estimated work)\n",
                analysis.layers.size(), analysis.calibrationFiles.size(), trace.total,
                trace.calibrationStart, 100 * trace.calibrationStart / trace.total,
                100 * trace.shareAtCalibration);
    std::printf("%-58s %6s   %8s\n", "progress against time", "max dev", "time left");
    linearity(trace, "units of work (decomposition + images x layer MACs)", false);
    linearity(trace, "before: decomposition 1/4, calibration 3/4 (same run)", true);

    // 2. five separate `mpq eval` runs against one comparison
    const std::string common = " " + quote(model) + " --images " + quote(images) + " --analysis " +
                               quote(saved) + " --budget 0.05 --threads 1";
    std::printf("\n%-58s %8s\n", "5-method comparison, 5 % memory budget", "seconds");
    double separate = 0.0;
    for (mpq::Method m : methods) {
        const std::string cmd = quote(mpqBinary) + " eval" + common + " --method " +
                                mpq::toWord(m) + " > " + quote(work + "/eval.out") + " 2>&1";
        const double t0 = now();
        const int rc = std::system(cmd.c_str());
        const double s = now() - t0;
        separate += s;
        std::printf("  mpq eval --method %-39s %8.2f%s\n", mpq::toWord(m), s,
                    rc == 0 ? ""
                            : "   (failed; see "
                              "eval.out)");
    }
    std::printf("%-58s %8.2f\n", "5 separate mpq eval runs", separate);
    {
        const std::string cmd = quote(mpqBinary) + " eval" + common + " --method " + methodList +
                                " > " + quote(work + "/eval.out") + " 2>&1";
        const double t0 = now();
        const int rc = std::system(cmd.c_str());
        const double s = now() - t0;
        std::printf("%-58s %8.2f   %.2fx%s\n", "one mpq eval --method with all 5", s, s / separate,
                    rc == 0 ? "" : "   (failed)");
    }
    const double t0 = now();
    const mpq::OpenedModel again = mpq::openModel(model);
    const auto loaded = mpq::loadAnalysisFor(saved, again, settings);
    mpq::AllocationSettings allocation;
    allocation.bits = settings.bits;
    allocation.rule = mpq::AllocationRule::Budget;
    allocation.budget = 0.05;
    const mpq::Quantization q = mpq::quantize(again, loaded, allocation);
    const mpq::ImageSet set = mpq::evaluationImages(images);
    const double tFloat = now();
    const auto reference = mpq::floatPredictions(again, set, settings.batchSize);
    const double floatSeconds = now() - tFloat;
    const std::vector<mpq::MethodEvaluation> evaluations =
        mpq::evaluateMethods(again, q, methods, *reference, settings.batchSize);
    const double inProcess = now() - t0;
    std::printf("%-58s %8.2f   %.2fx   (target <= 0.6x)\n",
                "mpq::evaluateMethods, float predictions once (in process)", inProcess,
                inProcess / separate);
    std::printf("  of which the float predictions on %zu images          %8.2f\n", set.files.size(),
                floatSeconds);
    for (const mpq::MethodEvaluation &e : evaluations)
        std::printf("  %-12s memory +%5.1f %%  metric %s %.3f\n", mpq::toWord(e.method),
                    100 * e.memoryOverhead, e.metric.name.c_str(), e.metric.value);
    std::printf("\nload average at the end %.2f\n", loadAverage());
    return 0;
}
