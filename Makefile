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

.PHONY: setup index run test test-deps lint bench audit clean

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

# Real components for the tests, from Debian's packages, installed only when missing (one
# apt-get run): redis-server for the state tests; chromium, chromium-driver and Thai fonts for
# the browser tests; nginx for the fault suite (tests/test_faults.py, deploy/nginx.conf).
TEST_PACKAGES := /usr/bin/redis-server:redis-server /usr/bin/chromium:chromium \
	/usr/bin/chromedriver:chromium-driver /usr/share/fonts/truetype/tlwg:fonts-thai-tlwg \
	/usr/sbin/nginx:nginx
test-deps:
	@missing=""; for pair in $(TEST_PACKAGES); do \
	  test -e "$${pair%%:*}" || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  echo "test-deps: installing Debian's$$missing for the tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

test: setup lint test-deps
	$(BIN)/python -m pytest -q
	$(BIN)/python -m tests.replay tests/conversations/*.yaml
	$(BIN)/python -m bench --tier S --smoke

bench: setup test-deps
	$(BIN)/python -m bench --tier S --tier M --tier L --baseline-max L=200
	$(BIN)/python -m bench.rebuild_load --results
	$(BIN)/python -m bench --webhook-compare --repeats 3

audit: setup
	@$(BIN)/python -m pip install --quiet pip-audit 2>/dev/null || { \
	  echo "audit: NOT RUN: pip-audit could not be installed (no package index reachable). Nothing was checked; CI goes on."; exit 0; }
	@out=$$($(BIN)/pip-audit -r requirements.txt --progress-spinner off $(AUDIT_FLAGS) 2>&1); status=$$?; \
	printf '%s\n' "$$out" | grep -v '^WARNING: Location'; \
	if printf '%s\n' "$$out" | grep -q 'Found [0-9]* known vulnerabilit'; then \
	  echo "audit: FAILED: known vulnerabilities in the pinned requirements (listed above)"; exit 1; fi; \
	if [ $$status -ne 0 ]; then \
	  echo "audit: NOT CHECKED: pip-audit could not reach its vulnerability data (exit $$status, see above). This is not a pass; CI goes on."; exit 0; fi; \
	skipped=$$(printf '%s\n' "$$out" | grep -c 'could not be audited'); \
	if [ $$skipped -gt 0 ]; then \
	  echo "audit: INCOMPLETE: $$skipped package(s) could not be checked: PyPI's vulnerability data for their pinned versions was not reachable from this machine. This is not a pass; CI goes on."; exit 0; fi; \
	echo "audit: OK: no known vulnerabilities in the pinned requirements"

clean:
	rm -rf instance bench/work .pytest_cache .ruff_cache
