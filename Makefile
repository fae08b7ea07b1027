# participatie: `make run` serves the demo, `make test` runs every test. Both install what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
export HF_HUB_OFFLINE := 1

.PHONY: install run demo test test-deps lint translations check-translations bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m nlp warmup
	touch $@

run: install
	$(BIN)/participatie demo
	$(BIN)/participatie serve

test: install test-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

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

bench: install
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/redaction_eval.py
	$(BIN)/python bench/themes_eval.py
	$(BIN)/python bench/themes_speed.py

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache
