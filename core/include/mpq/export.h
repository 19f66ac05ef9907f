#pragma once
// Exports of the quantized model (multipoint.md section 5) and their verification.

#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/profile.h"
#include "mpq/runner.h"

#include <string>
#include <vector>

namespace mpq {

/// The manifest stored with every export: tool version, format, source model path and
/// SHA-256, bits, max points, allocation rule with epsilon or budget, activation bits, and the
/// model totals (overheads, effective bits) - as JSON text.
std::string exportManifest(const Analysis &analysis, const Allocation &allocation,
                           const AllocationSettings &settings, const std::string &toolVersion,
                           const std::string &format);

struct Verification
{
    int images = 0;
    double maxAbsoluteDifference = 0.0;
    double maxRelativeDifference = 0.0; ///< max |exported - in-app| / max |in-app| over all outputs
};

/// Writes the fake-quant TorchScript (the original architecture with the quantized weights,
/// folded BatchNorms as identity plus shift) of `quantized` to path with the manifest as the
/// extra file "mpq_manifest.json" (atomically). Unless verifyImages is empty, reloads the file
/// and runs it beside `quantized` on those images (batches of 8; unreadable ones skipped).
/// Throws Error(Io) when writing fails (nothing left behind), Error(BadModel) when the written
/// file does not reload.
Verification exportFakeQuant(ModelRunner &quantized, const std::string &path,
                             const std::string &manifest, const ModelProfile &profile,
                             const std::vector<std::string> &verifyImages);

/// Writes the integer package, a folder (see docs/integer-package.md): manifest.json with the
/// exportManifest fields plus one entry per layer (facts, bits, file names), and per quantized
/// layer its int8 point rows (first the C_out first points, then every further point, channel by
/// channel), a float32 scale and an int32 channel per row, and the folded float32 bias; float
/// layers get their folded float32 weight. The folder is built under a temporary name and renamed
/// into place; an existing folder at `path` is an error (Error(Io)), nothing is left behind on
/// failure. Returns the number of bytes written.
std::uint64_t exportIntegerPackage(const Model &model, const Analysis &analysis,
                                   const Allocation &allocation, const std::string &manifest,
                                   const std::string &path);

} // namespace mpq
