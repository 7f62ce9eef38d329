#!/usr/bin/python3
"""Pieces on a line layer whose strip widths come from a field (`width_field`): a generated
GeoPackage of --lines hedges (default 300,000, 50-400 m long, widths 1-8 m as text) over
30 x 30 km and 36 areas of 1 km² on a 6 x 6 grid of 5 km; landel.dask.run in --pieces pieces
(default 12) on a LocalCluster of 2 workers x 1 thread, and `landel run --threads 2`.

Prints wall time and reading time of `landel run` (which scans every feature, as each piece
did before pieces read width_field sources through the index), the pieces' reading time
together and the longest (summary.json `pieces[].read_s`), and whether area_bid.csv equals
landel run's; then, on the hedges as a shapefile without .qix, the time
landel.dask.index_sources takes to make the indexed copy, to find it again by the files'
sizes and times, and to find it with verify=True (contents hashed):

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/dask/run_width_field.py
"""

import argparse
import json
import random
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def write_case(folder, lines, seed=5):
    from osgeo import ogr, osr
    rng = random.Random(seed)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(28992)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(folder / "case.gpkg"))
    areas = ds.CreateLayer("areas", srs, ogr.wkbPolygon)
    areas.CreateField(ogr.FieldDefn("code", ogr.OFTString))
    x0, y0 = 150000.0, 440000.0
    for i in range(6):
        for j in range(6):
            x, y = x0 + 2000 + 5000 * i, y0 + 2000 + 5000 * j
            f = ogr.Feature(areas.GetLayerDefn())
            f.SetField("code", f"A{i}{j}")
            f.SetGeometry(ogr.CreateGeometryFromWkt(
                f"POLYGON(({x} {y},{x + 1000} {y},{x + 1000} {y + 1000},{x} {y + 1000},{x} {y}))"))
            areas.CreateFeature(f)
    hedges = ds.CreateLayer("hedges", srs, ogr.wkbLineString)
    hedges.CreateField(ogr.FieldDefn("breedte", ogr.OFTString))
    hedges.StartTransaction()
    for _ in range(lines):
        x, y = x0 + rng.uniform(0, 30000), y0 + rng.uniform(0, 30000)
        length, horizontal = rng.uniform(50, 400), rng.random() < 0.5
        x1, y1 = (x + length, y) if horizontal else (x, y + length)
        f = ogr.Feature(hedges.GetLayerDefn())
        f.SetField("breedte", f"{rng.uniform(1, 8):.1f}")
        f.SetGeometry(ogr.CreateGeometryFromWkt(f"LINESTRING({x} {y},{x1} {y1})"))
        hedges.CreateFeature(f)
    hedges.CommitTransaction()
    ds = None
    cfg = folder / "landel.toml"
    cfg.write_text("""
[run]
name = "Hedges with widths per feature"
crs = "EPSG:28992"
measurement_year = 2024
[areas]
method = "given"
[[areas.layers]]
path = "case.gpkg"
layer = "areas"
id_field = "code"
[[elements]]
path = "case.gpkg"
layer = "hedges"
type = "hedge"
width_m = 3
width_field = "breedte"
[render]
max_area_maps = 0
dpi = 72
""", encoding="utf-8")
    return cfg


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=300_000)
    ap.add_argument("--pieces", type=int, default=12)
    ap.add_argument("--landel", default=str(REPO / "build/bin/landel"))
    args = ap.parse_args()

    import landel.dask
    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory(prefix="landel-dask-width-") as tmp:
        tmp = Path(tmp)
        cfg = write_case(tmp, args.lines)
        start = time.perf_counter()
        subprocess.run([args.landel, "run", str(cfg), "--out", str(tmp / "cli"), "-q", "--threads", "2"],
                       check=True)
        whole = json.loads((tmp / "cli/summary.json").read_text(encoding="utf-8"))["timings_s"]["read"]
        print(f"landel run --threads 2: {time.perf_counter() - start:.1f} s, reading {whole:.2f} s "
              f"(every feature scanned, as each piece did before it used the index)")
        with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
            start = time.perf_counter()
            landel.dask.run(cfg, client, out=tmp / "dask", pieces=args.pieces)
            wall = time.perf_counter() - start
        pieces = json.loads((tmp / "dask/summary.json").read_text(encoding="utf-8"))["pieces"]
        read = [p["read_s"] for p in pieces]
        same = (tmp / "dask/area_bid.csv").read_bytes() == (tmp / "cli/area_bid.csv").read_bytes()
        print(f"dask, {args.pieces} pieces: {wall:.1f} s; reading {sum(read):.1f} s together, "
              f"at most {max(read):.2f} s in one piece; area_bid.csv {'identical' if same else 'DIFFERENT'}")
        time_copies(tmp)


def time_copies(tmp):
    """The hedges as a shapefile without .qix: landel.dask.index_sources makes its indexed
    copy, finds it again by the files' sizes and times (the stamp), and with verify=True by
    hashing their contents."""
    import landel.dask
    from osgeo import gdal
    gdal.VectorTranslate(str(tmp / "hedges.shp"), str(tmp / "case.gpkg"), layers=["hedges"],
                         layerCreationOptions=["SPATIAL_INDEX=NO"])
    size = sum(f.stat().st_size for f in tmp.glob("hedges.*"))
    cfg = tmp / "shapefile.toml"
    text = (tmp / "landel.toml").read_text(encoding="utf-8")
    cfg.write_text(text.replace('path = "case.gpkg"\nlayer = "hedges"', 'path = "hedges.shp"'), encoding="utf-8")
    for label, verify in (("copy made", False), ("found by its stamp", False), ("found with verify=True", True)):
        start = time.perf_counter()
        copies = landel.dask.index_sources(cfg, tmp / "copies" / "out", verify=verify)
        assert len(copies) == 1
        print(f"index_sources on the {size / 1e6:.0f} MB shapefile, {label}: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
