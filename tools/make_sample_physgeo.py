#!/usr/bin/python3
"""Make the sample's physical geography: the layers landel delineates areas from, for the
overlay sample (landel-overlay.toml) and the catchments sample (landel-catchments.toml).

fysisch.gpkg (EPSG:28992, a frame 20 m beyond the polder on every side):

  fgr    (regio)      fysisch-geografische regio's: "Laagveengebied" in the south-west,
                      "Rivierengebied" elsewhere, parted by one wavy border B
  bodem  (bodemtype)  soil units, one feature per polygon: "zavel" on the levee of a former
                      river course meandering west-east through the north, "veen" in a
                      patch in the south-west, "rivierklei" (basin clay) elsewhere. The peat
                      ends on B (the region border was drawn along it), except for one
                      100 m stretch where the soil map lies up to 6 m east of B: a sliver of
                      about 330 m2 of veen in the Rivierengebied, which the overlay's
                      min_area_ha merges away. The soil map sheet ends short of the polder's
                      north-eastern corner (x > 142180, y > 431420): that land is unclassified.

hoogte_5m.tif: a 5 m DEM in metres NAP on the grid of landcover_5m.tif (Float32, nodata
-9999, 256 x 256 tiles, DEFLATE, rounded to cm as AHN). Basin clay at about -0.5 m, rising
10 cm/km eastward and 0.4 m towards the southern edge; the levee up to about +1.5 m; the
Laagveengebied 0.5 m lower; smooth noise of a few cm; the ditches of landscape.gpkg (sloten,
every cell they touch) cut 0.8 m deep; a 1 m kade along the northern, eastern and southern
edges (the ditches end at its foot), so the polder drains west, as the Betuwe does; and
nodata where AHN has no ground: a 20 x 30 m barn in every farmyard (bebouwing, erf).

Deterministic: the same landscape.gpkg and seed give the same files (GeoPackage
timestamps pinned).

Usage: /usr/bin/python3 tools/make_sample_physgeo.py [GPKG] [OUTDIR] [--seed 11]
"""

import argparse
import math
import os
import random

import numpy as np
from osgeo import gdal, ogr, osr
from shapely import wkb as shapely_wkb
from shapely.affinity import rotate, translate
from shapely.geometry import Polygon, box
from shapely.ops import unary_union

CELL, NODATA = 5.0, -9999.0
X0, Y0, X1, Y1 = 140000.0, 430000.0, 142400.0, 431600.0  # the landscape's frame
M = 20.0                                                  # the layers reach this far beyond
FRAME = box(X0 - M, Y0 - M, X1 + M, Y1 + M)
UNMAPPED = box(142180.0, 431420.0, X1 + M, Y1 + M)        # beyond the soil map sheet
LENS = (100.0, 6.0)                                       # the sliver: length, width (m)


def wave(rng, terms):
    """A sum of sines with seeded phases: terms are (amplitude, wavelength)."""
    phases = [rng.uniform(0, 2 * math.pi) for _ in terms]
    return lambda t: sum(a * math.sin(2 * math.pi * t / w + p) for (a, w), p in zip(terms, phases))


def region_border(rng):
    """B: from the west edge of the frame round to its south edge, a vertex every ~10 m."""
    wob = wave(rng, [(60.0, 1200.0), (20.0, 310.0)])
    cx, cy, rx, ry = X0 - M, Y0 - M, 1500.0, 800.0
    n = int(math.pi / 2 * (rx + ry) / 2 / 10)
    pts = []
    for k in range(n + 1):
        th = math.pi / 2 * (1 - k / n)               # from north (west edge) to east (south edge)
        s = th * (rx + ry) / 2                       # about the arc length
        pts.append((cx + (rx + wob(s)) * math.cos(th), cy + (ry + wob(s)) * math.sin(th)))
    pts[0] = (cx, pts[0][1])                          # end exactly on the frame's edges
    pts[-1] = (pts[-1][0], cy)
    return pts


