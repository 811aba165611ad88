"""Interactive demos for the psychotherapy notebook (04): ipywidgets wiring only.

Each demo is a :class:`helpers.view.demo.Demo` (or ``EvidenceDemo``) so tests can drive the controls from
Python and read ``figure.data`` and ``description``; all computing is in ``helpers.themes.psychotherapy.mediation``,
``helpers.themes.psychotherapy.model`` and ``helpers.themes.psychotherapy.figures``.
"""

from __future__ import annotations

import ipywidgets as widgets

from helpers.themes.psychotherapy import figures as pfig
from helpers.themes.psychotherapy import mediation
from helpers.themes.psychotherapy import model as psychotherapy
from helpers.view.demo import SLIDER_STYLE, WIDE, Demo, EvidenceDemo
from helpers.view.predict import with_prediction

# --- Part A versus Part B across the collection ---------------------------------------------------

def part_ab_explorer(treatment: str = "psychotherapy") -> EvidenceDemo:
    """Pick a treatment; see what it does (Part A) next to its leading proposed mechanism (Part B)."""
    start = psychotherapy.resolve_treatment(treatment)
    controls = {"treatment": widgets.Dropdown(options=[(label, k) for k, label in psychotherapy.TREATMENTS.items()],
                                              value=start, description="treatment", style=SLIDER_STYLE,
                                              layout=WIDE)}
    view = widgets.HTML()

    def update(demo) -> str:
        key = controls["treatment"].value
        view.value = pfig.part_ab_html(key)
        return (f"{psychotherapy.TREATMENTS[key]}: Part A (left, blue) is what the treatment does; "
                "Part B (right, orange) is the proposed route to benefit that section 6 scores.")

    return EvidenceDemo(controls, view, update)


# --- Forest plot with factor toggles ----------------------------------------------------------------

def forest_explorer() -> Demo:
    """Forest plot of relationship factors; switch factors on and off (correlations and d on separate axes)."""
    rows = psychotherapy.effect_sizes().iloc[::-1]
    toggles = {lab: widgets.ToggleButton(value=True, description=f"{short.replace('strength of ', '')}, {cit[-4:]}",
                                         tooltip=f"show or hide: {lab}", layout=widgets.Layout(width="auto"))
               for lab, short, cit in zip(rows["label"], rows["short"], rows["citation"])}
    controls = {"factors": widgets.HBox(list(toggles.values()), layout=widgets.Layout(flex_flow="row wrap"))}

    def update(d: Demo) -> str:
        chosen = [lab for lab, w in toggles.items() if w.value]
        pfig.update_forest_figure(d.figure, chosen)
        return pfig.describe_forest(chosen)

    demo = Demo(controls, pfig.forest_figure(), update,
                note="Points are pooled estimates from separate meta-analyses, bars their 95% confidence intervals; "
                     "there is no overall summary. Correlations (top) and the between-group difference for routine "
                     "feedback (bottom, Cohen's d) are different kinds of number, so they have separate axes with "
                     "different ranges. Hover a point for studies and participants.")
    demo.toggles = toggles
    return demo


# --- Mediation simulator ----------------------------------------------------------------------------

def _slider(label: str, value: float, lo: float, hi: float, step: float = 0.05) -> widgets.FloatSlider:
    return widgets.FloatSlider(value=value, min=lo, max=hi, step=step, description=label, readout_format=".2f",
                               continuous_update=True, style=SLIDER_STYLE, layout=WIDE)


