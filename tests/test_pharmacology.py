"""The pure models against textbook values and their defining properties."""

import math

import numpy as np
import pytest

from helpers.core import pharmacology as ph


class TestOccupancy:
    def test_half_occupied_at_kd(self):
        assert ph.occupancy(5.0, 5.0) == pytest.approx(0.5)

    def test_ninety_percent_at_nine_kd(self):
        assert ph.occupancy(9.0, 1.0) == pytest.approx(0.9)

    def test_ninety_nine_percent_at_99_kd(self):
        assert ph.occupancy(99.0, 1.0) == pytest.approx(0.99)

    def test_zero_concentration_zero_occupancy(self):
        assert ph.occupancy(0.0, 3.0) == 0.0

    def test_array_in_array_out_and_monotonic(self):
        c = np.logspace(-3, 3, 50)
        occ = ph.occupancy(c, 1.0)
        assert isinstance(occ, np.ndarray) and occ.shape == c.shape
        assert np.all(np.diff(occ) > 0) and occ[0] > 0 and occ[-1] < 1

    def test_inverse(self):
        assert ph.concentration_for_occupancy(0.8, 2.0) == pytest.approx(8.0)
        assert ph.occupancy(ph.concentration_for_occupancy(0.37, 4.2), 4.2) == pytest.approx(0.37)

    @pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf])
    def test_bad_concentration(self, bad):
        with pytest.raises(ValueError, match="concentration"):
            ph.occupancy(bad, 1.0)

    @pytest.mark.parametrize("bad", [0.0, -2.0, math.nan])
    def test_bad_kd(self, bad):
        with pytest.raises(ValueError, match="kd"):
            ph.occupancy(1.0, bad)

    def test_full_occupancy_has_no_finite_concentration(self):
        with pytest.raises(ValueError, match="below 1"):
            ph.concentration_for_occupancy(1.0, 1.0)


class TestHill:
    def test_half_max_at_ec50(self):
        assert ph.hill_response(3.0, 3.0, emax=80.0) == pytest.approx(40.0)

    def test_steeper_with_higher_hill(self):
        # At 2 x EC50: n=1 gives 2/3, n=2 gives 4/5 of Emax.
        assert ph.hill_response(2.0, 1.0, hill=1) == pytest.approx(2 / 3)
        assert ph.hill_response(2.0, 1.0, hill=2) == pytest.approx(0.8)

    def test_rejects_bad_hill(self):
        with pytest.raises(ValueError, match="hill"):
            ph.hill_response(1.0, 1.0, hill=0)


class TestOperationalModel:
    def test_partial_agonist_maximum(self):
        # Black & Leff: maximum = Emax * tau / (1 + tau); tau = 1 gives half the system maximum.
        assert ph.operational_response(1e9, 1.0, tau=1.0) == pytest.approx(0.5, rel=1e-6)

    def test_receptor_reserve_moves_ec50_below_kd(self):
        # EC50 = KA / (1 + tau): with tau = 9 the half-maximal response needs only Kd/10.
        tau, kd = 9.0, 100.0
        top = tau / (1 + tau)
        assert ph.operational_response(kd / (1 + tau), kd, tau) == pytest.approx(top / 2)

    def test_antagonist_gives_no_response(self):
        assert ph.operational_response(1e3, 1.0, tau=0.0) == 0.0


class TestLigandResponse:
    def test_full_agonist_near_maximum(self):
        assert ph.ligand_response(1e6, 1.0, efficacy=30, basal=0.1) > 0.96

    def test_partial_agonist_plateaus_below_full(self):
        top = ph.ligand_response(1e9, 1.0, efficacy=0.6, basal=0.0)
        assert top == pytest.approx(0.6 / 1.6, rel=1e-6)

    def test_neutral_antagonist_leaves_basal(self):
        assert ph.ligand_response(1e4, 1.0, efficacy=0, basal=0.2) == pytest.approx(0.2)

    def test_inverse_agonist_removes_basal(self):
        assert ph.ligand_response(1.0, 1.0, efficacy=-1, basal=0.2) == pytest.approx(0.1)  # half occupied
        assert ph.ligand_response(1e9, 1.0, efficacy=-1, basal=0.2) == pytest.approx(0.0, abs=1e-8)

    @pytest.mark.parametrize("efficacy", [-1.5, math.nan])
    def test_bad_efficacy(self, efficacy):
        with pytest.raises(ValueError, match="efficacy"):
            ph.ligand_response(1.0, 1.0, efficacy=efficacy)

    def test_bad_basal(self):
        with pytest.raises(ValueError, match="basal"):
            ph.ligand_response(1.0, 1.0, efficacy=1, basal=1.5)


