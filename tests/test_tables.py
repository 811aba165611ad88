"""Every table a student reads: rendered through the one HTML formatter, with no 'None'/'nan' cells.

Notebooks show tables with ``show_table`` (01, 03, 04), ``figures.html_table`` (02) and the evidence
explorers; all three go through :func:`helpers.core.evidence.evidence_html`. This file renders every table
the notebooks show (and each explorer's table) through that formatter and fails if a cell's whole text is a
missing-value marker (``None``, ``nan``, ``NaN``, ``<NA>``), which a student would read as "no effect".

It also holds the values that the notebooks' table cells used to check with ``# NBVAL_CHECK_OUTPUT`` when
they printed ``.to_string(index=False)``: those cells now show formatted HTML tables, and the numbers they
protected are asserted here instead.

Run ``python tests/test_tables.py`` to print how many missing-value cells each table shows.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import pytest
from conftest import run_cell

from helpers.core import evidence, occupancy
from helpers.registry import THEME_KEYS
from helpers.themes.basics import model as basics
from helpers.themes.ketamine import figures as ket_figures
from helpers.themes.ketamine import model as ketamine
from helpers.themes.lithium import model as lithium
from helpers.themes.psychotherapy import mediation
from helpers.themes.psychotherapy import model as psychotherapy

MISSING_MARKERS = {"None", "nan", "NaN", "<NA>", "NaT"}

# serum levels (mmol/L) of the lithium notebook's inhibition table (03)
_LITHIUM_LEVELS = [0.4, 0.6, 0.8, 1.0, 1.5]


def _lithium_inhibition() -> pd.DataFrame:
    ratio = lithium.brain_serum_ratios()["value"].iloc[0]
    return lithium.inhibition_table(_LITHIUM_LEVELS, ratio)


# Every table a notebook shows (show_table / html_table / an explorer's table), by the call the notebook makes.
# Explorers are listed with the table they show first (every row) and, where a control changes the table, with
# every state of that control. test_every_table_a_notebook_shows_... below also runs the notebooks' own cells.
NOTEBOOK_TABLES = {
    # 01_mechanism_of_action_basics
    "01 occupancy_rule_table": occupancy.occupancy_rule_table,
    "01 window_table(D2)": lambda: basics.window_table(occupancy.drugs_with_fit("D2"), "D2"),
    "01 evidence: SSRI Part B": lambda: evidence.evidence_table("basics", part="B",
                                                                 hypothesis=evidence.SSRI_PART_B_HYPOTHESES),
    # 02_ketamine
    "02 affinity_overview": ketamine.affinity_overview,
    "02 exposure_table": ketamine.exposure_table,
    "02 hypothesis_overview": ketamine.hypothesis_overview,
    "02 puzzle_table": ketamine.puzzle_table,
    "02 blocker explorer: every blocker": lambda: ketamine.intervention_findings(list(ketamine.interventions().index)),
    # 03_lithium
    "03 affinity_summary": lithium.affinity_summary,
    "03 evidence: Part A actions": lambda: evidence.evidence_table("lithium", part="A",
                                                                   hypothesis=list(lithium.PART_A_ACTIONS)),
    "03 band_table": lithium.band_table,
    "03 inhibition_table": _lithium_inhibition,
    "03 clearance_table": lithium.clearance_table,
    "03 evidence: clearance_interactions": lambda: evidence.evidence_table("lithium",
                                                                           hypothesis="clearance_interactions"),
    "03 evidence: level_predicts_toxicity": lambda: evidence.evidence_table("lithium",
                                                                            hypothesis="level_predicts_toxicity"),
    "03 hypothesis_summary": lithium.hypothesis_summary,
    "03 suicide_comparison": lithium.suicide_comparison,
    "03 evidence: side effects": lambda: evidence.evidence_table("lithium",
                                                                 hypothesis=list(lithium.SIDE_EFFECT_HYPOTHESES)),
    # 04_psychotherapy_as_mechanism
    "04 relationship_factors_on_r_scale": psychotherapy.relationship_factors_on_r_scale,
    "04 evidence: specific_ingredients": lambda: evidence.evidence_table("psychotherapy",
                                                                         hypothesis="specific_ingredients"),
    "04 criteria_table": psychotherapy.criteria_table,
    "04 scenario_table": mediation.scenario_table,
    "04 scorecard": psychotherapy.scorecard,
    **{f"04 scorecard explorer: {key}": (lambda key=key: psychotherapy.treatment_row(key))
       for key in psychotherapy.TREATMENTS},
    # every theme's evidence explorer, unfiltered (what it shows first)
    **{f"evidence explorer: {theme}": (lambda theme=theme: evidence.evidence_table(theme)) for theme in THEME_KEYS},
}


class _CellTexts(HTMLParser):
    """Collects the text of every <td> and <th> of an HTML table."""

    def __init__(self):
        super().__init__()
        self.cells: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "th"):
            self._current = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._current is not None:
            self.cells.append("".join(self._current).strip())
            self._current = None

    def handle_data(self, data):
        if self._current is not None:
            self._current.append(data)


def cell_texts(table_html: str) -> list[str]:
    """The text of every cell of an HTML table, stripped, in document order."""
    parser = _CellTexts()
    parser.feed(table_html)
    parser.close()
    return parser.cells


def missing_cells(table_html: str) -> list[str]:
    """The cells whose whole text is a missing-value marker ('None', 'nan', 'NaN', '<NA>', 'NaT')."""
    return [text for text in cell_texts(table_html) if text in MISSING_MARKERS]


def plain_pandas_html(frame: pd.DataFrame) -> str:
    """What ``evidence_html`` was before the shared formatter: pandas' own HTML (shows None/nan in pandas 3)."""
    return frame.drop(columns=["id"], errors="ignore").to_html(index=False, escape=True, border=0, na_rep="")


