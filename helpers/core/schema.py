"""The data contract: every table in ``data/``, its columns, types and keys.

Each table is a folder ``data/<table>/`` with one CSV per theme (``basics.csv``, ``ketamine.csv``, ...).
``data/README.md`` documents the same contract for people; ``tests/test_data.py`` checks the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from helpers.core.core_concepts import CONCEPT_NAMES, NONE
from helpers.registry import THEME_KEYS as THEMES  # the one list of themes

CONCENTRATION_UNITS = ("nM", "uM", "mM")
# Self-check themes: every themed notebook, plus "start" for 00_start_here (a notebook without a theme of its own,
# whose one check and objective live in data/objectives/start.csv and data/self_checks/start.csv).
START_THEME = "start"
CHECK_THEMES = (START_THEME, *THEMES)
MAX_OPTIONS = 4  # self_checks: option_0 .. option_3, each with its feedback_0 .. feedback_3
EXPOSURE_UNITS = ("ng/mL", "uM", "mM", "mmol/L", "mg/L")
# Pharmacogenomics: CPIC's allele function and standardized phenotype terms.
PGX_FUNCTIONS = ("normal function", "decreased function", "no function", "increased function")
PGX_PHENOTYPES = ("Poor Metabolizer", "Intermediate Metabolizer", "Normal Metabolizer", "Rapid Metabolizer",
                  "Ultrarapid Metabolizer", "Indeterminate")


@dataclass(frozen=True)
class Column:
    """One column of a table.

    kind is one of: ``text``, ``number`` (finite float), ``positive`` (> 0), ``fraction`` (0 to 1),
    ``integer`` (>= 0), ``choice`` (one of ``choices``), ``year``, ``doi``, ``pmid``,
    ``refs`` (``;``-separated reference keys), ``ids`` (``;``-separated evidence ids).
    """

    name: str
    kind: str = "text"
    required: bool = True
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """A table: its columns in file order and the columns that together must be unique."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    description: str = ""
    foreign: dict[str, str] = field(default_factory=dict)  # column -> table whose key it must match

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name: str, kind: str = "text", required: bool = True, choices: tuple[str, ...] = ()) -> Column:
    return Column(name, kind, required, choices)


