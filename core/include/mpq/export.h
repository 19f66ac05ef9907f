#pragma once
// Exports of the quantized model (docs/multipoint.md section 5) and their verification.

#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/profile.h"
#include "mpq/runner.h"

#include <string>
#include <vector>

namespace mpq {

/// The manifest stored with every export: tool version, format, source model path and
/// SHA-256, bits, max points, the allocation settings and the analysis settings in the shared
/// codec of mpq/vocabulary.h (rule, epsilon, budget, cost, overrides), activation bits, and the
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

/// Reloads the TorchScript file at path and runs it beside `inApp` on the images (batches of 8,
/// unreadable ones skipped): the largest differences over all outputs. Error(BadModel) when
/// the file does not reload or returns other outputs.
Verification verifyExport(ModelRunner &inApp, const std::string &path, const ModelProfile &profile,
                          const std::vector<std::string> &images);

/// Runs `other` beside `reference` on the images as verifyExport does (batches of 8, unreadable
/// ones skipped): the largest differences over all outputs, relative to the largest |reference|
/// output. Error(BadModel), its message starting with `what`, when the outputs differ in count
/// or shape.
Verification compareRunners(ModelRunner &reference, ModelRunner &other, const std::string &what,
                            const ModelProfile &profile, const std::vector<std::string> &images);

/// One quantized layer of the expanded ("common operands") export.
struct ExpandedLayer
{
    std::string name;
    std::int64_t channels = 0;           ///< rows of the base operation (C_out)
    std::int64_t extraRows = 0;          ///< rows the allocation asks for: sum_c (n_c - 1)
    std::int64_t extraRowsRun = 0;       ///< rows the extra branch runs (grouped layers pad groups)
    std::int64_t groups = 1;             ///< the layer's groups
    std::int64_t extraGroups = 0;        ///< groups of the extra branch (those with extra points)
    std::int64_t macs = 0;               ///< MACs of the base operation per image
    std::int64_t extraMacsRun = 0;       ///< MACs of the extra branch per image
    std::int64_t extraMacsPredicted = 0; ///< the allocation's extra MACs
};

struct ExpandedExport
{
    std::vector<ExpandedLayer> layers; ///< quantized layers, in model order
    std::int64_t macs = 0;             ///< base MACs of the quantized layers per image
    std::int64_t extraMacsRun = 0;
    std::int64_t extraMacsPredicted = 0;
    double macOverheadRun = 0.0;       ///< extraMacsRun / macs
    double macOverheadPredicted = 0.0; ///< the allocation's MAC overhead
    std::uint64_t bytes = 0;           ///< size of the written file
    Verification verification;         ///< see exportExpanded (empty without images)
};

/// Writes the expanded TorchScript of docs/multipoint.md section 5: every call of a quantized layer
/// runs as a base convolution (or linear) whose C_out rows hold the first points, plus - for
/// channels with more points - one extra convolution over all further points' rows,
/// index_add-ed in place into their channels, then the bias; a layer without extra rows is one
/// ordinary convolution with its bias. Rows are stored folded (integer codes times the row's
/// scale) with the scales beside them as buffers, so an integer backend recovers the codes
/// exactly as round(w / scale) (docs/expanded-export.md, "Integer codes"). Grouped and depthwise
/// layers gather the input channels of the groups with extra points (index_select) and pad each
/// such group to the largest extra count with zero rows. Folded BatchNorm shifts are kept as in
/// the fake-quant model, as is activation fake-quantization. Model::load of the export finds the
/// base and extra layers.
/// Atomic like exportFakeQuant; with verifyImages, reloads the file and runs it beside the
/// in-app quantized model (quantizedRunner). With activation bits, where float rounding can
/// move an activation across a level boundary, the check is in two parts, the larger
/// difference reported: the reloaded file beside the expanded module it was written from, and
/// the expanded model without activation quantization beside quantizedRunner without it
/// (docs/expanded-export.md, "Guarantees and checks"). Layers with a
/// Bits override use their decomposition in `atBits` (see quantizedRunner; none is made here).
ExpandedExport exportExpanded(const Model &model, const Analysis &analysis,
                              const Allocation &allocation, const std::vector<LayerAtBits> &atBits,
                              const std::string &path, const std::string &manifest,
                              const ModelProfile &profile,
                              const std::vector<std::string> &verifyImages);

/// Writes the integer package, a folder (see docs/integer-package.md): manifest.json with the
/// exportManifest fields plus one entry per layer (facts, bits, file names), and per quantized
/// layer its int8 point rows (first the C_out first points, then every further point, channel by
/// channel), a float32 scale and an int32 channel per row, and the folded float32 bias; float
/// layers get their folded float32 weight. The folder is built under a temporary name and renamed
/// into place; an existing folder at `path` is an error (Error(Io)), nothing is left behind on
/// failure. Returns the number of bytes written. Layers with a Bits override use their
/// decomposition in `atBits` (see quantizedRunner; none is made here).
std::uint64_t exportIntegerPackage(const Model &model, const Analysis &analysis,
                                   const Allocation &allocation,
                                   const std::vector<LayerAtBits> &atBits,
                                   const std::string &manifest, const std::string &path);

} // namespace mpq
