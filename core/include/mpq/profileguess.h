#pragma once
// A starting profile for a model that has none (the GUI's profile form fills it in; the user
// checks and saves it). Kept apart from profile.h so that the model types it reads do not reach
// every user of profiles.

#include "mpq/model.h"
#include "mpq/profile.h"

#include <string>
#include <vector>

namespace mpq {

/// Guesses a profile from what is known of a model: its file name (detector words such as
/// "det", "yolo", "centernet", "ssd", "rcnn", "retina"), its layers (the first layer's input
/// channels; a final linear layer's classes) and, for an ONNX source, its declared input and
/// outputs (docs/onnx.md, "Profiles for ONNX models"): a 4-D input gives the size and the
/// layout (NHWC when the last dimension is 1 or 3 and the second is not, or when the input's
/// name says "nhwc"), and one 2-D output (batch, C) makes a classifier of C classes.
ModelProfile guessProfile(const std::string &modelPath, const std::vector<LayerInfo> &layers,
                          const std::vector<TensorDecl> &inputs = {},
                          const std::vector<TensorDecl> &outputs = {});

/// The same from a loaded model (its path, layers and declared inputs and outputs).
inline ModelProfile guessProfile(const Model &model)
{
    return guessProfile(model.path(), model.layers(), model.declaredInputs(),
                        model.declaredOutputs());
}

} // namespace mpq
