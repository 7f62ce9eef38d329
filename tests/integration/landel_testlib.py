"""Helpers for the integration tests: running the binary, reading its outputs and an
independent re-computation of the measurement with OGR + shapely (not landel's code).

The re-computation follows CONTRACT.md's measurement semantics literally:
  rural land R = area - union(masks)
  footprints: line -> buffer(w/2, 32 segments per quarter circle, flat caps, round joins),
              point -> buffer(d/2, 32), polygon -> itself (repaired when invalid)
  max_patch_ha: union of the source's polygons, split into connected parts, parts whose
              area exceeds the limit dropped whole (before any clipping)
  element_ha = area(union(all footprints) & R); ha_<type> by precedence of types.order.
"""

import csv
import io
import math
import random
import sqlite3
import struct
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path

from osgeo import gdal, ogr, osr
import shapely.wkb
from shapely.geometry import GeometryCollection, MultiPolygon, Polygon
from shapely.ops import unary_union

try:  # shapely >= 1.8
    from shapely.validation import make_valid as _make_valid
except ImportError:  # pragma: no cover - older shapely
    _make_valid = None

gdal.UseExceptions()
ogr.UseExceptions()
osr.UseExceptions()

ERROR_PREFIX = "landel: error: "
WARNING_PREFIX = "landel: warning: "

# shapely 1.8 style codes
CAP_FLAT = 2
JOIN_ROUND = 1
QUAD_SEGS = 32

# Four 1 km tiles over the middle of the real Otterlo BGT download (its rim is partly outside
# its extent): the areas of the tests on real BGT networks and siting.
OTTERLO_TILES = {f"T{i}{j}": (180130 + 1000 * i, 456010 + 1000 * j, 181130 + 1000 * i, 457010 + 1000 * j)
                 for i in range(2) for j in range(2)}

FIXED_COLUMNS_HEAD = ["area_id", "area_name", "class", "area_ha", "rural_ha", "nodata_ha"]


# --------------------------------------------------------------------------- running

@dataclass
class RunResult:
    proc: subprocess.CompletedProcess
    out: Path
    config: Path

    def ok(self):
        return self.proc.returncode == 0

    def describe(self):
        return describe(self.proc)


def run_binary(binary, args, cwd=None, timeout=900, check=False):
    cmd = [str(binary)] + [str(a) for a in args]
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:  # a hang is a failure, with what it printed
        raise AssertionError(f"landel timed out after {timeout}s: {cmd}\n"
                             f"stderr so far:\n{exc.stderr}") from None
    if check and proc.returncode != 0:
        raise AssertionError(f"landel failed:\n{describe(proc)}")
    return proc


def describe(proc):
    return (f"command: {' '.join(map(str, proc.args))}\nexit code: {proc.returncode}\n"
            f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}")


def error_lines(stderr):
    return [ln for ln in stderr.splitlines() if ln.startswith(ERROR_PREFIX)]


def warning_lines(stderr):
    return [ln for ln in stderr.splitlines() if ln.startswith(WARNING_PREFIX)]


def dedent_config(text):
    text = textwrap.dedent(text)
    return text.lstrip("\n")


def line_of(text, needle, occurrence=1):
    """1-based line number of the `occurrence`-th line that is `needle` (stripped), or,
    when no line is exactly that, the `occurrence`-th line containing it."""
    lines = text.splitlines()
    for match in (lambda ln: ln.strip() == needle.strip(), lambda ln: needle in ln):
        seen = 0
        for number, line in enumerate(lines, start=1):
            if match(line):
                seen += 1
                if seen == occurrence:
                    return number
    raise ValueError(f"{needle!r} not in config text")


def section_line(text, line):
    """Line number of the [table] / [[array]] header that holds config line `line`."""
    lines = text.splitlines()
    for number in range(line, 0, -1):
        if lines[number - 1].lstrip().startswith("["):
            return number
    return 1


def tmp_siblings(out):
    """Folders/files beside `out` whose name starts with out.name + '.tmp'."""
    out = Path(out)
    if not out.parent.is_dir():
        return []
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(out.name + ".tmp"))


# --------------------------------------------------------------------------- TOML

def load_toml(path):
    import tomllib
    with open(path, "rb") as fh:
        return tomllib.load(fh)


# --------------------------------------------------------------------------- CSV

def read_csv(path):
    """(header, rows as dicts of strings) of a landel CSV."""
    text = Path(path).read_text(encoding="utf-8")
    reader = csv.reader(io.StringIO(text))
    rows = list(reader)
    header, body = rows[0], rows[1:]
    return header, [dict(zip(header, r)) for r in body], body


