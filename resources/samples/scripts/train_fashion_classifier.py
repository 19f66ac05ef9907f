#!/usr/bin/python3
"""Trains MPQ Studio's built-in demo classifier on Fashion-MNIST, reproducibly, and exports it.

What: a small residual network with batch norm (13 plain nn.Conv2d layers, two of the residual
blocks depthwise-separable: a 3x3 depthwise conv with groups=C followed by a 1x1 conv, and one
nn.Linear), trained from scratch on the 60,000 Fashion-MNIST training images.

Data: Debian's package dataset-fashion-mnist (MIT, Zalando Research):
    apt-get install -y --no-install-recommends dataset-fashion-mnist
reads /usr/share/datasets/fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz.

Input: 1 x 28 x 28 gray, normalised as (pixel / 255 - 0.2860) / 0.3530. 0.2860 and 0.3530 are
the mean and standard deviation of the training pixels (scaled to 0..1); the script prints the
values it measures, for reference, but always uses these fixed constants (they are in the
profile). Augmentation: random crop of 28 x 28 out of the image padded by 2 zero (background)
pixels on each side, and random horizontal flip.

Training: AdamW with a one-cycle learning rate, batch 128, label smoothing 0.1, EPOCHS epochs,
seed 20240607 (torch.manual_seed; the data order and the augmentation come from a torch.Generator
with the same seed), torch.set_num_threads(2), deterministic algorithms. The same torch version
on the same kind of CPU gives the same weights; another CPU or version may differ in the last
bits, and so by a few test images.

How to run (Debian's interpreter, which has python3-torch and python3-numpy):
    /usr/bin/python3 resources/samples/scripts/train_fashion_classifier.py
from the repository root (or pass --out DIR). About 10-15 minutes on 2 idle CPU cores (each
epoch about 1.5 minutes plus a short test pass); longer on a busy machine.

What it writes, in resources/samples/fashion/ (or --out DIR):
    fashion_resnet.pt            the model, torch.jit.script, eval mode (about 0.4 MB)
    fashion_resnet.onnx          its ONNX twin: torch.onnx.export of the same scripted module,
                                 opset 13 (export_onnx.py; needs python3-onnx)
    fashion_resnet.profile.json  the MPQ Studio profile (input transform, decoder, labels)
    test/<folder>/<index>.png    the first 50 test images of each class (500 images), 8-bit
                                 gray PNG; <index> is the image's index in the 10,000-image test
                                 file, 4 digits zero-padded; <folder> is the filesystem-safe
                                 label (FOLDERS below)
    test/labels_folders.json     {"folder": "label", ...}
    test/README.md               the folder -> label table
    RESULTS.md                   accuracy on the 10,000 test images and on the 500 PNG files
                                 (read back from the files, exactly as the app prepares them),
                                 training time, parameters, convs, file size, seed, torch version
"""
import argparse
import gzip
import hashlib
import json
import os
import struct
import sys
import time
import zlib

# Sleeping rather than spinning OpenMP threads: on a machine shared with other jobs, spinning
# makes training several times slower. It does not change the results.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

SEED = 20240607
EPOCHS = 8
BATCH = 128
MAX_LR = 3e-3
WEIGHT_DECAY = 0.05
LABEL_SMOOTHING = 0.1
PAD = 2  # random-crop padding, pixels

SCALE = 0.00392156862745098  # 1/255, as written in the profile
MEAN = 0.2860
STD = 0.3530
DATA_DIR = "/usr/share/datasets/fashion-mnist"

LABELS = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
          "Bag", "Ankle boot"]
FOLDERS = ["tshirt-top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker",
           "bag", "ankle-boot"]
PER_CLASS = 50


# ---------------------------------------------------------------------------------------------
# Data


