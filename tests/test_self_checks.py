"""Self-checks as data: the bank's schema and loader, the grading rule, item-writing statistics, the notebooks'
calls, and every question that reads a value off a demo checked against the demo's own functions.

Run with ``-s`` to see the item statistics printed by :func:`test_item_statistics_are_printed`.
"""

import collections
import re
import csv
import shutil

import pandas as pd
import pytest
from conftest import NOTEBOOK_DIR, ROOT, TEMPLATE, read_notebook

from helpers.core import self_check_bank as bank
from helpers.core.data import DataError, UnknownNameError
from helpers.core.schema import CHECK_THEMES, START_THEME
from helpers.registry import START_NOTEBOOK, THEMES
from helpers.view import checks

CALL = re.compile(r"""self_check\(\s*["'](\w+)["']\s*,\s*["']([\w-]+)["']\s*\)""")
MAX_POSITION_SHARE = 0.4  # no option position may hold more than this share of a theme's right answers
MAX_LONGEST_RIGHT = 1 / 3  # the right option may be the strictly longest in at most this share of items


@pytest.fixture(scope="module")
def items():
    return bank.load_self_checks()


# --- the loader ---------------------------------------------------------------------------------------------

def test_public_api_gives_the_bank_as_a_dataframe():
    from helpers import objectives_markdown, self_checks
    assert list(self_checks.columns) == list(bank.COLUMNS)
    row = self_checks.iloc[0]
    assert isinstance(row["options"], list) and isinstance(row["feedback"], list)
    assert len(row["options"]) == len(row["feedback"]) and pd.api.types.is_integer_dtype(self_checks["answer"])
    assert set(self_checks["theme"]) == set(CHECK_THEMES)
    assert objectives_markdown("basics").startswith("1. Explain occupancy")


def test_every_question_is_well_formed(items):
    for _, row in items.iterrows():
        assert 2 <= len(row["options"]) == len(row["feedback"]), row["id"]
        assert 0 <= row["answer"] < len(row["options"]), row["id"]
        assert all(text.strip() for text in row["feedback"]), f"{row['id']}: empty feedback"
        assert len(set(row["feedback"])) == len(row["feedback"]), f"{row['id']}: two options share one feedback"


def test_objectives_are_numbered_in_order():
    for theme in CHECK_THEMES:
        numbers = list(bank.objectives(theme)["number"])
        assert numbers == list(range(1, len(numbers) + 1)), theme


def test_unknown_theme_or_id_is_named():
    with pytest.raises(UnknownNameError, match="themes are: start, basics"):
        bank.objectives("nosuch")
    with pytest.raises(UnknownNameError, match="its checks are: .*li-clearance-quarter"):
        bank.question("lithium", "bas-ki-times-9")


def _broken_copy(tmp_path, change):
    """A copy of data/ with one edit to the first question of data/self_checks/basics.csv (line 2)."""
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy, ignore=shutil.ignore_patterns("README.md"))
    path = copy / "self_checks" / "basics.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    change(rows[0])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return copy


@pytest.mark.parametrize("change, message", [
    (lambda r: r.update(answer="4"), r"line 2, column 'answer': answer 4 is not a 0-based index of the 4 options"),
    (lambda r: r.update(feedback_2=""), r"line 2, column 'feedback_2': option_2 has no feedback"),
    (lambda r: r.update(option_3=""), r"line 2, column 'feedback_3': feedback_3 is given but option_3 is empty"),
    (lambda r: r.update(option_2="", feedback_2=""), r"line 2, column 'option_3': option_3 follows an empty option_2"),
    (lambda r: r.update(option_1=r["option_0"].upper()), r"line 2, column 'option_1': option_1 repeats option_0"),
    (lambda r: r.update(objective="bas-no-such-objective"), r"line 2, column 'objective': 'bas-no-such-objective' "
                                                            r"is not defined in data/objectives/"),
    (lambda r: r.update(objective="li-clearance"), r"line 2, column 'objective': objective 'li-clearance' belongs "
                                                   r"to theme 'lithium', not 'basics'"),
    (lambda r: r.update(answer="two"), r"line 2, column 'answer': 'two' is not a whole number"),
    (lambda r: r.update(option_1=""), r"line 2, column 'option_1': value is required"),
    (lambda r: r.update(theme="caffeine"), r"line 2, column 'theme': 'caffeine' is not one of start, basics"),
])
def test_a_malformed_row_fails_with_file_and_line(tmp_path, change, message):
    broken = _broken_copy(tmp_path, change)
    with pytest.raises(DataError, match=r"self_checks/basics\.csv, " + message):
        bank.load_self_checks(broken)


