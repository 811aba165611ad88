"""Browser tests: every notebook in JupyterLab, and every themed notebook in Voila, in headless Chromium.

For each notebook (found by glob, so new notebooks are covered when they land): open it, run all, assert
no error output, then move each demo's primary control (its first slider; its first toggle button too) and
assert that the plotly figure's data in the page changed. Screenshots go to ``artifacts/browser/``. Then the
accessibility checks: axe-core (WCAG 2.0/2.1 A and AA) finds no serious or critical violation in what the
notebook shows (JupyterLab: its outputs and rendered markdown, in the light theme, and their colour contrast
in the dark theme; Voila: the whole page), no figure text is under 12 px, and every demo's description is a
live region.

Needs Chromium (Debian's package; ``make test`` installs it as root). Without it these tests fail in CI
(CI=true) and are skipped with instructions elsewhere. Servers run on free 127.0.0.1 ports with a token and
temporary Jupyter directories, serving a copy of notebooks/, and are always shut down.
"""

from __future__ import annotations

import contextlib
import re

import pytest
from browser_support import (
    ARTIFACTS,
    JS_CUT_TITLES,
    JS_FIND_DEMOS,
    JS_LIVE_DESCRIPTIONS,
    JS_SMALL_FIGURE_TEXT,
    LAB_AXE_CONTEXT,
    LAB_SCROLLER,
    NOTEBOOKS,
    VOILA_SCROLLER,
    LabNotebook,
    Server,
    axe_colour_contrast,
    axe_count,
    axe_report,
    axe_violations,
    axis_problems,
    differs_from_full_redraw,
    error_outputs,
    figure_state,
    launch_browser,
    move_slider,
    require_chromium,
    set_lab_theme,
    wait_for_change,
)

pytestmark = pytest.mark.browser

# Every themed notebook is also checked as a Voila dashboard (what a teacher projects); 00 has no demo.
VOILA_NOTEBOOKS = [p for p in NOTEBOOKS if not p.name.startswith("00_")]
VIEWPORT = {"width": 1400, "height": 1000}
# Console messages that are not failures of ours: resources the page asks for and may not find offline.
BENIGN_CONSOLE = re.compile(r"Failed to load resource|favicon|Unsatisfied version|No satisfying version|"
                            r"ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|DevTools")


@pytest.fixture(scope="module")
def chromium() -> str:
    return require_chromium()


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_browser(playwright, chromium)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def lab_server(chromium):
    with Server("lab") as server:
        yield server


@pytest.fixture(scope="module")
def voila_server(chromium):
    with Server("voila") as server:
        yield server


def _new_page(browser, kind: str):
    """A fresh page, its screenshot folder (artifacts/browser/<kind>) and the list its console errors go to."""
    shots = ARTIFACTS / kind
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport=VIEWPORT)
    return page, shots, _watch_console(page)


def _watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"uncaught: {exc}"))
    page.on("console", lambda m: problems.append(f"console.{m.type}: {m.text}")
            if m.type == "error" and not BENIGN_CONSOLE.search(m.text) else None)
    return problems


def _exercise_demos(page, shots, label: str, compare_full_redraw: bool = False) -> list[str]:
    """Move each demo's first slider and click its first toggle; return what was checked.

    With ``compare_full_redraw``, after each move the figure must look exactly as plotly draws it from
    scratch (slider steps that change only data are drawn partially; this is the proof that is safe).
    """
    return [line for index, demo in enumerate(page.evaluate(JS_FIND_DEMOS))
            for line in _exercise_demos_one(page, shots, label, index, demo, compare_full_redraw)]


def _same_as_full_redraw(page, label: str, index: int, control: str) -> None:
    diff = differs_from_full_redraw(page, index)
    assert diff is None, (f"{label} demo {index}: after the {control} moved, the figure differs from plotly's full "
                          f"redraw of the same data ({diff['pixels']} pixels in box {diff['box']})")


