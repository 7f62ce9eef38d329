"""`landel presets` and `landel init` (docs/presets.md).

* `landel presets` lists the shipped presets, `landel presets NAME` prints the preset file
  byte for byte (a shipped name or the path of a preset .toml), an unknown name is one line.
* `landel init` on the real Otterlo BGT zip (../shared/data/real/otterlo-bgt) writes a config
  that `landel run` runs unchanged, with and without an NNN layer. With it, excl_nnn_ha per
  area is the area of the area's intersection with the NNN polygons, computed here with
  shapely; without it the run warns that NNN is not excluded.
* `landel init` refuses to overwrite without --force, and writes nothing when the download
  is not of the preset's kind or the areas layer is ambiguous; the one-line error names why.
* `cmake --install` ships the presets to <prefix>/share/landel/presets, where the installed
  binary finds them.
"""

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from osgeo import ogr
from shapely.geometry import box
from shapely.ops import unary_union

import landel_testlib as lt

OTTERLO = "otterlo-bgt"
ZIP_NAME = "otterlo_bgt_2020-08-05.zip"
# Two NNN polygons over part of the Otterlo extent (x 179630-182490, y 455510-458620): one
# across the middle, one over the south-west corner, so several areas get some NNN.
NNN_BOXES = [(180400.0, 456300.0, 181700.0, 457900.0), (179500.0, 455400.0, 180300.0, 456200.0)]


