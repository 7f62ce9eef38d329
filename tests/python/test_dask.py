"""landel.dask on a LocalCluster with 2 workers: the run is split into several pieces, and the
merged outputs give the same area_bid.csv as `landel run` (the separate binary) on the same
config — byte for byte, so to far better than 1e-9 relative — including a wood patch that
exceeds max_patch_ha only when its parts, lying in areas of different pieces, are added up."""

import json
import os
import subprocess
from pathlib import Path

import pytest

landel = pytest.importorskip("landel")
pytest.importorskip("distributed")  # the client fixture (conftest.py) needs it
from osgeo import gdal, ogr, osr  # noqa: E402

import landel.dask  # noqa: E402

X0, Y0 = 150000.0, 450000.0


def square(x0, y0, x1, y1):
    return ogr.CreateGeometryFromWkt(f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))")


def write_layer(ds, name, rows, fields=()):
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(28992)
    lyr = ds.CreateLayer(name, srs, ogr.wkbPolygon)
    for f in fields:
        lyr.CreateField(ogr.FieldDefn(f, ogr.OFTString))
    for values, geom in rows:
        feat = ogr.Feature(lyr.GetLayerDefn())
        for k, v in values.items():
            feat.SetField(k, v)
        feat.SetGeometry(geom)
        lyr.CreateFeature(feat)


def given_areas_config(name, gpkg, sources):
    """A config of the areas in layer `areas` (id_field `code`) of `gpkg`, with the TOML
    `sources` (masks and elements) and no area maps."""
    return f"""
[run]
name = "{name}"
measurement_year = 2024

[areas]
method = "given"

[[areas.layers]]
path = "{gpkg.name}"
layer = "areas"
id_field = "code"
{sources}
[render]
max_area_maps = 0
dpi = 72
"""


@pytest.fixture(scope="module")
def patch_case(tmp_path_factory):
    """Four 100 m x 100 m areas in a row, A..D. One wood straddles the A|B border as two
    polygons of 0.5 ha sharing an edge (a 1 ha patch: over max_patch_ha = 0.8, dropped); a
    0.08 ha wood in C and a 0.6 ha wood in D stay."""
    folder = tmp_path_factory.mktemp("dask")
    gpkg = folder / "case.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(gpkg))
    write_layer(ds, "areas", [({"code": c}, square(X0 + 100 * i, Y0, X0 + 100 * (i + 1), Y0 + 100))
                              for i, c in enumerate("ABCD")], ["code"])
    write_layer(ds, "woods", [
        ({}, square(X0 + 50, Y0, X0 + 100, Y0 + 100)),          # A, half of the patch
        ({}, square(X0 + 100, Y0, X0 + 150, Y0 + 100)),         # B, the other half
        ({}, square(X0 + 210, Y0 + 10, X0 + 220, Y0 + 90)),    # C: 10 m x 80 m = 0.08 ha
        ({}, square(X0 + 310, Y0, X0 + 370, Y0 + 100)),         # D: 0.6 ha
    ])
    ds = None
    cfg = folder / "case.toml"
    cfg.write_text(given_areas_config("Patch across pieces", gpkg, f"""
[[elements]]
path = "{gpkg.name}"
layer = "woods"
type = "small_wood"
max_patch_ha = 0.8
"""), encoding="utf-8")
    return cfg


def cli(landel_bin, cfg, out):
    subprocess.run([str(landel_bin), "run", str(cfg), "--out", str(out), "-q"], check=True, capture_output=True)
    return out


def test_plan_splits_the_patch_over_pieces(patch_case):
    plan = landel.dask.plan(patch_case, 4)
    assert sorted(p for piece in plan for p in piece) == [0, 1, 2, 3]
    assert len(plan) == 4, "four areas, four pieces"


def test_dask_run_equals_landel_run(patch_case, client, landel_bin, tmp_path):
    reference = cli(landel_bin, patch_case, tmp_path / "cli")
    result = landel.dask.run(patch_case, client, out=tmp_path / "dask", pieces=4)
    assert result.pieces == 4
    for name in ("area_bid.csv", "bid_phasing.csv"):
        assert (result.output / name).read_bytes() == (reference / name).read_bytes(), name
    table = result.table.set_index("area_id")
    # The patch is judged whole: 1 ha > 0.8 ha, so neither half counts, though each half
    # alone (0.5 ha, all its piece holds) would pass.
    assert table.loc["A", "ha_small_wood"] == 0.0
    assert table.loc["B", "ha_small_wood"] == 0.0
    assert table.loc["C", "ha_small_wood"] == pytest.approx(0.08, abs=1e-9)
    assert table.loc["D", "ha_small_wood"] == pytest.approx(0.6, abs=1e-9)
    assert not any("selects no element" in w for w in result.warnings)
    assert not any("pieces" in w for w in result.warnings), "nothing is left out in pieces"
    assert_same_density(result.output, reference)
    assert_same_summary(result.output, reference)
    assert_same_rural_land(result.output, reference)


