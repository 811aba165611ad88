"""Efficacy baselines (data/effect_sizes rows with baseline = yes), their figure and words, and the science
corrections of issue 14 that a later edit could quietly undo."""

from __future__ import annotations

import math
import re

import pytest

from helpers.core import data
from helpers.view import baseline

THEMED = ("basics", "ketamine", "lithium", "psychotherapy")


@pytest.fixture(scope="module")
def effects():
    return data.table("effect_sizes").set_index("id")


def _row(effects, effect_id):
    r = effects.loc[effect_id]
    return tuple(None if v is None else float(v) for v in (r["estimate"], r["ci_low"], r["ci_high"]))


# --- Data ---------------------------------------------------------------------------------------------

def test_every_themed_notebook_has_a_baseline_and_every_row_is_coherent():
    refs = data.table("references").set_index("key")
    for theme in THEMED:
        rows = baseline.baseline_rows(theme)
        assert len(rows) >= 1
        for _, r in rows.iterrows():
            assert r["benefit_direction"] in ("higher", "lower")
            assert (r["ci_low"] is None) == (r["ci_high"] is None)
            if r["ci_low"] is not None:
                assert r["ci_low"] <= r["estimate"] <= r["ci_high"]
            if r["metric"] in ("OR", "RR", "HR") and r["estimate"] is not None:
                assert r["estimate"] > 0
            if r["panel"] == "rates":
                assert 0 < r["risk_treated"] < 1 and 0 < r["risk_control"] < 1
            for key in r["source"].split(";"):
                assert refs.at[key, "verified"] in ("V", "V2") and (refs.at[key, "doi"] or refs.at[key, "pmid"])


def test_baseline_numbers_equal_the_sources(effects):
    # Geddes et al. 2004 abstract (PubMed 14754766)
    assert _row(effects, "li-es-geddes2004-any-relapse") == (0.65, 0.50, 0.84)
    assert _row(effects, "li-es-geddes2004-manic-relapse") == (0.62, 0.40, 0.95)
    assert _row(effects, "li-es-geddes2004-depressive-relapse") == (0.72, 0.49, 1.07)
    assert (effects.at["li-es-geddes2004-any-relapse", "k_studies"],
            effects.at["li-es-geddes2004-any-relapse", "n_participants"]) == (5, 770)
    # Munkholm et al. 2019 Table 1; Arroll et al. 2005 abstract
    assert _row(effects, "bas-es-munkholm2019-smd-all") == (0.29, 0.27, 0.31)
    assert _row(effects, "bas-es-munkholm2019-md-hamd") == (1.97, 1.74, 2.21)
    assert _row(effects, "bas-es-munkholm2019-smd-unpublished") == (0.15, 0.11, 0.19)
    assert _row(effects, "bas-es-arroll2005-ssri") == (1.37, 1.21, 1.55) and effects.at["bas-es-arroll2005-ssri", "nnt"] == 6
    assert _row(effects, "bas-es-cipriani2018-acceptability-fluoxetine") == (0.88, 0.80, 0.96)
    # SUSTAIN-1 and ESCAPE-TRD abstracts: rates as printed, no interval that was seen only on a sponsor page
    d = effects.loc["ket-es-daly2019-remitters"]
    assert (d["risk_treated"], d["risk_control"], d["nnt"], d["estimate"], d["ci_low"]) == (0.267, 0.453, 6, 0.49, None)
    r = effects.loc["ket-es-daly2019-responders"]
    assert (r["risk_treated"], r["risk_control"], r["nnt"], r["estimate"]) == (0.258, 0.576, 4, None)
    e = effects.loc["ket-es-reif2023-remission"]
    assert (e["risk_treated"], e["risk_control"], e["n_participants"]) == (0.271, 0.176, 676)
    assert _row(effects, "ket-es-kishimoto-ketamine-day1") == (-1.0, -1.28, -0.73)
    # Cuijpers et al. 2023, 2019 and Munder et al. 2019 abstracts
    assert _row(effects, "ps-es-cuijpers2023-cbt-control") == (0.79, 0.70, 0.89)
    assert _row(effects, "ps-es-cuijpers2019-unadjusted") == (0.70, None, None)
    assert effects.at["ps-es-cuijpers2019-unadjusted", "nnt"] == 4.18
    assert _row(effects, "ps-es-cuijpers2019-adjusted") == (0.31, None, None)
    assert _row(effects, "ps-es-munder2019-cau") == (0.31, None, None)


