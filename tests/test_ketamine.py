"""Ketamine theme (notebook 02): data checks, models, figures, widget logic and bad input."""

import csv
import itertools
import math
from pathlib import Path

import numpy as np
import pytest

from helpers.core import data, evidence
from helpers.themes.ketamine import figures as kfig
from helpers.themes.ketamine import model as ket
from helpers.themes.ketamine import widgets as kw

DATA = Path(__file__).resolve().parent.parent / "data"


def read_csv(table):
    with (DATA / table / "ketamine.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# --- Data checks ------------------------------------------------------------------------------------

def test_ketamine_rows_load_and_every_row_has_a_resolvable_source():
    refs = set(data.table("references")["key"])
    for table in ("affinities", "exposures", "properties", "evidence", "effect_sizes", "hypotheses"):
        for row in read_csv(table):
            assert row["source"], f"{table}: row without source {row}"
            assert set(row["source"].split(";")) <= refs


@pytest.mark.parametrize("drug,target,value,unit,source", [
    ("esketamine", "NMDA", 0.3, "uM", "ebert1997"),
    ("arketamine", "NMDA", 1.4, "uM", "ebert1997"),
    ("s-norketamine", "NMDA", 1.7, "uM", "ebert1997"),
    ("r-norketamine", "NMDA", 13, "uM", "ebert1997"),
    ("ketamine", "NMDA", 3100, "nM", "seeman2005"),
    ("ketamine", "D2", 55, "nM", "seeman2005"),
    ("memantine", "NMDA", 1.4, "uM", "blanpied1997"),
])
def test_key_affinities_equal_the_published_numbers(drug, target, value, unit, source):
    rows = [r for r in read_csv("affinities") if (r["drug"], r["target"], r["source"]) == (drug, target, source)]
    assert len(rows) == 1 and float(rows[0]["value"]) == value and rows[0]["unit"] == unit


def test_opioid_kis_match_published_pki():
    """Hirota 1999 reported pKi 4.38 (mu), 4.55 (kappa), 3.57 (delta); stored Ki must match within rounding."""
    stored = {r["target"]: float(r["value"]) for r in read_csv("affinities") if r["source"] == "hirota1999"}
    for target, pki in (("MOR", 4.38), ("KOR", 4.55), ("DOR", 3.57)):
        assert stored[target] == pytest.approx(10 ** (-pki) * 1e6, rel=0.01)


def test_d2_values_are_flagged_contested_and_hcn1_has_no_number():
    d2 = [r for r in read_csv("affinities") if r["target"] == "D2"]
    assert d2 and all(r["note"].startswith("contested:") for r in d2)
    assert not [r for r in read_csv("affinities") if r["target"] == "HCN1"]
    assert ket.target_rows("ketamine").at["HCN1", "status"] == "qualitative only"


def test_exposures_and_effect_sizes_equal_the_published_numbers():
    ex = {(r["regimen"][:8], r["statistic"]): float(r["value"]) for r in read_csv("exposures")}
    assert ex[("0.5 mg/k", "Cmax")] == 185
    assert ket.reference_levels() == {"antidepressant peak": (185.0, 185.0), "anaesthesia": (1200.0, 2400.0)}
    es = {r["id"]: r for r in read_csv("effect_sizes")}
    k = es["ket-es-kishimoto-ketamine-day1"]
    assert (float(k["estimate"]), float(k["ci_low"]), float(k["ci_high"]), k["n_participants"]) == (-1.0, -1.28, -0.73, "234")
    n = es["ket-es-kishimoto-nonketamine"]
    assert (float(n["estimate"]), float(n["ci_low"]), float(n["ci_high"])) == (-0.37, -0.66, -0.09)
    for row in es.values():
        if row["ci_low"]:  # trial rows that report only the two groups' rates have no interval
            assert float(row["ci_low"]) <= float(row["estimate"]) <= float(row["ci_high"])
    assert ket.effect_size_rows()["id"].tolist() == list(ket.PUZZLE_EFFECTS)  # the puzzle plot leaves out esketamine


def test_every_hypothesis_step_and_intervention_cites_existing_ketamine_evidence():
    ids = {r["id"] for r in read_csv("evidence")}
    for row in read_csv("hypothesis_steps") + read_csv("interventions"):
        assert row["evidence"] and set(row["evidence"].split(";")) <= ids
    steps = {(r["hypothesis"], r["step"]) for r in read_csv("hypothesis_steps")}
    for row in read_csv("interventions"):
        assert {tuple(c.split(":")) for c in row["cuts"].split(";")} <= steps


# --- Models -----------------------------------------------------------------------------------------

def test_antidepressant_peak_converts_with_molar_mass():
    assert ket.antidepressant_peak_uM() == pytest.approx(185 / 237.73, rel=1e-9)
    assert "0.78 uM" in ket.describe_peak()


def test_modelled_occupancy_matches_hand_calculation():
    occ = ket.modelled_occupancy("ketamine", 185)
    c_nM = 185 / 237.73 * 1000
    assert occ["NMDA"] == pytest.approx(c_nM / (c_nM + 659))
    assert occ["MOR"] == pytest.approx(c_nM / (c_nM + 41700))
    assert math.isnan(occ["HCN1"])
    assert ket.modelled_occupancy("esketamine", 0)["NMDA"] == 0
    assert ket.modelled_occupancy("esketamine", 185)["NMDA"] > ket.modelled_occupancy("arketamine", 185)["NMDA"]


def test_opioid_margin_and_nmda_range():
    margin = ket.opioid_margin()
    assert margin["MOR"] == round(41700 / (185 / 237.73 * 1000))
    low, high, n, sources = ket.nmda_affinity_range()
    # racemic ketamine only (Roth 659 nM, Kapur 0.5 uM, Seeman 3100 nM): enantiomers are not pooled
    assert (low, high, n, sources) == (pytest.approx(500), pytest.approx(3100), 3, 3)
    assert ket.describe_nmda_range() == ("3 stored NMDA affinities for racemic ketamine, from 3 papers, span "
                                         "0.5-3.1 uM, a 6-fold range.")


def test_step_strength_rule():
    assert ket.step_strength("ket-kishimoto2016-ketamine") == "strong"
    assert ket.step_strength("ket-li2010-mtor;ket-abdallah2020-rapamycin") == "contested"
    assert ket.step_strength("ket-zanosgould2018-review") == "weak"
    # the weakest rating wins: one strong row cannot lift a weakly supported link
    assert ket.step_strength("ket-berman2000-rct;ket-kishimoto2016-ketamine") == "weak"
    assert ket.step_strength("ket-kishimoto2016-ketamine;ket-maeng2008-nbqx") == "moderate"
    assert ket.step_strength("ket-autry2011-bdnf;ket-yoon2025-naltrexone") == "contested"  # directions differ


def test_causal_steps_cite_only_evidence_that_tests_them():
    """Efficacy trials (general rows) never grade a mechanistic link, so no '-> mood' link is drawn strong."""
    general = {r["id"] for r in read_csv("evidence") if r["hypothesis"] == "general"}
    for row in read_csv("hypothesis_steps"):
        assert not set(row["evidence"].split(";")) & general, row
    for hyp in ket.hypotheses()["hypothesis"]:
        assert ket.chain(hyp)["strength"].iloc[-1] != "strong"
    assert ket.chain("disinhibition")["strength"].iloc[-1] == "weak"


def test_chain_refuses_a_step_citing_general_evidence(monkeypatch):
    steps = data.table("hypothesis_steps").copy()
    steps.loc[steps["step"] == "mood", "evidence"] = "ket-kishimoto2016-ketamine"
    real = data.table
    monkeypatch.setattr(data, "table", lambda name: steps if name == "hypothesis_steps" else real(name))
    with pytest.raises(data.DataError, match="may cite only evidence that tests that step"):
        ket._chain.__wrapped__("disinhibition")


def test_effect_removed_reads_the_evidence_direction():
    assert ket.effect_removed("rapamycin_rat") == "yes"
    assert ket.effect_removed("rapamycin_human") == "no"
    assert ket.effect_removed("naltrexone_2018") == "yes"
    assert ket.effect_removed("naltrexone_2025") == "not testable"


def test_not_testable_trials_agree_with_their_evidence_rows():
    ev = {r["id"]: r for r in read_csv("evidence")}
    rows = {r["intervention"]: r for r in read_csv("interventions")}
    for name in ket.NOT_TESTABLE:
        assert all(ev[i]["direction"] == "mixed" for i in rows[name]["evidence"].split(";"))
    assert "did not beat" in ev["ket-yoon2025-naltrexone"]["finding"]
    table = ket.intervention_findings(["naltrexone_2025"])
    assert table.at[0, "Did the blocker weaken ketamine's effect?"] == "not testable"
    assert "not testable" in kfig.describe_chains(["naltrexone_2025"]) and "midazolam" in kfig.describe_chains(
        ["naltrexone_2025"])


def test_review_fixes_in_the_evidence_rows():
    ev = {r["id"]: r for r in read_csv("evidence")}
    assert ev["ket-hirota1999-opioid"]["direction"] == "supports"  # the finding supports its own claim
    # esketamine: one positive phase 3 trial and two that missed their primary endpoint (abstracts checked)
    assert ev["ket-popova2019-esketamine"]["direction"] == "supports"
    assert ev["ket-fedgchin2019-esketamine"]["effect_size"].startswith("MADRS difference -3.2 (95% CI -6.88 to 0.45)")
    assert ev["ket-ochsross2020-esketamine"]["effect_size"] == "MADRS difference -3.6 (95% CI -7.20 to 0.07)"
    for key in ("fedgchin2019", "ochsross2020"):
        assert ev[f"ket-{key[:-4]}{key[-4:]}-esketamine"]["direction"] == "mixed"
    # the human PET evidence on D2 points both ways, and both rows are contested
    pet = [ev["ket-aalto2002-d2pet"], ev["ket-vollenweider2000-d2pet"]]
    assert {r["direction"] for r in pet} == {"supports", "contradicts"}
    assert all(r["strength"] == "contested" for r in pet)


def test_downstream_of_cuts():
    below = ket.downstream_of_cuts({("opioid", "opioid_activation")})
    assert below == {("opioid", "mood")}
    assert ket.downstream_of_cuts(set()) == set()


def test_puzzle_table_has_the_three_drugs_and_flags_missing_lanicemine_affinity():
    table = ket.puzzle_table()
    assert list(table["Drug"]) == ["Ketamine (racemic)", "Memantine", "Lanicemine"]
    column = ket.PUZZLE_AFFINITY_COLUMN
    assert table.at[2, column] == "no value available"
    assert table.at[0, column].startswith("binding Ki") and table.at[1, column].startswith("functional IC50")
    assert "86%" in table.at[0, "Trapping"] and "secondary source" in table.at[0, "Trapping"]


# --- Figures ----------------------------------------------------------------------------------------

def test_target_figure_flags_contested_and_qualitative_bars():
    fig = kfig.target_figure("ketamine", 185)
    bars = fig.data[7]
    targets = list(bars.x)
    assert bars.marker.pattern.shape[targets.index("D2")] == "/"
    assert bars.text[targets.index("D2")] == kfig.CONTESTED_HIDDEN_LABEL  # hidden by default ...
    assert "contested" in kfig.target_figure("ketamine", 185, show_contested=True).data[7].text[targets.index("D2")]
    assert bars.text[targets.index("HCN1")] == "no<br>number"  # two short lines: longer ones hit the next label
    assert "Hidden: the contested D2 value" in kfig.describe_targets("ketamine", 185)  # ... and said so in words
    assert len(fig.layout.shapes) == 2  # anaesthesia band and antidepressant line
    # in paper coordinates (plotly.js redraws axis-tied shapes after every quick step), at the stored levels
    band, line = fig.layout.shapes
    assert {band.xref, band.yref, line.xref, line.yref} == {"paper"}
    levels, domain = ket.reference_levels(), fig.layout.xaxis.domain
    span = np.log10(kfig.LEVEL_RANGE_NG_ML)

    def level_at(paper_x):  # ng/mL back from a paper coordinate on the left panel's log axis
        return 10 ** (span[0] + (paper_x - domain[0]) / (domain[1] - domain[0]) * (span[1] - span[0]))
    assert level_at(band.x0) == pytest.approx(levels["anaesthesia"][0]) and level_at(band.x1) == pytest.approx(levels["anaesthesia"][1])
    assert level_at(line.x0) == pytest.approx(levels["antidepressant peak"][0]) == pytest.approx(level_at(line.x1))


def test_bar_labels_show_lower_bound_sign(monkeypatch):
    rows = ket.target_rows("ketamine")
    rows.loc["MOR", "lower_bound"] = True
    monkeypatch.setattr(ket, "target_rows", lambda drug: rows)
    _, texts, _ = kfig.bar_labels("ketamine", 185)
    assert texts[list(rows.index).index("MOR")].startswith("≤")


def test_forest_figure_and_description():
    fig = kfig.forest_figure()
    assert list(fig.data[0].x) == [-1.0, -0.37]
    assert "-1.00" in kfig.describe_forest() and "-0.37" in kfig.describe_forest()


# --- Widgets ----------------------------------------------------------------------------------------

def expected_cuts(active):
    """Independent reading of data/interventions/ketamine.csv."""
    rows = {r["intervention"]: r for r in read_csv("interventions")}
    return {tuple(c.split(":")) for name in active for c in rows[name]["cuts"].split(";")}


def test_blocker_explorer_every_combination_cuts_exactly_the_listed_steps():
    demo = kw.blocker_explorer()
    names = [r["intervention"] for r in read_csv("interventions")]
    assert list(demo.controls) == names
    combos = [c for r in range(len(names) + 1) for c in itertools.combinations(names, r)]
    assert len(combos) == 2 ** len(names) == len(ket.every_combination())
    layout = kfig.chain_layout()
    position = {(n["x"], n["y"]): (n["hyp"], n["step"]) for n in layout["nodes"]}
    for combo in combos:
        for name, button in demo.controls.items():
            button.value = name in combo
        expected = expected_cuts(combo)
        assert ket.cut_steps(combo) == expected
        cut_trace = demo.figure.data[7]
        shown = {position[(x, y)] for x, y in zip(cut_trace.x, cut_trace.y)}
        assert shown == expected, combo
        text = demo.description.value
        if combo:
            assert "Cut steps (grey X)" in text
            assert all(f"{kw.ket.interventions().at[n, 'name']}" in text for n in combo)
        else:
            assert "every chain is intact" in text and len(cut_trace.x) == 0
            assert len(demo.figure.data[4].x) == 0  # no broken links
        n_nodes = sum(len(demo.figure.data[i].x) for i in range(5, 9))
        assert n_nodes == len(layout["nodes"])  # nothing is dropped from the diagram


def test_blocker_findings_table_shows_species_and_design():
    demo = kw.blocker_explorer()
    findings = demo.children[-1]
    assert "No blocker is switched on" in findings.value
    demo.controls["rapamycin_human"].value = True
    assert "human" in findings.value and "crossover" in findings.value


def test_target_explorer_all_compounds_and_extremes():
    demo = kw.target_explorer()
    assert "at the antidepressant peak" in demo.description.value
    slider = demo.controls["level"]
    for drug in ket.COMPOUNDS:
        demo.controls["drug"].value = drug
        for exponent in (slider.min, slider.max):
            before = tuple(demo.figure.data[7].y)
            slider.value = 10 ** exponent
            assert tuple(demo.figure.data[7].y) != before
            heights = np.array(demo.figure.data[7].y)
            assert np.all((heights >= 0) & (heights <= 100))
            assert "What the figure shows" in demo.description.value
    demo.controls["drug"].value = "ketamine"
    slider.value = 1800
    assert "inside the anaesthetic range" in demo.description.value
    slider.value = 10000
    assert "above the anaesthetic range" in demo.description.value
    assert "Hidden: the contested D2 value" in demo.description.value
    demo.controls["contested"].value = True
    assert "D2 100% (contested value)" in demo.description.value


def _bars(demo) -> dict:
    bars = demo.figure.data[7]
    return {t: (float(y), text) for t, y, text in zip(bars.x, bars.y, bars.text)}


def test_target_explorer_starts_with_contested_values_hidden_and_sentence_agrees():
    demo = kw.target_explorer()
    assert demo.controls["contested"].value is False
    bars = _bars(demo)
    assert bars["D2"] == (0.0, kfig.CONTESTED_HIDDEN_LABEL)  # parked at 0, with a visible label
    assert max(bars, key=lambda t: bars[t][0]) == "NMDA"  # the tallest bar on the default screen
    curves = {t.name: t for t in demo.figure.data[:6]}
    assert max(curves["D2 (contested value)"].y) < 0  # hidden: parked below the panel; the bar says "hidden"
    text = demo.description.value
    assert "NMDA 54%" in text and "D2 9" not in text and "Hidden: the contested D2 value" in text


def test_target_explorer_shows_contested_values_when_switched_on_and_back():
    demo = kw.target_explorer()
    demo.controls["contested"].value = True
    # only point data changes (the legend name stays), so the switch takes the quick redraw: as a full update it
    # was 02's slowest step (59 ms, 3x the bench's reference)
    assert demo.figure.last_redraw == "quick"
    bars = _bars(demo)
    assert bars["D2"][0] > 90 and bars["D2"][1] == "93%<br>contested"
    assert max(bars, key=lambda t: bars[t][0]) == "D2"  # the contested claim, once asked for
    assert demo.figure.data[5].name == "D2 (contested value)" and min(demo.figure.data[5].y) >= 0
    assert "D2 93% (contested value)" in demo.description.value and "Hidden" not in demo.description.value
    demo.controls["level"].value = 400  # a level step with the switch on: only the points move
    assert demo.figure.last_redraw == "quick" and _bars(demo)["D2"][0] > 95
    demo.controls["contested"].value = False
    assert demo.figure.last_redraw == "quick"
    assert _bars(demo)["D2"] == (0.0, kfig.CONTESTED_HIDDEN_LABEL) and max(demo.figure.data[5].y) < 0  # parked
    assert "Hidden: the contested D2 value" in demo.description.value
    # the live figure equals the builder's for the same state, in both states
    for on in (True, False):
        demo.controls["contested"].value = on
        built = kfig.target_figure("ketamine", demo.controls["level"].value, on)
        assert [list(t.y) for t in demo.figure.data] == [list(t.y) for t in built.data]
        assert [t.name for t in demo.figure.data] == [t.name for t in built.data]


def test_target_explorer_can_start_with_contested_values_shown():
    demo = kw.target_explorer(show_contested=True)
    assert demo.controls["contested"].value is True and _bars(demo)["D2"][0] > 90


def test_target_explorer_changes_figure_with_compound():
    demo = kw.target_explorer()
    nmda_racemic = demo.figure.data[7].y[0]
    demo.controls["drug"].value = "esketamine"
    text = demo.description.value
    assert "equal to the racemic ketamine antidepressant peak" in text and "not of this compound" in text
    assert "at the antidepressant peak" not in text
    assert demo.figure.data[7].y[0] > nmda_racemic
    assert demo.figure.data[7].text[1] == "no<br>data"
    assert "Esketamine" in demo.figure.layout.title.text


def test_evidence_explorer_filters_species_and_design():
    demo = kw.evidence_explorer("ketamine")
    total = len(evidence.evidence_table("ketamine"))
    assert demo.description.value == f"<p>{total} of {total} evidence rows match.</p>"
    demo.controls["species"].value = "human"
    humans = len(evidence.evidence_table("ketamine", species="human"))
    assert len(demo.shown) == humans < total
    demo.controls["design"].value = "meta-analysis"
    assert set(demo.shown["Design"]) == {"meta-analysis"}
    demo.controls["hypothesis"].value = "lhb_burst"  # no human rows: explicit message, no error
    assert len(demo.shown) == 0 and "No row matches" in demo.view.value


# --- Bad input --------------------------------------------------------------------------------------

@pytest.mark.parametrize("level,match", [(-1, r"plasma level must not be negative \(got -1 ng/mL\)"),
                                         (float("nan"), "plasma level must be finite"),
                                         (float("inf"), "plasma level must be finite")])
def test_bad_levels_raise(level, match):
    with pytest.raises(ValueError, match=match):
        ket.modelled_occupancy("ketamine", level)


def test_bad_names_raise_with_choices():
    with pytest.raises(data.UnknownNameError, match="choose one of"):
        ket.target_rows("memantine")
    with pytest.raises(data.UnknownNameError, match="Known drugs"):
        ket.target_rows("ketamin-x")
    with pytest.raises(data.UnknownNameError, match="known interventions: nbqx_mouse"):
        ket.cut_steps(["aspirin"])
    with pytest.raises(data.UnknownNameError, match="hypotheses are: disinhibition"):
        ket.chain("serotonin")
    with pytest.raises(data.UnknownNameError, match="unknown evidence id"):
        ket.step_strength("ket-nope")
    with pytest.raises(ValueError, match="ng_per_ml must be between"):
        kw.target_explorer(ng_per_ml=1e6)