def count_missing(render=evidence.evidence_html) -> dict[str, int]:
    """Number of missing-marker cells per notebook table, rendered with ``render``."""
    return {name: len(missing_cells(render(build()))) for name, build in NOTEBOOK_TABLES.items()}


# --- the check itself can fail ---------------------------------------------------------------------------

def test_the_check_catches_missing_values_in_a_plain_rendering():
    frame = pd.DataFrame({"a": ["x", None, "y"], "b": [1.5, float("nan"), pd.NA], "c": pd.array([1, None, 3])})
    plain = frame.to_html(index=False)
    assert missing_cells(plain), "a raw pandas rendering with None/NaN must be caught"
    assert missing_cells("<table><tr><td> None </td><td>nan</td><td>&lt;NA&gt;</td></tr></table>") == \
        ["None", "nan", "<NA>"]
    # a word that merely contains 'None' is not a missing cell
    assert missing_cells("<table><tr><td>None of them</td><td>Nancy</td></tr></table>") == []


def test_the_check_catches_the_missing_values_the_notebooks_used_to_show():
    before = count_missing(plain_pandas_html)
    assert sum(before.values()) > 0 and before["evidence explorer: basics"] > 0
    assert sum(count_missing().values()) == 0


class _NoCapture:
    def readouterr(self):
        return None


def test_the_notebook_check_fails_on_a_table_with_missing_values(monkeypatch):
    monkeypatch.setattr(evidence, "evidence_html", plain_pandas_html)
    with pytest.raises(AssertionError, match="cells read"):
        test_every_table_a_notebook_shows_has_no_missing_value_text(NOTEBOOKS[0], monkeypatch, _NoCapture())


def test_the_formatter_shows_missing_values_as_a_dash():
    frame = pd.DataFrame({"text": ["x", None, "y"], "number": [1.5, float("nan"), 2.25],
                          "nullable": pd.array([1, None, 3], dtype="Int64"), "mixed": ["a", pd.NA, 3.0]})
    cells = cell_texts(evidence.evidence_html(frame))
    assert not missing_cells(evidence.evidence_html(frame))
    assert cells.count(evidence.MISSING) == 4
    assert cells[4:] == ["x", "1.50", "1", "a", "—", "—", "—", "—", "y", "2.25", "3", "3"]


def test_the_formatter_keeps_numbers_readable():
    frame = pd.DataFrame({"float noise": [3.0000001, 0.1 + 0.2], "whole floats": [185.0, 1200.0],
                          "small": [0.00012, 0.5], "negative zero": [-0.0, -0.001], "ints": [1, 20],
                          "large": [12345678.9, 2 / 3]})
    body = cell_texts(evidence.evidence_html(frame))[len(frame.columns):]
    assert body == ["3.0", "185", "0.00012", "0.000", "1", "12345679",
                    "0.3", "1200", "0.5", "-0.001", "20", "0.6667"]
    assert evidence.format_column([0.2, 0.75, None]) == ["0.20", "0.75", evidence.MISSING]  # shared decimals
    assert evidence.format_column([1e-9, float("inf"), pd.NaT, True]) == ["1e-09", "inf", evidence.MISSING, "True"]


