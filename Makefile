# participatie: `make run` serves the demo, `make test` runs every test. Both install what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
export HF_HUB_OFFLINE := 1

LOCK_ARGS := --quiet --generate-hashes --python-version 3.11 --no-header --annotation-style line

.PHONY: install run demo test test-fast test-deps lint lock check-lock translations bench bench-install clean

# every Python package comes from the hashed lock (requirements/test.txt); the project itself follows
# without dependencies, so a fresh clone installs the same program every time
install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements/test.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/test.txt
	$(BIN)/python requirements/check_lock.py
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m nlp warmup
	touch $@

# re-resolve the locks after a change to pyproject.toml (uv, itself installed from a hashed lock)
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet --require-hashes -r requirements/uv.txt
	$(BIN)/uv pip compile pyproject.toml $(LOCK_ARGS) -o requirements/base.txt
	$(BIN)/uv pip compile pyproject.toml $(LOCK_ARGS) --extra test -o requirements/test.txt
	$(BIN)/uv pip compile pyproject.toml $(LOCK_ARGS) --extra test --extra bench -o requirements/bench.txt

check-lock: install
	$(BIN)/python requirements/check_lock.py

run: install
	$(BIN)/participatie demo
	$(BIN)/participatie serve

test: install test-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# for development: everything but the tests that load the large models or drive Chromium
test-fast: install
	$(BIN)/python -m pytest -m "not slow and not browser" $(PYTEST_ARGS)

# browser tests: Debian's Chromium (apt, as root), Java for the Nu HTML checker, axe-core and vnu from npm
test-deps: node_modules/.installed
	@command -v chromium >/dev/null && command -v java >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium default-jre-headless; \
	  else echo "Install Chromium and Java (e.g. sudo apt-get install chromium default-jre-headless) for the browser tests"; fi; }

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: install
	$(BIN)/ruff check .

translations: install
	$(BIN)/python participatie/catalogs.py

# the benchmark set (BERTopic, sentence-transformers, torch) from its own hashed lock
bench-install: install
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/bench.txt

bench: bench-install
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/redaction_eval.py
	$(BIN)/python bench/themes_eval.py
	$(BIN)/python bench/themes_speed.py
	$(BIN)/python bench/search_eval.py
	$(BIN)/python bench/search_speed.py
	$(BIN)/python bench/lighthouse.py

clean:
	rm -rf $(VENV) node_modules bench/lighthouse/node_modules instance .pytest_cache
