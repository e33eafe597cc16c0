# Two commands for a new user: `make run` and `make test`. Both create .venv when missing.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501
# Test processes: two, one per core of the machine the suite's time is measured on.
TEST_PROCESSES ?= 2

.PHONY: run test test-fast check lint typecheck format bench clean

$(STAMP): requirements.txt requirements-dev.txt requirements-validata.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-validata.txt
	@touch $(STAMP)

# Only `init` creates a database, and only on the very first run: no file and no backups beside
# it. A file gone later is said by the dashboard, with the backup that brings it back.
run: $(STAMP)
	@db="$${SPEND_DB:-data/spend.duckdb}"; \
	if [ ! -e "$$db" ] && [ ! -d "$${db%.*}.sauvegardes" ]; then \
		$(BIN)/python -m spend init --db "$$db" || exit 1; fi
	$(BIN)/python -m streamlit run app.py --server.port $(PORT)

# Browser tests (tests/browser) drive Debian's chromium and inject axe-core from node_modules/:
# npm installs it only where chromium is there to use it. Without chromium or axe-core those
# tests are skipped with one line, except under CI=true where they fail.
CHROMIUM ?= /usr/bin/chromium
AXE := node_modules/axe-core/axe.min.js

$(AXE): package.json $(wildcard package-lock.json)
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; \
	else npm install --no-audit --no-fund --loglevel=error; fi
	@touch $@

test: $(STAMP)
	@if [ -x "$(CHROMIUM)" ]; then \
		if command -v npm >/dev/null 2>&1; then \
			$(MAKE) --no-print-directory $(AXE) || [ "$${CI:-}" != true ]; \
		else echo "npm absent : axe-core non installé (tests d'accessibilité ignorés)"; fi \
	fi
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist worksteal

# The fast part alone (no browser, nothing slow): a minute, for the edit-test loop.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist worksteal -m "not browser and not slow"

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The package's annotations checked by mypy (config in pyproject.toml); cached in .mypy_cache.
typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

# Its PostgreSQL rows (pages, then 50 sessions on two replicas: scripts/bench_sessions.py) run on
# SPEND_BENCH_DATABASE_URL, else on a throw-away cluster started as `postgres` (root needed);
# without either, those rows say why they are absent.
bench: $(STAMP)
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/score_deliberations.py

clean:
	rm -rf $(VENV) test-output .pytest_cache .ruff_cache
