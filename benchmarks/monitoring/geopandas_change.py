#!/usr/bin/python3
"""The change between two `landel run`s done the way an analyst would in geopandas, as the
peer of `landel compare --tolerance-m 0` (benchmarks/monitoring/run_benchmark.sh).

Usage:
    /usr/bin/python3 geopandas_change.py RUN_BEFORE RUN_AFTER OUT.csv

Reads each run's areas.gpkg layer `elements` (per area and type the owned geometry),
dissolves each year's elements per area (EA, EB) and overlays per area and type:
gained = B_t - EA, lost = A_t - EB (docs/monitoring.md, method steps 2 and 3 without the
split by the later rural land: the benchmark's years share their masks, so nothing is masked
and lost = A_t - EB). Writes area_id, type, gained_ha, lost_ha.
"""

import sys
import time

import geopandas as gpd
import pandas as pd
from shapely.geometry import MultiPolygon


def read(run):
    g = gpd.read_file(f"{run}/areas.gpkg", layer="elements")
    return g[["area_id", "type", "geometry"]]


def main():
    before_dir, after_dir, out = sys.argv[1:4]
    t0 = time.perf_counter()
    a, b = read(before_dir), read(after_dir)
    t1 = time.perf_counter()
    ea = a.dissolve("area_id").geometry  # EA per area
    eb = b.dissolve("area_id").geometry
    t2 = time.perf_counter()
    rows = a.merge(b, on=["area_id", "type"], how="outer", suffixes=("_a", "_b"))
    empty = MultiPolygon()

    def column(values):
        return gpd.GeoSeries([empty if g is None or (isinstance(g, float)) else g
                              for g in values], crs=a.crs)

    geom_a, geom_b = column(rows["geometry_a"]), column(rows["geometry_b"])
    ea_rows = column([ea.get(k) for k in rows["area_id"]])
    eb_rows = column([eb.get(k) for k in rows["area_id"]])
    gained = geom_b.difference(ea_rows).area / 1e4
    lost = geom_a.difference(eb_rows).area / 1e4
    t3 = time.perf_counter()
    pd.DataFrame({"area_id": rows["area_id"], "type": rows["type"], "gained_ha": gained,
                  "lost_ha": lost}).to_csv(out, index=False, float_format="%.6f")
    print(f"read {t1 - t0:.1f} s, dissolve {t2 - t1:.1f} s, overlay {t3 - t2:.1f} s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
