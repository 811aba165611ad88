"""A deterministic, seeded simulator of a two-arm therapy trial with a candidate mediator.

The teaching question: a process measure (say, the therapeutic alliance) correlates with outcome. Is it the
mechanism? The simulator generates patients from a known causal model, then analyses them the way a trial
would, so the true paths and the estimated ones can be put side by side.

Causal model (all variables in standard-deviation units; arrows are linear effects)::

    T  -> M       a        therapy (T = 1) versus control (T = 0) changes the true mediator M
    M  -> Y       b        the true mediator changes the outcome Y (improvement; higher is better)
    T  -> Y       c'       direct effect of therapy that does not pass through M
    U  -> M, Y    g        a patient trait U (confounder) raises both M and Y       (toggle: confounding)
    Y  -> M_obs   r * w    improvement already made by the measurement session      (toggle: reverse causation)
                           leaks into the rating of the mediator
    M_obs = M + r * w * Y + e_obs,   e_obs ~ N(0, s_w^2)

``w`` (share of the improvement already made) and ``s_w`` (extra measurement noise: an alliance rated before
it has formed is noisy) depend on when the mediator is measured, see :data:`TIMINGS`.

Analysis (what a trial reports), by ordinary least squares with ``numpy.linalg.lstsq``::

    M_obs ~ 1 + T           -> a_hat
    Y     ~ 1 + T + M_obs   -> c'_hat, b_hat
    indirect effect         =  a_hat * b_hat
    its standard error      =  sqrt(a_hat^2 se_b^2 + b_hat^2 se_a^2 + se_a^2 se_b^2)   (second-order delta method)
    95% intervals           =  estimate +/- t(0.975, n - 3) x standard error            (for a, b, c' and a x b)
    naive correlation       =  corr(M_obs, Y) across all patients

The t quantile (rather than 1.96) and the second-order term keep the interval's coverage near 95% in small
trials (tests check it over many seeds); the interval is still symmetric, which for a product is only an
approximation.

The true indirect effect is ``a * b``: the part of the therapy's effect that actually passes through M.

Random draws for the largest trial are made once per seed and cached; a smaller trial uses the first ``n``
patients, so moving the sample-size slider adds or removes patients rather than redrawing everyone, and a
widget callback costs well under a millisecond of arithmetic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from numbers import Integral

import numpy as np

from helpers.core.validate import check_number

N_MIN = 20  # below this the regression has too few patients per estimated coefficient to be meaningful
N_MAX = 5000
EFFECT_RANGE = (-2.0, 2.0)  # path coefficients a, b, c' in SD units
CONFOUNDING_RANGE = (0.0, 2.0)  # effect of the confounder on both the mediator and the outcome
REVERSE_RANGE = (0.0, 2.0)  # effect of improvement-so-far on the mediator rating
Z95 = 1.959963984540054

# When the mediator is rated: (share of the final improvement already made, SD of extra measurement noise).
# These are TEACHING ASSUMPTIONS of the simulator, not estimates from data: real patients often improve a good
# deal in the first few sessions, so a real early rating may be less protected than this suggests.
TIMINGS = {
    "early (session 2)": (0.1, 0.75),
    "middle (session 5)": (0.4, 0.0),
    "late (last session)": (1.0, 0.0),
}


@dataclass(frozen=True)
class Scenario:
    """The true causal model of one simulated trial (see the module docstring for the symbols)."""

    a: float = 0.5
    b: float = 0.5
    c_prime: float = 0.2
    confounding: float = 0.0
    reverse: float = 0.0
    timing: str = "middle (session 5)"
    n: int = 500
    seed: int = 2026

    def __post_init__(self):
        for name in ("a", "b", "c_prime"):
            check_number(getattr(self, name), name, low=EFFECT_RANGE[0], high=EFFECT_RANGE[1],
                         hint="an effect in SD units")
        check_number(self.confounding, "confounding", low=CONFOUNDING_RANGE[0], high=CONFOUNDING_RANGE[1],
                     hint="a confounder strength")
        check_number(self.reverse, "reverse", low=REVERSE_RANGE[0], high=REVERSE_RANGE[1],
                     hint="a reverse-causation strength")
        if self.timing not in TIMINGS:
            raise ValueError(f"unknown timing {self.timing!r}; choose one of: {', '.join(TIMINGS)}")
        if isinstance(self.n, bool) or not isinstance(self.n, Integral):
            raise TypeError(f"n must be a whole number of patients (got {self.n!r})")
        if self.n < 0:
            raise ValueError(f"n must not be negative (got {self.n}); use {N_MIN} to {N_MAX} patients")
        if not N_MIN <= self.n <= N_MAX:
            raise ValueError(f"n = {self.n} is outside the simulator's range: use {N_MIN} to {N_MAX} patients "
                             f"({N_MIN} is the smallest trial a three-coefficient regression can describe)")
        if isinstance(self.seed, bool) or not isinstance(self.seed, Integral) or self.seed < 0:
            raise ValueError(f"seed must be a non-negative whole number (got {self.seed!r})")

    @property
    def true_indirect(self) -> float:
        """The true indirect effect a x b (SD units of outcome per unit of treatment)."""
        return self.a * self.b


def t_quantile_975(df: int) -> float:
    """The 97.5th percentile of Student's t with ``df`` degrees of freedom (Cornish-Fisher expansion).

    Abramowitz and Stegun 26.7.5 around the normal quantile; accurate to about 1e-4 for df >= 10 (the simulator
    always has df >= N_MIN - 3 = 17). Used instead of 1.96 so that small trials get honestly wider intervals.
    """
    if isinstance(df, bool) or not isinstance(df, Integral) or df < 1:
        raise ValueError(f"degrees of freedom must be a whole number >= 1 (got {df!r})")
    z, v = Z95, float(df)
    return (z + (z**3 + z) / (4 * v) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
            + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3)
            + (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / (92160 * v**4))


@dataclass(frozen=True)
class Estimate:
    """What the trial's analysis reports, next to the truth it was generated from."""

    scenario: Scenario
    a_hat: float
    b_hat: float
    c_prime_hat: float
    se_a: float
    se_b: float
    se_c_prime: float
    indirect_hat: float
    indirect_low: float
    indirect_high: float
    naive_r: float
    t_crit: float = Z95  # critical value used for every 95% interval (t with n - 3 degrees of freedom)

    def interval(self, path: str) -> tuple[float, float]:
        """95% interval of one estimated path: ``'a'``, ``'b'``, ``'c_prime'`` or ``'indirect'``."""
        if path == "indirect":
            return self.indirect_low, self.indirect_high
        if path not in ("a", "b", "c_prime"):
            raise ValueError(f"unknown path {path!r}; choose one of: a, b, c_prime, indirect")
        value, se = getattr(self, f"{path}_hat"), getattr(self, f"se_{path}")
        return value - self.t_crit * se, value + self.t_crit * se

    @property
    def indirect_excludes_zero(self) -> bool:
        """True when the 95% interval of the estimated indirect effect does not include 0."""
        return self.indirect_low > 0 or self.indirect_high < 0


