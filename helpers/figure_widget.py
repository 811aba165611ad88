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

from pathlib import Path

import anywidget
import plotly
import plotly.graph_objects as go
import traitlets

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


class FigureWidget(go.FigureWidget):
    """``plotly.graph_objects.FigureWidget`` with a small front end that shares one plotly bundle."""

    _esm = FIGURE_ESM

    def __init__(self, *args, **kwargs):
        ensure_front_end()  # before the figure, so the bundle starts loading first
        super().__init__(*args, **kwargs)