def test_a_baseline_row_without_what_its_panel_needs_is_refused():
    good = dict(id="x", metric="RR", estimate=0.65, ci_low=0.5, ci_high=0.84, risk_treated=None, risk_control=None,
                benefit_direction="lower")
    assert baseline._panel(good) == "ratio"
    with pytest.raises(data.DataError, match="benefit_direction"):
        baseline._panel({**good, "benefit_direction": None})
    with pytest.raises(data.DataError, match="filled together"):
        baseline._panel({**good, "ci_high": None})
    with pytest.raises(data.DataError, match="estimate or both"):
        baseline._panel({**good, "estimate": None, "ci_low": None, "ci_high": None, "metric": "rates"})
    with pytest.raises(data.DataError, match="cannot be drawn"):
        baseline._panel({**good, "metric": "MD"})
    with pytest.raises(data.UnknownNameError, match="choose one of"):
        baseline.baseline_rows("clozapine")


# --- Arithmetic ---------------------------------------------------------------------------------------

def test_nnt_from_the_rates_rounds_up_to_the_reported_nnt(effects):
    for effect_id in ("ket-es-daly2019-remitters", "ket-es-daly2019-responders"):
        r = effects.loc[effect_id]
        nnt = baseline.nnt_from_risks(r["risk_treated"], r["risk_control"])
        assert math.ceil(nnt) == r["nnt"]
    assert baseline.nnt_from_risks(0.267, 0.453) == pytest.approx(1 / 0.186)
    with pytest.raises(ValueError, match="equal"):
        baseline.nnt_from_risks(0.3, 0.3)
    with pytest.raises(ValueError, match="risk_control"):
        baseline.nnt_from_risks(0.267, 45.3)  # a percentage, not a fraction


def test_worked_examples_read_their_numbers_from_the_data():
    text = baseline.worked_examples_markdown("bas-es-munkholm2019-smd-all", "bas-es-munkholm2019-md-hamd",
                                             "ket-es-daly2019-remitters")
    for number in ("0.29", "0.27 to 0.31", "1.97", "45.3%", "26.7%", "18.6 percentage points", "5.4", "round up to 6",
                   "NNT of 6", "Munkholm et al. 2019", "Daly et al. 2019"):
        assert number in text
    with pytest.raises(data.DataError, match="both rates"):
        baseline.worked_examples_markdown("bas-es-munkholm2019-smd-all", "bas-es-munkholm2019-md-hamd",
                                          "bas-es-arroll2005-ssri")


# --- Figure and description -----------------------------------------------------------------------------

def _points(fig):
    """(label, x, minus, plus) for each difference/ratio point; (label, treated, comparator) for rates."""
    points, rates = {}, {}
    for trace in fig.data:
        if trace.name in ("treatment", "comparator"):
            for y, x in zip(trace.y, trace.x):
                rates.setdefault(y, {})[trace.name] = x
        elif trace.mode == "markers":
            err = trace.error_x
            for i, (y, x) in enumerate(zip(trace.y, trace.x)):
                has = err is not None and err.array is not None
                points[y] = (x, err.arrayminus[i] if has else None, err.array[i] if has else None)
    return points, rates


@pytest.mark.parametrize("theme", THEMED)
def test_each_baseline_figure_draws_exactly_its_rows(theme):
    rows = baseline.baseline_rows(theme)
    fig = baseline.baseline_figure(theme)
    points, rates = _points(fig)
    assert len(points) + len(rates) == len(rows)
    for _, r in rows.iterrows():
        label = baseline._label(r)
        if r["panel"] == "rates":
            assert rates[label] == {"treatment": pytest.approx(100 * r["risk_treated"]),
                                    "comparator": pytest.approx(100 * r["risk_control"])}
        else:
            x, minus, plus = points[label]
            assert x == pytest.approx(r["estimate"])
            if r["ci_low"] is None:
                assert minus is None
            else:
                assert x - minus == pytest.approx(r["ci_low"]) and x + plus == pytest.approx(r["ci_high"])
    ratio_axes = [ax for name, ax in fig.layout.to_plotly_json().items() if name.startswith("xaxis")
                  and ax.get("type") == "log"]
    assert bool(ratio_axes) == (rows["panel"] == "ratio").any()


@pytest.mark.parametrize("theme", THEMED)
def test_each_description_names_every_number(theme):
    text = baseline.describe_baseline(theme)
    for _, r in baseline.baseline_rows(theme).iterrows():
        assert r["citation"] in text
        if r["estimate"] is not None:
            assert f"{r['metric']} {r['estimate']:g}" in text
        if r["ci_low"] is not None:
            assert f"95% CI {r['ci_low']:g} to {r['ci_high']:g}" in text
        if r["panel"] == "rates":
            assert f"{100 * r['risk_treated']:.1f}%" in text and f"{100 * r['risk_control']:.1f}%" in text
        if r["nnt"] is not None:
            assert f"NNT {r['nnt']:g}" in text
    assert "favours the treatment" in text or "is better" in text


# --- Science corrections (issue 14) -------------------------------------------------------------------

OVERSTATED = re.compile(r"abolish|eliminat|completely (?:block|prevent)", re.IGNORECASE)


