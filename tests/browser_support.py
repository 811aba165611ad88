"""Servers and a headless browser for the browser tests and the latency benchmark.

Nothing here is collected as a test. ``tests/test_browser.py``, ``tests/test_site.py`` and
``tests/benchmarks/bench_browser.py`` import it.

- :func:`chromium_path` finds Debian's Chromium (Playwright's own browser download does not work on the
  project's machines); :func:`require_chromium` fails with a clear message in CI and skips, loudly, with
  instructions elsewhere.
- :class:`Server` starts JupyterLab or Voila on a free 127.0.0.1 port with a token and every Jupyter
  directory pointed at a temporary folder, waits until it answers, and always shuts it down.
- :func:`launch_browser` starts headless Chromium with the flags that work on these machines.
- :class:`LabNotebook` drives one notebook in JupyterLab: open, wait for an idle kernel, run all, read
  errors, find the demos (plotly figures inside widget boxes), move a slider, click a toggle, time it.
- :func:`axe_violations` runs axe-core (from npm, ``tests/node_modules``; ``make test`` installs it) in a page
  and returns the serious and critical violations of the WCAG 2.0/2.1 A and AA rules.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
ARTIFACTS = ROOT / "artifacts" / "browser"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]
CHROMIUM_HELP = ("Chromium is needed for the browser tests. Install it with `sudo apt-get install chromium` "
                 "(Debian/Ubuntu; `make test` does this itself when run as root), or point CHROMIUM at a "
                 "Chrome/Chromium executable. Playwright's own browser download is not used. "
                 "To run everything except the browser tests: `make test-fast`.")


# --- Chromium ------------------------------------------------------------------------------------

def chromium_path() -> str | None:
    """Path of a Chromium/Chrome executable: $CHROMIUM, else the first one on PATH."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else shutil.which(explicit)
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_chromium() -> str:
    """Return Chromium's path. Missing: fail in CI (CI=true), skip with instructions elsewhere."""
    import pytest

    path = chromium_path()
    if path:
        return path
    if in_ci():
        pytest.fail("CI=true but no Chromium was found, so the browser tests cannot run. " + CHROMIUM_HELP,
                    pytrace=False)
    pytest.skip("BROWSER TESTS NOT RUN: " + CHROMIUM_HELP)


def launch_browser(playwright, executable: str):
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)


# --- Servers -------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The collection's "no news pop-up" setting (lab-overrides.json), also written into each test server's own
# settings, so the tests do not depend on make having copied the overrides into the environment.
NEWS_OFF = json.loads((ROOT / "lab-overrides.json").read_text())["@jupyterlab/apputils-extension:notification"]


