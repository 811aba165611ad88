"""Pharmacogenomics as pure functions over ``data/``: genotype to phenotype, phenotype to exposure to occupancy.

* Genotype to phenotype: :mod:`helpers.core.pharmacogenomics` (CPIC rules from ``data/pgx_alleles`` and
  ``data/pgx_phenotype_rules``); this module adds what the notebook shows: the allele and rule tables in words,
  the options of the genotype demo and a sentence of arithmetic for a diplotype.
* Phenotype to exposure to occupancy: the exposure of each genotype group relative to normal metabolizers
  (``data/pgx_exposure``, Jukić et al. 2018 for escitalopram and CYP2C19) is put on the generic saturating
  occupancy curve, occupancy = x / (1 + x) with x the exposure in multiples of the exposure giving
  half-maximal occupancy (:func:`helpers.core.pharmacology.occupancy` with Kd = 1). Assumptions, stated
  wherever the result is shown: occupancy follows the serum level at steady state through one saturating
  curve with a maximum of 100%; a genotype group changes only the exposure, not the curve.
* The guideline summary by phenotype (``data/pgx_guideline``): a teaching summary, not dosing advice.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from helpers.core import data
from helpers.core import pharmacogenomics as pgx
from helpers.core import evidence
from helpers.core.evidence import citation
from helpers.core.pharmacology import concentration_for_occupancy, occupancy
from helpers.core.validate import check_number

THEME = "pharmacogenomics"
DRUG = "escitalopram"
EXPOSURE_GENE = "CYP2C19"
# Phenotypes bottom to top in the genotype figure (slowest to fastest metabolism).
PHENOTYPES = ("Poor Metabolizer", "Intermediate Metabolizer", "Normal Metabolizer", "Rapid Metabolizer",
              "Ultrarapid Metabolizer")
# CYP2D6 gene duplications offered in the genotype demo (written as CPIC writes them; their values follow the
# per-copy rule of helpers.core.pharmacogenomics, tested against CPIC's diplotype table).
DUPLICATIONS = {"CYP2D6": ("*1x2", "*2x2", "*1x≥3", "*41x2")}
DEFAULT_DIPLOTYPES = {"CYP2D6": ("*1", "*41"), "CYP2C19": ("*1", "*2")}
EXPOSURE_MAX = 10.0  # largest usual exposure on the slider, in multiples of the half-maximal exposure
PART_A_HYPOTHESES = ("activity_score", "escitalopram_exposure", "guideline")
PART_B_HYPOTHESES = ("serotonin_transporter_promoter", "serotonin_receptor_gene", "genome_wide_studies")
OTHER_SOURCES = ("drug_interactions", "adherence", "placebo_response")
NOT_REPORTED = "not reported"
TAYLOR_EFFECTS = ("pgx-es-taylor2010-remission", "pgx-es-taylor2010-trimfill")


# --- Genotype to phenotype ------------------------------------------------------------------------

def allele_options(gene: str) -> list[str]:
    """The alleles the genotype demo offers for ``gene``: the stored ones, then CYP2D6's duplications."""
    gene = pgx.resolve_gene(gene)
    return [*pgx.known_alleles(gene), *DUPLICATIONS.get(gene, ())]


def allele_table(gene: str) -> pd.DataFrame:
    """Allele, CPIC function, activity value (CYP2D6) and a note on changes, for display."""
    gene = pgx.resolve_gene(gene)
    rows = data.table("pgx_alleles")
    rows = rows[rows["gene"] == gene]
    table = pd.DataFrame({"allele": rows["allele"], "function": rows["function"]})
    if pgx.uses_activity_score(gene):
        table["activity value"] = rows["activity_value"].astype(float)
    table["source"] = [citation(s) for s in rows["source"]]
    return table.reset_index(drop=True)


