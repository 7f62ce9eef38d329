"""Exceptions: the engine's errors arrive as landel.Error subclasses whose messages are the
`landel` binary's one-line `landel: error: ...` text; cancelling leaves no output."""

from __future__ import annotations

import os

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, box

landel = pytest.importorskip("landel")

from landel_pyref import run_cli  # noqa: E402

ERROR_PREFIX = "landel: error: "


def cli_error(binary, config, out):
    """The text of the binary's one error line for `landel run config --out out`."""
    proc = run_cli(binary, ["run", config, "--out", out, "--quiet"])
    assert proc.returncode != 0
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith(ERROR_PREFIX)]
    assert len(lines) == 1, proc.stderr
    return lines[0][len(ERROR_PREFIX):]


def variant(sample_case, name, old, new):
    """A copy of the sample case's TOML (beside it, so relative paths hold) with one edit."""
    text = sample_case.read_text(encoding="utf-8")
    assert old in text, old
    path = sample_case.parent / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_exception_hierarchy():
    for cls in (landel.ConfigError, landel.InvalidInput, landel.InputOutputError, landel.GeometryError,
                landel.Cancelled):
        assert issubclass(cls, landel.Error)
        assert cls.__module__ == "landel"
    assert issubclass(landel.Error, RuntimeError)
    assert issubclass(landel.ConfigError, ValueError)
    assert issubclass(landel.InvalidInput, ValueError)
    assert issubclass(landel.InputOutputError, OSError)


@pytest.mark.parametrize("name,old,new,cls", [
    ("unknown_key.toml", 'name = "Voorbeeldpolder"', 'name = "Voorbeeldpolder"\ncolour = "red"',
     landel.ConfigError),
    ("wrong_type.toml", "measurement_year = 2024", 'measurement_year = "2024"', landel.ConfigError),
    ("bad_width.toml", "width_m = 1.5", "width_m = -1.5", landel.ConfigError),
    ("bad_share.toml", "share = 0.10", "share = 1.5", landel.ConfigError),
    ("missing_type.toml", '"solitary_tree", "natural_bank"]', '"solitary_tree"]', landel.ConfigError),
])
def test_config_error_equals_cli_line(landel_bin, sample_case, tmp_path, name, old, new, cls):
    config = variant(sample_case, name, old, new)
    want = cli_error(landel_bin, config, tmp_path / "cli")
    with pytest.raises(cls) as info:
        landel.run(config, tmp_path / "py")
    assert type(info.value) is cls
    assert str(info.value) == want
    assert want.startswith(f"{name}:")  # names the file and line
    assert not (tmp_path / "py").exists()


def test_config_error_from_dict_names_the_key(sample_case, tmp_path):
    import tomllib
    with open(sample_case, "rb") as f:
        config = tomllib.load(f)
    config["run"]["colour"] = "red"
    with pytest.raises(landel.ConfigError, match="colour"):
        landel.run(config, tmp_path / "py")


def test_missing_input_file_equals_cli_line(landel_bin, sample_case, tmp_path):
    config = variant(sample_case, "missing.toml", 'layer = "bomen"', 'layer = "bomen"\nassume_crs = "EPSG:28992"')
    text = config.read_text(encoding="utf-8")
    text = text.replace('path = "landscape.gpkg"\nlayer = "bomen"', 'path = "nothere.gpkg"\nlayer = "bomen"')
    config.write_text(text, encoding="utf-8")
    want = cli_error(landel_bin, config, tmp_path / "cli")
    with pytest.raises(landel.Error) as info:
        landel.run(config, tmp_path / "py")
    assert isinstance(info.value, landel.InputOutputError)
    assert str(info.value) == want
    assert "nothere.gpkg" in want
    assert not (tmp_path / "py").exists()


def test_missing_config_file(landel_bin, tmp_path):
    missing = tmp_path / "nothere.toml"
    want = cli_error(landel_bin, missing, tmp_path / "cli")
    with pytest.raises(landel.InputOutputError) as info:
        landel.run(missing)
    assert str(info.value) == want
    assert str(missing) in str(info.value)
    with pytest.raises(OSError):  # what Python's own file functions raise
        landel.run(str(missing))


