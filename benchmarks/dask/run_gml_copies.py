#!/usr/bin/python3
"""Pieces on a source without a spatial index: the BGT preset straight on the real Otterlo
PDOK download (GML in a zip), over a 2 x 2 grid of areas, in 4 pieces on a LocalCluster of
2 workers x 1 thread.

Runs `landel run --threads 2` on the zip once, then landel.dask.run three times: without
copies (each piece parses and scans every GML layer it reads), with copies made for the run
(landel.dask.index_sources copies each layer once into an indexed GeoPackage), and again with
the copies reused. Prints wall time, the pieces' reading time together (summary.json
`pieces[].read_s`), the most vector features one piece read, and whether area_bid.csv is
byte-identical to landel run's.

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/dask/run_gml_copies.py [--pieces 4]

Needs the shared real data (exits 77 without it).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ZIP = Path(os.environ.get("LANDEL_REAL_DATA", REPO.parent / "shared/data/real")) / \
    "otterlo-bgt/otterlo_bgt_2020-08-05.zip"


def write_case(folder):
    from osgeo import ogr, osr
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(folder / "areas.gpkg"))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(28992)
    lyr = ds.CreateLayer("areas", srs, ogr.wkbPolygon)
    lyr.CreateField(ogr.FieldDefn("id", ogr.OFTString))
    for i in range(2):
        for j in range(2):
            x, y = 179600.0 + 1500.0 * i, 455500.0 + 1560.0 * j
            f = ogr.Feature(lyr.GetLayerDefn())
            f.SetField("id", f"{i}{j}")
            f.SetGeometry(ogr.CreateGeometryFromWkt(
                f"POLYGON(({x} {y},{x + 1500} {y},{x + 1500} {y + 1560},{x} {y + 1560},{x} {y}))"))
            lyr.CreateFeature(f)
    ds = None
    cfg = folder / "landel.toml"
    cfg.write_text(f"""
[run]
name = "Otterlo BGT download"
[areas]
[[areas.layers]]
path = "areas.gpkg"
id_field = "id"
[dataset]
preset = "bgt"
path = "{ZIP}"
[render]
max_area_maps = 0
dpi = 72
""", encoding="utf-8")
    return cfg


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pieces", type=int, default=4)
    ap.add_argument("--landel", default=str(REPO / "build/bin/landel"))
    args = ap.parse_args()
    if not ZIP.is_file():
        print(f"run_gml_copies: {ZIP} not found; skipping (set LANDEL_REAL_DATA)")
        sys.exit(77)

    import landel.dask
    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory(prefix="landel-dask-gml-") as tmp:
        tmp = Path(tmp)
        cfg = write_case(tmp)
        start = time.perf_counter()
        subprocess.run([args.landel, "run", str(cfg), "--out", str(tmp / "runs/cli"), "-q", "--threads", "2"],
                       check=True)
        print(f"landel run --threads 2 on the zip: {time.perf_counter() - start:.1f} s")
        reference = (tmp / "runs/cli/area_bid.csv").read_bytes()
        print("| run | wall | pieces' reading together | most features one piece read | identical |")
        print("| --- | ---: | ---: | ---: | --- |")
        with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
            for name, copy in (("no copies", False), ("copies made", True), ("copies reused", True)):
                out = tmp / "runs" / name.replace(" ", "_")
                start = time.perf_counter()
                result = landel.dask.run(cfg, client, out=out, pieces=args.pieces, copy_unindexed=copy)
                wall = time.perf_counter() - start
                pieces = json.loads((out / "summary.json").read_text(encoding="utf-8"))["pieces"]
                read = sum(p["read_s"] for p in pieces)
                most = max(p["features_read"] for p in pieces)
                same = (out / "area_bid.csv").read_bytes() == reference
                reused = sum(c["reused"] for c in result.copies)
                print(f"| {name} ({len(result.copies)} copies, {reused} reused) | {wall:.1f} s | {read:.1f} s "
                      f"| {most:,} | {'yes' if same else 'NO'} |")


if __name__ == "__main__":
    main()
