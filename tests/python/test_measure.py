"""landel.measure on GeoDataFrames: against `landel run` on the equivalent TOML config, against
an independent shapely computation, across CRSs, and its GeoDataFrame round trips."""

from __future__ import annotations

import math
import tomllib

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, MultiLineString, Point, Polygon, box

landel = pytest.importorskip("landel")

from landel_pyref import measure_area, read_areas_layer, read_csv_rows, simple_where  # noqa: E402

RD = "EPSG:28992"


def sample_measure_args(config_path):
    """landel.measure's arguments for a `given` vector config, read with GeoPandas."""
    with open(config_path, "rb") as f:
        cfg = tomllib.load(f)
    folder = config_path.parent

    def read(section):
        gdf = gpd.read_file(folder / section["path"], layer=section.get("layer"))
        return simple_where(gdf, section.get("where", ""))

    layer = cfg["areas"]["layers"][0]
    areas = read(layer)
    masks = [(m.get("name"), read(m)) for m in cfg["rural"]["exclude"]]
    elements = []
    for e in cfg["elements"]:
        spec = {"gdf": read(e)}
        for key in ("type", "type_field", "types", "width_m", "width_field", "max_patch_ha"):
            if key in e:
                spec[key] = e[key]
        elements.append(spec)
    milestones = [(m["year"], m["share"]) for m in cfg["targets"]["milestone"]]
    return dict(areas=areas, elements=elements, rural_exclude=masks, id_field=layer["id_field"],
                name_field=layer["name_field"], types=cfg["types"]["order"], milestones=milestones)


@pytest.fixture(scope="module")
def sample_args(sample_case):
    return sample_measure_args(sample_case)


@pytest.fixture(scope="module")
def sample_measured(sample_args):
    return landel.measure(**sample_args, threads=2)


MEASURE_COLUMNS_SKIPPED = {"area_id", "area_name", "class", "status", "geometry"}


def test_measure_equals_cli_run(sample_measured, cli_run):
    cli_areas = read_areas_layer(cli_run[0] / "areas.gpkg").set_index("area_id")
    got = sample_measured.set_index("area_id")
    assert list(got.index) == list(cli_areas.index)
    # the measurement columns of area_bid.csv, in its order (the bid columns follow there)
    header, _ = read_csv_rows(cli_run[0] / "area_bid.csv")
    measured = [c for c in sample_measured.columns if c != "geometry"]
    assert header[:len(measured)] == measured
    assert header[len(measured)] == "bid_region"
    compared = 0
    for name in got.columns:
        if name in MEASURE_COLUMNS_SKIPPED:
            continue
        assert name in cli_areas.columns, name
        want = cli_areas[name].to_numpy(float)
        have = got[name].to_numpy(float)
        np.testing.assert_allclose(have, want, rtol=1e-9, atol=1e-12, equal_nan=True, err_msg=name)
        compared += 1
    assert compared >= 25
    assert got["status"].tolist() == cli_areas["status"].tolist()
    assert got["area_name"].tolist() == cli_areas["area_name"].tolist()
    # the measured geometry is the area's
    for a, b in zip(got.geometry, cli_areas.geometry):
        assert a.symmetric_difference(b).area < 1e-6


def test_measure_keeps_crs_and_ids(sample_measured, sample_args):
    areas = sample_args["areas"]
    assert isinstance(sample_measured, gpd.GeoDataFrame)
    assert sample_measured.crs == areas.crs
    assert sample_measured["area_id"].tolist() == areas["code"].tolist()
    assert sample_measured["area_id"].map(type).eq(str).all()
    assert sample_measured.index.equals(areas.index)  # joins back onto the areas
    assert sample_measured.attrs["additive"] is True


def test_measure_columns_order(sample_measured):
    cols = list(sample_measured.columns)
    assert cols[:6] == ["area_id", "area_name", "class", "area_ha", "rural_ha", "nodata_ha"]
    assert cols[6:9] == ["excl_built_ha", "excl_roads_ha", "excl_nnn_ha"]
    assert cols.index("element_ha") < cols.index("share_pct") < cols.index("ha_pond")
    assert cols[-1] == "geometry"
    assert sample_measured["solitary_tree_count"].dtype == np.int64


# ------------------------------------------------------------------ an independent computation