def test_html_is_escaped_and_the_id_column_is_dropped():
    frame = pd.DataFrame({"id": ["row-1"], "Finding": ["<b>bold</b> & more"]})
    out = evidence.evidence_html(frame)
    assert "row-1" not in out and "&lt;b&gt;bold&lt;/b&gt; &amp; more" in out
    assert 'class="dataframe evidence-table"' in out


def test_show_table_and_html_table_use_the_formatter(monkeypatch):
    from helpers.view import display

    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    frame = pd.DataFrame({"x": [None, 1.0]})
    display.show_table(frame)
    assert evidence.evidence_html(frame) in shown[0].data  # inside a box that scrolls sideways (test_accessibility)
    assert ket_figures.html_table(frame).data == evidence.evidence_html(frame)
    assert not missing_cells(shown[0].data)


# --- every notebook table ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", NOTEBOOK_TABLES)
def test_notebook_table_has_no_missing_value_text(name):
    frame = NOTEBOOK_TABLES[name]()
    assert len(frame), f"{name}: empty table"
    out = evidence.evidence_html(frame)
    assert not missing_cells(out), f"{name}: cells read {missing_cells(out)}"
    assert len(cell_texts(out)) == (len(frame) + 1) * len(frame.columns.drop("id", errors="ignore"))


NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("0[1-9]_*.ipynb"))
SHOWS_A_TABLE = re.compile(r"\bshow_table\(|\bhtml_table\(|_explorer\(")


def _code_cells(path: Path) -> list[str]:
    return ["".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]


def _html_in(widget) -> list[str]:
    """The value of every ``ipywidgets.HTML`` in a widget tree (an explorer's table and notes)."""
    found = [widget.value] if isinstance(widget, widgets.HTML) else []
    for child in getattr(widget, "children", ()):
        found += _html_in(child)
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_table_a_notebook_shows_has_no_missing_value_text(path, monkeypatch, capsys):
    """Run each notebook cell that shows a table (show_table, html_table, an explorer) and read what it shows."""
    shown: list[tuple[str, str]] = []
    source = ""

    def record(frame):
        shown.append((source, evidence.evidence_html(frame)))

    monkeypatch.setattr(ket_figures, "html_table", record)
    cells = _code_cells(path)
    namespace: dict = {}
    first = next(i for i, c in enumerate(cells) if "from helpers import" in c and "objectives_markdown" not in c)
    for setup in cells[:first + 1]:  # the import cell (after the learning-objectives cell, which imports its own)
        run_cell(setup, namespace)
    namespace["show_table"] = record
    for source in cells[first + 1:]:
        if not SHOWS_A_TABLE.search(source):
            continue
        result = run_cell(source, namespace)
        shown += [(source, value) for value in _html_in(result) if "<table" in value]
    capsys.readouterr()
    assert shown, f"{path.name}: no table found"
    for where, table_html in shown:
        assert not missing_cells(table_html), f"{path.name} ({where}): cells read {missing_cells(table_html)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_table_is_printed_as_plain_text(path):
    for source in _code_cells(path):
        assert ".to_string(" not in source, f"{path.name}: a table printed as plain text: {source}"
        if re.search(r"\bshow_table\(|\bhtml_table\(", source):
            assert "NBVAL_CHECK_OUTPUT" not in source, f"{path.name}: a checked cell shows an HTML table: {source}"


# --- values the notebooks' table cells used to check with NBVAL_CHECK_OUTPUT ------------------------------

def _rows(frame: pd.DataFrame) -> list[list[str]]:
    """The table's body as a student reads it (formatted cell texts), row by row."""
    texts = cell_texts(evidence.evidence_html(frame))
    width = len(frame.columns.drop("id", errors="ignore"))
    return [texts[i:i + width] for i in range(width, len(texts), width)]


def test_01_occupancy_rule_values():
    table = occupancy.occupancy_rule_table()
    assert list(table.columns) == ["concentration (x Kd)", "occupied (%)"]
    assert table["concentration (x Kd)"].tolist() == [0.1, 1.0, 4.0, 9.0, 99.0]
    assert table["occupied (%)"].round(1).tolist() == [9.1, 50.0, 80.0, 90.0, 99.0]


