#!/usr/bin/env bash
# Installs every Debian package landel needs to build, test (including scripts/check.sh's
# sanitizer and fuzz builds) and benchmark.
# Idempotent: packages already installed are skipped; apt runs only when something is missing.
# Usage: scripts/install-deps.sh [--with-bench]
#   --with-bench also installs the peers the benchmarks and optional tests compare with
#   (GRASS GIS); tests that need them skip cleanly without them.
set -euo pipefail

build=(cmake g++ ninja-build pkg-config
       libgdal-dev gdal-bin libgeos-dev libproj-dev proj-bin libboost-dev libtbb-dev
       libtomlplusplus-dev libcli11-dev nlohmann-json3-dev libcairo2-dev libpng-dev libxlsxwriter-dev
       libssl-dev      # OpenSSL's SHA-256: the manifest's checksums of input files
       libjs-leaflet   # compiled into report.html's interactive map
       pybind11-dev python3-dev)  # the Python module (import landel)
tests=(libgtest-dev libgmock-dev libbenchmark-dev
       python3-pytest python3-gdal python3-numpy python3-pandas python3-geopandas
       python3-rtree libsqlite3-mod-spatialite sqlite3   # rtree: geopandas spatial index
       python3-qgis qgis-providers   # PyQGIS, headless: opens the outputs as QGIS users do
       poppler-utils                 # pdftotext: the atlas legend test
       chromium                      # headless: report.html works offline
       libreoffice-calc-nogui        # headless: the workbooks as people open and print them
       python3-distributed python3-dask   # landel.dask on a LocalCluster
       python3-networkx                  # the element network recomputed independently (siting)
       python3-nbconvert python3-ipykernel python3-matplotlib)  # the example notebook, headless
# scripts/check.sh: clang builds the libFuzzer targets (the runtime is in libclang-rt); gcc's
# own ASan, UBSan and TSan runtimes come with g++.
check=(clang-14 libclang-rt-14-dev
       clang-format-14 clang-tidy-14)   # the style part: formatting and function size
# grass-core: r.watershed (catchment benchmark and validation); postgresql-15-postgis-3: the
# PostGIS anchor of the real tiled-BGT benchmark (benchmarks/bgt_tiled); python3-scipy: the
# sparse-graph shortest paths of the element-network peer (benchmarks/siting).
bench=(time grass-core postgresql-15-postgis-3 python3-scipy)

want=("${build[@]}" "${tests[@]}" "${check[@]}")
if [[ "${1:-}" == "--with-bench" ]]; then want+=("${bench[@]}"); fi

missing=()
for p in "${want[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if ((${#missing[@]} == 0)); then
    echo "install-deps: all ${#want[@]} packages present" >&2
    exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done" >&2
