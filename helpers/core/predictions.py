"""Predict-then-reveal questions (``data/predictions/<theme>.csv``), loaded and checked.

Each row asks a student to predict what one move in a demo will do (the ``prompt``, with ``options``), names
the right option (``answer``, 0-based) and one line of ``feedback`` per option. ``setup`` puts the demo in the
state the prompt describes (``control=value;control=value``); ``move`` is the one change the student makes
(``control=value``). ``helpers.view.predict`` shows the question above a demo and reveals the demo's own
explanation only after the student has committed a prediction and made the move.

Values in ``setup`` and ``move`` are read as ``true``/``false``, a number, or else text (a dropdown option).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.core.data import DataError, load_all


@dataclass(frozen=True)
class Prediction:
    """One predict-then-reveal question (see the module docstring for the fields)."""

    theme: str
    id: str
    demo: str
    prompt: str
    options: tuple[str, ...]
    answer: int
    feedback: tuple[str, ...]
    setup: dict
    move: tuple[str, object]
    move_text: str
    evidence: tuple[str, ...] = ()


def parse_value(text: str):
    """``'true'``/``'false'`` -> bool, a number -> int or float, anything else -> the text itself."""
    text = text.strip()
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def parse_assignments(text: str | None) -> dict:
    """``'a=1;kind=full agonist'`` -> ``{'a': 1, 'kind': 'full agonist'}`` (empty or None -> ``{}``)."""
    found = {}
    for part in (text or "").split(";"):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"{part!r} is not of the form control=value")
        if name.strip() in found:
            raise ValueError(f"control {name.strip()!r} is set twice in {text!r}")
        found[name.strip()] = parse_value(value)
    return found


def _from_row(row) -> Prediction:
    where = f"{row['_file']}, line {row['_line']} (prediction {row['id']!r})"
    options = tuple(o.strip() for o in row["options"].split(";"))
    feedback = tuple(f.strip() for f in row["feedback"].split(";"))
    if len(options) < 2 or not all(options):
        raise DataError(f"{where}: needs at least two non-empty ';'-separated options")
    if len(set(options)) != len(options):
        raise DataError(f"{where}: two options are the same")
    if len(feedback) != len(options) or not all(feedback):
        raise DataError(f"{where}: needs one feedback line per option ({len(options)} options, "
                        f"{len(feedback)} feedback lines)")
    answer = int(row["answer"])
    if not 0 <= answer < len(options):
        raise DataError(f"{where}: answer {answer} is not an option index (0 to {len(options) - 1})")
    try:
        setup, move = parse_assignments(row["setup"]), parse_assignments(row["move"])
    except ValueError as exc:
        raise DataError(f"{where}: {exc}") from None
    if len(move) != 1:
        raise DataError(f"{where}: move must change exactly one control (got {row['move']!r})")
    evidence = tuple(row["evidence"].split(";")) if row["evidence"] else ()
    return Prediction(row["theme"], row["id"], row["demo"], row["prompt"], options, answer, feedback, setup,
                      next(iter(move.items())), row["move_text"], evidence)


def _rows() -> pd.DataFrame:
    """The validated rows with their file and line (read only: load_all's cached frame)."""
    return load_all()["predictions"]


def predictions(theme: str | None = None) -> pd.DataFrame:
    """Every prediction (or one theme's) with ``options`` and ``feedback`` as lists, checked row by row."""
    frame = _rows()
    if theme is not None:
        frame = frame[frame["theme"] == theme]
    parsed = [_from_row(row) for _, row in frame.iterrows()]
    return pd.DataFrame({
        "theme": [p.theme for p in parsed], "id": [p.id for p in parsed], "demo": [p.demo for p in parsed],
        "prompt": [p.prompt for p in parsed], "options": [list(p.options) for p in parsed],
        "answer": [p.answer for p in parsed], "feedback": [list(p.feedback) for p in parsed],
        "setup": [p.setup for p in parsed], "move": [p.move for p in parsed],
        "move_text": [p.move_text for p in parsed],
    })


def prediction(prediction_id: str) -> Prediction:
    """The prediction with this id; an unknown id raises a ``KeyError`` that lists the known ones."""
    frame = _rows()
    rows = frame[frame["id"] == prediction_id]
    if rows.empty:
        raise KeyError(f"unknown prediction {prediction_id!r}; predictions are: {', '.join(frame['id'])}")
    return _from_row(rows.iloc[0])
