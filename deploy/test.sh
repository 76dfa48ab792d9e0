#!/usr/bin/env bash
# The whole test suite: set-up, build, every doctest case under CTest; then
# the same suite under AddressSanitizer + UBSan, and each libFuzzer target for
# a bounded time (HALL_FUZZ_SECONDS, default 45). Any failure fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/build.sh
(cd build && ctest --output-on-failure -j"$(nproc)" --timeout 300)
echo "== the suite under AddressSanitizer and UndefinedBehaviorSanitizer"
bash deploy/sanitize.sh
echo "== fuzzing"
bash deploy/fuzz.sh
