"""Each live figure owns its update: the widgets never index traces or layout items by number.

Which trace is which is known only next to the figure's builder, in ``themes/<theme>/figures.py``; the
builder's ``update_<figure>(fig, ...state...)`` puts a new state into an existing figure, and the widgets call
it. Two checks keep it so:

1. Every ``themes/*/widgets.py`` is parsed, and any subscript of an attribute named ``data``, ``shapes`` or
   ``annotations`` (``fig.data[0]``, ``demo.figure.data[-1]``, ``fig.layout.shapes[0]``) fails the test.
2. Each ``update_<figure>`` is run from one state to another and must give the figure the builder draws for
   the new state (its data, and the layout the update changes): builder and update cannot drift apart.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import math
from pathlib import Path

import numpy as np
import pytest

from helpers.themes.antipsychotics import figures as antipsychotics
from helpers.themes.basics import figures as basics
from helpers.themes.basics import model as basics_model
from helpers.themes.ketamine import figures as ketamine
from helpers.themes.ketamine import model as ket
from helpers.themes.lithium import figures as lithium
from helpers.themes.lithium import model as li
from helpers.themes.pharmacogenomics import figures as pgx
from helpers.themes.psychotherapy import figures as psychotherapy
from helpers.themes.psychotherapy import mediation
from helpers.themes.psychotherapy import model as psychotherapy_model
from helpers.themes.timecourse import figures as timecourse
from helpers.themes.timecourse import model as timecourse_model
from helpers.view.figure_widget import FigureWidget

ROOT = Path(__file__).resolve().parent.parent
THEMES = sorted(p.parent.name for p in (ROOT / "helpers" / "themes").glob("*/figures.py"))
WIDGET_MODULES = sorted((ROOT / "helpers" / "themes").glob("*/widgets.py"))
INDEXED = frozenset({"data", "shapes", "annotations"})


# --- 1. No widget module indexes a figure's traces, shapes or annotations ------------------------------

def indexed_figure_parts(source: str) -> list[str]:
    """Each subscript of an attribute named data, shapes or annotations in ``source``, as 'line: code'."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr in INDEXED:
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def test_there_are_widget_modules_to_check():
    assert {p.parent.name for p in WIDGET_MODULES} >= {"basics", "ketamine", "lithium", "psychotherapy"}


@pytest.mark.parametrize("path", WIDGET_MODULES, ids=lambda p: p.parent.name)
def test_widgets_never_index_traces_or_layout_items(path):
    found = indexed_figure_parts(path.read_text(encoding="utf-8"))
    assert not found, (f"{path.relative_to(ROOT)} indexes figure parts by number; call the figure module's "
                       f"update_<figure> instead: {found}")


@pytest.mark.parametrize("snippet", [
    "fig.data[0].y = 1",
    "demo.figure.data[-1].update(x=[1])",
    "fig.layout.shapes[0].y0 = fig.layout.shapes[0].y1 = 2",
    "label = fig.layout.annotations[0]",
    "for t in demo.figure.data[:6]:\n    t.x = []",
])
def test_the_checker_catches_indexed_figure_parts(snippet):
    assert indexed_figure_parts(snippet)


def test_the_checker_leaves_other_subscripts_alone():
    assert indexed_figure_parts('x = controls["dose"].value\nrows = data.table("a")[0]\nfig.data\n') == []


# --- 2. update_<figure> gives the figure its builder draws for the new state ---------------------------

def _mediation_result(a: float, n: int, seed: int):
    return mediation.estimate(mediation.Scenario(a, 0.5, 0.2, 0.0, 0.0, "middle (session 5)", n, seed))


