"""Basics theme, the model: pure functions behind notebook 01's figures (occupancy curves, the antagonist
shift, the selectivity matrix, PET dose-occupancy look-ups, the caffeine and saturation grids).

No plotting and no widgets here: :mod:`helpers.themes.basics.figures` draws what these compute.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from helpers.core import data
from helpers.core.evidence import citation
from helpers.core.occupancy import affinity_table, occupancy_fit, preferred_affinity
from helpers.core.pharmacology import (
    agonist_occupancy_with_antagonist,
    antagonist_dose_ratio,
    ligand_response,
    occupancy,
)
from helpers.view.style import format_concentration

CONC_RANGE_NM = (1e-2, 1e6)  # x-axis of concentration plots: 10 pM to 1 mM


# What the selectivity grid shows: a teaching choice (two drug classes, their main targets and the
# off-targets most linked with side effects), not a fact; the affinities themselves come from data/.
# Escitalopram and aripiprazole are left out until their affinities are verified against a primary source
# (data/README.md); a row of "no data" cells would teach nothing.
SELECTIVITY_DRUGS = ("citalopram", "fluoxetine", "paroxetine", "sertraline",
                     "haloperidol", "risperidone", "olanzapine", "clozapine", "aripiprazole")


SELECTIVITY_TARGETS = ("SERT", "NET", "DAT", "D2", "5-HT2A", "H1", "muscarinic", "alpha1")


def concentration_grid(n: int = 241) -> np.ndarray:
    """Log-spaced concentrations (nM) spanning :data:`CONC_RANGE_NM`."""
    return np.logspace(np.log10(CONC_RANGE_NM[0]), np.log10(CONC_RANGE_NM[1]), n)


LIGAND_TYPES = {
    # name: (efficacy for helpers.core.pharmacology.ligand_response, one-line description)
    "full agonist": (30.0, "binds and switches the receptor fully on"),
    "partial agonist": (0.6, "binds and switches the receptor only partly on, even at full occupancy"),
    "neutral antagonist": (0.0, "binds without changing activity; it only blocks other ligands"),
    "inverse agonist": (-1.0, "binds and switches off the receptor's spontaneous (basal) activity"),
}


def ligand_curves(kd_nM: float, efficacy: float, concentration_nM: float, basal: float = 0.1) -> dict:
    """Percent occupancy and activity on :func:`concentration_grid`, and at the current concentration."""
    grid = concentration_grid()
    return dict(
        occupancy=100 * occupancy(grid, kd_nM), activity=100 * ligand_response(grid, kd_nM, efficacy, basal),
        occupancy_now=100 * occupancy(concentration_nM, kd_nM),
        activity_now=100 * ligand_response(concentration_nM, kd_nM, efficacy, basal),
    )


# Wide enough that even the largest shift (antagonist 10 uM, KB 0.1 nM: 1e5-fold) reaches its plateau:
# a curve cut off before its maximum would wrongly suggest the antagonist lowers the maximum.
ANTAGONIST_GRID_NM = np.logspace(-2, 9, 281)


def antagonist_curves(agonist_kd_nM: float, agonist_efficacy: float, antagonist_nM: float,
                      antagonist_kb_nM: float) -> tuple[np.ndarray, np.ndarray]:
    """Agonist response (fraction) on :data:`ANTAGONIST_GRID_NM`, alone and with the antagonist.

    Response follows the operational model applied to the agonist's occupancy in the presence of the
    competitive antagonist (Gaddum equation).
    """

    grid = ANTAGONIST_GRID_NM
    alone = ligand_response(grid, agonist_kd_nM, agonist_efficacy, basal=0.0)
    p = agonist_occupancy_with_antagonist(grid, agonist_kd_nM, antagonist_nM, antagonist_kb_nM)
    t = agonist_efficacy
    return alone, t * p / (1 + t * p)


def antagonist_half_max(agonist_kd_nM: float, agonist_efficacy: float, antagonist_nM: float,
                        antagonist_kb_nM: float) -> tuple[float, float, float]:
    """Where the agonist reaches half its maximum response, alone and with a competitive antagonist.

    Parameters
    ----------
    agonist_kd_nM : float
        Agonist affinity KA (nM).
    agonist_efficacy : float
        Operational efficacy tau of the agonist (> 0).
    antagonist_nM, antagonist_kb_nM : float
        Antagonist concentration and its KB (nM).

    Returns
    -------
    ec50_alone_nM, ec50_shifted_nM : float
        Agonist concentration (nM) giving half the maximum response without and with the antagonist
        (operational model: KA / (1 + tau); the antagonist multiplies it by the dose ratio 1 + [B]/KB).
    half_response_pct : float
        Half the maximum response, in % of the system maximum (the same with and without the antagonist).
    """
    tau = agonist_efficacy
    alone = agonist_kd_nM / (1 + tau)
    shifted = alone * float(antagonist_dose_ratio(antagonist_nM, antagonist_kb_nM))
    return alone, shifted, 100 * tau / (2 * (1 + tau))


@dataclass(frozen=True)
class SelectivityInputs:
    """Everything about a drug x target grid that does not depend on concentration (built once).

    ``ki_nM`` holds the affinity used for each cell (NaN where no affinity is stored); ``lower_bound``
    and ``contested`` flag cells whose value is only a bound or is disputed; ``hover`` has the
    measured constant, species and source for each cell.
    """

    drugs: tuple[str, ...]
    targets: tuple[str, ...]
    ki_nM: np.ndarray
    lower_bound: np.ndarray
    contested: np.ndarray
    hover: np.ndarray


@lru_cache(maxsize=16)
def selectivity_inputs(drugs: tuple[str, ...], targets: tuple[str, ...]) -> SelectivityInputs:
    """Look up the affinity (and its flags and source) for every drug-target pair once."""

    table = affinity_table()
    drug_keys = tuple(data.resolve_drug(d) for d in drugs)
    target_keys = tuple(data.resolve_target(t) for t in targets)
    shape = (len(drug_keys), len(target_keys))
    ki, lower, contested = np.full(shape, np.nan), np.zeros(shape, bool), np.zeros(shape, bool)
    hover = np.empty(shape, dtype=object)
    for i, d in enumerate(drug_keys):
        for j, t in enumerate(target_keys):
            cell = preferred_affinity(table, d, t)
            if cell is None:
                hover[i, j] = f"{data.drug_name(d)} at {t}: no affinity available"
                continue
            ki[i, j], lower[i, j], contested[i, j] = float(cell["value_nM"]), cell["lower_bound"], cell["contested"]
            shown = ("> " if lower[i, j] else "") + format_concentration(ki[i, j])
            flag = " (contested)" if contested[i, j] else ""
            hover[i, j] = (f"{data.drug_name(d)} at {t}: {cell['measure']} {shown}{flag}<br>"
                           f"{cell['species']}; {citation(cell['source'])}")
    return SelectivityInputs(drug_keys, target_keys, ki, lower, contested, hover)


CONTESTED_HIDDEN_CELL = "contested<br>(hidden)"  # the text of a contested cell while contested values are hidden


def selectivity_view(inputs: SelectivityInputs, targets: list[str], concentration_nM: float,
                     show_contested: bool = False) -> dict:
    """Grid arrays (rows: drugs) for the chosen targets at one free concentration: ``z`` (% occupied, the colour),
    ``text``, ``customdata`` (hover), ``x``, ``y``, ``occupancy`` (% as numbers, bounds and contested values
    included) and ``hidden`` (True for a contested cell not drawn).

    Missing affinities stay empty ('no data'), never 0. A lower-bound affinity (no binding up to the highest
    concentration tested) only caps the occupancy: its cell reads '≤ x%' and is left uncoloured, because
    colouring it by the cap would paint a receptor the drug may not bind at all as if it were occupied. A
    contested value is drawn (with '?') only with ``show_contested``; otherwise its cell is uncoloured and
    reads :data:`CONTESTED_HIDDEN_CELL`.
    """
    columns = [inputs.targets.index(data.resolve_target(t)) for t in targets]
    ki = inputs.ki_nM[:, columns]
    lower = inputs.lower_bound[:, columns]
    hidden = inputs.contested[:, columns] & ~np.isnan(ki) & (not show_contested)
    with np.errstate(invalid="ignore"):
        occ = np.where(np.isnan(ki), np.nan, 100 * concentration_nM / (concentration_nM + np.nan_to_num(ki, nan=1.0)))
    text = [[("no data" if np.isnan(occ[i, j]) else CONTESTED_HIDDEN_CELL if hidden[i, j] else
              f"{'≤' if lower[i, j] else ''}{occ[i, j]:.0f}%{'?' if inputs.contested[i, c] else ''}")
             for j, c in enumerate(columns)] for i in range(len(inputs.drugs))]
    # None, not NaN, for cells without a colour: NaN is not valid JSON and breaks the widget message.
    z_json = [[None if (np.isnan(v) or lb or h) else float(v) for v, lb, h in zip(row, lrow, hrow)]
              for row, lrow, hrow in zip(occ, lower, hidden)]
    hover = inputs.hover[:, columns].copy()
    for i, j in zip(*np.nonzero(hidden)):
        hover[i, j] = (f"{data.drug_name(inputs.drugs[i])} at {inputs.targets[columns[j]]}: a contested value, hidden "
                       "(switch on \u201cshow contested values\u201d to see it)")
    return dict(z=z_json, text=text, customdata=hover.tolist(),
                x=[inputs.targets[c] for c in columns], y=[data.drug_name(d) for d in inputs.drugs],
                occupancy=occ, lower_bound=lower, hidden=hidden)


def selectivity_matrix(drugs: list[str], targets: list[str], concentration_nM: float) -> pd.DataFrame:
    """Mass-action occupancy (%) of each target (columns) by each drug (rows) at one free concentration.

    Missing affinities are NaN (shown as 'no data', never as 0). Lower-bound affinities (Ki greater than
    the stored value) give an upper bound on occupancy and are flagged in the figure's text ('≤').
    """
    inputs = selectivity_inputs(tuple(drugs), tuple(targets))
    view = selectivity_view(inputs, list(inputs.targets), concentration_nM, show_contested=True)
    return pd.DataFrame(view["occupancy"], index=list(inputs.drugs), columns=list(inputs.targets), dtype=float)


def thresholds_for(target: str) -> pd.DataFrame:
    """Clinical occupancy thresholds stored for a target (may be empty)."""
    key = data.resolve_target(target)
    rows = data.table("occupancy_thresholds")
    return rows[rows["target"] == key].sort_values("occupancy").reset_index(drop=True)


def dose_for_occupancy(drug: str, target: str, fraction: float) -> float:
    """Daily dose (mg/day) predicted to reach an occupancy fraction; ``inf`` if the fit's Emax is below it."""
    fit = occupancy_fit(drug, target, "dose")
    if fraction >= fit["emax"]:
        return float("inf")
    return float(fit["ed50"] * fraction / (fit["emax"] - fraction))


