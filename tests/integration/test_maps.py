"""Rendered maps of the sample run: sizes (A4 landscape at the configured dpi), not blank,
the atlas holds the overview and a page per area, and its text (pdftotext) names every
element type an area has in its legend."""

import json
import shutil
import subprocess

import numpy as np
import pytest
from osgeo import gdal

import landel_testlib as lt


@pytest.fixture(scope="module")
def maps_run(repo_root, run_landel_session, tmp_path_factory):
    out = tmp_path_factory.mktemp("maps") / "run"
    proc = run_landel_session("run", str(repo_root / "data/samples/polder/landel.toml"), "--out", str(out), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    return out


def image(path):
    ds = gdal.Open(str(path))
    return np.dstack([ds.GetRasterBand(b + 1).ReadAsArray() for b in range(min(3, ds.RasterCount))])


def test_png_maps_have_a4_size_at_300_dpi_and_are_not_blank(maps_run):
    _, rows, _ = lt.read_csv(maps_run / "area_bid.csv")
    pngs = [maps_run / "maps/overview.png"] + [maps_run / f"maps/areas/{r['area_id']}.png" for r in rows]
    for png in pngs:
        assert png.is_file(), png
        pixels = image(png)
        assert pixels.shape[:2] == (2480, 3508), (png, pixels.shape)  # 210 x 297 mm at 300 dpi
        colours = np.unique(pixels[::7, ::7].reshape(-1, 3), axis=0)
        assert len(colours) > 20, (png, len(colours))
        # Most of the page is drawn on: the map frame is not empty white.
        white = np.all(pixels[::7, ::7] == 255, axis=2).mean()
        assert white < 0.8, (png, white)


def test_overview_colours_areas_by_their_share_class(maps_run):
    """The overview's area fills are the class colours of the QGIS style (same palette)."""
    pixels = image(maps_run / "maps/overview.png").reshape(-1, 3)
    colours = {tuple(c) for c in np.unique(pixels[::11], axis=0)}
    _, rows, _ = lt.read_csv(maps_run / "area_bid.csv")
    shares = [lt.num(r["share_pct"]) for r in rows if r["share_pct"]]
    expected = {(252, 141, 89) if s < 5 else (166, 217, 106) if s < 10 else (26, 150, 65) for s in shares if s >= 2.5}
    for c in expected:
        assert c in colours, c


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_atlas_text_lists_the_element_types_of_each_area(maps_run):
    text = subprocess.run(["pdftotext", "-layout", str(maps_run / "maps/atlas.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = text.split("\f")
    _, rows, _ = lt.read_csv(maps_run / "area_bid.csv")
    assert len([p for p in pages if p.strip()]) == 1 + len(rows)  # overview + one page per area
    assert "Element share of rural land" in pages[0]
    header = list(rows[0].keys())
    types = [c[len("ha_"):] for c in header if c.startswith("ha_")]
    for page, r in zip(pages[1:], rows):
        assert r["area_id"] in page
        for t in types:
            present = lt.num(r[f"ha_{t}"]) > 0
            assert (t in page) == present, (r["area_id"], t, present)


def test_render_command_redraws_from_a_finished_run(maps_run, repo_root, run_landel, tmp_path):
    cfg = tmp_path / "render.toml"
    text = (repo_root / "data/samples/polder/landel.toml").read_text(encoding="utf-8")
    text = text.replace('path = "', f'path = "{repo_root}/data/samples/polder/')
    cfg.write_text(text + "\n[render]\ndpi = 100\nmax_area_maps = 2\n", encoding="utf-8")
    out = tmp_path / "redrawn"
    proc = run_landel("render", str(cfg), "--from", str(maps_run), "--out", str(out), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    assert image(out / "maps/overview.png").shape[:2] == (827, 1169)  # A4 at 100 dpi
    assert sorted(p.name for p in (out / "maps/areas").iterdir()) == ["G01.png", "G02.png"]
    html = (out / "report.html").read_text(encoding="utf-8")
    _, rows, _ = lt.read_csv(maps_run / "area_bid.csv")
    for r in rows:
        assert f"<td>{r['area_id']}</td>" in html
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out / "maps/atlas.pdf"), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert len([p for p in text.split("\f") if p.strip()]) == 3  # overview + 2 areas
    # Without a run to read: a clear error naming --from.
    proc = run_landel("render", str(cfg), "--from", str(tmp_path), "--out", str(tmp_path / "x"), "--quiet")
    assert proc.returncode == 1 and "--from" in proc.stderr


def test_no_maps_leaves_the_maps_out_and_the_figures_alone(sample_run, sample_config, run_landel,
                                                           tmp_path, write_config):
    """`--no-maps` and `[render] maps = false`: no maps/ folder, no map in summary.json's
    outputs, a report that says so, and the same figures as the run with maps."""
    assert sample_run.proc.returncode == 0, lt.describe(sample_run.proc)
    flag = tmp_path / "flag"
    proc = run_landel("run", str(sample_config), "--out", str(flag), "--no-maps", "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    # Copies of the sample's folder, so that its relative paths hold.
    folder = tmp_path / "sample"
    shutil.copytree(sample_config.parent, folder)
    text = sample_config.read_text(encoding="utf-8")
    assert "[render]" not in text
    off = folder / "landel-no-maps.toml"
    off.write_text(text + "\n[render]\nmaps = false\n", encoding="utf-8")
    keyed = tmp_path / "keyed"
    proc = run_landel("run", str(off), "--out", str(keyed), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    bad = folder / "landel-bad-maps.toml"
    bad.write_text(text + "\n[render]\nmaps = \"no\"\n", encoding="utf-8")
    proc = run_landel("run", str(bad), "--out", str(tmp_path / "bad"), "--quiet")
    assert proc.returncode == 1 and len(lt.error_lines(proc.stderr)) == 1, lt.describe(proc)
    assert "render.maps must be true or false" in proc.stderr
    for out in (flag, keyed):
        assert not (out / "maps").exists()
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        assert not [f for f in summary["outputs"] if f.startswith("maps/")]
        assert "No maps were drawn in this run" in (out / "report.html").read_text(encoding="utf-8")
        for name in ("area_bid.csv", "bid_phasing.csv"):
            assert (out / name).read_bytes() == (sample_run.out / name).read_bytes(), name
