"""[siting] candidate sites from [bid.potential] parcels (docs/siting.md), on the sample polder:
the free parcel edges of each area's rural land, at least min_length_m long and clearance_m off
its elements, as strips of the area's line type. Checked against an independent shapely
computation from the parcels, the run's rural land and elements: the sites' lengths, that
they lie on parcel edges, and that no strip touches an element or a mask."""

import csv
import math
import sqlite3

import pytest
from osgeo import ogr
from shapely import affinity
from shapely.geometry import Point, Polygon, box
from shapely.ops import linemerge, unary_union

import landel_testlib as lt
from test_bid import base_config, libreoffice
from test_pledges import sheets_as_csv

CLEARANCE_M, MIN_LENGTH_M = 5.0, 20.0


@pytest.fixture(scope="module")
def sited(repo_root, run_landel_session, tmp_path_factory):
    folder = tmp_path_factory.mktemp("candidates")
    gpkg = repo_root / "data/samples/polder/landscape.gpkg"
    cfg = folder / "siting.toml"
    cfg.write_text(base_config(repo_root, f"""
[bid]
potential = {{ path = "{gpkg}", layer = "percelen", clearance_m = {CLEARANCE_M} }}
[bid.mix]
"*" = {{ hedge = 0.8, pond = 0.2 }}
[siting]
min_length_m = {MIN_LENGTH_M}
[render]
max_area_maps = 0
"""), encoding="utf-8")
    out = folder / "out"
    proc = run_landel_session("run", str(cfg), "--out", str(out), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    return out, gpkg


def by_area(gpkg, layer):
    rows = {}
    for attrs, geom in lt.read_output_layer(gpkg, layer)[2]:
        if geom is not None and not geom.is_empty:
            rows.setdefault(attrs["area_id"], []).append(geom)
    return {a: unary_union(g) for a, g in rows.items()}


def clearance(elements):
    """The land within CLEARANCE_M of the elements: the union of its polygons' buffers, which is the
    buffer of the union (one buffer of many polygons may fall back to a coarser precision)."""
    return unary_union([p.buffer(CLEARANCE_M, 8) for p in getattr(elements, "geoms", [elements])])


def edge_sites(sites):
    """The candidates on free edges (strips), without the corner sites (discs)."""
    return [(a, g) for a, g in sites if a["site"] != "field_corner"]


def run_text(run_landel, text, folder, name):
    """Writes @p text as folder/name.toml, runs it without maps and returns its output folder."""
    cfg = folder / f"{name}.toml"
    cfg.write_text(text, encoding="utf-8")
    out = folder / f"{name}-out"
    proc = run_landel("run", str(cfg), "--out", str(out), "--quiet", "--no-maps")
    assert proc.returncode == 0, lt.describe(proc)
    return out


def assert_no_land_chosen_twice(parts):
    """Per area the chosen parts' areas sum to the area of their union."""
    by = {}
    for attrs, g in parts:
        by.setdefault(attrs["area_id"], []).append(g)
    for area, gs in by.items():
        assert sum(g.area for g in gs) - unary_union(gs).area <= 1e-6, area


def assert_same_sites(a, b):
    """Two runs give area_bid.csv byte for byte and the same candidates and sites."""
    assert (a / "area_bid.csv").read_bytes() == (b / "area_bid.csv").read_bytes()
    for layer in ("candidates", "sites"):
        x = lt.read_output_layer(a / "candidates.gpkg", layer)[2]
        y = lt.read_output_layer(b / "candidates.gpkg", layer)[2]
        assert [r for r, _ in x] == [r for r, _ in y] and [g.wkb for _, g in x] == [g.wkb for _, g in y]


def test_sites_are_the_free_edges_of_the_rural_land(sited):
    out, gpkg = sited
    parcels = [lt.repair(f.geom) for f in lt.read_features(gpkg, "percelen")]
    edges = unary_union([p.boundary for p in parcels])
    rural = by_area(out / "areas.gpkg", "rural_land")
    elements = by_area(out / "areas.gpkg", "elements")
    _, _, sites = lt.read_output_layer(out / "candidates.gpkg", "candidates")
    sites = edge_sites(sites)
    assert sites, "the sample's parcels give candidate sites"
    _, rows, _ = lt.read_csv(out / "area_bid.csv")
    for r in rows:
        area = r["area_id"]
        free = edges.intersection(rural[area]) if area in rural else None
        want = []
        if free is not None and not free.is_empty:
            if area in elements:
                free = free.difference(clearance(elements[area]))
            # Where the land cuts an edge at a point, the overlay gives points too: lines only.
            lines = [g for g in getattr(free, "geoms", [free]) if g.geom_type == "LineString"]
            lines += [p for g in getattr(free, "geoms", [free]) if g.geom_type == "MultiLineString"
                      for p in g.geoms]
            merged = linemerge(lines)
            want = [g.length for g in getattr(merged, "geoms", [merged])
                    if g.geom_type == "LineString" and g.length >= MIN_LENGTH_M]
        mine = [a["length_m"] for a, _ in sites if a["area_id"] == area]
        assert int(r["candidate_sites"]) - int(r["candidate_corners"]) == len(mine) == len(want), area
        assert sum(mine) == pytest.approx(sum(want), rel=1e-9, abs=1e-6), area
        assert lt.num(r["candidate_m"]) == pytest.approx(sum(want), rel=1e-6, abs=1e-3), area


def test_a_site_lies_on_a_parcel_edge_and_off_elements_and_masks(sited):
    out, gpkg = sited
    parcels = [lt.repair(f.geom) for f in lt.read_features(gpkg, "percelen")]
    edges = unary_union([p.boundary for p in parcels])
    rural = by_area(out / "areas.gpkg", "rural_land")
    elements = by_area(out / "areas.gpkg", "elements")
    masks = unary_union([lt.repair(f.geom) for layer in ("bebouwing", "wegen", "natuur")
                         for f in lt.read_features(gpkg, layer)])
    _, _, sites = lt.read_output_layer(out / "candidates.gpkg", "candidates")
    for attrs, strip in edge_sites(sites):
        area = attrs["area_id"]
        assert attrs["type"] == "hedge"  # the line type with the largest share of the mix
        assert attrs["ha"] == pytest.approx(strip.area / 1e4, rel=1e-9)
        # A hedge strip is 1.5 m wide (catalogue plan_width_m): within 0.75 m of an edge.
        # (1 cm more: the strip's round joins are 128-gons, the test buffer's 32-gons.)
        assert strip.difference(edges.buffer(0.76, resolution=8)).area < 1e-6, attrs["candidate_id"]
        assert strip.difference(rural[area]).area < 1e-6
        if area in elements:
            assert strip.intersection(elements[area]).area < 1e-6
        assert strip.intersection(masks).area < 1e-6
        assert attrs["build_eur"] > 0


def test_sites_open_styled_in_qgis_and_in_the_project(sited):
    out, _ = sited
    with sqlite3.connect(out / "candidates.gpkg") as db:
        qml = db.execute("SELECT styleQML FROM layer_styles WHERE f_table_name = 'candidates'").fetchone()[0]
    assert 'type="categorizedSymbol"' in qml and 'attr="type"' in qml
    project = (out / "landel.qgs").read_text(encoding="utf-8")
    assert "./candidates.gpkg|layername=candidates" in project and "./candidates.gpkg|layername=sites" in project


def test_min_length_must_not_be_negative(repo_root, run_landel, tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(base_config(repo_root, "[siting]\nmin_length_m = -1\n"), encoding="utf-8")
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"), "--quiet")
    lines = proc.stderr.splitlines()
    assert proc.returncode == 1 and len(lines) == 1 and "siting.min_length_m must be >= 0" in lines[0], lines
    assert not (tmp_path / "out").exists()


def test_chosen_sites_hold_the_hedge_and_pond_proposals_exactly(sited):
    """Per area and sited type (the hedge on edges, the pond in corners), the chosen parts hold
    the proposal's hectares milestone by milestone; the chosen are the first by rank, and at
    most one of each type is cut."""
    out, _ = sited
    # The areas layer keeps the figures at full precision (the CSV at 6 decimals).
    rows = [a for a, _ in lt.read_output_layer(out / "areas.gpkg", "areas")[2]]
    years = sorted({int(c.split("_")[2]) for c in rows[0] if c.startswith("add_hedge_")})
    _, _, parts = lt.read_output_layer(out / "candidates.gpkg", "sites")
    _, _, sites = lt.read_output_layer(out / "candidates.gpkg", "candidates")
    assert {a["type"] for a, _ in parts} == {"hedge", "pond"}
    for r in rows:
        area = r["area_id"]
        unsited = 0.0
        for t in ("hedge", "pond"):
            mine = [(a, g) for a, g in parts if a["area_id"] == area and a["type"] == t]
            for attrs, geom in mine:
                assert attrs["ha"] == pytest.approx(geom.area / 1e4, rel=1e-9, abs=1e-12)
            need = sum(r[f"add_{t}_{y}_ha"] for y in years)
            held_all = sum(a["ha"] for a, _ in mine)
            assert held_all <= need + 1e-9, (area, t)
            unsited += need - held_all
            ranked = sorted((a for a, _ in sites if a["area_id"] == area and a["type"] == t
                             and a["rank"] is not None), key=lambda a: a["rank"])
            if held_all < need - 1e-9:  # not enough candidates: all of them taken
                assert all(a["selected"] and a["selected_ha"] == pytest.approx(a["ha"], abs=1e-9)
                           for a in ranked), (area, t)
            else:
                for y in years:  # each milestone held exactly, the last site cut to fit
                    held = sum(a["ha"] for a, _ in mine if a["milestone"] == y)
                    assert held == pytest.approx(r[f"add_{t}_{y}_ha"], abs=1e-9), (area, t, y)
            # The chosen candidates are the first by rank; at most one of them is cut.
            assert [a["rank"] for a in ranked] == list(range(1, len(ranked) + 1))
            chosen = [a["selected"] for a in ranked]
            assert chosen == sorted(chosen, reverse=True), (area, t)
            cut = [a for a in ranked if a["selected"] and a["selected_ha"] < a["ha"] - 1e-9]
            assert len(cut) <= 1, (area, t)
        assert r["unsited_ha"] == pytest.approx(unsited, abs=1e-9), area
        assert r["eca_after_ha"] >= r["eca_ha"] - 1e-12


def test_the_eca_rule_ranks_by_gain_per_euro(sited):
    out, _ = sited
    _, _, sites = lt.read_output_layer(out / "candidates.gpkg", "candidates")
    by_area = {}
    for a, _ in sites:
        by_area.setdefault(a["area_id"], []).append(a)
    for area, cands in by_area.items():
        for t in ("hedge", "pond"):
            ranked = sorted((a for a in cands if a["type"] == t and a["rank"] is not None),
                            key=lambda a: a["rank"])
            keys = [a["eca_gain_ha"] / a["build_eur"] for a in ranked]
            assert keys == sorted(keys, reverse=True), (area, t)
            assert all(a["eca_gain_ha"] >= -1e-12 for a in ranked)


def test_the_same_sites_for_one_and_two_threads(repo_root, run_landel, sited, tmp_path):
    out, _ = sited
    cfg = out.parent / "siting.toml"
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "one"), "--quiet", "--threads", "1", "--no-maps")
    assert proc.returncode == 0, lt.describe(proc)
    assert_same_sites(out, tmp_path / "one")


