"""Pharmacogenomics (notebook 07): genotype to phenotype against CPIC's own tables, bad input, exposure on the
saturating curve, the guideline summary, the data, and every demo driven from Python.

The expected CYP2D6 results are CPIC's diplotype table as distributed by PharmGKB (PharmCAT, CPIC CYP2D6 file,
data version 2024-08-27): every pair of the alleles the notebook offers, duplications included, with CPIC's
activity score and phenotype. The CYP2C19 ones are CPIC's CYP2C19 table (PharmCAT, 2025-11-05).
"""

from __future__ import annotations

import itertools
import math

import ipywidgets as ipw
import numpy as np
import pytest

from helpers import metabolizer_phenotype
from helpers.core import data
from helpers.core import pharmacogenomics as pgx
from helpers.themes.pharmacogenomics import figures, model, widgets

PHENOTYPE = {"PM": "Poor Metabolizer", "IM": "Intermediate Metabolizer", "NM": "Normal Metabolizer",
             "RM": "Rapid Metabolizer", "UM": "Ultrarapid Metabolizer"}
CPIC_CYP2D6 = """
*1/*1 2.0 NM | *1/*2 2.0 NM | *1/*3 1.0 IM | *1/*4 1.0 IM | *1/*5 1.0 IM | *1/*6 1.0 IM | *1/*9 1.25 NM
*1/*10 1.25 NM | *1/*17 1.5 NM | *1/*29 1.5 NM | *1/*41 1.25 NM | *1/*1x2 3.0 UM | *1/*2x2 3.0 UM
*1/*4x2 1.0 IM | *1/*10x2 1.5 NM | *1/*41x2 1.5 NM | *1/*1x≥3 ≥4.0 UM | *1/*2x≥3 ≥4.0 UM | *2/*2 2.0 NM
*2/*3 1.0 IM | *2/*4 1.0 IM | *2/*5 1.0 IM | *2/*6 1.0 IM | *2/*9 1.25 NM | *2/*10 1.25 NM | *2/*17 1.5 NM
*2/*29 1.5 NM | *2/*41 1.25 NM | *2/*1x2 3.0 UM | *2/*2x2 3.0 UM | *2/*4x2 1.0 IM | *2/*10x2 1.5 NM
*2/*41x2 1.5 NM | *2/*1x≥3 ≥4.0 UM | *2/*2x≥3 ≥4.0 UM | *3/*3 0.0 PM | *3/*4 0.0 PM | *3/*5 0.0 PM
*3/*6 0.0 PM | *3/*9 0.25 IM | *3/*10 0.25 IM | *3/*17 0.5 IM | *3/*29 0.5 IM | *3/*41 0.25 IM
*3/*1x2 2.0 NM | *3/*2x2 2.0 NM | *3/*4x2 0.0 PM | *3/*10x2 0.5 IM | *3/*41x2 0.5 IM | *3/*1x≥3 ≥3.0 UM
*3/*2x≥3 ≥3.0 UM | *4/*4 0.0 PM | *4/*5 0.0 PM | *4/*6 0.0 PM | *4/*9 0.25 IM | *4/*10 0.25 IM
*4/*17 0.5 IM | *4/*29 0.5 IM | *4/*41 0.25 IM | *4/*1x2 2.0 NM | *4/*2x2 2.0 NM | *4/*4x2 0.0 PM
*4/*10x2 0.5 IM | *4/*41x2 0.5 IM | *4/*1x≥3 ≥3.0 UM | *4/*2x≥3 ≥3.0 UM | *5/*5 0.0 PM | *5/*6 0.0 PM
*5/*9 0.25 IM | *5/*10 0.25 IM | *5/*17 0.5 IM | *5/*29 0.5 IM | *5/*41 0.25 IM | *5/*1x2 2.0 NM
*5/*2x2 2.0 NM | *5/*4x2 0.0 PM | *5/*10x2 0.5 IM | *5/*41x2 0.5 IM | *5/*1x≥3 ≥3.0 UM | *5/*2x≥3 ≥3.0 UM
*6/*6 0.0 PM | *6/*9 0.25 IM | *6/*10 0.25 IM | *6/*17 0.5 IM | *6/*29 0.5 IM | *6/*41 0.25 IM
*6/*1x2 2.0 NM | *6/*2x2 2.0 NM | *6/*4x2 0.0 PM | *6/*10x2 0.5 IM | *6/*41x2 0.5 IM | *6/*1x≥3 ≥3.0 UM
*6/*2x≥3 ≥3.0 UM | *9/*9 0.5 IM | *9/*10 0.5 IM | *9/*17 0.75 IM | *9/*29 0.75 IM | *9/*41 0.5 IM
*9/*1x2 2.25 NM | *9/*2x2 2.25 NM | *9/*4x2 0.25 IM | *9/*10x2 0.75 IM | *9/*41x2 0.75 IM
*9/*1x≥3 ≥3.25 UM | *9/*2x≥3 ≥3.25 UM | *10/*10 0.5 IM | *10/*17 0.75 IM | *10/*29 0.75 IM | *10/*41 0.5 IM
*10/*1x2 2.25 NM | *10/*2x2 2.25 NM | *10/*4x2 0.25 IM | *10/*10x2 0.75 IM | *10/*41x2 0.75 IM
*10/*1x≥3 ≥3.25 UM | *10/*2x≥3 ≥3.25 UM | *17/*17 1.0 IM | *17/*29 1.0 IM | *17/*41 0.75 IM
*17/*1x2 2.5 UM | *17/*2x2 2.5 UM | *17/*4x2 0.5 IM | *17/*10x2 1.0 IM | *17/*41x2 1.0 IM
*17/*1x≥3 ≥3.5 UM | *17/*2x≥3 ≥3.5 UM | *29/*29 1.0 IM | *29/*41 0.75 IM | *29/*1x2 2.5 UM
*29/*2x2 2.5 UM | *29/*4x2 0.5 IM | *29/*10x2 1.0 IM | *29/*41x2 1.0 IM | *29/*1x≥3 ≥3.5 UM
*29/*2x≥3 ≥3.5 UM | *41/*41 0.5 IM | *41/*1x2 2.25 NM | *41/*2x2 2.25 NM | *41/*4x2 0.25 IM
*41/*10x2 0.75 IM | *41/*41x2 0.75 IM | *41/*1x≥3 ≥3.25 UM | *41/*2x≥3 ≥3.25 UM | *1x2/*1x2 4.0 UM
*1x2/*2x2 4.0 UM | *1x2/*4x2 2.0 NM | *1x2/*10x2 2.5 UM | *1x2/*41x2 2.5 UM | *1x2/*1x≥3 ≥5.0 UM
*1x2/*2x≥3 ≥5.0 UM | *2x2/*2x2 4.0 UM | *2x2/*4x2 2.0 NM | *2x2/*10x2 2.5 UM | *2x2/*41x2 2.5 UM
*2x2/*1x≥3 ≥5.0 UM | *2x2/*2x≥3 ≥5.0 UM | *4x2/*4x2 0.0 PM | *4x2/*10x2 0.5 IM | *4x2/*41x2 0.5 IM
*4x2/*1x≥3 ≥3.0 UM | *4x2/*2x≥3 ≥3.0 UM | *10x2/*10x2 1.0 IM | *10x2/*41x2 1.0 IM | *10x2/*1x≥3 ≥3.5 UM
*10x2/*2x≥3 ≥3.5 UM | *41x2/*41x2 1.0 IM | *41x2/*1x≥3 ≥3.5 UM | *41x2/*2x≥3 ≥3.5 UM | *1x≥3/*1x≥3 ≥6.0 UM
*1x≥3/*2x≥3 ≥6.0 UM | *2x≥3/*2x≥3 ≥6.0 UM
"""
CPIC_CYP2C19 = {"*1/*1": "NM", "*1/*2": "IM", "*1/*3": "IM", "*1/*17": "RM", "*2/*2": "PM", "*2/*3": "PM",
                "*2/*17": "IM", "*3/*3": "PM", "*3/*17": "IM", "*17/*17": "UM"}