def num(value):
    """CSV cell -> float, or None for an empty cell."""
    if value is None or value == "":
        return None
    return float(value)


def config_types(cfg):
    """types in ranking order: types.order, else order of first appearance in [[elements]]."""
    order = cfg.get("types", {}).get("order")
    if order:
        return list(order)
    seen = []
    for src in cfg.get("elements", []):
        names = [src["type"]] if "type" in src else list(src.get("types", {}).values())
        for t in names:
            if t not in seen:
                seen.append(t)
    return seen


def config_milestones(cfg):
    ms = cfg.get("targets", {}).get("milestone")
    if not ms:
        return [(2030, 0.05), (2050, 0.10)]
    return [(int(m["year"]), float(m["share"])) for m in ms]


def config_mask_names(cfg):
    names = []
    for m in cfg.get("rural", {}).get("exclude", []):
        name = m.get("name")
        if name and name not in names:
            names.append(name)
    return names


def resolve(cfg_path, p):
    p = Path(p)
    return p if p.is_absolute() else (Path(cfg_path).parent / p)


_KIND_OF_OGR_TYPE = {
    ogr.wkbPoint: "point", ogr.wkbMultiPoint: "point",
    ogr.wkbLineString: "line", ogr.wkbMultiLineString: "line", ogr.wkbCircularString: "line",
    ogr.wkbCompoundCurve: "line", ogr.wkbMultiCurve: "line",
    ogr.wkbPolygon: "polygon", ogr.wkbMultiPolygon: "polygon", ogr.wkbCurvePolygon: "polygon",
    ogr.wkbMultiSurface: "polygon",
}


def source_kinds(cfg_path, cfg):
    """type -> set of geometry kinds ('line', 'point', 'polygon') of its element sources,
    from the layer's declared geometry type (its features' types when that is generic)."""
    kinds = {}
    for src in cfg.get("elements", []):
        path = resolve(cfg_path, src["path"])
        ds = open_vector(path)
        lyr = ds.GetLayerByName(src["layer"]) if src.get("layer") else ds.GetLayer(0)
        kind = _KIND_OF_OGR_TYPE.get(ogr.GT_Flatten(lyr.GetGeomType()))
        del lyr
        ds = None
        if "type" in src:
            src_types = [src["type"]]
        else:
            src_types = list(dict.fromkeys(src.get("types", {}).values()))
        if kind is not None:
            for t in src_types:
                kinds.setdefault(t, set()).add(kind)
            continue
        for f in read_features(path, src.get("layer"), src.get("where")):
            t = feature_type(src, f.attrs)
            if t is not None and f.geom is not None:
                kinds.setdefault(t, set()).add(geom_kind(f.geom))
    return kinds


def measured_columns(header):
    """The measurement columns of area_bid.csv: everything before the bid columns, which
    start at `bid_region`."""
    return header[:header.index("bid_region")] if "bid_region" in header else list(header)


def expected_columns(cfg_path, cfg):
    """The exact area_bid.csv column list by INTERFACE-NOTES' rules."""
    types = config_types(cfg)
    ms = config_milestones(cfg)
    kinds = source_kinds(cfg_path, cfg)
    cols = list(FIXED_COLUMNS_HEAD)
    cols += [f"excl_{n}_ha" for n in config_mask_names(cfg)]
    cols += ["element_ha", "share_pct"]
    cols += [f"ha_{t}" for t in types]
    cols += [f"target_{y}_ha" for y, _ in ms]
    cols += [f"gap_{y}_ha" for y, _ in ms]
    cols += ["status"]
    cols += [f"{t}_m" for t in types if "line" in kinds.get(t, set())]
    cols += [f"{t}_count" for t in types if "point" in kinds.get(t, set())]
    return cols


# --------------------------------------------------------------------------- reading vectors

@dataclass
class Feature:
    fid: int
    attrs: dict
    geom: object  # shapely geometry (2D, linear), possibly invalid


def ogr_to_shapely(g):
    if g is None:
        return None
    g = g.Clone()
    if g.HasCurveGeometry():
        g = g.GetLinearGeometry()
    g.FlattenTo2D()
    if g.IsEmpty():
        return GeometryCollection()
    return shapely.wkb.loads(bytes(g.ExportToWkb(ogr.wkbNDR)))


