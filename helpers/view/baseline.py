"""How big is the effect to be explained? The efficacy baseline of a themed notebook, as a figure and in words.

Each themed notebook shows, before any mechanism, how large the therapeutic benefit is: rows of
``data/effect_sizes`` marked ``baseline = yes`` for the theme. This module is theme-agnostic: it reads those
rows, draws them in up to three panels (a standardized difference on a linear axis, a ratio on a log axis,
and the two groups' rates for trials that report them) and describes every number in words. It also holds
the small arithmetic the effect-size primer works through (a number needed to treat from two rates).
"""

from __future__ import annotations

import math
import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from helpers.core import data
from helpers.core.evidence import citation
from helpers.core.validate import check_number
from helpers.view.style import PALETTE, base_layout

DIFFERENCE_METRICS = ("d", "g", "SMD")
RATIO_METRICS = ("OR", "RR", "HR")
PANELS = {  # kind -> (panel title, what "no difference" is)
    "difference": ("Standardized mean difference (SMD or Hedges g)", 0.0),
    "ratio": ("Ratio: relative risk, odds ratio or hazard ratio (log scale)", 1.0),
    "rates": ("Trials: share of each group with the outcome", None),
}
LABEL_WIDTH = 44  # characters per line of a row label
TREATED, CONTROL = PALETTE[0], PALETTE[5]  # blue circle / vermilion diamond: they differ in shape too


# --- Rows -------------------------------------------------------------------------------------------

def baseline_rows(theme: str) -> pd.DataFrame:
    """The theme's efficacy-baseline rows in file order, with ``citation`` and ``panel`` added.

    ``panel`` is ``rates`` for rows that report both groups' rates, else ``difference`` or ``ratio`` by metric.

    Raises
    ------
    helpers.core.data.DataError
        The theme has no baseline rows, or a row lacks what its panel needs.
    """
    rows = data.table("effect_sizes")
    themes = sorted(rows["theme"].unique())
    if theme not in themes:
        raise data.UnknownNameError(f"unknown theme {theme!r}; choose one of: {', '.join(themes)}")
    rows = rows[(rows["theme"] == theme) & (rows["baseline"] == "yes")].reset_index(drop=True)
    if rows.empty:
        raise data.DataError(f"data/effect_sizes/{theme}.csv has no rows with baseline = yes")
    rows["citation"] = [citation(s) for s in rows["source"]]
    rows["panel"] = [_panel(r) for _, r in rows.iterrows()]
    return rows


def _panel(row) -> str:
    where = f"effect size {row['id']!r}"
    if row["benefit_direction"] not in ("higher", "lower"):
        raise data.DataError(f"{where}: a baseline row needs benefit_direction (higher or lower)")
    if (row["ci_low"] is None) != (row["ci_high"] is None):
        raise data.DataError(f"{where}: ci_low and ci_high are filled together or not at all")
    if row["risk_treated"] is not None and row["risk_control"] is not None:
        return "rates"
    if row["estimate"] is None:
        raise data.DataError(f"{where}: needs an estimate or both groups' rates")
    if row["metric"] in DIFFERENCE_METRICS:
        return "difference"
    if row["metric"] in RATIO_METRICS:
        return "ratio"
    raise data.DataError(f"{where}: metric {row['metric']!r} cannot be drawn in the baseline figure")


def has_interval(row) -> bool:
    return row["ci_low"] is not None and row["ci_high"] is not None


# --- Arithmetic for the primer ----------------------------------------------------------------------

def nnt_from_risks(risk_treated: float, risk_control: float) -> float:
    """Number needed to treat: 1 / |risk_control - risk_treated| (risks as fractions 0 to 1).

    How many people must get the treatment instead of the comparator for one more of them to have the
    better outcome. Reported NNTs are this number rounded up to a whole person.

    Raises
    ------
    ValueError
        A risk outside 0 to 1, or two equal risks (no difference: the NNT is infinite).
    """
    treated = check_number(risk_treated, "risk_treated", low=0, high=1, hint="a fraction, 0.267 for 26.7%")
    control = check_number(risk_control, "risk_control", low=0, high=1, hint="a fraction, 0.453 for 45.3%")
    if treated == control:
        raise ValueError("the two risks are equal: no difference, so no finite number needed to treat")
    return 1.0 / abs(control - treated)


def _pct(fraction: float) -> str:
    return f"{100 * fraction:.1f}%"


def _num(value) -> str:
    return f"{float(value):g}"


