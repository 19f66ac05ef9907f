#!/usr/bin/env bash
# Configures and builds MPQ Studio into ${MPQ_BUILD_DIR:-build} (Release, Ninja).
# Extra arguments go to the CMake configure step.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MPQ_BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
# 2 jobs: each LibTorch translation unit takes about 1.2 GB of memory to compile
cmake --build "$build" -j "${MPQ_JOBS:-2}"
