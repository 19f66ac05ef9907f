#pragma once
// The profile of mpqtest::saveConvNet's model (testmodels.h), for the suites that analyse it.
#include "mpq/profile.h"

namespace mpqtest {

/// The profile saveConvNet's model is fed with: 12x10 RGB, mean 0.5, std 0.25 per channel.
inline mpq::ModelProfile convNetProfile()
{
    mpq::ModelProfile p;
    p.input.width = 12;
    p.input.height = 10;
    p.input.mean.assign(3, 0.5);
    p.input.std.assign(3, 0.25);
    return p;
}

} // namespace mpqtest