def assert_same_rural_land(merged, reference):
    """The rural_land layer of the merge (each piece's areas' rural land, carried in the
    partial results) equals landel run's: the same rows, figures and geometry, bit for bit."""
    assert_same_rural_land_of(merged, reference, 4)


def assert_same_summary(merged, reference):
    """summary.json of the merge equals landel run's but for the timings (per piece), the
    thread count, the pieces (what each read) and the order of the warnings (a piece's warnings come together): the same
    inputs, sources with their feature and repair counts (the areas' added up over the
    pieces), warnings, totals and outputs."""
    a = json.loads((merged / "summary.json").read_text(encoding="utf-8"))
    b = json.loads((reference / "summary.json").read_text(encoding="utf-8"))
    for key in ("timings_s", "threads"):
        a.pop(key), b.pop(key)
    assert "pieces" not in b and len(a.pop("pieces")) >= 1, "only a merged run names its pieces"
    assert sorted(a.pop("warnings")) == sorted(b.pop("warnings"))
    assert a == b


def assert_same_density(merged, reference):
    """element_density.tif of the merge, computed over all areas, equals landel run's: the
    same grid and every cell's value bit for bit (cells on the A|B border and inside the
    patch take their shares from areas of different pieces)."""
    a = gdal.Open(str(merged / "element_density.tif"))
    b = gdal.Open(str(reference / "element_density.tif"))
    assert a.GetGeoTransform() == b.GetGeoTransform()
    assert (a.RasterXSize, a.RasterYSize) == (b.RasterXSize, b.RasterYSize)
    va, vb = a.GetRasterBand(1).ReadAsArray(), b.GetRasterBand(1).ReadAsArray()
    assert va.tobytes() == vb.tobytes()
    assert (va > 0).any(), "the case has elements"


def variant_of(patch_case, tmp_path, name, edit, extra_toml=""):
    """A copy of the patch case as NAME.gpkg/NAME.toml, its GeoPackage changed by
    edit(datasource) and extra_toml appended to its config. Returns the config path."""
    case = tmp_path / f"{name}.gpkg"
    case.write_bytes((Path(patch_case).parent / "case.gpkg").read_bytes())
    ds = ogr.Open(str(case), 1)
    edit(ds)
    ds = None
    cfg = tmp_path / f"{name}.toml"
    text = Path(patch_case).read_text(encoding="utf-8")
    cfg.write_text(text.replace('path = "case.gpkg"', f'path = "{name}.gpkg"') + extra_toml, encoding="utf-8")
    return cfg


def run_both(cfg, client, landel_bin, tmp_path, pieces):
    """landel run and landel.dask.run (split into `pieces`) on cfg: (reference folder, Result),
    with area_bid.csv byte-identical."""
    reference = cli(landel_bin, cfg, tmp_path / "cli")
    result = landel.dask.run(cfg, client, out=tmp_path / "dask", pieces=pieces)
    assert result.pieces == pieces
    assert (result.output / "area_bid.csv").read_bytes() == (reference / "area_bid.csv").read_bytes()
    return reference, result


def test_overlaps_between_pieces_are_found(patch_case, client, landel_bin, tmp_path):
    """Area X overlaps B and C, which lie in other pieces: the merge finds both overlaps over
    all areas, as landel run does (same warning, summary totals not additive)."""
    def add_x(ds):
        lyr = ds.GetLayerByName("areas")
        feat = ogr.Feature(lyr.GetLayerDefn())
        feat.SetField("code", "X")
        feat.SetGeometry(square(X0 + 150, Y0 + 20, X0 + 250, Y0 + 80))
        lyr.CreateFeature(feat)

    cfg = variant_of(patch_case, tmp_path, "overlap", add_x)
    reference, result = run_both(cfg, client, landel_bin, tmp_path, pieces=5)
    expected = json.loads((reference / "summary.json").read_text(encoding="utf-8"))
    overlap = [w for w in expected["warnings"] if "overlapping areas" in w]
    assert len(overlap) == 1 and "B/X" in overlap[0] and "C/X" in overlap[0], overlap
    assert [w for w in result.summary["warnings"] if "overlapping areas" in w] == overlap
    assert result.summary["totals"]["additive"] is False
    assert_same_density(result.output, reference)
    assert_same_summary(result.output, reference)


def test_dask_run_of_the_sample_equals_landel_run(client, landel_bin, tmp_path, repo_root):
    cfg = repo_root / "data" / "samples" / "polder" / "landel.toml"
    reference = cli(landel_bin, cfg, tmp_path / "cli")
    result = landel.dask.run(cfg, client, out=tmp_path / "dask")
    assert result.pieces >= 2
    assert (result.output / "area_bid.csv").read_bytes() == (reference / "area_bid.csv").read_bytes()
    assert_same_density(result.output, reference)
    assert_same_summary(result.output, reference)


