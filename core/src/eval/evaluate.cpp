#include "mpq/evaluation.h"

#include "mpq/error.h"
#include "util/reuselargeblocks.h"

#include <algorithm>
#include <filesystem>

namespace mpq {

namespace {

// Detections down to this score take part in average precision.
constexpr double kRankingThreshold = 0.05;

/// Average precision ranks every prediction, so decode at a low threshold (as VOC and COCO
/// evaluations do) and keep the profile's threshold for what is shown: otherwise a box scored
/// 0.31 in float and 0.29 quantized would count as a miss, not a rank.
OutputSpec rankedSpec(const ModelProfile &profile)
{
    OutputSpec ranked = profile.output;
    ranked.scoreThreshold = std::min(kRankingThreshold, profile.output.scoreThreshold);
    return ranked;
}

std::vector<Detection> shown(const std::vector<Detection> &all, const ModelProfile &profile)
{
    std::vector<Detection> out;
    for (const Detection &d : all)
        if (d.score > profile.output.scoreThreshold)
            out.push_back(d);
    return out;
}

void reportProgress(const JobControl &control, std::size_t done, std::size_t total)
{
    if (control.progress && total > 0)
        control.progress(double(done) / double(total));
}

} // namespace

FloatPredictions predictFloat(const ModelProfile &profile, const std::vector<std::string> &files,
                              const std::string &imageRoot, ModelRunner &floatModel, int batchSize,
                              const JobControl &control)
{
    namespace fs = std::filesystem;
    if (batchSize < 1)
        throw Error(ErrorCode::InvalidArgument, "the batch size must be at least 1");
    const ReuseLargeBlocks reuse; // the batches' activations stay in the heap
    FloatPredictions out;
    out.task = profile.task;
    const bool detection = profile.task == Task::Detection;
    const fs::path annotations = fs::path(imageRoot) / "Annotations";
    const bool haveAnnotations = detection && fs::is_directory(annotations);
    std::vector<std::string> unknownNames;
    std::string firstFailure;
    for (std::size_t begin = 0; begin < files.size(); begin += batchSize) {
        if (control.cancelled())
            throw Error(ErrorCode::Cancelled, "evaluation cancelled");
        std::vector<PreparedImage> batch;
        std::vector<std::string> names;
        for (std::size_t i = begin; i < std::min(files.size(), begin + batchSize); ++i) {
            try {
                batch.push_back(prepareImage(files[i], profile.input));
                names.push_back(files[i]);
            } catch (const Error &e) {
                if (firstFailure.empty())
                    firstFailure = e.what();
                out.warnings.push_back(std::string("skipped image: ") + e.what());
            }
        }
        if (batch.empty())
            continue;
        const std::vector<OutputTensor> f = floatModel.run(batch);
        if (f.empty())
            throw Error(ErrorCode::BadModel, "the model returned no tensor");
        const std::size_t first = out.images.size();
        for (std::size_t k = 0; k < batch.size(); ++k) {
            ImagePrediction p;
            p.file = names[k];
            out.images.push_back(std::move(p));
        }
        if (!detection) {
            const auto pf = classProbabilities(f[0], profile.output.decoder);
            for (std::size_t k = 0; k < batch.size(); ++k) {
                out.images[first + k].floatProbabilities = pf.at(k);
                out.images[first + k].label = labelFromFolder(names[k], profile.labels);
            }
        } else {
            const auto df = decodeDetections(f, batch, profile.input, rankedSpec(profile));
            for (std::size_t k = 0; k < batch.size(); ++k) {
                ImagePrediction &p = out.images[first + k];
                p.floatDetections = shown(df.at(k), profile);
                p.floatRanked = df.at(k);
                const fs::path xml = annotations / (fs::path(p.file).stem().string() + ".xml");
                if (haveAnnotations && fs::exists(xml)) {
                    try {
                        p.truth = readVocAnnotation(xml.string(), profile.labels, unknownNames);
                        p.annotated = true;
                    } catch (const Error &e) {
                        out.warnings.push_back(std::string("skipped annotation: ") + e.what());
                    }
                }
            }
        }
        reportProgress(control, std::min(files.size(), begin + batchSize), files.size());
    }
    if (out.images.empty())
        throw Error(ErrorCode::BadImage,
                    "none of the " + std::to_string(files.size()) + " images could be read" +
                        (firstFailure.empty() ? "" : " (the first: " + firstFailure + ")"));
    for (const std::string &name : unknownNames)
        out.warnings.push_back("annotations name a class the model does not know, skipped: " +
                               name);
    return out;
}

EvaluationResult evaluateAgainst(const ModelProfile &profile, const FloatPredictions &reference,
                                 ModelRunner &quantizedModel, int batchSize,
                                 const JobControl &control)
{
    if (batchSize < 1)
        throw Error(ErrorCode::InvalidArgument, "the batch size must be at least 1");
    const ReuseLargeBlocks reuse; // the batches' activations stay in the heap
    EvaluationResult out;
    out.task = reference.task;
    out.warnings = reference.warnings;
    out.images = reference.images;
    out.imagesFound = reference.imagesFound;
    const bool detection = reference.task == Task::Detection;
    const std::size_t total = out.images.size();
    for (std::size_t begin = 0; begin < total; begin += batchSize) {
        if (control.cancelled())
            throw Error(ErrorCode::Cancelled, "evaluation cancelled");
        const std::size_t end = std::min(total, begin + batchSize);
        std::vector<PreparedImage> batch;
        for (std::size_t i = begin; i < end; ++i)
            batch.push_back(prepareImage(out.images[i].file, profile.input));
        const std::vector<OutputTensor> q = quantizedModel.run(batch);
        if (q.empty())
            throw Error(ErrorCode::BadModel, "the model returned no tensor");
        if (!detection) {
            const auto pq = classProbabilities(q[0], profile.output.decoder);
            for (std::size_t k = 0; k < batch.size(); ++k)
                out.images[begin + k].quantizedProbabilities = pq.at(k);
        } else {
            const auto dq = decodeDetections(q, batch, profile.input, rankedSpec(profile));
            for (std::size_t k = 0; k < batch.size(); ++k) {
                out.images[begin + k].quantizedDetections = shown(dq.at(k), profile);
                out.images[begin + k].quantizedRanked = dq.at(k);
            }
        }
        reportProgress(control, end, total);
    }
    if (!detection) {
        std::vector<std::vector<float>> f, q;
        std::vector<int> labels;
        for (const ImagePrediction &p : out.images) {
            f.push_back(p.floatProbabilities);
            q.push_back(p.quantizedProbabilities);
            labels.push_back(p.label);
        }
        out.classification = compareClassification(f, q, labels);
    } else {
        std::vector<std::vector<Detection>> f, q, tf, tq, truth;
        for (const ImagePrediction &p : out.images) {
            f.push_back(p.floatDetections); // the float detections as shown are the truth
            q.push_back(p.quantizedRanked);
            if (p.annotated) {
                tf.push_back(p.floatRanked);
                tq.push_back(p.quantizedRanked);
                truth.push_back(p.truth);
                ++out.annotatedImages;
            }
        }
        out.map50VsFloat = meanAveragePrecision(q, f);
        if (!truth.empty()) {
            out.map50Float = meanAveragePrecision(tf, truth);
            out.map50Quantized = meanAveragePrecision(tq, truth);
        }
    }
    return out;
}

EvaluationResult evaluate(const ModelProfile &profile, const std::vector<std::string> &files,
                          const std::string &imageRoot, ModelRunner &floatModel,
                          ModelRunner &quantizedModel, int batchSize, const JobControl &control)
{
    const ReuseLargeBlocks reuse; // across both passes
    JobControl half = control;
    if (control.progress)
        half.progress = [&control](double f) { control.progress(0.5 * f); };
    const FloatPredictions reference =
        predictFloat(profile, files, imageRoot, floatModel, batchSize, half);
    if (control.progress)
        half.progress = [&control](double f) { control.progress(0.5 + 0.5 * f); };
    return evaluateAgainst(profile, reference, quantizedModel, batchSize, half);
}

TaskMetric taskMetric(const EvaluationResult &e)
{
    TaskMetric m;
    if (e.task == Task::Detection) {
        m.name = "mAP@0.5 vs float";
        m.value = e.map50VsFloat;
        m.reference = 1.0;
    } else if (e.classification.labelled > 0) {
        m.name = "top-1";
        m.value = e.classification.top1Quantized;
        m.reference = e.classification.top1Float;
    } else {
        m.name = "agreement";
        m.value = e.classification.agreement;
        m.reference = 1.0;
    }
    return m;
}

} // namespace mpq
