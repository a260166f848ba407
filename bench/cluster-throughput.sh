#!/usr/bin/env bash
# Matches per minute of one population on 1 node (`shaping train`, the embedded default) and on 3 `shaping node`
# processes of one machine. Throughput counts matches recorded after the first one, over the time between the first
# and the last record, so start-up and cluster formation are left out; "steady" leaves out rounds 1-3 as well, while
# each process is still compiling its hot code (three processes warm up three times).
# Usage: bench/cluster-throughput.sh [rounds]; THREE_NODE_THREADS sets compute threads per node of the 3-node run.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
shaping=${SHAPING:-"dotnet $here/src/Host/bin/Release/net10.0/linux-x64/shaping.dll"}
rounds=${1:-30}
work=$(mktemp -d)
population() { # $1 = compute threads per node, $2 = min nodes
  cat <<CONF
shaping.population {
  name = bench
  game = ipd
  members = ["mfos:6"]
  pairing = self-play
  rounds = $rounds
  batch = 1024
  meta-steps = 50
  max-parallel-matches = 3
  min-nodes = $2
  lambda.step = 0.04
}
shaping.learners.mfos.ppo.learning-rate = 0.0002
shaping.node.compute-threads = $1
CONF
}
rate() {
  python3 - "$1/matches.jsonl" <<'PY'
import json, sys
from datetime import datetime
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def rate(ls):
    t = sorted(datetime.fromisoformat(l["recorded"]) for l in ls)
    return (len(t) - 1) / ((t[-1] - t[0]).total_seconds() / 60)
steady = [l for l in lines if l["round"] > 3]
print(f"{len(lines)} matches on {len({l['node'] for l in lines})} node(s): {rate(lines):.1f} matches/min overall, {rate(steady):.1f} steady")
PY
}

population 2 1 > "$work/one.conf"
/usr/bin/time -f "cpu %U user %S sys %e wall" $shaping train --config "$work/one.conf" --out "$work/one" --quiet > "$work/one.log" 2>&1
echo "1 node  (2 compute threads): $(rate "$work/one")"

population "${THREE_NODE_THREADS:-1}" 3 > "$work/three.conf"
read -r p1 p2 p3 < <("$here/tests/e2e/free-ports.sh" 3)
pids=()
for port in $p1 $p2 $p3; do
  /usr/bin/time -f "cpu %U user %S sys %e wall" $shaping node --config "$work/three.conf" --port "$port" --seed-nodes "127.0.0.1:$p1,127.0.0.1:$p2" --out "$work/three" --quiet \
    > "$work/node-$port.log" 2>&1 &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
echo "3 nodes (${THREE_NODE_THREADS:-1} compute thread(s) each): $(rate "$work/three")"
if [ -z "${KEEP:-}" ]; then rm -rf "$work"; else echo "kept $work"; fi
