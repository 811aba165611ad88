"""Psychotherapy notebook (04): mediation simulator, scorecard and effect-size look-ups, figures and widgets."""

import itertools
import math

import numpy as np
import pytest

from helpers.core import data
from helpers.themes.psychotherapy import figures as pfig
from helpers.themes.psychotherapy import mediation
from helpers.themes.psychotherapy import model as psychotherapy
from helpers.themes.psychotherapy import widgets as pw

LATE = "late (last session)"
EARLY = "early (session 2)"
MIDDLE = "middle (session 5)"


def se_of_indirect(result):
    return (result.indirect_high - result.indirect_low) / (2 * result.t_crit)


# --- Simulator: statistical properties ------------------------------------------------------------

class TestSimulator:
    @pytest.mark.parametrize("a,b", [(0.0, 0.0), (0.5, 0.0), (0.0, 0.5)])
    @pytest.mark.parametrize("seed", [0, 1, 2026])
    def test_no_mediation_no_confounding_gives_indirect_near_zero(self, a, b, seed):
        result = mediation.run(a=a, b=b, c_prime=0.5, n=5000, seed=seed, timing=LATE)
        assert result.scenario.true_indirect == 0
        assert abs(result.indirect_hat) < 0.05
        assert abs(result.indirect_hat) < 4 * se_of_indirect(result) + 1e-3

    @pytest.mark.parametrize("seed", [0, 1, 2, 3, 2026])
    @pytest.mark.parametrize("timing", [MIDDLE, LATE])
    def test_true_mediator_recovered_within_sampling_error(self, seed, timing):
        result = mediation.run(a=0.5, b=0.5, c_prime=0.2, n=5000, seed=seed, timing=timing)
        assert result.scenario.true_indirect == pytest.approx(0.25)
        assert abs(result.indirect_hat - 0.25) < 3.5 * se_of_indirect(result)
        assert abs(result.a_hat - 0.5) < 3.5 * result.se_a and abs(result.b_hat - 0.5) < 3.5 * result.se_b
        assert abs(result.c_prime_hat - 0.2) < 3.5 * result.se_c_prime

    def test_negative_paths_recovered(self):
        result = mediation.run(a=-0.6, b=0.4, c_prime=-0.3, n=5000, seed=7, timing=LATE)
        assert abs(result.indirect_hat - (-0.24)) < 3.5 * se_of_indirect(result)

    def test_same_seed_same_numbers_different_seed_different(self):
        first, again = mediation.run(seed=11, n=800), mediation.run(seed=11, n=800)
        assert first == again
        other = mediation.run(seed=12, n=800)
        assert other.indirect_hat != first.indirect_hat

    def test_smaller_trial_is_the_first_patients_of_the_larger(self):
        small = mediation.simulate_patients(mediation.Scenario(n=100))
        large = mediation.simulate_patients(mediation.Scenario(n=5000))
        for name in small:
            assert np.array_equal(small[name], large[name][:100])

    def test_ols_matches_an_independent_fit(self):
        scenario = mediation.Scenario(a=0.3, b=0.7, c_prime=0.1, confounding=0.5, n=400, seed=5)
        p = mediation.simulate_patients(scenario)
        result = mediation.estimate(scenario)
        slope_a = np.polyfit(p["treated"], p["mediator_measured"], 1)[0]
        assert result.a_hat == pytest.approx(slope_a, rel=1e-9)
        x = np.column_stack([np.ones(400), p["treated"], p["mediator_measured"]])
        beta = np.linalg.solve(x.T @ x, x.T @ p["outcome"])
        assert (result.c_prime_hat, result.b_hat) == pytest.approx((beta[1], beta[2]), rel=1e-9)
        assert result.naive_r == pytest.approx(np.corrcoef(p["mediator_measured"], p["outcome"])[0, 1])

    def test_confounding_biases_b_upward_by_the_expected_amount(self):
        # With a = 0 and confounder strength g, b_hat -> b + g^2 / (g^2 + 1): 0.5 for g = 1.
        clean = mediation.run(a=0.0, b=0.0, c_prime=0.5, n=5000, seed=3, timing=LATE)
        confounded = mediation.run(a=0.0, b=0.0, c_prime=0.5, confounding=1.0, n=5000, seed=3, timing=LATE)
        assert confounded.b_hat == pytest.approx(0.5, abs=0.06)
        assert confounded.b_hat > clean.b_hat + 0.4
        assert confounded.naive_r > clean.naive_r + 0.3

    def test_confounding_with_a_real_a_creates_a_false_indirect_effect(self):
        result = mediation.run(a=0.5, b=0.0, c_prime=0.5, confounding=1.0, n=5000, seed=2026, timing=LATE)
        assert result.scenario.true_indirect == 0
        assert result.indirect_low > 0.1  # biased upward: the direction a positive confounder predicts
        assert mediation.verdict(result).startswith("Misleading")

    def test_reverse_causation_correlates_with_zero_true_indirect_effect(self):
        # M_obs = e_M + Y, Y = 0.5 T + e_Y: corr = sqrt(var Y / (1 + var Y)), var Y = 1.0625 -> 0.718.
        result = mediation.run(a=0.0, b=0.0, c_prime=0.5, reverse=1.0, timing=LATE, n=5000, seed=4)
        assert result.scenario.true_indirect == 0
        assert result.naive_r == pytest.approx(math.sqrt(1.0625 / 2.0625), abs=0.03)
        assert result.indirect_excludes_zero

    def test_measuring_early_shrinks_the_reverse_path(self):
        # Early: M_obs = e_M + 0.1 Y + 0.75 e: corr = 0.1 var Y / sqrt((1 + 0.01 var Y + 0.5625) var Y) = 0.082.
        late = mediation.run(a=0.0, b=0.0, c_prime=0.5, reverse=1.0, timing=LATE, n=5000, seed=4)
        early = mediation.run(a=0.0, b=0.0, c_prime=0.5, reverse=1.0, timing=EARLY, n=5000, seed=4)
        assert early.naive_r == pytest.approx(0.082, abs=0.03)
        assert early.naive_r < late.naive_r / 4

    def test_early_measurement_noise_attenuates_a_real_b(self):
        early = mediation.run(a=0.5, b=0.5, timing=EARLY, n=5000, seed=1)
        late = mediation.run(a=0.5, b=0.5, timing=LATE, n=5000, seed=1)
        assert early.b_hat < late.b_hat - 0.1

    def test_small_trials_have_wide_intervals(self):
        small = mediation.run(n=mediation.N_MIN)
        large = mediation.run(n=mediation.N_MAX)
        assert small.indirect_high - small.indirect_low > 5 * (large.indirect_high - large.indirect_low)

    def test_scenario_table(self):
        table = mediation.scenario_table()
        assert list(table["scenario"]) == list(mediation.SCENARIOS)
        assert list(table["verdict"]) == ["Recovered", "Biased", "Correct", "Misleading", "Misleading", "Correct",
                                          "Correct"]
        import re
        assert not re.search(r"-0\.0+(?![0-9])", table.to_string())  # no negative zero

    def test_fmt_has_no_negative_zero(self):
        assert mediation.fmt(-0.001) == "0.00" and mediation.fmt(-0.016) == "-0.02"

    def test_verdicts(self):
        assert mediation.verdict(mediation.run(a=0, b=0, n=5000)).startswith("Correct")
        assert mediation.verdict(mediation.run(a=0.5, b=0.5, n=5000, timing=LATE)).startswith("Recovered")
        assert mediation.verdict(mediation.run(a=0.1, b=0.1, n=20)).startswith("Inconclusive")
        early = mediation.verdict(mediation.run(a=0.5, b=0.5, n=5000, timing=EARLY))
        assert early.startswith("Biased: the analysis underestimates") and "noisy early rating" in early

    def test_chance_miss_without_a_trap_is_never_called_biased(self):
        # Over many seeds with no trap, some intervals miss by chance; the verdict must say 'Missed', not 'Biased'.
        headlines = {mediation.verdict(mediation.run(a=0.5, b=0.5, n=n, seed=seed)).split(":")[0]
                     for n in (20, 50) for seed in range(300)}
        assert "Missed" in headlines
        assert not headlines & {"Biased", "Wrong sign", "Misleading"}
        missed = next(mediation.verdict(r) for seed in range(300)
                      if (r := mediation.run(a=0.5, b=0.5, n=20, seed=seed)).indirect_high < 0.25
                      or r.indirect_low > 0.25)
        assert "about 1 time in 20 by chance" in missed and "Built into" not in missed

    def test_chance_false_alarm_without_a_trap(self):
        texts = [mediation.verdict(mediation.run(a=0.5, b=0.0, n=50, seed=seed)) for seed in range(400)]
        assert not any(t.startswith("Misleading") for t in texts)

    def test_wrong_sign_is_reported_as_such(self):
        text = mediation.verdict(mediation.run(a=0.5, b=-0.5, confounding=2.0, n=5000))
        assert text.startswith("Wrong sign") and "underestimates" not in text

    @pytest.mark.parametrize("kw", [dict(a=0.0, b=0.0, confounding=2.0), dict(a=0.0, b=0.5, confounding=1.0)])
    def test_correct_product_with_a_badly_biased_b_says_so(self, kw):
        result = mediation.run(**kw, n=5000)
        text = mediation.verdict(result)
        assert text.startswith("Correct")
        assert "misses the true b" in text and "b itself is wrong" in text and "confounding" in text

    def test_structural_biases(self):
        assert mediation.structural_biases(mediation.Scenario()) == []
        assert mediation.structural_biases(mediation.Scenario(reverse=1.0, timing=EARLY, b=0.0)) == [
            "reverse causation (improvement so far leaks into the rating)"]
        assert len(mediation.structural_biases(mediation.Scenario(confounding=1.0, timing=EARLY))) == 2

    @pytest.mark.parametrize("n,a,b", [(50, 0.5, 0.5), (50, 0.3, 0.3), (20, 0.5, 0.5), (100, 1.0, 1.0)])
    def test_interval_coverage_is_honest_in_small_trials(self, n, a, b):
        seeds = 1000
        hits = sum(r.indirect_low <= a * b <= r.indirect_high
                   for r in (mediation.run(a=a, b=b, n=n, seed=seed) for seed in range(seeds)))
        assert hits / seeds >= 0.93

    @pytest.mark.parametrize("df,expected", [(10, 2.228139), (17, 2.109816), (47, 2.011741), (4997, 1.960439)])
    def test_t_quantile_matches_tables(self, df, expected):
        assert mediation.t_quantile_975(df) == pytest.approx(expected, abs=2e-4)
        with pytest.raises(ValueError, match="degrees of freedom"):
            mediation.t_quantile_975(0)

    def test_guided_step_3_shows_which_timing_protects(self):
        verdicts = {t: mediation.verdict(mediation.run(a=0, b=0, c_prime=0.5, reverse=1.0, timing=t, n=5000))
                    for t in mediation.TIMINGS}
        assert verdicts[LATE].startswith("Misleading") and verdicts[MIDDLE].startswith("Misleading")
        assert verdicts[EARLY].startswith("Correct")

    def test_narrow_interval_is_not_printed_as_zero_to_zero(self):
        assert mediation.fmt_interval(-0.0024, 0.0008) == "-0.002 to 0.001"
        assert mediation.fmt_interval(0.151, 0.349) == "0.15 to 0.35"
        assert "0.00 to 0.00" not in mediation.scenario_table().to_string()

    def test_timing_assumptions_are_described_from_the_table(self):
        text = mediation.describe_timings()
        assert text.startswith("Simulator assumptions, not data")
        for label, (share, _) in mediation.TIMINGS.items():
            assert f"{label}: {share:.0%}" in text


