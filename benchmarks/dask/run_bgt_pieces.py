#!/usr/bin/python3
"""Pieces that read only their part, on the real tiled-BGT case (benchmarks/bgt_tiled: the
Otterlo BGT copied on an N x N grid, one area per copy; default N = 9, 81 areas).

Runs `landel run --threads 2` once, then landel.dask.run on a fresh LocalCluster of 2 workers
x 1 thread for each piece count (default 1, 4 and 16), and prints per piece count: wall time,
whether area_bid.csv is byte-identical and summary.json equal (but for timings, threads and
the order of warnings), the vector features the pieces read (the most one piece read, and
all pieces together), what the patch pre-pass read (the most features one tile task read, the
most parts one group task united) and the workers' peak memory (VmHWM).

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/dask/run_bgt_pieces.py [--n 9] [--pieces 1 4 16]

Needs the shared real data (exits 77 without it, as make_case.sh does).
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def summary_without_run_details(folder):
    s = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    for key in ("timings_s", "threads", "pieces"):
        s.pop(key, None)
    s["warnings"] = sorted(s["warnings"])
    return s


def peak_rss_mb():
    """The worker's own peak resident memory (VmHWM). Not ru_maxrss: a worker is started by
    fork and exec from this process, and Linux carries the larger of the two maxima across
    exec, so ru_maxrss would report this process's peak (the merges) as the worker's."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=9)
    ap.add_argument("--pieces", type=int, nargs="+", default=[1, 4, 16])
    ap.add_argument("--landel", default=str(REPO / "build/bin/landel"))
    args = ap.parse_args()

    import landel.dask
    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory(prefix="landel-dask-bgt-") as tmp:
        tmp = Path(tmp)
        made = subprocess.run(["bash", str(REPO / "benchmarks/bgt_tiled/make_case.sh"), str(tmp), str(args.n)],
                              capture_output=True, text=True)
        if made.returncode == 77:
            print(made.stderr.strip())
            sys.exit(77)
        made.check_returncode()
        cfg = tmp / "landel.toml"
        cfg.write_text(cfg.read_text(encoding="utf-8") + "\n[render]\nmax_area_maps = 0\ndpi = 72\n",
                       encoding="utf-8")

        t = time.perf_counter()
        run = subprocess.run(["/usr/bin/time", "-f", "%M", args.landel, "run", str(cfg), "--out",
                              str(tmp / "single"), "-q", "--threads", "2"], check=True, capture_output=True, text=True)
        single = time.perf_counter() - t
        single_mb = int(run.stderr.strip().splitlines()[-1]) / 1024.0
        summary = json.loads((tmp / "single/summary.json").read_text(encoding="utf-8"))
        whole = sum(s["features"] for s in summary["sources"][1:])
        reference = summary_without_run_details(tmp / "single")
        print(f"case: {args.n} x {args.n} copies of the Otterlo BGT, {args.n * args.n} areas; "
              f"{whole} vector features near the areas")
        print(f"landel run, 1 process x 2 threads: {single:.1f} s, peak {single_mb:.0f} MB")
        patch_features = sum(s["features"] for s in summary["sources"] if s.get("patches") is not None)
        print(f"sources with a patch rule: {patch_features} features (what one task judging them whole reads)")
        print("| pieces | wall | identical | most features one piece read | all pieces read | "
              "most features one patch tile read | parts one patch group united | worker peak |")
        print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
        for pieces in args.pieces:
            with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None,
                              memory_limit=0) as cluster, Client(cluster) as client:
                t = time.perf_counter()
                result = landel.dask.run(cfg, client, out=tmp / f"dask{pieces}", pieces=pieces)
                wall = time.perf_counter() - t
                peaks = client.run(peak_rss_mb)
            same = ((tmp / "single/area_bid.csv").read_bytes() == (result.output / "area_bid.csv").read_bytes()
                    and summary_without_run_details(result.output) == reference)
            reads = [piece["features_read"] for piece in result.summary["pieces"]]
            plan = result.patch_plan or {"tile_features": [0], "group_parts": [0]}
            print(f"| {pieces} | {wall:.1f} s | {'yes' if same else 'NO'} | {max(reads)} | {sum(reads)} | "
                  f"{max(plan['tile_features'])} of {len(plan['tile_features'])} tiles | "
                  f"{max(plan['group_parts'])} of {plan.get('clustered', 0)} | {max(peaks.values()):.0f} MB |")


if __name__ == "__main__":
    main()
