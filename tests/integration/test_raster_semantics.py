"""Raster measurement on tiny hand-made GeoTIFFs, numbers derivable by hand.

The scene (RD New, metres; rows listed north to south):

  landcover_10m.tif  10 x 8 cells of 10 m from (1000, 2080) to (1100, 2000), Byte, nodata 255
      r0  3 3 3 5 5 5 3 3 3 3        5 = wood, 7 = pond, 1 = built, 3 = grass (no type)
      r1  3 3 3 5 5 5 3 3 1 1        N = nodata (255)
      r2  3 3 3 5 5 5 3 3 1 1
      r3  3 7 7 3 3 3 3 3 3 3
      r4  3 7 7 3 N N 3 3 3 3
      r5  3 3 3 3 N N 3 5 5 3
      r6  1 1 3 3 3 3 3 5 5 3
      r7  3 3 3 3 3 3 3 3 3 3
  reed_2m.tif        50 x 40 cells of 2 m on the same frame (nested in the 10 m grid), Byte,
                     nodata 255: 0 everywhere except reed (4) in x 1014-1036, y 2034-2038
                     (over the pond and beyond it) and in x 1016-1020, y 2012-2016 (inside
                     built cells), and nodata in x 1060-1064, y 2010-2014.
  vectors.gpkg       hedges: (1025 2065)-(1075 2065) and (1035 2025)-(1095 2025), 2 m wide;
                     scrub: box x 1052-1068, y 2052-2058; yard (a vector "built" mask): box
                     x 1085-1095, y 2055-2075.
  areas.gpkg         north: (1003 2083) (1107 2083) (1107 2030.7) (1003 2041.3)
                     south: (1003 2041.3) (1107 2030.7) (1107 2004.5) (1003 2004.5)
                     offset by fractions of a cell, reaching 7 m east of and 3 m north of the
                     rasters, split by a slanted line through the pond and the nodata block.
  types.order        hedge, reed, pond, wood, scrub

By hand (m²): north 104 x (41.7 + 52.3) / 2 = 4888, south 104 x (36.8 + 26.2) / 2 = 3276;
hedge north 50 x 2 = 100 (no removed cell under it), hedge_m 50; hedge south 40 x 2 = 80,
hedge_m 40 (20 m of it over the nodata cells); wood north 9 cells - 30 x 2 of hedge = 840;
wood south 4 cells - 20 x 2 of hedge = 360; scrub north 96 - 48 over wood cells (wood ranks
first) = 48; excl_built north: 4 built cells + the yard's 10 x 5 m below them = 450.
The full reference is computed from shapely boxes of every cell.
"""

import json
import re

import numpy as np
import pytest
from osgeo import gdal, ogr, osr
from shapely.geometry import LineString, MultiPolygon, Polygon, box
from shapely.ops import unary_union

import landel_testlib as lt

REL = 1e-6
ABS_HA = 1e-6
N = 255  # nodata in both rasters

COARSE_ORIGIN, COARSE_CELL = (1000.0, 2080.0), 10.0
COARSE_ROWS = [
    "3335553333",
    "3335553311",
    "3335553311",
    "3773333333",
    "3773NN3333",
    "3333NN3553",
    "1133333553",
    "3333333333",
]
FINE_ORIGIN, FINE_CELL, FINE_SHAPE = (1000.0, 2080.0), 2.0, (40, 50)
# (code, x0, y0, x1, y1) blocks on the fine grid
FINE_BLOCKS = [(4, 1014, 2034, 1036, 2038), (4, 1016, 2012, 1020, 2016), (N, 1060, 2010, 1064, 2014)]

