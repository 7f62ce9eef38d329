"""The area bid end to end: bid columns of area_bid.csv recomputed independently from the gaps,
the shipped catalogue and mixes; the mix per area; config overrides and their errors;
bid_phasing.csv; area_bid.xlsx against the CSV (through LibreOffice when installed) and its
sheet limit on 500 areas.
"""

import csv
import json
import math
import re
import shutil
import subprocess
import zipfile

import pytest
from osgeo import ogr
from shapely.geometry import box

import landel_testlib as lt

CATALOGUE = "data/catalogue/elements.csv"
MIXES = "data/catalogue/mix.csv"


def read_catalogue(repo_root):
    with open(repo_root / CATALOGUE, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    opt = lambda v: float(v) if v.strip() else None  # noqa: E731
    return {r["type"]: dict(r, m2=float(r["m2_per_unit"]), low=opt(r["build_eur_low"]),
                            mid=opt(r["build_eur_mid"]), high=opt(r["build_eur_high"]),
                            manage=opt(r["manage_eur_per_unit_year"]),
                            land=opt(r["land_eur_per_m2_year"])) for r in rows}


def read_mixes(repo_root):
    mixes = {}
    with open(repo_root / MIXES, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            mixes.setdefault(r["region"], []).append((r["type"], float(r["share"])))
    return mixes


def round_up(units, step):
    steps = units / step
    nearest = round(steps)
    whole = nearest if abs(steps - nearest) <= 1e-9 * max(1.0, nearest) else math.ceil(steps)
    return whole * step


@pytest.fixture(scope="module")
def overlay_run(repo_root, run_landel_session, tmp_path_factory):
    out = tmp_path_factory.mktemp("bid") / "overlay"
    proc = run_landel_session("run", str(repo_root / "data/samples/polder/landel-overlay.toml"),
                              "--out", str(out), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    return out


def test_bid_columns_recomputed_from_gaps_and_catalogue(overlay_run, repo_root):
    header, rows, _ = lt.read_csv(overlay_run / "area_bid.csv")
    cat, mixes = read_catalogue(repo_root), read_mixes(repo_root)
    years = [2030, 2050]
    for r in rows:
        # The mix: the first part of the class that has one (the region of the overlay).
        region = next((p for p in r["class"].split(" / ") if p in mixes), "*")
        assert r["bid_region"] == region, r["area_id"]
        previous_gap = 0.0
        manage = 0.0
        for y in years:
            gap = lt.num(r[f"gap_{y}_ha"])
            increment = max(0.0, gap - previous_gap)
            previous_gap = max(previous_gap, gap)
            added = 0.0
            low = mid = high = land = land_value = 0.0
            for t, share in mixes[region]:
                e = cat[t]
                add = lt.num(r[f"add_{t}_{y}_ha"])
                assert abs(add - share * increment) <= 1e-6, (r["area_id"], t, y)
                added += add
                qty = lt.num(r[f"qty_{t}_{y}_{e['unit']}"])
                step = 0.01 if e["unit"] == "ha" else 1.0
                want = round_up(share * increment * 1e4 / e["m2"], step) if share * increment > 0 else 0.0
                assert abs(qty - want) <= 1e-9 + (0.005 if e["unit"] == "ha" else 0), (r["area_id"], t, y, qty, want)
                low += qty * (e["low"] or 0.0)
                mid += qty * (e["mid"] or 0.0)
                high += qty * (e["high"] or 0.0)
                manage += qty * (e["manage"] or 0.0)
                land += share * increment * 1e4 * (e["land"] or 0.0)
                # One-off land value lost: EUR 61,000/ha by default (docs/bid.md), permanent types.
                land_value += share * increment * 61000.0 if e["permanent"] != "no" else 0.0
            assert abs(added + lt.num(r[f"unplaced_{y}_ha"]) - increment) <= 1e-5
            assert abs(lt.num(r[f"build_cost_{y}_eur_low"]) - low) <= 0.01 + 1e-9 * low
            assert abs(lt.num(r[f"build_cost_{y}_eur_mid"]) - mid) <= 0.01 + 1e-9 * mid
            assert abs(lt.num(r[f"build_cost_{y}_eur_high"]) - high) <= 0.01 + 1e-9 * high
            assert abs(lt.num(r[f"manage_cost_{y}_eur_per_year"]) - manage) <= 0.01 + 1e-9 * manage
            assert abs(lt.num(r[f"land_cost_{y}_eur_per_year"]) - land) <= 0.01 + 1e-9 * land
            # The increment comes from two gaps the CSV rounds to 1e-6 ha: at EUR 61,000/ha that
            # is up to EUR 0.061, plus the column's own 2 decimals.
            assert abs(lt.num(r[f"land_value_loss_{y}_eur"]) - land_value) <= 61000.0 * 1e-6 + 0.005
        # Types with additions but without figures are named, never silently left out.
        lacking = [t for t, share in mixes[region] if share * previous_gap > 0 and
                   (cat[t]["mid"] is None or cat[t]["manage"] is None)]
        for t in lacking:
            assert t in r["uncosted"], (r["area_id"], t, r["uncosted"])


def test_phasing_adds_up_to_the_bid(overlay_run):
    _, rows, _ = lt.read_csv(overlay_run / "area_bid.csv")
    _, phases, _ = lt.read_csv(overlay_run / "bid_phasing.csv")
    for r in rows:
        years = [p for p in phases if p["area_id"] == r["area_id"]]
        assert [int(p["year"]) for p in years] == list(range(2025, 2051))  # measurement year 2024
        added = sum(lt.num(p["added_ha"]) for p in years)
        bid_ha = sum(lt.num(r[c]) for c in r if re.fullmatch(r"add_.+_\d{4}_ha", c))
        assert abs(added - bid_ha) <= 1e-4
        build = sum(lt.num(p["build_cost_eur_mid"]) for p in years)
        want = lt.num(r["build_cost_2030_eur_mid"]) + lt.num(r["build_cost_2050_eur_mid"])
        assert abs(build - want) <= 0.005 * len(years) + 1e-9 * want  # 2 decimals per year
        assert abs(lt.num(years[-1]["total_added_ha"]) - bid_ha) <= 1e-4


def test_area_at_its_target_gets_nothing_for_that_milestone(overlay_run):
    _, rows, _ = lt.read_csv(overlay_run / "area_bid.csv")
    met = [r for r in rows if lt.num(r["gap_2030_ha"]) == 0.0]
    assert met, "the sample has areas that meet 2030"
    for r in met:
        for c in r:
            if re.fullmatch(r"(add|qty)_.+_2030_.+", c):
                assert lt.num(r[c]) == 0.0, (r["area_id"], c)
        assert lt.num(r["build_cost_2030_eur_mid"]) == 0.0


def base_config(repo_root, extra):
    text = (repo_root / "data/samples/polder/landel.toml").read_text(encoding="utf-8")
    text = text.replace('path = "landscape.gpkg"', f'path = "{repo_root}/data/samples/polder/landscape.gpkg"')
    return text + "\n" + extra


def overlay_config(repo_root):
    """The overlay sample's config with its relative paths made absolute, to run elsewhere."""
    text = (repo_root / "data/samples/polder/landel-overlay.toml").read_text(encoding="utf-8")
    return re.sub(r'path = "([^"/][^"]*)"', lambda m: f'path = "{repo_root}/data/samples/polder/{m[1]}"', text)


def test_regions_layer_and_mix_override(repo_root, run_landel, tmp_path):
    fysisch = repo_root / "data/samples/polder/fysisch.gpkg"
    cfg = tmp_path / "bid.toml"
    cfg.write_text(base_config(repo_root, f"""
[bid]
regions = {{ path = "{fysisch}", layer = "fgr", field = "regio" }}
[bid.mix]
"Laagveengebied" = {{ natural_bank = 0.5, pond = 0.5 }}
"""), encoding="utf-8")
    out = tmp_path / "out"
    proc = run_landel("run", str(cfg), "--out", str(out), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    _, rows, _ = lt.read_csv(out / "area_bid.csv")
    regions = [(f.attrs["regio"], lt.repair(f.geom)) for f in lt.read_features(fysisch, "fgr")]
    areas = {a["area_id"]: g for a, g in lt.read_output_layer(out / "areas.gpkg", "areas")[2]}
    for r in rows:
        geom = areas[r["area_id"]]
        dominant = max(regions, key=lambda rg: rg[1].intersection(geom).area)[0]
        assert r["bid_region"] == dominant, r["area_id"]
        if dominant == "Laagveengebied":
            increment = lt.num(r["gap_2030_ha"])
            assert abs(lt.num(r["add_natural_bank_2030_ha"]) - 0.5 * increment) <= 1e-6
            assert abs(lt.num(r["add_pond_2030_ha"]) - 0.5 * increment) <= 1e-6


@pytest.mark.parametrize("mix,culprits", [
    ('"*" = { hedge = 0.6, maze = 0.4 }', ["bid.mix", "maze"]),
    ('"*" = { hedge = 0.6, pond = 0.3 }', ["bid.mix", "sum to 0.9"]),
])
def test_bad_mix_is_a_clear_error(repo_root, run_landel, tmp_path, mix, culprits):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(base_config(repo_root, f"[bid.mix]\n{mix}\n"), encoding="utf-8")
    out = tmp_path / "out"
    proc = run_landel("run", str(cfg), "--out", str(out), "--quiet")
    assert proc.returncode == 1
    line = lt.error_lines(proc.stderr)[-1]
    for c in culprits:
        assert c in line, line
    assert "bad.toml:" in line, line
    assert not out.exists()


def test_bad_catalogue_names_file_row_and_column(repo_root, run_landel, tmp_path):
    costs = tmp_path / "costs.csv"
    text = (repo_root / CATALOGUE).read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    fields = next(csv.reader([text[1]]))
    fields[header.index("build_eur_mid")] = "eleven"
    with open(costs, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerow(fields)
        for line in text[2:]:
            w.writerow(next(csv.reader([line])))
    cfg = tmp_path / "bad.toml"
    cfg.write_text(base_config(repo_root, f'[bid]\ncosts = "{costs}"\n'), encoding="utf-8")
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"), "--quiet")
    assert proc.returncode == 1
    line = lt.error_lines(proc.stderr)[-1]
    assert "costs.csv" in line and "row 2" in line and "build_eur_mid" in line and "eleven" in line, line


def libreoffice():
    return shutil.which("soffice") or shutil.which("libreoffice")


def sheet_as_csv(xlsx, sheet_number, folder):
    """A sheet's stored values (not the formatted text) as CSV rows, through LibreOffice."""
    options = f"44,34,76,1,,0,false,true,false,false,false,{sheet_number}"
    proc = subprocess.run([libreoffice(), "--headless", "--convert-to",
                           f"csv:Text - txt - csv (StarCalc):{options}", "--outdir", str(folder),
                           str(xlsx)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    made = sorted(folder.glob("*.csv"))
    assert len(made) == 1, made
    with open(made[0], newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


@pytest.mark.skipif(not libreoffice(), reason="LibreOffice (libreoffice-calc-nogui) not installed")
def test_xlsx_summary_matches_the_csv(overlay_run, tmp_path):
    header, rows, _ = lt.read_csv(overlay_run / "area_bid.csv")
    sheet = sheet_as_csv(overlay_run / "area_bid.xlsx", 1, tmp_path)
    # A title line, a blank line, the plain-words header, the rows, the totals row.
    data = sheet[3:]
    assert len(data) == len(rows) + 1
    for r, cells in zip(rows, data):
        for k, c in enumerate(header):
            want, got = r[c], cells[k]
            if want == "" or not re.fullmatch(r"-?\d+(\.\d+)?", want):
                assert got == want, (r["area_id"], c)
            else:
                # The CSV rounds to its decimals; the sheet stores full precision.
                decimals = len(want.split(".")[1]) if "." in want else 0
                assert abs(float(got) - float(want)) <= 0.5 * 10 ** -decimals + 1e-9, (r["area_id"], c, got, want)
    totals = data[-1]
    assert totals[0] == "Total"
    for c in ("area_ha", "rural_ha", "element_ha", "build_cost_2030_eur_mid"):
        k = header.index(c)
        assert abs(float(totals[k]) - sum(lt.num(r[c]) for r in rows)) <= 1e-3, c
    share = 100 * sum(lt.num(r["element_ha"]) for r in rows) / sum(lt.num(r["rural_ha"]) for r in rows)
    assert abs(float(totals[header.index("share_pct")]) - share) <= 1e-6


@pytest.mark.skipif(not libreoffice(), reason="LibreOffice (libreoffice-calc-nogui) not installed")
def test_xlsx_prints_one_page_wide_with_readable_figures(overlay_run, tmp_path):
    """As LibreOffice prints it: landscape pages with the header on each; the wide summary (some
    90 columns) side by side at a legible scale with every area's id on every page, each other
    sheet one page; hectares shown with 2 decimals and euros without."""
    proc = subprocess.run([libreoffice(), "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                           str(overlay_run / "area_bid.xlsx")], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    pdf = tmp_path / "area_bid.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert width > height  # landscape
    with zipfile.ZipFile(overlay_run / "area_bid.xlsx") as z:
        sheets = len(re.findall(r"<sheet name=", z.read("xl/workbook.xml").decode("utf-8")))
    _, rows, _ = lt.read_csv(overlay_run / "area_bid.csv")
    assert len(rows) < 30, "every sheet of the sample fits one page high"
    texts = [subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), str(pdf), "-"],
                            capture_output=True, text=True).stdout for p in range(1, pages + 1)]
    summary = [t for t in texts if t.startswith("landel area bid")]
    assert 1 < len(summary) <= 10, len(summary)  # was one column group per portrait page
    for t in summary:
        assert "Area id" in t and all(r["area_id"][:20] in t for r in rows)  # long ids are cut
    assert pages == len(summary) + sheets - 1, (pages, len(summary), sheets)
    # The text LibreOffice shows: "Save cell contents as shown".
    options = "44,34,76,1,,0,false,true,true,false,false,1"
    shown = tmp_path / "shown"
    proc = subprocess.run([libreoffice(), "--headless", "--convert-to", f"csv:Text - txt - csv (StarCalc):{options}",
                           "--outdir", str(shown), str(overlay_run / "area_bid.xlsx")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    with open(next(shown.glob("*.csv")), newline="", encoding="utf-8") as f:
        table = list(csv.reader(f))
    header = list(lt.read_csv(overlay_run / "area_bid.csv")[0])
    for cells in table[3:-1]:
        for name in ("rural_ha", "gap_2050_ha"):
            assert re.fullmatch(r"[\d,]+\.\d\d", cells[header.index(name)]), (name, cells[header.index(name)])
        assert re.fullmatch(r"[\d,]+", cells[header.index("build_cost_2050_eur_mid")])


def test_xlsx_with_500_areas_keeps_the_sheet_limit(repo_root, run_landel, tmp_path):
    # 500 areas of 100 x 100 m over the sample polder (25 x 20 cells of the extent's corner).
    areas = tmp_path / "areas.gpkg"
    feats = [(box(140000 + 96 * i, 430000 + 80 * j, 140000 + 96 * (i + 1), 430000 + 80 * (j + 1)).wkt,
              {"code": f"A{i:02d}{j:02d}", "naam": f"Vak met een heel lange naam nummer {i}-{j}"})
             for i in range(25) for j in range(20)]
    lt.write_vector(areas, "vakken", ogr.wkbPolygon, feats,
                    fields=(("code", ogr.OFTString), ("naam", ogr.OFTString)))
    text = (repo_root / "data/samples/polder/landel.toml").read_text(encoding="utf-8")
    text = text.replace('path = "landscape.gpkg"\nlayer = "gebieden"', f'path = "{areas}"\nlayer = "vakken"')
    text = text.replace('path = "landscape.gpkg"', f'path = "{repo_root}/data/samples/polder/landscape.gpkg"')
    cfg = tmp_path / "many.toml"
    cfg.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    proc = run_landel("run", str(cfg), "--out", str(out), "--quiet", timeout=600)
    assert proc.returncode == 0, lt.describe(proc)
    with zipfile.ZipFile(out / "area_bid.xlsx") as z:
        book = z.read("xl/workbook.xml").decode("utf-8")
    names = re.findall(r'<sheet name="([^"]*)"', book)
    # summary, regional accounting, bid.max_area_sheets per-area sheets, the rest
    assert len(names) == 2 + 200 + 1
    assert names[:2] == ["Summary", "Regional accounting"] and names[-1] == "Other areas"
    assert all(len(n) <= 31 for n in names)
    assert len({n.lower() for n in names}) == len(names)
    if libreoffice():
        sheet = sheet_as_csv(out / "area_bid.xlsx", 1, tmp_path / "lo")
        assert len(sheet) == 3 + 500 + 1


def test_parcel_edges_limit_the_hedges(repo_root, run_landel, tmp_path):
    gpkg = repo_root / "data/samples/polder/landscape.gpkg"
    cfg = tmp_path / "potential.toml"
    cfg.write_text(base_config(repo_root, f"""
[bid]
potential = {{ path = "{gpkg}", layer = "percelen", clearance_m = 5 }}
[bid.mix]
"*" = {{ hedge = 0.9, pond = 0.1 }}
"""), encoding="utf-8")
    out = tmp_path / "out"
    proc = run_landel("run", str(cfg), "--out", str(out), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    _, rows, _ = lt.read_csv(out / "area_bid.csv")
    from shapely.ops import unary_union
    parcels = [lt.repair(f.geom) for f in lt.read_features(gpkg, "percelen")]
    edges = unary_union([p.boundary for p in parcels])
    areas = {a["area_id"]: g for a, g in lt.read_output_layer(out / "areas.gpkg", "areas")[2]}
    owned = {}
    for a, g in lt.read_output_layer(out / "areas.gpkg", "elements")[2]:
        owned.setdefault(a["area_id"], []).append(g)
    capped = 0
    for r in rows:
        area = areas[r["area_id"]]
        free = edges.intersection(area)
        if r["area_id"] in owned:
            free = free.difference(unary_union(owned[r["area_id"]]).buffer(5, resolution=8))
        assert abs(lt.num(r["free_edge_m"]) - free.length) <= 1e-6 * free.length + 1e-3, r["area_id"]
        hedge_m = lt.num(r["qty_hedge_2030_m"]) + lt.num(r["qty_hedge_2050_m"])
        assert hedge_m <= lt.num(r["free_edge_m"]) + 2  # each milestone rounds up by < 1 m
        wanted = 0.9 * lt.num(r["gap_2050_ha"]) * 1e4 / 1.5
        if wanted > lt.num(r["free_edge_m"]):
            capped += 1
            # The hedge the edges cannot hold goes to the ponds.
            pond_ha = lt.num(r["add_pond_2030_ha"]) + lt.num(r["add_pond_2050_ha"])
            hedge_ha = lt.num(r["add_hedge_2030_ha"]) + lt.num(r["add_hedge_2050_ha"])
            assert abs(pond_ha + hedge_ha - lt.num(r["gap_2050_ha"])) <= 1e-5
    assert capped >= 1


def test_bid_command_reproduces_the_run_and_follows_new_settings(overlay_run, repo_root, run_landel, tmp_path):
    cfg = repo_root / "data/samples/polder/landel-overlay.toml"
    out = tmp_path / "rebid"
    proc = run_landel("bid", str(cfg), "--from", str(overlay_run), "--out", str(out), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    # Same config: the same bid, byte for byte (areas.gpkg keeps full precision).
    for name in ("area_bid.csv", "bid_phasing.csv"):
        assert (out / name).read_bytes() == (overlay_run / name).read_bytes(), name
    assert (out / "area_bid.xlsx").is_file()

    # New milestones and a new national mix: `bid` equals a fresh run with that config.
    text = cfg.read_text(encoding="utf-8").replace('path = "', f'path = "{cfg.parent}/')
    text = text.replace("year = 2030\nshare = 0.05", "year = 2030\nshare = 0.06")
    text = text.replace("year = 2050\nshare = 0.10", "year = 2040\nshare = 0.10")
    assert "share = 0.06" in text and "year = 2040" in text
    text += '[bid.mix]\n"Rivierengebied" = { hedge = 0.7, pond = 0.3 }\n'
    changed = tmp_path / "changed.toml"
    changed.write_text(text, encoding="utf-8")
    rebid, fresh = tmp_path / "rebid2", tmp_path / "fresh"
    proc = run_landel("bid", str(changed), "--from", str(overlay_run), "--out", str(rebid), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    proc = run_landel("run", str(changed), "--out", str(fresh), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    assert (rebid / "area_bid.csv").read_bytes() == (fresh / "area_bid.csv").read_bytes()
    header, rows, _ = lt.read_csv(rebid / "area_bid.csv")
    assert "gap_2040_ha" in header and "add_hedge_2040_ha" in header


def test_bid_command_errors(overlay_run, repo_root, run_landel, tmp_path):
    cfg = repo_root / "data/samples/polder/landel-overlay.toml"
    proc = run_landel("bid", str(cfg), "--from", str(tmp_path), "--out", str(tmp_path / "o"), "--quiet")
    assert proc.returncode == 1
    assert "--from" in proc.stderr and "areas.gpkg" in proc.stderr, proc.stderr
    # The config of another run (other types) cannot bid on this measurement.
    other = repo_root / "data/samples/polder/landel-raster.toml"
    proc = run_landel("bid", str(other), "--from", str(overlay_run), "--out", str(tmp_path / "o2"), "--quiet")
    assert proc.returncode == 1
    line = lt.error_lines(proc.stderr)[-1]
    assert "areas.gpkg" in line and "no column" in line, line
    assert not (tmp_path / "o2").exists()


def spread(total, shortfall, room):
    """The regional gap spread in proportion to the shortfall, each area at most its room,
    written apart from landel's: raise one factor by bisection until the shares add up."""
    if total <= 0 or sum(shortfall) <= 0:
        return [0.0] * len(shortfall)
    def taken(f):
        return sum(min(r, f * s) for s, r in zip(shortfall, room))
    lo, hi = 0.0, 1.0
    while taken(hi) < total and hi < 1e12:
        hi *= 2
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if taken(mid) < total else (lo, mid)
    return [min(r, hi * s) for s, r in zip(shortfall, room)]


@pytest.mark.parametrize("scope", ["area", "region"])
def test_regional_and_per_area_gaps(repo_root, run_landel, tmp_path, scope):
    cfg = tmp_path / "scope.toml"
    text = overlay_config(repo_root)
    cfg.write_text(text.replace("[targets]", f'[targets]\nscope = "{scope}"'), encoding="utf-8")
    assert f'scope = "{scope}"' in cfg.read_text(encoding="utf-8"), "the sample has [targets]"
    out = tmp_path / "out"
    proc = run_landel("run", str(cfg), "--out", str(out), "--quiet")
    assert proc.returncode == 0, lt.describe(proc)
    _, rows, _ = lt.read_csv(out / "area_bid.csv")
    totals = json.loads((out / "summary.json").read_text(encoding="utf-8"))["totals"]["milestones"]
    elements = sum(lt.num(r["element_ha"]) for r in rows)
    # One area's surplus must offset another's shortfall for this test to mean anything.
    assert any(lt.num(r["element_ha"]) > lt.num(r["target_2030_ha"]) for r in rows)
    for t in totals:
        y = t["year"]
        target = sum(lt.num(r[f"target_{y}_ha"]) for r in rows)
        area_gaps = sum(lt.num(r[f"gap_{y}_ha"]) for r in rows)
        regional = max(0.0, target - elements)
        assert abs(t["target_ha"] - target) <= 1e-5 and abs(t["area_gaps_ha"] - area_gaps) <= 1e-5
        assert abs(t["regional_gap_ha"] - regional) <= 1e-5, (y, t, regional)
        assert t["proposal_closes"] == scope
        if scope == "area":
            closes = [lt.num(r[f"gap_{y}_ha"]) for r in rows]
        else:
            room = [max(0.0, lt.num(r["rural_ha"]) - lt.num(r["element_ha"])) for r in rows]
            closes = spread(regional, [lt.num(r[f"gap_{y}_ha"]) for r in rows], room)
            assert abs(sum(closes) + t["unallocated_ha"] - regional) <= 1e-5
        for r, want in zip(rows, closes):
            assert abs(lt.num(r[f"closes_{y}_ha"]) - want) <= 1e-5, (r["area_id"], y)
    if scope == "region":
        assert totals[0]["regional_gap_ha"] < totals[0]["area_gaps_ha"]
        # The proposal adds up to what the area takes of the regional gap by the last milestone.
        y = totals[-1]["year"]
        for r in rows:
            added = sum(lt.num(r[c]) for c in r if re.fullmatch(r"add_.+_\d{4}_ha", c))
            unplaced = sum(lt.num(r[c]) for c in r if re.fullmatch(r"unplaced_\d{4}_ha", c))
            assert abs(added + unplaced - lt.num(r[f"closes_{y}_ha"])) <= 1e-5, r["area_id"]
    book = zipfile.ZipFile(out / "area_bid.xlsx").read("xl/workbook.xml").decode("utf-8")
    assert re.findall(r'<sheet name="([^"]*)"', book)[1] == "Regional accounting"
    report = (out / "report.html").read_text(encoding="utf-8")
    closes = "the regional gap" if scope == "region" else "each area&apos;s own gap"
    assert "regional (surpluses offset shortfalls)" in report and closes in report


def test_bad_scope_is_a_clear_error(repo_root, run_landel, tmp_path):
    cfg = tmp_path / "bad.toml"
    text = base_config(repo_root, "").replace("[targets]", '[targets]\nscope = "province"', 1)
    cfg.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    proc = run_landel("run", str(cfg), "--out", str(out), "--quiet")
    assert proc.returncode == 1
    line = lt.error_lines(proc.stderr)[-1]
    assert "bad.toml:" in line and "targets.scope" in line and "province" in line, line
    assert not out.exists()


def test_types_without_costs_are_left_out_with_a_warning(overlay_run):
    """A type the catalogue has no figures for (reed_edge) is named per area in `uncosted` and
    once in the run's warnings with the number of areas whose totals leave it out."""
    _, rows, _ = lt.read_csv(overlay_run / "area_bid.csv")
    warnings = json.loads((overlay_run / "summary.json").read_text(encoding="utf-8"))["warnings"]
    counts = {}
    for r in rows:
        for u in filter(None, r["uncosted"].split("; ")):
            counts[u] = counts.get(u, 0) + 1
    assert any(u.startswith("reed_edge") for u in counts), "the sample's Laagveengebied mix has reed edges"
    for what, n in counts.items():
        word = "area leave" if n == 1 else "areas leave"
        assert f"bid: the catalogue has no figures for {what}; the cost totals of {n} {word} it out (column uncosted)" in warnings


def test_land_value_per_region_and_its_errors(repo_root, run_landel, tmp_path):
    text = overlay_config(repo_root)
    cfg = tmp_path / "value.toml"
    cfg.write_text(text + '\n[bid]\nland_value_eur_per_ha = 50000\n[bid.land_value]\n"Laagveengebied" = 40000\n',
                   encoding="utf-8")
    out = tmp_path / "out"
    proc = run_landel("run", str(cfg), "--out", str(out), "--quiet", "--no-maps")
    assert proc.returncode == 0, lt.describe(proc)
    _, rows, _ = lt.read_csv(out / "area_bid.csv")
    regions = set()
    for r in rows:
        per_ha = 40000.0 if r["bid_region"] == "Laagveengebied" else 50000.0
        for y in (2030, 2050):
            permanent = sum(lt.num(r[c]) for c in r
                            if re.fullmatch(rf"add_(.+)_{y}_ha", c) and not c.startswith("add_field_margin_"))
            # Each add_ column is rounded to 1e-6 ha in the CSV (at most 20 of them per year).
            assert abs(lt.num(r[f"land_value_loss_{y}_eur"]) - per_ha * permanent) <= 0.005 + per_ha * 5e-7 * 20
        regions.add(r["bid_region"])
    assert "Laagveengebied" in regions and len(regions) > 1
    bad = tmp_path / "bad.toml"
    bad.write_text(text + '\n[bid.land_value]\n"Laagveengebied" = -1\n', encoding="utf-8")
    proc = run_landel("run", str(bad), "--out", str(tmp_path / "bad"), "--quiet")
    assert proc.returncode == 1
    line = lt.error_lines(proc.stderr)[-1]
    assert "bad.toml:" in line and 'bid.land_value."Laagveengebied"' in line, line
    assert not (tmp_path / "bad").exists()


def test_catalogue_types_without_a_shipped_mix(repo_root, run_landel, tmp_path):
    """road_verge, ditch_bank and shrub_edge (the Aanvalsplan counts them; no shipped mix
    proposes them) are in the catalogue with their BIJ12 code, can be proposed through
    [bid.mix], and lacking cost figures are left out of the totals with a warning."""
    cat = read_catalogue(repo_root)
    for t in ("road_verge", "ditch_bank", "shrub_edge"):
        assert cat[t]["unit"] == "ha" and cat[t]["bij12_code"], t
    assert cat["shrub_edge"]["bij12_code"].startswith("L01.10")
    text = overlay_config(repo_root)
    cfg = tmp_path / "mix.toml"
    cfg.write_text(text + '\n[bid.mix]\n"*" = { shrub_edge = 0.5, ditch_bank = 0.25, road_verge = 0.25 }\n'
                   '"Laagveengebied" = { shrub_edge = 1.0 }\n"Rivierengebied" = { ditch_bank = 1.0 }\n', encoding="utf-8")
    out = tmp_path / "out"
    proc = run_landel("run", str(cfg), "--out", str(out), "--quiet", "--no-maps")
    assert proc.returncode == 0, lt.describe(proc)
    _, rows, _ = lt.read_csv(out / "area_bid.csv")
    warnings = json.loads((out / "summary.json").read_text(encoding="utf-8"))["warnings"]
    for r in rows:
        if lt.num(r["gap_2050_ha"]) > 0:
            assert r["uncosted"], r["area_id"]
            assert lt.num(r["build_cost_2050_eur_mid"]) == 0.0  # nothing costed is proposed
    assert any("ditch_bank (build, manage)" in w for w in warnings)
    assert any("shrub_edge (build, manage)" in w for w in warnings)


def read_land_values(repo_root):
    """The shipped land-value table, loss per ha = farmland − woodland, keyed by land use."""
    with open(repo_root / "data/catalogue/land_value.csv", newline="", encoding="utf-8") as f:
        return {r["land_use"]: float(r["farmland_eur_per_ha"]) - float(r["woodland_eur_per_ha"])
                for r in csv.DictReader(f)}


def test_land_value_by_land_use(repo_root, run_landel, tmp_path):
    """[bid.land_use] gives each area the land use covering most of it (a BRP-like layer with
    field `category`); its row of data/catalogue/land_value.csv sets the land value lost, a
    land use the table lacks falls back to the average with a warning, and a region's
    [bid.land_value] wins over both."""
    values = read_land_values(repo_root)
    # The 2023 Kadaster/WEcR prices of the domain notes: arable 90,900, grassland 69,400,
    # average 78,800, woodland 17,800 euro per ha.
    assert values == {"average": 61000.0, "bouwland": 73100.0, "grasland": 51600.0}
    areas = lt.read_features(repo_root / "data/samples/polder/landscape.gpkg", "gebieden")
    # Each area's own polygon carries a category, except G04 (no land use known); G03 gets one
    # the table lacks. Trimmed polygons of another category in G01 cover less than its own.
    use = {"G01": "Bouwland", "G02": "Grasland", "G03": "Natuurterrein", "G05": "Grasland"}
    feats = []
    for a in areas:
        code = a.attrs["code"]
        if code in use:
            feats.append((a.geom.wkt, {"category": use[code]}))
    g01 = next(a.geom for a in areas if a.attrs["code"] == "G01")
    x0, y0, x1, y1 = g01.bounds
    feats.append((g01.intersection(box(x0, y0, x0 + (x1 - x0) * 0.3, y1)).wkt, {"category": "Grasland"}))
    lt.write_vector(tmp_path / "brp.gpkg", "gewaspercelen", ogr.wkbPolygon, feats,
                    fields=[("category", ogr.OFTString)])
    cfg = tmp_path / "landuse.toml"
    cfg.write_text(base_config(repo_root, f'[bid.land_use]\npath = "{tmp_path / "brp.gpkg"}"\n'), encoding="utf-8")
    out = tmp_path / "out"
    proc = run_landel("run", str(cfg), "--out", str(out), "--quiet", "--no-maps")
    assert proc.returncode == 0, lt.describe(proc)
    _, rows, _ = lt.read_csv(out / "area_bid.csv")
    want_use = {"G01": "bouwland", "G02": "grasland", "G05": "grasland"}
    for r in rows:
        key = want_use.get(r["area_id"], "average")
        assert r["land_use"] == key, (r["area_id"], r["land_use"])
        per_ha = values[key]
        assert lt.num(r["land_value_eur_per_ha"]) == per_ha
        for y in (2030, 2050):
            permanent = sum(lt.num(r[c]) for c in r
                            if re.fullmatch(rf"add_(.+)_{y}_ha", c) and not c.startswith("add_field_margin_"))
            # Each add_ column is rounded to 1e-6 ha in the CSV (at most 20 of them per year).
            assert abs(lt.num(r[f"land_value_loss_{y}_eur"]) - per_ha * permanent) <= 0.005 + per_ha * 5e-7 * 20
    warnings = lt.warning_lines(proc.stderr)
    assert any("land use 'Natuurterrein' is not in the land-value table" in w and "'average' row" in w
               for w in warnings), warnings
    # A region's value wins; given areas without a region use the national mix "*".
    cfg.write_text(base_config(repo_root, f'[bid.land_use]\npath = "{tmp_path / "brp.gpkg"}"\n'
                               '[bid.land_value]\n"*" = 40000\n'), encoding="utf-8")
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "region"), "--quiet", "--no-maps")
    assert proc.returncode == 0, lt.describe(proc)
    _, rows, _ = lt.read_csv(tmp_path / "region" / "area_bid.csv")
    assert {(r["land_use"], r["land_value_eur_per_ha"]) for r in rows} == {("", "40000.00")}


def test_bad_land_value_table_is_one_line(repo_root, run_landel, tmp_path):
    table = tmp_path / "values.csv"
    table.write_text("land_use,farmland_eur_per_ha,woodland_eur_per_ha\naverage,78800,17800\n"
                     "grasland,69400,80000\n", encoding="utf-8")
    cfg = tmp_path / "bad.toml"
    cfg.write_text(base_config(repo_root, f'[bid]\nland_values = "{table}"\n'), encoding="utf-8")
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"), "--quiet")
    assert proc.returncode == 1
    line = lt.error_lines(proc.stderr)[-1]
    assert "bid.land_values" in line and "values.csv" in line and "woodland_eur_per_ha" in line, line
    assert not (tmp_path / "out").exists()


def test_maturity_table_matches_the_catalogue(repo_root):
    """docs/bid.md documents per type the hectares a planting counts for at maturity; every
    catalogue type is there with the catalogue's m2_per_unit and the units 1 ha takes."""
    doc = (repo_root / "docs/bid.md").read_text(encoding="utf-8")
    section = doc.split("## Young plantings", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        m = re.match(r"\| `([a-z_]+)` \| (\w+) \| ([\d.]+) \| ([\d,]+) (\w+) \|", line)
        if m:
            rows[m[1]] = (m[2], float(m[3]), int(m[4].replace(",", "")))
    with open(repo_root / "data/catalogue/elements.csv", newline="", encoding="utf-8") as f:
        catalogue = list(csv.DictReader(f))
    assert set(rows) == {e["type"] for e in catalogue}
    for e in catalogue:
        unit, m2, takes = rows[e["type"]]
        assert unit == e["unit"] and m2 == float(e["m2_per_unit"]), e["type"]
        want = 1 if e["unit"] == "ha" else math.ceil(1e4 / float(e["m2_per_unit"]) - 1e-9)
        assert takes == want, e["type"]