def test_01_window_table_values():
    table = basics.window_table(occupancy.drugs_with_fit("D2"), "D2")
    assert list(table.columns) == ["drug", "plateau (%)", "studied (mg/day)", "clinical response (65%): dose, mg/day",
                                   "hyperprolactinaemia (72%): dose, mg/day",
                                   "extrapyramidal side effects (78%): dose, mg/day", "fit"]
    assert _rows(table) == [
        ["Risperidone", "91", "2-12", "2", "3", "4.8", "Kapur et al. 1999"],
        ["Olanzapine", "92", "5-60", "7.7", "12", "18", "Kapur et al. 1999"],
        ["Clozapine", "71", "75-900", "beyond studied", "never", "never", "Kapur et al. 1999"],
    ]


def test_02_affinity_overview_values():
    table = ketamine.affinity_overview()
    assert list(table.columns) == ["compound", "target", "measure", "value (uM)", "flag", "species", "source"]
    expected = [
        ("Ketamine (racemic)", "NMDA", "0.659", "", "Roth et al. 2013"),
        ("Ketamine (racemic)", "NMDA", "3.1", "", "Seeman et al. 2005"),
        ("Ketamine (racemic)", "NMDA", "0.5", "", "Kapur & Seeman 2002"),
        ("Esketamine", "NMDA", "0.3", "", "Ebert et al. 1997"),
        ("Arketamine", "NMDA", "1.4", "", "Ebert et al. 1997"),
        ("(S)-norketamine", "NMDA", "1.7", "", "Ebert et al. 1997"),
        ("(R)-norketamine", "NMDA", "13", "", "Ebert et al. 1997"),
        ("Ketamine (racemic)", "MOR", "41.7", "", "Hirota et al. 1999"),
        ("Ketamine (racemic)", "KOR", "28.2", "", "Hirota et al. 1999"),
        ("Ketamine (racemic)", "DOR", "269", "", "Hirota et al. 1999"),
        ("Ketamine (racemic)", "D2", "0.055", "contested", "Seeman et al. 2005"),
        ("Ketamine (racemic)", "D2", "0.5", "contested", "Kapur & Seeman 2002"),
    ]
    rows = _rows(table)
    assert [(r[0], r[1], r[3], r[4] if r[4] != evidence.MISSING else "", r[6]) for r in rows] == expected
    assert {r[2] for r in rows} == {"Ki"}
    assert rows[10][5] == "human (cloned D2)" and rows[7][5].startswith("recombinant receptor in CHO cells")


def test_02_exposure_table_values():
    table = ketamine.exposure_table()
    assert list(table.columns) == ["regimen", "statistic", "ng/mL", "uM", "source"]
    assert table["statistic"].tolist() == ["Cmax", "low", "high", "low", "high", "low", "high"]
    assert table["ng/mL"].tolist() == [185.0, 1200.0, 2400.0, 100.0, 250.0, 70.0, 160.0]
    assert table["uM"].round(2).tolist() == [0.78, 5.05, 10.10, 0.42, 1.05, 0.29, 0.67]
    assert table["regimen"].iloc[0] == "0.5 mg/kg IV over 40 min (antidepressant dose)"
    assert set(table["source"]) == {"Zanos et al. 2018"}
    assert [r[2:4] for r in _rows(table)][:3] == [["185", "0.78"], ["1200", "5.05"], ["2400", "10.10"]]


def test_03_affinity_summary_values():
    table = lithium.affinity_summary()
    assert list(table.columns) == ["target", "measure", "value", "mode", "species", "source"]
    assert [r[:3] + r[4:] for r in _rows(table)] == [
        ["IMPase", "IC50", "0.8 mM", "bovine", "Hallcher & Sherman 1980"],
        ["IMPase", "Ki", "0.5 mM", "rat;bovine;human", "Faraci et al. 1993"],
        ["GSK3B", "Ki", "2 mM", "not stated in abstract", "Klein & Melton 1996; Ryves & Harwood 2001"],
        ["BPNT1", "IC50", "0.3 mM", "human", "Yenush et al. 2000"],
    ]
    assert table["mode"].tolist()[:3] == ["uncompetitive (substrate)"] * 2 + ["competitive with Mg2+"]


