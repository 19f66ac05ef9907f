#include "mpq/grid.h"

#include "mpq/error.h"

#include <string>

namespace mpq {

void checkBits(int bits)
{
    if (bits < kMinBits || bits > kMaxBits)
        throw Error(ErrorCode::InvalidArgument, "bits must be between " + std::to_string(kMinBits) +
                                                    " and " + std::to_string(kMaxBits) + ", got " +
                                                    std::to_string(bits));
}

int gridLevels(int bits)
{
    checkBits(bits);
    return (1 << (bits - 1)) - 1;
}

} // namespace mpq
