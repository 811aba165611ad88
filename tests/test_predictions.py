"""Predict, then reveal (data/predictions, helpers.core.predictions, helpers.view.predict).

- the table loads, and malformed rows are refused with where and why;
- every stored answer is recomputed from the model functions (or the evidence rows) at the state the question
  describes, and the numbers its prompt states are checked against the same computation;
- the widget flow, driven from Python: the explanation is hidden until a prediction is committed and the move
  is made; then the explanation and one feedback line (✔ or ✘ with the chosen option's feedback) appear;
  teacher mode shows the plain demo; a predicted demo draws exactly what the plain demo draws;
- every notebook call with ``predict=`` names a prediction of that demo, each themed notebook has one, and
  the static site calls the kernel-free fallback without the keyword.
"""

from __future__ import annotations

import ast
import dataclasses
import html
import importlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import ipywidgets as ipw
import numpy as np
import pandas as pd
import plotly.utils
import pytest

from helpers import registry
from helpers.core import data
from helpers.core.pharmacology import fitted_occupancy
from helpers.core.predictions import (
    _from_row,
    parse_assignments,
    parse_value,
    prediction,
    predictions,
)
from helpers.view import predict as predict_view

ROOT = Path(__file__).resolve().parents[1]
ALL = predictions()
IDS = list(ALL["id"])


def factory(row):
    return getattr(importlib.import_module(f"helpers.themes.{row.theme}.widgets"), row.demo)


def build(prediction_id: str | None, row=None):
    row = row or prediction(prediction_id)
    return factory(row)(predict=prediction_id)


def named_controls(demo) -> dict:
    named = {n: w for n, w in demo.controls.items() if not isinstance(w, ipw.Box) and hasattr(w, "value")}
    named.update(getattr(demo, "toggles", None) or {})
    return named


def question_state(row) -> tuple[dict, dict]:
    """The demo's control values in the question's start state (its defaults + setup), and after the move."""
    start = {n: w.value for n, w in named_controls(build(None, row)).items()}
    start.update(row.setup)
    after = dict(start)
    after[row.move[0]] = row.move[1]
    return start, after


# --- The table ---------------------------------------------------------------------------------------------

def test_table_has_the_documented_columns_and_one_file_per_theme():
    assert {"theme", "id", "demo", "prompt", "options", "answer", "feedback", "setup", "move",
            "move_text"} <= set(ALL.columns)
    assert ALL["id"].is_unique
    for _, row in ALL.iterrows():
        assert isinstance(row.options, list) and len(row.options) == len(row.feedback) >= 2
        assert 0 <= row.answer < len(row.options)
        assert row.demo in registry.theme(row.theme).demos, f"{row.id}: {row.demo} is not a demo of {row.theme}"
    for path in (ROOT / "data" / "predictions").glob("*.csv"):
        assert path.stem in registry.THEME_KEYS


def test_each_themed_notebook_has_a_prediction():
    assert set(ALL["theme"]) == set(registry.THEME_KEYS)


def test_right_options_are_not_given_away_by_position_or_length():
    positions = list(ALL["answer"])
    assert len(set(positions)) >= 3, f"right options sit at too few positions: {positions}"
    longest = sum(len(r.options[r.answer]) == max(map(len, r.options)) for _, r in ALL.iterrows())
    assert longest <= len(ALL) // 2, f"the right option is the longest in {longest} of {len(ALL)} questions"


def test_parsing_setup_and_move():
    assert parse_assignments("a=0.5;kind=full agonist;on=true;n=5000") == {
        "a": 0.5, "kind": "full agonist", "on": True, "n": 5000}
    assert parse_assignments("") == {} and parse_assignments(None) == {}
    assert parse_value("False") is False and isinstance(parse_value("10"), int)
    with pytest.raises(ValueError, match="control=value"):
        parse_assignments("a")
    with pytest.raises(ValueError, match="set twice"):
        parse_assignments("a=1;a=2")


def _raw(**changes) -> pd.Series:
    good = data.load_all()["predictions"].iloc[0].to_dict()
    good.update(changes)
    return pd.Series(good)


