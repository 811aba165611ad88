# The two commands most people need:
#   make lab    set up (first time only) and open the collection in JupyterLab
#   make test   set up (first time only) and run every test
# Needs only Python 3.11+, make and access to the package registries.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
NOTEBOOK ?= notebooks/01_mechanism_of_action_basics.ipynb
PORT ?= 8866
AXE := tests/node_modules/axe-core/axe.min.js
CHP := tests/node_modules/.bin/configurable-http-proxy

.PHONY: lab test test-fast voila site handouts bench clean-notebooks browser help

help:
	@echo "make lab              open the collection in JupyterLab (http://127.0.0.1:8888, token printed)"
	@echo "make test             run every test (unit, data, widgets, notebooks, browser)"
	@echo "make test-fast        every test except the browser tests"
	@echo "make clean-notebooks  strip outputs and widget state; refresh checked outputs"
	@echo "make voila            serve one notebook as a dashboard on 127.0.0.1 for projecting in class"
	@echo "                      (NOTEBOOK=notebooks/02_ketamine.ipynb PORT=8866 to choose)"
	@echo "make site             executed static HTML site, works offline: _build/html/index.html"
	@echo "make handouts         printable worksheets (PDF) for every notebook and a teacher's answer key:"
	@echo "                      _build/handouts/ (offline; needs Chromium, see make browser)"
	@echo "make bench            latency benchmark: slider-to-redraw in JupyterLab, callback and run times"
	@echo "make browser          install Chromium with apt when missing (as root), else say how"

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s); set PYTHON=python3.11" % sys.version.split()[0])'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[lab,site,test]"
	touch $(STAMP)

# JupyterLab defaults for this collection (lab-overrides.json, also installed on Binder by postBuild): no
# "Jupyter news?" popup in front of a class, and the kernel's busy/idle indicator in the status bar instead
# of the notebook toolbar (in the toolbar, each busy/idle change made the toolbar recount its buttons,
# 2 ms each time, 4-12 times per slider step, on the browser's only thread).
$(LAB_SETTINGS): lab-overrides.json $(STAMP)
	mkdir -p $(dir $@)
	cp lab-overrides.json $@

# The printed link (with its token) opens 00_start_here directly, whether or not a local browser can be
# launched; the file browser starts at the repository root, as on Binder.
lab: $(STAMP) $(LAB_SETTINGS)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=. \
	  --LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb $(ROOT_FLAG)

test: $(STAMP) $(LAB_SETTINGS) browser $(AXE) $(CHP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser"

# The browser tests need Chromium (Debian's package; Playwright's own browser download is not used).
# As root on Debian/Ubuntu it is installed with apt when missing; elsewhere this says how to get it. The
# browser tests then fail in CI (CI=true) and are skipped with the same instructions elsewhere.
CHROMIUM_FOUND = $(or $(CHROMIUM),$(shell command -v chromium 2>/dev/null),$(shell command -v chromium-browser 2>/dev/null),$(shell command -v google-chrome 2>/dev/null))
browser:
	@if [ -n "$(CHROMIUM_FOUND)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Chromium with apt-get (needed by the browser tests)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null \
	    || { echo "apt-get could not install chromium" >&2; exit 1; }; \
	else \
	  echo "*** Chromium is missing, so the browser tests cannot run. Install it (Debian/Ubuntu:" >&2; \
	  echo "*** sudo apt-get install chromium), or set CHROMIUM=/path/to/chrome. make test-fast skips them." >&2; \
	fi

# axe-core, the accessibility rules the browser tests run in each page, and configurable-http-proxy, the proxy
# of the JupyterHub in tests/test_hub.py, from npm at the versions pinned in tests/package-lock.json (into
# tests/node_modules/, not committed). One npm ci installs both; the second target is then up to date.
$(AXE) $(CHP): tests/package.json tests/package-lock.json
	npm ci --prefix tests --no-audit --no-fund --ignore-scripts
	touch $(AXE) $(CHP)

# Serve one notebook as a Voila dashboard (text, figures and controls; no code) for projecting in class.
voila: $(STAMP)
	@test -f "$(NOTEBOOK)" || { echo "No notebook $(NOTEBOOK). Choose one of:"; ls notebooks/[0-9][0-9]_*.ipynb; exit 1; }
	$(BIN)/voila --Voila.ip=127.0.0.1 --port=$(PORT) --token --theme=light "$(NOTEBOOK)"

# Executed static HTML site in _build/html/ (offline: local plotly.js; kernel-free fallbacks for demos).
site: $(STAMP)
	$(BIN)/python -m helpers.build.site --out _build/html

# Printable worksheets and the teacher's answer key in _build/handouts/ (offline: Chromium prints pages that
# load only a local plotly.js; see helpers/build/handouts.py).
handouts: $(STAMP) browser
	$(BIN)/python -m helpers.build.handouts --out _build/handouts

# Latency benchmark (not part of make test): Python callbacks and nbclient run times, then JupyterLab in
# headless Chromium (slider/toggle-to-redraw, run-all). Results in artifacts/bench/.
bench: $(STAMP) $(LAB_SETTINGS) browser
	$(BIN)/python tests/benchmarks/bench_python.py
	$(BIN)/python tests/benchmarks/bench_browser.py

clean-notebooks: $(STAMP)
	$(BIN)/python -m helpers.build.nbclean notebooks/*.ipynb
