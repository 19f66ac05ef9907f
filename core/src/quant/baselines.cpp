// Single-point baselines of docs/multipoint.md section 6 that are pure weight operations.
#include "mpq/baselines.h"

#include "mpq/error.h"
#include "mpq/grid.h"
#include "mpq/multipoint.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace mpq {

namespace {

void validate(const float *w, std::int64_t rows, std::int64_t cols, int bits)
{
    checkBits(bits);
    if (rows <= 0 || cols <= 0 || !w)
        throw Error(ErrorCode::EmptyInput, "the weight matrix is empty (" + std::to_string(rows) +
                                               " x " + std::to_string(cols) + ")");
    for (std::int64_t i = 0; i < rows * cols; ++i)
        if (!std::isfinite(w[i]))
            throw Error(ErrorCode::NonFinite,
                        std::string("weight ") + (std::isnan(w[i]) ? "NaN" : "Inf") + " at row " +
                            std::to_string(i / cols) + ", column " + std::to_string(i % cols));
}

float maxAbs(const float *w, std::int64_t n)
{
    float m = 0.0f;
    for (std::int64_t i = 0; i < n; ++i)
        m = std::max(m, std::abs(w[i]));
    return m;
}

void quantizeRow(const float *w, std::int64_t n, float scale, int levels, std::int8_t *q)
{
    if (scale == 0.0f) {
        std::fill(q, q + n, std::int8_t(0));
        return;
    }
    const double inv = 1.0 / scale;
    for (std::int64_t j = 0; j < n; ++j)
        q[j] = quantizeToGrid(w[j], inv, levels);
}

} // namespace

std::vector<float> QuantizedMatrix::dequantize() const
{
    std::vector<float> out(rows * cols);
    for (std::int64_t c = 0; c < rows; ++c) {
        const float a = scale(c);
        for (std::int64_t j = 0; j < cols; ++j)
            out[c * cols + j] = a * codes[c * cols + j];
    }
    return out;
}

QuantizedMatrix roundToNearest(const float *w, std::int64_t rows, std::int64_t cols, int bits,
                               Granularity granularity)
{
    validate(w, rows, cols, bits);
    const int L = gridLevels(bits);
    QuantizedMatrix out;
    out.bits = bits;
    out.rows = rows;
    out.cols = cols;
    out.granularity = granularity;
    out.codes.resize(rows * cols);
    if (granularity == Granularity::PerTensor)
        out.scales.assign(1, maxAbs(w, rows * cols) / L);
    else
        for (std::int64_t c = 0; c < rows; ++c)
            out.scales.push_back(maxAbs(w + c * cols, cols) / L);
    for (std::int64_t c = 0; c < rows; ++c)
        quantizeRow(w + c * cols, cols, out.scale(c), L, out.codes.data() + c * cols);
    return out;
}

QuantizedMatrix mseOptimalPerChannel(const float *w, std::int64_t rows, std::int64_t cols, int bits)
{
    DecomposeOptions options;
    options.bits = bits;
    options.maxPoints = 1;
    const MatrixDecomposition d = decompose(w, rows, cols, options);
    QuantizedMatrix out;
    out.bits = bits;
    out.rows = rows;
    out.cols = cols;
    out.granularity = Granularity::PerChannel;
    out.codes.resize(rows * cols);
    for (std::int64_t c = 0; c < rows; ++c) {
        out.scales.push_back(d.scale(c, 0));
        std::copy(d.code(c, 0), d.code(c, 0) + cols, out.codes.data() + c * cols);
    }
    return out;
}

std::vector<float> OcsResult::foldedWeight() const
{
    const std::vector<float> deq = quantized.dequantize();
    std::vector<float> out(rows * inChannels * kernel, 0.0f);
    const std::int64_t rowsPerGroup = rows / groups;
    for (std::int64_t c = 0; c < rows; ++c) {
        const std::int64_t g = c / rowsPerGroup;
        for (std::int64_t k = 0; k < splitInChannels; ++k) {
            const std::int64_t src = sourceChannel[g * splitInChannels + k];
            for (std::int64_t t = 0; t < kernel; ++t)
                out[(c * inChannels + src) * kernel + t] +=
                    deq[(c * splitInChannels + k) * kernel + t];
        }
    }
    return out;
}

OcsResult outlierChannelSplit(const float *w, std::int64_t rows, std::int64_t inChannels,
                              std::int64_t kernel, std::int64_t groups, int bits,
                              double expandRatio, Granularity granularity)
{
    validate(w, rows, inChannels * kernel, bits);
    if (kernel <= 0 || groups <= 0 || rows % groups != 0)
        throw Error(ErrorCode::InvalidArgument,
                    "OCS: " + std::to_string(rows) + " output channels do not split into " +
                        std::to_string(groups) + " groups (kernel size " + std::to_string(kernel) +
                        ")");
    if (!(expandRatio >= 0.0 && expandRatio <= 1.0))
        throw Error(ErrorCode::InvalidArgument,
                    "OCS: the expand ratio must be between 0 and 1, got " +
                        std::to_string(expandRatio));

    const std::int64_t extra = static_cast<std::int64_t>(std::llround(expandRatio * inChannels));
    OcsResult out;
    out.rows = rows;
    out.inChannels = inChannels;
    out.splitInChannels = inChannels + extra;
    out.kernel = kernel;
    out.groups = groups;
    const std::int64_t S = out.splitInChannels;
    out.splitWeight.assign(rows * S * kernel, 0.0f);
    out.sourceChannel.resize(groups * S);

    const std::int64_t rowsPerGroup = rows / groups;
    for (std::int64_t g = 0; g < groups; ++g) {
        std::int64_t *source = out.sourceChannel.data() + g * S;
        for (std::int64_t k = 0; k < inChannels; ++k)
            source[k] = k;
        for (std::int64_t c = g * rowsPerGroup; c < (g + 1) * rowsPerGroup; ++c)
            std::copy(w + c * inChannels * kernel, w + (c + 1) * inChannels * kernel,
                      out.splitWeight.data() + c * S * kernel);
        // largest |w| of each split channel over the group's rows
        std::vector<float> channelMax(S, 0.0f);
        auto channelAbsMax = [&](std::int64_t k) {
            float m = 0.0f;
            for (std::int64_t c = g * rowsPerGroup; c < (g + 1) * rowsPerGroup; ++c)
                m = std::max(m, maxAbs(out.splitWeight.data() + (c * S + k) * kernel, kernel));
            return m;
        };
        for (std::int64_t k = 0; k < inChannels; ++k)
            channelMax[k] = channelAbsMax(k);
        for (std::int64_t e = 0; e < extra; ++e) {
            const std::int64_t live = inChannels + e;
            const std::int64_t k = std::max_element(channelMax.begin(), channelMax.begin() + live) -
                                   channelMax.begin();
            for (std::int64_t c = g * rowsPerGroup; c < (g + 1) * rowsPerGroup; ++c) {
                float *from = out.splitWeight.data() + (c * S + k) * kernel;
                float *to = out.splitWeight.data() + (c * S + live) * kernel;
                for (std::int64_t t = 0; t < kernel; ++t) {
                    from[t] *= 0.5f; // exact in binary floating point
                    to[t] = from[t];
                }
            }
            source[live] = source[k];
            channelMax[k] *= 0.5f;
            channelMax[live] = channelMax[k];
        }
    }
    out.quantized = roundToNearest(out.splitWeight.data(), rows, S * kernel, bits, granularity);
    return out;
}

} // namespace mpq
