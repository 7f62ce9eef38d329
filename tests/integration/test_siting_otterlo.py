"""[siting] candidate sites on the real Otterlo BGT (../shared/data/real/otterlo-bgt) with the
BGT preset and no parcel layer: the agricultural land (bouwland, grasland agrarisch) stands in
for the parcels, and a free edge along water is a bank, along a road or its verge a verge
(docs/siting.md). Checked against an independent computation with shapely on the current
objects of the same download (otterlo_bgt_current.gpkg): the free edge length per area, the
candidates on those edges, the kinds by the land they run along, nothing on elements, water or
roads. Skipped without the real data."""

import pytest
from osgeo import ogr
from shapely.geometry import box
from shapely.ops import unary_union

import landel_testlib as lt

ZIP = "otterlo-bgt/otterlo_bgt_2020-08-05.zip"
CURRENT = "otterlo-bgt/otterlo_bgt_current.gpkg"
TILES = lt.OTTERLO_TILES
CLEARANCE_M, ALONG_M, MIN_LENGTH_M = 5.0, 2.0, 20.0
# data/catalogue/elements.csv plan_width_m of the national mix's types on edges: parcel edges
# (and verges, which list no types of their own) hold the mix's bid.potential.types, the
# field margin and the pollard row, banks the natural bank and the reed edge
# ([siting.kind_types] defaults).
WIDTH_M = {"hedge": 1.5, "thorn_hedge": 2.0, "wooded_bank": 5.0, "alder_row": 4.0,
           "field_margin": 6.0, "pollard_row": 3.0, "natural_bank": 3.0, "reed_edge": 3.0}
PARCEL_EDGE_TYPES = {"hedge", "thorn_hedge", "wooded_bank", "alder_row", "field_margin",
                     "pollard_row"}
EDGE_TYPES = {"parcel_edge": PARCEL_EDGE_TYPES, "verge": PARCEL_EDGE_TYPES,
              "bank": {"natural_bank", "reed_edge"}}
AGRICULTURAL = ("bouwland", "grasland agrarisch")


@pytest.fixture(scope="module")
def sited(real_data, tmp_path_factory, run_landel_session):
    folder = tmp_path_factory.mktemp("siting_otterlo")
    feats = [(box(*b).wkt, {"id": k}) for k, b in TILES.items()]
    lt.write_vector(folder / "areas.gpkg", "areas", ogr.wkbPolygon, feats,
                    fields=[("id", ogr.OFTString)])
    cfg = folder / "landel.toml"
    # The custom denominator has no masks: each area's rural land is the area itself, so the
    # free edges below need no rural land of their own.
    cfg.write_text(f"""[run]
crs = "EPSG:28992"
measurement_year = 2020
[areas]
[[areas.layers]]
path = "areas.gpkg"
id_field = "id"
[dataset]
preset = "bgt"
path = "{real_data / ZIP}"
[rural]
definition = "custom"
[siting]
along_m = {ALONG_M}
min_length_m = {MIN_LENGTH_M}
[bid.potential]
clearance_m = {CLEARANCE_M}
""", encoding="utf-8")
    out = folder / "out"
    proc = run_landel_session("run", str(cfg), "--out", str(out), "--quiet", "--no-maps")
    assert proc.returncode == 0, lt.describe(proc)
    return out


def current(real_data, layer, where):
    return [f.geom for f in lt.read_features(real_data / CURRENT, layer, where)]


def by_area(rows, key="area_id"):
    out = {}
    for attrs, geom in rows:
        out.setdefault(attrs[key], []).append((attrs, geom))
    return out


@pytest.fixture(scope="module")
def land(real_data):
    where = "class IN ('bouwland', 'grasland agrarisch')"
    return {
        "parcels": current(real_data, "begroeidterreindeel", where),
        "water": unary_union(current(real_data, "waterdeel", None)),
        "roads": unary_union(current(real_data, "wegdeel", None) +
                             current(real_data, "ondersteunendwegdeel", "function = 'berm'")),
    }


def free_edges(parcels, tile, elements):
    """The parcels' boundaries in the tile, each shared edge once, minus the parts within the
    clearance of the tile's elements (docs/siting.md, from the definition)."""
    area = box(*tile)
    edges = unary_union([p.boundary for p in parcels if p.intersects(area)]).intersection(area)
    if elements:
        edges = edges.difference(unary_union(elements).buffer(CLEARANCE_M, 8))
    return edges


