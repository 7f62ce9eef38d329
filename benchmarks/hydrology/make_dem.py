#!/usr/bin/python3
"""Writes a reproducible synthetic DEM for the catchment benchmark.

    make_dem.py OUT.tif [--size N] [--seed S] [--cell M]

N x N Float32 cells (default 20,000 x 20,000) of M metres (default 5) in EPSG:28992 (RD New),
top-left corner at (100000, 500000); tiled 256 x 256, DEFLATE with the floating-point
predictor, nodata -9999. Made of, in this order:

- a regional slope: about 30 m over the whole extent from the south-east down to the
  north-west (0.3 m per km on the 100 km default), around -2 m (polder) to +30 m;
- multi-scale smooth noise: value noise (random normal values on a coarse lattice, smoothstep
  interpolated) at wavelengths of 4000, 1000, 250, 60 and 12 cells with amplitudes 4, 1.6,
  0.6, 0.25 and 0.08 m, each lattice shifted by a random offset, plus 2 cm white noise
  (lidar-like);
- pits: one per 400,000 cells, Gaussian dips 0.3-2.5 m deep with a sigma of 1.5-12.5 cells;
- rounding to whole centimetres, as elevation products are delivered (gives natural flats);
- flat areas: one per 10 million cells, ellipses 40-400 cells across set to one level
  (the surface at their centre; terraces where the ground was lower, lakes where higher);
- nodata holes: one per 15 million cells, ellipses 10-150 cells across (water bodies cut out).

The file is written one strip of 512 rows at a time (two rows of tiles), in float32, so
memory stays around a few hundred MB whatever N. Everything comes from --seed: the same
arguments give the same file, cell for cell.
"""
import argparse
import math
import sys
import time

import numpy as np
from osgeo import gdal, osr

STRIP = 512
NODATA = -9999.0
# (wavelength in cells, amplitude in metres) of the value-noise octaves.
OCTAVES = [(4000, 4.0), (1000, 1.6), (250, 0.6), (60, 0.25), (12, 0.08)]
WHITE_NOISE_M = 0.02


def smoothstep(t):
    return t * t * (3.0 - 2.0 * t)


class Octave:
    """Value noise on a lattice of `spacing` cells, evaluated on whole rows of the grid."""

    def __init__(self, rng, n, spacing, amplitude):
        self.spacing = float(spacing)
        self.offset_r, self.offset_c = rng.uniform(0, spacing, size=2)
        size = int(n / spacing) + 3
        self.lattice = (rng.standard_normal((size, size)) * amplitude).astype(np.float32)
        fc = (np.arange(n) + 0.5 + self.offset_c) / self.spacing
        self.j0 = np.floor(fc).astype(np.int64)
        self.wx = smoothstep(fc - self.j0).astype(np.float32)

    def rows(self, r0, r1):
        fr = (np.arange(r0, r1) + 0.5 + self.offset_r) / self.spacing
        i0 = np.floor(fr).astype(np.int64)
        wy = smoothstep(fr - i0).astype(np.float32)[:, None]
        along = self.lattice[i0] * (1 - wy) + self.lattice[i0 + 1] * wy  # (rows, lattice cols)
        return along[:, self.j0] * (1 - self.wx) + along[:, self.j0 + 1] * self.wx

    def at(self, r, c):
        """The value at one cell (for the level of a flat area)."""
        fr = (r + 0.5 + self.offset_r) / self.spacing
        fc = (c + 0.5 + self.offset_c) / self.spacing
        i, j = int(math.floor(fr)), int(math.floor(fc))
        wy, wx = smoothstep(fr - i), smoothstep(fc - j)
        f = self.lattice
        top = f[i, j] * (1 - wx) + f[i, j + 1] * wx
        bottom = f[i + 1, j] * (1 - wx) + f[i + 1, j + 1] * wx
        return float(top * (1 - wy) + bottom * wy)


def regional(n, r, c):
    """Slope from about +30 m in the south-east to -2 m in the north-west."""
    return -2.0 + 32.0 * (0.6 * (c + 0.5) / n + 0.4 * (r + 0.5) / n)


def ellipse_window(feature, r0, r1, n):
    """Rows and columns of the part of an ellipse's bounding box inside strip [r0, r1)."""
    cr, cc, ar, ac = feature[:4]
    a0, a1 = max(r0, int(cr - ar) - 1), min(r1, int(cr + ar) + 2)
    b0, b1 = max(0, int(cc - ac) - 1), min(n, int(cc + ac) + 2)
    if a0 >= a1 or b0 >= b1:
        return None
    return a0, a1, b0, b1


