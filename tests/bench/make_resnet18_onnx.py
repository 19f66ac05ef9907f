#!/usr/bin/python3
"""Writes a torchvision ResNet-18 (random weights, no download) as ONNX (opset 13, dynamic
batch) and as its traced TorchScript twin, for bench_onnximport.
Usage: make_resnet18_onnx.py OUT_DIR   (writes resnet18.onnx and resnet18.pt there)
"""
import os
import sys

import torch
import torchvision

out = sys.argv[1]
torch.manual_seed(0)
model = torchvision.models.resnet18(weights=None).eval()
x = torch.randn(1, 3, 224, 224)
torch.onnx.export(model, (x,), os.path.join(out, "resnet18.onnx"), opset_version=13,
                  input_names=["input"], output_names=["logits"],
                  dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
                  training=torch.onnx.TrainingMode.PRESERVE)
torch.jit.trace(model, (x,)).save(os.path.join(out, "resnet18.pt"))
