"""The bad and awkward input catalogue (CONTRACT.md 'Errors and warnings'; every case is
listed in docs/errors-and-warnings.md). Bad inputs are clean failures:

  * exit code 1 (2 only for command-line usage errors),
  * exactly one stderr line starting 'landel: error: ' that names the culprit,
  * no output folder afterwards and no '<out>.tmp*' folder beside it (an output folder that
    existed before is left untouched).

Awkward inputs are warnings instead: the run succeeds (exit 0) with a 'landel: warning:' line
naming the culprit, and the documented result is checked against an independent shapely/OGR
re-computation (landel_testlib.independent_measure).
`landel validate` reports the same errors for config-level cases.
"""

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal, ogr, osr
from shapely.geometry import box
from shapely.ops import unary_union

import landel_testlib as lt

# A small valid config on a private copy of the sample (tmp_path/data/landscape.gpkg);
# each case changes one thing in it.
BASE = """\
[run]
name = "Bad input"
crs = "EPSG:28992"
measurement_year = 2024

[areas]
method = "given"

[[areas.layers]]
path = "data/landscape.gpkg"
layer = "gebieden"
id_field = "code"
name_field = "naam"

[[rural.exclude]]
path = "data/landscape.gpkg"
layer = "bebouwing"
name = "built"

[[elements]]
path = "data/landscape.gpkg"
layer = "lijnelementen"
where = "soort = 'haag'"
type = "hedge"
width_m = 1.5
width_field = "breedte"

[[elements]]
path = "data/landscape.gpkg"
layer = "bomen"
type = "solitary_tree"
width_m = 8
width_field = "kroon_m"

[[elements]]
path = "data/landscape.gpkg"
layer = "vlakelementen"
where = "soort = 'poel'"
type = "pond"

[types]
order = ["pond", "hedge", "solitary_tree"]

[targets]
baseline_year = 2022

[[targets.milestone]]
year = 2030
share = 0.05

[[targets.milestone]]
year = 2050
share = 0.10
"""

CFG_NAME = "landel.toml"

# Appended to the config of runs that must succeed (warning cases and counterparts): no
# per-area maps and a coarse overview keep them fast; the measurement is unaffected.
FAST_RENDER = "\n[render]\nmax_area_maps = 0\ndpi = 72\n"


def variant(*edits, base=BASE):
    """BASE with (old, new) text replacements; each `old` must occur exactly once."""
    text = base
    for old, new in edits:
        assert text.count(old) == 1, f"test bug: {old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    return text


def sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class Case:
    """A prepared bad-input run in tmp_path."""

    def __init__(self, tmp_path, run_landel, sample_copy):
        self.tmp = tmp_path
        self.run_landel = run_landel
        self.data = sample_copy.parent
        self.gpkg = sample_copy
        self.out = tmp_path / "out"
        self.cfg = tmp_path / CFG_NAME
        self.text = None

    def write(self, text):
        self.text = text
        self.cfg.write_text(text, encoding="utf-8")
        return self.cfg

    def line(self, needle, occurrence=1):
        return lt.line_of(self.text, needle, occurrence)

    def run(self, *extra, config=None, out=None, cwd=None):
        cfg = self.cfg if config is None else config
        out = self.out if out is None else out
        return self.run_landel("run", str(cfg), "--out", str(out), *extra, cwd=cwd)

    def validate(self, config=None):
        return self.run_landel("validate", str(self.cfg if config is None else config))


@pytest.fixture
def case(tmp_path, run_landel, sample_copy):
    return Case(tmp_path, run_landel, sample_copy)


def assert_error(proc, out, *culprits, code=1, out_existed=False, any_of=None):
    """The failure contract. `culprits` must all appear in the error line; of `any_of`
    (a list of alternatives) at least one must."""
    info = lt.describe(proc)
    assert out is not None, "test bug: every error case checks that no output folder is left"
    assert proc.returncode == code, info
    errors = lt.error_lines(proc.stderr)
    assert len(errors) == 1, f"expected exactly one '{lt.ERROR_PREFIX}' line\n{info}"
    line = errors[0]
    print(f"\n    {line}")
    for c in culprits:
        assert c in line, f"error line does not name {c!r}: {line}"
    if any_of:
        assert any(a in line for a in any_of), f"error line names none of {any_of}: {line}"
    out = Path(out)
    if not out_existed:
        assert not out.exists(), f"output folder {out} exists after a failed run"
    assert lt.tmp_siblings(out) == [], f"temporary folder left: {lt.tmp_siblings(out)}"
    return line


def assert_line_ref(line, cfg_line):
    """The error names the config position as FILE:LINE."""
    assert f"{CFG_NAME}:{cfg_line}" in line, f"error line lacks '{CFG_NAME}:{cfg_line}': {line}"


# --------------------------------------------------------------------------- sanity

