"""Evidence tables and reference lists, filtered and formatted for the notebooks.

A theme's rows are those in ``data/<table>/<theme>.csv`` (or, in tables with a ``theme`` column,
rows that name the theme), so each notebook's reference list is built from the data it uses.
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import numpy as np
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


@data.cached_lookup
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


# How the words of a hypothesis key are written for a reader (acronyms, symbols); other words stay lower case.
_KEY_WORDS = {"5ht1a": "5-HT1A", "ssri": "SSRI", "sert": "SERT", "d2": "D2", "h1": "H1", "m1": "M1",
              "gsk3": "GSK-3", "impase": "IMPase", "nmda": "NMDA", "vs": "versus", "a": "A"}
# Keys whose words alone read badly; the rest are written word by word with _KEY_WORDS.
_KEY_LABELS = {
    "general": "General background", "alpha1_hypotension": "Alpha1 block and low blood pressure",
    "d2_prolactin": "D2 block and prolactin", "h1_sedation": "H1 block and sedation",
    "h1_weight_gain": "H1 block and weight gain", "m1_anticholinergic": "Muscarinic block (anticholinergic effects)",
    "ndi_enac_aqp2": "Kidney: lithium entry by ENaC, loss of aquaporin-2", "sert_occupancy_80": "SERT occupancy near 80%",
    "sert_block_immediate": "SERT block within hours", "caffeine_adenosine": "Caffeine and adenosine receptors",
    "antisuicidal_effect": "Anti-suicide effect", "response_genetics": "Genetics of response",
    "level_predicts_toxicity": "Level and toxicity", "process_feedback": "Routine progress feedback",
    "ssri_dose_response": "SSRI dose-response", "ketamine_dose_response": "Ketamine dose-response",
}


def hypothesis_label(key: str) -> str:
    """The readable name of a hypothesis key, as a student sees it in a table ('ssri_delayed_onset' ->
    'SSRI delayed onset'): the ``name`` in ``data/hypotheses`` where there is one, else the key's words."""
    names = data.table("hypotheses").set_index("hypothesis")["name"]
    if key in names.index:
        return str(names[key])
    if key in _KEY_LABELS:
        return _KEY_LABELS[key]
    text = " ".join(_KEY_WORDS.get(word, word) for word in str(key).split("_"))
    return text[0].upper() + text[1:] if text else text


def evidence_table(theme: str | None = None, **filters) -> pd.DataFrame:
    """Evidence rows with readable column names and a short citation, optionally filtered.

    Filters take the data's keys (``hypothesis="ssri_delayed_onset"``); the table shows readable hypothesis
    names (:func:`hypothesis_label`).

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
    rows = rows.assign(citation=[citation(s) for s in rows["source"]],
                       hypothesis=[hypothesis_label(h) if isinstance(h, str) else h for h in rows["hypothesis"]])
    return rows[["id", *EVIDENCE_COLUMNS]].rename(columns=EVIDENCE_COLUMNS).reset_index(drop=True)


MISSING = "\u2014"  # what a missing value looks like in a table: an em dash, never "None" or "nan"
_SIGNIFICANT = 4  # significant digits a float keeps ("3.0000001" -> "3", "0.30000000000000004" -> "0.3")
_SHARED_DECIMALS_MAX = 3  # a float column shares one number of decimals (0.20, 0.75) up to this many


def _is_missing(value) -> bool:
    """None, NaN, pd.NA and NaT (a list or other container is a value, not a missing one)."""
    return pd.api.types.is_scalar(value) and bool(pd.isna(value))


def _decimals(value: float) -> int | None:
    """Decimals that show ``value`` to ``_SIGNIFICANT`` significant digits (None: needs an exponent)."""
    if value == 0:
        return 0
    if abs(value) < 1e-4:
        return None
    places = max(0, _SIGNIFICANT - 1 - math.floor(math.log10(abs(value))))
    return len(f"{value:.{places}f}".partition(".")[2].rstrip("0"))


def _format_float(value: float, decimals: int | None) -> str:
    text = f"{value:.{_SIGNIFICANT}g}" if decimals is None else f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text  # no "-0.00"


def format_column(values) -> list[str]:
    """Cell texts for one column, as every table in the notebooks shows them.

    Missing values (None, NaN, pd.NA, NaT) become :data:`MISSING`; integers print as integers; floats
    keep at most four significant digits (whole numbers stay whole: ``12345678``; below 0.0001 they take an
    exponent), and a column's floats share one number of decimals when that needs no more than three
    (``0.20``, ``0.75``; ``185``, ``1200``); everything else prints as ``str``.
    """
    values = list(values)
    floats = [float(v) for v in values
              if isinstance(v, (float, np.floating)) and not _is_missing(v) and np.isfinite(v)]
    needed = [_decimals(v) for v in floats]
    shared = max(needed) if needed and None not in needed and max(needed) <= _SHARED_DECIMALS_MAX else None
    cells = []
    for value in values:
        if _is_missing(value):
            cells.append(MISSING)
        elif isinstance(value, (bool, np.bool_)):
            cells.append(str(bool(value)))
        elif isinstance(value, (int, np.integer)):
            cells.append(str(int(value)))
        elif isinstance(value, (float, np.floating)):
            value = float(value)
            cells.append(_format_float(value, shared if shared is not None else _decimals(value))
                         if np.isfinite(value) else str(value))
        else:
            cells.append(str(value))
    return cells


def format_table(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every cell replaced by its text (see :func:`format_column`); same columns and index."""
    texts = pd.DataFrame({i: format_column(frame.iloc[:, i]) for i in range(frame.shape[1])},
                         index=frame.index, dtype=object)
    texts.columns = frame.columns
    return texts


def evidence_html(frame: pd.DataFrame) -> str:
    """HTML for any table a student reads (escaped text, no index, no ``id`` column, missing values as "\u2014").

    The one table formatter: :func:`helpers.view.display.show_table`, the ketamine notebook's
    ``figures.html_table`` and every evidence explorer render through it (cells via :func:`format_table`).
    """
    frame = frame.drop(columns=["id"], errors="ignore")
    texts = format_table(frame)
    # Numbers line up on the right, words on the left: JupyterLab's and Voila's default right-aligns every
    # cell, which makes a column of sentences (a finding, a summary) hard to read.
    align = [_alignment(frame.iloc[:, i]) for i in range(frame.shape[1])]
    head = "".join(f'<th style="text-align: {a}">{html.escape(str(name))}</th>'
                   for name, a in zip(frame.columns, align))
    rows = "".join("<tr>" + "".join(f'<td style="text-align: {a}">{html.escape(text)}</td>'
                                    for text, a in zip(row, align)) + "</tr>"
                   for row in texts.itertuples(index=False))
    # its own line spacing: inside an ipywidgets HTML widget (an evidence explorer) rows inherit 28 px lines
    return (f'<table border="0" class="dataframe evidence-table" style="line-height: 1.4"><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def _alignment(column: pd.Series) -> str:
    """"right" for a column of numbers (booleans excepted), else "left"."""
    numeric = pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
    return "right" if numeric else "left"


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
