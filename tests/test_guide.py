"""The teacher's guide against the screen, and the teaching standards the guide promises.

- Every expected answer marked ``<!-- check: <probe> = <value> -->`` in notebooks/TEACHERS_GUIDE.md is what the
  demo or table shows in its default state: each probe below builds it and reads the value (shown failing on the
  old 02 answer, "the NMDA receptor" while the contested D2 bar was the tallest).
- Every "Think about it" prompt in the notebooks has a model answer in the guide (``<!-- answer: "<words of the
  prompt>" -->`` under "### Model answers: NN"), and no model answer points at a prompt that no longer exists.
- Each 50-minute plan adds up to 50 minutes, covers every numbered section that is not marked
  "(go deeper, optional)", and names every go-deeper section; 03 keeps its side-effect section.
- Register: student prose does not talk about the project's curation (data/ paths, "not yet verified",
  function names, snake_case keys); evidence tables show hypothesis names; log axes say "log scale" and 01
  explains log scales under the first log-axis figure; 03 has a content note before the suicide data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from helpers.core import data, evidence
from helpers.core import occupancy as core_occupancy
from helpers.registry import THEMES

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "notebooks" / "TEACHERS_GUIDE.md"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0*.ipynb"))
GO_DEEPER = "(go deeper, optional)"


def _markdown(path: Path) -> list[str]:
    cells = json.loads(path.read_text())["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


def _cells(path: Path) -> list[tuple[str, str]]:
    return [(c["cell_type"], "".join(c["source"])) for c in json.loads(path.read_text())["cells"]]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _guide_section(text: str, number: str) -> str:
    """The guide's ``## NN ...`` section (up to the next ``## ``)."""
    match = re.search(rf"(?ms)^## {number} .*?(?=^## |\Z)", text)
    assert match, f"the guide has no section '## {number}'"
    return match.group(0)


# --- Expected answers against the default screen ---------------------------------------------------------

def _tallest_bar(demo) -> str:
    bars = demo.figure.data[-1]
    return str(bars.x[int(np.argmax(bars.y))])


def _ketamine_tallest_bar() -> str:
    from helpers.themes.ketamine import widgets
    return _tallest_bar(widgets.target_explorer())


def _ketamine_opioids_small() -> str:
    from helpers.themes.ketamine import widgets
    bars = widgets.target_explorer().figure.data[-1]
    heights = dict(zip(bars.x, bars.y))
    return "yes" if all(heights[t] < 5 for t in ("MOR", "KOR", "DOR")) else "no"


def _tighter_enantiomer() -> str:
    from helpers.themes.ketamine import model
    table = model.affinity_overview()
    nmda = table[(table["target"] == "NMDA") & table["compound"].isin(["Esketamine", "Arketamine"])]
    values = {c: float(v.lstrip("> ")) for c, v in zip(nmda["compound"], nmda["value (uM)"])}
    return min(values, key=values.get)


def _saturation_gain_small() -> str:
    from helpers.themes.basics import widgets
    demo = widgets.saturation_explorer()
    this_dose, doubled = (float(demo.figure.data[i].y[0]) for i in (1, 2))
    return "yes" if doubled - this_dose < 10 else "no"


def _never_reaches_movement_line() -> str:
    from helpers.themes.basics import model
    table = model.window_table(core_occupancy.drugs_with_fit("D2"), "D2")
    column = next(c for c in table.columns if c.startswith("extrapyramidal"))
    return ", ".join(table.loc[table[column] == "never", "drug"])


def _caffeine_mechanism() -> str:
    from helpers.themes.basics import widgets
    text = widgets.caffeine_explorer().description.value
    return "adenosine" if "only known action here is partial block of adenosine" in text else text


def _lithium_level_ratio() -> str:
    from helpers.themes.lithium import model
    before, after = (model.steady_state_level(900, c) for c in (20.0, 15.0))
    return f"{after / before:.2f}"


def _olanzapine_h1() -> str:
    from helpers.themes.antipsychotics import widgets
    demo = widgets.fingerprint_explorer()
    drug, d2 = demo.controls["drug"].value, demo.controls["d2"].value
    assert "H1 100%" in demo.description.value  # the sentence under the figure says it too
    return str(demo.figure.data[2].text[2]) if drug == "olanzapine" and d2 == 70 else f"{drug} at {d2}%"


def _pgx_genotype_phenotype() -> str:
    from helpers.themes.pharmacogenomics import figures, widgets
    demo = widgets.genotype_explorer()
    demo.controls["first"].value, demo.controls["second"].value = "*4", "*41"
    bars = demo.figure.data[0]  # the highlighted row is the phenotype shown
    return next(f"{y} Metabolizer" for y, c in zip(bars.y, bars.marker.color) if c == figures.HIGHLIGHT)


