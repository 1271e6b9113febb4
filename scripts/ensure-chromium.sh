#!/usr/bin/env bash
# Make sure Debian's headless-capable Chromium is installed for the browser tests of `stackmap report`:
# install the package when we are root, else say how. No browser is ever downloaded from anywhere else.
set -euo pipefail
CHROMIUM="${STACKMAP_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium not found: installing Debian's chromium package (for the browser tests)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  [ -x "$CHROMIUM" ] && { "$CHROMIUM" --version || true; exit 0; }
fi
cat >&2 <<'MSG'
Chromium is needed for the browser tests of the HTML report and was not found.
Install it (Debian/Ubuntu: sudo apt-get install chromium), or point STACKMAP_CHROMIUM at a
Chromium or Chrome executable.
MSG
if [ "${CI:-}" = "true" ]; then
  echo "CI=true: the browser tests must run, so this is an error." >&2
  exit 1
fi
echo "Outside CI the browser tests are skipped without it." >&2
exit 0