def test_geographic_run_crs_equals_cli_line(landel_bin, sample_case, tmp_path):
    config = variant(sample_case, "geographic.toml", 'crs = "EPSG:28992"', 'crs = "EPSG:4326"')
    want = cli_error(landel_bin, config, tmp_path / "cli")
    with pytest.raises(landel.Error) as info:
        landel.run(config, tmp_path / "py")
    assert str(info.value) == want
    assert "EPSG:4326" in want


def test_progress_false_cancels_and_leaves_nothing(sample_case, tmp_path):
    out = tmp_path / "out"
    seen = []

    def progress(fraction, stage):
        seen.append(fraction)
        return fraction < 0.3  # stop a third of the way

    with pytest.raises(landel.Cancelled):
        landel.run(sample_case, out, threads=2, progress=progress)
    assert seen and max(seen) >= 0.3
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary folder beside it either


def test_progress_exception_propagates_and_leaves_nothing(sample_case, tmp_path):
    out = tmp_path / "out"

    class Stop(Exception):
        pass

    def progress(fraction, stage):
        if fraction > 0.2:
            raise Stop(f"at {stage}")

    with pytest.raises(Stop):
        landel.run(sample_case, out, threads=2, progress=progress)
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------- error types through every job

UNKNOWN_KEY = ('name = "Voorbeeldpolder"', 'name = "Voorbeeldpolder"\ncolour = "red"')


def missing_input(sample_case, name="missing_input.toml", path="nothere.gpkg"):
    """The sample's config with the trees read from @p path, which does not exist."""
    return variant(sample_case, name, 'path = "landscape.gpkg"\nlayer = "bomen"',
                   f'path = "{path}"\nlayer = "bomen"\nassume_crs = "EPSG:28992"')


def test_error_naming_the_staging_folder_keeps_its_type(sample_case, tmp_path):
    # The job layer rewrites a message naming its temporary folder `<out>.tmp-<pid>` (gone
    # once the job has failed) to name --out as given; the error must stay an InputOutputError.
    out = tmp_path / "out"
    staging = f"{out.resolve()}.tmp-{os.getpid()}"  # this process runs the job
    config = missing_input(sample_case, "missing_in_staging.toml", f"{staging}/nothere.gpkg")
    with pytest.raises(landel.Error) as info:
        landel.run(config, out)
    assert type(info.value) is landel.InputOutputError
    assert staging not in str(info.value)
    assert f"{out}/nothere.gpkg" in str(info.value)
    assert not out.exists()


def test_run_errors_keep_their_type(sample_case, tmp_path):
    with pytest.raises(landel.InputOutputError, match="nothere.gpkg"):
        landel.run(missing_input(sample_case), tmp_path / "a")
    with pytest.raises(landel.ConfigError, match="colour"):
        landel.run(variant(sample_case, "unknown_key.toml", *UNKNOWN_KEY), tmp_path / "b")


def test_bid_errors_keep_their_type(landel_bin, sample_case, cli_run, tmp_path):
    run_dir, _ = cli_run
    with pytest.raises(landel.ConfigError, match="colour"):
        landel.bid(variant(sample_case, "bid_unknown_key.toml", *UNKNOWN_KEY), run_dir, tmp_path / "a")
    with pytest.raises(landel.InputOutputError, match="no areas.gpkg"):
        landel.bid(sample_case, tmp_path / "no_run", tmp_path / "b")
    costs = variant(sample_case, "bid_costs.toml", "[targets]", '[bid]\ncosts = "nothere.csv"\n\n[targets]')
    proc = run_cli(landel_bin, ["bid", costs, "--from", run_dir, "--out", tmp_path / "cli", "--quiet"])
    want = [ln for ln in proc.stderr.splitlines() if ln.startswith(ERROR_PREFIX)]
    assert proc.returncode == 1 and len(want) == 1, proc.stderr
    with pytest.raises(landel.Error) as info:
        landel.bid(costs, run_dir, tmp_path / "c")
    assert type(info.value) is landel.InputOutputError
    assert str(info.value) == want[0][len(ERROR_PREFIX):]
    assert "bid.costs" in str(info.value) and "nothere.csv" in str(info.value)
    with pytest.raises(landel.InputOutputError, match="no areas.gpkg"):
        landel.render(sample_case, tmp_path / "no_run", tmp_path / "d")