def test_the_cost_rule_ranks_the_cheapest_hectare_first(sited, run_landel, tmp_path):
    out, _ = sited
    text = (out.parent / "siting.toml").read_text(encoding="utf-8")
    cfg = tmp_path / "cost.toml"
    cfg.write_text(text.replace("[siting]\n", '[siting]\nrule = "cost"\n'), encoding="utf-8")
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"), "--quiet", "--no-maps")
    assert proc.returncode == 0, lt.describe(proc)
    _, _, sites = lt.read_output_layer(tmp_path / "out/candidates.gpkg", "candidates")
    areas = {a["area_id"] for a, _ in sites}
    for area in areas:
        for t in ("hedge", "pond"):
            ranked = sorted((a for a, _ in sites if a["area_id"] == area and a["type"] == t
                             and a["rank"] is not None), key=lambda a: a["rank"])
            keys = [a["build_eur"] / a["ha"] for a in ranked]
            assert keys == sorted(keys), (area, t)
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("[siting]\n", '[siting]\nrule = "cheapest"\n'), encoding="utf-8")
    proc = run_landel("run", str(bad), "--out", str(tmp_path / "bad"), "--quiet")
    lines = proc.stderr.splitlines()
    assert proc.returncode == 1 and len(lines) == 1 and 'siting.rule must be "eca_per_euro" or "cost"' in lines[0]


def variant(out, tmp_path, name, keys="", tables=""):
    """The fixture's config with @p keys added to [siting] and @p tables after its keys."""
    text = (out.parent / "siting.toml").read_text(encoding="utf-8")
    text = text.replace("[siting]\n", "[siting]\n" + keys).replace("[render]\n", tables + "[render]\n")
    cfg = tmp_path / f"{name}.toml"
    cfg.write_text(text, encoding="utf-8")
    return cfg


def test_no_site_in_the_excluded_land(sited, run_landel, tmp_path):
    """[siting.exclude]: the western half of the sites' extent is off limits; the sites left
    are the free edges of the rural land minus it (shapely), and no strip reaches into it."""
    out, gpkg = sited
    _, _, before = lt.read_output_layer(out / "candidates.gpkg", "candidates")
    xs = [x for _, g in before for x in (g.bounds[0], g.bounds[2])]
    ys = [y for _, g in before for y in (g.bounds[1], g.bounds[3])]
    x_mid = (min(xs) + max(xs)) / 2
    west = box(min(xs) - 10, min(ys) - 10, x_mid, max(ys) + 10)
    lt.write_vector(tmp_path / "exclude.gpkg", "exclude", ogr.wkbPolygon, [(west.wkt, {})])
    cfg = variant(out, tmp_path, "exclude", f'exclude = {{ path = "{tmp_path / "exclude.gpkg"}" }}\n')
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"), "--quiet", "--no-maps")
    assert proc.returncode == 0, lt.describe(proc)
    _, _, after = lt.read_output_layer(tmp_path / "out/candidates.gpkg", "candidates")
    assert after and len(after) < len(before)
    for attrs, strip in after:
        assert strip.intersection(west).area < 1e-6, attrs["candidate_id"]
    # The lengths: the free edges of each area's rural land outside the excluded land.
    parcels = [lt.repair(f.geom) for f in lt.read_features(gpkg, "percelen")]
    edges = unary_union([p.boundary for p in parcels])
    rural = by_area(out / "areas.gpkg", "rural_land")
    elements = by_area(out / "areas.gpkg", "elements")
    for area, land in rural.items():
        free = edges.intersection(land.difference(west))
        if area in elements and not free.is_empty:
            free = free.difference(clearance(elements[area]))
        got = sum(a["length_m"] for a, _ in edge_sites(after) if a["area_id"] == area)
        assert got == pytest.approx(sum(long_lines(free)), rel=1e-9, abs=1e-6), area


def long_lines(free):
    """The lengths of the merged line pieces of @p free at least MIN_LENGTH_M long (where the
    land cuts an edge at a point, the overlay gives points too: lines only)."""
    if free.is_empty:
        return []
    lines = [g for g in getattr(free, "geoms", [free]) if g.geom_type == "LineString"]
    lines += [p for g in getattr(free, "geoms", [free]) if g.geom_type == "MultiLineString"
              for p in g.geoms]
    merged = linemerge(lines)
    return [g.length for g in getattr(merged, "geoms", [merged])
            if g.geom_type == "LineString" and g.length >= MIN_LENGTH_M]


def test_sites_along_roads_are_verges(sited, run_landel, tmp_path):
    """[[siting.along]]: the stretches of free edge within along_m of the road layer, at least
    min_length_m long, are verges; their strips keep off the roads."""
    out, gpkg = sited
    roads = unary_union([lt.repair(f.geom) for f in lt.read_features(gpkg, "wegen")])
    cfg = variant(out, tmp_path, "along",
                  "along_m = 2.0\n",
                  f'[[siting.along]]\nkind = "verge"\npath = "{gpkg}"\nlayer = "wegen"\n')
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"), "--quiet", "--no-maps")
    assert proc.returncode == 0, lt.describe(proc)
    _, _, sites = lt.read_output_layer(tmp_path / "out/candidates.gpkg", "candidates")
    kinds = {a["site"] for a, _ in sites}
    assert kinds == {"verge", "parcel_edge", "field_corner"}, kinds
    sites = edge_sites(sites)
    zone = roads.buffer(2.0 + 0.75 + 0.01, 8)  # along_m + half the hedge's 1.5 m strip
    for attrs, strip in sites:
        assert strip.intersection(roads).area < 1e-6, attrs["candidate_id"]
        if attrs["site"] == "verge":
            assert strip.difference(zone).area < 1e-6, attrs["candidate_id"]
        else:  # at most stretches shorter than min_length_m run along a road
            assert strip.difference(zone).area > 0, attrs["candidate_id"]
    # Splitting loses no more than the pieces below the minimum length.
    _, _, whole = lt.read_output_layer(out / "candidates.gpkg", "candidates")
    split_m = sum(a["length_m"] for a, _ in sites)
    whole_m = sum(a["length_m"] for a, _ in edge_sites(whole))
    assert 0.9 * whole_m <= split_m <= whole_m + 1e-6, (split_m, whole_m)


