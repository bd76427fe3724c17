#!/usr/bin/env bash
# Installs the load generator (Debian's wrk) and runs the benchmark harness.
#   scripts/benchmarks.sh quick   (a few minutes)
#   scripts/benchmarks.sh full
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-quick}"
if [ ! -x /usr/bin/wrk ]; then
  SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi
dotnet build -c Release tests/Screening.Benchmarks
dotnet run -c Release --no-build --project tests/Screening.Benchmarks -- "$mode"
