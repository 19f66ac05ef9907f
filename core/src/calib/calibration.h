#pragma once
// Private helpers of the calibration pass, shared with the analysis pipeline and the tests.

#include "mpq/images.h"
#include "mpq/multipoint.h"

#include "model/modelimpl.h"

#include <functional>

namespace mpq {

/// While alive, every mpq::record(x, id) executed on this thread calls recorder(id, x).
class RecordingScope
{
public:
    explicit RecordingScope(const std::function<void(std::int64_t, const at::Tensor &)> &recorder);
    ~RecordingScope();
    RecordingScope(const RecordingScope &) = delete;
    RecordingScope &operator=(const RecordingScope &) = delete;

private:
    const std::function<void(std::int64_t, const at::Tensor &)> *m_previous;
};

/// A fresh instance of the model whose forward graph records the input of each layer i with
/// record[i] (id = i) before running the layer.
torch::jit::Module instrumentedInstance(const Model::Impl &impl, const std::vector<bool> &record);

/// Stacks prepared images (same size) into a (B, C, H, W) tensor on the device.
at::Tensor batchTensor(const std::vector<PreparedImage> &images, const std::string &device);

/// Rows W - W^(n) for n = fromPoint+1 .. toPoint, stacked for one grouped layer evaluation:
/// row order [group][version][channel within group], each row `cols` long (the folded weight).
std::vector<float> stackedDifferences(const MatrixDecomposition &d,
                                      const std::vector<float> &folded, int fromPoint, int toPoint,
                                      std::int64_t groups);

/// Sum of y^2 per output channel over batch and positions (channel dim 1 for batched conv
/// outputs, 0 unbatched, last for linear).
at::Tensor channelSumOfSquares(const at::Tensor &y, LayerKind kind, std::int64_t spatialDims);

} // namespace mpq
