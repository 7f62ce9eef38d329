"""Outputs in Dutch ([render] language = "nl"): the translation table covers every label that
the sample runs write (report, maps, workbook, GeoPackage aliases); file names, column names
and figures stay as in English; the Dutch report renders in Chromium; the workbook opens in
LibreOffice with Dutch sheet names and headers; a language landel lacks is a one-line error.
"""

import re
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET

import pytest

import landel_testlib as lt
from test_bid import libreoffice

SAMPLES = ["landel-gebiedsbod", "landel-raster", "landel-overlay", "landel-catchments"]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def sample_config(repo_root, name, folder, language):
    text = (repo_root / f"data/samples/polder/{name}.toml").read_text(encoding="utf-8")
    text = re.sub(r'path = "([^"/][^"]*)"', lambda m: f'path = "{repo_root}/data/samples/polder/{m[1]}"', text)
    cfg = folder / f"{name}-{language}.toml"
    cfg.write_text(text + f'\n[render]\nlanguage = "{language}"\n', encoding="utf-8")
    return cfg


@pytest.fixture(scope="module")
def runs(repo_root, run_landel_session, tmp_path_factory):
    work = tmp_path_factory.mktemp("language")
    out = {}
    for name in SAMPLES:
        for language in ("nl", "en"):
            if language == "en" and name != "landel-gebiedsbod":
                continue
            cfg = sample_config(repo_root, name, work, language)
            folder = work / f"{name}-{language}"
            proc = run_landel_session("run", str(cfg), "--out", str(folder), "--quiet")
            assert proc.returncode == 0, lt.describe(proc)
            out[(name, language)] = folder
    return out


@pytest.mark.parametrize("name", SAMPLES)
def test_the_table_covers_every_label(runs, name):
    log = (runs[(name, "nl")] / "landel.log").read_text(encoding="utf-8")
    assert "no translation yet" not in log, re.findall(r".*no translation yet.*", log)


def test_names_and_figures_stay_as_in_english(runs):
    nl, en = runs[("landel-gebiedsbod", "nl")], runs[("landel-gebiedsbod", "en")]
    assert sorted(p.name for p in nl.iterdir()) == sorted(p.name for p in en.iterdir())
    for csv_file in ("area_bid.csv", "pledges.csv", "bid_phasing.csv"):
        assert (nl / csv_file).read_bytes() == (en / csv_file).read_bytes(), csv_file


def aliases(gpkg, table):
    """The field aliases QGIS shows: those of the layer's default style in layer_styles (GDAL
    3.6 stores no alternative names in a GeoPackage)."""
    con = sqlite3.connect(gpkg)
    try:
        (qml,) = con.execute("SELECT styleQML FROM layer_styles WHERE f_table_name = ? AND useAsDefault",
                             (table,)).fetchone()
    finally:
        con.close()
    root = ET.fromstring(qml.split("\n", 1)[1])  # past the DOCTYPE line
    assert "Fields" in root.get("styleCategories")
    return {a.get("field"): a.get("name") for a in root.iter("alias")}


def test_geopackage_aliases_in_dutch(runs):
    nl = aliases(runs[("landel-gebiedsbod", "nl")] / "areas.gpkg", "areas")
    en = aliases(runs[("landel-gebiedsbod", "en")] / "areas.gpkg", "areas")
    assert nl.keys() == en.keys() and "rural_ha" in nl
    assert en["rural_ha"] == "Rural land (ha)" and nl["rural_ha"] == "Landelijk gebied (ha)"
    assert nl["gap_2030_ha"] == "Opgave 2030 (ha)"
    assert nl["pledged_2030_ha"] == "Toegezegd tot 2030, telt mee (ha)"


