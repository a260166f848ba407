#!/usr/bin/env bash
# End to end with real processes: three `shaping node` processes on loopback run a small population; checks that
# `shaping status` sees all three, that matches ran on all three nodes, that the scoreboard counts every planned
# match exactly once, and that nodes kept up with --stay leave cleanly on SIGTERM. (--stay: a run of 48 small
# matches ends in ~15 s, sooner than a busy machine starts `status` a few times.) Usage: tests/e2e/three-nodes.sh [work-dir]
# SHAPING overrides the command (default: the Release build of src/Host, built by ./test.sh or ./shaping).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
shaping=${SHAPING:-"dotnet $here/src/Host/bin/Release/net10.0/linux-x64/shaping.dll"}
work=${1:-$(mktemp -d)}
mkdir -p "$work"
run="$work/run"
read -r p1 p2 p3 < <("$here/tests/e2e/free-ports.sh" 3)
seeds="127.0.0.1:$p1,127.0.0.1:$p2"
cat > "$work/population.conf" <<CONF
shaping.population {
  name = e2e
  game = ipd
  members = ["mfos:6"]
  pairing = self-play
  rounds = 12
  batch = 128
  meta-steps = 10
  max-parallel-matches = 3
  min-nodes = 3
  lambda.step = 0.1
}
shaping.learners.mfos.ppo { hidden = 16, learning-rate = 0.0002 }
shaping.node.compute-threads = 1
CONF

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
for port in $p1 $p2 $p3; do
  $shaping node --config "$work/population.conf" --port "$port" --seed-nodes "$seeds" --out "$run" --quiet --stay \
    > "$work/node-$port.log" 2>&1 &
  pids+=($!)
done

fail() { echo "e2e: FAIL: $*" >&2; for f in "$work"/node-*.log; do echo "--- $f" >&2; tail -20 "$f" >&2; done; exit 1; }

# status sees the three members once they are up
deadline=$((SECONDS + 90))
until $shaping status --seed-nodes "$seeds" --json > "$work/status.json" 2>/dev/null \
      && python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); sys.exit(0 if sum(m["Status"]=="Up" for m in s["Members"])==3 else 1)' "$work/status.json"; do
  [ $SECONDS -lt $deadline ] || fail "status never showed 3 members up"
  sleep 2
done
echo "e2e: status sees 3 members up"

deadline=$((SECONDS + 240))
until python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["finished"] else 1)' "$run/scoreboard.json" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || fail "the run did not finish in time"
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || fail "node process $pid died"; done
  sleep 2
done
for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || fail "node process $pid left though --stay"; done
for pid in "${pids[@]}"; do kill -TERM "$pid"; done
for pid in "${pids[@]}"; do
  wait "$pid" || fail "node process $pid exited with $? after SIGTERM"
done
pids=()

python3 - "$run" <<'PY'
import json, sys, os
run = sys.argv[1]
lines = [json.loads(l) for l in open(os.path.join(run, "matches.jsonl")) if l.strip()]
board = json.load(open(os.path.join(run, "scoreboard.json")))
ids = [l["match"] for l in lines]
nodes = sorted({l["node"] for l in lines})
assert board["finished"], "scoreboard not finished"
assert len(ids) == len(set(ids)), f"{len(ids) - len(set(ids))} matches counted twice"
assert len(ids) == board["matchesPlanned"] == board["matchesDone"], f"{len(ids)} lines, planned {board['matchesPlanned']}, done {board['matchesDone']}"
assert len(nodes) == 3, f"matches ran on {nodes}, expected 3 nodes"
per_node = {n: sum(l["node"] == n for l in lines) for n in nodes}
print(f"e2e: OK: {len(ids)} matches, each once, on 3 nodes {per_node}")
PY
