#pragma once

#include <cstdint>
#include <vector>

namespace mpq {

/// One scale per output channel (row) or one for the whole matrix.
enum class Granularity { PerChannel, PerTensor };

/// A single-point quantized matrix: w[c][j] ~ scale(c) * codes[c][j], codes in -L..L.
struct QuantizedMatrix
{
    int bits = 0;
    std::int64_t rows = 0;
    std::int64_t cols = 0;
    Granularity granularity = Granularity::PerChannel;
    std::vector<float> scales; ///< rows entries, or 1 for PerTensor
    std::vector<std::int8_t> codes;

    float scale(std::int64_t row) const
    {
        return granularity == Granularity::PerTensor ? scales[0] : scales[row];
    }
    /// Row-major rows x cols.
    std::vector<float> dequantize() const;
};

/// Round-to-nearest with a = max|w| / L per row (PerChannel) or over the matrix (PerTensor).
/// An all-zero row or matrix gets scale 0 and zero codes. Throws Error like decompose().
QuantizedMatrix roundToNearest(const float *w, std::int64_t rows, std::int64_t cols, int bits,
                               Granularity granularity);

/// Per-channel scale minimizing ||w_c - a q||_2: the exact multipoint step with one point.
QuantizedMatrix mseOptimalPerChannel(const float *w, std::int64_t rows, std::int64_t cols,
                                     int bits);

/// Outlier channel splitting (Zhao et al. 2019) of a layer weight viewed as
/// rows x (groups' input channels) x kernel: rows = C_out, inChannels = C_in / groups,
/// kernel = kh * kw (1 for Linear). Repeatedly the input channel holding the largest |w| (within
/// a group) is halved and duplicated; the split model feeds the duplicated channel its
/// original input again, so W' x' = W x exactly before rounding. Each group gets
/// round(expandRatio * inChannels) extra channels, so a grouped layer stays grouped.
struct OcsResult
{
    std::int64_t rows = 0;
    std::int64_t inChannels = 0;      ///< per group, before splitting
    std::int64_t splitInChannels = 0; ///< per group, after splitting
    std::int64_t kernel = 0;
    std::int64_t groups = 1;
    /// For group g and split channel k: the original channel (within the group) it reads,
    /// at [g * splitInChannels + k]. The first inChannels entries of a group are 0..inChannels-1.
    std::vector<std::int64_t> sourceChannel;
    /// rows x splitInChannels x kernel, before rounding.
    std::vector<float> splitWeight;
    /// splitWeight rounded to nearest at the requested granularity.
    QuantizedMatrix quantized;

    /// The quantized split layer folded back to the original shape (rows x inChannels x
    /// kernel): each original channel's weight is the sum of its quantized copies. Running the
    /// original layer with it gives exactly the quantized split model's output.
    std::vector<float> foldedWeight() const;
};

OcsResult outlierChannelSplit(const float *w, std::int64_t rows, std::int64_t inChannels,
                              std::int64_t kernel, std::int64_t groups, int bits,
                              double expandRatio,
                              Granularity granularity = Granularity::PerChannel);

} // namespace mpq