def test_land_along_must_be_polygons(sited, run_landel, tmp_path):
    out, gpkg = sited
    cfg = variant(out, tmp_path, "lines", "", f'[[siting.along]]\nkind = "bank"\npath = "{gpkg}"\nlayer = "sloten"\n')
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"), "--quiet")
    lines = lt.error_lines(proc.stderr)
    assert proc.returncode == 1 and len(lines) == 1, lines
    assert "siting.along[1]" in lines[0] and "'sloten' holds no polygons" in lines[0], lines
    assert not (tmp_path / "out").exists()


def test_an_exclusion_layer_without_crs_is_one_line(sited, run_landel, tmp_path):
    out, _ = sited
    lt.write_vector(tmp_path / "nocrs.shp", "nocrs", ogr.wkbPolygon,
                    [("POLYGON((0 0,1 0,1 1,0 1,0 0))", {})], driver="ESRI Shapefile", srs=False)
    cfg = variant(out, tmp_path, "nocrs", f'exclude = {{ path = "{tmp_path / "nocrs.shp"}" }}\n')
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"), "--quiet")
    lines = lt.error_lines(proc.stderr)
    assert proc.returncode == 1 and len(lines) == 1, lines
    assert "siting.exclude" in lines[0] and "nocrs.shp" in lines[0] and "assume_crs" in lines[0], lines
    assert not (tmp_path / "out").exists()


def test_a_kind_of_site_must_be_named(sited, run_landel, tmp_path):
    out, gpkg = sited
    cfg = variant(out, tmp_path, "nokind", "", f'[[siting.along]]\npath = "{gpkg}"\nlayer = "water"\n')
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"), "--quiet")
    lines = lt.error_lines(proc.stderr)
    assert proc.returncode == 1 and len(lines) == 1 and "siting.along[1].kind must name" in lines[0], lines


@pytest.mark.skipif(not libreoffice(), reason="LibreOffice (libreoffice-calc-nogui) not installed")
def test_the_workbook_lists_the_chosen_sites_with_totals(sited, tmp_path):
    """The workbook's 'Chosen sites' sheet, as LibreOffice reads it, holds the rows of the
    sites layer, and its totals row their sums; the summary sums no ECA over areas."""
    out, _ = sited
    _, _, sites = lt.read_output_layer(out / "candidates.gpkg", "sites")
    sheets = sheets_as_csv(out / "area_bid.xlsx", tmp_path)
    sheet = next(v for v in sheets.values() if v and v[0] and v[0][0].startswith("Chosen sites:"))
    header, rows, total = sheet[2], sheet[3:-1], sheet[-1]
    assert len(rows) == len(sites) > 0
    col = {name: header.index(alias) for name, alias in
           (("candidate_id", "Candidate"), ("length_m", "Length (m)"), ("ha", "Element area (ha)"),
            ("build_eur", "Construction, mid (EUR)"), ("site", "Kind of site"))}
    for cells, (attrs, _) in zip(rows, sites):
        assert cells[col["candidate_id"]] == attrs["candidate_id"]
        assert cells[col["site"]] == attrs["site"]
        assert abs(float(cells[col["ha"]]) - attrs["ha"]) <= 1e-6
        if attrs["site"] == "field_corner":  # a pond has no length
            assert attrs["length_m"] is None and cells[col["length_m"]] == ""
        else:
            assert abs(float(cells[col["length_m"]]) - attrs["length_m"]) <= 1e-6
    for name in ("length_m", "ha", "build_eur"):
        want = sum(a[name] for a, _ in sites if a[name] is not None)
        assert abs(float(total[col[name]]) - want) <= 1e-6 * max(1.0, want), name
    # Every chosen stretch's cost is its share of its candidate's, by length; a cut pond's by
    # area.
    _, _, candidates = lt.read_output_layer(out / "candidates.gpkg", "candidates")
    cand = {a["candidate_id"]: a for a, _ in candidates}
    for attrs, _ in sites:
        c = cand[attrs["candidate_id"]]
        share = (attrs["ha"] / c["ha"] if attrs["site"] == "field_corner"
                 else attrs["length_m"] / c["length_m"])
        assert attrs["build_eur"] == pytest.approx(c["build_eur"] * share, rel=1e-9)
    summary = sheets[next(k for k in sheets if k.startswith("Summary") or k == "Summary")]
    head = summary[2]
    eca = head.index("Equivalent connected area (ha)")
    assert summary[-1][eca] == "", "the ECA of areas does not add up"


def test_area_maps_draw_the_chosen_sites(sited, run_landel, tmp_path):
    """Each area page draws its chosen sites in the proposed-site orange over the elements:
    beyond the legend's swatch (the only orange on the page of an area without sites), a page
    has orange pixels where its area has chosen sites."""
    import numpy as np
    from osgeo import gdal
    out, _ = sited
    text = (out.parent / "siting.toml").read_text(encoding="utf-8")
    cfg = tmp_path / "maps.toml"
    cfg.write_text(text.replace("max_area_maps = 0", "max_area_maps = 100"), encoding="utf-8")
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    _, rows, _ = lt.read_csv(tmp_path / "out/area_bid.csv")
    orange = {}
    for r in rows:
        ds = gdal.Open(str(tmp_path / f"out/maps/areas/{r['area_id']}.png"))
        rgb = np.dstack([ds.GetRasterBand(b + 1).ReadAsArray() for b in range(3)])
        orange[r["area_id"]] = int(np.all(rgb == (230, 120, 0), axis=2).sum())
    bare = [r["area_id"] for r in rows if lt.num(r["sited_ha"]) == 0]
    assert bare, "the sample has an area without chosen sites"
    swatch = orange[bare[0]]
    assert swatch > 0 and all(orange[a] == swatch for a in bare), orange
    for r in rows:
        if lt.num(r["sited_ha"]) > 0:
            assert orange[r["area_id"]] > swatch + 1000, (r["area_id"], orange)


def test_no_land_counts_in_two_candidates(sited):
    """Where free edges meet at a corner the earlier candidate keeps the corner, and a pond in a
    field corner keeps off the strips and the other ponds: per area the candidates' areas sum
    to the area of their union, so sited hectares are new land once."""
    out, _ = sited
    for layer in ("candidates", "sites"):
        _, _, rows = lt.read_output_layer(out / "candidates.gpkg", layer)
        by = {}
        for attrs, g in rows:
            by.setdefault(attrs["area_id"], []).append(g)
        assert by
        for area, strips in by.items():
            summed = sum(g.area for g in strips)
            assert summed - unary_union(strips).area <= 1e-6, (layer, area)


POND_RADIUS_M = 25.231 / 2  # the catalogue's pond: plan_width_m 25.231 m, 500 m2
HEDGE_HALF_WIDTH_M = 1.5 / 2  # the edge strips' half-width: a pond keeps that far off the edges
CORNER_ANGLE_DEG = 135.0


def field_corners(parcel, max_angle_deg):
    """(x, y, bisector, angle) of the convex vertices of @p parcel whose angle inside the
    parcel is at most @p max_angle_deg, ring by ring (shell, then holes), vertex by vertex."""
    out = []
    for ring, hole in [(parcel.exterior, False)] + [(r, True) for r in parcel.interiors]:
        pts = []
        for p in ring.coords[:-1]:
            if not pts or p != pts[-1]:
                pts.append(p)
        while len(pts) > 1 and pts[0] == pts[-1]:
            pts.pop()
        left = ring.is_ccw != hole  # the field lies left of the ring's direction
        n = len(pts)
        for k in range(n):
            (px, py), (x, y), (nx, ny) = pts[k - 1], pts[k], pts[(k + 1) % n]
            turn = (x - px) * (ny - y) - (y - py) * (nx - x)
            if not (turn > 0 if left else turn < 0):
                continue
            ax, ay, bx, by = px - x, py - y, nx - x, ny - y
            la, lb = math.hypot(ax, ay), math.hypot(bx, by)
            angle = math.acos(max(-1.0, min(1.0, (ax * bx + ay * by) / (la * lb))))
            if not angle > 0 or angle > math.radians(max_angle_deg):  # a spike, a blunt vertex
                continue
            hx, hy = ax / la + bx / lb, ay / la + by / lb
            h = math.hypot(hx, hy)
            out.append((x, y, (hx / h, hy / h), angle))
    return out


