"""Evidence and reference formatting (self-check grading is in tests/test_self_checks.py)."""

import pytest

from helpers.core import evidence
from helpers.core.data import UnknownNameError


def test_citation_formats():
    assert evidence.citation("kapur1999") == "Kapur et al. 1999"
    assert evidence._author_label("Hallcher LM, Sherman WR") == "Hallcher & Sherman"
    assert evidence._author_label("Fredholm BB") == "Fredholm"
    assert evidence._author_label("de Jong PA, Smith J, Lee K") == "de Jong et al."
    assert evidence.citation("kapur1999;kapur2000") == "Kapur et al. 1999; Kapur et al. 2000"


def test_full_reference_has_doi_link():
    text = evidence.full_reference("kapur2000")
    assert "(2000)" in text and "[doi:10.1176/appi.ajp.157.4.514](https://doi.org/10.1176/appi.ajp.157.4.514)" in text


def test_theme_references_cover_the_evidence():
    keys = set(evidence.theme_reference_keys("basics"))
    for cell in evidence.evidence_table("basics")["Source"]:
        assert cell  # every row has a citation
    assert {"kapur1999", "kapur2000"} <= keys
    assert evidence.reference_list_markdown("basics").count("\n") + 1 == len(keys)


def test_filters_validate_names_and_values():
    assert set(evidence.evidence_table("basics", part="A")["Part"]) == {"A"}
    with pytest.raises(ValueError, match="unknown filter 'colour'"):
        evidence.evidence_table("basics", colour="red")
    with pytest.raises(ValueError, match="values present: A, B"):
        evidence.evidence_table("basics", part="C")
    with pytest.raises(UnknownNameError, match="themes are: basics"):
        evidence.evidence_table("astrology")


def test_glossary_is_alphabetical():
    lines = evidence.glossary_markdown("basics").splitlines()
    terms = [line.split("**")[1].casefold() for line in lines]
    assert terms == sorted(terms) and "occupancy" in terms