def test_catchments_are_delineated_once_for_all_pieces(client, landel_bin, tmp_path, repo_root):
    """The sample's catchment run on Dask: the areas are made in one task and every piece
    takes them from it (no piece reads the DEM), with landel run's outputs."""
    cfg = repo_root / "data" / "samples" / "polder" / "landel-catchments.toml"
    reference = cli(landel_bin, cfg, tmp_path / "cli")
    result = landel.dask.run(cfg, client, out=tmp_path / "dask", pieces=3)
    assert result.pieces == 3
    assert (result.output / "area_bid.csv").read_bytes() == (reference / "area_bid.csv").read_bytes()
    assert_same_summary(result.output, reference)
    assert "hoogte_5m.tif" in (result.output / "summary.json").read_text(encoding="utf-8")

    # The pieces themselves, without the DEM: they take the areas made beforehand.
    from landel import _landel as engine
    case = tmp_path / "case"
    case.mkdir()
    for f in (repo_root / "data" / "samples" / "polder").iterdir():
        if f.is_file():
            (case / f.name).write_bytes(f.read_bytes())
    text = cfg.read_text(encoding="utf-8")
    path = str(case / cfg.name)
    made = engine.delineate_for_pieces(text, path, 0)
    assert made, "catchments are delineated for the pieces"
    assert engine.delineate_for_pieces((repo_root / "data" / "samples" / "polder" / "landel.toml")
                                       .read_text(encoding="utf-8"), path, 0) == b"", "given areas"
    (case / "hoogte_5m.tif").unlink()
    plan = engine.plan_pieces(text, path, 3, made)
    assert sorted(p for piece in plan for p in piece) == list(range(sum(len(p) for p in plan)))
    partials = [engine.measure_piece(text, path, piece, 1, [], b"", made) for piece in plan]
    assert all(partials)
    with pytest.raises(Exception, match="hoogte_5m.tif"):
        engine.plan_pieces(text, path, 3)  # without them, the DEM is needed
    with pytest.raises(Exception, match="not areas delineated for pieces of landel"):
        engine.measure_piece(text, path, plan[0], 1, [], b"", b"not cbor")


def test_an_error_of_the_delineation_task_keeps_its_type(client, tmp_path, repo_root):
    cfg = repo_root / "data" / "samples" / "polder" / "landel-catchments.toml"
    text = cfg.read_text(encoding="utf-8").replace('path = "hoogte_5m.tif"', 'path = "nothere.tif"')
    broken = tmp_path / "broken.toml"
    broken.write_text(text.replace('path = "landscape.gpkg"',
                                   f'path = "{repo_root / "data" / "samples" / "polder" / "landscape.gpkg"}"'),
                      encoding="utf-8")
    with pytest.raises(landel.InputOutputError, match="nothere.tif"):
        landel.dask.run(broken, client, out=tmp_path / "out", pieces=2)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("pieces", [2, 4])
def test_sample_with_siting_in_pieces_equals_landel_run(client, landel_bin, tmp_path, repo_root,
                                                        pieces):
    """[siting] in pieces: the network, the connected line ends (counted while measuring, so
    each piece counts its own areas' ends) and the candidate sites, edges and corners, are
    those of landel run, byte for byte."""
    sample = repo_root / "data" / "samples" / "polder"
    text = (sample / "landel.toml").read_text(encoding="utf-8")
    text = text.replace('path = "landscape.gpkg"', f'path = "{sample / "landscape.gpkg"}"')
    cfg = tmp_path / "siting.toml"
    cfg.write_text(text + f"""
[bid]
potential = {{ path = "{sample / "landscape.gpkg"}", layer = "percelen" }}
[bid.mix]
"*" = {{ hedge = 0.6, wooded_bank = 0.2, pond = 0.2 }}
[siting]
""", encoding="utf-8")
    reference, result = run_both(cfg, client, landel_bin, tmp_path, pieces)
    assert result.pieces == pieces
    csv = (reference / "area_bid.csv").read_text(encoding="utf-8")
    assert "connected_ends" in csv.splitlines()[0] and "candidate_corners" in csv.splitlines()[0]
    for layer in ("candidates", "sites"):
        assert layer_rows(result.output / "candidates.gpkg", layer) == \
            layer_rows(reference / "candidates.gpkg", layer)


def layer_rows(gpkg, layer):
    """Every feature of @p layer as (attributes, WKB)."""
    ds = ogr.Open(str(gpkg))
    return [(f.items(), f.GetGeometryRef().ExportToWkb()) for f in ds.GetLayerByName(layer)]


