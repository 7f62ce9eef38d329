"""landel.compare: two runs (2020, 2024) of two hand-made 1 km² areas, compared from Python.

Between the years, in A1 a hedge of 800 m x 2 m is grubbed and a wood grows by 100 m x 50 m;
in A2 a pond of 50 m x 50 m is dug. The change figures are checked against those hand-derived
hectares and against shapely on the runs' own `elements` and `rural_land` layers
(docs/monitoring.md: gained = B_t - EA, lost = (A_t - EB) ∩ RB)."""

from __future__ import annotations

import pytest
from osgeo import ogr, osr
from shapely.geometry import box
from shapely.ops import unary_union

landel = pytest.importorskip("landel")

X0, Y0 = 150000.0, 450000.0
AREAS = ["A1", "A2"]
TYPES = ["pond", "small_wood", "hedge"]
EPS_HA = 1e-6


def at(area, x, y):
    return X0 + 1000.0 * AREAS.index(area) + x, Y0 + y


def rect(area, x0, y0, x1, y1):
    (a, b), (c, d) = at(area, x0, y0), at(area, x1, y1)
    return box(a, b, c, d).wkt


def line(area, x0, y, x1):
    (a, b), (c, _) = at(area, x0, y), at(area, x1, y)
    return f"LINESTRING ({a} {b}, {c} {b})"


def write_layers(path, layers):
    """layers: {name: (OGR geometry type, [WKT])}, written to one GeoPackage in EPSG:28992."""
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(28992)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    for name, (kind, wkts) in layers.items():
        layer = ds.CreateLayer(name, srs, kind)
        layer.CreateField(ogr.FieldDefn("code", ogr.OFTString))
        for k, wkt in enumerate(wkts):
            f = ogr.Feature(layer.GetLayerDefn())
            f.SetField("code", AREAS[k] if name == "areas" else "")
            f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
            layer.CreateFeature(f)
    ds = None


def year_layers(year):
    hedges = [line("A1", 100, 500, 900)] + ([line("A1", 100, 100, 900)] if year == 2020 else [])
    woods = [rect("A1", 200, 200, 300, 300 if year == 2020 else 350), rect("A2", 100, 100, 200, 200)]
    ponds = [] if year == 2020 else [rect("A2", 600, 600, 650, 650)]
    return {"hedges": (ogr.wkbLineString, hedges), "woods": (ogr.wkbPolygon, woods),
            "ponds": (ogr.wkbPolygon, ponds)}


def config(year, areas, data):
    return {
        "run": {"name": f"compare {year}", "crs": "EPSG:28992", "measurement_year": year},
        "areas": {"method": "given",
                  "layers": [{"path": str(areas), "layer": "areas", "id_field": "code"}]},
        "elements": [
            {"path": str(data), "layer": "hedges", "type": "hedge", "width_m": 2.0},
            {"path": str(data), "layer": "woods", "type": "small_wood"},
            {"path": str(data), "layer": "ponds", "type": "pond"},
        ],
        "types": {"order": TYPES},
        "render": {"max_area_maps": 0},
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compare")
    areas = folder / "areas.gpkg"
    write_layers(areas, {"areas": (ogr.wkbPolygon, [rect(a, 0, 0, 1000, 1000) for a in AREAS])})
    out = []
    for year in (2020, 2024):
        data = folder / f"elements_{year}.gpkg"
        write_layers(data, year_layers(year))
        out.append(landel.run(config(year, areas, data), folder / f"run_{year}"))
    return out


@pytest.fixture(scope="module")
def compared(runs, tmp_path_factory):
    out = tmp_path_factory.mktemp("compared") / "out"
    return landel.compare([r.output for r in reversed(runs)], out, tolerance_m=0, threads=2)


def figures(result, column):
    rows = result.change[~result.change["type"].str.contains("->", regex=False)]
    return {(r.area_id, r.type): getattr(r, column) for r in rows.itertuples()}


def test_compare_returns_a_result_with_the_comparisons_files(compared):
    assert isinstance(compared, landel.Result)
    for name in ("change.csv", "change.gpkg", "trajectory.csv", "summary.json", "landel.log"):
        assert (compared.output / name).is_file(), name
    assert compared.summary["command"] == "compare"
    assert [r["year"] for r in compared.summary["runs"]] == [2020, 2024]  # ordered by year
    assert compared.summary["tolerance_m"] == 0
    change = compared.change
    assert change["area_id"].dtype == object
    assert set(zip(change["from_year"], change["to_year"])) == {(2020, 2024)}


def test_change_equals_the_hand_derived_hectares(compared):
    gained, lost = figures(compared, "gained_ha"), figures(compared, "lost_ha")
    assert lost[("A1", "hedge")] == pytest.approx(800 * 2 / 1e4, abs=EPS_HA)
    assert gained[("A1", "small_wood")] == pytest.approx(100 * 50 / 1e4, abs=EPS_HA)
    assert gained[("A2", "pond")] == pytest.approx(50 * 50 / 1e4, abs=EPS_HA)
    assert gained[("A1", "hedge")] == pytest.approx(0.0, abs=EPS_HA)


def test_change_equals_shapely_on_the_runs_layers(runs, compared):
    before, after = runs
    a, b = before.elements, after.elements
    rural = after.areas[["area_id"]].merge(
        _rural_land(after), on="area_id", how="left").set_index("area_id")["geometry"]
    gained, lost = figures(compared, "gained_ha"), figures(compared, "lost_ha")
    for area in AREAS:
        ea = unary_union(list(a[a["area_id"] == area].geometry))
        eb = unary_union(list(b[b["area_id"] == area].geometry))
        for t in TYPES:
            at_ = unary_union(list(a[(a["area_id"] == area) & (a["type"] == t)].geometry))
            bt = unary_union(list(b[(b["area_id"] == area) & (b["type"] == t)].geometry))
            assert gained[(area, t)] == pytest.approx(bt.difference(ea).area / 1e4, abs=EPS_HA)
            want_lost = at_.difference(eb).intersection(rural[area]).area / 1e4
            assert lost[(area, t)] == pytest.approx(want_lost, abs=EPS_HA)


def _rural_land(result):
    import geopandas as gpd
    return gpd.read_file(result.output / "areas.gpkg", layer="rural_land")[["area_id", "geometry"]]


def test_compare_errors_are_landel_errors(runs, tmp_path):
    with pytest.raises(landel.Error, match="at least two runs"):
        landel.compare([runs[0].output], tmp_path / "out")
    with pytest.raises(TypeError):
        landel.compare(str(runs[0].output), tmp_path / "out")


def test_compare_without_out_writes_a_temporary_folder(runs):
    result = landel.compare([r.output for r in runs], baseline_year=2020)
    assert (result.output / "change.csv").is_file()
    assert result.summary["baseline_year"] == 2020


def test_compare_in_dutch_from_python(runs, tmp_path):
    """language="nl" gives the Dutch report with the same change figures; an unknown language
    is a landel.Error naming the option."""
    result = landel.compare([r.output for r in runs], tmp_path / "nl", language="nl", tolerance_m=0)
    html = (result.output / "report.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in html and "Samenvatting" in html
    english = landel.compare([r.output for r in runs], tmp_path / "en", tolerance_m=0)
    assert (result.output / "change.csv").read_bytes() == (english.output / "change.csv").read_bytes()
    with pytest.raises(landel.Error, match="language"):
        landel.compare([r.output for r in runs], tmp_path / "fr", language="fr")
