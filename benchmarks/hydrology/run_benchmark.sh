#!/usr/bin/env bash
# Times catchment delineation on a 20,000 x 20,000 synthetic DEM (400 million cells of 5 m):
# landel's chain (bench_catchments: read, fill_depressions, flow_directions, flow_accumulation,
# delineate_basins) at 1 and 2 threads, and GRASS GIS r.watershed -s (D8) with the same stream
# threshold, when GRASS is installed.
#
# Usage: benchmarks/hydrology/run_benchmark.sh [CASE_DIR]   (default: build-bench/hydrology-case)
# Env:   BENCH_CATCHMENTS  bench_catchments binary (default: build/bin/bench_catchments, else
#                          build-bench/build/bin/bench_catchments, built there when missing)
#        SIZE, SEED        DEM size in cells per side and seed for make_dem.py (20000, 42)
#        MIN_HA            stream threshold in hectares (default 200: 80,000 cells of 25 m2)
#        THREADS           thread counts of the in-memory runs (default "1 2"; "" for none)
#        TILED             a tile side: also run the chain out of memory (bench_catchments
#                          --tiled TILED --memory-mb MEMORY_MB, 2 threads, scratch files in
#                          CASE_DIR/scratch) and compare its labels with the in-memory run's
#        MEMORY_MB         the tiled run's budget (default 2048)
#        GRASS_FLAGS       r.watershed flags (default -s; "-s -m" for its segmented, disk mode)
#        GRASS_MEMORY      r.watershed memory= in MiB (with -m: its segment cache)
#        GRASS_TIMEOUT     seconds after which r.watershed is stopped (default 3600)
#        SKIP_GRASS=1      do not run GRASS; REUSE_GRASS=1 keep an earlier grass run's results
# Writes everything to CASE_DIR/results/: results.txt (the table), the /usr/bin/time reports
# (*.time), each tool's stdout (*.out) and stderr (*.log), and the GRASS location (grass-loc/).
# The runs go one after another, never side by side (each takes up to ~13 GB here).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
case_dir=${1:-$repo/build-bench/hydrology-case}
size=${SIZE:-20000}
seed=${SEED:-42}
min_ha=${MIN_HA:-200}
grass_flags=${GRASS_FLAGS:--s}
grass_timeout=${GRASS_TIMEOUT:-3600}
results=$case_dir/results
dem=$case_dir/dem.tif
py=/usr/bin/python3

die() { echo "run_benchmark: $*" >&2; exit 1; }

[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time)"

# bench_catchments: given, in the main build, or built in build-bench/build (Release, with
# LANDEL_BUILD_BENCHMARKS=ON, which is what adds benchmarks/hydrology).
bench=${BENCH_CATCHMENTS:-}
if [[ -z $bench ]]; then
    for b in "$repo/build/bin/bench_catchments" "$repo/build-bench/build/bin/bench_catchments"; do
        [[ -x $b ]] && { bench=$b; break; }
    done
fi
if [[ -z $bench ]]; then
    echo "run_benchmark: building bench_catchments in build-bench/build" >&2
    cmake -S "$repo" -B "$repo/build-bench/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DLANDEL_BUILD_BENCHMARKS=ON -DLANDEL_BUILD_TESTS=OFF -DLANDEL_BUILD_CLI=OFF > /dev/null \
        && cmake --build "$repo/build-bench/build" --target bench_catchments > /dev/null \
        || die "building bench_catchments failed"
    bench=$repo/build-bench/build/bin/bench_catchments
fi

mkdir -p "$case_dir" "$results"
if [[ ! -f $dem ]]; then
    echo "run_benchmark: generating $dem ($size x $size cells, seed $seed)" >&2
    $py "$here/make_dem.py" "$dem.tmp" --size "$size" --seed "$seed" && mv "$dem.tmp" "$dem" \
        || die "generating the DEM failed"
fi
read -r cols rows cell_m2 < <($py -c "from osgeo import gdal; d = gdal.Open('$dem'); \
g = d.GetGeoTransform(); print(d.RasterXSize, d.RasterYSize, abs(g[1] * g[5]))")
cells=$((cols * rows))
threshold=$($py -c "print(round($min_ha * 1e4 / $cell_m2))")

# shellcheck source=../time_report.sh
source "$here/../time_report.sh"
cpu_pct() { awk -F': ' '/Percent of CPU/ {print $2}' "$1"; }
# A key=value from bench_catchments' "result" line.
result_of() { awk -v k="$2" '/^result / {for (i = 2; i <= NF; i++) {split($i, kv, "=");
              if (kv[1] == k) print kv[2]}}' "$1"; }

