#!/usr/bin/env bash
# Kills the host with SIGKILL at random instants under load and checks that nothing acknowledged is lost.
#   scripts/crash-harness.sh          20 rounds
#   scripts/crash-harness.sh --long   50 rounds
#   scripts/crash-harness.sh 35       any number of rounds
# The test suite runs the same harness with 4 rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=20
case "${1:-}" in
  --long) rounds=50 ;;
  '') ;;
  *) rounds="$1" ;;
esac
export SCREENING_CRASH_ROUNDS="$rounds"
log="$(mktemp)"
status=0
dotnet test tests/Screening.Web.Tests --filter "FullyQualifiedName~CrashHarness" --logger "console;verbosity=detailed" > "$log" 2>&1 || status=$?
grep -E "round [0-9]+:|rounds killed|Passed!|Failed!|Error Message|Assert" "$log" || cat "$log"
exit "$status"
