r"""Regularity statistics: approximate entropy, sample entropy, cross-ApEn.

**Conventions.** Endocrine work uses ApEn with embedding dimension ``m = 1`` and
tolerance ``r = 0.2`` x the series SD (Pincus, *PNAS* 1991;88:2297; Pincus & Keefe,
*Am J Physiol* 1992;262:E741; used throughout Veldhuis and colleagues' GH and LH
work — the convention is reported in ``shared/research/software_anchors.md`` §1.7
and not re-verified against each paper). These are the defaults here, for SampEn
too; heart-rate-variability work usually uses ``m = 2``. The SD is the population
SD (``ddof = 0``), as in ``antropy``. Distances between templates are Chebyshev
(maximum) distances; "match" means distance :math:`\le r`.

* **ApEn** (Pincus 1991): :math:`\Phi^m - \Phi^{m+1}`, with
  :math:`\Phi^m = \frac{1}{N-m+1}\sum_i \ln C_i^m` and :math:`C_i^m` the fraction of
  the :math:`N-m+1` templates of length ``m`` within ``r`` of template ``i``
  (self-matches included, so every :math:`C_i^m > 0`). ApEn is biased by the
  self-matches and depends on ``N``; compare series of equal length. Pincus advises
  at least about 50 points (Ann N Y Acad Sci 2001;954:245); shorter series get a
  warning.
* **SampEn** (Richman & Moorman, *Am J Physiol Heart Circ Physiol*
  2000;278:H2039): :math:`-\ln(A/B)`, with :math:`B` and :math:`A` the numbers of
  pairs of distinct templates of length ``m`` and ``m + 1`` that match (using the
  first :math:`N-m` templates for both). ``inf`` when no (m+1)-pair matches.
* **Cross-ApEn** (Pincus & Singer, *PNAS* 1996;93:2083): both series are
  standardised (z-scores), and templates of ``u`` are matched against templates of
  ``v`` with ``r`` in units of SD (default 0.2). Undefined — returned as NaN, with
  a warning — when some template of ``u`` has no match in ``v`` (no self-match
  guarantees one).

All three are invariant to shifting and rescaling the data (``r`` is relative to
the SD); lower values mean more regular (more predictable) series.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from somatosim.analysis.exceptions import AnalysisInputError
from somatosim.analysis.series import HormoneSeries

__all__ = [
    "ENDOCRINE_M",
    "ENDOCRINE_R",
    "approximate_entropy",
    "cross_approximate_entropy",
    "regularity_statistics",
    "sample_entropy",
]

#: Embedding dimension of the endocrine convention (Pincus & Keefe 1992).
ENDOCRINE_M = 1

#: Tolerance of the endocrine convention, as a fraction of the series SD.
ENDOCRINE_R = 0.2

#: Fewest points for which ApEn is considered meaningful (Pincus 2001).
APEN_MIN_POINTS = 50

#: Rows of the template-distance matrix computed at once (bounds memory use).
_CHUNK = 2048


def _as_values(x: Any, name: str) -> NDArray[np.float64]:
    if isinstance(x, HormoneSeries):
        x.require_regular("Entropy statistics")
        return x.concentration.astype(float)
    arr = np.asarray(x, dtype=float)
    if arr.ndim != 1:
        raise AnalysisInputError(
            f"The {name!r} series must be one-dimensional. Got shape {arr.shape}."
        )
    if not np.all(np.isfinite(arr)):
        i = int(np.flatnonzero(~np.isfinite(arr))[0])
        raise AnalysisInputError(
            f"The {name!r} series must contain finite numbers. Got {arr[i]} at index {i}."
        )
    return arr


def _check_m_r(m: int, r: float, n: int, caller: str) -> None:
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 1:
        raise AnalysisInputError(f"The 'm' parameter of {caller} must be an int >= 1. Got {m!r}.")
    if not (np.isfinite(r) and r >= 0):
        raise AnalysisInputError(
            f"The 'r' parameter of {caller} must be a float in the range [0, inf). Got {r!r}."
        )
    if n < m + 2:
        raise AnalysisInputError(f"{caller} needs at least m + 2 = {m + 2} points. Got {n}.")


def _templates(x: NDArray[np.float64], m: int) -> NDArray[np.float64]:
    n = x.size - m + 1
    return np.stack([x[k : k + n] for k in range(m)], axis=1)


def _match_counts(a: NDArray[np.float64], b: NDArray[np.float64], tol: float) -> NDArray[np.int64]:
    """For each row of ``a``, the number of rows of ``b`` within Chebyshev distance ``tol``."""
    out = np.empty(a.shape[0], dtype=np.int64)
    for start in range(0, a.shape[0], _CHUNK):
        block = a[start : start + _CHUNK]
        dist = np.abs(block[:, None, :] - b[None, :, :]).max(axis=2)
        out[start : start + _CHUNK] = (dist <= tol).sum(axis=1)
    return out


def _tolerance(x: NDArray[np.float64], r: float, relative: bool) -> float:
    return float(r * np.std(x)) if relative else float(r)


def approximate_entropy(
    x: ArrayLike | HormoneSeries,
    m: int = ENDOCRINE_M,
    r: float = ENDOCRINE_R,
    *,
    r_relative: bool = True,
) -> float:
    """Approximate entropy ApEn(m, r) of one series (Pincus 1991).

    Parameters
    ----------
    x : array-like or HormoneSeries
        Evenly sampled values.
    m : int, default=1
        Embedding dimension (template length).
    r : float, default=0.2
        Tolerance; a fraction of the series SD when ``r_relative`` (default),
        otherwise in the units of ``x``.
    r_relative : bool, default=True
        Whether ``r`` is relative to the SD.

    Returns
    -------
    float
        ApEn (dimensionless, >= 0); 0 for a constant series.
    """
    v = _as_values(x, "x")
    _check_m_r(m, r, v.size, "approximate_entropy")
    if v.size < APEN_MIN_POINTS:
        warnings.warn(
            f"ApEn of a series of {v.size} points is unreliable; Pincus advises at least "
            f"{APEN_MIN_POINTS}.",
            UserWarning,
            stacklevel=2,
        )
    tol = _tolerance(v, r, r_relative)

    def phi(mm: int) -> float:
        t = _templates(v, mm)
        c = _match_counts(t, t, tol) / t.shape[0]
        return float(np.mean(np.log(c)))

    return phi(m) - phi(m + 1)


def sample_entropy(
    x: ArrayLike | HormoneSeries,
    m: int = ENDOCRINE_M,
    r: float = ENDOCRINE_R,
    *,
    r_relative: bool = True,
) -> float:
    """Sample entropy SampEn(m, r) of one series (Richman & Moorman 2000).

    Parameters are as for :func:`approximate_entropy`.

    Returns
    -------
    float
        SampEn (>= 0); ``inf`` if no pair of (m+1)-templates matches, NaN if no pair
        of m-templates does.
    """
    v = _as_values(x, "x")
    _check_m_r(m, r, v.size, "sample_entropy")
    tol = _tolerance(v, r, r_relative)
    n_templates = v.size - m
    tm = _templates(v, m)[:n_templates]
    tm1 = _templates(v, m + 1)[:n_templates]
    b = int(_match_counts(tm, tm, tol).sum() - n_templates)  # drop self-matches
    a = int(_match_counts(tm1, tm1, tol).sum() - n_templates)
    if b == 0:
        return float("nan")
    if a == 0:
        return float("inf")
    return float(-np.log(a / b)) + 0.0  # + 0.0 turns -0.0 into 0.0


def cross_approximate_entropy(
    u: ArrayLike | HormoneSeries,
    v: ArrayLike | HormoneSeries,
    m: int = ENDOCRINE_M,
    r: float = ENDOCRINE_R,
) -> float:
    """Cross-ApEn(m, r) of two synchronous series (Pincus & Singer 1996).

    Both series are standardised to mean 0, SD 1, so ``r`` is in SD units.

    Parameters
    ----------
    u, v : array-like or HormoneSeries
        Two series sampled at the same times (same length).
    m : int, default=1
        Embedding dimension.
    r : float, default=0.2
        Tolerance in SD units.

    Returns
    -------
    float
        Cross-ApEn (lower = more synchronous); NaN, with a warning, when some
        template of ``u`` has no match in ``v``.
    """
    a = _as_values(u, "u")
    b = _as_values(v, "v")
    if a.size != b.size:
        raise AnalysisInputError(
            f"Cross-ApEn needs two series of the same length. Got {a.size} and {b.size}."
        )
    both_series = isinstance(u, HormoneSeries) and isinstance(v, HormoneSeries)
    if both_series and not np.allclose(u.time_min, v.time_min):  # type: ignore[union-attr]
        raise AnalysisInputError(
            "Cross-ApEn needs two series sampled at the same times; their 'time' columns differ."
        )
    _check_m_r(m, r, a.size, "cross_approximate_entropy")
    for name, arr in (("u", a), ("v", b)):
        if np.std(arr) == 0:
            raise AnalysisInputError(
                f"Cross-ApEn standardises both series; the {name!r} series is constant (SD 0)."
            )
    a = (a - a.mean()) / a.std()
    b = (b - b.mean()) / b.std()

    def phi(mm: int) -> float:
        ta, tb = _templates(a, mm), _templates(b, mm)
        c = _match_counts(ta, tb, r) / tb.shape[0]
        if np.any(c == 0):
            return float("nan")
        return float(np.mean(np.log(c)))

    value = phi(m) - phi(m + 1)
    if np.isnan(value):
        warnings.warn(
            "Cross-ApEn is undefined: some template of 'u' has no match in 'v' within r "
            f"= {r:g} SD (Pincus & Singer 1996). Consider a larger r.",
            RuntimeWarning,
            stacklevel=2,
        )
    return value


def regularity_statistics(
    series: ArrayLike | HormoneSeries, m: int = ENDOCRINE_M, r: float = ENDOCRINE_R
) -> dict[str, float]:
    """ApEn and SampEn of one series with the stated ``m`` and ``r`` (fraction of SD).

    Returns
    -------
    dict
        ``{"apen": ..., "sampen": ..., "entropy_m": m, "entropy_r_fraction_of_sd": r}``.
    """
    v = _as_values(series, "series")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        apen = approximate_entropy(v, m, r)
    return {
        "apen": apen,
        "sampen": sample_entropy(v, m, r),
        "entropy_m": float(m),
        "entropy_r_fraction_of_sd": float(r),
    }
