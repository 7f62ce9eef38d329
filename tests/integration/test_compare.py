"""`landel compare` end to end, on three runs (2020, 2022, 2024) of four hand-made 1 km² areas
whose changes have known answers:

  A1 (changes): hedge H1 removed in 2022; wood W1 grown by 100 x 50 m in 2022; a pond dug in
     2022; a building over 100 m of hedge H2 in 2024 (masked, not lost); hedge H3 becomes a
     wooded bank in 2024 (reclassified, neither lost nor gained);
  A2 (on track), A3 (behind), A4 (met, with a building all years): woods of known sizes;
  A5: built over whole, no rural land (a NULL rural_land geometry, status no_rural_land).

change.csv is checked against the hand-derived hectares written below and, second, against a
shapely computation on the runs' own `elements` and `rural_land` layers; trajectory.csv
against the straight path computed here; change.gpkg and summary.json against change.csv; and
every error: one line, nothing written. report.html is opened in headless Chromium: its charts
(a point per year with rural land, a path per milestone with trajectory.csv's status) and its
table against figures computed here from change.csv and trajectory.csv, the BGT-history caution
for runs of a registry's state only, hostile area names shown as text, the table sorted by a
click; change.xlsx through LibreOffice against the CSVs, its totals as sums and ratios of sums.
Also: `landel run` writes a `rural_land` layer whose area per area is rural_ha (and equals
area - buildings by shapely)."""

import base64
import hashlib
import json
import re
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser

import numpy as np
import pytest
import shapely.wkt
from osgeo import gdal, ogr
from shapely.geometry import box
from shapely.ops import unary_union

import landel_testlib as lt
from test_bid import libreoffice, sheet_as_csv
from test_report import CHROMIUM, chromium, page_requests
from test_report_no_script import HOSTILE, DevTools, Scripts

X0, Y0 = 150000.0, 450000.0
AREAS = ["A1", "A2", "A3", "A4", "A5"]
YEARS = [2020, 2022, 2024]
PAIRS = [(2020, 2022), (2022, 2024), (2020, 2024)]  # consecutive, then baseline -> last
TYPES = ["pond", "small_wood", "wooded_bank", "hedge"]
HEDGE_W = 2.0
HA = 1e4  # m² per hectare
CHANGE_MAPS = ["maps/change_overview.png", "maps/change_overview.pdf", "maps/change_atlas.pdf"]


def at(area, x, y):
    """Coordinates of (x, y) metres inside area A<n> (each a 1000 m square, side by side)."""
    return X0 + 1000.0 * (AREAS.index(area)) + x, Y0 + y


def rect(area, x0, y0, x1, y1):
    (a, b), (c, d) = at(area, x0, y0), at(area, x1, y1)
    return box(a, b, c, d).wkt


def line(area, x0, y, x1):
    (a, b), (c, _) = at(area, x0, y), at(area, x1, y)
    return f"LINESTRING ({a} {b}, {c} {b})"


# What each year holds: (layer, area, geometry) rows.
H1, H2, H3 = (100, 100, 900), (100, 500, 900), (100, 800, 900)


def year_features(year, h2_shift=0.0):
    h2 = (H2[0], H2[1] + h2_shift, H2[2])  # the same hedge, drawn again h2_shift m north
    hedges = [("A1", h2)] + ([("A1", H1)] if year == 2020 else []) + \
        ([("A1", H3)] if year < 2024 else [])
    banks = [("A1", H3)] if year == 2024 else []
    woods = [("A1", (200, 200, 300, 300 if year == 2020 else 350)),
             ("A2", (100, 100, 200, {2020: 200, 2022: 300, 2024: 400}[year])),
             ("A3", (100, 100, 200, {2020: 200, 2022: 250, 2024: 300}[year])),
             ("A4", (300, 300, 500, 600))]
    ponds = [("A1", (600, 600, 650, 650))] if year >= 2022 else []
    buildings = [("A4", (0, 0, 100, 100)), ("A5", (0, 0, 1000, 1000))] + \
        ([("A1", (400, 490, 500, 510))] if year == 2024 else [])
    return {
        "hedges": [line(a, *h) for a, h in hedges],
        "banks": [line(a, *h) for a, h in banks],
        "woods": [rect(a, *r) for a, r in woods],
        "ponds": [rect(a, *r) for a, r in ponds],
        "buildings": [rect(a, *r) for a, r in buildings],
    }


def write_areas(path, areas, names=None):
    """Areas (code, wkt); with @p names (one per area) a field `naam` too."""
    if names is None:
        lt.write_vector(path, "areas", ogr.wkbPolygon,
                        [(wkt, {"code": code}) for code, wkt in areas],
                        fields=[("code", ogr.OFTString)])
        return
    lt.write_vector(path, "areas", ogr.wkbPolygon,
                    [(wkt, {"code": code, "naam": n}) for (code, wkt), n in zip(areas, names)],
                    fields=[("code", ogr.OFTString), ("naam", ogr.OFTString)])


def write_year(path, year, h2_shift=0.0):
    feats = year_features(year, h2_shift)
    for k, (layer, wkts) in enumerate(feats.items()):
        kind = ogr.wkbLineString if layer in ("hedges", "banks") else ogr.wkbPolygon
        lt.write_vector(path, layer, kind, [(w, {}) for w in wkts], mode="w" if k == 0 else "a")


def config_text(year, data, areas, order=TYPES, measurement_year=True, name_field=False):
    run = f"measurement_year = {year}\n" if measurement_year else ""
    names = 'name_field = "naam"' if name_field else ""
    return f"""
[run]
name = "monitoring {year}"
crs = "EPSG:28992"
{run}
[areas]
method = "given"

[[areas.layers]]
path = "{areas}"
layer = "areas"
id_field = "code"
{names}

[[rural.exclude]]
path = "{data}"
layer = "buildings"
name = "built"

[[elements]]
path = "{data}"
layer = "hedges"
type = "hedge"
width_m = {HEDGE_W}

[[elements]]
path = "{data}"
layer = "banks"
type = "wooded_bank"
width_m = {HEDGE_W}

[[elements]]
path = "{data}"
layer = "woods"
type = "small_wood"

[[elements]]
path = "{data}"
layer = "ponds"
type = "pond"

[types]
order = {json.dumps(order)}
"""


def area_squares(shift=None):
    rows = [(a, rect(a, 0, 0, 1000, 1000)) for a in AREAS]
    if shift:  # the same id, other land
        rows = [(a, rect(a, 0, 0, 1000, 1010) if a == shift else w) for a, w in rows]
    return rows


class Case:
    """Runs made once per module: one per year, and variants for the error cases."""

    def __init__(self, root, run_landel):
        self.root = root
        self.run_landel = run_landel
        self.areas = root / "areas.gpkg"
        write_areas(self.areas, area_squares())
        self.runs = {y: self.make_run(f"run{y}", y) for y in YEARS}

    def make_run(self, name, year, areas=None, data_year=None, h2_shift=0.0, **config):
        data = self.root / f"data{data_year or year}{'-h2' if h2_shift else ''}.gpkg"
        if not data.exists():
            write_year(data, data_year or year, h2_shift)
        cfg = self.root / f"{name}.toml"
        cfg.write_text(lt.dedent_config(config_text(year, data, areas or self.areas, **config)),
                       encoding="utf-8")
        out = self.root / name
        proc = self.run_landel("run", cfg, "--out", out, "--quiet")
        assert proc.returncode == 0, lt.describe(proc)
        return out

    def compare(self, out, *extra, runs=None):
        runs = runs if runs is not None else [self.runs[y] for y in YEARS]
        return self.run_landel("compare", *runs, "--out", out, "--quiet", *extra)


