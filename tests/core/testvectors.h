#pragma once
// Reproducible random vectors for the engine tests: smooth, heavy-tailed, tied and sparse; and
// the quadratic form the output-aware rounding tests measure errors with.

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace mpqtest {

inline std::vector<double> randomVector(std::mt19937_64 &rng, int d, int kind)
{
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(-1.0, 1.0);
    std::exponential_distribution<double> expo(1.0);
    std::vector<double> r(d);
    for (int j = 0; j < d; ++j) {
        switch (kind % 4) {
        case 0:
            r[j] = normal(rng);
            break;
        case 1:
            r[j] = (uniform(rng) < 0 ? -1 : 1) * expo(rng);
            break; // Laplace
        case 2:
            r[j] = std::round(uniform(rng) * 4.0) * 0.25;
            break; // many ties and zeros
        default:
            r[j] = uniform(rng) < -0.6 ? normal(rng) * 10.0 : 0.0; // sparse, outliers
        }
    }
    return r;
}

inline double squaredNorm(const std::vector<double> &r)
{
    double s = 0.0;
    for (double v : r)
        s += v * v;
    return s;
}

inline double squaredError(const std::vector<double> &r, double a,
                           const std::vector<std::int8_t> &q)
{
    double s = 0.0;
    for (size_t j = 0; j < r.size(); ++j) {
        const double e = r[j] - a * q[j];
        s += e * e;
    }
    return s;
}

/// r^T H r for the d x d matrix H (row-major), d = r.size(): a weight error's output energy
/// under the input Gram H (docs/multipoint.md section 10).
inline double quadratic(const std::vector<double> &r, const double *H)
{
    const std::size_t d = r.size();
    double s = 0.0;
    for (std::size_t j = 0; j < d; ++j)
        for (std::size_t k = 0; k < d; ++k)
            s += r[j] * H[j * d + k] * r[k];
    return s;
}

} // namespace mpqtest
