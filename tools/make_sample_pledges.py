#!/usr/bin/python3
"""Writes data/samples/polder/toezeggingen.gpkg: invented pledges (toezeggingen) of the
Voorbeeldpolder's participants for the gebiedsbod sample (landel-gebiedsbod.toml).

Usage: /usr/bin/python3 tools/make_sample_pledges.py [OUT.gpkg]
"""
import sys
from pathlib import Path

from osgeo import ogr, osr

# participant, area_id, type, quantity, year, funder, conditions, geometry (EPSG:28992) or None
PLEDGES = [
    ("Maatschap De Vries", None, "hedge", 400, 2027, "ANLb", "ANLb contract 6 years",
     "LINESTRING(140100 431000,140500 431000)"),
    ("Maatschap De Vries", None, "pond", 1, 2028, "provincie", "",
     "POINT(141200 431300)"),
    ("Waterschap Rivierenland", None, "natural_bank", 600, 2029, "waterschap",
     "along the main watercourse", "LINESTRING(140500 430400,141100 430400)"),
    ("Gemeente", None, "small_wood", 1, 2030, "gemeente", "on municipal land",
     "POLYGON((141900 430300,142000 430300,142000 430400,141900 430400,141900 430300))"),
    ("Collectief Rivierenland", "G03", "field_margin", 2.5, 2026, "ANLb", "yearly package", None),
    ("Boer Jansen", "G05", "tree_row", 40, 2035, "provincie", "", None),
]


def main(out):
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(28992)
    drv = ogr.GetDriverByName("GPKG")
    if Path(out).exists():
        drv.DeleteDataSource(out)
    ds = drv.CreateDataSource(out)
    lyr = ds.CreateLayer("toezeggingen", srs, ogr.wkbUnknown)
    for name, kind in [("participant", ogr.OFTString), ("area_id", ogr.OFTString),
                       ("type", ogr.OFTString), ("quantity", ogr.OFTReal), ("year", ogr.OFTInteger),
                       ("funder", ogr.OFTString), ("conditions", ogr.OFTString)]:
        lyr.CreateField(ogr.FieldDefn(name, kind))
    for participant, area, kind, qty, year, funder, conditions, wkt in PLEDGES:
        f = ogr.Feature(lyr.GetLayerDefn())
        f["participant"] = participant
        if area:
            f["area_id"] = area
        f["type"], f["quantity"], f["year"] = kind, qty, year
        f["funder"], f["conditions"] = funder, conditions
        if wkt:
            f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        lyr.CreateFeature(f)
    ds = None


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else
         str(Path(__file__).resolve().parent.parent / "data/samples/polder/toezeggingen.gpkg"))
