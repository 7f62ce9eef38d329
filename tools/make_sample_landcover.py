#!/usr/bin/python3
"""Make the sample's land-cover raster: a classified 5 m map of the polder, as a province
would have from aerial photographs, for the raster sample (landel-raster.toml).

It is derived from data/samples/polder/landscape.gpkg (tools/generate_landscape.py) by
rasterizing its layers at cell centres, later classes painting over earlier ones:

    10 water and ditches                    (the background: what no layer paints)
    31 arable, 32 grassland, 33 orchard     (percelen, by `gebruik`)
     1 built, 2 road                        (bebouwing, wegen)
    21 small wood, 11 pond                  (vlakelementen: bosje, poel)
    40 herb-rich field margin               (a 5 m margin inside one parcel edge of a
                                             seeded third of the arable parcels)

The north-eastern corner (x > 142000, y > 431300) was "not flown": it is nodata (0), so
the raster run shows nodata_ha. Byte, EPSG:28992, 256 x 256 tiles, DEFLATE. Deterministic:
the same landscape.gpkg and seed give the same file.

Usage: /usr/bin/python3 tools/make_sample_landcover.py [GPKG] [OUT.tif] [--seed 7]
"""

import argparse
import random

import numpy as np
from osgeo import gdal, ogr, osr
from shapely import wkb as shapely_wkb
from shapely.geometry import LineString

CELL = 5.0
X0, Y0, X1, Y1 = 140000.0, 430000.0, 142400.0, 431600.0  # the landscape's frame
NOT_FLOWN = (142000.0, 431300.0)  # x, y beyond which there is no data


def layer_features(ds, name, where=None):
    lyr = ds.GetLayerByName(name)
    lyr.SetAttributeFilter(where)
    out = []
    for f in lyr:
        out.append((f, shapely_wkb.loads(bytes(f.GetGeometryRef().ExportToIsoWkb()))))
    lyr.SetAttributeFilter(None)
    return out


def margins(ds, seed):
    """5 m strips inside the longest edge of a seeded third of the arable parcels."""
    rng = random.Random(seed)
    strips = []
    for f, geom in sorted(layer_features(ds, "percelen", "gebruik = 'akker'"),
                          key=lambda fg: fg[0].GetFID()):
        if rng.random() >= 1 / 3:
            continue
        ring = list(geom.exterior.coords)
        edges = [LineString([ring[i], ring[i + 1]]) for i in range(len(ring) - 1)]
        longest = max(edges, key=lambda e: e.length)
        # One-sided buffer towards the parcel's inside, clipped to the parcel.
        strip = longest.buffer(CELL, cap_style=2).intersection(geom)
        if not strip.is_empty:
            strips.append(strip)
    return strips


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gpkg", nargs="?", default="data/samples/polder/landscape.gpkg")
    ap.add_argument("out", nargs="?", default="data/samples/polder/landcover_5m.tif")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    src = ogr.Open(args.gpkg)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(28992)
    cols, rows = int((X1 - X0) / CELL), int((Y1 - Y0) / CELL)
    mem = gdal.GetDriverByName("MEM").Create("", cols, rows, 1, gdal.GDT_Byte)
    mem.SetGeoTransform((X0, CELL, 0.0, Y1, 0.0, -CELL))
    mem.SetProjection(srs.ExportToWkt())
    mem.GetRasterBand(1).Fill(10)

    # Paint in order; each step burns its geometries through a throw-away OGR layer.
    def burn(geoms, value):
        vds = ogr.GetDriverByName("Memory").CreateDataSource("")
        lyr = vds.CreateLayer("g", srs, ogr.wkbUnknown)
        for g in geoms:
            feat = ogr.Feature(lyr.GetLayerDefn())
            feat.SetGeometry(ogr.CreateGeometryFromWkb(g.wkb))
            lyr.CreateFeature(feat)
        gdal.RasterizeLayer(mem, [1], lyr, burn_values=[value])

    for use, code in (("akker", 31), ("grasland", 32), ("boomgaard", 33)):
        burn([g for _, g in layer_features(src, "percelen", f"gebruik = '{use}'")], code)
    burn([g for _, g in layer_features(src, "bebouwing")], 1)
    burn([g for _, g in layer_features(src, "wegen")], 2)
    burn([g for _, g in layer_features(src, "vlakelementen", "soort = 'bosje'")], 21)
    burn([g for _, g in layer_features(src, "vlakelementen", "soort = 'poel'")], 11)
    burn(margins(src, args.seed), 40)

    band = mem.GetRasterBand(1)
    cells = band.ReadAsArray()
    first_col = int((NOT_FLOWN[0] - X0) / CELL)
    last_row = int((Y1 - NOT_FLOWN[1]) / CELL)
    cells[:last_row, first_col:] = 0
    band.WriteArray(cells)
    band.SetNoDataValue(0)
    gdal.GetDriverByName("GTiff").CreateCopy(
        args.out, mem, options=["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256",
                                "COMPRESS=DEFLATE"])
    counts = np.bincount(cells.ravel(), minlength=41)
    print(f"{args.out}: {cols} x {rows} cells of {CELL} m; " +
          ", ".join(f"class {c}: {n}" for c, n in enumerate(counts) if n))


if __name__ == "__main__":
    main()
