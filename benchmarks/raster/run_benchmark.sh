#!/usr/bin/env bash
# Times raster measurement on the 1.6-billion-cell case: the I/O floor (decode every block,
# nothing else), `landel run` at 1 and 2 threads, the rasterize + bincount baseline and,
# when EXACTEXTRACT is set, the exactextract CLI; then compares their per-area numbers.
#
# Usage: benchmarks/raster/run_benchmark.sh [CASE_DIR]   (default: build-bench/raster-case)
# Env:   LANDEL_BIN      landel binary (default: build/bin/landel)
#        EXACTEXTRACT    path to an exactextract CLI binary (optional)
#        REUSE_BASELINE=1  keep an earlier baseline result in CASE_DIR/results
# Writes everything to CASE_DIR/results/: results.txt (the table and the comparison),
# the /usr/bin/time reports (*.time), each tool's stderr (*.log) and outputs.
# A tool that fails (e.g. a landel without raster support) is reported as FAILED in the
# table with the first line of its error, and the other tools still run.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
case_dir=${1:-$repo/build-bench/raster-case}
landel=${LANDEL_BIN:-$repo/build/bin/landel}
results=$case_dir/results
py=/usr/bin/python3

die() { echo "run_benchmark: $*" >&2; exit 1; }

[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time)"
if [[ ! -f $case_dir/landcover.tif || ! -f $case_dir/areas.gpkg || ! -f $case_dir/landel.toml ]]
then
    echo "run_benchmark: generating the case in $case_dir" >&2
    "$here/make_case.sh" "$case_dir" || die "generating the case failed"
fi
mkdir -p "$results"
raster=$case_dir/landcover.tif
cells=$($py -c "from osgeo import gdal; d = gdal.Open('$raster'); print(d.RasterXSize * d.RasterYSize)")
nareas=$($py -c "from osgeo import ogr; ds = ogr.Open('$case_dir/areas.gpkg'); print(ds.GetLayer(0).GetFeatureCount())")

# shellcheck source=../time_report.sh
source "$here/../time_report.sh"

# One table row per timed command: "label threads status wall_s peak_mib".
rows=()
failures=()

# timed LABEL THREADS NAME CMD...: runs CMD under /usr/bin/time -v, stdout to NAME.out,
# stderr to NAME.log; records a row (FAILED plus the first error line when it fails).
timed() {
    local label=$1 threads=$2 name=$3
    shift 3
    echo "run_benchmark: $label ($threads thread(s))" >&2
    if /usr/bin/time -v -o "$results/$name.time" "$@" > "$results/$name.out" \
            2> "$results/$name.log"; then
        rows+=("$label|$threads|ok|$(wall_seconds "$results/$name.time")|$(peak_mib "$results/$name.time")")
        return 0
    fi
    local why
    why=$(grep -v -E '^\s*$|^Command exited' "$results/$name.log" | head -n 1)
    rows+=("$label|$threads|FAILED|-|-")
    failures+=("$label ($threads thread(s)): ${why:-exit status $?} (see $results/$name.log)")
    echo "run_benchmark: $label failed: ${why:-?}" >&2
    return 1
}

# The I/O floor in C when a compiler and gdal-config are at hand (Python's per-block call
# overhead is ~15% of the decode time here), else io_floor.py alone.
floor_bin=
if command -v cc > /dev/null && command -v gdal-config > /dev/null; then
    if cc -O2 -o "$results/io_floor" "$here/io_floor.c" $(gdal-config --cflags) \
            $(gdal-config --libs) -lpthread 2> "$results/io_floor.build.log"; then
        floor_bin=$results/io_floor
    else
        echo "run_benchmark: could not build io_floor.c, using io_floor.py only" >&2
    fi
fi
# Warm the page cache first, so that no tool pays for the first read from disk.
cat "$raster" > /dev/null
for t in 1 2; do
    if [[ -n $floor_bin ]]; then
        timed "io floor (C)" "$t" "floor_c_$t" "$floor_bin" "$raster" "$t"
    fi
    timed "io floor (Python)" "$t" "floor_py_$t" $py "$here/io_floor.py" "$raster" --threads "$t"
done

landel_ok=()
if [[ -x $landel ]]; then
    for t in 1 2; do
        rm -rf "$results/landel-out-$t"
        if timed "landel run" "$t" "landel_$t" "$landel" run "$case_dir/landel.toml" \
                --out "$results/landel-out-$t" --overwrite --quiet --threads "$t"; then
            landel_ok+=("$t")
        fi
    done
else
    rows+=("landel run|1|FAILED|-|-")
    failures+=("landel run: no binary at $landel (build it, or set LANDEL_BIN)")
fi

if [[ ${REUSE_BASELINE:-0} == 1 && -f $results/baseline.csv && -f $results/baseline.time ]]
then
    echo "run_benchmark: reusing $results/baseline.csv" >&2
    rows+=("bincount baseline|1|ok|$(wall_seconds "$results/baseline.time")|$(peak_mib "$results/baseline.time")")
