#pragma once
// Byte-level builders of broken and hostile input files for the hardening suites: no Qt, no
// torch, so both the core and the CLI suite can use them. Every function returns the file's
// bytes; writing them is the caller's business.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace badfiles {

inline std::uint32_t crc32(const std::string &bytes, std::uint32_t crc = 0)
{
    crc = ~crc;
    for (unsigned char c : bytes) {
        crc ^= c;
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

inline std::string be32(std::uint32_t v)
{
    return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}
inline std::string le16(std::uint32_t v)
{
    return {char(v), char(v >> 8)};
}
inline std::string le32(std::uint32_t v)
{
    return le16(v & 0xffff) + le16(v >> 16);
}

inline std::string pngChunk(const std::string &type, const std::string &data)
{
    return be32(std::uint32_t(data.size())) + type + data + be32(crc32(type + data));
}

/// A well-formed PNG signature and IHDR (8-bit RGB) stating width x height, then an IDAT with a
/// few bytes of a zlib stream that ends far too early, then IEND: the header is valid, the
/// pixel data is not there. A decoder that trusts the header allocates width * height * 3.
inline std::string pngWithHeader(std::uint32_t width, std::uint32_t height)
{
    const std::string ihdr = be32(width) + be32(height) + std::string("\x08\x02\x00\x00\x00", 5);
    // zlib header (78 9c) and a stored block of 4 bytes that promises more rows than exist
    const std::string idat("\x78\x9c\x01\x04\x00\xfb\xff\x00\x00\x00\x00", 11);
    return std::string("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", ihdr) + pngChunk("IDAT", idat) +
           pngChunk("IEND", "");
}

/// JPEG start-of-image, a baseline frame header stating width x height (3 components), and
/// a start of scan with no entropy-coded data and no end-of-image marker.
inline std::string jpegWithHeader(std::uint32_t width, std::uint32_t height)
{
    std::string s("\xff\xd8", 2);
    s += std::string("\xff\xc0\x00\x11\x08", 5) + char(height >> 8) + char(height) +
         char(width >> 8) + char(width) +
         std::string("\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01", 10);
    s += std::string("\xff\xda\x00\x0c\x03\x01\x00\x02\x11\x03\x11\x00\x3f\x00", 14);
    return s;
}

/// A BMP (BITMAPINFOHEADER, 24 bits) stating width x height with only a few bytes of pixels.
inline std::string bmpWithHeader(std::uint32_t width, std::uint32_t height)
{
    std::string info = le32(40) + le32(width) + le32(height) + le16(1) + le16(24) + le32(0) +
                       le32(0) + le32(2835) + le32(2835) + le32(0) + le32(0);
    std::string s = "BM" + le32(14 + 40 + 16) + le32(0) + le32(14 + 40) + info;
    return s + std::string(16, '\x7f');
}

/// A valid ZIP archive (stored, no compression) holding one file: the container format of
/// TorchScript, but without its data.pkl/constants/code layout.
inline std::string zipWithFile(const std::string &name, const std::string &content)
{
    const std::uint32_t crc = crc32(content);
    const std::uint32_t size = std::uint32_t(content.size());
    const std::string common = le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21) + le32(crc) +
                               le32(size) + le32(size) + le16(std::uint32_t(name.size())) + le16(0);
    const std::string local = le32(0x04034b50) + common + name + content;
    const std::string central = le32(0x02014b50) + le16(20) + common + le16(0) + le16(0) + le16(0) +
                                le32(0) + le32(0) + name;
    const std::string end = le32(0x06054b50) + le16(0) + le16(0) + le16(1) + le16(1) +
                            le32(std::uint32_t(central.size())) +
                            le32(std::uint32_t(local.size())) + le16(0);
    return local + central + end;
}

/// size pseudo-random bytes, the same for the same seed.
inline std::string randomBytes(std::size_t size, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    std::string s(size, '\0');
    for (char &c : s)
        c = char(rng() & 0xff);
    return s;
}

} // namespace badfiles