def peat(rng, border):
    """The peat patch: a stretch of B closed by a wobbly arc through the Laagveengebied, with
    the lens of LENS bulging east of B in the middle of the stretch."""
    a, b = int(len(border) * 0.45), int(len(border) * 0.75)
    (ax, ay), (bx, by) = border[a], border[b]
    mx, my, h = (ax + bx) / 2, (ay + by) / 2, math.dist(border[a], border[b]) / 2
    ux, uy = (bx - mx) / h, (by - my) / h            # along the chord, towards b
    vx, vy = -uy, ux                                  # normal; the south-west side
    if vx * (X0 - mx) + vy * (Y0 - my) < 0:
        vx, vy = -vx, -vy
    wob = wave(rng, [(25.0, 500.0), (8.0, 130.0)])
    arc = []
    for k in range(1, 60):
        s = math.pi * k / 60
        r = 420.0 + wob(s * 300)
        arc.append((mx + ux * h * math.cos(s) + vx * r * math.sin(s),
                    my + uy * h * math.cos(s) + vy * r * math.sin(s)))
    # The lens: B's vertices i0..i1 (~LENS[0] m) and, back, the same moved east by up to LENS[1].
    mid = (a + b) // 2
    i0, i1 = mid - int(LENS[0] / 20), mid + int(LENS[0] / 20)
    bulge = []
    for i in range(i1 - 1, i0, -1):
        off = LENS[1] * math.sin(math.pi * (i - i0) / (i1 - i0))
        bulge.append((border[i][0] - vx * off, border[i][1] - vy * off))
    # Peat ring: b .. i1 along B (backwards), the bulge, i0 .. a, then the arc from a to b.
    ring = border[b:i1 - 1:-1] + bulge + border[i0:a - 1:-1] + arc[::-1]
    return Polygon(ring)


def levee(rng):
    """The former river course: centre line y = c(x), half-width w(x) (functions and band)."""
    c = wave(rng, [(150.0, 2100.0), (35.0, 640.0)])
    w = wave(rng, [(35.0, 900.0)])
    centre = lambda x: 431130.0 + c(x - X0)
    half = lambda x: 175.0 + w(x - X0)
    xs = np.arange(X0 - M, X1 + M + 0.1, 10.0)
    north = [(x, centre(x) + half(x)) for x in xs]
    south = [(x, centre(x) - half(x)) for x in xs[::-1]]
    return centre, half, Polygon(north + south).intersection(FRAME)


def layer_geoms(ds, name, where=None):
    lyr = ds.GetLayerByName(name)
    lyr.SetAttributeFilter(where)
    out = [shapely_wkb.loads(bytes(f.GetGeometryRef().ExportToIsoWkb())) for f in lyr]
    lyr.SetAttributeFilter(None)
    return out


def parts(geom):
    return sorted(getattr(geom, "geoms", [geom]), key=lambda p: -p.area)


def write_gpkg(path, layers, srs):
    tmp = f"{path}.tmp-{os.getpid()}.gpkg"
    gdal.SetConfigOption("OGR_CURRENT_DATE", "2024-01-01T00:00:00.000Z")  # stable bytes
    try:
        ds = ogr.GetDriverByName("GPKG").CreateDataSource(tmp)
        if ds is None:
            raise RuntimeError(f"cannot create {tmp}")
        for name, field, features in layers:
            lyr = ds.CreateLayer(name, srs, ogr.wkbPolygon, options=["FID=fid"])
            lyr.CreateField(ogr.FieldDefn(field, ogr.OFTString))
            lyr.StartTransaction()
            for value, geom in features:
                f = ogr.Feature(lyr.GetLayerDefn())
                f.SetField(field, value)
                f.SetGeometry(ogr.CreateGeometryFromWkb(geom.wkb))
                lyr.CreateFeature(f)
            lyr.CommitTransaction()
        ds = None
        os.replace(tmp, path)
    finally:
        gdal.SetConfigOption("OGR_CURRENT_DATE", None)
        if os.path.exists(tmp):
            os.remove(tmp)


