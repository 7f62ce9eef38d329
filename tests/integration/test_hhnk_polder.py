"""Real data: HHNK polder 't Hoekje (../shared/data/real/hhnk-polder-thoekje).

31 water-level areas (peilgebieden) as given areas; DAMO Waterdeel polygons as
`water_surface` and DAMO HydroObject centre lines (width WS_BODEMBREEDTE, 1 m when empty)
as `watercourse`. The expected numbers come from an independent computation in SQL with
SpatiaLite (through GDAL's SQLite driver), not from landel's code.

Skipped when the real data is not present.
"""

import json

import pytest
from osgeo import gdal, ogr

import landel_testlib as lt

REL = 1e-4          # 0.01 %
ABS_HA = 1e-6       # areas with ~0 elements
ABS_M = 1e-3        # metres

SUBDIR = "hhnk-polder-thoekje"


def toml_str(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(scope="module")
def hhnk(real_data):
    d = real_data / SUBDIR
    for name in ("peilgebieden_tHoekje.shp", "DAMO.gpkg"):
        if not (d / name).is_file():
            pytest.skip(f"real data incomplete: {d / name}")
    return d


@pytest.fixture(scope="module")
def id_field(hhnk):
    """'code' when it is unique over the 31 areas, else 'id'."""
    feats = lt.read_features(hhnk / "peilgebieden_tHoekje.shp")
    assert len(feats) == 31
    codes = [f.attrs.get("code") for f in feats]
    if None not in codes and len(set(codes)) == len(codes):
        return "code"
    ids = [f.attrs.get("id") for f in feats]
    assert None not in ids and len(set(ids)) == len(ids), "neither code nor id is unique"
    return "id"


@pytest.fixture(scope="module")
def hhnk_run(tmp_path_factory, hhnk, id_field, run_landel_session):
    folder = tmp_path_factory.mktemp("hhnk")
    cfg = folder / "hhnk.toml"
    cfg.write_text(lt.dedent_config(f"""
        [run]
        name = "Polder 't Hoekje"
        crs = "EPSG:28992"
        measurement_year = 2024
        output = "out"

        [areas]
        method = "given"

        [[areas.layers]]
        path = {toml_str(hhnk / "peilgebieden_tHoekje.shp")}
        id_field = "{id_field}"
        name_field = "name"

        [[elements]]
        path = {toml_str(hhnk / "DAMO.gpkg")}
        layer = "Waterdeel"
        type = "water_surface"

        [[elements]]
        path = {toml_str(hhnk / "DAMO.gpkg")}
        layer = "HydroObject"
        type = "watercourse"
        width_field = "WS_BODEMBREEDTE"
        width_m = 1.0

        [types]
        order = ["water_surface", "watercourse"]
        """), encoding="utf-8")
    out = folder / "out"
    proc = run_landel_session("run", str(cfg), "--out", str(out))
    return lt.RunResult(proc=proc, out=out, config=cfg)


@pytest.fixture(scope="module")
def spatialite_expected(tmp_path_factory, hhnk, id_field):
    """Per area id: dict(area_ha, ws_ha, wc_ha, element_ha, wc_m), from SpatiaLite SQL."""
    db = tmp_path_factory.mktemp("spatialite") / "hoekje.sqlite"
    common = dict(format="SQLite", layerCreationOptions=["GEOMETRY_NAME=geom"],
                  geometryType="PROMOTE_TO_MULTI")
    gdal.VectorTranslate(str(db), str(hhnk / "peilgebieden_tHoekje.shp"), layerName="peil",
                         datasetCreationOptions=["SPATIALITE=YES"], **common)
    gdal.VectorTranslate(str(db), str(hhnk / "DAMO.gpkg"), layers=["Waterdeel"],
                         layerName="wd", accessMode="update", **common)
    gdal.VectorTranslate(str(db), str(hhnk / "DAMO.gpkg"), layers=["HydroObject"],
                         layerName="ho", accessMode="update", **common)

    ds = gdal.OpenEx(str(db), gdal.OF_VECTOR)

    def query(sql):
        lyr = ds.ExecuteSQL(sql, dialect="SQLite")
        rows = []
        if lyr is not None:
            defn = lyr.GetLayerDefn()
            for f in lyr:
                rows.append([f.GetField(i) for i in range(defn.GetFieldCount())])
            ds.ReleaseResultSet(lyr)
        return rows

    # per-connection state: same dataset (connection) as the buffer queries below
    opts = query("SELECT BufferOptions_SetEndCapStyle('FLAT'), "
                 "BufferOptions_SetJoinStyle('ROUND'), BufferOptions_SetQuadrantSegments(32)")
    assert opts == [[1, 1, 1]], opts
    # the options really are in effect: a 10 m straight line, 2 m wide -> exactly 20 m2
    check = query("SELECT ST_Area(ST_Buffer(GeomFromText('LINESTRING(0 0, 10 0)'), 1.0))")
    assert abs(check[0][0] - 20.0) < 1e-9, check

    idf = id_field.lower()
    width = "COALESCE(h.ws_bodembreedte, 1.0)"
    sql = f"""
        WITH per AS (
          SELECT p.{idf} AS aid, p.geom AS ageom,
            (SELECT ST_Union(w.geom) FROM wd w
              WHERE MbrIntersects(w.geom, p.geom) AND ST_Intersects(w.geom, p.geom)) AS wu,
            (SELECT ST_Union(ST_Buffer(h.geom, {width} / 2.0)) FROM ho h
              WHERE ST_Distance(h.geom, p.geom) <= {width} / 2.0 + 0.01) AS cu,
            (SELECT SUM(ST_Length(ST_Intersection(h.geom, p.geom))) FROM ho h
              WHERE ST_Intersects(h.geom, p.geom)) AS wc_m
          FROM peil p)
        SELECT CAST(aid AS TEXT),
          ST_Area(ageom) / 10000.0,
          COALESCE(ST_Area(ST_Intersection(wu, ageom)), 0) / 10000.0,
          CASE WHEN cu IS NULL THEN 0
               WHEN wu IS NULL THEN COALESCE(ST_Area(ST_Intersection(cu, ageom)), 0)
               ELSE COALESCE(ST_Area(ST_Difference(ST_Intersection(cu, ageom), wu)), 0)
          END / 10000.0,
          CASE WHEN cu IS NULL AND wu IS NULL THEN 0
               WHEN cu IS NULL THEN COALESCE(ST_Area(ST_Intersection(wu, ageom)), 0)
               WHEN wu IS NULL THEN COALESCE(ST_Area(ST_Intersection(cu, ageom)), 0)
               ELSE COALESCE(ST_Area(ST_Intersection(ST_Union(wu, cu), ageom)), 0)
          END / 10000.0,
          COALESCE(wc_m, 0)
        FROM per
    """
    rows = query(sql)
    ds = None
    assert len(rows) == 31, rows
    return {r[0]: dict(area_ha=r[1], ws_ha=r[2], wc_ha=r[3], element_ha=r[4], wc_m=r[5])
            for r in rows}


def test_hhnk_run_succeeds(hhnk_run):
    assert hhnk_run.proc.returncode == 0, hhnk_run.describe()
    assert lt.error_lines(hhnk_run.proc.stderr) == []
    for w in lt.warning_lines(hhnk_run.proc.stderr):
        print(f"\n[hhnk] {w}")


def test_hhnk_columns(hhnk_run):
    assert hhnk_run.proc.returncode == 0, hhnk_run.describe()
    header, rows, _ = lt.read_csv(hhnk_run.out / "area_bid.csv")
    assert lt.measured_columns(header) == ["area_id", "area_name", "class", "area_ha", "rural_ha", "nodata_ha",
                      "element_ha", "share_pct", "ha_water_surface", "ha_watercourse",
                      "target_2030_ha", "target_2050_ha", "gap_2030_ha", "gap_2050_ha",
                      "status", "watercourse_m"]
    assert len(rows) == 31


def test_hhnk_against_spatialite(hhnk_run, spatialite_expected):
    assert hhnk_run.proc.returncode == 0, hhnk_run.describe()
    _, rows, _ = lt.read_csv(hhnk_run.out / "area_bid.csv")
    csv_rows = {r["area_id"]: r for r in rows}
    assert set(csv_rows) == set(spatialite_expected)
    # full-precision values from areas.gpkg (the CSV rounds to 6 decimals, which would
    # dominate the relative difference of small areas); the CSV must match them
    _, _, feats = lt.read_output_layer(hhnk_run.out / "areas.gpkg", "areas")
    got = {a["area_id"]: a for a, _ in feats}
    assert set(got) == set(csv_rows)
    for aid, r in csv_rows.items():
        for col in ("area_ha", "rural_ha", "element_ha", "ha_water_surface", "ha_watercourse"):
            assert abs(lt.num(r[col]) - got[aid][col]) <= 0.5e-6 + 1e-12, (aid, col)
        assert abs(lt.num(r["watercourse_m"]) - got[aid]["watercourse_m"]) <= 0.5e-3 + 1e-9

    checks = [("area_ha", "area_ha", ABS_HA), ("rural_ha", "area_ha", ABS_HA),
              ("element_ha", "element_ha", ABS_HA), ("ha_water_surface", "ws_ha", ABS_HA),
              ("ha_watercourse", "wc_ha", ABS_HA), ("watercourse_m", "wc_m", ABS_M)]
    worst = {c: (0.0, None) for c, _, _ in checks}
    failures = []
    for aid, e in spatialite_expected.items():
        for col, key, abs_tol in checks:
            a, b = float(got[aid][col]), float(e[key])
            diff = abs(a - b)
            rel = diff / abs(b) if abs(b) > 0 else (0.0 if diff == 0 else float("inf"))
            if abs(b) > abs_tol and (worst[col][1] is None or rel > worst[col][0]):
                worst[col] = (rel, aid)
            if diff > max(REL * abs(b), abs_tol):
                failures.append(f"area {aid}: {col} landel {a} vs SpatiaLite {b} "
                                f"(rel {rel:.3e})")
        r = csv_rows[aid]
        assert lt.num(r["nodata_ha"]) == 0.0
        if lt.num(r["rural_ha"]) > 0:
            assert lt.share_from_rounded_ok(r["share_pct"], r["element_ha"], r["rural_ha"]), r
    overall = max(worst.values(), key=lambda v: v[0])
    print("\n[hhnk] max relative difference landel vs SpatiaLite per column:")
    for col, (rel, aid) in worst.items():
        print(f"[hhnk]   {col:18s} {rel:.3e}  (area {aid})")
    print(f"[hhnk] overall max relative difference: {overall[0]:.3e} (area {overall[1]})")
    assert not failures, "\n".join(failures)


def test_hhnk_totals_and_elements_layer(hhnk_run, spatialite_expected):
    assert hhnk_run.proc.returncode == 0, hhnk_run.describe()
    s = json.loads((hhnk_run.out / "summary.json").read_text(encoding="utf-8"))
    total_area = sum(e["area_ha"] for e in spatialite_expected.values())
    total_el = sum(e["element_ha"] for e in spatialite_expected.values())
    assert abs(s["totals"]["area_ha"] - total_area) <= REL * total_area
    assert abs(s["totals"]["element_ha"] - total_el) <= REL * total_el
    assert s["totals"]["additive"] is True  # the peilgebieden do not overlap
    _, _, feats = lt.read_output_layer(hhnk_run.out / "areas.gpkg", "elements")
    by = {}
    for a, _ in feats:
        by[a["area_id"], a["type"]] = by.get((a["area_id"], a["type"]), 0.0) + a["ha"]
    _, rows, _ = lt.read_csv(hhnk_run.out / "area_bid.csv")
    for r in rows:
        for t in ("water_surface", "watercourse"):
            assert abs(by.get((r["area_id"], t), 0.0) - lt.num(r[f"ha_{t}"])) <= 0.51e-6
