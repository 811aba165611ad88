"""Plotly figures for the lithium notebook and the sentences that describe them.

Builders return ``go.Figure`` (no widgets). Trace order is documented on each builder because
``helpers.lithium_widgets`` updates traces in place.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from helpers.themes.lithium import model as li
from helpers.view.style import PALETTE, SEQUENTIAL, base_layout

LEVEL_GRID = np.linspace(0.0, li.LEVEL_MAX, 351)
KIND_STYLE = {  # colour and pattern, so bands differ by more than hue
    "target": (PALETTE[0], ""),
    "toxicity": (PALETTE[5], "/"),
    "observed": (PALETTE[3], "x"),
    "treatment": (PALETTE[7], "."),
}


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


# --- 1. Serum level, bands and modelled inhibition --------------------------------------------------

def shown_bands() -> pd.DataFrame:
    """Bands that start inside the level axis (the others are listed in the description instead)."""
    bands = li.reference_bands()
    return bands[bands["low"] < li.LEVEL_MAX].reset_index(drop=True)


def inhibition_figure(serum: float, ratio: float, substrate_over_km: float, mg_factor: float) -> go.Figure:
    """Top: reference bands with the current level; bottom: modelled % inhibition of IMPase and GSK-3beta.

    Traces: 0 bands (bars), 1 level line (top), 2 IMPase curve, 3 GSK-3beta curve, 4 IMPase marker,
    5 GSK-3beta marker, 6 level line (bottom).
    """
    bands = shown_bands()
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.5, 0.5], vertical_spacing=0.08)
    highs = [h if h is not None else li.LEVEL_MAX for h in bands["high"]]
    labels = [f"{_wrap(b, 36)}<br>({c})" for b, c in zip(bands["band"], bands["citation"])]
    text = [f"{lo:g}-{h:g}" if h is not None else f"≥ {lo:g}" for lo, h in zip(bands["low"], bands["high"])]
    fig.add_bar(y=labels, x=[h - lo for h, lo in zip(highs, bands["low"])], base=list(bands["low"]),
                orientation="h", text=text, textposition="auto", textangle=0, cliponaxis=False,
                marker=dict(color=[KIND_STYLE[k][0] for k in bands["kind"]],
                            pattern=dict(shape=[KIND_STYLE[k][1] for k in bands["kind"]]), opacity=0.75),
                hovertemplate="%{y}: %{text} mmol/L<extra></extra>", showlegend=False, row=1, col=1)
    fig.add_scatter(x=[serum, serum], y=[labels[0], labels[-1]], mode="lines", line=dict(color="black", width=3),
                    name="serum level now", showlegend=False, row=1, col=1)
    imp, gsk = inhibition_curves(ratio, substrate_over_km, mg_factor)
    fig.add_scatter(x=LEVEL_GRID, y=100 * imp, name="IMPase (uncompetitive)", line=dict(color=PALETTE[0], width=3),
                    row=2, col=1)
    fig.add_scatter(x=LEVEL_GRID, y=100 * gsk, name="GSK-3β (competes with Mg2+)",
                    line=dict(color=PALETTE[1], width=3, dash="dash"), row=2, col=1)
    now_imp = li.impase_inhibition(serum, ratio, substrate_over_km)
    now_gsk = li.gsk3_inhibition(serum, ratio, mg_factor)
    fig.add_scatter(x=[serum], y=[100 * now_imp], mode="markers", marker=dict(color=PALETTE[0], size=13),
                    showlegend=False, name="IMPase now", row=2, col=1)
    fig.add_scatter(x=[serum], y=[100 * now_gsk], mode="markers",
                    marker=dict(color=PALETTE[1], size=13, symbol="diamond"), showlegend=False, name="GSK-3β now",
                    row=2, col=1)
    # The level's value is written above this line (data, not the title), so a slider step changes only trace
    # data, which the live figure redraws without redrawing axes, bands and legend.
    fig.add_scatter(x=[serum, serum], y=[0, 100], mode="lines+text", line=dict(color="black", width=1, dash="dot"),
                    text=["", level_label(serum)], textposition=level_label_position(serum),
                    textfont=dict(size=13), cliponaxis=False, hoverinfo="skip",
                    showlegend=False, name="serum level now", row=2, col=1)
    fig.update_xaxes(range=[0, li.LEVEL_MAX], row=1, col=1)
    fig.update_xaxes(range=[0, li.LEVEL_MAX], title="serum lithium (mmol/L = mEq/L)", row=2, col=1)
    fig.update_yaxes(autorange="reversed", ticklabelstandoff=6, tickfont=dict(size=12), row=1, col=1)
    fig.update_yaxes(title="modelled inhibition (%)", range=[0, 100], row=2, col=1)
    base_layout(fig, INHIBITION_TITLE, height=780)
    fig.update_layout(margin=dict(l=230))
    return fig


INHIBITION_TITLE = "Lithium: reference bands and modelled enzyme inhibition"  # longer was cut at 1280 px


def update_inhibition_figure(fig: go.Figure, serum: float, ratio: float, substrate_over_km: float,
                             mg_factor: float, *, curves_changed: bool = True) -> None:
    """Put a new state into an existing :func:`inhibition_figure`, in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
        A figure made by :func:`inhibition_figure`; changed in place.
    serum : float
        Serum lithium (mmol/L).
    ratio : float
        Brain/serum ratio.
    substrate_over_km : float
        IMPase substrate level as a multiple of its Km.
    mg_factor : float
        Mg2+ competition at GSK-3beta in cells relative to the assay.
    curves_changed : bool, default True
        False when only ``serum`` moved since ``fig`` was last set: the curves, which do not depend on it,
        are then left alone.

    Notes
    -----
    Changes the serum level (x, mmol/L) of both level lines and of the two enzyme markers, the markers'
    inhibition (y, %) and the level's label; with ``curves_changed`` also the two inhibition curves (y, %).
    Bands and axes stay as built.
    """
    _bands, top_line, impase_curve, gsk3_curve, impase_now, gsk3_now, bottom_line = fig.data
    if curves_changed:
        imp, gsk = inhibition_curves(ratio, substrate_over_km, mg_factor)
        impase_curve.y, gsk3_curve.y = 100 * imp, 100 * gsk
    top_line.x = [serum, serum]
    bottom_line.update(x=[serum, serum], text=["", level_label(serum)], textposition=level_label_position(serum))
    impase_now.x, impase_now.y = [serum], [100 * li.impase_inhibition(serum, ratio, substrate_over_km)]
    gsk3_now.x, gsk3_now.y = [serum], [100 * li.gsk3_inhibition(serum, ratio, mg_factor)]


def level_label(serum: float) -> str:
    """The chosen serum level as written above its line, e.g. 'serum 0.70 mmol/L'."""
    return f"serum {serum:.2f} mmol/L"


def level_label_position(serum: float) -> list[str]:
    """Text positions of the level line's two points: none at the bottom; the label above the top, turned
    inwards near either end of the axis so it stays inside the figure."""
    side = "top right" if serum < 0.1 * li.LEVEL_MAX else "top left" if serum > 0.9 * li.LEVEL_MAX else "top center"
    return ["top center", side]


def inhibition_curves(ratio: float, substrate_over_km: float, mg_factor: float):
    """Modelled IMPase and GSK-3beta inhibition (fractions) over :data:`LEVEL_GRID`."""
    return (li.impase_inhibition(LEVEL_GRID, ratio, substrate_over_km), li.gsk3_inhibition(LEVEL_GRID, ratio, mg_factor))


def describe_inhibition(serum: float, ratio: float, substrate_over_km: float, mg_factor: float) -> str:
    """Where the level sits among the verified bands and what the model predicts at each enzyme."""
    from helpers.core.evidence import citation

    inside = li.bands_at(serum)
    beyond = li.reference_bands()
    beyond = beyond[beyond["low"] >= li.LEVEL_MAX]
    imp, gsk = li.enzyme_constant("IMPase"), li.enzyme_constant("GSK3B")
    brain = li.brain_concentration(serum, ratio)
    text = (f"Serum lithium {serum:.2f} mmol/L is {li.classify_level(serum)}; bands containing it: "
            f"{', '.join(inside) if inside else 'none'}. ")
    text += (f"With a brain/serum ratio of {ratio:g}, brain lithium is about {brain:.2f} mM. Modelled IMPase "
             f"inhibition {_pct(li.impase_inhibition(serum, ratio, substrate_over_km))} (uncompetitive, "
             f"{imp['measure']} {imp['value_mM']:g} mM, {citation(imp['source'])}; substrate at "
             f"{substrate_over_km:g} × Km); GSK-3β {_pct(li.gsk3_inhibition(serum, ratio, mg_factor))} "
             f"({gsk['measure']} {gsk['value_mM']:g} mM, {citation(gsk['source'])}, × {mg_factor:g} for Mg2+ "
             f"competition in cells relative to the assay). ")
    if len(beyond):
        text += "Beyond this axis: " + "; ".join(
            f"{b}: above {lo:g} mmol/L ({c})" for b, lo, c in zip(beyond["band"], beyond["low"], beyond["citation"])) + "."
    return text


# --- 2. Steady state and clearance ---------------------------------------------------------------

# The standard band is the darkest, so the three adjacent target bands stay apart (and the legend names them).
BAND_OPACITY = {"lower target": 0.07, "standard target": 0.2, "upper target": 0.11}
COMBINED_ROW = "all selected together<br>(assumed multiplicative)"
NOTE_OFF = "switched off"
NOTE_COMBINED_OFF = "needs two or more situations"
GAP = "\u2002"  # an en space between a whisker's end and its value


def steady_state_rows(dose: float, clearance: float, factors: list[str]) -> dict:
    """One row per possible bar, in a fixed order: before, each situation alone, all selected together.

    Every row is always there, so a toggle changes lengths and words and never the rows themselves (the
    figure then takes the quick redraw). A row that is not in use has a bar of length 0 and the words
    ``switched off`` (or, for the combination, ``needs two or more situations``) in place of a value.

    Returns ``labels``, ``levels``/``lows``/``highs`` (mmol/L; 0 where not in use; low and high equal the
    level where the data give no interval), ``colours``, ``top`` (x axis end), ``notes`` (value or words per
    row), ``note_x`` and ``note_position`` (where the words go) and ``hover``.
    """
    lookup = li._factor_lookup()
    base = li.steady_state_level(dose, clearance)
    # (label, modelled level or None when the row is not in use, colour)
    rows = [("before (stable)", {"central": base, "low": None, "high": None}, PALETTE[0])]
    for key in li.clearance_factors()["factor"]:
        rows.append(("+ " + _wrap(lookup[key]["name"]), li.adjusted_level(base, [key]) if key in factors else None,
                     PALETTE[4]))
    rows.append((COMBINED_ROW, li.adjusted_level(base, factors) if len(factors) > 1 else None, PALETTE[5]))

    def value(result, end: str) -> float:
        if result is None:
            return 0.0
        return result["central"] if result[end] is None else result[end]

    levels, lows, highs = (np.array([value(result, end) for _, result, _ in rows]) for end in ("central", "low", "high"))
    top = steady_state_top(highs)
    notes, note_x, note_position, hover = [], [], [], []
    for (label, result, _), level, high in zip(rows, levels, highs):
        name = label.replace("<br>", " ")
        if result is None:
            words = NOTE_COMBINED_OFF if label == COMBINED_ROW else NOTE_OFF
            notes.append(f"<i>{words}</i>"), note_x.append(0.0), note_position.append("middle right")
            hover.append(f"{name}: {words}")
        elif max(level, high) > top:  # beyond the axis end: the words sit inside it, and say so
            notes.append((f"{level:.2f} ▲ off scale" if level > top else f"{level:.2f}") + GAP)
            note_x.append(top), note_position.append("middle left")
            hover.append(f"{name}: {level:.2f} mmol/L" + (", beyond the plotted range" if level > top else ""))
        else:
            notes.append(GAP + f"{level:.2f}"), note_x.append(max(level, high)), note_position.append("middle right")
            hover.append(f"{name}: {level:.2f} mmol/L")
    return {"labels": [label for label, _, _ in rows], "levels": levels, "lows": lows, "highs": highs,
            "colours": [colour for _, _, colour in rows], "top": top, "notes": notes, "note_x": note_x,
            "note_position": note_position, "hover": hover}


def plot_cap() -> float:
    """Highest level ever plotted (mmol/L): a quarter above the lowest emergency-treatment level in data/."""
    return 1.25 * li.treatment_threshold()


def steady_state_top(highs) -> float:
    """End of the level axis: room for every whisker, at least 2 mmol/L, never above :func:`plot_cap`."""
    return min(max(2.0, 1.15 * float(np.max(highs))), plot_cap())


def _wrap(text: str, width: int = 26) -> str:
    """Break a long axis label onto several lines at spaces."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) >= width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(lines + [line])