@pytest.mark.parametrize("pieces", [2, 5])
def test_raster_run_in_pieces_equals_landel_run(client, landel_bin, tmp_path, repo_root, pieces):
    """The sample's raster run (land-cover classes as masks and elements, vector elements
    besides) in pieces: each piece measures its areas on the whole run's analysis grid and
    chunks and keeps its density sums; the merge adds them. area_bid.csv byte for byte,
    element_density.tif bit for bit (density cells on the borders between areas of different
    pieces take their shares from both), and the same summary, cells read by each raster
    included (a chunk two pieces read counts once)."""
    cfg = repo_root / "data" / "samples" / "polder" / "landel-raster.toml"
    reference, result = run_both(cfg, client, landel_bin, tmp_path, pieces)
    assert not any("element_density" in w for w in result.warnings)
    assert_same_density(result.output, reference)
    assert_same_summary(result.output, reference)
    rasters = result.summary["rasters"]
    grid = rasters["analysis_grid"]
    # The sample's areas lie in one chunk of 512 x 512 cells, which every piece reads: it
    # counts once, for each of the three raster sources.
    assert [s["cells_read"] for s in rasters["sources"]] == [grid["cols"] * grid["rows"]] * 3


def test_areas_outside_the_study_area_in_several_pieces(patch_case, client, landel_bin, tmp_path):
    """With a study area covering only B and C, areas A and D (in other pieces) are outside:
    one warning naming both, as landel run gives, not one per piece."""
    cfg = variant_of(patch_case, tmp_path, "study",
                     lambda ds: write_layer(ds, "study", [({}, square(X0 + 100, Y0, X0 + 300, Y0 + 100))]),
                     '\n[study_area]\npath = "study.gpkg"\nlayer = "study"\n')
    reference, result = run_both(cfg, client, landel_bin, tmp_path, pieces=4)
    expected = json.loads((reference / "summary.json").read_text(encoding="utf-8"))["warnings"]
    outside = [w for w in expected if "outside the study area" in w]
    assert len(outside) == 1 and outside[0].endswith(": A, D"), outside
    assert [w for w in result.summary["warnings"] if "outside the study area" in w] == outside
    assert_same_density(result.output, reference)
    assert_same_summary(result.output, reference)


def test_repaired_areas_in_several_pieces_are_counted_once_each(patch_case, client, landel_bin, tmp_path):
    """Areas A and D, in different pieces, are bow-ties: each piece repairs one, and the merge
    reports both in one warning and in summary.json, as landel run does."""
    def bow_ties(ds):
        lyr = ds.GetLayerByName("areas")
        for feat in lyr:
            if feat.GetField("code") in ("A", "D"):
                x = X0 + 100 * "ABCD".index(feat.GetField("code"))
                feat.SetGeometry(ogr.CreateGeometryFromWkt(
                    f"POLYGON(({x} {Y0},{x + 100} {Y0 + 100},{x + 100} {Y0},{x} {Y0 + 100},{x} {Y0}))"))
                lyr.SetFeature(feat)

    cfg = variant_of(patch_case, tmp_path, "bowtie", bow_ties)
    reference, result = run_both(cfg, client, landel_bin, tmp_path, pieces=4)
    expected = json.loads((reference / "summary.json").read_text(encoding="utf-8"))
    assert any(w.endswith(": 2 invalid geometries repaired (GEOS make-valid, structure method)")
               for w in expected["warnings"]), expected["warnings"]
    assert_same_summary(result.output, reference)


