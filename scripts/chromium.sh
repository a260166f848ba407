#!/usr/bin/env bash
# Headless Chromium (Debian's package, installed when missing) for the dashboard's browser test and README screenshot:
#   scripts/chromium.sh install                          install it if missing, print its version
#   scripts/chromium.sh screenshot URL OUT.png [W,H]     load URL, wait for its scripts, save a PNG (default 1000,2400)
#   scripts/chromium.sh dom URL                          load URL, print the DOM after its scripts ran
# The machine's network is closed, and a stock Chromium tries to reach Google at start (component updates, sync,
# safe browsing...): the flags below turn that off. Every call gets a fresh profile, removed afterwards.
set -euo pipefail
install() {
  command -v chromium >/dev/null && return 0
  echo "installing Debian's chromium (needed by the dashboard's browser test)..." >&2
  local sudo=""; [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}
run() {
  local profile; profile=$(mktemp -d)
  trap 'rm -rf "$profile"' RETURN
  # --virtual-time-budget lets the page's scripts run (and timers fire) before the DOM or screenshot is taken.
  # The binary itself: Debian's /usr/bin/chromium wrapper only adds desktop flags (and warns on some /dev/shm layouts).
  local binary=/usr/lib/chromium/chromium; [[ -x $binary ]] || binary=chromium
  timeout 120 "$binary" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --disable-background-networking --disable-component-update --disable-sync --no-first-run --no-default-browser-check \
    --disable-default-apps --disable-extensions --disable-breakpad --metrics-recording-only --safebrowsing-disable-auto-update \
    --hide-scrollbars --user-data-dir="$profile" --virtual-time-budget=3000 "$@" 2> >(grep -v -e 'dbus' -e 'Fontconfig' -e '^$' >&2 || true)
}
case "${1:-}" in
  install) install; /usr/lib/chromium/chromium --version 2>/dev/null || chromium --version ;;
  screenshot) install; run --window-size="${4:-1000,2400}" --screenshot="$3" "$2" ;;
  dom) install; run --dump-dom "$2" ;;
  *) echo "usage: $0 install | screenshot URL OUT.png [W,H] | dom URL" >&2; exit 2 ;;
esac
