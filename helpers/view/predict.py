"""Predict, then reveal: a demo asks for a prediction before its explanation appears.

A demo factory called with ``predict="<id>"`` (a row of ``data/predictions/``) gets a panel above its
controls: the question, one radio button per option and a "Commit prediction" button. Until the student
commits, the "What the figure shows" line under the figure says what to do instead of giving the answer (the
sentence is still computed at every step, only not shown). Committing puts the demo in the state the question
describes; the student then makes the move it names, and the step that completes the move reveals the
sentence together with one feedback line: the prediction, the result, a mark (✔/✘) and the feedback written
for the option chosen.

Teachers who walk a class through a demo can switch this off: per demo with the "Teacher mode: show
explanations" box, or for every demo with ``PSYCHMEDS_TEACHER_MODE=1`` in the environment of the server (or
``helpers.view.predict.TEACHER_MODE = True`` before the demos are made), which gives the plain demos.

Cost per slider step: one comparison of the moved control with the move's value until the reveal, nothing
after it; the figure is never redrawn by this module except once, when a commit puts the demo in its start
state.
"""

from __future__ import annotations

import html
import math
import os

import ipywidgets as widgets

from helpers.core.predictions import Prediction, prediction
from helpers.view.style import PROSE

TEACHER_MODE = os.environ.get("PSYCHMEDS_TEACHER_MODE", "").strip().lower() in ("1", "true", "yes", "on")

WAITING = ("<p><b>What the figure shows:</b> <i>Make your prediction above and commit it; the explanation "
           "appears after your move.</i></p>")
RIGHT, WRONG = "✔", "✘"


def with_prediction(demo, prediction_id: str | None, factory: str | None = None):
    """Give ``demo`` the prediction ``prediction_id`` (``None``, or teacher mode: the plain demo, unchanged).

    ``factory`` is the name of the demo factory calling this; a prediction written for another demo is refused.
    Call it last in a factory, after the demo's children are arranged: the panel goes above them.
    """
    if not prediction_id or TEACHER_MODE:
        return demo
    row = prediction(prediction_id)
    if factory is not None and row.demo != factory:
        raise ValueError(f"prediction {prediction_id!r} belongs to the demo {row.demo!r}, not {factory!r}")
    panel = PredictionPanel(demo, row)
    demo.prediction = panel
    demo.children = (panel, *demo.children)
    demo.description.value = panel.shown(demo.description.value)  # hide the sentence the first state wrote
    return demo


def _same(value, target) -> bool:
    if isinstance(value, bool) or isinstance(target, bool) or isinstance(value, str) or isinstance(target, str):
        return value == target
    return math.isclose(float(value), float(target), rel_tol=1e-6, abs_tol=1e-9)


def _value_widgets(items) -> list:
    """Every control with a value, looking inside boxes."""
    found = []
    for item in items:
        if isinstance(item, widgets.Box):
            found += _value_widgets(item.children)
        elif hasattr(item, "value"):
            found.append(item)
    return found


