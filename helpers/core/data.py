"""Load, validate and cross-check the tables in ``data/``; look up drugs and targets by name.

Every table is read once per process (``load_all`` is cached). A malformed row raises
:class:`DataError` naming the file, line, column and reason; nothing is dropped or guessed.
"""

from __future__ import annotations

import csv
import difflib
import math
import os
import re
from functools import lru_cache, wraps
from pathlib import Path

import pandas as pd

from helpers.core.schema import TABLES, Column, Table

DATA_ENV = "PSYCHMEDS_DATA"  # an explicit data folder, for a copy of data/ kept elsewhere
# Where the tables are looked for, in order, when no folder is named: beside the package in a checkout of the
# repository (make lab, Binder, pip install -e .), then inside the installed package, where a wheel or
# ``pip install git+...`` puts a copy of data/ (pyproject.toml maps data/ to helpers/_data).
CHECKOUT_DATA = Path(__file__).resolve().parents[2] / "data"
PACKAGED_DATA = Path(__file__).resolve().parents[1] / "_data"
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
PROVENANCE = ("_file", "_line")


class DataError(ValueError):
    """A data file breaks the contract in :mod:`helpers.core.schema`."""


class UnknownNameError(KeyError, ValueError):
    """A drug, target or other name that the data does not know.

    Subclasses both ``KeyError`` (it is a failed look-up) and ``ValueError`` (it is bad input).
    """

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0])


def _has_tables(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob("*/*.csv"))


def find_data_dir() -> Path:
    """The folder holding the data tables (one sub-folder per table).

    ``$PSYCHMEDS_DATA`` if set (and then only that), else the repository's ``data/`` beside the package, else
    the copy installed inside the package.

    Raises
    ------
    DataError
        No folder with tables was found; the message lists every place looked.
    """
    return _find_data_dir(os.environ.get(DATA_ENV))


@lru_cache(maxsize=4)
def _find_data_dir(explicit: str | None) -> Path:
    candidates = [Path(explicit)] if explicit else [CHECKOUT_DATA, PACKAGED_DATA]
    for folder in candidates:
        if _has_tables(folder):
            return folder
    looked = "; ".join(f"{c} ({'empty: no data/<table>/*.csv' if c.is_dir() else 'missing'})" for c in candidates)
    raise DataError(f"no data tables found. Looked in: {looked}. Set {DATA_ENV} to a copy of the repository's "
                    "data/ folder, or reinstall the package (its wheel carries the data).")


def cached_lookup(function):
    """Decorator: remember the answers of a pure look-up in the stored tables, once per data folder.

    The tables are read once and do not change while a kernel runs, so a look-up by name (an affinity, a
    citation, a threshold) need not filter a DataFrame again on every slider step: in notebook 05 repeating
    those filters took most of a 6 ms callback. The data folder is part of the key, so pointing
    ``$PSYCHMEDS_DATA`` elsewhere (as tests do) gives fresh answers. Errors are not remembered: bad input raises
    every time. Use it only for functions of hashable arguments whose result callers never modify (numbers,
    strings, tuples); a function that returns a dict should cache a private helper and return a copy.
    ``wrapper.cache_clear()`` forgets everything.
    """

    @lru_cache(maxsize=2048)
    def remembered(folder: Path, *args, **kwargs):
        return function(*args, **kwargs)

    @wraps(function)
    def wrapper(*args, **kwargs):
        return remembered(find_data_dir(), *args, **kwargs)

    wrapper.cache_clear = remembered.cache_clear
    return wrapper


def _where(path: Path, line: int, column: str | None = None) -> str:
    parts = path.parts
    shown = Path(*parts[len(parts) - 3:]) if len(parts) >= 3 else path  # data/<table>/<file>.csv
    return f"{shown}, line {line}" + (f", column '{column}'" if column else "")


def _parse_cell(raw: str, col: Column, path: Path, line: int):
    """Convert one cell to its typed value, or raise DataError saying why it is invalid."""
    value = raw.strip()
    if value == "":
        if col.required:
            raise DataError(f"{_where(path, line, col.name)}: value is required but the cell is empty")
        return None
    where = _where(path, line, col.name)
    if col.kind in ("number", "positive", "fraction"):
        try:
            number = float(value)
        except ValueError:
            raise DataError(f"{where}: '{value}' is not a number") from None
        if not math.isfinite(number):
            raise DataError(f"{where}: '{value}' is not a finite number")
        if col.kind == "positive" and number <= 0:
            raise DataError(f"{where}: {value} must be greater than 0")
        if col.kind == "fraction" and not 0 <= number <= 1:
            raise DataError(f"{where}: {value} must be a fraction between 0 and 1 (write 0.8, not 80)")
        return number
    if col.kind in ("integer", "year"):
        if not re.fullmatch(r"\d+", value):
            raise DataError(f"{where}: '{value}' is not a whole number")
        number = int(value)
        if col.kind == "year" and not 1900 <= number <= 2100:
            raise DataError(f"{where}: {value} is not a plausible publication year")
        return number
    if col.kind == "choice" and value not in col.choices:
        raise DataError(f"{where}: '{value}' is not one of {', '.join(col.choices)}")
    if col.kind == "doi" and not DOI_PATTERN.match(value):
        raise DataError(f"{where}: '{value}' is not a DOI of the form 10.NNNN/suffix (no https:// prefix)")
    if col.kind == "pmid" and not re.fullmatch(r"\d{1,9}", value):
        raise DataError(f"{where}: '{value}' is not a PubMed ID (digits only)")
    if col.kind in ("refs", "ids"):
        parts = value.split(";")
        if any(p.strip() == "" or p != p.strip() for p in parts):
            raise DataError(f"{where}: '{value}' must be keys separated by ';' with no spaces or empty items")
    return value


