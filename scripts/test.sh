#!/usr/bin/env bash
# The README's second command (and CI's): install dependencies, build, run every test, then
# the sanitizer and fuzz checks (scripts/check.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh -DLANDEL_BUILD_TESTS=ON
(cd build && ctest --output-on-failure --timeout 1800)
# Sanitizer and fuzz checks (ASan+UBSan unit tests, libFuzzer targets, TSan engine tests).
bash scripts/check.sh
