#!/usr/bin/python3
"""The figures of the demo models (issue 16): every allocation rule beside the baselines.

Calibration images are disjoint from the evaluation images:
- the classifier (Fashion-MNIST) calibrates on PNGs written from the dataset's training split
  (Debian package dataset-fashion-mnist) and is evaluated on the 500 labelled test images of
  resources/samples/fashion/test;
- the detector (CenterNet) calibrates on photos from Debian packages (opencv-doc,
  python3-skimage; any file equal to an evaluation photo is left out) and is evaluated on the
  12 sample photos of resources/samples/images (mAP@0.5 against the float detections), or with
  MPQ_FIGURE_DETECTOR_EVAL=wide on those and 43 more images from Debian packages (55 in all).
The packages are installed at bench time when missing (apt-get, as root); CI never needs them.

For each model and bit width b in 2, 3, 4: one `mpq analyze` (saved), then `mpq sweep` with bias
correction off and on over the memory budgets 0, 2.5, 5, 10, 20, 50 % and 1/b (what one more
bit costs): multipoint (every series the sweep prints: the unweighted rule and whatever
variants it adds), per-layer mixed precision and OCS at each budget's memory, and once
round-to-nearest and MSE at b and at b+1 bits. Prints Markdown tables and the issue's targets,
each met or missed with its figures.
Usage: [MPQ_FIGURE_BITS=3,4] [MPQ_FIGURE_ROUNDING=output-aware] [MPQ_FIGURE_EXTRA_BITS=1]
       [MPQ_FIGURE_HALF_STEP=1] [MPQ_FIGURE_SEEDS=0,1,2]
       [MPQ_FIGURE_FASHION_TEST=full] [MPQ_FIGURE_DETECTOR_EVAL=wide]
       demo_figures.py BUILD_DIR [centernet|fashion ...]
"""
import glob
import gzip
import hashlib
import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
build = sys.argv[1]
mpq = os.path.join(build, "app", "cli", "mpq")
samples = os.path.join(root, "resources", "samples")
cache = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "mpq-bench")
BUDGETS = [0.0, 0.025, 0.05, 0.10, 0.20, 0.50]
MATCHED = ["multipoint", "mixed", "ocs"]       # methods whose cost follows the budget
FIXED = ["rtn", "mse", "rtn-next", "mse-next"]  # one point per weight, at b or b+1 bits
CALIB_COUNT = 64
# MPQ_FIGURE_BITS=3,4 measures only those bit widths (a detector bit width takes 20-40 minutes)
BITS = tuple(int(b) for b in os.environ.get("MPQ_FIGURE_BITS", "2,3,4").split(","))
# MPQ_FIGURE_ROUNDING=output-aware: the analyses (and mixed precision's single points) with
# output-aware rounding (docs/multipoint.md section 10); round-to-nearest and MSE stay as they are
ROUNDING = os.environ.get("MPQ_FIGURE_ROUNDING", "")
# MPQ_FIGURE_EXTRA_BITS=1: multipoint's points after a channel's first at that many bits (sign
# points for 1; docs/multipoint.md section 11); the baselines do not change
EXTRA_BITS = os.environ.get("MPQ_FIGURE_EXTRA_BITS", "")
# MPQ_FIGURE_HALF_STEP=1 (with MPQ_FIGURE_EXTRA_BITS=1): the half-step pair (docs/multipoint.md
# section 12); mixed precision and the baselines do not change
HALF_STEP = os.environ.get("MPQ_FIGURE_HALF_STEP", "") == "1"
# MPQ_FIGURE_SEEDS=0,1,2,3,4: instead of the whole protocol, one analysis per calibration seed
# (`--seed`: which calibration images) and multipoint's rules beside mixed precision at the
# budgets, bias correction off and on; prints each cell's mean and spread over the seeds
SEEDS = [int(x) for x in os.environ.get("MPQ_FIGURE_SEEDS", "").split(",") if x.strip()]
# MPQ_FIGURE_FASHION_TEST=full: the classifier evaluated on the whole Fashion-MNIST test split
# (10000 images, written from the package as PNGs in the cache) instead of the 500 sample
# images, where one image is 0.01 points instead of 0.2
FULL_TEST = os.environ.get("MPQ_FIGURE_FASHION_TEST", "") == "full"
# MPQ_FIGURE_DETECTOR_EVAL=wide: the detector evaluated on the 12 sample photos and 43 more
# images from Debian packages (detector_evaluation_wide), none of them a calibration photo or
# another view of one, so that one photo's detections weigh less in the mAP
WIDE_EVAL = os.environ.get("MPQ_FIGURE_DETECTOR_EVAL", "") == "wide"
models = {
    "centernet": ("centernet/centernet_mbv3.pt", "images", "detection"),
    "fashion": ("fashion/fashion_resnet.pt", "fashion/test", "classification"),
}
chosen = sys.argv[2:] or list(models)
work = tempfile.mkdtemp(prefix="mpq-figures-")