def read_table_file(path: Path, table: Table) -> list[dict]:
    """Read and type-check one CSV file of a table.

    Returns
    -------
    list of dict
        One dict per data row, with ``_file`` and ``_line`` (1-based line in the file) added.
    """
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise DataError(f"{_where(path, 1)}: file is empty; expected header {table.header}") from None
        if header != table.header:
            raise DataError(
                f"{_where(path, 1)}: header {header} does not match table '{table.name}', "
                f"expected {table.header}"
            )
        rows = []
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                raise DataError(f"{_where(path, line)}: blank row (remove it)")
            if len(cells) != len(header):
                raise DataError(
                    f"{_where(path, line)}: has {len(cells)} cells, expected {len(header)} ({', '.join(header)})"
                )
            row = {col.name: _parse_cell(raw, col, path, line) for col, raw in zip(table.columns, cells)}
            row["_file"], row["_line"] = str(path), line
            rows.append(row)
    return rows


def _read_table(name: str, data_dir: Path) -> pd.DataFrame:
    table = TABLES[name]
    folder = data_dir / name
    files = sorted(folder.glob("*.csv")) if folder.is_dir() else []
    rows: list[dict] = []
    seen: dict[tuple, str] = {}
    for path in files:
        for row in read_table_file(path, table):
            key = tuple(row[k] for k in table.key)
            if key in seen:
                raise DataError(
                    f"{_where(path, row['_line'])}: duplicate key {dict(zip(table.key, key))} "
                    f"in table '{name}' (first defined at {seen[key]})"
                )
            seen[key] = _where(Path(row["_file"]), row["_line"])
            rows.append(row)
    frame = pd.DataFrame(rows, columns=table.header + list(PROVENANCE))
    return frame.astype(object).where(frame.notna(), None)


def _cross_check(tables: dict[str, pd.DataFrame]) -> None:
    """Every reference key, drug, target, hypothesis and evidence id used must exist."""
    ref_keys = set(tables["references"]["key"])
    evidence_ids = set(tables["evidence"]["id"])

    def fail(row, column, message):
        raise DataError(f"{_where(Path(row['_file']), row['_line'], column)}: {message}")

    for name, frame in tables.items():
        table = TABLES[name]
        for column, other in table.foreign.items():
            known = set(tables[other][TABLES[other].key[0]])
            for _, row in frame.iterrows():
                if row[column] not in known:
                    close = difflib.get_close_matches(str(row[column]), sorted(known), n=3)
                    hint = f"; did you mean {', '.join(close)}?" if close else ""
                    fail(row, column, f"'{row[column]}' is not defined in data/{other}/{hint}")
        for col in table.columns:
            if col.kind not in ("refs", "ids"):
                continue
            known = ref_keys if col.kind == "refs" else evidence_ids
            for _, row in frame.iterrows():
                for key in (row[col.name] or "").split(";") if row[col.name] else []:
                    if key not in known:
                        kind = "reference key" if col.kind == "refs" else "evidence id"
                        fail(row, col.name, f"{kind} '{key}' is not defined")
    refs = tables["references"]
    for _, row in refs.iterrows():
        if not row["doi"] and not row["pmid"]:
            fail(row, "doi", f"reference '{row['key']}' needs a DOI or a PMID")
    for _, row in tables["scorecard"].iterrows():
        if row["rating"] != "untested" and not row["evidence"]:
            fail(row, "evidence", f"rating '{row['rating']}' needs evidence ids (only 'untested' may have none)")
    steps = tables["hypothesis_steps"]
    step_keys = {(r["hypothesis"], r["step"]) for _, r in steps.iterrows()}
    for _, row in tables["interventions"].iterrows():
        for cut in row["cuts"].split(";"):
            hyp, _, step = cut.partition(":")
            if (hyp, step) not in step_keys:
                fail(row, "cuts", f"'{cut}' is not a hypothesis:step pair defined in data/hypothesis_steps/")


