#!/usr/bin/env bash
# The README's first command: install dependencies, build, and run landel on the shipped sample.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
build/bin/landel run data/samples/polder/landel.toml --out out/sample --overwrite
# The same polder from its 5 m land-cover raster plus vector line and point elements.
build/bin/landel run data/samples/polder/landel-raster.toml --out out/sample-raster --overwrite
echo "Results in out/sample and out/sample-raster: area_bid.csv, areas.gpkg," \
     "element_density.tif (+ .qml), summary.json, landel.log" >&2
