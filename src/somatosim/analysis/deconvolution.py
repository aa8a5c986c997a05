r"""Multiparameter deconvolution with automatic pulse insertion and triage.

An AutoDecon-style method (Johnson et al., *Anal Biochem* 2008;381:8-17; Johnson
et al., *Methods Enzymol* 2009;454:367-404), reimplemented from the published
description, not from any code. It fits the convolution model of
:mod:`somatosim.analysis.kinetics` — basal secretion plus Gaussian secretory bursts
with a common SD, eliminated mono- or bi-exponentially — by weighted nonlinear least
squares (:func:`scipy.optimize.least_squares`, trust-region reflective, analytic
Jacobian, bounds), and decides how many bursts there are by repeating:

1. **Candidates.** A model-free secretion estimate from the data,
   :math:`\hat S_i = \Delta y_i / \Delta t_i + k_{\mathrm{eff}}\,\bar y_i`, gives
   candidate bursts where it has a local maximum exceeding
   :data:`CANDIDATE_Z` assay SDs (deliberately liberal; triage removes the surplus).
2. **Fit** all parameters, starting from a non-negative least-squares solve for the
   linear ones (basal secretion, initial concentration, burst masses).
3. **Triage.** Each burst is tested by refitting the model without it; the F-test on
   the two parameters it adds (position, mass),
   :math:`F = \frac{(RSS_{-k} - RSS)/2}{RSS/(n-p)}`, must give :math:`p <` ``alpha``.
   The least significant burst is removed and the model refitted until all pass.
4. **Insertion.** A matched filter on the weighted residuals finds where one more
   burst would reduce the residual sum of squares most; the burst is kept if the
   same F-test is significant, and steps 3-4 repeat until an insertion fails.

The assay error model sets the weights (:math:`1/\mathrm{SD}_i`, evaluated at the
measured values). The F-test uses the residual variance of the fit itself, so it is
robust to a mis-scaled error model; the reduced chi-square in
``summary_.extra["reduced_chi2"]`` (about 1 when the error model is right) reports
how well the stated error model matches the fit.

Internally the data are divided by their maximum, so results are invariant to the
concentration scale as long as the error model is rescaled with the data
(:meth:`~somatosim.analysis.error_model.ErrorModel.scaled`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import optimize, stats

from somatosim.analysis._base import PulseEstimator
from somatosim.analysis._validation import InstanceOf, Interval, Options
from somatosim.analysis.error_model import ErrorModel
from somatosim.analysis.exceptions import AnalysisInputError
from somatosim.analysis.kinetics import (
    BiExponential,
    Elimination,
    MonoExponential,
    gaussian_burst_response,
)
from somatosim.analysis.series import HormoneSeries, as_series
from somatosim.analysis.summary import PulseSummary, summarize_pulses

__all__ = ["Deconvolution", "deconvolve", "DeconvolutionFit", "DECONVOLUTION_PULSE_COLUMNS"]

#: Default significance level of the insertion and triage F-tests. Chosen on the
#: synthetic benchmark of :func:`~somatosim.analysis.performance.pulse_detection_performance`
#: to keep positive accuracy >= 90 % (AutoDecon's published false-positive rate on LH
#: simulations is about 6 %, Johnson et al. 2008).
DEFAULT_ALPHA = 0.001

#: Starting half-life (min). Endogenous GH t1/2 by two-compartment deconvolution:
#: 23 +/- 1 min (Holl et al., J Clin Endocrinol Metab 1993;77:216).
DEFAULT_HALF_LIFE_INIT_MIN = 20.0

#: Bounds on the fitted half-life (min): wide enough for GH (~20 min) and LH
#: (~20-90 min); the fit reports when it sits on a bound.
HALF_LIFE_BOUNDS_MIN = (2.0, 240.0)

#: Starting burst SD (min); GH secretory bursts last about 10-20 min at half maximum
#: (Veldhuis and colleagues, unverified), i.e. an SD of about 4-8 min.
DEFAULT_BURST_SD_INIT_MIN = 5.0

#: Bounds on the common burst SD (min).
BURST_SD_BOUNDS_MIN = (1.0, 30.0)

#: Candidate threshold: secretion estimate over one interval, in units of the assay
#: SD of the interval's two samples. Liberal on purpose (triage prunes).
CANDIDATE_Z = 1.0

#: Bursts may be centred up to this many sampling intervals before the first sample.
LEAD_INTERVALS = 1.0

#: Residual degrees of freedom that must remain after adding a burst.
MIN_RESIDUAL_DOF = 5

#: Matched-filter grid step for insertion, in sampling intervals.
INSERTION_GRID_STEP = 0.25

#: New bursts are not inserted closer to an existing burst than this many burst SDs
#: (or one sampling interval, whichever is larger).
INSERTION_EXCLUSION_SDS = 2.0

#: Position sweeps (see ``_Problem.sweep_positions``): search radius and grid step,
#: in sampling intervals.
SWEEP_RADIUS_INTERVALS = 1.5
SWEEP_STEP_INTERVALS = 0.125

#: Function-evaluation caps for full fits and for significance refits.
MAX_NFEV_FIT = 300
MAX_NFEV_TEST = 100

#: Trust-region subproblem solver and relative tolerances of the nonlinear fits.
#: A relative change of 1e-6 in the weighted RSS is far below what moves an F-test.
TR_SOLVER = "exact"
FIT_TOL = 1e-6

#: Per triage round, how many of the least significant bursts (by the Wald
#: approximation) may be checked by a full refit.
TRIAGE_CHECKS_PER_ROUND = 3

#: A burst whose Wald p-value is below ``alpha * WALD_MARGIN`` counts as clearly
#: significant and is not refitted (the exact test is only run near the threshold).
WALD_MARGIN = 1e-3

#: Safety caps on insertions per round and on insertion/triage rounds.
MAX_INSERTIONS = 60
MAX_ROUNDS = 5

#: Full width at half maximum of a Gaussian, in SDs: 2*sqrt(2 ln 2).
FWHM_PER_SD = float(2.0 * np.sqrt(2.0 * np.log(2.0)))

DECONVOLUTION_PULSE_COLUMNS = [
    "pulse",
    "time_min",
    "mass",
    "mass_se",
    "amplitude_per_min",
    "burst_sd_min",
    "fwhm_min",
    "p_value",
]


@dataclass(frozen=True)
class DeconvolutionFit:
    """Parameter values of one fitted model, on the internal (normalised) scale."""

    basal: float
    c0: float
    half_life: float
    sd: float
    tau: NDArray[np.float64]
    mass: NDArray[np.float64]
    rss: float
    n_params: int

    @property
    def n_bursts(self) -> int:
        return int(self.tau.size)


class _Problem:
    """Weighted least-squares problem on normalised data (internal)."""

    def __init__(
        self,
        t: NDArray[np.float64],
        y: NDArray[np.float64],
        w: NDArray[np.float64],
        elim: Elimination,
        fixed_half_life: float | None,
        fixed_sd: float | None,
        hl_bounds: tuple[float, float],
        sd_bounds: tuple[float, float],
        lead: float,
    ) -> None:
        self.t, self.y, self.w = t, y, w
        self.t0 = float(t[0])
        self.dt0 = t - self.t0
        self.elim = elim
        self.fixed_h, self.fixed_s = fixed_half_life, fixed_sd
        self.hl_bounds, self.sd_bounds = hl_bounds, sd_bounds
        self.tau_lo, self.tau_hi = self.t0 - lead, float(t[-1])
        self.dt = float(np.median(np.diff(t)))
        self.n = t.size
        self.s2_ref = np.inf

    # -- packing --------------------------------------------------------------
    def n_params(self, k: int) -> int:
        return 2 + (self.fixed_h is None) + (self.fixed_s is None) + 2 * k

    def pack(self, b: float, c0: float, h: float, s: float, tau, mass) -> NDArray[np.float64]:
        head = [b, c0]
        if self.fixed_h is None:
            head.append(h)
        if self.fixed_s is None:
            head.append(s)
        return np.concatenate([np.asarray(head, float), np.asarray(tau, float), np.asarray(mass, float)])

    def unpack(self, x: NDArray[np.float64], k: int):
        i = 2
        b, c0 = x[0], x[1]
        if self.fixed_h is None:
            h = x[i]
            i += 1
        else:
            h = self.fixed_h
        if self.fixed_s is None:
            s = x[i]
            i += 1
        else:
            s = self.fixed_s
        return b, c0, h, s, x[i : i + k], x[i + k : i + 2 * k]

    def bounds(self, k: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        lo = [0.0, 0.0]
        hi = [np.inf, np.inf]
        if self.fixed_h is None:
            lo.append(self.hl_bounds[0])
            hi.append(self.hl_bounds[1])
        if self.fixed_s is None:
            lo.append(self.sd_bounds[0])
            hi.append(self.sd_bounds[1])
        lo += [self.tau_lo] * k + [0.0] * k
        hi += [self.tau_hi] * k + [np.inf] * k
        return np.array(lo), np.array(hi)

    # -- model ----------------------------------------------------------------
    def burst_matrix(self, tau, s: float, h: float) -> NDArray[np.float64]:
        """Concentration per unit mass, shape (K, n)."""
        a, k, _ = self.elim.components(h)
        g = np.zeros((len(tau), self.n))
        for ac, kc in zip(a, k):
            g += ac * gaussian_burst_response(self.t, tau, s, kc)
        return g

    def linear_design(self, tau, s: float, h: float) -> NDArray[np.float64]:
        """Columns: basal secretion, initial excess, one per burst (unweighted)."""
        cols = [
            np.full(self.n, self.elim.area(h)),
            self.elim.kernel(self.dt0, h),
        ]
        g = self.burst_matrix(tau, s, h)
        return np.vstack([np.vstack(cols), g]).T

    def predict(self, fit: DeconvolutionFit) -> NDArray[np.float64]:
        x = self.linear_design(fit.tau, fit.sd, fit.half_life)
        return x @ np.concatenate([[fit.basal, fit.c0], fit.mass])

    def jacobian(self, x: NDArray[np.float64], k: int) -> NDArray[np.float64]:
        """Weighted Jacobian of :meth:`residual`, shape (n, n_params)."""
        b, c0, h, s, tau, mass = self.unpack(x, k)
        a, kk, dk_dh = self.elim.components(h)
        e_parts = np.exp(-kk[:, None] * self.dt0[None, :])  # (C, n)
        area = float(np.sum(a / kk))
        e_sum = a @ e_parts
        g = np.zeros((k, self.n))
        dtau = np.zeros((k, self.n))
        dsig = np.zeros(self.n)
        dh = np.zeros(self.n)
        for ac, kc, dkc, ec in zip(a, kk, dk_dh, e_parts):
            gc, gt, gs, gk = gaussian_burst_response(self.t, tau, s, kc, derivatives=True)
            g += ac * gc
            dtau += ac * gt
            dsig += ac * (mass @ gs)
            if dkc != 0.0:
                dc_dk = -b * ac / kc**2 - c0 * ac * self.dt0 * ec + ac * (mass @ gk)
                dh += dc_dk * dkc
        cols: list[NDArray[np.float64]] = [np.full(self.n, area), e_sum]
        if self.fixed_h is None:
            cols.append(dh)
        if self.fixed_s is None:
            cols.append(dsig)
        head = np.vstack(cols)
        jac = np.vstack([head, mass[:, None] * dtau, g]).T if k else head.T
        return jac * self.w[:, None]

    def residual(self, x: NDArray[np.float64], k: int) -> NDArray[np.float64]:
        """Weighted residual ``(model - y) / sd``."""
        b, c0, h, s, tau, mass = self.unpack(x, k)
        d = self.linear_design(tau, s, h)
        return (d @ np.concatenate([[b, c0], mass]) - self.y) * self.w

    # -- fitting --------------------------------------------------------------
    def linear_start(self, tau, s: float, h: float) -> tuple[float, float, NDArray[np.float64]]:
        """Non-negative least squares for basal, initial excess and masses."""
        d = self.linear_design(tau, s, h) * self.w[:, None]
        coef, _ = optimize.nnls(d, self.y * self.w, maxiter=50 * d.shape[1])
        return float(coef[0]), float(coef[1]), coef[2:]

    def fit(
        self, b, c0, h, s, tau, mass, *, max_nfev: int = MAX_NFEV_FIT
    ) -> DeconvolutionFit:
        k = len(tau)
        order = np.argsort(tau)
        tau, mass = np.asarray(tau, float)[order], np.asarray(mass, float)[order]
        lo, hi = self.bounds(k)
        x0 = self.pack(b, c0, h, s, tau, mass)
        span = hi - lo
        pad = np.where(np.isfinite(span), 1e-9 * span, 0.0)
        x0 = np.clip(x0, lo + pad, np.where(np.isfinite(hi), hi - pad, hi))
        res = optimize.least_squares(
            self.residual,
            x0,
            jac=self.jacobian,
            bounds=(lo, hi),
            method="trf",
            tr_solver=TR_SOLVER,
            x_scale="jac",
            max_nfev=max_nfev,
            ftol=FIT_TOL,
            xtol=FIT_TOL,
            args=(k,),
        )
        b, c0, h, s, tau, mass = self.unpack(res.x, k)
        order = np.argsort(tau)
        return DeconvolutionFit(
            basal=float(b),
            c0=float(c0),
            half_life=float(h),
            sd=float(s),
            tau=np.array(tau[order]),
            mass=np.array(mass[order]),
            rss=float(2.0 * res.cost),
            n_params=self.n_params(k),
        )

    def with_fixed_shape(self, half_life: float, sd: float) -> _Problem:
        """The same problem with the half-life and burst SD held at the given values."""
        other = copy.copy(self)
        other.fixed_h, other.fixed_s = half_life, sd
        return other

    def refit(self, fit: DeconvolutionFit, tau, mass, max_nfev: int = MAX_NFEV_FIT) -> DeconvolutionFit:
        """Fit new burst positions/masses in two stages.

        First with the shared kinetics (half-life, burst SD) held at the values of
        ``fit``, so the bursts adjust locally; then with everything free. Going
        straight to the joint fit after adding or removing a burst often lets the
        shared parameters jump to a worse local minimum.
        """
        local = self.with_fixed_shape(fit.half_life, fit.sd).fit(
            fit.basal, fit.c0, fit.half_life, fit.sd, tau, mass, max_nfev=max_nfev
        )
        return self.fit(
            local.basal, local.c0, local.half_life, local.sd, local.tau, local.mass,
            max_nfev=max_nfev,
        )

    def without(self, fit: DeconvolutionFit, idx: int, max_nfev: int) -> DeconvolutionFit:
        """Refit with burst ``idx`` removed (its neighbours may move into its place)."""
        keep = np.arange(fit.n_bursts) != idx
        reduced = replace(fit, tau=fit.tau[keep], mass=fit.mass[keep])
        neighbours = [i for i in (idx - 1, idx) if 0 <= i < reduced.n_bursts]
        tau, mass = self.sweep_positions(
            reduced, neighbours, radius=SWEEP_RADIUS_INTERVALS * self.dt,
            step=SWEEP_STEP_INTERVALS * self.dt,
        )
        return self.refit(fit, tau, mass, max_nfev=max_nfev)

    def accept(self, fit: DeconvolutionFit) -> DeconvolutionFit:
        """Record an accepted model; its residual variance may become the reference."""
        dof = self.n - fit.n_params
        if dof >= MIN_RESIDUAL_DOF and fit.rss > 0:
            self.s2_ref = min(self.s2_ref, fit.rss / dof)
        return fit

    def residual_variance(self, fit: DeconvolutionFit) -> float:
        """Variance estimate for significance tests (weighted units).

        The smaller of this model's ``RSS/(n-p)`` and that of the best-fitting model
        accepted so far: as in backward elimination, where the error variance comes
        from the fullest model, a model that misses bursts must not inflate the
        error estimate and so make the remaining bursts look non-significant.
        """
        dof = self.n - fit.n_params
        own = fit.rss / dof if dof > 0 else np.inf
        return float(min(own, self.s2_ref))

    def f_test(self, full: DeconvolutionFit, reduced: DeconvolutionFit) -> float:
        """p-value of the F-test for the extra parameters of ``full``."""
        dof = self.n - full.n_params
        extra = full.n_params - reduced.n_params
        s2 = self.residual_variance(full)
        if dof <= 0 or not s2 > 0:
            return 0.0
        f = max(reduced.rss - full.rss, 0.0) / extra / s2
        return float(stats.f.sf(f, extra, dof))

    def sweep_positions(
        self, fit: DeconvolutionFit, indices, radius: float, step: float
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Move bursts ``indices`` one at a time to their best position nearby.

        For each burst, with all other parameters fixed, the position within
        ``+/- radius`` min (grid ``step``) and the non-negative mass that minimise the
        weighted RSS are found by a matched filter. Escapes the local minima that
        burst positions have between sample times at coarse sampling.
        """
        tau, mass = fit.tau.copy(), fit.mass.copy()
        y_w = self.y * self.w
        base = self.linear_design(np.zeros(0), fit.sd, fit.half_life)[:, :2] @ [fit.basal, fit.c0]
        g_all = self.burst_matrix(tau, fit.sd, fit.half_life)
        offsets = np.arange(-radius, radius + 1e-9, step)
        for j in indices:
            others = np.delete(np.arange(tau.size), j)
            resid = y_w - (base + mass[others] @ g_all[others]) * self.w
            grid = np.clip(tau[j] + offsets, self.tau_lo, self.tau_hi)
            g = self.burst_matrix(grid, fit.sd, fit.half_life) * self.w[None, :]
            num = g @ resid
            den = np.maximum((g * g).sum(1), 1e-300)
            m = np.maximum(num / den, 0.0)
            gain = np.where(num > 0, num * num / den, 0.0)
            best = int(np.argmax(gain))
            if gain[best] > 0:
                tau[j], mass[j] = grid[best], m[best]
                g_all[j] = g[best] / self.w
        return tau, mass


