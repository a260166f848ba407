#!/usr/bin/env bash
# Takes docs/dashboard.png (README "Watching a run"): a small mixed league on one `shaping node` with --http, and
# headless Chromium's screenshot of its dashboard once half of the rounds are played.
# Usage: scripts/dashboard-screenshot.sh [OUT.png]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/docs/dashboard.png}
"$here/shaping" --help > /dev/null  # build
shaping="dotnet $here/src/Host/bin/Release/net10.0/linux-x64/shaping.dll"
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
cat > "$work/league.conf" <<CONF
shaping.population { name = league-demo, game = ipd, members = ["mfos:4", "lola:3", "nl:3", "tft:2", "alld:2"],
  pairing = pfsp, matches-per-round = 2, rounds = 40, batch = 128, meta-steps = 20 }
shaping.learners.mfos.ppo.hidden = 32
CONF
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$shaping node --config "$work/league.conf" --port "$port" --seed-nodes "127.0.0.1:$port" --out "$work/run" --stay --quiet --http 127.0.0.1:0 \
  > "$work/node.out" 2> "$work/node.err" &
pid=$!
until url=$(grep -o 'dashboard at http://[^ ]*' "$work/node.err" | cut -d' ' -f3) && [ -n "$url" ]; do sleep 0.5; done
until curl -s "${url}api/status" | python3 -c 'import json,sys; a=json.load(sys.stdin)["Arena"]; sys.exit(0 if a and a["Round"] > a["Rounds"] // 2 else 1)' 2>/dev/null; do sleep 1; done
sleep 11  # let the heat map be redrawn (at most every 10 s) from the matches so far
"$here/scripts/chromium.sh" screenshot "$url" "$out" 1000,2300
echo "wrote $out"
