"""Notebooks are committed clean: no widget state, small, outputs only where nbval checks them."""

import pytest
from conftest import NOTEBOOKS, read_notebook

from helpers.build import nbclean

MAX_BYTES = 200 * 1024


def test_there_are_notebooks():
    names = {p.name for p in NOTEBOOKS}
    assert {"00_start_here.ipynb", "01_mechanism_of_action_basics.ipynb"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_clean(path):
    assert nbclean.problems(read_notebook(path)) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_small(path):
    assert path.stat().st_size < MAX_BYTES


def test_problems_detects_dirty_notebook():
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    cell = nbformat.v4.new_code_cell("1 + 1")
    cell.execution_count = 3
    nb.cells.append(cell)
    checked = nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(2)")
    nb.cells.append(checked)
    found = nbclean.problems(nb)
    assert any("metadata.widgets" in f for f in found)
    assert any("cell 0" in f for f in found)
    assert any("cell 1" in f and "no stored output" in f for f in found)
    assert nbclean.problems(nbclean.clean(nb)) == [f for f in found if "cell 1" in f]