def test_missing_piece_is_an_error(patch_case, tmp_path):
    text = Path(patch_case).read_text(encoding="utf-8")
    plan = landel._landel.plan_pieces(text, str(patch_case), 2)
    partial = landel._landel.measure_piece(text, str(patch_case), plan[0], 1)
    with pytest.raises(landel.Error, match="in no partial result"):
        landel._landel.merge_pieces(text, str(patch_case), [partial], str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()
    with pytest.raises(landel.Error, match="measured twice"):
        landel._landel.merge_pieces(text, str(patch_case), [partial, partial], str(tmp_path / "out"))
    with pytest.raises(landel.Error, match="not a partial result"):
        landel._landel.merge_pieces(text, str(patch_case), [b"junk"], str(tmp_path / "out"))


def test_dask_run_with_monitoring_compares_itself_when_merged(patch_case, client, landel_bin,
                                                              tmp_path):
    """A run measured in pieces with [monitoring] writes the comparison `landel run` writes:
    the 2020 run lacks the 0.6 ha wood of D (a `where` leaves it out), so D gains it."""
    text = patch_case.read_text(encoding="utf-8")
    earlier = patch_case.parent / "case2020.toml"
    earlier.write_text(text.replace("measurement_year = 2024", "measurement_year = 2020")
                       .replace('type = "small_wood"', 'type = "small_wood"\nwhere = "fid <> 4"'),
                       encoding="utf-8")
    run2020 = cli(landel_bin, earlier, tmp_path / "run2020")
    monitored = patch_case.parent / "case-monitoring.toml"
    monitored.write_text(text + f'\n[monitoring]\nruns = ["{run2020}"]\n', encoding="utf-8")
    reference = cli(landel_bin, monitored, tmp_path / "cli")
    result = landel.dask.run(monitored, client, out=tmp_path / "dask", pieces=4)
    for name in ("change.csv", "trajectory.csv"):
        assert (result.output / "monitoring" / name).read_bytes() == \
            (reference / "monitoring" / name).read_bytes(), name
    with open(result.output / "monitoring" / "change.csv", encoding="utf-8") as f:
        rows = [line.split(",") for line in f.read().splitlines()]
    header = rows[0]
    d = [dict(zip(header, r)) for r in rows[1:] if r[0] == "D" and r[4] == "small_wood"]
    assert len(d) == 1 and float(d[0]["gained_ha"]) == pytest.approx(0.6, abs=1e-9)


def piece_reads(folder):
    """Vector features each piece read: summary.json's `pieces` of the merged run, which
    also name them in its log."""
    pieces = json.loads((folder / "summary.json").read_text(encoding="utf-8"))["pieces"]
    log = (folder / "landel.log").read_text(encoding="utf-8")
    for k, piece in enumerate(pieces):
        assert f"piece {k + 1} of {len(pieces)}: {piece['areas']} areas, {piece['features_read']} vector " \
            "features read" in log
    return [piece["features_read"] for piece in pieces]


@pytest.fixture(scope="module")
def spread_case(tmp_path_factory):
    """Six 100 m areas A..F in a row with 100 m gaps. Per area a hedge (a line, width 2 m) and
    a built-up block (mask); in every gap a block touching no area (read by no piece, counted
    by no run); one long mask strip over B..E (read by several pieces, counted once); a
    bow-tie (invalid) hedge in C, repaired."""
    folder = tmp_path_factory.mktemp("spread")
    gpkg = folder / "spread.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(gpkg))
    codes = "ABCDEF"
    x = [X0 + 200 * i for i in range(len(codes))]
    write_layer(ds, "areas", [({"code": c}, square(x[i], Y0, x[i] + 100, Y0 + 100))
                              for i, c in enumerate(codes)], ["code"])
    built = [({}, square(xi + 10, Y0 + 60, xi + 30, Y0 + 80)) for xi in x]
    built += [({}, square(xi + 140, Y0 + 40, xi + 160, Y0 + 60)) for xi in x[:-1]]  # gaps
    built.append(({}, square(x[1] + 40, Y0 + 90, x[4] + 60, Y0 + 95)))  # B..E
    write_layer(ds, "built", built)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(28992)
    lyr = ds.CreateLayer("hedges", srs, ogr.wkbLineString)
    for xi in x:
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetGeometry(ogr.CreateGeometryFromWkt(f"LINESTRING({xi + 5} {Y0 + 20},{xi + 95} {Y0 + 20})"))
        lyr.CreateFeature(f)
    lyr2 = ds.CreateLayer("woods", srs, ogr.wkbPolygon)
    f = ogr.Feature(lyr2.GetLayerDefn())
    xc = x[2]  # a bow-tie in C: repaired into two triangles
    f.SetGeometry(ogr.CreateGeometryFromWkt(
        f"POLYGON(({xc + 50} {Y0 + 30},{xc + 70} {Y0 + 50},{xc + 70} {Y0 + 30},{xc + 50} {Y0 + 50},{xc + 50} {Y0 + 30}))"))
    lyr2.CreateFeature(f)
    ds = None
    cfg = folder / "spread.toml"
    cfg.write_text(given_areas_config("Spread areas", gpkg, f"""
[[rural.exclude]]
path = "{gpkg.name}"
layer = "built"

[[elements]]
path = "{gpkg.name}"
layer = "hedges"
type = "hedge"
width_m = 2

[[elements]]
path = "{gpkg.name}"
layer = "woods"
type = "small_wood"
"""), encoding="utf-8")
    return cfg


def test_pieces_read_only_near_their_areas(spread_case, client, landel_bin, tmp_path):
    """Each piece reads the features near its own areas: the most any piece reads falls as the
    pieces grow in number, and the merged figures, counts and warnings stay landel run's.
    The counts are checked against the areas' envelopes, computed here with OGR: 6 area
    blocks + the B..E strip are near an area, the 5 gap blocks are not."""
    reference = cli(landel_bin, spread_case, tmp_path / "cli")
    summary = json.loads((reference / "summary.json").read_text(encoding="utf-8"))
    # Areas, the mask, the hedges, the woods: the gap blocks are not counted.
    assert [(s["features"], s["repaired"]) for s in summary["sources"]] == [(6, 0), (7, 0), (6, 0), (1, 1)]
    most = []
    for pieces in (1, 3, 6):
        result = landel.dask.run(spread_case, client, out=tmp_path / f"dask{pieces}", pieces=pieces)
        assert result.pieces == pieces
        for name in ("area_bid.csv", "bid_phasing.csv"):
            assert (result.output / name).read_bytes() == (reference / name).read_bytes(), (pieces, name)
        assert_same_summary(result.output, reference)
        assert_same_rural_land_of(result.output, reference, 6)
        reads = piece_reads(result.output)
        assert len(reads) == pieces
        most.append(max(reads))
    # 1 piece: 7 blocks + 6 hedges + 1 wood; 6 pieces: at most 2 blocks + 1 hedge + 1 wood.
    print("most features read by one piece at 1, 3, 6 pieces:", most)
    assert most[0] == 14, most
    assert most[0] > most[1] > most[2], most
    assert most[2] <= 4, most
    assert any(w.endswith(": 1 invalid geometries repaired (GEOS make-valid, structure method)")
               for w in summary["warnings"]), summary["warnings"]


def assert_same_rural_land_of(merged, reference, n):
    """assert_same_rural_land for a case of n areas."""
    def rows(folder):
        ds = ogr.Open(str(folder / "areas.gpkg"))
        out = [(f.GetField("area_id"), f.GetField("rural_ha"), f.GetGeometryRef().ExportToIsoWkb())
               for f in ds.GetLayerByName("rural_land")]
        ds = None
        return out
    a, b = rows(merged), rows(reference)
    assert a == b and len(a) == n


def shapefile_variant(spread_case, folder):
    """The spread case with its mask and element layers as shapefiles without a .qix (no
    spatial index): its config and the shapefiles."""
    src = Path(spread_case).parent / "spread.gpkg"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "spread.gpkg").write_bytes(src.read_bytes())
    for layer in ("built", "hedges", "woods"):
        gdal.VectorTranslate(str(folder / f"{layer}.shp"), str(src), format="ESRI Shapefile",
                             layers=[layer], options=["-lco", "SPATIAL_INDEX=NO"])
        assert not (folder / f"{layer}.qix").exists()
    text = Path(spread_case).read_text(encoding="utf-8")
    for layer in ("built", "hedges", "woods"):
        text = text.replace(f'path = "spread.gpkg"\nlayer = "{layer}"', f'path = "{layer}.shp"')
    cfg = folder / "spread.toml"
    cfg.write_text(text, encoding="utf-8")
    return cfg


