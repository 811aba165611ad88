"""Self-check grading and evidence/reference formatting."""

import pytest

from helpers.core import evidence
from helpers.core.data import UnknownNameError
from helpers.view import checks

Q = checks.MultipleChoice("2 + 2?", ("3", "4", "5"), 1, "Two and two make four.", ((0, "Count again."),))


def test_grade_correct_and_wrong_with_hint():
    assert checks.grade(Q, 1) == (True, "Correct. Two and two make four.")
    ok, text = checks.grade(Q, 0)
    assert not ok and "Count again." in text and "four" in text
    assert checks.grade(Q, None) == (False, "Choose an answer first.")


def test_grade_rejects_out_of_range():
    with pytest.raises(ValueError, match="choice must index"):
        checks.grade(Q, 7)


def test_question_must_be_well_formed():
    with pytest.raises(ValueError, match="answer must index"):
        checks.MultipleChoice("?", ("a", "b"), 2, "")


def test_widget_feedback_follows_the_choice():
    box = checks.multiple_choice("2 + 2?", ["3", "4"], 1, "Four.")
    box.check()
    assert "Choose an answer first" in box.feedback.value
    box.radio.value = 0
    box.check()
    assert "Not quite" in box.feedback.value
    box.radio.value = 1
    box.button.click()
    assert "Correct" in box.feedback.value


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
