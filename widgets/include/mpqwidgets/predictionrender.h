#pragma once
// Sample images with what the float and the quantized model said about them, drawn with OpenCV
// (docs/architecture.md: cv::Mat becomes QImage here, once). No OpenCV type in this header.

#include "mpq/eval.h"

#include <QImage>
#include <QString>

#include <string>
#include <vector>

namespace mpq::ui {

/// Which model's detections to draw.
enum class DetectionPanes { Float, Quantized, Both };

/// The image at `file` decoded with OpenCV and scaled so that its longer side is at most
/// maxSide (never enlarged); *scale gets the factor from original pixels. Safe on any thread.
/// Returns a null image (and sets *error to "<file>: <reason>") when the file cannot be read.
QImage loadScaledImage(const std::string &file, int maxSide, double *scale = nullptr,
                       QString *error = nullptr);

/// A copy of `image` (from loadScaledImage, `scale` its factor) with the detections at or above
/// scoreThreshold drawn on it: float boxes solid in floatColor, quantized boxes dashed in
/// quantizedColor, each labelled "F <label> 0.91" / "Q <label> 0.88" (labels[label] when known,
/// else the class number). Detections are in original-image pixels.
QImage drawDetections(const QImage &image, double scale,
                      const std::vector<mpq::Detection> &floatBoxes,
                      const std::vector<mpq::Detection> &quantizedBoxes,
                      const std::vector<std::string> &labels, double scoreThreshold,
                      DetectionPanes panes = DetectionPanes::Both);

/// "<label> 92.1 %" lines for the k most probable classes, best first.
QStringList topClasses(const std::vector<float> &probabilities,
                       const std::vector<std::string> &labels, int k = 3);

} // namespace mpq::ui
