#!/usr/bin/env bash
# Times `landel run` on the real tiled-BGT case (make_case.sh) with 1 and 2 threads against
# PostGIS computing the same figures with one SQL query per area (run_postgis.sh), checks that
# the thread counts give byte-identical area_bid.csv and that PostGIS agrees, and prints the
# ratios. Also times the single copy and the 3 x 3 case, so per-copy figures can be compared.
#
# Usage: benchmarks/bgt_tiled/run_benchmark.sh [WORK_DIR]     (default build/bench-bgt)
# Env:   LANDEL_BIN (default build/bin/landel), LANDEL_REAL_DATA (default ../shared/data/real),
#        SKIP_POSTGIS=1 to time landel only.
# Exits 77 (skip) without the shared real data. Needs /usr/bin/time; PostGIS needs Debian's
# postgresql-15-postgis-3 (scripts/install-deps.sh --with-bench).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${1:-$repo/build/bench-bgt}
landel=${LANDEL_BIN:-$repo/build/bin/landel}

die() { echo "run_benchmark: $*" >&2; exit 1; }
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time)"
[[ -x $landel ]] || die "landel binary not found at $landel (build it, or set LANDEL_BIN)"

# shellcheck source=../time_report.sh
source "$here/../time_report.sh"

# landel_run CASE THREADS: times one run into CASE/results/t<THREADS>/.
landel_run() {
    local case_dir=$1 threads=$2 out=$1/results/t$2
    mkdir -p "$out"
    if ! /usr/bin/time -v -o "$out.time" "$landel" run "$case_dir/landel.toml" --out "$out" \
            --overwrite --quiet --threads "$threads" 2> "$out.stderr"; then
        cat "$out.stderr" >&2
        die "landel run failed on $case_dir (see $out.stderr)"
    fi
    wall_seconds "$out.time"
}

printf '%-10s %6s %12s %12s %8s %12s %12s %10s\n' case areas "landel 1 t" "landel 2 t" scaling \
    "PostGIS SQL" "PostGIS all" "PostGIS/2t"
for n in 1 3 9; do
    case_dir=$work/n$n
    if [[ ! -f $case_dir/landel.toml ]]; then
        rc=0; "$here/make_case.sh" "$case_dir" "$n" || rc=$?
        [[ $rc == 77 ]] && exit 77
        [[ $rc == 0 ]] || die "make_case.sh failed"
    fi
    one=$(landel_run "$case_dir" 1)
    two=$(landel_run "$case_dir" 2)
    cmp -s "$case_dir/results/t1/area_bid.csv" "$case_dir/results/t2/area_bid.csv" ||
        die "$case_dir: area_bid.csv differs between 1 and 2 threads"
    sql=- all=- ratio=-
    if [[ ${SKIP_POSTGIS:-0} != 1 ]]; then
        /usr/bin/time -v -o "$case_dir/results/postgis.time" "$here/run_postgis.sh" "$case_dir" \
            "$case_dir/results/postgis.csv" 2> "$case_dir/results/postgis.log" ||
            { cat "$case_dir/results/postgis.log" >&2; die "PostGIS failed on $case_dir"; }
        sql=$(awk '/^postgis_sql_seconds/ {printf "%.2f", $2}' "$case_dir/results/postgis.log")
        all=$(wall_seconds "$case_dir/results/postgis.time")
        ratio=$(awk -v a="$sql" -v b="$two" 'BEGIN {printf "%.1fx", a / b}')
        /usr/bin/python3 "$repo/benchmarks/vector/compare_csv.py" \
            "$case_dir/results/t1/area_bid.csv" "$case_dir/results/postgis.csv" > \
            "$case_dir/results/compare.txt" ||
            { cat "$case_dir/results/compare.txt" >&2; die "$case_dir: PostGIS and landel disagree"; }
    fi
    scaling=$(awk -v a="$one" -v b="$two" 'BEGIN {printf "%.2fx", a / b}')
    printf '%-10s %6d %12s %12s %8s %12s %12s %10s\n' "${n}x$n" $((n * n)) "$one" "$two" \
        "$scaling" "$sql" "$all" "$ratio"
done
echo
echo "stage timings of the 9 x 9 run with 2 threads (summary.json timings_s):"
/usr/bin/python3 -c 'import json, sys
t = json.load(open(sys.argv[1]))["timings_s"]
print("  " + ", ".join(f"{k} {v:.2f} s" for k, v in t.items() if v >= 0.05))' \
    "$work/n9/results/t2/summary.json"