def _exercise_demos_one(page, shots, label: str, index: int, demo: dict, compare_full_redraw: bool) -> list[str]:
    """Exercise one demo (see :func:`_exercise_demos`)."""
    done = []
    box = page.locator(f'[data-demo-box="{index}"]')
    box.scroll_into_view_if_needed()
    moved = []
    if demo["sliders"]:
        before = figure_state(page, index)
        where = page.evaluate("""(i) => {
            const h = document.querySelector(`[data-demo-box="${i}"] .widget-slider .noUi-handle`);
            return h ? Number(h.getAttribute('aria-valuenow')) : null; }""", index)
        handle = box.locator(".widget-slider .noUi-handle").first
        lo, hi = (float(handle.get_attribute(a) or 0) for a in ("aria-valuemin", "aria-valuemax"))
        fraction = 0.15 if where is not None and hi > lo and (where - lo) / (hi - lo) > 0.5 else 0.85
        move_slider(page, box, fraction)
        wait_for_change(page, index, before)
        if compare_full_redraw:
            _same_as_full_redraw(page, label, index, "slider")
        moved.append("slider")
    if demo["toggles"]:
        buttons = box.locator(".widget-toggle-button")
        # One click, compared with a full redraw; then, where there is a second button, second and first in a
        # row, compared at the end: a quick redraw must also be right after another quick redraw (a text that
        # appeared in one quick step once failed to appear in the next).
        sequences = [[0]] + ([[1, 0]] if compare_full_redraw and buttons.count() > 1 else [])
        for sequence in sequences:
            for k in sequence:
                before = figure_state(page, index)
                buttons.nth(k).click()
                wait_for_change(page, index, before)
            if compare_full_redraw:
                _same_as_full_redraw(page, label, index, "toggle " + " then ".join(str(k + 1) for k in sequence))
        moved.append("toggle")
    if not moved:  # no slider or toggle: use the first dropdown or checkbox
        before = figure_state(page, index)
        select = box.locator(".widget-dropdown select").first
        if select.count():
            options = select.locator("option").all_text_contents()
            select.select_option(index=1 if len(options) > 1 else 0)
        else:
            box.locator(".widget-checkbox input").first.click()
        wait_for_change(page, index, before)
        moved.append("dropdown/checkbox")
    page.wait_for_timeout(150)
    box.screenshot(path=str(shots / f"{label}_demo{index}.png"))
    broken = axis_problems(page, index)
    assert not broken, f"{label} demo {index}: the figure's axes are wrong after the move: {broken}"
    done.append(f"demo {index} (figure {demo['plot']}): {' + '.join(moved)}")
    return done


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_in_jupyterlab(browser, lab_server, notebook):
    page, shots, console = _new_page(browser, "lab")
    lab = LabNotebook(page, lab_server, notebook)
    try:
        lab.open()
        lab.run_all()
        lab.wait_for_widgets()
        errors = error_outputs(page)
        page.screenshot(path=str(shots / f"{notebook.stem}.png"))
        assert not errors, f"{notebook.name} produced error output in JupyterLab: {errors}"
        checked = _exercise_demos(page, shots, notebook.stem, compare_full_redraw=True)
        if not notebook.name.startswith("00_"):
            assert checked, f"{notebook.name}: no interactive demo (plotly figure in a widget box) was found"
        assert not console, f"{notebook.name}: browser errors: {console[:5]}"
        problems = _accessibility_problems(page, LAB_AXE_CONTEXT, LAB_SCROLLER)
        # The same outputs and prose in JupyterLab's dark theme: colour contrast only (the other rules do not
        # depend on the theme; the dark theme's own link colours are JupyterLab's).
        set_lab_theme(page, "JupyterLab Dark")
        dark = axe_colour_contrast(axe_violations(page, include=LAB_AXE_CONTEXT, scroller=LAB_SCROLLER))
        page.screenshot(path=str(shots / f"{notebook.stem}_dark.png"))
        if dark:
            problems.append(f"in the dark theme: {axe_count(dark)} texts with too little contrast:\n{axe_report(dark)}")
        assert not problems, f"{notebook.name} in JupyterLab:\n" + "\n".join(problems)
    finally:
        with contextlib.suppress(Exception):  # the theme is a saved setting: the next notebook opens in light
            set_lab_theme(page, "JupyterLab Light")
        lab.shutdown_kernel()
        page.close()


def _accessibility_problems(page, include: list[str] | None, scroller: str) -> list[str]:
    """What the accessibility checks find in the page as it is now, one entry per kind of problem.

    axe-core (WCAG 2.0/2.1 A and AA, serious and critical) on ``include`` (JupyterLab: the outputs and the
    rendered markdown, see LAB_AXE_CONTEXT; Voila: the whole page), scrolled through ``scroller``; figure text
    under 12 px; a demo whose "What the figure shows" line is not a live region.
    """
    problems = []
    found = axe_violations(page, include=include, scroller=scroller)
    if found:
        problems.append(f"{axe_count(found)} serious or critical accessibility violations:\n{axe_report(found)}")
    small = page.evaluate(JS_SMALL_FIGURE_TEXT)
    if small:
        problems.append(f"figure text under 12 px: {small[:8]}")
    cut = page.evaluate(JS_CUT_TITLES)
    if cut:
        problems.append(f"figure titles cut off at the figure's right edge [title, px too wide]: {cut}")
    silent = [d for d in page.evaluate(JS_LIVE_DESCRIPTIONS) if not d["live"]]
    if silent:
        problems.append(f"demos whose description is not announced (no aria-live region): {silent}")
    return problems


