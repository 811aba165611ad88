"""Plotly figures for the ketamine notebook (02), each with a ``describe_*`` sentence.

Builders return ``plotly.graph_objects.Figure`` with a fixed trace layout (documented per builder) so
the widgets in ``helpers.themes.ketamine.widgets`` can update trace data in place.
"""

from __future__ import annotations

import textwrap

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from helpers.core import data
from helpers.core.evidence import citation
from helpers.core.pharmacology import mass_to_molar, occupancy
from helpers.core.validate import check_number
from helpers.themes.ketamine import model as ket
from helpers.view.style import PALETTE, base_layout, format_concentration, to_paper

LEVEL_RANGE_NG_ML = (10.0, 10000.0)  # x-axis and slider range of the Part A demo (plasma ng/mL)
TARGET_COLOURS = dict(zip(ket.PART_A_TARGETS, (PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3], PALETTE[4],
                                               PALETTE[5])))
CUT_GREY = "#8c8c8c"
# Evidence strength -> edge style. Width and dash carry the message; colour is a second cue only.
EDGE_STYLE = {
    "strong": dict(width=7, dash="solid", color=PALETTE[0]),
    "moderate": dict(width=4, dash="solid", color=PALETTE[0]),
    "weak": dict(width=2, dash="dot", color=PALETTE[0]),
    "contested": dict(width=3, dash="dash", color=PALETTE[5]),
}


# --- Part A: targets and plasma levels --------------------------------------------------------------

def level_grid(n: int = 121) -> np.ndarray:
    """Plasma levels (ng/mL, log-spaced) across :data:`LEVEL_RANGE_NG_ML`."""
    return np.logspace(*np.log10(LEVEL_RANGE_NG_ML), n)


# A contested value that is switched off keeps its bar, at height 0 with this label: the bar is parked, not
# removed, and its text is never empty (docs/live-figures.md, rules 5 and 6), so the quick redraw stays right.
CONTESTED_HIDDEN_LABEL = "hidden"  # short: a longer label ran into its neighbour's at 1280 px


def occupancy_curves(drug: str) -> dict[str, np.ndarray]:
    """Occupancy (%) against :func:`level_grid` for each Part A target; empty array where there is no number.
    Contested values are included: whether one is drawn is :func:`curve_points`' decision."""
    rows = ket.target_rows(drug)
    conc_nM = mass_to_molar(level_grid(), data.molar_mass(drug), "nM")
    return {t: 100 * occupancy(conc_nM, k) if np.isfinite(k) else np.array([]) for t, k in rows["ki_nM"].items()}


CURVE_PARKED = -100.0  # % : where a hidden contested curve waits, below the panel's fixed y range (clipped)


def curve_points(occupancy_pct: np.ndarray, hidden: bool) -> tuple[np.ndarray, np.ndarray]:
    """x (ng/mL) and y (%) of one target's curve: its occupancy on :func:`level_grid`; none where there is no
    number; a hidden contested curve is parked below the panel rather than emptied, so that its legend entry
    and a later "show" step are drawn as plotly's full redraw would draw them (docs/live-figures.md, rule 5)."""
    grid = level_grid()
    if hidden:
        return grid, np.full(len(grid), CURVE_PARKED)
    return (grid, occupancy_pct) if len(occupancy_pct) else (np.array([]), occupancy_pct)


def _hidden(rows, target: str, show_contested: bool) -> bool:
    """A contested number that is not shown (its curve is parked)."""
    return bool(rows.at[target, "contested"]) and rows.at[target, "status"] == "number" and not show_contested


def curve_name(target: str, contested: bool) -> str:
    """Legend name of a target's curve: a contested value says so.

    The name does not change with "show contested values" (the bar's label says "hidden" and the curve is
    empty while it is off): a new legend name would send the switch through plotly's full redraw.
    """
    return f"{target} (contested value)" if contested else target