def open_vector(path):
    ds = gdal.OpenEx(str(path), gdal.OF_VECTOR | gdal.OF_READONLY)
    if ds is None:
        raise FileNotFoundError(path)
    return ds


def read_features(path, layer=None, where=None):
    ds = open_vector(path)
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    if where:
        lyr.SetAttributeFilter(where)
    defn = lyr.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    feats = []
    lyr.ResetReading()
    for f in lyr:
        attrs = {n: (f.GetField(n) if f.IsFieldSetAndNotNull(n) else None) for n in names}
        feats.append(Feature(f.GetFID(), attrs, ogr_to_shapely(f.GetGeometryRef())))
    del lyr
    ds = None
    return feats


def layer_srs(path, layer=None):
    ds = open_vector(path)
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    srs = lyr.GetSpatialRef()
    srs = srs.Clone() if srs is not None else None
    del lyr
    ds = None
    return srs


def geom_kind(g):
    t = g.geom_type
    if t in ("Polygon", "MultiPolygon"):
        return "polygon"
    if t in ("LineString", "MultiLineString", "LinearRing"):
        return "line"
    if t in ("Point", "MultiPoint"):
        return "point"
    return "other"


def polygons_only(g):
    if g.is_empty:
        return MultiPolygon()
    if g.geom_type == "Polygon":
        return g
    if g.geom_type == "MultiPolygon":
        return g
    parts = []
    for p in getattr(g, "geoms", []):
        q = polygons_only(p)
        if not q.is_empty:
            parts.extend([q] if q.geom_type == "Polygon" else list(q.geoms))
    return MultiPolygon(parts) if parts else MultiPolygon()


def repair(g):
    """A valid polygonal version of g (GEOS make-valid, else buffer(0))."""
    if g.is_valid:
        return g
    fixed = _make_valid(g) if _make_valid is not None else g.buffer(0)
    return polygons_only(fixed)


def polygon_parts(g):
    if g.is_empty:
        return []
    if g.geom_type == "Polygon":
        return [g]
    return [p for p in getattr(g, "geoms", []) if p.geom_type == "Polygon"]


# --------------------------------------------------------------------------- independent measurement

def feature_type(src, attrs):
    if "type" in src:
        return src["type"]
    value = attrs.get(src["type_field"])
    if value is None:
        return None
    return src.get("types", {}).get(str(value))


def feature_width(src, attrs):
    w = None
    if src.get("width_field"):
        w = attrs.get(src["width_field"])
    if w is None:
        w = src.get("width_m")
    return None if w is None else float(w)


def source_footprints(cfg_path, src):
    """type -> list of footprints, plus line features and point features per type."""
    feats = read_features(resolve(cfg_path, src["path"]), src.get("layer"), src.get("where"))
    shapes, lines, points = {}, {}, {}
    polys_by_type = {}
    for f in feats:
        t = feature_type(src, f.attrs)
        if t is None or f.geom is None or f.geom.is_empty:
            continue
        kind = geom_kind(f.geom)
        if kind == "polygon":
            polys_by_type.setdefault(t, []).append(repair(f.geom))
        elif kind == "line":
            w = feature_width(src, f.attrs)
            assert w is not None and w > 0, f"test data: line {f.fid} without width"
            shapes.setdefault(t, []).append(
                f.geom.buffer(w / 2.0, resolution=QUAD_SEGS, cap_style=CAP_FLAT,
                              join_style=JOIN_ROUND))
            lines.setdefault(t, []).append(f.geom)
        elif kind == "point":
            d = feature_width(src, f.attrs)
            assert d is not None and d > 0, f"test data: point {f.fid} without diameter"
            shapes.setdefault(t, []).append(f.geom.buffer(d / 2.0, resolution=QUAD_SEGS))
            pts = [f.geom] if f.geom.geom_type == "Point" else list(f.geom.geoms)
            points.setdefault(t, []).extend(pts)
    limit = src.get("max_patch_ha")
    if limit is not None:
        # judged over the whole source (all its types together), before any clipping
        all_polys = [p for ps in polys_by_type.values() for p in ps]
        merged = unary_union(all_polys) if all_polys else MultiPolygon()
        kept_patches = [p for p in polygon_parts(merged) if p.area <= float(limit) * 1e4]
        kept = unary_union(kept_patches) if kept_patches else MultiPolygon()
        if len(polys_by_type) == 1:
            t = next(iter(polys_by_type))
            shapes.setdefault(t, []).extend(kept_patches)
        else:
            for t, ps in polys_by_type.items():
                shapes.setdefault(t, []).append(unary_union(ps).intersection(kept))
    else:
        for t, ps in polys_by_type.items():
            shapes.setdefault(t, []).extend(ps)
    return shapes, lines, points


