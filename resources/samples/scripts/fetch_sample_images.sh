#!/bin/sh
# Rebuilds resources/samples/images/ from Debian packages (no installation needed):
#   darknet          /usr/share/darknet/data/                                 (GPL-3.0+ or MIT or WTFPL)
#   python3-skimage  /usr/lib/python3/dist-packages/skimage/data/             (public domain / CC0 photos)
#   opencv-doc       /usr/share/doc/opencv-doc/examples/data/                 (Apache-2.0 AND BSD-3-Clause)
# Usage: fetch_sample_images.sh [DEST]   (DEST defaults to ../images beside this script)
# Needs apt-get, dpkg-deb and sha256sum; downloads about 120 MB (opencv-doc alone is 96 MB) into
# a temporary folder that is removed afterwards. The copies are checked against the SHA-256 sums
# of the files shipped in the repository (Debian bookworm: darknet 0.0.0+git20180914.61c9d02e-2+b4,
# python3-skimage 0.19.3-8, opencv-doc 4.6.0+dfsg-12); a different package version that changed
# a file makes the script fail rather than silently ship a different image.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
dest=${1:-"$here/../images"}
mkdir -p "$dest"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

download() {
    (cd "$work" && apt-get download "$@") || {
        echo "apt-get download failed; running apt-get update and retrying" >&2
        apt-get update
        (cd "$work" && apt-get download "$@")
    }
}

download darknet python3-skimage opencv-doc
for deb in "$work"/*.deb; do
    dpkg-deb -x "$deb" "$work/root"
done

darknet=$work/root/usr/share/darknet/data
skimage=$work/root/usr/lib/python3/dist-packages/skimage/data
opencv=$work/root/usr/share/doc/opencv-doc/examples/data

# file  source folder  sha256
while read -r name dir sum; do
    eval "src=\$$dir/$name"
    cp "$src" "$dest/$name"
    echo "$sum  $dest/$name" | sha256sum -c --quiet - || {
        echo "checksum mismatch for $name (package version differs?)" >&2
        exit 1
    }
done <<'EOF'
dog.jpg darknet 5a9522051c3cec2bbd2f6323fccba32e8fbf3ddcc2b3e2fd46b04c720bc6f866
person.jpg darknet cdcbab947e46110fc2b77784ac54ddbbab2640f1e44cb5e91fc8984a9793a7d1
horses.jpg darknet c8f0a677a1356569e2ce71d2fa88c1030c0ae57ecf5e14170e02d9a86a20dcb4
giraffe.jpg darknet 00dc48a9b2af8a1fe4c4b79319726591f1033c7e1150f21e7577a79f3b6659f1
kite.jpg darknet 87410f52f79cc256c3949b48a3548632c07c8e9943468ef8caa6250f6643be8e
eagle.jpg darknet f95f57297fd51a6c5ddceb5ed6916fa759d1d65f402fee34c05b31a9608755c0
astronaut.png skimage 88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5
coffee.png skimage cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7
chelsea.png skimage 596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb
rocket.jpg skimage c2dd0de7c538df8d111e479619b129464d0269d0ae5fd18ca91d33a7fdfea95c
messi5.jpg opencv 1d570e49654e84c7a943918537bd9e5e1ef82920152e147c834006e235be97c9
fruits.jpg opencv 9c031d80a1c52da5eca790db896baffec6a7e52bf786cdb7bbfca5c7f880e6a1
EOF
echo "copied 12 images to $dest"