def describe_timings() -> str:
    """The simulator's timing assumptions in words, computed from :data:`TIMINGS`."""
    parts = []
    for label, (share, noise) in TIMINGS.items():
        noise_text = f", and the rating carries extra noise (SD {noise:g})" if noise else ""
        parts.append(f"{label}: {share:.0%} of the final improvement has happened{noise_text}")
    return "Simulator assumptions, not data. " + "; ".join(parts) + "."


_T_CRIT = {n: t_quantile_975(n - 3) for n in range(N_MIN, N_MAX + 1)}  # three coefficients per regression


@lru_cache(maxsize=16)
def _draws(seed: int) -> dict[str, np.ndarray]:
    """Every random number a trial of N_MAX patients needs, drawn once per seed (read-only arrays)."""
    rng = np.random.default_rng(seed)
    draws = {
        "treated": (rng.random(N_MAX) < 0.5).astype(float),
        "trait": rng.standard_normal(N_MAX),
        "mediator_noise": rng.standard_normal(N_MAX),
        "outcome_noise": rng.standard_normal(N_MAX),
        "rating_noise": rng.standard_normal(N_MAX),
    }
    for values in draws.values():
        values.flags.writeable = False
    return draws


def simulate_patients(scenario: Scenario) -> dict[str, np.ndarray]:
    """The simulated patients: treatment, confounder, true and measured mediator, outcome.

    Returns
    -------
    dict of str to numpy.ndarray
        ``treated`` (0 control, 1 therapy), ``trait`` (U), ``mediator`` (true M), ``mediator_measured``
        (M_obs, what the trial records) and ``outcome`` (Y, improvement); all length ``scenario.n``, SD units.
    """
    d, s, n = _draws(scenario.seed), scenario, scenario.n
    t, u = d["treated"][:n], d["trait"][:n]
    mediator = s.a * t + s.confounding * u + d["mediator_noise"][:n]
    outcome = s.c_prime * t + s.b * mediator + s.confounding * u + d["outcome_noise"][:n]
    share_done, rating_sd = TIMINGS[s.timing]
    measured = mediator + s.reverse * share_done * outcome + rating_sd * d["rating_noise"][:n]
    return {"treated": t, "trait": u, "mediator": mediator, "mediator_measured": measured, "outcome": outcome}


