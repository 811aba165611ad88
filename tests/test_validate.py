"""helpers.core.validate: the one input check behind every model function."""

import math
from fractions import Fraction

import numpy as np
import pytest

from helpers.core.validate import check_array, check_number


class TestCheckNumber:
    @pytest.mark.parametrize("value", [0, 0.8, 3, np.float64(0.8), np.int64(2), np.float32(0.5), Fraction(1, 2)])
    def test_real_numbers_come_back_as_floats(self, value):
        out = check_number(value, "x", low=0)
        assert type(out) is float and out == pytest.approx(float(value))

    @pytest.mark.parametrize("value", [True, False, np.bool_(True), "0.5", "abc", None, 1 + 2j, [0.5],
                                       np.array(0.5), np.array([0.5])])
    def test_bools_and_non_numbers_are_type_errors(self, value):
        with pytest.raises(TypeError, match=r"^dose must be a number in mg/day \(got "):
            check_number(value, "dose", "mg/day")

    def test_type_error_shows_the_value_as_given(self):
        with pytest.raises(TypeError, match=r"r must be a number \(a correlation; got '0\.3'\)"):
            check_number("0.3", "r", hint="a correlation")

    @pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, np.float64("nan")])
    def test_nan_and_infinity_are_value_errors(self, value):
        with pytest.raises(ValueError, match=r"^clearance must be finite \(got (nan|inf|-inf) mL/min\)$"):
            check_number(value, "clearance", "mL/min", low=0)

    def test_no_bounds_accepts_any_finite_number(self):
        assert check_number(-1e300, "d") == -1e300

    def test_low_zero_inclusive(self):
        assert check_number(0, "serum lithium", "mmol/L", low=0) == 0.0
        with pytest.raises(ValueError, match=r"^serum lithium must not be negative \(got -0\.2 mmol/L\)$"):
            check_number(-0.2, "serum lithium", "mmol/L", low=0)

    def test_low_zero_exclusive(self):
        assert check_number(1e-12, "clearance", "mL/min", low=0, low_inclusive=False) == 1e-12
        with pytest.raises(ValueError, match=r"^clearance must be greater than 0 mL/min \(got 0 mL/min\)$"):
            check_number(0, "clearance", "mL/min", low=0, low_inclusive=False)

    def test_nonzero_low(self):
        assert check_number(-1, "efficacy", low=-1) == -1.0
        with pytest.raises(ValueError, match=r"^efficacy must be at least -1 \(got -1\.5\)$"):
            check_number(-1.5, "efficacy", low=-1)

    def test_high_only(self):
        assert check_number(3.5, "serum", "mmol/L", high=3.5) == 3.5
        with pytest.raises(ValueError, match=r"^serum must be at most 3\.5 mmol/L \(got 4 mmol/L\)$"):
            check_number(4, "serum", "mmol/L", high=3.5)
        with pytest.raises(ValueError, match=r"^f must be below 1 \(got 1\)$"):
            check_number(1, "f", high=1, high_inclusive=False)

    def test_closed_range_includes_both_ends(self):
        assert check_number(0, "F", low=0, high=1) == 0.0
        assert check_number(1, "F", low=0, high=1) == 1.0
        with pytest.raises(ValueError, match=r"^F = 1\.2 is outside its valid range 0 to 1 \(bioavailability\)$"):
            check_number(1.2, "F", low=0, high=1, hint="bioavailability")
        with pytest.raises(ValueError, match=r"^F = -0\.1 is outside its valid range 0 to 1$"):
            check_number(-0.1, "F", low=0, high=1)

    @pytest.mark.parametrize("edge", [-1, 1, -1.0, 1.0])
    def test_open_range_excludes_both_ends(self, edge):
        assert check_number(0.999, "r", low=-1, high=1, low_inclusive=False, high_inclusive=False) == 0.999
        with pytest.raises(ValueError, match=r"is outside its valid range, strictly between -1 and 1 \(a correlation\)"):
            check_number(edge, "r", low=-1, high=1, low_inclusive=False, high_inclusive=False, hint="a correlation")

    def test_half_open_ranges(self):
        assert check_number(0, "f", low=0, high=1, high_inclusive=False) == 0.0
        with pytest.raises(ValueError, match=r"^f = 1 is outside its valid range, 0 to below 1$"):
            check_number(1, "f", low=0, high=1, high_inclusive=False)
        assert check_number(1, "g", low=0, high=1, low_inclusive=False) == 1.0
        with pytest.raises(ValueError, match=r"^g = 0 is outside its valid range, above 0 up to 1$"):
            check_number(0, "g", low=0, high=1, low_inclusive=False)

    def test_range_message_carries_the_unit(self):
        with pytest.raises(ValueError, match=r"^serum = 9 mmol/L is outside its valid range 0 to 3\.5 mmol/L$"):
            check_number(9, "serum", "mmol/L", low=0, high=3.5)

    def test_hint_goes_with_the_value(self):
        with pytest.raises(ValueError, match=r"^s must not be negative \(multiples of Km; got -1\)$"):
            check_number(-1, "s", low=0, hint="multiples of Km")


