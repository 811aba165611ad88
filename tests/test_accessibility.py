"""Accessibility that can be checked without a browser (the axe-core checks run in tests/test_site.py and
tests/test_browser.py).

Every numbered notebook's code cells are run in this process, as Jupyter runs them, with every figure builder
(each ``*_figure`` function of ``helpers/themes/*/figures.py``) wrapped so that the figures the notebooks show
in their default state are collected. On those:

- no text is smaller than 12 px: every explicit font size (annotations, bar and heatmap text, tick labels,
  legends, titles) and the in-between labels of log axes, which plotly writes at 3/4 of the tick size;
- every figure whose hover text cites a source lists its sources as visible text under it;
- every demo's "What the figure shows" line is a live region (``role="status"``, ``aria-live="polite"``) that
  stays in the page while its text changes, so screen readers announce the new sentence.
"""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path

import ipywidgets as widgets
import plotly.graph_objects as go
import pytest
from conftest import run_cell

from helpers.view import display
from helpers.view.demo import Demo, EvidenceDemo
from helpers.view.display import LiveDescription, figure_sources

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
FIGURE_MODULES = sorted(f"helpers.themes.{p.parent.name}.figures"
                        for p in (ROOT / "helpers" / "themes").glob("*/figures.py"))
MIN_PX = 12
PLOTLY_DEFAULT_PX = 12  # plotly's own font size where a figure sets none
LOG_MINOR_SCALE = 0.75  # plotly draws a log axis's "2" and "5" labels at this fraction of the tick font
# The figures the teaching review found citing their sources on hover only (each must now list them as text).
HOVER_ONLY_SOURCES = {"helpers.themes.basics.figures.selectivity_figure",
                      "helpers.themes.basics.figures.dose_occupancy_figure",
                      "helpers.themes.basics.figures.measured_occupancy_figure",
                      "helpers.themes.ketamine.figures.target_figure",
                      "helpers.themes.lithium.figures.forest_figure",
                      "helpers.themes.lithium.figures.hypothesis_figure"}


# --- font sizes ------------------------------------------------------------------------------------

