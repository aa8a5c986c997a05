"""Scoring pulse detection against known truth.

Terminology follows Urban, Johnson & Veldhuis (*Endocrinology* 1991) as used by
``syncytium2/no_peak`` (``shared/research/software_anchors.md`` §1.3):

* **sensitivity** = TP / (number of true pulses);
* **positive accuracy** = TP / (number of detections) — reported instead of
  specificity, because a pulse series has no countable true negatives.

**Hit rule.** A detection is an interval ``[lo, hi]``: the burst centre for
deconvolution (``lo = hi``), the span from the first to the last point of the pulse
for Cluster. A true burst centre is hit if it lies in ``[lo - w, hi + w]`` with
``w = hit_window_intervals`` sampling intervals (default 1, the rule of
``no_peak``). True pulses and detections are paired one-to-one (optimal assignment
minimising the distance to the detection's interval), so one detection can never
count for two pulses.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.optimize import linear_sum_assignment

from somatosim.analysis.cluster import Cluster
from somatosim.analysis.deconvolution import Deconvolution
from somatosim.analysis.error_model import CVWithFloor
from somatosim.analysis.exceptions import AnalysisInputError
from somatosim.analysis.kinetics import BiExponential
from somatosim.analysis.synthetic import SyntheticSpec, simulate_pulsatile_series

__all__ = ["MatchResult", "match_pulses", "pulse_detection_performance"]

#: Default hit window, in sampling intervals (``no_peak``'s rule: the true onset
#: within the detected span +/- 1 interval).
DEFAULT_HIT_WINDOW_INTERVALS = 1.0

#: Default grid of the validation: sampling intervals (min) x assay CVs.
DEFAULT_INTERVALS_MIN = (5.0, 10.0, 20.0)
DEFAULT_CVS = (0.05, 0.10, 0.20)

#: Absolute SD floor of the synthetic assay (µg/L), about 5 % of the basal level
#: of the default :class:`SyntheticSpec`.
DEFAULT_FLOOR = 0.01


@dataclass(frozen=True)
class MatchResult:
    """Outcome of pairing detections with true pulses.

    Attributes
    ----------
    n_true : int
        True pulses counted (centred within the record).
    n_detected : int
        Detections counted (overlapping the record).
    true_positives : int
        Counted true pulses that were hit.
    detections_hit : int
        Counted detections paired with a true pulse (in or just outside the record).
    pairs : ndarray of shape (n_pairs, 2)
        Indices ``(truth, detection)`` of the pairs, into the arrays passed in.
    """

    n_true: int
    n_detected: int
    true_positives: int
    detections_hit: int
    pairs: np.ndarray

    @property
    def false_negatives(self) -> int:
        return self.n_true - self.true_positives

    @property
    def false_positives(self) -> int:
        return self.n_detected - self.detections_hit

    @property
    def sensitivity(self) -> float:
        """TP / true pulses."""
        return self.true_positives / self.n_true if self.n_true else float("nan")

    @property
    def positive_accuracy(self) -> float:
        """Detections hit / detections."""
        return self.detections_hit / self.n_detected if self.n_detected else float("nan")


def match_pulses(
    true_times_min: ArrayLike,
    detected_lo_min: ArrayLike,
    detected_hi_min: ArrayLike | None = None,
    *,
    window_min: float,
    record_min: tuple[float, float] | None = None,
) -> MatchResult:
    """Pair true pulse times with detections one-to-one.

    Parameters
    ----------
    true_times_min : array-like of shape (n_true,)
        True burst centres (min). May include bursts just outside the record.
    detected_lo_min, detected_hi_min : array-like of shape (n_det,)
        Detection intervals (min); ``hi`` defaults to ``lo`` (point detections).
    window_min : float
        Tolerance added on both sides of each detection interval (min).
    record_min : (float, float), optional
        First and last sample time. True pulses outside it may be matched but are
        not counted as misses; detections entirely outside it are ignored.

    Returns
    -------
    MatchResult
    """
    truth = np.asarray(true_times_min, dtype=float).ravel()
    lo = np.asarray(detected_lo_min, dtype=float).ravel()
    hi = lo if detected_hi_min is None else np.asarray(detected_hi_min, dtype=float).ravel()
    if lo.shape != hi.shape:
        raise AnalysisInputError(
            f"'detected_lo_min' and 'detected_hi_min' must have the same length. "
            f"Got {lo.size} and {hi.size}."
        )
    if not (np.isfinite(window_min) and window_min >= 0):
        raise AnalysisInputError(
            f"The 'window_min' must be a float in the range [0, inf). Got {window_min!r}."
        )
    if record_min is None:
        t_counted = np.ones(truth.size, bool)
        d_counted = np.ones(lo.size, bool)
    else:
        r0, r1 = record_min
        t_counted = (truth >= r0) & (truth <= r1)
        d_counted = (hi >= r0) & (lo <= r1)
    lo, hi = lo[d_counted], hi[d_counted]
    det_index = np.flatnonzero(d_counted)
    pairs = np.zeros((0, 2), int)
    if truth.size and lo.size:
        dist = np.maximum(lo[None, :] - truth[:, None], 0) + np.maximum(
            truth[:, None] - hi[None, :], 0
        )
        centre = 0.5 * (lo + hi)
        big = 1e9
        cost = np.where(dist <= window_min + 1e-9, np.abs(truth[:, None] - centre[None, :]), big)
        rows, cols = linear_sum_assignment(cost)
        good = cost[rows, cols] < big
        pairs = np.column_stack([rows[good], det_index[cols[good]]])
    tp = int(t_counted[pairs[:, 0]].sum()) if pairs.size else 0
    return MatchResult(
        n_true=int(t_counted.sum()),
        n_detected=int(lo.size),
        true_positives=tp,
        detections_hit=int(pairs.shape[0]),
        pairs=pairs,
    )


def _score_one(method: str, est, sim, window: float) -> MatchResult:
    table = est.pulses_
    t = sim.series.time_min
    truth = sim.all_pulses["time_min"].to_numpy()
    record = (float(t[0]), float(t[-1]))
    if method == "deconvolution":
        return match_pulses(truth, table["time_min"], window_min=window, record_min=record)
    return match_pulses(
        truth, table["start_min"], table["end_min"], window_min=window, record_min=record
    )


def pulse_detection_performance(
    *,
    n_series: int = 5,
    sampling_intervals_min: Sequence[float] = DEFAULT_INTERVALS_MIN,
    cvs: Sequence[float] = DEFAULT_CVS,
    floor: float = DEFAULT_FLOOR,
    methods: Sequence[str] = ("deconvolution", "cluster"),
    hit_window_intervals: float = DEFAULT_HIT_WINDOW_INTERVALS,
    spec: SyntheticSpec | None = None,
    seed: int = 0,
    deconvolution_params: dict | None = None,
) -> pd.DataFrame:
    """Sensitivity and positive accuracy on synthetic series with known truth.

    For each sampling interval x CV, ``n_series`` 24-h series are simulated with
    :func:`~somatosim.analysis.synthetic.simulate_pulsatile_series` (same seeds
    across methods, so the methods see the same data) and analysed with each
    method, given the generating error model (``CVWithFloor(cv, floor)``).
    Deconvolution uses the bi-exponential kernel with the generator's fast phase
    fixed and the slow half-life fitted, as multiparameter deconvolution of GH is
    usually run; Cluster uses its defaults (2x2 windows, t = 2).

    Parameters
    ----------
    n_series : int, default=5
        Series per condition.
    sampling_intervals_min : sequence of float
        Sampling intervals (min).
    cvs : sequence of float
        Assay CVs (fractions).
    floor : float
        Absolute SD floor of the assay (concentration units).
    methods : sequence of {"deconvolution", "cluster"}
        Methods to score.
    hit_window_intervals : float, default=1
        Hit window in sampling intervals (see module docstring).
    spec : SyntheticSpec, optional
        Base generator settings (interval and error model are overridden).
    seed : int, default=0
        Base seed; series ``i`` of every condition uses ``seed + i``.
    deconvolution_params : dict, optional
        Overrides of the :class:`~somatosim.analysis.deconvolution.Deconvolution`
        parameters (e.g. ``{"elimination": "mono"}`` to study a misspecified kernel).

    Returns
    -------
    pandas.DataFrame
        One row per method x interval x CV with ``n_series``, ``n_true``,
        ``n_detected``, ``true_positives``, ``false_positives``,
        ``false_negatives``, ``sensitivity``, ``positive_accuracy``,
        ``hit_window_min`` and ``seconds_per_series``.
    """
    for m in methods:
        if m not in ("deconvolution", "cluster"):
            raise AnalysisInputError(f"Unknown method {m!r}. Allowed: 'deconvolution', 'cluster'.")
    if not isinstance(n_series, (int, np.integer)) or n_series < 1:
        raise AnalysisInputError(f"The 'n_series' must be an int >= 1. Got {n_series!r}.")
    base = SyntheticSpec() if spec is None else spec
    rows = []
    for dt in sampling_intervals_min:
        for cv in cvs:
            em = CVWithFloor(cv, floor)
            sims = [
                simulate_pulsatile_series(
                    replace(base, sampling_interval_min=float(dt), error_model=em), seed=seed + i
                )
                for i in range(n_series)
            ]
            for method in methods:
                tp = hit = n_det = n_true = 0
                elapsed = 0.0
                window = hit_window_intervals * float(dt)
                for sim in sims:
                    if method == "deconvolution":
                        params = {
                            "elimination": BiExponential(
                                base.fast_half_life_min, base.slow_fraction
                            ),
                            **(deconvolution_params or {}),
                        }
                        est = Deconvolution(em, **params)
                    else:
                        est = Cluster(em)
                    t0 = time.perf_counter()
                    est.fit(sim.series)
                    elapsed += time.perf_counter() - t0
                    res = _score_one(method, est, sim, window)
                    tp += res.true_positives
                    hit += res.detections_hit
                    n_det += res.n_detected
                    n_true += res.n_true
                rows.append(
                    {
                        "method": method,
                        "sampling_interval_min": float(dt),
                        "cv": float(cv),
                        "n_series": n_series,
                        "n_true": n_true,
                        "n_detected": n_det,
                        "true_positives": tp,
                        "false_positives": n_det - hit,
                        "false_negatives": n_true - tp,
                        "sensitivity": tp / n_true if n_true else float("nan"),
                        "positive_accuracy": hit / n_det if n_det else float("nan"),
                        "hit_window_min": window,
                        "seconds_per_series": elapsed / n_series,
                    }
                )
    return pd.DataFrame(rows)
