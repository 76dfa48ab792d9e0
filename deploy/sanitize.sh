#!/usr/bin/env bash
# The whole test suite built with AddressSanitizer and UndefinedBehaviorSanitizer
# (g++), in build-asan/. Any report fails the test that caused it. The package
# test is left out: it checks the stripped release .deb, not the code.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-asan -DHALL_SANITIZE=ON -DHALL_BENCHMARKS=OFF -DCMAKE_BUILD_TYPE=Debug > build-asan.log 2>&1 || { cat build-asan.log; exit 1; }
cmake --build build-asan -j"$(nproc)" >> build-asan.log 2>&1 || { tail -50 build-asan.log; exit 1; }
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=0"
export LSAN_OPTIONS="suppressions=$PWD/deploy/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export HALL_PROPERTY_SEQUENCES=200  # the full 2,000 run in the plain build
export HALL_REAL_LOOP_LIMIT_MS=5000  # frames of a Debug+ASan build are slow; the 300 ms limit holds in the plain build
cd build-asan
ctest --output-on-failure -j"$(nproc)" --timeout 600 -E "cpack|package"
