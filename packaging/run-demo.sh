#!/usr/bin/env bash
# Everything from a fresh Debian 12 to the project's main job on the built-in demo: where there
# is a display, the desktop app opens the demo detector with its sample images and analyses it
# (`mpq-studio --demo`); where there is none, `mpq demo` runs the same analysis from the
# command line (both demo models, float beside quantized; the classifier also from its ONNX
# file, resources/samples/fashion/fashion_resnet.onnx) and prints the results.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/packaging/install-deps.sh"
bash "$root/packaging/build.sh"
build="${MPQ_BUILD_DIR:-$root/build}"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$build/app/studio/mpq-studio" ]; then
  exec "$build/app/studio/mpq-studio" --demo "$@"
fi
exec "$build/app/cli/mpq" demo "$@"
