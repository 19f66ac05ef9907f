#pragma once
// Measuring what quantization does to a model's task: classification metrics, detection
// decoders, NMS and mAP (float beside quantized).

#include "mpq/images.h"
#include "mpq/profile.h"
#include "mpq/tensor.h"

#include <string>
#include <vector>

namespace mpq {

// ---- classification

/// Class probabilities per image from a (B, K) output: softmax for the logits decoder, the
/// values as they are (renormalized) for probabilities.
std::vector<std::vector<float>> classProbabilities(const OutputTensor &output, DecoderKind decoder);

/// The label index of an image from the name of its folder, matched to the profile's labels
/// ignoring case and every character that is not a letter or digit ("tshirt-top" matches
/// "T-shirt/top"); -1 when no label matches.
int labelFromFolder(const std::string &imagePath, const std::vector<std::string> &labels);

struct ClassificationMetrics
{
    int images = 0;
    int labelled = 0;       ///< images whose folder named a label
    double top1Float = 0.0; ///< fractions of the labelled images
    double top5Float = 0.0;
    double top1Quantized = 0.0;
    double top5Quantized = 0.0;
    double agreement = 0.0; ///< share of all images whose top-1 is unchanged
    double meanKl = 0.0;    ///< mean KL(float || quantized) in nats
};
/// labels[i] = -1 for an unlabelled image. All vectors have one entry per image.
ClassificationMetrics
compareClassification(const std::vector<std::vector<float>> &floatProbabilities,
                      const std::vector<std::vector<float>> &quantizedProbabilities,
                      const std::vector<int> &labels);

// ---- detection

/// A box in original-image pixels.
struct Detection
{
    float x1 = 0, y1 = 0, x2 = 0, y2 = 0;
    int label = 0;
    float score = 1.0f;
};

double intersectionOverUnion(const Detection &a, const Detection &b);

/// Class-wise non-maximum suppression with OpenCV's cv::dnn::NMSBoxes: keeps, per label, the
/// boxes not overlapping a higher-scored one by more than `iou`. Sorted by decreasing score.
std::vector<Detection> nonMaximumSuppression(const std::vector<Detection> &detections, float iou);

/// Decodes one batch of raw outputs into detections per image (original-image coordinates,
/// score above spec.scoreThreshold, class-wise NMS at spec.nmsIou, at most spec.topK):
/// - centernet: outputs heatmap (B, C, h, w) (after sigmoid) and sizes (B, 4, h, w) = distances
///   left, top, right, bottom in input pixels; peaks are 3x3 local maxima; the box of cell (r, c)
///   is (s c - l, s r - t, s c + r, s r + b) with s = input width / w.
/// - boxes-scores: boxes (B, K, 4) in spec.boxFormat (normalized or input pixels) and scores
///   (B, K, C) per class, or scores (B, K) with labels (B, K).
/// - yolo: (B, K, 5 + C) rows cx, cy, w, h, objectness, class scores; score = obj * class.
/// - torchvision: per image the tensors "boxes" (K, 4) xyxy, "labels" (K), "scores" (K).
/// Throws Error(InvalidArgument) when the outputs do not have the shapes the decoder expects.
std::vector<std::vector<Detection>> decodeDetections(const std::vector<OutputTensor> &outputs,
                                                     const std::vector<PreparedImage> &images,
                                                     const InputSpec &input,
                                                     const OutputSpec &spec);

/// Mean average precision at an IoU threshold (VOC all-point interpolation), over the classes
/// that have at least one ground-truth box; `truth` scores are ignored. One vector per image.
/// Returns -1 when there is no ground-truth box at all.
double meanAveragePrecision(const std::vector<std::vector<Detection>> &predictions,
                            const std::vector<std::vector<Detection>> &truth, double iou = 0.5);

/// Pascal VOC annotation: the <object> boxes of an XML file, names matched to labels ignoring
/// case. Unknown names are skipped and appended to `unknown`. Throws Error(BadAnnotation,
/// "<path>: <problem>") for an unreadable or malformed file.
std::vector<Detection> readVocAnnotation(const std::string &path,
                                         const std::vector<std::string> &labels,
                                         std::vector<std::string> &unknown);
/// The same for XML text already in memory; sourceName prefixes every error message. Box
/// coordinates must be finite numbers with xmin <= xmax and ymin <= ymax.
std::vector<Detection> parseVocAnnotation(const std::string &xmlText, const std::string &sourceName,
                                          const std::vector<std::string> &labels,
                                          std::vector<std::string> &unknown);

} // namespace mpq
