"""Antipsychotics theme, the figures: plotly builders for notebook 05, the ``update_<figure>`` that redraws each
live one, and ``describe_*`` sentences that say what each figure shows.

Builders return ``plotly.graph_objects.Figure`` and never touch widgets; the numbers come from
:mod:`helpers.themes.antipsychotics.model`. Both live figures follow ``docs/live-figures.md``: bar and scatter
traces only, fixed axis ranges, a fixed trace list, titles and tick labels that never change, so a slider step
or a toggle changes only point data and takes the quick redraw.
"""

from __future__ import annotations

import plotly.graph_objects as go

from helpers.core import data
from helpers.core.evidence import citation
from helpers.themes.antipsychotics.model import (
    COMMON_D2,
    DRUGS,
    FINDING_WORDS,
    RECEPTOR_LABELS,
    RECEPTORS,
    SIDE_EFFECTS,
    SUBSTANTIAL,
    affinity_words,
    association,
    d2_side_effect_thresholds,
    d2_thresholds,
    fingerprint,
    free_concentration_nM,
    is_partial_agonist,
    receptor_profile,
)
from helpers.view.style import PALETTE, base_layout, format_concentration

THRESHOLD_WORDS = {"clinical response": "response", "hyperprolactinaemia": "prolactin",
                   "extrapyramidal side effects": "movement effects"}  # short legend words for the stored outcomes
MEASURED, FLAGGED = PALETTE[0], PALETTE[1]  # blue: a measured constant; orange, hatched: contested or a limit
Y_RANGE = [0, 118]  # fixed: points move only along y (rule 3 of docs/live-figures.md)
LABEL_GAP = 5  # percentage points between a bar's top and its label
PARKED = -60.0  # below the axis range: a label that is not wanted is parked here, never removed (rule 5)
OFF = "off"


def _tick(receptor: str) -> str:
    effects = SIDE_EFFECTS[receptor]
    return f"<b>{RECEPTOR_LABELS[receptor]}</b><br>" + ("<br>".join(effects) if effects else "(none listed)")


def _cell_label(cell) -> str:
    if cell.lower_bound:  # only an upper limit is known; one that rounds to 0% reads "< 1%", never "≤ 0%"
        return "< 1%" if 100 * cell.occupancy < 1 else f"≤ {100 * cell.occupancy:.0f}%"
    return f"{100 * cell.occupancy:.0f}%" + ("?" if cell.contested else "")


def _hover(drug: str, cell) -> str:
    flag = " (contested value)" if cell.contested else ""
    return (f"{data.drug_name(drug)} at {RECEPTOR_LABELS[cell.receptor]}: {affinity_words(cell)}"
            f"{flag}<br>species: {cell.species}; {citation(cell.source)}")


def fingerprint_state(drug: str, d2_occupancy: float, switched_on) -> dict:
    """The fingerprint figure's point data for one state: bar heights, labels and hover texts (no drawing)."""
    on = set(switched_on)
    cells = receptor_profile(drug, d2_occupancy)
    measured, flagged, label_y, labels, hover = [], [], [], [], []
    for cell in cells:
        pct = 100 * cell.occupancy
        shown = cell.receptor in on
        flag = cell.lower_bound or cell.contested
        measured.append(pct if shown and not flag else 0.0)
        flagged.append(pct if shown and flag else 0.0)
        label_y.append(pct + LABEL_GAP if shown else LABEL_GAP)
        labels.append(_cell_label(cell) if shown else OFF)
        hover.append(_hover(drug, cell))
    return dict(measured=measured, flagged=flagged, label_y=label_y, labels=labels, hover=hover)