def factor_names(factors: list[str]) -> str:
    return ", ".join(li._factor_lookup()[f]["name"] for f in factors)


def steady_state_figure(dose: float, clearance: float, factors: list[str]) -> go.Figure:
    """Average steady-state level before and after the selected situations, over the reference bands.

    Horizontal bars, one row per possible bar (:func:`steady_state_rows`). Trace 0 is the bars (whiskers
    show the low-high range where the data give one), trace 1 the value or the words at the end of each
    row. The bands and thresholds are shapes, named in the legend.
    """
    rows = steady_state_rows(dose, clearance, factors)
    fig = go.Figure([
        go.Bar(y=rows["labels"], x=rows["levels"], orientation="h", marker_color=rows["colours"],
               error_x=dict(type="data", symmetric=False, array=rows["highs"] - rows["levels"],
                            arrayminus=rows["levels"] - rows["lows"], color="black",
                            thickness=2, width=0),  # no caps: a row without an interval shows nothing
               customdata=rows["hover"], hovertemplate="%{customdata}<extra></extra>", showlegend=False),
        go.Scatter(y=rows["labels"], x=rows["note_x"], text=rows["notes"], textposition=rows["note_position"],
                   mode="text", textfont=dict(size=13), hoverinfo="skip", showlegend=False),
    ])
    bands = li.reference_bands()
    targets = bands[(bands["kind"] == "target") & ~bands["band"].str.contains("elderly")].sort_values("low")
    for _, row in targets.iterrows():
        fig.add_vrect(x0=row["low"], x1=row["high"], fillcolor=PALETTE[0], opacity=BAND_OPACITY.get(row["band"], 0.1),
                      line_width=0, layer="below", showlegend=True,
                      name=f"{row['band']} {row['low']:g}-{row['high']:g} ({row['citation']})")
    threshold = li.toxicity_threshold()
    tox = bands[bands["band"] == "toxicity risk"].iloc[0]
    fig.add_vline(x=threshold, line=dict(color=PALETTE[5], width=3, dash="dash"), showlegend=True,
                  name=f"toxicity risk ≥ {threshold:g} ({tox['citation']})")
    treat = bands[bands["kind"] == "treatment"].sort_values("low").iloc[0]
    fig.add_vline(x=treat["low"], line=dict(color=PALETTE[7], width=2, dash="dot"), showlegend=True,
                  name=f"emergency treatment considered > {treat['low']:g} ({treat['citation']})")
    fig.update_xaxes(title="average steady-state serum lithium (mmol/L)", range=[0, rows["top"]], fixedrange=True)
    fig.update_yaxes(autorange="reversed", ticklabelstandoff=6, categoryorder="array", categoryarray=rows["labels"], fixedrange=True)
    base_layout(fig, steady_state_title(rows), height=680)
    # The legend (up to five lines) lies inside the bottom margin, so whatever is placed under the figure
    # (the static site's slider) starts below it.
    fig.update_layout(margin=dict(l=220, r=30, t=60, b=190), bargap=0.35,
                      legend=dict(orientation="h", x=0, xanchor="left", y=-0.17, yanchor="top", font=dict(size=12)))
    return fig


