"""landel: exact green-blue landscape element shares per area, from Python.

A thin layer over the same C++ engine and pipeline as the ``landel`` command:

* :func:`run` does what ``landel run`` does (a config file or a dict) and gives the results
  back as pandas / GeoPandas objects;
* :func:`bid` and :func:`render` make the area bid or the maps again from a finished run;
* :func:`compare` sets finished runs of different measurement years side by side (change);
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
    "run", "delineate", "bid", "render", "compare", "init_config", "Result", "measure", "coverage_fractions", "zonal_class_areas",
    "Error", "ConfigError", "InvalidInput", "InputOutputError", "GeometryError", "Cancelled",
    "__version__",
]

Progress = Callable[[float, str], Optional[bool]]


def _use_installed_data() -> None:
    """The engine looks for the bid catalogue shipped with landel in $LANDEL_DATA_DIR, else in
    <prefix>/share/landel beside its executable, else in the source tree it was built from. In
    Python the executable is the interpreter, so an installed package
    (<prefix>/lib/python3/dist-packages/landel) names its own prefix's data folder."""
    if os.environ.get("LANDEL_DATA_DIR"):
        return
    parents = Path(__file__).resolve().parent.parents  # dist-packages, python3, lib, <prefix>
    if len(parents) > 3:
        data = parents[3] / "share" / "landel"
        if (data / "catalogue" / "elements.csv").is_file():
            os.environ["LANDEL_DATA_DIR"] = str(data)


_use_installed_data()


# --------------------------------------------------------------------------------------- run

@dataclass
class Result:
    """The outputs of a run (:func:`run`), read from its output folder when asked for.

    ``output`` is the folder (every file docs/outputs.md lists for a run is there);
    ``warnings`` the run's warnings, each the text the CLI prints after ``landel: warning:``.
    A run without an output folder of its own writes into a temporary folder that is removed
    when the Result is garbage collected.
    """

    output: Path
    warnings: list = field(default_factory=list)
    _keep: Any = field(default=None, repr=False, compare=False)  # a TemporaryDirectory to keep alive

    @property
    def table(self):
        """``area_bid.csv`` as a pandas DataFrame, one row per area in the CSV's order.

        ``area_id``, ``area_name``, ``class``, ``status`` and the other text columns are text
        (ids such as ``"007"`` keep their zeros); figures are numbers as the CSV gives them (6
        decimals for hectares); an empty ``share_pct`` (no rural land) is NaN. Full precision
        is in :attr:`areas`.
        """
        import pandas as pd
        table = pd.read_csv(self.output / "area_bid.csv", dtype=str, keep_default_na=False)
        for name in table.columns:
            if name in _TEXT_COLUMNS:
                continue
            given = table[name] != ""
            numbers = pd.to_numeric(table[name].where(given), errors="coerce")
            # a column of figures (empty cells: NaN, as share_pct without rural land); text stays text
            if given.all() and numbers.notna().all():
                table[name] = pd.to_numeric(table[name])  # int64 or float64, as read_csv infers
            elif (given.any() and numbers[given].notna().all()) or name == "share_pct":
                table[name] = numbers.astype(float)
        return table

    @property
    def areas(self):
        """The ``areas`` layer of ``areas.gpkg`` as a GeoDataFrame in the run CRS: the area
        polygons with every column of the table at full precision."""
        return _read_layer(self.output / "areas.gpkg", "areas")

    @property
    def elements(self):
        """The ``elements`` layer of ``areas.gpkg`` (``area_id``, ``type``, ``ha``, geometry):
        per area and type the element geometry that type owns; its areas add up to the
        ``ha_<type>`` columns."""
        return _read_layer(self.output / "areas.gpkg", "elements")

    @property
    def change(self):
        """``change.csv`` of a comparison (:func:`compare`) as a pandas DataFrame: per pair of
        years, area and type the change (docs/monitoring.md). ``area_id``, ``area_name`` and
        ``type`` are text; empty cells (raster types, the figures a reclassification row
        leaves out) are NaN."""
        return _read_figures_csv(self.output / "change.csv", {"area_id", "area_name", "type"})

    @property
    def trajectory(self):
        """``trajectory.csv`` of a comparison (:func:`compare`): per area and milestone the path
        from the baseline and where the last year stands. Text columns as text, empty cells
        NaN."""
        return _read_figures_csv(self.output / "trajectory.csv",
                                 {"area_id", "area_name", "status"})

    @property
    def summary(self) -> dict:
        """``summary.json``, the run manifest: version, config, inputs with SHA-256, PROJ
        pipelines, repaired geometries, warnings, ``totals`` and ``timings_s``."""
        return json.loads((self.output / "summary.json").read_text(encoding="utf-8"))


