#!/usr/bin/env bash
# Renders every display page from a simulated hall day into docs/screens/:
# 1920×1080 for each page, and the hall board at 3840×2160 and in portrait;
# the window side; every kiosk page in both modes and both orientations.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/build.sh
DIR=$(mktemp -d)
OUT=docs/screens
mkdir -p "$OUT"
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
build/hall/hall-server --db "$DIR/hall.db" --commands tcp://127.0.0.1:5655 --updates tcp://127.0.0.1:5656 \
  --start 2026-11-23T08:30 --speed 400 > "$DIR/server.out" 2> "$DIR/server.log" &
for _ in $(seq 100); do grep -q ready "$DIR/server.out" 2>/dev/null && break; sleep 0.1; done
CTL="build/tools/hallctl --commands tcp://127.0.0.1:5655"
$CTL sign_in window=5 staff=S1005 pin=1555 > /dev/null   # window 5's staff, before the simulator staffs it
build/tools/hall-sim --commands tcp://127.0.0.1:5655 --updates tcp://127.0.0.1:5656 --quiet &
sleep 45   # about five hours of hall time: early afternoon, so the last kiosk tour ends before the hall closes
$CTL post_announcement text="即日起本中心推行“周末不打烊”服务，周六上午9:00-12:00正常受理社保、户籍业务。" > /dev/null
$CTL pause_window window=9 reason=系统故障 > /dev/null || true
shot() { build/display/hall-display --commands tcp://127.0.0.1:5655 --updates tcp://127.0.0.1:5656 --screenshot "$OUT/$1.png" "${@:2}"; }
shot hall-board --page hall_board
shot window-screen --page window --window 5
shot paused-window --page window --window 9
shot ratings --page ratings
shot approval --page approval
shot leader --page leader
shot hall-board-4k --page hall_board --size 3840x2160
shot hall-board-portrait --page hall_board --portrait
EP=(--commands tcp://127.0.0.1:5655 --updates tcp://127.0.0.1:5656)
build/counter/hall-counter "${EP[@]}" --window 5 --staff S1005 --pin 1555 --screenshot "$OUT/counter.png"
build/evaluator/hall-evaluator "${EP[@]}" --window 5 --outbox "$DIR/outbox" --screenshot "$OUT/evaluator-idle.png"
build/evaluator/hall-evaluator "${EP[@]}" --window 5 --outbox "$DIR/outbox" --screenshot "$OUT/evaluator-rate.png" --preview-rate C023
build/evaluator/hall-evaluator "${EP[@]}" --window 5 --outbox "$DIR/outbox" --screenshot "$OUT/evaluator-reasons.png" --preview-rate C023 --preview-page reasons
build/evaluator/hall-evaluator "${EP[@]}" --window 5 --outbox "$DIR/outbox" --screenshot "$OUT/evaluator-thanks.png" --preview-rate C023 --preview-page thanks
# The kiosk: every page, normal and 长辈模式, portrait and landscape, at half size.
mkdir -p "$OUT/kiosk"
rm -f "$OUT"/kiosk/*.png
for mode in "" --elderly; do
  for shape in "" --landscape; do
    build/kiosk/hall-kiosk "${EP[@]}" --state-dir "$DIR/kiosk" --printer "$DIR/printer.bin" --tour "$OUT/kiosk" --half $mode $shape
  done
done
echo "screenshots in $OUT"
