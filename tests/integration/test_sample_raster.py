"""End to end on the shipped raster sample (data/samples/polder/landel-raster.toml): the
polder measured from its 5 m land-cover map together with vector line and point elements.

The raster-owned figures are checked against an independent polygon computation: the
land-cover cells polygonized (GDAL Polygonize) and intersected with the areas and the NNN
polygons in shapely. Pond and small wood rank first in the sample's types.order, so their
areas are their cells in the rural land, whatever the vector elements do.
"""

import json

import numpy as np
import pytest
from osgeo import gdal
from shapely.ops import unary_union

import landel_testlib as lt

REL, ABS = 1e-6, 1e-6  # ha


@pytest.fixture(scope="module")
def raster_run(sample_dir, run_landel_session, tmp_path_factory):
    out = tmp_path_factory.mktemp("sample-raster") / "out"
    proc = run_landel_session("run", str(sample_dir / "landel-raster.toml"), "--out", str(out),
                              "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    return out


@pytest.fixture(scope="module")
def reference(sample_dir):
    ds = gdal.Open(str(sample_dir / "landcover_5m.tif"))
    codes = ds.GetRasterBand(1).ReadAsArray().astype(np.int32)
    cells = lt.CellPolygons(codes, ds.GetGeoTransform())
    gpkg = sample_dir / "landscape.gpkg"
    nnn = unary_union([lt.repair(f.geom) for f in lt.read_features(gpkg, "natuur")])
    out = {}
    for f in lt.read_features(gpkg, "gebieden"):
        area = lt.repair(f.geom)
        by_code = cells.areas_in(area)
        outside_nnn = cells.areas_in(area.difference(nnn))
        out[f.attrs["code"]] = {
            "area_ha": area.area / 1e4,
            "excl_built_ha": by_code.get(1, 0.0) / 1e4,
            "excl_roads_ha": by_code.get(2, 0.0) / 1e4,
            "excl_nnn_ha": area.intersection(nnn).area / 1e4,
            # nodata (code 0) outside every mask
            "nodata_ha": outside_nnn.get(0, 0.0) / 1e4,
            "rural_ha": sum(a for c, a in outside_nnn.items() if c not in (0, 1, 2)) / 1e4,
            "ha_pond": outside_nnn.get(11, 0.0) / 1e4,
            "ha_small_wood": outside_nnn.get(21, 0.0) / 1e4,
        }
    return out


def test_raster_figures_match_polygonized_cells(raster_run, reference):
    _, rows, _ = lt.read_csv(raster_run / "area_bid.csv")
    assert {r["area_id"] for r in rows} == set(reference)
    for r in rows:
        want = reference[r["area_id"]]
        for column, value in want.items():
            got = lt.num(r[column])
            assert abs(got - value) <= max(REL * abs(value), ABS), (r["area_id"], column, got, value)


def test_not_flown_corner_is_nodata_in_one_area(raster_run):
    _, rows, _ = lt.read_csv(raster_run / "area_bid.csv")
    nodata = {r["area_id"]: lt.num(r["nodata_ha"]) for r in rows}
    # x 142000..142400, y 431300..431600 lies in G03 and in no mask: 400 m x 300 m.
    assert nodata["G03"] == pytest.approx(12.0, abs=1e-6)
    assert all(v == 0.0 for k, v in nodata.items() if k != "G03")


def test_types_add_up_and_summary_describes_the_rasters(raster_run):
    header, rows, _ = lt.read_csv(raster_run / "area_bid.csv")
    types = [c[3:] for c in header if c.startswith("ha_")]
    assert types[-1] == "field_margin"
    for r in rows:
        total = sum(lt.num(r["ha_" + t]) for t in types)
        assert abs(total - lt.num(r["element_ha"])) <= 1e-5
        if lt.num(r["element_ha"]) > 0:
            assert lt.num(r["ha_field_margin"]) > 0  # the margins reach every rural area
    summary = json.loads((raster_run / "summary.json").read_text(encoding="utf-8"))
    grid = summary["rasters"]["analysis_grid"]
    assert (grid["cell_x_m"], grid["cell_y_m"]) == (5.0, 5.0)
    assert {s["role"] for s in summary["rasters"]["sources"]} == {"rural.exclude", "elements"}
    assert "element_density.tif" in summary["outputs"]
    assert summary["totals"]["nodata_ha"] == pytest.approx(12.0, abs=1e-6)


def test_density_raster_holds_the_element_area(raster_run):
    _, rows, _ = lt.read_csv(raster_run / "area_bid.csv")
    ds = gdal.Open(str(raster_run / "element_density.tif"))
    band = ds.GetRasterBand(1)
    share = band.ReadAsArray().astype(np.float64)
    gt = ds.GetGeoTransform()
    assert (gt[1], -gt[5]) == (25.0, 25.0)
    assert band.GetNoDataValue() == -1
    if max(ds.RasterXSize, ds.RasterYSize) > 256:  # one tile needs no overview
        assert band.GetOverviewCount() >= 1
    cell = gt[1] * -gt[5]
    total = share[share >= 0].sum() * cell / 1e4
    want = sum(lt.num(r["element_ha"]) for r in rows)
    assert abs(total - want) <= 1e-4 * want  # Float32 cells


def coverage_passes(summary):
    """The count in the raster pass's note "coverage fractions computed N times ..."."""
    notes = [n for n in summary["rasters"]["notes"] if n.startswith("coverage fractions computed")]
    assert len(notes) == 1, summary["rasters"]["notes"]
    return int(notes[0].split()[3])


def test_coverage_is_computed_once_for_all_rasters_on_a_grid(raster_run, sample_dir, run_landel, tmp_path):
    """Three rasters on one grid (the land cover as masks and elements, plus two copies of it as
    further element sources) share one coverage computation per area and chunk: the run
    computes as many as the sample with one raster file, and its timings show the pass's
    thread time on reading, coverage and cells."""
    one = json.loads((raster_run / "summary.json").read_text(encoding="utf-8"))
    for name in ("copy_a.tif", "copy_b.tif"):
        gdal.Translate(str(tmp_path / name), str(sample_dir / "landcover_5m.tif"))
    text = (sample_dir / "landel-raster.toml").read_text(encoding="utf-8")
    text = text.replace('path = "landscape.gpkg"', f'path = "{sample_dir / "landscape.gpkg"}"')
    text = text.replace('path = "landcover_5m.tif"', f'path = "{sample_dir / "landcover_5m.tif"}"')
    # Classes no other source names, so the figures of the sample's types stay as they were.
    text += (f'\n[[elements]]\npath = "{tmp_path / "copy_a.tif"}"\nclasses = {{ 99 = "orchard" }}\n'
             f'\n[[elements]]\npath = "{tmp_path / "copy_b.tif"}"\nclasses = {{ 98 = "reed_edge" }}\n')
    text = text.replace('order = [', 'order = ["orchard", "reed_edge", ') if "order = [" in text else text
    cfg = tmp_path / "three.toml"
    cfg.write_text(text, encoding="utf-8")
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"), "--quiet", "--no-maps")
    assert proc.returncode == 0, lt.describe(proc)
    three = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert len(three["rasters"]["sources"]) == len(one["rasters"]["sources"]) + 2
    assert coverage_passes(three) == coverage_passes(one) > 0
    assert "shared by the 5 raster source(s)" in " ".join(three["rasters"]["notes"])
    for key in ("read_cpu", "coverage_cpu", "cells_cpu"):
        assert three["timings_s"][f"measure.rasters.{key}"] >= 0.0
