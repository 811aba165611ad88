"""Hand-written kernel-free versions of notebook 01's demos, for the static site.

Each takes the same arguments as the live demo of the same name in :mod:`helpers.themes.basics.widgets` and
returns a :class:`helpers.build.fallbacks.Fallback`. They choose their own states (one per ligand type, half-
decade concentration steps, one slider per drug) where stepping the live demo's controls would give too many
or too few; :mod:`helpers.registry` marks them "custom".
"""

from __future__ import annotations

import numpy as np

from helpers.build.fallbacks import Fallback, grouped, stepped
from helpers.core import data
from helpers.core.occupancy import caffeine_per_cup_nM, occupancy_fit
from helpers.core.validate import check_number
from helpers.themes.basics import figures, model
from helpers.themes.basics.widgets import ANTAGONIST_STEPS_NM
from helpers.themes.pharmacogenomics import figures as pgx_figures
from helpers.themes.pharmacogenomics import model as pgx_model
from helpers.view.style import format_concentration


def ligand_explorer(kind: str = "full agonist", kd_nM: float = 10.0, concentration_nM: float = 10.0,
                    basal: float = 0.1) -> Fallback:
    """Buttons: one state per ligand type, each at its typical efficacy (same defaults as the live demo)."""
    if kind not in model.LIGAND_TYPES:
        raise ValueError(f"unknown ligand type {kind!r}; choose one of {', '.join(model.LIGAND_TYPES)}")
    states = []
    for name, (efficacy, summary) in model.LIGAND_TYPES.items():
        fig = figures.ligand_figure(name, kd_nM, efficacy, concentration_nM, basal)
        text = figures.describe_ligand_type(name, kd_nM, efficacy, concentration_nM, basal)
        states.append((name, fig, text))
    return stepped(states, "ligand type", list(model.LIGAND_TYPES).index(kind), control="buttons")


def antagonist_explorer(agonist_kd_nM: float = 100.0, agonist_tau: float = 10.0, kb_nM: float = 1.0) -> Fallback:
    """Slider: the antagonist concentrations of the live demo, at its default KB."""
    states = []
    for b in ANTAGONIST_STEPS_NM:
        fig = figures.antagonist_shift_figure(agonist_kd_nM, agonist_tau, b, kb_nM)
        states.append((format_concentration(b) if b else "none", fig,
                       figures.describe_antagonist_shift(b, kb_nM)))
    return stepped(states, "antagonist", list(ANTAGONIST_STEPS_NM).index(10.0))


def selectivity_explorer(drugs, targets, concentration_nM: float = 10.0) -> Fallback:
    """Slider: free concentration in half-decade steps from 0.1 nM to 100 µM, every target shown."""
    drugs, targets = list(drugs), list(targets)
    grid = [float(10 ** e) for e in np.arange(-1, 5.01, 0.5)]
    states = [(format_concentration(c), figures.selectivity_figure(drugs, targets, c),
               figures.describe_selectivity(drugs, targets, c)) for c in grid]
    active = int(np.argmin([abs(np.log10(c / concentration_nM)) for c in grid]))
    return stepped(states, "free drug", active)


def dose_explorer(target: str, drugs, drug: str | None = None, n_doses: int = 13) -> Fallback:
    """Buttons choose the drug; each drug has its own dose slider (shown while that drug is chosen)."""
    target_key = data.resolve_target(target)
    drugs = list(drugs)
    if not drugs:
        raise ValueError(f"dose_explorer needs at least one drug with a dose fit at {target_key}")
    keys = [data.resolve_drug(d) for d in drugs]
    chosen = data.resolve_drug(drug or drugs[0])
    groups, starts = [], []
    for d in keys:
        ed50 = occupancy_fit(d, target_key)["ed50"]
        top = float(model.dose_grid(d, target_key)[-1])
        doses = [0.0] + [float(f"{v:.2g}") for v in np.geomspace(ed50 / 8, top, n_doses - 1)]
        start = model.start_dose(d, target_key)  # where the live demo's slider starts
        starts.append(int(np.argmin([abs(v - start) for v in doses])))
        groups.append((data.drug_name(d), [(f"{dose:g}", figures.dose_occupancy_figure(drugs, target_key, d, dose),
                                            figures.describe_dose_occupancy(d, target_key, dose)) for dose in doses]))
    return grouped(groups, "a drug", "daily dose (mg/day)", keys.index(chosen), starts)