def _cpic_cyp2d6():
    for entry in CPIC_CYP2D6.replace("\n", " | ").split(" | "):
        if entry.strip():
            diplotype, score, phenotype = entry.split()
            yield diplotype, score, PHENOTYPE[phenotype]


CYP2D6_CASES = list(_cpic_cyp2d6())


# --- Genotype to phenotype ------------------------------------------------------------------------------

def test_the_cpic_table_covers_every_pair_the_demo_offers():
    def pair(a, b):
        return tuple(sorted((a, b)))

    offered = model.allele_options("CYP2D6")
    in_table = {pair(*d.split("/")) for d, _, _ in CYP2D6_CASES}
    assert len(CYP2D6_CASES) == len(in_table) == 171
    assert {pair(a, b) for a, b in itertools.combinations_with_replacement(offered, 2)} <= in_table


@pytest.mark.parametrize("diplotype, score, phenotype", CYP2D6_CASES, ids=[c[0] for c in CYP2D6_CASES])
def test_cyp2d6_matches_cpic(diplotype, score, phenotype):
    result = pgx.genotype_result("CYP2D6", diplotype)
    assert result.phenotype == phenotype == metabolizer_phenotype("CYP2D6", diplotype)
    assert result.score == pytest.approx(float(score.lstrip("≥")))
    assert result.score_at_least == score.startswith("≥")
    first, second = diplotype.split("/")  # order does not matter
    assert metabolizer_phenotype("cyp2d6", f"{second}/{first}") == phenotype


