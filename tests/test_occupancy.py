"""dose_occupancy and friends: published PET fits, look-up rules and errors."""

import math

import numpy as np
import pytest

from helpers import UnknownNameError, dose_occupancy
from helpers.core import occupancy
from helpers.themes.basics.model import dose_for_occupancy, window_table


class TestPublishedFits:
    """Kapur et al. 1999 (Am J Psychiatry 156:286-293) dose fits and Kapur et al. 2000 thresholds."""

    @pytest.mark.parametrize("drug, emax, ed50", [("risperidone", 0.91, 0.8), ("olanzapine", 0.92, 3.2),
                                                  ("clozapine", 0.71, 112)])
    def test_kapur_1999_d2_fits(self, drug, emax, ed50):
        fit = occupancy.occupancy_fit(drug, "D2")
        assert (fit["emax"], fit["ed50"]) == (emax, ed50)
        assert dose_occupancy(drug, "D2", ed50) == pytest.approx(emax / 2)

    def test_kapur_2000_window(self):
        from helpers.themes.basics.model import thresholds_for

        lines = dict(zip(thresholds_for("D2")["outcome"], thresholds_for("D2")["occupancy"]))
        assert sorted(lines.values()) == [0.65, 0.72, 0.78]

    def test_clozapine_never_reaches_eps_line(self):
        assert dose_for_occupancy("clozapine", "D2", 0.78) == math.inf
        table = window_table(["clozapine", "risperidone"], "D2")
        assert "never" in table.iloc[0].to_list()
        # Clozapine's fit crosses the response line only above the doses studied (75-900 mg/day).
        assert "beyond studied" in table.iloc[0].to_list()
        assert "beyond studied" not in table.iloc[1].to_list()

    def test_dose_for_occupancy_inverts_the_fit(self):
        dose = dose_for_occupancy("olanzapine", "D2", 0.65)
        assert dose_occupancy("olanzapine", "D2", dose) == pytest.approx(0.65)

    def test_every_fit_comes_from_a_pet_study_with_its_size(self):
        fits = occupancy.data.table("occupancy_fits")
        assert set(fits["drug"]) >= {"risperidone", "olanzapine", "clozapine"}
        assert fits["n_subjects"].notna().all() and fits["tracer"].notna().all()


class TestMeasuredOccupancy:
    """Points measured by PET/SPECT (Meyer et al. 2001; Klein et al. 2006, 2007; Mamo et al. 2007)."""

    def test_meyer_2001_steady_state_values(self):
        from helpers.themes.basics.model import measurements_for

        rows = measurements_for("SERT")
        pick = rows[(rows["source"] == "meyer2001")].set_index("drug")["occupancy"].astype(float)
        assert pick.to_dict() == {"citalopram": 0.77, "paroxetine": 0.83}

    def test_usual_ssri_doses_sit_near_the_80_percent_line(self):
        """Meyer et al. 2004: 76-85% at minimum therapeutic doses; repeated-dosing points agree within 20 points."""
        from helpers.themes.basics.model import measurements_for, thresholds_for

        line = float(thresholds_for("SERT")["occupancy"].iloc[0])
        rows = measurements_for("SERT")
        repeated = rows[~rows["regimen"].str.startswith("single")]
        assert line == 0.8 and ((repeated["occupancy"].astype(float) - line).abs() < 0.2).all()

    def test_single_doses_rise_with_dose(self):
        from helpers.themes.basics.model import measurements_for

        rows = measurements_for("SERT")
        esc = rows[(rows["drug"] == "escitalopram") & rows["regimen"].str.startswith("single")]
        assert list(esc["occupancy"].astype(float)) == sorted(esc["occupancy"].astype(float))

    def test_aripiprazole_sits_above_the_eps_line(self):
        from helpers.themes.basics.model import measurements_for

        ari = measurements_for("D2").set_index("drug")["occupancy"].astype(float)["aripiprazole"]
        assert ari > 0.78


