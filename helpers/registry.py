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
    Theme(
        key="antipsychotics",
        notebook="05_antipsychotics_side_effects.ipynb",
        title="Antipsychotics: side effects understood better than the benefit",
        minutes=60,
        summary=("How big the benefit is; a receptor profile turned into a side-effect fingerprint at a chosen D2 "
                 "occupancy; whether profiles predict what patients get; the D2 window and the pituitary; "
                 "the open question of how D2 blockade relieves psychosis (clozapine, a muscarinic agonist)"),
        demos={"fingerprint_explorer": "stepped", "association_explorer": "stepped",
               "evidence_explorer": "snapshot"},
    ),
    Theme(
        key="timecourse",
        notebook="06_time_course.ipynb",
        title="Time: why a drug takes weeks, why it can stop working, why stopping can be hard",
        minutes=60,
        summary=("From daily doses to steady state over half-lives (citalopram, fluoxetine and norfluoxetine), with "
                 "occupancy on the saturating curve; three clocks (occupancy, adaptation, clinical change) and the "
                 "pindolol test of the autoreceptor idea; how often stopping brings symptoms; linear vs hyperbolic "
                 "tapers; tolerance and contested tachyphylaxis"),
        demos={"schedule_explorer": "stepped", "clocks_explorer": "stepped", "taper_explorer": "stepped",
               "evidence_explorer": "snapshot"},
    ),
)

THEMES += (
    Theme(
        key="pharmacogenomics",
        notebook="07_individual_variation.ipynb",
        title="Why people differ: pharmacogenomics and individual variation",
        minutes=60,
        summary=("From two alleles to a metabolizer phenotype by CPIC's rules; what a poor metabolizer's higher "
                 "exposure does on the saturating occupancy curve; genes that change exposure (in guidelines) "
                 "against genes proposed to change response (not); interactions, adherence and placebo response"),
        demos={"genotype_explorer": "custom", "exposure_explorer": "stepped", "evidence_explorer": "snapshot"},
    ),
)

THEME_KEYS: tuple[str, ...] = tuple(t.key for t in THEMES)


def theme(key: str) -> Theme:
    """The registry row for a theme key (``'lithium'``) or notebook file or stem (``'03_lithium'``)."""
    for t in THEMES:
        if key in (t.key, t.notebook, t.stem):
            return t
    raise KeyError(f"unknown theme {key!r}; themes are: {', '.join(THEME_KEYS)}")
