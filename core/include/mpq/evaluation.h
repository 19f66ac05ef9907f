#pragma once
// Running the float and a quantized model side by side on sample images and measuring the task.

#include "mpq/eval.h"
#include "mpq/jobcontrol.h"
#include "mpq/profile.h"
#include "mpq/runner.h"

#include <cstddef>
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
    /// images found in the folder; more than were evaluated when the set is a seeded choice of
    /// them (ImageSet); 0: not known
    std::size_t imagesFound = 0;
};

/// The float half of an evaluation: what the float model says about each readable image, with
/// labels and annotations. Computed once per model and image set, then reused for every
/// quantized model (each method of a comparison, each budget of a sweep). Immutable once made.
struct FloatPredictions
{
    Task task = Task::Classification;
    std::vector<ImagePrediction> images; ///< float fields, label and truth filled
    std::vector<std::string> warnings;   ///< skipped images and annotations, unknown class names
    std::size_t imagesFound = 0;         ///< as EvaluationResult::imagesFound
};

/// Runs the float model on the images (batches of batchSize; unreadable images skipped with a
/// warning naming them). Detection ground truth is read from <imageRoot>/Annotations/<image
/// stem>.xml when present. Throws Error: BadImage (no readable image, with the first reason),
/// BadModel (a forward fails), Cancelled.
FloatPredictions predictFloat(const ModelProfile &profile, const std::vector<std::string> &files,
                              const std::string &imageRoot, ModelRunner &floatModel, int batchSize,
                              const JobControl &control = {});

/// Runs a quantized model on the images of `reference` and measures the profile's task against
/// the float predictions. Throws Error: BadImage (an image readable before no longer is),
/// BadModel, Cancelled.
EvaluationResult evaluateAgainst(const ModelProfile &profile, const FloatPredictions &reference,
                                 ModelRunner &quantizedModel, int batchSize,
                                 const JobControl &control = {});

/// predictFloat and evaluateAgainst in one call.
EvaluationResult evaluate(const ModelProfile &profile, const std::vector<std::string> &files,
                          const std::string &imageRoot, ModelRunner &floatModel,
                          ModelRunner &quantizedModel, int batchSize,
                          const JobControl &control = {});

/// The task metric a comparison ranks methods by: top-1 for labelled classifiers, top-1
/// agreement with float for unlabelled ones, mAP@0.5 against the float detections for
/// detectors. `reference` is the float model's value of the same metric (1 for agreement and
/// mAP against float).
struct TaskMetric
{
    std::string name; ///< "top-1", "agreement", "mAP@0.5 vs float"
    double value = 0.0;
    double reference = 1.0;
};
TaskMetric taskMetric(const EvaluationResult &result);

} // namespace mpq
