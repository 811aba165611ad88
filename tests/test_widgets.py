"""Widget logic for the basics notebook, driven from Python: figures change, descriptions follow, no errors."""

import itertools

import numpy as np
import pytest

from helpers.core import occupancy
from helpers.themes.basics import figures, model, widgets
from helpers.view import demo as demo_framework


def ys(demo, i):
    return np.asarray(demo.figure.data[i].y, dtype=float)


class TestLigandExplorer:
    def test_every_ligand_type_at_extreme_controls(self):
        demo = widgets.ligand_explorer()
        for kind in model.LIGAND_TYPES:
            demo.controls["kind"].value = kind
            for c, kd, b in itertools.product((0.01, 1e6), (0.1, 1e4), (0.0, 0.5)):
                demo.controls["concentration"].value = c
                demo.controls["kd"].value = kd
                demo.controls["basal"].value = b
                activity = ys(demo, 1)
                assert np.all(np.isfinite(activity)) and activity.min() >= 0 and activity.max() <= 100
                assert kind in demo.description.value

    def test_partial_agonist_plateau_below_full(self):
        demo = widgets.ligand_explorer("full agonist")
        full_top = ys(demo, 1).max()
        demo.controls["kind"].value = "partial agonist"
        assert ys(demo, 1).max() < full_top - 20
        assert demo.controls["efficacy"].value == model.LIGAND_TYPES["partial agonist"][0]

    def test_inverse_agonist_drives_activity_below_basal(self):
        demo = widgets.ligand_explorer("inverse agonist")
        demo.controls["basal"].value = 0.3
        assert ys(demo, 1)[-1] < 1 and ys(demo, 1)[0] == pytest.approx(30, abs=0.5)
        assert demo.controls["efficacy"].disabled

    def test_kd_moves_the_occupancy_curve(self):
        demo = widgets.ligand_explorer()
        before = ys(demo, 0).copy()
        demo.controls["kd"].value = 1000
        assert np.all(ys(demo, 0) <= before + 1e-9) and not np.allclose(ys(demo, 0), before)
        assert "occupies" in demo.description.value

    def test_unknown_type(self):
        with pytest.raises(ValueError, match="choose one of full agonist"):
            widgets.ligand_explorer("superagonist")


class TestAntagonistExplorer:
    def test_more_antagonist_shifts_right_same_maximum(self):
        demo = widgets.antagonist_explorer()
        demo.controls["antagonist"].value = 0.0
        none = ys(demo, 1).copy()
        assert np.allclose(none, ys(demo, 0))
        demo.controls["antagonist"].value = 10000.0
        shifted = ys(demo, 1)
        assert np.all(shifted <= none + 1e-9) and shifted.max() == pytest.approx(none.max(), rel=0.01)
        assert "10,001 times" in demo.description.value  # as the label in the plot says it, not '1e+04'

    def test_the_label_and_the_arrow_follow_the_slider(self):
        """The fold shift and the antagonist concentration are written in the plot (trace data, not the title,
        which stays fixed so that a step takes the quick redraw)."""
        demo = widgets.antagonist_explorer()
        title = demo.figure.layout.title.text
        demo.controls["antagonist"].value = 1000.0
        labels = [t.text[0] for t in demo.figure.data if t.mode == "text"]
        assert labels == ["antagonist 1 µM<br>(KB 1 nM)<br>shifted 1,001-fold"]
        arrow = next(t for t in demo.figure.data if t.name == "shift at half maximum")
        assert list(arrow.x) == pytest.approx([100 / 11, 100 / 11 * 1001])
        demo.controls["antagonist"].value = 0.0
        labels = [t.text[0] for t in demo.figure.data if t.mode == "text"]
        assert labels == ["no antagonist<br>(KB 1 nM)<br>no shift"]
        assert min(np.log10(arrow.x)) > demo.figure.layout.xaxis.range[1]  # parked beyond the axis, not removed
        assert demo.figure.layout.title.text == title

    @pytest.mark.parametrize("antagonist_nM, kb_nM", [(0.0, 1.0), (10.0, 1.0), (1e4, 0.1)])
    def test_the_half_maximal_points_lie_on_the_curves(self, antagonist_nM, kb_nM):
        alone, shifted = model.antagonist_curves(100.0, 10.0, antagonist_nM, kb_nM)
        ec50_alone, ec50_shifted, half = model.antagonist_half_max(100.0, 10.0, antagonist_nM, kb_nM)
        log_grid = np.log10(model.ANTAGONIST_GRID_NM)
        assert half == pytest.approx(50 * alone.max(), rel=1e-3) == pytest.approx(50 * shifted.max(), rel=1e-3)
        assert np.interp(np.log10(ec50_alone), log_grid, 100 * alone) == pytest.approx(half, rel=1e-2)
        assert np.interp(np.log10(ec50_shifted), log_grid, 100 * shifted) == pytest.approx(half, rel=1e-2)
        assert ec50_shifted / ec50_alone == pytest.approx(1 + antagonist_nM / kb_nM)

    def test_fold_shifts_are_written_in_plain_numbers(self):
        assert figures.antagonist_label(1.0, 1.0).endswith("<br>shifted 2-fold")
        assert "1.1-fold" in figures.antagonist_label(0.1, 1.0) and "10,001-fold" in figures.antagonist_label(1e4, 1.0)
        assert "shifted <1.01-fold" in figures.antagonist_label(0.1, 1000.0)


