"""The classroom kit (issue 18): the coverage map against the core concepts, and the printable handouts.

- Every learning objective has at least one row in data/core_concepts (a concept, or an explicit ``none``);
  the check fails on an objective added without one. The guide's coverage section is the generated table.
- ``make handouts`` (helpers.build.handouts) builds one worksheet per themed notebook and a teacher's key,
  offline; each PDF is read back with pypdf: pages, objectives and questions present, no answer or feedback in
  a worksheet, every answer and feedback in the key, pictures present; a self-check without an answer fails
  the build with its file and line.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.build import coverage
from helpers.core.core_concepts import CONCEPT_NAMES, CONCEPTS
from helpers.registry import THEMES

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


# --- Coverage map ----------------------------------------------------------------------------------------

def test_every_objective_has_a_core_concept_mapping():
    assert coverage.unmapped() == []


def test_the_mapping_check_fails_for_an_objective_without_a_row(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    path = copy / "objectives" / "lithium.csv"
    path.write_text(path.read_text() + "li-new,lithium,99,A new objective nobody has mapped.,1. Lithium's targets\n")
    assert coverage.unmapped(copy) == ["li-new"]


def test_the_concept_list_is_the_24_of_the_2024_study():
    assert len(CONCEPTS) == 24 == len(set(CONCEPT_NAMES))
    assert "Drug-target interaction" in CONCEPT_NAMES and "Drug targets" in CONCEPT_NAMES
    assert "Agonists and antagonists" not in CONCEPT_NAMES  # a sub-concept of drug-target interaction since 2024
    assert "Drug-receptor interaction" not in CONCEPT_NAMES  # renamed drug-target interaction


def test_every_notebook_is_a_column_and_every_concept_a_row():
    frame = coverage.table()
    assert [c.number for c in coverage.columns()] == ["00"] + [t.notebook[:2] for t in THEMES]
    assert list(frame["Core concept"])[:24] == list(CONCEPT_NAMES)
    lithium = frame.set_index("Core concept").loc["Drug clearance", "03"]
    assert lithium.startswith("3 (")  # objective 3 of 03 (clearance), with its self-checks counted


def test_the_guide_carries_the_generated_coverage_table():
    text = coverage.GUIDE.read_text()
    section = text.split(coverage.START, 1)[1].split(coverage.END, 1)[0].strip()
    assert section == coverage.markdown(), "run: python -m helpers.build.coverage --guide"
    assert "Not covered:" in section and "Guilding" in section
