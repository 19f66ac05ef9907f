#pragma once
// Private to the model library: what model.cpp (Model::load), modelgraph.cpp (layer sites in
// the forward graph) and modelfile.cpp (reading and checking model files) share.
#include "model/modelimpl.h"

#include <string>

namespace mpq {

/// Uses of a layer output that only read its metadata, not its values.
bool isMetadataUse(const torch::jit::Node *user);
/// Reads the constant arguments of a conv node into op; false when one is computed at run time.
bool readConvArguments(const torch::jit::Node *node, LayerOp &op);
/// "stride [2, 2] padding [0, 0] dilation [1, 1] groups 1" for warnings.
std::string describeConvArguments(const LayerOp &op);

struct BatchNormUse
{
    std::string path; // module path of the BatchNorm
    double eps = 1e-5;
};

/// The BatchNorm that alone consumes a conv site's output, if any.
c10::optional<BatchNormUse> batchNormAfter(const torch::jit::Node *site);

/// The name of the first stored member of a TorchScript zip archive whose CRC-32 does not match,
/// "" when all match or the archive is not understood (left to torch::jit::load).
std::string damagedZipMember(const std::string &bytes);
/// The bytes of a model file; Error(BadModel) naming the file when it cannot be read.
std::string readModelFile(const std::string &path);

} // namespace mpq
