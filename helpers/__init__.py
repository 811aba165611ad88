"""Helpers for the 'How psychiatric medications work' notebooks.

Notebooks narrate; this package computes. Layers, from data to screen:
``data`` (load and validate data/) -> ``pharmacology`` and ``occupancy`` (pure models) ->
``figures`` (plotly figure builders) -> ``widgets`` (ipywidgets wiring only).
"""

from .data import DataError, UnknownNameError, resolve_drug, resolve_target
from .occupancy import affinity_occupancy, dose_occupancy, plasma_occupancy

__all__ = [
    "DataError",
    "UnknownNameError",
    "affinity_occupancy",
    "dose_occupancy",
    "plasma_occupancy",
    "resolve_drug",
    "resolve_target",
]