_TEXT_COLUMNS = {"area_id", "area_name", "class", "status", "bid_region"}


def _read_figures_csv(path, text_columns):
    import pandas as pd
    dtypes = {name: str for name in text_columns}
    return pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])


def _read_layer(path, layer):
    import geopandas as gpd
    return gpd.read_file(path, layer=layer)


def run(config: Union[str, os.PathLike, Mapping[str, Any]], out: Union[str, os.PathLike, None] = None, *,
        overwrite: bool = False, threads: int = 0, progress: Optional[Progress] = None) -> Result:
    """Runs a landel config like ``landel run`` and returns its :class:`Result`.

    Parameters
    ----------
    config
        The path of a TOML file, or a dict with the same structure (as ``tomllib`` reads it;
        relative paths in a dict resolve against the current folder, and messages name the
        config ``<dict>.toml``).
    out
        The output folder (``--out``); overrides ``run.output``. With neither, the outputs go
        to a temporary folder that lives as long as the Result.
    overwrite
        Replace an existing output folder (``--overwrite``); without it that is an error.
    threads
        Worker threads (``--threads``; 0: all cores).
    progress
        ``progress(fraction, stage)``, called now and then (from worker threads, with the GIL
        taken for the call, never two at once); returning False stops the run with
        :class:`Cancelled`, raising stops it with that exception. Ctrl-C (a notebook's
        interrupt) stops it within a few seconds with ``KeyboardInterrupt``. Either way no
        output folder is left behind.

    Raises
    ------
    Error
        Or a subclass (:class:`ConfigError`, :class:`InputOutputError`, ...), its message the
        line the CLI prints after ``landel: error:``. The GIL is released while the run works.
    """
    _check_config_file(config)
    path, text = _config_source(config)
    keep = None
    if out is None and not _landel.config_names_output(path, text):
        keep = tempfile.TemporaryDirectory(prefix="landel-")
        out = Path(keep.name) / "out"
    out_text = None if out is None else os.fspath(out)
    outcome = _call_job(config, _landel.run_file, _landel.run_text, out_text, overwrite, threads, progress)
    return Result(Path(os.path.abspath(outcome["output"])), list(outcome["warnings"]), keep)


def delineate(config: Union[str, os.PathLike, Mapping[str, Any]], out: Union[str, os.PathLike, None] = None, *,
              overwrite: bool = False, threads: int = 0, progress: Optional[Progress] = None) -> Result:
    """Makes only the areas of an overlay or catchments config, like ``landel delineate``
    (docs/delineation.md): ``areas.gpkg`` (its ``areas`` layer), ``summary.json`` and
    ``landel.log``. Parameters and errors as for :func:`run`; the Result's ``areas`` is the
    delineated areas."""
    _check_config_file(config)
    path, text = _config_source(config)
    keep = None
    if out is None and not _landel.config_names_output(path, text):
        keep = tempfile.TemporaryDirectory(prefix="landel-")
        out = Path(keep.name) / "out"
    out_text = None if out is None else os.fspath(out)
    outcome = _call_job(config, _landel.delineate_file, _landel.delineate_text, out_text, overwrite, threads,
                        progress)
    return Result(Path(os.path.abspath(outcome["output"])), list(outcome["warnings"]), keep)


