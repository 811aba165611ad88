"""Time course (notebook 06): model values by hand, data checks, bad input, every demo at extreme control values."""

import itertools
import math
import re
from pathlib import Path

import numpy as np
import pytest

from helpers.core import data
from helpers.themes.timecourse import figures as tf
from helpers.themes.timecourse import model as tc
from helpers.themes.timecourse import widgets as tw

LABELS = list(tc.half_life_options()["label"])
CITALOPRAM = next(label for label in LABELS if label.startswith("Citalopram"))
NORFLUOXETINE_LONG = next(label for label in LABELS if label.startswith("Norfluoxetine: 15"))

# --- data ----------------------------------------------------------------------------------------------------


def test_half_lives_are_the_sourced_values_in_hours():
    options = tc.half_life_options().set_index("label")
    assert options.loc[CITALOPRAM, "hours"] == 33.0 and options.loc[CITALOPRAM, "source"] == "kraghsorensen1981"
    # 33 h, 4 d, 7 d, 15 d: fluoxetine's 1 day (the short end, single doses) is not offered for daily dosing
    assert sorted(options["hours"]) == [33.0, 96.0, 168.0, 360.0]
    assert set(options["drug"]) == {"citalopram", "fluoxetine", "norfluoxetine"}
    stored = data.load_all()["properties"]
    assert ((stored["drug"] == "fluoxetine") & (stored["property"] == "half_life_low")).any()  # kept, with source
    assert not any(label.startswith("Fluoxetine: 1 day") for label in tw.schedule_explorer().controls["drug"].options)


def test_every_half_life_says_what_kind_of_source_it_is():
    table = tc.half_life_table()
    assert set(table["Kind of source"]) == {"primary pharmacokinetic study", "review of pharmacokinetic studies"}
    assert table.loc[table["Drug"] == "Citalopram", "Kind of source"].item() == "primary pharmacokinetic study"
    with pytest.raises(data.DataError, match="must name its kind of source"):
        tc.source_kind("a number from somewhere")


def test_references_are_graded_and_henssler_is_secondary():
    refs = data.table("references").set_index("key")
    assert refs.loc["henssler2024", "verified"] == "V2"
    for key in ("kraghsorensen1981", "altamura1994", "davies2019", "kinrys2019", "vinkers2012", "horowitz2019",
                "berman1999", "andree1999", "geddes2003"):
        assert refs.loc[key, "verified"] == "V", key


def test_contested_claims_have_evidence_on_more_than_one_side():
    rows = data.table("evidence")
    rows = rows[rows["theme"] == "timecourse"]
    pindolol = set(rows.loc[rows["hypothesis"] == "autoreceptor_desensitisation", "direction"])
    assert {"supports", "contradicts"} <= pindolol
    withdrawal = rows[rows["hypothesis"] == "discontinuation"]
    assert set(withdrawal["source"]) == {"davies2019", "henssler2024"} and set(withdrawal["strength"]) == {"contested"}
    # tachyphylaxis: a review of rates (mixed) and the continuation trials on the other side (Geddes 2003)
    tachy = rows[rows["hypothesis"] == "tachyphylaxis"].set_index("source")["direction"].to_dict()
    assert tachy == {"kinrys2019": "mixed", "geddes2003": "contradicts"}
    # pindolol: a direct trial against a faster response, not only the SSRI-resistant meta-analysis
    against = set(rows.loc[(rows["hypothesis"] == "autoreceptor_desensitisation")
                           & (rows["direction"] == "contradicts"), "source"])
    assert {"berman1999", "liu2015"} <= against


def test_clock_effects_are_the_stored_trial_results():
    effects = tc.clock_effects().set_index("id")
    assert effects.loc["tc-es-taylor2006-week1", ["estimate", "ci_low", "ci_high"]].tolist() == [1.64, 1.2, 2.25]
    assert effects.loc["tc-es-ballesteros2004-2wk", "estimate"] == 2.8
    assert effects.loc["tc-es-ballesteros2004-4to6wk", "ci_low"] < 1 < effects.loc["tc-es-ballesteros2004-4to6wk", "ci_high"]


# --- model --------------------------------------------------------------------------------------------------


