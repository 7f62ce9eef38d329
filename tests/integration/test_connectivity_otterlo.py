"""[siting] network figures on the real Otterlo BGT (../shared/data/real/otterlo-bgt): per
1 km tile, the components of the element patches at the gap tolerance and the equivalent
connected area (Saura et al. 2011; docs/siting.md), recomputed here independently with shapely
(patches: the connected pieces of the union of the area's owned element geometry; edge-to-edge
distances) and
networkx (components; maximum-product paths as shortest paths in k*d, up to the cutoff).
Skipped without the real data or networkx."""

import math

import pytest
from osgeo import ogr

import landel_testlib as lt

nx = pytest.importorskip("networkx")
shapely_ops = pytest.importorskip("shapely.ops")
from shapely.geometry import MultiPolygon  # noqa: E402
from shapely.strtree import STRtree  # noqa: E402

ZIP = "otterlo-bgt/otterlo_bgt_2020-08-05.zip"
TILES = lt.OTTERLO_TILES
GAP_M, DISPERSAL_M, CUTOFF = 25.0, 50.0, 0.001


@pytest.fixture(scope="module")
def network(real_data, tmp_path_factory, run_landel_session):
    folder = tmp_path_factory.mktemp("network")
    feats = [(f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))", {"id": k})
             for k, (x0, y0, x1, y1) in TILES.items()]
    lt.write_vector(folder / "areas.gpkg", "areas", ogr.wkbPolygon, feats, fields=[("id", ogr.OFTString)])
    cfg = folder / "landel.toml"
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
[siting]
gap_m = {GAP_M}
dispersal_m = {DISPERSAL_M}
""", encoding="utf-8")
    out = folder / "out"
    proc = run_landel_session("run", str(cfg), "--out", str(out), "--quiet", "--no-maps")
    assert proc.returncode == 0, lt.describe(proc)
    return out


TOUCH_M = 1e-6  # polygons of the union this close are one patch (docs/siting.md)


def touching_groups(polygons):
    """The polygons grouped by touching (closer than TOUCH_M), transitively: one geometry each."""
    near = nx.Graph()
    near.add_nodes_from(range(len(polygons)))
    for i, p in enumerate(polygons):
        for j in range(i + 1, len(polygons)):
            if p.distance(polygons[j]) <= TOUCH_M:
                near.add_edge(i, j)
    groups = sorted(sorted(c) for c in nx.connected_components(near))
    return [polygons[c[0]] if len(c) == 1 else MultiPolygon([polygons[i] for i in c]) for c in groups]


def patches_of(out):
    """Per area the connected pieces of the union of its owned element geometry."""
    _, _, rows = lt.read_output_layer(out / "areas.gpkg", "elements")
    by_area = {}
    for attrs, geom in rows:
        by_area.setdefault(attrs["area_id"], []).append(geom)
    patches = {}
    for area, geoms in by_area.items():
        union = shapely_ops.unary_union(geoms)
        patches[area] = touching_groups(list(getattr(union, "geoms", [union])))
    return patches


def independent(patches):
    """(components, largest component m2, ECA m2) from the definitions."""
    k = math.log(2.0) / DISPERSAL_M
    reach = math.log(1.0 / CUTOFF) / k
    tree = STRtree(patches)
    index = {id(p): i for i, p in enumerate(patches)}
    links = nx.Graph()
    links.add_nodes_from(range(len(patches)))
    for i, p in enumerate(patches):
        for q in tree.query(p.buffer(reach, 4).envelope):
            j = index[id(q)]
            if j > i:
                d = p.distance(q)
                if d <= reach:
                    links.add_edge(i, j, d=d)
    gap = nx.Graph()
    gap.add_nodes_from(range(len(patches)))
    gap.add_edges_from((i, j) for i, j, d in links.edges(data="d") if d <= GAP_M)
    parts = list(nx.connected_components(gap))
    largest = max(sum(patches[i].area for i in c) for c in parts)
    total = 0.0
    for i, lengths in nx.all_pairs_dijkstra_path_length(links, cutoff=reach, weight="d"):
        total += patches[i].area * sum(patches[j].area * math.exp(-k * d) for j, d in lengths.items())
    return len(parts), largest, math.sqrt(total)


def test_components_and_eca_equal_an_independent_computation(network):
    _, _, rows = lt.read_output_layer(network / "areas.gpkg", "areas")
    figures = {a["area_id"]: a for a, _ in rows}
    patches = patches_of(network)
    assert set(patches) == set(TILES)
    for area, polygons in sorted(patches.items()):
        got = figures[area]
        assert got["network_patches"] == len(polygons), area
        components, largest, eca = independent(polygons)
        assert got["network_components"] == components, area
        assert got["largest_component_ha"] == pytest.approx(largest / 1e4, rel=1e-9, abs=1e-9), area
        assert got["eca_ha"] == pytest.approx(eca / 1e4, rel=1e-9), area
        # ECA lies between the largest patch and all patches together.
        assert max(p.area for p in polygons) / 1e4 <= got["eca_ha"] <= sum(p.area for p in polygons) / 1e4 + 1e-9


def test_the_figures_are_in_area_bid_csv(network):
    header = (network / "area_bid.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    for column in ("network_patches", "network_components", "largest_component_ha", "eca_ha"):
        assert column in header


def test_dispersal_must_be_positive(run_landel, write_config, tmp_path):
    lt.write_vector(tmp_path / "areas.gpkg", "areas", ogr.wkbPolygon,
                    [("POLYGON((0 0,100 0,100 100,0 100,0 0))", {"id": "A"})], fields=[("id", ogr.OFTString)])
    cfg = write_config("""
        [areas]
        [[areas.layers]]
        path = "areas.gpkg"
        [[elements]]
        path = "areas.gpkg"
        type = "small_wood"
        [siting]
        dispersal_m = 0
        """)
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"), "--quiet")
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and "siting.dispersal_m must be > 0" in lines[0] and "landel.toml:" in lines[0], lines
    assert not (tmp_path / "out").exists()


CURRENT = "otterlo-bgt/otterlo_bgt_current.gpkg"


def test_connected_line_ends_equal_an_independent_count(network, real_data):
    """Per tile the ends of the BGT's haag lines in its rural land, and those within the gap of
    another element's land there (docs/siting.md), counted again with shapely: the hedges
    (1.5 m strips, flat ends, round joins) and trees (8 m crowns) of the current objects —
    unchanged since 2020 in these tiles, as the equal counts show — and the run's owned polygon
    elements (BGT surfaces tile the land, and every polygon type precedes hedge and tree)."""
    from shapely.geometry import Point
    hedges = [f.geom for f in lt.read_features(real_data / CURRENT, "vegetatieobject_haag")]
    strips = [h.buffer(0.75, resolution=32, cap_style=2, join_style=1) for h in hedges]
    crowns = [f.geom.buffer(4.0, resolution=32)
              for f in lt.read_features(real_data / CURRENT, "vegetatieobject_boom")]
    rural, polygons = {}, {}
    for attrs, g in lt.read_output_layer(network / "areas.gpkg", "rural_land")[2]:
        rural[attrs["area_id"]] = g
    for attrs, g in lt.read_output_layer(network / "areas.gpkg", "elements")[2]:
        if attrs["type"] not in ("hedge", "solitary_tree"):
            polygons.setdefault(attrs["area_id"], []).append(g)
    rows = {a["area_id"]: a for a, _ in lt.read_output_layer(network / "areas.gpkg", "areas")[2]}
    counted = {}
    for area, land in rural.items():
        near = land.buffer(GAP_M, 4)
        others = [(k, s.intersection(land)) for k, s in enumerate(strips) if s.intersects(near)]
        others += [(-1, c.intersection(land)) for c in crowns if c.intersects(near)]
        others += [(-1, g) for g in polygons.get(area, [])]
        ends = connected = 0
        for k, line in enumerate(hedges):
            for part in getattr(line, "geoms", [line]):
                for end in (Point(part.coords[0]), Point(part.coords[-1])):
                    if part.is_closed or not land.covers(end):
                        continue
                    ends += 1
                    connected += any(j != k and not g.is_empty and g.distance(end) <= GAP_M
                                     for j, g in others)
        counted[area] = (ends, connected)
        assert (rows[area]["line_ends"], rows[area]["connected_ends"]) == (ends, connected), area
    assert sum(e for e, _ in counted.values()) > 0, counted
    print("line ends, connected:", counted)