def update_steady_state_figure(fig: go.Figure, dose: float, clearance: float, factors: list[str]) -> None:
    """Put a new state into an existing :func:`steady_state_figure`, in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
        A figure made by :func:`steady_state_figure`; changed in place.
    dose : float
        Lithium carbonate (mg/day).
    clearance : float
        Lithium clearance (mL/min).
    factors : list of str
        The situations switched on (keys of ``clearance_factors``).

    Notes
    -----
    Changes the bars' levels (x, mmol/L), their whiskers (low-high range, mmol/L) and hover text, the value
    or words at the end of each row (x, text, position), the level axis's range (0 to the top, mmol/L) and
    the title. The rows, bands and lines stay as built.
    """
    rows = steady_state_rows(dose, clearance, factors)
    bars, notes = fig.data
    bars.x, bars.customdata = rows["levels"], rows["hover"]
    bars.error_x.array = rows["highs"] - rows["levels"]
    bars.error_x.arrayminus = rows["levels"] - rows["lows"]
    notes.x, notes.text, notes.textposition = rows["note_x"], rows["notes"], rows["note_position"]
    fig.layout.xaxis.range = [0, rows["top"]]
    fig.layout.title.text = steady_state_title(rows)


def steady_state_title(rows: dict) -> str:
    if float(np.max(rows["levels"])) > rows["top"]:
        return "⚠ Modelled level beyond the plotted range: far into toxicity (read the description)"
    return "Steady-state lithium: before, and with the situations switched on"