@pytest.fixture(scope="module")
def case(tmp_path_factory, run_landel_session):
    return Case(tmp_path_factory.mktemp("compare"), run_landel_session)


@pytest.fixture(scope="module")
def compared(case):
    out = case.root / "compared"
    proc = case.compare(out)
    assert proc.returncode == 0, lt.describe(proc)
    assert lt.error_lines(proc.stderr) == [] and lt.warning_lines(proc.stderr) == []
    return out


def rows_by_key(path):
    _, rows, _ = lt.read_csv(path)
    return {(r["area_id"], int(r["from_year"]), int(r["to_year"]), r["type"]): r for r in rows}


# --------------------------------------------------------------------------- hand-derived

def strip_ha(x0, x1):
    return (x1 - x0) * HEDGE_W / HA


def expected_changes():
    """{(area, from, to, type): {figure: ha}} for the vector types, and {(area, from, to):
    ha} of hedge -> wooded_bank, derived by hand from the drawing in year_features()."""
    hedge = strip_ha(100, 900)   # each hedge: 800 m x 2 m = 0.16 ha
    masked = strip_ha(400, 500)  # the 2024 building covers 100 m of H2: 0.02 ha
    pond = 50 * 50 / HA          # 0.25 ha
    owned = {  # per area and type: hectares in 2020, 2022, 2024
        ("A1", "hedge"): (3 * hedge, 2 * hedge, hedge - masked),
        ("A1", "wooded_bank"): (0.0, 0.0, hedge),
        ("A1", "small_wood"): (1.0, 1.5, 1.5),  # 100 x 100 m, then 100 x 150 m
        ("A1", "pond"): (0.0, pond, pond),
        ("A2", "small_wood"): (1.0, 2.0, 3.0),
        ("A3", "small_wood"): (1.0, 1.5, 2.0),
        ("A4", "small_wood"): (6.0, 6.0, 6.0),
    }
    # Land that changed, by pair: H1 removed by 2022 (lost), the 2024 building over H2
    # (masked), the wood's growth and the pond (gained); H3 turning into a wooded bank in 2024
    # is neither.
    lost = {("A1", "hedge", 2020, 2022): hedge, ("A1", "hedge", 2020, 2024): hedge}
    masked_by = {("A1", "hedge", 2022, 2024): masked, ("A1", "hedge", 2020, 2024): masked}
    e = {}
    for a, b in PAIRS:
        for area in AREAS:
            for t in TYPES:
                before, after = (owned.get((area, t), (0.0,) * 3)[YEARS.index(y)] for y in (a, b))
                gained = max(0.0, after - before) if t in ("small_wood", "pond") else 0.0
                e[(area, a, b, t)] = dict(before_ha=before, after_ha=after, net_ha=after - before,
                                          gained_ha=gained,
                                          lost_ha=lost.get((area, t, a, b), 0.0),
                                          masked_ha=masked_by.get((area, t, a, b), 0.0),
                                          realigned_ha=0.0)
    reclassified = {("A1", 2022, 2024): hedge, ("A1", 2020, 2024): hedge}
    return e, reclassified


FIGURES = ["before_ha", "after_ha", "gained_ha", "lost_ha", "net_ha", "masked_ha", "realigned_ha"]


def test_change_csv_equals_hand_derived_figures(compared):
    header, rows, _ = lt.read_csv(compared / "change.csv")
    assert header[:13] == ["area_id", "area_name", "from_year", "to_year", "type"] + FIGURES + \
        ["reclassified_ha"]
    got = rows_by_key(compared / "change.csv")
    expected, reclassified = expected_changes()
    type_rows = {k: r for k, r in got.items() if "->" not in k[3]}
    assert set(type_rows) == set(expected)
    for key, want in expected.items():
        for figure, value in want.items():
            assert abs(lt.num(type_rows[key][figure]) - value) <= 1e-6, (key, figure)
        assert type_rows[key]["reclassified_ha"] == ""
    moved = {k[:3]: r for k, r in got.items() if "->" in k[3]}
    assert set(moved) == set(reclassified)
    for key, ha in reclassified.items():
        assert moved[key]["type"] == "hedge->wooded_bank"
        assert abs(lt.num(moved[key]["reclassified_ha"]) - ha) <= 1e-6
        assert all(moved[key][f] == "" for f in FIGURES)


def test_pairs_are_consecutive_then_baseline_to_last(compared):
    _, rows, _ = lt.read_csv(compared / "change.csv")
    pairs = []
    for r in rows:
        p = (int(r["from_year"]), int(r["to_year"]))
        if p not in pairs:
            pairs.append(p)
    assert pairs == PAIRS


def rural_ha(area, year):
    """Area minus buildings: A4 loses 1 ha every year, A1 0.2 ha (100 x 20 m) in 2024, A5 all."""
    if area == "A5":
        return 0.0
    return 100.0 - (1.0 if area == "A4" else 0.0) - (0.2 if (area, year) == ("A1", 2024) else 0.0)


def share(ha, rural):
    """The share as text would hold it: none without rural land."""
    return None if rural == 0.0 else 100 * ha / rural


def test_shares_are_on_each_years_own_rural_land(compared):
    for (area, a, b, t), r in rows_by_key(compared / "change.csv").items():
        if "->" in t:
            continue
        ra, rb = rural_ha(area, a), rural_ha(area, b)
        assert abs(lt.num(r["from_rural_ha"]) - ra) <= 1e-6 and abs(lt.num(r["to_rural_ha"]) - rb) <= 1e-6
        for column, ha, rural in (("before_share_pct", "before_ha", ra), ("after_share_pct", "after_ha", rb)):
            want = share(lt.num(r[ha]), rural)
            if want is None:
                assert r[column] == "", (area, a, b, t, column)
            else:
                assert abs(lt.num(r[column]) - want) <= 1e-5, (area, a, b, t, column)


# --------------------------------------------------------------------------- shapely check

def run_geometry(run):
    """{area: {type: geometry}} and {area: rural geometry} from a run's own layers."""
    _, _, elements = lt.read_output_layer(run / "areas.gpkg", "elements")
    owned = {}
    for attrs, g in elements:
        owned.setdefault(attrs["area_id"], {})[attrs["type"]] = g
    _, _, rural = lt.read_output_layer(run / "areas.gpkg", "rural_land")
    empty = box(0, 0, 0, 0)  # a NULL geometry: no rural land
    return owned, {attrs["area_id"]: g if g is not None else empty for attrs, g in rural}


def shapely_changes(before_run, after_run):
    (ob, _), (oa, ra) = run_geometry(before_run), run_geometry(after_run)
    out = {}
    for area in AREAS:
        b, a = ob.get(area, {}), oa.get(area, {})
        empty = box(0, 0, 0, 0)
        all_b = unary_union(list(b.values())) if b else empty
        all_a = unary_union(list(a.values())) if a else empty
        for t in TYPES:
            bt, at_ = b.get(t, empty), a.get(t, empty)
            gone = bt.difference(all_a)
            out[(area, t)] = {
                "before_ha": bt.area / HA, "after_ha": at_.area / HA,
                "gained_ha": at_.difference(all_b).area / HA,
                "lost_ha": gone.intersection(ra[area]).area / HA,
                "masked_ha": gone.difference(ra[area]).area / HA,
            }
            for u in TYPES:
                if u != t:
                    out[(area, f"{t}->{u}")] = bt.intersection(a.get(u, empty)).area / HA
    return out


