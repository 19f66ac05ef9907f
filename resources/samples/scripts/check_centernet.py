#!/usr/bin/python3
"""Check the converted CenterNet on real photos with the reference decode of @vladmandic/human.

    /usr/bin/python3 check_centernet.py [--model ../centernet/centernet_mbv3.pt] [IMAGE ...]

Needs python3-torch, python3-numpy and python3-pil (only to read JPEG/PNG). Without images it
runs on every photo of ../images. Prints, per image, the detections above the profile's score
threshold: label, score and box (x1, y1, x2, y2) in original-image pixels; with --markdown, as
a table for RESULTS.md.

Pre-processing as in human/src/object/centernet.ts: the RGB image as floats 0..255, resized as a
whole to 512x512 with tf.image.resizeBilinear (align_corners=false, half_pixel_centers=false).
Decode as in the TF.js graph (node tower_0/detections) and centernet.ts: peaks are cells equal to
the 3x3 max-pool of the heatmap, top 100 scores, box of cell (row, col) =
(4 col - l, 4 row - t, 4 col + r, 4 row + b) in 512-input pixels, score > threshold, NMS at
IoU 0.4, then scaled to the image size. human runs one NMS over all classes; here (as in the
application) NMS is class-wise.
"""

import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
from convert_centernet import resize_bilinear_legacy  # noqa: E402

try:
    from PIL import Image
except ImportError:
    raise SystemExit("needs python3-pil: apt-get install -y --no-install-recommends python3-pil")


def load_rgb(path):
    img = Image.open(path).convert("RGB")
    a = np.asarray(img, dtype=np.float32)  # H, W, 3
    return torch.from_numpy(a.copy()).permute(2, 0, 1).unsqueeze(0), img.width, img.height


def iou(a, b):
    ix1, iy1 = max(a[0], b[0]), max(a[1], b[1])
    ix2, iy2 = min(a[2], b[2]), min(a[3], b[3])
    inter = max(0.0, ix2 - ix1) * max(0.0, iy2 - iy1)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def decode(heat, wh, size, threshold, nms_iou, top_k, input_size):
    """heat (C, h, w) after sigmoid, wh (4, h, w); returns [(class, score, [x1, y1, x2, y2])]
    in original-image pixels (size = (width, height))."""
    C, h, w = heat.shape
    stride = input_size / w
    pooled = F.max_pool2d(heat.unsqueeze(0), 3, stride=1, padding=1)[0]
    peaks = heat * (heat == pooled).float()
    scores, idx = peaks.reshape(-1).topk(top_k)
    dets = []
    for s, i in zip(scores.tolist(), idx.tolist()):
        if s <= threshold:
            continue
        c, rem = divmod(i, h * w)
        row, col = divmod(rem, w)
        l, t, r, b = wh[:, row, col].tolist()
        box = [stride * col - l, stride * row - t, stride * col + r, stride * row + b]
        dets.append((c, s, box))
    kept = []  # class-wise greedy NMS, highest score first
    for d in sorted(dets, key=lambda d: -d[1]):
        if all(k[0] != d[0] or iou(k[2], d[2]) <= nms_iou for k in kept):
            kept.append(d)
    sx, sy = size[0] / input_size, size[1] / input_size
    out = []
    for c, s, (x1, y1, x2, y2) in kept:
        box = [min(max(x1 * sx, 0), size[0]), min(max(y1 * sy, 0), size[1]),
               min(max(x2 * sx, 0), size[0]), min(max(y2 * sy, 0), size[1])]
        out.append((c, s, box))
    return out


def main():
    samples = os.path.normpath(os.path.join(HERE, ".."))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default=os.path.join(samples, "centernet", "centernet_mbv3.pt"))
    ap.add_argument("--profile", help="default: MODEL with .profile.json")
    ap.add_argument("--threshold", type=float, help="default: the profile's score_threshold")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("images", nargs="*")
    args = ap.parse_args()

    profile = json.load(open(args.profile or os.path.splitext(args.model)[0] + ".profile.json"))
    labels = profile["labels"]
    out_spec = profile["output"]
    size = profile["input"]["width"]
    threshold = args.threshold if args.threshold is not None else out_spec["score_threshold"]
    images = args.images
    if not images:
        folder = os.path.join(samples, "images")
        images = [os.path.join(folder, f) for f in sorted(os.listdir(folder))
                  if f.lower().endswith((".jpg", ".jpeg", ".png"))]

    model = torch.jit.load(args.model).eval()
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    for path in images:
        x, width, height = load_rgb(path)
        x = resize_bilinear_legacy(x, size, size)
        with torch.no_grad():
            heat, wh = model(x)
        dets = decode(heat[0], wh[0], (width, height), threshold, out_spec["nms_iou"], out_spec["top_k"], size)
        name = os.path.basename(path)
        if args.markdown:
            print(f"\n### {name} ({width}x{height})\n")
            if not dets:
                print("(no detection)")
                continue
            print("| class | score | box x1, y1, x2, y2 |")
            print("|---|---|---|")
            for c, s, b in dets:
                print(f"| {labels[c]} | {s:.3f} | {b[0]:.0f}, {b[1]:.0f}, {b[2]:.0f}, {b[3]:.0f} |")
        else:
            summary = ", ".join(f"{labels[c]} {s:.2f}" for c, s, _ in dets) or "(none)"
            print(f"{name} ({width}x{height}): {summary}")
            for c, s, b in dets:
                print(f"    {labels[c]:<14} {s:.3f}  [{b[0]:7.1f} {b[1]:7.1f} {b[2]:7.1f} {b[3]:7.1f}]")


if __name__ == "__main__":
    main()
