"""landel.dask on real BGT: the Otterlo BGT copied on a 2 x 2 grid of 3 km
(benchmarks/bgt_tiled/make_case.sh; the copies overlap by about 110 m, so woods and ponds
with max_patch_ha cross the borders of areas, and so of pieces). Measured in 1, 2 and 4
pieces, each reading near its own areas only, the merge gives landel run's area_bid.csv
byte for byte, its summary.json (feature and repair counts included) and its rural land.
Skipped without the shared real data."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

landel = pytest.importorskip("landel")
pytest.importorskip("distributed")  # the client fixture (conftest.py) needs it

import landel.dask  # noqa: E402
from osgeo import gdal, ogr, osr  # noqa: E402
from test_dask import assert_same_rural_land_of, assert_same_summary, cli, piece_reads  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tiled_case(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bgt_tiled")
    made = subprocess.run(["bash", str(REPO / "benchmarks" / "bgt_tiled" / "make_case.sh"), str(folder), "2"],
                          capture_output=True, text=True)
    if made.returncode == 77:
        pytest.skip("no shared real data (../shared/data/real)")
    assert made.returncode == 0, made.stderr
    cfg = folder / "landel.toml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text + "\n[render]\nmax_area_maps = 0\ndpi = 72\n", encoding="utf-8")
    return cfg


def test_pieces_of_real_bgt_equal_landel_run(tiled_case, client, landel_bin, tmp_path):
    reference = cli(landel_bin, tiled_case, tmp_path / "cli")
    summary = json.loads((reference / "summary.json").read_text(encoding="utf-8"))
    woods = [s for s in summary["sources"] if "dropped_patches" in s]
    assert woods and all(s["patches"] > 0 for s in woods), "patch sources are judged whole"
    most = []
    for pieces in (1, 2, 4):
        result = landel.dask.run(tiled_case, client, out=tmp_path / f"dask{pieces}", pieces=pieces)
        assert result.pieces == pieces
        assert (result.output / "area_bid.csv").read_bytes() == (reference / "area_bid.csv").read_bytes(), pieces
        assert_same_summary(result.output, reference)
        assert_same_rural_land_of(result.output, reference, 4)
        most.append(max(piece_reads(result.output)))
    print("most vector features read by one piece at 1, 2, 4 pieces:", most)
    # The patches are judged once, beforehand, so the pieces read the woods and ponds near
    # their areas too: a piece of four reads about a quarter of what one piece reads.
    assert most[0] > most[1] > most[2], most
    assert most[2] < most[0] / 3, most


@pytest.fixture(scope="module")
def otterlo_download(tmp_path_factory):
    """A BGT preset run straight on the PDOK download (GML in a zip: no spatial index), over a
    2 x 2 grid of areas across Otterlo; its config with and without as_of."""
    zipped = Path(os.environ.get("LANDEL_REAL_DATA", REPO.parent / "shared" / "data" / "real")) \
        / "otterlo-bgt" / "otterlo_bgt_2020-08-05.zip"
    if not zipped.is_file():
        pytest.skip("no shared real data (../shared/data/real)")
    folder = tmp_path_factory.mktemp("otterlo_gml")
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(folder / "areas.gpkg"))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(28992)
    lyr = ds.CreateLayer("areas", srs, ogr.wkbPolygon)
    lyr.CreateField(ogr.FieldDefn("id", ogr.OFTString))
    x0, y0, step = 179600.0, 455500.0, 1500.0
    for i in range(2):
        for j in range(2):
            x, y = x0 + i * step, y0 + j * 1560.0
            f = ogr.Feature(lyr.GetLayerDefn())
            f.SetField("id", f"{i}{j}")
            f.SetGeometry(ogr.CreateGeometryFromWkt(
                f"POLYGON(({x} {y},{x + step} {y},{x + step} {y + 1560},{x} {y + 1560},{x} {y}))"))
            lyr.CreateFeature(f)
    ds = None
    configs = {}
    for name, as_of in (("current", ""), ("2018", 'as_of = "2018-01-01"\n'),
                        ("cobra", '[rural]\ndefinition = "cobra"\n')):
        cfg = folder / f"{name}.toml"
        cfg.write_text(f"""
[run]
name = "Otterlo BGT download, {name}"

[areas]
[[areas.layers]]
path = "areas.gpkg"
id_field = "id"

[dataset]
preset = "bgt"
path = "{zipped}"
{as_of}
[render]
max_area_maps = 0
dpi = 72
""", encoding="utf-8")
        configs[name] = cfg
    return zipped, configs


def assert_same_summary_but_coverage(merged, reference):
    """assert_same_summary, but for the dataset's coverage check, which a run in pieces does
    not make (docs/presets.md): the areas reach past the download, so landel run warns where