def test_days_to_steady_state_by_hand():
    # 33 h: 90% after 33 * log2(10) = 109.6 h = 4.57 days; 97% (5 half-lives rounded) after about a week
    assert tc.days_to_fraction(33, 0.9) == pytest.approx(33 * math.log2(10) / 24)
    assert tc.days_to_fraction(33, 0.97) == pytest.approx(-33 * math.log2(0.03) / 24)
    assert tc.days_to_fraction(360, 0.9) == pytest.approx(49.8, abs=0.05)  # norfluoxetine at 15 days


def test_relative_level_averages_one_at_steady_state():
    level = tc.relative_level(33.0)
    last_day = (tc.HOURS >= 48 * 24) & (tc.HOURS < 49 * 24)
    assert level[last_day].mean() == pytest.approx(1.0, abs=0.01)
    assert level[0] == 0.0
    # peak-to-trough swing over the day stays well under the two-fold the citalopram study reports as a maximum
    assert level[last_day].max() / level[last_day].min() < 2


def test_the_average_follows_one_minus_half_to_the_n():
    half = 96.0  # fluoxetine at 4 days, n = 2 half-lives after 8 days
    level = tc.relative_level(half)
    day = (tc.HOURS > 7 * 24) & (tc.HOURS <= 8 * 24)  # the 8th day's average ~ fraction at 7.5 days
    expected = 1 - 0.5 ** (7.5 * 24 / half)
    assert level[day].mean() == pytest.approx(expected, abs=0.03)


def test_missed_dose_and_stopping():
    every = tc.relative_level(33.0, tc.SCHEDULES[0])
    missed = tc.relative_level(33.0, tc.SCHEDULES[1])
    stopped = tc.relative_level(33.0, tc.SCHEDULES[2])
    before = tc.HOURS < tc.MISSED_DAY * 24
    assert np.array_equal(every[before], missed[before])
    trough = np.searchsorted(tc.HOURS, (tc.MISSED_DAY + 1) * 24)  # when the next dose is taken
    assert missed[trough] < every[trough]
    last = tc.STOP_DAY - 1
    # after the last dose the level halves every 33 h: from a day after it to a week after it
    i, j = (np.searchsorted(tc.HOURS, h) for h in (last * 24 + 24, (last + 7) * 24))
    assert stopped[j] / stopped[i] == pytest.approx(0.5 ** ((tc.HOURS[j] - tc.HOURS[i]) / 33.0), rel=0.02)


def test_occupancy_falls_less_than_the_level_near_the_top():
    s = tc.schedule_summary(33.0, tc.SCHEDULES[1], 4.0)
    assert s["steady_occupancy"] == pytest.approx(0.8)
    level_drop = 1 - s["missed_trough_level"] / s["trough_level"]
    occupancy_drop = 1 - s["missed_trough_occupancy"] / s["trough_occupancy"]
    assert occupancy_drop < level_drop / 2


def test_the_daily_trough_is_taken_at_steady_state_not_on_day_11():
    # citalopram (33 h) is at steady state on the last day shown: the model's own last trough is the closed form
    s = tc.schedule_summary(33.0, tc.SCHEDULES[0], 4.0)
    level = tc.relative_level(33.0, tc.SCHEDULES[0])
    assert s["steady_trough_level"] == pytest.approx(level[np.searchsorted(tc.HOURS, (tc.DAYS_SHOWN - 1) * 24)],
                                                     rel=1e-3)
    # norfluoxetine at 15 days: at steady state the level hardly dips (about 98%), while on day 11 it is still
    # building up (below half) -- the old sentence reported the latter as the daily swing
    long = tc.schedule_summary(360.0, tc.SCHEDULES[0], 4.0)
    assert long["steady_trough_level"] > 0.95 and long["trough_level"] < 0.5
    assert long["steady_trough_occupancy"] == pytest.approx(4 * long["steady_trough_level"]
                                                            / (1 + 4 * long["steady_trough_level"]))
    text = tf.describe_schedule(next(k for k in tc._options_by_label() if "15 days" in k), tc.SCHEDULES[0], 4.0)
    assert "level is 98% of its average" in text


def test_stopping_keeps_occupancy_above_half_until_the_level_is_a_quarter():
    # at 4 x ED50 occupancy falls below 50% when the level is 1/4 of its average: about two half-lives
    s = tc.schedule_summary(360.0, tc.SCHEDULES[2], 4.0)
    assert s["days_above_half"] == pytest.approx(2 * 15, rel=0.25)