def init_config(preset: str, data: Union[str, os.PathLike], areas: Union[str, os.PathLike],
                out: Union[str, os.PathLike] = "landel.toml", *, nnn: Union[str, os.PathLike, None] = None,
                built_up: Union[str, os.PathLike, None] = None, id_field: Optional[str] = None,
                name_field: Optional[str] = None, force: bool = False) -> tuple:
    """Writes the commented config ``landel init`` writes (docs/presets.md) for the download
    ``data`` (e.g. a BGT zip from PDOK) read through ``preset`` (``"bgt"``, or a preset .toml),
    with the areas layer ``areas`` (``"FILE"`` or ``"FILE:LAYER"``); ``nnn`` and ``built_up``
    likewise. Returns ``(path of the config, warnings)``; the config is written only when it
    loads and its inputs open. Raises :class:`Error` with the CLI's message."""
    def text(value):
        return "" if value is None else os.fspath(value)
    outcome = _landel.init_config(str(preset), os.fspath(data), os.fspath(areas), os.fspath(out), text(nnn),
                                  text(built_up), id_field or "", name_field or "", bool(force))
    return Path(outcome["file"]), list(outcome["warnings"])


def _check_config_file(config) -> None:
    if not isinstance(config, Mapping) and not os.path.isfile(config):
        # the CLI's words; an OSError, as Python's own file functions raise
        raise InputOutputError(f"{os.fspath(config)}: config file not found")


def _config_source(config):
    """A config as the bindings take it: its path (a virtual one beside the current folder for
    a dict) and its TOML text (None for a file, which the engine reads itself)."""
    if isinstance(config, Mapping):
        path = os.path.join(os.getcwd(), "<dict>.toml")
        try:
            text = _toml_dumps(config)
        except ValueError as e:  # a value TOML cannot hold (None, NaN, an object)
            raise ConfigError(f"<dict>.toml: {e}") from None
        return path, text
    return os.fspath(config), None


def _call_job(config, from_file, from_text, *args) -> dict:
    """Calls a job binding (``<job>_file`` or ``<job>_text``) with a config path or dict."""
    path, text = _config_source(config)
    if text is not None:
        return from_text(text, path, *args)
    return from_file(path, *args)


def _from_run(job: str, config, run_dir, out, overwrite: bool, progress) -> Result:
    _check_config_file(config)
    keep = None
    if out is None:
        keep = tempfile.TemporaryDirectory(prefix="landel-")
        out = Path(keep.name) / "out"
    outcome = _call_job(config, getattr(_landel, f"{job}_file"), getattr(_landel, f"{job}_text"),
                        os.fspath(run_dir), os.fspath(out), overwrite, progress)
    return Result(Path(os.path.abspath(outcome["output"])), list(outcome["warnings"]), keep)


def bid(config: Union[str, os.PathLike, Mapping[str, Any]], run_dir: Union[str, os.PathLike],
        out: Union[str, os.PathLike, None] = None, *, overwrite: bool = False,
        progress: Optional[Progress] = None) -> Result:
    """Makes the area bid again from the output folder ``run_dir`` of an earlier run, without
    measuring, like ``landel bid config --from run_dir --out out``: for new costs, mixes,
    regions, potential or milestones. The config is the run's (a TOML path or a dict, as for
    :func:`run`), with its types and masks unchanged.

    ``out`` is the new output folder (``area_bid.csv``, ``area_bid.xlsx``,
    ``bid_phasing.csv``, ``areas.gpkg``, ``summary.json``, ``landel.log``); without it the
    outputs go to a temporary folder that lives as long as the :class:`Result`. ``overwrite``
    and ``progress`` are those of :func:`run`; errors are raised as :func:`run` raises them.
    """
    return _from_run("bid", config, run_dir, out, overwrite, progress)


def render(config: Union[str, os.PathLike, Mapping[str, Any]], run_dir: Union[str, os.PathLike],
           out: Union[str, os.PathLike, None] = None, *, overwrite: bool = False,
           progress: Optional[Progress] = None) -> Result:
    """Draws the maps (``maps/``) and ``report.html`` again from the output folder ``run_dir``
    of an earlier run, without measuring, like ``landel render config --from run_dir --out
    out`` (e.g. with another ``[render]`` dpi, or after :func:`bid`). Parameters, the
    temporary folder without ``out``, and errors as for :func:`bid`.
    """
    return _from_run("render", config, run_dir, out, overwrite, progress)