SOURCE = _c("source", "refs")
NOTE = _c("note", required=False)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "references",
            (
                _c("key"), _c("authors"), _c("year", "year"), _c("title"), _c("journal"),
                _c("volume", required=False), _c("pages", required=False), _c("doi", "doi", False),
                _c("pmid", "pmid", False), _c("verified", "choice", True, ("V", "V2")), NOTE,
            ),
            ("key",),
            "Bibliography: every source key in every other table resolves here.",
        ),
        Table(
            "drugs",
            (
                _c("drug"), _c("name"), _c("drug_class"),
                _c("molar_mass_g_per_mol", "positive", False), _c("synonyms", required=False), NOTE,
            ),
            ("drug",),
            "Drugs and other substances, with molar mass for unit conversion.",
        ),
        Table(
            "targets",
            (
                _c("target"), _c("hgnc_symbol"), _c("full_name"), _c("family"),
                _c("endogenous_ligand", required=False), NOTE,
            ),
            ("target",),
            "Molecular targets: short teaching name and HGNC gene symbol.",
        ),
        Table(
            "affinities",
            (
                _c("drug"), _c("target"), _c("measure", "choice", True, ("Ki", "Kd", "IC50", "EC50")),
                _c("value", "positive"), _c("unit", "choice", True, CONCENTRATION_UNITS),
                _c("species"), _c("assay", required=False),
                _c("mode", "choice", False,
                   ("competitive", "uncompetitive", "noncompetitive", "channel_block", "partial_agonist",
                    "inverse_agonist", "agonist", "antagonist")),
                SOURCE, NOTE,
            ),
            ("drug", "target", "measure", "species", "source"),
            "Binding or inhibition constants measured in vitro.",
            {"drug": "drugs", "target": "targets"},
        ),
        Table(
            "exposures",
            (
                _c("drug"), _c("regimen"),
                _c("statistic", "choice", True, ("Cmax", "mean", "low", "high", "typical")),
                _c("value", "positive"), _c("unit", "choice", True, EXPOSURE_UNITS),
                _c("matrix", "choice", True, ("plasma", "serum", "brain")), SOURCE, NOTE,
            ),
            ("drug", "regimen", "statistic"),
            "Concentrations reached in the body with a stated regimen.",
            {"drug": "drugs"},
        ),
        Table(
            "occupancy_fits",
            (
                _c("drug"), _c("target"), _c("basis", "choice", True, ("dose", "plasma")),
                _c("emax", "fraction"), _c("ed50", "positive"),
                _c("ed50_unit", "choice", True, ("mg/day", "ng/mL")),
                _c("studied_min", "positive", False), _c("studied_max", "positive", False),
                _c("region", required=False), _c("tracer", required=False), _c("n_subjects", "integer", False),
                SOURCE, NOTE,
            ),
            ("drug", "target", "basis", "source"),
            "PET occupancy fits: occupancy = emax * x / (ed50 + x).",
            {"drug": "drugs", "target": "targets"},
        ),
        Table(
            "occupancy_measurements",
            (
                _c("drug"), _c("target"), _c("dose_mg_day", "positive"), _c("occupancy", "fraction"),
                _c("n_subjects", "integer", False), _c("regimen"), _c("region"), _c("tracer"), SOURCE, NOTE,
            ),
            ("drug", "target", "dose_mg_day", "regimen", "source"),
            "Mean occupancy measured by PET or SPECT at a stated dose (points, not fitted curves).",
            {"drug": "drugs", "target": "targets"},
        ),
        Table(
            "occupancy_thresholds",
            (_c("target"), _c("outcome"), _c("occupancy", "fraction"), SOURCE, NOTE),
            ("target", "outcome"),
            "Occupancy levels linked to clinical outcomes.",
            {"target": "targets"},
        ),
        Table(
            "properties",
            (_c("drug"), _c("property"), _c("value", "number"), _c("unit", required=False), SOURCE, NOTE),
            ("drug", "property", "source"),
            "Other numeric drug facts (trapping, half-life, caffeine per cup, ...).",
            {"drug": "drugs"},
        ),
        Table(
            "evidence",
            (
                _c("id"), _c("theme", "choice", True, THEMES), _c("part", "choice", True, ("A", "B")),
                _c("hypothesis"), _c("claim"), _c("species"), _c("design"), _c("finding"),
                _c("effect_size", required=False),
                _c("direction", "choice", True, ("supports", "contradicts", "mixed")),
                _c("strength", "choice", True, ("strong", "moderate", "weak", "contested")), SOURCE,
            ),
            ("id",),
            "Claims and the studies that bear on them, Part A or Part B.",
        ),
        Table(
            "effect_sizes",
            (
                _c("id"), _c("theme", "choice", True, THEMES), _c("outcome"), _c("comparison"),
                _c("metric", "choice", True, ("r", "d", "g", "OR", "RR", "HR", "SMD", "MD", "rates")),
                _c("estimate", "number", False), _c("ci_low", "number", False), _c("ci_high", "number", False),
                _c("k_studies", "integer", False), _c("n_participants", "integer", False),
                _c("risk_treated", "fraction", False), _c("risk_control", "fraction", False),
                _c("nnt", "positive", False), _c("baseline", "choice", False, ("yes",)),
                _c("benefit_direction", "choice", False, ("higher", "lower")), SOURCE, NOTE,
            ),
            ("id",),
            "Meta-analytic and trial effect sizes with confidence intervals (forest plots).",
        ),
        Table(
            "glossary",
            (_c("term"), _c("definition"), _c("theme", "choice", True, THEMES)),
            ("term",),
            "Plain definitions of the terms the notebooks use.",
        ),
        Table(
            "side_effect_rankings",
            (
                _c("theme", "choice", True, THEMES), _c("side_effect"), _c("drug"),
                _c("finding", "choice", True, ("most", "not_above_placebo", "below_placebo")),
                _c("receptor"), SOURCE, NOTE,
            ),
            ("side_effect", "drug"),
            "Where a network meta-analysis places a drug for a side effect (qualitative: no sizes).",
            {"drug": "drugs", "receptor": "targets"},
        ),
        Table(
            "reference_ranges",
            (
                _c("drug"), _c("band"), _c("low", "number"), _c("high", "number", False),
                _c("unit", "choice", True, EXPOSURE_UNITS), SOURCE, NOTE,
            ),
            ("drug", "band"),
            "Clinical concentration bands (target ranges, toxicity zones).",
            {"drug": "drugs"},
        ),
        Table(
            "clearance_factors",
            (
                _c("factor"), _c("name"), _c("level_change", "number"),
                _c("level_change_low", "number", False), _c("level_change_high", "number", False),
                SOURCE, NOTE,
            ),
            ("factor",),
            "Situations that change lithium clearance: fractional change in steady-state level.",
        ),
        Table(
            "hypotheses",
            (_c("hypothesis"), _c("name"), _c("summary"), SOURCE),
            ("hypothesis",),
            "Proposed Part B mechanisms (ketamine).",
        ),
        Table(
            "hypothesis_steps",
            (_c("hypothesis"), _c("order", "integer"), _c("step"), _c("label"), _c("evidence", "ids")),
            ("hypothesis", "order"),
            "Each hypothesis as an ordered causal chain; each step tied to evidence rows.",
            {"hypothesis": "hypotheses"},
        ),
        Table(
            "interventions",
            (
                _c("intervention"), _c("name"), _c("tool_compound"), _c("cuts"), _c("finding"),
                _c("species"), _c("design"), _c("evidence", "ids"),
            ),
            ("intervention",),
            "Experimental manipulations and which hypothesis steps they block.",
        ),
        Table(
            "scorecard",
            (
                _c("treatment"), _c("mechanism"),
                _c("criterion", "choice", True,
                   ("strong_association", "specificity", "consistency", "experimental_manipulation",
                    "timeline", "gradient", "plausibility")),
                _c("rating", "choice", True, ("met", "partly", "not_met", "untested", "contested")),
                _c("explanation"), _c("evidence", "ids", False),
            ),
            ("treatment", "criterion"),
            "How each treatment's leading mechanism meets Kazdin's criteria.",
        ),
        Table(
            "objectives",
            (
                _c("objective"), _c("theme", "choice", True, CHECK_THEMES), _c("number", "integer"), _c("text"),
                _c("section"),
            ),
            ("objective",),
            "Each notebook's learning objectives, in the order the notebook lists them.",
        ),
        Table(
            "self_checks",
            (
                _c("id"), _c("theme", "choice", True, CHECK_THEMES), _c("objective"), _c("question"),
                *(_c(f"option_{i}", required=i < 2) for i in range(MAX_OPTIONS)), _c("answer", "integer"),
                *(_c(f"feedback_{i}", required=i < 2) for i in range(MAX_OPTIONS)),
                _c("demo", required=False), _c("evidence", "ids", False),
            ),
            ("id",),
            "Self-check questions: options, the right one (0-based) and feedback for each option.",
            {"objective": "objectives"},
        ),
        Table(
            "core_concepts",
            (_c("objective"), _c("concept", "choice", True, (*CONCEPT_NAMES, NONE)), _c("how")),
            ("objective", "concept"),
            "Coverage map: which Core Concepts of Pharmacology (IUPHAR) each learning objective teaches.",
            {"objective": "objectives"},
        ),
        Table(
            "predictions",
            (
                _c("theme", "choice", True, THEMES), _c("id"), _c("demo"), _c("prompt"), _c("options"),
                _c("answer", "integer"), _c("feedback"), _c("setup", required=False), _c("move"),
                _c("move_text"), _c("evidence", "ids", False),
            ),
            ("id",),
            "Predict-then-reveal: what a student predicts before one move in a demo, and the feedback.",
        ),
        Table(
            "pgx_alleles",
            (
                _c("gene"), _c("allele"),
                _c("function", "choice", True, PGX_FUNCTIONS), _c("activity_value", "number", False), SOURCE, NOTE,
            ),
            ("gene", "allele"),
            "Pharmacogenes' star alleles: CPIC allele function and, for CYP2D6, activity value.",
        ),
        Table(
            "pgx_phenotype_rules",
            (
                _c("gene"), _c("rule"), _c("phenotype", "choice", True, PGX_PHENOTYPES),
                _c("score_low", "number", False), _c("score_high", "number", False),
                _c("functions", required=False), SOURCE, NOTE,
            ),
            ("gene", "rule"),
            "CPIC rules from two alleles to a metabolizer phenotype: an activity-score range or a pair of functions.",
        ),
        Table(
            "pgx_exposure",
            (
                _c("drug"), _c("gene"), _c("genotype"), _c("phenotype", "choice", True, PGX_PHENOTYPES),
                _c("exposure_ratio", "positive"), _c("switching_ratio", "positive", False), SOURCE, NOTE,
            ),
            ("drug", "gene", "genotype"),
            "Drug exposure (and treatment switching) by genotype group, relative to the normal-metabolizer group.",
            {"drug": "drugs"},
        ),
        Table(
            "pgx_guideline",
            (
                _c("gene"), _c("drug"), _c("phenotype", "choice", True, PGX_PHENOTYPES), _c("summary"),
                _c("strength", "choice", True, ("strong", "moderate", "optional")), SOURCE, NOTE,
            ),
            ("gene", "drug", "phenotype"),
            "Guideline recommendations by metabolizer phenotype, summarised for teaching (not dosing advice).",
        ),
    )
}
