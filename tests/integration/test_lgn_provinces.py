"""Real data: the national LGN land-use grid (250 m) measured per province.

Inputs (skipped when absent):
  ../shared/data/real/delft3dfmpy-nl/national/lgn250.tif   Float32 classes 0..15, RD New
  ../shared/data/real/nl-admin-cbs/provincie_2016.geojson  the 12 provinces (CBS 2016)

Two runs:
  shipped  lgn250.tif as it is: element types from classes 13, 7, 9, 10 and a raster mask
           "built" (classes 14 = built-up, 15 = greenhouses) from the same file.
  cropped  derived copies written here: the element raster is cut to x < 250 km and
           y > 325 km with class 0 ("outside/no data" in the legend) turned into nodata, and
           two classes map to one type; the mask raster is cut to x > 50 km and y < 600 km.
           Several provinces reach beyond each of them: the part outside the element raster
           is nodata (unless the mask takes it), the part outside the mask raster excludes
           nothing.

The expected figures come from polygons, not from cells counted like landel does: the
classes are turned into polygons with GDAL Polygonize (nodata as its own code), and the
provinces are intersected with them with shapely/GEOS.
"""

import json
import re

import numpy as np
import pytest
from osgeo import gdal

import landel_testlib as lt

REL = 1e-6          # relative tolerance landel vs polygon reference
ABS_HA = 1e-6       # absolute floor for (near) zero values

LGN = "delft3dfmpy-nl/national/lgn250.tif"
PROVINCES = "nl-admin-cbs/provincie_2016.geojson"

BUILT_CLASSES = (14, 15)
NODATA = -1         # marker of nodata cells in the reference code grids
OUTSIDE = -2        # marker (full-grid bookkeeping only) of cells outside a cropped raster

SCENARIOS = {
    "shipped": dict(
        classes={13: "open_water", 7: "orchard", 9: "deciduous_wood", 10: "conifer_wood"},
        order=["open_water", "orchard", "deciduous_wood", "conifer_wood"],
    ),
    "cropped": dict(
        classes={9: "wood", 10: "wood", 13: "open_water", 7: "orchard"},
        order=["wood", "orchard", "open_water"],
        # windows in metres (xmin, ymin, xmax, ymax), on the 250 m lattice
        element_window=(0.0, 325000.0, 250000.0, 625000.0),
        mask_window=(50000.0, 300000.0, 300000.0, 600000.0),
    ),
}


