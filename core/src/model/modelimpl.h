#pragma once
// Private: the torch side of mpq::Model, shared by the model, calibration and apply code.

#include "mpq/model.h"

#include <torch/script.h>

#include <map>
#include <string>
#include <vector>

namespace mpq {

/// How to run one layer's operation on other weights (the graph node's constant arguments).
struct LayerOp
{
    LayerKind kind = LayerKind::Conv2d;
    std::vector<std::int64_t> stride, padding, dilation;
    std::string paddingMode; ///< non-empty: string padding ("same", "valid")
    std::int64_t groups = 1;
    /// y = op(x, weight, bias) with weight in the stored shape; bias may be undefined.
    at::Tensor run(const at::Tensor &x, const at::Tensor &weight,
                   const at::Tensor &bias = {}) const;
};

struct Model::Impl
{
    std::string path;
    std::string device;
    std::string sha256;
    std::string bytes; ///< the file, to make independent instances (quantized clones)
    torch::jit::Module module;
    std::vector<LayerInfo> layers;
    std::vector<LayerOp> ops;
    std::vector<std::vector<float>> foldedWeights;
    std::vector<std::vector<float>> foldedBiases;
    /// per layer, the folded BatchNorm's eps (when folded)
    std::vector<double> batchNormEps;
    std::vector<std::string> warnings;
    ModelFormat format = ModelFormat::TorchScript;
    std::vector<TensorDecl> declaredInputs, declaredOutputs; ///< ONNX sources only

    /// Layer index by weight parameter path, aliases included: how graph sites (LayerSite) are
    /// matched to layers.
    std::map<std::string, std::size_t> layerByWeightPath() const;

    /// A fresh, independent instance of the model (own compilation unit and parameters), in
    /// eval mode on the model's device: safe to edit its graph and weights.
    torch::jit::Module instantiate() const;
};

/// The forward graph of `module`, inlined (callees expanded) in place.
std::shared_ptr<torch::jit::Graph> inlinedForward(torch::jit::Module &module);

/// Graph nodes that are a quantizable layer's operation, in every block; with the parameter
/// path of their weight. Shared by discovery and instrumentation so they always agree.
struct LayerSite
{
    torch::jit::Node *node = nullptr;
    std::string weightPath; ///< e.g. "layer1.0.conv1.weight"
    LayerKind kind = LayerKind::Conv2d;
};
std::vector<LayerSite> findLayerSites(torch::jit::Graph &graph, std::vector<std::string> &skipped);

/// The path of a value made by a chain of prim::GetAttr from the graph's self, or "".
std::string attributePath(const torch::jit::Value *value);

} // namespace mpq