def _ols(columns: list[np.ndarray], y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """OLS coefficients (intercept first) and their standard errors."""
    x = np.column_stack([np.ones_like(y), *columns])
    coef, _, rank, _ = np.linalg.lstsq(x, y, rcond=None)
    if rank < x.shape[1]:
        raise ValueError("the design is degenerate (for example one arm is empty); use a larger n")
    residual = y - x @ coef
    sigma2 = residual @ residual / (len(y) - x.shape[1])
    se = np.sqrt(np.diag(sigma2 * np.linalg.inv(x.T @ x)))
    return coef, se


def estimate(scenario: Scenario) -> Estimate:
    """Analyse one simulated trial as a mediation study would (see the module docstring)."""
    p = simulate_patients(scenario)
    t, m, y = p["treated"], p["mediator_measured"], p["outcome"]
    (_, a_hat), (_, se_a) = _ols([t], m)
    (_, c_hat, b_hat), (_, se_c, se_b) = _ols([t, m], y)
    indirect = a_hat * b_hat
    se_ab = math.sqrt(a_hat**2 * se_b**2 + b_hat**2 * se_a**2 + se_a**2 * se_b**2)
    t_crit = _T_CRIT[scenario.n]
    naive_r = float(np.corrcoef(m, y)[0, 1])
    return Estimate(scenario, float(a_hat), float(b_hat), float(c_hat), float(se_a), float(se_b), float(se_c),
                    float(indirect), float(indirect - t_crit * se_ab), float(indirect + t_crit * se_ab), naive_r,
                    t_crit)


def run(a: float = 0.5, b: float = 0.5, c_prime: float = 0.2, confounding: float = 0.0, reverse: float = 0.0,
        timing: str = "middle (session 5)", n: int = 500, seed: int = 2026) -> Estimate:
    """Simulate and analyse one trial.

    Parameters
    ----------
    a, b, c_prime : float
        True paths therapy -> mediator, mediator -> outcome and therapy -> outcome directly, in SD units,
        each within :data:`EFFECT_RANGE`.
    confounding : float
        Effect of a patient trait on both mediator and outcome (0 = no confounding), :data:`CONFOUNDING_RANGE`.
    reverse : float
        Effect of improvement already made on the mediator rating (0 = none), :data:`REVERSE_RANGE`.
    timing : str
        When the mediator is rated, a key of :data:`TIMINGS`.
    n : int
        Patients in the trial, :data:`N_MIN` to :data:`N_MAX`.
    seed : int
        Seed for ``numpy.random.default_rng``; the same seed gives the same patients.

    Returns
    -------
    Estimate
    """
    return estimate(Scenario(a, b, c_prime, confounding, reverse, timing, n, seed))


def fmt(value: float) -> str:
    """Two decimals without a negative zero ('-0.00' reads as a finding; it is rounding)."""
    return f"{round(value, 2) + 0.0:.2f}"


def fmt_interval(low: float, high: float) -> str:
    """'low to high' with enough decimals (2 to 5) that a narrow interval does not print as '0.00 to 0.00'."""
    decimals = 2
    while decimals < 5 and round(low, decimals) == round(high, decimals):
        decimals += 1
    return f"{round(low, decimals) + 0.0:.{decimals}f} to {round(high, decimals) + 0.0:.{decimals}f}"


def structural_biases(scenario: Scenario) -> list[str]:
    """The biases built into a scenario, whatever the sample size (empty when the analysis is unbiased).

    Confounding biases b; reverse causation biases b whenever part of the improvement has happened by the
    rating; the extra noise of an early rating attenuates a real b towards zero.
    """
    share_done, rating_sd = TIMINGS[scenario.timing]
    biases = []
    if scenario.confounding > 0:
        biases.append("confounding (a patient trait raises mediator and outcome)")
    if scenario.reverse > 0 and share_done > 0:
        biases.append("reverse causation (improvement so far leaks into the rating)")
    if rating_sd > 0 and scenario.b != 0:
        biases.append("a noisy early rating (it weakens a real b towards zero)")
    return biases


def _b_note(result: Estimate, product_covered: bool) -> str:
    low, high = result.interval("b")
    true_b = result.scenario.b
    if low <= true_b <= high:
        return ""
    note = (f" Note: the estimate of b ({fmt(result.b_hat)}, 95% CI {fmt_interval(low, high)}) misses the true b "
            f"({fmt(true_b)}).")
    if product_covered and result.scenario.a == 0:
        note += " Because a is zero, the product a×b still comes out near zero, but b itself is wrong."
    return note


def verdict(result: Estimate) -> str:
    """Plain sentences: does the 95% interval contain the truth, and is a bias built into the scenario?

    The first word is the headline: Recovered, Inconclusive, Correct, Misleading, False alarm, Biased, Wrong sign
    or Missed. A miss with no bias built in is called a chance miss (about 1 trial in 20), never 'Biased'.
    """
    s = result.scenario
    truth, low, high = s.true_indirect, result.indirect_low, result.indirect_high
    biases = structural_biases(s)
    built_in = f" Built into this scenario: {'; '.join(biases)}." if biases else ""
    covered = low <= truth <= high
    if truth == 0 and covered:
        text = "Correct: in truth there is no indirect effect, and the 95% interval includes zero."
    elif truth == 0 and biases:
        text = ("Misleading: the analysis reports an indirect effect clearly different from zero, yet in truth none "
                "of the therapy's effect passes through the mediator. A larger trial would not fix this.")
    elif truth == 0:
        text = ("False alarm by chance: the 95% interval excludes zero although in truth there is no indirect "
                "effect. With no bias built in, this happens in about 1 trial in 20; try another seed.")
    elif covered:
        text = ("Recovered: the 95% interval of the estimated indirect effect contains the true value."
                if result.indirect_excludes_zero else
                "Inconclusive: the interval contains the true value but also zero; the trial is too small or the "
                "effect too weak to tell.")
    elif biases:
        if high < 0 < truth or low > 0 > truth:
            text = ("Wrong sign: the whole 95% interval lies on the other side of zero from the true indirect "
                    "effect. A larger trial would not fix this.")
        else:
            side = "overestimates" if abs(result.indirect_hat) > abs(truth) else "underestimates"
            text = (f"Biased: the analysis {side} the true indirect effect and its 95% interval misses it; a larger "
                    "trial would make the wrong answer more precise, not more correct.")
    else:
        text = ("Missed: the 95% interval does not contain the true value. In a single trial this happens about 1 "
                "time in 20 by chance; if it persists with the largest sample and other seeds, the analysis is "
                "biased.")
    return text + _b_note(result, covered) + built_in


# Guided scenarios for the notebook: name -> (what it illustrates, settings). Each is a teaching setting, not
# an estimate from data; the papers that illustrate each trap are cited in the notebook's text.
SCENARIOS = {
    "true mediation": ("the mediator carries part of the effect",
                       dict(a=0.5, b=0.5, c_prime=0.2)),
    "true mediation, rated early": ("the same true mediator, rated noisily at session 2: b is weakened",
                                    dict(a=0.5, b=0.5, c_prime=0.2, timing="early (session 2)")),
    "no mediation": ("therapy works directly; the mediator is irrelevant",
                     dict(a=0.0, b=0.0, c_prime=0.5)),
    "confounding": ("a patient trait raises mediator and outcome; b = 0",
                    dict(a=0.5, b=0.0, c_prime=0.5, confounding=1.0)),
    "reverse, rated late": ("early improvement raises the rating; a = b = 0",
                            dict(a=0.0, b=0.0, c_prime=0.5, reverse=1.0, timing="late (last session)")),
    "reverse, rated early": ("the same, but the mediator is rated at session 2",
                             dict(a=0.0, b=0.0, c_prime=0.5, reverse=1.0, timing="early (session 2)")),
    "mediator unaffected by therapy": ("b > 0 but a = 0: it predicts outcome, yet carries none of the effect",
                                       dict(a=0.0, b=0.5, c_prime=0.5)),
}


def scenario_table(n: int = N_MAX, seed: int = 2026):
    """Run every :data:`SCENARIOS` entry and tabulate truth, estimate, naive correlation and verdict.

    Returns
    -------
    pandas.DataFrame
        One row per scenario: true and estimated a×b, its 95% interval, naive r(M, Y) and a one-word verdict.
    """
    import pandas as pd

    rows = []
    for name, (_, settings) in SCENARIOS.items():
        result = run(**settings, n=n, seed=seed)
        rows.append({"scenario": name, "true a×b": fmt(result.scenario.true_indirect),
                     "estimated a×b": fmt(result.indirect_hat),
                     "95% CI": fmt_interval(result.indirect_low, result.indirect_high),
                     "naive r(M,Y)": fmt(result.naive_r), "verdict": verdict(result).split(":")[0]})
    return pd.DataFrame(rows)
