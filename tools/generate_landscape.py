#!/usr/bin/python3
"""Generate a synthetic, deterministic Dutch rural landscape as one GeoPackage (EPSG:28992).

The landscape is a grid of measurement areas ("gebieden") in a Rivierenland-like polder:
long narrow parcels separated by ditches, roads through the middle of each area, farmyards
along the roads, a village, a nature area or two, and green-blue landscape elements
(hedges, tree rows, wooded banks, pollard rows, solitary trees, small woods, ponds and
ditches with nature-friendly banks).

Besides the random landscape, every run places a fixed set of "special" features that
exercise landel's measurement rules (the contract's max_patch_ha, type ownership and
geometry repair): a wood > 2 ha, edge-sharing wood pairs under and over the patch limit, a wood
straddling an area border, two woods touching at one corner, a pond overlapping a wood and
exactly one invalid (bow-tie) polygon.

Usage (the defaults produce data/samples/polder/landscape.gpkg):
    /usr/bin/python3 tools/generate_landscape.py OUT.gpkg [--seed 42]
        [--areas-x 3 --areas-y 2] [--area-size 800] [--density 1.0]

Determinism: all randomness comes from random.Random instances seeded with the seed (one
per concern, so that changing the density does not move the parcel grid or the roads), and the
GeoPackage timestamps are pinned, so the same arguments give a byte-identical file.
"""

import argparse
import math
import os
import random
import sys
import time
from collections import defaultdict

from osgeo import gdal, ogr, osr
from shapely.affinity import scale
from shapely.geometry import (LineString, MultiLineString, MultiPolygon, Point, Polygon,
                              box)
from shapely.ops import unary_union
from shapely.prepared import prep

# South-west corner of the landscape: Rivierenland (Betuwe, between Waal and Linge).
X0, Y0 = 140000.0, 430000.0
EPSG = 28992

# Base rates at --density 1 and an area richness of 1 (areas vary between 0.5 and 1.6).
LINE_EDGE_PROB = 0.30       # chance that a long parcel edge carries a line element
CROSS_EDGE_PROB = 0.15      # same for the short (head) edges of parcels
TREES_PER_HA = 1.2          # solitary trees in grassland/arable parcels
WOODS_PER_HA = 0.035
PONDS_PER_HA = 0.07
ROAD_TREE_ROW_PROB = 0.25   # chance of a tree row along a road section
NATURAL_BANK_PROB = 0.15    # share of ditches with a nature-friendly bank

# Line element types with their share and typical width range (m).
LINE_TYPES = [("haag", 0.45, (1.0, 3.0)), ("bomenrij", 0.20, (4.0, 10.0)),
              ("houtwal", 0.15, (3.0, 8.0)), ("knotbomenrij", 0.20, (2.0, 5.0))]
LINE_WIDTH_NULL_SHARE = 0.30
CROWN_NULL_SHARE = 0.15
DITCH_WIDTH_NULL_SHARE = 0.20

NAME_HEADS = ["Hoog", "Laag", "Oost", "West", "Noord", "Zuid", "Oud", "Nieuw", "Breed",
              "Lang", "Kort", "Groot", "Klein", "Diep", "Wit", "Rood"]
NAME_TAILS = ["broek", "weide", "kamp", "veld", "waard", "hoeve", "dijk", "meer", "gors",
              "wetering", "akker", "laan", "maat", "hof", "eind", "steeg"]
NATURE_NAMES = ["De Groene Wetering", "Het Broekbos", "De Lingewaarden", "Het Elzenbroek",
                "De Rietlanden", "Het Wilgenwaard", "De Zandwaard", "Het Kievitsveld"]

# Layer name -> (geometry type, [(field, OGR type)]). The element layers hold a few multi-part
# features, so they are declared Multi and every feature is stored as Multi (GeoPackage Req 32).
LAYERS = {
    "gebieden": (ogr.wkbPolygon, [("code", ogr.OFTString), ("naam", ogr.OFTString)]),
    "percelen": (ogr.wkbPolygon, [("gebruik", ogr.OFTString)]),
    "lijnelementen": (ogr.wkbMultiLineString, [("soort", ogr.OFTString), ("breedte", ogr.OFTReal)]),
    "bomen": (ogr.wkbPoint, [("kroon_m", ogr.OFTReal)]),
    "vlakelementen": (ogr.wkbMultiPolygon, [("soort", ogr.OFTString)]),
    "sloten": (ogr.wkbLineString, [("oever", ogr.OFTString), ("breedte", ogr.OFTReal)]),
    "bebouwing": (ogr.wkbPolygon, [("functie", ogr.OFTString)]),
    "wegen": (ogr.wkbPolygon, [("wegtype", ogr.OFTString)]),
    "natuur": (ogr.wkbPolygon, [("naam", ogr.OFTString)]),
}

FLAT, MITRE = 2, 2  # shapely 1.8 style codes: cap_style FLAT, join_style MITRE


# --------------------------------------------------------------------------- helpers

def jitter(rng, amount):
    """A random offset in [-amount, amount], rounded to centimetres."""
    return round(rng.uniform(-amount, amount), 2)


def rnd(value, digits=2):
    return round(value, digits)


def maybe_null(rng, value, null_share):
    """Leave an attribute empty for a share of features, as in real inventories."""
    return None if rng.random() < null_share else value