def test_adaptation_is_a_lag_of_occupancy():
    fast, slow = tc.adaptation_curve(1.0), tc.adaptation_curve(28.0)
    assert np.all(slow <= fast + 1e-12)
    assert fast[-1] == pytest.approx(1.0, abs=0.05) and slow[-1] < 0.9
    assert tc.days_to_adapt(28.0) == math.inf and tc.days_to_adapt(1.0) < tc.days_to_adapt(10.0)


def _guide_06() -> str:
    text = (Path(__file__).resolve().parents[1] / "notebooks" / "TEACHERS_GUIDE.md").read_text()
    return text.split("\n## 06 ", 1)[1].split("\n## ", 1)[0]


def _adapted(time_constant_days: float, day: float) -> int:
    curve = tc.adaptation_curve(time_constant_days)
    return round(100 * curve[np.searchsorted(tc.CLOCK_HOURS, day * 24)])


def test_the_early_onset_answer_reads_the_first_order_lag_off_the_model():
    # a first-order lag rises fastest at the start (concave): it does not predict "almost nothing" early on
    curve = tc.adaptation_curve(10.0)
    week = [curve[np.searchsorted(tc.CLOCK_HOURS, d * 24)] for d in (0, 7, 14, 21)]
    gains = np.diff(week)
    assert np.all(gains > 0) and np.all(np.diff(gains) < 0)
    answer = " ".join(_guide_06().split("**Section 2, early onset.**", 1)[1].split("<!--", 1)[0].split())
    assert "almost nothing in the first days" not in answer
    assert f"{_adapted(10, 3)}% of the way by day 3 and {_adapted(10, 7)}% by day 7" in answer
    assert f"({_adapted(5, 7)}% by day 7 with 5 days)" in answer


def test_taper_plan_matches_the_core_functions():
    plan = tc.taper_plan(4.0, 4)
    assert plan["linear_lost"].tolist() == pytest.approx([0.05, 1 / 12, 1 / 6, 0.5])
    assert plan["hyperbolic_lost"].tolist() == pytest.approx([0.2] * 4)
    assert plan["step"].tolist() == [1, 2, 3, 4]
    table = tc.taper_table(4.0, 4)
    assert table.iloc[-1]["Linear: occupancy lost (points)"] == "50.0"
    assert "None" not in table.to_string() and "nan" not in table.to_string()


def test_bad_input_names_the_choices():
    with pytest.raises(ValueError, match="unknown schedule 'weekly'; choose one of: every day"):
        tc.schedule_doses("weekly")
    with pytest.raises(ValueError, match="unknown half-life option 'aspirin'; choose one of: "):
        tc.half_life("aspirin")
    with pytest.raises(ValueError, match="half_life_h must be greater than 0"):
        tc.relative_level(0.0)
    with pytest.raises(ValueError, match="dose_multiple must not be negative"):
        tc.occupancy_curve(33.0, tc.SCHEDULES[0], -1)
    with pytest.raises(ValueError, match="n_steps must be a whole number"):
        tc.taper_plan(4.0, 0)
    with pytest.raises(ValueError, match="time_constant_days must be greater than 0"):
        tc.adaptation_curve(0)
    with pytest.raises(ValueError, match="dose = 50 x half-maximal dose is outside its valid range 0.25 to 20"):
        tw.schedule_explorer(dose=50)
    with pytest.raises(ValueError, match="steps must be a whole number from 2 to 10"):
        tw.taper_explorer(steps=11)
    with pytest.raises(ValueError, match="unknown schedule"):
        tw.schedule_explorer(schedule="twice a day")


# --- demos at every extreme ----------------------------------------------------------------------------------


def _finite(fig) -> bool:
    for trace in fig.data:
        for key in ("x", "y"):
            values = getattr(trace, key)
            if values is not None and len(values) and not np.all(np.isfinite(np.asarray(values, dtype=float))):
                return False
    return True


