#!/usr/bin/env bash
# The basins of one DEM as polygons: landel's own polygonizer (analysis::label_polygons, the
# "polygonize" stage of bench_catchments --polygons) against GDAL's Polygonize on the same
# labels (8-connected, into an in-memory layer, as landel did before), each timed alone
# and after the labels are in memory. Prints both times and the ratio.
#
# Usage: benchmarks/hydrology/polygonize_vs_gdal.sh [DEM] [THRESHOLD_CELLS] [OUT]
#        (default: the real Winterswijk AHN 5 m beside the project, 20000 cells (50 ha),
#        build-bench/hydrology-polygonize)
# Env:   BENCH_CATCHMENTS (default build/bin/bench_catchments, built with
#        -DLANDEL_BUILD_BENCHMARKS=ON), THREADS (default 2)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
dem=${1:-$repo/../shared/data/real/achterhoek-wrij-ahn/derived/dtm_5m_filled_m.tif}
threshold=${2:-20000}
out=${3:-$repo/build-bench/hydrology-polygonize}
bench=${BENCH_CATCHMENTS:-$repo/build/bin/bench_catchments}
threads=${THREADS:-2}

die() { echo "polygonize_vs_gdal: $*" >&2; exit 1; }
[[ -f $dem ]] || die "no DEM at $dem"
[[ -x $bench ]] || die "no bench_catchments at $bench (cmake -DLANDEL_BUILD_BENCHMARKS=ON)"
mkdir -p "$out"

"$bench" "$dem" --threshold-cells "$threshold" --threads "$threads" --polygons \
    --labels-out "$out/labels.tif" > "$out/landel.txt"
landel_s=$(sed -n 's/^stage=polygonize seconds=\([0-9.]*\).*/\1/p' "$out/landel.txt")
labels=$(sed -n 's/^polygons labels=\([0-9]*\).*/\1/p' "$out/landel.txt")
gdal_s=$(/usr/bin/python3 - "$out/labels.tif" << 'PY'
import sys, time
from osgeo import gdal, ogr
gdal.UseExceptions()
ds = gdal.Open(sys.argv[1])  # datasets kept in names: the bindings free what is not
band = ds.GetRasterBand(1)
band.ReadAsArray()  # decoded once before the clock starts, as landel's labels are in memory
vds = ogr.GetDriverByName("Memory").CreateDataSource("")
layer = vds.CreateLayer("labels")
layer.CreateField(ogr.FieldDefn("label", ogr.OFTInteger))
t0 = time.perf_counter()
gdal.Polygonize(band, band.GetMaskBand(), layer, 0, ["8CONNECTED=8"])
print(f"{time.perf_counter() - t0:.3f}")
PY
)
echo "labels: $labels basins, $(sed -n 's/^result cells=\([0-9]*\).*/\1/p' "$out/landel.txt") cells"
echo "landel label_polygons ($threads threads): $landel_s s"
echo "GDAL Polygonize (8-connected, memory layer): $gdal_s s"
/usr/bin/python3 -c "print(f'ratio GDAL / landel: {$gdal_s / $landel_s:.1f}x')"
