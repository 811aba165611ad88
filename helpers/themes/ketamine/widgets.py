"""Interactive demos for the ketamine notebook (02): ipywidgets wiring only.

Each demo is a :class:`helpers.view.demo.Demo` (or ``EvidenceDemo``) so tests can drive the controls
from Python and read ``figure.data`` and ``description``.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from helpers.core import data, evidence
from helpers.core.validate import check_number
from helpers.themes.ketamine import figures as kfig
from helpers.themes.ketamine import model as ket
from helpers.view.demo import SLIDER_STYLE, WIDE, Demo, EvidenceDemo, log_slider
from helpers.view.predict import with_prediction

TARGET_NOTE = (
    "Model limits: occupancy = C / (C + Ki) with in vitro affinities (rat brain, cloned receptors or screens), "
    "treating the total plasma level as the free concentration at the target. It ignores the fraction bound "
    "to plasma proteins, the brain/plasma ratio, and that ketamine is a use-dependent open-channel blocker: "
    "it can only enter NMDA channels that are open, so real block depends on how active the receptors are "
    "and on membrane voltage and magnesium. For racemic ketamine the level is the sum of both enantiomers. "
    "Contested values (hatched bars, dashed curves) are drawn only when \u201cshow contested values\u201d is on; "
    "'≤' marks a lower-bound affinity (upper bound on occupancy)."
)


def target_explorer(drug: str = "ketamine", ng_per_ml: float | None = None, show_contested: bool = False) -> Demo:
    """Plasma level slider (ng/mL), compound choice and a "show contested values" switch (off at the start);
    modelled occupancy at each Part A target."""
    key = ket._check_compound(drug)
    if ng_per_ml is None:
        start = ket.reference_levels()["antidepressant peak"][0]
    else:
        start = check_number(ng_per_ml, "plasma level", "ng/mL", low=0)
    lo, hi = (float(v) for v in np.log10(kfig.LEVEL_RANGE_NG_ML))
    if not kfig.LEVEL_RANGE_NG_ML[0] <= start <= kfig.LEVEL_RANGE_NG_ML[1]:
        raise ValueError(f"ng_per_ml must be between {kfig.LEVEL_RANGE_NG_ML[0]:g} and "
                         f"{kfig.LEVEL_RANGE_NG_ML[1]:g} ng/mL (got {ng_per_ml!r})")
    controls = {
        "drug": widgets.Dropdown(options=[(data.drug_name(c), c) for c in ket.COMPOUNDS], value=key,
                                 description="compound", style=SLIDER_STYLE, layout=WIDE),
        "level": log_slider("plasma level (ng/mL)", start, lo, hi, step=0.02),
        "contested": widgets.ToggleButton(value=bool(show_contested), description="show contested values",
                                          icon="eye", tooltip="draw values that studies disagree about (hatched)",
                                          layout=widgets.Layout(width="auto")),
    }
    shown = {"curves": None}

    def update(demo: Demo) -> str:
        d, level, contested = controls["drug"].value, controls["level"].value, controls["contested"].value
        # The curves depend only on the compound and the switch: resend them only when one of those changes.
        changed = shown["curves"] != (d, contested)
        shown["curves"] = (d, contested)
        kfig.update_target_figure(demo.figure, d, level, contested, compound_changed=changed)
        return kfig.describe_targets(d, level, contested)

    return Demo(controls, kfig.target_figure(key, start, bool(show_contested)), update, note=TARGET_NOTE)


def blocker_explorer(predict: str | None = None) -> Demo:
    """Toggle the experimental blockers used in the literature; see which chain steps they cut.

    ``predict``: a prediction id from data/predictions (see :mod:`helpers.view.predict`)."""
    table = ket.interventions()
    controls = {name: widgets.ToggleButton(value=False, description=row["name"], icon="ban",
                                           tooltip=f"{row['tool_compound']} ({row['species']})",
                                           layout=widgets.Layout(width="auto"))
                for name, row in table.iterrows()}
    layout = kfig.chain_layout()  # positions and labels never change: computed once
    findings = widgets.HTML()

    def switched_on() -> list[str]:
        return [n for n, b in controls.items() if b.value]

    def update(demo: Demo) -> str:
        active = switched_on()
        kfig.update_chain_figure(demo.figure, ket.cut_steps(active), layout)
        demo.active = active
        return kfig.describe_chains(active)

    def show_findings(_change=None) -> None:
        frame = ket.intervention_findings(switched_on())
        findings.value = ("<p><i>No blocker is switched on: the published experiments appear here when you "
                          "switch one on.</i></p>" if frame.empty else evidence.evidence_html(frame))

    buttons = widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap"))
    demo = Demo(controls, kfig.chain_figure(set(), layout), update,
                note="A cut step (grey X) is the step the blocker targets; open grey circles are later steps "
                     "of the same chain that lose their input. Cutting a step is a prediction; the table below "
                     "says whether the experiment actually weakened (reduced or removed) ketamine's effect.")
    demo.children = (buttons, *demo.children[len(controls):], findings)
    # Observers run in the order they were added: the table follows the figure's redraw instead of delaying it.
    for button in controls.values():
        button.observe(show_findings, names="value")
    show_findings()
    return with_prediction(demo, predict, "blocker_explorer")


def evidence_explorer(theme: str = "ketamine") -> EvidenceDemo:
    """Filter the ketamine evidence by part, hypothesis, species, design and direction.

    Uses :func:`helpers.core.evidence.evidence_table` with its exact-match filters.
    """
    every = "all"
    full = evidence.evidence_table(theme)
    raw = data.table("evidence")
    raw = raw[raw["theme"] == theme]
    columns = {"part": "part", "hypothesis": "hypothesis", "species": "species", "design": "design",
               "direction": "direction"}
    def options(col: str) -> list:
        values = sorted(raw[col].dropna().unique())
        if col == "hypothesis":  # the reader sees each hypothesis's name; the filter keeps its key
            return [(every, every),
                    *sorted(((evidence.hypothesis_label(v), v) for v in values), key=lambda o: o[0].casefold())]
        return [every, *values]

    controls = {name: widgets.Dropdown(options=options(col), value=every,
                                       description=name, style={"description_width": "80px"},
                                       layout=widgets.Layout(width="300px"))
                for name, col in columns.items()}
    view = widgets.HTML()

    def update(demo) -> str:
        chosen = {n: c.value for n, c in controls.items() if c.value != every}
        matches = raw
        for n, v in chosen.items():
            matches = matches[matches[n] == v]
        shown = evidence.evidence_table(theme, **chosen) if len(matches) else full.iloc[0:0]
        view.value = evidence.evidence_html(shown) if len(shown) else "<p>No row matches these filters.</p>"
        demo.shown = shown
        return f"{len(shown)} of {len(full)} evidence rows match."

    demo = EvidenceDemo(controls, view, update)
    demo.children = (widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap")),
                     *demo.children[1:])
    return demo
