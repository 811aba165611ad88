"""Colours computed in Python: a value's colour on the collection's sequential scale, and readable text on it.

Used where plotly cannot colour for us without a full redraw: a colour grid of scatter markers (01's selectivity
explorer) sends explicit colours, so that a slider step stays a quick redraw (docs/live-figures.md).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from plotly.colors import get_colorscale, hex_to_rgb, unlabel_rgb

from helpers.view.style import SEQUENTIAL

UNCOLOURED = "#ffffff"  # the fill of a cell without a value
TEXT_DARK, TEXT_LIGHT = "#000000", "#ffffff"  # black or white text: at least 4.58:1 on every colour of SEQUENTIAL


@lru_cache(maxsize=4)
def _scale_stops(scale: str) -> tuple[np.ndarray, np.ndarray]:
    """A plotly colour scale's stop positions (0-1) and their colours as an (n, 3) array of 0-255 values."""
    stops = get_colorscale(scale)
    colours = [hex_to_rgb(c) if c.startswith("#") else unlabel_rgb(c) for _, c in stops]
    return np.array([p for p, _ in stops], dtype=float), np.array(colours, dtype=float)


def occupancy_colours(percent, empty: str = UNCOLOURED) -> list[str]:
    """The fill colour of each value: its place (0-100%) on the sequential colour scale.

    Parameters
    ----------
    percent : sequence of float or None
        Values in % (0-100, clipped to it); None or NaN for a cell without a colour.
    empty : str, default UNCOLOURED
        The colour of a cell without a value.

    Returns
    -------
    list of str
        ``"#rrggbb"`` from :data:`helpers.view.style.SEQUENTIAL` (0% its first colour, 100% its last, linear
        in RGB between its stops, as plotly colours a heatmap), or ``empty``. Hex, not 'rgb(...)': plotly
        validates it faster, and every step sends these.
    """
    values = np.array([np.nan if v is None else v for v in percent], dtype=float)
    positions, colours = _scale_stops(SEQUENTIAL)
    fraction = np.clip(np.nan_to_num(values, nan=0.0), 0.0, 100.0) / 100
    rgb = np.rint(np.column_stack([np.interp(fraction, positions, colours[:, k]) for k in range(3)])).astype(int)
    return [empty if np.isnan(v) else f"#{r:02x}{g:02x}{b:02x}" for v, (r, g, b) in zip(values, rgb)]


def _luminance(colour: str) -> float:
    """WCAG relative luminance (0 black to 1 white) of '#rrggbb' or 'rgb(r, g, b)'."""
    rgb = hex_to_rgb(colour) if colour.startswith("#") else unlabel_rgb(colour)
    linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(colour_1: str, colour_2: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((_luminance(colour_1), _luminance(colour_2)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@lru_cache(maxsize=1024)
def text_colour_for(fill: str) -> str:
    """:data:`TEXT_DARK` or :data:`TEXT_LIGHT`, whichever has the higher WCAG contrast ratio on ``fill``."""
    return TEXT_DARK if contrast_ratio(fill, TEXT_DARK) >= contrast_ratio(fill, TEXT_LIGHT) else TEXT_LIGHT


def text_colours(fills: list[str]) -> list[str]:
    """For each fill, the text colour that contrasts more with it: dark text on light cells, white on dark.

    Parameters
    ----------
    fills : list of str
        Cell colours, '#rrggbb' or 'rgb(r, g, b)'.

    Returns
    -------
    list of str
        :func:`text_colour_for` of each fill.
    """
    return [text_colour_for(fill) for fill in fills]