@pytest.mark.parametrize("tolerance", [None, "0"])
def test_change_csv_equals_shapely_on_the_runs_layers(case, compared, tmp_path, tolerance):
    out = compared
    if tolerance is not None:
        out = tmp_path / "tol0"
        proc = case.compare(out, "--tolerance-m", tolerance)
        assert proc.returncode == 0, lt.describe(proc)
    got = rows_by_key(out / "change.csv")
    for a, b in PAIRS:
        want = shapely_changes(case.runs[a], case.runs[b])
        for (area, t), figures in want.items():
            row = got.get((area, a, b, t))
            if isinstance(figures, float):  # a reclassification: a row only when there is one
                have = lt.num(row["reclassified_ha"]) if row else 0.0
                assert abs(have - figures) <= 1e-6, (area, a, b, t)
                continue
            for figure, value in figures.items():
                assert abs(lt.num(row[figure]) - value) <= 1e-6, (area, a, b, t, figure)
            assert lt.num(row["realigned_ha"]) == 0.0  # no thin differences in this case


def test_a_hedge_drawn_again_0_3_m_off(case, tmp_path):
    """A 2026 run of the 2024 landscape with H2 drawn again 0.3 m north. Without a tolerance
    that is a loss of a 700 m x 0.3 m strip along one side and a gain of one along the other
    (the 100 m under the building are not rural land either year); a tolerance only moves
    land from the gains and losses into realigned_ha (the raw difference and the net stay),
    and the realigned layer of change.gpkg holds what realigned_ha says."""
    redrawn = case.make_run("redrawn2026", 2026, data_year=2024, h2_shift=0.3)
    strip = 700 * 0.3 / HA
    figures = {}
    for tolerance in ("0", "0.5"):
        out = tmp_path / f"tolerance{tolerance}"
        proc = case.compare(out, "--tolerance-m", tolerance, runs=[case.runs[2024], redrawn])
        assert proc.returncode == 0, lt.describe(proc)
        row = rows_by_key(out / "change.csv")[("A1", 2024, 2026, "hedge")]
        figures[tolerance] = {k: lt.num(row[k]) for k in FIGURES}
        _, _, feats = lt.read_output_layer(out / "change.gpkg", "realigned")
        layer = sum(a["ha"] for a, g in feats if (a["area_id"], a["type"]) == ("A1", "hedge"))
        assert abs(layer - figures[tolerance]["realigned_ha"]) <= 1e-9
    raw, kept = figures["0"], figures["0.5"]
    assert abs(raw["gained_ha"] - strip) <= 1e-6 and abs(raw["lost_ha"] - strip) <= 1e-6
    assert raw["realigned_ha"] == 0.0 and raw["masked_ha"] == 0.0 and abs(raw["net_ha"]) <= 1e-9
    assert abs(kept["gained_ha"] + kept["lost_ha"] + kept["realigned_ha"] - 2 * strip) <= 1e-6
    assert kept["net_ha"] == raw["net_ha"] and kept["masked_ha"] == 0.0


# --------------------------------------------------------------------------- trajectory

def test_trajectory_status_and_path(compared):
    _, rows, _ = lt.read_csv(compared / "trajectory.csv")
    by = {(r["area_id"], int(r["milestone_year"])): r for r in rows}
    # The runs have the default milestones: 5 % by 2030, 10 % by 2050.
    assert set(by) == {(a, y) for a in AREAS for y in (2030, 2050)}
    element = {"A1": (0.48 + 1.0, 0.14 + 0.16 + 1.5 + 0.25), "A2": (1.0, 3.0), "A3": (1.0, 2.0),
               "A4": (6.0, 6.0), "A5": (0.0, 0.0)}
    rural = {a: (rural_ha(a, 2020), rural_ha(a, 2024)) for a in AREAS}
    statuses = {}
    for (area, year), r in by.items():
        target = {2030: 5.0, 2050: 10.0}[year]
        (e0, e1), (r0, r1) = element[area], rural[area]
        assert (int(r["base_year"]), int(r["last_year"])) == (2020, 2024)
        if r0 == 0.0 or r1 == 0.0:  # no path without rural land
            assert r["status"] == "no_rural_land" and r["base_share_pct"] == "" and r["needed_ha"] == ""
            assert r["year_reached"] == ""
            continue
        s0, s1 = 100 * e0 / r0, 100 * e1 / r1
        path = s0 + (target - s0) * (2024 - 2020) / (year - 2020)
        assert (int(r["base_year"]), int(r["last_year"])) == (2020, 2024)
        assert abs(lt.num(r["target_pct"]) - target) <= 1e-6
        assert abs(lt.num(r["base_share_pct"]) - s0) <= 1e-5
        assert abs(lt.num(r["last_share_pct"]) - s1) <= 1e-5
        assert abs(lt.num(r["realised_ha"]) - (e1 - e0)) <= 1e-6
        assert abs(lt.num(r["rate_achieved_pp"]) - (s1 - s0) / 4) <= 1e-5
        assert abs(lt.num(r["rate_needed_pp"]) - (target - s0) / (year - 2020)) <= 1e-5
        assert abs(lt.num(r["path_share_pct"]) - path) <= 1e-5
        status = "met" if s1 >= target else "on_track" if s1 >= path else "behind"
        assert r["status"] == status, (area, year)
        statuses[(area, year)] = status
        if r0 == r1 and status != "met":  # the increment needed, on unchanged rural land
            needed = target / 100 * r1 - e0
            assert abs(lt.num(r["needed_ha"]) - needed) <= 1e-6
            assert abs(lt.num(r["realised_pct"]) - 100 * (e1 - e0) / needed) <= 1e-5
        # At the achieved rate the share reaches the target (a straight line); never at a
        # rate <= 0 (A4 stands still).
        rate = (s1 - s0) / 4
        if rate <= 0:
            assert r["year_reached"] == "", (area, year)
        elif status != "met":
            assert abs(lt.num(r["year_reached"]) - (2024 + (target - s1) / rate)) <= 0.006
    assert statuses[("A2", 2030)] == "on_track"
    assert statuses[("A3", 2030)] == "behind"
    assert statuses[("A4", 2030)] == "met"


def test_baseline_year_moves_the_start_of_the_path(case, tmp_path):
    out = tmp_path / "from2022"
    proc = case.compare(out, "--baseline-year", "2022")
    assert proc.returncode == 0, lt.describe(proc)
    _, rows, _ = lt.read_csv(out / "trajectory.csv")
    assert {int(r["base_year"]) for r in rows} == {2022}
    a2 = next(r for r in rows if r["area_id"] == "A2" and r["milestone_year"] == "2030")
    assert abs(lt.num(a2["base_share_pct"]) - 2.0) <= 1e-6
    _, change, _ = lt.read_csv(out / "change.csv")
    assert {(int(r["from_year"]), int(r["to_year"])) for r in change} == {(2020, 2022), (2022, 2024)}
    assert json.loads((out / "summary.json").read_text())["baseline_year"] == 2022


# --------------------------------------------------------------------------- change.gpkg