AREAS = {
    "north": [(1003, 2083), (1107, 2083), (1107, 2030.7), (1003, 2041.3)],
    "south": [(1003, 2041.3), (1107, 2030.7), (1107, 2004.5), (1003, 2004.5)],
}
HEDGES = [[(1025, 2065), (1075, 2065)], [(1035, 2025), (1095, 2025)]]
HEDGE_W = 2.0
SCRUB = (1052, 2052, 1068, 2058)
YARD = (1085, 2055, 1095, 2075)
ORDER = ["hedge", "reed", "pond", "wood", "scrub"]
COARSE_TYPES = {7: "pond", 5: "wood"}
FINE_TYPES = {4: "reed"}
BUILT = 1
DENSITY_CELL = 10

CONFIG = """\
[run]
name = "Raster semantics"
crs = "EPSG:28992"
measurement_year = 2024
density_cell_m = 10

[areas]
method = "given"

[[areas.layers]]
path = "areas.gpkg"
layer = "areas"
id_field = "code"
name_field = "name"

[[rural.exclude]]
path = "landcover_10m.tif"
classes = [1]
name = "built"

[[rural.exclude]]
path = "vectors.gpkg"
layer = "yard"
name = "built"

[[elements]]
path = "vectors.gpkg"
layer = "hedges"
type = "hedge"
width_m = 2

[[elements]]
path = "landcover_10m.tif"
classes = { 7 = "pond", 5 = "wood" }

[[elements]]
path = "reed_2m.tif"
classes = { 4 = "reed" }

[[elements]]
path = "vectors.gpkg"
layer = "scrub"
type = "scrub"

[types]
order = ["hedge", "reed", "pond", "wood", "scrub"]
"""


# --------------------------------------------------------------------------- writing data

def coarse_array():
    return np.array([[N if ch == "N" else int(ch) for ch in row] for row in COARSE_ROWS],
                    dtype=np.uint8)


def fine_array():
    a = np.zeros(FINE_SHAPE, dtype=np.uint8)
    x0, y0 = FINE_ORIGIN
    for code, bx0, by0, bx1, by1 in FINE_BLOCKS:
        c0, c1 = int((bx0 - x0) / FINE_CELL), int((bx1 - x0) / FINE_CELL)
        r0, r1 = int((y0 - by1) / FINE_CELL), int((y0 - by0) / FINE_CELL)
        a[r0:r1, c0:c1] = code
    return a


def write_tif(path, array, gt, epsg=28992, nodata=N):
    rows, cols = array.shape
    ds = gdal.GetDriverByName("GTiff").Create(str(path), cols, rows, 1, gdal.GDT_Byte)
    ds.SetGeoTransform(gt)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(nodata)
    band.WriteArray(array)
    ds.FlushCache()
    ds = None
    return path


def north_up(origin, cell):
    return (origin[0], cell, 0.0, origin[1], 0.0, -cell)


def write_scene(folder):
    folder.mkdir(parents=True, exist_ok=True)
    write_tif(folder / "landcover_10m.tif", coarse_array(), north_up(COARSE_ORIGIN, COARSE_CELL))
    write_tif(folder / "reed_2m.tif", fine_array(), north_up(FINE_ORIGIN, FINE_CELL))
    lt.write_vector(folder / "areas.gpkg", "areas", ogr.wkbPolygon,
                    [(Polygon(ring).wkt, {"code": code, "name": f"area {code}"})
                     for code, ring in AREAS.items()],
                    fields=[("code", ogr.OFTString), ("name", ogr.OFTString)])
    gpkg = folder / "vectors.gpkg"
    lt.write_vector(gpkg, "hedges", ogr.wkbLineString,
                    [(LineString(h).wkt, {}) for h in HEDGES])
    lt.write_vector(gpkg, "scrub", ogr.wkbPolygon, [(box(*SCRUB).wkt, {})], mode="a")
    lt.write_vector(gpkg, "yard", ogr.wkbPolygon, [(box(*YARD).wkt, {})], mode="a")
    (folder / "raster.toml").write_text(CONFIG, encoding="utf-8")
    return folder / "raster.toml"


# --------------------------------------------------------------------------- the reference

