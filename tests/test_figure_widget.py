"""The shared-bundle FigureWidget: every figure's own front end is small, the 5 MB bundle goes once.

Why it matters (see helpers/view/figure_widget.py): with plotly's stock FigureWidget every figure carried
5 MB of browser code and, in Voila, figures that loaded too slowly froze. The browser tests prove the
page works; these prove the mechanism that makes it work is in place for every figure we hand out.
"""

import json

import ipywidgets
import plotly.basewidget
import plotly.graph_objects as go

from helpers.themes.basics import widgets
from helpers.themes.ketamine import widgets as ketamine_widgets
from helpers.themes.lithium import widgets as lithium_widgets
from helpers.themes.psychotherapy import widgets as psychotherapy_widgets
from helpers.view import demo as demo_framework
from helpers.view import display, figure_widget

MAX_FIGURE_ESM_BYTES = 4_000


def _figures_in(widget) -> list:
    found = [widget] if isinstance(widget, go.FigureWidget) else []
    for child in getattr(widget, "children", ()):
        found += _figures_in(child)
    return found


def test_figure_front_end_is_small_and_waits_for_the_shared_bundle():
    fig = figure_widget.FigureWidget(go.Figure(go.Scatter(y=[1, 2])))
    esm = fig.get_state()["_esm"]
    assert len(esm.encode()) < MAX_FIGURE_ESM_BYTES
    assert figure_widget.SLOT_KEY in esm and "await slot().promise" in esm


def test_one_front_end_per_kernel_carrying_plotlys_own_bundle():
    first = figure_widget.ensure_front_end()
    figure_widget.FigureWidget()
    assert figure_widget.ensure_front_end() is first
    bundle = figure_widget.BUNDLE_PATH.read_text(encoding="utf-8")
    assert first.get_state()["bundle"] == bundle and len(bundle) > 1_000_000
    assert figure_widget.SLOT_KEY in first.get_state()["_esm"]


def test_front_end_is_recreated_after_the_kernel_closed_all_widgets():
    first = figure_widget.ensure_front_end()
    first.close()
    again = figure_widget.ensure_front_end()
    assert again is not first and again.comm is not None


def test_python_updates_behave_as_in_plotly():
    fig = figure_widget.FigureWidget(go.Figure(go.Scatter(y=[1, 2])))
    with fig.batch_update():
        fig.data[0].y = [3, 4]
        fig.layout.title.text = "after"
    assert list(fig.data[0].y) == [3, 4] and fig.layout.title.text == "after"


def test_every_demo_and_static_figure_uses_the_shared_bundle_figure():
    made = [widgets.ligand_explorer(), widgets.antagonist_explorer(), widgets.saturation_explorer(),
            ketamine_widgets.target_explorer(), lithium_widgets.level_explorer(),
            psychotherapy_widgets.mediation_explorer(),
            display.show(go.Figure(go.Bar(y=[1])), "one bar")]
    for widget in made:
        found = _figures_in(widget)
        assert found, f"{type(widget).__name__} holds no figure"
        for fig in found:
            assert isinstance(fig, figure_widget.FigureWidget), f"{type(widget).__name__}: stock FigureWidget"
            assert len(json.dumps(fig.get_state()["_esm"])) < MAX_FIGURE_ESM_BYTES


# --- batch_redraw: data-only steps skip plotly's full redraw, anything else takes the normal update -----

def _sent(fig) -> list:
    """Record the messages the figure sends to the browser: ("animate" | "update", message)."""
    sent = []
    fig.observe(lambda change: change["new"] and sent.append(("animate", change["new"])), names="_py2js_animate")
    fig.observe(lambda change: change["new"] and sent.append(("update", change["new"])), names="_py2js_update")
    return sent


def _two_panels(panel_2=go.Scatter):
    """Panel 1: a line, bars and a second line; panel 2: one trace (a line unless told). Fixed ranges on panel 1."""
    second = panel_2(z=[[1, 2]]) if panel_2 is go.Heatmap else panel_2(x=[1, 2], y=[2, 1])
    second.update(xaxis="x2", yaxis="y2")
    fig = go.Figure([go.Scatter(x=[1, 2], y=[1, 2]), go.Bar(x=[1, 2], y=[3, 4]), second,
                     go.Scatter(x=[1, 2], y=[5, 5])])
    fig.update_layout(xaxis=dict(range=[0, 3], domain=[0, 0.45]), yaxis_range=[0, 10],
                      xaxis2=dict(domain=[0.55, 1]), yaxis2=dict(anchor="x2"))
    return figure_widget.FigureWidget(fig)


