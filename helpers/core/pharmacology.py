"""Receptor pharmacology as pure functions with explicit units.

All concentrations passed to one function must share a unit (the functions only use ratios); the
docstrings use nM. Scalars in give floats out; arrays in give arrays out. Every numeric argument is checked
with :mod:`helpers.core.validate`: negative, NaN, infinite or out-of-range inputs raise ``ValueError`` and
non-numbers ``TypeError``, saying which argument is wrong and its valid range; nothing is clipped.
"""

from __future__ import annotations

import numpy as np

from helpers.core.validate import check_array, check_number

MOLAR_UNITS = {"nM": 1e-9, "uM": 1e-6, "mM": 1e-3, "mmol/L": 1e-3, "M": 1.0}


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
    c = check_array(concentration, "concentration", low=0)
    k = check_array(kd, "kd", low=0, low_inclusive=False)
    return _out(c / (c + k), concentration, kd)


def concentration_for_occupancy(fraction, kd):
    """Concentration needed for a given occupancy: ``Kd * f / (1 - f)`` (same unit as ``kd``)."""
    f = check_array(fraction, "fraction", low=0, high=1, high_inclusive=False,
                    hint="full occupancy needs infinite concentration")
    k = check_array(kd, "kd", low=0, low_inclusive=False)
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
    c = check_array(concentration, "concentration", low=0)
    e50 = check_array(ec50, "ec50", low=0, low_inclusive=False)
    em = check_array(emax, "emax", low=0)
    n = check_array(hill, "hill", low=0, low_inclusive=False)
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
    t = check_array(tau, "tau", low=0)
    em = check_array(emax, "emax", low=0, low_inclusive=False)
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
    e = check_number(efficacy, "efficacy", low=-1, hint="-1 is a full inverse agonist")
    b = check_number(basal, "basal", low=0, high=1, hint="a fraction of the receptors active with no ligand")
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
    b = check_array(antagonist, "antagonist", low=0)
    k = check_array(kb, "kb", low=0, low_inclusive=False)
    return _out(1 + b / k, antagonist, kb)


def agonist_occupancy_with_antagonist(agonist, ka, antagonist, kb):
    """Agonist occupancy when a competitive antagonist shares the site (Gaddum equation).

    ``pA = [A] / ([A] + KA * (1 + [B] / KB))``; all concentrations in one unit.
    """
    a = check_array(agonist, "agonist", low=0)
    ka_ = check_array(ka, "ka", low=0, low_inclusive=False)
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
    i = check_array(inhibitor, "inhibitor", low=0)
    k = check_array(ki, "ki", low=0, low_inclusive=False)
    s = check_array(substrate_over_km, "substrate_over_km", low=0)
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
    v = check_array(value, "value", low=0)
    return _out(v * MOLAR_UNITS[from_unit] / MOLAR_UNITS[to_unit], value)


def mass_to_molar(ng_per_ml, molar_mass_g_per_mol, to_unit: str = "uM"):
    """Mass concentration (ng/mL) to molar concentration.

    ng/mL is ug/L, so ug/L divided by g/mol gives umol/L: ketamine 185 ng/mL / 237.7 g/mol = 0.78 uM.
    """
    c = check_array(ng_per_ml, "ng_per_ml", "ng/mL", low=0)
    m = check_array(molar_mass_g_per_mol, "molar_mass_g_per_mol", "g/mol", low=0, low_inclusive=False)
    return convert_concentration(_out(c / m, ng_per_ml), "uM", to_unit)


def molar_to_mass(concentration, molar_mass_g_per_mol, from_unit: str = "uM"):
    """Molar concentration to mass concentration in ng/mL (inverse of :func:`mass_to_molar`)."""
    um = np.asarray(convert_concentration(concentration, from_unit, "uM"))
    m = check_array(molar_mass_g_per_mol, "molar_mass_g_per_mol", "g/mol", low=0, low_inclusive=False)
    return _out(um * m, concentration)


def pki_to_ki(pki, unit: str = "nM"):
    """pKi (``-log10 Ki`` with Ki in mol/L) to Ki in ``unit``: pKi 9 is 1 nM."""
    p = check_array(pki, "pki")
    return convert_concentration(_out(10.0 ** (-p), pki), "M", unit)


def ki_to_pki(ki, unit: str = "nM"):
    """Ki in ``unit`` to pKi (``-log10`` of Ki in mol/L): 1 nM is pKi 9."""
    check_array(ki, "ki", unit, low=0, low_inclusive=False)
    molar = np.asarray(convert_concentration(ki, unit, "M"))
    return _out(-np.log10(molar), ki)


def fitted_occupancy(x, emax, ed50):
    """Two-parameter saturating fit used for PET data: ``Emax * x / (ED50 + x)``.

    ``x`` is a daily dose (mg/day) or a plasma level (ng/mL), in the unit of ``ed50``.
    """
    d = check_array(x, "dose or concentration", low=0)
    em = check_array(emax, "emax", low=0, high=1, hint="a fraction: write 0.92, not 92")
    e50 = check_array(ed50, "ed50", low=0, low_inclusive=False)
    return _out(em * d / (e50 + d), x, emax, ed50)
