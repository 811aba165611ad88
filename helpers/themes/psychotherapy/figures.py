"""Plotly figures (and their text descriptions) for the psychotherapy notebook.

Builders return ``plotly.graph_objects.Figure`` and never touch widgets. Every figure has a ``describe_*``
sentence that carries its message without the picture.
"""

from __future__ import annotations

import copy
import textwrap
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from helpers.core.evidence import evidence_html
from helpers.themes.psychotherapy import mediation
from helpers.themes.psychotherapy import model as psychotherapy
from helpers.view.style import PALETTE, base_layout

# Colour-blind-safe categorical colours (Okabe-Ito) for the scorecard ratings, plus a neutral grey. Each cell
# also carries its rating as text, so colour is never the only cue.
# Ordered from best to worst supported (blue, light blue, reddish purple, vermillion); 'untested' is a neutral
# grey at the end, outside the order, because "no adequate study yet" is not worse than "contested".
RATING_COLOURS = {
    "met": "#0072B2",  # blue
    "partly": "#56B4E9",  # sky blue
    "contested": "#CC79A7",  # reddish purple
    "not_met": "#D55E00",  # vermillion
    "untested": "#BBBBBB",  # grey, outside the order
}
SCATTER_POINTS = 200  # the scatter shows at most this many patients (the analysis always uses all of them);
# 200 keep the cloud readable and halve the redraw time of 600 (measured: 43 -> 29 ms in plotly alone)


# --- Forest plot ----------------------------------------------------------------------------------

FOREST_TITLE = "Relationship factors (r) and routine feedback (d) and outcome:<br>meta-analytic estimates with 95% CIs"
FOREST_RANGES = ([-0.05, 0.5], [-0.1, 0.8])  # x ranges of the r panel and the d panel
# A switched-off factor's point (and a shown factor's "switched off" words) is parked this far left of its
# axis, where it is clipped: plotly.js's quick redraw moves points reliably, but a point that left (x None)
# did not come back in a later quick redraw (browser test, toggles clicked in a row).
FOREST_PARKED = 1.0
PARKED_X = tuple(left - FOREST_PARKED for left, _ in FOREST_RANGES)  # per panel
# Syntheses that share many studies with another one in the plot: id -> id of the other synthesis.
OVERLAPS = {"ps-alliance-2011": "ps-alliance-2018"}


@lru_cache(maxsize=1)
def _effect_rows():
    return psychotherapy.effect_sizes()


def _selected_effects(labels: list[str] | None):
    rows = _effect_rows()
    if labels is None:
        return rows
    unknown = sorted(set(labels) - set(rows["label"]))
    if unknown:
        raise ValueError(f"unknown factor(s) {unknown}; choose from: {', '.join(rows['label'])}")
    return rows[rows["label"].isin(labels)]


def forest_trace_data(labels: list[str] | None = None) -> list[dict]:
    """Per panel (r, then d): x, y, asymmetric CI error bars and hover text, one row per factor.

    Every factor keeps its row; the point of a factor that is not selected is parked left of the axis
    (:data:`FOREST_PARKED`), where it is clipped, so switching factors on and off moves no row and redraws
    only points (see ``forest_off_labels``).
    """
    _selected_effects(labels)  # validates the labels
    return copy.deepcopy(_forest_trace_data(None if labels is None else frozenset(labels)))


@lru_cache(maxsize=None)
def _forest_trace_data(labels: frozenset | None) -> list[dict]:
    out = []
    for part, parked in zip(_forest_panels(), PARKED_X):
        shown = [labels is None or label in labels for label in part["label"]]

        hover = [f"{metric} = {e:.3g} (95% CI {lo:.3g} to {hi:.3g}); k = {k} studies or samples"
                 f"{'' if n is pd.NA else f', {int(n):,} participants'}{_overlap_text(i)}"
                 for metric, e, lo, hi, k, n, i in zip(part["metric"], part["estimate"], part["ci_low"],
                                                       part["ci_high"], part["k_studies"], part["n_participants"],
                                                       part["id"])]
        out.append(dict(x=[x if on else parked for x, on in zip(part["estimate"], shown)], y=list(part["label"]),
                        error_x=dict(type="data", symmetric=False, array=list(part["ci_high"] - part["estimate"]),
                                     arrayminus=list(part["estimate"] - part["ci_low"])),
                        customdata=hover))
    return out