@pytest.mark.parametrize("diplotype", CPIC_CYP2C19)
def test_cyp2c19_matches_cpic(diplotype):
    assert metabolizer_phenotype("CYP2C19", diplotype) == PHENOTYPE[CPIC_CYP2C19[diplotype]]
    a, b = diplotype.split("/")
    assert metabolizer_phenotype("CYP2C19", f" {b} / {a} ") == PHENOTYPE[CPIC_CYP2C19[diplotype]]


def test_the_brief_example_and_the_2023_values():
    assert metabolizer_phenotype("CYP2C19", "*1/*2") == "Intermediate Metabolizer"
    values = data.table("pgx_alleles").set_index(["gene", "allele"])["activity_value"]
    assert values[("CYP2D6", "*41")] == values[("CYP2D6", "*9")] == values[("CYP2D6", "*10")] == 0.25
    assert values[("CYP2D6", "*17")] == values[("CYP2D6", "*29")] == 0.5
    assert [values[("CYP2D6", a)] for a in ("*1", "*2", "*3", "*4", "*5", "*6")] == [1, 1, 0, 0, 0, 0]
    # with the pre-2023 value of 0.5, *41/*41 would have scored 1.0; today 0.5, intermediate either way
    assert pgx.genotype_result("CYP2D6", "*41/*41").score == 0.5


def test_duplications_count_per_copy_and_unknown_copy_numbers():
    assert pgx.genotype_result("CYP2D6", "*1/*41x3").score == pytest.approx(1.75)  # 1 + 3 x 0.25
    assert metabolizer_phenotype("CYP2D6", "*1/*41x3") == "Normal Metabolizer"
    assert metabolizer_phenotype("CYP2D6", "*1/*2xN") == "Ultrarapid Metabolizer"  # at least 1 + 2
    assert metabolizer_phenotype("CYP2D6", "*4/*1xN") == "Indeterminate"  # 2 (normal) or >= 3 (ultrarapid)
    assert metabolizer_phenotype("CYP2D6", "*4/*4xN") == "Poor Metabolizer"  # copies of nothing are nothing
    assert metabolizer_phenotype("CYP2D6", "*41xN/*4") == "Indeterminate"
    assert metabolizer_phenotype("CYP2D6", "*1x>=3/*4") == metabolizer_phenotype("CYP2D6", "*1x≥3/*4")


def test_every_possible_score_has_exactly_one_phenotype():
    rules = data.table("pgx_phenotype_rules")
    rules = rules[rules["gene"] == "CYP2D6"]
    for score in np.arange(0, 8.01, 0.25):
        hits = [r["phenotype"] for _, r in rules.iterrows()
                if r["score_low"] - 1e-9 <= score <= (math.inf if pgx.is_missing(r["score_high"]) else r["score_high"])]
        assert len(hits) == 1, score
    assert pgx.phenotype_for_score("CYP2D6", 2.25) == "Normal Metabolizer"
    assert pgx.phenotype_for_score("CYP2D6", 2.5) == "Ultrarapid Metabolizer"
    assert pgx.phenotype_for_score("CYP2D6", 1.0) == "Intermediate Metabolizer"  # 'normal' before 2020


def test_every_cyp2c19_function_pair_has_one_rule():
    functions = sorted(set(data.table("pgx_alleles").query("gene == 'CYP2C19'")["function"]))
    for a, b in itertools.combinations_with_replacement(functions, 2):
        assert pgx.phenotype_for_functions("CYP2C19", a, b) in PHENOTYPE.values()


