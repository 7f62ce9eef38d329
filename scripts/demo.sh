#!/usr/bin/env bash
# The README's first command: install dependencies, build, and run landel on the shipped sample.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
build/bin/landel run data/samples/polder/landel.toml --out out/sample --overwrite
echo "Results in out/sample: area_bid.csv, areas.gpkg, summary.json, landel.log" >&2
