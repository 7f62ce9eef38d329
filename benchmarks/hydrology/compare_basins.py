#!/usr/bin/python3
"""Compares two basin label rasters on the same grid, cell by cell.

    compare_basins.py LANDEL.tif GRASS.tif [--json OUT.json]

Both are integer label rasters (one label per basin; nodata, or 0 in the landel raster, is no
basin). Over the cells that carry a basin in both, for every basin of one raster it takes the
best intersection-over-union with any basin of the other (IoU = shared cells / cells in
either, the sizes counted over those common cells) and averages that over the basins,
weighted by their area: once with the GRASS basins as reference, once with landel's. 1 means
identical partitions; a basin split in two halves scores about 0.5.

Prints a few lines and, with --json, writes the figures as JSON.
"""
import argparse
import json
import sys

import numpy as np
from osgeo import gdal


def read_labels(path):
    ds = gdal.Open(path)
    if ds is None:
        sys.exit(f"compare_basins: cannot open {path}")
    band = ds.GetRasterBand(1)
    values = band.ReadAsArray().astype(np.int64)
    valid = band.GetMaskBand().ReadAsArray() != 0
    return ds, values, valid


def best_match(ref, other, n_pair, size_ref, size_other):
    """Area-weighted mean over the reference labels of their best IoU with an other label.

    ref, other: the two labels of each distinct (ref, other) pair; n_pair its cell count;
    size_ref / size_other: cells per label (dicts as arrays indexed by position)."""
    iou = n_pair / (size_ref + size_other - n_pair)
    order = np.lexsort((-iou, ref))             # per reference label, the best IoU first
    first = np.ones(len(order), dtype=bool)
    first[1:] = ref[order][1:] != ref[order][:-1]
    best = iou[order][first]
    weight = size_ref[order][first]
    return float(np.sum(best * weight) / np.sum(weight)), best, weight


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("landel")
    p.add_argument("grass")
    p.add_argument("--json")
    a = p.parse_args()
    gdal.UseExceptions()
    ds_l, lab_l, ok_l = read_labels(a.landel)
    ds_g, lab_g, ok_g = read_labels(a.grass)
    if lab_l.shape != lab_g.shape:
        sys.exit(f"compare_basins: {a.landel} is {lab_l.shape}, {a.grass} {lab_g.shape}")
    gt_l, gt_g = ds_l.GetGeoTransform(), ds_g.GetGeoTransform()
    if not np.allclose(gt_l, gt_g, atol=1e-6 * abs(gt_l[1])):
        sys.exit(f"compare_basins: different grids: {gt_l} vs {gt_g}")
    cell_ha = abs(gt_l[1] * gt_l[5]) / 1e4
    ok_l &= lab_l > 0
    ok_g &= lab_g > 0
    both = ok_l & ok_g

    l = lab_l[both]
    g = lab_g[both]
    # Dense indices per label, then one count per distinct (landel, grass) pair.
    ul, il = np.unique(l, return_inverse=True)
    ug, ig = np.unique(g, return_inverse=True)
    pair, n_pair = np.unique(il.astype(np.int64) * len(ug) + ig, return_counts=True)
    pl, pg = pair // len(ug), pair % len(ug)
    size_l = np.bincount(il, minlength=len(ul))
    size_g = np.bincount(ig, minlength=len(ug))
    iou_g, best_g, w_g = best_match(pg, pl, n_pair, size_g[pg], size_l[pl])
    iou_l, best_l, w_l = best_match(pl, pg, n_pair, size_l[pl], size_g[pg])

    def share_matched(best, weight, at):
        return float(np.sum(weight[best >= at]) / np.sum(weight))

    out = {
        "cells": int(lab_l.size),
        "cell_ha": cell_ha,
        "landel_cells": int(ok_l.sum()),
        "grass_cells": int(ok_g.sum()),
        "common_cells": int(both.sum()),
        "landel_only_cells": int((ok_l & ~ok_g).sum()),
        "grass_only_cells": int((ok_g & ~ok_l).sum()),
        "landel_basins": int(len(np.unique(lab_l[ok_l]))),
        "grass_basins": int(len(np.unique(lab_g[ok_g]))),
        "landel_basins_common": int(len(ul)),
        "grass_basins_common": int(len(ug)),
        "iou_grass_reference": iou_g,
        "iou_landel_reference": iou_l,
        "grass_area_iou_ge_0.5": share_matched(best_g, w_g, 0.5),
        "landel_area_iou_ge_0.5": share_matched(best_l, w_l, 0.5),
        "grass_area_iou_ge_0.8": share_matched(best_g, w_g, 0.8),
        "landel_area_iou_ge_0.8": share_matched(best_l, w_l, 0.8),
        "same_label_pair_cells_share": float(n_pair.max() / both.sum()) if both.any() else 0.0,
    }
    print(f"cells with a basin: landel {out['landel_cells']}, GRASS {out['grass_cells']}, both "
          f"{out['common_cells']} (landel only {out['landel_only_cells']}, GRASS only "
          f"{out['grass_only_cells']})")
    print(f"basins: landel {out['landel_basins']} ({out['landel_basins_common']} on common cells), "
          f"GRASS {out['grass_basins']} ({out['grass_basins_common']} on common cells)")
    print(f"area-weighted best-match IoU: GRASS basins vs landel {iou_g:.3f}, "
          f"landel basins vs GRASS {iou_l:.3f}")
    print(f"area in basins matched with IoU >= 0.5: GRASS {100 * out['grass_area_iou_ge_0.5']:.1f}%, "
          f"landel {100 * out['landel_area_iou_ge_0.5']:.1f}%; >= 0.8: GRASS "
          f"{100 * out['grass_area_iou_ge_0.8']:.1f}%, landel {100 * out['landel_area_iou_ge_0.8']:.1f}%")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