def profile_explorer(drug: str, per_unit_nM: float, unit_label: str, max_units: int = 10,
                     start: float = 1) -> Fallback:
    """Slider: whole units of intake from 0 to ``max_units``."""
    check_number(per_unit_nM, "per_unit_nM", "nM", low=0, low_inclusive=False)
    units = list(range(0, int(max_units) + 1))
    states = [(f"{u:g}", figures.profile_figure(drug, u * per_unit_nM, f"{u:g} {unit_label}"),
               figures.describe_profile(drug, u * per_unit_nM)) for u in units]
    return stepped(states, unit_label, int(np.argmin([abs(u - start) for u in units])))


def caffeine_explorer() -> Fallback:
    """Slider: cups of brewed coffee, 0 to 10, with the per-cup plasma level from data/ (as the live demo); each
    state shows the same band (levels where only adenosine receptor block acts) and the same sentence saying
    which of caffeine's mechanisms acts at that level."""
    per_cup, _source = caffeine_per_cup_nM()
    cups = [float(c) for c in np.arange(0, 10.01, 1.0)]
    states = [(f"{c:g}", figures.caffeine_figure(per_cup, c), figures.describe_caffeine(per_cup, c)) for c in cups]
    return stepped(states, "cups of coffee", 1)


def saturation_explorer() -> Fallback:
    """Slider: dose as a multiple of the half-maximal dose, 0 to 20, on the generic saturating curve."""
    multiples = [0, 0.5, 1, 2, 3, 4, 6, 8, 10, 15, 20]
    states = [(f"{m:g}", figures.saturation_figure(m), figures.describe_saturation(m)) for m in multiples]
    return stepped(states, "dose (× half-maximal dose)", multiples.index(4))


# --- 07 pharmacogenomics ---------------------------------------------------------------------------------------

# Example diplotypes per gene, slowest to fastest, covering every phenotype the rules reach (a no-function pair,
# reduced-function alleles, the 2023 *41 value, a duplication; for CYP2C19 *17 beside each kind of allele).
GENOTYPE_STEPS = {
    "CYP2D6": (("*4", "*4"), ("*4", "*41"), ("*4", "*10"), ("*41", "*41"), ("*1", "*4"), ("*1", "*41"),
               ("*1", "*1"), ("*1", "*2x2"), ("*1x≥3", "*4")),
    "CYP2C19": (("*2", "*2"), ("*2", "*3"), ("*1", "*2"), ("*2", "*17"), ("*1", "*1"), ("*1", "*17"),
                ("*17", "*17")),
}


def genotype_explorer(gene: str = "CYP2D6", first: str | None = None, second: str | None = None) -> Fallback:
    """Buttons choose the gene; its slider steps through example diplotypes from slowest to fastest."""
    groups, starts = [], []
    for g, pairs in GENOTYPE_STEPS.items():
        states = [(f"{a}/{b}", pgx_figures.genotype_figure(g, a, b), pgx_figures.describe_genotype(g, a, b))
                  for a, b in pairs]
        groups.append((g, states))
        default = pgx_model.DEFAULT_DIPLOTYPES[g]
        starts.append(pairs.index(default) if default in pairs else 0)
    chosen = [g for g, _ in groups].index(gene) if gene in GENOTYPE_STEPS else 0
    return grouped(groups, "the gene", "diplotype", chosen, starts)
