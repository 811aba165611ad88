"""Build an executed, offline static HTML site of the notebooks: ``python -m helpers.build.site --out _build/html``.

One page per notebook (found by glob, notebooks/[0-9][0-9]_*.ipynb) and an index. Each notebook is run top
to bottom with nbclient, then:

- every plotly figure becomes a ``<div>`` drawn by one local copy of plotly.js (``_static/plotly.min.js``,
  shipped once, never from a CDN);
- every widget output (which needs a kernel) is replaced: a demo with a figure by its kernel-free fallback
  from :mod:`helpers.build.fallbacks` (plotly's own sliders or buttons over precomputed states, with the "What the
  figure shows" sentence kept in step), anything else by a static snapshot of its first state (tables,
  questions and options; controls shown disabled);
- every self-check (``checks.self_check(theme, id)``) becomes a plain-JavaScript question built from the same
  stored question and the same texts as the notebook's widget (:func:`self_check_html`): a radio group with a
  legend, "Check answer", feedback for the chosen option in a live region, the explanation only with the right
  answer or with "Show answer", offered after two different wrong answers;
- the index says what each notebook teaches (the registry's summary and minutes, its learning objectives from
  data/objectives) and explains the Part A / Part B idea;
- maths is typeset by a local copy of MathJax 2.7 (``_static/mathjax``, from the ``jupyter-server-mathjax``
  package: the subset the pages need, see :data:`MATHJAX_PARTS`);
- no page loads anything from the network (external scripts and stylesheets are removed).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import html
import io
import json
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat

from helpers.build.nbclean import execute

ROOT = Path(__file__).resolve().parents[2]  # the repository (the site is built from a checkout)
NOTEBOOK_DIR = ROOT / "notebooks"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
STATIC = "_static"
# MathJax 2.7 as shipped by jupyter-server-mathjax, typesetting TeX with its HTML-CSS output and STIX fonts.
# Only what that configuration can load is copied (about 2 MB of the package's 9 MB; the optional a11y
# explorer, 3.7 MB, is left out: the assistive MathML for screen readers is kept); the site test fails if a
# page asks for a MathJax file that is missing or leaves any maths untypeset.
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"
MATHJAX_FONTS = """<script>window.MathJax = {"HTML-CSS": {availableFonts: ["STIX-Web"], preferredFont: "STIX-Web",
  webFont: "STIX-Web", imageFont: null}};</script>