def test_schedule_demo_every_drug_schedule_and_extreme_dose():
    demo = tw.schedule_explorer()
    lo, hi = tc.DOSE_RANGE
    seen = set()
    for label, schedule, dose in itertools.product(LABELS, tc.SCHEDULES, (lo, hi)):
        demo.controls["drug"].value, demo.controls["schedule"].value = label, schedule
        demo.controls["dose"].value = dose
        occupancy = np.asarray(demo.figure.data[4].y)
        assert _finite(demo.figure) and 0 <= occupancy.min() and occupancy.max() <= 100
        assert np.asarray(demo.figure.data[0].y).max() <= tf.LEVEL_RANGE[1]  # the fixed axis holds the level
        assert "What the figure shows" in demo.description.value and "nan" not in demo.description.value
        seen.add(demo.description.value)
    assert len(seen) == len(LABELS) * len(tc.SCHEDULES) * 2


def test_schedule_demo_parks_the_90_percent_line_beyond_the_axis():
    fig = tf.schedule_figure(NORFLUOXETINE_LONG, tc.SCHEDULES[0], 4.0)
    assert fig.data[2].x[0] == pytest.approx(tc.days_to_fraction(360, 0.9))  # day 49.8 still on the 56-day axis
    assert "day 49.8" in fig.data[2].text[1]
    taken = np.asarray(tf.schedule_figure(CITALOPRAM, tc.SCHEDULES[1], 4.0).data[3].y)
    assert (taken < 0).sum() == 1  # the missed dose is parked below the axis, not removed
    assert len(taken) == tc.DAYS_SHOWN


def test_clocks_demo_at_both_ends_of_the_time_constant():
    demo = tw.clocks_explorer()
    lo, hi = tc.TIME_CONSTANT_RANGE
    for value in (lo, hi, tc.DEFAULT_TIME_CONSTANT):
        demo.controls["time_constant"].value = value
        assert _finite(demo.figure)
    demo.controls["time_constant"].value = hi
    assert demo.figure.data[2].x[0] == tf.PARKED and "not 90% adapted" in demo.description.value
    demo.controls["time_constant"].value = lo
    assert 0 < demo.figure.data[2].x[0] < 7 and "TEACHING MODEL" in demo.figure.layout.annotations[1].text
    assert "Taylor et al. 2006" in demo.description.value and "Ballesteros & Callado 2004" in demo.description.value


def test_the_clinical_panel_is_captioned_as_separate_studies_not_a_time_course():
    fig = tf.clocks_figure(10.0)
    assert "not a time course" in fig.layout.annotations[2].text
    assert "different studies, populations and measures" in tf.describe_clocks(10.0)
    assert "not a time course" in tf.describe_clocks(10.0)
    demo = tw.clocks_explorer()
    note = " ".join(w.value for w in demo.children if hasattr(w, "value") and isinstance(w.value, str))
    assert "different studies, populations and measures: not a time course" in note


def test_taper_demo_at_its_extremes():
    demo = tw.taper_explorer()
    for start, steps in itertools.product(tc.TAPER_START_RANGE, tc.TAPER_STEPS_RANGE):
        demo.controls["start"].value, demo.controls["steps"].value = start, steps
        assert _finite(demo.figure)
        assert len(demo.figure.data[2].x) == steps and max(demo.figure.data[2].y) <= 100
        assert demo.figure.layout.xaxis2.range[1] == pytest.approx(steps + 0.6)
    assert "133 times as much" in tf.describe_taper(20.0, 10)


def test_the_start_slider_of_the_taper_takes_the_quick_redraw():
    demo = tw.taper_explorer()
    demo.controls["start"].value = 8.0
    assert demo.figure.last_redraw == "quick"
    demo.controls["steps"].value = 6  # new axes: a full redraw, by design
    assert demo.figure.last_redraw == "full"


@pytest.mark.parametrize("factory, control, value", [
    (tw.schedule_explorer, "dose", 9.0), (tw.clocks_explorer, "time_constant", 20.0)])
def test_main_sliders_take_the_quick_redraw(factory, control, value):
    demo = factory()
    demo.controls[control].value = value
    assert demo.figure.last_redraw == "quick"


def test_callbacks_are_fast():
    import time
    demos = [(tw.schedule_explorer(), "dose", (2.0, 6.0)), (tw.clocks_explorer(), "time_constant", (5.0, 15.0)),
             (tw.taper_explorer(), "start", (6.0, 10.0))]
    for demo, control, values in demos:
        times = []
        for _ in range(5):
            for v in values:
                t = time.perf_counter()
                demo.controls[control].value = v
                times.append(time.perf_counter() - t)
        assert np.median(times) < 0.05, (control, np.median(times))  # generous: a shared 2-core machine


