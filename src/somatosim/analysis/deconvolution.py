r"""Multiparameter deconvolution with automatic pulse insertion and triage.

An AutoDecon-style method (Johnson et al., *Anal Biochem* 2008;381:8-17; Johnson
et al., *Methods Enzymol* 2009;454:367-404), reimplemented from the published
description, not from any code. It fits the convolution model of
:mod:`somatosim.analysis.kinetics` — basal secretion plus Gaussian secretory bursts
with a common SD, eliminated mono- or bi-exponentially — by weighted nonlinear least
squares (:func:`scipy.optimize.least_squares`, trust-region reflective, analytic
Jacobian, bounds), and decides how many bursts there are:

1. **Candidates.** A model-free secretion estimate,
   :math:`\hat S_i = \Delta y_i / \Delta t_i + k_{\mathrm{eff}}\,\bar y_i`, gives
   candidate bursts at its local maxima above :data:`CANDIDATE_Z` assay SDs. They
   are screened with the kinetics held at their starting values (a linear,
   non-negative least-squares problem), moved to their best positions (a matched
   filter, :data:`SWEEP_RADIUS_INTERVALS`), and all parameters are fitted.
2. **Insertion.** A matched filter on the weighted residuals finds where one more
   burst would lower the weighted residual sum of squares (RSS) most; the burst is
   kept if the significance test below gives :math:`p <` ``alpha``. Repeated until
   an insertion fails.
3. **Triage.** Each burst is tested for removal, by refitting the model without it;
   the least significant is removed while any has :math:`p \ge` ``alpha``. A local
   (Wald) approximation ranks the bursts so that only those near the threshold need
   the refit.

4. **Reweighting**, once: the error model is evaluated at the fitted curve rather
   than at the noisy data (weights from the data are biased: a value that happens
   to be low gets too much weight).
5. Steps 2-3 alternate until the set of bursts repeats; of the sets visited, the
   one with the smallest RSS plus, per burst, the RSS change that is just
   significant at ``alpha`` is kept.
6. Only with ``burst_widths="per_burst"``: **per-burst widths and merging.** Every
   burst gets its own SD (within a factor :data:`PER_BURST_SD_RANGE` of the common
   SD of steps 1-5), so a burst adds three parameters. Adjacent bursts closer than
   :data:`MERGE_MAX_GAP_SDS` common SDs are then tested for being one wider burst
   (the pair has three more parameters than the merged burst; the merge is kept when
   they are not significant at ``alpha``), and merging, insertion and triage
   alternate until the burst set repeats. One common SD, as in AutoDecon, splits a
   secretory episode wider than the others into several bursts; the original
   multiple-parameter deconvolution estimated each burst's half-duration (Veldhuis,
   Carlson & Johnson, PNAS 1987;84:7686). If the steps-1-5 fit shows significant lack
   of fit (chi2 goodness-of-fit test at ``alpha``), the tests of this step use its
   reduced chi2 as the residual variance (quasi-likelihood), because the bursts are
   then tested against misfit of the burst shape or the kernel, not against assay
   noise alone.

**Significance test** (parameter ``test``). Removing a burst removes two parameters
(position and mass) and raises the weighted RSS by :math:`\Delta`.

* ``"chi2"`` (default): the error model is taken at its word, so in weighted units
  the noise variance is 1 and :math:`\Delta \sim \chi^2_2` under the null.
* ``"F"``: the variance is estimated from the fit,
  :math:`F = (\Delta/2) / s^2 \sim F_{2,\,n-p}`, with :math:`s^2` the smaller of this
  model's :math:`RSS/(n-p)` and that of the best-fitting model accepted so far (as
  in backward elimination, where the error variance comes from the fullest model).
  Robust to an error model that is right in shape but wrong in scale; weaker when
  bursts are missing from the fit.

``summary_.extra["reduced_chi2"]`` (about 1 when the error model is right) says how
well the stated error model matches the fit; with ``test="chi2"`` a value well
above 1 means the error model understates the noise and detections are too liberal.

Internally the data are divided by their maximum, so results are invariant to the
concentration scale as long as the error model is rescaled with the data
(:meth:`~somatosim.analysis.error_model.ErrorModel.scaled`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from typing import Any, ClassVar

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
    basal_knots,
    basal_profile,
    basal_response,
    gaussian_burst_response,
)
from somatosim.analysis.series import HormoneSeries, as_series
from somatosim.analysis.summary import PulseSummary, summarize_pulses

__all__ = ["DECONVOLUTION_PULSE_COLUMNS", "Deconvolution", "DeconvolutionFit", "deconvolve"]

#: Default significance level of the insertion and triage tests. Chosen on the
#: synthetic benchmark of :func:`~somatosim.analysis.performance.pulse_detection_performance`
#: to keep positive accuracy >= 90 % (AutoDecon's false-positive rate on LH
#: simulations is about 6 %, Johnson et al. 2008).
DEFAULT_ALPHA = 0.001

#: Starting half-life (min). Endogenous GH t1/2 by two-compartment deconvolution:
#: 23 +/- 1 min (Holl et al., J Clin Endocrinol Metab 1993;77:216).
DEFAULT_HALF_LIFE_INIT_MIN = 20.0

#: Bounds on the fitted half-life (min): wide enough for GH (~20 min) and LH
#: (~20-90 min); the summary flags a fit that sits on a bound.
HALF_LIFE_BOUNDS_MIN = (2.0, 240.0)

#: Starting burst SD (min); GH secretory bursts last about 10-20 min at half maximum
#: (Veldhuis and colleagues, unverified), i.e. an SD of about 4-8 min.
DEFAULT_BURST_SD_INIT_MIN = 5.0

#: Bounds on the common burst SD (min). The lower bound is raised to
#: :data:`MIN_BURST_SD_INTERVALS` sampling intervals: narrower bursts cannot be told
#: apart from the data, and letting the SD collapse makes burst positions
#: ill-conditioned (the fit then crawls between sample times).
BURST_SD_BOUNDS_MIN = (1.0, 30.0)
MIN_BURST_SD_INTERVALS = 0.25

#: Candidate threshold: secretion estimate over one interval, in units of the assay
#: SD of the interval's two samples. Insertion finds what this misses.
CANDIDATE_Z = 3.0

#: Bursts may be centred up to this many sampling intervals before the first sample.
LEAD_INTERVALS = 1.0

#: Residual degrees of freedom that must remain after adding a burst.
MIN_RESIDUAL_DOF = 5

#: Matched-filter grid step for insertion, in sampling intervals.
INSERTION_GRID_STEP = 0.25

#: A new burst is not inserted closer to an existing one than this many burst SDs
#: (or one sampling interval, whichever is larger): it would only reshape it.
INSERTION_EXCLUSION_SDS = 2.0

#: Model-based SDs are kept within this factor of the SDs at the measured values.
REWEIGHT_CLIP = 3.0

#: Position sweeps: search radius and grid step, in sampling intervals.
SWEEP_RADIUS_INTERVALS = 1.5
SWEEP_STEP_INTERVALS = 0.125

#: Cap on function evaluations per nonlinear fit, and for the first fit (which
#: need not converge: every later step refits).
MAX_NFEV_FIT = 300
MAX_NFEV_INITIAL = 100

#: Rounds of (screen, position sweep) on the candidates before the first fit.
INITIAL_SWEEPS = 2

#: Trust-region subproblem solver and relative tolerances of the nonlinear fits.
#: A relative change of 1e-6 in the weighted RSS is far below what moves a test.
TR_SOLVER = "exact"
FIT_TOL = 1e-6

#: Per triage round, how many of the least significant bursts (by the Wald
#: approximation) may be checked by a refit.
TRIAGE_CHECKS_PER_ROUND = 3

#: A burst whose Wald p-value is below ``alpha * WALD_MARGIN`` counts as clearly
#: significant and is not refitted (the exact test is only run near the threshold).
WALD_MARGIN = 1e-3

#: Safety caps on insertions per round and on reweight/insert/triage rounds.
MAX_INSERTIONS = 60
MAX_ROUNDS = 4

#: With per-burst widths, adjacent bursts closer than this many common SDs (the SD
#: fitted by the AutoDecon stage) are tested for being one wider burst. Two equal
#: Gaussians further apart than 2 SDs no longer make a single-peaked episode.
MERGE_MAX_GAP_SDS = 4.0

#: With per-burst widths, each SD is kept within this factor of the common SD.
PER_BURST_SD_RANGE = 3.0

#: Full width at half maximum of a Gaussian, in SDs: 2*sqrt(2 ln 2).
FWHM_PER_SD = float(2.0 * np.sqrt(2.0 * np.log(2.0)))

#: Basal responses kept per problem (by rate constant) before the cache is cleared.
_BASAL_CACHE_SIZE = 64

#: Parameters one burst adds (position, mass).
_PARAMS_PER_BURST = 2

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
    """Parameter values of one fitted model, on the internal (normalised) scale.

    Concentration-type values (``basal``, ``c0``, ``mass``) are divided by the
    series maximum; times are in minutes. ``basal`` holds one value for a constant
    basal secretion, or its value at each knot of a piecewise-linear one. ``c0`` holds the concentration above
    basal at the first sample in each elimination component (one value for a
    mono-exponential kernel, two for a bi-exponential one: a burst shortly before
    the record has already lost most of its fast component).
    """

    basal: NDArray[np.float64]
    c0: NDArray[np.float64]
    half_life: float
    sd: float
    tau: NDArray[np.float64]
    mass: NDArray[np.float64]
    rss: float
    n_params: int
    burst_sd: NDArray[np.float64] | None = None

    @property
    def n_bursts(self) -> int:
        return int(self.tau.size)

    @property
    def sds(self) -> NDArray[np.float64]:
        """SD of each burst (min): ``burst_sd`` if widths are per burst, else ``sd`` repeated."""
        if self.burst_sd is not None:
            return self.burst_sd
        return np.full(self.tau.size, self.sd)


class _Problem:
    """Weighted least-squares problem on normalised data (internal)."""

    def __init__(
        self,
        t: NDArray[np.float64],
        y: NDArray[np.float64],
        w: NDArray[np.float64],
        elim: Elimination,
        *,
        fixed_half_life: float | None,
        fixed_sd: float | None,
        hl_bounds: tuple[float, float],
        sd_bounds: tuple[float, float],
        lead: float,
        test: str,
        basal_knots: NDArray[np.float64] | None = None,
    ) -> None:
        self.t, self.y, self.w = t, y, w
        self.t0 = float(t[0])
        self.dt0 = t - self.t0
        self.dt = float(np.median(np.diff(t)))
        self.n = t.size
        self.elim = elim
        self.fixed_h, self.fixed_s = fixed_half_life, fixed_sd
        self.hl_bounds, self.sd_bounds = hl_bounds, sd_bounds
        self.tau_lo, self.tau_hi = self.t0 - lead, float(t[-1])
        self.test = test
        self.s2_ref = np.inf
        self.nc = len(elim.components(hl_bounds[0])[0])
        self.knots = np.array([self.t0]) if basal_knots is None else np.asarray(basal_knots, float)
        self.nb = self.knots.size
        self._basal_cache: dict[float, tuple[NDArray[np.float64], NDArray[np.float64]]] = {}
        #: ``True``: every burst has its own SD (parameters after the masses) and no
        #: common SD is fitted; ``False``: one common SD (AutoDecon).
        self.per_burst_sd = False
        #: Variance of the weighted residuals assumed by the chi2 test (1: the error
        #: model taken at its word).
        self.dispersion = 1.0

    # -- packing --------------------------------------------------------------
    @property
    def params_per_burst(self) -> int:
        """Parameters one burst adds: position and mass (and its SD, if per burst)."""
        return _PARAMS_PER_BURST + self.per_burst_sd

    @property
    def _common_sd_free(self) -> bool:
        return self.fixed_s is None and not self.per_burst_sd

    def n_params(self, k: int) -> int:
        head = self.nb + self.nc + (self.fixed_h is None) + self._common_sd_free
        return head + self.params_per_burst * k

    def pack(self, fit: DeconvolutionFit) -> NDArray[np.float64]:
        return self._pack(fit.basal, fit.c0, fit.half_life, fit.sd, fit.tau, fit.mass, fit.burst_sd)

    def _pack(self, b, c0, h, s, tau, mass, sds=None) -> NDArray[np.float64]:
        head = [
            *np.broadcast_to(np.asarray(b, float), (self.nb,)),
            *np.broadcast_to(np.asarray(c0, float), (self.nc,)),
        ]
        if self.fixed_h is None:
            head.append(h)
        if self._common_sd_free:
            head.append(s)
        parts = [np.asarray(head, float), np.asarray(tau, float), np.asarray(mass, float)]
        if self.per_burst_sd:
            k = len(tau)
            parts.append(np.full(k, float(s)) if sds is None else np.asarray(sds, float))
        return np.concatenate(parts)

    def unpack(self, x: NDArray[np.float64], k: int):
        """``(basal, c0, h, s, tau, mass)``; ``s`` is an array of ``k`` SDs if per burst."""
        i = self.nb + self.nc
        b, c0 = x[: self.nb], x[self.nb : i]
        if self.fixed_h is None:
            h = x[i]
            i += 1
        else:
            h = self.fixed_h
        if self.per_burst_sd:
            s = x[i + 2 * k : i + 3 * k]
        elif self.fixed_s is None:
            s = x[i]
            i += 1
        else:
            s = self.fixed_s
        return b, c0, h, s, x[i : i + k], x[i + k : i + 2 * k]

    def x_scale(self, k: int, h: float) -> NDArray[np.float64]:
        """Characteristic size of each parameter (normalised data have maximum 1).

        A fixed scale rather than ``x_scale="jac"``: with the Jacobian scaling, a
        burst whose mass is near zero gets a near-zero column and a huge step scale,
        and the optimizer crawls.
        """
        head = [1.0 / self.elim.area(h)] * self.nb + [1.0] * self.nc
        if self.fixed_h is None:
            head.append(max(h, 1.0))
        if self._common_sd_free:
            head.append(self.sd_bounds[0])
        tail = [np.full(k, self.dt), np.ones(k)]
        if self.per_burst_sd:
            tail.append(np.full(k, self.sd_bounds[0]))
        return np.concatenate([head, *tail])

    def bounds(self, k: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        lo = [0.0] * (self.nb + self.nc)
        hi = [np.inf] * (self.nb + self.nc)
        if self.fixed_h is None:
            lo.append(self.hl_bounds[0])
            hi.append(self.hl_bounds[1])
        if self._common_sd_free:
            lo.append(self.sd_bounds[0])
            hi.append(self.sd_bounds[1])
        lo += [self.tau_lo] * k + [0.0] * k
        hi += [self.tau_hi] * k + [np.inf] * k
        if self.per_burst_sd:
            lo += [self.sd_bounds[0]] * k
            hi += [self.sd_bounds[1]] * k
        return np.array(lo), np.array(hi)

    # -- model ----------------------------------------------------------------
    def burst_matrix(self, tau, s, h: float) -> NDArray[np.float64]:
        """Concentration per unit mass, shape (K, n); ``s`` is one SD or one per burst."""
        a, k, _ = self.elim.components(h)
        g = np.zeros((len(tau), self.n))
        for ac, kc in zip(a, k):
            g += ac * gaussian_burst_response(self.t, tau, s, kc)
        return g

    def decays(self, h: float) -> NDArray[np.float64]:
        """``exp(-k_c (t - t0))`` for each elimination component, shape (nc, n)."""
        _, k, _ = self.elim.components(h)
        return np.exp(-k[:, None] * self.dt0[None, :])

    def basal_matrix(self, h: float) -> NDArray[np.float64]:
        """Concentration per unit basal secretion of each basal basis function, (nb, n)."""
        if self.nb == 1:
            return np.full((1, self.n), self.elim.area(h))
        a, k, _ = self.elim.components(h)
        out = np.zeros((self.nb, self.n))
        for ac, kc in zip(a, k):
            out += ac * self._basal_response(kc)[0]
        return out

    def _basal_response(self, k: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """:func:`basal_response` at the sample times, cached by rate constant.

        The fast rate is fixed and the slow one changes only when the half-life does,
        so most calls repeat a recent rate.
        """
        key = float(k)
        hit = self._basal_cache.get(key)
        if hit is None:
            if len(self._basal_cache) >= _BASAL_CACHE_SIZE:
                self._basal_cache.clear()
            hit = basal_response(self.t, self.knots, key)
            self._basal_cache[key] = hit
        return hit

    def baseline(self, basal, c0, h: float) -> NDArray[np.float64]:
        """Concentration from basal secretion and the initial excess."""
        b = np.broadcast_to(np.asarray(basal, float), (self.nb,))
        return b @ self.basal_matrix(h) + np.asarray(c0, float) @ self.decays(h)

    def linear_design(self, tau, s: float, h: float) -> NDArray[np.float64]:
        """Columns: basal secretion, initial excess per component, one per burst."""
        cols = np.vstack([self.basal_matrix(h), self.decays(h)])
        return np.vstack([cols, self.burst_matrix(tau, s, h)]).T

    def predict(self, fit: DeconvolutionFit) -> NDArray[np.float64]:
        g = self.burst_matrix(fit.tau, fit.sds, fit.half_life)
        return self.baseline(fit.basal, fit.c0, fit.half_life) + fit.mass @ g

    def residual(self, x: NDArray[np.float64], k: int) -> NDArray[np.float64]:
        """Weighted residual ``(model - y) / sd``."""
        b, c0, h, s, tau, mass = self.unpack(x, k)
        model = self.baseline(b, c0, h) + mass @ self.burst_matrix(tau, s, h)
        return (model - self.y) * self.w

    def jacobian(self, x: NDArray[np.float64], k: int) -> NDArray[np.float64]:
        """Weighted Jacobian of :meth:`residual`, shape (n, n_params)."""
        b, c0, h, s, tau, mass = self.unpack(x, k)
        a, kk, dk_dh = self.elim.components(h)
        e_parts = np.exp(-kk[:, None] * self.dt0[None, :])  # (C, n)
        g = np.zeros((k, self.n))
        dtau = np.zeros((k, self.n))
        dsig = np.zeros(self.n)
        dsig_each = np.zeros((k, self.n))
        dh = np.zeros(self.n)
        basal_cols = np.zeros((self.nb, self.n))
        for ac, kc, dkc, ec, c0c in zip(a, kk, dk_dh, e_parts, c0):
            gc, gt, gs, gk = gaussian_burst_response(self.t, tau, s, kc, derivatives=True)
            g += ac * gc
            dtau += ac * gt
            if self.per_burst_sd:
                dsig_each += ac * gs
            else:
                dsig += ac * (mass @ gs)
            if self.nb == 1:
                rb, drb = np.full((1, self.n), 1.0 / kc), np.full((1, self.n), -1.0 / kc**2)
            else:
                rb, drb = self._basal_response(kc)
            basal_cols += ac * rb
            if dkc != 0.0:
                dc_dk = ac * (b @ drb) - c0c * self.dt0 * ec + ac * (mass @ gk)
                dh += dc_dk * dkc
        cols = [*basal_cols, *e_parts]
        if self.fixed_h is None:
            cols.append(dh)
        if self._common_sd_free:
            cols.append(dsig)
        head = np.vstack(cols)
        if not k:
            return head.T * self.w[:, None]
        blocks = [head, mass[:, None] * dtau, g]
        if self.per_burst_sd:
            blocks.append(mass[:, None] * dsig_each)
        return np.vstack(blocks).T * self.w[:, None]

    # -- fitting --------------------------------------------------------------
    def fit(
        self, b, c0, h, s, tau, mass, *, sds=None, max_nfev: int = MAX_NFEV_FIT
    ) -> DeconvolutionFit:
        """Fit all free parameters from the given starting values.

        With per-burst SDs, ``s`` is only carried along (the width given to new
        bursts) and ``sds`` holds the starting SD of each burst (default ``s``).
        """
        k = len(tau)
        order = np.argsort(tau)
        tau, mass = np.asarray(tau, float)[order], np.asarray(mass, float)[order]
        if self.per_burst_sd:
            sds = np.full(k, float(s)) if sds is None else np.asarray(sds, float)[order]
        lo, hi = self.bounds(k)
        x0 = self._pack(b, c0, h, s, tau, mass, sds)
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
            x_scale=self.x_scale(k, h),
            max_nfev=max_nfev,
            ftol=FIT_TOL,
            xtol=FIT_TOL,
            args=(k,),
        )
        b, c0, h, s_fit, tau, mass = self.unpack(res.x, k)
        order = np.argsort(tau)
        per_burst = np.array(s_fit[order]) if self.per_burst_sd else None
        return DeconvolutionFit(
            basal=np.array(b, dtype=float),
            c0=np.array(c0, dtype=float),
            half_life=float(h),
            sd=float(s) if self.per_burst_sd else float(s_fit),
            tau=np.array(tau[order]),
            mass=np.array(mass[order]),
            rss=float(2.0 * res.cost),
            n_params=self.n_params(k),
            burst_sd=per_burst,
        )

    def refit(self, fit: DeconvolutionFit, tau, mass, sds=None) -> DeconvolutionFit:
        """Fit new burst positions/masses (and per-burst SDs ``sds``) in two stages.

        First with the shared kinetics (half-life, common burst SD) held at the values
        of ``fit``, so the bursts adjust locally; then with everything free. Going
        straight to the joint fit after adding or removing a burst often lets the
        shared parameters jump to a worse local minimum.
        """
        local_problem = copy.copy(self)
        local_problem.fixed_h, local_problem.fixed_s = fit.half_life, fit.sd
        local = local_problem.fit(fit.basal, fit.c0, fit.half_life, fit.sd, tau, mass, sds=sds)
        return self.fit(
            local.basal,
            local.c0,
            local.half_life,
            local.sd,
            local.tau,
            local.mass,
            sds=local.burst_sd,
        )

    def without(self, fit: DeconvolutionFit, idx: int) -> DeconvolutionFit:
        """Refit with burst ``idx`` removed (its neighbours may move into its place)."""
        keep = np.arange(fit.n_bursts) != idx
        sds = None if fit.burst_sd is None else fit.burst_sd[keep]
        reduced = replace(fit, tau=fit.tau[keep], mass=fit.mass[keep], burst_sd=sds)
        neighbours = [i for i in (idx - 1, idx) if 0 <= i < reduced.n_bursts]
        tau, mass = self.sweep_positions(reduced, neighbours)
        return self.refit(fit, tau, mass, sds)

    def sweep_positions(
        self, fit: DeconvolutionFit, indices
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Move bursts ``indices`` one at a time to their best position nearby.

        For each burst, with all other parameters fixed, the position within
        :data:`SWEEP_RADIUS_INTERVALS` and the non-negative mass that minimise the
        weighted RSS are found by a matched filter. This escapes the local minima
        that burst positions have between sample times at coarse sampling.
        """
        tau, mass, sds = fit.tau.copy(), fit.mass.copy(), fit.sds
        target = self.y - self.baseline(fit.basal, fit.c0, fit.half_life)
        g_all = self.burst_matrix(tau, sds, fit.half_life)
        radius = SWEEP_RADIUS_INTERVALS * self.dt
        offsets = np.arange(-radius, radius + 1e-9, SWEEP_STEP_INTERVALS * self.dt)
        for j in indices:
            others = np.arange(tau.size) != j
            resid = (target - mass[others] @ g_all[others]) * self.w
            grid = np.clip(tau[j] + offsets, self.tau_lo, self.tau_hi)
            g = self.burst_matrix(grid, sds[j], fit.half_life)
            gw = g * self.w[None, :]
            num = gw @ resid
            den = np.maximum((gw * gw).sum(1), 1e-300)
            gain = np.where(num > 0, num * num / den, 0.0)
            best = int(np.argmax(gain))
            if gain[best] > 0:
                tau[j], mass[j] = grid[best], num[best] / den[best]
                g_all[j] = g[best]
        return tau, mass

    # -- statistics -----------------------------------------------------------
    def set_weights(self, w: NDArray[np.float64]) -> None:
        """Replace the weights; resets the reference variance (RSS values change)."""
        self.w = np.asarray(w, dtype=float)
        self.s2_ref = np.inf

    def accept(self, fit: DeconvolutionFit) -> DeconvolutionFit:
        """Record an accepted model; its residual variance may become the reference."""
        dof = self.n - fit.n_params
        if dof >= MIN_RESIDUAL_DOF and fit.rss > 0:
            self.s2_ref = min(self.s2_ref, fit.rss / dof)
        return fit

    def variance(self, fit: DeconvolutionFit) -> float:
        """Noise variance (weighted units) used by the significance tests."""
        if self.test == "chi2":
            return self.dispersion
        dof = self.n - fit.n_params
        own = fit.rss / dof if dof > 0 else np.inf
        return float(min(own, self.s2_ref))

    def p_value(self, delta_rss: NDArray[np.float64] | float, fit: DeconvolutionFit, extra: int):
        """p-value of an RSS increase ``delta_rss`` when ``extra`` parameters are removed."""
        delta = np.maximum(np.asarray(delta_rss, dtype=float), 0.0)
        s2 = self.variance(fit)
        if not (np.isfinite(s2) and s2 > 0):
            return np.zeros_like(delta)
        if self.test == "chi2":
            return stats.chi2.sf(delta / s2, extra)
        dof = self.n - fit.n_params
        if dof <= 0:
            return np.zeros_like(delta)
        return stats.f.sf(delta / extra / s2, extra, dof)

    def critical_delta(self, fit: DeconvolutionFit, alpha: float) -> float:
        """RSS increase at which removing one burst from ``fit`` has p = ``alpha``."""
        s2 = self.variance(fit)
        m = self.params_per_burst
        if self.test == "chi2":
            return float(stats.chi2.isf(alpha, m) * s2)
        dof = max(self.n - fit.n_params, 1)
        return float(stats.f.isf(alpha, m, dof) * m * s2)

    def compare(self, full: DeconvolutionFit, reduced: DeconvolutionFit) -> float:
        """p-value for the extra parameters of ``full`` over ``reduced``."""
        extra = full.n_params - reduced.n_params
        return float(self.p_value(reduced.rss - full.rss, full, extra))

    def wald_p_values(self, fit: DeconvolutionFit) -> NDArray[np.float64]:
        """Local (Wald) approximation of every burst's removal p-value.

        Under the linearised model, forcing mass ``M_k`` to zero (with its position
        and, if per burst, its SD, which no longer matter, held fixed) raises the
        weighted RSS by ``M_k**2 / Var(M_k | tau_k[, sd_k])``, with the covariance in
        weighted units.
        """
        k = fit.n_bursts
        if k == 0:
            return np.zeros(0)
        jac = self.jacobian(self.pack(fit), k)
        cov = np.linalg.pinv(jac.T @ jac)
        m_idx = self._mass_index(k)
        t_idx = m_idx - k
        v_mm, v_mt, v_tt = cov[m_idx, m_idx], cov[m_idx, t_idx], cov[t_idx, t_idx]
        if self.per_burst_sd:
            var = np.empty(k)
            for j in range(k):
                nuis = [t_idx[j], m_idx[j] + k]
                v_n = cov[np.ix_(nuis, nuis)]
                v_mn = cov[m_idx[j], nuis]
                var[j] = v_mm[j] - v_mn @ np.linalg.pinv(v_n) @ v_mn
        else:
            var = v_mm - np.where(v_tt > 0, v_mt**2 / np.maximum(v_tt, 1e-300), 0.0)
        delta = np.where(var > 0, fit.mass**2 / np.maximum(var, 1e-300), 0.0)
        return np.asarray(self.p_value(delta, fit, self.params_per_burst))

    def _mass_index(self, k: int) -> NDArray[np.intp]:
        """Positions of the ``k`` masses in the parameter vector."""
        return np.arange(k) + self.n_params(0) + k

    def mass_standard_errors(self, fit: DeconvolutionFit) -> NDArray[np.float64]:
        """Asymptotic SEs of the masses (normalised units)."""
        k = fit.n_bursts
        if k == 0:
            return np.zeros(0)
        jac = self.jacobian(self.pack(fit), k)
        s2 = (
            self.variance(fit)
            if self.test == "F"
            else max(fit.rss / max(self.n - fit.n_params, 1), 1.0)
        )
        cov = np.linalg.pinv(jac.T @ jac) * s2
        return np.sqrt(np.clip(np.diag(cov)[self._mass_index(k)], 0.0, None))