def test_point_data_changes_are_drawn_without_a_full_redraw():
    fig = _two_panels()
    sent = _sent(fig)
    with fig.batch_redraw():
        fig.data[0].y = [5, 6]
        fig.data[1].update(y=[7, 8], text=["7", "8"])
    assert [kind for kind, _ in sent] == ["animate"] and fig.last_redraw == "quick"
    message = sent[0][1]
    assert message["animation_opts"] == figure_widget.QUICK_DRAW
    assert message["animation_opts"]["frame"]["redraw"] is False
    # the lines above the first changed one go into the frame too (the unchanged line 3, with its own data),
    # so their stacking order holds; the untouched panel 2 sends its top line, or plotly.js would empty it
    assert sorted(message["style_traces"]) == [0, 1, 2, 3]
    assert list(message["style_data"][message["style_traces"].index(2)]["x"]) == [1, 2]
    assert list(message["style_data"][message["style_traces"].index(3)]["x"]) == [1, 2]
    assert list(message["style_data"][0]["y"]) == [5, 6] and message["layout_data"] == {}
    assert list(fig.data[0].y) == [5, 6] and list(fig.data[1].text) == ["7", "8"]  # the kernel's copy too


def test_the_frame_holds_every_bar_of_the_panel_and_the_lines_from_the_first_changed_one_up():
    fig = _two_panels()
    sent = _sent(fig)
    with fig.batch_redraw():
        fig.data[3].y = [6, 6]  # the top line only
    # the bars are redrawn, the line below is not; panel 2 (unchanged) sends its top line
    assert sorted(sent[0][1]["style_traces"]) == [1, 2, 3]


def test_every_panel_is_in_the_frame_even_when_unchanged():
    """plotly.js empties a subplot with no trace in an animate frame (the forest plot's d panel lost its point)."""
    fig = figure_widget.FigureWidget(go.Figure([
        go.Scatter(x=[0, 1], y=[0, 1]), go.Scatter(x=[0], y=[0.5], xaxis="x2", yaxis="y2"),
        go.Scatter(x=[0, 1], y=[1, 1], mode="text", text=["a", "b"]), go.Bar(x=[0], y=[1], xaxis="x2", yaxis="y2")]))
    fig.update_layout(xaxis=dict(range=[0, 2], domain=[0, 0.45]), yaxis_range=[0, 2],
                      xaxis2=dict(domain=[0.55, 1], range=[0, 2]), yaxis2=dict(anchor="x2", range=[0, 2]))
    sent = _sent(fig)
    with fig.batch_redraw():
        fig.data[2].text = ["c", "d"]  # panel 1 only
    assert sorted(sent[0][1]["style_traces"]) == [1, 2, 3]  # panel 2: its bar and its top (only) line


def test_a_heatmap_anywhere_in_the_figure_takes_the_full_update():
    """Its subplot would have to go into the frame too, and plotly.js cannot draw a heatmap from a frame."""
    fig = _two_panels(panel_2=go.Heatmap)
    sent = _sent(fig)
    with fig.batch_redraw():
        fig.data[0].y = [5, 6]
    assert [kind for kind, _ in sent] == ["update"] and fig.last_redraw == "full"


def test_anything_but_point_data_takes_plotlys_full_update():
    cases = {
        "layout edit": lambda f: setattr(f.layout.title, "text", "new title"),
        "style edit": lambda f: setattr(f.data[0].marker, "size", 20),
        "legend name": lambda f: setattr(f.data[0], "name", "renamed"),
        "style of panel 2": lambda f: setattr(f.data[2], "mode", "markers"),
    }
    for case, edit in cases.items():
        fig = _two_panels()
        sent = _sent(fig)
        with fig.batch_redraw():
            fig.data[0].y = [5, 6]
            edit(fig)
        assert [kind for kind, _ in sent] == ["update"], case
        assert fig.last_redraw == "full", case


