#!/usr/bin/python3
"""Generates the raster benchmark case: a 1 m land-cover GeoTIFF and 200 measurement areas.

The raster is 40,000 x 40,000 Byte cells in EPSG:28992 (40 km x 40 km, 1.6 billion cells),
tiled 256 x 256 and DEFLATE-compressed, like a national 1 m land-cover product. The pattern
imitates a Dutch polder rather than noise, because the benchmark's costs depend on it:
compression ratio (so decompression speed) and how often the class changes along a row.

  - long strip parcels (grass 30, arable 31, some natural grassland 40) on a grid tilted by
    8 degrees, so that field edges cross cells at arbitrary positions;
  - ditches (water 10) between the strips and across some parcel ends, wooded banks (20)
    at other parcel ends, country roads (2) every few kilometres in both directions;
  - small woods (21) as irregular blobs, a few larger forests, single tree crowns (21),
    ponds (11);
  - a meandering river and a canal (10), a motorway (2) crossing everything;
  - villages (built 1, paved 3, gardens 30, streets 2) and farmyards (1 and 3);
  - nodata (0): the south-east corner beyond a wavy "border", and one rectangular data gap;
  - classification speckle: ~1% of the crop cells swapped to another crop class, as in a
    land-cover map classified from imagery (without it the raster compresses ~100:1, far
    better than real products).

The raster is written one band of 256 rows at a time (one row of tiles), so memory stays
around a few hundred MB whatever the raster size. Objects (woods, ponds, yards, villages)
are drawn up front with a fixed seed and painted into each band they overlap, so the result
does not depend on the band height.

The areas are a 20 x 10 grid of quadrilaterals (2 km x 4 km) with jittered corners and
wiggly borders densified every ~8 m (about 500,000 vertices in all), written to
areas.gpkg with fields `code` (A001..A200) and `name`. Shared borders use identical
vertices, so the areas tile the raster extent without gaps or overlaps.

Usage: /usr/bin/python3 make_case.py CASE_DIR [--size 40000] [--seed 42]
"""

import argparse
import math
import os
import sys
import time

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()

X0, Y_TOP = 120000.0, 480000.0   # top-left corner in EPSG:28992 (RD New)
TILE = 256
NODATA = 0

# Land-cover classes (the values written to the raster).
BUILT, ROAD, PAVED = 1, 2, 3
WATER, POND = 10, 11
WOODED_BANK, WOOD = 20, 21
GRASS, ARABLE, NATURE = 30, 31, 40

THETA = math.radians(8.0)        # tilt of the parcel grid
COS_T, SIN_T = math.cos(THETA), math.sin(THETA)
U_RES = 2                        # the along-u lookup tables have 0.5 m resolution


# --------------------------------------------------------------------------- parcel grid