def test_ponds_lie_whole_in_field_corners(sited):
    """The pond candidates, computed again from the definitions (shapely): in every corner of a
    parcel near the area (angle inside at most 135 degrees), the pond's disc set back the hedge
    strip's half-width from both edges, kept where it fits whole in its parcel and the area's
    rural land, off the elements, the edge candidates' strips and the ponds before it."""
    out, gpkg = sited
    parcels = [lt.repair(f.geom) for f in lt.read_features(gpkg, "percelen")]
    rural = by_area(out / "areas.gpkg", "rural_land")
    elements = by_area(out / "areas.gpkg", "elements")
    _, _, sites = lt.read_output_layer(out / "candidates.gpkg", "candidates")
    checked = 0
    for area, land in rural.items():
        strips = unary_union([g for a, g in edge_sites(sites) if a["area_id"] == area])
        x0, y0, x1, y1 = land.bounds
        want = []
        for parcel in parcels:
            px0, py0, px1, py1 = parcel.bounds
            if px0 > x1 or px1 < x0 or py0 > y1 or py1 < y0:
                continue
            for part in getattr(parcel, "geoms", [parcel]):
                for x, y, (bx, by), angle in field_corners(part, CORNER_ANGLE_DEG):
                    d = (POND_RADIUS_M + HEDGE_HALF_WIDTH_M) / math.sin(angle / 2)
                    cx, cy = x + bx * d, y + by * d
                    r = POND_RADIUS_M
                    if cx - r < x0 or cy - r < y0 or cx + r > x1 or cy + r > y1:
                        continue
                    disc = Point(cx, cy).buffer(r, resolution=32)
                    fit = disc.intersection(parcel).intersection(land)
                    for off in [elements.get(area), strips] + [p for _, p in want]:
                        if off is not None and not off.is_empty:
                            fit = fit.difference(off)
                    if fit.area >= disc.area * (1 - 1e-6):
                        want.append(((cx, cy), fit))
        mine = [(a, g) for a, g in sites if a["area_id"] == area and a["site"] == "field_corner"]
        assert len(mine) == len(want), area
        for (attrs, g), ((cx, cy), fit) in zip(mine, want):
            assert attrs["type"] == "pond" and attrs["count"] == 1 and attrs["length_m"] is None
            assert g.centroid.distance(Point(cx, cy)) < 1e-6, attrs["candidate_id"]
            assert g.area == pytest.approx(fit.area, rel=1e-9)
            assert attrs["ha"] == pytest.approx(g.area / 1e4, rel=1e-9)
            assert attrs["build_eur"] == pytest.approx(1150.0)  # per pond, the catalogue's mid
            checked += 1
    assert checked > 100, checked


def test_a_cut_pond_is_a_smaller_pond_on_the_same_centre(sited):
    out, _ = sited
    _, _, sites = lt.read_output_layer(out / "candidates.gpkg", "candidates")
    _, _, parts = lt.read_output_layer(out / "candidates.gpkg", "sites")
    ponds = {a["candidate_id"]: g for a, g in sites if a["site"] == "field_corner"}
    cut = [(a, g) for a, g in parts
           if a["site"] == "field_corner" and a["ha"] < ponds[a["candidate_id"]].area / 1e4 - 1e-9]
    assert cut, "the sample has a pond cut to close a milestone"
    for attrs, g in cut:
        whole = ponds[attrs["candidate_id"]]
        assert g.difference(whole).area < 1e-9
        if g.geom_type == "Polygon" and not g.interiors:  # the core, not the ring around it
            assert g.centroid.distance(whole.centroid) < 1e-6


def test_ponds_and_woods_share_corners_but_not_chosen_land(sited, run_landel, tmp_path):
    """With small woods in the mix too (a disc of siting.corner_m2), both types are offered in
    the corners; a corner chosen for one type is not chosen for the other, and no chosen land
    counts twice."""
    out, _ = sited
    text = (out.parent / "siting.toml").read_text(encoding="utf-8")
    text = text.replace("pond = 0.2 }", "pond = 0.1, small_wood = 0.1 }")
    cfg = tmp_path / "woods.toml"
    cfg.write_text(text.replace("[siting]\n", "[siting]\ncorner_m2 = 1500\n"), encoding="utf-8")
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"), "--quiet", "--no-maps")
    assert proc.returncode == 0, lt.describe(proc)
    _, _, sites = lt.read_output_layer(tmp_path / "out/candidates.gpkg", "candidates")
    woods = [(a, g) for a, g in sites if a["type"] == "small_wood"]
    assert woods and all(a["site"] == "field_corner" for a, _ in woods)
    disc = Point(0, 0).buffer(math.sqrt(1500 / math.pi), resolution=32).area
    for attrs, g in woods:
        assert g.area == pytest.approx(disc, rel=1e-6)
        assert attrs["build_eur"] == pytest.approx(22500.0 * attrs["ha"], rel=1e-9)  # per ha
    _, _, parts = lt.read_output_layer(tmp_path / "out/candidates.gpkg", "sites")
    assert {a["type"] for a, _ in parts} >= {"pond", "small_wood"}
    assert_no_land_chosen_twice(parts)


@pytest.mark.parametrize("keys, message", [
    ('corner_types = ["hedge"]', "siting.corner_types: 'hedge' is planned in metres"),
    ('corner_types = ["bog"]', "siting.corner_types: 'bog' is not in the element catalogue"),
    ("corner_angle_deg = 180", "siting.corner_angle_deg must be above 0 and below 180"),
    ("corner_m2 = 0", "siting.corner_m2 must be > 0"),
])
def test_corner_settings_are_checked(sited, run_landel, tmp_path, keys, message):
    out, _ = sited
    cfg = variant(out, tmp_path, "corners", keys + "\n")
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"), "--quiet")
    lines = lt.error_lines(proc.stderr)
    assert proc.returncode == 1 and len(lines) == 1 and message in lines[0], lines
    assert not (tmp_path / "out").exists()


GAP_M = 25.0  # siting.gap_m's default
LINE_SOURCES = [  # the sample's line [[elements]] (data/samples/polder/landel.toml)
    ("lijnelementen", "soort = 'haag'", 1.5), ("lijnelementen", "soort = 'bomenrij'", 6.0),
    ("lijnelementen", "soort = 'houtwal'", 5.0), ("lijnelementen", "soort = 'knotbomenrij'", 3.0),
    ("sloten", "oever = 'natuurvriendelijk'", 3.0)]


def test_connected_line_ends_equal_an_independent_count(sited):
    """Per area the ends of line elements in its rural land, and those within gap_m of another
    element feature's land there (docs/siting.md), computed again with shapely from the
    sample's sources: strips with flat ends and round joins, crowns, and the run's ponds and
    woods (its owned polygons of those types, which are first in the type order)."""
    out, gpkg = sited
    features = []  # (line or None, footprint)
    for layer, where, default in LINE_SOURCES:
        for f in lt.read_features(gpkg, layer, where):
            w = f.attrs["breedte"] or default
            features.append((f.geom, f.geom.buffer(w / 2, resolution=32, cap_style=2, join_style=1)))
    for f in lt.read_features(gpkg, "bomen"):
        features.append((None, f.geom.buffer((f.attrs["kroon_m"] or 8.0) / 2, resolution=32)))
    rural = by_area(out / "areas.gpkg", "rural_land")
    polygons = {}
    for attrs, g in lt.read_output_layer(out / "areas.gpkg", "elements")[2]:
        if attrs["type"] in ("pond", "small_wood"):
            polygons.setdefault(attrs["area_id"], []).append(g)
    rows = {a["area_id"]: a for a, _ in lt.read_output_layer(out / "areas.gpkg", "areas")[2]}
    total = 0
    for area, land in rural.items():
        others = [(k, fp.intersection(land)) for k, (_, fp) in enumerate(features)
                  if fp.distance(land) <= GAP_M]
        others += [(-1, g) for g in polygons.get(area, [])]
        ends = connected = 0
        for k, (line, _) in enumerate(features):
            if line is None:
                continue
            for part in getattr(line, "geoms", [line]):
                for end in (Point(part.coords[0]), Point(part.coords[-1])):
                    if part.is_closed or not land.covers(end):
                        continue
                    ends += 1
                    connected += any(j != k and not g.is_empty and g.distance(end) <= GAP_M
                                     for j, g in others)
        assert rows[area]["line_ends"] == ends, area
        assert rows[area]["connected_ends"] == connected, area
        if ends:
            assert rows[area]["connected_ends_pct"] == pytest.approx(100 * connected / ends, rel=1e-12)
        total += ends
    assert total > 50, total


