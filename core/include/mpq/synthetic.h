#pragma once

#include <cstdint>
#include <vector>

namespace mpq {

/// rows x cols values drawn from a Laplace distribution (mean 0, scale b), row-major: the
/// usual shape of trained weights. Reproducible on every platform for a given seed (own
/// inverse-CDF transform over std::mt19937_64).
std::vector<float> laplaceMatrix(std::int64_t rows, std::int64_t cols, double scale,
                                 std::uint64_t seed);

} // namespace mpq
