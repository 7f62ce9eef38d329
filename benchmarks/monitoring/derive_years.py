#!/usr/bin/python3
"""Derives later measurement years of the scaled vector case's element layers, for
`landel compare` (benchmarks/monitoring/run_benchmark.sh).

Usage:
    /usr/bin/python3 derive_years.py CASE_DIR [--seed 7]

Reads CASE_DIR/landscape.gpkg (benchmarks/vector/make_case.sh) and writes
CASE_DIR/elements_2022.gpkg and CASE_DIR/elements_2024.gpkg with the four element layers
(lijnelementen, bomen, vlakelementen, sloten) changed as a landscape changes between two
measurements; 2020 is the original. Each later year starts from the year before and, per layer:

- removes 5% of the features (grubbed hedges, felled trees, filled-in ponds);
- shifts 2% of the features by 0.3 m in a random direction (the same element digitised again);
- adds 1% new features: copies of existing ones moved 30-120 m to land that is neither a
  mask (bebouwing, wegen, natuur) nor outside the areas (new plantings).

The masks and areas are never touched, so every year has the same rural land. Everything
comes from random.Random(seed, year), features are taken in FID order and the GeoPackage
timestamps are pinned, so the same arguments give the same files.
"""

import argparse
import math
import os
import random
import sys
import warnings

from osgeo import gdal, ogr
from shapely import wkb as shapely_wkb
from shapely.affinity import translate
from shapely.ops import unary_union
from shapely.prepared import prep
from shapely.strtree import STRtree

ELEMENT_LAYERS = ["lijnelementen", "bomen", "vlakelementen", "sloten"]
MASK_LAYERS = ["bebouwing", "wegen", "natuur"]
REMOVE_SHARE, SHIFT_SHARE, ADD_SHARE = 0.05, 0.02, 0.01
SHIFT_M = 0.3
YEARS = [2022, 2024]


def read_geometries(ds, name):
    layer = ds.GetLayerByName(name)
    if layer is None:
        sys.exit(f"derive_years: layer {name} not found")
    return [shapely_wkb.loads(bytes(f.GetGeometryRef().ExportToWkb())) for f in layer]


class FreeLand:
    """Where a new element may go: inside the areas and clear of every mask (with a margin,
    so that its footprint, a few metres wide, stays on rural land)."""

    def __init__(self, ds):
        self.areas = prep(unary_union(read_geometries(ds, "gebieden")))
        self.masks = [g for name in MASK_LAYERS for g in read_geometries(ds, name)]
        with warnings.catch_warnings():  # shapely 1.8 announces the 2.0 API
            warnings.simplefilter("ignore")
            self.tree = STRtree(self.masks)

    def takes(self, geom):
        zone = geom.buffer(6.0)
        if not self.areas.contains(zone):
            return False
        return not any(m.intersects(zone) for m in self.tree.query(zone))


def read_features(ds, name):
    """(geometry, {field: value}) in FID order, and the layer's definition."""
    layer = ds.GetLayerByName(name)
    defn = layer.GetLayerDefn()
    fields = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    out = []
    for f in layer:
        g = f.GetGeometryRef()
        out.append((bytes(g.ExportToWkb()), {k: f.GetField(k) for k in fields}))
    return out, layer


def shifted(wkb_bytes, rng, dist):
    angle = rng.uniform(0.0, 2.0 * math.pi)
    g = shapely_wkb.loads(wkb_bytes)
    return translate(g, dist * math.cos(angle), dist * math.sin(angle)).wkb


def change_layer(features, rng, free):
    """The next year's features of one layer, and the counts of what changed."""
    n = len(features)
    order = list(range(n))
    rng.shuffle(order)
    n_remove, n_shift = round(REMOVE_SHARE * n), round(SHIFT_SHARE * n)
    removed = set(order[:n_remove])
    shift = set(order[n_remove:n_remove + n_shift])
    out = []
    for i, (geom, attrs) in enumerate(features):
        if i in removed:
            continue
        out.append((shifted(geom, rng, SHIFT_M) if i in shift else geom, attrs))
    added, tries = 0, 0
    want = round(ADD_SHARE * n)
    while added < want and tries < 50 * want:
        tries += 1
        geom, attrs = features[rng.randrange(n)]
        g = shapely_wkb.loads(geom)
        angle, dist = rng.uniform(0.0, 2.0 * math.pi), rng.uniform(30.0, 120.0)
        moved = translate(g, dist * math.cos(angle), dist * math.sin(angle))
        if free.takes(moved):
            out.append((moved.wkb, dict(attrs)))
            added += 1
    return out, {"removed": len(removed), "shifted": len(shift), "added": added}


def write_year(path, src, layers):
    if os.path.exists(path):
        os.remove(path)
    drv = ogr.GetDriverByName("GPKG")
    ds = drv.CreateDataSource(path)
    for name, features in layers.items():
        template = src.GetLayerByName(name)
        defn = template.GetLayerDefn()
        out = ds.CreateLayer(name, template.GetSpatialRef(), template.GetGeomType(),
                             ["SPATIAL_INDEX=YES"])
        for i in range(defn.GetFieldCount()):
            out.CreateField(defn.GetFieldDefn(i))
        out_defn = out.GetLayerDefn()
        out.StartTransaction()
        for geom, attrs in features:
            f = ogr.Feature(out_defn)
            f.SetGeometry(ogr.CreateGeometryFromWkb(geom))
            for k, v in attrs.items():
                if v is not None:
                    f.SetField(k, v)
            out.CreateFeature(f)
        out.CommitTransaction()
    ds = None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("case_dir")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    gdal.SetConfigOption("OGR_CURRENT_DATE", "2026-01-01T00:00:00.000Z")  # pinned timestamps
    src = ogr.Open(os.path.join(args.case_dir, "landscape.gpkg"))
    if src is None:
        sys.exit(f"derive_years: {args.case_dir}/landscape.gpkg: cannot open")
    free = FreeLand(src)
    current = {name: read_features(src, name)[0] for name in ELEMENT_LAYERS}
    for year in YEARS:
        rng = random.Random(f"{args.seed}-{year}")
        counts = {}
        for name in ELEMENT_LAYERS:
            current[name], counts[name] = change_layer(current[name], rng, free)
        write_year(os.path.join(args.case_dir, f"elements_{year}.gpkg"), src, current)
        for name in ELEMENT_LAYERS:
            c = counts[name]
            print(f"{year} {name}: {len(current[name])} features ({c['removed']} removed, "
                  f"{c['shifted']} shifted {SHIFT_M} m, {c['added']} added)", file=sys.stderr)


if __name__ == "__main__":
    main()
