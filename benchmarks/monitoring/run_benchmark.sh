#!/usr/bin/env bash
# Three measurement years of the scaled vector case: times one `landel run` against
# `landel compare` of the three runs, and a two-year compare at tolerance 0 against the same
# change computed in geopandas (whose hectares are checked against landel's change.csv).
#
# Usage: benchmarks/monitoring/run_benchmark.sh [WORK_DIR]   (default: build/bench-monitoring)
# Env:   LANDEL_BIN      landel binary (default: build/bin/landel)
#        LANDEL_THREADS  passed as --threads when set (default: landel's own choice)
#        REUSE_RUNS=1    keep the runs of an earlier call (only the compares are timed again)
#        SKIP_PEER=1     leave out the geopandas peer (it takes minutes)
# Needs /usr/bin/time (Debian package `time`: scripts/install-deps.sh --with-bench).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${1:-$repo/build/bench-monitoring}
landel=${LANDEL_BIN:-$repo/build/bin/landel}
case_dir=$work/case
results=$work/results
years=(2020 2022 2024)

die() { echo "run_benchmark: $*" >&2; exit 1; }

[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time)"
[[ -x $landel ]] || die "landel binary not found at $landel (build it, or set LANDEL_BIN)"
mkdir -p "$results"

# shellcheck source=../time_report.sh
source "$here/../time_report.sh"
cpu_pct() { awk -F': ' '/Percent of CPU/ {print $2}' "$1"; }

threads=()
if [[ -n ${LANDEL_THREADS:-} ]]; then threads=(--threads "$LANDEL_THREADS"); fi

timed() { # timed NAME COMMAND...: runs under /usr/bin/time -v, its report in results/NAME.time
    local name=$1; shift
    if ! /usr/bin/time -v -o "$results/$name.time" "$@" 2> "$results/$name.stderr"; then
        cat "$results/$name.stderr" >&2
        die "$name failed (see $results/$name.stderr)"
    fi
}

# The case: benchmarks/vector's landscape, then two later years of its element layers.
if [[ ! -f $case_dir/landscape.gpkg ]]; then
    "$repo/benchmarks/vector/make_case.sh" "$case_dir"
fi
if [[ ! -f $case_dir/elements_2024.gpkg ]]; then
    /usr/bin/python3 "$here/derive_years.py" "$case_dir"
fi
# One config per year: the case's landel.toml with its measurement year and, for the later
# years, the element sources pointing to that year's layers (areas and masks unchanged).
for y in "${years[@]}"; do
    src=landscape.gpkg
    [[ $y == 2020 ]] || src=elements_$y.gpkg
    awk -v year="$y" -v src="$src" '
        /^\[/ { section = $0 }
        /^measurement_year = / { print "measurement_year = " year; next }
        /^output = / { print "output = \"out_" year "\""; next }
        section == "[[elements]]" && /^path = / { print "path = \"" src "\""; next }
        { print }' "$case_dir/landel.toml" > "$case_dir/landel_$y.toml"
done

for y in "${years[@]}"; do
    if [[ ${REUSE_RUNS:-0} == 1 && -f $results/run_$y/summary.json ]]; then continue; fi
    echo "run_benchmark: landel run $y" >&2
    timed "run_$y" "$landel" run "$case_dir/landel_$y.toml" --out "$results/run_$y" \
        --overwrite --quiet "${threads[@]}"
done

echo "run_benchmark: landel compare of the three runs" >&2
timed compare "$landel" compare "$results/run_2020" "$results/run_2022" "$results/run_2024" \
    --baseline-year 2020 --out "$results/compare" --overwrite --quiet "${threads[@]}"
echo "run_benchmark: landel compare 2020 -> 2024 at tolerance 0" >&2
timed compare_pair "$landel" compare "$results/run_2020" "$results/run_2024" --tolerance-m 0 \
    --out "$results/compare_pair" --overwrite --quiet "${threads[@]}"

if [[ ${SKIP_PEER:-0} != 1 ]]; then
    echo "run_benchmark: geopandas peer 2020 -> 2024 (takes minutes)" >&2
    timed peer /usr/bin/python3 "$here/geopandas_change.py" "$results/run_2020" \
        "$results/run_2024" "$results/peer.csv"
fi

echo
echo "monitoring benchmark: $case_dir (3 years, $(($(wc -l < "$results/run_2020/area_bid.csv") - 1)) areas)"
printf '%-40s %12s %14s %8s\n' "" "wall time s" "peak RSS MiB" "CPU"
for name in run_2020 run_2022 run_2024 compare compare_pair peer; do
    [[ -f $results/$name.time ]] || continue
    printf '%-40s %12s %14s %8s\n' "$name" "$(wall_seconds "$results/$name.time")" \
        "$(peak_mib "$results/$name.time")" "$(cpu_pct "$results/$name.time")"
done
run_s=$(wall_seconds "$results/run_2024.time")
cmp_s=$(wall_seconds "$results/compare.time")
awk -v r="$run_s" -v c="$cmp_s" 'BEGIN { printf "compare of 3 runs / one run: %.2f\n", c / r }'
if [[ -f $results/peer.time ]]; then
    awk -v p="$(wall_seconds "$results/peer.time")" -v c="$(wall_seconds "$results/compare_pair.time")" \
        'BEGIN { printf "geopandas / landel compare (2020 -> 2024, tolerance 0): %.1fx\n", p / c }'
    echo
    /usr/bin/python3 "$here/check_change.py" "$results/compare_pair/change.csv" \
        "$results/peer.csv" 2020 2024
fi