CLOSING_CAVEAT = ("This is arithmetic on one chosen clearance, not a prediction for any person and not a guide to "
                  "dosing; the bands refer to 12-hour trough levels measured in blood, which are lower than this "
                  "average.")


def describe_steady_state(dose: float, clearance: float, factors: list[str]) -> str:
    """Baseline and new level with their caveats: clearance varies between people, uncertainty of each factor,
    time to the new steady state from the chosen clearance, and a warning far beyond the plotted bands."""
    from helpers.core.evidence import citation

    base = li.steady_state_level(dose, clearance)
    if dose == 0:
        return ("With no dose there is no lithium, so there is no level to model. " + CLOSING_CAVEAT)
    cl_min, cl_max = li.clearance_range_mL_min()
    spread = li.level_range_over_clearances(dose)
    text = (f"Illustration only: {dose:g} mg/day lithium carbonate ({li.carbonate_to_lithium_mmol(dose):.1f} mmol/day "
            f"Li+) at a chosen clearance of {clearance:g} mL/min gives a modelled average steady-state level of "
            f"{base:.2f} mmol/L: {li.classify_level(base)}. But clearance differs widely between people (stored range "
            f"{cl_min:g}-{cl_max:g} mL/min, {citation('grandjean2009')}), so the same dose gives anywhere from "
            f"{spread[0]:.2f} to {spread[1]:.2f} mmol/L: that is why the level is measured in blood rather than "
            f"worked out from the dose. ")
    new_clearance = clearance
    levels = [base]
    if factors:
        new = li.adjusted_level(base, factors)
        change = new["change"]
        levels.append(new["central"])
        new_clearance = clearance / (1 + change["central"])
        text += (f"With {factor_names(factors)} added and the dose unchanged, the modelled level moves to "
                 f"{new['central']:.2f} mmol/L ({100 * change['central']:+.0f}%): {li.classify_level(new['central'])}. ")
        text += _uncertainty_text(factors, new)
        if len(factors) > 1:
            text += "Combined effects are multiplied, an assumption: combinations have not been studied. "
        if len([f for f in factors if f.startswith("nsaid")]) > 1:
            text += "Two NSAIDs together is not a realistic prescription; it is shown only as arithmetic. "
    else:
        text += "No situation is selected, so only this stable level is shown. "
    text += _time_text(clearance, new_clearance, bool(factors))
    text += _far_beyond_text(max(levels))
    return text + CLOSING_CAVEAT


