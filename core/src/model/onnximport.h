#pragma once
// Private: importing an ONNX graph as a TorchScript module (docs/onnx.md). The module it builds
// is an ordinary engine model: layers are submodules with `weight`/`bias` parameters called
// through aten::conv1d/conv2d/linear, BatchNormalization is a BatchNorm2d-shaped submodule that
// Model::load folds (docs/multipoint.md section 1), and the forward is TorchScript source
// compiled by torch::jit::Module::define.

#include <torch/script.h>

#include <cstdint>
#include <string>
#include <vector>

namespace mpq {

/// Where a layer submodule came from in the ONNX graph: what the ONNX export needs to write
/// its weights back (docs/onnx.md "Map to the ONNX graph").
struct OnnxLayerSource
{
    std::string module; ///< submodule path in the imported module, e.g. "layer1_0_conv1"
    std::string node;   ///< the ONNX node's name (or "#<index>" when it has none)
    std::string opType; ///< "Conv", "Gemm", "MatMul", "BatchNormalization", ...
    std::string weight; ///< initializer name of the weight (before folding at import)
    std::string bias;   ///< initializer name of the bias, "" if none
    bool weightTransposed =
        false; ///< stored as the transpose of the initializer (Gemm transB=0, MatMul)
};

struct OnnxImport
{
    torch::jit::Module module; ///< forward(self, <one Tensor per graph input>) in eval mode
    std::vector<std::string> inputNames, outputNames;
    /// per input, its declared shape; -1 for a symbolic or unknown dimension
    std::vector<std::vector<std::int64_t>> inputShapes;
    /// per output, its declared shape (-1 symbolic; empty when the file declares none)
    std::vector<std::vector<std::int64_t>> outputShapes;
    std::vector<OnnxLayerSource> layers;
    std::vector<std::string> warnings;
    std::int64_t opset = 0;
};

/// True when the file is to be read as ONNX: a ".onnx" extension, or content that is not a
/// TorchScript zip archive and parses as an ONNX ModelProto with a graph.
bool isOnnxFile(const std::string &path, const std::string &bytes);

/// Imports an ONNX model held in `bytes` (read from `path`, which names the file in messages
/// and locates external data). Throws Error(BadModel, "<path>: <reason>") for a file that does
/// not parse, fails the ONNX checker, needs a newer opset than the library knows, uses an
/// operator or attribute this importer does not support (naming operator and node), or whose
/// external data cannot be read.
OnnxImport importOnnx(const std::string &path, const std::string &bytes);

/// The TorchScript archive of an import (what Model::Impl keeps to make independent instances).
std::string saveImport(OnnxImport &import);

/// Reads a serialized onnx.TensorProto file (the node tests' input_0.pb, output_0.pb).
at::Tensor readOnnxTensorFile(const std::string &path);

} // namespace mpq
