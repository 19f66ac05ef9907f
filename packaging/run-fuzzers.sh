#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz) with clang into a separate build folder and runs
# each for a bounded time, starting from the seed corpus in tests/fuzz/corpus/<name>.
# Fails (exit 1) when a fuzzer finds a crash, a sanitizer report or a broken contract; the
# reproducer is left as crash-*/leak-*/timeout-* in the fuzzer's work folder.
#
#   packaging/run-fuzzers.sh                      # 30 s per fuzzer
#   MPQ_FUZZ_SECONDS=300 packaging/run-fuzzers.sh # longer runs
#   packaging/run-fuzzers.sh fuzz_voc             # only the named fuzzers
#
# Environment: MPQ_FUZZ_BUILD_DIR (default $root/build-fuzz), MPQ_FUZZ_SECONDS (30),
# MPQ_JOBS (build jobs, 2), CXX_FUZZ (clang++-14).
# Needs clang-14 and libclang-rt-14-dev (libFuzzer and the sanitizer runtimes).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MPQ_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${MPQ_FUZZ_SECONDS:-30}"
cxx="${CXX_FUZZ:-clang++-14}"
fuzzers=("$@")
if [ ${#fuzzers[@]} -eq 0 ]; then
  fuzzers=(fuzz_profile fuzz_voc fuzz_onnx)
fi

command -v "$cxx" >/dev/null || { echo "run-fuzzers: $cxx not found (apt-get install clang-14 libclang-rt-14-dev)" >&2; exit 2; }

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="$cxx" -DMPQ_BUILD_FUZZERS=ON -DMPQ_BUILD_TESTS=OFF \
  -DMPQ_BUILD_GUI=OFF -DMPQ_BUILD_BENCHMARKS=OFF >"$build.configure.log" 2>&1 \
  || { cat "$build.configure.log" >&2; exit 1; }
# Only the fuzzers and the sources they compile (fuzz_onnx: the ONNX importer, with LibTorch).
cmake --build "$build" -j "${MPQ_JOBS:-2}" --target "${fuzzers[@]}"

export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
status=0
for f in "${fuzzers[@]}"; do
  name="${f#fuzz_}"
  work="$build/fuzz-work/$name"
  # A fresh copy of the seeds: the fuzzer adds what it finds to its first corpus folder,
  # which must not be the source tree.
  mkdir -p "$work/corpus"
  cp "$root/tests/fuzz/corpus/$name/"* "$work/corpus/"
  dict=()
  if [ -f "$root/tests/fuzz/$name.dict" ]; then
    dict=(-dict="$root/tests/fuzz/$name.dict")
  fi
  echo "== $f: ${seconds} s"
  if ! (cd "$work" && "$build/tests/fuzz/$f" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 "${dict[@]}" corpus \
        >"$work/log.txt" 2>&1); then
    echo "run-fuzzers: $f FAILED; reproducer and log in $work" >&2
    tail -n 60 "$work/log.txt" >&2
    status=1
  else
    grep -E "^stat::number_of_executed_units|^Done " "$work/log.txt" || tail -n 3 "$work/log.txt"
  fi
done
exit "$status"