class TestCheckArray:
    def test_scalars_stay_zero_dimensional(self):
        out = check_array(3, "kd", low=0, low_inclusive=False)
        assert isinstance(out, np.ndarray) and out.ndim == 0 and out.dtype == float and float(out) == 3.0

    @pytest.mark.parametrize("value", [[0, 1, 2.5], (0, 1, 2.5), np.array([0, 1, 2.5]), np.array([0, 1, 2.5], dtype=object)])
    def test_sequences_become_float_arrays(self, value):
        out = check_array(value, "concentration", low=0)
        assert out.dtype == float and out.shape == (3,) and out.tolist() == [0.0, 1.0, 2.5]

    def test_input_is_not_modified(self):
        given = np.array([1.0, 2.0])
        out = check_array(given, "c", low=0)
        out[0] = 99
        assert given[0] == 1.0

    @pytest.mark.parametrize("value", [True, [True, False], np.array([1, 0], dtype=bool), "1.0", ["1", "2"], None,
                                       [1, None], [1.0, True], 1 + 0j, np.array([1 + 0j])])
    def test_bools_and_non_numbers_are_type_errors(self, value):
        with pytest.raises(TypeError, match=r"^concentration must be a number or an array of numbers \(got "):
            check_array(value, "concentration", low=0)

    @pytest.mark.parametrize("value,shown", [(math.nan, "nan"), (math.inf, "inf"), ([1, math.nan], "nan at index 1"),
                                             (np.array([[1.0, 2.0], [3.0, -math.inf]]), r"-inf at index \(1, 1\)")])
    def test_nan_and_infinity_are_value_errors(self, value, shown):
        with pytest.raises(ValueError, match=rf"^c must be finite \(got {shown}\)$"):
            check_array(value, "c")

    def test_first_offending_element_is_named_with_its_index(self):
        with pytest.raises(ValueError, match=r"^dose_mg must not be negative \(got -2 mg/day at index 1\)$"):
            check_array([1, -2, -3], "dose_mg", "mg/day", low=0)
        with pytest.raises(ValueError, match=r"^dose_mg must not be negative \(got -2 mg/day\)$"):
            check_array(-2, "dose_mg", "mg/day", low=0)

    def test_inclusive_and_exclusive_bounds_apply_to_every_element(self):
        assert check_array([0, 0.5, 1], "emax", low=0, high=1).tolist() == [0, 0.5, 1]
        with pytest.raises(ValueError, match=r"^kd must be greater than 0 \(got 0\.0 at index 0\)$"):
            check_array([0.0, 1.0], "kd", low=0, low_inclusive=False)
        with pytest.raises(ValueError, match=r"^fraction = 1\.0 at index 1 is outside its valid range, 0 to below 1 \(full"):
            check_array([0.2, 1.0], "fraction", low=0, high=1, high_inclusive=False,
                        hint="full occupancy needs infinite concentration")
        with pytest.raises(ValueError, match=r"^emax = 92 is outside its valid range 0 to 1 \(a fraction"):
            check_array(92, "emax", low=0, high=1, hint="a fraction: write 0.92, not 92")

    def test_no_bounds_checks_only_finiteness(self):
        assert check_array([-5, 12], "pki").tolist() == [-5.0, 12.0]

    def test_empty_array_passes(self):
        assert check_array([], "c", low=0).shape == (0,)