else
    timed "bincount baseline" 1 baseline $py "$here/bincount_baseline.py" \
        "$case_dir/landel.toml" "$results/baseline.csv"
fi

ee_csv=
if [[ -n ${EXACTEXTRACT:-} ]]; then
    # count: covered valid cells; unique + frac: the share of each class among them.
    # Default strategy (feature-sequential): one thread, each area's window read once.
    if timed "exactextract" 1 exactextract "$EXACTEXTRACT" -r "lc:$raster" \
            -p "$case_dir/areas.gpkg" -f code -s "count=count(lc)" -s "unique=unique(lc)" \
            -s "frac=frac(lc)" -o "$results/exactextract.csv"; then
        ee_csv=$results/exactextract.csv
    fi
fi

# ------------------------------------------------------------------------- the table
report() {
    local status=0
    echo "raster benchmark: $case_dir"
    echo "  $cells cells ($($py -c "from osgeo import gdal; d = gdal.Open('$raster'); \
print(f'{d.RasterXSize} x {d.RasterYSize}, {d.GetRasterBand(1).GetBlockSize()} blocks')")), \
$(du -h "$raster" | cut -f1) on disk; $nareas areas"
    echo "  $(date -u '+%Y-%m-%d %H:%M UTC'); $("$landel" --version 2>/dev/null || echo 'landel ?') ($landel);" \
         "scripts at $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?');" \
         "$(nproc) cores; GDAL $(gdal-config --version 2>/dev/null || echo '?')"
    echo
    printf '%-20s %7s %9s %13s %10s %9s\n' "tool" "threads" "wall s" "peak RSS MiB" \
        "Mcells/s" "x floor"
    # The floor for a row is the fastest I/O floor at the same thread count (C if built).
    printf '%s\n' "${rows[@]}" | awk -F'|' -v cells="$cells" '
        { label[NR] = $1; thr[NR] = $2; st[NR] = $3; wall[NR] = $4; rss[NR] = $5
          if ($3 == "ok" && $1 ~ /^io floor/ && (!(($2) in floor) || $4 < floor[$2]))
              floor[$2] = $4 }
        END { for (i = 1; i <= NR; i++) {
                if (st[i] != "ok") {
                    printf "%-20s %7s %9s %13s %10s %9s\n", label[i], thr[i], "FAILED", "-", "-", "-"
                    continue }
                rate = wall[i] > 0 ? cells / wall[i] / 1e6 : 0
                ratio = (thr[i] in floor) && floor[thr[i]] > 0 ? wall[i] / floor[thr[i]] : 0
                printf "%-20s %7s %9.2f %13s %10.0f %9s\n", label[i], thr[i], wall[i], rss[i],
                       rate, ratio ? sprintf("%.1f", ratio) : "-" } }'
    echo "(wall s and peak RSS from /usr/bin/time -v, whole process; Mcells/s = raster cells / wall s;"
    echo " x floor = wall s / the I/O floor's wall s at the same thread count. The floor runs in"
    echo " ~0.5 s, so its own start-up is a visible part of it.)"
    for f in "${failures[@]}"; do echo "FAILED: $f"; status=1; done
    echo
    # Where landel's time goes, from its own summary.json.
    for t in "${landel_ok[@]}"; do
        $py -c "import json, sys; t = json.load(open(sys.argv[1])).get('timings_s', {}); \
print('landel --threads $t stages (summary.json): ' + ', '.join(f'{k} {v:.2f} s' \
for k, v in t.items() if v >= 0.01))" "$results/landel-out-$t/summary.json" 2>/dev/null
    done
    if [[ ${#landel_ok[@]} -eq 2 ]]; then
        if cmp -s "$results/landel-out-1/area_bid.csv" "$results/landel-out-2/area_bid.csv"; then
            echo "landel --threads 1 and --threads 2: identical area_bid.csv"
        else
            echo "landel --threads 1 and --threads 2: area_bid.csv DIFFERS"
            status=1
        fi
    fi
    if [[ ${#landel_ok[@]} -gt 0 && -f $results/baseline.csv ]]; then
        ee_args=()
        if [[ -n $ee_csv ]]; then
            ee_args=(--exactextract "$ee_csv" --config "$case_dir/landel.toml")
        fi
        $py "$here/compare.py" "$results/landel-out-${landel_ok[-1]}/area_bid.csv" \
            "$results/baseline.csv" --tiling "${ee_args[@]}" || status=1
    else
        echo "no comparison: landel or the baseline did not produce a CSV"
    fi
    return $status
}
report 2>&1 | tee "$results/results.txt"
status=${PIPESTATUS[0]}
echo "run_benchmark: results in $results/results.txt" >&2
# Non-zero when a tool failed, the thread counts disagree or the comparison failed.
exit "$status"
