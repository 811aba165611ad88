"""Lithium as pure functions over ``data/``: reference bands, target inhibition, steady-state levels.

Three teaching models, each with its assumptions stated in the docstring:

* :func:`impase_inhibition` and :func:`gsk3_inhibition` turn a serum level into the modelled fraction of
  an enzyme inhibited, via a brain/serum ratio (``data/properties``) and
  :func:`helpers.core.pharmacology.fraction_inhibited`.
* :func:`steady_state_level` and :func:`adjusted_level`: the average steady-state level is
  ``F x dosing rate / clearance``; a situation that lowers clearance raises the level by the fractional
  change stored in ``data/clearance_factors`` (several are combined multiplicatively, an assumption).
* :func:`hypothesis_summary`, :func:`suicide_comparison`: Part B evidence arranged for comparison.

Units: serum lithium in mmol/L (equal to mEq/L for the monovalent Li+), brain lithium in mM, doses in
mg/day of lithium carbonate or mmol/day of Li+, clearance in mL/min.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from helpers.core import data
from helpers.core.pharmacology import fraction_inhibited
from helpers.core.validate import check_array, check_number

DRUG = "lithium"
THEME = "lithium"
LEVEL_MAX = 3.5  # mmol/L: right edge of the level slider and axes (covers the poisoning IQRs in data/)
# Standard atomic weights (IUPAC): carbonate CO3 = C 12.011 + 3 x O 15.999. Li+ comes from data/drugs.
CARBONATE_G_PER_MOL = 12.011 + 3 * 15.999
ML_PER_MIN_TO_L_PER_DAY = 60 * 24 / 1000
# Illustrative adult body weight used only to turn the stored volume of distribution (L/kg) into litres
# for the half-life arithmetic; a convention, not a lithium datum, and stated wherever it is used.
ILLUSTRATIVE_WEIGHT_KG = 70.0
HALF_LIVES_TO_STEADY_STATE = (4, 5)  # general pharmacokinetic rule: ~94-97% of the way after 4-5 half-lives

# Situations often said to raise lithium levels for which no verified size of the change in steady-state
# level was found (so they have no row in data/clearance_factors/): shown as text, never modelled.
UNQUANTIFIED = {
    "dehydration": ("Dehydration or sodium depletion",
                    "often reported to raise lithium levels, but no study measuring the size of the change "
                    "in steady-state level was found, so no number is shown"),
    "loop_diuretic": ("Loop diuretic (e.g. furosemide)",
                      "the data hold a risk of hospital admission for lithium toxicity after starting one "
                      "(Juurlink et al. 2004, plotted below), not a change in level"),
    "arb": ("Angiotensin receptor blocker (ARB)",
            "often reported to raise lithium levels, but no study measuring the size of the change in "
            "steady-state level was found, so no number is shown"),
}

# Part B: the hypotheses compared, what each is offered to explain, and which evidence rows bear on it
# as (evidence hypothesis key, part). The 'explains' text paraphrases the evidence rows' own claims.
HYPOTHESES = {
    "inositol_depletion": ("Inositol depletion",
                           "mood stabilisation, by damping phosphoinositide signalling in overactive neurones",
                           (("inositol_depletion", "B"),)),
    "gsk3_inhibition": ("GSK-3 inhibition",
                        "lithium's biological effects (shown in development); proposed for its mood effects",
                        (("gsk3_inhibition", "B"),)),
    "neuroprotection": ("Neurotrophic / neuroprotective effects",
                        "protection of brain cells with long-term use (so far shown in animals)",
                        (("neuroprotection", "A"),)),
    "many_targets": ("Many targets and systems (review)",
                     "changes in neurotransmission (less dopamine and glutamate, more GABA) and signalling",
                     (("general", "A"), ("adenylyl_cyclase", "A"), ("phosphomonoesterase_family", "A"))),
    "response_genetics": ("Genetics of response",
                          "why some patients respond and others do not",
                          (("response_genetics", "B"),)),
    "antisuicidal_effect": ("Anti-suicide effect",
                            "a lower risk of suicide (a clinical claim whose mechanism is not known)",
                            (("antisuicidal_effect", "B"),)),
}
DIRECTIONS = ("supports", "mixed", "contradicts")
# An empty cell means nothing was collected for this notebook, not that no such evidence exists.
EMPTY_CELL = "none in this lesson"
SUICIDE_EFFECTS = ("li-es-cipriani2013-suicide", "li-es-cipriani2013-death", "li-es-katz2022-suicide-events")
ADMISSION_EFFECTS = ("li-es-juurlink2004-acei", "li-es-juurlink2004-loop")
SIDE_EFFECT_EFFECTS = ("li-es-mcknight2012-hypothyroid", "li-es-mcknight2012-weight")
SIDE_EFFECT_HYPOTHESES = ("ndi_enac_aqp2", "renal_effects", "thyroid", "tremor")
PART_A_ACTIONS = ("impase_inhibition", "phosphomonoesterase_family", "gsk3_inhibition", "adenylyl_cyclase",
                  "neuroprotection", "general")


# --- reference ranges -----------------------------------------------------------------------------

def band_kind(band: str) -> str:
    """'target', 'toxicity', 'observed' (levels seen in poisoning) or 'treatment' (dialysis thresholds)."""
    if "target" in band:
        return "target"
    if "toxicity" in band:
        return "toxicity"
    if "observed" in band:
        return "observed"
    return "treatment"


def reference_bands() -> pd.DataFrame:
    """Verified lithium concentration bands (see the cached builder below for the columns)."""
    return _reference_bands_cached().copy()


@lru_cache(maxsize=1)
def _reference_bands_cached() -> pd.DataFrame:
    """Lithium concentration bands from ``data/reference_ranges`` with their kind and a short citation.

    Columns: band, low, high (None = no upper limit), unit, kind, source, citation, note. Only the
    verified bands in data/ appear; there is deliberately no 'severe toxicity' band (none was verified).
    """
    from helpers.core.evidence import citation

    rows = data.table("reference_ranges")
    rows = rows[rows["drug"] == DRUG].reset_index(drop=True)
    rows["kind"] = [band_kind(b) for b in rows["band"]]
    rows["citation"] = [citation(s) for s in rows["source"]]
    return rows[["band", "low", "high", "unit", "kind", "source", "citation", "note"]]


KIND_MEANING = {
    "target": "target range for a trough level (maintenance treatment)",
    "toxicity": "level used to define a risk of toxicity",
    "observed": "levels seen in poisoned patients (interquartile range), not a threshold",
    "treatment": "level above which the EXTRIP workgroup recommends or suggests extracorporeal treatment (e.g. "
                 "dialysis); the band name says which",
}


def _range_text(low: float, high, kind: str) -> str:
    if high is not None:
        return f"{low:g}-{high:g}"
    return f"> {low:g}" if kind == "treatment" else f">= {low:g}"  # EXTRIP states '>'; the cohort used '>='


def band_table() -> pd.DataFrame:
    """Each verified band with its range, what kind of band it is, and its source (for printing)."""
    bands = reference_bands()
    return pd.DataFrame({
        "band": bands["band"],
        "range (mmol/L)": [_range_text(lo, hi, k) for lo, hi, k in zip(bands["low"], bands["high"], bands["kind"])],
        "what it is": [KIND_MEANING[k] + (" for older adults; majority view, not consensus" if "elderly" in b else "")
                       for k, b in zip(bands["kind"], bands["band"])],
        "source": bands["citation"],
    })


def treatment_threshold() -> float:
    """The lowest level (mmol/L) at which the data describe emergency extracorporeal treatment (EXTRIP)."""
    bands = reference_bands()
    return float(bands.loc[bands["kind"] == "treatment", "low"].min())


def toxicity_threshold() -> float:
    """The verified level (mmol/L) at which toxicity risk is flagged (``toxicity risk`` band)."""
    bands = reference_bands()
    return float(bands.loc[bands["band"] == "toxicity risk", "low"].iloc[0])


def bands_at(level_mmol_L) -> list[str]:
    """Names of the bands that contain a serum level (open-ended bands: level >= low)."""
    level = check_number(level_mmol_L, "serum lithium", "mmol/L", low=0)
    found = []
    for _, row in reference_bands().iterrows():
        high = row["high"] if row["high"] is not None else math.inf
        if row["low"] <= level <= high:
            found.append(row["band"])
    return found


def classify_level(level_mmol_L) -> str:
    """Plain-language position of a serum level against the target bands and the toxicity threshold."""
    level = check_number(level_mmol_L, "serum lithium", "mmol/L", low=0)
    bands = reference_bands()
    targets = bands[(bands["kind"] == "target") & ~bands["band"].str.contains("elderly")]
    lowest, highest = float(targets["low"].min()), float(targets["high"].max())
    threshold = toxicity_threshold()
    if level == 0:
        return "no lithium"
    if level >= threshold:
        return f"at or above {threshold:g} mmol/L, the level one cohort used to define toxicity risk"
    if level > highest:
        return (f"above every adult target band (highest edge {highest:g} mmol/L) and below the {threshold:g} mmol/L "
                f"used to define toxicity risk, which does not make it safe: {below_threshold_caveat()}")
    if level < lowest:
        return f"below every adult target band (lowest edge {lowest:g} mmol/L)"
    inside = [b for b in bands_at(level) if b in set(targets["band"])]
    return "in the " + " / ".join(inside) + " band" + ("s" if len(inside) > 1 else "")


def below_threshold_caveat() -> str:
    """Why a level under the toxicity-risk threshold is not reassuring, with the sources in data/."""
    from helpers.core.evidence import citation

    return ("toxicity can occur below it, especially when lithium has built up slowly "
            f"({citation('waring2007')}; {citation('bairdgunning2017')})")


# --- brain exposure and target inhibition ---------------------------------------------------------

def brain_serum_ratios() -> pd.DataFrame:
    """Measured brain/serum lithium ratios from data/properties (7Li MRS), with labels."""
    return _brain_serum_ratios_cached().copy()


@lru_cache(maxsize=1)
def _brain_serum_ratios_cached() -> pd.DataFrame:
    """Measured brain/serum lithium ratios (7Li MRS) from ``data/properties``, with a readable label."""
    from helpers.core.evidence import citation

    props = data.table("properties")
    rows = props[(props["drug"] == DRUG) & props["property"].str.startswith("brain_serum_ratio")].copy()
    labels = []
    for _, row in rows.iterrows():
        what = "local maximum" if row["property"].endswith("local_max") else "average"
        labels.append(f"{row['value']:g} ({what}; {citation(row['source'])})")
    rows["label"] = labels
    return rows[["property", "value", "source", "label", "note"]].reset_index(drop=True)


def brain_concentration(serum_mmol_L, ratio):
    """Brain lithium (mM) = serum lithium (mmol/L) x brain/serum ratio (assumed equal inside cells)."""
    serum = check_array(serum_mmol_L, "serum lithium", "mmol/L", low=0)
    r = check_number(ratio, "brain/serum ratio", low=0, low_inclusive=False)
    result = serum * r
    return float(result) if np.ndim(serum_mmol_L) == 0 else result


def enzyme_constant(target: str) -> dict:
    """Inhibition constant used for lithium at IMPase or GSK3B: dict with measure, value_mM, mode, source."""
    return dict(_enzyme_constant_cached(data.resolve_target(target) if target not in ('IMPase', 'GSK3B') else target))


@lru_cache(maxsize=None)
def _enzyme_constant_cached(target: str) -> dict:
    """The inhibition constant the model uses for lithium at IMPase or GSK3B (prefers a Ki over an IC50).

    Returns a dict with target, measure, value_mM, mode, species, source, note.
    """
    key = data.resolve_target(target)
    if key not in ("IMPase", "GSK3B"):
        raise data.UnknownNameError(f"no inhibition model for target {target!r}; modelled targets: IMPase, GSK3B")
    rows = data.table("affinities")
    rows = rows[(rows["drug"] == DRUG) & (rows["target"] == key)]
    ki = rows[rows["measure"] == "Ki"]
    row = (ki if len(ki) else rows).sort_values("value").iloc[0]
    value_mM = float(row["value"]) * {"nM": 1e-6, "uM": 1e-3, "mM": 1.0}[row["unit"]]
    return {"target": key, "measure": row["measure"], "value_mM": value_mM, "mode": row["mode"],
            "species": row["species"], "source": row["source"], "note": row["note"]}


def impase_inhibition(serum_mmol_L, ratio, substrate_over_km=1.0):
    """Modelled fraction of IMPase activity removed at a serum lithium level.

    Assumptions: brain (and intracellular) lithium = serum x ``ratio``; lithium is uncompetitive with
    the substrate inositol monophosphate (hallcher1980; faraci1993), with the Ki from data/ (the lowest
    stored Ki, so the upper end of the modelled effect); ``substrate_over_km`` ([S]/Km in the neurone)
    is unknown in people and is a free control. Uses :func:`helpers.core.pharmacology.fraction_inhibited`.
    """
    k = enzyme_constant("IMPase")
    s = check_number(substrate_over_km, "substrate_over_km", low=0, hint="[S]/Km, in multiples of Km")
    return fraction_inhibited(brain_concentration(serum_mmol_L, ratio), k["value_mM"], "uncompetitive", s)


def gsk3_inhibition(serum_mmol_L, ratio, mg_factor=1.0):
    """Modelled fraction of GSK-3beta activity removed at a serum lithium level.

    Lithium competes with Mg2+, not with ATP or the protein substrate (ryves2001), so the Mg2+ term is
    carried by the apparent Ki: ``Ki_cell = Ki_assay x mg_factor`` where ``mg_factor`` is the cell's
    Mg2+ competition term (1 + [Mg2+]/K_Mg) relative to the assay's. 1 reproduces the stored in vitro Ki
    (klein1996); below 1 means less free Mg2+ than in the assay (Ryves and Harwood's argument for a
    stronger effect in cells); above 1 the reverse. Indirect inhibition (via phosphorylation) is ignored.
    """
    k = enzyme_constant("GSK3B")
    m = check_number(mg_factor, "mg_factor", low=0, low_inclusive=False,
                     hint="a ratio of Mg2+ competition terms; 1 is the assay")
    return fraction_inhibited(brain_concentration(serum_mmol_L, ratio), k["value_mM"] * m, "competitive", 0.0)


def affinity_summary() -> pd.DataFrame:
    """Lithium's stored enzyme constants, one row each, with mode, species and citation (for printing)."""
    from helpers.core.evidence import citation

    rows = data.table("affinities")
    rows = rows[rows["drug"] == DRUG]
    return pd.DataFrame({
        "target": rows["target"], "measure": rows["measure"],
        "value": [f"{v:g} {u}" for v, u in zip(rows["value"], rows["unit"])],
        "mode": [_mode_text(m, n) for m, n in zip(rows["mode"], rows["note"])], "species": rows["species"],
        "source": [citation(s) for s in rows["source"]],
    }).reset_index(drop=True)