class TestSimulatorBadInput:
    @pytest.mark.parametrize("n,match", [(-5, "must not be negative"), (0, "outside the simulator's range"),
                                         (19, "outside the simulator's range"), (5001, "outside")])
    def test_sample_size(self, n, match):
        with pytest.raises(ValueError, match=match):
            mediation.run(n=n)

    @pytest.mark.parametrize("n", [100.0, "100", True, None])
    def test_sample_size_type(self, n):
        with pytest.raises(TypeError, match="whole number"):
            mediation.run(n=n)

    @pytest.mark.parametrize("name", ["a", "b", "c_prime"])
    @pytest.mark.parametrize("value,error,match", [(2.5, ValueError, "outside its valid range"),
                                                   (-3.0, ValueError, "outside its valid range"),
                                                   (float("nan"), ValueError, "must be finite"),
                                                   (float("inf"), ValueError, "must be finite"),
                                                   ("0.5", TypeError, "must be a number"),
                                                   (True, TypeError, "must be a number")])
    def test_effects(self, name, value, error, match):
        with pytest.raises(error, match=f"{name}.*{match}|{match}"):
            mediation.run(**{name: value})

    @pytest.mark.parametrize("kw,match", [(dict(confounding=-0.1), "confounding = -0.1 is outside"),
                                          (dict(confounding=2.1), "outside its valid range 0.0 to 2.0"),
                                          (dict(reverse=-1.0), "reverse = -1.0 is outside"),
                                          (dict(reverse=float("nan")), "reverse must be finite")])
    def test_strengths(self, kw, match):
        with pytest.raises(ValueError, match=match):
            mediation.run(**kw)

    def test_timing_and_seed(self):
        with pytest.raises(ValueError, match="unknown timing 'week 3'; choose one of: early"):
            mediation.run(timing="week 3")
        with pytest.raises(ValueError, match="seed must be a non-negative whole number"):
            mediation.run(seed=-1)
        with pytest.raises(ValueError, match="seed"):
            mediation.run(seed=1.5)