class Parcels:
    """The tilted strip-parcel grid, as lookup tables indexed by rotated coordinates.

    u runs across the strips, v along them. Everything that depends on u only (strip
    edges: ditches, roads, banks) lives in 1-D tables at 0.5 m; the parcel class and the
    features at parcel ends depend on (strip, v) and live in a 2-D table at 1 m. Looking
    cells up in tables is what keeps generation at numpy speed.
    """

    def __init__(self, size, rng):
        corners = np.array([[0, 0], [size, 0], [0, size], [size, size]], float)
        u = corners[:, 0] * COS_T + corners[:, 1] * SIN_T
        v = -corners[:, 0] * SIN_T + corners[:, 1] * COS_T
        self.u_min, self.v_min = math.floor(u.min()) - 2, math.floor(v.min()) - 2
        nu = (math.ceil(u.max()) + 2 - self.u_min) * U_RES
        nv = math.ceil(v.max()) + 2 - self.v_min

        # Strip edges across u: strips 60..250 m wide.
        edges = [0.0]
        while edges[-1] < nu / U_RES:
            edges.append(edges[-1] + rng.uniform(60, 250))
        edges = np.array(edges)
        uu = np.arange(nu) / U_RES
        self.strip_of_u = (np.searchsorted(edges, uu, side="right") - 1).astype(np.int32)
        dist_edge = np.minimum(uu - edges[self.strip_of_u], edges[self.strip_of_u + 1] - uu)
        nearest = np.where(uu - edges[self.strip_of_u] < edges[self.strip_of_u + 1] - uu,
                           self.strip_of_u, self.strip_of_u + 1)

        # What runs along each strip edge: mostly a 3 m ditch, every ~12th a 7 m road, some
        # with a wooded bank beside the ditch.
        kind = rng.choice(3, size=len(edges), p=[0.84, 0.08, 0.08])
        self.class_u = np.zeros(nu, np.uint8)
        self.class_u[dist_edge < 1.5] = WATER
        bank = (kind[nearest] == 2) & (dist_edge >= 2.0) & (dist_edge < 6.0) & \
            (uu > edges[nearest])  # bank on one side only
        self.class_u[bank] = WOODED_BANK
        self.road_u = (kind[nearest] == 1) & (dist_edge < 3.5)

        # Parcels along each strip: 250..1200 m long; at each parcel end a 2 m ditch (50%),
        # a 4 m wooded bank (25%) or nothing.
        nstrips = len(edges) - 1
        self.class_v = np.empty((nstrips, nv), np.uint8)
        vv = np.arange(nv, dtype=float)
        crops = np.array([GRASS, ARABLE, NATURE], np.uint8)
        for s in range(nstrips):
            ends = np.cumsum(rng.uniform(250, 1200, size=int(nv / 250) + 2)) - rng.uniform(0, 1200)
            parcel = np.searchsorted(ends, vv)
            row = crops[rng.choice(3, size=len(ends) + 1, p=[0.5, 0.42, 0.08])][parcel]
            end_kind = rng.choice(3, size=len(ends), p=[0.5, 0.25, 0.25])
            near_end = np.clip(np.searchsorted(ends, vv - 3.0), 0, len(ends) - 1)
            d = np.abs(vv - ends[near_end])
            row[(end_kind[near_end] == 0) & (d < 1.0)] = WATER
            row[(end_kind[near_end] == 1) & (d < 2.0)] = WOODED_BANK
            self.class_v[s] = row

        # Country roads across the strips every ~4 km of v.
        road_v_at = np.arange(self.v_min + rng.uniform(500, 4000), self.v_min + nv, 4000.0)
        self.road_v = np.zeros(nv, bool)
        for r in road_v_at:
            self.road_v[max(0, int(r - 3.5 - self.v_min)):int(r + 3.5 - self.v_min)] = True

    def paint(self, X, Y):
        """Class of every cell centre (X, Y in metres from the top-left, Y down) and roads."""
        u = X * COS_T + Y * SIN_T
        v = Y * COS_T - X * SIN_T
        iu = ((u - self.u_min) * U_RES).astype(np.int32)
        iv = (v - self.v_min).astype(np.int32)
        strip = self.strip_of_u[iu]
        cls = self.class_v[strip, iv]
        along = self.class_u[iu]
        np.copyto(cls, along, where=along != 0)
        roads = self.road_u[iu] | self.road_v[iv]
        return cls, roads, u, v


# --------------------------------------------------------------------------- objects

def blob_objects(rng, n, size, r_lo, r_hi, cls, wobble=0.3):
    """Irregular round objects: centre, radius, two harmonics of boundary wobble."""
    r = np.exp(rng.uniform(math.log(r_lo), math.log(r_hi), n))  # many small, few large
    return dict(kind="blob", cls=cls, cx=rng.uniform(0, size, n), cy=rng.uniform(0, size, n),
                r=r, a1=rng.uniform(0, wobble, n), k1=rng.integers(2, 5, n),
                p1=rng.uniform(0, 2 * math.pi, n), a2=rng.uniform(0, wobble / 2, n),
                k2=rng.integers(5, 9, n), p2=rng.uniform(0, 2 * math.pi, n),
                reach=r * (1 + wobble * 1.5) + 2)