def maeng_overstatements(rows: list[tuple[str, str]]) -> list[str]:
    """Texts that cite Maeng et al. 2008 (NBQX) and call its result an abolition; the abstract says 'attenuated'."""
    return [text for ids, text in rows if "maeng2008" in ids and OVERSTATED.search(text)]


def _citing_rows():
    ev = data.table("evidence")
    out = [(f"{r['id']};{r['source']}", f"{r['claim']} {r['finding']}") for _, r in ev.iterrows()]
    sc = data.table("scorecard")
    out += [(r["evidence"] if isinstance(r["evidence"], str) else "", r["explanation"]) for _, r in sc.iterrows()]
    iv = data.table("interventions")
    out += [(r["evidence"], r["finding"]) for _, r in iv.iterrows()]
    return out


def test_no_row_citing_maeng_says_ampa_block_abolished_ketamines_effect():
    assert maeng_overstatements(_citing_rows()) == []
    # the check fails on the sentence it replaced
    old = ("ket-maeng2008-nbqx;ket-li2010-mtor", "In rodents, blocking AMPA receptors, mTOR or BDNF synthesis abolishes "
                                                 "the effect.")
    assert maeng_overstatements([old]) == [old[1]]
    ketamine_row = data.table("scorecard").set_index(["treatment", "criterion"]).loc[
        ("ketamine", "experimental_manipulation"), "explanation"]
    assert "blocking AMPA receptors attenuates it" in ketamine_row


def test_esketamine_and_masked_ketamine_evidence_is_present_with_its_caveats():
    ev = data.table("evidence").set_index("id")
    assert "26.7% vs 45.3%" in ev.at["ket-daly2019-sustain1", "effect_size"]
    assert "randomized withdrawal" in ev.at["ket-daly2019-sustain1", "design"]
    assert "27.1% vs 17.6%" in ev.at["ket-reif2023-escape-trd", "effect_size"]
    assert "open-label" in ev.at["ket-reif2023-escape-trd", "design"]
    lii = ev.loc["ket-lii2023-masked"]
    assert lii["effect_size"] == "MADRS difference -5.82 (95% CI -13.3 to 1.64), p = 0.13"
    assert (lii["direction"], lii["strength"]) == ("contradicts", "contested")
    assert "not proof of no effect" in lii["finding"]


def test_lithium_timing_and_adenylyl_cyclase_are_worded_as_the_sources_say():
    ev = data.table("evidence").set_index("id")
    moore = ev.at["li-moore1999-timing", "finding"]
    assert "unchanged" in moore and "not associated with therapeutic response" in moore and "Right frontal" in moore
    assert "near or above therapeutic" in ev.at["li-ebstein1987-ac", "claim"]
    assert " at therapeutic" not in ev.at["li-ebstein1987-ac", "claim"]
    timeline = data.table("scorecard").set_index(["treatment", "criterion"]).loc[("lithium", "timeline"), "explanation"]
    assert "while mood was still unchanged" in timeline and "as a cause should" not in timeline
    refs = data.table("references").set_index("key")
    assert refs.at["moore1999", "doi"] is None and refs.at["moore1999", "pmid"] == "10588403"
    assert refs.at["kapur2002", "volume"] is None and refs.at["kapur2002", "pages"] is None
    assert refs.at["moncrieff2022", "pages"] == "3243-3256" and refs.at["moncrieff2022", "volume"] is None


# --- 04 scorecard: how big each treatment's benefit is ----------------------------------------------------

def test_the_scorecard_has_an_efficacy_column_for_every_treatment_row():
    from helpers.themes.psychotherapy import figures as pfig
    from helpers.themes.psychotherapy import model as psy

    table = psy.efficacy_table()
    assert list(table["Treatment"]) == list(psy.TREATMENTS.values())
    assert table["How big the benefit is"].str.len().gt(0).all() and table["Source"].str.len().gt(0).all()
    effects = data.table("effect_sizes").set_index("id")
    for key, ids in psy.EFFICACY.items():
        text = psy.efficacy(key)["efficacy"]
        for effect_id in ids:
            assert f"{effects.at[effect_id, 'metric']} {effects.at[effect_id, 'estimate']:g}" in text
        assert text in pfig.describe_scorecard(key) and "How big the benefit is" in pfig.treatment_row_html(key)
    assert "RR 0.65 (95% CI 0.5 to 0.84)" in psy.efficacy("lithium")["efficacy"]
    assert "no interval reported" in psy.efficacy("psychotherapy")["efficacy"]
    psy.EFFICACY["lithium"] = ("li-es-no-such-row",)  # a treatment whose efficacy row is missing is refused
    try:
        with pytest.raises(data.DataError, match="lacks the efficacy row"):
            psy.efficacy("lithium")
    finally:
        psy.EFFICACY["lithium"] = ("li-es-geddes2004-any-relapse",)