rows_out=()     # "label|threads|wall|peak|basins|cpu"
failures=()

# timed NAME CMD...: CMD under /usr/bin/time -v, stdout to NAME.out, stderr to NAME.log.
timed() {
    local name=$1
    shift
    /usr/bin/time -v -o "$results/$name.time" "$@" > "$results/$name.out" 2> "$results/$name.log"
}

# Warm the page cache, so that neither tool pays for the first read from disk.
cat "$dem" > /dev/null

labels_args=()
[[ -n ${TILED:-} ]] && labels_args=(--labels-out "$results/labels_memory.tif")
for t in ${THREADS-1 2}; do
    echo "run_benchmark: bench_catchments, $t thread(s), threshold $threshold cells" >&2
    if timed "landel_$t" "$bench" "$dem" --threshold-cells "$threshold" --basins links --threads "$t" \
        "${labels_args[@]}"
    then
        basins="$(result_of "$results/landel_$t.out" basins) ($(result_of "$results/landel_$t.out" stream_basins) with a stream)"
        rows_out+=("landel (bench_catchments)|$t|$(wall_seconds "$results/landel_$t.time")|$(peak_mib "$results/landel_$t.time")|$basins|$(cpu_pct "$results/landel_$t.time")")
    else
        why=$(grep -v -E '^\s*$|^Command (exited|terminated)' "$results/landel_$t.log" | head -n 1)
        rows_out+=("landel (bench_catchments)|$t|FAILED|-|-|-")
        failures+=("landel $t thread(s): ${why:-?} (see $results/landel_$t.log)")
    fi
done

if [[ -n ${TILED:-} ]]; then
    memory_mb=${MEMORY_MB:-2048}
    mkdir -p "$case_dir/scratch"
    echo "run_benchmark: bench_catchments --tiled $TILED --memory-mb $memory_mb, 2 threads" >&2
    if timed landel_tiled "$bench" "$dem" --threshold-cells "$threshold" --basins links --threads 2 \
        --tiled "$TILED" --memory-mb "$memory_mb" --scratch "$case_dir/scratch" \
        --labels-out "$results/labels_tiled.tif"
    then
        same=
        if [[ -f $results/labels_memory.tif ]]; then
            same=$($py "$here/compare_labels.py" "$results/labels_memory.tif" "$results/labels_tiled.tif")
        fi
        rows_out+=("landel tiled $TILED, memory_mb $memory_mb|2|$(wall_seconds "$results/landel_tiled.time")|$(peak_mib "$results/landel_tiled.time")|$(result_of "$results/landel_tiled.out" basins) ${same}|$(cpu_pct "$results/landel_tiled.time")")
    else
        why=$(grep -v -E '^\s*$|^Command (exited|terminated)' "$results/landel_tiled.log" | head -n 1)
        rows_out+=("landel tiled $TILED|2|FAILED|-|-|-")
        failures+=("landel tiled: ${why:-?} (see $results/landel_tiled.log)")
    fi
fi

grass_note=
grass_version=
command -v grass > /dev/null && grass_version=$(grass --version 2>&1 | sed -n 1p)
if [[ ${SKIP_GRASS:-0} == 1 ]]; then
    grass_note="GRASS: skipped (SKIP_GRASS=1)"
elif ! command -v grass > /dev/null; then
    grass_note="GRASS: not installed (apt-get install grass-core), no r.watershed row"
