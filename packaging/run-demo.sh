#!/usr/bin/env bash
# Everything from a fresh Debian 12 to the project's most complete end-to-end job.
# Today that is the engine benchmark on synthetic ResNet-18-shaped weights; the built-in demo
# model takes its place once it exists.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/packaging/install-deps.sh"
bash "$root/packaging/build.sh"
build="${MPQ_BUILD_DIR:-$root/build}"
"$build/tests/bench_engine" "$@"