class TestCompetitiveAntagonist:
    def test_dose_ratio(self):
        # Schild: [B] = 9 KB gives a tenfold shift.
        assert ph.antagonist_dose_ratio(9.0, 1.0) == pytest.approx(10.0)

    def test_shifted_occupancy_matches_tenfold_agonist(self):
        base = ph.occupancy(1.0, 1.0)
        shifted = ph.agonist_occupancy_with_antagonist(10.0, 1.0, 9.0, 1.0)
        assert shifted == pytest.approx(base)

    def test_surmountable(self):
        assert ph.agonist_occupancy_with_antagonist(1e9, 1.0, 100.0, 1.0) > 0.999


class TestEnzymeInhibition:
    def test_noncompetitive_half_at_ki(self):
        assert ph.fraction_inhibited(2.0, 2.0, "noncompetitive") == pytest.approx(0.5)

    def test_competitive_weaker_at_high_substrate(self):
        low = ph.fraction_inhibited(1.0, 1.0, "competitive", substrate_over_km=0.1)
        high = ph.fraction_inhibited(1.0, 1.0, "competitive", substrate_over_km=10)
        assert low > high
        # Hand value: S/Km = 1, I = Ki: v_i/v_0 = 2/3, so one third inhibited.
        assert ph.fraction_inhibited(1.0, 1.0, "competitive", 1.0) == pytest.approx(1 / 3)

    def test_uncompetitive_stronger_at_high_substrate(self):
        low = ph.fraction_inhibited(1.0, 1.0, "uncompetitive", substrate_over_km=0.1)
        high = ph.fraction_inhibited(1.0, 1.0, "uncompetitive", substrate_over_km=10)
        assert high > low
        assert ph.fraction_inhibited(1.0, 1.0, "uncompetitive", 1.0) == pytest.approx(1 / 3)

    def test_unknown_mode(self):
        with pytest.raises(ValueError, match="uncompetitive"):
            ph.fraction_inhibited(1.0, 1.0, "allosteric")


class TestUnits:
    def test_ketamine_ng_per_ml_to_um(self):
        # Zanos et al. 2018: 185 ng/mL of ketamine (237.7 g/mol) is about 0.78 uM.
        assert ph.mass_to_molar(185, 237.7) == pytest.approx(0.778, abs=0.001)

    def test_round_trip_mass(self):
        assert ph.molar_to_mass(ph.mass_to_molar(412.0, 309.3), 309.3) == pytest.approx(412.0)

    def test_pki(self):
        assert ph.pki_to_ki(9) == pytest.approx(1.0)
        assert ph.pki_to_ki(4.38, "uM") == pytest.approx(41.7, abs=0.1)  # Hirota 1999 mu-opioid
        assert ph.ki_to_pki(ph.pki_to_ki(7.25)) == pytest.approx(7.25)

    def test_molar_units(self):
        assert ph.convert_concentration(0.8, "mM", "uM") == pytest.approx(800)
        assert ph.convert_concentration(1.0, "mmol/L", "mM") == pytest.approx(1.0)

    def test_unknown_unit(self):
        with pytest.raises(ValueError, match="unknown unit"):
            ph.convert_concentration(1.0, "mg", "nM")


class TestFittedOccupancy:
    def test_half_of_emax_at_ed50(self):
        assert ph.fitted_occupancy(3.2, 0.92, 3.2) == pytest.approx(0.46)

    def test_emax_must_be_fraction(self):
        with pytest.raises(ValueError, match="fraction"):
            ph.fitted_occupancy(1.0, 92, 3.2)
