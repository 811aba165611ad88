"""Kernel-free fallbacks (helpers.build.fallbacks) built from live demos: structure, states and layout.

The site test clicks them in a browser; these check what each click will do, from the figure's own
slider steps and buttons.
"""

import pytest

from helpers.build import fallbacks
from helpers.themes.ketamine import widgets as ketamine_widgets
from helpers.themes.lithium import widgets as lithium_widgets
from helpers.themes.psychotherapy import widgets as psychotherapy_widgets


def _controls(fig):
    return [*(fig.layout.sliders or ()), *(fig.layout.updatemenus or ())]


def _items(fig):
    return [item for control in _controls(fig)
            for item in [*(getattr(control, "steps", None) or ()), *(getattr(control, "buttons", None) or ())]]


@pytest.fixture(scope="module")
def mediation():
    return fallbacks.from_demo(psychotherapy_widgets.mediation_explorer())


def test_a_slider_and_a_switch_become_buttons_each_with_its_own_slider(mediation):
    layout = mediation.figure.layout
    labels = [b.label for b in layout.updatemenus[0].buttons]
    assert labels == ["confounding: off", "confounding: on"]
    assert len(layout.sliders) == 2 and [s.visible for s in layout.sliders] == [True, False]
    button_on = layout.updatemenus[0].buttons[1].args[1]
    assert button_on["sliders[0].visible"] is False and button_on["sliders[1].visible"] is True
    assert button_on["sliders[1].active"] == layout.sliders[1].active  # the slider names the state shown


def test_every_state_has_its_sentence_and_the_switch_changes_it(mediation):
    layout = mediation.figure.layout
    for i, slider in enumerate(layout.sliders):
        assert all(f"slider{i}:{j}" in mediation.descriptions for j in range(len(slider.steps)))
    off, on = (mediation.descriptions[f"menu0:{i}"] for i in (0, 1))
    assert "no confounding" in off and "a patient trait raises both" in on


def test_each_state_carries_its_error_bars_text_and_axis_ranges(mediation):
    """A slider step on the static page must redraw everything the live figure changes: the 95% intervals,
    the value labels and where they sit, and the axis ranges (missing any of these once left stale error
    bars under new estimates)."""
    steps = mediation.figure.layout.sliders[0].steps
    states = [step.args for step in steps]
    for restyle, relayout, *_ in states:
        assert {"error_y.array", "error_y.arrayminus", "text", "textposition"} <= set(restyle)
        assert {"yaxis.range", "xaxis2.range", "yaxis2.range"} <= set(relayout)
    intervals = {str(restyle["error_y.array"]) for restyle, *_ in states}
    assert len(intervals) == len(states)  # every step has its own intervals


def _set_heights(fig) -> set:
    return {part["height"] for item in _items(fig) for part in item.args if isinstance(part, dict) and "height" in part}


def test_no_click_shrinks_the_plot_under_the_added_controls():
    """State layouts carry their own height; every click must add the room the controls take, or the first
    click would squeeze the plot (seen: the legend ran into the axis titles)."""
    for demo in (psychotherapy_widgets.mediation_explorer(), ketamine_widgets.target_explorer()):
        fig = fallbacks.from_demo(demo).figure  # every state of these has the same height
        assert _set_heights(fig) <= {fig.layout.height}, f"steps set heights {_set_heights(fig)}"
    demo = lithium_widgets.hypothesis_explorer()  # its figure's height follows the number of rows shown
    fig = fallbacks.from_demo(demo).figure
    room = fig.layout.height - demo.figure.layout.height
    assert room > 0 and min(_set_heights(fig)) >= room + 200


def test_one_control_demos_keep_a_single_control():
    fig = fallbacks.from_demo(lithium_widgets.hypothesis_explorer()).figure
    assert len(_controls(fig)) == 1


def test_grouped_rejects_inconsistent_groups():
    demo = psychotherapy_widgets.mediation_explorer()
    states = fallbacks._states(demo, demo.controls["a"], [0.1, 0.2])
    with pytest.raises(ValueError, match="start step"):
        fallbacks.grouped([("x", states)], "g", "a", 0, [5])
    with pytest.raises(ValueError, match="at least one group"):
        fallbacks.grouped([], "g", "a")