def test_jupyterlab_has_the_collections_settings(browser, lab_server):
    """lab-overrides.json is in force: the kernel's busy/idle indicator sits in the status bar, not the notebook
    toolbar (see the Makefile for why), and is still there for students to see."""
    page, _, _ = _new_page(browser, "lab")
    lab = LabNotebook(page, lab_server, NOTEBOOKS[0])
    try:
        lab.open()
        page.wait_for_selector("#jp-main-statusbar .jp-Notebook-ExecutionIndicator", timeout=30_000)
        assert page.locator(".jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator").count() == 0
    finally:
        lab.shutdown_kernel()
        page.close()


def test_prediction_committed_with_the_keyboard_in_jupyterlab(browser, lab_server):
    """01's antagonist demo: Tab through the options, choose with Space, Tab to "Commit prediction" and press
    Enter; the explanation stays hidden until the antagonist slider moves one step (arrow
    key) to 100 nM; then the explanation and the feedback line with its mark appear."""
    from playwright.sync_api import expect

    notebook = next(p for p in NOTEBOOKS if p.name.startswith("01_"))
    page, shots, console = _new_page(browser, "lab")
    lab = LabNotebook(page, lab_server, notebook)
    try:
        lab.open()
        lab.run_all()
        lab.wait_for_widgets()
        panel = (page.locator(".widget-vbox").filter(has=page.get_by_text("raise the antagonist tenfold"))
                 .filter(has=page.locator(".widget-radio-box")).last)
        demo = panel.locator("xpath=..")
        panel.scroll_into_view_if_needed()
        description = demo.locator("p").filter(has_text="What the figure shows:")  # re-found on each look
        expect(description).to_contain_text("Make your prediction above")
        # ipywidgets' radio inputs carry no shared name, so each option is its own Tab stop (JupyterLab's
        # command mode takes ArrowDown/ArrowUp for moving between cells, so arrows cannot be the way).
        radios = panel.locator("input[type=radio]")
        radios.first.focus()
        page.keyboard.press("Space")  # option 1 chosen
        for _ in range(3):
            page.keyboard.press("Tab")  # on to option 4: "about ten times further" (the right one)
        page.keyboard.press("Space")
        expect(radios.nth(3)).to_be_checked()
        expect(radios.nth(0)).not_to_be_checked()
        # The kernel enables the button (a round trip, ~50-70 ms); Tab skips it while it is still disabled.
        expect(panel.locator("button").filter(has_text="Commit prediction")).to_be_enabled()
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.textContent").strip() == "Commit prediction"
        page.keyboard.press("Enter")
        expect(description).to_contain_text("Prediction saved", timeout=15_000)
        handle = demo.locator(".widget-slider .noUi-handle").first
        handle.focus()
        page.keyboard.press("ArrowRight")  # 10 nM -> 100 nM
        status = panel.locator('[role="status"]')
        expect(status).to_contain_text("✔ Your prediction matches", timeout=15_000)
        expect(description).to_contain_text("101 times")
        panel.locator("xpath=..").screenshot(path=str(shots / "prediction_01_antagonist.png"))
        assert not console, f"browser errors: {console[:5]}"
    finally:
        lab.shutdown_kernel()
        page.close()


@pytest.mark.parametrize("notebook", VOILA_NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_in_voila(browser, voila_server, notebook):
    page, shots, console = _new_page(browser, "voila")
    try:
        page.goto(voila_server.voila_url(notebook))
        page.wait_for_selector(".jp-Cell", timeout=120_000)
        _wait_until_settled(page)
        tracebacks = page.evaluate("""() => Array.from(document.querySelectorAll(
              '[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output.jp-mod-error'))
            .map(e => e.textContent.slice(0, 300)).filter(t => /Traceback|Error/.test(t))""")
        page.screenshot(path=str(shots / f"{notebook.stem}.png"))
        assert not tracebacks, f"{notebook.name} shows errors in Voila: {tracebacks}"
        checked = _exercise_demos(page, shots, notebook.stem)
        assert checked, f"{notebook.name}: no interactive demo was found in Voila"
        assert not console, f"{notebook.name}: browser errors in Voila: {console[:5]}"
        problems = _accessibility_problems(page, None, VOILA_SCROLLER)
        assert not problems, f"{notebook.name} in Voila:\n" + "\n".join(problems)
    finally:
        page.close()


def _wait_until_settled(page, quiet_ms: int = 2000, timeout_ms: int = 120_000) -> None:
    """Voila renders cells and widgets progressively: wait until the page stops growing."""
    page.wait_for_function("""([quiet]) => {
        const n = document.querySelectorAll('.js-plotly-plot, .widget-vbox, .jp-OutputArea-output').length;
        const spinner = document.querySelector('#loading');
        const loading = spinner && getComputedStyle(spinner).display !== 'none';
        const now = performance.now();
        if (loading || n !== window.__settleCount) { window.__settleCount = n; window.__settleAt = now; return false; }
        return now - window.__settleAt > quiet;
    }""", arg=[quiet_ms], timeout=timeout_ms, polling=250)
