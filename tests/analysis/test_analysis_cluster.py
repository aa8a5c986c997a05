"""Cluster: pooled-variance t-tests, pulse assembly and invariances."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from somatosim.analysis import (
    AnalysisInputError,
    Cluster,
    ConstantCV,
    CVWithFloor,
    HormoneSeries,
    cluster,
    load_lh_diggle1990,
    simulate_pulsatile_series,
)
from somatosim.analysis.cluster import CLUSTER_PULSE_COLUMNS, cluster_t_statistics

BASE = np.ones(40)


def _series(values):
    return HormoneSeries.from_arrays(np.arange(len(values)) * 10.0, values)


def _with_pulses(starts, height=3.0, width=3):
    y = BASE.copy()
    for s in starts:
        y[s : s + width] = height
    return y


def test_detects_clear_pulses_with_spans():
    y = _with_pulses([5, 18, 30])
    est = Cluster(ConstantCV(0.05)).fit(_series(y))
    p = est.pulses_
    assert list(p.columns) == CLUSTER_PULSE_COLUMNS
    assert len(p) == 3
    np.testing.assert_allclose(p["start_min"], [50, 180, 300])
    np.testing.assert_allclose(p["end_min"], [70, 200, 320])
    np.testing.assert_allclose(p["increment"], 2.0)
    np.testing.assert_allclose(p["percent_increase"], 200.0)
    assert est.summary_.n_pulses == 3
    np.testing.assert_allclose(est.summary_.interpulse_intervals_min, [130, 120])


def test_t_statistic_is_the_pooled_variance_form():
    y = np.array([1.0, 1.2, 2.0, 2.6, 1.1, 0.9])
    sd = 0.1 * y
    t_up, t_down = cluster_t_statistics(y, sd, 2, 2)
    b = 2
    pooled = np.mean(sd[0:4] ** 2)
    expect = (y[2:4].mean() - y[0:2].mean()) / np.sqrt(pooled * (1 / 2 + 1 / 2))
    assert t_up[b] == pytest.approx(expect)
    b = 4
    expect = (y[2:4].mean() - y[4:6].mean()) / np.sqrt(np.mean(sd[2:6] ** 2))
    assert t_down[b] == pytest.approx(expect)
    assert np.isnan(t_up[0]) and np.isnan(t_down[1])


def test_constant_series_has_no_pulses():
    est = Cluster(ConstantCV(0.05)).fit(_series(BASE))
    assert est.summary_.n_pulses == 0
    assert np.isnan(est.summary_.interpulse_interval_mean_min)


def test_edges_leading_pulse_counted_trailing_rise_not():
    y = BASE.copy()
    y[:3] = 3.0  # a pulse already under way at the first sample
    y[-3:] = 3.0  # a rise with no fall before the end
    est = Cluster(ConstantCV(0.05)).fit(_series(y))
    assert len(est.pulses_) == 1
    assert bool(est.pulses_["started_before_record"].iloc[0])
    assert est.summary_.extra["n_incomplete_at_end"] == 1


def test_replicates_sharpen_the_test():
    y = _with_pulses([10], height=1.08)  # t = 0.08 / 0.052 = 1.5 alone, 3.1 with 4 replicates
    assert Cluster(ConstantCV(0.05)).fit(_series(y)).summary_.n_pulses == 0
    assert Cluster(ConstantCV(0.05), replicates=4).fit(_series(y)).summary_.n_pulses == 1


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), factor=st.floats(1e-4, 1e5))
def test_rescaling_the_data_does_not_change_detections(seed, factor):
    em = CVWithFloor(0.08, 0.02)
    sim = simulate_pulsatile_series(seed=seed)
    a = Cluster(em).fit(sim.series).pulses_
    b = Cluster(em.scaled(factor)).fit(sim.series.scaled(factor)).pulses_
    assert a[["start_min", "end_min"]].equals(b[["start_min", "end_min"]])


def test_irregular_sampling_is_refused():
    t = np.r_[np.arange(10) * 10.0, 95.0, 100.0 + np.arange(5) * 10.0]
    s = HormoneSeries.from_arrays(np.sort(t), np.ones(16))
    with pytest.raises(
        AnalysisInputError,
        match=r"Cluster needs evenly spaced samples.*Deconvolution accepts uneven",
    ):
        Cluster(ConstantCV(0.05)).fit(s)


def test_bad_parameters():
    with pytest.raises(
        AnalysisInputError,
        match=r"The 'n_peak' parameter of Cluster must be an int in the range \[1, inf\)\. Got 0",
    ):
        Cluster(ConstantCV(0.05), n_peak=0).fit(_series(BASE))
    with pytest.raises(
        AnalysisInputError,
        match=r"'t_up' parameter of Cluster must be a float in the range \(0, inf\)",
    ):
        Cluster(ConstantCV(0.05), t_up=-1.0).fit(_series(BASE))
    with pytest.raises(AnalysisInputError, match=r"needs at least 2\*n_nadir \+ n_peak = 16"):
        Cluster(ConstantCV(0.05), n_nadir=7, n_peak=2).fit(_series(BASE[:12]))


def test_function_twin_and_lh():
    pulses, summary = cluster(load_lh_diggle1990(), ConstantCV(0.10))
    est = Cluster(ConstantCV(0.10)).fit(load_lh_diggle1990())
    assert pulses.equals(est.pulses_)
    assert summary.n_pulses == 6
    assert summary.pulsatile_fraction + summary.basal_fraction == pytest.approx(1.0)
