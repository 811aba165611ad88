"""Printable classroom handouts: ``python -m helpers.build.handouts --out _build/handouts`` (``make handouts``).

Builds, offline, into the output folder:

- ``NN_<theme>_worksheet.pdf`` for every theme in :mod:`helpers.registry`: the notebook's title, its learning
  objectives, and in the notebook's order each demo as a static picture of its default state (with the
  predictions to make and room to write), each "Think about it" prompt with room to write, and each
  self-check question with its options but no answer;
- ``teacher_answer_key.pdf``: for every notebook, each prediction and self-check with its right answer and the
  feedback for every option, the guide's model answer for every prompt, each objective's core concepts, and
  the coverage map (:mod:`helpers.build.coverage`).

The pictures are the ones the static site shows: the notebook's code cells are re-run in this process
(:class:`helpers.build.site.InProcess`) and each demo's widget becomes HTML with
:func:`helpers.build.site.snapshot_html`, its figures drawn by the local plotly.js of the plotly package.
Chromium (Debian's, through Playwright) turns each page into a PDF; every request that is not a local file is
refused. Every page is 209.5 x 278.5 mm (:data:`PAGE`): just inside A4's width and US Letter's height, so it prints on both
papers at 100 % with nothing cut and nothing scaled.

Everything the handouts say comes from data/ (objectives, self-checks, predictions, core concepts), the
notebooks (titles, demos, prompts) and notebooks/TEACHERS_GUIDE.md (model answers). Data that breaks the
contract (a self-check without an answer, say) stops the build before the browser starts, with file and line.
"""

from __future__ import annotations

import argparse
import ast
import html
import json
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
GUIDE = NOTEBOOK_DIR / "TEACHERS_GUIDE.md"
KEY_NAME = "teacher_answer_key.pdf"
# One page size for both papers: A4 is 210 x 297 mm, US Letter 215.9 x 279.4 mm, and their overlap is 210 x 279.4
# mm. The page is a hair inside it (Chromium rounds a size up to whole pixels), so it prints on either at 100 %.
PAGE = {"width": "209.5mm", "height": "278.5mm"}  # Chromium rounds up a little: 595 x 790 pt, inside both
MARGIN = {"top": "14mm", "bottom": "16mm", "left": "15mm", "right": "15mm"}
FOOTER = "Classroom handout"  # every page's footer starts with this (tests strip it from the text)
LETTERS = "ABCDEFGH"
# A demo without a figure (a filterable table) is printed only if it is short; the evidence explorer's full
# table would take eight pages of a worksheet.
MAX_TABLE_HTML = 5000
PROMPT = re.compile(r"\*\*Think about it\.\*\*(.*?)(?=\n\s*\n|\Z)", re.DOTALL)


# --- What a handout holds -------------------------------------------------------------------------------

@dataclass
class Block:
    """One item of a lesson, in the notebook's order.

    ``kind`` is ``section`` (``text`` = heading), ``demo`` (``text`` = the demo's name, ``html`` = its default
    state, ``predictions`` = its predict-then-reveal questions), ``prompt`` (``text`` = the prompt in Markdown,
    ``answer`` = the guide's model answer in Markdown) or ``check`` (``check`` = the self-check as a dict).
    """

    kind: str
    text: str = ""
    html: str = ""
    answer: str = ""
    check: dict | None = None
    predictions: list = field(default_factory=list)


@dataclass
class Lesson:
    """Everything the worksheet and the key need about one themed notebook."""

    theme: str
    number: str
    stem: str
    title: str
    minutes: int
    objectives: list[tuple[int, str]]
    blocks: list[Block]


# --- Reading the notebook, the data and the guide ---------------------------------------------------------

def notebook_cells(path: Path) -> list[tuple[str, str]]:
    """(cell type, source) for every cell of a notebook."""
    cells = json.loads(path.read_text())["cells"]
    return [(c["cell_type"], "".join(c["source"])) for c in cells]


def title_of(cells: list[tuple[str, str]], fallback: str) -> str:
    """The notebook's H1."""
    for kind, source in cells:
        match = re.search(r"^# (.+)$", source, re.MULTILINE) if kind == "markdown" else None
        if match:
            return match.group(1).strip()
    return fallback