def rule_text(gene: str, phenotype: str) -> str:
    """How a phenotype is reached for ``gene``, in words ('activity score 1.25 to 2.25')."""
    return _rule_text(pgx.resolve_gene(gene), phenotype)


@lru_cache(maxsize=64)
def _rule_text(gene: str, phenotype: str) -> str:
    rules = data.table("pgx_phenotype_rules")
    rules = rules[(rules["gene"] == gene) & (rules["phenotype"] == phenotype)]
    if rules.empty:
        return f"not used for {gene}"
    parts = []
    for _, r in rules.iterrows():
        if not pgx.is_missing(r["score_low"]):
            low, high = r["score_low"], r["score_high"]
            if pgx.is_missing(high):
                parts.append(f"activity score {low:g} or more")
            elif low == high:
                parts.append(f"activity score {low:g}")
            else:
                parts.append(f"activity score {low:g} to {high:g}")
        else:
            first, second = r["functions"].split("+")
            parts.append(f"{first} + {second}" if first != second else f"two alleles with {first}")
    return "; or ".join(parts)


SHORT_FUNCTION = {"normal function": "normal", "no function": "no-function", "increased function": "increased",
                  "decreased function": "decreased"}


def rule_label(gene: str, phenotype: str) -> str:
    """:func:`rule_text` short enough for a figure's bar: 'normal + no-function, or<br>increased + no-function'."""
    return _rule_label(pgx.resolve_gene(gene), phenotype)


@lru_cache(maxsize=64)
def _rule_label(gene: str, phenotype: str) -> str:
    rules = data.table("pgx_phenotype_rules")
    rules = rules[(rules["gene"] == gene) & (rules["phenotype"] == phenotype)]
    if rules.empty or not pgx.is_missing(rules["score_low"].iloc[0]):
        return rule_text(gene, phenotype)
    parts = []
    for functions in rules["functions"]:
        first, second = (SHORT_FUNCTION[f] for f in functions.split("+"))
        parts.append(f"two {first}{'-function' if first in ('normal', 'increased') else ''} alleles"
                     if first == second else f"{first} + {second}")
    return ", or<br>".join(parts)


def rules_table(gene: str) -> pd.DataFrame:
    """Every phenotype with the rule that reaches it for ``gene`` (CPIC), slowest first."""
    gene = pgx.resolve_gene(gene)
    return pd.DataFrame({"phenotype": list(PHENOTYPES), f"{gene} rule": [rule_text(gene, p) for p in PHENOTYPES]})


def arithmetic(gene: str, first: str, second: str) -> str:
    """The working for one diplotype: '*1/*41: 1 + 0.25 = 1.25' or '*1/*17: normal + increased'."""
    result = pgx.genotype_result(gene, f"{first}/{second}")
    if result.score is None:
        a, b = (SHORT_FUNCTION[f] for f in result.functions)
        return f"{result.diplotype}: {a} + {b}"
    at_least = "≥ " if result.score_at_least else ""
    values = " + ".join(("≥ " if al.at_least else "") + f"{v:g}" for al, v in zip(result.alleles, result.values))
    return f"{result.diplotype}: {values} = {at_least}{result.score:g}"


def copy_number_options(gene: str, first: str, second: str) -> list[tuple[str, float, str]]:
    """For a diplotype with an unknown copy number (``*2xN``, ``*41x≥3``): the lowest possible copy number and the
    lowest one that gives another phenotype, each as (diplotype, activity score, phenotype). ``*2xN/*4`` ->
    ``*2x2/*4`` (2, normal) and ``*2x3/*4`` (3, ultrarapid): why CPIC calls it indeterminate. Only the lowest one
    when more copies never change the phenotype; empty when every copy number is known."""
    result = pgx.genotype_result(gene, f"{first}/{second}")
    if not any(a.at_least for a in result.alleles):
        return []
    options = []
    for extra in range(0, 12):
        texts = [f"{a.base}x{a.copies + extra}" if a.at_least else a.text for a in result.alleles]
        option = pgx.genotype_result(gene, "/".join(texts))
        if not options or option.phenotype != options[0][2]:
            options.append((option.diplotype, option.score, option.phenotype))
        if len(options) == 2:
            break
    return options