def fids(path):
    ds = ogr.Open(str(path))
    out = sorted(f.GetFID() for f in ds.GetLayer(0))
    ds = None
    return out


def test_unindexed_sources_are_read_from_indexed_copies(spread_case, client, landel_bin, tmp_path):
    """Shapefiles without .qix are copied once into indexed GeoPackages beside the output; the
    pieces read the copies (each only near its areas) and the merge equals landel run on the
    shapefiles. A second run reuses the copies; a changed shapefile is copied again."""
    cfg = shapefile_variant(spread_case, tmp_path / "case")
    reference = cli(landel_bin, cfg, tmp_path / "cli")
    result = landel.dask.run(cfg, client, out=tmp_path / "runs" / "a", pieces=3)
    assert (result.output / "area_bid.csv").read_bytes() == (reference / "area_bid.csv").read_bytes()
    assert_same_summary(result.output, reference)  # the shapefiles are the inputs, not the copies
    assert_same_rural_land_of(result.output, reference, 6)
    copies = {Path(c["source"].split("|")[0]).name: c for c in result.copies}
    assert sorted(copies) == ["built.shp", "hedges.shp", "woods.shp"], "the areas' GeoPackage has an index"
    cache = tmp_path / "runs" / ".landel-cache"
    log = (result.output / "landel.log").read_text(encoding="utf-8")
    for name, c in copies.items():
        copy = Path(c["copy"])
        assert copy.parent == cache and copy.suffix == ".gpkg" and not c["reused"]
        assert fids(copy) == fids(tmp_path / "case" / name), "every feature, under its own id"
        assert f"the pieces read its indexed copy '{copy}' (made for this run)" in log
        assert any(f.endswith(name) for f in c["files"])
    assert not list(cache.glob("*.part-*")), "no temporary copy is left"
    assert max(piece_reads(result.output)) < sum(s["features"] for s in result.summary["sources"])

    again = landel.dask.run(cfg, client, out=tmp_path / "runs" / "b", pieces=3)
    assert [c["reused"] for c in again.copies] == [True, True, True]
    assert [c["copy"] for c in again.copies] == [c["copy"] for c in result.copies]
    assert (again.output / "area_bid.csv").read_bytes() == (reference / "area_bid.csv").read_bytes()

    ds = ogr.Open(str(tmp_path / "case" / "woods.shp"), 1)  # a wood in the A|B gap: no area
    feat = ogr.Feature(ds.GetLayer(0).GetLayerDefn())
    feat.SetGeometry(square(X0 + 120, Y0 + 10, X0 + 130, Y0 + 20))
    ds.GetLayer(0).CreateFeature(feat)
    ds = None
    changed = landel.dask.run(cfg, client, out=tmp_path / "runs" / "c", pieces=3)
    woods = [c for c in changed.copies if "woods.shp" in c["source"]]
    assert len(woods) == 1 and not woods[0]["reused"] and woods[0]["copy"] != copies["woods.shp"]["copy"]
    assert fids(woods[0]["copy"]) == fids(tmp_path / "case" / "woods.shp")
    assert (changed.output / "area_bid.csv").read_bytes() == (reference / "area_bid.csv").read_bytes()


