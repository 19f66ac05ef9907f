#!/usr/bin/env python3
# The Compare page's sweep fraction before and after issue 14's work weighting, from ONE run:
# replays the previous rule (every evaluation an equal share, mixed precision's single-point
# measurement half of one) on the reports bench_gui writes with MPQ_BENCH_TRACE=PREFIX
# (PREFIX-sweep.txt), by mapping each reported fraction segment by segment (both rules are
# linear within an evaluation or the measurement). The work model is mpq/work.h's for the
# demo detector's default sweep (6 budgets x multipoint, mixed precision, OCS; RTN, MSE and
# their b+1 variants once). docs/BENCHMARKS.md, "Time left".
# Usage: replay_sweep_fraction.py PREFIX-sweep.txt [EVAL_IMAGES=12] [CALIB_IMAGES=12] [FLOAT_RUN=1]
import sys
N = float(sys.argv[2]) if len(sys.argv) > 2 else 12.0   # evaluation images
C = float(sys.argv[3]) if len(sys.argv) > 3 else 12.0   # calibration images
floatRun = (sys.argv[4] != "0") if len(sys.argv) > 4 else True
M = 2 * (3 + C * 1.85)
budgets, swept, once = 6, 3, 4
E = budgets * swept + once
segs = []  # (new work, old share)
share = 1.0 / (E + 1) if floatRun else 0.0
if floatRun: segs.append((N, share))
per = (1 - share) * (budgets * swept / E) / budgets / swept
for b in range(budgets):
    segs.append((N, per))                     # multipoint
    if b == 0:
        segs.append((M, per / 2)); segs.append((N, per / 2))  # mixed: measurement, evaluation
    else:
        segs.append((N, per))
    segs.append((N, per))                     # ocs
for k in range(once): segs.append((N, (1 - share) * (once / E) / once))
tw = sum(s[0] for s in segs)
bounds = []; a = 0; o = 0
for w, s in segs:
    bounds.append((a / tw, (a + w) / tw, o, o + s)); a += w; o += s
def old(f):
    for an, bn, ao, bo in bounds:
        if f <= bn + 1e-12:
            return ao + (f - an) / (bn - an) * (bo - ao) if bn > an else ao
    return 1.0
lines = open(sys.argv[1]).read().split('\n')
end = float(lines[0].split()[2])
rows = [l.split() for l in lines[1:] if l.strip()]
wn = wo = 0; atn = ato = None
for r in rows:
    t, f = float(r[0]), float(r[1])
    e = t / end
    if abs(f - e) > wn: wn, atn = abs(f - e), (t, f, e)
    if abs(old(f) - e) > wo: wo, ato = abs(old(f) - e), (t, old(f), e)
print("measurement work %.1f of %.1f forwards (%.1f %%)" % (M, tw, 100 * M / tw))
print("max |f - elapsed share|: work-weighted %.3f at %s; equal shares (replayed) %.3f at %s" % (wn, atn, wo, ato))
for mark in (0.1, 0.25, 0.5, 0.75):
    r = next((r for r in rows if float(r[1]) >= mark), None)
    if r: t = float(r[0]); print("  new f %.2f at %.0f %% of the time; old f there %.3f" % (float(r[1]), 100 * t / end, old(float(r[1]))))
