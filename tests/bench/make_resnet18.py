#!/usr/bin/python3
"""Writes a scripted ResNet-18 (torchvision, random weights) and its profile for bench_pipeline.

Run with Debian's /usr/bin/python3 (python3-torch, python3-torchvision). The weights are random
(no download): the benchmark measures speed and memory, not accuracy. BatchNorm statistics are
randomised like a trained model's so that folding has real work to do.
Usage: make_resnet18.py OUT.pt   (also writes OUT.profile.json beside it)
"""
import json
import os
import sys

import torch
import torchvision

out = sys.argv[1]
torch.manual_seed(0)
model = torchvision.models.resnet18(weights=None).eval()
with torch.no_grad():
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-0.1, 0.1)
            module.running_var.uniform_(0.5, 1.5)
            module.weight.uniform_(0.5, 1.5)
            module.bias.uniform_(-0.1, 0.1)
torch.jit.script(model).save(out)
profile = {
    "task": "classification",
    "input": {"width": 224, "height": 224, "channels": 3, "color": "rgb", "scale": 1 / 255,
              "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225], "resize": "stretch"},
    "output": {"decoder": "logits"},
}
with open(os.path.splitext(out)[0] + ".profile.json", "w") as f:
    json.dump(profile, f, indent=2)