def bar_labels(drug: str, ng_per_ml: float, show_contested: bool = False) -> tuple[np.ndarray, list[str], list[str]]:
    """Bar heights (%), bar text and hatch pattern for each Part A target at one plasma level.

    A contested value is drawn only with ``show_contested``; otherwise its bar has height 0 and the label
    :data:`CONTESTED_HIDDEN_LABEL`.
    """
    rows = ket.target_rows(drug)
    occ = 100 * ket.modelled_occupancy(drug, ng_per_ml)
    heights, texts, hatch = [], [], []
    for target, row in rows.iterrows():
        if row["status"] == "number" and row["contested"] and not show_contested:
            heights.append(0.0)
            texts.append(CONTESTED_HIDDEN_LABEL)
        elif row["status"] == "number":
            heights.append(float(occ[target]))
            text = ("≤" if row["lower_bound"] else "") + f"{occ[target]:.0f}%"
            texts.append(text + ("<br>contested" if row["contested"] else ""))
        else:
            heights.append(0.0)
            texts.append("no<br>number" if row["status"] == "qualitative only" else "no<br>data")
        hatch.append("/" if row["contested"] else "")
    return np.array(heights), texts, hatch


def target_figure(drug: str, ng_per_ml: float, show_contested: bool = False) -> go.Figure:
    """Left: modelled occupancy against plasma level with the clinical levels marked; right: bars now.

    Contested values (the D2High claim) are drawn only with ``show_contested``: hidden, their curve is empty
    and their bar sits at 0 with a "hidden" label.

    Traces: 0-5 one curve per :data:`helpers.themes.ketamine.model.PART_A_TARGETS` (empty if no number or
    hidden), 6 the current plasma level (vertical line), 7 the bars at the current level.
    """
    level = check_number(ng_per_ml, "plasma level", "ng/mL", low=0)
    key = ket._check_compound(drug)
    rows = ket.target_rows(key)
    fig = make_subplots(rows=1, cols=2, column_widths=[0.5, 0.5], horizontal_spacing=0.12,
                        subplot_titles=("modelled occupancy vs plasma level", "at the chosen level"))
    for target, curve in occupancy_curves(key).items():
        contested = bool(rows.at[target, "contested"])
        x, y = curve_points(curve, _hidden(rows, target, show_contested))
        fig.add_scatter(x=x, y=y, row=1, col=1,
                        name=curve_name(target, contested),
                        line=dict(color=TARGET_COLOURS[target], width=3, dash="dash" if contested else "solid"),
                        hovertemplate=f"{target}: %{{x:.3g}} ng/mL → %{{y:.1f}}%<extra></extra>")
    # The chosen level is data (a line with its value written at the top), not a title: a slider step then
    # changes only trace data, which the live figure redraws without redrawing axes, legend and labels.
    fig.add_scatter(x=[level, level], y=[0, 103], mode="lines+text", row=1, col=1, name="chosen level",
                    text=["", level_label(key, level)], textposition=level_label_position(level),
                    textfont=dict(size=13), cliponaxis=False, hoverinfo="skip",
                    line=dict(color="black", width=2, dash="dot"), showlegend=False)
    heights, texts, hatch = bar_labels(key, level, show_contested)
    fig.add_bar(x=list(ket.PART_A_TARGETS), y=heights, text=texts, textposition="outside", row=1, col=2,
                textfont=dict(size=12), constraintext="none", cliponaxis=False,
                marker=dict(color=[TARGET_COLOURS[t] for t in ket.PART_A_TARGETS], pattern_shape=hatch,
                            line=dict(color="black", width=1)),
                customdata=[_hover(key, t, r) for t, r in rows.iterrows()],
                hovertemplate="%{customdata}<extra></extra>", showlegend=False, name="occupancy now")
    levels = ket.reference_levels()
    peak = levels["antidepressant peak"][0]
    lo, hi = levels["anaesthesia"]
    # The labels sit inside the panel, at heights where the curves rarely run, on a pale background, clear of
    # the subplot titles. Labels, the anaesthetic band and the peak line are in paper coordinates (the same places:
    # the panel's axes have fixed ranges): plotly.js redraws every shape and annotation tied to an axis after each
    # quick step, and leaves paper-placed ones alone (docs/live-figures.md, rule 8).
    x_range, y_range = np.log10(LEVEL_RANGE_NG_ML), (0, 117)  # room above 100% for the chosen level's label

    def paper_x(level_ng_ml: float) -> float:
        return to_paper(np.log10(level_ng_ml), x_range, fig.layout.xaxis.domain)

    def on_paper(level_ng_ml: float, percent: float) -> dict:
        return dict(x=paper_x(level_ng_ml), y=to_paper(percent, y_range, fig.layout.yaxis.domain),
                    xref="paper", yref="paper")

    bottom, top = fig.layout.yaxis.domain
    fig.add_shape(type="rect", xref="paper", yref="paper", x0=paper_x(lo), x1=paper_x(hi), y0=bottom, y1=top,
                  fillcolor=PALETTE[6], opacity=0.25, line_width=0)
    fig.add_shape(type="line", xref="paper", yref="paper", x0=paper_x(peak), x1=paper_x(peak), y0=bottom, y1=top,
                  line=dict(color=PALETTE[7], width=2, dash="dashdot"))

    label = dict(showarrow=False, font=dict(size=12), bgcolor="rgba(255,255,255,0.7)")
    fig.add_annotation(**on_paper(hi, 55), xanchor="right", yanchor="middle",
                       text="anaesthesia<br>(racemic<br>ketamine)", align="right", **label)
    fig.add_annotation(**on_paper(peak, 30), xanchor="left", yanchor="middle", xshift=3,
                       text="antidepressant<br>peak (racemic<br>ketamine)", align="left", **label)
    fig.update_xaxes(type="log", title="plasma level (ng/mL, log scale)", row=1, col=1, range=list(x_range))
    # ticks stop at 100
    fig.update_yaxes(title="occupied or blocked (%)", range=list(y_range), tickvals=list(range(0, 101, 20)), row=1, col=1)
    fig.update_yaxes(range=[0, 118], row=1, col=2)
    fig.update_layout(bargap=0.3)
    fig = base_layout(fig, target_title(key), height=540)
    fig.update_layout(margin=dict(t=80, b=130), legend=dict(orientation="h", y=-0.2, yanchor="top", x=0))
    return fig


