"""The static site (``make site``): built from every notebook, drawn offline in headless Chromium.

The site is built once into a temporary folder. Pages are opened from file:// with every non-local request
aborted; each page must draw all its plotly figures (an SVG with at least one trace), ship plotly.js once
(locally, not per figure, not from a CDN), and each themed notebook's demos must come with a kernel-free
fallback whose own slider or buttons change the figure. Maths is typeset by the local MathJax: no TeX
source is left on any page and no MathJax file is missing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import (
    ARTIFACTS,
    JS_AXIS_PROBLEMS,
    JS_CONTROL_OVERLAPS,
    JS_CUT_TITLES,
    JS_SMALL_FIGURE_TEXT,
    NOTEBOOKS,
    axe_count,
    axe_report,
    axe_violations,
    launch_browser,
    require_chromium,
)

from helpers.build import site

THEMED = [p for p in NOTEBOOKS if not p.name.startswith("00_")]
# A notebook whose demos have no fallback yet would be listed here with the reason; none is.
NO_FALLBACK_YET: dict[str, str] = {}


def _open_with_figures_drawn(page, path: Path) -> None:
    """Open a built page and wait until plotly has drawn every figure on it."""
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    expected = page.evaluate("() => document.querySelectorAll('.plotly-graph-div').length")
    if expected:
        page.wait_for_function("(n) => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n",
                               arg=expected, timeout=30_000)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "html"
    reports = site.build(out)
    return out, {r["notebook"]: r for r in reports}


def test_one_page_per_notebook_and_an_index(built):
    out, reports = built
    index = (out / "index.html").read_text()
    for nb in NOTEBOOKS:
        assert (out / f"{nb.stem}.html").exists(), f"no page for {nb.name}"
        assert f'href="{nb.stem}.html"' in index, f"index does not link {nb.name}"
        assert not reports[nb.name]["problems"], f"{nb.name}: {reports[nb.name]['problems']}"


def test_plotly_js_shipped_once_locally(built):
    out, _ = built
    assert (out / "_static" / "plotly.min.js").stat().st_size > 1_000_000
    for page in out.glob("*.html"):
        text = page.read_text()
        external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="((?:https?:)?//[^"]+)"', text)
        assert not external, f"{page.name} loads from the network: {external}"
        assert not re.search(r"import\(\s*[\"']https?://", text), f"{page.name} imports a module from the network"
        if page.name != "index.html":
            assert text.count('src="_static/plotly.min.js"') == 1, f"{page.name} must load the local plotly.js once"
            assert text.count("plotly.js v") <= 1 and len(text) < 3_000_000, f"{page.name} embeds plotly.js"


@pytest.mark.parametrize("notebook", THEMED, ids=lambda p: p.stem)
def test_themed_notebook_demos_have_fallbacks(built, notebook):
    if notebook.stem in NO_FALLBACK_YET:
        pytest.xfail(NO_FALLBACK_YET[notebook.stem])
    _, reports = built
    assert reports[notebook.name]["fallbacks"] >= 1, f"{notebook.name}: no demo has a kernel-free fallback"


def test_demos_with_a_prediction_show_the_plain_fallback(built):
    """A notebook cell ``widgets.antagonist_explorer(predict=...)`` becomes the plain kernel-free fallback: no
    question, no commit button, and the explanation sentence of the demo's first state shown as usual."""
    import html as html_module
    import json

    from helpers import registry
    from helpers.core.predictions import predictions
    from helpers.themes.basics import figures

    out, reports = built
    used = predictions()
    for theme in {r.theme for r in used.itertuples()}:
        nb = next(p for p in THEMED if p.name == registry.theme(theme).notebook)
        source = json.loads(nb.read_text())
        assert "predict=" in "".join("".join(c["source"]) for c in source["cells"]), f"{nb.name} asks no prediction"
        page = (out / f"{nb.stem}.html").read_text()
        assert "Commit prediction" not in page and "Predict first" not in page, f"{nb.name} shows a prediction"
        assert "Make your prediction above" not in page
        assert not reports[nb.name]["problems"]
    page = (out / "01_mechanism_of_action_basics.html").read_text()
    assert html_module.escape(figures.describe_antagonist_shift(10.0, 1.0)) in page


