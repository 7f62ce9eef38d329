"""landel.delineate and landel.init_config: the jobs of `landel delineate` and `landel init`
from Python, compared with what the `landel` binary writes for the same input."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from landel_pyref import run_cli

landel = pytest.importorskip("landel")
gpd = pytest.importorskip("geopandas")

REAL_BGT = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real" / "otterlo-bgt"


def areas_of(folder):
    frame = gpd.read_file(folder / "areas.gpkg", layer="areas")
    return frame.sort_values("area_id").reset_index(drop=True)


def test_delineate_equals_the_cli(repo_root, landel_bin, tmp_path):
    config = repo_root / "data/samples/polder/landel-overlay.toml"
    result = landel.delineate(config, tmp_path / "py", threads=2)
    proc = run_cli(landel_bin, ["delineate", config, "--out", tmp_path / "cli", "--quiet"])
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in result.output.iterdir()) == ["areas.gpkg", "landel.log", "summary.json"]
    mine, cli = areas_of(result.output), areas_of(tmp_path / "cli")
    assert list(mine.columns) == list(cli.columns)
    assert mine.drop(columns="geometry").equals(cli.drop(columns="geometry"))
    assert [g.wkb for g in mine.geometry] == [g.wkb for g in cli.geometry]
    assert result.summary["command"] == "delineate"


def test_delineate_of_given_areas_is_the_clis_error(repo_root, landel_bin, tmp_path):
    config = repo_root / "data/samples/polder/landel.toml"
    proc = run_cli(landel_bin, ["delineate", config, "--out", tmp_path / "cli", "--quiet"])
    assert proc.returncode != 0
    with pytest.raises(landel.Error) as caught:
        landel.delineate(config, tmp_path / "py")
    assert proc.stderr.strip() == f"landel: error: {caught.value}"
    assert not (tmp_path / "py").exists()


def write_not_a_download(folder):
    (folder / "notes.txt").write_text("not a BGT file\n", encoding="utf-8")
    with zipfile.ZipFile(folder / "download.zip", "w") as z:
        z.write(folder / "notes.txt", "notes.txt")
    return folder / "download.zip"


def test_init_config_of_another_kind_of_download_is_the_clis_error(repo_root, landel_bin, tmp_path):
    download = write_not_a_download(tmp_path)
    areas = repo_root / "data/samples/polder/landscape.gpkg:gebieden"
    proc = run_cli(landel_bin, ["init", "--preset", "bgt", "--data", download, "--areas", areas,
                                "--out", tmp_path / "cli.toml"])
    with pytest.raises(landel.Error) as caught:
        landel.init_config("bgt", download, areas, tmp_path / "py.toml")
    assert "bgt_begroeidterreindeel.gml" in str(caught.value)
    assert proc.stderr.strip() == f"landel: error: {caught.value}".replace("py.toml", "cli.toml")
    assert not (tmp_path / "py.toml").exists()


@pytest.mark.skipif(not (REAL_BGT / "otterlo_bgt_2020-08-05.zip").is_file(),
                    reason="../shared/data/real/otterlo-bgt not present")
def test_init_config_on_the_real_bgt_writes_the_clis_config(landel_bin, tmp_path):
    from osgeo import ogr, osr
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(28992)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(tmp_path / "areas.gpkg"))
    layer = ds.CreateLayer("gebieden", srs, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("code", ogr.OFTString))
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetField("code", "A1")
    feature.SetGeometry(ogr.CreateGeometryFromWkt(
        "POLYGON ((180000 456000, 181000 456000, 181000 457000, 180000 457000, 180000 456000))"))
    layer.CreateFeature(feature)
    ds = None
    download = REAL_BGT / "otterlo_bgt_2020-08-05.zip"
    (tmp_path / "cli").mkdir()
    (tmp_path / "py").mkdir()
    proc = run_cli(landel_bin, ["init", "--preset", "bgt", "--data", download, "--areas",
                                tmp_path / "areas.gpkg", "--id-field", "code", "--out",
                                tmp_path / "cli/landel.toml"])
    assert proc.returncode == 0, proc.stderr
    path, warnings = landel.init_config("bgt", download, tmp_path / "areas.gpkg", tmp_path / "py/landel.toml",
                                        id_field="code")
    assert path == tmp_path / "py/landel.toml"
    assert path.read_bytes() == (tmp_path / "cli/landel.toml").read_bytes()
    assert warnings == [ln[len("landel: warning: "):] for ln in proc.stderr.splitlines()
                        if ln.startswith("landel: warning: ")]


def test_delineate_needs_no_elements(repo_root, landel_bin, tmp_path):
    """As `landel delineate`, a config that only makes areas may leave [[elements]] out."""
    fysisch = repo_root / "data/samples/polder/fysisch.gpkg"
    config = {"run": {"crs": "EPSG:28992"},
              "areas": {"method": "overlay", "min_area_ha": 2,
                        "layers": [{"path": str(fysisch), "layer": "fgr", "field": "regio"},
                                   {"path": str(fysisch), "layer": "bodem", "field": "bodemtype"}]}}
    result = landel.delineate(config, tmp_path / "py")
    (tmp_path / "overlay.toml").write_text(
        f'[run]\ncrs = "EPSG:28992"\n[areas]\nmethod = "overlay"\nmin_area_ha = 2\n'
        f'[[areas.layers]]\npath = "{fysisch}"\nlayer = "fgr"\nfield = "regio"\n'
        f'[[areas.layers]]\npath = "{fysisch}"\nlayer = "bodem"\nfield = "bodemtype"\n', encoding="utf-8")
    proc = run_cli(landel_bin, ["delineate", tmp_path / "overlay.toml", "--out", tmp_path / "cli", "--quiet"])
    assert proc.returncode == 0, proc.stderr
    mine, cli = areas_of(result.output), areas_of(tmp_path / "cli")
    assert len(mine) > 1 and mine.drop(columns="geometry").equals(cli.drop(columns="geometry"))
    assert [g.wkb for g in mine.geometry] == [g.wkb for g in cli.geometry]
    with pytest.raises(landel.ConfigError, match=r"\[\[elements\]\]"):
        landel.run(config, tmp_path / "run")
