"""Summary statistics of a pulse analysis: one record per series.

Pulse frequency is expressed per 24 h of record; the record length is
:attr:`~somatosim.analysis.series.HormoneSeries.duration_min` (``n`` samples x the
sampling interval). Inter-pulse intervals (IPI) are differences between successive
pulse times (burst centres for deconvolution, peak maxima for Cluster).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from somatosim.analysis.series import HormoneSeries

__all__ = ["MINUTES_PER_DAY", "PulseSummary", "summarize_pulses"]

#: Minutes in 24 h, for frequencies "per 24 h".
MINUTES_PER_DAY = 1440.0


@dataclass(frozen=True)
class PulseSummary:
    """What one pulse analysis found in one series.

    Attributes
    ----------
    method : str
        ``"deconvolution"`` or ``"cluster"``.
    units : str
        Concentration units of the series.
    n_samples : int
    sampling_interval_min : float
        Median sampling interval (min).
    duration_min : float
        Record length (min), ``n * interval``.
    mean_concentration, nadir_concentration, peak_concentration : float
        Mean, minimum and maximum measured concentration (``units``).
    n_pulses : int
        Number of pulses detected.
    pulse_frequency_per_24h : float
        ``n_pulses / duration * 1440``.
    interpulse_interval_mean_min, interpulse_interval_sd_min : float
        Mean and SD (ddof=1) of the IPIs (min); NaN with fewer than 2 (resp. 3) pulses.
    interpulse_intervals_min : tuple of float
        All IPIs (min).
    pulsatile_fraction, basal_fraction : float
        Fractions of total secretion that are pulsatile and basal (deconvolution), or
        of the concentration area above vs below the interpulse baseline (Cluster; see
        the method's notes). They add up to 1. NaN where not defined.
    error_model : str
        The error model, in words.
    extra : dict
        Method-specific estimates (half-life, basal secretion, burst SD, fit
        statistics, ...), each key suffixed with its unit where it has one.
    """

    method: str
    units: str
    n_samples: int
    sampling_interval_min: float
    duration_min: float
    mean_concentration: float
    nadir_concentration: float
    peak_concentration: float
    n_pulses: int
    pulse_frequency_per_24h: float
    interpulse_interval_mean_min: float
    interpulse_interval_sd_min: float
    interpulse_intervals_min: tuple[float, ...]
    pulsatile_fraction: float
    basal_fraction: float
    error_model: str
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (NaN becomes ``None``)."""
        return _json_ready(asdict(self))


def _json_ready(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _json_ready(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_ready(v) for v in obj]
    if isinstance(obj, (np.floating, float)):
        v = float(obj)
        return None if math.isnan(v) or math.isinf(v) else v
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj


def summarize_pulses(
    series: HormoneSeries,
    pulse_times_min: ArrayLike,
    *,
    method: str,
    error_model: str,
    pulsatile_amount: float | None = None,
    basal_amount: float | None = None,
    extra: dict[str, Any] | None = None,
) -> PulseSummary:
    """Build a :class:`PulseSummary` from pulse times and secretion amounts.

    Parameters
    ----------
    series : HormoneSeries
        The analysed series.
    pulse_times_min : array-like
        Pulse times (min), any order.
    method : str
        Method name for the record.
    error_model : str
        The error model, in words.
    pulsatile_amount, basal_amount : float, optional
        Amounts (same units for both) from which the pulsatile and basal fractions are
        computed; NaN fractions if not given or if both are zero.
    extra : dict, optional
        Method-specific values.
    """
    times = np.sort(np.asarray(pulse_times_min, dtype=float))
    ipis = np.diff(times)
    duration = series.duration_min
    if pulsatile_amount is None or basal_amount is None:
        puls_frac = basal_frac = float("nan")
    else:
        total = float(pulsatile_amount) + float(basal_amount)
        puls_frac = float(pulsatile_amount) / total if total > 0 else float("nan")
        basal_frac = 1.0 - puls_frac if total > 0 else float("nan")
    c = series.concentration
    return PulseSummary(
        method=method,
        units=series.units,
        n_samples=series.n_samples,
        sampling_interval_min=series.sampling_interval_min,
        duration_min=duration,
        mean_concentration=float(np.mean(c)),
        nadir_concentration=float(np.min(c)),
        peak_concentration=float(np.max(c)),
        n_pulses=int(times.size),
        pulse_frequency_per_24h=float(times.size / duration * MINUTES_PER_DAY),
        interpulse_interval_mean_min=float(np.mean(ipis)) if ipis.size >= 1 else float("nan"),
        interpulse_interval_sd_min=float(np.std(ipis, ddof=1)) if ipis.size >= 2 else float("nan"),
        interpulse_intervals_min=tuple(float(v) for v in ipis),
        pulsatile_fraction=puls_frac,
        basal_fraction=basal_frac,
        error_model=error_model,
        extra=dict(extra or {}),
    )
