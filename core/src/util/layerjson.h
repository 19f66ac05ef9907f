#pragma once
// One JSON form of a layer's facts (mpq::LayerInfo), shared by the saved analysis and the integer
// package's per-layer entries so both files use the same keys (docs/integer-package.md,
// "manifest.json"). Private to core.

#include "mpq/model.h"

#include <nlohmann/json.hpp>

namespace mpq {

/// {"name", "kind", "weight_shape", "channels", "d", "stride", "padding", "padding_mode",
/// "dilation", "groups", "has_bias", "folded_batchnorm", "call_sites", "aliases"}.
/// The weight and bias parameter paths are not written (Model::load finds them).
nlohmann::json layerFactsJson(const LayerInfo &layer);

/// Reads that form; saved analyses of format version 1 spelled weight_shape "shape" and channels
/// "out_channels", which are read too. Throws nlohmann::json::exception for a missing key or
/// a value of the wrong type, and Error(InvalidArgument) for an unknown layer kind.
LayerInfo layerFactsFrom(const nlohmann::json &j);

} // namespace mpq
