"""Basics theme, the demos: ipywidgets controls for notebook 01, wired to :mod:`~helpers.themes.basics.figures`.

Each factory returns a :class:`helpers.view.demo.Demo`; its ``update(demo)`` reads the controls, redraws the
figure through the figure module and returns the sentence under the figure. Nothing is computed here that is
not in :mod:`~helpers.themes.basics.model` or the core below it.
"""

from __future__ import annotations

import ipywidgets as widgets

from helpers.core import data, evidence
from helpers.core.occupancy import REFERENCE_BODY_WEIGHT_KG, caffeine_per_cup_nM
from helpers.core.validate import check_number
from helpers.themes.basics import figures, model
from helpers.view.demo import SLIDER_STYLE, WIDE, Demo, log_slider
from helpers.view.predict import with_prediction
from helpers.view.style import format_concentration


def ligand_explorer(kind: str = "full agonist", predict: str | None = None) -> Demo:
    """Pick a ligand type; move concentration, affinity (Kd) and, for agonists, efficacy (tau).

    ``predict``: a prediction id from data/predictions (see :mod:`helpers.view.predict`); the static site
    ignores it."""
    if kind not in model.LIGAND_TYPES:
        raise ValueError(f"unknown ligand type {kind!r}; choose one of {', '.join(model.LIGAND_TYPES)}")
    controls = {
        "kind": widgets.Dropdown(options=list(model.LIGAND_TYPES), value=kind, description="ligand type",
                                 style=SLIDER_STYLE, layout=WIDE),
        "concentration": log_slider("concentration (nM)", 10.0, -2, 6),
        "kd": log_slider("affinity: Kd (nM)", 10.0, -1, 4),
        "efficacy": log_slider("efficacy: tau (agonists)", model.LIGAND_TYPES[kind][0], -1, 2),
        "basal": widgets.FloatSlider(value=0.1, min=0, max=0.5, step=0.01, description="basal activity (0-1)",
                                     style=SLIDER_STYLE, layout=WIDE),
    }
    state = {"kind": kind}

    def efficacy(kind_now: str) -> float:
        preset = model.LIGAND_TYPES[kind_now][0]
        return controls["efficacy"].value if preset > 0 else preset

    def update(demo: Demo) -> str:
        kind_now = controls["kind"].value
        if kind_now != state["kind"]:  # a new ligand type starts from its typical efficacy
            state["kind"] = kind_now
            preset = model.LIGAND_TYPES[kind_now][0]
            if preset > 0:
                controls["efficacy"].value = preset  # triggers its own update
        controls["efficacy"].disabled = model.LIGAND_TYPES[kind_now][0] <= 0
        c, kd, b = controls["concentration"].value, controls["kd"].value, controls["basal"].value
        e = efficacy(kind_now)
        figures.update_ligand_figure(demo.figure, kind_now, kd, e, c, b)
        return figures.describe_ligand_type(kind_now, kd, e, c, b)

    k = controls
    demo = Demo(controls, figures.ligand_figure(kind, k["kd"].value, model.LIGAND_TYPES[kind][0],
                                                k["concentration"].value, k["basal"].value), update,
                note="Model: one binding site, mass action; agonist effect from the operational model "
                     f"({evidence.citation('black1985')}); an inverse agonist removes basal activity in proportion "
                     "to occupancy.")
    return with_prediction(demo, predict, "ligand_explorer")


ANTAGONIST_STEPS_NM = (0.0, 0.1, 1.0, 10.0, 100.0, 1000.0, 10000.0)


