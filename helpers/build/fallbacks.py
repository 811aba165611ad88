"""Kernel-free versions of the notebooks' demos, for the static site (``python -m helpers.build.site``).

A fallback is an ordinary plotly figure whose own sliders or buttons step through states precomputed with
the same figure builders the live demos use, so a reader without a Python kernel can still explore. Each
state also carries its "What the figure shows" sentence; the site swaps the sentence when the state changes.

This module is the engine: :func:`stepped` and :func:`grouped` turn precomputed states into one figure with
plotly's own controls, and :func:`from_demo` drives a live demo through its controls' values to get the
states. Which demos have a fallback, and of what kind, is said once, in :mod:`helpers.registry`;
:mod:`helpers.build.fallback_table` turns that into the table the site uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import plotly.graph_objects as go

# Trace properties that a state may change (dotted paths as Plotly.restyle understands them).
TRACE_KEYS = ("x", "y", "z", "text", "textposition", "customdata", "name", "opacity", "line.width", "marker.size",
              "marker.color", "marker.pattern.shape", "hovertemplate", "base", "width", "visible", "error_y.array",
              "error_y.arrayminus")
AXES = ("xaxis", "yaxis", "xaxis2", "yaxis2")  # explicit ranges of these travel with each state
SLIDER_PAD = 70   # pixels below the plot for a plotly slider (more if the figure's bottom margin is larger)


LEGEND_LINE_PX = 26  # one line of a legend at the collection's 15 px font, with plotly's spacing


def _slider_pad(fig: go.Figure) -> int:
    """Pixels between the plotting area and a slider: below whatever the figure keeps in its bottom margin
    (tick labels, axis titles) and below a legend under the plot, so the slider never covers them."""
    bottom = int(fig.layout.margin.b or 0)
    return max(SLIDER_PAD, bottom + _legend_lines_below(fig) * LEGEND_LINE_PX + 10)


def _legend_lines_below(fig: go.Figure) -> int:
    """At most how many lines a legend under the plot takes (one per entry: a narrow page wraps every
    entry), or 0 when the figure has no legend under its plot."""
    legend = fig.layout.legend
    if fig.layout.showlegend is False or legend.y is None or legend.y >= 0:
        return 0
    entries = (sum(1 for t in fig.data if t.showlegend is not False and t.visible is not False)
               + sum(1 for shape in fig.layout.shapes if shape.showlegend))
    return entries if entries >= 2 or fig.layout.showlegend else 0  # plotly shows a legend from two entries


def _pin_legend(fig: go.Figure, below_px: int) -> None:
    """Start a legend under the plot ``below_px`` pixels below the plotting area (under the tick labels and
    axis title), the place :func:`_slider_pad` left for it. Call once the figure has its final height and
    margins: plotly places legends in fractions of the plotting area."""
    if _legend_lines_below(fig):
        plot_px = fig.layout.height - (fig.layout.margin.t or 0) - (fig.layout.margin.b or 0)
        fig.update_layout(legend=dict(y=-below_px / plot_px, yanchor="top"))


@dataclass
class Fallback:
    """A plotly figure with its own controls, and the description of each state.

    ``descriptions`` maps ``"slider<i>:<step>"`` or ``"menu<i>:<button>"`` to the sentence for that state;
    ``initial`` names the state the figure opens in.
    """

    figure: go.Figure
    descriptions: dict[str, str] = field(default_factory=dict)
    initial: str = ""
    note: str = ""


def _plain(value):
    """Lists and floats that plotly.js accepts inside slider/button arguments (no typed-array encoding)."""
    if value is None:
        return None
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:  # plotly 7's base64 typed array
            import plotly.io as pio

            return _plain(np.asarray(pio.from_json('{"data": [{"x": %s}]}' % _json(value)).data[0].x))
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    return value


def _json(value) -> str:
    import json

    return json.dumps(value)


def _get(node: dict, dotted: str):
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _restyle(fig: go.Figure) -> dict:
    props = [{k: _plain(_get(t.to_plotly_json(), k)) for k in TRACE_KEYS} for t in fig.data]
    return {k: [p[k] for p in props] for k in TRACE_KEYS if any(p[k] is not None for p in props)}


def _relayout(fig: go.Figure) -> dict:
    layout = fig.layout.to_plotly_json()
    out = {"title.text": _get(layout, "title.text") or ""}
    for key in ("shapes", "annotations"):
        out[key] = _plain(layout.get(key, []))
    for axis in AXES:
        if _get(layout, f"{axis}.range") is not None:
            out[f"{axis}.range"] = _plain(_get(layout, f"{axis}.range"))
    if "height" in layout:
        out["height"] = layout["height"]
    return out


def _keep_added_height(fig: go.Figure, state_height: float | None) -> None:
    """A state's layout carries its own height; the fallback figure is taller by the room its controls take.
    Add that room to every height a slider step or button sets, or the first click would shrink the plot."""
    extra = (fig.layout.height or 0) - (state_height or 0)
    for control in [*(fig.layout.sliders or ()), *(fig.layout.updatemenus or ())]:
        for item in [*(getattr(control, "steps", None) or ()), *(getattr(control, "buttons", None) or ())]:
            for part in item.args or ():
                if isinstance(part, dict) and part.get("height") is not None:
                    part["height"] = part["height"] + extra


def _trace_props(fig: go.Figure) -> list[dict]:
    return [{k: _plain(_get(t.to_plotly_json(), k)) for k in TRACE_KEYS} for t in fig.data]


def _steps_args(figs: list[go.Figure]) -> list[list]:
    """Update arguments for each state, restyling only the traces that differ between the states.

    (A dose slider moves one marker; sending every curve again for every step would bloat the page.)
    """
    props = [_trace_props(f) for f in figs]
    changing = [i for i in range(len(props[0])) if any(p[i] != props[0][i] for p in props[1:])] or [0]
    args = []
    for fig, p in zip(figs, props):
        restyle = {k: [p[i][k] for i in changing] for k in TRACE_KEYS if any(p[i][k] is not None for i in changing)}
        args.append([restyle, _relayout(fig), changing])
    return args


BUTTONS_GAP = 50  # pixels between the top of the plotting area and the row of buttons (room for subplot titles)


def _buttons_row(fig: go.Figure, buttons: list[dict], active: int, bottom: int) -> None:
    """Put a row of buttons above the plotting area, clear of subplot titles, and make room for it.

    Plotly places menus in paper coordinates (fractions of the plotting area), so the gap in pixels is
    converted with the figure's final height and margins.
    """
    top = 150 + BUTTONS_GAP  # title, then the buttons, then the gap
    height = (fig.layout.height or 440) + BUTTONS_GAP + 20
    plot_px = height - top - bottom
    fig.update_layout(height=height, margin=dict(t=top, b=bottom),
                      updatemenus=[dict(type="buttons", direction="right", active=active, buttons=buttons, x=0,
                                        xanchor="left", y=1 + BUTTONS_GAP / plot_px, yanchor="bottom",
                                        pad=dict(b=8), showactive=True)])


def _check_states(states):
    if not states:
        raise ValueError("a fallback needs at least one state")
    counts = {len(fig.data) for _, fig, _ in states}
    if len(counts) != 1:
        raise ValueError(f"every state must have the same traces (got trace counts {sorted(counts)})")


# A slider's length as a fraction of the plot's width: plotly centres each step's label under its tick, so at full
# length the last label ran past the figure's right edge ("*17/*17" was cut in 07's genotype slider).
SLIDER_LENGTH = 0.94


def stepped(states: list[tuple[str, go.Figure, str]], label: str, active: int = 0,
            control: str = "slider") -> Fallback:
    """One control over precomputed states: ``states`` is a list of (label, figure, description).

    ``control`` is ``"slider"`` (ordered values) or ``"buttons"`` (categories).
    """
    if control not in ("slider", "buttons"):
        raise ValueError(f"control must be 'slider' or 'buttons' (got {control!r})")
    _check_states(states)
    if not 0 <= active < len(states):
        raise ValueError(f"active must index one of the {len(states)} states (got {active})")
    fig = go.Figure(states[active][1])
    state_height = fig.layout.height
    all_args = _steps_args([f for _, f, _ in states])
    if control == "slider":
        steps = [dict(method="update", label=lab, args=a) for (lab, _, _), a in zip(states, all_args)]
        pad, bottom = _slider_pad(fig), int(fig.layout.margin.b or 0)
        fig.update_layout(sliders=[dict(active=active, steps=steps, pad=dict(t=pad), len=SLIDER_LENGTH,
                                        currentvalue=dict(prefix=f"{label}: "))])
        fig.update_layout(height=(fig.layout.height or 420) + pad + 40, margin=dict(b=pad + 60))
        _pin_legend(fig, bottom)
        descriptions = {f"slider0:{i}": d for i, (_, _, d) in enumerate(states)}
        initial = f"slider0:{active}"
    else:
        buttons = [dict(method="update", label=lab, args=a) for (lab, _, _), a in zip(states, all_args)]
        _buttons_row(fig, buttons, active, bottom=fig.layout.margin.b if fig.layout.margin.b is not None else 80)
        descriptions = {f"menu0:{i}": d for i, (_, _, d) in enumerate(states)}
        initial = f"menu0:{active}"
    _keep_added_height(fig, state_height)
    what = "the slider steps" if control == "slider" else "the buttons step"
    return Fallback(fig, descriptions, initial, note=f"Kernel-free version: {what} through precomputed states ({label}).")


def grouped(groups: list[tuple[str, list[tuple[str, go.Figure, str]]]], group_label: str, slider_label: str,
            active_group: int = 0, active_steps: list[int] | None = None) -> Fallback:
    """Two controls over precomputed states: buttons choose a group (a category), and each group has its own
    slider over ordered values (only the chosen group's slider is shown).

    ``groups`` is a list of (button label, states), each state (slider label, figure, description) as in
    :func:`stepped`. A button shows its group at the step where the group's slider starts and puts that slider
    back there, so the slider always names the state on screen.
    """
    if not groups:
        raise ValueError("a grouped fallback needs at least one group")
    for _, states in groups:
        _check_states(states)
    _check_states([state for _, states in groups for state in states])
    active_steps = active_steps or [0] * len(groups)
    if len(active_steps) != len(groups) or not 0 <= active_group < len(groups):
        raise ValueError(f"need one start step per group and a valid active group (got {active_steps}, {active_group})")
    sliders, buttons, descriptions = [], [], {}
    pad = _slider_pad(groups[active_group][1][0][1])
    for i, ((name, states), start) in enumerate(zip(groups, active_steps)):
        if not 0 <= start < len(states):
            raise ValueError(f"start step {start} is outside group {name!r}'s {len(states)} states")
        steps = [dict(method="update", label=lab, args=a)
                 for (lab, _, _), a in zip(states, _steps_args([f for _, f, _ in states]))]
        sliders.append(dict(active=start, steps=steps, visible=i == active_group, pad=dict(t=pad), len=SLIDER_LENGTH,
                            currentvalue=dict(prefix=f"{name}, {slider_label}: ")))
        descriptions.update({f"slider{i}:{j}": d for j, (_, _, d) in enumerate(states)})
        relayout = _relayout(states[start][1])
        relayout.update({f"sliders[{k}].visible": k == i for k in range(len(groups))})
        relayout[f"sliders[{i}].active"] = start
        buttons.append(dict(method="update", label=name, args=[_restyle(states[start][1]), relayout]))
        descriptions[f"menu0:{i}"] = states[start][2]
    fig = go.Figure(groups[active_group][1][active_steps[active_group]][1])
    state_height, bottom = fig.layout.height, int(fig.layout.margin.b or 0)
    fig.update_layout(sliders=sliders, height=(fig.layout.height or 440) + pad + 40)
    _buttons_row(fig, buttons, active_group, bottom=pad + 60)
    _pin_legend(fig, bottom)
    _keep_added_height(fig, state_height)
    return Fallback(fig, descriptions, f"menu0:{active_group}",
                    note=f"Kernel-free version: choose {group_label} with the buttons, then step {slider_label} with "
                         "the slider (precomputed states).")


# --- Any Demo: drive its primary control through its values ------------------------------------

def _control_values(control, n: int) -> list:
    import ipywidgets as w

    if isinstance(control, (w.ToggleButton, w.Checkbox)):
        return [False, True]
    if isinstance(control, (w.Dropdown, w.SelectionSlider, w.RadioButtons, w.ToggleButtons)):
        return [value for _label, value in control._options_full]  # (label, value) pairs
    if isinstance(control, w.FloatLogSlider):
        return [float(control.base ** e) for e in np.linspace(control.min, control.max, n)]
    if isinstance(control, (w.FloatSlider, w.IntSlider)):
        values = np.linspace(control.min, control.max, n)
        return [int(round(v)) for v in values] if isinstance(control, w.IntSlider) else [float(v) for v in values]
    raise TypeError(f"no fallback for a {type(control).__name__} control")


CATEGORICAL = ("ToggleButton", "Checkbox", "Dropdown", "RadioButtons", "ToggleButtons")
SLIDERS = ("FloatSlider", "IntSlider", "FloatLogSlider", "SelectionSlider")
MAX_GROUPS = 6  # a second control becomes a row of buttons only up to this many choices


def _kind(control) -> str:
    """'slider', 'categorical' or '' for an ipywidgets control (by class, so subclasses count)."""
    names = {cls.__name__ for cls in type(control).__mro__}
    return "slider" if names & set(SLIDERS) else "categorical" if names & set(CATEGORICAL) else ""


def _flat_controls(demo) -> list[tuple[str, object]]:
    """(name, control) for every control of a demo, looking inside boxes (a row of toggles is one box)."""
    import ipywidgets as w

    flat = []
    for name, control in demo.controls.items():
        if isinstance(control, w.Box):
            flat += [(getattr(c, "description", name) or name, c) for c in control.children]
        else:
            flat.append((name, control))
    return flat


def primary_control(demo) -> tuple[str, object]:
    """The demo's first slider, else its first toggle/checkbox, else its first dropdown."""
    import ipywidgets as w

    flat = _flat_controls(demo)
    for kinds in ((w.FloatSlider, w.IntSlider, w.FloatLogSlider, w.SelectionSlider),
                  (w.ToggleButton, w.Checkbox), (w.Dropdown, w.RadioButtons, w.ToggleButtons)):
        for name, control in flat:
            if isinstance(control, kinds):
                return name, control
    raise ValueError("this demo has no slider, toggle or dropdown to step through")


def secondary_control(demo, primary) -> tuple[str, object] | None:
    """To pair with a slider: the demo's first enabled categorical control with 2 to MAX_GROUPS choices."""
    if _kind(primary) != "slider":
        return None
    for name, control in _flat_controls(demo):
        if control is not primary and _kind(control) == "categorical" and not getattr(control, "disabled", False):
            if 2 <= len(_control_values(control, 0)) <= MAX_GROUPS:
                return name, control
    return None


def _label(control, name: str) -> str:
    """A short label for a control: its description up to any colon ('confounding: a trait...' -> 'confounding')."""
    return (control.description or name).split(":")[0].strip()


def _choice_label(control, value) -> str:
    if hasattr(control, "_options_full"):
        return next(lab for lab, v in control._options_full if v == value)
    return f"{_label(control, '')}: {'on' if value else 'off'}"


def _states(demo, control, values: list) -> list[tuple[str, go.Figure, str]]:
    """Set ``control`` to each value in turn; keep the figure and its sentence (the live callback does the work)."""
    import html
    import re

    states = []
    for value in values:
        control.value = value
        text = re.sub(r"<[^>]+>", "", demo.description.value).replace("What the figure shows:", "").strip()
        if hasattr(control, "_options_full") or isinstance(value, bool):
            shown = _choice_label(control, value)
        else:
            shown = f"{value:.4g}" if abs(value) < 1e5 else f"{value:.3g}"
        states.append((str(shown), go.Figure(demo.figure), html.unescape(text)))
    return states


def _nearest(values: list, value) -> int:
    if value in values:
        return values.index(value)
    return int(np.argmin([abs(v - value) for v in values])) if _is_number(value) else 0


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def from_demo(demo, n_steps: int = 11) -> Fallback:
    """Step a live :class:`helpers.view.demo.Demo` (no kernel needed) through its controls' values.

    The primary control (first slider, else toggle, else dropdown) is stepped; when the primary is a slider
    and the demo also has a categorical control with a few choices (a compound, a confounder switched on or
    off), each choice gets its own slider behind a row of buttons (:func:`grouped`).
    """
    if not isinstance(getattr(demo, "figure", None), go.Figure | go.FigureWidget):
        raise TypeError(f"{type(demo).__name__} has no plotly figure to step through")
    name, control = primary_control(demo)
    label, start = _label(control, name), control.value
    second = secondary_control(demo, control)
    if second is not None:
        group_name, group_control = second
        group_start = group_control.value
        groups, starts = [], []
        try:
            for choice in _control_values(group_control, 0):
                group_control.value = choice
                values = _control_values(control, n_steps)
                groups.append((_choice_label(group_control, choice), _states(demo, control, values)))
                starts.append(_nearest(values, start))
                control.value = start
        finally:
            group_control.value = group_start
            control.value = start
        choices = _control_values(group_control, 0)
        return grouped(groups, _label(group_control, group_name), label, choices.index(group_start), starts)
    values = _control_values(control, n_steps)
    try:
        states = _states(demo, control, values)
    finally:
        control.value = start
    categorical = _kind(control) == "categorical" and len(states) <= MAX_GROUPS  # more: a slider is easier
    return stepped(states, label, _nearest(values, start), control="buttons" if categorical else "slider")
