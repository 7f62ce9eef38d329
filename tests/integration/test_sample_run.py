"""End to end on the shipped sample (data/samples/polder/landel.toml), output via --out.

The numbers are checked against an independent re-computation with OGR + shapely
(landel_testlib.independent_measure), never against sums of landel's own columns.
"""

import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest
from shapely.ops import unary_union

import landel_testlib as lt

TOL_REL = 1e-6
TOL_ABS = 1e-6  # ha


def near(a, b, rel=TOL_REL, abs_=TOL_ABS):
    return lt.close(a, b, rel=rel, abs_=abs_)


@pytest.fixture(scope="module")
def run(sample_run):
    assert sample_run.proc.returncode == 0, sample_run.describe()
    return sample_run


@pytest.fixture(scope="module")
def cfg(sample_config):
    return lt.load_toml(sample_config)


@pytest.fixture(scope="module")
def csv_data(run):
    header, rows, raw = lt.read_csv(run.out / "area_bid.csv")
    return header, rows, raw


@pytest.fixture(scope="module")
def by_id(csv_data):
    return {r["area_id"]: r for r in csv_data[1]}


@pytest.fixture(scope="module")
def expected(sample_config):
    return lt.independent_measure(sample_config)


@pytest.fixture(scope="module")
def summary(run):
    return json.loads((run.out / "summary.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- the run itself

def test_run_succeeds_without_errors(run):
    assert lt.error_lines(run.proc.stderr) == [], run.describe()


def test_output_files_present(run):
    for name in ("area_bid.csv", "areas.gpkg", "summary.json", "landel.log"):
        assert (run.out / name).is_file(), f"missing {name} in {run.out}"
    assert lt.tmp_siblings(run.out) == [], "temporary output folder left behind"


def test_inputs_not_touched(run, sample_dir):
    """No .aux.xml or other side files appear beside the inputs."""
    names = {p.name for p in sample_dir.iterdir()}
    assert not [n for n in names if n.endswith(".aux.xml")], names
    assert not [n for n in names if n.startswith("landscape.gpkg-")], names  # -wal/-shm


# --------------------------------------------------------------------------- CSV

def test_csv_columns_exact(csv_data, sample_config, cfg):
    header = csv_data[0]
    assert lt.measured_columns(header) == lt.expected_columns(sample_config, cfg)


def test_one_row_per_area(csv_data, sample_gpkg, cfg):
    alayer = cfg["areas"]["layers"][0]
    feats = lt.read_features(sample_gpkg, alayer["layer"])
    ids = [str(f.attrs[alayer["id_field"]]) for f in feats]
    names = {str(f.attrs[alayer["id_field"]]): f.attrs[alayer["name_field"]] for f in feats}
    rows = csv_data[1]
    got = [r["area_id"] for r in rows]
    assert len(got) == len(set(got)), "duplicate area_id rows"
    assert sorted(got) == sorted(ids)
    if all(re.fullmatch(r"-?\d+", i) for i in got):
        assert got == sorted(got, key=int)
    else:
        assert got == sorted(got), "rows are not sorted by area_id"
    for r in rows:
        assert r["area_name"] == names[r["area_id"]]
        assert r["class"] == "", "class must be empty for given areas"
    assert all(len(raw) == len(csv_data[0]) for raw in csv_data[2])


def test_number_formats(csv_data):
    header, rows, _ = csv_data
    six = re.compile(r"-?\d+\.\d{6}")
    three = re.compile(r"-?\d+\.\d{3}")
    for r in rows:
        for c in lt.measured_columns(header):
            v = r[c]
            if c.endswith("_ha") or c == "share_pct":
                if c == "share_pct" and r["status"] == "no_rural_land":
                    assert v == ""
                else:
                    assert six.fullmatch(v), f"{c}={v!r} (area {r['area_id']}): 6 decimals"
            elif c.endswith("_m"):
                assert three.fullmatch(v), f"{c}={v!r}: 3 decimals"
            elif c.endswith("_count"):
                assert re.fullmatch(r"\d+", v), f"{c}={v!r}: integer"


def test_area_and_rural_independent(by_id, expected, cfg):
    assert set(by_id) == set(expected)
    for aid, e in expected.items():
        r = by_id[aid]
        assert near(lt.num(r["area_ha"]), e.area_ha), (aid, r["area_ha"], e.area_ha)
        assert near(lt.num(r["rural_ha"]), e.rural_ha), (aid, r["rural_ha"], e.rural_ha)
        assert lt.num(r["nodata_ha"]) == 0.0
        for name, v in e.excl.items():
            assert near(lt.num(r[f"excl_{name}_ha"]), v), (aid, name, r[f"excl_{name}_ha"], v)


def test_element_ha_independent(by_id, expected, cfg, run):
    for aid, e in expected.items():
        got = lt.num(by_id[aid]["element_ha"])
        assert near(got, e.element_ha), f"area {aid}: element_ha {got} != independent {e.element_ha}"
    # the same at full precision (areas.gpkg), reported
    _, _, feats = lt.read_output_layer(run.out / "areas.gpkg", "areas")
    worst = 0.0
    for attrs, _ in feats:
        e = expected[attrs["area_id"]]
        assert near(attrs["element_ha"], e.element_ha), (attrs["area_id"], attrs["element_ha"])
        if e.element_ha > 0:
            worst = max(worst, abs(attrs["element_ha"] - e.element_ha) / e.element_ha)
    print(f"\n[sample] element_ha max relative difference vs shapely: {worst:.3e}")


def test_type_columns_independent(by_id, expected, cfg):
    for aid, e in expected.items():
        for t in lt.config_types(cfg):
            got = lt.num(by_id[aid][f"ha_{t}"])
            assert near(got, e.ha[t]), f"area {aid}: ha_{t} {got} != independent {e.ha[t]}"


def test_plan_quantities_independent(by_id, expected, csv_data):
    header = csv_data[0]
    for aid, e in expected.items():
        for c in lt.measured_columns(header):
            if c.endswith("_m"):
                t = c[:-2]
                want = e.lengths.get(t, 0.0)
                got = lt.num(by_id[aid][c])
                assert abs(got - want) <= max(1e-6 * want, 0.0015), (aid, c, got, want)
            elif c.endswith("_count"):
                t = c[: -len("_count")]
                assert int(by_id[aid][c]) == e.counts.get(t, 0), (aid, c, by_id[aid][c],
                                                                   e.counts.get(t, 0))


def test_share_targets_gaps_status(by_id, expected, cfg):
    ms = lt.config_milestones(cfg)
    for aid, e in expected.items():
        r = by_id[aid]
        targets, gaps, status = lt.expected_targets(e.rural_ha, e.element_ha, ms)
        assert r["status"] == status, (aid, r["status"], status)
        if status == "no_rural_land":
            assert r["share_pct"] == ""
        else:
            # from landel's own (6-decimal) columns: the definition ...
            assert lt.share_from_rounded_ok(r["share_pct"], r["element_ha"], r["rural_ha"]), r
            # ... and against the independent numbers
            share = 100.0 * e.element_ha / e.rural_ha
            assert near(lt.num(r["share_pct"]), share), (aid, r["share_pct"], share)
        for y, _ in ms:
            assert near(lt.num(r[f"target_{y}_ha"]), targets[y]), (aid, y, r, targets[y])
            assert near(lt.num(r[f"gap_{y}_ha"]), gaps[y]), (aid, y, r, gaps[y])


def test_area_without_rural_land(by_id, expected):
    empty = [aid for aid, e in expected.items() if e.rural_ha < 0.0001]
    assert empty, "the sample should contain an area with no rural land (the village core)"
    for aid in empty:
        r = by_id[aid]
        assert r["status"] == "no_rural_land"
        assert r["share_pct"] == ""
        assert lt.num(r["element_ha"]) == 0.0
        assert lt.num(r["rural_ha"]) == 0.0


def test_types_add_up(by_id, cfg):
    """ha_<type> add up to element_ha (up to the 6-decimal rounding of each column)."""
    types = lt.config_types(cfg)
    for aid, r in by_id.items():
        s = sum(lt.num(r[f"ha_{t}"]) for t in types)
        assert abs(s - lt.num(r["element_ha"])) <= 0.5e-6 * (len(types) + 1) + 1e-12, (aid, s, r)


# --------------------------------------------------------------------------- GeoPackage

def test_gpkg_layers_and_crs(run, cfg):
    gpkg = run.out / "areas.gpkg"
    names = lt.layer_names(gpkg)
    for layer in ("areas", "elements", "study_area", "rural_land"):
        assert layer in names, names
        srs, _, _ = lt.read_output_layer(gpkg, layer)
        assert srs is not None, f"layer {layer} has no CRS"
        assert srs.IsSame(lt.epsg_srs(28992)), f"layer {layer}: CRS not EPSG:28992"


def test_gpkg_areas_layer_matches_csv(run, csv_data, expected):
    header, rows, _ = csv_data
    _, fields, feats = lt.read_output_layer(run.out / "areas.gpkg", "areas")
    assert len(feats) == len(rows) == len(expected)
    for c in header:
        assert c in fields, f"areas layer lacks field {c}"
    by_id = {r["area_id"]: r for r in rows}
    for attrs, geom in feats:
        aid = attrs["area_id"]
        assert isinstance(aid, str), f"area_id must be text, got {aid!r}"
        r = by_id[aid]
        for c in header:
            v, cv = attrs[c], r[c]
            if cv == "":
                assert v is None or v == "", (aid, c, v)
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                assert abs(float(v) - float(cv)) <= 0.51 * 10 ** -(len(cv.split(".")[1]) if "." in cv else 0) + 1e-9, (aid, c, v, cv)
            else:
                assert str(v) == cv, (aid, c, v, cv)
        assert geom.geom_type == "MultiPolygon", geom.geom_type
        assert near(geom.area / 1e4, expected[aid].area_ha), (aid, geom.area)


def test_gpkg_elements_layer(run, by_id, cfg):
    types = lt.config_types(cfg)
    _, fields, feats = lt.read_output_layer(run.out / "areas.gpkg", "elements")
    for f in ("area_id", "type", "ha"):
        assert f in fields
    sums = {}
    geoms = {}
    for attrs, geom in feats:
        aid, t, ha = attrs["area_id"], attrs["type"], attrs["ha"]
        assert aid in by_id, aid
        assert t in types, t
        assert geom.geom_type == "MultiPolygon", geom.geom_type
        assert near(geom.area / 1e4, ha, rel=1e-9, abs_=1e-9), (aid, t, geom.area / 1e4, ha)
        sums[aid, t] = sums.get((aid, t), 0.0) + ha
        geoms.setdefault(aid, []).append(geom)
    for aid, r in by_id.items():
        for t in types:
            want = lt.num(r[f"ha_{t}"])
            got = sums.get((aid, t), 0.0)
            assert abs(got - want) <= 0.51e-6, f"area {aid} type {t}: elements sum {got} != ha_{t} {want}"
    # at most one feature per (area, type) is not required, but features must not overlap
    _, _, areas = lt.read_output_layer(run.out / "areas.gpkg", "areas")
    area_geom = {a["area_id"]: g for a, g in areas}
    for aid, gs in geoms.items():
        union = unary_union(gs)
        total = sum(g.area for g in gs)
        assert abs(union.area - total) <= 1e-6 * total + 0.01, f"area {aid}: element pieces overlap"
        assert union.difference(area_geom[aid]).area <= 0.01, f"area {aid}: elements outside area"
        assert abs(union.area / 1e4 - lt.num(by_id[aid]["element_ha"])) <= 1e-6 * len(types) + 1e-6


def test_gpkg_study_area_layer(run, expected):
    _, fields, feats = lt.read_output_layer(run.out / "areas.gpkg", "study_area")
    assert "name" in fields and "area_ha" in fields
    assert len(feats) >= 1
    total = sum(e.area_ha for e in expected.values())
    got = sum(a["area_ha"] for a, _ in feats)
    assert near(got, total), (got, total)
    assert near(sum(g.area for _, g in feats) / 1e4, total)


def test_gpkg_rural_land_layer(run, expected):
    """Per area its rural land: the geometry's area is rural_ha and equals the independent
    area - union(masks) (lt.independent_measure), and lies inside the area; an area without
    rural land (the village core G07) has a NULL geometry."""
    _, fields, feats = lt.read_output_layer(run.out / "areas.gpkg", "rural_land")
    assert fields == ["area_id", "rural_ha"]
    _, _, areas = lt.read_output_layer(run.out / "areas.gpkg", "areas")
    area_geom = {a["area_id"]: g for a, g in areas}
    assert sorted(a["area_id"] for a, _ in feats) == sorted(expected)
    for attrs, g in feats:
        aid = attrs["area_id"]
        if g is None:
            assert attrs["rural_ha"] == 0.0 and expected[aid].rural_ha <= 1e-6, aid
            continue
        assert near(g.area / 1e4, attrs["rural_ha"]), aid
        assert near(attrs["rural_ha"], expected[aid].rural_ha), aid
        assert g.difference(area_geom[aid]).area <= 0.01, f"area {aid}: rural land outside it"


def test_validate_gpkg(run):
    proc = subprocess.run(["/usr/bin/python3", "-m", "osgeo_utils.samples.validate_gpkg", "-k",
                           str(run.out / "areas.gpkg")], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Error" not in proc.stdout and "Req " not in proc.stdout, proc.stdout


# --------------------------------------------------------------------------- summary.json

def test_summary_json(summary, run, cfg, by_id, sample_gpkg):
    for key in ("landel_version", "config_path", "run", "threads", "inputs", "crs_transforms",
                "repaired_geometries", "warnings", "totals", "timings_s"):
        assert key in summary, f"summary.json lacks {key}"
    assert summary["run"]["name"] == cfg["run"]["name"]
    assert summary["run"]["crs"] == cfg["run"]["crs"]
    assert summary["run"]["measurement_year"] == cfg["run"]["measurement_year"]
    assert isinstance(summary["threads"], int) and summary["threads"] >= 1
    assert Path(summary["config_path"]).name == "landel.toml"

    digest = hashlib.sha256(sample_gpkg.read_bytes()).hexdigest()
    gpkg_inputs = [i for i in summary["inputs"] if Path(i["path"]).name == "landscape.gpkg"]
    assert gpkg_inputs, summary["inputs"]
    for i in gpkg_inputs:
        assert i["sha256"] == digest

    totals = summary["totals"]
    for key in ("area_ha", "rural_ha", "element_ha", "share_pct", "additive"):
        assert key in totals, f"totals lacks {key}"
    rows = list(by_id.values())
    n = len(rows)
    for key in ("area_ha", "rural_ha", "element_ha"):
        s = sum(lt.num(r[key]) for r in rows)
        assert abs(totals[key] - s) <= 0.51e-6 * n, (key, totals[key], s)
    for t in lt.config_types(cfg):
        s = sum(lt.num(r[f"ha_{t}"]) for r in rows)
        assert abs(totals[f"ha_{t}"] - s) <= 0.51e-6 * n, (t, totals[f"ha_{t}"], s)
    # ratio of sums, never a mean of shares
    assert abs(totals["share_pct"] - 100.0 * totals["element_ha"] / totals["rural_ha"]) <= 1e-9
    assert totals["additive"] is True  # the sample's areas do not overlap
    assert isinstance(summary["timings_s"], dict) and summary["timings_s"]
    assert all(isinstance(v, (int, float)) and v >= 0 for v in summary["timings_s"].values())


def test_summary_repaired_geometries(summary, sample_config, cfg):
    """Every invalid input geometry is counted (the sample has one bow-tie wood)."""
    expected_invalid = 0
    sections = ([cfg["areas"]["layers"][0]] + cfg.get("rural", {}).get("exclude", [])
                + cfg.get("elements", []))
    for s in sections:
        feats = lt.read_features(lt.resolve(sample_config, s["path"]), s.get("layer"),
                                 s.get("where"))
        expected_invalid += sum(1 for f in feats if f.geom is not None and not f.geom.is_valid)
    assert expected_invalid >= 1, "the sample should contain the invalid bow-tie"
    rg = summary["repaired_geometries"]
    assert isinstance(rg, dict)
    assert sum(rg.values()) == expected_invalid, rg


def test_warnings_recorded_in_summary(summary, run):
    flat = [w if isinstance(w, str) else json.dumps(w, ensure_ascii=False)
            for w in summary["warnings"]]
    for line in lt.warning_lines(run.proc.stderr):
        msg = line[len(lt.WARNING_PREFIX):].strip()
        assert any(msg in w for w in flat), f"stderr warning not in summary.json: {msg}"
