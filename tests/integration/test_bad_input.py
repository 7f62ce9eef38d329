"""Bad inputs: every one is a clean failure (CONTRACT.md 'Errors and warnings',
docs/INTERFACE-NOTES.md):

  * exit code 1 (2 only for command-line usage errors),
  * exactly one stderr line starting 'landel: error: ' that names the culprit,
  * no output folder afterwards and no '<out>.tmp*' folder beside it (an output folder that
    existed before is left untouched).

A few cases are warnings instead: the run succeeds (exit 0) with a 'landel: warning:' line.
`landel validate` reports the same errors for config-level cases.
"""

import hashlib
import json
import math
import re
import shutil
from pathlib import Path

import pytest
from osgeo import ogr

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
    assert proc.returncode == code, info
    errors = lt.error_lines(proc.stderr)
    assert len(errors) == 1, f"expected exactly one '{lt.ERROR_PREFIX}' line\n{info}"
    line = errors[0]
    print(f"\n    {line}")
    for c in culprits:
        assert c in line, f"error line does not name {c!r}: {line}"
    if any_of:
        assert any(a in line for a in any_of), f"error line names none of {any_of}: {line}"
    if out is not None:
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
                        'path = "nocrs/hagen_zonder_crs.shp"\nassume_crs = "EPSG:28992"\n')))
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
    case.write(BASE)
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
    assert_error(proc, case.tmp / "blocker" / "result", "blocker/result", out_existed=True)
    assert (case.tmp / "blocker").read_text(encoding="utf-8") == "a file, not a folder\n"


# --------------------------------------------------------------------------- usage errors

@pytest.mark.parametrize("args", [["run"], ["run", "x.toml", "--threads", "many"],
                                  ["run", "x.toml", "--no-such-option"], ["frobnicate"]],
                         ids=["no-config", "bad-threads", "unknown-option", "unknown-command"])
def test_usage_errors_exit_2(case, args):
    proc = case.run_landel(*args, cwd=case.tmp)
    assert proc.returncode == 2, lt.describe(proc)
    assert proc.stderr.strip(), "a usage error says what is wrong"


# --------------------------------------------------------------------------- warnings

def test_where_selecting_nothing_is_a_warning(case):
    case.write(variant(("where = \"soort = 'haag'\"", "where = \"soort = 'geen_haag'\"")))
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
                        'type = "small_wood"\nmax_patch_ha = 1.5\n\n[types]')))
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
    vline = assert_error(vproc, None, *culprits)
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
    case.write(variant(("where = \"soort = 'haag'\"", "where = \"soort = 'geen_haag'\"")))
    proc = case.run("--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    assert lt.warning_lines(proc.stderr), proc.stderr
    assert "0...10...20" not in proc.stderr


def test_run_output_relative_to_config(case):
    """Without --out, run.output resolves against the TOML file's folder, not the cwd."""
    case.write(variant(('measurement_year = 2024\n',
                        'measurement_year = 2024\noutput = "results/run1"\n')))
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
                        '[types]\norder = ["pond", "hedge", "solitary_tree", "small_wood"]')))
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
