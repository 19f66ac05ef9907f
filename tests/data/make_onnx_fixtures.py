#!/usr/bin/python3
"""Makes the ONNX import fixtures under tests/data/onnx (docs/onnx.md "Tests").

Each model is written three ways: NAME.onnx (torch.onnx.export, opset 13, dynamic batch),
NAME.pt (its TorchScript twin, traced) and NAME_input.pb / NAME_output.pb (an input batch and
the twin's output on it, as ONNX TensorProto files). tst_onnximport checks that the imported
ONNX model gives the twin's output and the same layers. Run with Debian's python3-torch and
python3-onnx, offline:

    PYTHONHASHSEED=0 /usr/bin/python3 tests/data/make_onnx_fixtures.py [--only nhwc]

The test run itself never needs Python: the outputs are committed.

ONNX Runtime outputs of the onnx-qdq exports (docs/onnx.md section 5), after the exports
tests/data/onnx/qdq/NAME-qdq.onnx were written by the test suite:

    MPQ_WRITE_QDQ_FIXTURES=$PWD/tests/data/onnx/qdq build/tests/tst_onnxexport qdqMatchesOnnxRuntime
    /usr/bin/python3 tests/data/make_onnx_fixtures.py --onnxruntime

installs onnxruntime-node with npm (`npm install --ignore-scripts onnxruntime-node`, its Linux
library is inside the package) in a temporary folder, runs onnxruntime_outputs.js, and writes
NAME-qdq_ort_output.pb beside the exports (needs neither torch nor onnx).
"""
import os
import subprocess
import sys
import tempfile

FIXTURES = ["cnn_bn", "cnn_fused", "depthwise", "gemm_head", "residual"]


def run_onnxruntime():
    here = os.path.dirname(os.path.abspath(__file__))
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "install", "--ignore-scripts", "--no-save", "onnxruntime-node"],
                       cwd=tmp, check=True)
        env = dict(os.environ, NODE_PATH=os.path.join(tmp, "node_modules"))
        subprocess.run(["node", os.path.join(here, "onnxruntime_outputs.js"),
                        os.path.join(here, "onnx")] + FIXTURES, env=env, check=True)
    return 0


if __name__ == "__main__" and "--onnxruntime" in sys.argv:
    sys.exit(run_onnxruntime())

import onnx
import onnx.numpy_helper
import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "onnx")


class SmallCnn(nn.Module):
    """A classifier with BatchNorms (kept as BatchNormalization nodes in the ONNX file)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 16, 3, stride=2, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(16)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv1(x)))
        x = torch.max_pool2d(x, 2)
        x = torch.relu(self.bn2(self.conv2(x)))
        x = torch.nn.functional.adaptive_avg_pool2d(x, 1)
        x = torch.flatten(x, 1)
        return torch.softmax(self.fc(x), dim=1)


class SmallCnnNhwc(SmallCnn):
    """SmallCnn taking (B, H, W, C) input, as tf2onnx writes models: a Transpose at the start.
    Made with the same seed as cnn_bn, it has cnn_bn's weights and parameter names, so its
    output on NHWC input equals cnn_bn's on the same images in NCHW (docs/onnx.md, NHWC)."""

    def forward(self, x):
        return super().forward(x.permute(0, 3, 1, 2))


class Depthwise(nn.Module):
    """Depthwise, grouped and dilated convolutions, HardSwish, average pooling."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 12, 3, stride=2, padding=1)
        self.dw = nn.Conv2d(12, 12, 3, padding=1, groups=12)
        self.pw = nn.Conv2d(12, 16, 1)
        self.grouped = nn.Conv2d(16, 16, 3, padding=2, dilation=2, groups=4)
        self.fc = nn.Linear(16 * 8 * 8, 5)

    def forward(self, x):
        x = nn.functional.hardswish(self.stem(x))
        x = torch.relu6(self.dw(x)) if hasattr(torch, "relu6") else torch.clamp(self.dw(x), 0, 6)
        x = torch.sigmoid(self.pw(x)) * x.mean(1, keepdim=True)
        x = nn.functional.leaky_relu(self.grouped(x), 0.1)
        x = nn.functional.avg_pool2d(x, 2)
        return self.fc(x.reshape(x.shape[0], -1))


class Residual(nn.Module):
    """A residual block, upsampling and concatenation (a small detector-like neck)."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.conv1 = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(8)
        self.down = nn.Conv2d(8, 8, 3, stride=2, padding=1)
        self.head = nn.Conv2d(16, 6, 1)

    def forward(self, x):
        x = torch.relu(self.stem(x))
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        x = torch.relu(x + y)
        d = torch.relu(self.down(x))
        u = nn.functional.interpolate(d, scale_factor=2.0, mode="nearest")
        return self.head(torch.cat([x, u], 1))