def test_point_colours_of_scatter_traces_outside_the_legend_are_quick():
    """A colour grid of scatter markers (01's selectivity explorer) restyles its cells and their text colours
    from a frame; plotly.js does not restyle bars from a frame, nor redraw a legend swatch."""
    def grid(trace_type=go.Scatter, **style):
        cells = trace_type(x=[0, 1], y=[0, 0], text=["1%", "99%"], **style)
        if trace_type is go.Scatter:
            cells.update(mode="markers+text", marker=dict(symbol="square", color=["#000000", "#ffffff"]),
                         textfont=dict(color=["white", "black"]))
        else:
            cells.update(marker=dict(color=["#000000", "#ffffff"]))
        fig = go.Figure(cells).update_layout(xaxis_range=[-1, 2], yaxis_range=[-1, 1])
        return figure_widget.FigureWidget(fig)

    fig = grid(showlegend=False)
    sent = _sent(fig)
    with fig.batch_redraw():
        fig.data[0].marker.color = ["#ffffff", "#000000"]
        fig.data[0].textfont.color = ["black", "white"]
        fig.data[0].text = ["99%", "1%"]
    assert fig.last_redraw == "quick" and [kind for kind, _ in sent] == ["animate"]
    frame = sent[0][1]["style_data"][0]
    assert list(frame["marker.color"]) == ["#ffffff", "#000000"] and list(frame["textfont.color"]) == ["black", "white"]
    with fig.batch_redraw():
        fig.data[0].marker.color = ["#000000", "#ffffff"]
        fig.layout.title.text = "a new title"  # a layout item: the whole figure is redrawn
    assert fig.last_redraw == "full"
    for case, figure in (("in the legend", grid(showlegend=True)), ("bars", grid(go.Bar, showlegend=False))):
        with figure.batch_redraw():
            figure.data[0].marker.color = ["#ffffff", "#000000"]
        assert figure.last_redraw == "full", case


def test_nothing_changed_sends_nothing_and_nested_batches_send_once():
    fig = _two_panels()
    sent = _sent(fig)
    with fig.batch_redraw():
        fig.data[0].y = [1, 2]  # the value it already has
    assert sent == [] and fig.last_redraw == "none"
    with fig.batch_redraw():
        with fig.batch_redraw():
            fig.data[0].y = [9, 9]
        assert sent == []
    assert [kind for kind, _ in sent] == ["animate"]


def test_the_demos_main_sliders_take_the_quick_redraw():
    """Sliders that move a point along fixed axes change only point data (a slider over a heatmap, or one
    that changes a title, cannot; they take the full update and are timed by make bench all the same)."""
    from helpers.core import occupancy

    for demo, control, value in ((widgets.ligand_explorer(), "concentration", 300.0),
                                 (widgets.saturation_explorer(), "multiple", 2.0),
                                 (widgets.dose_explorer("D2", occupancy.drugs_with_fit("D2")), "dose", 3.0),
                                 (widgets.caffeine_explorer(), "cups", 4.0),
                                 (widgets.antagonist_explorer(), "antagonist", 1000.0),
                                 (widgets.antagonist_explorer(), "kb", 3.0)):
        demo.controls[control].value = value
        assert demo.figure.last_redraw == "quick", control
    ketamine = ketamine_widgets.target_explorer()
    ketamine.controls["level"].value = 400
    assert ketamine.figure.last_redraw == "quick"
    ketamine.controls["drug"].value = "esketamine"  # new curves, names and title: a full update
    assert ketamine.figure.last_redraw == "full"
    lithium = lithium_widgets.level_explorer()
    lithium.controls["serum"].value = 1.0
    assert lithium.figure.last_redraw == "quick"
    mediation = psychotherapy_widgets.mediation_explorer()
    kinds = []
    for a in (0.55, 0.6, 0.65, 0.7, 0.75):
        mediation.controls["a"].value = a
        kinds.append(mediation.figure.last_redraw)
    assert kinds.count("quick") >= 4, kinds  # an axis or a label side may change now and then: full
    from helpers.themes.pharmacogenomics import widgets as pgx_widgets
    exposure = pgx_widgets.exposure_explorer()
    exposure.controls["usual"].value = 2.0
    assert exposure.figure.last_redraw == "quick"


def test_points_moving_along_an_autoranged_axis_take_the_full_update():
    """A frame keeps the drawn axis range, so a point moved along an autoranged axis could fall outside it
    (caught by the browser test: the caffeine marker's axis was a little off after a quick draw)."""
    fig = figure_widget.FigureWidget(go.Figure(go.Scatter(x=[1, 2], y=[1, 2], text=["a", "b"])))
    fig.update_layout(xaxis_range=[0, 3])  # y autoranges
    with fig.batch_redraw():
        fig.data[0].x = [2, 1]  # along the fixed x axis only
    assert fig.last_redraw == "quick"
    with fig.batch_redraw():
        fig.data[0].text = ["c", "d"]  # moves nothing
    assert fig.last_redraw == "quick"
    with fig.batch_redraw():
        fig.data[0].y = [5, 6]
    assert fig.last_redraw == "full"


