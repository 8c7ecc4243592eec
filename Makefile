# Vital Signs: `make run` starts the app; `make test` runs every test.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8501
DEMO ?= true

.PHONY: run test install install-test chromium lint typecheck bench clean

$(VENV)/bin/activate:
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/activate pyproject.toml
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/bin/activate pyproject.toml
	$(PIP) install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(PY) -m dashboard init-db
	VITALSIGNS_DEMO_MODE=$(DEMO) $(PY) -m dashboard seed-demo --if-empty
	VITALSIGNS_DEMO_MODE=$(DEMO) $(VENV)/bin/streamlit run dashboard/server.py --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

# Browser tests need Chromium; as root on a machine without it, install it.
chromium:
	@if ! command -v chromium >/dev/null 2>&1 && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	fi

test: install-test chromium
	$(PY) -m pytest

lint:
	$(VENV)/bin/ruff check core dashboard pages tests bench
	$(VENV)/bin/mypy core dashboard/store

bench: install-test
	$(PY) bench/spc.py
	$(PY) bench/pages.py
	$(PY) bench/import.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
