#!/usr/bin/env python3
"""Write a demo model's ONNX twin with torch.onnx.export, from the same PyTorch module.

convert_centernet.py and train_fashion_classifier.py call export_onnx() on the module they have
just saved as TorchScript, so each demo model ships in both formats with the same weights
(docs/onnx.md, "Demo models"). Run on its own, this script exports a committed TorchScript
sample (the module the other scripts saved, loaded back), which is how the committed .onnx
files were made:

    python3 export_onnx.py ../fashion/fashion_resnet.pt
    python3 export_onnx.py ../centernet/centernet_mbv3.pt

Needs python3-torch and python3-onnx (Debian 12 packages). The export keeps BatchNormalization
nodes (TrainingMode.PRESERVE on a model in eval mode: MPQ Studio folds them itself, as for the
TorchScript twin), so the ONNX layers carry the twin's parameter names; the batch dimension is
dynamic. The file is checked with the ONNX checker and its output compared with the module's by
the project's test suite (tst_onnximport, "demo models").
"""

import argparse
import os
import sys

import onnx
import torch

OPSET = 13


def export_onnx(module, example, path, output_names):
    """torch.onnx.export of `module` (eval mode) at opset 13, input "input" with a dynamic
    batch, then the ONNX checker. Returns the path."""
    module.eval()
    dynamic = {"input": {0: "batch"}}
    for name in output_names:
        dynamic[name] = {0: "batch"}
    with torch.no_grad():
        torch.onnx.export(module, example, path, opset_version=OPSET, input_names=["input"],
                          output_names=list(output_names), dynamic_axes=dynamic,
                          training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=True)
    model = onnx.load(path)
    onnx.checker.check_model(model)
    return path


# what each committed sample takes and gives (the same as its profile and decoder expect)
SAMPLES = {
    "fashion_resnet": ((1, 1, 28, 28), ["logits"]),
    "centernet_mbv3": ((1, 3, 512, 512), ["heatmap", "wh"]),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model", help="a committed TorchScript sample, e.g. ../fashion/fashion_resnet.pt")
    ap.add_argument("--out", help="the .onnx to write (default: beside the model)")
    args = ap.parse_args()
    stem = os.path.splitext(os.path.basename(args.model))[0]
    if stem not in SAMPLES:
        sys.exit(f"{args.model}: not one of the samples {sorted(SAMPLES)}")
    shape, outputs = SAMPLES[stem]
    module = torch.jit.load(args.model)
    torch.manual_seed(0)
    example = torch.rand(*shape) * (255 if stem == "centernet_mbv3" else 1)
    out = args.out or os.path.splitext(args.model)[0] + ".onnx"
    export_onnx(module, example, out, outputs)
    print(f"wrote {out} ({os.path.getsize(out)} bytes); torch {torch.__version__}, "
          f"onnx {onnx.__version__}, opset {OPSET}")


if __name__ == "__main__":
    main()
