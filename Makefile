# Dimos — the public interface. `make demo` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
HOST   ?= 127.0.0.1
PORT   ?= 8000
DEMO_ENV := DEBUG=true DIMOS_DEMO=true

.PHONY: demo serve test lint format e2e bench install install-test migrate demo-data messages check-deploy clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Dimos needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml constraints.txt | $(PY)
	$(PIP) install --quiet -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt | $(PY)
	$(PIP) install --quiet -c constraints.txt -e '.[test]'
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	$(DEMO_ENV) $(PY) manage.py migrate --noinput

demo-data: migrate
	$(DEMO_ENV) $(PY) manage.py demo_data

## demo: set up everything and serve the Serres demo at http://$(HOST):$(PORT)
demo: demo-data
	@echo ""
	@echo "  Dimos demo — Δήμος Σερρών"
	@echo "  Citizen site : http://$(HOST):$(PORT)/"
	@echo "  Staff area   : http://$(HOST):$(PORT)/staff/"
	@echo "  Back office  : http://$(HOST):$(PORT)/admin/"
	@echo "  API docs     : http://$(HOST):$(PORT)/api/docs/"
	@echo ""
	$(DEMO_ENV) $(PY) manage.py demo_serve $(HOST):$(PORT)

## serve: the production shape — web (gunicorn), task worker and MQTT consumer, each restarted on its own
## by honcho from the Procfile. Settings from the environment or a .env file (copy .env.example):
## DEBUG=false, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL), CACHE_URL (Redis), MQTT_URL.
serve: install
	$(VENV)/bin/honcho run $(PY) manage.py check --deploy --fail-level ERROR
	$(VENV)/bin/honcho run $(PY) manage.py collectstatic --noinput --verbosity 0
	$(VENV)/bin/honcho run $(PY) manage.py migrate --noinput
	$(VENV)/bin/honcho run $(PY) manage.py sensors_sync_types
	$(VENV)/bin/honcho run sh -c 'test -z "$$PROMETHEUS_MULTIPROC_DIR" || { rm -rf "$$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$$PROMETHEUS_MULTIPROC_DIR"; }'
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start -f Procfile

## test: lint, migrations check and the whole pytest suite
test: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run --settings=dimos.settings_test
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## e2e: only the browser tests (headless Chromium)
e2e: install-test
	$(VENV)/bin/pytest -m browser $(PYTEST_ARGS)

## bench: every benchmark, results in bench/results/*.json
bench: install-test
	$(PY) -m bench all

messages: install-test
	cd dimos && ../$(PY) ../manage.py compilemessages --settings=dimos.settings_test

check-deploy: install
	DEBUG=false SECRET_KEY=check-deploy-only-0123456789abcdefghijklmnopqrstuvwxyz \
	  ALLOWED_HOSTS=dimos.example DATABASE_URL=postgres://dimos@127.0.0.1/dimos \
	  CACHE_URL=redis://127.0.0.1:6379/0 \
	  $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) data/test-*
