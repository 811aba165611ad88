"""Which kernel-free fallback each notebook demo gets, as :mod:`helpers.registry` says.

:func:`registry` maps a notebook's file stem to ``{widget factory name: fallback}``; a fallback takes the same
arguments as the factory the notebook calls (``widgets.dose_explorer("SERT", drugs)`` ->
``registry()["01_..."]["dose_explorer"]("SERT", drugs)``) and returns a
:class:`helpers.build.fallbacks.Fallback`. "stepped" demos are driven through their controls' values with
:func:`helpers.build.fallbacks.from_demo`; "custom" ones are written by hand in
:mod:`helpers.build.custom_fallbacks`; "snapshot" demos have none (the site shows their first state).
"""

from __future__ import annotations

import importlib
from typing import Callable

from helpers.build import custom_fallbacks
from helpers.build.fallbacks import Fallback, from_demo
from helpers.registry import THEMES, Theme


def _driven(factory: Callable) -> Callable:
    """A fallback that calls the live demo ``factory`` with the notebook's arguments and steps it (from_demo)."""
    def fallback(*args, **kwargs) -> Fallback:
        return from_demo(factory(*args, **kwargs))

    fallback.__name__ = factory.__name__
    fallback.__doc__ = f"Kernel-free :func:`{factory.__module__}.{factory.__name__}`, stepped with from_demo."
    return fallback


def theme_fallbacks(theme: Theme) -> dict[str, Callable]:
    """{demo factory name: fallback} for one theme, as its registry row says (snapshots are left out)."""
    widgets = importlib.import_module(f"{theme.package}.widgets")
    table = {}
    for name, kind in theme.demos.items():
        if kind == "custom":
            table[name] = getattr(custom_fallbacks, name)
        elif kind == "stepped":
            table[name] = _driven(getattr(widgets, name))
    return table


def registry() -> dict[str, dict[str, Callable]]:
    """Notebook stem -> {demo factory name -> fallback}, for every theme in :mod:`helpers.registry`."""
    return {theme.stem: theme_fallbacks(theme) for theme in THEMES}
