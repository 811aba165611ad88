"""Fewer messages from the kernel per change made in the browser.

ipywidgets 8.1 answers every change a browser makes to a widget with an ``echo_update`` message: a copy
of the change, sent to every browser window connected to the kernel, so that a second window (or a
collaborator) follows. Within one page the copy only costs time. It left the kernel before the figure's
message, and the browser handled it first. In an interleaved A/B run in JupyterLab on the 2-core test
machine (24 steps per arm, ketamine level slider), turning it off moved the median from the key press to
the redrawn figure from 41 to 35 ms. The figure widget's own notes from the browser (``_js2py_*``, about
10 KB after every draw) were echoed back in the same way.

The echo is switched off per widget, for the demos' controls and figures only, with traitlets' per-instance
trait metadata (``_<trait>_metadata``), which ipywidgets reads as ``echo_update``. The cost: a control
moved in one browser window no longer moves in a second window open on the same kernel. Each window
still sees its own changes, and every change the kernel makes still reaches every window.
"""

from __future__ import annotations

import ipywidgets as widgets


def without_echo(widget: widgets.Widget) -> widgets.Widget:
    """Stop the kernel from echoing the browser's changes to ``widget`` back to it; return ``widget``.

    Covers every synced trait (a Dropdown's browser-side trait is ``index``, not ``value``).
    """
    for name in widget.keys:
        setattr(widget, f"_{name}_metadata", {"echo_update": False})
    return widget
