"""The collection's look: colour-blind-safe palettes, one base layout for every figure, and small
formatting helpers shared by all themes.

Every figure builder starts from :func:`base_layout`, so fonts are large enough to project and titles,
margins and legends sit in the same places in every notebook.
"""

from __future__ import annotations

import plotly.graph_objects as go

# Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


SEQUENTIAL = "Cividis"  # perceptually uniform and readable with colour-vision deficiency


FONT = dict(size=15)


def base_layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    """Apply the collection's layout to ``fig``: title top left, white template, 15 px text (no text under
    12 px), a legend under the plot; ``height`` in pixels. Returns ``fig``."""
    fig.update_layout(
        title=dict(text=title, x=0.01), template="plotly_white", height=height, font=FONT,
        margin=dict(l=70, r=30, t=60, b=60), legend=dict(orientation="h", y=-0.22),
    )
    # plotly writes a log axis's in-between labels ("2", "5") at 3/4 of the tick size: 16 px keeps them at 12 px.
    fig.update_xaxes(tickfont_size=16, selector=dict(type="log"))
    fig.update_yaxes(tickfont_size=16, selector=dict(type="log"))
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


# Line spacing for prose inside widgets: ipywidgets sets its HTML widget's line height to the height of a
# control (28 px), which spread a wrapped sentence (a figure's sources, a self-check question) over double
# lines; a style on the paragraph itself overrides it in JupyterLab, Voila and the static site alike.
PROSE = "line-height: 1.5"


def article(noun: str) -> str:
    """'An' before a vowel, else 'A' (for sentences that start with a ligand type or a drug class)."""
    return "An" if noun[:1].lower() in "aeiou" else "A"
