"""Delineation end to end: `landel delineate` and `landel run` with areas.method = "overlay"
(on the shipped sample) and "catchments" (on the real 25 m DEM of the Dommel near Oisterwijk,
compared with the water board's catchments).

Overlay figures are checked against shapely: the areas cover the study area exactly (no gaps,
no overlaps), classes are the layers' value combinations, parts under min_area_ha have been
merged, and area ids do not depend on feature order.
"""

import itertools
import re
import math
import subprocess

import pytest
from shapely.geometry import box
from shapely.ops import unary_union

import landel_testlib as lt

OVERLAY_CONFIG = """
[run]
name = "overlay"
[study_area]
path = "{gpkg}"
layer = "gebieden"
[areas]
method = "overlay"
min_area_ha = 2
[[areas.layers]]
path = "{gpkg}"
layer = "{parcels}"
field = "gebruik"
[[areas.layers]]
path = "{gpkg}"
layer = "natuur"
field = "naam"
name_field = "naam"
[[elements]]
path = "{gpkg}"
layer = "lijnelementen"
where = "soort = 'haag'"
type = "hedge"
width_m = 1.5
"""


def areas_of(gpkg):
    return [(f.attrs, f.geom) for f in lt.read_features(gpkg, "areas")]


@pytest.fixture(scope="module")
def overlay_case(sample_gpkg, tmp_path_factory, run_landel_session):
    folder = tmp_path_factory.mktemp("overlay")
    # The same parcels in reverse feature order, to show that ids follow content only.
    shuffled = folder / "shuffled.gpkg"
    subprocess.run(["ogr2ogr", "-f", "GPKG", str(shuffled), str(sample_gpkg), "-nln", "percelen_rev",
                    "-sql", "SELECT * FROM percelen ORDER BY fid DESC"], check=True)
    runs = {}
    for name, parcels in (("plain", "percelen"), ("shuffled", "percelen_rev")):
        cfg = folder / f"{name}.toml"
        gpkg = shuffled if name == "shuffled" else sample_gpkg
        text = OVERLAY_CONFIG.format(gpkg=gpkg, parcels=parcels)
        if name == "shuffled":  # the other layers still come from the sample
            text = text.replace(f'path = "{gpkg}"\nlayer = "natuur"',
                                f'path = "{sample_gpkg}"\nlayer = "natuur"')
            text = text.replace(f'path = "{gpkg}"\nlayer = "gebieden"',
                                f'path = "{sample_gpkg}"\nlayer = "gebieden"')
            text = text.replace(f'path = "{gpkg}"\nlayer = "lijnelementen"',
                                f'path = "{sample_gpkg}"\nlayer = "lijnelementen"')
        cfg.write_text(text, encoding="utf-8")
        out = folder / f"{name}-areas"
        proc = run_landel_session("delineate", str(cfg), "--out", str(out), "--quiet")
        assert proc.returncode == 0, lt.describe(proc)
        runs[name] = (cfg, out)
    return runs


def test_overlay_covers_the_study_area_exactly(overlay_case, sample_gpkg):
    _, out = overlay_case["plain"]
    areas = areas_of(out / "areas.gpkg")
    study = unary_union([lt.repair(f.geom) for f in lt.read_features(sample_gpkg, "gebieden")])
    union = unary_union([g for _, g in areas])
    assert abs(union.area - study.area) <= 1e-9 * study.area
    assert union.symmetric_difference(study).area <= 1e-6 * study.area
    overlap = sum(a.intersection(b).area for (_, a), (_, b) in itertools.combinations(areas, 2))
    assert overlap <= 1e-6 * study.area
    total = sum(g.area for _, g in areas)
    assert abs(total - study.area) <= 1e-9 * study.area


