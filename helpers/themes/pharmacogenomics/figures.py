"""Plotly figures for the pharmacogenomics notebook and the sentences that describe them.

Builders return ``go.Figure`` (no widgets); each live figure has an ``update_<figure>`` beside it that puts a new
state into an existing figure in place (``docs/live-figures.md``), and a ``describe_<figure>`` sentence.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from helpers.core import data
from helpers.core import pharmacogenomics as pgx
from helpers.core.evidence import citation
from helpers.themes.pharmacogenomics import model
from helpers.view.style import PALETTE, article, base_layout

# Light enough that the black rule text stays readable on the highlighted bar too (a text colour that changed
# with the highlight did not travel with the static site's precomputed states).
HIGHLIGHT, PLAIN = PALETTE[4], "#e3e3e3"
ROW_LABELS = {p: p.replace(" Metabolizer", "") for p in model.PHENOTYPES}


# --- 1. Genotype to phenotype ------------------------------------------------------------------------

@lru_cache(maxsize=16)
def _rule_sources(gene: str) -> str:
    rules = data.table("pgx_phenotype_rules")
    keys = ";".join(dict.fromkeys(k for s in rules.loc[rules["gene"] == gene, "source"] for k in s.split(";")))
    return citation(keys)


def _genotype_state(gene: str, first: str, second: str) -> dict:
    summary = model.genotype_summary(gene, first, second)
    if summary["phenotype"] not in model.PHENOTYPES:
        raise ValueError(f"{summary['diplotype']}: {summary['phenotype']}; the figure shows the five phenotypes")
    rules = [model.rule_label(summary["gene"], p) for p in model.PHENOTYPES]
    current = model.PHENOTYPES.index(summary["phenotype"])
    sources = _rule_sources(summary["gene"])
    return {
        "rules": rules,
        "colours": [HIGHLIGHT if i == current else PLAIN for i in range(len(rules))],
        "hover": f"%{{y}} metabolizer: %{{text}} ({sources})<extra></extra>",
        "row": ROW_LABELS[summary["phenotype"]],
        "working": summary["working"].replace(": ", ":<br>", 1),
        "title": f"{summary['gene']}: two alleles, one phenotype (CPIC rules)",
    }


def genotype_figure(gene: str, first: str, second: str) -> go.Figure:
    """The five CPIC phenotypes as rows, each with the rule that reaches it for ``gene``; the diplotype's row is
    highlighted and its working (activity values and score, or the pair of functions) is written beside it.

    Traces: 0 the rule bars (one per phenotype, slowest at the bottom), 1 the marker with the working.
    """
    s = _genotype_state(gene, first, second)
    fig = go.Figure()
    fig.add_bar(y=list(ROW_LABELS.values()), x=[1] * len(s["rules"]), orientation="h", text=s["rules"],
                textposition="inside", insidetextanchor="start", textangle=0, constraintext="none",
                insidetextfont=dict(color="black", size=15), marker=dict(color=s["colours"]),
                hovertemplate=s["hover"], showlegend=False)
    fig.add_scatter(x=[1.03], y=[s["row"]], text=[s["working"]], mode="markers+text", textposition="middle right",
                    marker=dict(symbol="triangle-left", size=16, color="black"), cliponaxis=False,
                    hovertemplate="%{text}<extra></extra>", showlegend=False)
    fig.update_xaxes(range=[0, 1.62], visible=False)
    fig.update_yaxes(categoryorder="array", categoryarray=list(ROW_LABELS.values()))
    base_layout(fig, s["title"], height=400)
    fig.update_layout(margin=dict(l=110, r=10, t=60, b=20), bargap=0.18)
    return fig


def update_genotype_figure(fig: go.Figure, gene: str, first: str, second: str) -> None:
    """Show another diplotype (and gene) in an existing :func:`genotype_figure`, in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
        A figure made by :func:`genotype_figure`; changed in place.
    gene, first, second : str
        The gene and the two alleles, as for :func:`genotype_figure`.

    Notes
    -----
    Changes the rule texts, bar colours and hover template (trace 0), the marker's row and working (trace 1)
    and the title.
    """
    s = _genotype_state(gene, first, second)
    bars, marker = fig.data[0], fig.data[1]
    bars.text, bars.hovertemplate, bars.marker.color = s["rules"], s["hover"], s["colours"]
    marker.y, marker.text = [s["row"]], [s["working"]]
    fig.layout.title.text = s["title"]


def describe_genotype(gene: str, first: str, second: str) -> str:
    summary = model.genotype_summary(gene, first, second)
    name = pgx.short_phenotype(summary["phenotype"])
    if summary["score"] is None:
        a, b = summary["functions"]
        alleles = "two alleles with " + a if a == b else f"one allele with {a} and one with {b}"
        return (f"{summary['gene']} {summary['diplotype']} has {alleles}. CPIC assigns CYP2C19 phenotypes from "
                f"this pair of functions, without a score: the pair makes {article(name).lower()} {name}.")
    if summary["phenotype"] == pgx.INDETERMINATE:
        options = model.copy_number_options(gene, first, second)
        cases = " and ".join(f"{d} gives {score:g} ({article(pgx.short_phenotype(p)).lower()} "
                             f"{pgx.short_phenotype(p)})" for d, score, p in options)
        return (f"{summary['gene']} {summary['diplotype']}: the exact number of copies is not known, so the activity score "
                f"is only known to be at least {summary['score']:g}. {cases[0].upper()}{cases[1:]}: the phenotype "
                f"depends on the copy number, and CPIC calls it indeterminate until that is known.")
    return (f"{summary['gene']} {summary['diplotype']}: the two activity values add up to "
            f"{summary['working'].split(': ', 1)[1]}, in the range for {article(name).lower()} {name} ({summary['rule']}).")


# --- 2. Exposure to occupancy ------------------------------------------------------------------------

EXPOSURE_RANGE = (0.0, 36.0)  # multiples of the half-maximal exposure: the slider's top times the largest ratio
CURVE_X = np.linspace(*EXPOSURE_RANGE, 241)
BAR_TOP = 380.0  # % of a normal metabolizer's value


def _label(genotype: str, phenotype: str) -> str:
    return f"{genotype} ({pgx.short_phenotype(phenotype)})"


def _exposure_state(usual: float, genotype: str) -> dict:
    c = model.exposure_consequence(usual, genotype)
    ref = model.reference_genotype()
    return {
        "normal": dict(x=[usual], y=[c["occupancy_normal"]], text=[f"{c['occupancy_normal']:.0f}%"]),
        "group": dict(x=[c["exposure"]], y=[c["occupancy_group"]], text=[f"{c['occupancy_group']:.0f}%"]),
        "bars": dict(y=[c["exposure_percent"], c["occupancy_percent_of_normal"]],
                     text=[f"{c['exposure_percent']:.0f}%", f"{c['occupancy_percent_of_normal']:.0f}%"]),
        "group_name": f"{_label(genotype, c['phenotype'])}: {c['ratio']:g} × the exposure ({c['citation']})",
        "normal_name": f"{_label(ref, 'Normal Metabolizer')}",
        "consequence": c,
    }


def exposure_figure(usual: float, genotype: str) -> go.Figure:
    """Left: the saturating occupancy curve with a normal metabolizer at ``usual`` (multiples of the half-maximal
    exposure) and the genotype group at its exposure ratio; right: the group's exposure and occupancy as a
    percentage of the normal metabolizer's.

    Traces: 0 the curve, 1 normal metabolizer, 2 the group (left); 3 normal bars, 4 group bars (right).
    """
    s = _exposure_state(usual, genotype)
    fig = make_subplots(rows=1, cols=2, column_widths=[0.58, 0.42], horizontal_spacing=0.17)
    fig.add_scatter(x=CURVE_X, y=[model.occupancy_percent(x) for x in CURVE_X], mode="lines", name="occupancy curve",
                    line=dict(color=PALETTE[4], width=3), hoverinfo="skip", row=1, col=1)
    fig.add_scatter(**s["normal"], mode="markers+text", textposition="top left", name=s["normal_name"],
                    marker=dict(size=14, color="black"), cliponaxis=False,
                    hovertemplate="exposure %{x:.2f} × half-maximal: %{y:.0f}%<extra></extra>", row=1, col=1)
    fig.add_scatter(**s["group"], mode="markers+text", textposition="bottom right", name=s["group_name"],
                    marker=dict(size=15, color=PALETTE[5], symbol="diamond"), cliponaxis=False,
                    hovertemplate="exposure %{x:.2f} × half-maximal: %{y:.0f}%<extra></extra>", row=1, col=1)
    categories = ["exposure", "occupancy"]
    fig.add_bar(x=categories, y=[100, 100], text=["100%", "100%"], textposition="outside", constraintext="none",
                name=s["normal_name"],
                marker=dict(color="#7f7f7f"), showlegend=False, cliponaxis=False,
                hovertemplate="normal metabolizer: %{y:.0f}%<extra></extra>", row=1, col=2)
    fig.add_bar(x=categories, **s["bars"], textposition="outside", constraintext="none", name=s["group_name"],
                showlegend=False,
                marker=dict(color=PALETTE[5], pattern=dict(shape="/")), cliponaxis=False,
                hovertemplate="this group: %{y:.0f}% of normal<extra></extra>", row=1, col=2)
    fig.update_xaxes(title="exposure (× half-maximal)", range=list(EXPOSURE_RANGE),
                     row=1, col=1)
    fig.update_yaxes(title="target occupancy (%)", range=[0, 105], row=1, col=1)
    fig.update_yaxes(title="% of normal metabolizer", range=[0, BAR_TOP], row=1, col=2)
    base_layout(fig, "Same dose, different exposure: what it does to target occupancy", height=460)
    fig.update_layout(barmode="group", legend=dict(orientation="h", y=-0.2, x=0), margin=dict(b=110))
    return fig


def update_exposure_figure(fig: go.Figure, usual: float, genotype: str) -> None:
    """Put a new usual exposure and genotype group into an existing :func:`exposure_figure`, in place.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure or FigureWidget
        A figure made by :func:`exposure_figure`; changed in place.
    usual : float
        A normal metabolizer's usual exposure, in multiples of the half-maximal exposure.
    genotype : str
        The genotype group (a row of the exposure-by-genotype data).

    Notes
    -----
    Changes the two markers (x, y, text; traces 1 and 2), the group's bars (y, text; trace 4) and, when the group
    changes, the group's legend name (traces 2 and 4).
    """
    s = _exposure_state(usual, genotype)
    normal, group, group_bars = fig.data[1], fig.data[2], fig.data[4]
    normal.x, normal.y, normal.text = s["normal"]["x"], s["normal"]["y"], s["normal"]["text"]
    group.x, group.y, group.text = s["group"]["x"], s["group"]["y"], s["group"]["text"]
    group_bars.y, group_bars.text = s["bars"]["y"], s["bars"]["text"]
    if group.name != s["group_name"]:
        group.name = group_bars.name = s["group_name"]


def describe_exposure(usual: float, genotype: str) -> str:
    c = model.exposure_consequence(usual, genotype)
    ref = model.reference_genotype()
    if c["genotype"] == ref:
        return (f"A normal metabolizer ({ref}) at {usual:g} × the half-maximal exposure occupies "
                f"{c['occupancy_normal']:.0f}% of the target. Choose another genotype group to compare.")
    more = c["ratio"] > 1
    change = (f"{c['ratio']:g} times the exposure" if more else f"{100 * (1 - c['ratio']):.0f}% less exposure")
    switching = ("" if c["switching_ratio"] is None else
                 f" In the same study this group switched to another antidepressant within a year "
                 f"{c['switching_ratio']:g} times as often as normal metabolizers.")
    return (f"The {_label(c['genotype'], c['phenotype'])} group had {change} on the same dose ({c['citation']}). "
            f"On the curve that moves occupancy from {c['occupancy_normal']:.0f}% to {c['occupancy_group']:.0f}%: "
            f"{c['gain_points']:+.0f} percentage points, while exposure changes by {c['exposure_percent'] - 100:+.0f}%."
            + switching)


# --- 3. Part B: 5-HTTLPR and remission ------------------------------------------------------------

def forest_figure(ids) -> go.Figure:
    """Relative risks with 95% confidence intervals on a log axis, one row per effect-size id (top first).

    Traces: 0 the points with their intervals.
    """
    rows = model.effect_rows(ids)
    labels = [f"{r['outcome']}<br>({r['citation']})" for _, r in rows.iterrows()]
    fig = go.Figure()
    fig.add_scatter(x=rows["estimate"], y=labels, mode="markers", marker=dict(size=13, color=PALETTE[0]),
                    error_x=dict(type="data", symmetric=False, array=rows["ci_high"] - rows["estimate"],
                                 arrayminus=rows["estimate"] - rows["ci_low"], thickness=2),
                    hovertemplate="%{y}: RR %{x}<extra></extra>", showlegend=False)
    fig.add_vline(x=1, line=dict(color="black", dash="dash"))
    fig.update_xaxes(type="log", range=[np.log10(0.7), np.log10(1.2)],
                     title="relative risk, SS vs L carriers (log scale)")
    fig.update_yaxes(autorange="reversed")
    base_layout(fig, "5-HTTLPR and remission on antidepressants", height=300)
    fig.update_layout(margin=dict(l=250, r=30, t=60, b=70))
    return fig


def describe_forest(ids) -> str:
    rows = model.effect_rows(ids)
    parts = [f"{r['comparison']}, {r['outcome']}: RR {r['estimate']:g} (95% CI {r['ci_low']:g} to {r['ci_high']:g})"
             for _, r in rows.iterrows()]
    return ("; ".join(parts) + ". An interval that crosses 1 (the dashed line) is compatible with no difference.")
