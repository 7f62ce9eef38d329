#!/usr/bin/env bash
# Times `landel run` against the geopandas baseline on the scaled vector case and checks that
# both compute the same per-area numbers (element_ha, rural_ha, ha_<type>).
#
# Usage: benchmarks/vector/run_benchmark.sh [CASE_DIR]      (default: build/bench-vector)
# Env:   LANDEL_BIN      landel binary (default: build/bin/landel)
#        LANDEL_THREADS  passed as --threads when set (default: landel's own choice)
#        REUSE_BASELINE=1  keep an earlier baseline result in CASE_DIR/results (it takes minutes)
# Needs /usr/bin/time (Debian package `time`: scripts/install-deps.sh --with-bench).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
case_dir=${1:-$repo/build/bench-vector}
landel=${LANDEL_BIN:-$repo/build/bin/landel}
results=$case_dir/results

die() { echo "run_benchmark: $*" >&2; exit 1; }

[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time)"
if [[ ! -f $case_dir/landscape.gpkg || ! -f $case_dir/landel.toml ]]; then
    echo "run_benchmark: generating the case in $case_dir" >&2
    "$here/make_case.sh" "$case_dir"
fi
[[ -x $landel ]] || die "landel binary not found at $landel (build it, or set LANDEL_BIN)"
mkdir -p "$results"

# shellcheck source=../time_report.sh
source "$here/../time_report.sh"

threads=()
if [[ -n ${LANDEL_THREADS:-} ]]; then threads=(--threads "$LANDEL_THREADS"); fi

echo "run_benchmark: landel run ($landel)" >&2
if ! /usr/bin/time -v -o "$results/landel.time" "$landel" run "$case_dir/landel.toml" \
        --out "$results/landel-out" --overwrite --quiet "${threads[@]}" \
        2> "$results/landel.stderr"; then
    cat "$results/landel.stderr" >&2
    die "landel run failed (see $results/landel.stderr)"
fi

if [[ ${REUSE_BASELINE:-0} == 1 && -f $results/baseline.csv && -f $results/baseline.time ]]; then
    echo "run_benchmark: reusing $results/baseline.csv" >&2
else
    echo "run_benchmark: geopandas baseline (takes minutes)" >&2
    if ! /usr/bin/time -v -o "$results/baseline.time" /usr/bin/python3 \
            "$here/geopandas_baseline.py" "$case_dir" "$results/baseline.csv" \
            2> "$results/baseline.log"; then
        cat "$results/baseline.log" >&2
        die "geopandas baseline failed (see $results/baseline.log)"
    fi
fi

landel_s=$(wall_seconds "$results/landel.time")
base_s=$(wall_seconds "$results/baseline.time")
landel_mb=$(peak_mib "$results/landel.time")
base_mb=$(peak_mib "$results/baseline.time")
areas=$(($(wc -l < "$results/landel-out/area_bid.csv") - 1))

echo
echo "vector benchmark: $case_dir ($areas areas)"
printf '%-22s %12s %14s\n' "" "wall time s" "peak RSS MiB"
printf '%-22s %12s %14s\n' "landel run" "$landel_s" "$landel_mb"
printf '%-22s %12s %14s\n' "geopandas baseline" "$base_s" "$base_mb"
awk -v a="$base_s" -v b="$landel_s" 'BEGIN {
    if (b > 0) printf "%-22s %11.1fx\n", "speed-up (gpd/landel)", a / b }'
echo
/usr/bin/python3 "$here/compare_csv.py" "$results/landel-out/area_bid.csv" "$results/baseline.csv"
