#!/usr/bin/env bash
# Everything from a fresh Debian 12 to a full test run: packages, build, every test suite.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/packaging/install-deps.sh"
bash "$root/packaging/build.sh"
cd "${MPQ_BUILD_DIR:-$root/build}"
ctest --output-on-failure --timeout 900
