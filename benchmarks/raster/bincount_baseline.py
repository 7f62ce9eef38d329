#!/usr/bin/python3
"""Per-area class areas the way an analyst would do it: rasterize the areas, then bincount.

The common alternative to an exact zonal tool: burn the area ids onto the land-cover grid
with gdal.RasterizeLayer (cell-centre rule: a cell belongs to the area containing its
centre), then count every (area, class) pair with numpy.bincount, band by band, and turn
cell counts into hectares. It reads the same landel.toml and writes a CSV shaped like
landel's area_bid.csv, so that compare.py can put them side by side.

It is approximate by construction: a cell straddling an area border counts wholly for
one area. Over all areas the errors cancel (each cell goes to exactly one area when the
areas tile the raster), per area they are of the order of perimeter x cell size / 4.

Semantics, as far as whole cells allow (see the raster spec):
  area_ha      the polygon's planar area (exact, from the geometry);
  excl_<n>_ha  cells whose class a [[rural.exclude]] raster named <n> lists;
  nodata_ha    nodata cells (GDAL mask band) not excluded, plus the polygon's area outside
               the raster's extent (exact);
  rural_ha     the other cells;  ha_<type>: rural cells of the type's classes (a class
               listed by several element sources goes to the type ranked first);
  rasterized_ha  (extra) all cells burnt for the area: compare with area_ha.

Supported subset: [areas] method = "given" with one vector layer; [[rural.exclude]] and
[[elements]] raster sources with `classes`, all on one raster file. Anything else is
rejected rather than measured differently.

Usage: /usr/bin/python3 bincount_baseline.py CASE_DIR/landel.toml OUT.csv [--band-rows N]
"""

import argparse
import csv
import math
import os
import sys
import time
import tomllib

import numpy as np
from osgeo import gdal, ogr

gdal.UseExceptions()
ogr.UseExceptions()

M2_PER_HA = 10000.0


class Timer:
    """Accumulates time per stage; printed to stderr at the end."""

    def __init__(self):
        self.totals = {}
        self.last = time.perf_counter()

    def lap(self, label):
        now = time.perf_counter()
        self.totals[label] = self.totals.get(label, 0.0) + now - self.last
        self.last = now

    def report(self):
        for label, seconds in self.totals.items():
            print(f"  {label:<28s} {seconds:8.2f} s", file=sys.stderr)


# --------------------------------------------------------------------------- config

def read_config(path):
    with open(path, "rb") as fh:
        cfg = tomllib.load(fh)
    base = os.path.dirname(os.path.abspath(path))
    areas = cfg.get("areas", {})
    if areas.get("method") != "given" or len(areas.get("layers", [])) != 1:
        raise SystemExit("baseline supports only [areas] method = \"given\" with one layer")

    rasters = set()
    masks = []            # (name or None, set of classes)
    class_type = {}       # class -> type
    order = list(cfg.get("types", {}).get("order", []))
    rank = {t: k for k, t in enumerate(order)}
    for section in cfg.get("rural", {}).get("exclude", []):
        if "classes" not in section:
            raise SystemExit("baseline supports only raster [[rural.exclude]] sources")
        rasters.add(os.path.join(base, section["path"]))
        masks.append((section.get("name"), {int(c) for c in section["classes"]}))
    for section in cfg.get("elements", []):
        if "classes" not in section:
            raise SystemExit("baseline supports only raster [[elements]] sources")
        rasters.add(os.path.join(base, section["path"]))
        for code, etype in section["classes"].items():
            if etype not in rank:
                raise SystemExit(f"type {etype} is missing from [types] order")
            code = int(code)
            # A class claimed twice: the type ranked first takes the cell.
            if code not in class_type or rank[etype] < rank[class_type[code]]:
                class_type[code] = etype
    if len(rasters) != 1:
        raise SystemExit(f"baseline supports one raster file, config names {sorted(rasters)}")
    area_src = dict(areas["layers"][0])
    area_src["path"] = os.path.join(base, area_src["path"])
    return area_src, rasters.pop(), masks, class_type, order