def bernoulli_count(rng, expected):
    """An integer count with the given expectation (floor plus a chance of one more)."""
    whole = int(expected)
    return whole + (1 if rng.random() < expected - whole else 0)


def polygon_parts(geom):
    if geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    return [g for g in getattr(geom, "geoms", []) if g.geom_type == "Polygon"]


def line_parts(geom):
    if geom.is_empty:
        return []
    if geom.geom_type == "LineString":
        return [geom]
    return [g for g in getattr(geom, "geoms", []) if g.geom_type == "LineString"]


class BoxIndex:
    """Uniform-grid index over bounding boxes.

    shapely 1.8's STRtree is immutable, while the generator keeps adding obstacles as it
    places them; a grid of buckets is enough at these sizes and keeps query order stable.
    """

    def __init__(self, cell=250.0):
        self.cell = cell
        self.buckets = defaultdict(list)
        self.items = []

    def _keys(self, bounds):
        x0, y0, x1, y1 = bounds
        c = self.cell
        for i in range(int(math.floor(x0 / c)), int(math.floor(x1 / c)) + 1):
            for j in range(int(math.floor(y0 / c)), int(math.floor(y1 / c)) + 1):
                yield i, j

    def add(self, geom):
        idx = len(self.items)
        self.items.append(geom)
        for key in self._keys(geom.bounds):
            self.buckets[key].append(idx)

    def query(self, bounds, gap=0.0):
        """Items whose bounding box comes within `gap` of `bounds`, in insertion order."""
        x0, y0, x1, y1 = bounds[0] - gap, bounds[1] - gap, bounds[2] + gap, bounds[3] + gap
        found = set()
        for key in self._keys((x0, y0, x1, y1)):
            for idx in self.buckets.get(key, ()):
                if idx in found:
                    continue
                bx0, by0, bx1, by1 = self.items[idx].bounds
                if bx0 <= x1 and bx1 >= x0 and by0 <= y1 and by1 >= y0:
                    found.add(idx)
        return [self.items[i] for i in sorted(found)]

    def near(self, geom, gap=0.0):
        """True when some item lies within `gap` metres of geom (touching counts)."""
        return any(geom.distance(o) <= gap for o in self.query(geom.bounds, gap))


class Landscape:
    """Collects features per layer; every feature is (shapely geometry, attribute dict)."""

    def __init__(self):
        self.layers = {name: [] for name in LAYERS}
        self.invalid_on_purpose = set()   # (layer, index) of deliberately invalid features

    def add(self, layer, geom, **attrs):
        self.layers[layer].append((geom, attrs))


# --------------------------------------------------------------------------- areas

def wiggle_edge(rng, a, b, wiggle):
    """Vertices from a to b; interior borders get a few sideways bends (shared exactly)."""
    if wiggle <= 0:
        return [a, b]
    (ax, ay), (bx, by) = a, b
    length = math.hypot(bx - ax, by - ay)
    ux, uy = -(by - ay) / length, (bx - ax) / length  # unit normal
    n = rng.randint(3, 6)
    pts = [a]
    for k in range(1, n + 1):
        t = (k + rng.uniform(-0.25, 0.25)) / (n + 1)
        off = jitter(rng, wiggle)
        pts.append((rnd(ax + t * (bx - ax) + off * ux), rnd(ay + t * (by - ay) + off * uy)))
    pts.append(b)
    return pts


def build_area_grid(rng, nx, ny, size):
    """Corner nodes with jitter and shared, wiggled borders; outer boundary stays a rectangle."""
    nodes = {}
    for i in range(nx + 1):
        for j in range(ny + 1):
            x = X0 + i * size + (jitter(rng, 20) if 0 < i < nx else 0.0)
            y = Y0 + j * size + (jitter(rng, 20) if 0 < j < ny else 0.0)
            nodes[i, j] = (rnd(x), rnd(y))
    h_edges = {(i, j): wiggle_edge(rng, nodes[i, j], nodes[i + 1, j], 12 if 0 < j < ny else 0)
               for i in range(nx) for j in range(ny + 1)}
    v_edges = {(i, j): wiggle_edge(rng, nodes[i, j], nodes[i, j + 1], 12 if 0 < i < nx else 0)
               for i in range(nx + 1) for j in range(ny)}
    return h_edges, v_edges