def update_target_figure(fig: go.Figure, drug: str, ng_per_ml: float, show_contested: bool = False, *,
                         compound_changed: bool = True) -> None:
    """Put a new state into an existing :func:`target_figure`, in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
        A figure made by :func:`target_figure`; changed in place.
    drug : str
        Compound (one of ``COMPOUNDS``).
    ng_per_ml : float
        Plasma level (ng/mL).
    show_contested : bool, default False
        Draw contested values (their curve and bar); otherwise the curve is empty and the bar parked at 0
        with the label :data:`CONTESTED_HIDDEN_LABEL`.
    compound_changed : bool, default True
        False when ``fig`` already shows ``drug`` with the same ``show_contested``: the curves, which depend
        only on these two, are then left alone, so a level step changes only point data.

    Notes
    -----
    Changes the chosen-level line (x, ng/mL) and its label, and the bars (y, % occupied at that level; their
    labels and hatching); with ``compound_changed`` also the occupancy curves (x: ng/mL, y: %), their legend
    names and dash (contested values are dashed), the bars' hover text (the compound's affinities) and the
    title. Axis ranges stay fixed.
    """
    key = ket._check_compound(drug)
    *curves, level_line, bars = fig.data
    if compound_changed:  # the curves depend only on the compound and on whether contested values show
        rows = ket.target_rows(key)
        for curve, (target, occ) in zip(curves, occupancy_curves(key).items()):
            contested = bool(rows.at[target, "contested"])
            x, y = curve_points(occ, _hidden(rows, target, show_contested))
            curve.update(x=x, y=y, name=curve_name(target, contested),
                         line_dash="dash" if contested else "solid")
        bars.customdata = [_hover(key, t, r) for t, r in rows.iterrows()]
        fig.layout.title.text = target_title(key)
    level_line.update(x=[ng_per_ml, ng_per_ml], text=["", level_label(key, ng_per_ml)],
                      textposition=level_label_position(ng_per_ml))
    heights, texts, hatch = bar_labels(key, ng_per_ml, show_contested)
    bars.update(y=heights, text=texts, marker_pattern_shape=hatch)


def _ng(value: float) -> str:
    """A plasma level in ng/mL as readable text: 3 significant figures, no exponent."""
    return f"{float(f'{value:.3g}'):,.0f}" if value >= 100 else f"{value:.3g}"


def target_title(drug: str) -> str:
    """Title of :func:`target_figure`: the compound only (the chosen level is labelled on its line)."""
    return f"{data.drug_name(drug)}: modelled occupancy of its targets"  # longer was cut at 1280 px


def _molar(drug: str, ng_per_ml: float) -> str:
    """A plasma level of ``drug`` as a molar concentration, e.g. '802 nM'."""
    return format_concentration(1000 * float(mass_to_molar(ng_per_ml, data.molar_mass(drug))))


