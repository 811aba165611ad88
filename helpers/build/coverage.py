"""The coverage map: each notebook's learning objectives and self-checks against the Core Concepts of Pharmacology.

The mapping is data (``data/core_concepts/<theme>.csv``: objective, concept, how); the concept list and its
citation are :mod:`helpers.core.core_concepts`. A self-check counts under the concepts of the objective it tests.
This module turns the mapping into a table, as Markdown for the teacher's guide (``python -m
helpers.build.coverage --guide`` rewrites the guide's section between :data:`START` and :data:`END`) and as
HTML for the answer key (:mod:`helpers.build.handouts`). Notebooks come from :mod:`helpers.registry`, so a
theme registered there appears as a column without any change here.
"""

from __future__ import annotations

import argparse
import html
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.core import data
from helpers.core.core_concepts import CITATION, CONCEPTS, GROUPS, NONE
from helpers.core.schema import START_THEME
from helpers.registry import START_NOTEBOOK, THEMES

GUIDE = Path(__file__).resolve().parents[2] / "notebooks" / "TEACHERS_GUIDE.md"
START = "<!-- coverage-map:start (written by python -m helpers.build.coverage --guide) -->"
END = "<!-- coverage-map:end -->"


@dataclass(frozen=True)
class Column:
    """One notebook of the map: its theme key (``start`` for 00) and its two-digit number."""

    theme: str
    number: str


def columns() -> list[Column]:
    """The start page, then every registered theme, in reading order."""
    found = [Column(START_THEME, START_NOTEBOOK[:2])] + [Column(t.key, t.notebook[:2]) for t in THEMES]
    return sorted(found, key=lambda c: c.number)


def mapping(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every mapping row with its objective's theme and number, and the number of self-checks on it.

    Returns
    -------
    pandas.DataFrame
        Columns ``objective``, ``concept``, ``how``, ``theme``, ``number``, ``checks``.
    """
    tables = data.load_all(data_dir)
    objectives = tables["objectives"][["objective", "theme", "number"]]
    checks = tables["self_checks"]["objective"].value_counts().rename("checks")
    rows = tables["core_concepts"][["objective", "concept", "how"]].merge(objectives, on="objective")
    rows = rows.merge(checks, left_on="objective", right_index=True, how="left")
    rows["checks"] = rows["checks"].fillna(0).astype(int)
    return rows


def unmapped(data_dir: str | Path | None = None) -> list[str]:
    """Objective ids that have no row in ``data/core_concepts`` (each must have at least one)."""
    tables = data.load_all(data_dir)
    mapped = set(tables["core_concepts"]["objective"])
    return [o for o in tables["objectives"]["objective"] if o not in mapped]


def _cell(rows: pd.DataFrame) -> str:
    """``'1, 3 (2)'``: the objective numbers, and how many self-checks test them ('' when none)."""
    if rows.empty:
        return ""
    numbers = ", ".join(str(n) for n in sorted(rows["number"]))
    return f"{numbers} ({int(rows['checks'].sum())})"


def table(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Concept x notebook: each cell lists the notebook's objectives on that concept and its self-check count.

    Rows are the 24 concepts in their groups, then ``none`` (objectives outside the list); a ``Group`` column
    names each concept's group.
    """
    rows, cols = mapping(data_dir), columns()
    records = []
    for name, group in [*CONCEPTS, (NONE, "")]:
        mine = rows[rows["concept"] == name]
        record = {"Group": group, "Core concept": name}
        record.update({c.number: _cell(mine[mine["theme"] == c.theme]) for c in cols})
        records.append(record)
    return pd.DataFrame(records)


def uncovered(data_dir: str | Path | None = None) -> list[str]:
    """The core concepts no objective of the collection teaches."""
    taught = set(mapping(data_dir)["concept"])
    return [name for name, _ in CONCEPTS if name not in taught]


def summary(data_dir: str | Path | None = None) -> str:
    """One sentence: how many of the 24 are covered, and which are not."""
    missing = uncovered(data_dir)
    return (f"The collection teaches {len(CONCEPTS) - len(missing)} of the {len(CONCEPTS)} core concepts. "
            f"Not covered: {', '.join(missing) if missing else 'none'}.")


LEGEND = ("Each cell lists the numbers of the notebook's learning objectives that teach the concept, and in "
          "brackets how many self-check questions test those objectives. A blank cell: not taught there.")


def markdown(data_dir: str | Path | None = None) -> str:
    """The guide's section body: citation, legend, the table and the summary line."""
    frame, cols = table(data_dir), columns()
    head = "| Core concept | " + " | ".join(c.number for c in cols) + " |"
    lines = [head, "|---|" + "---|" * len(cols)]
    for group in (*GROUPS, ""):
        if group:
            lines.append(f"| **{group}** |" + " |" * len(cols))
        for _, row in frame[frame["Group"] == group].iterrows():
            label = row["Core concept"] if group else "*None of the 24 (outside the list)*"
            lines.append(f"| {label} | " + " | ".join(row[c.number] for c in cols) + " |")
    return "\n".join([
        "## Coverage map: the core concepts of pharmacology", "",
        (f"The concepts are the 24 Core Concepts of Pharmacology agreed by the IUPHAR Education Section's "
         f"international project ({CITATION}). {LEGEND}"), "", *lines, "", summary(data_dir),
    ])


def html_table(data_dir: str | Path | None = None) -> str:
    """The same table as HTML, for the answer key."""
    frame, cols = table(data_dir), columns()
    head = "<tr><th scope='col'>Core concept</th>" + "".join(f"<th scope='col'>{c.number}</th>" for c in cols) + "</tr>"
    body = []
    for group in (*GROUPS, ""):
        title = group or "None of the 24 (outside the list)"
        body.append(f"<tr class='group'><th colspan='{len(cols) + 1}' scope='colgroup'>{html.escape(title)}</th></tr>")
        for _, row in frame[frame["Group"] == group].iterrows():
            label = "" if not group else html.escape(row["Core concept"])
            cells = "".join(f"<td>{html.escape(row[c.number])}</td>" for c in cols)
            body.append(f"<tr><th scope='row'>{label}</th>{cells}</tr>")
    return f"<table class='coverage'><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"


def write_guide(path: Path = GUIDE, data_dir: str | Path | None = None) -> bool:
    """Replace the guide's coverage section (between the markers) with :func:`markdown`; True if it changed.

    Raises
    ------
    ValueError
        The guide has no pair of markers.
    """
    text = path.read_text()
    if START not in text or END not in text:
        raise ValueError(f"{path} has no coverage-map markers ({START} ... {END})")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    new = f"{before}{START}\n{markdown(data_dir)}\n{END}{after}"
    if new != text:
        path.write_text(new)
    return new != text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guide", action="store_true", help="rewrite the coverage section of the teacher's guide")
    args = parser.parse_args(argv)
    if args.guide:
        print("guide updated" if write_guide() else "guide already up to date")
    else:
        print(markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
