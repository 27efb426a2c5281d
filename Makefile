# Coursesite: `make run` serves the demo; `make test` runs the suite. Both set up from nothing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test lint e2e scan gate-selftest bench clean venv

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/python -m coursesite.setup_db
	@echo "Coursesite at http://$(HOST):$(PORT)/  (demo blog: http://$(HOST):$(PORT)/c/demo-101/)"
	$(FLASK) run --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

test: $(VENV)/.installed-dev lint
	$(BIN)/pytest -q tests/unit tests/functional

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# Benchmark (issue 8): SIZES=S,M skips the large course. Needs wrk (apt-get install -y wrk) and PostgreSQL binaries.
SIZES ?= S,M,L
BENCH_PGPORT ?= 5129
bench: $(VENV)/.installed
	COURSESITE_INSTANCE_PATH=/tmp/bench-inst PYTHONPATH=. PGPORT=$(BENCH_PGPORT) .ci/with-postgres.sh $(BIN)/python -m bench.run --sizes $(SIZES)
