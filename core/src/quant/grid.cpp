#include "mpq/grid.h"

#include "mpq/error.h"

#include <algorithm>
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

int extraPointBits(int bits, int setting)
{
    checkBits(bits);
    if (setting < 0 || setting > kMaxBits)
        throw Error(ErrorCode::InvalidArgument,
                    "extra-point bits must be 0 (the same as the bits) or 1.." +
                        std::to_string(kMaxBits) + ", got " + std::to_string(setting));
    return setting == 0 ? bits : std::min(setting, bits);
}

int extraPointLevels(int extraBits)
{
    return extraBits == 1 ? 1 : gridLevels(extraBits);
}

} // namespace mpq
