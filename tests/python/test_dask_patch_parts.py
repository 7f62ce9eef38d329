"""The patches of a run in pieces judged in parts (pipeline/patch_pieces.h): tile tasks read the
woods tile by tile, one task clusters the parts' envelopes, group tasks unite the clusters of
several parts. The judgement must be the bytes of the one task that reads the woods whole
(``judge_patches``), whatever the tile and group counts, with patches that cross every tile
and piece border; a dask run with it must give landel run's outputs; the patch counts are
checked against shapely's union of the woods."""

import json
import subprocess

import pytest

landel = pytest.importorskip("landel")
pytest.importorskip("distributed")  # the client fixture (conftest.py) needs it
from osgeo import ogr, osr  # noqa: E402
from shapely import wkt as shapely_wkt  # noqa: E402
from shapely.ops import unary_union  # noqa: E402
from shapely.validation import make_valid  # noqa: E402

import landel.dask  # noqa: E402

X0, Y0 = 150000.0, 450000.0
LIMIT_HA = 0.8


def rect(x0, y0, x1, y1):
    return f"POLYGON(({X0 + x0} {Y0 + y0},{X0 + x1} {Y0 + y0},{X0 + x1} {Y0 + y1},{X0 + x0} {Y0 + y1},{X0 + x0} {Y0 + y0}))"


# A chain of five 130 m x 20 m woods overlapping by 20 m from x = 20 to 590: one 1.14 ha patch
# (over the limit) crossing every area, tile and piece border. Two 0.45 ha woods touching in
# one point (300, 100): two patches, both kept (united they would be 0.9 ha). The same 0.3 ha
# wood twice (equal envelopes: ordered by content). A bow tie, repaired into two triangles. A
# 0.09 ha wood on the border of areas C and D.
WOODS = [rect(20 + 110 * k, 0, 150 + 110 * k, 20) for k in range(5)] + [
    rect(240, 100, 300, 175),
    rect(300, 25, 360, 100),
    rect(420, 100, 480, 150),
    rect(420, 100, 480, 150),
    f"POLYGON(({X0 + 520} {Y0 + 120},{X0 + 560} {Y0 + 160},{X0 + 560} {Y0 + 120},{X0 + 520} {Y0 + 160},"
    f"{X0 + 520} {Y0 + 120}))",
    rect(270, 180, 330, 195),
]


@pytest.fixture(scope="module")
def chain_case(tmp_path_factory):
    """Six 100 m x 200 m areas in a row, A..F, and the woods above (max_patch_ha 0.8)."""
    folder = tmp_path_factory.mktemp("patch_parts")
    gpkg = folder / "case.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(gpkg))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(28992)
    areas = ds.CreateLayer("areas", srs, ogr.wkbPolygon)
    areas.CreateField(ogr.FieldDefn("code", ogr.OFTString))
    for i, code in enumerate("ABCDEF"):
        f = ogr.Feature(areas.GetLayerDefn())
        f.SetField("code", code)
        f.SetGeometry(ogr.CreateGeometryFromWkt(rect(100 * i, 0, 100 * (i + 1), 200)))
        areas.CreateFeature(f)
    woods = ds.CreateLayer("woods", srs, ogr.wkbPolygon)
    for w in WOODS:
        f = ogr.Feature(woods.GetLayerDefn())
        f.SetGeometry(ogr.CreateGeometryFromWkt(w))
        woods.CreateFeature(f)
    ds = None
    cfg = folder / "case.toml"
    cfg.write_text(f"""
[run]
name = "Patches judged in parts"
measurement_year = 2024

[areas]
method = "given"

[[areas.layers]]
path = "case.gpkg"
layer = "areas"
id_field = "code"

[[elements]]
path = "case.gpkg"
layer = "woods"
type = "small_wood"
max_patch_ha = {LIMIT_HA}

[render]
max_area_maps = 0
dpi = 72
""", encoding="utf-8")
    return cfg


def judged_in_parts(cfg, per_side, groups):
    """The judgement made as landel.dask makes it, here in one process: (bytes, plan dict)."""
    text, path = cfg.read_text(encoding="utf-8"), str(cfg)
    engine = landel._landel
    tiles = engine.plan_patch_tiles(text, path, per_side)
    plan = engine.plan_patch_clusters([engine.patch_tile(text, path, t) for t in tiles], groups)
    judged = [engine.judge_patch_group(text, path, g) for g in plan["groups"]]
    return engine.patch_verdicts(plan["plan"], judged), plan


def shapely_patches():
    """(patches, patches over the limit) of the woods, from shapely's union of their valid
    polygons: the definition of a patch, written out independently of landel."""
    polygons = []
    for w in WOODS:
        g = shapely_wkt.loads(w)
        g = g if g.is_valid else make_valid(g)  # not buffer(0): it drops a bow tie's lobe
        polygons.extend(getattr(g, "geoms", [g]))
    union = unary_union(polygons)
    parts = list(getattr(union, "geoms", [union]))
    return len(parts), sum(1 for p in parts if p.area > LIMIT_HA * 1e4)


