#!/usr/bin/python3
"""Per-area landscape-element measurement done the way a GIS analyst would in geopandas.

An independent implementation of landel's vector measurement semantics (docs/semantics.md,
"Element footprints" to "Ownership"), used as the benchmark's baseline and as a cross-check
of landel's numbers. It reads the same landel.toml and writes one CSV row per area with the
columns area_id, area_name, area_ha, rural_ha, excl_<name>_ha..., element_ha, share_pct,
ha_<type>... (6 decimals, like landel's area_bid.csv).

Supported subset of the config: [areas] method = "given" with one layer; vector
[[rural.exclude]] and [[elements]] sources with path/layer/where/type/width_m/width_field/
max_patch_ha; [types] order. Anything else is rejected rather than silently measured
differently.

Usage: /usr/bin/python3 geopandas_baseline.py CASE_DIR OUT.csv   (CASE_DIR/landel.toml)

Note: shapely 1.8's make_valid uses GEOS's "linework" method while landel uses
"structure"; both give the same result for the bow-tie in the generated data.
"""

import argparse
import math
import os
import sys
import time
import tomllib

import fiona
import geopandas as gpd
import pandas as pd
from shapely.geometry import GeometryCollection, MultiPolygon, Polygon
from shapely.ops import unary_union
from shapely.validation import make_valid

QUAD_SEGS = 32            # docs/semantics.md: 32 segments per quarter circle
CAP_FLAT, JOIN_ROUND = 2, 1
M2_PER_HA = 10000.0


class Timer:
    """Prints the duration of each stage to stderr (the benchmark only times the total)."""

    def __init__(self):
        self.last = time.perf_counter()

    def lap(self, label):
        now = time.perf_counter()
        print(f"  {label:<28s} {now - self.last:8.2f} s", file=sys.stderr)
        self.last = now


# --------------------------------------------------------------------------- reading

def read_layer(base, section, run_crs):
    """One source as a GeoDataFrame in the run CRS, with its `where` applied by the driver."""
    path = os.path.join(base, section["path"])
    with fiona.open(path, layer=section.get("layer")) as src:
        crs = src.crs_wkt
        records = src.filter(where=section["where"]) if "where" in section else iter(src)
        gdf = gpd.GeoDataFrame.from_features(records, crs=crs)
    if "geometry" not in gdf:  # nothing selected
        return gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=run_crs))
    if gdf.crs is None:
        raise SystemExit(f"{path}: source has no CRS")
    if not gdf.crs.equals(run_crs):
        gdf = gdf.to_crs(run_crs)
    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty].copy()
    gdf["geometry"] = gdf.geometry.apply(repair)
    return gdf


def repair(geom):
    return geom if geom.is_valid else make_valid(geom)


def polygonal(geom):
    """Only the polygon parts of a geometry (make_valid may add lines or points)."""
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    if isinstance(geom, GeometryCollection):
        parts = [g for g in geom.geoms if isinstance(g, (Polygon, MultiPolygon))]
        return unary_union(parts) if parts else Polygon()
    return Polygon()


# --------------------------------------------------------------------------- areas, rural land

def read_areas(base, cfg, run_crs):
    areas_cfg = cfg["areas"]
    if areas_cfg.get("method") != "given" or len(areas_cfg.get("layers", [])) != 1:
        raise SystemExit("baseline supports only [areas] method = \"given\" with one layer")
    src = areas_cfg["layers"][0]
    gdf = read_layer(base, src, run_crs)
    out = gpd.GeoDataFrame({
        "area_id": gdf[src["id_field"]].astype(str) if "id_field" in src
        else [str(k + 1) for k in range(len(gdf))],
        "area_name": gdf[src["name_field"]].astype(str) if "name_field" in src else "",
    }, geometry=gdf.geometry.apply(polygonal).values, crs=run_crs)
    out["area_ha"] = out.area / M2_PER_HA
    return out


