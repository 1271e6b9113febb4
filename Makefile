# The two commands a newcomer needs: `make demo` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test bench fuzz docs graphviz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

graphviz:
	@scripts/ensure-graphviz.sh

## demo: install, check the sample inventory (showing its findings without failing), render it
demo: $(STAMP) graphviz
	$(BIN)/stackmap check inventories/ --fail-on never

## test: install and run the whole test suite
test: $(STAMP) graphviz
	$(BIN)/python -m pytest

## bench: performance benchmarks (not part of the test suite); results go in docs/performance.md
bench: $(STAMP)
	$(BIN)/python bench/check_bench.py

## fuzz: a longer fuzz campaign on the loader than the one `make test` runs
FUZZ_EXAMPLES ?= 20000
fuzz: $(STAMP)
	STACKMAP_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q tests/test_fuzz.py

## docs: regenerate docs/rules.md and the sample output in README.md
docs: $(STAMP)
	$(BIN)/python scripts/update_docs.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache bench/out