def _cases():
    """(update function, builder, builder arguments before, arguments after, update's own keywords, layout
    paths the update changes). The update gets the figure and the 'after' arguments (and the keywords)."""
    drugs, targets = ["citalopram", "fluoxetine", "sertraline"], ["SERT", "NET", "DAT", "H1"]
    d2 = ["clozapine", "olanzapine", "risperidone"]
    per_cup = 5000.0
    serum_ratio = float(li.brain_serum_ratios()["value"].iloc[0])
    serum_ratio_2 = float(li.brain_serum_ratios()["value"].iloc[-1])
    factors = list(li.clearance_factors()["factor"])
    chain_layout = ketamine.chain_layout()
    blockers = list(ket.interventions().index)
    effects = list(psychotherapy_model.effect_sizes()["label"])
    hypotheses = list(li.HYPOTHESES)
    return [
        ("ligand: concentration, Kd, basal", basics.update_ligand_figure, basics.ligand_figure,
         ("full agonist", 10.0, 10.0, 10.0, 0.1), ("full agonist", 30.0, 10.0, 300.0, 0.3), {},
         ["title", "shapes", "annotations"]),
        ("ligand: type", basics.update_ligand_figure, basics.ligand_figure,
         ("full agonist", 10.0, 10.0, 10.0, 0.1), ("inverse agonist", 10.0, -1.0, 1000.0, 0.2), {},
         ["title", "shapes", "annotations"]),
        ("antagonist", basics.update_antagonist_shift_figure, basics.antagonist_shift_figure,
         (100.0, 10.0, 10.0, 1.0), (100.0, 10.0, 1000.0, 3.0), {}, ["title"]),
        ("antagonist: none", basics.update_antagonist_shift_figure, basics.antagonist_shift_figure,
         (100.0, 10.0, 10.0, 1.0), (100.0, 10.0, 0.0, 1.0), {}, ["title"]),
        ("selectivity: fewer targets", basics.update_selectivity_figure, basics.selectivity_figure,
         (drugs, targets, 10.0), (drugs, targets, 300.0, False, ["NET", "H1"]),
         {"inputs": basics_model.selectivity_inputs(tuple(drugs), tuple(targets))}, ["title", "height", "xaxis"]),
        ("selectivity: no inputs given", basics.update_selectivity_figure, basics.selectivity_figure,
         (drugs, targets, 10.0, False, ["SERT"]), (drugs, targets, 3.0), {}, ["title", "height", "xaxis"]),
        ("selectivity: no target shown", basics.update_selectivity_figure, basics.selectivity_figure,
         (drugs, targets, 10.0), (drugs, targets, 10.0, False, []), {}, ["title", "xaxis"]),
        ("dose: new drug", basics.update_dose_occupancy_figure, basics.dose_occupancy_figure,
         (d2, "D2", d2[0], 4.0), (d2, "D2", d2[1], 0.0), {}, ["title"]),
        ("dose: dose only", basics.update_dose_occupancy_figure, basics.dose_occupancy_figure,
         (d2, "D2", d2[1], 4.0), (d2, "D2", d2[1], 1.5), {"selection_changed": False}, ["title"]),
        ("profile", basics.update_profile_figure, basics.profile_figure,
         ("ketamine", 1000.0, "1 units"), ("ketamine", 7500.0, "7.5 units"), {}, ["title"]),
        ("profile: contested values shown", basics.update_profile_figure, basics.profile_figure,
         ("ketamine", 1000.0, "1 units"), ("ketamine", 2000.0, "2 units", True), {}, ["title"]),
        ("selectivity: contested values shown", basics.update_selectivity_figure, basics.selectivity_figure,
         (["aripiprazole", "citalopram"], ["H1", "SERT"], 10.0), (["aripiprazole", "citalopram"], ["H1", "SERT"], 30.0, True),
         {}, ["title", "height", "xaxis"]),
        ("caffeine", basics.update_caffeine_figure, basics.caffeine_figure,
         (per_cup, 1.0), (per_cup, 7.5), {}, ["title", "yaxis"]),
        ("saturation", basics.update_saturation_figure, basics.saturation_figure, (4.0,), (0.5,), {}, ["title"]),
        ("ketamine targets: new compound", ketamine.update_target_figure, ketamine.target_figure,
         ("ketamine", 200.0), ("arketamine", 3000.0), {}, ["title"]),
        ("ketamine targets: level only", ketamine.update_target_figure, ketamine.target_figure,
         ("esketamine", 200.0), ("esketamine", 3000.0), {"compound_changed": False}, ["title"]),
        ("ketamine targets: contested values shown", ketamine.update_target_figure, ketamine.target_figure,
         ("ketamine", 200.0, False), ("ketamine", 3000.0, True), {}, ["title"]),
        ("ketamine targets: contested values hidden again", ketamine.update_target_figure, ketamine.target_figure,
         ("ketamine", 200.0, True), ("ketamine", 900.0, False), {}, ["title"]),
        ("ketamine chains", ketamine.update_chain_figure, ketamine.chain_figure,
         (set(), chain_layout), (ket.cut_steps(blockers[:2]), chain_layout), {}, ["title", "annotations"]),
        ("ketamine chains: default layout", ketamine.update_chain_figure, ketamine.chain_figure,
         (ket.cut_steps(blockers[:1]),), (ket.cut_steps(blockers[-1:]),), {}, ["title", "annotations"]),
        ("lithium inhibition", lithium.update_inhibition_figure, lithium.inhibition_figure,
         (0.7, serum_ratio, 1.0, 1.0), (1.6, serum_ratio_2, 3.0, 2.0), {}, ["title"]),
        ("lithium inhibition: serum only", lithium.update_inhibition_figure, lithium.inhibition_figure,
         (0.7, serum_ratio, 1.0, 1.0), (0.05, serum_ratio, 1.0, 1.0), {"curves_changed": False}, ["title"]),
        ("lithium steady state", lithium.update_steady_state_figure, lithium.steady_state_figure,
         (900.0, 25.0, []), (2400.0, 10.0, factors[:2]), {}, ["title", "xaxis"]),
        ("lithium hypotheses", lithium.update_hypothesis_figure, lithium.hypothesis_figure,
         (None,), ([hypotheses[1]],), {}, ["title", "height"]),
        ("lithium hypotheses: all again", lithium.update_hypothesis_figure, lithium.hypothesis_figure,
         ([hypotheses[0]],), (None,), {}, ["title", "height"]),
        ("forest: some factors", psychotherapy.update_forest_figure, psychotherapy.forest_figure,
         (None,), (effects[1:3],), {}, ["title"]),
        ("forest: none", psychotherapy.update_forest_figure, psychotherapy.forest_figure,
         (effects[:2],), ([],), {}, ["title"]),
        ("mediation", psychotherapy.update_mediation_figure, psychotherapy.mediation_figure,
         (_mediation_result(0.5, 500, 2026),), (_mediation_result(1.5, 80, 7),), {},
         ["xaxis", "yaxis", "xaxis2", "yaxis2", "annotations"]),
        ("scorecard", psychotherapy.update_scorecard_figure, psychotherapy.scorecard_figure,
         ("psychotherapy",), ("lithium",), {}, ["title", "shapes"]),
        ("scorecard: from none", psychotherapy.update_scorecard_figure, psychotherapy.scorecard_figure,
         (None,), ("ssri",), {}, ["title", "shapes"]),
        ("antipsychotics fingerprint", antipsychotics.update_fingerprint_figure, antipsychotics.fingerprint_figure,
         ("olanzapine", 0.7), ("aripiprazole", 0.05, ["D2", "H1"]), {}, []),
        ("antipsychotics fingerprint: all off, then a new drug", antipsychotics.update_fingerprint_figure,
         antipsychotics.fingerprint_figure, ("haloperidol", 0.7, []), ("clozapine", 0.95), {}, []),
        ("antipsychotics association", antipsychotics.update_association_figure, antipsychotics.association_figure,
         ("weight gain", "H1"), ("prolactin rise", "D2"), {}, []),
        ("antipsychotics association: receptor only", antipsychotics.update_association_figure,
         antipsychotics.association_figure, ("movement side effects", "alpha1"), ("movement side effects", "muscarinic"),
         {}, []),
        ("time course: schedule", timecourse.update_schedule_figure, timecourse.schedule_figure,
         (timecourse_model.short_option(), timecourse_model.SCHEDULES[0], 4.0),
         (list(timecourse_model.half_life_options()["label"])[-1], timecourse_model.SCHEDULES[2], 0.5), {}, ["title"]),
        ("time course: missed dose, dose only", timecourse.update_schedule_figure, timecourse.schedule_figure,
         (timecourse_model.short_option(), timecourse_model.SCHEDULES[1], 4.0),
         (timecourse_model.short_option(), timecourse_model.SCHEDULES[1], 12.0), {"curves_changed": False},
         ["title"]),
        ("time course: clocks", timecourse.update_clocks_figure, timecourse.clocks_figure, (10.0,), (28.0,), {},
         ["title"]),
        ("time course: clocks, fast", timecourse.update_clocks_figure, timecourse.clocks_figure, (28.0,), (1.0,), {},
         ["title"]),
        ("time course: taper, more steps", timecourse.update_taper_figure, timecourse.taper_figure, (4.0, 4),
         (20.0, 10), {}, ["xaxis", "xaxis2"]),
        ("time course: taper, start only", timecourse.update_taper_figure, timecourse.taper_figure, (4.0, 4),
         (1.5, 4), {}, ["xaxis", "xaxis2"]),
        ("pharmacogenomics genotype: new gene", pgx.update_genotype_figure, pgx.genotype_figure,
         ("CYP2D6", "*1", "*41"), ("CYP2C19", "*2", "*17"), {}, ["title"]),
        ("pharmacogenomics genotype: duplication", pgx.update_genotype_figure, pgx.genotype_figure,
         ("CYP2D6", "*4", "*4"), ("CYP2D6", "*1", "*2x2"), {}, ["title"]),
        ("pharmacogenomics exposure: new group", pgx.update_exposure_figure, pgx.exposure_figure,
         (4.0, "Null/Null"), (0.25, "*17/*17"), {}, []),
        ("pharmacogenomics exposure: exposure only", pgx.update_exposure_figure, pgx.exposure_figure,
         (4.0, "Null/*1"), (10.0, "Null/*1"), {}, []),
    ]


