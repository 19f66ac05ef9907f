#pragma once
// Private, for tests/bench/bench_export.cpp: the MAC-matched float reference of the expanded
// export (docs/expanded-export.md, "Benchmark").

#include "mpq/allocation.h"
#include "mpq/analysis.h"
#include "mpq/model.h"

#include <cstdint>
#include <string>

namespace mpq {

/// Writes `model` as float TorchScript to `path` with every call of a layer that the allocation
/// quantizes made as wide as the expanded export runs it: what single-precision hardware would
/// run for multipoint quantization, the reference of the expanded model's speed. An ungrouped
/// convolution or linear with E extra rows runs C_out + E rows (its float weight rows repeated,
/// the bias zero-padded) and keeps the first C_out channels (narrow); a grouped or depthwise layer,
/// which cannot be widened by unequal rows per group, keeps its operation and adds the same extra
/// branch as the expanded export (input gather, grouped convolution, index_add_). The outputs are
/// not the model's; only the shapes and the work are. Returns the extra MACs per image.
std::int64_t exportMacMatched(const Model &model, const Analysis &analysis,
                              const Allocation &allocation, const std::string &path);

} // namespace mpq
