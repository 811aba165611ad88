"""Look-ups for the psychotherapy notebook: the mechanism scorecard, effect sizes and r/d conversions.

Everything factual comes from ``data/`` (``scorecard``, ``effect_sizes``, ``evidence``, ``references``);
this module only reshapes it and adds the arithmetic that turns a correlation into a share of variance or a
standardised mean difference.
"""

from __future__ import annotations

import math
from functools import lru_cache

import pandas as pd

from helpers.core import data, evidence
from helpers.core.evidence import citation
from helpers.core.validate import check_number

THEME = "psychotherapy"

# Kazdin (2007) criteria in the order the notebook teaches them: key -> (label, the question it asks).
CRITERIA = {
    "strong_association": ("Strong association",
                           "Does the treatment change the proposed mediator, and does the mediator go with "
                           "the outcome?"),
    "specificity": ("Specificity",
                    "Is the link specific to this mediator and this treatment, rather than shared by many?"),
    "consistency": ("Consistency",
                    "Is the finding replicated across studies, samples, measures and settings?"),
    "experimental_manipulation": ("Experimental manipulation",
                                  "When the mediator is changed on purpose (or blocked), does the outcome follow?"),
    "timeline": ("Timeline",
                 "Does change in the mediator come before the change in outcome it is meant to explain?"),
    "gradient": ("Gradient",
                 "Does more of the mediator go with more benefit (a dose-response relation)?"),
    "plausibility": ("Plausibility and coherence",
                     "Does the proposed chain fit what else is known about the biology or psychology?"),
}

# One scorecard row per criterion, chosen because its explanation is a clear worked example of that criterion.
CRITERION_EXAMPLES = {
    "strong_association": "psychotherapy",
    "specificity": "psychotherapy",
    "consistency": "ssri",
    "experimental_manipulation": "ketamine",
    "timeline": "psychotherapy",
    "gradient": "ssri",
    "plausibility": "lithium",
}

TREATMENTS = {
    "ssri": "SSRI",
    "ketamine": "Ketamine",
    "lithium": "Lithium",
    "psychotherapy": "Psychotherapy (alliance)",
}

# Ratings from best to worst supported, then 'untested' (outside that order), with the text printed in each cell.
# The notebook's legend defines them: met; partly met (the evidence fits but does not test the whole chain);
# contested (good studies disagree); not met (the evidence goes against); untested (no study tests this
# criterion directly). Each criterion is judged for the whole proposed chain, not only its first link.
RATINGS = {
    "met": "met",
    "partly": "partly met",
    "contested": "contested",
    "not_met": "not met",
    "untested": "untested",
}

# Part A for each treatment (what it does) is an evidence row in data/evidence/psychotherapy.csv: its claim is
# the sentence shown, its source the studies behind it. Part B is the scorecard's ``mechanism`` column.
PART_A = {treatment: f"psy-parta-{treatment}" for treatment in TREATMENTS}


def resolve_treatment(name: str) -> str:
    """The scorecard key for a treatment name (``'SSRI'``, ``'lithium'``, ``'psychotherapy'``...).

    Raises
    ------
    helpers.core.data.UnknownNameError
        The name is not one of the scorecard's treatments; the message lists the valid ones.
    """
    if not isinstance(name, str):
        raise data.UnknownNameError(f"treatment must be a name, got {name!r}; choose one of: {', '.join(TREATMENTS)}")
    key = name.strip().casefold()
    for k, label in TREATMENTS.items():
        if key in (k, label.casefold()):
            return k
    raise data.UnknownNameError(f"unknown treatment {name!r}; choose one of: {', '.join(TREATMENTS)}")


def resolve_criterion(name: str) -> str:
    """The scorecard key for a criterion (key or label, any case)."""
    key = str(name).strip().casefold().replace(" ", "_")
    for k, (label, _) in CRITERIA.items():
        if key in (k, label.casefold().replace(" ", "_")):
            return k
    raise data.UnknownNameError(f"unknown criterion {name!r}; choose one of: {', '.join(CRITERIA)}")