def mediation_explorer(a: float = 0.5, b: float = 0.5, c_prime: float = 0.2, confounded: bool = False,
                       reversed_: bool = False, timing: str = "middle (session 5)", n: int = 500,
                       seed: int = 2026, predict: str | None = None) -> Demo:
    """The simulated trial: sliders for the true paths and sample size; toggles for the traps.

    ``predict``: a prediction id from data/predictions (see :mod:`helpers.view.predict`)."""
    start = mediation.Scenario(a, b, c_prime, 1.0 if confounded else 0.0, 1.0 if reversed_ else 0.0, timing, n,
                               seed)  # validates every argument
    lo, hi = mediation.EFFECT_RANGE
    controls = {
        "a": _slider("a: therapy → mediator", a, lo, hi),
        "b": _slider("b: mediator → outcome", b, lo, hi),
        "c_prime": _slider("c′: direct effect", c_prime, lo, hi),
        "n": widgets.IntSlider(value=n, min=mediation.N_MIN, max=mediation.N_MAX, step=10,
                               description="patients in the trial", style=SLIDER_STYLE, layout=WIDE),
        "confounded": widgets.Checkbox(value=confounded, description="confounding: a patient trait raises both "
                                       "mediator and outcome", indent=False, layout=WIDE),
        "confounding": _slider("confounder strength", 1.0, 0.0, mediation.CONFOUNDING_RANGE[1]),
        "reversed": widgets.Checkbox(value=reversed_, description="reverse causation: early improvement raises "
                                     "the mediator rating", indent=False, layout=WIDE),
        "reverse": _slider("reverse-path strength", 1.0, 0.0, mediation.REVERSE_RANGE[1]),
        "timing": widgets.Dropdown(options=list(mediation.TIMINGS), value=timing,
                                   description="mediator measured", style=SLIDER_STYLE, layout=WIDE),
        "seed": widgets.BoundedIntText(value=seed, min=0, max=10**6, description="random seed",
                                       style=SLIDER_STYLE),
    }

    def scenario() -> mediation.Scenario:
        c = controls
        c["confounding"].disabled = not c["confounded"].value
        c["reverse"].disabled = not c["reversed"].value
        return mediation.Scenario(c["a"].value, c["b"].value, c["c_prime"].value,
                                  c["confounding"].value if c["confounded"].value else 0.0,
                                  c["reverse"].value if c["reversed"].value else 0.0,
                                  c["timing"].value, c["n"].value, c["seed"].value)

    def update(demo: Demo) -> str:
        result = mediation.estimate(scenario())
        pfig.update_mediation_figure(demo.figure, result)
        demo.result = result
        return pfig.describe_mediation(result)

    demo = Demo(controls, pfig.mediation_figure(mediation.estimate(start)), update,
                note="Model: linear paths in standard-deviation units; the analysis is ordinary least squares "
                     "(M on T, then Y on T and M). Each 95% interval uses the t distribution; the one for a×b uses a "
                     "second-order delta method and is symmetric, which for a product is only an approximation. "
                     "The largest settings are deliberately exaggerated; the left axis is capped and the sentence "
                     f"names any estimate beyond it. The scatter shows at most {pfig.SCATTER_POINTS} patients; every "
                     "estimate uses all of them. Same seed, same patients.")
    return with_prediction(demo, predict, "mediation_explorer")


# --- Scorecard --------------------------------------------------------------------------------------

def scorecard_explorer(treatment: str = "psychotherapy") -> Demo:
    """Pick a treatment: its row is outlined in the heatmap and its seven ratings are explained below."""
    start = psychotherapy.resolve_treatment(treatment)
    controls = {"treatment": widgets.Dropdown(options=[(label, k) for k, label in psychotherapy.TREATMENTS.items()],
                                              value=start, description="treatment", style=SLIDER_STYLE,
                                              layout=WIDE)}
    details = widgets.HTML(layout=widgets.Layout(max_width="900px"))

    def update(demo: Demo) -> str:
        key = controls["treatment"].value
        pfig.update_scorecard_figure(demo.figure, key)
        details.value, sentence = cached[key]  # precomputed below: options are the fixed treatments
        return sentence

    cached = {k: (f"<p><b>{label}</b>: {psychotherapy.mechanism(k)}</p>" + pfig.treatment_row_html(k),
                  pfig.describe_scorecard(k)) for k, label in psychotherapy.TREATMENTS.items()}
    demo = Demo(controls, pfig.scorecard_figure(start), update,
                note="Each rating comes with its explanation and the studies behind it (see the evidence table and "
                     "references below).")
    demo.details = details
    demo.children += (details,)
    return demo