def yard_objects(rng, n, size):
    """Farmyards: squares aligned with the parcel grid, buildings in a paved yard."""
    side = rng.uniform(40, 90, n)
    return dict(kind="yard", cx=rng.uniform(0, size, n), cy=rng.uniform(0, size, n),
                side=side, reach=side * 0.75 + 2)


def village_objects(rng, n, size):
    v = blob_objects(rng, n, size, 350, 1100, BUILT, wobble=0.25)
    v["kind"] = "village"
    return v


def paint_objects(cls, objs, row0, row1):
    """Paints every object of one family that overlaps rows [row0, row1) of the band."""
    lo = objs["cy"] - objs["reach"]
    hi = objs["cy"] + objs["reach"]
    ncols = cls.shape[1]
    for k in np.nonzero((hi >= row0) & (lo < row1))[0]:
        cx, cy, reach = objs["cx"][k], objs["cy"][k], objs["reach"][k]
        r0, r1 = max(row0, int(cy - reach)), min(row1, int(cy + reach) + 1)
        c0, c1 = max(0, int(cx - reach)), min(ncols, int(cx + reach) + 1)
        if r0 >= r1 or c0 >= c1:
            continue
        dx = (np.arange(c0, c1) + 0.5 - cx)[None, :]
        dy = (np.arange(r0, r1) + 0.5 - cy)[:, None]
        view = cls[r0 - row0:r1 - row0, c0:c1]
        if objs["kind"] == "yard":
            du = np.abs(dx * COS_T + dy * SIN_T)
            dv = np.abs(dy * COS_T - dx * SIN_T)
            half = objs["side"][k] / 2
            view[(du < half) & (dv < half)] = PAVED
            view[(du < half * 0.6) & (dv < half * 0.45)] = BUILT
            continue
        ang = np.arctan2(dy, dx)
        radius = objs["r"][k] * (1 + objs["a1"][k] * np.sin(objs["k1"][k] * ang + objs["p1"][k])
                                 + objs["a2"][k] * np.sin(objs["k2"][k] * ang + objs["p2"][k]))
        inside = dx * dx + dy * dy < radius * radius
        if objs["kind"] == "village":
            # Houses, yards and gardens on 25 m lots, streets every 120 m.
            gx = np.arange(c0, c1)[None, :] + 0.5
            gy = np.arange(r0, r1)[:, None] + 0.5
            u, v = gx * COS_T + gy * SIN_T, gy * COS_T - gx * SIN_T
            lot = (np.floor(u / 25).astype(np.int64) * 73856093) ^ \
                (np.floor(v / 25).astype(np.int64) * 19349663)
            lot = (lot >> 4) % 20
            fill = np.where(lot < 13, BUILT, np.where(lot < 16, PAVED, GRASS)).astype(np.uint8)
            fill[((u % 120) < 6) | ((v % 120) < 6)] = ROAD
            view[inside] = fill[inside]
        else:
            view[inside] = objs["cls"]


# --------------------------------------------------------------------------- the raster

