#include "mpq/parallel.h"

#include "mpq/error.h"

#include <ATen/Parallel.h>

#include <string>

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

} // namespace mpq
