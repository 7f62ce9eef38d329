#!/usr/bin/python3
"""What the patch judgement costs, whole and in parts, task by task: the inputs of the
national model in docs/benchmarks.md ("A national run on N workers").

Builds the real tiled-BGT case (benchmarks/bgt_tiled, N x N copies of the Otterlo BGT), then
runs each task of the judgement in a fresh process of its own (one engine thread, as a Dask
worker with one thread per core runs it): the one task that reads the sources with a patch
rule whole (judge_patches), and the judgement in parts (pipeline/patch_pieces.h): every tile
task, the plan, every group task and the verdicts. Prints per kind of task the most and the
total wall time, peak resident memory (VmHWM) and bytes read (rchar), and whether the
verdicts in parts are the whole judgement's bytes.

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/dask/profile_patch_parts.py [--n 9] [--tiles 4] [--groups 16]

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

# Runs in the child process: one task, reading its arguments from files and writing its bytes.
CHILD = r"""
import json, pickle, sys, time
from landel import _landel
cfg, what, args_file, out_file = sys.argv[1:5]
text = open(cfg, encoding="utf-8").read()
args = pickle.load(open(args_file, "rb"))
def io_read():
    with open("/proc/self/io") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("rchar:"))
def peak_mb():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmHWM:")) / 1024.0
start_read, start = io_read(), time.perf_counter()
if what == "whole":
    out = _landel.judge_patches(text, cfg, [], 1)
elif what == "tile":
    out = _landel.patch_tile(text, cfg, args, [], 1)
elif what == "plan":
    out = _landel.plan_patch_clusters(args["tiles"], args["groups"])
elif what == "group":
    out = _landel.judge_patch_group(text, cfg, args, [], 1)
else:
    out = _landel.patch_verdicts(args["plan"], args["judged"])
wall = time.perf_counter() - start
pickle.dump(out, open(out_file, "wb"))
print(json.dumps({"wall_s": wall, "peak_mb": peak_mb(), "read_mb": (io_read() - start_read) / 2**20}))
"""


def task(tmp, cfg, what, args):
    import pickle
    args_file, out_file = tmp / "args.pickle", tmp / "out.pickle"
    args_file.write_bytes(pickle.dumps(args))
    done = subprocess.run([sys.executable, "-c", CHILD, str(cfg), what, str(args_file), str(out_file)],
                          capture_output=True, text=True, env=dict(os.environ))
    if done.returncode != 0:
        sys.exit(done.stderr)
    costs = json.loads(done.stdout.strip().splitlines()[-1])
    return pickle.loads(out_file.read_bytes()), costs


def row(name, costs):
    print(f"| {name} | {len(costs)} | {max(c['wall_s'] for c in costs):.2f} s | "
          f"{sum(c['wall_s'] for c in costs):.2f} s | {max(c['peak_mb'] for c in costs):.0f} MB | "
          f"{max(c['read_mb'] for c in costs):.0f} MB | {sum(c['read_mb'] for c in costs):.0f} MB |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=9)
    ap.add_argument("--tiles", type=int, default=4, help="tiles per side")
    ap.add_argument("--groups", type=int, default=16)
    args = ap.parse_args()
    from landel import _landel

    with tempfile.TemporaryDirectory(prefix="landel-patch-parts-") as tmp:
        tmp = Path(tmp)
        made = subprocess.run(["bash", str(REPO / "benchmarks/bgt_tiled/make_case.sh"), str(tmp), str(args.n)],
                              capture_output=True, text=True)
        if made.returncode == 77:
            print(made.stderr.strip())
            sys.exit(77)
        made.check_returncode()
        cfg = tmp / "landel.toml"
        text = cfg.read_text(encoding="utf-8")

        whole, whole_cost = task(tmp, cfg, "whole", None)
        tiles = _landel.plan_patch_tiles(text, str(cfg), args.tiles)
        tile_out, tile_costs = zip(*(task(tmp, cfg, "tile", tuple(t)) for t in tiles))
        plan, plan_cost = task(tmp, cfg, "plan", {"tiles": list(tile_out), "groups": args.groups})
        judged, group_costs = zip(*(task(tmp, cfg, "group", g) for g in plan["groups"]))
        verdicts, verdict_cost = task(tmp, cfg, "verdicts", {"plan": plan["plan"], "judged": list(judged)})

        print(f"case: {args.n} x {args.n} copies, {args.n * args.n} areas; {plan['parts']} polygon parts in the "
              f"sources with a patch rule, {plan['clustered']} of them in clusters of several; "
              f"{args.tiles} x {args.tiles} tiles, {args.groups} groups")
        print(f"most features one tile read: {max(plan['tile_features'])} (all tiles: {sum(plan['tile_features'])}); "
              f"most parts one group united: {max(plan['group_parts'])}")
        print(f"verdicts in parts identical to the whole judgement: {'yes' if verdicts == whole else 'NO'}")
        print("| task | count | slowest | all together | most memory | most read | all read |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        row("whole judgement (one task)", [whole_cost])
        row("tile", list(tile_costs))
        row("plan (boxes only)", [plan_cost])
        row("group", list(group_costs))
        row("verdicts", [verdict_cost])


if __name__ == "__main__":
    main()