"""
MATHJAX_PARTS = ("MathJax.js", "LICENSE", "config/TeX-AMS-MML_HTMLorMML-full.js", "config/Safe.js",
                 "extensions", "jax/input/TeX", "jax/output/HTML-CSS", "jax/element", "fonts/HTML-CSS/STIX-Web/woff")

PAGE_HEAD = """<script src="{static}/plotly.min.js"></script>
<style>
  .site-nav {{ font: 15px system-ui, sans-serif; padding: 0.6em 1em; background: #f3f3f3; border-bottom: 1px solid #ccc; }}
  .site-nav a {{ margin-right: 1.2em; }}
  .site-fallback-note {{ font-size: 90%; color: #444; border-left: 4px solid #0072B2; padding: 0.2em 0.8em; }}
  .site-snapshot {{ border: 1px dashed #999; padding: 0.4em 0.8em; }}
  .site-snapshot .site-disabled {{ color: #595959; font-size: 90%; }}
  /* WCAG 2 AA, checked by axe-core in tests/test_site.py. Links are underlined, not told apart by colour
     alone; nbconvert's lab template colours below 4.5:1 on their background (#fff, code #f5f5f5) are
     darkened: the grey prompts (#b0b0b0, 2.2:1) and the syntax colours of comments (#408080, 4.2:1),
     numbers (#080, 4.3:1) and the other light CodeMirror colours. */
  .jp-RenderedHTMLCommon a:link, .jp-RenderedHTMLCommon a:visited, .site-nav a {{ text-decoration: underline; }}
  /* Self-checks that work without a kernel (site.self_check_html): native radio buttons in a fieldset. */
  /* The box is drawn by the div, not the fieldset: a legend that wraps onto two lines would cut its border. */
  .site-check {{ font: 15px/1.5 system-ui, sans-serif; margin: 0.4em 0; border: 1px solid #999; border-radius: 4px;
    padding: 0.5em 0.9em 0.4em; }}
  .site-check fieldset {{ border: 0; padding: 0; margin: 0 0 0.5em; min-width: 0; }}
  .site-check legend {{ padding: 0; margin-bottom: 0.3em; }}
  .site-check label {{ display: block; padding: 0.15em 0 0.15em 1.8em; text-indent: -1.8em; cursor: pointer; }}
  .site-check input[type=radio] {{ width: 1.1em; height: 1.1em; margin: 0 0.7em 0 0; vertical-align: -0.15em; }}
  .site-check button {{ font: inherit; padding: 0.25em 0.9em; margin-right: 0.6em; border-radius: 3px; cursor: pointer;
    border: 1px solid #0b5394; background: #0b5394; color: #fff; }}
  .site-check button.site-check-show {{ background: #fff; color: #0b5394; }}
  .site-check button:focus-visible, .site-check input:focus-visible {{ outline: 3px solid #e69f00; outline-offset: 2px; }}
  .site-check-feedback {{ min-height: 1.5em; margin: 0.5em 0 0; }}
  :root {{
    --jp-cell-prompt-not-active-font-color: #616161; --jp-cell-prompt-not-active-opacity: 1;
    --jp-cell-inprompt-font-color: #2b6cb0; --jp-cell-outprompt-font-color: #a8452a;
    --jp-mirror-editor-comment-color: #356b6b; --jp-mirror-editor-number-color: #006b00;
    --jp-mirror-editor-variable-3-color: #006b44; --jp-mirror-editor-operator-color: #8a1fd1;
    --jp-mirror-editor-meta-color: #8a1fd1; --jp-mirror-editor-atom-color: #4848c8;
    --jp-mirror-editor-bracket-color: #5f5f3f; --jp-mirror-editor-quote-color: #006b00;
    --jp-mirror-editor-error-color: #c00000; --jp-mirror-editor-hr-color: #616161;
  }}
</style>
<script>
// Self-checks without a kernel: the grading rule of helpers.view.checks (a wrong answer shows only its own
// feedback; the explanation comes with the right answer, or with "Show answer", offered after REVEAL_AFTER
// different wrong answers). Every text shown was made by that module's grade() and reveal() at build time.
document.addEventListener('DOMContentLoaded', () => {{
  for (const box of document.querySelectorAll('.site-check')) {{
    const q = JSON.parse(box.querySelector('script[type="application/json"]').textContent);
    const out = box.querySelector('.site-check-feedback'), show = box.querySelector('.site-check-show');
    const wrong = new Set();
    let solved = false, revealed = false;
    const canReveal = () => !solved && !revealed && wrong.size >= q.revealAfter;
    function render(status, text) {{
      out.style.color = q.colours[status];
      out.textContent = q.marks[status] + ' ' + text;
      out.dataset.status = status;
      show.hidden = !canReveal();
    }}
    box.querySelector('.site-check-button').addEventListener('click', () => {{
      const chosen = box.querySelector('input[type=radio]:checked');
      if (!chosen) return render('none', q.none);
      const i = Number(chosen.value);
      if (i === q.answer) {{ solved = true; return render('right', q.right); }}
      wrong.add(i);
      render('wrong', canReveal() ? q.wrongOffer[i] : q.wrong[i]);
    }});
    show.addEventListener('click', () => {{
      if (!canReveal()) return;
      revealed = true;
      render('revealed', q.revealed);
      box.querySelector('.site-check-button').focus();
    }});
  }}
}});
</script>
"""

# Keeps the "What the figure shows" sentence in step with a fallback's slider or buttons.
SYNC_SCRIPT = """<script>
(function () {
  const gd = document.getElementById(%(div)s);
  const texts = %(texts)s;
  const out = document.getElementById(%(desc)s);
  function show(key) { if (key in texts) out.textContent = texts[key]; }
  function attach() {
    if (!gd || !gd.on) { return setTimeout(attach, 50); }
    gd.on('plotly_sliderchange', e => show('slider' + e.slider._index + ':' + e.step._index));
    gd.on('plotly_buttonclicked', e => show('menu' + e.menu._index + ':' + e.active));
  }
  attach();
})();
</script>"""


# Keywords of a demo factory that only make sense with a kernel; the kernel-free fallback is called without
# them (``predict``: the predict-then-reveal question of helpers.view.predict; the site shows the plain demo).
LIVE_ONLY_KEYWORDS = ("predict",)


# --- Running a notebook ---------------------------------------------------------------------------

class InProcess:
    """Re-evaluates a notebook's code cells in this process, to get the widget objects themselves."""

    def __init__(self):
        self.namespace: dict = {"__name__": "__site__"}

    def run(self, source: str):
        """Execute a cell; return the value of its last expression (or None)."""
        tree = ast.parse(source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(tree, "<cell>", "exec"), self.namespace)
            if last is not None:
                return eval(compile(ast.Expression(last.value), "<cell>", "eval"), self.namespace)
        return None

    def call_fallback(self, source: str, table: dict):
        """If the cell's last expression calls a factory named in ``table``, call its fallback instead."""
        tree = ast.parse(source)
        if not tree.body or not isinstance(tree.body[-1], ast.Expr) or not isinstance(tree.body[-1].value, ast.Call):
            return None
        call = tree.body[-1].value
        name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", None)
        if name not in table:
            return None
        args = [eval(compile(ast.Expression(a), "<arg>", "eval"), self.namespace) for a in call.args]
        kwargs = {k.arg: eval(compile(ast.Expression(k.value), "<arg>", "eval"), self.namespace)
                  for k in call.keywords if k.arg not in LIVE_ONLY_KEYWORDS}
        return table[name](*args, **kwargs)


# --- Turning outputs into offline HTML ------------------------------------------------------------

class Ids:
    def __init__(self, stem: str):
        self.stem, self.count = re.sub(r"\W", "_", stem), 0

    def __call__(self, kind: str) -> str:
        self.count += 1
        return f"{kind}-{self.stem}-{self.count}"


def figure_html(fig, div_id: str) -> str:
    """A plotly figure as a div drawn by the page's local plotly.js (no CDN, no bundled copy)."""
    import plotly.io as pio

    return pio.to_html(fig, include_plotlyjs=False, full_html=False, div_id=div_id, validate=False,
                       config={"displaylogo": False, "responsive": True})


def fallback_html(fallback, ids: Ids) -> str:
    from helpers.view.display import sources_html

    div, desc = ids("fallback"), ids("description")
    first = fallback.descriptions.get(fallback.initial, "")
    return (f'<div class="site-fallback">{figure_html(fallback.figure, div)}'
            f'<p><b>What the figure shows:</b> <span id="{desc}" aria-live="polite">{html.escape(first)}</span></p>'
            + sources_html(fallback.figure) +
            f'<p class="site-fallback-note">{html.escape(fallback.note)} Run the notebook for the full set '
            "of controls.</p>"
            + SYNC_SCRIPT % {"div": json.dumps(div), "desc": json.dumps(desc),
                             "texts": json.dumps(fallback.descriptions)} + "</div>")


def snapshot_html(widget, ids: Ids) -> str:
    """A static picture of a widget tree's current state: text, tables, figures; controls disabled."""
    import ipywidgets as w
    import plotly.graph_objects as go

    from helpers.view.display import LiveDescription

    if isinstance(widget, go.FigureWidget):
        return figure_html(go.Figure(widget), ids("figure"))
    if isinstance(widget, LiveDescription):  # a demo's sentence: the first state's, in the same live region
        return f'<div role="status" aria-live="polite">{widget.value}</div>'
    if isinstance(widget, (w.HTML, w.HTMLMath)):
        return widget.value
    if isinstance(widget, w.Label):
        return f"<p>{html.escape(str(widget.value))}</p>"
    if isinstance(widget, (w.RadioButtons, w.Dropdown, w.Select, w.ToggleButtons)):
        items = "".join(f"<li>{html.escape(str(label))}</li>" for label in widget._options_labels)
        title = f"<b>{html.escape(widget.description)}</b> " if widget.description else ""
        return f'<div class="site-disabled">{title}<ul>{items}</ul></div>'
    if isinstance(widget, w.Button):
        return (f'<button disabled title="needs a running notebook">{html.escape(widget.description)}</button> '
                '<span class="site-disabled">(needs a running notebook)</span>')
    if isinstance(widget, (w.ToggleButton, w.Checkbox)):
        state = "on" if widget.value else "off"
        return f'<span class="site-disabled">[{html.escape(widget.description)}: {state}]</span> '
    if hasattr(widget, "value") and hasattr(widget, "description"):
        return f'<p class="site-disabled">{html.escape(widget.description)}: {html.escape(str(widget.value))}</p>'
    if isinstance(widget, w.Box):
        return "".join(snapshot_html(child, ids) for child in widget.children)
    return ""


def check_texts(question) -> dict:
    """Every text a kernel-free self-check can show, made by the notebook widget's own grading functions
    (:func:`helpers.view.checks.grade` and :func:`~helpers.view.checks.reveal`), with the rule's settings.

    ``wrong[i]`` is option ``i``'s line on a wrong try; ``wrongOffer[i]`` the same line once "Show answer" is on
    offer; ``revealed`` is empty when the question has too few wrong options for the answer ever to be shown.
    """
    from helpers.view import checks

    wrongs = [i for i in range(len(question.options)) if i != question.answer]

    def offered(i: int) -> str:  # option i as a later wrong try, after enough other wrong ones
        others = frozenset([j for j in wrongs if j != i][:checks.REVEAL_AFTER - 1])
        return checks.grade(question, i, checks.Progress(others)).text

    before = frozenset(wrongs[:checks.REVEAL_AFTER])
    return {"answer": question.answer, "revealAfter": checks.REVEAL_AFTER, "marks": checks.MARKS,
            "colours": checks.COLOURS, "none": checks.grade(question, None).text,
            "right": checks.grade(question, question.answer).text,
            "wrong": [checks.grade(question, i).text if i != question.answer else "" for i in range(len(question.options))],
            "wrongOffer": [offered(i) if i != question.answer else "" for i in range(len(question.options))],
            "revealed": (checks.reveal(question, checks.Progress(before)).text
                         if len(before) >= checks.REVEAL_AFTER else "")}


def self_check_html(question, ids: Ids) -> str:
    """A stored self-check that works without a kernel: a radio group whose legend is the question, "Check
    answer", "Show answer" (hidden until offered) and a feedback line in a live region; the page's script
    (:data:`PAGE_HEAD`) grades it with the texts of :func:`check_texts`."""
    box = ids("check")
    options = "".join(
        f'<label><input type="radio" name="{box}" value="{i}"> {html.escape(text)}</label>'
        for i, text in enumerate(question.options))
    data = json.dumps(check_texts(question), ensure_ascii=False).replace("</", "<\\/")
    return (f'<div class="site-check" id="{box}" data-check="{html.escape(question.id)}">'
            f'<fieldset><legend><b>Self-check.</b> {html.escape(question.question)}</legend>{options}</fieldset>'
            '<button type="button" class="site-check-button">Check answer</button>'
            '<button type="button" class="site-check-show" hidden>Show answer</button>'
            '<p class="site-check-feedback" role="status" aria-live="polite"></p>'
            f'<script type="application/json">{data}</script></div>')


def _widget_replacement(source: str, runner: InProcess, table: dict, ids: Ids, report: list) -> str:
    from helpers.build.fallbacks import Fallback
    from helpers.view.checks import Question

    try:
        fallback = runner.call_fallback(source, table)
    except Exception as exc:  # noqa: BLE001 - a fallback that cannot be built falls back to a snapshot
        report.append(f"fallback failed ({type(exc).__name__}: {exc}); static snapshot used")
        fallback = None
    value = runner.run(source)
    if isinstance(getattr(value, "question", None), Question):  # checks.self_check(theme, id)
        report.append("check")
        return self_check_html(value.question, ids)
    if isinstance(fallback, Fallback):
        report.append("fallback")
        return fallback_html(fallback, ids)
    report.append("snapshot")
    return f'<div class="site-snapshot">{snapshot_html(value, ids)}</div>' if value is not None else ""


def render_notebook(path: Path, out_dir: Path, pages: list[tuple[str, str]]) -> dict:
    """Execute one notebook and write its offline HTML page; return a short report."""
    from nbconvert import HTMLExporter

    from helpers.build.fallback_table import registry

    started = time.perf_counter()
    executed = execute(path)
    table = registry().get(path.stem, {})
    runner, ids, report = InProcess(), Ids(path.stem), []
    for cell in executed.cells:
        if cell.cell_type != "code":
            continue
        has_widget = any(WIDGET_MIME in o.get("data", {}) for o in cell.outputs)
        if has_widget:
            replacement = _widget_replacement(cell.source, runner, table, ids, report)
            cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": replacement})]
            continue
        runner.run(cell.source)
        new_outputs = []
        for out in cell.outputs:
            if PLOTLY_MIME in out.get("data", {}):
                out = nbformat.v4.new_output(
                    "display_data", data={"text/html": figure_html(out["data"][PLOTLY_MIME], ids("figure"))})
            new_outputs.append(out)
        cell.outputs = new_outputs
    executed.metadata.pop("widgets", None)
    exporter = HTMLExporter(template_name="lab", require_js_url="",
                            mathjax_url=f"{STATIC}/mathjax/MathJax.js?config={MATHJAX_CONFIG}")
    body, _ = exporter.from_notebook_node(executed)
    body = _offline(body, path, pages)
    (out_dir / f"{path.stem}.html").write_text(body)
    return {"notebook": path.name, "seconds": round(time.perf_counter() - started, 1),
            "fallbacks": report.count("fallback"), "snapshots": report.count("snapshot"),
            "checks": report.count("check"),
            "problems": [r for r in report if r not in ("fallback", "snapshot", "check")]}


def _offline(body: str, path: Path, pages: list[tuple[str, str]]) -> str:
    """Drop every external script and stylesheet, add the local plotly.js, the site navigation, and
    point links to other notebooks at their pages."""
    body = re.sub(r'<script[^>]*\bsrc="(?:https?:)?//[^"]*"[^>]*>\s*</script>', "", body)
    body = re.sub(r'<script[^>]*\bsrc=""[^>]*>\s*</script>', "", body)
    # nbconvert's Mermaid loader imports from a CDN (only when a diagram exists; none do): drop it.
    body = re.sub(r'<script type="module">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*</script>', "", body,
                  flags=re.DOTALL)
    body = re.sub(r'<link[^>]*\bhref="(?:https?:)?//[^"]*"[^>]*>', "", body)
    body = body.replace("</head>", PAGE_HEAD.format(static=STATIC) + "</head>", 1)
    # Before MathJax.js loads: use the STIX web fonts the local copy has (its default, TeX fonts, is absent).
    body = body.replace(f'<script src="{STATIC}/mathjax/', MATHJAX_FONTS + f'<script src="{STATIC}/mathjax/', 1)
    nav = " ".join(f'<a href="{stem}.html">{html.escape(title)}</a>' for stem, title in pages)
    body = re.sub(r"(<body[^>]*>)", r'\1<nav class="site-nav"><a href="index.html">Index</a> ' + nav.replace("\\", "\\\\")
                  + "</nav>", body, count=1)
    body = re.sub(r'href="(\d\d_[\w-]+)\.ipynb', r'href="\1.html', body)
    return body


def _title(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^# (.+)$", cell.source, re.MULTILINE)
            if match:
                return match.group(1).strip()
    return path.stem


PART_AB = """Every notebook asks two separate questions about a treatment. <b>Part A</b> is what the treatment
does in the body: which molecules a drug binds and how strongly, how much of its target is occupied at a
given dose, how its level in the blood rises and falls. These are things that binding studies, enzyme
assays and brain imaging can measure, and they are often well established. <b>Part B</b> is how that action
turns into the therapeutic effect: less depression, fewer manic episodes, clearer thinking. Here the evidence is usually
thinner, and several explanations may compete, each tested by experiments that try to break one link of a
proposed causal chain. A treatment can have a clear Part A and an open Part B, so the notebooks keep the
two apart, under their own headings, and say how strong the evidence is for each link."""


def index_entry(stem: str, title: str) -> str:
    """One notebook on the index: link, time, what it covers (the registry's summary) and its learning
    objectives (data/objectives); a notebook not (yet) in the registry gets its link only."""
    from helpers import registry
    from helpers.core import self_check_bank

    if stem == registry.START_NOTEBOOK.removesuffix(".ipynb"):
        key, minutes, summary = "start", registry.START_MINUTES, registry.START_SUMMARY
    else:
        try:
            row = registry.theme(stem)
        except KeyError:
            return f'<li><h3><a href="{stem}.html">{html.escape(title)}</a></h3></li>'
        key, minutes, summary = row.key, row.minutes, row.summary
    try:
        objectives = list(self_check_bank.objectives(key)["text"])
    except Exception:  # noqa: BLE001 - a theme being added may not have objectives yet; the test says so
        objectives = []
    listed = "".join(f"<li>{html.escape(text)}</li>" for text in objectives)
    return (f'<li class="site-entry" data-notebook="{stem}"><h3><a href="{stem}.html">{html.escape(title)}</a></h3>'
            f'<p class="site-minutes"><b>Time:</b> about {minutes} minutes</p>'
            f"<p><b>What it covers:</b> {html.escape(summary)}.</p>"
            + (f'<p class="site-objectives-intro"><b>After it you can:</b></p><ol class="site-objectives">{listed}</ol>'
               if listed else "") + "</li>")


def write_index(out_dir: Path, entries: list[tuple[str, str]], reports: list[dict]) -> None:
    from helpers import registry

    rows = "".join(index_entry(stem, title) for stem, title in entries)
    stems = {stem for stem, _ in entries}
    total = sum(t.minutes for t in registry.THEMES if t.stem in stems)
    total += registry.START_MINUTES if registry.START_NOTEBOOK.removesuffix(".ipynb") in stems else 0
    hours = f"about {total // 60} hours" + (f" {total % 60} minutes" if total % 60 else "")
    (out_dir / "index.html").write_text(f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>How psychiatric medications work</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 52em; margin: 2em auto; padding: 0 1em; color: #1a1a1a; }}
  a {{ text-decoration: underline; color: #0b5394; }}
  .site-index {{ padding-left: 0; list-style: none; }}
  .site-entry {{ border-top: 1px solid #ccc; padding: 0.3em 0 0.6em; }}
  .site-entry h3 {{ margin: 0.4em 0 0.2em; font-size: 1.2em; }}
  .site-entry p {{ margin: 0.25em 0; }}
  .site-objectives {{ margin: 0.2em 0 0; }}
  .site-partab {{ border-left: 4px solid #0072B2; padding: 0.1em 1em; background: #f4f8fb; }}
</style>
</head><body>
<main>
<h1>How psychiatric medications work: interactive teaching notebooks</h1>
<blockquote><b>Educational material, not medical advice.</b> The notebooks teach pharmacology with simplified
models. They do not tell anyone how to take, start, change or stop a medicine.</blockquote>
<p>This is a static, executed copy of the notebooks that works without Python and without a network. Each
demo's figure can still be explored with its own slider or buttons over precomputed states, and every
self-check works here too: choose an option, press <i>Check answer</i> and read the feedback. The evidence
filters and the full set of controls need a running notebook (JupyterLab, Voila or Binder: see the project
README).</p>
<h2>The one idea: Part A and Part B</h2>
<div class="site-partab"><p>{PART_AB}</p></div>
<h2>The notebooks</h2>
<p>In reading order; {len(entries)} notebooks, {hours} in all. Start with the first: it explains how to use the rest.</p>
<ol class="site-index">{rows}</ol>
<p><small>Built {time.strftime('%Y-%m-%d')} from {len(reports)} notebooks.</small></p>
</main>
</body></html>
""")


def copy_mathjax(target: Path) -> None:
    """Copy the parts of jupyter-server-mathjax's MathJax 2.7 that the pages use into ``target``."""
    import jupyter_server_mathjax

    source = Path(jupyter_server_mathjax.__file__).parent / "static"
    for part in MATHJAX_PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part, ignore=shutil.ignore_patterns("a11y"))
        else:
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source / part, target / part)


def build(out_dir: Path, notebooks: list[Path] | None = None) -> list[dict]:
    """Build the site in ``out_dir`` (replaced); return one report per notebook."""
    import plotly

    notebooks = notebooks or sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    if out_dir.exists():
        shutil.rmtree(out_dir)
    (out_dir / STATIC).mkdir(parents=True)
    shutil.copy(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", out_dir / STATIC / "plotly.min.js")
    copy_mathjax(out_dir / STATIC / "mathjax")
    entries = [(p.stem, _title(p)) for p in notebooks]
    reports = []
    for path in notebooks:
        report = render_notebook(path, out_dir, entries)
        reports.append(report)
        print(f"{path.name}: {report['seconds']} s, {report['fallbacks']} fallback(s), "
              f"{report['snapshots']} snapshot(s), {report['checks']} self-check(s)" + (f"; {report['problems']}" if report["problems"] else ""))
    write_index(out_dir, entries, reports)
    return reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "_build" / "html"), help="output folder (replaced)")
    parser.add_argument("notebooks", nargs="*", help="notebooks to include (default: all)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    started = time.perf_counter()
    build(out, [Path(p).resolve() for p in args.notebooks] or None)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"site: {out}/index.html ({size / 1e6:.1f} MB, {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
