# Ledsager: `make run` starts the app with demo data; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app server
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install run test test-fast browser translations extract bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@

install: $(VENV)/.installed translations

# Compiled catalogues are build output: made from the committed .po files.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d server/translations

extract: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o server/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i server/translations/messages.pot -d server/translations -l en --no-fuzzy-matching

run: install
	$(FLASK) upgrade
	$(FLASK) demo
	SESSION_COOKIE_SECURE=0 $(FLASK) run --host localhost --port 5000

browser:
	@scripts/ensure-chromium.sh

test: install browser
	$(BIN)/python -m pytest -p no:cacheprovider -n 2 --dist loadfile

test-fast: install
	$(BIN)/python -m pytest -p no:cacheprovider -m "not e2e"

bench: install browser
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache
