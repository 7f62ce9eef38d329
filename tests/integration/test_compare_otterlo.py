"""`landel compare` on real data: two runs of the BGT preset on the Otterlo download
(../shared/data/real/otterlo-bgt, PDOK 2020-08-05), one on the registry's state of
2018-01-01 and one of 2020-07-28, over the six areas of derived/areas_6.gpkg.

change.csv at `--tolerance-m 0` is checked against a shapely computation on the two runs' own
`elements` and `rural_land` layers; at the default tolerance (0.5 m) the gained, lost and
realigned land of each row must add up to the raw difference at 0 (the tolerance only moves
land into realigned_ha). report.html must say that the BGT history is the registry's. The raw
difference and the realigned total are printed (pytest -s)."""

import json
from decimal import Decimal

import pytest
from shapely.geometry import Polygon
from shapely.ops import unary_union

import landel_testlib as lt
from test_compare import BGT_HISTORY, ReportDom

ZIP = "otterlo-bgt/otterlo_bgt_2020-08-05.zip"
AREAS = "otterlo-bgt/derived/areas_6.gpkg"
RUNS = {2018: "2018-01-01", 2020: "2020-07-28"}  # measurement year: as_of
HA = 1e4  # m² per hectare
# change.csv carries 6 decimals: sums of its cells are compared in decimal, to one unit of the
# last place (1e-6 ha), so that binary round-off of the sum cannot decide the comparison.
MICRO_HA = Decimal("0.000001")
EMPTY = Polygon()


def config_text(real_data, year, as_of):
    return f"""
        [run]
        name = "Otterlo BGT {year}"
        measurement_year = {year}
        [areas]
        method = "given"
        [[areas.layers]]
        path = "{real_data / AREAS}"
        id_field = "code"
        name_field = "naam"
        [dataset]
        preset = "bgt"
        path = "{real_data / ZIP}"
        as_of = "{as_of}"
        """


@pytest.fixture(scope="module")
def runs(real_data, tmp_path_factory, run_landel_session):
    """{year: run folder} and the comparisons at tolerance 0 and the default, made once."""
    root = tmp_path_factory.mktemp("compare_otterlo")
    folders = {}
    for year, as_of in RUNS.items():
        cfg = root / f"otterlo{year}.toml"
        cfg.write_text(lt.dedent_config(config_text(real_data, year, as_of)), encoding="utf-8")
        out = root / f"run{year}"
        proc = run_landel_session("run", cfg, "--out", out, "--quiet")
        assert proc.returncode == 0, lt.describe(proc)
        folders[year] = out
    compared = {}
    for name, extra in (("0", ["--tolerance-m", "0"]), ("default", [])):
        out = root / f"compare_{name}"
        proc = run_landel_session("compare", folders[2018], folders[2020], "--out", out,
                                  "--quiet", *extra)
        assert proc.returncode == 0, lt.describe(proc)
        assert lt.error_lines(proc.stderr) == []
        compared[name] = out
    return folders, compared


def rows_by_key(path):
    _, rows, _ = lt.read_csv(path)
    keys = [(r["area_id"], int(r["from_year"]), int(r["to_year"]), r["type"]) for r in rows]
    assert len(set(keys)) == len(keys), "one row per pair, area and type"
    return dict(zip(keys, rows))


def run_geometry(run):
    """{area: {type: geometry}} and {area: rural geometry} from a run's own layers."""
    _, _, elements = lt.read_output_layer(run / "areas.gpkg", "elements")
    parts = {}
    for attrs, g in elements:
        if g is not None:
            parts.setdefault(attrs["area_id"], {}).setdefault(attrs["type"], []).append(g)
    owned = {a: {t: unary_union(gs) for t, gs in by_type.items()} for a, by_type in parts.items()}
    _, _, rural = lt.read_output_layer(run / "areas.gpkg", "rural_land")
    rural_land = {}
    for attrs, g in rural:
        rural_land.setdefault(attrs["area_id"], []).append(g if g is not None else EMPTY)
    return owned, {a: unary_union(gs) for a, gs in rural_land.items()}


def shapely_changes(before_run, after_run, types):
    """{(area, type): {figure: ha}} and {(area, 'from->to'): ha}, as docs/monitoring.md
    defines them, on the runs' own layers."""
    (ob, rb_before), (oa, ra) = run_geometry(before_run), run_geometry(after_run)
    assert set(rb_before) == set(ra)
    out = {}
    for area in ra:
        b, a = ob.get(area, {}), oa.get(area, {})
        all_b = unary_union(list(b.values())) if b else EMPTY
        all_a = unary_union(list(a.values())) if a else EMPTY
        for t in types:
            bt, at_ = b.get(t, EMPTY), a.get(t, EMPTY)
            gone = bt.difference(all_a)
            masked = gone.difference(ra[area])
            out[(area, t)] = {
                "before_ha": bt.area / HA, "after_ha": at_.area / HA,
                "gained_ha": at_.difference(all_b).area / HA,
                "lost_ha": gone.difference(masked).area / HA,
                "masked_ha": masked.area / HA,
                "net_ha": (at_.area - bt.area) / HA,
            }
            for u in types:
                if u != t:
                    out[(area, f"{t}->{u}")] = bt.intersection(a.get(u, EMPTY)).area / HA
    return out


