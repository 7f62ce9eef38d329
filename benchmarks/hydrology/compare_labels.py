#!/usr/bin/env python3
"""Prints "(same labels)" when two label GeoTIFFs hold the same value in every cell, else
"(N cells differ)". Reads both in bands of rows, so 400 M cells need little memory.

Usage: compare_labels.py A.tif B.tif
"""
import sys

from osgeo import gdal


def main(a_path, b_path):
    a_ds, b_ds = gdal.Open(a_path), gdal.Open(b_path)
    a, b = a_ds.GetRasterBand(1), b_ds.GetRasterBand(1)
    if (a.XSize, a.YSize) != (b.XSize, b.YSize):
        print(f"(sizes differ: {a.XSize} x {a.YSize} and {b.XSize} x {b.YSize})")
        return
    differ = 0
    for row in range(0, a.YSize, 1024):
        rows = min(1024, a.YSize - row)
        differ += int((a.ReadAsArray(0, row, a.XSize, rows) != b.ReadAsArray(0, row, b.XSize, rows)).sum())
    print("(same labels)" if differ == 0 else f"({differ} cells differ)")


if __name__ == "__main__":
    main(*sys.argv[1:3])
