// Model files: reading them, telling TorchScript from ONNX, and checking a TorchScript archive's
// stored members against their CRC-32.
#include "model/modelparts.h"

#include "model/onnximport.h"
#include "mpq/error.h"
#include "mpq/modelformat.h"

#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace mpq {

namespace {

std::uint32_t crc32(const char *data, std::size_t size)
{
    static const auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
            t[i] = c;
        }
        return t;
    }();
    std::uint32_t crc = 0xffffffffu;
    for (std::size_t i = 0; i < size; ++i)
        crc = table[(crc ^ std::uint8_t(data[i])) & 0xff] ^ (crc >> 8);
    return ~crc;
}

} // namespace

/// TorchScript files are zip archives, and LibTorch's reader does not check the CRC-32 of the
/// members it reads (PyTorch builds miniz without it): a damaged tensor record loads silently
/// as different weights. This checks every stored (uncompressed) member, which is where the
/// tensors are, against the CRC in the central directory, and returns the name of the first
/// one that fails. Archives it does not understand (no zip, zip64 fields) pass unchecked and
/// are left to torch::jit::load.
std::string damagedZipMember(const std::string &b)
{
    const auto u16 = [&](std::size_t p) {
        return std::uint32_t(std::uint8_t(b[p])) | std::uint32_t(std::uint8_t(b[p + 1])) << 8;
    };
    const auto u32 = [&](std::size_t p) { return u16(p) | u16(p + 2) << 16; };
    if (b.size() < 22)
        return {};
    // The end-of-central-directory record: within the last 64 KiB + 22 bytes (comment).
    std::size_t eocd = std::string::npos;
    for (std::size_t i = b.size() - 22;; --i) {
        if (u32(i) == 0x06054b50u) {
            eocd = i;
            break;
        }
        if (i == 0 || b.size() - i > 65557)
            break;
    }
    if (eocd == std::string::npos)
        return {};
    const std::uint32_t count = u16(eocd + 10), cdSize = u32(eocd + 12), cdOffset = u32(eocd + 16);
    if (count == 0xffffu || cdOffset == 0xffffffffu || std::uint64_t(cdOffset) + cdSize > b.size())
        return {};
    std::size_t p = cdOffset;
    for (std::uint32_t entry = 0; entry < count; ++entry) {
        if (p + 46 > b.size() || u32(p) != 0x02014b50u)
            return {};
        const std::uint32_t method = u16(p + 10), crc = u32(p + 16), packed = u32(p + 20),
                            size = u32(p + 24), nameLength = u16(p + 28), extraLength = u16(p + 30),
                            commentLength = u16(p + 32), offset = u32(p + 42);
        if (p + 46 + nameLength > b.size())
            return {};
        const std::string name = b.substr(p + 46, nameLength);
        p += 46 + std::size_t(nameLength) + extraLength + commentLength;
        if (method != 0 || packed != size || size == 0xffffffffu || offset == 0xffffffffu)
            continue;
        if (std::uint64_t(offset) + 30 > b.size() || u32(offset) != 0x04034b50u)
            return name;
        const std::uint64_t data = std::uint64_t(offset) + 30 + u16(offset + 26) + u16(offset + 28);
        if (data + size > b.size() || crc32(b.data() + data, size) != crc)
            return name;
    }
    return {};
}

// The bytes of a model file; Error(BadModel) naming the file when it cannot be read.
std::string readModelFile(const std::string &path)
{
    // A folder opens as a stream on Linux and then reads as empty; say what it is.
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw Error(ErrorCode::BadModel, path + ": is a folder, not a model file");
    std::ifstream file(path, std::ios::binary);
    if (!file)
        throw Error(ErrorCode::BadModel, path + ": cannot open the file");
    std::ostringstream content;
    content << file.rdbuf();
    if (file.bad())
        throw Error(ErrorCode::BadModel, path + ": cannot read the file");
    return content.str();
}

ModelFormat modelFileFormat(const std::string &path)
{
    return isOnnxFile(path, readModelFile(path)) ? ModelFormat::Onnx : ModelFormat::TorchScript;
}

void requireOnnxSource(const std::string &path, ModelFormat format)
{
    if (format != ModelFormat::Onnx)
        throw Error(ErrorCode::InvalidArgument,
                    path + ": ONNX export needs an ONNX source model; TorchScript to ONNX "
                           "conversion is PyTorch's Python exporter");
}

} // namespace mpq