# --- self-checks: no item answerable from wording alone ----------------------------------------------------------

ABSOLUTE_CUES = re.compile(r"\b(every|at all|any|simply|not real|whole reason|has been shown|same speed|prove[sd]?|"
                           r"refutes?|always|never)\b", re.IGNORECASE)


@pytest.mark.parametrize("item", ["tc-pindolol", "tc-tolerance", "tc-withdrawal-estimates", "tc-three-clocks"])
def test_distractors_are_hedged_misconceptions_not_absolutes(item):
    from helpers.core.self_check_bank import load_self_checks

    row = load_self_checks().set_index("id").loc[item]
    wrong = [o for i, o in enumerate(row["options"]) if i != row["answer"]]
    assert not [o for o in wrong if ABSOLUTE_CUES.search(o)], item
    hedges = ("probably", "seem", "suggest", "likely", "mostly", "little", "may")
    assert sum(any(h in o.lower() for h in hedges) for o in wrong) >= 2, f"{item}: distractors should be hedged too"


def _notebook_text() -> str:
    import json

    nb = json.loads((Path(__file__).resolve().parents[1] / "notebooks" / "06_time_course.ipynb").read_text())
    return " ".join(" ".join("".join(c["source"]).split()) for c in nb["cells"] if c["cell_type"] == "markdown")


def test_contested_topics_are_phrased_as_contested_in_the_notebook():
    text = _notebook_text()
    assert "over days to weeks the autoreceptors **desensitise**" not in text.replace("The proposal is that over", "")
    assert "The proposal is that over days to weeks the autoreceptors **desensitise**" in text
    assert "differ mainly in whom they counted" not in text
    assert "disputed by a reanalysis" not in text  # no uncited reanalysis
    assert "fewer relapsed on the drug" in text  # the other side of tachyphylaxis (Geddes 2003)


def test_the_guides_demo_task_answers_are_read_off_the_model():
    from helpers.core import pharmacokinetics as pk

    guide = " ".join(_guide_06().split())
    missed = {h: tc.schedule_summary(h, tc.SCHEDULES[1], tc.DEFAULT_DOSE) for h in (33.0, 96.0)}
    for s in missed.values():
        assert f"from {100 * s['trough_occupancy']:.0f}%" in guide
        assert f"to {100 * s['missed_trough_occupancy']:.0f}%" in guide
    stop = {d: tc.schedule_summary(33.0, tc.SCHEDULES[2], d)["days_above_half"] for d in (tc.DEFAULT_DOSE, tc.DOSE_RANGE[1])}
    assert f"about {stop[tc.DEFAULT_DOSE]:.1f} days after the last dose" in guide
    assert f"for about {stop[tc.DOSE_RANGE[1]]:.1f} days" in guide
    assert f"{_adapted(5, 7)}% of the way with a time constant of 5 days and {_adapted(28, 7)}% with 28 days" in guide
    top = 100 * pk.occupancy_lost_per_step(pk.taper_schedule(tc.TAPER_START_RANGE[1], tc.DEFAULT_TAPER_STEPS, "linear"))
    assert f"removes only {top[0]:.1f} points of occupancy and the last {top[-1]:.1f}" in guide
    ten = 100 * pk.occupancy_lost_per_step(pk.taper_schedule(tc.DEFAULT_TAPER_START, 10, "linear"))
    assert f"still removes {ten[-1]:.1f} points (the first {ten[0]:.1f})" in guide


def test_the_glossary_defines_the_jargon_the_evidence_tables_use():
    terms = " ".join(data.table("glossary").query("theme == 'timecourse'")["term"])
    for word in ("HAMD", "SMD", "OR (odds ratio)", "nonlinear kinetics", "PET", "relapse prevention"):
        assert word in terms, word


def test_the_schedule_note_states_the_two_simplifications():
    demo = tw.schedule_explorer()
    text = " ".join(w.value for w in demo.children if hasattr(w, "value") and isinstance(w.value, str))
    assert "intravenous data fit two" in text and "no delay for the drug to reach the brain" in text


def test_taylor_is_graded_moderate_with_its_single_reviewer_caveat():
    row = data.table("evidence").set_index("id").loc["tc-taylor2006-early-onset"]
    assert row["strength"] == "moderate" and "single reviewer" in row["finding"]
    assert "Part B, the slow clock (weeks to months)" in _notebook_text()