def _uncertainty_text(factors: list[str], new: dict) -> str:
    """Each factor's interval (or the fact that it has none) and the combined range only if every factor has one."""
    parts = [f"{li._factor_lookup()[f]['name']}: {li.interval_text(f)}" for f in factors]
    text = "Uncertainty, factor by factor: " + "; ".join(parts) + ". "
    point_only = new["change"]["point_only"]
    if len(factors) > 1 and not point_only:
        text += f"Combining the stored intervals gives {new['low']:.2f} to {new['high']:.2f} mmol/L. "
    elif len(factors) > 1:
        text += (f"No range is given for the combination, because {factor_names(point_only)} "
                 f"{'has' if len(point_only) == 1 else 'have'} only a point estimate. ")
    return text + ("Whiskers appear only where the data give an interval. Each figure is a group average from a "
                   "small study; individual changes range much more widely, which is why a level is measured "
                   "after such a change. ")


def _time_text(clearance: float, new_clearance: float, changed: bool) -> str:
    """Half-life from the stored volume and the (new) clearance, and the 4-5 half-lives to a new steady state."""
    t_half = li.half_life_h(new_clearance)
    days = li.days_to_steady_state(new_clearance)
    low, high = li.reported_half_life_range_h()
    where = "At the new clearance (about {:.0f} mL/min)".format(new_clearance) if changed else "At this clearance"
    text = (f"{where} the half-life is about {t_half:.0f} h (ln 2 × V / CL, with V = "
            f"{li.volume_of_distribution_L(1):g} L/kg × an illustrative {li.ILLUSTRATIVE_WEIGHT_KG:g} kg), so "
            f"{'the new' if changed else 'after any change a new'} steady state is approached over about "
            f"{days[0]:.1f}-{days[1]:.1f} days (4-5 half-lives); lower clearance means a longer half-life. ")
    if not low <= t_half <= high:
        text += (f"That half-life is outside the reported {low:g}-{high:g} h, so this corner of the model goes "
                 f"beyond the data. ")
    return text