def compare(runs: Sequence[Union[str, os.PathLike]], out: Union[str, os.PathLike, None] = None, *,
            tolerance_m: float = 0.5, baseline_year: Optional[int] = None,
            language: str = "en", overwrite: bool = False, threads: int = 0,
            progress: Optional[Progress] = None) -> Result:
    """Compares the output folders of earlier runs of the same areas in different measurement
    years, like ``landel compare RUN... --out out`` (docs/monitoring.md), and returns its
    :class:`Result`: :attr:`Result.change` and :attr:`Result.trajectory` hold the figures,
    ``output`` the folder with ``change.csv``, ``change.gpkg``, ``trajectory.csv``,
    ``summary.json`` and ``landel.log``.

    Parameters
    ----------
    runs
        Two or more output folders of ``landel run`` (or :func:`run`), in any order; they are
        ordered by their measurement year.
    out
        The output folder (``--out``); without it the outputs go to a temporary folder that
        lives as long as the Result.
    tolerance_m
        ``--tolerance-m``: gained or lost land thinner than this and within it of the other
        year's elements is redigitising noise (``realigned_ha``); 0 turns that off.
    baseline_year
        ``--baseline-year``: the run the paths to the milestones start from (default: the
        last run's recorded ``targets.baseline_year``, else the earliest).
    language
        ``--language``: ``"en"`` or ``"nl"``, the language of the report, maps, workbook and
        QGIS field aliases (docs/outputs.md, "Language").
    overwrite, threads, progress
        As for :func:`run`.

    Raises
    ------
    Error
        Or a subclass, with the line the CLI prints after ``landel: error:`` (fewer than two
        runs, a folder that is no run, runs of one year or of other areas or types, ...).
    """
    if isinstance(runs, (str, os.PathLike)):
        raise TypeError("compare: runs must be a list of run folders, not one path")
    keep = None
    if out is None:
        keep = tempfile.TemporaryDirectory(prefix="landel-")
        out = Path(keep.name) / "out"
    outcome = _landel.compare([os.fspath(r) for r in runs], os.fspath(out), float(tolerance_m),
                              baseline_year, str(language), overwrite, threads, progress)
    return Result(Path(os.path.abspath(outcome["output"])), list(outcome["warnings"]), keep)


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


def _element_source(spec, k, crs):
    """One element source as the engine takes it: its keys as TOML (None when ``spec`` is not
    a dict), its attribute table, its geometries as WKB in ``crs``, its label."""
    if not isinstance(spec, Mapping):
        return None, None, [], None
    gdf = spec.get("gdf", spec.get("data"))
    keys = {key: v for key, v in spec.items()
            if key not in ("gdf", "data", "label") and v is not None}
    try:
        text = _toml_dumps(keys)
    except ValueError as e:  # a value TOML cannot hold (NaN, an object)
        raise InvalidInput(f"elements[{k}]: {e}") from None
    if gdf is None:
        return text, None, [], spec.get("label")
    gdf = _in_crs(gdf, crs, f"elements[{k}]")
    return text, gdf, _wkb_list(gdf), spec.get("label")


