"""Ketamine (notebook 02): pure look-ups and models over the ketamine rows of ``data/``.

Part A: which targets ketamine, its enantiomers and metabolites bind, how tightly, and what the plasma
levels of the antidepressant and anaesthetic doses are (converted to molar units with the molar mass in
``data/drugs``). Part B: the hypotheses as ordered causal chains, which steps each experimental blocker
cuts, and what the published experiments found. The puzzle: ketamine against other NMDA channel blockers.

Nothing here draws or builds widgets; ``helpers.ketamine_figures`` and ``helpers.ketamine_widgets`` do.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations

import numpy as np
import pandas as pd

from helpers.core import data
from helpers.core.evidence import citation
from helpers.core.occupancy import affinity_table, preferred_affinity
from helpers.core.pharmacology import mass_to_molar, occupancy
from helpers.core.validate import check_number

THEME = "ketamine"

# Teaching choice: the compounds offered in the Part A widget and the targets shown for each.
COMPOUNDS = ("ketamine", "esketamine", "arketamine", "s-norketamine", "r-norketamine")
PART_A_TARGETS = ("NMDA", "MOR", "KOR", "DOR", "HCN1", "D2")
# Targets with a published qualitative effect but no verified number in data/ (see the research log).
QUALITATIVE_ONLY = {"HCN1": "inhibited at anaesthetic concentrations (Chen et al. 2009); no inhibition "
                            "constant is given, so no occupancy is modelled"}
PUZZLE_DRUGS = ("ketamine", "memantine", "lanicemine")
# Evidence rows that carry each drug's clinical result in depression (ids in data/evidence/ketamine.csv).
PUZZLE_EVIDENCE = {
    "ketamine": ("ket-kishimoto2016-ketamine",),
    "memantine": ("ket-zarate2006b-memantine",),
    "lanicemine": ("ket-sanacora2014-lanicemine", "ket-sanacora2017-lanicemine"),
}
# Block of NMDA receptors at rest in physiological Mg2+ (Gideons et al. 2014; evidence ket-gideons2014-rest).
BLOCK_AT_REST = {"ketamine": "yes", "memantine": "no", "lanicemine": "not tested in these sources"}
BLOCK_AT_REST_EVIDENCE = "ket-gideons2014-rest"
STRENGTH_ORDER = ("strong", "moderate", "weak", "contested")
# Interventions whose trial could not test a block: the reason, shown instead of yes/no. Its evidence row is
# marked direction 'mixed' (a test checks that the two agree).
NOT_TESTABLE = {"naltrexone_2025": "ketamine did not beat its active control, midazolam, so a block could not be seen"}


def _check_compound(drug: str) -> str:
    key = data.resolve_drug(drug)
    if key not in COMPOUNDS:
        names = ", ".join(data.drug_name(c) for c in COMPOUNDS)
        raise data.UnknownNameError(f"{drug!r} is not one of this demo's compounds; choose one of: {names}")
    return key


# --- Part A: exposures ----------------------------------------------------------------------------

def exposure_table() -> pd.DataFrame:
    """Ketamine plasma levels from ``data/exposures`` in ng/mL and in uM (via the molar mass).

    Returns
    -------
    pandas.DataFrame
        Columns ``regimen``, ``statistic``, ``ng/mL``, ``uM`` (rounded to 2 decimals) and ``source``
        (short citation), in file order.
    """
    rows = data.table("exposures")
    rows = rows[rows["drug"] == "ketamine"]
    if (rows["unit"] != "ng/mL").any():
        raise data.DataError("ketamine exposures are expected in ng/mL")
    mass = data.molar_mass("ketamine")
    return pd.DataFrame({
        "regimen": rows["regimen"].to_list(),
        "statistic": rows["statistic"].to_list(),
        "ng/mL": rows["value"].astype(float).to_list(),
        "uM": [round(float(mass_to_molar(v, mass)), 2) for v in rows["value"]],
        "source": [citation(s) for s in rows["source"]],
    })


@lru_cache(maxsize=1)
def reference_levels() -> dict[str, tuple[float, float]]:
    """Plasma levels (ng/mL) marked on the Part A figure: name -> (low, high).

    ``antidepressant peak`` is the Cmax after 0.5 mg/kg over 40 min (low == high); ``anaesthesia``
    is the low-high range after 1-2 mg/kg IV. Both come from ``data/exposures``.
    """
    rows = data.table("exposures")
    rows = rows[rows["drug"] == "ketamine"]
    peak = rows[rows["regimen"].str.contains("antidepressant") & (rows["statistic"] == "Cmax")]
    anaes = rows[rows["regimen"].str.contains("anaesthesia")].set_index("statistic")["value"]
    if peak.empty or not {"low", "high"} <= set(anaes.index):
        raise data.DataError("data/exposures/ketamine.csv lacks the antidepressant Cmax or anaesthesia low/high rows")
    value = float(peak["value"].iloc[0])
    return {"antidepressant peak": (value, value), "anaesthesia": (float(anaes["low"]), float(anaes["high"]))}


def antidepressant_peak_uM() -> float:
    """Peak plasma ketamine after the antidepressant infusion, converted from ng/mL to uM."""
    return float(mass_to_molar(reference_levels()["antidepressant peak"][0], data.molar_mass("ketamine")))


# --- Part A: affinities and modelled occupancy -----------------------------------------------------

def target_rows(drug: str = "ketamine") -> pd.DataFrame:
    """One row per Part A target for a compound (see :func:`_target_rows`); a copy, safe to modify."""
    return _target_rows(_check_compound(drug)).copy()


@lru_cache(maxsize=None)
def _target_rows(key: str) -> pd.DataFrame:
    """One row per Part A target for a compound: the affinity used, or why there is none.

    Returns
    -------
    pandas.DataFrame
        Index: :data:`PART_A_TARGETS`. Columns ``ki_nM`` (NaN if no number), ``measure``,
        ``lower_bound``, ``contested``, ``status`` (``'number'``, ``'qualitative only'`` or
        ``'no data'``) and ``source`` (short citation or ``''``).
    """
    table = affinity_table()
    rows = []
    for target in PART_A_TARGETS:
        row = preferred_affinity(table, key, target)
        if row is None:
            status = "qualitative only" if target in QUALITATIVE_ONLY and key == "ketamine" else "no data"
            rows.append(dict(target=target, ki_nM=np.nan, measure="", lower_bound=False, contested=False,
                             status=status, source="chen2009" if status == "qualitative only" else ""))
        else:
            rows.append(dict(target=target, ki_nM=float(row["value_nM"]), measure=row["measure"],
                             lower_bound=bool(row["lower_bound"]), contested=bool(row["contested"]),
                             status="number", source=row["source"]))
    frame = pd.DataFrame(rows).set_index("target")
    frame["source"] = [citation(s) if s else "" for s in frame["source"]]
    return frame


def modelled_occupancy(drug: str, ng_per_ml: float) -> pd.Series:
    """Mass-action occupancy (0-1) at each Part A target for a plasma level in ng/mL.

    The plasma level is converted to uM with the compound's molar mass and treated as the free
    concentration at the target (a stated simplification). Targets without a number give NaN.
    """
    level = check_number(ng_per_ml, "plasma level", "ng/mL", low=0)
    key = _check_compound(drug)
    conc_nM = float(mass_to_molar(level, data.molar_mass(key), "nM"))
    kis = _target_rows(key)["ki_nM"]
    values = [occupancy(conc_nM, k) if np.isfinite(k) else np.nan for k in kis]
    return pd.Series(values, index=kis.index, name=key)


def nmda_affinity_range() -> tuple[float, float, int, int]:
    """Spread of the stored NMDA affinities for racemic ketamine only.

    Enantiomers are left out on purpose: their difference is real pharmacology, not variation between
    measurements.

    Returns
    -------
    tuple
        (lowest Ki in nM, highest Ki in nM, number of rows, number of distinct sources).
    """
    table = affinity_table()
    rows = table[(table["target"] == "NMDA") & (table["drug"] == "ketamine")]
    return float(rows["value_nM"].min()), float(rows["value_nM"].max()), len(rows), rows["source"].nunique()


def affinity_overview() -> pd.DataFrame:
    """Every stored affinity for the Part A compounds, readable (value in uM, flags, source)."""
    table = affinity_table()
    rows = table[table["drug"].isin(COMPOUNDS)]
    return pd.DataFrame({
        "compound": [data.drug_name(d) for d in rows["drug"]],
        "target": rows["target"].to_list(),
        "measure": rows["measure"].to_list(),
        "value (uM)": [("> " if lb else "") + f"{v / 1000:.3g}" for v, lb in zip(rows["value_nM"], rows["lower_bound"])],
        "flag": ["contested" if c else "" for c in rows["contested"]],
        "species": rows["species"].to_list(),
        "source": [citation(s) for s in rows["source"]],
    }).reset_index(drop=True)


def opioid_margin() -> pd.Series:
    """How many times the antidepressant peak concentration each opioid receptor Ki is (Ki / Cmax)."""
    peak_nM = antidepressant_peak_uM() * 1000
    kis = target_rows("ketamine")["ki_nM"]
    return (kis[["MOR", "KOR", "DOR"]] / peak_nM).round(0)


# --- Part B: hypotheses as chains -----------------------------------------------------------------

def hypotheses() -> pd.DataFrame:
    """The ketamine hypotheses (key, name, summary, source) in file order."""
    return data.table("hypotheses").reset_index(drop=True)


def chain(hypothesis: str) -> pd.DataFrame:
    """Ordered steps of one hypothesis with their evidence ids and derived strength (a copy)."""
    return _chain(hypothesis).copy()


@lru_cache(maxsize=None)
def _chain(hypothesis: str) -> pd.DataFrame:
    steps = data.table("hypothesis_steps")
    known = list(dict.fromkeys(steps["hypothesis"]))
    if hypothesis not in known:
        raise data.UnknownNameError(f"unknown hypothesis {hypothesis!r}; hypotheses are: {', '.join(known)}")
    rows = steps[steps["hypothesis"] == hypothesis].sort_values("order").reset_index(drop=True)
    ev = data.table("evidence").set_index("id")
    for ids in rows["evidence"]:
        general = [i for i in ids.split(";") if i in ev.index and ev.at[i, "hypothesis"] == "general"]
        if general:
            raise data.DataError(f"hypothesis {hypothesis!r}: a causal step cites general evidence "
                                 f"({', '.join(general)}); a step may cite only evidence that tests that step")
    rows["strength"] = [step_strength(ids) for ids in rows["evidence"]]
    return rows


@lru_cache(maxsize=None)
def step_strength(evidence_ids: str) -> str:
    """Strength of the evidence for one causal step (the link into it), from its evidence rows.

    Rule (a teaching summary, not a grading system):

    - a step lists only evidence that tests that step, i.e. that the previous step causes this one;
      evidence that the end point occurs (for example trials showing that ketamine improves mood) does
      not grade a mechanistic link, and :func:`chain` refuses steps citing ``general`` evidence rows;
    - ``'contested'`` if any row is marked contested or the rows point in different directions
      (supports and contradicts/mixed);
    - otherwise the *weakest* rating among the rows (strong > moderate > weak), so one strong row
      cannot lift a link that is otherwise weakly supported.
    """
    ev = data.table("evidence").set_index("id")
    ids = evidence_ids.split(";")
    missing = [i for i in ids if i not in ev.index]
    if missing:
        raise data.UnknownNameError(f"unknown evidence id(s): {', '.join(missing)}")
    rows = ev.loc[ids]
    if (rows["strength"] == "contested").any() or rows["direction"].nunique() > 1:
        return "contested"
    return max(rows["strength"], key=STRENGTH_ORDER.index)


def all_steps() -> list[tuple[str, str]]:
    """Every (hypothesis, step) pair in chain order."""
    return list(_all_steps())


@lru_cache(maxsize=1)
def _all_steps() -> tuple[tuple[str, str], ...]:
    return tuple((h, s) for h in hypotheses()["hypothesis"] for s in _chain(h)["step"])


def interventions() -> pd.DataFrame:
    """The experimental blockers (``data/interventions``) in file order, keyed by ``intervention``."""
    return _interventions().copy()


@lru_cache(maxsize=1)
def _interventions() -> pd.DataFrame:
    return data.table("interventions").set_index("intervention")


def _check_interventions(active) -> list[str]:
    if isinstance(active, str):
        active = [active]
    known = list(_interventions().index)
    unknown = [a for a in active if a not in known]
    if unknown:
        raise data.UnknownNameError(f"unknown intervention(s) {', '.join(map(repr, unknown))}; "
                                    f"known interventions: {', '.join(known)}")
    return list(dict.fromkeys(active))


def cut_steps(active) -> set[tuple[str, str]]:
    """(hypothesis, step) pairs blocked by the active interventions (union of their ``cuts``)."""
    table = _interventions()
    cuts = set()
    for name in _check_interventions(active):
        for pair in table.at[name, "cuts"].split(";"):
            hyp, _, step = pair.partition(":")
            cuts.add((hyp, step))
    return cuts


def downstream_of_cuts(cuts: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Steps that come after a cut step in the same chain (they lose their input in that hypothesis)."""
    below = set()
    for hyp in dict.fromkeys(h for h, _ in _all_steps()):
        steps = [s for h, s in _all_steps() if h == hyp]
        cut_at = [i for i, s in enumerate(steps) if (hyp, s) in cuts]
        if cut_at:
            below |= {(hyp, s) for s in steps[min(cut_at) + 1:] if (hyp, s) not in cuts}
    return below