the surfaces it holds on that day cover too little of an area."""
    a = json.loads((merged / "summary.json").read_text(encoding="utf-8"))
    b = json.loads((reference / "summary.json").read_text(encoding="utf-8"))
    for key in ("timings_s", "threads"):
        a.pop(key), b.pop(key)
    assert len(a.pop("pieces")) == 4
    coverage = [w for w in b["warnings"] if w.startswith("dataset: the bgt surfaces ") and " cover less " in w]
    assert len(coverage) == 1
    assert sorted(a.pop("warnings")) == sorted(w for w in b.pop("warnings") if w not in coverage)
    assert a["dataset"].pop("coverage") == {} and len(b["dataset"].pop("coverage")) == 4
    assert a == b


def gml_feature_count(zipped, member, gfs):
    ds = gdal.OpenEx(f"/vsizip/{zipped}/{member}", gdal.OF_VECTOR, open_options=[f"GFS_TEMPLATE={gfs}"])
    n = ds.GetLayer(0).GetFeatureCount()
    ds = None
    return n


@pytest.mark.parametrize("version", ["current", "2018", "cobra"])
def test_pieces_read_the_bgt_download_through_indexed_copies(otterlo_download, version, client, landel_bin,
                                                             tmp_path):
    """The pieces of a run on the GML download read indexed copies of its layers, made once;
    with the preset's history filter (current objects, or as_of 2018-01-01) evaluated on the
    copy, the merge equals landel run on the zip. With the cobra denominator the woods above
    the preset's size rule are a mask with min_patch_ha, judged once like the element rows'
    max_patch_ha."""
    zipped, configs = otterlo_download
    cfg = configs[version]
    reference = cli(landel_bin, cfg, tmp_path / "cli")
    result = landel.dask.run(cfg, client, out=tmp_path / "dask", pieces=4)
    assert (result.output / "area_bid.csv").read_bytes() == (reference / "area_bid.csv").read_bytes()
    assert_same_summary_but_coverage(result.output, reference)
    assert_same_rural_land_of(result.output, reference, 4)
    assert result.copies, "GML has no spatial index: the layers are copied"
    for c in result.copies:
        member = c["source"].split("|")[0].split(".zip/")[1]
        gfs = next(o for o in c["source"].split("|") if o.startswith("GFS_TEMPLATE=")).split("=", 1)[1]
        copy = ogr.Open(c["copy"])
        assert copy.GetLayer(0).GetFeatureCount() == gml_feature_count(zipped, member, gfs), member
        copy = None
        assert c["files"] == [str(zipped)]
    summary = json.loads((result.output / "summary.json").read_text(encoding="utf-8"))
    assert max(piece_reads(result.output)) < sum(s["features"] for s in summary["sources"])
    judged = [s["source"].split(": ", 1)[1] for s in summary["sources"] if s.get("patches")]
    assert judged == ["dataset bgt 'woods' ('bgt_begroeidterreindeel.gml')",
                      "dataset bgt 'ponds' ('bgt_waterdeel.gml')"], judged
    # cobra: the woods above the size rule mask (min_patch_ha), judged once too
    large_woods = [s for s in summary["sources"] if "rural large_woods" in s["source"]]
    assert len(large_woods) == (1 if version == "cobra" else 0)


def test_raster_run_on_real_land_cover_in_pieces_equals_landel_run(client, landel_bin, tmp_path):
    """The real 0.5 m Otterlo land cover (the BGT rasterised: 6,000 x 6,000 cells, some 140
    chunks) as built-up mask and as wood, houtwal and pond classes, with the BGT trees and
    hedges as vectors, over the six areas of derived/areas_6.gpkg: in 1, 3 and 6 pieces each
    piece reads only the chunks its areas meet, and the merge gives landel run's area_bid.csv
    byte for byte, its element_density.tif bit for bit (10 m cells straddle the areas'
    borders) and its summary.json, cells read per raster included."""
    # The case of benchmarks/dask/run_raster_pieces.py, written by its own function.
    sys.path.insert(0, str(REPO / "benchmarks" / "dask"))
    import run_raster_pieces as case
    if not all(p.is_file() for p in (case.LANDCOVER, case.AREAS, case.BGT)):
        pytest.skip("no shared real data (../shared/data/real)")
    cfg = case.write_case(tmp_path)
    reference = cli(landel_bin, cfg, tmp_path / "cli")
    expected = json.loads((reference / "summary.json").read_text(encoding="utf-8"))["rasters"]
    grid = expected["analysis_grid"]
    assert grid["cell_x_m"] == 0.5 and grid["cols"] * grid["rows"] > 30_000_000
    most = []
    for pieces in (1, 3, 6):
        result = landel.dask.run(cfg, client, out=tmp_path / f"dask{pieces}", pieces=pieces)
        assert result.pieces == pieces
        cells = [p["raster_cells_read"] for p in result.summary["pieces"]]
        most.append(max(cells))
        assert (result.output / "area_bid.csv").read_bytes() == (reference / "area_bid.csv").read_bytes(), pieces
        assert_same_summary(result.output, reference)
        a = gdal.Open(str(result.output / "element_density.tif"))
        b = gdal.Open(str(reference / "element_density.tif"))
        assert a.GetGeoTransform() == b.GetGeoTransform()
        density = a.GetRasterBand(1).ReadAsArray()
        assert density.tobytes() == b.GetRasterBand(1).ReadAsArray().tobytes(), pieces
        assert (density > 0).sum() > 1000
    print("most raster cells read by one piece at 1, 3, 6 pieces:", most)
    # Each piece reads only the chunks its areas meet: at 6 pieces (one area each) less than
    # half of what one piece reads (chunks are bands of whole raster blocks, so an area's
    # chunks reach beyond it).
    assert most[0] <= grid["cols"] * grid["rows"]
    assert most[0] > most[1] > most[2], most
    assert most[2] < most[0] / 2, most