class Server:
    """JupyterLab (``kind="lab"``) or Voila (``kind="voila"``) on 127.0.0.1, isolated and token-protected.

    Use as a context manager; the process group is terminated (then killed) on exit, and the temporary
    Jupyter directories are removed.
    """

    def __init__(self, kind: str, startup_timeout: float = 90, windowing: str | None = "none"):
        if kind not in ("lab", "voila"):
            raise ValueError(f"unknown server kind {kind!r}; choose 'lab' or 'voila'")
        self.kind, self.startup_timeout = kind, startup_timeout
        self.windowing = windowing
        self.root = ROOT
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None
        self.log_path: Path | None = None

    # environment -----------------------------------------------------------------------------
    def _environment(self, tmp: Path) -> dict:
        env = dict(os.environ)
        dirs = {"JUPYTER_CONFIG_DIR": "config", "JUPYTER_RUNTIME_DIR": "runtime", "JUPYTER_DATA_DIR": "data",
                "IPYTHONDIR": "ipython", "JUPYTERLAB_SETTINGS_DIR": "lab-settings",
                "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces"}
        for var, sub in dirs.items():
            (tmp / sub).mkdir(parents=True, exist_ok=True)
            env[var] = str(tmp / sub)
        env.pop("JUPYTER_PATH", None)
        env["PYTHONUNBUFFERED"] = "1"
        # Silence the news / update popup (a settings override in the temporary settings folder).
        notification = tmp / "lab-settings" / "@jupyterlab" / "apputils-extension"
        notification.mkdir(parents=True, exist_ok=True)
        (notification / "notification.jupyterlab-settings").write_text(json.dumps(NEWS_OFF))
        # Never write to the notebooks (they are served from a copy anyway): no autosave.
        docmanager = tmp / "lab-settings" / "@jupyterlab" / "docmanager-extension"
        docmanager.mkdir(parents=True, exist_ok=True)
        (docmanager / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
        # The tests keep every cell fully rendered (windowing "none"), so every demo can be found and driven
        # wherever it is; the benchmark passes windowing=None: JupyterLab's default, what a student has.
        if self.windowing is not None:
            notebook = tmp / "lab-settings" / "@jupyterlab" / "notebook-extension"
            notebook.mkdir(parents=True, exist_ok=True)
            (notebook / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": self.windowing}))
        return env

    def _command(self) -> list[str]:
        root_flag = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
        if self.kind == "lab":
            return [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
                    f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
                    f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
                    "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=", "--ServerApp.open_browser=False",
                    "--ServerApp.log_level=WARN", *root_flag]
        return [sys.executable, "-m", "voila", "--no-browser", "--Voila.ip=127.0.0.1", f"--port={self.port}",
                f"--token={self.token}", "--show_tracebacks=True",
                str(self.root / "notebooks")]

    # lifecycle --------------------------------------------------------------------------------
    def __enter__(self) -> "Server":
        self._tmp = tempfile.TemporaryDirectory(prefix=f"psychmeds-{self.kind}-")
        tmp = Path(self._tmp.name)
        self.log_path = tmp / "server.log"
        # Serve a copy of notebooks/: a browser session can never write into the working tree.
        self.root = tmp / "root"
        shutil.copytree(NOTEBOOK_DIR, self.root / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.png"))
        log = open(self.log_path, "w")
        self.process = subprocess.Popen(self._command(), cwd=ROOT, env=self._environment(tmp), stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self._wait_until_up()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_until_up(self) -> None:
        probe = f"{self.base}/api/status?token={self.token}" if self.kind == "lab" else f"{self.base}/?token={self.token}"
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.kind} server exited with code {self.process.returncode}:\n{self.log()}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(probe, timeout=2) as response:
                    if response.status == 200:
                        return
            time.sleep(0.3)
        raise RuntimeError(f"{self.kind} server did not answer within {self.startup_timeout:.0f} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path and self.log_path.exists() else ""

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        if self.log_path and self.log_path.exists():  # keep the server log with the artifacts
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(self.log_path, ARTIFACTS / f"{self.kind}-server.log")
        if self._tmp:
            self._tmp.cleanup()
            self._tmp = None

    # URLs -------------------------------------------------------------------------------------
    def lab_url(self, notebook: Path) -> str:
        return f"{self.base}/lab/tree/{notebook.relative_to(ROOT).as_posix()}?reset&token={self.token}"

    def voila_url(self, notebook: Path) -> str:
        return f"{self.base}/voila/render/{notebook.name}?token={self.token}"


# --- Reading and driving the page ------------------------------------------------------------------

# Each demo is a widget box that holds a plotly figure; its controls are found inside that box.
# ``window.__demos`` lists, per figure, the nearest ancestor box that also holds a control.
# Run All has finished: the kernel is idle, no cell is running, and every code cell has run (or one failed).
JS_ALL_RUN = """
() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext.session && w.sessionContext.session.kernel;
  if (!k) return false;
  const cells = w.content.model.cells;
  let pending = false, failed = false;
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i);
    if (c.type !== 'code') continue;
    if (c.executionCount === null || c.executionCount === undefined) pending = true;
    for (let j = 0; j < c.outputs.length; j++) if (c.outputs.get(j).type === 'error') failed = true;
  }
  const busy = w.content.widgets.some(cell => cell.model.type === 'code' &&
                                          cell.promptNode && cell.promptNode.textContent.includes('*'));
  return k.status === 'idle' && !busy && (failed || !pending);
}
"""

JS_FIND_DEMOS = """
() => {
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  const demos = [];
  plots.forEach((gd, index) => {
    let box = gd.parentElement;
    while (box && !(box.classList.contains('widget-vbox') &&
                    box.querySelector('.widget-slider, .widget-toggle-button, .widget-dropdown, .widget-checkbox'))) {
      box = box.parentElement;
    }
    if (!box || box.dataset.demoBox !== undefined) return;   // a static figure, or a demo's second figure
    demos.push({plot: index, demo: demos.length,
                sliders: box.querySelectorAll('.widget-slider .noUi-handle, .widget-slider input[type=range]').length,
                toggles: box.querySelectorAll('.widget-toggle-button').length});
    box.dataset.demoBox = String(demos.length - 1);
  });
  return demos;
}
"""

JS_FIGURE_STATE = """
(demo) => {
  const gd = document.querySelector(`[data-demo-box="${demo}"] .js-plotly-plot`);
  if (!gd || !gd.data) return null;
  const plain = (v) => (ArrayBuffer.isView(v) ? Array.from(v) : v);
  const data = gd.data.map(t => Object.fromEntries(Object.entries(t).filter(([k]) => !k.startsWith('_'))
                                                   .map(([k, v]) => [k, plain(v)])));
  const title = gd.layout && gd.layout.title ? (gd.layout.title.text || '') : '';
  return JSON.stringify({data, title});
}
"""

def figure_state(page, demo: int) -> str | None:
    """The data and title of demo ``demo``'s plotly figure as a JSON string (read from the graph div)."""
    return page.evaluate(JS_FIGURE_STATE, demo)


def wait_for_change(page, demo: int, before: str, timeout_s: float = 20) -> str:
    """Poll the figure's data until it differs from ``before``; return the new state."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        now = figure_state(page, demo)
        if now is not None and now != before:
            return now
        page.wait_for_timeout(25)
    raise AssertionError(f"the figure of demo {demo} did not change within {timeout_s:.0f} s")


def _settled_boxes(page, *locators, timeout_s: float = 5):
    """Bounding boxes once they stop moving: figures above may still be rendering and shifting the page
    (seen in Voila), and a drag aimed at a stale position hits nothing."""
    boxes = [loc.bounding_box() for loc in locators]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        page.wait_for_timeout(150)
        again = [loc.bounding_box() for loc in locators]
        if again == boxes:
            return boxes
        boxes = again
    return boxes


def move_slider(page, box, fraction: float) -> None:
    """Drag the box's first slider handle to ``fraction`` (0..1) of its track, as a user would."""
    track = box.locator(".widget-slider .noUi-target, .widget-slider .slider-container").first
    handle = box.locator(".widget-slider .noUi-handle").first
    track.scroll_into_view_if_needed()
    t, h = _settled_boxes(page, track, handle)
    page.mouse.move(h["x"] + h["width"] / 2, h["y"] + h["height"] / 2)
    page.mouse.down()
    page.mouse.move(t["x"] + fraction * t["width"], h["y"] + h["height"] / 2, steps=4)
    page.mouse.up()


def nudge_slider(page, box, key: str = "ArrowRight") -> None:
    """Focus the box's first slider handle and press one arrow key (one step)."""
    handle = box.locator(".widget-slider .noUi-handle").first
    handle.focus()
    page.keyboard.press(key)


def error_outputs(page) -> list[str]:
    """Error outputs of the current JupyterLab notebook, read from its model."""
    return page.evaluate("""
    () => {
      const nb = window.jupyterapp.shell.currentWidget;
      const found = [];
      const cells = nb.content.model.cells;
      for (let i = 0; i < cells.length; i++) {
        const cell = cells.get(i);
        if (cell.type !== 'code') continue;
        const outputs = cell.outputs;
        for (let j = 0; j < outputs.length; j++) {
          const o = outputs.get(j).toJSON();
          if (o.output_type === 'error') found.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
          if (o.output_type === 'stream' && o.name === 'stderr' && /Traceback|Error/.test(o.text))
            found.push(`cell ${i} stderr: ${String(o.text).slice(0, 300)}`);
        }
      }
      return found;
    }""")


class LabNotebook:
    """One notebook open in JupyterLab."""

    def __init__(self, page, server: Server, notebook: Path):
        self.page, self.server, self.notebook = page, server, notebook

    def open(self, timeout_s: float = 120) -> None:
        self.page.goto(self.server.lab_url(self.notebook))
        self.page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=timeout_s * 1000)
        # The notebook is the current widget, its session is ready and its kernel connected and idle:
        # before that, Run All can silently run nothing.
        self.page.wait_for_function("""
        (name) => {
          const w = window.jupyterapp.shell.currentWidget;
          if (!w || !w.sessionContext || !w.context || !w.context.path.endsWith(name)) return false;
          if (!w.sessionContext.isReady) return false;
          const k = w.sessionContext.session && w.sessionContext.session.kernel;
          return !!k && k.connectionStatus === 'connected' && k.status === 'idle';
        }""", arg=self.notebook.name, timeout=timeout_s * 1000, polling=200)

    def run_all(self, timeout_s: float = 240) -> float:
        """Run all cells; wait until every code cell has run (or one failed) and the kernel is idle.

        Returns the wall time in seconds.
        """
        start = time.perf_counter()
        self.page.evaluate("() => { window.__runAll = window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        self.page.wait_for_function(JS_ALL_RUN, timeout=timeout_s * 1000, polling=100)
        return time.perf_counter() - start

    def wait_for_widgets(self, timeout_s: float = 60, quiet_ms: int = 800) -> None:
        """Wait until every widget output in the model is rendered and the page stopped changing."""
        self.page.wait_for_function("""([quiet]) => {
          const w = window.jupyterapp.shell.currentWidget;
          const cells = w.content.model.cells;
          let expected = 0;
          for (let i = 0; i < cells.length; i++) {
            const c = cells.get(i);
            if (c.type !== 'code') continue;
            for (let j = 0; j < c.outputs.length; j++)
              if (c.outputs.get(j).data['application/vnd.jupyter.widget-view+json']) expected++;
          }
          const rendered = Array.from(w.node.querySelectorAll('.jp-OutputArea-output'))
              .filter(o => o.querySelector('.jupyter-widgets')).length;
          const n = w.node.querySelectorAll('.js-plotly-plot .main-svg, .jupyter-widgets').length;
          const now = performance.now();
          if (rendered < expected || n !== window.__widgetCount) {
            window.__widgetCount = n; window.__widgetAt = now; return false;
          }
          return now - window.__widgetAt > quiet;
        }""", arg=[quiet_ms], timeout=timeout_s * 1000, polling=200)

    def shutdown_kernel(self) -> None:
        """Stop this notebook's kernel (two cores: idle kernels of earlier notebooks still cost memory)."""
        with contextlib.suppress(Exception):
            self.page.evaluate("""async () => {
              const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
              if (w && w.sessionContext) await w.sessionContext.shutdown();
            }""")


JS_AXIS_PROBLEMS = """
(demo) => {
  const gd = typeof demo === 'number' ? document.querySelector(`[data-demo-box="${demo}"] .js-plotly-plot`) : demo;
  const full = gd && gd._fullLayout;
  if (!full) return ['figure not drawn'];
  const problems = [];
  for (const [name, ax] of Object.entries(full)) {
    if (!/^[xy]axis\\d*$/.test(name) || !ax || !ax.range || ax.visible === false) continue;
    const [a, b] = ax.range.map(Number);
    if (ax.type === 'category' || ax.type === 'date') continue;
    if (!Number.isFinite(a) || !Number.isFinite(b)) problems.push(`${name} range is not finite: ${ax.range}`);
    // A log axis range is in powers of ten: beyond 1e-30..1e30 means a value in data units was taken as a log.
    else if (ax.type === 'log' && (Math.abs(a) > 30 || Math.abs(b) > 30))
      problems.push(`${name} (log) spans 10^${a.toFixed(1)} to 10^${b.toFixed(1)}`);
  }
  return problems;
}
"""


# A plotly figure's own controls (the static site's sliders and buttons) must not cover its legend, axis titles
# or tick labels: returns what each control overlaps (by more than a pixel both ways), one line per kind.
JS_CONTROL_OVERLAPS = """
(gd) => {
  const boxes = (selector) => Array.from(gd.querySelectorAll(selector)).map(e => e.getBoundingClientRect())
    .filter(r => r.width > 0 && r.height > 0);
  const controls = boxes('.slider-container, .updatemenu-container');
  const parts = {legend: boxes('.legend'), 'an axis title': boxes('[class^="g-x"][class$="title"], [class^="g-y"][class$="title"]'),
                 'tick labels': boxes('[class^="x"][class$="tick"] text, [class^="y"][class$="tick"] text')};
  const hits = new Set();
  for (const c of controls)
    for (const [name, list] of Object.entries(parts))
      for (const r of list)
        if (Math.min(c.right, r.right) - Math.max(c.left, r.left) > 1 && Math.min(c.bottom, r.bottom) - Math.max(c.top, r.top) > 1)
          hits.add(`a slider or button row covers ${name}`);
  return [...hits];
}
"""


def axis_problems(page, demo: int) -> list[str]:
    """Axes of a demo's figure that cannot be right (non-finite range, a log axis spanning 10^1000)."""
    return page.evaluate(JS_AXIS_PROBLEMS, demo)


# Compares two PNG screenshots (base64) in the page: the number of pixels that differ visibly, and where.
JS_PIXEL_DIFF = """
async ([a, b]) => {
  const load = (src) => new Promise((ok, fail) => {
    const image = new Image(); image.onload = () => ok(image); image.onerror = fail;
    image.src = 'data:image/png;base64,' + src; });
  const [first, second] = [await load(a), await load(b)];
  if (first.width !== second.width || first.height !== second.height)
    return {pixels: -1, box: [first.width, first.height, second.width, second.height]};
  const canvas = document.createElement('canvas');
  canvas.width = first.width; canvas.height = first.height;
  const context = canvas.getContext('2d');
  const pixelsOf = (image) => { context.clearRect(0, 0, canvas.width, canvas.height);
                                context.drawImage(image, 0, 0);
                                return context.getImageData(0, 0, canvas.width, canvas.height).data; };
  const [p, q] = [pixelsOf(first), pixelsOf(second)];
  let pixels = 0, box = [Infinity, Infinity, -1, -1];
  for (let i = 0; i < p.length; i += 4) {
    if (Math.abs(p[i] - q[i]) + Math.abs(p[i + 1] - q[i + 1]) + Math.abs(p[i + 2] - q[i + 2]) <= 30) continue;
    const x = (i / 4) % canvas.width, y = Math.floor(i / 4 / canvas.width);
    pixels++; box = [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)];
  }
  return {pixels, box};
}
"""


# Hide a demo's figure for two frames and show it again: Chromium then paints all of it afresh. After a quick
# redraw it repaints only the area that changed, and the edges of a line crossing that area came out
# shaded slightly differently from a fresh paint of the same SVG (143 pixels on the 01 saturation curve,
# with the SVG identical character for character). Both pictures are taken after this, so the comparison
# sees what the SVG says.
JS_REPAINT = """
async (demo) => {
  const gd = document.querySelector(`[data-demo-box="${demo}"] .js-plotly-plot`);
  const frame = () => new Promise((done) => requestAnimationFrame(() => done()));
  gd.style.visibility = 'hidden'; await frame(); await frame();
  gd.style.visibility = ''; await frame(); await frame();
}
"""


# Where two lines cross, which one is painted last can differ between the two drawings: a few pixels at
# most (1 seen). What the check is for is of another size: a trace that vanished was 24,000 pixels, a
# moved 13 px marker or label would be hundreds.
REDRAW_NOISE_PIXELS = 40


def differs_from_full_redraw(page, demo: int) -> dict | None:
    """Compare a demo's figure as drawn now with the same figure redrawn from scratch by plotly.

    A slider step that changes only point data is drawn with a partial redraw (see
    ``helpers/view/figure_widget.py``); this proves that the partial picture is the full one. Returns None when
    the two screenshots match (to :data:`REDRAW_NOISE_PIXELS`), else the number of differing pixels and
    their bounding box.
    """
    page.mouse.move(0, 0)  # no hover label in either picture
    page.add_style_tag(content=".modebar-container { display: none !important; }")  # shown on hover only
    figure = page.locator(f'[data-demo-box="{demo}"] .js-plotly-plot').first
    page.wait_for_timeout(100)
    page.evaluate(JS_REPAINT, demo)
    drawn = figure.screenshot()
    page.evaluate("""async (demo) => {
        if (!window.Plotly) throw new Error('plotly.js is not loaded in the page');
        await window.Plotly.redraw(document.querySelector(`[data-demo-box="${demo}"] .js-plotly-plot`)); }""", demo)
    page.wait_for_timeout(100)
    page.evaluate(JS_REPAINT, demo)
    redrawn = figure.screenshot()
    if drawn == redrawn:
        return None
    diff = page.evaluate(JS_PIXEL_DIFF, [base64.b64encode(drawn).decode(), base64.b64encode(redrawn).decode()])
    return diff if diff["pixels"] > REDRAW_NOISE_PIXELS else None


# --- Accessibility: axe-core --------------------------------------------------------------------

AXE_JS = ROOT / "tests" / "node_modules" / "axe-core" / "axe.min.js"
# The WCAG 2.0 and 2.1 level A and AA rules (axe's best-practice and AAA rules are not run).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_IMPACTS = ("serious", "critical")
# The scrolled panels that hold a notebook: in JupyterLab 4, and in a Voila dashboard.
LAB_SCROLLER = ".jp-NotebookPanel .jp-WindowedPanel-outer"
VOILA_SCROLLER = "#rendered_cells"
AXE_HELP = ("axe-core is needed for the accessibility checks: `make test` installs it; by hand, "
            "`npm ci --prefix tests` (the version is pinned in tests/package-lock.json).")

JS_AXE_RUN = """
async ({include, exclude, tags, scroller}) => {
  let context = document;
  if (include) {
    const present = include.filter(s => document.querySelector(s));
    if (!present.length) return {error: `no element matches ${include.join(', ')}`};
    context = {include: present.map(s => [s]), exclude: (exclude || []).map(s => [s])};
  } else if (exclude && exclude.length) {
    context = {exclude: exclude.map(s => [s])};
  }
  const options = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
  // axe checks colour contrast only for text it can see: inside a scrolled panel (JupyterLab's notebook), only
  // what is scrolled into view. So the panel is scrolled through, one view at a time, and the findings merged.
  const box = scroller ? document.querySelector(scroller) : null;
  const frame = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const positions = [0];
  if (box) for (let y = box.clientHeight * 0.8; y < box.scrollHeight; y += box.clientHeight * 0.8) positions.push(y);
  const rules = new Map();
  for (const y of positions) {
    if (box) { box.scrollTop = y; await frame(); }
    const result = await window.axe.run(context, options);
    for (const v of result.violations) {
      const rule = rules.get(v.id) || {id: v.id, impact: v.impact, help: v.help, nodes: new Map()};
      for (const n of v.nodes) {
        const target = n.target.map(String).join(' > ');
        if (!rule.nodes.has(target))
          rule.nodes.set(target, {impact: n.impact, target, html: n.html.slice(0, 160),
                                  summary: (n.failureSummary || '').slice(0, 300)});
      }
      rules.set(v.id, rule);
    }
  }
  if (box) box.scrollTop = 0;
  return {views: positions.length,
          violations: Array.from(rules.values()).map(r => ({...r, nodes: Array.from(r.nodes.values())}))};
}
"""


def require_axe() -> Path:
    """Path of axe.min.js; missing: the test fails, saying how to install it."""
    import pytest

    if not AXE_JS.exists():
        pytest.fail(AXE_HELP, pytrace=False)
    return AXE_JS


def axe_violations(page, include: list[str] | None = None, exclude: list[str] | None = None,
                   scroller: str | None = None) -> list[dict]:
    """Serious and critical axe-core violations of the WCAG 2 A/AA rules (:data:`AXE_TAGS`) in ``page``.

    ``include``: CSS selectors of the parts to test (default: the whole document); those that match nothing
    are skipped, and the check fails if none matches. ``exclude``: selectors of parts left out. ``scroller``:
    the selector of a scrolled panel holding them (JupyterLab's notebook), which is scrolled through view by view
    (axe checks the contrast of visible text only). Returns one dict per violated rule (``id``, ``impact``,
    ``help``, ``nodes``: each with its ``impact``, ``target`` selector and ``html``), keeping only the nodes
    whose impact is serious or critical.
    """
    if not page.evaluate("() => !!(window.axe && window.axe.run)"):
        page.add_script_tag(path=str(require_axe()))
        if scroller:
            # JupyterLab's <body> has overflow: hidden and, its children all absolutely placed, no height: axe
            # takes that as clipping everything, calls all text invisible and checks no colour contrast at all
            # (0 nodes, even white on white). Letting the body overflow changes nothing on screen.
            page.add_style_tag(content="body { overflow: visible !important; }")
    result = page.evaluate(JS_AXE_RUN, {"include": include, "exclude": exclude, "tags": AXE_TAGS,
                                        "scroller": scroller})
    if "error" in result:
        raise AssertionError(f"axe-core: {result['error']}")
    found = []
    for rule in result["violations"]:
        nodes = [n for n in rule["nodes"] if (n["impact"] or rule["impact"]) in AXE_IMPACTS]
        if nodes:
            found.append({**rule, "nodes": nodes})
    return found


def axe_count(violations: list[dict]) -> int:
    """Number of failing elements (axe's 'nodes') over all rules."""
    return sum(len(v["nodes"]) for v in violations)


def axe_report(violations: list[dict], limit: int = 4) -> str:
    """A readable summary for an assertion message: rule, impact, count and the first few targets."""
    lines = []
    for v in violations:
        targets = "; ".join(f"{n['target']} {n['summary'].splitlines()[-1] if n['summary'] else ''}".strip()
                            for n in v["nodes"][:limit])
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])}x: {v['help']}): {targets}")
    return "\n".join(lines)