def blur(a, r):
    """Box mean over (2r+1)^2 cells, edges repeated."""
    for axis in (0, 1):
        pad = [(r + 1, r) if ax == axis else (0, 0) for ax in (0, 1)]
        c = np.cumsum(np.pad(a, pad, mode="edge"), axis=axis)
        n = c.shape[axis]
        a = (np.take(c, range(2 * r + 1, n), axis=axis) -
             np.take(c, range(0, n - 2 * r - 1), axis=axis)) / (2 * r + 1)
    return a


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gpkg", nargs="?", default="data/samples/polder/landscape.gpkg")
    ap.add_argument("outdir", nargs="?", default="data/samples/polder")
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(28992)

    # Vector layers. Every soil polygon is cut from the same pieces, so neighbours share vertices.
    border = region_border(rng)
    laagveen = Polygon(border + [(X0 - M, Y0 - M)])
    rivier = FRAME.difference(laagveen)
    veen = peat(rng, border)
    centre, half, zavel = levee(rng)
    zavel = zavel.difference(veen).difference(UNMAPPED)
    klei = FRAME.difference(unary_union([zavel, veen, UNMAPPED]))
    assert veen.is_valid and veen.difference(laagveen).area < LENS[0] * LENS[1]
    fgr = [("Rivierengebied", p) for p in parts(rivier)] + [("Laagveengebied", laagveen)]
    bodem = ([("zavel", p) for p in parts(zavel)] + [("rivierklei", p) for p in parts(klei)] +
             [("veen", veen)])
    out_gpkg = os.path.join(args.outdir, "fysisch.gpkg")
    write_gpkg(out_gpkg, [("fgr", "regio", fgr), ("bodem", "bodemtype", bodem)], srs)
    for name, feats in (("fgr", fgr), ("bodem", bodem)):
        print(f"{out_gpkg} {name}: " + ", ".join(f"{v} {g.area / 1e4:.2f} ha" for v, g in feats))
    print(f"  sliver of veen east of the region border: {veen.difference(laagveen).area:.0f} m2")

    # The DEM, at cell centres.
    cols, rows = int((X1 - X0) / CELL), int((Y1 - Y0) / CELL)
    xs = X0 + CELL * (np.arange(cols) + 0.5)
    ys = Y1 - CELL * (np.arange(rows) + 0.5)
    gx, gy = np.meshgrid(xs, ys)
    cy = np.array([centre(x) for x in xs])[None, :]
    hw = np.array([half(x) for x in xs])[None, :]
    z = (-0.6 + 0.1 * (gx - X0) / 1000                                 # basin, rising east
         + 2.0 * np.exp(-(np.abs(gy - cy) / (1.1 * hw)) ** 2)           # the levee
         + 0.4 * np.clip((430500.0 - gy) / 500.0, 0, 1))                 # towards the south
    edge = np.minimum(np.minimum(Y1 - gy, gy - Y0), X1 - gx)             # from N, S, E edges
    kade = 1.0 * np.clip((25.0 - edge) / 15.0, 0, 1)                     # the polder's kade
    mem = gdal.GetDriverByName("MEM").Create("", cols, rows, 1, gdal.GDT_Float32)
    mem.SetGeoTransform((X0, CELL, 0.0, Y1, 0.0, -CELL))
    mem.SetProjection(srs.ExportToWkt())

    def mask(geoms, touched=False):
        band = mem.GetRasterBand(1)
        band.Fill(0)
        vds = ogr.GetDriverByName("Memory").CreateDataSource("")
        lyr = vds.CreateLayer("g", srs, ogr.wkbUnknown)
        for g in geoms:
            f = ogr.Feature(lyr.GetLayerDefn())
            f.SetGeometry(ogr.CreateGeometryFromWkb(g.wkb))
            lyr.CreateFeature(f)
        gdal.RasterizeLayer(mem, [1], lyr, burn_values=[1],
                            options=["ALL_TOUCHED=TRUE"] if touched else [])
        return band.ReadAsArray() > 0

    z -= 0.5 * blur(blur(mask([laagveen]).astype(float), 8), 8)  # the Laagveengebied, lower
    noise = blur(blur(np.random.default_rng(args.seed).standard_normal((rows, cols)), 4), 4)
    z += 0.03 * noise / noise.std()
    src = ogr.Open(args.gpkg)
    z[mask(layer_geoms(src, "sloten"), touched=True) & (kade == 0)] -= 0.8
    z += kade
    z = np.round(z, 2)
    barns = [translate(rotate(box(-15, -10, 15, 10), rng.choice([0, 90])), y.centroid.x,
                       y.centroid.y) for y in layer_geoms(src, "bebouwing", "functie = 'erf'")]
    holes = mask(barns)
    z[holes] = NODATA
    band = mem.GetRasterBand(1)
    band.WriteArray(z.astype(np.float32))
    band.SetNoDataValue(NODATA)
    out_tif = os.path.join(args.outdir, "hoogte_5m.tif")
    gdal.GetDriverByName("GTiff").CreateCopy(
        out_tif, mem, options=["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256",
                               "COMPRESS=DEFLATE", "PREDICTOR=3"])
    v = z[~holes]
    print(f"{out_tif}: {cols} x {rows} cells of {CELL} m; {v.min():.2f} .. {v.max():.2f} m NAP, "
          f"{len(barns)} barns ({holes.sum()} nodata cells)")


if __name__ == "__main__":
    main()