def read_idx(path, header):
    """The payload of a gzip IDX file after its header (16 bytes for images, 8 for labels)."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, count = struct.unpack(">II", raw[:8])
    data = np.frombuffer(raw, dtype=np.uint8, offset=header)
    if header == 16:
        rows, cols = struct.unpack(">II", raw[8:16])
        assert magic == 0x803 and (rows, cols) == (28, 28), path
        return data.reshape(count, rows, cols)
    assert magic == 0x801, path
    return data.reshape(count)


def load_split(name):
    images = read_idx(os.path.join(DATA_DIR, f"{name}-images-idx3-ubyte.gz"), 16)
    labels = read_idx(os.path.join(DATA_DIR, f"{name}-labels-idx1-ubyte.gz"), 8)
    assert len(images) == len(labels)
    return images, labels


def prepare(u8):
    """uint8 N x 28 x 28 -> float32 N x 1 x 28 x 28, as the app does it: for every 8-bit value
    v, float((v * scale - mean) / std) computed in double (core/src/data/images.cpp)."""
    lut = ((np.arange(256, dtype=np.float64) * SCALE - MEAN) / STD).astype(np.float32)
    return torch.from_numpy(lut[np.asarray(u8)]).unsqueeze(1)


def augment(x, gen):
    """Random crop (zero padding of PAD pixels, in pixel value 0 = background) and random
    horizontal flip of a normalised batch, all from gen."""
    n = x.shape[0]
    background = float((0 * SCALE - MEAN) / STD)
    padded = F.pad(x, (PAD, PAD, PAD, PAD), value=background)
    dy = torch.randint(0, 2 * PAD + 1, (n,), generator=gen)
    dx = torch.randint(0, 2 * PAD + 1, (n,), generator=gen)
    r = torch.arange(28)
    rows = (dy[:, None] + r)[:, :, None]  # n x 28 x 1
    cols = (dx[:, None] + r)[:, None, :]  # n x 1 x 28
    out = padded[torch.arange(n)[:, None, None], 0, rows, cols].unsqueeze(1)
    flip = torch.rand(n, generator=gen) < 0.5
    return torch.where(flip[:, None, None, None], out.flip(3), out)


# ---------------------------------------------------------------------------------------------
# Model


class BasicBlock(nn.Module):
    """Two 3x3 convs with batch norm; a 1x1 conv shortcut when the shape changes."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                          nn.BatchNorm2d(cout))
        else:
            self.shortcut = nn.Sequential()

    def forward(self, x):
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return self.relu(y + self.shortcut(x))


