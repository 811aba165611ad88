"""Pharmacokinetics over time as pure functions with explicit units: how a level builds up, falls and is tapered.

Units, everywhere in this module: time in **hours** (h), doses in **mg**, concentrations in **mg/L**, volumes in
**L**, clearances in **L/h**, rate constants in **1/h**. Doses of the generic saturating curve (:func:`taper_schedule`,
:func:`occupancy_at`) are in **multiples of the half-maximal dose** (ED50), so they need no drug-specific fit.

The model is the textbook one-compartment model with first-order absorption and first-order elimination. One dose
``D`` taken at time 0 gives (Bateman function)::

    C(t) = F D ka / (V (ka - k)) * (exp(-k t) - exp(-ka t))      for t >= 0, ka != k
    C(t) = F D k t exp(-k t) / V                                 for ka == k (the limit)
    C(t) = F D exp(-k t) / V                                     with no absorption phase (an intravenous bolus)

where ``k = ln 2 / half-life`` and ``ka = ln 2 / absorption half-life``. Because the model is linear, a schedule of
doses gives the sum of the single-dose curves, each shifted to its dose time (**superposition**):
:func:`concentration`. Averaged over a dosing interval ``tau`` at steady state the level is
``F * dose / (CL * tau)`` with ``CL = k V`` (:func:`steady_state_average`), and after ``n`` half-lives of regular
dosing the average level has reached ``1 - 0.5**n`` of it (:func:`fraction_of_steady_state`): about 94% after 4
half-lives and 97% after 5.

:func:`adaptation` is a **teaching model**, not a mechanism: a quantity that follows its drive with a first-order
lag (one time constant). It shows how a slow process downstream of a fast one delays a response; it does not say
what the slow process is.

Every function checks its input (:mod:`helpers.core.validate`) and raises ``ValueError`` naming the argument, the
value, the unit and the valid choices; nothing is clipped. Notebook 06 (time course) uses this module; other themes
may, so its names and signatures are kept stable.
"""

from __future__ import annotations

import math

import numpy as np

from helpers.core.validate import check_array, check_number

__all__ = [
    "LN2",
    "TAPER_KINDS",
    "adaptation",
    "clearance",
    "concentration",
    "dose_for_occupancy",
    "dosing_times",
    "elimination_rate",
    "fraction_of_steady_state",
    "occupancy_at",
    "occupancy_lost_per_step",
    "single_dose_concentration",
    "steady_state_average",
    "taper_schedule",
    "time_to_fraction",
]

LN2 = math.log(2.0)
TAPER_KINDS = ("linear", "hyperbolic")


def _out(result: np.ndarray, *inputs):
    """A float when every input was a scalar, else the array."""
    return float(result) if all(np.ndim(x) == 0 for x in inputs) else result


def elimination_rate(half_life_h) -> float:
    """First-order rate constant (1/h) from a half-life in hours: ``ln 2 / half-life``."""
    t = check_number(half_life_h, "half_life_h", "h", low=0, low_inclusive=False,
                     hint="an elimination half-life must be positive")
    return LN2 / t


def clearance(half_life_h, volume_L) -> float:
    """Clearance (L/h) of a one-compartment drug: ``CL = k V`` with ``k = ln 2 / half-life``."""
    v = check_number(volume_L, "volume_L", "L", low=0, low_inclusive=False)
    return elimination_rate(half_life_h) * v


