#!/usr/bin/python3
"""Writes a synthetic PDOK-like BGT download: a zip of CityGML/IMGeo 2.1.1 files, one per
object class, with every version of every object, over a square of --km x --km.

The files copy the structure of a real PDOK download (the Otterlo example,
otterlo_bgt_2020-08-05.zip): the same 35 file names, the same feature elements, namespaces,
property order and codeSpace attributes, gml:Polygon with LinearRing or Ring/curveMember with
LineStringSegment and gml:Arc, posList srsDimension="2", srsName EPSG::28992, the pand ground
plan as MultiSurface plus an address label point. Only the nine layers of the landel BGT
preset hold features; the other 26 files are written empty.

The current ground-level surfaces (relatieveHoogteligging 0, no eindRegistratie) tile the
square exactly: a grid of roads (lane, verges, cycle path) around blocks of farmland (parcels
split into land-cover polygons, ditches with banks, wooded banks, farmsteads with buildings,
yards and gardens, ponds), woodland and villages (streets, houses, sheds, yards, public green).
Shared edges are written from one polyline, so neighbours meet exactly; some shared edges are
arcs. About 40% of objects have one or two ended older versions (same or slightly moved
geometry), about 10% replace a terminated predecessor, and registration dates spread over
2014-2020 (captured block by block, as the real registry was).

Usage:
  /usr/bin/python3 benchmarks/bgt/generate_bgt_download.py --out bgt_10km.zip [--km 10]
      [--seed 1] [--origin 170000 440000] [--check]
  /usr/bin/python3 benchmarks/bgt/generate_bgt_download.py --check-only bgt_10km.zip [--km 10]
      [--origin 170000 440000]

--check reads every written file back with GDAL's GML driver and the preset's GFS templates
(data/presets/bgt/*.gfs) and prints per layer the features read (must equal the
<cityObjectMember> elements in the text), the GDAL errors and warnings (must be none) and the
area check: the current level-0 surfaces must be valid, lie in the square, and both their
summed area and their union must equal the square's area within 0.1%. Exit status 1 when a
check fails.
"""

import argparse
import datetime
import math
import os
import sys
import time
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = os.path.join(HERE, "..", "..", "data", "presets", "bgt")

# The files of a PDOK BGT download (all 35 of the Otterlo example), in the order of its zip.
ALL_FILES = [
    "bgt_bak.gml", "bgt_begroeidterreindeel.gml", "bgt_bord.gml", "bgt_buurt.gml",
    "bgt_functioneelgebied.gml", "bgt_gebouwinstallatie.gml", "bgt_installatie.gml",
    "bgt_kast.gml", "bgt_kunstwerkdeel.gml", "bgt_mast.gml", "bgt_onbegroeidterreindeel.gml",
    "bgt_ondersteunendwaterdeel.gml", "bgt_ondersteunendwegdeel.gml",
    "bgt_ongeclassificeerdobject.gml", "bgt_openbareruimte.gml", "bgt_openbareruimtelabel.gml",
    "bgt_overbruggingsdeel.gml", "bgt_overigbouwwerk.gml", "bgt_overigescheiding.gml",
    "bgt_paal.gml", "bgt_pand.gml", "bgt_put.gml", "bgt_scheiding.gml", "bgt_sensor.gml",
    "bgt_spoor.gml", "bgt_stadsdeel.gml", "bgt_straatmeubilair.gml", "bgt_tunneldeel.gml",
    "bgt_vegetatieobject.gml", "bgt_waterdeel.gml", "bgt_waterinrichtingselement.gml",
    "bgt_waterschap.gml", "bgt_wegdeel.gml", "bgt_weginrichtingselement.gml", "bgt_wijk.gml",
]
LAYERS = ["begroeidterreindeel", "onbegroeidterreindeel", "waterdeel", "ondersteunendwaterdeel",
          "wegdeel", "ondersteunendwegdeel", "vegetatieobject", "pand", "overigbouwwerk"]
SURFACE_LAYERS = [n for n in LAYERS if n != "vegetatieobject"]

# Bronhouders (source holders). Fictitious codes: the data are synthetic.
GEMEENTE, PROVINCIE, WATERSCHAP = "G0999", "P0099", "W0999"

WIGGLE_MAX = 1.2        # m: largest sideways offset of a digitised parcel edge
ARC_SHARE = 0.08        # share of long parcel edges drawn as an arc
DIGITISED = 0.015       # m: sideways offset of the vertices of a digitised street edge
DOWNLOAD_DATE = datetime.datetime(2020, 8, 5, 13, 59, 0)
EPOCH = datetime.datetime(1970, 1, 1)
# The national facility (LV) published versions registered before 2016 in bulk on these days
# (the LV-publicatiedatum of most 2014-2015 versions in Otterlo)
LV_START = [datetime.datetime(2016, 1, 21, 11, 33, 16),
            datetime.datetime(2016, 8, 29, 15, 56, 41)]


def secs(dt):
    return int((dt - EPOCH).total_seconds())


def at(s):
    return EPOCH + datetime.timedelta(seconds=int(s))


