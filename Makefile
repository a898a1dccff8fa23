# Two commands do everything: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
HOST   ?= 127.0.0.1
PORT   ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run worker test test-fast test-sqlite test-postgres test-production bench lint format migrations install install-dev install-contract install-lighthouse lighthouse screenshots openapi

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	@echo "==> Installing runtime requirements"
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	@echo "==> Installing development requirements"
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev
	@bash .ci/ensure-chromium.sh
	@bash .ci/ensure-redis.sh
	@bash .ci/ensure-wrk.sh

# The TypeScript contract test's toolchain (openapi-typescript, openapi-fetch,
# typescript, ajv), exactly as contract/package-lock.json pins it. Needs node 20+
# and npm; reinstalled only when the lock file changes.
contract/node_modules/.installed: contract/package.json contract/package-lock.json
	@bash .ci/ensure-node.sh
	@echo "==> Installing the TypeScript contract toolchain (npm ci)"
	cd contract && CI=true npm ci --no-audit --no-fund --loglevel=error
	@touch $@
install-contract: contract/node_modules/.installed

# Issue 15: Lighthouse, exactly as lighthouse/package-lock.json pins it, for the
# visitor site's quality gate (home/tests/test_visitor_quality.py).
lighthouse/node_modules/.installed: lighthouse/package.json lighthouse/package-lock.json
	@bash .ci/ensure-node.sh
	@echo "==> Installing Lighthouse (npm ci)"
	cd lighthouse && CI=true npm ci --no-audit --no-fund --loglevel=error
	@touch $@
install-lighthouse: lighthouse/node_modules/.installed

run: install ## Set up SQLite, load the clinic's content, print an admin login, serve on 127.0.0.1:8000
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_clinic_content --site-hostname $(HOST) --site-port $(PORT)
	$(PY) manage.py ensure_admin --url http://$(HOST):$(PORT)/admin/
	$(PY) manage.py send_pending_webhooks --stale-after 0
	@echo "==> Serving on http://$(HOST):$(PORT)/ (admin: /admin/, API: /api/v3/docs)"
	@echo "==> The task worker (webhooks, cache purges, scheduled publishing) runs alongside; Ctrl-C stops both"
	$(PY) manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

worker: install ## Run the task queue (webhooks, purges) and publish scheduled pages, until stopped
	$(PY) manage.py migrate --noinput
	$(PY) manage.py send_pending_webhooks --stale-after 0
	$(PY) manage.py run_worker

test: test-sqlite lighthouse test-postgres test-production ## Install and run the whole suite on SQLite, Lighthouse, on PostgreSQL, then the production lane

# Both lanes spread the tests over the machine's cores (pytest-xdist). Tests go
# out in collection order, so each worker still runs the tests that empty the
# database (transactional, live server) after all the others, as pytest-django
# orders them; PYTEST_WORKERS=0 runs them in one process.
PYTEST_WORKERS ?= auto
XDIST := -n $(PYTEST_WORKERS) --dist load

test-fast: install-dev ## The inner loop: lint, then the suite on SQLite without the browser and contract tests
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	env -u DATABASE_URL $(PY) -m pytest -m "not browser and not production and not contract and not lighthouse" -q $(XDIST)

test-sqlite: install-dev install-contract
	@echo "==> Lint"
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	@echo "==> Test suite on SQLite"
	env -u DATABASE_URL $(PY) -m pytest -m "not production and not lighthouse" $(XDIST)

# The browser tests (Chromium, axe) ran in the SQLite lane already: what they
# check is the HTML and the admin's behaviour, not the database, and leaving
# them out here keeps `make test` under 40 minutes on 2 cores. So did the
# TypeScript contract test (it checks the OpenAPI document and the JSON, which
# do not depend on the database).
test-postgres: install-dev
	@echo "==> Test suite on PostgreSQL (browser and contract tests ran on SQLite)"
	bash .ci/with-postgres.sh $(PY) -m pytest -m "not production and not browser and not contract and not lighthouse" $(XDIST)

# The site as docs/deployment.md deploys it, on loopback: PostgreSQL, Redis, an
# S3-compatible store (moto), Varnish, two gunicorn app servers and the worker,
# started from deploy/ and stopped afterwards (.ci/production-lane.sh).
test-production: install-dev ## The production topology on 127.0.0.1, one part failing at a time
	bash .ci/production-lane.sh

# Lighthouse runs on its own, never beside other tests: its performance score
# measures the machine's CPU as much as the page.
lighthouse: install-dev install-lighthouse ## Score every page type with Lighthouse (mobile, Debian Chromium; 1.00 in all four categories)
	env -u DATABASE_URL CI=true $(PY) -m pytest -m lighthouse -p no:cacheprovider home/tests/test_visitor_quality.py

screenshots: install-dev ## Write the home, a service, a study and the studies index at 390 and 1366 px into docs/screenshots/
	env -u DATABASE_URL $(PY) -m pytest -p no:cacheprovider home/tests/screenshots.py

bench: install ## Measure page and API speed on 127.0.0.1 (bounded load; ratios from one run; ARGS=--scale: 50 against 10,000 studies)
	@bash .ci/ensure-wrk.sh
	$(PY) -m bench.run $(BENCH_ARGS) $(ARGS)

lint: install-dev ## Check style with ruff
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install-dev ## Fix style with ruff
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

migrations: install-dev ## Make migrations after a model change
	$(PY) manage.py makemigrations

openapi: install ## Write the API's OpenAPI document to docs/openapi.json
	DJANGO_SETTINGS_MODULE=cms.settings.test $(PY) -m cms.api.openapi docs/openapi.json
