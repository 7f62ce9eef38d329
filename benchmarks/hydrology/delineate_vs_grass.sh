#!/usr/bin/env bash
# Whole `landel delineate` (catchments written to areas.gpkg) against GRASS GIS
# `r.watershed -s` (D8 basins, a raster) on one real DEM, in one run, alternating, so that both
# meet the same machine state. The issue's acceptance case: the real AHN 5 m DTM of
# Winterswijk (2,000 x 2,500 cells), streams from 50 ha.
#
# Usage: benchmarks/hydrology/delineate_vs_grass.sh [DEM] [MIN_HA] [OUT_DIR]
#   DEM      default ../shared/data/real/achterhoek-wrij-ahn/derived/dtm_5m_filled_m.tif
#            (relative to the repository; any single-band DEM in a metric CRS)
#   MIN_HA   stream threshold in hectares (default 50); GRASS gets MIN_HA * 1e4 / cell area
#   OUT_DIR  default build-bench/hydrology-delineate
# Env:   LANDEL   the landel binary (default build/bin/landel)
#        RUNS     timed runs of each tool (default 5); THREADS for landel (default 2)
#        MIN_AREA_HA  landel's areas.min_area_ha (default 2)
# Writes OUT_DIR/results.txt: each run's wall time and peak memory (/usr/bin/time), the
# median of each tool and their ratio, the date and the commands.
#
# landel's time is the whole command: read, fill, flow directions with drained flats,
# accumulation, link basins, merging of small basins, polygons along cell edges and the
# GeoPackage. r.watershed's is its own run on the DEM linked with r.external (its read of the
# GeoTIFF is in its time; the link is made once, untimed), writing its basin raster into the
# GRASS database.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
dem=${1:-$repo/../shared/data/real/achterhoek-wrij-ahn/derived/dtm_5m_filled_m.tif}
min_ha=${2:-50}
out=${3:-$repo/build-bench/hydrology-delineate}
landel=${LANDEL:-$repo/build/bin/landel}
runs=${RUNS:-5}
threads=${THREADS:-2}
min_area_ha=${MIN_AREA_HA:-2}
py=/usr/bin/python3

die() { echo "delineate_vs_grass: $*" >&2; exit 1; }

[[ -f $dem ]] || die "no DEM at $dem"
[[ -x $landel ]] || die "no landel binary at $landel (bash scripts/build.sh)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (bash scripts/install-deps.sh --with-bench)"
command -v grass > /dev/null || die "GRASS GIS is missing (bash scripts/install-deps.sh --with-bench)"

mkdir -p "$out"
dem=$(cd "$(dirname "$dem")" && pwd)/$(basename "$dem")
read -r cols rows cell_m2 epsg < <($py -c "from osgeo import gdal, osr; d = gdal.Open('$dem'); \
g = d.GetGeoTransform(); s = osr.SpatialReference(d.GetProjection()); s.AutoIdentifyEPSG(); \
print(d.RasterXSize, d.RasterYSize, abs(g[1] * g[5]), s.GetAuthorityCode(None) or '')")
[[ -n $epsg ]] || die "$dem: its CRS has no EPSG code"
threshold=$($py -c "print(round($min_ha * 1e4 / $cell_m2))")

cat > "$out/delineate.toml" << EOF
# Written by benchmarks/hydrology/delineate_vs_grass.sh
[run]
name = "catchments benchmark"
crs = "EPSG:$epsg"
measurement_year = 2024
output = "areas"

[areas]
method = "catchments"
min_area_ha = $min_area_ha

[areas.dem]
path = "$dem"
min_catchment_ha = $min_ha
basins = "links"
EOF

loc=$out/grass-loc
rm -rf "$loc"
grass -c "$dem" -e "$loc" > "$out/grass.log" 2>&1 || die "creating the GRASS location failed (see $out/grass.log)"
grass "$loc/PERMANENT" --exec r.external input="$dem" output=dem >> "$out/grass.log" 2>&1 \
    || die "r.external failed (see $out/grass.log)"

# wall seconds and peak MiB from a /usr/bin/time -f "%e %M" file
landel_runs=() grass_runs=()
for ((k = 1; k <= runs; ++k)); do
    /usr/bin/time -f "%e %M" -o "$out/landel.time" "$landel" delineate "$out/delineate.toml" \
        --out "$out/areas" --overwrite --quiet --threads "$threads" > "$out/landel.log" 2>&1 \
        || die "landel delineate failed (see $out/landel.log)"
    landel_runs+=("$(cat "$out/landel.time")")
    grass "$loc/PERMANENT" --exec /usr/bin/time -f "%e %M" -o "$out/grass.time" \
        r.watershed -s --overwrite elevation=dem threshold="$threshold" basin=basins \
        >> "$out/grass.log" 2>&1 || die "r.watershed failed (see $out/grass.log)"
    grass_runs+=("$(tail -n 1 "$out/grass.time")")
    echo "delineate_vs_grass: run $k: landel ${landel_runs[-1]%% *} s, r.watershed ${grass_runs[-1]%% *} s" >&2
done
areas=$($py -c "from osgeo import ogr; d = ogr.Open('$out/areas/areas.gpkg'); print(d.GetLayer(0).GetFeatureCount())")
basins=$(grass "$loc/PERMANENT" --exec r.stats -n basins 2> /dev/null | grep -c -E '^-?[0-9]+$')

$py - "$dem" "$cols" "$rows" "$min_ha" "$threshold" "$threads" "$areas" "$basins" \
    "$(grass --version 2>&1 | sed -n 1p)" "$(git -C "$repo" rev-parse --short HEAD 2> /dev/null)" \
    "${landel_runs[*]}" "${grass_runs[*]}" << 'EOF' | tee "$out/results.txt"
import datetime, os, statistics, sys
dem, cols, rows, min_ha, threshold, threads, areas, basins, grass, head, lr, gr = sys.argv[1:13]
def runs(s):
    v = s.split()
    return [(float(v[k]), int(v[k + 1]) / 1024) for k in range(0, len(v), 2)]
landel, grass_runs = runs(lr), runs(gr)
ml = statistics.median(t for t, _ in landel)
mg = statistics.median(t for t, _ in grass_runs)
print(f"{datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, landel {head}, {os.path.basename(dem)} "
      f"({cols} x {rows} cells), streams from {min_ha} ha ({threshold} cells)")
print(f"landel delineate --threads {threads}: " + ", ".join(f"{t:.2f} s" for t, _ in landel)
      + f"; median {ml:.2f} s, peak {max(m for _, m in landel):.0f} MiB, {areas} areas")
print(f"{grass} r.watershed -s: " + ", ".join(f"{t:.2f} s" for t, _ in grass_runs)
      + f"; median {mg:.2f} s, peak {max(m for _, m in grass_runs):.0f} MiB, {basins} basins")
print(f"ratio (r.watershed / landel, medians): {mg / ml:.2f}")
EOF