def test_qgis_project_and_legend_in_dutch(runs):
    """landel.qgs names its layers in Dutch and the areas' legend classes read as on the maps."""
    project = ET.parse(runs[("landel-gebiedsbod", "nl")] / "landel.qgs").getroot()
    names = [node.get("name") for node in project.iter("layer-tree-layer")]
    assert names[:3] == ["Studiegebied", "Landschapselementen", "Gebieden: aandeel landschapselementen"]
    labels = [r.get("label") for r in project.iter("range")]
    assert labels == ["minder dan 2,5 %", "2,5 - 5 %", "5 - 10 %: doel 2030 gehaald",
                      "10 % en meer: doel 2050 gehaald"]
    with sqlite3.connect(runs[("landel-gebiedsbod", "nl")] / "areas.gpkg") as db:
        qml = db.execute("SELECT styleQML FROM layer_styles WHERE f_table_name = 'areas'").fetchone()[0]
    assert "10 % en meer: doel 2050 gehaald" in qml and "geen landelijk gebied" in qml


@pytest.mark.skipif(not libreoffice(), reason="LibreOffice (libreoffice-calc-nogui) not installed")
def test_workbook_opens_with_dutch_sheets_and_headers(runs, tmp_path):
    xlsx = runs[("landel-gebiedsbod", "nl")] / "area_bid.xlsx"
    options = "44,34,76,1,,0,false,true,false,false,false,-1"
    proc = subprocess.run([libreoffice(), "--headless", "--convert-to",
                           f"csv:Text - txt - csv (StarCalc):{options}", "--outdir", str(tmp_path),
                           str(xlsx)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    sheets = {p.stem.split("-", 1)[1]: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.csv")}
    assert {"Samenvatting", "Regionale boekhouding", "Deelnemers"} <= sheets.keys(), sheets.keys()
    assert "Landelijk gebied (ha)" in sheets["Samenvatting"]
    assert "Toegezegde grond die meetelt (ha)" in sheets["Deelnemers"]


@pytest.mark.skipif(not CHROMIUM, reason="chromium not installed")
def test_dutch_report_renders_in_chromium(runs, tmp_path):
    html = runs[("landel-gebiedsbod", "nl")] / "report.html"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=4000"]
    proc = subprocess.run([CHROMIUM, *flags, "--dump-dom", html.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = proc.stdout
    assert '<html lang="nl">' in dom
    for words in ("<h2>Samenvatting</h2>", "landelijk gebied", "Deelnemers (gebiedsbod)",
                  "leaflet-container"):
        assert words in dom, words
    shot = tmp_path / "report-nl.png"
    proc = subprocess.run([CHROMIUM, *flags, f"--screenshot={shot}", "--window-size=1280,1600",
                           html.as_uri()], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and shot.exists(), proc.stderr[-2000:]
    from osgeo import gdal
    ds = gdal.Open(str(shot))
    band = ds.GetRasterBand(1).ReadAsArray()
    assert band.std() > 10, "the screenshot is blank"


def test_unknown_language_is_one_line(repo_root, run_landel, tmp_path):
    cfg = sample_config(repo_root, "landel-gebiedsbod", tmp_path, "fr")
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"), "--quiet")
    assert proc.returncode == 1
    errors = lt.error_lines(proc.stderr)
    assert len(errors) == 1 and "render.language" in errors[0] and '"fr"' in errors[0], proc.stderr
    assert not (tmp_path / "out").exists()


def test_compare_in_dutch(runs, repo_root, run_landel, tmp_path):
    """landel compare --language nl of the Dutch sample run and a copy measured as 2020."""
    cfg = sample_config(repo_root, "landel-gebiedsbod", tmp_path, "en")
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("measurement_year = 2024", "measurement_year = 2020"),
                   encoding="utf-8")
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "r2020"), "--quiet", "--no-maps")
    assert proc.returncode == 0, lt.describe(proc)
    proc = run_landel("compare", str(tmp_path / "r2020"), str(runs[("landel-gebiedsbod", "nl")]),
                      "--language", "nl", "--out", str(tmp_path / "cmp"), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    log = (tmp_path / "cmp/landel.log").read_text(encoding="utf-8")
    assert "no translation yet" not in log, re.findall(r".*no translation yet.*", log)
    html = (tmp_path / "cmp/report.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in html and "Samenvatting" in html
    proc = run_landel("compare", str(tmp_path / "r2020"), str(runs[("landel-gebiedsbod", "nl")]),
                      "--language", "fr", "--out", str(tmp_path / "cmp2"), "--quiet")
    assert proc.returncode == 2 and "--language" in proc.stderr