# --- Data: scorecard and effect sizes ----------------------------------------------------------------

class TestScorecardData:
    def test_complete_grid_in_teaching_order(self):
        matrix = psychotherapy.rating_matrix()
        assert list(matrix.index) == list(psychotherapy.TREATMENTS)
        assert list(matrix.columns) == list(psychotherapy.CRITERIA)
        assert set(matrix.to_numpy().ravel()) <= set(psychotherapy.RATINGS)

    def test_every_rating_except_untested_has_resolvable_evidence_with_a_source(self):
        rows = psychotherapy.scorecard()
        evidence = data.table("evidence").set_index("id")
        refs = set(data.table("references")["key"])
        for _, row in rows.iterrows():
            if row["rating"] != "untested":
                assert row["evidence"], (row["treatment"], row["criterion"])
                assert row["citation"]
            for evidence_id in row["evidence"].split(";") if row["evidence"] else []:
                assert set(evidence.at[evidence_id, "source"].split(";")) <= refs

    def test_ratings_after_the_science_review(self):
        ratings = psychotherapy.rating_matrix()
        assert ratings.at["psychotherapy", "specificity"] == "not_met"
        assert ratings.at["psychotherapy", "consistency"] == "partly"  # association only; mediation rarely tested
        assert ratings.at["psychotherapy", "experimental_manipulation"] == "partly"  # training studies exist
        assert ratings.at["psychotherapy", "plausibility"] == "partly"  # not circular
        assert ratings.at["psychotherapy", "timeline"] == "contested"
        assert ratings.at["ketamine", "gradient"] == "partly"  # dose-ranging trial, same rule as the SSRI
        assert ratings.at["ssri", "gradient"] == "partly"

    def test_untested_means_no_study_is_cited(self):
        rows = psychotherapy.scorecard()
        assert (rows.loc[rows["rating"] == "untested", "evidence"] == "").all()

    def test_ssri_cells_cite_reboxetine_only_where_they_say_so(self):
        rows = psychotherapy.scorecard().set_index(["treatment", "criterion"])
        for (treatment, criterion), row in rows.iterrows():
            if "bas-harmer2009b-acute-bias" in row["evidence"].split(";"):
                assert "reboxetine" in row["explanation"], (treatment, criterion)

    def test_numbers_in_explanations_come_from_the_cited_evidence(self):
        import re
        evidence = data.table("evidence").set_index("id")
        for _, row in psychotherapy.scorecard().iterrows():
            text = re.sub(r"5-HT1A|Mg2\+|GSK-3|week 1|24 h|2 weeks|section \d", "", row["explanation"])
            cited = " ".join(f"{evidence.at[i, 'finding']} {evidence.at[i, 'effect_size']} {evidence.at[i, 'claim']}"
                             for i in row["evidence"].split(";") if i)
            for number in re.findall(r"\d+(?:\.\d+)?", text):
                assert number in cited, (row["treatment"], row["criterion"], number)

    def test_lithium_gsk3_is_not_overstated(self):
        rows = psychotherapy.scorecard().set_index(["treatment", "criterion"])
        assert "similar or somewhat higher" in rows.at[("lithium", "specificity"), "explanation"]
        part_a = psychotherapy.part_a_b("lithium")["part_a"]
        assert "GSK-3 more weakly" in part_a and "Klein & Melton 1996" in psychotherapy.part_a_b("lithium")[
            "part_a_citation"]
        # Part A text lives in data/, not in code.
        assert part_a == data.table("evidence").set_index("id").at["psy-parta-lithium", "claim"]

    def test_specific_ingredients_has_supporting_evidence(self):
        table = data.table("evidence")
        rows = table[(table["theme"] == "psychotherapy") & (table["hypothesis"] == "specific_ingredients")]
        assert {"supports", "contradicts"} <= set(rows["direction"])
        assert table.set_index("id").at["psy-dejong2021-feedback", "hypothesis"] == "process_feedback"

    def test_weakest_links_are_read_from_the_scorecard(self):
        text = psychotherapy.weakest_links()
        assert "Lithium: specificity (not met)" in text and "gradient (untested)" in text
        assert len(text.splitlines()) == len(psychotherapy.TREATMENTS)

    def test_no_mechanism_meets_every_criterion(self):
        for treatment in psychotherapy.TREATMENTS:
            assert psychotherapy.rating_counts(treatment)["met"] < len(psychotherapy.CRITERIA)
        assert sum(psychotherapy.rating_counts("ssri").values()) == 7

    def test_criteria_table_has_an_example_and_evidence_for_each(self):
        table = psychotherapy.criteria_table()
        assert list(table["Criterion"]) == [label for label, _ in psychotherapy.CRITERIA.values()]
        assert table["Evidence"].str.len().min() > 0 and table["Example"].str.len().min() > 40

    def test_part_a_and_b_for_every_treatment(self):
        for treatment in psychotherapy.TREATMENTS:
            info = psychotherapy.part_a_b(treatment)
            assert info["part_a"] and info["part_a_citation"] and info["part_b"]
        assert "Meyer" in psychotherapy.part_a_b("SSRI")["part_a_citation"]
        with pytest.raises(data.UnknownNameError):
            psychotherapy.part_a_b("CBT")

    def test_treatment_row(self):
        row = psychotherapy.treatment_row("Psychotherapy (alliance)")
        assert len(row) == 7 and "Krupnick et al. 1996" in " ".join(row["Evidence"])

    def test_unknown_names(self):
        with pytest.raises(data.UnknownNameError, match="unknown treatment 'CBT'; choose one of: ssri"):
            psychotherapy.resolve_treatment("CBT")
        with pytest.raises(data.UnknownNameError, match="choose one of"):
            psychotherapy.resolve_treatment(3)
        with pytest.raises(data.UnknownNameError, match="unknown criterion 'potency'"):
            psychotherapy.resolve_criterion("potency")
        assert psychotherapy.resolve_criterion("Experimental manipulation") == "experimental_manipulation"
        with pytest.raises(data.UnknownNameError, match="unknown evidence id 'psy-nothing'"):
            psychotherapy.evidence_citation("psy-nothing")

    def test_reference_list_covers_scorecard_sources(self):
        keys = psychotherapy.reference_keys()
        assert {"fluckiger2018", "krupnick1996", "meyer2004", "delgado1991"} <= set(keys)
        assert len(keys) == len(set(keys))
        assert "de Jong KD" not in psychotherapy.reference_list_markdown()