def fingerprint_figure(drug: str, d2_occupancy: float, switched_on=RECEPTORS) -> go.Figure:
    """Bars of modelled occupancy at each receptor when ``drug`` holds ``d2_occupancy`` of D2 receptors.

    Traces, in order: 0 measured bars, 1 contested or upper-limit bars (hatched), 2 the bars' labels (text),
    3 the stored D2 thresholds over the D2 bar (dotted; they decide the D2 side effects), 4 the 50% line (the
    convention for the other receptors). Tick labels name each receptor's side
    effects. Switched-off receptors get zero-height bars and the label "off".
    """
    s = fingerprint_state(drug, d2_occupancy, switched_on)
    x = list(range(len(RECEPTORS)))
    fig = go.Figure()
    _add_occupancy_bars(fig, x, s)
    fig.add_scatter(x=x, y=s["label_y"], text=s["labels"], mode="text", textposition="top center",
                    textfont=dict(size=15), showlegend=False, hoverinfo="skip", cliponaxis=False)
    thresholds = d2_thresholds()
    line_x, line_y = [], []
    for value in thresholds["occupancy"]:  # short ticks left of the D2 bar, clear of its label
        line_x += [-0.49, -0.33, None]
        line_y += [100 * value, 100 * value, None]
    words = ", ".join(f"{THRESHOLD_WORDS.get(o, o)} {100 * v:.0f}%"
                      for o, v in zip(thresholds["outcome"], thresholds["occupancy"]))
    sources = "; ".join(dict.fromkeys(citation(s_) for s_ in thresholds["source"]))
    fig.add_scatter(x=line_x, y=line_y, mode="lines", line=dict(color="#555555", dash="dot", width=2),
                    # two lines: on one line the legend entry ran past the figure's right edge at 1280 px
                    name=f"ticks beside D2 (haloperidol PET, {sources}):<br>{words}", hoverinfo="skip")
    fig.add_scatter(x=[-0.5, len(RECEPTORS) - 0.5], y=[100 * SUBSTANTIAL] * 2, mode="lines",
                    line=dict(color="#767676", dash="dash", width=1), name="half occupied (receptors other than D2)",
                    hoverinfo="skip")
    fig.update_layout(barmode="overlay", bargap=0.3)
    fig.update_xaxes(range=[-0.5, len(RECEPTORS) - 0.5], tickvals=x, ticktext=[_tick(r) for r in RECEPTORS],
                     tickfont=dict(size=13), fixedrange=True)
    fig.update_yaxes(range=Y_RANGE, title="% of receptors occupied (model)", fixedrange=True,
                     tickvals=[0, 25, 50, 75, 100])
    base_layout(fig, "Side-effect fingerprint: modelled occupancy at each receptor", height=500)
    fig.update_layout(margin=dict(b=150), legend=dict(y=-0.42, font=dict(size=13)))
    return fig


def update_fingerprint_figure(fig: go.Figure, drug: str, d2_occupancy: float, switched_on=RECEPTORS) -> None:
    """Put a new state into an existing :func:`fingerprint_figure`, in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
        A figure made by :func:`fingerprint_figure`; changed in place.
    drug : str
        One of :data:`~helpers.themes.antipsychotics.model.DRUGS`.
    d2_occupancy : float
        Fraction of D2 receptors occupied, strictly between 0 and 1.
    switched_on : iterable of str
        The receptors switched on; the others get zero-height bars labelled "off".

    Notes
    -----
    Changes only point data: the two bar traces' heights and hover texts, the labels' heights and texts.
    """
    s = fingerprint_state(drug, d2_occupancy, switched_on)
    fig.data[0].update(y=s["measured"], customdata=s["hover"])
    fig.data[1].update(y=s["flagged"], customdata=s["hover"])
    fig.data[2].update(y=s["label_y"], text=s["labels"])


