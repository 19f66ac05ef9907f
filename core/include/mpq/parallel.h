#pragma once

namespace mpq {

/// Number of threads the core's parallel loops (and LibTorch's intra-op pool) use.
/// Results never depend on it. Must be called before the first parallel work, or between
/// jobs: LibTorch cannot resize its pool while a parallel region runs.
void setThreadCount(int threads);
int threadCount();

} // namespace mpq
