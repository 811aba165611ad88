"""The one way this package checks numeric input: :func:`check_number` for scalars, :func:`check_array` for arrays.

Every model function checks its numeric arguments with one of these two calls, so bad input always fails the
same way, before any arithmetic, and nothing is clipped or silently repaired:

* ``TypeError`` when the value is not a number at all: a string (even ``"0.5"``), ``None``, a bool (``True``
  is an ``int`` to Python but never a dose), a complex number.
* ``ValueError`` when it is a number but NaN or infinite (``"... must be finite"``), or outside the bounds
  the caller gives. The message names the argument, the value given, its unit and the valid range:

  ========================================  ==============================================================
  bounds                                    message
  ========================================  ==============================================================
  ``low=0``                                 ``dose must not be negative (got -1 mg/day)``
  ``low=0, low_inclusive=False``            ``clearance must be greater than 0 mL/min (got 0 mL/min)``
  ``low=-1``                                ``efficacy must be at least -1 (got -2)``
  ``high=1`` / ``high_inclusive=False``     ``... must be at most 1 (got 2)`` / ``... must be below 1 ...``
  ``low=0, high=1``                         ``F = 1.5 is outside its valid range 0 to 1``
  ``low=-1, high=1``, both exclusive        ``r = 1.0 is outside its valid range, strictly between -1 and 1``
  ``low=0, high=1, high_inclusive=False``   ``f = 1.0 is outside its valid range, 0 to below 1``
  ========================================  ==============================================================

  An optional ``hint`` (what the quantity is, or how to fix it) is added in parentheses.

Checks that are not about one number's type and size stay with their callers: choices from a list (units,
modes, timings) and whole-number counts such as a sample size or a random seed.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np

__all__ = ["check_array", "check_number"]


def check_number(value, name: str, unit: str = "", *, low: float | None = None, high: float | None = None,
                 low_inclusive: bool = True, high_inclusive: bool = True, hint: str = "") -> float:
    """Check one real number and return it as a ``float``.

    Parameters
    ----------
    value : object
        The input to check. Python and NumPy real numbers (``int``, ``float``, ``np.float64``, ``np.int64``)
        are accepted; bools, strings (even ``"0.5"``), ``None``, arrays and anything else are not (use
        :func:`check_array` where an array is meant).
    name : str
        The argument's name as the user knows it (``"clearance"``, ``"serum lithium"``); starts every message.
    unit : str, optional
        Unit shown after the value and the bounds in messages (``"mmol/L"``); empty for unitless numbers.
    low, high : float, optional
        Bounds of the valid range; ``None`` (the default) for no bound.
    low_inclusive, high_inclusive : bool, optional
        Whether the bound itself is allowed (default True). ``low=0, low_inclusive=False`` means "> 0".
    hint : str, optional
        What the quantity is or how to fix the input (``"a correlation"``, ``"write 0.8, not 80"``).

    Returns
    -------
    float
        ``value`` as a float, unchanged.

    Raises
    ------
    TypeError
        ``"<name> must be a number ..."`` for bools and non-numbers.
    ValueError
        ``"<name> must be finite ..."`` for NaN and infinity; a message naming the violated bound, the value
        and the unit when the number is out of range.

    Examples
    --------
    >>> check_number(0.8, "serum lithium", "mmol/L", low=0)
    0.8
    >>> check_number(-0.2, "serum lithium", "mmol/L", low=0)
    Traceback (most recent call last):
    ...
    ValueError: serum lithium must not be negative (got -0.2 mmol/L)
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
        what = f" in {unit}" if unit else ""
        raise TypeError(f"{name} must be a number{what}{_detail(hint, repr(value))}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite{_detail(hint, _with_unit(value, unit))}")
    if _outside(number, low, high, low_inclusive, high_inclusive):
        raise ValueError(_range_message(name, unit, low, high, low_inclusive, high_inclusive, hint,
                                        _with_unit(value, unit)))
    return number


