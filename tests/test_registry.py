"""The theme registry (helpers/registry.py) agrees with the files: notebooks, demos, README, teacher's guide.

Adding a theme is one registry row plus files (CONTRIBUTING.md, "Add a theme"); these tests say which file is
missing. Each check is a function that returns what is wrong, run on the real collection (nothing may be
wrong) and on a small made-up one (where it must find the fault), so every test here can fail.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import nbformat
import pytest
from conftest import NOTEBOOK_DIR, ROOT, read_notebook

from helpers import registry
from helpers.registry import START_NOTEBOOK, THEMES, Theme

SHARED_DEMOS = {"evidence_explorer": "helpers.view.demo"}  # demos any theme may name, and where they live


def missing_notebooks(themes, folder: Path) -> list[str]:
    """Registry notebooks that are not in ``folder``."""
    return [t.notebook for t in themes if not (folder / t.notebook).is_file()]


def unregistered_notebooks(themes, folder: Path) -> list[str]:
    """Numbered notebooks in ``folder`` (other than the start page) that no registry row names."""
    named = {t.notebook for t in themes}
    return [p.name for p in sorted(folder.glob("[0-9][0-9]_*.ipynb")) if p.name not in named | {START_NOTEBOOK}]


def demo_factory(theme: Theme, name: str):
    """The function behind a registry demo name (a theme's widgets function or a shared demo), or None."""
    module = importlib.import_module(SHARED_DEMOS.get(name, f"{theme.package}.widgets"))
    factory = getattr(module, name, None)
    return factory if callable(factory) else None


def calls(source: str) -> set[str]:
    """Demo names a notebook's code calls: ``widgets.<name>(`` and the shared demos by their bare name."""
    found = set(re.findall(r"(?<![\w.])widgets\.(\w+)\(", source))
    return found | {name for name in SHARED_DEMOS if re.search(rf"(?<![\w.]){name}\(", source)}


def demo_problems(theme: Theme, source: str) -> list[str]:
    """Registry demos of ``theme`` that do not exist or that its notebook (code ``source``) never calls, and
    demos the notebook calls that the registry does not name (the static site would have no fallback)."""
    found = [f"{name}: no such function in {theme.package}.widgets" for name in theme.demos
             if demo_factory(theme, name) is None]
    called = calls(source)
    found += [f"{name}: never called in {theme.notebook}" for name in theme.demos if name not in called]
    found += [f"{name}: called in {theme.notebook} but not in its registry row" for name in sorted(called)
              if name not in theme.demos]
    if f"from {theme.package} import" not in source:
        found.append(f"{theme.notebook} does not import from {theme.package}")
    return found


def unlisted_in_readme(themes, readme: str) -> list[str]:
    return [t.notebook for t in themes if f"notebooks/{t.notebook}" not in readme]


def missing_guide_sections(themes, guide: str) -> list[str]:
    """Themes without a '## NN ...' section (NN = the notebook's number) in the teacher's guide."""
    return [t.notebook for t in themes if not re.search(rf"^## {t.notebook[:2]}\b", guide, re.M)]


def code_of(path: Path) -> str:
    return "\n".join(c.source for c in read_notebook(path).cells if c.cell_type == "code")


# --- the real collection --------------------------------------------------------------------------------


def test_every_registry_notebook_exists():
    assert missing_notebooks(THEMES, NOTEBOOK_DIR) == []


def test_every_numbered_notebook_is_in_the_registry():
    assert unregistered_notebooks(THEMES, NOTEBOOK_DIR) == []


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.key)
def test_every_demo_exists_and_is_called_in_its_notebook(theme):
    assert demo_problems(theme, code_of(NOTEBOOK_DIR / theme.notebook)) == []


def test_readme_lists_every_registry_notebook():
    assert unlisted_in_readme(THEMES, (ROOT / "README.md").read_text(encoding="utf-8")) == []


def test_teachers_guide_has_a_section_per_theme():
    assert missing_guide_sections(THEMES, (NOTEBOOK_DIR / "TEACHERS_GUIDE.md").read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.key)
def test_every_theme_has_its_folder_and_references(theme):
    folder = ROOT / "helpers" / "themes" / theme.key
    missing = [name for name in ("__init__.py", "model.py", "figures.py", "widgets.py")
               if not (folder / name).is_file()]
    missing += [] if (ROOT / "data" / "references" / f"{theme.key}.csv").is_file() else [f"data/references/{theme.key}.csv"]
    assert not missing, f"theme {theme.key!r} lacks {missing}"


def test_keys_and_notebooks_are_unique():
    for values in ([t.key for t in THEMES], [t.notebook for t in THEMES]):
        assert len(values) == len(set(values)), values


def test_the_registry_rejects_a_bad_fallback_kind():
    with pytest.raises(ValueError, match="fallback kind 'animated' is not one of stepped, custom, snapshot"):
        Theme(key="x", notebook="99_x.ipynb", title="X", minutes=10, summary="x", demos={"a_demo": "animated"})
    assert Theme(key="x", notebook="99_x.ipynb", title="X", minutes=10, summary="x", demos={"a_demo": "stepped"})


def test_a_theme_is_found_by_key_notebook_or_stem():
    lithium = registry.theme("lithium")
    assert registry.theme(lithium.notebook) is registry.theme(lithium.stem) is lithium
    with pytest.raises(KeyError, match="unknown theme"):
        registry.theme("no_such_theme")


# --- the checks find faults in a made-up collection -------------------------------------------------------

LITHIUM = registry.theme("lithium")
MADE_UP = Theme(key="lithium", notebook="07_made_up.ipynb", title="Made up", minutes=10, summary="x",
                demos={"level_explorer": "stepped", "no_such_explorer": "stepped", "evidence_explorer": "snapshot"})


def _write_notebook(folder: Path, name: str) -> None:
    nbformat.write(nbformat.v4.new_notebook(), folder / name)


def test_the_notebook_checks_find_a_missing_and_an_unregistered_notebook(tmp_path):
    for name in (START_NOTEBOOK, LITHIUM.notebook, "05_orphan.ipynb"):
        _write_notebook(tmp_path, name)
    assert missing_notebooks([LITHIUM, MADE_UP], tmp_path) == ["07_made_up.ipynb"]
    assert unregistered_notebooks([LITHIUM, MADE_UP], tmp_path) == ["05_orphan.ipynb"]


def test_the_demo_check_finds_missing_uncalled_and_unregistered_demos():
    source = "from helpers.themes.lithium import widgets\nwidgets.level_explorer()\nwidgets.clearance_explorer()"
    found = " | ".join(demo_problems(MADE_UP, source))
    assert "no_such_explorer: no such function" in found
    assert "evidence_explorer: never called" in found and "level_explorer: never" not in found
    assert "clearance_explorer: called in 07_made_up.ipynb but not in its registry row" in found
    assert demo_problems(MADE_UP, "widgets.level_explorer()")[-1].endswith("does not import from helpers.themes.lithium")
    assert calls("helpers.evidence_explorer('x')\nevidence_explorer('lithium')") == {"evidence_explorer"}
    assert calls("my_widgets.level_explorer()") == set()


def test_the_readme_and_guide_checks_find_a_missing_theme():
    assert unlisted_in_readme([LITHIUM, MADE_UP], f"| [x](notebooks/{LITHIUM.notebook}) |") == ["07_made_up.ipynb"]
    assert missing_guide_sections([LITHIUM, MADE_UP], "## 03 Lithium: ...\n### 07 not a section\n") == ["07_made_up.ipynb"]
