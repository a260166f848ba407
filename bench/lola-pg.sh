#!/usr/bin/env bash
# LOLA-PG at the LOLA paper's scale (bench/lola-pg.conf): IPD (γ 0.96) and IMP (γ 0.9), 150 updates of 4,000
# roll-outs × 150 steps, N(0, 1) starts; LOLA-PG and NL-PG self-play and LOLA-PG vs NL-PG. Each seed plays --batch
# independent policy pairs (each one run of the paper's code). Prints one markdown table: per side the mean over
# seeds (± sd) of the mean over games of the last 10 updates' reward, and for the zero-sum IMP also the mean over
# games of |reward| (0 when neither side exploits the other).
#
# Environment: SEEDS [1 2 3], BATCH [8], STEPS [150], GAMES [ipd imp-lola], NICE [10].
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seeds=(${SEEDS:-1 2 3})
batch=${BATCH:-8}
steps=${STEPS:-150}
games=(${GAMES:-ipd imp-lola})
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
source "$root/bench/snapshot-build.sh"
snapshot_build "$root" "$work/bin" # build once, outside the timings; later rebuilds of the worktree do not affect this run
echo "commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- src || echo ' + uncommitted changes'), $(date -u '+%Y-%m-%d %H:%M UTC'), load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

echo "| game | row vs col | row: last 10 updates | col: last 10 updates | mean \|reward\| over games | s per seed |"
echo "|---|---|---|---|---|---|"
for game in "${games[@]}"; do
  for pair in "lola-pg lola-pg" "nl-pg nl-pg" "lola-pg nl-pg"; do
    read -r row col <<<"$pair"
    out="$work/$game-$row-$col.jsonl"
    : > "$out"
    seconds=()
    for seed in "${seeds[@]}"; do
      start=$(date +%s.%N)
      nice -n "${NICE:-10}" dotnet "$SHAPING_SNAPSHOT" play --game "$game" --row "$row" --col "$col" --batch "$batch" --steps "$steps" \
        --seed "$seed" --init normal --json --config "$root/bench/lola-pg.conf" >> "$out"
      seconds+=("$(echo "$(date +%s.%N) - $start" | bc)")
    done
    python3 - "$out" "$game" "$row vs $col" "${seconds[*]}" <<'PY'
import json, statistics, sys
path, game, pair, seconds = sys.argv[1], sys.argv[2], sys.argv[3], [float(s) for s in sys.argv[4].split()]
runs = [json.loads(line) for line in open(path)]
f = lambda x: f"{x:.3f}".replace("-", "−")
def side(name):
    v = [r[name]["final"] for r in runs]
    return f"{f(statistics.mean(v))} ± {statistics.stdev(v) if len(v) > 1 else float('nan'):.3f}"
magnitude = statistics.mean(abs(x) for r in runs for x in r["row"]["finals"])
print(f"| {game} | {pair} | {side('row')} | {side('col')} | {magnitude:.3f} | {statistics.median(seconds):.0f} |")
PY
  done
done