@dataclass
class AreaExpect:
    area_id: str
    area_name: str
    area_ha: float
    rural_ha: float
    excl: dict
    element_ha: float
    ha: dict
    lengths: dict
    counts: dict


def independent_measure(cfg_path):
    """Per area_id an AreaExpect, computed with shapely from the config's inputs."""
    cfg_path = Path(cfg_path)
    cfg = load_toml(cfg_path)
    types = config_types(cfg)

    alayer = cfg["areas"]["layers"][0]
    afeats = read_features(resolve(cfg_path, alayer["path"]), alayer.get("layer"),
                           alayer.get("where"))
    id_field, name_field = alayer.get("id_field"), alayer.get("name_field")
    areas = []
    for f in afeats:
        aid = str(f.attrs[id_field]) if id_field else str(f.fid)
        name = "" if not name_field or f.attrs.get(name_field) is None else str(f.attrs[name_field])
        areas.append((aid, name, repair(f.geom)))

    if "study_area" in cfg:
        sa = cfg["study_area"]
        sfeats = read_features(resolve(cfg_path, sa["path"]), sa.get("layer"), sa.get("where"))
        study = unary_union([repair(f.geom) for f in sfeats])
        areas = [(a, n, g.intersection(study)) for a, n, g in areas]

    masks_named = {}
    all_masks = []
    for m in cfg.get("rural", {}).get("exclude", []):
        feats = read_features(resolve(cfg_path, m["path"]), m.get("layer"), m.get("where"))
        gs = [repair(f.geom) for f in feats if f.geom is not None and not f.geom.is_empty]
        all_masks.extend(gs)
        if m.get("name"):
            masks_named.setdefault(m["name"], []).extend(gs)
    mask_union = unary_union(all_masks) if all_masks else MultiPolygon()
    named_union = {n: unary_union(gs) if gs else MultiPolygon() for n, gs in masks_named.items()}

    shapes, lines, points = {}, {}, {}
    for src in cfg.get("elements", []):
        s, l, p = source_footprints(cfg_path, src)
        for t, v in s.items():
            shapes.setdefault(t, []).extend(v)
        for t, v in l.items():
            lines.setdefault(t, []).extend(v)
        for t, v in p.items():
            points.setdefault(t, []).extend(v)
    type_union = {t: unary_union(shapes.get(t, [])) if shapes.get(t) else MultiPolygon()
                  for t in types}

    result = {}
    for aid, name, geom in areas:
        rural = geom.difference(mask_union) if not mask_union.is_empty else geom
        excl = {n: geom.intersection(u).area / 1e4 for n, u in named_union.items()}
        owned_before = MultiPolygon()
        ha = {}
        for t in types:
            inside = type_union[t].intersection(rural)
            ha[t] = inside.difference(owned_before).area / 1e4 if not owned_before.is_empty \
                else inside.area / 1e4
            owned_before = unary_union([owned_before, inside])
        element = owned_before.area / 1e4
        lengths = {t: sum(ln.intersection(rural).length for ln in lines[t]) for t in lines}
        counts = {t: sum(1 for pt in points[t] if rural.intersects(pt)) for t in points}
        result[aid] = AreaExpect(aid, name, geom.area / 1e4, rural.area / 1e4, excl, element,
                                 ha, lengths, counts)
    return result


def expected_targets(rural_ha, element_ha, milestones):
    """(targets by year, gaps by year, status) per CONTRACT.md."""
    targets, gaps = {}, {}
    for year, share in milestones:
        targets[year] = share * rural_ha
        gap = max(0.0, targets[year] - element_ha)
        gaps[year] = 0.0 if gap < 0.0001 else gap
    if rural_ha < 0.0001:
        status = "no_rural_land"
    else:
        met = [y for y, _ in milestones if gaps[y] == 0.0]
        status = f"met_{max(met)}" if met else f"below_{milestones[0][0]}"
    return targets, gaps, status


def share_from_rounded_ok(share_text, element_text, rural_text):
    """share_pct equals 100*element_ha/rural_ha, allowing for the 6-decimal rounding of all
    three printed numbers."""
    share, el, ru = float(share_text), float(element_text), float(rural_text)
    ratio = 100.0 * el / ru
    slack = 100.0 * (0.5e-6 / ru + el * 0.5e-6 / (ru * (ru - 0.5e-6))) + 0.5e-6
    return abs(share - ratio) <= slack * 1.01 + 1e-12