def level_label(drug: str, ng_per_ml: float) -> str:
    """The chosen plasma level as mass and molar concentration, e.g. '191 ng/mL = 802 nM'."""
    return f"\u00a0{_ng(ng_per_ml)} ng/mL = {_molar(drug, ng_per_ml)}\u00a0"  # no-break spaces: clear of the line


LABEL_SIDE_SWITCH_NG_ML = 1000.0  # above this level the label sits left of the line, inside the panel


def level_label_position(ng_per_ml: float) -> list[str]:
    """Text positions of the level line's two points: none at the bottom, the label above the top."""
    return ["top center", "top left" if ng_per_ml > LABEL_SIDE_SWITCH_NG_ML else "top right"]


def _level_phrase(drug: str, ng_per_ml: float) -> str:
    return f"{data.drug_name(drug)} at {_ng(ng_per_ml)} ng/mL plasma ({_molar(drug, ng_per_ml)})"


def _hover(drug: str, target: str, row) -> str:
    if row["status"] == "qualitative only":
        return f"{target}: {ket.QUALITATIVE_ONLY[target]}"
    if row["status"] == "no data":
        return f"{target}: no affinity stored for {data.drug_name(drug)}"
    bound = "> " if row["lower_bound"] else ""
    flag = "<br>CONTESTED: studies disagree (see the evidence table)" if row["contested"] else ""
    return f"{target}: {row['measure']} {bound}{format_concentration(row['ki_nM'])} ({row['source']}){flag}"


def describe_targets(drug: str, ng_per_ml: float, show_contested: bool = False) -> str:
    """Occupancy at each target, the chosen level relative to the clinical levels, and missing data.

    Like the figure, it gives a contested value only with ``show_contested``, and otherwise says it is hidden.
    """
    level = check_number(ng_per_ml, "plasma level", "ng/mL", low=0)
    key = ket._check_compound(drug)
    rows = ket.target_rows(key)
    occ = 100 * ket.modelled_occupancy(key, level)
    parts, missing, hidden = [], [], []
    for target, row in rows.iterrows():
        if row["status"] == "number" and row["contested"] and not show_contested:
            hidden.append(target)
        elif row["status"] == "number":
            parts.append(f"{target} {'at most ' if row['lower_bound'] else ''}{occ[target]:.0f}%"
                         + (" (contested value)" if row["contested"] else ""))
        else:
            missing.append(f"{target} ({row['status']})")
    levels = ket.reference_levels()
    peak = levels["antidepressant peak"][0]
    lo, hi = levels["anaesthesia"]
    anaes = f"the anaesthetic range ({_ng(lo)}-{_ng(hi)} ng/mL)"
    if key != "ketamine":
        # The marked levels were measured for racemic ketamine; they are not levels of this compound.
        relation = "equal to" if abs(level - peak) <= 0.02 * peak else "below" if level < peak else "above"
        where = (f"{relation} the racemic ketamine antidepressant peak ({_ng(peak)} ng/mL; racemic ketamine's "
                 f"anaesthetic range is {_ng(lo)}-{_ng(hi)} ng/mL). These are measured levels of racemic ketamine, "
                 "not of this compound")
    elif abs(level - peak) <= 0.02 * peak:
        where = f"at the antidepressant peak ({_ng(peak)} ng/mL), below {anaes}"
    elif level < lo:
        where = f"{'below' if level < peak else 'above'} the antidepressant peak ({_ng(peak)} ng/mL), below {anaes}"
    elif level <= hi:
        where = f"inside {anaes}"
    else:
        where = f"above {anaes}"
    text = (f"{_level_phrase(key, level)}, {where}. Modelled occupancy: {', '.join(parts)}.")
    if missing:
        text += f" Not modelled: {', '.join(missing)}."
    if hidden:
        several = len(hidden) > 1
        text += (f" Hidden: the contested {' and '.join(hidden)} value{'s' if several else ''} (switch on "
                 f"\u201cshow contested values\u201d to draw {'them' if several else 'it'}).")
    return text


# --- Part B: causal chains ------------------------------------------------------------------------

CHAIN_LABEL_WIDTH = 16  # characters per line of a step label under or over its node
CHAIN_LABEL_FONT_PX = 12  # step labels: the smallest text a projected figure may have
CHAIN_LABEL_PX = 16  # height of one label line (px, at CHAIN_LABEL_FONT_PX)
CHAIN_NODE_PX = 30  # room for the node marker itself (px)
CHAIN_ROW_GAP_PX = 14  # empty space between the labels of neighbouring chains (px)
CHAIN_MARGIN = dict(l=130, r=20, t=70, b=130)  # b leaves room for the legend under the chains
CHAIN_LABEL_OFFSET_PX = 10  # from a node's centre to the near edge of its label (markers are 16 px)


