#include "util/atomicfile.h"

#include "mpq/error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

namespace mpq {

void writeFileAtomically(const std::string &path, const std::string &bytes)
{
    namespace fs = std::filesystem;
    std::random_device entropy;
    const std::string temp = path + ".tmp-" + std::to_string(entropy() % 1000000);
    std::FILE *f = std::fopen(temp.c_str(), "wb");
    if (!f)
        throw Error(ErrorCode::Io, path + ": cannot write (" + std::strerror(errno) + ")");
    const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    const int writeErrno = errno;
    const bool flushed = std::fflush(f) == 0;
    const int flushErrno = errno;
    const bool closed = std::fclose(f) == 0;
    if (!written || !flushed || !closed) {
        std::error_code ignored;
        fs::remove(temp, ignored);
        throw Error(ErrorCode::Io, path + ": cannot write (" +
                                       std::strerror(!written   ? writeErrno
                                                     : !flushed ? flushErrno
                                                                : errno) +
                                       ")");
    }
    std::error_code ec;
    fs::rename(temp, path, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(temp, ignored);
        throw Error(ErrorCode::Io, path + ": cannot replace the file (" + ec.message() + ")");
    }
}

} // namespace mpq