def read_masks(base, cfg, run_crs):
    """All rural.exclude polygons with a `mask` column holding the section's name (or None)."""
    frames = []
    for section in cfg.get("rural", {}).get("exclude", []):
        gdf = read_layer(base, section, run_crs)
        shapes = gdf.geometry.apply(polygonal).values
        frames.append(gpd.GeoDataFrame({"mask": [section.get("name")] * len(shapes)},
                                       geometry=shapes, crs=run_crs))
    if not frames:
        return gpd.GeoDataFrame({"mask": []}, geometry=gpd.GeoSeries([], crs=run_crs))
    masks = pd.concat(frames, ignore_index=True)
    return masks[~masks.is_empty]


def rural_land(areas, masks):
    """Area minus the union of all masks, one row per area that keeps any rural land."""
    if masks.empty:
        return areas[["area_id", "geometry"]].copy()
    return gpd.overlay(areas[["area_id", "geometry"]], masks[["geometry"]],
                       how="difference", keep_geom_type=True)


def excluded_ha(areas, masks):
    """excl_<name>_ha: per named mask (sections sharing a name are one mask) its area share."""
    columns = {}
    for name in dict.fromkeys(n for n in masks["mask"] if n):
        inside = gpd.overlay(areas[["area_id", "geometry"]],
                             masks.loc[masks["mask"] == name, ["geometry"]],
                             how="intersection", keep_geom_type=True)
        per_area = inside.dissolve(by="area_id").area / M2_PER_HA
        columns[f"excl_{name}_ha"] = per_area
    return columns


# --------------------------------------------------------------------------- elements

def widths(gdf, section):
    """Per-feature width: the width field where filled in, else width_m."""
    default = section.get("width_m")
    field = section.get("width_field")
    values = pd.Series(float("nan"), index=gdf.index)
    if field:
        values = pd.to_numeric(gdf[field], errors="coerce")
    if default is not None:
        values = values.fillna(float(default))
    if values.isna().any():
        raise SystemExit(f"{section['path']}: feature without a usable width")
    if (values <= 0).any():
        raise SystemExit(f"{section['path']}: width <= 0")
    return values


def element_polygons(gdf, section):
    """Footprints of one element source: strips, crowns and (patch-filtered) polygons."""
    kinds = gdf.geom_type
    lines = gdf[kinds.isin(["LineString", "MultiLineString"])]
    points = gdf[kinds.isin(["Point", "MultiPoint"])]
    polys = gdf[kinds.isin(["Polygon", "MultiPolygon", "GeometryCollection"])]
    out = []
    if len(lines):
        w = widths(lines, section)
        out.append(lines.geometry.buffer(w / 2, resolution=QUAD_SEGS,
                                         cap_style=CAP_FLAT, join_style=JOIN_ROUND))
    if len(points):
        w = widths(points, section)
        out.append(points.geometry.buffer(w / 2, resolution=QUAD_SEGS))
    if len(polys):
        shapes = polys.geometry.apply(polygonal)
        if "max_patch_ha" in section:
            shapes = small_patches(shapes, section["max_patch_ha"])
        out.append(shapes)
    return [g for series in out for g in series if not g.is_empty]


def small_patches(shapes, max_ha):
    """Union of the source's polygons split into connected parts; parts over max_ha go.

    unary_union merges overlapping and edge-sharing polygons; polygons meeting in a single
    point stay separate parts of the resulting MultiPolygon, as docs/semantics.md wants.
    """
    merged = gpd.GeoDataFrame(geometry=[unary_union(list(shapes))], crs=None)
    parts = merged.explode(index_parts=False).geometry
    return parts[parts.area <= max_ha * M2_PER_HA]


def type_order(cfg):
    if "types" in cfg and "order" in cfg["types"]:
        return list(cfg["types"]["order"])
    return list(dict.fromkeys(e["type"] for e in cfg["elements"]))