@pytest.mark.parametrize("changes, message", [
    ({"answer": 9}, "not an option index"),
    ({"feedback": "only one line"}, "one feedback line per option"),
    ({"options": "just one"}, "at least two"),
    ({"options": "same;same", "feedback": "a;b", "answer": 0}, "two options are the same"),
    ({"move": "a=1;b=2"}, "exactly one control"),
    ({"setup": "nonsense"}, "control=value"),
])
def test_malformed_rows_are_refused_with_where_and_why(changes, message):
    assert _from_row(_raw()).id == IDS[0]  # the unchanged row loads
    with pytest.raises(data.DataError, match=message) as caught:
        _from_row(_raw(**changes))
    assert "predictions" in str(caught.value) and "line" in str(caught.value)


def test_unknown_prediction_and_wrong_demo_are_refused():
    with pytest.raises(KeyError, match="antagonist-tenfold"):
        prediction("no-such-question")
    from helpers.themes.basics import widgets

    with pytest.raises(ValueError, match="belongs to the demo 'antagonist_explorer'"):
        widgets.saturation_explorer(predict="antagonist-tenfold")


# --- Every stored answer, recomputed -----------------------------------------------------------------------

def answer_ligand(row, start, after):
    from helpers.themes.basics import model

    def curves(state):
        return model.ligand_curves(state["kd"], model.LIGAND_TYPES[state["kind"]][0], state["concentration"],
                                   state["basal"])

    assert f"Kd {start['kd']:g} nM" in row.prompt and start["kind"] in row.prompt
    before, moved = curves(start)["occupancy"], curves(after)["occupancy"]
    assert not np.allclose(curves(start)["activity"], curves(after)["activity"])  # the figure does change
    if np.allclose(before, moved):
        return 1                      # stays where it is
    if moved.max() < 1:
        return 2                      # falls to zero
    return 0 if np.all(moved <= before + 1e-9) else 3  # right (less bound) or left


def answer_antagonist(row, start, after):
    from helpers.themes.basics import figures, model

    kd, tau = 100.0, 10.0  # antagonist_explorer's defaults, the agonist the notebook shows
    ratio_before = figures.antagonist_dose_ratio(start["antagonist"], start["kb"])
    ratio_after = figures.antagonist_dose_ratio(after["antagonist"], after["kb"])
    assert f"{ratio_before:.3g}-fold" in row.prompt and f"KB of {start['kb']:g} nM" in row.prompt
    assert f"from {ratio_before:.3g} to {ratio_after:.3g}" in row.feedback[row.answer]
    alone, shifted = model.antagonist_curves(kd, tau, after["antagonist"], after["kb"])
    if shifted.max() < 0.99 * alone.max():
        return 1                      # loses height
    growth = ratio_after / ratio_before
    if abs(ratio_after / (2 * ratio_before) - 1) < 0.15:
        return 0                      # as far again
    if growth < 2:
        return 2                      # only a little further
    assert abs(ratio_after / 100 - 1) < 0.05 and 8 < growth < 11
    return 3                          # about ten times further, about 100-fold


def answer_saturation(row, start, after):
    now, doubled = (100 * fitted_occupancy(m, 1.0, 1.0) for m in (start["multiple"], after["multiple"]))
    assert after["multiple"] == 2 * start["multiple"]
    assert f"{now:.0f}%" in row.prompt and f"{now:.0f}% to {doubled:.0f}%" in row.feedback[row.answer]
    gain = doubled - now
    if doubled >= 99.5:
        return 1                      # jumps to 100%
    if gain < 0.5:
        return 3                      # no change
    return 0 if gain < 10 else 2


def answer_rapamycin(row, start, after):
    from helpers.themes.ketamine import model as ket

    table = ket.interventions()
    assert start["rapamycin_rat"] and not start["rapamycin_human"] and after["rapamycin_human"]
    evidence = data.table("evidence").set_index("id")
    rat, human = (evidence.loc[table.loc[k, "evidence"]] for k in ("rapamycin_rat", "rapamycin_human"))
    assert table.loc["rapamycin_rat", "cuts"] == table.loc["rapamycin_human", "cuts"]  # "the same step"
    assert set(row.evidence) == {rat.name, human.name}
    assert rat["direction"] == "supports" and "oral" in table.loc["rapamycin_human", "tool_compound"]
    if human["direction"] == "supports":
        return 0
    with_rapamycin, without = (float(v) for v in re.findall(r"(\d+)%", human["effect_size"])[:2])
    return 1 if with_rapamycin > without else 2


