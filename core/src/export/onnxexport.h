#pragma once
// Private: the ONNX exports of a model that came in as ONNX (docs/onnx.md, "ONNX out").

#include "mpq/export.h"
#include "mpq/model.h"

#include <string>
#include <vector>

namespace mpq {

struct OnnxExportResult
{
    std::uint64_t bytes = 0;
    Verification verification;
    ExpandedExport figures; ///< onnx-qdq: the MACs the file runs (layers, totals)
};

/// Writes the original ONNX graph (re-read from model.path()) with each quantized layer's
/// weight replaced by its multipoint sum (qdq = false: onnx-fakequant), or in the deployable
/// QDQ form (qdq = true: onnx-qdq; docs/onnx.md section 5), with the manifest as metadata_props,
/// checked by the ONNX checker, atomically. With verifyImages, re-imports the file with
/// Model::load and runs it beside quantizedRunner. Error(InvalidArgument) for a TorchScript
/// source or activation bits other than 0 and 8; Error(Io) when writing fails (nothing left).
OnnxExportResult exportOnnx(const Model &model, const Analysis &analysis,
                            const Allocation &allocation, const std::vector<LayerAtBits> &atBits,
                            bool qdq, const std::string &path, const std::string &manifest,
                            const ModelProfile &profile,
                            const std::vector<std::string> &verifyImages);

} // namespace mpq