def simple_case():
    """Two 200 m squares side by side, a farmyard mask over their border, hedges (a bend, a
    crossing, one leaving the areas, a multi-line), a pond overlapping a hedge and trees."""
    areas = gpd.GeoDataFrame({"code": ["007", "010"], "naam": ["West", "Oost"]},
                             geometry=[box(150000, 440000, 150200, 440200), box(150200, 440000, 150400, 440200)],
                             crs=RD)
    yard = gpd.GeoDataFrame({"functie": ["erf"]},
                            geometry=[Polygon([(150150, 440050), (150260, 440050), (150260, 440120),
                                               (150150, 440120)])], crs=RD)
    road = gpd.GeoDataFrame(geometry=[box(149990, 440180, 150410, 440188)], crs=RD)
    hedges = gpd.GeoDataFrame(
        {"breedte": [2.0, None, 4.5, 3.0]},
        geometry=[LineString([(150010, 440020), (150100, 440020), (150100, 440150)]),
                  LineString([(150030, 440090), (150370, 440090.5)]),
                  LineString([(150300, 440150), (150300, 440230)]),
                  MultiLineString([[(150320, 440010), (150390, 440070)], [(150210, 440160), (150290, 440135)]])],
        crs=RD)
    ponds = gpd.GeoDataFrame(geometry=[Polygon([(150080, 440070), (150125, 440075), (150120, 440110),
                                                (150085, 440105)])], crs=RD)
    trees = gpd.GeoDataFrame({"kroon_m": [6.0, 9.0, None]},
                             geometry=[Point(150050, 440140), Point(150330, 440030), Point(150060, 440020.5)],
                             crs=RD)
    return areas, yard, road, hedges, ponds, trees


def reference_rows(areas, masks, features, types, milestones):
    rows = []
    for geom in areas.geometry:
        rows.append(measure_area(geom, masks, features, types, milestones))
    return rows


def test_measure_equals_shapely_reference():
    areas, yard, road, hedges, ponds, trees = simple_case()
    types = ["pond", "hedge", "solitary_tree"]
    milestones = [(2030, 0.05), (2040, 0.08), (2050, 0.10)]
    got = landel.measure(
        areas,
        [dict(gdf=hedges, type="hedge", width_m=1.5, width_field="breedte"),
         dict(gdf=ponds, type="pond"),
         dict(gdf=trees, type="solitary_tree", width_m=8, width_field="kroon_m")],
        rural_exclude=[("built", yard), ("roads", road)],
        id_field="code", name_field="naam", types=types, milestones=milestones)

    widths = [2.0, 1.5, 4.5, 3.0]  # an empty breedte falls back to width_m
    features = ([("hedge", g, w) for g, w in zip(hedges.geometry, widths)]
                + [("pond", g, 0.0) for g in ponds.geometry]
                + [("solitary_tree", g, w) for g, w in zip(trees.geometry, [6.0, 9.0, 8.0])])
    masks = {"built": list(yard.geometry), "roads": list(road.geometry)}
    want = reference_rows(areas, masks, features, types, milestones)

    assert got["area_id"].tolist() == ["007", "010"]
    assert got["area_name"].tolist() == ["West", "Oost"]
    assert set(got.columns) == {"area_id", "area_name", "class", "geometry"} | set(want[0])
    for i, row in enumerate(want):
        for name, value in row.items():
            have = got[name].iloc[i]
            if isinstance(value, str):
                assert have == value, (i, name)
            elif name.endswith("_count"):
                assert have == value, (i, name)
            else:
                assert have == pytest.approx(value, rel=1e-9, abs=1e-12), (i, name, have, value)
    # the reference itself is not trivial: every type and both masks count somewhere
    assert all(got[f"ha_{t}"].sum() > 0 for t in types)
    assert (got["excl_built_ha"] > 0).all() and (got["excl_roads_ha"] > 0).all()


def test_hedge_strip_is_length_times_width():
    areas = gpd.GeoDataFrame({"id": [1]}, geometry=[box(0, 0, 1000, 1000)], crs=RD)
    hedges = gpd.GeoDataFrame(geometry=[LineString([(100, 500), (900, 500)])], crs=RD)
    got = landel.measure(areas, [dict(gdf=hedges, type="hedge", width_m=3)], id_field="id")
    assert got["ha_hedge"].iloc[0] == pytest.approx(800 * 3 / 1e4, rel=1e-12)
    assert got["hedge_m"].iloc[0] == pytest.approx(800, rel=1e-12)
    assert got["area_id"].tolist() == ["1"]  # ids are text


