"""A plotly ``FigureWidget`` whose 5 MB of browser code reaches the page once, not once per figure.

Why: plotly's ``FigureWidget`` is an anywidget that carries its whole front end (plotly.js and the
widget code, about 5 MB) in its ``_esm`` trait. Every figure therefore sends those 5 MB to the browser
and makes the browser parse them again. anywidget also gives each widget model 2 seconds to load its
code; a model that misses that deadline is shown but silently ignores every later update from the
kernel. In Voila all of a notebook's widgets are created at once when the page opens, so with eight
figures several missed the deadline: the figure was drawn but froze while its slider still moved the
sentence underneath (measured: 2-3 of 6 demos of notebook 01 frozen in every Voila load).

How: one hidden :class:`PlotlyFrontEnd` widget per kernel carries the bundle (sent once, imported once,
shared on ``globalThis``); every :class:`FigureWidget` carries only a few lines that wait for that shared
module and hand over to plotly's own ``initialize``/``render``. Python behaviour is plotly's unchanged.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import anywidget
import plotly
import plotly.graph_objects as go
import traitlets

from helpers.view.widget_messages import without_echo

BUNDLE_PATH = Path(plotly.__file__).parent / "package_data" / "widgetbundle.js"
# One slot per page for the shared module; the plotly version is part of the key so two kernels with
# different plotly versions in one JupyterLab page never share front-end code.
SLOT_KEY = f"__psychmedsPlotlyWidget_{plotly.__version__}"

_SLOT_JS = """
function slot() {
  const key = %r;
  if (!globalThis[key]) {
    const entry = { loading: false };
    entry.promise = new Promise((resolve, reject) => { entry.resolve = resolve; entry.reject = reject; });
    globalThis[key] = entry;
  }
  return globalThis[key];
}
""" % SLOT_KEY

# The carrier: imports the bundle from its own trait once per page. ``initialize`` does not wait for
# the import, so this model is ready at once; the figures wait for the shared promise instead.
FRONT_END_ESM = _SLOT_JS + """
export default {
  initialize({ model }) {
    const shared = slot();
    if (shared.loading) return;
    shared.loading = true;
    const url = URL.createObjectURL(new Blob([model.get("bundle")], { type: "text/javascript" }));
    import(url).then(shared.resolve, shared.reject).finally(() => URL.revokeObjectURL(url));
  },
};
"""

# Each figure: wait for the shared module, then use plotly's own widget definition for this model.
FIGURE_ESM = _SLOT_JS + """
export default async () => {
  const plotlyWidget = await slot().promise;
  return typeof plotlyWidget.default === "function" ? plotlyWidget.default() : plotlyWidget.default;
};
"""


class PlotlyFrontEnd(anywidget.AnyWidget):
    """Invisible widget that delivers plotly's widget bundle to the page (one per kernel)."""

    _esm = FRONT_END_ESM
    bundle = traitlets.Unicode().tag(sync=True)


_front_end: PlotlyFrontEnd | None = None


def ensure_front_end() -> PlotlyFrontEnd:
    """Create the kernel's :class:`PlotlyFrontEnd` on first use and keep it for the kernel's lifetime.

    Its model is created in the browser as soon as it exists in the kernel (JupyterLab) or when the
    page restores the kernel's widgets (Voila); it never needs to be displayed.
    """
    global _front_end
    if _front_end is None or _front_end.comm is None:  # first use, or closed with the kernel's widgets
        _front_end = PlotlyFrontEnd(bundle=BUNDLE_PATH.read_text(encoding="utf-8"))
    return _front_end


# Set to False to send every change through plotly's normal update (to compare, or should a plotly upgrade
# change how animate frames are drawn: the browser tests' pixel comparison would say so).
QUICK_REDRAW = True
# Plotly.animate options: no transition, no full redraw; "immediate" drops a stale queued frame when a
# slider is dragged faster than the browser draws.
QUICK_DRAW = {"transition": {"duration": 0}, "frame": {"duration": 0, "redraw": False}, "mode": "immediate"}
# Trace types whose plotly.js modules draw animate frames themselves ("animatable"), and the
# properties that such a frame draws completely: positions, texts and error bars of the points.
QUICK_TRACE_TYPES = frozenset({"scatter", "bar"})
QUICK_KEYS = frozenset({"x", "y", "text", "textposition", "customdata", "error_x.array", "error_x.arrayminus",
                        "error_y.array", "error_y.arrayminus", "marker.color", "textfont.color"})
