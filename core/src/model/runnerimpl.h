#pragma once
// Private: the torch side of mpq::ModelRunner, for the exports that rewrite a runner's graph.

#include "mpq/runner.h"

#include <torch/script.h>

#include <string>

namespace mpq {

struct ModelRunner::Impl
{
    std::string modelPath;
    std::string device;
    torch::jit::Module module;
};

/// The tensor attribute at a dotted path ("layer1.0.conv1.weight") of a module.
at::Tensor attribute(const torch::jit::Module &root, const std::string &path);

} // namespace mpq