class TestEffectSizes:
    def test_published_values(self):
        rows = psychotherapy.effect_sizes().set_index("id")
        assert tuple(rows.loc["ps-alliance-2018", ["estimate", "ci_low", "ci_high"]]) == (0.278, 0.256, 0.299)
        assert rows.at["ps-alliance-2018", "k_studies"] == 295
        assert tuple(rows.loc["ps-empathy-2018", ["estimate", "ci_low", "ci_high"]]) == (0.28, 0.23, 0.33)
        assert rows.at["ps-empathy-2018", "n_participants"] == 6138
        assert tuple(rows.loc["ps-feedback-2021", ["metric", "estimate", "ci_low", "ci_high"]]) == ("d", 0.15, 0.1, 0.2)
        assert rows.at["ps-feedback-2021", "n_participants"] == 21699

    def test_rows_are_well_formed_and_sourced(self):
        rows = psychotherapy.effect_sizes()
        refs = data.table("references").set_index("key")
        assert (rows["ci_low"] < rows["estimate"]).all() and (rows["estimate"] < rows["ci_high"]).all()
        assert rows.loc[rows["metric"] == "r", "estimate"].abs().lt(1).all()
        for key in rows["source"]:
            assert refs.at[key, "verified"] in ("V", "V2") and (refs.at[key, "doi"] or refs.at[key, "pmid"])
        assert rows["label"].is_unique

    def test_metric_filter(self):
        assert set(psychotherapy.effect_sizes("d")["id"]) == {"ps-feedback-2021"}
        with pytest.raises(ValueError, match="metrics present: d, r"):
            psychotherapy.effect_sizes("OR")

    def test_conversions_match_the_paper(self):
        # Flückiger et al. 2018 report r = .278 as d = .579.
        assert psychotherapy.r_to_d(0.278) == pytest.approx(0.579, abs=0.001)
        assert psychotherapy.variance_explained(0.278) == pytest.approx(0.0773, abs=1e-4)
        assert psychotherapy.r_to_d(-0.5) == pytest.approx(-2 * 0.5 / math.sqrt(0.75))
        summary = psychotherapy.alliance_summary()
        assert summary["d"] == pytest.approx(0.579, abs=0.001) and summary["k_studies"] == 295

    @pytest.mark.parametrize("r,error,match", [(1.0, ValueError, "strictly between -1 and 1"),
                                               (-1.5, ValueError, "strictly between -1 and 1"),
                                               (float("nan"), ValueError, "must be finite"),
                                               ("0.3", TypeError, "must be a number")])
    def test_bad_correlations(self, r, error, match):
        with pytest.raises(error, match=match):
            psychotherapy.r_to_d(r)
        with pytest.raises(error, match=match):
            psychotherapy.variance_explained(r)

    def test_d_to_r_and_the_common_r_scale(self):
        assert psychotherapy.d_to_r(0.15) == pytest.approx(0.0747, abs=1e-4)
        assert psychotherapy.d_to_r(psychotherapy.r_to_d(0.278)) == pytest.approx(0.278)
        with pytest.raises(ValueError, match="finite"):
            psychotherapy.d_to_r(float("inf"))
        with pytest.raises(TypeError, match="must be a number"):
            psychotherapy.d_to_r("0.2")
        table = psychotherapy.relationship_factors_on_r_scale().set_index("factor")
        assert table.at["positive regard", "reported"] == "g = 0.28"
        assert table.at["positive regard", "on the r scale"] == pytest.approx(0.14, abs=0.005)  # g/sqrt(g^2+4)
        assert table.at["empathy", "on the r scale"] == 0.28

    def test_citation_keeps_surname_particle(self):
        assert psychotherapy.citation("dejong2021") == "de Jong et al. 2021"
        assert psychotherapy.citation("fluckiger2018") == "Flückiger et al. 2018"
        with pytest.raises(data.UnknownNameError, match="unknown reference key"):
            psychotherapy.citation("nobody1900")


