#!/usr/bin/env bash
# Everything from a fresh Debian 12 to the project's most complete end-to-end job: `mpq demo`,
# which analyses the built-in demo models (CenterNet detector, Fashion-MNIST classifier) on
# their sample images and prints float beside quantized results. The desktop GUI does not
# exist yet; once it does, this script starts it where there is a display.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/packaging/install-deps.sh"
bash "$root/packaging/build.sh"
build="${MPQ_BUILD_DIR:-$root/build}"
"$build/app/cli/mpq" demo "$@"
