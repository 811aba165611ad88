"""Helpers for the 'How psychiatric medications work' notebooks.

Notebooks narrate; this package computes. The folders show the layers, each importing only from those below:

``registry``  the one list of themes (notebook, title, time, demos)
``core/``     data loading and validation, pharmacology models, evidence and citations (no plotting, no widgets)
``view/``     the shared look and the demo framework: style, display, Demo, self-checks, the plotly transport
``themes/``   one folder per themed notebook: ``model.py`` (pure functions), ``figures.py`` (a builder and an
              ``update_<figure>`` per figure), ``widgets.py`` (controls wired to them)
``build/``    the static site, its kernel-free fallbacks and the notebook cleaner (never imported by a notebook)

The names below are the public face (``from helpers import dose_occupancy``). The core names load eagerly; the
display names load on first use, so a plain script that only needs the models does not import ipywidgets.
"""

from __future__ import annotations

import importlib

from helpers.core.data import DataError, UnknownNameError, resolve_drug, resolve_target
from helpers.core.occupancy import affinity_occupancy, dose_occupancy, plasma_occupancy

# name -> module that defines it (loaded on first access; see __getattr__)
_LAZY = {
    "checks": "helpers.view.checks",
    "evidence": "helpers.core.evidence",
    "show": "helpers.view.display",
    "show_table": "helpers.view.display",
    "evidence_explorer": "helpers.view.demo",
    "self_checks": "helpers.core.self_check_bank",  # the self-check bank as a DataFrame
    "objectives_markdown": "helpers.core.self_check_bank",
    "metabolizer_phenotype": "helpers.core.pharmacogenomics",  # CPIC genotype -> phenotype (notebook 07)
}

__all__ = [
    "DataError",
    "UnknownNameError",
    "affinity_occupancy",
    "dose_occupancy",
    "plasma_occupancy",
    "resolve_drug",
    "resolve_target",
    *_LAZY,
]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'helpers' has no attribute {name!r}")
    module = importlib.import_module(_LAZY[name])
    value = module if module.__name__.rsplit(".", 1)[-1] == name else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
