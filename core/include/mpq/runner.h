#pragma once

#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/images.h"
#include "mpq/model.h"
#include "mpq/tensor.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace mpq {

/// A runnable instance of a model: the float original or a quantized clone. Move-only; one
/// caller at a time (use one runner per thread).
class ModelRunner
{
public:
    ModelRunner(ModelRunner &&) noexcept;
    ModelRunner &operator=(ModelRunner &&) noexcept;
    ~ModelRunner();

    /// Runs the forward on a batch of prepared images (all the same size). Tuples, lists and
    /// dicts in the output are flattened in order; non-tensor outputs are dropped.
    /// Throws Error(BadModel, "<model>: ...") when the forward fails (wrong input size...).
    std::vector<OutputTensor> run(const std::vector<PreparedImage> &batch);

    /// Saves this instance as a TorchScript file (loadable by LibTorch and Python's
    /// torch.jit.load), with `extraFiles` stored beside the code (Python reads them with
    /// torch.jit.load(path, _extra_files={name: ""})). Written atomically: Error(Io, "<path>: ...")
    /// on failure, nothing left behind, an existing file untouched.
    void save(const std::string &path,
              const std::vector<std::pair<std::string, std::string>> &extraFiles = {});

    struct Impl;
    Impl &impl() { return *m_impl; }
    explicit ModelRunner(std::unique_ptr<Impl> impl);

private:
    std::unique_ptr<Impl> m_impl;
};

/// A TorchScript file saved by ModelRunner::save (or any TorchScript file), loaded as a runner.
/// `extraFiles` names are filled with their contents when present. Error(BadModel) otherwise.
ModelRunner loadRunner(const std::string &path, const std::string &device = "cpu",
                       std::vector<std::pair<std::string, std::string>> *extraFiles = nullptr);

/// The float model as loaded (its own instance: running it never touches `model`).
ModelRunner floatRunner(const Model &model);

/// A clone of the model in which every quantized layer's BN-folded weight is replaced by its
/// multipoint sum with the allocation's n_c points per channel, and each folded BatchNorm
/// becomes the identity plus the folded shift; float layers keep their weights. With
/// activationBits > 0, the inputs of quantized layers are fake-quantized per tensor (affine,
/// range from calibration). Layers with a Bits override take their decomposition from `atBits`
/// (made once by layersAtBits; nothing is decomposed here). With allocation.biasCorrection,
/// each quantized layer's bias gets allocatedBiasCorrection's values (docs/multipoint.md
/// section 9). The original model is untouched.
/// Throws Error(InvalidArgument) if the allocation does not belong to the analysis, or when
/// `atBits` lacks a layer's decomposition at its override bits (the message names the layer).
ModelRunner quantizedRunner(const Model &model, const Analysis &analysis,
                            const Allocation &allocation, const std::vector<LayerAtBits> &atBits,
                            int activationBits = 0);

/// A clone with the given BN-folded weights (per layer, stored shape, row-major; an empty
/// entry keeps that layer's original float weight), folded BatchNorms made identity plus shift,
/// and optional activation fake-quantization of the quantized layers' inputs with the given
/// calibration ranges. The building block of quantizedRunner and of the baseline methods.
/// `biasCorrection` (optional): per layer, C_out values added to the layer's folded bias (an
/// empty entry adds nothing; docs/multipoint.md section 9).
ModelRunner weightsRunner(const Model &model, const std::vector<std::vector<float>> &weights,
                          const std::vector<ActivationRange> *activations = nullptr,
                          int activationBits = 0,
                          const std::vector<std::vector<float>> *biasCorrection = nullptr);

/// The decomposition behind layer i under an allocation: the analysis' own, or, for a layer
/// with a Bits override, the entry of `atBits` for that layer at those bits with enough points
/// (see findLayerAtBits). Never decomposes. Error(InvalidArgument) naming the layer when that
/// entry is missing or has another shape. The reference lives in `analysis` or `atBits`.
const MatrixDecomposition &layerDecomposition(const Model &model, const Analysis &analysis,
                                              const std::vector<LayerAtBits> &atBits,
                                              const LayerAllocation &layer, std::size_t i);

/// The points layer i stores under an allocation, as a nested decomposition: layerDecomposition
/// specialized to the layer's points per channel (MatrixDecomposition::forPoints: a half-step
/// pair's channels with one point carry their solo point, docs/multipoint.md section 12). What
/// every export writes. Throws like layerDecomposition.
MatrixDecomposition storedDecomposition(const Model &model, const Analysis &analysis,
                                        const std::vector<LayerAtBits> &atBits,
                                        const LayerAllocation &layer, std::size_t i);

/// The weight that quantizedRunner puts into layer i (stored shape, row-major), for checks and
/// exports: the multipoint sum of the folded weight, or the original weight for float layers.
/// Throws like layerDecomposition.
std::vector<float> quantizedWeight(const Model &model, const Analysis &analysis,
                                   const Allocation &allocation,
                                   const std::vector<LayerAtBits> &atBits, std::size_t layer);

/// The bias correction quantizedRunner adds to layer i (C_out values, the shift of each
/// channel's curves at its n_c: the analysis' or, for a Bits override, atBits'), or an empty
/// vector when allocation.biasCorrection is off or the layer is float. Exports add the same
/// values to the biases they write. Throws like layerDecomposition.
std::vector<float> allocatedBiasCorrection(const Model &model, const Analysis &analysis,
                                           const Allocation &allocation,
                                           const std::vector<LayerAtBits> &atBits,
                                           std::size_t layer);

} // namespace mpq