def single_dose_concentration(t_h, dose_mg, half_life_h, volume_L, absorption_half_life_h=None,
                              bioavailability=1.0):
    """Concentration (mg/L) at times ``t_h`` (h after the dose) after one oral dose; 0 before the dose.

    Parameters
    ----------
    t_h : float or array
        Hours since the dose; negative times (before the dose) give 0.
    dose_mg : float, >= 0
        The dose in mg.
    half_life_h : float, > 0
        Elimination half-life in hours.
    volume_L : float, > 0
        Volume of distribution in L.
    absorption_half_life_h : float > 0, or None
        Half-life of first-order absorption in hours; ``None`` for no absorption phase (an intravenous bolus).
    bioavailability : float, 0 to 1
        Fraction of the dose reaching the circulation (F).
    """
    t = check_array(t_h, "t_h", "h")
    d = check_number(dose_mg, "dose_mg", "mg", low=0, hint="a dose cannot be negative")
    f = check_number(bioavailability, "bioavailability", low=0, high=1, hint="a fraction: write 0.8, not 80")
    v = check_number(volume_L, "volume_L", "L", low=0, low_inclusive=False)
    k = elimination_rate(half_life_h)
    after = np.clip(t, 0.0, None)
    if absorption_half_life_h is None:
        c = np.exp(-k * after)
    else:
        ka = LN2 / check_number(absorption_half_life_h, "absorption_half_life_h", "h", low=0,
                                low_inclusive=False, hint="or None for no absorption phase")
        if math.isclose(ka, k, rel_tol=1e-9):
            c = k * after * np.exp(-k * after)
        else:
            c = ka / (ka - k) * (np.exp(-k * after) - np.exp(-ka * after))
    return _out(np.where(t >= 0, f * d * c / v, 0.0), t_h)


def _schedule(dose_times_h, doses_mg) -> tuple[np.ndarray, np.ndarray]:
    """Check a schedule: equal lengths, finite, times not negative and in order, doses not negative."""
    times = np.atleast_1d(check_array(dose_times_h, "dose_times_h", "h", low=0,
                                      hint="hours from the start of the schedule"))
    doses = np.atleast_1d(check_array(doses_mg, "doses_mg", "mg", low=0, hint="a dose cannot be negative"))
    if times.ndim != 1 or doses.ndim != 1:
        raise ValueError("dose_times_h and doses_mg must be flat lists of numbers (one entry per dose)")
    if doses.size == 1 and times.size > 1:
        doses = np.full(times.size, float(doses[0]))
    if times.size != doses.size:
        raise ValueError(f"dose_times_h and doses_mg must have the same length (got {times.size} times and "
                         f"{doses.size} doses); or give one dose for every time")
    if np.any(np.diff(times) < 0):
        i = int(np.argmax(np.diff(times) < 0))
        raise ValueError(f"the schedule is not in time order: dose {i + 2} at {times[i + 1]:g} h comes before dose "
                         f"{i + 1} at {times[i]:g} h; list the doses from first to last")
    return times, doses


def concentration(t_h, dose_times_h, doses_mg, half_life_h, volume_L, absorption_half_life_h=None,
                  bioavailability=1.0):
    """Concentration (mg/L) at times ``t_h`` for a schedule of doses, by superposition of single doses.

    Parameters
    ----------
    t_h : float or array
        Times (h) at which to compute the level, from the start of the schedule.
    dose_times_h : sequence of float, >= 0, in time order
        When each dose is taken (h).
    doses_mg : float or sequence of float, >= 0
        Each dose (mg); one number means the same dose every time. A 0 is a missed dose.
    half_life_h, volume_L, absorption_half_life_h, bioavailability
        As in :func:`single_dose_concentration`.

    Returns
    -------
    float or ndarray
        The sum over doses of each dose's curve, shifted to its time.
    """
    times, doses = _schedule(dose_times_h, doses_mg)
    t = np.asarray(check_array(t_h, "t_h", "h"), dtype=float)
    unit = np.asarray(single_dose_concentration(t[..., None] - times, 1.0, half_life_h, volume_L,
                                                absorption_half_life_h, bioavailability))
    return _out(unit @ doses, t_h)


def dosing_times(interval_h, n_doses, start_h=0.0) -> np.ndarray:
    """Times (h) of ``n_doses`` regular doses every ``interval_h`` hours from ``start_h``."""
    tau = check_number(interval_h, "interval_h", "h", low=0, low_inclusive=False,
                       hint="the time between doses must be positive")
    s = check_number(start_h, "start_h", "h", low=0)
    if isinstance(n_doses, bool) or not isinstance(n_doses, (int, np.integer)) or n_doses < 0:
        raise ValueError(f"n_doses must be a whole number, 0 or more (got {n_doses!r})")
    return s + tau * np.arange(int(n_doses), dtype=float)