def _far_beyond_text(highest_level: float) -> str:
    """A clear warning when a modelled level reaches the emergency-treatment levels or leaves the plot."""
    from helpers.core.evidence import citation

    treat = li.treatment_threshold()
    if highest_level < treat:
        return ""
    bands = li.reference_bands()
    source = bands.loc[bands["kind"] == "treatment", "source"].iloc[0]
    text = (f"Warning: the modelled level reaches {highest_level:.2f} mmol/L, beyond the {treat:g} mmol/L at which "
            f"the data describe emergency extracorporeal treatment ({citation(source)}). A person this poisoned is "
            f"not at a steady state and their clearance is not what was entered, so the number means nothing "
            f"beyond 'far into toxicity'. ")
    if highest_level > plot_cap():
        text += (f"The bar is cut off at the right-hand end of the plot ({plot_cap():g} mmol/L); its label gives the "
                 f"modelled value. ")
    return text


# --- 3. Part B: hypotheses and evidence -------------------------------------------------------------

def hypothesis_matrix(hypotheses: list[str] | None = None) -> dict:
    """Papers per hypothesis (rows) and direction of their evidence (columns): counts (z), cell text, hover."""
    keys = [li.resolve_hypothesis(h) for h in (hypotheses or list(li.HYPOTHESES))]
    z, text, hover = [], [], []
    for key in keys:
        rows = li.hypothesis_evidence(key)
        zr, tr, hr = [], [], []
        for direction in li.DIRECTIONS:
            sel = rows[rows["direction"] == direction]
            # one evidence row may cite several papers ("A 2001; B 1996"): count the papers
            papers = dict.fromkeys(part.strip() for cited in sel["citation"] for part in cited.split(";"))
            zr.append(len(papers))
            # A count, not the names: a cell is about 150 px wide on a 1280 px screen, and three author names
            # ran into the next cell. The names are in the hover text and in the table under the demo.
            tr.append(f"{len(papers)} {'paper' if len(papers) == 1 else 'papers'}" if papers else
                      "<br>".join(textwrap.wrap(li.EMPTY_CELL, 12)))
            hr.append("<br>".join(f"{c} ({d}): {f[:120]}…" for c, d, f in zip(sel["citation"], sel["design"],
                                                                              sel["finding"]))
                      or "no study of this kind in this lesson; not a sign that none exists")
        z.append(zr)
        text.append(tr)
        hover.append(hr)
    labels = ["<br>".join(textwrap.wrap(li.HYPOTHESES[k][0], 22)) for k in keys]  # long names on two lines
    return {"keys": keys, "labels": labels, "z": z, "text": text, "hover": hover}


def hypothesis_figure(hypotheses: list[str] | None = None) -> go.Figure:
    """Hypothesis x direction grid: each cell counts the papers (named on hover); colour = the same count.
    Trace 0 is the heatmap."""
    m = hypothesis_matrix(hypotheses)
    fig = go.Figure(go.Heatmap(
        z=m["z"], x=[d for d in li.DIRECTIONS], y=m["labels"], text=m["text"], texttemplate="%{text}",
        customdata=m["hover"], hovertemplate="%{y} / %{x}:<br>%{customdata}<extra></extra>",
        colorscale=SEQUENTIAL, zmin=0, zmax=max(3, max(max(r) for r in m["z"])), colorbar=dict(title="papers"),
        textfont=dict(size=13), xgap=3, ygap=3))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top", title="direction of the evidence")
    base_layout(fig, "Lithium's Part B hypotheses: the studies on each side", height=160 + 80 * len(m["keys"]))
    fig.update_layout(margin=dict(l=190, t=110))
    return fig


