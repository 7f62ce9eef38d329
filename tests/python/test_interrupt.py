"""Ctrl-C during a long landel call: the work runs on a thread of its own while Python's main
thread waits with the GIL released and looks for signals every 0.1 s; a KeyboardInterrupt
stops the engine at its next progress check, no output folder is left, and the exception
reaches the caller. Each case runs in a subprocess of Debian's python3, so that the SIGINT
goes to that process and not to pytest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

landel = pytest.importorskip("landel")

PACKAGE_DIR = str(Path(landel.__file__).resolve().parents[1])

DENSE_CASE = """
import numpy as np, geopandas as gpd
from shapely.geometry import LineString, box
rng = np.random.default_rng(3)
areas = gpd.GeoDataFrame({"id": [f"{i}-{j}" for i in range(8) for j in range(8)]},
                         geometry=[box(i * 125, j * 125, (i + 1) * 125, (j + 1) * 125)
                                   for i in range(8) for j in range(8)], crs="EPSG:28992")
a = rng.uniform(0, 1000, size=(N, 2)); b = a + rng.normal(0, 40, size=(N, 2))
c = b + rng.normal(0, 20, size=(N, 2))
hedges = gpd.GeoDataFrame(geometry=[LineString([tuple(p), tuple(q), tuple(r)])
                                    for p, q, r in zip(a, b, c)], crs="EPSG:28992")
"""


def run_script(body: str, tmp_path: Path, prelude: str = "") -> dict:
    script = tmp_path / "case.py"
    script.write_text("import json, os, signal, sys, threading, time\nimport landel\n" + prelude +
                      textwrap.dedent(body), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=PACKAGE_DIR)
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_ctrl_c_stops_run_and_leaves_no_output(tmp_path, sample_case):
    """SIGINT arrives during the run (sent from the first progress call, which then gives the
    main thread time to see it): KeyboardInterrupt, no output folder, no temporary folder."""
    out = tmp_path / "out"
    got = run_script(f"""
        calls = []
        def progress(fraction, stage):
            calls.append(stage)
            if len(calls) == 1:
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.5)
            return True
        try:
            landel.run({str(sample_case)!r}, out={str(out)!r}, threads=2, progress=progress)
            outcome = "finished"
        except KeyboardInterrupt:
            outcome = "KeyboardInterrupt"
        print(json.dumps({{"outcome": outcome, "calls": len(calls)}}))
    """, tmp_path)
    assert got["outcome"] == "KeyboardInterrupt"
    assert got["calls"] == 1, "once stopped, the user's progress callback is not called again"
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("out.")] == []


def test_ctrl_c_at_any_moment_stops_measure_soon(tmp_path):
    """A real Ctrl-C from a timer, with no progress callback given: measure stops within a
    second or so of the signal (the engine looks at the stop flag at every progress step),
    long before the uninterrupted measurement would end."""
    got = run_script("""
        t0 = time.monotonic()
        landel.measure(areas, [dict(gdf=hedges, type="hedge", width_m=3)], id_field="id", threads=1)
        whole = time.monotonic() - t0
        sent = []
        def interrupt():
            sent.append(time.monotonic())
            os.kill(os.getpid(), signal.SIGINT)
        threading.Timer(0.25 * whole, interrupt).start()
        t0 = time.monotonic()
        try:
            landel.measure(areas, [dict(gdf=hedges, type="hedge", width_m=3)], id_field="id", threads=1)
            outcome = "finished"
        except KeyboardInterrupt:
            outcome = "KeyboardInterrupt"
        end = time.monotonic()
        print(json.dumps({"outcome": outcome, "whole": whole, "latency": end - sent[0],
                          "interrupted_after": end - t0}))
    """, tmp_path, prelude="N = 12000\n" + DENSE_CASE)
    print(got)
    assert got["outcome"] == "KeyboardInterrupt", got
    assert got["latency"] < max(1.5, 0.5 * got["whole"]), got
    assert got["interrupted_after"] < got["whole"], got


def test_measure_progress_and_cancel(tmp_path):
    """measure's progress callback sees the stages in order from 0 to 1; returning False
    stops it with landel.Cancelled."""
    got = run_script("""
        seen = []
        landel.measure(areas, [dict(gdf=hedges, type="hedge", width_m=3)], id_field="id",
                       progress=lambda f, s: seen.append((f, s)))
        fractions = [f for f, _ in seen]
        try:
            landel.measure(areas, [dict(gdf=hedges, type="hedge", width_m=3)], id_field="id",
                           progress=lambda f, s: f < 0.3)
            cancelled = False
        except landel.Cancelled:
            cancelled = True
        print(json.dumps({"first": seen[0], "last": seen[-1], "sorted": fractions == sorted(fractions),
                          "stages": sorted({s for _, s in seen}), "cancelled": cancelled}))
    """, tmp_path, prelude="N = 500\n" + DENSE_CASE)
    assert got["first"][0] == 0.0 and got["last"][0] == 1.0, got
    assert got["sorted"], "progress only moves forward"
    assert {"areas", "overlay", "quantities"} <= set(got["stages"]), got
    assert got["cancelled"]