def village_rect(nx, size):
    """The village core: 250 m x 200 m = 5 ha notched into the south edge of the middle column."""
    cx = X0 + (nx // 2 + 0.5) * size
    return (cx - 125.0, Y0, cx + 125.0, Y0 + 200.0)


def area_ring(i, j, h_edges, v_edges, notch=None):
    """Counter-clockwise ring of area (i, j) from the shared edge vertex lists."""
    bottom = list(h_edges[i, j])
    if notch is not None:  # the village notch replaces a piece of the straight south edge
        x0, y0, x1, y1 = notch
        bottom = [bottom[0], (x0, y0), (x0, y1), (x1, y1), (x1, y0), bottom[-1]]
    ring = bottom + v_edges[i + 1, j][1:] + list(reversed(h_edges[i, j + 1]))[1:]
    ring += list(reversed(v_edges[i, j]))[1:-1]
    return ring


def area_names(rng, count):
    names = [h + t for h in NAME_HEADS for t in NAME_TAILS]
    rng.shuffle(names)
    return [names[k % len(names)] + ("" if k < len(names) else f" {k // len(names) + 1}")
            for k in range(count)]


def make_areas(land, rng, nx, ny, size):
    """Areas numbered row by row from the north-west; the village core is the last code."""
    h_edges, v_edges = build_area_grid(rng, nx, ny, size)
    vrect = village_rect(nx, size)
    total = nx * ny + 1
    width = max(2, len(str(total)))
    names = area_names(rng, nx * ny)
    cells = {}
    number = 0
    for j in reversed(range(ny)):
        for i in range(nx):
            notch = vrect if (i, j) == (nx // 2, 0) else None
            poly = Polygon(area_ring(i, j, h_edges, v_edges, notch))
            land.add("gebieden", poly, code=f"G{number + 1:0{width}d}", naam=names[number])
            cells[i, j] = poly
            number += 1
    land.add("gebieden", box(*vrect), code=f"G{total:0{width}d}", naam="Dorpskern")
    return cells, vrect


# --------------------------------------------------------------------------- infrastructure

def road_line(rng, start, end, steps, wobble, horizontal):
    """A road centre line with gentle bends at regular stations."""
    pts = []
    for k in range(steps + 1):
        t = k / steps
        if horizontal:
            x = start[0] + t * (end[0] - start[0])
            y = start[1] + (jitter(rng, wobble) if 0 < k < steps else 0.0)
        else:
            x = start[0] + (jitter(rng, wobble) if 0 < k < steps else 0.0)
            y = start[1] + t * (end[1] - start[1])
        pts.append((rnd(x), rnd(y)))
    return LineString(pts)


def make_roads(land, rng, nx, ny, size):
    """One road through the middle of every row and column of areas."""
    width_x, width_y = nx * size, ny * size
    roads = []  # (centre line, width in m, wegtype)
    for j in range(ny):
        y = Y0 + (j + 0.5) * size
        main = j == ny // 2
        line = road_line(rng, (X0, y), (X0 + width_x, y), 2 * nx, 20, True)
        roads.append((line, 9.0 if main else 6.0, "provinciale weg" if main else "gemeenteweg"))
    for i in range(nx):
        x = X0 + (i + 0.5) * size
        village = i == nx // 2
        line = road_line(rng, (x, Y0), (x, Y0 + width_y), 2 * ny, 20, False)
        roads.append((line, 6.0 if village else 4.5, "gemeenteweg" if village else "landbouwweg"))
    polys = []
    for line, width, kind in roads:
        poly = line.buffer(width / 2, cap_style=FLAT, join_style=MITRE)
        land.add("wegen", poly, wegtype=kind)
        polys.append(poly)
    return roads, polys


def make_village(land, road, vrect):
    """Built-up village: the whole core area plus ribbon development along its road north."""
    ribbon = road.buffer(45.0, cap_style=FLAT).intersection(
        box(vrect[0] - 50, vrect[3] - 1.0, vrect[2] + 50, vrect[3] + 180.0))
    village = unary_union([box(*vrect), ribbon])
    land.add("bebouwing", village, functie="dorp")
    return village


# --------------------------------------------------------------------------- special features

def rect_poly(x0, y0, x1, y1):
    return Polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])


def make_specials(land, size):
    """Features at fixed places that exercise the contract's rules (see the module docstring).

    Coordinates are offsets inside area cells (cell (i, j) counted from the south-west) and
    keep clear of the roads through the middle of each cell and of the village.
    """
    h = size / 2
    woods, ponds = [], []

    def cell(i, j):
        return X0 + i * size, Y0 + j * size

    x0, y0 = cell(0, 0)
    # A 2.47 ha wood: its patch exceeds max_patch_ha = 1.5 and is dropped.
    woods.append(Polygon([(x0 + 70, y0 + 70), (x0 + 150, y0 + 64), (x0 + 236, y0 + 72),
                          (x0 + 232, y0 + 150), (x0 + 238, y0 + 214), (x0 + 140, y0 + 220),
                          (x0 + 72, y0 + 212), (x0 + 66, y0 + 140)]))
    # Two ~0.6 ha woods sharing an edge (identical vertices): one 1.2 ha patch, kept.
    ya, yb = y0 + h + 90, y0 + h + 165
    woods.append(rect_poly(x0 + 80, ya, x0 + 160, yb))
    woods.append(Polygon([(x0 + 160, ya), (x0 + 242, ya - 2), (x0 + 238, yb + 1), (x0 + 160, yb)]))
    # A pond overlapping the western wood of that pair.
    ponds.append(Point(x0 + 84, ya + 6).buffer(14.0, 16))
    # A hedge running right through the pair.
    land.add("lijnelementen", LineString([(x0 + 120, ya - 40), (x0 + 120, yb + 45)]),
             soort="haag", breedte=2.0)

    # A 1.2 ha wood straddling the border between cells (0, 0) and (1, 0): kept, in both areas.
    xb = X0 + size
    woods.append(Polygon([(xb - 56, y0 + h + 100), (xb + 54, y0 + h + 98),
                          (xb + 55, y0 + h + 209), (xb - 55, y0 + h + 210)]))

    x0, y0 = cell(0, 1)
    # 1.0 ha + 0.8 ha sharing part of an edge: 1.8 ha patch > 1.5, both dropped.
    woods.append(rect_poly(x0 + 80, y0 + 80, x0 + 180, y0 + 180))
    woods.append(rect_poly(x0 + 180, y0 + 90, x0 + 280, y0 + 170))
    # Two 0.9 ha woods touching in a single corner point: judged separately, both kept.
    woods.append(rect_poly(x0 + 80, y0 + h + 80, x0 + 175, y0 + h + 175))
    woods.append(rect_poly(x0 + 175, y0 + h + 175, x0 + 270, y0 + h + 270))
    # A hedge crossing the border between cells (0, 1) and (1, 1).
    land.add("lijnelementen", LineString([(xb - 90, y0 + 300), (xb + 110, y0 + 300)]),
             soort="haag", breedte=2.0)

    x0, y0 = cell(1, 1)
    # A wood in two 0.3 ha clumps 12 m apart, stored as one MultiPolygon feature.
    woods.append(MultiPolygon([rect_poly(x0 + 80, y0 + h + 90, x0 + 140, y0 + h + 140),
                               rect_poly(x0 + 152, y0 + h + 90, x0 + 212, y0 + h + 140)]))

    # A pond with two basins, also one MultiPolygon feature.
    ponds.append(MultiPolygon([Point(x0 + 260, y0 + h + 115).buffer(10.0, 16),
                               Point(x0 + 290, y0 + h + 115).buffer(9.0, 16)]))

    for wood in woods:
        land.add("vlakelementen", wood, soort="bosje")
    for pond in ponds:
        land.add("vlakelementen", pond, soort="poel")

    # The one invalid geometry: a 600 m2 bow-tie wood whose ring crosses itself.
    bowtie = Polygon([(x0 + 100, y0 + 100), (x0 + 140, y0 + 130), (x0 + 140, y0 + 100),
                      (x0 + 100, y0 + 130), (x0 + 100, y0 + 100)])
    land.add("vlakelementen", bowtie, soort="bosje")
    land.invalid_on_purpose.add(("vlakelementen", len(land.layers["vlakelementen"]) - 1))
    return woods + ponds + [bowtie.convex_hull]  # the hull: a valid stand-in for spacing


