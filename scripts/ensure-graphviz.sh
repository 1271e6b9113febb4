#!/usr/bin/env bash
# Make sure Graphviz's `dot` is on PATH: install Debian's package when we are root, else say how.
set -euo pipefail
if command -v dot >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Graphviz (dot) not found: installing Debian's graphviz package..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends graphviz >/dev/null
  command -v dot >/dev/null 2>&1 && { dot -V; exit 0; }
fi
cat >&2 <<'MSG'
Graphviz's `dot` program is required for rendering diagrams and was not found.
Install it, then run make again:
  Debian/Ubuntu:  sudo apt-get install graphviz
  Fedora:         sudo dnf install graphviz
  macOS:          brew install graphviz
MSG
exit 1
