#!/usr/bin/python3
"""The element network ([siting]: components and equivalent connected area) of landel against
what a Python user would otherwise write: shapely for the patches and their edge-to-edge
distances, scipy's sparse-graph Dijkstra for the shortest paths (Conefor, the reference tool for
the ECA, is not a Debian package).

Case: the real tiled-BGT case of benchmarks/bgt_tiled/make_case.sh (the Otterlo BGT copied on
an N x N grid, one 3 x 3 km area per copy) with `[siting]` defaults appended. landel runs the
whole job with 1 and 2 threads (area_bid.csv must be byte-identical); its `siting` stage time
comes from summary.json. The peer starts from landel's output, the owned element geometry per
area in areas.gpkg (measuring is benchmarked against PostGIS in benchmarks/bgt_tiled), and
computes the same figures from the definitions in docs/siting.md; they must agree (patches and
components exactly, largest component and ECA to 1e-9).

Usage: /usr/bin/python3 benchmarks/siting/run_network_peer.py [--n N] [--work DIR]
Env:   LANDEL_BIN (default build/bin/landel), LANDEL_REAL_DATA (default ../shared/data/real).
Exits 77 (skip) without the real data. Needs python3-scipy (scripts/install-deps.sh --with-bench).
"""

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GAP_M, DISPERSAL_M, CUTOFF = 25.0, 100.0, 0.001  # [siting] defaults (docs/configuration.md)
TOUCH_M = 1e-6  # polygons of the union this close are one patch (docs/siting.md)


def make_case(work, n):
    case = work / f"n{n}"
    if not (case / "landel.toml").exists():
        rc = subprocess.run(["bash", str(REPO / "benchmarks/bgt_tiled/make_case.sh"), str(case), str(n)]).returncode
        if rc == 77:
            sys.exit(77)
        if rc != 0:
            sys.exit(f"run_network_peer: make_case.sh failed ({rc})")
    config = case / "siting.toml"
    config.write_text((case / "landel.toml").read_text(encoding="utf-8") + "\n[siting]\n", encoding="utf-8")
    return case, config


def run_landel(landel, config, out, threads):
    start = time.perf_counter()
    proc = subprocess.run([landel, "run", str(config), "--out", str(out), "--overwrite", "--quiet",
                           "--no-maps", "--threads", str(threads)], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"run_network_peer: landel failed: {proc.stderr.strip()}")
    stage = json.loads((out / "summary.json").read_text(encoding="utf-8"))["timings_s"]["siting"]
    return wall, stage


def peer(areas_gpkg):
    """Per area (patches, components, largest m2, ECA m2), and the seconds it took."""
    import warnings

    import geopandas
    import numpy
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components, dijkstra
    from shapely.geometry import MultiPolygon
    from shapely.ops import unary_union
    from shapely.strtree import STRtree

    warnings.filterwarnings("ignore", message="STRtree will be changed")  # shapely 1.8 on bookworm
    start = time.perf_counter()
    k = math.log(2.0) / DISPERSAL_M
    reach = math.log(1.0 / CUTOFF) / k
    elements = geopandas.read_file(areas_gpkg, layer="elements")
    figures = {}
    for area, rows in elements.groupby("area_id"):
        union = unary_union(list(rows.geometry))
        polygons = list(getattr(union, "geoms", [union]))
        # Polygons of the union within a micrometre are one patch.
        tree = STRtree(polygons)
        index = {id(p): i for i, p in enumerate(polygons)}
        touch = [(i, index[id(q)]) for i, p in enumerate(polygons)
                 for q in tree.query(p.buffer(TOUCH_M, 1)) if index[id(q)] > i and p.distance(q) <= TOUCH_M]
        m = len(polygons)
        graph = coo_matrix(([1] * len(touch), ([a for a, _ in touch], [b for _, b in touch])), shape=(m, m))
        _, group = connected_components(graph, directed=False)
        members = {}
        for i, g in enumerate(group):
            members.setdefault(g, []).append(polygons[i])
        patches = [ps[0] if len(ps) == 1 else MultiPolygon(ps) for _, ps in sorted(members.items())]
        n = len(patches)
        areas = numpy.array([p.area for p in patches])
        tree = STRtree(patches)
        index = {id(p): i for i, p in enumerate(patches)}
        rows_, cols, lengths = [], [], []
        for i, p in enumerate(patches):
            for q in tree.query(p.buffer(reach, 4).envelope):
                j = index[id(q)]
                if j > i:
                    d = p.distance(q)
                    if d <= reach:
                        rows_.append(i)
                        cols.append(j)
                        lengths.append(d)
        lengths = numpy.array(lengths)
        near = lengths <= GAP_M
        gap = coo_matrix((numpy.ones(near.sum()), (numpy.array(rows_)[near], numpy.array(cols)[near])), shape=(n, n))
        count, label = connected_components(gap, directed=False)
        largest = max(numpy.bincount(label, weights=areas))
        # Zero-length links (patches a micrometre or more apart never are, but keep them): scipy
        # drops explicit zeros from a sparse matrix, so they get the smallest positive length.
        links = coo_matrix((numpy.maximum(lengths, 1e-300), (rows_, cols)), shape=(n, n)).tocsr()
        paths = dijkstra(links, directed=False, limit=reach)
        p = numpy.where(numpy.isfinite(paths), numpy.exp(-k * paths), 0.0)
        eca = math.sqrt(float(areas @ p @ areas))
        figures[area] = (n, count, largest, eca)
    return figures, time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1, help="copies per side (1: one area, 9: 81 areas)")
    ap.add_argument("--work", type=Path, default=REPO / "build/bench-siting")
    args = ap.parse_args()
    landel = os.environ.get("LANDEL_BIN", str(REPO / "build/bin/landel"))
    case, config = make_case(args.work, args.n)
    runs = {t: run_landel(landel, config, case / f"out_t{t}", t) for t in (1, 2)}
    a, b = ((case / f"out_t{t}/area_bid.csv").read_bytes() for t in (1, 2))
    if a != b:
        sys.exit("run_network_peer: area_bid.csv differs between 1 and 2 threads")
    figures, peer_s = peer(case / "out_t1/areas.gpkg")
    import geopandas
    got = {r["area_id"]: r for _, r in geopandas.read_file(case / "out_t1/areas.gpkg", layer="areas").iterrows()}
    for area, (patches, count, largest, eca) in figures.items():
        r = got[area]
        ok = (int(r["network_patches"]) == patches and int(r["network_components"]) == count
              and math.isclose(r["largest_component_ha"], largest / 1e4, rel_tol=1e-9)
              and math.isclose(r["eca_ha"], eca / 1e4, rel_tol=1e-9))
        if not ok:
            sys.exit(f"run_network_peer: area {area} differs: landel {r['network_patches']} "
                     f"{r['network_components']} {r['largest_component_ha']} {r['eca_ha']}, peer "
                     f"{patches} {count} {largest / 1e4:.6f} {eca / 1e4:.6f}")
    print(f"case n={args.n}: {len(figures)} areas, figures agree with the peer")
    print(f"landel siting stage: 1 thread {runs[1][1]:.2f} s, 2 threads {runs[2][1]:.2f} s "
          f"(whole runs {runs[1][0]:.2f} s, {runs[2][0]:.2f} s)")
    print(f"peer (shapely + scipy, from areas.gpkg): {peer_s:.2f} s")
    print(f"peer / landel siting stage (1 thread): {peer_s / runs[1][1]:.1f}x")


if __name__ == "__main__":
    main()