class SeparableBlock(nn.Module):
    """Depthwise-separable residual block: 3x3 depthwise conv (groups=C), then 1x1 conv."""

    def __init__(self, channels):
        super().__init__()
        self.dw = nn.Conv2d(channels, channels, 3, 1, 1, groups=channels, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.pw = nn.Conv2d(channels, channels, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        y = self.relu(self.bn1(self.dw(x)))
        y = self.bn2(self.pw(y))
        return self.relu(y + x)


class FashionResNet(nn.Module):
    """1x28x28 -> 10 logits. 28x28: stem, layer1; 14x14: layer2, layer3; 7x7: layer4, layer5."""

    def __init__(self, widths=(16, 32, 64), classes=10):
        super().__init__()
        a, b, c = widths
        self.stem = nn.Sequential(nn.Conv2d(1, a, 3, 1, 1, bias=False), nn.BatchNorm2d(a),
                                  nn.ReLU(inplace=True))
        self.layer1 = BasicBlock(a, a, 1)
        self.layer2 = BasicBlock(a, b, 2)
        self.layer3 = SeparableBlock(b)
        self.layer4 = BasicBlock(b, c, 2)
        self.layer5 = SeparableBlock(c)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(c, classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        # Zero-initialised last BN of each residual branch: every block starts as the identity.
        for block in (self.layer1, self.layer2, self.layer3, self.layer4, self.layer5):
            nn.init.zeros_(block.bn2.weight)

    def forward(self, x):
        x = self.stem(x)
        x = self.layer5(self.layer4(self.layer3(self.layer2(self.layer1(x)))))
        return self.fc(torch.flatten(self.pool(x), 1))


# ---------------------------------------------------------------------------------------------
# Training and evaluation


def train(model, x, y, epochs, seed, log, evaluate_each=None, limit_batches=None):
    gen = torch.Generator().manual_seed(seed)
    steps = len(x) // BATCH  # the incomplete last batch is dropped (a new one each epoch)
    if limit_batches:
        steps = min(steps, limit_batches)
    opt = torch.optim.AdamW(model.parameters(), lr=MAX_LR, weight_decay=WEIGHT_DECAY)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=MAX_LR, epochs=epochs,
                                                steps_per_epoch=steps)
    for epoch in range(epochs):
        model.train()
        t0 = time.time()
        order = torch.randperm(len(x), generator=gen)
        loss_sum, correct = 0.0, 0
        for i in range(steps):
            idx = order[i * BATCH:(i + 1) * BATCH]
            xb = augment(x[idx], gen)
            yb = y[idx]
            out = model(xb)
            loss = F.cross_entropy(out, yb, label_smoothing=LABEL_SMOOTHING)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.item()
            correct += int((out.argmax(1) == yb).sum())
        msg = (f"epoch {epoch + 1}/{epochs}: loss {loss_sum / steps:.4f}, "
               f"train acc {100.0 * correct / (steps * BATCH):.2f}%, {time.time() - t0:.0f} s")
        if evaluate_each is not None:
            msg += f", test acc {100.0 * evaluate_each(model):.2f}%"
        log(msg)


@torch.no_grad()
def predict(model, x, batch=500):
    model.eval()
    return torch.cat([model(x[i:i + batch]).argmax(1) for i in range(0, len(x), batch)])


# ---------------------------------------------------------------------------------------------
# PNG, standard library only


def png_chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data +
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def write_png_gray(path, img):
    """8-bit grayscale PNG (colour type 0), filter 0 on every row, zlib level 9."""
    h, w = img.shape
    raw = b"".join(b"\x00" + img[r].tobytes() for r in range(h))
    data = (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + png_chunk(b"IDAT", zlib.compress(raw, 9)) + png_chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(data)


def read_png_gray(path):
    """Reads an 8-bit grayscale, non-interlaced PNG (any filter types) back to uint8 h x w."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    pos, idat, w = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            w, h, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert (depth, color, interlace) == (8, 0, 0), path
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + length
    raw = zlib.decompress(idat)
    out = np.zeros((h, w), dtype=np.uint8)
    prev = np.zeros(w, dtype=np.int32)
    for r in range(h):
        ftype = raw[r * (w + 1)]
        line = np.frombuffer(raw, np.uint8, w, r * (w + 1) + 1).astype(np.int32)
        cur = np.zeros(w, dtype=np.int32)
        for c in range(w):
            left = cur[c - 1] if c else 0
            up = prev[c]
            upleft = prev[c - 1] if c else 0
            if ftype == 0:
                pred = 0
            elif ftype == 1:
                pred = left
            elif ftype == 2:
                pred = up
            elif ftype == 3:
                pred = (left + up) // 2
            else:
                p = left + up - upleft
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else upleft)
            cur[c] = (line[c] + pred) & 0xFF
        out[r] = cur
        prev = cur
    return out


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--out", default=os.path.join(here, "..", "fashion"))
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args()
    out = os.path.normpath(args.out)
    os.makedirs(out, exist_ok=True)

    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)  # unused, for safety
    log = lambda s: print(s, flush=True)  # noqa: E731

    train_u8, train_y = load_split("train")
    test_u8, test_y = load_split("t10k")
    pix = train_u8.astype(np.float64) / 255.0
    log(f"training pixels: mean {pix.mean():.4f}, std {pix.std():.4f} "
        f"(used: mean {MEAN}, std {STD})")
    x_train, y_train = prepare(train_u8), torch.from_numpy(train_y.astype(np.int64))
    x_test, y_test = prepare(test_u8), torch.from_numpy(test_y.astype(np.int64))

    model = FashionResNet()
    params = sum(p.numel() for p in model.parameters())
    convs = [n for n, m in model.named_modules() if isinstance(m, nn.Conv2d)]
    depthwise = [n for n, m in model.named_modules()
                 if isinstance(m, nn.Conv2d) and m.groups == m.in_channels > 1]
    log(f"model: {params} parameters, {len(convs)} convs ({len(depthwise)} depthwise), 1 linear")

    t0 = time.time()
    train(model, x_train, y_train, args.epochs, args.seed, log,
          evaluate_each=lambda m: float((predict(m, x_test) == y_test).float().mean()))
    train_s = time.time() - t0
    log(f"training: {train_s:.0f} s")

    model.eval()
    scripted = torch.jit.script(model)
    model_path = os.path.join(out, "fashion_resnet.pt")
    scripted.save(model_path)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from export_onnx import export_onnx  # noqa: E402
    export_onnx(scripted, x_test[:1].clone(), os.path.join(out, "fashion_resnet.onnx"), ["logits"])
    profile = {
        "task": "classification",
        "input": {"width": 28, "height": 28, "channels": 1, "color": "gray", "scale": SCALE,
                  "mean": [MEAN], "std": [STD], "resize": "stretch"},
        "output": {"decoder": "logits"},
        "labels": LABELS,
    }
    with open(os.path.join(out, "fashion_resnet.profile.json"), "w") as f:
        json.dump(profile, f, indent=2)
        f.write("\n")

    # The saved file, loaded back, on all 10,000 test images.
    loaded = torch.jit.load(model_path)
    pred = predict(loaded, x_test)
    test_acc = float((pred == y_test).float().mean())
    per_class = [float((pred[y_test == k] == k).float().mean()) for k in range(10)]
    log(f"test accuracy (10,000 images): {100 * test_acc:.2f}%")

    # The labelled subset: the first PER_CLASS test images of each class.
    test_dir = os.path.join(out, "test")
    files = []
    for k, folder in enumerate(FOLDERS):
        d = os.path.join(test_dir, folder)
        os.makedirs(d, exist_ok=True)
        for old in os.listdir(d):
            if old.endswith(".png"):
                os.remove(os.path.join(d, old))
        for i in np.flatnonzero(test_y == k)[:PER_CLASS]:
            path = os.path.join(d, f"{i:04d}.png")
            write_png_gray(path, test_u8[i])
            files.append((path, k))
    with open(os.path.join(test_dir, "labels_folders.json"), "w") as f:
        json.dump(dict(zip(FOLDERS, LABELS)), f, indent=2)
        f.write("\n")
    with open(os.path.join(test_dir, "README.md"), "w") as f:
        f.write("# Fashion-MNIST test subset\n\n"
                f"The first {PER_CLASS} images of each class in the Fashion-MNIST test file "
                f"(t10k, {PER_CLASS * 10} images), 28 x 28 8-bit gray PNG, written by\n"
                "`resources/samples/scripts/train_fashion_classifier.py`. A file's name is the "
                "image's index in the\n10,000-image test file (4 digits, zero-padded); its "
                "folder is its label, made filesystem-safe.\n"
                "`labels_folders.json` holds the same mapping. The model's labels (in "
                "`../fashion_resnet.profile.json`)\nare the human ones, in class-index "
                "order.\n\n| Folder | Label | Class index |\n|---|---|---|\n")
        for k, (folder, label) in enumerate(zip(FOLDERS, LABELS)):
            f.write(f"| `{folder}` | {label} | {k} |\n")
        f.write("\nData: Fashion-MNIST, MIT licence, Zalando Research (see ../LICENSE.md).\n")

    # Read the PNG files back and prepare them as the app does (decode 8-bit gray, 28 x 28 needs
    # no resize, float((v * scale - mean) / std)), in sorted path order, batch of 1.
    files.sort()
    correct, digest = 0, hashlib.sha256()
    for path, k in files:
        img = read_png_gray(path)
        with open(path, "rb") as fh:
            digest.update(fh.read())
        with torch.no_grad():
            correct += int(int(loaded(prepare(img[None]))[0].argmax()) == k)
    subset_acc = correct / len(files)
    log(f"subset top-1 ({len(files)} PNG files): {correct}/{len(files)} = {100 * subset_acc:.1f}%")

    size = os.path.getsize(model_path)
    with open(model_path, "rb") as fh:
        model_sha = hashlib.sha256(fh.read()).hexdigest()
    with open(os.path.join(out, "RESULTS.md"), "w") as f:
        f.write(f"""# Fashion-MNIST demo classifier: results

Written by `resources/samples/scripts/train_fashion_classifier.py` (the figures below come from
one run of it; rerunning it rewrites this file).

| | |
|---|---|
| Test accuracy, all 10,000 test images (float) | {100 * test_acc:.2f}% |
| Top-1 on the 500-image subset `test/` (float, read from the PNG files) | {correct}/{len(files)} = {100 * subset_acc:.1f}% |
| Training time | {train_s:.0f} s ({train_s / 60:.1f} min) for {args.epochs} epochs, torch.set_num_threads(2), {os.cpu_count()} CPU cores{' (shared with other jobs)' if os.getloadavg()[0] > 2.5 else ''} |
| Parameters | {params} |
| Convolutions | {len(convs)} nn.Conv2d ({len(depthwise)} depthwise, groups = channels), plus 1 nn.Linear |
| BatchNorm2d | {sum(isinstance(m, nn.BatchNorm2d) for m in model.modules())} (folded into the convs by the app) |
| `fashion_resnet.pt` | {size} bytes, sha256 {model_sha} |
| Seed | {args.seed} |
| torch | {torch.__version__} (Python {sys.version.split()[0]}, numpy {np.__version__}) |
| Subset PNG files, sha256 of their bytes in sorted path order | {digest.hexdigest()} |

Input: 1 x 28 x 28 gray, `(pixel * 0.00392156862745098 - {MEAN}) / {STD}`.
The subset figure reads each PNG file back, decodes it (8-bit gray, 28 x 28, so no resize) and
applies `float((v * scale - mean) / std)` computed in double, as `core/src/data/images.cpp` does,
then runs the saved TorchScript file one image at a time.

Per-class test accuracy (10,000 images):

| Class | Label | Accuracy |
|---|---|---|
""")
        for k in range(10):
            f.write(f"| {k} | {LABELS[k]} | {100 * per_class[k]:.1f}% |\n")
        f.write("\nArchitecture (convs in forward order):\n\n```\n")
        for n, m in model.named_modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                f.write(f"{n:20s} {m}\n")
        f.write("```\n")
    log(f"wrote {out}")


if __name__ == "__main__":
    main()