FOREST_OFF_TEXT = "switched off"


def forest_off_labels(labels: list[str] | None = None) -> list[dict]:
    """Per panel (r, then d): the words :data:`FOREST_OFF_TEXT` on the row of each factor that is switched off,
    so an empty row never reads as a missing estimate.

    Every row carries the words; on a row whose factor is on they are parked left of the axis like the
    points, so a toggle only moves words and points (plotly.js's quick redraw did not draw a text that
    turned from empty to non-empty).
    """
    _selected_effects(labels)  # validates the labels
    return [dict(x=[parked if labels is None or label in labels else 0 for label in part["label"]],
                 y=list(part["label"]), text=[FOREST_OFF_TEXT] * len(part))
            for part, parked in zip(_forest_panels(), PARKED_X)]


def _forest_panels() -> list[pd.DataFrame]:
    """The effect rows of the correlation panel, then of the Cohen's d panel, in plotting order."""
    rows = _effect_rows()
    return [rows[rows["metric"] == metric] for metric in ("r", "d")]


@lru_cache(maxsize=None)
def _overlap_text(effect_id: str) -> str:
    if effect_id not in OVERLAPS:
        return ""
    rows = _effect_rows().set_index("id")
    return f"; shares many studies with {rows.at[OVERLAPS[effect_id], 'citation']}"


def forest_figure(labels: list[str] | None = None) -> go.Figure:
    """Forest plot of the theme's effect sizes: correlations (r) and between-group d on separate axes.

    Parameters
    ----------
    labels : list of str, optional
        Keep only these factors (values of ``psychotherapy.effect_sizes()['label']``); default all.

    Traces: 0 correlations (points with 95% CI bars), 1 between-group d (same, on its own axis), 2 and 3 the
    "switched off" words of those panels.
    """
    fig = make_subplots(rows=2, cols=1, row_heights=[0.75, 0.25], vertical_spacing=0.24,
                        subplot_titles=("Correlation of a relationship factor with outcome (r)",
                                        "Routine feedback vs none: a between-group difference<br>on its own axis "
                                        "and scale (Cohen's d)"))
    styles = ((PALETTE[0], "square", "correlation r"), (PALETTE[5], "diamond", "Cohen's d"))
    for row, (trace, (colour, symbol, name)) in enumerate(zip(forest_trace_data(labels), styles), start=1):
        trace["error_x"].update(color=colour, thickness=2)
        fig.add_scatter(**trace, mode="markers", row=row, col=1, marker=dict(color=colour, size=12, symbol=symbol),
                        name=name, hovertemplate="%{y}<br>%{customdata}<extra></extra>")
    for row, off in enumerate(forest_off_labels(labels), start=1):  # written from the zero line into the empty row
        fig.add_scatter(**off, mode="text", textposition="middle right", row=row, col=1,
                        textfont=dict(color="#555", size=13), hoverinfo="skip", name="switched off")
    fig.update_xaxes(range=FOREST_RANGES[0], title="r (0 = no association)", row=1, col=1, zeroline=True,
                     zerolinecolor="#444")
    fig.update_xaxes(range=FOREST_RANGES[1], title="d (0 = no difference)", row=2, col=1, zeroline=True,
                     zerolinecolor="#444")
    # Factor names are long: each tick shows the factor, then its source on a second line. Every factor keeps
    # its row (fixed order and range), so toggling factors moves points only, never rows or tick text.
    for row, part in enumerate(_forest_panels(), start=1):
        fig.update_yaxes(tickmode="array", tickvals=list(part["label"]), ticktext=[_tick(lab) for lab in part["label"]],
                         categoryorder="array", categoryarray=list(part["label"]), range=[-0.5, len(part) - 0.5],
                         tickfont=dict(size=13), automargin=True, row=row, col=1)
    fig.update_layout(showlegend=False)
    # Subplot titles start at the left edge of the plotting area: centred over it they ran off the figure.
    fig.update_annotations(x=0, xanchor="left", align="left", font=dict(size=14))
    fig = base_layout(fig, forest_title(labels), height=600)
    fig.update_layout(margin=dict(l=20, t=110))
    return fig


FOREST_EMPTY_TITLE = "No factor selected: switch at least one factor on"


