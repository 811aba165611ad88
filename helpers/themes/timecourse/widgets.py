"""Interactive demos for the time-course notebook: controls wired to ``helpers.themes.timecourse.figures``.

Each returns a :class:`helpers.view.demo.Demo`; tests drive ``demo.controls`` from Python and read
``demo.figure.data``. Nothing is computed here that is not in the model or figure modules.
"""

from __future__ import annotations

import ipywidgets as widgets

from helpers.core.validate import check_number
from helpers.themes.timecourse import figures as tf
from helpers.themes.timecourse import model as tc
from helpers.view.demo import SLIDER_STYLE, WIDE, Demo
from helpers.view.predict import with_prediction


def schedule_explorer(label: str | None = None, schedule: str = tc.SCHEDULES[0], dose: float = tc.DEFAULT_DOSE,
                      predict: str | None = None) -> Demo:
    """Pick a half-life and a schedule (every day, a missed dose, stopping) and a dose; see level and occupancy.

    ``predict``: a prediction id from data/predictions (see :mod:`helpers.view.predict`)."""
    options = list(tc.half_life_options()["label"])
    label = tc.short_option() if label is None else label
    if label not in options:
        raise ValueError(f"unknown half-life option {label!r}; choose one of: {'; '.join(options)}")
    if schedule not in tc.SCHEDULES:
        raise ValueError(f"unknown schedule {schedule!r}; choose one of: {'; '.join(tc.SCHEDULES)}")
    lo, hi = tc.DOSE_RANGE
    dose = check_number(dose, "dose", "x half-maximal dose", low=lo, high=hi)
    controls = {
        "drug": widgets.Dropdown(options=options, value=label, description="drug and half-life",
                                 style=SLIDER_STYLE, layout=WIDE),
        "schedule": widgets.Dropdown(options=list(tc.SCHEDULES), value=schedule, description="schedule",
                                     style=SLIDER_STYLE, layout=WIDE),
        "dose": widgets.FloatSlider(value=dose, min=lo, max=hi, step=0.25, description="dose (× half-maximal)",
                                    readout_format=".2f", style=SLIDER_STYLE, layout=WIDE),
    }

    def values():
        return controls["drug"].value, controls["schedule"].value, controls["dose"].value

    shown = {"curves": None}

    def update(demo: Demo) -> str:
        drug, schedule, dose = values()
        changed = shown["curves"] != (drug, schedule)  # the level does not depend on the dose: resend only on change
        shown["curves"] = (drug, schedule)
        tf.update_schedule_figure(demo.figure, drug, schedule, dose, curves_changed=changed)
        return tf.describe_schedule(drug, schedule, dose)

    demo = Demo(controls, tf.schedule_figure(*values()), update,
                note="Model: one compartment with first-order absorption and elimination; each dose's curve is added "
                     "to the others (superposition). The level is shown as a multiple of its own steady-state "
                     "average, so no volume or clearance is needed; the absorption half-life (1 hour) is an "
                     "assumption for illustration. Fluoxetine's kinetics are nonlinear (its half-life lengthens with "
                     "continued dosing) and norfluoxetine is formed from fluoxetine rather than taken: both are "
                     "drawn as if each were a simple drug taken once a day with the stated half-life. Occupancy "
                     "uses the generic curve x / (1 + x), with the dose in multiples of the dose that gives half "
                     "the maximal occupancy at steady state. Two further simplifications: one compartment, although "
                     "citalopram's intravenous data fit two (a fast initial fall as the drug spreads into the tissues); "
                     "and occupancy follows the blood level at once, with no delay for the drug to reach the brain. "
                     "Not a dosing tool.")
    return with_prediction(demo, predict, "schedule_explorer")


def clocks_explorer(time_constant: float = tc.DEFAULT_TIME_CONSTANT) -> Demo:
    """The three clocks on one time axis; a slider sets the time constant of the adaptation teaching model."""
    lo, hi = tc.TIME_CONSTANT_RANGE
    time_constant = check_number(time_constant, "time_constant", "days", low=lo, high=hi)
    controls = {"time_constant": widgets.FloatSlider(
        value=time_constant, min=lo, max=hi, step=0.5, description="adaptation time constant (days)",
        readout_format=".1f", style={"description_width": "230px"}, layout=widgets.Layout(width="680px"))}

    def update(demo: Demo) -> str:
        t = controls["time_constant"].value
        tf.update_clocks_figure(demo.figure, t)
        return tf.describe_clocks(t)

    return Demo(controls, tf.clocks_figure(time_constant), update,
                note="Top: the schedule model of section 1 (daily doses at 4 × the half-maximal dose). Middle: a "
                     "teaching model, not a mechanism: a quantity that follows occupancy with a first-order lag "
                     "(dA/dt = (occupancy - A) / T). Its time constant T is a free choice, not a measured value; it "
                     "shows how a slow process downstream of a fast one delays a response. Bottom: results of "
                     "pooled trials at the weeks they were measured, from different studies, populations and "
                     "measures: not a time course of one effect; whiskers up and down are 95% confidence "
                     "intervals, whiskers sideways the span of weeks pooled. Relative risks (RR) and odds ratios "
                     "(OR) are different measures and are not directly comparable with each other.")


def taper_explorer(start: float = tc.DEFAULT_TAPER_START, steps: int = tc.DEFAULT_TAPER_STEPS,
                   predict: str | None = None) -> Demo:
    """Compare a linear and a hyperbolic taper by the occupancy each step removes.

    ``predict``: a prediction id from data/predictions (see :mod:`helpers.view.predict`)."""
    lo, hi = tc.TAPER_START_RANGE
    s_lo, s_hi = tc.TAPER_STEPS_RANGE
    start = check_number(start, "start", "x half-maximal dose", low=lo, high=hi)
    if isinstance(steps, bool) or not isinstance(steps, int) or not s_lo <= steps <= s_hi:
        raise ValueError(f"steps must be a whole number from {s_lo} to {s_hi} (got {steps!r})")
    controls = {
        "start": widgets.FloatSlider(value=start, min=lo, max=hi, step=0.5, description="start dose (× half-maximal)",
                                     readout_format=".1f", style=SLIDER_STYLE, layout=WIDE),
        "steps": widgets.IntSlider(value=steps, min=s_lo, max=s_hi, step=1, description="number of steps",
                                   style=SLIDER_STYLE, layout=WIDE),
    }

    def update(demo: Demo) -> str:
        s, n = controls["start"].value, controls["steps"].value
        tf.update_taper_figure(demo.figure, s, n)
        return tf.describe_taper(s, n)

    demo = Demo(controls, tf.taper_figure(start, steps), update,
                note="Occupancy on the generic curve x / (1 + x), with x the steady-state daily dose in multiples of "
                     "the half-maximal dose; each step is assumed to last long enough for a new steady state. Real "
                     "SSRIs plateau below 100% occupancy and each has its own half-maximal dose. Not a tapering "
                     "plan: the argument is about the shape of the curve, and the clinical benefit of hyperbolic "
                     "tapers has not been tested in large trials.")
    return with_prediction(demo, predict, "taper_explorer")
