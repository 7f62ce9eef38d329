"""QGIS-ready outputs: the default styles stored in areas.gpkg and landel.qgs, as PyQGIS
(Debian's python3-qgis, headless) sees them. Skipped when PyQGIS is not installed."""

import json
import os
import subprocess
from pathlib import Path

import pytest

import landel_testlib as lt

PYTHON = "/usr/bin/python3"
HERE = Path(__file__).parent


def have_pyqgis():
    return subprocess.run([PYTHON, "-c", "import qgis.core"], capture_output=True).returncode == 0


pytestmark = pytest.mark.skipif(not have_pyqgis(), reason="python3-qgis not installed")


@pytest.fixture(scope="module")
def qgis_view(repo_root, run_landel_session, tmp_path_factory):
    folder = tmp_path_factory.mktemp("qgis")
    out = folder / "run"
    proc = run_landel_session("run", str(repo_root / "data/samples/polder/landel.toml"), "--out", str(out), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    png = folder / "areas.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(folder))
    check = subprocess.run([PYTHON, str(HERE / "qgis_check.py"), str(out), str(png)], capture_output=True,
                           text=True, timeout=300, env=env)
    assert check.returncode == 0, check.stderr
    report = json.loads(check.stdout.strip().splitlines()[-1])
    return out, png, report


def test_layers_open_with_their_stored_styles(qgis_view, repo_root):
    _, _, report = qgis_view
    areas = report["layers"]["areas"]
    assert areas["valid"] and areas["renderer"] == "graduatedSymbol" and areas["labels"]
    # 5% and 10% targets: breaks at 0, 2.5, 5 and 10 %, four classes.
    assert [c[:2] for c in areas["classes"]] == [[0, 2.5], [2.5, 5], [5, 10], [10, 100]]
    assert "2030 target met" in areas["classes"][2][2] and "2050 target met" in areas["classes"][3][2]
    elements = report["layers"]["elements"]
    cfg = lt.load_toml(repo_root / "data/samples/polder/landel.toml")
    assert elements["valid"] and elements["renderer"] == "categorizedSymbol"
    assert elements["classes"] == lt.config_types(cfg)
    assert report["layers"]["study_area"]["renderer"] == "singleSymbol"
    assert report["layers"]["rural_land"]["valid"] and report["layers"]["rural_land"]["renderer"] == "singleSymbol"


def test_project_loads_every_layer_with_relative_paths(qgis_view):
    out, _, report = qgis_view
    assert report["project_read"]
    names = {layer["name"]: layer for layer in report["project"]}
    assert set(names) == {"Study area", "Areas: element share", "Landscape elements", "Rural land",
                          "Element density"}
    assert all(layer["valid"] for layer in report["project"])
    assert names["Element density"]["renderer"] == "singlebandpseudocolor"
    text = (out / "landel.qgs").read_text(encoding="utf-8")
    assert "./areas.gpkg|layername=areas" in text and str(out) not in text


def test_areas_render_to_a_png_that_is_not_blank(qgis_view):
    _, png, report = qgis_view
    assert png.is_file() and report["png_size"] == [800, 600]
    assert report["png_colours"] >= 4  # background, outlines, labels and the class colours


def test_delineated_areas_open_categorised_by_class(repo_root, run_landel, tmp_path):
    out = tmp_path / "areas"
    proc = run_landel("delineate", str(repo_root / "data/samples/polder/landel-overlay.toml"), "--out", str(out),
                      "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    script = ("import os, json\nos.environ['QT_QPA_PLATFORM']='offscreen'\n"
              "from qgis.core import QgsApplication, QgsVectorLayer\n"
              "app = QgsApplication([], False); app.initQgis()\n"
              f"l = QgsVectorLayer('{out}/areas.gpkg|layername=areas', 'a', 'ogr')\n"
              "r = l.renderer()\n"
              "print(json.dumps([l.isValid(), r.type(), [c.value() for c in r.categories()]]), flush=True)\n"
              "os._exit(0)\n")
    check = subprocess.run([PYTHON, "-c", script], capture_output=True, text=True, timeout=300,
                           env=dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(tmp_path)))
    valid, renderer, categories = json.loads(check.stdout.strip().splitlines()[-1])
    classes = sorted({a["class"] for a, _ in lt.read_output_layer(out / "areas.gpkg", "areas")[2]})
    assert valid and renderer == "categorizedSymbol" and categories == classes