# --------------------------------------------------------------------------- nature, farmyards

def blob(rng, cx, cy, radius, n=14, spread=0.25):
    """An irregular round polygon (nature areas, irregular ponds)."""
    pts = []
    for k in range(n):
        a = 2 * math.pi * k / n
        r = radius * (1 - spread * rng.random())
        pts.append((rnd(cx + r * math.cos(a)), rnd(cy + r * math.sin(a))))
    return Polygon(pts)


def make_nature(land, rng, cells, size, occupied):
    """NNN nature areas in a quadrant of about a third of the areas (at least one)."""
    keys = sorted(cells)
    chosen = [k for k in keys if rng.random() < 0.3] or [keys[-1]]
    names = list(NATURE_NAMES)
    rng.shuffle(names)
    placed = 0
    for (i, j) in chosen:
        quadrants = [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)]
        rng.shuffle(quadrants)
        for qx, qy in quadrants:
            poly = blob(rng, X0 + (i + qx) * size, Y0 + (j + qy) * size, size / 4 - 50)
            if not occupied.near(poly, 15.0):
                name = names[placed % len(names)]
                if placed >= len(names):
                    name += f" {placed // len(names) + 1}"
                land.add("natuur", poly, naam=name)
                occupied.add(poly)
                placed += 1
                break


def road_point(line, along, horizontal):
    """The centre line position at a given x (horizontal road) or y (vertical road)."""
    x0, y0, x1, y1 = line.bounds
    cut = LineString([(along, y0 - 100), (along, y1 + 100)] if horizontal
                     else [(x0 - 100, along), (x1 + 100, along)])
    hit = line.intersection(cut)
    return (hit.x, hit.y) if hit.geom_type == "Point" else None


def make_farmyards(land, rng, roads, cells, size, occupied, density):
    """Farmyards set back from a road, each with a few trees and sometimes a hedge behind."""
    ny = max(j for _, j in cells) + 1
    for (i, j) in sorted(cells):
        wanted = bernoulli_count(rng, 3.0 * (size / 800) ** 2)
        for _ in range(wanted * 4):  # a few tries per yard
            if wanted == 0:
                break
            horizontal = rng.random() < 0.5
            line, width, _ = roads[j] if horizontal else roads[ny + i]
            # Position along the road, away from the crossing in the middle of the cell.
            t = rng.choice([rng.uniform(0.08, 0.38), rng.uniform(0.62, 0.92)])
            along = (X0 + (i + t) * size) if horizontal else (Y0 + (j + t) * size)
            centre = road_point(line, along, horizontal)
            if centre is None:
                continue
            side = rng.choice([-1, 1])
            length, depth = rng.uniform(50, 90), rng.uniform(50, 80)
            setback = width / 2 + 8
            if horizontal:
                ya = centre[1] + side * setback
                yard = box(centre[0] - length / 2, min(ya, ya + side * depth),
                           centre[0] + length / 2, max(ya, ya + side * depth))
            else:
                xa = centre[0] + side * setback
                yard = box(min(xa, xa + side * depth), centre[1] - length / 2,
                           max(xa, xa + side * depth), centre[1] + length / 2)
            if occupied.near(yard, 15.0) or not cells[i, j].contains(yard):
                continue
            land.add("bebouwing", yard, functie="erf")
            occupied.add(yard)
            yard_planting(land, rng, yard, horizontal, side, density)
            wanted -= 1