def dose_grid(drug: str, target: str, n: int = 200) -> np.ndarray:
    """Doses (mg/day) from 0 to the highest dose in the fitted data (20 x ED50 if that is not stored).

    The slider stops there: beyond the studied doses a fit is extrapolation.
    """
    return np.linspace(0, dose_limit(drug, target), n)


def start_dose(drug: str, target: str) -> float:
    """Where a dose demo starts for a drug (mg/day): 4 x its ED50, high on the curve but below the plateau."""
    return 4 * occupancy_fit(drug, target, "dose")["ed50"]


def dose_limit(drug: str, target: str) -> float:
    """Highest studied dose of a fit (mg/day), or 20 x ED50 when the data do not state it."""
    fit = occupancy_fit(drug, target, "dose")
    return float(fit["studied_max"] or 20 * fit["ed50"])


def _fit_params(drug: str, target: str) -> tuple[float, float]:
    fit = occupancy_fit(drug, target, "dose")
    return fit["emax"], fit["ed50"]


def window_table(drugs: list[str], target: str) -> pd.DataFrame:
    """Where each drug's fit crosses each stored occupancy line: a model exercise, not dosing guidance.

    Each cell is the dose (mg/day) at which the fit reaches the line, 'never (plateau below the line)'
    when the fit's Emax is below it, or 'beyond studied doses' when the crossing lies above the highest
    dose in the fitted data.
    """

    target_key = data.resolve_target(target)
    rows = []
    for d in drugs:
        fit = occupancy_fit(d, target_key, "dose")
        row = {"drug": data.drug_name(d), "plateau (%)": round(100 * fit["emax"]),
               "studied (mg/day)": f"{fit['studied_min']:g}-{fit['studied_max']:g}" if fit["studied_max"] else "?"}
        for _, th in thresholds_for(target_key).iterrows():
            dose = dose_for_occupancy(d, target_key, th["occupancy"])
            if not np.isfinite(dose):
                cell = "never"
            elif fit["studied_max"] and dose > fit["studied_max"]:
                cell = "beyond studied"
            else:
                cell = f"{dose:.2g}"
            row[f"{th['outcome']} ({100 * th['occupancy']:.0f}%): dose, mg/day"] = cell
        row["fit"] = citation(fit["source"])
        rows.append(row)
    return pd.DataFrame(rows)