# --- the grading rule ---------------------------------------------------------------------------------------

Q = checks.Question("2 + 2?", ("3", "4", "5", "22"), 1,
                    ("Count again: that is one short.", "Two and two make four.", "One too many.", "That joins the digits."))


def test_a_wrong_answer_shows_only_its_own_feedback():
    result = checks.grade(Q, 0)
    assert result.status == "wrong" and "one short" in result.text
    assert Q.explanation not in result.text and "“4”" not in result.text
    assert not result.can_reveal


def test_the_right_answer_shows_the_explanation():
    result = checks.grade(Q, 1)
    assert result.status == "right" and result.text == "Correct. Two and two make four."
    assert result.progress.solved and not result.can_reveal


def test_show_answer_comes_only_after_two_different_wrong_answers():
    first = checks.grade(Q, 0)
    with pytest.raises(ValueError, match="only after 2 different wrong answers"):
        checks.reveal(Q, first.progress)
    again = checks.grade(Q, 0, first.progress)  # the same wrong answer twice is not a second try
    assert not again.can_reveal
    second = checks.grade(Q, 2, again.progress)
    assert second.can_reveal and "Show answer" in second.text and Q.explanation not in second.text
    shown = checks.reveal(Q, second.progress)
    assert shown.status == "revealed" and shown.text == "The answer is “4”. Two and two make four."
    assert not shown.can_reveal  # the button goes away once used
    assert checks.grade(Q, 1, second.progress).status == "right"


def test_nothing_chosen_and_bad_choices():
    assert checks.grade(Q, None).text == "Choose an answer first."
    with pytest.raises(ValueError, match="choice must index"):
        checks.grade(Q, 7)
    with pytest.raises(ValueError, match="answer must index"):
        checks.Question("?", ("a", "b"), 2, ("x", "y"))
    with pytest.raises(ValueError, match="every option needs its feedback"):
        checks.Question("?", ("a", "b"), 0, ("x",))


def test_the_widget_follows_the_rule():
    box = checks.self_check("lithium", "li-clearance-quarter")
    q = box.question
    wrong = [i for i in range(len(q.options)) if i != q.answer]
    box.check()
    assert "Choose an answer first" in box.feedback.value and 'role="status"' in box.feedback.value
    box.radio.value = wrong[0]
    box.button.click()
    assert "✘" in box.feedback.value and q.feedback[wrong[0]] in box.feedback.value
    assert q.explanation not in box.feedback.value and box.show_button.layout.display == "none"
    box.radio.value = wrong[1]
    box.check()
    assert box.show_button.layout.display is None  # now offered
    box.show_button.click()
    assert q.options[q.answer] in box.feedback.value and q.explanation in box.feedback.value
    assert box.show_button.layout.display == "none"
    box.radio.value = q.answer
    box.check()
    assert "✔" in box.feedback.value


# --- item-writing statistics over the whole bank ------------------------------------------------------------

def strictly_longest_is_right(options, answer) -> bool:
    lengths = [len(o) for o in options]
    return lengths[answer] == max(lengths) and lengths.count(max(lengths)) == 1


def item_problems(frame, objectives) -> list[str]:
    """What breaks the item-writing rules in a bank (``frame`` as from :func:`bank.load_self_checks`)."""
    found = []
    for theme, group in frame.groupby("theme"):
        positions = collections.Counter(group["answer"])
        top, count = positions.most_common(1)[0]
        if len(group) >= 3 and count / len(group) > MAX_POSITION_SHARE:
            found.append(f"{theme}: {count} of {len(group)} right answers are option {top}")
        four = group[group["options"].map(len) == 4]
        if len(four) >= 4 and set(four["answer"]) != {0, 1, 2, 3}:
            found.append(f"{theme}: right answers never at position(s) {sorted({0, 1, 2, 3} - set(four['answer']))}")
    longest = sum(strictly_longest_is_right(o, a) for o, a in zip(frame["options"], frame["answer"]))
    if longest > MAX_LONGEST_RIGHT * len(frame):
        found.append(f"the right option is the longest in {longest} of {len(frame)} items")
    for _, row in frame.iterrows():
        if len({" ".join(o.casefold().split()) for o in row["options"]}) != len(row["options"]):
            found.append(f"{row['id']}: duplicate options")
        if len(row["feedback"]) != len(row["options"]) or not all(f.strip() for f in row["feedback"]):
            found.append(f"{row['id']}: an option without feedback")
    for theme, objective in zip(objectives["theme"], objectives["objective"]):
        if objective not in set(frame["objective"]):
            found.append(f"{theme}: objective {objective} has no self-check")
    return found


