"""QGIS-ready outputs: the default styles stored in areas.gpkg and landel.qgs, as PyQGIS
(Debian's python3-qgis, headless) sees and draws them: the project's layer tree resolves to
its layers like a project QGIS writes itself, the elements are drawn above the areas in their
legend colours, and the areas' class colours show on land without elements. Skipped when
PyQGIS is not installed."""

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


def element_rich_area(out):
    """The area with the most element types (the one whose render shows the most colours)."""
    _, _, rows = lt.read_output_layer(out / "areas.gpkg", "elements")
    types = {}
    for attrs, _ in rows:
        types.setdefault(attrs["area_id"], set()).add(attrs["type"])
    return max(sorted(types), key=lambda a: len(types[a]))


@pytest.fixture(scope="module")
def project_view(qgis_view):
    out, png, _ = qgis_view
    area = element_rich_area(out)
    drawn = png.parent / "project.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(png.parent))
    check = subprocess.run([PYTHON, str(HERE / "qgis_project_check.py"), str(out), str(drawn), area],
                           capture_output=True, text=True, timeout=300, env=env)
    assert check.returncode == 0, check.stderr
    return out, area, drawn, json.loads(check.stdout.strip().splitlines()[-1])


def test_the_project_tree_resolves_like_a_project_qgis_writes(project_view):
    _, _, _, report = project_view
    assert report["read"]
    nodes = report["tree"]["nodes"]
    assert [n["name"] for n in nodes] == ["Study area", "Landscape elements", "Areas: element share",
                                          "Rural land", "Element density"]
    assert all(n["resolves"] for n in nodes), nodes
    # Drawn when the project opens: the study area, elements above the areas; rural land and
    # the density raster would cover the areas' colours and are unchecked.
    assert report["tree"]["checked"] == ["Study area", "Landscape elements", "Areas: element share"]
    assert report["tree"]["order"] == [n["name"] for n in nodes]
    rewritten = report["rewritten_tree"]
    assert [(n["name"], n["checked"], n["resolves"]) for n in rewritten["nodes"]] == \
        [(n["name"], n["checked"], n["resolves"]) for n in nodes]
    assert rewritten["checked"] == report["tree"]["checked"] and rewritten["order"] == report["tree"]["order"]


def test_the_project_opens_on_the_areas(project_view):
    out, _, _, report = project_view
    _, _, rows = lt.read_output_layer(out / "areas.gpkg", "areas")
    bounds = [g.bounds for _, g in rows]
    want = [min(b[0] for b in bounds), min(b[1] for b in bounds), max(b[2] for b in bounds),
            max(b[3] for b in bounds)]
    assert report["view"] == pytest.approx(want, abs=1e-6)


def test_elements_are_drawn_above_the_areas_in_their_legend_colours(project_view, repo_root):
    out, area, drawn, report = project_view
    assert drawn.is_file() and report["render"]["size"] == [1000, 1000]
    seen = report["render"]["elements"]
    _, _, rows = lt.read_output_layer(out / "areas.gpkg", "elements")
    assert len(seen) >= 3 and set(seen) <= {a["type"] for a, _ in rows if a["area_id"] == area}
    for element_type, colours in seen.items():
        assert colours["drawn"][3] == 255
        assert colours["drawn"][:3] == pytest.approx(colours["legend"][:3], abs=1), element_type


def test_the_areas_class_colour_shows_through_on_land_without_elements(project_view):
    land = project_view[3]["render"]["land"]
    assert land["drawn"] is not None
    # The class colour at its alpha over the white background (nothing below is checked).
    alpha = land["class"][3] / 255.0
    assert 0 < alpha < 1, "the areas' fill is half-transparent so that nothing under it is lost"
    want = [c * alpha + 255 * (1 - alpha) for c in land["class"][:3]]
    assert land["drawn"][:3] == pytest.approx(want, abs=2)


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
