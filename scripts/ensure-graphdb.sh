#!/usr/bin/env bash
# The embedded graph database that tests/test_consumer_cypher.py executes the Cypher export on:
# FalkorDB's embedded build (falkordblite from PyPI, pinned in tests/consumers/graphdb-requirements.txt)
# in its own venv, .venv-graphdb, because it needs Python 3.12 or later. Uses the first of
# $GRAPHDB_PYTHON, python3.12 (falkordblite ships wheels for it), pyenv's 3.12, then 3.13, that exists; without one the tests
# are skipped, except with CI=true, where this fails.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-graphdb
LOCK=tests/consumers/graphdb-requirements.txt
STAMP=$VENV/.installed-stamp
if [ -f "$STAMP" ] && [ "$STAMP" -nt "$LOCK" ]; then
  exit 0
fi

python=""
for candidate in "${GRAPHDB_PYTHON:-}" python3.12 "$HOME"/.pyenv/versions/3.12*/bin/python3 python3.13 \
                 "$HOME"/.pyenv/versions/3.13*/bin/python3; do
  [ -n "$candidate" ] || continue
  if command -v "$candidate" >/dev/null 2>&1 \
     && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    python=$candidate
    break
  fi
done
if [ -z "$python" ]; then
  echo "Python 3.12 or later is needed for the embedded graph database (falkordblite) the Cypher export is" \
       "run on; set GRAPHDB_PYTHON to one." >&2
  if [ "${CI:-}" = "true" ]; then exit 1; fi
  echo "Outside CI those tests are skipped without it." >&2
  exit 0
fi
echo "Installing the embedded graph database (falkordblite) into $VENV with $python..."
rm -rf "$VENV"
"$python" -m venv "$VENV"
if ! "$VENV/bin/python" -m pip install --quiet -r "$LOCK"; then
  echo "Installing falkordblite failed (is PyPI reachable?)." >&2
  rm -rf "$VENV"
  if [ "${CI:-}" = "true" ]; then exit 1; fi
  exit 0
fi
touch "$STAMP"