def run(args):
    subprocess.run([mpq] + args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def ensure_packages(packages, probe):
    if os.path.exists(probe):
        return
    if os.geteuid() != 0:
        sys.exit(f"{probe} is missing: install {' '.join(packages)} (apt-get install)")
    subprocess.run(["apt-get", "install", "-y", "--no-install-recommends"] + packages, check=True,
                   stdout=subprocess.DEVNULL, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def gray_png(path, pixels, width, height):
    rows = b"".join(b"\0" + pixels[y * width:(y + 1) * width] for y in range(height))
    chunk = lambda kind, data: (struct.pack(">I", len(data)) + kind + data
                                + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def fashion_calibration(count=512):
    """The first `count` images of the Fashion-MNIST training split as PNGs in the cache."""
    folder = os.path.join(cache, "fashion-train")
    if len(glob.glob(os.path.join(folder, "*.png"))) >= count:
        return folder
    source = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
    ensure_packages(["dataset-fashion-mnist"], source)
    os.makedirs(folder, exist_ok=True)
    with gzip.open(source) as f:
        magic, n, h, w = struct.unpack(">IIII", f.read(16))
        assert magic == 2051, "not an idx3 image file"
        for i in range(min(count, n)):
            gray_png(os.path.join(folder, f"train{i:05d}.png"), f.read(h * w), w, h)
    return folder


def fashion_test_split():
    """The whole Fashion-MNIST test split (10000 images) as PNGs in one folder per class, with
    the same labels_folders.json as the sample images."""
    folder = os.path.join(cache, "fashion-test")
    labels = os.path.join(samples, "fashion", "test", "labels_folders.json")
    with open(labels) as f:
        classes = list(json.load(f))  # folder names in class-index order
    if len(glob.glob(os.path.join(folder, "*", "*.png"))) >= 10000:
        return folder
    images = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"
    ensure_packages(["dataset-fashion-mnist"], images)
    with gzip.open(images) as f, gzip.open(images.replace("images-idx3", "labels-idx1")) as g:
        magic, n, h, w = struct.unpack(">IIII", f.read(16))
        assert magic == 2051 and struct.unpack(">II", g.read(8))[0] == 2049, "not idx files"
        for c in classes:
            os.makedirs(os.path.join(folder, c), exist_ok=True)
        for i in range(n):
            gray_png(os.path.join(folder, classes[g.read(1)[0]], f"test{i:05d}.png"),
                     f.read(h * w), w, h)
    with open(labels) as src, open(os.path.join(folder, "labels_folders.json"), "w") as dst:
        dst.write(src.read())
    return folder


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def detector_calibration(evaluation):
    """Photos from opencv-doc and python3-skimage, none equal to an evaluation photo."""
    folder = os.path.join(cache, "detector-calib")
    ensure_packages(["opencv-doc"], "/usr/share/doc/opencv-doc/examples/data/baboon.jpg")
    ensure_packages(["python3-skimage"], "/usr/lib/python3/dist-packages/skimage/data/motorcycle_left.png")
    opencv = "/usr/share/doc/opencv-doc/examples/"
    skimage = "/usr/lib/python3/dist-packages/skimage/data/"
    names = [opencv + "data/" + n for n in (
        "baboon.jpg", "home.jpg", "aero1.jpg", "apple.jpg", "orange.jpg", "basketball1.png",
        "basketball2.png", "board.jpg", "ela_original.jpg", "squirrel_cls.jpg", "starry_night.jpg",
        "aloeL.jpg", "graf1.png", "leuvenA.jpg", "stuff.jpg", "licenseplate_motion.jpg",
        "Blender_Suzanne1.jpg", "smarties.png", "rubberwhale1.png", "left01.jpg", "right05.jpg",
        "messi5.jpg", "fruits.jpg")]
    names += [opencv + p for p in ("dnn_superres/butterfly.png", "alphamat/input_images/plant.jpg",
                                   "text/scenetext01.jpg", "text/scenetext03.jpg")]
    names += [skimage + n for n in ("motorcycle_left.png", "motorcycle_right.png", "camera.png",
                                    "coins.png", "hubble_deep_field.jpg", "clock_motion.png",
                                    "astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg")]
    excluded = {sha(p) for p in glob.glob(os.path.join(evaluation, "*")) if not p.endswith(".md")}
    os.makedirs(folder, exist_ok=True)
    for old in glob.glob(os.path.join(folder, "*")):
        os.remove(old)
    used = 0
    for path in names:
        if os.path.exists(path) and sha(path) not in excluded:
            with open(path, "rb") as src, open(os.path.join(folder, os.path.basename(path)), "wb") as dst:
                dst.write(src.read())
            used += 1
    assert used >= 24, f"only {used} calibration photos"
    return folder


def unpacked(package, probe):
    """The files of a Debian package unpacked into the cache without installing it (apt-get
    download, dpkg -x: docs/samples.md); returns the path of `probe` under it."""
    folder = os.path.join(cache, "debs", package)
    path = os.path.join(folder, probe.lstrip("/"))
    if not os.path.exists(path):
        os.makedirs(folder, exist_ok=True)
        subprocess.run(["apt-get", "download", package], cwd=folder, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for deb in glob.glob(os.path.join(folder, package + "_*.deb")):
            subprocess.run(["dpkg", "-x", deb, folder], check=True)
            os.remove(deb)
    assert os.path.exists(path), f"{probe} is not in {package}"
    return path


# Photos for the wide detector evaluation: none is in detector_calibration's list, and none is
# the other view of a calibration photo (aloeR, leuvenB, rubberwhale2, aero3, graf3, the
# chessboards are left out for that reason)
WIDE_PHOTOS = {
    "opencv-doc": ["/usr/share/doc/opencv-doc/examples/" + p for p in (
        "data/building.jpg", "data/butterfly.jpg", "data/HappyFish.jpg", "data/chicky_512.png",
        "data/box_in_scene.png", "data/blox.jpg", "data/left.jpg", "text/scenetext02.jpg",
        "text/scenetext04.jpg", "text/scenetext05.jpg", "text/scenetext06.jpg", "hfs/data/000.jpg",
        "hfs/data/001.jpg", "hfs/data/002.jpg")],
    "darknet": ["/usr/share/darknet/data/scream.jpg"],
    "python-matplotlib-data": ["/usr/share/matplotlib/mpl-data/sample_data/grace_hopper.jpg"],
    "python3-sklearn": ["/usr/lib/python3/dist-packages/sklearn/datasets/images/" + n
                        for n in ("china.jpg", "flower.jpg")],
}
# Frames of opencv-doc's videos: (video, first frame, step, count): pedestrians and vans on a
# lawn (vtest), an animated dinner scene (Megamind)
WIDE_FRAMES = [("vtest.avi", 25, 50, 16), ("Megamind.avi", 15, 30, 9)]


def detector_evaluation_wide():
    """The 12 sample photos, 18 photos and 25 video frames from Debian packages in one folder."""
    folder = os.path.join(cache, "detector-eval-wide")
    expected = 12 + sum(len(v) for v in WIDE_PHOTOS.values()) + sum(f[3] for f in WIDE_FRAMES)
    if len(glob.glob(os.path.join(folder, "*.*"))) == expected:
        return folder
    os.makedirs(folder, exist_ok=True)
    for old in glob.glob(os.path.join(folder, "*")):
        os.remove(old)
    for path in glob.glob(os.path.join(samples, "images", "*")):
        if not path.endswith(".md"):
            with open(path, "rb") as src, open(os.path.join(folder, os.path.basename(path)), "wb") as dst:
                dst.write(src.read())
    for package, paths in WIDE_PHOTOS.items():
        for probe in paths:
            path = unpacked(package, probe)
            with open(path, "rb") as src, open(os.path.join(folder, f"{package}-{os.path.basename(path)}"), "wb") as dst:
                dst.write(src.read())
    if not glob.glob("/usr/lib/python3/dist-packages/cv2*"):
        ensure_packages(["python3-opencv"], "/usr/lib/python3/dist-packages/cv2")
    import cv2  # Debian's python3-opencv, only for reading the videos' frames
    for video, first, step, count in WIDE_FRAMES:
        capture = cv2.VideoCapture(unpacked("opencv-doc", "/usr/share/doc/opencv-doc/examples/data/" + video))
        for k in range(count):
            capture.set(cv2.CAP_PROP_POS_FRAMES, first + k * step)
            ok, frame = capture.read()
            assert ok, f"frame {first + k * step} of {video} unreadable"
            cv2.imwrite(os.path.join(folder, f"{video[:-4]}-{first + k * step:04d}.jpg"), frame,
                        [cv2.IMWRITE_JPEG_QUALITY, 95])
    assert len(glob.glob(os.path.join(folder, "*.*"))) == expected
    return folder


# `mpq sweep --rules` (when the build has it) adds multipoint's allocation rules as series of
# their own: unweighted (the paper's), weighted by output sensitivity, weighted with a MAC cap
RULES = "--rules" in subprocess.run([mpq, "sweep", "--help"], capture_output=True, text=True).stdout


def sweep(model, analysis, common, budgets, methods, correction, rules=False):
    out = os.path.join(work, "sweep.json")
    if rules and RULES:
        methods = [m for m in methods if m != "multipoint"]
    run(["sweep", model, "--analysis", analysis, "--images", images, "--budgets",
         ",".join(f"{b:g}" for b in budgets), "--method", ",".join(methods),
         "--bias-correction", correction, "--json", out] + common
        + (["--eval-count", "0"] if FULL_TEST else [])
        + (["--rules", "--mac-caps", "20"] if rules and RULES else []))
    with open(out) as f:
        return json.load(f)


def percent(x):
    return f"{x * 100:g} %"


def analysis_options(bits):
    """The analysis' options at `bits` (the output sensitivity measured, so that the sweep's
    --rules has the weighted rule beside the unweighted one; docs/multipoint.md section 8)."""
    return ["--bits", str(bits), "--max-points", "4", "--batch-size", "4", "--threads", "2",
            "--sensitivity", "on"] + (["--rounding", ROUNDING] if ROUNDING else []) \
        + (["--extra-point-bits", str(min(int(EXTRA_BITS), bits))] if EXTRA_BITS else []) \
        + (["--half-step-pair", "on"] if HALF_STEP else [])


def seed_spread(name, model, images, calib, show):
    """Multipoint's rules and mixed precision over the calibration seeds: mean and spread, and
    each series' paired difference from mixed precision (same seed, same bias correction)."""
    def stats(v):
        mean = sum(v) / len(v)
        return mean, (sum((x - mean) ** 2 for x in v) / len(v)) ** 0.5

    for bits in BITS:
        budgets = sorted(set(b for b in BUDGETS if b > 0) | {round(1.0 / bits, 4)})
        cells = {}  # series -> budget -> {seed: metric}
        for seed in SEEDS:
            analysis = os.path.join(work, f"{name}-{bits}-seed{seed}.mpqa")
            common = analysis_options(bits) + ["--seed", str(seed)]
            run(["analyze", model, "--calib", calib, "--calib-count", str(CALIB_COUNT), "--save",
                 analysis] + common)
            common += ["--calib-count", str(CALIB_COUNT)]
            for correction in ("off", "on"):
                tag = " + bias correction" if correction == "on" else ""
                doc = sweep(model, analysis, common, budgets, ["multipoint", "mixed"], correction,
                            rules=True)
                for p in doc["points"]:
                    series = p.get("series", p["method"]) + tag
                    cells.setdefault(series, {}).setdefault(p["budget"], {})[seed] = p["metric"]
        print(f"\n#### {bits} bits, seeds {', '.join(map(str, SEEDS))}: mean (spread)\n")
        print("| method | " + " | ".join(percent(b) for b in budgets) + " |")
        print("| --- |" + " ---: |" * len(budgets))
        for series, by in cells.items():
            row = []
            for b in budgets:
                v = list(by.get(b, {}).values())
                row.append("{} ({})".format(*map(show, stats(v))) if v else "-")
            print(f"| {series} | " + " | ".join(row) + " |", flush=True)
        print(f"\n#### {bits} bits: paired difference from mixed precision, mean (spread), "
              "seeds ahead / level / behind\n")
        print("| method | " + " | ".join(percent(b) for b in budgets) + " |")
        print("| --- |" + " ---: |" * len(budgets))
        for series, by in cells.items():
            reference = "mixed" + (" + bias correction" if series.endswith("bias correction") else "")
            if series == reference or reference not in cells:
                continue
            row = []
            for b in budgets:
                mine, theirs = by.get(b, {}), cells[reference].get(b, {})
                d = [mine[k] - theirs[k] for k in mine if k in theirs]
                if not d:
                    row.append("-")
                    continue
                mean, spread = stats(d)
                counts = (sum(x > 0 for x in d), sum(x == 0 for x in d), sum(x < 0 for x in d))
                sign = "+" if mean >= 0 else "-"
                row.append(f"{sign}{show(abs(mean))} ({show(spread)}), "
                           + "/".join(map(str, counts)))
            print(f"| {series} | " + " | ".join(row) + " |", flush=True)


report = []  # the targets, met or missed
for name in chosen:
    model, images, task = models[name]
    model = os.path.join(samples, model)
    images = os.path.join(samples, images)
    if FULL_TEST and task == "classification":
        images = fashion_test_split()
    if WIDE_EVAL and task == "detection":
        images = detector_evaluation_wide()
    calib = fashion_calibration() if task == "classification" else detector_calibration(images)
    unit, tolerance = ("top-1", 0.005) if task == "classification" else ("mAP@0.5 vs float", 0.03)
    show = (lambda v: f"{v * 100:.1f}") if task == "classification" else (lambda v: f"{v:.3f}")
    print(f"\n### {name}: {os.path.relpath(model, root)}\n")
    print(f"Calibration: {min(CALIB_COUNT, len(os.listdir(calib)))} of the {len(os.listdir(calib))} "
          f"images of {calib} "
          f"(disjoint from the evaluation images); evaluation: {os.path.relpath(images, root) if images.startswith(root) else images}; "
          f"metric: {unit}{' (%)' if task == 'classification' else ''}; "
          + ("spread over the seeds" if SEEDS else "memory overhead") + " in parentheses.\n")
    figures = {}  # (bits, series) -> {budget: (metric, memory)}
    floats = None
    if SEEDS:
        seed_spread(name, model, images, calib, show)
        continue
    for bits in BITS:
        analysis = os.path.join(work, f"{name}-{bits}.mpqa")
        common = analysis_options(bits)
        run(["analyze", model, "--calib", calib, "--calib-count", str(CALIB_COUNT), "--save",
             analysis] + common)
        common += ["--calib-count", str(CALIB_COUNT)]
        budgets = sorted(set(BUDGETS + [round(1.0 / bits, 4)]))
        for correction in ("off", "on"):
            tag = " + bias correction" if correction == "on" else ""
            doc = sweep(model, analysis, common, budgets, MATCHED, correction, rules=True)
            for p in doc["points"]:
                series = p.get("series", p["method"]) + tag
                figures.setdefault((bits, series), {})[p["budget"]] = (p["metric"], p["memory_overhead"])
                floats = p["float_metric"]
            doc = sweep(model, analysis, common, [0.0], FIXED, correction)
            for p in doc["points"]:
                figures.setdefault((bits, p["method"] + tag), {})[None] = (p["metric"], p["memory_overhead"])
        print(f"\n#### {bits} bits\n")
        columns = budgets
        print("| method | " + " | ".join(percent(b) for b in columns) + " |")
        print("| --- |" + " ---: |" * len(columns))
        for (b, series), values in figures.items():
            if b != bits:
                continue
            if None in values:
                metric, memory = values[None]
                print(f"| {series} | {show(metric)} ({memory * 100:.1f} %) |" + " |" * (len(columns) - 1))
                continue
            cells = [f"{show(values[x][0])} ({values[x][1] * 100:.1f} %)" if x in values else "-"
                     for x in columns]
            print(f"| {series} | " + " | ".join(cells) + " |", flush=True)
    print(f"\nFloat {unit}: {show(floats)}.")

    # the targets
    def multipoint_series(bits):
        return [s for (b, s) in figures if b == bits and s.startswith("multipoint")]

    for bits in BITS:
        budgets = sorted(set(BUDGETS + [round(1.0 / bits, 4)]))
        for series in multipoint_series(bits):
            v = figures[(bits, series)]
            worst = max(((v[a][0] - v[c][0], a, c) for a in BUDGETS for c in BUDGETS
                         if a < c and a in v and c in v), default=(0, 0, 0))
            report.append((worst[0] <= tolerance,
                           f"{name} {bits} bits, {series}: the metric never falls by more than "
                           f"{show(tolerance)} as the budget grows (largest fall {show(max(worst[0], 0))}"
                           + (f", {percent(worst[1])} to {percent(worst[2])})" if worst[0] > 0 else ")")))
            tag = " + bias correction" if series.endswith("bias correction") else ""
            for rival in ("mixed", "ocs"):
                r = figures.get((bits, rival + tag), {})
                losses = [(percent(b), show(v[b][0]), show(r[b][0])) for b in BUDGETS
                          if b in v and b in r and v[b][0] < r[b][0]]
                report.append((not losses, f"{name} {bits} bits, {series} >= {rival}{tag} at every "
                               f"budget" + (f" (missed at {losses})" if losses else "")))
            one = round(1.0 / bits, 4)
            for rival in ("rtn-next", "mse-next"):
                r = figures.get((bits, rival + tag), {}).get(None)
                if r and one in v:
                    report.append((v[one][0] >= r[0], f"{name} {bits} bits, {series} at 1/b = "
                                   f"{percent(one)}: {show(v[one][0])} against {rival}{tag} "
                                   f"{show(r[0])}"))
    goals = ([(3, 0.10, 0.920), (2, 0.10, 0.85)] if task == "classification"
             else [(3, 0.10, 0.80), (4, 0.05, 0.98)])
    for bits, budget, goal in [g for g in goals if g[0] in BITS]:
        best = max(((figures[(bits, s)][budget][0], s) for s in multipoint_series(bits)
                    if budget in figures[(bits, s)]), default=(0, "none"))
        report.append((best[0] >= goal, f"{name} {bits} bits at {percent(budget)} memory: at "
                       f"least {show(goal)}; best {show(best[0])} ({best[1]})"))

if report:
    print("\n### Targets of issue 16\n")
for met, text in report:
    print(f"- {'met' if met else 'MISSED'}: {text}")
