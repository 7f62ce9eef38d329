"""Real data: vector and raster sources in one run, Otterlo BGT (../shared/data/real/otterlo-bgt).

Two of the six made-up areas (derived/areas_6.gpkg, OT04 and OT05, picked with a `where`;
the only ones with hedges) are measured with
  rural.exclude  raster derived/landcover_05m.tif classes 1 (pand), 2 (wegdeel) -> "built"
                 vector onbegroeidterreindeel polygons                           -> "paved"
  elements       vector houtwal polygons (begroeidterreindeel class = 'houtwal') -> houtwal
                 raster landcover_05m.tif 20 -> wooded_bank, 21 -> small_wood, 11 -> pond
                 vector vegetatieobject_boom points, 6 m crowns                  -> tree
                 vector vegetatieobject_haag lines, 1.5 m strips                 -> hedge
  types.order    houtwal, wooded_bank, small_wood, tree, hedge, pond
so a vector type ranked before a raster type (houtwal over the rasterised houtwal cells, 20)
and one ranked after (trees under the wood cells, 21) both happen, and the vector mask
overlaps nodata and raster-mask cells.

The reference is polygons only: the landcover window over the areas is turned into cell
polygons with GDAL Polygonize (nodata, 0, as its own code) and everything else is shapely
overlay in the spec's order (rural land, then ownership type by type).
"""

import json
import math

import numpy as np
import pytest
from osgeo import gdal
from shapely.geometry import LineString, MultiPolygon, box
from shapely.ops import unary_union
from shapely.prepared import prep

import landel_testlib as lt

REL = 1e-6
ABS_HA = 1e-6
ABS_M = 1e-3

SUBDIR = "otterlo-bgt"
AREA_CODES = ["OT04", "OT05"]
AREAS_WHERE = "code IN ('OT04', 'OT05')"
NODATA = -1
BUILT_CLASSES = (1, 2)
RASTER_TYPES = {20: "wooded_bank", 21: "small_wood", 11: "pond"}
TREE_D = 6.0
HEDGE_W = 1.5
ORDER = ["houtwal", "wooded_bank", "small_wood", "tree", "hedge", "pond"]
VECTOR_TYPES = ("houtwal", "tree", "hedge")


