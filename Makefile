# Two commands set everything up: `make app` serves the app, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8866

# Other dates the tests without a browser must pass on, whatever the computer's clock says.
OTHER_DATES ?= "2027-03-15 12:00:00" "2028-02-29 23:30:00"

.PHONY: app room test test-dates lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.app-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml room/package-lock.json tests/axe/package-lock.json | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,room]'
	npm ci --prefix room --no-audit --no-fund --loglevel=error
	npm ci --prefix tests/axe --no-audit --no-fund --loglevel=error
	touch $@ $(VENV)/.app-installed $(VENV)/.room-installed

# A workshop room: JupyterHub and its proxy (from npm), then the room itself (run it as root).
$(VENV)/.room-installed: pyproject.toml room/package-lock.json | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[room]'
	npm ci --prefix room --no-audit --no-fund --loglevel=error
	touch $@ $(VENV)/.app-installed

app: $(VENV)/.app-installed
	$(BIN)/workbook app --port $(PORT)

room: $(VENV)/.room-installed
	$(BIN)/workbook room serve $(ROOM_ARGS)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check workbook tests notebooks

test: lint
	$(BIN)/python -m pytest tests
	$(BIN)/python -m pytest --nbval-lax notebooks
	$(MAKE) --no-print-directory test-dates

# Debian's faketime moves the clock of Python and every process it starts. Chromium does not run
# under it, so the browser tests are left out here (they move the date with WORKBOOK_TODAY).
# Monotonic time is faked too: with FAKETIME_DONT_FAKE_MONOTONIC=1, libfaketime 0.9.10 makes
# Python's time.sleep fail with EINVAL.
test-dates: $(VENV)/.test-installed
	@command -v faketime >/dev/null || { echo "faketime is missing: apt-get install faketime"; exit 1; }
	@for when in $(OTHER_DATES); do \
	    echo "== the tests without a browser, with the clock at $$when"; \
	    faketime "$$when" $(BIN)/python -m pytest tests -q -m "not browser" -p no:cacheprovider \
	        || exit 1; \
	done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