def run_bytes(landel_bin, *args, cwd=None):
    """The binary's stdout as bytes (no newline translation) and stderr as text."""
    proc = subprocess.run([str(landel_bin)] + [str(a) for a in args], cwd=cwd,
                          capture_output=True, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr.decode("utf-8")


def one_error(proc):
    """The single stderr line of a failed command (nothing else on stderr)."""
    assert proc.returncode != 0, lt.describe(proc)
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(lt.ERROR_PREFIX), lt.describe(proc)
    return lines[0]


def shipped_listing(run_landel):
    proc = run_landel("presets")
    assert proc.returncode == 0, lt.describe(proc)
    rows = {}
    for line in proc.stdout.splitlines():
        name, rest = line.split(None, 1)
        title, path = rest.rsplit("  ", 1)
        rows[name] = (title.strip(), Path(path))
    return rows


# --------------------------------------------------------------------------- landel presets

def test_presets_lists_bgt(run_landel, repo_root):
    rows = shipped_listing(run_landel)
    assert "bgt" in rows, rows
    title, path = rows["bgt"]
    assert path.is_file()
    assert path.read_bytes() == (repo_root / "data" / "presets" / "bgt.toml").read_bytes()
    assert title == lt.load_toml(path)["preset"]["title"]


def test_presets_prints_the_file_byte_for_byte(landel_bin, run_landel, repo_root, tmp_path):
    shipped = (repo_root / "data" / "presets" / "bgt.toml").read_bytes()
    code, out, err = run_bytes(landel_bin, "presets", "bgt")
    assert code == 0, err
    assert out == shipped
    # the copy a user makes, named by its path, prints the same
    (tmp_path / "my-bgt.toml").write_bytes(out)
    code, again, err = run_bytes(landel_bin, "presets", "my-bgt.toml", cwd=tmp_path)
    assert code == 0, err
    assert again == shipped


def test_unknown_preset_is_one_line_listing_the_shipped(run_landel):
    line = one_error(run_landel("presets", "no_such_preset"))
    assert "unknown preset 'no_such_preset'" in line
    assert "bgt" in line


def test_a_broken_preset_file_is_named_with_its_line(run_landel, repo_root, tmp_path):
    text = (repo_root / "data" / "presets" / "bgt.toml").read_text(encoding="utf-8")
    bad = text.replace('title = "BGT', 'colour = "red"\ntitle = "BGT', 1)
    (tmp_path / "bad.toml").write_text(bad, encoding="utf-8")
    line = one_error(run_landel("presets", "bad.toml", cwd=tmp_path))
    number = bad.splitlines().index('colour = "red"') + 1
    assert f"bad.toml:{number}:" in line and "colour" in line, line


# --------------------------------------------------------------------------- landel init: errors

def write_areas(path, layers=("areas",)):
    """A GeoPackage with one square area in each of @p layers (fields code, naam)."""
    for i, layer in enumerate(layers):
        lt.write_vector(path, layer, ogr.wkbPolygon,
                        [(box(180000, 456000, 181000, 457000).wkt, {"code": "A1", "naam": "een"})],
                        fields=[("code", ogr.OFTString), ("naam", ogr.OFTString)],
                        mode="w" if i == 0 else "a")
    return path


def test_init_refuses_to_overwrite_without_force(run_landel, tmp_path):
    target = tmp_path / "landel.toml"
    target.write_text("# mine\n", encoding="utf-8")
    areas = write_areas(tmp_path / "areas.gpkg")
    line = one_error(run_landel("init", "--preset", "bgt", "--data", "bgt.zip", "--areas", areas,
                                cwd=tmp_path))
    assert "landel.toml" in line and "--force" in line, line
    assert target.read_text(encoding="utf-8") == "# mine\n"


def test_init_writes_nothing_for_a_download_of_another_kind(run_landel, tmp_path):
    areas = write_areas(tmp_path / "areas.gpkg")
    (tmp_path / "notes.txt").write_text("not a BGT file\n", encoding="utf-8")
    download = tmp_path / "download.zip"
    with zipfile.ZipFile(download, "w") as z:
        z.write(tmp_path / "notes.txt", "notes.txt")
    before = sorted(p.name for p in tmp_path.iterdir())
    line = one_error(run_landel("init", "--preset", "bgt", "--data", download, "--areas", areas,
                                "--out", "landel.toml", cwd=tmp_path))
    assert str(download) in line, line
    assert "bgt_begroeidterreindeel.gml" in line, line  # what makes a BGT download
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no config, no temp file


def test_init_names_the_layers_of_an_ambiguous_areas_file(run_landel, tmp_path):
    areas = write_areas(tmp_path / "two.gpkg", layers=("gebieden", "percelen"))
    line = one_error(run_landel("init", "--preset", "bgt", "--data", "bgt.zip", "--areas", areas,
                                cwd=tmp_path))
    assert "--areas" in line and "gebieden" in line and "percelen" in line, line
    assert not (tmp_path / "landel.toml").exists()


def test_init_needs_areas(run_landel, tmp_path):
    proc = run_landel("init", "--preset", "bgt", "--data", "bgt.zip", cwd=tmp_path)
    line = one_error(proc)
    assert proc.returncode == 2  # a usage error
    assert "--areas" in line
    assert not (tmp_path / "landel.toml").exists()


# --------------------------------------------------------------------------- [dataset], [rural]

BASE_CONFIG = """
[areas]
[[areas.layers]]
path = "areas.gpkg"
[[elements]]
path = "areas.gpkg"
type = "small_wood"
"""
DATASET = '[dataset]\npreset = "bgt"\npath = "download.zip"\n'

# (extra TOML, the key the line names, further words it must hold)
CONFIG_ERRORS = {
    "unknown-preset": ('[dataset]\npreset = "bgz"\npath = "download.zip"\n', "dataset.preset",
                       ["unknown preset 'bgz'", "bgt"]),
    "preset-file-missing": ('[dataset]\npreset = "mine.toml"\npath = "download.zip"\n',
                            "dataset.preset", ["mine.toml", "not found"]),
    "no-path": ('[dataset]\npreset = "bgt"\n', "dataset.path", ["required"]),
    "download-missing": ('[dataset]\npreset = "bgt"\npath = "missing.zip"\n', "dataset.path",
                         ["missing.zip", "not found"]),
    "not-a-download": (DATASET, "dataset.path", ["download.zip", "bgt_begroeidterreindeel.gml"]),
    "bad-as-of": (DATASET + 'as_of = "2020-02-30"\n', "dataset.as_of", ["2020-02-30"]),
    "unknown-option": (DATASET + "[dataset.options]\ncolour = 1\n", "dataset.options",
                       ["'colour'", "woods_max_ha", "ditch_water"]),
    "option-wrong-kind": (DATASET + "[dataset.options]\nditch_water = 1\n",
                          "dataset.options.ditch_water", ["true or false"]),
    "option-not-positive": (DATASET + "[dataset.options]\nwoods_max_ha = 0\n",
                            "dataset.options.woods_max_ha", ["> 0"]),
    "bad-definition": ('[rural]\ndefinition = "green"\n', "rural.definition",
                       ['"green"', "aanvalsplan", "cobra", "custom"]),
    "bad-roads": ('[rural]\nroads = "paved"\n', "rural.roads", ['"paved"']),
    "custom-with-nnn": ('[rural]\ndefinition = "custom"\n[rural.nnn]\npath = "areas.gpkg"\n',
                        "[rural.nnn]", ["custom", "[[rural.exclude]]"]),
    "aanvalsplan-without-built-up": ('[rural]\ndefinition = "aanvalsplan"\n', "[rural.built_up]",
                                     ["aanvalsplan"]),
    "cobra-without-dataset": ('[rural]\ndefinition = "cobra"\n[rural.built_up]\n'
                              'path = "areas.gpkg"\n', "cobra", ["[dataset]"]),
}


@pytest.mark.parametrize("case", sorted(CONFIG_ERRORS))
def test_dataset_and_rural_errors(case, run_landel, tmp_path):
    extra, key, words = CONFIG_ERRORS[case]
    write_areas(tmp_path / "areas.gpkg")
    (tmp_path / "notes.txt").write_text("not a BGT file\n", encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "download.zip", "w") as z:
        z.write(tmp_path / "notes.txt", "notes.txt")
    (tmp_path / "landel.toml").write_text(BASE_CONFIG.lstrip() + extra, encoding="utf-8")
    line = one_error(run_landel("validate", "landel.toml", cwd=tmp_path))
    assert line.startswith(lt.ERROR_PREFIX + "landel.toml:"), line
    for word in [key] + words:
        assert word in line, (word, line)


# --------------------------------------------------------------------------- landel init: real data

@pytest.fixture(scope="module")
def otterlo(real_data):
    d = real_data / OTTERLO
    paths = dict(zip=d / ZIP_NAME, areas=d / "derived" / "areas_6.gpkg")
    for p in paths.values():
        if not p.is_file():
            pytest.skip(f"real data not available: {p}")
    return paths


def init_and_run(run_landel, folder, otterlo, *extra, preset="bgt"):
    """`landel init` into folder/landel.toml, then `landel run` on the file as written."""
    init = run_landel("init", "--preset", preset, "--data", otterlo["zip"], "--areas",
                      otterlo["areas"], "--id-field", "code", "--name-field", "naam", *extra,
                      cwd=folder)
    assert init.returncode == 0, lt.describe(init)
    config = folder / "landel.toml"
    written = config.read_bytes()
    run = run_landel("run", "landel.toml", "--out", "out", cwd=folder)
    assert run.returncode == 0, lt.describe(run)
    assert config.read_bytes() == written  # run as written, unchanged
    return init, run, config, folder / "out"


@pytest.fixture(scope="module")
def without_nnn(run_landel_session, otterlo, tmp_path_factory):
    return init_and_run(run_landel_session, tmp_path_factory.mktemp("init_plain"), otterlo)


@pytest.fixture(scope="module")
def with_nnn(run_landel_session, otterlo, tmp_path_factory):
    folder = tmp_path_factory.mktemp("init_nnn")
    lt.write_vector(folder / "nnn.gpkg", "nnn", ogr.wkbPolygon,
                    [(box(*b).wkt, {}) for b in NNN_BOXES])
    return init_and_run(run_landel_session, folder, otterlo, "--nnn", "nnn.gpkg")


def test_init_writes_every_option_commented_with_its_default(without_nnn, repo_root):
    _, _, config, _ = without_nnn
    text = config.read_text(encoding="utf-8")
    preset = lt.load_toml(repo_root / "data" / "presets" / "bgt.toml")
    at = []
    for name, option in preset["options"].items():
        default = option["default"]
        value = ("true" if default else "false") if isinstance(default, bool) else default
        assert f"# {name} = {value}\n" in text, name
        at.append(text.index(f"# {name} = {value}\n"))
        about = " ".join(option["about"].split())
        assert about in " ".join(ln.lstrip("# ") for ln in text.splitlines()), name
    assert at == sorted(at)  # in the preset file's order
    cfg = lt.load_toml(config)
    assert cfg["dataset"]["preset"] == "bgt"
    assert cfg["dataset"].get("options", {}) == {}  # every option left at its default
    assert cfg["rural"] == {"definition": "aanvalsplan"}  # built_up and nnn only as comments
    assert "# [rural.nnn]" in text and "# [rural.built_up]" in text


def test_init_without_nnn_warns_that_nnn_is_not_excluded(without_nnn):
    init, run, _, out = without_nnn
    assert any("NNN is not excluded" in w for w in lt.warning_lines(init.stderr)), init.stderr
    log = (out / "landel.log").read_text(encoding="utf-8")
    assert "NNN is not excluded" in run.stderr or "NNN is not excluded" in log
    header, _, _ = lt.read_csv(out / "area_bid.csv")
    assert "excl_nnn_ha" not in header


def test_init_with_nnn_excludes_it(with_nnn, without_nnn, otterlo):
    _, run, config, out = with_nnn
    cfg = lt.load_toml(config)
    assert cfg["rural"]["nnn"] == {"path": "nnn.gpkg"}  # relative to the config's folder
    assert "NNN is not excluded" not in run.stderr
    nnn = unary_union([box(*b) for b in NNN_BOXES])
    areas = {f.attrs["code"]: f.geom for f in lt.read_features(otterlo["areas"])}
    _, rows, _ = lt.read_csv(out / "area_bid.csv")
    assert {r["area_id"] for r in rows} == set(areas)
    total = 0.0
    for r in rows:
        expected = areas[r["area_id"]].intersection(nnn).area / 1e4
        assert lt.close(lt.num(r["excl_nnn_ha"]), expected), (r["area_id"], r["excl_nnn_ha"])
        total += expected
    assert total > 0
    # the NNN leaves the rural land: less of it than without
    plain = json.loads((without_nnn[3] / "summary.json").read_text(encoding="utf-8"))
    mine = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert mine["totals"]["rural_ha"] < plain["totals"]["rural_ha"]


def test_a_copied_preset_runs_as_the_shipped_one(run_landel, landel_bin, otterlo, without_nnn,
                                                 tmp_path):
    """`landel presets bgt > my-bgt.toml` without the bgt/ folder of GDAL templates beside it:
    the copy reads the download as the shipped preset does."""
    code, text, err = run_bytes(landel_bin, "presets", "bgt")
    assert code == 0, err
    (tmp_path / "my-bgt.toml").write_bytes(text)
    _, _, _, out = init_and_run(run_landel, tmp_path, otterlo, preset="my-bgt.toml")
    assert lt.load_toml(tmp_path / "landel.toml")["dataset"]["preset"] == "my-bgt.toml"
    mine = json.loads((out / "summary.json").read_text(encoding="utf-8"))["totals"]
    shipped = json.loads((without_nnn[3] / "summary.json").read_text(encoding="utf-8"))["totals"]
    assert mine == shipped


def test_init_overwrites_with_force(run_landel, otterlo, tmp_path):
    target = tmp_path / "landel.toml"
    target.write_text("# mine\n", encoding="utf-8")
    proc = run_landel("init", "--preset", "bgt", "--data", otterlo["zip"], "--areas",
                      otterlo["areas"], "--force", cwd=tmp_path)
    assert proc.returncode == 0, lt.describe(proc)
    assert lt.load_toml(target)["dataset"]["path"] == os.path.abspath(otterlo["zip"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["landel.toml"]


def test_init_writes_paths_relative_to_the_config(run_landel, otterlo, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for p in otterlo.values():
        shutil.copyfile(p, data / p.name)
    (tmp_path / "cfg").mkdir()
    proc = run_landel("init", "--preset", "bgt", "--data", f"data/{ZIP_NAME}", "--areas",
                      "data/areas_6.gpkg:areas", "--out", "cfg/landel.toml", cwd=tmp_path)
    assert proc.returncode == 0, lt.describe(proc)
    cfg = lt.load_toml(tmp_path / "cfg" / "landel.toml")
    assert cfg["dataset"]["path"] == f"../data/{ZIP_NAME}"
    assert cfg["areas"]["layers"][0] == {"path": "../data/areas_6.gpkg", "layer": "areas"}


# --------------------------------------------------------------------------- installed presets

def test_installed_landel_finds_its_presets(landel_bin, repo_root, tmp_path):
    build = landel_bin.parents[1]
    cmake = os.environ.get("LANDEL_CMAKE") or shutil.which("cmake")
    if not (build / "CMakeCache.txt").is_file() or cmake is None:
        pytest.skip("no build tree to install from")
    prefix = tmp_path / "prefix"
    proc = subprocess.run([cmake, "--install", str(build), "--prefix", str(prefix)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    shipped = prefix / "share" / "landel" / "presets"
    source = repo_root / "data" / "presets"
    for f in [source / "bgt.toml"] + sorted((source / "bgt").glob("*.gfs")):
        assert (shipped / f.relative_to(source)).read_bytes() == f.read_bytes(), f
    env = {k: v for k, v in os.environ.items() if k != "LANDEL_DATA_DIR"}
    listing = subprocess.run([str(prefix / "bin" / "landel"), "presets"], capture_output=True,
                             text=True, env=env, timeout=60)
    assert listing.returncode == 0, listing.stderr
    assert listing.stdout.split()[0] == "bgt"
    assert listing.stdout.rstrip().endswith(str(shipped / "bgt.toml"))