def measure(areas, elements: Sequence[Mapping[str, Any]], rural_exclude: Iterable[Any] = (), *,
            id_field: Optional[str] = None, name_field: Optional[str] = None,
            types: Optional[Sequence[str]] = None, milestones: Optional[Sequence[tuple]] = None,
            study_area=None, threads: int = 0, progress: Optional[Progress] = None):
    """Measures landscape elements per area straight from GeoDataFrames, with the engine of
    ``landel run`` (the rules of docs/semantics.md) and no files.

    Parameters
    ----------
    areas
        GeoDataFrame of polygons in a projected CRS in metres: the measurement CRS (a
        geographic or Web Mercator CRS is :class:`InvalidInput`).
    elements
        One dict per source, like an ``[[elements]]`` section: ``gdf`` (a GeoDataFrame, in any
        CRS: it is reprojected to the areas' CRS with GeoPandas), and either ``type`` (one
        type for all) or ``type_field`` with ``types`` (a dict value -> type; values not in it
        are not elements; without it the values are the types). Lines and points need
        ``width_m`` (strip width, crown diameter) and/or ``width_field`` (per-feature width; an
        empty value falls back to ``width_m``). Polygons may have ``max_patch_ha``. ``label``
        names the source in messages (default ``elements[k]``). The keys are checked as an
        ``[[elements]]`` section's (type names are lower-case letters, digits and ``_``: they
        name columns), with the same messages.
    rural_exclude
        Masks taken out of the rural land: GeoDataFrames, or ``(name, gdf)`` pairs reported as
        ``excl_<name>_ha`` (one column per name).
    id_field, name_field
        Columns of ``areas`` giving ``area_id`` (text; default the row position) and
        ``area_name``.
    types
        Precedence where elements overlap, first wins (default: order of first appearance).
    milestones
        ``[(year, share), ...]`` (default ``[(2030, 0.05), (2050, 0.10)]``).
    study_area
        Optional polygons (GeoDataFrame/GeoSeries in any CRS, or a shapely geometry in the
        areas' CRS) the areas are clipped to.
    threads
        Worker threads (0: all cores). The GIL is released while the engine works.
    progress
        ``progress(fraction, stage)`` as for :func:`run`; returning False stops the
        measurement with :class:`Cancelled`. Ctrl-C (a notebook's interrupt) stops it within
        a few seconds with ``KeyboardInterrupt``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per area in input order (with the areas' index), in the areas' CRS, with the
        measured geometry and the measurement columns of ``area_bid.csv`` at full precision
        and in its order:
        ``area_id, area_name, class, area_ha, rural_ha, nodata_ha, excl_<name>_ha...,
        element_ha, share_pct, ha_<type>..., target_<year>_ha..., gap_<year>_ha..., status``,
        then ``<type>_m`` for types with line sources and ``<type>_count`` for types with
        point sources. ``share_pct`` is NaN where there is no rural land. ``.attrs`` holds
        ``warnings``, ``overlapping_areas`` (pairs of ids) and ``additive``.
    """
    import geopandas as gpd
    import pandas as pd

    _check_crs(areas.crs, "areas")
    crs = areas.crs
    study = []
    if study_area is not None:
        if hasattr(study_area, "geom_type") and hasattr(study_area, "wkb"):  # a shapely geometry
            study = [] if study_area.is_empty else [study_area.wkb]
        else:
            study = [w for w in _wkb_list(_in_crs(study_area, crs, "study_area")) if w is not None]
        if not study:
            raise InvalidInput("study_area: no polygons")
    masks = []
    for k, m in enumerate(rural_exclude):
        name, gdf = (m if isinstance(m, tuple) else (None, m))
        gdf = _in_crs(gdf, crs, f"rural_exclude[{k}]")
        masks.append((name or None, [w for w in _wkb_list(gdf) if w is not None]))
    sources = [_element_source(spec, k, crs) for k, spec in enumerate(elements)]

    r = _landel.measure(areas, _wkb_list(areas), id_field or None,
                        name_field or None, study, masks, sources,
                        list(types) if types else None,
                        [(int(y), float(s)) for y, s in milestones] if milestones else None,
                        threads, progress)
    from shapely import wkb as shapely_wkb
    geometry = [shapely_wkb.loads(bytes(w)) if w else None for w in r["geometry_wkb"]]
    frame = pd.DataFrame(dict(r["columns"]))  # the columns of area_bid.csv, in its order
    frame.index = areas.index  # one row per area, in its order: joins back onto the areas
    out = gpd.GeoDataFrame(frame, geometry=geometry, crs=crs)
    out.attrs["warnings"] = list(r["warnings"])
    out.attrs["overlapping_areas"] = [tuple(p) for p in r["overlapping_areas"]]
    out.attrs["additive"] = not r["overlapping_areas"]
    return out


# ------------------------------------------------------------------------------------ raster

