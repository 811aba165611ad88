"""Showing things in a notebook: a static figure with its description, a table, and keeping widgets alive.

Notebooks use these instead of ``display``/``print`` so that every figure carries a text description and
every table looks the same (see :func:`show` and :func:`show_table`).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import anywidget
import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
import traitlets

from helpers.core import data, evidence
from helpers.view.figure_widget import FigureWidget
from helpers.view.style import PROSE

# ipywidgets 8 closes a widget when its Python object is garbage-collected. JupyterLab keeps each cell's
# result alive in Out[n], but Voila does not, and a demo sits in a reference cycle (its callbacks refer to
# it), so the cyclic collector would close it at a random moment: the page then shows a figure that no
# longer updates ("widget model not found"). Every widget the helpers hand to a notebook is kept here.
_KEEP_ALIVE: list = []


def keep_alive(widget):
    """Hold a reference to ``widget`` for the life of the kernel and return it."""
    _KEEP_ALIVE.append(widget)
    return widget


class LiveDescription(anywidget.AnyWidget):
    """A line of HTML that screen readers announce when it changes (a demo's "What the figure shows").

    Used like ``ipywidgets.HTML`` (set ``value``), but drawn inside one ``role="status"`` element
    (``aria-live="polite"``) that stays in the page: only the text inside it is replaced. An ``ipywidgets.HTML``
    replaces its whole content on each change and cannot carry ARIA attributes, so a screen reader was never
    told that the sentence under a figure had changed.

    Two fixes for what JupyterLab and Voila draw around it: links in rendered markdown and outputs are
    underlined (their themes tell links apart by colour alone), once per page; and it names the sliders of the
    demo it sits in: ipywidgets draws a slider with noUiSlider, whose handle
    (``role="slider"``, the element that takes the keyboard) has no accessible name, and no widget trait
    reaches it; a screen reader said only "slider, 3". Each handle in the same box gets its visible label as
    ``aria-label``, when the demo is drawn and again at every change of the sentence (a slider rebuilt by
    ipywidgets is named again at the next step).
    """

    _esm = """
    function nameSliders(box) {
      if (!box) return;
      for (const slider of box.querySelectorAll(".widget-slider")) {
        const label = slider.querySelector(".widget-label");
        const name = label ? label.textContent.trim() : "";
        for (const handle of slider.querySelectorAll(".noUi-handle, input[type=range]"))
          if (name && handle.getAttribute("aria-label") !== name) handle.setAttribute("aria-label", name);
      }
    }
    // JupyterLab's and Voila's themes tell links from text by colour alone (axe: link-in-text-block; in the
    // light theme 1.9:1 against the text): underline the links of rendered markdown and outputs, once per page.
    function underlineLinks() {
      if (document.getElementById("psychmeds-link-style")) return;
      const style = document.createElement("style");
      style.id = "psychmeds-link-style";
      style.textContent = ".jp-RenderedHTMLCommon a:link, .jp-RenderedHTMLCommon a:visited " +
                          "{ text-decoration: underline; }";
      document.head.appendChild(style);
    }
    export default {
      render({ model, el }) {
        underlineLinks();
        const region = document.createElement("div");
        region.className = "psychmeds-live-description";
        region.setAttribute("role", "status");
        region.setAttribute("aria-live", "polite");
        const draw = () => { region.innerHTML = model.get("value"); nameSliders(el.parentElement); };
        draw();
        model.on("change:value", draw);
        el.appendChild(region);
        // The demo's other widgets are drawn around the same time: name its sliders as they appear.
        let tries = 0;
        const early = () => { nameSliders(el.parentElement); if (++tries < 40) setTimeout(early, 100); };
        setTimeout(early, 0);
      },
    };
    """
    value = traitlets.Unicode("").tag(sync=True)


@lru_cache(maxsize=4)
def _citations(keys: tuple[str, ...]) -> tuple[str, ...]:
    """Every reference's short citation, longest first (so 'Jones & Smith 2001' is found before 'Smith 2001')."""
    return tuple(sorted({evidence.citation(k) for k in keys}, key=len, reverse=True))


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    if hasattr(value, "tolist") and getattr(value, "dtype", None) is not None and value.dtype.kind in "OU":
        return _strings(value.tolist())
    return []


def figure_sources(fig) -> list[str]:
    """The sources a figure cites: every reference (``data/references``) whose short citation
    (:func:`helpers.core.evidence.citation`) is written in the figure, in its hover texts, labels or titles, in
    the order they first appear. Lets a figure whose sources show only on hover list them as visible text."""
    text = "\n".join(_strings(fig.to_plotly_json()))
    keys = tuple(data.load_all()["references"]["key"])
    found: list[tuple[int, str]] = []
    for cite in _citations(keys):
        pattern = re.compile(r"(?<![\w&] )(?<![\w&])" + re.escape(cite) + r"(?![\w])")

        def take(match, cite=cite):
            found.append((match.start(), cite))
            return "\0" * len(match.group())  # same length: later positions stay right

        text = pattern.sub(take, text)
    return list(dict.fromkeys(cite for _, cite in sorted(found)))


def sources_html(fig) -> str:
    """'Sources: A; B.' as a visible paragraph for :func:`figure_sources` (empty when the figure cites none)."""
    cited = figure_sources(fig)
    if not cited:
        return ""
    return f'<p class="psychmeds-sources" style="font-size:90%; {PROSE}"><b>Sources:</b> {html.escape("; ".join(cited))}.</p>'


def show(fig: go.Figure, description: str) -> widgets.VBox:
    """A static figure with its text description under it, for screen readers and projectors, and the sources
    it cites (:func:`figure_sources`) as visible text, not only on hover.

    Returns an ``ipywidgets.VBox`` (IPython displays it as a cell's result). The figure is a
    ``go.FigureWidget`` rather than plotly's mimetype output so that it renders the same way as the
    interactive demos in JupyterLab and Voila; the static site snapshots it like any other widget.
    """
    if not description or not description.strip():
        raise ValueError("every figure needs a text description of what it shows")
    fig.update_layout(meta={"description": description})
    text = widgets.HTML(f'<p style="{PROSE}"><b>What the figure shows:</b> {html.escape(description)}</p>{sources_html(fig)}',
                        layout=widgets.Layout(max_width="900px"))
    return keep_alive(widgets.VBox([FigureWidget(fig), text]))


def show_table(frame: pd.DataFrame) -> None:
    """Display a table as HTML (no index, escaped text): evidence rows, summaries, reference ranges.

    Every table goes through :func:`helpers.core.evidence.evidence_html`: missing values show as "—" (never
    "None" or "nan") and floats keep at most four significant digits. A table wider than the output scrolls
    sideways inside its own box, which the keyboard can reach (Tab, then the arrow keys).
    """
    from IPython.display import HTML, display

    from helpers.core.evidence import evidence_html

    display(HTML(f'<div role="region" aria-label="table" tabindex="0" style="overflow-x: auto">'
                 f"{evidence_html(frame)}</div>"))
