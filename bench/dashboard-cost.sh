#!/usr/bin/env bash
# What --http costs a population run (README "Watching a run", BENCHMARKS.md): the same league of cheap members (64
# members: nl, lola, tft, alld; 64 games × 10 steps a match, PFSP, 2 compute threads), `shaping train` without and
# with --http, alternating, REPEATS times each. With --http a watcher asks for the dashboard page and /metrics every
# WATCH seconds (default 1: five times a browser's refresh, fifteen times Prometheus's default scrape), so the
# dashboard renders its plots and the exporter collects all the time. Each run reports matches/s (recorded after
# the first match, from matches.jsonl), the mean match's own wall time (`seconds` in matches.jsonl), the compute
# threads' busy time per match (what the node's compute threads did, from its last line), and the process's CPU time
# per match (user + system, from /usr/bin/time: everything the node did, the dashboard's rendering included; the
# watcher's curl is another process).
# Usage: bench/dashboard-cost.sh [matches per run ≈ rounds × 128]   (REPEATS=3, WATCH=1, SHAPING="dotnet …/shaping.dll")
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# SHAPING overrides the binary (e.g. a copy, so that building meanwhile does not change it mid-benchmark).
[ -n "${SHAPING:-}" ] || "$here/shaping" --help > /dev/null  # build
shaping=${SHAPING:-"dotnet $here/src/Host/bin/Release/net10.0/linux-x64/shaping.dll"}
rounds=$(( ${1:-3200} / 128 ))
repeats=${REPEATS:-3}
watch=${WATCH:-1}
work=${WORK:-$(mktemp -d)}
cat > "$work/league.conf" <<CONF
shaping.population { name = cost, game = ipd, members = ["nl:32", "lola:16", "tft:8", "alld:8"],
  pairing = pfsp, matches-per-round = 2, rounds = $rounds, batch = 64, meta-steps = 10, max-parallel-matches = 16 }
shaping.node.compute-threads = 2
CONF
echo "dashboard-cost: $(git -C "$here" rev-parse --short HEAD), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $((rounds * 128)) matches a run, watcher every ${watch} s, work in $work"

report() { # $1 = run dir, $2 = label, $3 = node log, $4 = /usr/bin/time's output
  python3 - "$1/matches.jsonl" "$2" "$3" "$4" <<'PY'
import json, sys, re
from datetime import datetime
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
t = sorted(datetime.fromisoformat(l["recorded"]) for l in lines)
n = len(t); span = (t[-1] - t[0]).total_seconds()
m = re.search(r"compute threads busy ([\d.]+) s of ([\d.]+) s", open(sys.argv[3]).read())
busy = float(m.group(1)) if m else float("nan")
user, system = map(float, open(sys.argv[4]).read().split()[-2:])
print(f"{sys.argv[2]}: {n} matches, {(n - 1) / span:.1f} matches/s, mean match {1000 * sum(l['seconds'] for l in lines) / n:.2f} ms, "
      f"compute busy {1000 * busy / n:.2f} ms/match, process CPU {1000 * (user + system) / n:.2f} ms/match")
PY
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

for i in $(seq 1 "$repeats"); do
  for mode in off on; do
    dir="$work/$mode-$i"; log="$work/$mode-$i.log"
    load=$(cut -d' ' -f1 /proc/loadavg)
    if [ "$mode" = off ]; then
      /usr/bin/time -o "$dir.time" -f "%U %S" $shaping train --config "$work/league.conf" --out "$dir" --quiet > "$log" 2>&1
    else
      port=$(free_port)
      /usr/bin/time -o "$dir.time" -f "%U %S" $shaping train --config "$work/league.conf" --out "$dir" --quiet --http "127.0.0.1:$port" > "$log" 2>&1 &
      pid=$!
      pages=0
      while kill -0 "$pid" 2>/dev/null; do
        curl -s -o /dev/null "http://127.0.0.1:$port/" && curl -s -o /dev/null "http://127.0.0.1:$port/metrics" && pages=$((pages + 1)) || true
        sleep "$watch"
      done
      wait "$pid"
      echo "  (watcher: $pages page + metrics fetches)"
    fi
    report "$dir" "--http $mode, run $i (load $load)" "$log" "$dir.time"
  done
done
