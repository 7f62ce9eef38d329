#!/usr/bin/env bash
# Times reading a PDOK BGT download three ways, for (a) the real Otterlo download and (b) a
# generated one of KM x KM:
#   (1) converting the zip to a GeoPackage with ogr2ogr (to_geopackage.sh: what a user
#       otherwise runs before any GIS work),
#   (2) `landel run` of the BGT preset reading the zip itself,
#   (3) `landel run` of the same config reading that GeoPackage,
# and prints a table of wall times, peak memory and ratios. When (2) and (3) both succeed, it
# also checks that they give the same numbers per area (benchmarks/vector/compare_csv.py).
#
# Usage: benchmarks/bgt/bench_bgt_read.sh [WORK_DIR]          (default: build/bench-bgt)
# Env:   LANDEL          landel binary (default: build/bin/landel, else build/cli/landel)
#        OTTERLO_ZIP     the real download (default: ../shared/data/real/otterlo-bgt/
#                        otterlo_bgt_2020-08-05.zip beside the repository; skipped if absent)
#        KM, SEED        size and seed of the generated download (default 10 and 1)
#        LANDEL_THREADS  passed to landel as --threads (default: landel's own choice)
# Everything goes to WORK_DIR: the generated zip, per case the GeoPackage, areas.gpkg (1 x 1 km
# squares over the download's extent), the two configs, landel's outputs, the /usr/bin/time
# reports and logs, and results.txt (the table). Exit status 1 when a step failed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
usage="usage: $0 [WORK_DIR]   (env: LANDEL, OTTERLO_ZIP, KM, SEED, LANDEL_THREADS)"
die() { echo "bench_bgt_read: $*" >&2; exit 1; }
[[ $# -le 1 ]] || die "$usage"
[[ ${1:-} != -h && ${1:-} != --help ]] || { echo "$usage"; exit 0; }

work=${1:-$repo/build/bench-bgt}
km=${KM:-10}
seed=${SEED:-1}
otterlo=${OTTERLO_ZIP:-$repo/../shared/data/real/otterlo-bgt/otterlo_bgt_2020-08-05.zip}
landel=${LANDEL:-}
if [[ -z $landel ]]; then
    landel=$repo/build/bin/landel
    [[ -x $landel || ! -x $repo/build/cli/landel ]] || landel=$repo/build/cli/landel
fi
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time)"
command -v ogr2ogr >/dev/null || die "ogr2ogr not found (GDAL)"
mkdir -p "$work"
work=$(cd "$work" && pwd)
results=$work/results.txt
threads=()
if [[ -n ${LANDEL_THREADS:-} ]]; then threads=(--threads "$LANDEL_THREADS"); fi

# shellcheck source=../time_report.sh
source "$here/../time_report.sh"
cpu_share() { awk -F': ' '/Percent of CPU/ {print $2}' "$1"; }

{
    echo "BGT read benchmark"
    echo "date:    $(date '+%Y-%m-%d %H:%M:%S %Z')"
    echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)," \
         "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
    echo "GDAL:    $(gdal-config --version 2>/dev/null || ogrinfo --version)"
    echo "landel:  $landel ($("$landel" --version 2>/dev/null || echo 'not found'))"
} | tee "$results"

