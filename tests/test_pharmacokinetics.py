"""helpers.core.pharmacokinetics against closed forms, properties and bad input."""

import math

import numpy as np
import pytest

from helpers.core import pharmacokinetics as pk

# --- closed forms ----------------------------------------------------------------------------------------------


def test_elimination_rate_and_clearance_by_hand():
    assert pk.elimination_rate(33) == pytest.approx(math.log(2) / 33)
    # k = ln2 / 10 h = 0.0693 /h; V = 100 L -> CL = 6.93 L/h
    assert pk.clearance(10, 100) == pytest.approx(6.931, abs=1e-3)


def test_bolus_halves_every_half_life():
    c = pk.single_dose_concentration([0, 10, 20, 30], 100, 10, 50)
    assert c == pytest.approx([2.0, 1.0, 0.5, 0.25])  # 100 mg / 50 L = 2 mg/L, halving every 10 h


def test_oral_dose_is_the_bateman_function_and_zero_before_the_dose():
    k, ka = math.log(2) / 20, math.log(2) / 2
    t = 7.0
    expected = 0.8 * 60 / 40 * ka / (ka - k) * (math.exp(-k * t) - math.exp(-ka * t))
    assert pk.single_dose_concentration(t, 60, 20, 40, 2, 0.8) == pytest.approx(expected)
    assert pk.single_dose_concentration(-1.0, 60, 20, 40, 2) == 0.0
    assert pk.single_dose_concentration(0.0, 60, 20, 40, 2) == 0.0  # nothing absorbed yet


def test_equal_absorption_and_elimination_uses_the_limit():
    k = math.log(2) / 5
    assert pk.single_dose_concentration(3.0, 10, 5, 1, 5) == pytest.approx(10 * k * 3 * math.exp(-k * 3))
    # continuous across the special case
    assert pk.single_dose_concentration(3.0, 10, 5, 1, 5 * (1 + 1e-6)) == pytest.approx(
        pk.single_dose_concentration(3.0, 10, 5, 1, 5), rel=1e-4)


def test_superposition_is_the_sum_of_single_doses():
    t = np.linspace(0, 100, 201)
    together = pk.concentration(t, [0, 12, 30], [10, 20, 5], 8, 30, 1.5)
    apart = sum(pk.single_dose_concentration(t - s, d, 8, 30, 1.5) for s, d in ((0, 10), (12, 20), (30, 5)))
    assert together == pytest.approx(apart)


def test_a_missed_dose_is_a_zero_and_one_dose_repeats():
    t = np.linspace(0, 96, 97)
    times = pk.dosing_times(24, 4)
    assert pk.concentration(t, times, [5, 5, 0, 5], 10, 10) == pytest.approx(
        pk.concentration(t, [0, 24, 72], 5, 10, 10))
    assert pk.concentration(t, times, 5, 10, 10) == pytest.approx(pk.concentration(t, times, [5] * 4, 10, 10))


def test_steady_state_average_is_f_dose_over_cl_tau():
    assert pk.steady_state_average(20, 24, 2.0, 0.8) == pytest.approx(0.8 * 20 / (2.0 * 24))


def test_simulated_average_at_steady_state_matches_the_closed_form():
    half, vol, tau = 12.0, 50.0, 24.0
    t = np.linspace(0, 30 * 24, 30 * 24 * 20 + 1)  # 30 days, every 3 min
    c = pk.concentration(t, pk.dosing_times(tau, 31), 40, half, vol, 1.0, 0.9)
    last = (t >= 29 * 24) & (t <= 30 * 24)
    average = np.trapezoid(c[last], t[last]) / tau
    assert average == pytest.approx(pk.steady_state_average(40, tau, pk.clearance(half, vol), 0.9), rel=1e-3)


def test_trough_ratio_without_absorption_is_the_closed_form():
    # k tau e^(-k tau) / (1 - e^(-k tau)); half-life = interval gives ln 2 exactly
    assert pk.steady_state_trough_ratio(24, 24) == pytest.approx(math.log(2))
    k = math.log(2) / 360
    assert pk.steady_state_trough_ratio(360, 24) == pytest.approx(k * 24 * math.exp(-k * 24) / (1 - math.exp(-k * 24)))


