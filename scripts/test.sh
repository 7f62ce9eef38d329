#!/usr/bin/env bash
# The README's second command (and CI's): install dependencies, build, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh -DLANDEL_BUILD_TESTS=ON
cd build
ctest --output-on-failure --timeout 1800
