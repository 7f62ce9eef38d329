"""landel.coverage_fractions and landel.zonal_class_areas against per-cell shapely
intersections."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import MultiPolygon, Polygon, box

landel = pytest.importorskip("landel")

from landel_pyref import coverage_reference, zonal_reference  # noqa: E402

# 9 columns x 7 rows of 10 x 10 m cells, origin not on a round number
TRANSFORM = (150003.25, 10.0, 0.0, 440071.5, 0.0, -10.0)
SHAPE = (7, 9)


def holed_polygon():
    shell = [(150008.1, 440012.3), (150071.7, 440004.9), (150086.2, 440049.4), (150040.0, 440069.9),
             (150011.0, 440055.5)]
    hole = [(150030.3, 440025.1), (150052.6, 440027.7), (150047.2, 440047.0), (150029.9, 440041.2)]
    return Polygon(shell, [hole])


def multipolygon():
    a = Polygon([(150000.0, 440000.0), (150030.0, 440003.0), (150024.0, 440031.0)])
    b = box(150051.1, 440040.2, 150100.0, 440080.0)  # leaves the grid to the north and east
    return MultiPolygon([a, b])


@pytest.mark.parametrize("make", [holed_polygon, multipolygon], ids=["holed", "multi"])
def test_coverage_fractions_equal_shapely(make):
    polygon = make()
    got = landel.coverage_fractions(polygon, TRANSFORM, SHAPE)
    assert isinstance(got, np.ndarray)
    assert got.shape == SHAPE and got.dtype == np.float64
    want = coverage_reference(polygon, TRANSFORM, SHAPE)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
    assert (got > 0).sum() > 10 and (got == 1).sum() > 0 and (got == 0).sum() > 0  # a real test
    # the covered area inside the grid, cell by cell, is the polygon's area inside the grid
    x0, dx, _, y0, _, ndy = TRANSFORM
    grid = box(x0, y0 + SHAPE[0] * ndy, x0 + SHAPE[1] * dx, y0)
    assert got.sum() * dx * -ndy == pytest.approx(polygon.intersection(grid).area, rel=1e-12)


def test_coverage_fractions_rectangular_cells_and_wkb():
    transform = (0.0, 2.0, 0.0, 30.0, 0.0, -5.0)
    polygon = Polygon([(1.0, 1.0), (17.0, 3.0), (9.0, 28.0)], [[(8.0, 8.0), (11.0, 9.0), (9.0, 14.0)]])
    want = coverage_reference(polygon, transform, (6, 10))
    np.testing.assert_allclose(landel.coverage_fractions(polygon, transform, (6, 10)), want, atol=1e-9)
    np.testing.assert_allclose(landel.coverage_fractions(polygon.wkb, transform, (6, 10)), want, atol=1e-9)


def test_coverage_fractions_polygon_outside_grid():
    got = landel.coverage_fractions(box(0, 0, 5, 5), TRANSFORM, SHAPE)
    assert got.shape == SHAPE and not got.any()


@pytest.mark.parametrize("transform,shape", [
    ((0.0, 1.0, 0.5, 10.0, 0.0, -1.0), (3, 3)),   # rotated
    ((0.0, 1.0, 0.0, 10.0, 0.0, 1.0), (3, 3)),    # south-up
    ((0.0, 1.0, 0.0, 10.0), (3, 3)),              # not a geotransform
    ((0.0, 1.0, 0.0, 10.0, 0.0, -1.0), (0, 3)),   # empty
])
def test_coverage_fractions_bad_grid(transform, shape):
    with pytest.raises(landel.InvalidInput):
        landel.coverage_fractions(box(0, 0, 5, 5), transform, shape)


def test_coverage_fractions_not_a_polygon():
    from shapely.geometry import LineString
    with pytest.raises(landel.InvalidInput, match="LineString"):
        landel.coverage_fractions(LineString([(0, 0), (5, 5)]), TRANSFORM, SHAPE)
    with pytest.raises(landel.InvalidInput, match="LineString"):
        landel.coverage_fractions(LineString([(0, 0), (5, 5)]).wkb, TRANSFORM, SHAPE)
    with pytest.raises(landel.InvalidInput):
        landel.coverage_fractions("not a geometry", TRANSFORM, SHAPE)
    with pytest.raises(landel.InvalidInput):
        landel.coverage_fractions(b"\x01\x02", TRANSFORM, SHAPE)


def classes_grid():
    rng = np.random.default_rng(7)
    return rng.choice(np.array([1, 10, 21, 31, 255], dtype=np.uint8), size=SHAPE)


@pytest.mark.parametrize("make", [holed_polygon, multipolygon], ids=["holed", "multi"])
def test_zonal_class_areas_equal_shapely(make):
    polygon = make()
    classes = classes_grid()
    got, nodata = landel.zonal_class_areas(polygon, classes, TRANSFORM)
    want, want_nodata = zonal_reference(polygon, classes, TRANSFORM, np.ones(SHAPE, bool))
    assert set(got) == set(want)
    for k in want:
        assert got[k] == pytest.approx(want[k], rel=1e-12, abs=1e-7), k
    assert nodata == want_nodata == 0.0
    assert all(isinstance(k, int) for k in got)


def test_zonal_class_areas_nodata_value_and_valid_mask():
    polygon = holed_polygon()
    classes = classes_grid()
    valid = np.ones(SHAPE, bool)
    valid[2:5, 3:6] = False
    # nodata value 255 and the valid mask together
    got, nodata = landel.zonal_class_areas(polygon, classes, TRANSFORM, nodata=255, valid=valid)
    want, want_nodata = zonal_reference(polygon, classes, TRANSFORM, valid & (classes != 255))
    assert 255 not in got
    assert set(got) == set(want)
    for k in want:
        assert got[k] == pytest.approx(want[k], rel=1e-12, abs=1e-7), k
    assert nodata == pytest.approx(want_nodata, rel=1e-12)
    assert nodata > 0
    # every part of the polygon inside the grid is counted once, as a class or as nodata
    assert sum(got.values()) + nodata == pytest.approx(polygon.area, rel=1e-12)


def test_zonal_class_areas_float_classes_with_nan():
    polygon = multipolygon()
    classes = classes_grid().astype(np.float32)
    classes[0, :] = np.nan
    classes[3, 4] = -9999.0
    got, nodata = landel.zonal_class_areas(polygon, classes, TRANSFORM, nodata=-9999.0)
    valid = np.isfinite(classes) & (classes != -9999.0)
    want, want_nodata = zonal_reference(polygon, np.nan_to_num(classes).astype(np.int64), TRANSFORM, valid)
    assert set(got) == set(want)
    for k in want:
        assert got[k] == pytest.approx(want[k], rel=1e-12, abs=1e-7), k
    assert nodata == pytest.approx(want_nodata, rel=1e-12)
    assert nodata > 0


def test_zonal_class_areas_nan_nodata():
    classes = np.full(SHAPE, 5.0)
    classes[:, :4] = np.nan
    polygon = box(150003.25, 440001.5, 150093.25, 440071.5)  # the whole grid
    got, nodata = landel.zonal_class_areas(polygon, classes, TRANSFORM, nodata=float("nan"))
    assert got == {5: pytest.approx(7 * 5 * 100.0, rel=1e-12)}
    assert nodata == pytest.approx(7 * 4 * 100.0, rel=1e-12)


def test_zonal_class_areas_bad_input():
    with pytest.raises(landel.InvalidInput):
        landel.zonal_class_areas(box(0, 0, 1, 1), np.zeros((2, 2, 2)), TRANSFORM)
    with pytest.raises(landel.InvalidInput):
        landel.zonal_class_areas(box(0, 0, 1, 1), np.zeros(SHAPE), TRANSFORM, valid=np.ones((2, 2), bool))
    with pytest.raises(landel.InvalidInput, match="whole numbers"):
        landel.zonal_class_areas(box(0, 0, 1, 1), np.full(SHAPE, 1.5), TRANSFORM)
