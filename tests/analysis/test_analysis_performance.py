"""Scoring rules and the validation table."""

from __future__ import annotations

import numpy as np
import pytest

from somatosim.analysis import AnalysisInputError, match_pulses, pulse_detection_performance
from somatosim.analysis.performance import detection_limit_study, true_burst_times


def test_point_detections_are_paired_one_to_one():
    res = match_pulses([10, 50, 100], [12, 13, 55, 300], window_min=5)
    assert res.true_positives == 2  # 10 and 50; 100 has nothing within 5 min
    assert res.detections_hit == 2
    assert res.false_positives == 2  # the extra near 10, and 300
    assert res.false_negatives == 1
    assert res.sensitivity == pytest.approx(2 / 3)
    assert res.positive_accuracy == pytest.approx(0.5)
    assert sorted(map(tuple, res.pairs)) == [(0, 0), (1, 2)]


def test_interval_detections_and_record_edges():
    # a pulse that began before the record (-4) may match a detection but is not a miss
    res = match_pulses([-4, 40, 200], [0, 35], [10, 60], window_min=10, record_min=(0, 100))
    assert res.n_true == 1 and res.true_positives == 1
    assert res.n_detected == 2 and res.detections_hit == 2
    assert res.sensitivity == 1.0 and res.positive_accuracy == 1.0


def test_empty_inputs():
    res = match_pulses([], [1.0], window_min=1)
    assert np.isnan(res.sensitivity) and res.positive_accuracy == 0.0
    with pytest.raises(AnalysisInputError, match=r"'window_min'"):
        match_pulses([1], [1], window_min=-1)


def test_performance_table_shape_and_targets():
    df = pulse_detection_performance(n_series=1, sampling_intervals_min=[10.0], cvs=[0.05], seed=7)
    assert list(df["method"]) == ["deconvolution", "cluster"]
    assert {"sensitivity", "positive_accuracy", "hit_window_min", "seconds_per_series"} <= set(df)
    dec = df.set_index("method").loc["deconvolution"]
    assert dec["sensitivity"] >= 0.9 and dec["positive_accuracy"] >= 0.9
    with pytest.raises(AnalysisInputError, match=r"Unknown method 'pulsar'"):
        pulse_detection_performance(methods=["pulsar"])


def test_true_bursts_at_a_stated_time_resolution():
    """A 1-min spike 25 min after a burst is a burst in the 1-min record, not at 5 min."""
    t = np.arange(0.0, 600.0)
    sec = 0.05 + 1.0 * np.exp(-0.5 * ((t - 200.0) / 6.0) ** 2)
    sec[225] += 0.15  # one-minute spike: prominence 0.15 > 0.5 x mean secretion (0.04)
    sec += 0.3 * np.exp(-0.5 * ((t - 450.0) / 6.0) ** 2)  # a real, smaller burst
    assert t[true_burst_times(sec)].tolist() == [200.0, 225.0, 450.0]
    assert t[true_burst_times(sec, resolution_min=5.0)].tolist() == [200.0, 450.0]
    assert t[true_burst_times(sec, resolution_min=1.0)].tolist() == [200.0, 225.0, 450.0]
    with pytest.raises(AnalysisInputError, match=r"'resolution_min' must be > 0"):
        true_burst_times(sec, resolution_min=0.0)


def test_detection_limit_study_synthetic_grid():
    df = detection_limit_study(
        "synthetic",
        intervals=[10.0],
        cvs=[0.05],
        detection_limits=[0.05, 0.4],
        n_series=1,
        seed=7,
    )
    assert df.shape[0] == 4  # 2 methods x 2 detection limits
    assert list(df.columns[:6]) == [
        "source",
        "method",
        "sampling_interval_min",
        "cv",
        "detection_limit",
        "censored_fraction",
    ]
    assert (df["source"] == "synthetic").all()
    dec = df[df.method == "deconvolution"].set_index("detection_limit")
    # a higher limit censors more samples; at 0.05 ug/L almost nothing is censored
    assert dec.loc[0.05, "censored_fraction"] < 0.05 < dec.loc[0.4, "censored_fraction"]
    assert dec.loc[0.05, "sensitivity"] >= 0.9 and dec.loc[0.05, "positive_accuracy"] >= 0.9
    assert (df["true_positives"] + df["false_negatives"] == df["n_true"]).all()
    with pytest.raises(AnalysisInputError, match=r"Unknown source 'lab'"):
        detection_limit_study("lab")
    with pytest.raises(AnalysisInputError, match=r"'detection_limit' must be > 0"):
        detection_limit_study("synthetic", detection_limits=[0.0])
