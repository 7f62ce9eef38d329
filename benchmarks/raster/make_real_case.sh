#!/usr/bin/env bash
# Generates a raster benchmark case from real land cover: the 0.5 m Otterlo BGT land-cover
# raster (otterlo-bgt/derived/landcover_05m.tif of the shared real data), mosaicked side by
# side up to SIZE x SIZE cells, plus a grid of ~200 square areas and the landel.toml measuring
# them. Same file names and layout as make_case.sh, so run_benchmark.sh takes it as is:
#   benchmarks/raster/make_real_case.sh build/bench-raster-real
#   benchmarks/raster/run_benchmark.sh build/bench-raster-real
#
# Usage: benchmarks/raster/make_real_case.sh [CASE_DIR] [SIZE]
#        (defaults: build/bench-raster-real, 20000 cells = 10 km at 0.5 m)
# Env:   LANDEL_REAL_DATA  the shared real data (default: <repo>/../shared/data/real)
# Exit status 77 (skipped) when the real data is absent.
#
# The tiled piece is not the whole source raster: the source's extent is 68% nodata (the
# BGT extract covers ~3 x 3 km of a larger box), so a mosaic of whole copies would be mostly
# nodata. The window below, 4280 x 4200 cells (2.14 x 2.1 km), is the largest rectangle
# (searched on a 20-cell grid) that is at least 97% valid; the remaining ~3% nodata are
# interior surfaces without a class in the raster (verges, other structures). Copies are
# placed edge to edge without mirroring, so classes jump at the seams like at a map-sheet
# edge. The raster is written with the synthetic case's creation options (tiled 256 x 256,
# DEFLATE). All three files are built under temporary names and renamed only when all are done.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
case_dir=${1:-$repo/build/bench-raster-real}
size=${2:-20000}
src=${LANDEL_REAL_DATA:-$repo/../shared/data/real}/otterlo-bgt/derived/landcover_05m.tif

if [[ ! -f $src ]]; then
    echo "make_real_case: skipped, real data not found at $src (set LANDEL_REAL_DATA)" >&2
    exit 77
fi
[[ $size =~ ^[0-9]+$ && $size -ge 256 ]] || { echo "make_real_case: SIZE must be an integer >= 256" >&2; exit 2; }

mkdir -p "$case_dir"
case_dir=$(cd "$case_dir" && pwd)
tmp=$(mktemp -d "$case_dir/.make_real_case.XXXXXX")
# areas.gpkg is built in $tmp under its own name (the GPKG driver warns about any other
# extension); the raster and the toml as *.part beside their final names.
parts=("$case_dir/landcover.tif.part" "$case_dir/landel.toml.part")
cleanup() { rm -rf "$tmp"; rm -f "${parts[@]}"; }
trap cleanup EXIT

/usr/bin/python3 - "$src" "$case_dir" "$size" "$tmp" <<'PY'
import math
import os
import sys
import time

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()

src, case_dir, size, tmp = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
WIN_X, WIN_Y, WIN_W, WIN_H = 1300, 2900, 4280, 4200   # the >= 97% valid window (cells)
N_AREAS = 200                                         # about; a square grid of n x n
t0 = time.perf_counter()

ds = gdal.Open(src)
gt = ds.GetGeoTransform()
if ds.RasterXSize < WIN_X + WIN_W or ds.RasterYSize < WIN_Y + WIN_H or gt[2] or gt[4]:
    raise SystemExit(f"make_real_case: {src} is not the expected 7380 x 9410 north-up raster")
res = gt[1]
if abs(gt[5]) != res:
    raise SystemExit(f"make_real_case: {src} has non-square cells")
srs_wkt = ds.GetProjection()
ds = None
x0 = gt[0] + WIN_X * res            # top-left of the mosaic = top-left of the window
y0 = gt[3] - WIN_Y * res

# One VRT per copy: the window, translated to its place in the mosaic.
nx, ny = math.ceil(size / WIN_W), math.ceil(size / WIN_H)
copies = []
for j in range(ny):
    for i in range(nx):
        ulx, uly = x0 + i * WIN_W * res, y0 - j * WIN_H * res
        path = os.path.join(tmp, f"copy_{j}_{i}.vrt")
        gdal.Translate(path, src, format="VRT", srcWin=[WIN_X, WIN_Y, WIN_W, WIN_H],
                       outputBounds=[ulx, uly, ulx + WIN_W * res, uly - WIN_H * res])
        copies.append(path)
extent = (x0, y0 - size * res, x0 + size * res, y0)
mosaic = gdal.BuildVRT(os.path.join(tmp, "mosaic.vrt"), copies, outputBounds=extent,
                       xRes=res, yRes=res)