def evidence_citation(ids: str | None) -> str:
    """Short citations ('Meyer et al. 2004; ...') for a ``;`` list of evidence ids ('' for none)."""
    if not ids:
        return ""
    rows = data.table("evidence").set_index("id")
    keys: list[str] = []
    for evidence_id in ids.split(";"):
        if evidence_id not in rows.index:
            raise data.UnknownNameError(f"unknown evidence id {evidence_id!r}")
        keys.extend(k for k in rows.at[evidence_id, "source"].split(";") if k not in keys)
    return citation(";".join(keys))


def scorecard() -> pd.DataFrame:
    """The full scorecard (treatment x criterion), in teaching order, with labels and citations (a copy)."""
    return _scorecard().copy()


@lru_cache(maxsize=1)
def _scorecard() -> pd.DataFrame:
    rows = data.table("scorecard")
    missing = {(t, c) for t in TREATMENTS for c in CRITERIA} - set(zip(rows["treatment"], rows["criterion"]))
    if missing:
        raise data.DataError(f"data/scorecard/ lacks rows for: {sorted(missing)}")
    rows = rows[rows["treatment"].isin(list(TREATMENTS))].copy()
    rows["evidence"] = [ids if isinstance(ids, str) else "" for ids in rows["evidence"]]  # untested: none
    rows["treatment_order"] = rows["treatment"].map(list(TREATMENTS).index)
    rows["criterion_order"] = rows["criterion"].map(list(CRITERIA).index)
    rows = rows.sort_values(["treatment_order", "criterion_order"]).reset_index(drop=True)
    rows["treatment_label"] = rows["treatment"].map(TREATMENTS)
    rows["criterion_label"] = rows["criterion"].map(lambda c: CRITERIA[c][0])
    rows["rating_label"] = rows["rating"].map(RATINGS)
    rows["citation"] = [evidence_citation(ids) for ids in rows["evidence"]]
    return rows.drop(columns=["treatment_order", "criterion_order"])


# How big each treatment's benefit is (the efficacy baselines of notebooks 01-04): treatment -> effect-size ids.
EFFICACY = {
    "ssri": ("bas-es-arroll2005-ssri",),
    "ketamine": ("ket-es-kishimoto-ketamine-day1",),
    "lithium": ("li-es-geddes2004-any-relapse",),
    "psychotherapy": ("ps-es-cuijpers2019-unadjusted", "ps-es-cuijpers2019-adjusted"),
}


def _efficacy_text(row) -> str:
    """'RR 1.37 (95% CI 1.21 to 1.55); NNT 6: SSRI vs placebo, improvement ...' from one effect-size row."""
    size = f"{row['metric']} {float(row['estimate']):g}"
    if row["ci_low"] is not None:
        size += f" (95% CI {float(row['ci_low']):g} to {float(row['ci_high']):g})"
    else:
        size += " (no interval reported)"
    if row["nnt"] is not None:
        size += f"; NNT {float(row['nnt']):g}"
    return f"{size}: {row['comparison']}, {row['outcome']}"


def efficacy(treatment: str) -> dict[str, str]:
    """How big the treatment's benefit is, in words, and its source (from ``data/effect_sizes``)."""
    key = resolve_treatment(treatment)
    rows = data.table("effect_sizes").set_index("id")
    missing = [i for i in EFFICACY[key] if i not in rows.index]
    if missing:
        raise data.DataError(f"data/effect_sizes/ lacks the efficacy row(s) {missing} for {key}")
    chosen = rows.loc[list(EFFICACY[key])]
    return {"treatment": TREATMENTS[key], "efficacy": "; ".join(_efficacy_text(r) for _, r in chosen.iterrows()),
            "source": citation(";".join(dict.fromkeys(chosen["source"])))}


def efficacy_table() -> pd.DataFrame:
    """One row per scorecard treatment: how big the benefit is (with its interval and NNT where reported) and
    its source, so the mechanism ratings can be read against the size of the effect they must explain."""
    out = [efficacy(t) for t in TREATMENTS]
    return pd.DataFrame(out).rename(columns={"treatment": "Treatment", "efficacy": "How big the benefit is",
                                             "source": "Source"})


def rating_matrix() -> pd.DataFrame:
    """Ratings as a table: one row per treatment, one column per criterion (keys)."""
    rows = _scorecard()
    return rows.pivot(index="treatment", columns="criterion", values="rating").loc[list(TREATMENTS), list(CRITERIA)]


