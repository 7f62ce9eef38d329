"""`landel batch`: a config template run once per unit of a layer, resumable.

Checked here:
  * each unit's folder is a complete run of the template with the unit as study area; the
    combined area_bid.csv is the units' CSVs with a leading `unit` column, cell for cell;
  * an area split by a unit border is measured in both units, and its parts add up to the
    whole area of a single run over all units;
  * a batch killed (SIGKILL) in the middle of a unit and started again skips the units that
    were complete, runs the rest, and ends with CSVs byte-identical to an uninterrupted batch
    (over the 12 provinces of ../shared/data/real/nl-admin-cbs when present, on the sample
    otherwise);
  * a failing unit does not stop the others; the exit code, batch.csv and the one error line
    say which; SIGINT stops with 130 and the rerun completes;
  * errors in the template or the units layer leave no batch folder.
"""

import csv
import hashlib
import signal
import subprocess
import time
from pathlib import Path

import pytest
from osgeo import ogr, osr

import landel_testlib as lt


def sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_units(path, units, layer="units", field="naam"):
    """units: [(name, (xmin, ymin, xmax, ymax))] as polygons in RD New."""
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(28992)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    lyr = ds.CreateLayer(layer, srs, ogr.wkbPolygon)
    lyr.CreateField(ogr.FieldDefn(field, ogr.OFTString))
    for name, (x0, y0, x1, y1) in units:
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField(field, name)
        f.SetGeometry(ogr.CreateGeometryFromWkt(f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"))
        lyr.CreateFeature(f)
    ds = None
    return path


# The sample covers x 140000..142400, y 430000..431600; the units overlap its border a little.
TWO_UNITS = [("West", (139900, 429900, 141100, 431700)), ("Oost", (141100, 429900, 142500, 431700))]
FOUR_UNITS = [("Zuidwest", (139900, 429900, 141200, 430800)), ("Zuidoost", (141200, 429900, 142500, 430800)),
              ("Noordwest", (139900, 430800, 141200, 431700)), ("Noordoost", (141200, 430800, 142500, 431700))]


def batch_status(out):
    with open(Path(out) / "batch.csv", newline="", encoding="utf-8") as f:
        return {row["unit"]: row for row in csv.DictReader(f)}


def csv_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


@pytest.fixture(scope="module")
def two_unit_batch(tmp_path_factory, run_landel_session, sample_config):
    folder = tmp_path_factory.mktemp("batch")
    units = write_units(folder / "units.gpkg", TWO_UNITS)
    out = folder / "b"
    proc = run_landel_session("batch", str(sample_config), "--units", str(units), "--unit-field", "naam",
                              "--out", str(out), "--jobs", "2", "--threads", "2")
    return dict(folder=folder, units=units, out=out, proc=proc)


def test_batch_runs_every_unit(two_unit_batch):
    b = two_unit_batch
    assert b["proc"].returncode == 0, lt.describe(b["proc"])
    status = batch_status(b["out"])
    assert list(status) == ["West", "Oost"]
    for name, row in status.items():
        assert row["status"] == "done", row
        assert row["folder"] == name
        unit = b["out"] / name
        for f in ("area_bid.csv", "areas.gpkg", "summary.json", "landel.log", "report.html"):
            assert (unit / f).is_file(), f"{unit / f} missing"
        assert int(row["areas"]) == len(csv_rows(unit / "area_bid.csv")) - 1
    assert lt.tmp_siblings(b["out"] / "West") == []


def test_combined_csv_is_the_units_csvs(two_unit_batch):
    out = two_unit_batch["out"]
    combined = csv_rows(out / "area_bid.csv")
    expected = []
    header = None
    for unit in ("West", "Oost"):
        rows = csv_rows(out / unit / "area_bid.csv")
        header = rows[0] if header is None else header
        assert rows[0] == header, "the units share one template, so one header"
        expected += [[unit] + r for r in rows[1:]]
    assert combined[0] == ["unit"] + header
    assert combined[1:] == expected


def test_combined_geopackage_layers(two_unit_batch):
    out = two_unit_batch["out"]
    ds = ogr.Open(str(out / "areas.gpkg"))
    areas = ds.GetLayerByName("areas")
    units = ds.GetLayerByName("units")
    assert areas is not None and units is not None
    n_csv = len(csv_rows(out / "area_bid.csv")) - 1
    assert areas.GetFeatureCount() == n_csv
    rows = {f.GetField("unit"): f for f in units}
    assert set(rows) == {"West", "Oost"}
    for name, f in rows.items():
        unit_rows = [r for r in csv_rows(out / "area_bid.csv")[1:] if r[0] == name]
        header = csv_rows(out / "area_bid.csv")[0]
        ha = sum(float(r[header.index("element_ha")]) for r in unit_rows)
        rural = sum(float(r[header.index("rural_ha")]) for r in unit_rows)
        assert f.GetField("areas") == len(unit_rows)
        assert f.GetField("element_ha") == pytest.approx(ha, abs=1e-5)
        assert f.GetField("share_pct") == pytest.approx(100 * ha / rural, rel=1e-6)
    # The style QGIS opens the combined areas with.
    styles = ds.ExecuteSQL("SELECT f_table_name FROM layer_styles")
    assert {s.GetField(0) for s in styles} == {"areas", "units"}
    ds.ReleaseResultSet(styles)


def test_batch_gaps_per_unit_and_for_the_whole_batch(two_unit_batch):
    """batch_gaps.csv against the combined area_bid.csv: per unit and for all units the sum of
    the areas' gaps, and the regional gap max(0, sum of targets - sum of elements)."""
    out = two_unit_batch["out"]
    header, *rows = csv_rows(out / "area_bid.csv")
    col = lambda r, name: float(r[header.index(name)])  # noqa: E731
    with open(out / "batch_gaps.csv", newline="", encoding="utf-8") as f:
        gaps = list(csv.DictReader(f))
    years = sorted({int(g["year"]) for g in gaps})
    assert years, "the sample has milestones"
    units = {"West", "Oost", "*"}
    assert {(g["unit"], int(g["year"])) for g in gaps} == {(u, y) for u in units for y in years}
    ds = ogr.Open(str(out / "areas.gpkg"))  # kept: its layer dies with it
    layer = {f.GetField("unit"): f for f in ds.GetLayerByName("units")}
    for g in gaps:
        mine = [r for r in rows if g["unit"] in ("*", r[0])]
        y = g["year"]
        target = sum(col(r, f"target_{y}_ha") for r in mine)
        elements = sum(col(r, "element_ha") for r in mine)
        area_gaps = sum(col(r, f"gap_{y}_ha") for r in mine)
        assert float(g["target_ha"]) == pytest.approx(target, abs=1e-5)
        assert float(g["area_gaps_ha"]) == pytest.approx(area_gaps, abs=1e-5)
        assert float(g["regional_gap_ha"]) == pytest.approx(max(0.0, target - elements), abs=1e-5)
        assert float(g["regional_gap_ha"]) <= float(g["area_gaps_ha"]) + 1e-9
        if g["unit"] != "*":
            f = layer[g["unit"]]
            assert f.GetField(f"area_gaps_{y}_ha") == pytest.approx(area_gaps, abs=1e-5)
            assert f.GetField(f"regional_gap_{y}_ha") == pytest.approx(float(g["regional_gap_ha"]), abs=5e-7)  # CSV: 6 decimals


def test_parts_of_split_areas_add_up_to_a_single_run(two_unit_batch, sample_run):
    """Areas cut by the unit border are measured in both units (clipped); per area the parts'
    area, rural land and elements add up to the single run's figures."""
    assert sample_run.proc.returncode == 0
    whole = {r["area_id"]: r for r in lt.read_csv(sample_run.out / "area_bid.csv")[1]}
    parts = {}
    for r in lt.read_csv(two_unit_batch["out"] / "area_bid.csv")[1]:
        parts.setdefault(r["area_id"], []).append(r)
    assert set(parts) == set(whole)
    split = [a for a, rows in parts.items() if len(rows) == 2]
    assert split, "the unit border at x = 141100 should cut some sample areas"
    for area_id, rows in parts.items():
        for col in ("area_ha", "rural_ha", "element_ha"):
            total = sum(float(r[col]) for r in rows)
            # each CSV figure is rounded to 6 decimals
            assert total == pytest.approx(float(whole[area_id][col]), abs=2e-6 * len(rows) + 1e-9), (area_id, col)


def test_rerun_skips_complete_units_and_force_redoes_them(two_unit_batch, run_landel, sample_config):
    b = two_unit_batch
    args = ["batch", str(sample_config), "--units", str(b["units"]), "--unit-field", "naam", "--out", str(b["out"])]
    files = [b["out"] / "area_bid.csv", b["out"] / "West" / "area_bid.csv", b["out"] / "Oost" / "bid_phasing.csv"]
    before = [sha(f) for f in files]

    again = run_landel(*args, "-v")
    assert again.returncode == 0, lt.describe(again)
    assert {r["status"] for r in batch_status(b["out"]).values()} == {"skipped"}
    assert "unit 'West': skipped" in again.stderr
    assert [sha(f) for f in files] == before

    forced = run_landel(*args, "--force", "-q")
    assert forced.returncode == 0, lt.describe(forced)
    assert lt.error_lines(forced.stderr) == []
    assert {r["status"] for r in batch_status(b["out"]).values()} == {"done"}
    assert [sha(f) for f in files] == before, "a unit run again gives the same bytes"
    log = (b["out"] / "batch.log").read_text(encoding="utf-8")
    assert log.count("batch of 2 units") == 3, "batch.log is appended to on every start"


def test_changed_template_runs_units_again(run_landel, tmp_path, sample_dir):
    units = write_units(tmp_path / "units.gpkg", TWO_UNITS)
    text = (sample_dir / "landel.toml").read_text(encoding="utf-8").replace(
        'path = "landscape.gpkg"', f'path = "{sample_dir / "landscape.gpkg"}"')
    cfg = tmp_path / "t.toml"
    cfg.write_text(text, encoding="utf-8")
    out = tmp_path / "b"
    args = ["batch", str(cfg), "--units", str(units), "--unit-field", "naam", "--out", str(out), "-q"]
    assert run_landel(*args).returncode == 0
    cfg.write_text(text.replace("share = 0.10", "share = 0.12"), encoding="utf-8")
    proc = run_landel(*args)
    assert proc.returncode == 0, lt.describe(proc)
    assert {r["status"] for r in batch_status(out).values()} == {"done"}, "a changed template is a new fingerprint"
    header = csv_rows(out / "area_bid.csv")[0]
    row = csv_rows(out / "area_bid.csv")[1]
    target = float(row[header.index("target_2050_ha")])
    assert target == pytest.approx(0.12 * float(row[header.index("rural_ha")]), abs=2e-6)


def kill_case(real_data_dir, tmp_path, sample_dir):
    """(template, units args, names) for the kill-and-resume test: the 12 provinces with
    their municipalities and the national LGN grid when the real data are there, else the
    sample in four units."""
    if real_data_dir is not None:
        cbs = real_data_dir / "nl-admin-cbs"
        lgn = real_data_dir / "delft3dfmpy-nl/national/lgn250.tif"
        cfg = tmp_path / "nl.toml"
        cfg.write_text(f"""
[run]
name = "Nederland"
crs = "EPSG:28992"
measurement_year = 2019

[areas]
method = "given"

[[areas.layers]]
path = "{cbs / 'gemeente_2019.geojson'}"
id_field = "statcode"
name_field = "statnaam"

[[rural.exclude]]
path = "{lgn}"
classes = [14, 15]
name = "built"

[[elements]]
path = "{lgn}"
classes = {{ 9 = "small_wood", 10 = "small_wood", 13 = "pond", 7 = "orchard" }}

[types]
order = ["pond", "small_wood", "orchard"]

[render]
max_area_maps = 2
""", encoding="utf-8")
        return cfg, ["--units", str(cbs / "provincie_2019_derived.geojson"), "--unit-field", "statnaam"], 12
    units = write_units(tmp_path / "units.gpkg", FOUR_UNITS)
    return sample_dir / "landel.toml", ["--units", str(units), "--unit-field", "naam"], 4


def complete_units(out):
    return sorted(p.parent.name for p in Path(out).glob("*/summary.json"))


def test_killed_batch_resumes_to_identical_outputs(landel_bin, run_landel, repo_root, tmp_path, sample_dir):
    real = repo_root.parent / "shared" / "data" / "real"
    real = real if (real / "nl-admin-cbs").is_dir() and (real / "delft3dfmpy-nl").is_dir() else None
    template, unit_args, n_units = kill_case(real, tmp_path, sample_dir)

    reference = tmp_path / "reference"
    proc = run_landel("batch", str(template), *unit_args, "--out", str(reference), "--jobs", "2", "-q")
    assert proc.returncode == 0, lt.describe(proc)
    names = list(batch_status(reference))
    assert len(names) == n_units

    out = tmp_path / "killed"
    victim = subprocess.Popen([str(landel_bin), "batch", str(template), *unit_args, "--out", str(out),
                               "--jobs", "1", "--threads", "1", "-q"], stderr=subprocess.PIPE, text=True)
    # Kill once two units are complete and the third is being written.
    start = time.time()
    while time.time() - start < 300 and victim.poll() is None:
        if len(complete_units(out)) >= 2 and list(out.glob("*.tmp-*")):
            break
        time.sleep(0.01)
    assert victim.poll() is None, "the batch ended before it could be killed"
    time.sleep(0.2)
    victim.send_signal(signal.SIGKILL)
    victim.communicate(timeout=60)
    done_at_kill = complete_units(out)
    assert 2 <= len(done_at_kill) < n_units
    assert not (out / "area_bid.csv").exists(), "no combined table before every unit is complete"

    resumed = run_landel("batch", str(template), *unit_args, "--out", str(out), "--jobs", "2", "-q")
    assert resumed.returncode == 0, lt.describe(resumed)
    status = batch_status(out)
    skipped = sorted(n for n, r in status.items() if r["status"] == "skipped")
    ran = sorted(n for n, r in status.items() if r["status"] == "done")
    assert skipped == sorted(done_at_kill)
    assert sorted(skipped + ran) == sorted(names)
    assert list(out.glob("*.tmp-*")) == [], "the killed run's temporary folder is cleaned up"

    assert sha(out / "area_bid.csv") == sha(reference / "area_bid.csv")
    for row in status.values():
        for f in ("area_bid.csv", "bid_phasing.csv"):
            assert sha(out / row["folder"] / f) == sha(reference / row["folder"] / f), (row["unit"], f)
    print(f"\n    killed with {len(done_at_kill)} of {n_units} units complete; resumed: "
          f"{len(skipped)} skipped, {len(ran)} run; CSVs identical")


def test_failed_unit_does_not_stop_the_others(run_landel, tmp_path, sample_config):
    units = write_units(tmp_path / "units.gpkg", TWO_UNITS + [("Elders", (200000, 500000, 201000, 501000))])
    out = tmp_path / "b"
    proc = run_landel("batch", str(sample_config), "--units", str(units), "--unit-field", "naam", "--out", str(out))
    assert proc.returncode == 1, lt.describe(proc)
    errors = lt.error_lines(proc.stderr)
    assert len(errors) == 1 and "1 of 3 units failed" in errors[0] and "'Elders'" in errors[0], proc.stderr
    status = batch_status(out)
    assert [status[n]["status"] for n in ("West", "Oost", "Elders")] == ["done", "done", "failed"]
    assert "no area" in status["Elders"]["message"] and "study area" in status["Elders"]["message"]
    assert not (out / "Elders").exists()
    assert not (out / "area_bid.csv").exists() and not (out / "areas.gpkg").exists()


def test_sigint_stops_the_batch_and_the_rerun_completes(landel_bin, run_landel, tmp_path, sample_config):
    units = write_units(tmp_path / "units.gpkg", FOUR_UNITS)
    out = tmp_path / "b"
    args = [str(landel_bin), "batch", str(sample_config), "--units", str(units), "--unit-field", "naam",
            "--out", str(out), "--jobs", "1", "--threads", "1", "-q"]
    proc = subprocess.Popen(args, stderr=subprocess.PIPE, text=True)
    start = time.time()
    while not list(out.glob("*.tmp-*")) and time.time() - start < 60 and proc.poll() is None:
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert len(lt.error_lines(err)) == 1, err
    status = batch_status(out)
    assert "not_run" in {r["status"] for r in status.values()}
    assert list(out.glob("*.tmp-*")) == []
    proc = run_landel(*args[1:])
    assert proc.returncode == 0, lt.describe(proc)
    assert (out / "area_bid.csv").is_file()


@pytest.mark.parametrize("name,units,extra,culprit", [
    ("duplicate unit names", [("A", (139900, 429900, 141100, 431700)), ("A", (141100, 429900, 142500, 431700))],
     [], "'A'"),
    ("unknown unit field", TWO_UNITS, ["--unit-field", "nope"], "'nope'"),
    ("no unit field", TWO_UNITS, ["--unit-field", ""], "--unit-field"),
    ("where selecting no units", TWO_UNITS, ["--units-where", "naam = 'Nergens'"], "selects no units"),
])
def test_bad_units_leave_no_batch_folder(run_landel, tmp_path, sample_config, name, units, extra, culprit):
    path = write_units(tmp_path / "units.gpkg", units)
    out = tmp_path / "b"
    args = ["batch", str(sample_config), "--units", str(path), "--out", str(out)]
    if "--unit-field" not in extra:
        args += ["--unit-field", "naam"]
    proc = run_landel(*args, *extra)
    assert proc.returncode == 1, lt.describe(proc)
    errors = lt.error_lines(proc.stderr)
    assert len(errors) == 1 and culprit in errors[0], proc.stderr
    assert not out.exists()


def test_batch_folder_holding_an_input_is_refused(run_landel, tmp_path, sample_config):
    units = write_units(tmp_path / "units.gpkg", TWO_UNITS)
    proc = run_landel("batch", str(sample_config), "--units", str(units), "--unit-field", "naam",
                      "--out", str(tmp_path))
    assert proc.returncode == 1
    errors = lt.error_lines(proc.stderr)
    assert len(errors) == 1 and "contains the input" in errors[0], proc.stderr


def test_list_of_configs(run_landel, tmp_path, sample_dir):
    """Without --units every config is a unit, named by its run.name, its folder by its file."""
    text = (sample_dir / "landel.toml").read_text(encoding="utf-8").replace(
        'path = "landscape.gpkg"', f'path = "{sample_dir / "landscape.gpkg"}"')
    a, b = tmp_path / "alpha.toml", tmp_path / "beta.toml"
    a.write_text(text.replace('name = "Voorbeeldpolder"', 'name = "Alpha"'), encoding="utf-8")
    b.write_text(text.replace('name = "Voorbeeldpolder"', 'name = "Beta"').replace("share = 0.10", "share = 0.2"),
                 encoding="utf-8")
    out = tmp_path / "b"
    proc = run_landel("batch", str(a), str(b), "--out", str(out), "-q")
    assert proc.returncode == 0, lt.describe(proc)
    status = batch_status(out)
    assert [(n, r["folder"], r["status"]) for n, r in status.items()] == [("Alpha", "alpha", "done"),
                                                                          ("Beta", "beta", "done")]
    rows = lt.read_csv(out / "area_bid.csv")[1]
    assert {r["unit"] for r in rows} == {"Alpha", "Beta"}
