# The two commands most people need:
#   make lab    set up (first time only) and open the collection in JupyterLab
#   make test   set up (first time only) and run every test
# Needs only Python 3.11+, make and access to the package registries.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
NOTEBOOK ?= notebooks/01_mechanism_of_action_basics.ipynb
PORT ?= 8866

.PHONY: lab test test-fast voila site bench clean-notebooks browser help

help:
	@echo "make lab              open the collection in JupyterLab (http://127.0.0.1:8888, token printed)"
	@echo "make test             run every test (unit, data, widgets, notebooks, browser)"
	@echo "make test-fast        every test except the browser tests"
	@echo "make clean-notebooks  strip outputs and widget state; refresh checked outputs"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s); set PYTHON=python3.11" % sys.version.split()[0])'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 $(ROOT_FLAG) notebooks/00_start_here.ipynb

test: $(STAMP) browser
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser"

# The browser tests need Chromium. As root on Debian/Ubuntu it is installed with apt when missing;
# elsewhere this says how to get it and the browser tests fail (they never skip silently).
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Chromium with apt-get (needed by the browser tests)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing: install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM=/path/to/chrome"; \
	  fi; }

clean-notebooks: $(STAMP)
	$(BIN)/python -m helpers.nbclean notebooks/*.ipynb
