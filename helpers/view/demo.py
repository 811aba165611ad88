"""The demo framework every theme's widgets use: controls, a live figure and a sentence that says what it shows.

Every demo is a :class:`Demo` (an ``ipywidgets.VBox``) with ``controls`` (name -> widget), ``figure`` (a
:class:`helpers.view.figure_widget.FigureWidget`), ``description`` (an HTML sentence that states what the
figure shows) and ``update()``. A theme's ``widgets.py`` builds the controls, then hands :class:`Demo` an
``update(demo)`` function that reads the controls, calls the figure module's ``update_<figure>`` and returns
the sentence; nothing is computed in the widget layer. Tests drive the controls from Python and read
``figure.data``.

Rules for live figures (what keeps a slider step fast: scatter and bar traces, fixed axis ranges, points parked
rather than removed, static labels in paper coordinates, an ``update_<figure>`` beside each builder so that
widgets never index traces): see ``docs/live-figures.md``; adding a theme: ``CONTRIBUTING.md``.
"""

from __future__ import annotations

import ipywidgets as widgets
import plotly.graph_objects as go

from helpers.core import evidence
from helpers.view.display import LiveDescription, keep_alive, sources_html
from helpers.view.figure_widget import FigureWidget
from helpers.view.style import PROSE
from helpers.view.widget_messages import without_echo

SLIDER_STYLE = {"description_width": "190px"}


WIDE = widgets.Layout(width="640px")


class Demo(widgets.VBox):
    """A control panel, a live figure and a one-sentence description of the figure."""

    def __init__(self, controls: dict, figure: go.Figure, update, note: str = ""):
        self.controls = controls
        self.figure = FigureWidget(figure)
        self.description = LiveDescription(layout=widgets.Layout(max_width="900px"))  # announced when it changes
        self._update = update
        self._busy = False
        self.prediction = None  # set by helpers.view.predict.with_prediction: it decides what the line shows
        parts = [*controls.values(), self.figure, self.description]
        if note:  # the theme's text colour (a fixed grey was unreadable in JupyterLab's dark theme)
            parts.append(widgets.HTML(f'<p style="font-size:90%; {PROSE}">{note}</p>'))
        cited = sources_html(figure)  # the sources the figure cites on hover, as visible text
        if cited:
            parts.append(widgets.HTML(cited))
        super().__init__(parts)
        keep_alive(self)
        _watch(controls, self.update)
        self.update()

    def update(self) -> None:
        """Recompute from the controls' current values and redraw in one batch.

        A callback may set another control (a new drug resets the dose slider); the guard stops that
        from starting a second, nested redraw: the running one already reads the new value.
        """
        if self._busy:
            return
        self._busy = True
        try:
            with self.figure.batch_redraw():
                sentence = self._update(self)
            # After the figure's message, so the redraw the eye follows starts first.
            shown = f"<p><b>What the figure shows:</b> {sentence}</p>"
            self.description.value = shown if self.prediction is None else self.prediction.shown(shown)
        finally:
            self._busy = False


def _watch(controls: dict, update) -> None:
    """Call ``update()`` whenever any control's value changes (the kernel echoes none of them back)."""
    for control in _value_widgets(controls.values()):
        without_echo(control)
        control.observe(lambda _change: update(), names="value")


def _value_widgets(controls) -> list:
    """Every control with a value, looking inside boxes (a row of toggle buttons is one HBox)."""
    found = []
    for control in controls:
        if isinstance(control, widgets.Box):
            found += _value_widgets(control.children)
        elif hasattr(control, "value"):
            found.append(control)
    return found


def log_slider(label: str, value: float, lo_exp: float, hi_exp: float, step: float = 0.05) -> widgets.FloatLogSlider:
    """A slider on a log scale from 10**lo_exp to 10**hi_exp (in the unit the label names), 640 px wide."""
    return widgets.FloatLogSlider(value=value, base=10, min=lo_exp, max=hi_exp, step=step, description=label,
                                  readout_format=".3g", continuous_update=True, style=SLIDER_STYLE, layout=WIDE)


def evidence_explorer(theme: str) -> Demo:
    """Filter a theme's evidence table by part, hypothesis and direction (no figure)."""
    table = evidence.evidence_table(theme)
    every = "all"

    def options(column: str) -> list[str]:
        return [every, *sorted(table[column].dropna().unique())]

    controls = {
        "part": widgets.Dropdown(options=options("Part"), value=every, description="part", style=SLIDER_STYLE),
        "hypothesis": widgets.Dropdown(options=options("Hypothesis"), value=every, description="hypothesis",
                                       style=SLIDER_STYLE),
        "direction": widgets.Dropdown(options=options("Direction"), value=every, description="direction",
                                      style=SLIDER_STYLE),
    }
    view = widgets.HTML()

    def update(demo) -> str:
        shown = table
        for name, column in (("part", "Part"), ("hypothesis", "Hypothesis"), ("direction", "Direction")):
            if controls[name].value != every:
                shown = shown[shown[column] == controls[name].value]
        view.value = evidence.evidence_html(shown) if len(shown) else "<p>No row matches these filters.</p>"
        demo.shown = shown
        return f"{len(shown)} of {len(table)} evidence rows match."

    demo = EvidenceDemo(controls, view, update)
    return demo


class EvidenceDemo(widgets.VBox):
    """Like :class:`Demo` but the 'figure' is an HTML table."""

    def __init__(self, controls: dict, view: widgets.HTML, update):
        self.controls, self.view, self._update = controls, view, update
        self.description = LiveDescription()
        super().__init__([widgets.HBox(list(controls.values())), self.description, view])
        keep_alive(self)
        _watch(controls, self.update)
        self.update()

    def update(self) -> None:
        self.description.value = f"<p>{self._update(self)}</p>"
