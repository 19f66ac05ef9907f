#!/usr/bin/python3
"""The figures table of the demo models: float against every method at 2, 3 and 4 bits.

For each demo model and bit width: one `mpq analyze` (saved), then `mpq eval` for round-to-
nearest per channel, MSE per channel, OCS and per-layer mixed precision (both at the 5 % budget
allocation's memory overhead), and multipoint by the threshold rule (epsilon 1e-3) and by the
budget rule at 5 % and 10 % memory. Prints a Markdown table per model.
Usage: demo_figures.py BUILD_DIR [centernet|fashion ...]
"""
import json
import os
import subprocess
import sys
import tempfile

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
build = sys.argv[1]
mpq = os.path.join(build, "app", "cli", "mpq")
samples = os.path.join(root, "resources", "samples")
models = {
    "centernet": ("centernet/centernet_mbv3.pt", "images", "detection"),
    "fashion": ("fashion/fashion_resnet.pt", "fashion/test", "classification"),
}
chosen = sys.argv[2:] or list(models)
work = tempfile.mkdtemp(prefix="mpq-figures-")


def run(args):
    subprocess.run([mpq] + args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


for name in chosen:
    model, images, task = models[name]
    model = os.path.join(samples, model)
    images = os.path.join(samples, images)
    print(f"\n### {name}: {os.path.relpath(model, root)}\n")
    if task == "detection":
        print("| bits | method | memory | MACs | effective bits | mAP@0.5 vs float |")
        print("| ---: | --- | ---: | ---: | ---: | ---: |")
    else:
        print("| bits | method | memory | MACs | effective bits | top-1 | agreement |")
        print("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for bits in (2, 3, 4):
        analysis = os.path.join(work, f"{name}-{bits}.mpqa")
        common = ["--bits", str(bits), "--max-points", "4", "--batch-size", "4"]
        run(["analyze", model, "--calib", images, "--save", analysis] + common)
        cases = [("round-to-nearest per channel", "rtn", ["--budget", "0.05"]),
                 ("MSE per channel", "mse", ["--budget", "0.05"]),
                 ("OCS (5 %)", "ocs", ["--budget", "0.05"]),
                 ("per-layer mixed precision (5 %)", "mixed", ["--budget", "0.05"]),
                 ("multipoint, threshold 1e-3", "multipoint", ["--epsilon", "1e-3"]),
                 ("multipoint, budget 5 %", "multipoint", ["--budget", "0.05"]),
                 ("multipoint, budget 10 %", "multipoint", ["--budget", "0.10"])]
        for label, method, rule in cases:
            out = os.path.join(work, "eval.json")
            run(["eval", model, "--images", images, "--analysis", analysis, "--method", method, "--json", out]
                + common + rule)
            with open(out) as f:
                doc = json.load(f)
            cost = doc["cost"]
            macs = "-" if cost["mac_overhead"] is None else f"{cost['mac_overhead'] * 100:.1f} %"
            quant = doc["metrics"]["quantized"]
            row = f"| {bits} | {label} | {cost['memory_overhead'] * 100:.1f} % | {macs} | {cost['effective_bits']:.2f} |"
            if task == "detection":
                value = quant.get("map50_vs_float")
                row += f" {value:.3f} |" if value is not None else " n/a |"
            else:
                top1 = quant.get("top1")
                ref = doc["metrics"]["float"].get("top1")
                row += f" {top1 * 100:.2f} % ({(top1 - ref) * 100:+.2f}) | {quant['agreement'] * 100:.2f} % |"
            print(row, flush=True)
    if task == "classification":
        print(f"\nFloat top-1: {ref * 100:.2f} %.")
