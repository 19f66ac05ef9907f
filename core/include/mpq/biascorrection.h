#pragma once
// Bias correction (Nagel et al. 2019, data-free quantization; docs/multipoint.md section 9):
// the mean shift a layer's quantized weight causes in its output on the calibration images,
// added back to the layer's bias.

#include "mpq/analysis.h"
#include "mpq/jobcontrol.h"
#include "mpq/model.h"
#include "mpq/profile.h"

#include <string>
#include <vector>

namespace mpq {

/// The bias correction of arbitrary quantized weights (the baselines' own, measured the way
/// the analysis measures multipoint's shifts): for every layer with a non-empty entry in
/// `weights` (BN-folded, stored shape, as weightsRunner takes them), the mean over every output
/// position of every call on the analysis' calibration images of (W_f - W_q) x per output
/// channel, with x the float model's input to the layer; C_out values per such layer, an empty
/// entry elsewhere. Hand the result to weightsRunner (its biasCorrection). One calibration pass
/// in batches of analysis.settings.batchSize; unreadable images are skipped, each named in
/// `warnings` when given, with their count. Cancellable
/// (Error(Cancelled)); Error(InvalidArgument) when the analysis or weights belong to another
/// model, Error(BadImage) when no calibration image can be read, Error(BadModel) when the
/// forward fails.
std::vector<std::vector<float>>
measureBiasCorrection(const Model &model, const ModelProfile &profile, const Analysis &analysis,
                      const std::vector<std::vector<float>> &weights,
                      const JobControl &control = {}, std::vector<std::string> *warnings = nullptr);

} // namespace mpq
