"""The shared-bundle FigureWidget: every figure's own front end is small, the 5 MB bundle goes once.

Why it matters (see helpers/figure_widget.py): with plotly's stock FigureWidget every figure carried
5 MB of browser code and, in Voila, figures that loaded too slowly froze. The browser tests prove the
page works; these prove the mechanism that makes it work is in place for every figure we hand out.
"""

import json

import plotly.graph_objects as go

from helpers import figure_widget, figures, ketamine_widgets, lithium_widgets, psychotherapy_widgets, widgets

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
            figures.show(go.Figure(go.Bar(y=[1])), "one bar")]
    for widget in made:
        found = _figures_in(widget)
        assert found, f"{type(widget).__name__} holds no figure"
        for fig in found:
            assert isinstance(fig, figure_widget.FigureWidget), f"{type(widget).__name__}: stock FigureWidget"
            assert len(json.dumps(fig.get_state()["_esm"])) < MAX_FIGURE_ESM_BYTES
