#!/usr/bin/env bash
# End to end with real processes and failures: three `shaping node` processes on loopback run a population; one of
# them, chosen at random, is killed with SIGKILL at a random moment; the run goes on without it; then every node is
# killed, all three are restarted, and the run finishes from the journal. Checks from the run directory and the
# journal: exactly the planned matches, each match id once, and no learner's newest snapshot older after the restart
# than before it. Prints the time from the kill until every learner was active again.
# Usage: tests/e2e/node-loss.sh [sqlite|postgresql][-tls] [work-dir]   (postgresql starts a private server:
# scripts/postgres.sh; -tls: the nodes and `status` speak TLS, each node with its own certificate from `shaping certs`)
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
shaping=${SHAPING:-"dotnet $here/src/Host/bin/Release/net10.0/linux-x64/shaping.dll"}
store=${1:-sqlite}
tls=off
case "$store" in *-tls) tls=on; store=${store%-tls} ;; esac
work=${2:-$(mktemp -d)}
mkdir -p "$work"
run="$work/run"
read -r p1 p2 p3 < <("$here/tests/e2e/free-ports.sh" 3)
ports=($p1 $p2 $p3)
certs() { :; } # the --certs option of node <port> (none without TLS)
status_certs=()
if [ "$tls" = on ]; then
  $shaping certs --out "$work/certs" --node "n$p1" --node "n$p2" --node "n$p3" > /dev/null
  certs() { echo "--certs $work/certs/n$1"; }
  status_certs=(--certs "$work/certs/n$p1")
fi
seeds="127.0.0.1:$p1,127.0.0.1:$p2"
name="loss$RANDOM$RANDOM"
persistence=""
if [ "$store" = postgresql ]; then
  "$here/scripts/postgres.sh" start >/dev/null
  connection=$("$here/scripts/postgres.sh" create-db "$name")
  persistence="shaping.persistence { store = postgresql, postgresql.connection-string = \"$connection\" }"
fi
cat > "$work/population.conf" <<CONF
shaping.population {
  name = $name
  game = ipd
  members = ["mfos:6"]
  rounds = 60
  batch = 512
  meta-steps = 30
  max-parallel-matches = 3
  min-nodes = 3
  lambda.step = 0.1
}
shaping.learners.mfos.ppo { hidden = 32, learning-rate = 0.0002 }
shaping.node.compute-threads = 1
shaping.arena.summary-interval = 1s # the script watches scoreboard.json
akka.cluster.failure-detector.acceptable-heartbeat-pause = 4s
$persistence
CONF

declare -A pids=()
start_node() { # port
  $shaping node --config "$work/population.conf" --port "$1" --seed-nodes "$seeds" --out "$run" --quiet $(certs "$1") >> "$work/node-$1.log" 2>&1 &
  pids[$1]=$!
}
cleanup() { for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
fail() { echo "node-loss: FAIL: $*" >&2; for f in "$work"/node-*.log; do echo "--- $f" >&2; tail -15 "$f" >&2; done; exit 1; }
board() { python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); print(b[sys.argv[2]])' "$run/scoreboard.json" "$1" 2>/dev/null || echo 0; }
await() { # condition-command description seconds
  local deadline=$((SECONDS + $3))
  until eval "$1"; do [ $SECONDS -lt $deadline ] || fail "$2"; sleep 1; done
}
snapshots() { # newest snapshot sequence number per learner: "id seq" lines
  if [ "$store" = postgresql ]; then
    PGPASSWORD=$(head -1 "$("$here/scripts/postgres.sh" password-file)") \
      psql "postgresql://postgres@127.0.0.1:${SHAPING_PG_PORT:-55433}/$name" -tAF' ' -c "SELECT persistence_id, max(sequence_number) FROM snapshot GROUP BY 1 ORDER BY 1"
  else
    python3 -c 'import sqlite3,sys
for r in sqlite3.connect(sys.argv[1]).execute("SELECT persistence_id, max(sequence_number) FROM snapshot GROUP BY 1 ORDER BY 1"): print(*r)' "$run/snapshots.db"
  fi
}

for port in "${ports[@]}"; do start_node "$port"; done
await '[ "$(board matchesDone)" -ge 6 ]' "no progress before the first kill" 120
sleep "$(python3 -c 'import random; print(round(random.uniform(0, 3), 1))')"
victim=${ports[$((RANDOM % 3))]}
$shaping status --seed-nodes "127.0.0.1:$(for p in "${ports[@]}"; do [ "$p" != "$victim" ] && echo "$p" && break; done)" "${status_certs[@]}" --json > "$work/before.json" || true
lost=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(" ".join(sorted(m for m,n in s["Arena"]["Learners"].items() if n.endswith(":"+sys.argv[2]))))' "$work/before.json" "$victim" 2>/dev/null || true)
arena=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["Arena"]["Node"])' "$work/before.json" 2>/dev/null || echo "?")
done_at_kill=$(board matchesDone)
kill -9 "${pids[$victim]}"; unset "pids[$victim]"
killed_at=$SECONDS
echo "node-loss: killed node :$victim (arena on $arena; its learners: ${lost:-none}) after $done_at_kill matches"

