# The two commands: `make run` and `make test`. Everything else is what they call.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
# Python and pytest keep their compiled modules (__pycache__, git-ignored): a shell that sets
# PYTHONDONTWRITEBYTECODE made every process (each test worker, each server a test starts) compile Django and
# re-rewrite every test module's asserts again — 14.5 s of CPU to collect the suite against 6.5 s.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test test-deep install translations migrate lint check pytest bench browsers clean

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --disable-pip-version-check -q --upgrade pip
	$(PIP) install --disable-pip-version-check -q -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# Compiled with Babel (pure Python) so that no gettext installation is needed.
translations: $(STAMP)
	$(VENV)/bin/pybabel -q compile -d locale -D django

migrate: install translations
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput

# A background worker (django-tasks' db_worker: evaluation reports, backfills) runs beside the server and
# stops with it.
run: migrate
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo --if-empty
	DEBUG=$${DEBUG:-1} $(PY) manage.py backfill_months --missing
	DEBUG=$${DEBUG:-1} $(PY) manage.py keep_figures --if-stale
	DEBUG=$${DEBUG:-1} $(PY) manage.py db_worker --no-reload & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r config core facilities eldercare volunteers compliance exchange reporting portal opendata bench

check: install translations
	DJANGO_SETTINGS_MODULE=config.test_settings $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=config.test_settings $(PY) manage.py makemigrations --check --dry-run

# Real-browser tests (tests/browser): Playwright drives Debian's chromium, never a browser of its own
# (`playwright install` downloads one and can't work here); a CJK font so that pages and screenshots show
# Chinese. Installed with apt-get when missing, which needs root.
CHROMIUM := /usr/bin/chromium
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
browsers:
	@if [ -x $(CHROMIUM) ] && [ -f $(CJK_FONT) ]; then \
	  echo "browsers: $$($(CHROMIUM) --version 2>/dev/null)"; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-wqy-microhei; \
	else \
	  echo "Debian's chromium or a CJK font is missing: run 'sudo apt-get install -y chromium fonts-wqy-microhei'" >&2; \
	  exit 1; \
	fi

# axe-core (accessibility checks injected by the browser tests), pinned in package.json / package-lock.json.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(AXE)

# Two workers, the slowest files first within pytest-django's order (tests/conftest.py's SLOW_FIRST).
PYTEST_DIST := -n 2
pytest: install translations browsers $(AXE)
	$(VENV)/bin/pytest $(PYTEST_DIST) -q $(PYTEST_ARGS)

test: lint check pytest

# Nightly: the same suite with hypothesis' and schemathesis' full example counts (the "deep" profile).
test-deep: install translations browsers $(AXE)
	HYPOTHESIS_PROFILE=deep $(VENV)/bin/pytest $(PYTEST_DIST) -q $(PYTEST_ARGS)

# Performance benchmark on PostgreSQL (BENCH_PG_URL, default postgresql://postgres@127.0.0.1:5432):
# generates the city at 1x and 40x (--factor), serves it with gunicorn with the page cache on and off, loads it
# with wrk (also under a stream of 5 saves/s), writes docs/PERFORMANCE.md.
# `make bench BENCH_ARGS=--quick` is a smoke run that writes nothing.
bench: install translations
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && (apt-get install -y -q wrk || (apt-get update -q && apt-get install -y -q wrk)); } \
		|| { echo "wrk is missing: run 'apt-get install wrk' as root" >&2; exit 1; }
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache node_modules artifacts