def answer_clearance(row, start, after):
    from helpers.themes.lithium import model as li

    assert after["clearance"] == li.clearance_range_mL_min()[0]  # "the bottom of the reported range"
    assert f"{start['dose']:g} mg/day" in row.prompt and f"{start['clearance']:g} mL/min" in row.prompt
    before = li.classify_level(li.steady_state_level(start["dose"], start["clearance"]))
    level = li.classify_level(li.steady_state_level(after["dose"], after["clearance"]))
    assert "standard" in before
    for index, words in ((2, "toxicity"), (1, "upper"), (0, "standard"), (3, "lower")):
        if words in level:
            return index
    raise AssertionError(f"unexpected band: {level}")


def answer_mediation(row, start, after):
    from helpers.themes.psychotherapy import mediation

    def result(s):
        return mediation.estimate(mediation.Scenario(
            s["a"], s["b"], s["c_prime"], s["confounding"] if s["confounded"] else 0.0,
            s["reverse"] if s["reversed"] else 0.0, s["timing"], s["n"], s["seed"]))

    assert start["b"] == 0 and f"{start['n']}" in row.prompt and start["n"] == mediation.N_MAX
    before, moved = result(start), result(after)
    assert before.scenario.true_indirect == moved.scenario.true_indirect == 0
    if moved.indirect_excludes_zero:
        return 2 if moved.indirect_hat > 0 else 1
    width = np.diff(moved.interval("indirect"))[0] / np.diff(before.interval("indirect"))[0]
    return 3 if width > 2 else 0


def answer_fingerprint(row, start, after):
    from helpers.themes.antipsychotics import model as ap

    assert start["drug"] == "haloperidol" and start["d2"] == after["d2"] == 70 and f"{start['d2']}%" in row.prompt
    before = ap.occupancy_at(start["drug"], "H1", start["d2"] / 100)
    assert before < 0.05  # "barely touches H1 receptors"
    h1 = ap.occupancy_at(after["drug"], "H1", after["d2"] / 100)
    if h1 > 0.9:
        return 1
    return 2 if h1 > before + 0.1 else 0


def answer_poor_metabolizer(row, start, after):
    from helpers.themes.pharmacogenomics import model as pgx

    before = pgx.exposure_consequence(start["usual"], start["genotype"])
    moved = pgx.exposure_consequence(after["usual"], after["genotype"])
    assert before["ratio"] == 1 and f"{start['usual']:g} times" in row.prompt
    assert f"{before['occupancy_normal']:.0f}%" in row.prompt and f"{moved['ratio']:g} times" in row.prompt
    assert f"from {moved['occupancy_normal']:.0f}% to {moved['occupancy_group']:.0f}%" in row.feedback[row.answer]
    if moved["occupancy_group"] < moved["occupancy_normal"]:
        return 3                      # lower
    if abs(moved["gain_points"]) < 0.5:
        return 2                      # unchanged
    if moved["occupancy_group"] / moved["occupancy_normal"] > 0.8 * moved["ratio"]:
        return 0                      # in step with the exposure
    assert f"about {moved['gain_points']:.0f} points" in row.options[1]
    return 1                          # only a little higher


def answer_steady_state(row, start, after):
    from helpers.themes.timecourse import model as tc

    before = tc.days_to_fraction(tc.half_life(start["drug"]), 0.9)
    moved = tc.days_to_fraction(tc.half_life(after["drug"]), 0.9)
    assert f"about {before:.1f} days" in row.prompt and "15 days" in after["drug"]
    if abs(moved - before) < 0.5:
        return 0
    if moved < before:
        return 2
    assert f"day {moved:.0f}" in row.options[1], (moved, row.options[1])  # "about day 50"
    return 1 if np.isfinite(moved) else 3


