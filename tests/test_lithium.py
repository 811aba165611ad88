"""Lithium: models against hand-computed values, data checks, bad input, and every widget state."""

import itertools
import math

import pytest

from helpers.core import data
from helpers.core.pharmacology import fraction_inhibited
from helpers.themes.lithium import figures as lf
from helpers.themes.lithium import model as li
from helpers.themes.lithium import widgets as lw

# --- inhibition model -------------------------------------------------------------------------------


def test_impase_matches_hand_computed_uncompetitive_values():
    # serum 0.6, ratio 0.5 -> brain 0.3 mM; Ki 0.5 mM; [S] = Km:
    # remaining = (1 + 1) / (1 + 1 * (1 + 0.3/0.5)) = 2 / 2.6 -> inhibited 0.2308
    assert li.impase_inhibition(0.6, 0.5, 1.0) == pytest.approx(1 - 2 / 2.6)
    # [S] = 10 Km: remaining = 11 / (1 + 10 * 1.6) = 11 / 17
    assert li.impase_inhibition(0.6, 0.5, 10.0) == pytest.approx(1 - 11 / 17)
    # no substrate: an uncompetitive inhibitor has nothing to bind
    assert li.impase_inhibition(0.6, 0.5, 0.0) == 0.0


def test_impase_rises_with_substrate_as_in_the_research_log():
    low, high = li.impase_inhibition(0.8, 0.5, 0.1), li.impase_inhibition(0.8, 0.5, 10)
    assert high > low
    # research log table: brain 0.8 mM, Ki 0.5: 13% at 0.1 Km, 44% at Km, 59% at 10 Km
    assert li.impase_inhibition(1.6, 0.5, 0.1) == pytest.approx(0.127, abs=0.002)
    assert li.impase_inhibition(1.6, 0.5, 1.0) == pytest.approx(0.444, abs=0.002)
    assert li.impase_inhibition(1.6, 0.5, 10.0) == pytest.approx(1 - 11 / 27)  # 11 / (1 + 10 * 2.6)


def test_gsk3_matches_hand_computed_values_and_mg_factor():
    # brain 0.3 mM, Ki 2 mM: 0.3 / 2.3 = 0.1304 (research log: about 13%)
    assert li.gsk3_inhibition(0.6, 0.5) == pytest.approx(0.3 / 2.3)
    # Mg2+ factor 0.5 halves the apparent Ki: 0.3 / (0.3 + 1) = 0.2308
    assert li.gsk3_inhibition(0.6, 0.5, 0.5) == pytest.approx(0.3 / 1.3)
    assert li.gsk3_inhibition(0.6, 0.5, 2.0) == pytest.approx(0.3 / 4.3)


def test_models_use_the_shared_fraction_inhibited():
    k = li.enzyme_constant("IMPA1")["value_mM"]
    assert li.impase_inhibition(1.0, 0.39, 2.0) == pytest.approx(fraction_inhibited(0.39, k, "uncompetitive", 2.0))


def test_zero_level_gives_zero_inhibition_and_arrays_work():
    assert li.impase_inhibition(0, 0.5) == 0 and li.gsk3_inhibition(0, 0.5) == 0
    assert li.impase_inhibition([0, 1], 0.5).shape == (2,)


def test_enzyme_constants_come_from_data():
    imp, gsk = li.enzyme_constant("IMPase"), li.enzyme_constant("GSK3B")
    assert (imp["measure"], imp["value_mM"], imp["mode"], imp["source"]) == ("Ki", 0.5, "uncompetitive", "faraci1993")
    assert (gsk["value_mM"], gsk["mode"]) == (2.0, "competitive")


# --- steady state -------------------------------------------------------------------------------------


