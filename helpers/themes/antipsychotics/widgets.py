"""Antipsychotics theme, the demos: ipywidgets controls for notebook 05, wired to
:mod:`~helpers.themes.antipsychotics.figures`.

Each factory returns a :class:`helpers.view.demo.Demo`; tests drive ``demo.controls`` (and ``demo.toggles``)
from Python and read ``demo.figure.data``. Nothing is computed here that is not in the model or figure modules.
"""

from __future__ import annotations

import ipywidgets as widgets

from helpers.core import data
from helpers.themes.antipsychotics import figures, model
from helpers.view.demo import SLIDER_STYLE, WIDE, Demo
from helpers.view.predict import with_prediction


def fingerprint_explorer(drug: str = "olanzapine", d2_percent: int = 70, predict: str | None = None) -> Demo:
    """Pick a drug and the share of D2 receptors it occupies; the bars show every other receptor's modelled
    occupancy at the free concentration that gives it. Toggle receptors on and off.

    ``predict``: a prediction id from data/predictions (see :mod:`helpers.view.predict`)."""
    drug = model._drug(drug)
    lo, hi = model.D2_PERCENT_RANGE
    model.check_d2_occupancy(d2_percent / 100)
    toggles = {r: widgets.ToggleButton(value=True, description=model.RECEPTOR_LABELS[r],
                                       tooltip=f"switch {model.RECEPTOR_LABELS[r]} on or off",
                                       layout=widgets.Layout(width="auto")) for r in model.RECEPTORS}
    controls = {
        "drug": widgets.Dropdown(options=[(data.drug_name(d), d) for d in model.DRUGS], value=drug,
                                 description="drug", style=SLIDER_STYLE, layout=WIDE),
        "d2": widgets.IntSlider(value=int(d2_percent), min=lo, max=hi, step=1,
                                description="D2 receptors occupied (%)", style=SLIDER_STYLE, layout=WIDE),
        "receptors": widgets.HBox(list(toggles.values()), layout=widgets.Layout(flex_flow="row wrap")),
    }

    def state():
        on = [r for r, w in toggles.items() if w.value]
        return controls["drug"].value, controls["d2"].value / 100, on

    def update(demo: Demo) -> str:
        d, f, on = state()
        figures.update_fingerprint_figure(demo.figure, d, f, on)
        return figures.describe_fingerprint(d, f, on)

    demo = Demo(controls, figures.fingerprint_figure(*state()), update,
                note="Model: the D2 occupancy you set fixes one free concentration (mass action at the D2 "
                     "affinity), and the same concentration is assumed to reach every receptor. The affinities "
                     "are in vitro constants from human brain tissue or cloned receptors, measured in different "
                     "laboratories, so read them as orders of magnitude. Occupying a receptor is not the same as "
                     "blocking it (aripiprazole is a partial agonist at D2, so it gets no D2 side effects here). "
                     "D2 carries prolactin rise from 72% and movement effects from 78%, lines measured with "
                     "haloperidol by PET; for the other receptors, 'at least half occupied' is a teaching "
                     "convention, not a clinical threshold. Hover a bar for its constant and source.")
    demo.toggles = toggles
    return with_prediction(demo, predict, "fingerprint_explorer")


def association_explorer(side_effect: str = "weight gain", receptor: str = "H1") -> Demo:
    """Pick a side effect and a receptor: every drug's modelled occupancy at that receptor (all at the same D2
    occupancy), with the ranking the side effect has in patients written over the drugs it names."""
    effects = model.side_effects()
    if side_effect not in effects:
        raise ValueError(f"unknown side effect {side_effect!r}; choose one of: {', '.join(effects)}")
    receptor = model._receptor(receptor)
    controls = {
        "side_effect": widgets.Dropdown(options=list(effects), value=side_effect, description="side effect",
                                        style=SLIDER_STYLE, layout=WIDE),
        "receptor": widgets.ToggleButtons(options=[(model.RECEPTOR_LABELS[r], r) for r in model.RECEPTORS],
                                          value=receptor, description="receptor", style=SLIDER_STYLE),
    }

    def update(demo: Demo) -> str:
        e, r = controls["side_effect"].value, controls["receptor"].value
        figures.update_association_figure(demo.figure, e, r)
        return figures.describe_association(e, r)

    return Demo(controls, figures.association_figure(side_effect, receptor), update,
                note="The comparison uses only the order of the drugs in patients (the drug with the most of a "
                     "side effect, and drugs no worse than placebo), not the size of each drug's effect, so it "
                     "can show whether a receptor orders the drugs the right way round, not how "
                     "much of the side effect it explains. Six drugs are too few for a correlation; the "
                     "17-drug correlation in the evidence table is the quantitative test.")
