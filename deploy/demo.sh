#!/usr/bin/env bash
# A live demo hall: the hall server on a simulated clock (a hall day in about
# nine minutes at the default speed 60), and the simulator driving it.
#   DEMO_SPEED=120 bash deploy/demo.sh    faster
#   DEMO_DIR=/var/tmp/hall bash deploy/demo.sh   keep state elsewhere
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/build.sh
SPEED=${DEMO_SPEED:-60}
DIR=${DEMO_DIR:-/tmp/hall-demo}
rm -rf "$DIR" && mkdir -p "$DIR"
START="$(TZ=Asia/Shanghai date +%Y-%m-%d)T08:30"

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

build/hall/hall-server --db "$DIR/hall.db" --start "$START" --speed "$SPEED" > "$DIR/server.out" 2> "$DIR/server.log" &
pids+=($!)
for _ in $(seq 100); do grep -q ready "$DIR/server.out" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$DIR/server.out" || { echo "hall-server did not start:"; cat "$DIR/server.log"; exit 1; }
build/tools/hall-sim 2> "$DIR/sim.log" &
pids+=($!)

cat <<MSG
demo hall running: hall time starts $START, speed ${SPEED}×; state in $DIR
  watch the bus:      build/tools/hallctl watch
  live statistics:    build/tools/hallctl stats
  act as a window:    build/tools/hallctl call_next window=5
  logs:               $DIR/server.log  $DIR/sim.log
Ctrl-C stops it.
MSG
wait
