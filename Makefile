# Two commands do all the set-up: `make demo` runs the system, `make test` runs the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
AKT := $(BIN)/akt
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test test-fast test-postgres lint typecheck format messages bench load-test install lock hooks clean

# Every package, direct or not, at the version and with the hashes requirements.lock names.
$(STAMP): pyproject.toml requirements.lock
	@echo "== 1/3 Python environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	@echo "== 2/3 $$(grep -c '^[a-zA-Z]' requirements.lock) packages from requirements.lock, each checked against its hash"
	$(BIN)/pip install --require-hashes --progress-bar on -r requirements.lock
	@echo "== 3/3 the akt package itself"
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

## mypy with django-stubs: the counting core strict, the rest held to tools/mypy-baseline.txt
typecheck: $(STAMP)
	$(BIN)/python tools/typecheck.py

## Install the pre-commit hooks (ruff, the layer test, migrations in step with the models)
hooks: $(STAMP)
	$(BIN)/pre-commit install

## Pin again after changing the dependencies in pyproject.toml (every version, with hashes)
lock: $(STAMP)
	$(BIN)/pip-compile --quiet --generate-hashes --extra dev --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

install: $(STAMP)

## Build the SQLite database, load reference and demo data, serve on http://$(HOST):$(PORT)/
demo: $(STAMP)
	AKT_DEBUG=true $(AKT) migrate --no-input
	AKT_DEBUG=true $(AKT) load-reference
	AKT_DEBUG=true $(AKT) demo-data --replace
	AKT_DEBUG=true $(AKT) demo-users
	AKT_DEBUG=true $(AKT) demo-periods
	@echo "Open http://$(HOST):$(PORT)/ and sign in as one of the users above."
	@# The worker runs as one process (no reloader child that would outlive it) and is stopped,
	@# and waited for, whenever the server ends: Ctrl-C, an error or a normal exit.
	AKT_DEBUG=true $(AKT) db-worker --interval 1 --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	  trap 'exit 130' INT; trap 'exit 143' TERM HUP; \
	  AKT_DEBUG=true $(AKT) runserver $(HOST):$(PORT)

## Run the whole suite (SQLite; set AKT_DATABASE_URL to run it on PostgreSQL)
test: $(STAMP)
	AKT_TESTING=1 $(BIN)/python -m pytest -n 2 -q

## The suite without the tests marked slow, while working (CI and `make test` run them all)
test-fast: $(STAMP)
	AKT_TESTING=1 $(BIN)/python -m pytest -n 2 -q -m "not slow"

## The same suite on PostgreSQL (AKT_DATABASE_URL, by default the local server's `test` database)
test-postgres: $(STAMP)
	AKT_DATABASE_URL=$${AKT_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
	  AKT_TESTING=1 $(BIN)/python -m pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check src bench tools
	$(BIN)/ruff format --check src bench tools

format: $(STAMP)
	$(BIN)/ruff format src bench tools
	$(BIN)/ruff check --fix src bench tools

## Extract, convert to Cyrillic and compile the interface translations
messages: $(STAMP)
	cd src/akt && AKT_DEBUG=true ../../$(AKT) makemessages --no-obsolete --no-location -l sq -l sr_Latn --ignore '*/tests/*' --ignore 'tests_browser/*' --ignore 'testing/*'
	AKT_DEBUG=true $(AKT) cyrillic-messages
	AKT_DEBUG=true $(AKT) compile-messages

bench: $(STAMP)
	@for b in bench/[!_]*.py; do [ -e "$$b" ] || continue; [ "$$b" = bench/load_test.py ] && continue; \
	  echo "== $$b"; $(BIN)/python $$b || exit 1; done

## 50 simulated users for 10 minutes on gunicorn and PostgreSQL (MINUTES=1 for a short run)
MINUTES ?= 10
load-test: $(STAMP)
	$(BIN)/python bench/load_test.py --minutes $(MINUTES)

clean:
	rm -rf $(VENV) var