def antagonist_explorer(agonist_kd_nM: float = 100.0, agonist_tau: float = 10.0, predict: str | None = None) -> Demo:
    """Add a competitive antagonist and watch the agonist curve shift right with the same maximum.

    ``predict``: a prediction id from data/predictions (see :mod:`helpers.view.predict`)."""
    controls = {
        "antagonist": widgets.SelectionSlider(
            options=[(format_concentration(v) if v else "none", v) for v in ANTAGONIST_STEPS_NM],
            value=10.0, description="antagonist", style=SLIDER_STYLE, layout=WIDE),
        "kb": log_slider("antagonist KB (nM)", 1.0, -1, 3),
    }

    def update(demo: Demo) -> str:
        b, kb = controls["antagonist"].value, controls["kb"].value
        figures.update_antagonist_shift_figure(demo.figure, agonist_kd_nM, agonist_tau, b, kb)
        return figures.describe_antagonist_shift(b, kb)

    demo = Demo(controls, figures.antagonist_shift_figure(agonist_kd_nM, agonist_tau, 10.0, 1.0), update)
    return with_prediction(demo, predict, "antagonist_explorer")


def selectivity_explorer(drugs: list[str], targets: list[str], concentration_nM: float = 10.0) -> Demo:
    """Colour grid of predicted occupancy (drugs x targets); toggle targets on and off and move the free
    concentration."""
    toggles = {t: widgets.ToggleButton(value=True, description=t, tooltip=f"show or hide {t}",
                                       layout=widgets.Layout(width="auto")) for t in targets}
    controls = {
        "concentration": log_slider("free drug (nM)", concentration_nM, -1, 5),
        "targets": widgets.HBox(list(toggles.values())),
        "contested": widgets.ToggleButton(value=False, description="show contested values", icon="eye",
                                          tooltip="draw values that studies disagree about (marked ?)",
                                          layout=widgets.Layout(width="auto")),
    }

    inputs = model.selectivity_inputs(tuple(drugs), tuple(targets))

    def update(d: Demo) -> str:
        chosen = [t for t, w in toggles.items() if w.value]
        c, contested = controls["concentration"].value, controls["contested"].value
        figures.update_selectivity_figure(d.figure, drugs, targets, c, contested, chosen, inputs=inputs)
        if not chosen:
            return "No target is selected, so every cell reads off. Switch a target on with the buttons above."
        return figures.describe_selectivity(drugs, chosen, c, inputs=inputs, show_contested=contested)

    demo = Demo(controls, figures.selectivity_figure(drugs, targets, concentration_nM), update,
                note="Occupancy from in vitro affinities (mass action) at the same free concentration for every "
                     "drug. Real drugs reach very different free concentrations in the brain, so read this as a "
                     "map of selectivity, not as a prediction for a patient. Hover a cell for its source.")
    demo.toggles = toggles
    return demo


def dose_explorer(target: str, drugs: list[str], drug: str | None = None) -> Demo:
    """Pick a drug and move its daily dose; its PET occupancy is marked against the clinical lines."""
    target_key = data.resolve_target(target)
    if not drugs:
        raise ValueError(f"dose_explorer needs at least one drug with a dose fit at {target_key}")
    drug = drug or drugs[0]

    def slider_for(d: str) -> dict:
        top = float(model.dose_grid(d, target_key)[-1])
        return dict(min=0.0, max=round(top, 3), step=round(top / 200, 4),
                    value=round(model.start_dose(d, target_key), 3))

    controls = {
        "drug": widgets.Dropdown(options=[(data.drug_name(d), data.resolve_drug(d)) for d in drugs],
                                 value=data.resolve_drug(drug), description="drug", style=SLIDER_STYLE,
                                 layout=WIDE),
        "dose": widgets.FloatSlider(**slider_for(drug), description="daily dose (mg/day)", readout_format=".3g",
                                    style=SLIDER_STYLE, layout=WIDE),
    }
    state = {"drug": data.resolve_drug(drug)}

    def update(demo: Demo) -> str:
        d = controls["drug"].value
        changed = d != state["drug"]
        if changed:  # new drug: its own dose range and a highlighted curve
            state["drug"] = d
            settings = slider_for(d)
            slider = controls["dose"]
            slider.max = max(settings["max"], slider.min)
            slider.step, slider.value = settings["step"], settings["value"]
        dose = controls["dose"].value
        figures.update_dose_occupancy_figure(demo.figure, drugs, target_key, d, dose, selection_changed=changed)
        return figures.describe_dose_occupancy(d, target_key, dose)

    return Demo(controls, figures.dose_occupancy_figure(drugs, target_key, drug, controls["dose"].value), update,
                note="Curves: two-parameter fits to PET measurements in people (occupancy = Emax × dose / "
                     "(ED50 + dose)). Hover a curve for its fit and source. The slider and curves stop at the highest "
                     "dose studied; below the lowest studied dose the curve is extrapolated.")