@pytest.mark.parametrize("gene, diplotype, words", [
    ("CYP2D7", "*1/*1", ["unknown gene", "CYP2D6", "CYP2C19"]),
    (None, "*1/*1", ["gene must be", "CYP2D6"]),
    ("CYP2D6", "*1/*99", ["unknown allele '*99'", "*41"]),
    ("CYP2C19", "*1/*4", ["unknown allele '*4'", "*17"]),
    ("CYP2D6", "*1*4", ["two alleles separated by '/'", "*1"]),
    ("CYP2D6", "*1/*4/*10", ["two alleles separated by '/'"]),
    ("CYP2D6", "", ["two alleles separated by '/'"]),
    ("CYP2D6", None, ["two alleles separated by '/'"]),
    ("CYP2D6", "1/4", ["not a star allele", "*1"]),
    ("CYP2D6", "*1x1/*4", ["at least 2 copies"]),
    ("CYP2C19", "*1x2/*1", ["duplications", "*1, *2, *3, *17"]),
])
def test_bad_input_names_the_choices(gene, diplotype, words):
    with pytest.raises(ValueError) as caught:
        metabolizer_phenotype(gene, diplotype)
    for word in words:
        assert word in str(caught.value)


def test_the_check_can_fail_on_a_wrong_table(monkeypatch):
    """A rule table with the 2016 cut-off (score 1 = normal) is caught by the CPIC comparison."""
    rules = data.table("pgx_phenotype_rules").copy()
    rules.loc[(rules["gene"] == "CYP2D6") & (rules["rule"] == "intermediate"), "score_high"] = 0.75
    rules.loc[(rules["gene"] == "CYP2D6") & (rules["rule"] == "normal"), "score_low"] = 1.0
    monkeypatch.setattr(pgx, "_tables", lambda: (data.table("pgx_alleles"), rules))
    pgx._gene_rules.cache_clear()
    try:
        wrong = [d for d, _, p in CYP2D6_CASES if pgx.genotype_result("CYP2D6", d).phenotype != p]
    finally:
        monkeypatch.undo()
        pgx._gene_rules.cache_clear()
    assert "*1/*4" in wrong and "*17/*17" in wrong
    assert pgx.genotype_result("CYP2D6", "*1/*4").phenotype == "Intermediate Metabolizer"  # restored


# --- Exposure to occupancy ------------------------------------------------------------------------------

def test_exposure_ratios_are_jukic_2018s():
    rows = data.table("pgx_exposure").set_index("genotype")
    assert rows["exposure_ratio"].to_dict() == {"*1/*1": 1, "Null/*1": 1.6, "Null/*17": 1.4, "Null/Null": 3.3,
                                                "*1/*17": 0.9, "*17/*17": 0.8}
    switching = {k: v for k, v in rows["switching_ratio"].to_dict().items() if not pgx.is_missing(v)}
    assert switching == {"*1/*1": 1, "Null/Null": 3.3, "*1/*17": 1.6, "*17/*17": 3.0}
    assert set(rows["source"]) == {"jukic2018"}


def test_each_groups_phenotype_is_cpics_for_that_genotype():
    null = "*2"  # the study's 'Null' allele: a no-function allele (*2 or *3)
    for genotype, phenotype in data.table("pgx_exposure").set_index("genotype")["phenotype"].items():
        assert metabolizer_phenotype("CYP2C19", genotype.replace("Null", null)) == phenotype
        assert metabolizer_phenotype("CYP2C19", genotype.replace("Null", "*3")) == phenotype


def test_the_start_is_the_80_percent_sert_occupancy_and_a_poor_metabolizer_gains_13_points():
    assert model.default_exposure() == pytest.approx(4.0)  # 0.8 / (1 - 0.8)
    c = model.exposure_consequence(4.0, "Null/Null")
    assert c["occupancy_normal"] == pytest.approx(80.0)
    assert c["exposure"] == pytest.approx(13.2) and c["occupancy_group"] == pytest.approx(100 * 13.2 / 14.2)
    assert round(c["gain_points"]) == 13 and c["exposure_percent"] == pytest.approx(330)