def grid(fig) -> dict:
    """The selectivity grid as rows x columns: 'text', 'fill', 'text_colour', 'hover', with 'rows', 'columns'
    and 'header'. Cells are found by their positions (x: column, y: row); a cell without a tile is white."""
    rows, columns = list(fig.layout.yaxis.ticktext), list(fig.layout.xaxis.ticktext)
    out = {key: [[None] * len(columns) for _ in rows] for key in ("text", "fill", "text_colour", "hover")}
    for name in ("cells without data", "cell texts"):
        trace = next(t for t in fig.data if t.name == name)
        for k, (x, y) in enumerate(zip(trace.x, trace.y)):
            out["text"][round(y)][round(x)] = trace.text[k]
            out["text_colour"][round(y)][round(x)] = trace.textfont.color[k]
            out["fill"][round(y)][round(x)] = figures.UNCOLOURED
            if trace.customdata is not None:
                out["hover"][round(y)][round(x)] = trace.customdata[k]
    tiles = next(t for t in fig.data if t.name == "cells")
    for k in range(0, len(tiles.x), 2):
        i, j = round(tiles.y[k]), round((tiles.x[k] + tiles.x[k + 1]) / 2)
        assert tiles.marker.color[k] == tiles.marker.color[k + 1] and tiles.customdata[k] == tiles.customdata[k + 1]
        out["fill"][i][j], out["hover"][i][j] = tiles.marker.color[k], tiles.customdata[k]
    assert all(v is not None for key in out for row in out[key] for v in row)  # every cell drawn once
    return dict(out, rows=rows, columns=columns, header=next(t for t in fig.data if t.name == "header").text[0])


