"""The BGT preset ([dataset] preset = "bgt", docs/presets.md).

Real data (../shared/data/real/otterlo-bgt): the PDOK download zip itself, read by the preset,
holds exactly the current objects its SOURCE.md counts; the areas are checked against
otterlo_bgt_current.gpkg, derived from the same zip independently (ogr2ogr -where
"eindRegistratie IS NULL", see SOURCE.md). as_of is checked against versions counted here by
parsing the GML with xml.etree (not GDAL, not landel's SQL). The zip, the unzipped folder and a
GeoPackage made from it give the same figures.

Synthetic: a small BGT-like GeoPackage with a built-up zone and an NNN polygon, for the named
denominators, with figures derived by hand in the test.
"""

import json
import shutil
import textwrap
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from osgeo import gdal, ogr
from shapely import wkb as shapely_wkb
from shapely.geometry import LineString, Point, box
from shapely.ops import unary_union

import landel_testlib as lt

gdal.UseExceptions()

ZIP = "otterlo-bgt/otterlo_bgt_2020-08-05.zip"
CURRENT = "otterlo-bgt/otterlo_bgt_current.gpkg"
# A box around the whole download (its extent is about x 179630-182490, y 455510-458620).
EVERYWHERE = (179000.0, 454000.0, 183500.0, 459500.0)
# Options that keep every polygon of the rows whose size rules would drop some.
NO_SIZE_RULES = "woods_max_ha = 10000\npond_max_ha = 10000\nreed_max_ha = 10000"


def write_areas(path, boxes, epsg=28992):
    feats = [(box(*b).wkt, {"id": name}) for name, b in boxes.items()]
    lt.write_vector(path, "areas", ogr.wkbPolygon, feats, fields=[("id", ogr.OFTString)], epsg=epsg)


def summary(out):
    return json.loads((Path(out) / "summary.json").read_text())


def source_features(summ, needle):
    hits = [s["features"] for s in summ["sources"] if needle in s["source"]]
    assert len(hits) == 1, (needle, [s["source"] for s in summ["sources"]])
    return hits[0]


def gpkg_union_ha(gpkg, layer, where):
    geoms = [f.geom for f in lt.read_features(gpkg, layer, where)]
    return unary_union(geoms).area / 1e4


def preset_run(areas, download, rest="", preset="bgt"):
    """The TOML of a run of @p preset on @p download over the areas in @p areas (field id),
    followed by @p rest (any indentation)."""
    head = f"""
        [areas]
        [[areas.layers]]
        path = "{areas}"
        id_field = "id"
        [dataset]
        preset = "{preset}"
        path = "{download}"
        """
    return textwrap.dedent(head) + textwrap.dedent(rest)


def config(tmp_path, write_config, download, extra="", options="", name="landel.toml"):
    areas = tmp_path / "areas.gpkg"
    if not areas.exists():
        write_areas(areas, {"all": EVERYWHERE})
    rest = f"{extra}\n[dataset.options]\n{options}\n[run]\nname = \"Otterlo BGT\"\n"
    return write_config(preset_run(areas, download, rest), name=name)


def run_ok(run_landel, cfg, out):
    proc = run_landel("run", str(cfg), "--out", str(out))
    assert proc.returncode == 0, lt.describe(proc)
    return proc


# -- the current state, from the zip itself -------------------------------------------------


@pytest.fixture(scope="module")
def otterlo_current(real_data, tmp_path_factory, run_landel_session):
    """One run of the preset on the zip, every size rule off, with the custom denominator
    (no masks: every element counts whole) and one with the default aanvalsplan one."""
    tmp = tmp_path_factory.mktemp("bgt_current")
    write_areas(tmp / "areas.gpkg", {"all": EVERYWHERE})
    runs = {}
    for definition in ("custom", "aanvalsplan"):
        cfg = tmp / f"{definition}.toml"
        cfg.write_text(lt.dedent_config(preset_run(tmp / "areas.gpkg", real_data / ZIP, f"""
            [dataset.options]
            {NO_SIZE_RULES}
            [rural]
            definition = "{definition}"
            """)))
        out = tmp / f"out_{definition}"
        proc = run_landel_session("run", str(cfg), "--out", str(out))
        assert proc.returncode == 0, lt.describe(proc)
        runs[definition] = (proc, summary(out), out)
    return runs