def _mode_text(mode, note) -> str:
    if not mode:
        return "not stated"
    if mode == "competitive" and "Mg2+" in (note or ""):
        return "competitive with Mg2+"
    if mode == "uncompetitive":
        return "uncompetitive (substrate)"
    return mode


def inhibition_table(serum_levels, ratio, substrate_over_km=1.0, mg_factor=1.0) -> pd.DataFrame:
    """Modelled % inhibition of IMPase and GSK-3beta at several serum levels (for a printed table)."""
    levels = [check_number(v, "serum lithium", "mmol/L", low=0) for v in serum_levels]
    return pd.DataFrame({
        "serum (mmol/L)": levels,
        "brain (mM)": [round(brain_concentration(v, ratio), 3) for v in levels],
        "IMPase inhibited (%)": [round(100 * impase_inhibition(v, ratio, substrate_over_km), 1) for v in levels],
        "GSK-3beta inhibited (%)": [round(100 * gsk3_inhibition(v, ratio, mg_factor), 1) for v in levels],
    })


# --- steady state and clearance -------------------------------------------------------------------

@lru_cache(maxsize=None)
def _property(name: str) -> float:
    props = data.table("properties")
    rows = props[(props["drug"] == DRUG) & (props["property"] == name)]
    if rows.empty:
        raise data.UnknownNameError(f"no lithium property {name!r} in data/properties/")
    return float(rows["value"].iloc[0])