def _pgx_poor_occupancy() -> str:
    from helpers.themes.pharmacogenomics import widgets
    demo = widgets.exposure_explorer(genotype="Null/Null")
    return f"{float(demo.figure.data[2].y[0]):.0f}%"


def _timecourse_days_to_90() -> str:
    from helpers.themes.timecourse import model, widgets
    demo = widgets.schedule_explorer()
    days = model.days_to_fraction(model.half_life(demo.controls["drug"].value), 0.9)
    assert f"90% after {days:.1f} days" in demo.description.value  # the sentence under the figure says it
    return f"{days:.1f}"


PROBES = {
    "ketamine.target_explorer default tallest_bar": _ketamine_tallest_bar,
    "ketamine.target_explorer default opioid_bars_below_5_percent": _ketamine_opioids_small,
    "ketamine.affinity_overview tighter_nmda_enantiomer": _tighter_enantiomer,
    "basics.saturation_explorer default doubling_gain_below_10_points": _saturation_gain_small,
    "basics.window_table never_reaches_movement_line": _never_reaches_movement_line,
    "basics.caffeine_explorer default mechanism": _caffeine_mechanism,
    "lithium.steady_state clearance_times_0.75_level_ratio": _lithium_level_ratio,
    "pharmacogenomics.genotype_explorer *4/*41 phenotype": _pgx_genotype_phenotype,
    "pharmacogenomics.exposure_explorer Null/Null occupancy": _pgx_poor_occupancy,
    "antipsychotics.fingerprint_explorer default olanzapine_h1": _olanzapine_h1,
    "timecourse.schedule_explorer default days_to_90": _timecourse_days_to_90,
}
CHECK = re.compile(r"<!--\s*check:\s*(.+?)\s*=\s*(.+?)\s*-->")


def _mismatches(text: str, probes: dict = PROBES) -> list[str]:
    """Each check marker whose value differs from what its probe reads off the default screen."""
    found = []
    for key, expected in CHECK.findall(text):
        if key not in probes:
            found.append(f"unknown probe {key!r}")
        elif (actual := probes[key]()) != expected:
            found.append(f"{key}: the guide says {expected!r}, the default screen shows {actual!r}")
    return found


def test_every_checked_answer_matches_the_default_screen():
    text = GUIDE.read_text()
    assert _mismatches(text) == []
    assert {key for key, _ in CHECK.findall(text)} == set(PROBES), "every probe is used by an answer in the guide"


def test_the_check_fails_on_the_old_02_answer():
    """Before contested values were hidden, the default chart's tallest bar was the contested D2 value, so the
    guide's "the NMDA receptor" contradicted the screen: the same check, run on that default, says so."""
    from helpers.themes.ketamine import widgets
    assert _tallest_bar(widgets.target_explorer(show_contested=True)) == "D2"
    old_default = dict(PROBES)
    old_default["ketamine.target_explorer default tallest_bar"] = \
        lambda: _tallest_bar(widgets.target_explorer(show_contested=True))
    problems = _mismatches(GUIDE.read_text(), old_default)
    assert problems == ["ketamine.target_explorer default tallest_bar: the guide says 'NMDA', the default screen "
                        "shows 'D2'"]
    assert _mismatches("<!-- check: basics.window_table never_reaches_movement_line = Olanzapine -->")


def test_the_02_answer_names_the_contested_value_as_hidden():
    section = _flat(_guide_section(GUIDE.read_text(), "02"))
    assert "the NMDA receptor, which is the tallest bar; the contested D2 value is hidden" in section


# --- Model answers for every "Think about it" -------------------------------------------------------------

def _prompts(path: Path) -> list[str]:
    """Each question of each "Think about it" block: the paragraph after the marker, or each of its bullets."""
    questions = []
    for cell in _markdown(path):
        for block in re.findall(r"\*\*Think about it\.\*\*(.*?)(?=\n\s*\n|\Z)", cell, flags=re.S):
            bullets = re.split(r"\n- ", "\n" + block.strip()) if block.strip().startswith("- ") else [block]
            questions += [_flat(b) for b in bullets if b.strip()]
    return questions


def _answers(text: str) -> dict[str, list[tuple[str, str]]]:
    """Notebook number -> (prompt words, answer text) from each "### Model answers: NN" subsection."""
    found = {}
    for number, body in re.findall(r"(?ms)^### Model answers: (\d\d)\n(.*?)(?=^#{2,3} |^---|\Z)", text):
        parts = re.split(r'<!--\s*answer:\s*"(.+?)"\s*-->', body)
        found[number] = [(_flat(words), _flat(answer)) for words, answer in zip(parts[1::2], parts[2::2])]
    return found