def test_stand_in_parcels_give_candidates_covering_the_free_edges(sited, land):
    _, _, element_rows = lt.read_output_layer(sited / "areas.gpkg", "elements")
    elements = {a: [g for _, g in rows] for a, rows in by_area(element_rows).items()}
    _, _, rows = lt.read_output_layer(sited / "candidates.gpkg", "candidates")
    candidates = by_area(rows)
    bids = {r["area_id"]: r for r in lt.read_csv(sited / "area_bid.csv")[1]}
    assert set(candidates) == set(TILES)
    covered = {}
    for area, tile in TILES.items():
        free = free_edges(land["parcels"], tile, elements.get(area, [])).length
        # Each free edge offers every type of its kind: the candidates of one type (the
        # natural bank on banks, the field margin elsewhere: the largest shares) lie on all of
        # them, and area_bid.csv counts each edge once.
        sites = sum(attrs["length_m"] for attrs, _ in candidates[area]
                    if attrs["type"] in ("natural_bank", "field_margin"))
        covered[area] = sites / free
        # Pieces shorter than the minimum length are no candidates; no edge counts twice.
        assert 0.9 * free <= sites <= free + 1e-6, (area, sites, free)
        assert lt.num(bids[area]["candidate_m"]) == pytest.approx(sites, abs=2e-3), area
    print("candidate length / free edge length:", covered)


def within(geom, distance):
    """The land within @p distance of @p geom, to 1 cm. GEOS simplifies a buffer's input by 1% of
    the distance (its default simplify factor) and draws arcs as chords, so the buffer may fall
    short of the true distance by up to that: it is drawn that much further out."""
    return geom.buffer(distance * 1.01 + 0.01, 8)


def test_candidates_lie_on_agricultural_edges_banks_and_verges(sited, land):
    _, _, element_rows = lt.read_output_layer(sited / "areas.gpkg", "elements")
    elements = unary_union([g for _, g in element_rows])
    edges = unary_union([p.boundary for p in land["parcels"]])
    on_edges = {t: within(edges, w / 2) for t, w in WIDTH_M.items()}
    # Within ALONG_M of water or roads, at a strip's half-width.
    along = {(k, t): within(g, ALONG_M + w / 2) for t, w in WIDTH_M.items()
             for k, g in (("bank", land["water"]), ("verge", land["roads"]))}
    _, _, rows = lt.read_output_layer(sited / "candidates.gpkg", "candidates")
    kinds = {}
    for attrs, strip in rows:
        kind = attrs["site"]
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind == "field_corner":
            continue  # test_corner_sites_lie_whole_in_agricultural_corners
        t = attrs["type"]
        assert t in EDGE_TYPES[kind], attrs["candidate_id"]
        assert strip.difference(on_edges[t]).area < 1e-6, attrs["candidate_id"]
        for off in (elements, land["water"], land["roads"]):
            assert strip.intersection(off).area < 1e-6, attrs["candidate_id"]
        if kind in ("bank", "verge"):
            assert strip.difference(along[kind, t]).area < 1e-6, attrs["candidate_id"]
        else:
            assert kind == "parcel_edge"
            # At most pieces shorter than the minimum length run along water or roads.
            near = strip.intersection(along["bank", t].union(along["verge", t])).area
            assert near < strip.area, attrs["candidate_id"]
    assert set(kinds) == {"parcel_edge", "bank", "verge", "field_corner"}, kinds
    types = {a["type"] for a, _ in rows}
    assert PARCEL_EDGE_TYPES | {"natural_bank", "reed_edge"} <= types, types
    # No land in two candidates of a type (the earlier keeps a corner where edges meet; a
    # corner site keeps off its type's other corner sites). Types are alternatives: the same
    # edge offers each of its kind's types, the same corner each corner type.
    for area in TILES:
        for t in types:
            strips = [g for a, g in rows if a["area_id"] == area and a["type"] == t]
            assert sum(g.area for g in strips) - unary_union(strips).area <= 1e-6, (area, t)


def vertex_angles(parcel):
    """(vertex, the angle between its edges) of every vertex of @p parcel's rings."""
    import math
    from shapely.geometry import Point
    for ring in [parcel.exterior, *parcel.interiors]:
        pts = [p for k, p in enumerate(ring.coords[:-1]) if k == 0 or p != ring.coords[k - 1]]
        for k, (x, y) in enumerate(pts):
            (px, py), (nx, ny) = pts[k - 1], pts[(k + 1) % len(pts)]
            ax, ay, bx, by = px - x, py - y, nx - x, ny - y
            norm = math.hypot(ax, ay) * math.hypot(bx, by)
            if norm > 0:
                yield Point(x, y), math.acos(max(-1.0, min(1.0, (ax * bx + ay * by) / norm)))


