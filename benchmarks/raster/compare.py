#!/usr/bin/python3
"""Compares landel's area_bid.csv with the bincount baseline and, if given, exactextract.

Per compared column (area_ha, rural_ha, nodata_ha, excl_<name>_ha, element_ha, ha_<type>)
it prints the largest absolute difference in ha (and which area), the largest relative
difference, the mean absolute difference, and the column totals over all areas.

The baseline counts whole cells by their centre, so per-area differences of a few tenths
of a hectare are expected and not a failure. Over all areas they cancel when the areas
tile the raster (every cell belongs to exactly one area under both rules): with --tiling,
column totals must agree within 0.001 ha + 1e-9 relative (6-decimal rounding of 200 rows).

exactextract (the CLI, run with count, unique and frac of the land-cover raster) measures
the same coverage-weighted cells as landel, so it must agree per area within 0.0001 ha or
1e-6 relative. Its class hectares are turned into landel's columns with the case's
landel.toml (--config): excl_<name>_ha and ha_<type> are sums of classes; rural_ha is the
covered valid area minus the masked classes; nodata_ha is landel's area_ha minus the
covered valid area (exactextract does not report a polygon's area).

Usage: /usr/bin/python3 compare.py LANDEL.csv BASELINE.csv [--tiling]
           [--exactextract EE.csv --config landel.toml]
Exit status 1 when the area ids differ, when --tiling totals disagree or when exactextract
disagrees; 0 otherwise.
"""

import argparse
import os
import re
import sys

import pandas as pd
from osgeo import gdal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bincount_baseline import read_config  # noqa: E402  (same folder)

gdal.UseExceptions()

EXACT_ABS_HA, EXACT_REL = 0.0001, 1e-6
TOTAL_ABS_HA, TOTAL_REL = 0.001, 1e-9


def compared_columns(a, b):
    wanted = ["area_ha", "rural_ha", "nodata_ha"]
    wanted += [c for c in a.columns if c.startswith("excl_") and c.endswith("_ha")]
    wanted += ["element_ha"] + [c for c in a.columns if c.startswith("ha_")]
    return [c for c in wanted if c in a.columns and c in b.columns]


def report(title, landel, other, columns):
    """Prints the per-column differences; returns them as a list of dicts."""
    print(title)
    print(f"  {'column':<18s} {'max abs ha':>11s} {'(area)':<7s} {'max rel':>9s} "
          f"{'mean abs ha':>11s} {'total landel':>15s} {'total other':>15s} {'total diff':>11s}")
    stats = []
    for col in columns:
        x, y = landel[col].astype(float), other[col].astype(float)
        diff = (x - y).abs()
        scale = pd.concat([x.abs(), y.abs()], axis=1).max(axis=1)
        rel = (diff / scale.where(scale > 0)).fillna(0.0)
        s = dict(column=col, max_abs=diff.max(), where=diff.idxmax(), max_rel=rel.max(),
                 mean_abs=diff.mean(), total_x=x.sum(), total_y=y.sum(),
                 bad=list(diff[(diff > EXACT_ABS_HA) & (rel > EXACT_REL)].index))
        stats.append(s)
        print(f"  {col:<18s} {s['max_abs']:11.6f} {s['where']:<7s} {s['max_rel']:9.2e} "
              f"{s['mean_abs']:11.6f} {s['total_x']:15.4f} {s['total_y']:15.4f} "
              f"{s['total_x'] - s['total_y']:11.4f}")
    return stats


def parse_list(text):
    """A list cell as exactextract/OGR write it: '{1,2}', '[1,2]', '(2:1,2)' or '1'."""
    text = str(text).strip()
    m = re.fullmatch(r"\((\d+):(.*)\)", text)
    if m:
        text = m.group(2)
    return [float(v) for v in re.split(r"[,\s]+", text.strip("{}[]()")) if v]


