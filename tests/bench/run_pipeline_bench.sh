#!/usr/bin/env bash
# Pipeline benchmark: makes a ResNet-18 TorchScript with Debian's python3-torchvision (random
# weights, nothing downloaded), writes 64 calibration images, and runs bench_pipeline.
# Usage: tests/bench/run_pipeline_bench.sh [BUILD_DIR] [bench_pipeline options]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build}"
shift || true
if ! /usr/bin/python3 -c "import torchvision" 2>/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends python3-torch python3-torchvision
fi
work="${MPQ_BENCH_DIR:-$build/bench-data}"
mkdir -p "$work"
[ -f "$work/resnet18.pt" ] || /usr/bin/python3 "$root/tests/bench/make_resnet18.py" "$work/resnet18.pt"
"$build/tests/bench_pipeline" "$work/resnet18.pt" "$work/images" "$@"
