#pragma once
// Running the float and a quantized model side by side on sample images and measuring the task.

#include "mpq/eval.h"
#include "mpq/jobcontrol.h"
#include "mpq/profile.h"
#include "mpq/runner.h"

#include <string>
#include <vector>

namespace mpq {

/// What both models said about one image; kept so that front ends can draw it.
struct ImagePrediction
{
    std::string file;
    int label = -1; ///< from the folder name (classification), -1 if none
    std::vector<float> floatProbabilities, quantizedProbabilities; ///< classification
    std::vector<Detection> floatDetections,
        quantizedDetections; ///< detection, above the profile's threshold
    std::vector<Detection> floatRanked, quantizedRanked; ///< down to score 0.05, for mAP
    bool annotated = false;       ///< a VOC annotation was found for the image
    std::vector<Detection> truth; ///< its boxes
};

struct EvaluationResult
{
    Task task = Task::Classification;
    std::vector<ImagePrediction> images;
    std::vector<std::string> warnings; ///< skipped images, unknown annotation names
    ClassificationMetrics classification;
    /// detection: quantized detections (ranked down to score 0.05) against the float detections
    /// above the profile's threshold as truth
    double map50VsFloat = -1.0;
    double map50Float = -1.0; ///< against VOC annotations, when there are any
    double map50Quantized = -1.0;
    int annotatedImages = 0;
};

/// Runs both models on the images (batches of batchSize; unreadable images skipped with a
/// warning naming them) and measures the profile's task. Detection ground truth is read from
/// DIR/Annotations/<image stem>.xml next to each image's folder tree root `imageRoot` when present.
/// Throws Error: BadImage (no readable image), BadModel (a forward fails), Cancelled.
EvaluationResult evaluate(const ModelProfile &profile, const std::vector<std::string> &files,
                          const std::string &imageRoot, ModelRunner &floatModel,
                          ModelRunner &quantizedModel, int batchSize,
                          const JobControl &control = {});

} // namespace mpq
