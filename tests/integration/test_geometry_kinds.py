"""Awkward but legal geometry: Z/M coordinates, curves, GeometryCollections, multi-parts.
Expected figures are computed by hand; the inputs must be byte-identical after the run."""

import hashlib
import math

from osgeo import ogr, osr

import landel_testlib as lt

AREA = "POLYGON ((0 0, 1000 0, 1000 1000, 0 1000, 0 0))"


def _layer(ds, name, geom_type, wkts):
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(28992)
    lyr = ds.CreateLayer(name, srs, geom_type)
    lyr.CreateField(ogr.FieldDefn("code", ogr.OFTString))
    for i, wkt in enumerate(wkts):
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("code", f"A{i + 1}")
        f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        lyr.CreateFeature(f)


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_z_m_curves_and_collections(tmp_path, write_config, run_landel):
    gpkg = tmp_path / "kinds.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(gpkg))
    _layer(ds, "areas", ogr.wkbPolygon, [AREA])
    # 100 m of line with Z and M, 2 m wide: 200 m^2 and 100 m, whatever Z and M say.
    _layer(ds, "zm_lines", ogr.wkbLineStringZM, ["LINESTRING ZM (100 100 5 1, 200 100 9 2)"])
    # A circle of radius 50 as a curve polygon: linearised, its area is pi*50^2 within 0.1%.
    _layer(ds, "curves", ogr.wkbCurvePolygon,
           ["CURVEPOLYGON (CIRCULARSTRING (500 450, 550 500, 500 550, 450 500, 500 450))"])
    # One feature mixing a point, a 50 m line and a 20x20 m square, all apart; the source's
    # width (8 m) makes the point a circle of 16*pi m^2 and the line a 400 m^2 strip.
    _layer(ds, "mixed", ogr.wkbGeometryCollection,
           ["GEOMETRYCOLLECTION (POINT (800 800), LINESTRING (700 200, 750 200), "
            "POLYGON ((300 700, 320 700, 320 720, 300 720, 300 700)))"])
    ds = None
    before = _digest(gpkg)

    cfg = write_config(f"""
        [areas]
        method = "given"
        [[areas.layers]]
        path = "{gpkg}"
        layer = "areas"
        id_field = "code"
        [[elements]]
        path = "{gpkg}"
        layer = "zm_lines"
        type = "hedge"
        width_m = 2
        [[elements]]
        path = "{gpkg}"
        layer = "curves"
        type = "pond"
        [[elements]]
        path = "{gpkg}"
        layer = "mixed"
        type = "small_wood"
        width_m = 8
        [types]
        order = ["pond", "small_wood", "hedge"]
        """)
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    _, rows, _ = lt.read_csv(tmp_path / "out" / "area_bid.csv")
    row = rows[0]

    assert abs(float(row["ha_hedge"]) * 1e4 - 200.0) < 1e-4
    assert abs(float(row["hedge_m"]) - 100.0) < 1e-3
    pond = float(row["ha_pond"]) * 1e4
    assert abs(pond - math.pi * 2500.0) / (math.pi * 2500.0) < 1e-3, pond
    # The collection: circle (32 segments per quarter: within 0.05% of 16*pi), strip, square.
    wood = float(row["ha_small_wood"]) * 1e4
    expected = math.pi * 16.0 + 400.0 + 400.0
    assert abs(wood - expected) < 0.0005 * math.pi * 16.0 + 1e-6, (wood, expected)
    assert row["small_wood_m"] == "50.000" and row["small_wood_count"] == "1"
    assert _digest(gpkg) == before, "the input GeoPackage was modified"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kinds.gpkg", "landel.toml", "out"]


def test_wide_features_just_outside_the_areas_reach_in(tmp_path, write_config, run_landel):
    """Sources are read in a box around the areas grown by half of width_m, and per feature
    by half of its own width_field value: a 10 m wide hedge whose centre-line runs 3 m outside
    the area (width_m = 1 would give a margin of only 0.5 m) still counts 2 m x 200 m, and a
    12 m crown whose centre lies 4 m outside counts its circular segment."""
    gpkg = tmp_path / "wide.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(gpkg))
    _layer(ds, "areas", ogr.wkbPolygon, [AREA])
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(28992)
    for name, kind, wkt, width in (("lines", ogr.wkbLineString, "LINESTRING (1003 100, 1003 300)", 10.0),
                                   ("trees", ogr.wkbPoint, "POINT (1004 500)", 12.0)):
        lyr = ds.CreateLayer(name, srs, kind)
        lyr.CreateField(ogr.FieldDefn("breedte", ogr.OFTReal))
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("breedte", width)
        f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        lyr.CreateFeature(f)
    ds = None
    cfg = write_config(f"""
        [areas]
        method = "given"
        [[areas.layers]]
        path = "{gpkg}"
        layer = "areas"
        id_field = "code"
        [[elements]]
        path = "{gpkg}"
        layer = "lines"
        type = "hedge"
        width_m = 1
        width_field = "breedte"
        [[elements]]
        path = "{gpkg}"
        layer = "trees"
        type = "solitary_tree"
        width_m = 1
        width_field = "breedte"
        [types]
        order = ["hedge", "solitary_tree"]
        """)
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    _, rows, _ = lt.read_csv(tmp_path / "out" / "area_bid.csv")
    row = rows[0]
    assert abs(float(row["ha_hedge"]) * 1e4 - 400.0) < 1e-4, row["ha_hedge"]
    # The part of a circle of radius 6 beyond a chord 4 m from its centre:
    # r^2 acos(d/r) - d sqrt(r^2 - d^2) = 12.39 m^2 (the crown is a 128-gon: within 1%).
    r, d = 6.0, 4.0
    segment = r * r * math.acos(d / r) - d * math.sqrt(r * r - d * d)
    tree = float(row["ha_solitary_tree"]) * 1e4
    assert abs(tree - segment) / segment < 0.01, (tree, segment)