def test_overlay_classes_and_merging(overlay_case, sample_gpkg):
    _, out = overlay_case["plain"]
    areas = areas_of(out / "areas.gpkg")
    uses = {f.attrs["gebruik"] for f in lt.read_features(sample_gpkg, "percelen")}
    names = {f.attrs["naam"] for f in lt.read_features(sample_gpkg, "natuur")}
    for attrs, geom in areas:
        # Land no layer covers is plain "unclassified"; land one layer misses has the
        # placeholder in that layer's position.
        if attrs["class"] == "unclassified":
            parts = ["unclassified", "unclassified"]
        else:
            parts = attrs["class"].split(" / ")
        assert len(parts) == 2, attrs["class"]
        assert parts != ["unclassified", "unclassified"] or attrs["class"] == "unclassified"
        assert parts[0] in uses | {"unclassified"}
        assert parts[1] in names | {"unclassified"}
        assert abs(attrs["area_ha"] - geom.area / 1e4) <= 1e-6
        # Areas inside a nature area are named after it (name_field); others by class.
        if parts[1] != "unclassified":
            assert attrs["area_name"].startswith(parts[1]), attrs
        elif not any(geom.intersection(n.geom).area > 0 for n in lt.read_features(sample_gpkg, "natuur")):
            assert attrs["area_name"].startswith(attrs["class"]), attrs
        # Parts under min_area_ha merge into a neighbour; only a part without one stays.
        if geom.area < 2e4:
            others = [g for a, g in areas if a["area_id"] != attrs["area_id"]]
            assert not any(geom.touches(o) and geom.intersection(o).length > 0 for o in others)
    assert len({a["area_id"] for a, _ in areas}) == len(areas)


def test_overlay_ids_follow_content_not_feature_order(overlay_case):
    plain = {a["area_id"]: (a["class"], g) for a, g in areas_of(overlay_case["plain"][1] / "areas.gpkg")}
    shuffled = {a["area_id"]: (a["class"], g) for a, g in areas_of(overlay_case["shuffled"][1] / "areas.gpkg")}
    assert plain.keys() == shuffled.keys()
    for k in plain:
        assert plain[k][0] == shuffled[k][0]
        assert plain[k][1].symmetric_difference(shuffled[k][1]).area <= 1e-6