class Rand:
    """The one random stream of a run (numpy PCG64), with the draws the layout needs."""

    def __init__(self, seed):
        self.g = np.random.default_rng(seed)

    def u(self, a, b):
        return float(self.g.uniform(a, b))

    def chance(self, p):
        return float(self.g.random()) < p

    def pick(self, items, weights=None):
        if weights is None:
            return items[int(self.g.integers(len(items)))]
        w = np.asarray(weights, float)
        return items[int(self.g.choice(len(items), p=w / w.sum()))]

    def int(self, a, b):
        """An integer in [a, b]."""
        return int(self.g.integers(a, b + 1))

    def hex(self, n):
        return "".join("%02x" % b for b in self.g.integers(0, 256, n // 2))


def r3(v):
    return round(float(v), 3)


# ---------------------------------------------------------------------------------------------
# Objects: one per current BGT object; its versions are made when the file is written.

class Registry:
    def __init__(self):
        self.objs = []

    def new(self, layer, props, bron=GEMEENTE, capture=None):
        self.objs.append({"layer": layer, "props": dict(props), "bron": bron,
                          "capture": capture, "geom": None, "level": 0})
        return len(self.objs) - 1

    def clone(self, oid):
        o = self.objs[oid]
        c = dict(o)
        c["props"] = dict(o["props"])
        c["geom"] = None
        self.objs.append(c)
        return len(self.objs) - 1


# ---------------------------------------------------------------------------------------------
# A rectilinear partition: grid lines, one label per cell; labels become polygons whose shared
# edges come from one polyline per grid segment (so neighbours meet exactly).

class Grid:
    def __init__(self, xs, ys, wig_x, wig_y, rnd, keep_outer=False):
        self.xs, self.ys = np.asarray(xs, float), np.asarray(ys, float)
        self.nx, self.ny = len(xs) - 1, len(ys) - 1
        self.wig_x, self.wig_y = wig_x, wig_y
        self.lab = np.full((self.ny, self.nx), -1, np.int64)
        self.rnd = rnd
        self.keep_outer = keep_outer
        self.ext = {"S": [], "N": [], "W": [], "E": []}
        self.lines = {}
        self.cache = {}

    def ix(self, x):
        return int(np.abs(self.xs - x).argmin())

    def iy(self, y):
        return int(np.abs(self.ys - y).argmin())

    def paint(self, x0, x1, y0, y1, label):
        i0, i1, j0, j1 = self.ix(x0), self.ix(x1), self.iy(y0), self.iy(y1)
        if i1 > i0 and j1 > j0:
            self.lab[j0:j1, i0:i1] = label

    # -- tracing ------------------------------------------------------------------------------
    def trace(self):
        """Returns {label: [(exterior, [holes])]}, rings as node-id lists (closed)."""
        ny, nx = self.ny, self.nx
        W = nx + 1
        P = np.full((ny + 2, nx + 2), -1, np.int64)
        P[1:-1, 1:-1] = self.lab
        below, above = P[0:ny + 1, 1:nx + 1], P[1:ny + 2, 1:nx + 1]
        hb = below != above
        left, right = P[1:ny + 1, 0:nx + 1], P[1:ny + 1, 1:nx + 2]
        vb = left != right
        self.hb, self.vb = hb, vb
        deg = np.zeros((ny + 1, nx + 1), np.int8)
        deg[:, :-1] += hb
        deg[:, 1:] += hb
        deg[:-1, :] += vb
        deg[1:, :] += vb
        self.deg = deg
        labs, starts, ends = [], [], []
        jj, ii = np.nonzero(hb)
        a, b = above[jj, ii], below[jj, ii]
        m = a >= 0
        labs.append(a[m]); starts.append(jj[m] * W + ii[m]); ends.append(jj[m] * W + ii[m] + 1)
        m = b >= 0
        labs.append(b[m]); starts.append(jj[m] * W + ii[m] + 1); ends.append(jj[m] * W + ii[m])
        jj, ii = np.nonzero(vb)
        r, l = right[jj, ii], left[jj, ii]
        m = r >= 0
        labs.append(r[m]); starts.append((jj[m] + 1) * W + ii[m]); ends.append(jj[m] * W + ii[m])
        m = l >= 0
        labs.append(l[m]); starts.append(jj[m] * W + ii[m]); ends.append((jj[m] + 1) * W + ii[m])
        labs, starts, ends = np.concatenate(labs), np.concatenate(starts), np.concatenate(ends)
        order = np.argsort(labs, kind="stable")
        labs, starts, ends = labs[order], starts[order], ends[order]
        cuts = np.flatnonzero(np.diff(labs)) + 1
        out = {}
        for s_idx, e_idx in zip(np.r_[0, cuts], np.r_[cuts, len(labs)]):
            if e_idx <= s_idx:
                continue
            label = int(labs[s_idx])
            rings = self._link(starts[s_idx:e_idx].tolist(), ends[s_idx:e_idx].tolist(), W)
            out[label] = self._assemble(rings, W)
        return out

    @staticmethod
    def _link(starts, ends, W):
        nxt = {}
        for s, e in zip(starts, ends):
            nxt.setdefault(s, []).append(e)
        single = [s for s, v in nxt.items() if len(v) == 1]
        rings = []
        for s0 in single:
            if not nxt.get(s0):
                continue
            ring = [s0]
            prev, cur = s0, nxt[s0].pop()
            while cur != s0:
                ring.append(cur)
                cand = nxt[cur]
                if len(cand) == 1:
                    nn = cand.pop()
                else:
                    di, dj = (cur % W) - (prev % W), (cur // W) - (prev // W)
                    prefs = [(-dj, di), (di, dj), (dj, -di)]  # left, straight, right
                    nn = None
                    for pi, pj in prefs:
                        want = cur + pj * W + pi
                        if want in cand:
                            cand.remove(want)
                            nn = want
                            break
                prev, cur = cur, nn
            ring.append(s0)
            rings.append(ring)
        return rings

    @staticmethod
    def _area(ring, W):
        a = 0
        for p, q in zip(ring, ring[1:]):
            a += (p % W) * (q // W) - (q % W) * (p // W)
        return a / 2.0

    @staticmethod
    def _inside(pt, ring, W):
        x, y = pt
        c = False
        for p, q in zip(ring, ring[1:]):
            xi, yi, xj, yj = p % W, p // W, q % W, q // W
            if (yi > y) != (yj > y) and x < xi + (y - yi) * (xj - xi) / (yj - yi):
                c = not c
        return c

    def _assemble(self, rings, W):
        ext = [r for r in rings if self._area(r, W) > 0]
        holes = [r for r in rings if self._area(r, W) < 0]
        polys = [(e, []) for e in ext]
        for h in holes:
            if len(polys) == 1:
                polys[0][1].append(h)
                continue
            p, q = h[0], h[1]
            pi, pj, qi, qj = p % W, p // W, q % W, q // W
            # the object lies left of each edge: the centre of the cell there is in its exterior
            if pj == qj:
                cx, cy = min(pi, qi) + 0.5, pj + (0.5 if qi > pi else -0.5)
            else:
                cx, cy = pi + (-0.5 if qj > pj else 0.5), min(pj, qj) + 0.5
            for e, hl in polys:
                if self._inside((cx, cy), e, W):
                    hl.append(h)
                    break
            else:
                raise RuntimeError("a hole outside every exterior ring of its object")
        return polys

    def cell_in_ring(self, ring, cx, cy):
        return self._inside((cx, cy), ring, self.nx + 1)

    # -- coordinates --------------------------------------------------------------------------
    def line_params(self, kind, k):
        key = (kind, k)
        if key not in self.lines:
            br = self.xs if kind == "v" else self.ys
            flags = self.wig_x if kind == "v" else self.wig_y
            n = len(br) - 1
            if k == 0 or k == n or not flags[k]:
                self.lines[key] = None
            else:
                # flags[k]: the largest offset of this line (parcel edges ~1 m, streets ~1 cm)
                amp = min(flags[k], 0.25 * min(br[k] - br[k - 1], br[k + 1] - br[k]))
                spacing = self.rnd.u(4.0, 12.0) if flags[k] >= 0.5 else self.rnd.u(3.0, 8.0)
                self.lines[key] = (amp, spacing, flags[k] >= 0.5)
        return self.lines[key]

    def polyline(self, kind, k, seg):
        """('L', points) or ('A', [start, mid, end]) of a grid segment, in increasing direction."""
        key = (kind, k, seg)
        if key in self.cache:
            return self.cache[key]
        if kind == "v":
            x, a, b = self.xs[k], self.ys[seg], self.ys[seg + 1]
            base = lambda t, off: (r3(x + off), r3(t))
            side = "W" if k == 0 else "E" if k == self.nx else None
        else:
            y, a, b = self.ys[k], self.xs[seg], self.xs[seg + 1]
            base = lambda t, off: (r3(t), r3(y + off))
            side = "S" if k == 0 else "N" if k == self.ny else None
        pts = [base(a, 0)]
        params = self.line_params(kind, k)
        length = b - a
        res = None
        if side is not None:
            pts += [base(t, 0) for t in self.ext[side] if a + 1e-6 < t < b - 1e-6]
        elif params is not None:
            amp, spacing, arcs = params
            if arcs and length >= 30 and self.rnd.chance(ARC_SHARE):
                sag = self.rnd.u(0.3, 1.0) * min(amp, 0.03 * length) * self.rnd.pick([-1, 1])
                res = ("A", [base(a, 0), base((a + b) / 2, sag), base(b, 0)])
            else:
                n = int(length // spacing)
                for q in range(1, n + 1):
                    t = a + length * q / (n + 1) + self.rnd.u(-0.25, 0.25) * spacing
                    lim = min(amp, 0.2 * min(t - a, b - t))
                    if lim > 0.01:
                        pts.append(base(t, self.rnd.u(-lim, lim)))
        if res is None:
            pts.append(base(b, 0))
            res = ("L", pts)
        self.cache[key] = res
        return res

    def node_xy(self, n):
        W = self.nx + 1
        return (r3(self.xs[n % W]), r3(self.ys[n // W]))

    def droppable(self, n):
        W = self.nx + 1
        i, j = n % W, n // W
        if self.deg[j, i] != 2:
            return False
        outer = i == 0 or i == self.nx or j == 0 or j == self.ny
        if outer and self.keep_outer:
            return False
        # two boundary edges on one straight line
        h = (i > 0 and self.hb[j, i - 1]) and (i < self.nx and self.hb[j, i])
        v = (j > 0 and self.vb[j - 1, i]) and (j < self.ny and self.vb[j, i])
        return bool(h or v)

    def ring_segments(self, ring):
        """[('L', pts) | ('A', [p0, pm, p1])] of a closed node ring."""
        W = self.nx + 1
        segs = []
        line = [self.node_xy(ring[0])]
        for p, q in zip(ring, ring[1:]):
            pi, pj, qi, qj = p % W, p // W, q % W, q // W
            if pj == qj:
                pl = self.polyline("h", pj, min(pi, qi))
                fwd = qi > pi
            else:
                pl = self.polyline("v", pi, min(pj, qj))
                fwd = qj > pj
            pts = pl[1] if fwd else pl[1][::-1]
            if pl[0] == "A":
                if len(line) >= 2:
                    segs.append(("L", line))
                segs.append(("A", pts))
                line = [pts[-1]]
            else:
                if len(line) >= 2 and p != ring[0] and self.droppable(p):
                    line.pop()
                line.extend(pts[1:] if len(line) else pts)
        if len(line) >= 2:
            segs.append(("L", line))
        return segs


class Layout:
    """Rectangles painted in order onto a grid made of their edges (snapped within 0.3 m)."""

    def __init__(self, x0, x1, y0, y1, reg):
        self.box = (x0, x1, y0, y1)
        self.xb, self.yb = [x0, x1], [y0, y1]
        self.wx, self.wy = [], []
        self.ops = []
        self.reg = reg
        self.ponds = []
        self.connections = {"S": [], "N": [], "W": [], "E": []}

    def rect(self, x0, x1, y0, y1, label, wig=0.0):
        """wig: the largest sideways offset of the rectangle's edges as digitised (0: straight)."""
        x0, x1, y0, y1 = r3(x0), r3(x1), r3(y0), r3(y1)
        self.xb += [x0, x1]
        self.yb += [y0, y1]
        if wig:
            self.wx += [(x0, wig), (x1, wig)]
            self.wy += [(y0, wig), (y1, wig)]
        self.ops.append(("rect", x0, x1, y0, y1, label))

    def strip(self, x0, x1, y0, y1, make_label, piece=(60, 200), wig=0.0):
        """A strip cut into pieces at existing grid lines; make_label() gives each piece's label."""
        x0, x1, y0, y1 = r3(x0), r3(x1), r3(y0), r3(y1)
        self.xb += [x0, x1]
        self.yb += [y0, y1]
        if wig:
            self.wx += [(x0, wig), (x1, wig)]
            self.wy += [(y0, wig), (y1, wig)]
        self.ops.append(("strip", x0, x1, y0, y1, (make_label, piece)))

    @staticmethod
    def _snap(vals, keep):
        vals = sorted(set(vals))
        out = [vals[0]]
        for v in vals[1:]:
            if v - out[-1] >= 0.3:
                out.append(v)
        if out[-1] != keep:
            out[-1] = keep
        return out

    def build(self, rnd, keep_outer=False):
        x0, x1, y0, y1 = self.box
        xs = self._snap([v for v in self.xb if x0 <= v <= x1], x1)
        ys = self._snap([v for v in self.yb if y0 <= v <= y1], y1)
        wig_x = np.zeros(len(xs))
        wig_y = np.zeros(len(ys))
        g = Grid(xs, ys, wig_x, wig_y, rnd, keep_outer)
        for v, amp in self.wx:
            wig_x[g.ix(v)] = max(wig_x[g.ix(v)], amp)
        for v, amp in self.wy:
            wig_y[g.iy(v)] = max(wig_y[g.iy(v)], amp)
        for op in self.ops:
            kind, a, b, c, d, arg = op
            if kind == "rect":
                g.paint(a, b, c, d, arg)
            else:
                self._paint_strip(g, rnd, a, b, c, d, *arg)
        if (g.lab < 0).any():
            raise RuntimeError("layout of block %s leaves cells without an object" % (self.box,))
        return g

    @staticmethod
    def _paint_strip(g, rnd, x0, x1, y0, y1, make_label, piece):
        along_y = (y1 - y0) >= (x1 - x0)
        lines = g.ys if along_y else g.xs
        lo, hi = (y0, y1) if along_y else (x0, x1)
        inner = [v for v in lines if lo + 1e-6 < v < hi - 1e-6]
        cuts, start = [lo], lo
        target = rnd.u(*piece)
        for v in inner:
            if v - start >= target and hi - v >= 15:
                cuts.append(v)
                start = v
                target = rnd.u(*piece)
        cuts.append(hi)
        for a, b in zip(cuts, cuts[1:]):
            lab = make_label()
            if along_y:
                g.paint(x0, x1, a, b, lab)
            else:
                g.paint(a, b, y0, y1, lab)


# ---------------------------------------------------------------------------------------------
# Attribute sets (values as in the Otterlo download).

def begroeid(cls, plus="waardeOnbekend"):
    return {"class": cls, "plus": plus}


def onbegroeid(fys, plus="waardeOnbekend"):
    return {"fys": fys, "plus": plus}


def wegdeel(function, material, plus="waardeOnbekend", plusfunctie="waardeOnbekend"):
    return {"function": function, "material": material, "plus": plus, "plusfunctie": plusfunctie}


def berm(plus="gras- en kruidachtigen", function="berm", material="groenvoorziening"):
    return {"function": function, "material": material, "plus": plus}


WATERLOOP = {"class": "waterloop", "plus": "sloot"}
GREPPEL = {"class": "greppel, droge sloot", "plus": "waardeOnbekend"}
VIJVER = {"class": "watervlakte", "plus": "meer, plas, ven, vijver"}
OEVER = {"class": "oever, slootkant", "plus": "geenWaarde"}

FARM_COVER = [("grasland agrarisch", 42), ("bouwland", 30), ("grasland overig", 6),
              ("fruitteelt", 3), ("boomteelt", 2), ("gemengd bos", 5), ("loofbos", 4),
              ("naaldbos", 4), ("struiken", 1), ("heide", 1)]
FOREST_COVER = [("naaldbos", 35), ("gemengd bos", 35), ("loofbos", 12), ("heide", 12),
                ("struiken", 3), ("grasland overig", 3)]
GREEN_PLUS = [("gras- en kruidachtigen", 30), ("heesters", 28), ("bosplantsoen", 12),
              ("planten", 12), ("bodembedekkers", 3), ("waardeOnbekend", 15)]


def cover_props(rnd, cls):
    if cls == "fruitteelt":
        return begroeid(cls, rnd.pick(["hoogstam boomgaarden", "laagstam boomgaarden",
                                       "waardeOnbekend"], [4, 3, 3]))
    if cls == "groenvoorziening":
        return begroeid(cls, rnd.pick([p for p, _ in GREEN_PLUS], [w for _, w in GREEN_PLUS]))
    return begroeid(cls)


def pick_cover(rnd, table):
    return rnd.pick([c for c, _ in table], [w for _, w in table])


# ---------------------------------------------------------------------------------------------
# Blocks

class Block:
    """One block between roads: its layout, traced grid and the facts the roads need."""

    def __init__(self, kind, box, faces, capture):
        self.kind, self.box, self.faces, self.capture = kind, box, faces, capture
        self.layout = None
        self.grid = None
        self.polys = None
        self.points = []        # (layer, props, (x, y)) trees
        self.lines = []         # (props, segments) hedges

    def side_nodes(self, side):
        """Grid-line positions kept as vertices on one outer side (for the facing verge)."""
        g = self.grid
        if side in ("S", "N"):
            j = 0 if side == "S" else g.ny
            return [float(g.xs[i]) for i in range(1, g.nx) if not g.droppable(j * (g.nx + 1) + i)]
        i = 0 if side == "W" else g.nx
        return [float(g.ys[j]) for j in range(1, g.ny) if not g.droppable(j * (g.nx + 1) + i)]


def ditch_widths(rnd, banks):
    water = rnd.u(1.5, 3.5)
    bank = rnd.u(0.8, 1.6) if banks else 0.0
    return bank, water


def farmland_block(blk, reg, rnd, forest=False):
    x0, x1, y0, y1 = blk.box
    lay = Layout(x0, x1, y0, y1, reg)
    blk.layout = lay
    cap = blk.capture
    new = lambda layer, props, bron=GEMEENTE: reg.new(layer, props, bron, cap)

    # roadside ditches, inside the block along sides that face a road
    edge = {"S": 0.0, "N": 0.0, "W": 0.0, "E": 0.0}
    roadside = []
    for side in ("S", "N", "W", "E"):
        if blk.faces[side] and not forest and rnd.chance(0.6):
            bank, water = ditch_widths(rnd, rnd.chance(0.1))
            edge[side] = 2 * bank + water
            roadside.append((side, bank, water))
    ix0, ix1, iy0, iy1 = x0 + edge["W"], x1 - edge["E"], y0 + edge["S"], y1 - edge["N"]

    # parcel columns (x) and rows (y) with the separators between them
    gaps = [0.0, 4.0, 4.0, 5.0] if forest else [0.0, 0.0, 1.0, 3.0, 3.0, 5.0, 8.0, 10.0]
    cols = split_axis(rnd, ix0, ix1, (50, 180) if not forest else (60, 200), gaps)
    rows = split_axis(rnd, iy0, iy1, (250, 500), gaps)
    table = FOREST_COVER if forest else FARM_COVER
    for (cx0, cx1) in cols:
        for (ry0, ry1) in rows:
            parcel_cover(lay, rnd, new, table, cx0, cx1, ry0, ry1)
    seps = []
    for k in range(1, len(cols)):
        seps.append(("v", cols[k - 1][1], cols[k][0]))
    for k in range(1, len(rows)):
        seps.append(("h", rows[k - 1][1], rows[k][0]))
    # separators: painted in layers so water runs through banks and tracks cross water
    layers = {"houtwal": [], "bank": [], "greppel": [], "water": [], "track": []}
    for d, a, b in seps:
        sep_kind = separator_kind(rnd, b - a, forest)
        rect = (a, b, y0, y1) if d == "v" else (x0, x1, a, b)
        add_separator(layers, sep_kind, d, rect)
    for side, bank, water in roadside:
        rect = {"S": (x0, x1, y0, y0 + edge["S"]), "N": (x0, x1, y1 - edge["N"], y1),
                "W": (x0, x0 + edge["W"], y0, y1), "E": (x1 - edge["E"], x1, y0, y1)}[side]
        d = "h" if side in ("S", "N") else "v"
        add_ditch(layers, d, rect, bank, water)
    paint_separators(lay, layers, new, rnd)

    if not forest:
        n_farms = rnd.pick([1, 1, 2, 2, 3, 3])
        used = []
        for _ in range(n_farms):
            farmstead(blk, lay, rnd, new, cols, rows, edge, used)
        field_drives(blk, lay, rnd, new, cols, rows, edge, used)
    blk.grid = lay.build(rnd)
    place_ponds(blk, lay, rnd, new, forest)
    blk.polys = blk.grid.trace()


def split_axis(rnd, a, b, width, gaps):
    """Intervals between a and b with widths in `width`, separated by gaps drawn from `gaps`
    (0: the two parcels share an edge; otherwise a separator fills the gap)."""
    out = []
    pos = a
    while True:
        w = rnd.u(*width)
        if b - (pos + w) < width[0] * 0.8:
            out.append((pos, b))
            return out
        out.append((pos, pos + w))
        pos = pos + w + rnd.pick(gaps)


def separator_kind(rnd, gap, forest):
    if gap <= 0.0:
        return "plain"
    if forest:
        return "track" if gap >= 3 else "plain"
    if gap >= 8:
        return rnd.pick(["houtwal", "ditch_bank"], [8, 2])
    if gap >= 5:
        return rnd.pick(["ditch_bank", "houtwal", "track"], [1, 3, 4])
    if gap >= 3:
        return rnd.pick(["ditch", "track"], [7, 3])
    return rnd.pick(["ditch", "greppel"], [8, 2])


def add_separator(layers, kind, d, rect):
    a, b = (rect[0], rect[1]) if d == "v" else (rect[2], rect[3])
    if kind == "plain":
        return
    if kind == "houtwal":
        layers["houtwal"].append(rect)
    elif kind == "track":
        layers["track"].append(rect)
    elif kind == "greppel":
        layers["greppel"].append(rect)
    elif kind in ("ditch", "ditch_bank"):
        width = b - a
        bank = min(1.5, width * 0.2) if kind == "ditch_bank" else 0.0
        add_ditch(layers, d, rect, bank, width - 2 * bank)


def add_ditch(layers, d, rect, bank, water):
    x0, x1, y0, y1 = rect
    if d == "v":
        if bank > 0:
            layers["bank"].append((x0, x0 + bank, y0, y1))
            layers["bank"].append((x1 - bank, x1, y0, y1))
        layers["water"].append((x0 + bank, x1 - bank, y0, y1))
    else:
        if bank > 0:
            layers["bank"].append((x0, x1, y0, y0 + bank))
            layers["bank"].append((x0, x1, y1 - bank, y1))
        layers["water"].append((x0, x1, y0 + bank, y1 - bank))


def paint_separators(lay, layers, new, rnd):
    for rect in layers["houtwal"]:
        lay.strip(*rect, lambda: new("begroeidterreindeel", begroeid("houtwal")), (80, 250),
                  wig=WIGGLE_MAX)
    for rect in layers["bank"]:
        lay.strip(*rect, lambda: new("ondersteunendwaterdeel", OEVER, WATERSCHAP), (60, 200),
                  wig=WIGGLE_MAX)
    for rect in layers["greppel"]:
        lay.strip(*rect, lambda: new("waterdeel", GREPPEL, WATERSCHAP), (80, 250), wig=WIGGLE_MAX)
    for rect in layers["water"]:
        props = WATERLOOP if rnd.chance(0.8) else {"class": "waterloop", "plus": "waardeOnbekend"}
        lay.strip(*rect, lambda p=props: new("waterdeel", p, WATERSCHAP), (40, 120), wig=WIGGLE_MAX)
    for rect in layers["track"]:
        lay.strip(*rect, lambda: new("onbegroeidterreindeel", onbegroeid("onverhard", "zand")),
                  (100, 300), wig=WIGGLE_MAX)


def parcel_cover(lay, rnd, new, table, cx0, cx1, ry0, ry1):
    """A parcel: one land cover, sometimes with a second cover on a part of it."""
    cls = pick_cover(rnd, table)
    main = new("begroeidterreindeel", cover_props(rnd, cls))
    lay.rect(cx0, cx1, ry0, ry1, main, wig=WIGGLE_MAX)
    if rnd.chance(0.5):
        # a part of the parcel across its length: a small wood, rough grass or other crop
        t0 = rnd.u(0.15, 0.6)
        t1 = min(0.95, t0 + rnd.u(0.1, 0.35))
        part = pick_cover(rnd, [("loofbos", 3), ("gemengd bos", 2), ("grasland overig", 3),
                                ("bouwland", 2), ("grasland agrarisch", 2), ("struiken", 1)])
        if part != cls:
            other = new("begroeidterreindeel", cover_props(rnd, part))
            lay.rect(cx0, cx1, ry0 + t0 * (ry1 - ry0), ry0 + t1 * (ry1 - ry0), other,
                     wig=WIGGLE_MAX)
    if rnd.chance(0.3) and cx1 - cx0 > 90:
        # a corner copse
        w, h = rnd.u(20, 50), rnd.u(20, 60)
        corner = new("begroeidterreindeel", cover_props(rnd, rnd.pick(["loofbos", "gemengd bos"])))
        lay.rect(cx1 - w, cx1, ry1 - h, ry1, corner, wig=WIGGLE_MAX)


def farmstead(blk, lay, rnd, new, cols, rows, edge, used):
    sides = [s for s in ("S", "N", "W", "E") if blk.faces[s]]
    if not sides:
        return
    side = rnd.pick(sides)
    wf, df = rnd.u(60, 110), rnd.u(70, 130)
    x0, x1, y0, y1 = blk.box
    if side in ("S", "N"):
        spans = [c for c in cols if c[1] - c[0] >= wf + 12]
        deep = rows[0] if side == "S" else rows[-1]
        if not spans or deep[1] - deep[0] < df + 20:
            return
        c = rnd.pick(spans)
        ou = rnd.u(c[0] + 6, c[1] - 6 - wf)
        base = y0 + edge["S"] if side == "S" else y1 - edge["N"]
    else:
        spans = [r for r in rows if r[1] - r[0] >= wf + 12]
        deep = cols[0] if side == "W" else cols[-1]
        if not spans or deep[1] - deep[0] < df + 20:
            return
        r = rnd.pick(spans)
        ou = rnd.u(r[0] + 6, r[1] - 6 - wf)
        base = x0 + edge["W"] if side == "W" else x1 - edge["E"]
    for s, a, b in used:
        if s == side and not (ou + wf + 10 < a or ou > b + 10):
            return
    used.append((side, ou, ou + wf))

    def g(u0, u1, v0, v1):
        """Local farm frame (u along the road, v inward) to a global rectangle."""
        if side == "S":
            return (ou + u0, ou + u1, base + v0, base + v1)
        if side == "N":
            return (ou + u0, ou + u1, base - v1, base - v0)
        if side == "W":
            return (base + v0, base + v1, ou + u0, ou + u1)
        return (base - v1, base - v0, ou + u0, ou + u1)

    erf = new("onbegroeidterreindeel", onbegroeid("erf"))
    lay.rect(*g(0, wf, 0, df), erf)
    gw, gd = rnd.u(10, 16), rnd.u(12, 20)
    hw, hd = rnd.u(10, 14), rnd.u(9, 12)
    iu = 3 + gw + hw + 2
    barn_v = max(hd + 14, df * 0.45)
    if rnd.chance(0.7) and barn_v - (4 + hd + 3) >= 5:
        yard = new("onbegroeidterreindeel",
                   onbegroeid(rnd.pick(["gesloten verharding", "open verharding", "half verhard"]),
                              rnd.pick(["cementbeton", "betonstraatstenen", "waardeOnbekend"])))
        lay.rect(*g(iu, min(wf - 4, iu + rnd.u(15, 30)), 4 + hd + 3, barn_v - 3), yard)
    garden = new("begroeidterreindeel", cover_props(rnd, "groenvoorziening"))
    lay.rect(*g(3, 3 + gw, 3, 3 + gd), garden)
    house = new_pand(new, rnd, label=True)
    lay.rect(*g(3 + gw, 3 + gw + hw, 4, 4 + hd), house)
    bassin = rnd.chance(0.6)
    loods = rnd.chance(0.5) and barn_v + 14 < df - 20
    bw = min(rnd.u(25, 45), wf - (30 if bassin or loods else 10))
    bd = rnd.u(15, 25)
    lay.rect(*g(5, 5 + bw, barn_v, barn_v + bd), new_pand(new, rnd))
    v = barn_v + bd + 6
    if rnd.chance(0.6) and v + 12 < df - 4:
        bd2 = min(rnd.u(12, 22), df - 4 - v)
        lay.rect(*g(5, 5 + min(bw, rnd.u(15, 35)), v, v + bd2), new_pand(new, rnd))
    if bassin:
        s = rnd.u(8, 14)
        lay.rect(*g(wf - 6 - s, wf - 6, df - 4 - s, df - 4),
                 new("overigbouwwerk", {"type": "bassin"}))
    if loods:
        lay.rect(*g(wf - 18, wf - 6, barn_v, barn_v + rnd.u(8, 14)),
                 new("overigbouwwerk", {"type": "open loods"}))
    # the drive: across the roadside ditch (the verge part is made by the road)
    if edge[side] > 0:
        drive = new("wegdeel", wegdeel("inrit", rnd.pick(["half verhard", "open verharding"]),
                                       rnd.pick(["grind", "betonstraatstenen", "waardeOnbekend"])))
        lay.rect(*g(iu, iu + 4, -edge[side], 0), drive)
    a, b = g(iu, iu + 4, 0, 1)[0:2] if side in ("S", "N") else g(iu, iu + 4, 0, 1)[2:4]
    lay.connections[side].append((r3(a), r3(b), "inrit"))
    # trees on the yard, a hedge along the garden
    point = lambda u, v: tuple(r3(c) for c in g(u, u, v, v)[0:3:2])
    for _ in range(rnd.int(2, 8)):
        u, v = rnd.pick([(rnd.u(1, wf - 1), df - 1.5), (wf - 1.5, rnd.u(df * 0.3, df - 1))])
        blk.points.append(("boom", point(u, v)))
    if rnd.chance(0.5):
        blk.lines.append(hedge_line(rnd, [point(3, 3 + gd + 0.8), point(3 + gw, 3 + gd + 0.8)]))


def field_drives(blk, lay, rnd, new, cols, rows, edge, used):
    """Dams with a drive across the roadside ditch into half of the parcels along it."""
    x0, x1, y0, y1 = blk.box
    for side in ("S", "N", "W", "E"):
        if edge[side] <= 0:
            continue
        spans = cols if side in ("S", "N") else rows
        for a, b in spans:
            if b - a < 30 or not rnd.chance(0.5):
                continue
            w = rnd.u(4, 6)
            u = rnd.u(a + 8, b - 8 - w)
            if any(s == side and not (u + w + 8 < c or u > d + 8) for s, c, d in used):
                continue
            used.append((side, u, u + w))
            drive = new("wegdeel", wegdeel("inrit", rnd.pick(["onverhard", "half verhard"]),
                                           rnd.pick(["zand", "grind", "waardeOnbekend"])))
            if side == "S":
                lay.rect(u, u + w, y0, y0 + edge[side], drive)
            elif side == "N":
                lay.rect(u, u + w, y1 - edge[side], y1, drive)
            elif side == "W":
                lay.rect(x0, x0 + edge[side], u, u + w, drive)
            else:
                lay.rect(x1 - edge[side], x1, u, u + w, drive)
            lay.connections[side].append((r3(u), r3(u + w), "inrit"))


def hedge_line(rnd, pts):
    (ax, ay), (bx, by) = pts
    n = rnd.int(1, 3)
    coords = [(r3(ax + (bx - ax) * k / n), r3(ay + (by - ay) * k / n)) for k in range(n + 1)]
    if rnd.chance(0.3) and n >= 2:
        # one stretch bends: an arc through a point 0.3 m off the straight line
        (px, py), (qx, qy) = coords[0], coords[1]
        L = math.hypot(qx - px, qy - py)
        nx_, ny_ = -(qy - py) / L * 0.3, (qx - px) / L * 0.3
        mid = (r3((px + qx) / 2 + nx_), r3((py + qy) / 2 + ny_))
        return [("A", [coords[0], mid, coords[1]]), ("L", coords[1:])]
    return [("L", coords)]


def new_pand(new, rnd, label=False):
    """A building; `label`: with an address label point (houses, not sheds and barns)."""
    return new("pand", {"bag": "0999100000%06d" % rnd.int(0, 999999), "label": label,
                        "number": rnd.int(1, 120)})


def place_ponds(blk, lay, rnd, new, forest):
    """Round ponds (arcs) inside grassland, heath or park cells, some with a bank around."""
    g = blk.grid
    reg = lay.reg
    tried = set()
    labs = np.unique(g.lab)
    for lab in labs:
        lab = int(lab)
        o = reg.objs[lab]
        if o["layer"] != "begroeidterreindeel":
            continue
        cls = o["props"]["class"]
        p = o.get("pond", {"grasland agrarisch": 0.12, "grasland overig": 0.3,
                           "heide": 0.5}.get(cls, 0.0))
        if forest and cls in ("naaldbos", "gemengd bos"):
            p = 0.1
        if lab in tried or not rnd.chance(p):
            continue
        tried.add(lab)
        jj, ii = np.nonzero(g.lab == lab)
        w = g.xs[ii + 1] - g.xs[ii]
        h = g.ys[jj + 1] - g.ys[jj]
        r = rnd.u(6, 18)
        bank = rnd.u(1.5, 3) if rnd.chance(0.3) else 0.0
        need = 2 * (r + bank) + 2 * (WIGGLE_MAX + 3)
        ok = np.flatnonzero((w >= need) & (h >= need))
        if len(ok) == 0:
            continue
        k = ok[rnd.int(0, len(ok) - 1)]
        cx = (g.xs[ii[k]] + g.xs[ii[k] + 1]) / 2
        cy = (g.ys[jj[k]] + g.ys[jj[k] + 1]) / 2
        add_pond(lay, new, lab, r3(cx), r3(cy), r, bank, (ii[k] + 0.5, jj[k] + 0.5))


def add_pond(lay, new, host, cx, cy, r, bank, cell):
    water = new("waterdeel", VIJVER, WATERSCHAP)
    rings = [("water", water, r, None)]
    if bank > 0:
        oever = new("ondersteunendwaterdeel", OEVER, WATERSCHAP)
        rings = [("water", water, r, None), ("bank", oever, r + bank, r)]
    lay.ponds.append({"host": host, "cell": cell, "cx": cx, "cy": cy,
                      "outer": r + bank, "objects": rings})


def circle(cx, cy, r, ccw=True):
    r = r3(r)
    e, n = (r3(cx + r), r3(cy)), (r3(cx), r3(cy + r))
    w, s = (r3(cx - r), r3(cy)), (r3(cx), r3(cy - r))
    if ccw:
        return [("A", [e, n, w]), ("A", [w, s, e])]
    return [("A", [e, s, w]), ("A", [w, n, e])]


# -- villages ---------------------------------------------------------------------------------

def village_block(blk, reg, rnd):
    x0, x1, y0, y1 = blk.box
    lay = Layout(x0, x1, y0, y1, reg)
    blk.layout = lay
    cap = blk.capture
    new = lambda layer, props, bron=GEMEENTE: reg.new(layer, props, bron, cap)

    # x: green edge, then [lot row | street | lot row] units; y: green edge, lots, cross streets
    xs_units = []
    pos = x0 + rnd.u(4, 10)
    while True:
        d1, d2 = rnd.u(26, 38), rnd.u(26, 38)
        sw = street_profile(rnd)
        width = d1 + sum(w for _, w in sw) + d2
        if pos + width > x1 - 4:
            break
        xs_units.append((pos, d1, sw, d2))
        pos += width
    edge_e = pos
    pos = y0 + rnd.u(4, 10)
    cross = []
    nextcross = pos + rnd.u(120, 220)
    lots = []
    while True:
        if pos >= nextcross:
            cp = street_profile(rnd, cross=True)
            cw = sum(w for _, w in cp)
            if pos + cw > y1 - 20:
                break
            cross.append((pos, cp))
            pos += cw
            nextcross = pos + rnd.u(120, 220)
            continue
        lw = rnd.u(7, 13)
        if pos + lw > y1 - 4:
            break
        lots.append((pos, pos + lw, rnd.chance(0.5)))
        pos += lw
    edge_n = pos

    # public green along the block's edges (cut into pieces)
    green = lambda: new("begroeidterreindeel", cover_props(rnd, "groenvoorziening"))
    lay.strip(x0, x1, y0, lots[0][0] if lots else y1, green, (25, 80), wig=DIGITISED)
    lay.strip(x0, x1, edge_n, y1, green, (25, 80), wig=DIGITISED)
    lay.strip(x0, xs_units[0][0] if xs_units else x1, y0, y1, green, (25, 80), wig=DIGITISED)
    lay.strip(edge_e, x1, y0, y1, green, (25, 80), wig=DIGITISED)

    segments = [y0] + [c[0] for c in cross] + [y1]
    for ux, d1, sw, d2 in xs_units:
        sx = ux + d1
        lot_row(lay, rnd, new, blk, ux, sx, lots, "E")
        ex = sx + sum(w for _, w in sw)
        lot_row(lay, rnd, new, blk, ex, ex + d2, lots, "W")
    for _ in range(rnd.int(1, 3)):
        if xs_units and lots:
            park(lay, rnd, new, blk, xs_units, lots)
    # streets: green/parking strips, then footways, then lanes (lanes own the crossings)
    for ux, d1, sw, d2 in xs_units:
        street(lay, rnd, new, blk, "v", ux + d1, sw, (y0, y1), segments, lots)
    xsegs = [x0] + [u[0] + u[1] for u in xs_units] + [x1]
    for cy, cp in cross:
        street(lay, rnd, new, blk, "h", cy, cp, (x0, x1), xsegs, None)
    blk.grid = lay.build(rnd)
    place_ponds(blk, lay, rnd, new, False)
    blk.polys = blk.grid.trace()


def street_profile(rnd, cross=False):
    """Strips across a street, from one side to the other."""
    left = [("voetpad", rnd.u(1.5, 2.2)), ("groen", rnd.u(1.8, 3.5))]
    right = [("parkeer" if rnd.chance(0.5) and not cross else "groen", rnd.u(2.0, 2.5)),
             ("voetpad", rnd.u(1.5, 2.2))]
    return left + [("lane", rnd.u(4.8, 6.0))] + right


def lot_row(lay, rnd, new, blk, ra, rb, lots, facing):
    """Houses facing the street on side `facing` of the row [ra, rb] (two depths, some with an
    annex at the back, sheds at the back of the lots); yards as one erf per few lots."""
    front = rnd.u(3, 6)
    depths = (rnd.u(8.5, 12), rnd.u(8.5, 12))
    annex_depth = rnd.u(3, 5)
    shed_depth = rnd.u(3, 5) if rnd.chance(0.6) else 0.0
    k = 0
    while k < len(lots):
        n = rnd.int(2, 6)
        group = lots[k:k + n]
        lay.rect(ra, rb, group[0][0], group[-1][1], new("onbegroeidterreindeel", onbegroeid("erf")))
        k += n
    sign = -1 if facing == "E" else 1          # from the street into the lot
    street_x = rb if facing == "E" else ra
    at = lambda d: street_x + sign * d         # x at distance d from the street
    span = lambda d0, d1: (min(at(d0), at(d1)), max(at(d0), at(d1)))
    for (ly0, ly1, detached) in lots:
        gap = rnd.u(2.5, 3.5) if detached else 0.0
        hy0, hy1 = ly0 + gap, ly1 - gap
        depth = rnd.pick(depths)
        house = new_pand(new, rnd, label=True)
        lay.rect(*span(front, front + depth), hy0, hy1, house)
        back = front + depth
        if rnd.chance(0.4):
            lay.rect(*span(back, back + annex_depth), hy0, hy0 + (hy1 - hy0) / 2, house)
            back += annex_depth
        row_depth = rb - ra
        if shed_depth and row_depth - 1.5 - shed_depth - back > 3:
            inset = 0 if detached else 1
            lay.rect(*span(row_depth - 1.5 - shed_depth, row_depth - 1.5), hy0 + inset, hy1 - inset,
                     new_pand(new, rnd))
        if rnd.chance(0.015):
            y = r3(ly0 + 0.6)
            xa, xb = span(0.5, front - 0.5)
            blk.lines.append(hedge_line(rnd, [(r3(xa), y), (r3(xb), y)]))
        if rnd.chance(0.15) and row_depth - 1.5 - shed_depth - back > 4:
            garden_mid = at((back + row_depth - 1.5 - shed_depth) / 2)
            blk.points.append(("boom", (r3(garden_mid), r3((ly0 + ly1) / 2))))


def park(lay, rnd, new, blk, units, lots):
    """Public green (or a paved square) in place of some lots, with paths and trees."""
    ux, d1, sw, d2 = rnd.pick(units)
    k0 = rnd.int(0, max(0, len(lots) - 8))
    k1 = min(len(lots) - 1, k0 + rnd.int(5, 10))
    py0, py1 = lots[k0][0], lots[k1][1]
    px0, px1 = ux, ux + d1
    if rnd.chance(0.3):
        square = new("onbegroeidterreindeel",
                     onbegroeid(rnd.pick(["gesloten verharding", "open verharding"]),
                                rnd.pick(["asfalt", "betonstraatstenen", "tegels"])))
        lay.rect(px0, px1, py0, py1, square)
        return
    grass = new("begroeidterreindeel", begroeid("groenvoorziening", "gras- en kruidachtigen"))
    lay.reg.objs[grass]["pond"] = 0.5
    lay.rect(px0, px1, py0, py1, grass)
    if py1 - py0 > 40:
        shrub = new("begroeidterreindeel", begroeid("groenvoorziening",
                                                    rnd.pick(["heesters", "bosplantsoen"])))
        lay.rect(px0, px0 + 6, py0, py1, shrub)
        path = new("onbegroeidterreindeel", onbegroeid(rnd.pick(["onverhard", "half verhard"]),
                                                      rnd.pick(["zand", "gravel", "grind"])))
        py = py0 + (py1 - py0) * rnd.u(0.3, 0.7)
        lay.rect(px0 + 6, px1, py, py + 2, path)
    for k in range(int((py1 - py0) // 12)):
        blk.points.append(("boom", (r3(px1 - 3), r3(py0 + 6 + 12 * k))))


def street(lay, rnd, new, blk, d, at_, profile, span, segments, lots):
    """One street: strips along d ('v' runs in y), cut at the cross streets."""
    pos = at_
    strips = []
    for kind, w in profile:
        strips.append((kind, pos, pos + w))
        pos += w
    a, b = span
    # order of painting: green/parking, footways, lanes
    berm_like = rnd.chance(0.5)
    for order in (("groen", "parkeer"), ("voetpad",), ("lane",)):
        for kind, s0, s1 in strips:
            if kind not in order:
                continue
            for sa, sb in zip(segments, segments[1:]):
                rect = (s0, s1, sa, sb) if d == "v" else (sa, sb, s0, s1)
                if kind == "lane":
                    lab = new("wegdeel", wegdeel("rijbaan lokale weg", "gesloten verharding",
                                                 rnd.pick(["asfalt", "gebakken klinkers",
                                                           "betonstraatstenen"], [6, 2, 2]),
                                                 "verkeersdrempel" if rnd.chance(0.03)
                                                 else "waardeOnbekend"))
                    lay.rect(*rect, lab, wig=DIGITISED)
                elif kind == "voetpad":
                    mk = lambda: new("wegdeel", wegdeel("voetpad", "open verharding", "tegels"))
                    lay.strip(*rect, mk, (30, 90), wig=DIGITISED)
                elif kind == "parkeer":
                    mk = lambda: new("wegdeel", wegdeel("parkeervlak", "open verharding",
                                                        "betonstraatstenen"))
                    lay.strip(*rect, mk, (15, 40), wig=DIGITISED)
                else:
                    if berm_like:
                        mk = lambda: new("ondersteunendwegdeel", berm(rnd.pick(
                            ["gras- en kruidachtigen", "heesters", "bosplantsoen"], [8, 1, 1])))
                    else:
                        mk = lambda: new("begroeidterreindeel",
                                         cover_props(rnd, "groenvoorziening"))
                    lay.strip(*rect, mk, (30, 90), wig=DIGITISED)
                    if d == "v":
                        mid = (s0 + s1) / 2
                        y = sa + rnd.u(3, 8)
                        while y < sb - 3:
                            if rnd.chance(0.8):
                                blk.points.append(("boom", (r3(mid), r3(y))))
                            y += rnd.u(9, 14)
    # drives across the green or parking strip next to the lane, to detached houses
    if d == "v" and lots:
        for kind, s0, s1 in strips:
            if kind in ("groen", "parkeer"):
                for ly0, ly1, detached in lots:
                    if detached and rnd.chance(0.7):
                        lab = new("wegdeel", wegdeel("inrit", "open verharding",
                                                     "betonstraatstenen"))
                        lay.rect(s0, s1, ly0, ly0 + 2.5, lab)
    # mouths: the lane continues across the road's verge
    lane = [s for s in strips if s[0] == "lane"][0]
    if d == "v":
        for side in ("S", "N"):
            lay.connections[side].append((r3(lane[1]), r3(lane[2]), "straat"))
    else:
        for side in ("W", "E"):
            lay.connections[side].append((r3(lane[1]), r3(lane[2]), "straat"))


# ---------------------------------------------------------------------------------------------
# Roads: corridors between blocks, crossings where they meet.

def road_profile(rnd):
    if rnd.chance(0.25):
        strips = [("berm", rnd.u(3, 5)), ("lane", rnd.u(6.5, 7.5)), ("berm", rnd.u(1.5, 3)),
                  ("fietspad", rnd.u(2.5, 3.5)), ("berm", rnd.u(2, 4))]
        if rnd.chance(0.5):
            strips = strips[::-1]
        return "regional", strips
    return "local", [("berm", rnd.u(2, 4)), ("lane", rnd.u(4.5, 6)), ("berm", rnd.u(2, 4))]


class Road:
    def __init__(self, d, centre, rnd):
        self.d = d
        self.kind, strips = road_profile(rnd)
        width = sum(w for _, w in strips)
        pos = r3(centre - width / 2)
        self.strips = []
        for kind, w in strips:
            self.strips.append((kind, pos, r3(pos + w)))
            pos = r3(pos + w)
        self.lo, self.hi = self.strips[0][1], self.strips[-1][2]
        self.lane = [k for k, s in enumerate(self.strips) if s[0] == "lane"][0]
        mat = ("gesloten verharding", "asfalt") if self.kind == "regional" else rnd.pick(
            [("gesloten verharding", "asfalt"), ("open verharding", "betonstraatstenen"),
             ("half verhard", "waardeOnbekend"), ("onverhard", "zand")], [8, 1, 1, 0.5])
        self.material = mat
        self.trees = {"lo": rnd.chance(0.6), "hi": rnd.chance(0.6)}
        self.bron = PROVINCIE if self.kind == "regional" else GEMEENTE

    def strip_props(self, kind, rnd):
        if kind == "lane":
            fn = "rijbaan regionale weg" if self.kind == "regional" else "rijbaan lokale weg"
            return "wegdeel", wegdeel(fn, self.material[0], self.material[1],
                                      "verkeersdrempel" if rnd.chance(0.01) else "waardeOnbekend")
        if kind == "fietspad":
            return "wegdeel", wegdeel("fietspad", "gesloten verharding",
                                      rnd.pick(["asfalt", "cementbeton"], [7, 3]))
        plus = rnd.pick(["gras- en kruidachtigen", "bosplantsoen", "heesters", "waardeOnbekend"],
                        [90, 4, 2, 4])
        return "ondersteunendwegdeel", berm(plus)


def road_positions(rnd, S):
    out = []
    pos = rnd.u(500, 1000)
    while pos < S - 450:
        out.append(pos)
        pos += rnd.u(600, 1100)
    return out


def rect_ring(x0, x1, y0, y1, extra):
    """CCW rectangle with extra vertices on its sides: extra = {'S': [...], 'N', 'W', 'E'}, each
    a list of positions along the side, or of (position, sideways offset) pairs."""
    def side(name, lo, hi, rev):
        vals = [v if isinstance(v, tuple) else (v, 0.0) for v in extra.get(name, [])]
        return sorted([v for v in vals if lo + 1e-6 < v[0] < hi - 1e-6], reverse=rev)
    pts = [(x0, y0)]
    pts += [(x, y0 + o) for x, o in side("S", x0, x1, False)]
    pts.append((x1, y0))
    pts += [(x1 + o, y) for y, o in side("E", y0, y1, False)]
    pts.append((x1, y1))
    pts += [(x, y1 + o) for x, o in side("N", x0, x1, True)]
    pts.append((x0, y1))
    pts += [(x0 + o, y) for y, o in side("W", y0, y1, True)]
    pts.append((x0, y0))
    return [("L", [(r3(x), r3(y)) for x, y in pts])]


def digitised(rnd, a, b, avoid):
    """Vertices every 3-8 m along a road's strip edge, a few mm off the straight line (as
    digitised road edges are), away from the corners in `avoid`."""
    out = []
    t = a + rnd.u(3, 8)
    while t < b - 1:
        if all(abs(t - v) > 0.2 for v in avoid):
            out.append((t, r3(rnd.u(-0.015, 0.015))))
        t += rnd.u(3, 8)
    return out


def corridor_segment(road, a, b, lo_block, hi_block, reg, rnd, capture, trees):
    """Pieces of one road between two crossings (or a crossing and the square's edge).
    lo_block/hi_block: the blocks on either side (lower/higher x for a vertical road)."""
    lo_side, hi_side = ("E", "W") if road.d == "v" else ("N", "S")
    nodes_lo = lo_block.side_nodes(lo_side)
    nodes_hi = hi_block.side_nodes(hi_side)
    conn_lo = [c for c in lo_block.layout.connections[lo_side] if a < c[0] and c[1] < b]
    conn_hi = [c for c in hi_block.layout.connections[hi_side] if a < c[0] and c[1] < b]
    P = lo_block.cuts[lo_side]
    splits = {}
    for k, (kind, s0, s1) in enumerate(road.strips):
        cuts = set(P)
        if k < road.lane:
            cuts.update(v for c in conn_lo for v in c[:2])
        elif k > road.lane:
            cuts.update(v for c in conn_hi for v in c[:2])
        splits[k] = sorted(v for v in cuts if a < v < b)
    last = len(road.strips) - 1
    # the edge between strip k and k + 1: its corners (both strips' cuts) and digitised vertices
    edges = {k: splits[k] + splits[k + 1] + digitised(rnd, a, b, splits[k] + splits[k + 1])
             for k in range(last)}
    for k, (kind, s0, s1) in enumerate(road.strips):
        cuts = [a] + splits[k] + [b]
        side_lo = nodes_lo if k == 0 else edges[k - 1]
        side_hi = nodes_hi if k == last else edges[k]
        conns = conn_lo if k < road.lane else conn_hi if k > road.lane else []
        for pa, pb in zip(cuts, cuts[1:]):
            layer, props = road.strip_props(kind, rnd)
            conn = [c for c in conns if c[0] <= pa + 1e-6 and pb <= c[1] + 1e-6]
            if conn and kind == "berm":
                fn = conn[0][2]
                layer = "wegdeel"
                props = (wegdeel("inrit", "half verhard", "grind") if fn == "inrit" else
                         wegdeel("rijbaan lokale weg", "gesloten verharding", "asfalt"))
            oid = reg.new(layer, props, road.bron, capture)
            if road.d == "v":
                ring = rect_ring(s0, s1, pa, pb, {"W": side_lo, "E": side_hi})
            else:
                ring = rect_ring(pa, pb, s0, s1, {"S": side_lo, "N": side_hi})
            reg.objs[oid]["geom"] = ("polygon", [ring])
            if kind == "berm" and not conn and trees(k):
                mid = (s0 + s1) / 2
                t = pa + rnd.u(2, 8)
                while t < pb - 2:
                    xy = (r3(mid), r3(t)) if road.d == "v" else (r3(t), r3(mid))
                    tree = reg.new("vegetatieobject", {"type": "boom"}, road.bron, None)
                    reg.objs[tree]["geom"] = ("point", xy)
                    t += rnd.u(8, 13)


def crossing(vroad, hroad, reg, rnd, capture):
    xs = [vroad.strips[0][1]] + [s[2] for s in vroad.strips]
    ys = [hroad.strips[0][1]] + [s[2] for s in hroad.strips]
    g = Grid(xs, ys, np.zeros(len(xs)), np.zeros(len(ys)), rnd, keep_outer=True)
    main = vroad if vroad.kind == "regional" or hroad.kind != "regional" else hroad
    layer, props = main.strip_props("lane", rnd)
    centre = reg.new(layer, props, main.bron, capture)
    labels = {}
    for i, (vk, _, _) in enumerate(vroad.strips):
        for j, (hk, _, _) in enumerate(hroad.strips):
            if vk == "lane" or hk == "lane":
                g.lab[j, i] = centre
                continue
            kind = "fietspad" if "fietspad" in (vk, hk) else "berm"
            quad = (i < vroad.lane, j < hroad.lane, kind)
            if quad not in labels:
                layer, props = vroad.strip_props(kind, rnd)
                labels[quad] = reg.new(layer, props, vroad.bron, capture)
            g.lab[j, i] = labels[quad]
    return g


# ---------------------------------------------------------------------------------------------
# The landscape

def build(S, x0, y0, rnd):
    """Makes every current object (registry) of a square of side S metres at (x0, y0)."""
    reg = Registry()
    vpos = road_positions(rnd, S)
    hpos = road_positions(rnd, S)
    vroads = [Road("v", x0 + p, rnd) for p in vpos]
    hroads = [Road("h", y0 + p, rnd) for p in hpos]
    xb = [(x0 if a == 0 else vroads[a - 1].hi, x0 + S if a == len(vroads) else vroads[a].lo)
          for a in range(len(vroads) + 1)]
    yb = [(y0 if b == 0 else hroads[b - 1].hi, y0 + S if b == len(hroads) else hroads[b].lo)
          for b in range(len(hroads) + 1)]
    kinds = block_kinds(rnd, xb, yb, S)
    t_start, t_end = secs(datetime.datetime(2014, 1, 15)), secs(datetime.datetime(2017, 12, 15))
    blocks = {}
    for a, (bx0, bx1) in enumerate(xb):
        for b, (by0, by1) in enumerate(yb):
            faces = {"W": a > 0, "E": a < len(xb) - 1, "S": b > 0, "N": b < len(yb) - 1}
            blk = Block(kinds[(a, b)], (r3(bx0), r3(bx1), r3(by0), r3(by1)), faces,
                        rnd.u(t_start, t_end))
            if blk.kind == "village":
                village_block(blk, reg, rnd)
            else:
                farmland_block(blk, reg, rnd, forest=blk.kind == "forest")
            blk.cuts = {}
            blocks[(a, b)] = blk
    plan_cuts(blocks, xb, yb, rnd)
    for blk in blocks.values():
        finish_block(blk, reg, rnd)
    road_capture = lambda: rnd.u(secs(datetime.datetime(2014, 3, 1)),
                                 secs(datetime.datetime(2016, 9, 1)))
    for a, road in enumerate(vroads):
        for b, (sa, sb) in enumerate(yb):
            trees = lambda k, r=road: (r.trees["lo"] if k == 0 else r.trees["hi"]
                                       if k == len(r.strips) - 1 else False)
            corridor_segment(road, sa, sb, blocks[(a, b)], blocks[(a + 1, b)], reg, rnd,
                             road_capture(), trees)
    for b, road in enumerate(hroads):
        for a, (sa, sb) in enumerate(xb):
            trees = lambda k, r=road: (r.trees["lo"] if k == 0 else r.trees["hi"]
                                       if k == len(r.strips) - 1 else False)
            corridor_segment(road, sa, sb, blocks[(a, b)], blocks[(a, b + 1)], reg, rnd,
                             road_capture(), trees)
    for vr in vroads:
        for hr in hroads:
            g = crossing(vr, hr, reg, rnd, road_capture())
            store_grid_polygons(g, g.trace(), reg, [])
            if rnd.chance(0.1):
                # a cycle bridge above the crossing (relatieveHoogteligging 1)
                layer, props = vr.strip_props("fietspad", rnd)
                oid = reg.new(layer, props, vr.bron, road_capture())
                reg.objs[oid]["level"] = 1
                reg.objs[oid]["geom"] = ("polygon", [rect_ring(
                    r3(vr.lo - 6), r3(vr.hi + 6), r3((hr.lo + hr.hi) / 2 - 1.5),
                    r3((hr.lo + hr.hi) / 2 + 1.5), {})])
    return reg


def block_kinds(rnd, xb, yb, S):
    """Villages (9% of the area) and woodland (8%) as clusters of blocks; the rest farmland."""
    centres = lambda n: [(rnd.u(0.2, 0.8) * S + xb[0][0], rnd.u(0.2, 0.8) * S + yb[0][0])
                         for _ in range(n)]
    kinds = {(a, b): "farmland" for a in range(len(xb)) for b in range(len(yb))}
    area = lambda k: (xb[k[0]][1] - xb[k[0]][0]) * (yb[k[1]][1] - yb[k[1]][0])
    for kind, share in (("village", 0.09), ("forest", 0.08)):
        n = max(1, int(round(S * S / 50e6)))
        cs = centres(n)
        todo = share * S * S
        order = sorted(kinds, key=lambda k: min(
            math.hypot((xb[k[0]][0] + xb[k[0]][1]) / 2 - cx, (yb[k[1]][0] + yb[k[1]][1]) / 2 - cy)
            for cx, cy in cs))
        for k in order:
            if todo <= area(k) * 0.5:
                break
            if kinds[k] == "farmland":
                kinds[k] = kind
                todo -= area(k)
    return kinds


def plan_cuts(blocks, xb, yb, rnd):
    """Where the verges and lanes along each block side are cut: at grid lines of the block
    on one side (so they are vertices there already), every 30-110 m."""
    for (a, b), blk in blocks.items():
        for side in ("S", "N", "W", "E"):
            blk.cuts[side] = []
    for (a, b), blk in blocks.items():
        for side, other in (("E", (a + 1, b)), ("N", (a, b + 1))):
            if other not in blocks:
                continue
            nb = blocks[other]
            opp = "W" if side == "E" else "S"
            cands = sorted(set(blk.side_nodes(side)) | set(nb.side_nodes(opp)))
            lo, hi = (blk.box[2], blk.box[3]) if side == "E" else (blk.box[0], blk.box[1])
            cuts, last = [], lo
            target = rnd.u(30, 110)
            for v in cands:
                if v - last >= target and hi - v >= 20:
                    cuts.append(v)
                    last = v
                    target = rnd.u(30, 110)
            blk.cuts[side] = cuts
            nb.cuts[opp] = cuts
    for blk in blocks.values():
        for side in ("S", "N", "W", "E"):
            own = set(blk.side_nodes(side))
            blk.grid.ext[side] = [v for v in blk.cuts[side] if v not in own]


def finish_block(blk, reg, rnd):
    store_grid_polygons(blk.grid, blk.polys, reg, blk.layout.ponds)
    for kind, xy in blk.points:
        oid = reg.new("vegetatieobject", {"type": kind}, GEMEENTE, None)
        reg.objs[oid]["geom"] = ("point", xy)
    for segs in blk.lines:
        oid = reg.new("vegetatieobject", {"type": "haag"}, GEMEENTE, None)
        reg.objs[oid]["geom"] = ("line", segs)


def store_grid_polygons(g, polys, reg, ponds):
    by_host = {}
    for p in ponds:
        by_host.setdefault(p["host"], []).append(p)
    for label, parts in polys.items():
        for n, (ext, holes) in enumerate(parts):
            oid = label if n == 0 else reg.clone(label)
            rings = [g.ring_segments(ext)] + [g.ring_segments(h) for h in holes]
            for p in by_host.get(label, []):
                if len(parts) == 1 or g.cell_in_ring(ext, *p["cell"]):
                    rings.append(circle(p["cx"], p["cy"], p["outer"], ccw=False))
            reg.objs[oid]["geom"] = ("polygon", rings)
    for p in ponds:
        for kind, oid, r, inner in p["objects"]:
            rings = [circle(p["cx"], p["cy"], r)]
            if inner:
                rings.append(circle(p["cx"], p["cy"], inner, ccw=False))
            reg.objs[oid]["geom"] = ("polygon", rings)


# ---------------------------------------------------------------------------------------------
# History: versions of each current object, and terminated predecessors.

# (no older version, one, two) per layer; ~40% of objects have 1-2 ended older versions
OLDER = {"waterdeel": (0.45, 0.35, 0.20), "vegetatieobject": (0.95, 0.05, 0.0),
         "pand": (0.7, 0.22, 0.08)}
OLDER_DEFAULT = (0.6, 0.28, 0.12)
PREDECESSOR = {"vegetatieobject": 0.0, "overigbouwwerk": 0.03}
PREDECESSOR_DEFAULT = 0.10
DAY = 86400


class Versions:
    """Turns the registry's current objects into feature versions (oldest first)."""

    def __init__(self, rnd, end):
        self.rnd = rnd
        self.end = secs(end)
        self.bag = 0

    def lv(self, t):
        for s in LV_START:
            if t < secs(s) - DAY:
                return secs(s)
        return min(t + int(self.rnd.u(0.05, 3) * DAY), self.end - 3600)

    def chain(self, t0, n_old):
        times = [t0]
        for _ in range(n_old):
            t = times[-1] + int(self.rnd.u(90, 1100) * DAY)
            if t > self.end - 5 * DAY:
                break
            times.append(t)
        return times

    def moved(self, geom):
        if self.rnd.chance(0.4):
            return geom
        dx, dy = r3(self.rnd.u(-0.5, 0.5)), r3(self.rnd.u(-0.5, 0.5))
        return shift(geom, dx, dy)

    def of(self, o):
        rnd = self.rnd
        layer = o["layer"]
        t0 = self.first_registration(o)
        creation = max(t0 - int(rnd.u(0, 700) * DAY), secs(datetime.datetime(2008, 1, 2)))
        p_old = OLDER.get(layer, OLDER_DEFAULT)
        n_old = rnd.pick([0, 1, 2], p_old)
        out = []
        p_pred = PREDECESSOR.get(layer, PREDECESSOR_DEFAULT)
        if rnd.chance(p_pred) and t0 + 200 * DAY < self.end - 60 * DAY:
            te = int(rnd.u(t0 + 200 * DAY, self.end - 30 * DAY))
            out += self.predecessor(o, creation, t0, te)
            creation, t0 = te, te
        lid = "%s.%s" % (o["bron"], rnd.hex(32))
        times = self.chain(t0, n_old)
        for k, t in enumerate(times):
            last = k == len(times) - 1
            geom = o["geom"] if last else self.moved(o["geom"])
            props = o["props"] if last else self.older_props(layer, o["props"])
            out.append(self.version(o, lid, creation, None, t, None if last else times[k + 1],
                                    geom, props))
        return out

    def in_2017(self):
        """Solitary trees and hedges were registered in 2017 (IMGeo plus, as in Otterlo)."""
        return int(self.rnd.u(secs(datetime.datetime(2017, 1, 10)),
                              secs(datetime.datetime(2017, 12, 20))))

    def first_registration(self, o):
        rnd = self.rnd
        if o["capture"] is not None:
            return int(o["capture"] + rnd.u(0, 90) * DAY)
        if o["props"].get("type") == "boom" and rnd.chance(0.9):
            return self.in_2017()
        return int(rnd.u(secs(datetime.datetime(2017, 1, 10)), self.end - 20 * DAY))

    def predecessor(self, o, creation, t0, te):
        """An object ended at te and replaced by o (same or slightly moved geometry)."""
        rnd = self.rnd
        lid = "%s.%s" % (o["bron"], rnd.hex(32))
        times = [t0]
        if rnd.chance(0.4):
            t1 = int(rnd.u(t0 + 30 * DAY, te - 10 * DAY)) if te - t0 > 60 * DAY else None
            if t1:
                times.append(t1)
        geom = self.moved(o["geom"])
        out = []
        for k, t in enumerate(times):
            end = times[k + 1] if k + 1 < len(times) else te
            out.append(self.version(o, lid, creation, te, t, end, geom, o["props"]))
        if rnd.chance(0.6):
            # PDOK lists the last version of a terminated object twice (two publications)
            dup = dict(out[-1])
            dup["lv"] = min(te + int(rnd.u(0.05, 2) * DAY), self.end - 3600)
            dup["gml_id"] = gml_id(rnd)
            out.append(dup)
        return out

    def older_props(self, layer, props):
        rnd = self.rnd
        p = dict(props)
        if layer == "begroeidterreindeel":
            if rnd.chance(0.05):
                p["class"] = "transitie"
            if p["class"] == "groenvoorziening" and rnd.chance(0.4):
                p["plus"] = "waardeOnbekend"
        elif layer == "wegdeel" and rnd.chance(0.3):
            p["plus"] = "waardeOnbekend"
        return p

    def version(self, o, lid, creation, termination, t, end, geom, props):
        return {"layer": o["layer"], "gml_id": gml_id(self.rnd), "lid": lid, "bron": o["bron"],
                "creation": creation, "termination": termination, "t": t, "end": end,
                "lv": self.lv(t), "level": o["level"], "geom": geom, "props": props,
                "onderzoek": self.rnd.chance(0.004)}

    def felled_trees(self, trees):
        """Trees registered in 2017 and felled later (terminated, no successor)."""
        rnd = self.rnd
        out = []
        for o in trees:
            if o["geom"][0] != "point" or not rnd.chance(0.05):
                continue
            x, y = o["geom"][1]
            ghost = {"layer": "vegetatieobject", "props": {"type": "boom"}, "bron": o["bron"],
                     "level": 0, "geom": ("point", (r3(x + rnd.u(-4, 4)), r3(y + rnd.u(-4, 4))))}
            t0 = self.in_2017()
            te = int(rnd.u(secs(datetime.datetime(2018, 3, 1)), self.end - 20 * DAY))
            out += self.predecessor(ghost, t0 - int(rnd.u(0, 3000) * DAY), t0, te)
        return out


def gml_id(rnd):
    h = rnd.hex(32)
    return "b%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:32])


def shift(geom, dx, dy):
    kind, g = geom
    mv = lambda pts: [(r3(x + dx), r3(y + dy)) for x, y in pts]
    if kind == "point":
        return (kind, (r3(g[0] + dx), r3(g[1] + dy)))
    if kind == "line":
        return (kind, [(k, mv(p)) for k, p in g])
    return (kind, [[(k, mv(p)) for k, p in ring] for ring in g])


# ---------------------------------------------------------------------------------------------
# GML

IMGEO_DEF = "http://www.geostandaarden.nl/imgeo/def/2.1#"
CITYGML = "http://www.opengis.net/citygml/2.0"
WATERBODY = "http://www.opengis.net/citygml/waterbody/2.0"
VOID = ("waardeOnbekend", "geenWaarde")
GML_NS = 'xmlns:gml="http://www.opengis.net/gml"'
SRS = 'srsName="urn:ogc:def:crs:EPSG::28992"'
HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<CityModel xmlns:gml="http://www.opengis.net/gml" '
    'xmlns:imgeo="http://www.geostandaarden.nl/imgeo/2.1" '
    'xmlns="http://www.opengis.net/citygml/2.0" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.geostandaarden.nl/imgeo/2.1 '
    'http://register.geostandaarden.nl/gmlapplicatieschema/imgeo/2.1.1/imgeo.xsd">\n')
FOOTER = "</CityModel>"
FEATURE_TAG = {
    "begroeidterreindeel": ("PlantCover", "http://www.opengis.net/citygml/vegetation/2.0"),
    "onbegroeidterreindeel": ("imgeo:OnbegroeidTerreindeel", None),
    "waterdeel": ("imgeo:Waterdeel", None),
    "ondersteunendwaterdeel": ("imgeo:OndersteunendWaterdeel", None),
    "wegdeel": ("TrafficArea", "http://www.opengis.net/citygml/transportation/2.0"),
    "ondersteunendwegdeel": ("AuxiliaryTrafficArea",
                             "http://www.opengis.net/citygml/transportation/2.0"),
    "vegetatieobject": ("SolitaryVegetationObject",
                        "http://www.opengis.net/citygml/vegetation/2.0"),
    "pand": ("BuildingPart", "http://www.opengis.net/citygml/building/2.0"),
    "overigbouwwerk": ("imgeo:OverigBouwwerk", None),
}
I = " " * 12


def prop(name, value, codelist=None, xmlns=None):
    """One property line as PDOK writes it; a void value (waardeOnbekend, geenWaarde) takes
    the VoidReasonValue code list."""
    attrs = ' xmlns="%s"' % xmlns if xmlns else ""
    if codelist:
        attrs += ' codeSpace="%s%s"' % (IMGEO_DEF, "VoidReasonValue" if value in VOID else codelist)
    return "%s<%s%s>%s</%s>\n" % (I, name, attrs, value, name)


def nil(name):
    return '%s<imgeo:%s xsi:nil="true" nilReason="waardeOnbekend" />\n' % (I, name)


def poslist(pts):
    return " ".join(["%.3f %.3f" % p for p in pts])


def segment_gml(kind, pts):
    tag = "gml:LineStringSegment" if kind == "L" else "gml:Arc"
    return '<%s><gml:posList srsDimension="2">%s</gml:posList></%s>' % (tag, poslist(pts), tag)


def ring_gml(segs):
    if len(segs) == 1 and segs[0][0] == "L":
        return ('<gml:LinearRing><gml:posList srsDimension="2">%s</gml:posList></gml:LinearRing>'
                % poslist(segs[0][1]))
    return ("<gml:Ring><gml:curveMember><gml:Curve><gml:segments>%s</gml:segments></gml:Curve>"
            "</gml:curveMember></gml:Ring>" % "".join(segment_gml(k, p) for k, p in segs))


def polygon_gml(rings, attrs=True):
    head = "<gml:Polygon %s %s>" % (GML_NS, SRS) if attrs else "<gml:Polygon>"
    inner = "".join("<gml:interior>%s</gml:interior>" % ring_gml(r) for r in rings[1:])
    return "%s<gml:exterior>%s</gml:exterior>%s</gml:Polygon>" % (head, ring_gml(rings[0]), inner)


def stamp(s, millis):
    return at(s).strftime("%Y-%m-%dT%H:%M:%S") + (".000" if millis else "")


def day(s):
    return at(s).strftime("%Y-%m-%d")


def feature_gml(v):
    """One version of one object: a cityObjectMember, properties in PDOK's order."""
    tag, ns = FEATURE_TAG[v["layer"]]
    out = ['    <cityObjectMember>\n        <%s%s gml:id="%s">\n'
           % (tag, ' xmlns="%s"' % ns if ns else "", v["gml_id"]),
           # PDOK indents this first property deeper than the others
           ' ' * 12 + prop("creationDate", day(v["creation"]), xmlns=CITYGML)]
    if v["termination"] is not None:
        out.append(prop("terminationDate", day(v["termination"]), xmlns=CITYGML))
    out.append(prop("imgeo:LV-publicatiedatum", stamp(v["lv"], False)))
    out.append(prop("imgeo:relatieveHoogteligging", v["level"]))
    out.append(prop("imgeo:inOnderzoek", "true" if v["onderzoek"] else "false"))
    if v["end"] is not None:
        out.append(prop("imgeo:eindRegistratie", stamp(v["end"], False)))
    out.append(prop("imgeo:tijdstipRegistratie", stamp(v["t"], True)))
    out.append(I + "<imgeo:identificatie>\n" + I + "    <imgeo:NEN3610ID>\n"
               + I + "        <imgeo:namespace>NL.IMGeo</imgeo:namespace>\n"
               + I + "        <imgeo:lokaalID>%s</imgeo:lokaalID>\n" % v["lid"]
               + I + "    </imgeo:NEN3610ID>\n" + I + "</imgeo:identificatie>\n")
    out.append(prop("imgeo:bronhouder", v["bron"]))
    out.append(prop("imgeo:bgt-status", "bestaand", "Status"))
    out.append(prop("imgeo:plus-status", "geenWaarde", "VoidReasonValue"))
    out.append(BODY[v["layer"]](v["props"], v["geom"]))
    out.append("        </%s>\n    </cityObjectMember>\n" % tag)
    return "".join(out)


def body_begroeid(p, g):
    return (prop("class", p["class"], "FysiekVoorkomenBegroeidTerrein")
            + prop("imgeo:geometrie2dBegroeidTerreindeel", polygon_gml(g[1]))
            + prop("imgeo:begroeidTerreindeelOpTalud", "false")
            + nil("kruinlijnBegroeidTerreindeel")
            + prop("imgeo:plus-fysiekVoorkomen", p["plus"], "FysiekVoorkomenBegroeidTerreinPlus"))


def body_onbegroeid(p, g):
    return (prop("imgeo:bgt-fysiekVoorkomen", p["fys"], "FysiekVoorkomenOnbegroeidTerrein")
            + prop("imgeo:onbegroeidTerreindeelOpTalud", "false")
            + prop("imgeo:plus-fysiekVoorkomen", p["plus"], "FysiekVoorkomenOnbegroeidTerreinPlus")
            + nil("kruinlijnOnbegroeidTerreindeel")
            + prop("imgeo:geometrie2dOnbegroeidTerreindeel", polygon_gml(g[1])))


def body_waterdeel(p, g):
    return (prop("class", p["class"], "TypeWater", xmlns=WATERBODY)
            + prop("imgeo:plus-type", p["plus"], "TypeWaterPlus")
            + prop("imgeo:geometrie2dWaterdeel", polygon_gml(g[1])))


def body_ondersteunendwaterdeel(p, g):
    return (prop("class", p["class"], "TypeOndersteunendWaterdeel", xmlns=WATERBODY)
            + prop("imgeo:plus-type", p["plus"], "VoidReasonValue")
            + prop("imgeo:geometrie2dOndersteunendWaterdeel", polygon_gml(g[1])))


def body_wegdeel(p, g):
    return (prop("function", p["function"], "FunctieWeg")
            + prop("surfaceMaterial", p["material"], "FysiekVoorkomenWeg")
            + nil("kruinlijnWegdeel")
            + prop("imgeo:geometrie2dWegdeel", polygon_gml(g[1]))
            + prop("imgeo:wegdeelOpTalud", "false")
            + prop("imgeo:plus-fysiekVoorkomenWegdeel", p["plus"], "FysiekVoorkomenWegPlus")
            + prop("imgeo:plus-functieWegdeel", p["plusfunctie"], "FunctieWegPlus"))


def body_ondersteunendwegdeel(p, g):
    return (prop("function", p["function"], "FunctieOndersteunendWegdeel")
            + prop("surfaceMaterial", p["material"], "FysiekVoorkomenOndersteunendWegdeel")
            + prop("imgeo:geometrie2dOndersteunendWegdeel", polygon_gml(g[1]))
            + prop("imgeo:ondersteunendWegdeelOpTalud", "false")
            + prop("imgeo:plus-functieOndersteunendWegdeel", "waardeOnbekend", "VoidReasonValue")
            + prop("imgeo:plus-fysiekVoorkomenOndersteunendWegdeel", p["plus"],
                   "FysiekVoorkomenOndersteunendWegdeelPlus")
            + nil("kruinlijnOndersteunendWegdeel"))


def body_vegetatieobject(p, g):
    if g[0] == "point":
        geom = ('<gml:Point %s %s><gml:pos srsDimension="2">%.3f %.3f</gml:pos></gml:Point>'
                % (GML_NS, SRS, g[1][0], g[1][1]))
    elif len(g[1]) == 1:
        geom = ('<gml:LineString %s %s><gml:posList srsDimension="2">%s</gml:posList>'
                '</gml:LineString>' % (GML_NS, SRS, poslist(g[1][0][1])))
    else:
        geom = ('<gml:Curve %s %s><gml:segments>%s</gml:segments></gml:Curve>'
                % (GML_NS, SRS, "".join(segment_gml(k, pts) for k, pts in g[1])))
    return (prop("class", "niet-bgt", "TypeVegetatieObject")
            + prop("imgeo:geometrie2dVegetatieObject", geom)
            + prop("imgeo:plus-type", p["type"], "TypeVegetatieObjectPlus"))


# the address label of a building, exactly as PDOK indents it
LABEL = """            <imgeo:nummeraanduidingreeks>
                <imgeo:Nummeraanduidingreeks>
                    <imgeo:nummeraanduidingreeks>
                        <imgeo:Label>
                            <imgeo:tekst>%s</imgeo:tekst>
                            <imgeo:positie>
                                <imgeo:Labelpositie>
                                    <imgeo:plaatsingspunt><gml:Point %s>
              <gml:pos>%.3f %.3f</gml:pos>
            </gml:Point></imgeo:plaatsingspunt>
                                    <imgeo:hoek>%s</imgeo:hoek>
                                </imgeo:Labelpositie>
                            </imgeo:positie>
                        </imgeo:Label>
                    </imgeo:nummeraanduidingreeks>
                    <imgeo:identificatieBAGVBOLaagsteHuisnummer>%s\
</imgeo:identificatieBAGVBOLaagsteHuisnummer>
                </imgeo:Nummeraanduidingreeks>
            </imgeo:nummeraanduidingreeks>
"""


def body_pand(p, g):
    rings = g[1]
    ms = ("<gml:MultiSurface %s><gml:surfaceMember>%s</gml:surfaceMember></gml:MultiSurface>"
          % (GML_NS, polygon_gml(rings, attrs=False)))
    out = prop("imgeo:identificatieBAGPND", p["bag"]) + prop("imgeo:geometrie2dGrondvlak", ms)
    if p.get("label"):
        pts = [q for seg in rings[0] for q in seg[1]]
        cx = round(sum(q[0] for q in pts) / len(pts))
        cy = round(sum(q[1] for q in pts) / len(pts))
        vbo = p["bag"][:4] + "01" + p["bag"][6:]
        out += LABEL % (p["number"], GML_NS, cx, cy, "0", vbo)
    return out


def body_overigbouwwerk(p, g):
    return (prop("imgeo:geometrie2dOverigeConstructie", polygon_gml(g[1]))
            + prop("imgeo:bgt-type", p["type"], "TypeOverigBouwwerk")
            + prop("imgeo:plus-type", "waardeOnbekend", "VoidReasonValue"))


BODY = {"begroeidterreindeel": body_begroeid, "onbegroeidterreindeel": body_onbegroeid,
        "waterdeel": body_waterdeel, "ondersteunendwaterdeel": body_ondersteunendwaterdeel,
        "wegdeel": body_wegdeel, "ondersteunendwegdeel": body_ondersteunendwegdeel,
        "vegetatieobject": body_vegetatieobject, "pand": body_pand,
        "overigbouwwerk": body_overigbouwwerk}


def write_zip(path, reg, rnd):
    """Writes the download; returns {layer: (features, current, ended, terminated)}."""
    hist = Versions(rnd, DOWNLOAD_DATE)
    per_layer = {n: [] for n in LAYERS}
    for o in reg.objs:
        if o["geom"] is not None:
            per_layer[o["layer"]].append(o)
    stats = {}
    stamp_ = (DOWNLOAD_DATE.year, DOWNLOAD_DATE.month, DOWNLOAD_DATE.day,
              DOWNLOAD_DATE.hour, DOWNLOAD_DATE.minute, 0)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name in ALL_FILES:
            layer = name[4:-4]
            info = zipfile.ZipInfo(name, date_time=stamp_)
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w", force_zip64=True) as f:
                f.write(HEADER.encode())
                if layer in per_layer:
                    n = [0, 0, 0, 0]
                    objs = per_layer[layer]
                    versions_of = (hist.of(o) for o in objs)
                    extra = hist.felled_trees(objs) if layer == "vegetatieobject" else []
                    buf = []
                    for vs in list(versions_of) + [extra]:
                        for v in vs:
                            buf.append(feature_gml(v))
                            n[0] += 1
                            n[1] += v["end"] is None
                            n[2] += v["end"] is not None
                            n[3] += v["termination"] is not None
                        if len(buf) > 2000:
                            f.write("".join(buf).encode())
                            buf = []
                    f.write("".join(buf).encode())
                    stats[layer] = tuple(n)
                f.write(FOOTER.encode())
    return stats


# ---------------------------------------------------------------------------------------------
# The check: read everything back with GDAL and the preset's templates.

def count_members(zf, name):
    """cityObjectMember elements in a file, counted in the text (independent of GDAL)."""
    n = 0
    tail = b""
    with zf.open(name) as f:
        while True:
            chunk = f.read(1 << 22)
            if not chunk:
                break
            data = tail + chunk
            n += data.count(b"<cityObjectMember>")
            tail = data[-20:]
            n -= tail.count(b"<cityObjectMember>")
    return n + tail.count(b"<cityObjectMember>")


def read_layer(lyr, layer, S, x0, y0, problems, surfaces):
    """Counts of one preset layer read by GDAL; adds its current level-0 surfaces to
    `surfaces` and returns their summed area."""
    from osgeo import ogr
    n = {"read": 0, "current": 0, "ended": 0, "terminated": 0, "arcs": 0, "area": 0.0}
    for f in lyr:
        n["read"] += 1
        g = f.GetGeometryRef()
        gid = f.GetField("gml_id")
        if g is None:
            problems.append("%s: feature %s without geometry" % (layer, gid))
            continue
        n["arcs"] += "CIRCULARSTRING" in g.ExportToIsoWkt()
        n["terminated"] += f.GetField("terminationDate") is not None
        if f.GetField("eindRegistratie") is not None:
            n["ended"] += 1
            continue
        n["current"] += 1
        if layer not in SURFACE_LAYERS or f.GetField("relatieveHoogteligging") != 0:
            continue
        lin = g.GetLinearGeometry()
        if not lin.IsValid():
            problems.append("%s: %s invalid" % (layer, gid))
        e = lin.GetEnvelope()
        if min(e[0] - x0, e[2] - y0) < -1e-6 or max(e[1] - x0, e[3] - y0) > S + 1e-6:
            problems.append("%s: %s outside the square" % (layer, gid))
        n["area"] += lin.GetArea()
        multi = lin.GetGeometryType() == ogr.wkbMultiPolygon
        for k in range(lin.GetGeometryCount()) if multi else [-1]:
            surfaces.AddGeometry(lin if k < 0 else lin.GetGeometryRef(k))
    return n


def check(path, S, x0, y0):
    """Reads the zip back with GDAL and the preset's templates; prints the counts and the
    tiling check; True when everything holds."""
    from osgeo import gdal, ogr
    gdal.UseExceptions()
    problems, messages = [], []
    gdal.PushErrorHandler(lambda cls, num, msg: messages.append(msg)
                          if cls >= gdal.CE_Warning else None)
    zf = zipfile.ZipFile(path)
    if zf.namelist() != ALL_FILES:
        problems.append("the zip's files differ from the PDOK download's 35 files")
    surfaces = ogr.Geometry(ogr.wkbMultiPolygon)
    total = 0.0
    cols = ("read", "current", "ended", "terminated", "arcs")
    print("%-24s %9s" % ("layer", "in text") + "".join(" %10s" % c for c in cols) + " %7s"
          % "errors")
    for name in ALL_FILES:
        layer = name[4:-4]
        expected = count_members(zf, name)
        before = len(messages)
        gfs = os.path.join(TEMPLATES, "bgt_%s.gfs" % layer)
        try:
            ds = gdal.OpenEx("/vsizip/%s/%s" % (os.path.abspath(path), name), gdal.OF_VECTOR,
                             open_options=["GFS_TEMPLATE=" + gfs] if os.path.exists(gfs) else [])
        except RuntimeError as e:
            if expected:
                problems.append("%s: GDAL cannot open it: %s" % (name, e))
            else:
                print("%-24s %9d  (GDAL cannot open a GML file without features with a template)"
                      % (layer, expected))
            del messages[before:]
            continue
        if layer not in LAYERS:
            got = sum(ds.GetLayer(k).GetFeatureCount() for k in range(ds.GetLayerCount()))
            if got or expected or len(messages) > before:
                problems.append("%s: %d features, %d in text" % (name, got, expected))
            continue
        n = read_layer(ds.GetLayer(0), layer, S, x0, y0, problems, surfaces)
        total += n["area"]
        errors = len(messages) - before
        print("%-24s %9d" % (layer, expected) + "".join(" %10d" % n[c] for c in cols)
              + " %7d" % errors)
        if n["read"] != expected:
            problems.append("%s: GDAL read %d of %d features" % (name, n["read"], expected))
        if errors:
            problems.append("%s: %d GDAL messages, first: %s" % (name, errors, messages[before]))
    gdal.PopErrorHandler()
    union = surfaces.UnionCascaded().GetArea()
    print("current level-0 surfaces: summed area %.1f m2 = %.6f of the square (%.1f m2); "
          "their union %.1f m2" % (total, total / (S * S), S * S, union))
    if abs(total / (S * S) - 1) > 0.001:
        problems.append("current surfaces sum to %.4f%% of the square, not 100%% (+-0.1%%)"
                        % (total / (S * S) * 100))
    if abs(union / total - 1) > 0.001:
        problems.append("current surfaces overlap: union %.1f m2, sum %.1f m2" % (union, total))
    for p in problems[:20]:
        print("PROBLEM:", p)
    print("check: %s" % ("OK" if not problems else "%d problems" % len(problems)))
    return not problems


def print_stats(path, stats, km2, seconds):
    print("%s: %.0f km2, %.1f MB (%.1f s)" % (path, km2, os.path.getsize(path) / 1e6, seconds))
    print("%-24s %9s %9s %9s %9s %10s %10s" % ("layer", "features", "current", "ended",
                                                "termin.", "feat./km2", "curr./km2"))
    for layer in LAYERS:
        n = stats[layer]
        print("%-24s %9d %9d %9d %9d %10.0f %10.0f"
              % (layer, n[0], n[1], n[2], n[3], n[0] / km2, n[1] / km2))
    total = [sum(s[k] for s in stats.values()) for k in range(2)]
    print("%-24s %9d %9d %9s %9s %10.0f %10.0f"
          % ("all", total[0], total[1], "", "", total[0] / km2, total[1] / km2))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", help="zip to write")
    ap.add_argument("--km", type=float, default=10.0, help="side of the square in km (default 10)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--origin", type=float, nargs=2, default=[170000.0, 440000.0],
                    metavar=("X", "Y"),
                    help="south-west corner in EPSG:28992 (default 170000 440000)")
    ap.add_argument("--check", action="store_true", help="read the written zip back with GDAL")
    ap.add_argument("--check-only", metavar="ZIP",
                    help="only check an existing zip (give its --km and --origin)")
    a = ap.parse_args()
    S = a.km * 1000.0
    x0, y0 = a.origin
    if a.check_only:
        return 0 if check(a.check_only, S, x0, y0) else 1
    if not a.out:
        ap.error("--out is required")
    t = time.time()
    rnd = Rand(a.seed)
    reg = build(S, x0, y0, rnd)
    print("layout: %d current objects (%.1f s)"
          % (sum(o["geom"] is not None for o in reg.objs), time.time() - t), file=sys.stderr)
    stats = write_zip(a.out, reg, rnd)
    print_stats(a.out, stats, (S / 1000.0) ** 2, time.time() - t)
    if a.check:
        return 0 if check(a.out, S, x0, y0) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
