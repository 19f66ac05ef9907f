#!/usr/bin/env bash
# Installs every Debian 12 package MPQ Studio needs to build, test and run.
# Idempotent: packages already present are left alone, so a second run is fast.
# Runs as root, or through sudo when started by another user.
set -euo pipefail

PACKAGES=(
  # toolchain (a bare Debian 12 has none of these)
  build-essential cmake pkg-config ninja-build git clang-format dpkg-dev
  # sanitizer runtimes and libFuzzer for the fuzz harnesses
  clang-14 libclang-rt-14-dev
  # libraries
  qt6-base-dev qt6-tools-dev qt6-l10n-tools qt6-svg-dev libqcustomplot-dev
  libtorch-dev libopenblas0-openmp libopencv-dev nlohmann-json3-dev
  # ONNX import (docs/onnx.md): the ONNX library and protobuf; the per-operator node tests
  libonnx-dev libprotobuf-dev libonnx-testdata
  # GUI under a virtual display, screenshots
  xvfb xauth imagemagick
  # the Graph page's layout (dot -Tjson, run as a subprocess, never linked; issue 15)
  graphviz
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
  SUDO="sudo"
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
