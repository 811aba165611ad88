"""The classroom kit (issue 18): the coverage map against the core concepts, and the printable handouts.

- Every learning objective has at least one row in data/core_concepts (a concept, or an explicit ``none``);
  the check fails on an objective added without one. The guide's coverage section is the generated table.
- ``make handouts`` (helpers.build.handouts) builds one worksheet per themed notebook and a teacher's key,
  offline; each PDF is read back with pypdf: pages, objectives and questions present, no answer or feedback in
  a worksheet, every answer and feedback in the key, pictures present; a self-check without an answer fails
  the build with its file and line.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from helpers.build import coverage
from helpers.core.core_concepts import CONCEPT_NAMES, CONCEPTS
from helpers.registry import THEMES

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


# --- Coverage map ----------------------------------------------------------------------------------------

def test_every_objective_has_a_core_concept_mapping():
    assert coverage.unmapped() == []


def test_the_mapping_check_fails_for_an_objective_without_a_row(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    path = copy / "objectives" / "lithium.csv"
    path.write_text(path.read_text() + "li-new,lithium,99,A new objective nobody has mapped.,1. Lithium's targets\n")
    assert coverage.unmapped(copy) == ["li-new"]


def test_the_concept_list_is_the_24_of_the_2024_study():
    assert len(CONCEPTS) == 24 == len(set(CONCEPT_NAMES))
    assert "Drug-target interaction" in CONCEPT_NAMES and "Drug targets" in CONCEPT_NAMES
    assert "Agonists and antagonists" not in CONCEPT_NAMES  # a sub-concept of drug-target interaction since 2024
    assert "Drug-receptor interaction" not in CONCEPT_NAMES  # renamed drug-target interaction


def test_every_notebook_is_a_column_and_every_concept_a_row():
    frame = coverage.table()
    assert [c.number for c in coverage.columns()] == ["00"] + [t.notebook[:2] for t in THEMES]
    assert list(frame["Core concept"])[:24] == list(CONCEPT_NAMES)
    lithium = frame.set_index("Core concept").loc["Drug clearance", "03"]
    assert lithium.startswith("3 (")  # objective 3 of 03 (clearance), with its self-checks counted


def test_the_guide_carries_the_generated_coverage_table():
    text = coverage.GUIDE.read_text()
    section = text.split(coverage.START, 1)[1].split(coverage.END, 1)[0].strip()
    assert section == coverage.markdown(), "run: python -m helpers.build.coverage --guide"
    assert "Not covered:" in section and "Guilding" in section


# --- Bad input: the build stops before printing anything -------------------------------------------------

def _blank_first_answer(data_dir: Path) -> int:
    """Empty the ``answer`` cell of the first question in self_checks/basics.csv; return its line number."""
    import csv
    import io

    path = data_dir / "self_checks" / "basics.csv"
    rows = list(csv.reader(io.StringIO(path.read_text())))
    rows[1][rows[0].index("answer")] = ""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue())
    return 2


def test_a_self_check_without_an_answer_fails_the_build_with_file_and_line(tmp_path):
    import os
    import subprocess
    import sys

    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    line = _blank_first_answer(copy)
    out = tmp_path / "handouts"
    result = subprocess.run([sys.executable, "-m", "helpers.build.handouts", "--out", str(out)], cwd=ROOT, check=False,
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PSYCHMEDS_DATA": str(copy)})
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"self_checks/basics.csv, line {line}" in result.stderr and "answer" in result.stderr, result.stderr
    assert not out.exists(), "nothing is printed from bad data"


# --- The PDFs -------------------------------------------------------------------------------------------

FOOTER = re.compile(r"Classroom handout: .*? · page \d+ of \d+")


def _plain(text: str) -> str:
    """Text as compared: Unicode-normalised, Markdown marks removed, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    text = re.sub(r"\s+", " ", text.replace("**", "").replace("*", "")).strip()
    return re.sub(r"(\w)- (\w)", r"\1-\2", text)  # a line broken after a hyphen ("open- channel")


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    pages = [page.extract_text() or "" for page in PdfReader(path).pages]
    return _plain(FOOTER.sub(" ", " ".join(pages)))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build the handouts once (HTML kept, to count the figures each worksheet should show)."""
    import time

    from helpers.build import handouts

    if not handouts_chromium():
        pytest.skip("the handouts need Chromium (apt-get install chromium, or CHROMIUM=/path)")
    out = tmp_path_factory.mktemp("handouts")
    started = time.perf_counter()
    pdfs = handouts.build(out, keep_html=True)
    print(f"\nhandouts built in {time.perf_counter() - started:.0f} s")
    return {"dir": out, "pdfs": pdfs, "text": {p.name: _pdf_text(p) for p in pdfs}}


def handouts_chromium() -> bool:
    from helpers.build import handouts

    try:
        return bool(handouts.chromium())
    except RuntimeError:
        return False


def _bank(theme: str):
    from helpers.core.self_check_bank import load_self_checks

    bank = load_self_checks()
    return bank[bank["theme"] == theme].to_dict("records")


def _predictions(theme: str):
    from helpers.core.predictions import predictions

    return predictions(theme).to_dict("records")


def _worksheet(theme) -> str:
    return f"{theme.stem}_worksheet.pdf"


@pytest.mark.browser
def test_one_worksheet_per_theme_and_a_key(built):
    from pypdf import PdfReader

    names = {p.name for p in built["pdfs"]}
    assert names == {_worksheet(t) for t in THEMES} | {"teacher_answer_key.pdf"}
    for pdf in built["pdfs"]:
        reader = PdfReader(pdf)
        assert len(reader.pages) > 0
        box = reader.pages[0].mediabox  # inside both A4 (595 x 842 pt) and US Letter (612 x 792 pt)
        assert float(box.width) <= 595.3 and float(box.height) <= 792


@pytest.mark.browser
@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.key)
def test_a_worksheet_asks_everything_and_answers_nothing(built, theme):
    from helpers.build.handouts import model_answers, notebook_cells, prompts_in
    from helpers.core.self_check_bank import objectives

    text = built["text"][_worksheet(theme)]
    for objective in objectives(theme.key)["text"]:
        assert _plain(objective) in text
    for check in _bank(theme.key):
        assert _plain(check["question"]) in text
        assert all(_plain(option) in text for option in check["options"])
        assert not [f for f in check["feedback"] if _plain(f) in text], f"feedback of {check['id']} on the worksheet"
    for p in _predictions(theme.key):
        assert _plain(p["prompt"]) in text
        assert not [f for f in p["feedback"] if _plain(f) in text], f"feedback of prediction {p['id']} shown"
    prompts = [p for kind, src in notebook_cells(ROOT / "notebooks" / theme.notebook) if kind == "markdown"
               for p in prompts_in(src)]
    assert all(_plain(p) in text for p in prompts)
    for _words, answer in model_answers(coverage.GUIDE.read_text()).get(theme.notebook[:2], []):
        assert _plain(answer)[:80] not in text
    assert "right answer" not in text


@pytest.mark.browser
def test_the_key_has_every_answer_feedback_and_model_answer(built):
    from helpers.build.handouts import model_answers

    text = built["text"]["teacher_answer_key.pdf"]
    for theme in THEMES:
        for check in _bank(theme.key):
            right = check["options"][check["answer"]]
            assert f"{'ABCD'[check['answer']]}. {_plain(right)} ✔ right answer" in text, check["id"]
            assert all(_plain(f) in text for f in check["feedback"]), check["id"]
        for p in _predictions(theme.key):
            assert _plain(p["options"][p["answer"]]) in text and all(_plain(f) in text for f in p["feedback"])
        for _words, answer in model_answers(coverage.GUIDE.read_text()).get(theme.notebook[:2], []):
            assert _plain(answer)[-80:] in text
    assert "Not covered:" in text and "Drug-target interaction" in text


@pytest.mark.browser
@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.key)
def test_each_worksheet_shows_its_demos_as_pictures(built, theme):
    from pypdf import PdfReader

    page_html = (built["dir"] / "html" / f"{theme.stem}_worksheet.html").read_text()
    figures = page_html.count('class="plotly-graph-div')
    images = sum(len(page.images) for page in PdfReader(built["dir"] / _worksheet(theme)).pages)
    assert figures > 0 and images >= figures


# --- The same split without a browser: what the worksheet and the key say ---------------------------------

def _sample_lesson():
    from helpers.build.handouts import Block, Lesson
    from helpers.core.predictions import prediction
    from helpers.core.self_check_bank import question

    check = question("basics", "bas-partial-agonist")
    blocks = [Block("section", text="A section"),
              Block("demo", text="ligand_explorer", html="<p>picture</p>",
                    predictions=[prediction("ligand-type-occupancy")]),
              Block("prompt", text="Why?", answer="Because the **model** says so, at length."),
              Block("check", check=check)]
    return Lesson("basics", "01", "01_x", "Title", 60, [(1, "An objective.")], blocks), check


def test_the_worksheet_html_asks_and_the_key_html_answers():
    from helpers.build.handouts import key_html, worksheet_html

    lesson, check = _sample_lesson()
    sheet, key = worksheet_html(lesson), key_html([lesson])
    for text in check["feedback"] + ["Because the <strong>model</strong> says so", "right answer"]:
        assert text.replace("'", "&#x27;") not in sheet and text.replace("'", "&#x27;") in key, text
    assert "<p>picture</p>" in sheet and "<p>picture</p>" not in key  # pictures on the worksheet only
    assert check["question"].replace("'", "&#x27;") in sheet and "An objective." in sheet


def test_the_split_check_would_catch_a_worksheet_that_leaked_feedback():
    from helpers.build.handouts import blocks_html

    lesson, check = _sample_lesson()
    leaked = blocks_html(lesson.blocks, key=True)  # what a worksheet would print if it rendered the key
    assert any(f.replace("'", "&#x27;") in leaked for f in check["feedback"])


@pytest.mark.browser
def test_a_page_that_asks_the_network_for_anything_fails_the_build(tmp_path):
    from playwright.sync_api import sync_playwright

    from helpers.build import handouts

    if not handouts_chromium():
        pytest.skip("the handouts need Chromium")
    page = tmp_path / "page.html"
    page.write_text('<html><body><script src="https://cdn.example.org/plotly.js"></script>'
                    "<script>document.body.dataset.ready = '1';</script></body></html>")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=handouts.chromium(), args=handouts.FLAGS)
        try:
            with pytest.raises(RuntimeError, match="cdn.example.org"):
                handouts.to_pdf(browser, page, tmp_path / "page.pdf", "test")
        finally:
            browser.close()
