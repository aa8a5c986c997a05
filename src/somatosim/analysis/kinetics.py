r"""The convolution model shared by deconvolution methods.

Measured concentration :math:`y(t_i) = C(t_i) + \varepsilon_i`, with

.. math::

    C(t) = B \int_0^\infty E(s)\,ds + C_0 E(t - t_0)
           + \sum_k M_k \int \phi_{\sigma}(s - \tau_k)\,E(t - s)\,ds ,

where :math:`B` is the basal secretion rate (concentration units per min),
:math:`C_0` the concentration above basal already present at the first sample
:math:`t_0`, :math:`M_k` the mass of burst :math:`k` (concentration units: amount per
distribution volume), :math:`\tau_k` its centre and :math:`\sigma` the common burst SD
(min). The elimination kernel is a sum of exponentials with unit total amplitude,
:math:`E(t) = \sum_c a_c e^{-k_c t}` for :math:`t \ge 0` (mono-exponential: one term).

One Gaussian burst convolved with one exponential has the closed form (the formula
used by BayesPulse, ``BayesPulse/libpulsatile`` ``calc_mean_contribution``; see
``shared/research/software_anchors.md`` §1.1):

.. math::

    g(t; \tau, \sigma, k) = \exp\!\big(-k u + \tfrac12 k^2 \sigma^2\big)\,
                            \Phi\!\big((u - k\sigma^2)/\sigma\big), \qquad u = t - \tau .

It is evaluated in log space (``log_ndtr``) so it neither overflows before the burst
nor underflows after it. Its derivatives use the identity
:math:`\exp(-ku + k^2\sigma^2/2)\,\varphi(z) = \varphi(u/\sigma)`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import log_ndtr

from somatosim.analysis.exceptions import AnalysisInputError

__all__ = [
    "GH_FAST_HALF_LIFE_MIN",
    "GH_SLOW_FRACTION",
    "BiExponential",
    "Elimination",
    "MonoExponential",
    "gaussian_burst_response",
]

LN2 = float(np.log(2.0))
_SQRT_2PI = float(np.sqrt(2.0 * np.pi))

#: Fast-phase half-life of GH disappearance (min) used as a fixed component in
#: bi-exponential GH deconvolution (Veldhuis and colleagues; value as commonly used
#: with Deconv/AutoDecon for GH, **unverified** against the primary source).
GH_FAST_HALF_LIFE_MIN = 3.5

#: Fraction of the GH elimination amplitude in the slow phase (same source and
#: caveat as :data:`GH_FAST_HALF_LIFE_MIN`).
GH_SLOW_FRACTION = 0.63


class Elimination(ABC):
    """An elimination kernel :math:`E(t)=\\sum_c a_c e^{-k_c t}` with one fitted half-life.

    Subclasses say how the fitted half-life ``h`` (min) maps to the component
    amplitudes and rate constants.
    """

    @abstractmethod
    def components(
        self, half_life_min: float
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Amplitudes ``a``, rates ``k`` (1/min) and ``dk/dh`` for fitted half-life ``h``."""

    @property
    @abstractmethod
    def label(self) -> str:
        """Short name used in reports (``"mono"`` or ``"bi"``)."""

    def kernel(self, t_min: NDArray[np.float64], half_life_min: float) -> NDArray[np.float64]:
        """:math:`E(t)` for ``t >= 0`` (zero before), unit amplitude at ``t = 0``."""
        a, k, _ = self.components(half_life_min)
        t = np.asarray(t_min, dtype=float)
        out = np.zeros_like(t)
        pos = t >= 0
        out[pos] = (a[:, None] * np.exp(-k[:, None] * t[pos][None, :])).sum(axis=0)
        return out

    def area(self, half_life_min: float) -> float:
        """:math:`\\int_0^\\infty E` (min): basal concentration per unit basal secretion."""
        a, k, _ = self.components(half_life_min)
        return float(np.sum(a / k))


@dataclass(frozen=True)
class MonoExponential(Elimination):
    """:math:`E(t) = e^{-kt}`, :math:`k = \\ln 2 / h`; the fitted ``h`` is the half-life."""

    def components(self, half_life_min: float):
        k = LN2 / half_life_min
        return np.array([1.0]), np.array([k]), np.array([-k / half_life_min])

    @property
    def label(self) -> str:
        return "mono"