def answer_taper_top(row, start, after):
    from helpers.core import pharmacokinetics as pk

    def lost(dose):
        return 100 * pk.occupancy_lost_per_step(pk.taper_schedule(dose, start["steps"], "linear"))

    before, moved = lost(start["start"]), lost(after["start"])
    assert f"removes {before[-1]:.0f} points" in row.prompt and f"first only {before[0]:.0f}" in row.prompt
    if moved[-1] < 1:
        return 3
    if abs(moved[-1] - before[-1]) < 2:
        return 1
    if moved[-1] < before[-1]:
        return 0
    assert f"about {moved[-1]:.0f}" in row.options[2] and f"about {moved[0]:.1f}" in row.feedback[2]
    return 2


ANSWERS = {"ligand-type-occupancy": answer_ligand, "antagonist-tenfold": answer_antagonist,
           "saturation-double": answer_saturation, "rapamycin-human": answer_rapamycin,
           "clearance-lowest": answer_clearance, "mediation-confounding": answer_mediation,
           "fingerprint-quetiapine-h1": answer_fingerprint,
           "poor-metabolizer-occupancy": answer_poor_metabolizer, "steady-state-long": answer_steady_state,
           "taper-top-start": answer_taper_top}


def test_every_prediction_has_a_computed_answer():
    assert set(ANSWERS) == set(IDS), "a new prediction needs its answer computed in ANSWERS"


@pytest.mark.parametrize("prediction_id", IDS)
def test_stored_answer_is_what_the_model_computes(prediction_id):
    row = prediction(prediction_id)
    start, after = question_state(row)
    assert ANSWERS[prediction_id](row, start, after) == row.answer


def _caught(check, row, start, after) -> bool:
    try:
        return check(row, start, after) != row.answer
    except AssertionError:  # a prompt or feedback number that no longer matches also fails the test
        return True


def test_a_wrong_stored_answer_would_be_caught():
    row = prediction("antagonist-tenfold")
    start, after = question_state(row)
    assert _caught(answer_antagonist, row, start, {**after, "antagonist": 10000.0})
    assert not _caught(answer_antagonist, row, start, after)
    row = prediction("clearance-lowest")
    start, after = question_state(row)
    assert _caught(answer_clearance, row, start, {**after, "clearance": 25.0})
    row = prediction("saturation-double")
    start, after = question_state(row)
    assert _caught(answer_saturation, dataclasses.replace(row, answer=2), start, after)


# --- The widget flow ---------------------------------------------------------------------------------------

def commit(demo, option: int) -> None:
    panel = demo.prediction
    panel.choice.value = option
    assert not panel.commit.disabled
    panel.commit.click()


def make_move(demo) -> None:
    name, value = demo.prediction.row.move
    demo.prediction.control(name).value = value


def some_other_move(demo):
    """Move a control other than the question's own (a slider one step, or a toggle), and return it."""
    row = demo.prediction.row
    for name, control in named_controls(demo).items():
        if name == row.move[0] or getattr(control, "disabled", False):
            continue
        if isinstance(control, (ipw.FloatSlider, ipw.IntSlider, ipw.FloatLogSlider)):
            control.value = control.max if control.value != control.max else control.min
            return control
        if isinstance(control, ipw.ToggleButton):
            control.value = not control.value
            return control
    raise AssertionError("no other control to move")


@pytest.mark.parametrize("prediction_id", IDS)
def test_explanation_hidden_until_committed_and_moved(prediction_id):
    demo = build(prediction_id)
    panel, row = demo.prediction, demo.prediction.row
    assert demo.children[0] is panel
    assert demo.description.value == predict_view.WAITING
    assert "What the figure shows:" in panel.latest and panel.latest != predict_view.WAITING  # computed, not shown
    assert panel.commit.disabled  # nothing chosen yet
    make_move(demo)  # moving before committing does not give the answer away
    assert demo.description.value == predict_view.WAITING and panel.feedback.value == ""
    commit(demo, row.answer)
    for name, value in row.setup.items():  # committing puts the demo in the question's start state
        assert predict_view._same(panel.control(name).value, value)
    assert not predict_view._same(panel.control(row.move[0]).value, row.move[1])
    assert row.move_text in demo.description.value and panel.choice.disabled
    before = {n: w.value for n, w in named_controls(demo).items()}
    make_move(demo)
    assert demo.description.value == panel.latest and "What the figure shows:" in demo.description.value
    assert predict_view.RIGHT in panel.feedback.value and row.feedback[row.answer][:40] in panel.feedback.value
    assert 'role="status"' in panel.feedback.value and 'aria-live="polite"' in panel.feedback.value
    after = {n: w.value for n, w in named_controls(demo).items()}
    assert {n for n in before if before[n] != after[n]} == {row.move[0]}  # the move changes only its control