def toml_str(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def read_codes(path):
    """(integer codes with NODATA where GDAL's mask band says nodata, geotransform)."""
    ds = gdal.Open(str(path))
    band = ds.GetRasterBand(1)
    values = band.ReadAsArray()
    valid = band.GetMaskBand().ReadAsArray() > 0
    codes = np.where(valid, np.rint(np.where(valid, values, 0)), NODATA).astype(np.int32)
    gt = ds.GetGeoTransform()
    ds = None
    return codes, gt


def read_values(path):
    ds = gdal.Open(str(path))
    values = ds.GetRasterBand(1).ReadAsArray()
    ds = None
    return values


def window_slices(gt, window):
    x0, y0, x1, y1 = window
    c0, c1 = int(round((x0 - gt[0]) / gt[1])), int(round((x1 - gt[0]) / gt[1]))
    r0, r1 = int(round((y1 - gt[3]) / gt[5])), int(round((y0 - gt[3]) / gt[5]))
    return slice(r0, r1), slice(c0, c1)


def write_float_raster(path, values, gt, nodata, srs_wkt):
    rows, cols = values.shape
    ds = gdal.GetDriverByName("GTiff").Create(str(path), cols, rows, 1, gdal.GDT_Float32,
                                              options=["TILED=YES", "COMPRESS=DEFLATE"])
    ds.SetGeoTransform(gt)
    ds.SetProjection(srs_wkt)
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(nodata)
    band.WriteArray(values.astype(np.float32))
    ds.FlushCache()
    ds = None


@pytest.fixture(scope="module")
def inputs(real_data):
    lgn, prov = real_data / LGN, real_data / PROVINCES
    for p in (lgn, prov):
        if not p.is_file():
            pytest.skip(f"real data incomplete: {p}")
    return lgn, prov


@pytest.fixture(scope="module")
def provinces(inputs):
    feats = lt.read_features(inputs[1])
    assert len(feats) == 12
    out = [(f.attrs["statcode"], f.attrs["statnaam"], f.geom) for f in feats]
    assert len({a for a, _, _ in out}) == 12
    for aid, _, g in out:  # measured as they are: no repair involved
        assert g.is_valid and g.geom_type in ("Polygon", "MultiPolygon"), aid
    return out


@pytest.fixture(scope="module")
def lgn_grid(inputs):
    codes, gt = read_codes(inputs[0])
    ds = gdal.Open(str(inputs[0]))
    wkt = ds.GetProjection()
    nodata = ds.GetRasterBand(1).GetNoDataValue()
    ds = None
    assert gt[2] == 0 and gt[4] == 0 and gt[1] == 250 and gt[5] == -250
    assert set(np.unique(codes)) <= set(range(-1, 16))
    return codes, gt, wkt, nodata


def prepare(scenario, folder, inputs, lgn_grid):
    """Write the scenario's rasters and config; return (config, element raster, mask raster,
    element and mask codes laid on the full LGN grid)."""
    lgn, prov = inputs
    codes, gt, wkt, nodata = lgn_grid
    spec = SCENARIOS[scenario]
    if scenario == "shipped":
        elem_path = mask_path = lgn
        elem_full, mask_full = codes, codes
    else:
        rs, cs = window_slices(gt, spec["element_window"])
        egt = (spec["element_window"][0], 250.0, 0.0, spec["element_window"][3], 0.0, -250.0)
        raw = read_values(lgn)[rs, cs]
        raw = np.where(raw == 0, np.float32(nodata), raw)
        elem_path = folder / "lgn_elements_cropped.tif"
        write_float_raster(elem_path, raw, egt, nodata, wkt)
        elem_full = np.full(codes.shape, OUTSIDE, np.int32)
        elem_full[rs, cs] = np.where(codes[rs, cs] == 0, NODATA, codes[rs, cs])

        rs, cs = window_slices(gt, spec["mask_window"])
        mgt = (spec["mask_window"][0], 250.0, 0.0, spec["mask_window"][3], 0.0, -250.0)
        raw = read_values(lgn)[rs, cs]
        mask_path = folder / "lgn_mask_cropped.tif"
        write_float_raster(mask_path, raw, mgt, nodata, wkt)
        mask_full = np.full(codes.shape, OUTSIDE, np.int32)
        mask_full[rs, cs] = codes[rs, cs]

    classes = ", ".join(f'{c} = "{t}"' for c, t in spec["classes"].items())
    order = ", ".join(f'"{t}"' for t in spec["order"])
    cfg = folder / f"lgn_{scenario}.toml"
    cfg.write_text(lt.dedent_config(f"""
        [run]
        name = "LGN per province ({scenario})"
        crs = "EPSG:28992"
        measurement_year = 2024

        [areas]
        method = "given"

        [[areas.layers]]
        path = {toml_str(prov)}
        id_field = "statcode"
        name_field = "statnaam"

        [[rural.exclude]]
        path = {toml_str(mask_path)}
        classes = [{", ".join(str(c) for c in BUILT_CLASSES)}]
        name = "built"

        [[elements]]
        path = {toml_str(elem_path)}
        classes = {{ {classes} }}

        [types]
        order = [{order}]
        """), encoding="utf-8")
    return cfg, elem_path, mask_path, elem_full, mask_full


@pytest.fixture(scope="module", params=sorted(SCENARIOS))
def case(request, tmp_path_factory, inputs, lgn_grid, provinces, run_landel_session):
    scenario = request.param
    folder = tmp_path_factory.mktemp(f"lgn_{scenario}")
    cfg, elem_path, mask_path, elem_full, mask_full = prepare(scenario, folder, inputs,
                                                              lgn_grid)
    out = folder / "out"
    proc = run_landel_session("run", str(cfg), "--out", str(out), "--quiet")
    expected = reference(scenario, provinces, elem_path, mask_path, elem_full, mask_full)
    return dict(scenario=scenario, spec=SCENARIOS[scenario], config=cfg,
                run=lt.RunResult(proc=proc, out=out, config=cfg), expected=expected,
                elem_path=elem_path)


# --------------------------------------------------------------------------- the reference

def cell_polygons_checked(codes, gt):
    """CellPolygons of `codes`, after checking that each code's polygons cover exactly its
    cells (count x 62500 m²) — the polygonisation loses and adds nothing."""
    cells = lt.CellPolygons(codes, gt)
    by_code = {}
    for c, p in zip(cells.codes, cells.polys):
        assert p.is_valid
        by_code[c] = by_code.get(c, 0.0) + p.area
    values, counts = np.unique(codes, return_counts=True)
    assert set(by_code) == set(int(v) for v in values)
    for v, n in zip(values, counts):
        assert abs(by_code[int(v)] - n * cells.cell_area) <= 1e-9 * n * cells.cell_area, v
    return cells


def reference(scenario, provinces, elem_path, mask_path, elem_full, mask_full):
    spec = SCENARIOS[scenario]
    type_codes = sorted(spec["classes"])
    # Both rasters are windows of the same 250 m lattice: on it, nodata cells and cells of
    # the mapped classes of the element raster are never built-up cells of the mask raster
    # (they come from different LGN values), so below the only overlap of nodata with the
    # mask is the part outside the element raster, which is computed geometrically.
    built_full = np.isin(mask_full, BUILT_CLASSES)
    assert not np.any(built_full & np.isin(elem_full, [NODATA] + type_codes))

    ecodes, egt = read_codes(elem_path)
    elem = cell_polygons_checked(ecodes, egt)
    mcodes, mgt = read_codes(mask_path)
    # the mask's nodata cells exclude nothing: only "built" (1) vs the rest (0)
    mask = cell_polygons_checked(np.isin(mcodes, BUILT_CLASSES).astype(np.int32), mgt)

    expected = {}
    for aid, name, geom in provinces:
        area = geom.area
        pieces = elem.areas_in(geom)
        outside = geom.difference(elem.extent)
        # the pieces (every code, nodata included) and the outside part tile the province
        assert abs(sum(pieces.values()) + outside.area - area) <= 1e-9 * area, aid
        built = mask.areas_in(geom, codes={1}).get(1, 0.0)
        built_outside = mask.areas_in(outside, codes={1}).get(1, 0.0)
        nodata = pieces.get(NODATA, 0.0) + outside.area - built_outside
        ha = {t: 0.0 for t in spec["order"]}
        for code, t in spec["classes"].items():
            ha[t] += pieces.get(code, 0.0) / 1e4
        rural = area - built - nodata
        expected[aid] = dict(area_name=name, area_ha=area / 1e4, rural_ha=rural / 1e4,
                             nodata_ha=nodata / 1e4, excl_built_ha=built / 1e4,
                             element_ha=sum(ha.values()), outside_ha=outside.area / 1e4,
                             **{f"ha_{t}": v for t, v in ha.items()})
    return expected


# --------------------------------------------------------------------------- the tests

def ok(case):
    run = case["run"]
    assert run.proc.returncode == 0, run.describe()
    return run


def test_run_succeeds(case):
    run = ok(case)
    assert lt.error_lines(run.proc.stderr) == []


def test_reference_is_nontrivial(case):
    """Guard against a vacuous comparison: the reference has what the scenario is about."""
    e = case["expected"]
    assert all(v["excl_built_ha"] > 1000 for v in e.values())
    assert all(v[f"ha_{t}"] > 0 for v in e.values() for t in case["spec"]["order"])
    if case["scenario"] == "shipped":
        assert all(v["outside_ha"] == 0 and v["nodata_ha"] == 0 for v in e.values())
    else:
        beyond = [a for a, v in e.items() if v["outside_ha"] > 0]
        assert {"PV20", "PV22", "PV23", "PV25", "PV31"} <= set(beyond), beyond
        assert all(v["nodata_ha"] > 0 for v in e.values())


def test_columns(case):
    run = ok(case)
    header, rows, _ = lt.read_csv(run.out / "area_bid.csv")
    types = case["spec"]["order"]
    assert lt.measured_columns(header) == (["area_id", "area_name", "class", "area_ha", "rural_ha", "nodata_ha",
                       "excl_built_ha", "element_ha", "share_pct"]
                      + [f"ha_{t}" for t in types]
                      + ["target_2030_ha", "target_2050_ha", "gap_2030_ha", "gap_2050_ha",
                         "status"])
    assert sorted(r["area_id"] for r in rows) == sorted(case["expected"])


COLUMNS = ["area_ha", "rural_ha", "nodata_ha", "excl_built_ha", "element_ha"]


def test_against_polygon_reference(case):
    run = ok(case)
    expected = case["expected"]
    cols = COLUMNS + [f"ha_{t}" for t in case["spec"]["order"]]
    _, rows, _ = lt.read_csv(run.out / "area_bid.csv")
    csv_rows = {r["area_id"]: r for r in rows}
    # full precision from areas.gpkg; the CSV must be the same numbers rounded to 6 decimals
    _, _, feats = lt.read_output_layer(run.out / "areas.gpkg", "areas")
    got = {a["area_id"]: a for a, _ in feats}
    assert set(got) == set(csv_rows) == set(expected)
    failures = []
    worst = (0.0, None, None)
    for aid, e in expected.items():
        assert csv_rows[aid]["area_name"] == e["area_name"]
        for col in cols:
            a, b = float(got[aid][col]), e[col]
            assert abs(lt.num(csv_rows[aid][col]) - a) <= 0.5e-6 + 1e-9, (aid, col)
            diff = abs(a - b)
            if abs(b) > ABS_HA and diff / abs(b) > worst[0]:
                worst = (diff / abs(b), aid, col)
            if diff > max(REL * abs(b), ABS_HA):
                failures.append(f"{aid} ({e['area_name']}) {col}: landel {a!r} vs polygon "
                                f"reference {b!r} (diff {a - b:+.6g} ha)")
    print(f"\n[lgn {case['scenario']}] largest relative difference {worst[0]:.2e} "
          f"({worst[1]}, {worst[2]})")
    assert not failures, "\n".join(failures)


def test_accounting_identities(case):
    """area = rural + built + nodata (the mask and nodata never overlap here), element_ha is
    the sum of the types, share_pct = 100 element/rural — on the printed CSV."""
    run = ok(case)
    _, rows, _ = lt.read_csv(run.out / "area_bid.csv")
    for r in rows:
        n = {k: lt.num(v) for k, v in r.items() if k.endswith("_ha") or k.startswith("ha_")}
        assert abs(n["area_ha"] - n["rural_ha"] - n["excl_built_ha"] - n["nodata_ha"]) <= 2e-6
        types = [f"ha_{t}" for t in case["spec"]["order"]]
        assert abs(n["element_ha"] - sum(n[t] for t in types)) <= 0.5e-6 * (len(types) + 1)
        assert lt.share_from_rounded_ok(r["share_pct"], r["element_ha"], r["rural_ha"]), r


def test_totals_in_summary(case):
    run = ok(case)
    s = json.loads((run.out / "summary.json").read_text(encoding="utf-8"))
    tot = s["totals"]
    e = case["expected"].values()
    for col in COLUMNS + [f"ha_{t}" for t in case["spec"]["order"]]:
        if col == "excl_built_ha":
            continue
        want = sum(v[col] for v in e)
        assert abs(tot[col] - want) <= max(REL * want, ABS_HA), (col, tot[col], want)
    assert tot["additive"] is True  # the provinces do not overlap


def test_outside_extent_warning(case):
    """Where the element raster leaves parts of provinces uncovered (cropped), a warning
    names those provinces and only those; the shipped raster covers all: no province is
    named in a warning. (The cropped mask raster is not an element source: no warning.)"""
    run = ok(case)
    s = json.loads((run.out / "summary.json").read_text(encoding="utf-8"))
    warnings = [str(w) for w in s.get("warnings", [])]
    text = "\n".join(w for w in warnings if "does not cover" in w)
    # Every province with nodata_ha is named, with its hectares, in the no-data warning.
    _, rows, _ = lt.read_csv(run.out / "area_bid.csv")
    no_data = "\n".join(w for w in warnings if "have no data for part of" in w)
    # (Up to ten are listed by name, the rest as "and N more".)
    with_nodata = [r for r in rows if lt.num(r["nodata_ha"]) >= 1e-4]
    named = [r for r in with_nodata if f"{r['area_id']} ({r['nodata_ha']} ha)" in no_data]
    more = re.search(r"and (\d+) more", no_data)
    assert len(named) == min(10, len(with_nodata)), no_data
    assert len(with_nodata) - len(named) == (int(more.group(1)) if more else 0), no_data
    for r in rows:
        if lt.num(r["nodata_ha"]) < 1e-4:
            assert f"{r['area_id']} (" not in no_data
    beyond = {a for a, v in case["expected"].items() if v["outside_ha"] > 0}
    inside = set(case["expected"]) - beyond
    assert inside
    assert bool(beyond) == (case["scenario"] == "cropped")
    for aid in beyond:
        assert aid in text, (aid, text)
    for aid in inside:
        assert aid not in text, (aid, text)


def test_element_density_adds_up(case):
    """element_density.tif: share per cell; share x cell area summed over the map equals the
    total element area (the provinces do not overlap)."""
    run = ok(case)
    ds = gdal.Open(str(run.out / "element_density.tif"))
    band = ds.GetRasterBand(1)
    gt = ds.GetGeoTransform()
    d = band.ReadAsArray().astype(np.float64)
    nodata = band.GetNoDataValue()
    assert nodata == -1
    valid = d != nodata
    assert np.all((d[valid] >= 0) & (d[valid] <= 1 + 1e-6))
    total = float(d[valid].sum()) * abs(gt[1] * gt[5]) / 1e4
    want = sum(v["element_ha"] for v in case["expected"].values())
    assert abs(total - want) <= 1e-5 * want, (total, want)