def test_a_panel_holding_a_trace_that_cannot_be_animated_takes_the_full_update():
    """The whole panel is redrawn from the frame, and plotly.js cannot draw a heatmap that way."""
    fig = figure_widget.FigureWidget(go.Figure([go.Heatmap(z=[[1, 2]]), go.Scatter(x=[0, 1], y=[0, 0])]))
    fig.update_layout(xaxis_range=[-1, 2], yaxis_range=[-1, 1])
    with fig.batch_redraw():
        fig.data[1].x = [1, 0]
    assert fig.last_redraw == "full"


def test_the_quick_redraw_can_be_switched_off(monkeypatch):
    monkeypatch.setattr(figure_widget, "QUICK_REDRAW", False)
    fig = _two_panels()
    sent = _sent(fig)
    with fig.batch_redraw():
        fig.data[0].y = [5, 6]
    assert [kind for kind, _ in sent] == ["update"] and fig.last_redraw == "full"


# --- fewer messages per step (helpers/view/widget_messages.py, FigureWidget._send_command) -----------------

def _comm_messages(widget) -> list[dict]:
    """Record what ``widget`` would send to the browser, one dict per comm message (state or echo)."""
    sent = []
    widget._send = lambda msg, buffers=None: sent.append(msg)
    return sent


def _browser_sets(widget, **state) -> list[str]:
    """Apply a change as if the browser made it; return the methods of the messages the kernel sends."""
    sent = _comm_messages(widget)
    widget.set_state(state)
    return [msg["method"] for msg in sent]


def _a_change_of(control) -> dict:
    """A state change the browser could send for ``control`` (a Dropdown syncs its 'index')."""
    if isinstance(control, ipywidgets.Dropdown):
        return {"index": 1}
    if isinstance(control, ipywidgets.ToggleButton):
        return {"value": not control.value}
    return {"value": control.max}


def test_a_change_made_in_the_browser_is_not_echoed_back():
    # what ipywidgets does by default (so the check below can fail) ...
    assert _browser_sets(ipywidgets.FloatSlider(), value=2.0) == ["echo_update"]
    # ... and what the demos' controls do: a slider, a row of toggle buttons, a dropdown (synced as 'index')
    demos = [ketamine_widgets.target_explorer(), lithium_widgets.clearance_explorer(),
             demo_framework.evidence_explorer("basics")]
    controls = [c for demo in demos for c in demo_framework._value_widgets(demo.controls.values())]
    assert {type(c).__name__ for c in controls} >= {"FloatSlider", "ToggleButton", "Dropdown"}
    for control in controls:
        assert "echo_update" not in _browser_sets(control, **_a_change_of(control)), control.description
    figure = demos[0].figure  # the figure's note after a draw (a layout delta, as the browser sends it)
    delta = {"layout_delta": {}, "layout_edit_id": figure._last_layout_edit_id}
    assert "echo_update" not in _browser_sets(figure, _js2py_layoutDelta=delta)


def test_each_figure_command_is_one_message_with_plotlys_content():
    """plotly sends the trace edit id, the layout edit id and the command apart; ours sends them together."""
    def commands(send_like_plotly: bool) -> list[list[dict]]:
        fig = _two_panels()
        if send_like_plotly:
            for name in ("_send_update_msg", "_send_animate_msg"):
                setattr(fig, name, getattr(plotly.basewidget.BaseFigureWidget, name).__get__(fig))
        sent = _comm_messages(fig)
        with fig.batch_redraw():
            fig.data[0].y = [5, 6]  # animate
        with fig.batch_redraw():
            fig.layout.title.text = "new"  # update
        return [msg["state"] for msg in sent]

    ours, plotlys = commands(False), commands(True)
    assert len(plotlys) == 8 and len(ours) == 4  # per command: ids and command, then the reset to None
    merged = [{**plotlys[0], **plotlys[1], **plotlys[2]}, plotlys[3], {**plotlys[4], **plotlys[5], **plotlys[6]},
              plotlys[7]]
    assert json.loads(json.dumps(ours, default=list)) == json.loads(json.dumps(merged, default=list))
    assert set(ours[0]) == {"_last_trace_edit_id", "_last_layout_edit_id", "_py2js_animate"}
    assert ours[1] == {"_py2js_animate": None} and ours[3] == {"_py2js_update": None}
