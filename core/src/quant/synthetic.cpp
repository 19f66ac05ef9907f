#include "mpq/synthetic.h"

#include <cmath>
#include <random>

namespace mpq {

std::vector<float> laplaceMatrix(std::int64_t rows, std::int64_t cols, double scale,
                                 std::uint64_t seed)
{
    std::mt19937_64 engine(seed);
    std::vector<float> out(rows * cols);
    for (float &v : out) {
        // u uniform in (0, 1) from the top 53 bits, never exactly 0 or 1
        const double u = ((engine() >> 11) + 0.5) * (1.0 / 9007199254740992.0);
        const double c = u - 0.5;
        v = static_cast<float>(-scale * (c < 0 ? -1.0 : 1.0) * std::log(1.0 - 2.0 * std::abs(c)));
    }
    return out;
}

} // namespace mpq
