"""Occupancy of real drugs at real targets, from the stored data.

Two routes, kept apart because they answer different questions:

* :func:`dose_occupancy` / :func:`plasma_occupancy` use PET fits in people (``data/occupancy_fits/``):
  the best guide to what a clinical dose does in the living brain.
* :func:`affinity_occupancy` uses in vitro Ki values (``data/affinities/``) and mass action: good for
  comparing targets (selectivity), poor at predicting the brain, because free drug at the target,
  protein binding and brain/plasma ratio are not in it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.core import data
from helpers.core.pharmacology import convert_concentration, fitted_occupancy, occupancy
from helpers.core.validate import check_array


def _fits(drug_key: str, target_key: str, basis: str) -> pd.DataFrame:
    fits = data.load_all()["occupancy_fits"]
    chosen = fits[(fits["drug"] == drug_key) & (fits["target"] == target_key) & (fits["basis"] == basis)]
    if chosen.empty:
        have = fits[(fits["drug"] == drug_key) & (fits["basis"] == basis)]["target"].unique()
        if len(have):
            raise data.UnknownNameError(
                f"no {basis} occupancy fit for {drug_key} at {target_key}; "
                f"{drug_key} has {basis} fits for: {', '.join(sorted(have))}"
            )
        with_fits = sorted(fits[fits["basis"] == basis]["drug"].unique())
        raise data.UnknownNameError(
            f"no {basis} occupancy fit for {drug_key}; drugs with {basis} fits: {', '.join(with_fits)}"
        )
    return chosen


def occupancy_fit(drug: str, target: str, basis: str = "dose") -> dict:
    """The PET fit used for a drug and target, as a dict (``emax``, ``ed50``, ``ed50_unit``, ``source``...).

    Where several studies fit the same pair, the one with the most subjects is used (ties: file order).
    """
    if basis not in ("dose", "plasma"):
        raise ValueError(f"basis must be 'dose' or 'plasma' (got {basis!r})")
    return dict(_occupancy_fit(data.resolve_drug(drug), data.resolve_target(target), basis))


@data.cached_lookup
def _occupancy_fit(drug_key: str, target_key: str, basis: str) -> tuple:
    chosen = _fits(drug_key, target_key, basis)
    n = pd.to_numeric(chosen["n_subjects"], errors="coerce").fillna(-1)
    return tuple(chosen.loc[n.idxmax()].drop(labels=list(data.PROVENANCE)).to_dict().items())


def dose_occupancy(drug: str, target: str, dose_mg):
    """Predicted steady-state fraction of a target occupied at a daily oral dose.

    Parameters
    ----------
    drug : str
        Drug key, name or synonym, any case (``"Sertraline"``).
    target : str
        Short target name or HGNC symbol, any case (``"SERT"`` or ``"SLC6A4"``).
    dose_mg : float or array
        Daily dose in mg/day, >= 0 and finite.

    Returns
    -------
    float or ndarray
        Occupancy from 0 to 1, ``Emax * dose / (ED50 + dose)`` from the stored PET fit
        (see :func:`occupancy_fit` for which one). Zero dose gives 0.

    Raises
    ------
    UnknownNameError
        Unknown drug or target (message lists the choices), or no fit for that pair (message lists the
        targets the drug has fits for).
    TypeError
        A dose that is not a number (a string, a bool).
    ValueError
        Negative, NaN or infinite dose.
    """
    check_array(dose_mg, "dose_mg", "mg/day", low=0)
    fit = occupancy_fit(drug, target, "dose")
    return fitted_occupancy(dose_mg, fit["emax"], fit["ed50"])


def plasma_occupancy(drug: str, target: str, ng_per_ml):
    """Occupancy from a plasma-level PET fit; ``ng_per_ml`` >= 0 (see :func:`dose_occupancy`)."""
    check_array(ng_per_ml, "ng_per_ml", "ng/mL", low=0)
    fit = occupancy_fit(drug, target, "plasma")
    return fitted_occupancy(ng_per_ml, fit["emax"], fit["ed50"])


def affinity(drug: str, target: str, unit: str = "nM") -> dict:
    """The stored affinity constant for a drug at a target, converted to ``unit``.

    Returns a dict with ``value`` (in ``unit``), ``measure``, ``lower_bound`` (True when the data say
    only "greater than"), ``contested``, ``species`` and ``source``. Where several rows exist, human
    data are preferred, then the first in file order.
    """
    return dict(_affinity(drug, target, unit))  # a copy: the remembered answer stays as it was


@data.cached_lookup
def _affinity(drug: str, target: str, unit: str) -> dict:
    drug_key, target_key = data.resolve_drug(drug), data.resolve_target(target)
    row = preferred_affinity(affinity_table(), drug_key, target_key)
    if row is None:
        known = sorted(affinity_table().query("drug == @drug_key")["target"].unique())
        raise data.UnknownNameError(
            f"no affinity stored for {drug_key} at {target_key}; "
            f"{drug_key} has affinities at: {', '.join(known) if known else 'no targets'}"
        )
    return {
        "value": float(convert_concentration(row["value_nM"], "nM", unit)),
        "unit": unit,
        "measure": row["measure"],
        "lower_bound": bool(row["lower_bound"]),
        "contested": bool(row["contested"]),
        "species": row["species"],
        "source": row["source"],
    }


def preferred_affinity(table: pd.DataFrame, drug_key: str, target_key: str) -> pd.Series | None:
    """The one affinity row used for a drug-target pair, or None if there is none.

    Preference: uncontested over contested values, then human over other species, then file order.
    A contested value is used only when nothing else exists, and it stays flagged (``contested``).
    """
    rows = table[(table["drug"] == drug_key) & (table["target"] == target_key)]
    if rows.empty:
        return None
    human = rows["species"].str.casefold().str.contains("human")
    order = sorted(range(len(rows)), key=lambda i: (bool(rows["contested"].iloc[i]), not human.iloc[i], i))
    return rows.iloc[order[0]]


def affinity_table() -> pd.DataFrame:
    """All affinities with ``value_nM``, ``pKi``-style ``p_affinity``, ``lower_bound`` and ``contested`` added.

    Built once per data folder and shared: treat it as read-only (``.copy()`` before modifying).
    """
    return _affinity_table()


@data.cached_lookup
def _affinity_table() -> pd.DataFrame:
    rows = data.table("affinities")
    rows["value_nM"] = [convert_concentration(v, u, "nM") for v, u in zip(rows["value"], rows["unit"])]
    rows["p_affinity"] = -np.log10(rows["value_nM"].astype(float) * 1e-9)
    notes = rows["note"].fillna("").str.casefold()
    rows["lower_bound"] = notes.str.startswith("lower bound")
    rows["contested"] = notes.str.startswith("contested")
    return rows


def affinity_occupancy(drug: str, target: str, concentration_nM):
    """Mass-action occupancy from the in vitro affinity at a free concentration in nM.

    A teaching estimate: it assumes the free concentration at the target equals ``concentration_nM``.
    For "lower bound" affinities (Ki greater than the stored value) the result is an upper bound.
    """
    return occupancy(concentration_nM, affinity(drug, target)["value"])


def drugs_with_fit(target: str, basis: str = "dose") -> list[str]:
    """Drug keys that have a PET occupancy fit at a target, in data-file order."""
    key = data.resolve_target(target)
    fits = data.load_all()["occupancy_fits"]
    return list(dict.fromkeys(fits[(fits["target"] == key) & (fits["basis"] == basis)]["drug"]))


def occupancy_rule_table(multiples=(0.1, 1, 4, 9, 99)) -> pd.DataFrame:
    """Occupancy at concentrations that are multiples of Kd: the numbers worth remembering."""
    return pd.DataFrame({
        "concentration (x Kd)": list(multiples),
        "occupied (%)": [round(100 * occupancy(m, 1.0), 1) for m in multiples],
    })


REFERENCE_BODY_WEIGHT_KG = 70.0  # modelling assumption for a reference adult, stated wherever it is used


def caffeine_per_cup_nM(drink: str = "brewed coffee") -> tuple[float, str]:
    """Peak plasma caffeine (nM) after one drink, scaled from a measured single-dose Cmax.

    Peak level is taken as proportional to dose per kg body weight (linear kinetics, a simplification):
    ``Cmax_per_cup = Cmax_ref * (caffeine_per_drink / body_weight) / (dose_ref per kg)``, with the reference
    Cmax and mg/kg dose from ``data/exposures`` and the caffeine content from ``data/properties``.

    Returns
    -------
    (float, str)
        Concentration in nM, and the ``;``-joined reference keys it rests on.
    """
    tables = data.load_all()
    props = tables["properties"]
    wanted = f"caffeine per drink, {drink}"
    row = props[(props["drug"] == "caffeine") & (props["property"] == wanted)]
    if row.empty:
        drinks = [p.split(", ", 1)[1] for p in props.loc[props["drug"] == "caffeine", "property"]
                  if p.startswith("caffeine per drink, ")]
        raise data.UnknownNameError(f"no caffeine content stored for {drink!r}; drinks: {', '.join(drinks)}")
    mg_per_drink = float(row["value"].iloc[0])
    exp = tables["exposures"]
    ref = exp[(exp["drug"] == "caffeine") & (exp["statistic"] == "Cmax") & exp["regimen"].str.contains("mg/kg")]
    if ref.empty:
        raise data.DataError("data/exposures needs a caffeine Cmax row after a stated mg/kg dose")
    ref = ref.iloc[0]
    ref_mg_per_kg = float(ref["regimen"].split("mg/kg")[0].split()[-1])
    cmax_mg_per_l = float(convert_exposure(ref["value"], ref["unit"], "mg/L", "caffeine"))
    per_cup_mg_per_l = cmax_mg_per_l * (mg_per_drink / REFERENCE_BODY_WEIGHT_KG) / ref_mg_per_kg
    nM = per_cup_mg_per_l * 1e6 / data.molar_mass("caffeine")  # mg/L / (g/mol) = mmol/L; x 1e6 -> nM
    return nM, f"{row['source'].iloc[0]};{ref['source']}"


def convert_exposure(value: float, unit: str, to_unit: str, drug: str) -> float:
    """Convert a stored exposure between mass (``ng/mL``, ``mg/L``) and molar units, via the drug's molar mass."""
    mass = {"ng/mL": 1e-3, "mg/L": 1.0}  # in mg/L
    molar = {"nM": 1e-6, "uM": 1e-3, "mM": 1.0, "mmol/L": 1.0}  # in mmol/L
    if unit not in {**mass, **molar} or to_unit not in {**mass, **molar}:
        raise ValueError(f"units must be among {', '.join([*mass, *molar])} (got {unit!r} -> {to_unit!r})")
    mw = data.molar_mass(drug)
    mmol_per_l = value * molar[unit] if unit in molar else value * mass[unit] / mw
    return mmol_per_l / molar[to_unit] if to_unit in molar else mmol_per_l * mw / mass[to_unit]
