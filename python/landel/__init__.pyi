"""Type stubs of the landel package (python/landel/__init__.py): see its docstrings."""

import os
from pathlib import Path
from typing import Any, Callable, Iterable, List, Mapping, Optional, Sequence, Tuple, TypedDict, Union

import geopandas
import numpy as np
import numpy.typing as npt
import pandas
from shapely.geometry.base import BaseGeometry

from ._landel import Cancelled as Cancelled
from ._landel import ConfigError as ConfigError
from ._landel import Error as Error
from ._landel import GeometryError as GeometryError
from ._landel import InputOutputError as InputOutputError
from ._landel import InvalidInput as InvalidInput

__version__: str
__all__: list[str]

Progress = Callable[[float, str], Optional[bool]]
"""``progress(fraction, stage)``; returning False cancels."""

PathLike = Union[str, os.PathLike[str]]

class Result:
    """The outputs of a run, read from its output folder when asked for."""

    output: Path
    warnings: list[str]
    def __init__(self, output: Path, warnings: list[str] = ..., _keep: Any = ...) -> None: ...
    @property
    def table(self) -> pandas.DataFrame:
        """area_bid.csv: text columns as text, figures as numbers, empty share_pct as NaN."""
    @property
    def areas(self) -> geopandas.GeoDataFrame:
        """The ``areas`` layer of areas.gpkg (full precision, run CRS)."""
    @property
    def elements(self) -> geopandas.GeoDataFrame:
        """The ``elements`` layer of areas.gpkg (area_id, type, ha)."""
    @property
    def change(self) -> pandas.DataFrame:
        """change.csv of a comparison (:func:`compare`); empty cells NaN."""
    @property
    def trajectory(self) -> pandas.DataFrame:
        """trajectory.csv of a comparison (:func:`compare`); empty cells NaN."""
    @property
    def summary(self) -> dict[str, Any]:
        """summary.json."""

def run(config: Union[PathLike, Mapping[str, Any]], out: Optional[PathLike] = None, *, overwrite: bool = False,
        threads: int = 0, progress: Optional[Progress] = None) -> Result:
    """Runs a config (TOML path or dict) like ``landel run``."""

def delineate(config: Union[PathLike, Mapping[str, Any]], out: Optional[PathLike] = None, *,
              overwrite: bool = False, threads: int = 0, progress: Optional[Progress] = None) -> Result:
    """Only the areas of an overlay or catchments config, like ``landel delineate``."""

def init_config(preset: str, data: PathLike, areas: PathLike, out: PathLike = "landel.toml", *,
                nnn: Optional[PathLike] = None, built_up: Optional[PathLike] = None,
                id_field: Optional[str] = None, name_field: Optional[str] = None,
                force: bool = False) -> Tuple[Path, List[str]]:
    """The commented config ``landel init`` writes for a download read through a preset."""

def bid(config: Union[PathLike, Mapping[str, Any]], run_dir: PathLike, out: Optional[PathLike] = None, *,
        overwrite: bool = False, progress: Optional[Progress] = None) -> Result:
    """The area bid again from a finished run's output folder, like ``landel bid``."""

def render(config: Union[PathLike, Mapping[str, Any]], run_dir: PathLike, out: Optional[PathLike] = None, *,
           overwrite: bool = False, progress: Optional[Progress] = None) -> Result:
    """The maps and report.html again from a finished run's output folder, like ``landel render``."""

def compare(runs: Sequence[PathLike], out: Optional[PathLike] = None, *, tolerance_m: float = 0.5,
            baseline_year: Optional[int] = None, language: str = "en", overwrite: bool = False, threads: int = 0,
            progress: Optional[Progress] = None) -> Result:
    """Earlier runs' output folders of different years side by side, like ``landel compare``."""

class ElementSource(TypedDict, total=False):
    """One element source of :func:`measure` (an ``[[elements]]`` section)."""

    gdf: geopandas.GeoDataFrame
    type: str
    type_field: str
    types: Mapping[Any, str]
    width_m: float
    width_field: str
    max_patch_ha: float
    label: str

MaskSource = Union[geopandas.GeoDataFrame, Tuple[str, geopandas.GeoDataFrame]]

def measure(areas: geopandas.GeoDataFrame, elements: Sequence[Union[ElementSource, Mapping[str, Any]]],
            rural_exclude: Iterable[MaskSource] = (), *, id_field: Optional[str] = None,
            name_field: Optional[str] = None, types: Optional[Sequence[str]] = None,
            milestones: Optional[Sequence[Tuple[int, float]]] = None,
            study_area: Union[geopandas.GeoDataFrame, geopandas.GeoSeries, BaseGeometry, None] = None,
            threads: int = 0, progress: Optional[Progress] = None) -> geopandas.GeoDataFrame:
    """Measures landscape elements per area straight from GeoDataFrames."""

Polygonal = Union[BaseGeometry, bytes, bytearray, memoryview]
GeoTransform = Sequence[float]

def coverage_fractions(polygon: Polygonal, transform: GeoTransform, shape: Tuple[int, int]) -> npt.NDArray[np.float64]:
    """Exact fraction of every cell of a north-up grid covered by a (Multi)Polygon."""

def zonal_class_areas(polygon: Polygonal, classes: npt.ArrayLike, transform: GeoTransform,
                      nodata: Optional[float] = None,
                      valid: Optional[npt.ArrayLike] = None) -> Tuple[dict[int, float], float]:
    """(area per class code, nodata area) inside a (Multi)Polygon, cells weighted by coverage."""
