#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mpq {

enum class LayerKind { Conv1d, Conv2d, Linear };

/// Text for a kind: "conv1d", "conv2d", "linear".
const char *layerKindName(LayerKind kind);

/// A quantizable layer found in the model's forward graph. Immutable once made.
struct LayerInfo
{
    std::string name; ///< parameter path without ".weight", e.g. "layer1.0.conv1"
    /// The parameter paths of the weight ("layer1.0.conv1.weight", or "fc_weight" for a
    /// parameter of the root module) and of the bias the operation adds (empty: none or not a
    /// parameter). Filled by Model::load; not stored in saved analyses.
    std::string weightPath, biasPath;
    LayerKind kind = LayerKind::Conv2d;
    std::vector<std::int64_t>
        weightShape; ///< as stored: (C_out, C_in/groups, kh, kw), (C_out, C_in)
    std::int64_t outChannels = 0;
    std::int64_t d = 0; ///< weights per output channel: (C_in/groups) * kh * kw, or in_features
    std::vector<std::int64_t> stride, padding, dilation; ///< empty for Linear
    std::string paddingMode;                             ///< "same"/"valid" when given as a string
    std::int64_t groups = 1;
    bool hasBias = false;
    std::string foldedBatchNorm;      ///< path of the BatchNorm folded into it, empty if none
    int callSites = 0;                ///< graph nodes that use this weight (in loops: counted once)
    std::vector<std::string> aliases; ///< other parameter paths sharing the same weight tensor
};

/// The file format a model was read from (docs/onnx.md section 1).
enum class ModelFormat { TorchScript, Onnx };

/// A graph input or output as an ONNX file declares it (docs/onnx.md section 1).
struct TensorDecl
{
    std::string name;
    std::vector<std::int64_t> shape; ///< -1 for a symbolic or unknown dimension; empty: undeclared
};

/// A loaded TorchScript model and what the engine knows about it. Move-only.
/// Thread safety: const members may be called concurrently; the model is never modified after
/// load (quantized versions are separate instances, see apply.h).
class Model
{
public:
    /// Loads a TorchScript file (scripted or traced) on a device ("cpu", "cuda", "cuda:1"),
    /// switches it to eval mode, finds the quantizable layers and folds BatchNorms.
    /// Throws Error(BadModel, "<path>: <reason>") for a missing, truncated or foreign file, a
    /// model whose forward cannot be analysed, or one with no quantizable layer; and
    /// Error(NonFinite) naming the layer for NaN/Inf weights.
    static Model load(const std::string &path, const std::string &device = "cpu");

    Model(Model &&) noexcept;
    Model &operator=(Model &&) noexcept;
    ~Model();

    const std::string &path() const;
    const std::string &device() const;
    /// SHA-256 of the file's bytes, lower-case hex.
    const std::string &sha256() const;
    const std::vector<LayerInfo> &layers() const;
    /// TorchScript, or Onnx for a model imported from an ONNX file: what the ONNX exports need.
    ModelFormat format() const;
    /// For an ONNX source, the graph's inputs and outputs as the file declares them (what a
    /// profile guess reads: docs/onnx.md); empty for TorchScript.
    const std::vector<TensorDecl> &declaredInputs() const;
    const std::vector<TensorDecl> &declaredOutputs() const;
    /// Layers skipped during discovery and why (non-constant parameters, transposed convs...).
    const std::vector<std::string> &warnings() const;

    /// BN-folded weight of layer i, C_out x d row-major, and its bias (C_out, zeros if none).
    const std::vector<float> &foldedWeight(std::size_t layer) const;
    const std::vector<float> &foldedBias(std::size_t layer) const;

    struct Impl;
    Impl &impl() const { return *m_impl; }

private:
    explicit Model(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace mpq
