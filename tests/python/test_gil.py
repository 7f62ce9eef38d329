"""The GIL is released while the engine works: another Python thread keeps running during a
long landel call (it would stand still for the whole call if the GIL were held: checked with
a regular expression that backtracks for half a second while holding the GIL, the ticker's
longest gap is the whole half second)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, box

landel = pytest.importorskip("landel")

from landel_pyref import call_with_ticker  # noqa: E402


def assert_free(ticks, min_seconds):
    duration = ticks.end - ticks.start
    if duration < min_seconds:
        pytest.skip(f"the call took only {duration:.2f} s here; too quick to tell")
    # a tick is a 1 ms sleep plus a little: a free GIL gives hundreds of ticks per second,
    # a held one none at all until the call returns
    assert len(ticks.inside) >= 0.2 * duration / 0.001, (len(ticks.inside), duration)
    assert ticks.max_gap < 0.25, f"the other thread stood still for {ticks.max_gap:.2f} s"


def dense_hedges(n, seed=3):
    """Four 500 m areas and n random bent hedges over them: a union of some seconds."""
    rng = np.random.default_rng(seed)
    areas = gpd.GeoDataFrame({"id": ["sw", "nw", "se", "ne"]},
                             geometry=[box(x, y, x + 500, y + 500) for x in (0, 500) for y in (0, 500)],
                             crs="EPSG:28992")
    a = rng.uniform(0, 1000, size=(n, 2))
    b = a + rng.normal(0, 40, size=(n, 2))
    c = b + rng.normal(0, 20, size=(n, 2))
    lines = [LineString([tuple(p), tuple(q), tuple(r)]) for p, q, r in zip(a, b, c)]
    return areas, gpd.GeoDataFrame(geometry=lines, crs="EPSG:28992")


def test_gil_released_during_measure():
    areas, hedges = dense_hedges(4000)
    result, ticks = call_with_ticker(landel.measure, areas, [dict(gdf=hedges, type="hedge", width_m=3)],
                                     id_field="id", threads=1)
    assert len(result) == 4 and (result["ha_hedge"] > 0).all()
    assert_free(ticks, 0.5)


def test_gil_released_during_run(path_run):
    # the session's landel.run of the sample (threads=2, with a progress callback that takes
    # the GIL from worker threads), made while this process's main thread ticked
    result, ticks, calls = path_run
    assert (result.output / "area_bid.csv").is_file()
    assert calls
    assert_free(ticks, 0.3)


def test_gil_released_during_coverage_fractions():
    from shapely.geometry import Point
    polygon = Point(500, 500).buffer(480, resolution=4000)  # 16000 vertices
    transform = (0.0, 0.5, 0.0, 1000.0, 0.0, -0.5)
    fractions, ticks = call_with_ticker(landel.coverage_fractions, polygon, transform, (2000, 2000))
    assert fractions.sum() * 0.25 == pytest.approx(polygon.area, rel=1e-9)
    if ticks.end - ticks.start < 0.2:
        pytest.skip("coverage_fractions was too quick here to tell")
    assert ticks.max_gap < 0.25