class GemmHead(nn.Module):
    """Gemm and MatMul heads: Linear on 2-D and 3-D input, LayerNorm, GELU (Erf), softmax."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 4, stride=4)
        self.proj = nn.Linear(4, 8)
        self.norm = nn.LayerNorm(8)
        self.mlp = nn.Linear(8, 8)
        self.fc1 = nn.Linear(8 * 64, 32)
        self.fc2 = nn.Linear(32, 7)

    def forward(self, x):
        x = self.conv(x)  # N, 4, 8, 8
        t = x.flatten(2).transpose(1, 2)  # N, 64, 4
        t = self.proj(t)  # MatMul + Add
        t = t + nn.functional.gelu(self.mlp(self.norm(t)))
        h = torch.relu(self.fc1(t.reshape(t.shape[0], -1)))
        return torch.log_softmax(self.fc2(h), dim=-1)


def randomize_bn(model):
    g = torch.Generator().manual_seed(7)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.running_mean.copy_(torch.randn(m.num_features, generator=g) * 0.1)
                m.running_var.copy_(torch.rand(m.num_features, generator=g) + 0.5)
                m.weight.copy_(torch.rand(m.num_features, generator=g) + 0.5)
                m.bias.copy_(torch.randn(m.num_features, generator=g) * 0.1)


def save_tensor(t, path):
    onnx.save_tensor(onnx.numpy_helper.from_array(t.detach().numpy()), path)


def make(name, model, keep_bn, nhwc=False):
    torch.manual_seed(0)
    model.eval()
    randomize_bn(model)
    x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(1))
    if nhwc:
        x = x.permute(0, 2, 3, 1).contiguous()
    path = os.path.join(OUT, name + ".onnx")
    torch.onnx.export(
        model, (x,), path, opset_version=13, input_names=["input"], output_names=["output"],
        dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
        # TrainingMode.PRESERVE on a model in eval mode keeps BatchNormalization nodes (the
        # default fuses them into the convolutions): the importer must handle both.
        training=torch.onnx.TrainingMode.PRESERVE if keep_bn else torch.onnx.TrainingMode.EVAL,
        do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))
    twin = torch.jit.trace(model, (x,))
    twin.save(os.path.join(OUT, name + ".pt"))
    with torch.no_grad():
        y = twin(x)
    save_tensor(x, os.path.join(OUT, name + "_input.pb"))
    save_tensor(y, os.path.join(OUT, name + "_output.pb"))
    ops = sorted({n.op_type for n in onnx.load(path).graph.node})
    print(name, "ops:", " ".join(ops))


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    make("cnn_bn", SmallCnn(), keep_bn=True)
    torch.manual_seed(0)
    make("cnn_fused", SmallCnn(), keep_bn=False)
    torch.manual_seed(0)
    make("depthwise", Depthwise(), keep_bn=False)
    torch.manual_seed(0)
    make("residual", Residual(), keep_bn=True)
    torch.manual_seed(0)
    make("gemm_head", GemmHead(), keep_bn=False)
    torch.manual_seed(0)
    make("nhwc", SmallCnnNhwc(), keep_bn=True, nhwc=True)
    return 0


if __name__ == "__main__":
    if "--only" in sys.argv:  # one fixture, e.g. --only nhwc: the others stay as committed
        only = sys.argv[sys.argv.index("--only") + 1]
        os.makedirs(OUT, exist_ok=True)
        torch.manual_seed(0)
        model = {"nhwc": SmallCnnNhwc, "cnn_bn": SmallCnn}[only]()
        sys.exit(make(only, model, keep_bn=True, nhwc=only == "nhwc") or 0)
    sys.exit(main())