def load_all(data_dir: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Load, validate and cross-check every table.

    Parameters
    ----------
    data_dir : path, optional
        Folder holding one sub-folder per table (default: :func:`find_data_dir`).

    Returns
    -------
    dict of str to pandas.DataFrame
        Table name to rows (cells are Python values; empty cells are ``None``).

    Raises
    ------
    DataError
        A file, line or cross-reference breaks the contract, or the folder holds no tables; the message says
        where and why.
    """
    return _load_all(Path(data_dir) if data_dir is not None else find_data_dir())


@lru_cache(maxsize=4)
def _load_all(data_dir: Path) -> dict[str, pd.DataFrame]:
    if not _has_tables(data_dir):
        raise DataError(f"no data tables in {data_dir} ({'no data/<table>/*.csv files' if data_dir.is_dir() else 'missing'})")
    tables = {name: _read_table(name, data_dir) for name in TABLES}
    _cross_check(tables)
    return tables


def table(name: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """One validated table, without the provenance columns (a copy: safe to modify)."""
    if name not in TABLES:
        raise UnknownNameError(f"unknown table '{name}'; tables are: {', '.join(TABLES)}")
    return load_all(data_dir)[name].drop(columns=list(PROVENANCE)).copy()


def _normalise(name: str) -> str:
    return re.sub(r"[\s_\-]", "", str(name)).casefold()


def _unknown(kind: str, given: str, names: list[str], shown: list[str] | None = None) -> UnknownNameError:
    """An error naming the closest known names and listing all choices (``shown`` if given)."""
    by_fold = {n.casefold(): n for n in names}
    close = difflib.get_close_matches(str(given).casefold(), list(by_fold), n=3, cutoff=0.5)
    hint = f" Did you mean {', '.join(repr(by_fold[c]) for c in close)}?" if close else ""
    listed = ", ".join(shown if shown is not None else names)
    return UnknownNameError(f"unknown {kind} {given!r}.{hint} Known {kind}s: {listed}")


@lru_cache(maxsize=4)
def _name_index(data_dir: str | Path | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Normalised drug names/synonyms -> drug key, and target names/symbols -> target (built once)."""
    tables = load_all(data_dir)
    drugs: dict[str, str] = {}
    for key, name, synonyms in zip(tables["drugs"]["drug"], tables["drugs"]["name"], tables["drugs"]["synonyms"]):
        for alias in [key, name, *(synonyms or "").split(";")]:
            if alias:
                drugs.setdefault(_normalise(alias), key)
    targets: dict[str, str] = {}
    for key, symbols in zip(tables["targets"]["target"], tables["targets"]["hgnc_symbol"]):
        for alias in [key, *symbols.split(";")]:
            targets.setdefault(_normalise(alias), key)
    return drugs, targets


def resolve_drug(name: str) -> str:
    """Return the drug key for a drug key, display name or synonym (case-insensitive).

    Raises
    ------
    UnknownNameError
        The name is not in ``data/drugs/``; the message lists the closest and all known drugs.
    """
    key = _name_index()[0].get(_normalise(name))
    if key is None:
        raise _unknown("drug", name, sorted(load_all()["drugs"]["drug"]))
    return key


def resolve_target(name: str) -> str:
    """Return the target's short name for a short name or HGNC symbol (case-insensitive).

    ``resolve_target("SLC6A4") == resolve_target("sert") == "SERT"``. A target measured as a mixed
    population (e.g. muscarinic receptors in brain tissue) lists several symbols; each resolves to it.
    """
    key = _name_index()[1].get(_normalise(name))
    if key is not None:
        return key
    targets = load_all()["targets"]
    shown = sorted(f"{t} ({s.replace(';', ', ')})" for t, s in zip(targets["target"], targets["hgnc_symbol"]))
    symbols = [s for cell in targets["hgnc_symbol"] for s in cell.split(";")]
    raise _unknown("target", name, list(targets["target"]) + symbols, shown)


def drug_name(drug: str) -> str:
    """Display name of a drug key (``'escitalopram'`` -> ``'Escitalopram'``)."""
    return _display_names()[resolve_drug(drug)]


@lru_cache(maxsize=1)
def _display_names() -> dict[str, str]:
    drugs = load_all()["drugs"]
    return dict(zip(drugs["drug"], drugs["name"]))


def molar_mass(drug: str) -> float:
    """Molar mass of a drug in g/mol, from ``data/drugs/``."""
    key = resolve_drug(drug)
    value = _molar_masses()[key]
    if value is None:
        raise DataError(f"drug '{key}' has no molar_mass_g_per_mol in data/drugs/")
    return float(value)


@lru_cache(maxsize=1)
def _molar_masses() -> dict:
    # A dict, not a DataFrame lookup: slider callbacks convert ng/mL to nM several times per step.
    drugs = load_all()["drugs"]
    return dict(zip(drugs["drug"], drugs["molar_mass_g_per_mol"]))
