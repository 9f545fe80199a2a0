# Thaw: `make run` serves the app with demo data; `make test` passes the suite.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
INSTALLED := $(VENV)/.installed
PG_URL := postgres://thaw@127.0.0.1:54329/thaw
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite is CPU-bound: one test process per core (pytest-xdist). Each test is a unit a
# free process takes, slow tests first, except that tests sharing a fixture built once per
# module or per process run in one process (xdist_group marks set by tests/conftest.py).
TEST_PROCESSES ?= $(shell nproc 2>/dev/null || echo 2)
XDIST := -n $(TEST_PROCESSES) --dist loadgroup --no-loadscope-reorder

.PHONY: run dev setup test test-sqlite test-postgres test-multiserver lint format bench lock clean

$(INSTALLED): requirements/dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/dev.lock
	touch $@

# A secret key made once per checkout, so `make run` serves with DEBUG off.
var/secret_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

setup: $(INSTALLED) var/secret_key
	SECRET_KEY="$$(cat var/secret_key)" $(PY) manage.py migrate --noinput
	SECRET_KEY="$$(cat var/secret_key)" $(PY) manage.py collectstatic --noinput --verbosity 0
	SECRET_KEY="$$(cat var/secret_key)" $(PY) manage.py load_corpus
	SECRET_KEY="$$(cat var/secret_key)" $(PY) manage.py load_lessons
	SECRET_KEY="$$(cat var/secret_key)" $(PY) manage.py generate_questions
	SECRET_KEY="$$(cat var/secret_key)" $(PY) manage.py seed_demo

run: setup
	@echo "Thaw is at http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	SECRET_KEY="$$(cat var/secret_key)" $(BIN)/gunicorn config.wsgi \
		--bind $(HOST):$(PORT) --workers 2 --access-logfile - --log-level warning

# Django's development server on the same data: DEBUG=1 (tracebacks, reload on code changes).
dev: setup
	@echo "Thaw (development) is at http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	DEBUG=1 SECRET_KEY="$$(cat var/secret_key)" $(PY) manage.py runserver $(HOST):$(PORT)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# The apps import one way, lessons -> quizzes -> corpus ([tool.importlinter] in pyproject.toml).
	$(BIN)/lint-imports
	@# Security lint: no medium or high finding in our code.
	$(BIN)/bandit --quiet --recursive --severity-level medium --exclude '*/migrations/*' config corpus quizzes lessons
	@# Production settings pass Django's deployment checklist.
	DEBUG=0 HTTPS=1 SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		THAW_VAR_DIR=var/deploy-check $(PY) manage.py check --deploy --fail-level WARNING

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The browser tests refresh the README's screenshots (docs/screenshots/) and the reliability
# tests their figures (docs/reliability.md) only when asked: a plain pytest changes no tracked file.
test-sqlite: $(INSTALLED)
	bash .ci/chromium-up
	THAW_WRITE_SCREENSHOTS=1 THAW_WRITE_FIGURES=1 $(BIN)/pytest -q $(XDIST) --ignore=tests/multiserver

# Run once, against SQLite: the browser suite, the real-corpus bank tests (marker `bank`)
# and the tests that reach no database (marker `no_database`, set by tests/conftest.py on
# every test without the django_db mark or a database fixture: pytest-django refuses them
# the database, so they do the same on both engines; text cleaning, parsers, generators
# on in-memory objects, settings). Everything that touches the database runs on PostgreSQL too.
test-postgres: $(INSTALLED)
	bash .ci/postgres-up
	THAW_WRITE_FIGURES=1 DATABASE_URL=$(PG_URL) $(BIN)/pytest -q $(XDIST) -m "not bank and not no_database" --ignore=tests/browser --ignore=tests/multiserver

# Three app servers behind HAProxy, with PostgreSQL and Redis, run from the files in deploy/
# (docs/deployment.md); the tests start and stop the app servers and the balancer.
test-multiserver: $(INSTALLED)
	bash .ci/postgres-up
	bash .ci/redis-up
	bash .ci/haproxy-install
	THAW_WRITE_FIGURES=1 DATABASE_URL=$(PG_URL) $(BIN)/pytest -q tests/multiserver

# The whole suite, on the embedded default (SQLite) and on PostgreSQL, then several servers.
test: lint test-sqlite test-postgres test-multiserver

lock: $(INSTALLED)
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile --quiet --python-version 3.11 pyproject.toml -o requirements/base.lock
	$(BIN)/uv pip compile --quiet --python-version 3.11 --extra dev pyproject.toml -o requirements/dev.lock

clean:
	rm -rf $(VENV) var

# Benchmarks on 127.0.0.1 only; figures are written to docs/performance.md.
bench: $(INSTALLED)
	$(PY) -m tests.benchmarks.run