@lru_cache(maxsize=None)
def effect_removed(intervention: str) -> str:
    """Did the published experiment find that the blocker weakened ketamine's effect (reduced or removed it)?

    'yes' covers both: NBQX *attenuated* the effect in mice (Maeng et al. 2008) while rapamycin *prevented* it
    in rats (Li et al. 2010); the Finding column of :func:`intervention_findings` says which.

    ``'not testable'`` for trials listed in :data:`NOT_TESTABLE` (ketamine itself did not beat the
    control, so no block could be seen); otherwise read from the direction of the intervention's
    evidence rows: ``'yes'`` (supports the step), ``'no'`` (contradicts it) or ``'mixed'``.
    """
    name = _check_interventions([intervention])[0]
    if name in NOT_TESTABLE:
        return "not testable"
    ev = data.table("evidence").set_index("id")
    directions = set(ev.loc[_interventions().at[name, "evidence"].split(";"), "direction"])
    if directions == {"supports"}:
        return "yes"
    if directions == {"contradicts"}:
        return "no"
    return "mixed"


def intervention_findings(active) -> pd.DataFrame:
    """The published experiments behind the active blockers, for a table under the diagram."""
    rows = [_finding_row(name) for name in _check_interventions(active)]
    return pd.DataFrame(rows, columns=["Blocker", "Tool", "Cuts", "Species", "Design",
                                       "Did the blocker weaken ketamine's effect?", "Finding", "Source"])