SETBACK_M = max(WIDTH_M.values()) / 2  # docs/siting.md: half the widest of the edge types


def test_each_kind_of_edge_caps_the_types_it_holds(sited):
    """The proposal's pools of free edge (docs/bid.md): each kind of site's candidate edges (the
    first type offered on an edge sees its whole length, so a kind's edge is the longest total
    of its types' candidates). Each strip type's proposal, as edge (hectares x 1e4 / plan
    width), fits the kinds that hold it; the bank types share the banks and the parcel edges'
    types share parcel edges and verges; `line_edge_m` is the edge of the kinds that hold the
    listed line types. The national mix asks more natural bank than the banks hold, so their
    pool is taken whole somewhere."""
    rows = {r["area_id"]: r for r in lt.read_csv(sited / "area_bid.csv")[1]}
    first = next(iter(rows.values()))
    years = sorted({int(c.split("_")[2]) for c in first if c.startswith("add_hedge_")})
    candidates = [a for a, _ in lt.read_output_layer(sited / "candidates.gpkg", "candidates")[2]
                  if a["site"] != "field_corner"]
    banks_full = 0
    for area, r in rows.items():
        per = {}
        for a in candidates:
            if a["area_id"] == area:
                kind = per.setdefault(a["site"], {})
                kind[a["type"]] = kind.get(a["type"], 0.0) + a["length_m"]
        pool = {k: max(v.values()) for k, v in per.items()}
        used = {t: sum(lt.num(r[f"add_{t}_{y}_ha"]) for y in years) * 1e4 / w
                for t, w in WIDTH_M.items() if f"add_{t}_{years[0]}_ha" in r}
        # area_bid.csv gives hectares to 6 decimals: each milestone's figure is off by up to
        # 0.5e-6 ha, that is 0.005 m2 / width metres of edge.
        slack = {t: len(years) * 0.5e-6 * 1e4 / w + 1e-9 for t, w in WIDTH_M.items()}
        for t, m in used.items():
            room = sum(pool.get(k, 0.0) for k, types in EDGE_TYPES.items() if t in types)
            assert m <= room + slack[t], (area, t, m, room)
        bank_m = sum(m for t, m in used.items() if t in EDGE_TYPES["bank"])
        assert bank_m <= pool.get("bank", 0.0) + sum(slack[t] for t in EDGE_TYPES["bank"]), area
        parcel = pool.get("parcel_edge", 0.0) + pool.get("verge", 0.0)
        assert (sum(m for t, m in used.items() if t in PARCEL_EDGE_TYPES)
                <= parcel + sum(slack[t] for t in PARCEL_EDGE_TYPES)), area
        assert lt.num(r["line_edge_m"]) == pytest.approx(parcel, rel=1e-9, abs=1e-3), area
        banks_full += (pool.get("bank", 0.0) > 0
                       and bank_m >= pool["bank"] - sum(slack[t] for t in EDGE_TYPES["bank"]))
    assert banks_full > 0


