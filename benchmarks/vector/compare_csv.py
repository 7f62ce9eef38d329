#!/usr/bin/python3
"""Compares landel's area_bid.csv with the geopandas baseline's CSV, area by area.

Columns compared: rural_ha, element_ha and every ha_<type> column present in both files
(plus area_ha and excl_<name>_ha when both have them). Two values agree when they differ by
at most 0.0001 ha (1 m2) or by at most 1e-6 relative to the larger one.

Usage: /usr/bin/python3 compare_csv.py LANDEL.csv BASELINE.csv
Prints the largest absolute and relative differences; exit status 1 on any disagreement
(or when the area ids differ), 0 otherwise.
"""

import argparse
import sys

import pandas as pd

ABS_TOL_HA = 0.0001
REL_TOL = 1e-6


def compared_columns(a, b):
    wanted = ["area_ha", "rural_ha", "element_ha"]
    wanted += [c for c in a.columns if c.startswith("excl_") and c.endswith("_ha")]
    wanted += [c for c in a.columns if c.startswith("ha_")]
    return [c for c in wanted if c in a.columns and c in b.columns]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("landel_csv")
    ap.add_argument("baseline_csv")
    args = ap.parse_args(argv)

    landel = pd.read_csv(args.landel_csv, dtype={"area_id": str}).set_index("area_id")
    base = pd.read_csv(args.baseline_csv, dtype={"area_id": str}).set_index("area_id")
    if set(landel.index) != set(base.index):
        only_l = sorted(set(landel.index) - set(base.index))
        only_b = sorted(set(base.index) - set(landel.index))
        print(f"area ids differ: only in landel {only_l[:10]}, only in baseline {only_b[:10]}")
        return 1
    base = base.loc[landel.index]

    columns = compared_columns(landel, base)
    missing = [c for c in base.columns if c.startswith("ha_") and c not in landel.columns]
    if missing or "element_ha" not in columns:
        print(f"columns missing from landel's CSV: {missing or ['element_ha']}")
        return 1

    worst_abs = worst_rel = 0.0
    where_abs = where_rel = ""
    failures = []
    for col in columns:
        x, y = landel[col].astype(float), base[col].astype(float)
        diff = (x - y).abs()
        scale = pd.concat([x.abs(), y.abs()], axis=1).max(axis=1)
        rel = (diff / scale.where(scale > 0)).fillna(0.0)
        if diff.max() > worst_abs:
            worst_abs, where_abs = diff.max(), f"{col} of {diff.idxmax()}"
        if rel.max() > worst_rel:
            worst_rel, where_rel = rel.max(), f"{col} of {rel.idxmax()}"
        bad = diff[(diff > ABS_TOL_HA) & (rel > REL_TOL)]
        failures += [(col, area, x[area], y[area]) for area in bad.index]

    print(f"compared {len(columns)} columns x {len(landel)} areas: {', '.join(columns)}")
    print(f"max abs difference: {worst_abs:.6g} ha ({where_abs or '-'})")
    print(f"max rel difference: {worst_rel:.3g} ({where_rel or '-'})")
    if failures:
        print(f"DISAGREE: {len(failures)} values beyond {ABS_TOL_HA} ha and {REL_TOL:g} relative:")
        for col, area, x, y in failures[:20]:
            print(f"  {area} {col}: landel {x:.6f}, baseline {y:.6f}")
        return 1
    print("AGREE: every value within 0.0001 ha or 1e-6 relative")
    return 0


if __name__ == "__main__":
    sys.exit(main())
