#pragma once
// What format a model file is, without loading it: so that a front end can refuse an export
// that needs an ONNX source before any work (docs/onnx.md section 5).

#include "mpq/model.h"

#include <string>

namespace mpq {

/// Onnx for a file Model::load reads as ONNX (a ".onnx" extension, or content that is not a
/// TorchScript archive and parses as an ONNX model), else TorchScript. Error(BadModel,
/// "<path>: ...") when the file cannot be read.
ModelFormat modelFileFormat(const std::string &path);

/// Error(InvalidArgument, "<path>: ONNX export needs an ONNX source model; ...") unless the
/// format is Onnx: the onnx-fakequant and onnx-qdq exports rewrite the source ONNX graph.
void requireOnnxSource(const std::string &path, ModelFormat format);

} // namespace mpq