def test_03_band_table_values():
    table = lithium.band_table()
    assert list(table.columns) == ["band", "range (mmol/L)", "what it is", "source"]
    assert [(b, r, s) for b, r, _, s in _rows(table)] == [
        ("lower target", "0.4-0.6", "Nolen et al. 2019"),
        ("standard target", "0.6-0.8", "Nolen et al. 2019"),
        ("upper target", "0.8-1", "Nolen et al. 2019"),
        ("elderly usual target", "0.4-0.6", "Nolen et al. 2019"),
        ("toxicity risk", ">= 1.5", "Ott et al. 2016"),
        ("observed in acute poisoning (IQR)", "1.7-3.3", "Waring et al. 2007"),
        ("observed in chronic poisoning (IQR)", "1.9-3.3", "Waring et al. 2007"),
        ("extracorporeal treatment recommended if kidney function impaired", "> 4", "Decker et al. 2015"),
        ("extracorporeal treatment suggested", "> 5", "Decker et al. 2015"),
    ]
    assert "majority view, not consensus" in table["what it is"].iloc[3]
    assert "not a threshold" in table["what it is"].iloc[5]


def test_03_inhibition_table_values():
    assert lithium.brain_serum_ratios()["label"].iloc[0] == "0.5 (average; Grandjean & Aubry 2009)"
    table = _lithium_inhibition()
    assert list(table.columns) == ["serum (mmol/L)", "brain (mM)", "IMPase inhibited (%)", "GSK-3beta inhibited (%)"]
    assert table["brain (mM)"].round(2).tolist() == [0.20, 0.30, 0.40, 0.50, 0.75]
    assert table["IMPase inhibited (%)"].round(1).tolist() == [16.7, 23.1, 28.6, 33.3, 42.9]
    assert table["GSK-3beta inhibited (%)"].round(1).tolist() == [9.1, 13.0, 16.7, 20.0, 27.3]


def test_03_clearance_table_values():
    table = lithium.clearance_table()
    assert list(table.columns) == ["situation", "change in steady-state level", "interval", "basis", "source"]
    none = "no interval reported (point estimate only; uncertainty not zero)"
    assert _rows(table) == [
        ["Thiazide diuretic (long-term)", "+32%", none, "derived from a measured fall in clearance",
         "Petersen et al. 1974"],
        ["ACE inhibitor (started in a patient stable on lithium)", "+36%", none, "measured level",
         "Finley et al. 1996"],
        ["NSAID: indomethacin", "+40%", none, "measured level", "Reimann et al. 1983"],
        ["NSAID: meloxicam 15 mg/day", "+21%", "+13% to +30% (90% CI of the group mean)", "measured level",
         "Turck et al. 2000"],
        ["Aspirin", "no change found (0%)", none, "measured level", "Reimann et al. 1983"],
    ]


def test_04_scenario_table_values():
    table = mediation.scenario_table()
    assert list(table.columns) == ["scenario", "true a×b", "estimated a×b", "95% CI", "naive r(M,Y)", "verdict"]
    assert _rows(table) == [
        ["true mediation", "0.25", "0.24", "0.21 to 0.27", "0.48", "Recovered"],
        ["true mediation, rated early", "0.25", "0.14", "0.12 to 0.17", "0.38", "Biased"],
        ["no mediation", "0.00", "0.00", "-0.003 to 0.001", "0.01", "Correct"],
        ["confounding", "0.00", "0.25", "0.21 to 0.29", "0.52", "Misleading"],
        ["reverse, rated late", "0.00", "0.25", "0.20 to 0.29", "0.73", "Misleading"],
        ["reverse, rated early", "0.00", "0.00", "-0.01 to 0.00", "0.09", "Correct"],
        ["mediator unaffected by therapy", "0.00", "-0.02", "-0.05 to 0.01", "0.44", "Correct"],
    ]


if __name__ == "__main__":
    renders = (("before (pandas' own HTML)", plain_pandas_html), ("now (evidence_html)", evidence.evidence_html))
    for label, render in renders:
        counts = count_missing(render)
        print(f"{label}:")
        for name, n in counts.items():
            if n:
                print(f"{n:6d}  {name}")
        tables = sum(1 for n in counts.values() if n)
        print(f"{sum(counts.values()):6d}  cells reading None/nan/NaN/<NA>/NaT in {tables} of {len(counts)} tables")


def test_words_are_left_aligned_and_numbers_right_aligned():
    frame = pd.DataFrame({"Finding": ["a long sentence"], "n": [234], "g": [-1.0], "blinded": [True]})
    out = evidence.evidence_html(frame)
    assert out.count('<td style="text-align: left">') == 2  # the finding and the yes/no column
    assert out.count('<td style="text-align: right">') == 2
    assert '<th style="text-align: left">Finding</th>' in out and '<th style="text-align: right">n</th>' in out
