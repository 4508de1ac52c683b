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

# An editable install compiles nothing of the package: compiled once here, the suite's
# workers and the app processes it starts do not each compile it again.
$(DEV_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q rnn_tui
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
WORKERS ?= $(shell $(PYTHON) -c "import os; print(2 * (os.cpu_count() or 1))")
# mypy runs beside it (its report printed after the suite's): it fails if either fails.
test: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@$(BIN)/mypy > $(VENV)/mypy.log 2>&1 & mypy=$$!; \
	$(BIN)/python -m pytest -q -n $(WORKERS) $(PYTEST_ARGS); tests=$$?; \
	wait $$mypy; typed=$$?; cat $(VENV)/mypy.log; \
	test $$tests -eq 0 -a $$typed -eq 0

bench: $(DEV_STAMP)
	$(BIN)/python benchmarks/engine_vs_notebook.py
	$(BIN)/python benchmarks/engine_scale.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis *.egg-info