def forest_title(labels: list[str] | None = None) -> str:
    """Title of :func:`forest_figure`: :data:`FOREST_TITLE`, or a request to switch a factor on if none is."""
    return FOREST_EMPTY_TITLE if labels is not None and not labels else FOREST_TITLE


def update_forest_figure(fig: go.Figure, labels: list[str] | None = None) -> None:
    """Show other factors in an existing :func:`forest_figure`, in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
        A figure made by :func:`forest_figure`; changed in place.
    labels : list of str, optional
        The factors switched on (values of ``effect_sizes()['label']``); default all, none asks for one.

    Notes
    -----
    Changes only positions: each panel's points (x: r or d; a switched-off factor's point is parked left of
    the axis) and "switched off" words (x, parked where the factor is on), and the title. Rows, intervals,
    hover text and axes stay as built, so a toggle moves only points.
    """
    for trace, new in zip(fig.data, [*forest_trace_data(labels), *forest_off_labels(labels)]):
        trace.x = new["x"]
    fig.layout.title.text = forest_title(labels)


def _tick(label: str) -> str:
    """'factor (Source year)' as two lines, the factor wrapped at about 36 characters."""
    factor, _, source = label.partition(" (")
    return "<br>".join([*textwrap.wrap(factor, 36), *([f"({source}"] if source else [])])


def describe_forest(labels: list[str] | None = None) -> str:
    """What the forest plot shows, with every estimate and interval read from data/."""
    _selected_effects(labels)  # validates the labels
    return _describe_forest(None if labels is None else frozenset(labels))


@lru_cache(maxsize=None)
def _describe_forest(labels: frozenset | None) -> str:
    rows = _selected_effects(None if labels is None else list(labels))
    if rows.empty:
        return "No factor is selected, so the plot is empty. Switch at least one factor on."
    parts = []
    for metric, words in (("r", "Correlations with outcome"), ("d", "Between-group differences (Cohen's d, "
                                                                       "its own axis)")):
        part = rows[rows["metric"] == metric].sort_values("estimate", ascending=False)
        if len(part):
            items = "; ".join(f"{lab} {metric} = {e:.2f} (95% CI {lo:.2f} to {hi:.2f}, k = {k}, {cit})"
                              for lab, e, lo, hi, k, cit in zip(part["short"], part["estimate"], part["ci_low"],
                                                                part["ci_high"], part["k_studies"], part["citation"]))
            parts.append(f"{words}: {items}.")
    above = "Every interval shown lies above zero" if (rows["ci_low"] > 0).all() else "Some intervals include zero"
    notes = [f"{above}; a wider bar means fewer or more varied studies."]
    shown = set(rows["id"])
    for effect_id, other in OVERLAPS.items():
        if {effect_id, other} <= shown:
            notes.append("The two alliance estimates share many studies, so they are not independent replications.")
    for d in rows.loc[rows["metric"] == "d", "estimate"]:
        notes.append(f"The d panel uses a different axis on purpose: re-expressed as a correlation, d = {d:.2f} is "
                     f"about r = {psychotherapy.d_to_r(d):.2f}, and it compares conditions, whereas the correlations "
                     "are associations within treated patients.")
    return " ".join(parts + notes)


# --- Mediation simulator ----------------------------------------------------------------------------

# Short tick labels (the axis title spells out T, M and O): "a: therapy → mediator" ran into the next label at
# 1280 px, since each of the four bars has about 65 px.
PATHS = ("a<br>T → M", "b<br>M → O", "a×b<br>indirect", "c′<br>direct")
PATHS_KEY = "T therapy, M mediator (alliance), O outcome"


def _path_values(result: mediation.Estimate) -> tuple[list[float], list[float], list[float], list[float]]:
    s = result.scenario
    true = [s.a, s.b, s.true_indirect, s.c_prime]
    est = [result.a_hat, result.b_hat, result.indirect_hat, result.c_prime_hat]
    ab_hi, ab_lo = result.indirect_high - result.indirect_hat, result.indirect_hat - result.indirect_low
    t = result.t_crit
    upper = [t * result.se_a, t * result.se_b, ab_hi, t * result.se_c_prime]
    lower = [t * result.se_a, t * result.se_b, ab_lo, t * result.se_c_prime]
    return true, est, upper, lower


def scatter_sample(result: mediation.Estimate) -> dict[str, np.ndarray]:
    """At most :data:`SCATTER_POINTS` patients for the scatter panel (the first ones: deterministic)."""
    p = mediation.simulate_patients(result.scenario)
    k = min(len(p["outcome"]), SCATTER_POINTS)
    return {name: values[:k] for name, values in p.items()}