class PredictionPanel(widgets.VBox):
    """The question, the options, the commit button, the feedback line and the teacher-mode switch.

    ``state`` is ``"open"`` (no prediction yet), ``"committed"`` (waiting for the move), ``"revealed"`` or
    ``"teacher"`` (explanations shown, no prediction asked).
    """

    def __init__(self, demo, row: Prediction):
        self.demo, self.row = demo, row
        self.state, self.latest, self.chosen = "open", "", None
        self.question = widgets.HTML(f'<p style="{PROSE}"><b>Predict first.</b> {html.escape(row.prompt)}</p>',
                                     layout=widgets.Layout(max_width="860px"))
        self.choice = widgets.RadioButtons(options=[(text, i) for i, text in enumerate(row.options)], value=None,
                                           description="your prediction", style={"description_width": "initial"},
                                           layout=widgets.Layout(width="auto", max_width="860px"))
        self.commit = widgets.Button(description="Commit prediction", disabled=True, icon="check",
                                     tooltip="Save your prediction; the explanation appears after your move",
                                     layout=widgets.Layout(width="max-content"))
        self.feedback = widgets.HTML(layout=widgets.Layout(max_width="860px"))
        self.teacher = widgets.Checkbox(value=False, description="Teacher mode: show explanations", indent=False,
                                        layout=widgets.Layout(width="auto"))
        self.choice.observe(self._chose, names="value")
        self.commit.on_click(lambda _button: self.commit_prediction())
        self.teacher.observe(lambda change: self.set_teacher_mode(change["new"]), names="value")
        super().__init__([self.question, self.choice, self.commit, self.feedback, self.teacher],
                         layout=widgets.Layout(border="1px solid #767676", padding="4px 10px", margin="0 0 8px 0",
                                               max_width="900px"))
        self._start = [(w, w.value) for w in _value_widgets(demo.controls.values())]

    # --- the demo's controls ------------------------------------------------------------------------------

    def _controls(self) -> dict:
        """Name -> control: the demo's controls with a value, and its toggle buttons by name."""
        named = {n: w for n, w in self.demo.controls.items() if not isinstance(w, widgets.Box) and hasattr(w, "value")}
        named.update(getattr(self.demo, "toggles", None) or {})
        return named

    def control(self, name: str):
        named = self._controls()
        if name not in named:
            raise KeyError(f"prediction {self.row.id!r}: the demo has no control {name!r} (it has {', '.join(named)})")
        return named[name]

    # --- what the description line shows ------------------------------------------------------------------

    def shown(self, sentence_html: str) -> str:
        """Called by the demo after each step with the live sentence; returns what the line should show."""
        self.latest = sentence_html
        if self.state in ("revealed", "teacher"):
            return sentence_html
        if self.state == "committed" and _same(self.control(self.row.move[0]).value, self.row.move[1]):
            self._reveal()
            return sentence_html
        return self._hint() if self.state == "committed" else WAITING

    def _hint(self) -> str:
        return (f"<p><b>What the figure shows:</b> <i>Prediction saved. Now {html.escape(self.row.move_text)} "
                "to see the result.</i></p>")

    # --- the student's actions ----------------------------------------------------------------------------

    def _chose(self, change) -> None:
        self.commit.disabled = change["new"] is None or self.state != "open"

    def commit_prediction(self) -> None:
        """Save the chosen option, put the demo in the question's start state, wait for the move."""
        if self.choice.value is None or self.state != "open":
            return
        self.chosen = self.choice.value
        self.choice.disabled = self.commit.disabled = True
        setup = {id(self.control(name)): value for name, value in self.row.setup.items()}
        self.demo._busy = True  # one redraw for the whole reset, not one per control
        try:
            for control, value in self._start:
                control.value = setup.get(id(control), value)
        finally:
            self.demo._busy = False
        self.demo.update()
        self._before = [(w, w.value) for w in _value_widgets(self.demo.controls.values())]
        self.state = "committed"
        self.feedback.value = ""
        self.demo.description.value = self._hint()

    def _reveal(self) -> None:
        self.state = "revealed"
        target = self.control(self.row.move[0])
        others_moved = any(not _same(w.value, v) for w, v in self._before if w is not target)
        said = html.escape(self.row.options[self.chosen])
        if others_moved:
            line = (f"You predicted: “{said}”. Other controls were moved as well, so the figure answers a different "
                    "question: compare it with your prediction yourself.")
        else:
            if self.chosen == self.row.answer:
                line = f"You predicted: “{said}”, and that is what happened. <b>{RIGHT} Your prediction matches.</b>"
            else:
                result = html.escape(self.row.options[self.row.answer])
                line = f"You predicted: “{said}”. What happened: “{result}”. <b>{WRONG} Not what happened.</b>"
            line += f" {html.escape(self.row.feedback[self.chosen])}"
        self.feedback.value = f'<p role="status" aria-live="polite" style="{PROSE}">{line}</p>'

    def set_teacher_mode(self, on: bool) -> None:
        """On: hide the question and show the live explanation. Off: ask for a prediction again."""
        for part in (self.question, self.choice, self.commit, self.feedback):
            part.layout.display = "none" if on else None
        if on:
            self.state = "teacher"
            self.demo.description.value = self.latest
            return
        self.state, self.chosen = "open", None
        self.choice.value = None
        self.choice.disabled, self.commit.disabled = False, True
        self.feedback.value = ""
        self.demo.description.value = WAITING

    @property
    def correct(self) -> bool | None:
        """Whether the committed prediction was the right option (``None`` before a commit)."""
        return None if self.chosen is None else self.chosen == self.row.answer