@lru_cache(maxsize=None)
def _finding_row(name: str) -> dict:
    table = _interventions()
    steps = data.table("hypothesis_steps").set_index(["hypothesis", "step"])
    row = table.loc[name]
    cut = [f"{h}: {steps.at[(h, s), 'label']}" for h, s in
           (p.partition(":")[::2] for p in row["cuts"].split(";"))]
    return {"Blocker": row["name"], "Tool": row["tool_compound"], "Cuts": "; ".join(cut),
            "Species": row["species"], "Design": row["design"],
            "Did the blocker weaken ketamine's effect?": effect_removed(name), "Finding": row["finding"],
            "Source": citation(";".join(data.table("evidence").set_index("id")
                                        .loc[row["evidence"].split(";"), "source"]))}


def every_combination() -> list[tuple[str, ...]]:
    """All 2^n subsets of the interventions (for tests and for checking the widget)."""
    names = list(interventions().index)
    return [combo for r in range(len(names) + 1) for combo in combinations(names, r)]


# --- The puzzle: other NMDA channel blockers --------------------------------------------------------

PUZZLE_AFFINITY_COLUMN = "NMDA affinity or potency (measure differs: compare with care)"
MEASURE_LABELS = {"Ki": "binding Ki", "IC50": "functional IC50"}