# Colours a frame redraws only for scatter traces kept out of the legend: plotly.js restyles a scatter trace's
# marker and text colours from a frame (checked in a bare page) but not a bar's (tested in Chromium: the bars
# kept their old colours), and it does not redraw the legend, whose swatch would keep the old colour.
COLOUR_KEYS = frozenset({"marker.color", "textfont.color"})


class FigureWidget(go.FigureWidget):
    """``plotly.graph_objects.FigureWidget`` with a small front end that shares one plotly bundle."""

    _esm = FIGURE_ESM

    def __init__(self, *args, **kwargs):
        ensure_front_end()  # before the figure, so the bundle starts loading first
        super().__init__(*args, **kwargs)
        without_echo(self)  # the browser's notes after each draw (_js2py_*) need no copy back

    # plotly sends each command as three comm messages (the new trace edit id, the new layout edit id,
    # then the command) and a fourth that resets the command to None. The browser handles them one by
    # one, in order, before it starts drawing; here the first three travel as one message.
    def _send_update_msg(self, restyle_data, relayout_data, trace_indexes=None, source_view_id=None):
        self._send_command("_py2js_update", style_data=restyle_data, layout_data=relayout_data,
                           style_traces=self._normalize_trace_indexes(trace_indexes), source_view_id=source_view_id)

    def _send_animate_msg(self, styles_data, relayout_data, trace_indexes, animation_opts):
        self._send_command("_py2js_animate", style_data=styles_data, layout_data=relayout_data,
                           style_traces=self._normalize_trace_indexes(trace_indexes),
                           animation_opts=animation_opts, source_view_id=None)

    def _send_command(self, trait: str, **message) -> None:
        """Send plotly's ``_py2js_update``/``_py2js_animate`` command with its edit ids in one message.

        The same message, edit ids and bookkeeping as plotly's ``_send_update_msg``/``_send_animate_msg``
        (tests/test_figure_widget.py compares them), sent inside ``hold_sync``.
        """
        with self.hold_sync():
            self._last_trace_edit_id += 1
            self._last_layout_edit_id += 1
            self._trace_edit_in_process = self._layout_edit_in_process = True
            setattr(self, trait, {**message, "trace_edit_id": self._last_trace_edit_id,
                                  "layout_edit_id": self._last_layout_edit_id})
        setattr(self, trait, None)  # as plotly does, so that the next command is always a change

    @contextmanager
    def batch_redraw(self):
        """Like ``batch_update``, but a change that only moves data points redraws only those points.

        Plotly redraws the whole figure (axes, legend, annotations, every subplot) for any change of
        data; on a 2-core machine inside JupyterLab that is 20-30 ms, most of a slider step's budget.
        ``Plotly.animate`` with ``redraw: false`` and no transition instead re-plots just the traces it
        is given. That shortcut is taken only when it draws exactly what a full update would draw:
        no layout edits, only the point data (:data:`QUICK_KEYS`) of scatter or bar traces changed (point
        colours only of scatter traces not in the legend, :data:`COLOUR_KEYS`), every
        trace of the figure is a scatter or bar trace (those plotly.js would otherwise draw wrongly are
        redrawn too, see :meth:`_complete_frame`), and points move only along axes with fixed ranges.
        Anything else (a title, a range, a colour, a legend name, a point on an autoranged axis) goes
        through plotly's normal update. The browser tests compare every demo's picture after
        a move, and after two toggles in a row, with plotly's full redraw of it.

        To hide a marker or a text for a while, park it outside the axis range rather than setting its
        position to None or its text to "": plotly.js's quick redraw did not bring such a point back
        (``psychotherapy_figures.FOREST_PARKED``). Lines may change length and gaps freely.

        After each quick frame plotly.js also redraws every annotation and shape tied to an axis (28 step
        labels cost 12.7 ms); labels that never move are cheaper in paper coordinates
        (``figures.to_paper``).
        """
        if self._in_batch_mode:  # nested: the outer batch sends everything
            yield
            return
        self._in_batch_mode = True
        try:
            yield
        finally:
            self._in_batch_mode = False
        if not self._batch_trace_edits and not self._batch_layout_edits:
            self._last_redraw = "none"
        elif QUICK_REDRAW and self._quick_drawable():
            self._complete_frame()
            # plotly's own animate message (what ``batch_animate`` sends), with the options that skip
            # the transition and the full redraw; the kernel's copy of the figure is updated the same way.
            self._perform_batch_animate(QUICK_DRAW)
            self._last_redraw = "quick"
        else:
            self._last_redraw = "full"
            restyle, relayout, traces = self._build_update_params_from_batch()
            self.plotly_update(restyle_data=restyle, relayout_data=relayout, trace_indexes=traces)
            self._batch_layout_edits.clear()
            self._batch_trace_edits.clear()

    @property
    def last_redraw(self) -> str:
        """How the last :meth:`batch_redraw` reached the browser: "quick", "full" or "none" (nothing changed)."""
        return getattr(self, "_last_redraw", "none")

    def _complete_frame(self) -> None:
        """Add to the frame the unchanged traces plotly.js would otherwise draw wrongly, with their own data.

        plotly.js draws an animate frame subplot by subplot, only for the traces in the frame: it removes
        a subplot's bars and draws back only those in the frame, it re-stacks the frame's lines above the
        lines left out, and it empties every subplot that has no trace in the frame. Unchanged bars beside
        a moved line vanished, the chain demo's start squares went under its edges, and the forest plot's
        untouched d panel lost its point (all found by the browser test that compares a quick draw with a
        full redraw, pixel by pixel). So the frame holds, for every subplot, all its bars and its lines from
        the first changed one to the last (a run at the top of the stack, which keeps its order), or, where
        nothing changed, its top line.
        """
        edits = self._batch_trace_edits
        subplots = self._subplots()
        for subplot in set(subplots):
            members = [i for i, s in enumerate(subplots) if s == subplot]
            lines = [i for i in members if self.data[i].type != "bar"]
            changed = [i for i in lines if i in edits]
            start = min(changed) if changed else (lines[-1] if lines else None)
            needed = [i for i in members if self.data[i].type == "bar"]
            needed += [i for i in lines if start is not None and i >= start]
            for index in needed:
                if index not in edits:  # unchanged: resend one of its own arrays (y, if it has no x)
                    trace = self.data[index]
                    if trace.x is None and trace.y is not None:
                        edits[index] = {"y": trace.y}
                    else:
                        edits[index] = {"x": trace.x if trace.x is not None else []}

    def _quick_drawable(self) -> bool:
        """True when the batched edits are point data of scatter/bar traces and nothing else."""
        if self._batch_layout_edits:
            return False
        if any(trace.type not in QUICK_TRACE_TYPES for trace in self.data):
            return False  # every subplot goes into the frame (see _complete_frame), so every trace must be animatable
        subplots = self._subplots()
        fixed = {}  # axis -> has a fixed range (asked once per axis: plotly's property lookups are slow)
        for index, edits in self._batch_trace_edits.items():
            if not set(edits) <= QUICK_KEYS:
                return False
            if COLOUR_KEYS & set(edits) and (self.data[index].type != "scatter"
                                             or self.data[index].showlegend is not False):
                return False  # a bar's colours and a legend swatch are not redrawn from a frame
            # A frame does not re-run autorange: a point that moves along an autoranged axis could need
            # another range than the one drawn, so such an axis must have a fixed range.
            x_axis, y_axis = subplots[index]
            moved_axes = []
            if "x" in edits or any(key.startswith("error_x") for key in edits):
                moved_axes.append(x_axis)
            if "y" in edits or any(key.startswith("error_y") for key in edits):
                moved_axes.append(y_axis)
            for axis in moved_axes:
                if axis not in fixed:
                    fixed[axis] = self._fixed_range(axis)
                if not fixed[axis]:
                    return False
        return True

    def _subplots(self) -> list[tuple[str, str]]:
        """Each trace's (x axis, y axis), in trace order."""
        return [_subplot(trace) for trace in self.data]

    def _fixed_range(self, axis: str) -> bool:
        """True when layout axis ``axis`` ("x", "y2", ...) has an explicit range and no autorange."""
        spec = self.layout[axis[0] + "axis" + axis[1:]]
        return spec.range is not None and spec.autorange in (None, False)


def _subplot(trace) -> tuple[str, str]:
    return (trace.xaxis or "x", trace.yaxis or "y")
