# Two commands matter: `make run` and `make test`. Everything else supports them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000

# PyThaiNLP must never download anything: give it a writable data folder of our own.
export PYTHAINLP_DATA ?= $(CURDIR)/.pythainlp-data
export PLANBOT_DB ?= $(CURDIR)/instance/index.db
export PLANBOT_STATE_DB ?= $(CURDIR)/instance/state.db

CORPUS := $(wildcard corpus/*.txt corpus/*.md)

.PHONY: setup index run test lint bench audit clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	mkdir -p $(PYTHAINLP_DATA) instance
	touch $@

# Rebuild the index when it is missing or older than any corpus document.
index: $(PLANBOT_DB)

$(PLANBOT_DB): $(VENV)/.installed $(CORPUS)
	$(BIN)/python -m index rebuild --corpus corpus --db $(PLANBOT_DB)

run: setup index
	PATH=$(CURDIR)/$(BIN):$$PATH PORT=$(PORT) sh -c "$$(sed -n 's/^web: //p' Procfile)"

lint: setup
	$(BIN)/ruff check .

test: setup lint
	$(BIN)/python -m pytest -q
	$(BIN)/python -m tests.replay tests/conversations/*.yaml
	$(BIN)/python -m bench --tier S --smoke

bench: setup
	$(BIN)/python -m bench --tier S --tier M --tier L

audit: setup
	$(BIN)/python -m pip install --quiet pip-audit || { echo "audit: pip-audit could not be installed (no registry?)"; exit 0; }
	$(BIN)/pip-audit -r requirements.txt --progress-spinner off || { \
	  status=$$?; echo "audit: pip-audit exited $$status (findings above, or its vulnerability data could not be reached)"; exit $$status; }

clean:
	rm -rf instance bench/work .pytest_cache .ruff_cache