def test_a_copy_that_is_not_the_source_is_made_again(spread_case, tmp_path):
    """A file under a copy's name that is not a landel copy of the source (edited, truncated,
    foreign) is not trusted: it is made again."""
    cfg = shapefile_variant(spread_case, tmp_path / "case")
    first = landel.dask.index_sources(cfg, tmp_path / "out")
    hedges = next(c for c in first if "hedges.shp" in c["source"])
    Path(hedges["copy"]).write_bytes(b"not a GeoPackage")
    second = landel.dask.index_sources(cfg, tmp_path / "out")
    remade = next(c for c in second if "hedges.shp" in c["source"])
    assert remade["copy"] == hedges["copy"] and not remade["reused"]
    assert fids(remade["copy"]) == fids(tmp_path / "case" / "hedges.shp")
    assert all(c["reused"] for c in second if c is not remade)


def test_copies_are_found_by_file_size_and_time(spread_case, tmp_path):
    """A stamp beside the copies remembers which copy a source's files had at their sizes and
    modification times, so a later run does not hash them again. A new time (touch) hashes
    again and finds the same copy; a file whose bytes change with its size and time kept is
    taken as unchanged (the shortcut's documented limit), and verify=True hashes it and copies
    it again."""
    cfg = shapefile_variant(spread_case, tmp_path / "case")
    out = tmp_path / "out"
    cache = tmp_path / ".landel-cache"
    first = {Path(c["source"].split("|")[0]).name: c for c in landel.dask.index_sources(cfg, out)}
    assert len(list(cache.glob("*.stamp"))) == 3
    prj = tmp_path / "case" / "hedges.prj"
    st = os.stat(prj)
    os.utime(prj, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # touched: same bytes
    touched = {Path(c["source"].split("|")[0]).name: c for c in landel.dask.index_sources(cfg, out)}
    assert touched["hedges.shp"]["reused"] and touched["hedges.shp"]["copy"] == first["hedges.shp"]["copy"]
    assert len(list(cache.glob("*.stamp"))) == 4, "a stamp for the new time"

    text = prj.read_text()
    assert "Amersfoort" in text
    st = os.stat(prj)
    prj.write_text(text.replace("Amersfoort", "Amersfoorx", 1))  # same size
    os.utime(prj, ns=(st.st_atime_ns, st.st_mtime_ns))
    kept = {Path(c["source"].split("|")[0]).name: c for c in landel.dask.index_sources(cfg, out)}
    assert kept["hedges.shp"]["reused"] and kept["hedges.shp"]["copy"] == first["hedges.shp"]["copy"]
    verified = {Path(c["source"].split("|")[0]).name: c
                for c in landel.dask.index_sources(cfg, out, verify=True)}
    assert not verified["hedges.shp"]["reused"] and verified["hedges.shp"]["copy"] != first["hedges.shp"]["copy"]
    assert verified["woods.shp"]["reused"] and verified["woods.shp"]["copy"] == first["woods.shp"]["copy"]
    again = {Path(c["source"].split("|")[0]).name: c for c in landel.dask.index_sources(cfg, out)}
    assert again["hedges.shp"]["copy"] == verified["hedges.shp"]["copy"], "the stamp now names the new copy"


def test_cache_folder_that_cannot_be_made_is_one_error(spread_case, tmp_path):
    cfg = shapefile_variant(spread_case, tmp_path / "case")
    (tmp_path / "file").write_text("a file, not a folder")
    with pytest.raises(landel.Error) as err:
        landel.dask.index_sources(cfg, tmp_path / "file" / "sub" / "out")
    message = str(err.value)
    assert "\n" not in message and "cannot make the cache folder" in message and ".landel-cache" in message


def test_a_piece_reads_the_copy_not_the_source(spread_case, tmp_path):
    """The piece opens the copy it is given: one that has gone is an error naming the copy
    and the source it stands for."""
    cfg = shapefile_variant(spread_case, tmp_path / "case")
    copies = landel.dask.index_sources(cfg, tmp_path / "out")
    text = cfg.read_text(encoding="utf-8")
    hedges = next(c for c in copies if "hedges.shp" in c["source"])
    Path(hedges["copy"]).unlink()
    with pytest.raises(landel.Error) as err:
        landel._landel.measure_piece(text, str(cfg), [0, 1], 1, copies)
    message = str(err.value)
    assert "\n" not in message and f"cannot open the indexed copy '{hedges['copy']}'" in message
    assert "hedges.shp" in message


def test_patches_judged_once_let_pieces_read_only_their_part(patch_case, client, landel_bin, tmp_path):
    """The woods' patches are judged once on the whole layer: each of the four pieces then
    reads only the woods near its area (A and B: the two halves of the patch, which touch
    both; C, D: their own), where judging in every piece needs all four; the figures are
    landel run's either way, the patch across A|B dropped. (Masks with min_patch_ha, which
    only a preset's cobra denominator makes, are checked on the real BGT download in
    test_dask_bgt.py.)"""
    reference = cli(landel_bin, patch_case, tmp_path / "cli")
    reads = {}
    for once in (True, False):
        result = landel.dask.run(patch_case, client, out=tmp_path / f"dask-{once}", pieces=4,
                                 judge_patches_once=once)
        assert (result.output / "area_bid.csv").read_bytes() == (reference / "area_bid.csv").read_bytes(), once
        assert_same_summary(result.output, reference)
        assert_same_rural_land(result.output, reference)
        reads[once] = piece_reads(result.output)
    assert sorted(reads[True]) == [1, 1, 2, 2], reads
    assert reads[False] == [4, 4, 4, 4], reads
    summary = json.loads((reference / "summary.json").read_text(encoding="utf-8"))
    woods = [s for s in summary["sources"] if s.get("patches")]
    assert [(s["features"], s["patches"], s["dropped_patches"]) for s in woods] == [(4, 3, 1)], woods


def test_patches_judged_on_other_features_are_an_error(patch_case, tmp_path):
    """A piece given a judgement made before the source changed says so, in one line."""
    text = Path(patch_case).read_text(encoding="utf-8")
    patches = landel._landel.judge_patches(text, str(patch_case))
    assert patches, "the case has a source with max_patch_ha"

    def add_wood(ds):
        lyr = ds.GetLayerByName("woods")
        feat = ogr.Feature(lyr.GetLayerDefn())
        feat.SetGeometry(square(X0 + 230, Y0 + 10, X0 + 240, Y0 + 20))  # in C
        lyr.CreateFeature(feat)

    cfg = variant_of(patch_case, tmp_path, "changed", add_wood)
    changed = cfg.read_text(encoding="utf-8")
    plan = landel._landel.plan_pieces(changed, str(cfg), 4)
    piece_c = next(p for p in plan if p == [2])
    with pytest.raises(landel.Error) as err:
        landel._landel.measure_piece(changed, str(cfg), piece_c, 1, [], patches)
    assert "\n" not in str(err.value) and "was not there when the patches were judged" in str(err.value)
    with pytest.raises(landel.Error, match="not patch verdicts of landel"):
        landel._landel.measure_piece(changed, str(cfg), piece_c, 1, [], b"junk")


def test_pieces_read_sources_with_width_field_near_their_areas(patch_case, client, landel_bin, tmp_path):
    """Lines whose strips take their width from a field are read through the spatial index
    too, in a box grown by half the widest width: a hedge 15 m north of every area, 40 m wide
    by its field, still reaches 5 m into each of them, in every piece; a narrow one in C only
    counts in C's piece, and one far away in none. area_bid.csv and summary.json are landel
    run's, and each piece keeps the hedges near its own area only. (That the driver is asked
    for the box only, instead of every feature being scanned, is not visible here: the kept
    features are the same; benchmarks/dask shows the reading time.)"""
    def add_hedges(ds):
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(28992)
        lyr = ds.CreateLayer("hedges", srs, ogr.wkbLineString)
        lyr.CreateField(ogr.FieldDefn("breedte", ogr.OFTString))  # numbers as text, as in the wild
        for width, wkt in (("40", f"LINESTRING({X0 - 50} {Y0 + 115},{X0 + 450} {Y0 + 115})"),
                           ("2", f"LINESTRING({X0 + 220} {Y0 + 50},{X0 + 280} {Y0 + 50})"),
                           ("1.5", f"LINESTRING({X0} {Y0 + 5000},{X0 + 400} {Y0 + 5000})")):
            feat = ogr.Feature(lyr.GetLayerDefn())
            feat.SetField("breedte", width)
            feat.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
            lyr.CreateFeature(feat)

    cfg = variant_of(patch_case, tmp_path, "widths", add_hedges, """
[[elements]]
path = "widths.gpkg"
layer = "hedges"
type = "hedge"
width_m = 1
width_field = "breedte"
""")
    reference, result = run_both(cfg, client, landel_bin, tmp_path, pieces=4)
    assert_same_summary(result.output, reference)
    table = result.table.set_index("area_id")
    # The wide hedge's strip: 5 m of each area's 100 m (in D its wood, ranked first, owns
    # 60 m of it); the narrow one: 60 m x 2 m in C.
    for area in "AB":
        assert table.loc[area, "ha_hedge"] == pytest.approx(5 * 100 / 1e4, abs=1e-9), area
    assert table.loc["C", "ha_hedge"] == pytest.approx((5 * 100 + 60 * 2) / 1e4, abs=1e-9)
    assert table.loc["D", "ha_hedge"] > 0
    # Per piece, the features it kept: its woods (A, B: both halves of the patch; C, D: their
    # own) plus the hedges near its area (the wide one everywhere, the narrow one in C):
    # A 2 + 1, B 2 + 1, C 1 + 2, D 1 + 1.
    assert sorted(piece_reads(result.output)) == [2, 3, 3, 3]
    summary = json.loads((reference / "summary.json").read_text(encoding="utf-8"))
    assert summary["sources"][-1]["source"].startswith("widths.toml:24: elements[2]")
    assert summary["sources"][-1]["features"] == 2, "the far hedge is not near any area"