def steady_state_average(dose_mg, interval_h, clearance_L_h, bioavailability=1.0) -> float:
    """Average level (mg/L) over a dosing interval at steady state: ``F * dose / (CL * tau)``."""
    d = check_number(dose_mg, "dose_mg", "mg", low=0, hint="a dose cannot be negative")
    tau = check_number(interval_h, "interval_h", "h", low=0, low_inclusive=False,
                       hint="the time between doses must be positive")
    cl = check_number(clearance_L_h, "clearance_L_h", "L/h", low=0, low_inclusive=False)
    f = check_number(bioavailability, "bioavailability", low=0, high=1, hint="a fraction: write 0.8, not 80")
    return f * d / (cl * tau)


def steady_state_trough_ratio(half_life_h, interval_h, absorption_half_life_h=None) -> float:
    """Level just before a dose at steady state, as a fraction of the steady-state average.

    Sum of every earlier dose's curve at the end of an interval, divided by ``F * dose / (CL * tau)``. With no
    absorption phase (``None``): ``k tau e^(-k tau) / (1 - e^(-k tau))``. With first-order absorption (rate ``ka``):
    ``k tau ka / (ka - k) * [e^(-k tau) / (1 - e^(-k tau)) - e^(-ka tau) / (1 - e^(-ka tau))]``, and
    ``(k tau)^2 e^(-k tau) / (1 - e^(-k tau))^2`` in the limit ``ka = k``. It depends only on ``k tau``
    (and ``ka tau``): about 0.98 for a half-life 15 times the interval, 0.69 for a half-life equal to it.
    """
    tau = check_number(interval_h, "interval_h", "h", low=0, low_inclusive=False,
                       hint="the time between doses must be positive")
    k = elimination_rate(half_life_h)
    x = k * tau
    if absorption_half_life_h is None:
        return float(x * math.exp(-x) / -math.expm1(-x))
    ka = LN2 / check_number(absorption_half_life_h, "absorption_half_life_h", "h", low=0,
                            low_inclusive=False, hint="or None for no absorption phase")
    if math.isclose(ka, k, rel_tol=1e-9):
        return float(x * x * math.exp(-x) / math.expm1(-x) ** 2)
    y = ka * tau
    return float(x * ka / (ka - k) * (math.exp(-x) / -math.expm1(-x) - math.exp(-y) / -math.expm1(-y)))


def fraction_of_steady_state(t_h, half_life_h):
    """Fraction of the steady-state average reached after ``t_h`` hours of regular dosing: ``1 - 0.5**(t/t½)``."""
    t = check_array(t_h, "t_h", "h", low=0)
    half = check_number(half_life_h, "half_life_h", "h", low=0, low_inclusive=False,
                        hint="an elimination half-life must be positive")
    return _out(1.0 - 0.5 ** (t / half), t_h)


def time_to_fraction(fraction, half_life_h):
    """Hours of regular dosing until the average level reaches ``fraction`` of steady state.

    ``-half-life * log2(1 - fraction)``: 1 half-life for 0.5, 3.32 for 0.9, 5 for 0.96875. Steady state itself
    (fraction 1) is approached but never reached, so 1 is refused.
    """
    f = check_array(fraction, "fraction", low=0, high=1, high_inclusive=False,
                    hint="steady state is approached, never reached: ask for 0.9 or 0.97")
    half = check_number(half_life_h, "half_life_h", "h", low=0, low_inclusive=False,
                        hint="an elimination half-life must be positive")
    return _out(-half * np.log2(1.0 - f), fraction)


# --- the generic saturating curve, in multiples of the half-maximal dose ----------------------------------------

def occupancy_at(dose_multiple):
    """Occupancy (0 to 1) on the generic saturating curve ``x / (1 + x)``, ``x`` = dose / half-maximal dose."""
    x = check_array(dose_multiple, "dose_multiple", "x ED50", low=0, hint="a dose cannot be negative")
    return _out(x / (1.0 + x), dose_multiple)


