#!/usr/bin/env bash
# Installs what building and testing Screening needs on a fresh Debian machine, and nothing twice.
# Safe to run again; .ci/run calls it first.
set -euo pipefail

need_apt=()

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET SDK 10 is required (https://dot.net); install it and run this again." >&2
  exit 1
fi

# Browser tests drive Debian's Chromium through Playwright; nothing downloads a browser of its own.
if [ ! -x /usr/bin/chromium ]; then
  need_apt+=(chromium)
fi

# The README's curl walkthrough computes the seeded officials' two-factor codes with oathtool.
if ! command -v oathtool >/dev/null 2>&1; then
  need_apt+=(oathtool)
fi

# The host's tests run a second time on a throwaway PostgreSQL cluster they start themselves (initdb, pg_ctl,
# pg_dump and pg_restore from Debian's server package; decision 0023).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need_apt+=(postgresql)
fi

# The OpenAPI document test lints it with @redocly/cli through npx.
if ! command -v npx >/dev/null 2>&1; then
  command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
  need_apt+=(npm)
fi

if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
  else
    SUDO=
  fi
  echo "setup: installing ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# The generated-client test generates a C# client from the OpenAPI document with Kiota, a dotnet tool pinned in
# dotnet-tools.json (installed from NuGet; nothing else is downloaded).
dotnet tool restore >/dev/null

echo "setup: ready (dotnet $(dotnet --version)${need_apt:+, installed ${need_apt[*]}})"