def update_hypothesis_figure(fig: go.Figure, hypotheses: list[str] | None = None) -> None:
    """Show other hypotheses in an existing :func:`hypothesis_figure`, in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
        A figure made by :func:`hypothesis_figure`; changed in place.
    hypotheses : list of str, optional
        The hypotheses to show as rows (keys of ``HYPOTHESES``); default all.

    Notes
    -----
    Changes the heatmap's rows (y: hypothesis labels), counts (z: number of papers), cell text (the
    count) and hover text, and the figure's height (px, 80 per row). The colour scale (``zmax``) stays as
    built, so colours stay comparable when fewer rows are shown.
    """
    m = hypothesis_matrix(hypotheses)
    heatmap = fig.data[0]
    heatmap.z, heatmap.y, heatmap.text, heatmap.customdata = m["z"], m["labels"], m["text"], m["hover"]
    fig.layout.height = 160 + 80 * len(m["keys"])


def describe_hypotheses(hypotheses: list[str] | None = None) -> str:
    m = hypothesis_matrix(hypotheses)
    parts = []
    for key, counts in zip(m["keys"], m["z"]):
        label, explains = li.HYPOTHESES[key][0], li.HYPOTHESES[key][1]
        parts.append(f"{label} (offered to explain {explains}): papers supporting {counts[0]}, mixed "
                     f"{counts[1]}, contradicting {counts[2]}")
    return ("; ".join(parts) + ". Hover a cell for each study's design and finding. An empty cell ('"
            + li.EMPTY_CELL + "') means this lesson shows no study of that kind, not that none exists: the "
            "studies were chosen for teaching, not found by a systematic search.")


def forest_figure(ids) -> go.Figure:
    """Forest plot of ratio effect sizes on a log axis with a line at 1. Trace 0 is points with CI whiskers."""
    rows = li.effect_rows(ids)
    # The comparison is part of each row's name: two rows from one study (the same outcome after an ACE
    # inhibitor and after a loop diuretic) otherwise shared a name and were drawn on one row.
    labels = [f"{_wrap(f'{c}: {o} ({m})', 46)}<br>{_wrap(k.replace('<=', '≤'), 46)}"
              for c, o, m, k in zip(rows["citation"], rows["outcome"], rows["metric"], rows["comparison"])]
    if len(set(labels)) < len(labels):
        raise ValueError(f"two effect rows would share one line of the forest plot: {labels}")
    est = rows["estimate"].astype(float).to_numpy()
    lo, hi = rows["ci_low"].astype(float).to_numpy(), rows["ci_high"].astype(float).to_numpy()
    fig = go.Figure(go.Scatter(
        x=est, y=labels, mode="markers", marker=dict(size=12, color=PALETTE[0], symbol="square"),
        error_x=dict(type="data", symmetric=False, array=hi - est, arrayminus=est - lo, color=PALETTE[0], thickness=2),
        customdata=np.stack([lo, hi], axis=1), name="estimate (95% CI)",
        hovertemplate="%{y}: %{x:.2f} (%{customdata[0]:.2f} to %{customdata[1]:.2f})<extra></extra>"))
    fig.add_vline(x=1, line=dict(color="black", dash="dash"))
    fig.update_xaxes(type="log", tickvals=[0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30], ticktext=["0.01", "0.03", "0.1", "0.3",
                     "1", "3", "10", "30"],
                     # three short lines: as one, the title ran past the figure's right edge
                     title=dict(text="ratio, log scale<br>(dashed line at 1 = no difference;<br>below 1 = fewer events "
                                     "in the first group named)", font=dict(size=13)))
    fig.update_yaxes(range=[len(rows) - 0.4, -0.6], ticklabelstandoff=8)  # first row on top, none on the axis
    lines = sum(label.count("<br>") + 1 for label in labels)
    base_layout(fig, "Effect sizes with 95% confidence intervals", height=180 + 24 * lines + 30 * len(rows))
    fig.update_layout(margin=dict(l=370, b=105))
    return fig


def describe_forest(ids) -> str:
    rows = li.effect_rows(ids)
    parts = []
    for _, r in rows.iterrows():
        side = ("below 1 (fewer events in the first group)" if r["ci_high"] < 1 else
                "above 1 (more events in the first group)" if r["ci_low"] > 1 else "crossing 1 (no clear difference)")
        parts.append(f"{r['citation']}, {r['outcome']} ({r['comparison']}): {r['metric']} {r['estimate']:g} "
                     f"(95% CI {r['ci_low']:g} to {r['ci_high']:g}), interval {side}")
    return "Log-scale forest plot with a dashed line at 1. " + "; ".join(parts) + "."
