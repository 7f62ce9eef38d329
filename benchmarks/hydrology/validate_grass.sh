#!/usr/bin/env bash
# Checks landel's catchments against GRASS GIS r.watershed -s (D8) on a real DEM, cell by cell:
# both delineate stream-link basins with the same stream threshold (in cells) on the same
# grid, and compare_basins.py scores how well the two partitions match (area-weighted
# best-match IoU, in both directions, over the cells that have a basin in both).
#
# Usage: benchmarks/hydrology/validate_grass.sh [DEM] [MIN_HA] [OUT_DIR]
#   DEM      default ../shared/data/real/delft3dfmpy-nl/oisterwijk-dommel/dommel_25m.tif
#            (relative to the repository)
#   MIN_HA   stream threshold in hectares (default 100); cells = MIN_HA * 1e4 / cell area
#   OUT_DIR  default build-bench/hydrology-validate
# Env:   BENCH_CATCHMENTS  bench_catchments binary (found or built as run_benchmark.sh does)
# Writes OUT_DIR/landel_labels.tif, grass_basins.tif, compare.json and results.txt.
#
# Agreement, not identity, is expected: landel fills depressions (priority-flood) and drains
# the flats (Barnes et al. 2014); r.watershed routes through depressions with an A* search
# from the edges and breaks ties its own way.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
dem=${1:-$repo/../shared/data/real/delft3dfmpy-nl/oisterwijk-dommel/dommel_25m.tif}
min_ha=${2:-100}
out=${3:-$repo/build-bench/hydrology-validate}
py=/usr/bin/python3

die() { echo "validate_grass: $*" >&2; exit 1; }

[[ -f $dem ]] || die "no DEM at $dem"
command -v grass > /dev/null || die "GRASS GIS is not installed (apt-get install grass-core)"
bench=${BENCH_CATCHMENTS:-}
if [[ -z $bench ]]; then
    for b in "$repo/build/bin/bench_catchments" "$repo/build-bench/build/bin/bench_catchments"; do
        [[ -x $b ]] && { bench=$b; break; }
    done
fi
if [[ -z $bench ]]; then
    echo "validate_grass: building bench_catchments in build-bench/build" >&2
    cmake -S "$repo" -B "$repo/build-bench/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DLANDEL_BUILD_BENCHMARKS=ON -DLANDEL_BUILD_TESTS=OFF -DLANDEL_BUILD_CLI=OFF > /dev/null \
        && cmake --build "$repo/build-bench/build" --target bench_catchments > /dev/null \
        || die "building bench_catchments failed"
    bench=$repo/build-bench/build/bin/bench_catchments
fi

mkdir -p "$out"
dem=$(cd "$(dirname "$dem")" && pwd)/$(basename "$dem")
read -r cols rows cell_m2 < <($py -c "from osgeo import gdal; d = gdal.Open('$dem'); \
g = d.GetGeoTransform(); print(d.RasterXSize, d.RasterYSize, abs(g[1] * g[5]))")
threshold=$($py -c "print(round($min_ha * 1e4 / $cell_m2))")
echo "validate_grass: $dem, $cols x $rows cells of $cell_m2 m2, streams from $min_ha ha = $threshold cells" >&2

"$bench" "$dem" --threshold-cells "$threshold" --basins links --labels-out "$out/landel_labels.tif" \
    > "$out/landel.out" 2> "$out/landel.log" || die "bench_catchments failed (see $out/landel.log)"

loc=$out/grass-loc
rm -rf "$loc" "$out/grass_basins.tif"
grass -c "$dem" -e "$loc" > "$out/grass.log" 2>&1 || die "creating the GRASS location failed (see $out/grass.log)"
{
    grass "$loc/PERMANENT" --exec r.in.gdal input="$dem" output=dem \
    && grass "$loc/PERMANENT" --exec r.watershed -s elevation=dem threshold="$threshold" basin=basins \
    && grass "$loc/PERMANENT" --exec r.out.gdal input=basins output="$out/grass_basins.tif" \
        format=GTiff type=Int32 createopt=COMPRESS=DEFLATE
} >> "$out/grass.log" 2>&1 || die "GRASS failed (see $out/grass.log)"

$py "$here/compare_basins.py" "$out/landel_labels.tif" "$out/grass_basins.tif" \
    --json "$out/compare.json" > "$out/compare.txt" || die "compare_basins.py failed"

# One paragraph, from the JSON.
$py - "$out/compare.json" "$dem" "$min_ha" "$threshold" "$(grass --version 2>&1 | head -n 1)" \
    "$(grep '^result ' "$out/landel.out")" <<'EOF' | tee "$out/results.txt"
import json, os, sys, textwrap
c = json.load(open(sys.argv[1]))
dem, min_ha, threshold, grass, result = sys.argv[2:7]
stream_basins = dict(kv.split("=") for kv in result.split()[1:]).get("stream_basins", "?")
text = (
    f"On {os.path.basename(dem)} ({c['cells']} cells of {c['cell_ha'] * 1e4:g} m2) with streams "
    f"from {min_ha} ha ({threshold} cells), landel's link basins and {grass} r.watershed -s "
    f"basins agree with an area-weighted best-match IoU of {c['iou_grass_reference']:.3f} taking "
    f"each GRASS basin against its best landel basin, and {c['iou_landel_reference']:.3f} the "
    f"other way round, over the {c['common_cells']} cells that have a basin in both. landel makes "
    f"{c['landel_basins']} basins ({stream_basins} of them on a stream; the others are the small "
    f"basins of edge and hole outlets no stream reaches, {c['landel_only_cells']} cells to which "
    f"GRASS gives no basin), GRASS {c['grass_basins']}. Of the area, "
    f"{100 * c['grass_area_iou_ge_0.5']:.0f}% (GRASS basins) and "
    f"{100 * c['landel_area_iou_ge_0.5']:.0f}% (landel basins) lies in basins matched with an IoU "
    f"of at least 0.5, {100 * c['grass_area_iou_ge_0.8']:.0f}% and "
    f"{100 * c['landel_area_iou_ge_0.8']:.0f}% with at least 0.8. Agreement, not identity, is "
    f"expected: landel fills depressions and drains flats, GRASS routes through depressions "
    f"(A* search) and resolves flats its own way.")
print(textwrap.fill(text, 96))
EOF
echo "validate_grass: results in $out/results.txt" >&2
