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
