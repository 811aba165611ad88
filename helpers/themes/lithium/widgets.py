"""Interactive demos for the lithium notebook: controls wired to ``helpers.themes.lithium.figures``.

Each returns a :class:`helpers.view.demo.Demo`; tests drive ``demo.controls`` (and ``demo.toggles``) from
Python and read ``demo.figure.data``. Nothing is computed here that is not in the model or figure modules.
"""

from __future__ import annotations

import ipywidgets as widgets

from helpers.core.validate import check_number
from helpers.themes.lithium import figures as lf
from helpers.themes.lithium import model as li
from helpers.view.demo import SLIDER_STYLE, WIDE, Demo, log_slider
from helpers.view.predict import with_prediction


def level_explorer(serum: float = 0.7) -> Demo:
    """Serum lithium slider over the verified bands, with modelled IMPase and GSK-3beta inhibition."""
    serum = check_number(serum, "serum", "mmol/L", low=0)
    if serum > li.LEVEL_MAX:
        raise ValueError(f"serum must be at most {li.LEVEL_MAX} mmol/L, the slider's range (got {serum!r})")
    ratios = li.brain_serum_ratios()
    controls = {
        "serum": widgets.FloatSlider(value=serum, min=0.0, max=li.LEVEL_MAX, step=0.05,
                                     description="serum lithium (mmol/L)", readout_format=".2f",
                                     style=SLIDER_STYLE, layout=WIDE),
        "ratio": widgets.Dropdown(options=list(zip(ratios["label"], ratios["value"])),
                                  value=float(ratios["value"].iloc[0]), description="brain/serum ratio",
                                  style=SLIDER_STYLE, layout=WIDE),
        "substrate": log_slider("IMPase substrate ([S]/Km)", 1.0, -1, 1),
        "mg": log_slider("Mg2+ factor (GSK-3β)", 1.0, -0.6, 0.6),
    }

    def values():
        c = controls
        return c["serum"].value, c["ratio"].value, c["substrate"].value, c["mg"].value

    shown = {"curves": None}

    def update(demo: Demo) -> str:
        s, r, sub, mg = values()
        changed = shown["curves"] != (r, sub, mg)  # the curves do not depend on the serum: resend only on change
        shown["curves"] = (r, sub, mg)
        lf.update_inhibition_figure(demo.figure, s, r, sub, mg, curves_changed=changed)
        return lf.describe_inhibition(s, r, sub, mg)

    return Demo(controls, lf.inhibition_figure(*values()), update,
                note="Bands: published reference ranges, each cited in the table below the demo (targets are 12-hour troughs). "
                     "Model: brain lithium = serum × the chosen MRS ratio, assumed equal inside cells; IMPase "
                     "inhibited uncompetitively at the stored Ki (the lowest of the published range, so the larger "
                     "effect); its substrate level in human neurones is unknown, hence the [S]/Km control. GSK-3β: "
                     "stored Ki, scaled by how much more (above 1) or less (below 1) Mg2+ competes in cells than "
                     "in the assay, also unknown. Indirect inhibition of GSK-3 (via its inhibitory "
                     "phosphorylation) is not modelled. In vitro constants, several from non-human enzymes.")


def clearance_explorer(dose: float = 900.0, clearance: float = 25.0, predict: str | None = None) -> Demo:
    """Steady-state level from dose and clearance, with toggles for situations that lower clearance.

    ``predict``: a prediction id from data/predictions (see :mod:`helpers.view.predict`)."""
    cl_min, cl_max = li.clearance_range_mL_min()
    factors = li.clearance_factors()
    toggles = {row["factor"]: widgets.ToggleButton(value=False, description=row["name"].split(" (")[0],
                                                   tooltip=f"{row['name']} ({row['citation']})",
                                                   layout=widgets.Layout(width="auto"))
               for _, row in factors.iterrows()}
    controls = {
        "dose": widgets.FloatSlider(value=dose, min=0, max=2400, step=150, description="Li2CO3 (mg/day)",
                                    readout_format=".0f", style=SLIDER_STYLE, layout=WIDE),
        "clearance": widgets.FloatSlider(value=clearance, min=cl_min, max=cl_max, step=1,
                                         description="clearance (mL/min)", readout_format=".0f",
                                         style=SLIDER_STYLE, layout=WIDE),
        "situations": widgets.HBox(list(toggles.values()), layout=widgets.Layout(flex_flow="row wrap")),
    }

    def chosen() -> list[str]:
        return [k for k, w in toggles.items() if w.value]

    def update(demo: Demo) -> str:
        d, cl, on = controls["dose"].value, controls["clearance"].value, chosen()
        lf.update_steady_state_figure(demo.figure, d, cl, on)
        return lf.describe_steady_state(d, cl, on)

    with_interval = [f"{row['name']} ({li.interval_kind(row['factor'])})" for _, row in factors.iterrows()
                     if li.interval_kind(row["factor"])]
    demo = Demo(controls, lf.steady_state_figure(dose, clearance, []), update,
                note="Not a dosing tool: nobody's clearance is known until their level has been measured. Model: "
                     "average steady-state level = F × dose rate / clearance (F = top of the stored "
                     "bioavailability range; the average is higher than the 12-hour trough the targets refer "
                     "to). Each situation multiplies the level by the change in level reported for it (a group "
                     "average, cited in the table below). Whiskers only where the data give an interval: "
                     + ("; ".join(with_interval) or "none") + "; other bars have no reported interval, which "
                     "does not mean they are exact. Combinations are multiplied: an assumption, since "
                     "combinations were not studied.")
    demo.toggles = toggles
    return with_prediction(demo, predict, "clearance_explorer")


def hypothesis_explorer() -> Demo:
    """Pick one hypothesis or all; the grid shows the studies for, mixed and against."""
    every = "all hypotheses"
    controls = {"hypothesis": widgets.Dropdown(
        options=[(every, every)] + [(label, key) for key, (label, _, _) in li.HYPOTHESES.items()],
        value=every, description="hypothesis", style=SLIDER_STYLE, layout=WIDE)}

    def update(demo: Demo) -> str:
        chosen = controls["hypothesis"].value
        keys = None if chosen == every else [chosen]
        lf.update_hypothesis_figure(demo.figure, keys)
        return lf.describe_hypotheses(keys)

    return Demo(controls, lf.hypothesis_figure(), update,
                note="Each cell counts published papers (for Part B; mechanistic Part A studies for hypotheses "
                     "that only have those). A count is not a verdict: one strong trial can outweigh several weak "
                     "studies, so read the designs in the hover text and in the table below.")
