#!/usr/bin/env bash
# engine/ holds algorithms only: no GDAL/OGR/CPL/PROJ header may appear there.
set -euo pipefail
root=${1:-.}
if grep -rnE '#include *[<"](gdal|ogr_|ogr/|ogrsf|cpl_|proj\.h|proj/)' "$root/engine"; then
    echo "layering: engine/ includes GDAL/OGR/PROJ headers (io/ is the only boundary)" >&2
    exit 1
fi
echo "layering: engine/ is free of GDAL/OGR/PROJ"