def clearance_range_mL_min() -> tuple[float, float]:
    """Reported range of total lithium clearance (mL/min) from data/properties."""
    return _property("total_clearance_min"), _property("total_clearance_max")


def bioavailability() -> float:
    """Oral bioavailability used by the model: the top of the stored range (fraction), so levels are upper estimates."""
    return _property("bioavailability_max") / 100


def volume_of_distribution_L(weight_kg=ILLUSTRATIVE_WEIGHT_KG) -> float:
    """Volume of distribution (L) = stored value (L/kg, data/properties) x body weight (kg)."""
    weight = check_number(weight_kg, "body weight", "kg", low=0, low_inclusive=False)
    return _property("volume_of_distribution") * weight


def half_life_h(clearance_mL_min, weight_kg=ILLUSTRATIVE_WEIGHT_KG) -> float:
    """Elimination half-life (h) = ln 2 x V / CL, with V from data/properties and the clearance given.

    Parameters
    ----------
    clearance_mL_min : float, > 0
        Total lithium clearance (mL/min).
    weight_kg : float, > 0
        Body weight (kg) used to scale the stored volume (L/kg); default an illustrative 70 kg.

    Notes
    -----
    Half-life lengthens as clearance falls, so a drug that lowers clearance also slows the approach to
    the new, higher steady state.
    """
    cl_L_per_h = check_number(clearance_mL_min, "clearance", "mL/min", low=0, low_inclusive=False) * 60 / 1000
    return math.log(2) * volume_of_distribution_L(weight_kg) / cl_L_per_h