def test_the_zip_holds_the_counts_of_source_md(otterlo_current):
    _, s, _ = otterlo_current["aanvalsplan"]
    # SOURCE.md: houtwal 38 polygons, haag 16 lines, watervlakte 30, oever/slootkant 87,
    # boom 2,088 points, pand 1,711 ground plans.
    assert source_features(s, "'houtwal'") == 38
    assert source_features(s, "'hedges'") == 16
    assert source_features(s, "'ponds'") == 30
    assert source_features(s, "'banks'") == 87
    assert source_features(s, "'trees'") == 2088
    assert source_features(s, "built_up (pand)") == 1711
    assert s["dataset"]["preset"] == "bgt" and s["dataset"]["as_of"] is None
    assert s["rural_land"]["definition"] == "aanvalsplan"
    assert s["rural_land"]["approximate"] is True
    assert "approximate" in s["rural_land"]["label"]


def test_the_zip_gives_the_areas_of_the_independent_geopackage(real_data, otterlo_current):
    _, s, out = otterlo_current["custom"]
    t = s["totals"]
    gpkg = real_data / CURRENT
    houtwal = gpkg_union_ha(gpkg, "begroeidterreindeel", "class = 'houtwal'")
    ponds = gpkg_union_ha(gpkg, "waterdeel", "class = 'watervlakte'")
    banks = gpkg_union_ha(gpkg, "ondersteunendwaterdeel", "class = 'oever, slootkant'")
    # SOURCE.md's rounding: 2.88 ha, 3.24 ha, 2.34 ha.
    assert round(houtwal, 2) == 2.88 and round(ponds, 2) == 3.24 and round(banks, 2) == 2.34
    # Types own in order wooded_bank, small_wood, ..., pond, ..., natural_bank: the BGT
    # surfaces tile the land, so each of these owns its whole union.
    assert lt.close(t["ha_wooded_bank"], houtwal)
    assert lt.close(t["ha_pond"], ponds)
    assert lt.close(t["ha_natural_bank"], banks)
    hedges = [f.geom for f in lt.read_features(gpkg, "vegetatieobject_haag")]
    _, _, areas = lt.read_output_layer(out / "areas.gpkg", "areas")
    assert len(areas) == 1
    length = sum(g.length for g in hedges)
    assert round(length) == 477  # SOURCE.md: 477 m
    assert lt.close(areas[0][0]["hedge_m"], length, abs_=1e-3)
    assert areas[0][0]["solitary_tree_count"] == 2088


def test_the_folder_and_a_geopackage_give_the_same_figures(real_data, otterlo_current, tmp_path,
                                                           run_landel, write_config, repo_root):
    _, zipped, _ = otterlo_current["custom"]
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(real_data / ZIP) as z:
        z.extractall(folder)
    before = sorted(p.name for p in folder.iterdir())
    gpkg = tmp_path / "bgt.gpkg"
    templates = repo_root / "data" / "presets" / "bgt"
    for gml in sorted(folder.glob("bgt_*.gml")):
        gfs = templates / (gml.stem + ".gfs")
        if not gfs.exists():  # only the preset's layers (the others need no template)
            continue
        src = gdal.OpenEx(str(gml), gdal.OF_VECTOR, open_options=[f"GFS_TEMPLATE={gfs}"])
        gdal.VectorTranslate(str(gpkg), src, format="GPKG", accessMode="append",
                             layerName=gml.stem[len("bgt_"):],
                             geometryType="CONVERT_TO_LINEAR", dstSRS="EPSG:28992")
        src = None
    for download, label in ((folder, "folder"), (gpkg, "gpkg")):
        cfg = write_config(preset_run(tmp_path / "areas.gpkg", download, f"""
            [dataset.options]
            {NO_SIZE_RULES}
            [rural]
            definition = "custom"
            """), name=f"{label}.toml")
        if not (tmp_path / "areas.gpkg").exists():
            write_areas(tmp_path / "areas.gpkg", {"all": EVERYWHERE})
        run_ok(run_landel, cfg, tmp_path / f"out_{label}")
        other = summary(tmp_path / f"out_{label}")
        for key, value in zipped["totals"].items():
            if key.startswith("ha_") or key in ("element_ha", "rural_ha"):
                assert lt.close(other["totals"][key], value, rel=1e-9, abs_=1e-9), (label, key)
    # Reading the folder wrote no schema file (.gfs) beside the user's GML.
    assert sorted(p.name for p in folder.iterdir()) == before


