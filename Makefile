# portal: two commands on a fresh machine.
#   make run   - create .venv, install, create and seed the SQLite database, serve on 127.0.0.1
#   make test  - install the test dependencies (Debian's chromium too), run the whole suite
#   make i18n-extract - collect the templates' and code's texts into the Spanish messages.po
#   make i18n-compile - compile each .po catalog to .mo (install does this)
#   make test-postgres - the whole suite again on PostgreSQL (installs and starts Debian's
#                  postgresql on 127.0.0.1 unless TEST_DATABASE_URL names a server)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export HOST PORT

.PHONY: run install install-test i18n-extract i18n-compile i18n-extract-content test test-postgres test-fast lint migrate seed bench bench-load wrk chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@$(MAKE) --no-print-directory i18n-compile

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@$(MAKE) --no-print-directory i18n-compile

# Translations: gettext catalogs in src/portal/locales/<lang>/LC_MESSAGES/. messages.po holds
# the templates' and code's texts (extracted here); content.po the texts kept as data.
LOCALES_DIR := src/portal/locales

i18n-extract:
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-wrap --sort-by-file \
	  --project portal --copyright-holder portal -o $(LOCALES_DIR)/messages.pot .
	@for lang in es; do \
	  if [ -f $(LOCALES_DIR)/$$lang/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel update --no-wrap -i $(LOCALES_DIR)/messages.pot \
	      -d $(LOCALES_DIR) -D messages -l $$lang; \
	  else \
	    $(BIN)/pybabel init --no-wrap -i $(LOCALES_DIR)/messages.pot -d $(LOCALES_DIR) \
	      -D messages -l $$lang; \
	  fi; \
	done

i18n-compile:
	@for po in $(LOCALES_DIR)/*/LC_MESSAGES/*.po; do \
	  $(BIN)/pybabel compile -i "$$po" -o "$${po%.po}.mo" || exit 1; \
	done

run: install
	$(BIN)/python -m portal migrate
	$(BIN)/python -m portal serve

migrate: install
	$(BIN)/python -m portal migrate

seed: install
	$(BIN)/python -m portal seed

# Debian's Chromium drives the browser tests (Playwright's own browser download cannot work
# offline). Installed when missing and we are root; otherwise the browser tests say so.
chromium:
	@if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium is missing: run 'sudo apt-get install chromium' for the browser tests"; \
	  fi; \
	fi

test: install-test chromium
	$(BIN)/python -m pytest

test-postgres: install-test chromium
	@url="$${TEST_DATABASE_URL:-$$(bash .ci/postgres.sh)}" && \
	  echo "running the suite on $${url%%:*}://...@$${url##*@}" && \
	  TEST_DATABASE_URL="$$url" $(BIN)/python -m pytest

# The quick tiers run on up to four cores (pytest-xdist); `make test` runs in one process.
test-fast: install-test
	$(BIN)/python -m pytest -n auto --maxprocesses=4 -m "not browser and not slow" tests/unit tests/web tests/bench

# Speed at 100,000 listings against the server's own /healthz (not part of `make test`):
# wrk from Debian's packages drives `python -m portal serve`; see docs/performance.md.
wrk:
	@if ! command -v wrk >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else \
	    echo "wrk is missing: run 'sudo apt-get install wrk' for the benchmark"; exit 1; \
	  fi; \
	fi

bench: install-test wrk
	$(BIN)/python bench/run.py

# Load at 100,000 listings: 256 connections for 30 s over a mix of pages, one server process,
# RSS sampled every second (docs/performance.md, "Load"). LOAD_ARGS=--reuse-db keeps the database.
bench-load: install-test
	$(BIN)/python bench/load.py $(LOAD_ARGS)

# The shown strings kept as data (questionnaire, results, prep sheet, taxonomy, sources) as a
# template catalog; their Spanish lives in src/portal/locales/es/LC_MESSAGES/content.po.
i18n-extract-content: install
	$(BIN)/python -m portal.locales.data_strings src/portal/locales/content.pot

lint: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

clean:
	rm -rf $(VENV) portal.db portal.db-wal portal.db-shm build dist *.egg-info