@pytest.fixture(scope="module")
def banks(sited, run_landel_session, tmp_path_factory):
    """The fixture's run with natural banks in the mix and the sample's ditches (as 3 m wide
    water polygons) as the land banks run along; and the same with `bank = []`."""
    out, gpkg = sited
    folder = tmp_path_factory.mktemp("banks")
    water = unary_union([lt.repair(f.geom).buffer(1.5, 8) for f in lt.read_features(gpkg, "sloten")])
    lt.write_vector(folder / "water.gpkg", "water", ogr.wkbPolygon,
                    [(p.wkt, {}) for p in getattr(water, "geoms", [water])])
    text = (out.parent / "siting.toml").read_text(encoding="utf-8")
    text = text.replace('"*" = { hedge = 0.8, pond = 0.2 }',
                        '"*" = { hedge = 0.6, natural_bank = 0.2, pond = 0.2 }')
    along = f'[[siting.along]]\nkind = "bank"\npath = "{folder / "water.gpkg"}"\nlayer = "water"\n'
    runs = {}
    for name, keys in (("natural", ""), ("hedges", "kind_types = { bank = [] }\n")):
        cfg = folder / f"{name}.toml"
        cfg.write_text(text.replace("[siting]\n", "[siting]\n" + keys)
                       .replace("[render]\n", along + "[render]\n"), encoding="utf-8")
        proc = run_landel_session("run", str(cfg), "--out", str(folder / name), "--quiet", "--no-maps")
        assert proc.returncode == 0, lt.describe(proc)
        runs[name] = folder / name
    return runs, water


def test_banks_hold_nature_friendly_banks(banks):
    """[siting.kind_types] (default bank = natural_bank, reed_edge): with natural banks in the
    mix, the free edges along water are 3 m strips of natural bank beside the water, the other
    free edges the hedge's 1.5 m strips; per area and milestone the chosen natural banks hold
    the proposal's natural bank hectares exactly (or every bank when there are too few)."""
    runs, water = banks
    out = runs["natural"]
    _, _, sites = lt.read_output_layer(out / "candidates.gpkg", "candidates")
    by_kind = {}
    for attrs, _ in sites:
        by_kind.setdefault(attrs["site"], set()).add(attrs["type"])
    assert by_kind == {"bank": {"natural_bank"}, "parcel_edge": {"hedge"}, "field_corner": {"pond"}}
    zone = water.buffer(2.0 + 1.5 + 0.01, 8)  # along_m + half the bank's 3 m strip
    for attrs, strip in sites:
        assert strip.intersection(water).area < 1e-6, attrs["candidate_id"]
        if attrs["site"] == "bank":
            assert strip.difference(zone).area < 1e-6, attrs["candidate_id"]
            assert attrs["build_eur"] == pytest.approx(7.5 * attrs["length_m"], rel=1e-12)
    rows = [a for a, _ in lt.read_output_layer(out / "areas.gpkg", "areas")[2]]
    years = sorted({int(c.split("_")[3]) for c in rows[0] if c.startswith("add_natural_bank_")})
    _, _, parts = lt.read_output_layer(out / "candidates.gpkg", "sites")
    sited_banks = 0
    for r in rows:
        mine = [a for a, _ in parts if a["area_id"] == r["area_id"] and a["type"] == "natural_bank"]
        offered = sum(a["ha"] for a, _ in sites
                      if a["area_id"] == r["area_id"] and a["type"] == "natural_bank")
        need = sum(r[f"add_natural_bank_{y}_ha"] for y in years)
        if offered >= need - 1e-9:
            for y in years:
                held = sum(a["ha"] for a in mine if a["milestone"] == y)
                assert held == pytest.approx(r[f"add_natural_bank_{y}_ha"], abs=1e-9), (r["area_id"], y)
        else:
            assert sum(a["ha"] for a in mine) == pytest.approx(offered, abs=1e-9), r["area_id"]
        sited_banks += len(mine)
    assert sited_banks > 0
    # No land is chosen twice, across the three types.
    assert_no_land_chosen_twice(parts)


def test_each_kind_of_edge_caps_the_types_it_holds(banks):
    """With [siting] the proposal's pools of free edge are the edges of each kind of site
    (docs/bid.md): a type takes edge from the kinds that hold it. Where the mix holds natural
    banks the banks hold those and the parcel edges the hedge; with `bank = []` the banks hold
    hedges too. Each pool is the length of the run's candidate edges of its kind, computed here
    from candidates.gpkg: the hedge never takes more than its kinds' edges, the natural bank
    never more than the banks (both rounded up by under a metre per milestone), and a type whose
    edge runs out hands its share down the mix. `line_edge_m` is the edge of the hedge's kinds."""
    runs, _ = banks
    rows, lengths = {}, {}
    for name, out in runs.items():
        rows[name] = {r["area_id"]: r for r in lt.read_csv(out / "area_bid.csv")[1]}
        per = {}
        for a, _ in lt.read_output_layer(out / "candidates.gpkg", "candidates")[2]:
            if a["site"] != "field_corner":
                key = (a["area_id"], a["type"])
                per[key] = per.get(key, 0.0) + a["length_m"]
        lengths[name] = per
    first = next(iter(rows["natural"].values()))
    years = sorted({int(c.split("_")[2]) for c in first if c.startswith("qty_hedge_")})
    qty = lambda r, t: sum(lt.num(r[f"qty_{t}_{y}_m"]) for y in years)
    wants = lambda r, share, width: share * lt.num(r[f"closes_{years[-1]}_ha"]) * 1e4 / width
    banked = capped = 0
    for area, r in rows["natural"].items():
        h = rows["hedges"][area]
        parcel_m = lengths["natural"].get((area, "hedge"), 0.0)
        bank_m = lengths["natural"].get((area, "natural_bank"), 0.0)
        both_m = lengths["hedges"].get((area, "hedge"), 0.0)
        assert both_m == pytest.approx(parcel_m + bank_m, rel=1e-9, abs=1e-3), area
        assert lt.num(r["line_edge_m"]) == pytest.approx(parcel_m, rel=1e-9, abs=1e-3), area
        assert lt.num(h["line_edge_m"]) == pytest.approx(both_m, rel=1e-9, abs=1e-3), area
        assert r["free_edge_m"] == h["free_edge_m"]
        banked += bank_m > 0
        for run, hedge_m in ((r, parcel_m), (h, both_m)):
            assert qty(run, "hedge") <= hedge_m + len(years), area
            if wants(run, 0.6, 1.5) > hedge_m + len(years):
                capped += 1
                assert qty(run, "hedge") >= hedge_m - 1e-6, area  # a binding cap is taken whole
        # The natural bank (3 m) has the banks alone; with bank = [] the mix still holds it,
        # but no kind does: it is not limited by edge.
        assert qty(r, "natural_bank") <= bank_m + len(years), area
        if wants(r, 0.2, 3.0) > bank_m + len(years):
            assert qty(r, "natural_bank") >= bank_m - 1e-6, area
    assert banked > 0 and capped > 0, (banked, capped)


