#pragma once
// Private: what a model's forward takes, shared by every place that runs a model on images
// (the runner for evaluation and exports, the calibration pass of the analysis).

#include <torch/script.h>

#include <vector>

namespace mpq {

/// The forward arguments of `module` for a (B, C, H, W) batch of prepared images: the batch
/// itself, or, when the forward takes a list of images (scripted torchvision detection models:
/// forward(images: List[Tensor], targets=None)), the list of its B (C, H, W) images.
std::vector<c10::IValue> forwardArguments(const torch::jit::Module &module,
                                          const at::Tensor &batch);

} // namespace mpq