# --------------------------------------------------------------------------- areas

def read_areas(src, extent_geom):
    """Areas as (id, name, geometry, area m2, m2 outside the raster) in file order."""
    ds = ogr.Open(src["path"])
    layer = ds.GetLayerByName(src["layer"]) if "layer" in src else ds.GetLayer(0)
    rows = []
    for k, feat in enumerate(layer):
        geom = feat.GetGeometryRef().Clone()
        area_id = feat.GetField(src["id_field"]) if "id_field" in src else str(k + 1)
        name = feat.GetField(src["name_field"]) if "name_field" in src else ""
        outside = geom.Difference(extent_geom).GetArea()
        rows.append((str(area_id), name or "", geom, geom.GetArea(), outside))
    return rows, layer.GetSpatialRef().Clone()   # the layer dies with ds


def zone_layer(areas, srs):
    """An in-memory copy of the areas with an integer `zone` (1..n) to burn."""
    mem = ogr.GetDriverByName("Memory").CreateDataSource("zones")
    layer = mem.CreateLayer("zones", srs, ogr.wkbMultiPolygon)
    layer.CreateField(ogr.FieldDefn("zone", ogr.OFTInteger))
    for zone, (_, _, geom, _, _) in enumerate(areas, start=1):
        feat = ogr.Feature(layer.GetLayerDefn())
        feat.SetField("zone", zone)
        feat.SetGeometry(geom)
        layer.CreateFeature(feat)
    return mem, layer


# --------------------------------------------------------------------------- counting

def count_cells(raster, mem_ds, layer, nzones, band_rows, timer):
    """counts[zone, slot]: cells per area and class value; slot `nodata_slot` = nodata.

    Zone 0 collects the cells outside every area. Rasterizing band by band keeps memory
    at a few hundred MB instead of one 40,000 x 40,000 zone raster.
    """
    ds = gdal.Open(raster)
    band = ds.GetRasterBand(1)
    if band.DataType not in (gdal.GDT_Byte, gdal.GDT_UInt16):
        raise SystemExit("baseline supports Byte and UInt16 class rasters")
    nvalues = 256 if band.DataType == gdal.GDT_Byte else 65536
    nodata_slot = nvalues
    slots = nvalues + 1
    width, height = ds.RasterXSize, ds.RasterYSize
    gt = ds.GetGeoTransform()
    flags = band.GetMaskFlags()
    nodata = band.GetNoDataValue()
    zone_type = gdal.GDT_Byte if nzones < 256 else gdal.GDT_UInt16

    counts = np.zeros(slots * (nzones + 1), np.int64)
    mem_drv = gdal.GetDriverByName("MEM")
    timer.lap("open")
    for row0 in range(0, height, band_rows):
        rows = min(band_rows, height - row0)
        # Zones: burn the areas touching this band (spatial filter on their envelopes).
        y_top = gt[3] + row0 * gt[5]
        zones = mem_drv.Create("", width, rows, 1, zone_type)
        zones.SetGeoTransform((gt[0], gt[1], 0.0, y_top, 0.0, gt[5]))
        layer.SetSpatialFilterRect(gt[0], y_top + rows * gt[5], gt[0] + width * gt[1], y_top)
        gdal.RasterizeLayer(zones, [1], layer, options=["ATTRIBUTE=zone"])
        zone = zones.GetRasterBand(1).ReadAsArray()
        zones = None
        timer.lap("rasterize areas")

        cls = band.ReadAsArray(0, row0, width, rows)
        if flags & gdal.GMF_ALL_VALID:
            valid = None
        elif flags == gdal.GMF_NODATA:
            valid = cls != nodata                # cheaper than reading the mask band
        else:
            valid = band.GetMaskBand().ReadAsArray(0, row0, width, rows) != 0
        timer.lap("read raster")

        key = zone.astype(np.int64) * slots
        key += cls if valid is None else np.where(valid, cls, np.uint16(nodata_slot))
        counts += np.bincount(key.ravel(), minlength=counts.size)
        timer.lap("bincount")
    layer.SetSpatialFilter(None)
    cell_m2 = abs(gt[1] * gt[5])
    return counts.reshape(nzones + 1, slots), nodata_slot, cell_m2


