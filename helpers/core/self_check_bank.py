"""Learning objectives and self-check questions, read from ``data/objectives/`` and ``data/self_checks/``.

Every notebook's objectives and the questions that test them live in data, one file per theme (plus
``start.csv`` for 00_start_here, which has no theme of its own: see :data:`helpers.core.schema.START_THEME`).
The schema checks each cell's type and that every question's ``objective`` exists; :func:`load_self_checks`
adds the checks that span several cells of a row, each failing with the file and line:

- options are contiguous (``option_0``, ``option_1`` required; ``option_2`` only with ``option_3`` after it ...);
- every option has its feedback, and no feedback stands without an option;
- ``answer`` is a 0-based index of one of the options;
- no two options of a question are the same;
- a question's theme is its objective's theme.

``from helpers import self_checks`` gives the whole bank as a DataFrame (columns :data:`COLUMNS`; ``options`` and
``feedback`` are lists, one feedback per option; ``answer`` is a 0-based int). The widget that asks a question
is :func:`helpers.view.checks.self_check`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from helpers.core import data
from helpers.core.data import DataError, UnknownNameError
from helpers.core.schema import CHECK_THEMES, MAX_OPTIONS, START_THEME
from helpers.registry import START_NOTEBOOK
from helpers.registry import theme as registry_theme

COLUMNS = ("id", "theme", "objective", "question", "options", "answer", "feedback", "demo", "evidence")


def notebook_for(theme: str) -> str:
    """The notebook file whose checks carry this theme (``'start'`` -> ``00_start_here.ipynb``)."""
    _check_theme(theme)
    return START_NOTEBOOK if theme == START_THEME else registry_theme(theme).notebook


def _check_theme(theme: str) -> str:
    if theme not in CHECK_THEMES:
        raise UnknownNameError(f"unknown self-check theme {theme!r}; themes are: {', '.join(CHECK_THEMES)}")
    return theme


def _fail(row, column: str | None, message: str):
    raise DataError(f"{data._where(Path(row['_file']), row['_line'], column)}: {message}")


def validate_row(row, objective_themes: dict[str, str]) -> tuple[list[str], list[str]]:
    """Check one self-check row across its cells; return its (options, feedback) lists.

    Raises
    ------
    DataError
        Naming the file, line and column of the first problem found.
    """
    options, feedback = [], []
    for i in range(MAX_OPTIONS):
        option, text = row[f"option_{i}"], row[f"feedback_{i}"]
        if option is None:
            if text is not None:
                _fail(row, f"feedback_{i}", f"feedback_{i} is given but option_{i} is empty")
            continue
        if len(options) != i:
            _fail(row, f"option_{i}", f"option_{i} follows an empty option_{len(options)}: fill the options in order")
        if text is None:
            _fail(row, f"feedback_{i}", f"option_{i} has no feedback: every option needs feedback aimed at it")
        options.append(option)
        feedback.append(text)
    if not 0 <= row["answer"] < len(options):
        _fail(row, "answer", f"answer {row['answer']} is not a 0-based index of the {len(options)} options "
                             f"(0 to {len(options) - 1})")
    seen: dict[str, int] = {}
    for i, option in enumerate(options):
        key = " ".join(option.casefold().split())
        if key in seen:
            _fail(row, f"option_{i}", f"option_{i} repeats option_{seen[key]} ({option!r})")
        seen[key] = i
    owner = objective_themes.get(row["objective"])
    if owner is not None and owner != row["theme"]:
        _fail(row, "objective", f"objective '{row['objective']}' belongs to theme '{owner}', not '{row['theme']}'")
    return options, feedback


def load_self_checks(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every self-check question, validated (a copy: safe to modify).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`, one row per question in file order (files sorted by name): ``options`` and
        ``feedback`` are lists of the same length, ``answer`` the 0-based index of the right option (its
        feedback is the explanation), ``demo`` the demo the question reads from (``''`` if none), ``evidence``
        a list of evidence ids.
    """
    return _load(Path(data_dir) if data_dir is not None else data.find_data_dir()).copy()


@lru_cache(maxsize=4)
def _load(data_dir: Path) -> pd.DataFrame:
    tables = data.load_all(data_dir)
    objective_themes = dict(zip(tables["objectives"]["objective"], tables["objectives"]["theme"]))
    rows = []
    for _, row in tables["self_checks"].iterrows():
        options, feedback = validate_row(row, objective_themes)
        rows.append({"id": row["id"], "theme": row["theme"], "objective": row["objective"],
                     "question": row["question"], "options": options, "answer": int(row["answer"]),
                     "feedback": feedback, "demo": row["demo"] or "",
                     "evidence": row["evidence"].split(";") if row["evidence"] else []})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def question(theme: str, check_id: str) -> dict:
    """One question as a dict (the columns of :func:`load_self_checks`).

    Raises
    ------
    UnknownNameError
        No question with that id in that theme; the message lists the theme's ids.
    """
    _check_theme(theme)
    bank = _load(data.find_data_dir())
    rows = bank[(bank["theme"] == theme) & (bank["id"] == check_id)]
    if rows.empty:
        known = ", ".join(bank.loc[bank["theme"] == theme, "id"]) or "none"
        raise UnknownNameError(f"no self-check {check_id!r} in theme {theme!r}; its checks are: {known}")
    found = rows.iloc[0].to_dict()
    found["answer"] = int(found["answer"])
    return found


def objectives(theme: str) -> pd.DataFrame:
    """A theme's learning objectives in the notebook's order: ``objective``, ``number``, ``text``, ``section``."""
    _check_theme(theme)
    table = data.table("objectives")
    rows = table[table["theme"] == theme].sort_values("number")
    return rows[["objective", "number", "text", "section"]].reset_index(drop=True)


def objectives_markdown(theme: str) -> str:
    """The numbered list of a theme's learning objectives, for ``Markdown(...)`` under the notebook's heading."""
    rows = objectives(theme)
    if rows.empty:
        raise DataError(f"theme {theme!r} has no learning objectives in data/objectives/")
    return "\n".join(f"{n}. {text}" for n, text in zip(rows["number"], rows["text"]))


def __getattr__(name: str):
    # ``self_checks`` is the bank as a DataFrame, read on first use (``from helpers import self_checks``).
    if name == "self_checks":
        return load_self_checks()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