@pytest.mark.parametrize("half, absorption", [(12.0, None), (33.0, 1.0), (96.0, 1.0), (10.0, 10.0)])
def test_trough_ratio_matches_the_last_simulated_interval(half, absorption):
    tau, n = 24.0, int(30 * 96 / 24) + 1  # 30 half-lives of the longest: at steady state to 1e-9
    t_last = (n - 1) * tau  # just before dose n (doses 0 .. n-1 taken; the last one at t_last)
    c = pk.concentration(np.array([t_last - 1e-9]), pk.dosing_times(tau, n - 1), 1.0, half, 1.0, absorption)
    avg = pk.steady_state_average(1.0, tau, pk.clearance(half, 1.0))
    assert float(c[0]) / avg == pytest.approx(pk.steady_state_trough_ratio(half, tau, absorption), rel=1e-4)


def test_long_half_life_trough_is_close_to_the_average_and_short_is_not():
    assert pk.steady_state_trough_ratio(15 * 24, 24, 1.0) > 0.97
    assert pk.steady_state_trough_ratio(33, 24, 1.0) < 0.8


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 7])
def test_after_n_half_lives_the_fraction_is_one_minus_half_to_the_n(n):
    assert pk.fraction_of_steady_state(n * 33.0, 33.0) == pytest.approx(1 - 0.5 ** n)
    assert pk.time_to_fraction(1 - 0.5 ** n, 33.0) == pytest.approx(n * 33.0)


def test_average_of_simulated_intervals_follows_the_half_life_rule():
    # The average over the n-th interval, relative to steady state, is 1 - 0.5**(n tau / t½) for a bolus
    # schedule with tau = t½: 0.5, 0.75, 0.875 ... ; the accumulated amount at dose times obeys the same rule.
    half = tau = 24.0
    t = np.linspace(0, 5 * tau, 5 * 2400 + 1)
    c = pk.concentration(t, pk.dosing_times(tau, 5), 1.0, half, 1.0)
    css = pk.steady_state_average(1.0, tau, pk.clearance(half, 1.0))
    for n in range(1, 5):
        window = (t >= (n - 1) * tau) & (t <= n * tau)
        area = np.trapezoid(c[window], t[window]) / tau
        # average over interval n = css * (1 - 0.5**n)
        assert area == pytest.approx(css * (1 - 0.5 ** n), rel=1e-3)


def test_time_to_ninety_percent_is_3_32_half_lives():
    assert pk.time_to_fraction(0.9, 10) == pytest.approx(10 * math.log2(10), rel=1e-9)


@pytest.mark.parametrize("half", [0.5, 3.0, 33.0, 24 * 15.0])
@pytest.mark.parametrize("f", [0.0, 0.1, 0.5, 0.9, 0.97, 0.999])
def test_time_to_fraction_inverts_fraction_of_steady_state(half, f):
    assert pk.fraction_of_steady_state(pk.time_to_fraction(f, half), half) == pytest.approx(f, abs=1e-9)


# --- generic curve and tapers ------------------------------------------------------------------------------------


def test_occupancy_curve_and_its_inverse():
    assert pk.occupancy_at([0, 1, 4, 9]) == pytest.approx([0, 0.5, 0.8, 0.9])
    assert pk.dose_for_occupancy(0.8) == pytest.approx(4.0)


def test_linear_taper_removes_equal_doses_and_unequal_occupancy():
    doses = pk.taper_schedule(4, 4, "linear")
    assert doses == pytest.approx([4, 3, 2, 1, 0])
    lost = pk.occupancy_lost_per_step(doses)
    # 0.8 -> 0.75 -> 0.667 -> 0.5 -> 0: the last step removes ten times the first
    assert lost == pytest.approx([0.05, 1 / 12, 1 / 6, 0.5])
    assert lost[-1] == pytest.approx(10 * lost[0])


def test_hyperbolic_taper_removes_equal_occupancy():
    doses = pk.taper_schedule(4, 4, "hyperbolic")
    assert doses == pytest.approx([4, 1.5, 2 / 3, 0.25, 0])  # occupancy 0.8, 0.6, 0.4, 0.2, 0
    assert pk.occupancy_lost_per_step(doses) == pytest.approx([0.2] * 4)