def describe_fingerprint(drug: str, d2_occupancy: float, switched_on=RECEPTORS) -> str:
    """What the fingerprint figure shows, in words: the free concentration, each receptor's occupancy and the
    side effects the switched-on receptors carry."""
    on = [r for r in RECEPTORS if r in set(switched_on)]
    name = data.drug_name(drug)
    c = free_concentration_nM(drug, d2_occupancy)
    cells = {cell.receptor: cell for cell in receptor_profile(drug, d2_occupancy)}
    parts = [f"{RECEPTOR_LABELS[r]} {_cell_label(cells[r])}" for r in on]
    sentence = (f"{name} at {100 * d2_occupancy:.0f}% D2 occupancy needs a free concentration of "
                f"{format_concentration(c)}; at that concentration the model occupies "
                + (", ".join(parts) if parts else "no receptor you have switched on") + ".")
    effects = fingerprint(drug, d2_occupancy, on)
    if not on:
        sentence += " Every receptor is switched off, so no side effect is carried: switch one on with the buttons."
    elif effects:
        sentence += f" Side effects carried: {', '.join(effects)}."
    else:
        sentence += " No switched-on receptor carries its side effects here."
    if "D2" in on:
        limits = d2_side_effect_thresholds()
        rule = (f"D2 side effects start at the lines measured with haloperidol: prolactin rise from "
                f"{100 * limits['prolactin rise']:.0f}%, movement effects from {100 * limits['movement effects']:.0f}%")
        if is_partial_agonist(drug, "D2"):
            sentence += (f" {name}'s D2 receptors are occupied, not blocked (it is a partial agonist), so the model "
                         "gives it no D2 side effects; the haloperidol lines do not apply to it.")
        else:
            sentence += f" {rule}; other receptors carry theirs when at least half occupied."
    flagged = [RECEPTOR_LABELS[r] for r in on if cells[r].contested]
    if flagged:
        sentence += f" Contested value (marked ?): {', '.join(flagged)}; laboratories disagree several-fold."
    subtype = [f"{RECEPTOR_LABELS[r]} ({cells[r].subtype})" for r in on if cells[r].subtype]
    if subtype:
        sentence += (f" The constant at {', '.join(subtype)} was measured at that one subtype only, unlike the other "
                     "drugs' muscarinic values, so compare with care.")
    capped = [RECEPTOR_LABELS[r] for r in on if cells[r].lower_bound]
    if capped:
        sentence += f" Only an upper limit is known at {', '.join(capped)} (no binding found at the highest concentration tested)."
    return sentence


# --- Does the profile predict what patients get? -----------------------------------------------------------

A_RANGE = [0, 135]


FINDING_LABELS = {"most": "the most", "not_above_placebo": "no more than", "below_placebo": "less than"}


def _finding_label(finding: str, side_effect: str) -> str:
    """Two short lines over a bar: 'the most / weight gain', 'no more than / placebo', 'less than / placebo'."""
    return f"{FINDING_LABELS[finding]}<br>{side_effect if finding == 'most' else 'placebo'}"


def association_state(side_effect: str, receptor: str, d2_occupancy: float = COMMON_D2) -> dict:
    """The association figure's point data for one state (no drawing)."""
    a = association(side_effect, receptor, d2_occupancy)
    measured, flagged, label_y, labels, mark_y, marks, hover = [], [], [], [], [], [], []
    for d in DRUGS:
        pct = 100 * a.occupancy[d]
        flag = a.lower_bound[d] or a.contested[d]
        measured.append(0.0 if flag else pct)
        flagged.append(pct if flag else 0.0)
        label_y.append(pct + 3)
        labels.append((f"≤ {pct:.0f}%" if a.lower_bound[d] else f"{pct:.0f}%" + ("?" if a.contested[d] else "")))
        finding = a.findings.get(d)
        mark_y.append(pct + 14 if finding else PARKED)
        marks.append(_finding_label(finding, a.side_effect) if finding else "·")
        hover.append(f"{data.drug_name(d)}: {pct:.1f}% of {RECEPTOR_LABELS[a.receptor]} receptors occupied when "
                     f"{100 * a.d2_occupancy:.0f}% of D2 receptors are")
    return dict(measured=measured, flagged=flagged, label_y=label_y, labels=labels, mark_y=mark_y, marks=marks,
                hover=hover, association=a)