def test_no_rural_land():
    areas = gpd.GeoDataFrame({"id": ["a", "b"]}, geometry=[box(0, 0, 100, 100), box(100, 0, 200, 100)], crs=RD)
    mask = gpd.GeoDataFrame(geometry=[box(-1, -1, 101, 101)], crs=RD)
    ponds = gpd.GeoDataFrame(geometry=[box(120, 20, 150, 60)], crs=RD)
    got = landel.measure(areas, [dict(gdf=ponds, type="pond")], [mask], id_field="id")
    assert got["rural_ha"].iloc[0] == 0.0
    assert math.isnan(got["share_pct"].iloc[0])
    assert got["status"].tolist() == ["no_rural_land", "met_2050"]
    # rural land of b: 100 x 100 minus the mask's 1 m strip; 30 x 40 m of pond
    assert got["rural_ha"].iloc[1] == pytest.approx(99 * 100 / 1e4, rel=1e-12)
    assert got["share_pct"].iloc[1] == pytest.approx(100 * 1200 / 9900, rel=1e-12)
    assert "excl_" not in "".join(got.columns)  # an unnamed mask has no column


# ------------------------------------------------------------------------------------ CRSs

def test_elements_in_another_crs_are_reprojected():
    areas, yard, road, hedges, ponds, trees = simple_case()
    elements = [dict(gdf=hedges, type="hedge", width_m=1.5, width_field="breedte"),
                dict(gdf=ponds, type="pond"),
                dict(gdf=trees, type="solitary_tree", width_m=8, width_field="kroon_m")]
    rd = landel.measure(areas, elements, [("built", yard)], id_field="code")
    wgs_elements = [dict(e, gdf=e["gdf"].to_crs("EPSG:4326")) for e in elements]
    wgs_yard = yard.to_crs("EPSG:4326")
    wgs = landel.measure(areas, wgs_elements, [("built", wgs_yard)], id_field="code")
    assert wgs.crs == areas.crs
    assert list(wgs.columns) == list(rd.columns)
    assert wgs["status"].tolist() == rd["status"].tolist()
    assert wgs["area_id"].tolist() == rd["area_id"].tolist()
    numeric = [c for c in rd.columns if c not in ("area_id", "area_name", "class", "status", "geometry")]
    # PROJ's RD -> WGS84 -> RD round trip moves points by up to ~0.5 mm here (0.1 mm east,
    # 0.4 mm north): the farmyard mask's edges shift, rural land changes by < 0.01 m2 (2e-6)
    for name in numeric:
        np.testing.assert_allclose(wgs[name].to_numpy(float), rd[name].to_numpy(float), rtol=5e-6, atol=1e-8,
                                   err_msg=name)
    # ... and exactly what GeoPandas' reprojection into the areas' CRS gives
    back = landel.measure(areas, [dict(e, gdf=e["gdf"].to_crs(RD)) for e in wgs_elements],
                          [("built", wgs_yard.to_crs(RD))], id_field="code")
    for name in numeric:
        np.testing.assert_allclose(wgs[name].to_numpy(float), back[name].to_numpy(float), rtol=1e-12, atol=0,
                                   err_msg=name)


def test_result_keeps_areas_crs():
    # areas in UTM 31N: the result stays in it (and is measured in it)
    areas, yard, road, hedges, ponds, trees = simple_case()
    utm = areas.to_crs("EPSG:32631")
    got = landel.measure(utm, [dict(gdf=hedges, type="hedge", width_m=2)], id_field="code")
    assert got.crs == utm.crs
    for geom, ref, ha in zip(got.geometry, utm.geometry, got["area_ha"]):
        assert geom.symmetric_difference(ref).area < 1e-6
        assert ha == pytest.approx(ref.area / 1e4, rel=1e-12)


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:3857"])
def test_areas_in_unsuitable_crs_are_invalid_input(crs):
    areas = gpd.GeoDataFrame({"id": [1]}, geometry=[box(150000, 440000, 150200, 440200)], crs=RD).to_crs(crs)
    hedges = gpd.GeoDataFrame(geometry=[LineString([(150010, 440020), (150100, 440020)])], crs=RD)
    with pytest.raises(landel.InvalidInput) as info:
        landel.measure(areas, [dict(gdf=hedges, type="hedge", width_m=2)])
    assert crs.split(":")[1] in str(info.value)