CASES = _cases()


def _plain(value):
    """JSON-like value with arrays as lists and NaN as a marker, so two figures compare with ==."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "uid"}  # a FigureWidget names its traces
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    return value


def _layout_part(fig, path: str):
    return _plain(fig.to_plotly_json()["layout"].get(path))


def _updated(kind: str, builder, update, before, after, keywords):
    """The figure built for ``before``, then updated to ``after``: a plotly Figure, or a live FigureWidget
    updated as a demo does it (inside its batch)."""
    if kind == "Figure":
        fig = builder(*before)
        update(fig, *after, **keywords)
    else:
        fig = FigureWidget(builder(*before))
        with fig.batch_redraw():
            update(fig, *after, **keywords)
    return fig


@pytest.mark.parametrize("kind", ["Figure", "FigureWidget"])
@pytest.mark.parametrize("name, update, builder, before, after, keywords, layout_parts", CASES,
                         ids=[case[0] for case in CASES])
def test_update_gives_the_figure_the_builder_draws(kind, name, update, builder, before, after, keywords,
                                                   layout_parts):
    fresh = builder(*after)
    updated = _updated(kind, builder, update, before, after, keywords)
    assert _plain(updated.to_plotly_json()["data"]) == _plain(fresh.to_plotly_json()["data"])
    for part in layout_parts:
        assert _layout_part(updated, part) == _layout_part(fresh, part), part
    # the case is a real change: the figure before differs from the one after
    assert _plain(builder(*before).to_plotly_json()) != _plain(fresh.to_plotly_json())


def test_updated_figures_keep_their_whole_layout_where_nothing_else_depends_on_the_state():
    """The update touches no layout item the builder would draw differently (whole layouts compared)."""
    for name, update, builder, before, after, keywords, _ in CASES:
        updated = _updated("Figure", builder, update, before, after, keywords)
        assert _plain(updated.to_plotly_json()["layout"]) == _plain(builder(*after).to_plotly_json()["layout"]), name


def test_every_update_function_is_tested_and_documented():
    tested = {update for _, update, *_ in CASES}
    for theme in THEMES:
        module = importlib.import_module(f"helpers.themes.{theme}.figures")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("update_") and function.__module__ == module.__name__:
                assert function in tested, f"{theme}.figures.{name} has no case in this file"
                doc = function.__doc__ or ""
                assert "Parameters\n    ----------" in doc and "Changes" in doc, f"{theme}.figures.{name}: document it"
                builder = name.removeprefix("update_")
                assert hasattr(module, builder), f"{theme}.figures.{name} has no builder {builder}()"


def test_selectivity_update_without_targets_switches_every_cell_off():
    drugs, targets = ["citalopram", "sertraline"], ["SERT", "NET"]
    fig = FigureWidget(basics.selectivity_figure(drugs, targets, 10.0))
    with fig.batch_redraw():
        basics.update_selectivity_figure(fig, drugs, targets, 10.0, shown=[])
    assert fig.last_redraw == "quick"  # a toggle changes trace data only
    cells = [text for t in fig.data if t.name in ("cells without data", "cell texts") for text in t.text]
    assert cells == [basics.SELECTIVITY_OFF_CELL] * 4
    assert next(t for t in fig.data if t.name == "header").text == (basics.SELECTIVITY_EMPTY_TITLE,)
    assert set(next(t for t in fig.data if t.name == "cells").marker.color) == {basics.UNCOLOURED}
    with fig.batch_redraw():
        basics.update_selectivity_figure(fig, drugs, targets, 10.0)  # and back
    assert fig.last_redraw == "quick"
    assert _plain(fig.to_plotly_json()) == _plain(basics.selectivity_figure(drugs, targets, 10.0).to_plotly_json())


def test_a_dose_step_sends_only_point_data():
    """The update sets the same properties the widget set before it existed: a dose step stays quick."""
    d2 = ["olanzapine", "risperidone"]
    fig = FigureWidget(basics.dose_occupancy_figure(d2, "D2", d2[0], 4.0))
    with fig.batch_redraw():
        basics.update_dose_occupancy_figure(fig, d2, "D2", d2[0], 2.0, selection_changed=False)
    assert fig.last_redraw == "quick"
    with fig.batch_redraw():
        basics.update_dose_occupancy_figure(fig, d2, "D2", d2[1], 2.0)
    assert fig.last_redraw == "full"  # a new highlighted curve is a style change


def test_caffeine_level_is_one_function():
    assert basics_model.peak_caffeine_uM(5000.0, 3) == 15.0
    fig = basics.caffeine_figure(5000.0, 3)
    assert list(fig.data[1].y) == [15.0] and fig.data[1].text == ("15 µM",)


def test_the_dose_demo_and_its_static_version_start_at_the_same_dose():
    from helpers.build import custom_fallbacks
    from helpers.core import occupancy
    from helpers.themes.basics import widgets

    drugs = occupancy.drugs_with_fit("D2")
    demo = widgets.dose_explorer("D2", drugs)
    start = basics_model.start_dose(drugs[0], "D2")
    assert start == 4 * occupancy.occupancy_fit(drugs[0], "D2")["ed50"]
    assert demo.controls["dose"].value == pytest.approx(start, abs=1e-3)
    static = custom_fallbacks.dose_explorer("D2", drugs).figure
    for drug, slider in zip(drugs, static.layout.sliders):  # each drug's slider starts nearest its start dose
        doses = [float(step.label) for step in slider.steps]
        nearest = min(doses, key=lambda dose: abs(dose - basics_model.start_dose(drug, "D2")))
        assert doses[slider.active] == nearest, drug


def test_the_comparison_sees_a_different_state():
    """Sanity check of the comparison itself: an update to another state is seen as different."""
    a, b = basics.saturation_figure(4.0), basics.saturation_figure(4.0)
    assert _plain(a.to_plotly_json()) == _plain(b.to_plotly_json())
    basics.update_saturation_figure(b, 5.0)
    assert _plain(a.to_plotly_json()["data"]) != _plain(b.to_plotly_json()["data"])
    assert _plain([float("nan"), np.array([1.0])]) == ["NaN", [1.0]]