def genotype_summary(gene: str, first: str, second: str) -> dict:
    """Phenotype, working and the rule that applied, for the demo and its sentence."""
    result = pgx.genotype_result(gene, f"{first}/{second}")
    return {"gene": result.gene, "diplotype": result.diplotype, "phenotype": result.phenotype,
            "working": arithmetic(gene, first, second), "rule": rule_text(gene, result.phenotype),
            "score": result.score, "functions": result.functions}


# --- Phenotype to exposure to occupancy -----------------------------------------------------------

def exposure_groups(drug: str = DRUG) -> pd.DataFrame:
    """The genotype groups of ``drug`` (file order) with exposure and switching ratios and a citation (a copy)."""
    return _exposure_groups(drug).copy()


@lru_cache(maxsize=8)
def _exposure_groups(drug: str) -> pd.DataFrame:
    rows = data.table("pgx_exposure")
    rows = rows[rows["drug"] == drug]
    if rows.empty:
        raise ValueError(f"no exposure-by-genotype data for {drug!r}; drugs with data: "
                         f"{', '.join(sorted(set(data.table('pgx_exposure')['drug'])))}")
    rows = rows.assign(citation=[citation(s) for s in rows["source"]])
    return rows.reset_index(drop=True)


@lru_cache(maxsize=8)
def _group_rows(drug: str) -> dict:
    return {r["genotype"]: r.to_dict() for _, r in _exposure_groups(drug).iterrows()}


def group_row(genotype: str, drug: str = DRUG) -> dict:
    """One genotype group's row (a dict); an unknown group raises ``ValueError`` naming the known ones.

    Read on every slider step, so the rows are looked up in a dict built once (not filtered from the table)."""
    rows = _group_rows(drug)
    if genotype not in rows:
        raise ValueError(f"unknown genotype group {genotype!r}; groups: {', '.join(rows)}")
    return dict(rows[genotype])


@lru_cache(maxsize=8)
def reference_genotype(drug: str = DRUG) -> str:
    """The group every ratio is relative to (exposure ratio 1, the normal metabolizers)."""
    groups = _exposure_groups(drug)
    return str(groups.loc[groups["exposure_ratio"] == 1.0, "genotype"].iloc[0])


@lru_cache(maxsize=1)
def default_exposure() -> float:
    """Usual exposure of a normal metabolizer, in multiples of the half-maximal exposure: the exposure that gives
    the SERT occupancy measured at minimum therapeutic SSRI doses (``data/occupancy_thresholds``, about 80%)."""
    rows = data.table("occupancy_thresholds")
    row = rows[(rows["target"] == "SERT") & (rows["outcome"] == "minimum therapeutic dose")].iloc[0]
    return round(float(concentration_for_occupancy(row["occupancy"], 1.0)), 6)


def _sert_threshold_row() -> dict:
    rows = data.table("occupancy_thresholds")
    return rows[(rows["target"] == "SERT") & (rows["outcome"] == "minimum therapeutic dose")].iloc[0].to_dict()


def sert_threshold_citation() -> str:
    """In-text citation of the SERT occupancy at minimum therapeutic doses, the exposure demo's start."""
    return citation(_sert_threshold_row()["source"])


def reference_keys() -> list[str]:
    """Every reference behind what the notebook shows: the theme's own rows, then the rows of other themes' tables
    it reads (the SERT occupancy that sets the exposure demo's start, ``data/occupancy_thresholds``)."""
    keys = evidence.theme_reference_keys(THEME)
    for key in _sert_threshold_row()["source"].split(";"):
        if key not in keys:
            keys.append(key)
    return keys


