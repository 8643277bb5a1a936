# The course's commands. `make help` lists them.
# The two that matter: `make book` (set up and build the book) and `make test` (check everything).

SHELL := /bin/bash
.DEFAULT_GOAL := help

# The reference interpreter is Python 3.11 (mxnet 1.9.1 with numpy 1.23.5).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BOOK_FLAGS := -W -n --keep-going

.PHONY: help setup book test test-unit test-notebooks test-book test-pdf test-editions test-browser test-keyboard test-environments test-colab-3.13 test-colab-3.12 \
        check stats bench lighthouse screenshots freeze colab-freeze clean pdf

help:  ## list the commands
	@grep -E '^[a-z0-9.-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 18

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if v == (3, 11) else "Python 3.11 is the reference interpreter (mxnet 1.9.1 with numpy 1.23.5); got %d.%d. Set PYTHON=/path/to/python3.11." % v)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --editable .
	@touch $(STAMP)

setup: $(STAMP)  ## create .venv with the pinned requirements and the course package

book: $(STAMP) $(AXE)  ## set up, build the HTML book (and its chapter editions) with every notebook executed, print where it is
	rm -rf _build/html _build/jupyter_execute _build/.jupyter_cache
	$(BIN)/jupyter-book build . $(BOOK_FLAGS)
	@echo "The book is at $(CURDIR)/_build/html/index.html (chapter editions in _build/html/editions/)"

PDF := softmax-regression.pdf
# npm's packages (package-lock.json): KaTeX and PurgeCSS for the HTML build, axe-core and
# Lighthouse for the checks. This file stands for all of them.
AXE := node_modules/axe-core/axe.min.js

# Where the LaTeX build writes (PDF_OUT/_build/latex): the test command's pdf step gives it a folder of its own, so
# that it can run beside the HTML build.
PDF_OUT ?= .

pdf: $(STAMP)  ## the whole book as one PDF (xelatex) in _build/latex, copied into _build/html for the site
	$(BIN)/jupyter-book build . --builder pdflatex --path-output $(PDF_OUT) $(BOOK_FLAGS)
	mkdir -p _build/html
	cp $(PDF_OUT)/_build/latex/$(PDF) _build/html/$(PDF)
	@echo "The PDF is at $(abspath $(PDF_OUT))/_build/latex/$(PDF) ($$(pdfinfo $(PDF_OUT)/_build/latex/$(PDF) 2>/dev/null | sed -n 's/^Pages: *//p') pages)"

$(AXE): package.json package-lock.json  ## npm's packages (pinned in package-lock.json): the build's KaTeX and PurgeCSS, the checks' axe-core and Lighthouse
	npm ci --no-audit --no-fund
	@touch $(AXE)

test: $(STAMP) $(AXE)  ## run every check (unit, notebooks, strict build, browser, Colab-like), one summary line
	$(BIN)/python tools/run_tests.py

# Each test-* target runs one step of `make test`, as tools/run_tests.py (the one list of steps) defines it.
test-unit: $(STAMP)  ## the unit step: the package's and the repository's unit tests
	$(BIN)/python tools/run_tests.py unit

test-notebooks: $(STAMP)  ## the notebooks step: nbval runs every cell and grades the plausible answers
	$(BIN)/python tools/run_tests.py notebooks

test-book: $(STAMP) $(AXE)  ## the book step: clean, strict book build (any warning fails), then the editions
	$(BIN)/python tools/run_tests.py book

test-pdf: $(STAMP)  ## the pdf step: the PDF from the book step's build, read back (needs `make test-book` first)
	$(BIN)/python tools/run_tests.py pdf

test-editions: $(STAMP)  ## the editions step: the editions and nbgrader autograde (needs `make test-book` first)
	$(BIN)/python tools/run_tests.py editions

test-browser: $(STAMP) $(AXE)  ## the browser step: every built page in headless Chromium (needs `make test-book` first)
	$(BIN)/python tools/run_tests.py browser

test-keyboard: $(STAMP) $(AXE)  ## the keyboard step: every Tab stop of chapters 7 and 11 visible, light and dark (after the book)
	$(BIN)/python tools/run_tests.py keyboard

test-environments: $(STAMP)  ## the environments step: build (or find current) the Colab-like environments (noxfile.py)
	$(BIN)/python tools/run_tests.py environments

test-colab-3.13: $(STAMP)  ## the colab-3.13 step: the reader editions under nbval in Colab's Python 3.13 image (after the book)
	$(BIN)/python tools/run_tests.py colab-3.13

test-colab-3.12: $(STAMP)  ## the colab-3.12 step: the same in Colab's earlier Python 3.12 image (after the book)
	$(BIN)/python tools/run_tests.py colab-3.12

check: $(STAMP)  ## the repository step: notebooks stored clean, ruff format and lint, the course's budgets
	$(BIN)/python tools/run_tests.py repository

stats: $(STAMP)  ## the course's shape per chapter: core/optional/exercise words, narration, visible asserts, exercises
	$(BIN)/python tools/course_stats.py

bench: $(STAMP)  ## benchmark the from-scratch trainer, prints a table (BENCH_ARGS=--no-sklearn skips the 3-min reference fit)
	$(BIN)/python tools/benchmark.py $(BENCH_ARGS)

lighthouse: $(STAMP) $(AXE)  ## Lighthouse (phone and desktop) on the landing page and chapters 3, 7, 11, 13: medians of 3 runs (needs `make book`)
	$(BIN)/python tools/lighthouse.py $(LIGHTHOUSE_ARGS)

screenshots: $(STAMP)  ## screenshots of every page at desktop and phone widths into _build/screenshots
	$(BIN)/python tests/browser/screenshots.py

colab-freeze: $(STAMP)  ## regenerate tools/colab-requirements-*.txt after Colab changes versions (COLAB in noxfile.py)
	$(BIN)/nox -s freeze

freeze: $(STAMP)  ## rewrite requirements.txt from the current .venv (after a deliberate upgrade)
	@{ sed -n '1,4p' requirements.txt; $(BIN)/python -m pip freeze --exclude-editable | grep -v -E '^(pip|setuptools|wheel)==' \
	  | sed -E 's/^(torch==[^+]+)\+.*/\1/'; } > requirements.txt.tmp  # torch==X matches X+cpu and PyPI's X
	mv requirements.txt.tmp requirements.txt

clean:  ## remove the build and the test caches (keeps .venv)
	rm -rf _build .pytest_cache
	find . -name __pycache__ -not -path './.venv*' -prune -exec rm -rf {} +
