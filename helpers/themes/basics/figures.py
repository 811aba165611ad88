"""Basics theme, the figures: plotly builders for notebook 01, the ``update_<figure>`` that redraws each live
one, and ``describe_*`` sentences that say what each figure shows.

Builders return ``plotly.graph_objects.Figure`` and never touch widgets; the numbers come from
:mod:`helpers.themes.basics.model`. Each ``describe_*`` function returns the sentence a screen-reader user (or
a projector in a bright room) needs to get the figure's message without seeing it. Live figures follow the
rules in ``docs/live-figures.md``.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from helpers.core import data
from helpers.core.evidence import citation
from helpers.core.occupancy import occupancy_fit
from helpers.core.pharmacology import (
    antagonist_dose_ratio,
    fitted_occupancy,
    ligand_response,
    occupancy,
)
from helpers.themes.basics.model import (
    ANTAGONIST_GRID_NM,
    CONC_RANGE_NM,
    CUPS,
    LIGAND_TYPES,
    SATURATION_MULTIPLES,
    SelectivityInputs,
    _fit_params,
    antagonist_curves,
    antagonist_half_max,
    caffeine_mechanisms,
    caffeine_reference_level,
    concentration_grid,
    dose_limit,
    ligand_curves,
    measurements_for,
    peak_caffeine_uM,
    profile_rows,
    selectivity_inputs,
    selectivity_view,
    thresholds_for,
)
from helpers.view.colours import (  # noqa: F401 (some are re-exported: the grid's tests read them here)
    TEXT_DARK,
    TEXT_LIGHT,
    UNCOLOURED,
    contrast_ratio,
    occupancy_colours,
    text_colour_for,
    text_colours,
)
from helpers.view.style import (  # noqa: F401 (SEQUENTIAL: the grid's colours come from it; its tests read it here)
    PALETTE,
    SEQUENTIAL,
    article,
    base_layout,
    format_concentration,
    to_paper,
)


def ligand_figure(kind: str, kd_nM: float, efficacy: float, concentration_nM: float,
                  basal: float = 0.1) -> go.Figure:
    """Occupancy and receptor activity against concentration for one ligand, with the current point.

    Traces: 0 occupancy curve, 1 activity curve, 2 current occupancy marker, 3 current activity marker.
    """
    grid = concentration_grid()
    curves = ligand_curves(kd_nM, efficacy, concentration_nM, basal)
    fig = go.Figure()
    fig.add_scatter(x=grid, y=curves["occupancy"], name="receptors occupied (%)", line=dict(color=PALETTE[0], width=3))
    fig.add_scatter(x=grid, y=curves["activity"], name="receptor activity (% of maximum)",
                    line=dict(color=PALETTE[1], width=3, dash="dash"))
    fig.add_scatter(x=[concentration_nM], y=[curves["occupancy_now"]], mode="markers",
                    marker=dict(color=PALETTE[0], size=13, symbol="circle"), name="now: occupancy",
                    showlegend=False, cliponaxis=False)
    fig.add_scatter(x=[concentration_nM], y=[curves["activity_now"]],
                    mode="markers", marker=dict(color=PALETTE[1], size=13, symbol="diamond"),
                    name="now: activity", showlegend=False, cliponaxis=False)
    fig.add_hline(y=100 * basal, line=dict(color="grey", dash="dot"), annotation_text="basal activity",
                  annotation_position="bottom right")
    # Fixed ranges (the curves' own extent): a slider step then moves only the markers, which the live
    # figure redraws without a full redraw (helpers.view.figure_widget); markers at an end stay whole.
    fig.update_xaxes(type="log", title="ligand concentration (nM, log scale)", exponentformat="power",
                     range=list(np.log10(CONC_RANGE_NM)))
    fig.update_yaxes(title="percent", range=[-3, 103])
    return base_layout(fig, ligand_title(kind))


def update_ligand_figure(fig: go.Figure, kind: str, kd_nM: float, efficacy: float, concentration_nM: float,
                         basal: float = 0.1) -> None:
    """Put a new state into an existing :func:`ligand_figure`, in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
        A figure made by :func:`ligand_figure`; changed in place.
    kind : str
        Ligand type (a key of ``LIGAND_TYPES``): sets the title.
    kd_nM, efficacy, concentration_nM : float
        Affinity Kd (nM), efficacy tau and the current concentration (nM).
    basal : float
        Basal receptor activity without ligand, as a fraction (0-1).

    Notes
    -----
    Changes the occupancy and activity curves (y, %), the markers of the current concentration (x in nM,
    y in %), the title, and the basal-activity line and its label (y, % of maximum). Axis ranges stay fixed,
    so a slider step that keeps the ligand type and basal activity moves only points.
    """
    curves = ligand_curves(kd_nM, efficacy, concentration_nM, basal)
    occupancy_curve, activity_curve, occupancy_now, activity_now = fig.data[:4]
    occupancy_curve.y, activity_curve.y = curves["occupancy"], curves["activity"]
    occupancy_now.update(x=[concentration_nM], y=[curves["occupancy_now"]])
    activity_now.update(x=[concentration_nM], y=[curves["activity_now"]])
    fig.layout.title.text = ligand_title(kind)
    basal_line, basal_label = fig.layout.shapes[0], fig.layout.annotations[0]
    basal_line.y0 = basal_line.y1 = 100 * basal
    basal_label.y = 100 * basal


def ligand_title(kind: str) -> str:
    """Title of the ligand figure for a ligand type ('A partial agonist: binding and effect')."""
    return f"{article(kind)} {kind}: binding and effect"


def describe_ligand(kind: str, kd_nM: float, efficacy: float, concentration_nM: float, basal: float = 0.1) -> str:
    """One sentence stating occupancy and activity at the current concentration."""
    occ = occupancy(concentration_nM, kd_nM)
    act = ligand_response(concentration_nM, kd_nM, efficacy, basal)
    return (f"At {format_concentration(concentration_nM)}, {article(kind).lower()} {kind} with Kd {format_concentration(kd_nM)} "
            f"occupies {100 * occ:.0f}% of receptors; receptor activity is {100 * act:.0f}% of the maximum "
            f"(basal activity without any ligand: {100 * basal:.0f}%).")


def describe_ligand_type(kind: str, kd_nM: float, efficacy: float, concentration_nM: float,
                         basal: float = 0.1) -> str:
    """What the ligand type does ('A partial agonist binds and ...'), then :func:`describe_ligand`."""
    return (f"{article(kind)} {kind} {LIGAND_TYPES[kind][1]}. "
            + describe_ligand(kind, kd_nM, efficacy, concentration_nM, basal))


ANTAGONIST_TITLE = "Competitive antagonist: the agonist curve shifts to the right"
ANTAGONIST_X_RANGE = (-2.0, 9.0)  # log10 nM: the whole grid (ANTAGONIST_GRID_NM), fixed so a step only moves points
ANTAGONIST_LABEL_AT = (10 ** -1.85, 99.0)  # top left (nM, %): both curves are still near 0 there
ANTAGONIST_PARKED_NM = 1e10  # beyond the x range: where the shift arrow waits while there is no antagonist


def antagonist_label(antagonist_nM: float, antagonist_kb_nM: float) -> str:
    """The label in the plot: the antagonist concentration and KB (nM, in a readable unit) and the fold shift.

    Three short lines, so that the label fits left of the agonist-alone curve (which never moves) in a 700 px
    wide figure."""
    kb = f"KB {format_concentration(antagonist_kb_nM)}"
    if not antagonist_nM:
        return f"no antagonist<br>({kb})<br>no shift"
    fold = fold_text(float(antagonist_dose_ratio(antagonist_nM, antagonist_kb_nM)))
    return f"antagonist {format_concentration(antagonist_nM)}<br>({kb})<br>shifted {fold}-fold"


def fold_text(ratio: float) -> str:
    """A dose ratio as a student reads it: '11', '1.1', '10,001' (not '1e+04'), '<1.01' (not '1' for a tiny but
    real shift). Used by the label in the plot and by the sentence under it, so both say the same."""
    if ratio < 1.01:
        return "<1.01"
    return f"{ratio:.3g}" if ratio < 1000 else f"{ratio:,.0f}"


def _antagonist_arrow(agonist_kd_nM: float, agonist_efficacy: float, antagonist_nM: float,
                      antagonist_kb_nM: float) -> tuple[list[float], list[float]]:
    """The shift arrow's x (nM) and y (%): from the agonist's half-maximal point alone to the one with the
    antagonist, parked beyond the x range while there is no antagonist."""
    alone, shifted, half = antagonist_half_max(agonist_kd_nM, agonist_efficacy, antagonist_nM, antagonist_kb_nM)
    if not antagonist_nM:
        return [ANTAGONIST_PARKED_NM, ANTAGONIST_PARKED_NM], [half, half]
    return [alone, shifted], [half, half]


def antagonist_shift_figure(agonist_kd_nM: float, agonist_efficacy: float, antagonist_nM: float,
                            antagonist_kb_nM: float) -> go.Figure:
    """Agonist concentration-response without and with a competitive antagonist.

    Traces: 0 agonist alone, 1 agonist plus antagonist, 2 the shift arrow at half the maximum response,
    3 the label (antagonist concentration, KB and fold shift). Everything that moves with the sliders is trace
    data, so a step takes the quick redraw (docs/live-figures.md).
    """
    grid = ANTAGONIST_GRID_NM
    alone, shifted = antagonist_curves(agonist_kd_nM, agonist_efficacy, antagonist_nM, antagonist_kb_nM)
    arrow_x, arrow_y = _antagonist_arrow(agonist_kd_nM, agonist_efficacy, antagonist_nM, antagonist_kb_nM)
    fig = go.Figure()
    fig.add_scatter(x=grid, y=100 * alone, name="agonist alone", line=dict(color=PALETTE[0], width=3))
    fig.add_scatter(x=grid, y=100 * shifted, name="with antagonist",
                    line=dict(color=PALETTE[5], width=3, dash="dash"))
    fig.add_scatter(x=arrow_x, y=arrow_y, mode="lines+markers", name="shift at half maximum",
                    line=dict(color="#444444", width=2.5), hoverinfo="skip",
                    marker=dict(symbol="triangle-right", size=[0, 14], color="#444444"))
    fig.add_scatter(x=[ANTAGONIST_LABEL_AT[0]], y=[ANTAGONIST_LABEL_AT[1]], mode="text",
                    text=[antagonist_label(antagonist_nM, antagonist_kb_nM)], textposition="bottom right",
                    textfont=dict(size=15, color="#222222"), showlegend=False, hoverinfo="skip")
    fig.update_xaxes(type="log", title="agonist concentration (nM, log scale)", exponentformat="power",
                     range=list(ANTAGONIST_X_RANGE))
    fig.update_yaxes(title="response (% of maximum)", range=[-3, 103])
    return base_layout(fig, ANTAGONIST_TITLE, height=460)


def update_antagonist_shift_figure(fig: go.Figure, agonist_kd_nM: float, agonist_efficacy: float,
                                   antagonist_nM: float, antagonist_kb_nM: float) -> None:
    """Put a new state into an existing :func:`antagonist_shift_figure`, in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
        A figure made by :func:`antagonist_shift_figure`; changed in place.
    agonist_kd_nM, agonist_efficacy : float
        The agonist's Kd (nM) and efficacy tau, as the figure was built with.
    antagonist_nM, antagonist_kb_nM : float
        Antagonist concentration and its KB (nM).

    Notes
    -----
    Changes only trace data: the curve with antagonist (y, % of maximum response), the shift arrow (x in nM,
    y in %) and the label's text (antagonist concentration, KB, fold shift). Title, legend and axes stay as
    built, so every step takes the quick redraw.
    """
    _, shifted = antagonist_curves(agonist_kd_nM, agonist_efficacy, antagonist_nM, antagonist_kb_nM)
    _, shifted_curve, arrow, label = fig.data[:4]
    shifted_curve.y = 100 * shifted
    arrow.x, arrow.y = _antagonist_arrow(agonist_kd_nM, agonist_efficacy, antagonist_nM, antagonist_kb_nM)
    label.text = [antagonist_label(antagonist_nM, antagonist_kb_nM)]


def describe_antagonist_shift(antagonist_nM: float, antagonist_kb_nM: float) -> str:
    fold = fold_text(float(antagonist_dose_ratio(antagonist_nM, antagonist_kb_nM)))
    return (f"With the antagonist at {format_concentration(antagonist_nM)} (KB {format_concentration(antagonist_kb_nM)}), "
            f"the agonist needs {fold} times more concentration for the same response "
            f"(dose ratio 1 + [B]/KB); the maximum response is unchanged, so enough agonist still wins.")


SELECTIVITY_TITLE = "Predicted occupancy: every drug at the same free concentration"
SELECTIVITY_KEY = "number and colour: % of the target occupied (dark blue 0%, yellow 100%)"
SELECTIVITY_EMPTY_TITLE = "No target selected: switch at least one target on"  # the header line then
SELECTIVITY_OFF_CELL = "off"  # the text of a cell whose target is switched off (never empty: live-figures rule 6)
TEXT_OFF = "#666666"  # the text of a switched-off cell: 5.74:1 on white
# The grid's geometry, in pixels: the tiles are scatter markers, whose size plotly takes in pixels, so the
# figure has a fixed width (plotly's own default for a widget, as JupyterLab draws it) and fixed margins.
SELECTIVITY_WIDTH = 700
SELECTIVITY_MARGIN = dict(l=102, r=8, t=60, b=90)
ROW_PX = 46  # height of a row of cells
TILE_PX = 42  # a tile's height (the square markers' size): 4 px between rows
HEADER_ROWS = 0.8  # the band above the first row that holds the concentration line


def selectivity_cells(inputs: SelectivityInputs, shown: list[str], concentration_nM: float,
                      show_contested: bool = False) -> dict:
    """What each cell of the selectivity grid shows, row by row (drugs) and column by column (all targets).

    Parameters
    ----------
    inputs : SelectivityInputs
        From :func:`selectivity_inputs`: the grid's drugs (rows) and targets (columns).
    shown : list of str
        The targets switched on; the other columns' cells read :data:`SELECTIVITY_OFF_CELL`, uncoloured.
    concentration_nM : float
        Free drug concentration (nM).
    show_contested : bool, default False
        Draw contested values (see :func:`selectivity_view`).

    Returns
    -------
    dict
        Flat lists, one item per cell (row-major): ``fill`` (colour), ``text`` (% occupied, 'no data', '≤x%',
        hidden or off), ``text_colour``, ``hover`` (Ki, measure and source) and ``has_data`` (an affinity is
        stored: the cell's text can change with the concentration).
    """
    view = selectivity_view(inputs, list(inputs.targets), concentration_nM, show_contested)
    on = {data.resolve_target(t) for t in shown}
    colours = occupancy_colours([v for row in view["z"] for v in row])
    fill, text, text_colour, hover = [], [], [], []
    for i in range(len(inputs.drugs)):
        for j, target in enumerate(inputs.targets):
            if target in on:
                fill.append(colours[i * len(inputs.targets) + j])
                text.append(view["text"][i][j])
                text_colour.append(text_colour_for(fill[-1]))
                hover.append(view["customdata"][i][j])
            else:
                fill.append(UNCOLOURED)
                text.append(SELECTIVITY_OFF_CELL)
                text_colour.append(TEXT_OFF)
                hover.append(f"{target} is switched off")
    return dict(fill=fill, text=text, text_colour=text_colour, hover=hover,
                has_data=[bool(v) for v in np.isfinite(inputs.ki_nM).ravel()])


def selectivity_header(concentration_nM: float, shown: list[str]) -> str:
    """The line above the grid: the free concentration, or what to do when no target is switched on."""
    if not shown:
        return SELECTIVITY_EMPTY_TITLE
    return f"free drug: {format_concentration(concentration_nM)}, the same for every drug"


def _tile_offset(n_columns: int) -> float:
    """Half the distance (x units) between the two square markers that make one tile a rectangle: as wide as
    the column allows (4 px gap), at most two squares that overlap by 4 px (abutting squares leave a seam)."""
    column_px = (SELECTIVITY_WIDTH - SELECTIVITY_MARGIN["l"] - SELECTIVITY_MARGIN["r"]) / n_columns
    width_px = min(column_px - 4, 2 * TILE_PX - 4)
    return max(width_px - TILE_PX, 0) / 2 / column_px


def _split(cells: dict, key: str) -> tuple[list, list]:
    """``cells[key]`` for the cells without an affinity, then for those with one (row-major)."""
    return ([v for v, d in zip(cells[key], cells["has_data"]) if not d],
            [v for v, d in zip(cells[key], cells["has_data"]) if d])


def selectivity_figure(drugs: list[str], targets: list[str], concentration_nM: float,
                       show_contested: bool = False, shown: list[str] | None = None) -> go.Figure:
    """A colour grid of predicted occupancy: rows are drugs, columns targets, each cell's % printed in it,
    with Ki, measure and source in the hover text.

    Contested values are drawn only with ``show_contested`` (see :func:`selectivity_view`); ``shown`` (default:
    all ``targets``) are the targets switched on, the others' cells read 'off'. The grid is made of scatter
    traces, not a heatmap, so that a step (concentration, a toggle) changes only trace data and takes the quick
    redraw (docs/live-figures.md). Traces: 0 the texts of the cells without an affinity ('no data', with their
    hover; first, so that a concentration step, which leaves them alone, does not redraw them), 1 the tiles of
    the cells with an affinity (two square markers per cell, side by side, coloured by occupancy; cells without
    one are never coloured and have none), 2 those cells' texts, 3 the header line (the concentration).
    """
    inputs = selectivity_inputs(tuple(drugs), tuple(targets))
    rows, columns = len(inputs.drugs), len(inputs.targets)
    has_data = {"has_data": [bool(v) for v in np.isfinite(inputs.ki_nM).ravel()]}
    x_empty, x = _split(dict(has_data, x=[float(j) for _ in range(rows) for j in range(columns)]), "x")
    y_empty, y = _split(dict(has_data, y=[float(i) for i in range(rows) for _ in range(columns)]), "y")
    offset = _tile_offset(columns)
    # Positions and styles here; colours, texts and hover from update_selectivity_figure, the one place that
    # fills the cells.
    fig = go.Figure()
    fig.add_scatter(x=x_empty, y=y_empty, mode="text", showlegend=False, name="cells without data",
                    textfont=dict(size=13), hovertemplate="%{customdata}<extra></extra>")
    fig.add_scatter(x=[v + side for v in x for side in (-offset, offset)], y=[v for v in y for _ in (0, 1)],
                    mode="markers", showlegend=False, name="cells",
                    marker=dict(symbol="square", size=TILE_PX, line=dict(width=0)),
                    hovertemplate="%{customdata}<extra></extra>")
    fig.add_scatter(x=x, y=y, mode="text", showlegend=False, name="cell texts", textfont=dict(size=13),
                    hoverinfo="skip")
    fig.add_scatter(x=[-0.5], y=[-0.5 - HEADER_ROWS / 2], mode="text", textposition="middle right",
                    textfont=dict(size=16, color=TEXT_DARK), showlegend=False, name="header", hoverinfo="skip")
    fig.update_xaxes(range=[-0.5, columns - 0.5], tickvals=list(range(columns)), ticktext=list(inputs.targets),
                     tickangle=0, tickfont=dict(size=14), showgrid=False, zeroline=False, automargin=False,
                     title=dict(text=SELECTIVITY_KEY, font=dict(size=13)))
    fig.update_yaxes(range=[rows - 0.5, -0.5 - HEADER_ROWS], tickvals=list(range(rows)),
                     ticktext=[data.drug_name(d) for d in inputs.drugs], showgrid=False, zeroline=False,
                     automargin=False)
    height = SELECTIVITY_MARGIN["t"] + SELECTIVITY_MARGIN["b"] + round((rows + HEADER_ROWS) * ROW_PX)
    base_layout(fig, SELECTIVITY_TITLE, height=height)
    fig.update_layout(width=SELECTIVITY_WIDTH, margin=SELECTIVITY_MARGIN)
    update_selectivity_figure(fig, drugs, targets, concentration_nM, show_contested, shown, inputs)
    return fig


def update_selectivity_figure(fig: go.Figure, drugs: list[str], targets: list[str], concentration_nM: float,
                              show_contested: bool = False, shown: list[str] | None = None,
                              inputs: SelectivityInputs | None = None) -> None:
    """Put a new state into an existing :func:`selectivity_figure`, in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
        A figure made by :func:`selectivity_figure`; changed in place.
    drugs, targets : list of str
        The figure's drugs (its rows) and targets (its columns), as it was built with.
    concentration_nM : float
        Free drug concentration (nM).
    show_contested : bool, default False
        Draw contested values; otherwise their cells are uncoloured and say they are hidden.
    shown : list of str, optional
        The targets switched on (default: all); the other columns' cells read 'off'. None switched on: every
        cell reads 'off' and the header line says to switch a target on.
    inputs : SelectivityInputs, optional
        From :func:`selectivity_inputs` for these drugs and targets: saves looking the affinities up again.

    Notes
    -----
    Changes only trace data: the tiles' colours (marker.color) and hover texts (customdata), the cells' texts
    and text colours, and the header line (the concentration). Rows, columns, axes and title stay as built,
    so every step takes the quick redraw.
    """
    if inputs is None:
        inputs = selectivity_inputs(tuple(drugs), tuple(targets))
    shown = list(targets) if shown is None else list(shown)
    cells = selectivity_cells(inputs, shown, concentration_nM, show_contested)
    empty, tiles, texts, header = fig.data[:4]
    (text_empty, text), (colour_empty, colour) = _split(cells, "text"), _split(cells, "text_colour")
    (hover_empty, hover), (_, fill) = _split(cells, "hover"), _split(cells, "fill")
    for part, name, value in ((empty, "text", text_empty), (empty.textfont, "color", colour_empty),
                              (empty, "customdata", hover_empty), (tiles.marker, "color", [c for c in fill for _ in (0, 1)]),
                              (tiles, "customdata", [h for h in hover for _ in (0, 1)]), (texts, "text", text),
                              (texts.textfont, "color", colour), (header, "text", [selectivity_header(concentration_nM, shown)])):
        current = getattr(part, name)
        if current is None or list(current) != value:  # plotly validates before it compares: skip unchanged lists
            setattr(part, name, value)


def describe_selectivity(drugs: list[str], targets: list[str], concentration_nM: float, threshold: float = 50,
                         inputs: SelectivityInputs | None = None, show_contested: bool = False) -> str:
    """Which of ``targets`` each drug occupies above ``threshold`` percent at this concentration.

    ``inputs`` (from :func:`selectivity_inputs`, possibly for a wider set of targets) saves looking the
    affinities up again: a widget passes the grid it already holds. Like the figure, the sentence counts a
    contested value only with ``show_contested`` and otherwise names it as hidden.
    """
    inputs = inputs or selectivity_inputs(tuple(drugs), tuple(targets))
    shown = [data.resolve_target(t) for t in targets]
    view = selectivity_view(inputs, shown, concentration_nM, show_contested)
    occ, lower, hidden = view["occupancy"], view["lower_bound"], view["hidden"]
    parts, capped = [], []
    for i, d in enumerate(inputs.drugs):
        hit = [t for j, t in enumerate(shown)
               if not lower[i, j] and not hidden[i, j] and np.isfinite(occ[i, j]) and occ[i, j] >= threshold]
        parts.append(f"{data.drug_name(d)}: {', '.join(hit) if hit else 'none'}")
        capped += [f"{data.drug_name(d)} at {t} (at most {occ[i, j]:.0f}%)" for j, t in enumerate(shown)
                   if lower[i, j] and occ[i, j] >= threshold]
    sentence = (f"At {format_concentration(concentration_nM)}, targets more than {threshold:.0f}% occupied (in vitro "
                f"affinities, mass action): " + "; ".join(parts) + ".")
    if capped:
        sentence += (" Only an upper limit is known for " + ", ".join(capped) + ": no binding was found up to the "
                     "highest concentration tested, so those cells are left uncoloured.")
    concealed = [f"{data.drug_name(inputs.drugs[i])} at {shown[j]}" for i, j in zip(*np.nonzero(hidden))]
    if concealed:
        sentence += (" Hidden as contested: " + ", ".join(concealed) + " (switch on \u201cshow contested values\u201d "
                     "to see the value).")
    return sentence


def add_threshold_lines(fig: go.Figure, target: str) -> None:
    """Draw each stored clinical occupancy threshold for a target as a labelled dotted line."""
    for _, row in thresholds_for(target).iterrows():
        fig.add_hline(y=100 * row["occupancy"], line=dict(color="grey", dash="dot"),
                      annotation_text=f"{row['outcome']} ({100 * row['occupancy']:.0f}%)",
                      annotation_position="bottom left")  # right: measured points sit at the top doses


def dose_occupancy_figure(drugs: list[str], target: str, selected: str, dose_mg: float) -> go.Figure:
    """Occupancy against dose for several drugs at one target, clinical thresholds as lines.

    The x-axis is dose as a multiple of each drug's ED50 would hide the mg; instead each curve is drawn
    against its own dose in mg/day on a log axis. Traces: one per drug, then the marker for ``selected``.
    """

    target_key = data.resolve_target(target)
    fig = go.Figure()
    ends = []
    for i, d in enumerate(drugs):
        fit = occupancy_fit(d, target_key, "dose")
        grid = np.logspace(np.log10(fit["ed50"] / 30), np.log10(dose_limit(d, target_key)), 160)
        ends += [grid[0], grid[-1]]
        is_selected = data.resolve_drug(d) == data.resolve_drug(selected)
        fig.add_scatter(
            x=grid, y=100 * fitted_occupancy(grid, fit["emax"], fit["ed50"]), name=data.drug_name(d),
            line=dict(color=PALETTE[i % len(PALETTE)], width=4 if is_selected else 2),
            opacity=1.0 if is_selected else 0.45,
            hovertemplate=f"{data.drug_name(d)}: %{{x:.3g}} mg/day → %{{y:.0f}}%<br>"
                          f"fit: Emax {100 * fit['emax']:.0f}%, ED50 {fit['ed50']:.3g} mg/day "
                          f"({citation(fit['source'])})<extra></extra>",
        )
    fig.add_scatter(**dose_marker(selected, target_key, dose_mg), mode="markers+text",
                    marker=dict(size=15, color="black", symbol="x"), showlegend=False, cliponaxis=False,
                    hovertemplate="%{customdata}<extra></extra>")
    add_threshold_lines(fig, target_key)
    # The curves' joint extent, fixed: a dose step then moves only the marker (no full redraw, see
    # helpers.view.figure_widget); the marker at 0 mg sits on the left edge and is drawn whole.
    fig.update_xaxes(type="log", title="daily dose (mg/day, log scale)",
                     range=[float(np.log10(min(ends))), float(np.log10(max(ends)))])
    fig.update_yaxes(title=f"{target_key} occupancy (%)", range=[0, 103])
    return base_layout(fig, f"{target_key} occupancy measured by PET, by daily dose", height=460)


def update_dose_occupancy_figure(fig: go.Figure, drugs: list[str], target: str, selected: str, dose_mg: float, *,
                                 selection_changed: bool = True) -> None:
    """Put a new state into an existing :func:`dose_occupancy_figure`, in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
        A figure made by :func:`dose_occupancy_figure`; changed in place.
    drugs : list of str
        The figure's drugs (one curve each), as it was built with.
    target : str
        The target the figure shows.
    selected : str
        The chosen drug.
    dose_mg : float
        Its daily dose (mg/day).
    selection_changed : bool, default True
        False when ``fig`` already highlights ``selected``: the curves are then left alone, so a dose step
        changes only the marker.

    Notes
    -----
    Changes the marker of the chosen dose (x in mg/day, y in % occupied, its label, hover and name) and,
    with ``selection_changed``, which curve is highlighted (line width and opacity). Axis ranges stay fixed.
    """
    chosen = data.resolve_drug(selected)
    *curves, marker = fig.data
    if selection_changed:
        for curve, d in zip(curves, drugs):
            is_selected = data.resolve_drug(d) == chosen
            curve.update(line_width=4 if is_selected else 2, opacity=1.0 if is_selected else 0.45)
    marker.update(**dose_marker(chosen, data.resolve_target(target), dose_mg))


def dose_marker(drug: str, target: str, dose_mg: float) -> dict:
    """Marker data for the current dose. Zero sits at the left edge of the log axis, labelled as 0 mg."""
    occ = 100 * fitted_occupancy(dose_mg, *_fit_params(drug, target))
    fit = occupancy_fit(drug, target, "dose")
    x = dose_mg if dose_mg > 0 else fit["ed50"] / 30  # the log axis has no zero: pin to its left end
    # Below the ED50 the marker is near the axis's left end: its label goes right, to stay in the figure.
    return dict(x=[x], y=[occ], text=[f"{occ:.0f}%" + (" (0 mg)" if dose_mg == 0 else "")],
                textposition=["top right" if dose_mg < fit["ed50"] else "top left"],
                customdata=[f"{data.drug_name(drug)} at {dose_mg:.3g} mg/day: {occ:.0f}% occupied"],
                name=f"{data.drug_name(drug)}, chosen dose")


def describe_dose_occupancy(drug: str, target: str, dose_mg: float) -> str:
    """Occupancy at this dose and where it sits relative to the stored thresholds."""

    target_key = data.resolve_target(target)
    fit = occupancy_fit(drug, target_key, "dose")
    emax, ed50 = fit["emax"], fit["ed50"]
    occ = fitted_occupancy(dose_mg, emax, ed50)
    text = (f"{data.drug_name(drug)} {dose_mg:.3g} mg/day: {target_key} occupancy {100 * occ:.0f}% predicted by the "
            f"{citation(fit['source'])} fit (which levels off at {100 * emax:.0f}%).")
    if fit["studied_min"] and 0 < dose_mg < fit["studied_min"]:
        text += f" This dose is below those studied ({fit['studied_min']:g} mg/day and up): the curve is extrapolated."
    for _, row in thresholds_for(target_key).iterrows():
        side = "above" if occ >= row["occupancy"] else "below"
        text += f" {side.capitalize()} the {row['outcome']} line ({100 * row['occupancy']:.0f}%)."
    return text


def profile_figure(drug: str, concentration_nM: float, label: str, show_contested: bool = False) -> go.Figure:
    """Bar chart: mass-action occupancy at every target the drug has an affinity for. Trace 0 is the bars.

    A contested value is drawn only with ``show_contested``; otherwise its bar is parked at 0 with the label
    "contested: hidden"."""
    rows = profile_rows(drug)
    kis = rows["value_nM"].astype(float).to_numpy()
    occ, labels = _profile_bars(drug, concentration_nM, show_contested)
    fig = go.Figure(go.Bar(
        x=list(rows["target"]), y=occ, marker_color=[PALETTE[i % len(PALETTE)] for i in range(len(rows))],
        marker_pattern_shape=["/" if c else "" for c in rows["contested"]],
        text=labels, textposition="outside",
        customdata=[f"{m} {'> ' if lb else ''}{format_concentration(k)}{'; contested claim' if c else ''}"
                    for m, k, lb, c in zip(rows["measure"], kis, rows["lower_bound"], rows["contested"])],
        hovertemplate="%{x}: %{y:.1f}% (%{customdata})<extra></extra>",
    ))
    fig.update_yaxes(title="predicted occupancy or inhibition (%)", range=[0, 110])
    return base_layout(fig, profile_title(drug, concentration_nM, label))


PROFILE_HIDDEN_LABEL = "contested: hidden"  # a parked bar's label (never empty: docs/live-figures.md, rule 6)


def _profile_bars(drug: str, concentration_nM: float, show_contested: bool = False) -> tuple[np.ndarray, list[str]]:
    """Bar heights (% occupied) and bar labels of :func:`profile_figure` at one concentration (nM)."""
    rows = profile_rows(drug)
    occ = 100 * occupancy(concentration_nM, rows["value_nM"].astype(float).to_numpy())
    hide = np.array([bool(c) and not show_contested for c in rows["contested"]], dtype=bool)
    labels = [PROFILE_HIDDEN_LABEL if h else ("≤" if lb else "") + f"{v:.0f}%" + (" contested" if c else "")
              for v, lb, c, h in zip(occ, rows["lower_bound"], rows["contested"], hide)]
    return np.where(hide, 0.0, occ), labels


def profile_title(drug: str, concentration_nM: float, label: str) -> str:
    return f"{data.drug_name(drug)}: {label} ({format_concentration(concentration_nM)})"


def update_profile_figure(fig: go.Figure, drug: str, concentration_nM: float, label: str,
                          show_contested: bool = False) -> None:
    """Put a new state into an existing :func:`profile_figure`, in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
        A figure made by :func:`profile_figure`; changed in place.
    drug : str
        The figure's drug, as it was built with.
    concentration_nM : float
        Concentration (nM).
    label : str
        What gives that concentration (e.g. '3 cups'), written in the title.
    show_contested : bool, default False
        Draw contested values; otherwise their bars sit at 0 labelled "contested: hidden".

    Notes
    -----
    Changes the bars' heights (y, % occupied), their labels and the title. Targets, colours and hover text
    stay as built.
    """
    occ, labels = _profile_bars(drug, concentration_nM, show_contested)
    fig.data[0].update(y=occ, text=labels)
    fig.layout.title.text = profile_title(drug, concentration_nM, label)


def describe_profile(drug: str, concentration_nM: float, show_contested: bool = False) -> str:
    """Occupancy at each target; a contested value only with ``show_contested`` (else named as hidden)."""
    rows = profile_rows(drug)
    parts = [f"{t} {'at most ' if lb else ''}{100 * occupancy(concentration_nM, float(k)):.0f}%"
             f"{' (contested value)' if c else ''}"
             for t, k, lb, c in zip(rows["target"], rows["value_nM"], rows["lower_bound"], rows["contested"])
             if show_contested or not c]
    hidden = [t for t, c in zip(rows["target"], rows["contested"]) if c and not show_contested]
    text = f"At {format_concentration(concentration_nM)} {data.drug_name(drug)}: " + ", ".join(parts) + "."
    if hidden:
        text += (f" Hidden as contested: {', '.join(hidden)} (switch on \u201cshow contested values\u201d to see "
                 "the value).")
    return text


def measured_occupancy_figure(target: str) -> go.Figure:
    """Measured occupancy against dose, one colour per drug; filled markers = repeated dosing,
    open markers = single dose. Clinical lines from ``occupancy_thresholds``."""

    rows = measurements_for(target)
    fig = go.Figure()
    for i, (drug, group) in enumerate(rows.groupby("drug", sort=False)):
        single = group["regimen"].str.startswith("single")
        for is_single, part in ((False, group[~single]), (True, group[single])):
            if part.empty:
                continue
            fig.add_scatter(
                x=part["dose_mg_day"], y=100 * part["occupancy"].astype(float), mode="markers",
                name=f"{data.drug_name(drug)}{' (single dose)' if is_single else ''}",
                marker=dict(size=14, color=PALETTE[i % len(PALETTE)],
                            symbol="circle-open" if is_single else "circle", line=dict(width=3)),
                customdata=[f"{r['regimen']}; {r['region']}, {r['tracer']}; n={r['n_subjects'] or '?'}; "
                            f"{citation(r['source'])}" for _, r in part.iterrows()],
                hovertemplate=f"{data.drug_name(drug)} %{{x}} mg: %{{y:.0f}}%<br>%{{customdata}}<extra></extra>",
            )
    add_threshold_lines(fig, target)
    fig.update_xaxes(type="log", title="dose (mg, log scale)")
    fig.update_yaxes(title=f"{data.resolve_target(target)} occupancy (%)", range=[0, 100])
    return base_layout(fig, f"{data.resolve_target(target)} occupancy measured in people", height=430)


def describe_measured_occupancy(target: str) -> str:
    rows = measurements_for(target)
    parts = [f"{data.drug_name(r['drug'])} {r['dose_mg_day']:g} mg ({'single dose' if r['regimen'].startswith('single') else 'repeated dosing'}, "
             f"{r['region']}): {100 * float(r['occupancy']):.0f}%" for _, r in rows.iterrows()]
    return "Measured mean occupancy: " + "; ".join(parts) + "."


def saturation_figure(multiple: float) -> go.Figure:
    """Generic saturating curve, occupancy = D / (D50 + D), with dose in multiples of D50.

    Traces: 0 the curve, 1 the current dose, 2 double the current dose.
    """
    occ = 100 * fitted_occupancy(SATURATION_MULTIPLES, 1.0, 1.0)
    fig = go.Figure()
    fig.add_scatter(x=SATURATION_MULTIPLES, y=occ, name="occupancy", line=dict(color=PALETTE[0], width=3))
    fig.add_scatter(**saturation_marker(multiple), mode="markers+text", textposition="top left",
                    marker=dict(size=14, color="black"), name="this dose")
    fig.add_scatter(**saturation_marker(2 * multiple), mode="markers+text", textposition="bottom right",
                    marker=dict(size=14, color=PALETTE[5], symbol="diamond"), name="double the dose")
    fig.update_xaxes(title="dose, in multiples of the dose giving half-maximal occupancy", range=[0, 41])
    fig.update_yaxes(title="occupancy (% of the maximum)", range=[0, 105])
    return base_layout(fig, "Why doubling a dose adds little occupancy at the top of the curve")


def update_saturation_figure(fig: go.Figure, multiple: float) -> None:
    """Move the markers of an existing :func:`saturation_figure`, in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
        A figure made by :func:`saturation_figure`; changed in place.
    multiple : float
        The dose, in multiples of the dose giving half-maximal occupancy.

    Notes
    -----
    Changes the two markers, this dose and double it (x: dose in multiples of the half-maximal dose; y and
    label: % of maximal occupancy). The curve and the fixed axes stay as built, so a step moves only points.
    """
    this_dose, double_dose = fig.data[1], fig.data[2]
    this_dose.update(**saturation_marker(multiple))
    double_dose.update(**saturation_marker(2 * multiple))


def saturation_marker(multiple: float) -> dict:
    occ = 100 * fitted_occupancy(multiple, 1.0, 1.0)
    return dict(x=[multiple], y=[occ], text=[f"{occ:.0f}%"])


def describe_saturation(multiple: float) -> str:
    now, doubled = (100 * fitted_occupancy(m, 1.0, 1.0) for m in (multiple, 2 * multiple))
    return (f"At {multiple:g} times the half-maximal dose, occupancy is {now:.0f}% of the maximum; doubling the dose "
            f"gives {doubled:.0f}%, a gain of {doubled - now:.0f} percentage points.")


def caffeine_figure(per_cup_nM: float, cups: float) -> go.Figure:
    """Estimated peak plasma caffeine (µM) against cups of brewed coffee, set against what each of caffeine's
    mechanisms needs. Traces: 0 line, 1 current.

    Up to the measured reference level (a single 5 mg/kg dose, ``data/exposures``) a shaded band marks the
    levels at which caffeine's only known action is partial block of adenosine A1 and A2A receptors; an arrow at
    the top says that phosphodiesterase inhibition, calcium release and GABA-A block need much higher
    concentrations (both from the evidence rows in ``data/evidence``). Band, line and labels are shapes and
    annotations in paper coordinates: a slider step moves only the marker.
    """
    ref, mech = caffeine_reference_level(), caffeine_mechanisms()
    fig = go.Figure()
    fig.add_scatter(x=CUPS, y=peak_caffeine_uM(per_cup_nM, CUPS), name="estimated peak plasma caffeine",
                    line=dict(color=PALETTE[1], width=3))
    fig.add_scatter(**caffeine_marker(per_cup_nM, cups), mode="markers+text",
                    textposition="top left", marker=dict(size=14, color="black"), name="now", cliponaxis=False)
    # Fixed ranges (the line's extent, 5% headroom): a step moves only the marker, without a full redraw.
    y_range = (0.0, 1.05 * float(CUPS[-1]) * per_cup_nM / 1000)
    fig.update_xaxes(title="cups of brewed coffee taken together", range=[float(CUPS[0]), float(CUPS[-1])])
    fig.update_yaxes(title="peak plasma caffeine (µM)", range=list(y_range))
    top = to_paper(min(ref["uM"], y_range[1]), y_range)
    fig.add_shape(type="rect", xref="paper", yref="paper", x0=0, x1=1, y0=0, y1=top, fillcolor=PALETTE[0],
                  opacity=0.15, line_width=0, layer="below")
    fig.add_shape(type="line", xref="paper", yref="paper", x0=0, x1=1, y0=top, y1=top,
                  line=dict(color=PALETTE[0], width=2, dash="dash"))
    label = dict(xref="paper", yref="paper", showarrow=False, font=dict(size=13), bgcolor="rgba(255,255,255,0.8)")
    fig.add_annotation(x=0.99, y=top, xanchor="right", yanchor="bottom", align="right",
                       text=f"measured peak after {ref['mg_per_kg']:g} mg/kg (about {ref['uM'] * 1000 / per_cup_nM:.0f} cups "
                            f"at once): {ref['uM']:.0f} µM ({ref['source']})", **label)
    fig.add_annotation(x=0.99, y=top / 2, xanchor="right", yanchor="middle", align="right",
                       text=f"adenosine A1 and A2A receptors partly blocked:<br>the only action at these levels "
                            f"({mech['adenosine']['source']}; {mech['other']['source']})", **label)
    fig.add_annotation(x=0.01, y=1.0, xanchor="left", yanchor="top", align="left",
                       text=f"↑ phosphodiesterase inhibition, calcium release, GABA-A block:<br>need much higher "
                            f"concentrations than drinking gives ({mech['other']['source']})", **label)
    fig = base_layout(fig, "Caffeine after coffee, and the levels its mechanisms need<br>(teaching estimate)",
                      height=500)
    fig.update_layout(margin=dict(t=95))  # room for the two-line title above the top label
    return fig


def caffeine_marker(per_cup_nM: float, cups: float) -> dict:
    """Marker data for the current number of cups: x in cups, y the peak level (µM) and its label."""
    um = peak_caffeine_uM(per_cup_nM, cups)
    return dict(x=[cups], y=[um], text=[f"{um:.0f} µM"])


def update_caffeine_figure(fig: go.Figure, per_cup_nM: float, cups: float) -> None:
    """Move the marker of an existing :func:`caffeine_figure`, in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
        A figure made by :func:`caffeine_figure`; changed in place.
    per_cup_nM : float
        Peak plasma caffeine one cup gives (nM), as the figure was built with.
    cups : float
        Cups of brewed coffee taken together.

    Notes
    -----
    Changes the marker only (x: cups; y: estimated peak plasma caffeine in µM; its label). The line and the
    fixed axes stay as built.
    """
    fig.data[1].update(**caffeine_marker(per_cup_nM, cups))


def describe_caffeine(per_cup_nM: float, cups: float) -> str:
    """The estimated level and which of caffeine's mechanisms act there (as the figure's band and arrow say)."""
    um = peak_caffeine_uM(per_cup_nM, cups)
    mg_l = um * data.molar_mass("caffeine") / 1000
    ref, mech = caffeine_reference_level(), caffeine_mechanisms()
    text = (f"{cups:g} cup{'s' if cups != 1 else ''} of brewed coffee: estimated peak plasma caffeine {um:.0f} µM "
            f"({mg_l:.1f} mg/L), for a 70 kg adult.")
    if cups == 0:
        return text + " With no caffeine, none of its mechanisms acts."
    if um <= ref["uM"]:
        text += (f" This is inside the shaded band, at or below the level measured after {ref['mg_per_kg']:g} mg/kg "
                 f"({ref['uM']:.0f} µM, {ref['source']}): caffeine's only known action here is partial block of "
                 f"adenosine A1 and A2A receptors ({mech['adenosine']['source']}).")
    else:
        text += (f" This is above the peak measured after a single {ref['mg_per_kg']:g} mg/kg dose ({ref['uM']:.0f} µM, "
                 f"{ref['source']}), so the straight line is an extrapolation.")
    return text + (" Phosphodiesterase inhibition, calcium release and GABA-A block need much higher concentrations "
                   f"({mech['other']['source']}).")
