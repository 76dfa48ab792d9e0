#!/usr/bin/env bash
# The whole test suite: set-up, build, then every doctest case under CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/build.sh
cd build
ctest --output-on-failure -j"$(nproc)" --timeout 300