# -- history -----------------------------------------------------------------------------------

NS = {"imgeo": "http://www.geostandaarden.nl/imgeo/2.1", "core": "http://www.opengis.net/citygml/2.0"}


def versions_valid_on(zip_path, member, day):
    """Objects of @p member alive at the end of @p day with the version registered then,
    counted from the GML's own fields."""
    count = 0
    with zipfile.ZipFile(zip_path) as z, z.open(member) as f:
        for _, elem in ET.iterparse(f, events=("end",)):
            if not elem.tag.endswith("cityObjectMember"):
                continue
            feature = list(elem)[0]

            def text(tag):
                for child in feature.iter():
                    if child.tag.endswith("}" + tag):
                        return child.text
                return None
            begin, end = text("creationDate"), text("terminationDate")
            registered, ended = text("tijdstipRegistratie"), text("eindRegistratie")
            if (begin <= day and (end is None or end > day) and registered[:10] <= day
                    and (ended is None or ended[:10] > day)):
                count += 1
            elem.clear()
    return count


def counting_preset(repo_root, tmp_path):
    """A copy of the shipped preset with one more row: every begroeidterreindeel object."""
    text = (repo_root / "data" / "presets" / "bgt.toml").read_text()
    text = text.replace('gfs = "bgt/', f'gfs = "{repo_root}/data/presets/bgt/')
    text = text.replace("[types]\norder = [", '[[elements]]\nid = "all_vegetated"\n'
                        'layer = "begroeidterreindeel"\ntype = "vegetated"\n'
                        'source = "test: every object"\n\n[types]\norder = ["vegetated", ', 1)
    path = tmp_path / "counting.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("day, expected", [("2018-01-01", 643), ("2016-01-01", 305)])
def test_as_of_selects_the_versions_valid_then(real_data, repo_root, tmp_path, run_landel,
                                               write_config, day, expected):
    assert versions_valid_on(real_data / ZIP, "bgt_begroeidterreindeel.gml", day) == expected
    preset = counting_preset(repo_root, tmp_path)
    write_areas(tmp_path / "areas.gpkg", {"west": (179000, 454000, 181000, 459500),
                                          "east": (181000, 454000, 183500, 459500)})
    cfg = write_config(preset_run(tmp_path / "areas.gpkg", real_data / ZIP, f"""
        as_of = "{day}"
        [rural]
        definition = "custom"
        """, preset=preset))
    proc = run_ok(run_landel, cfg, tmp_path / "out")
    s = summary(tmp_path / "out")
    assert source_features(s, "'all_vegetated'") == expected
    assert s["dataset"]["as_of"] == day
    assert s["dataset"]["download_date"] == "2020-07-28"
    coverage = s["dataset"]["coverage"]
    assert set(coverage) == {"west", "east"}
    warnings = lt.warning_lines(proc.stderr)
    low = [w for w in warnings if "cover less than 99%" in w]
    if day == "2016-01-01":
        # About half of Otterlo was registered on 2016-01-01: both areas are named, each with
        # its coverage as written in summary.json.
        assert len(low) == 1
        for area, share in coverage.items():
            assert share < 0.99
            assert f"{area} {100 * share:.1f}%" in low[0]


def test_as_of_after_the_download_is_an_error(real_data, tmp_path, run_landel, write_config):
    cfg = config(tmp_path, write_config, real_data / ZIP, extra='as_of = "2020-07-29"')
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"))
    assert proc.returncode != 0
    errors = lt.error_lines(proc.stderr)
    assert len(errors) == 1 and "2020-07-28" in errors[0] and "as_of" in errors[0], proc.stderr
    assert not (tmp_path / "out").exists()


# -- bad input: one line, nothing written ----------------------------------------------------


