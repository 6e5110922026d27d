# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test setup messages lint bench

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@echo "[make] installing the packages into $(VENV) (the first time takes a few minutes)"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --progress-bar off -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

run: setup
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(PY) scripts/devenv.py run

test: setup
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(PY) scripts/devenv.py test $(PYTEST_ARGS)

# Extract new strings for the Chinese translation (then translate and compile).
# Each app keeps its own catalogue in <app>/locale; the project one holds
# mallservice/ and templates/ strings.
# The apps of settings.PROJECT_APPS but the kernel (one list: see settings).
APPS = $(shell DEBUG=true $(PY) -c 'from mallservice.settings import PROJECT_APPS; print(*PROJECT_APPS[1:])')
messages: setup
	DEBUG=true $(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=bench $(foreach a,$(APPS),--ignore=$(a))
	for app in $(APPS); do mkdir -p $$app/locale && (cd $$app && DEBUG=true ../$(PY) ../manage.py makemessages -l zh_Hans --no-obsolete); done

lint: setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

# Benchmarks against a same-run baseline (see bench/README.md).
bench: setup
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(PY) -m bench.run $(BENCH_ARGS)
