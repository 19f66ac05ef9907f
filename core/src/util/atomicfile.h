#pragma once

#include <string>

namespace mpq {

/// Writes bytes to path atomically: a temporary file in the same folder, flushed and closed,
/// then renamed over path. On any failure the temporary file is removed, an existing file at
/// path is untouched, and Error(Io, "<path>: <reason>") is thrown.
void writeFileAtomically(const std::string &path, const std::string &bytes);

} // namespace mpq