@pytest.fixture(scope="module")
def offline_page(built):
    from playwright.sync_api import sync_playwright

    chromium = require_chromium()
    out, _ = built
    with sync_playwright() as playwright:
        browser = launch_browser(playwright, chromium)
        context = browser.new_context(viewport={"width": 1300, "height": 900})
        blocked: list[str] = []

        def block(route):
            url = route.request.url
            if url.startswith(("file://", "data:", "blob:", "about:")):
                return route.continue_()
            blocked.append(url)
            return route.abort()

        context.route("**/*", block)
        page = context.new_page()
        yield page, out, blocked
        browser.close()


@pytest.mark.browser
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_page_draws_every_figure_offline(offline_page, notebook):
    page, out, blocked = offline_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _open_with_figures_drawn(page, out / f"{notebook.stem}.html")
    drawn = page.evaluate("""() => Array.from(document.querySelectorAll('.plotly-graph-div'))
        .map(gd => ({svg: !!gd.querySelector('.main-svg'), traces: (gd.data || []).length}))""")
    shots = ARTIFACTS.parent / "site"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{notebook.stem}.png"))
    assert all(d["svg"] and d["traces"] > 0 for d in drawn), f"{notebook.name}: figures not drawn: {drawn}"
    axes = [p for gd in page.locator(".js-plotly-plot").element_handles() for p in gd.evaluate(JS_AXIS_PROBLEMS)]
    assert not axes, f"{notebook.name}: figures with impossible axes: {axes}"
    covered = [f"figure {i}: {hit}" for i, gd in enumerate(page.locator(".js-plotly-plot").element_handles())
               for hit in gd.evaluate(JS_CONTROL_OVERLAPS)]
    assert not covered, f"{notebook.name}: kernel-free controls drawn over the figure: {covered}"
    cut = page.evaluate(JS_CUT_TITLES)
    assert not cut, f"{notebook.name}: titles or slider labels running past the figure's right edge (text, px): {cut}"
    if notebook in THEMED:
        assert drawn, f"{notebook.name}: the page has no figure"
    assert not errors, f"{notebook.name}: script errors offline: {errors}"
    assert not [u for u in blocked if "plotly" in u], f"plotly requested from the network: {blocked}"


def _tex_in_source(notebook) -> int:
    """How many inline or display TeX spans the notebook's markdown holds."""
    import nbformat

    cells = nbformat.read(notebook, as_version=4).cells
    return sum(len(re.findall(r"\$\$.+?\$\$|\$[^$\n]+?\$", c.source, flags=re.S)) for c in cells if c.cell_type == "markdown")


# Visible text that still looks like TeX: $...$ with a backslash, brace, underscore or caret inside.
JS_RAW_TEX = r"""() => Array.from(document.querySelectorAll('.jp-MarkdownOutput'))
    .flatMap(e => e.innerText.match(/\$[^$\n]*[\\{}_^][^$\n]*\$/g) || [])"""


@pytest.mark.browser
@pytest.mark.parametrize("notebook", [p for p in NOTEBOOKS if _tex_in_source(p)], ids=lambda p: p.stem)
def test_maths_is_typeset_offline(offline_page, notebook):
    page, out, blocked = offline_page
    missing: list[str] = []
    # Only missing files count: requests the previous page still had open are aborted when it is left.
    page.on("requestfailed", lambda r: missing.append(r.url)
            if "mathjax" in r.url and "ABORTED" not in (r.failure or "") else None)
    page.goto((out / f"{notebook.stem}.html").as_uri())
    page.wait_for_function("() => window.MathJax && MathJax.isReady", timeout=30_000)
    page.evaluate("() => new Promise(done => MathJax.Hub.Queue(done))")  # runs after all queued typesetting
    typeset = page.evaluate("() => document.querySelectorAll('script[type^=\"math/tex\"]').length")
    raw = page.evaluate(JS_RAW_TEX)
    assert typeset >= _tex_in_source(notebook), f"{notebook.name}: {typeset} formulas typeset, source has more"
    assert not raw, f"{notebook.name}: TeX shown as source text: {raw[:5]}"
    assert not missing and not [u for u in blocked if "mathjax" in u.lower()], f"MathJax files missing: {missing}"