def association_figure(side_effect: str, receptor: str, d2_occupancy: float = COMMON_D2) -> go.Figure:
    """Each drug's modelled occupancy at ``receptor`` (all at the same D2 occupancy), with the side-effect
    ranking written over the drugs it names.

    Traces, in order: 0 measured bars, 1 contested or upper-limit bars (hatched), 2 percentage labels, 3 the
    ranking's words over the drugs it names (parked below the axis for the others).
    """
    s = association_state(side_effect, receptor, d2_occupancy)
    x = list(range(len(DRUGS)))
    fig = go.Figure()
    _add_occupancy_bars(fig, x, s)
    fig.add_scatter(x=x, y=s["label_y"], text=s["labels"], mode="text", textposition="top center",
                    textfont=dict(size=14), showlegend=False, hoverinfo="skip")
    ranking_source = citation("leucht2013")
    fig.add_scatter(x=x, y=s["mark_y"], text=s["marks"], mode="text", textposition="top center",
                    textfont=dict(size=13, color="#8B3A00"), hoverinfo="skip", showlegend=False,
                    name=f"ranking in patients ({ranking_source})")
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(range=[-0.5, len(DRUGS) - 0.5], tickvals=x, ticktext=[data.drug_name(d) for d in DRUGS],
                     fixedrange=True)
    fig.update_yaxes(range=A_RANGE, title="% occupied (model)", fixedrange=True,
                     tickvals=[0, 25, 50, 75, 100])
    base_layout(fig, f"Each drug at {100 * d2_occupancy:.0f}% D2 occupancy: share of the chosen receptor",
                height=460)
    fig.update_layout(legend=dict(y=-0.18, font=dict(size=13)))
    return fig


def update_association_figure(fig: go.Figure, side_effect: str, receptor: str,
                              d2_occupancy: float = COMMON_D2) -> None:
    """Put a new state into an existing :func:`association_figure`, in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
        A figure made by :func:`association_figure` with the same ``d2_occupancy`` (it is in the title).
    side_effect : str
        A side effect with a stored ranking (:func:`~helpers.themes.antipsychotics.model.side_effects`).
    receptor : str
        One of :data:`~helpers.themes.antipsychotics.model.RECEPTORS`.
    d2_occupancy : float, default :data:`~helpers.themes.antipsychotics.model.COMMON_D2`
        The D2 occupancy every drug is held at.

    Notes
    -----
    Changes only point data: bar heights and hover texts, the percentage labels, and the ranking's words and
    heights (words for drugs the ranking does not name are parked below the axis).
    """
    s = association_state(side_effect, receptor, d2_occupancy)
    fig.data[0].update(y=s["measured"], customdata=s["hover"])
    fig.data[1].update(y=s["flagged"], customdata=s["hover"])
    fig.data[2].update(y=s["label_y"], text=s["labels"])
    fig.data[3].update(y=s["mark_y"], text=s["marks"])


def describe_association(side_effect: str, receptor: str, d2_occupancy: float = COMMON_D2) -> str:
    """What the association figure shows: the order of the drugs at the receptor and whether it matches the
    ranking in patients."""
    a = association(side_effect, receptor, d2_occupancy)
    r = RECEPTOR_LABELS[a.receptor]
    order = ", ".join(f"{data.drug_name(d)} {100 * a.occupancy[d]:.0f}%" for d in a.order)
    named = "; ".join(f"{data.drug_name(d)}: " + (f"the most {a.side_effect}" if f == "most" else
                                                   f"{a.side_effect} {FINDING_WORDS[f]}")
                      for d, f in a.findings.items())
    sentence = (f"With every drug at {100 * a.d2_occupancy:.0f}% D2 occupancy, {r} occupancy runs: {order}. "
                f"In patients ({citation('leucht2013')}): {named}. ")
    if a.receptor == "D2":
        sentence += ("At D2 every drug sits at the same occupancy by construction, so D2 cannot tell the drugs "
                     "apart here: differences in patients must come from elsewhere (a different D2 occupancy at "
                     "clinical doses, or more drug reaching the pituitary).")
    elif a.consistent:
        sentence += f"The {r} profile orders the named drugs as the ranking does."
    else:
        sentence += f"The {r} profile does not order the named drugs as the ranking does."
    if any(a.contested.values()):
        sentence += " A hatched bar marked ? is a contested value."
    return sentence


def _add_occupancy_bars(fig: go.Figure, x: list[int], s: dict) -> None:
    """Traces 0 and 1 of both figures: measured bars, and hatched bars for contested or upper-limit values."""
    fig.add_bar(x=x, y=s["measured"], name="measured affinity", marker_color=MEASURED, customdata=s["hover"],
                hovertemplate="%{customdata}<extra></extra>", width=0.6)
    fig.add_bar(x=x, y=s["flagged"], name="contested value (?) or upper limit (≤)", marker_color=FLAGGED,
                marker_pattern_shape="/", customdata=s["hover"], hovertemplate="%{customdata}<extra></extra>",
                width=0.6)