def test_carbonate_conversion_matches_label_arithmetic():
    # 300 mg Li2CO3 (73.89 g/mol) = 8.12 mmol Li+ (research log); 900 mg = 24.4 mmol
    assert li.carbonate_to_lithium_mmol(300) == pytest.approx(8.12, abs=0.01)
    assert li.carbonate_to_lithium_mmol(900) == pytest.approx(24.36, abs=0.02)


def test_steady_state_level_hand_computed():
    # 24.36 mmol/day / (25 mL/min = 36 L/day) = 0.677 mmol/L with F = 1
    assert li.steady_state_level(900, 25) == pytest.approx(24.361 / 36, rel=1e-3)
    # research log: 900 mg/day with CL 10-40 mL/min gives about 0.42-1.7 mmol/L
    assert li.steady_state_level(900, 40) == pytest.approx(0.42, abs=0.01)
    assert li.steady_state_level(900, 10) == pytest.approx(1.69, abs=0.01)
    # proportional to dose, inversely to clearance
    assert li.steady_state_level(1800, 25) == pytest.approx(2 * li.steady_state_level(900, 25))
    assert li.steady_state_level(900, 50) == pytest.approx(li.steady_state_level(900, 25) / 2)
    assert li.steady_state_level(900, 25, 0.8) == pytest.approx(0.8 * li.steady_state_level(900, 25, 1.0))


def test_combined_change_is_multiplicative_and_ranges_need_every_interval():
    c = li.combined_change(["thiazide", "ace_inhibitor"])
    assert c["central"] == pytest.approx(1.32 * 1.36 - 1)
    assert c["low"] is None and c["high"] is None and c["point_only"] == ["thiazide", "ace_inhibitor"]
    # meloxicam has an interval, the thiazide does not: no combined range from one factor's interval alone
    m = li.combined_change(["thiazide", "NSAID: meloxicam 15 mg/day"])
    assert m["central"] == pytest.approx(1.32 * 1.21 - 1)
    assert m["low"] is None and m["high"] is None and m["point_only"] == ["thiazide"]
    alone = li.combined_change(["nsaid_meloxicam"])
    assert (alone["low"], alone["high"]) == pytest.approx((0.13, 0.30)) and alone["point_only"] == []
    assert li.combined_change([])["central"] == 0
    assert li.combined_change(["aspirin"])["central"] == 0


def test_interval_text_names_the_kind_or_says_point_estimate_only():
    assert li.interval_text("nsaid_meloxicam") == "+13% to +30% (90% CI of the group mean)"
    for key in ("thiazide", "ace_inhibitor", "nsaid_indomethacin", "aspirin"):
        assert li.interval_kind(key) is None
        assert "no interval reported" in li.interval_text(key) and "not zero" in li.interval_text(key)
    table = li.clearance_table().set_index("situation")
    assert table.at["Aspirin", "change in steady-state level"] == "no change found (0%)"
    assert "not given" not in " ".join(table["interval"])


def test_adjusted_level_hand_computed_and_thiazide_example():
    # research log self-check: 0.7 mmol/L with a thiazide -> 0.7 / 0.76 = 0.92
    assert li.adjusted_level(0.7, ["thiazide"])["central"] == pytest.approx(0.924, abs=0.001)


def test_half_life_and_days_to_steady_state_follow_clearance():
    # t1/2 = ln2 x V / CL with V = 0.6 L/kg x 70 kg = 42 L; 25 mL/min = 1.5 L/h -> 19.4 h (review S3 table)
    assert li.volume_of_distribution_L() == pytest.approx(42.0)
    assert li.half_life_h(25) == pytest.approx(math.log(2) * 42 / 1.5)
    assert li.half_life_h(10) == pytest.approx(48.5, abs=0.1) and li.half_life_h(40) == pytest.approx(12.1, abs=0.1)
    assert li.days_to_steady_state(25) == pytest.approx((4 * li.half_life_h(25) / 24, 5 * li.half_life_h(25) / 24))
    assert li.days_to_steady_state(10)[0] > 2 * li.days_to_steady_state(25)[0] / 1.25  # lower clearance, longer
    with pytest.raises(ValueError, match="clearance"):
        li.half_life_h(0)
    with pytest.raises(ValueError, match="body weight"):
        li.half_life_h(25, weight_kg=-70)