def _wrap(label: str, width: int = CHAIN_LABEL_WIDTH) -> str:
    """A label broken into lines of at most ``width`` characters (HTML line breaks); nothing is dropped."""
    return "<br>".join(textwrap.wrap(label, width))


def _chain_rows(label_lines: list[tuple[int, int]]) -> tuple[list[float], float]:
    """Vertical position (px from the top of the plot) of each chain, and the plot's height (px).

    ``label_lines`` holds, per chain, the most label lines above and below its nodes; each chain gets just
    the room its own labels need, so long labels never run into the next chain.
    """
    ys, top = [], 0.0
    for above, below in label_lines:
        y = top + above * CHAIN_LABEL_PX + CHAIN_NODE_PX / 2
        ys.append(y)
        top = y + CHAIN_NODE_PX / 2 + below * CHAIN_LABEL_PX + CHAIN_ROW_GAP_PX
    return ys, top


def chain_layout() -> dict:
    """Positions and styles that do not change with the toggles (computed once per widget).

    Step labels alternate below (even positions, the start included) and above (odd positions) the line,
    so each label has the width of two steps. ``y`` is in pixels from the top of the plot area.
    """
    hyps = ket.hypotheses()
    ev = data.table("evidence").set_index("id")
    rows = []
    for hyp, name in zip(hyps["hypothesis"], hyps["name"]):
        steps = ket.chain(hyp)
        nodes = [dict(hyp=hyp, step=None, x=0, label="Ketamine", hover=name)]
        edges = []
        for i, s in steps.iterrows():
            cites = citation(";".join(dict.fromkeys(ev.loc[s["evidence"].split(";"), "source"])))
            hover = f"{s['label']}<br>evidence that the previous step causes this: {s['strength']} ({cites})"
            if i == len(steps) - 1:
                hover += ("<br>End point. That ketamine improves mood is shown by trials; the grade is only "
                          "about whether the previous step causes it.")
            nodes.append(dict(hyp=hyp, step=s["step"], x=i + 1, label=_wrap(s["label"]), hover=hover))
            edges.append(dict(hyp=hyp, source=None if i == 0 else steps.at[i - 1, "step"], step=s["step"],
                              x=(i, i + 1), strength=s["strength"]))
        for n in nodes:
            n["position"] = "top center" if n["x"] % 2 else "bottom center"
        lines = [n["label"].count("<br>") + 1 for n in nodes]
        rows.append((nodes, edges, (max([k for k, n in zip(lines, nodes) if n["x"] % 2] or [0]),
                                    max(k for k, n in zip(lines, nodes) if not n["x"] % 2))))
    ys, plot_px = _chain_rows([extent for _, _, extent in rows])
    all_nodes, all_edges = [], []
    for (nodes, edges, _), y in zip(rows, ys):
        all_nodes += [dict(n, y=y) for n in nodes]
        all_edges += [dict(e, y=y) for e in edges]
    return dict(nodes=all_nodes, edges=all_edges, names=list(hyps["name"]), keys=list(hyps["hypothesis"]),
                row_y=ys, plot_px=plot_px, max_x=max(n["x"] for n in all_nodes))


def chain_traces(layout: dict, cuts: set) -> list[dict]:
    """x/y data for each trace of :func:`chain_figure` given the cut steps (order as in the figure)."""
    below = ket.downstream_of_cuts(cuts)
    off = cuts | below
    by_style: dict[str, tuple[list, list]] = {k: ([], []) for k in [*EDGE_STYLE, "cut"]}
    for e in layout["edges"]:
        broken = (e["hyp"], e["step"]) in off or (e["source"] is not None and (e["hyp"], e["source"]) in cuts)
        xs, ys = by_style["cut" if broken else e["strength"]]
        xs += [*e["x"], None]
        ys += [e["y"], e["y"], None]
    groups = {"start": [], "intact": [], "cut": [], "below": []}
    for n in layout["nodes"]:
        key = (n["hyp"], n["step"])
        groups["start" if n["step"] is None else "cut" if key in cuts else "below" if key in below else "intact"].append(n)
    traces = [dict(x=by_style[k][0], y=by_style[k][1]) for k in [*EDGE_STYLE, "cut"]]
    for g in groups.values():
        traces.append(dict(x=[n["x"] for n in g], y=[n["y"] for n in g], customdata=[n["hover"] for n in g]))
    return traces