def yard_planting(land, rng, yard, horizontal, side, density):
    """Trees along the back of a farmyard and, for some, a hedge along one side."""
    x0, y0, x1, y1 = yard.bounds
    if horizontal:  # the back is the side away from the road, 4 m outside the yard
        y = y1 + 4 if side > 0 else y0 - 4
        back = LineString([(x0, y), (x1, y)])
        flank = LineString([(x0 - 2, y0), (x0 - 2, y1)])
    else:
        x = x1 + 4 if side > 0 else x0 - 4
        back = LineString([(x, y0), (x, y1)])
        flank = LineString([(x0, y0 - 2), (x1, y0 - 2)])
    for _ in range(bernoulli_count(rng, 4.0 * min(density, 2.0))):
        p = back.interpolate(rng.uniform(0, back.length))
        land.add("bomen", Point(rnd(p.x), rnd(p.y)),
                 kroon_m=maybe_null(rng, rnd(rng.uniform(6, 14), 1), CROWN_NULL_SHARE))
    if rng.random() < 0.5:
        land.add("lijnelementen", flank, soort="haag",
                 breedte=maybe_null(rng, rnd(rng.uniform(1.0, 2.5), 1), LINE_WIDTH_NULL_SHARE))


# --------------------------------------------------------------------------- parcels

def parcel_grid(rng, nx, ny, size):
    """Slagenlandschap: columns 60-140 m wide, each cut into parcels of 150-400 m."""
    width, height = nx * size, ny * size
    xs = [X0]
    while X0 + width - xs[-1] > 180:
        xs.append(rnd(xs[-1] + rng.uniform(60, 140)))
    xs.append(X0 + width)
    columns = []
    for xa, xb in zip(xs, xs[1:]):
        ys = [Y0]
        while Y0 + height - ys[-1] > 450:
            ys.append(rnd(ys[-1] + rng.uniform(150, 400)))
        ys.append(Y0 + height)
        columns.append((xa, xb, ys))
    return columns


def make_parcels(land, rng, columns, cells, size, obstacles, richness):
    """Parcels: grid rectangles (1 m inside the ditches) cut by area borders and obstacles."""
    parcels = []  # (polygon, grid rect, area key, land use)
    for xa, xb, ys in columns:
        for ya, yb in zip(ys, ys[1:]):
            rect = box(xa + 1, ya + 1, xb - 1, yb - 1)
            for key in cells_touching(rect.bounds, cells, size):
                piece = rect.intersection(cells[key])
                if piece.is_empty:
                    continue
                hits = [o for o in obstacles.query(piece.bounds) if o.intersects(piece)]
                if hits:
                    piece = piece.difference(unary_union(hits))
                for part in polygon_parts(piece):
                    if part.area < 300:
                        continue
                    use = land_use(rng, richness[key])
                    parcels.append((part, (xa + 1, ya + 1, xb - 1, yb - 1), key, use))
    return parcels


