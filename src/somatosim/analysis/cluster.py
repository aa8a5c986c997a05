r"""Cluster-style pulse detection (Veldhuis & Johnson, *Am J Physiol* 1986;250:E486).

A reimplementation from the published description (and the documented behaviour of
the MIT TypeScript port ``syncytium2/no_peak``, reviewed in
``shared/research/software_anchors.md`` §1.3; no code copied).

**Test clusters.** At every boundary ``b`` between samples, a *nadir cluster* of
``n_nadir`` consecutive samples is compared with a *peak cluster* of ``n_peak``
samples by a pooled-variance t statistic

.. math::

    t = \frac{\bar y_{\mathrm{peak}} - \bar y_{\mathrm{nadir}}}
             {\sqrt{s_p^2\,(1/n_{\mathrm{nadir}} + 1/n_{\mathrm{peak}})}},
    \qquad s_p^2 = \frac{1}{n_{\mathrm{nadir}} + n_{\mathrm{peak}}}\sum_i \frac{\mathrm{SD}_i^2}{r},

where :math:`\mathrm{SD}_i` is the assay error model's SD of sample ``i`` and ``r``
the number of replicate assays averaged per sample. This is the pooled-*variance*
form of the original Fortran program; the Igor variant's sum of unsquared SDs is
not scale-invariant (``no_peak`` found 0/5/11/17 pulses on the same record at
x0.01/1/100/10,000), so it is not offered.

A **significant increase** at ``b`` (nadir cluster before, peak cluster from ``b``)
needs :math:`t \ge` ``t_up``; a **significant decrease** (peak cluster before, nadir
cluster from ``b``) needs :math:`t \ge` ``t_down``.

**Pulses.** A pulse starts at the first point of a significant increase and ends at
the last peak-cluster point of the last of a run of consecutive significant
decreases that follows it; edge points that are not above the adjacent nadir
cluster's mean are then trimmed off (a multi-point peak cluster can straddle the
start of a rise). A decrease with no preceding increase at the start of the
record closes a pulse that began before the first sample (as in the Fortran
program); an increase never followed by a decrease (a pulse still rising at the end
of the record) is not counted and is reported as ``n_incomplete_at_end``.

**Defaults.** 2-point nadir and peak clusters and t = 2 for both increases and
decreases, the settings the Cluster program opens with (``no_peak``
``src/core/presets.ts``); Veldhuis & Johnson recommend choosing the cluster sizes
and t values for the hormone and sampling protocol, and published analyses use
others (e.g. 1x1 clusters with t = 2.32 or 3.2 for ewe LH and GnRH, Webster et al.,
*Endocrinology* 1991;129:1635).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from somatosim.analysis._base import PulseEstimator
from somatosim.analysis._validation import InstanceOf, Interval
from somatosim.analysis.error_model import ErrorModel
from somatosim.analysis.exceptions import AnalysisInputError
from somatosim.analysis.series import HormoneSeries, as_series
from somatosim.analysis.summary import PulseSummary, summarize_pulses

__all__ = ["CLUSTER_PULSE_COLUMNS", "Cluster", "cluster", "cluster_t_statistics"]

#: Default test-cluster sizes (samples) and t thresholds (see module docstring).
DEFAULT_N_NADIR = 2
DEFAULT_N_PEAK = 2
DEFAULT_T_UP = 2.0
DEFAULT_T_DOWN = 2.0

CLUSTER_PULSE_COLUMNS = [
    "pulse",
    "time_min",
    "start_min",
    "end_min",
    "peak_concentration",
    "nadir_before",
    "nadir_after",
    "increment",
    "percent_increase",
    "width_min",
    "area",
    "started_before_record",
]


def cluster_t_statistics(
    y: NDArray[np.float64],
    sd: NDArray[np.float64],
    n_nadir: int,
    n_peak: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Pooled-variance t statistics of increases and decreases at every boundary.

    Parameters
    ----------
    y : ndarray of shape (n,)
        Concentrations.
    sd : ndarray of shape (n,)
        SD of each concentration (already divided by sqrt(replicates)).
    n_nadir, n_peak : int
        Test-cluster sizes (samples).

    Returns
    -------
    t_up, t_down : ndarray of shape (n + 1,)
        ``t_up[b]``: nadir cluster ``y[b-n_nadir:b]`` vs peak cluster
        ``y[b:b+n_peak]``; ``t_down[b]``: peak cluster ``y[b-n_peak:b]`` vs nadir
        cluster ``y[b:b+n_nadir]``. NaN where a cluster would leave the record.
    """
    n = y.size
    csum = np.concatenate([[0.0], np.cumsum(y)])
    vsum = np.concatenate([[0.0], np.cumsum(sd * sd)])

    def window(lo: NDArray[np.intp], size: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        return (csum[lo + size] - csum[lo]) / size, vsum[lo + size] - vsum[lo]

    scale = np.sqrt(1.0 / n_nadir + 1.0 / n_peak)
    t_up = np.full(n + 1, np.nan)
    b = np.arange(n_nadir, n - n_peak + 1)
    if b.size:
        m_n, v_n = window(b - n_nadir, n_nadir)
        m_p, v_p = window(b, n_peak)
        sp = np.sqrt((v_n + v_p) / (n_nadir + n_peak))
        t_up[b] = (m_p - m_n) / (sp * scale)
    t_down = np.full(n + 1, np.nan)
    b = np.arange(n_peak, n - n_nadir + 1)
    if b.size:
        m_p, v_p = window(b - n_peak, n_peak)
        m_n, v_n = window(b, n_nadir)
        sp = np.sqrt((v_n + v_p) / (n_nadir + n_peak))
        t_down[b] = (m_p - m_n) / (sp * scale)
    return t_up, t_down


def _assemble(
    up: NDArray[np.bool_], down: NDArray[np.bool_], n: int
) -> tuple[list[tuple[int, int, bool]], int]:
    """Pulses as ``(first, last, started_before_record)`` sample indices."""
    pulses: list[tuple[int, int, bool]] = []
    inside, start, leading = False, 0, False
    seen_any = False
    b = 0
    incomplete = 0
    while b <= n:
        if not inside:
            if up[b]:
                inside, start, leading, seen_any = True, b, False, True
            elif down[b] and not seen_any:
                inside, start, leading, seen_any = True, 0, True, True
                continue  # handle this decrease as the end of the leading pulse
            b += 1
            continue
        if down[b] and (b > start or leading):
            last = b
            while last + 1 <= n and down[last + 1]:
                last += 1
            pulses.append((start, last - 1, leading))
            inside = False
            b = last + 1
            continue
        b += 1
    if inside:
        incomplete = 1
    return pulses, incomplete


def _trim(y: NDArray[np.float64], first: int, last: int, n_nadir: int) -> tuple[int, int]:
    """Drop edge points of a pulse that are not above the adjacent nadir.

    A peak cluster of several points can straddle the start (or end) of a rise, so
    the assembled span may begin or end with a baseline point; it is dropped when
    it is not above the mean of the adjacent nadir cluster.
    """
    i_max = first + int(np.argmax(y[first : last + 1]))
    while first < i_max and first >= n_nadir and y[first] <= np.mean(y[first - n_nadir : first]):
        first += 1
    n = y.size
    while (
        last > i_max
        and last + 1 + n_nadir <= n
        and y[last] <= np.mean(y[last + 1 : last + 1 + n_nadir])
    ):
        last -= 1
    return first, last


class Cluster(PulseEstimator):
    """Cluster pulse detection with pooled-variance t-tests.

    Parameters
    ----------
    error_model : ErrorModel
        Assay error model (required): the SD of each sample.
    n_nadir : int, default=2
        Samples in a nadir test cluster.
    n_peak : int, default=2
        Samples in a peak test cluster.
    t_up : float, default=2.0
        t threshold for a significant increase.
    t_down : float, default=2.0
        t threshold for a significant decrease.
    replicates : int, default=1
        Replicate assays averaged into each reported value (SDs are divided by
        ``sqrt(replicates)``).

    Attributes
    ----------
    pulses_ : pandas.DataFrame
        One row per pulse: ``pulse``, ``time_min`` (time of the maximum),
        ``start_min``/``end_min`` (first and last sample in the pulse),
        ``peak_concentration``, ``nadir_before``/``nadir_after`` (means of the
        adjacent nadir clusters; NaN at the record's edges), ``increment`` (peak minus
        the preceding nadir, or the following one for a pulse that started before the
        record), ``percent_increase``, ``width_min`` (samples x interval), ``area``
        (concentration x min above the lower adjacent nadir) and
        ``started_before_record``.
    summary_ : PulseSummary
        The pulsatile/basal fractions are those of the concentration area above and
        below the interpulse baseline (Cluster does not estimate secretion).
    t_up_, t_down_ : ndarray
        The t statistics at every boundary (see :func:`cluster_t_statistics`).
    series_ : HormoneSeries
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "error_model": [InstanceOf(ErrorModel)],
        "n_nadir": [Interval(int, 1, None)],
        "n_peak": [Interval(int, 1, None)],
        "t_up": [Interval(float, 0, None, closed="neither")],
        "t_down": [Interval(float, 0, None, closed="neither")],
        "replicates": [Interval(int, 1, None)],
    }

    def __init__(
        self,
        error_model: ErrorModel,
        *,
        n_nadir: int = DEFAULT_N_NADIR,
        n_peak: int = DEFAULT_N_PEAK,
        t_up: float = DEFAULT_T_UP,
        t_down: float = DEFAULT_T_DOWN,
        replicates: int = 1,
    ) -> None:
        self.error_model = error_model
        self.n_nadir = n_nadir
        self.n_peak = n_peak
        self.t_up = t_up
        self.t_down = t_down
        self.replicates = replicates

    def fit(self, series: Any) -> Cluster:
        """Detect pulses in ``series``; returns ``self``."""
        self._validate_params()
        series = as_series(series)
        series.require_regular("Cluster")
        y = series.concentration
        n = y.size
        if self.n_nadir * 2 + self.n_peak > n:
            raise AnalysisInputError(
                f"Cluster needs at least 2*n_nadir + n_peak = {2 * self.n_nadir + self.n_peak} "
                f"samples for one pulse; the series has {n}."
            )
        sd = np.asarray(self.error_model.sd(y), dtype=float) / np.sqrt(self.replicates)
        bad = ~(np.isfinite(sd) & (sd > 0))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise AnalysisInputError(
                f"The error model ({self.error_model.describe()}) gives SD {sd[i]:g} at sample "
                f"{i + 1} (concentration {y[i]:g} {series.units}); every SD must be > 0. Use "
                "CVWithFloor for series that reach zero."
            )
        t_up, t_down = cluster_t_statistics(y, sd, self.n_nadir, self.n_peak)
        up = np.nan_to_num(t_up, nan=-np.inf) >= self.t_up
        down = np.nan_to_num(t_down, nan=-np.inf) >= self.t_down
        raw, incomplete = _assemble(up, down, n)
        self.series_ = series
        self.t_up_, self.t_down_ = t_up, t_down
        self.pulses_ = self._table(series, raw)
        self.summary_ = self._summary(series, incomplete)
        return self

    def _table(self, series: HormoneSeries, raw: list[tuple[int, int, bool]]) -> pd.DataFrame:
        t, y = series.time_min, series.concentration
        dt = series.sampling_interval_min
        n = y.size
        rows = []
        for j, (first, last, leading) in enumerate(raw, start=1):
            first, last = _trim(y, first, last, self.n_nadir)
            seg = y[first : last + 1]
            i_max = first + int(np.argmax(seg))
            before = (
                float(np.mean(y[first - self.n_nadir : first])) if first >= self.n_nadir else np.nan
            )
            after = (
                float(np.mean(y[last + 1 : last + 1 + self.n_nadir]))
                if last + 1 + self.n_nadir <= n
                else np.nan
            )
            ref = before if np.isfinite(before) else after
            base = np.nanmin([before, after]) if np.isfinite(before) or np.isfinite(after) else 0.0
            rows.append(
                {
                    "pulse": j,
                    "time_min": float(t[i_max]),
                    "start_min": float(t[first]),
                    "end_min": float(t[last]),
                    "peak_concentration": float(y[i_max]),
                    "nadir_before": before,
                    "nadir_after": after,
                    "increment": float(y[i_max] - ref) if np.isfinite(ref) else np.nan,
                    "percent_increase": float(100.0 * (y[i_max] - ref) / ref)
                    if np.isfinite(ref) and ref > 0
                    else np.nan,
                    "width_min": float((last - first + 1) * dt),
                    "area": float(np.clip(seg - base, 0.0, None).sum() * dt),
                    "started_before_record": bool(leading),
                }
            )
        return pd.DataFrame(rows, columns=CLUSTER_PULSE_COLUMNS)

    def _summary(self, series: HormoneSeries, incomplete: int) -> PulseSummary:
        p = self.pulses_
        y = series.concentration
        dt = series.sampling_interval_min
        total_area = float(y.sum() * dt)
        pulsatile = float(p["area"].sum()) if len(p) else 0.0
        in_pulse = np.zeros(y.size, bool)
        for s, e in zip(p["start_min"], p["end_min"]):
            in_pulse |= (series.time_min >= s) & (series.time_min <= e)
        extra = {
            "n_nadir": self.n_nadir,
            "n_peak": self.n_peak,
            "t_up": self.t_up,
            "t_down": self.t_down,
            "replicates": self.replicates,
            "n_incomplete_at_end": incomplete,
            "mean_peak_concentration": float(p["peak_concentration"].mean())
            if len(p)
            else float("nan"),
            "mean_increment": float(p["increment"].mean()) if len(p) else float("nan"),
            "mean_pulse_width_min": float(p["width_min"].mean()) if len(p) else float("nan"),
            "mean_interpulse_concentration": float(y[~in_pulse].mean())
            if (~in_pulse).any()
            else float("nan"),
        }
        return summarize_pulses(
            series,
            p["time_min"].to_numpy() if len(p) else [],
            method="cluster",
            error_model=self.error_model.describe(),
            pulsatile_amount=pulsatile,
            basal_amount=max(total_area - pulsatile, 0.0),
            extra=extra,
        )


def cluster(
    series: Any, error_model: ErrorModel, **params: Any
) -> tuple[pd.DataFrame, PulseSummary]:
    """Function twin of :class:`Cluster`: returns ``(pulses, summary)``."""
    est = Cluster(error_model, **params).fit(series)
    return est.pulses_, est.summary_
