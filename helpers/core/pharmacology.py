"""Receptor pharmacology as pure functions with explicit units.

All concentrations passed to one function must share a unit (the functions only use ratios); the
docstrings use nM. Scalars in give floats out; arrays in give arrays out. Negative, NaN or infinite
inputs raise ``ValueError`` saying which argument is wrong: nothing is clipped.
"""

from __future__ import annotations

import numpy as np

MOLAR_UNITS = {"nM": 1e-9, "uM": 1e-6, "mM": 1e-3, "mmol/L": 1e-3, "M": 1.0}


def _as_checked(value, name: str, *, positive: bool = False) -> np.ndarray:
    array = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite (got {value!r}); NaN and infinity are not concentrations")
    if positive and np.any(array <= 0):
        raise ValueError(f"{name} must be greater than 0 (got {value!r})")
    if np.any(array < 0):
        raise ValueError(f"{name} must not be negative (got {value!r})")
    return array


def _out(result: np.ndarray, *inputs):
    """Return a float when every input was a scalar, else the array."""
    return float(result) if all(np.ndim(x) == 0 for x in inputs) else result


def occupancy(concentration, kd):
    """Fraction of receptors bound at equilibrium (law of mass action, one site).

    Parameters
    ----------
    concentration : float or array, >= 0
        Free ligand concentration (same unit as ``kd``).
    kd : float or array, > 0
        Equilibrium dissociation constant (Kd, or Ki used as an estimate of it).

    Returns
    -------
    float or ndarray
        Occupancy from 0 to 1: ``C / (C + Kd)``. Equals 0.5 at ``C = Kd`` and 0.9 at ``C = 9 Kd``.
    """
    c = _as_checked(concentration, "concentration")
    k = _as_checked(kd, "kd", positive=True)
    return _out(c / (c + k), concentration, kd)


def concentration_for_occupancy(fraction, kd):
    """Concentration needed for a given occupancy: ``Kd * f / (1 - f)`` (same unit as ``kd``)."""
    f = _as_checked(fraction, "fraction")
    if np.any(f >= 1):
        raise ValueError(f"fraction must be below 1 (got {fraction!r}); full occupancy needs infinite concentration")
    k = _as_checked(kd, "kd", positive=True)
    return _out(k * f / (1 - f), fraction, kd)


def hill_response(concentration, ec50, emax=1.0, hill=1.0):
    """Emax (Hill) concentration-response: ``Emax * C^n / (EC50^n + C^n)``.

    Parameters
    ----------
    concentration : float or array, >= 0
    ec50 : float, > 0
        Concentration giving half the maximal effect (same unit as ``concentration``).
    emax : float, >= 0
        Maximal effect (any unit; the result has the same unit).
    hill : float, > 0
        Hill coefficient (steepness); 1 for simple mass action.
    """
    c = _as_checked(concentration, "concentration")
    e50 = _as_checked(ec50, "ec50", positive=True)
    em = _as_checked(emax, "emax")
    n = _as_checked(hill, "hill", positive=True)
    return _out(em * c**n / (e50**n + c**n), concentration, ec50, emax, hill)


def operational_response(concentration, kd, tau, emax=1.0):
    """Black & Leff operational model (slope 1): response of an agonist with efficacy ``tau``.

    ``E = Emax * tau * p / (1 + tau * p)`` where ``p = C / (C + Kd)`` is occupancy.
    A large ``tau`` (receptor reserve) gives a full agonist whose EC50 is below its Kd;
    a small ``tau`` gives a partial agonist whose maximum is ``Emax * tau / (1 + tau)``.

    Parameters
    ----------
    concentration : float or array, >= 0
    kd : float, > 0
        Affinity (same unit as ``concentration``).
    tau : float, >= 0
        Transducer ratio (efficacy in this tissue); 0 means a neutral antagonist.
    emax : float, > 0
        Maximal response the tissue can give.
    """
    p = occupancy(concentration, kd)
    t = _as_checked(tau, "tau")
    em = _as_checked(emax, "emax", positive=True)
    return _out(em * t * np.asarray(p) / (1 + t * np.asarray(p)), concentration, kd, tau, emax)


def ligand_response(concentration, kd, efficacy, basal=0.1):
    """Receptor activity (0 to 1) for one ligand, covering every ligand type.

    Parameters
    ----------
    concentration : float or array, >= 0
        Ligand concentration (same unit as ``kd``).
    kd : float, > 0
        Ligand affinity.
    efficacy : float, >= -1
        Signed efficacy. ``> 0``: agonist with operational tau = efficacy (about 10 behaves as a full
        agonist, about 0.5 as a partial agonist). ``0``: neutral antagonist (binds, no change).
        ``-1 <= efficacy < 0``: inverse agonist that removes that fraction of the constitutive (basal)
        activity at full occupancy.
    basal : float, 0 to 1
        Constitutive activity of the receptor population with no ligand present.

    Returns
    -------
    float or ndarray
        ``basal + (1 - basal) * tau p / (1 + tau p)`` for agonists, ``basal * (1 + efficacy * p)`` for
        inverse agonists, where ``p`` is occupancy.
    """
    e = float(efficacy)
    if not np.isfinite(e) or e < -1:
        raise ValueError(f"efficacy must be a finite number >= -1 (got {efficacy!r})")
    b = float(basal)
    if not (np.isfinite(b) and 0 <= b <= 1):
        raise ValueError(f"basal must be a fraction between 0 and 1 (got {basal!r})")
    p = np.asarray(occupancy(concentration, kd))
    if e >= 0:
        activity = b + (1 - b) * e * p / (1 + e * p)
    else:
        activity = b * (1 + e * p)
    return _out(activity, concentration, kd)