def cells_touching(bounds, cells, size):
    """Area cells whose (jittered) polygon may touch the bounds; borders move <= 32 m."""
    x0, y0, x1, y1 = bounds
    i0, i1 = int((x0 - X0 - 40) // size), int((x1 - X0 + 40) // size)
    j0, j1 = int((y0 - Y0 - 40) // size), int((y1 - Y0 + 40) // size)
    return [(i, j) for j in range(j0, j1 + 1) for i in range(i0, i1 + 1) if (i, j) in cells]


def land_use(rng, richness):
    """Richer (small-scale) areas have more grassland and orchards, poorer more arable."""
    r = rng.random()
    if r < 0.08 * richness:
        return "boomgaard"
    if r < 0.35 + 0.25 * richness:
        return "grasland"
    return "akker"


# --------------------------------------------------------------------------- woods and ponds

def wood_in_parcel(rng, part, rect):
    """A small wood anchored in a corner of the parcel, irregular on its open sides."""
    big = rng.random() < 0.05
    target = rng.uniform(16000, 26000) if big else rng.uniform(1000, 8000)
    x0, y0, x1, y1 = rect
    a = min(x1 - x0 - 2, math.sqrt(target) * rng.uniform(0.7, 1.3))
    if a < 20:
        return None
    b = target / a
    if b > y1 - y0 - 2:
        return None
    right, top = rng.random() < 0.5, rng.random() < 0.5
    ax, sx = (x1, -1) if right else (x0, 1)
    ay, sy = (y1, -1) if top else (y0, 1)
    def j():  # only the open sides wobble; the corner sits on the parcel's edges
        return jitter(rng, 4)

    wood = Polygon([(ax, ay), (ax + sx * a + j(), ay), (ax + sx * (a + j()), ay + sy * b / 2),
                    (ax + sx * a + j(), ay + sy * b), (ax + sx * a / 2, ay + sy * (b + j())),
                    (ax, ay + sy * b)])
    if not wood.is_valid:
        return None
    parts = polygon_parts(wood.intersection(part))
    if not parts:
        return None
    wood = max(parts, key=lambda p: p.area)
    if wood.area < 500:
        return None
    if rng.random() < 0.08:  # a wood in two clumps, recorded as one multi-polygon feature
        wx0, wy0, wx1, wy1 = wood.bounds
        mid = (wx0 + wx1) / 2
        halves = [polygon_parts(wood.intersection(box(wx0 - 1, wy0 - 1, mid - 4, wy1 + 1))),
                  polygon_parts(wood.intersection(box(mid + 4, wy0 - 1, wx1 + 1, wy1 + 1)))]
        if all(halves):
            return MultiPolygon([max(h, key=lambda p: p.area) for h in halves])
    return wood


def pond_in_parcel(rng, part, prepared):
    """A pond of 200-2000 m2: a circle or an irregular blob well inside the parcel."""
    target = rng.uniform(200, 2000)
    radius = math.sqrt(target / math.pi)
    x0, y0, x1, y1 = part.bounds
    irregular = rng.random() < 0.4
    for _ in range(10):
        cx, cy = rnd(rng.uniform(x0, x1)), rnd(rng.uniform(y0, y1))
        if irregular:  # scaled so that the blob, too, has the target area
            pond = blob(rng, cx, cy, radius, n=18, spread=0.3)
            k = math.sqrt(target / pond.area)
            pond = scale(pond, k, k, origin=(cx, cy))
        else:
            pond = Point(cx, cy).buffer(radius, 16)
        if prepared.contains(pond.buffer(3.0, 4)):
            return pond
    return None


def make_woods_and_ponds(land, rng, parcels, patches, density, richness):
    """Woods and ponds in parcels, never within 10 m of another wood or pond."""
    for part, rect, key, use in parcels:
        ha = part.area / 10000
        rich = richness[key] * density
        prepared = None
        for _ in range(bernoulli_count(rng, WOODS_PER_HA * rich * ha)):
            wood = wood_in_parcel(rng, part, rect)
            if wood is not None and not patches.near(wood, 10.0):
                land.add("vlakelementen", wood, soort="bosje")
                patches.add(wood)
        for _ in range(bernoulli_count(rng, PONDS_PER_HA * rich * ha)):
            prepared = prepared or prep(part)
            pond = pond_in_parcel(rng, part, prepared)
            if pond is not None and not patches.near(pond, 10.0):
                land.add("vlakelementen", pond, soort="poel")
                patches.add(pond)


def subtract_woods(parcels, woods):
    """Woods are not farmland: cut them out of the parcels they lie in."""
    out = []
    for part, rect, key, use in parcels:
        hits = [w for w in woods.query(part.bounds) if w.intersects(part)]
        if hits:
            rest = part.difference(unary_union(hits))
            out.extend((p, rect, key, use) for p in polygon_parts(rest) if p.area >= 300)
        else:
            out.append((part, rect, key, use))
    return out


# --------------------------------------------------------------------------- lines

def grid_edges(columns):
    """Parcel edges: long edges along every inner column border, short edges at parcel ends.

    Yields (kind, [segments]) where a segment is ((x0, y0), (x1, y1)); the long edges of one
    column border come in order, so consecutive segments can be joined into longer lines.
    """
    for (_, _, ys_left), (xb, _, ys_right) in zip(columns, columns[1:]):
        ys = sorted(set(ys_left) | set(ys_right))
        yield "long", [((xb, ya), (xb, yb)) for ya, yb in zip(ys, ys[1:])]
    for xa, xb, ys in columns:
        for y in ys[1:-1]:
            yield "short", [((xa, y), (xb, y))]


def runs(rng, segments, prob_at, max_run):
    """Groups consecutive segments that carry an element into runs of at most max_run."""
    current = []
    for seg in segments:
        if rng.random() < prob_at(seg):
            current.append(seg)
            if len(current) >= rng.randint(1, max_run):
                yield current
                current = []
        elif current:
            yield current
            current = []
    if current:
        yield current


def cut_line(line, obstacles, min_part):
    """Removes the parts of a line on roads or in the village; drops tiny leftovers."""
    hits = [o for o in obstacles.query(line.bounds) if o.intersects(line)]
    if hits:
        line = line.difference(unary_union(hits))
    parts = [p for p in line_parts(line) if p.length >= min_part]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else MultiLineString(parts)


def with_gateway(rng, line):
    """Some hedges have a gate opening: stored as one two-part feature."""
    if line.geom_type != "LineString" or line.length < 60 or rng.random() > 0.08:
        return line
    d = line.length * rng.uniform(0.3, 0.7)
    a = [line.interpolate(t) for t in (0, d - 3)]
    b = [line.interpolate(t) for t in (d + 3, line.length)]
    return MultiLineString([[(p.x, p.y) for p in a], [(p.x, p.y) for p in b]])


def pick_line_type(rng):
    r = rng.random()
    for name, share, widths in LINE_TYPES:
        if r < share:
            return name, widths
        r -= share
    return LINE_TYPES[-1][0], LINE_TYPES[-1][2]


def richness_at(point, richness, size):
    i = int((point[0] - X0) // size)
    j = int((point[1] - Y0) // size)
    return richness.get((i, j), 1.0)


def make_line_elements(land, rng, columns, obstacles, density, richness, size):
    """Hedges, tree rows, wooded banks and pollard rows 2 m beside parcel edges."""
    def prob(base):
        return lambda seg: min(0.95, base * density * richness_at(seg[0], richness, size))

    for kind, segments in grid_edges(columns):
        base = LINE_EDGE_PROB if kind == "long" else CROSS_EDGE_PROB
        for run in runs(rng, segments, prob(base), 4 if kind == "long" else 1):
            offset = rng.choice([-2.0, 2.0])
            (x0, y0), (x1, y1) = run[0][0], run[-1][1]
            if kind == "long":
                line = LineString([(x0 + offset, y0), (x1 + offset, y1)])
            else:
                line = LineString([(x0, y0 + offset), (x1, y1 + offset)])
            line = cut_line(line, obstacles, 8.0)
            if line is None:
                continue
            soort, (wmin, wmax) = pick_line_type(rng)
            width = maybe_null(rng, rnd(rng.uniform(wmin, wmax), 1), LINE_WIDTH_NULL_SHARE)
            land.add("lijnelementen", with_gateway(rng, line), soort=soort, breedte=width)


def make_road_tree_rows(land, rng, roads, obstacles, density, size):
    """Tree rows along road sections, 5 m beyond the road edge."""
    for line, width, _ in roads:
        steps = max(1, int(round(line.length / (size / 2))))
        for k in range(steps):
            if rng.random() > min(0.9, ROAD_TREE_ROW_PROB * density):
                continue
            a = line.interpolate(k * line.length / steps)
            b = line.interpolate((k + 1) * line.length / steps)
            section = LineString([(a.x, a.y), (b.x, b.y)])
            side = rng.choice(["left", "right"])
            row = section.parallel_offset(width / 2 + 5, side, join_style=MITRE)
            row = cut_line(row, obstacles, 15.0)
            if row is not None:
                land.add("lijnelementen", row, soort="bomenrij",
                         breedte=maybe_null(rng, rnd(rng.uniform(6, 10), 1),
                                            LINE_WIDTH_NULL_SHARE))


def make_ditches(land, rng, columns, obstacles, density, richness, size):
    """Ditches on the parcel edges; each piece between roads is its own feature."""
    def prob(kind):
        return lambda seg: 0.9 if kind == "long" else 0.5

    for kind, segments in grid_edges(columns):
        for run in runs(rng, segments, prob(kind), 4):
            line = LineString([run[0][0], run[-1][1]])
            cut = cut_line(line, obstacles, 10.0)
            if cut is None:
                continue
            for part in line_parts(cut):
                rich = richness_at(part.coords[0], richness, size)
                natural = rng.random() < min(0.6, NATURAL_BANK_PROB * density * rich)
                land.add("sloten", part, oever="natuurvriendelijk" if natural else "standaard",
                         breedte=maybe_null(rng, rnd(rng.uniform(1.5, 5.0), 1),
                                            DITCH_WIDTH_NULL_SHARE))


# --------------------------------------------------------------------------- trees

def random_point_in(rng, part, prepared, tries=30):
    x0, y0, x1, y1 = part.bounds
    for _ in range(tries):
        p = Point(rnd(rng.uniform(x0, x1)), rnd(rng.uniform(y0, y1)))
        if prepared.contains(p):
            return p
    return None


def make_trees(land, rng, parcels, density, richness, village):
    """Solitary trees in meadows and fields (not in orchards), and street trees in the village."""
    for part, _, key, use in parcels:
        if use == "boomgaard":
            continue
        n = bernoulli_count(rng, TREES_PER_HA * density * richness[key] * part.area / 10000)
        prepared = prep(part) if n else None
        for _ in range(n):
            p = random_point_in(rng, part, prepared)
            if p is not None:
                land.add("bomen", p, kroon_m=maybe_null(rng, rnd(rng.uniform(4, 14), 1),
                                                        CROWN_NULL_SHARE))
    prepared = prep(village)
    for _ in range(5):  # inside the built-up core: masked out, never counted
        p = random_point_in(rng, village, prepared)
        if p is not None:
            land.add("bomen", p, kroon_m=rnd(rng.uniform(5, 9), 1))


# --------------------------------------------------------------------------- assembly

def generate(seed, nx, ny, size, density):
    def stream(name):
        # Separate streams per concern; str seeds are hashed with SHA-512, so stable.
        return random.Random(f"{seed}:{name}")

    land = Landscape()
    cells, vrect = make_areas(land, stream("areas"), nx, ny, size)
    rich_rng = stream("richness")
    richness = {key: rnd(rich_rng.uniform(0.5, 1.6), 3) for key in sorted(cells)}

    roads, road_polys = make_roads(land, stream("roads"), nx, ny, size)
    village = make_village(land, roads[ny + nx // 2][0], vrect)

    # Three indexes with different jobs:
    #   occupied  - large features that must stay apart (village, specials, nature, yards);
    #   patches   - woods and ponds, kept 10 m apart so that only the special ones touch;
    #   blocked   - what lines and ditches stop at (roads with a verge, village, yards).
    occupied, patches, blocked = BoxIndex(), BoxIndex(), BoxIndex()
    occupied.add(village)
    blocked.add(village)
    for poly in road_polys:
        blocked.add(poly.buffer(1.5, 4, join_style=MITRE))
    for poly in make_specials(land, size):
        occupied.add(poly)
        patches.add(poly)

    make_nature(land, stream("nature"), cells, size, occupied)
    make_farmyards(land, stream("yards"), roads, cells, size, occupied, density)
    for geom, attrs in land.layers["bebouwing"]:
        if attrs["functie"] == "erf":
            blocked.add(geom)

    # Parcels also leave out nature areas (they are not farmland).
    parcel_blocked = BoxIndex()
    for geom in blocked.items + [g for g, _ in land.layers["natuur"]]:
        parcel_blocked.add(geom)
    columns = parcel_grid(stream("grid"), nx, ny, size)
    parcels = make_parcels(land, stream("parcels"), columns, cells, size, parcel_blocked,
                           richness)
    make_woods_and_ponds(land, stream("woods"), parcels, patches, density, richness)
    woods = BoxIndex()
    for geom, attrs in land.layers["vlakelementen"]:
        if attrs["soort"] == "bosje" and geom.is_valid:
            woods.add(geom)
    parcels = subtract_woods(parcels, woods)
    for part, _, _, use in parcels:
        land.add("percelen", part, gebruik=use)

    make_line_elements(land, stream("lines"), columns, blocked, density, richness, size)
    make_road_tree_rows(land, stream("roadtrees"), roads, blocked, density, size)
    make_ditches(land, stream("ditches"), columns, blocked, density, richness, size)
    make_trees(land, stream("trees"), parcels, density, richness, box(*vrect))
    check_validity(land)
    return land


def check_validity(land):
    """Everything must be valid except the one bow-tie placed on purpose."""
    for layer, features in land.layers.items():
        for idx, (geom, _) in enumerate(features):
            if geom.is_empty:
                raise RuntimeError(f"empty geometry in {layer} #{idx}")
            if geom.is_valid == ((layer, idx) in land.invalid_on_purpose):
                raise RuntimeError(f"unexpected validity of {layer} #{idx}: {geom.wkt[:120]}")


# --------------------------------------------------------------------------- writing

def report_gdal_message(err_class, err_no, message):
    """GDAL messages go to stderr, prefixed, so they are not mistaken for our output."""
    sys.stderr.write(f"GDAL: {message}\n")


def write_gpkg(land, path):
    """Writes all layers to a temporary file beside `path`, then renames it into place."""
    tmp = f"{path}.tmp-{os.getpid()}.gpkg"
    gdal.SetConfigOption("OGR_CURRENT_DATE", "2024-01-01T00:00:00.000Z")  # stable bytes
    gdal.PushErrorHandler(report_gdal_message)
    try:
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(EPSG)
        ds = ogr.GetDriverByName("GPKG").CreateDataSource(tmp)
        if ds is None:
            raise RuntimeError(f"cannot create {tmp}")
        for name, (geom_type, fields) in LAYERS.items():
            write_layer(ds, name, geom_type, fields, srs, land.layers[name])
        ds = None  # closes and flushes
        os.replace(tmp, path)
    finally:
        gdal.PopErrorHandler()
        gdal.SetConfigOption("OGR_CURRENT_DATE", None)
        if os.path.exists(tmp):
            os.remove(tmp)


def write_layer(ds, name, geom_type, fields, srs, features):
    layer = ds.CreateLayer(name, srs, geom_type, options=["FID=fid"])
    for field, ftype in fields:
        layer.CreateField(ogr.FieldDefn(field, ftype))
    defn = layer.GetLayerDefn()
    layer.StartTransaction()
    for geom, attrs in features:
        feature = ogr.Feature(defn)
        for field, _ in fields:
            value = attrs.get(field)
            if value is None:
                feature.SetFieldNull(field)
            else:
                feature.SetField(field, value)
        ogr_geom = ogr.CreateGeometryFromWkb(geom.wkb)
        # Layers that hold some multi-part features declare the Multi type and store every
        # feature as Multi, as the GeoPackage specification requires (Req 32).
        if geom_type == ogr.wkbMultiLineString:
            ogr_geom = ogr.ForceToMultiLineString(ogr_geom)
        elif geom_type == ogr.wkbMultiPolygon:
            ogr_geom = ogr.ForceToMultiPolygon(ogr_geom)
        feature.SetGeometry(ogr_geom)
        if layer.CreateFeature(feature) != 0:
            raise RuntimeError(f"cannot write a feature to layer {name}")
    layer.CommitTransaction()


# --------------------------------------------------------------------------- CLI

def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="output GeoPackage (replaced atomically)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--areas-x", type=int, default=3, help="areas west-east (>= 2)")
    ap.add_argument("--areas-y", type=int, default=2, help="areas south-north (>= 2)")
    ap.add_argument("--area-size", type=float, default=800.0,
                    help="side of an area in metres (>= 700)")
    ap.add_argument("--density", type=float, default=1.0,
                    help="multiplier for the number of landscape elements (> 0)")
    args = ap.parse_args(argv)
    if args.areas_x < 2 or args.areas_y < 2:
        ap.error("--areas-x and --areas-y must be at least 2 (the special features need 2x2)")
    if args.area_size < 700:
        ap.error("--area-size must be at least 700 m")
    if not args.density > 0:
        ap.error("--density must be > 0")
    return args


def main(argv=None):
    args = parse_args(argv)
    start = time.perf_counter()
    try:
        land = generate(args.seed, args.areas_x, args.areas_y, args.area_size, args.density)
        built = time.perf_counter()
        write_gpkg(land, args.out)
    except RuntimeError as err:
        sys.exit(f"generate_landscape: error: {err}")
    done = time.perf_counter()
    for name, features in land.layers.items():
        print(f"{name:14s} {len(features):8d}")
    print(f"generated in {built - start:.1f} s, written in {done - built:.1f} s: {args.out} "
          f"({os.path.getsize(args.out) / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