def treatment_row(treatment: str) -> pd.DataFrame:
    """One treatment's seven criteria: rating, explanation and citations (readable column names)."""
    key = resolve_treatment(treatment)
    rows = scorecard()
    rows = rows[rows["treatment"] == key]
    return rows[["criterion_label", "rating_label", "explanation", "citation"]].rename(columns={
        "criterion_label": "Criterion", "rating_label": "Rating", "explanation": "How the evidence meets it",
        "citation": "Evidence"}).reset_index(drop=True)


def mechanism(treatment: str) -> str:
    """The leading proposed mechanism (Part B) that the scorecard rates for a treatment."""
    key = resolve_treatment(treatment)
    rows = data.table("scorecard")
    return str(rows.loc[rows["treatment"] == key, "mechanism"].iloc[0])


def part_a_b(treatment: str) -> dict[str, str]:
    """Part A (what the treatment does) and Part B (leading proposed mechanism), with citations."""
    key = resolve_treatment(treatment)
    rows = data.table("evidence").set_index("id")
    if PART_A[key] not in rows.index:
        raise data.DataError(f"data/evidence/ lacks the Part A row {PART_A[key]!r}")
    return {"treatment": TREATMENTS[key], "part_a": str(rows.at[PART_A[key], "claim"]),
            "part_a_citation": evidence_citation(PART_A[key]), "part_b": mechanism(key)}


def rating_counts(treatment: str) -> dict[str, int]:
    """How many of the seven criteria a treatment's mechanism gets in each rating."""
    key = resolve_treatment(treatment)
    ratings = rating_matrix().loc[key]
    return {r: int((ratings == r).sum()) for r in RATINGS}


def weakest_links() -> str:
    """For each treatment, the criteria rated contested, not met or untested (computed from the scorecard)."""
    matrix = rating_matrix()
    lines = []
    for treatment in TREATMENTS:
        weak = [f"{CRITERIA[c][0].lower()} ({RATINGS[r]})" for c, r in matrix.loc[treatment].items()
                if r in ("contested", "not_met", "untested")]
        lines.append(f"{TREATMENTS[treatment]}: {', '.join(weak) if weak else 'none below partly met'}")
    return "\n".join(lines)


def criteria_table() -> pd.DataFrame:
    """Each criterion: the question it asks and a worked example from the scorecard, with citations."""
    rows = scorecard().set_index(["treatment", "criterion"])
    out = []
    for criterion, (label, question) in CRITERIA.items():
        example = rows.loc[(CRITERION_EXAMPLES[criterion], criterion)]
        out.append({"Criterion": label, "What it asks": question,
                    "Example": f"{TREATMENTS[CRITERION_EXAMPLES[criterion]]} ({example['rating_label']}): "
                               f"{example['explanation']}",
                    "Evidence": example["citation"]})
    return pd.DataFrame(out)


# --- Effect sizes ---------------------------------------------------------------------------------

def r_to_d(r: float) -> float:
    """Convert a correlation to Cohen's d: d = 2r / sqrt(1 - r^2) (equal groups; dimensionless)."""
    r = check_number(r, "r", low=-1, high=1, low_inclusive=False, high_inclusive=False, hint="a correlation")
    return 2 * r / math.sqrt(1 - r * r)


def d_to_r(d: float) -> float:
    """Convert Cohen's d (or Hedges' g, approximately) to a correlation: r = d / sqrt(d^2 + 4) (equal groups)."""
    d = check_number(d, "d", hint="a standardised mean difference")
    return d / math.sqrt(d * d + 4)


def variance_explained(r: float) -> float:
    """Share of outcome variance linearly accounted for by a correlation r: r squared (fraction 0-1)."""
    r = check_number(r, "r", low=-1, high=1, low_inclusive=False, high_inclusive=False, hint="a correlation")
    return r**2