def occupancy_percent(multiple) -> float:
    """Occupancy (%, 0-100) at ``multiple`` times the half-maximal exposure on the generic saturating curve."""
    return 100 * float(occupancy(check_number(multiple, "exposure", "× half-maximal", low=0), 1.0))


def exposure_consequence(usual: float, genotype: str, drug: str = DRUG) -> dict:
    """What a genotype group's exposure ratio does on the saturating curve.

    Parameters
    ----------
    usual : float
        A normal metabolizer's usual exposure, in multiples of the half-maximal exposure (> 0).
    genotype : str
        A genotype group of ``data/pgx_exposure`` (``'Null/Null'``).

    Returns
    -------
    dict
        ``ratio``, ``exposure`` (multiples), ``occupancy_normal`` and ``occupancy_group`` (%), ``gain_points``
        (percentage points), ``exposure_percent`` and ``occupancy_percent_of_normal`` (group as % of normal),
        ``switching_ratio`` (None where not reported), ``phenotype``.
    """
    usual = check_number(usual, "usual exposure", "× half-maximal", low=0, low_inclusive=False)
    row = group_row(genotype, drug)
    ratio = float(row["exposure_ratio"])
    exposure = usual * ratio
    normal, group = occupancy_percent(usual), occupancy_percent(exposure)
    return {"ratio": ratio, "exposure": exposure, "occupancy_normal": normal, "occupancy_group": group,
            "gain_points": group - normal, "exposure_percent": 100 * ratio,
            "occupancy_percent_of_normal": 100 * group / normal,
            "switching_ratio": None if pgx.is_missing(row["switching_ratio"]) else float(row["switching_ratio"]),
            "phenotype": row["phenotype"], "genotype": genotype, "citation": row["citation"]}


def exposure_table(usual: float | None = None, drug: str = DRUG) -> pd.DataFrame:
    """Every genotype group: phenotype, exposure and switching ratios, and modelled occupancy at ``usual``."""
    usual = default_exposure() if usual is None else usual
    groups = exposure_groups(drug)
    rows = [exposure_consequence(usual, g, drug) for g in groups["genotype"]]
    return pd.DataFrame({
        "genotype group": groups["genotype"],
        "CPIC phenotype": groups["phenotype"],
        "exposure (× normal)": [r["ratio"] for r in rows],
        # a group the study gave no switching ratio for says so in words (a dash could be read as zero)
        "switched drug within a year (× normal)": [NOT_REPORTED if r["switching_ratio"] is None
                                                   else f"{r['switching_ratio']:g}" for r in rows],
        "modelled occupancy (%)": [round(r["occupancy_group"]) for r in rows],
        "source": groups["citation"],
    })


def guideline_table(gene: str = EXPOSURE_GENE) -> pd.DataFrame:
    """The guideline's recommendation by phenotype, as a teaching summary (not dosing advice)."""
    gene = pgx.resolve_gene(gene)
    rows = data.table("pgx_guideline")
    rows = rows[rows["gene"] == gene]
    order = {p: i for i, p in enumerate(PHENOTYPES)}
    rows = rows.assign(order=[order.get(p, len(order)) for p in rows["phenotype"]]).sort_values("order")
    return pd.DataFrame({"phenotype": rows["phenotype"], "drug": rows["drug"],
                         "teaching summary (not dosing advice)": rows["summary"], "strength": rows["strength"],
                         "source": [citation(s) for s in rows["source"]]}).reset_index(drop=True)


# --- Part B ---------------------------------------------------------------------------------------

def effect_rows(ids) -> pd.DataFrame:
    """Effect-size rows in the order given, with a citation."""
    rows = data.table("effect_sizes").set_index("id")
    missing = [i for i in ids if i not in rows.index]
    if missing:
        raise ValueError(f"unknown effect-size ids: {', '.join(missing)}")
    rows = rows.loc[list(ids)].reset_index()
    return rows.assign(citation=[citation(s) for s in rows["source"]])