BAR_OFFSET = 0.21  # centre of each bar in a group, in category units from the tick (bargap 0.16, 2 bars)
BAR_LABEL_FONT = dict(size=13)
TITLE_FONT = dict(size=14)
TITLE_LINE_PX = 18  # one line of a 14 px subplot title
ESTIMATE_LABELS, CORRELATION_LABEL = 4, 5  # trace indexes of the two text traces


def mediation_figure(result: mediation.Estimate) -> go.Figure:
    """Left: true versus estimated paths (with 95% CIs). Right: measured mediator against outcome.

    Traces: 0 true paths, 1 estimated paths, 2 control patients, 3 therapy patients, 4 the value labels of
    the estimated bars (placed beyond the end of each 95% interval so the interval line never crosses them;
    the true bars carry their own text), 5 the naive correlation, written under the right panel's title.
    Annotations: the two subplot titles, which never change. Every number that moves with the controls is
    trace data and both panels' axis ranges change in steps, so most slider steps change only trace data,
    which the live figure redraws without redrawing axes, legend and titles
    (:meth:`helpers.view.figure_widget.FigureWidget.batch_redraw`).
    """
    true, est, upper, lower = _path_values(result)
    fig = make_subplots(rows=1, cols=2, column_widths=[0.56, 0.44], horizontal_spacing=0.16,
                        subplot_titles=("True causal paths vs<br>what the analysis estimates", "Naive correlation"))
    positions = list(range(len(PATHS)))  # a numeric axis with the path names as tick labels, so the value
    # labels can sit beside each bar's centre (category axes only take category names)
    fig.add_bar(x=positions, y=true, name="true (set by you)", marker_color=PALETTE[0], row=1, col=1,
                texttemplate="%{y:.2f}", textposition="outside", textfont=BAR_LABEL_FONT, constraintext="none",
                cliponaxis=False)
    fig.add_bar(x=positions, y=est, name="estimated from the trial (95% CI)", marker_color=PALETTE[1],
                marker_pattern_shape="/", row=1, col=1,
                error_y=dict(type="data", symmetric=False, array=upper, arrayminus=lower, color="#333"))
    sample = scatter_sample(result)
    for arm, colour, symbol in ((0.0, PALETTE[7], "circle-open"), (1.0, PALETTE[2], "triangle-up")):
        keep = sample["treated"] == arm
        fig.add_scatter(x=sample["mediator_measured"][keep], y=sample["outcome"][keep], mode="markers",
                        name="control patients" if arm == 0 else "therapy patients", row=1, col=2,
                        marker=dict(color=colour, size=6, symbol=symbol, opacity=0.6))
    fig.add_scatter(x=[i + BAR_OFFSET for i in positions], y=[0.0] * len(PATHS), mode="text", textfont=BAR_LABEL_FONT,
                    cliponaxis=False, hoverinfo="skip", showlegend=False, name="estimated values", row=1, col=1)
    fig.add_scatter(x=[0.0], y=[0.0], mode="text", textposition="top center", textfont=TITLE_FONT,
                    cliponaxis=False, hoverinfo="skip", showlegend=False, name="naive correlation", row=1, col=2)
    fig.update_xaxes(tickvals=positions, ticktext=list(PATHS), range=[-0.5, len(PATHS) - 0.5], tickangle=0,
                     tickfont=dict(size=13), showgrid=False, row=1, col=1)
    fig.update_yaxes(title="effect (SD units)", row=1, col=1)
    fig.update_xaxes(title=dict(text=PATHS_KEY, font=dict(size=13)), row=1, col=1)
    fig.update_xaxes(title="measured mediator<br>(alliance rating, SD units)", row=1, col=2)
    fig.update_yaxes(title="outcome (improvement, SD units)", row=1, col=2)
    fig.update_layout(barmode="group", bargap=0.16, bargroupgap=0.0)
    fig = base_layout(fig, "Simulated trial: is the mediator the mechanism?", height=560)
    fig.update_layout(margin=dict(t=100, b=130), legend=dict(orientation="h", x=0, y=-0.27, yanchor="top"))
    fig.update_annotations(font=TITLE_FONT)  # the two subplot titles
    fig.layout.annotations[1].yshift = TITLE_LINE_PX  # one line up: the correlation is its second line
    update_mediation_figure(fig, result)
    return fig


