#pragma once
// Large blocks kept in the heap while a job runs the model over many images.

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <mutex>

namespace mpq {

/// Running a model over batches of images allocates and frees blocks of 16 MB and more per
/// layer call (activations; in the calibration the stacked differences and their outputs).
/// glibc maps every block above its mmap threshold (at most 32 MB) afresh and gives the top of
/// the heap back above its trim threshold, and the page faults of touching that memory again
/// took a quarter of ResNet-18's analysis (docs/pipeline-benchmark.md) and 40 % of an evaluation
/// of the demo detector (docs/BENCHMARKS.md, "Evaluations and the heap"). While one of these
/// scopes is alive, freed blocks up to 256 MB stay in the heap for the next batch; when the
/// last one ends, the thresholds go back to glibc's largest automatic values (32 MB and 64 MB)
/// and the heap is trimmed. Scopes nest (a sweep's evaluations inside the sweep's scope) and
/// may live on several threads.
class ReuseLargeBlocks
{
public:
    ReuseLargeBlocks()
    {
#if defined(__GLIBC__)
        std::lock_guard<std::mutex> lock(mutex());
        if (active()++ == 0) {
            mallopt(M_MMAP_THRESHOLD, 256 << 20);
            mallopt(M_TRIM_THRESHOLD, 1 << 30);
        }
#endif
    }
    ~ReuseLargeBlocks()
    {
#if defined(__GLIBC__)
        std::lock_guard<std::mutex> lock(mutex());
        if (--active() == 0) {
            mallopt(M_MMAP_THRESHOLD, 32 << 20);
            mallopt(M_TRIM_THRESHOLD, 64 << 20);
            malloc_trim(0);
        }
#endif
    }
    ReuseLargeBlocks(const ReuseLargeBlocks &) = delete;
    ReuseLargeBlocks &operator=(const ReuseLargeBlocks &) = delete;

private:
    static std::mutex &mutex()
    {
        static std::mutex m;
        return m;
    }
    static int &active()
    {
        static int n = 0;
        return n;
    }
};

} // namespace mpq
