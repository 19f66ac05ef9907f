#pragma once

#include <cstdint>

namespace mpq {

/// Bit widths the engine supports (docs/multipoint.md section 1).
constexpr int kMinBits = 2;
constexpr int kMaxBits = 8;

/// Throws Error(InvalidArgument) unless kMinBits <= bits <= kMaxBits.
void checkBits(int bits);

/// L = 2^(bits-1) - 1: the b-bit signed symmetric grid is the integers {-L, ..., L}.
/// Throws like checkBits.
int gridLevels(int bits);

/// clip(round(x / scale), -L, L) with rounding half away from zero. inverseScale = 1/scale > 0;
/// x must be finite (validated by the callers).
inline std::int8_t quantizeToGrid(double x, double inverseScale, int levels)
{
    const double v = x * inverseScale;
    // clip before converting, so huge ratios never overflow the integer cast
    if (v >= levels)
        return static_cast<std::int8_t>(levels);
    if (v <= -levels)
        return static_cast<std::int8_t>(-levels);
    // round half away from zero without calling std::round (hot path)
    return v >= 0 ? static_cast<std::int8_t>(static_cast<int>(v + 0.5))
                  : static_cast<std::int8_t>(-static_cast<int>(-v + 0.5));
}

} // namespace mpq
