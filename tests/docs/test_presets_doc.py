"""docs/presets.md tables data/presets/bgt.toml exactly.

Every element row (id, layer, filter, type, width/size rule, option, source), every option
(name, default, about, source), every layer (file, GFS template, GeoPackage names) and every
rural-land part of the preset is a row of the matching table in docs/presets.md, in the file's
order and with the file's text; the type order and the coverage layers are named in the prose.
A change to the preset without the doc (or the other way round) fails here, naming the row.
Run with ``/usr/bin/python3 -m pytest -q -p no:cacheprovider tests/docs``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Dict, List

ROOT = Path(__file__).resolve().parents[2]
PRESET = ROOT / "data" / "presets" / "bgt.toml"
DOC = ROOT / "docs" / "presets.md"
NONE = "—"


def preset() -> dict:
    with open(PRESET, "rb") as fh:
        return tomllib.load(fh)


def cell(text: str) -> str:
    """A table cell's text, without the backticks of a cell that is one code span."""
    text = text.strip()
    if len(text) > 1 and text.startswith("`") and text.endswith("`") and text.count("`") == 2:
        return text[1:-1]
    return text


def tables(path: Path) -> Dict[str, List[List[str]]]:
    """Every Markdown table of @p path by its header line (cells joined by ' | ')."""
    out: Dict[str, List[List[str]]] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and lines[i + 1].startswith("| ---"):
            header = " | ".join(c.strip() for c in lines[i].strip().strip("|").split("|"))
            rows = []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append([cell(c) for c in lines[i].strip()[1:-1].split("|")])
                i += 1
            out[header] = rows
        else:
            i += 1
    return out


def section(path: Path, heading: str) -> str:
    text = path.read_text(encoding="utf-8")
    start = text.index(heading)
    end = text.find("\n#", start + len(heading))
    return text[start:] if end < 0 else text[start:end]


def value(v) -> str:
    """An option default as the doc writes it: true/false, or the number as TOML reads it."""
    return ("true" if v else "false") if isinstance(v, bool) else repr(v)


def rule(row: dict, options: dict) -> str:
    """The width / size rule cell of an element row."""
    parts = []
    for key, unit in (("max_patch_ha", "ha"), ("width_m", "m")):
        if key in row:
            v = row[key]
            if isinstance(v, str):
                parts.append(f"`{key}` = option `{v}` ({value(options[v]['default'])} {unit})")
            else:
                parts.append(f"`{key}` = {value(v)}")
    return "; ".join(parts) or NONE


def table(header: str) -> List[List[str]]:
    found = tables(DOC)
    assert header in found, f"docs/presets.md has no table with the header '| {header} |'"
    return found[header]


def test_every_element_row_is_tabled_as_in_the_preset():
    p = preset()
    rows = table("id | layer | filter (`where`) | landel type | width / size rule | only when | "
                 "source")
    expected = [[e["id"], e["layer"], e.get("where", NONE), e["type"], rule(e, p["options"]),
                 e.get("when", NONE), e["source"]] for e in p["elements"]]
    assert [r[0] for r in rows] == [e[0] for e in expected], "element ids or their order differ"
    for got, want in zip(rows, expected):
        assert got == want, f"element row '{want[0]}': docs {got} != preset {want}"


def test_every_option_is_tabled_with_its_default():
    p = preset()
    rows = table("option | default | what it does | source")
    expected = [[name, value(o["default"]), o["about"], o["source"]]
                for name, o in p["options"].items()]
    assert [r[0] for r in rows] == [e[0] for e in expected], "option names or their order differ"
    for got, want in zip(rows, expected):
        assert got == want, f"option '{want[0]}': docs {got} != preset {want}"


def test_every_layer_is_tabled():
    rows = table("id | file | GFS template | GeoPackage layer names")
    expected = [[lid, l["file"], l["gfs"], ", ".join(f"`{n}`" for n in l["names"])]
                for lid, l in preset()["layers"].items()]
    assert rows == expected


def test_every_rural_part_is_tabled():
    rural = preset()["rural"]
    rows = table("part | layer | filter (`where`) | source")
    expected = [[part, r["layer"], r.get("where", NONE), r["source"]]
                for part in ("built_up", "roads", "water") for r in rural[part]]
    woods = rural["large_woods"]
    expected.append(["large_woods", f"element `{woods['element']}`", NONE, woods["source"]])
    assert rows == expected


def test_type_order_and_coverage_are_named():
    p = preset()
    rows_text = section(DOC, "### Element rows")
    order = rows_text[rows_text.index("owns the overlap:"):]
    order = order[:order.index(".")]
    assert re.findall(r"`([a-z_]+)`", order) == p["types"]["order"]
    coverage = section(DOC, "### The coverage check")
    named = re.findall(r"`([a-z]+)`", coverage[:coverage.index("filtered by")])
    assert named == [c["layer"] for c in p["coverage"]]
    assert f"`{p['coverage_rule']['where']}`" in coverage
    assert f"`min_share = {p['coverage_rule']['min_share']}`" in coverage
