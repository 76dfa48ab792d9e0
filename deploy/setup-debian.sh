#!/usr/bin/env bash
# Installs every build and run-time dependency from Debian 12 packages.
# Safe to run again: it only installs what is missing.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git
  libzmq3-dev cppzmq-dev
  libsqlite3-dev sqlite3
  nlohmann-json3-dev
  doctest-dev
  libcurl4-openssl-dev
  libsdl2-dev libimgui-dev libstb-dev
  fonts-noto-cjk fontconfig libfontconfig-dev
  libcpp-httplib-dev
  libqrencode-dev
  libespeak-ng-dev espeak-ng-data
  libpng-dev
  systemd dpkg-dev
  clang-14 libfuzzer-14-dev        # the libFuzzer targets (deploy/fuzz.sh)
  xvfb libx11-dev libxtst-dev      # the real-loop tests: programs on an X server, real input, pixels read back
  postgresql-15 libpq-dev          # the county server (county/): its store; tests start a private cluster
  libsodium-dev                    # ticket links (HMAC) and web sign-in (Argon2id)
  chromium chromium-driver python3-selenium  # the web gateway's browser tests (a real Chromium on loopback)
  libxlsxwriter-dev                # the console's Excel report (a real .xlsx, written here, no Office needed)
  librime-dev rime-data-luna-pinyin  # the kiosk's pinyin keyboard: candidates from RIME's luna_pinyin dictionary
  libzinnia-dev tegaki-zinnia-simplified-chinese  # the kiosk's writing pad: Zinnia with the simplified-Chinese model
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} Debian packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
