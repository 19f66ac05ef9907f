#!/usr/bin/env bash
# Builds the .deb with CPack, checks its Depends, installs it into a scratch root with dpkg -x
# (no root rights, nothing touches the system) and runs `mpq --version` and `mpq demo` from
# there: the installed tool must find the installed samples, icons, desktop file and metainfo.
# Usage: tst_package.sh BUILD_DIR VERSION
set -euo pipefail
build="$1"
version="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# mpq demo caches its analyses: keep them in the scratch folder, not in the user's cache
export XDG_CACHE_HOME="$work/cache"
fail() { echo "FAIL: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$work/pkg" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log"; fail "cpack -G DEB failed"; }
deb="$(ls "$work"/pkg/*.deb)"
echo "package: $(basename "$deb"), $(du -k "$deb" | cut -f1) KB"

depends="$(dpkg-deb --field "$deb" Depends)"
echo "Depends: $depends"
for lib in libqt6widgets6 libqt6core6 libtorch libopencv-core libopenblas0-openmp \
           libqcustomplot2.1-qt6; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib"
done

dpkg -x "$deb" "$work/root"
prefix="$work/root/usr"
for f in bin/mpq bin/mpq-studio share/applications/mpq-studio.desktop \
         share/metainfo/io.github.mpqstudio.MpqStudio.metainfo.xml \
         share/icons/hicolor/scalable/apps/mpq-studio.svg \
         share/icons/hicolor/48x48/apps/mpq-studio.png \
         share/icons/hicolor/256x256/apps/mpq-studio.png \
         share/mpq-studio/samples/centernet/centernet_mbv3.pt \
         share/mpq-studio/samples/fashion/fashion_resnet.pt \
         share/mpq-studio/samples/images/LICENSES.md share/doc/mpq-studio/copyright; do
  [ -e "$prefix/$f" ] || fail "the package lacks /usr/$f"
done
grep -q "^License: GPL-3.0-or-later" "$prefix/share/doc/mpq-studio/copyright" ||
  fail "the copyright file does not state GPL-3.0-or-later"
grep -q "<project_license>GPL-3.0-or-later</project_license>" \
  "$prefix/share/metainfo/io.github.mpqstudio.MpqStudio.metainfo.xml" ||
  fail "the metainfo does not state GPL-3.0-or-later"
if command -v appstreamcli >/dev/null; then
  appstreamcli validate --no-net \
    "$prefix/share/metainfo/io.github.mpqstudio.MpqStudio.metainfo.xml" ||
    fail "appstreamcli validate rejects the metainfo"
fi
[ ! -e "$prefix/share/mpq-studio/samples/scripts" ] || fail "the preparation scripts were packaged"

"$prefix/bin/mpq" --version | tee "$work/version.txt"
grep -qx "mpq $version" "$work/version.txt" || fail "mpq --version does not say $version"

"$prefix/bin/mpq" demo >"$work/demo.txt" 2>"$work/demo.err" ||
  { cat "$work/demo.err"; fail "mpq demo from the package failed"; }
cat "$work/demo.txt"
samples="$(cd "$prefix/share/mpq-studio/samples" && pwd -P)"
grep -q "$samples/centernet/centernet_mbv3.pt" "$work/demo.txt" ||
  fail "mpq demo did not use the installed samples ($samples)"
grep -q "$samples/fashion/fashion_resnet.pt" "$work/demo.txt" ||
  fail "mpq demo did not run the installed classifier"
grep -q "multipoint, 5 % memory budget" "$work/demo.txt" || fail "mpq demo printed no results"
echo "PASS: the .deb installs and runs"
