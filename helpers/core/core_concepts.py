"""The Core Concepts of Pharmacology (IUPHAR Education Section), the list the coverage map is drawn against.

A Delphi study of pharmacology educators (White et al. 2023) agreed on 25 core concepts; a second study that
defined and unpacked them (Guilding et al. 2024) ended with 24: "drug-receptor interaction" became
"drug-target interaction", and "agonists and antagonists" became sub-concepts of drug-target interaction.
:data:`CONCEPTS` is that list of 24, in the three groups of the 2023 list (pharmacokinetics, pharmacodynamics,
and their intersection). Names follow the 2023 list's wording, with the two changes above and "Drug targets"
as the 2024 list's first concept is named; the 2024 paper's full table was not seen, so a minor rewording there
would not be reflected here (see data/README.md, section ``core_concepts``).

This module imports nothing, so the data schema (:mod:`helpers.core.schema`) can take its names as the choices
of the ``concept`` column.
"""

from __future__ import annotations

PK, PD, PKPD = "Pharmacokinetics", "Pharmacodynamics", "Pharmacokinetics and pharmacodynamics together"
GROUPS = (PK, PD, PKPD)

CONCEPTS: tuple[tuple[str, str], ...] = (
    ("Drug absorption", PK), ("Drug distribution", PK), ("Drug metabolism", PK), ("Drug elimination", PK),
    ("Drug bioavailability", PK), ("Volume of distribution", PK), ("Drug clearance", PK),
    ("Steady state concentration", PK), ("Zero and first order kinetics", PK), ("Drug half-life", PK),
    ("Drug efficacy", PD), ("Mechanism of drug action", PD), ("Drug affinity", PD), ("Drug selectivity", PD),
    ("Drug tolerance", PD), ("Drug targets", PD), ("Drug-target interaction", PD),
    ("Structure-activity relationship", PD),
    ("Adverse drug reaction", PKPD), ("Therapeutic index", PKPD), ("Dose / concentration-response relationship", PKPD),
    ("Drug interaction", PKPD), ("Drug potency", PKPD), ("Individual variation in drug response", PKPD),
)
CONCEPT_NAMES: tuple[str, ...] = tuple(name for name, _ in CONCEPTS)
# An objective that teaches none of the 24 (evidence appraisal, psychotherapy) is mapped to this, explicitly.
NONE = "none"

CITATION = ("Guilding C, White PJ, Cunningham M, et al. Defining and unpacking the core concepts of pharmacology: "
            "a global initiative. Br J Pharmacol. 2024;181(3):375-392. doi:10.1111/bph.16222")
CITATION_2023 = ("White PJ, Guilding C, Angelo T, et al. Identifying the core concepts of pharmacology education: "
                 "a global initiative. Br J Pharmacol. 2023;180(9):1197-1209. doi:10.1111/bph.16000")