@pytest.mark.browser
@pytest.mark.parametrize("notebook", THEMED, ids=lambda p: p.stem)
def test_fallback_controls_change_the_figure(offline_page, notebook):
    page, out, _ = offline_page
    page.goto((out / f"{notebook.stem}.html").as_uri())
    page.wait_for_function("() => document.querySelectorAll('.site-fallback .js-plotly-plot .main-svg').length > 0",
                           timeout=30_000)
    fallbacks = page.locator(".site-fallback")
    for i in range(fallbacks.count()):
        box = fallbacks.nth(i)
        gd = box.locator(".js-plotly-plot").first
        gd.scroll_into_view_if_needed()
        state = "(gd) => JSON.stringify([gd.data.map(t => [t.x, t.y, t.z, t.text]), gd.layout.title && gd.layout.title.text])"
        before, sentence = gd.evaluate(state), box.locator("span[aria-live]").inner_text()
        control = box.locator(".slider-group .slider-rail-touch-rect, .updatemenu-button")
        assert control.count(), f"{notebook.name}: fallback {i} has no slider or button"
        after = before
        for target, where in ((control.last, 0.98), (control.first, 0.02)):  # right end / last button, else left
            target.scroll_into_view_if_needed()  # a tall figure can leave its buttons outside the viewport
            area = target.bounding_box()
            page.mouse.click(area["x"] + where * area["width"], area["y"] + area["height"] / 2)
            page.wait_for_timeout(300)
            after = gd.evaluate(state)
            if after != before:
                break
        box.screenshot(path=str(ARTIFACTS.parent / "site" / f"{notebook.stem}_fallback{i}.png"))
        assert after != before, f"{notebook.name}: fallback {i}'s control did not change the figure"
        assert box.locator("span[aria-live]").inner_text() != sentence, \
            f"{notebook.name}: fallback {i}'s description did not follow the control"


@pytest.mark.browser
@pytest.mark.parametrize("stem", [p.stem for p in NOTEBOOKS] + ["index"])
def test_page_passes_the_accessibility_checks(offline_page, stem):
    """axe-core's WCAG 2.0/2.1 A and AA rules find no serious or critical violation on the whole page (text
    contrast, links told apart by more than colour, names of controls, ...); no figure text is under 12 px."""
    page, out, _ = offline_page
    _open_with_figures_drawn(page, out / f"{stem}.html")
    found = axe_violations(page)
    small = page.evaluate(JS_SMALL_FIGURE_TEXT)
    assert not found, (f"{stem}.html: {axe_count(found)} serious or critical accessibility violations:\n"
                       f"{axe_report(found)}")
    assert not small, f"{stem}.html: figure text under 12 px: {small[:8]}"


@pytest.mark.parametrize("notebook", THEMED, ids=lambda p: p.stem)
def test_figures_list_their_sources_as_text(built, notebook):
    """A figure that cites sources in its hover text lists them under it as visible text too."""
    out, _ = built
    text = (out / f"{notebook.stem}.html").read_text()
    assert text.count("<b>Sources:</b>") >= 1, f"{notebook.name}: no figure lists its sources as text"


# --- Readers without a kernel: the index and the self-checks (issue 18) ------------------------------

def _asked_checks(notebook) -> list[tuple[str, str]]:
    """(theme, id) of every ``checks.self_check(...)`` call in the notebook's code cells, in order."""
    import nbformat

    cells = nbformat.read(notebook, as_version=4).cells
    return [m for c in cells if c.cell_type == "code"
            for m in re.findall(r"""self_check\(\s*["'](\w+)["']\s*,\s*["']([\w-]+)["']\s*\)""", c.source)]


