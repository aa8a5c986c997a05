"""Age-dependent reference distributions: LMS (Box-Cox Cole-Green) and BCPE.

Pure, vectorised functions (numpy broadcasting over every argument). They take distribution
parameters that have already been interpolated to the person's age; see
:mod:`somatosim.clinic.reference` for tables and interpolation.

References
----------
* Cole TJ, Green PJ. Smoothing reference centile curves: the LMS method and penalized likelihood.
  Stat Med 1992;11:1305-19. (SDS = ((x/M)^L - 1)/(L S); ln(x/M)/S when L = 0.)
* Rigby RA, Stasinopoulos DM. Smooth centile curves for skew and kurtotic data modelled using the
  Box-Cox power exponential distribution. Stat Med 2004;23:3053-76. (BCPE.)
* Formulas as written in the project's research notes, ``clinical_reference.md`` section 1.2.

Notes
-----
gamlss' ``pBCCG``/``pBCPE`` renormalise for the impossible negative tail of the Box-Cox
transform. The correction is below 1e-15 at the sigma values of the IGF-1 references and is not
applied here.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammainc, gammaincinv, gammaln, ndtr, ndtri

__all__ = [
    "L_ZERO_TOLERANCE",
    "bcpe_cdf",
    "bcpe_quantile",
    "bcpe_sds",
    "bcpe_value",
    "centile_to_sds",
    "lms_sds",
    "lms_value",
    "pe_cdf",
    "pe_quantile",
    "sds_to_centile",
]

#: |L| (or |nu|) below which the Box-Cox power is treated as 0 (log transform). Cole & Green 1992.
L_ZERO_TOLERANCE = 1e-12


def _f(x: ArrayLike) -> NDArray[np.float64]:
    return np.asarray(x, dtype=float)


def _box_cox_z(y: ArrayLike, mu: ArrayLike, sigma: ArrayLike, nu: ArrayLike) -> NDArray[np.float64]:
    """Box-Cox z: ((y/mu)^nu - 1)/(nu*sigma), or ln(y/mu)/sigma where |nu| < tolerance.

    Evaluated as expm1(nu*ln(y/mu))/(nu*sigma), which stays accurate as nu -> 0.
    """
    y, mu, sigma, nu = np.broadcast_arrays(_f(y), _f(mu), _f(sigma), _f(nu))
    log_ratio = np.log(y / mu)
    is_log = np.abs(nu) < L_ZERO_TOLERANCE
    safe_nu = np.where(is_log, 1.0, nu)
    return np.where(is_log, log_ratio / sigma, np.expm1(safe_nu * log_ratio) / (safe_nu * sigma))


def _box_cox_inverse(
    z: ArrayLike, mu: ArrayLike, sigma: ArrayLike, nu: ArrayLike
) -> NDArray[np.float64]:
    """Inverse Box-Cox: mu*(1 + nu*sigma*z)^(1/nu), or mu*exp(sigma*z) where |nu| < tolerance.

    Evaluated as mu*exp(log1p(nu*sigma*z)/nu). Where ``1 + nu*sigma*z <= 0`` no positive value
    exists and NaN is returned.
    """
    z, mu, sigma, nu = np.broadcast_arrays(_f(z), _f(mu), _f(sigma), _f(nu))
    is_log = np.abs(nu) < L_ZERO_TOLERANCE
    safe_nu = np.where(is_log, 1.0, nu)
    t = safe_nu * sigma * z
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        power = np.where(t > -1.0, mu * np.exp(np.log1p(np.maximum(t, -1.0)) / safe_nu), np.nan)
    return np.where(is_log, mu * np.exp(sigma * z), power)


def lms_sds(x: ArrayLike, L: ArrayLike, M: ArrayLike, S: ArrayLike) -> NDArray[np.float64]:
    """Standard deviation score (z-score) of a measurement under the LMS model.

    Parameters
    ----------
    x
        Measurement, same unit as ``M`` (must be > 0).
    L, M, S
        Box-Cox power, median and coefficient of variation at the person's age.

    Returns
    -------
    numpy.ndarray
        SDS = ((x/M)^L - 1)/(L*S), or ln(x/M)/S where L = 0 (Cole & Green 1992).
    """
    return _box_cox_z(x, M, S, L)


def lms_value(z: ArrayLike, L: ArrayLike, M: ArrayLike, S: ArrayLike) -> NDArray[np.float64]:
    """Measurement at a given SDS under the LMS model (inverse of :func:`lms_sds`).

    Parameters
    ----------
    z
        Standard deviation score.
    L, M, S
        Box-Cox power, median and coefficient of variation at the person's age.

    Returns
    -------
    numpy.ndarray
        x = M*(1 + L*S*z)^(1/L), or M*exp(S*z) where L = 0; same unit as ``M``. NaN where
        ``1 + L*S*z <= 0`` (no positive measurement has that SDS).
    """
    return _box_cox_inverse(z, M, S, L)


def _pe_c(tau: NDArray[np.float64]) -> NDArray[np.float64]:
    """Scale constant c = sqrt(2^(-2/tau) * Gamma(1/tau)/Gamma(3/tau)) of the standard PE."""
    return np.sqrt(2.0 ** (-2.0 / tau) * np.exp(gammaln(1.0 / tau) - gammaln(3.0 / tau)))


def pe_cdf(z: ArrayLike, tau: ArrayLike) -> NDArray[np.float64]:
    """CDF of the standardised power-exponential distribution (mean 0, variance 1).

    F(z) = 1/2 * [1 + sign(z) * P(1/2 * |z/c|^tau ; shape = 1/tau)], with P the regularised lower
    incomplete gamma function. ``tau = 2`` gives the standard normal.
    """
    z, tau = np.broadcast_arrays(_f(z), _f(tau))
    c = _pe_c(tau)
    return 0.5 * (1.0 + np.sign(z) * gammainc(1.0 / tau, 0.5 * np.abs(z / c) ** tau))


def pe_quantile(p: ArrayLike, tau: ArrayLike) -> NDArray[np.float64]:
    """Quantile of the standardised power-exponential distribution (inverse of :func:`pe_cdf`).

    z_p = sign(p - 1/2) * c * (2 * Q(|2p - 1| ; 1/tau))^(1/tau), with Q the inverse of the
    regularised lower incomplete gamma function.
    """
    p, tau = np.broadcast_arrays(_f(p), _f(tau))
    c = _pe_c(tau)
    return (
        np.sign(p - 0.5) * c * (2.0 * gammaincinv(1.0 / tau, np.abs(2.0 * p - 1.0))) ** (1.0 / tau)
    )


def bcpe_cdf(
    y: ArrayLike, mu: ArrayLike, sigma: ArrayLike, nu: ArrayLike, tau: ArrayLike
) -> NDArray[np.float64]:
    """CDF of the Box-Cox power-exponential (BCPE) distribution (Rigby & Stasinopoulos 2004).

    Parameters
    ----------
    y
        Measurement (> 0), same unit as ``mu``.
    mu, sigma, nu, tau
        Median, approximate coefficient of variation, Box-Cox power and kurtosis parameter.

    Returns
    -------
    numpy.ndarray
        F(y) = F_PE(z; tau) with z the Box-Cox transform of ``y``.
    """
    return pe_cdf(_box_cox_z(y, mu, sigma, nu), tau)


def bcpe_sds(
    y: ArrayLike, mu: ArrayLike, sigma: ArrayLike, nu: ArrayLike, tau: ArrayLike
) -> NDArray[np.float64]:
    """SDS of a measurement under BCPE: Phi^-1(F(y)). Equals the LMS SDS when tau = 2."""
    return ndtri(bcpe_cdf(y, mu, sigma, nu, tau))


def bcpe_quantile(
    p: ArrayLike, mu: ArrayLike, sigma: ArrayLike, nu: ArrayLike, tau: ArrayLike
) -> NDArray[np.float64]:
    """Measurement at cumulative probability ``p`` (0 < p < 1) under BCPE.

    y_p = mu*(1 + sigma*nu*z_p)^(1/nu) (mu*exp(sigma*z_p) when nu = 0), z_p from
    :func:`pe_quantile`. NaN where no positive value exists.
    """
    return _box_cox_inverse(pe_quantile(p, tau), mu, sigma, nu)


def bcpe_value(
    z: ArrayLike, mu: ArrayLike, sigma: ArrayLike, nu: ArrayLike, tau: ArrayLike
) -> NDArray[np.float64]:
    """Measurement at SDS ``z`` under BCPE (inverse of :func:`bcpe_sds`)."""
    return bcpe_quantile(ndtr(_f(z)), mu, sigma, nu, tau)


def sds_to_centile(z: ArrayLike) -> NDArray[np.float64]:
    """Centile (percent, 0-100) of a standard deviation score: 100*Phi(z)."""
    return 100.0 * ndtr(_f(z))


def centile_to_sds(centile: ArrayLike) -> NDArray[np.float64]:
    """Standard deviation score of a centile given in percent (0 < centile < 100)."""
    return ndtri(_f(centile) / 100.0)
