# Quick start: `make demo`, then `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED ?= ../shared
GOLD   := $(SHARED)/benchmarks/plover_gsr_cameo.jsonl

.PHONY: setup demo test lint eval bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	touch $(STAMP)

demo: setup
	rm -rf demo
	mkdir -p demo
	$(BIN)/events run events/sample/articles.jsonl --db demo/events.duckdb
	$(BIN)/events export --db demo/events.duckdb --out demo/parquet
	$(BIN)/events stats --db demo/events.duckdb

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check events tests bench

eval: setup
	$(BIN)/events evaluate $(wildcard $(GOLD)) tests/data/hard_cases.jsonl --misses eval-misses.jsonl

bench: setup
	$(BIN)/python bench/run_bench.py

clean:
	rm -rf demo .pytest_cache
