"""Antipsychotics theme, the model: pure functions behind notebook 05's figures.

The side-effect fingerprint: a D2 occupancy chosen by the student fixes the free concentration (mass action at
the stored D2 affinity); that one concentration then gives the modelled occupancy at every other receptor. The
association: each drug's modelled occupancy at one receptor (at a common D2 occupancy) set against where a
network meta-analysis placed it for the side effect that receptor is thought to cause. No plotting and no
widgets here: :mod:`helpers.themes.antipsychotics.figures` draws what these compute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.core import data
from helpers.core.evidence import citation, theme_reference_keys
from helpers.core.occupancy import (
    affinity,
    affinity_table,
    dose_occupancy,
    occupancy_fit,
    preferred_affinity,
)
from helpers.core.pharmacology import concentration_for_occupancy, occupancy
from helpers.core.validate import check_number

# What the demos show: a teaching choice (the six drugs the issue names, and the receptors most linked with
# antipsychotic side effects); every affinity and every link to a study comes from data/.
DRUGS = ("haloperidol", "risperidone", "olanzapine", "quetiapine", "clozapine", "aripiprazole")
RECEPTORS = ("D2", "5-HT2A", "H1", "muscarinic", "alpha1")
RECEPTOR_LABELS = {"D2": "D2", "5-HT2A": "5-HT2A", "H1": "H1", "muscarinic": "muscarinic", "alpha1": "α1"}

# The side effects each receptor's blockade is linked to (evidence rows in data/evidence/ and the basics
# off-target rows; 5-HT2A blockade has no classic side effect of its own).
SIDE_EFFECTS = {
    "D2": ("movement effects", "prolactin rise"),
    "5-HT2A": (),
    "H1": ("sedation", "weight gain"),
    "muscarinic": ("dry mouth", "constipation", "confusion"),
    "alpha1": ("dizziness on standing",),
}

SUBSTANTIAL = 0.5  # teaching convention: a receptor other than D2 "carries" its side effects when at least half
# is occupied. D2 has measured lines instead: its side effects start at the stored PET thresholds (D2_EFFECTS).
D2_EFFECTS = {"hyperprolactinaemia": "prolactin rise", "extrapyramidal side effects": "movement effects"}
COMMON_D2 = 0.7  # the association demo holds every drug at this D2 occupancy (inside the 65-78% window)
D2_PERCENT_RANGE = (5, 95)  # the fingerprint slider, in percent


def _drug(drug: str) -> str:
    key = drug.strip().casefold() if isinstance(drug, str) else drug
    if key not in DRUGS:
        raise ValueError(f"unknown drug {drug!r}; choose one of: {', '.join(DRUGS)}")
    return key


def _receptor(receptor: str) -> str:
    for r in RECEPTORS:
        if isinstance(receptor, str) and receptor.strip().casefold() in (r.casefold(), RECEPTOR_LABELS[r].casefold()):
            return r
    raise ValueError(f"unknown receptor {receptor!r}; choose one of: {', '.join(RECEPTORS)}")


def check_d2_occupancy(d2_occupancy: float) -> float:
    """The D2 occupancy as a float strictly between 0 and 1, or a ValueError that says so."""
    return check_number(d2_occupancy, "d2_occupancy", low=0, high=1, low_inclusive=False, high_inclusive=False,
                        hint="a fraction of D2 receptors occupied, strictly between 0 and 1 (write 0.7 for 70%)")


def free_concentration_nM(drug: str, d2_occupancy: float) -> float:
    """The free concentration (nM) at which ``drug`` occupies ``d2_occupancy`` of D2 receptors.

    Parameters
    ----------
    drug : str
        One of :data:`DRUGS`.
    d2_occupancy : float
        Fraction of D2 receptors occupied, strictly between 0 and 1.

    Returns
    -------
    float
        C = Ki(D2) * f / (1 - f), in nM (mass action, one binding site).

    Raises
    ------
    ValueError
        Unknown drug (the message lists the choices) or an occupancy outside (0, 1).
    """
    key, f = _drug(drug), check_d2_occupancy(d2_occupancy)
    return float(concentration_for_occupancy(f, affinity(key, "D2")["value"]))


@dataclass(frozen=True)
class Cell:
    """One receptor of one drug: the stored constant and what the model makes of it."""

    receptor: str
    ki_nM: float
    occupancy: float  # fraction 0-1 at the free concentration; an upper limit when ``lower_bound``
    lower_bound: bool  # the stored Ki is only a lower limit ("> value"): occupancy is at most this
    contested: bool
    measure: str
    species: str
    source: str
    subtype: str = ""  # e.g. "M2" when the stored muscarinic constant was measured at one subtype only


@data.cached_lookup
def _constants(drug: str) -> tuple:
    return tuple((r, affinity(drug, r)) for r in RECEPTORS)


@data.cached_lookup
def _subtype(drug: str, receptor: str) -> str:
    """"M2" when the stored muscarinic constant was measured at the M2 subtype only (the row's assay says so)."""
    row = preferred_affinity(affinity_table(), drug, receptor)
    assay = str(row.get("assay", "") or "") if row is not None else ""
    return "M2" if receptor == "muscarinic" and "M2 subtype only" in assay else ""


def affinity_words(cell: Cell) -> str:
    """The stored constant as a student reads it, e.g. "Ki 630 nM at M2 only" or "Kd > 1e+04 nM"."""
    bound = "> " if cell.lower_bound else ""
    at = f" at {cell.subtype} only" if cell.subtype else ""
    return f"{cell.measure} {bound}{cell.ki_nM:.3g} nM{at}"


def receptor_profile(drug: str, d2_occupancy: float) -> list[Cell]:
    """Modelled occupancy at each of :data:`RECEPTORS` when ``drug`` holds ``d2_occupancy`` of D2 receptors.

    Parameters
    ----------
    drug : str
        One of :data:`DRUGS`.
    d2_occupancy : float
        Fraction of D2 receptors occupied, strictly between 0 and 1.

    Returns
    -------
    list of Cell
        One per receptor in :data:`RECEPTORS` order; occupancy = C / (C + Ki) at the free concentration C of
        :func:`free_concentration_nM` (the D2 cell returns ``d2_occupancy`` itself).
    """
    key = _drug(drug)
    c = free_concentration_nM(key, d2_occupancy)
    cells = []
    for r, a in _constants(key):
        cells.append(Cell(r, a["value"], float(occupancy(c, a["value"])), a["lower_bound"], a["contested"],
                          a["measure"], a["species"], a["source"], _subtype(key, r)))
    return cells


def occupancy_at(drug: str, receptor: str, d2_occupancy: float) -> float:
    """Modelled occupancy (fraction) at one receptor when ``drug`` holds ``d2_occupancy`` of D2 receptors."""
    r = _receptor(receptor)
    return next(c.occupancy for c in receptor_profile(drug, d2_occupancy) if c.receptor == r)


@data.cached_lookup
def is_partial_agonist(drug: str, receptor: str = "D2") -> bool:
    """True when the stored affinity row marks ``drug`` as a partial agonist at ``receptor`` (e.g. aripiprazole at
    D2): it occupies the receptor without fully blocking it."""
    row = preferred_affinity(affinity_table(), _drug(drug), _receptor(receptor))
    return row is not None and str(row.get("mode", "")).strip() == "partial_agonist"


def d2_side_effect_thresholds() -> dict:
    """The D2 occupancy (fraction) above which each D2 side effect is carried: the stored PET thresholds from
    haloperidol in first-episode patients (prolactin rise, movement effects), not the 50% convention."""
    return dict(_d2_side_effect_thresholds())  # a copy: the remembered answer stays as it was


@data.cached_lookup
def _d2_side_effect_thresholds() -> dict:
    rows = d2_thresholds()
    out = {D2_EFFECTS[o]: float(v) for o, v in zip(rows["outcome"], rows["occupancy"]) if o in D2_EFFECTS}
    missing = set(SIDE_EFFECTS["D2"]) - set(out)
    if missing:
        raise ValueError(f"no stored D2 threshold for {', '.join(sorted(missing))}")
    return out


def carried(drug: str, cell: Cell) -> tuple:
    """The side effects one receptor cell carries in the model.

    D2: nothing for a partial agonist (occupied, not blocked); otherwise each D2 side effect once the occupancy
    reaches its PET threshold (:func:`d2_side_effect_thresholds`). Other receptors: all their side effects once at
    least half occupied (:data:`SUBSTANTIAL`). A lower-bound affinity carries nothing: its occupancy is only an
    upper limit.
    """
    if cell.lower_bound:
        return ()
    if cell.receptor == "D2":
        if is_partial_agonist(drug, "D2"):
            return ()
        limits = d2_side_effect_thresholds()
        return tuple(e for e in SIDE_EFFECTS["D2"] if cell.occupancy >= limits[e] - 1e-9)
    return SIDE_EFFECTS[cell.receptor] if cell.occupancy >= SUBSTANTIAL else ()


def fingerprint(drug: str, d2_occupancy: float, switched_on=RECEPTORS) -> list[str]:
    """The side effects carried by the receptors that are switched on (see :func:`carried`).

    D2 side effects follow the haloperidol PET thresholds (prolactin rise from 72%, movement effects from 78% in
    the stored data); a D2 partial agonist carries neither. Other receptors carry their side effects when at least
    half occupied. A lower-bound affinity carries nothing. Contested values count, and the figures mark them.

    Raises
    ------
    ValueError
        Unknown drug or receptor (the message lists the choices), or an occupancy outside (0, 1).
    """
    on = {_receptor(r) for r in switched_on}
    key = _drug(drug)
    effects = []
    for cell in receptor_profile(key, d2_occupancy):
        if cell.receptor in on:
            effects += carried(key, cell)
    return effects


def _occupancy_words(cell: Cell) -> str:
    pct = 100 * cell.occupancy
    if cell.lower_bound:  # an upper limit; one that rounds to 0% reads "below 1%", never "at most 0%"
        return "below 1%" if pct < 1 else f"at most {pct:.0f}%"
    return f"{pct:.0f}%"


def _carried_words(drug: str, cell: Cell) -> str:
    if cell.receptor == "D2" and is_partial_agonist(drug, "D2"):
        return "none: occupied, not blocked (partial agonist)"
    return ", ".join(carried(drug, cell)) or "none"


def profile_table(drug: str, d2_occupancy: float) -> pd.DataFrame:
    """The fingerprint as a table a student reads: receptor, constant, modelled occupancy, side effects, source."""
    rows = []
    for cell in receptor_profile(drug, d2_occupancy):
        bound = "> " if cell.lower_bound else ""
        rows.append({
            "Receptor": RECEPTOR_LABELS[cell.receptor],
            "Affinity (nM)": f"{cell.measure} {bound}{cell.ki_nM:.3g}" + (f" at {cell.subtype} only" if cell.subtype else "")
            + (" (contested)" if cell.contested else ""),
            "Modelled occupancy": _occupancy_words(cell),
            "Side effects linked to blocking it": ", ".join(SIDE_EFFECTS[cell.receptor]) or "—",
            "Carried at this occupancy": _carried_words(drug, cell),
            "Source": citation(cell.source),
        })
    return pd.DataFrame(rows)


# --- Does the profile predict what patients get? -----------------------------------------------------------

FINDING_WORDS = {"most": "the most", "not_above_placebo": "no more than placebo",
                 "below_placebo": "less than placebo"}


def rankings() -> pd.DataFrame:
    """The stored side-effect rankings (``data/side_effect_rankings``) for :data:`DRUGS` (a copy: safe to modify)."""
    return _rankings().copy()


@data.cached_lookup
def _rankings() -> pd.DataFrame:
    rows = data.table("side_effect_rankings")
    return rows[rows["drug"].isin(DRUGS)].reset_index(drop=True)


@data.cached_lookup
def side_effects() -> tuple[str, ...]:
    """The side effects with a stored ranking, in file order."""
    return tuple(dict.fromkeys(_rankings()["side_effect"]))


def _side_effect(side_effect: str) -> str:
    known = side_effects()
    if side_effect not in known:
        raise ValueError(f"unknown side effect {side_effect!r}; choose one of: {', '.join(known)}")
    return side_effect


def linked_receptor(side_effect: str) -> str:
    """The receptor the stored rankings link to a side effect (its blockade is thought to cause it)."""
    rows = rankings()
    return str(rows.loc[rows["side_effect"] == _side_effect(side_effect), "receptor"].iloc[0])


@dataclass(frozen=True)
class Association:
    """Each drug's modelled occupancy at one receptor, set against the ranking for one side effect."""

    side_effect: str
    receptor: str
    d2_occupancy: float
    occupancy: dict  # drug -> fraction (upper limit where ``lower_bound``)
    lower_bound: dict  # drug -> bool
    contested: dict  # drug -> bool
    findings: dict  # drug -> finding key, for the drugs the ranking names
    order: tuple  # drugs from most to least occupied
    most_rank: int | None  # 1-based place of the drug reported with the most side effect in ``order``
    consistent: bool | None  # the "most" drug is the most occupied and every drug at or below placebo is below
    # it; None at D2, where every drug sits at the same occupancy by construction (the model cannot tell)


@data.cached_lookup  # the demo asks twice per step (figure and sentence); treat the answer as read-only
def association(side_effect: str, receptor: str, d2_occupancy: float = COMMON_D2) -> Association:
    """Does occupancy at ``receptor`` order the drugs the way the side-effect ranking does?

    Every drug is held at the same D2 occupancy (so each reaches its own free concentration), and its modelled
    occupancy at ``receptor`` is compared with the stored ranking for ``side_effect``: the profile agrees with
    the ranking (``consistent``) when the drug reported with the most of the side effect is the most occupied
    (ties within 0.5 percentage points count as first) and every drug reported at or below placebo sits lower.
    At D2 the answer is ``None``: every drug is held at the same D2 occupancy, so D2 cannot order them.

    Raises
    ------
    ValueError
        Unknown side effect or receptor (the message lists the choices), or an occupancy outside (0, 1).
    """
    effect, r = _side_effect(side_effect), _receptor(receptor)
    check_d2_occupancy(d2_occupancy)
    occ, lower, contested = {}, {}, {}
    for d in DRUGS:
        cell = next(c for c in receptor_profile(d, d2_occupancy) if c.receptor == r)
        occ[d], lower[d], contested[d] = cell.occupancy, cell.lower_bound, cell.contested
    named = _rankings()
    named = named[named["side_effect"] == effect]
    findings = dict(zip(named["drug"], named["finding"]))
    order = tuple(sorted(DRUGS, key=lambda d: -occ[d]))
    most = [d for d, f in findings.items() if f == "most"]
    most_rank = None
    consistent = True
    if most:
        top = occ[order[0]]
        m = most[0]
        most_rank = 1 + sum(occ[d] > occ[m] + 0.005 for d in DRUGS)
        consistent = occ[m] >= top - 0.005
        low = [d for d, f in findings.items() if f != "most"]
        consistent = consistent and all(occ[d] < occ[m] - 0.005 for d in low)
    if r == "D2":
        consistent = None
    return Association(effect, r, float(d2_occupancy), occ, lower, contested, findings, order, most_rank, consistent)


def association_table(d2_occupancy: float = COMMON_D2) -> pd.DataFrame:
    """For each stored side effect: its linked receptor and whether the modelled profile orders the drugs as
    the ranking does, at every receptor (a compact overview of the association demo)."""
    rows = []
    for effect in side_effects():
        row = {"Side effect": effect, "Thought to come from": RECEPTOR_LABELS[linked_receptor(effect)]}
        for r in RECEPTORS:
            verdict = association(effect, r, d2_occupancy).consistent
            row[RECEPTOR_LABELS[r]] = "equal by design" if verdict is None else "agrees" if verdict else "disagrees"
        rows.append(row)
    return pd.DataFrame(rows)


# --- The D2 window ----------------------------------------------------------------------------------------

WINDOW_DRUGS = ("risperidone", "olanzapine", "clozapine")  # the drugs with a PET dose fit at D2


def d2_thresholds() -> pd.DataFrame:
    """The stored D2 occupancy thresholds (response, prolactin, movement effects), lowest first."""
    rows = data.table("occupancy_thresholds")
    return rows[rows["target"] == "D2"].sort_values("occupancy").reset_index(drop=True)


def window_curves(n: int = 121) -> dict:
    """D2 occupancy (%) against daily dose for :data:`WINDOW_DRUGS`, each up to its highest dose studied."""
    curves = {}
    for d in WINDOW_DRUGS:
        fit = occupancy_fit(d, "D2")
        top = float(fit["studied_max"])
        dose = np.linspace(0, top, n)
        curves[d] = (dose, 100 * np.asarray(dose_occupancy(d, "D2", dose), dtype=float), fit)
    return curves


def window_table() -> pd.DataFrame:
    """For each drug with a D2 dose fit: its fitted plateau, whether the plateau lies above each threshold (lines
    measured with haloperidol) and how much of the variance between patients the fit explains (from the fit's
    note), so a weak fit such as clozapine's is visible next to its verdicts."""
    thresholds = d2_thresholds()
    rows = []
    for d in WINDOW_DRUGS:
        fit = occupancy_fit(d, "D2")
        row = {"Drug": data.drug_name(d), "Plateau (Emax)": f"{100 * fit['emax']:.0f}%"}
        for _, t in thresholds.iterrows():
            row[f"Plateau above {t['outcome']} line ({100 * t['occupancy']:.0f}%)?"] = \
                "yes" if fit["emax"] > t["occupancy"] else "no"
        found = re.search(r"(\d+)% of variance explained", str(fit.get("note", "")))
        row["Fit explains"] = f"{found.group(1)}% of the variance" if found else "not reported"
        row["Source"] = citation(fit["source"])
        rows.append(row)
    return pd.DataFrame(rows)


def efficacy_rows() -> pd.DataFrame:
    """The Part B effect sizes (not the baseline): clozapine in treatment resistance, the muscarinic agonist."""
    rows = data.table("effect_sizes")
    rows = rows[(rows["theme"] == "antipsychotics") & (rows["baseline"] != "yes")]
    out = []
    for _, r in rows.iterrows():
        if r["metric"] == "rates":
            size = f"{100 * r['risk_treated']:.0f}% vs {100 * r['risk_control']:.0f}%"
        else:
            size = f"{r['estimate']:g} points (95% CI {r['ci_low']:g} to {r['ci_high']:g})"
        out.append({"Comparison": r["comparison"], "Outcome": r["outcome"], "Result": size,
                    "Participants": r["n_participants"], "Source": citation(r["source"])})
    return pd.DataFrame(out)


# --- Sources ----------------------------------------------------------------------------------------------

THEME = "antipsychotics"


def reference_keys() -> list[str]:
    """Every reference behind a number notebook 05 shows, in first-use order.

    The theme's own rows (:func:`helpers.core.evidence.theme_reference_keys`) miss the constants the demos read
    from other themes' tables (aripiprazole's affinities, the basics affinities and PET fits), so those sources
    are added here: every affinity of every drug in :data:`DRUGS` at :data:`RECEPTORS`, the D2 thresholds and the
    D2 dose fits of :data:`WINDOW_DRUGS`.
    """
    keys = list(theme_reference_keys(THEME))
    found = [a["source"] for d in DRUGS for _, a in _constants(d)]
    found += list(d2_thresholds()["source"])
    found += [occupancy_fit(d, "D2")["source"] for d in WINDOW_DRUGS]
    for cell in found:
        keys.extend(k for k in str(cell).split(";") if k and k not in keys)
    return keys