def effect_sizes(metric: str | None = None) -> pd.DataFrame:
    """The theme's meta-analytic effect sizes of processes (not the efficacy baselines), with a label and
    citation, sorted by estimate.

    Adds ``citation``, ``short`` (the comparison without its parenthesis) and ``label`` (short plus citation:
    unique, used to select rows).

    Parameters
    ----------
    metric : str, optional
        Keep only rows with this metric (``'r'`` correlations, ``'d'`` between-group differences).
    """
    rows = data.table("effect_sizes")
    rows = rows[(rows["theme"] == THEME) & (rows["baseline"] != "yes")].copy()  # baselines: efficacy, not process
    if metric is not None:
        known = sorted(rows["metric"].unique())
        if metric not in known:
            raise ValueError(f"no {THEME} effect size has metric {metric!r}; metrics present: {', '.join(known)}")
        rows = rows[rows["metric"] == metric]
    rows["citation"] = [citation(s) for s in rows["source"]]
    rows["short"] = [_label(c) for c in rows["comparison"]]
    rows["label"] = [f"{short} ({cit})" for short, cit in zip(rows["short"], rows["citation"])]
    for col in ("estimate", "ci_low", "ci_high"):
        rows[col] = rows[col].astype(float)
    for col in ("k_studies", "n_participants"):
        rows[col] = rows[col].astype("Int64")
    return rows.sort_values("estimate").reset_index(drop=True)


def _label(comparison: str) -> str:
    """'strength of therapeutic alliance (correlation ...)' -> 'strength of therapeutic alliance'."""
    return comparison.split(" (")[0]


def alliance_summary() -> dict[str, float]:
    """The largest alliance-outcome synthesis: r, its CI, studies, r squared and the equivalent d."""
    rows = data.table("effect_sizes").set_index("id")
    row = rows.loc["ps-alliance-2018"]
    r = float(row["estimate"])
    return {"r": r, "ci_low": float(row["ci_low"]), "ci_high": float(row["ci_high"]),
            "k_studies": int(row["k_studies"]), "r_squared": variance_explained(r), "d": r_to_d(r),
            "source": row["source"]}


# Evidence rows of relationship factors compared in section 3 (id -> short name).
RELATIONSHIP_FACTORS = {
    "psy-fluckiger2018-alliance": "alliance",
    "psy-elliott2018-empathy": "empathy",
    "psy-tryon2011-collaboration": "collaboration",
    "psy-farber2018-regard": "positive regard",
    "psy-constantino2018-expectation": "outcome expectation",
}


def relationship_factors_on_r_scale() -> pd.DataFrame:
    """Each relationship factor's association with outcome as reported and on the r scale, for comparison.

    Reads the leading ``r = ...`` or ``g = ...`` of each row's ``effect_size`` text and converts g to r with
    :func:`d_to_r` (treating g like d, an approximation), so that no g is set beside an r unconverted.
    """
    import re

    rows = data.table("evidence").set_index("id")
    out = []
    for evidence_id, name in RELATIONSHIP_FACTORS.items():
        text = str(rows.at[evidence_id, "effect_size"])
        match = re.match(r"^(?:\w+ )?(r|g) = (-?\d*\.\d+)", text)
        if not match:
            raise data.DataError(f"{evidence_id}: effect_size {text!r} does not start with 'r = ' or 'g = '")
        metric, value = match.group(1), float(match.group(2))
        out.append({"factor": name, "reported": f"{metric} = {value:.2f}",
                    "on the r scale": round(value if metric == "r" else d_to_r(value), 2),
                    "source": evidence_citation(evidence_id)})
    return pd.DataFrame(out).sort_values("on the r scale", ascending=False, kind="stable").reset_index(drop=True)


# --- References -------------------------------------------------------------------------------------

def reference_keys() -> list[str]:
    """Reference keys behind this notebook: the theme's own rows plus every source the scorecard and the
    Part A summaries cite through evidence ids (which live in other themes' files)."""
    keys = list(evidence.theme_reference_keys(THEME))
    rows = data.table("evidence").set_index("id")
    ids = [i for cell in _scorecard()["evidence"] if cell for i in cell.split(";")]
    ids += list(PART_A.values())
    for evidence_id in ids:
        keys.extend(k for k in rows.at[evidence_id, "source"].split(";") if k not in keys)
    return keys


def reference_list_markdown() -> str:
    """Numbered Markdown list of every reference this notebook relies on (:func:`reference_keys`)."""
    return evidence.reference_list_markdown(THEME, keys=reference_keys())