class TestSelectivityExplorer:
    def test_every_target_combination_renders(self):
        demo = widgets.selectivity_explorer(model.SELECTIVITY_DRUGS, model.SELECTIVITY_TARGETS)
        names = list(demo.toggles)
        for mask in itertools.product((True, False), repeat=len(names)):
            for name, on in zip(names, mask):
                demo.toggles[name].value = on
            cells = grid(demo.figure)
            assert cells["columns"] == names  # every column stays; a switched-off one reads "off"
            off = [n for n, on in zip(names, mask) if not on]
            assert [c for j, c in enumerate(names) if all(row[j] == figures.SELECTIVITY_OFF_CELL
                                                          for row in cells["text"])] == off
            assert demo.figure.last_redraw in ("quick", "none")
            if len(off) == len(names):
                assert "No target is selected" in demo.description.value
                assert cells["header"] == figures.SELECTIVITY_EMPTY_TITLE

    def test_concentration_raises_occupancy(self):
        """Cividis gets lighter from 0% to 100%: every coloured cell is at least as light at a higher level."""
        demo = widgets.selectivity_explorer(model.SELECTIVITY_DRUGS, model.SELECTIVITY_TARGETS)
        demo.controls["concentration"].value = 0.1
        low = grid(demo.figure)
        demo.controls["concentration"].value = 1e5
        high = grid(demo.figure)
        assert demo.figure.last_redraw == "quick" and high["header"].startswith("free drug: 100 µM")
        lightness = [(figures.contrast_ratio(a, "#000000"), figures.contrast_ratio(b, "#000000"))
                     for row_a, row_b in zip(low["fill"], high["fill"]) for a, b in zip(row_a, row_b)
                     if a != figures.UNCOLOURED]
        assert lightness and all(b >= a - 1e-9 for a, b in lightness) and any(b > a for a, b in lightness)
        assert "SERT" in demo.description.value

    def test_missing_data_is_shown_as_no_data_not_zero(self):
        cells = grid(figures.selectivity_figure(["caffeine"], ["SERT"], 10))
        assert cells["text"][0][0] == "no data"
        assert cells["fill"][0][0] == figures.UNCOLOURED  # drawn as an empty cell, not as 0%

    def test_lower_bound_cells_are_uncoloured_caps_not_occupancy(self):
        """Haloperidol shows no muscarinic binding up to the assay's limit (Ki > 10 uM): at 100 uM the cap is
        91%, which must not be coloured or described as if 91% of the receptors were occupied."""
        inputs = model.selectivity_inputs(("haloperidol",), ("muscarinic", "D2"))
        view = model.selectivity_view(inputs, ["muscarinic", "D2"], 1e5)
        assert view["z"][0][0] is None and view["text"][0][0] == "≤91%"
        assert view["z"][0][1] == pytest.approx(100 * 1e5 / (1e5 + 2.6))
        sentence = figures.describe_selectivity(["haloperidol"], ["muscarinic", "D2"], 1e5)
        assert "Haloperidol: D2." in sentence and "Haloperidol at muscarinic (at most 91%)" in sentence
        assert model.selectivity_matrix(["haloperidol"], ["muscarinic"], 1e5).iloc[0, 0] == pytest.approx(90.9, abs=0.1)

    def test_the_axis_title_names_the_colour_scale_the_cells_use(self):
        """No colour bar: the key in words must match the colours drawn."""
        import colorsys

        from plotly.colors import hex_to_rgb

        key = figures.selectivity_figure(["citalopram"], ["SERT"], 10).layout.xaxis.title.text
        assert key == figures.SELECTIVITY_KEY and "dark blue 0%" in key and "yellow 100%" in key
        (h0, l0, _), (h1, l1, _) = (colorsys.rgb_to_hls(*(c / 255 for c in hex_to_rgb(colour)))
                                    for colour in figures.occupancy_colours([0, 100]))
        assert 0.55 < h0 < 0.72 and l0 < 0.25  # 0%: a dark blue
        assert 0.12 < h1 < 0.19 and l1 > 0.5  # 100%: a light yellow

    def test_occupancy_colours_follow_the_sequential_scale(self):
        from plotly.colors import get_colorscale, hex_to_rgb

        scale = get_colorscale(figures.SEQUENTIAL)
        ends = [scale[0][1].lower(), scale[-1][1].lower()]
        assert [hex_to_rgb(c) for c in ends] == [hex_to_rgb(c) for c in figures.occupancy_colours([0.0, 100.0])]
        assert figures.occupancy_colours([0.0, 100.0]) == ends
        assert figures.occupancy_colours([-5.0, 120.0]) == ends  # clipped to the scale
        assert figures.occupancy_colours([None, float("nan")]) == [figures.UNCOLOURED] * 2
        assert figures.occupancy_colours([None], empty="#eeeeee") == ["#eeeeee"]
        steps = figures.occupancy_colours(list(range(0, 101, 5)))
        lightness = [figures.contrast_ratio(c, "#000000") for c in steps]
        assert lightness == sorted(lightness) and len(set(steps)) == len(steps)  # lighter with every step

    def test_cell_text_contrasts_with_its_cell(self):
        dark_blue, yellow = figures.occupancy_colours([0, 100])
        assert figures.text_colours([dark_blue, yellow, "#ffffff", "#000000"]) == [
            figures.TEXT_LIGHT, figures.TEXT_DARK, figures.TEXT_DARK, figures.TEXT_LIGHT]
        fills = figures.occupancy_colours(list(range(101)))
        worst = min(figures.contrast_ratio(fill, text) for fill, text in zip(fills, figures.text_colours(fills)))
        assert worst >= 4.5  # WCAG AA for normal text, on every colour of the scale
        assert figures.contrast_ratio(figures.TEXT_OFF, figures.UNCOLOURED) >= 4.5
        cells = grid(figures.selectivity_figure(list(model.SELECTIVITY_DRUGS), list(model.SELECTIVITY_TARGETS), 10))
        pairs = [(f, t) for rf, rt in zip(cells["fill"], cells["text_colour"]) for f, t in zip(rf, rt)]
        assert all(figures.contrast_ratio(f, t) >= 4.5 for f, t in pairs)

    def test_tiles_fill_their_cells_without_overlapping(self):
        """The tiles are square markers sized in pixels: the figure's fixed width, height and margins make
        every row ROW_PX tall and every tile fit its column with a gap."""
        for targets in (model.SELECTIVITY_TARGETS, ("SERT", "NET"), ("SERT",)):
            fig = figures.selectivity_figure(list(model.SELECTIVITY_DRUGS), list(targets), 10)
            margin, (y_low, y_high) = fig.layout.margin, fig.layout.yaxis.range
            plot_w = fig.layout.width - margin.l - margin.r
            row_px = (fig.layout.height - margin.t - margin.b) / abs(y_low - y_high)
            assert row_px == pytest.approx(figures.ROW_PX, abs=1) and figures.TILE_PX <= row_px - 3
            column_px = plot_w / len(targets)
            tiles = next(t for t in fig.data if t.name == "cells")
            centres_apart = (tiles.x[1] - tiles.x[0]) * column_px
            assert tiles.marker.size == figures.TILE_PX and 0 <= centres_apart < figures.TILE_PX  # one tile
            assert figures.TILE_PX + centres_apart <= column_px - 3  # a gap to the next column
            assert fig.layout.xaxis.automargin is False and fig.layout.yaxis.automargin is False

    def test_every_shown_drug_has_data(self):
        """Rows made only of 'no data' cells teach nothing; each listed drug has at least one affinity."""
        matrix = model.selectivity_matrix(list(model.SELECTIVITY_DRUGS), list(model.SELECTIVITY_TARGETS), 10)
        assert matrix.notna().any(axis=1).all()


