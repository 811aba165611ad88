"""The package's layers, as import rules read from the source (no code is run).

``helpers.registry`` < ``helpers.core`` < ``helpers.view`` < ``helpers.themes.<theme>`` < ``helpers`` (the public
face in ``__init__``) < ``helpers.build``. A module may import from its own layer and the layers below it; a theme
never imports another theme; nothing but the build tools imports ``helpers.build``; and no group of modules
imports itself round in a circle (function-level imports count too: a cycle is a cycle wherever it hides).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = "helpers"
LAYERS = ("helpers.registry", "helpers.core", "helpers.view", "helpers.themes", "helpers", "helpers.build")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, name: str) -> set[str]:
    """Every ``helpers`` module that the file imports, absolute or relative, at any depth of the code."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}  # 'from helpers.core import data'
    return {m for m in found if m == PACKAGE or m.startswith(PACKAGE + ".")}


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (names that are not modules resolve to their module)."""
    files = {module_name(p, root): p for p in sorted((root / PACKAGE).rglob("*.py"))}
    graph = {}
    for name, path in files.items():
        targets = set()
        for imported in imports_of(path, name):
            while imported and imported not in files:  # 'helpers.core.data.table' -> 'helpers.core.data'
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def layer(module: str) -> int:
    """Index in LAYERS of the deepest layer that contains ``module``."""
    best = None
    for index, prefix in enumerate(LAYERS):
        if module == prefix or module.startswith(prefix + "."):
            if best is None or len(prefix) > len(LAYERS[best]):
                best = index
    return best


def theme_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[1] == "themes" else None


def rule_breaks(graph: dict[str, set[str]]) -> list[str]:
    """Every import that goes up a layer, across themes, or into the build tools from outside them."""
    breaks = []
    for source, targets in graph.items():
        for target in sorted(targets):
            if target.startswith("helpers.build") and not source.startswith("helpers.build"):
                breaks.append(f"{source} imports the build tools ({target})")
            elif layer(target) > layer(source) and not (source == "helpers" and target.startswith("helpers.")
                                                         and layer(target) < LAYERS.index("helpers.build")):
                breaks.append(f"{source} ({LAYERS[layer(source)]}) imports {target} ({LAYERS[layer(target)]}), "
                              "a higher layer")
            elif theme_of(source) and theme_of(target) and theme_of(source) != theme_of(target):
                breaks.append(f"theme {theme_of(source)} imports theme {theme_of(target)} ({source} -> {target})")
    return breaks


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@pytest.fixture(scope="module")
def graph():
    return import_graph(ROOT)


def test_every_module_sits_in_a_layer(graph):
    assert all(layer(m) is not None for m in graph)
    assert {"helpers.registry", "helpers.core.data", "helpers.view.demo", "helpers.themes.basics.widgets",
            "helpers.build.site"} <= set(graph)


def test_imports_follow_the_layers(graph):
    assert rule_breaks(graph) == []


def test_no_import_cycles(graph):
    assert cycles(graph) == []


def test_every_theme_folder_has_model_figures_and_widgets():
    for folder in sorted((ROOT / PACKAGE / "themes").iterdir()):
        if folder.is_dir() and not folder.name.startswith("_"):
            assert {"__init__.py", "model.py", "figures.py", "widgets.py"} <= {p.name for p in folder.iterdir()}, folder


# --- The checks can fail ---------------------------------------------------------------------------

def write_package(root: Path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return root


def test_a_deliberate_cycle_is_found(tmp_path):
    root = write_package(tmp_path, {
        "helpers/__init__.py": "",
        "helpers/core/__init__.py": "",
        "helpers/core/data.py": "from helpers.core import occupancy\n",
        "helpers/core/occupancy.py": "def f():\n    from .data import table  # hidden in a function\n",
    })
    assert cycles(import_graph(root)) == [["helpers.core.data", "helpers.core.occupancy"]]


def test_upward_cross_theme_and_build_imports_are_found(tmp_path):
    root = write_package(tmp_path, {
        "helpers/__init__.py": "",
        "helpers/core/__init__.py": "",
        "helpers/core/data.py": "from helpers.view.style import PALETTE\n",
        "helpers/view/__init__.py": "",
        "helpers/view/style.py": "PALETTE = ()\n",
        "helpers/themes/__init__.py": "",
        "helpers/themes/a/__init__.py": "",
        "helpers/themes/a/model.py": "from helpers.themes.b import model\n",
        "helpers/themes/b/__init__.py": "",
        "helpers/themes/b/model.py": "from helpers.build import site\n",
        "helpers/build/__init__.py": "",
        "helpers/build/site.py": "from helpers.themes.a import model\n",
    })
    breaks = rule_breaks(import_graph(root))
    assert any(b.startswith("helpers.core.data (helpers.core) imports helpers.view.style") for b in breaks)
    assert any(b.startswith("theme a imports theme b") for b in breaks)
    assert any(b.startswith("helpers.themes.b.model imports the build tools") for b in breaks)
    assert not any(b.startswith("helpers.build.site") for b in breaks)  # the build tools may import anything


def test_notebooks_never_import_the_build_tools():
    import json

    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        code = "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code")
        assert "helpers.build" not in code and "from helpers import build" not in code, path.name
