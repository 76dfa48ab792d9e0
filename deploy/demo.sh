#!/usr/bin/env bash
# A live demo: a small county. The county server (hall-county) on a private
# PostgreSQL cluster it starts itself; the county hall (16 windows) on a
# simulated clock (a hall day in about nine minutes at the default speed 60)
# with the simulator driving it and its screens (hall board, window screen,
# leader dashboard, consoles, evaluators, kiosk); three township halls with
# two village points each (county-sim); and the county leader's screen.
#   DEMO_SPEED=120 bash deploy/demo.sh    faster
#   DEMO_DIR=/var/tmp/hall bash deploy/demo.sh   keep state elsewhere
#   DEMO_COUNTY=0 bash deploy/demo.sh    one hall only, no county
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/build.sh
SPEED=${DEMO_SPEED:-60}
DIR=${DEMO_DIR:-/tmp/hall-demo}
rm -rf "$DIR" && mkdir -p "$DIR"
START="$(TZ=Asia/Shanghai date +%Y-%m-%d)T08:30"

COUNTY=${DEMO_COUNTY:-1}

pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true
  [ "$COUNTY" = 1 ] && bash deploy/county-pg.sh stop "$DIR"
}
trap cleanup EXIT INT TERM

FEED=()
if [ "$COUNTY" = 1 ]; then
  chmod 755 "$DIR"  # the postgres user reaches its cluster below it
  CONNINFO=$(bash deploy/county-pg.sh start "$DIR")
  build/county/hall-county --config assets/demo-county.json --database "$CONNINFO" > "$DIR/county.out" 2> "$DIR/county.log" &
  pids+=($!)
  for _ in $(seq 100); do grep -q ready "$DIR/county.out" 2>/dev/null && break; sleep 0.1; done
  grep -q ready "$DIR/county.out" || { echo "hall-county did not start:"; cat "$DIR/county.log"; exit 1; }
  FEED=(--county-feed tcp://127.0.0.1:5570)
fi

build/hall/hall-server --db "$DIR/hall.db" --start "$START" --speed "$SPEED" "${FEED[@]}" > "$DIR/server.out" 2> "$DIR/server.log" &
pids+=($!)
for _ in $(seq 100); do grep -q ready "$DIR/server.out" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$DIR/server.out" || { echo "hall-server did not start:"; cat "$DIR/server.log"; exit 1; }
# Staff of windows 5 and 7 sign in first (their consoles below use the same
# staff numbers); the simulator staffs the other windows.
build/tools/hallctl sign_in window=5 staff=S1005 pin=1555 > /dev/null
build/tools/hallctl sign_in window=7 staff=S1007 pin=1777 > /dev/null
build/tools/hall-sim 2> "$DIR/sim.log" &
pids+=($!)
# Phones: every ticket's own page (the kiosk's QR holds its link) and the
# hall's page with tickets from phones; the managers' console on its own
# address, with two demo users (made once; passwords below, for the demo only).
USERS="$DIR/console-users.json"
if [ ! -f "$USERS" ]; then
  echo demo-manager-1 | build/gateway/hall-gateway add-user --users "$USERS" wang manager 王经理 > /dev/null
  echo demo-leader-1 | build/gateway/hall-gateway add-user --users "$USERS" li leader 李局长 > /dev/null
fi
build/gateway/hall-gateway --public 127.0.0.1:8080 --staff 127.0.0.1:8081 --users "$USERS" > "$DIR/gateway.out" 2> "$DIR/gateway.log" &
pids+=($!)
if [ "$COUNTY" = 1 ]; then
  build/tools/county-sim --feed tcp://127.0.0.1:5570 --dir "$DIR/county" --townships 3 --villages 2 --start "$START" --speed "$SPEED" \
    > "$DIR/county-sim.out" 2>&1 &
  pids+=($!)
fi

# Screens: a hall board, the window screen of window 5, a leader dashboard.
# With no display (a server, a container, CI) they run headless and keep a
# PNG of what they show fresh every few seconds.
SHOTS="$DIR/screens"
mkdir -p "$SHOTS"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${DEMO_HEADLESS:-}" ]; then HEADLESS=(); else HEADLESS=(--headless); fi
start_screen() {  # name, then hall-display options
  local name=$1; shift
  local png=()
  [ ${#HEADLESS[@]} -gt 0 ] && png=(--png "$SHOTS/$name.png" --png-every 3)
  build/display/hall-display "${HEADLESS[@]}" "${png[@]}" "$@" 2> "$DIR/$name.log" &
  pids+=($!)
}
start_screen hall-board --layout assets/displays/hall-board.json
start_screen window-5 --layout assets/displays/window-5.json
start_screen leader --layout assets/displays/leader.json
[ "$COUNTY" = 1 ] && start_screen county --layout assets/displays/county.json

# The window side at windows 5 and 7: staff consoles (signed in from the
# command line) and evaluators. The simulator acts for the staff and the
# citizens; the consoles and evaluators show each step as it happens.
start_program() {  # name, program, options
  local name=$1 program=$2; shift 2
  local png=()
  [ ${#HEADLESS[@]} -gt 0 ] && png=(--png "$SHOTS/$name.png" --png-every 3)
  "$program" "${HEADLESS[@]}" "${png[@]}" "$@" 2> "$DIR/$name.log" &
  pids+=($!)
}
start_program counter-5 build/counter/hall-counter --window 5 --staff S1005 --pin 1555
start_program counter-7 build/counter/hall-counter --window 7 --staff S1007 --pin 1777
start_program evaluator-5 build/evaluator/hall-evaluator --window 5 --outbox "$DIR/outbox-5"
start_program evaluator-7 build/evaluator/hall-evaluator --window 7 --outbox "$DIR/outbox-7"
# A self-service kiosk (portrait); its receipts go to a file standing in for the printer.
start_program kiosk build/kiosk/hall-kiosk --config deploy/etc/hall/kiosk.json --printer "$DIR/kiosk-printer.bin" --state-dir "$DIR/kiosk" --unlocked --windowed

if [ ${#HEADLESS[@]} -gt 0 ]; then SCREENS="no display here: headless, PNG snapshots refreshed every 3 s in $SHOTS"
else SCREENS="windows on this display: hall board, window 5 screen, leader dashboard, consoles and evaluators of windows 5 and 7, county leader screen"; fi
if [ "$COUNTY" = 1 ]; then COUNTY_LINE="hall-county on a private PostgreSQL in $DIR/pg; 3 townships with 2 villages each (logs in $DIR/county)"
else COUNTY_LINE="off (DEMO_COUNTY=0): this hall alone"; fi
cat <<MSG
demo hall running: hall time starts $START, speed ${SPEED}×; state in $DIR
  screens:            $SCREENS
  watch the bus:      build/tools/hallctl watch
  live statistics:    build/tools/hallctl stats
  act as a window:    build/tools/hallctl call_next window=5
  a ticket on a phone: build/tools/hallctl take_ticket category=tax, then open its "link" (hall-gateway on 127.0.0.1:8080)
  the hall's page:    http://127.0.0.1:8080/hall (queues, a ticket from the phone)
  managers' console:  http://127.0.0.1:8081/console  (wang / demo-manager-1 acts; li / demo-leader-1 sees)
  county:             $COUNTY_LINE
  logs:               $DIR/server.log  $DIR/sim.log  $DIR/county.log
Ctrl-C stops it.
MSG
wait