class TestDoseExplorer:
    @pytest.mark.parametrize("target", ["D2"])
    def test_each_drug_and_slider_extremes(self, target):
        drugs = occupancy.drugs_with_fit(target)
        demo = widgets.dose_explorer(target, drugs)
        for drug in drugs:
            demo.controls["drug"].value = drug
            slider = demo.controls["dose"]
            for dose in (slider.min, slider.max):
                slider.value = dose
                marker = demo.figure.data[-1]
                expected = 100 * occupancy.dose_occupancy(drug, target, slider.value)
                assert marker.y[0] == pytest.approx(expected)
                assert f"{expected:.0f}%" in demo.description.value

    def test_selected_curve_is_highlighted(self):
        drugs = occupancy.drugs_with_fit("D2")
        demo = widgets.dose_explorer("D2", drugs)
        demo.controls["drug"].value = drugs[2]
        widths = [t.line.width for t in demo.figure.data[:-1]]
        assert widths.index(max(widths)) == 2

    def test_needs_drugs(self):
        with pytest.raises(ValueError, match="at least one drug"):
            widgets.dose_explorer("D2", [])


class TestCaffeineExplorer:
    def test_cups_move_the_marker_linearly(self):
        demo = widgets.caffeine_explorer()
        per_cup, _ = occupancy.caffeine_per_cup_nM()
        for cups in (0, 2.5, 10):
            demo.controls["cups"].value = cups
            assert ys(demo, 1)[0] == pytest.approx(cups * per_cup / 1000)
        assert "10 cups" in demo.description.value and "70 kg" in demo.description.value

    def test_caffeine_levels_are_set_against_what_each_mechanism_needs(self):
        """The band ends at the measured reference peak (data/exposures: 10.0 mg/L = 51 µM after 5 mg/kg), and
        the sentence says which mechanism acts at the chosen level, as the figure does."""
        per_cup, _ = occupancy.caffeine_per_cup_nM()
        ref = model.caffeine_reference_level()
        assert ref["uM"] == pytest.approx(10.0 * 1000 / 194.19) and ref["mg_per_kg"] == 5
        fig = figures.caffeine_figure(per_cup, 1)
        band, line = fig.layout.shapes
        assert (band.xref, band.yref, line.yref) == ("paper", "paper", "paper")  # quick redraw keeps them
        y_top = fig.layout.yaxis.range[1]
        assert band.y1 == pytest.approx(ref["uM"] / y_top) == line.y0
        labels = " ".join(a.text for a in fig.layout.annotations)
        assert "adenosine A1 and A2A" in labels and "phosphodiesterase" in labels and "Daly et al. 1994" in labels
        assert all(a.xref == "paper" and a.yref == "paper" for a in fig.layout.annotations)
        low, high = figures.describe_caffeine(per_cup, 1), figures.describe_caffeine(per_cup, 8)
        assert "inside the shaded band" in low and "adenosine A1 and A2A" in low
        assert "extrapolation" in high and "inside the shaded band" not in high
        assert all("much higher concentrations" in t for t in (low, high))
        assert "none of its mechanisms" in figures.describe_caffeine(per_cup, 0)

    def test_profile_explorer_raises_occupancy_with_intake(self):
        demo = widgets.profile_explorer("ketamine", 1000.0, "units")
        demo.controls["units"].value = 0
        assert np.allclose(ys(demo, 0), 0)
        demo.controls["units"].value = 5
        targets = list(demo.figure.data[0].x)
        shown = [h for t, h in zip(targets, ys(demo, 0)) if t != "D2"]
        assert np.all(np.array(shown) > 0)
        # the contested D2 value starts hidden: its bar parked at 0 with a label, and the sentence agrees
        d2 = targets.index("D2")
        assert ys(demo, 0)[d2] == 0 and demo.figure.data[0].text[d2] == figures.PROFILE_HIDDEN_LABEL
        assert "Hidden as contested: D2" in demo.description.value
        demo.controls["contested"].value = True
        assert ys(demo, 0)[d2] > 90 and "D2 99% (contested value)" in demo.description.value
        assert "Hidden" not in demo.description.value

    def test_selectivity_contested_values_start_hidden(self):
        demo = widgets.selectivity_explorer(model.SELECTIVITY_DRUGS, model.SELECTIVITY_TARGETS)
        cells = grid(demo.figure)
        row, col = cells["rows"].index("Aripiprazole"), cells["columns"].index("H1")
        assert cells["text"][row][col] == model.CONTESTED_HIDDEN_CELL
        assert cells["fill"][row][col] == figures.UNCOLOURED and "hidden" in cells["hover"][row][col]
        assert "Hidden as contested: Aripiprazole at H1" in demo.description.value
        assert "Aripiprazole: D2, 5-HT2A." in demo.description.value
        demo.controls["contested"].value = True
        cells = grid(demo.figure)
        assert cells["text"][row][col].endswith("%?") and cells["fill"][row][col] != figures.UNCOLOURED
        assert int(cells["text"][row][col][:-2]) > 90
        assert "Aripiprazole: D2, 5-HT2A, H1." in demo.description.value and "Hidden" not in demo.description.value

    def test_bad_per_unit(self):
        with pytest.raises(ValueError, match="per_unit_nM must be finite"):
            widgets.profile_explorer("caffeine", float("nan"), "cups")
        with pytest.raises(ValueError, match="per_unit_nM must be greater than 0"):
            widgets.profile_explorer("caffeine", 0.0, "cups")


class TestSaturationExplorer:
    def test_doubling_gains_less_at_higher_doses(self):
        demo = widgets.saturation_explorer()
        gains = []
        for m in (0.5, 4, 20):
            demo.controls["multiple"].value = m
            gains.append(ys(demo, 2)[0] - ys(demo, 1)[0])
        assert gains[0] > gains[1] > gains[2] > 0
        demo.controls["multiple"].value = 0
        assert ys(demo, 1)[0] == 0 and "gain of 0" in demo.description.value


class TestEvidenceExplorer:
    def test_filters_narrow_and_restore(self):
        demo = demo_framework.evidence_explorer("basics")
        total = len(demo.shown)
        demo.controls["part"].value = "B"
        assert 0 < len(demo.shown) < total and set(demo.shown["Part"]) == {"B"}
        demo.controls["part"].value = "all"
        assert len(demo.shown) == total

    def test_impossible_combination_says_so(self):
        demo = demo_framework.evidence_explorer("basics")
        for part in ("A", "B"):
            demo.controls["part"].value = part
            for hyp in demo.controls["hypothesis"].options:
                demo.controls["hypothesis"].value = hyp
                if len(demo.shown) == 0:
                    assert "No row matches" in demo.view.value