survivor=$(for p in "${ports[@]}"; do [ "$p" != "$victim" ] && echo "$p" && break; done)
recovered() {
  $shaping status --seed-nodes "127.0.0.1:$survivor" "${status_certs[@]}" --json > "$work/after.json" 2>/dev/null || return 1
  python3 -c 'import json,sys
s=json.load(open(sys.argv[1])); a=s["Arena"]
sys.exit(0 if a and len(a["Learners"]) == 6 and not any(n.endswith(":"+sys.argv[2]) for n in a["Learners"].values()) else 1)' "$work/after.json" "$victim"
}
await recovered "the learners of the killed node never came back" 120
echo "node-loss: all 6 learners active again $((SECONDS - killed_at)) s after the kill"
await '[ "$(board matchesDone)" -ge $((done_at_kill + 4)) ] || [ "$(board finished)" = True ]' "no progress after the kill" 180
[ "$(board finished)" != True ] || fail "the run finished before every node could be killed (make it longer)"

snapshots > "$work/snapshots-before.txt"
for port in "${!pids[@]}"; do kill -9 "${pids[$port]}"; done
pids=()
echo "node-loss: killed every node after $(board matchesDone) matches; restarting all three"
sleep 1
for port in "${ports[@]}"; do start_node "$port"; done
await '[ "$(board finished)" = True ]' "the restarted cluster did not finish" 300
for port in "${!pids[@]}"; do wait "${pids[$port]}" || fail "node :$port exited with an error"; done
pids=()
snapshots > "$work/snapshots-after.txt"

python3 - "$run" "$work/snapshots-before.txt" "$work/snapshots-after.txt" <<'PY'
import json, sys, os
run, before, after = sys.argv[1:4]
lines = [json.loads(l) for l in open(os.path.join(run, "matches.jsonl")) if l.strip()]
board = json.load(open(os.path.join(run, "scoreboard.json")))
ids = [l["match"] for l in lines]
assert board["finished"], "not finished"
assert len(ids) == len(set(ids)), f"{len(ids) - len(set(ids))} matches counted twice"
assert len(ids) == board["matchesPlanned"] == board["matchesDone"], f"{len(ids)} recorded, {board['matchesPlanned']} planned"
read = lambda f: {l.split()[0]: int(l.split()[1]) for l in open(f) if l.strip()}
b, a = read(before), read(after)
back = {k: (b[k], a.get(k)) for k in b if a.get(k, -1) < b[k]}
assert not back, f"snapshots went backwards: {back}"
print(f"node-loss: OK: {len(ids)} matches, each once; newest snapshots never went back ({len(b)} learners)")
PY
if [ "$tls" = on ]; then
  grep -q "TLS with" "$work/node-$p1.log" || fail "node :$p1 did not say it speaks TLS"
  echo "node-loss: the nodes spoke TLS with per-node certificates"
fi
