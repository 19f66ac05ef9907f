#pragma once
// The per-layer table and model totals of an allocation: as text for the terminal and as JSON.

#include "mpq/allocation.h"
#include "mpq/analysis.h"

#include <QByteArray>
#include <QTextStream>

void printTable(QTextStream &out, const mpq::Analysis &analysis, const mpq::Allocation &allocation,
                const mpq::AllocationSettings &settings);

/// JSON with model {path, sha256, weights, extra_weights, float_weights, overhead, mac_overhead,
/// effective_bits, bits, rule, epsilon or budget (+ budget_cost), total_error} and layers[] {name,
/// kind, shape, d, channels, points[], mean_points, max_points, rel_error, sqnr_db, overhead,
/// mac_overhead, effective_bits, bits, float, ...}; overheads are fractions.
QByteArray reportJson(const mpq::Analysis &analysis, const mpq::Allocation &allocation,
                      const mpq::AllocationSettings &settings);