def chain_figure(cuts: set | None = None, layout: dict | None = None) -> go.Figure:
    """The five hypotheses as left-to-right chains; edge width/dash = evidence strength; cut steps grey X.

    Traces: 0-3 edges by strength (strong, moderate, weak, contested), 4 cut edges, 5 start nodes,
    6 intact steps, 7 cut steps, 8 steps downstream of a cut.
    """
    layout = layout or chain_layout()
    data_ = chain_traces(layout, cuts or set())
    fig = go.Figure()
    for (name, style), d in zip(EDGE_STYLE.items(), data_[:4]):
        fig.add_scatter(**d, mode="lines", line=style, name=f"evidence: {name}", hoverinfo="skip")
    fig.add_scatter(**data_[4], mode="lines", line=dict(color=CUT_GREY, width=2, dash="dot"),
                    name="link broken by a blocker", hoverinfo="skip")
    node_styles = (
        ("ketamine (start)", dict(symbol="square", size=16, color="black")),
        ("step intact", dict(symbol="circle", size=16, color=PALETTE[0], line=dict(color="white", width=1))),
        ("step cut by a blocker", dict(symbol="x", size=22, color=CUT_GREY, line=dict(color="black", width=1))),
        ("downstream of a cut", dict(symbol="circle-open", size=16, color=CUT_GREY, line=dict(width=2))),
    )
    for (name, marker), d in zip(node_styles, data_[5:]):
        fig.add_scatter(**d, mode="markers", marker=marker, name=name, cliponaxis=False,
                        hovertemplate="%{customdata}<extra></extra>")
    # The step labels never move, so they are annotations, not trace text: a toggle then changes only which
    # trace a node belongs to, and the figure redraws the nodes without re-setting some 35 wrapped labels.
    # They are placed in paper coordinates (the same places: both axes have fixed ranges; see to_paper): as
    # axis-tied annotations they cost 12.7 ms per toggle (CPU profile in JupyterLab). Paper annotations anchor
    # by position unless told, hence xanchor.
    x_range, y_range = (-0.7, layout["max_x"] + 0.7), (layout["plot_px"], 0)
    for n in layout["nodes"]:
        above = n["position"].startswith("top")
        fig.add_annotation(x=to_paper(n["x"], x_range), y=to_paper(n["y"], y_range),
                           xref="paper", yref="paper", xanchor="center", text=n["label"], showarrow=False,
                           font=dict(size=CHAIN_LABEL_FONT_PX),
                           yanchor="bottom" if above else "top", yshift=CHAIN_LABEL_OFFSET_PX if above
                           else -CHAIN_LABEL_OFFSET_PX)
    # Each label may use the width of two steps (labels alternate above and below); 0.7 step of room at
    # each end keeps the first and last labels inside the figure.
    fig.update_xaxes(visible=False, range=list(x_range))
    fig.update_yaxes(tickvals=layout["row_y"], ticktext=[_wrap(n, 16) for n in layout["names"]],
                     tickfont=dict(size=13), range=list(y_range), showgrid=False, zeroline=False)
    margin = CHAIN_MARGIN
    fig = base_layout(fig, "Hypotheses for ketamine's antidepressant effect as causal chains",
                       height=round(layout["plot_px"] + margin["t"] + margin["b"]))
    fig.update_layout(margin=margin, legend=dict(orientation="h", x=0, y=-0.02, yanchor="top", font=dict(size=13),
                                                 entrywidth=190))
    return fig


def update_chain_figure(fig: go.Figure, cuts: set, layout: dict | None = None) -> None:
    """Put new cut steps into an existing :func:`chain_figure`, in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
        A figure made by :func:`chain_figure`; changed in place.
    cuts : set of (hypothesis, step)
        The steps cut by the blockers switched on (``cut_steps``).
    layout : dict, optional
        :func:`chain_layout`, if already computed (it never changes).

    Notes
    -----
    Changes which trace each edge and node belongs to (x: step position, y: px from the top; the nodes'
    hover text goes with them): intact or cut edges; start, intact, cut or downstream steps. Labels, rows
    and axes never change, so a toggle moves only points.
    """
    for trace, new in zip(fig.data, chain_traces(layout or chain_layout(), cuts)):
        trace.update(**new)


