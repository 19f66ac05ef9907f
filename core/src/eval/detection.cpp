// Detection decoders, class-wise NMS (OpenCV) and mAP.
#include "mpq/eval.h"

#include "mpq/error.h"

#include <opencv2/dnn.hpp>

#include <algorithm>
#include <map>

namespace mpq {

double intersectionOverUnion(const Detection &a, const Detection &b)
{
    const double w = std::min(a.x2, b.x2) - std::max(a.x1, b.x1);
    const double h = std::min(a.y2, b.y2) - std::max(a.y1, b.y1);
    if (w <= 0 || h <= 0)
        return 0.0;
    const double inter = w * h;
    const double areaA = double(a.x2 - a.x1) * (a.y2 - a.y1),
                 areaB = double(b.x2 - b.x1) * (b.y2 - b.y1);
    return inter / (areaA + areaB - inter);
}

std::vector<Detection> nonMaximumSuppression(const std::vector<Detection> &detections, float iou)
{
    std::map<int, std::vector<const Detection *>> byLabel;
    for (const Detection &d : detections)
        byLabel[d.label].push_back(&d);
    std::vector<Detection> kept;
    for (const auto &[label, group] : byLabel) {
        std::vector<cv::Rect2d> boxes;
        std::vector<float> scores;
        for (const Detection *d : group) {
            boxes.emplace_back(d->x1, d->y1, d->x2 - d->x1, d->y2 - d->y1);
            scores.push_back(d->score);
        }
        std::vector<int> indices;
        // scores were filtered by the decoder; NMSBoxes wants a non-negative threshold
        cv::dnn::NMSBoxes(boxes, scores, 0.0f, iou, indices);
        for (int i : indices)
            kept.push_back(*group[i]);
    }
    std::stable_sort(kept.begin(), kept.end(),
                     [](const Detection &a, const Detection &b) { return a.score > b.score; });
    return kept;
}

namespace {

void finish(std::vector<Detection> &candidates, const PreparedImage &image, const OutputSpec &spec,
            std::vector<std::vector<Detection>> &out)
{
    std::vector<Detection> kept =
        nonMaximumSuppression(candidates, static_cast<float>(spec.nmsIou));
    if (static_cast<int>(kept.size()) > spec.topK)
        kept.resize(spec.topK);
    for (Detection &d : kept) {
        double x1 = d.x1, y1 = d.y1, x2 = d.x2, y2 = d.y2;
        image.toOriginal(x1, y1);
        image.toOriginal(x2, y2);
        d.x1 = static_cast<float>(std::clamp(x1, 0.0, double(image.originalWidth)));
        d.y1 = static_cast<float>(std::clamp(y1, 0.0, double(image.originalHeight)));
        d.x2 = static_cast<float>(std::clamp(x2, 0.0, double(image.originalWidth)));
        d.y2 = static_cast<float>(std::clamp(y2, 0.0, double(image.originalHeight)));
    }
    out.push_back(std::move(kept));
}

[[noreturn]] void shapeError(const std::string &decoder, const std::string &what)
{
    throw Error(ErrorCode::InvalidArgument, "the " + decoder + " decoder " + what);
}

// A box in model-input pixels from four numbers in the profile's format.
Detection toBox(const float *v, const InputSpec &input, const OutputSpec &spec)
{
    double a = v[0], b = v[1], c = v[2], d = v[3];
    Detection box;
    if (spec.boxFormat == "yxyx") {
        box = {float(b), float(a), float(d), float(c)};
    } else if (spec.boxFormat == "xywh") {
        box = {float(a), float(b), float(a + c), float(b + d)};
    } else if (spec.boxFormat == "cxcywh") {
        box = {float(a - c / 2), float(b - d / 2), float(a + c / 2), float(b + d / 2)};
    } else {
        box = {float(a), float(b), float(c), float(d)};
    }
    if (spec.normalized) {
        box.x1 *= input.width;
        box.x2 *= input.width;
        box.y1 *= input.height;
        box.y2 *= input.height;
    }
    return box;
}

std::vector<std::vector<Detection>> decodeCenterNet(const std::vector<OutputTensor> &outputs,
                                                    const std::vector<PreparedImage> &images,
                                                    const InputSpec &input, const OutputSpec &spec)
{
    const OutputTensor *heat = nullptr, *sizes = nullptr;
    for (const OutputTensor &o : outputs)
        if (o.shape.size() == 4)
            (o.shape[1] == 4 && !sizes ? sizes : heat) = &o;
    if (!heat || !sizes || heat->shape[0] != sizes->shape[0] || heat->shape[2] != sizes->shape[2] ||
        heat->shape[3] != sizes->shape[3])
        shapeError("centernet", "expects a heatmap (B, C, h, w) and sizes (B, 4, h, w)");
    const std::int64_t C = heat->shape[1], h = heat->shape[2], w = heat->shape[3];
    const double stride = double(input.width) / w;
    std::vector<std::vector<Detection>> out;
    for (std::size_t b = 0; b < images.size(); ++b) {
        const float *hm = heat->data.data() + b * C * h * w;
        const float *sz = sizes->data.data() + b * 4 * h * w;
        std::vector<Detection> peaks;
        for (std::int64_t c = 0; c < C; ++c)
            for (std::int64_t r = 0; r < h; ++r)
                for (std::int64_t col = 0; col < w; ++col) {
                    const float v = hm[(c * h + r) * w + col];
                    if (v <= spec.scoreThreshold)
                        continue;
                    bool peak = true; // 3x3 max-pool: the cell equals its neighbourhood's maximum
                    for (std::int64_t dr = -1; dr <= 1 && peak; ++dr)
                        for (std::int64_t dc = -1; dc <= 1; ++dc) {
                            const std::int64_t rr = r + dr, cc = col + dc;
                            if (rr >= 0 && rr < h && cc >= 0 && cc < w &&
                                hm[(c * h + rr) * w + cc] > v) {
                                peak = false;
                                break;
                            }
                        }
                    if (!peak)
                        continue;
                    const auto at = [&](int k) { return double(sz[(k * h + r) * w + col]); };
                    peaks.push_back({float(stride * col - at(0)), float(stride * r - at(1)),
                                     float(stride * col + at(2)), float(stride * r + at(3)), int(c),
                                     v});
                }
        std::sort(peaks.begin(), peaks.end(),
                  [](const Detection &a, const Detection &b) { return a.score > b.score; });
        if (static_cast<int>(peaks.size()) > spec.topK)
            peaks.resize(spec.topK);
        finish(peaks, images[b], spec, out);
    }
    return out;
}

std::vector<std::vector<Detection>> decodeBoxesScores(const std::vector<OutputTensor> &outputs,
                                                      const std::vector<PreparedImage> &images,
                                                      const InputSpec &input,
                                                      const OutputSpec &spec)
{
    if (outputs.size() < 2 || outputs[0].shape.size() != 3 || outputs[0].shape[2] != 4)
        shapeError("boxes-scores", "expects boxes (B, K, 4) then scores (B, K, C), or (B, K) "
                                   "with labels (B, K) or alone (one class)");
    const OutputTensor &boxes = outputs[0], &scores = outputs[1];
    const std::int64_t B = boxes.shape[0], K = boxes.shape[1];
    const bool perClass = scores.shape.size() == 3;
    if ((scores.shape.size() != 2 && !perClass) || scores.shape[0] != B || scores.shape[1] != K)
        shapeError("boxes-scores", "got scores that do not match the boxes");
    // Per-box scores (B, K) come with labels (B, K) as the third output, or alone: then the
    // detector has one class, label 0 (a third output of another size, such as a count per
    // image, is not a label tensor).
    const OutputTensor *labels = nullptr;
    if (!perClass && outputs.size() >= 3 && outputs[2].data.size() == scores.data.size())
        labels = &outputs[2];
    std::vector<std::vector<Detection>> out;
    for (std::int64_t b = 0; b < B && b < static_cast<std::int64_t>(images.size()); ++b) {
        std::vector<Detection> candidates;
        for (std::int64_t k = 0; k < K; ++k) {
            const Detection box = toBox(boxes.data.data() + (b * K + k) * 4, input, spec);
            if (perClass) {
                const std::int64_t C = scores.shape[2];
                for (std::int64_t c = 0; c < C; ++c) {
                    const float s = scores.data[(b * K + k) * C + c];
                    if (s > spec.scoreThreshold)
                        candidates.push_back({box.x1, box.y1, box.x2, box.y2, int(c), s});
                }
            } else if (scores.data[b * K + k] > spec.scoreThreshold) {
                candidates.push_back({box.x1, box.y1, box.x2, box.y2,
                                      labels ? int(labels->data[b * K + k]) : 0,
                                      scores.data[b * K + k]});
            }
        }
        finish(candidates, images[b], spec, out);
    }
    return out;
}

std::vector<std::vector<Detection>> decodeYolo(const std::vector<OutputTensor> &outputs,
                                               const std::vector<PreparedImage> &images,
                                               const InputSpec &input, const OutputSpec &spec)
{
    if (outputs.empty() || outputs[0].shape.size() != 3 || outputs[0].shape[2] < 6)
        shapeError("yolo",
                   "expects (B, K, 5 + classes) rows of cx, cy, w, h, objectness, class scores");
    const OutputTensor &o = outputs[0];
    const std::int64_t B = o.shape[0], K = o.shape[1], D = o.shape[2];
    OutputSpec boxSpec = spec;
    boxSpec.boxFormat = "cxcywh";
    std::vector<std::vector<Detection>> out;
    for (std::int64_t b = 0; b < B && b < static_cast<std::int64_t>(images.size()); ++b) {
        std::vector<Detection> candidates;
        for (std::int64_t k = 0; k < K; ++k) {
            const float *row = o.data.data() + (b * K + k) * D;
            const std::int64_t best = std::max_element(row + 5, row + D) - (row + 5);
            const float score = row[4] * row[5 + best];
            if (score <= spec.scoreThreshold)
                continue;
            const Detection box = toBox(row, input, boxSpec);
            candidates.push_back({box.x1, box.y1, box.x2, box.y2, int(best), score});
        }
        finish(candidates, images[b], spec, out);
    }
    return out;
}

std::vector<std::vector<Detection>> decodeTorchvision(const std::vector<OutputTensor> &outputs,
                                                      const std::vector<PreparedImage> &images,
                                                      const InputSpec &input,
                                                      const OutputSpec &spec)
{
    // per image, the dict {"boxes", "labels", "scores"} (in any order; loss dicts are empty)
    std::vector<std::vector<Detection>> out;
    std::size_t i = 0;
    OutputSpec boxSpec = spec;
    boxSpec.boxFormat = "xyxy";
    boxSpec.normalized = false;
    for (std::size_t b = 0; b < images.size(); ++b) {
        const OutputTensor *boxes = nullptr, *labels = nullptr, *scores = nullptr;
        for (; i < outputs.size() && !(boxes && labels && scores); ++i) {
            if (outputs[i].name == "boxes")
                boxes = &outputs[i];
            else if (outputs[i].name == "labels")
                labels = &outputs[i];
            else if (outputs[i].name == "scores")
                scores = &outputs[i];
        }
        if (!boxes || !labels || !scores || boxes->data.size() != 4 * scores->data.size() ||
            labels->data.size() != scores->data.size())
            shapeError("torchvision",
                       "expects per image the tensors boxes (K, 4), labels (K) and scores (K)");
        std::vector<Detection> candidates;
        for (std::size_t k = 0; k < scores->data.size(); ++k)
            if (scores->data[k] > spec.scoreThreshold) {
                const Detection box = toBox(boxes->data.data() + 4 * k, input, boxSpec);
                candidates.push_back(
                    {box.x1, box.y1, box.x2, box.y2, int(labels->data[k]), scores->data[k]});
            }
        finish(candidates, images[b], spec, out);
    }
    return out;
}

} // namespace

std::vector<std::vector<Detection>> decodeDetections(const std::vector<OutputTensor> &outputs,
                                                     const std::vector<PreparedImage> &images,
                                                     const InputSpec &input, const OutputSpec &spec)
{
    switch (spec.decoder) {
    case DecoderKind::CenterNet:
        return decodeCenterNet(outputs, images, input, spec);
    case DecoderKind::BoxesScores:
        return decodeBoxesScores(outputs, images, input, spec);
    case DecoderKind::Yolo:
        return decodeYolo(outputs, images, input, spec);
    case DecoderKind::Torchvision:
        return decodeTorchvision(outputs, images, input, spec);
    default:
        throw Error(ErrorCode::InvalidArgument, "not a detection decoder");
    }
}

double meanAveragePrecision(const std::vector<std::vector<Detection>> &predictions,
                            const std::vector<std::vector<Detection>> &truth, double iouThreshold)
{
    if (predictions.size() != truth.size())
        throw Error(ErrorCode::InvalidArgument,
                    "meanAveragePrecision: one list per image on both sides");
    std::map<int, int> truthCount;
    for (const auto &image : truth)
        for (const Detection &t : image)
            ++truthCount[t.label];
    if (truthCount.empty())
        return -1.0;
    double sum = 0.0;
    for (const auto &[label, count] : truthCount) {
        struct Scored
        {
            float score;
            std::size_t image;
            const Detection *box;
        };
        std::vector<Scored> scored;
        for (std::size_t i = 0; i < predictions.size(); ++i)
            for (const Detection &p : predictions[i])
                if (p.label == label)
                    scored.push_back({p.score, i, &p});
        std::stable_sort(scored.begin(), scored.end(),
                         [](const Scored &a, const Scored &b) { return a.score > b.score; });
        std::map<const Detection *, bool> used;
        std::vector<double> precision, recall;
        int tp = 0, fp = 0;
        for (const Scored &s : scored) {
            const Detection *best = nullptr;
            double bestIou = iouThreshold;
            for (const Detection &t : truth[s.image])
                if (t.label == label && !used[&t]) {
                    const double iou = intersectionOverUnion(*s.box, t);
                    if (iou >= bestIou) {
                        bestIou = iou;
                        best = &t;
                    }
                }
            if (best) {
                used[best] = true;
                ++tp;
            } else {
                ++fp;
            }
            precision.push_back(double(tp) / (tp + fp));
            recall.push_back(double(tp) / count);
        }
        // all-point interpolation: area under the precision envelope
        double ap = 0.0, previousRecall = 0.0;
        for (std::size_t k = 0; k < precision.size(); ++k) {
            const double envelope = *std::max_element(precision.begin() + k, precision.end());
            ap += (recall[k] - previousRecall) * envelope;
            previousRecall = recall[k];
        }
        sum += ap;
    }
    return sum / truthCount.size();
}

} // namespace mpq
