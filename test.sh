#!/usr/bin/env bash
# Builds and runs the whole test suite (Release), then prints one summary line "N passed, N failed, N skipped".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/build-tools.sh"
log="$(mktemp)"
dotnet test "$root/ShapingCluster.sln" -c Release -nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
summary="$(grep -E '(Passed|Failed)!.*Failed: *[0-9]+, Passed: *[0-9]+' "$log" | tail -1)"
if [[ -n "$summary" ]]; then
  failed=$(sed -E 's/.*Failed: *([0-9]+).*/\1/' <<<"$summary")
  passed=$(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$summary")
  skipped=$(sed -E 's/.*Skipped: *([0-9]+).*/\1/' <<<"$summary")
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "0 passed, 1 failed (the test run did not finish; see the log above)"
  [[ $status -eq 0 ]] && status=1
fi
rm -f "$log"
exit "$status"