def test_near_the_plateau_doubling_exposure_adds_little_and_low_down_a_lot():
    high = model.occupancy_percent(16) - model.occupancy_percent(8)
    low = model.occupancy_percent(0.5) - model.occupancy_percent(0.25)
    assert high < 6 < low  # 16/17 - 8/9 = 5.2 points; 1/3 - 1/5 = 13.3 points
    assert model.occupancy_percent(8) == pytest.approx(800 / 9) and model.occupancy_percent(16) == pytest.approx(1600 / 17)
    assert low == pytest.approx(100 * (1 / 3 - 1 / 5))
    gains = [model.exposure_consequence(u, "Null/Null")["gain_points"] for u in (1, 4, 10)]
    assert gains == sorted(gains, reverse=True) and gains[0] > 20 and gains[-1] < 7  # 26.7, 13.0, 5.1 points
    for genotype in ("*1/*17", "*17/*17"):  # less exposure: less occupancy, by little at the start
        assert -5 < model.exposure_consequence(4.0, genotype)["gain_points"] < 0


def test_bad_exposure_input():
    with pytest.raises(ValueError, match="usual exposure"):
        model.exposure_consequence(0, "Null/Null")
    with pytest.raises(ValueError, match="groups: \\*1/\\*1, Null/\\*1"):
        model.exposure_consequence(4.0, "Null/Null/Null")
    with pytest.raises(ValueError, match="drugs with data: escitalopram"):
        model.exposure_groups("sertraline")
    with pytest.raises(ValueError, match="at most 10"):
        widgets.exposure_explorer(usual=12.0)


def test_the_exposure_table_and_guideline_summary():
    table = model.exposure_table()
    assert list(table["modelled occupancy (%)"]) == [80, 86, 85, 93, 78, 76]
    guide = model.guideline_table()
    assert list(guide["phenotype"]) == list(model.PHENOTYPES)
    assert dict(zip(guide["phenotype"], guide["strength"])) == {
        "Poor Metabolizer": "strong", "Intermediate Metabolizer": "moderate", "Normal Metabolizer": "strong",
        "Rapid Metabolizer": "optional", "Ultrarapid Metabolizer": "strong"}
    assert "not dosing advice" in guide.columns[2]


# --- Evidence --------------------------------------------------------------------------------------------

def test_part_a_and_part_b_are_apart_and_part_b_is_shown_both_ways():
    rows = data.table("evidence").query("theme == 'pharmacogenomics'")
    part = dict(zip(rows["hypothesis"], rows["part"]))
    assert all(part[h] == "A" for h in model.PART_A_HYPOTHESES) and all(part[h] == "B" for h in model.PART_B_HYPOTHESES)
    for hypothesis in ("serotonin_transporter_promoter", "serotonin_receptor_gene"):
        directions = set(rows.loc[rows["hypothesis"] == hypothesis, "direction"])
        assert {"supports", "contradicts"} <= directions, hypothesis
    effects = model.effect_rows(model.TAYLOR_EFFECTS)
    assert [(r["estimate"], r["ci_low"], r["ci_high"]) for _, r in effects.iterrows()] == [(0.88, 0.79, 0.98),
                                                                                       (0.92, 0.81, 1.05)]


# --- The demos, driven from Python ------------------------------------------------------------------------

def _highlighted(demo) -> str:
    bars = demo.figure.data[0]
    rows = [y for y, c in zip(bars.y, bars.marker.color) if c == figures.HIGHLIGHT]
    assert len(rows) == 1
    return rows[0]


@pytest.mark.parametrize("gene", ["CYP2D6", "CYP2C19"])
def test_every_allele_pair_in_the_genotype_demo(gene):
    demo = widgets.genotype_explorer()
    demo.controls["gene"].value = gene
    options = list(demo.controls["first"].options)
    assert options == model.allele_options(gene)
    for a, b in itertools.product(options, repeat=2):
        demo.controls["first"].value, demo.controls["second"].value = a, b
        phenotype = metabolizer_phenotype(gene, f"{a}/{b}")
        assert _highlighted(demo) == figures.ROW_LABELS[phenotype]
        assert demo.figure.data[1].y == (figures.ROW_LABELS[phenotype],)
        assert pgx.short_phenotype(phenotype) in demo.description.value
        assert demo.figure.data[1].text[0].startswith(f"{a}/{b}")