def worked_examples_markdown(smd_id: str, md_id: str, rates_id: str) -> str:
    """The primer's two worked examples, every number read from ``data/effect_sizes``.

    ``smd_id`` and ``md_id`` are the same comparison as a standardized and as a raw mean difference;
    ``rates_id`` is a trial row with both groups' rates and a reported NNT, recomputed here.
    """
    rows = data.table("effect_sizes").set_index("id")
    missing = [i for i in (smd_id, md_id, rates_id) if i not in rows.index]
    if missing:
        raise data.UnknownNameError(f"unknown effect-size id(s) {missing}")
    smd, md, trial = rows.loc[smd_id], rows.loc[md_id], rows.loc[rates_id]
    if trial["risk_treated"] is None or trial["risk_control"] is None or trial["nnt"] is None:
        raise data.DataError(f"{rates_id}: the NNT example needs both rates and the reported NNT")
    nnt = nnt_from_risks(trial["risk_treated"], trial["risk_control"])
    difference = abs(trial["risk_control"] - trial["risk_treated"])
    return (
        f"*Worked example 1 (a standardized mean difference).* Pooling the placebo-controlled antidepressant "
        f"trials gives an SMD of {_num(smd['estimate'])} (95% CI {_num(smd['ci_low'])} to {_num(smd['ci_high'])}; "
        f"{citation(smd['source'])}): the average person on a drug ended about {_num(smd['estimate'])} standard "
        f"deviations better off than the average person on placebo. In the trials that used the 17-item Hamilton "
        f"scale the same comparison was {_num(md['estimate'])} points (95% CI {_num(md['ci_low'])} to "
        f"{_num(md['ci_high'])}).\n\n"
        f"*Worked example 2 (a number needed to treat).* In one esketamine trial ({citation(trial['source'])}; "
        f"notebook 02) {_pct(trial['risk_control'])} of the comparison group and {_pct(trial['risk_treated'])} of "
        f"the treated group had the outcome: {trial['outcome']}. The difference is {100 * difference:.1f} percentage points, so "
        f"1 / {difference:.3f} = {nnt:.1f} people: round up to {math.ceil(nnt - 1e-9)}. The trial reports an "
        f"NNT of {_num(trial['nnt'])}."
    )


# --- Figure -------------------------------------------------------------------------------------------

def _label(row) -> str:
    """'comparison: outcome (citation)', the comparison without its parenthesis (the description keeps it)."""
    comparison = str(row["comparison"]).split(" (")[0]
    outcome = str(row["outcome"]).split(" (")[0]
    text = f"{comparison}: {outcome} ({row['citation']})"
    if row["panel"] == "rates":
        text += f"; {_favours(row['benefit_direction'], 'rates')}"
    return "<br>".join(textwrap.wrap(text, LABEL_WIDTH))


def _favours(direction: str, kind: str) -> str:
    if kind == "difference":
        return "right of 0 favours the treatment" if direction == "higher" else "left of 0 favours the treatment"
    if kind == "ratio":
        return "above 1 favours the treatment" if direction == "higher" else "below 1 favours the treatment"
    return "higher is better" if direction == "higher" else "lower is better"


def _axis_title(rows: pd.DataFrame, kind: str) -> str:
    if kind == "rates":
        return "% of each group with the outcome<br>(circle: treatment; diamond: comparator)"
    base = "difference (0 = no difference" if kind == "difference" else "ratio, log scale (1 = no difference"
    directions = set(rows["benefit_direction"])
    side = _favours(directions.pop(), kind) if len(directions) == 1 else "the favoured side differs by row"
    hollow = "; hollow: no interval reported" if not all(has_interval(r) for _, r in rows.iterrows()) else ""
    return f"{base};<br>{side}{hollow})"


def baseline_figure(theme: str) -> go.Figure:
    """The theme's efficacy baseline: one panel per kind of number present, rows labelled with their source.

    Difference and ratio rows are points with 95% CI whiskers (a hollow point: the source gives no interval);
    a dashed line marks no difference. Trial rows show both groups' rates joined by a line.
    """
    rows = baseline_rows(theme)
    kinds = [k for k in PANELS if (rows["panel"] == k).any()]
    counts = [int((rows["panel"] == k).sum()) for k in kinds]
    lines = [sum(_label(r).count("<br>") + 1 for _, r in rows[rows["panel"] == k].iterrows()) for k in kinds]
    weights = [max(c * 1.0, l * 0.55) for c, l in zip(counts, lines)]
    fig = make_subplots(rows=len(kinds), cols=1, vertical_spacing=0.22 / len(kinds) + 0.06,
                        row_heights=[w / sum(weights) for w in weights],
                        subplot_titles=[PANELS[k][0] for k in kinds])
    for i, kind in enumerate(kinds, start=1):
        part = rows[rows["panel"] == kind]
        labels = [_label(r) for _, r in part.iterrows()]
        if kind == "rates":
            _add_rates(fig, part, labels, i)
        else:
            _add_points(fig, part, labels, i, kind)
        fig.update_yaxes(row=i, col=1, range=[len(part) - 0.5, -0.5], tickfont=dict(size=13), automargin=True)
        fig.update_xaxes(row=i, col=1, title=dict(text=_axis_title(part, kind), font=dict(size=13)))
    fig.update_annotations(font_size=14)
    base_layout(fig, "How big is the effect?<br><sup>Estimates with 95% intervals where reported</sup>",
                height=170 + sum(50 * c + 16 * l for c, l in zip(counts, lines)) + 90 * len(kinds))
    fig.update_layout(margin=dict(l=20, r=30, t=90, b=70), showlegend=False)  # the axis titles are the key
    return fig


