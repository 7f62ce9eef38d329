"""Runs beyond one machine: a landel run measured in pieces on a Dask cluster.

landel itself plans the pieces, measures each piece and merges the partial results
(``pipeline/pieces.h``); this module only schedules those pieces on a
``dask.distributed`` :class:`~distributed.Client` — a ``LocalCluster`` on a laptop, or a
real cluster in production — and calls the merge::

    from distributed import Client, LocalCluster
    import landel.dask

    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
        result = landel.dask.run("nl.toml", client, out="out/nl")
    result.table

Every worker must be able to ``import landel`` and read the config's input files under the
same paths (a shared file system or the same copy on every machine). Each piece reads what
it needs: the study area whole, every source only near the piece's own areas, through the
layer's spatial index. The patches of sources with ``max_patch_ha`` / ``min_patch_ha`` are
judged once before the pieces, in parts (tile tasks read the sources tile by tile, group
tasks unite the clusters of parts whose envelopes meet), so a patch is judged on its whole
extent even when its parts lie in areas of different pieces, and no task reads a source
whole; the judgement is handed to every piece. A layer without one (a
GML file such as the BGT download, a shapefile without ``.qix``, a CSV) is first copied, once,
into an indexed GeoPackage in ``.landel-cache`` beside the output folder, and the pieces read
the copy; a later run reuses the copy while the source's contents are unchanged
(:func:`index_sources`). The merged outputs are those of
``landel run`` — the same ``area_bid.csv`` and ``element_density.tif`` (a raster run's
pieces measure on the whole run's analysis grid and add up their exact density sums) — with
overlaps between areas of different pieces found by the merge.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any, Mapping, Optional, Union

from . import Result, _landel
from ._toml import dumps as _toml_dumps

__all__ = ["run", "plan", "index_sources"]


def _config_text(config: Union[str, os.PathLike, Mapping[str, Any]]):
    """(TOML text, the path relative paths resolve against and messages name)."""
    if isinstance(config, Mapping):
        return _toml_dumps(config), os.path.join(os.getcwd(), "<dict>.toml")
    path = os.path.abspath(os.fspath(config))
    try:
        with open(path, encoding="utf-8") as f:
            return f.read(), path
    except OSError as e:
        raise _landel.InputOutputError(f"cannot read the config '{os.fspath(config)}': {e.strerror}") from None


def plan(config, pieces: int) -> list:
    """The pieces landel would measure: lists of area positions, nearby areas together."""
    text, path = _config_text(config)
    return _landel.plan_pieces(text, path, int(pieces))


def index_sources(config, out: Union[str, os.PathLike, None] = None, *, verify: bool = False) -> list:
    """Copies the layers without a spatial index that the pieces read into indexed GeoPackages.

    The copies go to ``.landel-cache`` beside the output folder (``out``, or ``run.output``)
    and are named by the SHA-256 of the source's contents, so an unchanged source is copied
    once for all later runs. A stamp remembers which copy the source's files had at their
    sizes and modification times (to the nanosecond), so a later run does not hash them
    again; ``verify=True`` hashes them all the same (for a file changed in place with its
    size and time kept). Returns one dict per copy: ``source`` (path, layer and open
    options), ``label``, ``copy`` (its path), ``files`` (the source's files) and ``reused``.
    """
    text, path = _config_text(config)
    return _landel.index_sources(text, path, None if out is None else os.fspath(out), verify)


def _judge_patches(text: str, path: str, copies: list, threads: int) -> bytes:
    # Runs on a worker, once: the sources with a patch rule are read whole there.
    from landel import _landel as engine
    return engine.judge_patches(text, path, copies, threads)


def _patch_tile(text: str, path: str, tile, copies: list, threads: int) -> bytes:
    # Runs on a worker: the parts of the patch sources near one tile.
    from landel import _landel as engine
    return engine.patch_tile(text, path, tile, copies, threads)


def _plan_patch_clusters(*tiles_and_groups) -> dict:
    # Runs on a worker: envelopes only, every tile's (the last argument: the group count).
    from landel import _landel as engine
    return engine.plan_patch_clusters(list(tiles_and_groups[:-1]), tiles_and_groups[-1])


def _patch_group(plan: dict, group: int) -> bytes:
    # Runs where the plan is, so that only this group's bytes travel on.
    return plan["groups"][group]


def _judge_patch_group(text: str, path: str, group: bytes, copies: list, threads: int) -> bytes:
    from landel import _landel as engine
    return engine.judge_patch_group(text, path, group, copies, threads)


def _plan_figures(plan: dict) -> dict:
    # What the plan tells of the reading, without its bytes.
    return {k: plan[k] for k in ("parts", "clustered", "tile_features", "group_parts")}


def _patch_verdicts(plan: dict, *judged) -> bytes:
    from landel import _landel as engine
    return engine.patch_verdicts(plan["plan"], list(judged))


def _judged_patches(client, text: str, path: str, copies: list, threads: int, per_side: int, groups: int):
    """The future of the patch judgement every piece takes (``judge_patches`` bytes) and the
    future of the plan's figures (or None): with ``per_side`` 0 one task reads the sources
    with a patch rule whole; otherwise ``per_side``² tasks read them tile by tile, one task
    clusters the parts' envelopes, and ``groups`` tasks unite the clusters of several parts
    (``pipeline/patch_pieces.h``)."""
    if per_side == 0:
        return client.submit(_judge_patches, text, path, copies, threads, pure=False), None
    tiles = _landel.plan_patch_tiles(text, path, per_side, copies)
    if not tiles:
        return b"", None
    parts = [client.submit(_patch_tile, text, path, tile, copies, threads, pure=False) for tile in tiles]
    plan = client.submit(_plan_patch_clusters, *parts, groups, pure=False)
    judged = [client.submit(_judge_patch_group, text, path, client.submit(_patch_group, plan, g, pure=False),
                            copies, threads, pure=False)
              for g in range(groups)]
    return client.submit(_patch_verdicts, plan, *judged, pure=False), client.submit(_plan_figures, plan, pure=False)


def _delineate(text: str, path: str, threads: int) -> bytes:
    # Runs on a worker: the areas of an overlay or catchments config, made once for every
    # piece (a catchment chain reads the whole DEM; beyond run.memory_mb it runs in tiles).
    from landel import _landel as engine
    return engine.delineate_for_pieces(text, path, threads)


def _measure_piece(text: str, path: str, areas: list, threads: int, copies: list, patches: bytes,
                   delineated: bytes = b"") -> bytes:
    # Runs on a worker: only the compiled module is needed there.
    from landel import _landel as engine
    return engine.measure_piece(text, path, areas, threads, copies, patches, delineated)


def run(config: Union[str, os.PathLike, Mapping[str, Any]], client, out: Union[str, os.PathLike, None] = None, *,
        pieces: Optional[int] = None, threads_per_piece: int = 1, overwrite: bool = False,
        threads: int = 0, copy_unindexed: bool = True, judge_patches_once: bool = True,
        patch_tiles: Optional[int] = None, verify_copies: bool = False) -> Result:
    """Runs ``config`` split into pieces on the Dask ``client`` and writes the merged outputs.

    ``pieces`` defaults to twice the number of worker threads of the cluster (so that a slow
    piece does not hold up the rest); ``threads_per_piece`` are the engine threads a piece uses
    on its worker (1 suits one Dask thread per core). ``out`` overrides ``run.output`` (the
    merge writes there, on this machine). With ``copy_unindexed`` (the default) the layers
    without a spatial index are copied first (:func:`index_sources`; the copies must lie on a
    file system the workers share; ``verify_copies`` hashes the sources even when their
    sizes and times name a copy). With ``judge_patches_once`` (the default) the patches of
    the sources with ``max_patch_ha`` / ``min_patch_ha`` are judged once for all pieces, and
    every piece reads those sources only near its areas; without it every piece reads them
    whole and judges them itself (the same figures). The judgement is made in parts:
    ``patch_tiles`` per side (default: the square root of ``pieces``, rounded up) tile tasks
    read the sources tile by tile, and as many tasks as pieces unite the clusters of parts
    whose envelopes meet, so no task reads a source whole (only a cluster); ``patch_tiles=0``
    judges them in one task that reads them whole. Returns the
    :class:`landel.Result` of the merged run; ``result.pieces`` tells how many pieces were
    measured, ``result.copies`` which sources they read from a copy and ``result.patch_plan``
    (None unless the patches were judged in parts) the plan's figures: ``parts``, ``clustered``
    (parts in clusters of several), ``tile_features`` (the features each tile task read) and
    ``group_parts`` (the parts each group task united).
    """
    text, path = _config_text(config)
    if pieces is None:
        info = client.scheduler_info()
        slots = sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()) or 1
        pieces = 2 * slots
    out_path = None if out is None else os.fspath(out)
    # Areas made by overlay or catchments are made once, in a task of their own, and every
    # piece takes them from it (empty bytes for given areas: each piece reads its own).
    # Nothing else runs meanwhile: the task takes all its worker's cores. (The config is
    # checked here first, so that its errors come before anything goes to the cluster.)
    delineated = (client.submit(_delineate, text, path, 0, pure=False).result()
                  if _landel.areas_are_made(text, path) else b"")
    layout = _landel.plan_pieces(text, path, int(pieces), delineated)
    copies = _landel.index_sources(text, path, out_path, verify_copies) if copy_unindexed else []
    if patch_tiles is None:
        patch_tiles = math.isqrt(len(layout) - 1) + 1 if layout else 1
    patches, patch_figures = _judged_patches(client, text, path, copies, threads_per_piece, int(patch_tiles),
                                             len(layout)) if judge_patches_once else (b"", None)
    if delineated:
        delineated = client.scatter(delineated, broadcast=True)
    futures = [client.submit(_measure_piece, text, path, areas, threads_per_piece, copies, patches, delineated,
                             pure=False)
               for areas in layout]
    # Taken as each piece finishes (the merge puts them back by area position), so that a
    # worker does not hold the partial results of all its pieces until the last is done.
    from distributed import as_completed  # here: importing landel.dask needs no cluster
    partials = []
    for future in as_completed(futures):
        partials.append(future.result())
        future.release()
    del futures
    outcome = _landel.merge_pieces(text, path, partials, out_path, overwrite, threads, copies)
    result = Result(Path(outcome["output"]), list(outcome["warnings"]))
    result.pieces = len(layout)
    result.copies = copies
    result.patch_plan = patch_figures.result() if patch_figures is not None else None
    return result
