"""Self-check questions with immediate feedback.

The question text lives in the notebook (it is narrative); grading is a pure function so it can be
tested without a browser, and the widget only shows its result.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets

from helpers.view.display import keep_alive  # Voila does not keep cell results alive


@dataclass(frozen=True)
class MultipleChoice:
    """A question with one correct option and an explanation shown after any answer.

    ``hints`` optionally maps a wrong option's index to feedback aimed at that misconception.
    """

    question: str
    options: tuple[str, ...]
    answer: int
    explanation: str
    hints: tuple[tuple[int, str], ...] = ()

    def __post_init__(self):
        if len(self.options) < 2:
            raise ValueError("a multiple-choice question needs at least two options")
        if not 0 <= self.answer < len(self.options):
            raise ValueError(f"answer must index one of the {len(self.options)} options (got {self.answer})")


def grade(question: MultipleChoice, choice: int | None) -> tuple[bool, str]:
    """Return (correct, feedback) for the chosen option index (None: nothing chosen yet)."""
    if choice is None:
        return False, "Choose an answer first."
    if not 0 <= choice < len(question.options):
        raise ValueError(f"choice must index one of the {len(question.options)} options (got {choice})")
    if choice == question.answer:
        return True, f"Correct. {question.explanation}"
    hint = dict(question.hints).get(choice, "")
    return False, f"Not quite. {hint + ' ' if hint else ''}{question.explanation}"


def multiple_choice(question: str, options: list[str], answer: int, explanation: str,
                    hints: dict[int, str] | None = None) -> widgets.VBox:
    """A keyboard-usable self-check: radio buttons, a Check button and a feedback line."""
    q = MultipleChoice(question, tuple(options), answer, explanation, tuple((hints or {}).items()))
    prompt = widgets.HTML(f"<b>Self-check.</b> {question}")
    radio = widgets.RadioButtons(options=[(text, i) for i, text in enumerate(options)], value=None,
                                 layout=widgets.Layout(width="auto"))
    button = widgets.Button(description="Check answer", button_style="primary", icon="check")
    feedback = widgets.HTML()

    def on_check(_=None):
        correct, text = grade(q, radio.value)
        colour = "#006d2c" if correct else "#a63603"  # dark green / dark orange: readable, not red-green only
        mark = "✔" if correct else ("✘" if radio.value is not None else "…")
        feedback.value = f'<p style="color:{colour}" role="status">{mark} {text}</p>'

    button.on_click(on_check)
    box = widgets.VBox([prompt, radio, button, feedback])
    box.question, box.radio, box.button, box.feedback, box.check = q, radio, button, feedback, on_check
    return keep_alive(box)