def _resolve_elimination(value: str | Elimination) -> Elimination:
    if isinstance(value, Elimination):
        return value
    return BiExponential() if value == "bi" else MonoExponential()


class Deconvolution(PulseEstimator):
    """Multiparameter deconvolution of a hormone series (AutoDecon-style).

    See the module docstring for the model and algorithm.

    Parameters
    ----------
    error_model : ErrorModel
        Assay error model (required): sets the weight of each sample.
    elimination : {"mono", "bi"} or Elimination, default="mono"
        Elimination kernel. ``"bi"`` is :class:`~somatosim.analysis.kinetics.BiExponential`
        with GH defaults (fast half-life 3.5 min fixed, slow fraction 0.63, slow
        half-life fitted); pass an instance to change them.
    half_life_min : float or None, default=None
        Fix the (slow) half-life at this value (min) instead of fitting it.
    half_life_init_min : float, default=20
        Starting value of the fitted half-life (min).
    burst_sd_min : float or None, default=None
        Fix the burst SD (min) instead of fitting it.
    burst_sd_init_min : float, default=5
        Starting value of the fitted burst SD (min).
    alpha : float, default=0.001
        Significance level of the insertion and triage F-tests.
    max_pulses : int or None, default=None
        Upper limit on the number of bursts (default: limited only by the data).

    Attributes
    ----------
    pulses_ : pandas.DataFrame
        One row per burst: ``pulse`` (1-based), ``time_min`` (burst centre),
        ``mass`` (concentration units), ``mass_se``, ``amplitude_per_min`` (maximal
        secretion rate, units/min), ``burst_sd_min``, ``fwhm_min``, ``p_value``
        (F-test for removing the burst).
    summary_ : PulseSummary
        Summary; ``extra`` holds ``half_life_min``, ``basal_secretion_per_min``,
        ``burst_sd_min``, ``initial_concentration``, ``reduced_chi2``, ``aic``,
        ``bic``, ``elimination`` and the bound flags.
    fit_ : DeconvolutionFit
        Final parameters on the internal (normalised) scale.
    series_ : HormoneSeries
        The series analysed.
    fitted_ : ndarray
        Fitted concentration at the sample times (series units).

    Examples
    --------
    >>> from somatosim.analysis import Deconvolution, CVWithFloor, load_lh_diggle1990
    >>> est = Deconvolution(CVWithFloor(0.05, 0.05)).fit(load_lh_diggle1990())
    >>> est.summary_.n_pulses >= 1
    True
    """

    _parameter_constraints = {
        "error_model": [InstanceOf(ErrorModel)],
        "elimination": [Options(("mono", "bi")), InstanceOf(Elimination)],
        "half_life_min": [Interval(float, 0, None, closed="neither", unit="min"), None],
        "half_life_init_min": [Interval(float, 0, None, closed="neither", unit="min")],
        "burst_sd_min": [Interval(float, 0, None, closed="neither", unit="min"), None],
        "burst_sd_init_min": [Interval(float, 0, None, closed="neither", unit="min")],
        "alpha": [Interval(float, 0, 1, closed="neither")],
        "max_pulses": [Interval(int, 0, None, closed="left"), None],
    }

    def __init__(
        self,
        error_model: ErrorModel,
        *,
        elimination: str | Elimination = "mono",
        half_life_min: float | None = None,
        half_life_init_min: float = DEFAULT_HALF_LIFE_INIT_MIN,
        burst_sd_min: float | None = None,
        burst_sd_init_min: float = DEFAULT_BURST_SD_INIT_MIN,
        alpha: float = DEFAULT_ALPHA,
        max_pulses: int | None = None,
    ) -> None:
        self.error_model = error_model
        self.elimination = elimination
        self.half_life_min = half_life_min
        self.half_life_init_min = half_life_init_min
        self.burst_sd_min = burst_sd_min
        self.burst_sd_init_min = burst_sd_init_min
        self.alpha = alpha
        self.max_pulses = max_pulses

    # ------------------------------------------------------------------ public
    def fit(self, series: Any) -> Deconvolution:
        """Deconvolve ``series`` (anything :func:`~somatosim.analysis.series.as_series` accepts).

        Returns
        -------
        self
        """
        self._validate_params()
        series = as_series(series)
        elim = _resolve_elimination(self.elimination)
        t = series.time_min
        y = series.concentration
        sd = np.asarray(self.error_model.sd(y), dtype=float)
        bad = ~(np.isfinite(sd) & (sd > 0))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise AnalysisInputError(
                f"The error model ({self.error_model.describe()}) gives SD {sd[i]!r} at sample "
                f"{i + 1} (concentration {y[i]:g} {series.units}); every SD must be > 0. Use "
                "CVWithFloor for series that reach zero."
            )
        scale = float(np.max(y))
        yn, w = y / scale, scale / sd
        dt = series.sampling_interval_min
        hl_lo = HALF_LIFE_BOUNDS_MIN[0]
        if isinstance(elim, BiExponential):
            hl_lo = max(hl_lo, elim.fast_half_life_min * 1.01)
        prob = _Problem(
            t, yn, w, elim,
            fixed_half_life=self.half_life_min,
            fixed_sd=self.burst_sd_min,
            hl_bounds=(hl_lo, HALF_LIFE_BOUNDS_MIN[1]),
            sd_bounds=BURST_SD_BOUNDS_MIN,
            lead=LEAD_INTERVALS * dt,
        )
        max_k = (series.n_samples - prob.n_params(0) - MIN_RESIDUAL_DOF) // 2
        if self.max_pulses is not None:
            max_k = min(max_k, int(self.max_pulses))
        max_k = max(max_k, 0)

        fit = self._initial_fit(prob, yn, w, dt, max_k)
        seen: set[int] = set()
        for _ in range(MAX_ROUNDS):
            fit = self._insert_all(prob, fit, dt, max_k)
            fit = self._triage(prob, fit)
            key = hash(np.round(fit.tau / dt).astype(int).tobytes())
            if key in seen:
                break
            seen.add(key)
        p_values = self._p_values(prob, fit)

        self.series_ = series
        self.fit_ = fit
        self.fitted_ = prob.predict(fit) * scale
        self.pulses_ = self._pulse_table(fit, p_values, scale, prob)
        self.summary_ = self._summary(series, prob, fit, scale)
        return self

    def secretion_rate(self, time_min: NDArray[np.float64] | None = None) -> NDArray[np.float64]:
        """Fitted secretion rate (series units per min) at ``time_min`` (default: a 1-min grid)."""
        self._check_is_fitted()
        if time_min is None:
            t = self.series_.time_min
            time_min = np.arange(t[0], t[-1] + 1e-9, 1.0)
        tt = np.asarray(time_min, dtype=float)
        scale = float(np.max(self.series_.concentration))
        f = self.fit_
        z = (tt[None, :] - f.tau[:, None]) / f.sd
        pulses = (f.mass[:, None] * np.exp(-0.5 * z * z) / (f.sd * np.sqrt(2 * np.pi))).sum(0)
        return (f.basal + pulses) * scale

    # ---------------------------------------------------------------- internals
    def _initial_fit(
        self, prob: _Problem, yn, w, dt: float, max_k: int
    ) -> DeconvolutionFit:
        h0 = self.half_life_min if self.half_life_min is not None else self.half_life_init_min
        h0 = float(np.clip(h0, *prob.hl_bounds)) if self.half_life_min is None else h0
        s0 = self.burst_sd_min if self.burst_sd_min is not None else self.burst_sd_init_min
        s0 = float(np.clip(s0, *BURST_SD_BOUNDS_MIN)) if self.burst_sd_min is None else s0
        k_eff = 1.0 / prob.elim.area(h0)
        tau = _candidate_times(prob.t, yn, 1.0 / w, k_eff)
        if tau.size > max_k:
            # keep the strongest candidates (largest secretion estimate)
            tau = tau[:max_k]
        tau = np.sort(tau)
        tau = self._linear_triage(prob, tau, s0, h0)
        b, c0, mass = prob.linear_start(tau, s0, h0)
        fit = prob.fit(b, c0, h0, s0, tau, mass)
        if fit.n_bursts:
            tau, mass = prob.sweep_positions(
                fit, range(fit.n_bursts), radius=SWEEP_RADIUS_INTERVALS * dt,
                step=SWEEP_STEP_INTERVALS * dt,
            )
            swept = prob.refit(fit, tau, mass)
            fit = swept if swept.rss < fit.rss else fit
        return prob.accept(fit)

    def _linear_triage(
        self, prob: _Problem, tau: NDArray[np.float64], s: float, h: float
    ) -> NDArray[np.float64]:
        """Prune candidates with the kinetic parameters and positions held fixed.

        With the nonlinear parameters fixed, the model is linear in basal secretion,
        initial concentration and masses (non-negative least squares), so every
        candidate's removal can be tested cheaply. This is only a screen: the RSS
        increase it sees is an upper bound on the one a full refit would see, but
        with positions and kinetics not yet fitted the residual variance is inflated
        too. The F statistic's denominator is therefore capped at the variance the
        stated error model implies (1 in weighted units), so a poor starting fit
        cannot make real bursts look non-significant.
        """
        n_nonlin = prob.n_params(0) - 2  # fitted half-life and burst SD, if free

        design = prob.linear_design(tau, s, h) * prob.w[:, None]
        target = prob.y * prob.w

        def rss(cols: NDArray[np.intp]) -> tuple[float, NDArray[np.float64]]:
            d = design[:, np.concatenate([[0, 1], cols + 2])]
            coef, norm = optimize.nnls(d, target, maxiter=50 * d.shape[1])
            return float(norm**2), coef[2:]

        keep = np.arange(tau.size)
        full_rss, mass = rss(keep)
        keep = keep[mass > 0]
        full_rss, _ = rss(keep)
        while keep.size:
            dof = prob.n - (2 + n_nonlin + 2 * keep.size)
            if dof <= 0 or full_rss <= 0:
                break
            reduced = np.array([rss(np.delete(keep, i))[0] for i in range(keep.size)])
            s2 = min(full_rss / dof, 1.0)
            f = np.maximum(reduced - full_rss, 0.0) / 2.0 / s2
            p = stats.f.sf(f, 2, dof)
            worst = int(np.argmax(p))
            if p[worst] < self.alpha:
                break
            keep = np.delete(keep, worst)
            full_rss = reduced[worst]
        tau = tau[keep]
        return tau

    def _triage(self, prob: _Problem, fit: DeconvolutionFit) -> DeconvolutionFit:
        """Remove non-significant bursts, least significant first.

        Bursts are ranked by the local (Wald) approximation of the removal F-test;
        any that is not clearly significant (within :data:`WALD_MARGIN` of ``alpha``)
        is tested exactly, by refitting the model without it.
        """
        while fit.n_bursts > 0:
            p_wald = _wald_p_values(prob, fit)
            removed = False
            for idx in np.argsort(-p_wald)[:TRIAGE_CHECKS_PER_ROUND]:
                if p_wald[idx] < self.alpha * WALD_MARGIN:
                    break
                reduced = prob.without(fit, int(idx), MAX_NFEV_FIT)
                if prob.f_test(fit, reduced) >= self.alpha:
                    fit, removed = prob.accept(reduced), True
                    break
            if not removed:
                return fit
        return fit

    def _insert_all(
        self, prob: _Problem, fit: DeconvolutionFit, dt: float, max_k: int
    ) -> DeconvolutionFit:
        """Insert bursts one at a time while the insertion F-test is significant."""
        for _ in range(MAX_INSERTIONS):
            if fit.n_bursts >= max_k:
                break
            trial = self._insert(prob, fit, dt)
            if trial is None or prob.f_test(trial, fit) >= self.alpha:
                break
            fit = prob.accept(trial)
        return fit

    def _insert(self, prob: _Problem, fit: DeconvolutionFit, dt: float) -> DeconvolutionFit | None:
        """Refit with one more burst where a matched filter finds most residual signal."""
        grid = np.arange(prob.tau_lo, prob.tau_hi + 1e-9, INSERTION_GRID_STEP * dt)
        r = (prob.y - prob.predict(fit)) * prob.w  # data above the fit is positive
        g = prob.burst_matrix(grid, fit.sd, fit.half_life) * prob.w[None, :]
        num = g @ r
        den = (g * g).sum(1)
        score = np.where(num > 0, num * num / np.maximum(den, 1e-300), 0.0)
        # a new burst must not sit on top of an existing one (that would only
        # reshape it); real bursts closer than this cannot be resolved anyway
        exclusion = max(dt, INSERTION_EXCLUSION_SDS * fit.sd)
        if fit.n_bursts:
            near = np.abs(grid[:, None] - fit.tau[None, :]).min(axis=1) < exclusion
            score[near] = 0.0
        j = int(np.argmax(score))
        if score[j] <= 0:
            return None
        new_mass = num[j] / den[j]
        return prob.refit(fit, np.append(fit.tau, grid[j]), np.append(fit.mass, new_mass))

    def _p_values(self, prob: _Problem, fit: DeconvolutionFit) -> NDArray[np.float64]:
        """Removal F-test p-values: exact near ``alpha``, Wald approximation elsewhere."""
        p = _wald_p_values(prob, fit)
        for i in np.flatnonzero(p >= self.alpha * WALD_MARGIN):
            p[i] = prob.f_test(fit, prob.without(fit, int(i), MAX_NFEV_FIT))
        return p

    def _pulse_table(
        self, fit: DeconvolutionFit, p_values, scale: float, prob: _Problem
    ) -> pd.DataFrame:
        se = _mass_standard_errors(prob, fit) * scale
        mass = fit.mass * scale
        return pd.DataFrame(
            {
                "pulse": np.arange(1, fit.n_bursts + 1),
                "time_min": fit.tau,
                "mass": mass,
                "mass_se": se,
                "amplitude_per_min": mass / (fit.sd * np.sqrt(2.0 * np.pi)),
                "burst_sd_min": np.full(fit.n_bursts, fit.sd),
                "fwhm_min": np.full(fit.n_bursts, fit.sd * FWHM_PER_SD),
                "p_value": p_values,
            },
            columns=DECONVOLUTION_PULSE_COLUMNS,
        )

    def _summary(
        self, series: HormoneSeries, prob: _Problem, fit: DeconvolutionFit, scale: float
    ) -> PulseSummary:
        n, p = prob.n, fit.n_params
        dof = max(n - p, 1)
        t_lo, t_hi = prob.t0, prob.t0 + series.duration_min
        inside = (fit.tau >= t_lo) & (fit.tau < t_hi)
        pulsatile = float(fit.mass[inside].sum()) * scale
        basal = fit.basal * scale * series.duration_min
        aic = n * np.log(fit.rss / n) + 2 * p if fit.rss > 0 else float("-inf")
        bic = n * np.log(fit.rss / n) + p * np.log(n) if fit.rss > 0 else float("-inf")
        elim = prob.elim
        extra: dict[str, Any] = {
            "elimination": elim.label,
            "half_life_min": fit.half_life,
            "half_life_fixed": self.half_life_min is not None,
            "half_life_at_bound": bool(
                self.half_life_min is None and np.any(np.isclose(fit.half_life, prob.hl_bounds, rtol=1e-3))
            ),
            "basal_secretion_per_min": fit.basal * scale,
            "initial_concentration": fit.c0 * scale,
            "burst_sd_min": fit.sd,
            "burst_sd_at_bound": bool(
                self.burst_sd_min is None and np.any(np.isclose(fit.sd, BURST_SD_BOUNDS_MIN, rtol=1e-3))
            ),
            "mean_burst_mass": float(np.mean(fit.mass[inside]) * scale) if inside.any() else float("nan"),
            "total_pulsatile_secretion": pulsatile,
            "total_basal_secretion": basal,
            "reduced_chi2": fit.rss / dof,
            "aic": float(aic),
            "bic": float(bic),
            "alpha": self.alpha,
        }
        if isinstance(elim, BiExponential):
            extra["fast_half_life_min"] = elim.fast_half_life_min
            extra["slow_fraction"] = elim.slow_fraction
        return summarize_pulses(
            series,
            fit.tau[inside],
            method="deconvolution",
            error_model=self.error_model.describe(),
            pulsatile_amount=pulsatile,
            basal_amount=basal,
            extra=extra,
        )