def test_base_config_runs(case):
    """Guard: the unmodified base config succeeds, so each failure below is its edit's."""
    case.write(BASE)
    proc = case.run()
    assert proc.returncode == 0, lt.describe(proc)
    assert lt.error_lines(proc.stderr) == []
    assert (case.out / "area_bid.csv").is_file()
    # no overlapping areas: totals are additive (see test_overlapping_given_areas_warn)
    summary = json.loads((case.out / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"]["additive"] is True, summary["totals"]


# --------------------------------------------------------------------------- config file

def test_missing_config_file(case):
    missing = case.tmp / "no_such_config.toml"
    proc = case.run(config=missing)
    assert_error(proc, case.out, "no_such_config.toml")


def test_toml_syntax_error(case):
    case.write(variant(('width_m = 1.5\n', 'width_m = = 1.5\n')))
    proc = case.run()
    line = assert_error(proc, case.out, CFG_NAME)
    assert_line_ref(line, case.line("width_m = = 1.5"))


def test_unknown_key(case):
    case.write(variant(('type = "hedge"\n', 'type = "hedge"\ncolour = "green"\n')))
    proc = case.run()
    line = assert_error(proc, case.out, "colour")
    assert_line_ref(line, case.line('colour = "green"'))


def test_unknown_key_in_run_section(case):
    case.write(variant(('measurement_year = 2024\n', 'measurement_year = 2024\nthreads = 4\n')))
    proc = case.run()
    line = assert_error(proc, case.out, "threads")
    assert_line_ref(line, case.line("threads = 4"))


def test_wrong_value_type(case):
    case.write(variant(('width_m = 1.5', 'width_m = "wide"')))
    proc = case.run()
    line = assert_error(proc, case.out, "width_m")
    assert_line_ref(line, case.line('width_m = "wide"'))


@pytest.mark.parametrize("value", ["0", "-2.5"])
def test_width_not_positive(case, value):
    case.write(variant(('width_m = 1.5', f'width_m = {value}')))
    proc = case.run()
    line = assert_error(proc, case.out, "width_m")
    assert_line_ref(line, case.line(f"width_m = {value}"))


def test_density_raster_too_large(case):
    """Found fuzzing: a density raster beyond 2^28 cells is refused before measuring, naming
    the setting, rather than exhausting memory (here 5 cm cells over the sample's ~3 km)."""
    case.write(variant(('measurement_year = 2024\n',
                        'measurement_year = 2024\ndensity_cell_m = 0.05\n')))
    proc = case.run()
    assert_error(proc, case.out, "element density raster would have", "run.density_cell_m",
                 "at most 2^28")


@pytest.mark.parametrize("value", ["1.5", "0", "-0.05", "0.0"])
def test_milestone_share_outside_unit_interval(case, value):
    case.write(variant(('share = 0.10', f'share = {value}')))
    proc = case.run()
    line = assert_error(proc, case.out, "share")
    assert_line_ref(line, case.line(f"share = {value}"))


def test_milestone_years_out_of_order(case):
    case.write(variant(('year = 2050', 'year = 2025')))
    proc = case.run()
    line = assert_error(proc, case.out, any_of=["year", "milestone"])
    # the offending milestone (the second one) or its year
    assert re.search(rf"{CFG_NAME}:\d+", line), line


def test_milestone_shares_decreasing(case):
    case.write(variant(('share = 0.05', 'share = 0.20')))
    proc = case.run()
    line = assert_error(proc, case.out, any_of=["share", "milestone"])
    assert re.search(rf"{CFG_NAME}:\d+", line), line


def test_types_order_missing_a_type(case):
    case.write(variant(('order = ["pond", "hedge", "solitary_tree"]',
                        'order = ["pond", "hedge"]')))
    proc = case.run()
    line = assert_error(proc, case.out, "solitary_tree", "order")
    assert_line_ref(line, case.line('order = ["pond", "hedge"]'))


def test_types_order_repeating_a_type(case):
    case.write(variant(('order = ["pond", "hedge", "solitary_tree"]',
                        'order = ["pond", "hedge", "solitary_tree", "hedge"]')))
    proc = case.run()
    line = assert_error(proc, case.out, "hedge", "order")
    assert_line_ref(line, case.line('order = ["pond"'))


def test_overlay_layer_without_field(case):
    case.write(variant(('method = "given"', 'method = "overlay"'),
                       ('id_field = "code"\nname_field = "naam"\n', '')))
    proc = case.run()
    line = assert_error(proc, case.out, "field")
    assert "areas.layers" in line, line


def test_overlay_unknown_field(case):
    case.write(variant(('method = "given"', 'method = "overlay"'),
                       ('id_field = "code"\nname_field = "naam"\n', 'field = "bodemtype"\n')))
    proc = case.run()
    assert_error(proc, case.out, "bodemtype", "gebieden")


def test_overlay_layer_with_id_field(case):
    case.write(variant(('method = "given"', 'method = "overlay"'),
                       ('id_field = "code"\nname_field = "naam"\n',
                        'field = "naam"\nid_field = "code"\n')))
    proc = case.run()
    line = assert_error(proc, case.out, "id_field")
    assert "areas.layers[1]" in line, line


def test_catchments_without_dem(case):
    case.write(variant(('method = "given"', 'method = "catchments"'),
                       ('[[areas.layers]]\npath = "data/landscape.gpkg"\nlayer = "gebieden"\n'
                        'id_field = "code"\nname_field = "naam"\n', '')))
    proc = case.run()
    assert_error(proc, case.out, "areas.dem")


# --------------------------------------------------------------------------- data sources

def test_missing_data_file(case):
    case.write(variant(('path = "data/landscape.gpkg"\nlayer = "bebouwing"',
                        'path = "data/no_such_file.gpkg"\nlayer = "bebouwing"')))
    proc = case.run()
    assert_error(proc, case.out, "no_such_file.gpkg")


def test_unknown_layer(case):
    case.write(variant(('layer = "bomen"', 'layer = "boompjes"')))
    proc = case.run()
    assert_error(proc, case.out, "boompjes")


def test_unknown_type_field(case):
    case.write(variant(('type = "hedge"\n', 'type_field = "kind"\ntypes = { haag = "hedge" }\n')))
    proc = case.run()
    assert_error(proc, case.out, "kind")


def test_unknown_width_field(case):
    case.write(variant(('width_field = "kroon_m"', 'width_field = "kroon_diameter"')))
    proc = case.run()
    assert_error(proc, case.out, "kroon_diameter")


def test_unknown_id_field(case):
    case.write(variant(('id_field = "code"', 'id_field = "gebiedscode"')))
    proc = case.run()
    assert_error(proc, case.out, "gebiedscode")


def test_invalid_where_clause(case):
    case.write(variant(("where = \"soort = 'haag'\"", "where = \"soort = = 'haag'\"")))
    proc = case.run()
    assert_error(proc, case.out, "soort = = 'haag'")


def test_invalid_where_unknown_column(case):
    case.write(variant(("where = \"soort = 'poel'\"", "where = \"sort = 'poel'\"")))
    proc = case.run()
    assert_error(proc, case.out, any_of=["sort = 'poel'", "'sort'", "sort"])


def _line_shapefile(folder, name, with_prj):
    folder.mkdir(parents=True, exist_ok=True)
    shp = folder / f"{name}.shp"
    lt.write_vector(shp, name, ogr.wkbLineString,
                    [("LINESTRING (140100 430100, 140300 430100)", {"breedte": 2.0})],
                    fields=[("breedte", ogr.OFTReal)], driver="ESRI Shapefile", srs=with_prj)
    assert (folder / f"{name}.prj").exists() == with_prj
    return shp


def test_source_without_crs(case):
    _line_shapefile(case.tmp / "nocrs", "hagen_zonder_crs", with_prj=False)
    case.write(variant(('path = "data/landscape.gpkg"\nlayer = "lijnelementen"\n'
                        'where = "soort = \'haag\'"\n',
                        'path = "nocrs/hagen_zonder_crs.shp"\n')))
    proc = case.run()
    assert_error(proc, case.out, "hagen_zonder_crs")


def test_source_without_crs_with_assume_crs_runs(case):
    """The counterpart: assume_crs makes the same source usable."""
    _line_shapefile(case.tmp / "nocrs", "hagen_zonder_crs", with_prj=False)
    case.write(variant(('path = "data/landscape.gpkg"\nlayer = "lijnelementen"\n'
                        'where = "soort = \'haag\'"\n',
                        'path = "nocrs/hagen_zonder_crs.shp"\nassume_crs = "EPSG:28992"\n'))
               + FAST_RENDER)
    proc = case.run()
    assert proc.returncode == 0, lt.describe(proc)


def test_assume_crs_on_source_with_crs(case):
    case.write(variant(('layer = "bomen"\n', 'layer = "bomen"\nassume_crs = "EPSG:28992"\n')))
    proc = case.run()
    assert_error(proc, case.out, "assume_crs", any_of=["landscape.gpkg", "bomen",
                                                       f"{CFG_NAME}:"])


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:3857"])
def test_unsuitable_run_crs(case, crs):
    case.write(variant(('crs = "EPSG:28992"', f'crs = "{crs}"')))
    proc = case.run()
    line = assert_error(proc, case.out, crs.split(":")[1])
    assert "crs" in line.lower(), line


def test_areas_not_polygons(case):
    gpkg = case.tmp / "grenslijnen.gpkg"
    lt.write_vector(gpkg, "grenzen", ogr.wkbLineString,
                    [("LINESTRING (140000 430000, 140800 430000, 140800 430800)", {"code": "L1"}),
                     ("LINESTRING (140800 430000, 141600 430000)", {"code": "L2"})],
                    fields=[("code", ogr.OFTString), ("naam", ogr.OFTString)])
    case.write(variant(('path = "data/landscape.gpkg"\nlayer = "gebieden"',
                        'path = "grenslijnen.gpkg"\nlayer = "grenzen"')))
    proc = case.run()
    assert_error(proc, case.out, "not polygons", any_of=["grenslijnen.gpkg", "grenzen"])


NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize("kind,fid,bad", [
    ("point", 4242, (NAN, 430200.0)),
    ("line", 4343, (NAN, 430160.0)),
    ("line", 4444, (140200.0, INF)),
], ids=["point-nan", "line-vertex-nan", "line-vertex-inf"])
def test_nan_inf_coordinate(case, kind, fid, bad):
    gpkg = case.tmp / "kapot.gpkg"
    if kind == "point":
        feats = [(11, lt.wkb_point(140150.0, 430150.0), {"kroon_m": 6.0}),
                 (fid, lt.wkb_point(*bad), {"kroon_m": 6.0}),
                 (13, lt.wkb_point(140250.0, 430250.0), {"kroon_m": 6.0})]
        lt.write_gpkg_with_raw_geometries(gpkg, "kapot", ogr.wkbPoint,
                                          [("kroon_m", ogr.OFTReal)], feats)
        edit = ('path = "data/landscape.gpkg"\nlayer = "bomen"',
                'path = "kapot.gpkg"\nlayer = "kapot"')
    else:
        feats = [(11, lt.wkb_linestring([(140100.0, 430100.0), (140300.0, 430100.0)]),
                  {"breedte": 2.0}),
                 (fid, lt.wkb_linestring([(140100.0, 430150.0), bad, (140300.0, 430150.0)]),
                  {"breedte": 2.0})]
        lt.write_gpkg_with_raw_geometries(gpkg, "kapot", ogr.wkbLineString,
                                          [("breedte", ogr.OFTReal)], feats)
        edit = ('path = "data/landscape.gpkg"\nlayer = "lijnelementen"\n'
                'where = "soort = \'haag\'"\n', 'path = "kapot.gpkg"\nlayer = "kapot"\n')
    case.write(variant(edit))
    proc = case.run()
    line = assert_error(proc, case.out, any_of=["kapot.gpkg", "'kapot'", f"{CFG_NAME}:"])
    assert re.search(rf"\b{fid}\b", line), f"error line does not name feature {fid}: {line}"


def test_line_without_width(case):
    gpkg = case.tmp / "hagen.gpkg"
    drv = ogr.GetDriverByName("GPKG")
    ds = drv.CreateDataSource(str(gpkg))
    lyr = ds.CreateLayer("hagen", lt.epsg_srs(28992), ogr.wkbLineString)
    lyr.CreateField(ogr.FieldDefn("breedte", ogr.OFTReal))
    for fid, wkt, w in ((5, "LINESTRING (140100 430100, 140300 430100)", 2.0),
                        (777, "LINESTRING (140100 430150, 140300 430150)", None)):
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetFID(fid)
        if w is None:
            f.SetFieldNull("breedte")
        else:
            f.SetField("breedte", w)
        f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        assert lyr.CreateFeature(f) == 0
    ds = None
    case.write(variant(('path = "data/landscape.gpkg"\nlayer = "lijnelementen"\n'
                        'where = "soort = \'haag\'"\ntype = "hedge"\nwidth_m = 1.5\n',
                        'path = "hagen.gpkg"\nlayer = "hagen"\ntype = "hedge"\n')))
    proc = case.run()
    line = assert_error(proc, case.out, any_of=["hagen.gpkg", f"{CFG_NAME}:"])
    assert re.search(r"\b777\b", line), f"error line does not name feature 777: {line}"


def _edit_area(gpkg, code, *, new_code=None, wkt=None):
    ds = ogr.Open(str(gpkg), 1)
    lyr = ds.GetLayerByName("gebieden")
    lyr.SetAttributeFilter(f"code = '{code}'")
    feats = [f for f in lyr]
    assert len(feats) == 1, code
    f = feats[0]
    if new_code is not None:
        f.SetField("code", new_code)
    if wkt is not None:
        f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
    assert lyr.SetFeature(f) == 0
    lyr.SetAttributeFilter(None)
    ds = None


def test_zero_area_area(case):
    # a degenerate (collinear) ring: zero area, also after make-valid
    _edit_area(case.gpkg, "G05",
               wkt="POLYGON ((140100 430100, 140200 430100, 140300 430100, 140100 430100))")
    case.write(BASE)
    proc = case.run()
    assert_error(proc, case.out, "G05")


def test_duplicate_area_id(case):
    _edit_area(case.gpkg, "G04", new_code="G03")
    case.write(BASE)
    proc = case.run()
    assert_error(proc, case.out, "G03")


# --------------------------------------------------------------------------- output folder

def test_output_folder_exists_without_overwrite(case):
    case.write(BASE)
    existing = case.tmp / "results_existing"
    existing.mkdir()
    (existing / "keep.txt").write_text("old content\n", encoding="utf-8")
    proc = case.run_landel("run", str(case.cfg), "--out", "results_existing", cwd=case.tmp)
    assert_error(proc, existing, "results_existing", out_existed=True)
    assert sorted(p.name for p in existing.iterdir()) == ["keep.txt"]
    assert (existing / "keep.txt").read_text(encoding="utf-8") == "old content\n"


def test_output_folder_exists_with_overwrite_replaced(case):
    """The counterpart: with --overwrite the old folder is replaced as a whole."""
    case.write(BASE + FAST_RENDER)
    existing = case.tmp / "results_existing"
    existing.mkdir()
    (existing / "keep.txt").write_text("old content\n", encoding="utf-8")
    proc = case.run_landel("run", str(case.cfg), "--out", "results_existing", "--overwrite",
                           cwd=case.tmp)
    assert proc.returncode == 0, lt.describe(proc)
    assert (existing / "area_bid.csv").is_file()
    assert not (existing / "keep.txt").exists(), "old files mixed with new ones"
    assert lt.tmp_siblings(existing) == []


def _project_layout(case):
    """tmp/proj/landel.toml with its data in tmp/proj/indata/landscape.gpkg."""
    proj = case.tmp / "proj"
    indata = proj / "indata"
    indata.mkdir(parents=True)
    shutil.copyfile(case.gpkg, indata / "landscape.gpkg")
    cfg = proj / CFG_NAME
    cfg.write_text(BASE.replace('"data/landscape.gpkg"', '"indata/landscape.gpkg"'),
                   encoding="utf-8")
    return proj, indata, cfg


def _snapshot(folder):
    return {str(p.relative_to(folder)): (sha(p) if p.is_file() else None)
            for p in sorted(Path(folder).rglob("*"))}


def test_output_equals_data_folder(case):
    proj, indata, cfg = _project_layout(case)
    before = _snapshot(proj)
    proc = case.run_landel("run", str(cfg), "--out", "proj/indata", "--overwrite", cwd=case.tmp)
    assert_error(proc, indata, "proj/indata", out_existed=True)
    assert _snapshot(proj) == before, "inputs were touched"


def test_output_contains_input_file(case):
    proj, indata, cfg = _project_layout(case)
    before = _snapshot(proj)
    proc = case.run_landel("run", str(cfg), "--out", "proj", "--overwrite", cwd=case.tmp)
    assert_error(proc, proj, "proj", out_existed=True)
    assert _snapshot(proj) == before, "inputs were touched"


def test_output_folder_in_missing_parent_is_named(case):
    """An output that cannot be written (a regular file in the way) names --out as given."""
    case.write(BASE)
    (case.tmp / "blocker").write_text("a file, not a folder\n", encoding="utf-8")
    proc = case.run_landel("run", str(case.cfg), "--out", "blocker/result", cwd=case.tmp)
    assert_error(proc, case.tmp / "blocker" / "result", "blocker/result")
    assert (case.tmp / "blocker").read_text(encoding="utf-8") == "a file, not a folder\n"


# --------------------------------------------------------------------------- usage errors

@pytest.mark.parametrize("args", [["run"], ["run", "x.toml", "--threads", "many"],
                                  ["run", "x.toml", "--no-such-option"], ["frobnicate"]],
                         ids=["no-config", "bad-threads", "unknown-option", "unknown-command"])
def test_usage_errors_exit_2(case, args):
    before = _snapshot(case.tmp)
    proc = case.run_landel(*args, cwd=case.tmp)
    assert proc.returncode == 2, lt.describe(proc)
    assert proc.stderr.strip(), "a usage error says what is wrong"
    assert _snapshot(case.tmp) == before, "a usage error wrote something"


@pytest.mark.parametrize("args,culprit", [
    pytest.param(["run"], "config", id="no-config"),
    pytest.param(["run", "x.toml", "--threads", "many"], "--threads", id="bad-threads"),
    pytest.param(["run", "x.toml", "--threads", "0"], "--threads", id="zero-threads"),
    pytest.param(["batch", "x.toml", "--out", "b", "--jobs", "0"], "--jobs", id="zero-jobs"),
    pytest.param(["run", "x.toml", "--no-such-option"], "--no-such-option", id="unknown-option"),
    pytest.param(["frobnicate"], "frobnicate", id="unknown-command"),
])
def test_usage_error_names_the_culprit(case, args, culprit):
    """A usage error is one 'landel: error:' line naming the culprit in a short sentence."""
    proc = case.run_landel(*args, cwd=case.tmp)
    assert proc.returncode == 2, lt.describe(proc)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(lt.ERROR_PREFIX), proc.stderr
    print(f"\n    {lines[0]}")
    assert culprit in lines[0], f"does not name {culprit!r}: {lines[0]}"
    assert len(lines[0]) <= 160, f"{len(lines[0])} characters: {lines[0]}"
    assert not (case.tmp / "b").exists()


# --------------------------------------------------------------------------- warnings

def test_where_selecting_nothing_is_a_warning(case):
    case.write(variant(("where = \"soort = 'haag'\"", "where = \"soort = 'geen_haag'\""))
               + FAST_RENDER)
    proc = case.run()
    assert proc.returncode == 0, lt.describe(proc)
    assert lt.error_lines(proc.stderr) == []
    warnings = lt.warning_lines(proc.stderr)
    src_line = case.line("where = \"soort = 'geen_haag'\"")
    header = lt.section_line(case.text, src_line)  # the [[elements]] header of that source
    refs = ["geen_haag", "lijnelementen", "hedge"] + \
        [f"{CFG_NAME}:{n}:" for n in range(header, src_line + 1)]
    assert any(any(r in w for r in refs) for w in warnings), \
        f"no warning naming the empty source:\n{proc.stderr}"
    _, rows, _ = lt.read_csv(case.out / "area_bid.csv")
    assert rows and all(lt.num(r["ha_hedge"]) == 0.0 for r in rows)
    assert all(lt.num(r["hedge_m"]) == 0.0 for r in rows)
    summary = json.loads((case.out / "summary.json").read_text(encoding="utf-8"))
    assert summary["warnings"], "the warning is recorded in summary.json"


def test_invalid_polygon_repaired_is_counted_and_warned(case):
    bowties = [f for f in lt.read_features(case.gpkg, "vlakelementen", "soort = 'bosje'")
               if not f.geom.is_valid]
    assert len(bowties) == 1, "the sample has exactly one invalid (bow-tie) wood"
    case.write(variant(('order = ["pond", "hedge", "solitary_tree"]',
                        'order = ["pond", "small_wood", "hedge", "solitary_tree"]'),
                       ('[types]', '[[elements]]\npath = "data/landscape.gpkg"\n'
                        'layer = "vlakelementen"\nwhere = "soort = \'bosje\'"\n'
                        'type = "small_wood"\nmax_patch_ha = 1.5\n\n[types]')) + FAST_RENDER)
    proc = case.run()
    assert proc.returncode == 0, lt.describe(proc)
    summary = json.loads((case.out / "summary.json").read_text(encoding="utf-8"))
    rg = summary["repaired_geometries"]
    assert sum(rg.values()) == 1, rg
    src_line = case.line("where = \"soort = 'bosje'\"")
    header = lt.section_line(case.text, src_line)
    keys = [k for k, v in rg.items() if v == 1]
    assert len(keys) == 1
    assert any(f"{CFG_NAME}:{n}:" in keys[0] for n in range(header, src_line + 1)) \
        or "vlakelementen" in keys[0], f"repair counted under an unexpected source: {keys[0]}"
    warnings = lt.warning_lines(proc.stderr)
    assert any(re.search(r"repair|invalid", w, re.I) for w in warnings), \
        f"no 'landel: warning:' line about the repaired geometry (CONTRACT: invalid geometry " \
        f"-> repaired, counted, warning)\nstderr:\n{proc.stderr}"


# --------------------------------------------------------------------------- validate

VALIDATE_CASES = {
    "unknown-key": ((('type = "hedge"\n', 'type = "hedge"\ncolour = "green"\n'),), ["colour"]),
    "wrong-type": ((('width_m = 1.5', 'width_m = "wide"'),), ["width_m"]),
    "width-zero": ((('width_m = 1.5', 'width_m = 0'),), ["width_m"]),
    "share": ((('share = 0.10', 'share = 1.5'),), ["share"]),
    "types-missing": ((('order = ["pond", "hedge", "solitary_tree"]', 'order = ["pond", "hedge"]'),),
                      ["solitary_tree"]),
    "missing-file": ((('path = "data/landscape.gpkg"\nlayer = "bebouwing"',
                       'path = "data/no_such_file.gpkg"\nlayer = "bebouwing"'),), ["no_such_file.gpkg"]),
    "unknown-layer": ((('layer = "bomen"', 'layer = "boompjes"'),), ["boompjes"]),
    "bad-where": ((("where = \"soort = 'haag'\"", "where = \"soort = = 'haag'\""),),
                  ["soort = = 'haag'"]),
    "geographic-crs": ((('crs = "EPSG:28992"', 'crs = "EPSG:4326"'),), ["4326"]),
}


@pytest.mark.parametrize("name", sorted(VALIDATE_CASES))
def test_validate_reports_same_error(case, name):
    edits, culprits = VALIDATE_CASES[name]
    case.write(variant(*edits))
    vproc = case.validate()
    vline = assert_error(vproc, case.out, *culprits)
    rproc = case.run()
    rline = assert_error(rproc, case.out, *culprits)
    assert vline == rline, f"validate and run disagree:\n  validate: {vline}\n  run:      {rline}"


def test_validate_accepts_base_config(case):
    case.write(BASE)
    proc = case.validate()
    assert proc.returncode == 0, lt.describe(proc)
    assert lt.error_lines(proc.stderr) == []
    assert not case.out.exists()


# --------------------------------------------------------------------------- run plumbing

def test_log_file_kept_for_failed_run(case):
    """--log FILE keeps a log of a failed run too (CONTRACT: 'Outputs')."""
    case.write(variant(('layer = "bomen"', 'layer = "boompjes"')))
    log = case.tmp / "failed.log"
    proc = case.run("--log", str(log))
    assert_error(proc, case.out, "boompjes")
    assert log.is_file() and "boompjes" in log.read_text(encoding="utf-8")


def test_quiet_keeps_warnings(case):
    """--quiet silences progress, not warnings."""
    case.write(variant(("where = \"soort = 'haag'\"", "where = \"soort = 'geen_haag'\""))
               + FAST_RENDER)
    proc = case.run("--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    assert lt.warning_lines(proc.stderr), proc.stderr
    assert "0...10...20" not in proc.stderr


def test_run_output_relative_to_config(case):
    """Without --out, run.output resolves against the TOML file's folder, not the cwd."""
    case.write(variant(('measurement_year = 2024\n',
                        'measurement_year = 2024\noutput = "results/run1"\n')) + FAST_RENDER)
    elsewhere = case.tmp / "elsewhere"
    elsewhere.mkdir()
    proc = case.run_landel("run", str(case.cfg), cwd=elsewhere)
    assert proc.returncode == 0, lt.describe(proc)
    assert (case.tmp / "results" / "run1" / "area_bid.csv").is_file()
    assert not (elsewhere / "results").exists()


# --------------------------------------------------------------------------- more awkward input

def test_corrupt_geopackage(case):
    bad = case.data / "corrupt.gpkg"
    bad.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)  # a header, then garbage
    case.write(variant(('path = "data/landscape.gpkg"\nlayer = "bebouwing"',
                        'path = "data/corrupt.gpkg"\nlayer = "bebouwing"')))
    proc = case.run()
    assert_error(proc, case.out, "corrupt.gpkg")


def test_empty_file_as_source(case):
    (case.data / "empty.gpkg").write_bytes(b"")
    case.write(variant(('path = "data/landscape.gpkg"\nlayer = "bebouwing"',
                        'path = "data/empty.gpkg"\nlayer = "bebouwing"')))
    proc = case.run()
    assert_error(proc, case.out, "empty.gpkg")


def test_huge_coordinates_are_an_error_or_measured_exactly(case):
    """A feature 1e12 m away: outside every area, so it is not measured; the run still works
    and the element source's figures are unchanged."""
    far = case.data / "far.gpkg"
    lt.write_vector(far, "far", ogr.wkbPolygon, [("POLYGON((1e12 1e12,1e12+10 1e12,1e12 1e12+10,1e12 1e12))"
                                                  .replace("1e12+10", "1000000000010"), {})])
    case.write(variant(('[types]\norder = ["pond", "hedge", "solitary_tree"]',
                        f'[[elements]]\npath = "{far}"\nlayer = "far"\ntype = "small_wood"\n\n'
                        '[types]\norder = ["pond", "hedge", "solitary_tree", "small_wood"]'))
               + FAST_RENDER)
    proc = case.run()
    assert proc.returncode == 0, lt.describe(proc)
    _, rows, _ = lt.read_csv(case.out / "area_bid.csv")
    assert all(lt.num(r["ha_small_wood"]) == 0.0 for r in rows)
    # The source meets no rural land: a warning names it.
    assert any("far.gpkg" in w for w in lt.warning_lines(proc.stderr)), proc.stderr


def test_unreadable_catalogue_is_named(case):
    case.write(BASE + '\n[bid]\ncosts = "data/no_costs.csv"\n')
    proc = case.run()
    assert_error(proc, case.out, "no_costs.csv", "bid.costs")


# --------------------------------------------------------------------------- rasters and
# unreadable sources (issue 7: the catalogue in one place)

RASTER_ORDER = ('order = ["pond", "hedge", "solitary_tree"]',
                'order = ["pond", "hedge", "solitary_tree", "small_wood"]')
RASTER_NORTH_UP = (140000.0, 5.0, 0.0, 431600.0, 0.0, -5.0)  # 5 m cells over the sample
RASTER_SHAPE = (320, 480)  # rows, cols: the whole sample (2400 x 1600 m)


def _raster_source(path, classes='{ 41 = "small_wood" }', extra=""):
    """An edit adding a raster element source before [types]."""
    return ("[types]", f'[[elements]]\npath = "{path}"\nclasses = {classes}\n{extra}\n[types]')


def _write_tif(path, array, geotransform, epsg=28992, nodata=255):
    array = np.asarray(array, dtype=np.uint8)
    ds = gdal.GetDriverByName("GTiff").Create(str(path), array.shape[1], array.shape[0], 1,
                                              gdal.GDT_Byte)
    ds.SetGeoTransform(tuple(geotransform))
    ref = osr.SpatialReference()
    ref.ImportFromEPSG(epsg)
    ds.SetProjection(ref.ExportToWkt())
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(nodata)
    band.WriteArray(array)
    ds = None
    return Path(path)


def _woods_array(shape=RASTER_SHAPE):
    """0 everywhere, a 100 x 100 cell block of class 41 (small wood) in the middle."""
    a = np.zeros(shape, dtype=np.uint8)
    r, c = shape[0] // 2 - 50, shape[1] // 2 - 50
    a[r:r + 100, c:c + 100] = 41
    return a


# the same 5 m kind of raster in ETRS89-LAEA (EPSG:3035), covering the sample with a margin
LAEA_NORTH_UP = (3988300.0, 5.0, 0.0, 3207000.0, 0.0, -5.0)
LAEA_SHAPE = (400, 560)


def test_truncated_geotiff(case):
    """A GeoTIFF cut in half: GDAL opens it (the header is at the start), reading the cells
    fails. The error names the raster."""
    full = _write_tif(case.data / "full.tif", _woods_array(), RASTER_NORTH_UP)
    data = full.read_bytes()
    (case.data / "half.tif").write_bytes(data[:len(data) // 2])
    case.write(variant(RASTER_ORDER, _raster_source("data/half.tif")))
    proc = case.run()
    assert_error(proc, case.out, "half.tif")


def test_truncated_geotiff_guard_full_file_runs(case):
    """The counterpart: the same raster, whole, runs; its class block lies inside rural land
    of some area, so the truncation above is what fails."""
    _write_tif(case.data / "full.tif", _woods_array(), RASTER_NORTH_UP)
    case.write(variant(RASTER_ORDER, _raster_source("data/full.tif")) + FAST_RENDER)
    proc = case.run("--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    _, rows, _ = lt.read_csv(case.out / "area_bid.csv")
    assert sum(lt.num(r["ha_small_wood"]) for r in rows) > 0


def _unreadable_directory(case):
    (case.data / "folder.gpkg").mkdir()
    return "data/folder.gpkg", "folder.gpkg"


def _unreadable_garbage_tif(case):
    (case.data / "garbage.tif").write_bytes(bytes(range(256)) * 64)
    return "data/garbage.tif", "garbage.tif"


def _unreadable_garbage_gpkg(case):
    (case.data / "garbage.gpkg").write_bytes(b"this is not a GeoPackage\n" * 500)
    return "data/garbage.gpkg", "garbage.gpkg"


def _unreadable_no_permission(case):
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not stop reading")
    locked = case.data / "locked.gpkg"
    shutil.copyfile(case.gpkg, locked)
    locked.chmod(0)
    return "data/locked.gpkg", "locked.gpkg"


@pytest.mark.parametrize("make", [_unreadable_directory, _unreadable_garbage_tif,
                                  _unreadable_garbage_gpkg, _unreadable_no_permission],
                         ids=["directory", "garbage-tif", "garbage-gpkg", "chmod-000"])
def test_unreadable_source(case, make):
    path, name = make(case)
    if name.endswith(".tif"):  # as a raster element source
        case.write(variant(RASTER_ORDER, _raster_source(path)))
    else:  # as the vector mask
        case.write(variant(('path = "data/landscape.gpkg"\nlayer = "bebouwing"',
                            f'path = "{path}"\nlayer = "bebouwing"')))
    proc = case.run()
    assert_error(proc, case.out, name)


def test_raster_in_another_crs_without_resample(case):
    """A raster in ETRS89-LAEA (EPSG:3035) in an RD New run, no `resample`: an error naming
    the raster and both CRSs."""
    _write_tif(case.data / "laea.tif", _woods_array(LAEA_SHAPE), LAEA_NORTH_UP, epsg=3035)
    case.write(variant(RASTER_ORDER, _raster_source("data/laea.tif")))
    proc = case.run()
    line = assert_error(proc, case.out, "laea.tif")
    assert "3035" in line or "LAEA" in line, line
    assert "28992" in line or "RD New" in line, line


def test_raster_in_another_crs_with_resample_runs(case):
    """The counterpart: `resample = "nearest"` warps it; the summary says so."""
    _write_tif(case.data / "laea.tif", _woods_array(LAEA_SHAPE), LAEA_NORTH_UP, epsg=3035)
    case.write(variant(RASTER_ORDER, _raster_source("data/laea.tif",
                                                    extra='resample = "nearest"\n')) + FAST_RENDER)
    proc = case.run("--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    summary = json.loads((case.out / "summary.json").read_text(encoding="utf-8"))
    warped = [w for w in summary["warnings"] if "laea.tif" in w and re.search(r"warp", w, re.I)]
    assert len(warped) == 1 and "3035" in warped[0] and "shift" in warped[0], summary["warnings"]
    assert summary["totals"]["ha_small_wood"] > 0, summary["totals"]


def test_rotated_raster(case):
    _write_tif(case.data / "rotated.tif", _woods_array(),
               (140000.0, 5.0, 0.25, 431600.0, 0.25, -5.0))
    case.write(variant(RASTER_ORDER, _raster_source("data/rotated.tif")))
    proc = case.run()
    line = assert_error(proc, case.out, "rotated.tif")
    assert re.search(r"rotat|skew|shear|north.up", line, re.I), line


def test_nodata_only_raster(case):
    _write_tif(case.data / "nodata.tif", np.full(RASTER_SHAPE, 255, dtype=np.uint8),
               RASTER_NORTH_UP, nodata=255)
    case.write(variant(RASTER_ORDER, _raster_source("data/nodata.tif")))
    proc = case.run()
    line = assert_error(proc, case.out, "nodata.tif")
    assert "nodata" in line.replace("nodata.tif", ""), line


def test_raster_class_type_not_in_types_order(case):
    """A raster class maps to a type that [types] order leaves out."""
    _write_tif(case.data / "woods.tif", _woods_array(), RASTER_NORTH_UP)
    case.write(variant(_raster_source("data/woods.tif", classes='{ 41 = "small_wood" }')))
    proc = case.run()
    line = assert_error(proc, case.out, "small_wood", "order")
    assert_line_ref(line, case.line('order = ["pond", "hedge", "solitary_tree"]'))


# --------------------------------------------------------------------------- type definitions

@pytest.mark.parametrize("edit,culprit", [
    (('type = "hedge"\n', 'type = "hedge"\ntype = "pond"\n'), "type"),
    (('type = "hedge"\n', 'type_field = "soort"\ntypes = { haag = "hedge", haag = "pond" }\n'),
     "haag"),
    (('type = "hedge"\n', 'type = "hedge"\ntype_field = "soort"\ntypes = { haag = "hedge" }\n'),
     "type_field"),
], ids=["type-key-twice", "types-value-twice", "type-and-type_field"])
def test_type_defined_twice(case, edit, culprit):
    """A source's type given twice (a repeated TOML key, a repeated class in `types`, or both
    `type` and `type_field`): an error naming the config line."""
    case.write(variant(edit))
    proc = case.run()
    line = assert_error(proc, case.out, culprit)
    second = edit[1].splitlines()[1]
    assert_line_ref(line, case.line(second) if culprit != "type_field"
                    else lt.section_line(case.text, case.line(second)))


def test_types_table_twice(case):
    case.write(BASE + '\n[types]\norder = ["pond"]\n')
    proc = case.run()
    line = assert_error(proc, case.out, "types")
    assert_line_ref(line, case.line("[types]", occurrence=2))


# --------------------------------------------------------------------------- warnings with numbers

def _warnings_naming(proc, *needles):
    return [w for w in lt.warning_lines(proc.stderr) if all(n in w for n in needles)]


def _assert_matches_independent(case, rows, fields=("area_ha", "rural_ha", "element_ha")):
    """Every area's figures equal the shapely re-computation (6-decimal CSV rounding)."""
    want = lt.independent_measure(case.cfg)
    assert sorted(r["area_id"] for r in rows) == sorted(want)
    for r in rows:
        w = want[r["area_id"]]
        for f in fields:
            assert abs(lt.num(r[f]) - getattr(w, f)) <= 1e-6 + 1e-9 * getattr(w, f), \
                (r["area_id"], f, r[f], getattr(w, f))
        for t, v in w.ha.items():
            assert abs(lt.num(r[f"ha_{t}"]) - v) <= 1e-6, (r["area_id"], t, r[f"ha_{t}"], v)
    return want


def test_empty_layer_is_a_warning(case):
    """An element layer without features: a warning naming it, its type's columns 0, the rest
    measured as usual."""
    empty = case.tmp / "leeg.gpkg"
    lt.write_vector(empty, "hagen", ogr.wkbLineString, [], fields=[("breedte", ogr.OFTReal)])
    case.write(variant(('path = "data/landscape.gpkg"\nlayer = "lijnelementen"\n'
                        'where = "soort = \'haag\'"\n',
                        'path = "leeg.gpkg"\nlayer = "hagen"\n')) + FAST_RENDER)
    proc = case.run("--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    assert lt.error_lines(proc.stderr) == []
    assert _warnings_naming(proc, "leeg.gpkg"), proc.stderr
    header, rows, _ = lt.read_csv(case.out / "area_bid.csv")
    assert lt.measured_columns(header) == lt.expected_columns(case.cfg, lt.load_toml(case.cfg))
    assert len(rows) == 7
    for r in rows:
        assert lt.num(r["ha_hedge"]) == 0.0 and lt.num(r["hedge_m"]) == 0.0, r
    _assert_matches_independent(case, rows)


def test_empty_rural_exclude_is_a_warning(case):
    """A mask layer without features excludes nothing: a warning naming it, excl_built_ha 0
    and rural_ha = area_ha."""
    empty = case.tmp / "leeg.gpkg"
    lt.write_vector(empty, "bebouwing", ogr.wkbPolygon, [])
    case.write(variant(('path = "data/landscape.gpkg"\nlayer = "bebouwing"',
                        'path = "leeg.gpkg"\nlayer = "bebouwing"')) + FAST_RENDER)
    proc = case.run("--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    assert _warnings_naming(proc, "leeg.gpkg"), proc.stderr
    _, rows, _ = lt.read_csv(case.out / "area_bid.csv")
    for r in rows:
        assert lt.num(r["excl_built_ha"]) == 0.0, r
        assert r["rural_ha"] == r["area_ha"], r
    _assert_matches_independent(case, rows)


def _overlap_pairs(geoms):
    """[(id_i, id_j)] in input order whose interiors meet in two dimensions."""
    ids = list(geoms)
    pairs = []
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if geoms[a].relate_pattern(geoms[b], "2********"):
                pairs.append((a, b))
    return pairs


def test_overlapping_given_areas_warn(case):
    """G04 enlarged to 900 x 850 m, into G05, G01 and G02: each area measured on its own, a
    warning naming the pairs, summary.json totals marked "additive": false."""
    _edit_area(case.gpkg, "G04",
               wkt="POLYGON ((140000 430000, 140900 430000, 140900 430850, 140000 430850, "
                   "140000 430000))")
    geoms = {f.attrs["code"]: lt.repair(f.geom)
             for f in lt.read_features(case.gpkg, "gebieden")}
    pairs = _overlap_pairs(geoms)
    assert ("G01", "G04") in pairs and ("G04", "G05") in pairs, pairs
    case.write(BASE + FAST_RENDER)
    proc = case.run("--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    warned = _warnings_naming(proc, "overlap")
    assert len(warned) == 1, proc.stderr
    named = set(re.findall(r"\b(G\d\d)/(G\d\d)\b", warned[0]))
    assert named == set(pairs), (warned[0], pairs)
    assert "additive" in warned[0], warned[0]
    summary = json.loads((case.out / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"]["additive"] is False, summary["totals"]
    assert any("overlap" in str(w) for w in summary["warnings"]), summary["warnings"]
    _, rows, _ = lt.read_csv(case.out / "area_bid.csv")
    by_id = {r["area_id"]: r for r in rows}
    assert abs(lt.num(by_id["G04"]["area_ha"]) - 900 * 850 / 1e4) <= 1e-6
    _assert_matches_independent(case, rows)


WOODS_OUTSIDE = [
    "POLYGON ((143000 430000, 143100 430000, 143100 430100, 143000 430100, 143000 430000))",
    "POLYGON ((140000 429000, 140100 429000, 140100 429100, 140000 429100, 140000 429000))",
]


def test_elements_outside_the_study_area_warn(case):
    """A source whose every element lies outside the study area (the areas' union): a warning
    naming it, its type's column 0."""
    lt.write_vector(case.tmp / "buiten.gpkg", "bosjes", ogr.wkbPolygon,
                    [(w, {}) for w in WOODS_OUTSIDE])
    case.write(variant(RASTER_ORDER, ("[types]", '[[elements]]\npath = "buiten.gpkg"\n'
                                                 'type = "small_wood"\n\n[types]')) + FAST_RENDER)
    proc = case.run("--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    assert _warnings_naming(proc, "buiten.gpkg"), proc.stderr
    _, rows, _ = lt.read_csv(case.out / "area_bid.csv")
    assert all(lt.num(r["ha_small_wood"]) == 0.0 for r in rows)
    _assert_matches_independent(case, rows)


def test_elements_outside_a_given_study_area_warn(case):
    """[study_area] is the north half (G01-G03); the source's woods lie in G04/G05 only:
    a warning naming the source, small_wood 0 everywhere; the southern areas are clipped
    away (0 ha, with their own warning)."""
    woods = ["POLYGON ((140300 430300, 140400 430300, 140400 430400, 140300 430400, "
             "140300 430300))",
             "POLYGON ((141100 430400, 141150 430400, 141150 430450, 141100 430450, "
             "141100 430400))"]
    lt.write_vector(case.tmp / "zuid.gpkg", "bosjes", ogr.wkbPolygon, [(w, {}) for w in woods])
    text = variant(RASTER_ORDER, ("[types]", '[[elements]]\npath = "zuid.gpkg"\n'
                                             'type = "small_wood"\n\n[types]'),
                   ('[areas]\n', '[study_area]\npath = "data/landscape.gpkg"\n'
                                 'layer = "gebieden"\nwhere = "code IN (\'G01\', \'G02\', '
                                 '\'G03\')"\n\n[areas]\n'))
    case.write(text + FAST_RENDER)
    proc = case.run("--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    assert _warnings_naming(proc, "zuid.gpkg"), proc.stderr
    outside = _warnings_naming(proc, "outside the study area")
    assert outside and all(a in outside[0] for a in ("G04", "G05", "G06", "G07")), proc.stderr
    _, rows, _ = lt.read_csv(case.out / "area_bid.csv")
    assert all(lt.num(r["ha_small_wood"]) == 0.0 for r in rows)
    _assert_matches_independent(case, rows)
    for r in rows:
        if r["area_id"] in ("G04", "G05", "G06", "G07"):
            assert lt.num(r["area_ha"]) == 0.0, r


def _ogr_repair_areas(wkt):
    """(area before, area after GEOS make-valid with the structure method), via OGR."""
    g = ogr.CreateGeometryFromWkt(wkt)
    gdal.PushErrorHandler("CPLQuietErrorHandler")  # GEOS notes the self-intersection
    try:
        assert not g.IsValid()
    finally:
        gdal.PopErrorHandler()
    fixed = g.MakeValid(["METHOD=STRUCTURE"])
    return g.GetArea(), fixed.GetArea()


BOWTIE_G04 = ("POLYGON ((140100 430100, 140700 430700, 140700 430300, 140100 430700, "
              "140100 430100))")
# a square with a tiny lobe at its south-west corner: the closing edge crosses the first one
SMALL_LOOP_G04 = ("POLYGON ((140100 430100, 140700 430100, 140700 430700, 140100 430700, "
                  "140102 430090, 140098 430090, 140100 430100))")


def test_bowtie_area_repaired_and_named(case):
    """A given area that is a bow-tie: repaired (make-valid, structure), counted, and — its
    area changing by more than 1% — named in a warning with the change."""
    before, after = _ogr_repair_areas(BOWTIE_G04)
    change = 100.0 * abs(after - before) / before
    assert change > 1.0
    _edit_area(case.gpkg, "G04", wkt=BOWTIE_G04)
    case.write(BASE + FAST_RENDER)
    proc = case.run("--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    named = _warnings_naming(proc, "G04", "repair")
    assert len(named) == 1, proc.stderr
    assert f"{change:.3g}%" in named[0], (named[0], change)
    summary = json.loads((case.out / "summary.json").read_text(encoding="utf-8"))
    areas_key = [k for k in summary["repaired_geometries"] if "areas.layers" in k]
    assert len(areas_key) == 1 and summary["repaired_geometries"][areas_key[0]] == 1, \
        summary["repaired_geometries"]
    _, rows, _ = lt.read_csv(case.out / "area_bid.csv")
    g04 = next(r for r in rows if r["area_id"] == "G04")
    assert abs(lt.num(g04["area_ha"]) - after / 1e4) <= 1e-6, (g04["area_ha"], after)
    _assert_matches_independent(case, rows)


def test_self_intersecting_area_repaired_small_change(case):
    """A given area with a small self-intersecting lobe: repaired and counted with a warning,
    but not named (its area changes by less than 1%)."""
    before, after = _ogr_repair_areas(SMALL_LOOP_G04)
    assert 0 < abs(after - before) / before < 0.01
    _edit_area(case.gpkg, "G04", wkt=SMALL_LOOP_G04)
    case.write(BASE + FAST_RENDER)
    proc = case.run("--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    warnings = lt.warning_lines(proc.stderr)
    assert any(re.search(r"1 invalid geometr(y|ies) repaired", w) for w in warnings), warnings
    assert not _warnings_naming(proc, "G04"), warnings
    summary = json.loads((case.out / "summary.json").read_text(encoding="utf-8"))
    assert sum(summary["repaired_geometries"].values()) == 1, summary["repaired_geometries"]
    _, rows, _ = lt.read_csv(case.out / "area_bid.csv")
    g04 = next(r for r in rows if r["area_id"] == "G04")
    assert abs(lt.num(g04["area_ha"]) - after / 1e4) <= 1e-6, (g04["area_ha"], after)
    _assert_matches_independent(case, rows)


def test_raster_not_covering_areas_warns(case):
    """A raster element source covering only the north half (y >= 430800): a warning naming
    every area it does not cover whole; outside its extent is neither rural land nor element:
    nodata_ha = (area - extent) - masks and rural_ha = area - (masks | outside)."""
    rows = 160
    _write_tif(case.data / "north.tif", _woods_array((rows, RASTER_SHAPE[1])), RASTER_NORTH_UP)
    case.write(variant(RASTER_ORDER, _raster_source("data/north.tif")) + FAST_RENDER)
    proc = case.run("--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    x0, _, _, y1, _, dy = RASTER_NORTH_UP
    extent = box(x0, y1 + rows * dy, x0 + RASTER_SHAPE[1] * 5.0, y1)
    areas = {f.attrs["code"]: lt.repair(f.geom) for f in lt.read_features(case.gpkg, "gebieden")}
    masks = unary_union([lt.repair(f.geom) for f in lt.read_features(case.gpkg, "bebouwing")])
    uncovered = sorted(a for a, g in areas.items() if g.difference(extent).area > 0)
    assert "G01" in uncovered and "G04" in uncovered, uncovered
    warned = _warnings_naming(proc, "north.tif")
    assert warned, proc.stderr
    named = set(re.findall(r"\bG\d\d\b", " ".join(warned)))
    assert named == set(uncovered), (warned, uncovered)
    _, out_rows, _ = lt.read_csv(case.out / "area_bid.csv")
    for r in out_rows:
        g = areas[r["area_id"]]
        outside = g.difference(extent)
        want_nodata = outside.difference(masks).area / 1e4
        want_rural = g.difference(unary_union([masks, outside])).area / 1e4
        assert abs(lt.num(r["nodata_ha"]) - want_nodata) <= 1e-6, (r["area_id"], want_nodata)
        assert abs(lt.num(r["rural_ha"]) - want_rural) <= 1e-6, (r["area_id"], want_rural)
        assert abs(lt.num(r["area_ha"]) - g.area / 1e4) <= 1e-6
