#pragma once

// A small but realistic mpq::Analysis for widget tests, without a model or images: each layer's
// weight is a Laplace matrix, really decomposed; its curves follow the decomposition's weight
// residual, e_c(n) = s_c * (||r_n|| / ||w_c||)^2 * f_c with a per-channel factor f_c, so they
// fall with n like real output errors do.

#include "mpq/analysis.h"
#include "mpq/multipoint.h"
#include "mpq/synthetic.h"

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace mpqtest {

struct SyntheticLayer
{
    std::string name;
    mpq::LayerKind kind = mpq::LayerKind::Conv2d;
    std::int64_t channels = 8;
    std::int64_t inChannels = 3;
    std::int64_t kernel = 3; ///< kh = kw; 1 for Linear
};

struct SyntheticAnalysis
{
    std::shared_ptr<const mpq::Analysis> analysis;
    std::vector<std::vector<float>> weights; ///< per layer, C_out x d row-major
};

inline SyntheticAnalysis makeAnalysis(const std::vector<SyntheticLayer> &layers, int bits = 4,
                                      int maxPoints = 4, std::uint64_t seed = 1)
{
    auto analysis = std::make_shared<mpq::Analysis>();
    analysis->settings.bits = bits;
    analysis->settings.maxPoints = maxPoints;
    SyntheticAnalysis out;
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const SyntheticLayer &spec = layers[l];
        mpq::LayerInfo info;
        info.name = spec.name;
        info.kind = spec.kind;
        info.outChannels = spec.channels;
        if (spec.kind == mpq::LayerKind::Linear) {
            info.d = spec.inChannels;
            info.weightShape = {spec.channels, spec.inChannels};
        } else {
            info.d = spec.inChannels * spec.kernel * spec.kernel;
            info.weightShape = {spec.channels, spec.inChannels, spec.kernel, spec.kernel};
            info.stride = info.padding = info.dilation = {1, 1};
        }
        info.callSites = 1;
        std::vector<float> w = mpq::laplaceMatrix(info.outChannels, info.d, 0.05, seed + l);
        mpq::DecomposeOptions options;
        options.bits = bits;
        options.maxPoints = maxPoints;
        mpq::MatrixDecomposition dec = mpq::decompose(w.data(), info.outChannels, info.d, options);

        mpq::LayerCurves curves;
        curves.name = info.name;
        curves.bits = bits;
        curves.maxPoints = maxPoints;
        curves.channels = info.outChannels;
        curves.d = info.d;
        curves.outputPositions = 64;
        curves.signal.resize(std::size_t(info.outChannels));
        curves.error.resize(std::size_t(info.outChannels * maxPoints));
        for (std::int64_t c = 0; c < info.outChannels; ++c) {
            const double s = (0.5 + unit(rng)) * double(info.d);
            const double factor = 0.2 + 4.0 * unit(rng) * unit(rng);
            curves.signal[std::size_t(c)] = s;
            const double w0 = dec.residualNorm(c, 0);
            for (int n = 1; n <= maxPoints; ++n) {
                const double r = dec.residualNorm(c, n) / w0;
                curves.error[std::size_t(c * maxPoints + n - 1)] = s * r * r * factor;
            }
        }
        analysis->layers.push_back(info);
        analysis->decompositions.push_back(std::move(dec));
        analysis->maxFirst.emplace_back(std::size_t(info.outChannels), std::uint8_t(0));
        analysis->curves.push_back(std::move(curves));
        analysis->activations.push_back({-1.0f, 1.0f});
        analysis->callsPerForward.push_back(1.0);
        out.weights.push_back(std::move(w));
    }
    out.analysis = analysis;
    return out;
}

/// Four layers of different widths, the third a Linear.
inline SyntheticAnalysis makeSmallAnalysis()
{
    return makeAnalysis({{"conv1", mpq::LayerKind::Conv2d, 8, 3, 3},
                         {"layer2.conv", mpq::LayerKind::Conv2d, 16, 8, 3},
                         {"fc", mpq::LayerKind::Linear, 10, 32, 1},
                         {"layer10.conv", mpq::LayerKind::Conv2d, 12, 4, 1}});
}

} // namespace mpqtest