def profile_rows(drug: str) -> pd.DataFrame:
    """One preferred affinity row per target for a drug (see ``occupancy.preferred_affinity``)."""
    key = data.resolve_drug(drug)
    table = affinity_table()
    targets = list(dict.fromkeys(table.loc[table["drug"] == key, "target"]))
    return pd.DataFrame([preferred_affinity(table, key, t) for t in targets]).reset_index(drop=True)


def measurements_for(target: str) -> pd.DataFrame:
    """Measured occupancies stored for a target, sorted by drug then dose."""
    key = data.resolve_target(target)
    rows = data.table("occupancy_measurements")
    return rows[rows["target"] == key].sort_values(["drug", "dose_mg_day"]).reset_index(drop=True)


SATURATION_MULTIPLES = np.linspace(0, 20, 161)


CUPS = np.linspace(0, 10, 41)


def peak_caffeine_uM(per_cup_nM: float, cups):
    """Estimated peak plasma caffeine (µM) after ``cups`` (a number or an array) taken together, when one cup
    gives ``per_cup_nM`` (nM); levels are assumed to add up across cups."""
    return cups * per_cup_nM / 1000


# The evidence rows that say which of caffeine's mechanisms act at the levels drinking gives (data/evidence).
CAFFEINE_MECHANISM_EVIDENCE = {"adenosine": "bas-fredholm1995-caffeine-adenosine",
                               "other": "bas-daly1994-caffeine-other-actions"}


