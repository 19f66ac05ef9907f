#include "mpq/evaluation.h"

#include "mpq/error.h"

#include <algorithm>
#include <filesystem>

namespace mpq {

namespace {
// Detections down to this score take part in average precision.
constexpr double kRankingThreshold = 0.05;
} // namespace

EvaluationResult evaluate(const ModelProfile &profile, const std::vector<std::string> &files,
                          const std::string &imageRoot, ModelRunner &floatModel,
                          ModelRunner &quantizedModel, int batchSize, const JobControl &control)
{
    namespace fs = std::filesystem;
    if (batchSize < 1)
        throw Error(ErrorCode::InvalidArgument, "the batch size must be at least 1");
    EvaluationResult out;
    out.task = profile.task;
    const bool detection = profile.task == Task::Detection;
    const fs::path annotations = fs::path(imageRoot) / "Annotations";
    const bool haveAnnotations = detection && fs::is_directory(annotations);
    std::vector<std::string> unknownNames;
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
                out.warnings.push_back(std::string("skipped image: ") + e.what());
            }
        }
        if (batch.empty())
            continue;
        const std::vector<OutputTensor> f = floatModel.run(batch), q = quantizedModel.run(batch);
        if (f.empty() || q.empty())
            throw Error(ErrorCode::BadModel, "the model returned no tensor");
        for (std::size_t k = 0; k < batch.size(); ++k) {
            ImagePrediction p;
            p.file = names[k];
            out.images.push_back(std::move(p));
        }
        ImagePrediction *first = &out.images[out.images.size() - batch.size()];
        if (!detection) {
            const auto pf = classProbabilities(f[0], profile.output.decoder);
            const auto pq = classProbabilities(q[0], profile.output.decoder);
            for (std::size_t k = 0; k < batch.size(); ++k) {
                first[k].floatProbabilities = pf.at(k);
                first[k].quantizedProbabilities = pq.at(k);
                first[k].label = labelFromFolder(first[k].file, profile.labels);
            }
        } else {
            // Average precision ranks every prediction, so decode at a low threshold (as VOC and
            // COCO evaluations do) and keep the profile's threshold for what is shown: otherwise a
            // box scored 0.31 in float and 0.29 quantized would count as a miss, not a rank.
            OutputSpec ranked = profile.output;
            ranked.scoreThreshold = std::min(kRankingThreshold, profile.output.scoreThreshold);
            const auto df = decodeDetections(f, batch, profile.input, ranked);
            const auto dq = decodeDetections(q, batch, profile.input, ranked);
            const auto shown = [&](const std::vector<Detection> &all) {
                std::vector<Detection> out;
                for (const Detection &d : all)
                    if (d.score > profile.output.scoreThreshold)
                        out.push_back(d);
                return out;
            };
            for (std::size_t k = 0; k < batch.size(); ++k) {
                first[k].floatDetections = shown(df.at(k));
                first[k].quantizedDetections = shown(dq.at(k));
                first[k].floatRanked = df.at(k);
                first[k].quantizedRanked = dq.at(k);
                const fs::path xml =
                    annotations / (fs::path(first[k].file).stem().string() + ".xml");
                if (haveAnnotations && fs::exists(xml)) {
                    try {
                        first[k].truth =
                            readVocAnnotation(xml.string(), profile.labels, unknownNames);
                        first[k].annotated = true;
                    } catch (const Error &e) {
                        out.warnings.push_back(std::string("skipped annotation: ") + e.what());
                    }
                }
            }
        }
        if (control.progress)
            control.progress(double(std::min(files.size(), begin + batchSize)) / files.size());
    }
    if (out.images.empty())
        throw Error(ErrorCode::BadImage,
                    "none of the " + std::to_string(files.size()) + " images could be read");
    for (const std::string &name : unknownNames)
        out.warnings.push_back("annotations name a class the model does not know, skipped: " +
                               name);
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

} // namespace mpq
