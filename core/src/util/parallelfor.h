#pragma once
// The project's own parallel loops (issue 17). LibTorch's at::parallel_for is an inline OpenMP
// template: it runs in parallel only in code compiled with -fopenmp, which this project is not
// (docs/pipeline-benchmark.md, "Two threads"), so in our sources it ran every loop on the
// calling thread. These run on plain threads, up to mpq::threadCount() of them (the calling
// thread included); with one thread they run inline, with no thread started.

#include <cstddef>
#include <cstdint>
#include <functional>

namespace mpq {

/// Calls body(b, e) over contiguous chunks covering [begin, end), each at least `grain` long
/// (but the last), on up to threadCount() threads; returns when all are done. The chunks
/// depend on the thread count, so body must give the same result for any split (e.g. each
/// index computed alone). The first exception thrown by a chunk is rethrown here.
void parallelFor(std::int64_t begin, std::int64_t end, std::int64_t grain,
                 const std::function<void(std::int64_t, std::int64_t)> &body);

/// Calls task(i) for i = 0..count-1 on up to threadCount() threads, each taking the next index
/// from a shared queue (give the largest tasks the lowest indices for balance). After a task
/// throws, no further task starts; the first exception is rethrown here.
void parallelTasks(std::size_t count, const std::function<void(std::size_t)> &task);

} // namespace mpq
