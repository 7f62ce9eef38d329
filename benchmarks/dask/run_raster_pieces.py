#!/usr/bin/python3
"""Raster runs in pieces: the real 0.5 m Otterlo land cover (the BGT rasterised, 6,000 x 6,000
cells; built-up mask and wood, houtwal and pond classes) with the BGT trees and hedges as
vectors, over the six areas of derived/areas_6.gpkg, on a LocalCluster of 2 workers x 1
thread.

Runs `landel run --threads 2` once, then landel.dask.run in 1, 3 and 6 pieces. Prints wall
time, the most analysis cells one piece's raster pass read and all pieces' together
(summary.json `pieces[].raster_cells_read`), and whether area_bid.csv and
element_density.tif are identical to landel run's (the raster bit for bit).

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/dask/run_raster_pieces.py

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
REAL = Path(os.environ.get("LANDEL_REAL_DATA", REPO.parent / "shared/data/real")) / "otterlo-bgt"
LANDCOVER = REAL / "derived/landcover_05m.tif"
AREAS = REAL / "derived/areas_6.gpkg"
BGT = REAL / "otterlo_bgt_current.gpkg"


def write_case(folder):
    cfg = folder / "landel.toml"
    cfg.write_text(f"""
[run]
name = "Otterlo land cover in pieces"
crs = "EPSG:28992"
measurement_year = 2024
density_cell_m = 10
[areas]
method = "given"
[[areas.layers]]
path = "{AREAS}"
layer = "areas"
id_field = "code"
[[rural.exclude]]
path = "{LANDCOVER}"
classes = [1, 2]
name = "built"
[[elements]]
path = "{LANDCOVER}"
classes = {{ 20 = "wooded_bank", 21 = "small_wood", 11 = "pond" }}
[[elements]]
path = "{BGT}"
layer = "vegetatieobject_boom"
type = "solitary_tree"
width_m = 6
[[elements]]
path = "{BGT}"
layer = "vegetatieobject_haag"
type = "hedge"
width_m = 1.5
[types]
order = ["wooded_bank", "small_wood", "solitary_tree", "hedge", "pond"]
[render]
max_area_maps = 0
dpi = 72
""", encoding="utf-8")
    return cfg


def same_raster(a, b):
    from osgeo import gdal
    da, db = gdal.Open(str(a)), gdal.Open(str(b))
    return da.GetGeoTransform() == db.GetGeoTransform() and \
        da.GetRasterBand(1).ReadAsArray().tobytes() == db.GetRasterBand(1).ReadAsArray().tobytes()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--landel", default=str(REPO / "build/bin/landel"))
    args = ap.parse_args()
    if not all(p.is_file() for p in (LANDCOVER, AREAS, BGT)):
        print(f"run_raster_pieces: the Otterlo data under {REAL} not found; skipping (set LANDEL_REAL_DATA)")
        sys.exit(77)

    import landel.dask
    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory(prefix="landel-dask-raster-") as tmp:
        tmp = Path(tmp)
        cfg = write_case(tmp)
        cli = tmp / "runs/cli"
        start = time.perf_counter()
        subprocess.run([args.landel, "run", str(cfg), "--out", str(cli), "-q", "--threads", "2"], check=True)
        print(f"landel run --threads 2: {time.perf_counter() - start:.1f} s")
        grid = json.loads((cli / "summary.json").read_text(encoding="utf-8"))["rasters"]["analysis_grid"]
        print(f"analysis grid: {grid['cols']:,} x {grid['rows']:,} cells of {grid['cell_x_m']} m")
        print("| pieces | wall | most cells one piece read | all pieces' cells | area_bid.csv | element_density.tif |")
        print("| ---: | ---: | ---: | ---: | --- | --- |")
        with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
            for pieces in (1, 3, 6):
                out = tmp / "runs" / f"dask{pieces}"
                start = time.perf_counter()
                landel.dask.run(cfg, client, out=out, pieces=pieces)
                wall = time.perf_counter() - start
                cells = [p["raster_cells_read"]
                         for p in json.loads((out / "summary.json").read_text(encoding="utf-8"))["pieces"]]
                csv = (out / "area_bid.csv").read_bytes() == (cli / "area_bid.csv").read_bytes()
                tif = same_raster(out / "element_density.tif", cli / "element_density.tif")
                print(f"| {pieces} | {wall:.1f} s | {max(cells):,} | {sum(cells):,} "
                      f"| {'identical' if csv else 'DIFFERENT'} | {'bit for bit' if tif else 'DIFFERENT'} |")


if __name__ == "__main__":
    main()
