#pragma once
// The benchmarks' clocks: wall seconds and this process's CPU seconds (on a loaded machine the
// CPU seconds stretch less than the wall ones).

#include <ctime>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <utility>
#include <vector>

namespace mpqbench {

inline double cpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

inline double wallSeconds()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/// How far a job's progress reports (seconds since its start, fraction) were from its time of
/// `total` seconds: the largest |elapsed / total - fraction|, and the largest relative error of
/// the time left elapsed x (1 - f) / f against the real one, over the reports at 10 % done or
/// more with at least 5 % of the time left (docs/BENCHMARKS.md, "Time left").
struct ProgressError
{
    double fraction = 0.0;
    double timeLeft = 0.0;
};

inline ProgressError progressError(const std::vector<std::pair<double, double>> &reports,
                                   double total)
{
    ProgressError e;
    for (const auto &[t, f] : reports) {
        e.fraction = std::max(e.fraction, std::abs(t / total - f));
        const double left = total - t;
        if (f >= 0.1 && f < 1.0 && left >= 0.05 * total)
            e.timeLeft = std::max(e.timeLeft, std::abs(t * (1 - f) / f - left) / left);
    }
    return e;
}

} // namespace mpqbench
