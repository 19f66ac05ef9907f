#pragma once

#include <stdexcept>
#include <string>

namespace mpq {

/// What went wrong, for callers that react differently (exit codes, message boxes).
enum class ErrorCode {
    InvalidArgument, ///< a parameter out of its documented range (bits, points, sizes)
    EmptyInput,      ///< a tensor or vector with no elements
    NonFinite,       ///< NaN or Inf in data that must be finite
    Cancelled,       ///< the caller's cancel check returned true
    BadModel,        ///< a model file that cannot be loaded or has nothing to quantize
    BadProfile,      ///< a model profile (JSON sidecar) that is malformed or inconsistent
    BadImage,        ///< an image file that cannot be read or decoded
    BadAnalysis,     ///< a saved analysis that is corrupt or belongs to another model/settings
    BadAnnotation,   ///< a ground-truth annotation file (Pascal VOC XML) that cannot be parsed
    Io,              ///< a file that cannot be written or read (disk full, no permission, ...)
};

/// The core's only exception type. what() is a complete technical sentence; front ends
/// translate the code and may show what() as detail.
class Error : public std::runtime_error
{
public:
    Error(ErrorCode code, const std::string &message)
        : std::runtime_error(message)
        , m_code(code)
    {}
    ErrorCode code() const noexcept { return m_code; }

private:
    ErrorCode m_code;
};

} // namespace mpq