# --- Figures ----------------------------------------------------------------------------------------

class TestFigures:
    def test_forest_puts_d_on_its_own_axis(self):
        fig = pfig.forest_figure()
        assert fig.data[0].xaxis != fig.data[1].xaxis
        assert len(fig.data[0].x) == 5 and list(fig.data[1].x) == [0.15]
        assert all("ps-" not in y for y in fig.data[0].y)
        with pytest.raises(ValueError, match="unknown factor"):
            pfig.forest_figure(["astrology"])

    def test_forest_description(self):
        text = pfig.describe_forest()
        assert "r = 0.28 (95% CI 0.26 to 0.30, k = 295, Flückiger et al. 2018)" in text
        assert "d = 0.15" in text and "its own axis" in text
        assert "not independent replications" in text and "about r = 0.07" in text
        horvath = [lab for lab in psychotherapy.effect_sizes()["label"] if "Horvath" in lab]
        assert "not independent" not in pfig.describe_forest(horvath)
        assert "shares many studies with Flückiger" in " ".join(pfig.forest_trace_data(horvath)[0]["customdata"])
        assert "routine feedback (d)" in pfig.FOREST_TITLE
        assert "No factor is selected" in pfig.describe_forest([])

    def test_scorecard_cells_all_have_text_and_categorical_colours(self):
        fig = pfig.scorecard_figure("lithium")
        heat = fig.data[0]
        assert np.array(heat.text).shape == (4, 7)
        assert all(cell in psychotherapy.RATINGS.values() for row in heat.text for cell in row)
        colours = {c for _, c in heat.colorscale}
        assert colours == set(pfig.RATING_COLOURS.values())
        shape = fig.layout.shapes[0]
        assert shape.visible and (shape.y0, shape.y1) == (1.5, 2.5)
        assert pfig.scorecard_figure().layout.shapes[0].visible is False

    def test_untested_sits_outside_the_ordered_scale(self):
        assert list(psychotherapy.RATINGS)[-1] == "untested"
        assert list(psychotherapy.RATINGS)[:4] == ["met", "partly", "contested", "not_met"]
        assert len(set(pfig.RATING_COLOURS.values())) == len(pfig.RATING_COLOURS)

    def test_colourscale_maps_each_code_to_its_rating_colour(self):
        scale = pfig._rating_colourscale()
        n = len(psychotherapy.RATINGS)
        for code, rating in enumerate(psychotherapy.RATINGS):
            position = (code + 0.5) / n  # zmin = -0.5, zmax = n - 0.5
            colour = next(c for (p0, c), (p1, _) in zip(scale[::2], scale[1::2]) if p0 <= position <= p1)
            assert colour == pfig.RATING_COLOURS[rating]

    def test_mediation_figure_and_description(self):
        result = mediation.run(a=0.5, b=0.0, confounding=1.0, n=5000)
        fig = pfig.mediation_figure(result)
        assert len(fig.data) == 6 and list(fig.data[0].y) == [0.5, 0.0, 0.0, 0.2]
        assert sum(len(t.x) for t in fig.data[2:4]) == pfig.SCATTER_POINTS
        # the estimates' values and the naive correlation are text traces (data), the titles never change
        labels = fig.data[pfig.ESTIMATE_LABELS]
        assert list(labels.text) == [mediation.fmt(v) for v in fig.data[1].y]
        assert fig.data[pfig.CORRELATION_LABEL].text == (f"r(mediator, outcome) = {result.naive_r:.2f}",)
        assert [a.text for a in fig.layout.annotations] == ["True causal paths vs<br>what the analysis estimates",
                                                            "Naive correlation"]
        text = pfig.describe_mediation(result)
        assert "a patient trait raises both" in text and "Misleading" in text
        assert f"r = {result.naive_r:.2f}" in text


