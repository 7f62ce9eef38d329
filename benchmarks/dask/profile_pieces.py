#!/usr/bin/python3
"""What one piece costs, measured piece by piece: the inputs of the national model in
docs/benchmarks.md ("A national run on N workers").

Builds the real tiled-BGT case (benchmarks/bgt_tiled, N x N copies of the Otterlo BGT, one
3 x 3 km area per copy), plans it in P pieces as landel.dask.run would, judges the patches
once, then measures every piece in a fresh process of its own (one engine thread, as a Dask
worker with one thread per core runs it) and prints per piece: its areas, wall time, peak
resident memory (VmHWM of that process, the Python interpreter and landel module included)
and the bytes it read (rchar: every read() of the inputs, from disk or page cache), with
the same for the patch judgement and the totals.

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/dask/profile_pieces.py [--n 9] [--pieces 16]

Needs the shared real data (exits 77 without it, as make_case.sh does).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# Runs in the child process: one piece (or the judgement), then its own costs as JSON.
CHILD = r"""
import json, sys, time
from landel import _landel
cfg, what = sys.argv[1], sys.argv[2]
text = open(cfg, encoding="utf-8").read()
def io_read():
    with open("/proc/self/io") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("rchar:"))
def peak_mb():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmHWM:")) / 1024.0
start_read, start = io_read(), time.perf_counter()
if what == "judge":
    out = _landel.judge_patches(text, cfg, [], 1)
else:
    patches = open(sys.argv[3], "rb").read()
    out = _landel.measure_piece(text, cfg, json.loads(what), 1, [], patches)
print(json.dumps({"wall_s": time.perf_counter() - start, "peak_mb": peak_mb(),
                  "read_mb": (io_read() - start_read) / 2**20, "out_mb": len(out) / 2**20}))
if what == "judge":
    open(sys.argv[3], "wb").write(out)
"""


def child(cfg, what, patches_file):
    env = dict(os.environ)
    done = subprocess.run([sys.executable, "-c", CHILD, str(cfg), what, str(patches_file)],
                          capture_output=True, text=True, env=env)
    if done.returncode != 0:
        sys.exit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=9)
    ap.add_argument("--pieces", type=int, default=16)
    args = ap.parse_args()
    from landel import _landel

    with tempfile.TemporaryDirectory(prefix="landel-profile-") as tmp:
        tmp = Path(tmp)
        made = subprocess.run(["bash", str(REPO / "benchmarks/bgt_tiled/make_case.sh"), str(tmp), str(args.n)],
                              capture_output=True, text=True)
        if made.returncode == 77:
            print(made.stderr.strip())
            sys.exit(77)
        made.check_returncode()
        cfg = tmp / "landel.toml"
        inputs_mb = sum(f.stat().st_size for f in tmp.glob("*.gpkg")) / 2**20
        plan = _landel.plan_pieces(cfg.read_text(encoding="utf-8"), str(cfg), args.pieces)
        patches = tmp / "patches.cbor"
        judge = child(cfg, "judge", patches)
        print(f"case: {args.n} x {args.n} copies, {args.n * args.n} areas of 9 km2, inputs {inputs_mb:.0f} MB; "
              f"{len(plan)} pieces")
        print(f"patch judgement: {judge['wall_s']:.1f} s, peak {judge['peak_mb']:.0f} MB, "
              f"read {judge['read_mb']:.0f} MB, {judge['out_mb']:.2f} MB of verdicts")
        print("| piece | areas | wall | peak memory | read | partial |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: |")
        rows = []
        for k, areas in enumerate(plan):
            r = child(cfg, json.dumps(areas), patches)
            rows.append((len(areas), r))
            print(f"| {k + 1} | {len(areas)} | {r['wall_s']:.1f} s | {r['peak_mb']:.0f} MB | "
                  f"{r['read_mb']:.0f} MB | {r['out_mb']:.1f} MB |", flush=True)
        total_areas = sum(a for a, _ in rows)
        wall = sum(r["wall_s"] for _, r in rows)
        read = sum(r["read_mb"] for _, r in rows)
        print(f"all pieces: {wall:.1f} s of one core, {read:.0f} MB read, "
              f"max peak {max(r['peak_mb'] for _, r in rows):.0f} MB; "
              f"per area {wall / total_areas:.2f} s and {read / total_areas:.1f} MB read")


if __name__ == "__main__":
    main()