def prompts_in(markdown: str) -> list[str]:
    """Each question of each "Think about it" block: the paragraph after the marker, or each of its bullets."""
    found = []
    for block in PROMPT.findall(markdown):
        text = block.strip()
        parts = re.split(r"\n- ", "\n" + text)[1:] if text.startswith("- ") else [text]
        found += [p.strip() for p in parts if p.strip()]
    return found


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def model_answers(guide_text: str) -> dict[str, list[tuple[str, str]]]:
    """Notebook number -> (words of the prompt, model answer in Markdown), from "### Model answers: NN"."""
    found = {}
    for number, body in re.findall(r"(?ms)^### Model answers: (\d\d)\n(.*?)(?=^#{2,3} |^---|\Z)", guide_text):
        parts = re.split(r'<!--\s*answer:\s*"(.+?)"\s*-->', body)
        found[number] = [(_flat(words), answer.strip()) for words, answer in zip(parts[1::2], parts[2::2])]
    return found


def answer_for(prompt: str, answers: list[tuple[str, str]]) -> str:
    """The model answer whose marker words occur in the prompt ('' when the guide has none)."""
    flat = _flat(prompt)
    return next((answer for words, answer in answers if words in flat), "")


def call_of(source: str) -> tuple[str, list, dict] | None:
    """(function name, literal arguments, literal keywords) of a cell's last expression if it is a call."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    if not tree.body or not isinstance(tree.body[-1], ast.Expr) or not isinstance(tree.body[-1].value, ast.Call):
        return None
    call = tree.body[-1].value
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    literal = (lambda node: node.value if isinstance(node, ast.Constant) else None)
    return name, [literal(a) for a in call.args], {k.arg: literal(k.value) for k in call.keywords}


def without_live_keywords(source: str) -> str:
    """The cell with the kernel-only keywords (``predict=``) dropped from its last call, as the site does."""
    from helpers.build.site import LIVE_ONLY_KEYWORDS

    tree = ast.parse(source)
    call = tree.body[-1].value
    call.keywords = [k for k in call.keywords if k.arg not in LIVE_ONLY_KEYWORDS]
    return ast.unparse(tree)


# --- Building a lesson ----------------------------------------------------------------------------------

def check_data() -> None:
    """Load and check every table the handouts use (``$PSYCHMEDS_DATA`` or data/).

    Raises
    ------
    helpers.core.data.DataError
        A broken row (a self-check without an answer, say), naming its file, line and column.
    """
    from helpers.core import data, predictions, self_check_bank

    data.load_all()
    self_check_bank.load_self_checks()
    predictions.predictions()


def demo_html(source: str, runner, ids) -> str:
    """A demo cell's default state as the static site shows it (figures, sentence, settings), or ''.

    ``ids`` (a :class:`helpers.build.site.Ids` shared by the whole page) keeps every figure's element id unique.
    """
    from helpers.build.site import snapshot_html

    widget = runner.run(without_live_keywords(source))
    found = snapshot_html(widget, ids) if widget is not None else ""
    return found if "plotly-graph-div" in found or len(found) <= MAX_TABLE_HTML else ""


def lesson(theme) -> Lesson:
    """Walk a theme's notebook: sections, demos (re-run for their picture), prompts and self-checks.

    Parameters
    ----------
    theme : helpers.registry.Theme
        The registry row; its ``demos`` say which cells are demos.

    Returns
    -------
    Lesson
        The blocks in the notebook's order; self-checks of the theme that the notebook does not ask come last.
    """
    from helpers.build.site import Ids, InProcess
    from helpers.core import predictions, self_check_bank

    cells = notebook_cells(NOTEBOOK_DIR / theme.notebook)
    answers = model_answers(GUIDE.read_text()).get(theme.notebook[:2], [])
    bank = self_check_bank.load_self_checks()
    bank = {row["id"]: row for row in bank[bank["theme"] == theme.key].to_dict("records")}
    runner, ids, blocks, asked = InProcess(), Ids(f"handout-{theme.key}"), [], []
    for kind, source in cells:
        if kind == "markdown":
            blocks += _markdown_blocks(source, answers)
            continue
        call = call_of(source)
        if call and call[0] in theme.demos:
            wanted = [call[2]["predict"]] if call[2].get("predict") else []
            blocks.append(Block("demo", text=call[0], html=demo_html(source, runner, ids),
                                predictions=[predictions.prediction(i) for i in wanted]))
            continue
        runner.run(source)
        if call and call[0] == "self_check" and call[1][1] in bank:
            asked.append(call[1][1])
            blocks.append(Block("check", check=bank[call[1][1]]))
    rest = [Block("check", check=bank[i]) for i in bank if i not in asked]
    blocks += ([Block("section", text="More self-check questions")] + rest) if rest else []
    objectives = self_check_bank.objectives(theme.key)
    return Lesson(theme.key, theme.notebook[:2], theme.stem, title_of(cells, theme.title), theme.minutes,
                  list(zip(objectives["number"], objectives["text"])), blocks)


def _markdown_blocks(source: str, answers) -> list[Block]:
    """Section headings and "Think about it" prompts of one markdown cell, in the order they appear."""
    found = [(m.start(), [Block("section", text=m.group(1).strip())]) for m in re.finditer(r"(?m)^#{2,3} (.+)$", source)]
    found += [(m.start(), [Block("prompt", text=p, answer=answer_for(p, answers)) for p in prompts_in(m.group(0))])
              for m in PROMPT.finditer(source)]
    return [block for _, group in sorted(found, key=lambda item: item[0]) for block in group]


def lessons() -> list[Lesson]:
    """One lesson per registered theme, in reading order."""
    from helpers.registry import THEMES

    return [lesson(t) for t in sorted(THEMES, key=lambda t: t.notebook)]


# --- HTML ----------------------------------------------------------------------------------------------

STYLE = """<style>
  @page { size: 209.5mm 278.5mm; }
  body { font: 10.5pt/1.4 "DejaVu Sans", Arial, sans-serif; color: #111; margin: 0; }
  h1 { font-size: 18pt; margin: 0 0 2mm; } h2 { font-size: 13.5pt; margin: 6mm 0 2mm; break-after: avoid; }
  h3 { font-size: 11.5pt; margin: 4mm 0 1.5mm; break-after: avoid; }
  h1, h2, h3 { break-inside: avoid; }
  .meta { color: #333; margin: 0 0 3mm; } .name { margin: 3mm 0 4mm; }
  .box { break-inside: avoid; border: 1px solid #999; border-radius: 2mm; padding: 2mm 3mm; margin: 0 0 3mm; }
  .demo-picture { margin: 0 0 2mm; break-inside: avoid; }
  .demo-picture img { display: block; max-width: 100%; max-height: 140mm; width: auto; height: auto; margin: 1mm auto; }
  .demo-picture button, .demo-picture div.site-disabled:has(> ul), .demo-picture span.site-disabled { display: none; }
  .demo-picture .site-disabled { color: #333; font-size: 9pt; margin: 0.5mm 0; }
  .demo-picture table { border-collapse: collapse; font-size: 8.5pt; width: 100%; }
  .demo-picture td, .demo-picture th { border: 1px solid #bbb; padding: 0.5mm 1mm; vertical-align: top; }
  .label { font-weight: bold; color: #0b4f8a; }
  ol.options { list-style: none; padding-left: 2mm; margin: 1mm 0; }
  ol.options li { margin: 0.6mm 0; } ol.options li::before { content: "\\2610\\00a0"; }
  body.key { font-size: 9.5pt; }
  .key ol.options li::before { content: none; } .key ol.options li { margin: 1.2mm 0; }
  .right { font-weight: bold; } .feedback { color: #333; margin-left: 5mm; display: block; }
  .lines div { border-bottom: 1px solid #999; height: 8mm; }
  .answer { background: #f3f6f9; border-left: 3px solid #0b4f8a; padding: 1mm 3mm; }
  table.coverage { border-collapse: collapse; font-size: 8.5pt; width: 100%; break-inside: auto; }
  table.coverage th, table.coverage td { border: 1px solid #999; padding: 0.6mm 1.2mm; text-align: left; }
  table.coverage tr.group th { background: #e8eef4; } table.coverage td { text-align: center; white-space: nowrap; }
  .concepts { font-size: 9pt; color: #333; }
  .pagebreak { break-before: page; }
</style>"""

FIGURE_SCRIPT = """<script>
// Every plotly figure becomes a PNG image (so the PDF holds pictures a reader can count and print), then the
// page says it is ready.
// Rows of plain background at the bottom (room a figure keeps for controls) are cropped off first.
async function cropped(url) {
  const source = new Image(); source.src = url; await source.decode();
  const canvas = document.createElement('canvas');
  canvas.width = source.width; canvas.height = source.height;
  const ctx = canvas.getContext('2d'); ctx.drawImage(source, 0, 0);
  const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let bottom = canvas.height;
  const last = (canvas.height * canvas.width - 1) * 4;  // the background: the bottom-right pixel's colour
  const blank = y => { for (let i = y * canvas.width * 4; i < (y + 1) * canvas.width * 4; i += 4)
    for (let c = 0; c < 3; c++) if (Math.abs(pixels[i + c] - pixels[last + c]) > 6) return false; return true; };
  while (bottom > 1 && blank(bottom - 1)) bottom--;
  const out = document.createElement('canvas'); out.width = canvas.width; out.height = Math.min(canvas.height, bottom + 16);
  out.getContext('2d').drawImage(canvas, 0, 0);
  return out.toDataURL('image/png');
}
window.addEventListener('load', async () => {
  for (const div of Array.from(document.querySelectorAll('.plotly-graph-div'))) {
    try {
      const url = await cropped(await Plotly.toImage(div, {format: 'png', width: div.offsetWidth,
                                                           height: div.offsetHeight, scale: 2}));
      const img = document.createElement('img');
      img.src = url; img.alt = 'Figure in its default state';
      const holder = div.parentElement; div.replaceWith(img);
      if (holder && holder.style.height) holder.style.height = 'auto';  // plotly's wrapper keeps the figure's height
      await img.decode();
    } catch (e) { document.body.dataset.error = String(e); }
  }
  document.body.dataset.ready = '1';
});
</script>"""


def md(text: str) -> str:
    """Markdown (prompts, model answers) as HTML."""
    import mistune

    return mistune.html(text)


def page(title: str, body: str, kind: str = "worksheet") -> str:
    """A complete HTML page that loads only the local plotly.js beside it (``kind``: the body's class)."""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<script src="plotly.min.js"></script>{STYLE}</head><body class="{kind}">{body}{FIGURE_SCRIPT}'
            "</body></html>")


def lines(n: int) -> str:
    """Ruled lines to write on."""
    return '<div class="lines">' + "<div></div>" * n + "</div>"


def options_html(options, answer: int | None = None, feedback=None) -> str:
    """Lettered options; with ``answer``, the right one marked and each option's feedback under it."""
    items = []
    for i, option in enumerate(options):
        text = f"{LETTERS[i]}. {html.escape(option)}"
        if answer is not None:
            mark = ' <span class="right">&#10004; right answer</span>' if i == answer else ""
            text = (f'<span class="{"right" if i == answer else ""}">{text}</span>{mark}'
                    f'<span class="feedback">{html.escape(feedback[i])}</span>')
        items.append(f"<li>{text}</li>")
    return f'<ol class="options">{"".join(items)}</ol>'


def prediction_html(p, key: bool) -> str:
    """A predict-then-reveal question: on the worksheet with room to write, in the key with its answer."""
    head = (f'<p><span class="label">Predict first.</span> {html.escape(p.prompt)}</p>'
            f'<p><i>Then {html.escape(p.move_text)}.</i></p>')
    if key:
        return f'<div class="box">{head}{options_html(p.options, p.answer, p.feedback)}</div>'
    return (f'<div class="box">{head}{options_html(p.options)}<p>My prediction, and why:</p>{lines(2)}'
            f"<p>What happened when I made the move:</p>{lines(2)}</div>")


def check_html(check: dict, number: int, key: bool) -> str:
    """A self-check question: options only on the worksheet; right answer and all feedback in the key."""
    head = f'<p><span class="label">Self-check {number}.</span> {html.escape(check["question"])}</p>'
    body = options_html(check["options"], check["answer"], check["feedback"]) if key else options_html(check["options"])
    return f'<div class="box">{head}{body}</div>'


def prompt_html(block: Block, key: bool) -> str:
    """A "Think about it" prompt: with ruled lines on the worksheet, with the guide's model answer in the key."""
    head = f'<div class="box"><span class="label">Think about it.</span> {md(block.text)}'
    if key:
        answer = md(block.answer) if block.answer else "<p><i>No model answer in the teacher's guide yet.</i></p>"
        return f'{head}<div class="answer">{answer}</div></div>'
    return f"{head}{lines(4)}</div>"


def demo_block_html(block: Block, key: bool) -> str:
    """A demo: its default-state picture and predictions on the worksheet; only its predictions in the key."""
    name = block.text.replace("_", " ")
    predictions = "".join(prediction_html(p, key) for p in block.predictions)
    if key:
        return f"<h3>Demo: {html.escape(name)}</h3>{predictions}" if predictions else ""
    picture = block.html or "<p><i>A long table to filter in the running notebook; not printed here.</i></p>"
    return (f'<div class="demo-picture"><h3>Demo: {html.escape(name)} (default settings)</h3>{picture}</div>'
            f"{predictions}")


def blocks_html(blocks: list[Block], key: bool) -> str:
    """Every block of a lesson, numbering the self-checks; a heading with nothing printed under it is dropped."""
    parts, checks = [], 0
    for block in blocks:
        if block.kind == "check":
            checks += 1
        parts.append((block.kind, _block_html(block, key, checks)))
    parts = [(kind, text) for kind, text in parts if text]
    kept = [text for (kind, text), nxt in zip(parts, parts[1:] + [("", "")])
            if kind != "section" or nxt[0] not in ("section", "")]
    return "".join(kept)


def _block_html(block: Block, key: bool, number: int) -> str:
    if block.kind == "section":
        return f"<h2>{html.escape(block.text)}</h2>"
    if block.kind == "demo":
        return demo_block_html(block, key)
    if block.kind == "prompt":
        return prompt_html(block, key)
    return check_html(block.check, number, key)


def objectives_html(lesson: Lesson) -> str:
    items = "".join(f"<li>{html.escape(text)}</li>" for _, text in lesson.objectives)
    return f"<h2>Learning objectives</h2><p>By the end you should be able to:</p><ol>{items}</ol>"


def worksheet_html(lesson: Lesson) -> str:
    """The student worksheet of one lesson (no answers, no feedback)."""
    body = (f"<h1>{html.escape(lesson.title)}</h1>"
            f'<p class="meta">Worksheet for notebook {lesson.number} &middot; about {lesson.minutes} minutes &middot; '
            "educational material, not medical advice</p>"
            '<p class="name">Name: ______________________________ &nbsp; Date: ______________</p>'
            "<p>Work through the notebook with this sheet. Before each demo's move, commit to a prediction here; "
            "write your answers to the questions in the spaces.</p>"
            + objectives_html(lesson) + blocks_html(lesson.blocks, key=False))
    return page(f"{lesson.number} worksheet", body)


def concepts_html(lesson: Lesson) -> str:
    """The lesson's objectives, each with the core concepts it is mapped to (the key's version of the list)."""
    from helpers.build import coverage

    rows = coverage.mapping()
    rows = rows[rows["theme"] == lesson.theme]
    items = []
    for number, text in lesson.objectives:
        names = "; ".join("none of the 24" if c == "none" else c for c in rows.loc[rows["number"] == number, "concept"])
        items.append(f'<li>{html.escape(text)}<br><span class="concepts">Core concepts: '
                     f'{html.escape(names or "not mapped yet")}</span></li>')
    return f"<h2>Learning objectives and their core concepts</h2><ol>{''.join(items)}</ol>"


def key_html(all_lessons: list[Lesson]) -> str:
    """The teacher's answer key: every lesson's answers, then the coverage map."""
    from helpers.build import coverage

    parts = [("<h1>Teacher's answer key</h1>"
              '<p class="meta">Right answers and feedback for every self-check and prediction, model answers for '
              "every prompt (from the teacher's guide), and the map of core concepts.</p>")]
    for i, lesson in enumerate(all_lessons):
        parts.append(f'<h1 class="{"pagebreak" if i else ""}">{lesson.number} {html.escape(lesson.title)}</h1>'
                     + concepts_html(lesson) + blocks_html(lesson.blocks, key=True))
    parts.append('<h1 class="pagebreak">Coverage map: the core concepts of pharmacology</h1>'
                 f"<p>{html.escape(coverage.LEGEND)} Column 00 is the start page. Concept list: "
                 f"{html.escape(coverage.CITATION)}.</p>{coverage.html_table()}<p>{html.escape(coverage.summary())}</p>")
    return page("Teacher's answer key", "".join(parts), kind="key")


# --- PDF ------------------------------------------------------------------------------------------------

def chromium() -> str:
    """Chromium's path: ``$CHROMIUM``, else the first Chromium/Chrome on PATH."""
    found = os.environ.get("CHROMIUM") or next(
        (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
    if not found:
        raise RuntimeError("the handouts need Chromium (Debian: apt-get install chromium, or `make browser`); "
                           "or set CHROMIUM to a Chrome/Chromium executable")
    return found


FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def _offline(refused: list[str]):
    """A route handler that lets local files load and refuses (and records) everything else."""
    def handle(route) -> None:
        if route.request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    return handle


def to_pdf(browser, page_html: Path, pdf: Path, title: str) -> None:
    """Print one HTML page to PDF once its figures have become images."""
    tab, refused = browser.new_page(viewport={"width": 800, "height": 1000}), []
    tab.route("**/*", _offline(refused))
    tab.goto(page_html.as_uri())
    tab.wait_for_selector("body[data-ready='1']", timeout=120_000)
    error = tab.evaluate("document.body.dataset.error || ''")
    if error:
        raise RuntimeError(f"{page_html.name}: a figure could not be drawn: {error}")
    if refused:  # the page asked for something from the network: the build must work offline
        raise RuntimeError(f"{page_html.name} asked for {', '.join(refused)}; handouts load local files only")
    footer = (f'<div style="font: 8px sans-serif; width: 100%; text-align: center; color: #555;">{FOOTER}: '
              f'{html.escape(title)} &middot; page <span class="pageNumber"></span> of <span class="totalPages"></span></div>')
    tab.pdf(path=str(pdf), **PAGE, margin=MARGIN, print_background=True, display_header_footer=True,
            header_template="<div></div>", footer_template=footer)
    tab.close()


def write_pages(all_lessons: list[Lesson], html_dir: Path) -> list[tuple[Path, str, str]]:
    """Write every worksheet and the key as HTML beside a local plotly.js; (html, pdf name, title) for each."""
    import plotly

    html_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", html_dir / "plotly.min.js")
    jobs = []
    for lesson in all_lessons:
        path = html_dir / f"{lesson.stem}_worksheet.html"
        path.write_text(worksheet_html(lesson))
        jobs.append((path, f"{lesson.stem}_worksheet.pdf", f"{lesson.number} {lesson.title}"))
    path = html_dir / "teacher_answer_key.html"
    path.write_text(key_html(all_lessons))
    jobs.append((path, KEY_NAME, "teacher's answer key"))
    return jobs


def build(out_dir: Path, keep_html: bool = False) -> list[Path]:
    """Check the data, build every page and print it to PDF.

    Parameters
    ----------
    out_dir : pathlib.Path
        Absolute output folder; replaced if it exists.
    keep_html : bool
        Keep the HTML pages (``out_dir/html/``) the PDFs were printed from.

    Returns
    -------
    list of pathlib.Path
        One worksheet per registered theme, in reading order, then the teacher's answer key.

    Raises
    ------
    helpers.core.data.DataError
        Broken data, before anything is written.
    RuntimeError
        No Chromium, or a figure that could not be drawn.
    """
    from playwright.sync_api import sync_playwright

    check_data()
    all_lessons = lessons()
    if out_dir.exists():
        shutil.rmtree(out_dir)
    jobs = write_pages(all_lessons, out_dir / "html")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=FLAGS)
        try:
            for page_html, name, title in jobs:
                to_pdf(browser, page_html, out_dir / name, title)
        finally:
            browser.close()
    if not keep_html:
        shutil.rmtree(out_dir / "html")
    return [out_dir / name for _, name, _ in jobs]


def main(argv: list[str] | None = None) -> int:
    from helpers.core.data import DataError

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "_build" / "handouts"), help="output folder (replaced)")
    parser.add_argument("--keep-html", action="store_true", help="keep the HTML pages the PDFs are printed from")
    parser.add_argument("--check", action="store_true", help="only check the data the handouts read")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        if args.check:
            check_data()
            print("handouts: data OK")
            return 0
        pdfs = build(Path(args.out).resolve(), args.keep_html)
    except DataError as exc:
        print(f"handouts: cannot build: {exc}", file=sys.stderr)
        return 1
    for pdf in pdfs:
        print(f"{pdf.name}: {pdf.stat().st_size / 1e6:.2f} MB")
    print(f"handouts: {len(pdfs)} PDFs in {args.out} ({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
