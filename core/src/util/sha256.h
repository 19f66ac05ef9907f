#pragma once

#include <string>

namespace mpq {

/// SHA-256 (FIPS 180-4) of a byte string, as 64 lower-case hex digits.
std::string sha256Hex(const std::string &bytes);

} // namespace mpq