def cell_regions(array, origin, cell):
    """{code: union of the boxes of its cells}, and the raster's extent."""
    rows, cols = array.shape
    x0, y0 = origin
    boxes = {}
    for r in range(rows):
        for c in range(cols):
            boxes.setdefault(int(array[r, c]), []).append(
                box(x0 + c * cell, y0 - (r + 1) * cell, x0 + (c + 1) * cell, y0 - r * cell))
    return ({k: unary_union(v) for k, v in boxes.items()},
            box(x0, y0 - rows * cell, x0 + cols * cell, y0))


def ar(g):
    return 0.0 if g.is_empty else g.area


def expected_figures():
    coarse, coarse_ext = cell_regions(coarse_array(), COARSE_ORIGIN, COARSE_CELL)
    fine, fine_ext = cell_regions(fine_array(), FINE_ORIGIN, FINE_CELL)
    empty = MultiPolygon()
    hedge = unary_union([LineString(h).buffer(HEDGE_W / 2, 32, cap_style=lt.CAP_FLAT,
                                              join_style=lt.JOIN_ROUND) for h in HEDGES])
    footprint = {"hedge": hedge, "scrub": box(*SCRUB)}
    footprint.update({t: coarse.get(c, empty) for c, t in COARSE_TYPES.items()})
    footprint.update({t: fine.get(c, empty) for c, t in FINE_TYPES.items()})
    built = unary_union([coarse[BUILT], box(*YARD)])
    out, element_geoms = {}, []
    for code, ring in AREAS.items():
        a = Polygon(ring)
        nodata_all = unary_union([coarse[N], fine[N], a.difference(coarse_ext),
                                  a.difference(fine_ext)]).intersection(a)
        masks = built.intersection(a)
        rural = a.difference(unary_union([masks, nodata_all]))
        nodata = nodata_all.difference(masks)
        assert abs(ar(rural) + ar(masks) + ar(nodata) - a.area) < 1e-9
        owned, ha = empty, {}
        for t in ORDER:
            inside = footprint[t].intersection(rural)
            ha[t] = ar(inside.difference(owned)) / 1e4
            owned = unary_union([owned, inside])
        element_geoms.append(owned)
        out[code] = dict(area_ha=a.area / 1e4, rural_ha=ar(rural) / 1e4,
                         nodata_ha=ar(nodata) / 1e4, excl_built_ha=ar(masks) / 1e4,
                         element_ha=ar(owned) / 1e4, **{f"ha_{t}": v for t, v in ha.items()},
                         hedge_m=sum(LineString(h).intersection(rural).length for h in HEDGES))
    return out, unary_union(element_geoms)


HAND = {  # derived by hand in the module docstring (hectares, metres)
    "north": dict(area_ha=0.4888, ha_hedge=0.0100, hedge_m=50.0, ha_wood=0.0840,
                  ha_scrub=0.0048, excl_built_ha=0.0450),
    "south": dict(area_ha=0.3276, ha_hedge=0.0080, hedge_m=40.0, ha_wood=0.0360),
}


def test_reference_matches_hand_derivation():
    """The shapely cell-box reference agrees with the numbers worked out by hand."""
    exp, _ = expected_figures()
    for code, hand in HAND.items():
        for col, v in hand.items():
            assert abs(exp[code][col] - v) < 1e-9, (code, col, exp[code][col], v)
    # nodata: the 16 m² block of the fine raster lies in the south area, both areas get a
    # part of the 10 m nodata block and of the strip beyond the rasters
    assert exp["north"]["nodata_ha"] > 0.0069 and exp["south"]["nodata_ha"] > 0.0016
    # reed beats pond in the cells they share, built cells take reed out (south)
    assert 0 < exp["north"]["ha_reed"] < 1e-5 and exp["south"]["ha_reed"] > 0.008


# --------------------------------------------------------------------------- the run

@pytest.fixture(scope="module")
def scene_run(tmp_path_factory, run_landel_session):
    folder = tmp_path_factory.mktemp("raster_semantics")
    cfg = write_scene(folder / "data")
    out = folder / "out"
    proc = run_landel_session("run", str(cfg), "--out", str(out), "--quiet")
    return lt.RunResult(proc=proc, out=out, config=cfg)