def test_change_gpkg_layers_match_change_csv(compared):
    gpkg = compared / "change.gpkg"
    assert {"gained", "lost", "reclassified", "realigned"} <= set(lt.layer_names(gpkg))
    got = rows_by_key(compared / "change.csv")
    for layer, figure in (("gained", "gained_ha"), ("lost", "lost_ha"), ("realigned", "realigned_ha")):
        srs, fields, feats = lt.read_output_layer(gpkg, layer)
        assert srs.IsSame(lt.epsg_srs(28992))
        assert fields == ["area_id", "from_year", "to_year", "type", "ha"]
        sums = {}
        for attrs, g in feats:
            key = (attrs["area_id"], attrs["from_year"], attrs["to_year"], attrs["type"])
            assert abs(g.area / HA - attrs["ha"]) <= 1e-9
            sums[key] = sums.get(key, 0.0) + attrs["ha"]
        for key, r in got.items():
            if "->" not in key[3]:
                assert abs(sums.get(key, 0.0) - lt.num(r[figure])) <= 1e-6, (layer, key)
    _, fields, feats = lt.read_output_layer(gpkg, "reclassified")
    assert fields == ["area_id", "from_year", "to_year", "from_type", "to_type", "ha"]
    assert sorted((a["area_id"], a["from_year"], a["to_year"], a["from_type"], a["to_type"])
                  for a, _ in feats) == [("A1", 2020, 2024, "hedge", "wooded_bank"),
                                         ("A1", 2022, 2024, "hedge", "wooded_bank")]
    assert all(abs(g.area / HA - strip_ha(100, 900)) <= 1e-9 for _, g in feats)


def fill_colour(qml):
    import re
    m = re.search(r'name="color" value="(\d+),(\d+),(\d+),', qml)
    return tuple(int(v) for v in m.groups())


def test_change_gpkg_is_styled_gains_green_losses_red(compared):
    con = sqlite3.connect(str(compared / "change.gpkg"))
    try:
        styles = dict(con.execute("SELECT f_table_name, styleQML FROM layer_styles"))
    finally:
        con.close()
    r, g, b = fill_colour(styles["gained"])
    assert g > r and g > b, "gains green"
    r, g, b = fill_colour(styles["lost"])
    assert r > g and r > b, "losses red"
    r, g, b = fill_colour(styles["reclassified"])
    assert r > g > b and g > 100, "reclassified amber"
    r, g, b = fill_colour(styles["realigned"])
    assert r == g == b, "realigned grey"


# --------------------------------------------------------------------------- summary.json

def test_summary_totals_are_sums_and_ratios_of_sums(compared, case):
    s = json.loads((compared / "summary.json").read_text(encoding="utf-8"))
    assert s["command"] == "compare" and s["baseline_year"] == 2020 and s["last_year"] == 2024
    assert s["tolerance_m"] == 0.5 and s["types"] == TYPES and s["raster_types"] == []
    assert [r["year"] for r in s["runs"]] == YEARS
    assert all(r["incomplete_registry"] is False for r in s["runs"])
    assert set(s["outputs"]) == {"change.csv", "change.gpkg", "trajectory.csv", "summary.json",
                                 "report.html", "change.xlsx", "landel.log", *CHANGE_MAPS,
                                 *(f"maps/change_{a}.png" for a in AREAS)}
    assert all((compared / f).is_file() for f in s["outputs"])
    got = rows_by_key(compared / "change.csv")
    for total in s["totals"]:
        a, b = total["from_year"], total["to_year"]
        rural_a = sum(lt.num(r["from_rural_ha"]) for k, r in got.items()
                      if k[1:3] == (a, b) and k[3] == "pond")
        rural_b = sum(lt.num(r["to_rural_ha"]) for k, r in got.items()
                      if k[1:3] == (a, b) and k[3] == "pond")
        for t, figures in total["types"].items():
            rows = [r for k, r in got.items() if k[1:] == (a, b, t)]
            for figure in FIGURES:
                assert abs(figures[figure] - sum(lt.num(r[figure]) for r in rows)) <= 1e-5
            assert abs(figures["before_share_pct"] - 100 * figures["before_ha"] / rural_a) <= 1e-9
            assert abs(figures["after_share_pct"] - 100 * figures["after_ha"] / rural_b) <= 1e-9
    counts = {t["milestone_year"]: t for t in s["trajectory"]}
    assert [counts[2030][k] for k in ("met", "on_track", "behind", "no_rural_land")] == [1, 1, 2, 1]
    assert (compared / "landel.log").read_text(encoding="utf-8").count("INFO") >= 3


# --------------------------------------------------------------------------- report.html

def year_figures(change_csv):
    """{(area, year): (element_ha, rural_ha)} from change.csv's type rows: the types' before_ha
    in a pair's from year, their after_ha in its to year."""
    per = {}
    for (area, a, b, t), r in rows_by_key(change_csv).items():
        if "->" in t:
            continue
        for year, ha, rural in ((a, "before_ha", "from_rural_ha"), (b, "after_ha", "to_rural_ha")):
            e = per.setdefault((area, year), {"types": {}})
            e["types"][t] = lt.num(r[ha])
            e["rural"] = lt.num(r[rural])
    return {k: (sum(e["types"].values()), e["rural"]) for k, e in per.items()}


def pct(element, rural):
    """A share as the report shows it: none without rural land (under 1 m²)."""
    return None if rural < 1e-4 else 100 * element / rural


def whole_change(change_csv, a, b):
    """{area: {figure: ha}} of the pair a -> b summed over the types (empty cells skipped)."""
    out = {}
    for (area, x, y, t), r in rows_by_key(change_csv).items():
        if (x, y) != (a, b):
            continue
        e = out.setdefault(area, {f: 0.0 for f in ("gained_ha", "lost_ha", "net_ha",
                                                    "reclassified_ha", "masked_ha", "realigned_ha")})
        for f in e:
            if r[f] != "":
                e[f] += lt.num(r[f])
    return out


class ReportDom(HTMLParser):
    """From a page: the charts (title, points, paths), the tables (headers, rows of cell text),
    the caution paragraphs, the scripts."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.charts, self.tables, self.cautions, self.scripts = [], {}, [], 0
        self._chart = self._table = self._row = self._cell = self._text = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "svg" and "share-chart" in classes:
            self._chart = {"title": None, "points": [], "paths": [], "targets": 0}
            self.charts.append(self._chart)
        elif tag == "title" and self._chart is not None and self._chart["title"] is None:
            self._text = ""
        elif tag == "circle" and "share-point" in classes:
            self._chart["points"].append((int(a["data-year"]), float(a["data-share"])))
        elif tag == "line" and "target-path" in classes:
            self._chart["paths"].append((int(a["data-milestone"]), a["data-status"]))
        elif tag == "rect" and "target" in classes:
            self._chart["targets"] += 1
        elif tag == "table":
            self._table = {"headers": [], "rows": []}
            self.tables[a.get("id") or f"table{len(self.tables)}"] = self._table
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""
        elif tag == "p" and "caution" in classes:
            self._text = ""
        elif tag == "script":
            self.scripts += 1

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        elif self._text is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "title" and self._chart is not None and self._text is not None:
            self._chart["title"], self._text = self._text, None
        elif tag == "svg":
            self._chart = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._table["headers"]:
                self._table["rows"].append(self._row)
            else:
                self._table["headers"] = self._row
            self._row = None
        elif tag == "table":
            self._table = None
        elif tag == "p" and self._text is not None:
            self.cautions.append(self._text)
            self._text = None


BGT_HISTORY = "The BGT history shows the registry (when objects were captured or re-measured), " \
              "not the landscape"


def rendered(page, tmp_path):
    """The page's DOM once headless Chromium has run it, and the requests the page made."""
    dom, net = chromium(page.as_uri(), tmp_path, "--dump-dom")
    return ReportDom(dom), page_requests(net)


def close_to_shown(text, value, decimals):
    """A figure shown with @p decimals equals @p value up to its rounding."""
    return abs(float(text) - value) <= 0.5 * 10 ** -decimals + 1e-9


