#pragma once
// The per-layer table and model totals of an allocation as JSON and CSV: what `mpq analyze
// --json`, `mpq export --format report` and the GUI's table export write.

#include "mpq/allocation.h"
#include "mpq/analysis.h"

#include <string>

namespace mpq {

/// JSON: model {path, sha256, weights, extra_weights, float_weights, overhead, mac_overhead,
/// effective_bits, total_error, bits, max_points, rule, epsilon | budget + budget_cost} and
/// layers[] {name, kind, shape, d, channels, float, bits, points[], mean_points, max_points,
/// rel_error, sqnr_db (null when infinite), overhead, mac_overhead, effective_bits,
/// output_positions, calls_per_forward, folded_batchnorm}, warnings[]. Overheads are fractions.
std::string reportJson(const Analysis &analysis, const Allocation &allocation,
                       const AllocationSettings &settings);

/// CSV with a header row: one row per layer (name, kind, shape, channels, d, bits, float,
/// mean_points, max_points, overhead, mac_overhead, rel_error, sqnr_db, effective_bits) and a
/// last row "TOTAL" with the model figures.
std::string reportCsv(const Analysis &analysis, const Allocation &allocation);

/// Writes a text file atomically (temporary file beside it, then rename): Error(Io,
/// "<path>: <reason>") on failure, nothing left behind, an existing file untouched.
void writeTextFile(const std::string &path, const std::string &text);

} // namespace mpq
