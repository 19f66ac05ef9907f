#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mpq {

/// One output tensor of a forward, on the CPU, as float.
struct OutputTensor
{
    std::string name; ///< the dict key when the output was a dict ("boxes", "scores"...), else ""
    std::vector<std::int64_t> shape;
    std::vector<float> data;

    std::int64_t dim(int i) const { return shape.at(i < 0 ? shape.size() + i : i); }
};

} // namespace mpq