def inside_ellipse(feature, a0, a1, b0, b1):
    cr, cc, ar, ac, angle = feature[:5]
    rr = np.arange(a0, a1)[:, None] + 0.5 - cr
    cc_ = np.arange(b0, b1)[None, :] + 0.5 - cc
    cos, sin = math.cos(angle), math.sin(angle)
    u = rr * cos + cc_ * sin
    v = -rr * sin + cc_ * cos
    return (u / ar) ** 2 + (v / ac) ** 2 <= 1.0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out")
    p.add_argument("--size", type=int, default=20000, help="cells per side (default 20000)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--cell", type=float, default=5.0, help="cell size in metres (default 5)")
    a = p.parse_args()
    n, cell = a.size, a.cell
    if n < 64:
        sys.exit("make_dem: --size must be at least 64")
    start = time.time()
    rng = np.random.default_rng(a.seed)
    octaves = [Octave(rng, n, s, amp) for s, amp in OCTAVES]

    def surface_at(r, c):
        return regional(n, r, c) + sum(o.at(r, c) for o in octaves)

    cells = n * n
    npits = max(1, cells // 400_000)
    pits = np.column_stack([rng.uniform(0, n, npits), rng.uniform(0, n, npits),
                            rng.uniform(3, 25, npits) / 2.0, rng.uniform(0.3, 2.5, npits)])
    nflats = max(1, cells // 10_000_000)
    flats = []
    for _ in range(nflats):
        cr, cc = rng.uniform(0, n, 2)
        ar, ac = rng.uniform(20, 200, 2)
        angle = rng.uniform(0, math.pi)
        flats.append((cr, cc, ar, ac, angle, round(surface_at(cr, cc), 2)))
    nholes = max(1, cells // 15_000_000)
    holes = []
    for _ in range(nholes):
        cr, cc = rng.uniform(0, n, 2)
        ar, ac = rng.uniform(5, 75, 2)
        holes.append((cr, cc, ar, ac, rng.uniform(0, math.pi)))

    gdal.UseExceptions()
    gdal.SetCacheMax(256 << 20)
    driver = gdal.GetDriverByName("GTiff")
    ds = driver.Create(a.out, n, n, 1, gdal.GDT_Float32,
                       ["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "COMPRESS=DEFLATE",
                        "PREDICTOR=3", "BIGTIFF=IF_SAFER", "NUM_THREADS=ALL_CPUS"])
    x0, y0 = 100000.0, 500000.0
    ds.SetGeoTransform((x0, cell, 0.0, y0, 0.0, -cell))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(28992)
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(NODATA)
    band.SetDescription("synthetic elevation (m)")

    cols = np.arange(n)
    zmin, zmax, nodata_cells = math.inf, -math.inf, 0
    for r0 in range(0, n, STRIP):
        r1 = min(n, r0 + STRIP)
        rows = np.arange(r0, r1)[:, None]
        z = (-2.0 + 32.0 * (0.6 * (cols[None, :] + 0.5) / n + 0.4 * (rows + 0.5) / n)).astype(np.float32)
        for o in octaves:
            z += o.rows(r0, r1)
        strip_rng = np.random.default_rng([a.seed, r0])
        z += strip_rng.standard_normal(z.shape, dtype=np.float32) * np.float32(WHITE_NOISE_M)
        for cr, cc, radius, depth in pits:
            reach = 3.0 * radius
            w = ellipse_window((cr, cc, reach, reach), r0, r1, n)
            if w is None:
                continue
            a0, a1, b0, b1 = w
            d2 = (np.arange(a0, a1)[:, None] + 0.5 - cr) ** 2 + (np.arange(b0, b1)[None, :] + 0.5 - cc) ** 2
            z[a0 - r0:a1 - r0, b0:b1] -= (depth * np.exp(-d2 / (2.0 * radius * radius))).astype(np.float32)
        z = np.round(z * 100.0) / 100.0
        for f in flats:
            w = ellipse_window(f, r0, r1, n)
            if w is not None:
                a0, a1, b0, b1 = w
                z[a0 - r0:a1 - r0, b0:b1][inside_ellipse(f, a0, a1, b0, b1)] = f[5]
        for h in holes:
            w = ellipse_window(h, r0, r1, n)
            if w is not None:
                a0, a1, b0, b1 = w
                z[a0 - r0:a1 - r0, b0:b1][inside_ellipse(h, a0, a1, b0, b1)] = NODATA
        valid = z != NODATA
        nodata_cells += int(z.size - np.count_nonzero(valid))
        if valid.any():
            zmin, zmax = min(zmin, float(z[valid].min())), max(zmax, float(z[valid].max()))
        band.WriteArray(z.astype(np.float32), 0, r0)
        if (r0 // STRIP) % 8 == 0:
            print(f"make_dem: rows {r1}/{n} ({time.time() - start:.0f} s)", file=sys.stderr, flush=True)
    band.FlushCache()
    ds = None
    print(f"make_dem: {a.out}: {n} x {n} cells of {cell:g} m, seed {a.seed}; elevation "
          f"{zmin:.2f}..{zmax:.2f} m; {npits} pits, {nflats} flat areas, {nholes} nodata holes "
          f"({nodata_cells} cells, {100.0 * nodata_cells / cells:.3f}%); {time.time() - start:.0f} s")


if __name__ == "__main__":
    main()
