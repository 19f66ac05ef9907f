#include "mpqwidgets/predictionrender.h"

#include "mpqwidgets/palette.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace mpq::ui {

namespace {

// The images here are RGB (QImage::Format_RGB888 wrapped as a cv::Mat).
cv::Scalar rgb(const QColor &c)
{
    return cv::Scalar(c.red(), c.green(), c.blue());
}

// OpenCV has no dashed lines: dashes along each side of the rectangle.
void dashedRectangle(cv::Mat &image, cv::Point a, cv::Point b, const cv::Scalar &colour,
                     int thickness, int dash)
{
    const cv::Point corners[] = {a, {b.x, a.y}, b, {a.x, b.y}, a};
    for (int side = 0; side < 4; ++side) {
        const cv::Point p = corners[side], q = corners[side + 1];
        const double length = std::hypot(q.x - p.x, q.y - p.y);
        for (double s = 0; s < length; s += 2 * dash) {
            const double e = std::min(length, s + dash);
            const auto at = [&](double t) {
                return cv::Point(int(std::lround(p.x + (q.x - p.x) * t / length)),
                                 int(std::lround(p.y + (q.y - p.y) * t / length)));
            };
            cv::line(image, at(s), at(e), colour, thickness, cv::LINE_AA);
        }
    }
}

std::string className(int label, const std::vector<std::string> &labels)
{
    return label >= 0 && label < int(labels.size()) ? labels[label] : std::to_string(label);
}

void drawBoxes(cv::Mat &image, const std::vector<mpq::Detection> &boxes, double scale,
               const std::vector<std::string> &labels, double threshold, bool dashed)
{
    const cv::Scalar colour = rgb(dashed ? quantizedColor() : floatColor());
    const int thickness = std::max(1, int(std::lround(std::max(image.cols, image.rows) / 300.0)));
    const double fontScale = std::max(0.35, std::max(image.cols, image.rows) / 900.0);
    for (const mpq::Detection &d : boxes) {
        if (d.score < threshold)
            continue;
        const cv::Point a(int(std::lround(d.x1 * scale)), int(std::lround(d.y1 * scale)));
        const cv::Point b(int(std::lround(d.x2 * scale)), int(std::lround(d.y2 * scale)));
        if (dashed)
            dashedRectangle(image, a, b, colour, thickness, 4 * thickness + 4);
        else
            cv::rectangle(image, a, b, colour, thickness, cv::LINE_AA);
        char score[16];
        std::snprintf(score, sizeof score, " %.2f", d.score);
        const std::string text =
            std::string(dashed ? "Q " : "F ") + className(d.label, labels) + score;
        int baseline = 0;
        const cv::Size size =
            cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, fontScale, 1, &baseline);
        // float labels above the box, quantized labels inside its bottom edge: both stay legible
        // when the two models agree on a box
        cv::Point origin = dashed ? cv::Point(a.x, b.y - baseline - 2)
                                  : cv::Point(a.x, std::max(size.height + 2, a.y - baseline - 2));
        origin.x = std::clamp(origin.x, 0, std::max(0, image.cols - size.width));
        cv::rectangle(image, origin + cv::Point(0, baseline),
                      origin + cv::Point(size.width, -size.height - 2), colour, cv::FILLED);
        cv::putText(image, text, origin, cv::FONT_HERSHEY_SIMPLEX, fontScale,
                    cv::Scalar(255, 255, 255), 1, cv::LINE_AA);
    }
}

} // namespace

QImage loadScaledImage(const std::string &file, int maxSide, double *scale, QString *error)
{
    cv::Mat image;
    try {
        image = cv::imread(file, cv::IMREAD_COLOR);
    } catch (const cv::Exception &e) {
        if (error)
            *error = QString::fromStdString(file + ": " + e.what());
        return {};
    }
    if (image.empty()) {
        if (error)
            *error = QString::fromStdString(file) +
                     QCoreApplication::translate("mpq::ui", ": not a readable image");
        return {};
    }
    const double f = std::min(1.0, double(maxSide) / std::max(image.cols, image.rows));
    if (f < 1.0)
        cv::resize(image, image, cv::Size(), f, f, cv::INTER_AREA);
    if (scale)
        *scale = f;
    cv::Mat rgbImage;
    cv::cvtColor(image, rgbImage, cv::COLOR_BGR2RGB);
    return QImage(rgbImage.data, rgbImage.cols, rgbImage.rows,
                  static_cast<qsizetype>(rgbImage.step), QImage::Format_RGB888)
        .copy();
}

QImage drawDetections(const QImage &image, double scale,
                      const std::vector<mpq::Detection> &floatBoxes,
                      const std::vector<mpq::Detection> &quantizedBoxes,
                      const std::vector<std::string> &labels, double scoreThreshold,
                      DetectionPanes panes)
{
    QImage out = image.convertToFormat(QImage::Format_RGB888);
    if (out.isNull())
        return out;
    // draw straight into the copy's pixels
    cv::Mat view(out.height(), out.width(), CV_8UC3, out.bits(),
                 static_cast<std::size_t>(out.bytesPerLine()));
    if (panes != DetectionPanes::Quantized)
        drawBoxes(view, floatBoxes, scale, labels, scoreThreshold, false);
    if (panes != DetectionPanes::Float)
        drawBoxes(view, quantizedBoxes, scale, labels, scoreThreshold, true);
    return out;
}

QStringList topClasses(const std::vector<float> &probabilities,
                       const std::vector<std::string> &labels, int k)
{
    std::vector<int> order(probabilities.size());
    std::iota(order.begin(), order.end(), 0);
    k = std::min<int>(k, int(order.size()));
    std::partial_sort(order.begin(), order.begin() + k, order.end(),
                      [&](int a, int b) { return probabilities[a] > probabilities[b]; });
    QStringList out;
    for (int i = 0; i < k; ++i)
        out << QString::fromStdString(className(order[i], labels)) + QLatin1Char(' ') +
                   QLocale().toString(probabilities[order[i]] * 100.0, 'f', 1) +
                   QStringLiteral(" %");
    return out;
}

} // namespace mpq::ui
