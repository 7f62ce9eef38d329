"""landel.run: from a TOML path and from a dict, compared with the `landel run` binary on the
same config; the Result's table, layers, summary and warnings."""

from __future__ import annotations

import gc
import math
import os
import tomllib
from pathlib import Path

import numpy as np
import pytest

landel = pytest.importorskip("landel")

from landel_pyref import read_areas_layer, read_csv_rows  # noqa: E402

TEXT_COLUMNS = {"area_id", "area_name", "class", "status", "bid_region", "uncosted", "funding", "responsible",
                "conditions"}


def assert_table_matches_csv(table, csv_path):
    """Result.table against the CSV text read with the csv module: same columns, text as text,
    numbers equal to the CSV's figures, an empty share_pct as NaN."""
    header, rows = read_csv_rows(csv_path)
    assert list(table.columns) == header
    assert len(table) == len(rows)
    for i, row in enumerate(rows):
        for name, text in zip(header, row):
            value = table[name].iloc[i]
            if name in TEXT_COLUMNS or table[name].dtype == object:
                assert value == text, (i, name)
            elif text == "":
                assert math.isnan(value), (i, name)
            else:
                assert value == float(text), (i, name, value, text)


def absolute_paths(config: dict, folder: Path) -> dict:
    """A loaded TOML config with every `path` made absolute (dicts resolve against the cwd)."""
    if isinstance(config, dict):
        return {k: (str(folder / v) if k == "path" else absolute_paths(v, folder)) for k, v in config.items()}
    if isinstance(config, list):
        return [absolute_paths(v, folder) for v in config]
    return config


def test_run_from_path_equals_cli(path_run, cli_run):
    result, _, _ = path_run
    cli_out, _ = cli_run
    assert (result.output / "area_bid.csv").read_bytes() == (cli_out / "area_bid.csv").read_bytes()
    assert_table_matches_csv(result.table, cli_out / "area_bid.csv")
    assert sorted(p.name for p in result.output.iterdir()) == sorted(p.name for p in cli_out.iterdir())


def test_run_from_dict_equals_cli(sample_case, cli_run):
    cli_out, _ = cli_run
    with open(sample_case, "rb") as f:
        config = absolute_paths(tomllib.load(f), sample_case.parent)
    result = landel.run(config, threads=1)
    out = result.output
    try:
        assert out.is_dir()
        assert (out / "area_bid.csv").read_bytes() == (cli_out / "area_bid.csv").read_bytes()
        assert_table_matches_csv(result.table, cli_out / "area_bid.csv")
    finally:
        del result
        gc.collect()
    assert not out.exists(), "the temporary output folder outlived its Result"


def test_dict_relative_paths_resolve_against_cwd(sample_case, cli_run, tmp_path, monkeypatch):
    cli_out, _ = cli_run
    with open(sample_case, "rb") as f:
        config = tomllib.load(f)  # paths relative, as in the file
    monkeypatch.chdir(sample_case.parent)
    result = landel.run(config, tmp_path / "out")
    assert result.output == tmp_path / "out"
    assert (result.output / "area_bid.csv").read_bytes() == (cli_out / "area_bid.csv").read_bytes()


def test_result_areas_layer(path_run, cli_run):
    result, _, _ = path_run
    areas = result.areas
    assert areas.crs is not None and areas.crs.to_epsg() == 28992
    assert areas["area_id"].tolist() == [f"G0{i}" for i in range(1, 8)]
    assert all(isinstance(v, str) for v in areas["area_id"])
    # the same full-precision figures as the binary's layer, and geometries whose planar area
    # is area_ha
    cli_areas = read_areas_layer(cli_run[0] / "areas.gpkg")
    assert list(areas.columns) == list(cli_areas.columns)
    for name in ("area_ha", "rural_ha", "element_ha", "share_pct", "ha_hedge", "gap_2050_ha"):
        assert np.array_equal(areas[name].to_numpy(float), cli_areas[name].to_numpy(float), equal_nan=True), name
    for geom, ha in zip(areas.geometry, areas["area_ha"]):
        assert geom.area / 1e4 == pytest.approx(ha, rel=1e-9)


def test_result_elements_layer_sums_to_type_columns(path_run):
    result, _, _ = path_run
    elements = result.elements
    assert elements.crs.to_epsg() == 28992
    table = result.table.set_index("area_id")
    sums = {}
    for aid, t, geom in zip(elements["area_id"], elements["type"], elements.geometry):
        sums[(aid, t)] = sums.get((aid, t), 0.0) + geom.area / 1e4
    for (aid, t), ha in sums.items():
        assert ha == pytest.approx(table.loc[aid, f"ha_{t}"], abs=1e-6), (aid, t)


def test_summary_and_warnings(path_run, cli_run):
    result, _, _ = path_run
    cli_out, cli_warnings = cli_run
    summary = result.summary
    for key in ("landel_version", "config_path", "run", "threads", "inputs", "crs_transforms",
                "repaired_geometries", "sources", "outputs", "warnings", "totals", "timings_s"):
        assert key in summary, key
    assert summary["landel_version"] == landel.__version__
    assert summary["threads"] == 2
    assert result.warnings == cli_warnings
    assert result.warnings, "the sample repairs one geometry: a warning is expected"
    # totals are ratios of sums of the table's columns
    table = result.table
    totals = summary["totals"]
    rural = table["rural_ha"].sum()
    element = table["element_ha"].sum()
    assert totals["areas"] == len(table) == 7
    assert totals["rural_ha"] == pytest.approx(rural, abs=1e-5)
    assert totals["element_ha"] == pytest.approx(element, abs=1e-5)
    assert totals["share_pct"] == pytest.approx(100 * element / rural, abs=1e-5)


def test_progress_callback_called(path_run):
    _, _, calls = path_run
    assert len(calls) >= 3
    fractions = [f for f, _ in calls]
    assert all(0.0 <= f <= 1.0 for f in fractions)
    assert fractions == sorted(fractions)
    assert all(isinstance(stage, str) for _, stage in calls)


def test_existing_output_folder_needs_overwrite(sample_case, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("old")
    with pytest.raises(landel.Error) as info:
        landel.run(sample_case, out)
    assert str(out) in str(info.value)
    assert (out / "old.txt").exists()
    result = landel.run(os.fspath(sample_case), os.fspath(out), overwrite=True, threads=2)
    assert result.output == out
    assert not (out / "old.txt").exists()
    assert (out / "area_bid.csv").is_file()
