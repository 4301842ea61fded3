# Kronika — two commands: `make demo` and `make test` (each sets everything up itself).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= kronika.duckdb
SEED   := examples/seed/2019-05-30-japan-russia.txt
SERVE  ?= 1
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: demo test lint install clean bench

# The exact tested package set (constraints.txt) inside the ranges pyproject.toml declares.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/kronika ingest examples --db $(DB)
	$(BIN)/kronika stats --db $(DB)
	$(BIN)/kronika events --db $(DB) --doc $(notdir $(SEED)) --limit 100
ifeq ($(SERVE),1)
	@echo "Serving the demo store at http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/kronika serve --db $(DB) --host $(HOST) --port $(PORT)
endif

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

test: $(STAMP) lint
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks.throughput

clean:
	rm -rf $(VENV) $(DB) $(DB).wal .pytest_cache .ruff_cache test-output
