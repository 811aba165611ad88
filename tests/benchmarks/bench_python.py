"""Python-side benchmark: ``make bench`` runs it; it is not a test.

1. Each notebook's top-to-bottom run with nbclient (a fresh kernel, like nbval and the site build).
2. Each demo's widget callbacks: the notebook's code cells are re-run in this process; for every demo
   (an object with ``controls`` and ``figure``) each control is stepped through up to ``--steps`` values
   and each assignment (which runs the callback and the figure update) is timed.
Writes artifacts/bench/python.json. Budget from the builders' guide: a callback well under 16 ms.

    .venv/bin/python tests/benchmarks/bench_python.py [--steps 12] [notebooks ...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

import nbformat  # noqa: E402

from helpers.build.fallbacks import _control_values  # noqa: E402
from helpers.build.site import InProcess, execute  # noqa: E402

BUDGET_MS = 16.0
OUT = ROOT / "artifacts" / "bench"


def controls_of(demo) -> list[tuple[str, object]]:
    import ipywidgets as w

    flat = []
    for name, control in demo.controls.items():
        if isinstance(control, w.Box):
            flat += [(f"{name}/{getattr(c, 'description', '') or i}", c) for i, c in enumerate(control.children)]
        else:
            flat.append((name, control))
    return [(n, c) for n, c in flat if hasattr(c, "value")]


def time_callbacks(demo, steps: int) -> dict[str, list[float]]:
    times = {}
    for name, control in controls_of(demo):
        try:
            values = _control_values(control, steps)
        except TypeError:
            continue
        start, samples = control.value, []
        for value in values + [start]:
            if value == control.value:
                continue
            t = time.perf_counter()
            control.value = value
            samples.append(1000 * (time.perf_counter() - t))
        times[name] = samples
    return times


def bench_notebook(path: Path, steps: int) -> dict:
    t = time.perf_counter()
    execute(path)
    nbclient_s = time.perf_counter() - t
    nb = nbformat.read(path, as_version=4)
    runner, demos = InProcess(), []
    t = time.perf_counter()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        value = runner.run(cell.source)
        if hasattr(value, "controls") and hasattr(value, "update"):
            first_line = cell.source.strip().splitlines()[-1][:60]
            demos.append({"cell": index, "call": first_line, "callbacks_ms": time_callbacks(value, steps)})
    in_process_s = time.perf_counter() - t
    return {"notebook": path.name, "nbclient_s": round(nbclient_s, 2), "in_process_s": round(in_process_s, 2),
            "demos": demos}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("notebooks", nargs="*")
    args = parser.parse_args(argv)
    notebooks = [Path(n).resolve() for n in args.notebooks] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    results = [bench_notebook(p, args.steps) for p in notebooks]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "python.json").write_text(json.dumps(results, indent=1))
    print(f"\nPython side (budget: callback well under {BUDGET_MS:.0f} ms)")
    print(f"{'notebook':40} {'nbclient s':>10} | demo / control: median ms, max ms")
    over = []
    for r in results:
        print(f"{r['notebook']:40} {r['nbclient_s']:10.1f} |")
        for d in r["demos"]:
            parts = []
            for name, samples in d["callbacks_ms"].items():
                if samples:
                    med = statistics.median(samples)
                    parts.append(f"{name} {med:.1f}/{max(samples):.1f}")
                    if med > BUDGET_MS:
                        over.append(f"{r['notebook']} cell {d['cell']} {name}: median {med:.1f} ms")
            print(f"{'':40} {'':10} | cell {d['cell']:>2} {d['call'][:40]}: " + ", ".join(parts))
    print("over budget: " + ("; ".join(over) if over else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