def test_a_bid_from_the_run_finds_the_same_pools_and_sites(banks, run_landel, tmp_path):
    """`landel bid --from RUN` reads the run's areas.gpkg and finds the candidate edges, pools
    and sites again: the proposal and siting columns equal the run's, value for value."""
    runs, _ = banks
    run = runs["natural"]
    out = tmp_path / "rebid"
    proc = run_landel("bid", str(run.parent / "natural.toml"), "--from", str(run), "--out", str(out), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    before = {r["area_id"]: r for r in lt.read_csv(run / "area_bid.csv")[1]}
    after = {r["area_id"]: r for r in lt.read_csv(out / "area_bid.csv")[1]}
    columns = [c for c in next(iter(before.values()))
               if c.startswith(("add_", "qty_", "line_edge", "free_edge", "sited", "unsited", "candidate"))]
    assert len(columns) > 10 and before.keys() == after.keys()
    for area, r in before.items():
        assert {c: r[c] for c in columns} == {c: after[area][c] for c in columns}, area


def test_banks_without_bank_types_hold_the_parcel_edges_type(banks):
    """`bank = []`: the banks are the same free edges, as the hedge's strips."""
    runs, _ = banks
    kinds = {}
    for name, out in runs.items():
        _, _, sites = lt.read_output_layer(out / "candidates.gpkg", "candidates")
        kinds[name] = sorted((a["area_id"], round(a["length_m"], 6), a["type"])
                             for a, _ in sites if a["site"] == "bank")
    assert kinds["hedges"] and {t for _, _, t in kinds["hedges"]} == {"hedge"}
    # The same stretches of edge, wherever a strip of either width is left on the land.
    natural = {(a, m) for a, m, _ in kinds["natural"]}
    hedges = {(a, m) for a, m, _ in kinds["hedges"]}
    assert natural == hedges


@pytest.mark.parametrize("keys, message", [
    ('kind_types = { bank = ["pond"] }', "siting.kind_types.bank: 'pond' cannot be a strip along an edge"),
    ('kind_types = { bank = ["small_wood"] }', "siting.kind_types.bank: 'small_wood' cannot be a strip"),
    ('kind_types = { parcel_edge = ["pond"] }', "siting.kind_types.parcel_edge: 'pond' cannot be a strip"),
    ('kind_types = { bank = ["bog"] }', "siting.kind_types.bank: 'bog' is not in the element catalogue"),
    ('kind_types = { ditch = ["natural_bank"] }', "siting.kind_types.ditch: no [[siting.along]] table"),
    ('kind_types = { bank = "natural_bank" }', "siting.kind_types.bank must be an array"),
])
def test_kind_types_are_checked(sited, run_landel, tmp_path, keys, message):
    out, gpkg = sited
    cfg = variant(out, tmp_path, "kinds", keys + "\n",
                  f'[[siting.along]]\nkind = "bank"\npath = "{gpkg}"\nlayer = "wegen"\n')
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"), "--quiet")
    lines = lt.error_lines(proc.stderr)
    assert proc.returncode == 1 and len(lines) == 1 and message in lines[0], lines
    assert not (tmp_path / "out").exists()


def test_verges_can_hold_tree_rows_as_rows_of_crowns(sited, run_landel, tmp_path):
    """`verge = ["tree_row"]`: the free edges along roads are the tree row's 6 m crown strips
    beside the road, priced per tree (the strip's area / the catalogue's 48 m2 per tree x EUR
    100), and the chosen ones hold the tree row proposal exactly, their cost by area."""
    out, gpkg = sited
    roads = unary_union([lt.repair(f.geom) for f in lt.read_features(gpkg, "wegen")])
    text = (out.parent / "siting.toml").read_text(encoding="utf-8")
    text = text.replace('"*" = { hedge = 0.8, pond = 0.2 }',
                        '"*" = { hedge = 0.5, tree_row = 0.3, pond = 0.2 }')
    text = text.replace("[siting]\n", '[siting]\nkind_types = { verge = ["tree_row"] }\n')
    text = text.replace("[render]\n", f'[[siting.along]]\nkind = "verge"\npath = "{gpkg}"\n'
                        'layer = "wegen"\n[render]\n')
    out = run_text(run_landel, text, tmp_path, "trees")
    _, _, sites = lt.read_output_layer(out / "candidates.gpkg", "candidates")
    rows = [(a, g) for a, g in sites if a["type"] == "tree_row"]
    assert rows and all(a["site"] == "verge" for a, _ in rows)
    assert all(a["type"] == "hedge" for a, _ in sites if a["site"] == "parcel_edge")
    zone = roads.buffer((2.0 + 3.0) * 1.01 + 0.01, 8)  # along_m + half the 6 m crown strip
    for attrs, strip in rows:
        assert strip.intersection(roads).area < 1e-6, attrs["candidate_id"]
        assert strip.difference(zone).area < 1e-6, attrs["candidate_id"]
        assert attrs["ha"] == pytest.approx(strip.area / 1e4, rel=1e-9)
        assert attrs["build_eur"] == pytest.approx(strip.area / 48.0 * 100.0, rel=1e-9)
    areas = [a for a, _ in lt.read_output_layer(out / "areas.gpkg", "areas")[2]]
    years = sorted({int(c.split("_")[3]) for c in areas[0] if c.startswith("add_tree_row_")})
    _, _, parts = lt.read_output_layer(out / "candidates.gpkg", "sites")
    whole = {a["candidate_id"]: a for a, _ in rows}
    held_somewhere = False
    for r in areas:
        mine = [a for a, _ in parts if a["area_id"] == r["area_id"] and a["type"] == "tree_row"]
        for a in mine:
            c = whole[a["candidate_id"]]
            assert a["build_eur"] == pytest.approx(c["build_eur"] * a["ha"] / c["ha"], rel=1e-9)
        offered = sum(c["ha"] for c in whole.values() if c["area_id"] == r["area_id"])
        if mine and offered >= sum(r[f"add_tree_row_{y}_ha"] for y in years) + 1e-9:
            held_somewhere = True
            for y in years:
                held = sum(a["ha"] for a in mine if a["milestone"] == y)
                assert held == pytest.approx(r[f"add_tree_row_{y}_ha"], abs=1e-9), (r["area_id"], y)
    assert held_somewhere


def runs_with_mix(sited, run_landel_session, tmp_path_factory, name, mix):
    """The fixture's config with the national mix @p mix, run at 1 and at 2 threads without
    maps: ({"1": folder, "2": folder}, the sample's GeoPackage)."""
    out, gpkg = sited
    folder = tmp_path_factory.mktemp(name)
    text = (out.parent / "siting.toml").read_text(encoding="utf-8")
    cfg = folder / f"{name}.toml"
    cfg.write_text(text.replace('"*" = { hedge = 0.8, pond = 0.2 }', mix), encoding="utf-8")
    runs = {}
    for threads in ("1", "2"):
        runs[threads] = folder / f"out{threads}"
        proc = run_landel_session("run", str(cfg), "--out", str(runs[threads]), "--quiet",
                                  "--no-maps", "--threads", threads)
        assert proc.returncode == 0, lt.describe(proc)
    return runs, gpkg


@pytest.fixture(scope="module")
def several(sited, run_landel_session, tmp_path_factory):
    """The fixture's run with a herb-rich field margin in the mix beside the hedge: the parcel
    edges' default types are bid.potential.types and the field margin, so the free edges offer
    both (and the pond the corners), at 1 and at 2 threads."""
    return runs_with_mix(sited, run_landel_session, tmp_path_factory, "several",
                         '"*" = { hedge = 0.5, field_margin = 0.3, pond = 0.2 }')


def catalogue_mid(repo_root, type_):
    """The catalogue's mid construction cost of @p type_."""
    with open(repo_root / "data/catalogue/elements.csv", encoding="utf-8") as f:
        return next(float(r["build_eur_mid"]) for r in csv.DictReader(f) if r["type"] == type_)


def test_parcel_edges_offer_every_type_of_the_mix(sited, several, repo_root):
    """Each free edge is a candidate of the hedge (the largest share, chosen first: the same
    stretches as in the hedge-only run) and of the field margin, a 6 m strip beside the edge
    priced per hectare; area_bid.csv counts each edge's length once."""
    runs, gpkg = several
    out = runs["2"]
    parcels = [lt.repair(f.geom) for f in lt.read_features(gpkg, "percelen")]
    edges = unary_union([p.boundary for p in parcels])
    masks = unary_union([lt.repair(f.geom) for layer in ("bebouwing", "wegen", "natuur")
                         for f in lt.read_features(gpkg, layer)])
    elements = by_area(out / "areas.gpkg", "elements")
    _, _, sites = lt.read_output_layer(out / "candidates.gpkg", "candidates")
    _, _, hedge_only = lt.read_output_layer(sited[0] / "candidates.gpkg", "candidates")
    assert {a["type"] for a, _ in edge_sites(sites)} == {"hedge", "field_margin"}
    hedges = sorted((a["area_id"], round(a["length_m"], 6)) for a, _ in sites if a["type"] == "hedge")
    assert hedges == sorted((a["area_id"], round(a["length_m"], 6))
                            for a, _ in edge_sites(hedge_only))
    per_ha = catalogue_mid(repo_root, "field_margin")
    margins = [(a, g) for a, g in sites if a["type"] == "field_margin"]
    assert len(margins) > 20
    # A field margin strip is 6 m wide (catalogue plan_width_m): within 3 m of an edge (1 cm
    # more for the polygons that stand in for the round joins).
    beside_edges = edges.buffer(3.01, resolution=32)
    for attrs, strip in margins:
        assert strip.difference(beside_edges).area < 1e-6, attrs["candidate_id"]
        assert strip.intersection(masks).area < 1e-6
        if attrs["area_id"] in elements:
            assert strip.intersection(elements[attrs["area_id"]]).area < 1e-6
        assert attrs["ha"] == pytest.approx(strip.area / 1e4, rel=1e-9)
        assert attrs["build_eur"] == pytest.approx(per_ha * attrs["ha"], rel=1e-9)
    _, mine, _ = lt.read_csv(out / "area_bid.csv")
    _, single, _ = lt.read_csv(sited[0] / "area_bid.csv")
    for r, s in zip(mine, single):
        assert r["area_id"] == s["area_id"]
        assert lt.num(r["candidate_m"]) == pytest.approx(lt.num(s["candidate_m"]), abs=2e-3), r["area_id"]
        assert int(r["candidate_sites"]) == sum(1 for a, _ in sites if a["area_id"] == r["area_id"])


def test_each_type_holds_its_proposal_on_land_no_other_type_took(several):
    """Per area, type and milestone the chosen parts hold the proposal exactly (or every
    candidate left is taken); no land is chosen for two types; a field margin candidate is
    what the chosen hedges left of its edge, so it never overlaps them."""
    runs, _ = several
    out = runs["2"]
    rows = [a for a, _ in lt.read_output_layer(out / "areas.gpkg", "areas")[2]]
    years = sorted({int(c.split("_")[2]) for c in rows[0] if c.startswith("add_hedge_")})
    _, _, parts = lt.read_output_layer(out / "candidates.gpkg", "sites")
    _, _, sites = lt.read_output_layer(out / "candidates.gpkg", "candidates")
    assert {a["type"] for a, _ in parts} == {"hedge", "field_margin", "pond"}
    for r in rows:
        area = r["area_id"]
        unsited = 0.0
        for t in ("hedge", "field_margin", "pond"):
            mine = [a for a, _ in parts if a["area_id"] == area and a["type"] == t]
            need = sum(r[f"add_{t}_{y}_ha"] for y in years)
            offered = sum(a["ha"] for a, _ in sites
                          if a["area_id"] == area and a["type"] == t and a["rank"] is not None)
            held = sum(a["ha"] for a in mine)
            if offered >= need + 1e-9:
                for y in years:
                    got = sum(a["ha"] for a in mine if a["milestone"] == y)
                    assert got == pytest.approx(r[f"add_{t}_{y}_ha"], abs=1e-9), (area, t, y)
            else:
                assert held == pytest.approx(offered, abs=1e-9), (area, t)
            unsited += max(0.0, need - held)
        assert r["unsited_ha"] == pytest.approx(unsited, abs=1e-9), area
        chosen = [g for a, g in parts if a["area_id"] == area]
        assert sum(g.area for g in chosen) - unary_union(chosen).area <= 1e-6, area
        hedges = unary_union([g for a, g in parts if a["area_id"] == area and a["type"] == "hedge"])
        for attrs, strip in sites:
            if attrs["area_id"] == area and attrs["type"] == "field_margin" and attrs["rank"]:
                assert strip.intersection(hedges).area < 1e-6, attrs["candidate_id"]
    # Some field margins lie on edges whose start the hedges took: shorter than their edge.
    assert sum(a["selected_ha"] or 0 for a, _ in sites if a["type"] == "field_margin") > 0


def test_several_types_give_the_same_sites_for_one_and_two_threads(several):
    runs, _ = several
    assert_same_sites(runs["1"], runs["2"])


def test_banks_offer_natural_banks_and_reed_edges_in_turn(banks, run_landel, tmp_path):
    """With both bank types in the mix (as in the Laagveengebied), the banks offer both: the
    natural bank (the larger share) is chosen first, the reed edge on what it left, and no
    land along the water is chosen twice."""
    runs, water = banks
    text = (runs["natural"].parent / "natural.toml").read_text(encoding="utf-8")
    text = text.replace('"*" = { hedge = 0.6, natural_bank = 0.2, pond = 0.2 }',
                        '"*" = { hedge = 0.5, natural_bank = 0.2, reed_edge = 0.1, pond = 0.2 }')
    out = run_text(run_landel, text, tmp_path, "reed")
    _, _, sites = lt.read_output_layer(out / "candidates.gpkg", "candidates")
    assert {a["type"] for a, _ in sites if a["site"] == "bank"} == {"natural_bank", "reed_edge"}
    zone = water.buffer(2.0 + 1.5 + 0.01, 8)  # along_m + half of both types' 3 m strip
    for attrs, strip in sites:
        if attrs["site"] == "bank":
            assert strip.difference(zone).area < 1e-6 and strip.intersection(water).area < 1e-6
    _, _, parts = lt.read_output_layer(out / "candidates.gpkg", "sites")
    chosen = {t: [g for a, g in parts if a["type"] == t] for t in ("natural_bank", "reed_edge")}
    assert chosen["natural_bank"] and chosen["reed_edge"]
    assert_no_land_chosen_twice(parts)
    # The reed edge has no cost figures ([GAP]): its sites rank by ECA per hectare and cost none.
    reeds = [a for a, _ in sites if a["type"] == "reed_edge"]
    assert all(a["build_eur"] is None for a in reeds)


ORCHARD_M2 = 2500.0  # siting.corner_m2's default: the block of an orchard
TREE_RADIUS_M = 8.0 / 2  # the catalogue's solitary tree: plan_width_m 8 m, its crown


@pytest.fixture(scope="module")
def orchards(sited, run_landel_session, tmp_path_factory):
    """The fixture's run with orchards and solitary trees in the mix instead of ponds: by
    default both are corner types, the orchard as a block (siting.block_types), the tree as
    the disc of its crown; at 1 and at 2 threads."""
    return runs_with_mix(sited, run_landel_session, tmp_path_factory, "orchards",
                         '"*" = { hedge = 0.6, orchard = 0.2, solitary_tree = 0.2 }')


def one_polygon(g):
    """The one polygon of @p g (the output layers hold MultiPolygons)."""
    parts = list(getattr(g, "geoms", [g]))
    assert len(parts) == 1, g.wkt[:80]
    return parts[0]


def rotated(bx, by, angle):
    """The unit vector (bx, by) turned counter-clockwise by @p angle (radians)."""
    c, s = math.cos(angle), math.sin(angle)
    return bx * c - by * s, bx * s + by * c


def corner_shape(type_, x, y, bisector, angle):
    """The shape of a corner site of @p type_ from the definitions (docs/siting.md): the tree's
    crown tangent to both edges moved the hedge's half-width into the field; the orchard's block
    (a rhombus of ORCHARD_M2) whose first vertex lies that far from both edges and whose sides
    run along them."""
    bx, by = bisector
    if type_ == "solitary_tree":
        d = (TREE_RADIUS_M + HEDGE_HALF_WIDTH_M) / math.sin(angle / 2)
        return Point(x + bx * d, y + by * d).buffer(TREE_RADIUS_M, resolution=32)
    d = HEDGE_HALF_WIDTH_M / math.sin(angle / 2)
    px, py = x + bx * d, y + by * d
    (ux, uy), (vx, vy) = rotated(bx, by, angle / 2), rotated(bx, by, -angle / 2)
    side = math.sqrt(ORCHARD_M2 / math.sin(angle))
    return Polygon([(px, py), (px + side * vx, py + side * vy),
                    (px + side * (ux + vx), py + side * (uy + vy)), (px + side * ux, py + side * uy)])


def test_orchards_and_trees_lie_whole_in_field_corners(orchards, repo_root):
    """The orchard and tree candidates, computed again from the definitions (shapely) as the
    ponds are: in every corner of a parcel near the area, the type's shape, kept where it fits
    whole in its parcel and the area's rural land, off the elements, the edge candidates' strips
    and the same type's sites before it. A tree costs the catalogue's mid per tree; an orchard has
    no construction cost in the catalogue ([GAP]), so none."""
    runs, gpkg = orchards
    out = runs["2"]
    parcels = [lt.repair(f.geom) for f in lt.read_features(gpkg, "percelen")]
    rural = by_area(out / "areas.gpkg", "rural_land")
    elements = by_area(out / "areas.gpkg", "elements")
    _, _, sites = lt.read_output_layer(out / "candidates.gpkg", "candidates")
    tree_eur = catalogue_mid(repo_root, "solitary_tree")
    checked = {"orchard": 0, "solitary_tree": 0}
    for area, land in rural.items():
        strips = unary_union([g for a, g in edge_sites(sites) if a["area_id"] == area])
        x0, y0, x1, y1 = land.bounds
        for type_ in checked:
            want = []
            for parcel in parcels:
                px0, py0, px1, py1 = parcel.bounds
                if px0 > x1 or px1 < x0 or py0 > y1 or py1 < y0:
                    continue
                for part in getattr(parcel, "geoms", [parcel]):
                    for corner in field_corners(part, CORNER_ANGLE_DEG):
                        shape = corner_shape(type_, *corner)
                        sx0, sy0, sx1, sy1 = shape.bounds
                        if sx0 < x0 or sy0 < y0 or sx1 > x1 or sy1 > y1:
                            continue
                        fit = shape.intersection(parcel).intersection(land)
                        for off in [elements.get(area), strips] + want:
                            if off is not None and not off.is_empty:
                                fit = fit.difference(off)
                        if fit.area >= shape.area * (1 - 1e-6):
                            want.append(fit)
            mine = [(a, g) for a, g in sites if a["area_id"] == area and a["type"] == type_]
            assert len(mine) == len(want), (area, type_)
            for (attrs, g), fit in zip(mine, want):
                assert attrs["site"] == "field_corner" and attrs["count"] == 1
                assert g.symmetric_difference(fit).area < 1e-6, attrs["candidate_id"]
                assert attrs["ha"] == pytest.approx(fit.area / 1e4, rel=1e-9)
                if type_ == "orchard":
                    assert attrs["build_eur"] is None
                    assert g.area == pytest.approx(ORCHARD_M2, rel=1e-9)
                else:
                    assert attrs["build_eur"] == pytest.approx(tree_eur)
                checked[type_] += 1
    assert checked["orchard"] > 20 and checked["solitary_tree"] > 100, checked


def test_a_cut_orchard_is_a_smaller_block_in_the_same_corner(orchards):
    """The orchard that closes a milestone is its block scaled down about its first vertex: the
    same corner, the same angles."""
    runs, _ = orchards
    out = runs["2"]
    _, _, sites = lt.read_output_layer(out / "candidates.gpkg", "candidates")
    _, _, parts = lt.read_output_layer(out / "candidates.gpkg", "sites")
    blocks = {a["candidate_id"]: one_polygon(g) for a, g in sites if a["type"] == "orchard"}
    # The core of a cut block (the rest beyond it serves the next milestone) holds the block's
    # first vertex, and of its four vertices that one only.
    cut = [(a, one_polygon(g)) for a, g in parts if a["type"] == "orchard"
           and a["ha"] < blocks[a["candidate_id"]].area / 1e4 - 1e-9]
    cores = 0
    for a, g in cut:
        whole = blocks[a["candidate_id"]]
        first = [v for v in whole.exterior.coords[:-1] if g.distance(Point(v)) < 1e-9]
        if len(first) != 1:  # the rest, which holds two of them
            continue
        k = math.sqrt(g.area / whole.area)
        scaled = affinity.scale(whole, k, k, origin=first[0])
        assert g.symmetric_difference(scaled).area < 1e-6 * whole.area, a["candidate_id"]
        cores += 1
    assert cores, "the sample has an orchard cut to close a milestone"


def test_orchards_and_trees_hold_their_proposals_exactly(orchards):
    """Per area, milestone and corner type the chosen parts hold the proposal exactly, or every
    candidate is taken; no chosen land counts twice; the same sites for 1 and 2 threads."""
    runs, _ = orchards
    out = runs["2"]
    rows = [a for a, _ in lt.read_output_layer(out / "areas.gpkg", "areas")[2]]
    years = sorted({int(c.split("_")[2]) for c in rows[0] if c.startswith("add_hedge_")})
    _, _, parts = lt.read_output_layer(out / "candidates.gpkg", "sites")
    _, _, sites = lt.read_output_layer(out / "candidates.gpkg", "candidates")
    assert {a["type"] for a, _ in parts} == {"hedge", "orchard", "solitary_tree"}
    for r in rows:
        for t in ("orchard", "solitary_tree"):
            mine = [a for a, _ in parts if a["area_id"] == r["area_id"] and a["type"] == t]
            ranked = [a for a, _ in sites if a["area_id"] == r["area_id"] and a["type"] == t
                      and a["rank"] is not None]
            if sum(a["ha"] for a in mine) < sum(r[f"add_{t}_{y}_ha"] for y in years) - 1e-9:
                assert all(a["selected"] for a in ranked), (r["area_id"], t)
                continue
            for y in years:
                held = sum(a["ha"] for a in mine if a["milestone"] == y)
                assert held == pytest.approx(r[f"add_{t}_{y}_ha"], abs=1e-9), (r["area_id"], t, y)
    assert_no_land_chosen_twice(parts)
    assert_same_sites(runs["1"], runs["2"])


@pytest.mark.parametrize("keys, message", [
    ('block_types = ["solitary_tree"]',
     "siting.block_types: 'solitary_tree' is planned in trees"),
    ('block_types = ["bog"]', "siting.block_types: 'bog' is not in the element catalogue"),
    ('block_types = "orchard"', "siting.block_types"),
])
def test_block_types_are_checked(sited, run_landel, tmp_path, keys, message):
    out, _ = sited
    cfg = variant(out, tmp_path, "blocks", keys + "\n")
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"), "--quiet")
    lines = lt.error_lines(proc.stderr)
    assert proc.returncode == 1 and len(lines) == 1 and message in lines[0], lines
    assert not (tmp_path / "out").exists()


def test_parcel_edges_hold_pollard_rows_priced_per_tree(sited, run_landel, tmp_path, repo_root):
    """Pollard trees stand mostly along parcel edges and watersides (docs/siting.md): with a
    pollard row in the mix the free edges offer it by default, as the catalogue's 3 m strip
    priced per tree (the strip's area / 15 m2 per tree x the mid cost), and the chosen ones hold
    its proposal exactly where the candidates suffice."""
    out, gpkg = sited
    parcels = [lt.repair(f.geom) for f in lt.read_features(gpkg, "percelen")]
    edges = unary_union([p.boundary for p in parcels])
    text = (out.parent / "siting.toml").read_text(encoding="utf-8")
    text = text.replace('"*" = { hedge = 0.8, pond = 0.2 }',
                        '"*" = { hedge = 0.5, pollard_row = 0.3, pond = 0.2 }')
    out = run_text(run_landel, text, tmp_path, "pollards")
    _, _, sites = lt.read_output_layer(out / "candidates.gpkg", "candidates")
    rows = [(a, g) for a, g in sites if a["type"] == "pollard_row"]
    assert len(rows) > 20 and all(a["site"] == "parcel_edge" for a, _ in rows)
    per_tree = catalogue_mid(repo_root, "pollard_row")
    beside_edges = edges.buffer(1.51, resolution=32)  # half the 3 m strip, 1 cm for the joins
    for attrs, strip in rows:
        assert strip.difference(beside_edges).area < 1e-6, attrs["candidate_id"]
        assert attrs["ha"] == pytest.approx(strip.area / 1e4, rel=1e-9)
        assert attrs["build_eur"] == pytest.approx(strip.area / 15.0 * per_tree, rel=1e-9)
    areas = [a for a, _ in lt.read_output_layer(out / "areas.gpkg", "areas")[2]]
    years = sorted({int(c.split("_")[3]) for c in areas[0] if c.startswith("add_pollard_row_")})
    _, _, parts = lt.read_output_layer(out / "candidates.gpkg", "sites")
    held_somewhere = False
    for r in areas:
        mine = [a for a, _ in parts if a["area_id"] == r["area_id"] and a["type"] == "pollard_row"]
        ranked = [a for a, _ in rows if a["area_id"] == r["area_id"] and a["rank"] is not None]
        if sum(a["ha"] for a in mine) < sum(r[f"add_pollard_row_{y}_ha"] for y in years) - 1e-9:
            assert all(a["selected"] for a in ranked), r["area_id"]
            continue
        held_somewhere = held_somewhere or bool(mine)
        for y in years:
            held = sum(a["ha"] for a in mine if a["milestone"] == y)
            assert held == pytest.approx(r[f"add_pollard_row_{y}_ha"], abs=1e-9), (r["area_id"], y)
    assert held_somewhere
    assert_no_land_chosen_twice(parts)