def antagonist_dose_ratio(antagonist, kb):
    """Gaddum/Schild dose ratio for a competitive antagonist: ``1 + [B] / KB``.

    The agonist concentration-response curve shifts right by this factor with no loss of maximum.
    """
    b = _as_checked(antagonist, "antagonist")
    k = _as_checked(kb, "kb", positive=True)
    return _out(1 + b / k, antagonist, kb)


def agonist_occupancy_with_antagonist(agonist, ka, antagonist, kb):
    """Agonist occupancy when a competitive antagonist shares the site (Gaddum equation).

    ``pA = [A] / ([A] + KA * (1 + [B] / KB))``; all concentrations in one unit.
    """
    a = _as_checked(agonist, "agonist")
    ka_ = _as_checked(ka, "ka", positive=True)
    ratio = np.asarray(antagonist_dose_ratio(antagonist, kb))
    return _out(a / (a + ka_ * ratio), agonist, ka, antagonist, kb)


def fraction_inhibited(inhibitor, ki, mode, substrate_over_km=1.0):
    """Fraction of enzyme activity removed by an inhibitor (Michaelis-Menten kinetics).

    Parameters
    ----------
    inhibitor : float or array, >= 0
        Inhibitor concentration (same unit as ``ki``).
    ki : float, > 0
        Inhibition constant.
    mode : {'competitive', 'uncompetitive', 'noncompetitive'}
        Competitive inhibitors lose force at high substrate; uncompetitive ones gain it, because they
        bind only the enzyme-substrate complex.
    substrate_over_km : float, >= 0
        Substrate concentration divided by the enzyme's Km.

    Returns
    -------
    float or ndarray
        ``1 - v_inhibited / v_uninhibited``, from 0 to 1.
    """
    i = _as_checked(inhibitor, "inhibitor")
    k = _as_checked(ki, "ki", positive=True)
    s = _as_checked(substrate_over_km, "substrate_over_km")
    factor = 1 + i / k
    if mode == "competitive":
        remaining = (1 + s) / (factor + s)
    elif mode == "uncompetitive":
        remaining = (1 + s) / (1 + s * factor)
    elif mode == "noncompetitive":
        remaining = 1 / factor
    else:
        raise ValueError(f"mode must be 'competitive', 'uncompetitive' or 'noncompetitive' (got {mode!r})")
    return _out(1 - remaining, inhibitor, ki, substrate_over_km)


def convert_concentration(value, from_unit: str, to_unit: str):
    """Convert between molar units (``nM``, ``uM``, ``mM``, ``mmol/L``, ``M``)."""
    for unit in (from_unit, to_unit):
        if unit not in MOLAR_UNITS:
            raise ValueError(f"unknown unit {unit!r}; use one of {', '.join(MOLAR_UNITS)}")
    v = _as_checked(value, "value")
    return _out(v * MOLAR_UNITS[from_unit] / MOLAR_UNITS[to_unit], value)


def mass_to_molar(ng_per_ml, molar_mass_g_per_mol, to_unit: str = "uM"):
    """Mass concentration (ng/mL) to molar concentration.

    ng/mL is ug/L, so ug/L divided by g/mol gives umol/L: ketamine 185 ng/mL / 237.7 g/mol = 0.78 uM.
    """
    c = _as_checked(ng_per_ml, "ng_per_ml")
    m = _as_checked(molar_mass_g_per_mol, "molar_mass_g_per_mol", positive=True)
    return convert_concentration(_out(c / m, ng_per_ml), "uM", to_unit)


def molar_to_mass(concentration, molar_mass_g_per_mol, from_unit: str = "uM"):
    """Molar concentration to mass concentration in ng/mL (inverse of :func:`mass_to_molar`)."""
    um = np.asarray(convert_concentration(concentration, from_unit, "uM"))
    m = _as_checked(molar_mass_g_per_mol, "molar_mass_g_per_mol", positive=True)
    return _out(um * m, concentration)


def pki_to_ki(pki, unit: str = "nM"):
    """pKi (``-log10 Ki`` with Ki in mol/L) to Ki in ``unit``: pKi 9 is 1 nM."""
    p = np.asarray(pki, dtype=float)
    if not np.all(np.isfinite(p)):
        raise ValueError(f"pki must be finite (got {pki!r})")
    return convert_concentration(_out(10.0 ** (-p), pki), "M", unit)


def ki_to_pki(ki, unit: str = "nM"):
    """Ki in ``unit`` to pKi (``-log10`` of Ki in mol/L): 1 nM is pKi 9."""
    molar = np.asarray(convert_concentration(ki, unit, "M"))
    if np.any(molar <= 0):
        raise ValueError(f"ki must be greater than 0 (got {ki!r})")
    return _out(-np.log10(molar), ki)


def fitted_occupancy(x, emax, ed50):
    """Two-parameter saturating fit used for PET data: ``Emax * x / (ED50 + x)``.

    ``x`` is a daily dose (mg/day) or a plasma level (ng/mL), in the unit of ``ed50``.
    """
    d = _as_checked(x, "dose or concentration")
    em = _as_checked(emax, "emax")
    if np.any(em > 1):
        raise ValueError(f"emax must be a fraction between 0 and 1 (got {emax!r})")
    e50 = _as_checked(ed50, "ed50", positive=True)
    return _out(em * d / (e50 + d), x, emax, ed50)
