#pragma once
// The per-layer table and model totals of an allocation as JSON and CSV: what `mpq analyze
// --json`, `mpq export --format report` and the GUI's table export write.

#include "mpq/allocation.h"
#include "mpq/analysis.h"

#include <string>

namespace mpq {

/// JSON: model {path, sha256, weights (all quantizable), quantized_weights, extra_weights,
/// float_weights, stored_bits, cost_bits, overhead, pinned_overhead, macs (all), extra_macs,
/// float_macs, mac_overhead, pinned_mac_overhead, float_mac_share, effective_bits, total_error,
/// bits, max_points, rule, epsilon | budget + budget_cost} and layers[] {name, kind, shape, d,
/// channels, float, pinned, bits, points[], mean_points, max_points, rel_error, sqnr_db (null
/// when infinite), weights, extra_weights, stored_bits, cost_bits, overhead, macs, extra_macs,
/// float_macs, mac_overhead, effective_bits, output_positions, calls_per_forward,
/// folded_batchnorm}, analysis_settings and allocation_settings (mpq/vocabulary.h's forms, so
/// that the report reads as a run snapshot, mpq/snapshot.h), warnings[] (the analysis' and the
/// allocation's). Overheads are fractions,
/// as defined in mpq/allocation.h (docs/multipoint.md section 4).
std::string reportJson(const Analysis &analysis, const Allocation &allocation,
                       const AllocationSettings &settings);

/// CSV with a header row: one row per layer (name, kind, shape, channels, d, bits, float,
/// mean_points, max_points, overhead, mac_overhead, rel_error, sqnr_db, effective_bits, pinned,
/// weights, stored_bits, macs, extra_macs, float_macs) and a last row "TOTAL" with the model
/// figures over all quantizable layers.
std::string reportCsv(const Analysis &analysis, const Allocation &allocation);

/// Writes a text file atomically (temporary file beside it, then rename): Error(Io,
/// "<path>: <reason>") on failure, nothing left behind, an existing file untouched.
void writeTextFile(const std::string &path, const std::string &text);

} // namespace mpq
