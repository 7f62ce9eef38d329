"""tools/compare_outputs.py: two runs of one binary compare equal, and a changed output is caught.

Runs the sample (data/samples/polder/landel.toml) twice with LANDEL_BIN (default
build/bin/landel; skipped without one), into the same folder each time as the tool does, then
changes one thing at a time in a copy of the first run and compares with `--dirs`.
The tool's full mode (two binaries over every sample and benchmark case, about two minutes)
is not run here; see the tool's header.
"""

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TOOL = REPO / "tools" / "compare_outputs.py"
CONFIG = REPO / "data" / "samples" / "polder" / "landel.toml"

sys.path.insert(0, str(TOOL.parent))
import compare_outputs  # noqa: E402


def landel_bin():
    b = os.environ.get("LANDEL_BIN") or str(REPO / "build" / "bin" / "landel")
    if not os.access(b, os.X_OK):
        pytest.skip(f"no landel binary ({b}); set LANDEL_BIN")
    return b


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Two runs of the sample by one binary: (first, second)."""
    binary = landel_bin()
    root = tmp_path_factory.mktemp("compare")
    out = root / "out"
    folders = []
    for label in ("first", "second"):
        subprocess.run([binary, "run", str(CONFIG), "--out", str(out), "--threads", "2", "-q"],
                       check=True, capture_output=True)
        out.rename(root / label)
        folders.append(root / label)
    return folders


def tool(*args):
    return subprocess.run(["/usr/bin/python3", str(TOOL), *args], capture_output=True,
                          text=True)


def test_one_binary_twice_gives_no_differences(runs):
    p = tool("--dirs", str(runs[0]), str(runs[1]))
    assert p.returncode == 0, p.stdout + p.stderr
    assert re.fullmatch(r"0 differences in [1-9]\d* files", p.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- changes

def edit_text(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name}: {old!r} not found"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def csv_digit(d):
    p = d / "area_bid.csv"
    lines = p.read_text(encoding="utf-8").splitlines(True)
    i = [m.start() for m in re.finditer(r"\d", lines[1])][-1]  # the row's last digit
    lines[1] = lines[1][:i] + str((int(lines[1][i]) + 1) % 10) + lines[1][i + 1:]
    p.write_text("".join(lines), encoding="utf-8")


def rewrite_zip(path, member, change):
    src = zipfile.ZipFile(path)
    items = [(i, src.read(i.filename)) for i in src.infolist()]
    src.close()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            z.writestr(info, change(data) if info.filename == member else data)


def xlsx_cell(d):
    def bump(data):
        m = re.search(rb"<v>(\d+)", data)
        return data[:m.start(1)] + str(int(m.group(1)) + 1).encode() + data[m.end(1):]
    rewrite_zip(d / "area_bid.xlsx", "xl/worksheets/sheet1.xml", bump)


def xlsx_dates_only(d):
    rewrite_zip(d / "area_bid.xlsx", "docProps/core.xml",
                lambda data: re.sub(rb"\d{4}-\d\d-\d\dT", b"1999-01-01T", data))


def gpkg_sql(sql):
    def change(d):
        con = sqlite3.connect(d / "areas.gpkg")
        with con:
            assert con.execute(sql).rowcount >= 1
        con.close()
    return change


def gpkg_feature(change):
    """Changes feature 3 of layer `elements` through OGR (the GeoPackage's triggers need
    its SQL functions)."""
    def f(d):
        from osgeo import ogr
        ds = ogr.Open(str(d / "areas.gpkg"), update=1)
        layer = ds.GetLayerByName("elements")
        feature = layer.GetFeature(3)
        change(feature)
        assert layer.SetFeature(feature) == 0
        ds = None
    return f


def nudge_vertex(feature):
    g = feature.GetGeometryRef()
    while g.GetGeometryCount():  # down to the first ring
        g = g.GetGeometryRef(0)
    x, y = g.GetX(1), g.GetY(1)
    g.SetPoint_2D(1, x + 1e-6, y)


def tif_cell(d):
    from osgeo import gdal
    ds = gdal.Open(str(d / "element_density.tif"), gdal.GA_Update)
    band = ds.GetRasterBand(1)
    a = band.ReadAsArray()
    a[a.shape[0] // 2, a.shape[1] // 2] += 1
    band.WriteArray(a)
    ds = None


def tif_nodata(d):
    from osgeo import gdal
    ds = gdal.Open(str(d / "element_density.tif"), gdal.GA_Update)
    ds.GetRasterBand(1).SetNoDataValue(-12345)
    ds = None


def summary(change):
    def f(d):
        p = d / "summary.json"
        doc = json.loads(p.read_text(encoding="utf-8"))
        change(doc)
        p.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return f


def flip_byte(name, offset):
    def f(d):
        p = d / name
        data = bytearray(p.read_bytes())
        data[offset] ^= 0x01
        p.write_bytes(bytes(data))
    return f


def pdf_dates_only(d):
    p = d / "maps" / "atlas.pdf"
    data = re.sub(rb"/CreationDate \(D:\d+", b"/CreationDate (D:19990101000000",
                  p.read_bytes())
    p.write_bytes(data)


def log_times_only(d):
    p = d / "landel.log"
    p.write_text(re.sub(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", "1999-01-01T00:00:00",
                        p.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")


CAUGHT = {
    "csv digit": (csv_digit, "area_bid.csv: row 2 (G01)"),
    "xlsx cell": (xlsx_cell, "area_bid.xlsx:xl/worksheets/sheet1.xml: cell"),
    "gpkg attribute": (gpkg_feature(lambda f: f.SetField("ha", f.GetField("ha") + 1e-12)),
                       "areas.gpkg:elements: fid 3 ha"),
    "gpkg feature removed": (gpkg_sql("DELETE FROM elements WHERE fid = 5"),
                             "areas.gpkg:elements: fid 5 only before"),
    "gpkg geometry": (gpkg_feature(nudge_vertex), "areas.gpkg:elements: fid 3 geom"),
    "gpkg style": (gpkg_sql("UPDATE layer_styles SET styleQML = styleQML || ' '"),
                   "areas.gpkg:layer_styles:"),
    "gpkg feature count": (gpkg_sql("UPDATE gpkg_ogr_contents SET feature_count = 99 "
                                    "WHERE table_name = 'areas'"),
                           "areas.gpkg:gpkg_ogr_contents: row"),
    "tif cell": (tif_cell, "element_density.tif: band 1: 1 cells differ"),
    "tif nodata": (tif_nodata, "element_density.tif: band 1 nodata"),
    "summary total": (summary(lambda d: d["totals"].update(element_ha=1.0)),
                      "summary.json: /totals/element_ha"),
    "summary warning": (summary(lambda d: d["warnings"].append("x")),
                        "summary.json: /warnings"),
    "png byte": (flip_byte("maps/overview.png", 1000), "maps/overview.png: bytes differ"),
    "pdf byte": (flip_byte("maps/atlas.pdf", 2000), "maps/atlas.pdf: bytes differ"),
    "qgs text": (lambda d: edit_text(d / "landel.qgs", "<", "< "), "landel.qgs: line"),
    "html text": (lambda d: edit_text(d / "report.html", "</h1>", "</h1> "), "report.html: line"),
    "file removed": (lambda d: (d / "element_density.qml").unlink(),
                     "element_density.qml: only before"),
    "file added": (lambda d: (d / "extra.txt").write_text("x"), "extra.txt: only after"),
}

MASKED = {
    "xlsx dates": xlsx_dates_only,
    "pdf dates": pdf_dates_only,
    "log times": log_times_only,
    "summary timings": summary(lambda d: d["timings_s"].update(read=99.0)),
    "summary version": summary(lambda d: d.update(landel_version="9.9.9")),
    "gpkg last_change": gpkg_sql("UPDATE gpkg_contents SET last_change = '1999-01-01T00:00:00Z'"),
}


@pytest.mark.parametrize("name", sorted(CAUGHT))
def test_a_changed_output_is_caught(runs, tmp_path, name):
    change, expected = CAUGHT[name]
    changed = tmp_path / "changed"
    shutil.copytree(runs[0], changed)
    change(changed)
    p = tool("--dirs", str(runs[0]), str(changed))
    assert p.returncode == 1, p.stdout + p.stderr
    lines = p.stdout.strip().splitlines()
    assert any(line.startswith(expected) for line in lines), p.stdout
    assert re.fullmatch(r"[1-9]\d* differences in \d+ files", lines[-1]), p.stdout


@pytest.mark.parametrize("name", sorted(MASKED))
def test_a_volatile_part_is_not_a_difference(runs, tmp_path, name):
    changed = tmp_path / "changed"
    shutil.copytree(runs[0], changed)
    MASKED[name](changed)
    p = tool("--dirs", str(runs[0]), str(changed))
    assert p.returncode == 0, p.stdout + p.stderr


def test_the_shipped_catalogue_compares_by_name_and_hash():
    """Each build finds the catalogue in its own tree: only the folder may differ."""
    def doc(folder, sha):
        return {"inputs": [{"path": f"{folder}/data/catalogue/elements.csv", "sha256": sha}]}
    m = compare_outputs.Masks()
    norm = compare_outputs.normalise_summary
    assert norm(doc("/a", "1"), m) == norm(doc("/b", "1"), m)
    assert norm(doc("/a", "1"), m) != norm(doc("/b", "2"), m)
    # inputs in a protected folder (the samples, the work folder) compare in full
    p = compare_outputs.Masks(protected=["/a"])
    assert norm(doc("/a", "1"), p) != norm(doc("/b", "1"), p)


def test_a_batch_fingerprint_is_not_compared_but_its_unit_is():
    """The fingerprint hashes the catalogue's folder too, which differs between two trees."""
    m = compare_outputs.Masks()
    norm = compare_outputs.normalise_summary
    a = {"batch": {"unit": "A", "fingerprint": "1"}}
    assert norm(a, m) == norm({"batch": {"unit": "A", "fingerprint": "2"}}, m)
    assert norm(a, m) != norm({"batch": {"unit": "B", "fingerprint": "1"}}, m)