def test_run_measures_the_delineated_areas(overlay_case, run_landel_session, tmp_path):
    cfg, areas_out = overlay_case["plain"]
    out = tmp_path / "run"
    proc = run_landel_session("run", str(cfg), "--out", str(out), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    _, rows, _ = lt.read_csv(out / "area_bid.csv")
    delineated = {a["area_id"]: a for a, _ in areas_of(areas_out / "areas.gpkg")}
    assert {r["area_id"] for r in rows} == set(delineated)
    # Rows in natural order: digit runs compare as numbers ("akker-2" before "akker-10").
    natural = [[int(t) if t.isdigit() else t for t in re.split(r"(\d+)", r["area_id"])] for r in rows]
    assert natural == sorted(natural)
    for r in rows:
        assert r["class"] == delineated[r["area_id"]]["class"]
        assert abs(lt.num(r["area_ha"]) - delineated[r["area_id"]]["area_ha"]) <= 1e-6


DOMMEL = "delft3dfmpy-nl/oisterwijk-dommel"


def best_match_iou(reference, candidates):
    """Area-weighted mean over the reference polygons of their best IoU with a candidate."""
    total = sum(r.area for r in reference)
    score = 0.0
    for r in reference:
        best = 0.0
        for c in candidates:
            if not r.intersects(c):
                continue
            inter = r.intersection(c).area
            best = max(best, inter / (r.area + c.area - inter))
        score += best * r.area
    return score / total


@pytest.mark.parametrize("burn", [False, True])
def test_catchments_match_the_water_boards(real_data, tmp_path, run_landel_session, burn):
    folder = real_data / DOMMEL
    real = [lt.repair(f.geom) for f in lt.read_features(folder / "afvoergebied_2.shp")]
    mean_ha = sum(g.area for g in real) / len(real) / 1e4
    burn_text = (f'\n[areas.dem.burn]\npath = "{folder / "hydroobject.gml"}"\ndepth_m = 2\n'
                 if burn else "")
    cfg = tmp_path / "catchments.toml"
    cfg.write_text(f"""
[study_area]
path = "{folder / 'afvoergebied_2.shp'}"
[areas]
method = "catchments"
min_area_ha = 2
[areas.dem]
path = "{folder / 'dommel_25m.tif'}"
min_catchment_ha = {mean_ha / 2:.1f}
basins = "links"
{burn_text}
[[elements]]
path = "{folder / 'hydroobject.gml'}"
type = "watercourse"
width_m = 3
""", encoding="utf-8")
    out = tmp_path / "out"
    proc = run_landel_session("delineate", str(cfg), "--out", str(out), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    mine = [g for _, g in areas_of(out / "areas.gpkg")]
    study = unary_union(real)
    assert abs(sum(g.area for g in mine) - study.area) <= 1e-6 * study.area
    # Valid as written (basins whose cells meet at a corner are polygons touching there, not
    # one ring touching itself), and no two areas share land.
    assert all(g.is_valid for g in mine)
    assert abs(unary_union(mine).area - sum(g.area for g in mine)) <= 1e-6 * study.area
    # Clipped basins under min_area_ha were merged: a small one left has no neighbour.
    for k, g in enumerate(mine):
        if g.area < 2e4:
            assert not any(g.intersection(o).length > 0 for j, o in enumerate(mine) if j != k)
    iou = best_match_iou(real, mine)
    baseline = best_match_iou(real, square_grid(study, len(mine)))
    print(f"\nDommel catchments (burn={burn}): {len(mine)} delineated vs {len(real)} real, "
          f"area-weighted best-match IoU {iou:.3f} (squares of the same mean size: {baseline:.3f})")
    # Relief explains only part of the managed catchments of a flat brook valley, so the
    # figure is reported; the bound is that it must beat a partition that knows no relief.
    assert iou > baseline + 0.03


def square_grid(study, count):
    """The study area cut into squares of its area / count: a delineation without relief."""
    side = math.sqrt(study.area / count)
    x0, y0, x1, y1 = study.bounds
    cells = []
    for i in range(int((x1 - x0) / side) + 1):
        for j in range(int((y1 - y0) / side) + 1):
            c = box(x0 + i * side, y0 + j * side, x0 + (i + 1) * side, y0 + (j + 1) * side)
            c = c.intersection(study)
            if c.area > 0:
                cells.append(c)
    return cells


@pytest.mark.parametrize("method", ["overlay", "catchments"])
def test_areas_identical_for_any_thread_count(method, overlay_case, request, tmp_path,
                                              run_landel_session):
    if method == "overlay":
        cfg = overlay_case["plain"][0]
    else:
        folder = request.getfixturevalue("real_data") / DOMMEL
        cfg = tmp_path / "catchments.toml"
        cfg.write_text(f"""
[study_area]
path = "{folder / 'afvoergebied_2.shp'}"
[areas]
method = "catchments"
min_area_ha = 2
[areas.dem]
path = "{folder / 'dommel_25m.tif'}"
min_catchment_ha = 8
""", encoding="utf-8")
    outputs = []
    for threads in ("1", "2"):
        out = tmp_path / f"areas-{threads}"
        proc = run_landel_session("delineate", str(cfg), "--out", str(out), "--threads", threads, "--quiet")
        assert proc.returncode == 0, lt.describe(proc)
        outputs.append([(a["area_id"], a["area_name"], a["class"], a["area_ha"], g.wkb)
                        for a, g in areas_of(out / "areas.gpkg")])
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 1


def test_dem_too_large_for_the_scratch_disk_is_refused_before_reading(sample_dir, tmp_path,
                                                                      run_landel_session):
    # A virtual raster of 200,000 x 200,000 cells over the sample's small land-cover raster:
    # about 860 GiB at 23 bytes per cell in memory, so it goes to tiles, whose scratch files
    # would take about 447 GiB, more than any test machine's disk has free.
    vrt = tmp_path / "huge.vrt"
    subprocess.run(["gdal_translate", "-q", "-of", "VRT", "-outsize", "200000", "200000",
                    str(sample_dir / "landcover_5m.tif"), str(vrt)], check=True)
    cfg = tmp_path / "huge.toml"
    cfg.write_text(f'[areas]\nmethod = "catchments"\n[areas.dem]\npath = "{vrt}"\n', encoding="utf-8")
    out = tmp_path / "out"
    proc = run_landel_session("delineate", str(cfg), "--out", str(out), "--quiet", timeout=60)
    assert proc.returncode == 1, lt.describe(proc)
    line = proc.stderr.strip().splitlines()[-1]
    assert "areas.dem" in line and "huge.vrt" in line and "GiB of scratch space" in line, line
    assert not out.exists()


def areas_as_written(gpkg):
    """(id, name, class, hectares, normalised geometry) per area, in id order."""
    return sorted((a["area_id"], a["area_name"], a["class"], a["area_ha"], g.normalize())
                  for a, g in areas_of(gpkg))


def expect_same_areas(a, b):
    """The same ids, names and classes, and exactly the same land. A polygon united from tiles
    keeps a vertex where its outline crosses a tile border, and its rings may start elsewhere,
    so the shoelace sum of the same land can differ in the last bits: hectares to 1e-12."""
    assert [x[:3] for x in a] == [y[:3] for y in b]
    for x, y in zip(a, b):
        assert x[4].is_valid and y[4].is_valid
        assert x[4].symmetric_difference(y[4]).area == 0.0, x[0]
        assert math.isclose(x[3], y[3], rel_tol=1e-12), (x[0], x[3], y[3])


@pytest.mark.parametrize("burn", [False, True])
def test_catchments_in_tiles_equal_the_catchments_in_memory(real_data, tmp_path, run_landel_session,
                                                            burn):
    # Tiles of 64 cells cut the Dommel DEM's basins, flats, depressions and burnt
    # watercourses across tile borders; the areas are the in-memory ones.
    folder = real_data / DOMMEL
    burn_text = (f'\n[areas.dem.burn]\npath = "{folder / "hydroobject.gml"}"\ndepth_m = 2\n'
                 if burn else "")
    proc_m, out_m = dommel_catchments(run_landel_session, folder, tmp_path, folder / "dommel_25m.tif",
                                      burn_text, name="memory")
    proc_t, out_t = dommel_catchments(run_landel_session, folder, tmp_path, folder / "dommel_25m.tif",
                                      "tile_side = 64" + burn_text, name="tiles")
    assert proc_m.returncode == 0 and proc_t.returncode == 0, lt.describe(proc_t)
    log = (out_t / "landel.log").read_text(encoding="utf-8")
    assert "computed in tiles as asked (tile_side) of 64 x 64 cells" in log
    memory, tiles = areas_as_written(out_m / "areas.gpkg"), areas_as_written(out_t / "areas.gpkg")
    assert len(memory) > 10
    expect_same_areas(memory, tiles)


@pytest.mark.parametrize("fill_holes", [False, True])
def test_a_dem_beyond_the_memory_budget_is_computed_in_tiles(real_data, tmp_path, run_landel_session,
                                                             fill_holes):
    # The Winterswijk AHN (2000 x 2500 cells, about 110 MiB in memory) with run.memory_mb = 64:
    # in tiles, chosen and said by landel, with the areas of the in-memory run. With
    # fill_holes, on a copy with nodata holes punched in, across the borders of any tiles of 64
    # cells or more (holes filled tile by tile, joined across tiles).
    dem = real_data / "achterhoek-wrij-ahn" / "derived" / "dtm_5m_filled_m.tif"
    if fill_holes:
        from osgeo import gdal
        holes = tmp_path / "holes.tif"
        gdal.Translate(str(holes), str(dem))
        ds = gdal.Open(str(holes), gdal.GA_Update)
        band = ds.GetRasterBand(1)
        z = band.ReadAsArray()
        nodata = band.GetNoDataValue()
        z[500:530, 500:540] = nodata          # across row and column 512
        z[1020:1030, 1000:1100] = nodata      # across row 1024
        z[1030, 1100] = nodata                # joined at a corner only
        z[1790:1800, 1530:1540] = nodata
        band.WriteArray(z)
        ds = None
        dem = holes
    outs = []
    for memory_mb in (1024, 64):
        cfg = tmp_path / f"w{memory_mb}.toml"
        cfg.write_text(f"""
[run]
memory_mb = {memory_mb}
[areas]
method = "catchments"
min_area_ha = 2
[areas.dem]
path = "{dem}"
min_catchment_ha = 50
fill_holes = {str(fill_holes).lower()}
""", encoding="utf-8")
        out = tmp_path / f"w{memory_mb}"
        proc = run_landel_session("delineate", str(cfg), "--out", str(out), "--quiet")
        assert proc.returncode == 0, lt.describe(proc)
        outs.append(out)
    logs = [(out / "landel.log").read_text(encoding="utf-8") for out in outs]
    assert re.search(r"more than run.memory_mb = 64: computed in tiles of (\d+) x \1 cells", logs[1]), logs[1]
    assert "computed in memory" in logs[0]
    if fill_holes:
        filled = [re.search(r"(\d+) nodata cells in holes filled", log).group(1) for log in logs]
        assert filled[0] == filled[1] and int(filled[0]) > 0
    memory, tiles = areas_as_written(outs[0] / "areas.gpkg"), areas_as_written(outs[1] / "areas.gpkg")
    assert len(memory) > 100
    expect_same_areas(memory, tiles)


def test_a_bad_tile_side_is_refused(sample_dir, tmp_path, run_landel_session):
    dem = sample_dir / "landcover_5m.tif"
    cfg = tmp_path / "t.toml"
    cfg.write_text(f'[areas]\nmethod = "catchments"\n[areas.dem]\npath = "{dem}"\ntile_side = 8\n',
                   encoding="utf-8")
    out = tmp_path / "out"
    proc = run_landel_session("delineate", str(cfg), "--out", str(out), "--quiet")
    assert proc.returncode != 0, lt.describe(proc)
    line = proc.stderr.strip().splitlines()[-1]
    assert "areas.dem.tile_side must be 16 to 65000 cells, got 8" in line, line
    assert not out.exists()
def dommel_catchments(run_landel_session, folder, tmp_path, dem, extra="", name="c"):
    cfg = tmp_path / f"{name}.toml"
    cfg.write_text(f"""
[study_area]
path = "{folder / 'afvoergebied_2.shp'}"
[areas]
method = "catchments"
min_area_ha = 2
[areas.dem]
path = "{dem}"
min_catchment_ha = 8
{extra}
""", encoding="utf-8")
    out = tmp_path / f"{name}-out"
    proc = run_landel_session("delineate", str(cfg), "--out", str(out), "--quiet")
    return proc, out


def test_dem_in_centimetres_with_z_factor_gives_the_same_catchments(real_data, tmp_path, run_landel_session):
    folder = real_data / DOMMEL
    cm = tmp_path / "dommel_cm.tif"
    subprocess.run(["gdal_calc.py", "--quiet", "-A", str(folder / "dommel_25m.tif"), "--outfile", str(cm),
                    "--calc", "A * 100", "--type", "Float32", "--NoDataValue", "-9999"],
                   check=True, capture_output=True)
    proc_m, out_m = dommel_catchments(run_landel_session, folder, tmp_path, folder / "dommel_25m.tif", name="m")
    proc_cm, out_cm = dommel_catchments(run_landel_session, folder, tmp_path, cm, "z_factor = 0.01", name="cm")
    assert proc_m.returncode == 0 and proc_cm.returncode == 0, lt.describe(proc_cm)
    metres = [(a["area_id"], g.wkb) for a, g in areas_of(out_m / "areas.gpkg")]
    centimetres = [(a["area_id"], g.wkb) for a, g in areas_of(out_cm / "areas.gpkg")]
    assert metres == centimetres


def test_dem_in_another_crs_needs_bilinear_and_is_warped_like_gdalwarp(real_data, tmp_path,
                                                                      run_landel_session):
    folder = real_data / DOMMEL
    laea = tmp_path / "dommel_3035.tif"
    subprocess.run(["gdalwarp", "-q", "-t_srs", "EPSG:3035", "-tr", "25", "25", "-r", "bilinear",
                    str(folder / "dommel_25m.tif"), str(laea)], check=True)
    proc, _ = dommel_catchments(run_landel_session, folder, tmp_path, laea, name="nores")
    assert proc.returncode == 1
    assert "resample" in proc.stderr and "areas.dem" in proc.stderr, proc.stderr
    proc, out = dommel_catchments(run_landel_session, folder, tmp_path, laea, 'resample = "bilinear"', name="res")
    assert proc.returncode == 0, lt.describe(proc)
    # The same warp done beforehand with gdalwarp (bilinear, the cell size kept, the grid
    # snapped to multiples of it) and read natively must give the same catchments.
    rd = tmp_path / "dommel_rd.tif"
    subprocess.run(["gdalwarp", "-q", "-t_srs", "EPSG:28992", "-tr", "25", "25", "-tap", "-r", "bilinear",
                    str(laea), str(rd)], check=True)
    proc_rd, out_rd = dommel_catchments(run_landel_session, folder, tmp_path, rd, name="rd")
    assert proc_rd.returncode == 0, lt.describe(proc_rd)
    warped = [(a["area_id"], round(a["area_ha"], 6)) for a, _ in areas_of(out / "areas.gpkg")]
    native = [(a["area_id"], round(a["area_ha"], 6)) for a, _ in areas_of(out_rd / "areas.gpkg")]
    assert warped == native
    # Warped tile by tile (tiles of 64 cells), the same areas as warped whole.
    proc_t, out_t = dommel_catchments(run_landel_session, folder, tmp_path, laea,
                                      'resample = "bilinear"\ntile_side = 64', name="tiles")
    assert proc_t.returncode == 0, lt.describe(proc_t)
    expect_same_areas(areas_as_written(out / "areas.gpkg"), areas_as_written(out_t / "areas.gpkg"))