def reported_half_life_range_h() -> tuple[float, float]:
    """Reported range of lithium half-life (h) from data/properties."""
    return _property("half_life_min"), _property("half_life_max")


def days_to_steady_state(clearance_mL_min, weight_kg=ILLUSTRATIVE_WEIGHT_KG) -> tuple[float, float]:
    """Days to (nearly) reach steady state at a clearance: 4 to 5 half-lives (a general pharmacokinetic rule)."""
    t_half = half_life_h(clearance_mL_min, weight_kg)
    return tuple(n * t_half / 24 for n in HALF_LIVES_TO_STEADY_STATE)


def carbonate_to_lithium_mmol(li2co3_mg_per_day):
    """mmol/day of Li+ in a daily dose of lithium carbonate (mg/day): two Li+ per Li2CO3."""
    dose = check_number(li2co3_mg_per_day, "lithium carbonate dose", "mg/day", low=0)
    return 2 * dose / (2 * _lithium_molar_mass() + CARBONATE_G_PER_MOL)


@lru_cache(maxsize=1)
def _lithium_molar_mass() -> float:
    return float(data.table("drugs").set_index("drug").at[DRUG, "molar_mass_g_per_mol"])


def steady_state_level(li2co3_mg_per_day, clearance_mL_min, fraction_absorbed=None) -> float:
    """Average steady-state serum lithium (mmol/L) = F x dosing rate / clearance.

    Parameters
    ----------
    li2co3_mg_per_day : float, >= 0
        Daily lithium carbonate dose (mg/day).
    clearance_mL_min : float, > 0
        Total lithium clearance (mL/min).
    fraction_absorbed : float, optional
        Bioavailability F (0-1); default :func:`bioavailability`.

    Notes
    -----
    This is the average level over a day; the target bands refer to 12-hour troughs, which are lower.
    """
    f = bioavailability() if fraction_absorbed is None else check_number(
        fraction_absorbed, "fraction_absorbed", low=0, high=1, hint="bioavailability F: write 0.9, not 90")
    cl = check_number(clearance_mL_min, "clearance", "mL/min", low=0, low_inclusive=False)
    return f * carbonate_to_lithium_mmol(li2co3_mg_per_day) / (cl * ML_PER_MIN_TO_L_PER_DAY)


