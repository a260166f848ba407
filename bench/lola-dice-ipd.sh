#!/usr/bin/env bash
# Reproduces the LOLA-DiCE IPD table (shared/reference/lola_dice.md; alshedivat/lola notebooks/dice/results): IPD
# self-play, 200 updates, 64 roll-outs of 150 steps per policy pair, outer step 0.2, plain SGD, rewards centred per
# step (the official use_baseline = False); the header line records the settings. Each seed plays --batch independent policy pairs, each one official run;
# a row's figure is per seed the mean over its games of both agents' mean reward over the last 10 updates, then
# mean ± sd over the seeds. Prints one markdown table.
#
# Environment (defaults in brackets): SEEDS [1 2 3 4 5], BATCH [32], INIT [zeros] (normal | zeros | uniform),
# ETA [0.3 with 1 look-ahead, 0.1 with 2 or 3: the two values the official script had (README: no single one
# reproduces every row)] (look-ahead step), BASELINE [mean] (none | mean | value), ROLLOUTS [64], ROWS [nl dice1 dice2 dice3 om2],
# NICE [10].
# Rows exact1, exact2, exact3 play lola-lookahead: the same rule on exact values (no sampling noise).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seeds=(${SEEDS:-1 2 3 4 5})
batch=${BATCH:-32}
init=${INIT:-zeros}
eta_of() { if [[ -n "${ETA:-}" ]]; then echo "$ETA"; elif [[ "$1" == 1 ]]; then echo 0.3; else echo 0.1; fi; }
baseline=${BASELINE:-mean}
rollouts=${ROLLOUTS:-64}
rows=(${ROWS:-nl dice1 dice2 dice3 om2})
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
source "$root/bench/snapshot-build.sh"
snapshot_build "$root" "$work/bin" # build once, outside the timings; later rebuilds of the worktree do not affect this run
echo "init $init, look-ahead step ${ETA:-0.3 (1 look-ahead) / 0.1 (2, 3)}, baseline $baseline, $rollouts roll-outs, $batch games × ${#seeds[@]} seeds"
echo "commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- src || echo ' + uncommitted changes'), $(date -u '+%Y-%m-%d %H:%M UTC'), load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

declare -A official=(
  [nl]="−1.99 (−1.99 … −1.99)" [dice1]="−1.19 (−1.31 … −1.11)" [dice2]="−1.12 (−1.18 … −1.05)"
  [dice3]="−1.11 (−1.18 … −1.02)" [om2]="−1.09 (−1.10 … −1.07)" [exact1]="—" [exact2]="—" [exact3]="—")
declare -A label=(
  [nl]="NL-PG" [dice1]="LOLA-DiCE, 1 look-ahead" [dice2]="LOLA-DiCE, 2 look-aheads" [dice3]="LOLA-DiCE, 3 look-aheads"
  [om2]="LOLA-DiCE + opponent model, 2 look-aheads" [exact1]="exact look-ahead rule, 1 step"
  [exact2]="exact look-ahead rule, 2 steps" [exact3]="exact look-ahead rule, 3 steps")

echo "| rule | look-ahead step | ours: mean ± sd over ${#seeds[@]} seeds | ours: sd over runs (min … max) | official: mean of 5 runs (min … max) | s per seed |"
echo "|---|---|---|---|---|---|"
for row in "${rows[@]}"; do
  case "$row" in
    nl) learner=nl-pg; steps=0; model=off ;;
    dice1) learner=lola-dice; steps=1; model=off ;;
    dice2) learner=lola-dice; steps=2; model=off ;;
    dice3) learner=lola-dice; steps=3; model=off ;;
    om2) learner=lola-dice; steps=2; model=on ;;
    exact1|exact2|exact3) learner=lola-lookahead; steps=${row#exact}; model=off ;;
    *) echo "unknown row '$row' (known: nl dice1 dice2 dice3 om2 exact1 exact2 exact3)" >&2; exit 2 ;;
  esac
  eta=$(eta_of "$steps")
  overlay="$work/$row.conf"
  cat > "$overlay" <<CONF
shaping.learners.nl-pg { learning-rate = 0.2, rollouts = $rollouts, rollout-length = 150 }
shaping.learners.lola-dice { learning-rate = 0.2, lookahead-rate = $eta, lookahead-steps = $steps, rollouts = $rollouts,
  rollout-length = 150, opponent-model = $model, baseline = $baseline }
shaping.learners.lola-lookahead { learning-rate = 0.2, lookahead-rate = $eta, lookahead-steps = $steps }
CONF
  : > "$work/$row.jsonl"
  seconds=()
  for seed in "${seeds[@]}"; do
    start=$(date +%s.%N)
    nice -n "${NICE:-10}" dotnet "$SHAPING_SNAPSHOT" play --game ipd --row "$learner" --col "$learner" --batch "$batch" --steps 200 \
      --seed "$seed" --init "$init" --json --config "$overlay" >> "$work/$row.jsonl"
    seconds+=("$(echo "$(date +%s.%N) - $start" | bc)")
  done
  python3 - "$work/$row.jsonl" "${label[$row]}" "${official[$row]}" "${seconds[*]}" "$([[ $steps == 0 ]] && echo — || echo "$eta")" <<'PY'
import json, statistics, sys
path, label, official, seconds, eta = sys.argv[1], sys.argv[2], sys.argv[3], [float(s) for s in sys.argv[4].split()], sys.argv[5]
runs = [json.loads(line) for line in open(path)]
per_seed = [(r["row"]["final"] + r["col"]["final"]) / 2 for r in runs]
per_run = [(a + b) / 2 for r in runs for a, b in zip(r["row"]["finals"], r["col"]["finals"])]
sd = statistics.stdev(per_seed) if len(per_seed) > 1 else float("nan")
f = lambda x: f"{x:.3f}".replace("-", "−")
print(f"| {label} | {eta} | {f(statistics.mean(per_seed))} ± {sd:.3f} | {statistics.stdev(per_run):.3f} ({f(min(per_run))} … {f(max(per_run))}) "
      f"| {official} | {statistics.median(seconds):.0f} |")
PY
done