def write_raster(path, size, seed):
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    parcels = Parcels(size, rng)
    area_km2 = (size / 1000.0) ** 2
    families = [
        blob_objects(rng, int(1.6 * area_km2), size, 15, 90, WOOD),         # small woods
        blob_objects(rng, int(0.02 * area_km2) + 1, size, 200, 600, WOOD),  # forests
        blob_objects(rng, int(40 * area_km2), size, 2, 5, WOOD, wobble=0.1),   # tree crowns
        blob_objects(rng, int(4 * area_km2), size, 3, 14, POND, wobble=0.15),
        yard_objects(rng, int(1.5 * area_km2), size),
        village_objects(rng, max(1, int(area_km2 / 160)), size),
    ]
    # Linear features in X, Y: a meandering river, a canal and a motorway.
    river_ph = rng.uniform(0, 2 * math.pi, 2)
    river_y = 0.65 * size
    canal_x = 0.78 * size
    print(f"  lookup tables and {sum(len(f['cx']) for f in families)} objects: "
          f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)

    drv = gdal.GetDriverByName("GTiff")
    ds = drv.Create(path, size, size, 1, gdal.GDT_Byte,
                    ["TILED=YES", f"BLOCKXSIZE={TILE}", f"BLOCKYSIZE={TILE}",
                     "COMPRESS=DEFLATE", "NUM_THREADS=ALL_CPUS", "BIGTIFF=IF_SAFER"])
    ds.SetGeoTransform((X0, 1.0, 0.0, Y_TOP, 0.0, -1.0))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(28992)
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(NODATA)

    X = (np.arange(size, dtype=np.float32) + 0.5)[None, :]
    counts = np.zeros(256, np.int64)
    for row0 in range(0, size, TILE):
        row1 = min(size, row0 + TILE)
        Y = (np.arange(row0, row1, dtype=np.float32) + 0.5)[:, None]
        cls, roads, u, v = parcels.paint(X, Y)
        crop = (cls == GRASS) | (cls == ARABLE) | (cls == NATURE)
        speckle = crop & (rng.integers(0, 256, cls.shape, dtype=np.uint8) < 3)
        cls[speckle] = np.where(cls[speckle] == GRASS, ARABLE, GRASS)
        for fam in families:
            paint_objects(cls, fam, row0, row1)
        # River and canal after woods and villages (they cut through), roads after water
        # (bridges), the motorway last.
        if row1 > river_y - 0.12 * size and row0 < river_y + 0.12 * size:
            centre = river_y + 0.06 * size * np.sin(2 * np.pi * X / (0.22 * size) + river_ph[0]) \
                + 0.02 * size * np.sin(2 * np.pi * X / (0.077 * size) + river_ph[1])
            cls[np.abs(Y - centre) < 20] = WATER
        cls[:, int(canal_x - 12):int(canal_x + 12)] = WATER
        cls[roads] = ROAD
        cls[np.abs((X - 0.1 * size) * 0.8 - Y * 0.6) < 14] = ROAD
        # Nodata: the corner beyond a wavy border and a rectangular gap.
        cls[X + Y + 0.008 * size * np.sin(X / 700.0) > 1.7 * size] = NODATA
        gap_r = slice(max(row0, int(0.35 * size)), min(row1, int(0.35 * size) + 1024))
        if gap_r.start < gap_r.stop:
            cls[gap_r.start - row0:gap_r.stop - row0,
                int(0.13 * size):int(0.13 * size) + 1536] = NODATA
        band.WriteArray(cls, 0, row0)
        counts += np.bincount(cls.ravel(), minlength=256)
        if (row0 // TILE) % 20 == 0:
            print(f"  row {row0:6d}/{size}: {time.perf_counter() - t0:6.1f} s", file=sys.stderr)
    band = None
    ds = None
    print(f"  raster written: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    total = counts.sum()
    shares = ", ".join(f"{c}: {100.0 * counts[c] / total:.2f}%" for c in np.nonzero(counts)[0])
    print(f"  class shares: {shares}", file=sys.stderr)


# --------------------------------------------------------------------------- the areas

def wiggly_edge(a, b, rng, spacing=8.0, amplitude=35.0):
    """Points from a to b (both excluded) with a smooth sideways wiggle that is zero at the
    ends, so neighbouring edges meet exactly at the shared corner."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    length = float(np.hypot(*(b - a)))
    n = max(2, int(length / spacing))
    t = np.arange(1, n) / n
    normal = np.array([-(b - a)[1], (b - a)[0]]) / length
    wiggle = np.zeros_like(t)
    for waves in (rng.uniform(1, 3), rng.uniform(4, 9), rng.uniform(15, 40)):
        wiggle += rng.uniform(0.2, 1.0) * np.sin(2 * np.pi * waves * t + rng.uniform(0, 6.3))
    wiggle *= amplitude / 2.2 * np.sin(np.pi * t)   # zero at both ends
    # Jitter along the edge too, so vertices are not evenly spaced.
    t = t + rng.uniform(-0.3, 0.3, t.size) / n
    return a + np.outer(t, b - a) + np.outer(wiggle, normal)


def write_areas(path, size, seed, nx=20, ny=10):
    rng = np.random.default_rng(seed + 1)
    dx, dy = size / nx, size / ny
    # Corner nodes: interior ones jittered freely, border ones only along the border.
    gx = np.add.outer(np.arange(nx + 1) * dx, np.zeros(ny + 1))
    gy = np.add.outer(np.zeros(nx + 1), np.arange(ny + 1) * dy)
    jx = rng.uniform(-0.25, 0.25, gx.shape) * dx
    jy = rng.uniform(-0.25, 0.25, gy.shape) * dy
    jx[[0, -1], :] = 0
    jy[:, [0, -1]] = 0
    gx, gy = gx + jx, gy + jy

    def on_border(p, q):
        return (p[0] == q[0] and p[0] in (0, size)) or (p[1] == q[1] and p[1] in (0, size))

    edges = {}

    def edge(p, q):
        """Vertices strictly between corners p and q; computed once per shared edge."""
        key = (p, q) if p < q else (q, p)
        if key not in edges:
            a = (gx[key[0]], gy[key[0]])
            b = (gx[key[1]], gy[key[1]])
            pts = np.empty((0, 2)) if on_border(a, b) else wiggly_edge(a, b, rng)
            edges[key] = np.round(pts, 3)
        pts = edges[key]
        return pts if key == (p, q) else pts[::-1]

    def world(p):
        return X0 + p[0], Y_TOP - p[1]

    if os.path.exists(path):
        os.remove(path)
    drv = ogr.GetDriverByName("GPKG")
    ds = drv.CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(28992)
    layer = ds.CreateLayer("areas", srs, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("code", ogr.OFTString))
    layer.CreateField(ogr.FieldDefn("name", ogr.OFTString))
    defn = layer.GetLayerDefn()
    nverts = 0
    layer.StartTransaction()
    for j in range(ny):
        for i in range(nx):
            corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
            ring = ogr.Geometry(ogr.wkbLinearRing)
            for k in range(4):
                p, q = corners[k], corners[(k + 1) % 4]
                ring.AddPoint_2D(*world(np.round((gx[p], gy[p]), 3)))
                for x, y in edge(p, q):
                    ring.AddPoint_2D(*world((x, y)))
            ring.CloseRings()
            nverts += ring.GetPointCount()
            poly = ogr.Geometry(ogr.wkbPolygon)
            poly.AddGeometry(ring)
            feat = ogr.Feature(defn)
            code = f"A{j * nx + i + 1:03d}"
            feat.SetField("code", code)
            feat.SetField("name", f"Area {code[1:]} (row {j + 1}, column {i + 1})")
            feat.SetGeometry(poly)
            layer.CreateFeature(feat)
    layer.CommitTransaction()
    ds = None
    print(f"  {nx * ny} areas, {nverts} vertices -> {path}", file=sys.stderr)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("case_dir")
    ap.add_argument("--size", type=int, default=40000, help="raster width = height, cells")
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args(argv)
    os.makedirs(args.case_dir, exist_ok=True)
    # A small cache: a full row of finished tiles is flushed as the next one is written.
    gdal.SetCacheMax(256 * 1024 * 1024)
    write_areas(os.path.join(args.case_dir, "areas.gpkg"), args.size, args.seed)
    tmp = os.path.join(args.case_dir, "landcover.tmp.tif")
    write_raster(tmp, args.size, args.seed)
    os.replace(tmp, os.path.join(args.case_dir, "landcover.tif"))


if __name__ == "__main__":
    main()
