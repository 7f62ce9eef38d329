#!/usr/bin/env bash
# The README's first command: install dependencies, build, and run landel on the shipped sample.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
build/bin/landel run data/samples/polder/landel.toml --out out/sample --overwrite
# The same polder from its 5 m land-cover raster plus vector line and point elements.
build/bin/landel run data/samples/polder/landel-raster.toml --out out/sample-raster --overwrite
# The same polder in areas landel delineates itself: an overlay of its physical-geographic
# region and soil map, and the catchments of its elevation model.
build/bin/landel run data/samples/polder/landel-overlay.toml --out out/sample-overlay --overwrite
build/bin/landel run data/samples/polder/landel-catchments.toml --out out/sample-catchments --overwrite
echo "Results in out/sample, out/sample-raster, out/sample-overlay and out/sample-catchments:" \
     "report.html (open it in a browser), landel.qgs (open it in QGIS), maps/, area_bid.csv," \
     "area_bid.xlsx, bid_phasing.csv, areas.gpkg, element_density.tif, summary.json, landel.log" >&2