def test_the_bank_follows_the_item_writing_rules(items):
    assert item_problems(items, _all_objectives()) == []


def _all_objectives():
    return pd.concat([bank.objectives(t).assign(theme=t) for t in CHECK_THEMES], ignore_index=True)


def test_the_item_rules_can_fail(items):
    """The same checks on a bank with the old flaws: answers all at B, the right option the longest, a gap."""
    bad = items[items["theme"] == "basics"].copy()
    bad["answer"] = 1
    bad["options"] = [[o[0], o[1] + " (the long, careful, qualified answer)", *o[2:]] for o in bad["options"]]
    bad.loc[bad.index[0], "options"] = ["same", "Same ", "other", "third"]
    bad.loc[bad.index[1], "feedback"] = ["a", "", "c", "d"]
    objectives = bank.objectives("basics").assign(theme="basics")
    bad = bad[bad["objective"] != "bas-ssri-ab"]
    problems = "\n".join(item_problems(bad, objectives))
    assert "right answers are option 1" in problems and "never at position(s) [0, 2, 3]" in problems
    assert "is the longest in" in problems and "duplicate options" in problems
    assert "an option without feedback" in problems and "bas-ssri-ab has no self-check" in problems


def test_item_statistics_are_printed(items, capsys):
    with capsys.disabled():
        print("\nself-check items: per theme, right answers at positions 0-3, and how often the right option is "
              "strictly the longest")
        for theme, group in items.groupby("theme", sort=False):
            counts = collections.Counter(group["answer"])
            longest = sum(strictly_longest_is_right(o, a) for o, a in zip(group["options"], group["answer"]))
            print(f"  {theme:14} {len(group):2} items  positions {[counts.get(i, 0) for i in range(4)]}  "
                  f"longest-is-right {longest}")
        total = collections.Counter(items["answer"])
        longest = sum(strictly_longest_is_right(o, a) for o, a in zip(items["options"], items["answer"]))
        print(f"  {'all':14} {len(items):2} items  positions {[total.get(i, 0) for i in range(4)]}  "
              f"longest-is-right {longest}")


# --- the notebooks ask every question of their theme, and only stored ones ----------------------------------

def calls(path) -> list[tuple[str, str]]:
    return [m.groups() for cell in read_notebook(path).cells if cell.cell_type == "code"
            for m in CALL.finditer(cell.source)]


NOTEBOOK_THEMES = [(NOTEBOOK_DIR / START_NOTEBOOK, START_THEME)] + [(NOTEBOOK_DIR / t.notebook, t.key) for t in THEMES]


@pytest.mark.parametrize("path, theme", NOTEBOOK_THEMES, ids=lambda v: getattr(v, "name", v))
def test_each_notebook_asks_every_question_of_its_theme_once(path, theme, items):
    asked = calls(path)
    assert asked, f"{path.name} asks no self-check"
    assert {t for t, _ in asked} == {theme}, f"{path.name} asks questions of another theme"
    ids = [i for _, i in asked]
    assert len(ids) == len(set(ids)), f"{path.name} asks a question twice"
    assert set(ids) == set(items.loc[items["theme"] == theme, "id"])


@pytest.mark.parametrize("path, theme", NOTEBOOK_THEMES[1:], ids=lambda v: getattr(v, "name", v))
def test_each_themed_notebook_shows_its_objectives_from_data(path, theme):
    code = "\n".join(c.source for c in read_notebook(path).cells if c.cell_type == "code")
    assert f'objectives_markdown("{theme}")' in code
    text = "\n".join(c.source for c in read_notebook(path).cells if c.cell_type == "markdown")
    first = bank.objectives(theme)["text"].iloc[0]
    assert first not in text, "the objectives are written by hand as well as shown from data"


def test_the_template_asks_stored_lithium_questions(items):
    asked = calls(TEMPLATE)
    assert len(asked) >= 3 and {t for t, _ in asked} == {"lithium"}
    assert {i for _, i in asked} <= set(items["id"])


def test_the_call_pattern_finds_calls():
    assert CALL.findall('checks.self_check("lithium", "li-suicide")') == [("lithium", "li-suicide")]
    assert CALL.findall("checks.multiple_choice('x', ['a'], 0, 'y')") == []


# --- questions that read a value off a demo agree with the demo's own functions ------------------------------

def option(item_id, items) -> str:
    row = items.set_index("id").loc[item_id]
    return row["options"][row["answer"]]