def dose_for_occupancy(fraction):
    """Dose (in multiples of the half-maximal dose) giving ``fraction`` occupancy: ``f / (1 - f)``."""
    f = check_array(fraction, "fraction", low=0, high=1, high_inclusive=False,
                    hint="full occupancy needs an infinite dose")
    return _out(f / (1.0 - f), fraction)


def taper_schedule(start_multiple, n_steps, kind="linear"):
    """Doses (multiples of the half-maximal dose) of a taper from ``start_multiple`` to 0 in ``n_steps`` steps.

    Returns ``n_steps + 1`` doses, the first ``start_multiple`` and the last 0.

    * ``"linear"``: equal steps of dose (the same number of mg removed each time).
    * ``"hyperbolic"``: equal steps of occupancy on the curve ``x / (1 + x)``; the doses then fall in ever smaller
      steps (the proposal of Horowitz & Taylor 2019, here on the generic curve rather than a drug's own fit).
    """
    start = check_number(start_multiple, "start_multiple", "x ED50", low=0, low_inclusive=False,
                         hint="the dose the taper starts from")
    if isinstance(n_steps, bool) or not isinstance(n_steps, (int, np.integer)) or n_steps < 1:
        raise ValueError(f"n_steps must be a whole number, 1 or more (got {n_steps!r})")
    if kind not in TAPER_KINDS:
        raise ValueError(f"kind must be one of {', '.join(map(repr, TAPER_KINDS))} (got {kind!r})")
    fractions = np.linspace(1.0, 0.0, int(n_steps) + 1)
    if kind == "linear":
        doses = start * fractions
    else:
        occ = occupancy_at(start) * fractions
        doses = occ / (1.0 - occ)
    doses[-1] = 0.0
    return doses


def occupancy_lost_per_step(doses_multiple) -> np.ndarray:
    """Occupancy (0 to 1) removed by each step of a dose sequence (multiples of the half-maximal dose).

    One value per step (``len(doses) - 1``); positive when the dose goes down.
    """
    d = np.atleast_1d(check_array(doses_multiple, "doses_multiple", "x ED50", low=0))
    if d.ndim != 1 or d.size < 2:
        raise ValueError("doses_multiple must list at least two doses (a start and one step)")
    occ = np.asarray(occupancy_at(d))
    return occ[:-1] - occ[1:]


# --- a labelled teaching model of slow adaptation ------------------------------------------------------------------

def adaptation(t_h, drive, time_constant_h):
    """TEACHING MODEL: a quantity that follows ``drive`` with a first-order lag, ``dA/dt = (drive - A) / T``.

    Not a mechanism: it shows how any slow process downstream of a fast one delays a response, whatever that process
    is. Starts at 0; the drive is taken as constant between the sample times (exact for a step drive).

    Parameters
    ----------
    t_h : array, in time order
        Sample times (h), from the start.
    drive : float or array
        The fast signal (for example occupancy, 0 to 1) at each time; one number is a step at time 0.
    time_constant_h : float, > 0
        The lag's time constant T (h): after T the response to a step has reached 63% (1 - 1/e) of it.

    Returns
    -------
    ndarray
        The adapted quantity at each time (same unit as ``drive``).
    """
    t = np.atleast_1d(check_array(t_h, "t_h", "h", low=0))
    if t.ndim != 1:
        raise ValueError("t_h must be a flat list of times")
    if np.any(np.diff(t) < 0):
        raise ValueError("t_h must be in time order (earliest first)")
    tc = check_number(time_constant_h, "time_constant_h", "h", low=0, low_inclusive=False,
                      hint="the lag's time constant must be positive")
    u = np.asarray(check_array(drive, "drive"), dtype=float)
    u = np.full(t.size, float(u)) if u.ndim == 0 else u
    if u.shape != t.shape:
        raise ValueError(f"drive must be one number or one value per time (got {u.size} values for {t.size} times)")
    out = np.empty_like(t)
    a, previous = 0.0, 0.0
    for i, (ti, ui) in enumerate(zip(t, u)):
        a = ui + (a - ui) * math.exp(-(ti - previous) / tc) if i else ui * (1 - math.exp(-ti / tc))
        out[i], previous = a, ti
    return out
