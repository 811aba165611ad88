"""Shared fixtures and paths for the test suite."""

from pathlib import Path

import nbformat
import pytest

from helpers.registry import THEMES

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
# Every numbered notebook (the glob skips notebooks/_template.ipynb, which test_notebook_structure checks as a
# template); the themed ones are those the registry names, in registry order (tests/test_registry.py checks
# that the two agree: every registry notebook exists and every numbered notebook but the start page is a theme).
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
THEMED = [NOTEBOOK_DIR / theme.notebook for theme in THEMES]
TEMPLATE = NOTEBOOK_DIR / "_template.ipynb"


def read_notebook(path: Path):
    return nbformat.read(path, as_version=4)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