def profile_explorer(drug: str, per_unit_nM: float, unit_label: str, max_units: int = 10,
                     start: float = 1) -> Demo:
    """Occupancy at each of a drug's targets as an intake slider (e.g. cups of coffee) moves.

    ``per_unit_nM`` is the concentration one unit of intake gives; levels are assumed to add linearly,
    a stated simplification.
    """
    check_number(per_unit_nM, "per_unit_nM", "nM", low=0, low_inclusive=False)
    controls = {"units": widgets.FloatSlider(value=start, min=0, max=max_units, step=0.5,
                                             description=unit_label, style=SLIDER_STYLE, layout=WIDE),
                "contested": widgets.ToggleButton(value=False, description="show contested values", icon="eye",
                                                  layout=widgets.Layout(width="auto"))}

    def update(demo: Demo) -> str:
        c, contested = controls["units"].value * per_unit_nM, controls["contested"].value
        figures.update_profile_figure(demo.figure, drug, c, f"{controls['units'].value:g} {unit_label}", contested)
        return figures.describe_profile(drug, c, contested)

    start_c = start * per_unit_nM
    return Demo(controls, figures.profile_figure(drug, start_c, f"{start:g} {unit_label}"), update)


def caffeine_explorer() -> Demo:
    """Peak plasma caffeine as the number of cups of brewed coffee moves (per-cup level from data/), set against
    the levels at which each of caffeine's mechanisms acts (evidence rows in data/)."""
    per_cup, source = caffeine_per_cup_nM()
    controls = {"cups": widgets.FloatSlider(value=1, min=0, max=10, step=0.5, description="cups of coffee",
                                            style=SLIDER_STYLE, layout=WIDE)}

    def update(demo: Demo) -> str:
        cups = controls["cups"].value
        figures.update_caffeine_figure(demo.figure, per_cup, cups)
        return figures.describe_caffeine(per_cup, cups)

    return Demo(controls, figures.caffeine_figure(per_cup, 1), update,
                note=f"Estimate: a measured peak level after a known dose per kg ({evidence.citation(source)}), scaled "
                     f"to the caffeine in one cup for a {REFERENCE_BODY_WEIGHT_KG:.0f} kg adult. Peak levels are assumed "
                     "to scale with dose and to add up across cups taken together. The reference level was measured "
                     "after a fasting oral solution, which is absorbed quickly, so a cup sipped over time probably "
                     "gives less. Real levels vary several-fold with body size, cup strength, timing and how fast "
                     "a person clears caffeine. The band and the arrow summarise two reviews of caffeine's actions "
                     f"({evidence.citation('fredholm1995')}; {evidence.citation('daly1994')}), which give no single "
                     "threshold for each mechanism.")


def saturation_explorer(predict: str | None = None) -> Demo:
    """Move a dose along a generic saturating occupancy curve and compare it with double the dose.

    ``predict``: a prediction id from data/predictions (see :mod:`helpers.view.predict`)."""
    controls = {"multiple": widgets.FloatSlider(value=4, min=0, max=20, step=0.25,
                                                description="dose (× half-maximal dose)", style=SLIDER_STYLE,
                                                layout=WIDE)}

    def update(demo: Demo) -> str:
        m = controls["multiple"].value
        figures.update_saturation_figure(demo.figure, m)
        return figures.describe_saturation(m)

    demo = Demo(controls, figures.saturation_figure(4), update,
                note="A generic curve with the shape every PET dose-occupancy study finds; it describes no "
                     "particular drug.")
    return with_prediction(demo, predict, "saturation_explorer")