@dataclass(frozen=True)
class BiExponential(Elimination):
    """Bi-exponential kernel with a fixed fast phase and a fitted slow half-life.

    :math:`E(t) = (1 - f)\\,e^{-k_f t} + f\\,e^{-k_s t}`, with :math:`k_f` from
    ``fast_half_life_min`` (fixed), :math:`f` = ``slow_fraction`` (fixed) and the slow
    half-life fitted, the way multiparameter deconvolution of GH is usually run.

    Parameters
    ----------
    fast_half_life_min : float, default=GH_FAST_HALF_LIFE_MIN
        Fast-phase half-life (min).
    slow_fraction : float, default=GH_SLOW_FRACTION
        Fraction of the amplitude in the slow phase, in (0, 1].
    """

    fast_half_life_min: float = GH_FAST_HALF_LIFE_MIN
    slow_fraction: float = GH_SLOW_FRACTION

    def __post_init__(self) -> None:
        if not (np.isfinite(self.fast_half_life_min) and self.fast_half_life_min > 0):
            raise AnalysisInputError(
                "The 'fast_half_life_min' of BiExponential must be a float in the range "
                f"(0, inf) min. Got {self.fast_half_life_min!r} instead."
            )
        if not (0 < self.slow_fraction <= 1):
            raise AnalysisInputError(
                "The 'slow_fraction' of BiExponential must be a float in the range (0, 1]. "
                f"Got {self.slow_fraction!r} instead."
            )

    def components(self, half_life_min: float):
        k_fast = LN2 / self.fast_half_life_min
        k_slow = LN2 / half_life_min
        f = self.slow_fraction
        return (
            np.array([1.0 - f, f]),
            np.array([k_fast, k_slow]),
            np.array([0.0, -k_slow / half_life_min]),
        )

    @property
    def label(self) -> str:
        return "bi"


def gaussian_burst_response(
    t_min: NDArray[np.float64],
    centre_min: NDArray[np.float64],
    sd_min: float,
    rate_per_min: float,
    *,
    derivatives: bool = False,
) -> NDArray[np.float64] | tuple[NDArray[np.float64], ...]:
    """Concentration from unit-mass Gaussian bursts eliminated mono-exponentially.

    Parameters
    ----------
    t_min : ndarray of shape (n,)
        Observation times (min).
    centre_min : ndarray of shape (K,)
        Burst centres (min).
    sd_min : float or ndarray of shape (K,)
        Burst SD (min), > 0: one common value, or one per burst.
    rate_per_min : float
        Elimination rate constant ``k`` (1/min), > 0.
    derivatives : bool, default=False
        Also return ``dg/dtau``, ``dg/dsigma`` and ``dg/dk``.

    Returns
    -------
    g : ndarray of shape (K, n)
        Concentration per unit burst mass.
    dg_dtau, dg_dsigma, dg_dk : ndarray of shape (K, n)
        Only with ``derivatives=True``.
    """
    t = np.asarray(t_min, dtype=float)
    tau = np.asarray(centre_min, dtype=float)
    s = np.asarray(sd_min, dtype=float)
    s = s[:, None] if s.ndim == 1 else float(s)
    k = float(rate_per_min)
    u = t[None, :] - tau[:, None]
    z = (u - k * s * s) / s
    g = np.exp(-k * u + 0.5 * k * k * s * s + log_ndtr(z))
    if not derivatives:
        return g
    x = u / s
    pdf = np.exp(-0.5 * x * x) / _SQRT_2PI  # standard normal pdf of u/sigma
    dg_du = -k * g + pdf / s
    dg_dtau = -dg_du
    dg_dsigma = k * k * s * g - pdf * (u / (s * s) + k)
    dg_dk = (k * s * s - u) * g - s * pdf
    return g, dg_dtau, dg_dsigma, dg_dk