def test_switching_gene_resets_the_alleles_and_back():
    demo = widgets.genotype_explorer()
    demo.controls["first"].value = "*2x2"
    demo.controls["gene"].value = "CYP2C19"
    assert (demo.controls["first"].value, demo.controls["second"].value) == model.DEFAULT_DIPLOTYPES["CYP2C19"]
    assert "CYP2C19" in demo.figure.layout.title.text and "*1/*2" in demo.description.value
    demo.controls["gene"].value = "CYP2D6"
    assert (demo.controls["first"].value, demo.controls["second"].value) == model.DEFAULT_DIPLOTYPES["CYP2D6"]
    assert "1 + 0.25 = 1.25" in demo.description.value


def test_genotype_demo_refuses_bad_start():
    with pytest.raises(ValueError, match="unknown allele"):
        widgets.genotype_explorer("CYP2C19", "*4", "*1")


def test_every_group_at_every_exposure_in_the_exposure_demo():
    demo = widgets.exposure_explorer()
    slider, groups = demo.controls["usual"], demo.controls["genotype"]
    assert isinstance(slider, ipw.FloatSlider) and slider.value == pytest.approx(4.0)
    for genotype in [v for _, v in groups.options]:
        groups.value = genotype
        for usual in (slider.min, 1.0, 4.0, slider.max):
            slider.value = usual
            c = model.exposure_consequence(usual, genotype)
            normal, group, bars = demo.figure.data[1], demo.figure.data[2], demo.figure.data[4]
            assert normal.x[0] == pytest.approx(usual) and group.x[0] == pytest.approx(c["exposure"])
            assert group.y[0] == pytest.approx(c["occupancy_group"]) and group.y[0] < 100
            assert bars.y[0] == pytest.approx(c["exposure_percent"]) and bars.y[1] < figures.BAR_TOP
            assert group.x[0] <= figures.EXPOSURE_RANGE[1]  # never off the drawn axis
            assert "What the figure shows" in demo.description.value and "nan" not in demo.description.value
            assert f"{c['occupancy_group']:.0f}%" in demo.description.value or genotype == "*1/*1"


def test_the_static_fallback_steps_both_genes():
    from helpers.build import custom_fallbacks
    fallback = custom_fallbacks.genotype_explorer()
    texts = list(fallback.descriptions.values())
    assert any("0 + 0.25 = 0.25" in t for t in texts) and any("rapid metabolizer" in t for t in texts)
    assert fallback.initial == "menu0:0"


def test_callbacks_are_fast():
    """Each step of either demo is a few milliseconds of Python (the tables are looked up, not re-read)."""
    import time
    demo = widgets.exposure_explorer()
    start = time.perf_counter()
    for i in range(20):
        demo.controls["usual"].value = 1.0 + (i % 8) * 0.5
    exposure_ms = (time.perf_counter() - start) / 20 * 1000
    demo = widgets.genotype_explorer()
    start = time.perf_counter()
    for allele in ["*4", "*1", "*10", "*41"] * 5:
        demo.controls["first"].value = allele
    genotype_ms = (time.perf_counter() - start) / 20 * 1000
    assert exposure_ms < 16 and genotype_ms < 16, (exposure_ms, genotype_ms)


# --- Review 07 fixes ------------------------------------------------------------------------------------

def test_star_numbers_belong_to_each_gene():
    """E1: the same star number means different things in different genes, and the glossary says so."""
    alleles = data.table("pgx_alleles").set_index(["gene", "allele"])["function"]
    assert alleles[("CYP2D6", "*2")] == "normal function" and alleles[("CYP2C19", "*2")] == "no function"
    assert alleles[("CYP2D6", "*17")] == "decreased function"
    assert alleles[("CYP2C19", "*17")] == "increased function"
    assert metabolizer_phenotype("CYP2D6", "*1/*17") == "Normal Metabolizer"
    assert metabolizer_phenotype("CYP2C19", "*1/*17") == "Rapid Metabolizer"
    glossary = data.table("glossary").set_index("term")["definition"]
    entry = glossary["star allele"]
    # every star number the entry calls non-working is tied to a gene, and *2 of CYP2D6 is called normal
    assert "*4 in CYP2D6" in entry and "*2 in CYP2C19" in entry and "CYP2D6*2 works normally" in entry
    assert "*4 or *2" not in entry


