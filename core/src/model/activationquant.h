#pragma once
// Private: the per-tensor affine quantization of a quantized layer's input, from its calibration
// range. One definition for the runner, which fake-quantizes with it, and the integer package,
// which writes its numbers (docs/integer-package.md, "Activation quantization").

#include "mpq/analysis.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace mpq {

struct ActivationQuantization
{
    bool active = false; ///< false: the range is empty (the layer never saw a non-zero input)
    double scale = 0.0;
    std::int64_t zeroPoint = 0;
    std::int64_t quantMin = 0;
    std::int64_t quantMax = 0;
};

/// The range [min(0, r.min), max(0, r.max)] mapped onto 0..2^bits - 1: scale = (hi - lo) /
/// (2^bits - 1), zero point round(-lo / scale). x is then quantized as
/// q = clamp(round(x / scale) + zeroPoint, quantMin, quantMax) and read back as
/// (q - zeroPoint) * scale (aten::fake_quantize_per_tensor_affine).
inline ActivationQuantization activationQuantization(const ActivationRange &r, int bits)
{
    ActivationQuantization q;
    const double lo = std::min(0.0, double(r.min)), hi = std::max(0.0, double(r.max));
    if (bits <= 0 || hi - lo <= 0.0)
        return q;
    q.quantMax = (std::int64_t(1) << bits) - 1;
    q.scale = (hi - lo) / double(q.quantMax);
    q.zeroPoint = std::llround(-lo / q.scale);
    q.active = true;
    return q;
}

} // namespace mpq
