# Two commands set everything up: `make app` serves the app, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8866

.PHONY: app test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.app-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.app-installed

app: $(VENV)/.app-installed
	$(BIN)/workbook app --port $(PORT)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check workbook tests notebooks

test: lint
	$(BIN)/python -m pytest tests
	$(BIN)/python -m pytest --nbval-lax notebooks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
