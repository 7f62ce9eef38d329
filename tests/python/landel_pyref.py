"""Independent references for the Python tests: CONTRACT.md's measurement semantics written
out with shapely 1.8 and numpy (no landel code), helpers to run the `landel` binary and read
its outputs without the `landel` package, and a ticker thread for the GIL tests.

    rural land R  = area - union(masks)
    footprints    = line -> buffer(w/2, 32 segments per quarter circle, flat caps, round joins)
                    point -> buffer(d/2, 32); polygon -> itself
    type t owns   = (union of t's footprints) & R minus what types before it own
    element_ha    = area(union of all footprints & R) / 1e4
"""

from __future__ import annotations

import csv
import math
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from shapely.geometry import box
from shapely.ops import unary_union

CAP_FLAT = 2    # shapely 1.8 style codes
JOIN_ROUND = 1
QUAD_SEGS = 32


def footprint(geom, width):
    """A feature's footprint by CONTRACT.md: strips, circles, polygons as they are."""
    kind = geom.geom_type
    if kind in ("LineString", "MultiLineString"):
        return geom.buffer(width / 2.0, resolution=QUAD_SEGS, cap_style=CAP_FLAT, join_style=JOIN_ROUND)
    if kind in ("Point", "MultiPoint"):
        return geom.buffer(width / 2.0, resolution=QUAD_SEGS)
    return geom


def measure_area(area, masks, typed_features, types, milestones):
    """The figures of one area.

    masks: {name: [polygons]}; typed_features: [(type, geometry, width)]; types: precedence.
    Returns a dict of the area_bid.csv measurement columns.
    """
    mask_union = unary_union([g for gs in masks.values() for g in gs]) if masks else None
    rural = area.difference(mask_union) if mask_union is not None and not mask_union.is_empty else area
    row = {"area_ha": area.area / 1e4, "rural_ha": rural.area / 1e4, "nodata_ha": 0.0}
    for name, gs in masks.items():
        row[f"excl_{name}_ha"] = area.intersection(unary_union(gs)).area / 1e4
    taken = None
    total = []
    for t in types:
        fps = [footprint(g, w) for tt, g, w in typed_features if tt == t]
        fp = unary_union(fps) if fps else None
        if fp is None or fp.is_empty:
            row[f"ha_{t}"] = 0.0
        else:
            mine = fp.intersection(rural)
            if taken is not None:
                mine = mine.difference(taken)
            row[f"ha_{t}"] = mine.area / 1e4
            taken = fp if taken is None else taken.union(fp)
            total.append(fp)
        lines = [g for tt, g, w in typed_features if tt == t and "LineString" in g.geom_type]
        points = [g for tt, g, w in typed_features if tt == t and "Point" in g.geom_type]
        if lines:  # plan quantities: metres of line types, counts of point types
            row[f"{t}_m"] = sum(g.intersection(rural).length for g in lines)
        if points:
            row[f"{t}_count"] = sum(1 for g in points if rural.contains(g))
    row["element_ha"] = unary_union(total).intersection(rural).area / 1e4 if total else 0.0
    rural_ha = row["rural_ha"]
    row["share_pct"] = 100.0 * row["element_ha"] / rural_ha if rural_ha > 0 else math.nan
    met = None
    for year, share in milestones:
        target = share * rural_ha
        gap = max(0.0, target - row["element_ha"])
        gap = 0.0 if gap < 1e-4 else gap
        row[f"target_{year}_ha"] = target
        row[f"gap_{year}_ha"] = gap
        if gap == 0.0:
            met = year
    if rural_ha < 1e-4:
        row["status"] = "no_rural_land"
    elif met is not None:
        row["status"] = f"met_{met}"
    else:
        row["status"] = f"below_{milestones[0][0]}"
    return row


# ----------------------------------------------------------------------------- raster side

def cell_boxes(transform, shape):
    """shapely boxes of the cells of a north-up grid, row 0 northern."""
    x0, dx, _, y0, _, ndy = transform
    rows, cols = shape
    return [[box(x0 + c * dx, y0 + (r + 1) * ndy, x0 + (c + 1) * dx, y0 + r * ndy) for c in range(cols)]
            for r in range(rows)]


def coverage_reference(polygon, transform, shape):
    """Per cell: area(cell & polygon) / area(cell), by shapely."""
    cells = cell_boxes(transform, shape)
    out = np.zeros(shape)
    for r, row in enumerate(cells):
        for c, cell in enumerate(row):
            out[r, c] = cell.intersection(polygon).area / cell.area
    return out


def zonal_reference(polygon, classes, transform, valid):
    """(area per class, nodata area) inside polygon, each cell's area inside it by shapely."""
    cells = cell_boxes(transform, classes.shape)
    by_class, nodata = {}, 0.0
    for r, row in enumerate(cells):
        for c, cell in enumerate(row):
            a = cell.intersection(polygon).area
            if a == 0.0:
                continue
            if not valid[r, c]:
                nodata += a
            else:
                k = int(classes[r, c])
                by_class[k] = by_class.get(k, 0.0) + a
    return by_class, nodata


# ------------------------------------------------------------------------- binary's outputs

def read_csv_rows(path: Path):
    """area_bid.csv as a header and rows of text (the csv module, no type guessing)."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def read_areas_layer(gpkg: Path):
    """The `areas` layer of a run's areas.gpkg, with GeoPandas (not landel)."""
    import geopandas as gpd
    return gpd.read_file(gpkg, layer="areas")


def simple_where(gdf, where: str):
    """A config's `where` of the form  field = 'value'  applied with pandas."""
    if not where:
        return gdf
    field, value = (s.strip() for s in where.split("=", 1))
    assert value.startswith("'") and value.endswith("'"), where
    return gdf[gdf[field] == value[1:-1]]


# ------------------------------------------------------------------------------- plumbing

REPO_ROOT = Path(__file__).resolve().parents[2]


def run_cli(binary: Path, args, timeout=300) -> subprocess.CompletedProcess:
    cmd = [str(binary)] + [str(a) for a in args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


@dataclass
class Ticks:
    """What a Python thread managed to do while another thread was inside a landel call."""

    start: float
    end: float
    stamps: list

    @property
    def inside(self):
        return [t for t in self.stamps if self.start <= t <= self.end]

    @property
    def max_gap(self):
        """Longest stretch (s) of the call without a tick (call edges count as ticks)."""
        ts = [self.start] + self.inside + [self.end]
        return max(b - a for a, b in zip(ts, ts[1:]))


def call_with_ticker(fn, *args, **kwargs):
    """Runs fn(*args, **kwargs) in a second thread while this thread counts loop iterations
    (each with a 1 ms sleep), timestamped. Returns (fn's result, Ticks)."""
    box = {}

    def work():
        box["start"] = time.perf_counter()
        try:
            box["result"] = fn(*args, **kwargs)
        except BaseException as exc:  # re-raised in the caller
            box["error"] = exc
        box["end"] = time.perf_counter()

    worker = threading.Thread(target=work)
    stamps = []
    worker.start()
    while worker.is_alive():
        stamps.append(time.perf_counter())
        time.sleep(0.001)
    worker.join()
    if "error" in box:
        raise box["error"]
    return box["result"], Ticks(box["start"], box["end"], stamps)