def puzzle_table() -> pd.DataFrame:
    """Ketamine, memantine and lanicemine side by side: NMDA affinity or potency, trapping, clinical result.

    The affinity column labels each value with its measure (binding Ki or functional IC50) and assay,
    because the two are measured differently and are not directly comparable.
    """
    table = affinity_table()
    props = data.table("properties")
    ev = data.table("evidence").set_index("id")
    rows = []
    for drug in PUZZLE_DRUGS:
        aff = preferred_affinity(table, drug, "NMDA")
        trap = props[(props["drug"] == drug) & (props["property"] == "trapping")]
        ids = list(PUZZLE_EVIDENCE[drug])
        rows.append({
            "Drug": data.drug_name(drug),
            PUZZLE_AFFINITY_COLUMN: "no value available" if aff is None else
            f"{MEASURE_LABELS.get(aff['measure'], aff['measure'])} {aff['value_nM'] / 1000:.3g} uM "
            f"({aff['assay']}; {aff['species']}; {citation(aff['source'])})",
            "Trapping": "no data" if trap.empty else
            f"{trap['value'].iloc[0]:.0f}% ({citation(trap['source'].iloc[0])}"
            + ("; secondary source" if str(trap["note"].iloc[0] or "").startswith("V2") else "")
            + ("; derived" if str(trap["note"].iloc[0] or "").startswith("Derived") else "") + ")",
            "Blocks NMDA receptors at rest (physiological Mg2+)": BLOCK_AT_REST[drug]
            + ("" if drug == "lanicemine" else f" ({citation(ev.at[BLOCK_AT_REST_EVIDENCE, 'source'])})"),
            "Clinical result in depression": " / ".join(
                f"{ev.at[i, 'design']}: {ev.at[i, 'finding']} ({citation(ev.at[i, 'source'])})" for i in ids),
        })
    return pd.DataFrame(rows)