def _unanswered(notebooks, guide_text: str) -> list[str]:
    answers = _answers(guide_text)
    problems = []
    for path in notebooks:
        number = path.name[:2]
        mine = answers.get(number, [])
        for question in _prompts(path):
            hits = [words for words, _ in mine if words in question]
            if len(hits) != 1:
                problems.append(f"{path.name}: {len(hits)} model answers for {question[:70]!r}")
        for words, answer in mine:
            if sum(words in q for q in _prompts(path)) != 1:
                problems.append(f"guide, model answers {number}: {words!r} matches no prompt (or several)")
            if len(answer) < 80:
                problems.append(f"guide, model answers {number}: the answer to {words!r} is too short")
    return problems


def test_every_think_about_it_prompt_has_a_model_answer():
    assert sum(len(_prompts(p)) for p in NOTEBOOKS) >= 13
    assert _unanswered(NOTEBOOKS, GUIDE.read_text()) == []


def test_the_model_answer_check_fails_when_one_is_missing():
    text = GUIDE.read_text()
    broken = text.replace('<!-- answer: "busy neuron or on a quiet one" -->', "")
    problems = _unanswered(NOTEBOOKS, broken)
    assert len(problems) == 1 and "plasma level as free drug" in problems[0]


# --- 50-minute plans --------------------------------------------------------------------------------------

STANDARD_SECTIONS = r"Learning objectives|Prerequisites|Part A|Part B|Evidence table|Self-check|Summary|What next|Glossary|References"


def _plan_rows(section: str) -> list[tuple[int, int, str]]:
    rows = re.findall(r"(?m)^\| (\d+)-(\d+) \| ([^|]*)\|", section)
    return [(int(a), int(b), what.strip()) for a, b, what in rows]


def _numbers(text: str) -> set[int]:
    found = set()
    for a, b in re.findall(r"\b(\d+)[a-c]?(?:-(\d+)[a-c]?)?\b", text):
        found |= set(range(int(a), int(b or a) + 1))
    return found


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if not p.name.startswith("00")], ids=lambda p: p.stem)
def test_each_plan_fills_fifty_minutes_and_covers_every_section_not_marked_optional(path):
    section = _guide_section(GUIDE.read_text(), path.name[:2])
    rows = _plan_rows(section)
    assert rows and rows[0][0] == 0 and rows[-1][1] == 50, "the plan runs from 0 to 50 minutes"
    assert all(end == start for (_, end, _), (start, _, _) in zip(rows, rows[1:])), "no gaps or overlaps"
    covered = _numbers(" ".join(what for _, _, what in rows))
    plan_text = " ".join(what for _, _, what in rows).lower()
    for cell in _markdown(path):  # unnumbered teaching sections (the efficacy baseline) belong in the plan too
        for title in re.findall(r"(?m)^## (?!\d)(.*)$", cell):
            if not re.match(STANDARD_SECTIONS, title):
                words = " ".join(re.findall(r"[a-z]+", title.lower())[:4])
                assert words in plan_text, f"{path.name}: section {title!r} is not in the 50-minute plan"
    go_deeper_line = next((line for line in section.splitlines() if line.startswith("**Go deeper")), "")
    assert go_deeper_line, "the plan says what it leaves out"
    for cell in _markdown(path):
        for level, number, title in re.findall(r"(?m)^(#{2,4}) (\d+[a-c]?)\. (.*)$", cell):
            base = int(re.match(r"\d+", number).group(0))
            if GO_DEEPER in title:
                assert number in go_deeper_line, f"{path.name}: go-deeper section {number} is not named in the guide"
            elif not re.search(r"Evidence table|Self-check", title) and len(level) <= 3:
                assert base in covered, f"{path.name}: section {number} ({title}) is in neither the plan nor go deeper"


def test_the_lithium_plan_keeps_the_side_effects_it_asks_about():
    section = _guide_section(GUIDE.read_text(), "03")
    assert any(what.startswith("7.") for _, _, what in _plan_rows(section))
    assert "Which side effect has the clearest mechanism" in section
    assert "trims section 4 and the side effects" not in section


def test_go_deeper_sections_are_marked_the_same_way_in_the_notebooks():
    marked = [title for p in NOTEBOOKS for cell in _markdown(p)
              for title in re.findall(r"(?m)^#{2,4} .*$", cell) if "go deeper" in title.lower()]
    assert marked, "at least one optional section is marked"
    assert all(title.endswith(GO_DEEPER) for title in marked), marked


