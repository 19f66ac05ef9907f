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

} // namespace mpq