def update_mediation_figure(fig: go.Figure, result: mediation.Estimate) -> None:
    """Put a new result into an existing :func:`mediation_figure`, in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
        A figure made by :func:`mediation_figure`; changed in place.
    result : mediation.Estimate
        The simulated trial and its analysis.

    Notes
    -----
    Changes the true and estimated path bars (y, SD units) with their 95% intervals, the patients' points
    (x: measured mediator, y: outcome, SD units), the value labels (position and text) and the naive
    correlation; and the axis ranges (SD units), which move in steps so most slider steps leave them alone
    (unchanged values send nothing, keeping the quick redraw).
    """
    true, est, upper, lower = _path_values(result)
    fig.data[0].y = true
    fig.data[1].y = est
    fig.data[1].error_y.array, fig.data[1].error_y.arrayminus = upper, lower
    sample = scatter_sample(result)
    for trace_index, arm in ((2, 0.0), (3, 1.0)):
        keep = sample["treated"] == arm
        fig.data[trace_index].x = sample["mediator_measured"][keep]
        fig.data[trace_index].y = sample["outcome"][keep]
    axis = _bar_range(true, est, upper, lower)
    fig.layout.yaxis.range = axis  # unchanged values send nothing, so most steps keep the quick redraw
    ys, positions = _estimate_label_places(est, upper, lower, axis)
    fig.data[ESTIMATE_LABELS].update(y=ys, textposition=positions, text=[mediation.fmt(e) for e in est])
    x_range = _scatter_range(sample["mediator_measured"])
    y_range = _scatter_range(sample["outcome"])
    fig.layout.xaxis2.range, fig.layout.yaxis2.range = x_range, y_range
    fig.data[CORRELATION_LABEL].update(x=[sum(x_range) / 2], y=[y_range[1]], text=[correlation_label(result)])


def _estimate_label_places(est, upper, lower, axis: list[float]) -> tuple[list[float], list[str]]:
    """Where each estimate's value goes: just beyond the far end of its 95% interval.

    Where that end lies beyond the (capped) axis, the label sits just inside the panel's edge instead, so it
    never runs into the subplot title above or the category labels below. Returns heights (SD units) and
    plotly text positions ("top center" = text above the point).
    """
    lo, hi = axis
    pad = 0.03 * (hi - lo)
    ys, positions = [], []
    for e, u, l in zip(est, upper, lower):
        end = e + u + pad if e >= 0 else e - l - pad
        if end > hi - 3 * pad:
            y, above = hi - pad / 2, False
        elif end < lo + 3 * pad:
            y, above = lo + pad / 2, True
        else:
            y, above = end, e >= 0
        ys.append(y)
        positions.append("top center" if above else "bottom center")
    return ys, positions


def correlation_label(result: mediation.Estimate) -> str:
    return f"r(mediator, outcome) = {result.naive_r:.2f}"


AXIS_BASE = 2.5  # the left panel always shows at least -2.5 to 2.5 SD units
AXIS_CAP = 4.5  # ... and never more than -4.5 to 4.5 (every true value, at most 2 x 2 = 4, always fits)
AXIS_STEP = 0.5  # its ends move in half-SD steps, so small slider moves leave the axis alone


def _bar_range(true, est, upper, lower) -> list[float]:
    """Axis range of the left panel: widened in steps to fit values and intervals, but capped at +/- AXIS_CAP.

    The cap clips the axis, never the data: an estimate beyond it is named in the description as off-scale, so
    an extreme setting cannot squash the true bars into an unreadable sliver.
    """
    hi = max(AXIS_BASE, *(e + u for e, u in zip(est, upper)), *true) + 0.3
    lo = min(-AXIS_BASE, *(e - l for e, l in zip(est, lower)), *true) - 0.3
    hi, lo = np.ceil(hi / AXIS_STEP) * AXIS_STEP, np.floor(lo / AXIS_STEP) * AXIS_STEP
    return [float(max(lo, -AXIS_CAP)), float(min(hi, AXIS_CAP))]


def _scatter_range(values: np.ndarray) -> list[float]:
    """Axis range for one scatter axis: every shown patient inside, ends on whole SD units (so it changes in
    steps, not with every slider move)."""
    return [float(np.floor(values.min() - 0.25)), float(np.ceil(values.max() + 0.25))]