def level_range_over_clearances(li2co3_mg_per_day) -> tuple[float, float]:
    """Average steady-state level (mmol/L) for one dose at the highest and lowest stored clearance.

    Shows how far the same dose can land in different people: the reason levels are measured.
    """
    cl_min, cl_max = clearance_range_mL_min()
    return steady_state_level(li2co3_mg_per_day, cl_max), steady_state_level(li2co3_mg_per_day, cl_min)


def clearance_factors() -> pd.DataFrame:
    """Situations with a verified change in steady-state lithium (data/clearance_factors)."""
    return _clearance_factors_cached().copy()


@lru_cache(maxsize=1)
def _clearance_factors_cached() -> pd.DataFrame:
    """Situations with a verified change in steady-state lithium (``data/clearance_factors``)."""
    from helpers.core.evidence import citation

    rows = data.table("clearance_factors").reset_index(drop=True)
    rows["citation"] = [citation(s) for s in rows["source"]]
    return rows


def clearance_table() -> pd.DataFrame:
    """The clearance factors as a readable table: change in steady-state level, stored range, source."""
    rows = clearance_factors()
    return pd.DataFrame({
        "situation": rows["name"], "change in steady-state level": [change_text(c) for c in rows["level_change"]],
        "interval": [interval_text(key) for key in rows["factor"]],
        "basis": ["derived from a measured fall in clearance" if (n or "").startswith("Derived") else "measured level"
                  for n in rows["note"]],
        "source": rows["citation"],
    })


