#!/usr/bin/env bash
# engine/ holds algorithms only: no GDAL/OGR/CPL/PROJ header may appear there.
set -euo pipefail
root=${1:-.}
if grep -rnE '#include *[<"](gdal|ogr_|ogr/|ogrsf|cpl_|proj\.h|proj/)' "$root/engine"; then
    echo "layering: engine/ includes GDAL/OGR/PROJ headers (io/ is the only boundary)" >&2
    exit 1
fi
echo "layering: engine/ is free of GDAL/OGR/PROJ"

# pipeline/src: a stage (stages/) or job handling (job/) serves every command and never
# includes a command's header (commands/, or a public per-command header).
commands='run|delineate|bid|render|compare|validate|batch|pieces|presets|init'
if grep -rnE "#include *\"(commands/|landel/pipeline/($commands)\.h)" \
    "$root/pipeline/src/stages" "$root/pipeline/src/job"; then
    echo "layering: a stage or job file includes a command's header" >&2
    exit 1
fi
echo "layering: pipeline stages and job handling include no command's header"