def test_areas_without_crs_are_invalid_input():
    areas = gpd.GeoDataFrame({"id": [1]}, geometry=[box(0, 0, 10, 10)])
    with pytest.raises(landel.InvalidInput, match="no CRS"):
        landel.measure(areas, [])


# -------------------------------------------------------------------------- round trips

def test_geodataframe_round_trip_through_gpkg(tmp_path):
    areas, yard, road, hedges, ponds, trees = simple_case()
    got = landel.measure(areas, [dict(gdf=hedges, type="hedge", width_m=2, width_field="breedte")],
                         [("built", yard)], id_field="code", name_field="naam")
    path = tmp_path / "measured.gpkg"
    got.to_file(path, layer="areas", driver="GPKG")
    back = gpd.read_file(path, layer="areas")
    assert back.crs.to_epsg() == 28992
    assert back["area_id"].tolist() == ["007", "010"]  # text, leading zeros kept
    pd.testing.assert_series_equal(back["ha_hedge"], got["ha_hedge"], check_exact=True)
    # measured again from what was written: the same figures
    again = landel.measure(back[["area_id", "geometry"]], [dict(gdf=hedges, type="hedge", width_m=2,
                                                                 width_field="breedte")],
                           [("built", yard)], id_field="area_id")
    np.testing.assert_array_equal(again["ha_hedge"].to_numpy(), got["ha_hedge"].to_numpy())


def test_numeric_and_missing_ids_and_names():
    areas = gpd.GeoDataFrame({"nr": [12, 7], "naam": ["x", None]},
                             geometry=[box(0, 0, 100, 100), box(100, 0, 200, 100)], crs=RD)
    got = landel.measure(areas, [], id_field="nr", name_field="naam")
    assert got["area_id"].tolist() == ["12", "7"]
    assert got["area_name"].tolist() == ["x", ""]
    default = landel.measure(areas, [])
    assert default["area_id"].tolist() == ["0", "1"]


def test_type_field_max_patch_and_study_area():
    """type_field + types as in a config (unmapped values are not elements), max_patch_ha
    judging connected patches before clipping, and a study area clipping the areas."""
    areas = gpd.GeoDataFrame({"code": ["A", "B"]}, geometry=[box(0, 0, 300, 300), box(300, 0, 600, 300)], crs=RD)
    # a patch of two edge-sharing woods of 0.9 ha each (1.8 ha > 1.5: dropped whole, even though
    # each part alone is smaller), a lone wood of 0.5 ha (kept), and a 'mais' field (not mapped)
    woods = gpd.GeoDataFrame(
        {"soort": ["bosje", "bosje", "bosje", "mais", "poel"]},
        geometry=[box(10, 10, 100, 110), box(100, 10, 190, 110), box(350, 150, 450, 200),
                  box(200, 200, 280, 280), box(500, 20, 520, 40)], crs=RD)
    study = box(0, 0, 550, 300)
    got = landel.measure(areas, [dict(gdf=woods, type_field="soort", types={"bosje": "small_wood", "poel": "pond"},
                                      max_patch_ha=1.5)],
                         id_field="code", types=["pond", "small_wood"], study_area=study)
    assert got["area_ha"].tolist() == pytest.approx([9.0, 7.5], rel=1e-12)  # B clipped at x = 550
    assert got["ha_small_wood"].tolist() == pytest.approx([0.0, 0.5], rel=1e-12)
    assert got["ha_pond"].tolist() == pytest.approx([0.0, 0.04], rel=1e-12)
    assert "small_wood_m" not in got.columns and "pond_count" not in got.columns
    assert got.geometry.iloc[1].equals(box(300, 0, 550, 300))
    # the same study area as a GeoDataFrame in WGS84
    again = landel.measure(areas, [dict(gdf=woods, type_field="soort", types={"bosje": "small_wood", "poel": "pond"},
                                        max_patch_ha=1.5)],
                           id_field="code", types=["pond", "small_wood"],
                           study_area=gpd.GeoDataFrame(geometry=[study], crs=RD).to_crs("EPSG:4326"))
    np.testing.assert_allclose(again["area_ha"], got["area_ha"], rtol=1e-6)
