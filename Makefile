# Two commands set everything up on a fresh machine with Python 3.11 and pip:
#   make demo   creates .venv, installs pins, runs examples/quickstart.py on a local board
#   make test   creates .venv, installs the test extras, runs ruff, mypy --strict and pytest
#   make docs   builds the documentation site into site/ (mkdocs build --strict)
#   make test-all  the matrix of noxfile.py: pytest on Python 3.10 to 3.13 with the newest
#                  dependencies and on 3.10 with the lowest that pyproject.toml allows
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-all lint typecheck pytest bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-demo: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@ $(VENV)/.installed-demo

$(VENV)/.installed-dev: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test,dev]"
	touch $@

demo: $(VENV)/.installed-demo
	$(BIN)/python examples/quickstart.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check pins _pins_pytest_plugin.py tests benchmarks examples docs/griffe_roles.py noxfile.py
	$(BIN)/ruff format --check pins _pins_pytest_plugin.py tests benchmarks examples docs/griffe_roles.py noxfile.py

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: $(VENV)/.installed-test
	$(BIN)/pytest

test: lint typecheck pytest

test-all: $(VENV)/.installed-dev
	$(BIN)/nox

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/connect_requests.py
	$(BIN)/python benchmarks/url_read.py
	$(BIN)/python benchmarks/offline_fallback.py
	$(BIN)/python benchmarks/tables.py

docs: $(VENV)/.installed-test
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

clean:
	rm -rf $(VENV) .nox .cache .mypy_cache .ruff_cache .pytest_cache site
