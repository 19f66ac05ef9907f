#pragma once

#include <functional>
#include <string>

namespace mpq {

/// How a caller steers a long core computation. Both members may be empty.
///
/// Thread safety: the core may call both from worker threads, concurrently; they must be
/// thread-safe and cheap (an atomic load, a throttled signal emission).
struct JobControl
{
    /// Polled between units of work (rows, layers, batches). Returning true makes the
    /// computation stop early and throw Error(ErrorCode::Cancelled); no partial result escapes.
    std::function<bool()> isCancelled;
    /// Fraction done in [0, 1], non-decreasing.
    std::function<void(double)> progress;
    /// The name of the stage that starts ("decomposing", "calibrating", ...).
    std::function<void(const std::string &)> stage;

    bool cancelled() const { return isCancelled && isCancelled(); }
};

} // namespace mpq
