#pragma once
// Folders of small random-pixel images for the suites that calibrate or evaluate on images.

#include <QDir>
#include <QImage>
#include <QString>

#include <random>

namespace mpqtest {

/// Writes `count` PNGs of uniformly random RGB pixels into `dir` (created when missing), named
/// <prefix>0.png, <prefix>1.png, ...; image i is (width + i * widthStep) x height pixels. The
/// pixels depend only on `seed`. Returns false when a file cannot be written.
inline bool writeNoiseImages(const QString &dir, int count, int width, int height, unsigned seed,
                             int widthStep = 0, const QString &prefix = {})
{
    if (!QDir().mkpath(dir))
        return false;
    std::mt19937 rng(seed);
    for (int i = 0; i < count; ++i) {
        QImage img(width + i * widthStep, height, QImage::Format_RGB32);
        for (int y = 0; y < img.height(); ++y)
            for (int x = 0; x < img.width(); ++x)
                img.setPixel(x, y, qRgb(rng() % 256, rng() % 256, rng() % 256));
        if (!img.save(QDir(dir).filePath(prefix + QString::number(i) + QStringLiteral(".png"))))
            return false;
    }
    return true;
}

} // namespace mpqtest