def test_every_themed_notebook_has_a_question_read_off_a_demo(items):
    demo_items = set(items.loc[items["demo"] != "", "id"]) & set(DEMO_CHECKED)
    for t in THEMES:
        mine = set(items.loc[items["theme"] == t.key, "id"])
        assert mine & demo_items, f"{t.key}: no demo-reading question checked against the demo"
        for item in mine & demo_items:
            assert items.set_index("id").loc[item, "demo"] in t.demos, item


def test_basics_antagonist_demo_shifts_the_curve_elevenfold(items):
    from helpers.core.pharmacology import antagonist_dose_ratio
    from helpers.themes.basics import figures, widgets
    demo = widgets.antagonist_explorer()
    b, kb = demo.controls["antagonist"].value, demo.controls["kb"].value
    assert (b, kb) == (10.0, 1.0)  # the question states these
    ratio = antagonist_dose_ratio(b, kb)
    assert ratio == pytest.approx(11) and option("bas-antagonist-shift", items).startswith(f"{ratio:.0f}-fold")
    assert f"{ratio:.3g} times" in figures.describe_antagonist_shift(b, kb)
    assert antagonist_dose_ratio(9, 1) == pytest.approx(10) and option("bas-nine-kb", items) == "9 × KB"


def test_basics_arithmetic_and_window(items):
    from helpers.core import occupancy
    from helpers.core.pharmacology import concentration_for_occupancy
    from helpers.core.pharmacology import occupancy as occ
    from helpers.themes.basics import model
    assert float(concentration_for_occupancy(0.9, 2.0)) == pytest.approx(18)
    assert option("bas-ki-times-9", items) == "18 nM"
    assert float(occ(4, 2)) == pytest.approx(2 / 3) and float(occ(200, 2)) == pytest.approx(0.99, abs=0.001)
    window = model.window_table(occupancy.drugs_with_fit("D2"), "D2").set_index("drug")
    motor = [c for c in window.columns if "extrapyramidal" in c][0]
    assert window.loc["Clozapine", motor] == "never"


def test_ketamine_target_demo_occupies_about_half_the_nmda_receptors(items):
    from helpers.themes.ketamine import model, widgets
    demo = widgets.target_explorer()
    drug, level = demo.controls["drug"].value, demo.controls["level"].value
    assert drug == "ketamine" and not demo.controls["contested"].value
    assert level == pytest.approx(model.reference_levels()["antidepressant peak"][0], rel=0.01)
    occupied = model.modelled_occupancy(drug, level)
    assert 0.4 < occupied["NMDA"] < 0.6 and option("ket-nmda-occupancy", items) == "About half of them"
    assert (occupied[["MOR", "KOR", "DOR"]] < 0.05).all()  # "a few percent" at the opioid receptors
    assert (model.opioid_margin() > 10).all()  # "tens to hundreds of times the peak"


def test_ketamine_unit_conversion_uses_the_stored_numbers(items):
    from helpers.core import data
    from helpers.themes.ketamine import model
    peak, mass = model.reference_levels()["antidepressant peak"][0], data.molar_mass("ketamine")
    question = items.set_index("id").loc["ket-peak-um", "question"]
    assert f"{peak:g} ng/mL" in question and f"{mass:g} g/mol" in question
    assert option("ket-peak-um", items) == f"{model.antidepressant_peak_uM():.2f} µM"
    assert f"{mass / peak:.2f} µM" in items.set_index("id").loc["ket-peak-um", "options"]  # the inverted distractor


def test_lithium_clearance_demo_with_thiazide_and_ace_inhibitor(items):
    from helpers.themes.lithium import model, widgets
    demo = widgets.clearance_explorer()
    assert {"thiazide", "ace_inhibitor"} <= set(demo.toggles)
    start = model.steady_state_level(demo.controls["dose"].value, demo.controls["clearance"].value)
    assert model.classify_level(start) == "in the standard target band"
    for alone in ("thiazide", "ace_inhibitor"):
        level = start * (1 + model.combined_change([alone])["central"])
        assert model.classify_level(level) == "in the upper target band"
    both = model.combined_change(["thiazide", "ace_inhibitor"])["central"]
    assert round(1 + both, 1) == 1.8
    assert model.classify_level(start * (1 + both)).startswith("above every adult target band")
    assert model.toxicity_threshold() == 1.5
    assert option("li-clearance-demo", items) == "Above every target band, below 1.5 mmol/L"
    changes = model.clearance_factors().set_index("factor")["level_change"]
    feedback = items.set_index("id").loc["li-clearance-demo", "feedback"][1]
    assert f"+{changes['thiazide']:.0%}" in feedback and f"+{changes['ace_inhibitor']:.0%}" in feedback
    assert round(1 / 0.75, 2) == 1.33 and option("li-clearance-quarter", items) == "It rises by about a third"