def _polygon_wkb(polygon) -> bytes:
    """WKB of a shapely (Multi)Polygon or of WKB bytes holding one; anything else is InvalidInput
    (the engine would take the polygonal part of it, which for a line or point is nothing)."""
    from shapely import wkb as shapely_wkb
    if isinstance(polygon, (bytes, bytearray, memoryview)):
        data = bytes(polygon)
        try:
            geom = shapely_wkb.loads(data)
        except Exception as exc:  # shapely's WKBReadingError and friends
            raise InvalidInput(f"polygon: not valid WKB ({exc})") from None
    elif hasattr(polygon, "geom_type") and hasattr(polygon, "wkb"):
        geom, data = polygon, None
    else:
        raise InvalidInput(f"polygon: expected a shapely (Multi)Polygon or WKB bytes, got {type(polygon).__name__}")
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise InvalidInput(f"polygon: expected a Polygon or MultiPolygon, got a {geom.geom_type}")
    return data if data is not None else geom.wkb


def coverage_fractions(polygon, transform: Sequence[float], shape: tuple) -> np.ndarray:
    """Exact fraction (0..1) of every cell of a north-up grid covered by ``polygon``.

    ``polygon`` is a shapely Polygon or MultiPolygon (holes count as uncovered), or its WKB,
    in the grid's CRS; an invalid one is repaired (GEOS make-valid) first. ``transform`` is
    GDAL's geotransform ``(x0, dx, 0, y0, 0, -dy)`` (``rasterio``'s ``Affine.to_gdal()``);
    ``shape`` is ``(rows, cols)``; row 0 is the northern row, as in a GeoTIFF read with GDAL.
    Returns a float64 array of ``shape``; ``fractions * dx * dy`` are the covered areas.
    A rotated or south-up grid, or a geometry that is not polygonal, is :class:`InvalidInput`.
    The GIL is released while it computes.
    """
    return _landel.coverage_fractions(_polygon_wkb(polygon), [float(v) for v in transform],
                                      (int(shape[0]), int(shape[1])))


def zonal_class_areas(polygon, classes: np.ndarray, transform: Sequence[float],
                      nodata: Optional[float] = None, valid: Optional[np.ndarray] = None):
    """Area (in squared CRS units) per class code of ``classes`` inside ``polygon``, each cell
    weighted by the exact fraction of it the polygon covers (cells taken as uniform).

    ``classes`` is a 2-D array of integer codes (a float array may hold whole numbers, NaN
    being nodata) on the grid of ``transform`` (see :func:`coverage_fractions`). Cells equal
    to ``nodata`` (NaN allowed), or False in the boolean array ``valid``, count as nodata.
    Returns ``(dict code -> area, nodata area)``; the part of the polygon outside the grid is
    in neither. The GIL is released while it computes.
    """
    classes = np.asarray(classes)
    if classes.ndim != 2:
        raise InvalidInput(f"classes: expected a 2-D array, got {classes.ndim} dimensions")
    if not (np.issubdtype(classes.dtype, np.integer) or np.issubdtype(classes.dtype, np.floating)
            or classes.dtype == bool):
        raise InvalidInput(f"classes: expected an array of integer class codes, got dtype {classes.dtype}")
    mask = None
    if valid is not None:
        mask = np.asarray(valid, dtype=bool)
        if mask.shape != classes.shape:
            raise InvalidInput(f"valid: expected a boolean array of the shape of classes {classes.shape}, "
                               f"got {mask.shape}")
    if nodata is not None:
        nan = isinstance(nodata, (float, np.floating)) and math.isnan(nodata)
        nd = ~np.isnan(classes) if nan else classes != nodata
        mask = nd if mask is None else (mask & nd)
    if np.issubdtype(classes.dtype, np.floating):
        ok = np.isfinite(classes)
        mask = ok if mask is None else (mask & ok)
        classes = np.where(ok, classes, 0)
        counted = classes if mask is None else classes[mask]
        if np.any(counted != np.round(counted)):
            raise InvalidInput("classes: class codes must be whole numbers (a float array may hold them, "
                               "with NaN as nodata)")
    by_class, nodata_area = _landel.zonal_class_areas(_polygon_wkb(polygon), classes.astype(np.int64),
                                                      [float(v) for v in transform], mask)
    return dict(by_class), nodata_area
