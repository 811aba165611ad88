"""Notebook template lint (the template in CONTRIBUTING.md and notebooks/_template.ipynb): sections, thin code cells, described figures, working links.

``notebooks/_template.ipynb`` is not a numbered notebook: it is checked here as a template (every section, the
placeholders a contributor replaces, stored clean) and by the generic checks (one H1, thin cells, described
figures, links). nbval runs it as well: as stored, its cells call the lithium theme, so ``pytest`` executes it
top to bottom like any notebook. That is deliberate (rather than ``collect_ignore``): a template whose calls
no longer work fails the suite instead of misleading the next contributor, and it costs about 3 s.
"""

import re
from datetime import date

import pytest
from conftest import NOTEBOOK_DIR, NOTEBOOKS, ROOT, TEMPLATE, THEMED, read_notebook

from helpers.build import nbclean
from helpers.core import self_check_bank
from helpers.registry import THEME_KEYS, theme

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
MIN_SELF_CHECKS = 3
# checks.self_check("<theme>", "<id>"): a question stored in data/self_checks/ (tests/test_self_checks.py checks more)
SELF_CHECK_CALL = re.compile(r"""self_check\(\s*["'](\w+)["']\s*,\s*["']([\w-]+)["']\s*\)""")
# What marks text a contributor must replace in the template; none may be left in a numbered notebook.
PLACEHOLDER = "\u270f\ufe0f"  # the pencil emoji, as in "✏️ Replace: ..."
LINTED = [*NOTEBOOKS, TEMPLATE]  # the generic checks hold for the template too


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


@pytest.mark.parametrize("path", LINTED, ids=lambda p: p.name)
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
def test_at_least_three_self_checks_and_each_is_stored(path):
    code = "\n".join(c.source for c in read_notebook(path).cells if c.cell_type == "code")
    asked = SELF_CHECK_CALL.findall(code)
    assert len(asked) >= MIN_SELF_CHECKS and code.count("self_check(") == len(asked)
    stored = set(zip(self_check_bank.load_self_checks()["theme"], self_check_bank.load_self_checks()["id"]))
    assert not [call for call in asked if call not in stored], "asks a self-check that is not in data/self_checks/"


@pytest.mark.parametrize("path", THEMED, ids=lambda p: p.name)
def test_references_and_evidence_come_from_data(path):
    code = "\n".join(c.source for c in read_notebook(path).cells if c.cell_type == "code")
    assert "reference_list_markdown(" in code
    assert "evidence_explorer(" in code or "evidence_table(" in code


@pytest.mark.parametrize("path", THEMED, ids=lambda p: p.name)
def test_learning_objectives_and_time(path):
    text = markdown(read_notebook(path)).lower()
    assert re.search(r"\d+\s*min", text), "state an estimated time in minutes"


@pytest.mark.parametrize("path", LINTED, ids=lambda p: p.name)
def test_code_cells_are_thin(path):
    for index, cell in enumerate(read_notebook(path).cells):
        if cell.cell_type != "code":
            continue
        lines = [line for line in cell.source.splitlines() if line.strip() and not line.strip().startswith("#")]
        assert len(lines) <= MAX_CODE_LINES, f"cell {index} has {len(lines)} lines: move logic to helpers/"
        for pattern, why in FORBIDDEN_IN_CODE:
            assert not pattern.search(cell.source), f"cell {index} {why}"


@pytest.mark.parametrize("path", LINTED, ids=lambda p: p.name)
def test_every_figure_is_described(path):
    """Figures appear only as helper demos (which carry a live description) or show(fig, text)."""
    for index, cell in enumerate(read_notebook(path).cells):
        if cell.cell_type == "code" and re.search(r"(?<![\w.])show\(", cell.source):
            assert re.search(r"(?<![\w.])show\([^,]+,\s*\S", cell.source), f"cell {index}: show needs a description"


@pytest.mark.parametrize("path", LINTED, ids=lambda p: p.name)
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


# --- the template --------------------------------------------------------------------------------------


def code(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


def template_problems(nb) -> list[str]:
    """What keeps ``nb`` from being a usable template; an empty list means it is one.

    A notebook copied from it and filled in must pass the themed lint above, so it needs what that lint asks
    for, a marked placeholder wherever the contributor has work to do, and a clean stored form.
    """
    found = []
    titles = " | ".join(h for _, h in headings(nb)).lower()
    found += [f"no {h!r} section" for h in THEMED_HEADINGS if h.lower() not in titles]
    text, source = markdown(nb), code(nb)
    if "not medical advice" not in text.lower():
        found.append("no 'not medical advice' note")
    if not re.search(r"Last reviewed:\s*(YYYY-MM-DD|\d{4}-\d{2}-\d{2})", text):
        found.append("no 'Last reviewed: YYYY-MM-DD' line")
    if not re.search(r"\d+\s*min", text.lower()):
        found.append("no estimated time in minutes")
    if len(SELF_CHECK_CALL.findall(source)) < MIN_SELF_CHECKS:
        found.append(f"fewer than {MIN_SELF_CHECKS} self_check calls")
    for call in ("reference_list_markdown(", "evidence_explorer("):
        if call not in source:
            found.append(f"no {call}) call")
    if PLACEHOLDER not in text or PLACEHOLDER not in source:
        found.append(f"no {PLACEHOLDER} placeholder in its text and its code")
    found += [f"not clean: {p}" for p in nbclean.problems(nb)]
    return found


def template_theme(nb) -> str | None:
    """The theme key the template's code runs against (``THEME = "lithium"``), if the import line agrees."""
    source = code(nb)
    key = re.search(r'^THEME = "(\w+)"', source, re.M)
    if not key or f"from helpers.themes.{key.group(1)} import" not in source:
        return None
    return key.group(1)


def test_the_template_is_a_template():
    assert template_problems(read_notebook(TEMPLATE)) == []


def test_the_template_runs_against_a_real_theme():
    """As stored, the template calls a registry theme's real demos, so nbval's run of it is a smoke test."""
    nb = read_notebook(TEMPLATE)
    key = template_theme(nb)
    assert key in THEME_KEYS, "the template must set THEME to a registry key and import that theme's package"
    called = set(re.findall(r"(?<![\w.])widgets\.(\w+)\(", code(nb)))
    assert called, "the template should show at least one demo call"
    assert called <= set(theme(key).demos), f"not demos of {key!r} in helpers/registry.py: {called - set(theme(key).demos)}"


def test_the_template_check_fails_on_a_broken_template():
    nb = read_notebook(TEMPLATE)
    for cell in nb.cells:
        cell.source = (cell.source.replace(PLACEHOLDER, "").replace("not medical advice", "advice")
                       .replace("Evidence", "Proof").replace("Self-check", "Quiz"))
    nb.cells[1].execution_count = 7
    found = " | ".join(template_problems(nb))
    for expected in ("'Evidence'", "'Self-check'", "not medical advice", "placeholder", "not clean"):
        assert expected in found
    setup = next(c for c in nb.cells if c.cell_type == "code" and 'THEME = "lithium"' in c.source)
    setup.source = setup.source.replace('THEME = "lithium"', 'THEME = "no_such_theme"')
    assert template_theme(nb) is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_template_placeholder_is_left(path):
    nb = read_notebook(path)
    left = [i for i, c in enumerate(nb.cells) if PLACEHOLDER in c.source or "YYYY-MM-DD" in c.source]
    assert not left, f"cells {left} still hold the template's {PLACEHOLDER} placeholders"