def test_index_says_what_each_notebook_teaches_and_how_long_it_takes(built):
    """Every registered notebook is on the index with its minutes, its summary and each of its learning
    objectives (from data/objectives); so is the start page; the Part A / Part B idea is explained."""
    import html as html_module

    from helpers import registry
    from helpers.core import self_check_bank

    out, _ = built
    index = (out / "index.html").read_text()
    entries = dict(re.findall(r'<li class="site-entry" data-notebook="([\w-]+)">(.*?)</li>\s*(?=<li class="site-entry"|</ol>\s*<p><small>)',
                              index, flags=re.DOTALL))
    rows = [(t.stem, t.key, t.minutes, t.summary) for t in registry.THEMES if (out / f"{t.stem}.html").exists()]
    assert len(rows) == len(registry.THEMES), "a registered notebook has no page"
    rows.append((registry.START_NOTEBOOK.removesuffix(".ipynb"), "start", registry.START_MINUTES,
                 registry.START_SUMMARY))
    for stem, key, minutes, summary in rows:
        entry = entries.get(stem)
        assert entry, f"the index has no entry for {stem}"
        assert f'href="{stem}.html"' in entry and f"about {minutes} minutes" in entry, f"{stem}: link or time missing"
        assert html_module.escape(summary) in entry, f"{stem}: the registry's summary is not on the index"
        objectives = list(self_check_bank.objectives(key)["text"])
        assert objectives, f"{stem}: no learning objectives in data/objectives"
        for text in objectives:
            assert f"<li>{html_module.escape(text)}</li>" in entry, f"{stem}: objective not listed: {text[:60]}"
    assert "<h2>The one idea: Part A and Part B</h2>" in index and index.count("<b>Part B</b>") == 1
    assert "self-checks and filters need a running notebook" not in index.replace("\n", " ")


def test_an_unregistered_notebook_is_listed_by_its_link_only():
    """A notebook whose registry row is not there yet (a theme being added) still gets its link, and the
    build does not fail; a registered one gets its time and objectives."""
    from helpers.build import site

    assert "about 60 minutes" in site.index_entry("03_lithium", "Lithium")
    entry = site.index_entry("99_not_registered", "X")
    assert 'href="99_not_registered.html"' in entry and "minutes" not in entry and "site-objectives" not in entry


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_self_check_becomes_a_kernel_free_question(built, notebook):
    """Each self_check call of the notebook is a working question on its page (a radio group with a legend, a
    live feedback line), not a disabled snapshot, in the notebook's order."""
    out, reports = built
    page = (out / f"{notebook.stem}.html").read_text()
    asked = [check_id for _, check_id in _asked_checks(notebook)]
    # (nbconvert writes an output's attributes in its own order)
    boxes = re.findall(r'<div [^>]*class="site-check"[^>]*>', page)
    assert [re.search(r'data-check="([\w-]+)"', b).group(1) for b in boxes] == asked
    assert reports[notebook.name]["checks"] == len(asked)
    assert page.count("<fieldset><legend><b>Self-check.</b>") == len(asked)
    regions = re.findall(r'<p [^>]*class="site-check-feedback"[^>]*>', page)
    assert len(regions) == len(asked) and all('role="status"' in r and 'aria-live="polite"' in r for r in regions)
    assert "needs a running notebook\">Check answer" not in page


def _open_offline(page, out, stem):
    page.goto((out / f"{stem}.html").as_uri())
    page.wait_for_load_state("load")


def _feedback(box):
    return box.locator(".site-check-feedback").inner_text().strip()


@pytest.mark.browser
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_self_checks_grade_without_a_kernel(offline_page, notebook):
    """In plain JavaScript, each question shows exactly what the notebook's widget shows (texts from
    helpers.view.checks.grade and reveal): nothing chosen -> a prompt; a wrong option -> its own feedback and
    not the explanation, no 'Show answer' yet; a second, different wrong option -> 'Show answer' offered, which
    shows the right option and the explanation; the right option -> the explanation."""
    from helpers.view import checks

    page, out, _ = offline_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _open_offline(page, out, notebook.stem)
    asked = _asked_checks(notebook)
    boxes = page.locator(".site-check")
    assert boxes.count() == len(asked)
    for n, (theme, check_id) in enumerate(asked):
        q, box = checks.stored_question(theme, check_id), boxes.nth(n)
        box.scroll_into_view_if_needed()
        radios, check, show = box.locator("input[type=radio]"), box.locator(".site-check-button"), box.locator(".site-check-show")
        assert radios.count() == len(q.options) and box.locator("legend").inner_text().endswith(q.question)
        check.click()
        assert _feedback(box) == f"{checks.MARKS['none']} {checks.grade(q, None).text}"
        wrongs = [i for i in range(len(q.options)) if i != q.answer]
        radios.nth(wrongs[0]).check()
        check.click()
        first = checks.grade(q, wrongs[0])
        assert _feedback(box) == f"{checks.MARKS['wrong']} {first.text}", f"{check_id}: wrong-option feedback"
        assert q.explanation not in box.inner_text(), f"{check_id}: a wrong answer showed the explanation"
        assert not show.is_visible(), f"{check_id}: 'Show answer' offered after one wrong answer"
        if len(wrongs) >= checks.REVEAL_AFTER:
            radios.nth(wrongs[1]).check()
            check.click()
            second = checks.grade(q, wrongs[1], first.progress)
            assert _feedback(box) == f"{checks.MARKS['wrong']} {second.text}" and second.can_reveal
            assert show.is_visible(), f"{check_id}: 'Show answer' not offered after two different wrong answers"
            show.click()
            assert _feedback(box) == f"{checks.MARKS['revealed']} {checks.reveal(q, second.progress).text}"
            assert not show.is_visible()
        radios.nth(q.answer).check()
        check.click()
        assert _feedback(box) == f"{checks.MARKS['right']} Correct. {q.explanation}", f"{check_id}: right answer"
        colour = box.locator(".site-check-feedback").evaluate("e => getComputedStyle(e).color")
        assert colour == "rgb(0, 109, 44)", f"{check_id}: the right answer is not marked in its colour ({colour})"
    assert not errors, f"{notebook.name}: script errors: {errors}"