# --- Widgets ----------------------------------------------------------------------------------------

class TestMediationExplorer:
    def test_every_toggle_combination(self):
        demo = pw.mediation_explorer()
        seen = set()
        for confounded, reversed_, timing in itertools.product((False, True), (False, True), mediation.TIMINGS):
            demo.controls["confounded"].value = confounded
            demo.controls["reversed"].value = reversed_
            demo.controls["timing"].value = timing
            text = demo.description.value
            assert f"measured {timing}" in text
            assert ("a patient trait raises both" in text) == confounded
            assert ("improvement already made leaks" in text) == reversed_
            assert demo.controls["confounding"].disabled != confounded
            assert demo.controls["reverse"].disabled != reversed_
            assert demo.result.scenario.confounding == (1.0 if confounded else 0.0)
            seen.add(tuple(np.round(demo.figure.data[1].y, 6)))
            assert demo.figure.layout.annotations[1].text.startswith("Naive correlation")
        assert len(seen) >= 8  # the estimates really change with the toggles

    def test_slider_extremes(self):
        demo = pw.mediation_explorer(confounded=True, reversed_=True)
        c = demo.controls
        for a, b, cp, n, g, r in itertools.product((-2.0, 2.0), (-2.0, 2.0), (-2.0, 2.0), (20, 5000), (0.0, 2.0),
                                                   (0.0, 2.0)):
            with demo.hold_trait_notifications():
                c["a"].value, c["b"].value, c["c_prime"].value = a, b, cp
                c["n"].value, c["confounding"].value, c["reverse"].value = n, g, r
            demo.update()
            res = demo.result
            assert (res.scenario.a, res.scenario.n, res.scenario.reverse) == (a, n, r)
            values = [res.a_hat, res.b_hat, res.indirect_hat, res.indirect_low, res.indirect_high, res.naive_r]
            assert all(math.isfinite(v) for v in values)
            lo, hi = demo.figure.layout.yaxis.range
            assert -pfig.AXIS_CAP <= lo and hi <= pfig.AXIS_CAP  # clipped axis, never squashed
            assert lo <= min(a, b, cp, a * b) and hi >= max(a, b, cp, a * b)  # every true bar is visible
            estimates = (res.a_hat, res.b_hat, res.indirect_hat, res.c_prime_hat)
            off = any(not lo <= e <= hi for e in estimates)
            assert ("Off the scale of the left panel" in demo.description.value) == off
            assert "True indirect effect" in demo.description.value
            fig = demo.figure  # axes that change in steps must still hold every patient and every label
            for trace in fig.data[2:4]:
                assert fig.layout.xaxis2.range[0] <= min(trace.x) and max(trace.x) <= fig.layout.xaxis2.range[1]
                assert fig.layout.yaxis2.range[0] <= min(trace.y) and max(trace.y) <= fig.layout.yaxis2.range[1]
            assert all(lo <= y <= hi for y in fig.data[pfig.ESTIMATE_LABELS].y)

    def test_sample_size_and_seed_change_the_picture(self):
        demo = pw.mediation_explorer()
        before = tuple(demo.figure.data[1].y)
        demo.controls["n"].value = 20
        assert len(demo.figure.data[2].x) + len(demo.figure.data[3].x) == 20
        demo.controls["seed"].value = 99
        assert tuple(demo.figure.data[1].y) != before and "seed 99" in demo.description.value

    def test_bad_start_values(self):
        with pytest.raises(ValueError, match="outside the simulator's range"):
            pw.mediation_explorer(n=10)
        with pytest.raises(ValueError, match="unknown timing"):
            pw.mediation_explorer(timing="never")

    def test_extreme_setting_names_the_off_scale_estimate(self):
        result = mediation.run(a=2.0, b=2.0, c_prime=2.0, confounding=2.0, reverse=2.0, timing=LATE)
        fig = pfig.mediation_figure(result)
        assert list(fig.layout.yaxis.range)[1] == pfig.AXIS_CAP
        assert f"estimated a = {mediation.fmt(result.a_hat)}" in pfig.describe_mediation(result)
        assert pfig.off_scale_note(mediation.run()) == ""


