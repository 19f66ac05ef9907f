#include "util/atomicfile.h"

#include "mpq/error.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

namespace mpq {

void writeFileAtomically(const std::string &path, const std::string &bytes)
{
    namespace fs = std::filesystem;
    const auto fail = [&](const std::string &reason) {
        throw Error(ErrorCode::Io, path + ": " + reason);
    };

    // A fresh, exclusively created temp file beside the destination, so that the final rename
    // stays on one file system and readers see either the old or the new content whole.
    std::string tmp;
    std::FILE *f = nullptr;
    std::mt19937_64 rng(std::random_device{}() ^
                        std::uint64_t(std::chrono::steady_clock::now().time_since_epoch().count()));
    for (int attempt = 0; attempt < 100 && !f; ++attempt) {
        char suffix[16];
        std::snprintf(suffix, sizeof suffix, "%08x", unsigned(rng() & 0xffffffffu));
        tmp = path + ".tmp-" + suffix;
        f = std::fopen(tmp.c_str(), "wbx"); // "x": O_EXCL, never reuse someone else's file
        if (!f && errno != EEXIST)
            fail(std::string("cannot create a temporary file: ") + std::strerror(errno));
    }
    if (!f)
        fail("cannot create a temporary file: too many name collisions");

    const auto discard = [&](const std::string &reason) {
        std::error_code ec;
        fs::remove(tmp, ec);
        fail(reason);
    };
    bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    int err = errno;
    if (ok && std::fflush(f) != 0) {
        ok = false;
        err = errno;
    }
#if defined(__unix__) || defined(__APPLE__)
    // Without fsync a crash shortly after the rename can leave an empty file on some file
    // systems, which is exactly what the temp-file dance is meant to prevent.
    if (ok && ::fsync(::fileno(f)) != 0) {
        ok = false;
        err = errno;
    }
#endif
    if (std::fclose(f) != 0 && ok) {
        ok = false;
        err = errno;
    }
    if (!ok)
        discard(std::string("cannot write: ") + std::strerror(err));

    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec)
        discard("cannot replace the file: " + ec.message());
}

} // namespace mpq