# The parts of a notebook in JupyterLab that the project writes: every output (figures, widgets, tables, text)
# and the rendered markdown (prose, Part A/B banners). Left out, because JupyterLab draws them and we cannot
# change them: the prompts, the code editors, toolbars, side panels and status bar.
LAB_AXE_CONTEXT = [".jp-NotebookPanel .jp-OutputArea-output", ".jp-NotebookPanel .jp-MarkdownOutput"]


def axe_colour_contrast(violations: list[dict]) -> list[dict]:
    """Only the colour-contrast findings (for a theme other than the one the page was made for)."""
    return [v for v in violations if v["id"] == "color-contrast"]


def set_lab_theme(page, theme: str) -> None:
    """Switch JupyterLab to ``theme`` ('JupyterLab Light' or 'JupyterLab Dark') and wait until it is applied."""
    page.evaluate("(t) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: t})", theme)
    page.wait_for_function("(light) => document.body.dataset.jpThemeLight === light",
                           arg="false" if theme.endswith("Dark") else "true", timeout=30_000)
    page.wait_for_timeout(500)  # the theme's stylesheet is applied in the next frames


# Text drawn in plotly figures smaller than 12 px (what the browser renders, at the page's width): plotly can
# shrink bar labels to fit and writes a log axis's in-between labels at 3/4 size.
JS_SMALL_FIGURE_TEXT = """
(root) => Array.from((root || document).querySelectorAll('.js-plotly-plot .main-svg text'))
  .filter(t => t.textContent.trim() && t.getBBox().width > 0 && getComputedStyle(t).display !== 'none')
  .map(t => [parseFloat(getComputedStyle(t).fontSize), t.textContent.trim().slice(0, 40)])
  .filter(([size]) => size < 12)
"""