def check_array(value, name: str, unit: str = "", *, low: float | None = None, high: float | None = None,
                low_inclusive: bool = True, high_inclusive: bool = True, hint: str = "") -> np.ndarray:
    """Check a number or an array of numbers elementwise and return it as a float array.

    The array-accepting models (``helpers.core.pharmacology``) use this: a scalar comes back as a 0-d array,
    so ``np.ndim`` still tells a scalar call from an array call and the model can return a ``float`` for one.

    Parameters
    ----------
    value : scalar, sequence or ndarray
        Real numbers of any shape. Bool, string, complex and other non-numeric inputs are rejected.
    name, unit, low, high, low_inclusive, high_inclusive, hint
        As in :func:`check_number`; the bounds apply to every element.

    Returns
    -------
    ndarray of float
        ``np.asarray(value, dtype=float)``, same shape as ``value`` (0-d for a scalar).

    Raises
    ------
    TypeError
        ``"<name> must be a number ..."`` when ``value`` (or an element of it) is not a real number.
    ValueError
        As in :func:`check_number`, for the first offending element; for an array the message gives that
        element and its index (``"dose_mg must not be negative (got -2.0 mg/day at index 1)"``).

    Examples
    --------
    >>> check_array([0.5, 2], "concentration", low=0)
    array([0.5, 2. ])
    >>> check_array(3, "kd", low=0, low_inclusive=False).ndim
    0
    """
    # Lists and tuples are read element by element, so a stray True or "2" in [1.0, True] is not coerced.
    raw = np.asarray(value, dtype=object) if isinstance(value, (list, tuple)) else np.asarray(value)
    if raw.dtype.kind == "O":
        if any(isinstance(v, (bool, np.bool_)) or not isinstance(v, Real) for v in raw.flat):
            raise TypeError(f"{name} must be a number or an array of numbers{_detail(hint, repr(value))}")
    elif raw.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a number or an array of numbers{_detail(hint, repr(value))}")
    array = raw.astype(float)
    finite = np.isfinite(array)
    if not finite.all():
        raise ValueError(f"{name} must be finite{_detail(hint, _element(raw, ~finite, unit))}")
    bad = _outside(array, low, high, low_inclusive, high_inclusive)
    if bad.any():
        raise ValueError(_range_message(name, unit, low, high, low_inclusive, high_inclusive, hint,
                                        _element(raw, bad, unit)))
    return array


# --- message building (private) ---------------------------------------------------------------------------

def _with_unit(value, unit: str) -> str:
    return f"{value} {unit}" if unit else f"{value}"


def _detail(hint: str, got: str) -> str:
    """The parenthesised tail of a message: ``(hint; got ...)`` or ``(got ...)``."""
    return f" ({hint}; got {got})" if hint else f" (got {got})"


def _element(raw: np.ndarray, bad: np.ndarray, unit: str) -> str:
    """The first offending element as given, with its unit, and its index when the input is an array."""
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    shown = _with_unit(raw[index], unit)
    if raw.ndim == 0:
        return shown
    return f"{shown} at index {index[0] if len(index) == 1 else index}"


def _outside(x, low, high, low_inclusive: bool, high_inclusive: bool):
    """True (elementwise for arrays) where ``x`` breaks a bound; ``None`` bounds are not checked."""
    bad = np.zeros(np.shape(x), dtype=bool)
    if low is not None:
        bad |= np.less(x, low) if low_inclusive else np.less_equal(x, low)
    if high is not None:
        bad |= np.greater(x, high) if high_inclusive else np.greater_equal(x, high)
    return bad


def _range_message(name: str, unit: str, low, high, low_inclusive: bool, high_inclusive: bool, hint: str,
                   got: str) -> str:
    """The message for a value outside its bounds: the rule broken, the value given and the valid range."""
    u = f" {unit}" if unit else ""
    if low is not None and high is not None:
        valid = {(True, True): f" {low} to {high}{u}",
                 (False, False): f", strictly between {low} and {high}{u}",
                 (True, False): f", {low} to below {high}{u}",
                 (False, True): f", above {low} up to {high}{u}"}[(low_inclusive, high_inclusive)]
        return f"{name} = {got} is outside its valid range{valid}" + (f" ({hint})" if hint else "")
    if low is not None:
        if low_inclusive:
            rule = "must not be negative" if low == 0 else f"must be at least {low}{u}"
        else:
            rule = f"must be greater than {low}{u}"
    else:
        rule = f"must be at most {high}{u}" if high_inclusive else f"must be below {high}{u}"
    return f"{name} {rule}{_detail(hint, got)}"