def off_scale_note(result: mediation.Estimate) -> str:
    """A sentence naming estimates (or interval ends) that lie beyond the capped axis ('' when none)."""
    true, est, upper, lower = _path_values(result)
    lo, hi = _bar_range(true, est, upper, lower)
    names = ("a", "b", "a×b", "c′")
    beyond = [f"{n} = {mediation.fmt(e)}" for n, e in zip(names, est) if not lo <= e <= hi]
    cut = [n for n, e, u, l in zip(names, est, upper, lower) if lo <= e <= hi and (e + u > hi or e - l < lo)]
    text = ""
    if beyond:
        text += f" Off the scale of the left panel (the bar is cut at the edge): estimated {', '.join(beyond)}."
    if cut:
        text += f" The 95% interval of {', '.join(cut)} extends beyond the panel."
    return text


def describe_mediation(result: mediation.Estimate) -> str:
    """The simulator's message in words: truth, estimate, naive correlation and a verdict."""
    s, f = result.scenario, mediation.fmt
    shown = min(s.n, SCATTER_POINTS)
    extras = []
    if s.confounding:
        extras.append(f"a patient trait raises both mediator and outcome (strength {f(s.confounding)})")
    if s.reverse:
        extras.append(f"improvement already made leaks into the mediator rating (strength {f(s.reverse)})")
    setting = "; ".join(extras) if extras else "no confounding and no reverse causation"
    return (f"{s.n:,} simulated patients (seed {s.seed}), mediator measured {s.timing}; {setting}. "
            f"True indirect effect a×b = {f(s.a)} × {f(s.b)} = {f(s.true_indirect)}; estimated "
            f"{f(result.indirect_hat)} (95% CI {mediation.fmt_interval(result.indirect_low, result.indirect_high)}). "
            f"True b = {f(s.b)}, estimated {f(result.b_hat)}; true a = {f(s.a)}, estimated {f(result.a_hat)}; "
            f"true direct effect c′ = {f(s.c_prime)}, estimated {f(result.c_prime_hat)}. "
            f"Mediator and outcome correlate at r = {f(result.naive_r)} (scatter: first {shown:,} patients). "
            f"{mediation.verdict(result)}{off_scale_note(result)}")


# --- Scorecard heatmap ------------------------------------------------------------------------------

def _rating_colourscale() -> list[list]:
    """Step colourscale: rating code k (0..4) maps to the k-th colour of :data:`RATING_COLOURS`."""
    colours = [RATING_COLOURS[r] for r in psychotherapy.RATINGS]  # same order as RATINGS
    k = len(colours)
    scale = []
    for i, colour in enumerate(colours):
        scale += [[i / k, colour], [(i + 1) / k, colour]]
    return scale


def scorecard_figure(selected: str | None = None) -> go.Figure:
    """Treatment x criterion heatmap of ratings; each cell also says its rating in words.

    Trace 0 is the heatmap; shape 0 outlines the selected treatment's row (hidden when none is selected).
    """
    matrix = psychotherapy.rating_matrix()
    codes = {r: i for i, r in enumerate(psychotherapy.RATINGS)}
    z = [[codes[v] for v in row] for row in matrix.to_numpy()]
    text = [[psychotherapy.RATINGS[v] for v in row] for row in matrix.to_numpy()]
    x = [psychotherapy.CRITERIA[c][0] for c in matrix.columns]
    y = [psychotherapy.TREATMENTS[t] for t in matrix.index]
    n = len(psychotherapy.RATINGS)
    fig = go.Figure(go.Heatmap(
        z=z, x=x, y=y, text=text, texttemplate="%{text}", textfont=dict(size=13),
        colorscale=_rating_colourscale(), zmin=-0.5, zmax=n - 0.5, xgap=3, ygap=3,
        colorbar=dict(title=dict(text="rating", side="top"), tickvals=list(range(n)),
                      ticktext=list(psychotherapy.RATINGS.values()), orientation="h", x=0, xanchor="left",
                      y=-0.2, yanchor="top", len=1, thickness=18),
        hovertemplate="%{y}, %{x}: %{text}<extra></extra>"))
    # Layout only: long criterion and treatment names wrap onto two lines (the data keep the full names), and
    # the colour key sits under the grid, so each cell is wide enough for its rating in words.
    fig.update_yaxes(autorange="reversed", tickvals=y, ticktext=[_wrap_tick(label, 14) for label in y],
                     ticklabelstandoff=8)
    fig.update_xaxes(tickangle=0, tickvals=x, ticktext=[_wrap_tick(label, 13) for label in x], tickfont=dict(size=13))
    fig.add_shape(type="rect", xref="paper", x0=0, x1=1, y0=-0.5, y1=0.5, line=dict(color="black", width=4),
                  fillcolor="rgba(0,0,0,0)", visible=False)
    fig = base_layout(fig, SCORECARD_TITLE, height=500)
    fig.update_layout(margin=dict(l=20, r=20, b=110))
    if selected is not None:
        update_scorecard_figure(fig, selected)
    return fig