@lru_cache(maxsize=1)
def caffeine_reference_level() -> dict:
    """The measured peak plasma caffeine the cup estimate is scaled from (``data/exposures``).

    Returns
    -------
    dict
        ``uM`` (peak plasma caffeine, µM), ``mg_per_kg`` (the dose), ``regimen`` and ``source`` (short citation).
    """
    exp = data.table("exposures")
    ref = exp[(exp["drug"] == "caffeine") & (exp["statistic"] == "Cmax") & exp["regimen"].str.contains("mg/kg")]
    if ref.empty:
        raise data.DataError("data/exposures needs a caffeine Cmax row after a stated mg/kg dose")
    row = ref.iloc[0]
    if row["unit"] != "mg/L":
        raise data.DataError("the caffeine reference Cmax is expected in mg/L")
    return dict(uM=float(row["value"]) * 1000 / data.molar_mass("caffeine"),
                mg_per_kg=float(row["regimen"].split("mg/kg")[0].split()[-1]),
                regimen=row["regimen"], source=citation(row["source"]))


def caffeine_mechanisms() -> dict:
    """Which of caffeine's mechanisms act at drinking levels, with the sources, from ``data/evidence``.

    Returns
    -------
    dict
        ``adenosine`` and ``other``: each a dict with ``source`` (short citation) and ``finding``.
    """
    ev = data.table("evidence").set_index("id")
    return {name: dict(source=citation(ev.at[key, "source"]), finding=ev.at[key, "finding"])
            for name, key in CAFFEINE_MECHANISM_EVIDENCE.items()}

