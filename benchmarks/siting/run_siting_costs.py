#!/usr/bin/python3
"""What field corners and connected line ends cost ([siting], docs/siting.md), on the real
Otterlo BGT: the four 1 km tiles of tests/integration/test_siting_otterlo.py with the BGT
preset, the custom denominator, [siting] defaults and [bid.potential] without a path (the
agricultural land as parcels). Needs ../shared/data/real (or --real DIR).

Runs `landel run --no-maps --threads 1` alternately --repeat times (default 3) each:
- with field corners (the default corner_types), with the corner types of before orchards and
  solitary trees were sited (`corner_types = ["pond", "small_wood"]`) and without
  (`corner_types = []`): the `siting` stage of summary.json;
- with [siting] and without: the `measure.*` stages (the line ends are counted while
  measuring; the rest of measuring is the same).
Prints the medians and ranges, and the candidates and chosen sites of the corner run:

    /usr/bin/python3 benchmarks/siting/run_siting_costs.py [--landel build/bin/landel]
"""

import argparse
import csv
import json
import statistics
import subprocess
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TILES = {f"T{i}{j}": (180130 + 1000 * i, 456010 + 1000 * j, 181130 + 1000 * i, 457010 + 1000 * j)
         for i in range(2) for j in range(2)}


def write_case(folder, real):
    from osgeo import ogr, osr
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(28992)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(folder / "areas.gpkg"))
    layer = ds.CreateLayer("areas", srs, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("id", ogr.OFTString))
    for key, (x0, y0, x1, y1) in TILES.items():
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetField("id", key)
        f.SetGeometry(ogr.CreateGeometryFromWkt(
            f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"))
        layer.CreateFeature(f)
    ds = None
    base = f"""[run]
crs = "EPSG:28992"
measurement_year = 2020
[areas]
[[areas.layers]]
path = "areas.gpkg"
id_field = "id"
[dataset]
preset = "bgt"
path = "{real / 'otterlo-bgt/otterlo_bgt_2020-08-05.zip'}"
[rural]
definition = "custom"
"""
    configs = {
        "corners": base + "[siting]\n[bid.potential]\n",
        "ponds and woods": base + '[siting]\ncorner_types = ["pond", "small_wood"]\n[bid.potential]\n',
        "no corners": base + "[siting]\ncorner_types = []\n[bid.potential]\n",
        "no siting": base,
    }
    for name, text in configs.items():
        (folder / f"{name.replace(' ', '_')}.toml").write_text(text, encoding="utf-8")
    return configs


def run(landel, folder, name):
    out = folder / f"out_{name.replace(' ', '_')}"
    subprocess.run([landel, "run", str(folder / f"{name.replace(' ', '_')}.toml"), "--out", str(out),
                    "--no-maps", "--threads", "1", "--quiet", "--overwrite"], check=True)
    timings = json.loads((out / "summary.json").read_text(encoding="utf-8"))["timings_s"]
    return out, timings


def spread(values):
    return f"{statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--landel", default=str(REPO / "build/bin/landel"))
    ap.add_argument("--real", default=str(REPO.parent / "shared/data/real"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    real = Path(args.real)
    if not (real / "otterlo-bgt").exists():
        raise SystemExit(f"no real Otterlo data in {real}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        configs = write_case(folder, real)
        times = {name: [] for name in configs}
        outs = {}
        for _ in range(args.repeat):
            for name in configs:
                outs[name], timings = run(args.landel, folder, name)
                key = "siting" if name != "no siting" else None
                siting = timings.get("siting", 0.0) if key else 0.0
                measure = sum(v for k, v in timings.items() if k.startswith("measure."))
                times[name].append((siting, measure))
        for name in configs:
            print(f"{name:15}  siting stage {spread([s for s, _ in times[name]])}"
                  f"  measure.* {spread([m for _, m in times[name]])}")
        with open(outs["corners"] / "area_bid.csv", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        for key in ("candidate_sites", "candidate_corners", "sited_corners", "line_ends",
                    "connected_ends"):
            print(f"{key}: {sum(int(r[key] or 0) for r in rows)}")


if __name__ == "__main__":
    main()