def compare_types(out):
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))["types"]


def test_change_csv_at_tolerance_0_equals_shapely_on_the_runs_layers(runs):
    folders, compared = runs
    types = compare_types(compared["0"])
    got = rows_by_key(compared["0"] / "change.csv")
    want = shapely_changes(folders[2018], folders[2020], types)
    assert len({k[0] for k in want}) == 6
    # Every row of the csv is one shapely computed (no area or type more, none less).
    assert {(k[0], k[3]) for k in got if "->" not in k[3]} == \
        {k for k, v in want.items() if not isinstance(v, float)}
    assert {(k[0], k[3]) for k in got if "->" in k[3]} <= set(want)
    for (area, t), figures in want.items():
        row = got.get((area, 2018, 2020, t))
        if isinstance(figures, float):  # a reclassification: a row only when there is one
            have = lt.num(row["reclassified_ha"]) if row else 0.0
            assert abs(have - figures) <= 1e-6, (area, t, have, figures)
            continue
        for figure, value in figures.items():
            assert abs(lt.num(row[figure]) - value) <= 1e-6, (area, t, figure, row[figure], value)
        assert lt.num(row["realigned_ha"]) == 0.0


def test_default_tolerance_only_moves_land_into_realigned(runs):
    _, compared = runs
    raw = rows_by_key(compared["0"] / "change.csv")
    kept = rows_by_key(compared["default"] / "change.csv")
    s = json.loads((compared["default"] / "summary.json").read_text(encoding="utf-8"))
    assert s["tolerance_m"] == 0.5
    assert {k for k in raw if "->" not in k[3]} == {k for k in kept if "->" not in k[3]}
    raw_total = realigned_total = 0.0
    for key, r0 in raw.items():
        if "->" in key[3]:
            continue
        r = kept[key]
        difference = Decimal(r0["gained_ha"]) + Decimal(r0["lost_ha"])
        realigned = Decimal(r["realigned_ha"])
        assert realigned >= 0, key
        moved = Decimal(r["gained_ha"]) + Decimal(r["lost_ha"]) + realigned
        assert abs(moved - difference) <= MICRO_HA, (key, moved, difference)
        for same in ("before_ha", "after_ha", "net_ha", "masked_ha"):
            assert abs(lt.num(r[same]) - lt.num(r0[same])) <= 1e-6, (key, same)
        raw_total += float(difference)
        realigned_total += float(realigned)
    print(f"\nOtterlo BGT 2018 -> 2020, 6 areas, all types: raw difference (gained + lost) at "
          f"tolerance 0 = {raw_total:.6f} ha; realigned at 0.5 m = {realigned_total:.6f} ha "
          f"({100 * realigned_total / raw_total:.2f}% of it)")


def test_no_realigned_land_on_an_element_that_went_whole(runs):
    """An element that appeared or disappeared whole is change, never noise (docs/monitoring.md):
    per area and type, the realigned polygons at the default tolerance share no land (at most
    1e-6 m2 per row) with the connected parts of either year's elements that share none with the
    other year's elements, computed here with shapely. Before landel decided this on the parts
    themselves, it tested containment in an overlay's result, and on the monitoring benchmark
    case 3.8 m2 of solitary-tree crowns that went whole were counted as noise in one area."""
    folders, compared = runs
    (ob, _), (oa, _) = run_geometry(folders[2018]), run_geometry(folders[2020])
    _, _, realigned = lt.read_output_layer(compared["default"] / "change.gpkg", "realigned")
    rows = [(a, g) for a, g in realigned if g is not None and not g.is_empty]
    assert rows, "the default tolerance realigns some land on the Otterlo registry"

    def went_whole(own, other):
        other_land = unary_union(list(other.values())) if other else EMPTY
        return unary_union([p for g in own.values() for p in getattr(g, "geoms", [g])
                            if p.intersection(other_land).area < 1e-6])

    whole = {area: (went_whole(ob.get(area, {}), oa.get(area, {})),
                    went_whole(oa.get(area, {}), ob.get(area, {}))) for area in set(ob) | set(oa)}
    for attrs, g in rows:
        gone, new = whole[attrs["area_id"]]
        assert g.intersection(gone).area <= 1e-6, (attrs["area_id"], attrs["type"])
        assert g.intersection(new).area <= 1e-6, (attrs["area_id"], attrs["type"])


def test_report_says_the_bgt_history_is_the_registrys(runs):
    """Both runs read the BGT as it stood on a date: the report says that its history is the
    registry's, names the dates, and flags exactly the runs summary.json calls incomplete."""
    _, compared = runs
    out = compared["default"]
    dom = ReportDom((out / "report.html").read_text(encoding="utf-8"))
    assert any(BGT_HISTORY in c for c in dom.cautions), dom.cautions
    assert any(all(f"{y} (as of {d})" in c for y, d in RUNS.items()) for c in dom.cautions)
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    incomplete = [r["year"] for r in s["runs"] if r["incomplete_registry"]]
    flagged = [c for c in dom.cautions if c.startswith("Flagged:")]
    assert len(flagged) == len(incomplete)
    assert all(any(f"run {y} " in c for c in flagged) for y in incomplete)
    assert len(dom.charts) == 1 + s["runs"][0]["areas"]  # all areas together, then each