def test_activity_values_cite_the_cpic_data_not_caudle_2020():
    """E2: Caudle 2020 gave *9 and *41 0.5; the 0.25 the demo uses comes from CPIC's data file, cited as such."""
    alleles = data.table("pgx_alleles")
    cyp2d6 = alleles[alleles["gene"] == "CYP2D6"]
    assert set(cyp2d6["source"]) == {"cpic_cyp2d6_data"}
    refs = data.table("references").set_index("key")
    assert "2024-08-27" in refs.at["cpic_cyp2d6_data", "title"] and refs.at["cpic_cyp2d6_data", "verified"] == "V"
    rules = data.table("pgx_phenotype_rules")
    assert all("caudle2020" in s for s in rules.loc[rules["gene"] == "CYP2D6", "source"])  # the cut-off method
    shown = model.allele_table("CYP2D6").set_index("allele")
    assert shown.at["*41", "activity value"] == 0.25 and shown.at["*41", "source"] == "CPIC 2024"


def _notebook_text() -> str:
    import json
    from pathlib import Path
    nb = json.loads((Path(__file__).parents[1] / "notebooks" / "07_individual_variation.ipynb").read_text())
    return "\n".join("".join(c["source"]) for c in nb["cells"])


def test_the_plateau_prose_matches_the_model():
    """S1: the prose states the model's own numbers for poor metabolizers (not 'a few points')."""
    c = model.exposure_consequence(model.default_exposure(), "Null/Null")
    text = " ".join(_notebook_text().split())
    normal, group = round(c["occupancy_normal"]), round(c["occupancy_group"])
    assert f"from {normal}% to {group}%, about {round(c['gain_points'])} percentage points" in text
    assert f"falls from {100 - normal}% to {100 - group}%" in text
    assert "only a few points" not in text
    check = data.table("self_checks").set_index("id").at["pgx-exposure-risk", "question"]
    assert f"{normal}% to {group}%" in check and "a few points" not in check


def test_the_reference_list_holds_every_source_the_notebook_reads():
    """S3: the exposure demo starts at the SERT occupancy of another theme's table; its source is listed and cited."""
    keys = model.reference_keys()
    from helpers.core import evidence
    own = evidence.theme_reference_keys(model.THEME)
    assert "meyer2004" not in own and "meyer2004" in keys and keys[: len(own)] == own
    assert model.sert_threshold_citation() in _notebook_text()
    assert "model.reference_keys()" in _notebook_text()


def test_the_placebo_row_names_both_denominators():
    """S6: 164 trials cover depression, anxiety and OCD; the SMD 1.22 is for the depression trials only."""
    finding = data.table("evidence").set_index("id").at["pgx-li2019-placebo", "finding"]
    assert "depression, anxiety and obsessive-compulsive disorder (19,591 participants)" in finding
    assert "in the depression trials improved by a standardized mean difference of 1.22" in finding


def test_the_phenoconversion_check_does_not_give_away_its_distractors():
    """S7: no distractor is a gene (the question is about a change without one), and the sertraline distractor is
    backed by the same study as the answer."""
    row = data.table("self_checks").set_index("id").loc["pgx-phenoconversion"]
    options = [row[f"option_{i}"] for i in range(4)]
    assert not any(word in o for o in options for word in ("5-HTTLPR", "HTR2A", "gene"))
    assert "paroxetine" in options[int(row["answer"])]
    evidence_row = data.table("evidence").set_index("id").at["pgx-alfaro1999-phenoconversion", "finding"]
    assert "sertraline did not" in evidence_row and any("sertraline" in o for o in options)


def test_a_missing_switching_ratio_reads_not_reported():
    """M7: a group without a switching ratio says 'not reported', never a dash or an empty cell."""
    table = model.exposure_table().set_index("genotype group")
    column = table["switched drug within a year (× normal)"]
    assert column["Null/*1"] == "not reported" and column["Null/*17"] == "not reported"
    assert column["Null/Null"] == "3.3" and column["*17/*17"] == "3"
    assert data.table("pgx_exposure").set_index("genotype").loc["Null/*1", "switching_ratio"] is None


