"""Showing things in a notebook: a static figure with its description, a table, and keeping widgets alive.

Notebooks use these instead of ``display``/``print`` so that every figure carries a text description and
every table looks the same (see :func:`show` and :func:`show_table`).
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from helpers.view.figure_widget import FigureWidget

# ipywidgets 8 closes a widget when its Python object is garbage-collected. JupyterLab keeps each cell's
# result alive in Out[n], but Voila does not, and a demo sits in a reference cycle (its callbacks refer to
# it), so the cyclic collector would close it at a random moment: the page then shows a figure that no
# longer updates ("widget model not found"). Every widget the helpers hand to a notebook is kept here.
_KEEP_ALIVE: list = []


def keep_alive(widget):
    """Hold a reference to ``widget`` for the life of the kernel and return it."""
    _KEEP_ALIVE.append(widget)
    return widget


def show(fig: go.Figure, description: str) -> widgets.VBox:
    """A static figure with its text description under it, for screen readers and projectors.

    Returns an ``ipywidgets.VBox`` (IPython displays it as a cell's result). The figure is a
    ``go.FigureWidget`` rather than plotly's mimetype output so that it renders the same way as the
    interactive demos in JupyterLab and Voila; the static site snapshots it like any other widget.
    """
    if not description or not description.strip():
        raise ValueError("every figure needs a text description of what it shows")
    fig.update_layout(meta={"description": description})
    text = widgets.HTML(f"<p><b>What the figure shows:</b> {html.escape(description)}</p>",
                        layout=widgets.Layout(max_width="900px"))
    return keep_alive(widgets.VBox([FigureWidget(fig), text]))


def show_table(frame: pd.DataFrame) -> None:
    """Display a table as HTML (no index, escaped text): evidence rows, summaries, reference ranges.

    Every table goes through :func:`helpers.core.evidence.evidence_html`: missing values show as "—" (never
    "None" or "nan") and floats keep at most four significant digits.
    """
    from IPython.display import HTML, display

    from helpers.core.evidence import evidence_html

    display(HTML(evidence_html(frame)))
