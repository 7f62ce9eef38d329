#!/usr/bin/env bash
# Converts a PDOK BGT download (a zip of CityGML/IMGeo files) to one GeoPackage the way a user
# does it with ogr2ogr: each GML file of the zip, read in place through /vsizip/, becomes one
# layer named like its object class without "bgt_" (begroeidterreindeel, pand, ...), with every
# version of every object (the history) and all fields, curves made linear, EPSG:28992.
# Files the landel BGT preset has a GDAL template for (data/presets/bgt/<file>.gfs) are read
# with it (-oo GFS_TEMPLATE=...): it fixes the geometry (pand: the ground plan, not the label
# point) and the fields. Files without features make no layer.
#
# Usage: benchmarks/bgt/to_geopackage.sh [--check | --check-only] ZIP OUT.gpkg
#   OUT.gpkg is replaced if it exists.
#   --check       afterwards, compare each layer's feature count with the number of
#                 <cityObjectMember> elements in its GML file (exit 1 when one differs).
#   --check-only  only that comparison, for an OUT.gpkg made earlier.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
templates=$(cd "$here/../../data/presets/bgt" && pwd)
usage="usage: $0 [--check | --check-only] ZIP OUT.gpkg"
die() { echo "to_geopackage: $*" >&2; exit 1; }

check=0
convert=1
case ${1:-} in
    --check) check=1; shift ;;
    --check-only) check=1; convert=0; shift ;;
esac
[[ $# -eq 2 ]] || die "$usage"
zip=$1
out=$2
[[ -f $zip ]] || die "$zip: no such file"
command -v ogr2ogr >/dev/null || die "ogr2ogr not found (GDAL)"
zip_abs=$(cd "$(dirname "$zip")" && pwd)/$(basename "$zip")

# the GML files of the zip, each with "1" when it holds features (its first 4 kB show a
# <cityObjectMember>) and "0" when it is empty, as PDOK writes classes without objects: GDAL
# 3.6 cannot open an empty GML file with a template, and it would make no layer anyway
mapfile -t members < <(/usr/bin/python3 -c '
import sys, zipfile
zf = zipfile.ZipFile(sys.argv[1])
for n in zf.namelist():
    if n.lower().endswith(".gml"):
        with zf.open(n) as f:
            print("%d %s" % (b"<cityObjectMember>" in f.read(4096), n))' "$zip_abs")
[[ ${#members[@]} -gt 0 ]] || die "$zip: no .gml files in the zip"

if [[ $convert == 1 ]]; then rm -f "$out"; fi
for entry in "${members[@]}"; do
    [[ $convert == 1 ]] || break
    member=${entry#* }
    [[ ${entry%% *} == 1 ]] || continue
    file=$(basename "$member")
    layer=${file%.gml}
    layer=${layer#bgt_}
    opts=()
    if [[ -f $templates/${file%.gml}.gfs ]]; then
        opts=(-oo "GFS_TEMPLATE=$templates/${file%.gml}.gfs")
    fi
    update=()
    if [[ -f $out ]]; then update=(-update); fi
    ogr2ogr -f GPKG "${update[@]}" "$out" "/vsizip/$zip_abs/$member" "${opts[@]}" \
        -nln "$layer" -nlt CONVERT_TO_LINEAR -a_srs EPSG:28992 \
        -mapFieldType StringList=String,IntegerList=String,RealList=String
done

if [[ $check == 1 ]]; then
    [[ -f $out ]] || die "$out: no such file"
    /usr/bin/python3 - "$zip_abs" "$out" <<'EOF'
import sys, zipfile
from osgeo import ogr
zf = zipfile.ZipFile(sys.argv[1])
ds = ogr.Open(sys.argv[2])
bad = 0
for name in zf.namelist():
    if not name.lower().endswith(".gml"):
        continue
    text = zf.read(name)
    expected = text.count(b"<cityObjectMember>")
    layer = name.rsplit("/", 1)[-1][:-4]
    layer = layer[4:] if layer.startswith("bgt_") else layer
    lyr = ds.GetLayerByName(layer)
    got = lyr.GetFeatureCount() if lyr is not None else 0
    status = "ok" if got == expected else "DIFFERS"
    bad += got != expected
    print("%-28s %8d in GML %8d in GeoPackage  %s" % (layer, expected, got, status))
sys.exit(1 if bad else 0)
EOF
fi
