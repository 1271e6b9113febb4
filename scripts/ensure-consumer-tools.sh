#!/usr/bin/env bash
# Install what the consumer tests need besides the npm validators: libxml2's xmllint (reads the
# GraphML export) and a Java runtime (runs the Nu HTML checker, vnu-jar). From Debian's packages when
# missing and we are root; else says how. Without them those tests are skipped, except with CI=true.
set -euo pipefail

missing=()
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's ${missing[*]} (for the consumer tests)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
echo "The consumer tests need ${missing[*]} (Debian/Ubuntu: sudo apt-get install ${missing[*]})." >&2
if [ "${CI:-}" = "true" ]; then
  exit 1
fi
echo "Outside CI those tests are skipped without them." >&2