# --------------------------------------------------------------------------- output

def sort_key(ids):
    """landel's row order: numeric when every id is an integer, else as text."""
    if all(i.lstrip("-").isdigit() for i in ids):
        return lambda row: (int(row["area_id"]), row["area_id"])
    return lambda row: (0, row["area_id"])


def fmt(x):
    return "" if isinstance(x, float) and math.isnan(x) else f"{x:.6f}"


def table(areas, counts, nodata_slot, cell_m2, masks, class_type, order):
    ha = cell_m2 / M2_PER_HA
    mask_names = list(dict.fromkeys(name for name, _ in masks if name))
    masked = sorted(set().union(*(classes for _, classes in masks)) if masks else set())
    rows = []
    for zone, (area_id, name, _, area_m2, outside_m2) in enumerate(areas, start=1):
        c = counts[zone]
        valid_cells = c[:nodata_slot].sum()
        masked_cells = c[masked].sum() if masked else 0
        row = {"area_id": area_id, "area_name": name, "area_ha": area_m2 / M2_PER_HA,
               "rural_ha": (valid_cells - masked_cells) * ha,
               "nodata_ha": c[nodata_slot] * ha + outside_m2 / M2_PER_HA}
        for mname in mask_names:
            classes = sorted(set().union(*(cl for n, cl in masks if n == mname)))
            row[f"excl_{mname}_ha"] = c[classes].sum() * ha
        per_type = {t: 0 for t in order}
        for code, etype in class_type.items():
            if code not in masked and code < nodata_slot:
                per_type[etype] += c[code]
        row["element_ha"] = sum(per_type.values()) * ha
        row["share_pct"] = 100 * row["element_ha"] / row["rural_ha"] \
            if row["rural_ha"] >= 0.0001 else math.nan
        for etype in order:
            row[f"ha_{etype}"] = per_type[etype] * ha
        row["rasterized_ha"] = c.sum() * ha
        rows.append(row)
    rows.sort(key=sort_key([r["area_id"] for r in rows]))
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("config", help="landel.toml of the case")
    ap.add_argument("out_csv")
    ap.add_argument("--band-rows", type=int, default=512,
                    help="rows rasterized and counted at a time (default 512)")
    args = ap.parse_args(argv)

    timer = Timer()
    area_src, raster, masks, class_type, order = read_config(args.config)
    gdal.SetCacheMax(256 * 1024 * 1024)
    ds = gdal.Open(raster)
    gt, w, h = ds.GetGeoTransform(), ds.RasterXSize, ds.RasterYSize
    ds = None
    if gt[2] != 0 or gt[4] != 0 or gt[5] >= 0:
        raise SystemExit(f"{raster}: baseline supports north-up rasters only")
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in ((0, 0), (w, 0), (w, h), (0, h), (0, 0)):
        ring.AddPoint_2D(gt[0] + x * gt[1], gt[3] + y * gt[5])
    extent = ogr.Geometry(ogr.wkbPolygon)
    extent.AddGeometry(ring)
    areas, srs = read_areas(area_src, extent)
    mem_ds, layer = zone_layer(areas, srs)
    if len(areas) >= 65535:
        raise SystemExit("baseline supports fewer than 65,535 areas")
    timer.lap("read areas")

    counts, nodata_slot, cell_m2 = count_cells(raster, mem_ds, layer, len(areas),
                                               args.band_rows, timer)
    rows = table(areas, counts, nodata_slot, cell_m2, masks, class_type, order)
    with open(args.out_csv, "w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(rows[0].keys())
        for row in rows:
            out.writerow(v if isinstance(v, str) else fmt(v) for v in row.values())
    timer.lap("write CSV")
    timer.report()
    cells = counts.sum()
    print(f"{len(rows)} areas, {cells} cells -> {args.out_csv}", file=sys.stderr)


if __name__ == "__main__":
    main()
