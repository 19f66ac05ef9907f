// Image discovery, seeded sampling and preparation of model inputs (colour order, resize mode,
// pixel transform), all Qt-free on top of OpenCV.
#include "mpq/images.h"

#include "mpq/error.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <random>

namespace mpq {

namespace {

namespace fs = std::filesystem;

// Decoding more than this would take gigabytes for one calibration image; such files are
// scans or crafted headers, not model inputs.
constexpr std::int64_t kMaxPixels = 100'000'000;
// The largest plausible file for kMaxPixels (16-bit RGBA stored almost uncompressed).
constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t(1) << 30;

[[noreturn]] void badImage(const std::string &path, const std::string &reason)
{
    throw Error(ErrorCode::BadImage, path + ": " + reason);
}

bool isImageExtension(const fs::path &p)
{
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp" || ext == ".webp";
}

/// Uniform in [0, n) from the raw generator output by rejection, so that the choice is the
/// same with every standard library (std::uniform_int_distribution is implementation-defined).
std::uint64_t uniformBelow(std::mt19937_64 &rng, std::uint64_t n)
{
    const std::uint64_t limit =
        std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
    std::uint64_t r;
    do
        r = rng();
    while (r >= limit);
    return r % n;
}

std::uint32_t be16(const std::uint8_t *p)
{
    return std::uint32_t(p[0]) << 8 | p[1];
}
std::uint32_t be32(const std::uint8_t *p)
{
    return be16(p) << 16 | be16(p + 2);
}
std::uint32_t le16(const std::uint8_t *p)
{
    return std::uint32_t(p[1]) << 8 | p[0];
}
std::uint32_t le24(const std::uint8_t *p)
{
    return le16(p) | std::uint32_t(p[2]) << 16;
}
std::uint32_t le32(const std::uint8_t *p)
{
    return le16(p) | le16(p + 2) << 16;
}

/// Walks the segments of a JPEG file (which starts with FF D8) to its frame header and first
/// scan. libjpeg decodes a truncated file without error, filling the missing part with gray,
/// so "complete" says whether an end-of-image marker follows the first scan; the entropy-coded
/// data cannot contain FF D9 (FF is stuffed as FF 00), so the first one found is the end.
void jpegInfo(const std::vector<std::uint8_t> &b, std::int64_t &w, std::int64_t &h, bool &complete)
{
    const std::size_t n = b.size();
    const std::uint8_t *p = b.data();
    w = h = -1;
    complete = false;
    std::size_t i = 2;
    while (i + 4 <= n && p[i] == 0xff) {
        const std::uint8_t marker = p[i + 1];
        if (marker == 0xff) { // fill byte
            ++i;
            continue;
        }
        if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { // no length field
            i += 2;
            continue;
        }
        const std::size_t length = be16(p + i + 2);
        const bool sof =
            marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
        if (sof && i + 9 <= n) {
            h = be16(p + i + 5); // 0: stated later in a DNL segment
            w = be16(p + i + 7);
        }
        if (marker == 0xda) {
            static const std::uint8_t eoi[2] = {0xff, 0xd9};
            complete = std::search(p + i + 2, p + n, eoi, eoi + 2) != p + n;
            return;
        }
        if (marker == 0xd9 || length < 2)
            return;
        i += 2 + length;
    }
}

/// The pixel size stated in the header of a PNG, BMP or WebP file, read without decoding
/// (OpenCV 4.6 has no public header-only reader, and its own limit, CV_IO_MAX_IMAGE_PIXELS, is
/// 2^30 pixels: it would allocate gigabytes before finding that a crafted file has no data).
/// Returns false when the format is not recognised or the header does not state a size; JPEG
/// has jpegInfo.
bool headerSize(const std::vector<std::uint8_t> &b, std::int64_t &w, std::int64_t &h)
{
    const std::size_t n = b.size();
    const std::uint8_t *p = b.data();
    static const std::uint8_t pngSig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (n >= 24 && std::memcmp(p, pngSig, 8) == 0 && std::memcmp(p + 12, "IHDR", 4) == 0) {
        w = be32(p + 16);
        h = be32(p + 20);
        return true;
    }
    if (n >= 26 && p[0] == 'B' && p[1] == 'M') {
        if (le32(p + 14) == 12) { // BITMAPCOREHEADER: 16-bit sizes
            w = le16(p + 18);
            h = le16(p + 20);
        } else {
            w = std::abs(std::int64_t(std::int32_t(le32(p + 18))));
            h = std::abs(std::int64_t(std::int32_t(le32(p + 22)))); // negative: top-down
        }
        return true;
    }
    if (n >= 30 && std::memcmp(p, "RIFF", 4) == 0 && std::memcmp(p + 8, "WEBP", 4) == 0) {
        if (std::memcmp(p + 12, "VP8 ", 4) == 0 && p[23] == 0x9d && p[24] == 0x01 &&
            p[25] == 0x2a) {
            w = le16(p + 26) & 0x3fff;
            h = le16(p + 28) & 0x3fff;
            return true;
        }
        if (std::memcmp(p + 12, "VP8L", 4) == 0 && p[20] == 0x2f) {
            const std::uint32_t bits = le32(p + 21);
            w = (bits & 0x3fff) + 1;
            h = ((bits >> 14) & 0x3fff) + 1;
            return true;
        }
        if (std::memcmp(p + 12, "VP8X", 4) == 0) {
            w = std::int64_t(le24(p + 24)) + 1;
            h = std::int64_t(le24(p + 27)) + 1;
            return true;
        }
        return false;
    }
    return false;
}

void checkPixelCount(const std::string &path, std::int64_t w, std::int64_t h)
{
    if (w <= 0 || h <= 0)
        badImage(path, "the header states an empty image (" + std::to_string(w) + " x " +
                           std::to_string(h) + " pixels)");
    if (w > kMaxPixels || h > kMaxPixels || w * h > kMaxPixels) // w * h cannot overflow
        badImage(path, "the image is " + std::to_string(w) + " x " + std::to_string(h) +
                           " pixels, more than the limit of 100 megapixels");
}

void checkSpec(const InputSpec &in)
{
    const auto invalid = [](const std::string &what) {
        throw Error(ErrorCode::InvalidArgument, "input spec: " + what);
    };
    if (int(in.color) < 0 || int(in.color) > 2 || int(in.resize) < 0 || int(in.resize) > 2)
        invalid("colour order or resize mode out of range");
    const int channels = in.color == ColorOrder::Gray ? 1 : 3;
    if (in.width < 1 || in.height < 1 || in.width > 8192 || in.height > 8192)
        invalid("size " + std::to_string(in.width) + " x " + std::to_string(in.height) +
                " is outside 1..8192");
    if (in.channels != channels || in.mean.size() != std::size_t(channels) ||
        in.std.size() != std::size_t(channels))
        invalid("channels, mean and std must match the colour order (" + std::to_string(channels) +
                " channels)");
    if (!std::isfinite(in.scale))
        invalid("scale is not finite");
    for (int c = 0; c < channels; ++c)
        if (!(in.std[c] > 0) || !std::isfinite(in.std[c]) || !std::isfinite(in.mean[c]))
            invalid("mean and std must be finite and std > 0");
}

/// Colour conversion to the spec's order, resize, and the pixel transform into CHW floats.
/// src is 8-bit with 1 (gray), 3 (BGR) or 4 (BGRA) channels; name prefixes error messages.
PreparedImage prepare(const cv::Mat &src, const InputSpec &in, const std::string &name)
{
    // [colour order][source channels]: the conversion, or -1 when the source is already right
    static const int codes[3][5] = {
        {-1, cv::COLOR_GRAY2RGB, -1, cv::COLOR_BGR2RGB, cv::COLOR_BGRA2RGB},
        {-1, cv::COLOR_GRAY2BGR, -1, -1, cv::COLOR_BGRA2BGR},
        {-1, -1, -1, cv::COLOR_BGR2GRAY, cv::COLOR_BGRA2GRAY},
    };
    const int code = codes[int(in.color)][src.channels()];
    // Into a fresh Mat: cvtColor into a header sharing src's pixels would convert in place
    // and overwrite the caller's image.
    cv::Mat img;
    if (code >= 0)
        cv::cvtColor(src, img, code); // alpha is dropped, not composited
    else
        img = src;

    PreparedImage out;
    out.originalWidth = src.cols;
    out.originalHeight = src.rows;
    out.width = in.width;
    out.height = in.height;
    out.channels = in.channels;
    out.layout = in.layout;
    const double w = src.cols, h = src.rows;
    const int W = in.width, H = in.height;

    cv::Mat sized;
    if (in.resize == ResizeMode::Stretch) {
        cv::resize(img, sized, cv::Size(W, H), 0, 0, cv::INTER_LINEAR);
        out.scaleX = W / w;
        out.scaleY = H / h;
    } else {
        const bool fit = in.resize == ResizeMode::Letterbox;
        const double s = fit ? std::min(W / w, H / h) : std::max(W / w, H / h);
        // The limiting side comes out exactly W or H; the other is rounded and kept inside the
        // input (letterbox) or covering it (center crop).
        const double sw = std::round(w * s), sh = std::round(h * s);
        // Center crop of an extreme aspect ratio (say 10000 x 1) would scale to gigapixels
        // before cropping; at most 4 times the input area or 100 megapixels is allowed.
        if (!fit && sw * sh > std::max(double(kMaxPixels), 4.0 * W * H))
            badImage(name, "center-crop would first scale the " + std::to_string(src.cols) + " x " +
                               std::to_string(src.rows) +
                               " image to over 100 megapixels (aspect ratio too extreme)");
        const int nw = fit ? std::clamp(int(sw), 1, W) : std::max(int(sw), W);
        const int nh = fit ? std::clamp(int(sh), 1, H) : std::max(int(sh), H);
        cv::Mat scaled;
        cv::resize(img, scaled, cv::Size(nw, nh), 0, 0, cv::INTER_LINEAR);
        // The scale actually applied per axis, so that the content corners map back exactly.
        out.scaleX = nw / w;
        out.scaleY = nh / h;
        if (fit) {
            // Padding with pixel value 0 before the transform; an odd remainder goes to the
            // right and bottom.
            const int left = (W - nw) / 2, top = (H - nh) / 2;
            cv::copyMakeBorder(scaled, sized, top, H - nh - top, left, W - nw - left,
                               cv::BORDER_CONSTANT, cv::Scalar::all(0));
            out.offsetX = left;
            out.offsetY = top;
        } else {
            const int x0 = (nw - W) / 2, y0 = (nh - H) / 2;
            sized = scaled(cv::Rect(x0, y0, W, H));
            out.offsetX = -x0;
            out.offsetY = -y0;
        }
    }

    // The transform of every 8-bit value, per channel, computed as the profile states it.
    const int C = in.channels;
    std::vector<std::array<float, 256>> lut(C);
    for (int c = 0; c < C; ++c)
        for (int v = 0; v < 256; ++v)
            lut[c][v] = float((v * in.scale - in.mean[c]) / in.std[c]);

    const std::size_t plane = std::size_t(W) * H;
    out.data.resize(plane * C);
    for (int y = 0; y < H; ++y) {
        const std::uint8_t *row = sized.ptr<std::uint8_t>(y);
        for (int x = 0; x < W; ++x)
            for (int c = 0; c < C; ++c)
                out.data[c * plane + std::size_t(y) * W + x] = lut[c][row[x * C + c]];
    }
    return out;
}

/// prepare() with the spec checked and OpenCV's failures (out of memory in resize) turned
/// into Error, so that callers see only mpq::Error.
PreparedImage prepareChecked(const cv::Mat &src, const InputSpec &in, const std::string &name)
{
    checkSpec(in);
    try {
        return prepare(src, in, name);
    } catch (const cv::Exception &e) {
        badImage(name, "cannot prepare: " + e.msg);
    } catch (const std::bad_alloc &) {
        badImage(name, "not enough memory to prepare the image");
    }
}

} // namespace

std::vector<std::string> findImages(const std::string &dir)
{
    std::error_code ec;
    const fs::file_status st = fs::status(dir, ec);
    if (!fs::exists(st))
        badImage(dir, "no such folder");
    if (!fs::is_directory(st))
        badImage(dir, "not a folder");

    std::vector<std::string> files;
    // Unreadable subfolders are skipped; symlinked folders are not followed (no cycles).
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code fileEc;
        if (it->is_regular_file(fileEc) && isImageExtension(it->path()))
            files.push_back(it->path().string());
    }
    if (ec)
        throw Error(ErrorCode::Io, dir + ": cannot list the folder: " + ec.message());
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<std::string> chooseImages(const std::vector<std::string> &files, int count,
                                      std::uint64_t seed)
{
    if (count < 0)
        throw Error(ErrorCode::InvalidArgument,
                    "image count must not be negative, got " + std::to_string(count));
    // Sorted first, so that the choice depends on the set of files, not on the listing order.
    std::vector<std::string> pool = files;
    std::sort(pool.begin(), pool.end());
    if (pool.size() <= std::size_t(count))
        return pool;
    std::mt19937_64 rng(seed);
    // Partial Fisher-Yates: the first count positions are a uniform sample without repetition.
    for (std::size_t i = 0; i < std::size_t(count); ++i)
        std::swap(pool[i], pool[i + uniformBelow(rng, pool.size() - i)]);
    pool.resize(std::size_t(count));
    std::sort(pool.begin(), pool.end());
    return pool;
}

PreparedImage prepareImage(const std::string &path, const InputSpec &input)
{
    // Read the bytes ourselves: the size check needs the header before OpenCV allocates, and
    // imdecode reports a failure as an empty Mat instead of only a log line.
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (!fs::exists(st))
        badImage(path, "no such file");
    if (!fs::is_regular_file(st))
        badImage(path, "not a regular file");
    const std::uintmax_t size = fs::file_size(path, ec);
    if (ec)
        badImage(path, "cannot read: " + ec.message());
    if (size == 0)
        badImage(path, "empty file");
    if (size > kMaxFileBytes)
        badImage(path, "file larger than 1 GiB");

    std::vector<std::uint8_t> bytes(size);
    std::FILE *f = std::fopen(path.c_str(), "rb");
    if (!f)
        badImage(path, std::string("cannot open: ") + std::strerror(errno));
    const std::size_t got = std::fread(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
    bytes.resize(got); // the file may have shrunk meanwhile; the decoder sees what we have
    if (bytes.empty())
        badImage(path, "cannot read: no data");

    std::int64_t w = 0, h = 0;
    if (headerSize(bytes, w, h))
        checkPixelCount(path, w, h);
    if (bytes.size() >= 2 && bytes[0] == 0xff && bytes[1] == 0xd8) {
        bool complete = false;
        jpegInfo(bytes, w, h, complete);
        if (h > 0)
            checkPixelCount(path, w, h);
        if (!complete)
            badImage(path, "truncated or corrupt JPEG (no end-of-image marker after the data)");
    }

    checkSpec(input); // before the work of decoding
    const int flags = input.color == ColorOrder::Gray ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR;
    cv::Mat img;
    try {
        img = cv::imdecode(bytes, flags);
    } catch (const cv::Exception &e) { // e.g. OpenCV's own size limit
        badImage(path, "cannot decode: " + e.msg);
    } catch (const std::bad_alloc &) {
        badImage(path, "not enough memory to decode");
    }
    if (img.empty())
        badImage(path, "cannot decode (not a valid png, jpeg, bmp or webp image, or truncated)");
    // Formats whose header we do not parse still obey the limit, if only after decoding.
    checkPixelCount(path, img.cols, img.rows);
    return prepareChecked(img, input, path);
}

PreparedImage prepareImage(const std::uint8_t *pixels, int rows, int cols, int channels,
                           std::size_t stride, const InputSpec &input)
{
    if (!pixels || rows < 1 || cols < 1)
        throw Error(ErrorCode::EmptyInput, "image is empty (" + std::to_string(cols) + " x " +
                                               std::to_string(rows) + " pixels)");
    if (channels != 1 && channels != 3 && channels != 4)
        throw Error(ErrorCode::InvalidArgument,
                    "image must have 1, 3 or 4 channels, got " + std::to_string(channels));
    if (stride < std::size_t(cols) * std::size_t(channels))
        throw Error(ErrorCode::InvalidArgument,
                    "row stride " + std::to_string(stride) + " is smaller than a row of " +
                        std::to_string(std::size_t(cols) * channels) + " bytes");
    // A read-only view: prepare() never writes to its source.
    const cv::Mat view(rows, cols, CV_8UC(channels), const_cast<std::uint8_t *>(pixels), stride);
    return prepareChecked(view, input, "image in memory");
}

} // namespace mpq