def element_layers(base, cfg, run_crs):
    """Per type: the dissolved footprint, exploded into parts (one row per part)."""
    per_type = {}
    for section in cfg["elements"]:
        if "type" not in section:
            raise SystemExit("baseline supports only element sources with a fixed `type`")
        gdf = read_layer(base, section, run_crs)
        per_type.setdefault(section["type"], []).extend(element_polygons(gdf, section))
    frames = {}
    for etype, geoms in per_type.items():
        dissolved = gpd.GeoDataFrame({"type": [etype]}, geometry=[unary_union(geoms)],
                                     crs=run_crs)
        parts = dissolved.explode(index_parts=False)
        frames[etype] = parts[~parts.is_empty]
    return frames


def clip_to_rural(frames, rural):
    """Per type and area: the type's footprint inside the area's rural land."""
    clipped = {}
    for etype, parts in frames.items():
        if parts.empty or rural.empty:
            clipped[etype] = {}
            continue
        inside = gpd.overlay(parts, rural, how="intersection", keep_geom_type=True)
        clipped[etype] = inside.dissolve(by="area_id").geometry.to_dict()
    return clipped


def owned_areas(area_ids, order, clipped):
    """First type in the order owns overlaps: ha per type and the union's ha per area."""
    rows = {}
    for area_id in area_ids:
        taken = None
        row = {}
        for etype in order:
            geom = clipped.get(etype, {}).get(area_id)
            if geom is None or geom.is_empty:
                row[f"ha_{etype}"] = 0.0
                continue
            owned = geom if taken is None else geom.difference(taken)
            row[f"ha_{etype}"] = owned.area / M2_PER_HA
            taken = geom if taken is None else taken.union(geom)
        row["element_ha"] = 0.0 if taken is None else taken.area / M2_PER_HA
        rows[area_id] = row
    return rows


# --------------------------------------------------------------------------- output

def sort_key(ids):
    """landel's row order: numeric when every id is an integer, else as text."""
    if all(i.lstrip("-").isdigit() for i in ids):
        return lambda i: (int(i), i)
    return lambda i: (0, i)


def build_table(areas, rural, excl, owned, order):
    rural_ha = rural.dissolve(by="area_id").area / M2_PER_HA if not rural.empty else pd.Series()
    table = areas[["area_id", "area_name", "area_ha"]].copy()
    table["rural_ha"] = table["area_id"].map(rural_ha).fillna(0.0)
    for column, values in excl.items():
        table[column] = table["area_id"].map(values).fillna(0.0)
    table["element_ha"] = table["area_id"].map(lambda a: owned[a]["element_ha"])
    table["share_pct"] = [100 * e / r if r >= 0.0001 else math.nan
                          for e, r in zip(table["element_ha"], table["rural_ha"])]
    for etype in order:
        table[f"ha_{etype}"] = table["area_id"].map(lambda a, t=etype: owned[a][f"ha_{t}"])
    key = sort_key(list(table["area_id"]))
    return table.iloc[sorted(range(len(table)), key=lambda k: key(table["area_id"].iloc[k]))]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("case_dir", help="folder with landel.toml")
    ap.add_argument("out_csv")
    args = ap.parse_args(argv)

    config_path = os.path.join(args.case_dir, "landel.toml")
    with open(config_path, "rb") as fh:
        cfg = tomllib.load(fh)
    base = os.path.dirname(os.path.abspath(config_path))
    run_crs = gpd.GeoSeries([], crs=cfg.get("run", {}).get("crs", "EPSG:28992")).crs
    order = type_order(cfg)

    timer = Timer()
    areas = read_areas(base, cfg, run_crs)
    masks = read_masks(base, cfg, run_crs)
    timer.lap("read areas and masks")
    rural = rural_land(areas, masks)
    excl = excluded_ha(areas, masks)
    timer.lap("rural land")
    frames = element_layers(base, cfg, run_crs)
    timer.lap("read, buffer, dissolve")
    clipped = clip_to_rural(frames, rural)
    timer.lap("overlay with rural land")
    owned = owned_areas(list(areas["area_id"]), order, clipped)
    timer.lap("ownership per area")

    table = build_table(areas, rural, excl, owned, order)
    table.to_csv(args.out_csv, index=False, float_format="%.6f")
    print(f"{len(table)} areas -> {args.out_csv}", file=sys.stderr)


if __name__ == "__main__":
    main()
