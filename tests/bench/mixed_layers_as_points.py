#!/usr/bin/python3
"""Mixed precision's own layer choice, spent on points instead (docs/demo-figures.md, "Run 6,
continued"): at one memory budget, `mpq eval --method mixed` names the layers it widens to b+1
bits (`layers_at_next_bits`); the same layers are then pinned once as {"bits": b+1} (which
reproduces mixed precision) and once as {"points": 2} (one more point per channel of those
layers, every other layer at one point), each with bias correction off and on. Prints a
Markdown table of the task metric and the memory overhead.

Usage: mixed_layers_as_points.py MPQ_BINARY MODEL ANALYSIS IMAGES BUDGET [mpq settings ...]
The settings (--bits, --max-points, --rounding, --extra-point-bits, --calib-count, ...) are the
analysis' own, as `mpq eval --analysis` needs them.
"""
import json
import os
import subprocess
import sys
import tempfile

mpq, model, analysis, images, budget = sys.argv[1:6]
settings = sys.argv[6:]
work = tempfile.mkdtemp(prefix="mpq-layer-choice-")


def evaluate(method, budget, correction, overrides=None):
    out = os.path.join(work, "eval.json")
    args = [mpq, "eval", model, "--analysis", analysis, "--images", images, "--method", method,
            "--budget", budget, "--bias-correction", correction, "--json", out] + settings
    if overrides is not None:
        path = os.path.join(work, "overrides.json")
        with open(path, "w") as f:
            json.dump(overrides, f)
        args += ["--overrides", path]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(out) as f:
        doc = json.load(f)
    return doc["methods"][0] if "methods" in doc else doc


def metric(doc):
    q = doc["metrics"]["quantized"]
    if "top1" in q:
        return f"{q['top1'] * 100:.1f} % (KL {q['kl']:.3f})"
    if "kl" in q:  # a classifier without labelled images: agreement with float
        return f"agreement {q['agreement'] * 100:.1f} % (KL {q['kl']:.3f})"
    return f"mAP {q['map50_vs_float']:.3f} vs float"


mixed = evaluate("mixed", budget, "off")
layers = mixed["layers_at_next_bits"]
bits = mixed["bits"]
print(f"{os.path.basename(model)} at {bits} bits, {float(budget) * 100:g} % memory budget: mixed "
      f"precision widens {len(layers)} layers to {bits + 1} bits "
      f"({mixed['cost']['memory_overhead'] * 100:.1f} % memory)\n")
print("| the promoted layers get | memory | metric | + bias correction |")
print("| --- | ---: | ---: | ---: |")
for title, pin in ((f"one more bit (`{{\"bits\": {bits + 1}}}`)", {"bits": bits + 1}),
                   ("one more point (`{\"points\": 2}`)", {"points": 2})):
    pins = {name: pin for name in layers}
    off = evaluate("multipoint", "0", "off", pins)
    on = evaluate("multipoint", "0", "on", pins)
    print(f"| {title} | {off['cost']['memory_overhead'] * 100:.1f} % | {metric(off)} | "
          f"{metric(on)} |", flush=True)
print(f"\nmixed precision itself: {metric(mixed)}")
