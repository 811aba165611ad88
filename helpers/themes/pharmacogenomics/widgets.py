"""Interactive demos for the pharmacogenomics notebook: controls wired to ``helpers.themes.pharmacogenomics.figures``.

Each returns a :class:`helpers.view.demo.Demo`; tests drive ``demo.controls`` from Python and read
``demo.figure.data``. Nothing is computed here that is not in the model or figure modules.
"""

from __future__ import annotations

import ipywidgets as widgets

from helpers.core import pharmacogenomics as pgx
from helpers.themes.pharmacogenomics import figures as pf
from helpers.themes.pharmacogenomics import model
from helpers.view.demo import SLIDER_STYLE, WIDE, Demo
from helpers.view.predict import with_prediction

NOTE_GENOTYPE = ("Educational, not a genotype interpretation service: only common alleles are listed, and a "
                 "laboratory report or a clinician interprets a real result. Rules: CPIC's current tables "
                 "(CYP2D6 by activity score; a duplicated allele counts once per copy; CYP2C19 by the pair of "
                 "allele functions).")


def genotype_explorer(gene: str = "CYP2D6", first: str | None = None, second: str | None = None) -> Demo:
    """Choose a gene and two alleles; the figure highlights the CPIC phenotype and shows the working."""
    gene = pgx.resolve_gene(gene)
    default = model.DEFAULT_DIPLOTYPES.get(gene, tuple(model.allele_options(gene)[:2]))
    first, second = first or default[0], second or default[1]
    model.genotype_summary(gene, first, second)  # refuse a bad starting diplotype with the model's own message
    controls = {
        "gene": widgets.Dropdown(options=pgx.genes(), value=gene, description="gene", style=SLIDER_STYLE,
                                 layout=WIDE),
        "first": widgets.Dropdown(options=model.allele_options(gene), value=first, description="allele from one parent",
                                  style=SLIDER_STYLE, layout=WIDE),
        "second": widgets.Dropdown(options=model.allele_options(gene), value=second,
                                   description="allele from the other parent", style=SLIDER_STYLE, layout=WIDE),
    }
    shown = {"gene": gene}

    def update(demo: Demo) -> str:
        g = controls["gene"].value
        if g != shown["gene"]:  # a new gene: its own alleles, starting from its default diplotype
            shown["gene"] = g
            options = model.allele_options(g)
            a, b = model.DEFAULT_DIPLOTYPES.get(g, tuple(options[:2]))
            controls["first"].options, controls["second"].options = options, options
            controls["first"].value, controls["second"].value = a, b
        a, b = controls["first"].value, controls["second"].value
        pf.update_genotype_figure(demo.figure, g, a, b)
        return pf.describe_genotype(g, a, b)

    return Demo(controls, pf.genotype_figure(gene, first, second), update, note=NOTE_GENOTYPE)


def exposure_explorer(usual: float | None = None, genotype: str = "Null/Null", predict: str | None = None) -> Demo:
    """A normal metabolizer's usual exposure (slider) and a genotype group (dropdown) on the saturating curve.

    ``predict``: a prediction id from data/predictions (see :mod:`helpers.view.predict`)."""
    usual = model.default_exposure() if usual is None else usual
    model.exposure_consequence(usual, genotype)  # refuse bad input with the model's message
    if usual > model.EXPOSURE_MAX:
        raise ValueError(f"usual exposure must be at most {model.EXPOSURE_MAX:g} × half-maximal, the slider's range "
                         f"(got {usual!r})")
    groups = model.exposure_groups()
    options = [(f"{g} ({pgx.short_phenotype(p)})", g) for g, p in zip(groups["genotype"], groups["phenotype"])]
    controls = {
        "usual": widgets.FloatSlider(value=usual, min=0.25, max=model.EXPOSURE_MAX, step=0.25,
                                     description="usual exposure (× half-max)", readout_format=".2f",
                                     style=SLIDER_STYLE, layout=WIDE),
        "genotype": widgets.Dropdown(options=options, value=genotype, description="genotype group",
                                     style=SLIDER_STYLE, layout=WIDE),
    }

    def update(demo: Demo) -> str:
        u, g = controls["usual"].value, controls["genotype"].value
        pf.update_exposure_figure(demo.figure, u, g)
        return pf.describe_exposure(u, g)

    demo = Demo(controls, pf.exposure_figure(usual, genotype), update,
                note="Exposure ratios: dose-harmonized serum escitalopram by CYP2C19 genotype in a large drug-monitoring cohort, "
                     "relative to *1/*1 ('Null' = a no-function allele). Model: one generic saturating curve, "
                     "occupancy = x / (1 + x), the same for every group; it describes no measured drug. The "
                     "starting exposure gives about the 80% serotonin-transporter occupancy measured at the lowest "
                     "effective SSRI doses. Occupancy is not benefit, and exposure-related side effects are not "
                     "modelled.")
    return with_prediction(demo, predict, "exposure_explorer")
