"""Notebook template lint (design.md): sections, thin code cells, described figures, working links."""

import re
from datetime import date

import pytest

from conftest import NOTEBOOK_DIR, NOTEBOOKS, ROOT, THEMED, read_notebook

THEMED_HEADINGS = (
    "Learning objectives", "Prerequisites", "Part A", "Part B", "Evidence", "Self-check", "Summary",
    "What next", "References",
)
FORBIDDEN_IN_CODE = (
    (re.compile(r"^\s*(def|class)\s", re.M), "defines a function or class (belongs in helpers/)"),
    (re.compile(r"^\s*(for|while)\s.*:\s*$", re.M), "contains a loop (belongs in helpers/)"),
    (re.compile(r"\blambda\b"), "contains a lambda (belongs in helpers/)"),
    (re.compile(r"\.show\("),
     "calls .show(): use show(fig, description) from helpers so the figure is described"),
    (re.compile(r"https?://"), "fetches or names a URL in code: notebooks never use the network"),
)
MAX_CODE_LINES = 12


def markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def headings(nb) -> list[tuple[int, str]]:
    found = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            m = re.match(r"^(#{1,6})\s+(.*)", line)
            if m:
                found.append((len(m.group(1)), m.group(2).strip()))
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_h1_first(path):
    nb = read_notebook(path)
    h1 = [h for level, h in headings(nb) if level == 1]
    assert len(h1) == 1, f"expected exactly one H1, found {h1}"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.lstrip().startswith("# ")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_not_medical_advice_and_review_date(path):
    text = markdown(read_notebook(path))
    assert "not medical advice" in text.lower()
    m = re.search(r"Last reviewed:\s*(\d{4}-\d{2}-\d{2})", text)
    assert m, "needs a 'Last reviewed: YYYY-MM-DD' line"
    assert date.fromisoformat(m.group(1)) <= date.today()


@pytest.mark.parametrize("path", THEMED, ids=lambda p: p.name)
def test_template_sections(path):
    found = " | ".join(h for _, h in headings(read_notebook(path)))
    missing = [h for h in THEMED_HEADINGS if h.lower() not in found.lower()]
    assert not missing, f"missing sections: {missing}"


@pytest.mark.parametrize("path", THEMED, ids=lambda p: p.name)
def test_part_a_comes_before_part_b_and_both_are_marked(path):
    titles = [h for _, h in headings(read_notebook(path))]
    a = next(i for i, h in enumerate(titles) if "Part A" in h)
    b = next(i for i, h in enumerate(titles) if "Part B" in h)
    assert a < b


@pytest.mark.parametrize("path", THEMED, ids=lambda p: p.name)
def test_at_least_three_self_checks(path):
    code = "\n".join(c.source for c in read_notebook(path).cells if c.cell_type == "code")
    assert code.count("multiple_choice(") >= 3


@pytest.mark.parametrize("path", THEMED, ids=lambda p: p.name)
def test_references_and_evidence_come_from_data(path):
    code = "\n".join(c.source for c in read_notebook(path).cells if c.cell_type == "code")
    assert "reference_list_markdown(" in code
    assert "evidence_explorer(" in code or "evidence_table(" in code


@pytest.mark.parametrize("path", THEMED, ids=lambda p: p.name)
def test_learning_objectives_and_time(path):
    text = markdown(read_notebook(path)).lower()
    assert re.search(r"\d+\s*min", text), "state an estimated time in minutes"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_cells_are_thin(path):
    for index, cell in enumerate(read_notebook(path).cells):
        if cell.cell_type != "code":
            continue
        lines = [line for line in cell.source.splitlines() if line.strip() and not line.strip().startswith("#")]
        assert len(lines) <= MAX_CODE_LINES, f"cell {index} has {len(lines)} lines: move logic to helpers/"
        for pattern, why in FORBIDDEN_IN_CODE:
            assert not pattern.search(cell.source), f"cell {index} {why}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_is_described(path):
    """Figures appear only as helper demos (which carry a live description) or show(fig, text)."""
    for index, cell in enumerate(read_notebook(path).cells):
        if cell.cell_type == "code" and re.search(r"(?<![\w.])show\(", cell.source):
            assert re.search(r"(?<![\w.])show\([^,]+,\s*\S", cell.source), f"cell {index}: show needs a description"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_relative_links_exist(path):
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", markdown(read_notebook(path))):
        if re.match(r"^[a-z]+:", target):
            continue
        assert (NOTEBOOK_DIR / target).resolve().exists(), f"broken link {target}"


def test_start_here_maps_every_notebook():
    text = markdown(read_notebook(NOTEBOOK_DIR / "00_start_here.ipynb"))
    for path in NOTEBOOKS:
        if path.name != "00_start_here.ipynb":
            assert path.name in text, f"00_start_here does not link {path.name}"


def test_readme_lists_every_notebook():
    readme = (ROOT / "README.md").read_text()
    for path in NOTEBOOKS:
        assert f"notebooks/{path.name}" in readme, f"README does not list {path.name}"


def test_lint_catches_logic_in_a_notebook():
    """The lint itself can fail: a notebook cell with a loop or a bare fig.show() is caught."""
    loop, _ = FORBIDDEN_IN_CODE[1]
    assert loop.search("for drug in drugs:\n    print(drug)")
    assert not loop.search("widgets.dose_explorer('SERT', SSRIS)")
    show, _ = FORBIDDEN_IN_CODE[3]
    assert show.search("fig.show()") and not show.search("show(fig, text)")
