#!/usr/bin/python3
"""Convert the TF.js CenterNet (MobileNetV3) detector of @vladmandic/human to TorchScript.

Run once with Debian's Python (python3-torch, python3-numpy; no TensorFlow needed):

    /usr/bin/python3 convert_centernet.py --model-dir HUMAN/package/models \
        --labels HUMAN/package/src/object/labels.ts --out-dir ../centernet

where HUMAN is the unpacked `npm pack @vladmandic/human@3.3.6`. It writes
centernet_mbv3.pt (TorchScript, float32), its ONNX twin centernet_mbv3.onnx (torch.onnx.export
of the same traced module, opset 13; export_onnx.py, needs python3-onnx) and
centernet_mbv3.profile.json (read for either file).

The TF.js graph model (models/centernet.json + centernet.bin) is a TensorFlow GraphDef in JSON
(NHWC) plus a weights manifest. This script rebuilds the part of the graph that computes the two
outputs `tower_0/keypoints` (class heatmap after sigmoid) and `tower_0/wh` (left, top, right,
bottom distances in input pixels) as ordinary PyTorch modules in NCHW, every convolution a real
nn.Conv2d (depthwise convolutions with groups = channels), and traces it with torch.jit.trace.
The decode that the TF.js graph also contains (3x3 max-pool peaks, top-k, box assembly;
`tower_0/detections`) is left out on purpose: the application decodes the two maps itself.

Forward: float tensor (N, 3, 512, 512), RGB 0..255 (the whole image resized to 512x512) ->
(heatmap (N, 80, 128, 128), wh (N, 4, 128, 128)).
"""

import argparse
import base64
import json
import math
import os
import re
import tempfile
import zipfile

import numpy as np
import torch
import torch.nn as nn

from export_onnx import export_onnx
import torch.nn.functional as F

INPUT_NODE = "tower_0/images"
OUTPUT_NODES = ("tower_0/keypoints", "tower_0/wh")
INPUT_SIZE = 512


# ----------------------------------------------------------------------------------------------
# TF.js graph model reading

def load_weights(model_json, model_dir):
    """Returns {name: np.ndarray} for every weight of the manifest (dequantized to float32)."""
    weights = {}
    for group in model_json["weightsManifest"]:
        buf = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            shape = [int(s) for s in w["shape"]]
            count = int(np.prod(shape)) if shape else 1
            q = w.get("quantization")
            if q:
                qdtype = {"uint8": np.uint8, "uint16": np.uint16, "float16": np.float16}[q["dtype"]]
                raw = np.frombuffer(buf, qdtype, count, offset)
                offset += count * raw.itemsize
                if q["dtype"] == "float16":
                    arr = raw.astype(np.float32)
                else:  # affine quantization: value = q * scale + min
                    arr = raw.astype(np.float32) * np.float32(q["scale"]) + np.float32(q["min"])
                if w["dtype"] == "int32":
                    arr = np.round(arr).astype(np.int32)
            else:
                dtype = {"float32": np.float32, "int32": np.int32, "bool": np.bool_}[w["dtype"]]
                arr = np.frombuffer(buf, dtype, count, offset)
                offset += count * arr.itemsize
            weights[w["name"]] = arr.reshape(shape).copy()
        if offset != len(buf):
            raise SystemExit(f"weights manifest covers {offset} bytes, the shards hold {len(buf)}")
    return weights


def attr_str(node, key, default=None):
    a = node.get("attr", {}).get(key)
    return base64.b64decode(a["s"]).decode() if a and "s" in a else default


def attr_ints(node, key):
    a = node.get("attr", {}).get(key)
    return [int(i) for i in a["list"].get("i", [])] if a else []


def attr_strs(node, key):
    a = node.get("attr", {}).get(key)
    return [base64.b64decode(s).decode() for s in a["list"].get("s", [])] if a else []


def input_name(ref):
    """'^ctrl' and 'node:1' references -> node name (this graph uses only output 0 here)."""
    ref = ref.lstrip("^")
    name, _, port = ref.partition(":")
    if port not in ("", "0"):
        raise SystemExit(f"unsupported reference to output {port} of {name}")
    return name


# ----------------------------------------------------------------------------------------------
# PyTorch building blocks