def test_psychotherapy_simulator_and_scorecard(items):
    from helpers.themes.psychotherapy import mediation, model, widgets
    c = widgets.mediation_explorer().controls
    fooled = mediation.run(a=c["a"].value, b=0.0, c_prime=c["c_prime"].value, confounding=c["confounding"].value,
                           timing=c["timing"].value, n=mediation.N_MAX, seed=c["seed"].value)
    assert fooled.indirect_low > 0 and mediation.verdict(fooled).startswith("Misleading")
    assert option("psy-confounding-demo", items).startswith("Clearly above zero")
    reverse = {t: mediation.run(a=0.0, b=0.0, c_prime=0.5, reverse=1.0, timing=t, n=mediation.N_MAX)
               for t in mediation.TIMINGS}
    early, late = reverse["early (session 2)"], reverse["late (last session)"]
    assert early.indirect_low < 0 < early.indirect_high and late.indirect_low > 0
    ratings = model.rating_matrix()
    assert not (ratings == "met").all(axis=1).any()  # no treatment meets every criterion
    assert ratings.loc["psychotherapy", "specificity"] == "not_met"
    assert ratings.loc["psychotherapy", "consistency"] == "partly"
    assert option("psy-scorecard", items) == "No treatment's leading mechanism meets every criterion"


def test_antipsychotics_fingerprint_demo_fills_olanzapines_h1_receptors(items):
    from helpers.themes.antipsychotics import model, widgets
    demo = widgets.fingerprint_explorer()
    drug, d2 = demo.controls["drug"].value, demo.controls["d2"].value
    assert (drug, d2) == ("olanzapine", 70) and "olanzapine, 70%" in items.set_index("id").loc["ap-fingerprint-demo", "question"]
    h1 = model.occupancy_at(drug, "H1", d2 / 100)
    assert h1 > 0.99 and option("ap-fingerprint-demo", items) == "Over 99%"
    assert "H1 100%" in demo.description.value or "H1 100%" in model_sentence(drug, d2)


def model_sentence(drug, d2):
    from helpers.themes.antipsychotics import figures
    return figures.describe_fingerprint(drug, d2 / 100)


def test_pharmacogenomics_genotype_demo_reads_0_25_intermediate(items):
    from helpers.themes.pharmacogenomics import figures, widgets
    demo = widgets.genotype_explorer()
    assert demo.controls["gene"].value == "CYP2D6"  # the question's gene is the demo's start
    demo.controls["first"].value, demo.controls["second"].value = "*4", "*41"  # the question's alleles
    right = option("pgx-genotype-demo", items)
    score, phenotype = right.split(": ")
    assert f"= {score}," in demo.description.value and phenotype in demo.description.value
    assert "intermediate" in figures.describe_genotype("CYP2D6", "*4", "*41") and score == "0.25"


def test_timecourse_missed_dose_and_taper_demos(items):
    from helpers.themes.timecourse import model as tc
    from helpers.themes.timecourse import widgets as tw
    citalopram = next(label for label in tc.half_life_options()["label"] if label.startswith("Citalopram"))
    demo = tw.schedule_explorer(citalopram, tc.SCHEDULES[1], 4.0)  # the settings the question states
    summary = tc.schedule_summary(tc.half_life(citalopram), tc.SCHEDULES[1], 4.0)
    assert summary["missed_trough_level"] == pytest.approx(0.5, abs=0.05)  # "about half"
    assert option("tc-missed-dose-demo", items).startswith(f"About two thirds ({100 * summary['missed_trough_occupancy']:.0f}%)")
    assert f"occupancy to {100 * summary['missed_trough_occupancy']:.0f}%" in demo.description.value
    taper = tw.taper_explorer()
    start, steps = taper.controls["start"].value, taper.controls["steps"].value
    assert (start, steps) == (4.0, 4)  # "its start settings (4 × the half-maximal dose, 4 steps)"
    last = tc.taper_plan(start, steps)["linear_lost"].iloc[-1]
    assert option("tc-taper-demo", items) == f"{100 * last:.0f} points"


# ids whose answers the tests above compute from the demo's helpers
DEMO_CHECKED = ("tc-missed-dose-demo", "tc-taper-demo", "ap-fingerprint-demo", "bas-antagonist-shift", "ket-nmda-occupancy", "li-clearance-demo", "psy-confounding-demo",
                "psy-scorecard", "pgx-genotype-demo")
