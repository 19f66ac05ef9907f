#pragma once
// Versions of the libraries the engine was built with (the About dialog, `mpq --version`).

#include <string>

namespace mpq {

struct LibraryVersions
{
    std::string torch;  ///< e.g. "1.13.1"
    std::string opencv; ///< e.g. "4.6.0"
};

LibraryVersions libraryVersions();

} // namespace mpq
