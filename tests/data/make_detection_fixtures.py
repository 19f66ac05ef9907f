#!/usr/bin/python3
"""Makes the small scripted torchvision detection models under tests/data/ that the C++ tests
load (tests/core/tst_detectionmodels.cpp): SSDlite, RetinaNet and Faster R-CNN built from
torchvision's own classes with random weights (no download) and tiny backbones, scripted with
torch.jit.script. Their forward takes a list of (C, H, W) images and returns torchvision's
(losses, detections) tuple; they call torchvision::nms (and roi_align for Faster R-CNN), which
MPQ Studio registers itself, so the tests need neither Python nor torchvision.

Run with Debian's interpreter (python3-torch 1.13, python3-torchvision 0.14):

    PYTHONHASHSEED=0 /usr/bin/python3 tests/data/make_detection_fixtures.py tests/data

The files are reproducible for a given torch/torchvision build (fixed seeds, no timestamps
beyond those of the zip writer). Each is well under 1 MB.
"""
import os
import sys
from collections import OrderedDict
from functools import partial

import torch
from torch import nn
import torchvision
from torchvision.models import mobilenet_v3_small
from torchvision.models.detection.faster_rcnn import FasterRCNN
from torchvision.models.detection.retinanet import RetinaNet
from torchvision.models.detection.ssd import SSD
from torchvision.models.detection.anchor_utils import AnchorGenerator, DefaultBoxGenerator
from torchvision.models.detection.backbone_utils import BackboneWithFPN
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor, TwoMLPHead
from torchvision.models.detection.retinanet import RetinaNetHead
from torchvision.models.detection.ssdlite import SSDLiteHead, _mobilenet_extractor
from torchvision.ops import MultiScaleRoIAlign
from torchvision.ops.feature_pyramid_network import LastLevelP6P7

SIZE = 64          # input images are SIZE x SIZE; the models keep that size (no internal resize)
NUM_CLASSES = 3    # background + 2 classes


