"""Plotly figures for the time-course notebook (06) and the sentences that describe them.

Each live figure has a builder, an ``update_<figure>`` that puts a new state into an existing figure in place
(trace order is documented on the builder; widgets never index traces) and a ``describe_<figure>`` sentence.
Every axis along which points move has a fixed range, and moving labels are text traces, so a slider step only
changes trace data (docs/live-figures.md).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from helpers.core import data
from helpers.core import pharmacokinetics as pk
from helpers.themes.timecourse import model as tc
from helpers.view.style import PALETTE, base_layout

LEVEL_RANGE = (0.0, 1.6)  # level as a multiple of its steady-state average
NINETY_TOP = 1.3  # the 90% line stops here, its label just above, clear of the panel title
PERCENT_RANGE = (0.0, 100.0)
PARKED = -10.0  # x (days) of a point or label that is not in use: outside every axis
LEVEL_COLOUR, OCC_COLOUR, ADAPT_COLOUR = PALETTE[0], PALETTE[5], PALETTE[2]
LINEAR_COLOUR, HYPERBOLIC_COLOUR = PALETTE[1], PALETTE[0]


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _days(x: float) -> str:
    return f"{x:.1f} days" if x < 10 else f"{x:.0f} days"


def _option(label: str) -> dict:
    return tc.option(label)


# --- 1. From dose to steady state -----------------------------------------------------------------------------

SCHEDULE_TITLE = "Daily doses: level and occupancy"


def schedule_figure(label: str, schedule: str, dose_multiple: float) -> go.Figure:
    """Top: the level as a multiple of its steady-state average, with the doses taken; bottom: occupancy (%).

    Traces: 0 level (top), 1 steady-state average (top, static), 2 the day 90% of steady state is reached (a
    vertical line with its label, top), 3 doses taken (markers along the bottom of the top panel; a missed or
    stopped dose is parked below the axis), 4 occupancy (bottom), 5 occupancy at the steady-state average
    (dashed, bottom).
    """
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1, row_heights=[0.5, 0.5],
                        subplot_titles=("Part A, first clock: level (1 = the steady-state average)",
                                        "occupancy of the target on the generic saturating curve (%)"))
    fig.add_scatter(x=tc.DAYS, y=tc.relative_level(tc.half_life(label), schedule), mode="lines", name="level",
                    line=dict(color=LEVEL_COLOUR, width=2.5),
                    hovertemplate="day %{x:.1f}: level %{y:.2f} × steady state<extra></extra>", row=1, col=1)
    fig.add_scatter(x=[0, tc.DAYS_SHOWN], y=[1, 1], mode="lines", name="steady-state average",
                    line=dict(color="black", width=1.5, dash="dash"),
                    hovertemplate=f"steady-state average<br>half-lives: {tc.half_life_sources()}<extra></extra>",
                    row=1, col=1)
    fig.add_scatter(mode="lines+text", name="90% of steady state", line=dict(color=PALETTE[7], width=1.5, dash="dot"),
                    textposition=["bottom right", "top right"], textfont=dict(size=14), cliponaxis=False,
                    hoverinfo="skip", showlegend=False, row=1, col=1)
    fig.add_scatter(mode="markers", name="dose taken", marker=dict(symbol="triangle-up", size=8, color=PALETTE[7]),
                    hovertemplate="dose on day %{x:.0f}<extra></extra>", row=1, col=1)
    fig.add_scatter(x=tc.DAYS, mode="lines", name="occupancy", line=dict(color=OCC_COLOUR, width=2.5),
                    hovertemplate="day %{x:.1f}: occupancy %{y:.0f}%<extra></extra>", row=2, col=1)
    fig.add_scatter(x=[0, tc.DAYS_SHOWN], mode="lines", name="occupancy at the steady-state average",
                    line=dict(color=OCC_COLOUR, width=1.5, dash="dash"), hoverinfo="skip", row=2, col=1)
    fig.update_xaxes(range=[0, tc.DAYS_SHOWN], dtick=7, row=1, col=1)
    fig.update_xaxes(range=[0, tc.DAYS_SHOWN], dtick=7, title="days since the first dose", row=2, col=1)
    fig.update_yaxes(range=list(LEVEL_RANGE), title="level (× steady state)", row=1, col=1)
    fig.update_yaxes(range=list(PERCENT_RANGE), title="occupancy (%)", row=2, col=1)
    base_layout(fig, SCHEDULE_TITLE, height=640)
    fig.update_layout(legend=dict(y=-0.14))
    update_schedule_figure(fig, label, schedule, dose_multiple)
    return fig


def update_schedule_figure(fig: go.Figure, label: str, schedule: str, dose_multiple: float, *,
                           curves_changed: bool = True) -> None:
    """Put a new state into an existing :func:`schedule_figure`, in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
        A figure made by :func:`schedule_figure`; changed in place.
    label : str
        A half-life option (``model.half_life_options()['label']``).
    schedule : str
        One of ``model.SCHEDULES``.
    dose_multiple : float
        Daily dose in multiples of the half-maximal dose.
    curves_changed : bool, default True
        False when only ``dose_multiple`` moved since ``fig`` was last set: the level, the 90% line and the dose
        markers, which do not depend on it, are then left alone.

    Notes
    -----
    Changes the level curve (y), the 90% line and its label (x, text), the dose markers (y: parked when no dose
    is taken), the occupancy curve (y, %) and the steady-state occupancy line (y, %). Axes stay as built.
    """
    level_trace, _steady, ninety, doses_trace, occ_trace, occ_line = fig.data
    hours = tc.half_life(label)
    occ_trace.y = 100 * tc.occupancy_curve(hours, schedule, dose_multiple)
    steady = 100 * float(pk.occupancy_at(dose_multiple))
    occ_line.y = [steady, steady]
    if not curves_changed:
        return
    level_trace.y = tc.relative_level(hours, schedule)
    day90 = tc.days_to_fraction(hours, 0.9)
    shown = day90 <= tc.DAYS_SHOWN
    x90 = day90 if shown else PARKED
    ninety.update(x=[x90, x90], y=[0, NINETY_TOP],
                  text=["", f"90% of steady state: day {day90:.1f}"],
                  textposition=["bottom right", "top left" if day90 > 0.6 * tc.DAYS_SHOWN else "top right"])
    times, doses = tc.schedule_doses(schedule)
    doses_trace.update(x=times / tc.HOURS_PER_DAY, y=np.where(doses > 0, 0.04, -1.0))


def describe_schedule(label: str, schedule: str, dose_multiple: float) -> str:
    """What the schedule figure shows: time to steady state, occupancy, and what the schedule changes."""
    option = _option(label)
    hours = float(option["hours"])
    s = tc.schedule_summary(hours, schedule, dose_multiple)
    d = s["days_to"]
    drug = data.drug_name(option["drug"])
    text = (f"{drug} with a half-life of {label.split(': ', 1)[1].split(' (')[0]} ({option['citation']}): with one "
            f"dose a day the average level reaches half of its steady state after {_days(d[0.5])}, 90% after "
            f"{_days(d[0.9])} and 97% after {_days(d[0.97])} (1, 3.3 and 5 half-lives), whatever the dose. ")
    if d[0.9] > tc.DAYS_SHOWN:
        text += f"90% is beyond the {tc.DAYS_SHOWN} days shown. "
    text += (f"At {dose_multiple:g} × the half-maximal dose, occupancy at the steady-state average is "
             f"{_pct(s['steady_occupancy'])}; at steady state, just before a dose, the level is "
             f"{_pct(s['steady_trough_level'])} of its average and occupancy {_pct(s['steady_trough_occupancy'])}: "
             "the longer the half-life, the smaller the daily swing, and near the top of the curve occupancy "
             "moves less than the level. ")
    if schedule == tc.SCHEDULES[1]:
        text += (f"Missing the day-{tc.MISSED_DAY} dose lowers the level just before the next dose to "
                 f"{_pct(s['missed_trough_level'])} of the steady-state average (instead of {_pct(s['trough_level'])} "
                 f"on the same day without the missed dose) and occupancy to {_pct(s['missed_trough_occupancy'])} "
                 f"(instead of {_pct(s['trough_occupancy'])}).")
        if s["trough_level"] < 0.9 * s["steady_trough_level"]:
            text += f" On day {tc.MISSED_DAY + 1} the level is still building up towards steady state."
    elif schedule == tc.SCHEDULES[2]:
        above = s["days_above_half"]
        text += (f"After the last dose (day {tc.STOP_DAY - 1}) the level halves every half-life: a week later it is "
                 f"{_pct(s['level_after_week'])} of the steady-state average, and occupancy is "
                 f"{_pct(s['occupancy_after_week'])}. ")
        text += (f"Occupancy stays above 50% for {_days(above)} after the last dose." if above is not None else
                 "Occupancy is still above 50% at the end of the axis.")
    return text


# --- 2. Three clocks ------------------------------------------------------------------------------------------

CLOCKS_TITLE = "Three clocks on one time axis"
RATIO_RANGE = (np.log10(0.5), np.log10(8.0))
CLOCK_GROUPS = {"placebo": "SSRI vs placebo (trials)", "pindolol": "pindolol + SSRI vs placebo + SSRI (trials)"}
CLOCK_LABEL_POSITION = {"tc-es-taylor2006-week1": "middle right", "tc-es-ballesteros2004-2wk": "middle right",
                        "tc-es-ballesteros2004-4to6wk": "top left", "tc-es-arroll2005-ssri": "top left"}


def clocks_figure(time_constant_days: float) -> go.Figure:
    """Three panels on one time axis (days): occupancy, the adaptation teaching model, trial results by week.

    Traces: 0 occupancy (%, static), 1 adapted fraction (%, teaching model), 2 the day 90% adaptation is reached
    (marker with label; parked when beyond the axis), 3 no-difference line at ratio 1 (static), 4 and 5 trial
    results, SSRI vs placebo and pindolol added (ratio with 95% interval; horizontal whiskers show the weeks
    pooled; static).
    """
    option = _option(tc.short_option())
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.09,
                        subplot_titles=(f"Part A: occupancy with daily {data.drug_name(option['drug']).lower()} (%)",
                                        "Adaptation: a TEACHING MODEL, not a measured mechanism (% adapted)",
                                        "Part B: different studies, populations, measures: not a time course (ratio, log)"))
    fig.add_scatter(x=tc.CLOCK_HOURS / tc.HOURS_PER_DAY, y=100 * tc.clock_occupancy(option["hours"]), mode="lines",
                    name="occupancy", line=dict(color=OCC_COLOUR, width=2.5),
                    hovertemplate=f"day %{{x:.1f}}: occupancy %{{y:.0f}}% (half-life: {option['citation']})"
                                  "<extra></extra>", row=1, col=1)
    fig.add_scatter(x=tc.CLOCK_HOURS / tc.HOURS_PER_DAY, mode="lines", name="adapted (teaching model)",
                    line=dict(color=ADAPT_COLOUR, width=2.5, dash="dash"),
                    hovertemplate="day %{x:.1f}: %{y:.0f}% adapted (teaching model)<extra></extra>", row=2, col=1)
    fig.add_scatter(mode="markers+text", name="90% adapted", marker=dict(color=ADAPT_COLOUR, size=11),
                    textposition="bottom right", textfont=dict(size=14), cliponaxis=False, showlegend=False,
                    hoverinfo="skip", row=2, col=1)
    fig.add_scatter(x=[0, tc.CLOCK_DAYS], y=[1, 1], mode="lines", line=dict(color="black", width=1, dash="dot"),
                    name="no difference (ratio 1)", hoverinfo="skip", showlegend=False, row=3, col=1)
    effects = tc.clock_effects()
    for group, colour, symbol in (("placebo", PALETTE[0], "diamond"), ("pindolol", PALETTE[3], "square")):
        part = effects[effects["comparison"].str.contains(group)]
        labels = [f"{c.split(' vs ')[0]}: {m} {e:g}" for c, m, e in
                  zip(part["comparison"], part["metric"], part["estimate"])]
        fig.add_scatter(x=part["day"], y=part["estimate"], mode="markers+text", name=CLOCK_GROUPS[group],
                        marker={"color": colour, "size": 11, "symbol": symbol}, text=labels,
                        textposition=[CLOCK_LABEL_POSITION[i] for i in part["id"]], textfont={"size": 13},
                        error_y={"type": "data", "array": part["ci_high"] - part["estimate"],
                                 "arrayminus": part["estimate"] - part["ci_low"], "color": colour},
                        error_x={"type": "data", "array": part["window"], "color": colour},
                        customdata=np.stack([part["outcome"], part["comparison"], part["citation"],
                                             part["ci_low"], part["ci_high"]], axis=-1),
                        hovertemplate="%{customdata[1]}: %{customdata[0]}<br>%{y:.2f} (95% CI %{customdata[3]:.2f}-"
                                      "%{customdata[4]:.2f}), %{customdata[2]}<extra></extra>", row=3, col=1)
    for row in (1, 2, 3):
        fig.update_xaxes(range=[0, tc.CLOCK_DAYS], dtick=7, row=row, col=1)
    fig.update_xaxes(title="days since the first dose (gridlines every week)", row=3, col=1)
    fig.update_yaxes(range=list(PERCENT_RANGE), title="%", row=1, col=1)
    fig.update_yaxes(range=list(PERCENT_RANGE), title="%", row=2, col=1)
    # a few labelled ticks: plotly's default log labels (0.5 ... 0.9, 2 ... 4) piled up on this short panel
    fig.update_yaxes(type="log", range=list(RATIO_RANGE), title="ratio", tickvals=[0.5, 1, 2, 4, 8],
                     ticktext=["0.5", "1", "2", "4", "8"], row=3, col=1)
    base_layout(fig, CLOCKS_TITLE, height=760)
    fig.update_layout(legend=dict(y=-0.12))
    update_clocks_figure(fig, time_constant_days)
    return fig


def update_clocks_figure(fig: go.Figure, time_constant_days: float) -> None:
    """Put a new time constant into an existing :func:`clocks_figure`, in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
        A figure made by :func:`clocks_figure`; changed in place.
    time_constant_days : float
        The teaching model's time constant (days).

    Notes
    -----
    Changes the adapted fraction (y, %) and the 90%-adapted marker and its label (x, y, text; parked off the
    axis when 90% is not reached within it). The occupancy curve and the trial results stay as built.
    """
    _occ, adapted, marker, _one, _placebo, _pindolol = fig.data
    curve = 100 * tc.adaptation_curve(time_constant_days)
    adapted.y = curve
    day = tc.days_to_adapt(time_constant_days)
    within = day <= tc.CLOCK_DAYS
    marker.update(x=[day if within else PARKED], y=[90.0],
                  text=[f"90% adapted: day {day:.0f}" if within else "90% adapted: beyond the axis"],
                  textposition="bottom right" if day < 0.6 * tc.CLOCK_DAYS else "bottom left")


def describe_clocks(time_constant_days: float) -> str:
    """The three clocks in words, for the chosen time constant of the teaching model."""
    option = _option(tc.short_option())
    hours = float(option["hours"])
    day90 = tc.days_to_adapt(time_constant_days)
    effects = tc.clock_effect_rows()
    taylor, early, late = (effects[i] for i in ("tc-es-taylor2006-week1", "tc-es-ballesteros2004-2wk",
                                                "tc-es-ballesteros2004-4to6wk"))
    text = (f"Occupancy (top) rises within hours of the first dose and is near its plateau within about "
            f"{_days(tc.days_to_fraction(hours, 0.9))}, the time the level needs to reach 90% of steady state "
            f"({data.drug_name(option['drug']).lower()}, half-life {hours:g} h). ")
    text += (f"The teaching model (middle) follows occupancy with a time constant of {time_constant_days:g} days: "
             + (f"it is 90% adapted on day {day90:.0f}. " if day90 <= tc.CLOCK_DAYS else
                f"it is not 90% adapted within {tc.CLOCK_DAYS} days. ")
             + "Any slow process downstream of occupancy would look like this; the model does not say which. ")
    text += ("The trial results (bottom) come from different studies, populations and measures, placed at the "
             "week each was measured; they are not a time course of one effect. ")
    text += (f"SSRIs already beat placebo at the end of week 1 ({taylor['metric']} "
             f"{taylor['estimate']:g}, 95% CI {taylor['ci_low']:g}-{taylor['ci_high']:g}, {taylor['citation']}), and "
             f"adding pindolol increased response at 2 weeks (OR {early['estimate']:g}, {early['ci_low']:g}-"
             f"{early['ci_high']:g}) but not clearly at 4-6 weeks (OR {late['estimate']:g}, {late['ci_low']:g}-"
             f"{late['ci_high']:g}; {early['citation']}).")
    return text


# --- 3. Tapering ------------------------------------------------------------------------------------------------

TAPER_TITLE = "Two ways to taper"
BAR_OFFSET = 0.2  # where plotly puts two grouped bars either side of their category (bargap 0.2, bargroupgap 0)


def taper_figure(start_multiple: float, n_steps: int) -> go.Figure:
    """Top: dose at each step (% of the starting dose) for a linear and a hyperbolic taper; bottom: occupancy
    lost in each step (percentage points).

    Traces: 0 linear doses, 1 hyperbolic doses (top), 2 linear occupancy lost, 3 hyperbolic occupancy lost
    (bars, bottom), 4 the bars' values (text above each bar). The x axes (steps) are fitted to ``n_steps``.
    """
    fig = make_subplots(rows=2, cols=1, vertical_spacing=0.14,
                        subplot_titles=("dose after each step (% of the starting dose)",
                                        "occupancy lost in each step (percentage points)"))
    fig.add_scatter(mode="lines+markers", name="linear: equal dose steps", line=dict(color=LINEAR_COLOUR, width=2.5),
                    marker=dict(size=9, symbol="square"), hovertemplate="after step %{x}: %{y:.0f}% of the starting "
                    "dose<extra>linear</extra>", row=1, col=1)
    fig.add_scatter(mode="lines+markers", name="hyperbolic: equal occupancy steps (Horowitz & Taylor 2019)",
                    line=dict(color=HYPERBOLIC_COLOUR, width=2.5, dash="dash"), marker=dict(size=9),
                    hovertemplate="after step %{x}: %{y:.1f}% of the starting dose<extra>hyperbolic</extra>",
                    row=1, col=1)
    fig.add_bar(name="linear", marker=dict(color=LINEAR_COLOUR, pattern=dict(shape="/")), showlegend=False,
                hovertemplate="step %{x}: %{y:.1f} points lost<extra>linear</extra>", row=2, col=1)
    fig.add_bar(name="hyperbolic", marker=dict(color=HYPERBOLIC_COLOUR), showlegend=False,
                hovertemplate="step %{x}: %{y:.1f} points lost<extra>hyperbolic</extra>", row=2, col=1)
    # The bars' values as a text trace above them (bar text placed 'outside' is laid out again at every step)
    fig.add_scatter(mode="text", textposition="top center", textfont={"size": 13}, cliponaxis=False,
                    showlegend=False, hoverinfo="skip", name="points lost", row=2, col=1)
    fig.update_yaxes(range=[0, 105], title="% of start", row=1, col=1)
    fig.update_yaxes(range=[0, 105], title="points", row=2, col=1)
    base_layout(fig, TAPER_TITLE, height=620)
    fig.update_layout(barmode="group", legend=dict(y=-0.16))
    update_taper_figure(fig, start_multiple, n_steps)
    return fig


def update_taper_figure(fig: go.Figure, start_multiple: float, n_steps: int) -> None:
    """Put a new taper into an existing :func:`taper_figure`, in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
        A figure made by :func:`taper_figure`; changed in place.
    start_multiple : float
        Starting daily dose in multiples of the half-maximal dose.
    n_steps : int
        Number of equal-length steps down to zero.

    Notes
    -----
    Changes both dose lines (x: step, y: % of the start), both bar series (x: step, y: points lost), the
    values written above the bars (x, y, text) and the x ranges of both panels (to fit ``n_steps``).
    """
    lin_dose, hyp_dose, lin_lost, hyp_lost, values = fig.data
    plan = tc.taper_plan(start_multiple, n_steps)
    steps = np.arange(0, len(plan) + 1)
    lin_dose.update(x=steps, y=100 * np.r_[plan["linear_from"].iloc[0], plan["linear_to"]] / start_multiple)
    hyp_dose.update(x=steps, y=100 * np.r_[plan["hyperbolic_from"].iloc[0], plan["hyperbolic_to"]] / start_multiple)
    lin, hyp = 100 * plan["linear_lost"].to_numpy(), 100 * plan["hyperbolic_lost"].to_numpy()
    step = plan["step"].to_numpy()
    lin_lost.update(x=step, y=lin)
    hyp_lost.update(x=step, y=hyp)
    # grouped bars sit 0.2 either side of the step (default gaps); each value 1 point above its bar
    values.update(x=np.r_[step - BAR_OFFSET, step + BAR_OFFSET], y=np.r_[lin, hyp] + 1,
                  text=[f"{v:.0f}" for v in np.r_[lin, hyp]])
    n = len(plan)
    if tuple(fig.layout.xaxis2.range or ()) != (0.4, n + 0.6):  # only a new number of steps changes the axes
        fig.update_xaxes(range=[-0.3, n + 0.3], dtick=1, row=1, col=1)
        fig.update_xaxes(range=[0.4, n + 0.6], dtick=1, title="step", row=2, col=1)


def describe_taper(start_multiple: float, n_steps: int) -> str:
    """The two tapers in words: occupancy lost in the first and the last step of each."""
    plan = tc.taper_plan(start_multiple, n_steps)
    lin, hyp = plan["linear_lost"], plan["hyperbolic_lost"]
    start_occ = float(pk.occupancy_at(start_multiple))
    return (f"Starting at {start_multiple:g} × the half-maximal dose (occupancy {_pct(start_occ)}) and stopping in "
            f"{int(n_steps)} steps: the linear taper removes the same dose each step, but its first step lowers "
            f"occupancy by {100 * lin.iloc[0]:.1f} points and its last by {100 * lin.iloc[-1]:.1f} "
            f"({lin.iloc[-1] / max(lin.iloc[0], 1e-12):.0f} times as much). The hyperbolic taper removes "
            f"{100 * hyp.iloc[0]:.1f} points every step, so its dose steps shrink: its last step before zero goes "
            f"from {plan['hyperbolic_from'].iloc[-1]:.2f} × the half-maximal dose "
            f"({100 * plan['hyperbolic_from'].iloc[-1] / start_multiple:.1f}% of the starting dose) to zero. "
            "Generic curve in multiples of the half-maximal dose, not a fit for any one drug.")
