#include "mpq/parallel.h"

#include "mpq/error.h"
#include "util/parallelfor.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mpq {

void setThreadCount(int threads)
{
    if (threads < 1)
        throw Error(ErrorCode::InvalidArgument,
                    "the thread count must be at least 1, got " + std::to_string(threads));
    at::set_num_threads(threads);
}

int threadCount()
{
    return at::get_num_threads();
}

namespace {

// Runs work(t) for t = 0..threads-1, t = 0 on the calling thread; rethrows the first exception.
void runOnThreads(int threads, const std::function<void(int)> &work)
{
    std::exception_ptr first;
    std::mutex mutex;
    const auto guarded = [&](int t) {
        try {
            work(t);
        } catch (...) {
            std::lock_guard<std::mutex> lock(mutex);
            if (!first)
                first = std::current_exception();
        }
    };
    std::vector<std::thread> helpers;
    helpers.reserve(threads - 1);
    for (int t = 1; t < threads; ++t)
        helpers.emplace_back(guarded, t);
    guarded(0);
    for (std::thread &h : helpers)
        h.join();
    if (first)
        std::rethrow_exception(first);
}

} // namespace

void parallelFor(std::int64_t begin, std::int64_t end, std::int64_t grain,
                 const std::function<void(std::int64_t, std::int64_t)> &body)
{
    const std::int64_t n = end - begin;
    if (n <= 0)
        return;
    grain = std::max<std::int64_t>(1, grain);
    const std::int64_t threads =
        std::min<std::int64_t>(std::max(1, threadCount()), (n + grain - 1) / grain);
    if (threads <= 1) {
        body(begin, end);
        return;
    }
    const std::int64_t chunk = (n + threads - 1) / threads;
    runOnThreads(static_cast<int>(threads), [&](int t) {
        const std::int64_t b = begin + t * chunk;
        const std::int64_t e = std::min(end, b + chunk);
        if (b < e)
            body(b, e);
    });
}

void parallelTasks(std::size_t count, const std::function<void(std::size_t)> &task)
{
    if (count == 0)
        return;
    const int threads = static_cast<int>(std::min<std::size_t>(std::max(1, threadCount()), count));
    if (threads <= 1) {
        for (std::size_t i = 0; i < count; ++i)
            task(i);
        return;
    }
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    runOnThreads(threads, [&](int) {
        for (std::size_t i = next++; i < count && !failed; i = next++) {
            try {
                task(i);
            } catch (...) {
                failed = true;
                throw;
            }
        }
    });
}

} // namespace mpq
