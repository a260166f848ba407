#!/usr/bin/env bash
# Population scale (README "Population scale"): leagues of cheap members (nl, lola, tft, alld; 64 games × 10 steps a
# match) on 1 node (`shaping train`, 2 compute threads) and on 3 `shaping node` processes of this machine (1 compute
# thread each), then the arena's recovery after kill -9 of its node at 10³, 10⁴ and 10⁵ recorded matches.
# For each run: matches/s overall, over the first and the last tenth of the matches (and their ratio), and the
# orchestration overhead per match: compute-thread time not spent computing (wall × threads − busy) / matches.
# Usage: bench/population-scale.sh [sizes...]   (default: 64 256 1024; RECOVERY=0 skips the kill -9 part, RECOVERY=only runs only it)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/shaping" --help > /dev/null  # build
shaping="dotnet $here/src/Host/bin/Release/net10.0/linux-x64/shaping.dll"
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
sizes=("${@:-64 256 1024}")
echo "population-scale: $(git -C "$here" rev-parse --short HEAD), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), work in $work"

league() { # $1 = members, $2 = name, $3 = min nodes, $4 = compute threads
  local n=$1 half=$(( $1 / 2 )) quarter=$(( $1 / 4 )) eighth=$(( $1 / 8 ))
  local pairing rounds extra=""
  if [ "$n" -le 64 ]; then pairing=round-robin; rounds=1; else pairing=pfsp; rounds=$(( 102400 / n )); extra="matches-per-round = 1"; fi
  [ "$n" -eq 256 ] && rounds=40
  cat <<CONF
shaping.population { name = $2, game = ipd, members = ["nl:$half", "lola:$quarter", "tft:$eighth", "alld:$eighth"],
  pairing = $pairing, rounds = $rounds, batch = 64, meta-steps = 10, max-parallel-matches = 16, min-nodes = $3, $extra }
shaping.node.compute-threads = $4
akka.loglevel = INFO
CONF
}

report() { # $1 = run dir, $2 = label, $3.. = node logs
  local dir=$1 label=$2; shift 2
  python3 - "$dir/matches.jsonl" "$label" "$@" <<'PY'
import json, sys, re
from datetime import datetime
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
t = sorted(datetime.fromisoformat(l["recorded"]) for l in lines)
n = len(t); k = max(2, n // 10)
rate = lambda a, b: (b - a - 1) / max(1e-9, (t[b - 1] - t[a]).total_seconds())
busy = wall = threads = 0.0
for log in sys.argv[3:]:
    for m in re.finditer(r"compute threads busy ([\d.]+) s of ([\d.]+) s × (\d+) threads", open(log).read()):
        busy += float(m.group(1)); wall = max(wall, float(m.group(2))); threads += int(m.group(3))
span = (t[-1] - t[0]).total_seconds()
overhead = (span * threads - busy) / n * 1000 if threads else float("nan")
print(f"{sys.argv[2]}: {n} matches in {span:.0f} s: {n / span:.1f}/s; first tenth {rate(0, k):.1f}/s, last tenth {rate(n - k, n):.1f}/s "
      f"(last/first {rate(n - k, n) / rate(0, k):.2f}); compute busy {busy:.0f} s on {threads:.0f} threads; "
      f"overhead {overhead:.1f} ms of compute-thread time per match; mean match {1000 * sum(l['seconds'] for l in lines) / n:.1f} ms")
PY
}

[ "${RECOVERY:-1}" = only ] && sizes=()
for n in ${sizes[*]}; do
  league "$n" "scale$n" 1 2 > "$work/one-$n.conf"
  $shaping train --config "$work/one-$n.conf" --out "$work/one-$n" --quiet > "$work/one-$n.log" 2>&1
  report "$work/one-$n" "$n members, 1 node" "$work/one-$n.log"

  league "$n" "scale$n" 3 1 > "$work/three-$n.conf"
  read -r p1 p2 p3 < <("$here/tests/e2e/free-ports.sh" 3)
  pids=()
  for port in $p1 $p2 $p3; do
    $shaping node --config "$work/three-$n.conf" --port "$port" --seed-nodes "127.0.0.1:$p1,127.0.0.1:$p2" --out "$work/three-$n" --quiet \
      > "$work/three-$n-$port.log" 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  report "$work/three-$n" "$n members, 3 nodes" "$work"/three-"$n"-*.log
done

[ "${RECOVERY:-1}" = 0 ] && exit 0
# Recovery: 3 nodes, the 1024-member league; kill -9 the arena's node when 10³, 10⁴ and 10⁵ matches are recorded,
# restart it, and report the new arena's own recovery time (its log line) and the time until matches flow again.
league 1024 recovery 3 1 > "$work/recovery.conf"
run="$work/recovery"
read -r p1 p2 p3 < <("$here/tests/e2e/free-ports.sh" 3)
ports=($p1 $p2 $p3)
declare -A pids=()
start() { $shaping node --config "$work/recovery.conf" --port "$1" --seed-nodes "127.0.0.1:$p1,127.0.0.1:$p2" --out "$run" --quiet >> "$work/recovery-$1.log" 2>&1 & pids[$1]=$!; }
for port in "${ports[@]}"; do start "$port"; done
recorded() { [ -f "$run/matches.jsonl" ] && wc -l < "$run/matches.jsonl" || echo 0; }
for threshold in 1000 10000 100000; do
  until [ "$(recorded)" -ge "$threshold" ]; do sleep 1; done
  arena=$($shaping status --seed-nodes "127.0.0.1:$p1,127.0.0.1:$p2,127.0.0.1:$p3" --json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["Arena"]["Node"].split(":")[1])')
  at=$(recorded); killed=$(date +%s.%N)
  kill -9 "${pids[$arena]}"; wait "${pids[$arena]}" 2>/dev/null || true
  start "$arena"
  until [ "$(recorded)" -gt "$((at + 50))" ]; do sleep 0.5; done
  flowing=$(python3 -c "print(round($(date +%s.%N) - $killed, 1))")
  # the newest recovery line of all nodes' logs (by its timestamp, not by the file it is in)
  recovered=$(grep -h "arena recovered on" "$work"/recovery-*.log | sed -E 's/^\[[A-Z]+\]\[([^]]*)\].*(arena recovered on [^ ]* in [0-9]* ms with [0-9]* of [0-9]*).*/\1 \2/' | sort | tail -1 | cut -d' ' -f3-)
  echo "kill -9 of the arena's node at $at recorded matches: $recovered; matches flowing again after ${flowing} s"
done
for pid in "${pids[@]}"; do wait "$pid" || true; done
report "$run" "recovery run (3 nodes, 3 kills)" "$work"/recovery-*.log
