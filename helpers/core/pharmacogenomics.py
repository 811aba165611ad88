"""From genotype to metabolizer phenotype by the CPIC rules, read from ``data/``.

Two pharmacogenes that change how much of an antidepressant reaches the body:

* **CYP2D6**: each star allele has an *activity value* (``data/pgx_alleles``); the two values add up to an
  *activity score*, and a range of scores is a phenotype (``data/pgx_phenotype_rules``: 0 poor, 0.25-1
  intermediate, 1.25-2.25 normal, 2.5 and above ultrarapid; Caudle et al. 2020, current CPIC data).
  A gene duplication written ``*1x2`` counts the allele's value once per copy (every duplicated allele in CPIC's
  table follows this); ``*1x≥3`` (or ``x3`` and more) is at least three copies; ``xN`` (copy number unknown)
  gives a phenotype only when every copy number from two upwards gives the same one, else ``Indeterminate``.
* **CYP2C19**: CPIC assigns the phenotype from the *pair of allele functions* (normal, no, increased function),
  with no score: for example normal + increased is a rapid metabolizer.

Nothing here is a genotype interpretation service: the tables hold the common alleles a class needs, not the
hundreds that laboratories test for.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from helpers.core import data


def is_missing(value) -> bool:
    """None or NaN: an empty cell of a data table."""
    return value is None or (isinstance(value, float) and math.isnan(value))


DUPLICATION = re.compile(r"^(\*\d+)(?:x(\d+|≥3|>=3|N))?$")
# Star alleles that are a deletion of the whole gene (no copy at all): they cannot be duplicated, so ``*5x2`` is
# rejected. CYP2D6*5 is the deletion (its row in data/pgx_alleles says so; a test keeps the two in step).
GENE_DELETIONS = {"CYP2D6": ("*5",)}
INDETERMINATE = "Indeterminate"


@dataclass(frozen=True)
class Allele:
    """One allele of a diplotype as written (``*2x2``): its base star allele and how many copies."""

    text: str
    base: str
    copies: int  # 1, 2, 3 ...; for "at least 3" the lower bound 3
    at_least: bool  # True for x≥3 and xN (the copy number is a lower bound)


@dataclass(frozen=True)
class Result:
    """What :func:`genotype_result` finds for one diplotype."""

    gene: str
    diplotype: str
    alleles: tuple[Allele, Allele]
    functions: tuple[str, str]
    values: tuple[float | None, float | None]  # activity value of each allele as written (CYP2D6), else None
    score: float | None  # activity score (CYP2D6), lower bound when ``score_at_least``
    score_at_least: bool
    phenotype: str


@lru_cache(maxsize=1)
def _tables():
    alleles = data.table("pgx_alleles")
    rules = data.table("pgx_phenotype_rules")
    return alleles, rules


def genes() -> list[str]:
    """The genes with allele and phenotype tables, in file order."""
    return list(_genes())


@lru_cache(maxsize=1)
def _genes() -> tuple[str, ...]:
    alleles, _ = _tables()
    return tuple(dict.fromkeys(alleles["gene"]))


def known_alleles(gene: str) -> list[str]:
    """The star alleles stored for ``gene`` (``'CYP2D6'``), in file order."""
    return list(_known_alleles(resolve_gene(gene)))


@lru_cache(maxsize=16)
def _known_alleles(gene: str) -> tuple[str, ...]:
    alleles, _ = _tables()
    return tuple(alleles.loc[alleles["gene"] == gene, "allele"])


def resolve_gene(gene) -> str:
    """``'cyp2d6'`` -> ``'CYP2D6'``; an unknown gene raises ``ValueError`` naming the known ones."""
    if not isinstance(gene, str):
        raise ValueError(f"gene must be a gene symbol such as 'CYP2C19' (got {gene!r}); known genes: "
                         f"{', '.join(genes())}")
    for known in genes():
        if gene.strip().upper() == known:
            return known
    raise ValueError(f"unknown gene {gene!r}; known genes: {', '.join(genes())}")


def uses_activity_score(gene: str) -> bool:
    """True when CPIC assigns the gene's phenotype from an activity score (CYP2D6), False for function pairs."""
    return _uses_activity_score(resolve_gene(gene))


@lru_cache(maxsize=16)
def _uses_activity_score(gene: str) -> bool:
    _, rules = _tables()
    return bool(rules.loc[rules["gene"] == gene, "score_low"].notna().any())


@lru_cache(maxsize=16)
def _allele_rows(gene: str) -> dict:
    alleles, _ = _tables()
    return {r["allele"]: r.to_dict() for _, r in alleles[alleles["gene"] == gene].iterrows()}


@lru_cache(maxsize=16)
def _gene_rules(gene: str) -> tuple[dict, ...]:
    _, rules = _tables()
    return tuple(r.to_dict() for _, r in rules[rules["gene"] == gene].iterrows())


