#pragma once

#include "mpq/profile.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mpq {

/// Every png/jpg/jpeg/bmp/webp (extension case-insensitive) under dir, recursively, sorted by
/// path. Throws Error(BadImage, "<dir>: ...") when dir does not exist or is not a folder.
std::vector<std::string> findImages(const std::string &dir);

/// A fixed, seeded choice of at most count files (all of them, in order, when there are no more
/// than count); the same inputs always give the same choice, in sorted order.
std::vector<std::string> chooseImages(const std::vector<std::string> &files, int count,
                                      std::uint64_t seed = 0);

/// An image prepared for the model: CHW float values after the profile's pixel transform,
/// plus what is needed to map a point of the model input back to the original image.
struct PreparedImage
{
    int channels = 0;
    int height = 0;
    int width = 0;
    std::vector<float> data; ///< channels * height * width, CHW
    /// the model's input layout (the profile's): the batch tensor is made (B, H, W, C) for Nhwc
    InputLayout layout = InputLayout::Nchw;
    int originalWidth = 0;
    int originalHeight = 0;
    /// model-input point (x, y) -> original image: ((x - offsetX) / scaleX, (y - offsetY) / scaleY)
    double scaleX = 1.0;
    double scaleY = 1.0;
    double offsetX = 0.0;
    double offsetY = 0.0;
    void toOriginal(double &x, double &y) const
    {
        x = (x - offsetX) / scaleX;
        y = (y - offsetY) / scaleY;
    }
};

/// Reads an image file with OpenCV and prepares it per the input spec (colour conversion,
/// resize mode, transform). Throws Error(BadImage, "<path>: <reason>") for a missing, unreadable,
/// undecodable or absurdly large (over 100 megapixels, checked from the header before decoding
/// where OpenCV allows) file.
PreparedImage prepareImage(const std::string &path, const InputSpec &input);

/// The same for a decoded 8-bit image in memory: rows x cols, `channels` 1 (gray), 3 (BGR) or
/// 4 (BGRA), rows `stride` bytes apart.
PreparedImage prepareImage(const std::uint8_t *pixels, int rows, int cols, int channels,
                           std::size_t stride, const InputSpec &input);

} // namespace mpq