# --- Register, log scales, content note -------------------------------------------------------------------

CURATION = re.compile(r"data/|we have not|not yet verified|we could not|we did not find|we found no|we saw only|"
                      r"in our data|`[a-z][a-z0-9]*(?:[._][a-z0-9]+)+`", re.I)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_prose_speaks_about_the_science_not_the_curation(path):
    hits = [line.strip() for cell in _markdown(path) for line in cell.splitlines() if CURATION.search(line)]
    hits = [h for h in hits if ".ipynb" not in h and "TEACHERS_GUIDE.md" not in h]  # links to other notebooks
    assert hits == []


def test_the_register_check_fails_on_curation_notes():
    for line in ("Escitalopram is missing because we have not yet verified its constants.",
                 "The hypotheses stored in `data/hypotheses` are listed below.",
                 "Both curves come from `pharmacology.fraction_inhibited`.",
                 "filter by hypothesis `specific_ingredients`"):
        assert CURATION.search(line), line


@pytest.mark.parametrize("theme", [t.key for t in THEMES])
def test_evidence_tables_show_hypothesis_names_not_keys(theme):
    shown = set(evidence.evidence_table(theme)["Hypothesis"].dropna())
    keys = set(data.table("evidence").query("theme == @theme")["hypothesis"].dropna())
    assert len(shown) == len(keys) and not shown & keys
    assert not [h for h in shown if "_" in h]


def test_hypothesis_labels_use_the_stored_names_and_readable_words():
    assert evidence.hypothesis_label("lhb_burst") == "Lateral habenula burst firing"  # data/hypotheses
    assert evidence.hypothesis_label("ssri_delayed_onset") == "SSRI delayed onset"
    assert evidence.hypothesis_label("5ht1a_desensitisation") == "5-HT1A desensitisation"
    assert evidence.evidence_table("basics", hypothesis="ssri_delayed_onset")["Hypothesis"].unique().tolist() == \
        ["SSRI delayed onset"]  # filters still take the keys


def _log_axes(fig) -> list[str]:
    titles = []
    for name in dir(fig.layout):
        if re.fullmatch(r"[xy]axis\d*", name):
            axis = getattr(fig.layout, name)
            if axis.type == "log":
                titles.append(axis.title.text or "")
    return titles


def test_every_log_axis_says_so_in_its_title():
    from helpers.themes.basics import figures as basics
    from helpers.themes.ketamine import figures as ketamine
    from helpers.themes.lithium import figures as lithium
    from helpers.themes.lithium import model as lithium_model
    figures = [basics.ligand_figure("full agonist", 10.0, 30.0, 10.0), basics.antagonist_shift_figure(100, 10, 10, 1),
               basics.dose_occupancy_figure(core_occupancy.drugs_with_fit("D2"), "D2", "risperidone", 2.0),
               basics.measured_occupancy_figure("SERT"), ketamine.target_figure("ketamine", 185),
               lithium.forest_figure(lithium_model.SUICIDE_EFFECTS)]
    titles = [t for fig in figures for t in _log_axes(fig)]
    assert len(titles) == len(figures)
    assert all("log scale" in t for t in titles), titles


def test_log_scales_are_explained_under_the_first_log_axis_figure():
    cells = _cells(ROOT / "notebooks" / "01_mechanism_of_action_basics.ipynb")
    first = next(i for i, (kind, src) in enumerate(cells) if kind == "code" and "ligand_explorer(" in src)
    following = next(src for kind, src in cells[first + 1:] if kind == "markdown")
    assert following.startswith("**Reading a log scale.**") and "ten times" in following


def test_a_content_note_comes_before_the_suicide_data():
    cells = _cells(ROOT / "notebooks" / "03_lithium.ipynb")
    figure = next(i for i, (kind, src) in enumerate(cells) if kind == "code" and "SUICIDE_EFFECTS" in src)
    note = next(i for i, (kind, src) in enumerate(cells) if "Content note" in src)
    assert note < figure
    text = _flat(cells[note][1])
    assert "suicide" in text and "crisis line" in text and "emergency services" in text
    assert not re.search(r"\b\d{3}\b", text.split("Content note")[1]), "no country-specific numbers"


def test_the_guide_no_longer_promises_discussion_the_notebook_lacks():
    section = _guide_section(GUIDE.read_text(), "02")
    assert "dissociat" in section
    notebook = " ".join(_markdown(ROOT / "notebooks" / "02_ketamine.ipynb"))
    assert "Is the dissociation the treatment?" in notebook and "blind" in notebook
