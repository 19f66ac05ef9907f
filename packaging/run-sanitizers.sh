#!/usr/bin/env bash
# Builds the core and CLI test suites and the hardening suites with AddressSanitizer and
# UndefinedBehaviorSanitizer (GCC) in a separate build folder and runs them. The GUI, the widget
# suites and the benchmarks are left out. Fails when a test fails or a sanitizer reports.
#
#   packaging/run-sanitizers.sh                      # build into $root/build-asan, run
#   MPQ_ASAN_TESTS='^tst_profile$' packaging/run-sanitizers.sh   # a subset (ctest -R regex)
#
# Environment: MPQ_ASAN_BUILD_DIR (default $root/build-asan), MPQ_JOBS (build jobs, 2),
# MPQ_ASAN_TESTS (ctest -R regex of the suites to build and run).
#
# LibTorch, OpenCV and Qt are not instrumented; what that needs is set below, with the reasons
# and the findings in tests/hardening/README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MPQ_ASAN_BUILD_DIR:-$root/build-asan}"
tests="${MPQ_ASAN_TESTS:-^tst_(grid|steps|multipoint|baselines|profile|images|allocation|allocationcosts|eval|model|calibration|torchvisionops|demomodels|export|methods|overrides|modeldefects|detectionmodels|vocabulary|pipeline|analysiscache|fileformats|onnximport|onnxnodetests|expandedgraph|analysiswork|cli|clieval|hardening_core|hardening_files|hardening_cli|explain|snapshot|graph|biascorrection|progress|taskaware|taskawarerules|sweepwork|inputgrams|outputrounding|extrapoints|halfsteppair)$}"

flags="-fsanitize=address,undefined -fno-omit-frame-pointer -g1"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1" -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DMPQ_BUILD_TESTS=ON -DMPQ_BUILD_GUI=OFF -DMPQ_BUILD_BENCHMARKS=OFF -DMPQ_BUILD_FUZZERS=OFF \
  >"$build.configure.log" 2>&1 || { cat "$build.configure.log" >&2; exit 1; }

# Every test is an executable of the same name (mpq_add_test); build only the chosen ones.
mapfile -t targets < <(cd "$build" && ctest -N -R "$tests" | sed -n 's/^ *Test *#[0-9]*: *//p')
if [ ${#targets[@]} -eq 0 ]; then
  echo "run-sanitizers: no test matches '$tests'" >&2
  exit 1
fi
echo "run-sanitizers: ${#targets[@]} suites: ${targets[*]}"
cmake --build "$build" -j "${MPQ_JOBS:-2}" --target "${targets[@]}"

supp="$root/tests/hardening"
# LibTorch, OpenCV and Qt are used as Debian ships them (not instrumented); the options that
# this needs, and why, are in tests/hardening/README.md ("Sanitizers").
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$supp/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:suppressions=$supp/ubsan.supp}"
cd "$build"
ctest --output-on-failure --timeout 1800 -R "$tests"
