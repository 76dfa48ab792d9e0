#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 (ASan + UBSan) and runs each for
# a bounded time, from the seed corpus in fuzz/corpus. A crash fails the run;
# the input that crashed is kept in fuzz-artifacts/ and printed.
#   HALL_FUZZ_SECONDS  seconds per target (default 40: the whole CI run stays under 30 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${HALL_FUZZ_SECONDS:-40}
cmake -S . -B build-fuzz -DHALL_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++-14 > build-fuzz.log 2>&1 || { cat build-fuzz.log; exit 1; }
cmake --build build-fuzz -j"$(nproc)" --target fuzz_request fuzz_mirror >> build-fuzz.log 2>&1 || { tail -50 build-fuzz.log; exit 1; }
mkdir -p fuzz-artifacts
status=0
for target in request mirror; do
  work=$(mktemp -d)  # new inputs found this run; the repo's seed corpus stays as it is
  echo "fuzz: fuzz_$target for ${seconds}s"
  if ! ./build-fuzz/fuzz/fuzz_$target -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix=fuzz-artifacts/"$target"- "$work" fuzz/corpus/"$target" > fuzz-artifacts/"$target".log 2>&1; then
    status=1
    tail -40 fuzz-artifacts/"$target".log
    for f in fuzz-artifacts/"$target"-*; do [ -f "$f" ] && { echo "crashing input $f:"; od -c "$f" | head -20; }; done
  fi
  grep -E "^stat::number_of_executed_units|^#[0-9]+.*DONE" fuzz-artifacts/"$target".log | sed "s/^/fuzz_$target: /" || true
  rm -rf "$work"
done
exit $status
