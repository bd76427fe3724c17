#!/usr/bin/env bash
# Kills the host with SIGKILL at random instants under load and checks that nothing acknowledged is lost.
#   scripts/crash-harness.sh                 20 rounds on SQLite
#   scripts/crash-harness.sh --long          50 rounds
#   scripts/crash-harness.sh 35              any number of rounds
#   scripts/crash-harness.sh --postgres ...  the same rounds and checks on PostgreSQL (a throwaway cluster the
#                                            tests start themselves; scripts/setup.sh installs postgresql)
# The test suite runs the same harness with 4 rounds, on both databases.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=20
project=tests/Screening.Web.Tests
for argument in "$@"; do
  case "$argument" in
    --long) rounds=50 ;;
    --postgres) project=tests/Screening.Web.Tests.PostgreSql ;;
    *) rounds="$argument" ;;
  esac
done
export SCREENING_CRASH_ROUNDS="$rounds"
log="$(mktemp)"
status=0
dotnet test "$project" --filter "FullyQualifiedName~CrashHarness" --logger "console;verbosity=detailed" > "$log" 2>&1 || status=$?
grep -E "round [0-9]+:|rounds killed|Passed!|Failed!|Error Message|Assert" "$log" || cat "$log"
exit "$status"