def ok(run):
    assert run.proc.returncode == 0, run.describe()
    return run


def test_columns(scene_run):
    run = ok(scene_run)
    header, rows, _ = lt.read_csv(run.out / "area_bid.csv")
    assert lt.measured_columns(header) == (["area_id", "area_name", "class", "area_ha", "rural_ha", "nodata_ha",
                       "excl_built_ha", "element_ha", "share_pct"]
                      + [f"ha_{t}" for t in ORDER]
                      + ["target_2030_ha", "target_2050_ha", "gap_2030_ha", "gap_2050_ha",
                         "status", "hedge_m"])
    assert sorted(r["area_id"] for r in rows) == ["north", "south"]


def test_figures(scene_run):
    run = ok(scene_run)
    exp, _ = expected_figures()
    _, rows, _ = lt.read_csv(run.out / "area_bid.csv")
    csv_rows = {r["area_id"]: r for r in rows}
    _, _, feats = lt.read_output_layer(run.out / "areas.gpkg", "areas")
    got = {a["area_id"]: a for a, _ in feats}
    failures = []
    for code, e in exp.items():
        for col, want in e.items():
            a = float(got[code][col])
            tol = 0.5e-3 if col == "hedge_m" else 0.5e-6
            assert abs(lt.num(csv_rows[code][col]) - a) <= tol + 1e-12, (code, col)
            abs_floor = 1e-3 if col == "hedge_m" else ABS_HA
            if abs(a - want) > max(REL * abs(want), abs_floor):
                failures.append(f"{code} {col}: landel {a!r}, expected {want!r}")
    assert not failures, "\n".join(failures)


def test_uncovered_areas_warned(scene_run):
    run = ok(scene_run)
    warnings = lt.warning_lines(run.proc.stderr)
    s = json.loads((run.out / "summary.json").read_text(encoding="utf-8"))
    text = "\n".join(warnings + [str(w) for w in s["warnings"]])
    for name in ("landcover_10m.tif", "reed_2m.tif"):
        assert any(name in w and "north" in w and "south" in w for w in s["warnings"]), text
    # nested grids: no nearest-neighbour warning, measured on the 2 m grid
    assert not any("nearest" in str(w) for w in s["warnings"]), text
    grid = s["rasters"]["analysis_grid"]
    assert grid["cell_x_m"] == 2.0 and grid["cell_y_m"] == 2.0
    assert (grid["xmin"] - 1000.0) % 2.0 == 0 and (grid["ymax"] - 2080.0) % 2.0 == 0
    assert grid["xmin"] <= 1003 and grid["ymax"] >= 2083
    assert grid["xmin"] + grid["cols"] * 2.0 >= 1107


def test_element_density(scene_run):
    """element_density.tif on 10 m cells aligned to the analysis grid: element m² / 100 m²
    per cell, -1 where a cell meets no area."""
    run = ok(scene_run)
    _, elements = expected_figures()
    areas = unary_union([Polygon(r) for r in AREAS.values()])
    ds = gdal.Open(str(run.out / "element_density.tif"))
    gt = ds.GetGeoTransform()
    band = ds.GetRasterBand(1)
    d = band.ReadAsArray().astype(np.float64)
    assert band.GetNoDataValue() == -1
    assert gt[1] == DENSITY_CELL and gt[5] == -DENSITY_CELL and gt[2] == gt[4] == 0
    assert gt[0] % DENSITY_CELL == 0 and gt[3] % DENSITY_CELL == 0
    x_end, y_end = gt[0] + gt[1] * ds.RasterXSize, gt[3] + gt[5] * ds.RasterYSize
    assert gt[0] <= 1003 and gt[3] >= 2083 and x_end >= 1107 and y_end <= 2004.5
    bad = []
    for r in range(ds.RasterYSize):
        for c in range(ds.RasterXSize):
            cell = box(gt[0] + c * gt[1], gt[3] + (r + 1) * gt[5],
                       gt[0] + (c + 1) * gt[1], gt[3] + r * gt[5])
            meets = ar(cell.intersection(areas)) > 0
            want = ar(cell.intersection(elements)) / cell.area if meets else -1.0
            if abs(d[r, c] - want) > 1e-6:
                bad.append((r, c, d[r, c], want))
    ds = None
    assert not bad, bad[:10]