@pytest.mark.parametrize("prediction_id", IDS)
def test_a_wrong_prediction_gets_a_cross_and_its_own_feedback(prediction_id):
    demo = build(prediction_id)
    row = demo.prediction.row
    wrong = (row.answer + 1) % len(row.options)
    commit(demo, wrong)
    make_move(demo)
    line = demo.prediction.feedback.value
    assert predict_view.WRONG in line and predict_view.RIGHT not in line
    assert html.escape(row.options[wrong]) in line and html.escape(row.options[row.answer]) in line
    assert html.escape(row.feedback[wrong]) in line
    assert demo.prediction.correct is False


def test_moving_something_else_first_keeps_the_explanation_hidden_and_withholds_the_mark():
    demo = build("antagonist-tenfold")
    commit(demo, 3)
    some_other_move(demo)
    assert "Prediction saved" in demo.description.value
    make_move(demo)
    line = demo.prediction.feedback.value
    assert "Other controls were moved" in line and predict_view.RIGHT not in line and predict_view.WRONG not in line


def test_commit_resets_the_demo_to_its_start():
    demo = build("saturation-double")
    demo.controls["multiple"].value = 15
    commit(demo, 1)
    assert demo.controls["multiple"].value == 4
    demo = build("mediation-confounding")
    demo.controls["seed"].value = 7
    demo.controls["a"].value = -1.0
    commit(demo, 1)
    assert demo.controls["seed"].value == 2026 and demo.controls["a"].value == 0.5 and demo.controls["b"].value == 0


def test_one_redraw_per_step_and_one_for_the_commit():
    demo = build("antagonist-tenfold")
    calls = []
    inner = demo._update
    demo._update = lambda d: calls.append(1) or inner(d)
    demo.controls["kb"].value = 10.0
    assert len(calls) == 1
    commit(demo, 0)  # the reset of two controls is one redraw
    assert len(calls) == 2
    make_move(demo)
    demo.controls["kb"].value = 3.0
    assert len(calls) == 4


def test_teacher_mode_switch_shows_the_plain_demo_and_back():
    demo = build("saturation-double")
    panel = demo.prediction
    panel.teacher.value = True
    assert demo.description.value == panel.latest and "doubling the dose" in demo.description.value
    assert panel.choice.layout.display == "none" and panel.commit.layout.display == "none"
    demo.controls["multiple"].value = 10
    assert "At 10 times" in demo.description.value
    panel.teacher.value = False
    assert demo.description.value == predict_view.WAITING and panel.choice.value is None
    assert not panel.choice.disabled and panel.choice.layout.display is None


def test_module_teacher_mode_gives_the_plain_demo(monkeypatch):
    from helpers.themes.basics import widgets

    monkeypatch.setattr(predict_view, "TEACHER_MODE", True)
    demo = widgets.antagonist_explorer(predict="antagonist-tenfold")
    plain = widgets.antagonist_explorer()
    assert demo.prediction is None and len(demo.children) == len(plain.children)
    assert demo.description.value == plain.description.value


@pytest.mark.parametrize("setting, on", [("1", True), ("true", True), ("0", False), ("", False)])
def test_teacher_mode_from_the_environment(setting, on):
    env = {**os.environ, "PSYCHMEDS_TEACHER_MODE": setting}
    out = subprocess.run([sys.executable, "-c", "from helpers.view import predict; print(predict.TEACHER_MODE)"],
                         env=env, capture_output=True, text=True, cwd=ROOT, check=True).stdout.strip()
    assert out == str(on)


def test_keyboard_operable_standard_widgets():
    """Standard ipywidgets radio buttons (Tab into the group, arrow keys choose), a real button (Enter or
    Space) and a checkbox; no clickable plain HTML. The browser test drives them with the keyboard."""
    panel = build("antagonist-tenfold").prediction
    assert type(panel.choice) is ipw.RadioButtons and type(panel.commit) is ipw.Button
    assert type(panel.teacher) is ipw.Checkbox
    assert panel.choice.description and panel.commit.description == "Commit prediction"