def _ramp_response(u: NDArray[np.float64], k: float) -> tuple[NDArray[np.float64], ...]:
    """``R(u) = int_0^u s e^{-k(u-s)} ds`` (zero for ``u <= 0``) and ``dR/dk``."""
    up = np.maximum(u, 0.0)
    ku = k * up
    em1 = np.expm1(-ku)  # e^{-ku} - 1
    r = (ku + em1) / (k * k)
    dr = -up / (k * k) - up * (em1 + 1.0) / (k * k) - 2.0 * em1 / k**3
    return r, dr


def basal_knots(t0_min: float, t1_min: float, interval_min: float | None) -> NDArray[np.float64]:
    """Knots of a piecewise-linear basal secretion over ``[t0, t1]``.

    ``None`` gives the single knot ``[t0]``: a constant basal secretion. Otherwise
    ``m + 1`` equally spaced knots from ``t0`` to ``t1`` with ``m`` the nearest whole
    number of intervals (at least 1).
    """
    if interval_min is None:
        return np.array([float(t0_min)])
    m = max(1, round((float(t1_min) - float(t0_min)) / float(interval_min)))
    return np.linspace(float(t0_min), float(t1_min), m + 1)


def basal_profile(t_min: NDArray[np.float64], knots: NDArray[np.float64]) -> NDArray[np.float64]:
    r"""Basis functions of the basal secretion at times ``t``, shape (n_knots, n).

    One knot: the constant 1. Several knots :math:`s_0 < \dots < s_m`: linear B-splines
    (hats) on the knots, the first held at 1 before :math:`s_0` and the last at 1 after
    :math:`s_m`, so the basis sums to 1 everywhere and a constant basal secretion is the
    special case of equal coefficients.
    """
    t = np.asarray(t_min, dtype=float)
    s = np.asarray(knots, dtype=float)
    if s.size == 1:
        return np.ones((1, t.size))
    out = np.empty((s.size, t.size))
    for j in range(s.size):
        ramp_in = np.ones_like(t) if j == 0 else np.clip((t - s[j - 1]) / (s[j] - s[j - 1]), 0, 1)
        ramp_out = (
            np.ones_like(t)
            if j == s.size - 1
            else np.clip((s[j + 1] - t) / (s[j + 1] - s[j]), 0, 1)
        )
        out[j] = np.minimum(ramp_in, ramp_out)
    return out


def basal_response(
    t_min: NDArray[np.float64], knots: NDArray[np.float64], rate_per_min: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    r"""Concentration from each basal basis function (:func:`basal_profile`) under
    elimination :math:`e^{-kt}`, and its derivative with respect to ``k``; shapes (n_knots, n).

    A constant secretion held since :math:`-\infty` gives :math:`1/k`; a hat is a sum of
    ramps, and a ramp :math:`(t-s)_+` gives :math:`R(t - s)` with
    :math:`R(u) = (ku + e^{-ku} - 1)/k^2` for :math:`u > 0`.
    """
    t = np.asarray(t_min, dtype=float)
    s = np.asarray(knots, dtype=float)
    k = float(rate_per_min)
    const, dconst = 1.0 / k, -1.0 / (k * k)
    if s.size == 1:
        return np.full((1, t.size), const), np.full((1, t.size), dconst)
    r, dr = _ramp_response(t[None, :] - s[:, None], k)  # (m + 1, n)
    slope = 1.0 / np.diff(s)  # (m,)
    resp = np.zeros((s.size, t.size))
    dresp = np.zeros_like(resp)
    # hat j = ramp(s_{j-1}) / L_{j-1} - ramp(s_j) (1/L_{j-1} + 1/L_j) + ramp(s_{j+1}) / L_j
    for j in range(s.size):
        if j == 0:
            resp[j] = const - slope[0] * (r[0] - r[1])
            dresp[j] = dconst - slope[0] * (dr[0] - dr[1])
            continue
        resp[j] = slope[j - 1] * (r[j - 1] - r[j])
        dresp[j] = slope[j - 1] * (dr[j - 1] - dr[j])
        if j < s.size - 1:
            resp[j] -= slope[j] * (r[j] - r[j + 1])
            dresp[j] -= slope[j] * (dr[j] - dr[j + 1])
    return resp, dresp