else
    loc=$results/grass-loc
    if [[ ${REUSE_GRASS:-0} == 1 && -f $results/grass_watershed.time ]]; then
        echo "run_benchmark: reusing the earlier GRASS run in $results" >&2
    else
        rm -rf "$loc" "$results"/grass_*
        echo "run_benchmark: GRASS location and r.external link" >&2
        # A throwaway location with the DEM's CRS and grid; the DEM linked, not imported, so
        # r.watershed decodes the same GeoTIFF as landel (its read is in its time).
        grass -c "$dem" -e "$loc" > "$results/grass_location.log" 2>&1 \
            || die "creating the GRASS location failed (see $results/grass_location.log)"
        timed grass_import grass "$loc/PERMANENT" --exec r.external input="$dem" output=dem \
            || die "r.external failed (see $results/grass_import.log)"
        echo "run_benchmark: r.watershed $grass_flags threshold=$threshold (timeout $grass_timeout s)" >&2
        # timeout signals its whole process group: r.watershed and the ram/seg program it runs.
        # /usr/bin/time inside the session, so that only r.watershed is timed.
        grass "$loc/PERMANENT" --exec /usr/bin/time -v -o "$results/grass_watershed.time" \
            timeout "$grass_timeout" r.watershed $grass_flags ${GRASS_MEMORY:+memory=$GRASS_MEMORY} elevation=dem \
            threshold="$threshold" basin=basins \
            > "$results/grass_watershed.out" 2> "$results/grass_watershed.log"
        echo $? > "$results/grass_watershed.status"
        # Distinct basin labels (not timed).
        if [[ $(cat "$results/grass_watershed.status") == 0 ]]; then
            grass "$loc/PERMANENT" --exec r.stats -n basins 2> /dev/null | grep -c -E '^-?[0-9]+$' \
                > "$results/grass_basins.count"
        fi
    fi
    # r.watershed's own exit status (124: stopped by timeout), as /usr/bin/time saw it; the
    # grass launcher's status as a fall-back.
    status=$(awk -F': ' '/Exit status/ {print $2}' "$results/grass_watershed.time" 2> /dev/null)
    [[ -n $status ]] || status=$(cat "$results/grass_watershed.status" 2> /dev/null || echo 1)
    wall=$(wall_seconds "$results/grass_watershed.time")
    if [[ $status == 0 ]]; then
        rows_out+=("GRASS r.watershed $grass_flags|1|$wall|$(peak_mib "$results/grass_watershed.time")|$(cat "$results/grass_basins.count")|$(cpu_pct "$results/grass_watershed.time")")
    elif [[ $status == 124 ]]; then
        rows_out+=("GRASS r.watershed $grass_flags|1|>$grass_timeout (stopped)|$(peak_mib "$results/grass_watershed.time")|-|-")
        grass_note="GRASS: r.watershed stopped after GRASS_TIMEOUT=$grass_timeout s"
    else
        rows_out+=("GRASS r.watershed $grass_flags|1|FAILED|-|-|-")
        failures+=("GRASS r.watershed: exit status $status (see $results/grass_watershed.log)")
    fi
    [[ -f $results/grass_import.time ]] && grass_note="${grass_note:+$grass_note; }GRASS r.external (link; it scans the file for its range; not in the row above): $(wall_seconds "$results/grass_import.time") s"
fi

# ------------------------------------------------------------------------- the table
report() {
    echo "catchment benchmark: $dem"
    echo "  $cols x $rows = $cells cells of $cell_m2 m2, $(du -h "$dem" | cut -f1) on disk;" \
         "streams from $min_ha ha = $threshold cells; basins = links"
    echo "  $(date -u '+%Y-%m-%d %H:%M UTC'); $bench; scripts at" \
         "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?'); $(nproc) cores," \
         "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo);" \
         "GDAL $(gdal-config --version 2>/dev/null || echo '?'); ${grass_version:-no GRASS}"
    echo
    printf '%-36s %7s %12s %9s %8s  %s\n' tool threads "wall s" "peak MiB" "CPU" basins
    local r
    for r in "${rows_out[@]}"; do
        IFS='|' read -r label thr wall peak basins cpu <<< "$r"
        printf '%-36s %7s %12s %9s %8s  %s\n' "$label" "$thr" "$wall" "$peak" "$cpu" "$basins"
    done
    echo "(wall s and peak RSS from /usr/bin/time -v of the whole process, DEM read included;"
    echo " landel's basins include one per edge or hole outlet no stream reaches, GRASS leaves"
    echo " those cells without a basin.)"
    [[ -n $grass_note ]] && echo "$grass_note"
    echo
    for t in 1 2; do
        [[ -f $results/landel_$t.out ]] || continue
        echo "landel --threads $t stages:" $(awk '/^stage=/ {split($1, s, "="); split($2, v, "=");
            split($3, p, "="); printf "%s %s s (peak %s MiB); ", s[2], v[2], p[2]}' "$results/landel_$t.out")
        grep '^result ' "$results/landel_$t.out" | sed 's/^/  /'
    done
    local f status=0
    for f in "${failures[@]}"; do echo "FAILED: $f"; status=1; done
    return $status
}
report 2>&1 | tee "$results/results.txt"
status=${PIPESTATUS[0]}
echo "run_benchmark: results in $results/results.txt" >&2
exit "$status"
