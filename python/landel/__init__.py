"""landel: exact green-blue landscape element shares per area, from Python.

A thin layer over the same C++ engine and pipeline as the ``landel`` command:

* :func:`run` does what ``landel run`` does (a config file or a dict) and gives the results
  back as pandas / GeoPandas objects;
* :func:`measure` measures straight from GeoDataFrames (no files);
* :func:`coverage_fractions` and :func:`zonal_class_areas` work on numpy grids.

The GIL is released while the engine works, so other Python threads keep running. Engine
errors arrive as :class:`landel.Error` (and its subclasses) with the CLI's one-line messages.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, Union

import numpy as np

from . import _landel
from ._landel import (  # noqa: F401  (re-exported)
    Cancelled,
    ConfigError,
    Error,
    GeometryError,
    InputOutputError,
    InvalidInput,
    __version__,
)
from ._toml import dumps as _toml_dumps

__all__ = [
    "run", "Result", "measure", "coverage_fractions", "zonal_class_areas",
    "Error", "ConfigError", "InvalidInput", "InputOutputError", "GeometryError", "Cancelled",
    "__version__",
]

Progress = Callable[[float, str], Optional[bool]]


# --------------------------------------------------------------------------------------- run

@dataclass
class Result:
    """The outputs of a run, read lazily from its output folder."""

    output: Path
    warnings: list = field(default_factory=list)
    _keep: Any = None  # a TemporaryDirectory that must live as long as the result

    @property
    def table(self):
        """area_bid.csv as a pandas DataFrame (area_id as text, figures as float)."""
        import pandas as pd
        return pd.read_csv(self.output / "area_bid.csv", dtype={"area_id": str, "area_name": str, "class": str},
                           keep_default_na=False, na_values={"share_pct": [""]})

    @property
    def areas(self):
        """The ``areas`` layer of areas.gpkg: every column at full precision, with its CRS."""
        return _read_layer(self.output / "areas.gpkg", "areas")

    @property
    def elements(self):
        """The ``elements`` layer: per area and type the owned element geometry."""
        return _read_layer(self.output / "areas.gpkg", "elements")

    @property
    def summary(self) -> dict:
        """summary.json, the run manifest."""
        return json.loads((self.output / "summary.json").read_text(encoding="utf-8"))


def _read_layer(path, layer):
    import geopandas as gpd
    return gpd.read_file(path, layer=layer)


def run(config: Union[str, os.PathLike, Mapping[str, Any]], out: Union[str, os.PathLike, None] = None, *,
        overwrite: bool = False, threads: int = 0, progress: Optional[Progress] = None) -> Result:
    """Runs a landel config like ``landel run`` and returns its :class:`Result`.

    ``config`` is the path of a TOML file, or a dict with the same structure (relative paths
    in a dict resolve against the current folder). ``out`` overrides ``run.output``; with
    neither, the outputs go to a temporary folder that lives as long as the result.
    ``progress(fraction, stage)`` is called now and then from worker threads; returning
    False stops the run (:class:`landel.Cancelled`).
    """
    keep = None
    if out is None and (isinstance(config, Mapping) or not _has_output(config)):
        keep = tempfile.TemporaryDirectory(prefix="landel-")
        out = Path(keep.name) / "out"
    out_text = None if out is None else os.fspath(out)
    if isinstance(config, Mapping):
        outcome = _landel.run_text(_toml_dumps(config), os.path.join(os.getcwd(), "<dict>.toml"), out_text,
                                   overwrite, threads, progress)
    else:
        outcome = _landel.run_file(os.fspath(config), out_text, overwrite, threads, progress)
    return Result(Path(outcome["output"]), list(outcome["warnings"]), keep)


def _has_output(path) -> bool:
    import tomllib
    try:
        with open(path, "rb") as f:
            return bool(tomllib.load(f).get("run", {}).get("output"))
    except (OSError, tomllib.TOMLDecodeError):
        return False  # the engine reports the problem with its own message


# ----------------------------------------------------------------------------------- measure

def _check_crs(crs, what):
    if crs is None:
        raise InvalidInput(f"{what}: the GeoDataFrame has no CRS; set one (gdf.set_crs)")
    if not crs.is_projected:
        raise InvalidInput(f"{what}: CRS {crs.to_string()} is not projected; areas need a projected CRS in metres")
    units = {a.unit_name for a in crs.axis_info}
    if not units <= {"metre", "meter"}:
        raise InvalidInput(f"{what}: CRS {crs.to_string()} is not in metres")
    if "mercator" in crs.name.lower() or "3857" in crs.to_string():
        raise InvalidInput(f"{what}: CRS {crs.to_string()} is a Mercator projection; its areas are wrong "
                           "by a factor of ~2.6 in the Netherlands")


def _wkb_list(gdf):
    return [None if g is None or g.is_empty else g.wkb for g in gdf.geometry]


def _in_crs(gdf, crs, what):
    if gdf.crs is None:
        raise InvalidInput(f"{what}: the GeoDataFrame has no CRS; set one (gdf.set_crs)")
    return gdf if gdf.crs == crs else gdf.to_crs(crs)


def _element_spec(spec, k):
    """One element source: a dict with ``gdf`` (or ``data``) and type/width keys."""
    if not isinstance(spec, Mapping):
        raise InvalidInput(f"elements[{k}]: expected a dict with 'gdf' and 'type' or 'type_field'")
    unknown = set(spec) - {"gdf", "data", "type", "type_field", "types", "width_m", "width_field",
                           "max_patch_ha", "label"}
    if unknown:
        raise InvalidInput(f"elements[{k}]: unknown key(s) {sorted(unknown)}")
    gdf = spec.get("gdf", spec.get("data"))
    if gdf is None:
        raise InvalidInput(f"elements[{k}]: no 'gdf'")
    if ("type" in spec) == ("type_field" in spec):
        raise InvalidInput(f"elements[{k}]: give exactly one of 'type' and 'type_field'")
    return gdf


def measure(areas, elements: Sequence[Mapping[str, Any]], rural_exclude: Iterable[Any] = (), *,
            id_field: Optional[str] = None, name_field: Optional[str] = None,
            types: Optional[Sequence[str]] = None, milestones: Optional[Sequence[tuple]] = None,
            study_area=None, threads: int = 0):
    """Measures landscape elements per area straight from GeoDataFrames.

    ``areas``: polygons in a projected CRS in metres (the measurement CRS). ``elements``: a
    list of dicts, one per source, with ``gdf`` and either ``type`` or ``type_field`` plus
    ``types`` (value -> type), and for lines and points ``width_m`` and/or ``width_field``;
    polygons may have ``max_patch_ha``. ``rural_exclude``: GeoDataFrames, or ``(name, gdf)``
    pairs reported as ``excl_<name>_ha``. Other CRSs are reprojected to the areas' CRS with
    GeoPandas. ``types`` is the precedence (default: order of first appearance);
    ``milestones`` ``[(year, share), ...]`` (default 5% in 2030, 10% in 2050).

    Returns a GeoDataFrame, one row per area in input order, with the measured geometry and
    the columns of ``area_bid.csv`` at full precision (CONTRACT.md's meaning).
    """
    import geopandas as gpd
    import pandas as pd

    _check_crs(areas.crs, "areas")
    crs = areas.crs
    n = len(areas)
    ids = [str(v) for v in areas[id_field]] if id_field else [str(i) for i in range(n)]
    names = [("" if v is None else str(v)) for v in areas[name_field]] if name_field else [""] * n
    area_wkb = _wkb_list(areas)
    if any(w is None for w in area_wkb):
        missing = [ids[i] for i, w in enumerate(area_wkb) if w is None][:10]
        raise InvalidInput(f"areas: areas without geometry: {', '.join(missing)}")

    study = []
    if study_area is not None:
        study = [w for w in _wkb_list(_in_crs(study_area, crs, "study_area")) if w is not None]

    mask_groups, masks = [], []
    for k, m in enumerate(rural_exclude):
        name, gdf = (m if isinstance(m, tuple) else (None, m))
        group = -1
        if name:
            if name not in mask_groups:
                mask_groups.append(name)
            group = mask_groups.index(name)
        gdf = _in_crs(gdf, crs, f"rural_exclude[{k}]")
        masks.append((f"rural_exclude[{k}]", group, [w for w in _wkb_list(gdf) if w is not None]))

    order = list(types) if types else []
    sources = []
    for k, spec in enumerate(elements):
        gdf = _in_crs(_element_spec(spec, k), crs, f"elements[{k}]")
        label = spec.get("label", f"elements[{k}]")
        if "type" in spec:
            feature_types = [spec["type"]] * len(gdf)
        else:
            mapping = spec.get("types")
            values = gdf[spec["type_field"]]
            feature_types = [mapping.get(v) if mapping else v for v in values]
        width = np.full(len(gdf), float(spec["width_m"]) if spec.get("width_m") is not None else math.nan)
        if spec.get("width_field"):
            given = pd.to_numeric(gdf[spec["width_field"]], errors="coerce").to_numpy(dtype=float)
            width = np.where(np.isnan(given), width, given)
        wkbs, tix, widths, fids = [], [], [], []
        for i, (w, t) in enumerate(zip(_wkb_list(gdf), feature_types)):
            if w is None or t is None or (isinstance(t, float) and math.isnan(t)):
                continue  # no geometry, or a value that maps to no type (as in a config)
            if not types and t not in order:
                order.append(t)
            if t not in order:
                raise InvalidInput(f"{label}: type '{t}' is not in types")
            wkbs.append(w)
            tix.append(t)
            widths.append(float(width[i]))
            fids.append(int(i))
        sources.append([label, wkbs, tix, widths, fids, spec.get("max_patch_ha")])
    for s in sources:
        s[2] = [order.index(t) for t in s[2]]
    ms = [(int(y), float(s)) for y, s in (milestones or [(2030, 0.05), (2050, 0.10)])]

    r = _landel.measure([(i, nm, w) for i, nm, w in zip(ids, names, area_wkb)], study, mask_groups, masks,
                        order, [tuple(s) for s in sources], ms, "areas", threads)
    from shapely import wkb as shapely_wkb
    geometry = [shapely_wkb.loads(bytes(w)) if w else None for w in r["geometry_wkb"]]
    frame = pd.DataFrame({k: (np.asarray(v) if not isinstance(v, list) else v) for k, v in r["columns"].items()})
    out = gpd.GeoDataFrame(frame, geometry=geometry, crs=crs)
    out.attrs["warnings"] = list(r["warnings"])
    out.attrs["overlapping_areas"] = [tuple(p) for p in r["overlapping_areas"]]
    out.attrs["additive"] = not r["overlapping_areas"]
    return out


# ------------------------------------------------------------------------------------ raster

def _polygon_wkb(polygon) -> bytes:
    if isinstance(polygon, (bytes, bytearray)):
        return bytes(polygon)
    if hasattr(polygon, "wkb"):
        return polygon.wkb
    raise InvalidInput("polygon: expected a shapely (Multi)Polygon or WKB bytes")


def coverage_fractions(polygon, transform: Sequence[float], shape: tuple) -> np.ndarray:
    """Exact fraction (0..1) of every cell of a north-up grid covered by ``polygon``.

    ``transform`` is GDAL's geotransform ``(x0, dx, 0, y0, 0, -dy)``; ``shape`` is
    ``(rows, cols)``; row 0 is the northern row, as in a GeoTIFF read with GDAL.
    """
    return _landel.coverage_fractions(_polygon_wkb(polygon), [float(v) for v in transform],
                                      (int(shape[0]), int(shape[1])))


def zonal_class_areas(polygon, classes: np.ndarray, transform: Sequence[float],
                      nodata: Optional[float] = None, valid: Optional[np.ndarray] = None):
    """Area (in squared CRS units) per class code of ``classes`` inside ``polygon``, each cell
    weighted by the exact fraction of it the polygon covers.

    Cells equal to ``nodata`` (or False in ``valid``) count as nodata. Returns
    ``(dict code -> area, nodata area)``.
    """
    classes = np.asarray(classes)
    mask = None
    if valid is not None:
        mask = np.asarray(valid, dtype=bool)
    if nodata is not None:
        nd = classes != nodata if not (isinstance(nodata, float) and math.isnan(nodata)) else ~np.isnan(classes)
        mask = nd if mask is None else (mask & nd)
    if np.issubdtype(classes.dtype, np.floating):
        ok = np.isfinite(classes)
        mask = ok if mask is None else (mask & ok)
        classes = np.where(ok, classes, 0)
    by_class, nodata_area = _landel.zonal_class_areas(_polygon_wkb(polygon), classes.astype(np.int64),
                                                      [float(v) for v in transform], mask)
    return dict(by_class), nodata_area