class TestDoseOccupancyInterface:
    def test_zero_dose_is_zero(self):
        assert dose_occupancy("risperidone", "D2", 0) == 0.0

    def test_names_are_case_insensitive_and_accept_gene_symbols(self):
        assert dose_occupancy("RISPERIDONE", "drd2", 2) == dose_occupancy("risperidone", "D2", 2)

    def test_arrays(self):
        doses = np.array([0, 1, 2, 4, 8])
        occ = dose_occupancy("olanzapine", "D2", doses)
        assert occ.shape == (5,) and np.all(np.diff(occ) > 0) and occ[0] == 0

    def test_monotonic_and_bounded_by_emax(self):
        occ = dose_occupancy("risperidone", "D2", np.logspace(-2, 4, 100))
        assert np.all(np.diff(occ) > 0) and occ.max() < 0.91

    @pytest.mark.parametrize("dose, message", [(-1, "must not be negative"), (math.nan, "finite"),
                                               (math.inf, "finite"), ([1, -2], "must not be negative")])
    def test_bad_dose(self, dose, message):
        with pytest.raises(ValueError, match=message):
            dose_occupancy("risperidone", "D2", dose)

    def test_unknown_drug_lists_choices(self):
        with pytest.raises(UnknownNameError, match=r"unknown drug 'risperdone'\. Did you mean 'risperidone'"):
            dose_occupancy("risperdone", "D2", 2)

    def test_unknown_target_lists_choices(self):
        with pytest.raises(UnknownNameError, match=r"unknown target 'D7'.*Known targets: .*D2 \(DRD2\)"):
            dose_occupancy("risperidone", "D7", 2)

    def test_missing_fit_says_which_targets_have_fits(self):
        with pytest.raises(UnknownNameError, match=r"no dose occupancy fit for risperidone at SERT; risperidone has dose fits for: D2"):
            dose_occupancy("risperidone", "SERT", 2)

    def test_drug_without_any_fit(self):
        with pytest.raises(UnknownNameError, match=r"no dose occupancy fit for caffeine; drugs with dose fits: "):
            dose_occupancy("caffeine", "A1", 100)


class TestAffinity:
    def test_ssris_prefer_sert(self):
        for drug in ("citalopram", "fluoxetine", "paroxetine", "sertraline"):
            sert = occupancy.affinity(drug, "SERT")["value"]
            assert sert < occupancy.affinity(drug, "NET")["value"] / 10, drug

    def test_occupancy_from_affinity_at_ki_is_half(self):
        ki = occupancy.affinity("paroxetine", "SERT")["value"]
        assert occupancy.affinity_occupancy("paroxetine", "SERT", ki) == pytest.approx(0.5)

    def test_contested_value_is_flagged_not_preferred(self):
        rows = occupancy.affinity_table()
        contested = rows[rows["contested"]]
        for _, row in contested.iterrows():
            chosen = occupancy.affinity(row["drug"], row["target"])
            others = rows[(rows["drug"] == row["drug"]) & (rows["target"] == row["target"]) & ~rows["contested"]]
            assert chosen["contested"] == others.empty

    def test_missing_affinity_lists_what_exists(self):
        with pytest.raises(UnknownNameError, match="no affinity stored for caffeine at SERT; caffeine has affinities at: "):
            occupancy.affinity("caffeine", "SERT")


class TestCaffeine:
    def test_one_cup_is_low_micromolar(self):
        nM, sources = occupancy.caffeine_per_cup_nM()
        # Hand value: 10 mg/L after 5 mg/kg; 80.1 mg in a 70 kg adult is 1.144 mg/kg -> 2.29 mg/L -> 11.8 uM.
        assert nM == pytest.approx(10.0 * (80.1 / 70) / 5 / 194.19 * 1e6, rel=0.02)
        assert "lelo1986" in sources

    def test_unknown_drink(self):
        with pytest.raises(UnknownNameError, match="drinks: brewed coffee"):
            occupancy.caffeine_per_cup_nM("cola")

    def test_exposure_conversion(self):
        assert occupancy.convert_exposure(185, "ng/mL", "uM", "ketamine") == pytest.approx(0.778, abs=0.002)
        assert occupancy.convert_exposure(1.0, "mmol/L", "mM", "lithium") == 1.0
        with pytest.raises(ValueError, match="units must be among"):
            occupancy.convert_exposure(1, "mg", "uM", "caffeine")


def test_rule_table_matches_textbook():
    table = occupancy.occupancy_rule_table()
    assert dict(zip(table["concentration (x Kd)"], table["occupied (%)"]))[1] == 50.0
    assert dict(zip(table["concentration (x Kd)"], table["occupied (%)"]))[9] == 90.0
