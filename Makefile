# Developer entry points. Needs only python3 (>= 3.11), node (>= 20) with npm, and make.
#   make setup   tools venv with pinned uv, .venv from uv.lock, node_modules from package-lock.json
#   make serve   live-reloading site at http://127.0.0.1:8000
#   make test    setup + Chromium, lint, then pytest (PYTEST_ARGS="-k foo" to select)
#   make lint    ruff over all Python, mypy over refundlib and site_plugins (config in pyproject.toml)
#   make wheel   build the pure-Python refundlib wheel (loaded by Pyodide) into dist/
#   make lint-js eslint over the project's JavaScript (eslint.config.js)
#   make lock    re-resolve uv.lock after editing pyproject.toml dependencies
#   make bench   benchmarks (~30 min, not part of test) -> bench/results/latest.{json,md}, docs/performance.md
#   make bench-smoke  the same at tiny sizes (~1 min) into build/bench-smoke/, to check it still runs
#   make fuzz    the JSON-contract fuzz (tests/test_fuzz.py) at FUZZ_EXAMPLES=10000 examples per call
#   make clean   remove build outputs and caches (clean-all also removes the environments)

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PYTEST_ARGS ?=

# uv: never download a Python, use the python3 on PATH; keep .venv in the repo.
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := python3
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Trust the OS certificate store too (TLS-inspecting proxies with a local CA).
export UV_SYSTEM_CERTS ?= true

# Stamps make `setup` a no-op once done; they are re-made when their inputs change.
UV_STAMP := $(TOOLS)/.uv-$(UV_VERSION)
VENV_STAMP := $(VENV)/.synced
NODE_STAMP := node_modules/.installed

.PHONY: help setup serve test browser-deps lint lint-py lint-js wheel lock clean clean-all bench bench-smoke fuzz

help:
	@sed -n '2,11s/^# \{0,1\}//p' Makefile

setup: $(VENV_STAMP) $(NODE_STAMP)

$(UV_STAMP): scripts/bootstrap-uv.sh
	scripts/bootstrap-uv.sh $(TOOLS) $(UV_VERSION)
	rm -f $(TOOLS)/.uv-*
	touch $@

$(VENV_STAMP): $(UV_STAMP) pyproject.toml uv.lock
	$(UV) sync --locked
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

browser-deps:
	scripts/ensure-chromium.sh

test: setup browser-deps lint
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

lint: lint-py lint-js

# Every check always runs, so one run lists every finding (file:line: code message); then it fails if any found one.
lint-py: setup
	@status=0; \
	echo "ruff check ."; $(VENV)/bin/ruff check --output-format concise . || status=1; \
	echo "mypy (refundlib, site_plugins)"; $(VENV)/bin/mypy || status=1; \
	echo "noqa / type: ignore reasons"; $(VENV)/bin/python tools/check_suppressions.py || status=1; \
	exit $$status

serve: setup
	$(VENV)/bin/python -m mkdocs serve -a 127.0.0.1:8000

wheel: $(UV_STAMP)
	rm -f dist/refundlib-*.whl
	$(UV) build --wheel --out-dir dist

# Benchmarks: run them when the machine is otherwise idle (see `uptime`); results are ratios
# against floors measured in the same run (docs/performance.md explains each).
bench: setup browser-deps
	$(VENV)/bin/python -m bench

bench-smoke: setup browser-deps
	$(VENV)/bin/python -m bench --smoke --out build/bench-smoke

FUZZ_EXAMPLES ?= 10000
fuzz: setup
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(VENV)/bin/python -m pytest tests/test_fuzz.py -q --timeout=0 --hypothesis-show-statistics

# eslint (pinned in package-lock.json) with the flat config eslint.config.js: every JS file, no warnings.
lint-js: $(NODE_STAMP)
	node_modules/.bin/eslint --max-warnings 0 .

lock: $(UV_STAMP)
	$(UV) lock

clean:
	rm -rf dist build site .pytest_cache .hypothesis .ruff_cache .mypy_cache
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -not -path './$(TOOLS)/*' -not -path './node_modules/*' -prune -exec rm -rf {} +

clean-all: clean
	rm -rf $(VENV) $(TOOLS) node_modules