# --------------------------------------------------------------------------- errors

def assert_one_error(proc, out):
    info = lt.describe(proc)
    assert proc.returncode == 1, info
    errors = lt.error_lines(proc.stderr)
    assert len(errors) == 1, info
    assert not out.exists() and lt.tmp_siblings(out) == []
    print(f"\n    {errors[0]}")
    return errors[0]


def test_raster_in_another_crs_without_resample(tmp_path, run_landel):
    cfg = write_scene(tmp_path / "data")
    write_tif(tmp_path / "data" / "reed_2m.tif", fine_array(), north_up(FINE_ORIGIN, FINE_CELL),
              epsg=3035)
    out = tmp_path / "out"
    line = assert_one_error(run_landel("run", str(cfg), "--out", str(out)), out)
    assert "reed_2m.tif" in line
    assert "3035" in line or "LAEA" in line, line
    assert "28992" in line or "RD New" in line, line


def test_rotated_raster_is_refused(tmp_path, run_landel):
    cfg = write_scene(tmp_path / "data")
    write_tif(tmp_path / "data" / "landcover_10m.tif", coarse_array(),
              (1000.0, 10.0, 0.5, 2080.0, 0.5, -10.0))
    out = tmp_path / "out"
    line = assert_one_error(run_landel("run", str(cfg), "--out", str(out)), out)
    assert "landcover_10m.tif" in line
    assert re.search(r"rotat|skew|shear|north.up", line, re.I), line


VECTOR_ONLY = {
    "width_m": 'width_m = 3',
    "layer": 'layer = "reed"',
    "where": "where = \"code = 4\"",
    "type": 'type = "reed"',
    "max_patch_ha": "max_patch_ha = 1.5",
    "width_field": 'width_field = "w"',
}


@pytest.mark.parametrize("key", sorted(VECTOR_ONLY))
def test_vector_key_on_raster_element_source(tmp_path, run_landel, key):
    cfg = write_scene(tmp_path / "data")
    text = CONFIG.replace('classes = { 4 = "reed" }\n',
                          'classes = { 4 = "reed" }\n' + VECTOR_ONLY[key] + "\n")
    assert text != CONFIG
    cfg.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    line = assert_one_error(run_landel("run", str(cfg), "--out", str(out)), out)
    assert key in line, line
    assert f"raster.toml:{lt.line_of(text, VECTOR_ONLY[key])}" in line, line


def test_vector_key_on_raster_mask(tmp_path, run_landel):
    cfg = write_scene(tmp_path / "data")
    text = CONFIG.replace('classes = [1]\n', 'classes = [1]\nwhere = "x = 1"\n')
    cfg.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    line = assert_one_error(run_landel("run", str(cfg), "--out", str(out)), out)
    assert "where" in line and f"raster.toml:{lt.line_of(text, 'where = ')}" in line, line


def test_non_nested_grid_warns(tmp_path, run_landel):
    """A 10 m raster shifted by 1 m does not nest in the 2 m grid: nearest-neighbour
    sampling with a warning naming it (figures not checked: they shift by design)."""
    cfg = write_scene(tmp_path / "data")
    write_tif(tmp_path / "data" / "landcover_10m.tif", coarse_array(),
              north_up((1001.0, 2080.0), COARSE_CELL))
    out = tmp_path / "out"
    proc = run_landel("run", str(cfg), "--out", str(out), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert any("landcover_10m.tif" in str(w) and "nearest" in str(w).lower()
               for w in s["warnings"]), s["warnings"]