def parse_allele(gene: str, text: str) -> Allele:
    """``'*2x2'`` -> Allele(base='*2', copies=2). Duplications are accepted only for score-based genes."""
    gene = resolve_gene(gene)
    known = known_alleles(gene)
    match = DUPLICATION.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"{gene}: {text!r} is not a star allele; known alleles: {', '.join(known)}"
                         + (" (a duplication is written like *1x2, *2x≥3 or *2xN)" if uses_activity_score(gene) else ""))
    base, count = match.group(1), match.group(2)
    if base not in known:
        raise ValueError(f"{gene}: unknown allele {base!r}; known alleles: {', '.join(known)}")
    if count is None:
        return Allele(text.strip(), base, 1, False)
    if not uses_activity_score(gene):
        raise ValueError(f"{gene}: gene duplications ({text!r}) are not part of the CPIC rules used here; "
                         f"known alleles: {', '.join(known)}")
    if base in GENE_DELETIONS.get(gene, ()):
        raise ValueError(f"{gene}: {text!r}: {base} is a deletion of the whole gene, so it has no copies to "
                         f"duplicate; write {base} alone")
    if count in ("≥3", ">=3", "N"):
        return Allele(text.strip(), base, 3 if count != "N" else 2, True)
    copies = int(count)
    if copies < 2:
        raise ValueError(f"{gene}: {text!r}: a duplication has at least 2 copies (x2, x3, ...)")
    return Allele(text.strip(), base, copies, False)


def parse_diplotype(gene: str, diplotype) -> tuple[Allele, Allele]:
    """``'*1/*2x2'`` -> two :class:`Allele`; a malformed diplotype raises ``ValueError`` with an example."""
    gene = resolve_gene(gene)
    if not isinstance(diplotype, str) or diplotype.count("/") != 1:
        raise ValueError(f"{gene}: a diplotype is two alleles separated by '/', such as '*1/*2' (got {diplotype!r}); "
                         f"known alleles: {', '.join(known_alleles(gene))}")
    first, second = (part.strip() for part in diplotype.split("/"))
    return parse_allele(gene, first), parse_allele(gene, second)


def _value(gene: str, allele: Allele) -> float:
    row = _allele_rows(gene)[allele.base]
    if is_missing(row["activity_value"]):
        raise data.DataError(f"{gene} {allele.base}: no activity value stored")
    return float(row["activity_value"]) * allele.copies


def phenotype_for_score(gene: str, score: float) -> str:
    """The phenotype whose activity-score range holds ``score`` (CYP2D6)."""
    gene = resolve_gene(gene)
    for r in _gene_rules(gene):
        high = math.inf if is_missing(r["score_high"]) else r["score_high"]
        if not is_missing(r["score_low"]) and r["score_low"] - 1e-9 <= score <= high + 1e-9:
            return r["phenotype"]
    raise ValueError(f"{gene}: no phenotype rule covers activity score {score!r}")


def phenotype_for_functions(gene: str, first: str, second: str) -> str:
    """The phenotype for a pair of allele functions, in either order (CYP2C19)."""
    gene = resolve_gene(gene)
    pair = sorted((first, second))
    for r in _gene_rules(gene):
        if not is_missing(r["functions"]) and sorted(r["functions"].split("+")) == pair:
            return r["phenotype"]
    raise ValueError(f"{gene}: no phenotype rule for the function pair {first} + {second}")


def genotype_result(gene: str, diplotype: str) -> Result:
    """Everything :func:`metabolizer_phenotype` works out, for a figure or a sentence."""
    gene = resolve_gene(gene)
    pair = parse_diplotype(gene, diplotype)
    rows = _allele_rows(gene)
    functions = tuple(rows[a.base]["function"] for a in pair)
    if not uses_activity_score(gene):
        return Result(gene, diplotype.strip(), pair, functions, (None, None), None, False,
                      phenotype_for_functions(gene, *functions))
    values = tuple(_value(gene, a) for a in pair)
    score = sum(values)
    at_least = any(a.at_least and _value(gene, a) > 0 for a in pair)
    phenotype = phenotype_for_score(gene, score)
    if at_least:
        # x≥3 or xN: a lower bound on the copies. More copies only raise the score, so the phenotype is known
        # only if the lowest possible score already gives the top (open-ended) phenotype.
        top = {r["phenotype"] for r in _gene_rules(gene) if not is_missing(r["score_low"]) and is_missing(r["score_high"])}
        if phenotype not in top:
            phenotype = INDETERMINATE
    return Result(gene, diplotype.strip(), pair, functions, values, score, at_least, phenotype)


def metabolizer_phenotype(gene: str, diplotype: str) -> str:
    """The CPIC metabolizer phenotype of a diplotype, such as ``'Intermediate Metabolizer'``.

    Parameters
    ----------
    gene : str
        ``'CYP2D6'`` or ``'CYP2C19'`` (case-insensitive).
    diplotype : str
        Two star alleles separated by ``/``: ``'*1/*2'``, ``'*4/*41'``; for CYP2D6 a duplication as ``'*1/*2x2'``,
        ``'*1x≥3/*4'`` or ``'*2xN/*4'`` (copy number unknown).

    Returns
    -------
    str
        One of CPIC's terms: Poor, Intermediate, Normal, Rapid or Ultrarapid Metabolizer, or ``'Indeterminate'``
        when an unknown copy number (``xN``) leaves the phenotype open.

    Raises
    ------
    ValueError
        Unknown gene or allele, or a malformed diplotype; the message names the known choices.

    Examples
    --------
    >>> metabolizer_phenotype("CYP2C19", "*1/*2")
    'Intermediate Metabolizer'
    >>> metabolizer_phenotype("CYP2D6", "*1/*41")
    'Normal Metabolizer'

    Educational: the tables hold only common alleles; this is not a genotype interpretation service.
    """
    return genotype_result(gene, diplotype).phenotype


def short_phenotype(phenotype: str) -> str:
    """``'Poor Metabolizer'`` -> ``'poor metabolizer'`` (for sentences)."""
    return phenotype.lower() if phenotype != INDETERMINATE else "indeterminate"