def fake_download(tmp_path, members):
    path = tmp_path / "download.zip"
    with zipfile.ZipFile(path, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    return path


@pytest.mark.parametrize("case", ["not_bgt", "missing_layer", "unknown_preset", "unknown_option",
                                  "raster", "bad_as_of", "option_type"])
def test_bad_input_is_one_line_and_writes_nothing(real_data, tmp_path, run_landel, write_config,
                                                  case):
    download = real_data / ZIP
    extra, options, expect = "", "", ""
    if case == "not_bgt":
        download = fake_download(tmp_path, {"readme.txt": "hello"})
        expect = "is not a bgt download: it holds no bgt_begroeidterreindeel.gml"
    elif case == "missing_layer":
        with zipfile.ZipFile(real_data / ZIP) as z:
            keep = {n: z.read(n) for n in z.namelist() if n != "bgt_waterdeel.gml"}
        download = fake_download(tmp_path, keep)
        expect = "holds no bgt_waterdeel.gml"
    elif case == "unknown_preset":
        extra = None
        expect = "unknown preset 'top99'"
    elif case == "unknown_option":
        options = "hedge_colour = 1"
        expect = "has no option 'hedge_colour'"
    elif case == "option_type":
        options = "ditch_water = 3"
        expect = "dataset.options.ditch_water must be true or false"
    elif case == "raster":
        download = real_data / "otterlo-bgt/derived/landcover_05m.tif"
        expect = "is a raster"
    elif case == "bad_as_of":
        extra = 'as_of = "2018-02-30"'
        expect = 'dataset.as_of must be a date "YYYY-MM-DD", got "2018-02-30"'
    cfg = config(tmp_path, write_config, download, extra=extra or "", options=options)
    if case == "unknown_preset":
        cfg.write_text(cfg.read_text().replace('preset = "bgt"', 'preset = "top99"'))
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"))
    assert proc.returncode != 0
    errors = lt.error_lines(proc.stderr)
    assert len(errors) == 1 and expect in errors[0], proc.stderr
    assert "landel.toml:" in errors[0]
    assert not (tmp_path / "out").exists()
    assert not list(tmp_path.glob("out*"))


# -- named denominators on a synthetic BGT ----------------------------------------------------
#
# One area, 1000 m x 1000 m = 100 ha (x 0-1000, y 0-1000). BGT layers (current versions):
#   houtwal        x 100-110, y 100-300          0.2 ha   (tree at (105, 200) inside it)
#   naaldbos       x 600-800, y 600-800          4.0 ha   (> 1.5 ha: forest, not an element)
#   loofbos        x 300-400, y 600-700          1.0 ha   (small wood)
#   watervlakte    x 500-550, y 100-140          0.2 ha   (pond)
#   waterloop      x 0-1000,  y 500-504          0.4 ha   (ditch water: not counted by default)
#   oever          x 0-1000,  y 504-506          0.2 ha   (natural bank)
#   wegdeel        x 0-1000,  y 900-910          1.0 ha   (road)
#   pand           x 150-170, y 850-870          0.04 ha
#   erf            x 140-180, y 840-880 - pand   0.12 ha
#   haag           (200, 300)-(300, 300)         100 m x 1.5 m = 0.015 ha
#   bouwland       the rest of the square, so the surfaces tile it
# Built-up zone x 100-300, y 800-1000 (4 ha); NNN x 900-1000, y 0-1000 (10 ha).

SQUARE = box(0, 0, 1000, 1000)
HOUTWAL = box(100, 100, 110, 300)
NAALDBOS = box(600, 600, 800, 800)
LOOFBOS = box(300, 600, 400, 700)
POND = box(500, 100, 550, 140)
DITCH = box(0, 500, 1000, 504)
BANK = box(0, 504, 1000, 506)
ROAD = box(0, 900, 1000, 910)
PAND = box(150, 850, 170, 870)
ERF = box(140, 840, 180, 880).difference(PAND)
BUILT_UP = box(100, 800, 300, 1000)
NNN = box(900, 0, 1000, 1000)
DATE_FIELDS = [("creationDate", "2015-01-01"), ("terminationDate", None),
               ("tijdstipRegistratie", "2015-02-01T10:00:00.000"), ("eindRegistratie", None),
               ("LV-publicatiedatum", "2015-02-02T00:00:00"), ("relatieveHoogteligging", 0)]


def write_layer(path, layer, geom_type, rows, field_names):
    fields = [(n, ogr.OFTInteger if n == "relatieveHoogteligging" else ogr.OFTString)
              for n in field_names + [n for n, _ in DATE_FIELDS]]
    feats = []
    for geom, attrs in rows:
        values = {n: v for n, v in DATE_FIELDS if v is not None}
        values.update(attrs)
        feats.append((geom.wkt, values))
    lt.write_vector(path, layer, geom_type, feats, fields=fields, mode="a")


def synthetic_bgt(folder):
    path = folder / "bgt.gpkg"
    tiles = [HOUTWAL, NAALDBOS, LOOFBOS, POND, DITCH, BANK, ROAD, PAND, ERF]
    bouwland = SQUARE.difference(unary_union(tiles))
    write_layer(path, "begroeidterreindeel", ogr.wkbMultiPolygon,
                [(HOUTWAL, {"class": "houtwal"}), (NAALDBOS, {"class": "naaldbos"}),
                 (LOOFBOS, {"class": "loofbos"}), (bouwland, {"class": "bouwland"})],
                ["class", "plus-fysiekVoorkomen"])
    write_layer(path, "waterdeel", ogr.wkbMultiPolygon,
                [(POND, {"class": "watervlakte"}), (DITCH, {"class": "waterloop"})],
                ["class", "plus-type"])
    write_layer(path, "ondersteunendwaterdeel", ogr.wkbMultiPolygon,
                [(BANK, {"class": "oever, slootkant"})], ["class"])
    write_layer(path, "wegdeel", ogr.wkbMultiPolygon, [(ROAD, {"function": "rijbaan lokale weg"})],
                ["function"])
    write_layer(path, "ondersteunendwegdeel", ogr.wkbMultiPolygon, [],
                ["function", "plus-fysiekVoorkomenOndersteunendWegdeel"])
    write_layer(path, "pand", ogr.wkbMultiPolygon, [(PAND, {})], [])
    write_layer(path, "onbegroeidterreindeel", ogr.wkbMultiPolygon,
                [(ERF, {"bgt-fysiekVoorkomen": "erf"})], ["bgt-fysiekVoorkomen"])
    write_layer(path, "overigbouwwerk", ogr.wkbMultiPolygon, [], [])
    write_layer(path, "vegetatieobject", ogr.wkbUnknown,
                [(LineString([(200, 300), (300, 300)]), {"plus-type": "haag"}),
                 (Point(105, 200), {"plus-type": "boom"})], ["plus-type"])
    zones = folder / "zones.gpkg"
    lt.write_vector(zones, "bebouwde_kom", ogr.wkbPolygon, [(BUILT_UP.wkt, {})], mode="a")
    lt.write_vector(zones, "nnn", ogr.wkbPolygon, [(NNN.wkt, {})], mode="a")
    areas = folder / "areas.gpkg"
    write_areas(areas, {"square": SQUARE.bounds})
    return path, zones, areas


# Hand-derived (ha):
#   aanvalsplan masks: built-up 4 + NNN 10 + road 1 - road in built-up 0.2 - road in NNN 0.1
#                      = 14.7 -> rural 85.3
#   elements in it:    houtwal 0.2 (the tree inside it adds nothing), loofbos 1.0, pond 0.2,
#                      bank outside NNN 900 m x 2 m = 0.18, haag 0.015 -> 1.595
#   cobra adds:        water = pond 0.2 + ditch outside NNN 0.36 = 0.56; naaldbos 4.0
#                      -> rural 85.3 - 4.56 = 80.74; the pond is no longer rural -> 1.395
#   fallback built-up: pand 0.04 + erf 0.12 = 0.16 (NNN given): masks 0.16 + 10 + 1 - 0.1
#                      = 11.06 -> rural 88.94, elements 1.595
CASES = {
    "aanvalsplan": dict(built_up=True, rural=85.3, element=1.595,
                        excl={"built_up": 4.0, "nnn": 10.0, "roads": 1.0}),
    "cobra": dict(built_up=True, rural=80.74, element=1.395,
                  excl={"built_up": 4.0, "nnn": 10.0, "roads": 1.0, "water": 0.6,
                        "large_woods": 4.0}),
    "fallback": dict(built_up=False, rural=88.94, element=1.595,
                     excl={"built_up": 0.16, "nnn": 10.0, "roads": 1.0}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_named_denominators_give_the_hand_derived_figures(tmp_path, run_landel, write_config,
                                                          case):
    c = CASES[case]
    bgt, zones, areas = synthetic_bgt(tmp_path)
    definition = "cobra" if case == "cobra" else "aanvalsplan"
    built_up = (f'[rural.built_up]\npath = "{zones}"\nlayer = "bebouwde_kom"'
                if c["built_up"] else "")
    cfg = write_config(preset_run(areas, bgt, f"""
        [rural]
        definition = "{definition}"
        {built_up}
        [rural.nnn]
        path = "{zones}"
        layer = "nnn"
        """))
    proc = run_ok(run_landel, cfg, tmp_path / "out")
    s = summary(tmp_path / "out")
    t = s["totals"]
    assert lt.close(t["area_ha"], 100.0)
    assert lt.close(t["rural_ha"], c["rural"]), t
    assert lt.close(t["element_ha"], c["element"]), t
    _, _, areas_out = lt.read_output_layer(tmp_path / "out" / "areas.gpkg", "areas")
    attrs = areas_out[0][0]
    for name, ha in c["excl"].items():
        assert lt.close(attrs[f"excl_{name}_ha"], ha), (name, attrs)
    rural = s["rural_land"]
    assert rural["definition"] == definition
    assert rural["approximate"] is (not c["built_up"])
    assert ("approximate" in rural["label"]) is (not c["built_up"])
    assert "NNN" in rural["label"]
    assert not [w for w in lt.warning_lines(proc.stderr) if "NNN is not excluded" in w]
    stand_in = [w for w in lt.warning_lines(proc.stderr) if "stand in" in w]
    assert len(stand_in) == (0 if c["built_up"] else 1), proc.stderr


def test_without_nnn_the_run_warns_and_without_masks_too(tmp_path, run_landel, write_config):
    bgt, zones, areas = synthetic_bgt(tmp_path)
    cfg = write_config(preset_run(areas, bgt))
    proc = run_ok(run_landel, cfg, tmp_path / "out")
    assert any("NNN is not excluded" in w for w in lt.warning_lines(proc.stderr))
    cfg = write_config(preset_run(areas, bgt, """
        [rural]
        definition = "custom"
        """), name="custom.toml")
    proc = run_ok(run_landel, cfg, tmp_path / "out2")
    assert any("whole area counts as rural land" in w for w in lt.warning_lines(proc.stderr))
    assert lt.close(summary(tmp_path / "out2")["totals"]["rural_ha"], 100.0)


def test_a_class_file_without_features_reads_nothing(real_data, tmp_path, run_landel,
                                                     write_config):
    """A PDOK download writes every class's file, also with no object in it; GDAL does not
    open such a file as GML, so the preset leaves that layer out (and says so in the log)."""
    with zipfile.ZipFile(real_data / ZIP) as z:
        members = {n: z.read(n) for n in z.namelist()}
        empty = z.read("bgt_spoor.gml")  # Otterlo has no rail: the file holds no feature
    members["bgt_pand.gml"] = empty
    download = fake_download(tmp_path, members)
    cfg = config(tmp_path, write_config, download)
    run_ok(run_landel, cfg, tmp_path / "out")
    s = summary(tmp_path / "out")
    labels = [x["source"] for x in s["sources"]]
    assert not [x for x in labels if "(pand)" in x]
    assert source_features(s, "built_up (onbegroeidterreindeel)") > 0
    log = (tmp_path / "out" / "landel.log").read_text()
    assert "bgt_pand.gml holds no feature" in log


def test_a_geopackage_with_label_points_for_pand_is_an_error(tmp_path, run_landel, write_config):
    """ogr2ogr without the GFS template gives pand its address label points: refused."""
    bgt, zones, areas = synthetic_bgt(tmp_path)
    ds = ogr.Open(str(bgt), 1)
    ds.DeleteLayer(next(i for i in range(ds.GetLayerCount())
                        if ds.GetLayer(i).GetName() == "pand"))
    ds = None
    write_layer(bgt, "pand", ogr.wkbPoint, [(Point(160, 860), {})], [])
    cfg = write_config(preset_run(areas, bgt))
    proc = run_landel("run", str(cfg), "--out", str(tmp_path / "out"))
    assert proc.returncode != 0
    errors = lt.error_lines(proc.stderr)
    assert len(errors) == 1 and "layer pand holds no polygons" in errors[0], proc.stderr
    assert not (tmp_path / "out").exists()
