"""Plotly figure builders for the basics notebook, plus text descriptions of what each shows.

Builders return ``plotly.graph_objects.Figure`` and never touch widgets; ``helpers.widgets`` wraps them.
Each ``describe_*`` function returns the sentence a screen-reader user (or a projector in a bright
room) needs to get the figure's message without seeing it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import data
from .occupancy import affinity_table, occupancy_fit, preferred_affinity
from .pharmacology import concentration_for_occupancy, fitted_occupancy, ligand_response, occupancy

# Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
SEQUENTIAL = "Cividis"  # perceptually uniform and readable with colour-vision deficiency
CONC_RANGE_NM = (1e-2, 1e6)  # x-axis of concentration plots: 10 pM to 1 mM
FONT = dict(size=15)

# What the selectivity heatmap shows: a teaching choice (two drug classes, their main targets and the
# off-targets most linked with side effects), not a fact; the affinities themselves come from data/.
# Escitalopram and aripiprazole are left out until their affinities are verified against a primary source
# (data/README.md); a row of "no data" cells would teach nothing.
SELECTIVITY_DRUGS = ("citalopram", "fluoxetine", "paroxetine", "sertraline",
                     "haloperidol", "risperidone", "olanzapine", "clozapine", "aripiprazole")
SELECTIVITY_TARGETS = ("SERT", "NET", "DAT", "D2", "5-HT2A", "H1", "muscarinic", "alpha1")


def _base_layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, x=0.01), template="plotly_white", height=height, font=FONT,
        margin=dict(l=70, r=30, t=60, b=60), legend=dict(orientation="h", y=-0.22),
    )
    return fig


def to_paper(value: float, axis_range, domain=(0.0, 1.0)) -> float:
    """Where ``value`` on an axis with a fixed ``axis_range`` (in the axis's own units: log10 for a log axis)
    and ``domain`` lies in paper coordinates (fractions of the whole plotting area).

    Labels that never move are placed this way: plotly.js redraws every annotation tied to an axis after each
    quick redraw (``FigureWidget.batch_redraw``), and leaves paper-placed ones alone.
    """
    fraction = (value - axis_range[0]) / (axis_range[1] - axis_range[0])
    return domain[0] + fraction * (domain[1] - domain[0])


def format_concentration(nM: float) -> str:
    """A concentration in nM as readable text with a sensible unit (``'250 nM'``, ``'1.5 µM'``)."""
    if nM >= 1e6:
        return f"{nM / 1e6:.3g} mM"
    if nM >= 1e3:
        return f"{nM / 1e3:.3g} µM"
    if nM >= 1:
        return f"{nM:.3g} nM"
    return f"{nM * 1e3:.3g} pM"


def concentration_grid(n: int = 241) -> np.ndarray:
    """Log-spaced concentrations (nM) spanning :data:`CONC_RANGE_NM`."""
    return np.logspace(np.log10(CONC_RANGE_NM[0]), np.log10(CONC_RANGE_NM[1]), n)


# --- Ligand types -------------------------------------------------------------------------------

LIGAND_TYPES = {
    # name: (efficacy for helpers.pharmacology.ligand_response, one-line description)
    "full agonist": (30.0, "binds and switches the receptor fully on"),
    "partial agonist": (0.6, "binds and switches the receptor only partly on, even at full occupancy"),
    "neutral antagonist": (0.0, "binds without changing activity; it only blocks other ligands"),
    "inverse agonist": (-1.0, "binds and switches off the receptor's spontaneous (basal) activity"),
}


def ligand_curves(kd_nM: float, efficacy: float, concentration_nM: float, basal: float = 0.1) -> dict:
    """Percent occupancy and activity on :func:`concentration_grid`, and at the current concentration."""
    grid = concentration_grid()
    return dict(
        occupancy=100 * occupancy(grid, kd_nM), activity=100 * ligand_response(grid, kd_nM, efficacy, basal),
        occupancy_now=100 * occupancy(concentration_nM, kd_nM),
        activity_now=100 * ligand_response(concentration_nM, kd_nM, efficacy, basal),
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
    # figure redraws without a full redraw (helpers.figure_widget); markers at an end stay whole.
    fig.update_xaxes(type="log", title="ligand concentration (nM, log scale)", exponentformat="power",
                     range=list(np.log10(CONC_RANGE_NM)))
    fig.update_yaxes(title="percent", range=[-3, 103])
    return _base_layout(fig, ligand_title(kind))


def ligand_title(kind: str) -> str:
    return f"{'An' if kind[0] in 'aeiou' else 'A'} {kind}: binding and effect"


def describe_ligand(kind: str, kd_nM: float, efficacy: float, concentration_nM: float, basal: float = 0.1) -> str:
    """One sentence stating occupancy and activity at the current concentration."""
    occ = occupancy(concentration_nM, kd_nM)
    act = ligand_response(concentration_nM, kd_nM, efficacy, basal)
    article = "an" if kind[0] in "aeiou" else "a"
    return (f"At {format_concentration(concentration_nM)}, {article} {kind} with Kd {format_concentration(kd_nM)} "
            f"occupies {100 * occ:.0f}% of receptors; receptor activity is {100 * act:.0f}% of the maximum "
            f"(basal activity without any ligand: {100 * basal:.0f}%).")


# --- Competitive antagonist -----------------------------------------------------------------------

# Wide enough that even the largest shift (antagonist 10 uM, KB 0.1 nM: 1e5-fold) reaches its plateau:
# a curve cut off before its maximum would wrongly suggest the antagonist lowers the maximum.
ANTAGONIST_GRID_NM = np.logspace(-2, 9, 281)


def antagonist_curves(agonist_kd_nM: float, agonist_efficacy: float, antagonist_nM: float,
                      antagonist_kb_nM: float) -> tuple[np.ndarray, np.ndarray]:
    """Agonist response (fraction) on :data:`ANTAGONIST_GRID_NM`, alone and with the antagonist.

    Response follows the operational model applied to the agonist's occupancy in the presence of the
    competitive antagonist (Gaddum equation).
    """
    from .pharmacology import agonist_occupancy_with_antagonist

    grid = ANTAGONIST_GRID_NM
    alone = ligand_response(grid, agonist_kd_nM, agonist_efficacy, basal=0.0)
    p = agonist_occupancy_with_antagonist(grid, agonist_kd_nM, antagonist_nM, antagonist_kb_nM)
    t = agonist_efficacy
    return alone, t * p / (1 + t * p)


def antagonist_title(antagonist_nM: float, antagonist_kb_nM: float) -> str:
    from .pharmacology import antagonist_dose_ratio

    ratio = antagonist_dose_ratio(antagonist_nM, antagonist_kb_nM)
    return f"Competitive antagonist: curve shifted {ratio:.3g}-fold to the right"


def antagonist_shift_figure(agonist_kd_nM: float, agonist_efficacy: float, antagonist_nM: float,
                            antagonist_kb_nM: float) -> go.Figure:
    """Agonist concentration-response without and with a competitive antagonist.

    Traces: 0 agonist alone, 1 agonist plus antagonist.
    """
    grid = ANTAGONIST_GRID_NM
    alone, shifted = antagonist_curves(agonist_kd_nM, agonist_efficacy, antagonist_nM, antagonist_kb_nM)
    fig = go.Figure()
    fig.add_scatter(x=grid, y=100 * alone, name="agonist alone", line=dict(color=PALETTE[0], width=3))
    label = f"with antagonist at {format_concentration(antagonist_nM)}" if antagonist_nM else "no antagonist added"
    fig.add_scatter(x=grid, y=100 * shifted, name=label,
                    line=dict(color=PALETTE[5], width=3, dash="dash"))
    fig.update_xaxes(type="log", title="agonist concentration (nM, log scale)", exponentformat="power")
    fig.update_yaxes(title="response (% of maximum)", range=[-3, 103])
    return _base_layout(fig, antagonist_title(antagonist_nM, antagonist_kb_nM))


def describe_antagonist_shift(antagonist_nM: float, antagonist_kb_nM: float) -> str:
    from .pharmacology import antagonist_dose_ratio

    ratio = antagonist_dose_ratio(antagonist_nM, antagonist_kb_nM)
    return (f"With the antagonist at {format_concentration(antagonist_nM)} (KB {format_concentration(antagonist_kb_nM)}), "
            f"the agonist needs {ratio:.3g} times more concentration for the same response "
            f"(dose ratio 1 + [B]/KB); the maximum response is unchanged, so enough agonist still wins.")


# --- Selectivity heatmap ------------------------------------------------------------------------

@dataclass(frozen=True)
class SelectivityInputs:
    """Everything about a drug x target grid that does not depend on concentration (built once).

    ``ki_nM`` holds the affinity used for each cell (NaN where no affinity is stored); ``lower_bound``
    and ``contested`` flag cells whose value is only a bound or is disputed; ``hover`` has the
    measured constant, species and source for each cell.
    """

    drugs: tuple[str, ...]
    targets: tuple[str, ...]
    ki_nM: np.ndarray
    lower_bound: np.ndarray
    contested: np.ndarray
    hover: np.ndarray


@lru_cache(maxsize=16)
def selectivity_inputs(drugs: tuple[str, ...], targets: tuple[str, ...]) -> SelectivityInputs:
    """Look up the affinity (and its flags and source) for every drug-target pair once."""
    from .evidence import citation

    table = affinity_table()
    drug_keys = tuple(data.resolve_drug(d) for d in drugs)
    target_keys = tuple(data.resolve_target(t) for t in targets)
    shape = (len(drug_keys), len(target_keys))
    ki, lower, contested = np.full(shape, np.nan), np.zeros(shape, bool), np.zeros(shape, bool)
    hover = np.empty(shape, dtype=object)
    for i, d in enumerate(drug_keys):
        for j, t in enumerate(target_keys):
            cell = preferred_affinity(table, d, t)
            if cell is None:
                hover[i, j] = f"{data.drug_name(d)} at {t}: no affinity in data/"
                continue
            ki[i, j], lower[i, j], contested[i, j] = float(cell["value_nM"]), cell["lower_bound"], cell["contested"]
            shown = ("> " if lower[i, j] else "") + format_concentration(ki[i, j])
            flag = " (contested)" if contested[i, j] else ""
            hover[i, j] = (f"{data.drug_name(d)} at {t}: {cell['measure']} {shown}{flag}<br>"
                           f"{cell['species']}; {citation(cell['source'])}")
    return SelectivityInputs(drug_keys, target_keys, ki, lower, contested, hover)


def selectivity_view(inputs: SelectivityInputs, targets: list[str], concentration_nM: float) -> dict:
    """Heatmap arrays for the chosen targets at one free concentration: ``z`` (% occupied, the colour),
    ``text``, ``customdata`` (hover), ``x``, ``y``, and ``occupancy`` (% as numbers, bounds included).

    Missing affinities stay empty ('no data'), never 0. A lower-bound affinity (no binding up to the highest
    concentration tested) only caps the occupancy: its cell reads '≤ x%' and is left uncoloured, because
    colouring it by the cap would paint a receptor the drug may not bind at all as if it were occupied.
    """
    columns = [inputs.targets.index(data.resolve_target(t)) for t in targets]
    ki = inputs.ki_nM[:, columns]
    lower = inputs.lower_bound[:, columns]
    with np.errstate(invalid="ignore"):
        occ = np.where(np.isnan(ki), np.nan, 100 * concentration_nM / (concentration_nM + np.nan_to_num(ki, nan=1.0)))
    text = [[("no data" if np.isnan(occ[i, j]) else
              f"{'≤' if lower[i, j] else ''}{occ[i, j]:.0f}%{'?' if inputs.contested[i, c] else ''}")
             for j, c in enumerate(columns)] for i in range(len(inputs.drugs))]
    # None, not NaN, for cells without a colour: NaN is not valid JSON and breaks the widget message.
    z_json = [[None if (np.isnan(v) or lb) else float(v) for v, lb in zip(row, lrow)] for row, lrow in zip(occ, lower)]
    return dict(z=z_json, text=text, customdata=inputs.hover[:, columns].tolist(),
                x=[inputs.targets[c] for c in columns], y=[data.drug_name(d) for d in inputs.drugs],
                occupancy=occ, lower_bound=lower)


def selectivity_matrix(drugs: list[str], targets: list[str], concentration_nM: float) -> pd.DataFrame:
    """Mass-action occupancy (%) of each target (columns) by each drug (rows) at one free concentration.

    Missing affinities are NaN (shown as 'no data', never as 0). Lower-bound affinities (Ki greater than
    the stored value) give an upper bound on occupancy and are flagged in the figure's text ('≤').
    """
    inputs = selectivity_inputs(tuple(drugs), tuple(targets))
    view = selectivity_view(inputs, list(inputs.targets), concentration_nM)
    return pd.DataFrame(view["occupancy"], index=list(inputs.drugs), columns=list(inputs.targets), dtype=float)


def selectivity_figure(drugs: list[str], targets: list[str], concentration_nM: float) -> go.Figure:
    """Heatmap of predicted occupancy with Ki, measure and source in the hover text. Trace 0 is the heatmap."""
    inputs = selectivity_inputs(tuple(drugs), tuple(targets))
    view = selectivity_view(inputs, list(targets), concentration_nM)
    fig = go.Figure(go.Heatmap(
        **{k: view[k] for k in HEATMAP_KEYS}, zmin=0, zmax=100, colorscale=SEQUENTIAL, texttemplate="%{text}",
        hovertemplate="%{customdata}<extra></extra>", showscale=False, xgap=2, ygap=2,
    ))
    fig.update_yaxes(autorange="reversed")
    # The key is the axis title, not a colour bar: every cell prints its number, and plotly redraws a colour
    # bar on each slider step (about 9 ms of a 50 ms step in JupyterLab, measured A/B).
    fig.update_xaxes(tickangle=0, title=dict(text=SELECTIVITY_KEY, font=dict(size=13)))
    return _base_layout(fig, selectivity_title(concentration_nM), height=160 + 40 * len(inputs.drugs))


SELECTIVITY_KEY = "number and colour: % of the target occupied (dark blue 0%, yellow 100%)"
HEATMAP_KEYS = ("z", "text", "customdata", "x", "y")  # the parts of a selectivity view a heatmap trace takes


def selectivity_title(concentration_nM: float) -> str:
    return f"Predicted occupancy at {format_concentration(concentration_nM)} free drug"


def describe_selectivity(drugs: list[str], targets: list[str], concentration_nM: float, threshold: float = 50,
                         inputs: SelectivityInputs | None = None) -> str:
    """Which of ``targets`` each drug occupies above ``threshold`` percent at this concentration.

    ``inputs`` (from :func:`selectivity_inputs`, possibly for a wider set of targets) saves looking the
    affinities up again: a widget passes the grid it already holds.
    """
    inputs = inputs or selectivity_inputs(tuple(drugs), tuple(targets))
    shown = [data.resolve_target(t) for t in targets]
    view = selectivity_view(inputs, shown, concentration_nM)
    occ, lower = view["occupancy"], view["lower_bound"]
    parts, capped = [], []
    for i, d in enumerate(inputs.drugs):
        hit = [t for j, t in enumerate(shown) if not lower[i, j] and np.isfinite(occ[i, j]) and occ[i, j] >= threshold]
        parts.append(f"{data.drug_name(d)}: {', '.join(hit) if hit else 'none'}")
        capped += [f"{data.drug_name(d)} at {t} (at most {occ[i, j]:.0f}%)" for j, t in enumerate(shown)
                   if lower[i, j] and occ[i, j] >= threshold]
    sentence = (f"At {format_concentration(concentration_nM)}, targets more than {threshold:.0f}% occupied (in vitro "
                f"affinities, mass action): " + "; ".join(parts) + ".")
    if capped:
        sentence += (" Only an upper limit is known for " + ", ".join(capped) + ": no binding was found up to the "
                     "highest concentration tested, so those cells are left uncoloured.")
    return sentence


# --- Dose-occupancy from PET ----------------------------------------------------------------------

def thresholds_for(target: str) -> pd.DataFrame:
    """Clinical occupancy thresholds stored for a target (may be empty)."""
    key = data.resolve_target(target)
    rows = data.table("occupancy_thresholds")
    return rows[rows["target"] == key].sort_values("occupancy").reset_index(drop=True)


def add_threshold_lines(fig: go.Figure, target: str) -> None:
    """Draw each stored clinical occupancy threshold for a target as a labelled dotted line."""
    for _, row in thresholds_for(target).iterrows():
        fig.add_hline(y=100 * row["occupancy"], line=dict(color="grey", dash="dot"),
                      annotation_text=f"{row['outcome']} ({100 * row['occupancy']:.0f}%)",
                      annotation_position="bottom left")  # right: measured points sit at the top doses


def dose_for_occupancy(drug: str, target: str, fraction: float) -> float:
    """Daily dose (mg/day) predicted to reach an occupancy fraction; ``inf`` if the fit's Emax is below it."""
    fit = occupancy_fit(drug, target, "dose")
    if fraction >= fit["emax"]:
        return float("inf")
    return float(fit["ed50"] * fraction / (fit["emax"] - fraction))


def dose_grid(drug: str, target: str, n: int = 200) -> np.ndarray:
    """Doses (mg/day) from 0 to the highest dose in the fitted data (20 x ED50 if that is not stored).

    The slider stops there: beyond the studied doses a fit is extrapolation.
    """
    return np.linspace(0, dose_limit(drug, target), n)


def dose_limit(drug: str, target: str) -> float:
    """Highest studied dose of a fit (mg/day), or 20 x ED50 when the data do not state it."""
    fit = occupancy_fit(drug, target, "dose")
    return float(fit["studied_max"] or 20 * fit["ed50"])


def dose_occupancy_figure(drugs: list[str], target: str, selected: str, dose_mg: float) -> go.Figure:
    """Occupancy against dose for several drugs at one target, clinical thresholds as lines.

    The x-axis is dose as a multiple of each drug's ED50 would hide the mg; instead each curve is drawn
    against its own dose in mg/day on a log axis. Traces: one per drug, then the marker for ``selected``.
    """
    from .evidence import citation

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
    # helpers.figure_widget); the marker at 0 mg sits on the left edge and is drawn whole.
    fig.update_xaxes(type="log", title="daily dose (mg/day, log scale)",
                     range=[float(np.log10(min(ends))), float(np.log10(max(ends)))])
    fig.update_yaxes(title=f"{target_key} occupancy (%)", range=[0, 103])
    return _base_layout(fig, f"{target_key} occupancy measured by PET, by daily dose", height=460)


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


def _fit_params(drug: str, target: str) -> tuple[float, float]:
    fit = occupancy_fit(drug, target, "dose")
    return fit["emax"], fit["ed50"]


def describe_dose_occupancy(drug: str, target: str, dose_mg: float) -> str:
    """Occupancy at this dose and where it sits relative to the stored thresholds."""
    from .evidence import citation

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


def window_table(drugs: list[str], target: str) -> pd.DataFrame:
    """Where each drug's fit crosses each stored occupancy line: a model exercise, not dosing guidance.

    Each cell is the dose (mg/day) at which the fit reaches the line, 'never (plateau below the line)'
    when the fit's Emax is below it, or 'beyond studied doses' when the crossing lies above the highest
    dose in the fitted data.
    """
    from .evidence import citation

    target_key = data.resolve_target(target)
    rows = []
    for d in drugs:
        fit = occupancy_fit(d, target_key, "dose")
        row = {"drug": data.drug_name(d), "plateau (%)": round(100 * fit["emax"]),
               "studied (mg/day)": f"{fit['studied_min']:g}-{fit['studied_max']:g}" if fit["studied_max"] else "?"}
        for _, th in thresholds_for(target_key).iterrows():
            dose = dose_for_occupancy(d, target_key, th["occupancy"])
            if not np.isfinite(dose):
                cell = "never"
            elif fit["studied_max"] and dose > fit["studied_max"]:
                cell = "beyond studied"
            else:
                cell = f"{dose:.2g}"
            row[f"{th['outcome']} ({100 * th['occupancy']:.0f}%)"] = cell
        row["fit"] = citation(fit["source"])
        rows.append(row)
    return pd.DataFrame(rows)


# --- One drug, several targets ----------------------------------------------------------------------

def profile_figure(drug: str, concentration_nM: float, label: str) -> go.Figure:
    """Bar chart: mass-action occupancy at every target the drug has an affinity for. Trace 0 is the bars."""
    rows = profile_rows(drug)
    kis = rows["value_nM"].astype(float).to_numpy()
    occ = 100 * occupancy(concentration_nM, kis)
    labels = [("≤" if lb else "") + f"{v:.0f}%" + (" contested" if c else "")
              for v, lb, c in zip(occ, rows["lower_bound"], rows["contested"])]
    fig = go.Figure(go.Bar(
        x=list(rows["target"]), y=occ, marker_color=[PALETTE[i % len(PALETTE)] for i in range(len(rows))],
        marker_pattern_shape=["/" if c else "" for c in rows["contested"]],
        text=labels, textposition="outside",
        customdata=[f"{m} {'> ' if lb else ''}{format_concentration(k)}{'; contested claim' if c else ''}"
                    for m, k, lb, c in zip(rows["measure"], kis, rows["lower_bound"], rows["contested"])],
        hovertemplate="%{x}: %{y:.1f}% (%{customdata})<extra></extra>",
    ))
    fig.update_yaxes(title="predicted occupancy or inhibition (%)", range=[0, 110])
    return _base_layout(fig, f"{data.drug_name(drug)}: {label} ({format_concentration(concentration_nM)})")


def profile_rows(drug: str) -> pd.DataFrame:
    """One preferred affinity row per target for a drug (see ``occupancy.preferred_affinity``)."""
    key = data.resolve_drug(drug)
    table = affinity_table()
    targets = list(dict.fromkeys(table.loc[table["drug"] == key, "target"]))
    return pd.DataFrame([preferred_affinity(table, key, t) for t in targets]).reset_index(drop=True)


def describe_profile(drug: str, concentration_nM: float) -> str:
    rows = profile_rows(drug)
    parts = [f"{t} {'at most ' if lb else ''}{100 * occupancy(concentration_nM, float(k)):.0f}%"
             f"{' (contested value)' if c else ''}"
             for t, k, lb, c in zip(rows["target"], rows["value_nM"], rows["lower_bound"], rows["contested"])]
    return f"At {format_concentration(concentration_nM)} {data.drug_name(drug)}: " + ", ".join(parts) + "."


def show(fig: go.Figure, description: str):
    """A static figure with its text description under it, for screen readers and projectors.

    Returns an ``ipywidgets.VBox`` (IPython displays it as a cell's result). The figure is a
    ``go.FigureWidget`` rather than plotly's mimetype output so that it renders the same way as the
    interactive demos in JupyterLab and Voila; the static site snapshots it like any other widget.
    """
    import ipywidgets as widgets

    if not description or not description.strip():
        raise ValueError("every figure needs a text description of what it shows")
    fig.update_layout(meta={"description": description})
    text = widgets.HTML(f"<p><b>What the figure shows:</b> {html.escape(description)}</p>",
                        layout=widgets.Layout(max_width="900px"))
    from .figure_widget import FigureWidget
    from .widgets import keep_alive  # Voila does not keep cell results alive (see helpers.widgets)

    return keep_alive(widgets.VBox([FigureWidget(fig), text]))


# --- Measured PET/SPECT occupancy (points) and the shape of saturation -------------------------

def measurements_for(target: str) -> pd.DataFrame:
    """Measured occupancies stored for a target, sorted by drug then dose."""
    key = data.resolve_target(target)
    rows = data.table("occupancy_measurements")
    return rows[rows["target"] == key].sort_values(["drug", "dose_mg_day"]).reset_index(drop=True)


def measured_occupancy_figure(target: str) -> go.Figure:
    """Measured occupancy against dose, one colour per drug; filled markers = repeated dosing,
    open markers = single dose. Clinical lines from ``occupancy_thresholds``."""
    from .evidence import citation

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
    return _base_layout(fig, f"{data.resolve_target(target)} occupancy measured in people", height=430)


def describe_measured_occupancy(target: str) -> str:
    rows = measurements_for(target)
    parts = [f"{data.drug_name(r['drug'])} {r['dose_mg_day']:g} mg ({'single dose' if r['regimen'].startswith('single') else 'repeated dosing'}, "
             f"{r['region']}): {100 * float(r['occupancy']):.0f}%" for _, r in rows.iterrows()]
    return "Measured mean occupancy: " + "; ".join(parts) + "."


SATURATION_MULTIPLES = np.linspace(0, 20, 161)


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
    return _base_layout(fig, "Why doubling a dose adds little occupancy at the top of the curve")


def saturation_marker(multiple: float) -> dict:
    occ = 100 * fitted_occupancy(multiple, 1.0, 1.0)
    return dict(x=[multiple], y=[occ], text=[f"{occ:.0f}%"])


def describe_saturation(multiple: float) -> str:
    now, doubled = (100 * fitted_occupancy(m, 1.0, 1.0) for m in (multiple, 2 * multiple))
    return (f"At {multiple:g} times the half-maximal dose, occupancy is {now:.0f}% of the maximum; doubling the dose "
            f"gives {doubled:.0f}%, a gain of {doubled - now:.0f} percentage points.")


# --- Caffeine exposure -------------------------------------------------------------------------

CUPS = np.linspace(0, 10, 41)


def caffeine_figure(per_cup_nM: float, cups: float) -> go.Figure:
    """Estimated peak plasma caffeine (uM) against cups of brewed coffee. Traces: 0 line, 1 current."""
    fig = go.Figure()
    fig.add_scatter(x=CUPS, y=CUPS * per_cup_nM / 1000, name="estimated peak plasma caffeine",
                    line=dict(color=PALETTE[1], width=3))
    fig.add_scatter(x=[cups], y=[cups * per_cup_nM / 1000], mode="markers+text", text=[f"{cups * per_cup_nM / 1000:.0f} µM"],
                    textposition="top left", marker=dict(size=14, color="black"), name="now", cliponaxis=False)
    # Fixed ranges (the line's extent, 5% headroom): a step moves only the marker, without a full redraw.
    fig.update_xaxes(title="cups of brewed coffee taken together", range=[float(CUPS[0]), float(CUPS[-1])])
    fig.update_yaxes(title="peak plasma caffeine (µM)", range=[0, 1.05 * float(CUPS[-1]) * per_cup_nM / 1000])
    return _base_layout(fig, "Caffeine in the blood after coffee (teaching estimate)")


def describe_caffeine(per_cup_nM: float, cups: float) -> str:
    um = cups * per_cup_nM / 1000
    mg_l = um * data.molar_mass("caffeine") / 1000
    return (f"{cups:g} cup{'s' if cups != 1 else ''} of brewed coffee: estimated peak plasma caffeine {um:.0f} µM "
            f"({mg_l:.1f} mg/L), for a 70 kg adult.")