def change_text(change) -> str:
    """A fractional change as a signed percentage; exactly 0 reads as 'no change found' (not a measured zero)."""
    value = float(change)
    return "no change found (0%)" if value == 0 else f"{100 * value:+.0f}%"


def interval_kind(factor: str) -> str | None:
    """What a factor's stored interval is (e.g. '90% CI of the group mean'), or None if it has none."""
    row = _factor_lookup()[resolve_factor(factor)]
    if row["level_change_low"] is None or row["level_change_high"] is None:
        return None
    match = re.search(r"(\d+)% CI", row["note"] or "")
    return f"{match.group(1)}% CI of the group mean" if match else "reported range"


def interval_text(factor: str) -> str:
    """A factor's stored interval in words, or a plain statement that only a point estimate exists."""
    key = resolve_factor(factor)
    kind = interval_kind(key)
    if kind is None:
        return "no interval reported (point estimate only; uncertainty not zero)"
    row = _factor_lookup()[key]
    return (f"{100 * float(row['level_change_low']):+.0f}% to {100 * float(row['level_change_high']):+.0f}% "
            f"({kind})")


def point_estimate_only(factors) -> list[str]:
    """The factors (resolved keys) among ``factors`` that have no stored interval."""
    return [key for key in (resolve_factor(f) for f in factors) if interval_kind(key) is None]


@lru_cache(maxsize=1)
def _factor_lookup() -> dict:
    return _clearance_factors_cached().set_index("factor").to_dict("index")


def resolve_factor(name: str) -> str:
    """Factor key for a key or display name (any case).

    Raises
    ------
    UnknownNameError
        Unknown name (lists the valid factors), or a situation known to matter but with no verified
        magnitude (says why it is not modelled).
    """
    wanted = str(name).strip().casefold()
    for key, row in _factor_lookup().items():
        if wanted in (key.casefold(), row["name"].casefold()):
            return key
    for key, (label, reason) in UNQUANTIFIED.items():
        if wanted in (key, label.casefold()):
            raise data.UnknownNameError(f"{label} is not modelled: {reason}. "
                                        f"Modelled factors: {', '.join(_factor_lookup())}")
    raise data.UnknownNameError(f"unknown interacting drug or factor {name!r}. "
                                f"Modelled factors: {', '.join(_factor_lookup())}; "
                                f"known but not quantified: {', '.join(UNQUANTIFIED)}")


def combined_change(factors) -> dict:
    """Combined fractional change in steady-state level for several factors, assumed multiplicative.

    ``1 + change = product of (1 + change_i)``. Combinations have not been studied. ``low`` and ``high``
    combine the stored intervals only when *every* factor has one; if any factor has only a point
    estimate they are None (a range built from one factor's interval would look more precise than the
    data are).

    Returns
    -------
    dict with ``central``, ``low``, ``high`` (fractions; 0.32 = +32%, or None), ``factors`` (resolved
    keys) and ``point_only`` (keys without an interval).
    """
    if isinstance(factors, str):
        factors = [factors]
    keys = [resolve_factor(f) for f in factors]
    if len(set(keys)) != len(keys):
        raise ValueError(f"each factor may be given once (got {list(factors)!r})")
    rows = _factor_lookup()
    central = low = high = 1.0
    for key in keys:
        c = float(rows[key]["level_change"])
        lo, hi = rows[key]["level_change_low"], rows[key]["level_change_high"]
        central *= 1 + c
        low *= 1 + (c if lo is None else float(lo))
        high *= 1 + (c if hi is None else float(hi))
    point_only = point_estimate_only(keys)
    if point_only or not keys:
        return {"central": central - 1, "low": None, "high": None, "factors": keys, "point_only": point_only}
    return {"central": central - 1, "low": low - 1, "high": high - 1, "factors": keys, "point_only": point_only}