def _sizes(value) -> list[float]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [float(value)]
    if isinstance(value, (list, tuple)):
        return [float(v) for v in value if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return []


def small_text(fig: go.Figure) -> list[str]:
    """Where ``fig`` sets text below 12 px: 'path: size' for every font (any key ending in 'font': font,
    textfont, tickfont, insidetextfont, ...) with a smaller explicit size, and every log axis whose in-between
    labels (3/4 of its tick size) come out smaller."""
    spec = fig.to_plotly_json()
    found = []

    def walk(value, path: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                where = f"{path}.{key}" if path else key
                if key.endswith("font") and isinstance(item, dict):
                    found.extend(f"{where}.size: {s:g} px" for s in _sizes(item.get("size")) if s < MIN_PX)
                walk(item, where)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]")

    walk(spec, "")
    layout = spec.get("layout", {})
    base = float(layout.get("font", {}).get("size", PLOTLY_DEFAULT_PX))
    for name, axis in layout.items():
        if name[:5] in ("xaxis", "yaxis") and isinstance(axis, dict) and axis.get("type") == "log":
            tick = float(axis.get("tickfont", {}).get("size", base))
            if tick * LOG_MINOR_SCALE < MIN_PX:
                found.append(f"layout.{name}: log axis in-between labels at {tick * LOG_MINOR_SCALE:g} px "
                             f"(tick font {tick:g} px)")
    return found


def test_small_text_finds_each_kind_of_small_font():
    fig = go.Figure(go.Bar(x=[1, 2], y=[1, 2], text=["a", "b"], textfont=dict(size=[13, 10])))
    fig.add_annotation(text="label", x=1, y=1, font=dict(size=11))
    fig.update_xaxes(type="log", tickfont=dict(size=15))
    fig.update_yaxes(tickfont=dict(size=9))
    found = small_text(fig)
    assert any("textfont.size: 10 px" in f for f in found)
    assert any("annotations[0].font.size: 11 px" in f for f in found)
    assert any("yaxis.tickfont.size: 9 px" in f for f in found)
    assert any("layout.xaxis: log axis" in f for f in found)
    fine = go.Figure(go.Bar(x=[1], y=[1], textfont=dict(size=12)))
    fine.update_xaxes(type="log", tickfont=dict(size=16))
    assert small_text(fine) == []


# --- the notebooks' figures and widgets ------------------------------------------------------------

def _builders() -> dict[str, tuple[object, str]]:
    """Every figure builder: 'module.name' -> (module, name)."""
    found = {}
    for module_name in FIGURE_MODULES:
        module = importlib.import_module(module_name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.endswith("_figure") and not name.startswith("update_") and function.__module__ == module_name:
                found[f"{module_name}.{name}"] = (module, name)
    return found


@pytest.fixture(scope="module")
def shown():
    """(figures: [(notebook, builder, figure)], widgets: [(notebook, cell source, widget)]) from running every
    numbered notebook's code cells with each figure builder recording what it returns."""
    figures: list[tuple[str, str, go.Figure]] = []
    results: list[tuple[str, str, object]] = []
    patch = pytest.MonkeyPatch()
    current = {"notebook": ""}

    def recording(key, function):
        def wrapper(*args, **kwargs):
            fig = function(*args, **kwargs)
            figures.append((current["notebook"], key, go.Figure(fig)))
            return fig
        return wrapper

    for key, (module, name) in _builders().items():
        patch.setattr(module, name, recording(key, getattr(module, name)))
    try:
        for path in NOTEBOOKS:
            current["notebook"] = path.name
            namespace: dict = {"__name__": "__main__"}
            cells = [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
            for cell in cells:
                source = "".join(cell["source"])
                value = run_cell(source, namespace)
                if isinstance(value, widgets.Widget):
                    results.append((path.name, source, value))
    finally:
        patch.undo()
    return figures, results


# Builders no notebook calls at present, with the arguments of a typical call (their figures are checked too).
NOT_IN_A_NOTEBOOK = {"helpers.themes.basics.figures.profile_figure": ("ketamine", 1000.0, "1 unit")}


def _all_figures(shown) -> list[tuple[str, str, go.Figure]]:
    figures, _ = shown
    builders = _builders()
    extra = [("(no notebook)", key, getattr(*builders[key])(*args)) for key, args in NOT_IN_A_NOTEBOOK.items()]
    return figures + extra


def test_every_figure_builder_is_checked(shown):
    seen = {key for _, key, _ in _all_figures(shown)}
    missing = sorted(set(_builders()) - seen)
    assert not missing, (f"figure builders no notebook calls: {missing}; add a typical call to NOT_IN_A_NOTEBOOK "
                         "so their text is checked")


def test_no_figure_text_is_smaller_than_12_px(shown):
    figures = _all_figures(shown)
    problems = [f"{nb} {key.rsplit('.', 2)[-2]}.{key.rsplit('.', 1)[-1]}: {p}"
                for nb, key, fig in figures for p in small_text(fig)]
    assert not problems, "text under 12 px (too small to project):\n" + "\n".join(sorted(set(problems)))


def _tree(widget) -> list:
    found = [widget]
    for child in getattr(widget, "children", ()):
        found += _tree(child)
    return found


def _figures_in(widget) -> list[go.FigureWidget]:
    return [w for w in _tree(widget) if isinstance(w, go.FigureWidget)]


def test_each_figure_lists_the_sources_it_cites_as_text(shown):
    """A figure that names sources in its hover text (or anywhere) has a visible 'Sources:' line beside it."""
    _, results = shown
    checked = 0
    for nb, source, widget in results:
        texts = " ".join(w.value for w in _tree(widget) if isinstance(w, widgets.HTML) and "Sources:" in w.value)
        for fig in _figures_in(widget):
            cited = figure_sources(fig)
            missing = [c for c in cited if display.html.escape(c) not in texts]
            assert not missing, f"{nb}: {source.strip()!r}: sources only on hover: {missing}"
            checked += bool(cited)
    assert checked >= len(HOVER_ONLY_SOURCES), f"only {checked} figures with sources were found"


def test_the_figures_with_hover_only_sources_now_cite_them(shown):
    figures, _ = shown
    cited = {key for _, key, fig in figures if figure_sources(fig)}
    assert HOVER_ONLY_SOURCES <= cited, f"no sources found in: {sorted(HOVER_ONLY_SOURCES - cited)}"


def test_figure_sources_reads_citations_from_the_data_not_the_figure(monkeypatch):
    from helpers.core import evidence

    keys = ("smith2001", "jones2001", "smith2001b")
    names = {"smith2001": "Smith 2001", "jones2001": "Jones & Smith 2001", "smith2001b": "Smith 2001b"}
    monkeypatch.setattr(display.data, "load_all", lambda: {"references": __import__("pandas").DataFrame({"key": keys})})
    monkeypatch.setattr(evidence, "citation", lambda key: names[key])
    display._citations.cache_clear()
    try:
        fig = go.Figure(go.Scatter(x=[1], y=[1], hovertemplate="fit: Jones & Smith 2001; measured: Smith 2001b, "
                                                               "Smith 2001 and Smith 20011<extra></extra>"))
        # In the order they appear; 'Smith 2001' only where it stands alone (not inside 'Jones & Smith 2001',
        # 'Smith 2001b' or 'Smith 20011').
        assert figure_sources(fig) == ["Jones & Smith 2001", "Smith 2001b", "Smith 2001"]
        assert "Sources:</b> Jones &amp; Smith 2001; Smith 2001b; Smith 2001." in display.sources_html(fig)
        assert figure_sources(go.Figure(go.Scatter(x=[1], y=[1], name="Smith 20011"))) == []
        assert display.sources_html(go.Figure()) == ""
    finally:
        display._citations.cache_clear()


# --- the live description ---------------------------------------------------------------------------

def test_the_description_is_one_live_region_that_stays_in_the_page():
    esm = LiveDescription._esm
    assert 'setAttribute("aria-live", "polite")' in esm and 'setAttribute("role", "status")' in esm
    # created once in render(); on a change only its content is replaced, so the region itself stays
    assert esm.count('document.createElement("div")') == 1
    assert 'model.on("change:value"' in esm and "region.innerHTML" in esm


def test_every_demo_in_the_notebooks_announces_its_description(shown):
    _, results = shown
    demos = [(nb, w) for nb, _, widget in results for w in _tree(widget) if isinstance(w, (Demo, EvidenceDemo))]
    assert len({nb for nb, _ in demos}) >= 4, "demos not found in the themed notebooks"
    for nb, demo in demos:
        assert isinstance(demo.description, LiveDescription), f"{nb}: {type(demo).__name__} description is not live"
        assert demo.description.value, f"{nb}: a demo starts with an empty description"


def test_a_wide_table_scrolls_in_a_box_the_keyboard_reaches(monkeypatch):
    """JupyterLab scrolls a too-wide output sideways in a box that Tab never reaches (axe:
    scrollable-region-focusable, seen with 03's evidence table); show_table gives the table its own box."""
    import pandas as pd

    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    display.show_table(pd.DataFrame({"Finding": ["a"], "Source": ["b"]}))
    head = shown[0].data.split("<table", 1)[0]
    assert 'tabindex="0"' in head and 'role="region"' in head and "aria-label=" in head
    assert "overflow-x: auto" in head
