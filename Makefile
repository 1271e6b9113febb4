# The two commands a newcomer needs: `make demo` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test bench bench-render fuzz docs graphviz chromium screenshot clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

graphviz:
	@scripts/ensure-graphviz.sh

chromium:
	@scripts/ensure-chromium.sh

## demo: install, check the sample inventory (showing its findings without failing), render it, write its report
demo: $(STAMP) graphviz
	$(BIN)/stackmap check inventories/ --fail-on never
	$(BIN)/stackmap render inventories/ -o docs/overview.svg
	$(BIN)/stackmap render inventories/ --view customer-data -o docs/customer-data.svg
	$(BIN)/stackmap report inventories/ -o docs/example-report --title "Northwind Outdoor: marketing-technology stack"

## test: install and run the whole test suite (Chromium from Debian for the browser tests of the report)
test: $(STAMP) graphviz chromium
	$(BIN)/python -m pytest

## screenshot: the README's screenshot of the sample report (needs Chromium; run after demo)
screenshot: $(STAMP) chromium
	$(BIN)/python scripts/screenshot_report.py docs/example-report

## bench: performance benchmarks (not part of the test suite); results go in docs/performance.md
bench: $(STAMP) bench-render
	$(BIN)/python bench/check_bench.py
	$(BIN)/python bench/formats_bench.py
	$(BIN)/python bench/governance_bench.py
	$(BIN)/python bench/report_bench.py

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

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache bench/out