def describe_chains(active) -> str:
    """Which steps the active blockers cut, and what the experiments found."""
    names = ket._check_interventions(active)
    if not names:
        return ("All blockers are off: every chain is intact (no step is cut). Line width and dash show how "
                "strong the evidence is that each step causes the next; dashed orange links are contested.")
    cuts = ket.cut_steps(names)
    table = ket.interventions()
    labels = data.table("hypothesis_steps").set_index(["hypothesis", "step"])["label"]
    cut_text = "; ".join(f"{h}: {labels[(h, s)]}" for h, s in sorted(cuts, key=ket.all_steps().index))
    found = "; ".join(f"{table.at[n, 'name']} ({table.at[n, 'species']}): ketamine's effect weakened? {ket.effect_removed(n)}"
                      + (f" ({ket.NOT_TESTABLE[n]})" if n in ket.NOT_TESTABLE else "") for n in names)
    return f"Cut steps (grey X): {cut_text}. Published results: {found}."


# --- The puzzle: forest plot ----------------------------------------------------------------------

def forest_figure() -> go.Figure:
    """Forest plot of the ketamine theme's effect sizes (Hedges g with 95% CI). Trace 0 is the points."""
    rows = ket.effect_size_rows()
    labels = [_wrap(f"{c} ({o}; k={_count(k)}, n={_count(n)})", 38) for c, o, k, n in
              zip(rows["comparison"], rows["outcome"], rows["k_studies"], rows["n_participants"])]
    fig = go.Figure(go.Scatter(
        x=rows["estimate"], y=labels, mode="markers",
        error_x=dict(type="data", symmetric=False, array=rows["ci_high"] - rows["estimate"],
                     arrayminus=rows["estimate"] - rows["ci_low"], thickness=3, width=8),
        marker=dict(size=14, symbol="diamond", color=PALETTE[0]),
        customdata=[citation(s) for s in rows["source"]],
        hovertemplate="%{x} (%{customdata})<extra></extra>", showlegend=False,
    ))
    fig.add_vline(x=0, line=dict(color="black", dash="dot"), annotation_text="no<br>difference",
                  annotation_position="top left", annotation_font_size=13)
    fig.update_xaxes(title=f"{rows['metric'].iloc[0]} (negative favours the drug)", range=[-1.5, 0.3], nticks=8,
                     tickangle=0)
    # Category axis, first row on top; half a row of padding keeps the wrapped labels off the x tick labels.
    fig.update_yaxes(range=[len(labels) - 0.4, -0.6], automargin=True, tickfont=dict(size=13))
    fig = base_layout(fig, "Single infusion of ketamine or another NMDA receptor<br>antagonist vs placebo "
                            "(one meta-analysis; different time points)", height=400)
    fig.update_layout(margin=dict(l=20, t=90))
    return fig


def _count(value) -> str:
    """A count read from a float column as an integer ('9', not '9.0'); other values unchanged."""
    return f"{value:.0f}" if isinstance(value, float) and float(value).is_integer() else f"{value}"


def describe_forest() -> str:
    rows = ket.effect_size_rows()
    parts = [f"{c}: {m} {e:.2f} (95% CI {lo:.2f} to {hi:.2f}; {o}; {citation(s)})" for c, m, e, lo, hi, o, s in
             zip(rows["comparison"], rows["metric"], rows["estimate"], rows["ci_low"], rows["ci_high"],
                 rows["outcome"], rows["source"])]
    return ("Effect sizes, each with its 95% confidence interval: " + "; ".join(parts) + ". The two estimates "
            "are at different time points, each group's best window: the other antagonists beat placebo only in the "
            "window shown, so not at day 1. Their group pools trials of several NMDA receptor antagonists other than "
            "ketamine; which drugs they were is not listed with the estimate, so do not read it as channel blockers only.")


# --- Display helpers for the notebook ---------------------------------------------------------------

def html_table(frame):
    """An ``IPython.display.HTML`` object for a table (escaped text, no index); the notebook's last line shows it."""
    from IPython.display import HTML

    from helpers.core.evidence import evidence_html

    return HTML(evidence_html(frame))


def display_forest():
    """The forest plot with its text description under it (through :func:`helpers.view.display.show`)."""
    from helpers.view.display import show

    return show(forest_figure(), describe_forest())
