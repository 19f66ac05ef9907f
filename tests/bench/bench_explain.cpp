// "Why did this prediction flip" on the demo detector (issue 15: under 30 s per image): the
// analysis at 4 bits, the budget rule at 5 % memory, the Preview's evaluation to find the images
// whose prediction changed, then mpq::explainFlip on each of them in both modes. Prints the time,
// the forwards, the layers and the cost; asserts nothing.
// Usage: bench_explain SAMPLES_DIR [THREADS] [IMAGES] [ANALYSIS] (SAMPLES_DIR: resources/samples,
// with centernet/ and images/; IMAGES: explain at most that many flipped images; ANALYSIS: a
// saved analysis to load, written first when missing, to skip the analysis when repeating the
// run). The process CPU time
// is printed beside the wall time: on a busy machine, with one thread, it is what the wall time
// would be on a quiet one.
#include "mpq/analysis.h"
#include "mpq/explain.h"
#include "mpq/parallel.h"
#include "mpq/pipeline.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace {

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_explain SAMPLES_DIR [THREADS] [IMAGES] [ANALYSIS]\n");
        return 2;
    }
    const std::string samples = argv[1];
    mpq::setThreadCount(argc > 2 ? std::atoi(argv[2]) : 1);
    const int limit = argc > 3 ? std::atoi(argv[3]) : 1 << 30;
    const std::string analysisFile = argc > 4 ? argv[4] : "";
    try {
        const mpq::OpenedModel opened = mpq::openModel(samples + "/centernet/centernet_mbv3.pt");
        const std::string images = samples + "/images";
        mpq::AnalysisSettings as;
        as.bits = 4;
        double t = now();
        std::shared_ptr<const mpq::Analysis> analysis;
        if (!analysisFile.empty() && std::ifstream(analysisFile).good()) {
            analysis =
                std::make_shared<const mpq::Analysis>(mpq::loadAnalysis(analysisFile).analysis);
        } else {
            analysis = mpq::analyzeModel(opened, images, as, nullptr).analysis;
            if (!analysisFile.empty())
                mpq::saveAnalysis(*analysis, nullptr, analysisFile);
        }
        std::printf("analysis: %.1f s, %zu layers\n", now() - t, analysis->layers.size());
        std::fflush(stdout);
        mpq::AllocationSettings s;
        s.bits = 4;
        s.rule = mpq::AllocationRule::Budget;
        s.budget = 0.05;
        const mpq::Quantization q = mpq::reallocate(analysis, nullptr, s);
        const mpq::ImageSet set = mpq::evaluationImages(images);
        const auto reference = mpq::floatPredictions(opened, set, 4);
        const auto evaluations =
            mpq::evaluateMethods(opened, q, {mpq::Method::Multipoint}, *reference, 4);
        const mpq::EvaluationResult &r = evaluations.at(0).result;
        const double threshold = opened.profile.output.scoreThreshold;
        int flipped = 0;
        for (const mpq::ImagePrediction &p : r.images) {
            if (mpq::samePrediction(p, r.task, threshold) || flipped >= limit)
                continue;
            ++flipped;
            for (mpq::ExplainMode mode :
                 {mpq::ExplainMode::RestoreFloat, mpq::ExplainMode::AddPoint}) {
                t = now();
                const std::clock_t cpu = std::clock();
                const mpq::FlipExplanation e = mpq::explainFlip(opened, q, p.file, mode);
                const double seconds = now() - t;
                const double cpuSeconds = double(std::clock() - cpu) / CLOCKS_PER_SEC;
                std::string layers;
                for (const std::string &l : e.layers)
                    layers += (layers.empty() ? "" : ", ") + l;
                std::printf("%s %s: %.2f s (CPU %.2f s), %d forwards, %d candidates, prefix %d, "
                            "outcome %d, %zu layers: %s%s, memory "
                            "%.2f %% -> %.2f %%, MAC %.2f %% -> %.2f %%, applied restores: %s %s\n",
                            p.file.c_str(), mpq::explainModeName(mode), seconds, cpuSeconds,
                            e.forwards, e.candidates, e.prefix, int(e.outcome), e.layers.size(),
                            layers.c_str(), e.oneMinimal ? " (1-minimal)" : "",
                            e.memoryOverheadBefore * 100, e.memoryOverhead * 100,
                            e.macOverheadBefore * 100, e.macOverhead * 100,
                            e.appliedRestores ? "yes" : "no", e.reason.c_str());
                std::fflush(stdout);
            }
        }
        std::printf("%d of %zu images explained (flipped at 4 bits, budget 5 %%)\n", flipped,
                    r.images.size());
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_explain: %s\n", e.what());
        return 1;
    }
    return 0;
}
