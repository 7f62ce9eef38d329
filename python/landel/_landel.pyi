"""Type stubs of landel._landel, the compiled half of the package (python/src/*.cpp).

Use the ``landel`` package instead: it turns GeoDataFrames into the WKB these functions take
and their dicts into pandas / GeoPandas objects. Every function releases the GIL while the
engine works.
"""

from typing import Callable, List, Optional, Sequence, Tuple

import numpy as np
import numpy.typing as npt

__version__: str

class Error(RuntimeError):
    """Base of every landel error; the message is the CLI's one line (``landel: error: ...``)."""

class ConfigError(Error, ValueError):
    """A config problem, the message starting with ``FILE:LINE:``."""

class InvalidInput(Error, ValueError):
    """A value given by the caller breaks the contract (areas not polygons, no width, ...)."""

class InputOutputError(Error, OSError):
    """A file, layer, field, ``where`` clause or CRS that cannot be used."""

class GeometryError(Error):
    """GEOS failed on a geometry."""

class Cancelled(Error):
    """The progress callback returned False."""

_Progress = Callable[[float, str], Optional[bool]]

# --- run (bind_run.cpp): returns {"output", "areas", "rural_ha", "element_ha", "warnings"}
def run_file(path: str, out: Optional[str] = None, overwrite: bool = False, threads: int = 0,
             progress: Optional[_Progress] = None) -> dict: ...
def run_text(toml: str, virtual_path: str, out: Optional[str] = None, overwrite: bool = False,
             threads: int = 0, progress: Optional[_Progress] = None) -> dict: ...
def delineate_file(path: str, out: Optional[str] = None, overwrite: bool = False, threads: int = 0,
                   progress: Optional[_Progress] = None) -> dict: ...
def delineate_text(toml: str, virtual_path: str, out: Optional[str] = None, overwrite: bool = False,
                   threads: int = 0, progress: Optional[_Progress] = None) -> dict: ...

# --- init (bind_init.cpp): the config `landel init` writes; {file, element_sources, warnings}
def init_config(preset: str, data: str, areas: str, out: str, nnn: str = "", built_up: str = "",
                id_field: str = "", name_field: str = "", force: bool = False) -> dict: ...

# --- config (bind_config.cpp): whether the config file at `path` (or the TOML text standing
# for it) gives run.output; False when it does not load
def config_names_output(path: str, toml: Optional[str] = None) -> bool: ...
# --- bid, render (bind_run.cpp): a finished run's output folder `run_dir` made into the
# area bid or the maps again; return the same dict as run_file
def bid_file(path: str, run_dir: str, out: Optional[str] = None, overwrite: bool = False,
             progress: Optional[_Progress] = None) -> dict: ...
def bid_text(toml: str, virtual_path: str, run_dir: str, out: Optional[str] = None, overwrite: bool = False,
             progress: Optional[_Progress] = None) -> dict: ...
def render_file(path: str, run_dir: str, out: Optional[str] = None, overwrite: bool = False,
                progress: Optional[_Progress] = None) -> dict: ...
def render_text(toml: str, virtual_path: str, run_dir: str, out: Optional[str] = None,
                overwrite: bool = False, progress: Optional[_Progress] = None) -> dict: ...

# --- compare (bind_run.cpp): earlier runs' output folders compared like `landel compare`;
# returns the same dict as run_file
def compare(runs: list[str], out: Optional[str] = None, tolerance_m: float = 0.5,
            baseline_year: Optional[int] = None, language: str = "en", overwrite: bool = False, threads: int = 0,
            progress: Optional[_Progress] = None) -> dict: ...

# --- measure (bind_measure.cpp)
# areas: the areas' attribute table (id_field and name_field are read from it) with their WKB;
# masks: (name or None, [WKB]); elements: (the element keys as TOML text or None, attribute
# table or None, [WKB or None], label or None). types and milestones: None for the defaults.
# Returns {"columns": {name: list or ndarray} (area_bid.csv's measurement columns),
#          "geometry_wkb": [bytes], "warnings": [str], "overlapping_areas": [(id, id)],
#          "study_area_wkb": bytes}
def measure(areas: object, area_wkb: Sequence[Optional[bytes]], id_field: Optional[str],
            name_field: Optional[str], study_area: Sequence[bytes],
            masks: Sequence[Tuple[Optional[str], Sequence[bytes]]],
            elements: Sequence[Tuple[Optional[str], object, Sequence[Optional[bytes]],
                                     Optional[str]]],
            types: Optional[Sequence[str]] = None,
            milestones: Optional[Sequence[Tuple[int, float]]] = None,
            threads: int = 0, progress: Optional[_Progress] = None) -> dict: ...

# --- raster (bind_raster.cpp); transform: GDAL geotransform of a north-up grid
def coverage_fractions(polygon: bytes, transform: Sequence[float],
                       shape: Tuple[int, int]) -> npt.NDArray[np.float64]: ...
def zonal_class_areas(polygon: bytes, classes: npt.NDArray[np.int64], transform: Sequence[float],
                      valid: Optional[npt.NDArray[np.bool_]] = None) -> Tuple[dict, float]: ...

# --- pieces (bind_pieces.cpp; used by landel.dask)
def areas_are_made(toml: str, path: str) -> bool: ...
def delineate_for_pieces(toml: str, path: str, threads: int = 0) -> bytes: ...
def plan_pieces(toml: str, path: str, pieces: int, delineated: bytes = b"") -> list: ...
def index_sources(toml: str, path: str, out: Optional[str] = None, verify: bool = False) -> List[dict]: ...
def measure_piece(toml: str, path: str, areas: Sequence[int], threads: int = 0,
                  copies: Sequence[dict] = ..., patches: bytes = b"", delineated: bytes = b"") -> bytes: ...
def judge_patches(toml: str, path: str, copies: Sequence[dict] = ..., threads: int = 0) -> bytes: ...
def merge_pieces(toml: str, path: str, partials: Sequence[bytes], out: Optional[str] = None,
                 overwrite: bool = False, threads: int = 0, copies: Sequence[dict] = ...) -> dict: ...

# --- patches judged in parts (bind_patch_pieces.cpp; used by landel.dask)
def plan_patch_tiles(toml: str, path: str, per_side: int,
                     copies: Sequence[dict] = ...) -> List[Tuple[float, float, float, float]]: ...
def patch_tile(toml: str, path: str, tile: Tuple[float, float, float, float], copies: Sequence[dict] = ...,
               threads: int = 0) -> bytes: ...
def plan_patch_clusters(tiles: Sequence[bytes], groups: int) -> dict: ...
def judge_patch_group(toml: str, path: str, group: bytes, copies: Sequence[dict] = ...,
                      threads: int = 0) -> bytes: ...
def patch_verdicts(plan: bytes, judged: Sequence[bytes]) -> bytes: ...
