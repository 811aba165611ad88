"""Shared fixtures and paths for the test suite."""

import ast
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


def run_cell(source: str, namespace: dict):
    """Run a notebook cell; return the value of its last line if that is an expression (what Jupyter shows)."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), namespace)  # noqa: S102 - the notebooks' own cells, as Jupyter runs them
    return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace) if last else None