def same_padding(size, kernel, stride):
    """TF 'SAME' padding (before, after) along one axis for a given input size."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class LegacyResizeBilinear(nn.Module):
    """tf.image.resize_bilinear with align_corners=False, half_pixel_centers=False: the source
    coordinate of output pixel d is d * in / out (no half-pixel shift), neighbours clamped."""

    def __init__(self, in_h, in_w, out_h, out_w):
        super().__init__()
        for axis, n_in, n_out in (("h", in_h, out_h), ("w", in_w, out_w)):
            scale = n_in / n_out
            src = np.arange(n_out, dtype=np.float64) * scale
            i0 = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
            i1 = np.minimum(i0 + 1, n_in - 1)
            frac = (src - i0).astype(np.float32)
            self.register_buffer(f"i0_{axis}", torch.from_numpy(i0), persistent=False)
            self.register_buffer(f"i1_{axis}", torch.from_numpy(i1), persistent=False)
            self.register_buffer(f"f_{axis}", torch.from_numpy(frac), persistent=False)

    def forward(self, x):
        fh = self.f_h.view(1, 1, -1, 1)
        x = x.index_select(2, self.i0_h) * (1 - fh) + x.index_select(2, self.i1_h) * fh
        fw = self.f_w.view(1, 1, 1, -1)
        return x.index_select(3, self.i0_w) * (1 - fw) + x.index_select(3, self.i1_w) * fw


def resize_bilinear_legacy(x, out_h, out_w):
    """Functional form (used for the image pre-processing in the check script)."""
    return LegacyResizeBilinear(x.shape[2], x.shape[3], out_h, out_w)(x)


class CenterNet(nn.Module):
    """The graph as a list of steps; each conv step calls a real nn.Conv2d submodule."""

    def __init__(self):
        super().__init__()
        self.steps = []  # (kind, output slot, input slots, params)
        self.output_slots = ()

    def add_at(self, path, conv):
        """Registers a module under a nested path like 'MobilenetV3.expanded_conv_1.expand'."""
        parent = self
        parts = path.split(".")
        for p in parts[:-1]:
            if not hasattr(parent, p):
                parent.add_module(p, nn.Module())
            parent = getattr(parent, p)
        if hasattr(parent, parts[-1]):
            raise SystemExit(f"duplicate module path {path}")
        parent.add_module(parts[-1], conv)
        return conv

    def forward(self, images):
        slots = [images]
        for kind, _, ins, p in self.steps:
            slots.append(run_step(kind, [slots[i] if isinstance(i, int) else i for i in ins], p))
        return tuple(slots[i] for i in self.output_slots)


def run_step(kind, a, p):
    """Executes one graph step on NCHW tensors `a` (constants already in place)."""
    if kind == "conv":
        x = a[0]
        if p["pad"] is not None:
            x = F.pad(x, p["pad"])
        y = p["module"](x)
        if p["act"] == "Relu":
            y = F.relu(y)
        elif p["act"] == "Relu6":
            y = F.relu6(y)
        return y
    if kind == "add":
        return a[0] + a[1]
    if kind == "sub":
        return a[0] - a[1]
    if kind == "mul":
        return a[0] * a[1]
    if kind == "relu":
        return F.relu(a[0])
    if kind == "relu6":
        return F.relu6(a[0])
    if kind == "sigmoid":
        return torch.sigmoid(a[0])
    if kind == "mean":
        return a[0].mean(dim=p["dims"], keepdim=p["keep"])
    if kind == "concat":
        return torch.cat(a, dim=p["dim"])
    if kind == "resize":
        return p["module"](a[0])
    if kind == "maxpool":
        x = a[0]
        if p["pad"] is not None:
            x = F.pad(x, p["pad"], value=float("-inf"))
        return F.max_pool2d(x, p["kernel"], p["stride"])
    if kind == "identity":
        return a[0]
    raise RuntimeError(kind)


def module_path(weight_name):
    """TF weight name -> nested module path:
    tower_0/MobilenetV3/expanded_conv_1/expand/Conv2D_weights -> MobilenetV3.expanded_conv_1.expand
    tower_0/MobilenetV3/expanded_conv_1/depthwise/depthwise_weights -> ....depthwise
    MobilenetV3/expanded_conv_3/squeeze_excite/Conv/weights -> ....squeeze_excite.Conv
    CenternetHead/c2_reverse/3x3/depthwise_weights -> CenternetHead.c2_reverse.k3x3.depthwise
    tower_0/CenternetHead/c2_reverse/3x3/separable_conv2d_weights -> ....k3x3.pointwise"""
    parts = weight_name.split("/")
    if parts[0] == "tower_0":
        parts = parts[1:]
    last = parts.pop()
    if last == "weights":
        pass
    elif last.endswith("_weights"):
        stem = last[: -len("_weights")]
        mapped = {"Conv2D": None, "depthwise": "depthwise", "separable_conv2d": "pointwise",
                  "pointwise": "pointwise"}.get(stem, stem)
        if mapped and parts[-1] != mapped:
            parts.append(mapped)
    else:
        parts.append(last)
    clean = []
    for p in parts:
        p = re.sub(r"[^0-9A-Za-z_]", "_", p)
        if p[0].isdigit():
            p = "k" + p
        clean.append(p)
    return ".".join(clean)


def build(model_json, weights):
    nodes = {n["name"]: n for n in model_json["modelTopology"]["node"]}

    # nodes needed for the outputs, in dependency order
    order, state = [], {}

    def visit(name):
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            raise SystemExit(f"cycle at {name}")
        state[name] = 1
        for ref in nodes[name].get("input", []):
            visit(input_name(ref))
        state[name] = 2
        order.append(name)

    for out in OUTPUT_NODES:
        visit(out)

    model = CenterNet()
    slot_of = {INPUT_NODE: 0}
    shape_of = {INPUT_NODE: (1, 3, INPUT_SIZE, INPUT_SIZE)}  # NCHW, for padding and resize sizes
    probe = [torch.zeros(1, 3, INPUT_SIZE, INPUT_SIZE)]  # value per slot, for shape propagation
    used_weights = set()
    n_convs = 0

    def const(name):
        if name in weights:
            used_weights.add(name)
            return weights[name]
        v = nodes[name].get("attr", {}).get("value")
        raise SystemExit(f"constant {name} is not in the weights manifest ({v})")

    def operand(name):
        """A graph tensor (slot index) or a constant broadcastable in NCHW."""
        if nodes[name]["op"] != "Const":
            return slot_of[name]
        c = const(name)
        if c.ndim == 0:
            return float(c)
        if c.ndim == 1:
            return torch.from_numpy(c.astype(np.float32)).view(-1, 1, 1)
        raise SystemExit(f"constant {name} of shape {c.shape} in an element-wise op")

    for name in order:
        node = nodes[name]
        op = node["op"]
        if op in ("Const", "Placeholder"):
            if op == "Placeholder" and name != INPUT_NODE:
                raise SystemExit(f"unexpected input {name}")
            continue
        ins = [input_name(r) for r in node.get("input", [])]
        params = {}
        if op in ("Conv2D", "_FusedConv2D", "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative"):
            if attr_str(node, "data_format", "NHWC") != "NHWC":
                raise SystemExit(f"{name}: only NHWC")
            if any(d != 1 for d in attr_ints(node, "dilations")):
                raise SystemExit(f"{name}: dilation not supported")
            strides = attr_ints(node, "strides") or [1, 1, 1, 1]
            sh, sw = strides[1], strides[2]
            kernel = const(ins[1])
            depthwise = "Depthwise" in op
            kh, kw, cin, cm = kernel.shape
            if depthwise:  # HWCM -> (C*M, 1, H, W); output channel c*M + m as in TF
                w = torch.from_numpy(kernel).permute(2, 3, 0, 1).reshape(cin * cm, 1, kh, kw)
                cout, groups = cin * cm, cin
            else:  # HWIO -> OIHW
                w = torch.from_numpy(kernel).permute(3, 2, 0, 1)
                cout, groups = cm, 1
            fused = attr_strs(node, "fused_ops") if op.startswith(("_Fused", "Fused")) else []
            bias, act = None, None
            for f in fused:
                if f == "BiasAdd":
                    bias = const(ins[2])
                elif f in ("Relu", "Relu6"):
                    act = f
                else:
                    raise SystemExit(f"{name}: fused op {f} not supported")
            in_shape = shape_of[ins[0]]
            padding = attr_str(node, "padding")
            pad = None
            conv_pad = 0
            if padding == "SAME":
                ph = same_padding(in_shape[2], kh, sh)
                pw = same_padding(in_shape[3], kw, sw)
                if ph[0] == ph[1] and pw[0] == pw[1]:
                    conv_pad = (ph[0], pw[0])
                else:
                    pad = (pw[0], pw[1], ph[0], ph[1])
            elif padding != "VALID":
                raise SystemExit(f"{name}: padding {padding} not supported")
            conv = nn.Conv2d(cin, cout, (kh, kw), stride=(sh, sw), padding=conv_pad, groups=groups,
                             bias=bias is not None)
            with torch.no_grad():
                conv.weight.copy_(w)
                if bias is not None:
                    conv.bias.copy_(torch.from_numpy(bias))
            model.add_at(module_path(ins[1]), conv)
            n_convs += 1
            params = {"module": conv, "pad": pad, "act": act}
            kind, args = "conv", [slot_of[ins[0]]]
        elif op in ("Add", "AddV2", "Sub", "Mul"):
            kind = {"Add": "add", "AddV2": "add", "Sub": "sub", "Mul": "mul"}[op]
            args = [operand(i) for i in ins]
        elif op in ("Relu", "Relu6", "Sigmoid", "Identity"):
            kind, args = op.lower(), [slot_of[ins[0]]]
        elif op == "Mean":
            axes = [int(a) for a in np.atleast_1d(const(ins[1]))]
            to_nchw = {1: 2, 2: 3, 3: 1, -1: 1, -2: 3, -3: 2}
            kind, args = "mean", [slot_of[ins[0]]]
            keep = bool(node.get("attr", {}).get("keep_dims", {}).get("b", False))
            if not keep:
                raise SystemExit(f"{name}: Mean without keep_dims not supported")
            params = {"dims": [to_nchw[a] for a in axes], "keep": keep}
        elif op == "ConcatV2":
            axis = int(const(ins[-1]))
            if axis not in (3, -1):
                raise SystemExit(f"{name}: concat on axis {axis} not supported")
            kind, args, params = "concat", [slot_of[i] for i in ins[:-1]], {"dim": 1}
        elif op == "ResizeBilinear":
            a = node.get("attr", {})
            if a.get("align_corners", {}).get("b", False) or a.get("half_pixel_centers", {}).get("b", False):
                raise SystemExit(f"{name}: only align_corners=false, half_pixel_centers=false")
            out_h, out_w = [int(v) for v in const(ins[1])]
            s = shape_of[ins[0]]
            resize = LegacyResizeBilinear(s[2], s[3], out_h, out_w)
            kind, args, params = "resize", [slot_of[ins[0]]], {"module": resize}
        elif op == "MaxPool":
            k = attr_ints(node, "ksize")
            st = attr_ints(node, "strides")
            s = shape_of[ins[0]]
            pad = None
            if attr_str(node, "padding") == "SAME":
                ph = same_padding(s[2], k[1], st[1])
                pw = same_padding(s[3], k[2], st[2])
                pad = (pw[0], pw[1], ph[0], ph[1])
            kind, args = "maxpool", [slot_of[ins[0]]]
            params = {"kernel": (k[1], k[2]), "stride": (st[1], st[2]), "pad": pad}
        else:
            raise SystemExit(f"{name}: op {op} not supported")

        slot = len(model.steps) + 1
        model.steps.append((kind, slot, args, params))
        if kind == "resize":  # keep the index buffers with the model
            model.add_at(module_path(name.rsplit("/", 1)[0] + "/weights"), params["module"])
        # shape propagation: evaluate the new step on the probe (a zero image)
        with torch.no_grad():
            y = run_step(kind, [probe[i] if isinstance(i, int) else i for i in args], params)
        probe.append(y)
        shape_of[name] = tuple(y.shape)
        slot_of[name] = slot

    model.output_slots = tuple(slot_of[o] for o in OUTPUT_NODES)
    return model, used_weights, n_convs


def save_without_debug_info(traced, path):
    """torch.jit.save, minus the *.debug_pkl records: they hold Python source ranges with this
    script's absolute path and line numbers, so the file would depend on where and from which
    revision of the script it was made. TorchScript loads fine without them (they are optional);
    the result is byte-identical for the same inputs and torch version."""
    with tempfile.TemporaryDirectory() as tmp:
        full = os.path.join(tmp, os.path.basename(path))  # the name sets the archive folder
        traced.save(full)
        with zipfile.ZipFile(full) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zout:
            for info in zin.infolist():
                if info.filename.endswith(".debug_pkl"):
                    continue
                zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                zi.compress_type = zipfile.ZIP_STORED
                zi.external_attr = 0o644 << 16
                zout.writestr(zi, zin.read(info))


def parse_labels(path):
    """COCO labels from src/object/labels.ts: entries { class: N, label: 'name' } (N 1-based)."""
    text = open(path, encoding="utf-8").read()
    entries = [(int(c), l) for c, l in re.findall(r"class:\s*(\d+)\s*,\s*label:\s*'([^']*)'", text)]
    if [c for c, _ in entries] != list(range(1, len(entries) + 1)):
        raise SystemExit(f"{path}: labels are not numbered 1..N in order")
    return [l for _, l in entries]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model-dir", required=True, help="folder with centernet.json and centernet.bin")
    ap.add_argument("--labels", required=True, help="src/object/labels.ts of @vladmandic/human")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--name", default="centernet_mbv3")
    ap.add_argument("--keep-debug-info", action="store_true",
                    help="keep TorchScript's Python source ranges (*.debug_pkl) in the saved file")
    args = ap.parse_args()

    torch.manual_seed(0)
    model_json = json.load(open(os.path.join(args.model_dir, "centernet.json")))
    weights = load_weights(model_json, args.model_dir)
    model, used, n_convs = build(model_json, weights)
    model.eval()
    labels = parse_labels(args.labels)

    n_params = sum(p.numel() for p in model.parameters())
    n_conv_modules = sum(1 for m in model.modules() if isinstance(m, nn.Conv2d))
    float_weights = {k for k, v in weights.items() if v.dtype == np.float32 and v.ndim > 0}
    unused = sorted(float_weights - used)
    print(f"graph: {len(model.steps)} steps, {n_convs} convolutions ({n_conv_modules} nn.Conv2d), "
          f"{n_params} parameters")
    if unused:
        print(f"unused float weights: {unused}")

    example = torch.rand(1, 3, INPUT_SIZE, INPUT_SIZE) * 255
    with torch.no_grad():
        eager = model(example)
        traced = torch.jit.trace(model, example, check_trace=False)
        batch = torch.cat([example, example.flip(3)])
        t1, t2 = traced(batch), model(batch)
    for a, b in zip(t1, t2):
        if a.shape != b.shape or not torch.allclose(a, b, atol=1e-5, rtol=1e-5):
            raise SystemExit("traced module differs from the eager one")
    heat, wh = eager
    if tuple(heat.shape) != (1, len(labels), INPUT_SIZE // 4, INPUT_SIZE // 4) or tuple(wh.shape) != (1, 4, INPUT_SIZE // 4, INPUT_SIZE // 4):
        raise SystemExit(f"unexpected output shapes {tuple(heat.shape)} {tuple(wh.shape)}")

    graph = traced.inlined_graph
    conv_nodes = [n for n in graph.nodes() if n.kind() in ("aten::_convolution", "aten::conv2d")]
    print(f"TorchScript graph: {len(conv_nodes)} convolution nodes "
          f"({sorted({n.kind() for n in conv_nodes})})")
    if len(conv_nodes) != n_convs:
        raise SystemExit("the traced graph does not contain every convolution")

    os.makedirs(args.out_dir, exist_ok=True)
    pt_path = os.path.join(args.out_dir, args.name + ".pt")
    if args.keep_debug_info:
        traced.save(pt_path)
    else:
        save_without_debug_info(traced, pt_path)
    reloaded = torch.jit.load(pt_path)
    with torch.no_grad():
        for a, b in zip(reloaded(example), eager):
            if not torch.equal(a, b):
                raise SystemExit("the saved module does not reproduce the outputs")
    onnx_path = export_onnx(traced, example, os.path.join(args.out_dir, args.name + ".onnx"),
                            ["heatmap", "wh"])

    profile = {
        "task": "detection",
        "input": {"width": INPUT_SIZE, "height": INPUT_SIZE, "channels": 3, "color": "rgb", "scale": 1.0,
                  "mean": [0, 0, 0], "std": [1, 1, 1], "resize": "stretch"},
        "output": {"decoder": "centernet", "score_threshold": 0.3, "nms_iou": 0.4, "top_k": 100},
        "labels": labels,
    }
    profile_path = os.path.join(args.out_dir, args.name + ".profile.json")
    with open(profile_path, "w", encoding="utf-8") as f:
        json.dump(profile, f, indent=2)
        f.write("\n")
    print(f"wrote {pt_path} ({os.path.getsize(pt_path)} bytes), {onnx_path}, {profile_path}; "
          f"torch {torch.__version__}")


if __name__ == "__main__":
    main()
