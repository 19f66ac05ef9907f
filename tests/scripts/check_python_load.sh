#!/usr/bin/env bash
# Checks by hand that Python's torch.jit.load reads both TorchScript exports of `mpq export`
# (fakequant and expanded) and runs them to the same outputs. Not part of ctest: it needs
# Debian's python3-torch and python3-numpy (about 1 GB, not installed by
# packaging/install-deps.sh), and a check that skipped itself on the machines the README sets up
# would prove nothing. Without them this script fails and says what to install.
#
# What it checks, on the demo classifier (resources/samples/fashion) at 3 bits with a 20 %
# memory budget (so that the expanded export has extra rows):
#   1. mpq writes both exports and verifies each against its in-app quantized model in LibTorch
#      (exit 4 otherwise);
#   2. /usr/bin/python3 loads both, each with its mpq_manifest.json (tool, format);
#   3. on the same input batch the two agree to float rounding (relative 1e-5) in Python, and
#      differ from the float model (they are quantized, not copies of it).
#
# Usage: tests/scripts/check_python_load.sh [BUILD_DIR]    (default: build)
# Exit: 0 pass, 1 a check failed, 2 python3-torch or the build is missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
mpq="$build/app/cli/mpq"
python=/usr/bin/python3
[ -x "$mpq" ] || { echo "no $mpq: build first (cmake --build $build --target mpq)" >&2; exit 2; }
if ! "$python" -c 'import torch, numpy' 2>/dev/null; then
  echo "$python cannot import torch and numpy: apt-get install python3-torch python3-numpy" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

samples="$root/resources/samples/fashion"
common=(--calib "$samples/test" --calib-count 32 --bits 3 --max-points 3 --budget 0.2)
for format in fakequant expanded; do
  "$mpq" export "$samples/fashion_resnet.pt" "${common[@]}" --format "$format" \
    -o "$work/$format.pt" | tail -n 3
done

"$python" - "$samples/fashion_resnet.pt" "$work/fakequant.pt" "$work/expanded.pt" <<'PY'
import sys, numpy, torch
torch.manual_seed(0)
x = torch.randn(8, 1, 28, 28)
outputs = {}
for path in sys.argv[1:]:
    files = {"mpq_manifest.json": ""}
    m = torch.jit.load(path, _extra_files=files)
    m.eval()
    if path != sys.argv[1]:
        manifest = files["mpq_manifest.json"].decode()
        assert '"mpq-studio"' in manifest, path + ": no mpq manifest"
        fmt = path.rsplit("/", 1)[1][:-3]
        assert '"format": "%s"' % fmt in manifest, path + ": manifest format is not " + fmt
    with torch.no_grad():
        outputs[path] = m(x).numpy()
floatOut, fq, ex = (outputs[p] for p in sys.argv[1:])
scale = numpy.abs(fq).max()
agree = numpy.abs(fq - ex).max() / scale
quantized = numpy.abs(fq - floatOut).max() / scale
print("python torch %s: expanded vs fakequant %.3g, fakequant vs float %.3g"
      % (torch.__version__, agree, quantized))
assert agree <= 1e-5, "the expanded export does not match the fake-quant export in Python"
assert quantized > 1e-4, "the fake-quant export equals the float model"
PY
echo "PASS: Python loads and runs both TorchScript exports"
