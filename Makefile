# Coursesite: `make run` serves the demo; `make test` runs the suite. Both set up from nothing.
# The gates (`make e2e`, `make scan`, `make gate-selftest`) also need Debian's chromium, Java 17 and npm:
# .ci/run installs them. Their screenshots, logs and reports go to ci-artifacts/.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi
E2E_DIR := tests/e2e
SCAN_VENV := .venv-scan
ARTIFACTS := ci-artifacts

.PHONY: run reset-demo test lint e2e scan gate-selftest bench clean venv

# pip's and the build's chatter goes to .venv/install.log, shown only when the install fails.
PIP_LOGGED = $(BIN)/pip install --quiet --disable-pip-version-check
INSTALL_LOG := $(VENV)/install.log

$(BIN)/activate:
	@echo "Setting up $(VENV) (the first time takes a minute)..."
	@$(PYTHON) -m venv $(VENV)
	@$(PIP_LOGGED) --upgrade pip > $(INSTALL_LOG) 2>&1 || { cat $(INSTALL_LOG); exit 1; }

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	@$(PIP_LOGGED) -e . >> $(INSTALL_LOG) 2>&1 || { cat $(INSTALL_LOG); exit 1; }
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/activate
	@$(PIP_LOGGED) -e '.[dev]' >> $(INSTALL_LOG) 2>&1 || { cat $(INSTALL_LOG); exit 1; }
	@touch $@

$(VENV)/.installed-e2e: pyproject.toml | $(BIN)/activate
	@$(PIP_LOGGED) -e '.[dev,e2e]' >> $(INSTALL_LOG) 2>&1 || { cat $(INSTALL_LOG); exit 1; }
	@touch $@

# axe-core and vnu-jar; --ignore-scripts: vnu-jar's postinstall would fetch a Java runtime from the internet.
$(E2E_DIR)/node_modules/.installed: $(E2E_DIR)/package.json $(E2E_DIR)/package-lock.json
	cd $(E2E_DIR) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

$(SCAN_VENV)/.installed: tests/scan/requirements.txt
	$(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/pip install --quiet --upgrade pip
	$(SCAN_VENV)/bin/pip install --quiet -r tests/scan/requirements.txt
	touch $@

venv: $(VENV)/.installed

run: $(VENV)/.installed
	@$(BIN)/python -m coursesite.setup_db
	@echo "Coursesite at http://$(HOST):$(PORT)/  (demo blog: http://$(HOST):$(PORT)/c/demo-101/)"
	@COURSESITE_BASE_URL=$${COURSESITE_BASE_URL:-http://$(HOST):$(PORT)} $(FLASK) run --host $(HOST) --port $(PORT)

# Start the demo over: the SQLite file is kept as a backup beside the new one.
reset-demo: $(VENV)/.installed
	@$(BIN)/python -m coursesite.setup_db --reset

# ruff, then the import contracts of .importlinter (layers, independent blueprints and view modules).
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: $(VENV)/.installed-dev lint
	$(BIN)/pytest -q tests/unit tests/functional

# Real-browser journeys, axe-core and vnu on every page, hostile input in the browser.
e2e: $(VENV)/.installed-e2e $(E2E_DIR)/node_modules/.installed
	$(BIN)/pytest -q tests/e2e --output $(ARTIFACTS)/e2e/failures --screenshot only-on-failure \
	  --full-page-screenshot --tracing retain-on-failure --junitxml $(ARTIFACTS)/e2e/junit.xml

# wapiti and sqlmap against a throwaway server, and bandit on the code.
scan: $(VENV)/.installed $(SCAN_VENV)/.installed
	$(BIN)/python -m tests.scan.run_scan

# Every gate must fail on a fault planted in a throwaway copy.
gate-selftest: $(VENV)/.installed-e2e $(E2E_DIR)/node_modules/.installed $(SCAN_VENV)/.installed
	$(BIN)/python tests/gates/selftest.py

clean:
	rm -rf $(VENV) $(SCAN_VENV) $(E2E_DIR)/node_modules $(ARTIFACTS) .pytest_cache .ruff_cache

# Benchmark (issue 8): SIZES=S,M skips the large course. Needs wrk (apt-get install -y wrk) and PostgreSQL binaries.
SIZES ?= S,M,L
BENCH_PGPORT ?= 5129
bench: $(VENV)/.installed
	COURSESITE_INSTANCE_PATH=/tmp/bench-inst PYTHONPATH=. PGPORT=$(BENCH_PGPORT) .ci/with-postgres.sh $(BIN)/python -m bench.run --sizes $(SIZES)
