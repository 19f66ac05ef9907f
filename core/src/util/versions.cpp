#include "mpq/versions.h"

#include <opencv2/core/version.hpp>
#include <torch/version.h>

namespace mpq {

LibraryVersions libraryVersions()
{
    return {TORCH_VERSION, CV_VERSION};
}

} // namespace mpq
