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

/// The bits of a decomposition's points after the first (docs/multipoint.md section 11):
/// `setting` 0 means the same as `bits` (the paper); 1 is a sign point (codes -1 and +1, one bit
/// per weight); 2..bits the `setting`-bit grid. A setting above `bits` is capped at `bits` (a
/// Bits pin below the analysis' bit width). Throws Error(InvalidArgument) for a setting outside
/// 0..kMaxBits or bits outside kMinBits..kMaxBits.
int extraPointBits(int bits, int setting);

/// L of the grid of an extra point at `extraBits` (from extraPointBits): gridLevels, and 1 for
/// sign points (codes -1, +1; 0 only for a zero residual).
int extraPointLevels(int extraBits);

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