def test_description_time_to_steady_state_uses_the_new_clearance():
    fast = lf.describe_steady_state(900, 40, [])
    slow = lf.describe_steady_state(900, 10, [])
    assert f"{li.days_to_steady_state(40)[0]:.1f}-{li.days_to_steady_state(40)[1]:.1f} days" in fast
    assert f"{li.days_to_steady_state(10)[0]:.1f}-{li.days_to_steady_state(10)[1]:.1f} days" in slow
    new_cl = 25 / 1.32
    assert f"{li.days_to_steady_state(new_cl)[0]:.1f}" in lf.describe_steady_state(900, 25, ["thiazide"])
    assert "4-5 days" not in fast and "outside the reported" in slow


# --- data checks ----------------------------------------------------------------------------------------


def test_reference_bands_are_the_verified_ones():
    bands = li.reference_bands().set_index("band")
    assert (bands.at["standard target", "low"], bands.at["standard target", "high"]) == (0.6, 0.8)
    assert bands.at["toxicity risk", "low"] == 1.5 and bands.at["toxicity risk", "high"] is None
    assert not any("severe" in b for b in bands.index), "no severe band was verified"
    assert bands["source"].notna().all()


def test_clearance_factor_values_match_sources():
    rows = li.clearance_factors().set_index("factor")
    assert rows.at["thiazide", "level_change"] == pytest.approx(1 / 0.76 - 1, abs=0.005)
    assert rows.at["ace_inhibitor", "level_change"] == 0.36
    assert rows.at["nsaid_meloxicam", "level_change_low"] == 0.13
    assert all(rows["source"].notna())
    assert not set(li.UNQUANTIFIED) & set(rows.index), "unquantified situations must not be modelled"


def test_effect_sizes_for_suicide_comparison():
    rows = li.effect_rows(li.SUICIDE_EFFECTS).set_index("id")
    assert rows.loc["li-es-cipriani2013-suicide", ["estimate", "ci_low", "ci_high"]].tolist() == [0.13, 0.03, 0.66]
    assert rows.loc["li-es-katz2022-suicide-events", ["estimate", "ci_low", "ci_high"]].tolist() == [1.10, 0.77, 1.55]
    table = li.suicide_comparison()
    assert "519" in set(table["people"]) and table["notes"].str.contains("mEq/L").any()


def test_every_hypothesis_has_evidence_and_every_lithium_row_has_a_source():
    for key in li.HYPOTHESES:
        assert len(li.hypothesis_evidence(key)) > 0, key
    rows = data.table("evidence")
    assert rows.loc[rows["theme"] == "lithium", "source"].notna().all()


def test_band_classification():
    assert li.bands_at(0.7) == ["standard target"]
    assert "toxicity" in li.classify_level(1.5)
    assert "above every adult target" in li.classify_level(1.2)
    assert li.classify_level(0) == "no lithium"


def test_levels_between_target_and_threshold_are_not_reassuring():
    for level in (1.05, 1.25, 1.49):
        text = li.classify_level(level)
        assert "does not make it safe" in text and "toxicity can occur below it" in text
        assert "Waring" in text and "Baird-Gunning" in text
    assert "safe" not in li.classify_level(0.7)


# --- the clearance exercises in the notebook must be true at the demo's defaults -----------------------

RAISING = ("thiazide", "ace_inhibitor", "nsaid_indomethacin", "nsaid_meloxicam")


def _default_base():
    demo = lw.clearance_explorer()
    return li.steady_state_level(demo.controls["dose"].value, demo.controls["clearance"].value)


