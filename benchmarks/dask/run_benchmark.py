#!/usr/bin/python3
"""landel.dask on a LocalCluster of 2 single-threaded workers against one `landel run` process
with 2 threads, on a generated landscape (tools/generate_landscape.py), same config.

    PYTHONPATH=build/python /usr/bin/python3 benchmarks/dask/run_benchmark.py [--areas-x 8 --areas-y 6]

Prints wall times, the overhead of the Dask run, and whether area_bid.csv is byte-identical.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--areas-x", type=int, default=8)
    ap.add_argument("--areas-y", type=int, default=6)
    ap.add_argument("--density", type=float, default=2.0)
    ap.add_argument("--landel", default=str(REPO / "build/bin/landel"))
    args = ap.parse_args()

    import landel.dask
    from distributed import Client, LocalCluster
    from osgeo import gdal

    with tempfile.TemporaryDirectory(prefix="landel-dask-bench-") as tmp:
        tmp = Path(tmp)
        gpkg = tmp / "landscape.gpkg"
        subprocess.run([sys.executable, str(REPO / "tools/generate_landscape.py"), "--areas-x", str(args.areas_x),
                        "--areas-y", str(args.areas_y), "--area-size", "1600", "--density", str(args.density),
                        str(gpkg)], check=True, capture_output=True)
        text = (REPO / "data/samples/polder/landel.toml").read_text(encoding="utf-8")
        cfg = tmp / "bench.toml"
        cfg.write_text(text.replace('path = "landscape.gpkg"', f'path = "{gpkg}"')
                       + "\n[render]\nmax_area_maps = 0\ndpi = 72\n", encoding="utf-8")

        t = time.perf_counter()
        subprocess.run([args.landel, "run", str(cfg), "--out", str(tmp / "single"), "-q", "--threads", "2"],
                       check=True, capture_output=True)
        single = time.perf_counter() - t

        with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            t = time.perf_counter()
            result = landel.dask.run(cfg, client, out=tmp / "dask")
            dask_s = time.perf_counter() - t
        same = (tmp / "single/area_bid.csv").read_bytes() == (tmp / "dask/area_bid.csv").read_bytes()
        # (the dataset must outlive its band: GDAL's Python bindings crash otherwise)
        datasets = [gdal.Open(str(tmp / run / "element_density.tif")) for run in ("single", "dask")]
        density = [ds.GetRasterBand(1).ReadAsArray() for ds in datasets]
        same_density = density[0].tobytes() == density[1].tobytes()
        areas = len((tmp / "single/area_bid.csv").read_text().splitlines()) - 1
        print(f"areas: {areas}, pieces: {result.pieces}")
        print(f"landel run, 1 process x 2 threads: {single:.1f} s")
        print(f"landel.dask, 2 workers x 1 thread:  {dask_s:.1f} s  (overhead {100 * (dask_s / single - 1):+.0f}%)")
        print(f"area_bid.csv byte-identical: {same}")
        print(f"element_density.tif cells bit-identical: {same_density}")
        return 0 if same and same_density else 1


if __name__ == "__main__":
    sys.exit(main())