def exactextract_table(path, config, landel):
    """exactextract's count/unique/frac output turned into landel's columns."""
    ee = pd.read_csv(path, dtype=str)
    id_col = ee.columns[0]
    pick = {}
    for key in ("count", "unique", "frac"):
        found = [c for c in ee.columns if c != id_col and key in c.lower()]
        if len(found) != 1:
            raise SystemExit(f"{path}: expected one '{key}' column, found {found}")
        pick[key] = found[0]
    _, raster, masks, class_type, order = read_config(config)
    gt = gdal.Open(raster).GetGeoTransform()
    cell_ha = abs(gt[1] * gt[5]) / 10000.0

    # Unnested output has one row per (area, class), nested output lists in one row.
    class_ha = {}
    for _, row in ee.iterrows():
        count = float(row[pick["count"]])
        per_area = class_ha.setdefault(str(row[id_col]), {"_valid": count * cell_ha})
        for code, frac in zip(parse_list(row[pick["unique"]]), parse_list(row[pick["frac"]])):
            per_area[int(code)] = per_area.get(int(code), 0.0) + frac * count * cell_ha

    masked = set().union(*(classes for _, classes in masks)) if masks else set()
    names = list(dict.fromkeys(n for n, _ in masks if n))
    rows = {}
    for area_id, ha in class_ha.items():
        row = {"rural_ha": ha["_valid"] - sum(ha.get(c, 0.0) for c in masked)}
        if area_id in landel.index:
            row["nodata_ha"] = landel.at[area_id, "area_ha"] - ha["_valid"]
        for name in names:
            classes = set().union(*(cl for n, cl in masks if n == name))
            row[f"excl_{name}_ha"] = sum(ha.get(c, 0.0) for c in classes)
        for etype in order:
            row[f"ha_{etype}"] = sum(ha.get(c, 0.0) for c, t in class_type.items()
                                     if t == etype and c not in masked)
        row["element_ha"] = sum(row[f"ha_{t}"] for t in order)
        rows[area_id] = row
    # Unnested output has no row at all for an area without any valid cell.
    empty = [a for a in landel.index if a not in rows]
    for area_id in empty:
        rows[area_id] = {"rural_ha": 0.0, "nodata_ha": landel.at[area_id, "area_ha"],
                         "element_ha": 0.0, **{f"excl_{n}_ha": 0.0 for n in names},
                         **{f"ha_{t}": 0.0 for t in order}}
    if empty:
        print(f"({len(empty)} areas have no row in exactextract's output, i.e. no valid "
              f"cell: taken as all nodata)")
    return pd.DataFrame.from_dict(rows, orient="index")


def same_ids(landel, other, label):
    if set(landel.index) == set(other.index):
        return True
    only_l = sorted(set(landel.index) - set(other.index))
    only_o = sorted(set(other.index) - set(landel.index))
    print(f"area ids differ from {label}: only in landel {only_l[:10]}, "
          f"only in {label} {only_o[:10]}")
    return False


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("landel_csv")
    ap.add_argument("baseline_csv")
    ap.add_argument("--tiling", action="store_true",
                    help="the areas tile the raster: column totals must agree")
    ap.add_argument("--exactextract", metavar="EE_CSV")
    ap.add_argument("--config", help="the case's landel.toml (needed with --exactextract)")
    args = ap.parse_args(argv)

    landel = pd.read_csv(args.landel_csv, dtype={"area_id": str}).set_index("area_id")
    base = pd.read_csv(args.baseline_csv, dtype={"area_id": str}).set_index("area_id")
    if not same_ids(landel, base, "the baseline"):
        return 1
    base = base.loc[landel.index]
    failed = False

    columns = compared_columns(landel, base)
    stats = report(f"landel vs bincount baseline (cell-centre rasterization), "
                   f"{len(landel)} areas:", landel, base, columns)
    if "rasterized_ha" in base.columns:
        err = (base["rasterized_ha"] - base["area_ha"]).abs()
        print(f"  (the baseline's own rasterization error, |cells - area|: max {err.max():.4f} "
              f"ha, mean {err.mean():.4f} ha)")
    if args.tiling:
        off = [s for s in stats if abs(s["total_x"] - s["total_y"]) >
               TOTAL_ABS_HA + TOTAL_REL * abs(s["total_y"])]
        if off:
            failed = True
            print("TOTALS DISAGREE: " + ", ".join(
                f"{s['column']} ({s['total_x'] - s['total_y']:+.4f} ha)" for s in off))
        else:
            print(f"totals agree (within {TOTAL_ABS_HA} ha): the per-area differences are "
                  "the cell-centre rule moving border cells between neighbours")

    if args.exactextract:
        if not args.config:
            raise SystemExit("--exactextract needs --config landel.toml")
        ee = exactextract_table(args.exactextract, args.config, landel)
        print()
        if not same_ids(landel, ee, "exactextract"):
            return 1
        ee = ee.loc[landel.index]
        stats = report("landel vs exactextract (exact coverage fractions):", landel, ee,
                       compared_columns(landel, ee))
        bad = [(s["column"], a) for s in stats for a in s["bad"]]
        if bad:
            failed = True
            print(f"DISAGREE: {len(bad)} values beyond {EXACT_ABS_HA} ha and {EXACT_REL:g} "
                  f"relative, e.g. {bad[:5]}")
        else:
            print(f"AGREE: every value within {EXACT_ABS_HA} ha or {EXACT_REL:g} relative")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