def test_exercise_each_raising_situation_alone_moves_default_into_upper_band_and_aspirin_does_not():
    base = _default_base()
    assert li.bands_at(base) == ["standard target"]
    for key in RAISING:
        assert li.bands_at(li.adjusted_level(base, [key])["central"]) == ["upper target"], key
    assert li.bands_at(li.adjusted_level(base, ["aspirin"])["central"]) == ["standard target"]


def test_exercise_any_realistic_pair_goes_above_every_target_band_but_below_the_threshold():
    base = _default_base()
    for pair in itertools.combinations(RAISING, 2):
        if all(k.startswith("nsaid") for k in pair):
            continue  # two NSAIDs is not a realistic prescription; the notebook excludes it
        level = li.adjusted_level(base, list(pair))["central"]
        assert "above every adult target band" in li.classify_level(level), pair
        assert level < li.toxicity_threshold(), pair


def test_exercise_lowest_clearance_alone_puts_the_default_dose_at_the_threshold():
    demo = lw.clearance_explorer()
    demo.controls["clearance"].value = demo.controls["clearance"].min
    assert demo.controls["clearance"].value == li.clearance_range_mL_min()[0]
    level = li.steady_state_level(demo.controls["dose"].value, demo.controls["clearance"].value)
    assert level >= li.toxicity_threshold()
    assert "used to define toxicity risk" in demo.description.value
    low, high = li.level_range_over_clearances(demo.controls["dose"].value)
    assert high / low == pytest.approx(4.0)  # the fourfold clearance range gives a fourfold level range
    assert f"{low:.2f} to {high:.2f} mmol/L" in demo.description.value


# --- bad input -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("call", [
    lambda: li.impase_inhibition(-0.1, 0.5),
    lambda: li.gsk3_inhibition(-1, 0.5),
    lambda: li.bands_at(-0.2),
    lambda: li.adjusted_level(-0.5, ["thiazide"]),
    lambda: li.carbonate_to_lithium_mmol(-300),
])
def test_negative_levels_are_rejected(call):
    with pytest.raises(ValueError, match="negative"):
        call()


