#!/usr/bin/env python3
"""Runs a benchmark with line-buffered output and prefixes each line it prints with the
process CPU seconds spent since the previous line (the first: since the start). For binaries
that print only wall times (an older bench_taskaware): on a loaded machine the CPU seconds at
one thread stretch far less than the wall seconds (docs/BENCHMARKS.md, "Output sensitivity").

Usage: tests/bench/cpu_per_line.py build/tests/bench_taskaware --threads 1 --repeat 2
"""
import os
import subprocess
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    proc = subprocess.Popen(['stdbuf', '-oL'] + sys.argv[1:], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    tick = os.sysconf('SC_CLK_TCK')

    def cpu():
        try:
            with open('/proc/%d/stat' % proc.pid) as f:
                fields = f.read().rsplit(')', 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / tick  # utime + stime
        except (OSError, IndexError, ValueError):
            return float('nan')

    last = cpu()
    for line in proc.stdout:
        now = cpu()
        print('[cpu +%.2f s] %s' % (now - last, line.rstrip()), flush=True)
        last = now
    sys.exit(proc.wait())


if __name__ == '__main__':
    main()
