#pragma once
// The benchmarks' clocks: wall seconds and this process's CPU seconds (on a loaded machine the
// CPU seconds stretch less than the wall ones).

#include <ctime>

#include <chrono>

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

} // namespace mpqbench