class TestOtherWidgets:
    def test_scorecard_explorer_every_treatment(self):
        demo = pw.scorecard_explorer()
        for i, (key, label) in enumerate(psychotherapy.TREATMENTS.items()):
            demo.controls["treatment"].value = key
            assert (demo.figure.layout.shapes[0].y0, demo.figure.layout.shapes[0].y1) == (i - 0.5, i + 0.5)
            assert label in demo.description.value and label in demo.details.value
            first = psychotherapy.treatment_row(key)["How the evidence meets it"][0]
            assert first[:40].replace("'", "&#x27;") in demo.details.value or first[:20] in demo.details.value
        with pytest.raises(data.UnknownNameError):
            pw.scorecard_explorer("homeopathy")

    def test_forest_explorer_toggles(self):
        demo = pw.forest_explorer()
        assert len(demo.toggles) == 6
        rows = list(demo.figure.data[0].y) + list(demo.figure.data[1].y)
        assert sorted(rows) == sorted(demo.toggles)  # one row per factor, whatever is switched on

        def drawn() -> dict:
            """factor -> (estimate drawn, 'switched off' written) for every row of both panels."""
            points, words = demo.figure.data[:2], demo.figure.data[2:4]
            def visible(x, axis) -> bool:  # parked points sit left of the axis range, clipped
                return demo.figure.layout[axis].range[0] <= x <= demo.figure.layout[axis].range[1]

            return {label: (visible(x, axis), visible(x_off, axis) and text == pfig.FOREST_OFF_TEXT)
                    for trace, off, axis in zip(points, words, ("xaxis", "xaxis2"))
                    for label, x, x_off, text in zip(trace.y, trace.x, off.x, off.text)}

        for toggle in demo.toggles.values():
            toggle.value = False
        assert set(drawn().values()) == {(False, True)}
        assert "No factor" in demo.figure.layout.title.text and "No factor is selected" in demo.description.value
        for label, toggle in demo.toggles.items():
            toggle.value = True
            assert {k: v for k, v in drawn().items()} == {k: ((True, False) if k == label else (False, True))
                                                          for k in demo.toggles}
            toggle.value = False
        for count, toggle in enumerate(demo.toggles.values()):
            toggle.value = True
            if count:  # the first one also changes the title; after it only points and words change, no row moves
                assert demo.figure.last_redraw == "quick"
        assert set(drawn().values()) == {(True, False)} and demo.figure.layout.title.text == pfig.FOREST_TITLE
        estimates = dict(zip(psychotherapy.effect_sizes()["label"], psychotherapy.effect_sizes()["estimate"]))
        assert dict(zip(demo.figure.data[0].y, demo.figure.data[0].x)) == {
            k: v for k, v in estimates.items() if k in demo.figure.data[0].y}

    def test_part_ab_explorer(self):
        demo = pw.part_ab_explorer()
        for key, label in psychotherapy.TREATMENTS.items():
            demo.controls["treatment"].value = key
            assert "Part A" in demo.view.value and "Part B" in demo.view.value and label in demo.description.value