@pytest.mark.browser
def test_a_self_check_works_from_the_keyboard(offline_page):
    """Tab into the radio group, arrow keys to choose, Tab to 'Check answer', Enter: the wrong option's feedback
    and no explanation; arrow to the right option, Shift+Tab/Tab back, Space: the explanation; read out from a
    polite live region. Text is at least 12 px; axe finds no serious or critical violation with feedback shown."""
    from helpers.view import checks

    page, out, _ = offline_page
    notebook = next(p for p in NOTEBOOKS if p.stem.startswith("03_"))
    theme, check_id = _asked_checks(notebook)[0]
    q = checks.stored_question(theme, check_id)
    _open_offline(page, out, notebook.stem)
    box = page.locator(".site-check").first
    box.scroll_into_view_if_needed()
    box.locator("fieldset").evaluate("f => { const b = document.createElement('button'); b.id = 'before-check';"
                                     " f.parentElement.before(b); b.focus(); }")
    page.keyboard.press("Tab")  # into the group: the first option takes focus
    assert page.evaluate("() => document.activeElement.name") == box.locator("input").first.get_attribute("name")
    steps = (q.answer + 1) % len(q.options) or len(q.options)  # arrow steps from option 0 to a wrong option
    wrong = steps % len(q.options)
    for _ in range(steps):
        page.keyboard.press("ArrowDown")
    assert box.locator("input:checked").get_attribute("value") == str(wrong)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "site-check-button"
    page.keyboard.press("Enter")
    assert _feedback(box) == f"{checks.MARKS['wrong']} {checks.grade(q, wrong).text}"
    assert q.explanation not in box.inner_text()
    page.keyboard.press("Shift+Tab")
    for _ in range((q.answer - wrong) % len(q.options)):
        page.keyboard.press("ArrowDown")
    assert box.locator("input:checked").get_attribute("value") == str(q.answer)
    page.keyboard.press("Tab")
    page.keyboard.press(" ")
    assert _feedback(box) == f"{checks.MARKS['right']} Correct. {q.explanation}"
    region = box.locator(".site-check-feedback")
    assert region.get_attribute("aria-live") == "polite" and region.get_attribute("role") == "status"
    page.evaluate("() => document.getElementById('before-check').remove()")
    sizes = box.evaluate("b => Array.from(b.querySelectorAll('legend, label, button, p'))"
                         ".map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert min(sizes) >= 12, f"self-check text under 12 px: {sizes}"
    (ARTIFACTS.parent / "site").mkdir(parents=True, exist_ok=True)
    box.screenshot(path=str(ARTIFACTS.parent / "site" / "self_check_keyboard.png"))
    found = axe_violations(page, include=[".site-check"])
    assert not found, f"self-check with feedback: {axe_report(found)}"


@pytest.mark.browser
def test_index_text_is_readable(offline_page):
    """No text on the index is smaller than 12 px."""
    page, out, _ = offline_page
    _open_offline(page, out, "index")
    small = page.evaluate("""() => Array.from(document.querySelectorAll('body *')).filter(e =>
        Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()) &&
        parseFloat(getComputedStyle(e).fontSize) < 12).map(e => e.tagName + ': ' + e.textContent.slice(0, 40))""")
    assert not small, f"index text under 12 px: {small}"
