"""The adjusted impact estimate: what joining changed, once the network's own trend and week are modelled.

Model, per metric, over the N days before and the N days from the join date (``t`` = days from joining):

    log(count_t) = weekday_t + a + b·t + Σ_j s_j·[t ≥ join_j] + Σ_r w_r·[t = r] + e_t,   e_t AR(1)

one step ``s_j`` per exec join date inside the window (so a CEO's effect is separated from the CFO's a
fortnight later), and one dummy ``w_r`` for each of the first ``SETTLE_DAYS`` days from the exec's own join
(r = 0..6): people take a week to notice a new voice, and a ramp forced into a step drags the trend with it
(the demo's CEO, whose lift ramps over a week, came out at +2% instead of +50% without these). The step is
thus the level once the first week is over. Fitted by feasible GLS (statsmodels ``GLSAR`` with a fixed AR
coefficient). The effect of joining is ``exp(s) - 1``. Assumptions, stated because the figure is a claim:

- the pre-join trend is linear in log counts and would have gone on without the join (a counterfactual);
- the weekly pattern is fixed over the window;
- day-to-day noise is AR(1): the coefficient is the lag-1 autocorrelation of the OLS residuals with the
  first-order small-sample bias correction for AR(1) estimates, ``(1 + 3ρ)/n`` (Kendall; Marriott & Pope),
  plus ``k(1 + ρ)/(2n)`` for the k regressors the residuals were taken from, plus half a standard error
  of ρ̂ (``RHO_MARGIN``) for its sampling uncertainty, clipped to [0, 0.95]. Without these the residual
  autocorrelation is biased towards zero and the interval under-covers (0.91 at N = 30 and φ = 0.5 in
  ``bench/impact_validity.py``); the margin costs some power at N = 90;
- the interval is a t interval on the GLS standard error with one degree of freedom spent on ρ;
- when some day has fewer than 5 events, logs mislead: a Poisson GLM (quasi-likelihood scale, Newey–West
  errors) is used instead; that branch is not validated by the bench.

Joins of other execs closer than ``MIN_SEPARATION_DAYS`` to each other cannot be told apart: they share one
step, and the figure says so. statsmodels is imported inside the functions so start-up does not pay for it.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

METHOD_LOGLINEAR = ("log-linear regression on weekday, trend and a step at each join (first week left to settle); "
                    "AR(1) errors (GLSAR)")
METHOD_POISSON = ("Poisson GLM on weekday, trend and a step at each join (first week left to settle); "
                  "Newey-West errors")
METHOD_NONE = "none"
MIN_SIDE_DAYS = 3
SETTLE_DAYS = 7
# Joins closer than this share one step: the focal join's settling-in week plus a few days of data are
# needed before another join's step can be told apart from it.
MIN_SEPARATION_DAYS = SETTLE_DAYS + MIN_SIDE_DAYS
RHO_MAX = 0.95
RHO_MARGIN = 0.5  # standard errors of ρ̂ added for its sampling uncertainty (bench: 0.92 → 0.94 coverage at N = 30)


@dataclass(frozen=True)
class StepFit:
    """Log-scale step coefficients (in the order asked for) with their 95% intervals."""

    steps: tuple[float, ...]
    ci: tuple[tuple[float, float], ...]
    method: str
    rho: float
    ols_steps: tuple[float, ...] = ()


@dataclass(frozen=True)
class AdjustedEffect:
    """The adjusted effect of joining in percent, its 95% interval and what qualifies it.

    ``effect_pct`` and ``ci95`` are None (with the reason first in ``notes``) when no estimate is made.
    """

    effect_pct: float | None
    ci95: tuple[float, float] | None
    method: str
    placebo_rank: tuple[int, int] | None
    notes: tuple[str, ...] = field(default_factory=tuple)
    raw_change_pct: float | None = None
    days: int = 0
    other_joins: int = 0

    @property
    def clear(self) -> bool:
        """The interval excludes zero."""
        return self.ci95 is not None and (self.ci95[0] > 0 or self.ci95[1] < 0)

    def as_json(self) -> dict[str, object]:
        """``{"effect_pct", "ci95", "method", "placebo_rank", "notes"}`` as the CLI prints it."""
        return {
            "effect_pct": None if self.effect_pct is None else round(self.effect_pct, 2),
            "ci95": None if self.ci95 is None else [round(self.ci95[0], 2), round(self.ci95[1], 2)],
            "method": self.method,
            "placebo_rank": None if self.placebo_rank is None else list(self.placebo_rank),
            "notes": list(self.notes),
        }

    def short(self) -> str:
        """"+14.0% (95%: +5.0% to +23.0%)", or "no estimate"."""
        if self.effect_pct is None or self.ci95 is None:
            return "no estimate"
        return f"{self.effect_pct:+.1f}% (95%: {self.ci95[0]:+.1f}% to {self.ci95[1]:+.1f}%)"

    def sentence(self, label: str) -> str:
        """One plain sentence: the raw change, how much of it the trend explains, the effect and the placebos."""
        if self.effect_pct is None or self.ci95 is None:
            why = self.notes[0] if self.notes else "No adjusted estimate."
            return f"{label}: {why[0].lower() + why[1:]}"
        parts = []
        raw = self.raw_change_pct
        if raw is not None:
            verb = "rose" if raw >= 0 else "fell"
            parts.append(f"{label} {verb} {abs(raw):.0f}% against the {self.days} days before")
            diff = raw - self.effect_pct
            if abs(diff) < 1:
                parts.append("the network's trend and weekly pattern explain little of that, so")
            elif diff > 0:
                why = "existing growth" if not self.other_joins else "existing growth and other execs joining"
                parts.append(f"about {diff:.0f} points of that is the network's {why}, so")
            else:
                why = "the network's own trend" if not self.other_joins else "the network's trend and other joins"
                parts.append(f"once the first week of settling in and {why} are allowed for,")
        lead = "; ".join(parts[:1]) + ("; " + parts[1] + " " if len(parts) > 1 else "")
        if not parts:
            lead = f"{label}: "
        text = (f"{lead}the estimated effect of joining is {self.effect_pct:+.0f}% "
                f"(95%: {self.ci95[0]:+.0f}% to {self.ci95[1]:+.0f}%)")
        if not self.clear:
            text += ", which could be chance"
        if self.placebo_rank is not None:
            k, n = self.placebo_rank
            text += f"; it is larger than {k} of {n} placebo dates"
        return text + "."


def none(reason: str, notes: Sequence[str] = (), raw: float | None = None, days: int = 0) -> AdjustedEffect:
    """An effect that could not be estimated, with the reason first."""
    return AdjustedEffect(None, None, METHOD_NONE, None, (reason, *notes), raw, days)


def design(t: np.ndarray, dow: np.ndarray, step_days: Sequence[int], settle_from: int | None = None) -> np.ndarray:
    """Constant, six weekday dummies (Monday is the base), trend per 100 days, one dummy per settling-in day
    from ``settle_from`` that has data, then one step column per date (last, in the order given)."""
    # Built a block at a time with broadcasting (the same 0/1 and t/100 values as one column at a time):
    # the placebo check builds twenty of these per metric.
    parts = [np.ones((len(t), 1)), (dow[:, None] == _WEEKDAYS).astype(float), (t / 100.0)[:, None]]
    if settle_from is not None:
        settle = t[:, None] == settle_from + _SETTLE_OFFSETS
        parts.append(settle[:, settle.any(axis=0)].astype(float))
    parts.append((t[:, None] >= np.asarray(step_days, dtype=float)).astype(float))
    return np.concatenate(parts, axis=1)


_WEEKDAYS = np.arange(1, 7)
_SETTLE_OFFSETS = np.arange(SETTLE_DAYS)


def usable_steps(t: np.ndarray, step_days: Sequence[int]) -> list[int]:
    """The step offsets with at least MIN_SIDE_DAYS days of data on each side."""
    return [s for s in step_days if (t < s).sum() >= MIN_SIDE_DAYS and (t >= s).sum() >= MIN_SIDE_DAYS]


def _corrected_rho(resid: np.ndarray, k: int, exact: np.ndarray | None = None) -> float:
    """Bias-corrected lag-1 autocorrelation of OLS residuals; ``exact`` marks rows fitted exactly by a
    one-day dummy (their residual is 0 by construction, not a measurement), which are left out."""
    from statsmodels.tsa.stattools import acf

    r = np.asarray(resid, dtype=float).copy()
    if exact is not None and exact.any():
        r[exact] = np.nan
        k -= int(exact.sum())
    n = int(np.isfinite(r).sum())
    if n < 4 or not np.any(r[np.isfinite(r)]):
        return 0.0
    rho = float(acf(r, nlags=1, fft=False, missing="conservative")[1])
    if not math.isfinite(rho):
        return 0.0
    rho += (1 + 3 * rho + k * (1 + rho) / 2) / n
    rho += RHO_MARGIN * math.sqrt(max(1 - rho * rho, 0.0) / n)
    return min(max(rho, 0.0), RHO_MAX)


def fit_steps(t: np.ndarray, dow: np.ndarray, y: np.ndarray, step_days: Sequence[int], *, focal: int = 0,
              low_counts: bool = False, ols_only: bool = False) -> StepFit | None:
    """Fit the model with a step at each of ``step_days`` (days from the join); None if it cannot be fitted.

    The settling-in week follows ``step_days[focal]``. ``ols_only`` stops at the ordinary least-squares
    point estimates (what the placebo check compares, for the real date and the fake ones alike).
    """
    from scipy import stats

    steps = list(step_days)
    if usable_steps(t, steps) != steps:
        return None
    settle = steps[focal] if steps else None
    if settle is not None and (t >= settle + SETTLE_DAYS).sum() < MIN_SIDE_DAYS:
        return None
    X = design(t, dow, steps, settle)
    present = X.any(axis=0)
    present[0] = True
    if not all(present[-len(steps):]):
        return None
    X = X[:, present]
    n, k = X.shape
    if n - k < 5:
        return None
    m = len(steps)
    if low_counts:
        from statsmodels.genmod import families
        from statsmodels.genmod.generalized_linear_model import GLM

        if np.linalg.matrix_rank(X) < k:
            return None
        lags = int(math.floor(4 * (n / 100) ** (2 / 9)))
        with warnings.catch_warnings():  # a degenerate fit (a flat series) is refused below, not warned about
            warnings.simplefilter("ignore")
            try:
                res = GLM(y, X, family=families.Poisson()).fit(
                    scale="X2", cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True})
            except (ValueError, np.linalg.LinAlgError):  # e.g. no variation at all for the deviance to measure
                return None
        method, used_rho = METHOD_POISSON, 0.0
        df = n - k
        ols_steps = np.asarray(res.params)[-m:]
    else:
        from statsmodels.regression.linear_model import GLSAR, OLS

        ly = np.log(y)
        with warnings.catch_warnings():  # a rank-deficient design is refused just below, not warned about
            warnings.simplefilter("ignore")
            ols = OLS(ly, X).fit()
        if ols.model.rank < k:
            return None
        ols_steps = np.asarray(ols.params)[-m:]
        if ols_only:
            return StepFit(tuple(float(p) for p in ols_steps), (), METHOD_LOGLINEAR, 0.0,
                           tuple(float(p) for p in ols_steps))
        exact = (t >= settle) & (t < settle + SETTLE_DAYS) if settle is not None else None
        used_rho = _corrected_rho(np.asarray(ols.resid), k, exact)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = GLSAR(ly, X, rho=[used_rho]).fit()
        method = METHOD_LOGLINEAR
        df = n - k - 1
    params = np.asarray(res.params)[-m:]
    if not np.all(np.isfinite(params)) or not np.all(np.isfinite(ols_steps)):
        return None
    ols_tuple = tuple(float(p) for p in ols_steps)
    if ols_only:
        return StepFit(ols_tuple, (), method, used_rho, ols_tuple)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bse = np.asarray(res.bse)[-m:]
    if not np.all(np.isfinite(bse)):
        return None
    q = float(stats.t.ppf(0.975, max(df, 1)))
    ci = tuple((float(p - q * s), float(p + q * s)) for p, s in zip(params, bse, strict=True))
    return StepFit(tuple(float(p) for p in params), ci, method, used_rho, ols_tuple)


def preload() -> None:
    """Import what the fits use (statsmodels and scipy.stats, about a second the first time), so that a
    worker can pay for it in the background before the first impact figure is asked for."""
    from scipy import stats  # noqa: F401
    from statsmodels.genmod import families  # noqa: F401
    from statsmodels.genmod.generalized_linear_model import GLM  # noqa: F401
    from statsmodels.regression.linear_model import GLSAR, OLS  # noqa: F401
    from statsmodels.tsa.stattools import acf  # noqa: F401


def pct(log_step: float) -> float:
    """A log-scale step as a percentage change: exp(step) - 1, in percent."""
    return math.expm1(log_step) * 100.0


def placebo_rank(real: float, placebos: Sequence[float]) -> tuple[int, int]:
    """(k, n): the real effect is larger in size than k of the n placebo effects."""
    return sum(1 for p in placebos if abs(p) < abs(real)), len(placebos)
