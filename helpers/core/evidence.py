"""Evidence tables and reference lists, filtered and formatted for the notebooks.

A theme's rows are those in ``data/<table>/<theme>.csv`` (or, in tables with a ``theme`` column,
rows that name the theme), so each notebook's reference list is built from the data it uses.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from helpers.core import data
from helpers.core.schema import TABLES, THEMES

EVIDENCE_COLUMNS = {
    "part": "Part",
    "hypothesis": "Hypothesis",
    "claim": "Claim",
    "species": "Species",
    "design": "Design",
    "finding": "Finding",
    "effect_size": "Effect size",
    "direction": "Direction",
    "strength": "Strength",
    "citation": "Source",
}
FILTERS = ("theme", "part", "hypothesis", "direction", "strength", "species", "design")

# The Part B hypotheses about how SSRIs improve mood (notebook 01, section 7); other basics rows in
# Part B concern antipsychotic side effects.
SSRI_PART_B_HYPOTHESES = ("ssri_delayed_onset", "5ht1a_desensitisation", "neuroplasticity", "emotional_processing",
                          "serotonin_deficiency", "serotonin_availability", "ssri_dose_response")


def _check_theme(theme: str) -> str:
    if theme not in THEMES:
        raise data.UnknownNameError(f"unknown theme {theme!r}; themes are: {', '.join(THEMES)}")
    return theme


def citation(keys: str) -> str:
    """Short in-text citation for one or more ``;``-separated reference keys: 'Meyer et al. 2004'."""
    refs = data.load_all()["references"].set_index("key")
    parts = []
    for key in keys.split(";"):
        if key not in refs.index:
            raise data.UnknownNameError(f"unknown reference key {key!r}")
        parts.append(f"{_author_label(refs.at[key, 'authors'])} {refs.at[key, 'year']}")
    return "; ".join(parts)


def _surname(author: str) -> str:
    """'de Jong PA' -> 'de Jong'; 'Kapur S' -> 'Kapur' (the last token is initials)."""
    names = author.split()
    return " ".join(names[:-1]) if len(names) > 1 else names[0]


def _author_label(authors: str) -> str:
    """'Hallcher LM, Sherman WR' -> 'Hallcher & Sherman'; three or more, or 'et al.' -> 'Meyer et al.'."""
    people = [a.strip() for a in authors.split(",") if a.strip()]
    if any("et al" in p for p in people) or len(people) >= 3:
        return f"{_surname(people[0])} et al."
    if len(people) == 2:
        return f"{_surname(people[0])} & {_surname(people[1])}"
    return _surname(people[0])


def full_reference(key: str, markdown: bool = True) -> str:
    """One formatted reference: authors (year). Title. Journal volume:pages. DOI link / PMID."""
    refs = data.load_all()["references"].set_index("key")
    if key not in refs.index:
        raise data.UnknownNameError(f"unknown reference key {key!r}")
    r = refs.loc[key]
    where = r["journal"]
    if r["volume"]:
        where += f" {r['volume']}"
    if r["pages"]:
        where += f":{r['pages']}"
    text = f"{r['authors']} ({r['year']}). {r['title'].rstrip('.')}. *{where}*." if markdown else \
        f"{r['authors']} ({r['year']}). {r['title'].rstrip('.')}. {where}."
    if r["doi"]:
        text += f" [doi:{r['doi']}](https://doi.org/{r['doi']})" if markdown else f" doi:{r['doi']}"
    if r["pmid"]:
        text += f" PMID {r['pmid']}"
    return text


def evidence_table(theme: str | None = None, **filters) -> pd.DataFrame:
    """Evidence rows with readable column names and a short citation, optionally filtered.

    Parameters
    ----------
    theme : str, optional
        One of :data:`helpers.registry.THEME_KEYS`.
    **filters
        Exact-match filters on ``part``, ``hypothesis``, ``direction``, ``strength``, ``species`` or
        ``design`` (a value or a list of values). Unknown filter names or values raise an error that
        lists the valid ones; a filter never silently matches nothing.
    """
    rows = data.table("evidence")
    if theme is not None:
        rows = rows[rows["theme"] == _check_theme(theme)]
    for name, wanted in filters.items():
        if name not in FILTERS:
            raise ValueError(f"unknown filter {name!r}; filters are: {', '.join(FILTERS)}")
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        known = sorted(set(rows[name].dropna()))
        for value in values:
            if value not in known:
                raise ValueError(f"no evidence row has {name}={value!r} here; values present: {', '.join(known)}")
        rows = rows[rows[name].isin(values)]
    rows = rows.assign(citation=[citation(s) for s in rows["source"]])
    return rows[["id", *EVIDENCE_COLUMNS]].rename(columns=EVIDENCE_COLUMNS).reset_index(drop=True)


def evidence_html(frame: pd.DataFrame) -> str:
    """HTML for an evidence table (escaped text, striped rows), for an ``ipywidgets.HTML`` view."""
    shown = frame.drop(columns=["id"], errors="ignore")
    return shown.to_html(index=False, escape=True, classes="evidence-table", border=0, na_rep="")


def theme_reference_keys(theme: str) -> list[str]:
    """Reference keys used by any row belonging to a theme, in first-use order."""
    _check_theme(theme)
    tables = data.load_all()
    evidence_sources = dict(zip(tables["evidence"]["id"], tables["evidence"]["source"]))
    keys: list[str] = []
    for name, frame in tables.items():
        cols = [c for c in TABLES[name].columns if c.kind in ("refs", "ids")]
        if not cols or frame.empty:
            continue
        in_theme = frame["theme"] == theme if "theme" in frame else \
            frame["_file"].map(lambda f: Path(f).stem.split("_")[0] == theme)
        for col in cols:
            for cell in frame.loc[in_theme, col.name].dropna():
                for item in cell.split(";"):
                    # an evidence id (e.g. in the scorecard) brings in the references of that evidence row
                    found = evidence_sources[item].split(";") if col.kind == "ids" else [item]
                    keys.extend(k for k in found if k not in keys)
    return keys


def reference_list_markdown(theme: str, keys: list[str] | None = None) -> str:
    """Numbered Markdown list of every reference a theme's data uses (or of ``keys``), sorted by first author."""
    refs = data.load_all()["references"].set_index("key")
    keys = sorted(theme_reference_keys(theme) if keys is None else keys, key=lambda k: (refs.at[k, "authors"].casefold(), refs.at[k, "year"]))
    return "\n".join(f"{i}. {full_reference(k)}" for i, k in enumerate(keys, 1))


def glossary_markdown(theme: str) -> str:
    """Markdown definition list of a theme's glossary terms, alphabetical."""
    rows = data.table("glossary")
    rows = rows[rows["theme"] == _check_theme(theme)].sort_values("term", key=lambda s: s.str.casefold())
    return "\n".join(f"- **{html.escape(t)}**: {html.escape(d)}" for t, d in zip(rows["term"], rows["definition"]))