def _candidate_times(
    t: NDArray[np.float64], y: NDArray[np.float64], sd: NDArray[np.float64], k_eff: float
) -> NDArray[np.float64]:
    """Candidate burst centres from a model-free secretion estimate, strongest first."""
    dt = np.diff(t)
    secretion = np.diff(y) / dt + k_eff * 0.5 * (y[1:] + y[:-1])
    secretion -= np.min(secretion)  # remove a basal level
    amount = secretion * dt
    noise = np.hypot(sd[1:], sd[:-1])
    strength = amount / noise
    left = np.concatenate([[-np.inf], strength[:-1]])
    right = np.concatenate([strength[1:], [-np.inf]])
    is_peak = (strength >= left) & (strength > right) & (strength > CANDIDATE_Z)
    idx = np.flatnonzero(is_peak)
    idx = idx[np.argsort(-strength[idx])]
    return 0.5 * (t[idx] + t[idx + 1])


def _wald_p_values(prob: _Problem, fit: DeconvolutionFit) -> NDArray[np.float64]:
    """Local (Wald) approximation of the removal F-test p-value of every burst.

    Under the linearised model, forcing mass ``M_k`` to zero (with its position,
    which no longer matters, held fixed) raises the weighted RSS by
    ``M_k**2 / Var(M_k | tau_k)`` in units of the error model; that increase enters the same F statistic (2
    numerator degrees of freedom: the burst's position and mass) as the exact test.
    """
    k = fit.n_bursts
    dof = prob.n - fit.n_params
    if k == 0:
        return np.zeros(0)
    if dof <= 0 or fit.rss <= 0:
        return np.zeros(k)
    x = prob.pack(fit.basal, fit.c0, fit.half_life, fit.sd, fit.tau, fit.mass)
    jac = prob.jacobian(x, k)
    cov = np.linalg.pinv(jac.T @ jac)
    m_idx = np.arange(cov.shape[0] - k, cov.shape[0])
    t_idx = m_idx - k
    # variance of M_k with tau_k held fixed (tau_k is meaningless once M_k = 0):
    # Schur complement of the tau_k entry of the covariance
    v_mm = cov[m_idx, m_idx]
    v_mt = cov[m_idx, t_idx]
    v_tt = cov[t_idx, t_idx]
    var = v_mm - np.where(v_tt > 0, v_mt**2 / np.maximum(v_tt, 1e-300), 0.0)
    delta = np.where(var > 0, fit.mass**2 / np.maximum(var, 1e-300), 0.0)
    f = delta / 2.0 / (fit.rss / dof)
    return stats.f.sf(f, 2, dof)


def _mass_standard_errors(prob: _Problem, fit: DeconvolutionFit) -> NDArray[np.float64]:
    k = fit.n_bursts
    if k == 0:
        return np.zeros(0)
    x = prob.pack(fit.basal, fit.c0, fit.half_life, fit.sd, fit.tau, fit.mass)
    jac = prob.jacobian(x, k)
    dof = prob.n - fit.n_params
    if dof <= 0:
        return np.full(k, np.nan)
    s2 = fit.rss / dof
    cov = np.linalg.pinv(jac.T @ jac) * s2
    return np.sqrt(np.clip(np.diag(cov)[-k:], 0.0, None))


def deconvolve(series: Any, error_model: ErrorModel, **params: Any) -> tuple[pd.DataFrame, PulseSummary]:
    """Function twin of :class:`Deconvolution`: returns ``(pulses, summary)``.

    Parameters
    ----------
    series : HormoneSeries, path, DataFrame, or (time, concentration)
        The data.
    error_model : ErrorModel
        Assay error model (required).
    **params
        Any :class:`Deconvolution` parameter.
    """
    est = Deconvolution(error_model, **params).fit(series)
    return est.pulses_, est.summary_
