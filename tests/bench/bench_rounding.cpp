// Output-aware rounding benchmark (docs/multipoint.md section 10): one layer's multipoint
// decomposition with and without the feedback through its input Gram, on one thread by default.
// The weights are Laplace-distributed; the Gram is that of inputs sharing 32 common factors plus
// independent noise (made as F F^T + diag, not from samples). Prints the seconds of each, and the
// compensated rounding's nanoseconds per row, point and d^2 (what core/src/calib/workplan.cpp
// charges for it). Asserts nothing. Usage: bench_rounding [--rows 512] [--cols 4608] [--bits 4]
// [--points 4] [--extra-bits E] [--threads 1] [--runs 3]
#include "calib/gram.h"
#include "mpq/multipoint.h"
#include "mpq/parallel.h"
#include "mpq/synthetic.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

double seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

} // namespace

int main(int argc, char **argv)
{
    std::int64_t rows = 512, cols = 4608;
    int bits = 4, points = 4, extraBits = 0, threads = 1, runs = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--rows"))
            rows = std::atoll(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--cols"))
            cols = std::atoll(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--bits"))
            bits = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--points"))
            points = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--extra-bits"))
            extraBits = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--threads"))
            threads = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--runs"))
            runs = std::max(1, std::atoi(argv[i + 1]));
        else {
            std::fprintf(stderr, "unknown option %s\n", argv[i]);
            return 1;
        }
    }
    mpq::setThreadCount(threads);
    const std::vector<float> w = mpq::laplaceMatrix(rows, cols, 0.02, 7);
    at::manual_seed(3);
    const at::Tensor factors = at::randn({cols, 32}, at::kDouble);
    const at::Tensor gram =
        (factors.matmul(factors.t()) + at::diag(at::rand({cols}, at::kDouble) + 0.5)).unsqueeze(0);
    auto t0 = std::chrono::steady_clock::now();
    const mpq::RowCompensation comp = mpq::calib::makeRowCompensation(gram);
    const double factorSeconds = seconds(t0);

    mpq::DecomposeOptions o;
    o.bits = bits;
    o.extraBits = extraBits;
    o.maxPoints = points;
    std::vector<double> nearest, aware;
    for (int run = 0; run < runs; ++run) {
        o.compensation = nullptr;
        t0 = std::chrono::steady_clock::now();
        mpq::decompose(w.data(), rows, cols, o);
        nearest.push_back(seconds(t0));
        o.compensation = &comp;
        t0 = std::chrono::steady_clock::now();
        mpq::decompose(w.data(), rows, cols, o);
        aware.push_back(seconds(t0));
    }
    std::sort(nearest.begin(), nearest.end());
    std::sort(aware.begin(), aware.end());
    const double n = nearest[nearest.size() / 2], a = aware[aware.size() / 2];
    std::printf("%lld x %lld weights, %d bits, %d points (extra points at %d bits), %d thread(s), "
                "median of %d runs\n",
                static_cast<long long>(rows), static_cast<long long>(cols), bits, points,
                extraBits ? extraBits : bits, threads, runs);
    std::printf("factor of the Gram (Cholesky, inverse)   %9.3f s\n", factorSeconds);
    std::printf("decomposition, nearest rounding          %9.3f s\n", n);
    std::printf("decomposition, output-aware rounding     %9.3f s   (%.1fx)\n", a, a / n);
    std::printf("output-aware's extra per row, point, d^2 %9.3f ns\n",
                (a - n) * 1e9 / (double(rows) * points * double(cols) * double(cols)));
    return 0;
}
