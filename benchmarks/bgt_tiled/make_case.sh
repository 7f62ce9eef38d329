#!/usr/bin/env bash
# Builds the real tiled-BGT case: the real Otterlo BGT (current objects, 3 x 3 km) copied on a
# 9 x 9 grid at 3 km offsets, one 3 x 3 km area per copy (81 areas, 27 x 27 km), and its
# landel.toml: element layers begroeidterreindeel, waterdeel, ondersteunendwaterdeel and the
# hedges and trees of vegetatieobject; masks pand, wegdeel and onbegroeidterreindeel.
# The copies overlap by about 110 m north-south (the download is 3.11 km tall): a copy's edge
# lies in the area of its northern neighbour, as real data continues past an area's edge.
#
# Usage: benchmarks/bgt_tiled/make_case.sh [CASE_DIR] [N]   (default build/bench-bgt-tiled, N=9)
# Needs the shared real data (LANDEL_REAL_DATA, default ../shared/data/real beside the
# repository); exits 77 (skip) without it. Takes a few seconds. Never committed.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
case_dir=${1:-$repo/build/bench-bgt-tiled}
n=${2:-9}
real=${LANDEL_REAL_DATA:-$repo/../shared/data/real}
src=$real/otterlo-bgt/otterlo_bgt_current.gpkg
if [[ ! -f $src ]]; then
    echo "make_case: $src not found; skipping (set LANDEL_REAL_DATA)" >&2
    exit 77
fi
mkdir -p "$case_dir"
out=$case_dir/otterlo_tiled.part.gpkg
rm -f "$out"

step=3000
# Copies k = 0 .. n*n-1 at (k % n, k / n) * 3 km, generated in SQL (SQLite dialect).
copies="WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < $((n * n - 1)))"
shift_geom="ST_Translate(l.geom, (k.n % $n) * $step.0, (k.n / $n) * $step.0, 0)"

copy_layer() {  # layer, output name, extra columns
    local layer=$1 name=$2 columns=$3
    ogr2ogr -f GPKG -append "$out" "$src" -nln "$name" -dialect SQLite -sql \
        "$copies SELECT $shift_geom AS geom, k.n AS copy$columns FROM \"$layer\" l, k" \
        -nlt PROMOTE_TO_MULTI
}
copy_layer begroeidterreindeel begroeidterreindeel \
    ', l.class AS class, l."plus-fysiekVoorkomen" AS "plus-fysiekVoorkomen"'
copy_layer waterdeel waterdeel ', l.class AS class'
copy_layer ondersteunendwaterdeel ondersteunendwaterdeel ', l.class AS class'
copy_layer vegetatieobject_haag haag ''
copy_layer vegetatieobject_boom boom ''
copy_layer pand pand ''
copy_layer wegdeel wegdeel ''
copy_layer onbegroeidterreindeel onbegroeidterreindeel ''

# One 3 x 3 km area per copy, covering the copy's 3 x 3 km (x 179500-182500, y 455550-458550).
ogr2ogr -f GPKG -append "$out" "$src" -nln areas -nlt POLYGON -dialect SQLite -sql \
    "$copies SELECT BuildMbr(179500.0 + (n % $n) * $step, 455550.0 + (n / $n) * $step,
                            182500.0 + (n % $n) * $step, 458550.0 + (n / $n) * $step, 28992)
            AS geom, printf('T%02d_%02d', n % $n, n / $n) AS code FROM k"
mv "$out" "$case_dir/otterlo_tiled.gpkg"

cat > "$case_dir/landel.toml" <<'TOML'
# Real tiled-BGT benchmark case made by benchmarks/bgt_tiled/make_case.sh: the Otterlo BGT
# (PDOK, CC0) copied on a grid, one area per copy. The mapping follows data/presets/bgt.toml.
[run]
name = "Otterlo BGT tiled"
crs = "EPSG:28992"
measurement_year = 2020
output = "out"

[areas]
method = "given"

[[areas.layers]]
path = "otterlo_tiled.gpkg"
layer = "areas"
id_field = "code"

[[rural.exclude]]
path = "otterlo_tiled.gpkg"
layer = "pand"
name = "built"

[[rural.exclude]]
path = "otterlo_tiled.gpkg"
layer = "wegdeel"
name = "roads"

[[rural.exclude]]
path = "otterlo_tiled.gpkg"
layer = "onbegroeidterreindeel"
name = "unvegetated"

[[elements]]
path = "otterlo_tiled.gpkg"
layer = "begroeidterreindeel"
where = "class = 'houtwal'"
type = "wooded_bank"

[[elements]]
path = "otterlo_tiled.gpkg"
layer = "begroeidterreindeel"
where = "class IN ('loofbos', 'gemengd bos', 'naaldbos', 'struiken')"
type = "small_wood"
max_patch_ha = 1.5

[[elements]]
path = "otterlo_tiled.gpkg"
layer = "begroeidterreindeel"
where = "class = 'fruitteelt'"
type = "orchard"

[[elements]]
path = "otterlo_tiled.gpkg"
layer = "begroeidterreindeel"
where = "class = 'groenvoorziening' AND \"plus-fysiekVoorkomen\" IN ('bosplantsoen', 'heesters', 'struikrozen')"
type = "thorn_hedge"

[[elements]]
path = "otterlo_tiled.gpkg"
layer = "waterdeel"
where = "class = 'watervlakte'"
type = "pond"
max_patch_ha = 0.5

[[elements]]
path = "otterlo_tiled.gpkg"
layer = "ondersteunendwaterdeel"
type = "natural_bank"

[[elements]]
path = "otterlo_tiled.gpkg"
layer = "haag"
type = "hedge"
width_m = 1.5

[[elements]]
path = "otterlo_tiled.gpkg"
layer = "boom"
type = "solitary_tree"
width_m = 8

[types]
order = ["pond", "small_wood", "wooded_bank", "orchard", "thorn_hedge", "hedge",
         "solitary_tree", "natural_bank"]

[[targets.milestone]]
year = 2030
share = 0.05

[[targets.milestone]]
year = 2050
share = 0.10
TOML
echo "make_case: $case_dir ($((n * n)) areas)" >&2