# Figure titles that run past the right edge of their figure (plotly does not wrap a title; it is cut off at the
# edge of the SVG): [title start, how many px too wide]. Seen in JupyterLab at 1280 px before this check existed.
JS_CUT_TITLES = """
(root) => Array.from((root || document).querySelectorAll('.js-plotly-plot')).flatMap(plot => {
  const svg = plot.querySelector('.main-svg');
  if (!svg) return [];
  const right = svg.getBoundingClientRect().right;
  // Titles, and the step labels of a kernel-free page's plotly slider (the last one centred on the end tick).
  return Array.from(plot.querySelectorAll('.gtitle, .slider-label')).filter(t => t.textContent.trim())
    .map(t => [t.textContent.trim().slice(0, 50), Math.round(t.getBoundingClientRect().right - right)])
    .filter(([, over]) => over > 1);
})
"""

# Each demo (found by JS_FIND_DEMOS) and whether its "What the figure shows" sentence is a live region.
JS_LIVE_DESCRIPTIONS = """
() => Array.from(document.querySelectorAll('[data-demo-box]')).map(box => {
  const region = box.querySelector('[aria-live="polite"][role="status"]');
  return {demo: box.dataset.demoBox, live: !!region, text: region ? region.textContent.trim().slice(0, 60) : ''};
})
"""
