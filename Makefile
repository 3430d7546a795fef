# Two commands set everything up on a fresh machine with Python 3.11 and pip:
#   make demo   creates .venv, installs pins, runs examples/quickstart.py on a local board
#   make test   creates .venv, installs the test extras, runs ruff, mypy --strict and pytest
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-demo: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@ $(VENV)/.installed-demo

demo: $(VENV)/.installed-demo
	$(BIN)/python examples/quickstart.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check pins _pins_pytest_plugin.py tests benchmarks examples
	$(BIN)/ruff format --check pins _pins_pytest_plugin.py tests benchmarks examples

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: $(VENV)/.installed-test
	$(BIN)/pytest

test: lint typecheck pytest

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/connect_requests.py
	$(BIN)/python benchmarks/url_read.py
	$(BIN)/python benchmarks/tables.py

clean:
	rm -rf $(VENV) .cache .mypy_cache .ruff_cache .pytest_cache