@pytest.mark.parametrize("call,match", [
    (lambda: li.impase_inhibition(float("nan"), 0.5), "finite"),
    (lambda: li.impase_inhibition(0.5, 0), "ratio"),
    (lambda: li.gsk3_inhibition(0.5, 0.5, 0), "mg_factor"),
    (lambda: li.steady_state_level(900, 0), "clearance"),
    (lambda: li.steady_state_level(900, 25, 1.5), "fraction_absorbed = 1.5 is outside its valid range 0 to 1"),
    (lambda: li.impase_inhibition(0.5, 0.5, -1), "substrate_over_km"),
    (lambda: lw.level_explorer(9), "at most"),
])
def test_other_bad_numbers_are_rejected(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_unknown_factor_names_the_valid_choices():
    with pytest.raises(data.UnknownNameError, match="Modelled factors: thiazide, ace_inhibitor"):
        li.combined_change(["warfarin"])
    with pytest.raises(ValueError, match="unknown interacting drug"):
        li.adjusted_level(0.7, ["lisinoprilx"])


@pytest.mark.parametrize("name", ["dehydration", "loop_diuretic", "arb", "Angiotensin receptor blocker (ARB)"])
def test_unquantified_situations_explain_why(name):
    with pytest.raises(data.UnknownNameError, match="not modelled"):
        li.resolve_factor(name)


def test_duplicate_factor_and_unknown_lookups():
    with pytest.raises(ValueError, match="once"):
        li.combined_change(["thiazide", "Thiazide diuretic (long-term)"])
    with pytest.raises(data.UnknownNameError, match="IMPase, GSK3B"):
        li.enzyme_constant("BPNT1")
    with pytest.raises(data.UnknownNameError, match="choose one of inositol_depletion"):
        li.hypothesis_evidence("serotonin")
    with pytest.raises(data.UnknownNameError, match="lithium ids"):
        li.effect_rows(["li-es-nope"])


# --- widgets ------------------------------------------------------------------------------------------


def test_level_explorer_extremes_and_every_control():
    demo = lw.level_explorer()
    start = list(demo.figure.data[2].y)
    demo.controls["serum"].value = 0.0
    assert "no lithium" in demo.description.value and "0%" in demo.description.value
    assert demo.figure.data[4].y == (0.0,)
    demo.controls["serum"].value = demo.controls["serum"].max
    assert demo.controls["serum"].max == li.LEVEL_MAX
    assert "used to define toxicity risk" in demo.description.value
    assert demo.figure.data[1].x == (li.LEVEL_MAX, li.LEVEL_MAX)
    for ratio in demo.controls["ratio"].options:
        demo.controls["ratio"].value = ratio[1]
        assert f"ratio of {ratio[1]:g}" in demo.description.value
    for name in ("substrate", "mg"):
        for end in (demo.controls[name].min, demo.controls[name].max):
            demo.controls[name].value = 10 ** end
    assert list(demo.figure.data[2].y) != start
    assert "Beyond this axis" in demo.description.value


def test_clearance_explorer_every_toggle_combination():
    demo = lw.clearance_explorer()
    keys = list(demo.toggles)
    base = li.steady_state_level(demo.controls["dose"].value, demo.controls["clearance"].value)
    rows = list(demo.figure.data[0].y)
    assert len(rows) == 1 + len(keys) + 1  # before, each situation, all together: always all there
    for combo in itertools.product([False, True], repeat=len(keys)):
        for key, on in zip(keys, combo):
            demo.toggles[key].value = on
        chosen = [k for k, on in zip(keys, combo) if on]
        bars, notes = demo.figure.data[0], demo.figure.data[1]
        assert list(bars.y) == rows and list(notes.y) == rows  # no row appears, moves or goes
        assert bars.x[0] == pytest.approx(base) and notes.text[0].strip() == f"{base:.2f}"
        for i, key in enumerate(keys, start=1):
            if key in chosen:
                alone = li.adjusted_level(base, [key])["central"]
                assert bars.x[i] == pytest.approx(alone) and notes.text[i].strip() == f"{alone:.2f}", key
                # a whisker only where the data give an interval for this situation
                assert (bars.error_x.array[i] > 0) == (li.interval_kind(key) is not None), key
            else:
                assert bars.x[i] == 0 and notes.text[i] == f"<i>{lf.NOTE_OFF}</i>" and notes.x[i] == 0, key
                assert bars.error_x.array[i] == 0 and bars.error_x.arrayminus[i] == 0
        if len(chosen) > 1:
            expected = li.adjusted_level(base, chosen)["central"]
            assert bars.x[-1] == pytest.approx(expected) and notes.text[-1].strip() == f"{expected:.2f}"
            assert f"{expected:.2f} mmol/L" in demo.description.value
            assert "assumption" in demo.description.value
            assert (bars.error_x.array[-1] > 0) == (not li.point_estimate_only(chosen))
            if li.point_estimate_only(chosen):
                assert "No range is given for the combination" in demo.description.value
        else:
            assert bars.x[-1] == 0 and notes.text[-1] == f"<i>{lf.NOTE_COMBINED_OFF}</i>"
        if not chosen:
            assert "No situation is selected" in demo.description.value
        # hover says the same as the row, never "0.00 mmol/L" for a row that is switched off
        assert all(("0.00 mmol/L" not in h) for h in bars.customdata[1:])
        # the dose-to-level sentence never appears without the caveats beside it
        text = demo.description.value
        assert "Illustration only" in text and "that is why the level is measured" in text
        assert lf.CLOSING_CAVEAT in text
        # toggles change lengths and words only, so the browser redraws just the points
        assert demo.figure.last_redraw in ("quick", "none")
    assert len(set(keys)) == 5


def test_clearance_explorer_slider_extremes():
    demo = lw.clearance_explorer()
    demo.toggles["thiazide"].value = True
    demo.controls["dose"].value = 0
    assert demo.figure.data[0].x[0] == 0 and "no lithium" in demo.description.value
    demo.controls["dose"].value = demo.controls["dose"].max
    demo.controls["clearance"].value = demo.controls["clearance"].min
    level = li.adjusted_level(li.steady_state_level(demo.controls["dose"].value, demo.controls["clearance"].value),
                              ["thiazide"])["central"]
    # far beyond the plot: the axis is capped and the picture says so, never silently off-scale
    assert demo.figure.layout.xaxis.range[1] == pytest.approx(lf.plot_cap())
    assert lf.plot_cap() < level
    assert demo.figure.layout.title.text.startswith("⚠")
    notes = demo.figure.data[1]
    assert notes.text[1].strip() == f"{level:.2f} ▲ off scale"
    assert notes.x[1] == pytest.approx(lf.plot_cap()) and notes.textposition[1] == "middle left"
    assert demo.figure.last_redraw == "full"  # the axis changed, so plotly redraws all of it
    assert "Warning" in demo.description.value and "far into toxicity" in demo.description.value
    assert "cut off at the right-hand end of the plot" in demo.description.value
    # back to an ordinary setting: the warning goes away
    demo.controls["dose"].value = 900
    demo.controls["clearance"].value = 25
    assert "Warning" not in demo.description.value and not demo.figure.layout.title.text.startswith("⚠")
    assert demo.figure.layout.xaxis.range[1] > max(demo.figure.data[0].x)


def test_hypothesis_grid_counts_studies_and_lists_them_on_hover():
    """Each cell once listed its sources, and three author names ran into the next cell (seen at 1280 px):
    cells now count the papers (one evidence row may cite several); the hover text names them."""
    m = lf.hypothesis_matrix()
    gsk3 = m["keys"].index("gsk3_inhibition")
    mixed, supports = li.DIRECTIONS.index("mixed"), li.DIRECTIONS.index("supports")
    # by hand: one mixed row citing Ryves & Harwood 2001; Klein & Melton 1996; Lee et al. 2012, and two
    # supporting rows (Klein & Melton 1996; Beurel et al. 2012)
    assert (m["z"][gsk3][mixed], m["text"][gsk3][mixed]) == (3, "3 papers")
    assert (m["z"][gsk3][supports], m["text"][gsk3][supports]) == (2, "2 papers")
    assert "Ryves & Harwood 2001" in m["hover"][gsk3][mixed]


def test_hypothesis_explorer_every_choice():
    demo = lw.hypothesis_explorer()
    assert len(demo.figure.data[0].y) == len(li.HYPOTHESES)
    for value in [v for _, v in demo.controls["hypothesis"].options]:
        demo.controls["hypothesis"].value = value
        rows = 1 if value in li.HYPOTHESES else len(li.HYPOTHESES)
        assert len(demo.figure.data[0].y) == rows
        assert "supporting" in demo.description.value
        assert "not that none exists" in demo.description.value
    text = lf.hypothesis_matrix()["text"]
    assert all(cell != "" and cell != "–" for row in text for cell in row)
    cells = {cell.replace("<br>", " ") for row in text for cell in row}
    assert li.EMPTY_CELL in cells and "1 paper" in cells and "3 papers" in cells  # counts: names overflowed
    assert all(len(line) <= 22 for label in lf.hypothesis_matrix()["labels"] for line in label.split("<br>"))
    assert "none in data" not in li.hypothesis_summary().to_string()


def test_forest_figure_is_log_scale_with_line_at_one():
    fig = lf.forest_figure(li.SUICIDE_EFFECTS)
    assert fig.layout.xaxis.type == "log"
    assert any(s.x0 == 1 for s in fig.layout.shapes)
    assert list(fig.data[0].x) == [0.13, 0.38, 1.10]
    text = lf.describe_forest(li.SUICIDE_EFFECTS)
    assert "crossing 1" in text and "below 1 (fewer events in the first group)" in text


@pytest.mark.parametrize("ids", [li.ADMISSION_EFFECTS, li.SIDE_EFFECT_EFFECTS, li.SUICIDE_EFFECTS])
def test_forest_figure_gives_each_effect_its_own_row(ids):
    """Juurlink 2004 reports the same outcome after an ACE inhibitor and after a loop diuretic: with only
    study, outcome and metric in the row names both estimates were drawn on one row."""
    fig = lf.forest_figure(ids)
    rows = li.effect_rows(ids)
    assert len(set(fig.data[0].y)) == len(rows) == len(fig.data[0].x)
    for label, comparison in zip(fig.data[0].y, rows["comparison"]):
        assert " ".join(label.replace("<br>", " ").split()).endswith(comparison.replace("<=", "≤"))


def test_inhibition_figure_bands_are_only_verified_rows():
    fig = lf.inhibition_figure(0.7, 0.5, 1.0, 1.0)
    shown = lf.shown_bands()
    assert len(fig.data[0].y) == len(shown)
    assert all(lo < li.LEVEL_MAX for lo in shown["low"])
    assert math.isclose(fig.data[4].y[0], 100 * li.impase_inhibition(0.7, 0.5, 1.0))


def test_band_table_labels_every_band_with_kind_and_source():
    table = li.band_table()
    assert len(table) == len(li.reference_bands())
    assert table["source"].str.len().gt(0).all()
    assert table.set_index("band").at["toxicity risk", "range (mmol/L)"] == ">= 1.5"
    assert "not a threshold" in table.set_index("band").at["observed in acute poisoning (IQR)", "what it is"]


# --- data fixes from the science review ------------------------------------------------------------------


def _evidence_row(row_id):
    rows = data.table("evidence").set_index("id")
    return rows.loc[row_id]


def test_gitlin_row_is_a_finding_not_management_advice():
    finding = _evidence_row("li-gitlin2016-tremor")["finding"].lower()
    for advice in ("suggest", "dose timing", "keeping the level", "reduce them"):
        assert advice not in finding


def test_tsh_is_in_milli_units_per_litre():
    assert "mIU/L" in _evidence_row("li-mcknight2012-thyroid")["finding"]
    note = li.effect_rows(["li-es-mcknight2012-hypothyroid"])["note"].iloc[0]
    assert "mIU/L" in note


def test_strength_reflects_design_and_direction_carries_the_disagreement():
    rows = data.table("evidence")
    lith = rows[rows["theme"] == "lithium"].set_index("id")
    assert lith.at["li-katz2022-suicide", "strength"] == "strong"
    assert lith.at["li-cipriani2013-suicide", "strength"] == "moderate"
    assert (lith.at["li-katz2022-suicide", "direction"], lith.at["li-cipriani2013-suicide", "direction"]) == (
        "contradicts", "supports")
    # no single study row is graded by the state of the debate
    assert not (lith["strength"] == "contested").any()


def test_suicide_outcomes_differ_in_the_data():
    rows = li.effect_rows(li.SUICIDE_EFFECTS).set_index("id")
    assert "death" in rows.at["li-es-cipriani2013-suicide", "outcome"]
    katz = rows.at["li-es-katz2022-suicide-events", "outcome"]
    assert "composite" in katz and "hospitalisations" in katz


def test_indirect_gsk3_inhibition_has_a_verified_primary_source():
    row = _evidence_row("li-beurel2012-gsk3-phospho")
    assert row["hypothesis"] == "gsk3_inhibition" and row["source"] == "beurel2012"
    ref = data.table("references").set_index("key").loc["beurel2012"]
    assert (ref["doi"], str(ref["pmid"]), ref["verified"]) == ("10.1111/bdi.12023", "23167932", "V")
