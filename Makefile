# Two entry points: `make serve` and `make test`. Everything else is what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: serve test test-all test-fast lint build validate bench bench-peer editor clean

# The project and its runtime dependencies (reinstalled when pyproject.toml changes).
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

# The same plus the test extras (pytest, requests, SPARQL clients, Playwright, Pillow, schemathesis, Hypothesis, owlready2,
# and Oxigraph's own server, which `make bench` compares /sparql with and a slow test drives).
$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: $(VENV)/.installed
	$(BIN)/aichr-kg build

serve: build
	$(BIN)/aichr-kg serve --host $(HOST) --port $(PORT)

validate: $(VENV)/.installed
	$(BIN)/aichr-kg validate

# The suite on both cores (pytest-xdist); a module's tests marked with one xdist_group run on one worker.
PYTEST_PARALLEL := -n 2 --dist loadgroup --durations=20

test: $(VENV)/.installed-test lint
	$(BIN)/aichr-kg validate
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not thorough"

# What CI runs: the same suite, with the shared suites on Virtuoso too and every generated input at full count.
test-all: $(VENV)/.installed-test lint
	$(BIN)/aichr-kg validate
	AICHR_KG_TESTS=thorough $(BIN)/python -m pytest $(PYTEST_PARALLEL)

# The edit-test loop: everything but the browser and the slow process tests (kills, builds, fuzzing).
test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m "not slow and not browser" -q -n 2

# Lint, format and types, as CI checks them.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check server tests bench
	$(BIN)/ruff format --check server tests bench
	$(BIN)/mypy

# Build steps, /sparql vs in-process, the completion request, completion typed-to-shown in chromium, and
# /sparql vs Oxigraph's server, on the real data and ~1M triples
# (about 10 minutes on 2 quiet cores, 30 on busy ones), then docs/benchmarks.md written from bench/results.json.
# `make bench-peer` re-runs only the last and updates only its part (`python -m bench.run --help` for sample counts and passes).
bench: $(VENV)/.installed-test build
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.report

bench-peer: $(VENV)/.installed-test build
	$(BIN)/python -m bench.run --peer-only
	$(BIN)/python -m bench.report

# The query page's editor (CodeMirror 6 and our completion), rebuilt from server/editor into the one
# committed file server/aichr_kg/web/static/query-editor.js; needs Node and npm, which nothing else does.
editor:
	cd server/editor && npm ci --no-audit --no-fund && npm run build

clean:
	rm -rf build .build build.staging build.old $(VENV)