# areas.gpkg: 1 x 1 km squares (id "E<km>N<km>") over the extent of the download's current
# objects in the preset's layers (older versions and other classes may reach further); an
# overshoot of less than 1 m past a kilometre line adds no row of squares
make_areas() {
    /usr/bin/python3 - "$1" "$2" <<'EOF'
import math, os, sys
from osgeo import ogr, osr
src, out = sys.argv[1], sys.argv[2]
if os.path.exists(out):
    os.remove(out)
ds = ogr.Open(src)
ext = [math.inf, -math.inf, math.inf, -math.inf]
for name in ("begroeidterreindeel", "onbegroeidterreindeel", "waterdeel", "ondersteunendwaterdeel",
             "wegdeel", "ondersteunendwegdeel", "vegetatieobject", "pand", "overigbouwwerk"):
    lyr = ds.GetLayerByName(name)
    if lyr is None:
        continue
    if lyr.GetLayerDefn().GetFieldIndex("eindRegistratie") >= 0:
        lyr.SetAttributeFilter("eindRegistratie IS NULL")
    for f in lyr:
        g = f.GetGeometryRef()
        if g is not None:
            e = g.GetEnvelope()
            ext = [min(ext[0], e[0]), max(ext[1], e[1]), min(ext[2], e[2]), max(ext[3], e[3])]
x0, x1 = math.floor((ext[0] + 1) / 1000) * 1000, math.ceil((ext[1] - 1) / 1000) * 1000
y0, y1 = math.floor((ext[2] + 1) / 1000) * 1000, math.ceil((ext[3] - 1) / 1000) * 1000
srs = osr.SpatialReference()
srs.ImportFromEPSG(28992)
drv = ogr.GetDriverByName("GPKG")
dst = drv.CreateDataSource(out)
lyr = dst.CreateLayer("areas", srs, ogr.wkbPolygon)
lyr.CreateField(ogr.FieldDefn("id", ogr.OFTString))
lyr.StartTransaction()
n = 0
for x in range(int(x0), int(x1), 1000):
    for y in range(int(y0), int(y1), 1000):
        ring = ogr.Geometry(ogr.wkbLinearRing)
        for px, py in ((x, y), (x + 1000, y), (x + 1000, y + 1000), (x, y + 1000), (x, y)):
            ring.AddPoint_2D(px, py)
        poly = ogr.Geometry(ogr.wkbPolygon)
        poly.AddGeometry(ring)
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("id", "E%dN%d" % (x // 1000, y // 1000))
        f.SetGeometry(poly)
        lyr.CreateFeature(f)
        n += 1
lyr.CommitTransaction()
print("%d areas of 1 km2 over x %d-%d, y %d-%d" % (n, x0, x1, y0, y1))
EOF
}

write_config() {  # DIR NAME DOWNLOAD
    cat > "$1/$2" <<EOF
[run]
name = "BGT read benchmark"
[areas]
method = "given"
[[areas.layers]]
path = "areas.gpkg"
id_field = "id"
[dataset]
preset = "bgt"
path = "$3"
[rural]
definition = "aanvalsplan"
EOF
}

# run_step NAME LOGFILE CMD...: times CMD under /usr/bin/time -v into NAME.time; records
# "seconds peak_mib cpu%" or "FAILED first-error-line" in NAME.result
run_step() {
    local name=$1 log=$2
    shift 2
    if /usr/bin/time -v -o "$name.time" "$@" > "$log" 2>&1; then
        echo "$(wall_seconds "$name.time") $(peak_mib "$name.time") $(cpu_share "$name.time")" \
            > "$name.result"
    else
        echo "FAILED $(grep -m1 -iE 'error|fail' "$log" || tail -n1 "$log")" > "$name.result"
        echo "bench_bgt_read: $(basename "$name") failed, see $log" >&2
    fi
}

failed=0
run_case() {  # NAME ZIP
    local name=$1 zip=$2 dir=$work/$1
    mkdir -p "$dir"
    cat "$zip" > /dev/null   # both readers start with the zip in the page cache
    echo "bench_bgt_read: $name: (1) ogr2ogr zip -> GeoPackage" >&2
    run_step "$dir/convert" "$dir/convert.log" "$here/to_geopackage.sh" "$zip" "$dir/download.gpkg"
    if [[ $(cut -d' ' -f1 "$dir/convert.result") == FAILED ]]; then
        failed=1
        return
    fi
    "$here/to_geopackage.sh" --check-only "$zip" "$dir/download.gpkg" > "$dir/counts.txt" ||
        { failed=1; echo "bench_bgt_read: $name: feature counts differ, see $dir/counts.txt" >&2; }
    make_areas "$dir/download.gpkg" "$dir/areas.gpkg" > "$dir/areas.txt"
    write_config "$dir" landel-zip.toml "$zip"
    write_config "$dir" landel-gpkg.toml "$dir/download.gpkg"
    echo "bench_bgt_read: $name: (2) landel run on the zip" >&2
    run_step "$dir/landel-zip" "$dir/landel-zip.log" "$landel" run "$dir/landel-zip.toml" \
        --out "$dir/out-zip" --overwrite --quiet "${threads[@]}"
    echo "bench_bgt_read: $name: (3) landel run on the GeoPackage" >&2
    run_step "$dir/landel-gpkg" "$dir/landel-gpkg.log" "$landel" run "$dir/landel-gpkg.toml" \
        --out "$dir/out-gpkg" --overwrite --quiet "${threads[@]}"
    for step in landel-zip landel-gpkg; do
        [[ $(cut -d' ' -f1 "$dir/$step.result") != FAILED ]] || failed=1
    done
    if [[ -f $dir/out-zip/area_bid.csv && -f $dir/out-gpkg/area_bid.csv ]]; then
        /usr/bin/python3 "$repo/benchmarks/vector/compare_csv.py" "$dir/out-zip/area_bid.csv" \
            "$dir/out-gpkg/area_bid.csv" > "$dir/compare.txt" 2>&1 || failed=1
    fi
}

# the features and size of a download (its GeoPackage's layers)
describe() {
    /usr/bin/python3 - "$1" "$2" <<'EOF'
import os, sys
from osgeo import ogr
ds = ogr.Open(sys.argv[2])
n = sum(ds.GetLayer(k).GetFeatureCount() for k in range(ds.GetLayerCount())) if ds else 0
print("%.1f MB zip, %d features" % (os.path.getsize(sys.argv[1]) / 1e6, n))
EOF
}

# one line of landel's stage timings: reading the sources, the dataset's checks (history,
# coverage), measuring, maps and the rest
stages() {  # CASE RUN SUMMARY_JSON
    [[ -f $3 ]] || return 0
    /usr/bin/python3 - "$1" "$2" "$3" <<'EOF'
import json, sys
t = json.load(open(sys.argv[3])).get("timings_s", {})
measure = sum(v for k, v in t.items() if k.startswith("measure."))
known = t.get("read", 0) + t.get("dataset_checks", 0) + measure + t.get("maps", 0)
print("  %-18s %-5s read %7.2f   dataset_checks %7.2f   measure %7.2f   maps %7.2f   other %6.2f"
      % (sys.argv[1], sys.argv[2], t.get("read", 0), t.get("dataset_checks", 0), measure,
         t.get("maps", 0), sum(t.values()) - known))
EOF
}

cases=()
if [[ -f $otterlo ]]; then
    cases+=("otterlo:$otterlo")
else
    echo "bench_bgt_read: $otterlo not found: the real download is skipped" >&2
fi
synthetic=$work/bgt_synthetic_${km}km_seed${seed}.zip
if [[ ! -f $synthetic ]]; then
    echo "bench_bgt_read: generating $synthetic" >&2
    /usr/bin/python3 "$here/generate_bgt_download.py" --out "$synthetic" --km "$km" --seed "$seed" \
        > "$work/generate.log"
fi
cases+=("synthetic-${km}km:$synthetic")

for c in "${cases[@]}"; do
    run_case "${c%%:*}" "${c#*:}"
done

cell() {  # the seconds of a step, or FAILED
    local r
    r=$(cat "$1.result" 2>/dev/null || echo "FAILED missing")
    [[ ${r%% *} == FAILED ]] && echo "FAILED" || echo "${r%% *}"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0)
          printf "%.2f", a / b; else printf "-" }'; }
sum2() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/)
         printf "%.2f", a + b; else printf "-" }'; }
{
    echo
    echo "(1) ogr2ogr zip -> GeoPackage (to_geopackage.sh)   (2) landel run on the zip" \
         "  (3) landel run on the GeoPackage"
    printf '%-18s %-32s %10s %10s %10s %8s %8s %8s %12s\n' case download "(1) s" "(2) s" "(3) s" \
        "(2)/(1)" "(3)/(1)" "(2)/(3)" "(2)/((1)+(3))"
    for c in "${cases[@]}"; do
        name=${c%%:*}
        dir=$work/$name
        t1=$(cell "$dir/convert")
        t2=$(cell "$dir/landel-zip")
        t3=$(cell "$dir/landel-gpkg")
        desc=$( [[ -f $dir/download.gpkg ]] && describe "${c#*:}" "$dir/download.gpkg" || echo "-")
        printf '%-18s %-32s %10s %10s %10s %8s %8s %8s %12s\n' "$name" "$desc" "$t1" "$t2" "$t3" \
            "$(ratio "$t2" "$t1")" "$(ratio "$t3" "$t1")" "$(ratio "$t2" "$t3")" \
            "$(ratio "$t2" "$(sum2 "$t1" "$t3")")"
    done
    echo
    echo "landel's own stage timings (summary.json timings_s; seconds):"
    for c in "${cases[@]}"; do
        for run in zip gpkg; do
            stages "${c%%:*}" "$run" "$work/${c%%:*}/out-$run/summary.json"
        done
    done
    echo
    echo "peak memory, CPU share (a share well below the step's threads x 100% means another job"
    echo "competed for the cores: time again) and failures:"
    for c in "${cases[@]}"; do
        name=${c%%:*}
        for step in convert landel-zip landel-gpkg; do
            line=$(cat "$work/$name/$step.result" 2>/dev/null |
                awk '$1 == "FAILED" {print; next} {print $2 " MiB, " $3 " CPU"}')
            printf '  %-18s %-12s %s\n' "$name" "$step" "$line"
        done
        if [[ -f $work/$name/compare.txt ]]; then
            echo "  $name: zip vs GeoPackage results: $(tail -n1 "$work/$name/compare.txt")"
        fi
    done
} | tee -a "$results"
exit $failed