def close(a, b, rel=1e-6, abs_=1e-6):
    return abs(a - b) <= max(rel * max(abs(a), abs(b)), abs_)


# --------------------------------------------------------------------------- GeoPackage outputs

def read_output_layer(gpkg, layer):
    """(srs, [(attrs, shapely geom)]) of an output layer."""
    ds = open_vector(gpkg)
    lyr = ds.GetLayerByName(layer)
    assert lyr is not None, f"{gpkg} has no layer {layer!r}"
    srs = lyr.GetSpatialRef()
    srs = srs.Clone() if srs is not None else None
    defn = lyr.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    rows = []
    for f in lyr:
        attrs = {n: (f.GetField(n) if f.IsFieldSetAndNotNull(n) else None) for n in names}
        rows.append((attrs, ogr_to_shapely(f.GetGeometryRef())))
    del lyr
    ds = None
    return srs, names, rows


def layer_names(gpkg):
    ds = open_vector(gpkg)
    names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
    ds = None
    return names


def epsg_srs(code):
    s = osr.SpatialReference()
    s.ImportFromEPSG(code)
    return s


# --------------------------------------------------------------------------- writing test data

def shuffled_copy(src, dst, seed):
    """Copy every vector layer of `src` into a new GeoPackage `dst` with the features in a
    shuffled order (fixed seed) and new FIDs; schema, CRS and geometries unchanged."""
    rng = random.Random(seed)
    sds = open_vector(src)
    drv = ogr.GetDriverByName("GPKG")
    dds = drv.CreateDataSource(str(dst))
    for i in range(sds.GetLayerCount()):
        sl = sds.GetLayer(i)
        defn = sl.GetLayerDefn()
        dl = dds.CreateLayer(sl.GetName(), sl.GetSpatialRef(), sl.GetGeomType(),
                             options=["SPATIAL_INDEX=YES"])
        for k in range(defn.GetFieldCount()):
            dl.CreateField(defn.GetFieldDefn(k))
        feats = [f.Clone() for f in sl]
        rng.shuffle(feats)
        ddefn = dl.GetLayerDefn()
        dl.StartTransaction()
        for f in feats:
            nf = ogr.Feature(ddefn)
            nf.SetFrom(f)
            nf.SetFID(-1)  # new FIDs, in the new order
            dl.CreateFeature(nf)
        dl.CommitTransaction()
    dds.FlushCache()
    dds = None
    sds = None


def write_vector(path, layer, geom_type, features, fields=(), epsg=28992, driver="GPKG",
                 srs=True, mode="w"):
    """Write a small vector file. features: [(geometry as WKT or ogr.Geometry, {field: v})].
    fields: [(name, ogr field type)]. srs=False writes no CRS (a shapefile gets no .prj)."""
    drv = ogr.GetDriverByName(driver)
    path = Path(path)
    if mode == "w" and path.exists():
        drv.DeleteDataSource(str(path))
    ds = drv.Open(str(path), 1) if (mode == "a" and path.exists()) else \
        drv.CreateDataSource(str(path))
    ref = epsg_srs(epsg) if srs else None
    lyr = ds.CreateLayer(layer, ref, geom_type)
    for name, ftype in fields:
        lyr.CreateField(ogr.FieldDefn(name, ftype))
    defn = lyr.GetLayerDefn()
    for geom, attrs in features:
        f = ogr.Feature(defn)
        for k, v in attrs.items():
            if v is None:
                f.SetFieldNull(k)
            else:
                f.SetField(k, v)
        if isinstance(geom, str):
            geom = ogr.CreateGeometryFromWkt(geom)
        f.SetGeometry(geom)
        lyr.CreateFeature(f)
    ds.FlushCache()
    ds = None
    return path


def _gpkg_blob(srs_id, wkb):
    """A GeoPackage geometry blob: header without envelope, little-endian WKB."""
    return b"GP" + bytes([0, 0x01]) + struct.pack("<i", srs_id) + wkb


def wkb_point(x, y):
    return struct.pack("<BIdd", 1, 1, x, y)


def wkb_linestring(points):
    return struct.pack("<BII", 1, 2, len(points)) + \
        b"".join(struct.pack("<dd", x, y) for x, y in points)


