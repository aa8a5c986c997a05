"""Deconvolution: recovery of known truth, invariances and input checks."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from somatosim.analysis import (
    AnalysisInputError,
    BiExponential,
    ConstantCV,
    CVWithFloor,
    Deconvolution,
    HormoneSeries,
    SyntheticSpec,
    deconvolve,
    load_lh_diggle1990,
    match_pulses,
    simulate_pulsatile_series,
)
from somatosim.analysis._base import NotFittedError
from somatosim.analysis.deconvolution import DECONVOLUTION_PULSE_COLUMNS


def _score(sim, est, window):
    t = sim.series.time_min
    return match_pulses(
        sim.all_pulses["time_min"],
        est.pulses_["time_min"],
        window_min=window,
        record_min=(t[0], t[-1]),
    )


@pytest.mark.parametrize("seed", [101, 202])
def test_recovers_known_bursts_at_moderate_noise(seed):
    """24 h at 10-min sampling, CV 10 %: >= 90 % sensitivity and positive accuracy."""
    em = CVWithFloor(0.10, 0.01)
    sim = simulate_pulsatile_series(replace(SyntheticSpec(), error_model=em), seed=seed)
    est = Deconvolution(em, elimination=BiExponential()).fit(sim.series)
    res = _score(sim, est, window=10.0)
    assert res.sensitivity >= 0.9
    assert res.positive_accuracy >= 0.9
    # kinetics and secretion are recovered too
    spec = sim.spec
    x = est.summary_.extra
    assert x["half_life_min"] == pytest.approx(spec.slow_half_life_min, rel=0.15)
    assert x["burst_sd_min"] == pytest.approx(spec.burst_sd_min, rel=0.3)
    assert x["basal_secretion_per_min"] == pytest.approx(spec.basal_secretion_per_min, rel=0.3)
    matched = res.pairs
    true_mass = sim.all_pulses["mass"].to_numpy()[matched[:, 0]]
    est_mass = est.pulses_["mass"].to_numpy()[matched[:, 1]]
    assert np.median(np.abs(est_mass / true_mass - 1)) < 0.15
    assert 0.5 < x["reduced_chi2"] < 2.0


def test_mono_exponential_half_life_is_recovered(short_spec):
    spec = replace(short_spec, slow_fraction=1.0, slow_half_life_min=45.0, duration_min=720.0)
    sim = simulate_pulsatile_series(spec, seed=5)
    est = Deconvolution(spec.error_model, elimination="mono").fit(sim.series)
    assert est.summary_.extra["half_life_min"] == pytest.approx(45.0, rel=0.15)
    assert _score(sim, est, 10.0).sensitivity >= 0.8


@settings(max_examples=4, deadline=None)
@given(seed=st.integers(0, 10_000), factor=st.sampled_from([1e-3, 0.37, 1e3, 2.5e4]))
def test_rescaling_the_data_does_not_change_detections(short_spec, seed, factor):
    sim = simulate_pulsatile_series(short_spec, seed=seed)
    em = short_spec.error_model
    a = Deconvolution(em, elimination="bi").fit(sim.series)
    b = Deconvolution(em.scaled(factor), elimination="bi").fit(sim.series.scaled(factor))
    assert len(a.pulses_) == len(b.pulses_)
    np.testing.assert_allclose(a.pulses_["time_min"], b.pulses_["time_min"], atol=1e-3)
    np.testing.assert_allclose(b.pulses_["mass"], a.pulses_["mass"] * factor, rtol=1e-3)
    assert b.summary_.extra["half_life_min"] == pytest.approx(
        a.summary_.extra["half_life_min"], rel=1e-4
    )


def test_function_twin_matches_estimator(short_sim, short_spec):
    pulses, summary = deconvolve(short_sim.series, short_spec.error_model, elimination="bi")
    est = Deconvolution(short_spec.error_model, elimination="bi").fit(short_sim.series)
    assert list(pulses.columns) == DECONVOLUTION_PULSE_COLUMNS
    np.testing.assert_allclose(pulses["time_min"], est.pulses_["time_min"])
    assert summary.n_pulses == est.summary_.n_pulses == len(pulses)
    assert summary.pulsatile_fraction + summary.basal_fraction == pytest.approx(1.0)
    assert (pulses["p_value"] < est.alpha).all()
    np.testing.assert_allclose(est.predict(short_sim.series.time_min), est.fitted_, rtol=1e-10)


def test_uneven_sampling_and_fixed_half_life(short_sim, short_spec):
    s = short_sim.series
    keep = np.ones(s.n_samples, bool)
    keep[[5, 6, 20, 33]] = False
    uneven = HormoneSeries.from_arrays(s.time_min[keep], s.concentration[keep])
    est = Deconvolution(short_spec.error_model, elimination="bi", half_life_min=20.0).fit(uneven)
    assert est.summary_.extra["half_life_min"] == 20.0
    assert est.summary_.extra["half_life_fixed"]
    assert _score(short_sim, est, 10.0).sensitivity >= 0.8


def test_f_test_variant_runs(short_sim, short_spec):
    est = Deconvolution(short_spec.error_model, elimination="bi", test="F").fit(short_sim.series)
    assert _score(short_sim, est, 10.0).sensitivity >= 0.8


def test_lh_series():
    est = Deconvolution(ConstantCV(0.10)).fit(load_lh_diggle1990())
    assert 5 <= est.summary_.n_pulses <= 7
    assert 40 < est.summary_.extra["half_life_min"] < 150


@pytest.mark.parametrize(
    ("params", "pattern"),
    [
        (
            {"alpha": 2},
            r"The 'alpha' parameter of Deconvolution must be a float in the range \(0, 1\)\. Got 2 instead",
        ),
        (
            {"elimination": "tri"},
            r"'elimination' parameter of Deconvolution must be one of \{'mono', 'bi'\} or an instance of Elimination",
        ),
        ({"half_life_min": -3.0}, r"'half_life_min'.*range \(0, inf\) min.*Got -3\.0"),
        ({"test": "z"}, r"'test' parameter"),
        (
            {"max_pulses": 1.5},
            r"'max_pulses' parameter of Deconvolution must be an int in the range \[0, inf\) or None\. Got 1\.5",
        ),
    ],
)
def test_bad_parameters(short_sim, params, pattern):
    with pytest.raises(AnalysisInputError, match=pattern):
        Deconvolution(ConstantCV(0.05), **params).fit(short_sim.series)


def test_error_model_is_required_and_checked(short_sim):
    with pytest.raises(TypeError):
        Deconvolution()  # type: ignore[call-arg]
    with pytest.raises(
        AnalysisInputError,
        match=r"'error_model' parameter of Deconvolution must be an instance of ErrorModel",
    ):
        Deconvolution(0.05).fit(short_sim.series)  # type: ignore[arg-type]
    zero = HormoneSeries.from_arrays(np.arange(12) * 10.0, [0, 1, 2, 3, 2, 1, 1, 1, 3, 2, 1, 1])
    with pytest.raises(AnalysisInputError, match=r"gives SD 0 at sample 1.*Use CVWithFloor"):
        Deconvolution(ConstantCV(0.05)).fit(zero)


def test_not_fitted():
    with pytest.raises(NotFittedError, match=r"not fitted yet"):
        Deconvolution(ConstantCV(0.05)).secretion_rate()


def test_get_set_params_and_repr():
    est = Deconvolution(ConstantCV(0.05), alpha=0.01)
    assert est.get_params()["alpha"] == 0.01
    est.set_params(alpha=0.02)
    assert "alpha=0.02" in repr(est)
    with pytest.raises(AnalysisInputError, match=r"Invalid parameter 'beta'"):
        est.set_params(beta=1)