@pytest.mark.parametrize("start", [0.1, 1.0, 4.0, 50.0])
@pytest.mark.parametrize("n", [1, 2, 5, 30])
def test_both_tapers_start_at_the_dose_end_at_zero_and_fall(start, n):
    for kind in pk.TAPER_KINDS:
        doses = pk.taper_schedule(start, n, kind)
        assert len(doses) == n + 1 and doses[0] == pytest.approx(start) and doses[-1] == 0
        assert np.all(np.diff(doses) < 0)
        assert pk.occupancy_lost_per_step(doses).sum() == pytest.approx(pk.occupancy_at(start))


# --- teaching model of adaptation ----------------------------------------------------------------------------


def test_adaptation_to_a_step_is_one_minus_exp():
    t = np.arange(0, 200.0)
    a = pk.adaptation(t, 1.0, 20.0)
    assert a == pytest.approx(1 - np.exp(-t / 20.0))
    assert a[20] == pytest.approx(1 - math.exp(-1))  # 63% after one time constant


def test_adaptation_decays_after_the_drive_stops():
    t = np.arange(0, 100.0)
    drive = np.where(t <= 50, 1.0, 0.0)
    a = pk.adaptation(t, drive, 10.0)
    assert a[60] == pytest.approx(a[50] * math.exp(-1), rel=1e-9)


def test_adaptation_lags_more_with_a_longer_time_constant():
    t = np.arange(0, 24 * 28.0, 6)
    assert pk.adaptation(t, 0.8, 24 * 14)[-1] < pk.adaptation(t, 0.8, 24 * 3)[-1]


# --- bad input -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("half", [0, -5])
def test_half_life_must_be_positive(half):
    with pytest.raises(ValueError, match="half_life_h must be greater than 0"):
        pk.elimination_rate(half)
    with pytest.raises(ValueError, match="half_life_h"):
        pk.concentration([1, 2], [0], 10, half, 10)


def test_negative_dose_is_refused():
    with pytest.raises(ValueError, match="doses_mg must not be negative"):
        pk.concentration([1], [0, 24], [10, -5], 10, 10)
    with pytest.raises(ValueError, match="dose_mg must not be negative"):
        pk.single_dose_concentration(1, -1, 10, 10)
    with pytest.raises(ValueError, match="dose_mg must not be negative"):
        pk.steady_state_average(-1, 24, 1)


@pytest.mark.parametrize("interval", [0, -24])
def test_interval_must_be_positive(interval):
    with pytest.raises(ValueError, match="interval_h must be greater than 0"):
        pk.dosing_times(interval, 3)
    with pytest.raises(ValueError, match="interval_h must be greater than 0"):
        pk.steady_state_average(10, interval, 1)


def test_schedule_out_of_time_order_is_refused_and_named():
    with pytest.raises(ValueError, match="not in time order: dose 3 at 12 h comes before dose 2 at 24 h"):
        pk.concentration([1], [0, 24, 12], 10, 10, 10)


def test_negative_dose_time_and_mismatched_lengths_are_refused():
    with pytest.raises(ValueError, match="dose_times_h must not be negative"):
        pk.concentration([1], [-1, 0], 10, 10, 10)
    with pytest.raises(ValueError, match="same length"):
        pk.concentration([1], [0, 24, 48], [1, 2], 10, 10)


def test_taper_and_other_choices_name_the_valid_ones():
    with pytest.raises(ValueError, match="kind must be one of 'linear', 'hyperbolic'"):
        pk.taper_schedule(4, 4, "exponential")
    with pytest.raises(ValueError, match="n_steps must be a whole number"):
        pk.taper_schedule(4, 0)
    with pytest.raises(ValueError, match="start_multiple must be greater than 0"):
        pk.taper_schedule(0, 3)
    with pytest.raises(ValueError, match="n_doses must be a whole number"):
        pk.dosing_times(24, 2.5)
    with pytest.raises(ValueError, match="fraction .* valid range"):
        pk.time_to_fraction(1.0, 10)
    with pytest.raises(ValueError, match="bioavailability"):
        pk.steady_state_average(10, 24, 1, 80)
    with pytest.raises(ValueError, match="time order"):
        pk.adaptation([0, 2, 1], 1.0, 5)
    with pytest.raises(ValueError, match="time_constant_h must be greater than 0"):
        pk.adaptation([0, 1], 1.0, 0)


def test_non_numbers_are_type_errors():
    with pytest.raises(TypeError):
        pk.elimination_rate("33")
    with pytest.raises(TypeError):
        pk.concentration([1], [0], True, 10, 10)