def test_a_deleted_gene_cannot_be_duplicated():
    """M2: *5 is the deletion of CYP2D6; '*5x2' is meaningless and rejected, while *4x2 is accepted."""
    assert "deletion" in data.table("pgx_alleles").set_index(["gene", "allele"]).at[("CYP2D6", "*5"), "note"].lower()
    for text in ("*5x2/*1", "*1/*5xN", "*5x≥3/*4"):
        with pytest.raises(ValueError, match="deletion of the whole gene"):
            metabolizer_phenotype("CYP2D6", text)
    assert metabolizer_phenotype("CYP2D6", "*4x2/*5") == "Poor Metabolizer"


@pytest.mark.parametrize("first, second, cases", [
    ("*2xN", "*4", ["*2x2/*4 gives 2 (a normal metabolizer)", "*2x3/*4 gives 3 (an ultrarapid metabolizer)"]),
    ("*4", "*41x≥3", ["*4/*41x3 gives 0.75 (an intermediate metabolizer)", "*4/*41x5 gives 1.25 (a normal"]),
])
def test_an_indeterminate_result_has_its_own_sentence(first, second, cases):
    """M1: an unknown copy number is explained with the copy numbers that lead to different phenotypes."""
    assert metabolizer_phenotype("CYP2D6", f"{first}/{second}") == "Indeterminate"
    text = figures.describe_genotype("CYP2D6", first, second)
    assert "in the range for" not in text and "not used for" not in text and "indeterminate" in text
    for case in cases:
        assert case in text
    assert model.copy_number_options("CYP2D6", "*1", "*4") == []


def test_the_poor_metabolizer_summary_names_the_qt_warning_without_a_dose():
    """S5: the one concrete risk that grows with the drug level, stated without dosing advice."""
    guide = model.guideline_table().set_index("phenotype")
    summary = guide.at["Poor Metabolizer", "teaching summary (not dosing advice)"]
    assert "heart-rhythm (QT)" in summary and "citalopram" in summary
    assert "mg" not in summary and not any(ch.isdigit() for ch in summary)
    assert "QT" not in guide.at["Normal Metabolizer", "teaching summary (not dosing advice)"]


def test_the_notebook_ties_each_gene_to_its_drugs_as_the_data_does():
    """S4: the drug-gene pairs named in section 1 are the ones in the guideline's evidence row."""
    finding = data.table("evidence").set_index("id").at["pgx-bousman2023-exposure-genes", "finding"]
    text = " ".join(_notebook_text().split())
    for drug in ("paroxetine", "fluvoxamine", "venlafaxine", "vortioxetine"):
        assert drug in finding.split("CYP2C19 for")[0] and drug in text
    assert "CYP2C19 for citalopram, escitalopram and sertraline; CYP2B6 for sertraline" in finding
    assert "CYP2C19 results for citalopram, escitalopram and sertraline (for sertraline also CYP2B6)" in text


def test_citation_gaps_from_the_review_are_closed_or_flagged():
    """S8: the phenotype terms cite Caudle 2017; Ionova's typed alleles are stated; an author from memory is flagged."""
    refs = data.table("references").set_index("key")
    assert refs.at["caudle2017", "doi"] == "10.1038/gim.2016.87" and refs.at["caudle2017", "pages"] == "215-223"
    rules = data.table("pgx_phenotype_rules")
    assert all("caudle2017" in s for s in rules["source"])
    assert "caudle2017" in model.reference_keys()
    finding = data.table("evidence").set_index("id").at["pgx-ionova2020-frequency", "finding"]
    assert "Only *2, *3 and *17 were tested" in finding
    for key in model.reference_keys():
        note = refs.at[key, "note"]
        if "from memory" in note:
            assert "UNVERIFIED" in note, key


def test_the_guide_states_the_cyp2c19_rule_no_wider_than_the_data():
    """M4: the guide's rule covers exactly the function pairs the data hold, and they give what it says."""
    from pathlib import Path
    guide = " ".join((Path(__file__).parents[1] / "notebooks" / "TEACHERS_GUIDE.md").read_text().split())
    assert "with anything but a second no-function allele" not in guide
    assert "one no-function allele with a normal or an increased-function allele makes an intermediate" in guide
    pair = pgx.phenotype_for_functions
    assert pair("CYP2C19", "no function", "normal function") == "Intermediate Metabolizer"
    assert pair("CYP2C19", "increased function", "no function") == "Intermediate Metabolizer"
    assert pair("CYP2C19", "no function", "no function") == "Poor Metabolizer"
    with pytest.raises(ValueError, match="no phenotype rule"):
        pair("CYP2C19", "no function", "decreased function")