def test_dask_errors_keep_their_type(sample_case, tmp_path):
    import landel.dask
    unknown = variant(sample_case, "dask_unknown_key.toml", *UNKNOWN_KEY)
    # Planning reads the areas only: make them the missing input.
    missing = variant(sample_case, "dask_missing_input.toml", 'path = "landscape.gpkg"\nlayer = "gebieden"',
                      'path = "nothere.gpkg"\nlayer = "gebieden"\nassume_crs = "EPSG:28992"')
    with pytest.raises(landel.ConfigError, match="colour"):
        landel.dask.plan(unknown, 2)
    with pytest.raises(landel.InputOutputError, match="nothere.gpkg"):
        landel.dask.plan(missing, 2)
    # Both fail while planning, before any piece goes to the cluster (so no client is needed).
    with pytest.raises(landel.ConfigError, match="colour"):
        landel.dask.run(unknown, None, tmp_path / "a", pieces=2)
    with pytest.raises(landel.InputOutputError, match="nothere.gpkg"):
        landel.dask.run(missing, None, tmp_path / "b", pieces=2)
    with pytest.raises(landel.InputOutputError):
        landel.dask.run(tmp_path / "nothere.toml", None, tmp_path / "c", pieces=2)


# ----------------------------------------------------------------------------- measure

RD = "EPSG:28992"


def one_area():
    return gpd.GeoDataFrame({"id": ["a"]}, geometry=[box(0, 0, 100, 100)], crs=RD)


def test_measure_line_without_width():
    lines = gpd.GeoDataFrame({"w": [2.0, None]}, geometry=[LineString([(1, 1), (50, 1)]),
                                                          LineString([(1, 5), (50, 5)])], crs=RD)
    with pytest.raises(landel.InvalidInput) as info:
        landel.measure(one_area(), [dict(gdf=lines, type="hedge", width_field="w", label="hedges")])
    assert "hedges" in str(info.value) and "1" in str(info.value)


def test_measure_width_not_positive():
    points = gpd.GeoDataFrame(geometry=[Point(5, 5)], crs=RD)
    # an element dict's keys are an [[elements]] section's: a bad value is a ConfigError
    with pytest.raises(landel.ConfigError, match="width_m"):
        landel.measure(one_area(), [dict(gdf=points, type="tree", width_m=0)])


def test_measure_width_field_text():
    lines = gpd.GeoDataFrame({"w": ["2", "wide"]}, geometry=[LineString([(1, 1), (50, 1)]),
                                                             LineString([(1, 5), (50, 5)])], crs=RD)
    with pytest.raises(landel.InvalidInput, match="'wide' is not a number"):
        landel.measure(one_area(), [dict(gdf=lines, type="hedge", width_field="w")])


def test_measure_bad_element_specs():
    lines = gpd.GeoDataFrame(geometry=[LineString([(1, 1), (50, 1)])], crs=RD)
    with pytest.raises(landel.ConfigError, match="unknown key"):  # as in an [[elements]] section
        landel.measure(one_area(), [dict(gdf=lines, type="hedge", width=2)])
    with pytest.raises(landel.ConfigError, match="give either .type. or .type_field."):
        landel.measure(one_area(), [dict(gdf=lines, width_m=2)])
    with pytest.raises(landel.InvalidInput, match="not in types"):
        landel.measure(one_area(), [dict(gdf=lines, type="hedge", width_m=2)], types=["pond"])
    with pytest.raises(landel.InvalidInput, match="no CRS"):
        landel.measure(one_area(), [dict(gdf=gpd.GeoDataFrame(geometry=list(lines.geometry)), type="hedge",
                                         width_m=2)])


def test_measure_areas_not_polygons_and_duplicates():
    lines = gpd.GeoDataFrame({"id": ["a"]}, geometry=[LineString([(1, 1), (50, 1)])], crs=RD)
    with pytest.raises(landel.InvalidInput, match="not polygons"):
        landel.measure(lines, [], id_field="id")
    twice = gpd.GeoDataFrame({"id": ["a", "a"]}, geometry=[box(0, 0, 1, 1), box(2, 0, 3, 1)], crs=RD)
    with pytest.raises(landel.InvalidInput, match="duplicate area_id values: a"):
        landel.measure(twice, [], id_field="id")
    no_id = gpd.GeoDataFrame({"id": ["a", None]}, geometry=[box(0, 0, 1, 1), box(2, 0, 3, 1)], crs=RD)
    with pytest.raises(landel.InvalidInput, match="id_field"):
        landel.measure(no_id, [], id_field="id")