def test_corner_sites_lie_whole_in_agricultural_corners(sited, land):
    """The corner sites (ponds, small woods and orchards of the mix) lie whole in one
    agricultural parcel, off elements, water, roads and the edge sites' strips; a disc on the
    bisector of a vertex of at most 135 degrees at (r + s) / sin(angle / 2) from it, s half the
    widest edge type's width; an orchard a rhombus of 2,500 m2 whose first vertex lies at
    s / sin(angle / 2) from such a vertex and whose sides from it run along its edges."""
    import math
    from shapely.geometry import Point
    _, _, element_rows = lt.read_output_layer(sited / "areas.gpkg", "elements")
    elements = unary_union([g for _, g in element_rows])
    _, _, rows = lt.read_output_layer(sited / "candidates.gpkg", "candidates")
    corners = [(a, g) for a, g in rows if a["site"] == "field_corner"]
    strips = {area: unary_union([g for a, g in rows if a["area_id"] == area and
                                 a["site"] != "field_corner"]) for area in TILES}
    assert {a["type"] for a, _ in corners} == {"pond", "small_wood", "orchard"}
    radius = {"pond": 25.231 / 2, "small_wood": math.sqrt(2500 / math.pi)}  # docs/siting.md
    parcels = [lt.repair(p) for p in land["parcels"]]
    for attrs, block in [(a, g) for a, g in corners if a["type"] == "orchard"]:
        assert block.area == pytest.approx(2500.0, rel=1e-6), attrs["candidate_id"]
        home = [p for p in parcels if p.intersects(block.representative_point())]
        assert len(home) == 1 and block.difference(home[0]).area < 1e-6, attrs["candidate_id"]
        for off in (elements, land["water"], land["roads"], strips[attrs["area_id"]]):
            assert block.intersection(off).area < 1e-6, attrs["candidate_id"]
        assert len(getattr(block, "geoms", [block])) == 1, attrs["candidate_id"]
        verts = getattr(block, "geoms", [block])[0].exterior.coords[:-1]
        assert any(angle <= math.radians(135) and
                   abs(v.distance(Point(b)) - SETBACK_M / math.sin(angle / 2)) < 1e-6 and
                   any(abs(Point(b).distance(Point(c)) - math.sqrt(2500 / math.sin(angle))) < 1e-6
                       for c in verts)
                   for v, angle in vertex_angles(home[0]) for b in verts), attrs["candidate_id"]
    for attrs, disc in [(a, g) for a, g in corners if a["type"] != "orchard"]:
        r = radius[attrs["type"]]
        centre = disc.centroid
        assert disc.area == pytest.approx(Point(0, 0).buffer(r, resolution=32).area, rel=1e-6)
        home = [p for p in parcels if p.intersects(centre)]
        assert len(home) == 1 and disc.difference(home[0]).area < 1e-6, attrs["candidate_id"]
        for off in (elements, land["water"], land["roads"]):
            assert disc.intersection(off).area < 1e-6, attrs["candidate_id"]
        # The disc is a 128-gon inscribed in its circle (docs/semantics.md): it may come within
        # r cos(pi/128) of an edge and still fit whole; it keeps off the edge sites' strips.
        to_edge = home[0].boundary.distance(centre)
        assert to_edge >= r * math.cos(math.pi / 128) - 1e-6, attrs["candidate_id"]
        assert disc.intersection(strips[attrs["area_id"]]).area < 1e-6, attrs["candidate_id"]
        # Its corner: a vertex with an angle of at most 135 degrees at (r + s) / sin(angle / 2)
        # from the centre (to 0.1 mm: the centroid of a disc that lost up to 1e-6 of its area
        # to a sliver of a neighbour's edge is not quite its centre).
        assert any(angle <= math.radians(135) and
                   abs(v.distance(centre) - (r + SETBACK_M) / math.sin(angle / 2)) < 1e-4
                   for v, angle in vertex_angles(home[0])), attrs["candidate_id"]
    print("corner sites:", {t: sum(1 for a, _ in corners if a["type"] == t)
                            for t in ("pond", "small_wood", "orchard")})


def test_landel_init_offers_siting_that_runs_as_written(real_data, tmp_path, run_landel):
    """`landel init` writes [siting] and [bid.potential] commented out; uncommented, the
    config runs and gives candidates of every kind from the stand-in parcels."""
    feats = [(box(*b).wkt, {"id": k}) for k, b in TILES.items()]
    lt.write_vector(tmp_path / "areas.gpkg", "areas", ogr.wkbPolygon, feats,
                    fields=[("id", ogr.OFTString)])
    cfg = tmp_path / "landel.toml"
    proc = run_landel("init", "--preset", "bgt", "--data", str(real_data / ZIP), "--areas",
                      str(tmp_path / "areas.gpkg"), "--id-field", "id", "--out", str(cfg))
    assert proc.returncode == 0, lt.describe(proc)
    text = cfg.read_text(encoding="utf-8")
    assert "# [siting]\n# [bid.potential]\n" in text
    cfg.write_text(text.replace("# [siting]\n# [bid.potential]\n", "[siting]\n[bid.potential]\n"),
                   encoding="utf-8")
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"), "--no-maps")
    assert proc.returncode == 0, lt.describe(proc)
    assert "standing in for parcels" in \
        (tmp_path / "out/landel.log").read_text(encoding="utf-8")
    _, _, rows = lt.read_output_layer(tmp_path / "out/candidates.gpkg", "candidates")
    assert {a["site"] for a, _ in rows} == {"parcel_edge", "bank", "verge", "field_corner"}
