# make run   -- create .venv, install the app (runtime dependencies only), launch it on the notebook's example
# make test  -- same venv plus the dev tools: lint + type check + the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.installed-app
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint format bench clean venv

venv: $(DEV_STAMP)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The app alone: what a classroom machine needs, no test or lint tools.
$(APP_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(DEV_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
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

# The suite runs on every core (pytest-xdist); PYTEST_ARGS="-n 0" runs it in one process.
test: lint
	$(BIN)/python -m pytest -q -n auto $(PYTEST_ARGS)

bench: $(DEV_STAMP)
	$(BIN)/python benchmarks/engine_vs_notebook.py
	$(BIN)/python benchmarks/engine_scale.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis *.egg-info