@pytest.mark.skipif(not CHROMIUM, reason="chromium not installed")
def test_report_charts_and_tables_in_chromium(compared, tmp_path):
    dom, requests = rendered(compared / "report.html", tmp_path)
    assert requests == []
    figures = year_figures(compared / "change.csv")
    _, trajectory, _ = lt.read_csv(compared / "trajectory.csv")
    path = {(r["area_id"], int(r["milestone_year"])): r for r in trajectory}
    charts = {c["title"]: c for c in dom.charts}
    assert len(dom.charts) == 1 + len(AREAS) and set(charts) == {"All areas together", *AREAS}
    for area in AREAS:
        want = [(y, pct(*figures[(area, y)])) for y in YEARS if pct(*figures[(area, y)]) is not None]
        got = charts[area]["points"]
        assert [y for y, _ in got] == [y for y, _ in want], area  # one point per year with rural land
        assert all(abs(g - w) <= 1e-5 for (_, g), (_, w) in zip(got, want)), (area, got, want)
        # A path per milestone from a baseline with rural land, drawn with its status.
        expected_paths = [(m, path[(area, m)]["status"]) for m in (2030, 2050)
                          if path[(area, m)]["status"] != "no_rural_land"]
        assert charts[area]["paths"] == expected_paths, area
        assert charts[area]["targets"] == 2
    assert charts["A5"]["points"] == []  # no rural land, no point
    total = charts["All areas together"]["points"]
    for (y, share) in total:
        element = sum(figures[(a, y)][0] for a in AREAS)
        rural = sum(figures[(a, y)][1] for a in AREAS)
        assert abs(share - 100 * element / rural) <= 1e-5  # a ratio of the sums
    assert [y for y, _ in total] == YEARS

    table = dom.tables["areas"]
    h = table["headers"]
    change = whole_change(compared / "change.csv", 2020, 2024)
    words = {"gained_ha": "Gained", "lost_ha": "Lost", "net_ha": "Net change",
             "reclassified_ha": "Reclassified", "masked_ha": "Masked", "realigned_ha": "Realigned"}
    assert [row[0] for row in table["rows"]] == AREAS
    for row in table["rows"]:
        area = row[0]
        for y in YEARS:
            cell = row[h.index(f"Share of rural land {y} (%)")]
            want = pct(*figures[(area, y)])
            assert cell == "" if want is None else close_to_shown(cell, want, 3), (area, y, cell)
        for figure, word in words.items():
            cell = row[h.index(f"{word} 2020-2024 (ha)")]
            assert close_to_shown(cell, change[area][figure], 3), (area, figure, cell)
        for m in (2030, 2050):
            assert row[h.index(f"Status {m}")] == path[(area, m)]["status"]
            assert row[h.index(f"Year {m} share reached")] == path[(area, m)]["year_reached"]
    runs = next(t for k, t in dom.tables.items() if k != "areas")
    assert [int(r[runs["headers"].index("Measurement year")]) for r in runs["rows"]] == YEARS
    assert all(r[runs["headers"].index("Registry incomplete on as_of")] == "no" for r in runs["rows"])
    # No run of a registry's state: no caution about the BGT history.
    assert dom.cautions == []
    assert BGT_HISTORY not in (compared / "report.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def dated(case):
    """The 2020 and 2022 runs as if made of a registry's state (a dataset as_of in their
    summary.json), the 2022 one warned about as incomplete, compared."""
    folders = []
    for year, as_of, incomplete in ((2020, "2020-03-01", False), (2022, "2022-03-01", True)):
        folder = case.root / f"dated{year}"
        shutil.copytree(case.runs[year], folder)
        s = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        s["dataset"] = {"preset": "bgt", "as_of": as_of}
        if incomplete:
            s["warnings"].append(f"dataset: on {as_of} the registry's surfaces cover less than "
                                 "90% of area A1")
        (folder / "summary.json").write_text(json.dumps(s), encoding="utf-8")
        folders.append(folder)
    out = case.root / "dated_compared"
    proc = case.compare(out, runs=folders + [case.runs[2024]])
    assert proc.returncode == 0, lt.describe(proc)
    return out


@pytest.mark.skipif(not CHROMIUM, reason="chromium not installed")
def test_report_says_the_bgt_history_is_the_registrys(dated, tmp_path):
    dom, _ = rendered(dated / "report.html", tmp_path)
    assert any(BGT_HISTORY in c for c in dom.cautions), dom.cautions
    assert any("2020 (as of 2020-03-01)" in c and "2022 (as of 2022-03-01)" in c
               for c in dom.cautions)
    flagged = [c for c in dom.cautions if c.startswith("Flagged:")]
    assert len(flagged) == 1 and "run 2022" in flagged[0] and "dated2022" in flagged[0]
    runs = next(t for k, t in dom.tables.items() if k != "areas")
    h = runs["headers"]
    assert [(r[h.index("Measurement year")], r[h.index("Registry state (dataset as_of)")],
             r[h.index("Registry incomplete on as_of")]) for r in runs["rows"]] == \
        [("2020", "2020-03-01", "no"), ("2022", "2022-03-01", "yes"), ("2024", "", "no")]


# --------------------------------------------------------------------------- change.xlsx

def sheet_rows(xlsx, number, folder):
    """The data rows of sheet @p number as LibreOffice reads it: after a title line, a blank
    line and the header; (header, rows)."""
    folder.mkdir()
    sheet = sheet_as_csv(xlsx, number, folder)
    return sheet[2], sheet[3:]


def same_as_csv(csv_path, rows):
    """The sheet's rows hold the CSV's cells: text equal, numbers within the CSV's rounding."""
    header, want, _ = lt.read_csv(csv_path)
    assert len(rows) == len(want)
    for r, cells in zip(want, rows):
        for k, c in enumerate(header):
            w, g = r[c], cells[k] if k < len(cells) else ""
            if w == "" or not re.fullmatch(r"-?\d+(\.\d+)?", w):
                assert g == w, (c, g, w)
            else:
                decimals = len(w.split(".")[1]) if "." in w else 0
                assert close_to_shown(g, float(w), decimals) or abs(float(g) - float(w)) <= 1e-9, \
                    (c, g, w)


@pytest.mark.skipif(not libreoffice(), reason="LibreOffice (libreoffice-calc-nogui) not installed")
def test_workbook_equals_the_csvs(compared, tmp_path):
    book = compared / "change.xlsx"
    with zipfile.ZipFile(book) as z:
        names = re.findall(r'<sheet name="([^"]*)"', z.read("xl/workbook.xml").decode("utf-8"))
    assert names == ["change by area", "change", "trajectory", "runs"]
    _, rows = sheet_rows(book, 2, tmp_path / "change")
    same_as_csv(compared / "change.csv", rows)
    _, rows = sheet_rows(book, 3, tmp_path / "trajectory")
    same_as_csv(compared / "trajectory.csv", rows)
    _, rows = sheet_rows(book, 4, tmp_path / "runs")
    s = json.loads((compared / "summary.json").read_text(encoding="utf-8"))
    assert [(r[0], int(r[1]), r[4], r[5]) for r in rows] == \
        [(x["folder"], x["year"], "no", "yes" if x["year"] == 2020 else "no") for x in s["runs"]]
    for r, x in zip(rows, s["runs"]):
        assert abs(float(r[7]) - x["rural_ha"]) <= 1e-9 and abs(float(r[8]) - x["element_ha"]) <= 1e-9
        assert abs(float(r[9]) - x["share_pct"]) <= 1e-9


@pytest.mark.skipif(not libreoffice(), reason="LibreOffice (libreoffice-calc-nogui) not installed")
def test_workbook_change_by_area_and_its_totals(compared, tmp_path):
    header, rows = sheet_rows(compared / "change.xlsx", 1, tmp_path / "areas")
    figures = year_figures(compared / "change.csv")
    change = whole_change(compared / "change.csv", 2020, 2024)
    col = {h: k for k, h in enumerate(header)}
    words = {"gained_ha": "Gained", "lost_ha": "Lost", "net_ha": "Net change",
             "reclassified_ha": "Reclassified", "masked_ha": "Masked", "realigned_ha": "Realigned"}
    data, totals = rows[:-1], rows[-1]
    assert [r[0] for r in data] == AREAS and totals[0] == "Total"
    for r in data:
        area = r[0]
        for y in YEARS:
            element, rural = figures[(area, y)]
            assert abs(float(r[col[f"Rural land {y} (ha)"]]) - rural) <= 1e-6
            assert abs(float(r[col[f"Elements {y} (ha)"]]) - element) <= 1e-6
            share = r[col[f"Share of rural land {y} (%)"]]
            want = pct(element, rural)
            assert share == "" if want is None else abs(float(share) - want) <= 1e-5, (area, y)
        for figure, word in words.items():
            assert abs(float(r[col[f"{word} 2020-2024 (ha)"]]) - change[area][figure]) <= 1e-6
    for y in YEARS:
        element = sum(figures[(a, y)][0] for a in AREAS)
        rural = sum(figures[(a, y)][1] for a in AREAS)
        assert abs(float(totals[col[f"Elements {y} (ha)"]]) - element) <= 1e-6
        assert abs(float(totals[col[f"Rural land {y} (ha)"]]) - rural) <= 1e-6
        # The total share is the ratio of the sums, not a sum or mean of the shares.
        assert abs(float(totals[col[f"Share of rural land {y} (%)"]]) - 100 * element / rural) <= 1e-6
    for figure, word in words.items():
        want = sum(change[a][figure] for a in AREAS)
        assert abs(float(totals[col[f"{word} 2020-2024 (ha)"]]) - want) <= 1e-6


# --------------------------------------------------------------------------- hostile names

@pytest.fixture(scope="module")
def hostile_compared(case):
    """Runs of 2020 and 2022 whose area ids and names hold markup and script, compared."""
    areas = case.root / "hostile_areas.gpkg"
    squares = area_squares()
    write_areas(areas, [(HOSTILE[k][0], wkt) for k, (_, wkt) in enumerate(squares)],
                names=[HOSTILE[k][1] for k in range(len(squares))])
    runs = [case.make_run(f"hostile{y}", y, areas=areas, name_field=True) for y in (2020, 2022)]
    out = case.root / "hostile_compared"
    proc = case.compare(out, runs=runs)
    assert proc.returncode == 0, lt.describe(proc)
    return out


REPORT_STATE = """
(async function () {
  var sleep = function (ms) { return new Promise(function (r) { setTimeout(r, ms); }); };
  var texts = function (sel) {
    return Array.prototype.map.call(document.querySelectorAll(sel), function (e) { return e.textContent; });
  };
  var rows = function () {
    return Array.prototype.map.call(document.querySelectorAll('#areas tbody tr'), function (r) {
      return Array.prototype.map.call(r.cells, function (c) { return c.textContent; });
    });
  };
  var handlers = [];
  document.querySelectorAll('*').forEach(function (e) {
    Array.prototype.forEach.call(e.attributes, function (a) {
      if (/^on/i.test(a.name)) handlers.push(e.tagName + ' ' + a.name);
    });
  });
  var state = {title: document.title, h1: texts('h1'), captions: texts('figure.chart figcaption'),
    map_captions: texts('figure:not(.chart) figcaption'),
    map_sources: Array.prototype.map.call(document.querySelectorAll('img.map'),
                                          function (e) { return e.src.slice(0, 22); }),
    chart_titles: texts('svg.share-chart > title'), rows: rows(), handlers: handlers,
    scripts: document.querySelectorAll('script').length,
    foreign: Array.prototype.map.call(document.querySelectorAll(
      "iframe, object, embed, img:not(.map), a[href], svg:not(.share-chart), td *, th *, " +
      "figcaption *, " +
      ".card *:not(b):not(span), .caution *, svg.share-chart title *"),
      function (e) { return e.outerHTML.slice(0, 120); })};
  var headers = Array.prototype.map.call(document.querySelectorAll('#areas thead th'),
                                         function (th) { return th.textContent; });
  var col = headers.indexOf('Share of rural land 2022 (%)');
  var th = document.querySelectorAll('#areas thead th')[col];
  th.click(); await sleep(100);
  state.ascending = rows();
  th.click(); await sleep(100);
  state.descending = rows();
  state.column = col;
  return state;
})()
"""


@pytest.mark.skipif(not CHROMIUM, reason="chromium not installed")
def test_report_names_are_text_and_the_table_sorts(hostile_compared, tmp_path):
    browser = DevTools(tmp_path / "profile")
    try:
        page = next(t for t in browser.call("Target.getTargets")["targetInfos"] if t["type"] == "page")
        session = browser.call("Target.attachToTarget",
                               {"targetId": page["targetId"], "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            browser.call(f"{domain}.enable", session=session)
        browser.call("Page.navigate", {"url": (hostile_compared / "report.html").as_uri()}, session)
        browser.wait_event("Page.loadEventFired")
        result = browser.call("Runtime.evaluate", {"expression": REPORT_STATE, "awaitPromise": True,
                                                   "returnByValue": True}, session)
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        state = result["result"]["value"]
        with browser.cond:
            noise = [(e["method"], e.get("params")) for e in browser.events
                     if e["method"] in ("Page.javascriptDialogOpening", "Runtime.consoleAPICalled",
                                        "Runtime.exceptionThrown", "Log.entryAdded")]
    finally:
        browser.close()
    assert noise == []
    assert state["title"] == "Landscape elements in 2020 and 2022: change and path to the targets"
    assert state["handlers"] == [] and state["foreign"] == [] and state["scripts"] == 1
    named = [f"{i} {n}" for i, n in HOSTILE[:len(AREAS)]]
    assert sorted(state["chart_titles"]) == sorted(["All areas together"] + named)
    assert sorted(state["captions"]) == sorted(["All areas together"] + named)
    # The change maps are pictures inside the page, captioned with the names as text.
    assert sorted(state["map_captions"]) == sorted(named)
    assert state["map_sources"] == ["data:image/png;base64,"] * (1 + len(named))
    assert sorted((r[0], r[1]) for r in state["rows"]) == sorted(HOSTILE[:len(AREAS)])
    # Clicking the header sorts by the share as a number, then the other way round; the
    # rows stay whole.
    col = state["column"]
    key = lambda r: float(r[col]) if r[col] else float("-inf")
    assert [key(r) for r in state["ascending"]] == sorted(key(r) for r in state["rows"])
    assert [key(r) for r in state["descending"]] == sorted((key(r) for r in state["rows"]), reverse=True)
    assert sorted(state["ascending"]) == sorted(state["rows"])


def test_report_csp_and_workbook_keep_the_text(hostile_compared):
    text = (hostile_compared / "report.html").read_text(encoding="utf-8")
    page = Scripts()
    page.feed(text)
    directives = {d.split()[0]: d.split()[1:] for d in page.csp.split(";") if d.strip()}
    executable = [s["text"] for s in page.scripts if s["type"] in (None, "", "text/javascript")]
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
              for s in executable}
    assert len(executable) == 1 and hashes == set(directives["script-src"])
    with zipfile.ZipFile(hostile_compared / "change.xlsx") as book:
        shared = {"".join(si.itertext()) for si in ET.fromstring(book.read("xl/sharedStrings.xml"))}
        formulas = []
        for name in book.namelist():
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
                formulas += ["".join(f.itertext()) for f in ET.fromstring(book.read(name)).iter()
                             if f.tag.endswith("}f")]
    for area_id, name in HOSTILE[:len(AREAS)]:
        assert area_id in shared and name in shared
    total = r"SUM\([A-Z]+\d+:[A-Z]+\d+\)"
    assert formulas and all(re.fullmatch(rf"(100\*)?{total}(/{total})?", f) for f in formulas)


# --------------------------------------------------------------------------- rural_land layer

def test_runs_write_rural_land_that_sums_to_rural_ha(case):
    for year, run in case.runs.items():
        assert "rural_land" in lt.layer_names(run / "areas.gpkg")
        _, rows, _ = lt.read_csv(run / "area_bid.csv")
        rural_ha = {r["area_id"]: lt.num(r["rural_ha"]) for r in rows}
        _, fields, feats = lt.read_output_layer(run / "areas.gpkg", "rural_land")
        assert fields == ["area_id", "rural_ha"]
        sums = {}
        assert sorted(a["area_id"] for a, _ in feats) == AREAS
        for attrs, g in feats:
            if g is None:  # A5: no rural land is a NULL geometry
                assert attrs["area_id"] == "A5" and attrs["rural_ha"] == 0.0
                continue
            sums[attrs["area_id"]] = sums.get(attrs["area_id"], 0.0) + g.area / HA
            assert abs(attrs["rural_ha"] - rural_ha[attrs["area_id"]]) <= 1e-6
        buildings = unary_union([shapely.wkt.loads(w) for w in year_features(year)["buildings"]])
        for area in AREAS:
            assert abs(sums.get(area, 0.0) - rural_ha[area]) <= 1e-6, (year, area)
            want = shapely.wkt.loads(rect(area, 0, 0, 1000, 1000)).difference(buildings).area / HA
            assert abs(sums.get(area, 0.0) - want) <= 1e-6, (year, area)


def test_bid_keeps_the_rural_land_layer_when_the_run_has_it(case, run_landel, tmp_path):
    run = case.runs[2024]
    out = tmp_path / "bid"
    proc = run_landel("bid", case.root / "run2024.toml", "--from", run, "--out", out, "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    a = {x["area_id"]: g and g.wkb for x, g in lt.read_output_layer(run / "areas.gpkg", "rural_land")[2]}
    b = {x["area_id"]: g and g.wkb for x, g in lt.read_output_layer(out / "areas.gpkg", "rural_land")[2]}
    assert a == b and a["A5"] is None
    # From a run made before the layer existed, the bid writes none (rather than empty land).
    old = tmp_path / "old"
    shutil.copytree(run, old)
    drop_layer(old / "areas.gpkg", "rural_land")
    proc = run_landel("bid", case.root / "run2024.toml", "--from", old, "--out", tmp_path / "bid_old",
                      "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    assert "rural_land" not in lt.layer_names(tmp_path / "bid_old" / "areas.gpkg")


# --------------------------------------------------------------------------- errors

def drop_layer(gpkg, layer):
    ds = ogr.Open(str(gpkg), 1)
    for i in range(ds.GetLayerCount()):
        if ds.GetLayer(i).GetName() == layer:
            ds.DeleteLayer(i)
            break
    ds = None


def assert_one_line_error(proc, out, *words):
    assert proc.returncode == 1, lt.describe(proc)
    errors = lt.error_lines(proc.stderr)
    assert len(errors) == 1 and len(proc.stderr.strip().splitlines()) == 1, lt.describe(proc)
    for w in words:
        assert w in errors[0], (w, errors[0])
    assert not out.exists() and lt.tmp_siblings(out) == []


@pytest.fixture(scope="module")
def variants(case):
    """Runs that cannot be compared with the 2020..2024 runs, each for one reason."""
    v = {}
    v["types"] = case.make_run("types2026", 2026, data_year=2024, order=["small_wood", "pond", "wooded_bank", "hedge"])
    fewer = case.root / "fewer.gpkg"
    write_areas(fewer, [r for r in area_squares() if r[0] != "A4"])
    v["fewer"] = case.make_run("fewer2026", 2026, areas=fewer, data_year=2024)
    shifted = case.root / "shifted.gpkg"
    write_areas(shifted, area_squares(shift="A2"))
    v["shifted"] = case.make_run("shifted2026", 2026, areas=shifted, data_year=2024)
    v["no_year"] = case.make_run("noyear", 2024, measurement_year=False)
    for layer in ("rural_land", "elements"):
        old = case.root / f"without_{layer}"
        shutil.copytree(case.runs[2022], old)
        drop_layer(old / "areas.gpkg", layer)
        v[f"without_{layer}"] = old
    empty = case.root / "not_a_run"
    empty.mkdir()
    v["not_a_run"] = empty
    only_summary = case.root / "only_summary"
    only_summary.mkdir()
    shutil.copy(case.runs[2020] / "summary.json", only_summary)
    v["only_summary"] = only_summary
    return v


def test_error_not_a_run(case, variants, tmp_path):
    out = tmp_path / "out"
    proc = case.compare(out, runs=[case.runs[2020], variants["not_a_run"]])
    assert_one_line_error(proc, out, "not_a_run", "summary.json")
    proc = case.compare(out, runs=[case.runs[2020], variants["only_summary"]])
    assert_one_line_error(proc, out, "only_summary", "areas.gpkg")


@pytest.mark.parametrize("layer", ["rural_land", "elements"])
def test_error_run_lacking_a_layer_made_by_an_older_landel(case, variants, tmp_path, layer):
    out = tmp_path / "out"
    proc = case.compare(out, runs=[case.runs[2020], variants[f"without_{layer}"]])
    assert_one_line_error(proc, out, f"without_{layer}", f"'{layer}'", "older landel", "rerun")


def test_error_same_year_twice(case, tmp_path):
    copy = tmp_path / "again2020"
    shutil.copytree(case.runs[2020], copy)
    out = tmp_path / "out"
    proc = case.compare(out, runs=[case.runs[2020], case.runs[2022], copy])
    assert_one_line_error(proc, out, "same year 2020", "again2020", "run2020")


def test_error_different_types_names_both_lists(case, variants, tmp_path):
    out = tmp_path / "out"
    proc = case.compare(out, runs=[case.runs[2020], variants["types"]])
    assert_one_line_error(proc, out, "[pond, small_wood, wooded_bank, hedge]",
                          "[small_wood, pond, wooded_bank, hedge]", "types2026")


def test_error_different_area_ids_names_them(case, variants, tmp_path):
    out = tmp_path / "out"
    proc = case.compare(out, runs=[case.runs[2020], variants["fewer"]])
    assert_one_line_error(proc, out, "fewer2026", "lacks A4")


def test_error_same_ids_other_land_names_the_area(case, variants, tmp_path):
    out = tmp_path / "out"
    proc = case.compare(out, runs=[case.runs[2020], variants["shifted"]])
    assert_one_line_error(proc, out, "areas A2 of", "shifted2026", "not the same land")


def test_error_fewer_than_two_runs(case, tmp_path):
    out = tmp_path / "out"
    proc = case.compare(out, runs=[case.runs[2020]])
    assert_one_line_error(proc, out, "at least two runs")


def test_error_unknown_baseline_year(case, tmp_path):
    out = tmp_path / "out"
    proc = case.compare(out, "--baseline-year", "2019")
    assert_one_line_error(proc, out, "--baseline-year 2019", "2020, 2022, 2024")
    proc = case.compare(out, "--baseline-year", "2024")
    assert_one_line_error(proc, out, "--baseline-year 2024", "last")


def test_error_run_without_measurement_year(case, variants, tmp_path):
    out = tmp_path / "out"
    proc = case.compare(out, runs=[case.runs[2020], variants["no_year"]])
    assert_one_line_error(proc, out, "noyear", "no measurement year", "run.measurement_year")


def test_error_negative_tolerance_is_a_usage_error(case, tmp_path):
    out = tmp_path / "out"
    proc = case.compare(out, "--tolerance-m", "-1")
    assert proc.returncode == 2, lt.describe(proc)
    assert len(lt.error_lines(proc.stderr)) == 1 and "--tolerance-m" in proc.stderr
    assert not out.exists()


# --------------------------------------------------------------------------- change maps
#
# maps/change_overview.png colours each area by the change of its element share baseline ->
# last in the classes of docs/monitoring.md; maps/change_<area>.png draws the lost land red.
# Pixels are located from the drawing itself: the areas' outlines give the map's scale.

CHANGE_BOUNDS_PP = [-2.0, -0.5, -0.1, 0.1, 0.5, 2.0]
# ColorBrewer RdYlGn, 7 classes: the ends are change.gpkg's lost and gained colours.
CHANGE_COLOURS = [(215, 48, 39), (252, 141, 89), (254, 224, 139), (255, 255, 191),
                  (217, 239, 139), (145, 207, 96), (26, 152, 80)]
NO_VALUE = (200, 200, 200)
LOST, RECLASSIFIED = (215, 48, 39), (253, 174, 20)
# The map frame of the renderer's A4 landscape pages, in mm: below the headings, left of the
# 72 mm legend column (render/src/maps.cpp), taken 2 mm inside its border.
FRAME_MM = (12.0, 31.0, 203.0, 194.0)  # left, top, right, bottom


@pytest.fixture(scope="module")
def reversed_compared(case):
    """The years' land swapped: 2020 holds the drawing of 2024 and back, so A2 and A3 lose."""
    runs = [case.make_run("rev2020", 2020, data_year=2024), case.make_run("rev2024", 2024, data_year=2020)]
    out = case.root / "reversed"
    proc = case.compare(out, runs=runs)
    assert proc.returncode == 0, lt.describe(proc)
    return out, runs


def png_pixels(path):
    ds = gdal.Open(str(path))
    return np.dstack([ds.GetRasterBand(b + 1).ReadAsArray() for b in range(3)]).astype(int)


def map_frame(pixels):
    px_per_mm = pixels.shape[1] / 297.0
    left, top, right, bottom = (int(round(v * px_per_mm)) for v in FRAME_MM)
    return pixels[top:bottom, left:right], px_per_mm


def near(pixels, colour, tol):
    return np.all(np.abs(pixels - np.array(colour)) <= tol, axis=2)


def box_of(mask):
    rows, cols = np.nonzero(mask)
    assert len(rows), "nothing of that colour"
    return rows.min(), rows.max(), cols.min(), cols.max()


def share_change_pp(before_run, after_run):
    """{area: after share - before share in pp, None without rural land}, from the runs' own
    area_bid.csv (element_ha / rural_ha of each year)."""
    def shares(run):
        _, rows, _ = lt.read_csv(run / "area_bid.csv")
        return {r["area_id"]: share(lt.num(r["element_ha"]), lt.num(r["rural_ha"])) for r in rows}
    a, b = shares(before_run), shares(after_run)
    return {k: None if a[k] is None or b[k] is None else b[k] - a[k] for k in AREAS}


def expected_class_colour(pp):
    if pp is None:
        return NO_VALUE
    return CHANGE_COLOURS[sum(1 for b in CHANGE_BOUNDS_PP if pp >= b)]


def overview_colours(path):
    """{area: fill colour} of the overview, sampled in each square above its label."""
    frame, _ = map_frame(png_pixels(path))
    top, bottom, left, right = box_of(near(frame, (70, 70, 70), 20))  # the areas' outlines
    width = (right - left) / len(AREAS)
    row = int(top + 0.2 * (bottom - top))
    return {a: tuple(frame[row, int(left + (k + 0.5) * width)]) for k, a in enumerate(AREAS)}


def test_change_maps_are_written_a4_at_300_dpi(compared):
    for name in CHANGE_MAPS + [f"maps/change_{a}.png" for a in AREAS]:
        assert (compared / name).is_file(), name
        if name.endswith(".png"):
            assert png_pixels(compared / name).shape[:2] == (2480, 3508), name


@pytest.mark.parametrize("which", ["forward", "reversed"])
def test_change_overview_colours_areas_by_their_share_change(case, compared, reversed_compared, which):
    if which == "forward":
        out, (first, last) = compared, (case.runs[2020], case.runs[2024])
    else:
        out, (first, last) = reversed_compared
    change = share_change_pp(first, last)
    colours = overview_colours(out / "maps/change_overview.png")
    for area, pp in change.items():
        got = colours[area]
        if pp is not None and min(abs(pp - b) for b in CHANGE_BOUNDS_PP) < 1e-6:
            pass  # on a class bound: either class may hold it after round-off
        else:
            assert got == expected_class_colour(pp), (which, area, pp, got)
        if pp is not None and pp > 0.5:  # gaining: greenish
            assert got[1] > got[0] + 40, (which, area, pp, got)
        if pp is not None and pp < -0.5:  # losing: reddish
            assert got[0] > got[1] + 40, (which, area, pp, got)
    assert change["A2"] > 0.5 if which == "forward" else change["A2"] < -0.5  # the case covers both


def test_change_area_maps_draw_lost_land_red_where_it_was(compared):
    lost = {}
    for (area, a, b, t), r in rows_by_key(compared / "change.csv").items():
        if (a, b) == (2020, 2024) and "->" not in t:
            lost[area] = lost.get(area, 0.0) + lt.num(r["lost_ha"])
    assert {a for a, ha in lost.items() if ha > 0} == {"A1"}  # hedge H1, removed in 2022
    for area in AREAS:
        frame, px_per_mm = map_frame(png_pixels(compared / f"maps/change_{area}.png"))
        red = near(frame, LOST, 30)
        assert (red.sum() > 0) == (lost[area] > 0), (area, red.sum())
    # Where: H1 runs from x 100 to 900 m at y 100 m of A1, whose outline gives the scale.
    frame, px_per_mm = map_frame(png_pixels(compared / "maps/change_A1.png"))
    top, bottom, left, right = box_of(near(frame, (40, 40, 40), 20))
    px_per_m = (right - left) / 1000.0
    slack = HEDGE_W * px_per_m + 0.3 * px_per_mm + 2  # the strip's width and its outline
    r0, r1, c0, c1 = box_of(near(frame, LOST, 30))
    x0, y, x1 = H1
    assert abs((r0 + r1) / 2 - (bottom - y * (bottom - top) / 1000.0)) <= slack, (r0, r1)
    assert abs(c0 - (left + x0 * px_per_m)) <= slack and abs(c1 - (left + x1 * px_per_m)) <= slack, (c0, c1)
    # H3 became a wooded bank: amber along y 800 m.
    r0, r1, _, _ = box_of(near(frame, RECLASSIFIED, 30))
    assert abs((r0 + r1) / 2 - (bottom - H3[1] * (bottom - top) / 1000.0)) <= slack, (r0, r1)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_change_atlas_has_the_overview_then_a_page_per_area(compared):
    text = subprocess.run(["pdftotext", "-layout", str(compared / "maps/change_atlas.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) == 1 + len(AREAS)
    assert "Change of element share" in pages[0] and "2020 \u2192 2024" in pages[0]
    for page, area in zip(pages[1:], AREAS):
        assert area in page and "Element share 2020" in page and "lost" in page
