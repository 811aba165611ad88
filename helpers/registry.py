"""The one list of themes: which notebook teaches each, its title and time, and its demos.

Everything that needs to know the themes reads this table: the data schema (the ``theme`` column's choices and
the data file names), the static site (which demos get a kernel-free version, and how), the README and
start-page checks, and the tests that drive every demo. Adding a theme adds one :class:`Theme` row here (see
CONTRIBUTING.md).

This module imports nothing from the rest of the package, so every layer may read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

START_NOTEBOOK = "00_start_here.ipynb"
START_MINUTES = 10  # the start page's reading time and what it covers (static site index), as its own map says
START_SUMMARY = "The Part A / Part B idea and how to use the notebooks"

# How the static site (no kernel) shows a demo:
#   "stepped"  - the live demo is driven through its controls' values and the figures are precomputed
#                (helpers.build.fallbacks.from_demo);
#   "custom"   - a hand-written kernel-free version of the same name in helpers.build.custom_fallbacks;
#   "snapshot" - no figure to step (a filtered table or text box): its first state is shown, controls disabled.
FALLBACK_KINDS = ("stepped", "custom", "snapshot")


@dataclass(frozen=True)
class Theme:
    """One themed notebook and the code behind it.

    Parameters
    ----------
    key : str
        The theme's name: its folder ``helpers/themes/<key>/`` and the stem of its data files
        (``data/<table>/<key>.csv`` or ``<key>_<part>.csv``).
    notebook : str
        The notebook's file name in ``notebooks/``.
    title : str
        Short title, as in the README's table.
    minutes : int
        Estimated time to work through the notebook, in minutes.
    summary : str
        What a reader learns, one sentence (README table, site index).
    demos : dict
        Demo factory name (a function in ``helpers.themes.<key>.widgets``, or ``evidence_explorer`` from
        :mod:`helpers.view.demo`) -> how the static site shows it (one of :data:`FALLBACK_KINDS`).
    """

    key: str
    notebook: str
    title: str
    minutes: int
    summary: str
    demos: dict = field(default_factory=dict)

    def __post_init__(self):
        for name, kind in self.demos.items():
            if kind not in FALLBACK_KINDS:
                raise ValueError(f"theme {self.key!r}, demo {name!r}: fallback kind {kind!r} is not one of "
                                 f"{', '.join(FALLBACK_KINDS)}")

    @property
    def package(self) -> str:
        """Dotted name of the theme's package (``helpers.themes.<key>``)."""
        return f"helpers.themes.{self.key}"

    @property
    def stem(self) -> str:
        """The notebook's file name without ``.ipynb``."""
        return self.notebook.removesuffix(".ipynb")


THEMES: tuple[Theme, ...] = (
    Theme(
        key="basics",
        notebook="01_mechanism_of_action_basics.ipynb",
        title="Mechanism of action: the basics",
        minutes=60,
        summary=("Occupancy; agonists, partial agonists, antagonists, inverse agonists; competitive antagonism; "
                 "selectivity; PET occupancy of SSRIs and antipsychotics; caffeine; SSRIs' open Part B"),
        demos={"ligand_explorer": "custom", "antagonist_explorer": "custom", "selectivity_explorer": "custom",
               "dose_explorer": "custom", "caffeine_explorer": "custom", "saturation_explorer": "custom",
               "evidence_explorer": "snapshot"},
    ),
    Theme(
        key="ketamine",
        notebook="02_ketamine.ipynb",
        title="Ketamine",
        minutes=75,
        summary=("Ketamine's targets and plasma levels; the competing explanations of its rapid antidepressant "
                 "effect as causal chains cut by experiments; the memantine and lanicemine puzzle"),
        demos={"target_explorer": "stepped", "blocker_explorer": "stepped", "evidence_explorer": "snapshot"},
    ),
    Theme(
        key="lithium",
        notebook="03_lithium.ipynb",
        title="Lithium",
        minutes=60,
        summary=("Lithium's many targets and unknown mechanism; a serum-level model with target and toxicity bands; "
                 "why levels drift with clearance; the suicide-prevention evidence on both sides; side effects "
                 "with better-known mechanisms"),
        demos={"level_explorer": "stepped", "clearance_explorer": "stepped", "hypothesis_explorer": "stepped",
               "evidence_explorer": "snapshot"},
    ),
    Theme(
        key="psychotherapy",
        notebook="04_psychotherapy_as_mechanism.ipynb",
        title="Psychotherapy as a mechanism",
        minutes=75,
        summary=("Mechanisms of change in psychotherapy; common factors and specific ingredients; Kazdin's "
                 "criteria; a mediation simulator showing how correlation misleads; a scorecard comparing every "
                 "treatment in the collection"),
        demos={"part_ab_explorer": "snapshot", "forest_explorer": "stepped", "mediation_explorer": "stepped",
               "scorecard_explorer": "stepped", "evidence_explorer": "snapshot"},
    ),
)

THEME_KEYS: tuple[str, ...] = tuple(t.key for t in THEMES)


def theme(key: str) -> Theme:
    """The registry row for a theme key (``'lithium'``) or notebook file or stem (``'03_lithium'``)."""
    for t in THEMES:
        if key in (t.key, t.notebook, t.stem):
            return t
    raise KeyError(f"unknown theme {key!r}; themes are: {', '.join(THEME_KEYS)}")