def adjusted_level(baseline_mmol_L, factors) -> dict:
    """Steady-state level after adding factors to a stable baseline (dose unchanged), mmol/L.

    Returns dict with ``central``, ``low``, ``high`` levels (``low``/``high`` None when some factor has
    only a point estimate; see :func:`combined_change`) and the ``change`` dict.
    """
    base = check_number(baseline_mmol_L, "baseline level", "mmol/L", low=0)
    change = combined_change(factors)
    low = None if change["low"] is None else base * (1 + change["low"])
    high = None if change["high"] is None else base * (1 + change["high"])
    return {"central": base * (1 + change["central"]), "low": low, "high": high, "change": change}


def unquantified_markdown() -> str:
    """Markdown list of situations that are not modelled, each with the reason."""
    return "\n".join(f"- **{label}**: not modelled; {reason}." for label, reason in UNQUANTIFIED.values())


# --- Part B ---------------------------------------------------------------------------------------

def _theme_evidence() -> pd.DataFrame:
    """The lithium evidence rows with a short citation column."""
    return _theme_evidence_cached().copy()


@lru_cache(maxsize=1)
def _theme_evidence_cached() -> pd.DataFrame:
    from helpers.core.evidence import citation

    rows = data.table("evidence")
    rows = rows[rows["theme"] == THEME].reset_index(drop=True)
    rows["citation"] = [citation(s) for s in rows["source"]]
    return rows


def resolve_hypothesis(name: str) -> str:
    """Hypothesis key for a key or display name; unknown names list the choices."""
    wanted = str(name).strip().casefold()
    for key, (label, _, _) in HYPOTHESES.items():
        if wanted in (key, label.casefold()):
            return key
    raise data.UnknownNameError(f"unknown hypothesis {name!r}; choose one of {', '.join(HYPOTHESES)}")


def hypothesis_evidence(hypothesis: str) -> pd.DataFrame:
    """Evidence rows bearing on one Part B hypothesis (see :data:`HYPOTHESES`)."""
    key = resolve_hypothesis(hypothesis)
    rows = _theme_evidence()
    wanted = pd.Series(False, index=rows.index)
    for hyp, part in HYPOTHESES[key][2]:
        wanted |= (rows["hypothesis"] == hyp) & (rows["part"] == part)
    return rows[wanted].reset_index(drop=True)


def hypothesis_summary() -> pd.DataFrame:
    """One row per hypothesis: what it claims to explain and the citations for, mixed and against."""
    out = []
    for key, (label, explains, _) in HYPOTHESES.items():
        rows = hypothesis_evidence(key)
        entry = {"hypothesis": label, "claims to explain": explains}
        for direction in DIRECTIONS:
            cites = rows.loc[rows["direction"] == direction, "citation"]
            entry[direction] = "; ".join(dict.fromkeys(cites)) or EMPTY_CELL
        out.append(entry)
    return pd.DataFrame(out)


def effect_rows(ids) -> pd.DataFrame:
    """Rows of ``data/effect_sizes`` in the order given; unknown ids list the lithium ids."""
    from helpers.core.evidence import citation

    rows = data.table("effect_sizes").set_index("id")
    known = [i for i in rows.index if str(i).startswith("li-")]
    missing = [i for i in ids if i not in rows.index]
    if missing:
        raise data.UnknownNameError(f"unknown effect-size id(s) {missing}; lithium ids: {', '.join(known)}")
    chosen = rows.loc[list(ids)].reset_index()
    chosen["citation"] = [citation(s) for s in chosen["source"]]
    return chosen


def suicide_comparison() -> pd.DataFrame:
    """Cipriani 2013 and Katz 2022 side by side: design, comparison, size, estimate and notes from data/."""
    rows = effect_rows(SUICIDE_EFFECTS)
    evidence = _theme_evidence().drop_duplicates("source").set_index("source")
    return pd.DataFrame({
        "study": rows["citation"],
        "design": [evidence.loc[s, "design"] if s in evidence.index else "" for s in rows["source"]],
        "outcome": rows["outcome"],
        "comparison": rows["comparison"],
        "people": [f"{int(n)}" if n is not None else "not recorded for this comparison"
                   for n in rows["n_participants"]],
        "estimate (95% CI)": [f"{m} {e:g} ({lo:g} to {hi:g})" for m, e, lo, hi in
                              zip(rows["metric"], rows["estimate"], rows["ci_low"], rows["ci_high"])],
        "notes": rows["note"],
    })