def _resolve_elimination(value: str | Elimination) -> Elimination:
    if isinstance(value, Elimination):
        return value
    return BiExponential() if value == "bi" else MonoExponential()


class Deconvolution(PulseEstimator):
    """Multiparameter deconvolution of a hormone series (AutoDecon-style).

    See the module docstring for the model and the algorithm.

    Parameters
    ----------
    error_model : ErrorModel
        Assay error model (required): the SD of each sample, hence the weights and,
        with ``test="chi2"``, the noise level the tests assume.
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
        Significance level of the insertion and triage tests.
    test : {"chi2", "F"}, default="chi2"
        Significance test (see module docstring).
    max_pulses : int or None, default=None
        Upper limit on the number of bursts (default: limited only by the data).
    basal_knot_interval_min : float or None, default=None
        ``None``: constant basal secretion, as in AutoDecon. A number: basal secretion
        is piecewise linear (non-negative) with knots about this many minutes apart
        over the record (:func:`~somatosim.analysis.kinetics.basal_profile`), so a
        slowly varying, non-pulsatile secretion is not read as a train of bursts.
        Choose it well above the burst width (e.g. 120 min for GH); see
        ``docs/analysis.md`` (model series) for the trade-off.
    burst_widths : {"common", "per_burst"}, default="common"
        ``"common"``: one burst SD for all bursts (AutoDecon). ``"per_burst"``: each
        burst has its own SD, and adjacent bursts are merged when one wider burst fits
        as well (step 6 of the module docstring). Slower (about 2x), and weaker on
        sparse, noisy series (three parameters per burst); see ``docs/analysis.md``.

    Attributes
    ----------
    pulses_ : pandas.DataFrame
        One row per burst: ``pulse`` (1-based), ``time_min`` (burst centre),
        ``mass`` (concentration units), ``mass_se``, ``amplitude_per_min`` (maximal
        secretion rate, concentration units per min), ``burst_sd_min`` (the
        burst's own SD with per-burst widths, else the common SD), ``fwhm_min``, ``p_value`` (test for removing the burst: by refitting near
        ``alpha``, by the Wald approximation where that is below
        ``alpha * WALD_MARGIN``).
    summary_ : PulseSummary
        Summary; ``extra`` holds ``half_life_min``, ``basal_secretion_per_min``,
        ``burst_sd_min``, ``initial_concentration``, ``reduced_chi2``, ``aic``,
        ``bic``, ``elimination``, ``test``, ``burst_widths`` (with per-burst widths
        ``burst_sd_min`` is the median SD), bound flags and ``max_bursts_allowed``
        (the data allow at most ``(n - kinetic parameters - 5) / 2`` bursts).
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

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "error_model": [InstanceOf(ErrorModel)],
        "elimination": [Options(("mono", "bi")), InstanceOf(Elimination)],
        "half_life_min": [Interval(float, 0, None, closed="neither", unit="min"), None],
        "half_life_init_min": [Interval(float, 0, None, closed="neither", unit="min")],
        "burst_sd_min": [Interval(float, 0, None, closed="neither", unit="min"), None],
        "burst_sd_init_min": [Interval(float, 0, None, closed="neither", unit="min")],
        "alpha": [Interval(float, 0, 1, closed="neither")],
        "test": [Options(("chi2", "F"))],
        "max_pulses": [Interval(int, 0, None, closed="left"), None],
        "basal_knot_interval_min": [Interval(float, 0, None, closed="neither", unit="min"), None],
        "burst_widths": [Options(("common", "per_burst"))],
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
        test: str = "chi2",
        max_pulses: int | None = None,
        basal_knot_interval_min: float | None = None,
        burst_widths: str = "common",
    ) -> None:
        self.error_model = error_model
        self.elimination = elimination
        self.half_life_min = half_life_min
        self.half_life_init_min = half_life_init_min
        self.burst_sd_min = burst_sd_min
        self.burst_sd_init_min = burst_sd_init_min
        self.alpha = alpha
        self.test = test
        self.max_pulses = max_pulses
        self.basal_knot_interval_min = basal_knot_interval_min
        self.burst_widths = burst_widths

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
        t, y = series.time_min, series.concentration
        sd = np.asarray(self.error_model.sd(y), dtype=float)
        bad = ~(np.isfinite(sd) & (sd > 0))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise AnalysisInputError(
                f"The error model ({self.error_model.describe()}) gives SD {sd[i]:g} at sample "
                f"{i + 1} (concentration {y[i]:g} {series.units}); every SD must be > 0. Use "
                "CVWithFloor for series that reach zero."
            )
        scale = float(np.max(y))
        sd_n = sd / scale
        dt = series.sampling_interval_min
        hl_lo = HALF_LIFE_BOUNDS_MIN[0]
        if isinstance(elim, BiExponential):
            hl_lo = max(hl_lo, elim.fast_half_life_min * 1.01)
        prob = _Problem(
            t,
            y / scale,
            1.0 / sd_n,
            elim,
            fixed_half_life=self.half_life_min,
            fixed_sd=self.burst_sd_min,
            hl_bounds=(hl_lo, HALF_LIFE_BOUNDS_MIN[1]),
            sd_bounds=(
                max(BURST_SD_BOUNDS_MIN[0], MIN_BURST_SD_INTERVALS * dt),
                BURST_SD_BOUNDS_MIN[1],
            ),
            lead=LEAD_INTERVALS * dt,
            test=self.test,
            basal_knots=basal_knots(t[0], t[-1], self.basal_knot_interval_min),
        )
        max_k = (series.n_samples - prob.n_params(0) - MIN_RESIDUAL_DOF) // _PARAMS_PER_BURST
        if self.max_pulses is not None:
            max_k = min(max_k, int(self.max_pulses))
        max_k = max(max_k, 0)

        fit = self._initial_fit(prob, max_k)
        fit = self._triage(prob, self._insert_all(prob, fit, max_k))
        fit = self._reweight(prob, fit, sd_n, scale)
        # insertion and triage alternate until the burst set repeats; of the sets
        # visited, keep the one with the smallest RSS penalised by the critical RSS
        # change of one burst at ``alpha`` (the criterion both steps approximate)
        seen: set[bytes] = set()
        visited: list[DeconvolutionFit] = []
        for _ in range(MAX_ROUNDS):
            fit = self._triage(prob, self._insert_all(prob, fit, max_k))
            visited.append(fit)
            key = np.round(fit.tau / dt).astype(np.int64).tobytes()
            if key in seen:
                break
            seen.add(key)
        fit = min(visited, key=lambda f: f.rss + prob.critical_delta(f, self.alpha) * f.n_bursts)
        if self.burst_widths == "per_burst":
            fit = self._consolidate(prob, fit, series.n_samples)

        self.series_ = series
        self._elimination_ = elim
        self._basal_knots_ = prob.knots
        self.fit_ = fit
        self.fitted_ = prob.predict(fit) * scale
        self.pulses_ = self._pulse_table(prob, fit, scale)
        self.summary_ = self._summary(series, prob, fit, scale)
        self.summary_.extra["max_bursts_allowed"] = max_k
        return self

    def predict(self, time_min: NDArray[np.float64]) -> NDArray[np.float64]:
        """Fitted concentration (series units) at arbitrary times (min)."""
        self._check_is_fitted()
        t = np.asarray(time_min, dtype=float)
        f = self.fit_
        elim = self._elimination_
        a, k, _ = elim.components(f.half_life)
        dt0 = t - self.series_.time_min[0]
        decays = np.where(dt0[None, :] >= 0, np.exp(-k[:, None] * np.maximum(dt0, 0)[None, :]), 0.0)
        conc = f.c0 @ decays
        for ac, kc in zip(a, k):
            conc = conc + ac * (f.basal @ basal_response(t, self._basal_knots_, kc)[0])
            conc = conc + ac * (f.mass @ gaussian_burst_response(t, f.tau, f.sds, kc))
        return conc * float(np.max(self.series_.concentration))

    def secretion_rate(self, time_min: NDArray[np.float64] | None = None) -> NDArray[np.float64]:
        """Fitted secretion rate (series units per min) at ``time_min`` (default: 1-min grid)."""
        self._check_is_fitted()
        if time_min is None:
            t = self.series_.time_min
            time_min = np.arange(t[0], t[-1] + 1e-9, 1.0)
        tt = np.asarray(time_min, dtype=float)
        scale = float(np.max(self.series_.concentration))
        f = self.fit_
        sds = f.sds[:, None]
        z = (tt[None, :] - f.tau[:, None]) / sds
        pulses = (f.mass[:, None] * np.exp(-0.5 * z * z) / (sds * np.sqrt(2 * np.pi))).sum(0)
        return (f.basal @ basal_profile(tt, self._basal_knots_) + pulses) * scale

    # ---------------------------------------------------------------- internals
    def _initial_fit(self, prob: _Problem, max_k: int) -> DeconvolutionFit:
        h0 = (
            self.half_life_min
            if self.half_life_min is not None
            else float(np.clip(self.half_life_init_min, *prob.hl_bounds))
        )
        s0 = (
            self.burst_sd_min
            if self.burst_sd_min is not None
            else float(np.clip(self.burst_sd_init_min, *prob.sd_bounds))
        )
        tau = _candidate_times(prob.t, prob.y, 1.0 / prob.w, 1.0 / prob.elim.area(h0))
        tau = np.sort(tau[:max_k])  # strongest first
        for _ in range(INITIAL_SWEEPS):
            tau = self._linear_screen(prob, tau, s0, h0)
            b, c0, mass = _nnls(prob, tau, s0, h0)
            start = DeconvolutionFit(b, c0, h0, s0, tau, mass, np.inf, prob.n_params(tau.size))
            if tau.size:
                tau, mass = prob.sweep_positions(start, range(tau.size))
                tau = _merge_close(tau, mass, max(prob.dt, INSERTION_EXCLUSION_SDS * s0))
        tau = self._linear_screen(prob, np.sort(tau), s0, h0)
        b, c0, mass = _nnls(prob, tau, s0, h0)
        fit = prob.fit(b, c0, h0, s0, tau, mass, max_nfev=MAX_NFEV_INITIAL)
        return prob.accept(fit)

    def _linear_screen(
        self, prob: _Problem, tau: NDArray[np.float64], s: float, h: float
    ) -> NDArray[np.float64]:
        """Drop candidates that are not significant with the kinetics held fixed.

        With positions, half-life and burst SD fixed, the model is linear in basal
        secretion, initial concentration and masses (non-negative least squares),
        so every candidate's removal is cheap to test. The test assumes the error
        model's variance (1 in weighted units) regardless of ``test``: the starting
        fit is too rough for its own residual variance to mean anything.
        """
        design = prob.linear_design(tau, s, h) * prob.w[:, None]
        target = prob.y * prob.w

        n_head = prob.nb + prob.nc

        def rss(cols: NDArray[np.intp]) -> tuple[float, NDArray[np.float64]]:
            d = design[:, np.concatenate([np.arange(n_head), cols + n_head])]
            coef, norm = optimize.nnls(d, target, maxiter=50 * d.shape[1])
            return float(norm**2), coef[n_head:]

        keep = np.arange(tau.size)
        full_rss, mass = rss(keep)
        keep = keep[mass > 0]
        full_rss, _ = rss(keep)
        while keep.size:
            reduced = np.array([rss(np.delete(keep, i))[0] for i in range(keep.size)])
            p = stats.chi2.sf(np.maximum(reduced - full_rss, 0.0), _PARAMS_PER_BURST)
            worst = int(np.argmax(p))
            if p[worst] < self.alpha:
                break
            keep = np.delete(keep, worst)
            full_rss = reduced[worst]
        return tau[keep]

    def _reweight(
        self, prob: _Problem, fit: DeconvolutionFit, sd_data: NDArray[np.float64], scale: float
    ) -> DeconvolutionFit:
        """Evaluate the error model at the fitted curve instead of the noisy data.

        Weights from the measured values are biased (a value that happens to be low
        gets too much weight); with a CV-type error model this inflates the residual
        variance by tens of percent at CV 20 %. The SD from the fitted curve is kept
        within a factor :data:`REWEIGHT_CLIP` of the SD at the data. All models
        compared within one round use the same weights.
        """
        model = prob.predict(fit)
        sd_model = np.asarray(self.error_model.sd(model * scale), dtype=float) / scale
        ok = np.isfinite(sd_model) & (sd_model > 0)
        sd_new = np.clip(
            np.where(ok, sd_model, sd_data), sd_data / REWEIGHT_CLIP, sd_data * REWEIGHT_CLIP
        )
        prob.set_weights(1.0 / sd_new)
        fit = prob.fit(
            fit.basal, fit.c0, fit.half_life, fit.sd, fit.tau, fit.mass, sds=fit.burst_sd
        )
        if fit.n_bursts:
            # let every burst move to its best nearby position before inserting more
            tau, mass = prob.sweep_positions(fit, range(fit.n_bursts))
            swept = prob.refit(fit, tau, mass, fit.burst_sd)
            fit = swept if swept.rss < fit.rss else fit
        return prob.accept(fit)

    def _insert_all(self, prob: _Problem, fit: DeconvolutionFit, max_k: int) -> DeconvolutionFit:
        """Insert bursts one at a time while the insertion test is significant."""
        for _ in range(MAX_INSERTIONS):
            if fit.n_bursts >= max_k:
                break
            trial = self._insert(prob, fit)
            if trial is None or prob.compare(trial, fit) >= self.alpha:
                break
            fit = prob.accept(trial)
        return fit

    def _insert(self, prob: _Problem, fit: DeconvolutionFit) -> DeconvolutionFit | None:
        """Refit with one more burst where a matched filter finds most residual signal."""
        grid = np.arange(prob.tau_lo, prob.tau_hi + 1e-9, INSERTION_GRID_STEP * prob.dt)
        r = (prob.y - prob.predict(fit)) * prob.w  # data above the fit are positive
        g = prob.burst_matrix(grid, fit.sd, fit.half_life) * prob.w[None, :]
        num = g @ r
        den = np.maximum((g * g).sum(1), 1e-300)
        score = np.where(num > 0, num * num / den, 0.0)
        if fit.n_bursts:
            exclusion = np.maximum(prob.dt, INSERTION_EXCLUSION_SDS * fit.sds)
            near = (np.abs(grid[:, None] - fit.tau[None, :]) < exclusion[None, :]).any(axis=1)
            score[near] = 0.0
        j = int(np.argmax(score))
        if score[j] <= 0:
            return None
        sds = None if fit.burst_sd is None else np.append(fit.burst_sd, fit.sd)
        return prob.refit(
            fit, np.append(fit.tau, grid[j]), np.append(fit.mass, num[j] / den[j]), sds
        )

    def _consolidate(self, prob: _Problem, fit: DeconvolutionFit, n: int) -> DeconvolutionFit:
        """Give every burst its own SD, then merge, insert and triage until stable."""
        prob.dispersion = self._dispersion(prob, fit)
        prob.per_burst_sd = True
        prob.s2_ref = np.inf
        lo, hi = prob.sd_bounds
        prob.sd_bounds = (
            max(lo, fit.sd / PER_BURST_SD_RANGE),
            min(hi, max(fit.sd * PER_BURST_SD_RANGE, lo * PER_BURST_SD_RANGE)),
        )
        max_k = max((n - prob.n_params(0) - MIN_RESIDUAL_DOF) // prob.params_per_burst, 0)
        if self.max_pulses is not None:
            max_k = min(max_k, int(self.max_pulses))
        fit = prob.accept(
            prob.fit(fit.basal, fit.c0, fit.half_life, fit.sd, fit.tau, fit.mass, sds=fit.sds)
        )
        seen: set[bytes] = set()
        for _ in range(MAX_ROUNDS):
            fit = self._merge_all(prob, fit)
            fit = self._triage(prob, self._insert_all(prob, fit, max_k))
            key = np.round(fit.tau / prob.dt).astype(np.int64).tobytes()
            if key in seen:
                break
            seen.add(key)
        return fit

    def _dispersion(self, prob: _Problem, fit: DeconvolutionFit) -> float:
        """Residual variance the per-burst stage's chi2 tests assume (weighted units).

        1 (the error model at its word) unless the AutoDecon fit shows significant lack
        of fit (chi2 goodness-of-fit test at ``alpha``); then its reduced chi2, the
        quasi-likelihood estimate of a variance the error model understates.
        """
        dof = prob.n - fit.n_params
        if self.test != "chi2" or dof < MIN_RESIDUAL_DOF:
            return 1.0
        if stats.chi2.sf(fit.rss, dof) >= self.alpha:
            return 1.0
        return max(1.0, fit.rss / dof)

    def _merge_all(self, prob: _Problem, fit: DeconvolutionFit) -> DeconvolutionFit:
        """Fuse adjacent bursts while one wider burst explains the data as well.

        The two-burst model has three more parameters (position, mass and SD of one
        burst) than the merged one; a merge is kept when the test of those extra
        parameters is not significant (``p >= alpha``), the least significant pair
        first. Each pair is first screened by fitting only the merged burst, with all
        other parameters held: that merged model fits no better than the full refit,
        so its p-value is a lower bound, and pairs far below ``alpha`` are not refitted.
        """
        while fit.n_bursts >= 2:
            gaps = np.diff(fit.tau)
            near = np.flatnonzero(gaps < MERGE_MAX_GAP_SDS * fit.sd)
            if not near.size:
                return fit
            p_screen = np.array([self._merge_screen_p(prob, fit, int(i)) for i in near])
            merged = False
            for j in np.argsort(-p_screen, kind="stable")[:TRIAGE_CHECKS_PER_ROUND]:
                if p_screen[j] < self.alpha * WALD_MARGIN:
                    break
                trial = self._merge_pair(prob, fit, int(near[j]))
                if prob.compare(fit, trial) >= self.alpha:
                    fit, merged = prob.accept(trial), True
                    break
            if not merged:
                return fit
        return fit

    @staticmethod
    def _merge_start(prob: _Problem, fit: DeconvolutionFit, i: int) -> tuple[float, float, float]:
        """Position, mass and SD of one burst with the mass and spread of bursts ``i, i+1``."""
        m = fit.mass[i : i + 2]
        tau, sds = fit.tau[i : i + 2], fit.sds[i : i + 2]
        w = m / m.sum() if m.sum() > 0 else np.full(2, 0.5)
        centre = float(w @ tau)
        spread = float(np.sqrt(max(w @ (sds**2 + (tau - centre) ** 2), 0.0)))
        return centre, float(m.sum()), float(np.clip(spread, *prob.sd_bounds))

    def _merge_screen_p(self, prob: _Problem, fit: DeconvolutionFit, i: int) -> float:
        """Lower bound on the merge p-value: only the merged burst is fitted."""
        keep = np.r_[:i, i + 2 : fit.n_bursts]
        h = fit.half_life
        others = fit.mass[keep] @ prob.burst_matrix(fit.tau[keep], fit.sds[keep], h)
        target = (prob.y - prob.baseline(fit.basal, fit.c0, h) - others) * prob.w
        x0 = np.array(self._merge_start(prob, fit, i))
        lo = np.array([prob.tau_lo, 0.0, prob.sd_bounds[0]])
        hi = np.array([prob.tau_hi, np.inf, prob.sd_bounds[1]])
        x0 = np.clip(x0, lo + 1e-9, hi - 1e-9)

        def resid(x):
            g = prob.burst_matrix(x[:1], x[2:3], h)[0]
            return x[1] * g * prob.w - target

        res = optimize.least_squares(
            resid,
            x0,
            bounds=(lo, hi),
            x_scale=np.array([prob.dt, max(x0[1], 1e-6), prob.sd_bounds[0]]),
            max_nfev=50,
            ftol=1e-4,
            xtol=1e-4,
        )
        rss = float(2.0 * res.cost)
        reduced = replace(
            fit,
            tau=fit.tau[keep],
            mass=fit.mass[keep],
            burst_sd=fit.sds[keep],
            rss=rss,
            n_params=prob.n_params(fit.n_bursts - 1),
        )
        return prob.compare(fit, reduced)

    def _merge_pair(self, prob: _Problem, fit: DeconvolutionFit, i: int) -> DeconvolutionFit:
        """Refit with bursts ``i`` and ``i + 1`` replaced by one with their mass and spread."""
        centre, mass, spread = self._merge_start(prob, fit, i)
        keep = np.r_[:i, i + 2 : fit.n_bursts]
        return prob.refit(
            fit,
            np.append(fit.tau[keep], centre),
            np.append(fit.mass[keep], mass),
            np.append(fit.sds[keep], spread),
        )

    def _screen_p(self, prob: _Problem, fit: DeconvolutionFit) -> NDArray[np.float64]:
        """Wald p-values, set to 1 (must be tested exactly) for crowded bursts.

        The Wald approximation fails for two bursts close together (their masses are
        nearly collinear), so such bursts are never waved through on it.
        """
        p = prob.wald_p_values(fit)
        if fit.n_bursts > 1:
            gaps = np.diff(fit.tau)
            sds = fit.sds
            crowd = np.maximum(prob.dt, INSERTION_EXCLUSION_SDS * 0.5 * (sds[1:] + sds[:-1]))
            close = np.zeros(fit.n_bursts, bool)
            close[:-1] |= gaps < crowd
            close[1:] |= gaps < crowd
            p = np.where(close, 1.0, p)
        return p

    def _triage(self, prob: _Problem, fit: DeconvolutionFit) -> DeconvolutionFit:
        """Remove non-significant bursts, least significant first."""
        while fit.n_bursts > 0:
            p_wald = self._screen_p(prob, fit)
            removed = False
            for idx in np.argsort(-p_wald, kind="stable")[:TRIAGE_CHECKS_PER_ROUND]:
                if p_wald[idx] < self.alpha * WALD_MARGIN:
                    break
                reduced = prob.without(fit, int(idx))
                if prob.compare(fit, reduced) >= self.alpha:
                    fit, removed = prob.accept(reduced), True
                    break
            if not removed:
                return fit
        return fit

    def _p_values(self, prob: _Problem, fit: DeconvolutionFit) -> NDArray[np.float64]:
        """Removal p-values: by refitting near ``alpha``, Wald approximation elsewhere."""
        p = self._screen_p(prob, fit)
        for i in np.flatnonzero(p >= self.alpha * WALD_MARGIN):
            p[i] = prob.compare(fit, prob.without(fit, int(i)))
        return p

    def _pulse_table(self, prob: _Problem, fit: DeconvolutionFit, scale: float) -> pd.DataFrame:
        mass = fit.mass * scale
        sds = fit.sds
        return pd.DataFrame(
            {
                "pulse": np.arange(1, fit.n_bursts + 1),
                "time_min": fit.tau,
                "mass": mass,
                "mass_se": prob.mass_standard_errors(fit) * scale,
                "amplitude_per_min": mass / (sds * np.sqrt(2.0 * np.pi)),
                "burst_sd_min": sds,
                "fwhm_min": sds * FWHM_PER_SD,
                "p_value": self._p_values(prob, fit),
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
        # mean basal secretion over the record (midpoint rule on a fine grid)
        edges = np.linspace(t_lo, t_hi, max(int(np.ceil(series.duration_min)), 1) + 1)
        mid = 0.5 * (edges[1:] + edges[:-1])
        basal_mean = float(np.mean(fit.basal @ basal_profile(mid, prob.knots)))
        basal = basal_mean * scale * series.duration_min
        log_lik_term = n * np.log(fit.rss / n) if fit.rss > 0 else float("-inf")
        elim = prob.elim
        extra: dict[str, Any] = {
            "elimination": elim.label,
            "half_life_min": fit.half_life,
            "half_life_fixed": self.half_life_min is not None,
            "half_life_at_bound": bool(
                self.half_life_min is None
                and np.any(np.isclose(fit.half_life, prob.hl_bounds, rtol=1e-3))
            ),
            "basal_secretion_per_min": basal_mean * scale,
            "basal_knots": int(prob.nb),
            "initial_concentration": float(np.sum(fit.c0)) * scale,
            "burst_sd_min": float(np.median(fit.sds))
            if fit.burst_sd is not None and fit.n_bursts
            else fit.sd,
            "burst_widths": self.burst_widths,
            "burst_sd_at_bound": bool(
                self.burst_sd_min is None and np.any(np.isclose(fit.sd, prob.sd_bounds, rtol=1e-3))
            ),
            "mean_burst_mass": float(np.mean(fit.mass[inside]) * scale)
            if inside.any()
            else float("nan"),
            "total_pulsatile_secretion": pulsatile,
            "total_basal_secretion": basal,
            "n_bursts_before_record": int((fit.tau < t_lo).sum()),
            "reduced_chi2": fit.rss / dof,
            "aic": float(log_lik_term + 2 * p),
            "bic": float(log_lik_term + p * np.log(n)),
            "test": self.test,
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


def _nnls(prob: _Problem, tau, s: float, h: float):
    """Non-negative least squares for basal secretion, initial excess and masses."""
    d = prob.linear_design(tau, s, h) * prob.w[:, None]
    coef, _ = optimize.nnls(d, prob.y * prob.w, maxiter=50 * d.shape[1])
    nb, nc = prob.nb, prob.nc
    return coef[:nb], coef[nb : nb + nc], coef[nb + nc :]


def _merge_close(
    tau: NDArray[np.float64], mass: NDArray[np.float64], distance: float
) -> NDArray[np.float64]:
    """Keep one candidate (the heavier) of any group closer together than ``distance``.

    Two candidates swept onto the same pulse would otherwise start the fit with a
    duplicate burst, which makes the least-squares problem ill-conditioned.
    """
    order = np.argsort(-mass, kind="stable")
    kept: list[float] = []
    for i in order:
        if all(abs(tau[i] - k) >= distance for k in kept):
            kept.append(float(tau[i]))
    return np.sort(np.array(kept))


def _candidate_times(
    t: NDArray[np.float64], y: NDArray[np.float64], sd: NDArray[np.float64], k_eff: float
) -> NDArray[np.float64]:
    """Candidate burst centres from a model-free secretion estimate, strongest first.

    ``k_eff`` (1/min) is the reciprocal of the kernel's area (mean residence time).
    """
    dt = np.diff(t)
    secretion = np.diff(y) / dt + k_eff * 0.5 * (y[1:] + y[:-1])
    secretion -= np.min(secretion)  # remove a basal level
    strength = secretion * dt / np.hypot(sd[1:], sd[:-1])
    left = np.concatenate([[-np.inf], strength[:-1]])
    right = np.concatenate([strength[1:], [-np.inf]])
    idx = np.flatnonzero((strength >= left) & (strength > right) & (strength > CANDIDATE_Z))
    idx = idx[np.argsort(-strength[idx])]
    return 0.5 * (t[idx] + t[idx + 1])


def deconvolve(
    series: Any, error_model: ErrorModel, **params: Any
) -> tuple[pd.DataFrame, PulseSummary]:
    """Function twin of :class:`Deconvolution`: returns ``(pulses, summary)``.

    Parameters
    ----------
    series : HormoneSeries, path, DataFrame, or (time, concentration)
        The data.
    error_model : ErrorModel
        Assay error model (required).
    **params
        Any other :class:`Deconvolution` parameter.
    """
    est = Deconvolution(error_model, **params).fit(series)
    return est.pulses_, est.summary_