# --- A predicted demo draws what the plain demo draws ------------------------------------------------------

def _drive(demo):
    """Every named control to its extremes (sliders), each option (dropdowns) and both states (toggles)."""
    for name, control in named_controls(demo).items():
        if isinstance(control, (ipw.FloatSlider, ipw.IntSlider, ipw.FloatLogSlider)):
            values = [control.min, control.max]
        elif isinstance(control, ipw.SelectionSlider):
            values = [control.options[0][1], control.options[-1][1]]
        elif isinstance(control, ipw.Dropdown):
            values = [v for _, v in control.options] if isinstance(control.options[0], tuple) else list(control.options)
        elif isinstance(control, (ipw.ToggleButton, ipw.Checkbox)):
            values = [not control.value, control.value]
        else:
            continue
        for value in values:
            yield name, value


def _figure_json(demo) -> str:
    traces = [{k: v for k, v in t.to_plotly_json().items() if k != "uid"} for t in demo.figure.data]
    return json.dumps([traces, demo.figure.layout.to_plotly_json()], cls=plotly.utils.PlotlyJSONEncoder,
                      sort_keys=True)


@pytest.mark.parametrize("prediction_id", IDS)
def test_predicted_demo_draws_what_the_plain_demo_draws_at_extreme_values(prediction_id):
    row = prediction(prediction_id)
    plain, live = build(None, row), build(prediction_id)
    commit(live, row.answer)
    for name, value in row.setup.items():  # the plain demo follows the same steps
        named_controls(plain)[name].value = value
    make_move(live)
    named_controls(plain)[row.move[0]].value = row.move[1]
    assert _figure_json(live) == _figure_json(plain) and live.description.value == plain.description.value
    for name, value in _drive(plain):
        named_controls(plain)[name].value = value
        named_controls(live)[name].value = value
        assert _figure_json(live) == _figure_json(plain), f"{prediction_id}: {name}={value!r}"
        assert live.description.value == plain.description.value
        assert "What the figure shows:" in live.description.value


# --- Notebooks and the static site -------------------------------------------------------------------------

def _predict_calls():
    """(notebook, factory name, prediction id) for every demo call with predict= in a themed notebook."""
    found = []
    for theme in registry.THEMES:
        nb = json.loads((ROOT / "notebooks" / theme.notebook).read_text())
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            for node in ast.walk(ast.parse("".join(cell["source"]))):
                if isinstance(node, ast.Call):
                    for kw in node.keywords:
                        if kw.arg == "predict":
                            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
                            found.append((theme, name, ast.literal_eval(kw.value)))
    return found


def test_notebooks_use_each_prediction_with_its_demo():
    calls = _predict_calls()
    for theme, name, prediction_id in calls:
        row = prediction(prediction_id)
        assert (row.theme, row.demo) == (theme.key, name), f"{theme.notebook}: {name}(predict={prediction_id!r})"
    assert sorted(p for _, _, p in calls) == sorted(IDS), "every prediction is used exactly once"
    assert {t.key for t, _, _ in calls} == set(registry.THEME_KEYS), "each themed notebook has a prediction"


def test_site_calls_the_fallback_without_the_prediction():
    from helpers.build.fallback_table import registry as fallbacks
    from helpers.build.fallbacks import Fallback
    from helpers.build.site import InProcess

    runner = InProcess()
    runner.run("from helpers.themes.basics import widgets")
    table = fallbacks()["01_mechanism_of_action_basics"]
    got = runner.call_fallback('widgets.antagonist_explorer(predict="antagonist-tenfold")', table)
    plain = runner.call_fallback("widgets.antagonist_explorer()", table)
    assert isinstance(got, Fallback) and got.descriptions == plain.descriptions
    runner.run("from helpers.themes.lithium import widgets as li")  # a stepped (driven) fallback too
    table = fallbacks()["03_lithium"]
    got = runner.call_fallback('li.clearance_explorer(predict="clearance-lowest")', table)
    assert isinstance(got, Fallback) and "Make your prediction" not in json.dumps(got.descriptions)