def toml_str(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(scope="module")
def otterlo(real_data):
    d = real_data / SUBDIR
    paths = dict(landcover=d / "derived" / "landcover_05m.tif",
                 areas=d / "derived" / "areas_6.gpkg",
                 bgt=d / "otterlo_bgt_current.gpkg")
    for p in paths.values():
        if not p.is_file():
            pytest.skip(f"real data incomplete: {p}")
    return paths


@pytest.fixture(scope="module")
def otterlo_run(tmp_path_factory, otterlo, run_landel_session):
    folder = tmp_path_factory.mktemp("otterlo")
    lc, bgt = toml_str(otterlo["landcover"]), toml_str(otterlo["bgt"])
    classes = ", ".join(f'{c} = "{t}"' for c, t in RASTER_TYPES.items())
    cfg = folder / "otterlo.toml"
    cfg.write_text(lt.dedent_config(f"""
        [run]
        name = "Otterlo raster + vector"
        crs = "EPSG:28992"
        measurement_year = 2024

        [areas]
        method = "given"

        [[areas.layers]]
        path = {toml_str(otterlo["areas"])}
        layer = "areas"
        where = "{AREAS_WHERE}"
        id_field = "code"
        name_field = "naam"

        [[rural.exclude]]
        path = {lc}
        classes = [{", ".join(str(c) for c in BUILT_CLASSES)}]
        name = "built"

        [[rural.exclude]]
        path = {bgt}
        layer = "onbegroeidterreindeel"
        name = "paved"

        [[elements]]
        path = {bgt}
        layer = "begroeidterreindeel"
        where = "class = 'houtwal'"
        type = "houtwal"

        [[elements]]
        path = {lc}
        classes = {{ {classes} }}

        [[elements]]
        path = {bgt}
        layer = "vegetatieobject_boom"
        type = "tree"
        width_m = {TREE_D}

        [[elements]]
        path = {bgt}
        layer = "vegetatieobject_haag"
        type = "hedge"
        width_m = {HEDGE_W}

        [types]
        order = [{", ".join(f'"{t}"' for t in ORDER)}]
        """), encoding="utf-8")
    out = folder / "out"
    proc = run_landel_session("run", str(cfg), "--out", str(out), "--quiet")
    return lt.RunResult(proc=proc, out=out, config=cfg)


# --------------------------------------------------------------------------- the reference

def read_window(path, bounds, margin_cells=2):
    """Codes (NODATA where GDAL's mask says nodata) of the raster window covering `bounds`,
    its geotransform, and the whole raster's extent as a polygon."""
    ds = gdal.Open(str(path))
    gt = ds.GetGeoTransform()
    assert gt[2] == 0 and gt[4] == 0
    band = ds.GetRasterBand(1)
    x0, y0, x1, y1 = bounds
    c0 = max(int(np.floor((x0 - gt[0]) / gt[1])) - margin_cells, 0)
    c1 = min(int(np.ceil((x1 - gt[0]) / gt[1])) + margin_cells, ds.RasterXSize)
    r0 = max(int(np.floor((y1 - gt[3]) / gt[5])) - margin_cells, 0)
    r1 = min(int(np.ceil((y0 - gt[3]) / gt[5])) + margin_cells, ds.RasterYSize)
    values = band.ReadAsArray(c0, r0, c1 - c0, r1 - r0)
    valid = band.GetMaskBand().ReadAsArray(c0, r0, c1 - c0, r1 - r0) > 0
    codes = np.where(valid, values, NODATA).astype(np.int32)
    wgt = (gt[0] + c0 * gt[1], gt[1], 0.0, gt[3] + r0 * gt[5], 0.0, gt[5])
    xs = (gt[0], gt[0] + gt[1] * ds.RasterXSize)
    ys = (gt[3], gt[3] + gt[5] * ds.RasterYSize)
    full = box(min(xs), min(ys), max(xs), max(ys))
    ds = None
    return codes, wgt, full


def line_parts(g):
    if g.is_empty:
        return []
    if g.geom_type == "LineString":
        return [g]
    return [p for q in getattr(g, "geoms", []) for p in line_parts(q)]


def kept_length(lines, codes, gt, removed=(NODATA,) + BUILT_CLASSES):
    """Length of `lines` outside the cells that raster masks and nodata remove: every
    segment is cut at the cell edges and each piece belongs to the cell of its midpoint
    (the spec's rule). Pieces beyond the window are removed (outside the raster)."""
    x0, cw, y0, ch = gt[0], gt[1], gt[3], gt[5]
    rows, cols = codes.shape
    total = 0.0
    for part in line_parts(lines):
        xy = list(part.coords)
        for (ax, ay), (bx, by) in zip(xy[:-1], xy[1:]):
            length = math.hypot(bx - ax, by - ay)
            if length == 0:
                continue
            ts = {0.0, 1.0}
            for a, b, origin, size in ((ax, bx, x0, cw), (ay, by, y0, ch)):
                if a == b:
                    continue
                ka, kb = sorted(((a - origin) / size, (b - origin) / size))
                for k in range(math.ceil(ka), math.floor(kb) + 1):
                    t = (origin + k * size - a) / (b - a)
                    if 0.0 < t < 1.0:
                        ts.add(t)
            ts = sorted(ts)
            for ta, tb in zip(ts[:-1], ts[1:]):
                tm = 0.5 * (ta + tb)
                col = math.floor((ax + tm * (bx - ax) - x0) / cw)
                row = math.floor((ay + tm * (by - ay) - y0) / ch)
                if 0 <= row < rows and 0 <= col < cols and codes[row, col] not in removed:
                    total += (tb - ta) * length
    return total


def area(g):
    return 0.0 if g.is_empty else g.area


@pytest.fixture(scope="module")
def reference(otterlo):
    areas = [(f.attrs["code"], f.attrs["naam"], f.geom)
             for f in lt.read_features(otterlo["areas"], "areas", AREAS_WHERE)]
    assert sorted(a for a, _, _ in areas) == AREA_CODES
    assert all(g.is_valid for _, _, g in areas)

    bounds = unary_union([g for _, _, g in areas]).bounds
    codes, wgt, raster_extent = read_window(otterlo["landcover"], bounds)
    cells = lt.CellPolygons(codes, wgt)
    # the polygons cover exactly the cells of each code
    got = {}
    for c, p in zip(cells.codes, cells.polys):
        assert p.is_valid
        got[c] = got.get(c, 0.0) + p.area
    values, counts = np.unique(codes, return_counts=True)
    assert set(got) == {int(v) for v in values}
    for v, n in zip(values, counts):
        assert abs(got[int(v)] - n * cells.cell_area) <= 1e-9 * n * cells.cell_area, v

    bgt = otterlo["bgt"]
    paved_polys = [f.geom for f in lt.read_features(bgt, "onbegroeidterreindeel")]
    houtwal_polys = [f.geom for f in lt.read_features(bgt, "begroeidterreindeel",
                                                       "class = 'houtwal'")]
    trees = [f.geom for f in lt.read_features(bgt, "vegetatieobject_boom")]
    hedges = [f.geom for f in lt.read_features(bgt, "vegetatieobject_haag")]
    assert all(g.is_valid for g in paved_polys + houtwal_polys)  # no repair involved
    assert len(houtwal_polys) == 38 and len(hedges) == 16
    paved = unary_union(paved_polys)
    footprint = {
        "houtwal": unary_union(houtwal_polys),
        "tree": unary_union([p.buffer(TREE_D / 2, 32) for p in trees]),
        "hedge": unary_union([ln.buffer(HEDGE_W / 2, 32, cap_style=lt.CAP_FLAT,
                                        join_style=lt.JOIN_ROUND) for ln in hedges]),
    }
    # the buffer settings: a straight 10 m line -> exactly 10 x 1.5 m
    assert abs(LineString([(0, 0), (10, 0)]).buffer(HEDGE_W / 2, 32, cap_style=lt.CAP_FLAT,
                                                     join_style=lt.JOIN_ROUND).area
               - 10 * HEDGE_W) < 1e-9

    expected = {}
    for aid, name, geom in areas:
        a = geom.area
        pieces = cells.areas_in(geom)
        outside = geom.difference(raster_extent)
        assert abs(sum(pieces.values()) + area(outside) - a) <= 1e-9 * a, aid

        nodata_cells = cells.union_in(geom, {NODATA})
        nodata_all = unary_union([nodata_cells, outside]) if not outside.is_empty \
            else nodata_cells
        built = cells.union_in(geom, set(BUILT_CLASSES))
        paved_a = paved.intersection(geom)
        masks = unary_union([built, paved_a])
        rural = geom.difference(unary_union([masks, nodata_all]))
        nodata = nodata_all.difference(masks)
        # rural, masks and nodata tile the area
        assert abs(area(rural) + area(masks) + area(nodata) - a) <= 1e-9 * a, aid

        unmasked = geom.difference(paved)  # the area without the vector mask
        region = {t: cells.union_in(geom, {c}) for c, t in RASTER_TYPES.items()}
        region.update({t: footprint[t].intersection(geom) for t in VECTOR_TYPES})
        owned_before = MultiPolygon()
        ha, owned = {}, {}
        for t in ORDER:
            inside = region[t].intersection(rural)
            own = inside.difference(owned_before) if not owned_before.is_empty else inside
            owned[t] = own
            ha[t] = area(own) / 1e4
            owned_before = unary_union([owned_before, inside])
        in_area = prep(geom)
        prural = prep(rural)
        rural_pts = [p for p in trees if in_area.intersects(p) and prural.intersects(p)]
        expected[aid] = dict(
            area_name=name, area_ha=a / 1e4, rural_ha=area(rural) / 1e4,
            nodata_ha=area(nodata) / 1e4, excl_built_ha=area(built) / 1e4,
            excl_paved_ha=area(paved_a) / 1e4, element_ha=area(owned_before) / 1e4,
            **{f"ha_{t}": v for t, v in ha.items()},
            hedge_m=sum(kept_length(ln.intersection(unmasked), codes, wgt) for ln in hedges),
            tree_count_max=len(rural_pts),
            tree_count_min=sum(1 for p in rural_pts if prural.contains(p)),
            owned=owned,
            # what precedence decides here (guards against a vacuous test)
            houtwal_on_bank_cells=area(region["houtwal"].intersection(region["wooded_bank"])
                                       .intersection(rural)) / 1e4,
            trees_on_wood_cells=area(region["tree"].intersection(region["small_wood"])
                                     .intersection(rural)) / 1e4,
            paved_on_nodata=area(paved_a.intersection(nodata_all)) / 1e4,
            paved_on_built=area(paved_a.intersection(built)) / 1e4,
        )
    return expected


# --------------------------------------------------------------------------- the tests

def ok(run):
    assert run.proc.returncode == 0, run.describe()
    return run


def test_run_succeeds(otterlo_run):
    run = ok(otterlo_run)
    assert lt.error_lines(run.proc.stderr) == []


def test_reference_exercises_the_rules(reference):
    """The data really put a vector type over raster cells of a later type, a raster type
    over a later vector type, and a vector mask over nodata and raster-mask cells."""
    for aid, e in reference.items():
        assert e["houtwal_on_bank_cells"] > 0.2, aid
        assert e["nodata_ha"] > 1.0 and e["paved_on_nodata"] > 0.01, aid
        assert e["paved_on_built"] > 0.04, aid
        assert e["ha_hedge"] > 0 and e["ha_tree"] > 0.1, aid
    assert reference["OT05"]["trees_on_wood_cells"] > 0.03
    # houtwal before wooded_bank: the rasterised houtwal cells mostly go to the vector type
    for aid, e in reference.items():
        assert e["ha_houtwal"] > 10 * e["ha_wooded_bank"], aid


def test_columns(otterlo_run):
    run = ok(otterlo_run)
    header, rows, _ = lt.read_csv(run.out / "area_bid.csv")
    assert lt.measured_columns(header) == (["area_id", "area_name", "class", "area_ha", "rural_ha", "nodata_ha",
                       "excl_built_ha", "excl_paved_ha", "element_ha", "share_pct"]
                      + [f"ha_{t}" for t in ORDER]
                      + ["target_2030_ha", "target_2050_ha", "gap_2030_ha", "gap_2050_ha",
                         "status", "hedge_m", "tree_count"])
    assert sorted(r["area_id"] for r in rows) == AREA_CODES


HA_COLUMNS = (["area_ha", "rural_ha", "nodata_ha", "excl_built_ha", "excl_paved_ha",
               "element_ha"] + [f"ha_{t}" for t in ORDER])


def test_against_polygon_reference(otterlo_run, reference):
    run = ok(otterlo_run)
    _, rows, _ = lt.read_csv(run.out / "area_bid.csv")
    csv_rows = {r["area_id"]: r for r in rows}
    _, _, feats = lt.read_output_layer(run.out / "areas.gpkg", "areas")
    got = {a["area_id"]: a for a, _ in feats}
    assert set(got) == set(csv_rows) == set(reference)
    failures = []
    for aid, e in reference.items():
        assert csv_rows[aid]["area_name"] == e["area_name"]
        for col in HA_COLUMNS:
            a, b = float(got[aid][col]), e[col]
            assert abs(lt.num(csv_rows[aid][col]) - a) <= 0.5e-6 + 1e-9, (aid, col)
            print(f"[otterlo] {aid} {col:16s} landel {a:.9f} reference {b:.9f}")
            if abs(a - b) > max(REL * abs(b), ABS_HA):
                failures.append(f"{aid} {col}: landel {a!r} vs polygon reference {b!r} "
                                f"(diff {a - b:+.6g} ha)")
    assert not failures, "\n".join(failures)


def test_plan_quantities(otterlo_run, reference):
    """hedge_m: centre-line length in the area minus the vector mask (GEOS line-in-polygon:
    a line on the mask's edge counts, as in all-vector runs), minus the pieces whose cell
    (cut at cell edges, by midpoint) is a raster-mask or nodata cell. BGT hedges are drawn
    on the edges of the onbegroeid polygons, so `line ∩ rural` as one overlay would be
    decided by rounding noise (1e-11 m off the edge) and is not used. tree_count: trees in
    rural land, bracketed by the trees strictly inside and those touching it."""
    run = ok(otterlo_run)
    _, rows, _ = lt.read_csv(run.out / "area_bid.csv")
    for r in rows:
        e = reference[r["area_id"]]
        assert abs(lt.num(r["hedge_m"]) - e["hedge_m"]) <= max(REL * e["hedge_m"], ABS_M), \
            (r["area_id"], r["hedge_m"], e["hedge_m"])
        assert e["tree_count_min"] <= int(r["tree_count"]) <= e["tree_count_max"], \
            (r["area_id"], r["tree_count"], e["tree_count_min"], e["tree_count_max"])


def test_elements_layer_vector_geometry(otterlo_run, reference):
    """The elements layer holds, per area and vector type, the owned geometry: the footprint
    minus masks, nodata cells and what earlier types (raster cells included) own."""
    run = ok(otterlo_run)
    _, _, feats = lt.read_output_layer(run.out / "areas.gpkg", "elements")
    geoms, has = {}, {}
    for attrs, g in feats:
        key = (attrs["area_id"], attrs["type"])
        geoms.setdefault(key, []).append(g)
        has[key] = has.get(key, 0.0) + attrs["ha"]
    for aid, e in reference.items():
        for t in VECTOR_TYPES:
            want = e["owned"][t]
            assert abs(has.get((aid, t), 0.0) - e[f"ha_{t}"]) <= max(REL * e[f"ha_{t}"], ABS_HA)
            g = unary_union(geoms.get((aid, t), [])) if geoms.get((aid, t)) else MultiPolygon()
            sym = area(g.symmetric_difference(want)) if not (g.is_empty and want.is_empty) \
                else 0.0
            assert sym <= max(REL * area(want), 0.01), (aid, t, sym, area(want))


def test_totals_and_identities(otterlo_run, reference):
    run = ok(otterlo_run)
    s = json.loads((run.out / "summary.json").read_text(encoding="utf-8"))
    tot = s["totals"]
    for col in ("area_ha", "rural_ha", "nodata_ha", "element_ha") + \
            tuple(f"ha_{t}" for t in ORDER):
        want = sum(e[col] for e in reference.values())
        assert abs(tot[col] - want) <= max(REL * want, ABS_HA), (col, tot[col], want)
    _, rows, _ = lt.read_csv(run.out / "area_bid.csv")
    for r in rows:
        n = {k: lt.num(v) for k, v in r.items() if k.endswith("_ha") or k.startswith("ha_")}
        assert abs(n["element_ha"] - sum(n[f"ha_{t}"] for t in ORDER)) <= 0.5e-6 * 7
        assert lt.share_from_rounded_ok(r["share_pct"], r["element_ha"], r["rural_ha"]), r