def randomize_batchnorms(model):
    """Non-trivial running statistics, so BatchNorm folding changes the weights."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn_like(m.running_mean) * 0.1)
            m.running_var.copy_(torch.rand_like(m.running_var) + 0.5)
            if m.weight is not None:
                m.weight.data.copy_(torch.rand_like(m.weight) + 0.5)
                m.bias.data.copy_(torch.randn_like(m.bias) * 0.1)


def tiny_backbone_features():
    # MobileNetV3-Small at a quarter width: ~20k parameters in its features
    return mobilenet_v3_small(weights=None, width_mult=0.25, reduced_tail=True).features


def ssdlite():
    norm = partial(nn.BatchNorm2d, eps=0.001, momentum=0.03)
    backbone = mobilenet_v3_small(weights=None, width_mult=0.25, reduced_tail=True, norm_layer=norm)
    extractor = _mobilenet_extractor(backbone, 6, norm)
    # narrower extra layers than torchvision's 512/256/256/128
    from torchvision.models.detection.ssdlite import _extra_block
    extractor.extra = nn.ModuleList([
        _extra_block(extractor.features[-1][-1].out_channels, 32, norm),
        _extra_block(32, 16, norm),
    ])
    anchors = DefaultBoxGenerator([[2, 3] for _ in range(4)], min_ratio=0.2, max_ratio=0.95)
    out_channels = torchvision.models.detection._utils.retrieve_out_channels(extractor, (SIZE, SIZE))
    head = SSDLiteHead(out_channels, anchors.num_anchors_per_location(), NUM_CLASSES, norm)
    return SSD(extractor, anchors, (SIZE, SIZE), NUM_CLASSES, head=head, score_thresh=0.0,
               nms_thresh=0.5, detections_per_img=20, topk_candidates=50,
               image_mean=[0.5, 0.5, 0.5], image_std=[0.5, 0.5, 0.5])


def fpn_backbone():
    features = tiny_backbone_features()
    # stride-8 and stride-16 stages of MobileNetV3-Small (blocks 3 and 8)
    channels = [features[3].out_channels, features[8].out_channels]
    return BackboneWithFPN(features, {"3": "0", "8": "1"}, channels, 16,
                           extra_blocks=LastLevelP6P7(16, 16))


def retinanet():
    backbone = fpn_backbone()
    anchors = AnchorGenerator(sizes=((8,), (16,), (32,), (64,)),
                              aspect_ratios=((0.5, 1.0, 2.0),) * 4)
    head = RetinaNetHead(16, anchors.num_anchors_per_location()[0], NUM_CLASSES)
    # torchvision's initialisation for training (weights of std 0.01, the classification prior
    # 0.01 as bias) makes every score of an untrained head 0.01 to within 1e-7: which 20 of the
    # tied anchors are kept is then decided by float rounding, and no two runs that round
    # differently (the expanded export against the in-app model) keep the same boxes. He
    # initialisation and zero biases spread the scores the way a trained head's are spread.
    with torch.no_grad():
        for m in head.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.zeros_(m.bias)
    return RetinaNet(backbone, NUM_CLASSES, min_size=SIZE, max_size=SIZE,
                     anchor_generator=anchors, head=head, score_thresh=0.0,
                     detections_per_img=20, topk_candidates=50)


class TinyBackbone(nn.Module):
    """Three conv-BN-ReLU stages, stride 8, 16 channels: one feature map."""

    def __init__(self):
        super().__init__()
        layers = []
        for i, (cin, cout) in enumerate([(3, 8), (8, 16), (16, 16)]):
            layers += [nn.Conv2d(cin, cout, 3, 2, 1, bias=False), nn.BatchNorm2d(cout),
                       nn.ReLU(inplace=True)]
        self.body = nn.Sequential(*layers)
        self.out_channels = 16

    def forward(self, x):
        return self.body(x)


def fasterrcnn():
    anchors = AnchorGenerator(sizes=((16, 32),), aspect_ratios=((0.5, 1.0, 2.0),))
    pool = MultiScaleRoIAlign(featmap_names=["0"], output_size=4, sampling_ratio=2)
    return FasterRCNN(TinyBackbone(), num_classes=None, min_size=SIZE, max_size=SIZE,
                      rpn_anchor_generator=anchors, box_roi_pool=pool,
                      box_head=TwoMLPHead(16 * 4 * 4, 32),
                      box_predictor=FastRCNNPredictor(32, NUM_CLASSES),
                      rpn_pre_nms_top_n_test=100, rpn_post_nms_top_n_test=30,
                      box_score_thresh=0.0, box_detections_per_img=20)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    torch.set_num_threads(1)
    for name, build in [("ssdlite_tiny", ssdlite), ("retinanet_tiny", retinanet),
                        ("fasterrcnn_tiny", fasterrcnn)]:
        torch.manual_seed(0)
        model = build().eval()
        with torch.no_grad():
            randomize_batchnorms(model)
        scripted = torch.jit.script(model)
        path = os.path.join(out, name + ".pt")
        scripted.save(path)
        # a check that the scripted model runs on two images and finds boxes
        torch.manual_seed(1)
        with torch.no_grad():
            _, detections = scripted([torch.rand(3, SIZE, SIZE), torch.rand(3, SIZE, SIZE)])
        params = sum(p.numel() for p in model.parameters())
        scores = torch.cat([d["scores"] for d in detections]).sort().values
        gap = (scores[1:] - scores[:-1]).min().item() if len(scores) > 1 else 0.0
        print(f"{path}: {os.path.getsize(path)} bytes, {params} parameters, "
              f"{[len(d['boxes']) for d in detections]} boxes, scores "
              f"{scores[0].item():.4g} to {scores[-1].item():.4g}, closest two {gap:.3g} apart")


if __name__ == "__main__":
    main()
