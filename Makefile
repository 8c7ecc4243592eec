# Vital Signs: `make run` starts the app; `make test` runs every test.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8501
DEMO ?= true
# pytest-xdist workers for `make test` (auto: one per CPU core)
JOBS ?= auto
# The exact versions tested, with their hashes (`make lock` refreshes them within the
# ranges in pyproject.toml).
LOCK := requirements.lock
TEST_LOCK := requirements-test.lock
PIP_COMPILE := $(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links

.PHONY: run test install install-test chromium lint lock bench clean

$(VENV)/bin/activate:
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/activate pyproject.toml $(LOCK)
	$(PIP) install --quiet --require-hashes -r $(LOCK)
	$(PIP) install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/bin/activate pyproject.toml $(TEST_LOCK)
	$(PIP) install --quiet --require-hashes -r $(TEST_LOCK)
	$(PIP) install --quiet --no-deps -e .
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
	$(PY) -m pytest -n $(JOBS) --dist worksteal --durations=15

lint: install-test
	$(VENV)/bin/ruff check core dashboard pages tests bench
	$(VENV)/bin/ruff format --check core dashboard pages tests bench
	$(VENV)/bin/mypy core dashboard pages
	$(VENV)/bin/lint-imports

# Re-resolve both locks to the newest versions the ranges in pyproject.toml allow.
lock: $(VENV)/bin/activate
	$(PIP) install --quiet pip-tools
	$(PIP_COMPILE) --upgrade -o $(LOCK) pyproject.toml
	$(PIP_COMPILE) --upgrade --extra test -o $(TEST_LOCK) pyproject.toml

# Every benchmark runs and prints its figures beside its budgets; the status is 1 if any
# figure was over (one over budget does not stop the rest).
BENCHES := spc pages import browser load
bench: install-test
	@status=0; for b in $(BENCHES); do $(PY) bench/$$b.py || status=1; done; exit $$status

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
