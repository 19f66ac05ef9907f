#!/usr/bin/env bash
# Everything from a fresh Debian 12 to a full test run: packages, the Release build and every
# test suite (ctest: core, CLI, hardening, widgets, GUI offscreen, translations, the .deb), then
# the core, CLI and hardening suites again built with AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan; the GUI and widget suites are left out there: Qt's
# own allocations at exit drown LeakSanitizer), then each libFuzzer harness for a bounded time
# (build-fuzz).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/packaging/install-deps.sh"
bash "$root/packaging/build.sh"
(cd "${MPQ_BUILD_DIR:-$root/build}" && ctest --output-on-failure --timeout 900)
bash "$root/packaging/run-sanitizers.sh"
bash "$root/packaging/run-fuzzers.sh"