assert (mosaic.RasterXSize, mosaic.RasterYSize) == (size, size), \
    (mosaic.RasterXSize, mosaic.RasterYSize)
mosaic.FlushCache()

gdal.SetCacheMax(256 * 1024 * 1024)
out = os.path.join(case_dir, "landcover.tif.part")
gdal.Translate(out, mosaic, format="GTiff",
               creationOptions=["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256",
                                "COMPRESS=DEFLATE", "NUM_THREADS=ALL_CPUS", "BIGTIFF=IF_SAFER"])
mosaic = None
nbytes = os.path.getsize(out)
print(f"  raster: {nx} x {ny} copies of {WIN_W} x {WIN_H} cells -> {size} x {size} cells "
      f"({size * res / 1000:g} km), {nbytes / 2**20:.1f} MiB, compression "
      f"{size * size / nbytes:.1f}:1; {time.perf_counter() - t0:.1f} s", file=sys.stderr)

# Areas: an n x n grid of squares tiling the raster extent. Neighbours share the very same
# corner coordinates (taken from one list), so there are no gaps or overlaps.
n = round(math.sqrt(N_AREAS))
side = size * res / n
xs = [x0 + i * side for i in range(n)] + [x0 + size * res]
ys = [y0 - j * side for j in range(n)] + [y0 - size * res]
gpkg = os.path.join(tmp, "areas.gpkg")
drv = ogr.GetDriverByName("GPKG")
out_ds = drv.CreateDataSource(gpkg)
srs = osr.SpatialReference()
srs.ImportFromWkt(srs_wkt)
srs.AutoIdentifyEPSG()
layer = out_ds.CreateLayer("areas", srs, ogr.wkbPolygon)
layer.CreateField(ogr.FieldDefn("code", ogr.OFTString))
layer.CreateField(ogr.FieldDefn("name", ogr.OFTString))
defn = layer.GetLayerDefn()
layer.StartTransaction()
for j in range(n):
    for i in range(n):
        ring = ogr.Geometry(ogr.wkbLinearRing)
        for x, y in ((xs[i], ys[j]), (xs[i + 1], ys[j]), (xs[i + 1], ys[j + 1]),
                     (xs[i], ys[j + 1]), (xs[i], ys[j])):
            ring.AddPoint_2D(x, y)
        poly = ogr.Geometry(ogr.wkbPolygon)
        poly.AddGeometry(ring)
        feat = ogr.Feature(defn)
        code = f"A{j * n + i + 1:03d}"
        feat.SetField("code", code)
        feat.SetField("name", f"Area {code[1:]} (row {j + 1}, column {i + 1})")
        feat.SetGeometry(poly)
        layer.CreateFeature(feat)
layer.CommitTransaction()
out_ds = None
print(f"  areas: {n} x {n} squares of {side:.2f} m", file=sys.stderr)
PY

# Masks and element classes from the source's classes (derived/README.md beside it): built
# land (pand 1), roads (wegdeel 2) and unvegetated terrain (3: yards, paths, sand) are not
# rural; houtwal (20), wood (21), ponds (watervlakte 11) and banks (oever/slootkant 12) are
# landscape elements. Vegetated terrain (30) and watercourses (10) are rural land only.
cat > "$case_dir/landel.toml.part" <<'TOML'
# Raster benchmark case generated by benchmarks/raster/make_real_case.sh from the real
# 0.5 m Otterlo BGT land cover, mosaicked (real data, repeated).
[run]
name = "Benchmark raster (real land cover)"
crs = "EPSG:28992"
measurement_year = 2024
output = "out"
# Raster chunk budget, as in the synthetic case.
memory_mb = 1024

[areas]
method = "given"

[[areas.layers]]
path = "areas.gpkg"
layer = "areas"
id_field = "code"
name_field = "name"

[[rural.exclude]]
path = "landcover.tif"
classes = [1, 2, 3]            # pand, wegdeel, onbegroeid terreindeel
name = "built"

[[elements]]
path = "landcover.tif"
classes = { 20 = "wooded_bank", 21 = "small_wood", 11 = "pond", 12 = "natural_bank" }

[types]
order = ["pond", "small_wood", "wooded_bank", "natural_bank"]

[targets]
baseline_year = 2022

[[targets.milestone]]
year = 2030
share = 0.05

[[targets.milestone]]
year = 2050
share = 0.10
TOML

mv "$case_dir/landcover.tif.part" "$case_dir/landcover.tif"
mv "$tmp/areas.gpkg" "$case_dir/areas.gpkg"
mv "$case_dir/landel.toml.part" "$case_dir/landel.toml"
echo "case ready: $case_dir" >&2