def _add_points(fig: go.Figure, part: pd.DataFrame, labels: list[str], row: int, kind: str) -> None:
    est = [float(e) for e in part["estimate"]]
    with_ci = [has_interval(r) for _, r in part.iterrows()]
    hover = [_row_text(r) for _, r in part.iterrows()]
    for filled in (True, False):
        pick = [i for i, ok in enumerate(with_ci) if ok == filled]
        if not pick:
            continue
        trace = dict(x=[est[i] for i in pick], y=[labels[i] for i in pick], mode="markers",
                     customdata=[hover[i] for i in pick], hovertemplate="%{customdata}<extra></extra>",
                     name="estimate (95% CI)" if filled else "estimate (no interval recorded)",
                     marker=dict(size=13, symbol="square" if filled else "square-open", color=TREATED,
                                 line=dict(width=2, color=TREATED)))
        if filled:
            lo = [float(part["ci_low"].iloc[i]) for i in pick]
            hi = [float(part["ci_high"].iloc[i]) for i in pick]
            trace["error_x"] = dict(type="data", symmetric=False, array=[h - e for h, e in zip(hi, trace["x"])],
                                    arrayminus=[e - lo_ for e, lo_ in zip(trace["x"], lo)], color=TREATED,
                                    thickness=2.5, width=7)
        fig.add_trace(go.Scatter(**trace), row=row, col=1)
    no_difference = PANELS[kind][1]
    fig.add_vline(x=no_difference, line=dict(color="black", dash="dash"), row=row, col=1)
    values = est + [float(v) for v in part["ci_low"].dropna()] + [float(v) for v in part["ci_high"].dropna()]
    if kind == "ratio":
        lo, hi = min(values + [1.0]), max(values + [1.0])
        fig.update_xaxes(type="log", range=[math.log10(lo) - 0.15, math.log10(hi) + 0.15],
                         tickvals=[0.3, 0.5, 0.7, 1, 1.5, 2, 3], row=row, col=1)
    else:
        lo, hi = min(values + [0.0]), max(values + [0.0])
        pad = 0.1 * (hi - lo or 1)
        fig.update_xaxes(range=[lo - pad, hi + pad], row=row, col=1)


def _add_rates(fig: go.Figure, part: pd.DataFrame, labels: list[str], row: int) -> None:
    treated = [100 * float(v) for v in part["risk_treated"]]
    control = [100 * float(v) for v in part["risk_control"]]
    xs, ys = [], []
    for t, c, y in zip(treated, control, labels):
        xs += [t, c, None]
        ys += [y, y, None]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color="#8c8c8c", width=3), hoverinfo="skip",
                             showlegend=False), row=row, col=1)
    hover = [_row_text(r) for _, r in part.iterrows()]
    for name, values, symbol, colour, where in (("treatment", treated, "circle", TREATED, "top center"),
                                                ("comparator", control, "diamond", CONTROL, "bottom center")):
        fig.add_trace(go.Scatter(x=values, y=labels, mode="markers+text", name=name, customdata=hover,
                                 text=[f"{v:.1f}%" for v in values], textposition=where,
                                 textfont=dict(size=13), hovertemplate="%{customdata}<extra></extra>",
                                 marker=dict(size=14, symbol=symbol, color=colour)), row=row, col=1)
    fig.update_xaxes(range=[0, 100], ticksuffix="%", dtick=20, row=row, col=1)


# --- Words ------------------------------------------------------------------------------------------

def _row_text(row) -> str:
    parts = [f"{row['citation']}: {row['comparison']}, {row['outcome']}"]
    if row["estimate"] is not None:
        interval = (f" (95% CI {_num(row['ci_low'])} to {_num(row['ci_high'])})" if has_interval(row)
                    else " (no interval recorded)")
        parts.append(f"{row['metric']} {_num(row['estimate'])}{interval}")
    if row["risk_treated"] is not None and row["risk_control"] is not None:
        parts.append(f"{_pct(row['risk_treated'])} with the treatment vs {_pct(row['risk_control'])} with the comparator")
    if row["nnt"] is not None:
        parts.append(f"NNT {_num(row['nnt'])}")
    if row["n_participants"] is not None:
        parts.append(f"n = {int(row['n_participants'])}")
    return "; ".join(parts)


def describe_baseline(theme: str) -> str:
    """Every number of :func:`baseline_figure` in words, with which direction favours the treatment."""
    rows = baseline_rows(theme)
    out = []
    for kind in PANELS:
        part = rows[rows["panel"] == kind]
        if part.empty:
            continue
        head = {"difference": "Standardized differences (dashed line at 0 = no difference)",
                "ratio": "Ratios on a log scale (dashed line at 1 = no difference)",
                "rates": "Trials, share of each group with the outcome"}[kind]
        items = [f"{_row_text(r)} ({_favours(r['benefit_direction'], kind)})" for _, r in part.iterrows()]
        out.append(f"{head}: " + "; ".join(items) + ".")
    return " ".join(out)
