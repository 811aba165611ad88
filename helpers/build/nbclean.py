"""Keep notebooks in git clean: run them, keep only the outputs nbval checks, drop everything else.

Usage: ``python -m helpers.build.nbclean notebooks/*.ipynb`` (``make clean-notebooks``).

A cell whose source has a line ``# NBVAL_CHECK_OUTPUT`` keeps its execution count and text output, so
``pytest --nbval-lax`` compares it on every run; every other cell is stored with no output and no
count, and ``metadata.widgets`` (megabytes of embedded plotly.js) is removed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

CHECK_MARKER = "# NBVAL_CHECK_OUTPUT"


def is_checked(cell) -> bool:
    """True for a code cell whose output nbval must compare."""
    return cell.cell_type == "code" and any(line.strip() == CHECK_MARKER for line in cell.source.splitlines())


def problems(nb) -> list[str]:
    """What makes a notebook unclean; an empty list means it is fit to commit."""
    found = []
    if "widgets" in nb.metadata:
        found.append("metadata.widgets is present (embedded widget state)")
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if is_checked(cell):
            if cell.execution_count is None or not cell.outputs:
                found.append(f"cell {index} is marked {CHECK_MARKER} but has no stored output/count")
            for out in cell.outputs:
                if out.output_type == "error":
                    found.append(f"cell {index} stores an error output")
                if set(out.get("data", {})) - {"text/plain"}:
                    found.append(f"cell {index} stores rich output; checked cells must print plain text")
        elif cell.outputs or cell.execution_count is not None:
            found.append(f"cell {index} stores output or an execution count but is not a checked cell")
    return found


def clean(nb, executed=None):
    """Return ``nb`` cleaned; outputs of checked cells come from ``executed`` (a run copy) if given."""
    nb.metadata.pop("widgets", None)
    count = 0
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        if is_checked(cell) and executed is not None:
            count += 1
            source_cell = executed.cells[index]
            cell.outputs = [o for o in source_cell.outputs if o.output_type in ("stream", "execute_result")]
            for out in cell.outputs:
                if out.output_type == "execute_result":
                    out["data"] = {"text/plain": out["data"].get("text/plain", "")}
                    out["metadata"] = {}
                    out["execution_count"] = count
            cell.execution_count = count
        elif not is_checked(cell):
            cell.outputs, cell.execution_count = [], None
    return nb


def execute(path: Path, timeout: int = 300):
    """Run a notebook top to bottom in its own folder and return the executed copy."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def main(paths: list[str]) -> int:
    for name in paths:
        path = Path(name)
        nb = nbformat.read(path, as_version=4)
        clean(nb, execute(path))
        nbformat.write(nb, path)
        left = problems(nb)
        print(f"{path}: {len(nb.cells)} cells, {path.stat().st_size / 1024:.0f} KiB" + (f"; {left}" if left else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