# The puzzle's forest plot: ketamine and the other NMDA receptor antagonists in one meta-analysis. The theme's
# other effect sizes (the esketamine trials) belong to the efficacy baseline, not to this comparison.
PUZZLE_EFFECTS = ("ket-es-kishimoto-ketamine-day1", "ket-es-kishimoto-nonketamine")


def effect_size_rows() -> pd.DataFrame:
    """The puzzle's effect sizes (forest plot rows, :data:`PUZZLE_EFFECTS`), in file order."""
    rows = data.table("effect_sizes")
    return rows[(rows["theme"] == THEME) & rows["id"].isin(PUZZLE_EFFECTS)].reset_index(drop=True)


# --- Sentences printed by the notebook (numbers computed from data/) ---------------------------------

def describe_peak() -> str:
    """The antidepressant peak level in ng/mL converted to uM, with the molar mass used."""
    ng = reference_levels()["antidepressant peak"][0]
    mass = data.molar_mass("ketamine")
    lo, hi = reference_levels()["anaesthesia"]
    to_um = [float(mass_to_molar(v, mass)) for v in (lo, hi)]
    return (f"Antidepressant infusion peak: {ng:g} ng/mL / {mass:g} g/mol = {antidepressant_peak_uM():.2f} uM.\n"
            f"Anaesthesia: {lo:g}-{hi:g} ng/mL = {to_um[0]:.3g}-{to_um[1]:.3g} uM, "
            f"{lo / ng:.1f} to {hi / ng:.1f} times the antidepressant peak.")


def describe_nmda_range() -> str:
    """How far apart the stored NMDA affinities of racemic ketamine are (enantiomers excluded)."""
    low, high, n, sources = nmda_affinity_range()
    return (f"{n} stored NMDA affinities for racemic ketamine, from {sources} papers, span "
            f"{low / 1000:.2g}-{high / 1000:.2g} uM, a {high / low:.0f}-fold range.")


def describe_opioid_margin() -> str:
    """How many times the antidepressant peak each opioid receptor Ki is, and the occupancy it implies."""
    margin = opioid_margin()
    occ = modelled_occupancy("ketamine", reference_levels()["antidepressant peak"][0])
    return "\n".join(f"{t}: Ki is {m:.0f} times the antidepressant peak; modelled occupancy {100 * occ[t]:.1f}%"
                     for t, m in margin.items())


def hypothesis_overview() -> pd.DataFrame:
    """The hypotheses with their summaries and sources, for a table in the notebook."""
    rows = hypotheses()
    return pd.DataFrame({"Hypothesis": rows["name"], "Summary": rows["summary"],
                         "Sources": [citation(s) for s in rows["source"]]})