SCORECARD_TITLE = "Mechanism scorecard: how far each leading mechanism meets the criteria"


def _wrap_tick(label: str, width: int) -> str:
    return "<br>".join(textwrap.wrap(label, width))


def update_scorecard_figure(fig: go.Figure, selected: str) -> None:
    """Outline one treatment's row of an existing :func:`scorecard_figure`, in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
        A figure made by :func:`scorecard_figure`; changed in place.
    selected : str
        The treatment (a key or name of ``TREATMENTS``).

    Notes
    -----
    Changes the outline (shape 0: its rows, y0 and y1 in row units, made visible) and the title (the
    treatment outlined). The ratings stay as built.
    """
    key = psychotherapy.resolve_treatment(selected)
    row = list(psychotherapy.TREATMENTS).index(key)
    fig.layout.shapes[0].update(y0=row - 0.5, y1=row + 0.5, visible=True)
    fig.layout.title.text = f"Mechanism scorecard: {psychotherapy.TREATMENTS[key]} outlined"


def describe_scorecard(selected: str) -> str:
    """Counts of ratings for the selected treatment and the overall pattern, in words."""
    key = psychotherapy.resolve_treatment(selected)
    counts = psychotherapy.rating_counts(key)
    listed = ", ".join(f"{counts[r]} {psychotherapy.RATINGS[r]}" for r in psychotherapy.RATINGS if counts[r])
    all_met = [psychotherapy.TREATMENTS[t] for t in psychotherapy.TREATMENTS
               if psychotherapy.rating_counts(t)["met"] == len(psychotherapy.CRITERIA)]
    overall = ("No treatment's leading mechanism meets all seven criteria." if not all_met
               else f"Meeting all seven: {', '.join(all_met)}.")
    benefit = psychotherapy.efficacy(key)
    return (f"Rows are treatments, columns the seven criteria; each cell names its rating in words and colour. "
            f"{psychotherapy.TREATMENTS[key]} (outlined; mechanism: {psychotherapy.mechanism(key)}): {listed}. "
            f"How big its benefit is: {benefit['efficacy']} ({benefit['source']}). {overall}")


def part_ab_html(treatment: str) -> str:
    """Part A (blue box) and Part B (orange box) of one treatment, side by side, as HTML."""
    import html

    info = psychotherapy.part_a_b(treatment)
    # A translucent tint and the theme's own text colour: readable in JupyterLab's light and dark themes.
    box = ('<div style="flex:1;border:1px solid {c};border-left:6px solid {c};padding:0.3em 0.8em;background:{bg}">'
           '<b>{title}</b><br>{body}</div>')
    part_a = box.format(c="#0072B2", bg="rgba(0,114,178,0.08)", title="Part A: what it does",
                        body=f"{html.escape(info['part_a'])} <i>({html.escape(info['part_a_citation'])})</i>")
    part_b = box.format(c="#D55E00", bg="rgba(213,94,0,0.08)", title="Part B: leading proposed mechanism of benefit",
                        body=html.escape(info["part_b"]))
    return f'<div style="display:flex;gap:1em;max-width:900px">{part_a}{part_b}</div>'


def treatment_row_html(treatment: str) -> str:
    """How big the selected treatment's benefit is (efficacy, with its source), then its seven criteria with
    explanations and citations, as HTML."""
    import html

    benefit = psychotherapy.efficacy(treatment)
    size = (f"<p><b>How big the benefit is:</b> {html.escape(benefit['efficacy'])} "
            f"<i>({html.escape(benefit['source'])})</i></p>")
    return size + evidence_html(psychotherapy.treatment_row(treatment))
