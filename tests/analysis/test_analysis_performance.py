"""Scoring rules and the validation table."""

from __future__ import annotations

import numpy as np
import pytest

from somatosim.analysis import AnalysisInputError, match_pulses, pulse_detection_performance


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