def test_judgement_in_parts_is_the_whole_judgement(chain_case):
    """For 1 to 4 tiles per side and 1, 2 and 5 groups, the verdicts are judge_patches' bytes:
    the same verdict per feature and part, patch counts and dropped area, bit for bit."""
    text = chain_case.read_text(encoding="utf-8")
    whole = landel._landel.judge_patches(text, str(chain_case))
    assert whole, "the case has a source with max_patch_ha"
    for per_side in (1, 2, 3, 4):
        for groups in (1, 2, 5):
            verdicts, plan = judged_in_parts(chain_case, per_side, groups)
            assert verdicts == whole, (per_side, groups)
            assert len(plan["groups"]) == groups
            assert len(plan["tile_features"]) == per_side * per_side
    # 12 polygon parts (the bow tie is two); in clusters of several: the chain (5), the two
    # woods touching in a point, the twins and the bow tie's triangles (their envelopes meet).
    assert plan["parts"] == len(WOODS) + 1
    assert plan["clustered"] == 5 + 2 + 2 + 2


def test_tiles_read_only_their_part(chain_case):
    """With several tiles no tile task reads every wood, yet every wood is read by one."""
    for per_side in (2, 3, 4):
        _, plan = judged_in_parts(chain_case, per_side, 2)
        reads = plan["tile_features"]
        assert max(reads) < len(WOODS), (per_side, reads)
        assert sum(reads) >= len(WOODS), (per_side, reads)


def test_patch_counts_are_shapelys(chain_case, landel_bin, tmp_path):
    """landel run's patch figures for the woods equal shapely's union: the chain is one patch
    over the limit, the point-touching woods two patches, the twins one, the bow tie two."""
    subprocess.run([str(landel_bin), "run", str(chain_case), "--out", str(tmp_path / "cli"), "-q"],
                   check=True, capture_output=True)
    summary = json.loads((tmp_path / "cli" / "summary.json").read_text(encoding="utf-8"))
    woods = [s for s in summary["sources"] if s.get("patches")]
    assert [(s["patches"], s["dropped_patches"]) for s in woods] == [shapely_patches()]
    assert shapely_patches() == (7, 1)


def test_dask_run_judging_in_parts_equals_landel_run(chain_case, client, landel_bin, tmp_path):
    """Six pieces with 3 x 3 patch tiles give landel run's area_bid.csv byte for byte and its
    source figures in summary.json."""
    subprocess.run([str(landel_bin), "run", str(chain_case), "--out", str(tmp_path / "cli"), "-q"],
                   check=True, capture_output=True)
    reference = tmp_path / "cli"
    for tiles in (3, 0):
        result = landel.dask.run(chain_case, client, out=tmp_path / f"dask{tiles}", pieces=6,
                                 patch_tiles=tiles)
        assert result.pieces == 6
        assert (result.output / "area_bid.csv").read_bytes() == (reference / "area_bid.csv").read_bytes()
        a = json.loads((result.output / "summary.json").read_text(encoding="utf-8"))
        b = json.loads((reference / "summary.json").read_text(encoding="utf-8"))
        assert a["sources"] == b["sources"], tiles
        assert a["totals"] == b["totals"], tiles
    table = result.table.set_index("area_id")
    assert table.loc["C", "ha_small_wood"] > 0.0 and table.loc["D", "ha_small_wood"] > 0.0, \
        "the point-touching woods stay"


def test_a_group_judged_after_its_source_changed_is_one_error(chain_case, tmp_path):
    """A group whose wood is gone when it reads the source again says so, in one line; bytes
    that are not landel's are named."""
    text, path = chain_case.read_text(encoding="utf-8"), str(chain_case)
    engine = landel._landel
    tiles = engine.plan_patch_tiles(text, path, 2)
    plan = engine.plan_patch_clusters([engine.patch_tile(text, path, t) for t in tiles], 1)

    changed = tmp_path / "case.gpkg"
    changed.write_bytes((chain_case.parent / "case.gpkg").read_bytes())
    ds = ogr.Open(str(changed), 1)
    ds.GetLayerByName("woods").DeleteFeature(1)  # the chain's first wood
    ds = None
    cfg = tmp_path / "case.toml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(landel.Error) as err:
        engine.judge_patch_group(text, str(cfg), plan["groups"][0])
    assert "\n" not in str(err.value) and "judge the patches again" in str(err.value)
    with pytest.raises(landel.Error, match="not patch plans of landel"):
        engine.patch_verdicts(b"junk", [])
    with pytest.raises(landel.Error, match="not patch tiles of landel"):
        engine.plan_patch_clusters([b"junk"], 1)
    with pytest.raises(landel.Error, match="1 groups judged, the plan has 0|groups judged"):
        engine.patch_verdicts(plan["plan"], [])
