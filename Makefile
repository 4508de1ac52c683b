# make run   -- create .venv, install the app (runtime dependencies only), launch it on the notebook's example
# make test  -- same venv plus the dev tools: lint + type check + the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.installed-app
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint format bench clean venv

venv: $(DEV_STAMP)

# A current pip first: it costs 1.7 s and saves 3 s on the install that follows (measured
# against the pip 23.2 that venv brings with Python 3.11).
$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip

# The app alone: what a classroom machine needs, no test or lint tools.
$(APP_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

# Compiled once here, on every core (pip compiles on one), the package included (an
# editable install compiles nothing of it): the suite's workers and the app processes it
# starts then compile nothing, even where PYTHONDONTWRITEBYTECODE keeps them from saving.
SITE_PACKAGES = $(shell $(BIN)/python -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
$(DEV_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-compile -e '.[dev]'
	$(BIN)/python -m compileall -qq -j 0 rnn_tui $(SITE_PACKAGES)
	@touch $@ $(APP_STAMP)

run: $(APP_STAMP)
	$(BIN)/rnn-tui $(ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The suite runs in two pytest-xdist workers a core: a Pilot test sleeps about a third of
# its time (Textual waits for the app to go idle after each key), and meanwhile another
# worker's test uses the core. WORKERS=0 (or PYTEST_ARGS="-n 0") runs it in one process.
# --maxschedchunk 1: a worker is handed a test or two at a time as it frees up. By default
# the first worker got the first quarter of the list in one block, so the slow tests, which
# are collected first, ran one after another on it: a 30 s tail with one core idle.
WORKERS ?= $(shell $(PYTHON) -c "import os; print(2 * (os.cpu_count() or 1))")
# mypy runs beside it (its report printed after the suite's): it fails if either fails.
test: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@$(BIN)/mypy > $(VENV)/mypy.log 2>&1 & mypy=$$!; \
	$(BIN)/python -m pytest -q -n $(WORKERS) --maxschedchunk 1 $(PYTEST_ARGS); tests=$$?; \
	wait $$mypy; typed=$$?; cat $(VENV)/mypy.log; \
	test $$tests -eq 0 -a $$typed -eq 0

bench: $(DEV_STAMP)
	$(BIN)/python benchmarks/engine_vs_notebook.py
	$(BIN)/python benchmarks/engine_scale.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis *.egg-info
