"""Time course of drug action as pure functions over ``data/``: levels over days, occupancy, adaptation, tapers.

Built on :mod:`helpers.core.pharmacokinetics` (one compartment, first-order absorption and elimination,
superposition of doses). What this theme adds:

* the half-lives a student can pick (``data/properties``, each with its source: a primary pharmacokinetic study or
  a review of such studies), and the dosing schedules of the demo (every day, one missed dose, stopping);
* the level as a **multiple of its own steady-state average**, so that no drug-specific volume, clearance or
  bioavailability is needed (none is used); the absorption half-life is an assumed illustration
  (:data:`ABSORPTION_HALF_LIFE_H`);
* occupancy on the generic saturating curve ``x / (1 + x)``, with the daily dose in **multiples of the
  half-maximal dose** (per-drug transporter fits are not used: see the notebook);
* the three clocks: occupancy (hours to days), a labelled first-order **teaching model** of adaptation
  (days to weeks; its time constant is a free choice, not a measured value) and clinical change (weeks, from
  trials in ``data/effect_sizes``);
* linear and hyperbolic tapers compared by occupancy lost per step.

Units: time in hours inside the functions, days on the axes; doses in multiples of the half-maximal dose.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from helpers.core import data
from helpers.core import pharmacokinetics as pk
from helpers.core.evidence import citation
from helpers.core.validate import check_number

THEME = "timecourse"
DEFAULT_DRUG = "citalopram"
HOURS_PER_DAY = 24.0
INTERVAL_H = 24.0  # one dose a day
DAYS_SHOWN = 56  # 8 weeks on the schedule demo's axis
STEP_H = 2.0  # the model is sampled every 2 hours (fewer points to redraw; peaks still resolved)
HOURS = np.arange(0.0, DAYS_SHOWN * HOURS_PER_DAY + STEP_H / 2, STEP_H)
DAYS = HOURS / HOURS_PER_DAY
# An ASSUMED absorption half-life for every drug, for illustration only: oral SSRIs peak a few hours after a dose,
# and over days and weeks the absorption rate hardly changes the picture. Not a measured value for any drug.
ABSORPTION_HALF_LIFE_H = 1.0
MISSED_DAY = 10  # the dose skipped in "one missed dose"
STOP_DAY = 28  # "stop after day 28": the last dose is taken on day 27 (doses on days 0 to 27)
SCHEDULES = ("every day", f"one missed dose (day {MISSED_DAY})", f"stop after day {STOP_DAY}")
DOSE_RANGE = (0.25, 20.0)  # multiples of the half-maximal dose on the dose slider
DEFAULT_DOSE = 4.0  # an illustrative dose on the flat part of the curve (occupancy 80% at steady state)
FRACTIONS = (0.5, 0.9, 0.97)  # fractions of steady state named in the descriptions

# The three clocks figure
CLOCK_DAYS = 56
CLOCK_HOURS = np.arange(0.0, CLOCK_DAYS * HOURS_PER_DAY + 1.0, 6.0)  # every 6 h (fewer points to redraw per step)
TIME_CONSTANT_RANGE = (1.0, 28.0)  # days, the teaching model's slider
DEFAULT_TIME_CONSTANT = 10.0
CLOCK_EFFECTS = {  # effect-size id -> (day at which it was measured, half-width of the window in days)
    "tc-es-taylor2006-week1": (7.0, 0.0),
    "tc-es-ballesteros2004-2wk": (14.0, 0.0),
    "tc-es-ballesteros2004-4to6wk": (35.0, 7.0),
    "tc-es-arroll2005-ssri": (49.0, 7.0),
}

# The taper planner
TAPER_START_RANGE = (1.0, 20.0)
TAPER_STEPS_RANGE = (2, 10)
DEFAULT_TAPER_START, DEFAULT_TAPER_STEPS = 4.0, 4

# Evidence groups shown as tables in the notebook
ADAPTATION_HYPOTHESES = ("delayed_onset", "autoreceptor_desensitisation")


# Half-life values that describe single doses, not continued daily dosing: kept in the data with their source,
# left out of the demos (which all dose daily). Fluoxetine's kinetics are nonlinear: its half-life lengthens with
# continued dosing, so the short end of 'about 1 to 4 days' would show steady state in 4-5 days and a quick fall
# after stopping, wrong for someone who has taken it for weeks.
NOT_FOR_DAILY_DOSING = {("fluoxetine", "half_life_low")}


# --- half-lives from the data ------------------------------------------------------------------------------------

@data.cached_lookup
def _half_lives() -> tuple:
    props = data.load_all()["properties"]  # with _file: only this theme's file
    rows = props[props["property"].isin(["half_life", "half_life_low", "half_life_high"])
                 & (props["_file"].map(lambda f: str(f).endswith(f"{THEME}.csv")))]
    out = []
    for _, r in rows.iterrows():
        if (r["drug"], r["property"]) in NOT_FOR_DAILY_DOSING:
            continue
        hours = float(r["value"]) * (HOURS_PER_DAY if r["unit"] == "d" else 1.0)
        if r["unit"] not in ("h", "d"):
            raise data.DataError(f"half-life of {r['drug']} must be in h or d (got {r['unit']!r})")
        end = {"half_life": "", "half_life_low": "short end of its range", "half_life_high": "long end of its range"}
        word = ("hour" if r["unit"] == "h" else "day") + ("" if float(r["value"]) == 1 else "s")
        value = f"{float(r['value']):g} {word}"
        label = f"{data.drug_name(r['drug'])}: {value}" + (f" ({end[r['property']]})" if end[r["property"]] else "")
        out.append((label, r["drug"], hours, r["source"], citation(r["source"]), r["note"] or ""))
    return tuple(sorted(out, key=lambda row: row[2]))


@data.cached_lookup
def _options_by_label() -> dict:
    return {row[0]: dict(zip(("label", "drug", "hours", "source", "citation", "note"), row)) for row in _half_lives()}


def option(label: str) -> dict:
    """One half-life option as a dict (``label``, ``drug``, ``hours``, ``source``, ``citation``, ``note``)."""
    found = _options_by_label().get(label)
    if found is None:
        raise ValueError(f"unknown half-life option {label!r}; choose one of: {'; '.join(_options_by_label())}")
    return dict(found)


def half_life_options() -> pd.DataFrame:
    """The half-lives a student can pick, shortest first: ``label``, ``drug``, ``hours``, ``source``,
    ``citation``, ``note``."""
    return pd.DataFrame(list(_half_lives()), columns=["label", "drug", "hours", "source", "citation", "note"])


def source_kind(note: str) -> str:
    """What kind of source a half-life comes from, as its data note says: a primary study or a review."""
    if note.startswith("Primary pharmacokinetic study"):
        return "primary pharmacokinetic study"
    if "review of pharmacokinetic studies" in note:
        return "review of pharmacokinetic studies"
    raise data.DataError(f"a half-life note must name its kind of source (primary study or review): {note!r}")


def half_life_sources() -> str:
    """The sources of the half-lives with the drugs each covers: 'A et al. 1981 (citalopram); B et al. 1994 (...)'."""
    options = half_life_options()
    parts = []
    for cite in dict.fromkeys(options["citation"]):
        drugs = dict.fromkeys(data.drug_name(d).lower() for d in options.loc[options["citation"] == cite, "drug"])
        parts.append(f"{cite} ({', '.join(drugs)})")
    return "; ".join(parts)


def half_life(label: str) -> float:
    """Half-life in hours of a picker option (its ``label``)."""
    return float(option(label)["hours"])


def half_life_table() -> pd.DataFrame:
    """The half-lives as a table a student reads: drug, half-life, kind of source, source."""
    options = half_life_options()
    return pd.DataFrame({
        "Drug": [data.drug_name(d) for d in options["drug"]],
        "Half-life used": [label.split(": ", 1)[1] for label in options["label"]],
        "Kind of source": [source_kind(note) for note in options["note"]],
        "Source": options["citation"],
    })


# --- schedules and levels ---------------------------------------------------------------------------------------

def schedule_doses(schedule: str) -> tuple[np.ndarray, np.ndarray]:
    """Dose times (h) and doses (1 = the daily dose) of one of :data:`SCHEDULES` over :data:`DAYS_SHOWN` days."""
    if schedule not in SCHEDULES:
        raise ValueError(f"unknown schedule {schedule!r}; choose one of: {'; '.join(SCHEDULES)}")
    times = pk.dosing_times(INTERVAL_H, DAYS_SHOWN)
    doses = np.ones_like(times)
    if schedule == SCHEDULES[1]:
        doses[MISSED_DAY] = 0.0
    elif schedule == SCHEDULES[2]:
        doses[STOP_DAY:] = 0.0
    return times, doses


@lru_cache(maxsize=64)
def _relative_level(half_life_h: float, schedule: str) -> np.ndarray:
    times, doses = schedule_doses(schedule)
    c = pk.concentration(HOURS, times, doses, half_life_h, 1.0, ABSORPTION_HALF_LIFE_H)
    css = pk.steady_state_average(1.0, INTERVAL_H, pk.clearance(half_life_h, 1.0))
    level = np.asarray(c) / css
    level.flags.writeable = False
    return level


def relative_level(half_life_h: float, schedule: str = SCHEDULES[0]) -> np.ndarray:
    """The level over :data:`HOURS` as a multiple of its steady-state average (1 = steady state), for daily doses.

    Computed by superposition of one-compartment doses (:func:`helpers.core.pharmacokinetics.concentration`) with
    the assumed absorption half-life; no volume or clearance is needed because the curve is divided by its own
    steady-state average ``F dose / (CL tau)``.
    """
    h = check_number(half_life_h, "half_life_h", "h", low=0, low_inclusive=False)
    return _relative_level(h, schedule)


def occupancy_curve(half_life_h: float, schedule: str, dose_multiple: float) -> np.ndarray:
    """Occupancy (0 to 1) over :data:`HOURS`: ``x / (1 + x)`` with ``x = dose multiple * relative level``.

    At the steady-state average the level equals the level of a dose of ``dose_multiple`` half-maximal doses.
    """
    d = check_number(dose_multiple, "dose_multiple", "x half-maximal dose", low=0)
    return np.asarray(pk.occupancy_at(d * relative_level(half_life_h, schedule)))


def days_to_fraction(half_life_h: float, fraction: float) -> float:
    """Days of daily dosing until the average level reaches ``fraction`` of steady state."""
    return float(pk.time_to_fraction(fraction, half_life_h)) / HOURS_PER_DAY


def _at(day: float) -> int:
    return int(round(day * HOURS_PER_DAY / STEP_H))


def schedule_summary(half_life_h: float, schedule: str, dose_multiple: float) -> dict:
    """The numbers the schedule demo's sentence reports.

    ``days_to`` (fraction -> days), ``half_lives_to_90``, ``steady_occupancy`` (at the steady-state average),
    ``trough_level``/``trough_occupancy`` (at the time of the day-``MISSED_DAY + 1`` dose on "every day", before it
    is absorbed: the comparison for the missed dose; with a long half-life the level is still building up then),
    ``steady_trough_level``/``steady_trough_occupancy`` (just before a dose at steady state: the daily swing), and
    for the other schedules
    ``missed_trough_level``/``missed_trough_occupancy`` (just before the next dose after the missed one, on
    day ``MISSED_DAY + 1``) or, after stopping, ``level_after_week`` (7 days after the last dose) and
    ``days_above_half`` (days after the last dose until occupancy falls below 50%; None if not within the axis).
    """
    level = relative_level(half_life_h, schedule)
    occ = occupancy_curve(half_life_h, schedule, dose_multiple)
    out = {
        "days_to": {f: days_to_fraction(half_life_h, f) for f in FRACTIONS},
        "half_lives_to_90": float(pk.time_to_fraction(0.9, 1.0)),
        "steady_occupancy": float(pk.occupancy_at(dose_multiple)),
        "trough_occupancy": float(occupancy_curve(half_life_h, SCHEDULES[0], dose_multiple)[_at(MISSED_DAY + 1)]),
        "trough_level": float(relative_level(half_life_h, SCHEDULES[0])[_at(MISSED_DAY + 1)]),
    }
    ratio = pk.steady_state_trough_ratio(half_life_h, INTERVAL_H, ABSORPTION_HALF_LIFE_H)
    out["steady_trough_level"] = ratio
    out["steady_trough_occupancy"] = float(pk.occupancy_at(dose_multiple * ratio))
    if schedule == SCHEDULES[1]:
        i = _at(MISSED_DAY + 1)  # at the time of the next dose, before any of it is absorbed
        out["missed_trough_level"], out["missed_trough_occupancy"] = float(level[i]), float(occ[i])
    elif schedule == SCHEDULES[2]:
        last = _at(STOP_DAY - 1)
        out["level_after_week"] = float(level[_at(STOP_DAY - 1 + 7)])
        out["occupancy_after_week"] = float(occ[_at(STOP_DAY - 1 + 7)])
        below = np.nonzero(occ[last:] < 0.5)[0]
        out["days_above_half"] = float(below[0] * STEP_H / HOURS_PER_DAY) if below.size else None
    return out


# --- the three clocks -------------------------------------------------------------------------------------------

def clock_occupancy(half_life_h: float, dose_multiple: float = DEFAULT_DOSE) -> np.ndarray:
    """Occupancy (0 to 1) on :data:`CLOCK_HOURS` with daily doses from day 0 (the fast clock)."""
    d = check_number(dose_multiple, "dose_multiple", "x half-maximal dose", low=0)
    times = pk.dosing_times(INTERVAL_H, CLOCK_DAYS + 1)
    c = pk.concentration(CLOCK_HOURS, times, 1.0, half_life_h, 1.0, ABSORPTION_HALF_LIFE_H)
    css = pk.steady_state_average(1.0, INTERVAL_H, pk.clearance(half_life_h, 1.0))
    return np.asarray(pk.occupancy_at(d * np.asarray(c) / css))


@lru_cache(maxsize=8)
def _clock_occupancy_default() -> np.ndarray:
    occ = clock_occupancy(half_life(short_option()))
    occ.flags.writeable = False
    return occ


def short_option() -> str:
    """The picker label of the default drug of the demos (:data:`DEFAULT_DRUG`, a half-life of about a day)."""
    return next(label for label, row in _options_by_label().items() if row["drug"] == DEFAULT_DRUG)


def adaptation_curve(time_constant_days: float) -> np.ndarray:
    """TEACHING MODEL: a slow process that follows the occupancy of the default drug with a first-order lag.

    Returns the adapted fraction (0 to 1) on :data:`CLOCK_HOURS`, as a fraction of the occupancy it follows at
    steady state (1 = fully adapted). Not a mechanism: the time constant is a free choice (slider), not a measured
    value, and the model says nothing about what adapts.
    """
    tc = check_number(time_constant_days, "time_constant_days", "days", low=0, low_inclusive=False)
    return _adaptation_curve(tc)


@lru_cache(maxsize=128)
def _adaptation_curve(tc: float) -> np.ndarray:
    occ = _clock_occupancy_default()
    curve = pk.adaptation(CLOCK_HOURS, occ, tc * HOURS_PER_DAY) / float(pk.occupancy_at(DEFAULT_DOSE))
    curve.flags.writeable = False
    return curve


def days_to_adapt(time_constant_days: float, fraction: float = 0.9) -> float:
    """Days until the teaching model first reaches ``fraction`` of full adaptation (on :data:`CLOCK_HOURS`)."""
    a = adaptation_curve(time_constant_days)
    hit = np.nonzero(a >= fraction)[0]
    return float(CLOCK_HOURS[hit[0]] / HOURS_PER_DAY) if hit.size else float("inf")


@lru_cache(maxsize=1)
def clock_effect_rows() -> dict:
    """The trial results on the clinical clock as plain dicts by id (for the sentences: no pandas per step)."""
    return {row["id"]: dict(row) for _, row in _clock_effects().iterrows()}


def clock_effects() -> pd.DataFrame:
    """The trial results placed on the clinical clock: effect-size rows with ``day``, ``window`` and ``citation``."""
    return _clock_effects().copy()


@lru_cache(maxsize=1)
def _clock_effects() -> pd.DataFrame:
    rows = data.table("effect_sizes").set_index("id").loc[list(CLOCK_EFFECTS)].reset_index()
    rows["day"] = [CLOCK_EFFECTS[i][0] for i in rows["id"]]
    rows["window"] = [CLOCK_EFFECTS[i][1] for i in rows["id"]]
    rows["citation"] = [citation(s) for s in rows["source"]]
    for col in ("estimate", "ci_low", "ci_high"):
        rows[col] = rows[col].astype(float)
    return rows


# --- tapers -------------------------------------------------------------------------------------------------------

def taper_plan(start_multiple: float, n_steps: int) -> pd.DataFrame:
    """Linear and hyperbolic tapers side by side, one row per step (doses in multiples of the half-maximal dose).

    Columns: ``step`` (1..n), ``linear_from``/``linear_to``/``linear_lost`` and the same for ``hyperbolic``
    (occupancy lost in the step, 0 to 1).
    """
    out = {}
    for kind in pk.TAPER_KINDS:
        doses = pk.taper_schedule(start_multiple, n_steps, kind)
        out[f"{kind}_from"], out[f"{kind}_to"] = doses[:-1], doses[1:]
        out[f"{kind}_lost"] = pk.occupancy_lost_per_step(doses)
    return pd.DataFrame({"step": np.arange(1, len(out["linear_lost"]) + 1), **out})


def taper_table(start_multiple: float, n_steps: int) -> pd.DataFrame:
    """:func:`taper_plan` as a table a student reads (doses to 2 decimals, occupancy lost in percentage points)."""
    plan = taper_plan(start_multiple, n_steps)
    return pd.DataFrame({
        "Step": plan["step"],
        "Linear: dose (x half-maximal)": [f"{a:.2f} → {b:.2f}" for a, b in zip(plan["linear_from"], plan["linear_to"])],
        "Linear: occupancy lost (points)": [f"{100 * x:.1f}" for x in plan["linear_lost"]],
        "Hyperbolic: dose (x half-maximal)": [f"{a:.2f} → {b:.2f}" for a, b in
                                              zip(plan["hyperbolic_from"], plan["hyperbolic_to"])],
        "Hyperbolic: occupancy lost (points)": [f"{100 * x:.1f}" for x in plan["hyperbolic_lost"]],
    })
