# Two entry points: `make serve` and `make test`. Everything else is what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: serve test build validate bench synthetic clean

$(BIN)/aichr-kg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: $(BIN)/aichr-kg
	$(BIN)/aichr-kg build

serve: build
	$(BIN)/aichr-kg serve --host $(HOST) --port $(PORT)

validate: $(BIN)/aichr-kg
	$(BIN)/aichr-kg validate

test: $(BIN)/aichr-kg
	$(BIN)/aichr-kg validate
	$(BIN)/python -m pytest

bench: build
	$(BIN)/python bench/run.py

clean:
	rm -rf build $(VENV)
