"""The QGIS plugin (qgis/landel_processing, built into <build>/qgis/landel_processing.zip):
installed from its zip into a clean QGIS profile folder and run headless through Processing
(Debian's python3-qgis). Its algorithms are listed by the processing registry; landel:run and
landel:measure on the sample write the CSV the `landel` binary writes for the same config,
byte for byte; cancelling through the feedback leaves no output; a bad input is landel's
one-line message as the Processing error; results open in the project styled, elements above
the areas; without the bindings the plugin says so. Skipped without PyQGIS."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from landel_pyref import run_cli

PYTHON = "/usr/bin/python3"
HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SAMPLE = REPO / "data" / "samples" / "polder"


def have_pyqgis():
    return subprocess.run([PYTHON, "-c", "import qgis.core"], capture_output=True).returncode == 0


pytestmark = pytest.mark.skipif(not have_pyqgis(), reason="python3-qgis not installed")


def plugin_zip():
    build = Path(os.environ.get("LANDEL_BUILD_DIR", REPO / "build"))
    path = build / "qgis" / "landel_processing.zip"
    if not path.is_file():
        pytest.skip(f"{path} not built")
    return path


def run_check(folder, pythonpath):
    """qgis_plugin_check.py in its own process (QGIS owns the Qt application there)."""
    sample = folder / "sample"
    sample.mkdir()
    shutil.copy2(SAMPLE / "landscape.gpkg", sample / "landscape.gpkg")
    shutil.copy2(SAMPLE / "fysisch.gpkg", sample / "fysisch.gpkg")
    text = (SAMPLE / "landel.toml").read_text(encoding="utf-8")
    (sample / "landel.toml").write_text(
        "\n".join(ln for ln in text.splitlines() if not ln.startswith("output =")) + "\n[render]\nmax_area_maps = 0\n",
        encoding="utf-8")
    (folder / "work").mkdir()
    runtime = folder / "runtime"
    runtime.mkdir(mode=0o700)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(runtime), PYTHONPATH=pythonpath)
    proc = subprocess.run([PYTHON, str(HERE / "qgis_plugin_check.py"), str(plugin_zip()), str(folder / "profile"),
                           str(folder / "work"), str(sample)], capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return sample, folder / "work", json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def plugin(tmp_path_factory):
    import landel
    return run_check(tmp_path_factory.mktemp("plugin"), str(Path(landel.__file__).parents[1]))


def test_the_zip_installs_and_lists_its_algorithms(plugin):
    _, _, report = plugin
    assert report["profile_plugins"] == ["landel_processing"]
    assert report["algorithms"] == ["landel:bid", "landel:compare", "landel:delineate", "landel:measure",
                                    "landel:run"]
    import landel
    assert report["provider"] == f"landel {landel.__version__}"


def test_run_writes_the_clis_csv(plugin, landel_bin, tmp_path):
    sample, work, report = plugin
    assert report["run"] == {"ok": True, "result": {"OUTPUT": str(work / "run")}}
    proc = run_cli(landel_bin, ["run", sample / "landel.toml", "--out", tmp_path / "cli", "--quiet"])
    assert proc.returncode == 0, proc.stderr
    for name in ("area_bid.csv", "bid_phasing.csv"):
        assert (work / "run" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name


MEASURE_TOML = """[run]
name = "gebieden"
crs = "EPSG:28992"
measurement_year = 2024
[areas]
method = "given"
[[areas.layers]]
path = "landscape.gpkg"
layer = "gebieden"
id_field = "code"
name_field = "naam"
[[elements]]
path = "landscape.gpkg"
layer = "lijnelementen"
where = "soort = 'haag'"
type = "hedge"
width_m = 1.5
[[elements]]
path = "landscape.gpkg"
layer = "vlakelementen"
type = "small_wood"
""" + "".join(f'[[rural.exclude]]\npath = "landscape.gpkg"\nlayer = "{m}"\n' for m in ("bebouwing", "wegen", "natuur"))


def test_measure_of_project_layers_writes_the_clis_csv(plugin, landel_bin, tmp_path):
    """The layers the check script picks (areas, a filtered line layer with a width, a polygon
    layer, three masks) written out as the config a user would write for the CLI."""
    sample, work, report = plugin
    assert report["measure"]["ok"], report["measure"]
    (sample / "measure.toml").write_text(MEASURE_TOML, encoding="utf-8")
    proc = run_cli(landel_bin, ["run", sample / "measure.toml", "--out", tmp_path / "cli", "--quiet"])
    assert proc.returncode == 0, proc.stderr
    assert (work / "measure" / "area_bid.csv").read_bytes() == (tmp_path / "cli" / "area_bid.csv").read_bytes()
    assert report["measure_bad_types"] == {
        "ok": False, "error": "TYPES: give one landel type per element layer (2 layers, 1 types)"}


def test_cancel_stops_the_run_and_leaves_no_output(plugin):
    _, work, report = plugin
    assert report["cancel"] == {"ok": False, "error": "landel: cancelled; no output was written"}
    assert not report["cancel_left"] and not (work / "cancelled").exists()
    assert not [p for p in work.iterdir() if p.name.startswith(".cancelled") or p.name.startswith("cancelled")]


def test_a_bad_input_is_landels_message(plugin, landel_bin, tmp_path):
    _, work, report = plugin
    proc = run_cli(landel_bin, ["run", work / "bad.toml", "--out", tmp_path / "bad", "--quiet"])
    assert proc.returncode != 0
    assert report["bad"] == {"ok": False, "error": proc.stderr.strip().removeprefix("landel: error: ")}
    assert not (work / "bad").exists()


def test_results_open_styled_with_the_elements_above_the_areas(plugin):
    _, work, report = plugin
    assert report["loaded"]["ok"], report["loaded"]
    gpkg = work / "loaded" / "areas.gpkg"
    assert report["tree"] == [
        {"name": "Study area", "source": f"{gpkg}|layername=study_area", "renderer": "singleSymbol"},
        {"name": "Landscape elements", "source": f"{gpkg}|layername=elements", "renderer": "categorizedSymbol"},
        {"name": "Areas: element share", "source": f"{gpkg}|layername=areas", "renderer": "graduatedSymbol"},
    ]


def test_bid_compare_and_delineate_write_what_the_cli_writes(plugin, landel_bin, tmp_path):
    sample, work, report = plugin
    for job in ("bid", "run_2020", "compare", "delineate"):
        assert report[job]["ok"], (job, report[job])
    # The bid from the run, with the run's config, is the run's bid.
    assert (work / "bid" / "area_bid.csv").read_bytes() == (work / "run" / "area_bid.csv").read_bytes()
    proc = run_cli(landel_bin, ["compare", work / "run", work / "run_2020", "--language", "nl", "--out",
                                tmp_path / "compare", "--quiet"])
    assert proc.returncode == 0, proc.stderr
    for name in ("change.csv", "trajectory.csv"):
        assert (work / "compare" / name).read_bytes() == (tmp_path / "compare" / name).read_bytes(), name
    assert '<html lang="nl">' in (work / "compare" / "report.html").read_text(encoding="utf-8")
    (sample / "overlay.toml").write_text(
        '[run]\nname = "QGIS delineation"\ncrs = "EPSG:28992"\n[areas]\nmethod = "overlay"\nmin_area_ha = 2\n'
        '[[areas.layers]]\npath = "fysisch.gpkg"\nlayer = "fgr"\nfield = "regio"\n'
        '[[areas.layers]]\npath = "fysisch.gpkg"\nlayer = "bodem"\nfield = "bodemtype"\n', encoding="utf-8")
    proc = run_cli(landel_bin, ["delineate", sample / "overlay.toml", "--out", tmp_path / "areas", "--quiet"])
    assert proc.returncode == 0, proc.stderr
    import geopandas as gpd
    mine = gpd.read_file(work / "delineate" / "areas.gpkg", layer="areas").sort_values("area_id")
    cli = gpd.read_file(tmp_path / "areas" / "areas.gpkg", layer="areas").sort_values("area_id")
    assert len(mine) > 1
    assert mine.drop(columns="geometry").reset_index(drop=True).equals(cli.drop(columns="geometry").reset_index(drop=True))
    assert [g.wkb for g in mine.geometry] == [g.wkb for g in cli.geometry]


def test_without_the_bindings_the_plugin_says_so(tmp_path):
    _, work, report = run_check(tmp_path, "")
    assert report["algorithms"] == ["landel:bid", "landel:compare", "landel:delineate", "landel:measure",
                                    "landel:run"]
    assert report["provider"] == "landel (Python bindings not installed)"
    assert not report["run"]["ok"]
    assert report["run"]["error"].startswith("landel's Python bindings are not installed for QGIS' Python")
    assert not (work / "run").exists()
