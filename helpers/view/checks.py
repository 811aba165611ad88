"""Self-check questions with feedback aimed at each answer.

The questions live in ``data/self_checks/`` (see :mod:`helpers.core.self_check_bank`); a notebook asks one with
``checks.self_check("lithium", "li-clearance-quarter")``. The grading rule is a pure function, tested without
a browser; the widget only shows its result:

- a wrong answer shows only the feedback written for that option (never the right answer), and invites another
  try;
- the explanation (the right option's feedback) appears after the right answer;
- after two different wrong answers a "Show answer" button appears; pressing it shows the right option and the
  explanation.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets

from helpers.core import self_check_bank
from helpers.view.display import keep_alive  # Voila does not keep cell results alive
from helpers.view.style import PROSE

REVEAL_AFTER = 2  # different wrong answers before "Show answer" is offered
MARKS = {"none": "…", "wrong": "✘", "right": "✔", "revealed": "➜"}
COLOURS = {"none": "#5a5a5a", "wrong": "#a63603", "right": "#006d2c", "revealed": "#08519c"}  # not red-green only


@dataclass(frozen=True)
class Question:
    """One question: options, the right one (0-based) and feedback for each option."""

    question: str
    options: tuple[str, ...]
    answer: int
    feedback: tuple[str, ...]
    id: str = ""

    def __post_init__(self):
        if len(self.options) < 2:
            raise ValueError("a self-check needs at least two options")
        if len(self.feedback) != len(self.options):
            raise ValueError(f"every option needs its feedback: {len(self.options)} options, "
                             f"{len(self.feedback)} feedback texts")
        if not 0 <= self.answer < len(self.options):
            raise ValueError(f"answer must index one of the {len(self.options)} options (got {self.answer})")

    @property
    def explanation(self) -> str:
        """The right option's feedback: why the answer is right."""
        return self.feedback[self.answer]


@dataclass(frozen=True)
class Progress:
    """What a student has done with one question so far."""

    wrong: frozenset = frozenset()  # indices of the wrong options tried
    solved: bool = False
    revealed: bool = False

    @property
    def can_reveal(self) -> bool:
        return not self.solved and not self.revealed and len(self.wrong) >= REVEAL_AFTER


@dataclass(frozen=True)
class Result:
    """What to show after a press: ``status`` is ``none``, ``wrong``, ``right`` or ``revealed``."""

    status: str
    text: str
    progress: Progress

    @property
    def can_reveal(self) -> bool:
        return self.progress.can_reveal


def grade(question: Question, choice: int | None, progress: Progress = Progress()) -> Result:
    """Grade a choice (``None``: nothing chosen yet) given what the student has done before.

    A wrong choice gets only its own feedback; the explanation comes with the right choice.
    """
    if choice is None:
        return Result("none", "Choose an answer first.", progress)
    if not 0 <= choice < len(question.options):
        raise ValueError(f"choice must index one of the {len(question.options)} options (got {choice})")
    if choice == question.answer:
        return Result("right", f"Correct. {question.explanation}",
                      Progress(progress.wrong, solved=True, revealed=progress.revealed))
    after = Progress(progress.wrong | {choice}, progress.solved, progress.revealed)
    offer = " Or press “Show answer”." if after.can_reveal else ""
    return Result("wrong", f"Not quite. {question.feedback[choice]} Try another option.{offer}", after)


def reveal(question: Question, progress: Progress) -> Result:
    """The right option and the explanation, once the student has asked for it after two wrong tries.

    Raises
    ------
    ValueError
        Fewer than :data:`REVEAL_AFTER` different wrong answers have been tried (and the question is unsolved).
    """
    if not (progress.can_reveal or progress.revealed):
        raise ValueError(f"the answer is shown only after {REVEAL_AFTER} different wrong answers")
    return Result("revealed", f"The answer is “{question.options[question.answer]}”. {question.explanation}",
                  Progress(progress.wrong, progress.solved, revealed=True))


def stored_question(theme: str, check_id: str) -> Question:
    """A question from ``data/self_checks/<theme>.csv`` by its id."""
    row = self_check_bank.question(theme, check_id)
    return Question(row["question"], tuple(row["options"]), row["answer"], tuple(row["feedback"]), row["id"])


def _feedback_html(result: Result) -> str:
    return (f'<p style="color:{COLOURS[result.status]}; {PROSE}" role="status">{MARKS[result.status]} '
            f'{result.text}</p>')


def self_check(theme: str, check_id: str) -> widgets.VBox:
    """Ask a stored question: radio buttons, a Check button, a feedback line and, after two different wrong
    answers, a Show answer button. Keyboard-usable (Tab to the options, arrows to choose, Enter on a button)."""
    q = stored_question(theme, check_id)
    prompt = widgets.HTML(f'<p style="{PROSE}"><b>Self-check.</b> {q.question}</p>')
    radio = widgets.RadioButtons(options=[(text, i) for i, text in enumerate(q.options)], value=None,
                                 layout=widgets.Layout(width="auto"))
    button = widgets.Button(description="Check answer", button_style="primary", icon="check")
    show = widgets.Button(description="Show answer", icon="eye", tooltip="show the right answer and why",
                          layout=widgets.Layout(display="none"))
    feedback = widgets.HTML()
    state = {"progress": Progress()}

    def render(result: Result) -> None:
        state["progress"] = result.progress
        feedback.value = _feedback_html(result)
        show.layout.display = None if result.can_reveal else "none"

    def on_check(_=None):
        render(grade(q, radio.value, state["progress"]))

    def on_show(_=None):
        render(reveal(q, state["progress"]))

    button.on_click(on_check)
    show.on_click(on_show)
    box = widgets.VBox([prompt, radio, widgets.HBox([button, show]), feedback])
    box.question, box.radio, box.button, box.show_button, box.feedback = q, radio, button, show, feedback
    box.check, box.show_answer, box.state = on_check, on_show, state
    return keep_alive(box)