def write_gpkg_with_raw_geometries(path, layer, geom_type, fields, features, epsg=28992):
    """A GeoPackage layer whose geometries are given as raw WKB (so that NaN/Inf coordinates
    reach the file exactly; OGR itself would write a NaN point as POINT EMPTY).
    features: [(fid, wkb bytes, {field: value})]. No spatial index (its triggers need
    GDAL's SQL functions)."""
    drv = ogr.GetDriverByName("GPKG")
    ds = drv.CreateDataSource(str(path))
    lyr = ds.CreateLayer(layer, epsg_srs(epsg), geom_type,
                         options=["SPATIAL_INDEX=NO", "GEOMETRY_NAME=geom"])
    for name, ftype in fields:
        lyr.CreateField(ogr.FieldDefn(name, ftype))
    placeholder = "POINT (0 0)" if ogr.GT_Flatten(geom_type) == ogr.wkbPoint \
        else "LINESTRING (0 0, 1 1)"
    for fid, _, attrs in features:
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetFID(fid)
        for k, v in attrs.items():
            f.SetField(k, v)
        f.SetGeometry(ogr.CreateGeometryFromWkt(placeholder))
        lyr.CreateFeature(f)
    ds = None
    con = sqlite3.connect(str(path))
    try:
        for fid, wkb, _ in features:
            con.execute(f'UPDATE "{layer}" SET geom = ? WHERE fid = ?',
                        (_gpkg_blob(epsg, wkb), fid))
        con.commit()
    finally:
        con.close()
    return path


# --------------------------------------------------------------------------- raster references

class CellPolygons:
    """The cells of an integer code grid as polygons (GDAL Polygonize, 4-connected, no mask:
    every code, negative markers for nodata included, becomes polygons), for an independent
    polygon reference of raster measurement. Polygons of one code never overlap, polygons
    of different codes only share edges, so areas of pieces add up."""

    def __init__(self, codes, geotransform):
        import warnings

        import numpy as np
        from shapely.strtree import STRtree

        codes = np.ascontiguousarray(codes, dtype=np.int32)
        rows, cols = codes.shape
        rds = gdal.GetDriverByName("MEM").Create("", cols, rows, 1, gdal.GDT_Int32)
        rds.SetGeoTransform(tuple(geotransform))
        band = rds.GetRasterBand(1)
        band.WriteArray(codes)
        vds = ogr.GetDriverByName("Memory").CreateDataSource("cells")
        lyr = vds.CreateLayer("cells", None, ogr.wkbPolygon)
        lyr.CreateField(ogr.FieldDefn("code", ogr.OFTInteger))
        gdal.Polygonize(band, None, lyr, 0, [])
        self.codes, self.polys = [], []
        for f in lyr:
            self.codes.append(f.GetField(0))
            self.polys.append(shapely.wkb.loads(bytes(f.GetGeometryRef().ExportToWkb())))
        del lyr
        vds = rds = None
        self._index = {id(p): i for i, p in enumerate(self.polys)}
        with warnings.catch_warnings():  # shapely 1.8 announces the 2.0 interface
            warnings.simplefilter("ignore")
            self._tree = STRtree(self.polys)
        gx, gy = geotransform[1], geotransform[5]
        self.cell_area = abs(gx * gy)
        x0, y0 = geotransform[0], geotransform[3]
        self.extent = Polygon([(x0, y0), (x0 + cols * gx, y0), (x0 + cols * gx, y0 + rows * gy),
                               (x0, y0 + rows * gy)])

    def pieces(self, region, codes=None):
        """[(code, cell polygon ∩ region)] for the polygons of `codes` (all when None)."""
        from shapely.prepared import prep

        out = []
        if region.is_empty:
            return out
        pr = prep(region)
        for item in self._tree.query(region):
            # shapely 1.8 returns geometries, shapely 2 indices
            i = self._index[id(item)] if hasattr(item, "geom_type") else int(item)
            p, code = self.polys[i], self.codes[i]
            if codes is not None and code not in codes:
                continue
            if pr.contains(p):
                out.append((code, p))
            elif pr.intersects(p):
                piece = polygons_only(region.intersection(p))
                if not piece.is_empty:
                    out.append((code, piece))
        return out

    def areas_in(self, region, codes=None):
        """{code: m² of region covered by that code's cells} (exact polygon intersections)."""
        out = {}
        for code, piece in self.pieces(region, codes):
            out[code] = out.get(code, 0.0) + piece.area
        return out

    def union_in(self, region, codes):
        """region ∩ (the cells of `codes`), one geometry."""
        parts = [piece for _, piece in self.pieces(region, codes)]
        return unary_union(parts) if parts else MultiPolygon()
